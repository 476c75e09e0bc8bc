/*
 * scanner/proto-mndp.c - MikroTik Neighbor Discovery Protocol (udp/5678,
 * broadcast by RouterOS devices and WinBox-style tools every minute).
 *
 * Layout: a 2-byte header and a 2-byte sequence number, then TLVs of a
 * big-endian 16-bit type and 16-bit length: MAC address (1), identity (5),
 * version (7), platform (8), uptime (10, 4 bytes little-endian), software
 * ID (11), board (12), unpack (14, 1 byte), IPv6 address (15), interface
 * name (16), IPv4 address (17).
 *
 * Facts about the sender, the kinds LLDP and CDP give: identity ->
 * hostname (at CDP's trust, the lowest: a discovery protocol's name is
 * what the administrator typed, not what a resolver hands out), platform
 * -> vendor, board (else platform) -> model, version -> firmware, IPv4 ->
 * app_detail "mgmt A.B.C.D".
 *
 * Proof: at least one TLV, every TLV inside the payload and the walk
 * ending exactly at its end, no type 0 or above MNDP_MAX_TYPE, the fixed
 * lengths of MAC (6), uptime (4), unpack (1), IPv6 (16) and IPv4 (4), and
 * the MAC address TLV present (every announcement carries it). The 4-byte
 * discovery request alone (no TLVs) proves nothing. Facts are written only
 * once all of that holds (SS_PF_CLEAN in common/protocols.h).
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define MNDP_MAX_TLVS 32
#define MNDP_MAX_TYPE 32

#define MNDP_MAC       1
#define MNDP_IDENTITY  5
#define MNDP_VERSION   7
#define MNDP_PLATFORM  8
#define MNDP_UPTIME    10
#define MNDP_SOFTID    11
#define MNDP_BOARD     12
#define MNDP_UNPACK    14
#define MNDP_IPV6      15
#define MNDP_INTERFACE 16
#define MNDP_IPV4      17

/* The fixed length of a TLV type, 0 when any length goes. */
static size_t fixed_len(uint16_t type)
{
	switch (type) {
	case MNDP_MAC:
		return 6;
	case MNDP_UPTIME:
		return 4;
	case MNDP_UNPACK:
		return 1;
	case MNDP_IPV6:
		return 16;
	case MNDP_IPV4:
		return 4;
	default:
		return 0;
	}
}

/* The TLVs the facts come from, as cursors over their values. */
struct mndp_tlvs {
	int has_mac;
	struct cur identity, version, platform, board, ipv4;
};

/* Walks and checks every TLV; 1 when the payload is MNDP. */
static int mndp_walk(const uint8_t *data, size_t len, struct mndp_tlvs *t)
{
	struct cur c = cur_make(data, len);
	cur_skip(&c, 4); /* header, sequence number */
	if (c.truncated)
		return 0;
	memset(t, 0, sizeof(*t));
	int n = 0;
	while (cur_left(&c)) {
		if (++n > MNDP_MAX_TLVS)
			return 0;
		uint16_t type = cur_be16(&c);
		uint16_t tlen = cur_be16(&c);
		struct cur v = cur_sub(&c, tlen);
		if (c.truncated || v.truncated || type == 0 || type > MNDP_MAX_TYPE)
			return 0;
		size_t want = fixed_len(type);
		if (want && tlen != want)
			return 0;
		switch (type) {
		case MNDP_MAC:
			t->has_mac = 1;
			break;
		case MNDP_IDENTITY:
			t->identity = v;
			break;
		case MNDP_VERSION:
			t->version = v;
			break;
		case MNDP_PLATFORM:
			t->platform = v;
			break;
		case MNDP_BOARD:
			t->board = v;
			break;
		case MNDP_IPV4:
			t->ipv4 = v;
			break;
		default:
			break;
		}
	}
	return n > 0 && t->has_mac;
}

static void text(char *dst, size_t dstsz, const struct cur *v)
{
	if (v->pos)
		ident_copy_str(dst, dstsz, v->pos, cur_left(v));
}

int mndp_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct mndp_tlvs t;
	if (!mndp_walk(in->data, in->len, &t))
		return 0;
	text(f->hostname, sizeof(f->hostname), &t.identity);
	if (f->hostname[0])
		f->name_src = NAME_CDP;
	text(f->vendor, sizeof(f->vendor), &t.platform);
	text(f->model, sizeof(f->model), &t.board);
	if (!f->model[0])
		text(f->model, sizeof(f->model), &t.platform);
	text(f->firmware, sizeof(f->firmware), &t.version);
	if (t.ipv4.pos) {
		struct cur a = t.ipv4;
		uint8_t b[4];
		if (cur_copy(&a, b, 4) && (b[0] | b[1] | b[2] | b[3]))
			snprintf(f->app_detail, sizeof(f->app_detail), "mgmt %u.%u.%u.%u", b[0],
			         b[1], b[2], b[3]);
	}
	return 1;
}
