#!/bin/sh
# bench/probe-bench.sh SEGSCAN - active discovery compared at equal rate.
#
# Builds the lab of tests/run-probe-live.sh (a bridge in its own network
# namespace, the scanner, six office hosts in 10.66.0.0/23 listening on
# eight ports in all, six plant hosts in the nested passive-only
# 10.66.1.0/25), then scans the office zone's 381 probe-able addresses with:
#   segscan  audit --probe arp,tcp --rate R --retries 1 (default ports)
#   arp-scan --file TARGETS --interval 1000/R ms --retry 2 (2 attempts each)
#   nmap     -sn -PR --max-rate R --max-retries 1 (ARP host discovery)
#   nmap     -sS -p PORTS --max-rate R --max-retries 1 (discovery + SYN scan)
# and prints hosts found, open ports found and wall time. Each tool gets the
# same target list (office minus plant, network, broadcast and the scanner).
# For `make bench`, not `make check`; needs root, iproute2, arp-scan, nmap.
# Every address is inside the lab; namespaces are removed on exit.
set -u
SEGSCAN=${1:-./segscan}
case $SEGSCAN in /*) ;; *) SEGSCAN=$(pwd)/$SEGSCAN ;; esac
RATE=${PROBE_RATE:-200}
PORTS=21,22,23,80,102,443,445,502,1883,2404,3389,4840,5900,8080,20000,44818

[ "$(id -u)" = 0 ] || { echo "probe bench skipped: need root"; exit 0; }
for t in ip arp-scan nmap nc; do
	command -v $t >/dev/null 2>&1 || { echo "probe bench skipped: need $t"; exit 0; }
done

P=ssb$$
SW=$P-sw
SC=$P-scan
TMP=$(mktemp -d "${TMPDIR:-/tmp}/segscan-probe-bench.XXXXXX")
NSLIST="$SW $SC"
cleanup() {
	for ns in $NSLIST; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null; done
	sleep 0.2
	for ns in $NSLIST; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

quiet_ns() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
}
ip netns add "$SW" || exit 1
ip netns add "$SC"
quiet_ns "$SW"
quiet_ns "$SC"
ip -n "$SW" link add br0 type bridge
ip -n "$SW" link set br0 up
attach() {
	ip link add "$2" netns "$SW" type veth peer name eth0 netns "$1"
	ip -n "$SW" link set "$2" master br0
	ip -n "$SW" link set "$2" up
	ip -n "$1" link set eth0 address "$3"
	ip -n "$1" addr add "$4/23" dev eth0
	ip -n "$1" link set eth0 up
	ip -n "$1" link set lo up
}
attach "$SC" pscan 02:00:5e:66:00:02 10.66.0.2
OFFICE="10.66.0.11 10.66.0.12 10.66.0.13 10.66.0.14 10.66.0.15 10.66.1.200"
PLANT="10.66.1.11 10.66.1.12 10.66.1.13 10.66.1.14 10.66.1.15 10.66.1.16"
ports_of() {
	case $1 in
	10.66.0.11) echo "22 502" ;; 10.66.0.12) echo "80" ;; 10.66.0.13) echo "102 4840" ;;
	10.66.0.14) echo "" ;; 10.66.0.15) echo "443" ;; 10.66.1.200) echo "8080 44818" ;;
	*) echo "22 502" ;;
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
zones:
  office: {kind: office, networks: [10.66.0.0/23], probe: allow}
  plant: {kind: plant, networks: [10.66.1.0/25]}
YAML
# The same 381 addresses for everyone: 10.66.0.1-10.66.1.254 without the
# plant /25 and without the scanner.
awk 'BEGIN { for (i = 1; i < 512; i++) { a = "10.66." int(i / 256) "." i % 256;
	if (i == 2 || (i >= 256 && i < 384) || i == 511) continue; print a } }' >"$TMP/targets"
sleep 1

now() { date +%s.%N; }
row() { printf '%-34s %6s %6s %8.1f\n' "$1" "$2" "$3" "$4"; }

t0=$(now)
ip netns exec "$SC" "$SEGSCAN" audit -i eth0 --probe arp,tcp --rate "$RATE" --retries 1 \
	-p "$TMP/policy.yaml" -q -o "$TMP/segscan.json" -f json 2>"$TMP/segscan.err"
t1=$(now)
s_hosts=$(grep -o '"arp-probe"' "$TMP/segscan.json" | wc -l)
s_ports=$(grep -o '"port": [0-9]*' "$TMP/segscan.json" | wc -l)
s_time=$(echo "$t1 - $t0" | bc 2>/dev/null || awk "BEGIN{print $t1 - $t0}")

interval=$(awk "BEGIN { printf \"%d\", 1000000 / $RATE }") # microseconds
t0=$(now)
ip netns exec "$SC" arp-scan -I eth0 --file="$TMP/targets" --interval="${interval}u" \
	--retry=2 --quiet --plain >"$TMP/arpscan.out" 2>"$TMP/arpscan.err"
t1=$(now)
a_hosts=$(grep '^10\.66\.' "$TMP/arpscan.out" | cut -f1 | sort -u | wc -l) # --plain repeats answers to retries
a_time=$(awk "BEGIN{print $t1 - $t0}")

t0=$(now)
ip netns exec "$SC" nmap -n -sn -PR -e eth0 --max-rate "$RATE" --max-retries 1 \
	-iL "$TMP/targets" >"$TMP/nmap-sn.out" 2>&1
t1=$(now)
n_hosts=$(grep -c 'Host is up' "$TMP/nmap-sn.out")
n_time=$(awk "BEGIN{print $t1 - $t0}")

t0=$(now)
ip netns exec "$SC" nmap -n -sS -PR -e eth0 -p "$PORTS" --max-rate "$RATE" --max-retries 1 \
	-iL "$TMP/targets" >"$TMP/nmap-ss.out" 2>&1
t1=$(now)
m_hosts=$(grep -c 'Host is up' "$TMP/nmap-ss.out")
m_ports=$(grep -c '/tcp *open ' "$TMP/nmap-ss.out")
m_time=$(awk "BEGIN{print $t1 - $t0}")

echo "Lab: 381 targets (office zone), 6 live hosts, 8 open ports; rate $RATE frames/s"
printf '%-34s %6s %6s %8s\n' "tool" "hosts" "ports" "time s"
row "segscan --probe arp,tcp" "$s_hosts" "$s_ports" "$(awk "BEGIN{print $s_time}")"
row "arp-scan --interval ${interval}us" "$a_hosts" "-" "$a_time"
row "nmap -sn -PR --max-rate $RATE" "$n_hosts" "-" "$n_time"
row "nmap -sS -p LIST --max-rate $RATE" "$m_hosts" "$m_ports" "$m_time"
