#!/usr/bin/env bash
# Builds the UI and the desktop app (debug) and starts it; the sample packs are its preload folder.
#
#   scripts/run-app.sh [--data-dir DIR]
#
# Data directory: --data-dir, else $LADDER_DATA_DIR, else .ladder-data/ in the repository
# (git-ignored). Preload folder (installed on start when new or newer): $LADDER_PACKS_DIR, else
# assets/packs. Respects CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

scripts/setup-app-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

(cd ui && npm run build)
cargo build -p ladder-app

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  echo "run-app: no DISPLAY: start an X server, or try: xvfb-run -a scripts/run-app.sh" >&2
  exit 1
fi

export LADDER_DATA_DIR="${LADDER_DATA_DIR:-$root/.ladder-data}"
export LADDER_PACKS_DIR="${LADDER_PACKS_DIR:-$root/assets/packs}"
target="${CARGO_TARGET_DIR:-target}"
[[ $target = /* ]] || target="$root/$target"
echo "run-app: data in $LADDER_DATA_DIR, preloading packs from $LADDER_PACKS_DIR"
exec "$target/debug/ladder-app" "$@"
