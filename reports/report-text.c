/*
 * reports/report-text.c - the terminal summary: headline counts, devices
 * per zone, violations by severity, each finding with its fix, then the
 * device table. Words come from the catalogue (reports/i18n.h), so
 * --lang ja gives the same summary in Japanese.
 *
 * Strings from the network (host names, vendors) go through clean() before
 * they reach a terminal: an escape sequence in a DHCP host name must not
 * repaint the screen of the person reading the report, nor a U+202E
 * reverse what it reads; a 100k-character name is cut at 32,767. Colour is used only
 * when the caller says the output is a terminal (o->color).
 */
#include <stdlib.h>
#include <string.h>

#include "reports/i18n.h"
#include "reports/render.h"

#define C_RESET "\033[0m"
#define C_BOLD  "\033[1m"
#define C_DIM   "\033[2m"

struct txt {
	FILE *out;
	enum res_lang lang;
	int color;
};

static const char *sev_color(int rank)
{
	static const char *const c[] = {"\033[1;31m", "\033[31m", "\033[33m", "\033[36m", ""};
	return c[rank < 0 || rank > 4 ? 4 : rank];
}

static const char *T(const struct txt *t, enum msg_id id)
{
	return i18n(t->lang, id);
}

/* Length of the UTF-8 sequence starting at s, or 0 when it is invalid. */
static size_t utf8_len(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!n || s[0] >= 0xf5)
		return 0;
	unsigned v = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Terminal columns of a code point: East Asian wide and fullwidth take 2. */
static int cp_width(unsigned c)
{
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* Cuts s to RES_CELL_MAX characters, the last being the marker (s has room
 * for 3 more bytes). */
static void cut(char *s)
{
	size_t chars = 0;
	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (chars <= RES_CELL_MAX)
		return;
	chars = 0;
	for (char *p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && ++chars == RES_CELL_MAX) {
			strcpy(p, RES_CELL_CUT);
			return;
		}
}

/* A copy safe for a terminal: control bytes, bidirectional controls and
 * invalid UTF-8 become '?'; at most RES_CELL_MAX characters. */
static char *clean(const char *s)
{
	if (!s)
		return xstrdup("-");
	size_t n = strlen(s);
	char *o = xmalloc(n + 4), *p = o; /* + room for cut()'s marker */
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		/* ASCII fast path (what utf8_len would decide for one byte): the
		 * findings run every violation message through here. */
		if (*u < 0x80) {
			*p++ = *u < 0x20 || *u == 0x7f ? '?' : (char)*u;
			u++;
			continue;
		}
		unsigned cp;
		size_t l = utf8_len(u, &cp);
		if (!l || res_cp_unsafe(cp, 0)) {
			*p++ = '?';
			u += l ? l : 1;
			continue;
		}
		memcpy(p, u, l);
		p += l;
		u += l;
	}
	*p = '\0';
	cut(o);
	return o;
}

static int width(const char *s)
{
	int w = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		if (*u < 0x80) { /* one column, without the decoder's calls */
			w++;
			u++;
			continue;
		}
		unsigned cp;
		size_t l = utf8_len(u, &cp);
		w += l ? cp_width(cp) : 1;
		u += l ? l : 1;
	}
	return w;
}

/* Prints s (already clean) left-aligned in a column of w terminal cells. */
static void cell(FILE *out, const char *s, int w)
{
	fputs(s, out);
	for (int i = width(s); i < w; i++)
		fputc(' ', out);
}

static void heading(const struct txt *t, enum msg_id id)
{
	const char *s = T(t, id);
	fprintf(t->out, "\n%s%s%s\n", t->color ? C_BOLD : "", s, t->color ? C_RESET : "");
	for (int i = width(s); i > 0; i--)
		fputc('=', t->out);
	fputc('\n', t->out);
}

static void fmt_u64(char *b, size_t sz, uint64_t v)
{
	snprintf(b, sz, "%llu", (unsigned long long)v);
}

static void headline(const struct txt *t, const struct result *r)
{
	char hosts[24], unreg[24], flows[24], viol[24], pk[24];
	snprintf(hosts, sizeof(hosts), "%zu", r->n_hosts);
	snprintf(unreg, sizeof(unreg), "%zu", res_count_unregistered(r));
	snprintf(flows, sizeof(flows), "%zu", r->n_flows);
	snprintf(viol, sizeof(viol), "%zu", r->n_violations);
	fmt_u64(pk, sizeof(pk), r->stats.packets);
	static const char *const keys[] = {"hosts", "unregistered", "flows", "violations",
	                                   "packets"};
	const char *vals[] = {hosts, unreg, flows, viol, pk};
	char *line = i18n_fmt(t->lang, MSG_HEADLINE, keys, vals, 5);
	char *site = r->site ? clean(r->site) : NULL;
	fprintf(t->out, "%ssegscan %s: %s%s%s%s\n", t->color ? C_BOLD : "",
	        r->tool_version ? r->tool_version : "", T(t, MSG_REPORT_TITLE), site ? " - " : "",
	        site ? site : "", t->color ? C_RESET : "");
	fprintf(t->out, "%s\n", line);
	free(line);
	free(site);
	static const char *const nk[] = {"n"};
	if (r->stats.truncated) {
		fmt_u64(pk, sizeof(pk), r->stats.truncated);
		const char *nv[] = {pk};
		char *s = i18n_fmt(t->lang, MSG_WARN_TRUNCATED, nk, nv, 1);
		fprintf(t->out, "%s\n", s);
		free(s);
	}
	if (r->stats.dropped) {
		fmt_u64(pk, sizeof(pk), r->stats.dropped);
		const char *nv[] = {pk};
		char *s = i18n_fmt(t->lang, MSG_WARN_DROPPED, nk, nv, 1);
		fprintf(t->out, "%s%s%s\n", t->color ? sev_color(1) : "", s,
		        t->color ? C_RESET : "");
		free(s);
	}
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void zones(const struct txt *t, const struct result *r)
{
	if (!r->n_hosts)
		return;
	const char **names = xcalloc(r->n_hosts, sizeof(char *));
	size_t n = 0;
	for (size_t i = 0; i < r->n_hosts; i++) {
		const char *z = r->hosts[i].zone ? r->hosts[i].zone : "-";
		size_t k;
		for (k = 0; k < n && strcmp(names[k], z) != 0; k++)
			;
		if (k == n)
			names[n++] = z;
	}
	qsort(names, n, sizeof(char *), cmp_str_ptr);
	heading(t, MSG_TXT_ZONES);
	int zw = width(T(t, MSG_COL_ZONE)), hw = width(T(t, MSG_COL_HOSTS));
	int uw = width(T(t, MSG_COL_UNREGISTERED));
	char **cl = xcalloc(n, sizeof(char *));
	for (size_t k = 0; k < n; k++) {
		cl[k] = clean(names[k]);
		if (width(cl[k]) > zw)
			zw = width(cl[k]);
	}
	fputs("  ", t->out);
	cell(t->out, T(t, MSG_COL_ZONE), zw + 2);
	cell(t->out, T(t, MSG_COL_HOSTS), hw + 2);
	if (r->policy_path)
		fputs(T(t, MSG_COL_UNREGISTERED), t->out);
	fputc('\n', t->out);
	for (size_t k = 0; k < n; k++) {
		size_t hosts = 0, unreg = 0;
		for (size_t i = 0; i < r->n_hosts; i++)
			if (strcmp(r->hosts[i].zone ? r->hosts[i].zone : "-", names[k]) == 0) {
				hosts++;
				unreg += r->hosts[i].managed == 0;
			}
		fputs("  ", t->out);
		cell(t->out, cl[k], zw + 2);
		fprintf(t->out, "%*zu  ", hw, hosts);
		if (r->policy_path)
			fprintf(t->out, "%s%*zu%s", unreg && t->color ? sev_color(2) : "", uw,
			        unreg, unreg && t->color ? C_RESET : "");
		fputc('\n', t->out);
		free(cl[k]);
	}
	free(cl);
	free(names);
}

static void by_severity(const struct txt *t, const struct result *r)
{
	heading(t, MSG_TXT_BY_SEVERITY);
	static const char *const sev[] = {"critical", "high", "medium", "low"};
	size_t counts[5] = {0};
	for (size_t i = 0; i < r->n_violations; i++)
		counts[res_severity_rank(r->violations[i].severity)]++;
	int w = 0;
	for (int k = 0; k < 5; k++) {
		const char *l = T(t, k < 4 ? i18n_severity_id(sev[k]) : MSG_SEV_OTHER);
		if (width(l) > w)
			w = width(l);
	}
	for (int k = 0; k < 5; k++) {
		if (k == 4 && !counts[4])
			break;
		fputs("  ", t->out);
		const char *l = T(t, k < 4 ? i18n_severity_id(sev[k]) : MSG_SEV_OTHER);
		int on = t->color && counts[k];
		if (on)
			fputs(sev_color(k), t->out);
		cell(t->out, l, w + 2);
		fprintf(t->out, "%zu%s\n", counts[k], on ? C_RESET : "");
	}
}

static void findings(const struct txt *t, const struct result *r)
{
	heading(t, MSG_TXT_FINDINGS);
	if (!r->n_violations) {
		fprintf(t->out, "  %s\n", T(t, MSG_NO_VIOLATIONS));
		return;
	}
	struct res_zone_index *zi = NULL;
	for (size_t i = 0; i < r->n_violations; i++) {
		const struct res_violation *v = &r->violations[i];
		int rank = res_severity_rank(v->severity);
		char *msg, *fix;
		i18n_violation_text(r, &zi, v, t->lang, &msg, &fix);
		char *cm = clean(msg), *cf = clean(fix);
		fprintf(t->out, "%3zu. %s[%s] %s%s  %s(%s)%s\n", i + 1,
		        t->color ? sev_color(rank) : "", T(t, i18n_severity_id(v->severity)),
		        T(t, i18n_vtype_id(v->type)), t->color ? C_RESET : "",
		        t->color ? C_DIM : "", T(t, i18n_priority_id(v->severity)),
		        t->color ? C_RESET : "");
		fprintf(t->out, "     %s\n", cm);
		if (t->lang != RES_LANG_EN && v->message && *v->message) {
			char *orig = clean(v->message);
			fprintf(t->out, "     %s%s: %s%s\n", t->color ? C_DIM : "",
			        T(t, MSG_COL_ORIGINAL), orig, t->color ? C_RESET : "");
			free(orig);
		}
		fprintf(t->out, "     %s%s:%s %s\n", t->color ? C_BOLD : "", T(t, MSG_COL_FIX),
		        t->color ? C_RESET : "", cf);
		free(cm);
		free(cf);
		free(msg);
		free(fix);
	}
	res_zone_index_free(zi);
}

static void hosts_table(const struct txt *t, const struct result *r)
{
	heading(t, MSG_TXT_HOSTS);
	if (!r->n_hosts) {
		fprintf(t->out, "  %s\n", T(t, MSG_NO_HOSTS));
		return;
	}
	enum { NC = 7 };
	static const enum msg_id cols[NC] = {MSG_COL_MAC,   MSG_COL_ADDRESSES, MSG_COL_VLAN,
	                                     MSG_COL_ZONE,  MSG_COL_CLASS,     MSG_COL_ASSET,
	                                     MSG_COL_VENDOR};
	char *(*cells)[NC] = xcalloc(r->n_hosts, sizeof(*cells));
	int w[NC];
	for (int c = 0; c < NC; c++)
		w[c] = width(T(t, cols[c]));
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		char mac[SS_MAC_STRLEN] = "-", addrs[200] = "", vlan[12] = "-";
		if (h->has_mac)
			ss_mac_format(&h->mac, mac);
		size_t used = 0;
		for (size_t k = 0; k < h->n_ips; k++) {
			char a[SS_IP_STRLEN];
			ss_ip_format(&h->ips[k], a);
			if (k == 3 || used + strlen(a) + 8 >= sizeof(addrs)) {
				snprintf(addrs + used, sizeof(addrs) - used, " +%zu", h->n_ips - k);
				break;
			}
			used += (size_t)snprintf(addrs + used, sizeof(addrs) - used, "%s%s",
			                         k ? "," : "", a);
		}
		if (h->vlan >= 0)
			snprintf(vlan, sizeof(vlan), "%d", h->vlan);
		const char *cls = h->device_class ? h->device_class : (h->router ? "router" : NULL);
		cells[i][0] = xstrdup(mac);
		cells[i][1] = xstrdup(*addrs ? addrs : "-");
		cells[i][2] = xstrdup(vlan);
		cells[i][3] = clean(h->zone);
		cells[i][4] = clean(cls);
		cells[i][5] = !h->asset && h->managed == 0 ? xstrdup(T(t, MSG_COL_UNREGISTERED))
		                                           : clean(h->asset);
		cells[i][6] = clean(h->vendor);
		for (int c = 0; c < NC; c++) {
			/* Keep the table on a wide terminal: long names are cut. */
			if (c >= 3 && width(cells[i][c]) > 28) {
				char *s = cells[i][c];
				size_t cut = 0;
				int cw = 0;
				while (s[cut]) {
					unsigned cp;
					size_t l = utf8_len((unsigned char *)s + cut, &cp);
					if (!l || cw + cp_width(cp) > 27)
						break;
					cw += cp_width(cp);
					cut += l;
				}
				strcpy(s + cut, "~");
			}
			if (width(cells[i][c]) > w[c])
				w[c] = width(cells[i][c]);
		}
	}
	fputs(t->color ? C_BOLD : "", t->out);
	for (int c = 0; c < NC; c++) {
		fputs("  ", t->out);
		if (c == NC - 1)
			fputs(T(t, cols[c]), t->out);
		else
			cell(t->out, T(t, cols[c]), w[c]);
	}
	fprintf(t->out, "%s\n", t->color ? C_RESET : "");
	for (size_t i = 0; i < r->n_hosts; i++) {
		int unreg = r->hosts[i].managed == 0 && t->color;
		for (int c = 0; c < NC; c++) {
			fputs("  ", t->out);
			if (c == 5 && unreg)
				fputs(sev_color(2), t->out);
			if (c == NC - 1)
				fputs(cells[i][c], t->out);
			else
				cell(t->out, cells[i][c], w[c]);
			if (c == 5 && unreg)
				fputs(C_RESET, t->out);
			free(cells[i][c]);
		}
		fputc('\n', t->out);
	}
	free(cells);
}

int res_write_text(const struct result *r, FILE *out, const struct res_render_opts *o)
{
	struct txt t = {out, o ? o->lang : RES_LANG_EN, o ? o->color : 0};
	headline(&t, r);
	if (!r->policy_path)
		fprintf(out, "%s\n", T(&t, MSG_NO_POLICY));
	zones(&t, r);
	if (r->policy_path || r->n_violations) {
		by_severity(&t, r);
		findings(&t, r);
	}
	hosts_table(&t, r);
	return ferror(out) ? -1 : 0;
}

void res_write_summary(const struct result *r, FILE *out)
{
	struct res_render_opts o = {RES_LANG_EN, 0};
	res_write_text(r, out, &o);
}
