/*
 * scanner/proto-ssdp.c - SSDP, UPnP discovery (UPnP Device Architecture
 * 2.0, section 1; draft-cai-ssdp-v1).
 *
 * Proof: HTTP-over-UDP with SSDP's own start lines and mandatory fields:
 * "M-SEARCH * HTTP/1.1" with MAN: "ssdp:discover"; "NOTIFY * HTTP/1.1"
 * with NTS: ssdp:alive|byebye|update and NT; or a search response
 * "HTTP/1.1 200 OK" with ST and USN. Facts, from announcements and
 * responses (a search names what the searcher wants, not what it is):
 * SERVER "OS/version UPnP/1.x product/version" -> OS hint; NT/ST device
 * types -> class hints; USN uuid -> app_detail.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

static void server_field(const struct cur *v, struct ident_facts *f)
{
	char why[80], sw[60];
	txt_copy(sw, sizeof(sw), v);
	txt_join(why, sizeof(why), "SSDP SERVER '", sw, 50, "'");
	if (txt_starts(v, "Linux", 1))
		txt_os(f, "Linux", 30, why);
	else if (txt_starts(v, "Microsoft-Windows", 1) || txt_starts(v, "Windows", 1))
		txt_os(f, "Windows", 30, why);
	else if (txt_starts(v, "Darwin", 1))
		txt_os(f, "macOS/iOS (Darwin)", 20, why);
}

/* UPnP standard device types (UPnP Forum device control protocols). */
static void device_type(const struct cur *v, struct ident_facts *f)
{
	static const struct {
		const char *token;
		enum ident_class cls;
		int weight;
	} dev[] = {
	    {":device:InternetGatewayDevice", CLS_ROUTER, 40},
	    {":device:WANDevice", CLS_ROUTER, 40},
	    {":device:WANConnectionDevice", CLS_ROUTER, 40},
	    {":device:Printer", CLS_PRINTER, 40},
	    {":device:NetworkCamera", CLS_CAMERA, 40},
	    {":device:DigitalSecurityCamera", CLS_CAMERA, 40},
	    {":device:MediaRenderer", CLS_IOT, 20},
	    {":device:ZonePlayer", CLS_IOT, 20},
	    {"urn:dial-multiscreen-org:device:dial", CLS_IOT, 20},
	};
	for (size_t i = 0; i < sizeof(dev) / sizeof(dev[0]); i++) {
		if (txt_find(v, dev[i].token) < 0)
			continue;
		char why[80];
		txt_join(why, sizeof(why), "SSDP device type '", dev[i].token + 1, (size_t)-1, "'");
		txt_cls(f, dev[i].cls, dev[i].weight, why);
		return;
	}
}

int ssdp_identify(const struct ident_in *in, struct ident_facts *f)
{
	/* Pre-check, a necessary condition of the proof: the three start
	 * lines accepted below open with 'M' ("M-SEARCH", case-sensitive),
	 * 'N' ("NOTIFY", case-sensitive) or 'H'/'h' ("HTTP/1.1 200 OK",
	 * compared case-insensitively). */
	if (!in->len)
		return 0;
	uint8_t b0 = in->data[0];
	if (b0 != 'M' && b0 != 'N' && b0 != 'H' && b0 != 'h')
		return 0;
	struct cur c = cur_make(in->data, in->len);
	struct cur line, v;
	if (!txt_line(&c, &line, 64))
		return 0;
	int device; /* the sender describes itself */
	if (txt_starts(&line, "M-SEARCH * HTTP/1.1", 0) && cur_left(&line) == 19) {
		if (!txt_header(c, "MAN", &v) || txt_find(&v, "ssdp:discover") < 0)
			return 0;
		device = 0;
	} else if (txt_starts(&line, "NOTIFY * HTTP/1.1", 0) && cur_left(&line) == 17) {
		if (!txt_header(c, "NTS", &v) || txt_find(&v, "ssdp:") < 0 ||
		    !txt_header(c, "NT", &v))
			return 0;
		device = 1;
	} else if (txt_starts(&line, "HTTP/1.1 200 OK", 1) && cur_left(&line) == 15) {
		if (!txt_header(c, "ST", &v) || !txt_header(c, "USN", &v))
			return 0;
		device = 1;
	} else {
		return 0;
	}
	if (!device)
		return 1;
	if (txt_header(c, "SERVER", &v))
		server_field(&v, f);
	if (txt_header(c, "NT", &v) || txt_header(c, "ST", &v))
		device_type(&v, f);
	if (txt_header(c, "USN", &v) && txt_starts(&v, "uuid:", 1)) {
		long end = txt_find(&v, "::");
		struct cur u = v;
		if (end >= 0)
			u.end = u.pos + end;
		txt_copy(f->app_detail, sizeof(f->app_detail), &u);
	}
	return 1;
}
