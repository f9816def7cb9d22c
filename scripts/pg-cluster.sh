#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benches (PostgreSQL 15 from Debian).
#
#   bash scripts/pg-cluster.sh install          apt-get install -y postgresql when missing (root)
#   bash scripts/pg-cluster.sh start <dir>      initdb into <dir> (new), start on a free port of
#                                               127.0.0.1; prints the admin URL on stdout
#   bash scripts/pg-cluster.sh stop <dir>       stop it and remove <dir>
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user (made
# by the Debian package) and runs through runuser. Trust authentication on loopback only: the
# cluster lives as long as one test run and holds nothing but test data.
set -euo pipefail

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

as_owner() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
	node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

case "${1:-}" in
install)
	if [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ]; then
		echo "PostgreSQL present: $("$PG_BIN/postgres" --version)" >&2
		exit 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "PostgreSQL is missing and this is not root: run 'sudo apt-get install -y postgresql'" >&2
		exit 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	# the package starts a system cluster on 5432; the tests use their own
	;;
start)
	dir=${2:?usage: pg-cluster.sh start <dir>}
	[ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL binaries (run: pg-cluster.sh install)" >&2; exit 1; }
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
	chmod 700 "$dir"
	as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	port=$(free_port)
	# fsync off: a test cluster is thrown away after the run, crash safety is not what it measures
	# (the bench starts its own with BENCH_PG_FSYNC=on to keep the server's durability cost)
	as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PG_FSYNC:-off} -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "$port" >"$dir/port"
	echo "postgres://postgres@127.0.0.1:$port/postgres"
	;;
stop)
	dir=${2:?usage: pg-cluster.sh stop <dir>}
	if [ -d "$dir/data" ]; then as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh install | start <dir> | stop <dir>" >&2
	exit 2
	;;
esac
