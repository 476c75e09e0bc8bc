#!/bin/sh
# tests/run-fixtures.sh SEGSCAN - fixture tests and the crash corpus.
#
# For every tests/fixtures/NAME.expected.json:
#   SEGSCAN audit ARGS -o TMP/NAME.json -f json
# where ARGS is the first line of tests/fixtures/NAME.args, or
# "-r tests/fixtures/NAME.pcap" (or .pcapng) when there is no .args file.
# The exit status must be 0 or 1, or N when the .args file's second line is
# "exit=N". The result is then compared with the expected file by jsoncmp
# (tests/tool_jsoncmp.c; env JSONCMP, default: next to SEGSCAN in
# DIR/tests/tool_jsoncmp, else build/tests/tool_jsoncmp).
#
# Runs with TZ=UTC (policy schedules are local time; the fixtures are UTC).
#
# Then every capture under ../shared/pcaps (hostile/ included) is audited
# with "-o /dev/null -f json": exit status 0 or 1, no sanitizer report, no
# hang. Skipped with a message when ../shared/pcaps is missing.
#
# Prints "PASS name" / "FAIL name" (with the reason) per test and ends with
# the line "N passed, M failed"; exits 1 if anything failed.

set -u

# Policy schedules are judged in local time; the fixtures are written in UTC.
export TZ=UTC

if [ $# -ne 1 ]; then
	echo "usage: $0 SEGSCAN_BINARY" >&2
	exit 2
fi

# Absolute path of the binary, before moving to the repository root.
case $1 in
/*) SEGSCAN=$1 ;;
*) SEGSCAN=$(pwd)/$1 ;;
esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

if [ ! -x "$SEGSCAN" ]; then
	echo "run-fixtures: $SEGSCAN is not an executable" >&2
	exit 2
fi

if [ -z "${JSONCMP:-}" ]; then
	JSONCMP=$(dirname "$SEGSCAN")/tests/tool_jsoncmp
	[ -x "$JSONCMP" ] || JSONCMP=$ROOT/build/tests/tool_jsoncmp
fi

. tests/lib.sh
lib_tmpdir fixtures

# A hang is a failure too; timeout(1) is in coreutils, use it when present.
TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout ${FIXTURE_TIMEOUT:-120}"
fi

# Runs SEGSCAN with "$@"; sets rc, stdout/stderr in $TMP/out, $TMP/err.
run_segscan() {
	# shellcheck disable=SC2086 # $TIMEOUT is empty or "timeout N"
	$TIMEOUT "$SEGSCAN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# Describes an exit status for a failure line.
describe_rc() {
	case $1 in
	124) echo "timed out (hang?)" ;;
	13[0-9] | 1[4-9][0-9]) echo "killed by signal $(($1 - 128))" ;;
	*) echo "exit status $1" ;;
	esac
}

if [ ! -x "$JSONCMP" ]; then
	echo "run-fixtures: comparator $JSONCMP not built (make $ROOT/build/tests/tool_jsoncmp)" >&2
	fail "jsoncmp" "comparator $JSONCMP is missing: no fixture can be checked"
else
	for expected in tests/fixtures/*.expected.json; do
		[ -e "$expected" ] || continue
		name=$(basename "$expected" .expected.json)
		argsfile=tests/fixtures/$name.args
		want_exit=
		if [ -f "$argsfile" ]; then
			args=$(sed -n 1p "$argsfile")
			want_exit=$(sed -n 2p "$argsfile" | sed -n 's/^exit=\([0-9][0-9]*\)$/\1/p')
		elif [ -f "tests/fixtures/$name.pcap" ]; then
			args="-r tests/fixtures/$name.pcap"
		elif [ -f "tests/fixtures/$name.pcapng" ]; then
			args="-r tests/fixtures/$name.pcapng"
		else
			fail "$name" "no $argsfile and no tests/fixtures/$name.pcap or .pcapng"
			continue
		fi
		result=$TMP/$name.json
		# shellcheck disable=SC2086 # args are words from the .args file
		run_segscan audit $args -o "$result" -f json
		san=$(sanitizer_report "$TMP/err")
		if [ -n "$san" ]; then
			fail "$name" "sanitizer report:" "$san"
			continue
		fi
		if [ -n "$want_exit" ]; then
			if [ "$rc" -ne "$want_exit" ]; then
				fail "$name" "$(describe_rc "$rc"), expected exit=$want_exit" \
					"$(tail -n 5 "$TMP/err")"
				continue
			fi
		elif [ "$rc" -gt 1 ]; then
			fail "$name" "$(describe_rc "$rc"), expected 0 or 1" "$(tail -n 5 "$TMP/err")"
			continue
		fi
		if [ ! -s "$result" ]; then
			fail "$name" "no JSON written to $result" "$(tail -n 5 "$TMP/err")"
			continue
		fi
		if "$JSONCMP" "$expected" "$result" >"$TMP/diff" 2>&1; then
			pass "$name"
		else
			echo "FAIL $name (segscan audit $args)"
			cat "$TMP/diff"
			failed=$((failed + 1))
		fi
	done
fi

# Crash corpus: captures nobody on this project wrote.
CORPUS=../shared/pcaps
if [ ! -d "$CORPUS" ]; then
	echo "SKIP corpus: $CORPUS is missing (no crash checks on real captures)"
else
	find "$CORPUS" -type f -name '*.pcap*' | LC_ALL=C sort >"$TMP/corpus"
	while IFS= read -r cap; do
		name="corpus ${cap#"$CORPUS"/}"
		run_segscan audit -r "$cap" -o /dev/null -f json </dev/null
		san=$(sanitizer_report "$TMP/err")
		if [ -n "$san" ]; then
			fail "$name" "sanitizer report:" "$san"
		elif [ "$rc" -gt 1 ]; then
			fail "$name" "$(describe_rc "$rc"), expected 0 or 1" "$(tail -n 5 "$TMP/err")"
		else
			pass "$name"
		fi
	done <"$TMP/corpus"
fi

tally
