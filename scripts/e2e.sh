#!/usr/bin/env bash
# Browser end-to-end tests of the web UI. Builds bin/coach, gives it a scratch schema of the test
# database (migrated, with the bundled bank), serves it on a free port and runs web/e2e/*.test.mjs
# (node:test + playwright-core) against it with Debian's chromium, installed when missing. Called by
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
SERVER_PID=
WORK=$(mktemp -d -t coach-e2e.XXXXXXXX)
cleanup() {
	local rc=$?
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
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

# The server sees only these settings: no .env, no language model, the offline grader.
PORT=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
coach_env=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "DATABASE_URL=$DATABASE_URL" "COACH_ENV_FILE=$WORK/none"
	"COACH_ADDR=127.0.0.1:$PORT" COACH_GRADER=offline COACH_EMBEDDER=local COACH_LOG_LEVEL=warn)

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
SERVER_LOG=test-artifacts/e2e-server.log
"${coach_env[@]}" bin/coach serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
BASE=http://127.0.0.1:$PORT
if ! node -e '
	const url = process.argv[1] + "/readyz";
	const deadline = Date.now() + 30000;
	(async () => {
		for (;;) {
			try { if ((await fetch(url)).ok) return; } catch {}
			if (Date.now() > deadline) process.exit(1);
			await new Promise((r) => setTimeout(r, 100));
		}
	})();' "$BASE"; then
	cat "$SERVER_LOG" >&2
	die "the server did not become ready on $BASE"
fi
log "server ready on $BASE (schema $SCHEMA, $((SECONDS - start))s)"

# ---------------------------------------------------------------------------------------------
# Browser tests

rm -rf test-artifacts/screenshots
status=0
E2E_BASE_URL=$BASE node --test --test-reporter=tap web/e2e/ | tee "$WORK/tap.txt" || status=$?
passed=$(awk '$1 == "#" && $2 == "pass" { print $3 }' "$WORK/tap.txt" | tail -n1)
failed=$(awk '$1 == "#" && $2 == "fail" { print $3 }' "$WORK/tap.txt" | tail -n1)
if [[ -z $passed || -z $failed ]] && ((status == 0)); then
	status=1 # no summary: node did not run the tests
fi
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
	log "the server stopped during the tests"
	status=1
fi
if ((status != 0)); then
	log "server log (last 40 lines of $SERVER_LOG):"
	tail -n 40 "$SERVER_LOG" >&2
fi
echo "e2e: ${passed:-0} passed, ${failed:-?} failed ($((SECONDS - start))s; screenshots in test-artifacts/screenshots/)"
exit "$status"
