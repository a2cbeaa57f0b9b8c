#!/bin/sh
# A throwaway PostgreSQL cluster for tests: Debian's postgresql package, a
# temporary folder, a Unix socket in it and no TCP listener.
#   tools/pg-cluster.sh start DIR   initdb + pg_ctl start; prints the DSN of database "yuanluo"
#   tools/pg-cluster.sh stop DIR    pg_ctl stop (immediate) and removes DIR
#   tools/pg-cluster.sh createdb DIR NAME   another empty database; prints its DSN
# Run as root, the server runs as the "postgres" user (initdb refuses root).
set -eu

action=${1:?usage: pg-cluster.sh start|stop|createdb DIR [NAME]}
dir=${2:?usage: pg-cluster.sh start|stop|createdb DIR [NAME]}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

owner=$(id -un)
[ "$(id -u)" = 0 ] && owner=postgres
dsn() { echo "postgresql:///$1?host=$dir&user=$owner"; }

case $action in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	as_owner "$bindir/initdb" -D "$dir/data" -U "$owner" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# fsync stays on: the tests check durability the way production runs it.
	as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200 -c shared_buffers=64MB" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_owner "$bindir/createdb" -h "$dir" -U "$owner" yuanluo
	dsn yuanluo
	;;
createdb)
	name=${3:?createdb needs a name}
	as_owner "$bindir/createdb" -h "$dir" -U "$owner" "$name"
	dsn "$name"
	;;
stop)
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "pg-cluster: unknown action '$action'" >&2
	exit 2
	;;
esac
