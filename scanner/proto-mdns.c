/*
 * scanner/proto-mdns.c - multicast DNS (RFC 6762) and DNS-based service
 * discovery (RFC 6763).
 *
 * Proof: UDP port 5353 on one side and a DNS message in mDNS form: opcode
 * 0 and RCODE 0 (RFC 6762 18.3, 18.11), class IN or ANY (the top bit is
 * the unicast-response / cache-flush flag), every question and record
 * well-formed with backward-only compression pointers, the datagram
 * consumed exactly. Facts, from responses only (a query names what the
 * sender looks for): the host's own name from an A/AAAA record whose
 * address is the sender's (a Sleep Proxy answers for others), DNS-SD
 * service types as app_detail and device class hints, the Apple
 * _device-info model.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-dns.h"

#define MDNS_PORT   5353
#define MDNS_MAX_RR 256
#define T_A         1
#define T_PTR       12
#define T_TXT       16
#define T_AAAA      28
#define T_SRV       33

/* Service types that say what a device is. Printers advertise IPP,
 * LPD (_printer) and raw port 9100 (_pdl-datastream) (Apple's Bonjour
 * Printing Specification); _rtsp and _axis-video are cameras; AirPlay
 * receivers are TVs and speakers, but Macs advertise it too: a guess. */
static const struct {
	const char *svc;
	enum ident_class cls;
	int weight;
	int file; /* a file service: with a Synology/QNAP name, a NAS */
} services[] = {
    {"_ipp._tcp", CLS_PRINTER, 60, 0},       {"_ipps._tcp", CLS_PRINTER, 60, 0},
    {"_printer._tcp", CLS_PRINTER, 60, 0},   {"_pdl-datastream._tcp", CLS_PRINTER, 60, 0},
    {"_uscan._tcp", CLS_PRINTER, 40, 0},     {"_rtsp._tcp", CLS_CAMERA, 60, 0},
    {"_axis-video._tcp", CLS_CAMERA, 60, 0}, {"_googlecast._tcp", CLS_IOT, 30, 0},
    {"_hap._tcp", CLS_IOT, 30, 0},           {"_airplay._tcp", CLS_IOT, 20, 0},
    {"_raop._tcp", CLS_IOT, 20, 0},          {"_workstation._tcp", CLS_WORKSTATION, 30, 0},
    {"_smb._tcp", CLS_UNKNOWN, 0, 1},        {"_afpovertcp._tcp", CLS_UNKNOWN, 0, 1},
    {"_adisk._tcp", CLS_UNKNOWN, 0, 1},      {"_http._tcp", CLS_UNKNOWN, 0, 0},
};

struct mdns_state {
	char first_svc[64];
	int nas_hint; /* a name says Synology/QNAP */
	int file_svc; /* _smb, _afpovertcp, _adisk */
};

static int dns_class_ok(uint16_t cls)
{
	cls &= 0x7fff;
	return cls == 1 || cls == 255;
}

/* Finds "_x._tcp" / "_x._udp" just before ".local" in a dotted name. */
static void service_of(const char *name, char *svc, size_t svcsz)
{
	svc[0] = '\0';
	const char *proto = strcasestr(name, "._tcp.local");
	if (!proto)
		proto = strcasestr(name, "._udp.local");
	if (!proto || proto[11] != '\0')
		return;
	const char *start = proto;
	while (start > name && start[-1] != '.')
		start--;
	if (*start != '_')
		return;
	snprintf(svc, svcsz, "%.*s", (int)(proto + 5 - start), start);
}

static void note_name(const char *name, struct mdns_state *st, struct ident_facts *f)
{
	if (strcasestr(name, "diskstation") || strcasestr(name, "synology") ||
	    strcasestr(name, "qnap"))
		st->nas_hint = 1;
	char svc[64];
	service_of(name, svc, sizeof(svc));
	if (!svc[0] || strcasecmp(svc, "_services._dns-sd._udp") == 0)
		return;
	if (!st->first_svc[0])
		snprintf(st->first_svc, sizeof(st->first_svc), "%s", svc);
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
		if (strcasecmp(svc, services[i].svc) != 0)
			continue;
		if (services[i].file)
			st->file_svc = 1;
		if (services[i].cls == CLS_UNKNOWN || f->cls_weight >= services[i].weight)
			return;
		f->cls = services[i].cls;
		f->cls_weight = services[i].weight;
		snprintf(f->cls_why, sizeof(f->cls_why), "mDNS service %s", svc);
		snprintf(f->app_detail, sizeof(f->app_detail), "%s", svc);
	}
}

/* The host's own address record: "name.local" -> hostname. */
static void address_record(const struct ident_in *in, const struct dns_rr *rr,
                           struct ident_facts *f)
{
	if (f->hostname[0] || !dns_ends(rr->name, "local"))
		return;
	struct cur d = rr->rdata;
	uint8_t b[16];
	ss_ip ip;
	if (rr->type == T_A && cur_left(&d) == 4) {
		cur_copy(&d, b, 4);
		ss_ip_from_v4(&ip, b);
	} else if (rr->type == T_AAAA && cur_left(&d) == 16) {
		cur_copy(&d, b, 16);
		ss_ip_from_v6(&ip, b);
	} else {
		return;
	}
	if (in->p && !ss_ip_eq(&ip, &in->p->src))
		return;
	size_t n = strlen(rr->name) - strlen(".local");
	ident_copy_str(f->hostname, sizeof(f->hostname), (const uint8_t *)rr->name, n);
	if (f->hostname[0])
		f->name_src = NAME_MDNS;
}

/* Apple's _device-info TXT record: "model=MacBookPro18,3". */
static void device_info(const struct dns_rr *rr, struct ident_facts *f)
{
	if (!strcasestr(rr->name, "._device-info._tcp.local"))
		return;
	struct cur d = rr->rdata;
	while (cur_left(&d)) {
		uint8_t l = cur_u8(&d);
		struct cur s = cur_sub(&d, l);
		if (s.truncated)
			return;
		if (l > 6 && cur_peek(&s, 0) == 'm' && cur_peek(&s, 5) == '=' &&
		    cur_peek(&s, 4) == 'l' && cur_peek(&s, 1) == 'o') {
			cur_skip(&s, 6);
			ident_copy_str(f->model, sizeof(f->model), s.pos, cur_left(&s));
		}
	}
}

int mdns_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->sport != MDNS_PORT && p->dport != MDNS_PORT)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	const struct cur msg = c;
	struct dns_hdr h;
	if (!dns_hdr_read(&c, &h) || DNS_OPCODE(h.flags) != 0 || DNS_RCODE(h.flags) != 0)
		return 0;
	unsigned nrr = (unsigned)h.an + h.ns + h.ar;
	if (h.qd > 64 || nrr > MDNS_MAX_RR || h.qd + nrr == 0)
		return 0;
	int response = (h.flags & DNS_QR) != 0;
	struct dns_rr rr;
	for (unsigned i = 0; i < h.qd; i++)
		if (dns_question(&msg, &c, 1, DNS_CH_ANY, &rr) != 0 || !dns_class_ok(rr.cls))
			return 0;
	struct ident_facts tmp;
	memset(&tmp, 0, sizeof(tmp));
	struct mdns_state st;
	memset(&st, 0, sizeof(st));
	for (unsigned i = 0; i < nrr; i++) {
		if (dns_rr_read(&msg, &c, DNS_CH_ANY, &rr) != 0 || !dns_class_ok(rr.cls))
			return 0;
		if (!response)
			continue;
		if (rr.type == T_A || rr.type == T_AAAA)
			address_record(in, &rr, &tmp);
		note_name(rr.name, &st, &tmp);
		if (rr.type == T_PTR) {
			char target[DNS_NAME_MAX + 1];
			struct cur d = rr.rdata;
			if (dns_name(&msg, &d, 1, DNS_CH_ANY, target, sizeof(target)) != 0)
				return 0;
			note_name(target, &st, &tmp);
		} else if (rr.type == T_TXT) {
			device_info(&rr, &tmp);
		}
	}
	if (cur_left(&c))
		return 0;
	if (st.nas_hint && st.file_svc && tmp.cls_weight < 50) {
		tmp.cls = CLS_NAS;
		tmp.cls_weight = 50;
		snprintf(tmp.cls_why, sizeof(tmp.cls_why), "mDNS file service of a Synology/QNAP");
	}
	if (!tmp.app_detail[0] && st.first_svc[0])
		snprintf(tmp.app_detail, sizeof(tmp.app_detail), "%s", st.first_svc);
	*f = tmp;
	return 1;
}
