#!/bin/sh
# `make test-pg`: the API test suite against PostgreSQL.  Starts a throwaway
# cluster (tools/pg-cluster.sh) in a temporary folder, runs every API test with
# each server on a database of its own in it (tests/api/harness.mjs), the
# two-servers-behind-nginx test among them, and the store's unit tests; stops
# the cluster by its data folder whatever happens.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."

dir=$(mktemp -d "${TMPDIR:-/tmp}/yuanluo-pg.XXXXXX")
rmdir "$dir"
trap 'sh tools/pg-cluster.sh stop "$dir"' EXIT INT TERM
echo "== PostgreSQL cluster in $dir"
if ! sh tools/pg-cluster.sh start "$dir" >/dev/null; then
	echo "0 passed, 1 failed"
	exit 1
fi
YUANLUO_TEST_PG=$dir
YUANLUO_TEST_PG_DSN=$(sh tools/pg-cluster.sh createdb "$dir" unit) || { echo "0 passed, 1 failed"; exit 1; }
export YUANLUO_TEST_PG YUANLUO_TEST_PG_DSN
sh tools/run-tests.sh api
