/*
 * scanner/proto-nbns.c - NetBIOS name service (RFC 1001 14-15, RFC 1002
 * 4.2).
 *
 * Proof: UDP port 137 on one side, a header with a defined opcode (query,
 * registration, release, WACK, refresh), the reserved NM_FLAGS bits
 * clear, counts that fit the packet type, and names in first-level
 * encoding: a 32-byte label of letters 'A'-'P' (RFC 1001 14.1), optional
 * scope labels; in records also a pointer to the question name.
 * Facts about the sender, never about a name it merely queries for:
 * a registration or refresh of a unique name for its own address, a
 * positive response for its own address (a WINS server answers for
 * others: the address decides), or a node status response (its own name
 * table) -> hostname (NAME_NBNS). The 16th byte is the suffix: 0x00
 * workstation, 0x20 file server service (noted).
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-dns.h"

#define NBNS_PORT      137
#define T_NB           0x0020
#define T_NBSTAT       0x0021
#define NB_GROUP       0x8000
#define OP_QUERY       0
#define OP_REGISTER    5
#define OP_RELEASE     6
#define OP_WACK        7
#define OP_REFRESH     8
#define OP_REFRESH_ALT 9 /* what Windows sends for refresh (RFC 1002 errata) */

struct nb_name {
	char name[16];
	uint8_t suffix;
};

/* A first-level encoded name at c (or a pointer to one). */
static int nb_name_read(const struct cur *msg, struct cur *c, struct nb_name *out)
{
	struct cur r = *c;
	int ptr = 0;
	if (cur_peek(&r, 0) >= 0xc0) {
		size_t off = cur_be16(&r) & 0x3fff;
		if (r.truncated || off < 12 || off >= (size_t)(c->pos - msg->pos))
			return -1;
		*c = r;
		r = *msg;
		cur_skip(&r, off);
		ptr = 1;
	}
	if (cur_u8(&r) != 32)
		return -1;
	uint8_t raw[16];
	for (int i = 0; i < 16; i++) {
		uint8_t hi = cur_u8(&r), lo = cur_u8(&r);
		if (r.truncated || hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P')
			return -1;
		raw[i] = (uint8_t)(((hi - 'A') << 4) | (lo - 'A'));
	}
	/* scope labels up to the root: the DNS name rules apply */
	if (dns_name(msg, &r, 0, DNS_CH_HOST, NULL, 0) != 0)
		return -1;
	if (!ptr)
		*c = r;
	size_t n = 15;
	while (n && (raw[n - 1] == ' ' || raw[n - 1] == 0))
		n--;
	ident_copy_str(out->name, sizeof(out->name), raw, n);
	out->suffix = raw[15];
	return 0;
}

static void claim(struct ident_facts *f, const char *name, uint8_t suffix)
{
	if (!name[0])
		return;
	if (suffix == 0x00 && !f->hostname[0]) {
		snprintf(f->hostname, sizeof(f->hostname), "%s", name);
		f->name_src = NAME_NBNS;
	} else if (suffix == 0x20) {
		snprintf(f->note, sizeof(f->note), "nbns: file server service <20> registered");
		if (!f->hostname[0]) {
			snprintf(f->hostname, sizeof(f->hostname), "%s", name);
			f->name_src = NAME_NBNS;
		}
	}
}

static int addr_is_sender(const struct ident_in *in, struct cur *d)
{
	uint8_t b[4];
	if (!cur_copy(d, b, 4))
		return 0;
	if (!in->p)
		return 1;
	ss_ip ip;
	ss_ip_from_v4(&ip, b);
	return ss_ip_eq(&ip, &in->p->src);
}

/* Node status response: the sender's own name table (RFC 1002 4.2.18). */
static void node_status(struct cur d, struct ident_facts *f)
{
	uint8_t n = cur_u8(&d);
	for (uint8_t i = 0; i < n; i++) {
		uint8_t raw[16];
		if (!cur_copy(&d, raw, 16))
			return;
		uint16_t flags = cur_be16(&d);
		if (d.truncated)
			return;
		if (flags & NB_GROUP)
			continue;
		size_t k = 15;
		while (k && (raw[k - 1] == ' ' || raw[k - 1] == 0))
			k--;
		char name[16];
		ident_copy_str(name, sizeof(name), raw, k);
		claim(f, name, raw[15]);
	}
}

int nbns_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->sport != NBNS_PORT && p->dport != NBNS_PORT)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	const struct cur msg = c;
	struct dns_hdr h;
	if (!dns_hdr_read(&c, &h))
		return 0;
	unsigned op = DNS_OPCODE(h.flags);
	int response = (h.flags & DNS_QR) != 0;
	if ((op != OP_QUERY && (op < OP_REGISTER || op > OP_REFRESH_ALT)) || (h.flags & 0x0060) ||
	    DNS_RCODE(h.flags) > 7 || h.qd > 1 || h.an > 1 || h.ns > 1 || h.ar > 1)
		return 0;
	if (response ? (h.an != 1 || h.qd) : (h.qd != 1 || h.an))
		return 0;
	struct nb_name q = {{0}, 0};
	if (h.qd) {
		if (nb_name_read(&msg, &c, &q) != 0)
			return 0;
		uint16_t type = cur_be16(&c), cls = cur_be16(&c);
		if (c.truncated || (type != T_NB && type != T_NBSTAT) || cls != 1)
			return 0;
	}
	struct ident_facts tmp;
	memset(&tmp, 0, sizeof(tmp));
	unsigned nrr = (unsigned)h.an + h.ns + h.ar;
	for (unsigned i = 0; i < nrr; i++) {
		struct nb_name rn;
		if (nb_name_read(&msg, &c, &rn) != 0)
			return 0;
		uint16_t type = cur_be16(&c), cls = cur_be16(&c);
		cur_be32(&c); /* TTL */
		uint16_t rdlen = cur_be16(&c);
		struct cur d = cur_sub(&c, rdlen);
		if (c.truncated || d.truncated || cls != 1)
			return 0;
		if (type == T_NBSTAT && response && op == OP_QUERY && !DNS_RCODE(h.flags)) {
			node_status(d, &tmp);
			continue;
		}
		if (type != T_NB || DNS_RCODE(h.flags))
			continue;
		int own = (!response &&
		           (op == OP_REGISTER || op == OP_REFRESH || op == OP_REFRESH_ALT)) ||
		          (response && op == OP_QUERY);
		if (!own)
			continue;
		/* NB_FLAGS + NB_ADDRESS entries (RFC 1002 4.2.2, 4.2.13) */
		while (cur_left(&d) >= 6) {
			uint16_t nbf = cur_be16(&d);
			if (addr_is_sender(in, &d) && !(nbf & NB_GROUP)) {
				claim(&tmp, rn.name, rn.suffix);
				break;
			}
		}
	}
	if (cur_left(&c))
		return 0;
	if (!tmp.hostname[0] && q.name[0] && !response)
		snprintf(tmp.app_detail, sizeof(tmp.app_detail), "nbns %s <%02x>",
		         op == OP_QUERY ? "query" : "name", (unsigned)q.suffix);
	*f = tmp;
	return 1;
}
