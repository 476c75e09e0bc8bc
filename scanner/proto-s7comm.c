/*
 * scanner/proto-s7comm.c - Siemens S7comm and S7comm-plus over ISO-on-TCP.
 *
 * Follows RFC 1006 (TPKT), ISO 8073 / X.224 (COTP CR, CC, DT) and the
 * publicly documented S7comm layout (Wireshark's s7comm dissector, Snap7):
 * header 0x32 + ROSCTR, userdata "read SZL" with SZL 0x0011 (module
 * identification) and 0x001C (component identification); S7comm-plus is
 * recognised by its 0x72 header and trailer (Wireshark s7comm_plus plugin).
 * "s7comm" in the vocabulary covers S7comm and S7comm-plus.
 *
 * Proof, any of:
 *  - TPKT + COTP DT + S7comm header whose parameter and data lengths add up
 *    to the TPDU, or + S7comm-plus header whose data length adds up;
 *  - TPKT + COTP CR/CC with both TSAP parameters (0xC1, 0xC2) and a called
 *    TSAP of S7 form: two bytes with connection type 1-3 (PG, OP, S7 basic)
 *    in the first, or a "SIMATIC-" name (S7-1200/1500). tshark calls such a
 *    packet "cotp" only; we count it as S7 because ISO-on-TCP connection
 *    requests to other ISO applications (IEC 61850 MMS, ICCP) use other
 *    TSAPs, and these TSAP forms are Siemens-only.
 * TPKT/COTP carrying anything else (MMS's session layer) is not S7.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define COTP_CR 0xe0
#define COTP_CC 0xd0
#define COTP_DT 0xf0

/* A CR or CC: fixed part then parameters exactly filling the LI. */
static int s7_cotp_conn(struct cur *c, uint8_t li)
{
	struct cur h = cur_sub(c, (size_t)li - 1); /* LI counts the type byte */
	if (h.truncated)
		return 0;
	cur_skip(&h, 5); /* dst ref, src ref, class/options */
	if (h.truncated)
		return 0;
	int have_c1 = 0, s7_called = 0;
	while (cur_left(&h)) {
		uint8_t code = cur_u8(&h);
		uint8_t plen = cur_u8(&h);
		struct cur v = cur_sub(&h, plen);
		if (h.truncated)
			return 0;
		if (code == 0xc1)
			have_c1 = 1;
		if (code == 0xc2) {
			if (plen == 2) {
				uint8_t ctype = cur_u8(&v);
				s7_called = ctype >= 1 && ctype <= 3;
			} else if (plen >= 8 && memcmp(v.pos, "SIMATIC-", 8) == 0) {
				s7_called = 1;
			}
		}
	}
	return have_c1 && s7_called;
}

/* Formats an SZL 0x0011 firmware record (index 7): "V" major.minor.patch
 * in the Ausbg/Ausbe words. */
static void s7_fw(struct ident_facts *f, uint16_t ausbg, uint16_t ausbe)
{
	if ((ausbg >> 8) != 'V')
		return;
	snprintf(f->firmware, sizeof(f->firmware), "V%u.%u.%u", (unsigned)(ausbg & 0xff),
	         (unsigned)(ausbe >> 8), (unsigned)(ausbe & 0xff));
}

/* The data part of a userdata "read SZL" response. */
static void s7_szl(struct cur *d, struct ident_facts *f)
{
	uint8_t ret = cur_u8(d);
	cur_u8(d); /* transport size */
	uint16_t dlen = cur_be16(d);
	if (d->truncated || ret != 0xff)
		return;
	struct cur s = cur_sub(d, dlen);
	if (s.truncated) /* the last PDU of a long answer may be cut: use what is there */
		s = cur_make(d->pos, cur_left(d));
	uint16_t id = cur_be16(&s);
	cur_be16(&s); /* index */
	uint16_t rlen = cur_be16(&s);
	uint16_t n = cur_be16(&s);
	if (s.truncated)
		return;
	if ((id & 0xff) == 0x11 && rlen == 28) {
		for (unsigned i = 0; i < n; i++) {
			struct cur r = cur_sub(&s, rlen);
			if (r.truncated)
				break;
			uint16_t idx = cur_be16(&r);
			const uint8_t *mlfb = r.pos;
			cur_skip(&r, 20);
			cur_be16(&r); /* BGTyp */
			uint16_t ausbg = cur_be16(&r);
			uint16_t ausbe = cur_be16(&r);
			if (idx == 1 && !f->model[0])
				ident_copy_str(f->model, sizeof(f->model), mlfb, 20);
			else if (idx == 7)
				s7_fw(f, ausbg, ausbe);
		}
	} else if ((id & 0xff) == 0x1c && rlen == 34) {
		for (unsigned i = 0; i < n; i++) {
			struct cur r = cur_sub(&s, rlen);
			if (r.truncated)
				break;
			uint16_t idx = cur_be16(&r);
			char txt[33];
			ident_copy_str(txt, sizeof(txt), r.pos, 32);
			if (!txt[0])
				continue;
			if (idx == 2)
				snprintf(f->app_detail, sizeof(f->app_detail), "module name %s",
				         txt);
			else if (idx == 5)
				snprintf(f->serial, sizeof(f->serial), "%s", txt);
			else if (idx == 7)
				snprintf(f->note, sizeof(f->note), "S7 module type %s", txt);
		}
	}
}

static void s7_plc(struct ident_facts *f, int weight, const char *why)
{
	if (weight <= f->cls_weight)
		return;
	f->cls = CLS_PLC;
	f->cls_weight = weight;
	snprintf(f->cls_why, sizeof(f->cls_why), "%s", why);
}

/* S7comm (0x32) PDU filling the rest of the TPDU. */
static int s7_classic(struct cur *c, struct ident_facts *f)
{
	cur_u8(c); /* 0x32 */
	uint8_t rosctr = cur_u8(c);
	cur_be16(c); /* redundancy id */
	cur_be16(c); /* PDU reference */
	uint16_t plen = cur_be16(c);
	uint16_t dlen = cur_be16(c);
	if (rosctr == 2 || rosctr == 3)
		cur_be16(c); /* error class and code */
	if (c->truncated || !(rosctr == 1 || rosctr == 2 || rosctr == 3 || rosctr == 7))
		return 0;
	if ((size_t)plen + dlen != cur_left(c))
		return 0;
	struct cur par = cur_sub(c, plen);
	struct cur dat = cur_sub(c, dlen);
	if (rosctr == 3)
		s7_plc(f, 60, "answers S7comm jobs (ack_data)");
	if (rosctr == 7 && plen >= 8) {
		/* Userdata parameter: 00 01 12, length, method, type|group,
		 * subfunction, sequence. Type 8 is a response; group 4 is CPU
		 * functions, subfunction 1 is read SZL. */
		cur_skip(&par, 3);
		cur_u8(&par);
		cur_u8(&par); /* method */
		uint8_t tg = cur_u8(&par);
		uint8_t sub = cur_u8(&par);
		if (!par.truncated && (tg >> 4) == 8) {
			s7_plc(f, 60, "answers S7comm userdata requests");
			if ((tg & 0x0f) == 4 && sub == 1)
				s7_szl(&dat, f);
		}
	}
	return 1;
}

/* Looks inside an S7comm-plus answer for the CPU's "1;6ES7 ...;Vx.y"
 * string (an attribute of the CreateObject response): a length-prefixed
 * string whose text starts with a digit, ';' and a Siemens order number. */
static void s7p_order(const struct cur *c, struct ident_facts *f)
{
	struct cur s = *c;
	while (cur_left(&s) > 8) {
		int len = cur_peek(&s, 0);
		if (len >= 8 && len < 0x80 && (size_t)len < cur_left(&s) &&
		    cur_peek(&s, 2) == ';' && cur_peek(&s, 3) == '6' &&
		    (memcmp(s.pos + 4, "ES7", 3) == 0 || memcmp(s.pos + 4, "AG1", 3) == 0)) {
			char txt[64];
			ident_copy_str(txt, sizeof(txt), s.pos + 3, (size_t)len - 2);
			char *semi = strchr(txt, ';');
			if (semi) {
				*semi = '\0';
				snprintf(f->firmware, sizeof(f->firmware), "%s", semi + 1);
			}
			ident_copy_str(f->model, sizeof(f->model), (const uint8_t *)txt,
			               strlen(txt));
			return;
		}
		cur_skip(&s, 1);
	}
}

/* S7comm-plus (0x72): version, data length, data, and (in the last
 * fragment, EOT set) a trailer 0x72 version 00 00. */
static int s7_plus(struct cur *c, int eot, const struct ident_in *in, struct ident_facts *f)
{
	cur_u8(c); /* 0x72 */
	uint8_t ver = cur_u8(c);
	uint16_t dlen = cur_be16(c);
	if (c->truncated || !(ver == 1 || ver == 2 || ver == 3 || ver == 0xfe))
		return 0;
	if (dlen > cur_left(c))
		return 0;
	struct cur data = cur_sub(c, dlen);
	if (eot) {
		if (cur_left(c) != 4 || cur_u8(c) != 0x72 || cur_u8(c) != ver || cur_be16(c) != 0)
			return 0;
	}
	/* Opcode 0x32 is a response: the answering side is the PLC (or its
	 * communications processor). */
	if (dlen && data.pos[0] == 0x32 && in->from_server != 0) {
		s7_plc(f, 50, "answers S7comm-plus requests");
		s7p_order(&data, f);
	}
	return 1;
}

int s7comm_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t ver = cur_u8(&c);
	uint8_t rsv = cur_u8(&c);
	uint16_t tlen = cur_be16(&c);
	if (c.truncated || ver != 3 || rsv != 0 || tlen < 7 || tlen > in->len)
		return 0;
	/* Work inside the first TPKT only; a following one is another PDU. */
	struct cur t = cur_make(in->data + 4, (size_t)tlen - 4);
	uint8_t li = cur_u8(&t);
	uint8_t type = cur_u8(&t);
	if (t.truncated || li < 2 || (size_t)li + 1 > (size_t)tlen - 4)
		return 0;
	switch (type & 0xf0) {
	case COTP_CR:
	case COTP_CC:
		if ((type & 0x0f) != 0 || li < 6)
			return 0;
		if (!s7_cotp_conn(&t, li))
			return 0;
		if ((type & 0xf0) == COTP_CC && in->from_server != 0)
			s7_plc(f, 40, "accepts S7 ISO-on-TCP connections");
		return 1;
	case COTP_DT: {
		if (type != COTP_DT || li != 2)
			return 0;
		uint8_t nr = cur_u8(&t);
		int first = cur_peek(&t, 0);
		if (first == 0x32)
			return s7_classic(&t, f);
		if (first == 0x72)
			return s7_plus(&t, (nr & 0x80) != 0, in, f);
		return 0;
	}
	default:
		return 0;
	}
}
