#!/usr/bin/env bash
# Estimates of the size an AppImage of Ladder would have, measured without the AppImage tools.
#
# The Tauri bundler builds AppImages with linuxdeploy, its GTK plugin and the AppImage runtime,
# all downloaded from GitHub at bundling time; none of them is on apt, PyPI or npm, so on a
# machine without GitHub access no AppImage can be built (docs/benchmarks.md, "App"). An AppImage
# is that runtime (a small ELF, ~1 MB) followed by a squashfs image of the AppDir, so the squashfs
# of an AppDir built by hand gives its size to within the runtime:
#
#   - app: the app alone (binary without debug information, icon, .desktop file), as if
#     every library came from the system;
#   - libs: the app, WebKit's helper processes and injected bundle, and every shared
#     library they link (ldd), except the C library itself (glibc, which AppImages never carry).
#     An estimate, not a bound: linuxdeploy leaves out more libraries than that (X11, GL,
#     fontconfig, ... by its exclude list) but adds what is loaded at run time (GTK's modules,
#     gdk-pixbuf loaders, GIO modules, theme and schema files).
#
#   bench/app/appdir-size.sh [path to ladder-app]    # default: target-app-release/release/ladder-app
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="${1:-$root/target-app-release/release/ladder-app}"
[ -x "$app" ] || { echo "no app at $app: build it first (bench/app/build-bundle.sh)" >&2; exit 1; }
command -v mksquashfs >/dev/null || { echo "mksquashfs not found: apt-get install squashfs-tools" >&2; exit 1; }
webkit=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

make_appdir() { # $1: AppDir
  mkdir -p "$1/usr/bin" "$1/usr/share/applications" "$1/usr/share/icons/hicolor/512x512/apps"
  strip --strip-debug -o "$1/usr/bin/ladder-app" "$app"
  cp "$root/src-tauri/icons/icon.png" "$1/usr/share/icons/hicolor/512x512/apps/ladder-app.png"
  cp "$root/src-tauri/icons/icon.png" "$1/ladder-app.png"
  printf '[Desktop Entry]\nType=Application\nName=Ladder\nExec=ladder-app\nIcon=ladder-app\nCategories=Education;\n' \
    >"$1/usr/share/applications/ladder-app.desktop"
  cp "$1/usr/share/applications/ladder-app.desktop" "$1/ladder-app.desktop"
  printf '#!/bin/sh\nhere="$(dirname "$(readlink -f "$0")")"\nexec "$here/usr/bin/ladder-app" "$@"\n' >"$1/AppRun"
  chmod +x "$1/AppRun"
}

squash() { # $1: AppDir, $2: compression
  mksquashfs "$1" "$work/out.squashfs" -comp "$2" -noappend -quiet -no-progress -all-root -processors 1 >/dev/null
  stat -c %s "$work/out.squashfs"
}

make_appdir "$work/app"

make_appdir "$work/libs"
helpers=("$webkit/WebKitWebProcess" "$webkit/WebKitNetworkProcess" "$webkit/injected-bundle/libwebkit2gtkinjectedbundle.so")
mkdir -p "$work/libs/usr/lib/webkit2gtk-4.1/injected-bundle"
cp "$webkit/WebKitWebProcess" "$webkit/WebKitNetworkProcess" "$work/libs/usr/lib/webkit2gtk-4.1/"
cp "$webkit/injected-bundle/libwebkit2gtkinjectedbundle.so" "$work/libs/usr/lib/webkit2gtk-4.1/injected-bundle/"
# The C library's own objects are never bundled.
glibc='^(libc|libm|libdl|librt|libpthread|libresolv|libutil|ld-linux-x86-64)\.so'
ldd "$app" "${helpers[@]}" | awk '/=> \// { print $3 }' | sort -u | while read -r lib; do
  name="$(basename "$lib")"
  [[ $name =~ $glibc ]] && continue
  cp -L "$lib" "$work/libs/usr/lib/$name"
done
libs=$(find "$work/libs/usr/lib" -maxdepth 1 -name '*.so*' | wc -l)

printf '%-58s %12s %12s %12s\n' "AppDir" "files (B)" "gzip (B)" "zstd (B)"
for kind in app libs; do
  files=$(du -sb "$work/$kind" | cut -f1)
  printf '%-58s %12d %12d %12d\n' "$kind: $([ $kind = app ] && echo 'the app alone' || echo "the app, WebKit helpers and $libs libraries")" \
    "$files" "$(squash "$work/$kind" gzip)" "$(squash "$work/$kind" zstd)"
done
