/*
 * diff/diff-render.c - the three diffs of diff/diff.h written as
 * text (for the terminal and mail), JSON (for scripts) and HTML (one
 * self-contained page, no scripts, no fetches).
 *
 * Each format shows the same sections in the same order, so a reader can
 * go from one to the other. Empty sections are shown as empty ("none"),
 * not left out: "no new hosts" is a finding too.
 */
#include <jansson.h>
#include <string.h>

#include "diff/diff.h"
#include "model/json-value.h"
#include "reports/render.h"

int diff_format_parse(const char *s, enum diff_format *out)
{
	if (!s)
		return -1;
	if (strcmp(s, "text") == 0)
		*out = DIFF_FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = DIFF_FMT_JSON;
	else if (strcmp(s, "html") == 0)
		*out = DIFF_FMT_HTML;
	else
		return -1;
	return 0;
}

/* ---- small formatting helpers ---- */

static const char *ip_str(const ss_ip *ip, char b[SS_IP_STRLEN])
{
	if (!ip->family)
		return "-";
	ss_ip_format(ip, b);
	return b;
}

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static const char *time_str(ss_time t, char b[SS_ISO_STRLEN])
{
	if (t == SS_TIME_NONE)
		return "-";
	ss_time_iso(t, b);
	return b;
}

/* "00:1b:1b:50:00:20 192.168.50.20, fd00::20" or "192.168.77.7". */
static void host_label(const struct res_host *h, char *out, size_t sz)
{
	size_t n = 0;
	out[0] = '\0';
	if (h->has_mac) {
		char m[SS_MAC_STRLEN];
		ss_mac_format(&h->mac, m);
		n = (size_t)snprintf(out, sz, "%s", m);
	}
	for (size_t i = 0; i < h->n_ips && n + 1 < sz; i++) {
		char b[SS_IP_STRLEN];
		ss_ip_format(&h->ips[i], b);
		n += (size_t)snprintf(out + n, sz - n, "%s%s", i ? ", " : n ? " " : "", b);
	}
	if (!out[0])
		snprintf(out, sz, "(no address)");
}

/* "10.10.1.12 -> 192.168.50.20 tcp/502". */
static void flow_label(const ss_ip *src, const ss_ip *dst, uint8_t proto, uint16_t dport, char *out,
                       size_t sz)
{
	char a[SS_IP_STRLEN], b[SS_IP_STRLEN], p[8];
	const char *pn = res_proto_name(proto, p);
	if (proto == 6 || proto == 17 || proto == 132)
		snprintf(out, sz, "%s -> %s %s/%u", ip_str(src, a), ip_str(dst, b), pn,
		         (unsigned)dport);
	else if (proto)
		snprintf(out, sz, "%s -> %s %s", ip_str(src, a), ip_str(dst, b), pn);
	else if (dst->family)
		snprintf(out, sz, "%s -> %s", ip_str(src, a), ip_str(dst, b));
	else
		snprintf(out, sz, "%s", ip_str(src, a));
}

static void violation_label(const struct res_violation *v, char *out, size_t sz)
{
	char fl[160];
	flow_label(&v->src, &v->dst, v->proto, v->dport, fl, sizeof(fl));
	if (v->has_mac) {
		char m[SS_MAC_STRLEN];
		ss_mac_format(&v->mac, m);
		snprintf(out, sz, "[%s] %s %s (MAC %s)", dash(v->severity), dash(v->type), fl, m);
	} else {
		snprintf(out, sz, "[%s] %s %s", dash(v->severity), dash(v->type), fl);
	}
}

/* "violation (unallowed_flow)" / "allowed by 'office web'" / "intra_zone". */
static void decision_label(const struct pol_decision *d, char *out, size_t sz)
{
	const char *v = pol_verdict_name(d->verdict);
	if (d->verdict == POL_VERDICT_VIOLATION)
		snprintf(out, sz, "%s (%s%s%s%s)", v, pol_vtype_name(d->vtype),
		         d->rule ? ", rule '" : "", d->rule ? d->rule : "", d->rule ? "'" : "");
	else if (d->rule)
		snprintf(out, sz, "%s by rule '%s'", v, d->rule);
	else
		snprintf(out, sz, "%s", v);
}

static const char *scan_label(const struct result *r, char *out, size_t sz)
{
	char t[SS_ISO_STRLEN];
	snprintf(out, sz, "%s%s%s%s (%zu hosts, %zu flows, %zu violations)",
	         r->inputs.n ? r->inputs.v[0] : "?", r->inputs.n > 1 ? " +more" : "",
	         r->started != SS_TIME_NONE ? ", scanned " : "",
	         r->started != SS_TIME_NONE ? time_str(r->started, t) : "", r->n_hosts, r->n_flows,
	         r->n_violations);
	return out;
}

/* ---- JSON helpers ---- */

static json_t *jhost(const struct res_host *h)
{
	json_t *o = json_object();
	char m[SS_MAC_STRLEN];
	if (h->has_mac)
		ss_mac_format(&h->mac, m);
	json_object_set_new(o, "mac", h->has_mac ? json_string(m) : json_null());
	json_t *ips = json_array();
	for (size_t i = 0; i < h->n_ips; i++)
		json_array_append_new(ips, rj_ip(&h->ips[i]));
	json_object_set_new(o, "ips", ips);
	json_object_set_new(o, "vendor", rj_str(h->vendor));
	json_object_set_new(o, "hostname", rj_str(h->hostname));
	json_object_set_new(o, "device_class", rj_str(h->device_class));
	json_object_set_new(o, "zone", rj_str(h->zone));
	json_object_set_new(o, "asset", rj_str(h->asset));
	json_object_set_new(o, "first_seen", rj_time(h->first_seen));
	json_object_set_new(o, "last_seen", rj_time(h->last_seen));
	return o;
}

static json_t *jflow(const struct res_flow *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "src", rj_ip(&f->src));
	json_object_set_new(o, "dst", rj_ip(&f->dst));
	json_object_set_new(o, "proto", rj_proto(f->proto));
	json_object_set_new(o, "dport", json_integer(f->dport));
	json_object_set_new(o, "app", rj_str(f->app));
	json_object_set_new(o, "src_zone", rj_str(f->src_zone));
	json_object_set_new(o, "dst_zone", rj_str(f->dst_zone));
	json_object_set_new(o, "packets", json_integer((json_int_t)f->packets));
	json_object_set_new(o, "first_seen", rj_time(f->first_seen));
	json_object_set_new(o, "last_seen", rj_time(f->last_seen));
	json_object_set_new(o, "verdict", rj_str(f->verdict));
	json_object_set_new(o, "rule", rj_str(f->rule));
	return o;
}

static json_t *jviolation(const struct res_violation *v)
{
	json_t *o = json_object();
	char m[SS_MAC_STRLEN];
	if (v->has_mac)
		ss_mac_format(&v->mac, m);
	json_object_set_new(o, "type", rj_str(v->type));
	json_object_set_new(o, "severity", rj_str(v->severity));
	json_object_set_new(o, "src", rj_ip(&v->src));
	json_object_set_new(o, "dst", rj_ip(&v->dst));
	json_object_set_new(o, "proto", rj_proto(v->proto));
	json_object_set_new(o, "dport", v->proto ? json_integer(v->dport) : json_null());
	json_object_set_new(o, "mac", v->has_mac ? json_string(m) : json_null());
	json_object_set_new(o, "rule", rj_str(v->rule));
	json_object_set_new(o, "count", json_integer((json_int_t)v->count));
	json_object_set_new(o, "first_seen", rj_time(v->first_seen));
	json_object_set_new(o, "last_seen", rj_time(v->last_seen));
	json_object_set_new(o, "message", rj_str(v->message));
	json_object_set_new(o, "fix", rj_str(v->fix));
	return o;
}

static json_t *jscan(const struct result *r)
{
	json_t *o = json_object();
	json_t *in = json_array();
	for (size_t i = 0; i < r->inputs.n; i++)
		json_array_append_new(in, rj_str(r->inputs.v[i]));
	json_object_set_new(o, "mode", rj_str(r->mode));
	json_object_set_new(o, "started", rj_time(r->started));
	json_object_set_new(o, "ended", rj_time(r->ended));
	json_object_set_new(o, "inputs", in);
	json_object_set_new(o, "policy_sha256", rj_str(r->policy_sha256));
	return o;
}

static json_t *jdecision(const struct pol_decision *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "verdict", json_string(pol_verdict_name(d->verdict)));
	json_object_set_new(o, "type",
	                    d->verdict == POL_VERDICT_VIOLATION
	                        ? json_string(pol_vtype_name(d->vtype))
	                        : json_null());
	json_object_set_new(o, "severity",
	                    d->verdict == POL_VERDICT_VIOLATION
	                        ? json_string(pol_severity_name(d->severity))
	                        : json_null());
	json_object_set_new(o, "rule", rj_str(d->rule));
	json_object_set_new(o, "src_zone", rj_str(d->src_zone));
	json_object_set_new(o, "dst_zone", rj_str(d->dst_zone));
	return o;
}

static int jdump(json_t *root, FILE *out)
{
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc == 0 && !ferror(out) ? 0 : -1;
}

/* ---- HTML helpers ---- */

/* HTML-escaped text, "-" for none. */
static void h_esc(FILE *out, const char *s)
{
	if (!s)
		fputs("-", out);
	else
		res_html_escape(out, s);
}

static void h_head(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
	h_esc(out, title);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;color:#222}\n"
	      "table{border-collapse:collapse;margin:.5em 0 1.5em}\n"
	      "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}\n"
	      "th{background:#eee}\n"
	      ".add{color:#060}.del{color:#a00}.chg{color:#850}\n"
	      "pre{background:#f6f6f6;border:1px solid #ccc;padding:1em;white-space:pre-wrap}\n"
	      ".note{color:#555}\n"
	      "</style></head><body>\n<h1>",
	      out);
	h_esc(out, title);
	fputs("</h1>\n", out);
}

static int h_tail(FILE *out)
{
	fprintf(out, "<p class=\"note\">segscan %s</p>\n</body></html>\n", SEGSCAN_VERSION);
	return ferror(out) ? -1 : 0;
}

/* <h2>title (n)</h2> and, when n is 0, "none". Returns n. */
static size_t h_section(FILE *out, const char *title, size_t n)
{
	fprintf(out, "<h2>");
	h_esc(out, title);
	fprintf(out, " (%zu)</h2>\n", n);
	if (!n)
		fputs("<p class=\"note\">none</p>\n", out);
	return n;
}

static void h_row(FILE *out, const char *cls, const char *const *cells, size_t n)
{
	fputs("<tr>", out);
	for (size_t i = 0; i < n; i++) {
		if (cls)
			fprintf(out, "<td class=\"%s\">", cls);
		else
			fputs("<td>", out);
		h_esc(out, cells[i]);
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
}

static void h_table(FILE *out, const char *const *heads, size_t n)
{
	fputs("<table><tr>", out);
	for (size_t i = 0; i < n; i++) {
		fputs("<th>", out);
		h_esc(out, heads[i]);
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
}

/* ---- drift ---- */

static void text_host(FILE *out, char mark, const struct res_host *h)
{
	char lab[512];
	host_label(h, lab, sizeof(lab));
	fprintf(out, "  %c %s  vendor %s  class %s  zone %s  asset %s\n", mark, lab,
	        dash(h->vendor), dash(h->device_class), dash(h->zone), dash(h->asset));
}

static void text_flow(FILE *out, char mark, const struct res_flow *f)
{
	char lab[160];
	flow_label(&f->src, &f->dst, f->proto, f->dport, lab, sizeof(lab));
	fprintf(out, "  %c %s%s%s  %s -> %s  %s%s%s  %llu packets\n", mark, lab, f->app ? " " : "",
	        f->app ? f->app : "", dash(f->src_zone), dash(f->dst_zone), dash(f->verdict),
	        f->rule ? " by " : "", f->rule ? f->rule : "", (unsigned long long)f->packets);
}

static void text_violation(FILE *out, char mark, const struct res_violation *v)
{
	char lab[256];
	violation_label(v, lab, sizeof(lab));
	fprintf(out, "  %c %s: %s\n", mark, lab, dash(v->message));
}

static int drift_text(const struct diff_drift *d, FILE *out)
{
	char a[512], b[512];
	fprintf(out, "segscan diff\n  old: %s\n  new: %s\n\n", scan_label(d->old_r, a, sizeof(a)),
	        scan_label(d->new_r, b, sizeof(b)));
	fprintf(out, "hosts:      %zu new, %zu gone, %zu changed\n", d->n_hosts_new,
	        d->n_hosts_gone, d->n_hosts_changed);
	fprintf(out, "flows:      %zu new, %zu gone\n", d->n_flows_new, d->n_flows_gone);
	fprintf(out, "violations: %zu new, %zu resolved\n", d->n_viol_new, d->n_viol_resolved);
	if (!diff_drift_count(d)) {
		fputs("\nNo differences.\n", out);
		return ferror(out) ? -1 : 0;
	}
	if (d->n_hosts_new)
		fputs("\nNew hosts:\n", out);
	for (size_t i = 0; i < d->n_hosts_new; i++)
		text_host(out, '+', d->hosts_new[i]);
	if (d->n_hosts_gone)
		fputs("\nGone hosts:\n", out);
	for (size_t i = 0; i < d->n_hosts_gone; i++)
		text_host(out, '-', d->hosts_gone[i]);
	if (d->n_hosts_changed)
		fputs("\nChanged hosts:\n", out);
	for (size_t i = 0; i < d->n_hosts_changed; i++) {
		const struct diff_host_change *c = &d->hosts_changed[i];
		host_label(c->new_host, a, sizeof(a));
		fprintf(out, "  ~ %s\n", a);
		for (size_t k = 0; k < c->n_fields; k++)
			fprintf(out, "      %s: %s -> %s\n", c->fields[k].field, c->fields[k].from,
			        c->fields[k].to);
	}
	if (d->n_flows_new)
		fputs("\nNew flows:\n", out);
	for (size_t i = 0; i < d->n_flows_new; i++)
		text_flow(out, '+', d->flows_new[i]);
	if (d->n_flows_gone)
		fputs("\nGone flows:\n", out);
	for (size_t i = 0; i < d->n_flows_gone; i++)
		text_flow(out, '-', d->flows_gone[i]);
	if (d->n_viol_new)
		fputs("\nNew violations:\n", out);
	for (size_t i = 0; i < d->n_viol_new; i++)
		text_violation(out, '+', d->viol_new[i]);
	if (d->n_viol_resolved)
		fputs("\nResolved violations:\n", out);
	for (size_t i = 0; i < d->n_viol_resolved; i++)
		text_violation(out, '-', d->viol_resolved[i]);
	return ferror(out) ? -1 : 0;
}

static json_t *jhosts(const struct res_host *const *h, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, jhost(h[i]));
	return a;
}

static json_t *jflows(const struct res_flow *const *f, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, jflow(f[i]));
	return a;
}

static json_t *jviolations(const struct res_violation *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, jviolation(v[i]));
	return a;
}

static int drift_json(const struct diff_drift *d, FILE *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "diff", json_string("drift"));
	json_object_set_new(root, "old", jscan(d->old_r));
	json_object_set_new(root, "new", jscan(d->new_r));
	json_t *sum = json_object();
	json_object_set_new(sum, "hosts_new", json_integer((json_int_t)d->n_hosts_new));
	json_object_set_new(sum, "hosts_gone", json_integer((json_int_t)d->n_hosts_gone));
	json_object_set_new(sum, "hosts_changed", json_integer((json_int_t)d->n_hosts_changed));
	json_object_set_new(sum, "flows_new", json_integer((json_int_t)d->n_flows_new));
	json_object_set_new(sum, "flows_gone", json_integer((json_int_t)d->n_flows_gone));
	json_object_set_new(sum, "violations_new", json_integer((json_int_t)d->n_viol_new));
	json_object_set_new(sum, "violations_resolved",
	                    json_integer((json_int_t)d->n_viol_resolved));
	json_object_set_new(root, "summary", sum);

	json_t *hosts = json_object();
	json_object_set_new(hosts, "new", jhosts(d->hosts_new, d->n_hosts_new));
	json_object_set_new(hosts, "gone", jhosts(d->hosts_gone, d->n_hosts_gone));
	json_t *ch = json_array();
	for (size_t i = 0; i < d->n_hosts_changed; i++) {
		const struct diff_host_change *c = &d->hosts_changed[i];
		json_t *o = jhost(c->new_host);
		json_t *fa = json_array();
		for (size_t k = 0; k < c->n_fields; k++) {
			json_t *f = json_object();
			const struct diff_field *df = &c->fields[k];
			json_object_set_new(f, "field", json_string(df->field));
			json_object_set_new(f, "from",
			                    strcmp(df->from, "-") ? rj_str(df->from) : json_null());
			json_object_set_new(f, "to",
			                    strcmp(df->to, "-") ? rj_str(df->to) : json_null());
			json_array_append_new(fa, f);
		}
		json_object_set_new(o, "changes", fa);
		json_array_append_new(ch, o);
	}
	json_object_set_new(hosts, "changed", ch);
	json_object_set_new(root, "hosts", hosts);

	json_t *flows = json_object();
	json_object_set_new(flows, "new", jflows(d->flows_new, d->n_flows_new));
	json_object_set_new(flows, "gone", jflows(d->flows_gone, d->n_flows_gone));
	json_object_set_new(root, "flows", flows);
	json_t *viol = json_object();
	json_object_set_new(viol, "new", jviolations(d->viol_new, d->n_viol_new));
	json_object_set_new(viol, "resolved", jviolations(d->viol_resolved, d->n_viol_resolved));
	json_object_set_new(root, "violations", viol);
	return jdump(root, out);
}

static void html_hosts(FILE *out, const char *title, const char *cls,
                       const struct res_host *const *h, size_t n)
{
	static const char *const heads[] = {"MAC", "addresses", "vendor", "class", "zone", "asset"};
	if (!h_section(out, title, n))
		return;
	h_table(out, heads, 6);
	for (size_t i = 0; i < n; i++) {
		char m[SS_MAC_STRLEN] = "-", ips[512];
		if (h[i]->has_mac)
			ss_mac_format(&h[i]->mac, m);
		struct res_host tmp = *h[i];
		tmp.has_mac = 0;
		host_label(&tmp, ips, sizeof(ips));
		const char *cells[] = {m,
		                       ips,
		                       dash(h[i]->vendor),
		                       dash(h[i]->device_class),
		                       dash(h[i]->zone),
		                       dash(h[i]->asset)};
		h_row(out, cls, cells, 6);
	}
	fputs("</table>\n", out);
}

static void html_flows(FILE *out, const char *title, const char *cls,
                       const struct res_flow *const *f, size_t n)
{
	static const char *const heads[] = {"flow", "app", "zones", "verdict", "rule", "packets"};
	if (!h_section(out, title, n))
		return;
	h_table(out, heads, 6);
	for (size_t i = 0; i < n; i++) {
		char lab[160], zones[160], pk[32];
		flow_label(&f[i]->src, &f[i]->dst, f[i]->proto, f[i]->dport, lab, sizeof(lab));
		snprintf(zones, sizeof(zones), "%s -> %s", dash(f[i]->src_zone),
		         dash(f[i]->dst_zone));
		snprintf(pk, sizeof(pk), "%llu", (unsigned long long)f[i]->packets);
		const char *cells[] = {
		    lab, dash(f[i]->app), zones, dash(f[i]->verdict), dash(f[i]->rule), pk};
		h_row(out, cls, cells, 6);
	}
	fputs("</table>\n", out);
}

static void html_violations(FILE *out, const char *title, const char *cls,
                            const struct res_violation *const *v, size_t n)
{
	static const char *const heads[] = {"severity", "type",    "where", "rule",
	                                    "count",    "message", "fix"};
	if (!h_section(out, title, n))
		return;
	h_table(out, heads, 7);
	for (size_t i = 0; i < n; i++) {
		char lab[160], cnt[32];
		flow_label(&v[i]->src, &v[i]->dst, v[i]->proto, v[i]->dport, lab, sizeof(lab));
		snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)v[i]->count);
		const char *cells[] = {
		    dash(v[i]->severity), dash(v[i]->type), lab, dash(v[i]->rule), cnt,
		    dash(v[i]->message),  dash(v[i]->fix)};
		h_row(out, cls, cells, 7);
	}
	fputs("</table>\n", out);
}

static int drift_html(const struct diff_drift *d, FILE *out)
{
	char a[512], b[512];
	h_head(out, "segscan diff: what changed between two scans");
	fputs("<table>", out);
	fputs("<tr><th>old</th><td>", out);
	h_esc(out, scan_label(d->old_r, a, sizeof(a)));
	fputs("</td></tr><tr><th>new</th><td>", out);
	h_esc(out, scan_label(d->new_r, b, sizeof(b)));
	fputs("</td></tr></table>\n", out);
	fprintf(out,
	        "<table><tr><th></th><th>new</th><th>gone / resolved</th><th>changed</th></tr>\n"
	        "<tr><th>hosts</th><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n"
	        "<tr><th>flows</th><td>%zu</td><td>%zu</td><td></td></tr>\n"
	        "<tr><th>violations</th><td>%zu</td><td>%zu</td><td></td></tr></table>\n",
	        d->n_hosts_new, d->n_hosts_gone, d->n_hosts_changed, d->n_flows_new,
	        d->n_flows_gone, d->n_viol_new, d->n_viol_resolved);
	html_hosts(out, "New hosts", "add", d->hosts_new, d->n_hosts_new);
	html_hosts(out, "Gone hosts", "del", d->hosts_gone, d->n_hosts_gone);
	if (h_section(out, "Changed hosts", d->n_hosts_changed)) {
		static const char *const heads[] = {"host", "field", "from", "to"};
		h_table(out, heads, 4);
		for (size_t i = 0; i < d->n_hosts_changed; i++) {
			const struct diff_host_change *c = &d->hosts_changed[i];
			host_label(c->new_host, a, sizeof(a));
			for (size_t k = 0; k < c->n_fields; k++) {
				const char *cells[] = {k ? "" : a, c->fields[k].field,
				                       c->fields[k].from, c->fields[k].to};
				h_row(out, "chg", cells, 4);
			}
		}
		fputs("</table>\n", out);
	}
	html_flows(out, "New flows", "add", d->flows_new, d->n_flows_new);
	html_flows(out, "Gone flows", "del", d->flows_gone, d->n_flows_gone);
	html_violations(out, "New violations", "add", d->viol_new, d->n_viol_new);
	html_violations(out, "Resolved violations", "del", d->viol_resolved, d->n_viol_resolved);
	return h_tail(out);
}

int diff_drift_write(const struct diff_drift *d, enum diff_format fmt, FILE *out)
{
	switch (fmt) {
	case DIFF_FMT_JSON:
		return drift_json(d, out);
	case DIFF_FMT_HTML:
		return drift_html(d, out);
	case DIFF_FMT_TEXT:
		break;
	}
	return drift_text(d, out);
}

/* ---- policy against a result ---- */

static void zone_networks(const struct pol_zone *z, char *out, size_t sz)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t k = 0; k < z->n_networks && n + 1 < sz; k++) {
		char b[SS_IP_STRLEN + 4];
		ss_prefix_format(&z->networks[k], b);
		n += (size_t)snprintf(out + n, sz - n, "%s%s", k ? ", " : "", b);
	}
}

static void asset_label(const struct pol_asset *a, char *out, size_t sz)
{
	char m[SS_MAC_STRLEN] = "", ip[SS_IP_STRLEN] = "";
	if (a->has_mac)
		ss_mac_format(&a->mac, m);
	if (a->has_ip)
		ss_ip_format(&a->ip, ip);
	snprintf(out, sz, "%s%s%s%s%s", m, m[0] && ip[0] ? ", " : "", ip, a->zone ? ", zone " : "",
	         a->zone ? a->zone : "");
}

static int policy_text(const struct diff_policy *d, FILE *out)
{
	char a[512];
	fprintf(out, "segscan diff: policy %s (sha256 %.16s...)\n  against: %s\n\n",
	        pol_path(d->pol), pol_sha256(d->pol), scan_label(d->res, a, sizeof(a)));
	fprintf(out, "violations:              %zu (%zu of %zu flows)\n", d->found->n_violations,
	        d->n_violating, d->n_flows);
	fprintf(out, "allow rules never used:  %zu\n", d->n_unused_rules);
	fprintf(out, "zones with no hosts:     %zu\n", d->n_empty_zones);
	fprintf(out, "assets never seen:       %zu\n", d->n_unseen_assets);
	fprintf(out, "suggested allow rules:   %zu\n", d->n_suggestions);
	fputs(
	    "\nNote: schedules are checked at each flow's first_seen and last_seen (local time).\n",
	    out);
	if (d->found->n_violations)
		fputs("\nViolations:\n", out);
	for (size_t i = 0; i < d->found->n_violations; i++) {
		const struct res_violation *v = &d->found->violations[i];
		text_violation(out, '!', v);
		if (v->fix)
			fprintf(out, "      fix: %s\n", v->fix);
	}
	if (d->n_unused_rules)
		fputs("\nAllow rules that decided no observed flow (candidates to remove):\n", out);
	for (size_t i = 0; i < d->n_unused_rules; i++) {
		const struct pol_rule_info *r = &d->unused_rules[i];
		fprintf(out, "  - '%s': from %s to %s, services %s%s%s\n", r->name, r->from, r->to,
		        r->services, r->schedule[0] ? ", schedule " : "", r->schedule);
	}
	if (d->n_empty_zones)
		fputs("\nZones with no host seen:\n", out);
	for (size_t i = 0; i < d->n_empty_zones; i++) {
		zone_networks(d->empty_zones[i], a, sizeof(a));
		fprintf(out, "  - %s (%s) %s\n", d->empty_zones[i]->name,
		        pol_zone_kind_name(d->empty_zones[i]->kind), a);
	}
	if (d->n_unseen_assets)
		fputs("\nRegistered assets never seen:\n", out);
	for (size_t i = 0; i < d->n_unseen_assets; i++) {
		asset_label(d->unseen_assets[i], a, sizeof(a));
		fprintf(out, "  - %s (%s)\n", d->unseen_assets[i]->name, a);
	}
	if (d->n_suggestions) {
		fputs("\nSuggested allow rules (suggestions to review, not to paste blindly):\n\n",
		      out);
		fputs(d->snippet, out);
	}
	return ferror(out) ? -1 : 0;
}

static int policy_json(const struct diff_policy *d, FILE *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "diff", json_string("policy"));
	json_t *pol = json_object();
	json_object_set_new(pol, "path", rj_str(pol_path(d->pol)));
	json_object_set_new(pol, "sha256", rj_str(pol_sha256(d->pol)));
	json_object_set_new(root, "policy", pol);
	json_object_set_new(root, "result", jscan(d->res));
	json_object_set_new(root, "flows_judged", json_integer((json_int_t)d->n_flows));
	json_object_set_new(root, "schedule_time", json_string("first_seen and last_seen"));
	json_t *vf = json_array();
	for (size_t i = 0; i < d->n_violating; i++) {
		json_t *o = jflow(d->violating[i].flow);
		json_object_set_new(o, "judged", jdecision(&d->violating[i].d));
		json_array_append_new(vf, o);
	}
	json_object_set_new(root, "violating_flows", vf);
	json_t *va = json_array();
	for (size_t i = 0; i < d->found->n_violations; i++)
		json_array_append_new(va, jviolation(&d->found->violations[i]));
	json_object_set_new(root, "violations", va);
	json_t *ur = json_array();
	for (size_t i = 0; i < d->n_unused_rules; i++) {
		const struct pol_rule_info *r = &d->unused_rules[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", rj_str(r->name));
		json_object_set_new(o, "from", rj_str(r->from));
		json_object_set_new(o, "to", rj_str(r->to));
		json_object_set_new(o, "services", rj_str(r->services));
		json_object_set_new(o, "schedule",
		                    r->schedule[0] ? rj_str(r->schedule) : json_null());
		json_array_append_new(ur, o);
	}
	json_object_set_new(root, "unused_allow_rules", ur);
	json_t *ez = json_array();
	for (size_t i = 0; i < d->n_empty_zones; i++)
		json_array_append_new(ez, rj_str(d->empty_zones[i]->name));
	json_object_set_new(root, "empty_zones", ez);
	json_t *ua = json_array();
	for (size_t i = 0; i < d->n_unseen_assets; i++) {
		const struct pol_asset *a = d->unseen_assets[i];
		json_t *o = json_object();
		char m[SS_MAC_STRLEN];
		if (a->has_mac)
			ss_mac_format(&a->mac, m);
		json_object_set_new(o, "name", rj_str(a->name));
		json_object_set_new(o, "mac", a->has_mac ? json_string(m) : json_null());
		json_object_set_new(o, "ip", a->has_ip ? rj_ip(&a->ip) : json_null());
		json_object_set_new(o, "zone", rj_str(a->zone));
		json_array_append_new(ua, o);
	}
	json_object_set_new(root, "unseen_assets", ua);
	json_t *sg = json_array();
	for (size_t i = 0; i < d->n_suggestions; i++) {
		const struct diff_suggestion *s = &d->suggestions[i];
		json_t *o = json_object();
		char svc[32];
		json_object_set_new(o, "name", rj_str(s->name));
		json_object_set_new(o, "src_zone", rj_str(s->src_zone));
		json_object_set_new(o, "dst_zone", rj_str(s->dst_zone));
		json_object_set_new(o, "proto", rj_proto(s->proto));
		json_object_set_new(o, "dport",
		                    s->proto == 6 || s->proto == 17 ? json_integer(s->dport)
		                                                    : json_null());
		json_object_set_new(o, "app", rj_str(s->app));
		json_t *f = json_array(), *t = json_array(), *seen = json_array();
		for (size_t k = 0; k < s->from.n; k++)
			json_array_append_new(f, rj_str(s->from.v[k]));
		for (size_t k = 0; k < s->to.n; k++)
			json_array_append_new(t, rj_str(s->to.v[k]));
		for (size_t k = 0; k < s->seen.n; k++)
			json_array_append_new(seen, rj_str(s->seen.v[k]));
		json_object_set_new(o, "from", f);
		json_object_set_new(o, "to", t);
		if (s->proto == 6 || s->proto == 17) {
			snprintf(svc, sizeof(svc), "%s/%u", s->proto == 6 ? "tcp" : "udp",
			         (unsigned)s->dport);
			json_object_set_new(o, "services", json_pack("[s]", svc));
		} else {
			json_object_set_new(o, "services", json_null());
		}
		json_object_set_new(o, "seen", seen);
		json_object_set_new(o, "packets", json_integer((json_int_t)s->packets));
		json_array_append_new(sg, o);
	}
	json_object_set_new(root, "suggestions", sg);
	json_object_set_new(root, "suggestions_yaml", rj_str(d->snippet));
	return jdump(root, out);
}

static int policy_html(const struct diff_policy *d, FILE *out)
{
	char a[512];
	h_head(out, "segscan diff: policy against observed traffic");
	fputs("<table><tr><th>policy</th><td>", out);
	h_esc(out, pol_path(d->pol));
	fputs(" (sha256 ", out);
	h_esc(out, pol_sha256(d->pol));
	fputs(")</td></tr><tr><th>result</th><td>", out);
	h_esc(out, scan_label(d->res, a, sizeof(a)));
	fputs("</td></tr></table>\n<p class=\"note\">Schedules are checked at each flow's "
	      "first_seen and last_seen "
	      "(local time).</p>\n",
	      out);
	const struct res_violation **vp =
	    xcalloc(d->found->n_violations + 1, sizeof(const struct res_violation *));
	for (size_t i = 0; i < d->found->n_violations; i++)
		vp[i] = &d->found->violations[i];
	html_violations(out, "Violations", NULL, vp, d->found->n_violations);
	free(vp);
	if (h_section(out, "Allow rules that decided no observed flow (candidates to remove)",
	              d->n_unused_rules)) {
		static const char *const heads[] = {"rule", "from", "to", "services", "schedule"};
		h_table(out, heads, 5);
		for (size_t i = 0; i < d->n_unused_rules; i++) {
			const struct pol_rule_info *r = &d->unused_rules[i];
			const char *cells[] = {r->name, r->from, r->to, r->services,
			                       dash(r->schedule)};
			h_row(out, NULL, cells, 5);
		}
		fputs("</table>\n", out);
	}
	if (h_section(out, "Zones with no host seen", d->n_empty_zones)) {
		static const char *const heads[] = {"zone", "kind", "networks"};
		h_table(out, heads, 3);
		for (size_t i = 0; i < d->n_empty_zones; i++) {
			zone_networks(d->empty_zones[i], a, sizeof(a));
			const char *cells[] = {d->empty_zones[i]->name,
			                       pol_zone_kind_name(d->empty_zones[i]->kind), a};
			h_row(out, NULL, cells, 3);
		}
		fputs("</table>\n", out);
	}
	if (h_section(out, "Registered assets never seen", d->n_unseen_assets)) {
		static const char *const heads[] = {"asset", "registered as"};
		h_table(out, heads, 2);
		for (size_t i = 0; i < d->n_unseen_assets; i++) {
			asset_label(d->unseen_assets[i], a, sizeof(a));
			const char *cells[] = {d->unseen_assets[i]->name, a};
			h_row(out, NULL, cells, 2);
		}
		fputs("</table>\n", out);
	}
	if (h_section(out, "Suggested allow rules (review before use)", d->n_suggestions)) {
		fputs("<pre>", out);
		h_esc(out, d->snippet);
		fputs("</pre>\n", out);
	}
	return h_tail(out);
}

int diff_policy_write(const struct diff_policy *d, enum diff_format fmt, FILE *out)
{
	switch (fmt) {
	case DIFF_FMT_JSON:
		return policy_json(d, out);
	case DIFF_FMT_HTML:
		return policy_html(d, out);
	case DIFF_FMT_TEXT:
		break;
	}
	return policy_text(d, out);
}

/* ---- two policies ---- */

static int change_text(const struct diff_policy_change *d, FILE *out)
{
	char a[512];
	fprintf(out, "segscan diff: policy change\n  old: %s\n  new: %s\n  over: %s\n\n",
	        pol_path(d->old_p), pol_path(d->new_p), scan_label(d->res, a, sizeof(a)));
	fprintf(out, "%zu of %zu observed flows change verdict or deciding rule.\n", d->n_changes,
	        d->n_flows);
	fputs("Note: schedules are checked at each flow's first_seen and last_seen (local time).\n",
	      out);
	for (size_t i = 0; i < d->n_changes; i++) {
		const struct diff_verdict_change *c = &d->changes[i];
		char lab[160], o[256], n[256];
		flow_label(&c->flow->src, &c->flow->dst, c->flow->proto, c->flow->dport, lab,
		           sizeof(lab));
		decision_label(&c->old_d, o, sizeof(o));
		decision_label(&c->new_d, n, sizeof(n));
		fprintf(out, "%s  ~ %s%s%s  %s -> %s\n      %s\n   -> %s\n", i ? "" : "\n", lab,
		        c->flow->app ? " " : "", c->flow->app ? c->flow->app : "",
		        dash(c->new_d.src_zone), dash(c->new_d.dst_zone), o, n);
	}
	return ferror(out) ? -1 : 0;
}

static int change_json(const struct diff_policy_change *d, FILE *out)
{
	json_t *root = json_object();
	json_object_set_new(root, "diff", json_string("policy_change"));
	json_t *op = json_object(), *np = json_object();
	json_object_set_new(op, "path", rj_str(pol_path(d->old_p)));
	json_object_set_new(op, "sha256", rj_str(pol_sha256(d->old_p)));
	json_object_set_new(np, "path", rj_str(pol_path(d->new_p)));
	json_object_set_new(np, "sha256", rj_str(pol_sha256(d->new_p)));
	json_object_set_new(root, "old_policy", op);
	json_object_set_new(root, "new_policy", np);
	json_object_set_new(root, "result", jscan(d->res));
	json_object_set_new(root, "flows_judged", json_integer((json_int_t)d->n_flows));
	json_object_set_new(root, "schedule_time", json_string("first_seen and last_seen"));
	json_t *ch = json_array();
	for (size_t i = 0; i < d->n_changes; i++) {
		json_t *o = jflow(d->changes[i].flow);
		json_object_set_new(o, "old", jdecision(&d->changes[i].old_d));
		json_object_set_new(o, "new", jdecision(&d->changes[i].new_d));
		json_array_append_new(ch, o);
	}
	json_object_set_new(root, "changes", ch);
	return jdump(root, out);
}

static int change_html(const struct diff_policy_change *d, FILE *out)
{
	char a[512];
	h_head(out, "segscan diff: what a policy change would change");
	fputs("<table><tr><th>old policy</th><td>", out);
	h_esc(out, pol_path(d->old_p));
	fputs("</td></tr><tr><th>new policy</th><td>", out);
	h_esc(out, pol_path(d->new_p));
	fputs("</td></tr><tr><th>observed</th><td>", out);
	h_esc(out, scan_label(d->res, a, sizeof(a)));
	fputs("</td></tr></table>\n<p class=\"note\">Schedules are checked at each flow's "
	      "first_seen and last_seen "
	      "(local time).</p>\n",
	      out);
	snprintf(a, sizeof(a), "Flows whose verdict changes, of %zu", d->n_flows);
	if (h_section(out, a, d->n_changes)) {
		static const char *const heads[] = {"flow", "app", "zones", "old", "new"};
		h_table(out, heads, 5);
		for (size_t i = 0; i < d->n_changes; i++) {
			const struct diff_verdict_change *c = &d->changes[i];
			char lab[160], zones[160], o[256], n[256];
			flow_label(&c->flow->src, &c->flow->dst, c->flow->proto, c->flow->dport,
			           lab, sizeof(lab));
			snprintf(zones, sizeof(zones), "%s -> %s", dash(c->new_d.src_zone),
			         dash(c->new_d.dst_zone));
			decision_label(&c->old_d, o, sizeof(o));
			decision_label(&c->new_d, n, sizeof(n));
			const char *cells[] = {lab, dash(c->flow->app), zones, o, n};
			h_row(out, "chg", cells, 5);
		}
		fputs("</table>\n", out);
	}
	return h_tail(out);
}

int diff_policy_change_write(const struct diff_policy_change *d, enum diff_format fmt, FILE *out)
{
	switch (fmt) {
	case DIFF_FMT_JSON:
		return change_json(d, out);
	case DIFF_FMT_HTML:
		return change_html(d, out);
	case DIFF_FMT_TEXT:
		break;
	}
	return change_text(d, out);
}
