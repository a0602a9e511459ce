#!/usr/bin/env bash
# The installable package, tested as IT uses it (SPEC §7): build the .deb
# with Tauri's bundler, install it with apt, run `kluis --version` and
# `kluis --doctor` from /usr/bin, start the installed app under Xvfb and
# take a screenshot of its first-run screen, then remove the package.
#
# The test builds the package from the debug build the other tests use (one
# build, minutes instead of a release build's quarter of an hour on two
# cores); `make package` builds the release package IT deploys from the same
# configuration (src-tauri/tauri.conf.json, packaging/).
#
# Run under scripts/with-keyring.sh: the doctor checks the Secret Service.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

fail() {
    echo "package-test: $*" >&2
    exit 1
}

# A run cut short (a CI time-out) can leave the package installed; this is a
# test machine, so it goes before the next run installs its own.
if dpkg-query -W -f='${Status}' kluis 2>/dev/null | grep -q "install ok installed"; then
    echo "package-test: removing the kluis package a previous run left installed"
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq kluis
fi

(cd src-tauri && "$root/ui/node_modules/.bin/tauri" build --debug --bundles deb)
package=$(ls -t "$target"/debug/bundle/deb/*.deb | head -n 1)
echo "package-test: built $package ($(du -h "$package" | cut -f1))"

work=$(mktemp -d)
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq kluis >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# apt needs a path it can read as the _apt user, outside root's home.
cp "$package" "$work/kluis.deb"
chmod 644 "$work/kluis.deb"
chmod 755 "$work"
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "$work/kluis.deb"

[ -x /usr/bin/kluis ] || fail "/usr/bin/kluis was not installed"
[ -f /usr/share/applications/Kluis.desktop ] || fail "no desktop entry"
grep -q '^Exec=kluis' /usr/share/applications/Kluis.desktop || fail "the desktop entry does not start kluis"
[ -f /usr/share/icons/hicolor/128x128/apps/kluis.png ] || fail "no icon"
[ -f /etc/kluis/policy.json.sample ] || fail "no sample policy"

version=$(/usr/bin/kluis --version)
expected="kluis $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2)"
[ "$version" = "$expected" ] || fail "kluis --version said '$version', expected '$expected'"
echo "package-test: $version"

# The sample policy IT starts from is one the app accepts.
KLUIS_POLICY_FILE=/etc/kluis/policy.json.sample /usr/bin/kluis --doctor | tee "$work/doctor.txt" \
    || fail "kluis --doctor failed with the sample policy"
grep -q '^ok    policy: /etc/kluis/policy.json.sample read' "$work/doctor.txt" || fail "the doctor did not read the policy"
grep -q '^ok    keyring' "$work/doctor.txt" || fail "the doctor did not reach the keyring"
# And a broken one is caught, naming the key.
echo '{"max_idle_lock_seconds": "soon"}' >"$work/broken.json"
if KLUIS_POLICY_FILE="$work/broken.json" /usr/bin/kluis --doctor >"$work/broken.txt"; then
    fail "kluis --doctor passed a broken policy"
fi
grep -q 'max_idle_lock_seconds: wrong type' "$work/broken.txt" || fail "the doctor did not name the key"

# The installed app, on a display of its own, shows its first-run screen.
mkdir -p docs/screenshots
export WEBKIT_DISABLE_DMABUF_RENDERER=1
xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    /usr/bin/kluis --profile "$1/profile" >"$1/app.log" 2>&1 &
    app=$!
    for _ in $(seq 1 60); do
        xdotool search --name "^Kluis$" >/dev/null 2>&1 && break
        sleep 1
    done
    xdotool search --name "^Kluis$" >/dev/null 2>&1 || { echo "no window" >&2; kill $app; exit 1; }
    # The page renders after the window maps.
    sleep 8
    import -window root "$1/first-run.png"
    kill $app
' _ "$work" 2>"$work/display.log" || {
    cat "$work/display.log" "$work/app.log" >&2
    fail "the installed app did not open its window"
}
colours=$(convert "$work/first-run.png" -format '%k' info:)
[ "$colours" -gt 50 ] || fail "the screenshot is blank ($colours colours)"
cp "$work/first-run.png" docs/screenshots/package-first-run.png
echo "package-test: the installed app shows its first-run screen (docs/screenshots/package-first-run.png)"

DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get remove -y -qq kluis
[ ! -e /usr/bin/kluis ] || fail "/usr/bin/kluis is still there after removal"
echo "package-test: installed, checked and removed"
