#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, on loopback with trust auth.
#
#   scripts/pg_test_server.sh start DIR   # prints the connection URL on stdout
#   scripts/pg_test_server.sh stop DIR    # stops it (DIR is left for the caller to remove)
#   scripts/pg_test_server.sh resume DIR  # starts a stopped one again (its data kept), prints the URL
#
# PG_TEST_SERVER_OPTS, if set, is appended to the server's options (later -c settings win),
# e.g. PG_TEST_SERVER_OPTS="-c shared_buffers=2GB" for a benchmark (bench/bench_pg_scale.py).
#
# Installs Debian's `postgresql` package when initdb/pg_ctl cannot be found (needs root and
# apt-get; the first install takes a minute or two). PostgreSQL refuses to run as root, so as
# root the server runs as the `postgres` system user (created if missing), which then owns DIR.
# Exit codes: 0 ok, 2 usage, 3 PostgreSQL missing and cannot be installed here (no apt-get or
# not root), 4 apt-get failed, 5 the server did not start (its log is printed on stderr).
set -euo pipefail

DB_NAME=claimgraph_test
PG_USER=postgres

say() { echo "pg_test_server: $*" >&2; }

usage() {
    say "usage: $0 start|stop|resume DIR"
    exit 2
}

find_bindir() {
    local d
    # Debian keeps the server binaries out of PATH; take the newest major version.
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
        echo "$d"
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_postgres() {
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        say "PostgreSQL (initdb, pg_ctl) is not installed and cannot be installed here" \
            "(needs root and apt-get); install it, e.g. 'apt-get install postgresql'"
        exit 3
    fi
    say "installing Debian package postgresql (takes a minute or two the first time)"
    # No default cluster: the tests start their own, on a port of their own.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/claimgraph-tests.conf
    local log
    log=$(mktemp)
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; } >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        rm -f "$log"
        say "apt-get install postgresql failed (see above)"
        exit 4
    fi
    rm -f "$log"
}

# Run a command as the server's user: ourselves, or `postgres` when we are root.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

ensure_pg_user() {
    [[ $(id -u) -eq 0 ]] || return 0
    if ! id "$PG_USER" >/dev/null 2>&1; then
        useradd --system --user-group --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin "$PG_USER"
    fi
}

free_port() {
    local py
    for py in python3 python; do
        if command -v "$py" >/dev/null 2>&1; then
            "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
            return 0
        fi
    done
    echo $((20000 + RANDOM % 40000))
}

start() {
    local dir=$1 bindir data port url
    bindir=$(find_bindir) || {
        install_postgres
        bindir=$(find_bindir) || {
            say "postgresql was installed but initdb/pg_ctl are still not found"
            exit 3
        }
    }
    ensure_pg_user
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    data="$dir/data"
    if [[ -e "$data" ]]; then
        say "$data already exists; stop that server and remove $dir first"
        exit 2
    fi
    if [[ $(id -u) -eq 0 ]]; then
        chown "$PG_USER:" "$dir"
        chmod 700 "$dir"
        if ! as_pg test -w "$dir"; then
            say "user $PG_USER cannot write to $dir (a parent folder is closed to it); use a folder under /tmp"
            exit 2
        fi
    fi
    as_pg "$bindir/initdb" -D "$data" -U "$PG_USER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        say "initdb failed"
        exit 5
    }
    run_server "$bindir" "$dir" yes
}

# Start the server of $2/data on a free port (creating the database when $3 is "yes") and
# print its URL. Port races with other processes are possible: retry on another port.
run_server() {
    local bindir=$1 dir=$2 create=$3 data=$2/data port url try
    for try in 1 2 3 4 5; do
        port=$(free_port)
        if as_pg "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start -o \
            "-c listen_addresses=127.0.0.1 -c port=$port -k $data -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c max_connections=40 \
             -c shared_buffers=32MB ${PG_TEST_SERVER_OPTS:-}" >"$dir/pg_ctl.log" 2>&1; then
            echo "$port" >"$dir/port"
            if [[ $create == yes ]]; then
                as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$PG_USER" "$DB_NAME"
            fi
            url="postgresql://$PG_USER@127.0.0.1:$port/$DB_NAME"
            say "server up: $url (data in $data)"
            echo "$url"
            return 0
        fi
        say "start on port $port failed (try $try)"
    done
    cat "$dir/pg_ctl.log" "$data/server.log" >&2 || true
    say "the server did not start"
    exit 5
}

resume() {
    local dir=$1 bindir
    dir=$(cd "$dir" 2>/dev/null && pwd) || {
        say "$1 does not exist; use start"
        exit 2
    }
    if [[ ! -d "$dir/data" ]]; then
        say "$dir/data does not exist; use start"
        exit 2
    fi
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        say "the server in $dir is running already (stop it first)"
        exit 2
    fi
    bindir=$(find_bindir) || {
        say "PostgreSQL (initdb, pg_ctl) is not installed"
        exit 3
    }
    run_server "$bindir" "$dir" no
}

stop() {
    local dir=$1 bindir
    dir=$(cd "$dir" 2>/dev/null && pwd) || return 0
    [[ -f "$dir/data/postmaster.pid" ]] || return 0
    bindir=$(find_bindir) || return 0
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    say "server in $dir stopped"
}

[[ $# -eq 2 ]] || usage
case "$1" in
start) start "$2" ;;
stop) stop "$2" ;;
resume) resume "$2" ;;
*) usage ;;
esac
