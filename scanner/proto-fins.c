/*
 * scanner/proto-fins.c - Omron FINS over UDP and FINS/TCP.
 *
 * Follows Omron "FINS Commands Reference Manual" (W227) and the CS/CJ
 * Ethernet unit manual (W421/W342): a 10-byte FINS header (ICF, RSV, GCT,
 * DNA, DA1, DA2, SNA, SA1, SA2, SID) then MRC/SRC; a response adds a
 * 2-byte end code. FINS/TCP wraps it in "FINS", length (BE, bytes after
 * it), command (0 node address client, 1 node address server, 2 frame
 * send, 3 frame send error), error code.
 *
 * Proof: ICF with its reserved bits clear, RSV 0, a gateway count of at
 * most 7, network addresses 0-127 and a command code (MRC, SRC) that the
 * reference manual defines; FINS/TCP needs the magic, a length matching
 * the segment and a defined command, and a valid FINS frame when it
 * carries one. Facts: a "controller data read" (0501) answer gives the CPU
 * model and version; the answering node is an Omron PLC.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

/* Highest defined SRC for each MRC (W227 command list); 0 = undefined. */
static int fins_cmd_ok(uint8_t mrc, uint8_t src)
{
	switch (mrc) {
	case 0x01:
		return src >= 1 && src <= 5; /* memory area */
	case 0x02:
		return src >= 1 && src <= 3; /* parameter area */
	case 0x03:
		return src >= 4 && src <= 8; /* program area */
	case 0x04:
		return src == 1 || src == 2; /* run, stop */
	case 0x05:
		return src == 1 || src == 2; /* controller/connection data */
	case 0x06:
		return src == 1 || src == 0x20; /* status, cycle time */
	case 0x07:
		return src == 1 || src == 2; /* clock */
	case 0x08:
		return src >= 1 && src <= 3; /* loopback, broadcast test */
	case 0x09:
		return src == 0x20; /* message */
	case 0x0c:
		return src >= 1 && src <= 3; /* access right */
	case 0x21:
		return (src >= 1 && src <= 3) || src == 0x40 || src == 0x41; /* error log */
	case 0x22:
		return src >= 1 && src <= 0x15; /* file memory */
	case 0x23:
		return src == 1 || src == 2; /* forced set/reset */
	case 0x26:
		return src >= 1 && src <= 3; /* name */
	case 0x28:
		return src >= 1 && src <= 3; /* CMND series */
	default:
		return 0;
	}
}

/* A FINS frame filling the cursor; 1 when valid. */
static int fins_frame(struct cur *c, struct ident_facts *f)
{
	uint8_t icf = cur_u8(c);
	uint8_t rsv = cur_u8(c);
	uint8_t gct = cur_u8(c);
	uint8_t dna = cur_u8(c);
	cur_skip(c, 2); /* DA1, DA2 */
	uint8_t sna = cur_u8(c);
	cur_skip(c, 3); /* SA1, SA2, SID */
	uint8_t mrc = cur_u8(c);
	uint8_t src = cur_u8(c);
	if (c->truncated || (icf & 0x3e) || rsv != 0 || gct > 7 || dna > 0x7f || sna > 0x7f ||
	    !fins_cmd_ok(mrc, src))
		return 0;
	if (!(icf & 0x40))
		return 1; /* a command */
	uint16_t end = cur_be16(c);
	if (c->truncated)
		return 0;
	f->cls = CLS_PLC;
	f->cls_weight = 40;
	snprintf(f->cls_why, sizeof(f->cls_why), "answers Omron FINS commands");
	/* Controller data read: CPU model (20 bytes), version (20 bytes). The
	 * low byte of the end code's second octet carries warning bits. */
	if (mrc == 0x05 && src == 0x01 && (end & 0x7f3f) == 0) {
		uint8_t model[20], ver[20];
		if (cur_copy(c, model, sizeof(model))) {
			ident_copy_str(f->model, sizeof(f->model), model, sizeof(model));
			if (cur_copy(c, ver, sizeof(ver)))
				ident_copy_str(f->firmware, sizeof(f->firmware), ver, sizeof(ver));
			if (f->model[0]) {
				snprintf(f->vendor, sizeof(f->vendor), "Omron");
				f->cls_weight = 60;
			}
		}
	}
	return 1;
}

static int fins_tcp(struct cur *c, struct ident_facts *f)
{
	uint8_t magic[4];
	cur_copy(c, magic, 4);
	uint32_t len = cur_be32(c);
	uint32_t cmd = cur_be32(c);
	uint32_t err = cur_be32(c);
	/* The length counts command, error code and body; a further message
	 * may follow in the same segment. */
	if (c->truncated || memcmp(magic, "FINS", 4) != 0 || len < 8 || len - 8 > cur_left(c))
		return 0;
	if (cmd > 3 || err > 0x21)
		return 0;
	struct cur body = cur_sub(c, len - 8);
	switch (cmd) {
	case 0:
		return len == 12; /* client node address */
	case 1:
		return len == 16; /* client and server node addresses */
	case 2:
		return fins_frame(&body, f);
	default:
		return 1;
	}
}

int fins_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	if (cur_peek(&c, 0) == 'F')
		return fins_tcp(&c, f);
	return fins_frame(&c, f);
}
