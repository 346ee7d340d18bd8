#!/usr/bin/env bash
# scripts/searchlatency.sh [URL] - 200 POST /api/v1/search requests (the 32 questions of
# internal/postgres/hybrid_recall_test.go, cycled, k=5) against a served instance (default
# http://127.0.0.1:8080, whose COACH_SEARCH_RATE_LIMIT must allow them); prints p50/p99 of curl's
# time_total.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:-http://127.0.0.1:8080}
mapfile -t qs < <(grep -o '{"[^"]*", \[\]string' internal/postgres/hybrid_recall_test.go | sed 's/^{"//; s/", \[\]string$//')
for i in $(seq 0 199); do
  q=${qs[$((i % ${#qs[@]}))]}
  curl -s -o /dev/null -w '%{time_total}\n' -H 'Content-Type: application/json' "$url/api/v1/search" -d "{\"query\":\"$q\",\"k\":5}"
done | sort -n | awk '{a[NR]=$1} END {printf "n=%d p50=%.0fms p99=%.0fms\n", NR, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}'
