/*
 * scanner/decode-ip.c - IPv4 (options, fragments) and IPv6 (extension header
 * chain). Both shrink the cursor to the datagram's own length before going
 * further, so Ethernet padding never reaches an upper-layer parser.
 */
#include "scanner/decode-internal.h"

enum dec_status dec_ipv4(struct cur *c, struct pkt *p)
{
	struct cur ip = *c;
	uint8_t vihl = cur_u8(&ip);
	cur_u8(&ip); /* TOS */
	uint16_t total = cur_be16(&ip);
	uint16_t id = cur_be16(&ip);
	uint16_t frag = cur_be16(&ip);
	uint8_t ttl = cur_u8(&ip);
	uint8_t proto = cur_u8(&ip);
	cur_be16(&ip); /* checksum: not verified; offload makes it zero on captures */
	uint8_t src[4], dst[4];
	cur_copy(&ip, src, 4);
	cur_copy(&ip, dst, 4);
	if (ip.truncated)
		return DEC_TRUNCATED;
	if ((vihl >> 4) != 4)
		return DEC_MALFORMED;
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < 20)
		return DEC_MALFORMED;
	ss_ip_from_v4(&p->src, src);
	ss_ip_from_v4(&p->dst, dst);
	p->kind = PKT_IP;
	p->proto = proto;
	p->ttl = ttl;
	p->ip_id = id;
	p->ip_len = total;
	/* Work inside the datagram only. total == 0 happens with TSO on the
	 * capturing host: then the captured length is all we have. */
	struct cur dg = *c;
	if (total != 0) {
		if (total < ihl)
			return DEC_MALFORMED;
		if (!cur_limit(&dg, total)) {
			/* snaplen cut it: keep going with what was captured;
			 * upper layers check their own lengths. */
		}
	}
	if (!cur_skip(&dg, ihl))
		return DEC_TRUNCATED; /* options cut */
	uint16_t off = frag & 0x1fff;
	int mf = (frag & 0x2000) != 0;
	p->fragment = off != 0 || mf;
	if (off != 0) {
		p->frag_nonfirst = 1;
		return DEC_OK;
	}
	return dec_l4(&dg, p);
}

/* Extension headers that use the generic (next, hdr ext len) layout. */
static int ipv6_generic_ext(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60 || nh == 135 || nh == 139 || nh == 140;
}

enum dec_status dec_ipv6(struct cur *c, struct pkt *p)
{
	struct cur ip = *c;
	uint32_t vtf = cur_be32(&ip);
	uint16_t plen = cur_be16(&ip);
	uint8_t nh = cur_u8(&ip);
	uint8_t hlim = cur_u8(&ip);
	uint8_t src[16], dst[16];
	cur_copy(&ip, src, 16);
	cur_copy(&ip, dst, 16);
	if (ip.truncated)
		return DEC_TRUNCATED;
	if ((vtf >> 28) != 6)
		return DEC_MALFORMED;
	ss_ip_from_v6(&p->src, src);
	ss_ip_from_v6(&p->dst, dst);
	p->kind = PKT_IP;
	p->ttl = hlim;
	p->ip_len = (uint16_t)(plen + 40 < 65535 ? plen + 40 : 65535);
	struct cur pl = ip;
	if (plen != 0) /* 0: jumbogram or offload; use what was captured */
		cur_limit(&pl, plen);
	/* Walk the extension chain; bounded so a crafted loop cannot spin. */
	for (int hops = 0; hops < 16; hops++) {
		if (ipv6_generic_ext(nh)) {
			uint8_t next = cur_u8(&pl);
			uint8_t len8 = cur_u8(&pl);
			if (pl.truncated || !cur_skip(&pl, (size_t)len8 * 8 + 6))
				return DEC_TRUNCATED;
			nh = next;
		} else if (nh == 44) { /* fragment */
			uint8_t next = cur_u8(&pl);
			cur_u8(&pl);
			uint16_t offm = cur_be16(&pl);
			uint32_t ident = cur_be32(&pl);
			if (pl.truncated)
				return DEC_TRUNCATED;
			p->ip_id = (uint16_t)ident;
			p->fragment = 1;
			nh = next;
			if ((offm >> 3) != 0) {
				p->proto = nh;
				p->frag_nonfirst = 1;
				return DEC_OK;
			}
		} else if (nh == 51) { /* AH: length in 4-byte units, +2 */
			uint8_t next = cur_u8(&pl);
			uint8_t len4 = cur_u8(&pl);
			if (pl.truncated || !cur_skip(&pl, ((size_t)len4 + 2) * 4 - 2))
				return DEC_TRUNCATED;
			nh = next;
		} else {
			p->proto = nh;
			return nh == 59 ? DEC_OK : dec_l4(&pl, p);
		}
	}
	return DEC_MALFORMED;
}
