#!/bin/sh
# tests/run-protocols.sh SEGSCAN - segscan's protocols against tshark's.
#
# For every tests/protocols/NAME.expected (NAME = a capture's file name;
# its "# capture: FOLDER/NAME" line says where under ../shared/pcaps it
# is), runs
#   SEGSCAN audit -r ../shared/pcaps/FOLDER/NAME -o TMP/NAME.json -f json
# and turns the result into (address, protocol) pairs with tool_pairs
# (tests/tool_pairs.c; env PAIRS, default next to SEGSCAN in
# DIR/tests/tool_pairs, else build/tests/tool_pairs). The stored pairs were
# written once from tshark's dissectors by tests/tools/tshark-pairs.py;
# tshark is not needed here.
#
# Expected file lines: "ADDRESS PROTOCOL" must be reported; "!missing
# ADDRESS PROTOCOL" may be missing (a documented disagreement); "!extra
# ADDRESS PROTOCOL" may be reported though tshark does not see it; "#"
# lines are comments. Any other difference fails the capture.
#
# Prints "PASS name" / "FAIL name" with the differences ("- A P" expected
# but not reported, "+ A P" reported but not expected) and ends with
# "N passed, M failed"; exits 1 if anything failed. Skipped with a
# message when ../shared/pcaps is missing.

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 SEGSCAN_BINARY" >&2
	exit 2
fi
case $1 in
/*) SEGSCAN=$1 ;;
*) SEGSCAN=$(pwd)/$1 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
if [ ! -x "$SEGSCAN" ]; then
	echo "run-protocols: $SEGSCAN is not an executable" >&2
	exit 2
fi
if [ -z "${PAIRS:-}" ]; then
	PAIRS=$(dirname "$SEGSCAN")/tests/tool_pairs
	[ -x "$PAIRS" ] || PAIRS=$ROOT/build/tests/tool_pairs
fi
if [ ! -x "$PAIRS" ]; then
	echo "run-protocols: $PAIRS is not built (make build/tests/tool_pairs)" >&2
	exit 2
fi

CORPUS=../shared/pcaps
if [ ! -d "$CORPUS" ]; then
	echo "SKIP protocols: $CORPUS is missing (no comparison with tshark)"
	exit 0
fi

. tests/lib.sh
lib_tmpdir protocols

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout ${PROTOCOLS_TIMEOUT:-120}"
fi

for expected in tests/protocols/*.expected; do
	[ -e "$expected" ] || continue
	name=$(basename "$expected" .expected)
	rel=$(sed -n 's/^# capture: //p' "$expected" | head -n 1)
	[ -n "$rel" ] || rel=$name
	cap=$CORPUS/$rel
	if [ ! -f "$cap" ]; then
		fail "$name" "capture $cap is missing"
		continue
	fi
	# shellcheck disable=SC2086 # $TIMEOUT is empty or "timeout N"
	$TIMEOUT "$SEGSCAN" audit -r "$cap" -o "$TMP/r.json" -f json >/dev/null 2>"$TMP/err"
	rc=$?
	if [ "$rc" -gt 1 ] || [ ! -s "$TMP/r.json" ]; then
		fail "$name" "segscan exit status $rc: $(tail -n 3 "$TMP/err")"
		continue
	fi
	"$PAIRS" "$TMP/r.json" | LC_ALL=C sort -u >"$TMP/actual" || {
		fail "$name" "tool_pairs could not read the result"
		continue
	}
	grep -v '^#' "$expected" | grep -v '^!' | sed '/^[[:space:]]*$/d' | LC_ALL=C sort -u >"$TMP/want"
	sed -n 's/^!missing[[:space:]]*//p' "$expected" | LC_ALL=C sort -u >"$TMP/may_miss"
	sed -n 's/^!extra[[:space:]]*//p' "$expected" | LC_ALL=C sort -u >"$TMP/may_add"
	# expected, not reported, not tolerated
	LC_ALL=C comm -23 "$TMP/want" "$TMP/actual" | LC_ALL=C comm -23 - "$TMP/may_miss" >"$TMP/miss"
	# reported, neither expected nor tolerated
	LC_ALL=C sort -u "$TMP/want" "$TMP/may_miss" "$TMP/may_add" >"$TMP/known"
	LC_ALL=C comm -23 "$TMP/actual" "$TMP/known" >"$TMP/extra"
	if [ -s "$TMP/miss" ] || [ -s "$TMP/extra" ]; then
		fail "$name" "$(sed 's/^/- /' "$TMP/miss")" "$(sed 's/^/+ /' "$TMP/extra")"
	else
		pass "$name"
	fi
done
tally
