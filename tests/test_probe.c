/*
 * tests/test_probe.c - active probes without root: frame bytes (against
 * literal bytes and against the independent builder helper_pcapgen), the
 * SYN cookie, the token bucket on an injected clock, target expansion and
 * every scope rule, port lists, reply matching with its inventory
 * evidence, and a --write-probes dry run read back with dec_packet.
 */
#include <check.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanner/decode.h"
#include "scanner/inventory.h"
#include "scanner/probe.h"
#include "tests/helper_pcapgen.h"

static const ss_mac OUR_MAC = {{0x02, 0x00, 0x5e, 0x10, 0x00, 0x0a}};

static uint32_t ip4(const char *s)
{
	return pg_ip4(s);
}

static uint32_t probe_ip4_of(const ss_ip *a)
{
	return (uint32_t)a->b[0] << 24 | (uint32_t)a->b[1] << 16 | (uint32_t)a->b[2] << 8 | a->b[3];
}

static void opts_for(struct probe_opts *o, unsigned kinds, const char *src)
{
	probe_opts_init(o);
	o->kinds = kinds;
	o->iface = "test0";
	o->has_src = 1;
	o->src_mac = OUR_MAC;
	o->src_ip = ip4(src);
	o->has_key = 1;
	for (int i = 0; i < 16; i++)
		o->key[i] = (uint8_t)i;
}

static struct policy *policy(const char *yaml)
{
	struct pol_error pe;
	struct policy *p = pol_load_buffer("test.yaml", yaml, strlen(yaml), &pe);
	ck_assert_msg(p != NULL, "policy: %d:%d %s", pe.line, pe.col, pe.msg);
	return p;
}

static void add_target(struct probe_opts *o, const char *cidr)
{
	char err[256];
	ck_assert_msg(probe_parse_option(o, PROBE_OPT_TARGET, cidr, err, sizeof(err)) == 0, "%s",
	              err);
}

static const char *NESTED = "version: 1\n"
                            "zones:\n"
                            "  office: {kind: office, networks: [10.1.0.0/22], probe: allow}\n"
                            "  plant: {kind: plant, networks: [10.1.1.0/24]}\n"
                            "  lab: {kind: other, networks: [10.2.5.0/24], probe: allow}\n"
                            "  cell: {kind: plant, networks: [10.2.0.0/16]}\n";

/* ---- frames ---- */

START_TEST(arp_request_bytes)
{
	static const uint8_t want[42] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10,
	    0x00, 0x0a, 0x08, 0x06,                                     /* eth */
	    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,             /* Ethernet/IPv4, request */
	    0x02, 0x00, 0x5e, 0x10, 0x00, 0x0a, 0x0a, 0x01, 0x00, 0x02, /* sha, spa 10.1.0.2 */
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x07, /* tha 0, tpa 10.1.0.7 */
	};
	uint8_t f[PROBE_FRAME_MAX];
	char err[256] = "";
	size_t n = probe_frame_arp(&OUR_MAC, ip4("10.1.0.2"), ip4("10.1.0.7"), f, err, sizeof(err));
	ck_assert_msg(n == sizeof(want), "length %zu: %s", n, err);
	ck_assert_mem_eq(f, want, sizeof(want));
}
END_TEST

START_TEST(syn_bytes_match_independent_builder)
{
	ss_mac dst = {{0x00, 0x01, 0xfc, 0x50, 0x00, 0x10}};
	uint32_t seq = 0x11223344;
	uint8_t f[PROBE_FRAME_MAX];
	char err[256] = "";
	size_t n = probe_frame_syn(&OUR_MAC, &dst, ip4("10.1.0.2"), ip4("10.1.0.20"), 61234, 502,
	                           seq, f, err, sizeof(err));
	ck_assert_msg(n == 58, "length %zu: %s", n, err);

	pg_frame g;
	pg_frame_init(&g);
	pg_eth(&g, dst.b, OUR_MAC.b, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&g, &(pg_ipv4){.src = ip4("10.1.0.2"),
	                                         .dst = ip4("10.1.0.20"),
	                                         .proto = PG_IP_TCP,
	                                         .ttl = 64,
	                                         .id = (uint16_t)(seq >> 16)});
	pg_tcp(&g, ip,
	       &(pg_tcp_opt){.sport = 61234,
	                     .dport = 502,
	                     .seq = seq,
	                     .flags = PG_SYN,
	                     .window = 1024,
	                     .mss = 1460});
	pg_ipv4_end(&g, ip);
	ck_assert_uint_eq(g.len, n);
	ck_assert_mem_eq(f, g.b, n); /* same bytes, checksums included */

	/* The parts we promise, spelled out. */
	static const uint8_t mss[4] = {0x02, 0x04, 0x05, 0xb4};
	ck_assert_mem_eq(f + 54, mss, 4);
	ck_assert_uint_eq(f[46], 0x60);             /* data offset 6: 24-byte header */
	ck_assert_uint_eq(f[47], 0x02);             /* SYN only */
	ck_assert_uint_eq(f[22], 64);               /* TTL */
	ck_assert_uint_eq(f[20] & 0x40, 0);         /* DF clear */
	ck_assert_uint_eq(pg_cksum(f + 14, 20), 0); /* IPv4 header checksum verifies */
	uint32_t ps = pg_pseudo_sum(&g, ip, PG_IP_TCP, 24);
	ck_assert_uint_eq(pg_fold(pg_sum(ps, f + 34, 24)), 0); /* TCP checksum verifies */
}
END_TEST

START_TEST(cookie_is_siphash24)
{
	uint8_t key[16];
	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	/* Input bytes 00..09: the reference test vector for 10 bytes. */
	ck_assert_uint_eq(probe_cookie(key, 0x00010203, 0x04050607, 0x0809), 0x7a5dbbc594ddb9f3ULL);
	ck_assert_uint_ne(probe_cookie(key, 0x00010203, 0x04050607, 0x080a), 0x7a5dbbc594ddb9f3ULL);
}
END_TEST

/* ---- token bucket ---- */

static void check_rate(double rate)
{
	struct probe_bucket b;
	probe_bucket_init(&b, rate, 0);
	size_t cap = (size_t)(rate * 12) + 16, n = 0;
	long *t = malloc(cap * sizeof(*t)); /* microseconds: exact windows */
	/* A greedy sender polling every 100 us for 10 s. */
	for (long us = 0; us <= 10000000; us += 100) {
		while (probe_bucket_take(&b, (double)us / 1e6)) {
			ck_assert(n < cap);
			t[n++] = us;
		}
	}
	size_t j = 0, worst = 0;
	for (size_t i = 0; i < n; i++) {
		while (t[i] - t[j] >= 1000000)
			j++;
		if (i - j + 1 > worst)
			worst = i - j + 1;
	}
	/* Every half-open window of one second holds fewer than rate + burst
	 * frames (a full bucket, then one frame every 1/rate); a sender that
	 * was never idle gets no more than rate. */
	ck_assert_msg((double)worst <= floor(rate + b.burst - 1e-9), "rate %g: %zu in one second",
	              rate, worst);
	if (rate >= 1)
		ck_assert_msg((double)worst <= ceil(rate - 1e-9), "rate %g: %zu in one second",
		              rate, worst);
	ck_assert_msg((double)n >= rate * 10 - 2 && (double)n <= rate * 10 + b.burst,
	              "rate %g: %zu in 10 s", rate, n);
	free(t);
}

START_TEST(bucket_never_exceeds_rate)
{
	check_rate(100);
	check_rate(1000);
	check_rate(7.5);
	check_rate(0.5);
}
END_TEST

START_TEST(bucket_burst_is_bounded)
{
	struct probe_bucket b;
	probe_bucket_init(&b, 100, 0);
	ck_assert_double_eq(b.burst, 2); /* 20 ms of 100/s, at least 2 */
	ck_assert(probe_bucket_take(&b, 0));
	ck_assert(!probe_bucket_take(&b, 0)); /* starts with one token only */
	ck_assert_double_eq_tol(probe_bucket_delay(&b, 0), 0.01, 1e-9);
	int n = 0;
	while (probe_bucket_take(&b, 1000)) /* after a long idle */
		n++;
	ck_assert_int_eq(n, 2);
	probe_bucket_init(&b, 10000, 0);
	ck_assert_double_eq(b.burst, 200);
	probe_bucket_init(&b, 0.5, 0);
	ck_assert_double_eq(b.burst, 1); /* never more than a second's worth */
	n = 0;
	while (probe_bucket_take(&b, 1000))
		n++;
	ck_assert_int_eq(n, 1);
}
END_TEST

/* ---- target expansion and scope ---- */

START_TEST(expansion_skips_network_broadcast_and_self)
{
	struct policy *p =
	    policy("version: 1\nzones:\n  office: {kind: office, networks: [10.1.0.0/24]}\n");
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.1.0.2");
	char err[512];
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_uint_eq(probe_target_count(pr), 253); /* .1-.254 without .2 (ours) */
	ck_assert_uint_eq(probe_target_at(pr, 0), ip4("10.1.0.1"));
	ck_assert_uint_eq(probe_target_at(pr, 252), ip4("10.1.0.254"));
	ck_assert(!probe_in_scope(pr, ip4("10.1.0.0")));
	ck_assert(!probe_in_scope(pr, ip4("10.1.0.255")));
	ck_assert(!probe_in_scope(pr, ip4("10.1.0.2")));
	ck_assert(!probe_in_scope(pr, ip4("10.1.1.1")));
	ck_assert(probe_in_scope(pr, ip4("10.1.0.3")));
	char *plan = probe_plan_text(pr);
	ck_assert_msg(strstr(plan, "targets: 253") && strstr(plan, "zone office"), "%s", plan);
	free(plan);
	probe_free(pr);
	probe_opts_free(&o);
	pol_free(p);
}
END_TEST

START_TEST(slash31_and_slash32)
{
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "192.0.2.100");
	add_target(&o, "192.0.2.0/31");
	add_target(&o, "192.0.2.7/32");
	add_target(&o, "192.0.2.8/30");
	char err[512];
	struct probe *pr = probe_new(&o, NULL, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	/* /31: both (RFC 3021); /32: itself; /30: .9 and .10 only. */
	static const char *want[] = {"192.0.2.0", "192.0.2.1", "192.0.2.7", "192.0.2.9",
	                             "192.0.2.10"};
	ck_assert_uint_eq(probe_target_count(pr), 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_uint_eq(probe_target_at(pr, i), ip4(want[i]));
	ck_assert(!probe_in_scope(pr, ip4("192.0.2.8")));
	ck_assert(!probe_in_scope(pr, ip4("192.0.2.11")));
	ck_assert(!probe_in_scope(pr, ip4("192.0.2.2")));
	probe_free(pr);
	probe_opts_free(&o);
}
END_TEST

START_TEST(nested_passive_zones_untouched)
{
	struct policy *p = policy(NESTED);
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	char err[512];
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	/* office /22 minus its network and broadcast minus plant's /24 (1022
	 * - 256), plus lab's /24 nested in the passive cell /16 (254). */
	ck_assert_uint_eq(probe_target_count(pr), 766 + 254);
	for (size_t i = 0; i < probe_target_count(pr); i++) {
		uint32_t a = probe_target_at(pr, i);
		ck_assert_msg((a >> 8) != (ip4("10.1.1.0") >> 8), "plant address %08x planned", a);
		ck_assert_msg((a >> 16) != 0x0a02 || (a >> 8) == (ip4("10.2.5.0") >> 8),
		              "cell address %08x planned", a);
		ck_assert(a != ip4("10.1.0.0") && a != ip4("10.1.3.255"));
		ck_assert(a != ip4("10.2.5.0") && a != ip4("10.2.5.255"));
	}
	ck_assert(!probe_in_scope(pr, ip4("10.1.1.7")));
	ck_assert(probe_in_scope(pr, ip4("10.1.2.0"))); /* an ordinary host of the /22 */
	ck_assert(!probe_in_scope(pr, ip4("10.2.6.1")));
	ck_assert(probe_in_scope(pr, ip4("10.2.5.1")));
	char *plan = probe_plan_text(pr);
	ck_assert_msg(strstr(plan, "zone plant (plant): passive-only, never probed") != NULL, "%s",
	              plan);
	free(plan);
	probe_free(pr);
	probe_opts_free(&o);
	pol_free(p);
}
END_TEST

START_TEST(plant_and_backup_default_to_passive_only)
{
	struct policy *p = policy("version: 1\nzones:\n"
	                          "  plant: {kind: plant, networks: [10.5.0.0/24]}\n"
	                          "  backup: {kind: backup, networks: [10.6.0.0/24]}\n");
	struct probe_opts o;
	opts_for(&o, PROBE_ARP | PROBE_TCP, "10.9.9.9");
	char err[512];
	ck_assert(probe_new(&o, p, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "nothing to probe") != NULL, "%s", err);
	pol_free(p);
	/* An explicit probe: allow opens a plant zone. */
	p = policy("version: 1\nzones:\n"
	           "  plant: {kind: plant, networks: [10.5.0.0/24], probe: allow}\n"
	           "  backup: {kind: backup, networks: [10.6.0.0/24]}\n");
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_uint_eq(probe_target_count(pr), 254);
	ck_assert(!probe_in_scope(pr, ip4("10.6.0.1")));
	probe_free(pr);
	pol_free(p);
	/* And passive-only shuts an office zone. */
	p = policy("version: 1\nzones:\n"
	           "  office: {kind: office, networks: [10.5.0.0/24], probe: passive-only}\n");
	ck_assert(probe_new(&o, p, err, sizeof(err)) == NULL);
	pol_free(p);
	probe_opts_free(&o);
}
END_TEST

static void refused(const struct policy *p, const char *target, const char *why)
{
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	add_target(&o, target);
	char err[512] = "";
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr == NULL, "--target %s was accepted", target);
	ck_assert_msg(strstr(err, why) != NULL, "--target %s: %s", target, err);
	probe_opts_free(&o);
}

START_TEST(targets_outside_allowed_zones_refused)
{
	struct policy *p = policy(NESTED);
	refused(p, "10.9.0.0/24", "outside every zone that allows probing");
	refused(p, "10.0.0.0/8", "reaches beyond the networks of zone office");
	refused(p, "10.1.0.0/16", "reaches beyond");
	refused(p, "10.1.1.0/25", "passive-only");
	refused(p, "10.1.1.5", "passive-only");
	refused(p, "10.2.0.0/24", "passive-only");
	/* Inside office: accepted, with the target's own ends skipped. */
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	add_target(&o, "10.1.2.0/24");
	char err[512];
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_uint_eq(probe_target_count(pr), 254);
	ck_assert_uint_eq(probe_target_at(pr, 0), ip4("10.1.2.1"));
	probe_free(pr);
	probe_opts_free(&o);
	/* A target that spans a nested passive zone keeps its hands off it. */
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	add_target(&o, "10.1.0.0/22");
	pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_uint_eq(probe_target_count(pr), 766);
	ck_assert(!probe_in_scope(pr, ip4("10.1.1.9")));
	probe_free(pr);
	probe_opts_free(&o);
	pol_free(p);
}
END_TEST

START_TEST(no_policy_needs_target)
{
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	char err[512] = "";
	ck_assert(probe_new(&o, NULL, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "--target") != NULL, "%s", err);
	probe_opts_free(&o);
}
END_TEST

START_TEST(max_targets_refused_with_explanation)
{
	struct policy *p =
	    policy("version: 1\nzones:\n  office: {kind: office, networks: [10.1.0.0/20]}\n");
	struct probe_opts o;
	opts_for(&o, PROBE_ARP, "10.9.9.9");
	o.max_targets = 1000;
	char err[1024] = "";
	ck_assert(probe_new(&o, p, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "4094 addresses") && strstr(err, "--max-targets 1000") &&
	                  strstr(err, "zone office 10.1.0.0/20") && strstr(err, "--target"),
	              "%s", err);
	/* The default (4096) takes the /20 exactly. */
	o.max_targets = PROBE_DEFAULT_MAX_TARGETS;
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_uint_eq(probe_target_count(pr), 4094);
	probe_free(pr);
	pol_free(p);
	/* A /8 is refused without enumerating it into memory. */
	p = policy("version: 1\nzones:\n  office: {kind: office, networks: [10.0.0.0/8]}\n");
	ck_assert(probe_new(&o, p, err, sizeof(err)) == NULL);
	ck_assert_msg(strstr(err, "refusing to probe up to 16777216 addresses") != NULL &&
	                  strstr(err, "zone office 10.0.0.0/8") != NULL,
	              "%s", err);
	pol_free(p);
	probe_opts_free(&o);
}
END_TEST

START_TEST(ipv6_target_refused)
{
	struct probe_opts o;
	probe_opts_init(&o);
	char err[256] = "";
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_TARGET, "fd00::/64", err, sizeof(err)),
	                 -1);
	ck_assert_msg(strstr(err, "IPv6 is not swept") != NULL, "%s", err);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_TARGET, "10.1.0.1/24", err, sizeof(err)),
	                 -1);
	ck_assert_msg(strstr(err, "host bits") != NULL, "%s", err);
	probe_opts_free(&o);
}
END_TEST

/* ---- option parsing ---- */

START_TEST(ports_parse)
{
	uint16_t *v;
	size_t n;
	char err[256];
	ck_assert_int_eq(probe_parse_ports("22,80,102,443,502,1-1024", &v, &n, err, sizeof(err)),
	                 0);
	ck_assert_uint_eq(n, 1024);
	ck_assert_uint_eq(v[0], 1);
	ck_assert_uint_eq(v[1023], 1024);
	free(v);
	ck_assert_int_eq(probe_parse_ports("8080,22,22,502", &v, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(v[0], 22);
	ck_assert_uint_eq(v[1], 502);
	ck_assert_uint_eq(v[2], 8080);
	free(v);
	ck_assert_int_eq(probe_parse_ports(PROBE_DEFAULT_PORTS, &v, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, 16);
	ck_assert_uint_eq(v[15], 44818);
	free(v);
	static const struct {
		const char *in, *msg;
	} bad[] = {{"0", "bad port '0' at character 1"},
	           {"65536", "bad port '65536'"},
	           {"22,http", "bad port 'http' at character 4"},
	           {"5-3", "bad range '5-3'"},
	           {"", "empty"},
	           {"22,", "bad port '' at character 4"},
	           {"1-", "bad range"},
	           {"-5", "bad range"},
	           {"22,,80", "bad port '' at character 4"}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(probe_parse_ports(bad[i].in, &v, &n, err, sizeof(err)) == -1, "'%s'",
		              bad[i].in);
		ck_assert_msg(strstr(err, bad[i].msg) != NULL, "'%s': %s", bad[i].in, err);
	}
}
END_TEST

START_TEST(options_parse)
{
	struct probe_opts o;
	probe_opts_init(&o);
	char err[256];
	ck_assert_double_eq(o.rate, 100);
	ck_assert_uint_eq(o.retries, 2);
	ck_assert_double_eq(o.wait, 1);
	ck_assert_uint_eq(o.max_targets, 4096);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PROBE, "arp,tcp", err, sizeof(err)), 0);
	ck_assert_uint_eq(o.kinds, PROBE_ARP | PROBE_TCP);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PROBE, "tcp", err, sizeof(err)), 0);
	ck_assert_uint_eq(o.kinds, PROBE_TCP);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PROBE, "icmp", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PROBE, "", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_RATE, "0", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_RATE, "fast", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_RATE, "250", err, sizeof(err)), 0);
	ck_assert_double_eq(o.rate, 250);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_RETRIES, "1.5", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_RETRIES, "0", err, sizeof(err)), 0);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_WAIT, "-1", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_WAIT, "0.5", err, sizeof(err)), 0);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_MAX_TARGETS, "0", err, sizeof(err)), -1);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_MAX_TARGETS, "100", err, sizeof(err)), 0);
	ck_assert_uint_eq(o.max_targets, 100);
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PORTS, "502", err, sizeof(err)), 0);
	ck_assert_uint_eq(o.n_ports, 1);
	probe_opts_free(&o);
}
END_TEST

/* ---- replies ---- */

static double fake_now;
static double fake_clock(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static struct pkt decoded(const pg_frame *f)
{
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f->b, f->len, f->len, &p), DEC_OK);
	p.ts = 1700000000000000LL + (int64_t)(fake_now * 1e6);
	return p;
}

static void reply_tcp(struct probe *pr, struct inventory *inv, const uint8_t *mac, const char *from,
                      uint16_t port, uint16_t dport, uint32_t ack, uint8_t flags)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, OUR_MAC.b, mac, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(
	    &f, &(pg_ipv4){.src = ip4(from), .dst = ip4("10.1.0.9"), .proto = PG_IP_TCP});
	pg_tcp(&f, ip,
	       &(pg_tcp_opt){.sport = port,
	                     .dport = dport,
	                     .seq = 777,
	                     .ack = ack,
	                     .flags = flags,
	                     .mss = flags & PG_SYN ? 1460 : 0});
	pg_ipv4_end(&f, ip);
	struct pkt p = decoded(&f);
	ck_assert_int_eq(probe_observe(pr, inv, &p), 0);
	inv_add(inv, &p);
}

static int run_until(struct probe *pr, struct inventory *inv, double until)
{
	int r = 0;
	while (fake_now < until) {
		r = probe_tick(pr, inv);
		ck_assert_msg(r != PROBE_TICK_ERROR, "%s", probe_error(pr));
		fake_now += 0.001;
	}
	return r;
}

START_TEST(replies_are_matched_and_credited)
{
	char path[] = "/tmp/segscan-probe-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct probe_opts o;
	opts_for(&o, PROBE_ARP | PROBE_TCP, "10.1.0.9");
	add_target(&o, "10.1.0.0/30");
	char err[256];
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PORTS, "80,443", err, sizeof(err)), 0);
	o.retries = 0;
	o.wait = 0.5;
	o.clock = fake_clock;
	o.write_probes = path;
	fake_now = 10;
	struct probe *pr = probe_new(&o, NULL, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_int_eq(probe_open(pr, err, sizeof(err)), 0);
	struct inventory *inv = inv_new(NULL);

	run_until(pr, inv, 10.1); /* both ARP requests are out */
	struct probe_stats st;
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.arp_sent, 2);

	/* Our own request, captured on its way out, is not the network's. */
	uint8_t own[PROBE_FRAME_MAX];
	size_t n =
	    probe_frame_arp(&OUR_MAC, ip4("10.1.0.9"), ip4("10.1.0.1"), own, err, sizeof(err));
	struct pkt op;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, own, n, n, &op), DEC_OK);
	ck_assert_int_eq(probe_observe(pr, inv, &op), 1);

	/* 10.1.0.1 answers ARP. */
	uint8_t hmac[6] = {0x00, 0x01, 0xfc, 0x50, 0x00, 0x11};
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, OUR_MAC.b, hmac, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REPLY, hmac, ip4("10.1.0.1"), OUR_MAC.b, ip4("10.1.0.9"));
	struct pkt p = decoded(&f);
	ck_assert_int_eq(probe_observe(pr, inv, &p), 0);
	inv_add(inv, &p);

	run_until(pr, inv, 11.0); /* wait over, TCP pass sends 4 SYNs */
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.tcp_sent, 4);
	ck_assert_uint_eq(probe_host_count(pr), 2); /* .1 answered; .2 counts as up in a dry run */
	uint32_t hip;
	ss_mac hm;
	int via_arp;
	ck_assert_int_eq(probe_host_at(pr, 0, &hip, &hm, &via_arp), 0);
	ck_assert_uint_eq(hip, ip4("10.1.0.1"));
	ck_assert_mem_eq(hm.b, hmac, 6);
	ck_assert_int_eq(via_arp, 1);

	uint64_t c80 = probe_cookie(o.key, ip4("10.1.0.9"), ip4("10.1.0.1"), 80);
	uint64_t c443 = probe_cookie(o.key, ip4("10.1.0.9"), ip4("10.1.0.1"), 443);
	uint16_t sp80 = (uint16_t)(PROBE_SPORT_BASE + (c80 >> 32) % PROBE_SPORT_COUNT);
	uint16_t sp443 = (uint16_t)(PROBE_SPORT_BASE + (c443 >> 32) % PROBE_SPORT_COUNT);
	/* A SYN-ACK acknowledging the wrong number, or to the wrong port, is
	 * not an answer to us. */
	reply_tcp(pr, inv, hmac, "10.1.0.1", 80, sp80, (uint32_t)c80 + 2, PG_SYN | PG_ACK);
	reply_tcp(pr, inv, hmac, "10.1.0.1", 80, (uint16_t)(sp80 == 61999 ? 61000 : sp80 + 1),
	          (uint32_t)c80 + 1, PG_SYN | PG_ACK);
	ck_assert_int_eq(probe_port_state(pr, 0, 80), PROBE_PORT_FILTERED);
	reply_tcp(pr, inv, hmac, "10.1.0.1", 80, sp80, (uint32_t)c80 + 1, PG_SYN | PG_ACK);
	reply_tcp(pr, inv, hmac, "10.1.0.1", 443, sp443, (uint32_t)c443 + 1, PG_RST | PG_ACK);
	ck_assert_int_eq(probe_port_state(pr, 0, 80), PROBE_PORT_OPEN);
	ck_assert_int_eq(probe_port_state(pr, 0, 443), PROBE_PORT_CLOSED);
	ck_assert_int_eq(probe_port_state(pr, 1, 80), PROBE_PORT_FILTERED);

	int r = run_until(pr, inv, 12.0);
	ck_assert_int_eq(r, PROBE_TICK_DONE);
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.open, 1);
	ck_assert_uint_eq(st.closed, 1);
	ck_assert_uint_eq(st.filtered, 2);
	ck_assert_uint_eq(st.replies, 3);
	ck_assert_uint_eq(st.frames, 6); /* retries 0: nothing was sent twice */

	struct result *res = res_new("audit");
	inv_export(inv, NULL, res);
	int found = 0;
	for (size_t i = 0; i < res->n_hosts; i++) {
		struct res_host *h = &res->hosts[i];
		if (!h->has_mac || memcmp(h->mac.b, hmac, 6) != 0)
			continue;
		found = 1;
		ck_assert(res_strv_has(&h->evidence, "arp"));
		ck_assert(res_strv_has(&h->evidence, "arp-probe"));
		ck_assert(res_strv_has(&h->evidence, "tcp-probe"));
		ck_assert_uint_eq(h->n_services, 1); /* exactly the open port */
		ck_assert_uint_eq(h->services[0].port, 80);
	}
	ck_assert(found);
	res_free(res);
	inv_free(inv);
	probe_free(pr);
	probe_opts_free(&o);
	unlink(path);
}
END_TEST

/* The schedule: retries only to the silent, no idle round between the
 * sweep, its retries and the SYNs, and a wait that follows the round trips
 * measured instead of --wait once replies have been timed. */
START_TEST(schedule_retries_silent_and_waits_by_round_trip)
{
	char path[] = "/tmp/segscan-probe-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct probe_opts o;
	opts_for(&o, PROBE_ARP | PROBE_TCP, "10.1.0.9");
	add_target(&o, "10.1.0.0/30");
	char err[256];
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PORTS, "80", err, sizeof(err)), 0);
	o.retries = 1;
	o.wait = 1.0;
	o.rate = 1000;
	o.clock = fake_clock;
	o.write_probes = path;
	fake_now = 10;
	struct probe *pr = probe_new(&o, NULL, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_int_eq(probe_open(pr, err, sizeof(err)), 0);
	struct inventory *inv = inv_new(NULL);

	run_until(pr, inv, 10.005); /* both ARP requests are out */
	struct probe_stats st;
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.arp_sent, 2);
	ck_assert_uint_eq(st.tcp_sent, 0);

	/* 10.1.0.1 answers 5 ms after its request went out. */
	uint8_t hmac[6] = {0x00, 0x01, 0xfc, 0x50, 0x00, 0x11};
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, OUR_MAC.b, hmac, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REPLY, hmac, ip4("10.1.0.1"), OUR_MAC.b, ip4("10.1.0.9"));
	struct pkt p = decoded(&f);
	ck_assert_int_eq(probe_observe(pr, inv, &p), 0);
	inv_add(inv, &p);

	/* Its SYN goes at once, while 10.1.0.2's retry is not due yet: no
	 * idle round between the sweep and the SYNs. */
	run_until(pr, inv, 10.02);
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.tcp_sent, 1);
	ck_assert_uint_eq(st.arp_sent, 2);
	uint64_t c80 = probe_cookie(o.key, ip4("10.1.0.9"), ip4("10.1.0.1"), 80);
	uint16_t sp80 = (uint16_t)(PROBE_SPORT_BASE + (c80 >> 32) % PROBE_SPORT_COUNT);
	reply_tcp(pr, inv, hmac, "10.1.0.1", 80, sp80, (uint32_t)c80 + 1, PG_SYN | PG_ACK);

	/* The round trips were milliseconds: the silent 10.1.0.2 is asked
	 * again after the 0.2 s floor, not after --wait's full second. */
	run_until(pr, inv, 10.19);
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.arp_sent, 2);
	run_until(pr, inv, 10.25);
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.arp_sent, 3); /* one retry, to the silent one only */

	/* Nothing answers 10.1.0.2 (it counts as up in a dry run): its SYN
	 * and that SYN's retry, then the last wait; done well before the
	 * 1 s per round the fixed wait took. */
	int r = run_until(pr, inv, 10.9);
	ck_assert_int_eq(r, PROBE_TICK_DONE);
	probe_get_stats(pr, &st);
	ck_assert_uint_eq(st.arp_sent, 3);
	ck_assert_uint_eq(st.tcp_sent, 3); /* .1:80 once (answered), .2:80 twice */
	ck_assert_uint_eq(st.open, 1);
	ck_assert_uint_eq(st.filtered, 1);
	inv_free(inv);
	probe_free(pr);
	probe_opts_free(&o);
	unlink(path);
}
END_TEST

/* ---- --write-probes ---- */

START_TEST(write_probes_stays_in_scope)
{
	char path[] = "/tmp/segscan-probe-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct policy *p = policy(NESTED);
	struct probe_opts o;
	opts_for(&o, PROBE_ARP | PROBE_TCP, "10.1.0.2");
	add_target(&o, "10.1.0.0/22");
	char err[512];
	ck_assert_int_eq(probe_parse_option(&o, PROBE_OPT_PORTS, "22,502", err, sizeof(err)), 0);
	o.retries = 1;
	o.rate = 1000;
	o.write_probes = path;
	struct probe *pr = probe_new(&o, p, err, sizeof(err));
	ck_assert_msg(pr != NULL, "%s", err);
	ck_assert_int_eq(probe_open(pr, err, sizeof(err)), 0);
	ck_assert_msg(probe_run_dry(pr, NULL, err, sizeof(err)) == 0, "%s", err);
	size_t targets = probe_target_count(pr);
	ck_assert_uint_eq(targets, 765); /* 766 minus our own 10.1.0.2 */
	probe_free(pr);                  /* closes the file */

	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, eb);
	ck_assert_msg(pc != NULL, "%s", eb);
	ck_assert_int_eq(pcap_datalink(pc), DLT_EN10MB);
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t arp = 0, syn = 0, n = 0, cap = 8192, j = 0, worst = 0;
	double *t = malloc(cap * sizeof(*t));
	while (pcap_next_ex(pc, &h, &data) == 1) {
		struct pkt k;
		ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, data, h->caplen, h->len, &k), DEC_OK);
		ck_assert_mem_eq(k.src_mac.b, OUR_MAC.b, 6);
		uint32_t dst;
		if (k.kind == PKT_ARP) {
			ck_assert_uint_eq(k.arp.op, 1);
			ck_assert_uint_eq(probe_ip4_of(&k.arp.spa), ip4("10.1.0.2"));
			dst = probe_ip4_of(&k.arp.tpa);
			arp++;
		} else {
			ck_assert_int_eq(k.kind, PKT_IP);
			ck_assert_uint_eq(k.proto, 6);
			ck_assert_uint_eq(k.tcp_flags, TCPF_SYN);
			ck_assert(k.dport == 22 || k.dport == 502);
			ck_assert(k.sport >= 61000 && k.sport <= 61999);
			ck_assert_uint_eq(probe_ip4_of(&k.src), ip4("10.1.0.2"));
			dst = probe_ip4_of(&k.dst);
			syn++;
		}
		/* Office only: not plant's /24, not the /22's ends, not ours. */
		ck_assert_msg((dst >> 10) == (ip4("10.1.0.0") >> 10), "%08x outside office", dst);
		ck_assert_msg((dst >> 8) != (ip4("10.1.1.0") >> 8), "%08x in plant", dst);
		ck_assert(dst != ip4("10.1.0.0") && dst != ip4("10.1.3.255") &&
		          dst != ip4("10.1.0.2"));
		ck_assert(n < cap);
		t[n] = (double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6;
		while (t[n] - t[j] >= 1.0 - 1e-7)
			j++;
		if (n - j + 1 > worst)
			worst = n - j + 1;
		n++;
	}
	pcap_close(pc);
	free(t);
	/* Nothing answers a dry run: every probe is sent 1 + retries times. */
	ck_assert_uint_eq(arp, targets * 2);
	ck_assert_uint_eq(syn, targets * 2 * 2);
	ck_assert_msg(worst <= 1000 + 20, "%zu frames within one second at --rate 1000", worst);
	unlink(path);
	probe_opts_free(&o);
	pol_free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("probe");
	TCase *c = tcase_create("frames");
	tcase_add_test(c, arp_request_bytes);
	tcase_add_test(c, syn_bytes_match_independent_builder);
	tcase_add_test(c, cookie_is_siphash24);
	suite_add_tcase(s, c);
	c = tcase_create("rate");
	tcase_add_test(c, bucket_never_exceeds_rate);
	tcase_add_test(c, bucket_burst_is_bounded);
	suite_add_tcase(s, c);
	c = tcase_create("scope");
	tcase_set_timeout(c, 30);
	tcase_add_test(c, expansion_skips_network_broadcast_and_self);
	tcase_add_test(c, slash31_and_slash32);
	tcase_add_test(c, nested_passive_zones_untouched);
	tcase_add_test(c, plant_and_backup_default_to_passive_only);
	tcase_add_test(c, targets_outside_allowed_zones_refused);
	tcase_add_test(c, no_policy_needs_target);
	tcase_add_test(c, max_targets_refused_with_explanation);
	tcase_add_test(c, ipv6_target_refused);
	suite_add_tcase(s, c);
	c = tcase_create("options");
	tcase_add_test(c, ports_parse);
	tcase_add_test(c, options_parse);
	suite_add_tcase(s, c);
	c = tcase_create("run");
	tcase_set_timeout(c, 30);
	tcase_add_test(c, replies_are_matched_and_credited);
	tcase_add_test(c, schedule_retries_silent_and_waits_by_round_trip);
	tcase_add_test(c, write_probes_stays_in_scope);
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
