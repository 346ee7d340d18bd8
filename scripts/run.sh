#!/usr/bin/env bash
# Brings up a local database when DATABASE_URL is unset, migrates it, loads the bundled bank into an
# empty bank, embeds what the configured embedding model has not embedded yet, and serves. Called by
# `make run` after the binary is built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ] && ! grep -qs '^DATABASE_URL=.' .env; then
	line=$(scripts/db.sh | tail -n 1)
	export "${line?}"
	# Recorded in .env (which the coach command reads, and git ignores), so that the CLI finds the
	# same database from another terminal: bin/coach ingest, bin/coach keys create, ...
	printf '# The local database that make run created.\n%s\n' "$line" >>.env
	echo "run.sh: recorded DATABASE_URL in .env, for the coach command in other terminals" >&2
fi
bin/coach migrate
bin/coach ingest --builtin --if-empty
bin/coach reindex --if-needed
exec bin/coach serve
