#!/usr/bin/env bash
# scripts/bench-import.sh [N] [FILES] - the import benchmark (internal/ingest/benchimport_test.go):
# the bundled bank, then FILES (default 2) generated CSV files of N questions each (default 1000,
# three passages per question) imported one after the other with the local embedder, in a schema of
# its own on the test database. Prints passages/s per file and the time spent in each store method.
# A file is a bulk load (the passage vector index built after it) when the product would make it
# one (COACH_BULK_INDEX_MIN's default); BENCH_IMPORT_BULK=off inserts every vector into the index.
# Loopback only; the schema is dropped at the end. Called by `make bench-import N=... FILES=...`;
# not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-${N:-1000}}
FILES=${2:-${FILES:-2}}
for v in "$N" "$FILES"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench-import.sh: N and FILES must be positive whole numbers, not '$v'" >&2; exit 2; }
done
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
echo "bench-import: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(psql "$TEST_DATABASE_URL" -Atc 'SELECT version()' | cut -d, -f1)"
BENCH_IMPORT_N=$N BENCH_IMPORT_FILES=$FILES go test -v -tags benchscale -run '^TestBenchImport$' -count=1 -timeout 90m ./internal/ingest/ |
	grep --line-buffered -E "^bench-import|FAIL|---|_test.go"
