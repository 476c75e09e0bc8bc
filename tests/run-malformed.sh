#!/bin/sh
# tests/run-malformed.sh SEGSCAN - malformed and hostile inputs.
#
# 1. tests/tool_genmalformed writes broken captures, policies and results
#    into a temporary directory with a MANIFEST (see that tool); each case
#    runs through
#      capture  SEGSCAN audit -r FILE -o OUT.json -f json
#      policy   SEGSCAN policy check FILE
#      result   SEGSCAN report FILE -f text
#    and must end as the manifest says:
#      error  exit 2 with a message on stderr naming the file;
#      read   exit 0 or 1; any warning names the file; for a capture with
#             FILE.expect.json, the JSON result matches it (tool_jsoncmp);
#      any    either of the two.
# 2. Every regression fixture in tests/fixtures/hostile/ (fuzzer finds:
#    NAME-what.pcap/.pcapng, .yaml, .json) runs the same way with "any".
#
# Every run: no crash, no hang (timeout ${MALFORMED_TIMEOUT:-90} s), no
# sanitizer report on stderr. Result cases are skipped with a message when
# SEGSCAN has no `report` command.
#
# The tools are found next to SEGSCAN (DIR/tests/tool_*), else in
# build/tests/. Prints PASS/FAIL/SKIP per case and ends with
# "N passed, M failed"; exits 1 if anything failed.

set -u

export TZ=UTC

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
	echo "run-malformed: $SEGSCAN is not an executable" >&2
	exit 2
fi

tool() {
	t=$(dirname "$SEGSCAN")/tests/$1
	[ -x "$t" ] || t=$ROOT/build/tests/$1
	echo "$t"
}
GEN=$(tool tool_genmalformed)
JSONCMP=${JSONCMP:-$(tool tool_jsoncmp)}
for t in "$GEN" "$JSONCMP"; do
	if [ ! -x "$t" ]; then
		echo "run-malformed: $t is not built" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
done

. tests/lib.sh
lib_tmpdir malformed
GENDIR=$TMP/gen

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout -k 5 ${MALFORMED_TIMEOUT:-90}"
fi

describe_rc() {
	case $1 in
	124 | 137) echo "timed out after ${MALFORMED_TIMEOUT:-90} s (hang?)" ;;
	13[0-9] | 1[4-9][0-9]) echo "killed by signal $(($1 - 128))" ;;
	*) echo "exit status $1" ;;
	esac
}

HAVE_REPORT=1
if ! "$SEGSCAN" report --help >/dev/null 2>&1; then
	HAVE_REPORT=0
fi

# check KIND FILE EXPECT LABEL
check() {
	kind=$1 file=$2 expect=$3 label=$4
	out=$TMP/out.json
	rm -f "$out"
	case $kind in
	capture)
		# shellcheck disable=SC2086 # $TIMEOUT is empty or "timeout ..."
		$TIMEOUT "$SEGSCAN" audit -q -r "$file" -o "$out" -f json >"$TMP/stdout" 2>"$TMP/err" </dev/null
		;;
	policy)
		# shellcheck disable=SC2086
		$TIMEOUT "$SEGSCAN" policy check "$file" >"$TMP/stdout" 2>"$TMP/err" </dev/null
		;;
	result)
		if [ "$HAVE_REPORT" -eq 0 ]; then
			echo "SKIP $label: segscan has no 'report' command yet"
			return
		fi
		# shellcheck disable=SC2086
		$TIMEOUT "$SEGSCAN" report "$file" -f text >"$TMP/stdout" 2>"$TMP/err" </dev/null
		;;
	*)
		fail "$label" "unknown kind '$kind' in the manifest"
		return
		;;
	esac
	rc=$?
	san=$(sanitizer_report "$TMP/err")
	if [ -n "$san" ]; then
		fail "$label" "sanitizer report:" "$san"
		return
	fi
	base=$(basename "$file")
	case $rc in
	0 | 1)
		if [ "$expect" = error ]; then
			fail "$label" "exit status $rc, expected 2 with a message naming $base" \
				"$(tail -n 3 "$TMP/err")"
			return
		fi
		if [ -s "$TMP/err" ] && ! grep -qF "$base" "$TMP/err"; then
			fail "$label" "a warning that does not name $base:" "$(tail -n 3 "$TMP/err")"
			return
		fi
		if [ "$kind" = capture ] && [ -f "$file.expect.json" ]; then
			if [ ! -s "$out" ]; then
				fail "$label" "no JSON result written" "$(tail -n 3 "$TMP/err")"
				return
			fi
			if ! "$JSONCMP" "$file.expect.json" "$out" >"$TMP/diff" 2>&1; then
				fail "$label" "result differs from $base.expect.json:" "$(cat "$TMP/diff")"
				return
			fi
		fi
		;;
	2)
		if [ "$expect" = read ]; then
			fail "$label" "exit status 2, expected the file to be read" "$(tail -n 3 "$TMP/err")"
			return
		fi
		if ! grep -qF "$base" "$TMP/err"; then
			fail "$label" "exit status 2 without a message naming $base:" \
				"$(tail -n 3 "$TMP/err")"
			return
		fi
		;;
	*)
		fail "$label" "$(describe_rc "$rc")" "$(tail -n 5 "$TMP/err")"
		return
		;;
	esac
	pass "$label"
}

if ! "$GEN" "$GENDIR" >"$TMP/gen.log" 2>&1; then
	fail "genmalformed" "$GEN $GENDIR failed:" "$(tail -n 5 "$TMP/gen.log")"
fi
if [ -f "$GENDIR/MANIFEST" ]; then
	while read -r kind name expect what; do
		check "$kind" "$GENDIR/$name" "$expect" "$kind $name ($what)"
	done <"$GENDIR/MANIFEST"
	# A policy or a result given as /dev/zero never ends by itself.
	check policy /dev/zero error "policy /dev/zero (endless input)"
	if [ "$HAVE_REPORT" -eq 1 ]; then
		check result /dev/zero error "result /dev/zero (endless input)"
	fi
fi

# Regression fixtures from fuzzing.
for f in tests/fixtures/hostile/*; do
	[ -f "$f" ] || continue
	case $f in
	*.expect.json) continue ;;
	*.pcap | *.pcapng) check capture "$f" any "hostile $(basename "$f")" ;;
	*.yaml) check policy "$f" any "hostile $(basename "$f")" ;;
	*.json) check result "$f" any "hostile $(basename "$f")" ;;
	esac
done

tally
