/*
 * scanner/decode-arp.c - ARP over Ethernet for IPv4 (RFC 826).
 *
 * Only hardware type Ethernet with 6-byte MACs and 4-byte IPv4 addresses is
 * accepted; the length fields are checked against what follows rather than
 * trusted (see the VLAN-tagged 42-byte fixture).
 */
#include "scanner/decode-internal.h"

enum dec_status dec_arp(struct cur *c, struct pkt *p)
{
	uint16_t htype = cur_be16(c);
	uint16_t ptype = cur_be16(c);
	uint8_t hlen = cur_u8(c);
	uint8_t plen = cur_u8(c);
	uint16_t op = cur_be16(c);
	if (c->truncated)
		return DEC_TRUNCATED;
	if (htype != 1 || ptype != ETH_IPV4 || hlen != 6 || plen != 4)
		return DEC_UNSUPPORTED;
	uint8_t spa[4], tpa[4];
	cur_copy(c, p->arp.sha.b, 6);
	cur_copy(c, spa, 4);
	cur_copy(c, p->arp.tha.b, 6);
	cur_copy(c, tpa, 4);
	if (c->truncated)
		return DEC_TRUNCATED;
	p->arp.op = op;
	ss_ip_from_v4(&p->arp.spa, spa);
	ss_ip_from_v4(&p->arp.tpa, tpa);
	p->kind = PKT_ARP;
	return DEC_OK;
}
