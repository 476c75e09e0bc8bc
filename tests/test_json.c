/*
 * tests/test_json.c - the JSON writer produces every field of the spec with
 * the right types, and address/time helpers behave at their edges.
 */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "reports/result.h"

static json_t *roundtrip(const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(res_write_json(r, f), 0);
	fclose(f);
	json_error_t e;
	json_t *j = json_loads(buf, 0, &e);
	if (!j)
		ck_abort_msg("invalid JSON at %d:%d: %s", e.line, e.column, e.text);
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
	tcase_add_test(c, iso_times_round_trip);
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
