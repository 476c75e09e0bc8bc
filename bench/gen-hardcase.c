/*
 * bench/gen-hardcase.c - writes the hard case for bench/run-bench.sh: many
 * small packets over very many distinct flows, the shape that stresses the
 * flow table, the violations and the result writing rather than the reader.
 *
 *     gen-hardcase OUT.pcap [PACKETS [FLOWS [SEED]]]
 *
 * PACKETS defaults to 2,000,000, FLOWS to 200,000, SEED to 1 (any number:
 * the same seed writes the same file). FLOWS must not exceed PACKETS.
 *
 * 2,000 devices on one mirror port: 1,400 office hosts in 10.30.0.0/21
 * (four DNS servers among them), 500 plant devices in 192.168.60.0/23,
 * 50 backup hosts in 10.31.0.0/24 and 50 DMZ hosts in 172.16.30.0/24, and
 * a router that carries 400 internet servers. Flows are drawn at random:
 *   50% HTTPS (tcp/443) from a random device to an internet server,
 *   12% DNS (udp/53) from a random device to a random device,
 *   10% SMB (tcp/445), 10% Modbus/TCP (tcp/502), 8% S7comm (tcp/102),
 *   10% FINS (udp/9600), each between two random devices,
 * so most flows cross zones and many break bench/hardcase-policy.yaml.
 * Every flow is a distinct (source, destination, protocol, port); the
 * first FLOWS packets open each flow once, in a shuffled order; the rest go
 * to random flows. A TCP flow starts with its handshake (SYN, SYN/ACK,
 * ACK: what p0f fingerprints), then requests and answers alternate; UDP
 * flows alternate from the first packet. Payloads are short requests and
 * answers of each protocol, 60 to 400 bytes a frame.
 * Every device announces itself by ARP once at the start.
 *
 * The capture starts 2024-03-04T09:00:00Z, 0.1-0.3 ms between packets.
 */
#include "tests/helper_pcapgen.h"

#include <stdlib.h>
#include <string.h>

#define N_OFFICE   1400
#define N_PLANT    500
#define N_BACKUP   50
#define N_DMZ      50
#define N_HOSTS    (N_OFFICE + N_PLANT + N_BACKUP + N_DMZ)
#define N_INTERNET 400
#define T0_NS      1709542800000000000ull /* 2024-03-04T09:00:00Z */

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(((uint64_t)rnd() * n) >> 32);
}

struct host {
	uint8_t mac[6];
	uint32_t ip;
};

static struct host hosts[N_HOSTS];
static const uint8_t ROUTER_MAC[6] = {0x00, 0x1b, 0x54, 0x11, 0x22, 0x01}; /* Cisco */
static const uint32_t ROUTER_IP = 0x0a1e0001;                              /* 10.30.0.1 */
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

enum {
	H_OFFICE = 0,
	H_PLANT = N_OFFICE,
	H_BACKUP = H_PLANT + N_PLANT,
	H_DMZ = H_BACKUP + N_BACKUP
};

static void set_mac(uint8_t *m, uint32_t oui, uint32_t n)
{
	m[0] = (uint8_t)(oui >> 16);
	m[1] = (uint8_t)(oui >> 8);
	m[2] = (uint8_t)oui;
	m[3] = (uint8_t)(n >> 16);
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
}

static void init_hosts(void)
{
	for (uint32_t i = 0; i < N_HOSTS; i++) {
		struct host *h = &hosts[i];
		if (i < H_PLANT) {
			set_mac(h->mac, i % 2 ? 0x001422 : 0x3cd92b, 0x600000 + i); /* Dell, HP */
			h->ip = 0x0a1e0000 | (i / 250) << 8 | (2 + i % 250); /* 10.30.0-5.x */
		} else if (i < H_BACKUP) {
			uint32_t j = i - H_PLANT;
			set_mac(h->mac, j % 3 ? 0x001b1b : 0x000b78,
			        0x700000 + j);                               /* Siemens, Omron */
			h->ip = 0xc0a83c00 | (j / 250) << 8 | (1 + j % 250); /* 192.168.60-61.x */
		} else if (i < H_DMZ) {
			set_mac(h->mac, 0x00113d, 0x800000 + i);
			h->ip = 0x0a1f0000 | (10 + i - H_BACKUP); /* 10.31.0.x */
		} else {
			set_mac(h->mac, 0x00505a, 0x900000 + i);
			h->ip = 0xac101e00 | (10 + i - H_DMZ); /* 172.16.30.x */
		}
	}
}

static uint32_t internet_ip(uint32_t k)
{
	return (52u << 24) | (20u + k / 100) << 16 | (k % 100) << 8 | 10;
}

static int local_ip(uint32_t ip, uint32_t *net)
{
	if ((ip & 0xfffff800u) == 0x0a1e0000u) {
		*net = 0x0a1e0000u;
		return 1;
	}
	if ((ip & 0xfffffe00u) == 0xc0a83c00u) {
		*net = 0xc0a83c00u;
		return 1;
	}
	if ((ip & 0xffffff00u) == 0x0a1f0000u) {
		*net = 0x0a1f0000u;
		return 1;
	}
	if ((ip & 0xffffff00u) == 0xac101e00u) {
		*net = 0xac101e00u;
		return 1;
	}
	return 0;
}

enum ftype { F_HTTPS, F_DNS, F_SMB, F_MODBUS, F_S7, F_FINS };

struct flow {
	uint16_t ci, si; /* host indexes; si is an internet server for F_HTTPS */
	uint16_t sport;
	uint8_t type;
	uint8_t dir;  /* next direction: 0 request, 1 answer */
	uint8_t step; /* TCP: 0 SYN, 1 SYN/ACK, 2 ACK, then data */
	uint32_t cseq, sseq;
};

static struct flow *flows;
static uint32_t n_flows;

/* Open-addressing set of flow keys, so every flow is distinct. */
static uint64_t *keyset;
static uint32_t keyset_mask;

static int key_add(uint64_t key)
{
	uint32_t h = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & keyset_mask;
	while (keyset[h]) {
		if (keyset[h] == key)
			return 0;
		h = (h + 1) & keyset_mask;
	}
	keyset[h] = key;
	return 1;
}

static uint16_t dport_of(enum ftype t)
{
	static const uint16_t p[] = {443, 53, 445, 502, 102, 9600};
	return p[t];
}

static void make_flows(void)
{
	uint32_t cap = 1;
	while (cap < n_flows * 2u)
		cap <<= 1;
	keyset = calloc(cap, sizeof(*keyset));
	flows = calloc(n_flows, sizeof(*flows));
	if (!keyset || !flows) {
		fprintf(stderr, "gen-hardcase: out of memory\n");
		exit(1);
	}
	keyset_mask = cap - 1;
	uint32_t made = 0;
	uint64_t tries = 0;
	while (made < n_flows) {
		if (++tries > (uint64_t)n_flows * 50u) {
			fprintf(stderr, "gen-hardcase: cannot find %u distinct flows\n", n_flows);
			exit(1);
		}
		uint32_t r = below(100);
		struct flow f = {0};
		f.type = r < 50   ? F_HTTPS
		         : r < 62 ? F_DNS
		         : r < 72 ? F_SMB
		         : r < 82 ? F_MODBUS
		         : r < 90 ? F_S7
		                  : F_FINS;
		f.ci = (uint16_t)below(N_HOSTS);
		f.si = (uint16_t)(f.type == F_HTTPS ? below(N_INTERNET) : below(N_HOSTS));
		if (f.type != F_HTTPS && f.si == f.ci)
			continue;
		uint64_t key = (uint64_t)f.type << 40 | (uint64_t)f.ci << 20 | f.si;
		if (!key_add(key + 1))
			continue;
		f.sport = (uint16_t)(1024 + below(60000));
		f.cseq = rnd();
		f.sseq = rnd();
		flows[made++] = f;
	}
	free(keyset);
}

static uint32_t server_ip(const struct flow *f)
{
	return f->type == F_HTTPS ? internet_ip(f->si) : hosts[f->si].ip;
}

static pg_frame fr;

static void frame_reset(void)
{
	fr.len = 0;
	fr.overflow = 0;
}

static void arp_frame(uint32_t h)
{
	frame_reset();
	pg_eth(&fr, BCAST, hosts[h].mac, PG_ETH_ARP);
	pg_arp(&fr, PG_ARP_REQUEST, hosts[h].mac, hosts[h].ip, NULL, ROUTER_IP);
	pg_pad(&fr, 60, 0);
}

static void router_arp_frame(void)
{
	frame_reset();
	pg_eth(&fr, BCAST, ROUTER_MAC, PG_ETH_ARP);
	pg_arp(&fr, PG_ARP_REQUEST, ROUTER_MAC, ROUTER_IP, NULL, ROUTER_IP);
	pg_pad(&fr, 60, 0);
}

/* Payloads: a request and an answer per protocol, built once. */
static uint8_t tls_req[160], tls_resp[380], dns_q[40], dns_r[56], smb_req[120], smb_resp[200];
static uint8_t modbus_req[12] = {0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10};
static uint8_t modbus_resp[29] = {0, 1, 0, 0, 0, 23, 1, 3, 20};
static const uint8_t s7_read[31] = {
    0x03, 0x00, 0x00, 0x1f, 0x02, 0xf0, 0x80, 0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0e, 0x00,
    0x00, 0x04, 0x01, 0x12, 0x0a, 0x10, 0x02, 0x00, 0x01, 0x00, 0x01, 0x84, 0x00, 0x00, 0x00};
static const uint8_t s7_data[27] = {0x03, 0x00, 0x00, 0x1b, 0x02, 0xf0, 0x80, 0x32, 0x03,
                                    0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x06, 0x00,
                                    0x00, 0x04, 0x01, 0xff, 0x04, 0x00, 0x10, 0x00, 0x2a};
/* FINS/UDP: ICF, RSV, GCT, DNA, DA1, DA2, SNA, SA1, SA2, SID, MRC, SRC. */
static const uint8_t fins_req[18] = {0x80, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x0a, 0x00,
                                     0x01, 0x01, 0x01, 0x82, 0x00, 0x64, 0x00, 0x00, 0x0a};
static const uint8_t fins_resp[34] = {0xc0, 0x00, 0x02, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x00,
                                      0x01, 0x01, 0x01, 0x00, 0x00, 0x11, 0x11, 0x22, 0x22};

static void tls_record(uint8_t *p, size_t n)
{
	p[0] = 0x17, p[1] = 3, p[2] = 3;
	pg_put16(p + 3, (uint16_t)(n - 5));
	for (size_t i = 5; i < n; i++)
		p[i] = (uint8_t)(i * 31 + 7);
}

static void smb2(uint8_t *out, size_t total, uint16_t cmd, int response)
{
	memset(out, 0, total);
	pg_put32(out, (uint32_t)(total - 4));
	uint8_t *h = out + 4;
	h[0] = 0xfe, h[1] = 'S', h[2] = 'M', h[3] = 'B';
	h[4] = 64;
	h[12] = (uint8_t)cmd;
	h[16] = response ? 1 : 0;
}

static void init_payloads(void)
{
	tls_record(tls_req, sizeof(tls_req));
	tls_record(tls_resp, sizeof(tls_resp));
	smb2(smb_req, sizeof(smb_req), 8, 0);
	smb2(smb_resp, sizeof(smb_resp), 8, 1);
	memset(modbus_resp + 9, 0x11, 20);
	static const uint8_t q[] = {0x12, 0x34, 0x01, 0x00, 0,   1, 0,   0,   0,   0,   0,   0,
	                            4,    'f',  'i',  'l',  'e', 7, 'e', 'x', 'a', 'm', 'p', 'l',
	                            'e',  3,    'c',  'o',  'm', 0, 0,   1,   0,   1};
	memcpy(dns_q, q, sizeof(q));
	memcpy(dns_r, q, sizeof(q));
	dns_r[2] = 0x81, dns_r[3] = 0x80, dns_r[7] = 1;
	static const uint8_t ans[] = {0xc0, 0x0c, 0, 1, 0,  1,  0, 0,
	                              0x0e, 0x10, 0, 4, 10, 30, 0, 80};
	memcpy(dns_r + sizeof(q), ans, sizeof(ans));
}

static size_t dns_len(int answer)
{
	return answer ? 34 + 16 : 34;
}

static void payload(const struct flow *f, int answer, const uint8_t **pl, size_t *n)
{
	switch ((enum ftype)f->type) {
	case F_HTTPS:
		*pl = answer ? tls_resp : tls_req, *n = answer ? sizeof(tls_resp) : sizeof(tls_req);
		break;
	case F_DNS:
		*pl = answer ? dns_r : dns_q, *n = dns_len(answer);
		break;
	case F_SMB:
		*pl = answer ? smb_resp : smb_req, *n = answer ? sizeof(smb_resp) : sizeof(smb_req);
		break;
	case F_MODBUS:
		*pl = answer ? modbus_resp : modbus_req,
		*n = answer ? sizeof(modbus_resp) : sizeof(modbus_req);
		break;
	case F_S7:
		*pl = answer ? s7_data : s7_read, *n = answer ? sizeof(s7_data) : sizeof(s7_read);
		break;
	default:
		*pl = answer ? fins_resp : fins_req,
		*n = answer ? sizeof(fins_resp) : sizeof(fins_req);
		break;
	}
}

static void flow_frame(struct flow *f)
{
	int udp = f->type == F_DNS || f->type == F_FINS;
	uint8_t flags = PG_ACK | PG_PSH;
	int answer;
	if (!udp && f->step < 3) {
		static const uint8_t hs[3] = {PG_SYN, PG_SYN | PG_ACK, PG_ACK};
		flags = hs[f->step];
		answer = f->step == 1;
		f->step++;
	} else {
		answer = f->dir;
		f->dir ^= 1;
	}
	uint32_t cip = hosts[f->ci].ip, sip = server_ip(f);
	uint32_t cnet, snet;
	int same = local_ip(cip, &cnet) && local_ip(sip, &snet) && cnet == snet;
	const uint8_t *cmac = hosts[f->ci].mac;
	/* Between subnets (and to the internet) the frame's other end is the
	 * router; inside one subnet the two devices talk directly. */
	const uint8_t *smac = same && f->type != F_HTTPS ? hosts[f->si].mac : ROUTER_MAC;
	const uint8_t *src_mac = answer ? smac : cmac;
	const uint8_t *dst_mac = answer ? cmac : smac;
	uint16_t dport = dport_of((enum ftype)f->type);
	const uint8_t *pl;
	size_t n;
	payload(f, answer, &pl, &n);
	if (!(flags & PG_PSH))
		n = 0;
	frame_reset();
	pg_eth(&fr, dst_mac, src_mac, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&fr, &(pg_ipv4){.src = answer ? sip : cip,
	                                          .dst = answer ? cip : sip,
	                                          .proto = udp ? PG_IP_UDP : PG_IP_TCP,
	                                          .ttl = answer ? (same ? 64 : 63) : 128,
	                                          .df = !udp,
	                                          .id = (uint16_t)rnd()});
	if (udp) {
		pg_udp(&fr, ip, answer ? dport : f->sport, answer ? f->sport : dport, pl, n);
	} else {
		pg_tcp_opt t = {.sport = answer ? dport : f->sport,
		                .dport = answer ? f->sport : dport,
		                .seq = answer ? f->sseq : f->cseq,
		                .ack = (flags & PG_ACK) ? (answer ? f->cseq : f->sseq) : 0,
		                .flags = flags,
		                .window = answer ? 29200 : 64240,
		                .mss = (flags & PG_SYN) ? 1460 : 0,
		                .ws = (flags & PG_SYN) ? (answer ? 8 : 9) : 0,
		                .sack_perm = (flags & PG_SYN) != 0,
		                .payload = pl,
		                .payload_len = n};
		pg_tcp(&fr, ip, &t);
		uint32_t adv = (uint32_t)n + ((flags & PG_SYN) ? 1 : 0);
		if (answer)
			f->sseq += adv;
		else
			f->cseq += adv;
	}
	pg_ipv4_end(&fr, ip);
	pg_pad(&fr, 60, 0);
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 5) {
		fprintf(stderr, "usage: %s OUT.pcap [PACKETS [FLOWS [SEED]]]\n", argv[0]);
		return 2;
	}
	unsigned long long total = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000000ull;
	unsigned long long nf = argc > 3 ? strtoull(argv[3], NULL, 10) : 200000ull;
	unsigned long long seed = argc > 4 ? strtoull(argv[4], NULL, 10) : 1ull;
	if (nf == 0 || nf > total || nf > 8000000ull || total > 100000000ull) {
		fprintf(stderr,
		        "gen-hardcase: need 0 < FLOWS <= PACKETS, FLOWS <= 8e6, PACKETS <= 1e8\n");
		return 2;
	}
	rng = 0x9e3779b97f4a7c15ull ^ (seed * 0xbf58476d1ce4e5b9ull);
	if (!rng)
		rng = 1;
	n_flows = (uint32_t)nf;
	init_hosts();
	init_payloads();
	make_flows();
	pg_pcap *w = pg_pcap_open(argv[1], PG_LT_ETHERNET, 0, 65535);
	if (!w) {
		perror(argv[1]);
		return 1;
	}
	uint64_t ts = T0_NS;
	unsigned long long n = 0;
	router_arp_frame();
	pg_pcap_frame(w, ts, &fr);
	n++;
	for (uint32_t h = 0; h < N_HOSTS && n < total; h++, n++) {
		arp_frame(h);
		ts += 100000ull;
		pg_pcap_frame(w, ts, &fr);
	}
	/* Each flow once, in a shuffled order (a stride coprime to n_flows). */
	uint32_t stride = 2654435761u % n_flows;
	while (n_flows > 1 && (stride == 0 || gcd(stride, n_flows) != 1))
		stride++;
	for (uint32_t i = 0; i < n_flows && n < total; i++, n++) {
		uint32_t k = (uint32_t)(((uint64_t)i * stride) % n_flows);
		flow_frame(&flows[k]);
		ts += 100000ull + below(200000);
		pg_pcap_frame(w, ts, &fr);
	}
	for (; n < total; n++) {
		flow_frame(&flows[below(n_flows)]);
		ts += 100000ull + below(200000);
		pg_pcap_frame(w, ts, &fr);
	}
	free(flows);
	if (pg_pcap_close(w) != 0) {
		fprintf(stderr, "%s: write failed\n", argv[1]);
		return 1;
	}
	fprintf(stderr, "gen-hardcase: %llu packets, %u flows, %d devices, seed %llu, to %s\n", n,
	        n_flows, N_HOSTS, seed, argv[1]);
	return 0;
}
