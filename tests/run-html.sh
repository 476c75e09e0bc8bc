#!/bin/sh
# tests/run-html.sh SEGSCAN - the HTML report, opened in a real browser.
#
# Audits a capture twice (-f json and -f html, in English and in Japanese),
# opens each HTML file in headless Chromium, and checks that
#   - the browser renders it: --dump-dom gives the document back, a PNG
#     screenshot and a PDF print are written and are not empty;
#   - the six sections are there, in their fixed order;
#   - every count the report shows equals the JSON of the same input: hosts,
#     unregistered hosts, flows, violations, packets, violations per
#     severity, violation cards, inventory rows, and the flows of the zone
#     matrix (every flow with both zones known).
# The capture is examples/plant.pcap with examples/policy.yaml when they
# exist, else tests/fixtures/router-many-sources.pcap; HTML_ARGS="-r F ..."
# overrides both.
#
# Counts are read with awk from the JSON writer's fixed layout (two-space
# indent) so the test needs nothing beyond the base system and Chromium.
# Without Chromium, or when it cannot start (no sandbox support, no
# display libraries), prints "skipped: REASON" and "0 passed, 0 failed" and
# exits 0. Set HTML_KEEP=DIR to keep the rendered files (HTML, PNG, PDF).
# Ends with "N passed, M failed"; exits 1 if anything failed.

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
	echo "run-html: $SEGSCAN is not an executable" >&2
	exit 2
fi

skip() {
	echo "skipped: $1"
	echo "0 passed, 0 failed"
	exit 0
}

CHROMIUM=
for c in chromium chromium-browser google-chrome; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROMIUM=$c
		break
	fi
done
[ -n "$CHROMIUM" ] || skip "chromium is not installed (apt-get install chromium, or make deps)"

. tests/lib.sh
lib_tmpdir html

TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout ${HTML_TIMEOUT:-90}"

# One fresh profile per call; no network, no updates, no first-run dialogs.
browser() {
	profile=$(mktemp -d "$TMP/profile.XXXXXX")
	# shellcheck disable=SC2086 # $TIMEOUT is empty or "timeout N"
	$TIMEOUT "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$profile" "$@" 2>>"$TMP/chromium.log"
}

expect_eq() { # name expected actual
	if [ "$2" = "$3" ]; then
		pass "$1 ($3)"
	else
		fail "$1: report shows '$3', JSON says '$2'"
	fi
}

if [ -n "${HTML_ARGS:-}" ]; then
	ARGS=$HTML_ARGS
elif [ -f examples/plant.pcap ] && [ -f examples/policy.yaml ]; then
	ARGS="-r examples/plant.pcap -p examples/policy.yaml"
else
	ARGS="-r tests/fixtures/router-many-sources.pcap"
fi
echo "capture: $ARGS"

# shellcheck disable=SC2086 # ARGS is a list of words
"$SEGSCAN" audit $ARGS -q -f json -o "$TMP/r.json" 2>"$TMP/err"
rc=$?
if [ $rc -gt 1 ]; then
	fail "audit -f json exit status $rc: $(head -3 "$TMP/err")"
	tally
	exit 1
fi

# Chromium must be able to start at all before anything is judged.
printf '<!DOCTYPE html><html><body><p id="probe">ok</p></body></html>\n' >"$TMP/probe.html"
if ! browser --dump-dom "file://$TMP/probe.html" >"$TMP/probe.dom" ||
	! grep -q 'id="probe"' "$TMP/probe.dom"; then
	skip "chromium cannot start here: $(grep -v -i 'dbus' "$TMP/chromium.log" | tail -1)"
fi

# --- counts from the JSON (writer layout: "  \"hosts\": [", items at 4 spaces)
section_items() { # array name: number of objects in the top-level array
	awk -v name="$1" '
		$0 ~ "^  \"" name "\": \\[\\]" { print 0; found = 1; exit }
		$0 ~ "^  \"" name "\": \\[" { inside = 1; next }
		inside && /^  \]/ { print n + 0; found = 1; exit }
		inside && /^    \{/ { n++ }
		END { if (!found) print 0 }' "$TMP/r.json"
}
json_hosts=$(section_items hosts)
json_flows=$(section_items flows)
json_violations=$(section_items violations)
json_unregistered=$(awk '/^  "hosts": \[/ { h = 1; next } h && /^  \]/ { h = 0 }
	h && /^      "managed": false/ { n++ } END { print n + 0 }' "$TMP/r.json")
json_packets=$(awk '/^  "stats": \{/ { s = 1; next } s && /^    "packets":/ {
	gsub(/[^0-9]/, ""); print; exit }' "$TMP/r.json")
json_zoned_flows=$(awk '/^  "flows": \[/ { f = 1; next } f && /^  \]/ { f = 0 }
	f && /^      "src_zone": "/ { s = 1 } f && /^      "dst_zone": "/ && s { n++ }
	f && /^    \}/ { s = 0 } END { print n + 0 }' "$TMP/r.json")
json_severity() {
	awk -v sev="$1" '/^  "violations": \[/ { v = 1; next } v && /^  \]/ { v = 0 }
		v && $0 ~ "^      \"severity\": \"" sev "\"" { n++ } END { print n + 0 }' "$TMP/r.json"
}

# --- what the browser shows: the text of an element with an id
shown() { # dom id -> "text" and checks data-count agrees
	sed -n "s/.*id=\"$2\" data-count=\"\([0-9]*\)\">\([0-9]*\)<.*/\1 \2/p" "$1" | head -1 |
		awk '{ if ($1 == $2) print $2; else print "data-count " $1 " but text " $2 }'
}

for lang in en ja; do
	html=$TMP/report-$lang.html
	# shellcheck disable=SC2086
	"$SEGSCAN" audit $ARGS -q -f html --lang "$lang" -o "$html" 2>"$TMP/err"
	rc=$?
	if [ $rc -gt 1 ] || [ ! -s "$html" ]; then
		fail "[$lang] audit -f html exit status $rc: $(head -3 "$TMP/err")"
		continue
	fi
	pass "[$lang] audit -f html wrote $(wc -c <"$html") bytes"
	if grep -qiE '<script|<link |src="https?:|href="https?:|url\([^#]|@import' "$html"; then
		fail "[$lang] the report is not self-contained (script, link or external URL)"
	else
		pass "[$lang] self-contained: no script, no external resource"
	fi

	dom=$TMP/report-$lang.dom
	if browser --dump-dom "file://$html" >"$dom" && grep -q '</html>' "$dom"; then
		pass "[$lang] chromium rendered the DOM"
	else
		fail "[$lang] chromium --dump-dom failed: $(tail -1 "$TMP/chromium.log")"
		continue
	fi
	browser --window-size=1280,2400 --hide-scrollbars --screenshot="$TMP/report-$lang.png" \
		"file://$html" >/dev/null
	if [ -s "$TMP/report-$lang.png" ] &&
		[ "$(head -c 8 "$TMP/report-$lang.png" | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ]; then
		pass "[$lang] screenshot is a PNG ($(wc -c <"$TMP/report-$lang.png") bytes)"
	else
		fail "[$lang] no PNG screenshot"
	fi
	browser --no-pdf-header-footer --print-to-pdf="$TMP/report-$lang.pdf" "file://$html" >/dev/null
	if [ "$(head -c 5 "$TMP/report-$lang.pdf" 2>/dev/null)" = "%PDF-" ]; then
		pass "[$lang] printed to PDF ($(wc -c <"$TMP/report-$lang.pdf") bytes)"
	else
		fail "[$lang] no PDF print"
	fi

	if grep -q "<html lang=\"$lang\"" "$dom"; then
		pass "[$lang] html lang attribute"
	else
		fail "[$lang] html lang attribute is not '$lang'"
	fi
	order=$(grep -o '<section id="[a-z]*" data-section="[0-9]"' "$dom" |
		sed 's/<section id="\([a-z]*\)".*/\1/' | tr '\n' ' ')
	expect_eq "[$lang] section order" "summary matrix diagram violations inventory scope " "$order"

	expect_eq "[$lang] hosts" "$json_hosts" "$(shown "$dom" count-hosts)"
	expect_eq "[$lang] unregistered hosts" "$json_unregistered" "$(shown "$dom" count-unregistered)"
	expect_eq "[$lang] flows" "$json_flows" "$(shown "$dom" count-flows)"
	expect_eq "[$lang] violations" "$json_violations" "$(shown "$dom" count-violations)"
	expect_eq "[$lang] packets" "$json_packets" "$(shown "$dom" count-packets)"
	for sev in critical high medium low; do
		expect_eq "[$lang] $sev violations" "$(json_severity "$sev")" \
			"$(shown "$dom" "count-severity-$sev")"
		expect_eq "[$lang] $sev violation cards" "$(json_severity "$sev")" \
			"$(grep -o "<article [^>]*data-severity=\"$sev\"" "$dom" | wc -l | tr -d ' ')"
	done
	expect_eq "[$lang] violation cards" "$json_violations" \
		"$(grep -o '<article class="finding' "$dom" | wc -l | tr -d ' ')"
	expect_eq "[$lang] inventory rows" "$json_hosts" \
		"$(grep -o '<tr class="host' "$dom" | wc -l | tr -d ' ')"
	expect_eq "[$lang] flows in the zone matrix" "$json_zoned_flows" \
		"$(grep -o '<td class="v-[a-z_]*" [^>]*data-flows="[0-9]*"' "$dom" |
			sed 's/.*data-flows="\([0-9]*\)"/\1/' | awk '{ n += $1 } END { print n + 0 }')"
	if [ -n "${HTML_KEEP:-}" ]; then
		mkdir -p "$HTML_KEEP" && cp "$html" "$TMP/report-$lang.png" "$TMP/report-$lang.pdf" "$HTML_KEEP/"
	fi
done

tally
