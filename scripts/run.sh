#!/usr/bin/env bash
# Brings up a local database when DATABASE_URL is unset, migrates it, loads the bundled bank into an
# empty bank, embeds what the configured embedding model has not embedded yet, and serves. Called by
# `make run` after the binary is built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${DATABASE_URL:-}" ] && ! grep -qs '^DATABASE_URL=.' .env; then
	line=$(scripts/db.sh | tail -n 1)
	export "${line?}"
fi
bin/coach migrate
bin/coach ingest --builtin --if-empty
bin/coach reindex --if-needed
exec bin/coach serve
