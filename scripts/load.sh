#!/usr/bin/env bash
# A bounded load test on loopback (cmd/coach/load_test.go): the server on the test database with
# the bundled bank, gradings from concurrent clients against the offline grader, then against a slow
# in-process model behind the concurrency cap; prints requests, throughput, latency percentiles and
# statuses, and fails on errors or on goroutines or connections left behind. LOAD_REQUESTS,
# LOAD_MODEL_REQUESTS, LOAD_CONCURRENCY, LOAD_MODEL_DELAY, LOAD_MODEL_CONCURRENCY and
# LOAD_MAX_DURATION shape it. Called by `make load`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
go test -tags load -run '^TestLoad$' -count=1 -v -timeout 15m ./cmd/coach
