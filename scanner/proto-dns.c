/*
 * scanner/proto-dns.c - DNS (RFC 1035 4.1; TCP framing RFC 1035 4.2.2 and
 * RFC 7766).
 *
 * Proof: a sane header (opcode query/iquery/status/notify/update, the Z
 * bit clear, a defined RCODE, exactly one question; a query carries no
 * answers or authority records) and a well-formed question name (labels
 * <= 63, name <= 255, printable, no compression pointer in the question),
 * then every resource record parses: names with pointers that only point
 * backwards, RDATA within the message; a UDP message is consumed exactly.
 * Over TCP the 2-byte length prefix must cover at least a header; a
 * message longer than the segment is checked as far as it goes.
 * mDNS (5353), LLMNR (5355) and NBNS (137) use this format on their own
 * ports and have their own identifiers, so those ports are left to them.
 * No facts: a query name says what the sender looks for, not what it is.
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-dns.h"

#define DNS_MAX_RR 512

static int other_format_port(uint16_t port)
{
	return port == 5353 || port == 5355 || port == 137;
}

int dns_identify(const struct ident_in *in, struct ident_facts *f)
{
	(void)f;
	const struct pkt *p = in->p;
	if (p && (other_format_port(p->sport) || other_format_port(p->dport)))
		return 0;
	struct cur c = cur_make(in->data, in->len);
	int complete = 1;
	if (p && p->proto == 6) {
		uint16_t mlen = cur_be16(&c);
		if (c.truncated || mlen < 12)
			return 0;
		if (cur_left(&c) > mlen)
			c.end = c.pos + mlen;
		else if (cur_left(&c) < mlen)
			complete = 0; /* continues in the next segment */
	}
	const struct cur msg = c;
	struct dns_hdr h;
	if (!dns_hdr_read(&c, &h))
		return 0;
	unsigned op = DNS_OPCODE(h.flags);
	int response = (h.flags & DNS_QR) != 0;
	if ((op != 0 && op != 1 && op != 2 && op != 4 && op != 5) || (h.flags & 0x0040) ||
	    DNS_RCODE(h.flags) > 10 || h.qd != 1)
		return 0;
	if (!response && op == 0 && (h.an || h.ns || h.ar > 2 || DNS_RCODE(h.flags)))
		return 0;
	if ((unsigned)h.an + h.ns + h.ar > DNS_MAX_RR)
		return 0;
	struct dns_rr rr;
	if (dns_question(&msg, &c, 0, DNS_CH_HOST, &rr) != 0)
		return 0;
	if (rr.cls != 1 && rr.cls != 3 && rr.cls != 4 && rr.cls != 254 && rr.cls != 255)
		return 0;
	unsigned n = (unsigned)h.an + h.ns + h.ar;
	for (unsigned i = 0; i < n; i++)
		if (dns_rr_read(&msg, &c, DNS_CH_ANY, &rr) != 0)
			return !complete; /* a TCP message cut by the segment end */
	return !complete || cur_left(&c) == 0;
}
