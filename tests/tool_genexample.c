/*
 * tests/tool_genexample.c - writes examples/plant.pcap, the demo capture of
 * examples/policy.yaml (Example Auto Parts Co., Plant 1).
 *
 *     build/tests/tool_genexample examples/plant.pcap
 *
 * A mirror (SPAN) port on the core switch that sees the 802.1Q trunks of
 * VLAN 10 (office), 50 (plant), 99 (backup), 20 (dmz) and 2 (management).
 * Routed traffic between two mirrored VLANs is captured twice, as on a real
 * SPAN of both VLANs: the sender's frame to the core router's MAC on its own
 * VLAN, and the router's forwarded copy (source MAC the router's, TTL one
 * lower, 40 us later) on the receiver's VLAN. The Internet uplink is a
 * routed port that is not mirrored, so traffic to and from the Internet is
 * seen only on the local VLAN.
 *
 * The capture runs on Tuesday 2024-03-05 from 01:58 to 14:05 UTC (the site
 * clock is UTC; run segscan with TZ=UTC): the backup window (01:00-04:00)
 * and the afternoon both have to be in it. Everything is fixed: no random
 * numbers, no clock. The expected result (tests/fixtures/plant-e2e.*) and
 * the tables in examples/README.md follow from this file alone; each scene
 * below says what it must produce.
 *
 * Devices (MACs and addresses; "reg" = in the policy's asset register):
 *   core-router   00:00:0c:07:ac:01  10.10.0.1 (VLAN 10), 192.168.50.1 (VLAN 50)  reg
 *   dhcp-1        00:15:5d:0a:00:02  10.10.0.2      VLAN 10  reg (by ip), dhcp_server
 *   eng-ws        00:1a:a0:01:00:50  10.10.1.50     VLAN 10  reg
 *   erp-db        00:15:5d:0a:02:14  10.10.2.20     VLAN 10  reg (by ip)
 *   pc-11         d4:be:d9:0a:01:0b  10.10.1.11     VLAN 10  not registered (DHCP lease)
 *   pc-12         d4:be:d9:0a:01:0c  10.10.1.12     VLAN 10  not registered (static)
 *   rogue router  50:c7:bf:05:00:01  10.10.5.1      VLAN 10  not registered, DHCP server
 *   laptop        00:0e:c6:4d:00:77  10.10.1.77 (VLAN 10) and 192.168.50.77 (VLAN 50)
 *   gateway       00:90:e8:99:00:05  192.168.99.5   VLAN 10  not registered, no zone
 *   hmi-01        00:01:fc:50:00:10  192.168.50.10 and .11  VLAN 50  reg
 *   plc-01        00:1b:1b:50:00:20  192.168.50.20  VLAN 50  reg
 *   xp-hmi        00:90:e8:50:00:30  192.168.50.30  VLAN 50  reg, eol
 *   backup-server 00:25:90:63:00:0a  10.99.0.10     VLAN 99  reg (by ip)
 *   backup-nas    00:11:32:63:00:14  10.99.0.20     VLAN 99  reg (by ip)
 *   web-01        00:50:56:14:0a:0a  172.16.10.10   VLAN 20  reg (by ip)
 *   core-switch   00:1e:f7:00:00:02  10.0.0.2       VLAN 2   reg (by ip)
 * Internet: 13.107.42.14 (office HTTPS), 72.21.81.240 (the XP HMI's HTTP).
 */
#include "tests/helper_pcapgen.h"

#include <stdlib.h>
#include <string.h>

/* Tuesday 2024-03-05 00:00:00 UTC. */
#define DAY_S 1709596800ull
#define AT(h, m, s)                                                                                \
	((DAY_S + (uint64_t)(h)*3600u + (uint64_t)(m)*60u + (uint64_t)(s)) * 1000000000ull)
#define MS(n) ((uint64_t)(n)*1000000ull)
#define US(n) ((uint64_t)(n)*1000ull)

static pg_pcap *out;
static int failures;
static unsigned long npackets;

static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* A device (or an Internet endpoint: mac NULL, vlan -1). */
struct dev {
	const char *mac_s;
	const char *ip_s;
	int vlan;
	uint8_t ttl; /* initial TTL of its stack */
	uint8_t mac[6];
	uint32_t ip;
	uint16_t ipid;
};

static struct dev router = {"00:00:0c:07:ac:01", "10.10.0.1", 10, 255, {0}, 0, 0};
static struct dev dhcp1 = {"00:15:5d:0a:00:02", "10.10.0.2", 10, 128, {0}, 0, 0};
static struct dev engws = {"00:1a:a0:01:00:50", "10.10.1.50", 10, 128, {0}, 0, 0};
static struct dev erpdb = {"00:15:5d:0a:02:14", "10.10.2.20", 10, 128, {0}, 0, 0};
static struct dev pc11 = {"d4:be:d9:0a:01:0b", "10.10.1.11", 10, 128, {0}, 0, 0};
static struct dev pc12 = {"d4:be:d9:0a:01:0c", "10.10.1.12", 10, 128, {0}, 0, 0};
static struct dev rogue = {"50:c7:bf:05:00:01", "10.10.5.1", 10, 64, {0}, 0, 0};
static struct dev laptop10 = {"00:0e:c6:4d:00:77", "10.10.1.77", 10, 128, {0}, 0, 0};
static struct dev laptop50 = {"00:0e:c6:4d:00:77", "192.168.50.77", 50, 128, {0}, 0, 0};
static struct dev gw = {"00:90:e8:99:00:05", "192.168.99.5", 10, 64, {0}, 0, 0};
static struct dev hmi01 = {"00:01:fc:50:00:10", "192.168.50.10", 50, 128, {0}, 0, 0};
static struct dev plc01 = {"00:1b:1b:50:00:20", "192.168.50.20", 50, 30, {0}, 0, 0};
static struct dev xphmi = {"00:90:e8:50:00:30", "192.168.50.30", 50, 128, {0}, 0, 0};
static struct dev bksrv = {"00:25:90:63:00:0a", "10.99.0.10", 99, 64, {0}, 0, 0};
static struct dev bknas = {"00:11:32:63:00:14", "10.99.0.20", 99, 64, {0}, 0, 0};
static struct dev web01 = {"00:50:56:14:0a:0a", "172.16.10.10", 20, 64, {0}, 0, 0};
static struct dev coresw = {"00:1e:f7:00:00:02", "10.0.0.2", 2, 255, {0}, 0, 0};
/* Internet endpoints: TTL as it arrives at the core router. */
static struct dev ms365 = {NULL, "13.107.42.14", -1, 117, {0}, 0, 0};
static struct dev wupd = {NULL, "72.21.81.240", -1, 116, {0}, 0, 0};

static struct dev *const all_devs[] = {
    &router, &dhcp1, &engws, &erpdb, &pc11,  &pc12,  &rogue,  &laptop10, &laptop50, &gw,
    &hmi01,  &plc01, &xphmi, &bksrv, &bknas, &web01, &coresw, &ms365,    &wupd};

/* The router's address on each VLAN it ARPs on. */
static uint32_t router_ip50;

static void init_devs(void)
{
	for (size_t i = 0; i < sizeof all_devs / sizeof all_devs[0]; i++) {
		struct dev *d = all_devs[i];
		if (d->mac_s)
			pg_mac(d->mac_s, d->mac);
		d->ip = pg_ip4(d->ip_s);
		d->ipid = (uint16_t)(0x1000 + i * 0x0737);
	}
	router_ip50 = pg_ip4("192.168.50.1");
}

static void put(uint64_t ts, const pg_frame *f)
{
	if (f->overflow || pg_pcap_frame(out, ts, f) != 0)
		failures++;
	npackets++;
}

/* Ethernet + 802.1Q tag. */
static void eth_vlan(pg_frame *f, const uint8_t *dst, const uint8_t *src, int vlan, uint16_t type)
{
	pg_frame_init(f);
	pg_eth(f, dst, src, PG_ETH_VLAN);
	pg_vlan(f, 0, (uint16_t)vlan, type);
}

/* ---- ARP ---- */

static void arp(uint64_t ts, int vlan, uint16_t op, const uint8_t *sha, uint32_t spa,
                const uint8_t *tha, uint32_t tpa)
{
	pg_frame f;

	eth_vlan(&f, op == PG_ARP_REQUEST ? BCAST : tha, sha, vlan, PG_ETH_ARP);
	pg_arp(&f, op, sha, spa, op == PG_ARP_REQUEST ? NULL : tha, tpa);
	pg_pad(&f, 64, 0);
	put(ts, &f);
}

/* Gratuitous ARP (a request for the sender's own address). */
static void garp(uint64_t ts, const struct dev *d)
{
	arp(ts, d->vlan, PG_ARP_REQUEST, d->mac, d->ip, NULL, d->ip);
}

/* a asks for b, b answers. */
static void arp_pair(uint64_t ts, const struct dev *a, const struct dev *b)
{
	arp(ts, a->vlan, PG_ARP_REQUEST, a->mac, a->ip, NULL, b->ip);
	arp(ts + US(300), b->vlan, PG_ARP_REPLY, b->mac, b->ip, a->mac, a->ip);
}

/* ---- IPv4 frames on the wire ---- */

struct l4 {
	uint8_t proto;
	const pg_tcp_opt *tcp;
	uint16_t sport, dport; /* UDP */
	const void *data;
	size_t n;
};

static void ip_frame(uint64_t ts, int vlan, const uint8_t *dmac, const uint8_t *smac, uint32_t sip,
                     uint32_t dip, uint8_t ttl, uint16_t id, const struct l4 *l)
{
	pg_frame f;
	size_t ip;

	eth_vlan(&f, dmac, smac, vlan, PG_ETH_IPV4);
	ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = sip,
	                                  .dst = dip,
	                                  .proto = l->proto,
	                                  .ttl = ttl,
	                                  .id = id,
	                                  .df = l->proto == PG_IP_TCP});
	if (l->proto == PG_IP_TCP)
		pg_tcp(&f, ip, l->tcp);
	else
		pg_udp(&f, ip, l->sport, l->dport, l->data, l->n);
	pg_ipv4_end(&f, ip);
	pg_pad(&f, 64, 0);
	put(ts, &f);
}

/*
 * One IPv4 packet from a to b as the mirror port sees it:
 *  - same VLAN: one frame, MAC to MAC;
 *  - routed: a's frame to the router on a's VLAN (if a is local), and the
 *    router's copy on b's VLAN with TTL - 1 (if b is local).
 */
static void send_ip(uint64_t ts, struct dev *a, const struct dev *b, const struct l4 *l)
{
	uint16_t id = a->ipid++;

	if (a->vlan >= 0 && a->vlan == b->vlan) {
		ip_frame(ts, a->vlan, b->mac, a->mac, a->ip, b->ip, a->ttl, id, l);
		return;
	}
	if (a->vlan >= 0)
		ip_frame(ts, a->vlan, router.mac, a->mac, a->ip, b->ip, a->ttl, id, l);
	if (b->vlan >= 0)
		ip_frame(ts + US(40), b->vlan, b->mac, router.mac, a->ip, b->ip,
		         (uint8_t)(a->ttl - 1), id, l);
}

static void send_udp(uint64_t ts, struct dev *a, const struct dev *b, uint16_t sport,
                     uint16_t dport, const void *data, size_t n)
{
	struct l4 l = {.proto = PG_IP_UDP, .sport = sport, .dport = dport, .data = data, .n = n};

	send_ip(ts, a, b, &l);
}

/* ---- TCP conversations ---- */

struct tcp_conv {
	struct dev *c, *s;
	uint16_t sport, dport;
	uint32_t cseq, sseq; /* next sequence number of each side */
	uint64_t t;          /* time of the next segment */
};

static void tcp_seg(struct tcp_conv *cv, int from_client, uint8_t flags, const void *data, size_t n,
                    uint64_t gap)
{
	pg_tcp_opt t;
	struct l4 l = {.proto = PG_IP_TCP, .tcp = &t};
	uint32_t *mine = from_client ? &cv->cseq : &cv->sseq;
	uint32_t *theirs = from_client ? &cv->sseq : &cv->cseq;

	memset(&t, 0, sizeof t);
	t.sport = from_client ? cv->sport : cv->dport;
	t.dport = from_client ? cv->dport : cv->sport;
	t.seq = *mine;
	t.ack = (flags & PG_ACK) ? *theirs : 0;
	t.flags = flags;
	/* Window scale 8 after the handshake: 1026 * 256 and 32 * 256 bytes. */
	if (flags & PG_SYN)
		t.window = from_client ? 64240 : 8192;
	else
		t.window = from_client ? 1026 : 32;
	if (flags & PG_SYN) {
		t.mss = 1460;
		t.sack_perm = 1;
		t.ws = 9;
	}
	t.payload = data;
	t.payload_len = n;
	cv->t += gap;
	send_ip(cv->t, from_client ? cv->c : cv->s, from_client ? cv->s : cv->c, &l);
	*mine += (uint32_t)n + ((flags & (PG_SYN | PG_FIN)) ? 1u : 0u);
}

static void tcp_open(struct tcp_conv *cv, struct dev *c, struct dev *s, uint16_t sport,
                     uint16_t dport, uint64_t ts)
{
	cv->c = c;
	cv->s = s;
	cv->sport = sport;
	cv->dport = dport;
	cv->cseq = 0x1f000000u ^ ((uint32_t)sport << 8) ^ c->ip;
	cv->sseq = 0x6a000000u ^ ((uint32_t)dport << 4) ^ s->ip;
	cv->t = ts;
	tcp_seg(cv, 1, PG_SYN, NULL, 0, 0);
	tcp_seg(cv, 0, PG_SYN | PG_ACK, NULL, 0, MS(1));
	tcp_seg(cv, 1, PG_ACK, NULL, 0, US(400));
}

/* Request (client) and response (server): 2 packets. */
static void tcp_rr(struct tcp_conv *cv, const void *req, size_t nreq, const void *resp,
                   size_t nresp)
{
	tcp_seg(cv, 1, PG_PSH | PG_ACK, req, nreq, MS(2));
	tcp_seg(cv, 0, PG_PSH | PG_ACK, resp, nresp, MS(3));
}

/* Orderly close: FIN (client), FIN (server), ACK (client): 3 packets. */
static void tcp_close(struct tcp_conv *cv)
{
	tcp_seg(cv, 1, PG_FIN | PG_ACK, NULL, 0, MS(5));
	tcp_seg(cv, 0, PG_FIN | PG_ACK, NULL, 0, MS(1));
	tcp_seg(cv, 1, PG_ACK, NULL, 0, US(600));
}

/* ---- application payloads ---- */

/* ISO-on-TCP (RFC 1006) COTP connection request / confirm, S7comm setup. */
static const uint8_t cotp_cr[] = {0x03, 0x00, 0x00, 0x16, 0x11, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00,
                                  0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x01};
static const uint8_t cotp_cc[] = {0x03, 0x00, 0x00, 0x16, 0x11, 0xd0, 0x00, 0x01, 0x00, 0x05, 0x00,
                                  0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x01};
static const uint8_t s7_setup[] = {0x03, 0x00, 0x00, 0x19, 0x02, 0xf0, 0x80, 0x32, 0x01,
                                   0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0xf0,
                                   0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0};
static const uint8_t s7_setup_ack[] = {0x03, 0x00, 0x00, 0x1b, 0x02, 0xf0, 0x80, 0x32, 0x03,
                                       0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00,
                                       0x00, 0xf0, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0xf0};

/* Modbus/TCP read holding registers 0..9 of unit 1, and the answer. */
static const uint8_t mb_req[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x06,
                                 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t mb_resp[] = {0x00, 0x01, 0x00, 0x00, 0x00, 0x17, 0x01, 0x03, 0x14, 0x00, 0x64,
                                  0x00, 0x00, 0x01, 0x2c, 0x00, 0x01, 0x00, 0x00, 0x0b, 0xb8, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x07};

/* RDP: X.224 Connection Request with cookie and RDP negotiation request. */
static size_t rdp_cr(uint8_t *b, const char *user)
{
	static const uint8_t neg[] = {0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00};
	char cookie[64];
	size_t nc = (size_t)snprintf(cookie, sizeof cookie, "Cookie: mstshash=%s\r\n", user);
	size_t len = 4 + 7 + nc + sizeof neg;

	b[0] = 0x03;
	b[1] = 0x00;
	pg_put16(b + 2, (uint16_t)len);
	b[4] = (uint8_t)(len - 5); /* X.224 length indicator */
	b[5] = 0xe0;               /* CR */
	memset(b + 6, 0, 5);       /* dst ref, src ref, class 0 */
	memcpy(b + 11, cookie, nc);
	memcpy(b + 11 + nc, neg, sizeof neg);
	return len;
}

static const uint8_t rdp_cc[] = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                                 0x00, 0x02, 0x00, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00};

/* SMB2 NEGOTIATE request / response inside a NetBIOS session message. */
static size_t smb2_negotiate(uint8_t *b, int response)
{
	size_t body = response ? 65 : 36 + 2 * 4;
	size_t n = 4 + 64 + body;

	memset(b, 0, n);
	b[0] = 0x00;
	b[1] = 0x00;
	pg_put16(b + 2, (uint16_t)(n - 4));
	b[4] = 0xfe;
	b[5] = 'S';
	b[6] = 'M';
	b[7] = 'B';
	b[8] = 64; /* structure size, little-endian */
	if (response)
		b[4 + 16] = 0x01; /* flags: server to redirector */
	b[4 + 64] = response ? 65 : 36;
	if (!response) {
		static const uint8_t dialects[] = {0x02, 0x02, 0x10, 0x02, 0x00, 0x03, 0x11, 0x03};
		b[4 + 64 + 2] = 4;    /* dialect count */
		b[4 + 64 + 4] = 0x01; /* security mode: signing enabled */
		memcpy(b + 4 + 64 + 36, dialects, sizeof dialects);
	} else {
		b[4 + 64 + 2] = 0x01; /* signing enabled */
		b[4 + 64 + 4] = 0x11; /* dialect 3.1.1 */
		b[4 + 64 + 5] = 0x03;
	}
	return n;
}

/* TDS PRELOGIN (MS SQL Server) request and answer. */
static const uint8_t tds_prelogin[] = {
    0x12, 0x01, 0x00, 0x2f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x06, 0x01, 0x00, 0x20,
    0x00, 0x01, 0x02, 0x00, 0x21, 0x00, 0x01, 0x03, 0x00, 0x22, 0x00, 0x04, 0xff, 0x0f, 0x00, 0x10,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
static const uint8_t tds_prelogin_resp[] = {
    0x04, 0x01, 0x00, 0x20, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x06, 0x01, 0x00, 0x16,
    0x00, 0x01, 0x02, 0x00, 0x17, 0x00, 0x01, 0xff, 0x0f, 0x00, 0x10, 0xa2, 0x00, 0x00, 0x02, 0x00};

/* A TLS 1.2/1.3 ClientHello with a server name. */
static size_t tls_client_hello(uint8_t *b, const char *sni)
{
	size_t ns = strlen(sni);
	size_t ext = 2 + 2 + 2 + 1 + 2 + ns; /* server_name extension */
	size_t hs = 2 + 32 + 1 + 2 + 4 + 1 + 1 + 2 + ext;
	size_t p = 0;

	b[p++] = 0x16;
	b[p++] = 0x03;
	b[p++] = 0x01;
	pg_put16(b + p, (uint16_t)(4 + hs));
	p += 2;
	b[p++] = 0x01; /* ClientHello */
	b[p++] = 0x00;
	pg_put16(b + p, (uint16_t)hs);
	p += 2;
	b[p++] = 0x03;
	b[p++] = 0x03;
	for (int i = 0; i < 32; i++)
		b[p++] = (uint8_t)(0x5a ^ (i * 37));
	b[p++] = 0x00; /* session id */
	pg_put16(b + p, 4);
	p += 2;
	b[p++] = 0x13; /* TLS_AES_128_GCM_SHA256 */
	b[p++] = 0x01;
	b[p++] = 0xc0; /* ECDHE_RSA_AES_128_GCM */
	b[p++] = 0x2f;
	b[p++] = 0x01; /* compression: null */
	b[p++] = 0x00;
	pg_put16(b + p, (uint16_t)ext);
	p += 2;
	pg_put16(b + p, 0x0000); /* server_name */
	p += 2;
	pg_put16(b + p, (uint16_t)(2 + 1 + 2 + ns));
	p += 2;
	pg_put16(b + p, (uint16_t)(1 + 2 + ns));
	p += 2;
	b[p++] = 0x00; /* host_name */
	pg_put16(b + p, (uint16_t)ns);
	p += 2;
	memcpy(b + p, sni, ns);
	p += ns;
	return p;
}

/* TLS ServerHello (abbreviated: record header and the handshake start). */
static const uint8_t tls_server_hello[] = {
    0x16, 0x03, 0x03, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26, 0x03, 0x03, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
    0x60, 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9, 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f,
    0x60, 0x71, 0x82, 0x93, 0xa4, 0xb5, 0xc6, 0xd7, 0xe8, 0xf9, 0x0a, 0x00, 0xc0, 0x2f, 0x00, 0x00};

/* DNS: a query for name (type A), or its answer with one address. */
static size_t dns_msg(uint8_t *b, uint16_t id, const char *name, uint32_t answer, int response)
{
	size_t p = 12;
	const char *s = name;

	memset(b, 0, 12);
	pg_put16(b, id);
	pg_put16(b + 2, response ? 0x8180 : 0x0100);
	pg_put16(b + 4, 1);
	pg_put16(b + 6, response ? 1 : 0);
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t n = dot ? (size_t)(dot - s) : strlen(s);
		b[p++] = (uint8_t)n;
		memcpy(b + p, s, n);
		p += n;
		s += n + (dot ? 1 : 0);
	}
	b[p++] = 0;
	pg_put16(b + p, 1);     /* A */
	pg_put16(b + p + 2, 1); /* IN */
	p += 4;
	if (response) {
		pg_put16(b + p, 0xc00c);
		pg_put16(b + p + 2, 1);
		pg_put16(b + p + 4, 1);
		pg_put32(b + p + 6, 300);
		pg_put16(b + p + 10, 4);
		pg_put32(b + p + 12, answer);
		p += 16;
	}
	return p;
}

/* SNMPv2c GetRequest / GetResponse for sysDescr.0 (all lengths < 128). */
static size_t snmp_msg(uint8_t *b, uint32_t reqid, const char *descr)
{
	static const uint8_t oid[] = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00};
	size_t nd = descr ? strlen(descr) : 0;
	size_t val = descr ? 2 + nd : 2;
	size_t vb = sizeof oid + val, vbl = 2 + vb, pdu = 6 + 3 + 3 + 2 + vbl;
	size_t msg = 3 + 8 + 2 + pdu, p = 0;

	b[p++] = 0x30;
	b[p++] = (uint8_t)msg;
	b[p++] = 0x02, b[p++] = 0x01, b[p++] = 0x01; /* version 2c */
	b[p++] = 0x04, b[p++] = 0x06;
	memcpy(b + p, "public", 6);
	p += 6;
	b[p++] = descr ? 0xa2 : 0xa0;
	b[p++] = (uint8_t)pdu;
	b[p++] = 0x02, b[p++] = 0x04;
	pg_put32(b + p, reqid);
	p += 4;
	b[p++] = 0x02, b[p++] = 0x01, b[p++] = 0x00;
	b[p++] = 0x02, b[p++] = 0x01, b[p++] = 0x00;
	b[p++] = 0x30, b[p++] = (uint8_t)vb + 2;
	b[p++] = 0x30, b[p++] = (uint8_t)vb;
	memcpy(b + p, oid, sizeof oid);
	p += sizeof oid;
	if (descr) {
		b[p++] = 0x04;
		b[p++] = (uint8_t)nd;
		memcpy(b + p, descr, nd);
		p += nd;
	} else {
		b[p++] = 0x05;
		b[p++] = 0x00;
	}
	return p;
}

/* ---- DHCP ---- */

static void dhcp_send(uint64_t ts, const struct dev *from, const uint8_t *dmac, uint32_t sip,
                      uint32_t dip, int from_server, const pg_dhcp *d)
{
	uint8_t msg[600];
	size_t n = pg_dhcp_build(msg, sizeof msg, d);
	struct l4 l = {.proto = PG_IP_UDP,
	               .sport = from_server ? 67 : 68,
	               .dport = from_server ? 68 : 67,
	               .data = msg,
	               .n = n};

	if (n == 0)
		failures++;
	ip_frame(ts, from->vlan, dmac, from->mac, sip, dip, from->ttl, 0, &l);
}

/* ------------------------------------------------------------------ */

/*
 * 01:58 The morning ARP refresh. The router asks for eng-ws (VLAN 10) and
 * for plc-01 (VLAN 50) from its two interface addresses; the other
 * registered devices announce themselves. Each sender pair binds.
 */
static void scene_arp_refresh(void)
{
	uint64_t t = AT(1, 58, 0);
	struct dev r50 = router;

	r50.vlan = 50;
	r50.ip = router_ip50;
	arp_pair(t, &router, &engws);
	arp_pair(t + MS(120), &r50, &plc01);
	garp(t + MS(900), &dhcp1);
	garp(t + MS(1300), &erpdb);
	garp(t + MS(2100), &hmi01);
	garp(t + MS(2600), &xphmi);
	garp(t + MS(3000), &bksrv);
	garp(t + MS(3400), &bknas);
	garp(t + MS(4200), &web01);
	garp(t + MS(5000), &coresw);
}

/*
 * A backup job: backup-server -> backup-nas tcp/445 inside VLAN 99 (no
 * router): handshake, SMB2 NEGOTIATE and answer, close = 8 packets.
 */
static void backup_session(uint64_t ts, uint16_t sport)
{
	uint8_t req[200], resp[200];
	size_t nreq = smb2_negotiate(req, 0), nresp = smb2_negotiate(resp, 1);
	struct tcp_conv cv;

	tcp_open(&cv, &bksrv, &bknas, sport, 445, ts);
	tcp_rr(&cv, req, nreq, resp, nresp);
	tcp_close(&cv);
}

/*
 * SNMP poll: core-switch (VLAN 2) -> plc-01 udp/161 and the answer, both
 * routed and seen on both VLANs: 4 packets.
 */
static void snmp_poll(uint64_t ts, uint32_t reqid)
{
	uint8_t q[128], a[160];
	size_t nq = snmp_msg(q, reqid, NULL);
	size_t na = snmp_msg(a, reqid, "Siemens, SIMATIC S7, CPU 1214C DC/DC/DC");

	send_udp(ts, &coresw, &plc01, 50161, 161, q, nq);
	send_udp(ts + MS(4), &plc01, &coresw, 161, 50161, a, na);
}

/*
 * 07:02 pc-11 boots and asks for an address. The rogue consumer router
 * (plugged in at 07:00, announces 10.10.5.1) answers first with a broadcast
 * OFFER; dhcp-1 probes the address by ARP and offers 10.10.1.11 by unicast;
 * the PC takes dhcp-1's offer; dhcp-1 ACKs (binds 10.10.1.11 to the PC);
 * the PC announces its address by gratuitous ARP.
 */
static void scene_dhcp(void)
{
	static const uint8_t prl[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
	uint32_t lease = pc11.ip, bc = pg_ip4("255.255.255.255");
	uint64_t t = AT(7, 2, 0);
	pg_dhcp d;

	garp(AT(7, 0, 12), &rogue);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPDISCOVER;
	d.xid = 0x5c1d0b11;
	memcpy(d.chaddr, pc11.mac, 6);
	d.hostname = "PC-OFFICE11";
	d.vendor_class = "MSFT 5.0";
	d.prl = prl;
	d.prl_len = sizeof prl;
	dhcp_send(t, &pc11, BCAST, 0, bc, 0, &d);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPOFFER;
	d.xid = 0x5c1d0b11;
	memcpy(d.chaddr, pc11.mac, 6);
	d.yiaddr = pg_ip4("10.10.5.100");
	d.server_id = rogue.ip;
	d.lease_time = 7200;
	d.subnet_mask = pg_ip4("255.255.255.0");
	d.router = rogue.ip;
	d.broadcast = 1;
	dhcp_send(t + MS(180), &rogue, BCAST, rogue.ip, bc, 1, &d);

	arp(t + MS(400), dhcp1.vlan, PG_ARP_REQUEST, dhcp1.mac, dhcp1.ip, NULL, lease);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPOFFER;
	d.xid = 0x5c1d0b11;
	memcpy(d.chaddr, pc11.mac, 6);
	d.yiaddr = lease;
	d.server_id = dhcp1.ip;
	d.lease_time = 691200;
	d.subnet_mask = pg_ip4("255.255.0.0");
	d.router = router.ip;
	dhcp_send(t + MS(1400), &dhcp1, pc11.mac, dhcp1.ip, lease, 1, &d);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPREQUEST;
	d.xid = 0x5c1d0b11;
	memcpy(d.chaddr, pc11.mac, 6);
	d.requested_ip = lease;
	d.server_id = dhcp1.ip;
	d.hostname = "PC-OFFICE11";
	d.vendor_class = "MSFT 5.0";
	d.prl = prl;
	d.prl_len = sizeof prl;
	dhcp_send(t + MS(1410), &pc11, BCAST, 0, bc, 0, &d);

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPACK;
	d.xid = 0x5c1d0b11;
	memcpy(d.chaddr, pc11.mac, 6);
	d.yiaddr = lease;
	d.server_id = dhcp1.ip;
	d.lease_time = 691200;
	d.subnet_mask = pg_ip4("255.255.0.0");
	d.router = router.ip;
	dhcp_send(t + MS(1412), &dhcp1, pc11.mac, dhcp1.ip, lease, 1, &d);

	garp(t + MS(1900), &pc11);
}

/*
 * 07:02:10-07:05 Local service traffic, none of it a flow or a violation:
 * pc-11's mDNS announcement to 224.0.0.251 and NetBIOS name registration to
 * the office broadcast 10.10.255.255; pc-12 (static address) announces
 * itself and sends an SSDP M-SEARCH to 239.255.255.250.
 */
static void scene_local_services(void)
{
	static const uint8_t mdns_mac[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
	static const uint8_t ssdp_mac[6] = {0x01, 0x00, 0x5e, 0x7f, 0xff, 0xfa};
	static const char msearch[] = "M-SEARCH * HTTP/1.1\r\n"
	                              "HOST: 239.255.255.250:1900\r\n"
	                              "MAN: \"ssdp:discover\"\r\n"
	                              "MX: 1\r\n"
	                              "ST: urn:dial-multiscreen-org:service:dial:1\r\n\r\n";
	/* NetBIOS name registration of PC-OFFICE11<00> (RFC 1002 4.2.2):
	 * header, the encoded name as question, and an additional record
	 * with the address. */
	static const uint8_t nb_head[] = {0x80, 0x01, 0x29, 0x10, 0x00, 0x01,
	                                  0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
	static const uint8_t nb_tail[] = {0x00, 0x20, 0x00, 0x01, 0xc0, 0x0c, 0x00, 0x20,
	                                  0x00, 0x01, 0x00, 0x04, 0x93, 0xe0, 0x00, 0x06,
	                                  0x00, 0x00, 0x0a, 0x0a, 0x01, 0x0b};
	uint8_t nbns_reg[sizeof nb_head + 34 + sizeof nb_tail];
	size_t nn = 0;
	char nbname[16];

	memcpy(nbns_reg, nb_head, sizeof nb_head);
	nn = sizeof nb_head;
	snprintf(nbname, sizeof nbname, "%-15s", "PC-OFFICE11");
	nbns_reg[nn++] = 32;
	for (int i = 0; i < 16; i++) { /* first-level encoding, suffix 0x00 */
		uint8_t c = i < 15 ? (uint8_t)nbname[i] : 0x00;
		nbns_reg[nn++] = (uint8_t)('A' + (c >> 4));
		nbns_reg[nn++] = (uint8_t)('A' + (c & 0x0f));
	}
	nbns_reg[nn++] = 0;
	memcpy(nbns_reg + nn, nb_tail, sizeof nb_tail);
	nn += sizeof nb_tail;
	/* mDNS announcement (answer only): PC-OFFICE11.local A 10.10.1.11. */
	uint8_t mdns[64];
	size_t nm = 12;
	struct l4 l;

	memset(mdns, 0, sizeof mdns);
	pg_put16(mdns + 2, 0x8400); /* response, authoritative */
	pg_put16(mdns + 6, 1);      /* one answer */
	mdns[nm++] = 11;
	memcpy(mdns + nm, "PC-OFFICE11", 11);
	nm += 11;
	mdns[nm++] = 5;
	memcpy(mdns + nm, "local", 5);
	nm += 5;
	mdns[nm++] = 0;
	pg_put16(mdns + nm, 1);          /* A */
	pg_put16(mdns + nm + 2, 0x8001); /* IN, cache flush */
	pg_put32(mdns + nm + 4, 120);
	pg_put16(mdns + nm + 8, 4);
	pg_put32(mdns + nm + 10, pc11.ip);
	nm += 14;

	l = (struct l4){.proto = PG_IP_UDP, .sport = 5353, .dport = 5353, .data = mdns, .n = nm};
	ip_frame(AT(7, 2, 10), 10, mdns_mac, pc11.mac, pc11.ip, pg_ip4("224.0.0.251"), 255,
	         pc11.ipid++, &l);
	l = (struct l4){.proto = PG_IP_UDP, .sport = 137, .dport = 137, .data = nbns_reg, .n = nn};
	ip_frame(AT(7, 2, 11), 10, BCAST, pc11.mac, pc11.ip, pg_ip4("10.10.255.255"), 128,
	         pc11.ipid++, &l);

	garp(AT(7, 4, 30), &pc12);
	l = (struct l4){.proto = PG_IP_UDP,
	                .sport = 50312,
	                .dport = 1900,
	                .data = msearch,
	                .n = sizeof msearch - 1};
	ip_frame(AT(7, 4, 35), 10, ssdp_mac, pc12.mac, pc12.ip, pg_ip4("239.255.255.250"), 4,
	         pc12.ipid++, &l);
}

/*
 * 07:10 pc-11 resolves outlook.office365.com at dhcp-1 (udp/53, inside the
 * office: intra_zone) and opens HTTPS to 13.107.42.14 (allowed by "office
 * web"). The Internet side is not mirrored: 6 packets on VLAN 10 only.
 */
static void scene_office_web(void)
{
	uint8_t q[128], a[128], ch[256];
	size_t nq = dns_msg(q, 0x4a11, "outlook.office365.com", 0, 0);
	size_t na = dns_msg(a, 0x4a11, "outlook.office365.com", ms365.ip, 1);
	size_t nch = tls_client_hello(ch, "outlook.office365.com");
	struct tcp_conv cv;

	send_udp(AT(7, 10, 0), &pc11, &dhcp1, 58231, 53, q, nq);
	send_udp(AT(7, 10, 0) + MS(2), &dhcp1, &pc11, 53, 58231, a, na);

	tcp_open(&cv, &pc11, &ms365, 50120, 443, AT(7, 10, 0) + MS(10));
	tcp_rr(&cv, ch, nch, tls_server_hello, sizeof tls_server_hello);
}

/*
 * 07:30 eng-ws -> plc-01: S7comm on tcp/102 (handshake, COTP connect,
 * S7 setup communication: 7 packets) and Modbus/TCP on tcp/502 (handshake,
 * read holding registers: 5 packets), routed office -> plant, both legs:
 * 14 and 10 frames. Allowed by "engineering to PLCs".
 */
static void scene_engineering(void)
{
	struct tcp_conv cv;

	tcp_open(&cv, &engws, &plc01, 49702, 102, AT(7, 30, 0));
	tcp_rr(&cv, cotp_cr, sizeof cotp_cr, cotp_cc, sizeof cotp_cc);
	tcp_rr(&cv, s7_setup, sizeof s7_setup, s7_setup_ack, sizeof s7_setup_ack);

	tcp_open(&cv, &engws, &plc01, 49705, 502, AT(7, 31, 0));
	tcp_rr(&cv, mb_req, sizeof mb_req, mb_resp, sizeof mb_resp);
}

/*
 * 07:45 xp-hmi -> plc-01 S7comm inside VLAN 50 (5 packets): intra_zone, and
 * no eol_exposure (the flow does not leave the plant).
 */
static void scene_xp_hmi_polls_plc(void)
{
	struct tcp_conv cv;

	tcp_open(&cv, &xphmi, &plc01, 1042, 102, AT(7, 45, 0));
	tcp_rr(&cv, cotp_cr, sizeof cotp_cr, cotp_cc, sizeof cotp_cc);
}

/*
 * 08:15 pc-12 -> plc-01 Modbus/TCP tcp/502 (5 packets, routed, both legs =
 * 10 frames): office -> plant, only eng-ws may: unallowed_flow (high).
 */
static void scene_pc_modbus(void)
{
	struct tcp_conv cv;

	tcp_open(&cv, &pc12, &plc01, 51877, 502, AT(8, 15, 0));
	tcp_rr(&cv, mb_req, sizeof mb_req, mb_resp, sizeof mb_resp);
}

/*
 * 08:40 The integrator's laptop, one USB NIC on a trunk port with tagged
 * sub-interfaces in VLAN 10 (10.10.1.77) and VLAN 50 (192.168.50.77):
 * announces both addresses, then reads plc-01 over Modbus directly inside
 * VLAN 50 (ARP, 5 packets): a flow inside the plant (intra_zone) that
 * bypasses the router. The MAC is dual_homed and unknown_device.
 */
static void scene_dual_homed(void)
{
	struct tcp_conv cv;

	garp(AT(8, 40, 0), &laptop10);
	garp(AT(8, 40, 1), &laptop50);
	arp_pair(AT(8, 41, 0), &laptop50, &plc01);
	tcp_open(&cv, &laptop50, &plc01, 61020, 502, AT(8, 41, 0) + MS(1));
	tcp_rr(&cv, mb_req, sizeof mb_req, mb_resp, sizeof mb_resp);
}

/*
 * 09:05 A Moxa serial gateway left on the office VLAN with its
 * commissioning address 192.168.99.5 (and a wrong netmask, so it ARPs for
 * office addresses directly; pc-12 answers, as Windows does). It sends three
 * syslog messages udp/514 to pc-12 (one way, no router): unassigned ->
 * office, no allow rule: unallowed_flow (medium); the address is
 * unassigned_network; the device is unknown_device.
 */
static void scene_unassigned(void)
{
	static const char *const msgs[] = {
	    "<134>Mar  5 09:05:01 NPort-5110: Serial port 1 link up",
	    "<134>Mar  5 09:05:31 NPort-5110: Cold start",
	    "<132>Mar  5 09:06:01 NPort-5110: Serial port 1 buffer overflow"};

	garp(AT(9, 4, 58), &gw);
	arp_pair(AT(9, 5, 0), &gw, &pc12);
	for (int i = 0; i < 3; i++)
		send_udp(AT(9, 5, 1) + (uint64_t)i * 30000000000ull, &gw, &pc12, 50514, 514,
		         msgs[i], strlen(msgs[i]));
}

/*
 * 09:20 pc-11 -> xp-hmi RDP tcp/3389 (handshake, X.224 CR/CC: 5 packets,
 * both legs = 10 frames): forbidden_flow "no remote desktop into the plant"
 * (critical) and eol_exposure (xp-hmi).
 */
static void scene_rdp(void)
{
	uint8_t cr[96];
	size_t ncr = rdp_cr(cr, "PC-OFFICE11");
	struct tcp_conv cv;

	tcp_open(&cv, &pc11, &xphmi, 52044, 3389, AT(9, 20, 0));
	tcp_rr(&cv, cr, ncr, rdp_cc, sizeof rdp_cc);
}

/*
 * 09:40 pc-11 -> backup-nas SMB tcp/445 (handshake, NEGOTIATE: 5 packets,
 * both legs = 10 frames): forbidden_flow "office must not reach backup".
 */
static void scene_office_to_backup(void)
{
	uint8_t req[200], resp[200];
	size_t nreq = smb2_negotiate(req, 0), nresp = smb2_negotiate(resp, 1);
	struct tcp_conv cv;

	tcp_open(&cv, &pc11, &bknas, 52101, 445, AT(9, 40, 0));
	tcp_rr(&cv, req, nreq, resp, nresp);
}

/*
 * 10:00 (Tuesday) hmi-01 resolves erp-db at dhcp-1 (udp/53, plant ->
 * office, 2 packets x 2 legs: allowed by "infrastructure services") and
 * reads the ERP database over tcp/1433 (5 packets x 2 legs: allowed by "HMI
 * reads production data from the office server", inside mon-fri 06-22).
 */
static void scene_hmi_erp(void)
{
	uint8_t q[128], a[128];
	size_t nq = dns_msg(q, 0x0b17, "erp-db.corp.example", 0, 0);
	size_t na = dns_msg(a, 0x0b17, "erp-db.corp.example", erpdb.ip, 1);
	struct tcp_conv cv;

	send_udp(AT(10, 0, 0), &hmi01, &dhcp1, 61533, 53, q, nq);
	send_udp(AT(10, 0, 0) + MS(3), &dhcp1, &hmi01, 53, 61533, a, na);

	tcp_open(&cv, &hmi01, &erpdb, 49811, 1433, AT(10, 0, 0) + MS(20));
	tcp_rr(&cv, tds_prelogin, sizeof tds_prelogin, tds_prelogin_resp, sizeof tds_prelogin_resp);
}

/*
 * 11:15 xp-hmi -> 72.21.81.240 HTTP tcp/80 (Windows XP fetching a
 * certificate trust list; 5 packets on VLAN 50 only): forbidden_flow
 * "plant must not reach the internet" (critical) and eol_exposure.
 */
static void scene_xp_internet(void)
{
	static const char get[] = "GET /msdownload/update/v3/static/trustedr/en/authrootstl.cab "
	                          "HTTP/1.1\r\n"
	                          "Accept: */*\r\n"
	                          "User-Agent: Microsoft-CryptoAPI/5.131.2600.5512\r\n"
	                          "Host: ctldl.windowsupdate.com\r\n\r\n";
	static const char resp[] = "HTTP/1.1 304 Not Modified\r\n"
	                           "Cache-Control: max-age=900\r\n\r\n";
	struct tcp_conv cv;

	tcp_open(&cv, &xphmi, &wupd, 1071, 80, AT(11, 15, 0));
	tcp_rr(&cv, get, sizeof get - 1, resp, sizeof resp - 1);
}

/*
 * 11:30 pc-12 -> web-01 HTTPS tcp/443 (handshake, ClientHello: 4 packets x
 * 2 legs): allowed by "office to dmz web".
 */
static void scene_office_dmz(void)
{
	uint8_t ch[256];
	size_t nch = tls_client_hello(ch, "www.example-autoparts.test");
	struct tcp_conv cv;

	tcp_open(&cv, &pc12, &web01, 50388, 443, AT(11, 30, 0));
	tcp_seg(&cv, 1, PG_PSH | PG_ACK, ch, nch, MS(2));
}

/*
 * 12:00 hmi-01 announces a second address, 192.168.50.11 (added by the
 * line integrator): its registered MAC with another IP: asset_mismatch.
 */
static void scene_hmi_second_ip(void)
{
	struct dev h = hmi01;

	h.ip = pg_ip4("192.168.50.11");
	garp(AT(12, 0, 0), &h);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT.pcap\n", argv[0]);
		return 2;
	}
	init_devs();
	out = pg_pcap_open(argv[1], PG_LT_ETHERNET, 0, 65535);
	if (!out) {
		perror(argv[1]);
		return 2;
	}

	scene_arp_refresh();
	/* 02:00:05 nightly backup inside the window: allowed ("nightly backup"). */
	backup_session(AT(2, 0, 5), 49320);
	snmp_poll(AT(2, 30, 0), 0x2a01);
	scene_dhcp();
	scene_local_services();
	scene_office_web();
	scene_engineering();
	scene_xp_hmi_polls_plc();
	scene_pc_modbus();
	scene_dual_homed();
	scene_unassigned();
	scene_rdp();
	scene_office_to_backup();
	scene_hmi_erp();
	snmp_poll(AT(10, 30, 0), 0x2a02);
	scene_xp_internet();
	scene_office_dmz();
	scene_hmi_second_ip();
	/* 14:00:05 someone starts the backup job by hand: outside_schedule. */
	backup_session(AT(14, 0, 5), 49388);
	/* 14:05 the router refreshes eng-ws once more: the capture ends. */
	arp_pair(AT(14, 5, 0), &router, &engws);

	if (pg_pcap_close(out) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "genexample: %d failures writing %s\n", failures, argv[1]);
		return 1;
	}
	fprintf(stderr, "genexample: %lu packets written to %s\n", npackets, argv[1]);
	return 0;
}
