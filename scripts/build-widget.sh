#!/usr/bin/env bash
# Rebuild the widget's vendored files from web/package-lock.json:
#   web/widget/vendor/socket.io.min.js   (socket.io-client, run time)
#   tests/web/vendor/axe.min.js          (axe-core, tests only)
# Run after changing a version in web/package.json, then commit the results.
# `--check` verifies the committed files match the locked packages.
set -euo pipefail
cd "$(dirname "$0")/.."
(cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

nm=web/node_modules
version() { node -p "require('./$nm/$1/package.json').version"; }
copy() { # src dest
  if [ "${CHECK:-}" = 1 ]; then cmp -s "$1" "$2" || { echo "outdated: $2" >&2; exit 1; }
  else install -m 644 "$1" "$2"; fi
}
[ "${1:-}" = "--check" ] && CHECK=1

mkdir -p web/widget/vendor tests/web/vendor
copy $nm/socket.io-client/dist/socket.io.min.js web/widget/vendor/socket.io.min.js
copy $nm/socket.io-client/LICENSE web/widget/vendor/socket.io.LICENSE
copy $nm/axe-core/axe.min.js tests/web/vendor/axe.min.js
copy $nm/axe-core/LICENSE tests/web/vendor/axe.LICENSE

versions=$(printf 'socket.io-client %s MIT web/widget/vendor/socket.io.min.js\naxe-core %s MPL-2.0 tests/web/vendor/axe.min.js\n' \
  "$(version socket.io-client)" "$(version axe-core)")
if [ "${CHECK:-}" = 1 ]; then
  [ "$versions" = "$(grep -v '^#' web/widget/vendor/VERSIONS)" ] || { echo "outdated: VERSIONS" >&2; exit 1; }
  echo "vendored files match web/package-lock.json"
else
  { echo "# package version license file (written by scripts/build-widget.sh)"; echo "$versions"; } \
    > web/widget/vendor/VERSIONS
  cat web/widget/vendor/VERSIONS
fi
