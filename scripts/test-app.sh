#!/usr/bin/env bash
# Tests the desktop app: UI unit tests (vitest), the shell's Rust tests, then the end-to-end test
# in the real window under Xvfb (tests/e2e). Saves screenshots to docs/screenshots/.
#
# Respects CARGO_TARGET_DIR. The end-to-end test starts its own Xvfb and ignores $DISPLAY, so no
# window appears on your desktop; set LADDER_E2E_USE_DISPLAY=1 to watch it on your display instead.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup-app-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "test-app: UI unit tests"
(cd ui && npm test)

echo "test-app: building the UI and the app"
(cd ui && npm run build)
cargo build -p ladder-app

echo "test-app: the shell's Rust tests"
cargo test -p ladder-app

echo "test-app: end to end"
e2e_env=(LADDER_E2E=1)
if [[ ${LADDER_E2E_USE_DISPLAY:-} != 1 ]]; then
  e2e_env=(-u DISPLAY -u WAYLAND_DISPLAY "${e2e_env[@]}")
fi
env "${e2e_env[@]}" cargo test -p ladder-e2e -- --ignored --test-threads=1
