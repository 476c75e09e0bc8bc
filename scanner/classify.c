/*
 * scanner/classify.c - device class, OS and end-of-life conclusions.
 *
 * Every piece of evidence makes a weighted claim; the heaviest claim
 * decides and its "why" is shown to the user. Precedence (weights):
 *
 *   90  the device's own statement (facts: LLDP/CDP capabilities,
 *       EtherNet/IP ListIdentity, ...)
 *   80  the inventory saw it forward other hosts' traffic (router)
 *   50  a banner or fingerprint (facts: system description, DHCP vendor
 *       class, HTTP Server, ...)
 *   40  protocol roles: serves an industrial protocol (plc / ics),
 *       only a client of industrial protocols (hmi, weight 25)
 *   30  the IEEE OUI vendor, one table below (vendor_rules[]), some rules
 *       conditional on what the host does
 *   20  served ports: printing, RTSP, RDP (15: SMB, SSH, HTTP(S) -> server)
 *   10  the initial TTL (TTL 128: most often a Windows workstation)
 *
 * Ties keep the first claim made, in the order above. The OS is the
 * facts' OS when an identifier gave one (with its weight), else a TTL
 * guess. End-of-life: an OS that is out of support (Windows 2000, XP,
 * 2003, Vista, 7, 2008), an old SSH implementation, then whatever hint an
 * identifier left (SMB1).
 */
#include "scanner/classify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W_PROTO_SERVER 40
#define W_PROTO_CLIENT 25
#define W_VENDOR       30
#define W_VENDOR_WEAK  15
#define W_SERVICE      20
#define W_SERVICE_WEAK 15
#define W_TTL          10

struct claim {
	int w;
	struct classify_out *o;
};

static void set_cls(struct claim *c, int weight, enum ident_class cls, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_cls(struct claim *c, int weight, enum ident_class cls, const char *fmt, ...)
{
	if (cls == CLS_UNKNOWN || weight <= c->w)
		return;
	c->w = weight;
	c->o->cls = cls;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->o->cls_why, sizeof(c->o->cls_why), fmt, ap);
	va_end(ap);
}

/* Case-insensitive (ASCII, segscan runs in the C locale) substring test;
 * NULL haystack never matches, an empty needle matches a non-empty
 * haystack. */
static int has_ci(const char *hay, const char *needle)
{
	if (!hay)
		return 0;
	if (!*needle)
		return *hay != '\0';
	return strcasestr(hay, needle) != NULL;
}

/* s with A-Z lowered into buf (the only folding has_ci does), or NULL when
 * s is NULL or does not fit. */
static const char *lower_copy(const char *s, char *buf, size_t sz)
{
	if (!s)
		return NULL;
	size_t i = 0;
	for (; s[i]; i++) {
		if (i + 1 >= sz)
			return NULL;
		char c = s[i];
		buf[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	buf[i] = '\0';
	return buf;
}

/* has_ci(hay, needle) given lhay, hay lowered once by lower_copy (NULL:
 * it did not fit). The vendor and name rules try ~50 needles per host;
 * folding the haystack once and letting strstr scan was most of the cost
 * of classifying a host. */
static int has_lc(const char *lhay, const char *hay, const char *needle)
{
	char nb[64];
	const char *ln = lower_copy(needle, nb, sizeof(nb));
	if (!hay || !lhay || !ln || !*ln)
		return has_ci(hay, needle); /* NULL, too long or empty: the slow path */
	return strstr(lhay, ln) != NULL;
}

/* Industrial protocols: served by controllers, read by HMIs and SCADA.
 * From the protocol list (common/protocols.h): family SS_FAM_ICS, and
 * SS_PF_PLC for those whose server is a controller. */
#define SS_X_ICS(ID, name, try, fam, flags, ...)                                                   \
	| ((fam) == SS_FAM_ICS && ((flags)&SS_PF_PLC) == WANT_PLC ? ID_BIT(ID_##ID) : 0)
#define WANT_PLC SS_PF_PLC
static const uint64_t ics_plc_protos = 0 SS_PROTOCOLS(SS_X_ICS);
#undef WANT_PLC
#define WANT_PLC 0
static const uint64_t ics_other_protos = 0 SS_PROTOCOLS(SS_X_ICS);
#undef WANT_PLC
#undef SS_X_ICS
#define ICS_PROTOS (ics_plc_protos | ics_other_protos)

/* The name of the lowest protocol bit set in mask (for "why"). */
static const char *first_proto(uint64_t mask)
{
	for (int i = 0; i < ID__COUNT; i++)
		if (mask & ID_BIT(i))
			return ident_name((enum ident_proto)i);
	return "?";
}

/* ---- the vendor table ---- */

enum vcond {
	VC_ALWAYS,    /* the vendor makes (almost) only this kind of device */
	VC_ICS_ROLE,  /* automation vendor: plc when serving an industrial
	               * protocol, hmi when only a client of one, else ics (weak) */
	VC_PHONE,     /* phone maker: phone with a randomised MAC or phone-like name */
	VC_DISCOVERY, /* network vendor: the class when it speaks LLDP or CDP */
};

static const struct vendor_rule {
	const char *needle; /* case-insensitive substring of the IEEE vendor */
	enum ident_class cls;
	enum vcond cond;
} vendor_rules[] = {
    /* automation: the role decides between plc and hmi */
    {"Siemens", CLS_PLC, VC_ICS_ROLE},
    {"Rockwell", CLS_PLC, VC_ICS_ROLE},
    {"Allen-Bradley", CLS_PLC, VC_ICS_ROLE},
    {"Mitsubishi Electric", CLS_PLC, VC_ICS_ROLE},
    {"Omron", CLS_PLC, VC_ICS_ROLE},
    {"Schneider", CLS_PLC, VC_ICS_ROLE},
    {"Phoenix Contact", CLS_PLC, VC_ICS_ROLE},
    {"Beckhoff", CLS_PLC, VC_ICS_ROLE},
    {"WAGO", CLS_PLC, VC_ICS_ROLE},
    {"Yokogawa", CLS_PLC, VC_ICS_ROLE},
    {"Keyence", CLS_PLC, VC_ICS_ROLE},
    /* HMI panel makers */
    {"Pro-face", CLS_HMI, VC_ALWAYS},
    {"Weintek", CLS_HMI, VC_ALWAYS},
    {"Beijer", CLS_HMI, VC_ALWAYS},
    /* cameras */
    {"Hikvision", CLS_CAMERA, VC_ALWAYS},
    {"Dahua", CLS_CAMERA, VC_ALWAYS},
    {"Axis Communications", CLS_CAMERA, VC_ALWAYS},
    /* storage */
    {"Synology", CLS_NAS, VC_ALWAYS},
    {"QNAP", CLS_NAS, VC_ALWAYS},
    /* printers */
    {"Brother", CLS_PRINTER, VC_ALWAYS},
    {"Canon", CLS_PRINTER, VC_ALWAYS},
    {"Ricoh", CLS_PRINTER, VC_ALWAYS},
    {"Kyocera", CLS_PRINTER, VC_ALWAYS},
    {"Xerox", CLS_PRINTER, VC_ALWAYS},
    {"Seiko Epson", CLS_PRINTER, VC_ALWAYS},
    {"Konica", CLS_PRINTER, VC_ALWAYS},
    /* wireless */
    {"Ubiquiti", CLS_ACCESS_POINT, VC_ALWAYS},
    {"Aruba", CLS_ACCESS_POINT, VC_ALWAYS},
    {"Ruckus", CLS_ACCESS_POINT, VC_ALWAYS},
    /* IoT modules and smart-home makers */
    {"Espressif", CLS_IOT, VC_ALWAYS},
    {"Tuya", CLS_IOT, VC_ALWAYS},
    {"Shelly", CLS_IOT, VC_ALWAYS},
    {"Allterco", CLS_IOT, VC_ALWAYS}, /* Shelly's maker */
    {"Sonoff", CLS_IOT, VC_ALWAYS},
    {"ITEAD", CLS_IOT, VC_ALWAYS}, /* Sonoff's maker */
    /* phones */
    {"Apple", CLS_PHONE, VC_PHONE},
    {"Samsung", CLS_PHONE, VC_PHONE},
    {"Xiaomi", CLS_PHONE, VC_PHONE},
    /* network gear announcing itself */
    {"Cisco", CLS_SWITCH, VC_DISCOVERY},
    {"Juniper", CLS_SWITCH, VC_DISCOVERY},
    {"Routerboard", CLS_ROUTER, VC_DISCOVERY}, /* MikroTik's IEEE name */
    {"MikroTik", CLS_ROUTER, VC_DISCOVERY},
};

/* Host names phones give themselves. */
static int phone_like_name(const char *h)
{
	static const char *const pats[] = {"iphone", "android", "galaxy", "redmi",
	                                   "pixel",  "-phone",  "xiaomi"};
	char buf[256];
	const char *lh = lower_copy(h, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		if (has_lc(lh, h, pats[i]))
			return 1;
	return 0;
}

static void by_vendor(const struct classify_in *in, struct claim *c)
{
	const char *v = in->oui_vendor;
	int phone_name = phone_like_name(in->hostname);
	if (in->mac_local && phone_name) {
		/* A randomised MAC has no IEEE vendor: the name is all there is. */
		set_cls(c, W_VENDOR, CLS_PHONE,
		        "randomised MAC and phone-like name '%.40s' (guess)", in->hostname);
		return;
	}
	if (!v)
		return;
	char vbuf[256];
	const char *lv = lower_copy(v, vbuf, sizeof(vbuf));
	for (size_t i = 0; i < sizeof(vendor_rules) / sizeof(vendor_rules[0]); i++) {
		const struct vendor_rule *r = &vendor_rules[i];
		if (!has_lc(lv, v, r->needle))
			continue;
		switch (r->cond) {
		case VC_ALWAYS:
			set_cls(c, W_VENDOR, r->cls, "vendor %.40s (guess)", v);
			break;
		case VC_ICS_ROLE: {
			uint64_t srv = in->served & ICS_PROTOS, spoken = in->protos & ICS_PROTOS;
			if (srv)
				set_cls(c, W_VENDOR, CLS_PLC, "vendor %.40s serving %s", v,
				        first_proto(srv));
			else if (spoken)
				set_cls(c, W_VENDOR, CLS_HMI, "vendor %.40s, client of %s", v,
				        first_proto(spoken));
			else
				set_cls(c, W_VENDOR_WEAK, CLS_ICS,
				        "automation vendor %.40s (guess)", v);
			break;
		}
		case VC_PHONE:
			if (in->mac_local || phone_name)
				set_cls(c, W_VENDOR, CLS_PHONE,
				        "vendor %.40s, phone-like name (guess)", v);
			break;
		case VC_DISCOVERY:
			if (in->protos & (ID_BIT(ID_LLDP) | ID_BIT(ID_CDP)))
				set_cls(c, W_VENDOR, r->cls, "vendor %.40s announcing itself by %s",
				        v, in->protos & ID_BIT(ID_CDP) ? "CDP" : "LLDP");
			break;
		}
		return; /* the first matching vendor rule is the only one */
	}
}

/* ---- protocol roles ---- */

static void by_protocols(const struct classify_in *in, struct claim *c)
{
	uint64_t plc = in->served & ics_plc_protos, other = in->served & ics_other_protos;
	if (plc)
		set_cls(c, W_PROTO_SERVER, CLS_PLC, "serves %s", first_proto(plc));
	else if (other)
		set_cls(c, W_PROTO_SERVER, CLS_ICS, "serves %s", first_proto(other));
	else if (in->protos & ICS_PROTOS)
		set_cls(c, W_PROTO_CLIENT, CLS_HMI, "client of %s (HMI or SCADA)",
		        first_proto(in->protos & ICS_PROTOS));
}

/* ---- served ports ---- */

static int serves_port(const struct classify_in *in, uint16_t port)
{
	for (size_t i = 0; i < in->n_services; i++)
		if (in->services[i].proto == 6 && in->services[i].port == port)
			return 1;
	return 0;
}

static void by_services(const struct classify_in *in, struct claim *c)
{
	static const uint16_t print_ports[] = {9100, 631, 515};
	for (size_t i = 0; i < sizeof(print_ports) / sizeof(print_ports[0]); i++)
		if (serves_port(in, print_ports[i])) {
			set_cls(c, W_SERVICE, CLS_PRINTER, "serves tcp/%u (printing)",
			        (unsigned)print_ports[i]);
			return;
		}
	if ((in->served & ID_BIT(ID_RTSP)) || serves_port(in, 554)) {
		set_cls(c, W_SERVICE, CLS_CAMERA, "serves RTSP (video stream)");
		return;
	}
	if ((in->served & ID_BIT(ID_RDP)) || serves_port(in, 3389)) {
		/* Remote desktop on a box that also serves directory, database
		 * or web services is a server; alone, a workstation. */
		static const uint16_t srv[] = {53, 88, 389, 1433, 80, 443};
		for (size_t i = 0; i < sizeof(srv) / sizeof(srv[0]); i++)
			if (serves_port(in, srv[i])) {
				set_cls(c, W_SERVICE, CLS_SERVER, "serves RDP and tcp/%u",
				        (unsigned)srv[i]);
				return;
			}
		set_cls(c, W_SERVICE, CLS_WORKSTATION, "serves RDP (remote desktop)");
		return;
	}
	/* Infrastructure services (proven from payload) are a server's job:
	 * a DHCP, DNS or NTP server is not a workstation whatever its TTL. */
	static const struct {
		enum ident_proto id;
		const char *what;
	} infra[] = {{ID_DHCP, "DHCP"}, {ID_DNS, "DNS"}, {ID_NTP, "NTP"}};
	for (size_t i = 0; i < sizeof(infra) / sizeof(infra[0]); i++)
		if (in->served & ID_BIT(infra[i].id)) {
			set_cls(c, W_SERVICE, CLS_SERVER, "serves %s", infra[i].what);
			return;
		}
	/* Workstations serve SMB too; how many clients use it is not known
	 * here, so these are weaker. */
	static const uint16_t srv[] = {445, 22, 80, 443};
	for (size_t i = 0; i < sizeof(srv) / sizeof(srv[0]); i++)
		if (serves_port(in, srv[i])) {
			set_cls(c, W_SERVICE_WEAK, CLS_SERVER, "serves tcp/%u (guess)",
			        (unsigned)srv[i]);
			return;
		}
}

/* ---- OS and TTL ---- */

/* The initial TTL a host's stack uses: its OS family (weight 10, only
 * when no identifier said better) and, for 128, a weak class claim. */
static void by_ttl(uint8_t ttl, int set_os, struct classify_out *o, struct claim *c)
{
	if (!ttl)
		return;
	const char *os;
	if (ttl <= 64) {
		os = "Linux/Unix-like (TTL 64)";
	} else if (ttl <= 128) {
		os = "Windows (TTL 128)";
		set_cls(c, W_TTL, CLS_WORKSTATION,
		        "initial TTL 128: Windows, most often a workstation (guess)");
	} else {
		os = "network device or embedded OS (TTL 255)";
	}
	if (!set_os)
		return;
	snprintf(o->os, sizeof(o->os), "%s", os);
	snprintf(o->os_why, sizeof(o->os_why), "highest TTL seen %u (guess)", (unsigned)ttl);
}

/* ---- end of life ---- */

static const struct {
	const char *needle;
	const char *what;
} eol_os[] = {
    {"Windows 2000", "Windows 2000"},
    {"Windows XP", "Windows XP"},
    {"Windows 2003", "Windows Server 2003"},
    {"Server 2003", "Windows Server 2003"},
    {"Windows Vista", "Windows Vista"},
    {"Server 2008", "Windows Server 2008"},
    {"Windows 7", "Windows 7"},
    {"Windows 98", "Windows 98"},
    {"Windows 95", "Windows 95"},
    {"Windows NT", "Windows NT"},
    {"Windows ME", "Windows ME"},
};

/* An SSH banner older than OpenSSH 7.0 (2015) or speaking SSH-1. */
static int old_ssh(const char *s, char *what, size_t whatsz)
{
	if (!s)
		return 0;
	const char *p = strstr(s, "OpenSSH_");
	if (p) {
		long major = strtol(p + 8, NULL, 10);
		if (major > 0 && major < 7) {
			size_t n = 0;
			while (p[n] && p[n] != ' ' && n < 20)
				n++;
			snprintf(what, whatsz, "old SSH %.*s", (int)n, p);
			return 1;
		}
	}
	if (strstr(s, "SSH-1.") && !strstr(s, "SSH-1.99")) {
		snprintf(what, whatsz, "SSH protocol 1");
		return 1;
	}
	return 0;
}

static void eol(const struct ident_facts *f, struct classify_out *o)
{
	if (o->os[0])
		for (size_t i = 0; i < sizeof(eol_os) / sizeof(eol_os[0]); i++)
			if (has_ci(o->os, eol_os[i].needle)) {
				snprintf(o->eol, sizeof(o->eol), "%s is out of support (%.60s)",
				         eol_os[i].what, o->os_why);
				return;
			}
	if (!f)
		return;
	char what[48];
	const char *fields[] = {f->os, f->firmware, f->app_detail, f->note, f->eol};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (old_ssh(fields[i], what, sizeof(what))) {
			snprintf(o->eol, sizeof(o->eol), "%s", what);
			return;
		}
	/* The identifiers' own hints (f->eol) reach the host directly, all of
	 * them (inventory-export.c); only conclusions drawn here go in o->eol. */
}

void classify_host(const struct classify_in *in, struct classify_out *out)
{
	memset(out, 0, sizeof(*out));
	struct claim c = {0, out};
	const struct ident_facts *f = in->facts;
	/* Facts carry their own weight: 90 a statement, 50 a banner, 10 a
	 * guess; they are weighed like everything else. */
	if (f && f->cls != CLS_UNKNOWN)
		set_cls(&c, f->cls_weight, f->cls, "%s", f->cls_why[0] ? f->cls_why : "identified");
	if (in->router)
		set_cls(&c, 80, CLS_ROUTER, "forwards other hosts' traffic");
	by_protocols(in, &c);
	by_vendor(in, &c);
	by_services(in, &c);
	int facts_os = f && f->os[0];
	if (facts_os) {
		snprintf(out->os, sizeof(out->os), "%s", f->os);
		snprintf(out->os_why, sizeof(out->os_why), "%s",
		         f->os_why[0] ? f->os_why : "identified");
	}
	by_ttl(in->ttl_max, !facts_os, out, &c);
	eol(f, out);
}
