#!/usr/bin/env bash
# A throw-away PostgreSQL for the archive tests: Debian's postgresql, initdb and pg_ctl as an
# unprivileged user (CI runs as root, and PostgreSQL refuses to run as root), data and unix
# socket in a temporary folder, no TCP.
#   pg_temp.sh start DIR   -> prints the URL of a superuser connection (database "sohoa")
#   pg_temp.sh stop DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -x "$bindir/initdb" ] || { echo "pg_temp.sh: no PostgreSQL server (apt-get install postgresql postgresql-contrib)" >&2; exit 1; }
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(runuser -u nobody --)
fi
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown nobody "$dir"
      # nobody must reach DIR: let it pass through the folder it is in (mktemp -d makes it 0700).
      chmod o+x "$(dirname "$dir")"
    fi
    chmod 700 "$dir"
    "${as_user[@]}" "$bindir/initdb" -D "$dir/data" -U sohoa_admin --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=5432
    "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c max_connections=40" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    "$bindir/createdb" -h "$dir" -p $port -U sohoa_admin sohoa
    echo "postgresql://sohoa_admin@/sohoa?host=$dir&port=$port"
    ;;
  stop)
    [ -d "$dir/data" ] && "${as_user[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
