/*
 * tests/test_policy.c - Check suite for the policy module: the strict
 * loader (each error with its exact line and column), zones and
 * longest-prefix match, schedules at their edges and across midnight in a
 * set time zone, flow verdicts, all nine violation types, the violation
 * set, messages, and robustness against mangled YAML.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "common/sha256.h"
#include "policy/policy.h"

/* ---- helpers ---- */

static struct policy *load(const char *yaml)
{
	struct pol_error err;
	struct policy *p = pol_load_buffer("test.yaml", yaml, strlen(yaml), &err);
	ck_assert_msg(p != NULL, "load failed: %d:%d: %s", err.line, err.col, err.msg);
	return p;
}

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

/* Microseconds for a UTC wall-clock time. */
static ss_time utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
	                .tm_mon = mo - 1,
	                .tm_mday = d,
	                .tm_hour = h,
	                .tm_min = mi,
	                .tm_sec = s};
	return (ss_time)timegm(&tm) * 1000000;
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

/* The policy most tests judge against. 2024-01-01 is a Monday. */
static const char *const main_policy =
    "version: 1\n"
    "site: Test Plant\n"
    "zones:\n"
    "  office: {kind: office, networks: [10.10.0.0/16, \"fd00:10::/48\"], vlans: [10]}\n"
    "  plant: {kind: plant, networks: [192.168.50.0/24, \"fd00:50::/48\"]}\n"
    "  backup: {kind: backup, networks: [10.99.0.0/24]}\n"
    "  wide: {kind: other, networks: [10.0.0.0/8]}\n"
    "  narrow: {kind: server, networks: [10.1.0.0/16]}\n"
    "  single: {kind: server, networks: [10.1.2.3/32]}\n"
    "default: deny\n"
    "forbid:\n"
    "  - name: no office to plant modbus\n"
    "    from: office\n"
    "    to: plant\n"
    "    services: [modbus]\n"
    "    severity: critical\n"
    "  - name: eng-ws never to xp\n"
    "    from: eng-ws\n"
    "    to: xp-hmi\n"
    "  - name: no telnet in plant\n"
    "    from: hmi-01\n"
    "    to: [plc-01, 192.168.50.21]\n"
    "    services: telnet\n"
    "    severity: medium\n"
    "allow:\n"
    "  - name: office web\n"
    "    from: office\n"
    "    to: internet\n"
    "    services: [tcp/80, https, udp/53]\n"
    "  - name: eng to plant\n"
    "    from: eng-ws\n"
    "    to: plant\n"
    "    services: [s7comm, modbus]\n"
    "  - name: nightly backup\n"
    "    from: backup-server\n"
    "    to: backup-nas\n"
    "    services: [smb]\n"
    "    schedule: \"daily 01:00-04:00\"\n"
    "  - name: late job\n"
    "    from: 10.10.5.0/24\n"
    "    to: backup\n"
    "    services: [tcp/22]\n"
    "    schedule: \"mon,wed,fri 22:00-02:00\"\n"
    "  - name: mac asset\n"
    "    from: laptop\n"
    "    to: plant\n"
    "    services: [tcp/8080]\n"
    "assets:\n"
    "  - {name: eng-ws, ip: 10.10.1.50, mac: \"00:1a:a0:01:00:50\", zone: office}\n"
    "  - {name: hmi-01, ip: 192.168.50.10, mac: \"00:01:fc:50:00:10\", zone: plant}\n"
    "  - {name: xp-hmi, ip: 192.168.50.30, mac: \"00:90:e8:50:00:30\", zone: plant, eol: true}\n"
    "  - {name: plc-01, ip: 192.168.50.20, mac: \"00:1b:1b:50:00:20\", zone: plant}\n"
    "  - {name: backup-server, ip: 10.99.0.10, zone: backup}\n"
    "  - {name: backup-nas, ip: 10.99.0.20, zone: backup}\n"
    "  - {name: laptop, mac: \"00:11:22:33:44:55\", zone: office}\n"
    "  - {name: core-router, mac: \"00:00:0c:07:ac:01\", role: router}\n"
    "  - {name: dhcp-1, ip: 10.10.0.2, dhcp_server: true}\n";

static struct policy *P;

static void setup_main(void)
{
	set_tz("UTC0");
	P = load(main_policy);
}

static void teardown_main(void)
{
	pol_free(P);
	P = NULL;
}

static struct pol_flow flow(const char *src, const char *dst, uint8_t proto, uint16_t dport,
                            ss_time ts)
{
	struct pol_flow f = {
	    .src = ip(src), .dst = ip(dst), .proto = proto, .dport = dport, .ts = ts};
	return f;
}

static const ss_time NOON = 1704110400LL * 1000000; /* Mon 2024-01-01 12:00 UTC */

/* ---- loader errors: table ---- */

static const struct load_case {
	const char *what;
	const char *yaml;
	int line, col;
	const char *msg; /* substring of the message */
} load_cases[] = {
    {"unknown key",
     "version: 1\nzones:\n  office:\n    kind: office\n    netwroks: [10.10.0.0/16]\n", 5, 5,
     "unknown key 'netwroks'"},
    {"duplicate key",
     "version: 1\nzones:\n  office:\n    kind: office\n    networks: [10.10.0.0/16]\n"
     "    kind: plant\n",
     6, 5, "duplicate key 'kind'"},
    {"duplicate zone",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  a: {kind: office, networks: [10.2.0.0/16]}\n",
     4, 3, "duplicate key 'a'"},
    {"duplicate top-level key", "version: 1\nversion: 1\n", 2, 1, "duplicate key 'version'"},
    {"bad CIDR", "version: 1\nzones:\n  office:\n    kind: office\n    networks: [10.10.0.0/33]\n",
     5, 16, "bad network '10.10.0.0/33'"},
    {"host bits set",
     "version: 1\nzones:\n  office:\n    kind: office\n    networks: [10.10.1.0/16]\n", 5, 16,
     "host bits set in network '10.10.1.0/16' (the network is 10.10.0.0/16)"},
    {"IPv6 host bits set",
     "version: 1\nzones:\n  office:\n    kind: office\n    networks: [\"fd00:10::1/48\"]\n", 5, 16,
     "host bits set"},
    {"same network twice",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.1.0.0/16]}\n",
     4, 31, "already in zone 'a'"},
    {"bad MAC",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - name: hmi-01\n    mac: \"00:01:fc:50:00\"\n",
     6, 10, "bad MAC address"},
    {"duplicate MAC",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: a, mac: \"00:01:fc:50:00:10\"}\n  - {name: b, mac: \"00:01:FC:50:00:10\"}\n",
     6, 20, "already registered to asset 'a'"},
    {"bad port",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    services: [tcp/80, tcp/x1]\n",
     9, 24, "bad port"},
    {"port out of range",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    services: [udp/70000]\n",
     9, 16, "port out of range"},
    {"reversed port range",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    services: [udp/5010-5000]\n",
     9, 16, "bad port range"},
    {"unknown service name",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    services: [modbsu]\n",
     9, 16, "unknown service 'modbsu'"},
    {"bad schedule time",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    schedule: \"daily 25:00-04:00\"\n",
     9, 15, "bad time range '25:00-04:00'"},
    {"bad schedule minute",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    schedule: daily 01:60-04:00\n",
     9, 15, "bad time range"},
    {"bad weekday",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    schedule: \"mon-fry 08:00-18:00\"\n",
     9, 15, "bad weekday 'mon-fry'"},
    {"empty schedule window",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    schedule: \"daily 08:00-08:00\"\n",
     9, 15, "empty time range"},
    {"bad severity",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nforbid:\n  - name: r\n    from: a\n    to: b\n"
     "    severity: urgent\n",
     9, 15, "bad severity 'urgent'"},
    {"severity on an allow rule",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: a\n    to: b\n"
     "    severity: high\n",
     9, 5, "unknown key 'severity'"},
    {"undefined zone in from",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "  b: {kind: plant, networks: [10.2.0.0/16]}\nallow:\n  - name: r\n    from: offce\n"
     "    to: b\n",
     7, 11, "undefined zone or asset 'offce'"},
    {"undefined name in a to list",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\nforbid:\n"
     "  - {name: r, from: a, to: [internet, nope]}\n",
     5, 39, "undefined zone or asset 'nope'"},
    {"bad CIDR in selector",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\nforbid:\n"
     "  - {name: r, from: 10.1.0.0/40, to: a}\n",
     5, 21, "bad CIDR"},
    {"missing from",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\nforbid:\n"
     "  - {name: r, to: a}\n",
     5, 5, "has no 'from'"},
    {"undefined asset zone",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: hmi-01, ip: 192.168.50.10, zone: plnt}\n",
     5, 45, "undefined zone 'plnt'"},
    {"asset ip outside its zone",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: hmi-01, ip: 192.168.51.10, zone: plant}\n",
     5, 45, "in no declared zone, not in zone 'plant'"},
    {"asset without mac or ip",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: ghost, zone: plant}\n",
     5, 5, "needs a 'mac' or an 'ip'"},
    {"asset named like a zone",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: plant, ip: 192.168.50.9}\n",
     5, 12, "already a zone name"},
    {"bad eol value",
     "version: 1\nzones:\n  plant: {kind: plant, networks: [192.168.50.0/24]}\nassets:\n"
     "  - {name: a, ip: 192.168.50.9, eol: maybe}\n",
     5, 38, "'eol' must be true or false"},
    {"version 2", "version: 2\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n", 1, 10,
     "unsupported policy version 2"},
    {"version not a number", "version: one\n", 1, 10, "must be a number"},
    {"missing version", "zones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n", 1, 1,
     "missing required key 'version'"},
    {"missing zones", "version: 1\nsite: x\n", 1, 1, "missing required key 'zones'"},
    {"bad kind", "version: 1\nzones:\n  a:\n    kind: factory\n    networks: [10.1.0.0/16]\n", 4,
     11, "bad kind 'factory'"},
    {"missing kind", "version: 1\nzones:\n  a:\n    networks: [10.1.0.0/16]\n", 4, 5,
     "has no 'kind'"},
    {"bad probe",
     "version: 1\nzones:\n  a:\n    kind: plant\n    networks: [10.1.0.0/16]\n"
     "    probe: sometimes\n",
     6, 12, "bad probe value"},
    {"bad VLAN",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16], vlans: [10, 4095]}\n", 3, 58,
     "out of range"},
    {"bad default",
     "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
     "default: permit\n",
     4, 10, "bad default 'permit'"},
    {"reserved zone name", "version: 1\nzones:\n  internet: {kind: dmz, networks: [1.2.3.0/24]}\n",
     3, 3, "reserved"},
    {"zone name like an address",
     "version: 1\nzones:\n  10net: {kind: dmz, networks: [10.0.0.0/8]}\n", 3, 3,
     "bad zone name '10net'"},
    {"alias refused", "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n  b: *x\n",
     4, 6, "aliases are not allowed"},
    {"anchor refused", "version: 1\nzones:\n  a: &z {kind: office, networks: [10.1.0.0/16]}\n", 3,
     6, "anchors are not allowed"},
    {"billion laughs refused at the first anchor",
     "version: 1\na: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\n", 2, 4,
     "anchors are not allowed"},
    {"tag refused", "version: !!str 1\n", 1, 10, "tags are not allowed"},
    {"deep nesting refused",
     "version: 1\nx: "
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
     2, 35, "nesting deeper than 32 levels"},
    {"tab indentation", "version: 1\nzones:\n\toffice: {}\n", 3, 1, "YAML syntax error"},
    {"unclosed flow sequence", "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16}\n",
     3, 43, "YAML syntax error"},
    {"two documents", "version: 1\n---\nversion: 1\n", 2, 1, "one YAML document"},
    {"not a mapping", "- 1\n- 2\n", 1, 1, "must be a mapping"},
    {"empty file", "", 1, 1, "empty policy"},
    {"NUL escape in a string", "version: 1\nsite: \"a\\0b\"\n", 2, 7, "NUL character"},
};

START_TEST(test_load_error)
{
	const struct load_case *c = &load_cases[_i];
	struct pol_error err;
	struct policy *p = pol_load_buffer("bad.yaml", c->yaml, strlen(c->yaml), &err);
	ck_assert_msg(p == NULL, "%s: loaded but should fail", c->what);
	ck_assert_str_eq(err.file, "bad.yaml");
	ck_assert_msg(err.line == c->line && err.col == c->col,
	              "%s: error at %d:%d (%s), expected %d:%d", c->what, err.line, err.col,
	              err.msg, c->line, c->col);
	ck_assert_msg(strstr(err.msg, c->msg) != NULL, "%s: message '%s' lacks '%s'", c->what,
	              err.msg, c->msg);
}
END_TEST

START_TEST(test_load_file_errors)
{
	struct pol_error err;
	ck_assert_ptr_null(pol_load_file("/nonexistent/policy.yaml", &err));
	ck_assert_str_eq(err.file, "/nonexistent/policy.yaml");
	ck_assert_int_eq(err.line, 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot read"));

	/* over the 4 MiB cap: refused before parsing */
	size_t big = ((size_t)4 << 20) + 10;
	char *buf = malloc(big);
	ck_assert_ptr_nonnull(buf);
	memset(buf, '#', big);
	ck_assert_ptr_null(pol_load_buffer("big.yaml", buf, big, &err));
	ck_assert_ptr_nonnull(strstr(err.msg, "larger than 4 MiB"));
	free(buf);
}
END_TEST

START_TEST(test_load_file_ok)
{
	char path[] = "/tmp/test_policy_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	const char *y = "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n";
	fputs(y, f);
	fclose(f);
	struct pol_error err;
	struct policy *p = pol_load_file(path, &err);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(pol_path(p), path);
	char hex[65];
	ss_sha256_hex(y, strlen(y), hex);
	ck_assert_str_eq(pol_sha256(p), hex);
	ck_assert_ptr_null(pol_site(p));
	pol_free(p);
	unlink(path);
}
END_TEST

/* ---- what a good policy loads into ---- */

START_TEST(test_load_main)
{
	ck_assert_str_eq(pol_site(P), "Test Plant");
	ck_assert_int_eq(pol_zone_count(P), 6);
	const struct pol_zone *o = pol_zone_by_name(P, "office");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->kind, POL_KIND_OFFICE);
	ck_assert_int_eq(o->n_networks, 2);
	ck_assert_int_eq(o->networks[1].net.family, 6);
	ck_assert_int_eq(o->networks[1].len, 48);
	ck_assert_int_eq(o->n_vlans, 1);
	ck_assert_int_eq(o->vlans[0], 10);
	ck_assert_int_eq(o->probe_allowed, 1);
	/* passive-only is the default for plant and backup kinds */
	ck_assert_int_eq(pol_zone_by_name(P, "plant")->probe_allowed, 0);
	ck_assert_int_eq(pol_zone_by_name(P, "backup")->probe_allowed, 0);
	ck_assert_int_eq(pol_zone_by_name(P, "narrow")->probe_allowed, 1);
	ck_assert_ptr_null(pol_zone_by_name(P, "nope"));
	ck_assert_str_eq(pol_zone_at(P, 0)->name, "office");
	ck_assert_ptr_null(pol_zone_at(P, 6));
	ck_assert_str_eq(pol_zone_kind_name(POL_KIND_MANAGEMENT), "management");

	ck_assert_int_eq(pol_asset_count(P), 9);
	const struct pol_asset *x = pol_asset_by_name(P, "xp-hmi");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->eol, 1);
	ck_assert_str_eq(x->zone, "plant");
	ss_ip a = ip("192.168.50.30");
	ck_assert_ptr_eq(pol_asset_by_ip(P, &a), x);
	ss_mac m = mac("00:90:e8:50:00:30");
	ck_assert_ptr_eq(pol_asset_by_mac(P, &m), x);
	const struct pol_asset *r = pol_asset_by_name(P, "core-router");
	ck_assert_int_eq(r->role, POL_ROLE_ROUTER);
	ck_assert_str_eq(r->role_name, "router");
	ck_assert_int_eq(r->has_ip, 0);
	ck_assert_int_eq(pol_asset_by_name(P, "dhcp-1")->dhcp_server, 1);
	ck_assert_ptr_null(pol_asset_by_name(P, "nobody"));
}
END_TEST

START_TEST(test_summary)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pol_print_summary(P, f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, "site:    Test Plant"));
	ck_assert_ptr_nonnull(strstr(buf, "10.10.0.0/16, fd00:10::/48"));
	ck_assert_ptr_nonnull(strstr(buf, "passive-only"));
	ck_assert_ptr_nonnull(strstr(buf, "5 allow (2 scheduled), 3 forbid; default deny"));
	ck_assert_ptr_nonnull(strstr(buf, "assets:  9 (1 end-of-life, 1 DHCP servers, 1 routers"));
	free(buf);
}
END_TEST

/* ---- zones ---- */

static const struct zone_case {
	const char *addr;
	const char *zone; /* NULL: local service */
} zone_cases[] = {
    {"10.10.1.12", "office"},    {"10.1.2.3", "single"}, /* /32 inside /16 inside /8 */
    {"10.1.2.4", "narrow"},                              /* 10.1.0.0/16 beats 10.0.0.0/8 */
    {"10.200.0.1", "wide"},      {"10.99.0.5", "backup"},       {"192.168.50.20", "plant"},
    {"8.8.8.8", "internet"},     {"192.168.1.5", "unassigned"}, {"172.16.0.9", "unassigned"},
    {"fd00:10::5", "office"},    {"fd00:50:0:1::9", "plant"},   {"fd99::1", "unassigned"},
    {"2001:db8::1", "internet"}, {"224.0.0.251", NULL},         {"239.255.255.250", NULL},
    {"255.255.255.255", NULL},   {"192.168.50.255", NULL}, /* directed broadcast of the plant /24 */
    {"169.254.10.1", NULL},      {"127.0.0.1", NULL},           {"0.0.0.0", NULL},
    {"fe80::1", NULL},           {"ff02::1:2", NULL},           {"::1", NULL},
};

START_TEST(test_zone_of)
{
	const struct zone_case *c = &zone_cases[_i];
	ss_ip a = ip(c->addr);
	const char *z = pol_zone_of(P, &a);
	if (c->zone)
		ck_assert_msg(z && strcmp(z, c->zone) == 0, "%s: zone %s, expected %s", c->addr,
		              z ? z : "NULL", c->zone);
	else
		ck_assert_msg(z == NULL, "%s: zone %s, expected local service", c->addr, z);
}
END_TEST

START_TEST(test_zone_find_and_no_policy)
{
	ss_ip a = ip("10.1.2.3");
	ck_assert_str_eq(pol_zone_find(P, &a)->name, "single");
	a = ip("192.168.1.1");
	ck_assert_ptr_null(pol_zone_find(P, &a));
	/* without a policy only the built-in zones exist */
	ck_assert_str_eq(pol_zone_of(NULL, &a), "unassigned");
	a = ip("9.9.9.9");
	ck_assert_str_eq(pol_zone_of(NULL, &a), "internet");
	a = ip("224.0.0.1");
	ck_assert_ptr_null(pol_zone_of(NULL, &a));
	ss_ip none = {0};
	ck_assert_ptr_null(pol_zone_of(P, &none));
}
END_TEST

/* Many networks: the lookup stays correct (and the trie makes it cheap). */
START_TEST(test_zone_many_networks)
{
	char *y = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&y, &len);
	fprintf(f, "version: 1\nzones:\n  big:\n    kind: office\n    networks:\n");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "      - 10.%d.%d.0/24\n", i / 256, i % 256);
	fprintf(f, "  v6:\n    kind: plant\n    networks:\n");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "      - \"fd00:%x::/32\"\n", i);
	fclose(f);
	struct policy *p = load(y);
	free(y);
	ss_ip a = ip("10.3.231.7");
	ck_assert_str_eq(pol_zone_of(p, &a), "big");
	a = ip("10.3.232.7");
	ck_assert_str_eq(pol_zone_of(p, &a), "unassigned");
	a = ip("fd00:3e7::1");
	ck_assert_str_eq(pol_zone_of(p, &a), "v6");
	a = ip("fd00:3e8::1");
	ck_assert_str_eq(pol_zone_of(p, &a), "unassigned");
	pol_free(p);
}
END_TEST

/* ---- services ---- */

START_TEST(test_services)
{
	struct pol_portrange r[8];
	ck_assert_int_eq(pol_service_lookup("https", r, 8), 1);
	ck_assert_int_eq(r[0].proto, 6);
	ck_assert_int_eq(r[0].lo, 443);
	ck_assert_int_eq(pol_service_lookup("ENIP", r, 8), 3);
	ck_assert_int_eq(pol_service_lookup("enip", r, 2), 2);
	ck_assert_int_eq(pol_service_lookup("slmp", r, 8), 2);
	ck_assert_int_eq(pol_service_lookup("fins", r, 8), 2);
	ck_assert_int_eq(pol_service_lookup("dns", r, 8), 2);
	ck_assert_int_eq(pol_service_lookup("dhcp", r, 8), 1);
	ck_assert_int_eq(r[0].proto, 17);
	ck_assert_int_eq(r[0].lo, 67);
	ck_assert_int_eq(r[0].hi, 68);
	ck_assert_int_eq(pol_service_lookup("s7comm", r, 8), 1);
	ck_assert_int_eq(r[0].lo, 102);
	/* from the protocol list (common/protocols.h), in its order */
	ck_assert_int_eq(pol_service_lookup("enip", r, 8), 3);
	ck_assert_int_eq(r[0].proto, 6);
	ck_assert_int_eq(r[1].proto, 17);
	ck_assert_int_eq(r[2].lo, 2222);
	ck_assert_int_eq(pol_service_lookup("mndp", r, 8), 1);
	ck_assert_int_eq(r[0].proto, 17);
	ck_assert_int_eq(r[0].lo, 5678);
	ck_assert_int_eq(r[0].hi, 5678);
	ck_assert_int_eq(pol_service_lookup("lldp", r, 8), 0);    /* L2 only: no port */
	ck_assert_int_eq(pol_service_lookup("netbios", r, 8), 2); /* not a protocol of the list */
	ck_assert_int_eq(pol_service_lookup("nosuch", r, 8), 0);
	ck_assert_int_eq(pol_service_lookup(NULL, r, 8), 0);
}
END_TEST

START_TEST(test_service_forms)
{
	const char *y = "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
	                "  b: {kind: office, networks: [10.2.0.0/16]}\n"
	                "allow:\n"
	                "  - {name: range, from: a, to: b, services: [udp/5000-5010]}\n"
	                "  - {name: alltcp, from: a, to: b, services: [\"tcp/*\"]}\n"
	                "  - {name: icmp, from: b, to: a, services: icmp}\n"
	                "  - {name: anyb, from: 10.2.9.0/24, to: a}\n";
	struct policy *p = load(y);
	struct pol_decision d;
	struct pol_flow f = flow("10.1.0.1", "10.2.0.1", 17, 5010, NOON);
	pol_judge_flow(p, &f, &d);
	ck_assert_str_eq(d.rule, "range");
	f.dport = 5011;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
	f.proto = 6;
	f.dport = 31337;
	pol_judge_flow(p, &f, &d);
	ck_assert_str_eq(d.rule, "alltcp");
	f = flow("10.2.0.1", "10.1.0.1", 1, 0, NOON);
	pol_judge_flow(p, &f, &d);
	ck_assert_str_eq(d.rule, "icmp");
	f.proto = 6;
	f.dport = 22;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
	ck_assert_int_eq(d.vtype, POL_V_UNALLOWED_FLOW);
	ck_assert_int_eq(d.severity, POL_SEV_MEDIUM);   /* office to office kinds */
	f = flow("10.2.9.1", "10.1.0.1", 132, 0, NOON); /* services omitted: any */
	pol_judge_flow(p, &f, &d);
	ck_assert_str_eq(d.rule, "anyb");
	pol_free(p);
}
END_TEST

/* ---- flow verdicts: table ---- */

static const struct flow_case {
	const char *what;
	const char *src, *dst;
	uint8_t proto;
	uint16_t dport;
	const char *app;
	enum pol_verdict verdict;
	enum pol_vtype vtype; /* when VIOLATION */
	enum pol_severity sev;
	const char *rule; /* NULL: none expected */
} flow_cases[] = {
    {"forbid: office modbus to plant", "10.10.1.12", "192.168.50.20", 6, 502, NULL,
     POL_VERDICT_VIOLATION, POL_V_FORBIDDEN_FLOW, POL_SEV_CRITICAL, "no office to plant modbus"},
    {"forbid matches the identified app on another port", "10.10.1.12", "192.168.50.20", 6, 1502,
     "modbus", POL_VERDICT_VIOLATION, POL_V_FORBIDDEN_FLOW, POL_SEV_CRITICAL,
     "no office to plant modbus"},
    {"forbid before allow: eng-ws modbus", "10.10.1.50", "192.168.50.20", 6, 502, NULL,
     POL_VERDICT_VIOLATION, POL_V_FORBIDDEN_FLOW, POL_SEV_CRITICAL, "no office to plant modbus"},
    {"allow by asset ip: eng-ws s7comm", "10.10.1.50", "192.168.50.20", 6, 102, NULL,
     POL_VERDICT_ALLOWED, 0, 0, "eng to plant"},
    {"forbid without services, default severity high", "10.10.1.50", "192.168.50.30", 6, 102, NULL,
     POL_VERDICT_VIOLATION, POL_V_FORBIDDEN_FLOW, POL_SEV_HIGH, "eng-ws never to xp"},
    {"forbid inside one zone by asset and list", "192.168.50.10", "192.168.50.21", 6, 23, NULL,
     POL_VERDICT_VIOLATION, POL_V_FORBIDDEN_FLOW, POL_SEV_MEDIUM, "no telnet in plant"},
    {"intra-zone otherwise", "192.168.50.10", "192.168.50.20", 6, 502, NULL, POL_VERDICT_INTRA, 0,
     0, NULL},
    {"intra-zone v6", "fd00:50::10", "fd00:50::20", 6, 502, NULL, POL_VERDICT_INTRA, 0, 0, NULL},
    {"office web", "10.10.1.12", "93.184.216.34", 6, 443, NULL, POL_VERDICT_ALLOWED, 0, 0,
     "office web"},
    {"office web v6 to internet", "fd00:10::12", "2606:2800::1", 17, 53, NULL, POL_VERDICT_ALLOWED,
     0, 0, "office web"},
    {"forbid v6 office to plant", "fd00:10::12", "fd00:50::20", 6, 502, NULL, POL_VERDICT_VIOLATION,
     POL_V_FORBIDDEN_FLOW, POL_SEV_CRITICAL, "no office to plant modbus"},
    {"default deny, backup kind: high", "10.10.1.12", "10.99.0.20", 6, 445, NULL,
     POL_VERDICT_VIOLATION, POL_V_UNALLOWED_FLOW, POL_SEV_HIGH, NULL},
    {"default deny, plant to internet: high", "192.168.50.20", "8.8.8.8", 17, 53, NULL,
     POL_VERDICT_VIOLATION, POL_V_UNALLOWED_FLOW, POL_SEV_HIGH, NULL},
    {"default deny, office to server: medium", "10.10.1.12", "10.1.9.9", 6, 8080, NULL,
     POL_VERDICT_VIOLATION, POL_V_UNALLOWED_FLOW, POL_SEV_MEDIUM, NULL},
    {"longest prefix: narrow to single is cross-zone", "10.1.9.9", "10.1.2.3", 6, 22, NULL,
     POL_VERDICT_VIOLATION, POL_V_UNALLOWED_FLOW, POL_SEV_MEDIUM, NULL},
    {"unassigned to internet", "192.168.1.5", "8.8.8.8", 6, 443, NULL, POL_VERDICT_VIOLATION,
     POL_V_UNALLOWED_FLOW, POL_SEV_MEDIUM, NULL},
    {"multicast is local", "10.10.1.12", "224.0.0.251", 17, 5353, NULL, POL_VERDICT_LOCAL, 0, 0,
     NULL},
    {"ssdp multicast is local", "192.168.50.20", "239.255.255.250", 17, 1900, NULL,
     POL_VERDICT_LOCAL, 0, 0, NULL},
    {"broadcast is local", "0.0.0.0", "255.255.255.255", 17, 67, NULL, POL_VERDICT_LOCAL, 0, 0,
     NULL},
    {"directed broadcast is local", "10.10.1.12", "192.168.50.255", 17, 137, NULL,
     POL_VERDICT_LOCAL, 0, 0, NULL},
    {"link-local is local", "169.254.3.3", "192.168.50.20", 6, 502, NULL, POL_VERDICT_LOCAL, 0, 0,
     NULL},
    {"v6 link-local is local", "fe80::1", "fd00:50::20", 6, 502, NULL, POL_VERDICT_LOCAL, 0, 0,
     NULL},
    {"v6 multicast is local", "fd00:10::12", "ff02::fb", 17, 5353, NULL, POL_VERDICT_LOCAL, 0, 0,
     NULL},
};

START_TEST(test_flow_verdict)
{
	const struct flow_case *c = &flow_cases[_i];
	struct pol_flow f = flow(c->src, c->dst, c->proto, c->dport, NOON);
	f.app = c->app;
	struct pol_decision d;
	pol_judge_flow(P, &f, &d);
	ck_assert_msg(d.verdict == c->verdict, "%s: verdict %s, expected %s", c->what,
	              pol_verdict_name(d.verdict), pol_verdict_name(c->verdict));
	if (c->verdict == POL_VERDICT_VIOLATION) {
		ck_assert_msg(d.vtype == c->vtype, "%s: type %s", c->what, pol_vtype_name(d.vtype));
		ck_assert_msg(d.severity == c->sev, "%s: severity %s", c->what,
		              pol_severity_name(d.severity));
	}
	if (c->rule)
		ck_assert_msg(d.rule && strcmp(d.rule, c->rule) == 0, "%s: rule %s", c->what,
		              d.rule ? d.rule : "NULL");
	else
		ck_assert_msg(d.rule == NULL, "%s: rule %s, expected none", c->what, d.rule);
	ck_assert_int_eq(d.time_dependent, 0);
	if (c->verdict != POL_VERDICT_LOCAL) {
		ck_assert_ptr_nonnull(d.src_zone);
		ck_assert_ptr_nonnull(d.dst_zone);
	}
}
END_TEST

START_TEST(test_flow_zones_reported)
{
	struct pol_flow f = flow("10.10.1.12", "192.168.50.20", 6, 502, NOON);
	struct pol_decision d;
	pol_judge_flow(P, &f, &d);
	ck_assert_str_eq(d.src_zone, "office");
	ck_assert_str_eq(d.dst_zone, "plant");
	ck_assert_ptr_null(d.eol_asset);
}
END_TEST

START_TEST(test_asset_selector_by_mac)
{
	/* laptop has no ip: matched by the MAC the packet carried */
	ss_mac lm = mac("00:11:22:33:44:55");
	struct pol_flow f = flow("10.10.1.88", "192.168.50.20", 6, 8080, NOON);
	struct pol_decision d;
	pol_judge_flow(P, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
	ck_assert_int_eq(d.vtype, POL_V_UNALLOWED_FLOW);
	f.src_mac = &lm;
	pol_judge_flow(P, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_ALLOWED);
	ck_assert_str_eq(d.rule, "mac asset");
	/* an asset with an ip is matched by its ip, not by a MAC */
	ss_mac ew = mac("00:1a:a0:01:00:50");
	f = flow("10.10.1.51", "192.168.50.20", 6, 102, NOON);
	f.src_mac = &ew;
	pol_judge_flow(P, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
}
END_TEST

START_TEST(test_default_allow)
{
	const char *y = "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
	                "  b: {kind: plant, networks: [10.2.0.0/16]}\ndefault: allow\n"
	                "forbid:\n  - {name: no ssh, from: a, to: b, services: [ssh]}\n";
	struct policy *p = load(y);
	struct pol_flow f = flow("10.1.0.1", "10.2.0.1", 6, 443, NOON);
	struct pol_decision d;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_ALLOWED);
	ck_assert_ptr_null(d.rule);
	f.dport = 22;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
	ck_assert_int_eq(d.vtype, POL_V_FORBIDDEN_FLOW);
	ck_assert_str_eq(d.rule, "no ssh");
	pol_free(p);

	/* default is deny when not written */
	p = load("version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
	         "  b: {kind: office, networks: [10.2.0.0/16]}\n");
	f.dport = 443;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_VIOLATION);
	ck_assert_int_eq(d.vtype, POL_V_UNALLOWED_FLOW);
	pol_free(p);
}
END_TEST

START_TEST(test_no_policy)
{
	struct pol_flow f = flow("192.168.1.5", "8.8.8.8", 6, 443, NOON);
	struct pol_decision d;
	pol_judge_flow(NULL, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_INTRA);
	ck_assert_str_eq(d.src_zone, "unassigned");
	ck_assert_str_eq(d.dst_zone, "internet");
	f = flow("192.168.1.5", "224.0.0.1", 17, 1, NOON);
	pol_judge_flow(NULL, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_LOCAL);
	struct pol_vset *s = pol_vset_new();
	pol_judge_flow_into(NULL, &f, &d, s);
	ss_ip ips[1] = {ip("192.168.1.5")};
	struct pol_host h = {.ips = ips, .n_ips = 1, .dhcp_server = 1};
	pol_judge_host(NULL, &h, s);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
}
END_TEST

/* ---- schedules ---- */

static const struct sched_case {
	const char *what;
	const char *tz;
	int y, mo, d, h, mi, s; /* UTC */
	const char *src, *dst;
	uint16_t dport;
	enum pol_verdict verdict;
} sched_cases[] = {
    /* "daily 01:00-04:00", backup-server -> backup-nas smb (inside one zone) */
    {"before window", "UTC0", 2024, 1, 1, 0, 59, 59, "10.99.0.10", "10.99.0.20", 445,
     POL_VERDICT_VIOLATION},
    {"start inclusive", "UTC0", 2024, 1, 1, 1, 0, 0, "10.99.0.10", "10.99.0.20", 445,
     POL_VERDICT_ALLOWED},
    {"last second in", "UTC0", 2024, 1, 1, 3, 59, 59, "10.99.0.10", "10.99.0.20", 445,
     POL_VERDICT_ALLOWED},
    {"end exclusive", "UTC0", 2024, 1, 1, 4, 0, 0, "10.99.0.10", "10.99.0.20", 445,
     POL_VERDICT_VIOLATION},
    /* 16:30 UTC is 01:30 the next day in Japan */
    {"TZ respected: JST inside", "JST-9", 2024, 1, 1, 16, 30, 0, "10.99.0.10", "10.99.0.20", 445,
     POL_VERDICT_ALLOWED},
    {"TZ respected: same instant in UTC outside", "UTC0", 2024, 1, 1, 16, 30, 0, "10.99.0.10",
     "10.99.0.20", 445, POL_VERDICT_VIOLATION},
    {"TZ respected: 01:30 UTC is 10:30 JST", "JST-9", 2024, 1, 1, 1, 30, 0, "10.99.0.10",
     "10.99.0.20", 445, POL_VERDICT_VIOLATION},
    /* "mon,wed,fri 22:00-02:00", 10.10.5.0/24 -> backup tcp/22 (cross-zone) */
    {"mon 21:59 out", "UTC0", 2024, 1, 1, 21, 59, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_VIOLATION},
    {"mon 22:00 in", "UTC0", 2024, 1, 1, 22, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_ALLOWED},
    {"tue 00:30 in (window of monday)", "UTC0", 2024, 1, 2, 0, 30, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_ALLOWED},
    {"tue 01:59 in", "UTC0", 2024, 1, 2, 1, 59, 59, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_ALLOWED},
    {"tue 02:00 out", "UTC0", 2024, 1, 2, 2, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_VIOLATION},
    {"tue 23:00 out (tue not listed)", "UTC0", 2024, 1, 2, 23, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_VIOLATION},
    {"wed 01:00 out (tue not listed)", "UTC0", 2024, 1, 3, 1, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_VIOLATION},
    {"sat 01:00 in (window of friday)", "UTC0", 2024, 1, 6, 1, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_ALLOWED},
    {"sun 01:00 out", "UTC0", 2024, 1, 7, 1, 0, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_VIOLATION},
    /* sunday 23:30 UTC is monday 08:30 JST, monday 22:30 JST is 13:30 UTC */
    {"crossing window in JST", "JST-9", 2024, 1, 1, 13, 30, 0, "10.10.5.7", "10.99.0.20", 22,
     POL_VERDICT_ALLOWED},
};

START_TEST(test_schedule)
{
	const struct sched_case *c = &sched_cases[_i];
	set_tz(c->tz);
	struct pol_flow f =
	    flow(c->src, c->dst, 6, c->dport, utc(c->y, c->mo, c->d, c->h, c->mi, c->s));
	struct pol_decision d;
	pol_judge_flow(P, &f, &d);
	ck_assert_msg(d.verdict == c->verdict, "%s: verdict %s", c->what,
	              pol_verdict_name(d.verdict));
	ck_assert_msg(d.time_dependent == 1, "%s: not marked time dependent", c->what);
	ck_assert_ptr_nonnull(d.rule);
	if (d.verdict == POL_VERDICT_VIOLATION) {
		ck_assert_int_eq(d.vtype, POL_V_OUTSIDE_SCHEDULE);
		ck_assert_int_eq(d.severity, POL_SEV_HIGH);
	}
	set_tz("UTC0");
}
END_TEST

START_TEST(test_schedule_forms)
{
	set_tz("UTC0");
	const char *y =
	    "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
	    "  b: {kind: office, networks: [10.2.0.0/16]}\n"
	    "allow:\n"
	    "  - {name: work, from: a, to: b, services: [tcp/1], schedule: \"mon-fri "
	    "08:00-18:00\"}\n"
	    "  - {name: wkend, from: a, to: b, services: [tcp/2], schedule: \"sat,sun "
	    "00:00-23:59\"}\n"
	    "  - {name: multi, from: a, to: b, services: [tcp/3], schedule: \"Mon 01:00-02:00; "
	    "fri-mon 23:00-24:00\"}\n"
	    "  - {name: bare, from: a, to: b, services: [tcp/4], schedule: \"12:00-13:00\"}\n"
	    "  - {name: wrap, from: a, to: b, services: [tcp/5], schedule: \"sat-mon "
	    "10:00-11:00\"}\n";
	struct policy *p = load(y);
	static const struct {
		uint16_t port;
		int d, h, mi;
		int allowed;
	} t[] = {
	    {1, 1, 8, 0, 1},   {1, 1, 17, 59, 1}, {1, 1, 18, 0, 0},  {1, 6, 9, 0, 0},
	    {1, 5, 9, 0, 1},   {2, 6, 23, 58, 1}, {2, 6, 23, 59, 0}, {2, 7, 0, 0, 1},
	    {2, 1, 12, 0, 0},  {3, 1, 1, 30, 1},  {3, 2, 1, 30, 0},  {3, 5, 23, 59, 1},
	    {3, 7, 23, 0, 1},  {3, 3, 23, 0, 0},  {4, 3, 12, 30, 1}, {4, 3, 13, 0, 0},
	    {5, 7, 10, 30, 1}, {5, 1, 10, 30, 1}, {5, 2, 10, 30, 0}, {5, 6, 10, 59, 1},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct pol_flow f = flow("10.1.0.1", "10.2.0.1", 6, t[i].port,
		                         utc(2024, 1, t[i].d, t[i].h, t[i].mi, 0));
		struct pol_decision d;
		pol_judge_flow(p, &f, &d);
		ck_assert_msg((d.verdict == POL_VERDICT_ALLOWED) == t[i].allowed,
		              "case %zu: port %u jan %d %02d:%02d verdict %s", i, t[i].port, t[i].d,
		              t[i].h, t[i].mi, pol_verdict_name(d.verdict));
	}
	pol_free(p);
}
END_TEST

START_TEST(test_schedule_later_rule_covers)
{
	set_tz("UTC0");
	/* A scheduled rule out of its window does not stop a later rule. */
	const char *y =
	    "version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n"
	    "  b: {kind: office, networks: [10.2.0.0/16]}\n"
	    "allow:\n"
	    "  - {name: night, from: a, to: b, services: [smb], schedule: daily 01:00-02:00}\n"
	    "  - {name: always, from: a, to: b, services: [tcp/445]}\n";
	struct policy *p = load(y);
	struct pol_flow f = flow("10.1.0.1", "10.2.0.1", 6, 445, NOON);
	struct pol_decision d;
	pol_judge_flow(p, &f, &d);
	ck_assert_int_eq(d.verdict, POL_VERDICT_ALLOWED);
	ck_assert_str_eq(d.rule, "always");
	ck_assert_int_eq(d.time_dependent, 1);
	pol_free(p);
}
END_TEST

/* ---- the nine violation types ---- */

static size_t count_type(struct pol_vset *s, enum pol_vtype t, const struct pol_vrec **out)
{
	size_t n, k = 0;
	const struct pol_vrec *const *r = pol_vset_sorted(s, &n);
	for (size_t i = 0; i < n; i++) {
		if (r[i]->v.type == t) {
			if (out && !k)
				*out = r[i];
			k++;
		}
	}
	return k;
}

START_TEST(test_v_forbidden_flow)
{
	struct pol_vset *s = pol_vset_new();
	struct pol_flow f = flow("10.10.1.12", "192.168.50.20", 6, 502, NOON);
	struct pol_decision d;
	pol_judge_flow_into(P, &f, &d, s);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_FORBIDDEN_FLOW, &r), 1);
	ck_assert_int_eq(pol_vset_count(s), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_CRITICAL);
	ck_assert_str_eq(r->v.rule, "no office to plant modbus");
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_str_eq(msg, "10.10.1.12 (zone office) opened tcp/502 to 192.168.50.20 (zone "
	                      "plant), forbidden by rule 'no office to plant modbus'.");
	ck_assert_ptr_nonnull(strstr(fix, "Block tcp/502 from 10.10.1.12 to 192.168.50.20"));
	ck_assert_ptr_nonnull(strstr(fix, "zone office and zone plant"));
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_unallowed_flow)
{
	struct pol_vset *s = pol_vset_new();
	struct pol_flow f = flow("10.10.1.12", "10.99.0.20", 6, 445, NOON);
	struct pol_decision d;
	pol_judge_flow_into(P, &f, &d, s);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_UNALLOWED_FLOW, &r), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_HIGH);
	ck_assert_ptr_null(r->v.rule);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(strstr(msg, "10.10.1.12 (zone office) opened tcp/445 to 10.99.0.20 "
	                                  "(zone backup); no allow rule"));
	ck_assert_ptr_nonnull(strstr(fix, "services: [tcp/445]"));
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_outside_schedule)
{
	struct pol_vset *s = pol_vset_new();
	struct pol_flow f = flow("10.99.0.10", "10.99.0.20", 6, 445, NOON);
	struct pol_decision d;
	pol_judge_flow_into(P, &f, &d, s);
	ck_assert_int_eq(d.time_dependent, 1);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_OUTSIDE_SCHEDULE, &r), 1);
	ck_assert_str_eq(r->v.rule, "nightly backup");
	ck_assert_int_eq(r->v.severity, POL_SEV_HIGH);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(
	    strstr(msg, "outside the time window of allow rule 'nightly backup'"));
	ck_assert_ptr_nonnull(strstr(fix, "widen the schedule"));
	/* the same flow inside the window: no violation */
	struct pol_vset *s2 = pol_vset_new();
	f.ts = utc(2024, 1, 1, 2, 0, 0);
	pol_judge_flow_into(P, &f, &d, s2);
	ck_assert_int_eq(d.verdict, POL_VERDICT_ALLOWED);
	ck_assert_str_eq(d.rule, "nightly backup");
	ck_assert_int_eq(pol_vset_count(s2), 0);
	pol_vset_free(s2);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_eol_exposure)
{
	struct pol_vset *s = pol_vset_new();
	/* xp-hmi to the internet: unallowed and an eol exposure */
	struct pol_flow f = flow("192.168.50.30", "8.8.8.8", 17, 53, NOON);
	struct pol_decision d;
	pol_judge_flow_into(P, &f, &d, s);
	ck_assert_ptr_nonnull(d.eol_asset);
	ck_assert_str_eq(d.eol_asset->name, "xp-hmi");
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_EOL_EXPOSURE, &r), 1);
	ck_assert_int_eq(count_type(s, POL_V_UNALLOWED_FLOW, NULL), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_HIGH);
	ck_assert_str_eq(r->v.rule, "xp-hmi");
	ck_assert_int_eq(r->v.has_mac, 1);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(strstr(msg, "End-of-life asset 'xp-hmi'"));
	ck_assert_ptr_nonnull(strstr(fix, "Isolate 'xp-hmi'"));
	/* toward the eol asset, matched by the MAC the packet carried */
	pol_vset_free(s);
	s = pol_vset_new();
	ss_mac xm = mac("00:90:e8:50:00:30");
	f = flow("10.10.1.50", "192.168.50.30", 6, 102, NOON);
	f.dst_mac = &xm;
	pol_judge_flow_into(P, &f, &d, s);
	ck_assert_int_eq(count_type(s, POL_V_EOL_EXPOSURE, NULL), 1);
	ck_assert_int_eq(count_type(s, POL_V_FORBIDDEN_FLOW, NULL), 1);
	/* inside its zone: no exposure */
	f = flow("192.168.50.10", "192.168.50.30", 6, 102, NOON);
	pol_judge_flow(P, &f, &d);
	ck_assert_ptr_null(d.eol_asset);
	ck_assert_int_eq(d.verdict, POL_VERDICT_INTRA);
	pol_vset_free(s);
}
END_TEST

static struct pol_vset *judge_host(const char *m, const char *const *ips, size_t n, int dhcp,
                                   int router)
{
	static ss_mac hm;
	ss_ip a[8];
	for (size_t i = 0; i < n; i++)
		a[i] = ip(ips[i]);
	if (m)
		hm = mac(m);
	struct pol_host h = {.mac = m ? &hm : NULL,
	                     .ips = a,
	                     .n_ips = n,
	                     .dhcp_server = dhcp,
	                     .is_router = router,
	                     .first_seen = 1000,
	                     .last_seen = 2000};
	struct pol_vset *s = pol_vset_new();
	pol_judge_host(P, &h, s);
	return s;
}

START_TEST(test_v_unknown_device)
{
	const char *ips[] = {"10.10.1.99"};
	struct pol_vset *s = judge_host("02:aa:bb:00:00:01", ips, 1, 0, 0);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_UNKNOWN_DEVICE, &r), 1);
	ck_assert_int_eq(pol_vset_count(s), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_MEDIUM);
	ck_assert_int_eq(r->first_seen, 1000);
	ck_assert_int_eq(r->last_seen, 2000);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_str_eq(msg, "Device 10.10.1.99 (MAC 02:aa:bb:00:00:01) in zone office is not in "
	                      "the asset register.");
	ck_assert_ptr_nonnull(strstr(fix, "add it to assets"));
	pol_vset_free(s);
	/* keyed by IP, inside a zone: reported */
	const char *ips2[] = {"192.168.50.77"};
	s = judge_host(NULL, ips2, 1, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_UNKNOWN_DEVICE, NULL), 1);
	pol_vset_free(s);
	/* keyed by IP, outside every declared zone: not ours */
	const char *ips3[] = {"8.8.4.4"};
	s = judge_host(NULL, ips3, 1, 0, 0);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
	/* a registered one, by MAC or by IP: nothing */
	const char *ips4[] = {"192.168.50.10"};
	s = judge_host("00:01:fc:50:00:10", ips4, 1, 0, 0);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
	const char *ips5[] = {"10.99.0.10"};
	s = judge_host(NULL, ips5, 1, 0, 0);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_unknown_device_needs_register)
{
	/* No assets list: nothing is unknown. */
	struct policy *p =
	    load("version: 1\nzones:\n  a: {kind: office, networks: [10.1.0.0/16]}\n");
	ss_mac m = mac("02:00:00:00:00:01");
	ss_ip a = ip("10.1.0.5");
	struct pol_host h = {.mac = &m, .ips = &a, .n_ips = 1};
	struct pol_vset *s = pol_vset_new();
	pol_judge_host(p, &h, s);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
	pol_free(p);
}
END_TEST

START_TEST(test_v_asset_mismatch)
{
	char msg[512], fix[512];
	const struct pol_vrec *r = NULL;
	/* registered MAC with another IP */
	const char *ips[] = {"192.168.50.11"};
	struct pol_vset *s = judge_host("00:01:fc:50:00:10", ips, 1, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_ASSET_MISMATCH, &r), 1);
	ck_assert_int_eq(pol_vset_count(s), 1);
	ck_assert_str_eq(r->v.rule, "hmi-01");
	ck_assert_str_eq(r->v.detail, "MAC 00:01:fc:50:00:10 seen with 192.168.50.11, registered "
	                              "192.168.50.10");
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(strstr(msg, "Registered asset 'hmi-01' does not match"));
	pol_vset_free(s);
	/* registered IP on another MAC */
	const char *ips2[] = {"192.168.50.20"};
	s = judge_host("de:ad:be:ef:00:01", ips2, 1, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_ASSET_MISMATCH, &r), 1);
	ck_assert_str_eq(r->v.rule, "plc-01");
	ck_assert_ptr_nonnull(strstr(r->v.detail, "192.168.50.20 seen on MAC de:ad:be:ef:00:01, "
	                                          "registered 00:1b:1b:50:00:20"));
	ck_assert_int_eq(count_type(s, POL_V_UNKNOWN_DEVICE, NULL), 0);
	pol_vset_free(s);
	/* registered zone differs (laptop is an office asset without ip) */
	const char *ips3[] = {"192.168.50.99"};
	s = judge_host("00:11:22:33:44:55", ips3, 1, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_ASSET_MISMATCH, &r), 1);
	ck_assert_str_eq(r->v.detail, "192.168.50.99 in zone plant, registered zone office");
	pol_vset_free(s);
	/* routers hold many addresses: not a mismatch */
	const char *ips4[] = {"10.10.0.1", "192.168.50.1"};
	s = judge_host("00:00:0c:07:ac:01", ips4, 2, 0, 0);
	ck_assert_int_eq(pol_vset_count(s), 0);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_dual_homed)
{
	const char *ips[] = {"10.10.1.50", "192.168.50.50"};
	struct pol_vset *s = judge_host("00:1a:a0:01:00:50", ips, 2, 0, 0);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_DUAL_HOMED, &r), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_HIGH);
	ck_assert_str_eq(r->v.detail, "office and plant");
	char a[SS_IP_STRLEN], b[SS_IP_STRLEN];
	ss_ip_format(&r->v.src, a);
	ss_ip_format(&r->v.dst, b);
	ck_assert_str_eq(a, "10.10.1.50");
	ck_assert_str_eq(b, "192.168.50.50");
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(strstr(msg, "holds addresses in two zones (office and plant"));
	ck_assert_ptr_nonnull(strstr(fix, "role: router"));
	pol_vset_free(s);
	/* the registered router and a detected router: not dual-homed */
	s = judge_host("00:00:0c:07:ac:01", ips, 2, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_DUAL_HOMED, NULL), 0);
	pol_vset_free(s);
	s = judge_host("02:00:00:00:00:07", ips, 2, 0, 1);
	ck_assert_int_eq(count_type(s, POL_V_DUAL_HOMED, NULL), 0);
	pol_vset_free(s);
	/* two addresses in one zone: fine */
	const char *one[] = {"10.10.1.70", "fd00:10::70"};
	s = judge_host("02:00:00:00:00:07", one, 2, 0, 0);
	ck_assert_int_eq(count_type(s, POL_V_DUAL_HOMED, NULL), 0);
	ck_assert_int_eq(count_type(s, POL_V_UNKNOWN_DEVICE, NULL), 1);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_rogue_dhcp)
{
	const char *ips[] = {"10.10.1.1"};
	struct pol_vset *s = judge_host("02:00:00:00:00:09", ips, 1, 1, 0);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_ROGUE_DHCP, &r), 1);
	ck_assert_int_eq(r->v.severity, POL_SEV_HIGH);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_ptr_nonnull(strstr(msg, "10.10.1.1 (MAC 02:00:00:00:00:09) answers DHCP"));
	ck_assert_ptr_nonnull(strstr(fix, "dhcp_server: true"));
	pol_vset_free(s);
	/* the registered DHCP server */
	const char *ips2[] = {"10.10.0.2"};
	s = judge_host("02:00:00:00:00:02", ips2, 1, 1, 0);
	ck_assert_int_eq(count_type(s, POL_V_ROGUE_DHCP, NULL), 0);
	pol_vset_free(s);
	/* a registered asset that is not a DHCP server */
	const char *ips3[] = {"192.168.50.10"};
	s = judge_host("00:01:fc:50:00:10", ips3, 1, 1, 0);
	ck_assert_int_eq(count_type(s, POL_V_ROGUE_DHCP, &r), 1);
	ck_assert_str_eq(r->v.rule, "hmi-01");
	pol_vset_free(s);
}
END_TEST

START_TEST(test_v_unassigned_network)
{
	const char *ips[] = {"192.168.1.5", "172.16.0.9", "10.10.1.5", "fe80::1"};
	struct pol_vset *s = judge_host("02:00:00:00:00:0a", ips, 4, 0, 0);
	const struct pol_vrec *r = NULL;
	ck_assert_int_eq(count_type(s, POL_V_UNASSIGNED_NETWORK, &r), 2);
	ck_assert_int_eq(r->v.severity, POL_SEV_MEDIUM);
	char msg[512], fix[512];
	pol_violation_text(r, msg, sizeof(msg), fix, sizeof(fix));
	ck_assert_str_eq(msg, "172.16.0.9 (MAC 02:00:00:00:00:0a) is a private address in no "
	                      "declared zone.");
	ck_assert_ptr_nonnull(strstr(fix, "as part of the right zone"));
	pol_vset_free(s);
}
END_TEST

/* ---- the violation set ---- */

START_TEST(test_vset_dedup)
{
	struct pol_vset *s = pol_vset_new();
	struct pol_flow f = flow("10.10.1.12", "10.99.0.20", 6, 445, 0);
	struct pol_decision d;
	f.ts = 10;
	pol_judge_flow_into(P, &f, &d, s);
	f.ts = 5;
	pol_judge_flow_into(P, &f, &d, s);
	f.ts = 20;
	pol_judge_flow_into(P, &f, &d, s);
	ck_assert_int_eq(pol_vset_count(s), 1);
	size_t n;
	const struct pol_vrec *const *r = pol_vset_sorted(s, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(r[0]->count, 3);
	ck_assert_int_eq(r[0]->first_seen, 5);
	ck_assert_int_eq(r[0]->last_seen, 20);
	/* another port is another record */
	f.dport = 446;
	pol_judge_flow_into(P, &f, &d, s);
	ck_assert_int_eq(pol_vset_count(s), 2);
	/* merging counts */
	f.dport = 445;
	struct pol_violation v = {.type = POL_V_UNALLOWED_FLOW,
	                          .severity = POL_SEV_HIGH,
	                          .src = f.src,
	                          .dst = f.dst,
	                          .proto = 6,
	                          .dport = 445};
	pol_vset_add_n(s, &v, 10, 1, 100);
	r = pol_vset_sorted(s, &n);
	ck_assert_int_eq(n, 2);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i]->v.dport == 445) {
			ck_assert_int_eq(r[i]->count, 13);
			ck_assert_int_eq(r[i]->first_seen, 1);
			ck_assert_int_eq(r[i]->last_seen, 100);
			found = 1;
		}
	}
	ck_assert(found);
	/* the MAC is part of the key */
	struct pol_violation u = {.type = POL_V_UNKNOWN_DEVICE, .severity = POL_SEV_MEDIUM};
	u.has_mac = 1;
	u.mac = mac("02:00:00:00:00:01");
	pol_vset_add(s, &u, 7);
	pol_vset_add(s, &u, 8);
	u.mac = mac("02:00:00:00:00:02");
	pol_vset_add(s, &u, 9);
	ck_assert_int_eq(pol_vset_count(s), 4);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_vset_many_and_sorted)
{
	struct pol_vset *s = pol_vset_new();
	for (int i = 0; i < 5000; i++) {
		struct pol_violation v = {.type = (enum pol_vtype)(i % POL_V__COUNT),
		                          .severity = (enum pol_severity)(i % 4),
		                          .proto = 6,
		                          .dport = (uint16_t)(i % 1000)};
		uint8_t b[4] = {10, 0, (uint8_t)(i >> 8), (uint8_t)i};
		ss_ip_from_v4(&v.src, b);
		pol_vset_add(s, &v, i);
		pol_vset_add(s, &v, i + 1);
	}
	ck_assert_int_eq(pol_vset_count(s), 5000);
	size_t n;
	const struct pol_vrec *const *r = pol_vset_sorted(s, &n);
	ck_assert_int_eq(n, 5000);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(r[i]->count, 2);
		if (i > 0) {
			ck_assert(r[i - 1]->v.severity >= r[i]->v.severity);
			if (r[i - 1]->v.severity == r[i]->v.severity)
				ck_assert(r[i - 1]->v.type <= r[i]->v.type);
		}
	}
	ck_assert_int_eq(r[0]->v.severity, POL_SEV_CRITICAL);
	pol_vset_free(s);
}
END_TEST

START_TEST(test_names)
{
	static const char *const types[] = {
	    "forbidden_flow", "unallowed_flow", "outside_schedule",
	    "eol_exposure",   "unknown_device", "asset_mismatch",
	    "dual_homed",     "rogue_dhcp",     "unassigned_network"};
	for (int i = 0; i < POL_V__COUNT; i++) {
		enum pol_vtype t;
		ck_assert_str_eq(pol_vtype_name((enum pol_vtype)i), types[i]);
		ck_assert_int_eq(pol_vtype_parse(types[i], &t), 0);
		ck_assert_int_eq(t, i);
	}
	enum pol_vtype t;
	ck_assert_int_eq(pol_vtype_parse("bogus", &t), -1);
	enum pol_severity sv;
	ck_assert_int_eq(pol_severity_parse("critical", &sv), 0);
	ck_assert_int_eq(sv, POL_SEV_CRITICAL);
	ck_assert_int_eq(pol_severity_parse("Critical", &sv), -1);
	ck_assert_str_eq(pol_severity_name(POL_SEV_LOW), "low");
	ck_assert_str_eq(pol_verdict_name(POL_VERDICT_INTRA), "intra_zone");
	ck_assert_str_eq(pol_verdict_name(POL_VERDICT_LOCAL), "local");
}
END_TEST

/* Every type yields a message and a fix, also with tiny buffers. */
START_TEST(test_text_every_type)
{
	for (int t = 0; t < POL_V__COUNT; t++) {
		struct pol_vrec r = {.count = 1};
		r.v.type = (enum pol_vtype)t;
		r.v.src = ip("10.10.1.5");
		r.v.dst = ip("192.168.50.5");
		r.v.proto = 6;
		r.v.dport = 80;
		r.v.rule = "r";
		snprintf(r.v.detail, sizeof(r.v.detail), "office -> plant");
		char msg[512], fix[512];
		pol_violation_text(&r, msg, sizeof(msg), fix, sizeof(fix));
		ck_assert_msg(strlen(msg) > 20, "type %d: message '%s'", t, msg);
		ck_assert_msg(strlen(fix) > 20, "type %d: fix '%s'", t, fix);
		char m2[8], f2[8];
		pol_violation_text(&r, m2, sizeof(m2), f2, sizeof(f2));
		ck_assert_int_eq(strlen(m2), 7);
		ck_assert_int_eq(strlen(f2), 7);
	}
}
END_TEST

/* ---- robustness: mangled YAML never crashes and never half-loads ---- */

START_TEST(test_mangled_yaml)
{
	size_t len = strlen(main_policy);
	char *buf = malloc(len + 1);
	uint32_t seed = 12345;
	static const char junk[] = "{}[]:,-&*!|>'\"#%@`\t\n \\?~0x/";
	int loaded = 0;
	for (int iter = 0; iter < 3000; iter++) {
		memcpy(buf, main_policy, len + 1);
		int edits = 1 + iter % 4;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			buf[at] = (seed >> 9) % 3 ? junk[(seed >> 12) % (sizeof(junk) - 1)]
			                          : (char)((seed >> 16) & 0xff);
		}
		struct pol_error err;
		size_t blen = (iter % 7 == 0) ? (seed >> 4) % len : len; /* truncations too */
		struct policy *p = pol_load_buffer("m.yaml", buf, blen, &err);
		if (p) {
			loaded++;
			struct pol_flow f = flow("10.10.1.12", "192.168.50.20", 6, 502, NOON);
			struct pol_decision d;
			pol_judge_flow(p, &f, &d);
			pol_free(p);
		} else {
			ck_assert_msg(err.msg[0] != '\0', "failure without a message");
			ck_assert_msg(err.line >= 0 && err.col >= 0, "negative position");
		}
	}
	free(buf);
	ck_assert_int_gt(loaded, 0); /* some edits land in comments or values */
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("loader");
	tcase_add_loop_test(tc, test_load_error, 0, sizeof(load_cases) / sizeof(load_cases[0]));
	tcase_add_test(tc, test_load_file_errors);
	tcase_add_test(tc, test_load_file_ok);
	tcase_add_test(tc, test_mangled_yaml);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("judging");
	tcase_add_checked_fixture(tc, setup_main, teardown_main);
	tcase_add_test(tc, test_load_main);
	tcase_add_test(tc, test_summary);
	tcase_add_loop_test(tc, test_zone_of, 0, sizeof(zone_cases) / sizeof(zone_cases[0]));
	tcase_add_test(tc, test_zone_find_and_no_policy);
	tcase_add_test(tc, test_zone_many_networks);
	tcase_add_test(tc, test_services);
	tcase_add_test(tc, test_service_forms);
	tcase_add_loop_test(tc, test_flow_verdict, 0, sizeof(flow_cases) / sizeof(flow_cases[0]));
	tcase_add_test(tc, test_flow_zones_reported);
	tcase_add_test(tc, test_asset_selector_by_mac);
	tcase_add_test(tc, test_default_allow);
	tcase_add_test(tc, test_no_policy);
	tcase_add_loop_test(tc, test_schedule, 0, sizeof(sched_cases) / sizeof(sched_cases[0]));
	tcase_add_test(tc, test_schedule_forms);
	tcase_add_test(tc, test_schedule_later_rule_covers);
	suite_add_tcase(s, tc);

	tc = tcase_create("violations");
	tcase_add_checked_fixture(tc, setup_main, teardown_main);
	tcase_add_test(tc, test_v_forbidden_flow);
	tcase_add_test(tc, test_v_unallowed_flow);
	tcase_add_test(tc, test_v_outside_schedule);
	tcase_add_test(tc, test_v_eol_exposure);
	tcase_add_test(tc, test_v_unknown_device);
	tcase_add_test(tc, test_v_unknown_device_needs_register);
	tcase_add_test(tc, test_v_asset_mismatch);
	tcase_add_test(tc, test_v_dual_homed);
	tcase_add_test(tc, test_v_rogue_dhcp);
	tcase_add_test(tc, test_v_unassigned_network);
	tcase_add_test(tc, test_vset_dedup);
	tcase_add_test(tc, test_vset_many_and_sorted);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_text_every_type);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
