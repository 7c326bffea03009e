#!/usr/bin/env bash
# Installs what building, running and testing the desktop app needs, and nothing that is already
# there: safe to run again and again (scripts/run-app.sh and scripts/test-app.sh call it first).
#
#   - apt packages (Debian 12): the WebKitGTK/GTK headers, Xvfb + xauth, WebKitWebDriver, a C
#     toolchain, pkg-config, poppler-utils (pdftotext/pdffonts check the PDF reports),
#     fonts-dejavu-core (the TrueType font a PDF report embeds for names beyond Latin-1), and
#     xdotool (the end-to-end test types a path into the real GTK file dialog).
#     `apt-get update` runs once, and only when something is missing.
#   - tauri-driver (cargo install), the WebDriver bridge the end-to-end tests talk to.
#   - ui/node_modules, with `npm ci`, when it is missing or older than ui/package-lock.json.
#
# Needs root (or sudo) only when an apt package is missing. Node >= 20.19 and the Rust toolchain
# (rustup; rust-toolchain.toml pins the version) must already be installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup-app-deps: %s\n' "$*"; }
die() { printf 'setup-app-deps: error: %s\n' "$*" >&2; exit 1; }

# --- apt packages ----------------------------------------------------------------------------
APT_PACKAGES=(
  build-essential
  pkg-config
  libwebkit2gtk-4.1-dev
  xvfb
  xauth
  webkit2gtk-driver
  poppler-utils
  fonts-dejavu-core
  xdotool
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null || die "missing packages ${missing[*]}, and this is not a Debian-like system"
  if [[ $EUID -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    die "missing apt packages: ${missing[*]} (run this script as root, or install them)"
  fi
  say "installing ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- Rust and tauri-driver -------------------------------------------------------------------
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"

if ! command -v tauri-driver >/dev/null; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked --version '^2'
fi

# --- Node and the UI's packages --------------------------------------------------------------
command -v node >/dev/null || die "node not found: install Node.js 20.19 or newer (Vite 7 needs it)"
node -e '
  const [maj, min] = process.versions.node.split(".").map(Number);
  if (maj < 20 || (maj === 20 && min < 19)) {
    console.error(`setup-app-deps: error: Node ${process.versions.node} is too old; Vite 7 needs 20.19 or newer`);
    process.exit(1);
  }'

# node_modules is stale when it was installed from another package-lock.json.
lock_hash=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
stamp=ui/node_modules/.ladder-lock-sha256
if [[ ! -d ui/node_modules || ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
  say "installing the UI's packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund)
  printf '%s\n' "$lock_hash" >"$stamp"
fi
