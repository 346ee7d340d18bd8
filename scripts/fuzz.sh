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
for dir in $(grep -rl --include='*_test.go' '^func Fuzz' cmd internal | xargs -n1 dirname | sort -u); do
	for target in $(go test -list '^Fuzz' "./$dir" | grep '^Fuzz'); do
		echo "fuzz: ./$dir $target for $fuzztime" >&2
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$dir" || status=1
	done
done
exit "$status"
