#!/bin/sh
# tests/run-cli.sh SEGSCAN - end-to-end checks of report, diff and merge on
# the fixture captures: audit two captures to JSON, diff them (exit status
# and exactly the devices added), re-render a saved result, merge, and a
# malformed result (exit 2 with FILE:LINE:COLUMN). Prints "PASS name" /
# "FAIL name" per check and ends with "N passed, M failed"; exits 1 if
# anything failed.

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
[ -x "$SEGSCAN" ] || { echo "run-cli: $SEGSCAN is not an executable" >&2; exit 2; }

. tests/lib.sh
lib_tmpdir cli

# run NAME WANT_RC ARGS...: runs segscan, output in $TMP/out and $TMP/err.
run() {
	name=$1
	want=$2
	shift 2
	"$SEGSCAN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$TMP/err"; then
		fail "$name" "sanitizer report:" "$(head -5 "$TMP/err")"
		return 1
	fi
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit status $rc, expected $want" "$(tail -n 5 "$TMP/err")"
		return 1
	fi
	return 0
}

# ok NAME COMMAND...: PASS when COMMAND succeeds, else FAIL with stderr.
ok() {
	name=$1
	shift
	if "$@"; then pass "$name"; else fail "$name" "$(head -n 5 "$TMP/out")" "$(tail -n 5 "$TMP/err")"; fi
}

A=tests/fixtures/split-a.pcap   # two IPv4 hosts
B=tests/fixtures/ipv6-ndp.pcap  # four more devices, none of them in A
POL=examples/policy.yaml
PCAP=examples/plant.pcap

# Two captures: a alone, and a followed by b (b adds devices).
run "audit a" 0 audit -r "$A" -o "$TMP/a.json" -f json && pass "audit a"
run "audit a+b" 0 audit -r "$A" -r "$B" -o "$TMP/ab.json" -f json && pass "audit a+b"
run "audit b" 0 audit -r "$B" -o "$TMP/b.json" -f json && pass "audit b"

# The devices b adds: MACs in ab.json and not in a.json, counted by jq-less
# means (the JSON writer puts one "mac" per host line).
macs() { sed -n 's/^ *"mac": "\([0-9a-f:]*\)",$/\1/p' "$1" | sort -u; }
macs "$TMP/a.json" >"$TMP/macs-a"
macs "$TMP/ab.json" >"$TMP/macs-ab"
comm -13 "$TMP/macs-a" "$TMP/macs-ab" >"$TMP/added"

if run "diff a a+b (exit 1)" 1 diff "$TMP/a.json" "$TMP/ab.json" -f json -o "$TMP/d.json"; then
	# "hosts": {"new": [ {"mac": ...}, ... ]} -- the MACs listed as new.
	sed -n '/"hosts": {/,/"gone":/p' "$TMP/d.json" |
		sed -n 's/^ *"mac": "\([0-9a-f:]*\)",$/\1/p' | sort -u >"$TMP/listed"
	if [ ! -s "$TMP/added" ]; then
		fail "diff lists the added devices" "split-b adds no MAC host: fixture changed?"
	elif cmp -s "$TMP/added" "$TMP/listed"; then
		pass "diff lists exactly the added devices ($(wc -l <"$TMP/added" | tr -d ' '))"
	else
		fail "diff lists exactly the added devices" "expected: $(tr '\n' ' ' <"$TMP/added")" \
			"listed:   $(tr '\n' ' ' <"$TMP/listed")"
	fi
	gone=$(sed -n 's/^ *"hosts_gone": \([0-9]*\),*$/\1/p' "$TMP/d.json")
	ok "diff a a+b: nothing gone (hosts_gone=$gone)" test "$gone" = 0
fi
if run "diff text" 1 diff "$TMP/a.json" "$TMP/ab.json"; then
	n=$(wc -l <"$TMP/added" | tr -d ' ')
	ok "diff text summary" grep -q "hosts:      $n new, 0 gone" "$TMP/out"
fi
run "diff a a (exit 0)" 0 diff "$TMP/a.json" "$TMP/a.json" &&
	ok "diff a a (exit 0, no differences)" grep -q "No differences." "$TMP/out"
run "diff html" 1 diff "$TMP/a.json" "$TMP/ab.json" -f html -o "$TMP/d.html" &&
	ok "diff html" grep -q "</html>" "$TMP/d.html"

# Policy against reality, and a policy change.
run "audit plant" 1 audit -r "$PCAP" -p "$POL" -o "$TMP/plant.json" -f json && pass "audit plant"
if run "diff -p (violations: exit 1)" 1 diff -p "$POL" "$TMP/plant.json"; then
	ok "diff -p POLICY RESULT: suggestions" grep -q "^allow:" "$TMP/out"
fi
run "diff -p same policy twice (exit 0)" 0 diff -p "$POL" -p "$POL" "$TMP/plant.json" &&
	pass "diff -p P -p P: no change"
sed 's/^default: deny/default: allow/' "$POL" >"$TMP/allow.yaml"
run "diff -p old -p new (exit 1)" 1 diff -p "$POL" -p "$TMP/allow.yaml" "$TMP/plant.json" -f json &&
	ok "diff -p OLD -p NEW lists changed verdicts" grep -q '"verdict": "allowed"' "$TMP/out"

# Re-render a saved result.
run "report text" 1 report "$TMP/plant.json" -f text && ok "report text" test -s "$TMP/out"
run "report json" 1 report "$TMP/plant.json" -f json -o "$TMP/re.json" &&
	run "report json round-trips" 0 diff "$TMP/plant.json" "$TMP/re.json" &&
	pass "report json round-trips (no differences)"
run "report clean result" 0 report "$TMP/a.json" -o "$TMP/a.txt" && pass "report of a clean result (exit 0)"

# Merge two sensors.
run "merge" 0 merge "$TMP/a.json" "$TMP/b.json" -o "$TMP/m.json" &&
	run "merge a b == audit a+b (diff exit 0)" 0 diff "$TMP/ab.json" "$TMP/m.json" &&
	ok "merge a b == audit a+b (hosts, flows, violations)" grep -q "No differences." "$TMP/out"

# Malformed results: exit 2 with FILE:LINE:COLUMN.
printf '{\n  "tool": {"name": "segscan", "version": "x"},\n  "scan": 5\n}\n' >"$TMP/bad.json"
if run "malformed result (exit 2)" 2 report "$TMP/bad.json"; then
	ok "malformed result: FILE:LINE:COLUMN" \
		grep -q "^$TMP/bad.json:3:11: scan: must be an object, not an integer$" "$TMP/err"
fi
printf '{"tool": ' >"$TMP/trunc.json"
run "truncated result (exit 2)" 2 diff "$TMP/trunc.json" "$TMP/a.json" &&
	ok "truncated result: FILE:LINE:COLUMN" grep -q "^$TMP/trunc.json:1:[0-9]*: " "$TMP/err"
run "merge malformed (exit 2)" 2 merge "$TMP/a.json" "$TMP/bad.json" -o "$TMP/x.json" &&
	ok "merge with a malformed input writes nothing" test ! -e "$TMP/x.json"
run "missing file (exit 2)" 2 report "$TMP/none.json" && pass "missing result (exit 2)"
# Endless or binary input stops at its first byte that cannot be JSON (the
# position proves it read no further; no clock involved).
run "report /dev/zero (exit 2)" 2 report /dev/zero &&
	ok "report /dev/zero: refused at its first byte" \
		grep -q "^/dev/zero:1:1: a byte that cannot start or continue JSON" "$TMP/err"
printf '{"tool": {"name": "segscan\001"}}\n' >"$TMP/ctl.json"
run "control byte in a string (exit 2)" 2 report "$TMP/ctl.json" &&
	ok "control byte: refused where it stands" grep -q "^$TMP/ctl.json:1:27: " "$TMP/err"
printf 'hidden-token\n' >"$TMP/s.json"
run "not JSON (exit 2)" 2 report "$TMP/s.json" &&
	ok "not JSON: the file's text is not echoed" sh -c "! grep -q idden '$TMP/err'"

# Usage errors.
for args in "report" "diff $TMP/a.json" "diff -p $POL" "diff -p a -p b -p c x" "merge $TMP/a.json" \
	"report $TMP/a.json -f pdf" "diff $TMP/a.json $TMP/a.json -f xml" "report --bogus"; do
	# shellcheck disable=SC2086 # words on purpose
	run "usage: $args" 2 $args && ok "usage: segscan $args" grep -q "^Try 'segscan [a-z]* --help'.$" "$TMP/err"
done

tally
