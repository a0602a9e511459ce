#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL (Debian's initdb + pg_ctl in a
# temporary directory) and exports how to reach it, in libpq key-value form:
# KLUIS_TEST_POSTGRES over a Unix socket, and KLUIS_TEST_POSTGRES_TLS over TLS
# on 127.0.0.1 with a certificate from a CA made here (openssl), so the store's
# TLS to its database is tested for real. The cluster is removed when the
# command ends.
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

tls="$cluster/tls"
mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=Kluis test database CA" -keyout "$tls/ca.key" -out "$tls/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=localhost" \
    -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' \
    >"$tls/server.ext"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 2 -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
chmod 600 "$tls/server.key"
[ "${#run_as[@]}" -gt 0 ] && chown -R kluis-pg "$tls"
port=$((20000 + RANDOM % 20000))

"${run_as[@]}" "$bin_dir/initdb" -D "$cluster/data" -U kluis --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$bin_dir/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -k $cluster -c fsync=off -c max_connections=300 \
        -c ssl=on -c ssl_cert_file=$tls/server.crt -c ssl_key_file=$tls/server.key" start >/dev/null
chmod 755 "$cluster" "$tls"
chmod 644 "$tls/ca.pem"
export KLUIS_TEST_POSTGRES="host=$cluster port=$port user=kluis"
export KLUIS_TEST_POSTGRES_TLS="host=127.0.0.1 port=$port user=kluis sslmode=verify-full sslrootcert=$tls/ca.pem"
"$@"
