#!/bin/sh
# tests/run-probe-live.sh SEGSCAN - active probes against real hosts.
#
# Builds its own lab, all in network namespaces it creates: a switch (a
# Linux bridge in its own namespace), the scanner, and twelve hosts on one
# flat segment, 10.66.0.0/23:
#   zone office (probe: allow)  10.66.0.0/23: .0.11-.0.15 and .1.200
#   zone plant  (kind plant: passive-only by default) 10.66.1.0/25, nested
#               inside office: .1.11-.1.16, every one listening on 22 and 502
# Some office hosts listen on TCP ports (nc -l). segscan audits the scanner's
# interface with --probe arp,tcp; tcpdump records, on the switch, every frame
# the scanner sends (its switch port) and every frame delivered to each plant
# host (their switch ports). The test asserts: every office host is found
# with arp-probe evidence, exactly the listening ports are reported, no frame
# addressed to a plant host (unicast, or ARP or IP for a plant address)
# leaves the scanner or reaches a plant port, nothing outside the office
# zone or on its network/broadcast address is probed, and the scanner never
# sends faster than --rate, measured on the frames' own capture timestamps
# (a busy machine can only make it slower; how close it comes to --rate is
# a figure for `make bench`, not an assertion here). A flat segment floods the scanner's
# broadcast ARP requests (for office addresses) to every port; those are
# counted and reported, and must name office addresses only.
#
# Every address is inside the lab; the namespaces are removed on exit,
# whatever happens. Needs root, iproute2, tcpdump and nc; skipped with a
# message otherwise. Ends with "N passed, M failed".
set -u
SEGSCAN=$1
case $SEGSCAN in /*) ;; *) SEGSCAN=$(pwd)/$SEGSCAN ;; esac
JSONCMP=${JSONCMP:-$(cd "$(dirname "$0")/.." && pwd)/build/tests/tool_jsoncmp}
RATE=${PROBE_RATE:-200}

skip() {
	echo "probe live tests skipped: $1"
	echo "0 passed, 0 failed"
	exit 0
}
[ "$(id -u)" = 0 ] || skip "need root"
for t in ip tcpdump nc timeout; do
	command -v $t >/dev/null 2>&1 || skip "need $t"
done
[ -x "$JSONCMP" ] || skip "need $JSONCMP (make build/tests/tool_jsoncmp)"

P=ssp$$ # namespace prefix: short, unique per run
SW=$P-sw
SC=$P-scan
TMP=$(mktemp -d "${TMPDIR:-/tmp}/segscan-probe-live.XXXXXX")
NSLIST="$SW $SC"
cleanup() {
	for ns in $NSLIST; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	sleep 0.2
	for ns in $NSLIST; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

passed=0
failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

quiet_ns() { # no IPv6 chatter (router solicitations, MLD) from lab stacks
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
}

ip netns add "$SW" 2>"$TMP/err" || skip "cannot create network namespaces: $(cat "$TMP/err")"
ip netns add "$SC"
quiet_ns "$SW"
quiet_ns "$SC"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
ip -n "$SW" link set lo up

SMAC=02:00:5e:66:00:02
# attach NS IFACE-IN-SWITCH MAC ADDR
attach() {
	ip link add "$2" netns "$SW" type veth peer name eth0 netns "$1"
	ip -n "$SW" link set "$2" master br0
	ip -n "$SW" link set "$2" up
	ip -n "$1" link set eth0 address "$3"
	ip -n "$1" addr add "$4/23" dev eth0
	ip -n "$1" link set eth0 up
	ip -n "$1" link set lo up
}
attach "$SC" pscan $SMAC 10.66.0.2

OFFICE="10.66.0.11 10.66.0.12 10.66.0.13 10.66.0.14 10.66.0.15 10.66.1.200"
PLANT="10.66.1.11 10.66.1.12 10.66.1.13 10.66.1.14 10.66.1.15 10.66.1.16"
ports_of() {
	case $1 in
	10.66.0.11) echo "22 502" ;;
	10.66.0.12) echo "80" ;;
	10.66.0.13) echo "102 4840" ;;
	10.66.0.14) echo "" ;;
	10.66.0.15) echo "443" ;;
	10.66.1.200) echo "8080 44818" ;;
	*) echo "22 502" ;; # plant: would answer, if anything asked
	esac
}
n=0
for a in $OFFICE $PLANT; do
	n=$((n + 1))
	ns=$P-h$n
	NSLIST="$NSLIST $ns"
	ip netns add "$ns"
	quiet_ns "$ns"
	attach "$ns" "p$n" "$(printf '02:00:5e:66:01:%02x' $n)" "$a"
	for port in $(ports_of "$a"); do
		ip netns exec "$ns" sh -c "while :; do nc -l $port >/dev/null 2>&1 </dev/null; done" &
	done
done

cat >"$TMP/policy.yaml" <<'YAML'
version: 1
site: probe lab
zones:
  office:
    kind: office
    networks: [10.66.0.0/23]
    probe: allow
  plant:
    kind: plant
    networks: [10.66.1.0/25]
YAML

# Record on the switch: the scanner's port, and each plant host's port.
ip netns exec "$SW" tcpdump -i pscan -U -n -w "$TMP/scan.pcap" >/dev/null 2>&1 &
n=6
for a in $PLANT; do
	n=$((n + 1))
	ip netns exec "$SW" tcpdump -i "p$n" -U -n -w "$TMP/plant$n.pcap" >/dev/null 2>&1 &
done
sleep 1.5

start=$(date +%s)
timeout 90 ip netns exec "$SC" "$SEGSCAN" audit -i eth0 --probe arp,tcp --rate "$RATE" \
	--retries 1 -p "$TMP/policy.yaml" -t 20 -q -o "$TMP/result.json" -f json \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
end=$(date +%s)
sleep 0.5
ip netns pids "$SW" | xargs -r kill -INT 2>/dev/null
sleep 1
sed 's/^/  | /' "$TMP/err"
if [ "$rc" -le 1 ] && [ -s "$TMP/result.json" ]; then
	ok "audit --probe arp,tcp ran (exit $rc, $((end - start)) s)"
else
	bad "audit --probe exit status $rc"
fi
grep -q "^probe plan: arp,tcp" "$TMP/err" && grep -q "targets: 381 IPv4 addresses" "$TMP/err" &&
	ok "plan printed before the first frame (381 targets)" || bad "plan missing or wrong"

# Every office host found, with probe evidence and exactly its open ports.
{
	echo '{"hosts": ["...subset"'
	for a in $OFFICE; do
		svc=""
		for port in $(ports_of "$a"); do
			svc="$svc${svc:+, }{\"proto\": \"tcp\", \"port\": $port}"
		done
		# Closed ports answer with RST: every office host answered TCP too.
		echo ", {\"ips\": [\"...subset\", \"$a\"], \"evidence\": [\"...subset\", \"arp-probe\", \"tcp-probe\"], \"services\": [$svc]}"
	done
	echo ']}'
} >"$TMP/expected.json"
if "$JSONCMP" "$TMP/expected.json" "$TMP/result.json" >"$TMP/cmp" 2>&1; then
	ok "all 6 office hosts found with arp-probe evidence and exactly their 8 open ports"
else
	bad "office hosts or their ports differ:"
	sed 's/^/  | /' "$TMP/cmp"
fi
# What the scanner sent: decode its port's capture.
tcpdump -tt -nn -e -r "$TMP/scan.pcap" "ether src $SMAC" 2>/dev/null >"$TMP/scan.txt"
awk -v smac=$SMAC '
function plant(ip,   o) { split(ip, o, "."); return o[1] == 10 && o[2] == 66 && o[3] == 1 && o[4] + 0 < 128 }
function office(ip,   o) { split(ip, o, "."); return o[1] == 10 && o[2] == 66 && (o[3] == 0 || o[3] == 1) && !plant(ip) && ip != "10.66.0.0" && ip != "10.66.1.255" && ip != "10.66.0.2" }
/Request who-has/ {
	for (i = 1; i <= NF; i++) if ($i == "who-has") t = $(i + 1)
	na++
	if (!office(t)) { print "ARP for " t; bad++ }
	next
}
/Flags \[S\],/ {
	for (i = 1; i <= NF; i++) if ($i == ">" && i > 4) d = $(i + 1)
	sub(/\.[0-9]+:$/, "", d)
	nsyn++
	if (!office(d)) { print "SYN to " d; bad++ }
	next
}
END { print na + 0 " ARP requests and " nsyn + 0 " SYNs"; exit bad > 0 || !na || !nsyn }' "$TMP/scan.txt" >"$TMP/scope" 2>&1 &&
	ok "scanner port: all $(tail -1 "$TMP/scope") name office addresses (never plant, outside, network or broadcast)" ||
	{ bad "scanner sent frames outside the office zone:"; head "$TMP/scope" | sed 's/^/  | /'; }

# What reached the plant hosts from the scanner.
n=6
reached=0
flooded=0
for a in $PLANT; do
	n=$((n + 1))
	tcpdump -tt -nn -e -r "$TMP/plant$n.pcap" "ether src $SMAC" 2>/dev/null >"$TMP/p$n.txt"
	# Allowed: only broadcast ARP requests for office addresses (flooding).
	r=$(awk '
	function plant(ip,   o) { split(ip, o, "."); return o[1] == 10 && o[2] == 66 && o[3] == 1 && o[4] + 0 < 128 }
	/> ff:ff:ff:ff:ff:ff, ethertype ARP .* Request who-has/ {
		for (i = 1; i <= NF; i++) if ($i == "who-has") t = $(i + 1)
		if (!plant(t)) next
	}
	{ c++ } END { print c + 0 }' "$TMP/p$n.txt")
	reached=$((reached + r))
	flooded=$((flooded + $(grep -c . "$TMP/p$n.txt")))
	[ "$r" -eq 0 ] || head -3 "$TMP/p$n.txt" | sed "s/^/  | $a: /"
done
flooded=$((flooded - reached))
if [ "$reached" -eq 0 ]; then
	ok "not one frame addressed to the plant zone reached its 6 hosts ($flooded flooded broadcast ARP requests for office addresses seen there)"
else
	bad "$reached frames addressed to plant hosts reached them"
fi

# Rate, on the frames' own timestamps: neither the first ARP pass (continuous
# sending) nor the busiest second of the whole run exceeds --rate (10% for
# the token bucket's edges). No lower bound: a loaded machine sends slower,
# which breaks no promise.
awk -v rate="$RATE" '
/Request who-has|Flags \[S\],/ {
	t = $1 + 0
	if (/who-has/) { for (i = 1; i <= NF; i++) if ($i == "who-has") k = $(i + 1) } else k = ""
	all[n++] = t
	if (k != "" && !(k in seen) && !tcp_started) { seen[k] = 1; first[m++] = t }
	if (k == "") tcp_started = 1
}
END {
	r0 = (m - 1) / (first[m - 1] - first[0])
	j = 0; worst = 0
	for (i = 0; i < n; i++) { while (all[i] - all[j] >= 1.0) j++; if (i - j + 1 > worst) worst = i - j + 1 }
	err = (r0 - rate) / rate * 100
	printf "%d probe frames; first ARP pass %d frames at %.1f/s (%+.1f%% of --rate %d); busiest second %d frames\n", n, m, r0, err, rate, worst
	exit !(err <= 10 && worst <= rate * 1.1)
}' "$TMP/scan.txt" >"$TMP/rate" 2>&1
if [ $? -eq 0 ]; then ok "send rate: $(cat "$TMP/rate")"; else bad "send rate: $(cat "$TMP/rate")"; fi

# A policy-less probe without --target is refused before anything is sent.
timeout 30 ip netns exec "$SC" "$SEGSCAN" audit -i eth0 --probe arp -t 1 -q -o "$TMP/x.json" \
	>/dev/null 2>"$TMP/err2"
rc=$?
if [ "$rc" -eq 2 ] && grep -q -- "--target" "$TMP/err2"; then ok "no policy, no --target: refused (exit 2)"; else bad "no policy, no --target: exit $rc"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
