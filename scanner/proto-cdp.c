/*
 * scanner/proto-cdp.c - Cisco Discovery Protocol v1/v2 (802.3 LLC/SNAP,
 * OUI 00-00-0C, protocol id 0x2000, to 01:00:0c:cc:cc:cc).
 *
 * Facts about the sender: Device ID (0x0001) -> hostname (NAME_CDP),
 * Software version (0x0005) -> OS and firmware, Platform (0x0006) -> model,
 * Capabilities (0x0004) -> class at weight 90 (the device's own
 * statement), Addresses (0x0002) / Management addresses (0x0016) ->
 * app_detail. The TLV walk is bounded by the frame and a TLV count; a TLV
 * length below its own 4-byte header ends it (no zero-length loop).
 *
 * Proof: the LLC/SNAP header, CDP version 1 or 2, and a first TLV whose
 * length fits the frame.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-cdp.h"
#include "scanner/proto-lldp.h"

#define CDP_MAX_TLVS 64

/* Capability bits (CDP 0x0004). */
#define CDP_CAP_ROUTER    0x01
#define CDP_CAP_TB_BRIDGE 0x02
#define CDP_CAP_SR_BRIDGE 0x04
#define CDP_CAP_SWITCH    0x08
#define CDP_CAP_HOST      0x10
#define CDP_CAP_PHONE     0x80

/* The same rule as LLDP (proto-lldp.c): CDP bits mapped onto LLDP's. */
static void cdp_caps(uint32_t caps, struct ident_facts *f)
{
	unsigned en = 0;
	if (caps & CDP_CAP_ROUTER)
		en |= 0x0010;
	if (caps & (CDP_CAP_TB_BRIDGE | CDP_CAP_SR_BRIDGE | CDP_CAP_SWITCH))
		en |= 0x0004;
	if (caps & CDP_CAP_PHONE)
		en |= 0x0020;
	if (caps & CDP_CAP_HOST)
		en |= 0x0080;
	lldp_caps_class(en, "CDP", f);
}

/* Address list: count(4), then per address: protocol type(1), protocol
 * length(1), protocol, address length(2), address. The first usable IPv4
 * address is shown. */
static void cdp_addrs(struct cur *t, struct ident_facts *f)
{
	uint32_t count = cur_be32(t);
	for (uint32_t i = 0; i < count && i < 16 && !t->truncated; i++) {
		uint8_t ptype = cur_u8(t);
		uint8_t plen = cur_u8(t);
		int proto = cur_peek(t, 0);
		cur_skip(t, plen);
		uint16_t alen = cur_be16(t);
		struct cur a = cur_sub(t, alen);
		if (t->truncated)
			return;
		if (ptype == 1 && plen == 1 && proto == 0xcc && alen == 4 && !f->app_detail[0]) {
			uint8_t b[4];
			cur_copy(&a, b, 4);
			if (b[0] | b[1] | b[2] | b[3])
				snprintf(f->app_detail, sizeof(f->app_detail), "mgmt %u.%u.%u.%u",
				         b[0], b[1], b[2], b[3]);
		}
	}
}

int cdp_parse(const uint8_t *data, size_t len, struct ident_facts *f)
{
	static const uint8_t snap[8] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00};
	struct cur c = cur_make(data, len);
	uint8_t hdr[8];
	if (!cur_copy(&c, hdr, 8) || memcmp(hdr, snap, 8) != 0)
		return 0;
	uint8_t version = cur_u8(&c);
	cur_skip(&c, 3); /* TTL, checksum */
	if (c.truncated || (version != 1 && version != 2))
		return 0;
	char sw[160] = "";
	int n = 0;
	for (; n < CDP_MAX_TLVS && cur_left(&c) >= 4; n++) {
		uint16_t type = cur_be16(&c);
		uint16_t tlen = cur_be16(&c);
		if (tlen < 4)
			break; /* a length that does not cover its header: stop */
		struct cur t = cur_sub(&c, (size_t)tlen - 4);
		if (t.truncated)
			break;
		switch (type) {
		case 0x0001: /* Device ID */
			ident_copy_str(f->hostname, sizeof(f->hostname), t.pos, cur_left(&t));
			if (f->hostname[0])
				f->name_src = NAME_CDP;
			break;
		case 0x0002: /* Addresses */
		case 0x0016: /* Management addresses */
			cdp_addrs(&t, f);
			break;
		case 0x0004: /* Capabilities */
			if (tlen == 8)
				cdp_caps(cur_be32(&t), f);
			break;
		case 0x0005: /* Software version */
			lldp_text(sw, sizeof(sw), t.pos, cur_left(&t));
			break;
		case 0x0006: /* Platform */
			ident_copy_str(f->model, sizeof(f->model), t.pos, cur_left(&t));
			break;
		default:
			break;
		}
	}
	if (n == 0)
		return 0; /* a header alone proves little */
	if (sw[0]) {
		/* The software line names OS and version, but the class it may
		 * imply must not replace the device's stated capabilities. */
		struct ident_facts d;
		memset(&d, 0, sizeof(d));
		lldp_sysdescr_facts(sw, "CDP software", &d);
		if (d.os[0]) {
			snprintf(f->os, sizeof(f->os), "%s", d.os);
			f->os_weight = d.os_weight;
			snprintf(f->os_why, sizeof(f->os_why), "%s", d.os_why);
		}
		if (!f->vendor[0])
			snprintf(f->vendor, sizeof(f->vendor), "%s",
			         d.vendor[0] ? d.vendor : "Cisco");
		snprintf(f->firmware, sizeof(f->firmware), "%s", d.firmware);
		if (f->cls == CLS_UNKNOWN && d.cls != CLS_UNKNOWN) {
			f->cls = d.cls;
			f->cls_weight = d.cls_weight;
			snprintf(f->cls_why, sizeof(f->cls_why), "%s", d.cls_why);
		}
	}
	return 1;
}

int cdp_identify(const struct ident_in *in, struct ident_facts *f)
{
	if (in->p && !in->p->llc)
		return 0;
	return cdp_parse(in->data, in->len, f);
}
