/*
 * scanner/decode-l4.c - TCP, UDP, ICMP and ICMPv6 with the Neighbor
 * Discovery messages whose link-layer address options bind IPv6 addresses
 * to MACs.
 */
#include "scanner/decode-internal.h"

static enum dec_status dec_tcp(struct cur *c, struct pkt *p)
{
	p->sport = cur_be16(c);
	p->dport = cur_be16(c);
	p->tcp_seq = cur_be32(c);
	cur_be32(c); /* ack */
	uint8_t off = cur_u8(c);
	p->tcp_flags = cur_u8(c);
	p->tcp_window = cur_be16(c);
	cur_be32(c); /* checksum, urgent */
	if (c->truncated)
		return DEC_TRUNCATED;
	size_t hl = (size_t)(off >> 4) * 4;
	if (hl < 20)
		return DEC_MALFORMED;
	p->tcp_opts = c->pos;
	if (!cur_skip(c, hl - 20))
		return DEC_TRUNCATED;
	p->tcp_opts_len = hl - 20;
	p->has_l4 = 1;
	p->payload = c->pos;
	p->payload_len = cur_left(c);
	return DEC_OK;
}

static enum dec_status dec_udp(struct cur *c, struct pkt *p)
{
	p->sport = cur_be16(c);
	p->dport = cur_be16(c);
	uint16_t len = cur_be16(c);
	cur_be16(c);
	if (c->truncated)
		return DEC_TRUNCATED;
	p->has_l4 = 1;
	/* The UDP length bounds the payload as well (0 for jumbograms). */
	if (len >= 8 && !p->fragment)
		cur_limit(c, (size_t)len - 8);
	p->payload = c->pos;
	p->payload_len = cur_left(c);
	return DEC_OK;
}

static enum dec_status dec_icmp(struct cur *c, struct pkt *p)
{
	p->icmp_type = cur_u8(c);
	p->icmp_code = cur_u8(c);
	cur_be16(c);
	if (c->truncated)
		return DEC_TRUNCATED;
	p->has_l4 = 1;
	p->payload = c->pos;
	p->payload_len = cur_left(c);
	return DEC_OK;
}

/* NDP options: type(1) len(1, units of 8 bytes incl. header) data. */
static void ndp_options(struct cur *c, struct pkt *p, uint8_t want)
{
	for (int n = 0; n < 64 && cur_left(c) >= 2; n++) {
		uint8_t type = cur_u8(c);
		uint8_t len8 = cur_u8(c);
		if (len8 == 0)
			return; /* RFC 4861: must be discarded; also prevents a loop */
		struct cur opt = cur_sub(c, (size_t)len8 * 8 - 2);
		if (opt.truncated)
			return;
		if (type == want && cur_left(&opt) >= 6 && !p->ndp.has_lla) {
			cur_copy(&opt, p->ndp.lla.b, 6);
			p->ndp.has_lla = 1;
		}
	}
}

static enum dec_status dec_icmp6(struct cur *c, struct pkt *p)
{
	enum dec_status st = dec_icmp(c, p);
	if (st != DEC_OK)
		return st;
	struct cur b = cur_make(p->payload, p->payload_len);
	uint8_t t = p->icmp_type;
	if (t == 133) { /* RS: reserved(4) options */
		cur_skip(&b, 4);
		p->ndp.type = t;
		ndp_options(&b, p, 1);
	} else if (t == 134) { /* RA: hop(1) flags(1) life(2) reach(4) retrans(4) */
		if (!cur_skip(&b, 12))
			return DEC_TRUNCATED;
		p->ndp.type = t;
		ndp_options(&b, p, 1);
	} else if (t == 135 || t == 136) { /* NS/NA: flags/reserved(4) target(16) */
		uint8_t flags = cur_u8(&b);
		cur_skip(&b, 3);
		uint8_t tgt[16];
		cur_copy(&b, tgt, 16);
		if (b.truncated)
			return DEC_TRUNCATED;
		p->ndp.type = t;
		p->ndp.na_flags = flags;
		ss_ip_from_v6(&p->ndp.target, tgt);
		ndp_options(&b, p, t == 135 ? 1 : 2);
	}
	return DEC_OK;
}

enum dec_status dec_l4(struct cur *c, struct pkt *p)
{
	switch (p->proto) {
	case 6:
		return dec_tcp(c, p);
	case 17:
		return dec_udp(c, p);
	case 1:
		return p->src.family == 4 ? dec_icmp(c, p) : DEC_OK;
	case 58:
		return p->src.family == 6 ? dec_icmp6(c, p) : DEC_OK;
	default:
		p->payload = c->pos;
		p->payload_len = cur_left(c);
		return DEC_OK;
	}
}
