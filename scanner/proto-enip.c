/*
 * scanner/proto-enip.c - EtherNet/IP encapsulation (and CIP behind it).
 *
 * Follows The CIP Networks Library Vol. 2 (EtherNet/IP Adaptation of CIP),
 * chapter 2 (encapsulation: 24-byte little-endian header, commands,
 * Common Packet Format) and the ListIdentity reply's CIP Identity item
 * (0x000C). Implicit I/O on UDP 2222 is a CPF with a sequenced address item
 * (0x8002) and a connected data item (0x00B1).
 *
 * Proof: a known command, options 0, a known status, and a length equal to
 * what follows the header (a further encapsulation may follow in the same
 * segment and must be valid too); RegisterSession must carry protocol
 * version 1. Facts: the ListIdentity reply is the device's own statement
 * of vendor, device type, product name, revision and serial number.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define ENIP_HDR 24

static int enip_command_known(uint16_t cmd)
{
	switch (cmd) {
	case 0x0004: /* ListServices */
	case 0x0063: /* ListIdentity */
	case 0x0064: /* ListInterfaces */
	case 0x0065: /* RegisterSession */
	case 0x0066: /* UnRegisterSession */
	case 0x006f: /* SendRRData */
	case 0x0070: /* SendUnitData */
		return 1;
	default:
		return 0;
	}
}

static int enip_status_known(uint32_t st)
{
	/* Success, invalid/unsupported command, no resources, incorrect
	 * data, invalid session handle, invalid length, unsupported protocol
	 * revision. */
	return st == 0 || st == 1 || st == 2 || st == 3 || st == 0x64 || st == 0x65 || st == 0x69;
}

/* Well-known CIP vendor ids; only those we are certain of. */
static const char *enip_vendor(uint16_t id)
{
	switch (id) {
	case 1:
		return "Rockwell Automation/Allen-Bradley";
	default:
		return NULL;
	}
}

/* The CIP Identity item of a ListIdentity reply. */
static void enip_identity(struct cur *it, struct ident_facts *f)
{
	cur_le16(it);     /* encapsulation protocol version */
	cur_skip(it, 16); /* socket address (big-endian sockaddr_in) */
	uint16_t vendor = cur_le16(it);
	uint16_t dtype = cur_le16(it);
	uint16_t pcode = cur_le16(it);
	uint8_t rmaj = cur_u8(it);
	uint8_t rmin = cur_u8(it);
	cur_le16(it); /* status */
	uint32_t serial = cur_le32(it);
	uint8_t nlen = cur_u8(it);
	struct cur name = cur_sub(it, nlen);
	if (it->truncated)
		return;
	const char *vn = enip_vendor(vendor);
	if (vn)
		snprintf(f->vendor, sizeof(f->vendor), "%s", vn);
	else
		snprintf(f->vendor, sizeof(f->vendor), "CIP vendor id %u", (unsigned)vendor);
	ident_copy_str(f->model, sizeof(f->model), name.pos, nlen);
	snprintf(f->firmware, sizeof(f->firmware), "%u.%u", (unsigned)rmaj, (unsigned)rmin);
	snprintf(f->serial, sizeof(f->serial), "0x%08x", (unsigned)serial);
	snprintf(f->app_detail, sizeof(f->app_detail), "CIP device type 0x%02x, product code %u",
	         (unsigned)dtype, (unsigned)pcode);
	/* CIP device profiles: 0x0E programmable logic controller, 0x18
	 * human-machine interface; every other profile (adapters, drives,
	 * I/O, valves) is an industrial field device. */
	const char *what = "industrial device";
	f->cls = CLS_ICS;
	if (dtype == 0x0e) {
		f->cls = CLS_PLC;
		what = "PLC";
	} else if (dtype == 0x18) {
		f->cls = CLS_HMI;
		what = "HMI";
	} else if (dtype == 0x0c) {
		what = "communications adapter";
	}
	f->cls_weight = 90;
	snprintf(f->cls_why, sizeof(f->cls_why), "EtherNet/IP ListIdentity: %s (type 0x%02x)", what,
	         (unsigned)dtype);
}

/* Common Packet Format of a ListIdentity reply: items, each type+length. */
static void enip_list_identity(struct cur *d, struct ident_facts *f)
{
	uint16_t n = cur_le16(d);
	for (unsigned i = 0; i < n && !d->truncated; i++) {
		uint16_t type = cur_le16(d);
		uint16_t len = cur_le16(d);
		struct cur it = cur_sub(d, len);
		if (d->truncated)
			return;
		if (type == 0x000c)
			enip_identity(&it, f);
	}
}

/* One encapsulation at the cursor: 1 valid, 0 invalid, -1 incomplete. */
static int enip_encap(struct cur *c, const struct ident_in *in, struct ident_facts *f)
{
	if (cur_left(c) < ENIP_HDR)
		return -1;
	uint16_t cmd = cur_le16(c);
	uint16_t len = cur_le16(c);
	cur_le32(c); /* session handle */
	uint32_t status = cur_le32(c);
	cur_skip(c, 8); /* sender context: opaque */
	uint32_t options = cur_le32(c);
	if (!enip_command_known(cmd) || options != 0 || !enip_status_known(status))
		return 0;
	if (cur_left(c) < len)
		return -1;
	struct cur d = cur_sub(c, len);
	if (cmd == 0x0065) {
		uint16_t ver = cur_le16(&d);
		cur_le16(&d);
		if (len != 4 || ver != 1)
			return 0;
	}
	if ((cmd == 0x0063 || cmd == 0x0004 || cmd == 0x0064) && len == 0)
		return 1; /* a List* request */
	if (cmd == 0x0063 && status == 0)
		enip_list_identity(&d, f);
	else if (in->from_server == 1 && f->cls == CLS_UNKNOWN) {
		f->cls = CLS_ICS;
		f->cls_weight = 20;
		snprintf(f->cls_why, sizeof(f->cls_why), "EtherNet/IP server");
	}
	return 1;
}

/* Implicit (class 1) I/O on UDP 2222: exactly two CPF items, a sequenced
 * address item and connected data filling the datagram. */
static int enip_io(const struct ident_in *in)
{
	struct cur c = cur_make(in->data, in->len);
	uint16_t n = cur_le16(&c);
	uint16_t t1 = cur_le16(&c);
	uint16_t l1 = cur_le16(&c);
	cur_skip(&c, 8); /* connection id, sequence number */
	uint16_t t2 = cur_le16(&c);
	uint16_t l2 = cur_le16(&c);
	return !c.truncated && n == 2 && t1 == 0x8002 && l1 == 8 && t2 == 0x00b1 &&
	       l2 == cur_left(&c);
}

int enip_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->proto == 17 && (p->sport == 2222 || p->dport == 2222) && enip_io(in))
		return 1;
	struct cur c = cur_make(in->data, in->len);
	int n = 0;
	for (int guard = 0; guard < 32 && cur_left(&c); guard++) {
		int r = enip_encap(&c, in, f);
		if (r == 0)
			return 0;
		if (r < 0)
			break;
		n++;
	}
	/* The first encapsulation must be complete: on UDP always, and on
	 * TCP a reply longer than a segment starts with a valid header we
	 * cannot check against its length. */
	return n > 0;
}
