#!/bin/sh
# The layers of segscan, lowest first. A file may include a header of its own
# folder or of a folder before it, never one after it:
#   common <- policy <- model <- scanner <- reports <- diff <- monitor <- cli
# Fails (exit 1) naming every include that points up the list, and every
# file in cli/ over CLI_MAX_LINES (200) lines: commands only parse options
# and call the library.
# Usage: check-layers.sh [ROOT]   (ROOT defaults to the checkout).
#        check-layers.sh --selftest  (proves the check fails on an upward include)
if [ "${1:-}" = --selftest ]; then
	t=$(mktemp -d) || exit 2
	mkdir -p "$t/common" "$t/model" "$t/scanner"
	printf '#include "model/result.h"\n' >"$t/scanner/ok.c"
	printf '#include "scanner/ok.h"\n' >"$t/model/up.c"
	if "$0" "$t" >/dev/null 2>&1; then
		echo "layers: selftest: an upward include was not caught" >&2
		rm -rf "$t"
		exit 1
	fi
	rm -f "$t/model/up.c"
	if ! "$0" "$t" >/dev/null 2>&1; then
		echo "layers: selftest: a downward include was refused" >&2
		rm -rf "$t"
		exit 1
	fi
	mkdir -p "$t/cli"
	i=0
	while [ $i -lt 201 ]; do echo "/* line */"; i=$((i + 1)); done >"$t/cli/cmd-long.c"
	if "$0" "$t" >/dev/null 2>&1; then
		echo "layers: selftest: a cli/ file of 201 lines was not caught" >&2
		rm -rf "$t"
		exit 1
	fi
	sed -i 1d "$t/cli/cmd-long.c"
	if ! "$0" "$t" >/dev/null 2>&1; then
		echo "layers: selftest: a cli/ file of 200 lines was refused" >&2
		rm -rf "$t"
		exit 1
	fi
	rm -rf "$t"
	echo "layers: selftest: upward include caught, downward accepted, long cli/ file caught"
	exit 0
fi
cd "${1:-$(dirname "$0")/..}" || exit 2
LAYERS="common policy model scanner reports diff monitor cli"

rank() {
	i=0
	for l in $LAYERS; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

bad=0
checked=0
for dir in $LAYERS; do
	own=$(rank "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		checked=$((checked + 1))
		# Only project headers: #include "folder/name.h".
		for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			case "$inc" in */*) ;; *) echo "layers: $f includes \"$inc\" without its folder" >&2; bad=$((bad + 1)); continue ;; esac
			to=${inc%%/*}
			r=$(rank "$to")
			if [ "$r" -lt 0 ]; then
				echo "layers: $f includes $inc from outside the layers ($LAYERS)" >&2
				bad=$((bad + 1))
			elif [ "$r" -gt "$own" ]; then
				echo "layers: $f ($dir) includes $inc ($to is above $dir)" >&2
				bad=$((bad + 1))
			fi
		done
	done
done
# Commands only parse options: no file in cli/ over CLI_MAX_LINES lines.
CLI_MAX_LINES=200
# No exemption: cli/cmd-monitor.c calls the service in monitor/service.c.
CLI_EXEMPT=""
long=0
for f in cli/*.c cli/*.h; do
	[ -f "$f" ] || continue
	case " $CLI_EXEMPT " in *" $f "*) continue ;; esac
	n=$(wc -l <"$f")
	if [ "$n" -gt "$CLI_MAX_LINES" ]; then
		echo "layers: $f has $n lines (at most $CLI_MAX_LINES in cli/: move the work into the library)" >&2
		long=$((long + 1))
	fi
done
if [ "$bad" -ne 0 ]; then
	echo "layers: $bad include(s) break the order $LAYERS" >&2
fi
if [ "$long" -ne 0 ]; then
	echo "layers: $long file(s) in cli/ over $CLI_MAX_LINES lines" >&2
fi
[ "$bad" -eq 0 ] && [ "$long" -eq 0 ] || exit 1
echo "layers: $checked files, every include points down the order $LAYERS; no file in cli/ over $CLI_MAX_LINES lines"
