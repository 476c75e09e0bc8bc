/*
 * scanner/decode-link.c - link layers: Ethernet II / 802.3, 802.1Q and QinQ
 * tags, Linux cooked v1 and v2, BSD loopback, raw IP. Entry point of the
 * decoder.
 */
#include <string.h>

#include "scanner/decode-internal.h"

int dec_linktype_supported(int dlt)
{
	switch (dlt) {
	case SS_DLT_NULL:
	case SS_DLT_EN10MB:
	case SS_DLT_SLIP:
	case SS_DLT_RAW:
	case SS_DLT_RAW14:
	case SS_DLT_LOOP:
	case SS_DLT_LINUX_SLL:
	case SS_DLT_LINUX_SLL2:
	case SS_DLT_LINKTYPE_RAW:
	case SS_DLT_IPV4:
	case SS_DLT_IPV6:
		return 1;
	default:
		return 0;
	}
}

/* Dispatches on an EtherType (after any VLAN tags). */
enum dec_status dec_ethertype(struct cur *c, uint16_t ethertype, struct pkt *p)
{
	p->ethertype = ethertype;
	switch (ethertype) {
	case ETH_ARP:
		return dec_arp(c, p);
	case ETH_IPV4:
		return dec_ipv4(c, p);
	case ETH_IPV6:
		return dec_ipv6(c, p);
	default:
		p->kind = PKT_L2;
		p->l2_payload = c->pos;
		p->l2_len = cur_left(c);
		return DEC_OK;
	}
}

static enum dec_status dec_ethernet(struct cur *c, struct pkt *p)
{
	cur_copy(c, p->dst_mac.b, 6);
	cur_copy(c, p->src_mac.b, 6);
	uint16_t type = cur_be16(c);
	if (c->truncated)
		return DEC_TRUNCATED;
	p->has_l2 = 1;
	/* Up to two tags kept (QinQ); deeper stacks are walked but only the
	 * innermost id, the one the hosts' own switch port uses, is kept. */
	int tags = 0;
	while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
		uint16_t tci = cur_be16(c);
		type = cur_be16(c);
		if (c->truncated)
			return DEC_TRUNCATED;
		if (++tags > 8)
			return DEC_MALFORMED;
		if (p->vlan >= 0)
			p->outer_vlan = p->outer_vlan >= 0 ? p->outer_vlan : p->vlan;
		p->vlan = tci & 0x0fff;
	}
	if (type <= 1500) {
		/* 802.3 length field: an LLC frame (CDP, STP, ...). The length
		 * bounds the payload, so padding is not payload here either. */
		if (!cur_limit(c, type)) {
			/* Frame cut by the capture: decode what there is. */
		}
		p->kind = PKT_L2;
		p->llc = 1;
		p->ethertype = 0;
		p->l2_payload = c->pos;
		p->l2_len = cur_left(c);
		return DEC_OK;
	}
	return dec_ethertype(c, type, p);
}

static enum dec_status dec_ip_by_version(struct cur *c, struct pkt *p)
{
	int v = cur_peek(c, 0);
	if (v < 0) {
		c->truncated = 1;
		return DEC_TRUNCATED;
	}
	if ((v >> 4) == 4)
		return dec_ipv4(c, p);
	if ((v >> 4) == 6)
		return dec_ipv6(c, p);
	return DEC_UNSUPPORTED;
}

static enum dec_status dec_sll(struct cur *c, struct pkt *p)
{
	/* packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2) */
	cur_be16(c);
	uint16_t hatype = cur_be16(c);
	uint16_t alen = cur_be16(c);
	uint8_t addr[8];
	cur_copy(c, addr, 8);
	uint16_t proto = cur_be16(c);
	if (c->truncated)
		return DEC_TRUNCATED;
	if (hatype == 1 && alen == 6) { /* Ethernet: the sender's MAC is known */
		memcpy(p->src_mac.b, addr, 6);
		p->has_l2 = 1;
	}
	return dec_ethertype(c, proto, p);
}

static enum dec_status dec_sll2(struct cur *c, struct pkt *p)
{
	/* protocol(2) reserved(2) ifindex(4) ARPHRD(2) pkttype(1) alen(1) addr(8) */
	uint16_t proto = cur_be16(c);
	cur_skip(c, 6);
	uint16_t hatype = cur_be16(c);
	cur_u8(c);
	uint8_t alen = cur_u8(c);
	uint8_t addr[8];
	cur_copy(c, addr, 8);
	if (c->truncated)
		return DEC_TRUNCATED;
	if (hatype == 1 && alen == 6) {
		memcpy(p->src_mac.b, addr, 6);
		p->has_l2 = 1;
	}
	return dec_ethertype(c, proto, p);
}

static enum dec_status dec_null(struct cur *c, struct pkt *p, int big_endian)
{
	/* The 4-byte family is in the capturing host's byte order (DLT_NULL)
	 * or network order (DLT_LOOP); AF_INET is 2 everywhere, AF_INET6
	 * varies (10, 24, 28, 30), so just look at the IP version nibble. */
	uint32_t fam = big_endian ? cur_be32(c) : cur_le32(c);
	(void)fam;
	if (c->truncated)
		return DEC_TRUNCATED;
	return dec_ip_by_version(c, p);
}

enum dec_status dec_packet(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                           struct pkt *out)
{
	memset(out, 0, sizeof(*out));
	out->vlan = -1;
	out->outer_vlan = -1;
	out->caplen = (uint32_t)caplen;
	out->wirelen = (uint32_t)(wirelen > caplen ? wirelen : caplen);
	struct cur c = cur_make(data, caplen);
	switch (dlt) {
	case SS_DLT_EN10MB:
		return dec_ethernet(&c, out);
	case SS_DLT_LINUX_SLL:
		return dec_sll(&c, out);
	case SS_DLT_LINUX_SLL2:
		return dec_sll2(&c, out);
	case SS_DLT_NULL:
		return dec_null(&c, out, 0);
	case SS_DLT_LOOP:
		return dec_null(&c, out, 1);
	case SS_DLT_SLIP:
		/* libpcap's SLIP pseudo-header: direction byte and the 15-byte
		 * compressed-header slot, then the datagram. */
		if (!cur_skip(&c, 16))
			return DEC_TRUNCATED;
		return dec_ip_by_version(&c, out);
	case SS_DLT_RAW:
	case SS_DLT_RAW14:
	case SS_DLT_LINKTYPE_RAW:
	case SS_DLT_IPV4:
	case SS_DLT_IPV6:
		return dec_ip_by_version(&c, out);
	default:
		return DEC_UNSUPPORTED;
	}
}
