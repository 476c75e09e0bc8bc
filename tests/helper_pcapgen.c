/*
 * tests/helper_pcapgen.c - packet builders and pcap/pcapng writers for tests.
 *
 * Everything is written byte by byte in network order (capture file headers
 * in little-endian), without libpcap, so that a capture made here checks the
 * reader under test instead of agreeing with it by construction.
 */
#include "tests/helper_pcapgen.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

struct pg_pcap {
	FILE *fp;
	int nanosecond;
	int err;
};

struct pg_pcapng {
	FILE *fp;
	int err;
	uint32_t n_if;
};

void pg_frame_init(pg_frame *f)
{
	memset(f->b, 0, sizeof f->b);
	f->len = 0;
	f->overflow = 0;
}

size_t pg_append(pg_frame *f, const void *p, size_t n)
{
	size_t off = f->len;

	if (f->overflow || n > PG_FRAME_MAX - f->len) {
		f->overflow = 1;
		return off;
	}
	if (p)
		memcpy(f->b + f->len, p, n);
	else
		memset(f->b + f->len, 0, n);
	f->len += n;
	return off;
}

void pg_pad(pg_frame *f, size_t min_len, uint8_t fill)
{
	while (!f->overflow && f->len < min_len)
		pg_append(f, &fill, 1);
}

void pg_trailer(pg_frame *f, size_t n, uint8_t fill)
{
	for (size_t i = 0; i < n && !f->overflow; i++)
		pg_append(f, &fill, 1);
}

void pg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void pg_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put16le(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* ---- literal addresses ---- */

static void bad_literal(const char *what, const char *s)
{
	fprintf(stderr, "pcapgen: bad %s literal '%s'\n", what, s);
	abort();
}

void pg_mac(const char *s, uint8_t out[6])
{
	unsigned int v[6];
	char extra;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
	           &extra) != 6)
		bad_literal("MAC", s);
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)v[i];
}

uint32_t pg_ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		bad_literal("IPv4", s);
	return ntohl(a.s_addr);
}

void pg_ip6(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		bad_literal("IPv6", s);
}

/* ---- checksums (RFC 1071) ---- */

uint32_t pg_sum(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t pg_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pg_cksum(const uint8_t *p, size_t n)
{
	return pg_fold(pg_sum(0, p, n));
}

/* ---- link layers ---- */

void pg_eth(pg_frame *f, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype)
{
	uint8_t h[14];

	memcpy(h, dst, 6);
	memcpy(h + 6, src, 6);
	pg_put16(h + 12, ethertype);
	pg_append(f, h, sizeof h);
}

void pg_vlan(pg_frame *f, uint8_t pcp, uint16_t vid, uint16_t ethertype)
{
	uint8_t h[4];

	pg_put16(h, (uint16_t)((pcp & 7u) << 13 | (vid & 0x0fffu)));
	pg_put16(h + 2, ethertype);
	pg_append(f, h, sizeof h);
}

void pg_sll(pg_frame *f, uint16_t pkttype, const uint8_t addr[6], uint16_t proto)
{
	uint8_t h[16] = {0};

	pg_put16(h, pkttype);
	pg_put16(h + 2, 1); /* ARPHRD_ETHER */
	pg_put16(h + 4, addr ? 6 : 0);
	if (addr)
		memcpy(h + 6, addr, 6);
	pg_put16(h + 14, proto);
	pg_append(f, h, sizeof h);
}

void pg_sll2(pg_frame *f, uint32_t ifindex, uint8_t pkttype, const uint8_t addr[6], uint16_t proto)
{
	uint8_t h[20] = {0};

	pg_put16(h, proto);
	/* h[2..3] reserved */
	pg_put32(h + 4, ifindex);
	pg_put16(h + 8, 1); /* ARPHRD_ETHER */
	h[10] = pkttype;
	h[11] = addr ? 6 : 0;
	if (addr)
		memcpy(h + 12, addr, 6);
	pg_append(f, h, sizeof h);
}

void pg_null(pg_frame *f, uint32_t family)
{
	uint8_t h[4];

	put32le(h, family);
	pg_append(f, h, sizeof h);
}

/* ---- ARP ---- */

void pg_arp_raw(pg_frame *f, uint16_t htype, uint16_t ptype, uint8_t hln, uint8_t pln, uint16_t op,
                const uint8_t *sha, const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa)
{
	uint8_t h[8];

	pg_put16(h, htype);
	pg_put16(h + 2, ptype);
	h[4] = hln;
	h[5] = pln;
	pg_put16(h + 6, op);
	pg_append(f, h, sizeof h);
	pg_append(f, sha, hln);
	pg_append(f, spa, pln);
	pg_append(f, tha, hln);
	pg_append(f, tpa, pln);
}

void pg_arp(pg_frame *f, uint16_t op, const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
            uint32_t tpa)
{
	uint8_t s[4], t[4];

	pg_put32(s, spa);
	pg_put32(t, tpa);
	pg_arp_raw(f, 1, PG_ETH_IPV4, 6, 4, op, sha, s, tha, t);
}

/* ---- IPv4 ---- */

size_t pg_ipv4_begin(pg_frame *f, const pg_ipv4 *ip)
{
	uint8_t h[60] = {0};
	size_t optlen = (ip->options_len + 3) & ~(size_t)3;
	size_t hl;
	uint16_t frag;

	if (optlen > 40) {
		f->overflow = 1;
		return f->len;
	}
	hl = 20 + optlen;
	h[0] = (uint8_t)(0x40 | hl / 4);
	h[1] = ip->tos;
	/* total length and checksum are set by pg_ipv4_end */
	pg_put16(h + 4, ip->id);
	frag = (uint16_t)(ip->frag_off8 & 0x1fff);
	if (ip->df)
		frag |= 0x4000;
	if (ip->mf)
		frag |= 0x2000;
	pg_put16(h + 6, frag);
	h[8] = ip->ttl ? ip->ttl : 64;
	h[9] = ip->proto;
	pg_put32(h + 12, ip->src);
	pg_put32(h + 16, ip->dst);
	if (ip->options_len)
		memcpy(h + 20, ip->options, ip->options_len); /* rest stays 0 = EOL */
	return pg_append(f, h, hl);
}

void pg_ipv4_end(pg_frame *f, size_t off)
{
	uint8_t *h;
	size_t hl, total;

	if (f->overflow)
		return;
	h = f->b + off;
	hl = (size_t)(h[0] & 0x0f) * 4;
	total = f->len - off;
	if (total > 0xffff) {
		f->overflow = 1;
		return;
	}
	pg_put16(h + 2, (uint16_t)total);
	pg_put16(h + 10, 0);
	pg_put16(h + 10, pg_cksum(h, hl));
}

/* ---- IPv6 ---- */

size_t pg_ipv6_begin(pg_frame *f, const pg_ipv6 *ip)
{
	uint8_t h[40] = {0};

	pg_put32(h, 6u << 28 | (ip->flow & 0xfffff));
	h[6] = ip->next;
	h[7] = ip->hlim ? ip->hlim : 64;
	memcpy(h + 8, ip->src, 16);
	memcpy(h + 24, ip->dst, 16);
	return pg_append(f, h, sizeof h);
}

void pg_ipv6_end(pg_frame *f, size_t off)
{
	size_t plen;

	if (f->overflow)
		return;
	plen = f->len - off - 40;
	if (plen > 0xffff) {
		f->overflow = 1;
		return;
	}
	pg_put16(f->b + off + 4, (uint16_t)plen);
}

void pg_ip6_hopopts(pg_frame *f, uint8_t next, int router_alert)
{
	uint8_t h[8] = {next, 0};

	if (router_alert) {
		/* Router Alert (type 5, len 2, value 0 = MLD), then PadN of 0 data */
		h[2] = 5;
		h[3] = 2;
		h[4] = 0;
		h[5] = 0;
		h[6] = 1; /* PadN */
		h[7] = 0;
	} else {
		h[2] = 1; /* PadN with 4 bytes of data */
		h[3] = 4;
	}
	pg_append(f, h, sizeof h);
}

void pg_ip6_dstopts(pg_frame *f, uint8_t next)
{
	uint8_t h[8] = {next, 0, 1, 4, 0, 0, 0, 0};

	pg_append(f, h, sizeof h);
}

void pg_ip6_routing(pg_frame *f, uint8_t next, uint8_t type)
{
	uint8_t h[8] = {next, 0, type, 0, 0, 0, 0, 0};

	pg_append(f, h, sizeof h);
}

void pg_ip6_frag(pg_frame *f, uint8_t next, uint16_t off8, int m, uint32_t id)
{
	uint8_t h[8] = {next, 0};

	pg_put16(h + 2, (uint16_t)((off8 & 0x1fff) << 3 | (m ? 1 : 0)));
	pg_put32(h + 4, id);
	pg_append(f, h, sizeof h);
}

/* ---- L4 checksums ---- */

uint32_t pg_pseudo_sum(const pg_frame *f, size_t ip, uint8_t proto, size_t len)
{
	const uint8_t *h = f->b + ip;
	uint8_t tail[8];
	uint32_t sum;

	if ((h[0] >> 4) == 6) {
		sum = pg_sum(0, h + 8, 32);
		pg_put32(tail, (uint32_t)len);
		tail[4] = tail[5] = tail[6] = 0;
		tail[7] = proto;
		return pg_sum(sum, tail, 8);
	}
	sum = pg_sum(0, h + 12, 8);
	tail[0] = 0;
	tail[1] = proto;
	pg_put16(tail + 2, (uint16_t)len);
	return pg_sum(sum, tail, 4);
}

/* Checksum over [start, f->len) plus the pseudo-header; stored at start+at. */
static void l4_cksum(pg_frame *f, size_t ip, uint8_t proto, size_t start, size_t at, int udp)
{
	size_t len;
	uint16_t c;

	if (f->overflow)
		return;
	len = f->len - start;
	pg_put16(f->b + start + at, 0);
	c = pg_fold(pg_sum(pg_pseudo_sum(f, ip, proto, len), f->b + start, len));
	if (udp && c == 0)
		c = 0xffff; /* 0 means "no checksum" in UDP */
	pg_put16(f->b + start + at, c);
}

/* ---- ICMP ---- */

void pg_icmp_echo(pg_frame *f, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t n)
{
	uint8_t h[8] = {type, 0};
	size_t start;

	pg_put16(h + 4, id);
	pg_put16(h + 6, seq);
	start = pg_append(f, h, sizeof h);
	pg_append(f, data, n);
	if (!f->overflow)
		pg_put16(f->b + start + 2, pg_cksum(f->b + start, f->len - start));
}

void pg_icmp6_echo(pg_frame *f, size_t ip6, uint8_t type, uint16_t id, uint16_t seq,
                   const void *data, size_t n)
{
	uint8_t h[8] = {type, 0};
	size_t start;

	pg_put16(h + 4, id);
	pg_put16(h + 6, seq);
	start = pg_append(f, h, sizeof h);
	pg_append(f, data, n);
	l4_cksum(f, ip6, PG_IP_ICMPV6, start, 2, 0);
}

static void lla_option(pg_frame *f, uint8_t type, const uint8_t *mac)
{
	uint8_t o[8] = {type, 1};

	memcpy(o + 2, mac, 6);
	pg_append(f, o, sizeof o);
}

void pg_icmp6_ns(pg_frame *f, size_t ip6, const uint8_t target[16], const uint8_t *sll)
{
	uint8_t h[24] = {135, 0};
	size_t start;

	memcpy(h + 8, target, 16);
	start = pg_append(f, h, sizeof h);
	if (sll)
		lla_option(f, 1, sll);
	l4_cksum(f, ip6, PG_IP_ICMPV6, start, 2, 0);
}

void pg_icmp6_na(pg_frame *f, size_t ip6, uint8_t flags, const uint8_t target[16],
                 const uint8_t *tll)
{
	uint8_t h[24] = {136, 0};
	size_t start;

	h[4] = flags;
	memcpy(h + 8, target, 16);
	start = pg_append(f, h, sizeof h);
	if (tll)
		lla_option(f, 2, tll);
	l4_cksum(f, ip6, PG_IP_ICMPV6, start, 2, 0);
}

void pg_icmp6_ra(pg_frame *f, size_t ip6, uint8_t cur_hlim, uint16_t lifetime, const uint8_t *sll,
                 const uint8_t *prefix, uint8_t prefix_len)
{
	uint8_t h[16] = {134, 0};
	size_t start;

	h[4] = cur_hlim;
	h[5] = 0; /* M=0 O=0: SLAAC */
	pg_put16(h + 6, lifetime);
	/* reachable time and retrans timer 0: unspecified */
	start = pg_append(f, h, sizeof h);
	if (sll)
		lla_option(f, 1, sll);
	if (prefix) {
		uint8_t o[32] = {3, 4};

		o[2] = prefix_len;
		o[3] = 0xc0; /* on-link, autonomous */
		pg_put32(o + 4, 2592000);
		pg_put32(o + 8, 604800);
		memcpy(o + 16, prefix, 16);
		pg_append(f, o, sizeof o);
	}
	l4_cksum(f, ip6, PG_IP_ICMPV6, start, 2, 0);
}

/* ---- TCP / UDP ---- */

void pg_tcp(pg_frame *f, size_t ip, const pg_tcp_opt *t)
{
	uint8_t h[60] = {0};
	size_t o = 20, start;

	pg_put16(h, t->sport);
	pg_put16(h + 2, t->dport);
	pg_put32(h + 4, t->seq);
	pg_put32(h + 8, t->ack);
	h[13] = t->flags;
	pg_put16(h + 14, t->window ? t->window : 64240);
	if (t->mss) {
		h[o] = 2;
		h[o + 1] = 4;
		pg_put16(h + o + 2, t->mss);
		o += 4;
	}
	if (t->sack_perm) {
		h[o] = 4;
		h[o + 1] = 2;
		o += 2;
	}
	if (t->ts) {
		h[o] = 8;
		h[o + 1] = 10;
		pg_put32(h + o + 2, t->tsval);
		pg_put32(h + o + 6, t->tsecr);
		o += 10;
	}
	if (t->ws) {
		h[o] = 1; /* NOP keeps the shift count aligned as Linux does */
		h[o + 1] = 3;
		h[o + 2] = 3;
		h[o + 3] = (uint8_t)(t->ws - 1);
		o += 4;
	}
	while (o % 4)
		h[o++] = 1; /* NOP */
	h[12] = (uint8_t)(o / 4 << 4);
	start = pg_append(f, h, o);
	pg_append(f, t->payload, t->payload_len);
	l4_cksum(f, ip, PG_IP_TCP, start, 16, 0);
}

void pg_udp(pg_frame *f, size_t ip, uint16_t sport, uint16_t dport, const void *data, size_t n)
{
	uint8_t h[8] = {0};
	size_t start;

	if (n > 0xffff - 8) {
		f->overflow = 1;
		return;
	}
	pg_put16(h, sport);
	pg_put16(h + 2, dport);
	pg_put16(h + 4, (uint16_t)(8 + n));
	start = pg_append(f, h, sizeof h);
	pg_append(f, data, n);
	l4_cksum(f, ip, PG_IP_UDP, start, 6, 1);
}

/* ---- DHCPv4 ---- */

static size_t opt_bytes(uint8_t *out, size_t o, size_t cap, uint8_t code, const void *v, size_t n)
{
	if (o == 0 || n > 255 || o + 2 + n > cap)
		return 0;
	out[o] = code;
	out[o + 1] = (uint8_t)n;
	memcpy(out + o + 2, v, n);
	return o + 2 + n;
}

static size_t opt_u32(uint8_t *out, size_t o, size_t cap, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	pg_put32(b, v);
	return opt_bytes(out, o, cap, code, b, 4);
}

size_t pg_dhcp_build(uint8_t *out, size_t cap, const pg_dhcp *d)
{
	size_t o;
	int reply =
	    d->msg_type == PG_DHCPOFFER || d->msg_type == PG_DHCPACK || d->msg_type == 6 /* NAK */;

	if (cap < 300)
		return 0;
	memset(out, 0, 300);
	out[0] = reply ? 2 : 1;
	out[1] = 1; /* Ethernet */
	out[2] = 6;
	out[3] = 0; /* hops */
	pg_put32(out + 4, d->xid);
	/* secs 0 */
	pg_put16(out + 10, d->broadcast ? 0x8000 : 0);
	pg_put32(out + 12, d->ciaddr);
	pg_put32(out + 16, d->yiaddr);
	pg_put32(out + 20, d->siaddr);
	pg_put32(out + 24, d->giaddr);
	memcpy(out + 28, d->chaddr, 6);
	/* sname (64) and file (128) zero: 44..235 */
	out[236] = 99;
	out[237] = 130;
	out[238] = 83;
	out[239] = 99;
	o = 240;
	o = opt_bytes(out, o, cap, 53, &d->msg_type, 1);
	if (d->server_id)
		o = opt_u32(out, o, cap, 54, d->server_id);
	if (d->requested_ip)
		o = opt_u32(out, o, cap, 50, d->requested_ip);
	if (d->lease_time)
		o = opt_u32(out, o, cap, 51, d->lease_time);
	if (d->subnet_mask)
		o = opt_u32(out, o, cap, 1, d->subnet_mask);
	if (d->router)
		o = opt_u32(out, o, cap, 3, d->router);
	if (d->hostname)
		o = opt_bytes(out, o, cap, 12, d->hostname, strlen(d->hostname));
	if (d->vendor_class)
		o = opt_bytes(out, o, cap, 60, d->vendor_class, strlen(d->vendor_class));
	if (d->prl_len)
		o = opt_bytes(out, o, cap, 55, d->prl, d->prl_len);
	if (o == 0 || o + 1 > cap)
		return 0;
	out[o++] = 255;
	if (o < 300) {
		memset(out + o, 0, 300 - o);
		o = 300; /* BOOTP minimum message size */
	}
	return o;
}

/* ---- classic pcap ---- */

pg_pcap *pg_pcap_open(const char *path, uint32_t linktype, int nanosecond, uint32_t snaplen)
{
	uint8_t h[24];
	pg_pcap *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->fp = fopen(path, "wb");
	if (!p->fp) {
		free(p);
		return NULL;
	}
	p->nanosecond = nanosecond;
	put32le(h, nanosecond ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16le(h + 4, 2);
	put16le(h + 6, 4);
	put32le(h + 8, 0);  /* thiszone */
	put32le(h + 12, 0); /* sigfigs */
	put32le(h + 16, snaplen);
	put32le(h + 20, linktype);
	if (fwrite(h, 1, sizeof h, p->fp) != sizeof h)
		p->err = 1;
	return p;
}

int pg_pcap_write(pg_pcap *p, uint64_t ts_ns, const uint8_t *data, size_t caplen, size_t origlen)
{
	uint8_t h[16];
	uint64_t frac = ts_ns % 1000000000u;

	if (caplen > 0xffffffffu || origlen > 0xffffffffu || origlen < caplen) {
		p->err = 1;
		return -1;
	}
	put32le(h, (uint32_t)(ts_ns / 1000000000u));
	put32le(h + 4, (uint32_t)(p->nanosecond ? frac : frac / 1000u));
	put32le(h + 8, (uint32_t)caplen);
	put32le(h + 12, (uint32_t)origlen);
	if (fwrite(h, 1, sizeof h, p->fp) != sizeof h || fwrite(data, 1, caplen, p->fp) != caplen) {
		p->err = 1;
		return -1;
	}
	return 0;
}

int pg_pcap_frame(pg_pcap *p, uint64_t ts_ns, const pg_frame *f)
{
	if (f->overflow) {
		p->err = 1;
		return -1;
	}
	return pg_pcap_write(p, ts_ns, f->b, f->len, f->len);
}

int pg_pcap_close(pg_pcap *p)
{
	int err;

	if (!p)
		return -1;
	err = p->err;
	if (fclose(p->fp) != 0)
		err = 1;
	free(p);
	return err ? -1 : 0;
}

/* ---- pcapng ---- */

int pg_pcapng_block(pg_pcapng *p, uint32_t type, const uint8_t *body, size_t len)
{
	uint8_t h[8], zero[4] = {0};
	size_t pad = (4 - len % 4) % 4;
	size_t total = 12 + len + pad;

	if (total > 0xffffffffu) {
		p->err = 1;
		return -1;
	}
	put32le(h, type);
	put32le(h + 4, (uint32_t)total);
	if (fwrite(h, 1, 8, p->fp) != 8 || (len && fwrite(body, 1, len, p->fp) != len) ||
	    fwrite(zero, 1, pad, p->fp) != pad || fwrite(h + 4, 1, 4, p->fp) != 4) {
		p->err = 1;
		return -1;
	}
	return 0;
}

pg_pcapng *pg_pcapng_open(const char *path)
{
	/* SHB body: byte-order magic, version 1.0, section length -1 (unknown),
	 * then a shb_userappl option naming the writer and opt_endofopt. */
	static const char appl[] = "segscan tests/helper_pcapgen";
	uint8_t body[16 + 4 + 32 + 4];
	size_t n = 0, al = sizeof appl - 1;
	pg_pcapng *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->fp = fopen(path, "wb");
	if (!p->fp) {
		free(p);
		return NULL;
	}
	memset(body, 0, sizeof body);
	put32le(body, 0x1a2b3c4du);
	put16le(body + 4, 1);
	put16le(body + 6, 0);
	memset(body + 8, 0xff, 8);
	n = 16;
	put16le(body + n, 4); /* shb_userappl */
	put16le(body + n + 2, (uint16_t)al);
	memcpy(body + n + 4, appl, al);
	n += 4 + ((al + 3) & ~(size_t)3);
	n += 4; /* opt_endofopt: zeros */
	pg_pcapng_block(p, 0x0a0d0d0au, body, n);
	return p;
}

int pg_pcapng_idb(pg_pcapng *p, uint16_t linktype, uint32_t snaplen)
{
	uint8_t body[8];

	put16le(body, linktype);
	put16le(body + 2, 0);
	put32le(body + 4, snaplen);
	if (pg_pcapng_block(p, 1, body, sizeof body) != 0)
		return -1;
	return (int)p->n_if++;
}

int pg_pcapng_epb(pg_pcapng *p, uint32_t ifid, uint64_t ts_ns, const uint8_t *data, size_t caplen,
                  size_t origlen)
{
	uint64_t us = ts_ns / 1000u;
	uint8_t *body;
	int rc;

	if (caplen > 0xffff || origlen < caplen || ifid >= p->n_if) {
		p->err = 1;
		return -1;
	}
	body = calloc(1, 20 + caplen);
	if (!body) {
		p->err = 1;
		return -1;
	}
	put32le(body, ifid);
	put32le(body + 4, (uint32_t)(us >> 32));
	put32le(body + 8, (uint32_t)us);
	put32le(body + 12, (uint32_t)caplen);
	put32le(body + 16, (uint32_t)origlen);
	memcpy(body + 20, data, caplen);
	rc = pg_pcapng_block(p, 6, body, 20 + caplen);
	free(body);
	return rc;
}

int pg_pcapng_close(pg_pcapng *p)
{
	int err;

	if (!p)
		return -1;
	err = p->err;
	if (fclose(p->fp) != 0)
		err = 1;
	free(p);
	return err ? -1 : 0;
}
