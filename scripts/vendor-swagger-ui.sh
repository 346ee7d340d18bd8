#!/usr/bin/env bash
# Vendors Swagger UI (swagger-ui-dist, Apache-2.0) into web/static/vendor/swagger-ui/ for the API
# reference page (web/static/api-docs.html), which renders the OpenAPI document the binary serves.
# Fetched with npm's own client, at the pinned version, with its licence, notice and the licences of
# what its bundle contains. Run again to update; review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=${SWAGGER_UI_VERSION:-5.35.0}
DEST=web/static/vendor/swagger-ui
command -v npm >/dev/null || { echo "vendor-swagger-ui: npm is missing" >&2; exit 1; }

work=$(mktemp -d -t swagger-ui.XXXXXXXX)
trap 'rm -rf -- "$work"' EXIT
(cd "$work" && npm pack "swagger-ui-dist@$VERSION" --silent >/dev/null)
tar -xzf "$work/swagger-ui-dist-$VERSION.tgz" -C "$work"
rm -rf -- "$DEST"
mkdir -p "$DEST"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
	cp "$work/package/$f" "$DEST/$f"
done
# The bundle's comment points at a source map that is not vendored: drop it, so browsers ask for
# nothing that is not there.
sed -i '/^\/\/# sourceMappingURL=/d' "$DEST/swagger-ui-bundle.js"
sed -i 's#/\*\# sourceMappingURL=[^*]*\*/##' "$DEST/swagger-ui.css"
printf 'swagger-ui-dist %s, vendored by scripts/vendor-swagger-ui.sh\n' "$VERSION" >"$DEST/VERSION"
echo "vendor-swagger-ui: swagger-ui-dist $VERSION in $DEST" >&2
