#!/usr/bin/env bash
# Browser end-to-end tests of the web UI. Builds bin/coach, gives it a scratch schema of the test
# database (migrated, with the bundled bank), serves it on free ports (the offline grader, and two
# servers whose language model does not answer) and runs web/e2e/*.test.mjs (node:test +
# playwright-core) against them with Debian's chromium, installed when missing. Arguments, when
# given, name the test files to run instead (scripts/e2e.sh web/e2e/practice.test.mjs). Called by
# scripts/test.sh after go test, and by `make e2e`. Screenshots go to test-artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'e2e: %s\n' "$*" >&2; }
die() {
	printf 'e2e: error: %s\n' "$*" >&2
	exit 1
}

if ((EUID == 0)); then
	priv() { "$@"; }
else
	priv() { sudo -- "$@"; }
fi

# ---------------------------------------------------------------------------------------------
# Tools: chromium from Debian, node 20+, playwright-core from web/e2e/package-lock.json

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $CHROMIUM ]]; then
	command -v apt-get >/dev/null || die "$CHROMIUM is missing and there is no apt-get to install chromium"
	((EUID == 0)) || command -v sudo >/dev/null || die "$CHROMIUM is missing; install chromium (not root, no sudo)"
	log "installing chromium"
	priv apt-get -q -o DPkg::Lock::Timeout=300 update >&2 || die "apt-get update failed"
	priv env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 install chromium >&2 ||
		die "apt-get install chromium failed"
	[[ -x $CHROMIUM ]] || die "chromium is installed but $CHROMIUM is not there (set CHROMIUM)"
fi
export CHROMIUM

command -v node >/dev/null || die "node is missing (Node.js 20 or later runs the browser tests)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || die "node $(node --version) is too old: the browser tests need Node.js 20 or later"
if [[ ! -d web/e2e/node_modules/playwright-core ]]; then
	command -v npm >/dev/null || die "npm is missing: it installs playwright-core for the browser tests"
	log "npm ci (playwright-core; no browser is downloaded)"
	(cd web/e2e && npm ci --no-audit --no-fund --loglevel=error) >&2 || die "npm ci in web/e2e failed"
fi

# ---------------------------------------------------------------------------------------------
# Database: a scratch schema of the test database, dropped on exit

if [[ -z ${TEST_DATABASE_URL:-} ]]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
command -v psql >/dev/null || die "psql is missing (make db installs PostgreSQL and its client)"

SCHEMA=e2e_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
SERVER_PIDS=()
WORK=$(mktemp -d -t coach-e2e.XXXXXXXX)
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local rc=$? pid
	for pid in "${SERVER_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	psql -X -q -v ON_ERROR_STOP=1 "$TEST_DATABASE_URL" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 ||
		log "could not drop schema $SCHEMA"
	rm -rf -- "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

psql -X -q -v ON_ERROR_STOP=1 "$TEST_DATABASE_URL" -c "CREATE SCHEMA $SCHEMA" >/dev/null ||
	die "cannot create schema $SCHEMA in $TEST_DATABASE_URL (run make db, or set TEST_DATABASE_URL)"
case $TEST_DATABASE_URL in
*\?*) DATABASE_URL="$TEST_DATABASE_URL&search_path=$SCHEMA,public" ;;
*) DATABASE_URL="$TEST_DATABASE_URL?search_path=$SCHEMA,public" ;;
esac

free_port() {
	node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# Every coach process gets only these settings (no .env, nothing else from the environment): the
# offline grader and the local embedder unless told otherwise, no rate limit.
# E2E_ADMIN_KEY is the servers' admin key, for the tests that edit the bank.
E2E_ADMIN_KEY=e2e-admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
export E2E_ADMIN_KEY
coach_env=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "DATABASE_URL=$DATABASE_URL" "COACH_ENV_FILE=$WORK/none"
	COACH_GRADER=offline COACH_EMBEDDER=local COACH_LOG_LEVEL=warn COACH_RATE_LIMIT=off "COACH_ADMIN_KEY=$E2E_ADMIN_KEY")

# serve NAME [NAME=VALUE...]: starts a server on a free port in the background, logging to
# test-artifacts/e2e-NAME.log, and prints its address. env execs bin/coach, so $! is the server.
serve() {
	local name=$1 port
	shift
	port=$(free_port)
	"${coach_env[@]}" "COACH_ADDR=127.0.0.1:$port" "$@" bin/coach serve >"test-artifacts/e2e-$name.log" 2>&1 &
	SERVER_PIDS+=($!)
	printf 'http://127.0.0.1:%s\n' "$port"
}

# ---------------------------------------------------------------------------------------------
# Build, migrate, load the bank, serve

start=$SECONDS
log "go build -o bin/coach ./cmd/coach"
go build -o bin/coach ./cmd/coach
"${coach_env[@]}" bin/coach migrate >/dev/null
"${coach_env[@]}" bin/coach ingest --builtin >/dev/null 2>"$WORK/ingest.log" || {
	cat "$WORK/ingest.log" >&2
	die "coach ingest --builtin failed"
}

mkdir -p test-artifacts
# The server most tests use grades offline. Two more on the same database have a language model
# that does not answer: on the first the model accepts connections and stays silent until the call
# times out (503, with the references shown meanwhile); on the second nothing listens on the
# model's port and the server falls back to the offline grader, saying so.
node -e 'require("net").createServer((c) => c.on("error", () => {})).listen(0, "127.0.0.1", function () {
	require("fs").writeFileSync(process.argv[1], String(this.address().port));
})' "$WORK/silent-port" &
SERVER_PIDS+=($!)
for _ in $(seq 1 100); do
	[[ -s $WORK/silent-port ]] && break
	sleep 0.1
done
[[ -s $WORK/silent-port ]] || die "the silent model server did not start"
model=(COACH_GRADER=llm OPENAI_API_KEY=e2e-no-model COACH_LLM_MAX_RETRIES=0 COACH_LLM_TIMEOUT=3s)
serve server >"$WORK/addr"
BASE=$(<"$WORK/addr")
serve model-down "${model[@]}" "OPENAI_BASE_URL=http://127.0.0.1:$(<"$WORK/silent-port")/v1" >"$WORK/addr"
MODEL_DOWN=$(<"$WORK/addr")
serve fallback "${model[@]}" "OPENAI_BASE_URL=http://127.0.0.1:$(free_port)/v1" COACH_FALLBACK=offline >"$WORK/addr"
FALLBACK=$(<"$WORK/addr")
if ! node -e '
	const deadline = Date.now() + 30000;
	const ready = async (base) => {
		for (;;) {
			try { if ((await fetch(base + "/readyz")).ok) return; } catch {}
			if (Date.now() > deadline) throw new Error(base + " is not ready");
			await new Promise((r) => setTimeout(r, 100));
		}
	};
	Promise.all(process.argv.slice(1).map(ready)).catch((e) => { console.error(e.message); process.exit(1); });
	' "$BASE" "$MODEL_DOWN" "$FALLBACK"; then
	tail -n 20 test-artifacts/e2e-*.log >&2
	die "the servers did not become ready"
fi
log "servers ready on $BASE, $MODEL_DOWN (model down), $FALLBACK (fallback) (schema $SCHEMA, $((SECONDS - start))s)"

# ---------------------------------------------------------------------------------------------
# Browser tests

rm -rf test-artifacts/screenshots
status=0
E2E_BASE_URL=$BASE E2E_MODEL_DOWN_URL=$MODEL_DOWN E2E_FALLBACK_URL=$FALLBACK E2E_ADMIN_KEY=$E2E_ADMIN_KEY \
	node --test --test-concurrency="${E2E_CONCURRENCY:-3}" --test-reporter=tap "${@:-web/e2e/}" | tee "$WORK/tap.txt" ||
	status=$?
passed=$(awk '$1 == "#" && $2 == "pass" { print $3 }' "$WORK/tap.txt" | tail -n1)
failed=$(awk '$1 == "#" && $2 == "fail" { print $3 }' "$WORK/tap.txt" | tail -n1)
if [[ -z $passed || -z $failed ]] && ((status == 0)); then
	status=1 # no summary: node did not run the tests
fi
for pid in "${SERVER_PIDS[@]}"; do
	if ! kill -0 "$pid" 2>/dev/null; then
		log "a server stopped during the tests"
		status=1
	fi
done
if ((status != 0)); then
	log "server logs (test-artifacts/e2e-*.log), last lines:"
	tail -n 30 test-artifacts/e2e-*.log >&2
fi
log "$((SECONDS - start))s in all; screenshots in test-artifacts/screenshots/"
echo "e2e: ${passed:-0} passed, ${failed:-?} failed"
exit "$status"
