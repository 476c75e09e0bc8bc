/*
 * tests/test_reports.c - the text, CSV and HTML renderers and the message
 * catalogue: RFC 4180 quoting with BOM and CRLF, every catalogue key in
 * both languages, HTML escaping of hostile names, the fixed section order,
 * the counts of the text summary, the format table and writing to paths.
 * Results are built in the test (as in tests/test_json.c).
 */
#include <check.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/result.h"
#include "reports/i18n.h"
#include "reports/render.h"

static void set_ip(ss_ip *ip, const char *s)
{
	ck_assert_int_eq(ss_ip_parse(s, ip), 0);
}

/* Two hosts (one hostile, one unregistered), one violating cross-zone flow
 * and one intra-zone flow, two violations (critical and medium). */
static struct result *sample(void)
{
	struct result *r = res_new("audit");
	res_strv_add(&r->inputs, "plant<1>.pcap");
	r->stats.packets = 42;
	r->policy_path = xstrdup("policy.yaml");
	r->policy_sha256 = xstrdup("ab12");
	r->site = xstrdup("Plant \"One\" & <Two>");
	r->started = 1700000000000000LL;
	r->capture_first = 1700000000000000LL;
	r->capture_last = 1700000100000000LL;
	struct res_host *h = res_add_host(r);
	h->has_mac = 1;
	ss_mac_parse("00:1b:1b:50:00:20", &h->mac);
	ss_ip ip;
	set_ip(&ip, "192.168.50.20");
	res_host_add_ip(h, &ip);
	set_ip(&ip, "192.168.50.21");
	res_host_add_ip(h, &ip);
	h->asset = xstrdup("press, line \"2\"");
	h->zone = xstrdup("plant");
	h->vendor = xstrdup("<script>alert(1)</script>");
	h->hostname = xstrdup("\"><img src=x onerror=alert(1)>");
	h->os = xstrdup("line1\nline2");
	h->owner = xstrdup("製造部");
	h->managed = 1;
	h->device_class = xstrdup("plc");
	res_strv_add(&h->protocols, "s7comm");
	res_strv_add(&h->protocols, "http");
	h->first_seen = 1700000000000000LL;
	h->last_seen = 1700000001000000LL;
	struct res_host *u = res_add_host(r);
	u->has_mac = 1;
	ss_mac_parse("d4:be:d9:0a:01:0c", &u->mac);
	set_ip(&ip, "10.10.1.12");
	res_host_add_ip(u, &ip);
	u->zone = xstrdup("office");
	u->managed = 0;
	u->vendor = xstrdup("=HYPERLINK(\"http://x\")");
	u->hostname = xstrdup("bad\xff\x1b[2Jname");

	struct res_flow *f = res_add_flow(r);
	set_ip(&f->src, "10.10.1.12");
	set_ip(&f->dst, "192.168.50.20");
	f->proto = 6;
	f->dport = 502;
	f->packets = 30;
	f->src_zone = xstrdup("office");
	f->dst_zone = xstrdup("plant");
	f->verdict = xstrdup("violation");
	f->rule = xstrdup("no office to plant");
	struct res_flow *g = res_add_flow(r);
	set_ip(&g->src, "192.168.50.20");
	set_ip(&g->dst, "192.168.50.21");
	g->proto = 6;
	g->dport = 102;
	g->packets = 12;
	g->src_zone = xstrdup("plant");
	g->dst_zone = xstrdup("plant");
	g->verdict = xstrdup("intra_zone");

	struct res_violation *v = res_add_violation(r);
	v->type = xstrdup("forbidden_flow");
	v->severity = xstrdup("critical");
	/* not f->src: adding g may have moved the flows array */
	set_ip(&v->src, "10.10.1.12");
	set_ip(&v->dst, "192.168.50.20");
	v->proto = 6;
	v->dport = 502;
	v->rule = xstrdup("no <office> to plant");
	v->count = 30;
	v->first_seen = 1700000000000000LL;
	v->last_seen = 1700000050000000LL;
	v->message = xstrdup("10.10.1.12 opened <tcp/502>, \"forbidden\"");
	v->fix = xstrdup("Block it & ask why");
	struct res_violation *w = res_add_violation(r);
	w->type = xstrdup("unknown_device");
	w->severity = xstrdup("medium");
	set_ip(&w->src, "10.10.1.12");
	w->has_mac = 1;
	ss_mac_parse("d4:be:d9:0a:01:0c", &w->mac);
	w->count = 1;
	w->message = xstrdup("Device 10.10.1.12 is not in the asset register.");
	w->fix = xstrdup("Find it.");
	res_sort(r);
	return r;
}

/* Renders with fn into a NUL-terminated string (caller frees). */
static char *render(int (*fn)(const struct result *, FILE *, const struct res_render_opts *),
                    const struct result *r, enum res_lang lang, int color, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct res_render_opts o = {lang, color};
	ck_assert_int_eq(fn(r, f, &o), 0);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- message catalogue */

START_TEST(catalogue_has_every_key_in_both_languages)
{
	ck_assert_uint_eq(i18n_key_count(), MSG__COUNT);
	ck_assert_uint_gt(i18n_key_count(), 100);
	for (size_t i = 0; i < i18n_key_count(); i++) {
		enum msg_id id = (enum msg_id)i;
		const char *name = i18n_key_name(id);
		ck_assert_msg(name && strncmp(name, "MSG_", 4) == 0, "key %zu has no name", i);
		const char *en = i18n(RES_LANG_EN, id), *ja = i18n(RES_LANG_JA, id);
		ck_assert_msg(en && *en, "%s: English text missing", name);
		ck_assert_msg(ja && *ja, "%s: Japanese text missing", name);
		for (size_t k = 0; k < i; k++)
			ck_assert_msg(strcmp(name, i18n_key_name((enum msg_id)k)) != 0, "%s twice",
			              name);
	}
	ck_assert_str_eq(i18n(RES_LANG_JA, MSG_SEC_INVENTORY), "資産台帳");
	ck_assert_str_eq(i18n(RES_LANG_JA, MSG_SEVERITY), "重大度");
	ck_assert_str_eq(i18n((enum res_lang)7, MSG__COUNT), "");
}
END_TEST

/* Every placeholder of one language is in the other: a translation cannot
 * drop a number or an address. */
START_TEST(catalogue_placeholders_match_between_languages)
{
	for (size_t i = 0; i < i18n_key_count(); i++) {
		enum msg_id id = (enum msg_id)i;
		const char *t[2] = {i18n(RES_LANG_EN, id), i18n(RES_LANG_JA, id)};
		for (int a = 0; a < 2; a++)
			for (const char *p = t[a]; (p = strchr(p, '{')); p++) {
				const char *e = strchr(p, '}');
				ck_assert_msg(e != NULL, "%s: unclosed placeholder",
				              i18n_key_name(id));
				char ph[40];
				snprintf(ph, sizeof(ph), "%.*s", (int)(e - p + 1), p);
				/* asset_mismatch: only Japanese quotes the English original. */
				if (id == MSG_VM_ASSET_MISMATCH && !strcmp(ph, "{message}"))
					continue;
				/* The Japanese fixes may name more of the evidence. */
				if (a == 1 && i18n_key_name(id)[4] == 'V' &&
				    i18n_key_name(id)[5] == 'F')
					continue;
				ck_assert_msg(strstr(t[!a], ph), "%s: %s missing in %s",
				              i18n_key_name(id), ph, a ? "English" : "Japanese");
			}
	}
}
END_TEST

START_TEST(fmt_fills_named_placeholders)
{
	static const char *const k[] = {"hosts", "unregistered", "flows", "violations", "packets"};
	const char *v[] = {"3", "1", "7", "2", "99"};
	char *en = i18n_fmt(RES_LANG_EN, MSG_HEADLINE, k, v, 5);
	ck_assert_str_eq(en, "3 devices (1 unregistered), 7 flows, 2 violations, 99 packets read");
	char *ja = i18n_fmt(RES_LANG_JA, MSG_HEADLINE, k, v, 5);
	ck_assert_ptr_nonnull(strstr(ja, "機器 3 台（未登録 1 台）"));
	char *none = i18n_fmt(RES_LANG_EN, MSG_HEADLINE, k, v, 0);
	ck_assert_ptr_nonnull(strstr(none, "{hosts} devices"));
	free(en);
	free(ja);
	free(none);
	enum res_lang l = RES_LANG_EN;
	ck_assert_int_eq(res_lang_parse("ja", &l), 0);
	ck_assert_int_eq(l, RES_LANG_JA);
	ck_assert_int_eq(res_lang_parse("de", &l), -1);
	ck_assert_int_eq(i18n_severity_id("high"), MSG_SEV_HIGH);
	ck_assert_int_eq(i18n_severity_id("bogus"), MSG_SEV_OTHER);
	ck_assert_int_eq(i18n_vtype_id("rogue_dhcp"), MSG_VT_ROGUE_DHCP);
	ck_assert_int_eq(i18n_vtype_id(NULL), MSG_VT_OTHER);
}
END_TEST

START_TEST(japanese_violation_text_uses_structured_fields)
{
	struct result *r = sample();
	char *m, *f;
	struct res_zone_index *zi = NULL;
	i18n_violation_text(r, &zi, &r->violations[0], RES_LANG_JA, &m, &f);
	ck_assert_ptr_nonnull(
	    strstr(m, "10.10.1.12（ゾーン office）から 192.168.50.20（ゾーン plant）"));
	ck_assert_ptr_nonnull(strstr(m, "tcp/502"));
	ck_assert_ptr_nonnull(strstr(m, "禁止ルール「no <office> to plant」"));
	ck_assert_ptr_nonnull(strstr(f, "遮断"));
	free(m);
	free(f);
	/* English keeps the policy engine's own sentence. */
	i18n_violation_text(r, &zi, &r->violations[0], RES_LANG_EN, &m, &f);
	ck_assert_str_eq(m, r->violations[0].message);
	ck_assert_str_eq(f, r->violations[0].fix);
	free(m);
	free(f);
	res_zone_index_free(zi);
	res_free(r);
}
END_TEST

/* ---- CSV */

START_TEST(csv_quotes_per_rfc4180_with_bom_and_crlf)
{
	struct result *r = sample();
	size_t len;
	char *csv = render(res_write_csv_hosts, r, RES_LANG_EN, 0, &len);
	ck_assert_uint_eq(strlen(csv), len); /* no NUL inside */
	ck_assert_int_eq(memcmp(csv, "\xef\xbb\xbf", 3), 0);
	ck_assert_int_eq(count_of(csv, "\xef\xbb\xbf"), 1);
	ck_assert_int_eq(strncmp(csv + 3,
	                         "Asset name,Zone,Addresses,MAC,Vendor,Class,OS,Protocols,"
	                         "Registered,Owner,First seen,Last seen\r\n",
	                         strlen("Asset name,Zone,Addresses,MAC,Vendor,Class,OS,Protocols,"
	                                "Registered,Owner,First seen,Last seen\r\n")),
	                 0);
	/* comma and quote: quoted, quotes doubled */
	ck_assert_ptr_nonnull(strstr(csv, "\r\n\"press, line \"\"2\"\"\",plant,"));
	/* a newline inside a field is quoted and kept (CRLF only ends records) */
	ck_assert_ptr_nonnull(strstr(csv, ",\"line1\nline2\","));
	ck_assert_ptr_nonnull(strstr(csv, ",192.168.50.20 192.168.50.21,00:1b:1b:50:00:20,"));
	ck_assert_ptr_nonnull(strstr(csv, ",http s7comm,yes,製造部,2023-11-14T22:13:20.000Z,"));
	/* formula injection is defused, quotes still doubled */
	ck_assert_ptr_nonnull(strstr(csv, ",\"'=HYPERLINK(\"\"http://x\"\")\","));
	ck_assert_ptr_nonnull(strstr(csv, ",no,,"));
	/* 3 records (header + 2 hosts), each ending in CRLF; no bare LF except
	 * the one inside the quoted OS field */
	ck_assert_uint_eq(count_of(csv, "\r\n"), 3);
	ck_assert_uint_eq(count_of(csv, "\n"), 4);
	ck_assert_int_eq(strcmp(csv + len - 2, "\r\n"), 0);
	free(csv);

	char *ja = render(res_write_csv_hosts, r, RES_LANG_JA, 0, NULL);
	ck_assert_ptr_nonnull(strstr(ja, "\xef\xbb\xbf資産名,ゾーン,IPアドレス,MACアドレス,"));
	ck_assert_ptr_nonnull(strstr(ja, ",登録済み,製造部,"));
	ck_assert_ptr_nonnull(strstr(ja, ",未登録,,"));
	free(ja);

	char *vc = render(res_write_csv_violations, r, RES_LANG_EN, 0, NULL);
	ck_assert_int_eq(memcmp(vc,
	                        "\xef\xbb\xbf"
	                        "Type,Severity,Source,Destination,Service,MAC,Rule,"
	                        "Count,First seen,Last seen,Description,Fix\r\n",
	                        strlen("\xef\xbb\xbf"
	                               "Type,Severity,Source,Destination,Service,MAC,"
	                               "Rule,Count,First seen,Last seen,Description,Fix\r\n")),
	                 0);
	ck_assert_ptr_nonnull(strstr(vc, "\r\nForbidden traffic,Critical,10.10.1.12,192.168.50.20,"
	                                 "tcp/502,,no <office> to plant,30,"));
	ck_assert_ptr_nonnull(strstr(vc, ",\"10.10.1.12 opened <tcp/502>, \"\"forbidden\"\"\","));
	ck_assert_uint_eq(count_of(vc, "\r\n"), 3);
	free(vc);
	res_free(r);
}
END_TEST

START_TEST(csv_replaces_invalid_utf8)
{
	struct result *r = res_new("audit");
	struct res_host *h = res_add_host(r);
	h->asset = xstrdup("a\xff\xc3(b");
	h->vendor = xstrdup("工場\xe5\x88");
	char *csv = render(res_write_csv_hosts, r, RES_LANG_EN, 0, NULL);
	ck_assert_ptr_nonnull(strstr(csv, "\r\na\xef\xbf\xbd\xef\xbf\xbd(b,"));
	ck_assert_ptr_nonnull(strstr(csv, ",工場\xef\xbf\xbd\xef\xbf\xbd,"));
	free(csv);
	res_free(r);
}
END_TEST

/* ---- HTML */

START_TEST(html_escapes_hostile_strings)
{
	struct result *r = sample();
	char *html = render(res_write_html, r, RES_LANG_EN, 0, NULL);
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "<office>"));
	ck_assert_ptr_null(strstr(html, "<tcp/502>"));
	ck_assert_ptr_null(strstr(html, "<1>"));
	ck_assert_ptr_null(strstr(html, "\x1b"));
	ck_assert_ptr_null(strstr(html, "\xff"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "Plant &quot;One&quot; &amp; &lt;Two&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "no &lt;office&gt; to plant"));
	ck_assert_ptr_nonnull(strstr(html, "bad\xef\xbf\xbd\xef\xbf\xbd[2Jname"));
	ck_assert_ptr_null(strstr(html, "<link"));
	free(html);
	res_free(r);
}
END_TEST

static void assert_section_order(const char *html)
{
	static const char *const ids[] = {"summary",    "matrix",    "diagram",
	                                  "violations", "inventory", "scope"};
	const char *prev = html;
	for (size_t i = 0; i < 6; i++) {
		char tag[64];
		snprintf(tag, sizeof(tag), "<section id=\"%s\" data-section=\"%zu\">", ids[i],
		         i + 1);
		const char *p = strstr(html, tag);
		ck_assert_msg(p != NULL, "section %s missing", ids[i]);
		ck_assert_msg(p > prev, "section %s out of order", ids[i]);
		ck_assert_uint_eq(count_of(html, tag), 1);
		prev = p;
	}
	ck_assert_uint_eq(count_of(html, "<section "), 6);
}

START_TEST(html_sections_in_fixed_order_with_counts)
{
	struct result *r = sample();
	char *html = render(res_write_html, r, RES_LANG_EN, 0, NULL);
	assert_section_order(html);
	ck_assert_ptr_nonnull(strstr(html, "<html lang=\"en\">"));
	ck_assert_ptr_nonnull(strstr(html, "<meta charset=\"utf-8\">"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-hosts\" data-count=\"2\">2<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-unregistered\" data-count=\"1\">1<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-flows\" data-count=\"2\">2<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-cross-zone\" data-count=\"1\">1<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-violations\" data-count=\"2\">2<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-packets\" data-count=\"42\">42<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-severity-critical\" data-count=\"1\">1<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-severity-high\" data-count=\"0\">0<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-severity-medium\" data-count=\"1\">1<"));
	ck_assert_ptr_nonnull(strstr(html, "id=\"count-severity-low\" data-count=\"0\">0<"));
	ck_assert_ptr_nonnull(strstr(html,
	                             "data-src=\"office\" data-dst=\"plant\" data-flows=\"1\" "
	                             "data-violations=\"1\" data-packets=\"30\""));
	ck_assert_ptr_nonnull(strstr(html, "<svg "));
	ck_assert_ptr_nonnull(strstr(html, "@media print"));
	ck_assert_uint_eq(count_of(html, "<article class=\"finding"), 2);
	ck_assert_uint_eq(count_of(html, "<tr class=\"host"), 2);
	free(html);

	char *ja = render(res_write_html, r, RES_LANG_JA, 0, NULL);
	assert_section_order(ja);
	ck_assert_ptr_nonnull(strstr(ja, "<html lang=\"ja\">"));
	ck_assert_ptr_nonnull(strstr(ja, "資産台帳"));
	ck_assert_ptr_nonnull(strstr(ja, "原文（英語）"));
	free(ja);
	res_free(r);

	/* An empty result still has all six sections, in order. */
	struct result *e = res_new("audit");
	char *eh = render(res_write_html, e, RES_LANG_EN, 0, NULL);
	assert_section_order(eh);
	ck_assert_ptr_nonnull(strstr(eh, "id=\"count-hosts\" data-count=\"0\">0<"));
	free(eh);
	res_free(e);
}
END_TEST

/* The summary's "exposed" list: one line per violation type, in the order
 * types first appear worst severity first, each with its count; a missing
 * type is a type of its own. Pins the one-pass grouping that replaced a
 * comparison of every violation with every earlier one (seconds of HTML
 * for tens of thousands of violations). */
START_TEST(html_exposed_types_grouped_in_order)
{
	static const struct {
		const char *type, *sev;
	} vs[] = {{"unregistered_device", "medium"},
	          {"forbidden_flow", "critical"},
	          {NULL, "medium"},
	          {"unregistered_device", "medium"},
	          {"eol_exposure", "high"},
	          {"forbidden_flow", "critical"},
	          {NULL, "low"},
	          {"unregistered_device", "low"}};
	struct result *r = res_new("audit");
	for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		struct res_violation *v = res_add_violation(r);
		v->type = vs[i].type ? xstrdup(vs[i].type) : NULL;
		v->severity = xstrdup(vs[i].sev);
	}
	char *html = render(res_write_html, r, RES_LANG_EN, 0, NULL);
	const char *ul = strstr(html, "<ul class=\"exposed\">");
	ck_assert_ptr_nonnull(ul);
	const char *end = strstr(ul, "</ul>");
	ck_assert_ptr_nonnull(end);
	/* critical forbidden_flow (2), high eol_exposure (1), medium
	 * unregistered_device (3 in all), medium missing type (2). */
	static const char *const want[] = {"data-type=\"forbidden_flow\" data-count=\"2\"",
	                                   "data-type=\"eol_exposure\" data-count=\"1\"",
	                                   "data-type=\"unregistered_device\" data-count=\"3\"",
	                                   "data-type=\"\" data-count=\"2\""};
	const char *at = ul;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *p = strstr(at, want[i]);
		ck_assert_msg(p && p < end, "exposed line %zu (%s) missing or out of order", i,
		              want[i]);
		at = p + 1;
	}
	size_t lines = 0;
	for (const char *p = ul; (p = strstr(p, "<li>")) && p < end; p++)
		lines++;
	ck_assert_uint_eq(lines, 4);
	free(html);
	res_free(r);
}
END_TEST

/* ---- text */

START_TEST(text_summary_counts)
{
	struct result *r = sample();
	char *t = render(res_write_text, r, RES_LANG_EN, 0, NULL);
	ck_assert_ptr_nonnull(
	    strstr(t, "\n2 devices (1 unregistered), 2 flows, 2 violations, 42 packets read\n"));
	ck_assert_ptr_nonnull(
	    strstr(t, "\n  Critical  1\n  High      0\n  Medium    1\n  Low       0\n"));
	ck_assert_ptr_nonnull(strstr(t, "  office"
	                                "        1"
	                                "             1\n"));
	ck_assert_ptr_nonnull(strstr(t, "  plant "
	                                "        1"
	                                "             0\n"));
	ck_assert_ptr_nonnull(strstr(t, "[Critical] Forbidden traffic"));
	ck_assert_ptr_nonnull(strstr(t, "Fix: Block it & ask why\n"));
	ck_assert_ptr_null(strstr(t, "\x1b")); /* no colour, and hostile escapes removed */
	ck_assert_ptr_null(strstr(t, "\xff"));
	/* findings come before the device table */
	ck_assert(strstr(t, "Findings") && strstr(t, "Findings") < strstr(t, "\nDevices\n"));
	free(t);

	char *c = render(res_write_text, r, RES_LANG_EN, 1, NULL);
	ck_assert_ptr_nonnull(strstr(c, "\033[1;31m[Critical]"));
	free(c);

	char *ja = render(res_write_text, r, RES_LANG_JA, 0, NULL);
	ck_assert_ptr_nonnull(strstr(ja, "機器 2 台（未登録 1 台）、通信 2 件、違反 2 件"));
	ck_assert_ptr_nonnull(strstr(ja, "[緊急] 禁止された通信"));
	ck_assert_ptr_nonnull(strstr(ja, "原文（英語）: 10.10.1.12 opened"));
	free(ja);
	res_free(r);
}
END_TEST

/* ---- format table and paths */

START_TEST(format_table)
{
	static const char *const names[] = {"json", "text", "csv", "html"};
	for (size_t i = 0; i < 4; i++) {
		const struct res_format *f = res_format_find(names[i]);
		ck_assert_ptr_nonnull(f);
		ck_assert_str_eq(f->name, names[i]);
		ck_assert_ptr_nonnull(f->write);
		ck_assert_ptr_nonnull(strstr(res_format_names(), names[i]));
	}
	ck_assert_ptr_null(res_format_find("xml"));
	ck_assert_ptr_null(res_format_find(NULL));
}
END_TEST

static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

START_TEST(render_to_path_writes_atomically)
{
	char dir[] = "/tmp/segscan-test-reports.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct result *r = sample();
	struct res_render_opts o = {RES_LANG_EN, 0};
	char err[256] = "";
	char *html = xasprintf("%s/report.html", dir);
	ck_assert_int_eq(res_render_to_path(r, "html", &o, html, err, sizeof(err)), 0);
	struct stat st;
	ck_assert_int_eq(stat(html, &st), 0);
	ck_assert_int_gt(st.st_size, 1000);
	mode_t mask = umask(022);
	umask(mask);
	ck_assert_int_eq(st.st_mode & 0777, 0666 & ~mask); /* not left 0600 by mkstemp */
	ck_assert_uint_eq(dir_entries(dir), 1);            /* no temporary left over */

	char *sub = xasprintf("%s/ledger/", dir);
	ck_assert_int_eq(res_render_to_path(r, "csv", &o, sub, err, sizeof(err)), 0);
	char *hosts = xasprintf("%shosts.csv", sub), *viol = xasprintf("%sviolations.csv", sub);
	ck_assert_int_eq(stat(hosts, &st), 0);
	ck_assert_int_eq(stat(viol, &st), 0);
	ck_assert_uint_eq(dir_entries(sub), 2);

	ck_assert_int_eq(res_render_to_path(r, "html", &o, dir, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "directory"));
	ck_assert_int_eq(res_render_to_path(r, "xml", &o, html, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown format"));
	char *missing = xasprintf("%s/no/such/dir/r.json", dir);
	ck_assert_int_eq(res_render_to_path(r, "json", &o, missing, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no/such/dir"));

	unlink(hosts);
	unlink(viol);
	rmdir(sub);
	unlink(html);
	rmdir(dir);
	free(missing);
	free(hosts);
	free(viol);
	free(sub);
	free(html);
	res_free(r);
}
END_TEST

static Suite *reports_suite(void)
{
	Suite *s = suite_create("reports");
	TCase *c = tcase_create("catalogue");
	tcase_add_test(c, catalogue_has_every_key_in_both_languages);
	tcase_add_test(c, catalogue_placeholders_match_between_languages);
	tcase_add_test(c, fmt_fills_named_placeholders);
	tcase_add_test(c, japanese_violation_text_uses_structured_fields);
	suite_add_tcase(s, c);
	c = tcase_create("csv");
	tcase_add_test(c, csv_quotes_per_rfc4180_with_bom_and_crlf);
	tcase_add_test(c, csv_replaces_invalid_utf8);
	suite_add_tcase(s, c);
	c = tcase_create("html");
	tcase_add_test(c, html_escapes_hostile_strings);
	tcase_add_test(c, html_sections_in_fixed_order_with_counts);
	tcase_add_test(c, html_exposed_types_grouped_in_order);
	suite_add_tcase(s, c);
	c = tcase_create("text");
	tcase_add_test(c, text_summary_counts);
	suite_add_tcase(s, c);
	c = tcase_create("render");
	tcase_add_test(c, format_table);
	tcase_add_test(c, render_to_path_writes_atomically);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(reports_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
