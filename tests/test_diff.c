/*
 * tests/test_diff.c - Check suite for loading saved results (every error
 * with its exact line and column, and a full write/load round trip), the
 * three diffs (drift, policy against a result with its suggestions, two
 * policies over one result), the rule accessors, and merging results.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diff/diff.h"
#include "model/result.h"
#include "policy/policy.h"

/* ---- helpers ---- */

static ss_ip ip(const char *s)
{
	ss_ip a;
	ck_assert_msg(ss_ip_parse(s, &a) == 0, "bad test address %s", s);
	return a;
}

static ss_mac mac(const char *s)
{
	ss_mac m;
	ck_assert_msg(ss_mac_parse(s, &m) == 0, "bad test MAC %s", s);
	return m;
}

static ss_time t_iso(const char *s)
{
	ss_time t;
	ck_assert_msg(ss_time_parse_iso(s, &t) == 0, "bad test time %s", s);
	return t;
}

/* Writes text (len bytes) to a temporary file; returns its path (static). */
static const char *tmpfile_with(const char *text, size_t len)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/segscan-test-diff.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

/* "LINE:COL" of the first occurrence of marker in text, counted
 * independently of the loader: lines from 1, columns in characters. */
static void pos_of(const char *text, const char *marker, char out[32])
{
	const char *at = strstr(text, marker);
	ck_assert_msg(at != NULL, "marker %s not in text", marker);
	int line = 1, col = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80) {
			col++;
		}
	}
	snprintf(out, 32, "%d:%d", line, col);
}

/* Copy of text with the first `from` replaced by `to`. */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "'%s' not in text", from);
	size_t a = (size_t)(at - text), fl = strlen(from), tl = strlen(to), n = strlen(text);
	char *out = malloc(n - fl + tl + 1);
	memcpy(out, text, a);
	memcpy(out + a, to, tl);
	memcpy(out + a + tl, at + fl, n - a - fl + 1);
	return out;
}

/* Loads text, expects failure; returns the message after "PATH:". */
static const char *load_error(const char *text, size_t len, char *err, size_t errsz)
{
	const char *path = tmpfile_with(text, len);
	struct result *r = res_load_json(path, err, errsz);
	unlink(path);
	ck_assert_msg(r == NULL, "loaded a malformed result");
	size_t pl = strlen(path);
	ck_assert_msg(strncmp(err, path, pl) == 0 && err[pl] == ':', "no FILE: prefix in '%s'",
	              err);
	return err + pl + 1;
}

/* Asserts the error is at the position of marker in text (or at want when
 * want is given) and mentions what. */
static void expect_error(const char *text, const char *marker, const char *want, const char *what)
{
	char err[1024], pos[32];
	const char *msg = load_error(text, strlen(text), err, sizeof(err));
	if (want)
		snprintf(pos, sizeof(pos), "%s", want);
	else
		pos_of(text, marker, pos);
	ck_assert_msg(strncmp(msg, pos, strlen(pos)) == 0 && msg[strlen(pos)] == ':',
	              "error '%s' is not at %s", err, pos);
	ck_assert_msg(strstr(msg, what) != NULL, "error '%s' lacks '%s'", err, what);
}

/* A small valid result, one element of each kind, as a user's file could
 * look (line numbers matter to the tests below). */
static const char *const base_json =
    "{\n"
    "  \"tool\": {\"name\": \"segscan\", \"version\": \"0.1.0\"},\n"
    "  \"scan\": {\"mode\": \"audit\", \"started\": \"2024-03-05T08:00:00.000Z\", \"ended\": "
    "null,\n"
    "           \"inputs\": [\"a.pcap\"], \"packets\": 10, \"policy\": null},\n"
    "  \"hosts\": [\n"
    "    {\"mac\": \"00:1b:1b:50:00:20\", \"ips\": [\"192.168.50.20\"], \"vlan\": null,\n"
    "     \"vendor\": \"Siemens\", \"hostname\": null, \"zone\": \"plant\", \"asset\": null,\n"
    "     \"managed\": null, \"device_class\": \"plc\", \"os\": null, \"protocols\": "
    "[\"s7comm\"],\n"
    "     \"services\": [{\"proto\": \"tcp\", \"port\": 102, \"app\": \"s7comm\"}],\n"
    "     \"first_seen\": \"2024-03-05T08:00:00.000Z\", \"last_seen\": null,\n"
    "     \"packets\": 5, \"bytes\": 500, \"evidence\": [\"arp\"]},\n"
    "    {\"mac\": null, \"ips\": [\"10.9.9.9\"], \"vlan\": null, \"vendor\": null, \"hostname\": "
    "null,\n"
    "     \"zone\": null, \"asset\": null, \"managed\": null, \"device_class\": \"unknown\",\n"
    "     \"os\": null, \"protocols\": [], \"services\": [], \"first_seen\": null,\n"
    "     \"last_seen\": \"2024-03-05T09:00:00.000Z\", \"packets\": 1, \"bytes\": 60,\n"
    "     \"evidence\": [\"routed\"], \"future_field\": {\"any\": [1, 2]}}\n"
    "  ],\n"
    "  \"flows\": [\n"
    "    {\"src\": \"10.10.1.12\", \"dst\": \"192.168.50.20\", \"proto\": \"tcp\", \"dport\": "
    "502,\n"
    "     \"app\": null, \"src_zone\": \"office\", \"dst_zone\": \"plant\", \"packets\": 1,\n"
    "     \"bytes\": 60, \"first_seen\": null, \"last_seen\": null, \"verdict\": \"violation\",\n"
    "     \"rule\": null}\n"
    "  ],\n"
    "  \"violations\": [\n"
    "    {\"type\": \"unallowed_flow\", \"severity\": \"high\", \"src\": \"10.10.1.12\",\n"
    "     \"dst\": \"192.168.50.20\", \"proto\": \"tcp\", \"dport\": 502, \"mac\": null,\n"
    "     \"rule\": null, \"count\": 1, \"first_seen\": null, \"last_seen\": null,\n"
    "     \"message\": \"m\", \"fix\": \"f\"}\n"
    "  ]\n"
    "}\n";

/* ---- loading: errors ---- */

START_TEST(base_document_loads)
{
	char err[512] = "";
	const char *path = tmpfile_with(base_json, strlen(base_json));
	struct result *r = res_load_json(path, err, sizeof(err));
	unlink(path);
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_uint_eq(r->n_hosts, 2);
	ck_assert_uint_eq(r->n_flows, 1);
	ck_assert_uint_eq(r->n_violations, 1);
	ck_assert(!r->hosts[1].has_mac);
	ck_assert_int_eq(r->hosts[0].services[0].port, 102);
	ck_assert_int_eq(r->flows[0].dport, 502);
	ck_assert_int_eq(r->flows[0].proto, 6);
	ck_assert_int_eq(r->stats.packets, 10);
	ck_assert(r->ended == SS_TIME_NONE);
	res_free(r);
}
END_TEST

START_TEST(syntax_error_has_jansson_position)
{
	char *t = replace(base_json, "\"packets\": 10,", "\"packets\": 10 x");
	/* The byte check stops at the x on line 4: no JSON text has one there. */
	expect_error(t, "x\"policy", "4:48", "cannot start or continue JSON");
	free(t);
	/* Bytes JSON may hold, in the wrong order: jansson's position, and its
	 * message without the token it quotes (a file is never echoed back). */
	t = replace(base_json, "\"packets\": 10,", "\"packets\": 10 false");
	expect_error(t, "false\"policy", "4:52", "'}' expected");
	char e2[1024];
	load_error(t, strlen(t), e2, sizeof(e2));
	ck_assert_msg(strstr(e2, "false") == NULL && strstr(e2, "near") == NULL, "echoed: %s", e2);
	free(t);
	char err[512];
	const char *msg = load_error("", 0, err, sizeof(err));
	ck_assert_msg(strncmp(msg, "1:1:", 4) == 0, "empty file: %s", err);
	msg = load_error("{\"tool\": {}", 11, err, sizeof(err));
	ck_assert_msg(strncmp(msg, "1:11:", 5) == 0, "truncated file: %s", err);
}
END_TEST

START_TEST(wrong_type_for_hosts)
{
	char *t = replace(base_json, "\"hosts\": [", "\"hosts\": {\"x\": [");
	char *t2 = replace(t, "  ],\n  \"flows\"", "  ]},\n  \"flows\"");
	/* The value of "hosts" starts on line 5, column 12. */
	expect_error(t2, "{\"x\"", "5:12", "hosts: must be an array, not an object");
	free(t);
	free(t2);
}
END_TEST

START_TEST(bad_ip_in_host_points_at_the_address)
{
	char *t = replace(base_json, "\"10.9.9.9\"", "\"10.9.9.999\"");
	expect_error(t, "\"10.9.9.999\"", "12:27", "hosts[1].ips[0]: bad IP address '10.9.9.999'");
	free(t);
	t = replace(base_json, "\"src\": \"10.10.1.12\", \"dst\"", "\"src\": 7, \"dst\"");
	expect_error(t, "7, \"dst\"", NULL, "flows[0].src: must be an IP address string");
	free(t);
}
END_TEST

START_TEST(bad_time_and_bad_values)
{
	char *t = replace(base_json, "\"last_seen\": \"2024-03-05T09:00:00.000Z\"",
	                  "\"last_seen\": \"2024-03-05 09:00\"");
	expect_error(t, "\"2024-03-05 09:00\"", "15:19", "hosts[1].last_seen: bad time");
	free(t);
	t = replace(base_json, "\"port\": 102", "\"port\": 70000");
	expect_error(t, "70000", NULL, "hosts[0].services[0].port: 70000 is out of range");
	free(t);
	t = replace(base_json, "\"packets\": 5,", "\"packets\": -5,");
	expect_error(t, "-5,", NULL, "hosts[0].packets: must not be negative");
	free(t);
	t = replace(base_json, "\"proto\": \"tcp\", \"dport\": 502,\n     \"app\"",
	            "\"proto\": \"tcpx\", \"dport\": 502,\n     \"app\"");
	expect_error(t, "\"tcpx\"", NULL, "flows[0].proto: unknown protocol 'tcpx'");
	free(t);
	t = replace(base_json, "\"verdict\": \"violation\"", "\"verdict\": \"maybe\"");
	expect_error(t, "\"maybe\"", NULL, "flows[0].verdict: unknown verdict");
	free(t);
	t = replace(base_json, "\"packets\": 1, \"bytes\": 60,\n     \"evidence\"",
	            "\"packets\": 1.5, \"bytes\": 60,\n     \"evidence\"");
	expect_error(t, "1.5", NULL, "must be an integer");
	free(t);
	t = replace(base_json, "\"mac\": \"00:1b:1b:50:00:20\"", "\"mac\": \"00:1b:1b:50:00\"");
	expect_error(t, "\"00:1b:1b:50:00\"", NULL, "hosts[0].mac: bad MAC address");
	free(t);
	t = replace(base_json, "\"severity\": \"high\"", "\"severity\": \"dire\"");
	expect_error(t, "\"dire\"", NULL, "violations[0].severity: unknown severity");
	free(t);
	/* A huge integer is a jansson error at the number (at its last digit,
	 * as jansson counts). */
	t = replace(base_json, "\"bytes\": 500", "\"bytes\": 123456789012345678901234567890");
	expect_error(t, "123456789012345678901234567890", "11:58", "too big integer");
	free(t);
}
END_TEST

START_TEST(missing_field_points_at_the_object)
{
	char *t = replace(base_json, "\"evidence\": [\"arp\"]}", "\"evidnce\": [\"arp\"]}");
	expect_error(t, "{\"mac\": \"00:1b", "6:5", "hosts[0]: missing field 'evidence'");
	free(t);
	t = replace(base_json, "  \"violations\": [\n", "  \"violatons\": [\n");
	expect_error(t, "{\n", "1:1", "missing field 'violations'");
	free(t);
	t = replace(base_json, "\"name\": \"segscan\"", "\"name\": \"nmap\"");
	expect_error(t, "\"nmap\"", NULL, "tool.name: 'nmap' is not segscan");
	free(t);
	t = replace(base_json, "[{\"proto\": \"tcp\", \"port\": 102",
	            "[17, {\"proto\": \"tcp\", \"port\": 102");
	expect_error(t, "17, {", NULL, "hosts[0].services[0]: a service must be an object");
	free(t);
}
END_TEST

START_TEST(duplicate_key)
{
	char *t = replace(base_json, "\"vendor\": \"Siemens\",",
	                  "\"vendor\": \"Siemens\", \"vendor\": \"X\",");
	/* jansson reports the end of the repeated key. */
	expect_error(t, "\"vendor\": \"X\"", "7:34", "duplicate object key");
	free(t);
}
END_TEST

START_TEST(invalid_utf8)
{
	char *t = replace(base_json, "\"Siemens\"",
	                  "\"Sie\xff"
	                  "mens\"");
	expect_error(t, "\xff", "7:20", "unable to decode byte 0xff");
	free(t);
	/* Columns count characters: the é before the bad byte is one. */
	t = replace(base_json, "\"Siemens\"",
	            "\"S\xc3\xa9\xff"
	            "mens\"");
	expect_error(t, "\xff", "7:19", "unable to decode byte 0xff");
	free(t);
}
END_TEST

START_TEST(deep_nesting)
{
	/* 40 levels inside an unknown field: valid JSON, refused at the 33rd. */
	char deep[128] = "";
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	for (int i = 0; i < 40; i++)
		strcat(deep, "]");
	char *t = replace(base_json, "{\"any\": [1, 2]}", deep);
	/* the root is level 1, the host array 2, the host 3: the 33rd level is
	 * the 30th bracket of the field, 29 after its first one. */
	char pos[32];
	pos_of(t, "[[[[[[[[[[", pos);
	ck_assert_str_eq(pos, "16:46");
	expect_error(t, "[[[[[[[[[[", "16:75", "nested deeper than 32 levels");
	free(t);
	/* Absurd depth: jansson's own limit, still with a position. */
	size_t n = 100000;
	char *abs = malloc(n + 1);
	memset(abs, '[', n);
	abs[n] = '\0';
	char err[512];
	const char *msg = load_error(abs, n, err, sizeof(err));
	ck_assert_msg(strncmp(msg, "1:2049:", 7) == 0, "%s", err);
	ck_assert_ptr_nonnull(strstr(msg, "maximum parsing depth"));
	free(abs);
}
END_TEST

START_TEST(missing_and_unreadable_files)
{
	char err[512];
	ck_assert_ptr_null(res_load_json("/nonexistent/segscan.json", err, sizeof(err)));
	ck_assert_str_eq(err, "/nonexistent/segscan.json: No such file or directory");
	ck_assert_ptr_null(res_load_json("/tmp", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/tmp: "));
	/* Not an object at all. */
	const char *msg = load_error("[1, 2]", 6, err, sizeof(err));
	ck_assert_msg(strncmp(msg, "1:1: a result must be a JSON object", 35) == 0, "%s", err);
}
END_TEST

/* ---- loading: round trip ---- */

static struct result *full_result(void)
{
	struct result *r = res_new("audit");
	r->started = t_iso("2024-03-05T08:00:00.123Z");
	r->ended = t_iso("2024-03-05T08:10:00.000Z");
	r->capture_first = t_iso("2024-03-05T07:00:00.000Z");
	r->capture_last = t_iso("2024-03-05T07:59:59.999Z");
	res_strv_add(&r->inputs, "a.pcap");
	res_strv_add(&r->inputs, "b.pcapng");
	r->policy_path = xstrdup("policy.yaml");
	r->policy_sha256 = xstrdup("ab12");
	r->site = xstrdup("Plant 1 \xe5\xb7\xa5\xe5\xa0\xb4"); /* 工場 */
	r->stats = (struct res_stats){100, 90, 3, 2, 1, 4, 5};
	struct res_host *h = res_add_host(r);
	h->has_mac = 1;
	h->mac = mac("00:1b:1b:50:00:20");
	ss_ip a = ip("192.168.50.20");
	res_host_add_ip(h, &a);
	a = ip("fd00:50::20");
	res_host_add_ip(h, &a);
	h->vlan = 50;
	h->vendor = xstrdup("Siemens AG");
	h->mac_local = 1;
	h->hostname = xstrdup("plc-press");
	h->zone = xstrdup("plant");
	h->asset = xstrdup("plc-01");
	h->owner = xstrdup("Production");
	h->managed = 1;
	h->device_class = xstrdup("plc");
	h->os = xstrdup("firmware");
	h->router = 1;
	h->model = xstrdup("S7-1200");
	h->firmware = xstrdup("V4.2");
	h->serial = xstrdup("S C-X4U");
	h->class_evidence = xstrdup("s7comm SZL");
	h->os_evidence = xstrdup("TTL 30");
	res_strv_add(&h->eol_hints, "smb1");
	res_strv_add(&h->notes, "snmp community 'public'");
	res_strv_add(&h->protocols, "s7comm");
	res_strv_add(&h->protocols, "modbus");
	res_host_add_service(h, 6, 102, "s7comm", 0);
	res_host_add_service(h, 6, 502, "modbus", 1);
	res_host_add_service(h, 17, 161, NULL, 0);
	h->first_seen = t_iso("2024-03-05T07:00:01.000Z");
	h->last_seen = t_iso("2024-03-05T07:59:00.000Z");
	h->packets = 1234567890123ULL;
	h->bytes = 9876543210ULL;
	res_strv_add(&h->evidence, "arp");
	res_strv_add(&h->evidence, "dhcp");
	struct res_host *routed = res_add_host(r);
	a = ip("10.9.9.9");
	res_host_add_ip(routed, &a);
	routed->managed = 0;
	struct res_flow *f = res_add_flow(r);
	f->src = ip("10.10.1.12");
	f->dst = ip("192.168.50.20");
	f->proto = 6;
	f->dport = 502;
	f->app = xstrdup("modbus");
	f->src_zone = xstrdup("office");
	f->dst_zone = xstrdup("plant");
	f->packets = 10;
	f->bytes = 1000;
	f->first_seen = t_iso("2024-03-05T07:10:00.000Z");
	f->last_seen = t_iso("2024-03-05T07:11:00.000Z");
	f->verdict = xstrdup("violation");
	f->rule = xstrdup("no modbus");
	struct res_violation *v = res_add_violation(r);
	v->type = xstrdup("forbidden_flow");
	v->severity = xstrdup("critical");
	v->src = f->src;
	v->dst = f->dst;
	v->proto = 6;
	v->dport = 502;
	v->rule = xstrdup("no modbus");
	v->count = 10;
	v->first_seen = f->first_seen;
	v->last_seen = f->last_seen;
	v->message = xstrdup("message \"quoted\"\nline two");
	v->fix = xstrdup("fix it");
	struct res_violation *w = res_add_violation(r);
	w->type = xstrdup("rogue_dhcp");
	w->severity = xstrdup("high");
	w->src = ip("10.10.5.1");
	w->has_mac = 1;
	w->mac = mac("50:c7:bf:05:00:01");
	w->count = 1;
	struct res_flow *g = res_add_flow(r); /* moves f: added last */
	g->src = ip("fe80::1");
	g->dst = ip("fe80::2");
	g->proto = 58;
	return r;
}

static char *to_json(const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(res_write_json(r, f), 0);
	fclose(f);
	return buf;
}

START_TEST(write_load_round_trip)
{
	struct result *r = full_result();
	char *first = to_json(r);
	const char *path = tmpfile_with(first, strlen(first));
	char err[512];
	struct result *back = res_load_json(path, err, sizeof(err));
	unlink(path);
	ck_assert_msg(back != NULL, "%s", err);
	/* Every field the writer writes comes back: the rewrite is identical. */
	char *second = to_json(back);
	ck_assert_str_eq(first, second);
	/* And the model itself, field by field where the text could hide it. */
	ck_assert_str_eq(back->mode, "audit");
	ck_assert_str_eq(back->tool_version, SEGSCAN_VERSION);
	ck_assert(back->started == r->started && back->ended == r->ended);
	ck_assert(back->capture_first == r->capture_first && back->capture_last == r->capture_last);
	ck_assert_uint_eq(back->inputs.n, 2);
	ck_assert_str_eq(back->site, r->site);
	ck_assert(memcmp(&back->stats, &r->stats, sizeof(r->stats)) == 0);
	const struct res_host *h = &back->hosts[0], *o = &r->hosts[0];
	ck_assert(h->has_mac && ss_mac_cmp(&h->mac, &o->mac) == 0);
	ck_assert_uint_eq(h->n_ips, 2);
	ck_assert(ss_ip_eq(&h->ips[1], &o->ips[1]));
	ck_assert_int_eq(h->vlan, 50);
	ck_assert_int_eq(h->mac_local, 1);
	ck_assert_int_eq(h->managed, 1);
	ck_assert_int_eq(h->router, 1);
	ck_assert_str_eq(h->owner, "Production");
	ck_assert_str_eq(h->serial, "S C-X4U");
	ck_assert_uint_eq(h->n_services, 3);
	ck_assert_int_eq(h->services[1].app_guess, 1);
	ck_assert_ptr_null(h->services[2].app);
	ck_assert_uint_eq(h->packets, 1234567890123ULL);
	ck_assert(h->first_seen == o->first_seen && h->last_seen == o->last_seen);
	ck_assert_int_eq(back->hosts[1].managed, 0);
	ck_assert_int_eq(back->hosts[1].vlan, -1);
	ck_assert(back->hosts[1].first_seen == SS_TIME_NONE);
	ck_assert_int_eq(back->flows[1].proto, 58);
	ck_assert_str_eq(back->flows[1].verdict, "local");
	ck_assert_str_eq(back->violations[0].message, r->violations[0].message);
	ck_assert_int_eq(back->violations[1].proto, 0);
	ck_assert(back->violations[1].has_mac);
	ck_assert(back->violations[1].dst.family == 0);
	free(first);
	free(second);
	res_free(back);
	res_free(r);
}
END_TEST

/* ---- drift ---- */

static struct res_host *host(struct result *r, const char *m, const char *addr, const char *cls,
                             const char *zone)
{
	struct res_host *h = res_add_host(r);
	if (m) {
		h->has_mac = 1;
		h->mac = mac(m);
	}
	ss_ip a = ip(addr);
	res_host_add_ip(h, &a);
	h->device_class = cls ? xstrdup(cls) : NULL;
	h->zone = zone ? xstrdup(zone) : NULL;
	return h;
}

static struct res_flow *flow(struct result *r, const char *s, const char *d, uint8_t proto,
                             uint16_t dport, uint64_t packets)
{
	struct res_flow *f = res_add_flow(r);
	f->src = ip(s);
	f->dst = ip(d);
	f->proto = proto;
	f->dport = dport;
	f->packets = packets;
	f->first_seen = t_iso("2024-01-01T10:00:00Z");
	f->last_seen = t_iso("2024-01-01T10:05:00Z");
	f->verdict = xstrdup("allowed");
	return f;
}

static struct res_violation *viol(struct result *r, const char *type, const char *s, const char *d,
                                  uint16_t dport, uint64_t count)
{
	struct res_violation *v = res_add_violation(r);
	v->type = xstrdup(type);
	v->severity = xstrdup("high");
	v->src = ip(s);
	if (d)
		v->dst = ip(d);
	v->proto = d ? 6 : 0;
	v->dport = dport;
	v->count = count;
	return v;
}

START_TEST(drift_every_category)
{
	struct result *o = res_new("audit"), *n = res_new("audit");
	host(o, "00:00:00:00:00:0a", "10.0.0.1", "plc", "plant")->vendor = xstrdup("Siemens");
	host(o, "00:00:00:00:00:0b", "10.0.0.2", NULL, "plant");  /* gone */
	host(o, NULL, "10.9.9.9", NULL, NULL);                    /* routed, same */
	host(o, "00:00:00:00:00:0c", "10.0.0.3", "hmi", "plant"); /* unchanged */
	struct res_host *a = host(n, "00:00:00:00:00:0a", "10.0.0.1", "hmi", "office");
	a->vendor = xstrdup("Siemens");
	ss_ip extra = ip("10.0.0.11");
	res_host_add_ip(a, &extra);
	host(n, NULL, "10.9.9.9", "unknown", NULL);
	host(n, "00:00:00:00:00:0c", "10.0.0.3", "hmi", "plant");
	host(n, "00:00:00:00:00:0d", "10.0.0.4", NULL, "plant"); /* new */
	host(n, NULL, "10.8.8.8", NULL, NULL);                   /* new, routed */
	flow(o, "10.0.0.1", "10.0.0.3", 6, 502, 5);
	flow(o, "10.0.0.1", "10.0.0.2", 6, 102, 5);  /* gone */
	flow(n, "10.0.0.1", "10.0.0.3", 6, 502, 50); /* same key */
	flow(n, "10.0.0.4", "10.0.0.3", 17, 161, 1); /* new */
	viol(o, "unallowed_flow", "10.0.0.1", "10.0.0.3", 502, 5);
	viol(o, "unknown_device", "10.0.0.2", NULL, 0, 1); /* resolved */
	viol(n, "unallowed_flow", "10.0.0.1", "10.0.0.3", 502, 50);
	viol(n, "unknown_device", "10.0.0.4", NULL, 0, 1); /* new */

	struct diff_drift *d = diff_drift_new(o, n);
	ck_assert_uint_eq(d->n_hosts_new, 2);
	ck_assert(d->hosts_new[0]->has_mac && d->hosts_new[0]->mac.b[5] == 0x0d);
	ck_assert(!d->hosts_new[1]->has_mac);
	ck_assert_uint_eq(d->n_hosts_gone, 1);
	ck_assert_int_eq(d->hosts_gone[0]->mac.b[5], 0x0b);
	ck_assert_uint_eq(d->n_hosts_changed, 1);
	const struct diff_host_change *c = &d->hosts_changed[0];
	ck_assert_int_eq(c->new_host->mac.b[5], 0x0a);
	ck_assert_uint_eq(c->n_fields, 3);
	ck_assert_str_eq(c->fields[0].field, "ips");
	ck_assert_str_eq(c->fields[0].from, "10.0.0.1");
	ck_assert_str_eq(c->fields[0].to, "10.0.0.1, 10.0.0.11");
	ck_assert_str_eq(c->fields[1].field, "device_class");
	ck_assert_str_eq(c->fields[1].from, "plc");
	ck_assert_str_eq(c->fields[1].to, "hmi");
	ck_assert_str_eq(c->fields[2].field, "zone");
	ck_assert_str_eq(c->fields[2].from, "plant");
	ck_assert_str_eq(c->fields[2].to, "office");
	ck_assert_uint_eq(d->n_flows_new, 1);
	ck_assert_int_eq(d->flows_new[0]->dport, 161);
	ck_assert_uint_eq(d->n_flows_gone, 1);
	ck_assert_int_eq(d->flows_gone[0]->dport, 102);
	ck_assert_uint_eq(d->n_viol_new, 1);
	ck_assert_str_eq(d->viol_new[0]->type, "unknown_device");
	ck_assert_uint_eq(d->n_viol_resolved, 1);
	ss_ip gone = ip("10.0.0.2");
	ck_assert(ss_ip_eq(&d->viol_resolved[0]->src, &gone));
	ck_assert_uint_eq(diff_drift_count(d), 8);

	/* The renderings carry the same findings. */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_drift_write(d, DIFF_FMT_TEXT, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "hosts:      2 new, 1 gone, 1 changed"));
	ck_assert_ptr_nonnull(strstr(buf, "zone: plant -> office"));
	ck_assert_ptr_nonnull(strstr(buf, "+ 00:00:00:00:00:0d 10.0.0.4"));
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_drift_write(d, DIFF_FMT_JSON, f), 0);
	fclose(f);
	json_error_t je;
	json_t *j = json_loads(buf, 0, &je);
	ck_assert_msg(j != NULL, "diff JSON invalid: %s", je.text);
	ck_assert_int_eq(
	    json_integer_value(json_object_get(json_object_get(j, "summary"), "hosts_new")), 2);
	json_t *ch = json_array_get(json_object_get(json_object_get(j, "hosts"), "changed"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(
	                     json_array_get(json_object_get(ch, "changes"), 1), "to")),
	                 "hmi");
	json_decref(j);
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_drift_write(d, DIFF_FMT_HTML, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "<h2>New hosts (2)</h2>"));
	free(buf);
	diff_drift_free(d);

	/* A result against itself: nothing. */
	d = diff_drift_new(n, n);
	ck_assert_uint_eq(diff_drift_count(d), 0);
	diff_drift_free(d);
	res_free(o);
	res_free(n);
}
END_TEST

/* ---- policy against a result ---- */

static const char *const pol_base =
    "version: 1\n"
    "zones:\n"
    "  office: {kind: office, networks: [10.10.0.0/16]}\n"
    "  plant: {kind: plant, networks: [192.168.50.0/24]}\n"
    "  backup: {kind: backup, networks: [10.99.0.0/24]}\n"
    "default: deny\n"
    "forbid:\n"
    "  - name: no telnet into the plant\n"
    "    from: office\n"
    "    to: plant\n"
    "    services: [tcp/23]\n"
    "assets:\n"
    "  - {name: plc-01, mac: \"00:1b:1b:50:00:20\", ip: 192.168.50.20, zone: plant}\n"
    "  - {name: eng-ws, ip: 10.10.1.50, zone: office}\n"
    "  - {name: ghost, mac: \"00:00:5e:00:99:99\", zone: plant}\n";

static const char *const pol_allow_old = "allow:\n"
                                         "  - name: eng modbus\n"
                                         "    from: eng-ws\n"
                                         "    to: plc-01\n"
                                         "    services: [modbus]\n"
                                         "  - name: never used\n"
                                         "    from: office\n"
                                         "    to: backup\n"
                                         "    services: [tcp/445, smb]\n"
                                         "    schedule: \"mon-fri 08:00-18:00\"\n";

static const char *const pol_allow_new = "allow:\n"
                                         "  - name: pc modbus\n"
                                         "    from: 10.10.1.12\n"
                                         "    to: plc-01\n"
                                         "    services: [tcp/502]\n";

static struct policy *load_policy(const char *a, const char *b)
{
	char *text = xasprintf("%s%s", a, b ? b : "");
	struct pol_error e;
	struct policy *p = pol_load_buffer("test.yaml", text, strlen(text), &e);
	ck_assert_msg(p != NULL, "policy: %d:%d: %s\n%s", e.line, e.col, e.msg, text);
	free(text);
	return p;
}

/* plc-01, eng-ws, an unregistered PC; eng-ws and the PC speak Modbus to
 * the PLC, the PC also tries telnet. */
static struct result *plant_result(void)
{
	struct result *r = res_new("audit");
	host(r, "00:1b:1b:50:00:20", "192.168.50.20", "plc", "plant");
	host(r, "00:1a:a0:01:00:50", "10.10.1.50", NULL, "office");
	host(r, "d4:be:d9:0a:01:0c", "10.10.1.12", NULL, "office");
	flow(r, "10.10.1.50", "192.168.50.20", 6, 502, 7)->app = xstrdup("modbus");
	flow(r, "10.10.1.12", "192.168.50.20", 6, 502, 3)->app = xstrdup("modbus");
	flow(r, "10.10.1.12", "192.168.50.20", 6, 23, 2);
	flow(r, "10.10.1.12", "10.10.1.50", 6, 445, 1); /* intra-zone */
	res_sort(r);
	return r;
}

static const struct res_flow *find_flow(const struct result *r, const char *src, uint16_t dport)
{
	ss_ip s = ip(src);
	for (size_t i = 0; i < r->n_flows; i++)
		if (ss_ip_eq(&r->flows[i].src, &s) && r->flows[i].dport == dport)
			return &r->flows[i];
	ck_abort_msg("no flow %s :%u", src, dport);
	return NULL;
}

START_TEST(rule_accessors)
{
	struct policy *p = load_policy(pol_base, pol_allow_old);
	ck_assert_uint_eq(pol_rule_count(p), 3);
	struct pol_rule_info ri;
	ck_assert_int_eq(pol_rule_at(p, 0, &ri), 0);
	ck_assert_int_eq(ri.kind, POL_RULE_FORBID);
	ck_assert_str_eq(ri.name, "no telnet into the plant");
	ck_assert_str_eq(ri.services, "tcp/23");
	ck_assert_int_eq(pol_rule_at(p, 2, &ri), 0);
	ck_assert_int_eq(ri.kind, POL_RULE_ALLOW);
	ck_assert_uint_eq(ri.index, 1);
	ck_assert_str_eq(ri.from, "office");
	ck_assert_str_eq(ri.to, "backup");
	ck_assert_str_eq(ri.services, "tcp/445, smb");
	ck_assert_str_eq(ri.schedule, "mon-fri 08:00-18:00");
	ck_assert_int_eq(pol_rule_at(p, 1, &ri), 0);
	ck_assert_str_eq(ri.from, "eng-ws");
	ck_assert_str_eq(ri.schedule, "");
	ck_assert_int_eq(pol_rule_at(p, 3, &ri), -1);
	ck_assert_int_eq(pol_default_allow(p), 0);
	pol_free(p);
}
END_TEST

START_TEST(policy_against_result)
{
	struct policy *p = load_policy(pol_base, pol_allow_old);
	struct result *r = plant_result();
	struct diff_policy *d = diff_policy_new(p, r);
	/* Violations: telnet (forbidden), the PC's Modbus (unallowed), and the
	 * PC itself (unknown device). */
	ck_assert_uint_eq(d->n_violating, 2);
	size_t forbidden = 0, unallowed = 0, unknown = 0;
	for (size_t i = 0; i < d->found->n_violations; i++) {
		const char *t = d->found->violations[i].type;
		forbidden += strcmp(t, "forbidden_flow") == 0;
		unallowed += strcmp(t, "unallowed_flow") == 0;
		unknown += strcmp(t, "unknown_device") == 0;
		ck_assert_ptr_nonnull(d->found->violations[i].message);
		ck_assert_ptr_nonnull(d->found->violations[i].fix);
	}
	ck_assert_uint_eq(forbidden, 1);
	ck_assert_uint_eq(unallowed, 1);
	ck_assert_uint_eq(unknown, 1);
	ck_assert_uint_eq(d->n_unused_rules, 1);
	ck_assert_str_eq(d->unused_rules[0].name, "never used");
	ck_assert_uint_eq(d->n_empty_zones, 1);
	ck_assert_str_eq(d->empty_zones[0]->name, "backup");
	ck_assert_uint_eq(d->n_unseen_assets, 1);
	ck_assert_str_eq(d->unseen_assets[0]->name, "ghost");

	/* One suggestion: the PC's Modbus; telnet is forbidden, never suggested. */
	ck_assert_uint_eq(d->n_suggestions, 1);
	const struct diff_suggestion *s = &d->suggestions[0];
	ck_assert_str_eq(s->src_zone, "office");
	ck_assert_str_eq(s->dst_zone, "plant");
	ck_assert_int_eq(s->dport, 502);
	ck_assert_uint_eq(s->from.n, 1);
	ck_assert_str_eq(s->from.v[0], "10.10.1.12");
	ck_assert_uint_eq(s->to.n, 1);
	ck_assert_str_eq(s->to.v[0], "plc-01");
	ck_assert_ptr_nonnull(strstr(d->snippet, "SUGGESTED"));
	ck_assert_ptr_nonnull(strstr(d->snippet, "REVIEW"));
	ck_assert_ptr_nonnull(strstr(d->snippet, "- name: \"suggested office -> plant tcp/502\"\n"
	                                         "    from: [\"10.10.1.12\"]\n"
	                                         "    to: [\"plc-01\"]\n"
	                                         "    services: [\"tcp/502\"]\n"));
	ck_assert_ptr_null(strstr(d->snippet, "tcp/23"));

	/* The snippet is a valid allow list: wrapped into the policy it loads,
	 * and the suggested flow is then allowed while telnet stays forbidden. */
	struct policy *q = load_policy(pol_base, d->snippet);
	struct pol_flow pf = {.src = ip("10.10.1.12"),
	                      .dst = ip("192.168.50.20"),
	                      .proto = 6,
	                      .dport = 502,
	                      .ts = t_iso("2024-01-01T10:00:00Z")};
	struct pol_decision dec;
	pol_judge_flow(q, &pf, &dec);
	ck_assert_int_eq(dec.verdict, POL_VERDICT_ALLOWED);
	ck_assert_str_eq(dec.rule, "suggested office -> plant tcp/502");
	pf.dport = 23;
	pol_judge_flow(q, &pf, &dec);
	ck_assert_int_eq(dec.verdict, POL_VERDICT_VIOLATION);
	ck_assert_int_eq(dec.vtype, POL_V_FORBIDDEN_FLOW);
	pol_free(q);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_policy_write(d, DIFF_FMT_JSON, f), 0);
	fclose(f);
	json_t *j = json_loads(buf, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(json_object_get(
	                     json_array_get(json_object_get(j, "unused_allow_rules"), 0), "name")),
	                 "never used");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "empty_zones"), 0)),
	                 "backup");
	json_decref(j);
	free(buf);
	f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_policy_write(d, DIFF_FMT_HTML, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "suggested office -&gt; plant tcp/502"));
	free(buf);
	diff_policy_free(d);
	res_free(r);
	pol_free(p);
}
END_TEST

START_TEST(many_endpoints_widen_to_the_zone)
{
	struct policy *p = load_policy(pol_base, NULL);
	struct result *r = res_new("audit");
	for (int i = 0; i < DIFF_SUGGEST_MAX_ENDPOINTS + 1; i++) {
		char a[32];
		snprintf(a, sizeof(a), "10.10.2.%d", i + 1);
		flow(r, a, "192.168.50.20", 17, 161, 1);
	}
	struct diff_policy *d = diff_policy_new(p, r);
	ck_assert_uint_eq(d->n_suggestions, 1);
	ck_assert_uint_eq(d->suggestions[0].from.n, 1);
	ck_assert_str_eq(d->suggestions[0].from.v[0], "office");
	struct policy *q = load_policy(pol_base, d->snippet);
	pol_free(q);
	diff_policy_free(d);
	res_free(r);
	pol_free(p);
}
END_TEST

START_TEST(policy_change)
{
	struct policy *a = load_policy(pol_base, pol_allow_old);
	struct policy *b = load_policy(pol_base, pol_allow_new);
	struct result *r = plant_result();
	struct diff_policy_change *d = diff_policy_change_new(a, b, r);
	ck_assert_uint_eq(d->n_flows, 4);
	ck_assert_uint_eq(d->n_changes, 2);
	const struct res_flow *eng = find_flow(r, "10.10.1.50", 502);
	const struct res_flow *pc = find_flow(r, "10.10.1.12", 502);
	const struct res_flow *telnet = find_flow(r, "10.10.1.12", 23);
	int saw_eng = 0, saw_pc = 0;
	for (size_t i = 0; i < d->n_changes; i++) {
		const struct diff_verdict_change *c = &d->changes[i];
		ck_assert_ptr_ne(c->flow, telnet); /* forbidden under both: no change */
		if (c->flow == eng) {
			saw_eng = 1;
			ck_assert_int_eq(c->old_d.verdict, POL_VERDICT_ALLOWED);
			ck_assert_str_eq(c->old_d.rule, "eng modbus");
			ck_assert_int_eq(c->new_d.verdict, POL_VERDICT_VIOLATION);
			ck_assert_int_eq(c->new_d.vtype, POL_V_UNALLOWED_FLOW);
		} else if (c->flow == pc) {
			saw_pc = 1;
			ck_assert_int_eq(c->old_d.verdict, POL_VERDICT_VIOLATION);
			ck_assert_int_eq(c->new_d.verdict, POL_VERDICT_ALLOWED);
			ck_assert_str_eq(c->new_d.rule, "pc modbus");
		}
	}
	ck_assert(saw_eng && saw_pc);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_int_eq(diff_policy_change_write(d, DIFF_FMT_TEXT, f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "2 of 4 observed flows change"));
	ck_assert_ptr_nonnull(strstr(buf, "-> allowed by rule 'pc modbus'"));
	free(buf);
	diff_policy_change_free(d);

	/* The same policy twice changes nothing. */
	d = diff_policy_change_new(a, a, r);
	ck_assert_uint_eq(d->n_changes, 0);
	diff_policy_change_free(d);
	res_free(r);
	pol_free(a);
	pol_free(b);
}
END_TEST

/* ---- merge ---- */

START_TEST(merge_sensors)
{
	struct result *a = res_new("audit"), *b = res_new("audit");
	a->started = t_iso("2024-01-01T10:00:00Z");
	a->ended = t_iso("2024-01-01T11:00:00Z");
	b->started = t_iso("2024-01-01T09:00:00Z");
	b->ended = t_iso("2024-01-01T10:30:00Z");
	res_strv_add(&a->inputs, "a.pcap");
	res_strv_add(&b->inputs, "b.pcap");
	a->policy_path = xstrdup("p.yaml");
	a->policy_sha256 = xstrdup("aaaa");
	b->policy_path = xstrdup("p.yaml");
	b->policy_sha256 = xstrdup("aaaa");
	struct res_host *ha = host(a, "00:1b:1b:50:00:20", "192.168.50.20", "unknown", "plant");
	ha->packets = 10;
	ha->first_seen = t_iso("2024-01-01T10:00:00Z");
	ha->last_seen = t_iso("2024-01-01T10:10:00Z");
	res_strv_add(&ha->protocols, "s7comm");
	res_strv_add(&ha->evidence, "arp");
	struct res_host *hb = host(b, "00:1b:1b:50:00:20", "fd00:50::20", "plc", "plant");
	hb->packets = 5;
	hb->first_seen = t_iso("2024-01-01T09:00:00Z");
	hb->last_seen = t_iso("2024-01-01T10:05:00Z");
	res_strv_add(&hb->protocols, "modbus");
	res_strv_add(&hb->protocols, "s7comm");
	res_strv_add(&hb->evidence, "ndp");
	/* Seen behind a router by b, directly by a: one host. */
	host(b, NULL, "192.168.50.20", NULL, NULL)->packets = 1;
	host(b, NULL, "10.9.9.9", NULL, NULL);
	flow(a, "10.10.1.12", "192.168.50.20", 6, 502, 3);
	flow(b, "10.10.1.12", "192.168.50.20", 6, 502, 4)->first_seen =
	    t_iso("2024-01-01T09:00:00Z");
	flow(b, "10.10.1.12", "192.168.50.20", 6, 102, 1);
	viol(a, "unallowed_flow", "10.10.1.12", "192.168.50.20", 502, 3);
	viol(b, "unallowed_flow", "10.10.1.12", "192.168.50.20", 502, 4);

	const struct result *in[2] = {a, b};
	struct res_strv warn = {NULL, 0};
	struct result *m = merge_results(in, 2, &warn);
	ck_assert_uint_eq(warn.n, 0);
	ck_assert_str_eq(m->mode, "merge");
	ck_assert_uint_eq(m->inputs.n, 2);
	ck_assert(m->started == b->started && m->ended == a->ended);
	ck_assert_str_eq(m->policy_sha256, "aaaa");
	ck_assert_uint_eq(m->n_hosts, 2);
	const struct res_host *h = &m->hosts[1]; /* 192.168.50.20 sorts after 10.9.9.9 */
	ck_assert(h->has_mac);
	ck_assert_uint_eq(h->n_ips, 2);
	ck_assert_uint_eq(h->packets, 16);
	ck_assert_str_eq(h->device_class, "plc");
	ck_assert_uint_eq(h->protocols.n, 2);
	ck_assert_uint_eq(h->evidence.n, 2);
	/* (hb moved when b grew: compare with the times it was given) */
	ck_assert(h->first_seen == t_iso("2024-01-01T09:00:00Z"));
	ck_assert(h->last_seen == t_iso("2024-01-01T10:10:00Z"));
	ck_assert_uint_eq(m->n_flows, 2);
	const struct res_flow *f = find_flow(m, "10.10.1.12", 502);
	ck_assert_uint_eq(f->packets, 7);
	ck_assert(f->first_seen == t_iso("2024-01-01T09:00:00Z"));
	ck_assert_uint_eq(m->n_violations, 1);
	ck_assert_uint_eq(m->violations[0].count, 7);
	res_free(m);

	/* Different policies: a warning and no policy. */
	free(b->policy_sha256);
	b->policy_sha256 = xstrdup("bbbb");
	m = merge_results(in, 2, &warn);
	ck_assert_uint_eq(warn.n, 1);
	ck_assert_ptr_null(m->policy_path);
	/* The merged result is itself a loadable result. */
	char *text = to_json(m);
	const char *path = tmpfile_with(text, strlen(text));
	char err[512];
	struct result *back = res_load_json(path, err, sizeof(err));
	unlink(path);
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert_str_eq(back->mode, "merge");
	res_free(back);
	free(text);
	res_free(m);
	res_strv_free(&warn);
	res_free(a);
	res_free(b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("diff");
	TCase *c = tcase_create("load");
	tcase_add_test(c, base_document_loads);
	tcase_add_test(c, syntax_error_has_jansson_position);
	tcase_add_test(c, wrong_type_for_hosts);
	tcase_add_test(c, bad_ip_in_host_points_at_the_address);
	tcase_add_test(c, bad_time_and_bad_values);
	tcase_add_test(c, missing_field_points_at_the_object);
	tcase_add_test(c, duplicate_key);
	tcase_add_test(c, invalid_utf8);
	tcase_add_test(c, deep_nesting);
	tcase_add_test(c, missing_and_unreadable_files);
	tcase_add_test(c, write_load_round_trip);
	suite_add_tcase(s, c);
	c = tcase_create("diff");
	tcase_add_test(c, drift_every_category);
	tcase_add_test(c, rule_accessors);
	tcase_add_test(c, policy_against_result);
	tcase_add_test(c, many_endpoints_widen_to_the_zone);
	tcase_add_test(c, policy_change);
	tcase_add_test(c, merge_sensors);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	/* Schedules are local time: make the tests independent of the host. */
	setenv("TZ", "UTC", 1);
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
