#!/usr/bin/env bash
# Installs everything Kluis needs on a fresh Debian/Ubuntu machine: system
# packages (via sudo when not root), tauri-driver, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
    build-essential pkg-config libssl-dev libdbus-1-dev
    libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev
    webkit2gtk-driver xvfb xauth xdotool gnome-keyring dbus-x11 dbus-daemon python3-dbusmock libglib2.0-bin xclip openbox postgresql openssl imagemagick procps libsecret-tools poppler-utils
)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    echo "setup: installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

if ! command -v tauri-driver >/dev/null 2>&1; then
    echo "setup: installing tauri-driver"
    cargo install tauri-driver --locked --version '^2'
fi
if ! command -v cargo-nextest >/dev/null 2>&1; then
    echo "setup: installing cargo-nextest"
    cargo install cargo-nextest --locked
fi

for directory in ui tests/e2e; do
    if [ ! -d "$directory/node_modules" ] || [ "$directory/package-lock.json" -nt "$directory/node_modules/.package-lock.json" ]; then
        echo "setup: npm ci in $directory"
        (cd "$directory" && npm ci --no-audit --no-fund --loglevel=error)
    fi
done
