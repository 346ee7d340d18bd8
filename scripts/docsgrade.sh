#!/usr/bin/env bash
# scripts/docsgrade.sh [URL] - grades a fixed answer to each typed question of
# internal/postgres/hybrid_recall_test.go (32 the Django documentation answers, 12 it does not)
# against a served instance (default http://127.0.0.1:8080; COACH_RATE_LIMIT must allow 44
# gradings) and counts the outcomes per set: graded against the documentation, against a bank
# question, or refused (422). Prints each documentation-grounded grade's cited sections.
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:-http://127.0.0.1:8080}
answer="It is handled by Django through a setting and the framework does it for you automatically."
t=internal/postgres/hybrid_recall_test.go
{
	grep -o '{"[^"]*", \[\]string' "$t" | sed 's/^{"//; s/", \[\]string$//; s/^/docs\t/'
	sed -n '/^var offDocsQuestions/,/^}/p' "$t" | grep -o '"[^"]*"' | tr -d '"' | sed 's/^/other\t/'
} | while IFS=$'\t' read -r set q; do
	body=$(jq -nc --arg q "$q" --arg a "$answer" '{question: $q, answer: $a}')
	out=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' "$url/api/v1/grade" -d "$body")
	code=${out##*$'\n'}
	json=${out%$'\n'*}
	if [[ $code == 200 ]]; then
		in=$(jq -r '.grounded_in // (if .grounded then "bank" else "ungrounded" end)' <<<"$json")
		printf '%s\t%s\t%s\n' "$set" "$in" "$q"
		[[ $in != docs ]] || jq -r '.references[] | select(.kind == "docs") | "\t\t\(.source_url)"' <<<"$json"
	else
		printf '%s\t%s\t%s\n' "$set" "$code" "$q"
	fi
done | tee /dev/stderr | awk -F'\t' 'NF == 3 && $1 != "" { n[$1 " " $2]++ } END { for (k in n) print k, n[k] }' | sort
