/*
 * tests/tool_flood.c - the monitor's memory bound under a flood: a million
 * frames from random MAC and IP addresses, each to a random address and
 * port, built in memory and fed through the same code as a live capture
 * (dec_packet, inv_add, then the monitor's eviction after every packet
 * that created an entry, and now and then an export compared with the
 * known state, as `segscan monitor` does every second).
 *
 *   tool_flood [PACKETS [MAX_HOSTS [MAX_FLOWS [LIMIT_MB]]]]
 *
 * Defaults: 1000000 packets, --max-hosts 20000, --max-flows 50000, and a
 * resident-memory limit of 200 MB (measured: about 170 MB, of which the
 * tables are 40 MB and a full export with its violation texts most of the
 * rest); the peak must also stay flat over the second half of the flood. Fails (exit 1) when a
 * table exceeds its limit after a packet, when the known state outgrows its bound, or when the peak
 * resident set size (getrusage ru_maxrss) exceeds the limit. The random addresses come from a
 * fixed-seed generator: every run is the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "monitor/monitor.h"
#include "scanner/inventory.h"
#include "tests/helper_pcapgen.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next_rand(void)
{
	/* xorshift64*: fast, and the same sequence on every run */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dULL) >> 32);
}

static long rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t events;
static void count_event(void *ctx, json_t *ev)
{
	(void)ctx;
	events++;
	json_decref(ev);
}

static const char policy_yaml[] =
    "version: 1\n"
    "zones:\n"
    "  office: {kind: office, networks: [10.0.0.0/9]}\n"
    "  plant: {kind: plant, networks: [10.128.0.0/9]}\n"
    "default: deny\n"
    "assets:\n"
    "  - {name: hmi-01, mac: \"00:01:fc:50:00:10\", ip: 10.128.0.10, zone: plant}\n";

int main(int argc, char **argv)
{
	unsigned long packets = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t max_hosts = argc > 2 ? strtoul(argv[2], NULL, 10) : 20000;
	size_t max_flows = argc > 3 ? strtoul(argv[3], NULL, 10) : 50000;
	long limit_mb = argc > 4 ? strtol(argv[4], NULL, 10) : 200;

	struct pol_error pe;
	struct policy *pol =
	    pol_load_buffer("flood.yaml", policy_yaml, sizeof(policy_yaml) - 1, &pe);
	if (!pol) {
		fprintf(stderr, "flood.yaml:%d:%d: %s\n", pe.line, pe.col, pe.msg);
		return 2;
	}
	struct inventory *inv = inv_new(pol);
	struct mon_opts mo = {.host_expiry = 0,
	                      .max_hosts = max_hosts,
	                      .max_violations = 2 * max_hosts + max_flows,
	                      .burst = 1000,
	                      .emit = count_event,
	                      .emit_ctx = NULL};
	struct mon_state *ms = mon_new(&mo);
	long rss0 = rss_kb();
	double t0 = now_s();
	int failed = 0;
	double t_evict = 0, t_export = 0;
	long rss_mid = 0;
	uint64_t evictions = 0, exports = 0;
	ss_time ts = 1700000000000000LL;
	static pg_frame f;

	for (unsigned long n = 0; n < packets && !failed; n++) {
		uint8_t src[6], dst[6];
		uint32_t a = next_rand(), b = next_rand(), c = next_rand();
		src[0] = 0x02; /* locally administered unicast */
		memcpy(src + 1, &a, 4);
		src[5] = (uint8_t)b;
		dst[0] = 0x02;
		memcpy(dst + 1, &c, 4);
		dst[5] = (uint8_t)(b >> 8);
		/* pg_frame_init clears all 64 KB; these frames use 60 bytes. */
		memset(f.b, 0, 128);
		f.len = 0;
		f.overflow = 0;
		pg_eth(&f, dst, src, PG_ETH_IPV4);
		size_t ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = 0x0a000000u | (a & 0x00ffffffu),
		                                         .dst = 0x0a000000u | (c & 0x00ffffffu),
		                                         .proto = PG_IP_UDP});
		pg_udp(&f, ip, (uint16_t)(1024 + (b >> 16) % 60000), (uint16_t)(1 + (c >> 24)),
		       "flood", 5);
		pg_ipv4_end(&f, ip);

		struct pkt p;
		if (dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p) != DEC_OK) {
			fprintf(stderr, "frame %lu did not decode\n", n);
			return 2;
		}
		p.ts = ts;
		ts += 10; /* 100,000 packets a second of capture time */
		/* What cmd-monitor.c's on_packet does. */
		size_t before = inv_mac_count(inv) + inv_ip_count(inv) + inv_flow_count(inv);
		inv_add(inv, &p);
		if (inv_mac_count(inv) + inv_ip_count(inv) + inv_flow_count(inv) != before &&
		    (inv_mac_count(inv) > max_hosts || inv_ip_count(inv) > max_hosts ||
		     inv_flow_count(inv) > max_flows)) {
			double e0 = now_s();
			if (inv_evict(inv, max_hosts, max_flows, NULL))
				evictions++;
			t_evict += now_s() - e0;
		}
		if (inv_mac_count(inv) > max_hosts || inv_ip_count(inv) > max_hosts ||
		    inv_flow_count(inv) > max_flows) {
			fprintf(stderr,
			        "FAIL after packet %lu: %zu MACs, %zu addresses, %zu flows\n", n,
			        inv_mac_count(inv), inv_ip_count(inv), inv_flow_count(inv));
			failed = 1;
		}
		/* Every 250,000 packets: export and compare, as the monitor
		 * does (it exports at most every 20 export-durations, so under
		 * a flood like this one every few seconds); a checkpoint every
		 * second time. */
		if ((n + 1) % 250000 == 0) {
			double x0 = now_s();
			struct result *r = res_new("monitor");
			inv_export(inv, NULL, r);
			mon_update(ms, r, ts);
			if ((n + 1) % 500000 == 0) {
				if (n + 1 == 500000)
					rss_mid = rss_kb();
				mon_checkpoint(ms, ts);
				mon_complete(ms, r);
			}
			res_free(r);
			exports++;
			t_export += now_s() - x0;
			if (mon_known_hosts(ms) > 2 * max_hosts + max_hosts / 10 ||
			    mon_known_violations(ms) > 2 * max_hosts + max_flows) {
				fprintf(stderr, "FAIL known state: %zu hosts, %zu violations\n",
				        mon_known_hosts(ms), mon_known_violations(ms));
				failed = 1;
			}
		}
	}
	double secs = now_s() - t0;
	long rss = rss_kb();
	printf(
	    "flood: %lu packets in %.2f s (eviction %.2f s, export and compare %.2f s); "
	    "%llu eviction rounds, %llu exports, %llu events; "
	    "tables %zu MACs, %zu addresses, %zu flows (limits %zu/%zu); known %zu hosts, %zu "
	    "violations; peak RSS %ld MB (%ld MB before, %ld MB at 500000 packets), limit %ld MB\n",
	    packets, secs, t_evict, t_export, (unsigned long long)evictions,
	    (unsigned long long)exports, (unsigned long long)events, inv_mac_count(inv),
	    inv_ip_count(inv), inv_flow_count(inv), max_hosts, max_flows, mon_known_hosts(ms),
	    mon_known_violations(ms), rss / 1024, rss0 / 1024, rss_mid / 1024, limit_mb);
	/* Bounded means flat: the second half of the flood adds nothing. */
	if (rss_mid && rss > rss_mid + rss_mid / 10) {
		fprintf(stderr, "FAIL peak RSS grew from %ld MB at 500000 packets to %ld MB\n",
		        rss_mid / 1024, rss / 1024);
		failed = 1;
	}
	if (rss / 1024 > limit_mb) {
		fprintf(stderr, "FAIL peak RSS %ld MB over the %ld MB limit\n", rss / 1024,
		        limit_mb);
		failed = 1;
	}
	mon_free(ms);
	inv_free(inv);
	pol_free(pol);
	printf("%s\n", failed ? "0 passed, 1 failed" : "1 passed, 0 failed");
	return failed;
}
