#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian 12 machine (as root) and runs every test:
# formatting, lints, the Rust test suites of every crate, the UI unit tests and the end-to-end
# tests of the real app window under Xvfb. README.md promises this command; .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# Keep a copy of everything printed, to total the test counts of every runner at the end.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
exec > >(tee "$log") 2>&1

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

# One closing line over all runners: cargo's "test result:" lines and vitest's "Tests" line.
passed=$(grep -aoE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
failed=$(grep -aoE '[0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$3} END {print s+0}')
vitest=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -aE '^ *Tests +[0-9]+ passed' | grep -oE '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
echo
echo "All test suites passed."
echo "Total: $((passed + vitest)) passed, $failed failed"
