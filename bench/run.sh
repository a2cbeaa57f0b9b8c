#!/bin/sh
# make bench: installs wrk when missing (Debian; the benchmark's own dependency, not the product's),
# then runs bench/run.mjs (see there for BENCH_ORDERS, BENCH_SECONDS, BENCH_CONNS, BENCH_DIR, BENCH_KEEP).
set -eu
cd "$(dirname "$0")/.."
if ! command -v wrk > /dev/null 2>&1; then
	if [ "$(id -u)" = 0 ]; then
		echo "bench: installing wrk"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk
	else
		echo "bench: wrk is missing: run as root: apt-get install -y wrk" >&2
		exit 1
	fi
fi
exec node bench/run.mjs
