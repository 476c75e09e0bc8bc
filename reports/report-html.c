/*
 * reports/report-html.c - the audit report as one self-contained HTML file:
 * inline CSS and inline SVG, no script, no fetch, readable offline and on
 * paper. It is what a plant manager reads and an auditor files, so:
 *
 *  - the sections are always the same six, in the same order, with stable
 *    ids (summary, matrix, diagram, violations, inventory, scope), so this
 *    year's report can be laid next to last year's;
 *  - every number is also machine-readable: counts sit in elements with a
 *    stable id and a data-count attribute (id="count-hosts" ...), matrix
 *    cells carry data-src/data-dst/data-flows/data-violations/data-packets,
 *    so a test (tests/run-html.sh) can check them against the JSON;
 *  - every string from the result is escaped (host names come from the
 *    network and may be hostile), and invalid UTF-8 becomes U+FFFD;
 *  - words come from the catalogue (reports/i18n.h); lang="en" or "ja".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/htab.h"
#include "reports/i18n.h"
#include "reports/render.h"

struct html {
	FILE *out;
	enum res_lang lang;
	const struct result *r;
	struct res_zone_index **zi; /* res_violation_zones' index of r */
};

static const char *T(const struct html *h, enum msg_id id)
{
	return i18n(h->lang, id);
}

/* Escapes s for text and attribute values. */
void res_html_escape(FILE *out, const char *s)
{
	if (!s)
		return;
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		unsigned c = *u;
		if (c < 0x80) {
			switch (c) {
			case '&':
				fputs("&amp;", out);
				break;
			case '<':
				fputs("&lt;", out);
				break;
			case '>':
				fputs("&gt;", out);
				break;
			case '"':
				fputs("&quot;", out);
				break;
			case '\'':
				fputs("&#39;", out);
				break;
			default:
				if (c < 0x20 && c != '\n' && c != '\t')
					fputs("\xef\xbf\xbd", out);
				else
					fputc((int)c, out);
			}
			u++;
			continue;
		}
		size_t n = c >= 0xc2 && c <= 0xdf   ? 2
		           : c >= 0xe0 && c <= 0xef ? 3
		           : c >= 0xf0 && c <= 0xf4 ? 4
		                                    : 0;
		size_t ok = n;
		for (size_t i = 1; i < n && ok; i++)
			if ((u[i] & 0xc0) != 0x80)
				ok = 0;
		if (ok == 3 && ((c == 0xe0 && u[1] < 0xa0) || (c == 0xed && u[1] >= 0xa0)))
			ok = 0;
		if (ok == 4 && ((c == 0xf0 && u[1] < 0x90) || (c == 0xf4 && u[1] >= 0x90)))
			ok = 0;
		if (ok == 2 && c == 0xc2 && u[1] < 0xa0) /* C1 controls */
			ok = 0;
		if (!ok) {
			fputs("\xef\xbf\xbd", out);
			u++;
			continue;
		}
		fwrite(u, 1, ok, out);
		u += ok;
	}
}

/* Escaped text, or a dimmed dash when empty. */
static void esc_or_dash(FILE *out, const char *s)
{
	if (s && *s)
		res_html_escape(out, s);
	else
		fputs("<span class=\"muted\">&#8211;</span>", out);
}

/* <time datetime="ISO">2024-01-02 03:04:05</time>; a dash when unknown. */
static void put_time(FILE *out, ss_time t)
{
	if (t == SS_TIME_NONE) {
		fputs("<span class=\"muted\">&#8211;</span>", out);
		return;
	}
	char iso[SS_ISO_STRLEN], human[SS_ISO_STRLEN];
	ss_time_iso(t, iso);
	snprintf(human, sizeof(human), "%s", iso);
	char *p = strchr(human, 'T');
	if (p)
		*p = ' ';
	if ((p = strchr(human, '.')) || (p = strchr(human, 'Z')))
		*p = '\0';
	fprintf(out, "<time datetime=\"%s\">%s</time>", iso, human);
}

static void put_ip(FILE *out, const ss_ip *ip)
{
	if (!ip->family) {
		esc_or_dash(out, NULL);
		return;
	}
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	res_html_escape(out, b);
}

static const char *sev_class(const char *severity)
{
	static const char *const c[] = {"critical", "high", "medium", "low", "other"};
	return c[res_severity_rank(severity)];
}

static void badge(const struct html *h, const char *severity)
{
	fprintf(h->out, "<span class=\"badge sev-%s\">%s</span>", sev_class(severity),
	        T(h, i18n_severity_id(severity)));
}

static void count_span(FILE *out, const char *id, unsigned long long n)
{
	fprintf(out, "<span id=\"%s\" data-count=\"%llu\">%llu</span>", id, n, n);
}

static const char CSS[] =
    ":root{--ink:#1d2433;--muted:#6b7485;--line:#d9dee7;--bg:#f5f7fa;--navy:#1f2f4d;"
    "--crit:#a4161a;--crit-bg:#fbe3e4;--high:#c2410c;--high-bg:#ffedd5;--med:#a16207;"
    "--med-bg:#fef6d8;--low:#1d5fa8;--low-bg:#e3eefb;--ok:#1f7a3f;--ok-bg:#e2f3e7;"
    "--intra:#eef1f5}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"
    "'Segoe UI','Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',Meiryo,"
    "'Liberation Sans',sans-serif}\n"
    "header.cover{background:var(--navy);color:#fff;padding:28px 40px 24px}\n"
    "header.cover .brand{font-size:12px;letter-spacing:.16em;text-transform:uppercase;"
    "opacity:.75}\n"
    "header.cover h1{margin:4px 0 2px;font-size:26px;font-weight:650}\n"
    "header.cover .sub{opacity:.85;margin:0 0 14px}\n"
    "header.cover dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;"
    "font-size:13px}\n"
    "header.cover dt{opacity:.7}header.cover dd{margin:0}\n"
    "main{max-width:1180px;margin:0 auto;padding:8px 28px 32px}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:8px;margin:22px 0;"
    "padding:18px 24px 22px}\n"
    "h2{margin:0 0 14px;font-size:20px;color:var(--navy);border-bottom:2px solid var(--navy);"
    "padding-bottom:6px}\n"
    "h2 .num{display:inline-block;min-width:1.6em;color:#fff;background:var(--navy);"
    "border-radius:4px;text-align:center;margin-right:10px;font-size:16px;padding:0 4px}\n"
    "h3{font-size:15px;margin:18px 0 8px;color:var(--navy)}\n"
    ".muted{color:var(--muted)}\n"
    ".status{padding:10px 14px;border-radius:6px;font-weight:600;margin-bottom:14px;"
    "border-left:6px solid}\n"
    ".status-critical{background:var(--crit-bg);border-color:var(--crit);color:var(--crit)}\n"
    ".status-findings{background:var(--high-bg);border-color:var(--high);color:var(--high)}\n"
    ".status-clean{background:var(--ok-bg);border-color:var(--ok);color:var(--ok)}\n"
    ".status-nopolicy{background:var(--intra);border-color:var(--muted);color:var(--ink)}\n"
    ".kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:10px;margin-bottom:12px}\n"
    ".kpi{border:1px solid var(--line);border-radius:6px;padding:10px 12px;background:#fbfcfe}\n"
    ".kpi .v{display:block;font-size:26px;font-weight:700;line-height:1.1}\n"
    ".kpi .l{font-size:12px;color:var(--muted)}\n"
    ".kpi.alert .v{color:var(--crit)}\n"
    ".sevs{display:flex;gap:8px;flex-wrap:wrap;margin:4px 0 6px}\n"
    ".sevs .chip{border-radius:14px;padding:3px 12px;font-size:13px;font-weight:600}\n"
    ".badge{display:inline-block;border-radius:4px;padding:1px 7px;font-size:12px;"
    "font-weight:700;white-space:nowrap}\n"
    ".sev-critical{background:var(--crit);color:#fff}.sev-high{background:var(--high);"
    "color:#fff}\n"
    ".sev-medium{background:#e9b10a;color:#2b2100}.sev-low{background:var(--low);color:#fff}\n"
    ".sev-other{background:var(--muted);color:#fff}\n"
    ".chip.sev-critical,.chip.sev-high,.chip.sev-medium,.chip.sev-low{opacity:1}\n"
    ".chip.zero{background:var(--intra);color:var(--muted)}\n"
    "ul.exposed{margin:0;padding:0;list-style:none}\n"
    "ul.exposed li{padding:5px 0;border-bottom:1px solid var(--line);display:flex;gap:10px;"
    "align-items:center}\n"
    "ul.exposed .n{margin-left:auto;font-weight:700}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:#eef2f8;color:var(--navy);font-weight:650;border-bottom:2px solid "
    "#c5cedd}\n"
    "tbody tr:nth-child(even) td{background:#fafbfd}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".mono{font-family:'DejaVu Sans Mono',Consolas,monospace;font-size:12px}\n"
    ".small{font-size:12px}\n"
    "table.matrix th,table.matrix td{text-align:center;border:1px solid var(--line)}\n"
    "table.matrix th[scope=row]{text-align:left;background:#eef2f8}\n"
    "table.matrix td{min-width:92px;font-size:12px;line-height:1.35}\n"
    "table.matrix td.v-violation{background:var(--crit-bg);color:var(--crit)}\n"
    "table.matrix td.v-allowed{background:var(--ok-bg);color:var(--ok)}\n"
    "table.matrix td.v-intra_zone{background:var(--intra)}\n"
    "table.matrix td.v-none{color:#c0c6d0;background:#fff}\n"
    "table.matrix td b{font-size:15px}\n"
    ".legend{font-size:12px;color:var(--muted);margin-top:8px}\n"
    ".diagram svg{width:100%;height:auto;max-height:560px;display:block}\n"
    "article.finding{border:1px solid var(--line);border-left:6px solid var(--muted);"
    "border-radius:6px;padding:10px 14px;margin:0 0 12px;break-inside:avoid}\n"
    "article.finding.f-critical{border-left-color:var(--crit)}\n"
    "article.finding.f-high{border-left-color:var(--high)}\n"
    "article.finding.f-medium{border-left-color:#e9b10a}\n"
    "article.finding.f-low{border-left-color:var(--low)}\n"
    "article.finding h3{margin:0 0 6px;display:flex;gap:8px;align-items:center;"
    "flex-wrap:wrap;color:var(--ink)}\n"
    "article.finding h3 .idx{color:var(--muted);font-weight:600}\n"
    "article.finding h3 .prio{margin-left:auto;font-size:12px;color:var(--muted);"
    "font-weight:600}\n"
    "dl.ev{display:grid;grid-template-columns:repeat(4,max-content 1fr);gap:2px 10px;"
    "margin:6px 0;font-size:12.5px}\n"
    "dl.ev dt{color:var(--muted)}dl.ev dd{margin:0;overflow-wrap:anywhere}\n"
    "p.msg{margin:6px 0}p.fix{margin:6px 0;padding:6px 10px;background:#f1f6ff;"
    "border-radius:4px}\n"
    "p.fix b,p.orig b{color:var(--navy)}p.orig{margin:4px 0;font-size:12px;"
    "color:var(--muted)}\n"
    "table.worst td:first-child{white-space:nowrap}\n"
    "tr.unreg td{background:#fff7e0 !important}\n"
    "dl.scope{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}\n"
    "dl.scope dt{color:var(--muted)}dl.scope dd{margin:0;overflow-wrap:anywhere}\n"
    "footer{max-width:1180px;margin:0 auto 30px;padding:0 28px;color:var(--muted);"
    "font-size:12px}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{background:#fff;font-size:11px}main{max-width:none;padding:0}"
    "header.cover{padding:16px 20px}"
    "section{border:none;border-radius:0;padding:0;margin:0 0 12px;break-before:page}"
    "section#summary{break-before:auto}"
    "thead{display:table-header-group}tr,article.finding,.kpi{break-inside:avoid}"
    "h2,h3{break-after:avoid}table{font-size:10px}.kpis{grid-template-columns:repeat(6,1fr)}"
    "footer{padding:0}}\n"
    "@media (max-width:800px){.kpis{grid-template-columns:repeat(3,1fr)}"
    "dl.ev{grid-template-columns:max-content 1fr}}\n";

static void head(const struct html *h)
{
	const struct result *r = h->r;
	fprintf(h->out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
	        h->lang == RES_LANG_JA ? "ja" : "en");
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", h->out);
	fputs("<meta name=\"generator\" content=\"segscan ", h->out);
	res_html_escape(h->out, r->tool_version);
	fputs("\">\n<title>", h->out);
	res_html_escape(h->out, T(h, MSG_REPORT_TITLE));
	if (r->site) {
		fputs(" - ", h->out);
		res_html_escape(h->out, r->site);
	}
	fprintf(h->out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", CSS);
	fputs("<header class=\"cover\">\n<div class=\"brand\">segscan</div>\n<h1>", h->out);
	res_html_escape(h->out, T(h, MSG_REPORT_TITLE));
	fputs("</h1>\n<p class=\"sub\">", h->out);
	res_html_escape(h->out, T(h, MSG_REPORT_SUBTITLE));
	fputs("</p>\n<dl>\n", h->out);
	if (r->site) {
		fprintf(h->out, "<dt>%s</dt><dd id=\"site\">", T(h, MSG_SITE));
		res_html_escape(h->out, r->site);
		fputs("</dd>\n", h->out);
	}
	fprintf(h->out, "<dt>%s</dt><dd>", T(h, MSG_SCOPE_CAPTURE));
	put_time(h->out, r->capture_first);
	fputs(" &#8211; ", h->out);
	put_time(h->out, r->capture_last);
	fputs(" UTC</dd>\n", h->out);
	fprintf(h->out, "<dt>%s</dt><dd>", T(h, MSG_SCOPE_POLICY));
	esc_or_dash(h->out, r->policy_path);
	fputs("</dd>\n</dl>\n</header>\n<main>\n", h->out);
}

static void section_open(const struct html *h, const char *id, int num, enum msg_id title)
{
	fprintf(
	    h->out,
	    "<section id=\"%s\" data-section=\"%d\">\n<h2><span class=\"num\">%d</span>%s</h2>\n",
	    id, num, num, T(h, title));
}

/* Indices of the violations, most severe first (stable). */
static size_t *by_severity(const struct result *r)
{
	size_t *idx = xcalloc(r->n_violations + 1, sizeof(size_t));
	size_t n = 0;
	for (int rank = 0; rank <= 4; rank++)
		for (size_t i = 0; i < r->n_violations; i++)
			if (res_severity_rank(r->violations[i].severity) == rank)
				idx[n++] = i;
	return idx;
}

static void summary(const struct html *h)
{
	const struct result *r = h->r;
	FILE *out = h->out;
	section_open(h, "summary", 1, MSG_SEC_SUMMARY);
	size_t sev[5] = {0};
	for (size_t i = 0; i < r->n_violations; i++)
		sev[res_severity_rank(r->violations[i].severity)]++;
	const char *cls;
	enum msg_id st;
	if (!r->policy_path && !r->n_violations) {
		cls = "nopolicy";
		st = MSG_NO_POLICY;
	} else if (sev[0]) {
		cls = "critical";
		st = MSG_STATUS_CRITICAL;
	} else if (r->n_violations) {
		cls = "findings";
		st = MSG_STATUS_FINDINGS;
	} else {
		cls = "clean";
		st = MSG_STATUS_CLEAN;
	}
	fprintf(out, "<div class=\"status status-%s\">%s</div>\n", cls, T(h, st));

	size_t unreg = res_count_unregistered(r);
	struct {
		const char *id;
		enum msg_id label;
		unsigned long long n;
		int alert;
	} kpi[] = {
	    {"count-hosts", MSG_COUNT_HOSTS, r->n_hosts, 0},
	    {"count-unregistered", MSG_COUNT_UNREGISTERED, unreg, unreg > 0},
	    {"count-flows", MSG_COUNT_FLOWS, r->n_flows, 0},
	    {"count-cross-zone", MSG_COUNT_CROSS_ZONE, res_count_cross_zone(r), 0},
	    {"count-violations", MSG_COUNT_VIOLATIONS, r->n_violations, r->n_violations > 0},
	    {"count-packets", MSG_COUNT_PACKETS, (unsigned long long)r->stats.packets, 0},
	};
	fputs("<div class=\"kpis\">\n", out);
	for (size_t k = 0; k < sizeof(kpi) / sizeof(kpi[0]); k++) {
		fprintf(out, "<div class=\"kpi%s\"><span class=\"v\">",
		        kpi[k].alert ? " alert" : "");
		count_span(out, kpi[k].id, kpi[k].n);
		fprintf(out, "</span><span class=\"l\">%s</span></div>\n", T(h, kpi[k].label));
	}
	fputs("</div>\n<div class=\"sevs\">\n", out);
	static const char *const sevname[] = {"critical", "high", "medium", "low", "other"};
	for (int k = 0; k < 5; k++) {
		if (k == 4 && !sev[4])
			break;
		char id[40];
		snprintf(id, sizeof(id), "count-severity-%s", sevname[k]);
		fprintf(out, "<span class=\"chip %s\">%s ",
		        sev[k] ? (k == 0   ? "sev-critical"
		                  : k == 1 ? "sev-high"
		                  : k == 2 ? "sev-medium"
		                  : k == 3 ? "sev-low"
		                           : "sev-other")
		               : "zero",
		        T(h, k < 4 ? i18n_severity_id(sevname[k]) : MSG_SEV_OTHER));
		count_span(out, id, sev[k]);
		fputs("</span>\n", out);
	}
	fputs("</div>\n", out);

	/* What is exposed: one line per violation type, worst severity first. */
	if (r->n_violations) {
		fprintf(out, "<h3>%s</h3>\n<ul class=\"exposed\">\n", T(h, MSG_SUM_EXPOSED));
		size_t *idx = by_severity(r);
		/* Types in the order they first appear, worst first, with their
		 * counts: interned (equal strings, one pointer), then grouped
		 * by pointer in one pass. */
		struct result *pool = res_new("types");
		struct ss_htab *ix = ss_htab_new(sizeof(char *));
		size_t *first = xcalloc(r->n_violations, sizeof(*first));
		size_t *count = xcalloc(r->n_violations, sizeof(*count));
		for (size_t i = 0; i < r->n_violations; i++) {
			const char *t = res_intern(pool, r->violations[idx[i]].type);
			int created;
			size_t k = ss_htab_intern(ix, &t, &created);
			if (created)
				first[k] = idx[i];
			count[k]++;
		}
		for (size_t k = 0; k < ss_htab_count(ix); k++) {
			const struct res_violation *v = &r->violations[first[k]];
			size_t n = count[k];
			fputs("<li>", out);
			badge(h, v->severity);
			fprintf(out, "<span>%s</span><span class=\"n\" data-type=\"",
			        T(h, i18n_vtype_id(v->type)));
			res_html_escape(out, v->type);
			fprintf(out, "\" data-count=\"%zu\">%zu</span></li>\n", n, n);
		}
		fputs("</ul>\n", out);
		free(first);
		free(count);
		ss_htab_free(ix);
		res_free(pool);

		enum { WORST = 5 };
		fprintf(out,
		        "<h3>%s</h3>\n<table "
		        "class=\"worst\">\n<thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></"
		        "thead>\n<tbody>\n",
		        T(h, MSG_SUM_WORST), T(h, MSG_PRIORITY), T(h, MSG_COL_FINDING),
		        T(h, MSG_COL_FIX));
		for (size_t i = 0; i < r->n_violations && i < WORST; i++) {
			const struct res_violation *v = &r->violations[idx[i]];
			char *msg, *fix;
			i18n_violation_text(r, h->zi, v, h->lang, &msg, &fix);
			fputs("<tr><td>", out);
			badge(h, v->severity);
			fprintf(out, "<div class=\"small\">%s</div></td><td><b>%s</b><br>",
			        T(h, i18n_priority_id(v->severity)), T(h, i18n_vtype_id(v->type)));
			res_html_escape(out, msg);
			fprintf(out, " <a href=\"#v-%zu\">#%zu</a></td><td>", idx[i] + 1,
			        idx[i] + 1);
			res_html_escape(out, fix);
			fputs("</td></tr>\n", out);
			free(msg);
			free(fix);
		}
		fputs("</tbody>\n</table>\n", out);
		if (r->n_violations > WORST) {
			char more[24];
			snprintf(more, sizeof(more), "%zu", r->n_violations - WORST);
			static const char *const k[] = {"n"};
			const char *vals[] = {more};
			char *s = i18n_fmt(h->lang, MSG_SUM_MORE, k, vals, 1);
			fprintf(out, "<p class=\"muted\">%s</p>\n", s);
			free(s);
		}
		free(idx);
	}
	fputs("</section>\n", out);
}

/* The zones to draw: every zone of a host or of a flow, declared zones
 * alphabetically, then the built-in unassigned and internet. */
struct zones {
	const char **name;
	size_t n;
};

static int zone_rank(const char *z)
{
	return !strcmp(z, "internet") ? 2 : !strcmp(z, "unassigned") ? 1 : 0;
}

static int cmp_zone(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = zone_rank(x), ry = zone_rank(y);
	return rx != ry ? rx - ry : strcmp(x, y);
}

static void zone_add(struct zones *z, const char *name)
{
	if (!name)
		return;
	for (size_t i = 0; i < z->n; i++)
		if (!strcmp(z->name[i], name))
			return;
	z->name[z->n++] = name;
}

static size_t zone_index(const struct zones *z, const char *name)
{
	for (size_t i = 0; i < z->n; i++)
		if (name && !strcmp(z->name[i], name))
			return i;
	return z->n;
}

static struct zones zones_of(const struct result *r)
{
	struct zones z = {xcalloc(r->n_hosts + 2 * r->n_flows + 1, sizeof(char *)), 0};
	for (size_t i = 0; i < r->n_hosts; i++)
		zone_add(&z, r->hosts[i].zone);
	for (size_t i = 0; i < r->n_flows; i++)
		if (r->flows[i].src_zone && r->flows[i].dst_zone) {
			zone_add(&z, r->flows[i].src_zone);
			zone_add(&z, r->flows[i].dst_zone);
		}
	qsort(z.name, z.n, sizeof(char *), cmp_zone);
	return z;
}

struct cell {
	size_t flows, violations, allowed;
	uint64_t packets;
};

static struct cell *matrix_cells(const struct result *r, const struct zones *z)
{
	struct cell *m = xcalloc(z->n * z->n + 1, sizeof(*m));
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct res_flow *f = &r->flows[i];
		size_t a = zone_index(z, f->src_zone), b = zone_index(z, f->dst_zone);
		if (a == z->n || b == z->n)
			continue;
		struct cell *c = &m[a * z->n + b];
		c->flows++;
		c->packets += f->packets;
		if (f->verdict && !strcmp(f->verdict, "violation"))
			c->violations++;
		else if (f->verdict && !strcmp(f->verdict, "allowed"))
			c->allowed++;
	}
	return m;
}

static void matrix(const struct html *h, const struct zones *z, const struct cell *m)
{
	FILE *out = h->out;
	section_open(h, "matrix", 2, MSG_SEC_MATRIX);
	if (!z->n) {
		fprintf(out, "<p class=\"muted\">%s</p>\n</section>\n", T(h, MSG_NO_ZONE_TRAFFIC));
		return;
	}
	fprintf(out, "<table class=\"matrix\">\n<thead><tr><th>%s</th>", T(h, MSG_MATRIX_CORNER));
	for (size_t b = 0; b < z->n; b++) {
		fputs("<th scope=\"col\">", out);
		res_html_escape(out, z->name[b]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t a = 0; a < z->n; a++) {
		fputs("<tr><th scope=\"row\">", out);
		res_html_escape(out, z->name[a]);
		fputs("</th>", out);
		for (size_t b = 0; b < z->n; b++) {
			const struct cell *c = &m[a * z->n + b];
			const char *v = !c->flows       ? "none"
			                : c->violations ? "violation"
			                : c->allowed    ? "allowed"
			                                : "intra_zone";
			fprintf(out, "<td class=\"v-%s\" data-src=\"", v);
			res_html_escape(out, z->name[a]);
			fputs("\" data-dst=\"", out);
			res_html_escape(out, z->name[b]);
			fprintf(
			    out,
			    "\" data-flows=\"%zu\" data-violations=\"%zu\" data-packets=\"%llu\">",
			    c->flows, c->violations, (unsigned long long)c->packets);
			if (!c->flows) {
				fputs("&#183;</td>", out);
				continue;
			}
			fprintf(out, "<b>%zu</b> %s", c->flows, T(h, MSG_MATRIX_FLOWS));
			if (c->violations)
				fprintf(out, "<br><b>%zu</b> %s", c->violations,
				        T(h, MSG_MATRIX_VIOLATIONS));
			else
				fprintf(out, "<br>%s", T(h, i18n_verdict_id(v)));
			fprintf(out, "<br><span class=\"muted\">%llu %s</span></td>",
			        (unsigned long long)c->packets, T(h, MSG_MATRIX_PACKETS));
		}
		fputs("</tr>\n", out);
	}
	fprintf(out, "</tbody>\n</table>\n<p class=\"legend\">%s</p>\n</section>\n",
	        T(h, MSG_MATRIX_LEGEND));
}

/* Where the line from the centre of a w x hh box towards (dx, dy) leaves it. */
static void box_edge(double cx, double cy, double w, double hh, double dx, double dy, double *x,
                     double *y)
{
	double sx = dx ? (w / 2) / fabs(dx) : 1e9, sy = dy ? (hh / 2) / fabs(dy) : 1e9;
	double s = sx < sy ? sx : sy;
	*x = cx + dx * s;
	*y = cy + dy * s;
}

static void diagram(const struct html *h, const struct zones *z, const struct cell *m)
{
	FILE *out = h->out;
	const struct result *r = h->r;
	section_open(h, "diagram", 3, MSG_SEC_DIAGRAM);
	if (!z->n) {
		fprintf(out, "<p class=\"muted\">%s</p>\n</section>\n", T(h, MSG_NO_ZONE_TRAFFIC));
		return;
	}
	const double W = 960, H = z->n <= 2 ? 260 : 520, BW = 150, BH = 58;
	double *x = xcalloc(z->n, sizeof(double)), *y = xcalloc(z->n, sizeof(double));
	for (size_t i = 0; i < z->n; i++) {
		/* On an ellipse, first zone at the top, clockwise. */
		double a = -M_PI / 2 + 2 * M_PI * (double)i / (double)z->n;
		x[i] = W / 2 + (z->n == 1 ? 0 : (W / 2 - BW / 2 - 30) * cos(a));
		y[i] = H / 2 + (z->n == 1 ? 0 : (H / 2 - BH / 2 - 22) * sin(a));
		if (z->n == 2)
			y[i] = H / 2;
	}
	fprintf(out,
	        "<div class=\"diagram\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
	        "%.0f %.0f\" "
	        "role=\"img\" aria-label=\"%s\">\n",
	        W, H, T(h, MSG_SEC_DIAGRAM));
	fputs("<defs>"
	      "<marker id=\"ah-bad\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
	      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" "
	      "fill=\"#a4161a\"/></marker>"
	      "<marker id=\"ah-ok\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
	      "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" "
	      "fill=\"#7d8796\"/></marker>"
	      "</defs>\n",
	      out);
	/* Arrows first, so the boxes sit on top of their ends. */
	for (size_t a = 0; a < z->n; a++)
		for (size_t b = 0; b < z->n; b++) {
			const struct cell *c = &m[a * z->n + b];
			if (a == b || !c->flows)
				continue;
			double dx = x[b] - x[a], dy = y[b] - y[a], len = sqrt(dx * dx + dy * dy);
			if (len < 1)
				continue;
			dx /= len;
			dy /= len;
			/* Two directions between the same zones: offset each to its right. */
			double off = m[b * z->n + a].flows ? 7 : 0, px = -dy * off, py = dx * off;
			double x1, y1, x2, y2;
			box_edge(x[a], y[a], BW + 8, BH + 8, dx, dy, &x1, &y1);
			box_edge(x[b], y[b], BW + 12, BH + 12, -dx, -dy, &x2, &y2);
			int bad = c->violations > 0;
			double sw = 1.6 + (c->flows > 6 ? 6 : (double)c->flows) * 0.45;
			fprintf(out, "<g class=\"edge%s\" data-src=\"", bad ? " violation" : "");
			res_html_escape(out, z->name[a]);
			fputs("\" data-dst=\"", out);
			res_html_escape(out, z->name[b]);
			fprintf(out,
			        "\" data-flows=\"%zu\" data-violations=\"%zu\"><line x1=\"%.1f\" "
			        "y1=\"%.1f\" x2=\"%.1f\" "
			        "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\" "
			        "marker-end=\"url(#%s)\"/>",
			        c->flows, c->violations, x1 + px, y1 + py, x2 + px, y2 + py,
			        bad ? "#a4161a" : "#7d8796", sw, bad ? "ah-bad" : "ah-ok");
			double lx = (x1 + x2) / 2 + px * 2.2, ly = (y1 + y2) / 2 + py * 2.2;
			char label[64];
			if (bad)
				snprintf(label, sizeof(label), "%zu / %zu \xe2\x9c\x95", c->flows,
				         c->violations);
			else
				snprintf(label, sizeof(label), "%zu", c->flows);
			double lw = 10 + 7.2 * (double)strlen(label);
			fprintf(out,
			        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" rx=\"9\" "
			        "fill=\"#fff\" "
			        "stroke=\"%s\" stroke-width=\"1\"/><text x=\"%.1f\" y=\"%.1f\" "
			        "text-anchor=\"middle\" "
			        "font-size=\"12\" font-weight=\"700\" fill=\"%s\">%s</text></g>\n",
			        lx - lw / 2, ly - 9, lw, bad ? "#a4161a" : "#7d8796", lx, ly + 4,
			        bad ? "#a4161a" : "#4a5568", label);
		}
	for (size_t i = 0; i < z->n; i++) {
		size_t hosts = 0, bad = 0;
		for (size_t k = 0; k < r->n_hosts; k++)
			if (r->hosts[k].zone && !strcmp(r->hosts[k].zone, z->name[i]))
				hosts++;
		for (size_t k = 0; k < z->n; k++)
			bad +=
			    m[i * z->n + k].violations + (k != i ? m[k * z->n + i].violations : 0);
		int builtin = zone_rank(z->name[i]) > 0;
		fputs("<g class=\"zone\" data-zone=\"", out);
		res_html_escape(out, z->name[i]);
		fprintf(out,
		        "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"8\" "
		        "fill=\"%s\" "
		        "stroke=\"%s\" stroke-width=\"%s\"%s/>",
		        x[i] - BW / 2, y[i] - BH / 2, BW, BH, builtin ? "#f3f4f6" : "#eaf0fa",
		        bad ? "#a4161a" : "#1f2f4d", bad ? "2.5" : "1.5",
		        builtin ? " stroke-dasharray=\"5 3\"" : "");
		/* Long names would overflow the box: cut at 18 characters. */
		char name[80];
		size_t n = 0, chars = 0;
		const char *s = z->name[i];
		while (s[n] && chars < 18 && n < sizeof(name) - 4) {
			size_t l = 1;
			while (s[n + l] && ((unsigned char)s[n + l] & 0xc0) == 0x80)
				l++;
			if (n + l >= sizeof(name) - 4)
				break;
			n += l;
			chars++;
		}
		memcpy(name, s, n);
		name[n] = '\0';
		if (s[n])
			strcat(name, "\xe2\x80\xa6");
		fprintf(out,
		        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"15\" "
		        "font-weight=\"700\" "
		        "fill=\"#1d2433\">",
		        x[i], y[i] - 3);
		res_html_escape(out, name);
		fprintf(
		    out,
		    "</text><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
		    "fill=\"#6b7485\">",
		    x[i], y[i] + 16);
		char nb[24];
		snprintf(nb, sizeof(nb), "%zu", hosts);
		static const char *const nk[] = {"n"};
		const char *nv[] = {nb};
		char *lbl = i18n_fmt(h->lang, MSG_DIAGRAM_HOSTS, nk, nv, 1);
		fprintf(out, "%s</text></g>\n", lbl);
		free(lbl);
	}
	fprintf(out, "</svg></div>\n<p class=\"legend\">%s</p>\n</section>\n",
	        T(h, MSG_DIAGRAM_LEGEND));
	free(x);
	free(y);
}

static void ev(FILE *out, const char *label)
{
	fprintf(out, "<dt>%s</dt><dd>", label);
}

static void violations(const struct html *h)
{
	FILE *out = h->out;
	const struct result *r = h->r;
	section_open(h, "violations", 4, MSG_SEC_VIOLATIONS);
	if (!r->n_violations)
		fprintf(out, "<p class=\"muted\">%s</p>\n",
		        T(h, r->policy_path ? MSG_NO_VIOLATIONS : MSG_NO_POLICY));
	for (size_t i = 0; i < r->n_violations; i++) {
		const struct res_violation *v = &r->violations[i];
		char *msg, *fix;
		i18n_violation_text(r, h->zi, v, h->lang, &msg, &fix);
		fprintf(out, "<article class=\"finding f-%s\" id=\"v-%zu\" data-type=\"",
		        sev_class(v->severity), i + 1);
		res_html_escape(out, v->type);
		fputs("\" data-severity=\"", out);
		res_html_escape(out, v->severity);
		fprintf(out, "\">\n<h3><span class=\"idx\">#%zu</span>", i + 1);
		badge(h, v->severity);
		fprintf(out, "<span>%s</span><span class=\"prio\">%s: %s</span></h3>\n",
		        T(h, i18n_vtype_id(v->type)), T(h, MSG_PRIORITY),
		        T(h, i18n_priority_id(v->severity)));
		fputs("<p class=\"msg\">", out);
		res_html_escape(out, msg);
		fputs("</p>\n<dl class=\"ev\">", out);
		const char *sz, *dz;
		res_violation_zones(r, h->zi, v, &sz, &dz);
		char svc[32], mac[SS_MAC_STRLEN] = "";
		res_service_str(v->proto, v->dport, svc, sizeof(svc));
		if (v->has_mac)
			ss_mac_format(&v->mac, mac);
		ev(out, T(h, MSG_COL_SOURCE));
		fputs("<span class=\"mono\">", out);
		put_ip(out, &v->src);
		fputs("</span>", out);
		if (sz) {
			fputs(" <span class=\"muted\">(", out);
			res_html_escape(out, sz);
			fputs(")</span>", out);
		}
		fputs("</dd>", out);
		ev(out, T(h, MSG_COL_DESTINATION));
		fputs("<span class=\"mono\">", out);
		put_ip(out, &v->dst);
		fputs("</span>", out);
		if (dz && v->dst.family) {
			fputs(" <span class=\"muted\">(", out);
			res_html_escape(out, dz);
			fputs(")</span>", out);
		}
		fputs("</dd>", out);
		ev(out, T(h, MSG_COL_SERVICE));
		esc_or_dash(out, svc);
		fputs("</dd>", out);
		ev(out, T(h, MSG_COL_MAC));
		fputs("<span class=\"mono\">", out);
		esc_or_dash(out, mac);
		fputs("</span></dd>", out);
		ev(out, T(h, MSG_COL_RULE));
		esc_or_dash(out, v->rule);
		fputs("</dd>", out);
		ev(out, T(h, MSG_COL_COUNT));
		fprintf(out, "<span class=\"count\" data-count=\"%llu\">%llu</span></dd>",
		        (unsigned long long)v->count, (unsigned long long)v->count);
		ev(out, T(h, MSG_COL_FIRST_SEEN));
		put_time(out, v->first_seen);
		fputs("</dd>", out);
		ev(out, T(h, MSG_COL_LAST_SEEN));
		put_time(out, v->last_seen);
		fputs("</dd></dl>\n<p class=\"fix\"><b>", out);
		fputs(T(h, MSG_COL_FIX), out);
		fputs(":</b> ", out);
		res_html_escape(out, fix);
		fputs("</p>\n", out);
		if (h->lang != RES_LANG_EN && v->message && *v->message) {
			fprintf(out, "<p class=\"orig\"><b>%s:</b> ", T(h, MSG_COL_ORIGINAL));
			res_html_escape(out, v->message);
			if (v->fix && *v->fix) {
				fputs("<br>", out);
				res_html_escape(out, v->fix);
			}
			fputs("</p>\n", out);
		}
		fputs("</article>\n", out);
		free(msg);
		free(fix);
	}
	fputs("</section>\n", out);
}

static void inventory(const struct html *h)
{
	FILE *out = h->out;
	const struct result *r = h->r;
	section_open(h, "inventory", 5, MSG_SEC_INVENTORY);
	if (!r->n_hosts) {
		fprintf(out, "<p class=\"muted\">%s</p>\n</section>\n", T(h, MSG_NO_HOSTS));
		return;
	}
	fprintf(
	    out,
	    "<table class=\"inventory\">\n<thead><tr><th class=\"num\">#</th><th>%s</th><th>%s</th>"
	    "<th>%s / %s</th><th>%s</th><th>%s / %s</th><th>%s</th><th>%s</th><th>%s</th>"
	    "<th>%s / %s</th></tr></thead>\n<tbody>\n",
	    T(h, MSG_COL_ASSET), T(h, MSG_COL_ZONE), T(h, MSG_COL_ADDRESSES), T(h, MSG_COL_MAC),
	    T(h, MSG_COL_VENDOR), T(h, MSG_COL_CLASS), T(h, MSG_COL_OS), T(h, MSG_COL_PROTOCOLS),
	    T(h, MSG_COL_MANAGED), T(h, MSG_COL_OWNER), T(h, MSG_COL_FIRST_SEEN),
	    T(h, MSG_COL_LAST_SEEN));
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *x = &r->hosts[i];
		fprintf(out, "<tr class=\"host%s\"><td class=\"num\">%zu</td><td>",
		        x->managed == 0 ? " unreg" : "", i + 1);
		esc_or_dash(out, x->asset);
		if (x->hostname && *x->hostname) {
			fputs("<div class=\"small muted\">", out);
			res_html_escape(out, x->hostname);
			fputs("</div>", out);
		}
		fputs("</td><td>", out);
		esc_or_dash(out, x->zone);
		if (x->vlan >= 0)
			fprintf(out, "<div class=\"small muted\">VLAN %d</div>", x->vlan);
		fputs("</td><td class=\"mono\">", out);
		for (size_t k = 0; k < x->n_ips; k++) {
			char a[SS_IP_STRLEN];
			ss_ip_format(&x->ips[k], a);
			fprintf(out, "%s%s", k ? "<br>" : "", a);
		}
		if (x->has_mac) {
			char mac[SS_MAC_STRLEN];
			ss_mac_format(&x->mac, mac);
			fprintf(out, "<div class=\"muted\">%s</div>", mac);
		}
		fputs("</td><td>", out);
		esc_or_dash(out, x->vendor);
		fputs("</td><td>", out);
		const char *cls = x->device_class ? x->device_class
		                  : x->router     ? T(h, MSG_ROUTER)
		                                  : NULL;
		esc_or_dash(out, cls && strcmp(cls, "unknown") ? cls : NULL);
		if (x->os) {
			fputs("<div class=\"small muted\">", out);
			res_html_escape(out, x->os);
			fputs("</div>", out);
		}
		fputs("</td><td class=\"small\">", out);
		if (!x->protocols.n)
			esc_or_dash(out, NULL);
		for (size_t k = 0; k < x->protocols.n; k++) {
			if (k)
				fputs(", ", out);
			res_html_escape(out, x->protocols.v[k]);
		}
		fputs("</td><td>", out);
		if (x->managed == 0)
			fprintf(out, "<span class=\"badge sev-medium\">%s</span>",
			        T(h, MSG_MANAGED_NO));
		else
			fputs(T(h, x->managed > 0 ? MSG_MANAGED_YES : MSG_MANAGED_NA), out);
		fputs("</td><td>", out);
		esc_or_dash(out, x->owner);
		fputs("</td><td class=\"small\">", out);
		put_time(out, x->first_seen);
		fputs("<br>", out);
		put_time(out, x->last_seen);
		fputs("</td></tr>\n", out);
	}
	fputs("</tbody>\n</table>\n</section>\n", out);
}

static void scope(const struct html *h)
{
	FILE *out = h->out;
	const struct result *r = h->r;
	section_open(h, "scope", 6, MSG_SEC_SCOPE);
	fputs("<dl class=\"scope\">\n", out);
	fprintf(out, "<dt>%s</dt><dd>", T(h, MSG_SCOPE_INPUTS));
	if (!r->inputs.n)
		esc_or_dash(out, NULL);
	for (size_t i = 0; i < r->inputs.n; i++) {
		fputs(i ? "<br><span class=\"mono\">" : "<span class=\"mono\">", out);
		res_html_escape(out, r->inputs.v[i]);
		fputs("</span>", out);
	}
	fprintf(out, "</dd>\n<dt>%s</dt><dd>", T(h, MSG_SCOPE_MODE));
	esc_or_dash(out, r->mode);
	fprintf(out, "</dd>\n<dt>%s</dt><dd id=\"capture-span\">", T(h, MSG_SCOPE_CAPTURE));
	put_time(out, r->capture_first);
	fputs(" &#8211; ", out);
	put_time(out, r->capture_last);
	fprintf(out, "</dd>\n<dt>%s</dt><dd>", T(h, MSG_SCOPE_STARTED));
	put_time(out, r->started);
	fprintf(out, "</dd>\n<dt>%s</dt><dd>", T(h, MSG_SCOPE_ENDED));
	put_time(out, r->ended);
	fprintf(out, "</dd>\n<dt>%s</dt><dd class=\"mono\" id=\"policy-path\">",
	        T(h, MSG_SCOPE_POLICY));
	if (r->policy_path)
		res_html_escape(out, r->policy_path);
	else
		fputs(T(h, MSG_NONE), out);
	fprintf(out, "</dd>\n<dt>%s</dt><dd class=\"mono\" id=\"policy-sha256\">",
	        T(h, MSG_SCOPE_SHA256));
	esc_or_dash(out, r->policy_sha256);
	fprintf(out, "</dd>\n<dt>%s</dt><dd id=\"segscan-version\">", T(h, MSG_SCOPE_VERSION));
	esc_or_dash(out, r->tool_version);
	fputs("</dd>\n", out);
	const struct {
		enum msg_id label;
		const char *id;
		uint64_t v;
	} st[] = {
	    {MSG_SCOPE_PACKETS, "stat-packets", r->stats.packets},
	    {MSG_SCOPE_DECODED, "stat-decoded", r->stats.decoded},
	    {MSG_SCOPE_TRUNCATED, "stat-truncated", r->stats.truncated},
	    {MSG_SCOPE_MALFORMED, "stat-malformed", r->stats.malformed},
	    {MSG_SCOPE_UNSUPPORTED, "stat-unsupported", r->stats.unsupported},
	    {MSG_SCOPE_NON_IP, "stat-non-ip", r->stats.non_ip},
	    {MSG_SCOPE_DROPPED, "stat-dropped", r->stats.dropped},
	};
	for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		fprintf(out, "<dt>%s</dt><dd>", T(h, st[i].label));
		count_span(out, st[i].id, (unsigned long long)st[i].v);
		fputs("</dd>\n", out);
	}
	fprintf(out, "</dl>\n<p class=\"legend\">%s</p>\n</section>\n", T(h, MSG_SCOPE_TIMEZONE));
}

int res_write_html(const struct result *r, FILE *out, const struct res_render_opts *o)
{
	struct res_zone_index *zi = NULL;
	struct html h = {out, o ? o->lang : RES_LANG_EN, r, &zi};
	head(&h);
	summary(&h);
	struct zones z = zones_of(r);
	struct cell *m = matrix_cells(r, &z);
	matrix(&h, &z, m);
	diagram(&h, &z, m);
	free(m);
	free(z.name);
	violations(&h);
	inventory(&h);
	scope(&h);
	static const char *const k[] = {"version"};
	const char *v[] = {r->tool_version};
	char *gen = i18n_fmt(h.lang, MSG_GENERATED_BY, k, v, 1);
	fputs("</main>\n<footer>", out);
	res_html_escape(out, gen);
	fputs("</footer>\n</body>\n</html>\n", out);
	free(gen);
	res_zone_index_free(zi);
	return ferror(out) ? -1 : 0;
}
