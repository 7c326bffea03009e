#!/usr/bin/env bash
# Builds the release app and its Linux bundles (.deb, AppImage) with the Tauri CLI from npm, in
# CARGO_TARGET_DIR (default target-app-release), and prints the sizes. Used by docs/benchmarks.md
# ("App"). The UI is embedded as it is in ui/dist: build it first (`npm run build` in ui/).
#
#   bench/app/build-bundle.sh            # .deb and AppImage
#   BUNDLES=deb bench/app/build-bundle.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target-app-release}"
bundles="${BUNDLES:-deb,appimage}"

if [ ! -x "$here/node_modules/.bin/tauri" ]; then
  (cd "$here" && npm install --no-audit --no-fund)
fi

cd "$root/src-tauri"
status=0
# bundle.active is false in tauri.conf.json (day-to-day builds do not bundle); turn it on here.
nice -n 10 "$here/node_modules/.bin/tauri" build --ci --bundles "$bundles" \
  --config '{"bundle":{"active":true}}' || status=$?

release="$CARGO_TARGET_DIR/release"
echo
echo "== sizes (bytes) =="
for f in "$release/ladder-app" "$release"/bundle/deb/*.deb "$release"/bundle/appimage/*.AppImage; do
  [ -f "$f" ] && printf '%12d  %s\n' "$(stat -c %s "$f")" "${f#"$root"/}"
done
if [ -f "$release/ladder-app" ]; then
  strip -o "$release/ladder-app.stripped" "$release/ladder-app"
  printf '%12d  %s (stripped copy)\n' "$(stat -c %s "$release/ladder-app.stripped")" "${release#"$root"/}/ladder-app.stripped"
fi
exit $status
