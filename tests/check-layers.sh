#!/bin/sh
# The layers of segscan, lowest first. A file may include a header of its own
# folder or of a folder before it, never one after it:
#   common <- policy <- model <- scanner <- reports <- diff <- monitor <- cli
# Fails (exit 1) naming every include that points up the list.
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
	rm -rf "$t"
	echo "layers: selftest: upward include caught, downward accepted"
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
if [ "$bad" -ne 0 ]; then
	echo "layers: $bad include(s) break the order $LAYERS" >&2
	exit 1
fi
echo "layers: $checked files, every include points down the order $LAYERS"
