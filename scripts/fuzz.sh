#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 1m) against the test database.
# `make test` already runs each target's seed corpus and testdata/fuzz files once, as plain tests;
# this searches for new failures. go test saves an input that fails to the package's testdata/fuzz
# folder, where it stays as a regression test once the bug is fixed. Called by `make fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-1m}"

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	line=$(scripts/db.sh coach_test | tail -n 1)
	export TEST_DATABASE_URL="${line#DATABASE_URL=}"
fi

status=0
summary=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' cmd internal | xargs -n1 dirname | sort -u); do
	for target in $(go test -list '^Fuzz' "./$dir" | grep '^Fuzz'); do
		echo "fuzz: ./$dir $target for $fuzztime" >&2
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$dir" 2>&1 | tee "$log" || status=1
		# go test prints "fuzz: elapsed: 5s, execs: 48831 (19733/sec), ..."; the last such line has the totals.
		last=$(grep -o 'elapsed: [0-9]*s, execs: [0-9]*' "$log" | tail -n 1 || true)
		elapsed=$(echo "$last" | sed -n 's/elapsed: \([0-9]*\)s.*/\1/p')
		execs=$(echo "$last" | sed -n 's/.*execs: \([0-9]*\)/\1/p')
		rate="?"
		if [ -n "$elapsed" ] && [ "$elapsed" -gt 0 ]; then rate=$((execs / elapsed)); fi
		summary+=$(printf '%-22s %-30s %10s execs %8s/s' "./$dir" "$target" "${execs:-?}" "$rate")$'\n'
	done
done
echo "fuzz: executions per target (including the time spent on the seed corpus):" >&2
printf '%s' "$summary" >&2
exit "$status"
