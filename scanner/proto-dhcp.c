/*
 * scanner/proto-dhcp.c - DHCPv4 message parsing through the checked cursor.
 */
#include "scanner/proto-dhcp.h"

#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

/* Copies an option value as printable ASCII: hostile bytes never reach a
 * report or a terminal. */
static void opt_str(struct cur *o, char *dst, size_t dstsz)
{
	size_t n = 0;
	while (cur_left(o) && n + 1 < dstsz) {
		uint8_t ch = cur_u8(o);
		if (ch == 0)
			break;
		dst[n++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	dst[n] = '\0';
}

static void read_ip4(struct cur *c, ss_ip *ip)
{
	uint8_t b[4];
	cur_copy(c, b, 4);
	ss_ip_from_v4(ip, b);
}

int dhcp_parse(const uint8_t *payload, size_t len, struct dhcp_info *out)
{
	memset(out, 0, sizeof(*out));
	struct cur c = cur_make(payload, len);
	out->op = cur_u8(&c);
	uint8_t htype = cur_u8(&c);
	uint8_t hlen = cur_u8(&c);
	cur_skip(&c, 1 + 4 + 2 + 2); /* hops xid secs flags */
	read_ip4(&c, &out->ciaddr);
	read_ip4(&c, &out->yiaddr);
	read_ip4(&c, &out->siaddr);
	read_ip4(&c, &out->giaddr);
	uint8_t ch[16];
	cur_copy(&c, ch, 16);
	cur_skip(&c, 64 + 128); /* sname file */
	uint32_t magic = cur_be32(&c);
	if (c.truncated || magic != 0x63825363 || (out->op != 1 && out->op != 2))
		return -1;
	if (htype == 1 && hlen == 6)
		memcpy(out->chaddr.b, ch, 6);
	for (int guard = 0; guard < 255 && cur_left(&c); guard++) {
		uint8_t code = cur_u8(&c);
		if (code == 0)
			continue;
		if (code == 255)
			break;
		uint8_t olen = cur_u8(&c);
		struct cur o = cur_sub(&c, olen);
		if (o.truncated)
			break;
		switch (code) {
		case 53:
			if (olen >= 1)
				out->msg_type = cur_u8(&o);
			break;
		case 50:
			if (olen == 4) {
				read_ip4(&o, &out->requested);
				out->has_requested = 1;
			}
			break;
		case 54:
			if (olen == 4) {
				read_ip4(&o, &out->server_id);
				out->has_server_id = 1;
			}
			break;
		case 12:
			opt_str(&o, out->hostname, sizeof(out->hostname));
			break;
		case 60:
			opt_str(&o, out->vendor_class, sizeof(out->vendor_class));
			break;
		case 55: {
			size_t n = 0;
			while (cur_left(&o) && n + 5 < sizeof(out->prl)) {
				int w = snprintf(out->prl + n, sizeof(out->prl) - n, "%s%u",
				                 n ? "," : "", (unsigned)cur_u8(&o));
				if (w < 0)
					break;
				n += (size_t)w;
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* ---- identifier ---- */

/* What a client's vendor class (option 60) says about it. */
static void dhcp_vendor_class(const char *vc, struct ident_facts *f)
{
	static const struct {
		const char *prefix;
		const char *os;
		enum ident_class cls;
	} known[] = {
	    {"MSFT 5.0", "Windows", CLS_UNKNOWN},
	    {"MSFT 98", "Windows 98/ME", CLS_WORKSTATION},
	    {"MSFT", "Windows", CLS_UNKNOWN},
	    {"android-dhcp", "Android", CLS_PHONE},
	    {"dhcpcd", "Linux or BSD (dhcpcd)", CLS_UNKNOWN},
	    {"udhcp", "embedded Linux (udhcpc)", CLS_UNKNOWN},
	    {"Cisco", "Cisco", CLS_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (strncmp(vc, known[i].prefix, strlen(known[i].prefix)) != 0)
			continue;
		snprintf(f->os, sizeof(f->os), "%s", known[i].os);
		f->os_weight = 50;
		snprintf(f->os_why, sizeof(f->os_why), "DHCP vendor class '%.56s'", vc);
		if (known[i].cls != CLS_UNKNOWN) {
			f->cls = known[i].cls;
			f->cls_weight = 50;
			snprintf(f->cls_why, sizeof(f->cls_why), "DHCP vendor class '%.56s'", vc);
		}
		return;
	}
}

int dhcp_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct dhcp_info d;
	if (dhcp_parse(in->data, in->len, &d) != 0)
		return 0;
	if (d.op == 1) { /* facts about the client, the sender */
		if (d.hostname[0]) {
			snprintf(f->hostname, sizeof(f->hostname), "%s", d.hostname);
			f->name_src = NAME_DHCP;
		}
		if (d.vendor_class[0])
			dhcp_vendor_class(d.vendor_class, f);
		if (d.prl[0])
			snprintf(f->app_detail, sizeof(f->app_detail), "prl %.58s", d.prl);
		/* Option 55 fingerprints: the order in which a DHCP client asks
		 * for options is fixed by its OS's client. Only lists that the
		 * public databases agree on (fingerbank.org, the Satori
		 * dhcp.xml of Eric Kollmann, p0f/Infoblox examples); weight 40,
		 * below a vendor class (50) which the client states itself. */
		static const struct {
			const char *prl;
			const char *os;
			const char *eol;
			enum ident_class cls;
		} fp[] = {
		    /* Windows 8, 10 and 11 (one list since Windows 8) */
		    {"1,3,6,15,31,33,43,44,46,47,119,121,249,252", "Windows 8/10/11", NULL,
		     CLS_UNKNOWN},
		    /* Vista and 7; Satori also lists XP SP3 with it: all end of life */
		    {"1,15,3,6,44,46,47,31,33,121,249,43", "Windows XP SP3/Vista/7",
		     "Windows XP/Vista/7 (DHCP fingerprint)", CLS_UNKNOWN},
		    {"1,15,3,6,44,46,47,31,33,121,249,43,252", "Windows Vista/7",
		     "Windows Vista/7 (DHCP fingerprint)", CLS_UNKNOWN},
		    /* XP (no option 121: XP's client predates RFC 3442 support) */
		    {"1,15,3,6,44,46,47,31,33,249,43", "Windows XP",
		     "Windows XP (DHCP fingerprint)", CLS_UNKNOWN},
		    {"1,15,3,6,44,46,47,31,33,249,43,252", "Windows XP",
		     "Windows XP (DHCP fingerprint)", CLS_UNKNOWN},
		    {"1,15,3,6,44,46,47,31,33,249,43,252,12", "Windows XP",
		     "Windows XP (DHCP fingerprint)", CLS_UNKNOWN},
		    {"1,15,3,6,44,46,47,31,33,43", "Windows 2000",
		     "Windows 2000 (DHCP fingerprint)", CLS_UNKNOWN},
		    /* Apple: macOS asks for LDAP (95) and NetBIOS (44, 46), iOS not */
		    {"1,121,3,6,15,119,252,95,44,46", "macOS", NULL, CLS_UNKNOWN},
		    {"1,121,3,6,15,108,114,119,252,95,44,46", "macOS", NULL, CLS_UNKNOWN},
		    {"1,121,3,6,15,108,114,119,252", "iOS/iPadOS", NULL, CLS_PHONE},
		    {"1,121,3,6,15,119,252", "iOS/iPadOS or macOS", NULL, CLS_UNKNOWN},
		    /* Android's dhcpcd-derived client, 4.x to 14 */
		    {"1,3,6,15,26,28,51,58,59", "Android", NULL, CLS_UNKNOWN},
		    {"1,3,6,15,26,28,51,58,59,43", "Android", NULL, CLS_UNKNOWN},
		    {"1,3,6,15,26,28,51,58,59,43,114", "Android", NULL, CLS_UNKNOWN},
		    {"1,3,6,15,26,28,51,58,59,43,114,108", "Android", NULL, CLS_UNKNOWN},
		    /* ISC dhclient's default request list (Debian/Ubuntu dhclient.conf) */
		    {"1,28,2,3,15,6,119,12,44,47,26,121,42", "Linux (ISC dhclient)", NULL,
		     CLS_UNKNOWN},
		};
		for (size_t i = 0; d.prl[0] && i < sizeof(fp) / sizeof(fp[0]); i++) {
			if (strcmp(d.prl, fp[i].prl) != 0)
				continue;
			if (f->os_weight < 40) {
				snprintf(f->os, sizeof(f->os), "%s", fp[i].os);
				f->os_weight = 40;
				snprintf(f->os_why, sizeof(f->os_why),
				         "DHCP option 55 fingerprint");
			}
			if (fp[i].eol)
				snprintf(f->eol, sizeof(f->eol), "%s", fp[i].eol);
			if (fp[i].cls != CLS_UNKNOWN && f->cls_weight < 40) {
				f->cls = fp[i].cls;
				f->cls_weight = 40;
				snprintf(f->cls_why, sizeof(f->cls_why),
				         "DHCP option 55 fingerprint");
			}
			break;
		}
	}
	return 1;
}
