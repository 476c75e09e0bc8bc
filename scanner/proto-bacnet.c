/*
 * scanner/proto-bacnet.c - BACnet/IP identification.
 *
 * Follows ANSI/ASHRAE 135 Annex J (BVLL: type 0x81, functions 0x00-0x0B,
 * length = whole datagram), clause 6 (NPDU, version 1) and clauses 20/21
 * (APDU encoding; I-Am; ReadProperty-ACK).
 *
 * Proof: a BVLC header whose length is the UDP payload length and, for the
 * functions that carry one, an NPDU with version 1, no reserved control
 * bits and a well-formed address part, followed by a network message or an
 * APDU of a defined type. BVLL management messages must have the length
 * their function prescribes.
 * Facts: an I-Am names the device instance and vendor id; a ReadProperty
 * answer about a device object gives vendor name, model name and firmware.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define BACNET_OBJ_DEVICE 8

/* BACnet vendor ids we are certain of (ASHRAE vendor list). */
static const char *bacnet_vendor(unsigned id)
{
	switch (id) {
	case 5:
		return "Johnson Controls";
	case 8:
		return "Delta Controls";
	case 24:
		return "Automated Logic";
	default:
		return NULL;
	}
}

static void bacnet_ics(struct ident_facts *f, int weight, const char *why)
{
	if (weight <= f->cls_weight)
		return;
	f->cls = CLS_ICS;
	f->cls_weight = weight;
	snprintf(f->cls_why, sizeof(f->cls_why), "%s", why);
}

/* An application-tagged unsigned of 1-4 bytes (tag 2). */
static int bacnet_unsigned(struct cur *c, uint32_t *v)
{
	uint8_t t = cur_u8(c);
	unsigned n = t & 7;
	if ((t >> 4) != 2 || (t & 8) || n < 1 || n > 4)
		return 0;
	*v = 0;
	for (unsigned i = 0; i < n; i++)
		*v = (*v << 8) | cur_u8(c);
	return !c->truncated;
}

/* I-Am: object id (application tag 12), max APDU, segmentation, vendor. */
static void bacnet_iam(struct cur *c, struct ident_facts *f)
{
	if (cur_u8(c) != 0xc4)
		return;
	uint32_t oid = cur_be32(c);
	uint32_t maxapdu, vendor;
	if (c->truncated || (oid >> 22) != BACNET_OBJ_DEVICE || !bacnet_unsigned(c, &maxapdu))
		return;
	if (cur_u8(c) != 0x91) /* segmentation supported: enumerated, 1 byte */
		return;
	cur_u8(c);
	if (c->truncated || !bacnet_unsigned(c, &vendor))
		return;
	snprintf(f->app_detail, sizeof(f->app_detail), "bacnet device %u",
	         (unsigned)(oid & 0x3fffff));
	const char *vn = bacnet_vendor(vendor);
	if (vn)
		snprintf(f->vendor, sizeof(f->vendor), "%s", vn);
	else
		snprintf(f->vendor, sizeof(f->vendor), "BACnet vendor id %u", (unsigned)vendor);
	bacnet_ics(f, 60, "BACnet device (I-Am)");
}

/* A character string value (application tag 7): ANSI/UTF-8 or UCS-2. */
static void bacnet_string(struct cur *c, char *dst, size_t dstsz)
{
	uint8_t t = cur_u8(c);
	if ((t >> 4) != 7 || (t & 8))
		return;
	size_t n = t & 7;
	if (n == 5)
		n = cur_u8(c); /* extended length (strings < 254 bytes) */
	struct cur s = cur_sub(c, n);
	if (c->truncated || n < 1)
		return;
	uint8_t charset = cur_u8(&s);
	uint8_t buf[64];
	size_t o = 0;
	if (charset == 0) {
		while (cur_left(&s) && o < sizeof(buf))
			buf[o++] = cur_u8(&s);
	} else if (charset == 4) {
		/* UCS-2 big-endian: keep the ASCII ones, mark the rest. */
		while (cur_left(&s) >= 2 && o < sizeof(buf)) {
			uint8_t hi = cur_u8(&s), lo = cur_u8(&s);
			buf[o++] = hi ? '?' : lo;
		}
	} else {
		return;
	}
	ident_copy_str(dst, dstsz, buf, o);
}

/* ReadProperty-ACK: object id [0], property id [1], optional index [2],
 * value between opening and closing tag 3. */
static void bacnet_rp_ack(struct cur *c, struct ident_facts *f)
{
	if (cur_u8(c) != 0x0c)
		return;
	uint32_t oid = cur_be32(c);
	uint8_t pt = cur_u8(c);
	uint32_t prop = 0;
	if (pt == 0x19)
		prop = cur_u8(c);
	else if (pt == 0x1a)
		prop = cur_be16(c);
	else
		return;
	if (cur_peek(c, 0) == 0x29)
		cur_skip(c, 2);
	if (c->truncated || (oid >> 22) != BACNET_OBJ_DEVICE || cur_u8(c) != 0x3e)
		return;
	switch (prop) {
	case 121: /* vendor-name */
		bacnet_string(c, f->vendor, sizeof(f->vendor));
		break;
	case 70: /* model-name */
		bacnet_string(c, f->model, sizeof(f->model));
		break;
	case 44: /* firmware-revision */
		bacnet_string(c, f->firmware, sizeof(f->firmware));
		break;
	case 120: { /* vendor-identifier */
		uint32_t v;
		if (bacnet_unsigned(c, &v)) {
			const char *vn = bacnet_vendor(v);
			if (vn)
				snprintf(f->vendor, sizeof(f->vendor), "%s", vn);
			else
				snprintf(f->vendor, sizeof(f->vendor), "BACnet vendor id %u",
				         (unsigned)v);
		}
		break;
	}
	default:
		break;
	}
	bacnet_ics(f, 40, "answers BACnet device property reads");
}

/* NPDU and the APDU behind it; 1 when well-formed. */
static int bacnet_npdu(struct cur *c, struct ident_facts *f)
{
	uint8_t ver = cur_u8(c);
	uint8_t ctl = cur_u8(c);
	if (c->truncated || ver != 1 || (ctl & 0x50))
		return 0;
	if (ctl & 0x20) { /* DNET, DLEN, DADR */
		cur_be16(c);
		uint8_t dlen = cur_u8(c);
		cur_skip(c, dlen);
	}
	if (ctl & 0x08) { /* SNET, SLEN, SADR: a source is never a broadcast */
		cur_be16(c);
		uint8_t slen = cur_u8(c);
		if (slen == 0)
			return 0;
		cur_skip(c, slen);
	}
	if (ctl & 0x20)
		cur_u8(c); /* hop count */
	if (c->truncated)
		return 0;
	if (ctl & 0x80) { /* network layer message */
		uint8_t mt = cur_u8(c);
		if (mt >= 0x80)
			cur_be16(c); /* vendor id of a proprietary message */
		return !c->truncated && (mt <= 0x13 || mt >= 0x80);
	}
	uint8_t a = cur_u8(c);
	if (c->truncated || (a >> 4) > 7)
		return 0;
	switch (a >> 4) {
	case 1: /* unconfirmed request */
		if (cur_u8(c) == 0 && !c->truncated)
			bacnet_iam(c, f);
		break;
	case 3: /* complex ACK, unsegmented: invoke id, service */
		if (!(a & 0x08)) {
			cur_u8(c);
			if (cur_u8(c) == 12 && !c->truncated)
				bacnet_rp_ack(c, f);
		}
		break;
	default:
		break;
	}
	return 1;
}

int bacnet_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t type = cur_u8(&c);
	uint8_t fn = cur_u8(&c);
	uint16_t len = cur_be16(&c);
	if (c.truncated || type != 0x81 || fn > 0x0b || len != in->len)
		return 0;
	switch (fn) {
	case 0x00: { /* BVLC-Result: result code, a multiple of 0x10 up to 0x60 */
		uint16_t rc = cur_be16(&c);
		return len == 6 && !c.truncated && (rc & 0x0f) == 0 && rc <= 0x60;
	}
	case 0x01: /* Write-BDT, Read-BDT-Ack: 10-byte entries */
	case 0x03:
		return (len - 4) % 10 == 0;
	case 0x07: /* Read-FDT-Ack: 10-byte entries */
		return (len - 4) % 10 == 0;
	case 0x02: /* Read-BDT, Read-FDT */
	case 0x06:
		return len == 4;
	case 0x05: /* Register-Foreign-Device: TTL */
		return len == 6;
	case 0x08: /* Delete-FDT-Entry: B/IP address */
		return len == 10;
	case 0x04: /* Forwarded-NPDU: original source address first */
		if (!cur_skip(&c, 6))
			return 0;
		return bacnet_npdu(&c, f);
	default: /* 0x09, 0x0a, 0x0b: NPDU follows */
		return bacnet_npdu(&c, f);
	}
}
