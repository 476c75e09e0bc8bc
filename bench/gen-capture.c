/*
 * bench/gen-capture.c - writes the benchmark capture: a plant network of
 * 2,000 devices seen on one mirror port, for bench/run-bench.sh.
 *
 *     gen-capture OUT.pcap [PACKETS [arp-only]]
 *
 * PACKETS defaults to 2,000,000. Devices (deterministic, see host_of()):
 *   1,390 office PCs 10.10.1.1-10.10.6.140, 10 office servers 10.10.0.x
 *   (DNS .53, web .80, files .45), 500 PLCs and HMIs in 192.168.48.0/22,
 *   50 backup hosts 10.99.0.10-59, 50 DMZ hosts 172.16.10.10-59, and the
 *   core router 00:00:0c:07:ac:01 (10.10.0.1) that carries everything
 *   between subnets: 500 routed branch addresses (10.20.0.0/16) and 1,000
 *   internet servers appear only behind its MAC.
 * Traffic: every device announces itself by ARP (again and again, as ARP
 * caches expire), and sessions interleave 64 at a time: web (HTTP) and
 * TLS to the internet, DNS, Modbus/TCP from HMIs to PLCs, S7comm from
 * engineering PCs, SMB to the file server and the backup NAS, branch
 * users on office servers, and PLCs calling the internet (forbidden by
 * bench/policy.yaml). TCP sessions have handshakes, request/response
 * payloads and FINs; packet sizes run from 60 to 1,454 bytes.
 * With "arp-only" only the ARP announcements are written (the per-host
 * memory baseline).
 *
 * The capture starts 2024-03-04T00:30:00Z and packets are 2 ms apart on
 * average, so a 2M-packet capture spans about 67 minutes and crosses the
 * 01:00 start of the policy's backup window (run with TZ=UTC).
 */
#include "tests/helper_pcapgen.h"

#include <stdlib.h>
#include <string.h>

#define N_HOSTS     2000
#define N_OFFICE_PC 1390
#define N_SERVERS   10
#define N_PLANT     500
#define N_BACKUP    50
#define N_DMZ       50
#define N_BRANCH    500
#define N_INTERNET  1000
#define N_ACTIVE    64
#define T0_NS       1709512200000000000ull /* 2024-03-04T00:30:00Z */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static uint32_t below(uint32_t n)
{
	return rnd() % n;
}

struct host {
	uint8_t mac[6];
	uint32_t ip;
};

static struct host hosts[N_HOSTS];
static const uint8_t ROUTER_MAC[6] = {0x00, 0x00, 0x0c, 0x07, 0xac, 0x01};
static const uint32_t ROUTER_IP = 0x0a0a0001; /* 10.10.0.1 */
static const uint8_t BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

enum {
	H_PC = 0,
	H_SRV = N_OFFICE_PC,
	H_PLANT = H_SRV + N_SERVERS,
	H_BACKUP = H_PLANT + N_PLANT,
	H_DMZ = H_BACKUP + N_BACKUP
};
enum { SRV_DNS = H_SRV, SRV_WEB = H_SRV + 1, SRV_FILE = H_SRV + 2 };

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
		if (i < H_SRV) {
			set_mac(h->mac, i % 3 ? 0x001422 : 0x3cd92b, 0x100000 + i); /* Dell, HP */
			h->ip = 0x0a0a0000 | (1 + i / 250) << 8 | (1 + i % 250);
		} else if (i < H_PLANT) {
			static const uint8_t last[N_SERVERS] = {53, 80, 45, 60, 61,
			                                        62, 63, 64, 65, 66};
			set_mac(h->mac, 0x001422, 0x200000 + i);
			h->ip = 0x0a0a0000 | last[i - H_SRV];
		} else if (i < H_BACKUP) {
			uint32_t j = i - H_PLANT;
			/* Siemens PLCs, then HMIs */
			set_mac(h->mac, j < 300 ? 0x001b1b : 0x0001fc, 0x300000 + j);
			h->ip = 0xc0a83000 | (j / 250) << 8 | (1 + j % 250); /* 192.168.48.0/22 */
		} else if (i < H_DMZ) {
			set_mac(h->mac, 0x00113d, 0x400000 + i);
			h->ip = 0x0a630000 | (10 + i - H_BACKUP); /* 10.99.0.x */
		} else {
			set_mac(h->mac, 0x00505a, 0x500000 + i);
			h->ip = 0xac100a00 | (10 + i - H_DMZ); /* 172.16.10.x */
		}
	}
}

static uint32_t branch_ip(uint32_t k)
{
	return 0x0a140000 | (k / 250) << 8 | (1 + k % 250);
}
static uint32_t internet_ip(uint32_t k)
{
	return (52u << 24) | (k / 200) << 16 | (k % 200) << 8 | 10;
}

/* ---- payloads ---- */

static uint8_t http_req[512], http_resp[1400], tls_hello[256], tls_data[1400];
static size_t http_req_len, http_resp_len, tls_hello_len;

static const uint8_t modbus_req[12] = {0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10};
static const uint8_t s7_cr[22] = {0x03, 0x00, 0x00, 0x16, 0x11, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00,
                                  0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x02};
static const uint8_t s7_cc[22] = {0x03, 0x00, 0x00, 0x16, 0x11, 0xd0, 0x00, 0x01, 0x00, 0x02, 0x00,
                                  0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x02};
static const uint8_t s7_setup[25] = {0x03, 0x00, 0x00, 0x19, 0x02, 0xf0, 0x80, 0x32, 0x01,
                                     0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0xf0,
                                     0x00, 0x00, 0x01, 0x00, 0x01, 0x01, 0xe0};
static const uint8_t s7_read[31] = {
    0x03, 0x00, 0x00, 0x1f, 0x02, 0xf0, 0x80, 0x32, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0e, 0x00,
    0x00, 0x04, 0x01, 0x12, 0x0a, 0x10, 0x02, 0x00, 0x01, 0x00, 0x01, 0x84, 0x00, 0x00, 0x00};
static const uint8_t s7_data[27] = {0x03, 0x00, 0x00, 0x1b, 0x02, 0xf0, 0x80, 0x32, 0x03,
                                    0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0x00, 0x06, 0x00,
                                    0x00, 0x04, 0x01, 0xff, 0x04, 0x00, 0x10, 0x00, 0x2a};

static void init_payloads(void)
{
	http_req_len = (size_t)snprintf((char *)http_req, sizeof(http_req),
	                                "GET /catalog/parts?id=4711 HTTP/1.1\r\n"
	                                "Host: www.supplier-portal.example\r\n"
	                                "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)\r\n"
	                                "Accept: text/html,application/xhtml+xml\r\n"
	                                "Accept-Language: ja,en;q=0.8\r\n"
	                                "Connection: keep-alive\r\n\r\n");
	int n = snprintf((char *)http_resp, sizeof(http_resp),
	                 "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
	                 "Content-Type: text/html; charset=utf-8\r\nContent-Length: 1200\r\n\r\n");
	memset(http_resp + n, 'x', sizeof(http_resp) - (size_t)n);
	http_resp_len = sizeof(http_resp);

	/* TLS 1.2 record with a ClientHello carrying SNI. */
	static const char sni[] = "portal.customer.example";
	uint8_t *p = tls_hello;
	size_t sl = sizeof(sni) - 1;
	size_t ext_len = 9 + sl;                          /* server_name extension */
	size_t hs_len = 2 + 32 + 1 + 4 + 2 + 2 + ext_len; /* ver rnd sid ciphers comp extlen */
	p[0] = 0x16, p[1] = 3, p[2] = 1;
	pg_put16(p + 3, (uint16_t)(4 + hs_len));
	p[5] = 1, p[6] = 0;
	pg_put16(p + 7, (uint16_t)hs_len);
	size_t o = 9;
	p[o++] = 3, p[o++] = 3;
	for (int i = 0; i < 32; i++)
		p[o++] = (uint8_t)(i * 7);
	p[o++] = 0;                                           /* session id */
	p[o++] = 0, p[o++] = 2, p[o++] = 0xc0, p[o++] = 0x2f; /* one cipher suite */
	p[o++] = 1, p[o++] = 0;                               /* null compression */
	pg_put16(p + o, (uint16_t)ext_len), o += 2;
	p[o++] = 0, p[o++] = 0; /* server_name */
	pg_put16(p + o, (uint16_t)(5 + sl)), o += 2;
	pg_put16(p + o, (uint16_t)(3 + sl)), o += 2;
	p[o++] = 0;
	pg_put16(p + o, (uint16_t)sl), o += 2;
	memcpy(p + o, sni, sl), o += sl;
	tls_hello_len = o;

	tls_data[0] = 0x17, tls_data[1] = 3, tls_data[2] = 3;
	pg_put16(tls_data + 3, (uint16_t)(sizeof(tls_data) - 5));
	for (size_t i = 5; i < sizeof(tls_data); i++)
		tls_data[i] = (uint8_t)(i * 31 + 7);
}

static size_t dns_msg(uint8_t *out, uint16_t id, uint32_t k, int response)
{
	size_t o = 0;
	pg_put16(out, id);
	out[2] = response ? 0x81 : 0x01;
	out[3] = response ? 0x80 : 0x00;
	pg_put16(out + 4, 1);
	pg_put16(out + 6, response ? 1 : 0);
	pg_put16(out + 8, 0);
	pg_put16(out + 10, 0);
	o = 12;
	char label[16];
	int ll = snprintf(label, sizeof(label), "h%u", (unsigned)(k % 5000));
	out[o++] = (uint8_t)ll;
	memcpy(out + o, label, (size_t)ll), o += (size_t)ll;
	static const uint8_t rest[] = {7,   'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,
	                               'c', 'o', 'm', 0,   0,   1,   0,   1};
	memcpy(out + o, rest, sizeof(rest)), o += sizeof(rest);
	if (response) {
		static const uint8_t ans[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4};
		memcpy(out + o, ans, sizeof(ans)), o += sizeof(ans);
		pg_put32(out + o, internet_ip(k % N_INTERNET)), o += 4;
	}
	return o;
}

/* SMB2 over NetBIOS session service: a 64-byte SMB2 header and a body. */
static size_t smb2_msg(uint8_t *out, uint16_t cmd, int response, size_t body)
{
	size_t len = 64 + body;
	memset(out, 0, 4 + len);
	pg_put32(out, (uint32_t)len);
	uint8_t *h = out + 4;
	h[0] = 0xfe, h[1] = 'S', h[2] = 'M', h[3] = 'B';
	h[4] = 64;
	h[12] = (uint8_t)cmd;
	h[16] = response ? 1 : 0;
	return 4 + len;
}

/* ---- sessions ---- */

enum stype { S_WEB, S_TLS, S_DNS, S_MODBUS, S_S7, S_SMB, S_BACKUP, S_BRANCH, S_PLC_NET, S_ARP };

struct sess {
	enum stype type;
	const uint8_t *cmac, *smac; /* MACs on the wire for client->server */
	uint8_t cmac_b[6], smac_b[6];
	uint32_t cip, sip;
	uint16_t sport, dport;
	uint32_t cseq, sseq;
	int step, steps;
	uint32_t k; /* free parameter (DNS id, ARP host) */
	int active;
};

static struct sess act[N_ACTIVE];
static uint32_t next_arp_host, next_sport = 32768;

static int same_subnet(uint32_t a, uint32_t b)
{
	return (a & 0xffffff00u) == (b & 0xffffff00u);
}

static void wire_macs(struct sess *s, int ci, int si)
{
	/* A client host index < 0 means a routed source (behind the router). */
	memcpy(s->cmac_b, ci >= 0 ? hosts[ci].mac : ROUTER_MAC, 6);
	if (si >= 0 && ci >= 0 && same_subnet(hosts[ci].ip, hosts[si].ip))
		memcpy(s->smac_b, hosts[si].mac, 6);
	else if (si >= 0 && ci < 0)
		memcpy(s->smac_b, hosts[si].mac, 6);
	else
		memcpy(s->smac_b, ROUTER_MAC, 6);
	s->cmac = s->cmac_b;
	s->smac = s->smac_b;
}

static void new_session(struct sess *s)
{
	uint32_t r = below(1000);
	int ci = 0, si = -1;
	memset(s, 0, sizeof(*s));
	s->active = 1;
	s->sport = (uint16_t)next_sport;
	next_sport = next_sport >= 60999 ? 32768 : next_sport + 1;
	s->cseq = rnd();
	s->sseq = rnd();
	if (r < 40) {
		s->type = S_ARP;
		s->k = next_arp_host++ % N_HOSTS;
		s->steps = 2;
		return;
	}
	if (r < 290) {
		s->type = S_WEB;
		ci = (int)below(N_OFFICE_PC);
		s->sip = internet_ip(below(N_INTERNET));
		s->dport = 80;
		s->steps = 8 + (int)below(16);
	} else if (r < 490) {
		s->type = S_TLS;
		ci = (int)below(N_OFFICE_PC);
		s->sip = internet_ip(below(N_INTERNET));
		s->dport = 443;
		s->steps = 8 + (int)below(24);
	} else if (r < 640) {
		s->type = S_DNS;
		ci = (int)below(N_OFFICE_PC);
		si = SRV_DNS;
		s->dport = 53;
		s->k = rnd();
		s->steps = 2;
	} else if (r < 790) {
		s->type = S_MODBUS;
		ci = H_PLANT + 300 + (int)below(200); /* an HMI */
		si = H_PLANT + (int)below(300);       /* a PLC */
		s->dport = 502;
		s->steps = 6 + (int)below(20);
	} else if (r < 840) {
		s->type = S_S7;
		ci = (int)below(20); /* engineering PCs in 10.10.1.0/24 */
		si = H_PLANT + (int)below(300);
		s->dport = 102;
		s->steps = 8 + (int)below(12);
	} else if (r < 890) {
		s->type = S_SMB;
		ci = (int)below(N_OFFICE_PC);
		si = SRV_FILE;
		s->dport = 445;
		s->steps = 6 + (int)below(12);
	} else if (r < 920) {
		s->type = S_BACKUP;
		ci = H_BACKUP; /* backup-server 10.99.0.10 */
		si = (int)below(2) ? H_BACKUP + 1 : (int)below(N_OFFICE_PC);
		s->dport = 445;
		s->steps = 10 + (int)below(20);
	} else if (r < 990) {
		s->type = S_BRANCH;
		ci = -1;
		s->cip = branch_ip(below(N_BRANCH));
		si = (int)below(2) ? SRV_WEB : SRV_DNS;
		s->dport = si == SRV_WEB ? 80 : 53;
		s->k = rnd();
		s->steps = si == SRV_WEB ? 6 + (int)below(8) : 2;
		if (si == SRV_DNS)
			s->type = S_DNS;
		else
			s->type = S_WEB;
	} else {
		s->type = S_PLC_NET;
		ci = H_PLANT + (int)below(300);
		s->sip = internet_ip(below(N_INTERNET));
		s->dport = 443;
		s->steps = 4;
	}
	if (ci >= 0)
		s->cip = hosts[ci].ip;
	if (si >= 0)
		s->sip = hosts[si].ip;
	wire_macs(s, ci, si);
}

static pg_frame fr;

static void frame_reset(void)
{
	/* pg_frame_init() clears 64 KiB; builders write every byte they use. */
	fr.len = 0;
	fr.overflow = 0;
}

static void arp_frame(uint32_t h)
{
	frame_reset();
	/* Request from the host for the router, or the router's reply. */
	pg_eth(&fr, BCAST, hosts[h].mac, PG_ETH_ARP);
	pg_arp(&fr, PG_ARP_REQUEST, hosts[h].mac, hosts[h].ip, NULL, ROUTER_IP);
	pg_pad(&fr, 60, 0);
}

static void arp_reply_frame(uint32_t h)
{
	frame_reset();
	pg_eth(&fr, hosts[h].mac, ROUTER_MAC, PG_ETH_ARP);
	pg_arp(&fr, PG_ARP_REPLY, ROUTER_MAC, ROUTER_IP, hosts[h].mac, hosts[h].ip);
	pg_pad(&fr, 60, 0);
}

static void tcp_frame(struct sess *s, int from_client, uint8_t flags, const void *pl, size_t n)
{
	frame_reset();
	pg_eth(&fr, from_client ? s->smac : s->cmac, from_client ? s->cmac : s->smac, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&fr, &(pg_ipv4){.src = from_client ? s->cip : s->sip,
	                                          .dst = from_client ? s->sip : s->cip,
	                                          .proto = PG_IP_TCP,
	                                          .ttl = from_client ? 128 : 64,
	                                          .df = 1,
	                                          .id = (uint16_t)rnd()});
	pg_tcp_opt t = {.sport = from_client ? s->sport : s->dport,
	                .dport = from_client ? s->dport : s->sport,
	                .seq = from_client ? s->cseq : s->sseq,
	                .ack = (flags & PG_ACK) ? (from_client ? s->sseq : s->cseq) : 0,
	                .flags = flags,
	                .mss = (flags & PG_SYN) ? 1460 : 0,
	                .payload = pl,
	                .payload_len = n};
	pg_tcp(&fr, ip, &t);
	pg_ipv4_end(&fr, ip);
	pg_pad(&fr, 60, 0);
	if (from_client)
		s->cseq += (uint32_t)n + ((flags & (PG_SYN | PG_FIN)) ? 1 : 0);
	else
		s->sseq += (uint32_t)n + ((flags & (PG_SYN | PG_FIN)) ? 1 : 0);
}

static void udp_frame(struct sess *s, int from_client, const void *pl, size_t n)
{
	frame_reset();
	pg_eth(&fr, from_client ? s->smac : s->cmac, from_client ? s->cmac : s->smac, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&fr, &(pg_ipv4){.src = from_client ? s->cip : s->sip,
	                                          .dst = from_client ? s->sip : s->cip,
	                                          .proto = PG_IP_UDP,
	                                          .ttl = from_client ? 128 : 64,
	                                          .id = (uint16_t)rnd()});
	pg_udp(&fr, ip, from_client ? s->sport : s->dport, from_client ? s->dport : s->sport, pl,
	       n);
	pg_ipv4_end(&fr, ip);
	pg_pad(&fr, 60, 0);
}

/* Application payload of data step d (0-based) in one direction. */
static void app_payload(struct sess *s, int d, int from_client, const uint8_t **pl, size_t *n)
{
	static uint8_t buf[1500];
	switch (s->type) {
	case S_WEB:
		if (from_client)
			*pl = http_req, *n = http_req_len;
		else
			*pl = http_resp, *n = http_resp_len;
		return;
	case S_TLS:
	case S_PLC_NET:
		if (d == 0 && from_client)
			*pl = tls_hello, *n = tls_hello_len;
		else
			*pl = tls_data, *n = from_client ? 300 : sizeof(tls_data);
		return;
	case S_MODBUS:
		memcpy(buf, modbus_req, sizeof(modbus_req));
		pg_put16(buf, (uint16_t)d);
		if (from_client) {
			*pl = buf, *n = sizeof(modbus_req);
		} else {
			buf[5] = 23; /* unit + fc + count + 20 bytes */
			buf[7] = 3;
			buf[8] = 20;
			memset(buf + 9, 0x11, 20);
			*pl = buf, *n = 29;
		}
		return;
	case S_S7:
		if (d == 0)
			*pl = from_client ? s7_cr : s7_cc, *n = 22;
		else if (d == 1)
			*pl = s7_setup, *n = sizeof(s7_setup);
		else
			*pl = from_client ? s7_read : s7_data,
			*n = from_client ? sizeof(s7_read) : sizeof(s7_data);
		return;
	case S_SMB:
	case S_BACKUP:
		*n = smb2_msg(buf, d == 0 ? 0 : 8, !from_client,
		              from_client ? 48 : (s->type == S_BACKUP ? 1300 : 600));
		*pl = buf;
		return;
	default:
		*pl = buf, *n = 0;
		return;
	}
}

/* Writes the next packet of s; clears s->active after the last one. */
static void emit(struct sess *s)
{
	static uint8_t dns[512];
	int st = s->step++;
	if (s->type == S_ARP) {
		if (st == 0)
			arp_frame(s->k);
		else
			arp_reply_frame(s->k);
	} else if (s->type == S_DNS) {
		udp_frame(s, st == 0, dns, dns_msg(dns, (uint16_t)s->k, s->k, st != 0));
	} else if (st == 0) {
		tcp_frame(s, 1, PG_SYN, NULL, 0);
	} else if (st == 1) {
		tcp_frame(s, 0, PG_SYN | PG_ACK, NULL, 0);
	} else if (st == 2) {
		tcp_frame(s, 1, PG_ACK, NULL, 0);
	} else if (st >= s->steps - 1) {
		tcp_frame(s, 1, PG_FIN | PG_ACK, NULL, 0);
	} else {
		int d = st - 3, from_client = (d % 2) == 0;
		const uint8_t *pl;
		size_t n;
		app_payload(s, d / 2, from_client, &pl, &n); /* request and answer share d/2 */
		tcp_frame(s, from_client, PG_ACK | PG_PSH, pl, n);
	}
	if (s->step >= s->steps)
		s->active = 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: %s OUT.pcap [PACKETS [arp-only]]\n", argv[0]);
		return 2;
	}
	unsigned long long total = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000000ull;
	int arp_only = argc > 3 && strcmp(argv[3], "arp-only") == 0;
	init_hosts();
	init_payloads();
	pg_pcap *w = pg_pcap_open(argv[1], PG_LT_ETHERNET, 0, 65535);
	if (!w) {
		perror(argv[1]);
		return 1;
	}
	uint64_t ts = T0_NS;
	unsigned long long n = 0;
	if (arp_only) {
		for (; n < total; n++) {
			if (n % 2 == 0)
				arp_frame((uint32_t)(n / 2 % N_HOSTS));
			else
				arp_reply_frame((uint32_t)(n / 2 % N_HOSTS));
			ts += 1000000ull;
			pg_pcap_frame(w, ts, &fr);
		}
	} else {
		/* Everyone announces itself first, then sessions interleave. */
		for (uint32_t h = 0; h < N_HOSTS && n < total; h++, n++) {
			arp_frame(h);
			ts += 200000ull;
			pg_pcap_frame(w, ts, &fr);
		}
		for (; n < total; n++) {
			struct sess *s = &act[below(N_ACTIVE)];
			if (!s->active)
				new_session(s);
			emit(s);
			ts += 1000000ull + below(2000000); /* 1-3 ms */
			pg_pcap_frame(w, ts, &fr);
		}
	}
	if (pg_pcap_close(w) != 0) {
		fprintf(stderr, "%s: write failed\n", argv[1]);
		return 1;
	}
	fprintf(stderr, "gen-capture: %llu packets, %d devices, to %s\n", n, N_HOSTS, argv[1]);
	return 0;
}
