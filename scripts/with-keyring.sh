#!/usr/bin/env bash
# Runs a command on a private D-Bus session bus with an unlocked GNOME Keyring
# (a real Secret Service), for tests and for machines without a desktop session.
#
#   KLUIS_KEYRING_DATA=DIR  keep the keyring in DIR (default: a throwaway dir)
set -euo pipefail

if [ -z "${KLUIS_KEYRING_SESSION:-}" ]; then
    export KLUIS_KEYRING_SESSION=1
    exec dbus-run-session -- "$0" "$@"
fi

keyring_data="${KLUIS_KEYRING_DATA:-}"
if [ -z "$keyring_data" ]; then
    keyring_data="$(mktemp -d)"
    trap 'rm -rf "$keyring_data"' EXIT
fi
mkdir -p "$keyring_data"

# The keyring's password only protects the keyring file of this private
# session; it is not a user secret.
eval "$(printf 'kluis-private-session' | XDG_DATA_HOME="$keyring_data" \
    gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
