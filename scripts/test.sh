#!/usr/bin/env bash
# Brings up the test database, then runs go vet and every test against it. Called by `make test` and,
# through it, by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
echo "TEST_DATABASE_URL=${TEST_DATABASE_URL}" >&2

unformatted=$(gofmt -l cmd internal migrations prompts web)
if [ -n "$unformatted" ]; then
	echo "gofmt: these files need formatting:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go vet -tags load ./cmd/coach # the load test (make load), so that it keeps compiling
go test -race -count=1 -timeout 20m ./...
# Every fuzz target briefly (its seed corpus already ran above); `make fuzz` searches for longer.
FUZZTIME="${TEST_FUZZTIME:-5s}" scripts/fuzz.sh
scripts/e2e.sh
