#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 for the tests; print its URL on stdout.
# Installs Debian's postgresql when it is missing. Prints nothing (and says why on stderr) when it
# cannot, and the PostgreSQL tests then skip with that message.
set -uo pipefail
port="${NARRASCOPE_PG_PORT:-54329}"
dir="${TMPDIR:-/tmp}/narrascope-pg-$port"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$bin" ]] && command -v apt-get >/dev/null 2>&1; then
  sudo_cmd=""
  [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null; } \
    || { echo "ci: could not install postgresql" >&2; exit 0; }
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[[ -n "$bin" ]] || { echo "ci: no postgresql server found" >&2; exit 0; }
# The server refuses to run as root: it runs as the postgres user Debian's package made.
as=()
if [[ "$(id -u)" == 0 ]]; then
  id postgres >/dev/null 2>&1 || { echo "ci: no postgres user to run the server as" >&2; exit 0; }
  as=(runuser -u postgres --)
fi
[[ -d "$dir/data" ]] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
rm -rf "$dir" && mkdir -p "$dir" && [[ ${#as[@]} -eq 0 ]] || chown postgres "$dir"
"${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null 2>&1 \
  || { echo "ci: initdb failed" >&2; exit 0; }
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1 \
  || { echo "ci: the postgresql server did not start (see $dir/server.log)" >&2; exit 0; }
echo "postgresql://postgres@127.0.0.1:$port/postgres"
