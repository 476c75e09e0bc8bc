/*
 * reports/report-csv.c - the asset ledger (one row per host) and the list
 * of violations, as CSV for a spreadsheet.
 *
 * RFC 4180: fields holding a comma, a double quote, CR or LF are quoted and
 * their quotes doubled; records end with CRLF. The file starts with a UTF-8
 * byte order mark, without which Excel reads Japanese text as Shift_JIS
 * garbage. Headers and labels (severity, type, registered) come from the
 * catalogue, so --lang ja gives a Japanese ledger.
 *
 * Names in a ledger come from the network (DHCP host names, LLDP system
 * names) and are opened in Excel: a field starting with = + - @ TAB or CR
 * would be run as a formula, so such a field gets a leading apostrophe
 * (the OWASP advice for CSV injection). Invalid UTF-8 becomes U+FFFD; C0
 * (but TAB, CR, LF), C1 and bidirectional controls are dropped; a cell
 * longer than Excel's 32,767 characters is cut and ends with an ellipsis.
 */
#include <stdlib.h>
#include <string.h>

#include "reports/i18n.h"
#include "reports/render.h"

/* The code point of a valid UTF-8 sequence of n bytes. */
static unsigned cp_of(const unsigned char *u, size_t n)
{
	unsigned v = n == 1 ? u[0] : u[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		v = (v << 6) | (u[i] & 0x3f);
	return v;
}

/* Writes one field; first is 1 for the first field of a record. */
static void field(FILE *out, const char *s, int first)
{
	if (!first)
		fputc(',', out);
	if (!s || !*s)
		return;
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	int guard = strchr("=+-@\t\r", s[0]) != NULL;
	if (quote)
		fputc('"', out);
	if (guard)
		fputc('\'', out);
	const unsigned char *u = (const unsigned char *)s;
	size_t units = guard; /* UTF-16 units, as Excel counts a cell */
	while (*u) {
		/* Validate UTF-8 so one bad byte cannot corrupt the row for Excel. */
		size_t n = u[0] < 0x80                    ? 1
		           : u[0] >= 0xc2 && u[0] <= 0xdf ? 2
		           : u[0] >= 0xe0 && u[0] <= 0xef ? 3
		           : u[0] >= 0xf0 && u[0] <= 0xf4 ? 4
		                                          : 0;
		size_t ok = n;
		for (size_t i = 1; i < n && ok; i++)
			if ((u[i] & 0xc0) != 0x80)
				ok = 0;
		if (ok == 3 && ((u[0] == 0xe0 && u[1] < 0xa0) || (u[0] == 0xed && u[1] >= 0xa0)))
			ok = 0;
		if (ok == 4 && ((u[0] == 0xf0 && u[1] < 0x90) || (u[0] == 0xf4 && u[1] >= 0x90)))
			ok = 0;
		/* Control and bidi characters from a hostile result are dropped. */
		if (ok && res_cp_unsafe(cp_of(u, ok), 1)) {
			u += ok;
			continue;
		}
		size_t w = ok == 4 ? 2 : 1;
		if (units + w > RES_CELL_MAX - 1) { /* room for the marker */
			fputs(RES_CELL_CUT, out);
			break;
		}
		units += w;
		if (!ok) {
			fputs("\xef\xbf\xbd", out);
			u++;
			continue;
		}
		if (*u == '"')
			fputc('"', out);
		fwrite(u, 1, ok, out);
		u += ok;
	}
	if (quote)
		fputc('"', out);
}

static void end_record(FILE *out)
{
	fputs("\r\n", out);
}

static void time_field(FILE *out, ss_time t)
{
	char b[SS_ISO_STRLEN] = "";
	if (t != SS_TIME_NONE)
		ss_time_iso(t, b);
	field(out, b, 0);
}

/* Joins a string vector with sep; a new string. */
static char *join(char *const *v, size_t n, const char *sep)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + strlen(sep);
	char *s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(s, sep);
		strcat(s, v[i]);
	}
	return s;
}

int res_write_csv_hosts(const struct result *r, FILE *out, const struct res_render_opts *o)
{
	enum res_lang lang = o ? o->lang : RES_LANG_EN;
	static const enum msg_id cols[] = {MSG_COL_ASSET, MSG_COL_ZONE,       MSG_COL_ADDRESSES,
	                                   MSG_COL_MAC,   MSG_COL_VENDOR,     MSG_COL_CLASS,
	                                   MSG_COL_OS,    MSG_COL_PROTOCOLS,  MSG_COL_MANAGED,
	                                   MSG_COL_OWNER, MSG_COL_FIRST_SEEN, MSG_COL_LAST_SEEN};
	fputs("\xef\xbb\xbf", out);
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		field(out, i18n(lang, cols[c]), c == 0);
	end_record(out);
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		char mac[SS_MAC_STRLEN] = "";
		if (h->has_mac)
			ss_mac_format(&h->mac, mac);
		char **ips = xcalloc(h->n_ips + 1, sizeof(char *));
		for (size_t k = 0; k < h->n_ips; k++) {
			ips[k] = xmalloc(SS_IP_STRLEN);
			ss_ip_format(&h->ips[k], ips[k]);
		}
		char *addrs = join(ips, h->n_ips, " ");
		char *protos = join(h->protocols.v, h->protocols.n, " ");
		const char *cls = h->device_class ? h->device_class : h->router ? "router" : "";
		enum msg_id managed = h->managed > 0    ? MSG_MANAGED_YES
		                      : h->managed == 0 ? MSG_MANAGED_NO
		                                        : MSG_MANAGED_NA;
		field(out, h->asset, 1);
		field(out, h->zone, 0);
		field(out, addrs, 0);
		field(out, mac, 0);
		field(out, h->vendor, 0);
		field(out, cls, 0);
		field(out, h->os, 0);
		field(out, protos, 0);
		field(out, i18n(lang, managed), 0);
		field(out, h->owner, 0);
		time_field(out, h->first_seen);
		time_field(out, h->last_seen);
		end_record(out);
		for (size_t k = 0; k < h->n_ips; k++)
			free(ips[k]);
		free(ips);
		free(addrs);
		free(protos);
	}
	return ferror(out) ? -1 : 0;
}

int res_write_csv_violations(const struct result *r, FILE *out, const struct res_render_opts *o)
{
	enum res_lang lang = o ? o->lang : RES_LANG_EN;
	static const enum msg_id cols[] = {MSG_COL_TYPE,        MSG_SEVERITY,    MSG_COL_SOURCE,
	                                   MSG_COL_DESTINATION, MSG_COL_SERVICE, MSG_COL_MAC,
	                                   MSG_COL_RULE,        MSG_COL_COUNT,   MSG_COL_FIRST_SEEN,
	                                   MSG_COL_LAST_SEEN,   MSG_COL_MESSAGE, MSG_COL_FIX};
	fputs("\xef\xbb\xbf", out);
	for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
		field(out, i18n(lang, cols[c]), c == 0);
	end_record(out);
	struct res_zone_index *zi = NULL;
	for (size_t i = 0; i < r->n_violations; i++) {
		const struct res_violation *v = &r->violations[i];
		char src[SS_IP_STRLEN] = "", dst[SS_IP_STRLEN] = "", mac[SS_MAC_STRLEN] = "";
		char svc[32], count[24];
		if (v->src.family)
			ss_ip_format(&v->src, src);
		if (v->dst.family)
			ss_ip_format(&v->dst, dst);
		if (v->has_mac)
			ss_mac_format(&v->mac, mac);
		res_service_str(v->proto, v->dport, svc, sizeof(svc));
		snprintf(count, sizeof(count), "%llu", (unsigned long long)v->count);
		char *msg, *fix;
		i18n_violation_text(r, &zi, v, lang, &msg, &fix);
		field(out, i18n(lang, i18n_vtype_id(v->type)), 1);
		field(out, i18n(lang, i18n_severity_id(v->severity)), 0);
		field(out, src, 0);
		field(out, dst, 0);
		field(out, svc, 0);
		field(out, mac, 0);
		field(out, v->rule, 0);
		field(out, count, 0);
		time_field(out, v->first_seen);
		time_field(out, v->last_seen);
		field(out, msg, 0);
		field(out, fix, 0);
		end_record(out);
		free(msg);
		free(fix);
	}
	res_zone_index_free(zi);
	return ferror(out) ? -1 : 0;
}
