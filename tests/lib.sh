# tests/lib.sh - what the shell test runners share, sourced after they cd
# to the project root:
#
#   . tests/lib.sh
#   lib_tmpdir NAME        # $TMP, a private directory removed on exit
#   pass NAME / fail NAME [DETAIL...]
#   tally                  # "N passed, M failed"; status 0 when none failed
#
# and sanitizer_report FILE, the ASan/UBSan lines of a stderr file.
# shellcheck shell=sh

passed=0
failed=0

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}

# Each detail (lines of it) is printed indented under the FAIL line; an
# empty one prints nothing.
fail() {
	echo "FAIL $1"
	shift
	for line in "$@"; do
		[ -n "$line" ] && printf '%s\n' "$line" | sed 's/^/  /'
	done
	failed=$((failed + 1))
}

tally() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

lib_tmpdir() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/segscan-$1.XXXXXX") || exit 2
	trap 'rm -rf "$TMP"' EXIT INT TERM
}

# Any sanitizer's line: its ERROR and SUMMARY lines, UBSan's "runtime
# error".
sanitizer_report() {
	grep -aE 'Sanitizer|runtime error' "$1" 2>/dev/null | head -5
}
