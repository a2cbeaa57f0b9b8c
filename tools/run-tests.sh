#!/bin/sh
# Runs every test suite and ends with one line: "N passed, N failed".
#   unit tests (cmocka), the same under ASan+UBSan, the API tests (node:test),
#   the browser tests when present, and a smoke run of each fuzz target.
# A suite that crashes or prints no counts is counted as one failure.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
log_dir=build/test-logs
mkdir -p "$log_dir"

add() { passed=$((passed + $1)); failed=$((failed + $2)); }

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)" (on stderr with CMOCKA_MESSAGE_OUTPUT unset).
run_cmocka() {
	bin=$1
	name=$(basename "$bin")
	out="$log_dir/$name$2.log"
	"$bin" > "$out" 2>&1
	rc=$?
	# A binary may run several groups: each prints its own counts.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, or a sanitizer stopped it
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name$2 ($p passed, $f failed):"
		sed 's/^/    /' "$out" | tail -n 40
	else
		echo "ok   $name$2 ($p tests)"
	fi
	add "$p" "$f"
}

# "api": only the API tests (tools/test-pg.sh runs them against PostgreSQL).
only=${1:-}

if [ "$only" != api ]; then
echo "== unit tests"
for t in build/tests/test_*; do
	[ -x "$t" ] && run_cmocka "$t" ""
done
echo "== unit tests under ASan+UBSan"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/tests-asan/test_*; do
	[ -x "$t" ] && run_cmocka "$t" " (asan)"
done
fi

# Under make test-pg: the store's own tests again, on PostgreSQL (tests/unit/test_store.c).
if [ "$only" = api ] && [ -n "${YUANLUO_TEST_PG_DSN:-}" ] && [ -x build/tests/test_store ]; then
	echo "== store unit tests on PostgreSQL"
	run_cmocka build/tests/test_store " (postgresql)"
fi

# --test-concurrency came with Node.js 20.10; Debian 12's own nodejs is 18, which runs files in parallel anyway.
node_flags="--test --test-reporter=tap"
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 10) ? 0 : 1)'; then
	node_flags="$node_flags --test-concurrency=2"
fi

run_node() {
	label=$1
	shift
	out="$log_dir/$label.log"
	# shellcheck disable=SC2086
	node $node_flags "$@" > "$out" 2>&1
	rc=$?
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "FAIL $label ($p passed, $f failed); failures:"
		grep -E '^ *not ok|error:|expected|actual|Error' "$out" | head -n 60 | sed 's/^/    /'
		echo "    (full log: $out)"
	else
		echo "ok   $label ($p tests)"
	fi
	add "$p" "$f"
}

api_tests=$(ls tests/api/*.test.mjs 2>/dev/null)
if [ -n "$api_tests" ]; then
	echo "== API tests"
	# shellcheck disable=SC2086
	run_node "api${YUANLUO_TEST_PG:+-pg}" $api_tests
fi
e2e_tests=$(ls tests/e2e/*.test.mjs 2>/dev/null)
if [ -n "$e2e_tests" ] && [ "$only" != api ]; then
	echo "== browser tests"
	# shellcheck disable=SC2086
	run_node e2e $e2e_tests
fi

# libFuzzer targets (make fuzz-build): every regression input, then a few seconds of each target.
if [ "$only" != api ] && ls build/fuzz/fuzz_* > /dev/null 2>&1; then
	echo "== fuzz smoke"
	out="$log_dir/fuzz-smoke.log"
	sh tools/fuzz.sh smoke "${FUZZ_SMOKE_SECONDS:-3}" > "$out" 2>&1
	rc=$?
	sed -n '/^ok\|^FAIL\|^    /p' "$out"
	p=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^fuzz: [0-9]* passed, \([0-9]*\) failed/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	add "$p" "$f"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
