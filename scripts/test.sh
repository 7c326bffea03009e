#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian 12 machine (as root) and runs every test:
# formatting, lints, the Rust test suites of every crate, the UI unit tests and the end-to-end
# tests of the real app window under Xvfb. README.md promises this command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "System and npm dependencies"
bash scripts/setup-app-deps.sh

# The UI must be built before the app crate compiles (Tauri embeds ui/dist).
step "UI build"
(cd ui && npm run build --silent)

step "Formatting"
cargo fmt --all --check

step "Lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (every crate)"
cargo test --workspace --locked

step "UI unit tests and end-to-end tests in the app window"
bash scripts/test-app.sh

echo
echo "All test suites passed."
