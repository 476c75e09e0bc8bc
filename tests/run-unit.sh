#!/bin/sh
# tests/run-unit.sh TEST_BINARY... - run Check suites and sum their results.
#
# Runs each binary, shows its output, and adds up Check's summary lines
# ("100%: Checks: 12, Failures: 0, Errors: 0"). A binary that is missing,
# exits non-zero or prints no summary (a crash, a sanitizer abort) counts
# as one more failure. Ends with the line "N passed, M failed" and exits 1
# if anything failed.

set -u

# Check kills a test after 4 s by default: a guard against hangs, which a
# busy machine (another build beside this one, or ASan) can trip without
# anything being wrong. Hangs are still caught, at a bound no load reaches.
export CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-120}
export CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-4}

passed=0
failed=0
OUT=$(mktemp "${TMPDIR:-/tmp}/segscan-unit.XXXXXX") || exit 2
trap 'rm -f "$OUT"' EXIT INT TERM

for bin in "$@"; do
	echo "== $bin"
	if [ ! -x "$bin" ]; then
		echo "FAIL $bin: not built"
		failed=$((failed + 1))
		continue
	fi
	"$bin" >"$OUT" 2>&1
	rc=$?
	cat "$OUT"
	# Every suite runner prints one summary line per srunner_run_all.
	sums=$(sed -n 's/^[0-9]*%: Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$OUT")
	if [ -z "$sums" ]; then
		echo "FAIL $bin: no Check summary (exit status $rc)"
		failed=$((failed + 1))
		continue
	fi
	bad=0
	while read -r checks failures errors; do
		passed=$((passed + checks - failures - errors))
		bad=$((bad + failures + errors))
	done <<EOF
$sums
EOF
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "FAIL $bin: exit status $rc although every check passed"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
