#!/bin/sh
# tests/check-man.sh SEGSCAN - every option a --help screen lists must be
# documented in man/segscan.8 (long and short forms), every command too.
# Ends with "N passed, M failed"; exits 1 on any failure.
set -u
SEGSCAN=$1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAN=$ROOT/man/segscan.8
passed=0
failed=0
# roff escapes '-' as '\-'; compare against the unescaped text.
TEXT=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$MAN")

check() { # what, needle
	if printf '%s\n' "$TEXT" | grep -q -e "$2"; then
		passed=$((passed + 1))
	else
		echo "FAIL man/segscan.8 does not document $1 '$2'"
		failed=$((failed + 1))
	fi
}

commands=$("$SEGSCAN" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
[ -n "$commands" ] || { echo "FAIL no commands found in segscan --help"; failed=$((failed + 1)); }
for cmd in $commands; do
	check "command" "$cmd"
	# Options: "-x, --long" or "--long" at the start of a help line.
	for opt in $("$SEGSCAN" "$cmd" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -oE -- '--[a-z][a-z0-9-]*|-[a-zA-Z]'); do
		check "option of $cmd" "$opt"
	done
done
for opt in $("$SEGSCAN" --help | grep -oE -- '--[a-z][a-z0-9-]*'); do
	check "global option" "$opt"
done
echo "man page: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
