#!/usr/bin/env bash
# Starts the app. Without a reachable Secret Service (no desktop session, e.g.
# over SSH), it starts a private one whose keyring is kept beside the profile,
# so the demo vault's device secret survives between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${CARGO_TARGET_DIR:-target}/debug/kluis"
profile=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" = "--profile" ] && profile="${args[$((i + 1))]}"
done
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && dbus-send --session --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.ListNames 2>/dev/null | grep -q org.freedesktop.secrets; then
    exec "$binary" "$@"
fi
export KLUIS_KEYRING_DATA="${profile:-$HOME/.local/share/kluis}/keyring"
if [ -z "${DISPLAY:-}" ]; then
    echo "run-app: no DISPLAY; starting a virtual one (Xvfb) — use a desktop session to see the window" >&2
    exec xvfb-run -a -s "-screen 0 1280x900x24" scripts/with-keyring.sh "$binary" "$@"
fi
exec scripts/with-keyring.sh "$binary" "$@"
