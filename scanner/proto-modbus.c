/*
 * scanner/proto-modbus.c - Modbus/TCP (MBAP) identification.
 *
 * Follows "MODBUS Messaging on TCP/IP Implementation Guide V1.0b" (MBAP
 * header) and "MODBUS Application Protocol Specification V1.1b3" (function
 * codes, exception codes, Read Device Identification FC 43 / MEI 14).
 *
 * Proof: every complete ADU in the segment has protocol id 0, a length that
 * fits what follows (unit id + PDU, 2..254 bytes) and a valid function code
 * (1-127, or an exception fc|0x80 carrying exception code 1-11 in a PDU of
 * exactly two bytes). The first ADU must be complete: an MBAP ADU is at most
 * 260 bytes, so a real one is practically never split across segments.
 * Facts: a Read Device Identification response names vendor, product code
 * and revision; whoever answers on the server side is an industrial device.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define MB_MAX_LEN 254 /* unit id + 253-byte PDU (ADU max 260) */

struct mb_devid {
	char vendor[64], product[64], revision[64], model[64], name[64];
	int found;
};

/* Parses the objects of a Read Device Identification response PDU (after
 * the function code). A request is only 3 bytes (MEI, code, object id). */
static void mb_devid_parse(struct cur *pdu, struct mb_devid *d)
{
	uint8_t mei = cur_u8(pdu);
	uint8_t code = cur_u8(pdu);
	cur_u8(pdu); /* conformity level */
	cur_u8(pdu); /* more follows */
	cur_u8(pdu); /* next object id */
	uint8_t n = cur_u8(pdu);
	if (pdu->truncated || mei != 0x0e || code < 1 || code > 4)
		return;
	for (unsigned i = 0; i < n; i++) {
		uint8_t id = cur_u8(pdu);
		uint8_t olen = cur_u8(pdu);
		struct cur v = cur_sub(pdu, olen);
		if (pdu->truncated || v.truncated)
			return;
		char *dst = NULL;
		switch (id) {
		case 0:
			dst = d->vendor;
			break;
		case 1:
			dst = d->product;
			break;
		case 2:
			dst = d->revision;
			break;
		case 4:
			dst = d->name;
			break;
		case 5:
			dst = d->model;
			break;
		default:
			break;
		}
		if (dst && olen) {
			ident_copy_str(dst, 64, v.pos, olen);
			d->found = 1;
		}
	}
}

/* Function codes whose request has no data (unit id + fc only). */
static int mb_fc_no_data(uint8_t fc)
{
	return fc == 7 || fc == 11 || fc == 12 || fc == 17;
}

/* Checks one ADU at the cursor; returns 1 valid, 0 invalid, -1 a valid
 * header whose body goes on into the next segment. */
static int mb_adu(struct cur *c, int from_server, struct mb_devid *d)
{
	if (cur_left(c) < 8)
		return 0; /* segments end on ADU boundaries; stray bytes disprove */
	cur_be16(c);      /* transaction id: any value */
	uint16_t pid = cur_be16(c);
	uint16_t len = cur_be16(c);
	if (pid != 0 || len < 2 || len > MB_MAX_LEN)
		return 0;
	if (cur_left(c) < len) {
		cur_u8(c); /* unit id */
		uint8_t fc0 = cur_u8(c);
		return fc0 != 0 && !(fc0 & 0x80) ? -1 : 0;
	}
	struct cur body = cur_sub(c, len);
	cur_u8(&body); /* unit id: any value (0xff or 0 for TCP-native devices) */
	uint8_t fc = cur_u8(&body);
	if (fc == 0)
		return 0;
	if (fc & 0x80) {
		/* An exception is exactly fc|0x80 plus one exception code. */
		uint8_t ex = cur_u8(&body);
		if (body.truncated || cur_left(&body) != 0 || ex < 1 || ex > 11)
			return 0;
		return 1;
	}
	/* Every PDU but the few data-less requests carries data. */
	if (len == 2 && !mb_fc_no_data(fc))
		return 0;
	/* FC 7 (read exception status) is a bare request or a one-byte
	 * answer; FC 127 is reserved. Both shapes occur at the start of other
	 * protocols' frames (MELSOFT headers read as MBAP + FC 7 or 127). */
	if ((fc == 7 && len > 3) || fc == 127)
		return 0;
	if (fc == 43 && (from_server == 1 || len > 5)) {
		/* A request PDU is 4 bytes (fc, MEI, code, object id); anything
		 * longer is a response. */
		mb_devid_parse(&body, d);
	}
	return 1;
}

int modbus_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	struct mb_devid d;
	memset(&d, 0, sizeof(d));
	int n = 0;
	/* Several ADUs may share a segment: all complete ones must be valid;
	 * a cut-off trailing ADU is the next segment's business. */
	for (int guard = 0; guard < 64 && cur_left(&c); guard++) {
		int r = mb_adu(&c, in->from_server, &d);
		if (r == 0)
			return 0;
		if (r < 0) {
			if (n == 0)
				return 0; /* the first ADU must be whole (at most 260 bytes) */
			break;
		}
		n++;
	}
	if (n == 0)
		return 0;
	if (d.found) {
		snprintf(f->vendor, sizeof(f->vendor), "%s", d.vendor);
		snprintf(f->model, sizeof(f->model), "%s",
		         d.product[0] ? d.product
		         : d.model[0] ? d.model
		                      : d.name);
		snprintf(f->firmware, sizeof(f->firmware), "%s", d.revision);
		/* The device describes itself; it does not say whether it is a
		 * PLC or a drive or a gateway, so "industrial device". */
		f->cls = CLS_ICS;
		f->cls_weight = 60;
		snprintf(f->cls_why, sizeof(f->cls_why), "Modbus device identification");
	} else if (in->from_server == 1) {
		f->cls = CLS_ICS;
		f->cls_weight = 20;
		snprintf(f->cls_why, sizeof(f->cls_why), "Modbus/TCP server");
	}
	return 1;
}
