#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (Debian's initdb + pg_ctl in a
# temporary directory, listening on a Unix socket only) and exports how to
# reach it as KLUIS_TEST_POSTGRES ("host=… user=…", libpq key-value form).
# The cluster is removed when the command ends.
set -euo pipefail

bin_dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin_dir" ]; then
    echo "with-postgres: PostgreSQL is not installed (make setup installs it)" >&2
    exit 1
fi
cluster="$(mktemp -d)"
# initdb refuses to run as root; the cluster then belongs to a plain user.
run_as=()
if [ "$(id -u)" = "0" ]; then
    id -u kluis-pg >/dev/null 2>&1 || useradd --system --no-create-home kluis-pg
    chown kluis-pg "$cluster"
    run_as=(runuser -u kluis-pg --)
fi
cleanup() {
    "${run_as[@]}" "$bin_dir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
}
trap cleanup EXIT

"${run_as[@]}" "$bin_dir/initdb" -D "$cluster/data" -U kluis --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bin_dir/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
    -o "-c listen_addresses='' -k $cluster -c fsync=off -c max_connections=300" start >/dev/null
chmod 755 "$cluster"
export KLUIS_TEST_POSTGRES="host=$cluster user=kluis"
"$@"
