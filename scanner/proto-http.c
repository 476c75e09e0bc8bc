/*
 * scanner/proto-http.c - HTTP/1.x (RFC 9112 message syntax, RFC 9110
 * methods and fields).
 *
 * Proof is a complete start line: a request line "METHOD SP target SP
 * HTTP/1.d" with a known method, or a status line "HTTP/1.d NNN". Facts:
 * a client's Host (app_detail) and User-Agent (an OS hint, weight 30: a
 * browser string is easy to fake and often is), a server's Server field
 * (software in app_detail, an OS or device hint where the product names
 * one). RTSP and SSDP share this syntax and are tried first (their try rank in common/protocols.h).
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

#define HTTP_LINE_MAX 8192 /* a request line longer than this is not proof */

static const char *const methods[] = {
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "CONNECT",
    "OPTIONS",
    "TRACE",
    "PATCH",
    /* WebDAV (RFC 4918), common from Windows clients and NAS */
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
};

/* "HTTP/1.0" or "HTTP/1.1" (any single minor digit) at c; consumed. */
static int http_version(struct cur *c)
{
	if (!txt_eat(c, "HTTP/1."))
		return 0;
	int d = cur_peek(c, 0);
	if (d < '0' || d > '9')
		return 0;
	cur_skip(c, 1);
	return 1;
}

/* Returns 1 for a request line, 2 for a status line, 0 otherwise. */
static int start_line(struct cur line)
{
	if (txt_starts(&line, "HTTP/1.", 0)) {
		unsigned code;
		struct cur c = line;
		if (!http_version(&c) || !txt_eat(&c, " ") || cur_left(&c) < 3)
			return 0;
		struct cur d = cur_sub(&c, 3);
		if (!txt_uint(&d, &code) || cur_left(&d) || code < 100 || code > 599)
			return 0;
		return (!cur_left(&c) || cur_peek(&c, 0) == ' ') ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct cur c = line;
		if (!txt_eat(&c, methods[i]) || !txt_eat(&c, " "))
			continue;
		/* the target: visible ASCII, no blanks (RFC 9112 3.2) */
		size_t n = 0;
		int ch;
		while ((ch = cur_peek(&c, 0)) > 0x20 && ch < 0x7f) {
			cur_skip(&c, 1);
			n++;
		}
		if (!n || !txt_eat(&c, " ") || !http_version(&c) || cur_left(&c))
			return 0;
		return 1;
	}
	return 0;
}

/* What a User-Agent says about the client's OS. Order matters: the more
 * specific token first ("Android" strings also say "Linux", iPhone ones
 * "like Mac OS X"). */
static void user_agent(const struct cur *v, struct ident_facts *f)
{
	static const struct {
		const char *token;
		const char *os;
		const char *eol;
		enum ident_class cls;
	} ua[] = {
	    {"Windows NT 10.0", "Windows 10/11", NULL, CLS_WORKSTATION},
	    {"Windows NT 6.3", "Windows 8.1", "Windows 8.1 (HTTP User-Agent)", CLS_WORKSTATION},
	    {"Windows NT 6.2", "Windows 8", "Windows 8 (HTTP User-Agent)", CLS_WORKSTATION},
	    {"Windows NT 6.1", "Windows 7", "Windows 7 (HTTP User-Agent)", CLS_WORKSTATION},
	    {"Windows NT 6.0", "Windows Vista", "Windows Vista (HTTP User-Agent)", CLS_WORKSTATION},
	    {"Windows NT 5.2", "Windows XP x64 / Server 2003", "Windows XP/2003 (HTTP User-Agent)",
	     CLS_UNKNOWN},
	    {"Windows NT 5.1", "Windows XP", "Windows XP (HTTP User-Agent)", CLS_WORKSTATION},
	    {"Windows NT 5.0", "Windows 2000", "Windows 2000 (HTTP User-Agent)", CLS_UNKNOWN},
	    {"iPhone", "iOS", NULL, CLS_PHONE},
	    {"iPad", "iPadOS", NULL, CLS_UNKNOWN},
	    {"Android", "Android", NULL, CLS_UNKNOWN},
	    {"CrOS", "ChromeOS", NULL, CLS_WORKSTATION},
	    {"Macintosh", "macOS", NULL, CLS_WORKSTATION},
	    {"Linux", "Linux", NULL, CLS_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof(ua) / sizeof(ua[0]); i++) {
		if (txt_find(v, ua[i].token) < 0)
			continue;
		char why[80];
		txt_join(why, sizeof(why), "HTTP User-Agent '", ua[i].token, (size_t)-1, "'");
		txt_os(f, ua[i].os, 30, why);
		if (ua[i].eol)
			txt_set(f->eol, sizeof(f->eol), ua[i].eol);
		if (ua[i].cls != CLS_UNKNOWN)
			txt_cls(f, ua[i].cls, 20, why);
		return;
	}
}

/* What a Server field says about the server. IIS versions ship with one
 * Windows release each (Microsoft's IIS version table). Device hints only
 * for products that exist on one kind of device: Hikvision's web servers
 * ("App-webs", "DNVRS-Webs", "Hikvision-Webs") and XiongMai's "uc-httpd"
 * on cameras and recorders; GoAhead, Boa and RomPager are embedded
 * servers found in anything from routers to printers, so only "iot", as a
 * guess. */
static void server_field(const struct cur *v, struct ident_facts *f)
{
	static const struct {
		const char *token;
		const char *os;
		int os_w;
		const char *eol;
		enum ident_class cls;
		int cls_w;
	} sv[] = {
	    {"Microsoft-IIS/10.", "Windows Server 2016 or later", 50, NULL, CLS_SERVER, 30},
	    {"Microsoft-IIS/8.5", "Windows Server 2012 R2", 50, "Windows Server 2012 R2 (IIS 8.5)",
	     CLS_SERVER, 30},
	    {"Microsoft-IIS/8.0", "Windows Server 2012", 50, "Windows Server 2012 (IIS 8.0)",
	     CLS_SERVER, 30},
	    {"Microsoft-IIS/7.5", "Windows Server 2008 R2 / 7", 50, "Windows 2008 R2/7 (IIS 7.5)",
	     CLS_UNKNOWN, 0},
	    {"Microsoft-IIS/7.0", "Windows Server 2008 / Vista", 50, "Windows 2008/Vista (IIS 7.0)",
	     CLS_UNKNOWN, 0},
	    {"Microsoft-IIS/6.0", "Windows Server 2003", 50, "Windows Server 2003 (IIS 6.0)",
	     CLS_SERVER, 30},
	    {"Microsoft-IIS/5.1", "Windows XP", 50, "Windows XP (IIS 5.1)", CLS_UNKNOWN, 0},
	    {"Microsoft-IIS/5.0", "Windows 2000", 50, "Windows 2000 (IIS 5.0)", CLS_UNKNOWN, 0},
	    {"Microsoft-HTTPAPI", "Windows", 30, NULL, CLS_UNKNOWN, 0},
	    {"(Win32)", "Windows", 40, NULL, CLS_UNKNOWN, 0},
	    {"(Win64)", "Windows", 40, NULL, CLS_UNKNOWN, 0},
	    {"(Debian)", "Debian Linux", 50, NULL, CLS_UNKNOWN, 0},
	    {"(Ubuntu)", "Ubuntu Linux", 50, NULL, CLS_UNKNOWN, 0},
	    {"(CentOS)", "CentOS Linux", 50, NULL, CLS_UNKNOWN, 0},
	    {"(Red Hat", "Red Hat Enterprise Linux", 50, NULL, CLS_UNKNOWN, 0},
	    {"(Raspbian)", "Raspbian Linux", 50, NULL, CLS_UNKNOWN, 0},
	    {"WindRiver-WebServer", "VxWorks", 30, NULL, CLS_UNKNOWN, 0},
	    {"Hikvision-Webs", NULL, 0, NULL, CLS_CAMERA, 30},
	    {"DNVRS-Webs", NULL, 0, NULL, CLS_CAMERA, 30},
	    {"App-webs", NULL, 0, NULL, CLS_CAMERA, 30},
	    {"uc-httpd", NULL, 0, NULL, CLS_CAMERA, 30},
	    {"HP HTTP Server", NULL, 0, NULL, CLS_PRINTER, 30},
	    {"GoAhead", "embedded", 10, NULL, CLS_IOT, 10},
	    {"Boa/", "embedded Linux", 10, NULL, CLS_IOT, 10},
	    {"RomPager", "embedded", 10, NULL, CLS_IOT, 10},
	};
	/* Every token is tried (several may add facts): filter them on
	 * their first byte. */
	struct txt_bytes present;
	txt_bytes_of(v, &present);
	for (size_t i = 0; i < sizeof(sv) / sizeof(sv[0]); i++) {
		if (!txt_may_find(&present, sv[i].token) || txt_find(v, sv[i].token) < 0)
			continue;
		char why[80];
		txt_join(why, sizeof(why), "HTTP Server '", sv[i].token, (size_t)-1, "'");
		if (sv[i].os)
			txt_os(f, sv[i].os, sv[i].os_w, why);
		if (sv[i].eol && !f->eol[0])
			txt_set(f->eol, sizeof(f->eol), sv[i].eol);
		if (sv[i].cls != CLS_UNKNOWN)
			txt_cls(f, sv[i].cls, sv[i].cls_w, why);
	}
}

/* Whether byte b can open a start line start_line() accepts: the first
 * letter of a method in methods[] (matched case-sensitively by txt_eat)
 * or the 'H' of "HTTP/1.". Keep in step with methods[]. */
static int may_start(uint8_t b)
{
	switch (b) {
	case 'G':
	case 'H':
	case 'P':
	case 'D':
	case 'C':
	case 'O':
	case 'T':
	case 'M':
	case 'L':
	case 'U':
		return 1;
	default:
		return 0;
	}
}

int http_identify(const struct ident_in *in, struct ident_facts *f)
{
	/* Pre-check, a necessary condition of the proof: start_line() needs
	 * the payload's first line to open with a method or "HTTP/1.", so
	 * any other first byte is rejected before searching for a LF. */
	if (!in->len || !may_start(in->data[0]))
		return 0;
	struct cur c = cur_make(in->data, in->len);
	struct cur line;
	if (!txt_line(&c, &line, HTTP_LINE_MAX))
		return 0;
	int kind = start_line(line);
	if (!kind)
		return 0;
	struct cur v;
	if (kind == 1) {
		struct cur ua;
		int has_host, has_ua;
		txt_header2(c, "Host", &v, &has_host, "User-Agent", &ua, &has_ua);
		if (has_host)
			txt_copy(f->app_detail, sizeof(f->app_detail), &v);
		if (has_ua)
			user_agent(&ua, f);
	} else if (txt_header(c, "Server", &v)) {
		char sw[48];
		txt_copy(sw, sizeof(sw), &v);
		txt_join(f->app_detail, sizeof(f->app_detail), "server ", sw, (size_t)-1, NULL);
		server_field(&v, f);
	}
	return 1;
}
