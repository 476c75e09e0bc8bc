#!/bin/sh
# tests/compare-outputs.sh OLD_SEGSCAN NEW_SEGSCAN [CAPTURE...]
#
# Proves that a change altered nothing a user sees: both binaries audit every
# fixture capture, every capture under ../shared/pcaps and the example (plus
# any CAPTURE named, e.g. the bench capture), with and without the example
# policy, and the outputs are compared byte for byte:
#   - the JSON result of `audit` (the wall-clock "started"/"ended" members
#     are the only lines set aside) and its exit status;
#   - `report` of the OLD binary's JSON in text, csv and html, English and
#     Japanese (same input to both, so every byte must match);
#   - `audit -f text` straight from the capture (wall-clock lines set aside);
#   - `diff OLD NEW`, `diff -p POLICY RESULT`, `diff -p A -p B RESULT` and
#     `merge`, in text, json and html (English; set COMPARE_DIFF_JA=1 to also
#     compare Japanese diffs, which are new since the reshaping).
# Prints one line per difference and "N passed, M failed"; exit 1 on any.
#
# Make the old binary from any revision, e.g.:
#   git worktree add /tmp/old REV && make -C /tmp/old segscan
#   tests/compare-outputs.sh /tmp/old/segscan ./segscan build/bench/capture.pcap
set -u
[ $# -ge 2 ] || { echo "usage: $0 OLD_SEGSCAN NEW_SEGSCAN [CAPTURE...]" >&2; exit 2; }
abspath() { case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; }
OLD=$(abspath "$1")
NEW=$(abspath "$2")
shift 2
EXTRA=""
for c in "$@"; do EXTRA="$EXTRA $(abspath "$c")"; done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh
lib_tmpdir compare
export TZ=UTC
POL=examples/policy.yaml
# A second policy for the two-policy diff: the example with its default
# turned to allow, which changes verdicts.
sed 's/^default: deny/default: allow/' "$POL" >"$TMP/pol2.yaml"
POL2=$TMP/pol2.yaml

# Drops the wall-clock lines an audit prints (its own start and end).
strip_clock() {
	grep -v -E '"(started|ended)": "' "$1" | grep -v -E '^(Scan|Audit|スキャン).*(started|開始|ended|終了)' >"$1.s" || true
}

same() { # NAME FILE_A FILE_B
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1" "$(diff "$2" "$3" | head -8)"; fi
}

captures() {
	ls tests/fixtures/*.pcap tests/fixtures/*.pcapng examples/plant.pcap 2>/dev/null
	ls ../shared/pcaps/*/*.pcap ../shared/pcaps/*/*.pcapng 2>/dev/null
	for c in $EXTRA; do echo "$c"; done
}

i=0
for cap in $(captures); do
	i=$((i + 1))
	for pol in none "$POL"; do
		tag="$(basename "$cap") policy=$(basename "$pol")"
		if [ "$pol" = none ]; then pargs=""; else pargs="-p $pol"; fi
		d=$TMP/$i-$(basename "$pol")
		mkdir -p "$d"
		# shellcheck disable=SC2086
		"$OLD" audit -r "$cap" $pargs -f json -o "$d/old.json" >/dev/null 2>"$d/old.err"
		echo $? >"$d/old.rc"
		# shellcheck disable=SC2086
		"$NEW" audit -r "$cap" $pargs -f json -o "$d/new.json" >/dev/null 2>"$d/new.err"
		echo $? >"$d/new.rc"
		same "$tag exit status" "$d/old.rc" "$d/new.rc"
		same "$tag stderr" "$d/old.err" "$d/new.err"
		[ -s "$d/old.json" ] || continue
		strip_clock "$d/old.json"
		strip_clock "$d/new.json"
		same "$tag json" "$d/old.json.s" "$d/new.json.s"
		# shellcheck disable=SC2086
		"$OLD" audit -r "$cap" $pargs -f text >"$d/old.txt" 2>/dev/null
		# shellcheck disable=SC2086
		"$NEW" audit -r "$cap" $pargs -f text >"$d/new.txt" 2>/dev/null
		strip_clock "$d/old.txt"
		strip_clock "$d/new.txt"
		same "$tag audit text" "$d/old.txt.s" "$d/new.txt.s"
		for lang in en ja; do
			for f in text html json; do
				"$OLD" report "$d/old.json" -f $f --lang $lang -o "$d/o.$f.$lang" >/dev/null 2>&1
				"$NEW" report "$d/old.json" -f $f --lang $lang -o "$d/n.$f.$lang" >/dev/null 2>&1
				same "$tag report $f $lang" "$d/o.$f.$lang" "$d/n.$f.$lang"
			done
			mkdir -p "$d/ocsv.$lang" "$d/ncsv.$lang"
			"$OLD" report "$d/old.json" -f csv --lang $lang -o "$d/ocsv.$lang/" >/dev/null 2>&1
			"$NEW" report "$d/old.json" -f csv --lang $lang -o "$d/ncsv.$lang/" >/dev/null 2>&1
			for c in "$d/ocsv.$lang"/*; do
				[ -f "$c" ] || continue
				same "$tag report csv $lang $(basename "$c")" "$c" "$d/ncsv.$lang/$(basename "$c")"
			done
		done
	done
done

# Diffs and merge over pairs of saved results (old binary's JSON as input).
prev=""
DIFF_LANGS="en"
[ "${COMPARE_DIFF_JA:-0}" = 1 ] && DIFF_LANGS="en ja"
for d in "$TMP"/*-policy.yaml; do
	[ -s "$d/old.json" ] || continue
	for lang in $DIFF_LANGS; do
		for f in text json html; do
			lo=""
			[ "$lang" = en ] || lo="--lang $lang"
			if [ -n "$prev" ]; then
				"$OLD" diff "$prev/old.json" "$d/old.json" -f $f $lo >"$d/od.$f.$lang" 2>&1
				echo "rc $?" >>"$d/od.$f.$lang"
				"$NEW" diff "$prev/old.json" "$d/old.json" -f $f $lo >"$d/nd.$f.$lang" 2>&1
				echo "rc $?" >>"$d/nd.$f.$lang"
				same "diff $(basename "$d") $f $lang" "$d/od.$f.$lang" "$d/nd.$f.$lang"
			fi
			"$OLD" diff -p "$POL" "$d/old.json" -f $f $lo >"$d/op.$f.$lang" 2>&1
			echo "rc $?" >>"$d/op.$f.$lang"
			"$NEW" diff -p "$POL" "$d/old.json" -f $f $lo >"$d/np.$f.$lang" 2>&1
			echo "rc $?" >>"$d/np.$f.$lang"
			same "diff -p $(basename "$d") $f $lang" "$d/op.$f.$lang" "$d/np.$f.$lang"
			"$OLD" diff -p "$POL" -p "$POL2" "$d/old.json" -f $f $lo >"$d/oc.$f.$lang" 2>&1
			echo "rc $?" >>"$d/oc.$f.$lang"
			"$NEW" diff -p "$POL" -p "$POL2" "$d/old.json" -f $f $lo >"$d/nc.$f.$lang" 2>&1
			echo "rc $?" >>"$d/nc.$f.$lang"
			same "diff -p -p $(basename "$d") $f $lang" "$d/oc.$f.$lang" "$d/nc.$f.$lang"
		done
	done
	if [ -n "$prev" ]; then
		"$OLD" merge "$prev/old.json" "$d/old.json" -o "$d/om.json" >/dev/null 2>&1
		"$NEW" merge "$prev/old.json" "$d/old.json" -o "$d/nm.json" >/dev/null 2>&1
		strip_clock "$d/om.json"
		strip_clock "$d/nm.json"
		same "merge $(basename "$d")" "$d/om.json.s" "$d/nm.json.s"
	fi
	prev=$d
done
tally
