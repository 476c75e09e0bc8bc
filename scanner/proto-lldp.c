/*
 * scanner/proto-lldp.c - LLDP (IEEE 802.1AB, EtherType 0x88cc).
 *
 * A switch, phone, access point or PLC announces itself once every 30 s or
 * so: its name (TLV 5), what it runs (TLV 6), what it is (TLV 7, enabled
 * capabilities) and where it is managed (TLV 8). All of it is about the
 * sender. The TLV walk is bounded by the frame and by a TLV count; the End
 * TLV (type 0) stops it; a TLV longer than what is left ends the walk but
 * keeps what was read (hostile captures lldp*.pcap).
 *
 * Proof: the mandatory first three TLVs, in order (chassis id, port id,
 * TTL), each with a sane length.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-lldp.h"

#define LLDP_MAX_TLVS 128

/* Enabled capability bits (802.1AB 8.5.8). */
#define LLDP_CAP_BRIDGE  0x0004
#define LLDP_CAP_WLAN_AP 0x0008
#define LLDP_CAP_ROUTER  0x0010
#define LLDP_CAP_PHONE   0x0020
#define LLDP_CAP_STATION 0x0080

/* Copies the token after `key` (up to a comma, blank or the end) into dst. */
static int token_after(const char *s, const char *key, char *dst, size_t dstsz)
{
	const char *k = strcasestr(s, key);
	if (!k)
		return 0;
	k += strlen(key);
	while (*k == ' ')
		k++;
	size_t n = 0;
	while (k[n] && k[n] != ',' && k[n] != ' ' && n + 1 < dstsz)
		n++;
	if (!n)
		return 0;
	memcpy(dst, k, n);
	dst[n] = '\0';
	return 1;
}

/* What a system description (LLDP TLV 6, also SNMP sysDescr) says. One
 * table, first match wins: more specific needles first. */
static const struct sysdescr_pat {
	const char *needle;
	const char *vendor; /* NULL: keep */
	const char *os;     /* NULL: none; "*" the description's first line */
	enum ident_class cls;
	const char *fw_key; /* where the firmware version follows, NULL: none */
} sysdescr_pats[] = {
    {"Cisco IOS XE", "Cisco", "Cisco IOS XE", CLS_UNKNOWN, "Version "},
    {"Cisco IOS", "Cisco", "Cisco IOS", CLS_UNKNOWN, "Version "},
    {"Cisco Internetwork Operating System", "Cisco", "Cisco IOS", CLS_UNKNOWN, "Version "},
    {"NX-OS", "Cisco", "Cisco NX-OS", CLS_SWITCH, "Version "},
    {"Cisco Adaptive Security", "Cisco", "Cisco ASA", CLS_ROUTER, "Version "},
    {"JUNOS", "Juniper", "Junos", CLS_UNKNOWN, "JUNOS "},
    {"RouterOS", "MikroTik", "MikroTik RouterOS", CLS_ROUTER, "RouterOS "},
    {"SCALANCE", "Siemens", "Siemens SCALANCE", CLS_SWITCH, "FW: "},
    {"SIMATIC S7", "Siemens", "Siemens SIMATIC", CLS_PLC, "FW: "},
    {"SIMATIC HMI", "Siemens", "Siemens SIMATIC HMI", CLS_HMI, "FW: "},
    {"SIMATIC", "Siemens", "Siemens SIMATIC", CLS_ICS, "FW: "},
    {"Hirschmann", "Hirschmann", "Hirschmann", CLS_SWITCH, "SW: "},
    {"HiOS", "Hirschmann", "Hirschmann HiOS", CLS_SWITCH, "HiOS-"},
    {"Moxa", "Moxa", "Moxa", CLS_UNKNOWN, "V"},
    {"EDS-", "Moxa", "Moxa", CLS_SWITCH, "V"},
    {"Phoenix Contact", "Phoenix Contact", "Phoenix Contact", CLS_UNKNOWN, NULL},
    {"Allen-Bradley", "Rockwell Automation", "Rockwell", CLS_UNKNOWN, NULL},
    {"Stratix", "Rockwell Automation", "Rockwell Stratix", CLS_SWITCH, "Version "},
    {"ProCurve", "HP", "HP ProCurve", CLS_SWITCH, "revision "},
    {"Aruba", "Aruba", "ArubaOS", CLS_UNKNOWN, "Version "},
    {"Windows", NULL, "*", CLS_UNKNOWN, NULL},
    {"Linux", NULL, "*", CLS_UNKNOWN, NULL},
    {"FreeBSD", NULL, "*", CLS_UNKNOWN, NULL},
};

void lldp_sysdescr_facts(const char *d, const char *src, struct ident_facts *f)
{
	for (size_t i = 0; i < sizeof(sysdescr_pats) / sizeof(sysdescr_pats[0]); i++) {
		const struct sysdescr_pat *p = &sysdescr_pats[i];
		if (!strcasestr(d, p->needle))
			continue;
		if (p->vendor && !f->vendor[0])
			snprintf(f->vendor, sizeof(f->vendor), "%s", p->vendor);
		if (p->os) {
			snprintf(f->os, sizeof(f->os), "%s", strcmp(p->os, "*") ? p->os : d);
			f->os_weight = 50;
			snprintf(f->os_why, sizeof(f->os_why), "%s '%.40s'", src, d);
		}
		if (p->fw_key && !f->firmware[0])
			token_after(d, p->fw_key, f->firmware, sizeof(f->firmware));
		if (p->cls != CLS_UNKNOWN && f->cls_weight < 50) {
			f->cls = p->cls;
			f->cls_weight = 50;
			snprintf(f->cls_why, sizeof(f->cls_why), "%s '%.40s'", src, d);
		}
		return;
	}
}

/* Decides the class from enabled capabilities. Several bits are usual:
 * an IP phone bridges its PC port, an access point bridges, a layer-3
 * switch both routes and bridges. The most specific wins:
 *   telephone > WLAN AP > router+bridge (a multilayer switch) > router >
 *   bridge > station only (weight 40: a host of some kind).
 * Returns 0 when no bit decides. */
int lldp_caps_class(unsigned en, const char *src, struct ident_facts *f)
{
	enum ident_class c = CLS_UNKNOWN;
	const char *what = NULL;
	int w = 90;
	if (en & LLDP_CAP_PHONE) {
		c = CLS_PHONE;
		what = "telephone";
	} else if (en & LLDP_CAP_WLAN_AP) {
		c = CLS_ACCESS_POINT;
		what = "WLAN access point";
	} else if ((en & LLDP_CAP_ROUTER) && (en & LLDP_CAP_BRIDGE)) {
		c = CLS_SWITCH;
		what = "router+bridge (multilayer switch)";
	} else if (en & LLDP_CAP_ROUTER) {
		c = CLS_ROUTER;
		what = "router";
	} else if (en & LLDP_CAP_BRIDGE) {
		c = CLS_SWITCH;
		what = "bridge";
	} else if (en & LLDP_CAP_STATION) {
		c = CLS_WORKSTATION;
		what = "station only";
		w = 40;
	}
	if (c == CLS_UNKNOWN)
		return 0;
	f->cls = c;
	f->cls_weight = w;
	snprintf(f->cls_why, sizeof(f->cls_why), "%s capabilities: %s", src, what);
	return 1;
}

/* Management address TLV: addr string length (subtype included), subtype,
 * address, then interface and OID fields we do not need. */
static void lldp_mgmt(struct cur *t, struct ident_facts *f)
{
	uint8_t slen = cur_u8(t);
	uint8_t sub = cur_u8(t);
	uint8_t a[16];
	if (t->truncated || slen < 1)
		return;
	size_t alen = (size_t)slen - 1;
	if (f->app_detail[0])
		return; /* the first address is the one to show */
	if (sub == 1 && alen == 4 && cur_copy(t, a, 4))
		snprintf(f->app_detail, sizeof(f->app_detail), "mgmt %u.%u.%u.%u", a[0], a[1], a[2],
		         a[3]);
	else if (sub == 2 && alen == 16 && cur_copy(t, a, 16)) {
		size_t o = (size_t)snprintf(f->app_detail, sizeof(f->app_detail), "mgmt ");
		for (int i = 0; i < 16 && o < sizeof(f->app_detail); i += 2)
			o += (size_t)snprintf(f->app_detail + o, sizeof(f->app_detail) - o, "%s%x",
			                      i ? ":" : "", (unsigned)((a[i] << 8) | a[i + 1]));
	} else if (sub == 6 && alen == 6 && cur_copy(t, a, 6))
		snprintf(f->app_detail, sizeof(f->app_detail), "mgmt %02x:%02x:%02x:%02x:%02x:%02x",
		         a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Organisation-specific TLV: only the IANA MUD URL (RFC 8520, OUI
 * 00-00-5E subtype 1) is used; the rest is skipped. */
static void lldp_org(struct cur *t, struct ident_facts *f)
{
	uint8_t oui[3];
	cur_copy(t, oui, 3);
	uint8_t sub = cur_u8(t);
	if (t->truncated)
		return;
	if (oui[0] == 0x00 && oui[1] == 0x00 && oui[2] == 0x5e && sub == 1 && cur_left(t)) {
		char url[100];
		ident_copy_str(url, sizeof(url), t->pos, cur_left(t));
		if (url[0])
			snprintf(f->note, sizeof(f->note), "MUD URL %s", url);
	}
}

void lldp_text(char *dst, size_t dstsz, const uint8_t *src, size_t n)
{
	if (!dstsz)
		return;
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < dstsz; i++) {
		uint8_t ch = src[i];
		if (ch == 0)
			break;
		if (ch == '\r' || ch == '\n' || ch == '\t')
			ch = ' ';
		if (ch == ' ' && (o == 0 || dst[o - 1] == ' '))
			continue; /* no leading or doubled blanks */
		dst[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

int lldp_parse(const uint8_t *data, size_t len, struct ident_facts *f)
{
	struct cur c = cur_make(data, len);
	unsigned enabled = 0;
	int have_caps = 0;
	char descr[160] = "";
	int n = 0;
	for (; n < LLDP_MAX_TLVS && cur_left(&c) >= 2; n++) {
		uint16_t h = cur_be16(&c);
		unsigned type = h >> 9, tlen = h & 0x1ff;
		/* Mandatory TLVs first: chassis id (2..256), port id (2..256),
		 * TTL (2). Anything else is not LLDP. */
		if (n == 0 && (type != 1 || tlen < 2))
			return 0;
		if (n == 1 && (type != 2 || tlen < 2))
			return 0;
		if (n == 2 && (type != 3 || tlen < 2))
			return 0;
		if (type == 0)
			break; /* End of LLDPDU */
		struct cur t = cur_sub(&c, tlen);
		if (t.truncated) {
			if (n < 3)
				return 0;
			break; /* cut short: keep what was read */
		}
		switch (type) {
		case 5: /* system name */
			ident_copy_str(f->hostname, sizeof(f->hostname), t.pos, cur_left(&t));
			if (f->hostname[0])
				f->name_src = NAME_LLDP;
			break;
		case 6: /* system description, lines joined */
			lldp_text(descr, sizeof(descr), t.pos, cur_left(&t));
			break;
		case 7: /* system capabilities, enabled capabilities */
			if (tlen == 4) {
				cur_be16(&t);
				enabled = cur_be16(&t);
				have_caps = 1;
			}
			break;
		case 8:
			lldp_mgmt(&t, f);
			break;
		case 127:
			lldp_org(&t, f);
			break;
		default:
			break;
		}
	}
	if (n < 3)
		return 0; /* the mandatory TLVs are missing */
	if (descr[0])
		lldp_sysdescr_facts(descr, "LLDP system description", f);
	/* The device's own statement of what it is beats its description,
	 * except that a PLC or HMI with an integrated switch port announces
	 * "bridge": there its description (SIMATIC S7 ...) says more. */
	int ics = f->cls == CLS_PLC || f->cls == CLS_HMI || f->cls == CLS_ICS;
	unsigned specific = LLDP_CAP_PHONE | LLDP_CAP_WLAN_AP | LLDP_CAP_ROUTER;
	if (have_caps && (!ics || (enabled & specific)))
		lldp_caps_class(enabled, "LLDP", f);
	return 1;
}

int lldp_identify(const struct ident_in *in, struct ident_facts *f)
{
	if (!in->p || in->p->ethertype != 0x88cc || in->p->llc)
		return 0;
	return lldp_parse(in->data, in->len, f);
}
