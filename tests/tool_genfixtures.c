/*
 * tests/tool_genfixtures.c - writes the fixture captures of tests/fixtures/.
 *
 *     build/tests/tool_genfixtures tests/fixtures
 *
 * Every capture is built packet by packet with tests/helper_pcapgen, so the
 * expected results next to them (NAME.expected.json) follow from this file
 * alone: what each host sent, which packets bind which address, which side
 * opened each flow. The captures are committed; rerun this program only when
 * a fixture changes, and check the result with `tshark -r FILE -V`.
 *
 * All captures start at 2024-03-04T05:06:07Z (Unix time 1709528767).
 */
#include "tests/helper_pcapgen.h"

#include <stdlib.h>
#include <string.h>

#define T0_NS 1709528767000000000ull
#define MS(n) (T0_NS + (uint64_t)(n)*1000000ull)

static const char *outdir;
static int failures;

static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static char *path_for(const char *name)
{
	size_t n = strlen(outdir) + strlen(name) + 2;
	char *p = malloc(n);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	snprintf(p, n, "%s/%s", outdir, name);
	return p;
}

static pg_pcap *open_pcap(const char *name, uint32_t linktype, int ns)
{
	char *p = path_for(name);
	pg_pcap *w = pg_pcap_open(p, linktype, ns, 65535);

	if (!w) {
		perror(p);
		exit(2);
	}
	free(p);
	return w;
}

static void close_pcap(pg_pcap *w, const char *name)
{
	if (pg_pcap_close(w) != 0) {
		fprintf(stderr, "genfixtures: writing %s failed\n", name);
		failures++;
	}
}

static void put(pg_pcap *w, uint64_t ts, const pg_frame *f)
{
	if (pg_pcap_frame(w, ts, f) != 0)
		failures++;
}

/* Ethernet (optionally with one 802.1Q tag) + IPv4 ARP, padded to 60 bytes. */
static void arp_frame(pg_frame *f, int vid, uint16_t op, const uint8_t *sha, uint32_t spa,
                      const uint8_t *tha, uint32_t tpa)
{
	pg_frame_init(f);
	if (vid >= 0) {
		pg_eth(f, op == PG_ARP_REQUEST ? BCAST : tha, sha, PG_ETH_VLAN);
		pg_vlan(f, 0, (uint16_t)vid, PG_ETH_ARP);
	} else {
		pg_eth(f, op == PG_ARP_REQUEST ? BCAST : tha, sha, PG_ETH_ARP);
	}
	pg_arp(f, op, sha, spa, op == PG_ARP_REQUEST ? NULL : tha, tpa);
	pg_pad(f, 60, 0);
}

/* Ethernet + IPv4 + TCP. */
static void tcp4_frame(pg_frame *f, const uint8_t *dmac, const uint8_t *smac, uint32_t sip,
                       uint32_t dip, uint8_t ttl, const pg_tcp_opt *t)
{
	size_t ip;

	pg_frame_init(f);
	pg_eth(f, dmac, smac, PG_ETH_IPV4);
	ip = pg_ipv4_begin(f, &(pg_ipv4){.src = sip,
	                                 .dst = dip,
	                                 .proto = PG_IP_TCP,
	                                 .ttl = ttl,
	                                 .df = 1,
	                                 .id = (uint16_t)(sip ^ t->seq)});
	pg_tcp(f, ip, t);
	pg_ipv4_end(f, ip);
	pg_pad(f, 60, 0);
}

/* Ethernet + IPv4 + UDP. */
static void udp4_frame(pg_frame *f, const uint8_t *dmac, const uint8_t *smac, uint32_t sip,
                       uint32_t dip, uint16_t sport, uint16_t dport, const void *data, size_t n)
{
	size_t ip;

	pg_frame_init(f);
	pg_eth(f, dmac, smac, PG_ETH_IPV4);
	ip = pg_ipv4_begin(f, &(pg_ipv4){.src = sip, .dst = dip, .proto = PG_IP_UDP, .id = sport});
	pg_udp(f, ip, sport, dport, data, n);
	pg_ipv4_end(f, ip);
	pg_pad(f, 60, 0);
}

/* ------------------------------------------------------------------ */

/*
 * vlan-arp-reply-42-bytes.pcap: arp-scan's unmarshal_arp_pkt underflow. An
 * 802.1Q-tagged ARP reply captured with only 42 bytes: 18 bytes of Ethernet
 * and tag leave 24 of the 28 ARP bytes, so the target protocol address is cut
 * off. It must be counted as truncated and produce nothing.
 */
static void fx_vlan_arp_42(void)
{
	uint8_t req[6], bad[6], good[6];
	pg_frame f;
	pg_pcap *w = open_pcap("vlan-arp-reply-42-bytes.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:0a:00:05", req);
	pg_mac("00:1b:21:0a:00:32", bad);
	pg_mac("00:1b:21:0a:00:33", good);

	arp_frame(&f, 10, PG_ARP_REQUEST, req, pg_ip4("10.10.0.5"), NULL, pg_ip4("10.10.0.50"));
	put(w, MS(0), &f);

	arp_frame(&f, 10, PG_ARP_REPLY, bad, pg_ip4("10.10.0.50"), req, pg_ip4("10.10.0.5"));
	if (pg_pcap_write(w, MS(1), f.b, 42, f.len) != 0) /* caplen 42 < len 60 */
		failures++;

	arp_frame(&f, 10, PG_ARP_REPLY, good, pg_ip4("10.10.0.51"), req, pg_ip4("10.10.0.5"));
	put(w, MS(2), &f);
	close_pcap(w, "vlan-arp-reply-42-bytes.pcap");
}

/* qinq-arp.pcap: 802.1ad outer tag 100 (service), 802.1Q inner tag 10. */
static void qinq_arp(pg_frame *f, uint16_t op, const uint8_t *sha, uint32_t spa, const uint8_t *tha,
                     uint32_t tpa)
{
	pg_frame_init(f);
	pg_eth(f, op == PG_ARP_REQUEST ? BCAST : tha, sha, PG_ETH_QINQ);
	pg_vlan(f, 0, 100, PG_ETH_VLAN);
	pg_vlan(f, 0, 10, PG_ETH_ARP);
	pg_arp(f, op, sha, spa, op == PG_ARP_REQUEST ? NULL : tha, tpa);
	pg_pad(f, 60, 0);
}

static void fx_qinq_arp(void)
{
	uint8_t a[6], b[6];
	pg_frame f;
	pg_pcap *w = open_pcap("qinq-arp.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:0b:00:05", a);
	pg_mac("00:1b:21:0b:00:01", b);
	qinq_arp(&f, PG_ARP_REQUEST, a, pg_ip4("10.20.0.5"), NULL, pg_ip4("10.20.0.1"));
	put(w, MS(0), &f);
	qinq_arp(&f, PG_ARP_REPLY, b, pg_ip4("10.20.0.1"), a, pg_ip4("10.20.0.5"));
	put(w, MS(1), &f);
	close_pcap(w, "qinq-arp.pcap");
}

/* ------------------------------------------------------------------ */

static size_t ip6_begin(pg_frame *f, const uint8_t *dmac, const uint8_t *smac, const char *src,
                        const char *dst, uint8_t next, uint8_t hlim)
{
	pg_ipv6 h;

	memset(&h, 0, sizeof h);
	pg_ip6(src, h.src);
	pg_ip6(dst, h.dst);
	h.next = next;
	h.hlim = hlim;
	pg_frame_init(f);
	pg_eth(f, dmac, smac, PG_ETH_IPV6);
	return pg_ipv6_begin(f, &h);
}

/*
 * ipv6-ndp.pcap: A and B resolve each other with NS/NA (global and
 * link-local), R advertises a prefix, C talks without any NDP evidence.
 */
static void fx_ipv6_ndp(void)
{
	uint8_t a[6], b[6], r[6], c[6], mc_b[6], mc_all[6], mc_a_ll[6], tgt[16], pfx[16];
	pg_frame f;
	size_t ip;
	static const char ping[] = "segscan-ndp-echo";
	pg_pcap *w = open_pcap("ipv6-ndp.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:0c:00:0a", a);
	pg_mac("00:1b:21:0c:00:0b", b);
	pg_mac("00:1b:21:0c:00:01", r);
	pg_mac("00:1b:21:0c:00:0c", c);
	pg_mac("33:33:ff:00:00:0b", mc_b);
	pg_mac("33:33:ff:0c:00:0a", mc_a_ll);
	pg_mac("33:33:00:00:00:01", mc_all);

	/* A (global) asks for B's global address. */
	ip = ip6_begin(&f, mc_b, a, "2001:db8:10::a", "ff02::1:ff00:b", PG_IP_ICMPV6, 255);
	pg_ip6("2001:db8:10::b", tgt);
	pg_icmp6_ns(&f, ip, tgt, a);
	pg_ipv6_end(&f, ip);
	put(w, MS(0), &f);

	/* B answers with its target link-layer address. */
	ip = ip6_begin(&f, a, b, "2001:db8:10::b", "2001:db8:10::a", PG_IP_ICMPV6, 255);
	pg_icmp6_na(&f, ip, PG_NA_SOLICITED | PG_NA_OVERRIDE, tgt, b);
	pg_ipv6_end(&f, ip);
	put(w, MS(1), &f);

	/* B (link-local) asks for A's link-local address. */
	ip =
	    ip6_begin(&f, mc_a_ll, b, "fe80::21b:21ff:fe0c:b", "ff02::1:ff0c:a", PG_IP_ICMPV6, 255);
	pg_ip6("fe80::21b:21ff:fe0c:a", tgt);
	pg_icmp6_ns(&f, ip, tgt, b);
	pg_ipv6_end(&f, ip);
	put(w, MS(2), &f);

	/* A answers. */
	ip = ip6_begin(&f, b, a, "fe80::21b:21ff:fe0c:a", "fe80::21b:21ff:fe0c:b", PG_IP_ICMPV6,
	               255);
	pg_icmp6_na(&f, ip, PG_NA_SOLICITED | PG_NA_OVERRIDE, tgt, a);
	pg_ipv6_end(&f, ip);
	put(w, MS(3), &f);

	/* R advertises 2001:db8:10::/64 from fe80::1. */
	ip = ip6_begin(&f, mc_all, r, "fe80::1", "ff02::1", PG_IP_ICMPV6, 255);
	pg_ip6("2001:db8:10::", pfx);
	pg_icmp6_ra(&f, ip, 64, 1800, r, pfx, 64);
	pg_ipv6_end(&f, ip);
	put(w, MS(4), &f);

	/* C pings A from 2001:db8:10::c: no NDP evidence binds ::c to C. */
	ip = ip6_begin(&f, a, c, "2001:db8:10::c", "2001:db8:10::a", PG_IP_ICMPV6, 64);
	pg_icmp6_echo(&f, ip, 128, 0x77, 1, ping, sizeof ping - 1);
	pg_ipv6_end(&f, ip);
	put(w, MS(5), &f);

	ip = ip6_begin(&f, c, a, "2001:db8:10::a", "2001:db8:10::c", PG_IP_ICMPV6, 64);
	pg_icmp6_echo(&f, ip, 129, 0x77, 1, ping, sizeof ping - 1);
	pg_ipv6_end(&f, ip);
	put(w, MS(6), &f);

	/* C sends UDP to A:5001 behind hop-by-hop, destination options and an
	 * atomic fragment header: the decoder must walk the chain. */
	ip = ip6_begin(&f, a, c, "2001:db8:10::c", "2001:db8:10::a", PG_IP_HOPOPTS, 64);
	pg_ip6_hopopts(&f, PG_IP_DSTOPTS, 0);
	pg_ip6_dstopts(&f, PG_IP_FRAGMENT);
	pg_ip6_frag(&f, PG_IP_UDP, 0, 0, 0x5eed);
	pg_udp(&f, ip, 40001, 5001, "ext-chain", 9);
	pg_ipv6_end(&f, ip);
	put(w, MS(7), &f);

	close_pcap(w, "ipv6-ndp.pcap");
}

/* ------------------------------------------------------------------ */

/*
 * router-many-sources.pcap: the router 00:00:0c:07:ac:01 (10.10.0.1 by ARP)
 * forwards SYNs from 300 routed sources to 10.10.1.20:80, which answers each
 * with a SYN-ACK. Every sixth source (i % 6 == 5) is private 192.168.77.N
 * (N = 1..50), the others public 81.2.0.N (N = 1..250).
 */
static void fx_router(void)
{
	uint8_t rt[6], sv[6];
	uint32_t rip = pg_ip4("10.10.0.1"), sip = pg_ip4("10.10.1.20");
	pg_frame f;
	int npub = 0, npriv = 0;
	pg_pcap *w = open_pcap("router-many-sources.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:00:0c:07:ac:01", rt);
	pg_mac("00:1b:21:0d:00:14", sv);
	arp_frame(&f, -1, PG_ARP_REQUEST, rt, rip, NULL, sip);
	put(w, MS(0), &f);
	arp_frame(&f, -1, PG_ARP_REPLY, sv, sip, rt, rip);
	put(w, MS(1), &f);

	for (int i = 0; i < 300; i++) {
		uint32_t src;
		uint16_t sport = (uint16_t)(40000 + i);
		uint32_t isn = 0x10000000u + (uint32_t)i * 7919u;

		if (i % 6 == 5)
			src = pg_ip4("192.168.77.0") + (uint32_t)++npriv;
		else
			src = pg_ip4("81.2.0.0") + (uint32_t)++npub;
		tcp4_frame(&f, sv, rt, src, sip, 57,
		           &(pg_tcp_opt){.sport = sport,
		                         .dport = 80,
		                         .seq = isn,
		                         .flags = PG_SYN,
		                         .mss = 1460,
		                         .sack_perm = 1,
		                         .ws = 8});
		put(w, MS(10 + i * 10), &f);
		tcp4_frame(&f, rt, sv, sip, src, 64,
		           &(pg_tcp_opt){.sport = 80,
		                         .dport = sport,
		                         .seq = 0x50000000u + isn,
		                         .ack = isn + 1,
		                         .flags = PG_SYN | PG_ACK,
		                         .mss = 1460,
		                         .sack_perm = 1,
		                         .ws = 8});
		put(w, MS(10 + i * 10 + 1), &f);
	}
	if (npub != 250 || npriv != 50)
		failures++;
	close_pcap(w, "router-many-sources.pcap");
}

/* ------------------------------------------------------------------ */

/*
 * randomized-mac.pcap: a phone with a randomised (locally administered) MAC
 * gets 10.10.0.123 from the DHCP server 10.10.0.2.
 */
static void dhcp_frame(pg_frame *f, const uint8_t *dmac, const uint8_t *smac, uint32_t sip,
                       uint32_t dip, int from_server, const pg_dhcp *d)
{
	uint8_t msg[600];
	size_t n = pg_dhcp_build(msg, sizeof msg, d);

	if (n == 0)
		failures++;
	udp4_frame(f, dmac, smac, sip, dip, from_server ? 67 : 68, from_server ? 68 : 67, msg, n);
}

static void fx_randomized_mac(void)
{
	static const uint8_t prl[] = {1, 3, 6, 15, 26, 28, 51, 58, 59, 43};
	uint8_t cl[6], srv[6];
	uint32_t srv_ip = pg_ip4("10.10.0.2"), lease = pg_ip4("10.10.0.123");
	uint32_t bcast = pg_ip4("255.255.255.255");
	pg_dhcp d;
	pg_frame f;
	pg_pcap *w = open_pcap("randomized-mac.pcap", PG_LT_ETHERNET, 0);

	pg_mac("da:a1:19:12:34:56", cl);
	pg_mac("00:1b:21:0e:00:02", srv);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPDISCOVER;
	d.xid = 0x3903f326;
	memcpy(d.chaddr, cl, 6);
	d.hostname = "Pixel-7a";
	d.vendor_class = "android-dhcp-14";
	d.prl = prl;
	d.prl_len = sizeof prl;
	dhcp_frame(&f, BCAST, cl, 0, bcast, 0, &d);
	put(w, MS(0), &f);

	/* The server checks that the address is free before offering it. */
	arp_frame(&f, -1, PG_ARP_REQUEST, srv, srv_ip, NULL, lease);
	put(w, MS(5), &f);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPOFFER;
	d.xid = 0x3903f326;
	memcpy(d.chaddr, cl, 6);
	d.yiaddr = lease;
	d.server_id = srv_ip;
	d.lease_time = 86400;
	d.subnet_mask = pg_ip4("255.255.0.0");
	d.router = pg_ip4("10.10.0.1");
	dhcp_frame(&f, cl, srv, srv_ip, lease, 1, &d);
	put(w, MS(1005), &f);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPREQUEST;
	d.xid = 0x3903f326;
	memcpy(d.chaddr, cl, 6);
	d.requested_ip = lease;
	d.server_id = srv_ip;
	d.hostname = "Pixel-7a";
	d.vendor_class = "android-dhcp-14";
	d.prl = prl;
	d.prl_len = sizeof prl;
	dhcp_frame(&f, BCAST, cl, 0, bcast, 0, &d);
	put(w, MS(1010), &f);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPACK;
	d.xid = 0x3903f326;
	memcpy(d.chaddr, cl, 6);
	d.yiaddr = lease;
	d.server_id = srv_ip;
	d.lease_time = 86400;
	d.subnet_mask = pg_ip4("255.255.0.0");
	d.router = pg_ip4("10.10.0.1");
	dhcp_frame(&f, cl, srv, srv_ip, lease, 1, &d);
	put(w, MS(1012), &f);

	close_pcap(w, "randomized-mac.pcap");
}

/* ------------------------------------------------------------------ */

/* pcapng-basic.pcapng: SHB, IDB, ARP, an unknown block, a TCP handshake. */
static void epb(pg_pcapng *w, uint64_t ts, const pg_frame *f)
{
	if (f->overflow || pg_pcapng_epb(w, 0, ts, f->b, f->len, f->len) != 0)
		failures++;
}

static void fx_pcapng(void)
{
	static const uint8_t unknown[] = "a block type no reader knows; skip me";
	uint8_t a[6], b[6];
	uint32_t aip = pg_ip4("10.30.0.10"), bip = pg_ip4("10.30.0.20");
	pg_frame f;
	char *p = path_for("pcapng-basic.pcapng");
	pg_pcapng *w = pg_pcapng_open(p);

	if (!w) {
		perror(p);
		exit(2);
	}
	free(p);
	pg_mac("00:1b:21:0f:00:10", a);
	pg_mac("00:1b:21:0f:00:20", b);
	if (pg_pcapng_idb(w, PG_LT_ETHERNET, 262144) != 0)
		failures++;

	arp_frame(&f, -1, PG_ARP_REQUEST, a, aip, NULL, bip);
	epb(w, MS(0), &f);
	arp_frame(&f, -1, PG_ARP_REPLY, b, bip, a, aip);
	epb(w, MS(1), &f);
	/* Block types with the high bit set are reserved for local use. */
	if (pg_pcapng_block(w, 0x80000abcu, unknown, sizeof unknown - 1) != 0)
		failures++;
	tcp4_frame(&f, b, a, aip, bip, 64,
	           &(pg_tcp_opt){.sport = 49152,
	                         .dport = 443,
	                         .seq = 1000,
	                         .flags = PG_SYN,
	                         .mss = 1460,
	                         .sack_perm = 1,
	                         .ts = 1,
	                         .tsval = 1,
	                         .ws = 8});
	epb(w, MS(100), &f);
	tcp4_frame(&f, a, b, bip, aip, 64,
	           &(pg_tcp_opt){.sport = 443,
	                         .dport = 49152,
	                         .seq = 5000,
	                         .ack = 1001,
	                         .flags = PG_SYN | PG_ACK,
	                         .mss = 1460,
	                         .sack_perm = 1,
	                         .ts = 1,
	                         .tsval = 9,
	                         .tsecr = 1,
	                         .ws = 8});
	epb(w, MS(101), &f);
	tcp4_frame(&f, b, a, aip, bip, 64,
	           &(pg_tcp_opt){.sport = 49152,
	                         .dport = 443,
	                         .seq = 1001,
	                         .ack = 5001,
	                         .flags = PG_ACK,
	                         .window = 502});
	epb(w, MS(102), &f);
	if (pg_pcapng_close(w) != 0)
		failures++;
}

/* ------------------------------------------------------------------ */

/*
 * Link types: the same handshake 10.1.1.1:40000 -> 10.1.1.2:80 under Linux
 * cooked v1/v2 (captured on 10.1.1.1, with the ARP exchange first), raw IP
 * (linktype 101 and 12) and BSD loopback.
 */
enum link { L_SLL, L_SLL2, L_RAW, L_NULL };

static void link_hdr(pg_frame *f, enum link l, int outgoing, const uint8_t *mac, uint16_t proto)
{
	pg_frame_init(f);
	switch (l) {
	case L_SLL:
		pg_sll(f, outgoing ? 4 : 0, mac, proto);
		break;
	case L_SLL2:
		pg_sll2(f, 2, outgoing ? 4 : 0, mac, proto);
		break;
	case L_RAW:
		break;
	case L_NULL:
		pg_null(f, 2); /* AF_INET */
		break;
	}
}

static void fx_link(const char *name, enum link l, uint32_t linktype)
{
	uint8_t a[6], b[6];
	uint32_t aip = pg_ip4("10.1.1.1"), bip = pg_ip4("10.1.1.2");
	pg_frame f;
	size_t ip;
	pg_pcap *w = open_pcap(name, linktype, 0);
	const pg_tcp_opt seg[3] = {
	    {.sport = 40000, .dport = 80, .seq = 100, .flags = PG_SYN, .mss = 1460},
	    {.sport = 80,
	     .dport = 40000,
	     .seq = 900,
	     .ack = 101,
	     .flags = PG_SYN | PG_ACK,
	     .mss = 1460},
	    {.sport = 40000, .dport = 80, .seq = 101, .ack = 901, .flags = PG_ACK},
	};

	pg_mac("00:1b:21:01:01:01", a);
	pg_mac("00:1b:21:01:01:02", b);
	if (l == L_SLL || l == L_SLL2) {
		link_hdr(&f, l, 1, a, PG_ETH_ARP);
		pg_arp(&f, PG_ARP_REQUEST, a, aip, NULL, bip);
		put(w, MS(0), &f);
		link_hdr(&f, l, 0, b, PG_ETH_ARP);
		pg_arp(&f, PG_ARP_REPLY, b, bip, a, aip);
		put(w, MS(1), &f);
	}
	for (int i = 0; i < 3; i++) {
		int from_a = i != 1;

		link_hdr(&f, l, from_a, from_a ? a : b, PG_ETH_IPV4);
		ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = from_a ? aip : bip,
		                                  .dst = from_a ? bip : aip,
		                                  .proto = PG_IP_TCP,
		                                  .df = 1,
		                                  .id = (uint16_t)(0x100 + i)});
		pg_tcp(&f, ip, &seg[i]);
		pg_ipv4_end(&f, ip);
		put(w, MS(10 + i), &f);
	}
	close_pcap(w, name);
}

/* ------------------------------------------------------------------ */

/*
 * ip-padding-and-fragments.pcap: Ethernet trailers after the IP packet, a
 * fragmented UDP datagram whose second fragment looks like a UDP header to
 * port 53, and a UDP datagram behind a 4-byte IP option (IHL 6).
 */
static void fx_padding_frag(void)
{
	static const char http_trailer[] = "GET / HTTP/1.1\r\nHost: padding\r\n\r\n";
	uint8_t x[6], y[6], dgram[56], *pl = dgram + 8;
	static const uint8_t ra[4] = {0x94, 0x04, 0x00, 0x00}; /* router alert */
	uint32_t xip = pg_ip4("10.2.0.1"), yip = pg_ip4("10.2.0.2");
	pg_frame f;
	size_t ip;
	pg_pcap *w = open_pcap("ip-padding-and-fragments.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:02:00:01", x);
	pg_mac("00:1b:21:02:00:02", y);
	arp_frame(&f, -1, PG_ARP_REQUEST, x, xip, NULL, yip);
	put(w, MS(0), &f);
	arp_frame(&f, -1, PG_ARP_REPLY, y, yip, x, xip);
	put(w, MS(1), &f);

	/* TCP handshake; the final ACK carries 33 bytes of HTTP-looking
	 * Ethernet trailer after the 40-byte IP packet. */
	tcp4_frame(
	    &f, y, x, xip, yip, 64,
	    &(pg_tcp_opt){.sport = 40000, .dport = 80, .seq = 1, .flags = PG_SYN, .mss = 1460});
	put(w, MS(10), &f);
	tcp4_frame(&f, x, y, yip, xip, 64,
	           &(pg_tcp_opt){.sport = 80,
	                         .dport = 40000,
	                         .seq = 77,
	                         .ack = 2,
	                         .flags = PG_SYN | PG_ACK,
	                         .mss = 1460});
	put(w, MS(11), &f);
	pg_frame_init(&f);
	pg_eth(&f, y, x, PG_ETH_IPV4);
	ip = pg_ipv4_begin(
	    &f, &(pg_ipv4){.src = xip, .dst = yip, .proto = PG_IP_TCP, .df = 1, .id = 3});
	pg_tcp(&f, ip,
	       &(pg_tcp_opt){.sport = 40000, .dport = 80, .seq = 2, .ack = 78, .flags = PG_ACK});
	pg_ipv4_end(&f, ip);
	pg_append(&f, http_trailer, sizeof http_trailer - 1);
	put(w, MS(12), &f);

	/* UDP 40010 -> 5001 with 4 bytes of payload, frame padded to 60 with 0xaa. */
	pg_frame_init(&f);
	pg_eth(&f, y, x, PG_ETH_IPV4);
	ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = xip, .dst = yip, .proto = PG_IP_UDP, .id = 4});
	pg_udp(&f, ip, 40010, 5001, "ping", 4);
	pg_ipv4_end(&f, ip);
	pg_pad(&f, 60, 0xaa);
	put(w, MS(20), &f);

	/* A 56-byte UDP datagram 40020 -> 7777 in two fragments: 32 bytes
	 * (UDP header + 24 payload) at offset 0 with MF, 24 bytes at offset 4
	 * (32 bytes). The second fragment's data starts like a UDP header
	 * 40000 -> 53: a decoder that takes L4 from it invents a DNS flow. */
	memset(pl, 'F', 48);
	pl[24] = 0x9c;
	pl[25] = 0x40; /* 40000 */
	pl[26] = 0x00;
	pl[27] = 0x35; /* 53 */
	pl[28] = 0x00;
	pl[29] = 0x18;
	pl[30] = 0x00;
	pl[31] = 0x00;
	pg_frame_init(&f); /* scratch: compute the whole datagram's checksum */
	ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = xip, .dst = yip, .proto = PG_IP_UDP});
	pg_udp(&f, ip, 40020, 7777, pl, 48);
	memcpy(dgram, f.b + ip + 20, 8);

	pg_frame_init(&f);
	pg_eth(&f, y, x, PG_ETH_IPV4);
	ip = pg_ipv4_begin(
	    &f,
	    &(pg_ipv4){
	        .src = xip, .dst = yip, .proto = PG_IP_UDP, .id = 0x1234, .mf = 1, .frag_off8 = 0});
	pg_append(&f, dgram, 32);
	pg_ipv4_end(&f, ip);
	put(w, MS(30), &f);

	pg_frame_init(&f);
	pg_eth(&f, y, x, PG_ETH_IPV4);
	ip = pg_ipv4_begin(
	    &f,
	    &(pg_ipv4){
	        .src = xip, .dst = yip, .proto = PG_IP_UDP, .id = 0x1234, .mf = 0, .frag_off8 = 4});
	pg_append(&f, dgram + 32, 24);
	pg_ipv4_end(&f, ip);
	pg_pad(&f, 60, 0);
	put(w, MS(31), &f);

	/* UDP 40030 -> 6000 behind a router-alert option: the UDP header
	 * starts at offset 24 of the IP packet, not 20. */
	pg_frame_init(&f);
	pg_eth(&f, y, x, PG_ETH_IPV4);
	ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = xip,
	                                  .dst = yip,
	                                  .proto = PG_IP_UDP,
	                                  .id = 6,
	                                  .options = ra,
	                                  .options_len = sizeof ra});
	pg_udp(&f, ip, 40030, 6000, "opts", 4);
	pg_ipv4_end(&f, ip);
	pg_pad(&f, 60, 0);
	put(w, MS(40), &f);

	close_pcap(w, "ip-padding-and-fragments.pcap");
}

/* ------------------------------------------------------------------ */

/*
 * flow-direction.pcap: a Modbus/TCP connection 10.1.1.5:51234 <-> 10.1.1.6:502
 * whose capture starts mid-stream with the server's response; an SNMP get
 * 10.1.1.5:40001 -> 10.1.1.6:161 and its response; a SYN to 10.1.1.6:23
 * answered by RST.
 */
static void fx_flow_direction(void)
{
	/* MBAP tid 1, len 5, unit 1, fc 3, 2 bytes: register 42 */
	static const uint8_t mb_resp1[] = {0, 1, 0, 0, 0, 5, 1, 3, 2, 0, 42};
	/* tid 2, len 6, unit 1, fc 3, address 0, quantity 1 */
	static const uint8_t mb_req2[] = {0, 2, 0, 0, 0, 6, 1, 3, 0, 0, 0, 1};
	static const uint8_t mb_resp2[] = {0, 2, 0, 0, 0, 5, 1, 3, 2, 0, 43};
	/* SNMPv2c get-request / get-response for sysDescr.0 */
	static const uint8_t snmp_req[] = {0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',
	                                   'b',  'l',  'i',  'c',  0xa0, 0x1c, 0x02, 0x04, 0x00,
	                                   0x00, 0x00, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	                                   0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01,
	                                   0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};
	static const uint8_t snmp_resp[] = {
	    0x30, 0x2e, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',  'l',  'i',
	    'c',  0xa2, 0x21, 0x02, 0x04, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x00,
	    0x02, 0x01, 0x00, 0x30, 0x13, 0x30, 0x11, 0x06, 0x08, 0x2b, 0x06, 0x01,
	    0x02, 0x01, 0x01, 0x01, 0x00, 0x04, 0x05, 'h',  'e',  'l',  'l',  'o'};
	uint8_t c[6], s[6];
	uint32_t cip = pg_ip4("10.1.1.5"), sip = pg_ip4("10.1.1.6");
	pg_frame f;
	pg_pcap *w = open_pcap("flow-direction.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:03:00:05", c);
	pg_mac("00:1b:21:03:00:06", s);
	arp_frame(&f, -1, PG_ARP_REQUEST, c, cip, NULL, sip);
	put(w, MS(0), &f);
	arp_frame(&f, -1, PG_ARP_REPLY, s, sip, c, cip);
	put(w, MS(1), &f);

	/* Mid-stream: the first TCP packet is the server's response. */
	tcp4_frame(&f, c, s, sip, cip, 64,
	           &(pg_tcp_opt){.sport = 502,
	                         .dport = 51234,
	                         .seq = 7000,
	                         .ack = 3000,
	                         .flags = PG_PSH | PG_ACK,
	                         .payload = mb_resp1,
	                         .payload_len = sizeof mb_resp1});
	put(w, MS(10), &f);
	tcp4_frame(
	    &f, s, c, cip, sip, 64,
	    &(pg_tcp_opt){.sport = 51234, .dport = 502, .seq = 3000, .ack = 7011, .flags = PG_ACK});
	put(w, MS(11), &f);
	tcp4_frame(&f, s, c, cip, sip, 64,
	           &(pg_tcp_opt){.sport = 51234,
	                         .dport = 502,
	                         .seq = 3000,
	                         .ack = 7011,
	                         .flags = PG_PSH | PG_ACK,
	                         .payload = mb_req2,
	                         .payload_len = sizeof mb_req2});
	put(w, MS(20), &f);
	tcp4_frame(&f, c, s, sip, cip, 64,
	           &(pg_tcp_opt){.sport = 502,
	                         .dport = 51234,
	                         .seq = 7011,
	                         .ack = 3012,
	                         .flags = PG_PSH | PG_ACK,
	                         .payload = mb_resp2,
	                         .payload_len = sizeof mb_resp2});
	put(w, MS(21), &f);
	tcp4_frame(
	    &f, s, c, cip, sip, 64,
	    &(pg_tcp_opt){.sport = 51234, .dport = 502, .seq = 3012, .ack = 7022, .flags = PG_ACK});
	put(w, MS(22), &f);

	udp4_frame(&f, s, c, cip, sip, 40001, 161, snmp_req, sizeof snmp_req);
	put(w, MS(30), &f);
	udp4_frame(&f, c, s, sip, cip, 161, 40001, snmp_resp, sizeof snmp_resp);
	put(w, MS(31), &f);

	tcp4_frame(
	    &f, s, c, cip, sip, 64,
	    &(pg_tcp_opt){.sport = 40100, .dport = 23, .seq = 555, .flags = PG_SYN, .mss = 1460});
	put(w, MS(40), &f);
	tcp4_frame(&f, c, s, sip, cip, 64,
	           &(pg_tcp_opt){.sport = 23,
	                         .dport = 40100,
	                         .seq = 0,
	                         .ack = 556,
	                         .flags = PG_RST | PG_ACK,
	                         .window = 0});
	/* (the builder writes its default window; a RST's window means nothing) */
	put(w, MS(41), &f);

	close_pcap(w, "flow-direction.pcap");
}

/* ------------------------------------------------------------------ */

/*
 * split-a.pcap (microsecond) and split-b.pcap (nanosecond magic), read in
 * that order: M is seen first in a, last in b.
 */
static void fx_multi_file(void)
{
	uint8_t m[6], n[6];
	uint32_t mip = pg_ip4("10.5.0.1"), nip = pg_ip4("10.5.0.2");
	pg_frame f;
	pg_pcap *w = open_pcap("split-a.pcap", PG_LT_ETHERNET, 0);

	pg_mac("00:1b:21:04:00:01", m);
	pg_mac("00:1b:21:04:00:02", n);
	arp_frame(&f, -1, PG_ARP_REQUEST, m, mip, NULL, nip);
	put(w, T0_NS + 123000000ull, &f); /* 05:06:07.123 */
	arp_frame(&f, -1, PG_ARP_REPLY, n, nip, m, mip);
	put(w, T0_NS + 456000000ull, &f); /* 05:06:07.456 */
	close_pcap(w, "split-a.pcap");

	w = open_pcap("split-b.pcap", PG_LT_ETHERNET, 1);
	arp_frame(&f, -1, PG_ARP_REQUEST, m, mip, NULL, pg_ip4("10.5.0.3"));
	put(w, T0_NS + 3601789012345ull, &f); /* 06:06:08.789012345 */
	close_pcap(w, "split-b.pcap");
}

/* ------------------------------------------------------------------ */

/*
 * mndp.pcap: MikroTik neighbour discovery. A RouterOS router
 * (4c:5e:0c:11:22:33, 192.168.88.1) ARP-asks for a PC; the PC
 * (00:1b:21:0e:00:20, 192.168.88.20) broadcasts the 4-byte MNDP discovery
 * request (header and sequence number, no TLV: proves nothing), and the
 * router broadcasts its announcement to udp/5678: MAC, identity
 * "gw-plant-2", version "6.49.7 (stable)", platform "MikroTik", uptime,
 * software ID, board "RB951Ui-2HnD", unpack, interface "ether2" and IPv4
 * 192.168.88.1.
 */
static size_t mndp_tlv(uint8_t *b, size_t o, uint16_t type, const void *v, size_t n)
{
	b[o++] = (uint8_t)(type >> 8);
	b[o++] = (uint8_t)type;
	b[o++] = (uint8_t)(n >> 8);
	b[o++] = (uint8_t)n;
	memcpy(b + o, v, n);
	return o + n;
}

static void fx_mndp(void)
{
	static const uint8_t uptime[4] = {0x10, 0x0e, 0x00, 0x00};
	static const uint8_t unpack[1] = {0};
	static const uint8_t v4[4] = {192, 168, 88, 1};
	uint8_t gw[6], pc[6], msg[256] = {0, 0, 0x00, 0x07}; /* header, sequence 7 */
	uint32_t gw_ip = pg_ip4("192.168.88.1"), pc_ip = pg_ip4("192.168.88.20");
	uint32_t bcast = pg_ip4("255.255.255.255");
	size_t n = 4;
	pg_frame f;
	pg_pcap *w = open_pcap("mndp.pcap", PG_LT_ETHERNET, 0);

	pg_mac("4c:5e:0c:11:22:33", gw);
	pg_mac("00:1b:21:0e:00:20", pc);
	arp_frame(&f, -1, PG_ARP_REQUEST, gw, gw_ip, NULL, pc_ip);
	put(w, MS(0), &f);
	udp4_frame(&f, BCAST, pc, pc_ip, bcast, 5678, 5678, msg, 4);
	put(w, MS(10), &f);

	n = mndp_tlv(msg, n, 1, gw, 6);
	n = mndp_tlv(msg, n, 5, "gw-plant-2", 10);
	n = mndp_tlv(msg, n, 7, "6.49.7 (stable)", 15);
	n = mndp_tlv(msg, n, 8, "MikroTik", 8);
	n = mndp_tlv(msg, n, 10, uptime, 4);
	n = mndp_tlv(msg, n, 11, "H792-MXJ3", 9);
	n = mndp_tlv(msg, n, 12, "RB951Ui-2HnD", 12);
	n = mndp_tlv(msg, n, 14, unpack, 1);
	n = mndp_tlv(msg, n, 16, "ether2", 6);
	n = mndp_tlv(msg, n, 17, v4, 4);
	udp4_frame(&f, BCAST, gw, gw_ip, bcast, 5678, 5678, msg, n);
	put(w, MS(20), &f);

	close_pcap(w, "mndp.pcap");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	fx_vlan_arp_42();
	fx_qinq_arp();
	fx_ipv6_ndp();
	fx_router();
	fx_randomized_mac();
	fx_pcapng();
	fx_link("sll.pcap", L_SLL, PG_LT_SLL);
	fx_link("sll2.pcap", L_SLL2, PG_LT_SLL2);
	fx_link("rawip.pcap", L_RAW, PG_LT_RAW);
	fx_link("rawip-linktype12.pcap", L_RAW, PG_LT_RAW12);
	fx_link("null-loopback.pcap", L_NULL, PG_LT_NULL);
	fx_padding_frag();
	fx_flow_direction();
	fx_multi_file();
	fx_mndp();
	if (failures) {
		fprintf(stderr, "genfixtures: %d failures\n", failures);
		return 1;
	}
	return 0;
}
