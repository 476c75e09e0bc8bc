#!/bin/sh
# tests/run-live.sh SEGSCAN - live capture against real hosts.
#
# Builds its own lab: two network namespaces joined by a veth pair, a TCP
# server in one, a client and pings from the other, and segscan capturing
# live inside the first namespace. Every address is inside the lab (a
# TEST-NET range on the veth only); the namespaces are removed on exit,
# whatever happens. Needs root and iproute2; skipped with a message
# otherwise. Ends with "N passed, M failed".
set -u
SEGSCAN=$1
case $SEGSCAN in /*) ;; *) SEGSCAN=$(pwd)/$SEGSCAN ;; esac
JSONCMP=${JSONCMP:-$(cd "$(dirname "$0")/.." && pwd)/build/tests/tool_jsoncmp}

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null 2>&1; then
	echo "live tests skipped: need root and iproute2"
	echo "0 passed, 0 failed"
	exit 0
fi

NS_A=segscan-live-a-$$
NS_B=segscan-live-b-$$
TMP=$(mktemp -d "${TMPDIR:-/tmp}/segscan-live.XXXXXX")
cleanup() {
	ip netns pids "$NS_A" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns pids "$NS_B" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

passed=0
failed=0
ok() { echo "PASS $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }

if ! ip netns add "$NS_A" 2>"$TMP/err" || ! ip netns add "$NS_B" 2>>"$TMP/err"; then
	echo "live tests skipped: cannot create network namespaces: $(cat "$TMP/err")"
	echo "0 passed, 0 failed"
	exit 0
fi
ip link add va type veth peer name vb
ip link set va netns "$NS_A"
ip link set vb netns "$NS_B"
ip -n "$NS_A" link set va address 02:00:5e:10:00:0a
ip -n "$NS_B" link set vb address 02:00:5e:10:00:0b
ip -n "$NS_A" addr add 192.0.2.10/24 dev va
ip -n "$NS_B" addr add 192.0.2.20/24 dev vb
ip -n "$NS_A" link set va up
ip -n "$NS_B" link set vb up
ip -n "$NS_A" link set lo up
ip -n "$NS_B" link set lo up

# A real TCP server in B on port 8502.
ip netns exec "$NS_B" sh -c 'while :; do nc -l -p 8502 >/dev/null 2>&1 </dev/null || nc -l 8502 >/dev/null 2>&1 </dev/null; done' &
sleep 0.5

# segscan listens in A for 4 seconds while A talks to B.
timeout 30 ip netns exec "$NS_A" "$SEGSCAN" audit -i va -t 4 -q -o "$TMP/live.json" -f json \
	>"$TMP/out" 2>"$TMP/err" &
SPID=$!
sleep 1
ip netns exec "$NS_A" ping -c 3 -i 0.2 192.0.2.20 >/dev/null 2>&1
ip netns exec "$NS_A" sh -c 'echo hello | nc -w 1 192.0.2.20 8502' >/dev/null 2>&1
wait $SPID
rc=$?
if [ "$rc" -eq 0 ]; then ok "live audit exits 0 without a policy"; else bad "live audit exit status $rc: $(cat "$TMP/err")"; fi

cat >"$TMP/expected.json" <<'JSON'
{
  "scan": {"inputs": ["live:va"]},
  "hosts": ["...subset",
    {"mac": "02:00:5e:10:00:0a", "ips": ["...subset", "192.0.2.10"], "mac_local": true,
     "evidence": ["...subset", "arp"]},
    {"mac": "02:00:5e:10:00:0b", "ips": ["...subset", "192.0.2.20"],
     "services": [{"proto": "tcp", "port": 8502}]}
  ],
  "flows": ["...subset",
    {"src": "192.0.2.10", "dst": "192.0.2.20", "proto": "tcp", "dport": 8502},
    {"src": "192.0.2.10", "dst": "192.0.2.20", "proto": "icmp"}
  ]
}
JSON
if [ -s "$TMP/live.json" ] && "$JSONCMP" "$TMP/expected.json" "$TMP/live.json"; then
	ok "live capture sees both hosts, the TCP service and the flows"
else
	bad "live capture result differs"
fi

# A BPF filter applies to live capture: only ICMP, so no TCP flow.
timeout 30 ip netns exec "$NS_A" "$SEGSCAN" audit -i va -t 3 -q --filter icmp -o "$TMP/f.json" -f json \
	2>"$TMP/err" &
SPID=$!
sleep 1
ip netns exec "$NS_A" ping -c 2 -i 0.2 192.0.2.20 >/dev/null 2>&1
ip netns exec "$NS_A" sh -c 'echo hello | nc -w 1 192.0.2.20 8502' >/dev/null 2>&1
wait $SPID
if grep -q '"dport": 8502' "$TMP/f.json" 2>/dev/null || ! grep -q '"proto": "icmp"' "$TMP/f.json" 2>/dev/null; then
	bad "--filter icmp on a live capture"
else
	ok "--filter icmp on a live capture"
fi

# A missing interface is an input error naming it.
timeout 30 ip netns exec "$NS_A" "$SEGSCAN" audit -i nosuch0 -t 1 -q >/dev/null 2>"$TMP/err"
rc=$?
if [ "$rc" -eq 2 ] && grep -q nosuch0 "$TMP/err"; then ok "missing interface is exit 2"; else bad "missing interface: rc $rc"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
