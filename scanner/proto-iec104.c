/*
 * scanner/proto-iec104.c - IEC 60870-5-104 (telecontrol over TCP).
 *
 * Follows IEC 60870-5-104:2006 clause 5 (APCI: start 0x68, APDU length
 * 4-253, four control octets in I, S or U format) and IEC 60870-5-101
 * clause 7 (ASDU type identification, which must be non-zero).
 *
 * Proof: every complete APDU in the segment (several may share one) is
 * well-formed: S-format has its fixed zero bits and no ASDU, U-format is
 * exactly one of STARTDT/STOPDT/TESTFR act or con with zero padding, and
 * an I-format APDU carries an ASDU (at least the 6-octet data unit
 * identifier) with a non-zero type. Facts: the controlled station (the
 * TCP server, port 2404) is an industrial device.
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

/* One APDU: 1 valid, 0 invalid, -1 incomplete. */
static int iec104_apdu(struct cur *c)
{
	if (cur_left(c) < 2)
		return -1;
	uint8_t start = cur_u8(c);
	uint8_t len = cur_u8(c);
	if (start != 0x68 || len < 4 || len > 253)
		return 0;
	if (cur_left(c) < len)
		return -1;
	struct cur a = cur_sub(c, len);
	uint8_t c1 = cur_u8(&a), c2 = cur_u8(&a), c3 = cur_u8(&a), c4 = cur_u8(&a);
	if ((c1 & 1) == 0) { /* I-format: send and receive sequence numbers */
		if ((c3 & 1) || len < 4 + 6)
			return 0;
		uint8_t type = cur_u8(&a);
		return type != 0 && !a.truncated;
	}
	if ((c1 & 3) == 1) /* S-format: receive sequence number only */
		return len == 4 && c1 == 0x01 && c2 == 0 && (c3 & 1) == 0;
	/* U-format: exactly one function bit */
	switch (c1) {
	case 0x07:
	case 0x0b: /* STARTDT act, con */
	case 0x13:
	case 0x23: /* STOPDT act, con */
	case 0x43:
	case 0x83: /* TESTFR act, con */
		return len == 4 && c2 == 0 && c3 == 0 && c4 == 0;
	default:
		return 0;
	}
}

int iec104_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	int n = 0;
	for (int guard = 0; guard < 64 && cur_left(&c); guard++) {
		int r = iec104_apdu(&c);
		if (r == 0)
			return 0;
		if (r < 0)
			break;
		n++;
	}
	if (n == 0)
		return 0;
	if (in->from_server == 1) {
		f->cls = CLS_ICS;
		f->cls_weight = 40;
		snprintf(f->cls_why, sizeof(f->cls_why), "IEC 60870-5-104 controlled station");
	}
	return 1;
}
