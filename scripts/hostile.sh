#!/usr/bin/env bash
# The hostile suite: reproduces, against servers on loopback (127.0.0.1) and the test database, the
# abuse of issue 14 and shows each item fixed. Bounded: a few hundred requests per test, each test
# with its own time limit, about four minutes in all on two busy cores. Called by `make hostile`.
#
#   1. A running `coach serve` process under attack (cmd/coach/hostile_test.go, build tag hostile):
#      96 search queries of 1 MB, 24 at once (all 400, peak resident memory under a stated bound);
#      8 question lists filtered by 900 KB at once (400, other requests stay quick); 500 new sessions
#      from one address (the burst, then 429); the same document imported 6 times at once (200 or a
#      409 naming the real cause); sessions and questions deleted while a model grades their answers
#      (every grade answered and stored, with its model call and a warning).
#   2. Imports (H2, M4): a CSV answer of 9.5 MB without a sentence break, imported by `coach ingest`
#      as a process of its own (peak resident memory and time under stated bounds, passages of bounded
#      size, its question grades in normal time); a big import as a job (HOSTILE_M4_QUESTIONS
#      questions in four files, default 800; 100000 is the issue's case, 30-45 minutes of rows at
#      the 40-55 a second measured; 30000 ran in 10 min 47 s, see the README): 202 at once, progress within a file, the server killed mid-job and restarted, the job
#      resumed and done with every question stored once. Figures: time, peak RSS, progress, rate.
#   3. Two server processes on one database enforce one rate.
#   4. Through the HTTP API in-process: a grade survives the deletion of its session and question
#      (a grader that waits for the deletes), no attempt-existence oracle, a session token under closed
#      practice grades only its session's questions, invalid UTF-8 named as such, ids with "/" open,
#      huge answers refused, deadlines reported as the request taking too long, rate limits; error
#      messages echo at most 80 characters of an id; the embedder keeps no huge buffers.
#   5. A cancelled request at shutdown gets a 503, not a dropped connection.
# Fuzzing has its own target, `make fuzz`, which reports executions per second per target.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
case "$TEST_DATABASE_URL" in
*@localhost[:/]* | *@127.0.0.1[:/]* | *@\[::1\][:/]* | *host=/* | *host=localhost*) ;;
*)
	echo "hostile: TEST_DATABASE_URL must be a database on this machine (loopback only)" >&2
	exit 2
	;;
esac

step() { printf '\nhostile: %s\n' "$*" >&2; }

step "1. a coach serve process under attack"
go test -tags hostile -run '^TestHostile(SearchFlood|SessionFlood|ConcurrentImports|DeletesDuringGrading)$' -count=1 -v -timeout 5m ./cmd/coach 2>&1 | grep -v '^=== ' 
step "2. a 9.5 MB answer imported; ${HOSTILE_M4_QUESTIONS:-800} questions imported as a job across a crash"
# A quarter second a row (the rate measured on two busy cores is 40-55 rows a second, 12 at the
# slowest over 10 s), 10 minutes more for the set-up, the 9.5 MB import and the restart.
m4_timeout=$(( ${HOSTILE_M4_QUESTIONS:-800} / 4 + 600 ))
go test -tags hostile -run '^(TestHostileHugeAnswerImport|TestHostileBigImportJob)$' -count=1 -v -timeout "${m4_timeout}s" ./cmd/coach 2>&1 | grep -v '^=== '
step "3. two instances share one rate"
go test -run '^TestRateLimitsSharedByInstances$' -count=1 -v -timeout 3m ./cmd/coach 2>&1 | grep -v '^=== '
step "4. the HTTP API in-process"
go test -count=1 -v -timeout 5m ./internal/api -run \
	'^(TestDeleteDuringGrading|TestFollowUpIsNoOracle|TestClosedPracticeTokenGradesItsSession|TestInvalidUTF8|TestIDsWithSlashes|TestHugeAnswers|TestErrors|TestTimeouts|TestRateLimit)$' 2>&1 | grep -v '^=== '
go test -count=1 -v ./internal/coach -run '^TestEcho$' 2>&1 | grep -v '^=== '
go test -count=1 -v ./internal/localembed -run '^TestHugeTextBuffersAreNotPooled$' 2>&1 | grep -v '^=== '
step "5. shutdown answers 503"
go test -run '^TestShutdownGraceRunsOut$' -count=1 -v -timeout 2m ./cmd/coach 2>&1 | grep -v '^=== '
step "passed"
