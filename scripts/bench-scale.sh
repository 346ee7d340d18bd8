#!/usr/bin/env bash
# scripts/bench-scale.sh [N] - the scale benchmark (internal/postgres/benchscale_test.go): a
# deterministic synthetic bank of N passages (default 10000) in a schema of its own on the test
# database, then search latency through the store beside the same raw SQL, recall@10 against exact
# search, offline grading throughput at 1 and 16 concurrent gradings, HNSW build time and the sizes
# of the vector table, its TOAST and its indexes. Loopback only; the schema is dropped at the end.
# BENCH_QUERIES (default 100) and BENCH_GRADE_SECONDS (default 8) bound it. BENCH_RAW_ITERATIVE=1
# gives the raw SQL the store's iterative-scan settings as well as its ef_search. Called by
# `make bench-scale N=...`; not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-${N:-10000}}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "bench-scale.sh: N must be a positive whole number, not '$N'" >&2; exit 2; }
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi
echo "bench-scale: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB memory, $(psql "$TEST_DATABASE_URL" -Atc 'SELECT version()' | cut -d, -f1), pgvector $(psql "$TEST_DATABASE_URL" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
BENCH_N=$N go test -v -tags benchscale -run '^TestBenchScale$' -count=1 -timeout 90m ./internal/postgres/ | grep --line-buffered -E "^bench-scale|FAIL|---|Error|error"
