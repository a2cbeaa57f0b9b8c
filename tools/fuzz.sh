#!/bin/sh
# Runs the libFuzzer targets built by `make fuzz-build` (build/fuzz/fuzz_*).
#   tools/fuzz.sh run SECONDS     each target for SECONDS, growing build/fuzz/corpus/NAME from tests/fuzz/corpus/NAME
#   tools/fuzz.sh smoke           every regression input (tests/fuzz/regress/NAME/*) and every seed (tests/fuzz/corpus/NAME/*)
#                                 once, with a fixed seed and no random fuzzing, so that make test is the same on every
#                                 run; ends with "fuzz: N passed, N failed" (one per regression input, one per target's seeds)
# A finding (crash, sanitizer report, 5xx answer, leak, timeout) is saved as build/fuzz/findings/NAME-*;
# make it a regression: copy it to tests/fuzz/regress/NAME/ and fix the code.
set -u
cd "$(dirname "$0")/.."

mode=${1:-smoke}
seconds=${2:-5}
case $mode in run|smoke) ;; *) echo "usage: fuzz.sh run SECONDS | fuzz.sh smoke" >&2; exit 2 ;; esac
passed=0
failed=0
mkdir -p build/fuzz/findings build/test-logs
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# tally RC OK-LINE FAIL-LINE PATTERN: counts one verdict from the exit status RC; prints OK-LINE (when
# not empty), or FAIL-LINE and the last lines of $log that match PATTERN.
tally() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		[ -z "$2" ] || echo "$2"
	else
		failed=$((failed + 1))
		echo "$3"
		grep -E "$4" "$log" | tail -n 10 | sed 's/^/    /'
	fi
}

for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	case $bin in *.o|*.d) continue ;; esac
	name=$(basename "$bin")
	short=${name#fuzz_}
	seeds=tests/fuzz/corpus/$short
	work=build/fuzz/corpus/$short
	dict=tests/fuzz/$short.dict
	log=build/test-logs/$name.log
	mkdir -p "$work"
	dict_arg=""
	[ -f "$dict" ] && dict_arg="-dict=$dict"
	if [ "$mode" = smoke ]; then
		for f in tests/fuzz/regress/"$short"/*; do
			[ -f "$f" ] || continue
			"$bin" -seed=1 -timeout=20 "$f" > "$log" 2>&1
			tally $? "" "FAIL $name regression $(basename "$f"):" 'ERROR|SUMMARY|fuzz:|runtime error'
		done
		# The seeds, each run once as it is (files, not a corpus folder: nothing is mutated or written).
		set -- "$seeds"/*
		[ -f "$1" ] || continue
		"$bin" -seed=1 -timeout=20 "$@" > "$log" 2>&1
		tally $? "ok   $name ($# seeds)" "FAIL $name seeds:" 'ERROR|SUMMARY|fuzz:|runtime error|Running:'
		continue
	fi
	# shellcheck disable=SC2086
	nice "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 $dict_arg \
		-artifact_prefix="build/fuzz/findings/$short-" "$work" "$seeds" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	tally "$rc" "ok   $name (${runs:-?} runs in ${seconds} s, ${cov:-cov: ?})" \
		"FAIL $name (exit $rc); finding in build/fuzz/findings/$short-*:" 'ERROR|SUMMARY|fuzz:|runtime error|Test unit written'
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
