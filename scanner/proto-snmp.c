/*
 * scanner/proto-snmp.c - SNMP v1 (RFC 1157), v2c (RFC 1901, RFC 3416) and
 * v3 (RFC 3412 6) messages in BER (X.690).
 *
 * Proof: SEQUENCE { INTEGER version 0|1|3, ... } whose outer length is the
 * datagram; v1/v2c continue with an OCTET STRING community and a PDU
 * tagged [0]-[8] whose length is the rest of the message and which opens
 * with INTEGER request-id (or, for a v1 Trap, the enterprise OID); v3
 * continues with msgGlobalData SEQUENCE { msgID, msgMaxSize, msgFlags,
 * msgSecurityModel }. Only definite lengths up to 4 bytes are accepted.
 * Facts: a GetResponse (or Report/Trap varbind) carrying sysDescr.0 says
 * what the agent is (OS, model, firmware, class from well-known patterns,
 * otherwise the text itself as the model); sysName.0 goes to app_detail.
 * A v1/v2c community travels in clear: noted on its sender, shown only
 * when it is a well-known default, else as its first 2 characters and
 * length.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

#define BER_INT          0x02
#define BER_OCTETS       0x04
#define BER_OID          0x06
#define BER_SEQ          0x30
#define PDU_GET_RESPONSE 0xa2
#define PDU_TRAP_V1      0xa4

/* Reads one TLV header; *val is a child cursor over the value. */
static int ber_tlv(struct cur *c, uint8_t *tag, struct cur *val)
{
	*tag = cur_u8(c);
	uint8_t l = cur_u8(c);
	size_t len = l;
	if (c->truncated || (*tag & 0x1f) == 0x1f) /* multi-byte tags: not SNMP */
		return 0;
	if (l & 0x80) {
		unsigned n = l & 0x7f;
		if (n == 0 || n > 4) /* indefinite (0x80) is forbidden in SNMP */
			return 0;
		len = 0;
		for (unsigned i = 0; i < n; i++)
			len = (len << 8) | cur_u8(c);
		if (c->truncated)
			return 0;
	}
	*val = cur_sub(c, len);
	return !val->truncated;
}

static int ber_int(struct cur *c, long *v)
{
	uint8_t tag;
	struct cur x;
	if (!ber_tlv(c, &tag, &x) || tag != BER_INT || !cur_left(&x) || cur_left(&x) > 8)
		return 0;
	long r = (cur_peek(&x, 0) & 0x80) ? -1 : 0;
	while (cur_left(&x))
		r = (long)(((unsigned long)r << 8) | cur_u8(&x));
	*v = r;
	return 1;
}

/* The v1/v2c community: defaults in full, anything else redacted. */
static void community_note(const struct cur *comm, struct ident_facts *f)
{
	static const char *const defaults[] = {"public", "private", "community", "cisco",
	                                       "admin",  "manager", "snmp",      "default"};
	size_t n = cur_left(comm);
	char shown[16];
	ident_copy_str(shown, sizeof(shown), comm->pos, n < 15 ? n : 15);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
		if (n == strlen(defaults[i]) && strcmp(shown, defaults[i]) == 0) {
			snprintf(f->note, sizeof(f->note), "snmp community '%s' sent in clear",
			         shown);
			return;
		}
	}
	char head[3];
	ident_copy_str(head, sizeof(head), comm->pos, n < 2 ? n : 2);
	snprintf(f->note, sizeof(f->note), "snmp community '%s...' (%zu chars) sent in clear", head,
	         n);
}

/* Well-known sysDescr forms. */
static void sysdescr(const struct cur *v, struct ident_facts *f)
{
	char text[64];
	txt_copy(text, sizeof(text), v);
	const char *why = "SNMP sysDescr";
	if (txt_find(v, "Cisco IOS") >= 0 || txt_find(v, "Cisco Internetwork") >= 0) {
		snprintf(f->vendor, sizeof(f->vendor), "Cisco");
		txt_os(f,
		       txt_find(v, "IOS-XE") >= 0 || txt_find(v, "IOS XE") >= 0 ? "Cisco IOS XE"
		                                                                : "Cisco IOS",
		       90, why);
		long ver = txt_find(v, "Version ");
		if (ver >= 0) {
			struct cur x = *v;
			cur_skip(&x, (size_t)ver + 8);
			size_t k = 0;
			int ch;
			while ((ch = cur_peek(&x, k)) > ' ' && ch != ',' && ch < 0x7f)
				k++;
			ident_copy_str(f->firmware, sizeof(f->firmware), x.pos, k);
		}
		if (txt_find(v, "C2960") >= 0 || txt_find(v, "C3750") >= 0 ||
		    txt_find(v, "C3850") >= 0 || txt_find(v, "Catalyst") >= 0 ||
		    txt_find(v, "CAT9K") >= 0 || txt_find(v, "C9300") >= 0)
			txt_cls(f, CLS_SWITCH, 60, why);
		else
			txt_cls(f, CLS_ROUTER, 40, why);
	} else if (txt_find(v, "Cisco NX-OS") >= 0) {
		snprintf(f->vendor, sizeof(f->vendor), "Cisco");
		txt_os(f, "Cisco NX-OS", 90, why);
		txt_cls(f, CLS_SWITCH, 60, why);
	} else if (txt_find(v, "Cisco Adaptive Security Appliance") >= 0) {
		snprintf(f->vendor, sizeof(f->vendor), "Cisco");
		txt_os(f, "Cisco ASA", 90, why);
		txt_cls(f, CLS_ROUTER, 60, why);
	} else if (txt_find(v, "SIMATIC") >= 0 || txt_find(v, "SCALANCE") >= 0) {
		/* "Siemens, SIMATIC S7, CPU-1200, 6ES7 214-1AG40-0XB0, HW: 1, FW: V.4.2.3" */
		snprintf(f->vendor, sizeof(f->vendor), "Siemens");
		snprintf(f->model, sizeof(f->model), "%s", text);
		long fw = txt_find(v, "FW: ");
		if (fw >= 0) {
			struct cur x = *v;
			cur_skip(&x, (size_t)fw + 4);
			size_t k = 0;
			int ch;
			while ((ch = cur_peek(&x, k)) > ' ' && ch != ',' && ch < 0x7f)
				k++;
			ident_copy_str(f->firmware, sizeof(f->firmware), x.pos, k);
		}
		if (txt_find(v, "SCALANCE") >= 0)
			txt_cls(f, CLS_SWITCH, 60, why);
		else if (txt_find(v, "HMI") >= 0 || txt_find(v, "Panel") >= 0)
			txt_cls(f, CLS_HMI, 60, why);
		else if (txt_find(v, "S7") >= 0 || txt_find(v, "CPU") >= 0)
			txt_cls(f, CLS_PLC, 60, why);
		else
			txt_cls(f, CLS_ICS, 60, why);
	} else if (txt_find(v, "HP ETHERNET MULTI-ENVIRONMENT") >= 0 ||
	           txt_find(v, "JETDIRECT") >= 0) {
		snprintf(f->vendor, sizeof(f->vendor), "HP");
		snprintf(f->model, sizeof(f->model), "%s", text);
		txt_cls(f, CLS_PRINTER, 60, why);
	} else if (txt_starts(v, "Brother NC-", 0) || txt_starts(v, "KONICA MINOLTA", 0) ||
	           txt_starts(v, "Xerox", 0) || txt_starts(v, "Lexmark", 0) ||
	           txt_starts(v, "RICOH", 0)) {
		snprintf(f->model, sizeof(f->model), "%s", text);
		txt_cls(f, CLS_PRINTER, 50, why);
	} else if (txt_find(v, "Software: Windows") >= 0) {
		/* "Hardware: ... Software: Windows Version 6.1 (Build 7601 ...)" */
		static const struct {
			const char *ver;
			const char *os;
			const char *eol;
		} win[] = {
		    {"Version 5.0", "Windows 2000", "Windows 2000 (SNMP sysDescr)"},
		    {"Version 5.1", "Windows XP", "Windows XP (SNMP sysDescr)"},
		    {"Version 5.2", "Windows XP x64 / Server 2003", "Windows 2003 (SNMP sysDescr)"},
		    {"Version 6.0", "Windows Vista / Server 2008",
		     "Windows Vista/2008 (SNMP sysDescr)"},
		    {"Version 6.1", "Windows 7 / Server 2008 R2",
		     "Windows 7/2008 R2 (SNMP sysDescr)"},
		    {"Version 6.2", "Windows 8 / Server 2012", NULL},
		    {"Version 6.3", "Windows 8.1 / Server 2012 R2", NULL},
		    {"Version 10.0", "Windows 10/11 / Server 2016+", NULL},
		};
		txt_os(f, "Windows", 60, why);
		for (size_t i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
			if (txt_find(v, win[i].ver) < 0)
				continue;
			f->os_weight = 0;
			txt_os(f, win[i].os, 90, why);
			if (win[i].eol)
				snprintf(f->eol, sizeof(f->eol), "%s", win[i].eol);
			break;
		}
	} else if (txt_starts(v, "RouterOS", 0)) {
		snprintf(f->vendor, sizeof(f->vendor), "MikroTik");
		txt_os(f, "MikroTik RouterOS", 90, why);
		txt_cls(f, CLS_ROUTER, 60, why);
	} else if (txt_starts(v, "Linux ", 0)) {
		/* net-snmp's default: "Linux host 4.19.0-18-amd64 #1 SMP ..." */
		txt_os(f, "Linux", 60, why);
	} else if (text[0]) {
		snprintf(f->model, sizeof(f->model), "%s", text);
	}
}

/* Walks the varbind list for sysDescr.0 and sysName.0. */
static void varbinds(struct cur vbl, struct ident_facts *f)
{
	static const uint8_t sys_descr[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
	static const uint8_t sys_name[] = {0x2b, 6, 1, 2, 1, 1, 5, 0};
	for (int guard = 0; guard < 64 && cur_left(&vbl); guard++) {
		uint8_t tag;
		struct cur vb, oid, val;
		if (!ber_tlv(&vbl, &tag, &vb) || tag != BER_SEQ)
			return;
		if (!ber_tlv(&vb, &tag, &oid) || tag != BER_OID)
			return;
		if (!ber_tlv(&vb, &tag, &val))
			return;
		if (tag != BER_OCTETS || cur_left(&oid) != sizeof(sys_descr))
			continue;
		uint8_t o[sizeof(sys_descr)];
		cur_copy(&oid, o, sizeof(o));
		if (memcmp(o, sys_descr, sizeof(o)) == 0)
			sysdescr(&val, f);
		else if (memcmp(o, sys_name, sizeof(o)) == 0)
			ident_copy_str(f->app_detail, sizeof(f->app_detail), val.pos,
			               cur_left(&val));
	}
}

static int pdu_v1v2(struct cur *c, struct ident_facts *f)
{
	uint8_t tag;
	struct cur comm, pdu;
	if (!ber_tlv(c, &tag, &comm) || tag != BER_OCTETS || cur_left(&comm) > 255)
		return 0;
	if (!ber_tlv(c, &tag, &pdu) || tag < 0xa0 || tag > 0xa8 || cur_left(c))
		return 0;
	long id, es, ei;
	if (tag == PDU_TRAP_V1) {
		uint8_t t2;
		struct cur ent;
		if (!ber_tlv(&pdu, &t2, &ent) || t2 != BER_OID)
			return 0;
	} else if (!ber_int(&pdu, &id) || !ber_int(&pdu, &es) || !ber_int(&pdu, &ei) || es < 0 ||
	           ei < 0 || (tag != 0xa5 && es > 18)) {
		/* error-status is 0-18 (RFC 3416 3); GetBulk has non-repeaters there */
		return 0;
	} else {
		uint8_t t2;
		struct cur vbl;
		if (!ber_tlv(&pdu, &t2, &vbl) || t2 != BER_SEQ || cur_left(&pdu))
			return 0;
		if (tag == PDU_GET_RESPONSE || tag == 0xa7 || tag == 0xa8)
			varbinds(vbl, f);
	}
	community_note(&comm, f);
	return 1;
}

static int header_v3(struct cur *c)
{
	uint8_t tag;
	struct cur g, flags, sec, data;
	long id, max, model;
	if (!ber_tlv(c, &tag, &g) || tag != BER_SEQ)
		return 0;
	if (!ber_int(&g, &id) || !ber_int(&g, &max) || id < 0 || max < 484)
		return 0;
	if (!ber_tlv(&g, &tag, &flags) || tag != BER_OCTETS || cur_left(&flags) != 1)
		return 0;
	if (!ber_int(&g, &model) || model < 1 || cur_left(&g))
		return 0;
	if (!ber_tlv(c, &tag, &sec) || tag != BER_OCTETS)
		return 0;
	/* msgData: a plaintext ScopedPDU or an encrypted OCTET STRING */
	if (!ber_tlv(c, &tag, &data) || (tag != BER_SEQ && tag != BER_OCTETS) || cur_left(c))
		return 0;
	return 1;
}

int snmp_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t tag;
	struct cur msg;
	long ver;
	if (!ber_tlv(&c, &tag, &msg) || tag != BER_SEQ || cur_left(&c))
		return 0;
	if (!ber_int(&msg, &ver))
		return 0;
	if (ver == 0 || ver == 1)
		return pdu_v1v2(&msg, f);
	if (ver == 3) {
		if (!header_v3(&msg))
			return 0;
		snprintf(f->app_detail, sizeof(f->app_detail), "SNMPv3");
		return 1;
	}
	return 0;
}
