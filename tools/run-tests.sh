#!/bin/sh
# Runs every test suite and ends with one line: "N passed, N failed, N skipped".
#   unit tests (cmocka), the same under ASan+UBSan, the runner's own self-test and the API tests
#   (node:test), the browser tests when present, and every fuzz regression and seed input.
# A suite fails when a test fails, when it crashes or prints no counts (one failure), when nothing in
# it passed (a suite that ran zero tests proves nothing: one failure), and when it runs longer than
# its limit (killed with its children by timeout(1): one failure).  Skipped tests are counted and
# named under their suite.  Limits in seconds (environment):
#   TEST_TIMEOUT_UNIT (300, each unit binary), TEST_TIMEOUT_API (900, the API suite),
#   TEST_TIMEOUT_E2E (600), TEST_TIMEOUT_FUZZ (600, all fuzz inputs).
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
log_dir=build/test-logs
mkdir -p "$log_dir"

add() { passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + ${3:-0})); }

# bounded LIMIT LOG CMD...: runs CMD with its output in LOG, killed (the whole process group, then
# SIGKILL 10 s later) after LIMIT seconds; sets rc, and timed_out=1 when the limit stopped it.
# timeout(1) puts the suite in a process group of its own, out of reach of a Ctrl-C at the terminal:
# an interrupt or a stop of this script is passed on to it, and the script ends there.
tpid=
trap 'interrupted=1; [ -n "$tpid" ] && kill -TERM "$tpid" 2>/dev/null' INT TERM HUP
bounded() {
	limit=$1
	log=$2
	shift 2
	start=$(date +%s)
	timeout -k 10 "$limit" "$@" > "$log" 2>&1 &
	tpid=$!
	wait "$tpid"
	rc=$?
	while kill -0 "$tpid" 2>/dev/null; do	# a trapped signal ended the wait, not the suite
		wait "$tpid"
		rc=$?
	done
	tpid=
	if [ -n "${interrupted:-}" ]; then
		echo "interrupted: stopped during $log"
		exit 130
	fi
	timed_out=0
	# 124: timeout's SIGTERM ended it; 137 at the limit: it ignored that and the SIGKILL did.
	if [ "$rc" -eq 124 ] || { [ "$rc" -eq 137 ] && [ $(($(date +%s) - start)) -ge "$limit" ]; }; then
		timed_out=1
	fi
}

# verdict LABEL P F S LOG: prints the line for one suite; sets extra=1 when the suite fails by itself
# (killed by its limit, or nothing in it passed) and returns 1 when its own tests failed (the caller
# prints those its way).
verdict() {
	label=$1 p=$2 f=$3 s=$4 vlog=$5
	extra=0
	if [ "$timed_out" -eq 1 ]; then
		echo "FAIL $label: TIMEOUT, killed after $limit s ($p passed, $f failed before that; log: $vlog)"
		tail -n 20 "$vlog" | sed 's/^/    /'
		extra=1
	elif [ "$f" -eq 0 ] && [ "$p" -eq 0 ]; then
		echo "FAIL $label: nothing passed ($s skipped; a suite that runs no test proves nothing; log: $vlog)"
		tail -n 20 "$vlog" | sed 's/^/    /'
		extra=1
	elif [ "$f" -ne 0 ]; then
		return 1	# the caller prints the failures its way
	else
		if [ "$s" -ne 0 ]; then
			echo "ok   $label ($p tests, $s skipped)"
		else
			echo "ok   $label ($p tests)"
		fi
	fi
	return 0
}

# cmocka prints "[  PASSED  ] N test(s).", "[  FAILED  ] N test(s)" and "[  SKIPPED ] N test(s), listed
# below:" then "[  SKIPPED ] NAME" (on stderr with CMOCKA_MESSAGE_OUTPUT unset).
run_cmocka() {
	bin=$1
	name=$(basename "$bin")
	out="$log_dir/$name$2.log"
	bounded "${TEST_TIMEOUT_UNIT:-300}" "$out" "$bin"
	# A binary may run several groups: each prints its own counts.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
	s=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$out" | awk '{ s += $1 } END { print s + 0 }')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$timed_out" -eq 0 ]; then
		f=1	# crashed, or a sanitizer stopped it
	fi
	if ! verdict "$name$2" "$p" "$f" "$s" "$out"; then
		echo "FAIL $name$2 ($p passed, $f failed):"
		sed 's/^/    /' "$out" | tail -n 40
	fi
	if [ "$s" -ne 0 ]; then
		sed -n 's/^\[  SKIPPED \] \([^ ]*\)$/\1/p' "$out" | sort -u | sed 's/^/    skipped: /'
	fi
	add "$p" $((f + extra)) "$s"
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

# node's TAP ends with "# pass N", "# fail N", "# cancelled N" (counted as failed) and "# skipped N";
# a skipped test's or describe block's line is "ok N - NAME # SKIP reason".
run_node() {
	label=$1
	limit_=$2
	shift 2
	out="$log_dir/$label.log"
	# shellcheck disable=SC2086
	bounded "$limit_" "$out" node $node_flags "$@"
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$out" | tail -n 1)
	c=$(sed -n 's/^# cancelled \([0-9]*\)/\1/p' "$out" | tail -n 1)
	# node's own "# skipped" leaves out skipped describe blocks: the SKIP lines are counted instead.
	s=$(grep -c '^ *ok [0-9]* - .* # SKIP' "$out")
	# A file that runs no test is shown as one passing test named by its path: it is a failure.
	empty=$(sed -n 's/^ok [0-9]* - \(\/.*\.m\{0,1\}js\)$/\1/p' "$out")
	e=$(printf '%s' "$empty" | grep -c .)
	p=$(( ${p:-0} - e ))
	f=$(( ${f:-0} + ${c:-0} + e ))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$timed_out" -eq 0 ]; then
		f=1
	fi
	if ! verdict "$label" "$p" "$f" "$s" "$out"; then
		echo "FAIL $label ($p passed, $f failed); failures:"
		[ -n "$empty" ] && printf '%s\n' "$empty" | sed 's/^/    ran no test: /'
		grep -E '^ *not ok|error:|expected|actual|Error' "$out" | head -n 60 | sed 's/^/    /'
		echo "    (full log: $out)"
	fi
	if [ "$s" -ne 0 ]; then
		sed -n 's/^ *ok [0-9]* - \(.*\) # SKIP *\(.*\)$/\1 — \2/p' "$out" | sed 's/ — $//; s/^/    skipped: /'
	fi
	add "$p" $((f + extra)) "$s"
}

runner_tests=$(ls tests/runner/*.test.mjs 2>/dev/null)
if [ -n "$runner_tests" ] && [ "$only" != api ]; then
	echo "== the test runner's own verdicts"
	# shellcheck disable=SC2086
	run_node runner "${TEST_TIMEOUT_API:-900}" $runner_tests
fi
api_tests=$(ls tests/api/*.test.mjs 2>/dev/null)
if [ -n "$api_tests" ]; then
	echo "== API tests"
	# shellcheck disable=SC2086
	run_node "api${YUANLUO_TEST_PG:+-pg}" "${TEST_TIMEOUT_API:-900}" $api_tests
fi
e2e_tests=$(ls tests/e2e/*.test.mjs 2>/dev/null)
if [ -n "$e2e_tests" ] && [ "$only" != api ]; then
	echo "== browser tests"
	# shellcheck disable=SC2086
	run_node e2e "${TEST_TIMEOUT_E2E:-600}" $e2e_tests
fi

# libFuzzer targets (make fuzz-build): every regression input and every seed, once, no random fuzzing
# (that is `make fuzz`).
if [ "$only" != api ] && ls build/fuzz/fuzz_* > /dev/null 2>&1; then
	echo "== fuzz regressions and seeds"
	out="$log_dir/fuzz-smoke.log"
	bounded "${TEST_TIMEOUT_FUZZ:-600}" "$out" sh tools/fuzz.sh smoke
	sed -n '/^ok\|^FAIL\|^    /p' "$out"
	p=$(sed -n 's/^fuzz: \([0-9]*\) passed.*/\1/p' "$out" | tail -n 1)
	f=$(sed -n 's/^fuzz: [0-9]* passed, \([0-9]*\) failed/\1/p' "$out" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$timed_out" -eq 0 ]; then
		f=1
	fi
	verdict fuzz "$p" "$f" 0 "$out" || true
	add "$p" $((f + extra))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
