#!/bin/sh
# Runs the API test suite with the wall clock moved (libfaketime) to chosen dates, so that the
# product and its tests are shown right on any day of the year, not only on the day CI runs:
# the last week of December (28th, and 31st at 23:30), New Year's Day just after midnight (the first of a
# month and of a year whose official calendar is not shipped: the provisional calendar), and the eve of
# the Spring Festival.  Other dates: tools/test-dates.sh DATE...
# Every process of a run (node, the servers and CLI calls it starts) reads the same moved clock.
#   tools/test-dates.sh [DATE ...]     DATE as 2026-12-28T10:00:00+08:00 (default: the list below)
#   TEST_DATES_FILES="tests/api/a.test.mjs ..."  only these files (default: every API test)
#   TEST_DATES_PG=1    against a throwaway PostgreSQL cluster, as make test-pg (its server keeps the real
#                      clock: the product takes every instant from its own clock, never from the database)
# Ends with "N passed, N failed" over all dates.
set -u
cd "$(dirname "$0")/.."

lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
if [ -z "$lib" ]; then
	echo "test-dates: libfaketime is missing (Debian package faketime: run make deps as root)" >&2
	exit 1
fi
if [ $# -eq 0 ]; then
	# The next of each kind from the year of today's clock, so the dates stay ahead of the shipped years.
	y=$(date -u +%Y)
	n=$((y + 1))
	set -- "$y-12-28T10:00:00+08:00" "$y-12-31T23:30:00+08:00" "$n-01-01T00:10:00+08:00" \
		"$(/usr/bin/python3 -c "from lunardate import LunarDate as L; import datetime as d; print(L($n,1,1,0).toSolarDate() - d.timedelta(days=1))")T15:00:00+08:00"
fi
files=${TEST_DATES_FILES:-$(ls tests/api/*.test.mjs)}
if [ "${TEST_DATES_PG:-}" = 1 ]; then
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/yuanluo-pg.XXXXXX")
	rmdir "$pgdir"
	trap 'sh tools/pg-cluster.sh stop "$pgdir"' EXIT INT TERM
	sh tools/pg-cluster.sh start "$pgdir" >/dev/null || { echo "0 passed, 1 failed"; exit 1; }
	YUANLUO_TEST_PG=$pgdir
	export YUANLUO_TEST_PG
fi
log_dir=build/test-logs/dates
mkdir -p "$log_dir"
passed=0
failed=0
for at in "$@"; do
	now=$(date -u +%s)
	then_=$(date -u -d "$at" +%s) || { echo "test-dates: not a date: $at" >&2; exit 2; }
	offset=$((then_ - now))
	out="$log_dir/$(echo "$at" | tr -c 'A-Za-z0-9\n-' '_').log"
	echo "== API tests at $at (clock moved ${offset} s)"
	# The monotonic clock is moved too: see clockEnv in tests/api/harness.mjs.
	# shellcheck disable=SC2086
	LD_PRELOAD=$lib FAKETIME="+$offset" FAKETIME_DONT_RESET=1 \
		timeout 1200 node --test --test-reporter=tap --test-concurrency=2 $files > "$out" 2>&1
	rc=$?
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ] || [ "$p" -eq 0 ]; then
		[ "$f" -eq 0 ] && f=1
		echo "FAIL at $at ($p passed, $f failed):"
		grep -E '^ *not ok|error:|expected|actual' "$out" | head -n 40 | sed 's/^/    /'
		echo "    (full log: $out)"
	else
		echo "ok   at $at ($p tests)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
