/*
 * scanner/proto-dns.h - walking the DNS message format (RFC 1035 4.1),
 * shared by the DNS, mDNS (RFC 6762), LLMNR (RFC 4795) and NetBIOS name
 * service (RFC 1002) identifiers.
 *
 * Names are the dangerous part: compression pointers can point anywhere,
 * including at themselves. Every pointer here must point strictly before
 * the start of the run of labels it ends, so the read position falls with
 * each jump and the walk always terminates; a jump cap backs that up.
 * Static inline so nothing but NAME_identify() is exported.
 */
#ifndef SS_PROTO_DNS_H
#define SS_PROTO_DNS_H

#include <stddef.h>
#include <stdint.h>

#include <string.h>
#include <strings.h>

#include "scanner/cursor.h"

#define DNS_NAME_MAX 255 /* RFC 1035 2.3.4, on the wire */

struct dns_hdr {
	uint16_t id, flags, qd, an, ns, ar;
};

#define DNS_QR        0x8000
#define DNS_OPCODE(f) (((f) >> 11) & 0xf)
#define DNS_RCODE(f)  ((f)&0xf)

/* Label byte policy. */
enum dns_chars {
	DNS_CH_HOST, /* printable ASCII without blanks: what real resolvers ask */
	DNS_CH_ANY   /* anything but control bytes: DNS-SD instance names are UTF-8 */
};

static inline int dns_hdr_read(struct cur *c, struct dns_hdr *h)
{
	h->id = cur_be16(c);
	h->flags = cur_be16(c);
	h->qd = cur_be16(c);
	h->an = cur_be16(c);
	h->ns = cur_be16(c);
	h->ar = cur_be16(c);
	return !c->truncated;
}

/* Reads a (possibly compressed) name at c inside message msg and leaves c
 * after it. out (may be NULL) receives the dotted name (case kept),
 * truncated to outsz; unprintable bytes become '?'. Returns 0, or -1 for a
 * truncated or malformed name (label > 63, name > 255, pointer forward or
 * in a loop, pointer where allow_ptr is 0, bad label bytes). */
static inline int dns_name(const struct cur *msg, struct cur *c, int allow_ptr,
                           enum dns_chars chars, char *out, size_t outsz)
{
	struct cur r = *c;
	size_t limit = (size_t)(c->pos - msg->pos); /* pointers must go below this */
	size_t wire = 0, o = 0;
	int jumped = 0, jumps = 0;
	if (out && outsz)
		out[0] = '\0';
	for (;;) {
		uint8_t l = cur_u8(&r);
		if (r.truncated)
			return -1;
		if ((l & 0xc0) == 0xc0) {
			uint8_t lo = cur_u8(&r);
			size_t off = ((size_t)(l & 0x3f) << 8) | lo;
			if (r.truncated || !allow_ptr || off >= limit || ++jumps > 32)
				return -1;
			if (!jumped)
				c->pos = r.pos;
			jumped = 1;
			limit = off;
			r = *msg;
			cur_skip(&r, off);
			continue;
		}
		if (l & 0xc0) /* 0x40/0x80: extended label types, obsolete */
			return -1;
		wire += (size_t)l + 1;
		if (wire > DNS_NAME_MAX)
			return -1;
		if (l == 0)
			break;
		if (out && o && o + 1 < outsz)
			out[o++] = '.';
		for (uint8_t i = 0; i < l; i++) {
			uint8_t ch = cur_u8(&r);
			if (r.truncated)
				return -1;
			if (ch < 0x20 || ch == 0x7f ||
			    (chars == DNS_CH_HOST && (ch == ' ' || ch > 0x7e)))
				return -1;
			if (out && o + 1 < outsz)
				out[o++] = ch < 0x7f ? (char)ch : '?';
		}
	}
	if (out && outsz)
		out[o < outsz ? o : outsz - 1] = '\0';
	if (!jumped)
		c->pos = r.pos;
	return 0;
}

struct dns_rr {
	char name[DNS_NAME_MAX + 1];
	uint16_t type, cls;
	uint32_t ttl;
	struct cur rdata; /* the record data, bounded */
};

/* A question entry: name, type, class. */
static inline int dns_question(const struct cur *msg, struct cur *c, int allow_ptr,
                               enum dns_chars chars, struct dns_rr *q)
{
	if (dns_name(msg, c, allow_ptr, chars, q->name, sizeof(q->name)) != 0)
		return -1;
	q->type = cur_be16(c);
	q->cls = cur_be16(c);
	q->ttl = 0;
	q->rdata = cur_make(c->pos, 0);
	return c->truncated || q->type == 0 ? -1 : 0;
}

/* A resource record; rdata is a child cursor bounded by RDLENGTH. */
static inline int dns_rr_read(const struct cur *msg, struct cur *c, enum dns_chars chars,
                              struct dns_rr *rr)
{
	if (dns_name(msg, c, 1, chars, rr->name, sizeof(rr->name)) != 0)
		return -1;
	rr->type = cur_be16(c);
	rr->cls = cur_be16(c);
	rr->ttl = cur_be32(c);
	uint16_t rdlen = cur_be16(c);
	if (c->truncated)
		return -1;
	rr->rdata = cur_sub(c, rdlen);
	return rr->rdata.truncated ? -1 : 0;
}

/* Whether the dotted name ends with the label(s) suffix, ignoring case. */
static inline int dns_ends(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcasecmp(name + n - k, suffix) == 0 && name[n - k - 1] == '.';
}

#endif
