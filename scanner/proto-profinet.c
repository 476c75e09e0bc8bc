/*
 * scanner/proto-profinet.c - PROFINET: DCP and RT on Ethernet, CM on UDP.
 *
 * Follows IEC 61158-6-10 (PROFINET IO application layer protocol):
 *  - RT frames on EtherType 0x8892 start with a 16-bit FrameID. DCP uses
 *    0xFEFC (Hello), 0xFEFD (Get/Set), 0xFEFE (Identify request) and 0xFEFF
 *    (Identify response): service id, service type, xid, response delay,
 *    data length, then blocks (option, suboption, length, value padded to
 *    an even length; response blocks start with a 2-byte BlockInfo).
 *  - Cyclic RT class 1 data uses FrameIDs 0x8000-0xBFFF and ends with the
 *    APDU status: cycle counter, data status, transfer status (0).
 *  - Connection management runs DCE/RPC (connectionless, version 4) on UDP
 *    34964 with the PNIO interface UUIDs DEA0000x-6C97-11D1-8271-00A02442DF7D.
 * Proof: the DCP header's service fits its FrameID and its blocks exactly
 * fill the data length; an RT frame has a cyclic FrameID and a zero
 * transfer status; a DCE/RPC request or response names a PNIO interface.
 * Facts (Identify response, Hello): NameOfStation (app_detail, and the
 * host name of lowest trust), type of station (model), vendor/device id,
 * device role (IO controller: PLC; IO device: industrial device).
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define PN_ETHERTYPE 0x8892

static void pn_block(uint8_t opt, uint8_t sub, struct cur *v, struct ident_facts *f)
{
	size_t n = cur_left(v);
	if (opt != 2)
		return;
	switch (sub) {
	case 1: /* type of station (manufacturer specific string) */
		ident_copy_str(f->model, sizeof(f->model), v->pos, n);
		break;
	case 2: { /* NameOfStation */
		char name[64];
		ident_copy_str(name, sizeof(name), v->pos, n);
		if (!name[0])
			break;
		snprintf(f->app_detail, sizeof(f->app_detail), "station %.55s", name);
		/* Station names rank below every name source of the issue's
		 * trust order; NAME_CDP is the lowest we have. */
		snprintf(f->hostname, sizeof(f->hostname), "%s", name);
		f->name_src = NAME_CDP;
		break;
	}
	case 3: { /* DeviceID: vendor id, device id */
		uint16_t vid = cur_be16(v), did = cur_be16(v);
		if (v->truncated)
			break;
		if (vid == 0x002a)
			snprintf(f->vendor, sizeof(f->vendor), "Siemens");
		else
			snprintf(f->vendor, sizeof(f->vendor), "PROFINET vendor 0x%04x",
			         (unsigned)vid);
		snprintf(f->note, sizeof(f->note), "PROFINET vendor 0x%04x device 0x%04x",
		         (unsigned)vid, (unsigned)did);
		break;
	}
	case 4: { /* DeviceRole: bit 0 IO device, bit 1 IO controller */
		uint8_t role = cur_u8(v);
		if (v->truncated)
			break;
		if (role & 0x02) {
			f->cls = CLS_PLC;
			f->cls_weight = 60;
			snprintf(f->cls_why, sizeof(f->cls_why), "PROFINET DCP: IO controller");
		} else if (role & 0x01) {
			f->cls = CLS_ICS;
			f->cls_weight = 60;
			snprintf(f->cls_why, sizeof(f->cls_why), "PROFINET DCP: IO device");
		}
		break;
	}
	default:
		break;
	}
}

static int pn_dcp(struct cur *c, uint16_t fid, struct ident_facts *f)
{
	uint8_t sid = cur_u8(c);
	uint8_t stype = cur_u8(c);
	cur_be32(c); /* xid */
	cur_be16(c); /* response delay or reserved */
	uint16_t dlen = cur_be16(c);
	if (c->truncated || dlen > cur_left(c)) /* frames are padded, so <= */
		return 0;
	int resp = stype == 1 || stype == 5;
	int ok;
	switch (fid) {
	case 0xfefc:
		ok = sid == 6 && stype == 0;
		break; /* Hello */
	case 0xfefd:
		ok = (sid == 3 || sid == 4) && stype <= 5;
		break; /* Get, Set */
	case 0xfefe:
		ok = sid == 5 && stype == 0;
		break; /* Identify req */
	case 0xfeff:
		ok = sid == 5 && resp;
		break; /* Identify resp */
	default:
		ok = 0;
		break;
	}
	if (!ok || (stype != 0 && !resp))
		return 0;
	/* Blocks must tile the data length exactly. Hello and responses
	 * carry BlockInfo, which is part of the block length. */
	int info = fid == 0xfefc || (fid == 0xfeff && resp);
	struct cur d = cur_sub(c, dlen);
	while (cur_left(&d)) {
		uint8_t opt = cur_u8(&d);
		uint8_t sub = cur_u8(&d);
		uint16_t blen = cur_be16(&d);
		struct cur v = cur_sub(&d, blen);
		if (d.truncated)
			return 0;
		/* padding to even; the last block may omit it */
		if ((blen & 1) && cur_left(&d) && cur_u8(&d) != 0)
			return 0;
		if (info && blen >= 2) {
			cur_be16(&v);
			pn_block(opt, sub, &v, f);
		}
	}
	return 1;
}

/* Cyclic data: C_SDU (at least 40 bytes) + cycle counter, data status,
 * transfer status. */
static int pn_rt(struct cur *c)
{
	size_t n = cur_left(c);
	if (n < 40 + 4)
		return 0;
	return cur_peek(c, n - 1) == 0;
}

static const uint8_t pnio_uuid_tail[8] = {0x82, 0x71, 0x00, 0xa0, 0x24, 0x42, 0xdf, 0x7d};

/* PNIO connection management: DCE/RPC v4 whose interface UUID (bytes
 * 24-39, in the sender's data representation) is a PNIO interface. */
static int pn_cm(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t ver = cur_u8(&c);
	uint8_t ptype = cur_u8(&c);
	cur_skip(&c, 2); /* flags */
	uint8_t drep = cur_u8(&c);
	cur_skip(&c, 3 + 16); /* drep, serial high, object uuid */
	uint8_t u[16];
	cur_copy(&c, u, 16);
	cur_skip(&c, 16 + 4 * 3 + 2 * 3); /* activity, boot time, version, seq, opnum, hints */
	uint16_t blen = (drep & 0x10) ? cur_le16(&c) : cur_be16(&c);
	if (c.truncated || ver != 4 || (ptype != 0 && ptype != 2))
		return 0;
	uint32_t d1;
	uint16_t d2, d3;
	if (drep & 0x10) {
		d1 = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
		     (uint32_t)u[3] << 24;
		d2 = (uint16_t)(u[4] | u[5] << 8);
		d3 = (uint16_t)(u[6] | u[7] << 8);
	} else {
		d1 = (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 |
		     (uint32_t)u[3];
		d2 = (uint16_t)(u[4] << 8 | u[5]);
		d3 = (uint16_t)(u[6] << 8 | u[7]);
	}
	if ((d1 & 0xfffffff0u) != 0xdea00000u || d1 == 0xdea00000u || d1 > 0xdea00004u ||
	    d2 != 0x6c97 || d3 != 0x11d1 || memcmp(u + 8, pnio_uuid_tail, 8) != 0)
		return 0;
	/* fragment number, auth protocol, serial low, then the body */
	if ((size_t)blen + 4 > cur_left(&c))
		return 0;
	/* A response on the PNIO device interface comes from an IO device. */
	if (ptype == 2 && d1 == 0xdea00001u) {
		f->cls = CLS_ICS;
		f->cls_weight = 50;
		snprintf(f->cls_why, sizeof(f->cls_why), "PROFINET IO device (CM)");
	}
	return 1;
}

int profinet_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->kind == PKT_IP)
		return p->proto == 17 && pn_cm(in, f);
	if (p && p->ethertype != PN_ETHERTYPE)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	uint16_t fid = cur_be16(&c);
	if (c.truncated)
		return 0;
	if (fid >= 0xfefc && fid <= 0xfeff)
		return pn_dcp(&c, fid, f);
	if (fid >= 0x8000 && fid <= 0xbfff)
		return pn_rt(&c);
	return 0;
}
