#!/usr/bin/env bash
# Starts the app. With --demo it first starts the demo's central store (made
# once, beside the demo profile: a CA and the store's database) and, the first
# time, makes a one-time enrollment code for the demo device, which the app
# uses at the first unlock, so a newcomer sees sync work the way IT sets it up. Without a reachable Secret
# Service (no desktop session, e.g. over SSH), it starts a private one whose
# keyring is kept beside the profile, so the vault's device secret survives
# between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}/debug"
binary="$target/kluis"
profile=""
demo=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    [ "${args[$i]}" = "--profile" ] && profile="${args[$((i + 1))]}"
    [ "${args[$i]}" = "--demo" ] && demo=1
done

store_pid=""
cleanup() {
    [ -n "$store_pid" ] && kill "$store_pid" 2>/dev/null || true
}
trap cleanup EXIT

if [ "$demo" = 1 ] && [ -n "$profile" ]; then
    store="$profile/store"
    port="${KLUIS_DEMO_STORE_PORT:-8443}"
    if [ -d "$profile/vault" ] && [ ! -d "$store" ]; then
        # A demo profile made before sync has a practitioner the store cannot
        # know; its data is fictional, so it is set aside and made afresh.
        aside="$profile.before-sync.$(date +%s)"
        echo "run-app: the demo profile predates sync; moved to $aside and made afresh" >&2
        mv "$profile" "$aside"
    fi
    if [ ! -f "$store/ca/ca.pem" ]; then
        mkdir -p "$store"
        "$target/kluis-admin" --dir "$store" init --organisation "Kluis demo" >/dev/null
        "$target/kluis-admin" --dir "$store" add-practitioner --id demo-sanne-de-vries \
            --name "Sanne de Vries" --role psychologist >/dev/null
        "$target/kluis-admin" --dir "$store" enroll --practitioner demo-sanne-de-vries \
            --device demo-laptop --server-url "https://127.0.0.1:$port" \
            >"$store/enrollment-token" 2>/dev/null
    fi
    "$target/kluis-server" --dir "$store" --listen "127.0.0.1:$port" --region nl \
        >"$store/server.log" 2>&1 &
    store_pid=$!
    echo "Demo central store on https://127.0.0.1:$port (log: $store/server.log)"
    # Demo stores made before enrollment issued a device directory; they keep it.
    [ -d "$store/device" ] && args+=(--sync "$store/device")
    export KLUIS_ENROLLMENT_TOKEN_FILE="$store/enrollment-token"
fi

if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && dbus-send --session --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.ListNames 2>/dev/null | grep -q org.freedesktop.secrets; then
    "$binary" "${args[@]}"
    exit $?
fi
export KLUIS_KEYRING_DATA="${profile:-$HOME/.local/share/kluis}/keyring"
if [ -z "${DISPLAY:-}" ]; then
    echo "run-app: no DISPLAY; starting a virtual one (Xvfb) — use a desktop session to see the window" >&2
    xvfb-run -a -s "-screen 0 1280x900x24" scripts/with-keyring.sh "$binary" "${args[@]}"
    exit $?
fi
scripts/with-keyring.sh "$binary" "${args[@]}"
