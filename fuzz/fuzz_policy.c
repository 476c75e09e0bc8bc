/*
 * fuzz/fuzz_policy.c - libFuzzer harness for the YAML policy loader
 * (pol_load_buffer) and, when a policy loads, everything that reads it
 * back: the summary of `segscan policy check`, the rules read back for
 * reports, zone lookup, and judging flows and hosts between the addresses
 * the policy itself names (zone networks and assets), so a hostile but
 * valid policy also reaches the judge.
 *
 * The input is copied into a heap buffer of exactly its size (not NUL
 * terminated), as a file read into memory would be.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_ADDRS 24

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("/dev/null");
		exit(1);
	}
	return 0;
}

/* Addresses worth judging: the first host of every zone network and every
 * asset address, plus a public and a private address in no zone. */
static size_t collect_addrs(const struct policy *p, ss_ip *out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < pol_zone_count(p) && n < max; i++) {
		const struct pol_zone *z = pol_zone_at(p, i);
		for (size_t j = 0; j < z->n_networks && n < max; j++) {
			ss_ip a = z->networks[j].net;
			/* Last byte + 1: a host inside the network, not its base. */
			if (a.family == 4)
				a.b[3]++;
			else if (a.family == 6)
				a.b[15]++;
			out[n++] = a;
		}
	}
	for (size_t i = 0; i < pol_asset_count(p) && n < max; i++) {
		const struct pol_asset *a = pol_asset_at(p, i);
		if (a->has_ip)
			out[n++] = a->ip;
	}
	static const char *const extra[] = {"8.8.8.8", "10.123.45.67", "fd00:99::5", "224.0.0.251"};
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]) && n < max; i++)
		if (ss_ip_parse(extra[i], &out[n]) == 0)
			n++;
	return n;
}

static void exercise(const struct policy *p)
{
	pol_print_summary(p, devnull);
	(void)pol_path(p);
	(void)pol_sha256(p);
	(void)pol_site(p);
	(void)pol_default_allow(p);

	struct pol_rule_info ri;
	for (size_t i = 0; i < pol_rule_count(p) && i < 256; i++)
		pol_rule_at(p, i, &ri);

	ss_ip addrs[FUZZ_MAX_ADDRS];
	size_t n = collect_addrs(p, addrs, FUZZ_MAX_ADDRS);
	struct pol_vset *set = pol_vset_new();
	static const struct {
		uint8_t proto;
		uint16_t port;
		const char *app;
	} svc[] = {{6, 502, "modbus"}, {6, 445, "smb"}, {17, 53, "dns"}, {6, 102, NULL}};
	ss_time ts = (ss_time)1700000000 * 1000000; /* a Tuesday, 22:13 UTC */
	for (size_t i = 0; i < n; i++) {
		(void)pol_zone_of(p, &addrs[i]);
		(void)pol_zone_find(p, &addrs[i]);
		(void)pol_asset_by_ip(p, &addrs[i]);
		for (size_t j = 0; j < n; j++) {
			if (i == j)
				continue;
			struct pol_flow f;
			memset(&f, 0, sizeof(f));
			f.src = addrs[i];
			f.dst = addrs[j];
			size_t k = (i + j) % (sizeof(svc) / sizeof(svc[0]));
			f.proto = svc[k].proto;
			f.dport = svc[k].port;
			f.app = svc[k].app;
			f.ts = ts + (ss_time)(i * 37 + j) * 3600 * 1000000;
			struct pol_decision d;
			pol_judge_flow_into(p, &f, &d, set);
		}
		struct pol_host h;
		memset(&h, 0, sizeof(h));
		h.ips = &addrs[i];
		h.n_ips = 1;
		h.dhcp_server = (int)(i & 1);
		h.first_seen = h.last_seen = ts;
		(void)pol_host_asset(p, &h);
		(void)pol_host_zone(p, &h);
		pol_judge_host(p, &h, set);
	}
	for (size_t i = 0; i < pol_asset_count(p); i++) {
		const struct pol_asset *a = pol_asset_at(p, i);
		(void)pol_asset_by_name(p, a->name);
		if (a->has_mac) {
			(void)pol_asset_by_mac(p, &a->mac);
			struct pol_host h;
			memset(&h, 0, sizeof(h));
			h.mac = &a->mac;
			h.ips = n ? addrs : NULL;
			h.n_ips = n < 3 ? n : 3; /* registered MAC with foreign addresses */
			h.first_seen = h.last_seen = ts;
			pol_judge_host(p, &h, set);
		}
	}
	size_t nrec;
	const struct pol_vrec *const *recs = pol_vset_sorted(set, &nrec);
	char msg[1024], fix[1024];
	for (size_t i = 0; i < nrec; i++)
		pol_violation_text(recs[i], msg, sizeof(msg), fix, sizeof(fix));
	pol_vset_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	struct pol_error e;
	memset(&e, 0, sizeof(e));
	struct policy *p = pol_load_buffer("fuzz.yaml", buf, size, &e);
	if (p) {
		exercise(p);
		pol_free(p);
	} else {
		/* An error must be a terminated, positioned message. */
		if (memchr(e.msg, '\0', sizeof(e.msg)) == NULL || e.line < 0 || e.col < 0)
			abort();
	}
	free(buf);
	return 0;
}
