#!/usr/bin/env bash
# Builds the release app and its Linux bundles (.deb, AppImage) with the Tauri CLI from npm, in
# CARGO_TARGET_DIR (default target-app-release), and prints the sizes. Used by docs/benchmarks.md
# ("App"). The UI is embedded as it is in ui/dist: build it first (`npm run build` in ui/).
#
# The bundles ship the binary without debug information: between the build and the bundling
# (Tauri's beforeBundleCommand) `strip --strip-debug` removes the line tables that the release
# profile keeps for local backtraces (155 MB -> 25 MB); the symbol table stays, so a crash report
# still names functions. The stripped binary replaces the build output in place (cargo rebuilds
# it, with line tables, when a source changes).
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
release="$CARGO_TARGET_DIR/release"
# bundle.active is false in tauri.conf.json (day-to-day builds do not bundle); turn it on here.
strip_cmd="strip --strip-debug '$release/ladder-app'"
nice -n 10 "$here/node_modules/.bin/tauri" build --ci --bundles "$bundles" \
  --config "{\"bundle\":{\"active\":true},\"build\":{\"beforeBundleCommand\":\"$strip_cmd\"}}" || status=$?

echo
echo "== sizes (bytes) =="
for f in "$release/ladder-app" "$release"/bundle/deb/*.deb "$release"/bundle/appimage/*.AppImage; do
  [ -f "$f" ] && printf '%12d  %s\n' "$(stat -c %s "$f")" "${f#"$root"/}"
done
exit $status
