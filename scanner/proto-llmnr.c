/*
 * scanner/proto-llmnr.c - Link-Local Multicast Name Resolution (RFC 4795).
 *
 * Proof: UDP port 5355 on one side and the LLMNR header rules: opcode 0,
 * the four Z bits zero (RFC 4795 2.1.1), exactly one question, a query
 * with no answers or authority records; names, records and the datagram
 * length as for DNS. Facts: none about the sender's identity: a query
 * names the host looked for, and a responder may be poisoning (Responder,
 * Inveigh), so a name from LLMNR is not a trusted host name. A response
 * for the responder's own address puts the name in app_detail.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-dns.h"

#define LLMNR_PORT 5355
#define LLMNR_Z    0x00f0

int llmnr_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->sport != LLMNR_PORT && p->dport != LLMNR_PORT)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	const struct cur msg = c;
	struct dns_hdr h;
	if (!dns_hdr_read(&c, &h) || DNS_OPCODE(h.flags) != 0 || (h.flags & LLMNR_Z) ||
	    DNS_RCODE(h.flags) > 5 || h.qd != 1)
		return 0;
	int response = (h.flags & DNS_QR) != 0;
	if (!response && (h.an || h.ns || h.ar > 1))
		return 0;
	unsigned nrr = (unsigned)h.an + h.ns + h.ar;
	if (nrr > 64)
		return 0;
	struct dns_rr rr;
	if (dns_question(&msg, &c, 0, DNS_CH_ANY, &rr) != 0 || (rr.cls != 1 && rr.cls != 255))
		return 0;
	char answered[64] = "";
	for (unsigned i = 0; i < nrr; i++) {
		if (dns_rr_read(&msg, &c, DNS_CH_ANY, &rr) != 0)
			return 0;
		if (!response || answered[0] || i >= h.an)
			continue;
		struct cur d = rr.rdata;
		uint8_t b[16];
		ss_ip ip;
		if (rr.type == 1 && cur_left(&d) == 4) {
			cur_copy(&d, b, 4);
			ss_ip_from_v4(&ip, b);
		} else if (rr.type == 28 && cur_left(&d) == 16) {
			cur_copy(&d, b, 16);
			ss_ip_from_v6(&ip, b);
		} else {
			continue;
		}
		if (!p || ss_ip_eq(&ip, &p->src))
			ident_copy_str(answered, sizeof(answered), (const uint8_t *)rr.name,
			               strlen(rr.name));
	}
	if (cur_left(&c))
		return 0;
	if (answered[0])
		snprintf(f->app_detail, sizeof(f->app_detail), "llmnr name %.50s", answered);
	return 1;
}
