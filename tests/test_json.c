/*
 * tests/test_json.c - the JSON writer produces every field of the spec with
 * the right types, and address/time helpers behave at their edges.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/json-value.h"
#include "model/result.h"

/* r's JSON text (*buf, *len; free *buf) and jansson's parse of it. */
static json_t *written(const struct result *r, char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	FILE *f = open_memstream(buf, len);
	ck_assert_int_eq(res_write_json(r, f), 0);
	fclose(f);
	json_error_t e;
	json_t *j = json_loads(*buf, 0, &e);
	if (!j)
		ck_abort_msg("invalid JSON at %d:%d: %s", e.line, e.column, e.text);
	return j;
}

static json_t *roundtrip(const struct result *r)
{
	char *buf;
	size_t len;
	json_t *j = written(r, &buf, &len);
	free(buf);
	return j;
}

static struct result *sample(void)
{
	struct result *r = res_new("audit");
	res_strv_add(&r->inputs, "a.pcap");
	r->stats.packets = 42;
	r->started = 1700000000123456LL;
	struct res_host *h = res_add_host(r);
	h->has_mac = 1;
	ss_mac_parse("00:1b:1b:50:00:20", &h->mac);
	ss_ip ip;
	ss_ip_parse("192.168.50.20", &ip);
	res_host_add_ip(h, &ip);
	res_host_add_ip(h, &ip); /* duplicate ignored */
	ss_ip_parse("fd00:50::20", &ip);
	res_host_add_ip(h, &ip);
	h->vlan = 50;
	h->vendor = xstrdup("Siemens AG");
	h->zone = xstrdup("plant");
	h->device_class = xstrdup("plc");
	h->packets = 7;
	h->bytes = 700;
	h->first_seen = 1700000000000000LL;
	h->last_seen = 1700000001500000LL;
	res_strv_add(&h->protocols, "s7comm");
	res_strv_add(&h->evidence, "arp");
	res_host_add_service(h, 6, 102, NULL, 0);
	res_host_add_service(h, 6, 102, "s7comm", 0);
	struct res_host *routed = res_add_host(r);
	ss_ip_parse("192.168.77.7", &ip);
	res_host_add_ip(routed, &ip);
	struct res_flow *f = res_add_flow(r);
	ss_ip_parse("10.10.1.12", &f->src);
	ss_ip_parse("192.168.50.20", &f->dst);
	f->proto = 6;
	f->dport = 102;
	f->verdict = xstrdup("violation");
	f->rule = xstrdup("no office to plant");
	f->src_zone = xstrdup("office");
	f->dst_zone = xstrdup("plant");
	struct res_violation *v = res_add_violation(r);
	v->type = xstrdup("forbidden_flow");
	v->severity = xstrdup("critical");
	v->src = f->src;
	v->dst = f->dst;
	v->proto = 6;
	v->dport = 102;
	v->count = 3;
	v->message = xstrdup("m");
	v->fix = xstrdup("x");
	res_sort(r);
	return r;
}

START_TEST(every_spec_field_is_written_with_its_type)
{
	struct result *r = sample();
	json_t *j = roundtrip(r);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "tool"), "name")),
	                 "segscan");
	json_t *scan = json_object_get(j, "scan");
	ck_assert_str_eq(json_string_value(json_object_get(scan, "mode")), "audit");
	ck_assert_str_eq(json_string_value(json_object_get(scan, "started")),
	                 "2023-11-14T22:13:20.123Z");
	ck_assert_int_eq(json_integer_value(json_object_get(scan, "packets")), 42);
	ck_assert(json_is_null(json_object_get(scan, "policy")));
	json_t *hosts = json_object_get(j, "hosts");
	ck_assert_uint_eq(json_array_size(hosts), 2);
	json_t *h = json_array_get(hosts, 0);
	static const char *const keys[] = {
	    "mac",        "ips",       "vlan",         "vendor", "hostname",  "zone",
	    "asset",      "managed",   "device_class", "os",     "protocols", "services",
	    "first_seen", "last_seen", "packets",      "bytes",  "evidence"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(json_object_get(h, keys[i]) != NULL, "host lacks %s", keys[i]);
	ck_assert_str_eq(json_string_value(json_object_get(h, "mac")), "00:1b:1b:50:00:20");
	json_t *ips = json_object_get(h, "ips");
	ck_assert_uint_eq(json_array_size(ips), 2);
	ck_assert_str_eq(json_string_value(json_array_get(ips, 0)), "192.168.50.20");
	ck_assert_str_eq(json_string_value(json_array_get(ips, 1)), "fd00:50::20");
	ck_assert_int_eq(json_integer_value(json_object_get(h, "vlan")), 50);
	ck_assert(json_is_null(json_object_get(h, "hostname")));
	ck_assert(json_is_null(json_object_get(h, "managed")));
	json_t *svc = json_array_get(json_object_get(h, "services"), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(h, "services")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(svc, "proto")), "tcp");
	ck_assert_int_eq(json_integer_value(json_object_get(svc, "port")), 102);
	ck_assert_str_eq(json_string_value(json_object_get(svc, "app")), "s7comm");
	ck_assert_str_eq(json_string_value(json_object_get(h, "last_seen")),
	                 "2023-11-14T22:13:21.500Z");
	json_t *routed = json_array_get(hosts, 1);
	ck_assert(json_is_null(json_object_get(routed, "mac")));
	json_t *fl = json_array_get(json_object_get(j, "flows"), 0);
	static const char *const fkeys[] = {
	    "src",     "dst",   "proto",      "dport",     "app",     "src_zone", "dst_zone",
	    "packets", "bytes", "first_seen", "last_seen", "verdict", "rule"};
	for (size_t i = 0; i < sizeof(fkeys) / sizeof(fkeys[0]); i++)
		ck_assert_msg(json_object_get(fl, fkeys[i]) != NULL, "flow lacks %s", fkeys[i]);
	ck_assert_str_eq(json_string_value(json_object_get(fl, "verdict")), "violation");
	json_t *v = json_array_get(json_object_get(j, "violations"), 0);
	static const char *const vkeys[] = {"type",      "severity", "src",  "dst",   "proto",
	                                    "dport",     "mac",      "rule", "count", "first_seen",
	                                    "last_seen", "message",  "fix"};
	for (size_t i = 0; i < sizeof(vkeys) / sizeof(vkeys[0]); i++)
		ck_assert_msg(json_object_get(v, vkeys[i]) != NULL, "violation lacks %s", vkeys[i]);
	ck_assert_int_eq(json_integer_value(json_object_get(v, "count")), 3);
	ck_assert(json_is_null(json_object_get(v, "mac")));
	json_decref(j);
	res_free(r);
}
END_TEST

START_TEST(hostile_strings_still_give_valid_json)
{
	struct result *r = res_new("audit");
	struct res_host *h = res_add_host(r);
	h->hostname = xstrdup("bad\xff\xfe name \"quoted\"\n");
	json_t *j = roundtrip(r);
	const char *name = json_string_value(
	    json_object_get(json_array_get(json_object_get(j, "hosts"), 0), "hostname"));
	ck_assert_ptr_nonnull(name);
	ck_assert_ptr_nonnull(strstr(name, "\"quoted\""));
	json_decref(j);
	res_free(r);
}
END_TEST

/* The result's text must be exactly what jansson dumps for the same tree
 * (model/json-emit.h): parsing it with jansson and dumping that again
 * with JSON_INDENT(2) | JSON_PRESERVE_ORDER gives the same bytes. */
static void assert_jansson_text(const struct result *r)
{
	char *buf;
	size_t len;
	json_t *j = written(r, &buf, &len);
	char *again = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(again);
	size_t n = strlen(again), at = 0;
	while (at < n && at < len && buf[at] == again[at])
		at++;
	ck_assert_msg(len == n + 1 && at == n && buf[n] == '\n',
	              "written text differs from jansson's at byte %zu: \"%.40s\" vs \"%.40s\"", at,
	              buf + at, again + at);
	free(again);
	json_decref(j);
	free(buf);
}

/* Strings of every kind: control characters, quotes, backslashes, DEL,
 * 2-4 byte UTF-8, and invalid UTF-8 (overlong, surrogate, beyond
 * U+10FFFF, truncated, stray continuation, F5-FF), each in a host, a flow
 * and a violation, plus empty arrays and objects and extreme numbers. */
START_TEST(written_text_is_janssons)
{
	static const char *const strs[] = {
	    "",
	    "plain",
	    "\x01\x02\x07\b\f\n\r\t\x0b\x1b\x1f end",
	    "quote \" backslash \\ slash / del \x7f",
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80",
	    "overlong \xc0\x80",
	    "surrogate \xed\xa0\x80",
	    "too big \xf4\x90\x80\x80",
	    "truncated \xe2\x82",
	    "stray \x80 continuation",
	    "\xf5\xff\xfe bytes \x01 and \"",
	    "overlong3 \xe0\x80\xaf",
	    "overlong3 \xe0\x9f\xbf",
	    "overlong4 \xf0\x8f\xbf\xbf",
	    "max \xf4\x8f\xbf\xbf ok",
	};
	size_t ns = sizeof(strs) / sizeof(strs[0]);
	struct result *r = res_new("audit");
	free(r->tool_version);
	r->tool_version = xstrdup(strs[4]);
	r->started = -1;
	r->ended = 253402300799999999LL;         /* year 9999 */
	r->capture_first = 253402300800000000LL; /* year 10000: gmtime_r's text */
	r->policy_path = xstrdup(strs[2]);
	r->policy_sha256 = xstrdup("ab");
	r->stats.packets = UINT64_MAX; /* clamped */
	for (size_t i = 0; i < ns; i++) {
		res_strv_add(&r->inputs, strs[i]);
		struct res_host *h = res_add_host(r);
		h->vlan = i % 2 ? -1 : (int)i;
		h->hostname = xstrdup(strs[i]);
		h->vendor = xstrdup(strs[(i + 1) % ns]);
		h->managed = (int)(i % 3) - 1;
		h->has_mac = (int)(i % 2);
		h->packets = (uint64_t)INT64_MAX + i;
		if (i % 2) {
			res_strv_add(&h->notes, strs[i]);
			res_strv_add(&h->evidence, strs[(i + 2) % ns]);
			res_host_add_service(h, 17, (uint16_t)(1000 + i), strs[i],
			                     (int)(i % 4 == 1));
			res_host_add_service(h, 6, 80, NULL, 1);
		}
		struct res_flow *f = res_add_flow(r);
		f->proto = (uint8_t)(i * 37);
		f->dport = (uint16_t)(65535 - i);
		f->app = i % 3 ? xstrdup(strs[i]) : NULL;
		f->rule = xstrdup(strs[ns - 1 - i]);
		f->first_seen = (ss_time)i * 86400000000LL * 400;
		struct res_violation *v = res_add_violation(r);
		v->type = xstrdup(strs[i]);
		v->message = xstrdup(strs[(i + 3) % ns]);
		v->proto = (uint8_t)(i % 2 ? 6 : 0);
		v->count = i;
	}
	assert_jansson_text(r);

	/* Invalid UTF-8 degrades exactly as rj_str() does (the jansson-made
	 * reference): every byte >= 0x80 of such a string becomes '?'. */
	json_t *j = roundtrip(r);
	json_t *hosts = json_object_get(j, "hosts");
	for (size_t i = 0; i < ns; i++) {
		json_t *want = rj_str(strs[i]);
		ck_assert_str_eq(
		    json_string_value(json_object_get(json_array_get(hosts, i), "hostname")),
		    json_string_value(want));
		json_decref(want);
	}
	json_decref(j);
	res_free(r);

	/* And the empty result, and the sample with every field set. */
	r = res_new("monitor");
	assert_jansson_text(r);
	res_free(r);
	r = sample();
	assert_jansson_text(r);
	res_free(r);
}
END_TEST

/* res_intern: one copy per distinct string, stable as the pool grows past
 * a chunk and its set rehashes; a result may mix pooled and malloc'd
 * strings (res_free frees each kind right: ASan checks the rest). */
START_TEST(interned_strings_are_shared)
{
	struct result *r = res_new("audit");
	ck_assert_ptr_null(res_intern(r, NULL));
	char *office = res_intern(r, "office");
	char big[3000];
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char name[32];
	for (int i = 0; i < 200; i++) { /* > 64 KiB of strings, several rehashes */
		snprintf(name, sizeof(name), "rule %d", i);
		big[0] = (char)('a' + i % 26);
		big[1] = (char)('a' + i / 26);
		struct res_flow *f = res_add_flow(r);
		f->rule = res_intern(r, name);
		f->app = res_intern(r, big);
		f->src_zone = res_intern(r, "office");
		f->dst_zone = i % 2 ? xstrdup("plant") : NULL; /* malloc'd: freed alone */
		f->verdict = res_intern(r, i % 3 ? "allowed" : "violation");
		ck_assert_ptr_eq(f->src_zone, office);
		ck_assert_str_eq(f->rule, name);
		ck_assert_ptr_eq(res_intern(r, name), f->rule);
	}
	ck_assert_ptr_eq(res_intern(r, "office"), office);
	ck_assert_ptr_eq(r->flows[7].verdict, r->flows[8].verdict);
	ck_assert_ptr_ne(r->flows[7].rule, r->flows[8].rule);
	ck_assert_str_eq(r->flows[199].rule, "rule 199");
	ck_assert_int_eq(r->flows[199].app[0], 'a' + 199 % 26);
	assert_jansson_text(r);
	res_free(r);
}
END_TEST

/* res_sort orders flows by source, destination, protocol and port, as a
 * stable qsort would: equal flows (a merged result can hold them) keep
 * their order. Big enough that its two halves are sorted on two threads,
 * with v4 and v6, many duplicates and odd lengths. */
START_TEST(flows_sort_stably)
{
	static const size_t sizes[] = {0, 1, 15, 17, 1000, 16383, 16384, 40001};
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct result *r = res_new("merge");
		res_reserve(r, sizes[z], 0); /* no realloc per flow (slow under ASan) */
		for (size_t i = 0; i < sizes[z]; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			struct res_flow *f = res_add_flow(r);
			char a[64];
			if (x % 5 == 0)
				snprintf(a, sizeof(a), "fd00::%x", (unsigned)(x >> 8) % 40);
			else
				snprintf(a, sizeof(a), "10.0.%u.%u", (unsigned)(x >> 8) % 3,
				         (unsigned)(x >> 16) % 30);
			ck_assert_int_eq(ss_ip_parse(a, &f->src), 0);
			snprintf(a, sizeof(a), "10.1.0.%u", (unsigned)(x >> 24) % 20);
			ck_assert_int_eq(ss_ip_parse(a, &f->dst), 0);
			f->proto = x >> 40 & 1 ? 6 : 17;
			f->dport = (uint16_t)((x >> 41) % 4);
			f->packets = i; /* the original order */
		}
		res_sort(r);
		ck_assert_uint_eq(r->n_flows, sizes[z]);
		for (size_t i = 1; i < r->n_flows; i++) {
			const struct res_flow *p = &r->flows[i - 1], *q = &r->flows[i];
			int c = ss_ip_cmp(&p->src, &q->src);
			if (!c)
				c = ss_ip_cmp(&p->dst, &q->dst);
			if (!c)
				c = (p->proto > q->proto) - (p->proto < q->proto);
			if (!c)
				c = (p->dport > q->dport) - (p->dport < q->dport);
			ck_assert_msg(c < 0 || (c == 0 && p->packets < q->packets),
			              "flows %zu and %zu of %zu out of order", i - 1, i, sizes[z]);
		}
		res_free(r);
	}
}
END_TEST

START_TEST(iso_times_round_trip)
{
	char b[SS_ISO_STRLEN];
	ss_time t;
	ss_time_iso(0, b);
	ck_assert_str_eq(b, "1970-01-01T00:00:00.000Z");
	ss_time_iso(-1, b);
	ck_assert_str_eq(b, "1969-12-31T23:59:59.999Z");
	ck_assert_int_eq(ss_time_parse_iso("2024-03-04T05:06:07.250Z", &t), 0);
	ss_time_iso(t, b);
	ck_assert_str_eq(b, "2024-03-04T05:06:07.250Z");
	ck_assert_int_eq(ss_time_parse_iso("2024-03-04T14:06:07+09:00", &t), 0);
	ss_time_iso(t, b);
	ck_assert_str_eq(b, "2024-03-04T05:06:07.000Z");
	ck_assert_int_eq(ss_time_parse_iso("2024-13-04T05:06:07Z", &t), -1);
	ck_assert_int_eq(ss_time_parse_iso("2024-03-04T05:06:07", &t), -1);
}
END_TEST

/* ss_time_iso formats four-digit years by arithmetic; it must agree with
 * gmtime_r everywhere: leap years, century rules, both sides of 1970, and
 * the edges of years 0 and 9999 (beyond them it falls back to gmtime_r). */
START_TEST(iso_times_match_gmtime)
{
	static const int64_t secs[] = {0,
	                               59,
	                               86399,
	                               86400,
	                               951782400 /* 2000-02-29 */,
	                               951868800 /* 2000-03-01 */,
	                               4107542400 /* 2100-03-01 */,
	                               1709510400 /* 2024-03-04 */,
	                               -86400,
	                               -2208988800 /* 1900 */,
	                               -62167219200 /* 0000-01-01 */,
	                               253402300799 /* 9999-12-31T23:59:59 */,
	                               253402300800 /* 10000-01-01 */,
	                               -62167219201 /* year -1 */};
	uint64_t x = 0x243f6a8885a308d3ull;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]) + 20000; i++) {
		int64_t s;
		if (i < sizeof(secs) / sizeof(secs[0])) {
			s = secs[i];
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			s = (int64_t)(x % 315537897600ull) - 62167219200; /* years 0..9999 */
		}
		int64_t us = (int64_t)(x % 1000000);
		char got[SS_ISO_STRLEN], want[128];
		ss_time_iso(s * 1000000 + us, got);
		time_t tt = (time_t)s;
		struct tm tm;
		ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		         tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		         tm.tm_sec, (int)(us / 1000));
		want[SS_ISO_STRLEN - 1] = '\0';
		ck_assert_msg(strcmp(got, want) == 0, "%lld: %s, gmtime_r says %s", (long long)s,
		              got, want);
	}
}
END_TEST

START_TEST(address_classes_and_prefixes)
{
	static const struct {
		const char *ip;
		int priv, pub, local;
	} t[] = {{"10.1.2.3", 1, 0, 0},        {"172.16.0.1", 1, 0, 0},  {"172.32.0.1", 0, 1, 0},
	         {"192.168.1.1", 1, 0, 0},     {"8.8.8.8", 0, 1, 0},     {"224.0.0.251", 0, 0, 1},
	         {"255.255.255.255", 0, 0, 1}, {"169.254.3.4", 0, 0, 1}, {"fd00::1", 1, 0, 0},
	         {"2001:4860::8888", 0, 1, 0}, {"fe80::1", 0, 0, 1},     {"ff02::fb", 0, 0, 1},
	         {"127.0.0.1", 0, 0, 1},       {"::", 0, 0, 1}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ss_ip ip;
		ck_assert_int_eq(ss_ip_parse(t[i].ip, &ip), 0);
		ck_assert_msg(ss_ip_is_private(&ip) == t[i].priv, "%s private", t[i].ip);
		ck_assert_msg(ss_ip_is_public(&ip) == t[i].pub, "%s public", t[i].ip);
		ck_assert_msg(ss_ip_is_local_service(&ip) == t[i].local, "%s local", t[i].ip);
	}
	ss_prefix p;
	ck_assert_int_eq(ss_prefix_parse("10.10.0.0/16", &p), 0);
	ss_ip ip;
	ss_ip_parse("10.10.200.1", &ip);
	ck_assert(ss_prefix_contains(&p, &ip));
	ss_ip_parse("10.11.0.1", &ip);
	ck_assert(!ss_prefix_contains(&p, &ip));
	ck_assert_int_eq(ss_prefix_parse("10.10.0.1/16", &p), -2);
	ck_assert_int_eq(ss_prefix_parse("10.10.0.0/33", &p), -1);
	ck_assert_int_eq(ss_prefix_parse("fd00:10::/48", &p), 0);
	ck_assert_int_eq(ss_prefix_parse("10.1/8", &p), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json");
	TCase *c = tcase_create("writer");
	tcase_add_test(c, every_spec_field_is_written_with_its_type);
	tcase_add_test(c, hostile_strings_still_give_valid_json);
	tcase_add_test(c, written_text_is_janssons);
	tcase_add_test(c, interned_strings_are_shared);
	tcase_add_test(c, flows_sort_stably);
	tcase_add_test(c, iso_times_round_trip);
	tcase_add_test(c, iso_times_match_gmtime);
	tcase_add_test(c, address_classes_and_prefixes);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
