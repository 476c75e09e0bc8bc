/*
 * tests/test_monitor.c - `segscan monitor` without a network: the shape of
 * its ECS events, what it announces and what it does not announce twice,
 * the state file round trip, and eviction from the inventory (frames built
 * by helper_pcapgen, fed to inv_add as the live path does).
 */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/events.h"
#include "monitor/monitor.h"
#include "policy/policy.h"
#include "scanner/inventory.h"
#include "tests/helper_pcapgen.h"

#define T0  1700000000000000LL
#define SEC 1000000LL

/* ---- event capture ---- */

static json_t *events;

static void collect(void *ctx, json_t *ev)
{
	(void)ctx;
	json_array_append_new(events, ev);
}

static size_t count_action(const char *action)
{
	size_t n = 0, i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if (!strcmp(json_string_value(ev_get(ev, "event.action")), action))
			n++;
	}
	return n;
}

static json_t *find_action(const char *action, size_t nth)
{
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if (!strcmp(json_string_value(ev_get(ev, "event.action")), action) && nth-- == 0)
			return ev;
	}
	return NULL;
}

static const char *str_at(json_t *ev, const char *dotted)
{
	json_t *j = ev_get(ev, dotted);
	return j ? json_string_value(j) : NULL;
}

static struct mon_state *new_state(size_t max_hosts, size_t burst, ss_time expiry)
{
	struct mon_opts o = {.host_expiry = expiry,
	                     .max_hosts = max_hosts,
	                     .burst = burst,
	                     .emit = collect,
	                     .emit_ctx = NULL};
	return mon_new(&o);
}

static void setup(void)
{
	events = json_array();
}
static void teardown(void)
{
	json_decref(events);
}

/* ---- results built by hand ---- */

static struct res_host *add_host(struct result *r, const char *mac, const char *ip, ss_time first,
                                 ss_time last)
{
	struct res_host *h = res_add_host(r);
	if (mac) {
		h->has_mac = 1;
		ck_assert_int_eq(ss_mac_parse(mac, &h->mac), 0);
	}
	if (ip) {
		ss_ip a;
		ck_assert_int_eq(ss_ip_parse(ip, &a), 0);
		res_host_add_ip(h, &a);
	}
	h->vendor = xstrdup("Siemens AG");
	h->device_class = xstrdup("unknown");
	h->zone = xstrdup("plant");
	h->first_seen = first;
	h->last_seen = last;
	res_strv_add(&h->evidence, "arp");
	return h;
}

static void add_violation(struct result *r, uint64_t count)
{
	struct res_violation *v = res_add_violation(r);
	v->type = xstrdup("forbidden_flow");
	v->severity = xstrdup("critical");
	ss_ip_parse("10.10.1.12", &v->src);
	ss_ip_parse("192.168.50.20", &v->dst);
	v->proto = 6;
	v->dport = 502;
	v->rule = xstrdup("office must not reach plant");
	v->count = count;
	v->first_seen = T0;
	v->last_seen = T0 + (ss_time)count * SEC;
	v->message = xstrdup("10.10.1.12 opened tcp/502 to 192.168.50.20, forbidden");
	v->fix = xstrdup("Block tcp/502");
}

static struct result *result_with(const char *mac, const char *ip, ss_time first, ss_time last)
{
	struct result *r = res_new("monitor");
	r->started = first;
	add_host(r, mac, ip, first, last);
	return r;
}

/* ---- events ---- */

START_TEST(violation_event_has_ecs_names)
{
	struct mon_state *m = new_state(0, 0, 0);
	struct result *r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0);
	add_violation(r, 3);
	mon_update(m, r, T0 + 5 * SEC);
	json_t *ev = find_action("violation", 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str_at(ev, "@timestamp"), "2023-11-14T22:13:25.000Z");
	ck_assert_str_eq(str_at(ev, "ecs.version"), EV_ECS_VERSION);
	ck_assert_str_eq(str_at(ev, "event.kind"), "alert");
	ck_assert(json_is_array(ev_get(ev, "event.category")));
	ck_assert_str_eq(json_string_value(json_array_get(ev_get(ev, "event.category"), 0)),
	                 "network");
	ck_assert(json_is_array(ev_get(ev, "event.type")));
	ck_assert_int_eq(json_integer_value(ev_get(ev, "event.severity")), 99);
	ck_assert_str_eq(str_at(ev, "log.level"), "critical");
	ck_assert_str_eq(str_at(ev, "source.ip"), "10.10.1.12");
	ck_assert_str_eq(str_at(ev, "destination.ip"), "192.168.50.20");
	ck_assert_int_eq(json_integer_value(ev_get(ev, "destination.port")), 502);
	ck_assert_str_eq(str_at(ev, "network.transport"), "tcp");
	ck_assert_str_eq(str_at(ev, "rule.name"), "office must not reach plant");
	ck_assert_str_eq(str_at(ev, "rule.category"), "forbidden_flow");
	ck_assert_str_eq(str_at(ev, "message"),
	                 "10.10.1.12 opened tcp/502 to 192.168.50.20, forbidden");
	ck_assert_str_eq(str_at(ev, "labels.fix"), "Block tcp/502");
	ck_assert_int_eq(json_integer_value(ev_get(ev, "labels.count")), 3);
	ck_assert_str_eq(str_at(ev, "event.start"), "2023-11-14T22:13:20.000Z");
	/* The host in the same export is a new_host event with host.* */
	json_t *nh = find_action("new_host", 0);
	ck_assert_ptr_nonnull(nh);
	ck_assert_str_eq(str_at(nh, "event.kind"), "event");
	ck_assert_str_eq(str_at(nh, "host.mac"), "00-1B-1B-00-00-02");
	ck_assert_str_eq(json_string_value(json_array_get(ev_get(nh, "host.ip"), 0)),
	                 "192.168.50.20");
	ck_assert_str_eq(str_at(nh, "labels.vendor"), "Siemens AG");
	ck_assert_str_eq(str_at(nh, "labels.zone"), "plant");
	res_free(r);
	mon_free(m);
}
END_TEST

START_TEST(writer_adds_observer_and_writes_one_line_per_event)
{
	char path[] = "/tmp/segscan-test-events.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct ev_writer *w = ev_writer_new("9.9.9", "sensor-1");
	char err[256];
	ck_assert_int_eq(ev_writer_open(w, path, err, sizeof(err)), 0);
	json_t *ev =
	    ev_new("error", "event", "configuration", "error", EV_ERROR, T0, "bad\npolicy");
	ck_assert_int_eq(ev_write(w, ev), 0);
	ck_assert_int_eq(ev_write(w, ev_new("policy_reloaded", "event", "configuration", "change",
	                                    EV_NOTICE, T0, "ok")),
	                 0);
	ck_assert_int_eq(ev_writer_sync(w), 0);
	ev_writer_free(w);
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof(line), f)) {
		json_error_t je;
		json_t *j = json_loads(line, 0, &je);
		ck_assert_msg(j != NULL, "line %d is not JSON: %s", n + 1, je.text);
		ck_assert_str_eq(str_at(j, "observer.hostname"), "sensor-1");
		ck_assert_str_eq(str_at(j, "observer.type"), "segscan");
		ck_assert_str_eq(str_at(j, "observer.version"), "9.9.9");
		ck_assert_str_eq(str_at(j, "event.module"), "segscan");
		if (n == 0) {
			ck_assert_str_eq(str_at(j, "message"),
			                 "bad\npolicy"); /* escaped, one line */
			ck_assert_str_eq(str_at(j, "log.level"), "error");
		}
		json_decref(j);
		n++;
	}
	fclose(f);
	ck_assert_int_eq(n, 2);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	unlink(path);
}
END_TEST

START_TEST(known_hosts_are_not_announced_again)
{
	struct mon_state *m = new_state(0, 0, 0);
	for (int i = 0; i < 3; i++) {
		struct result *r =
		    result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0 + i * SEC);
		mon_update(m, r, T0 + i * SEC);
		res_free(r);
	}
	ck_assert_uint_eq(count_action("new_host"), 1);
	ck_assert_uint_eq(count_action("host_changed"), 0);
	/* A new address and a refined class: one host_changed saying both. */
	struct result *r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0 + 9 * SEC);
	ss_ip b;
	ss_ip_parse("192.168.50.21", &b);
	res_host_add_ip(&r->hosts[0], &b);
	free(r->hosts[0].device_class);
	r->hosts[0].device_class = xstrdup("plc");
	mon_update(m, r, T0 + 9 * SEC);
	res_free(r);
	ck_assert_uint_eq(count_action("host_changed"), 1);
	json_t *ev = find_action("host_changed", 0);
	ck_assert_str_eq(json_string_value(json_array_get(ev_get(ev, "event.type"), 0)), "change");
	ck_assert_str_eq(json_string_value(json_array_get(ev_get(ev, "labels.added_ips"), 0)),
	                 "192.168.50.21");
	ck_assert_str_eq(str_at(ev, "labels.old_class"), "unknown");
	ck_assert_str_eq(str_at(ev, "host.type"), "plc");
	/* A later export that knows less ("unknown") changes nothing. */
	r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0 + 10 * SEC);
	mon_update(m, r, T0 + 10 * SEC);
	res_free(r);
	ck_assert_uint_eq(count_action("host_changed"), 1);
	ck_assert_uint_eq(count_action("new_host"), 1);
	mon_free(m);
}
END_TEST

START_TEST(violation_event_once_per_key_then_summaries)
{
	struct mon_state *m = new_state(0, 0, 0);
	struct result *r = result_with("00:1b:1b:00:00:02", NULL, T0, T0);
	add_violation(r, 1);
	mon_update(m, r, T0);
	res_free(r);
	for (uint64_t n = 2; n <= 5; n++) {
		r = result_with("00:1b:1b:00:00:02", NULL, T0, T0);
		add_violation(r, n);
		mon_update(m, r, T0 + (ss_time)n * SEC);
		res_free(r);
	}
	ck_assert_uint_eq(count_action("violation"), 1);
	mon_checkpoint(m, T0 + 60 * SEC);
	ck_assert_uint_eq(count_action("violation_summary"), 1);
	json_t *s = find_action("violation_summary", 0);
	ck_assert_str_eq(str_at(s, "event.kind"), "metric");
	ck_assert_int_eq(json_integer_value(ev_get(s, "labels.count")), 4);
	ck_assert_int_eq(json_integer_value(ev_get(s, "labels.total")), 5);
	ck_assert_str_eq(str_at(s, "rule.name"), "office must not reach plant");
	/* Nothing new: no summary. */
	mon_checkpoint(m, T0 + 120 * SEC);
	ck_assert_uint_eq(count_action("violation_summary"), 1);
	/* The inventory's count restarts (evicted flow): the total keeps growing. */
	r = result_with("00:1b:1b:00:00:02", NULL, T0, T0);
	add_violation(r, 2);
	mon_update(m, r, T0 + 130 * SEC);
	mon_complete(m, r);
	ck_assert_uint_eq(r->violations[0].count, 7);
	res_free(r);
	mon_checkpoint(m, T0 + 180 * SEC);
	ck_assert_uint_eq(count_action("violation_summary"), 2);
	ck_assert_int_eq(
	    json_integer_value(ev_get(find_action("violation_summary", 1), "labels.count")), 2);
	ck_assert_uint_eq(count_action("violation"), 1);
	mon_free(m);
}
END_TEST

START_TEST(state_round_trip_keeps_first_seen_and_known_sets)
{
	char dir[] = "/tmp/segscan-test-state.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *path = xasprintf("%s/state.json", dir);
	struct mon_state *m = new_state(0, 0, 0);
	struct result *r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0 + SEC);
	add_host(r, NULL, "192.168.60.7", T0 + 2 * SEC, T0 + 3 * SEC); /* keyed by IP */
	add_violation(r, 3);
	mon_update(m, r, T0 + 3 * SEC);
	mon_complete(m, r);
	char err[512];
	ck_assert_int_eq(mon_save(m, r, path, err, sizeof(err)), 0);
	res_free(r);
	mon_free(m);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	/* The state is a result `segscan report` reads. */
	struct result *loaded = res_load_json(path, err, sizeof(err));
	ck_assert_msg(loaded != NULL, "%s", err);
	ck_assert_uint_eq(loaded->n_hosts, 2);
	ck_assert_uint_eq(loaded->n_violations, 1);
	res_free(loaded);

	/* A restart: a fresh inventory sees the host again, later. */
	json_array_clear(events);
	m = new_state(0, 0, 0);
	ck_assert_int_eq(mon_load(m, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(mon_known_hosts(m), 2);
	ck_assert_uint_eq(mon_known_violations(m), 1);
	r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0 + 100 * SEC, T0 + 101 * SEC);
	add_violation(r, 1);
	mon_update(m, r, T0 + 101 * SEC);
	ck_assert_uint_eq(count_action("new_host"), 0);
	ck_assert_uint_eq(count_action("violation"), 0);
	ck_assert_int_eq(r->hosts[0].first_seen, T0); /* carried from the state */
	mon_complete(m, r);
	ck_assert_uint_eq(r->n_hosts, 2); /* the IP-keyed host, not seen since, is kept */
	ck_assert_uint_eq(r->violations[0].count, 4);
	ck_assert_int_eq(mon_save(m, r, path, err, sizeof(err)), 0);
	res_free(r);
	mon_free(m);

	/* A missing state is a fresh start; a broken one is an error with a position. */
	m = new_state(0, 0, 0);
	char *missing = xasprintf("%s/none.json", dir);
	ck_assert_int_eq(mon_load(m, missing, err, sizeof(err)), 1);
	int fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "{\"tool\": {\"name\": \"segscan\"", 28), 28);
	close(fd);
	ck_assert_int_eq(mon_load(m, path, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "state.json:1:") != NULL, "error without position: %s", err);
	ck_assert_uint_eq(mon_known_hosts(m), 0);
	mon_free(m);
	unlink(path);
	rmdir(dir);
	free(missing);
	free(path);
}
END_TEST

START_TEST(host_gone_once_after_expiry_and_return_is_announced)
{
	struct mon_state *m = new_state(0, 0, 3600 * SEC);
	struct result *r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0);
	mon_update(m, r, T0);
	res_free(r);
	mon_checkpoint(m, T0 + 60 * SEC);
	ck_assert_uint_eq(count_action("host_gone"), 0);
	mon_checkpoint(m, T0 + 3601 * SEC);
	mon_checkpoint(m, T0 + 3700 * SEC);
	ck_assert_uint_eq(count_action("host_gone"), 1);
	ck_assert_str_eq(str_at(find_action("host_gone", 0), "event.end"),
	                 "2023-11-14T22:13:20.000Z");
	r = result_with("00:1b:1b:00:00:02", "192.168.50.20", T0, T0 + 4000 * SEC);
	mon_update(m, r, T0 + 4000 * SEC);
	res_free(r);
	ck_assert_uint_eq(count_action("new_host"), 2);
	ck_assert(json_is_true(ev_get(find_action("new_host", 1), "labels.returned")));
	mon_free(m);
}
END_TEST

START_TEST(event_burst_is_bounded_and_reported)
{
	struct mon_state *m = new_state(0, 2, 0);
	struct result *r = res_new("monitor");
	for (int i = 0; i < 5; i++) {
		char mac[32];
		snprintf(mac, sizeof(mac), "02:00:00:00:00:%02x", i);
		add_host(r, mac, NULL, T0, T0);
	}
	mon_update(m, r, T0);
	res_free(r);
	ck_assert_uint_eq(count_action("new_host"), 2);
	ck_assert_uint_eq(mon_known_hosts(m), 5); /* held back, still known */
	mon_checkpoint(m, T0 + 60 * SEC);
	json_t *ev = find_action("limit_reached", 0);
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(json_integer_value(ev_get(ev, "labels.held_new_host")), 3);
	mon_free(m);
}
END_TEST

START_TEST(known_hosts_are_bounded)
{
	struct mon_state *m = new_state(100, 0, 0);
	for (int round = 0; round < 10; round++) {
		struct result *r = res_new("monitor");
		for (int i = 0; i < 50; i++) {
			char mac[32];
			snprintf(mac, sizeof(mac), "02:00:00:00:%02x:%02x", round, i);
			add_host(r, mac, NULL, T0 + round * SEC, T0 + round * SEC);
		}
		mon_update(m, r, T0 + round * SEC);
		res_free(r);
		ck_assert_uint_le(mon_known_hosts(m), 100);
	}
	mon_free(m);
}
END_TEST

/* The flood of the issue: every violation in the current export, more keys
 * than any bound on old ones; the hard cap still holds. */
START_TEST(violation_keys_are_bounded_even_when_current)
{
	struct mon_opts o = {.max_hosts = 100, .max_violations = 250, .emit = collect};
	struct mon_state *m = mon_new(&o);
	for (int round = 0; round < 5; round++) {
		struct result *r = res_new("monitor");
		for (int i = 0; i < 400; i++) {
			add_violation(r, 1);
			r->violations[r->n_violations - 1].dport =
			    (uint16_t)(1000 + round * 400 + i);
		}
		mon_update(m, r, T0 + round * SEC);
		res_free(r);
		ck_assert_uint_le(mon_known_violations(m), 250);
	}
	mon_free(m);
}
END_TEST

/* ---- inventory eviction ---- */

static struct inventory *inv;
static ss_time clock_us;

static void inv_setup(void)
{
	inv = inv_new(NULL);
	clock_us = T0;
}
static void inv_teardown(void)
{
	inv_free(inv);
}

static void feed(const pg_frame *f)
{
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f->b, f->len, f->len, &p), DEC_OK);
	p.ts = clock_us;
	clock_us += 1000;
	inv_add(inv, &p);
}

static void arp_n(unsigned n)
{
	uint8_t m[6] = {0x02, 0x10, 0, 0, (uint8_t)(n >> 8), (uint8_t)n};
	uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, bc, m, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REQUEST, m, 0x0a000000u + n, NULL, 0x0a000001u);
	feed(&f);
}

static void udp_n(unsigned n)
{
	uint8_t s[6] = {0x02, 0x20, 0, 0, 0, 1}, d[6] = {0x02, 0x20, 0, 0, 0, 2};
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, d, s, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(
	    &f, &(pg_ipv4){.src = 0x0a140001u, .dst = 0x0a140002u, .proto = PG_IP_UDP});
	pg_udp(&f, ip, 40000, (uint16_t)(1000 + n), "x", 1);
	pg_ipv4_end(&f, ip);
	feed(&f);
}

static int has_host_with_ip(const struct result *r, const char *mac, const char *ip)
{
	ss_mac m;
	ss_ip a;
	ss_mac_parse(mac, &m);
	ss_ip_parse(ip, &a);
	for (size_t i = 0; i < r->n_hosts; i++)
		if (r->hosts[i].has_mac && !ss_mac_cmp(&r->hosts[i].mac, &m))
			for (size_t k = 0; k < r->hosts[i].n_ips; k++)
				if (ss_ip_eq(&r->hosts[i].ips[k], &a))
					return 1;
	return 0;
}

START_TEST(eviction_keeps_the_most_recent_and_bounds_the_tables)
{
	for (unsigned i = 0; i < 1000; i++)
		arp_n(i);
	ck_assert_uint_eq(inv_mac_count(inv), 1000);
	struct inv_evict_stats st;
	ck_assert_int_eq(inv_evict(inv, 100, 0, &st), 1);
	ck_assert_uint_eq(inv_mac_count(inv), 80); /* 80% of the limit */
	ck_assert_uint_eq(inv_ip_count(inv), 80);
	ck_assert_uint_eq(st.macs, 920);
	ck_assert_uint_eq(st.ips, 920);
	/* Nothing to do below the limits. */
	ck_assert_int_eq(inv_evict(inv, 100, 0, &st), 0);
	struct result *r = res_new("monitor");
	inv_export(inv, NULL, r);
	ck_assert_uint_eq(r->n_hosts, 80);
	/* The 80 most recent survive, with their bindings remapped. */
	ck_assert(has_host_with_ip(r, "02:10:00:00:03:e7", "10.0.3.231"));  /* n = 999 */
	ck_assert(has_host_with_ip(r, "02:10:00:00:03:98", "10.0.3.152"));  /* n = 920 */
	ck_assert(!has_host_with_ip(r, "02:10:00:00:03:97", "10.0.3.151")); /* n = 919 */
	res_free(r);
	/* The tables keep working after the rebuild: a known MAC is found
	 * again, not added twice; a new one is added. */
	arp_n(999);
	arp_n(5000);
	ck_assert_uint_eq(inv_mac_count(inv), 81);
	r = res_new("monitor");
	inv_export(inv, NULL, r);
	ck_assert(has_host_with_ip(r, "02:10:00:00:13:88", "10.0.19.136"));
	for (size_t i = 0; i < r->n_hosts; i++)
		ck_assert_uint_eq(r->hosts[i].n_ips, 1);
	res_free(r);
}
END_TEST

START_TEST(flow_eviction_keeps_the_most_recent)
{
	for (unsigned i = 0; i < 500; i++)
		udp_n(i);
	ck_assert_uint_eq(inv_flow_count(inv), 500);
	struct inv_evict_stats st;
	ck_assert_int_eq(inv_evict(inv, 0, 200, &st), 1);
	ck_assert_uint_eq(st.flows, 340);
	ck_assert_uint_eq(inv_flow_count(inv), 160);
	struct result *r = res_new("monitor");
	inv_export(inv, NULL, r);
	uint16_t lo = 65535;
	for (size_t i = 0; i < r->n_flows; i++)
		if (r->flows[i].dport < lo)
			lo = r->flows[i].dport;
	ck_assert_uint_eq(lo, 1000 + 340);
	res_free(r);
	udp_n(499); /* existing flow: no new entry */
	ck_assert_uint_eq(inv_flow_count(inv), 160);
}
END_TEST

START_TEST(set_policy_rejudges_flows)
{
	static const char y1[] =
	    "version: 1\nzones:\n  a: {kind: office, networks: [10.20.0.1/32]}\n"
	    "  b: {kind: plant, networks: [10.20.0.2/32]}\ndefault: allow\n";
	static const char y2[] =
	    "version: 1\nzones:\n  a: {kind: office, networks: [10.20.0.1/32]}\n"
	    "  b: {kind: plant, networks: [10.20.0.2/32]}\ndefault: deny\n";
	struct pol_error e;
	struct policy *p1 = pol_load_buffer("p1.yaml", y1, sizeof(y1) - 1, &e);
	ck_assert_ptr_nonnull(p1);
	struct policy *p2 = pol_load_buffer("p2.yaml", y2, sizeof(y2) - 1, &e);
	ck_assert_ptr_nonnull(p2);
	inv_set_policy(inv, p1);
	udp_n(1);
	struct result *r = res_new("monitor");
	inv_export(inv, NULL, r);
	size_t before = r->n_violations;
	res_free(r);
	inv_set_policy(inv, p2);
	pol_free(p1); /* nothing may point into it any more */
	r = res_new("monitor");
	inv_export(inv, NULL, r);
	ck_assert_uint_gt(r->n_violations, before);
	res_free(r);
	inv_set_policy(inv, NULL);
	pol_free(p2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("monitor");
	TCase *c = tcase_create("events");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, violation_event_has_ecs_names);
	tcase_add_test(c, writer_adds_observer_and_writes_one_line_per_event);
	tcase_add_test(c, known_hosts_are_not_announced_again);
	tcase_add_test(c, violation_event_once_per_key_then_summaries);
	tcase_add_test(c, state_round_trip_keeps_first_seen_and_known_sets);
	tcase_add_test(c, host_gone_once_after_expiry_and_return_is_announced);
	tcase_add_test(c, event_burst_is_bounded_and_reported);
	tcase_add_test(c, known_hosts_are_bounded);
	tcase_add_test(c, violation_keys_are_bounded_even_when_current);
	suite_add_tcase(s, c);
	c = tcase_create("eviction");
	tcase_add_checked_fixture(c, inv_setup, inv_teardown);
	tcase_add_test(c, eviction_keeps_the_most_recent_and_bounds_the_tables);
	tcase_add_test(c, flow_eviction_keeps_the_most_recent);
	tcase_add_test(c, set_policy_rejudges_flows);
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
