/*
 * diff/merge.c - several results (sensors on different segments) into
 * one inventory, for `segscan merge A.json B.json ... -o ALL.json`.
 *
 * Identity rules are those of the diff (diff/diff.h): a host is its MAC;
 * a host without MAC (seen behind a router) is its address, and belongs to
 * the MAC host holding that address when one sensor saw the device itself.
 * Counters are added: a packet two sensors both saw is counted twice,
 * which is the price of not having packet identities in a result.
 */
#include <stdlib.h>
#include <string.h>

#include "common/htab.h"
#include "diff/diff-internal.h"
#include "diff/diff.h"
#include "policy/policy.h"

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	/* The JSON writer stores counters as signed 64-bit integers. */
	const uint64_t max = (uint64_t)INT64_MAX;
	if (a > max)
		a = max;
	if (b > max)
		b = max;
	return a > max - b ? max : a + b;
}

static void widen(ss_time *first, ss_time *last, ss_time f, ss_time l)
{
	if (f != SS_TIME_NONE && (*first == SS_TIME_NONE || f < *first))
		*first = f;
	if (l != SS_TIME_NONE && (*last == SS_TIME_NONE || l > *last))
		*last = l;
}

static void take_str(char **dst, const char *src)
{
	if (!*dst && src)
		*dst = xstrdup(src);
}

static void union_strv(struct res_strv *dst, const struct res_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		if (!res_strv_has(dst, src->v[i]))
			res_strv_add(dst, src->v[i]);
}

static void merge_host(struct res_host *d, const struct res_host *s)
{
	if (!d->has_mac && s->has_mac) {
		d->has_mac = 1;
		d->mac = s->mac;
	}
	for (size_t i = 0; i < s->n_ips; i++)
		res_host_add_ip(d, &s->ips[i]);
	if (d->vlan < 0)
		d->vlan = s->vlan;
	take_str(&d->vendor, s->vendor);
	d->mac_local |= s->mac_local;
	take_str(&d->hostname, s->hostname);
	take_str(&d->zone, s->zone);
	take_str(&d->asset, s->asset);
	take_str(&d->owner, s->owner);
	if (s->managed > d->managed)
		d->managed = s->managed;
	/* "unknown" is the writer's word for no class: a real one wins. */
	if (s->device_class && strcmp(s->device_class, "unknown") != 0 &&
	    (!d->device_class || strcmp(d->device_class, "unknown") == 0)) {
		free(d->device_class);
		d->device_class = xstrdup(s->device_class);
	}
	take_str(&d->device_class, s->device_class);
	take_str(&d->os, s->os);
	d->router |= s->router;
	take_str(&d->model, s->model);
	take_str(&d->firmware, s->firmware);
	take_str(&d->serial, s->serial);
	take_str(&d->class_evidence, s->class_evidence);
	take_str(&d->os_evidence, s->os_evidence);
	union_strv(&d->eol_hints, &s->eol_hints);
	union_strv(&d->notes, &s->notes);
	union_strv(&d->protocols, &s->protocols);
	for (size_t i = 0; i < s->n_services; i++)
		res_host_add_service(d, s->services[i].proto, s->services[i].port,
		                     s->services[i].app, s->services[i].app_guess);
	widen(&d->first_seen, &d->last_seen, s->first_seen, s->last_seen);
	d->packets = add_sat(d->packets, s->packets);
	d->bytes = add_sat(d->bytes, s->bytes);
	union_strv(&d->evidence, &s->evidence);
}

static void merge_hosts(struct result *out, const struct result *const *in, size_t n)
{
	struct ss_htab *macs = ss_htab_new(6);
	size_t *mac_host = NULL;
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < in[r]->n_hosts; i++) {
			const struct res_host *h = &in[r]->hosts[i];
			if (!h->has_mac)
				continue;
			int created;
			size_t k = ss_htab_intern(macs, h->mac.b, &created);
			if (created) {
				mac_host = xreallocarray(mac_host, k + 1, sizeof(size_t));
				mac_host[k] = out->n_hosts;
				res_add_host(out);
			}
			merge_host(&out->hosts[mac_host[k]], h);
		}
	/* Addresses MAC hosts hold, then MAC-less hosts by address. */
	struct ss_htab *ips = ss_htab_new(DIFF_IP_KEYLEN);
	size_t *ip_host = NULL;
	uint8_t key[DIFF_IP_KEYLEN];
	for (size_t i = 0; i < out->n_hosts; i++)
		for (size_t j = 0; j < out->hosts[i].n_ips; j++) {
			int created;
			diff_key_ip(&out->hosts[i].ips[j], key);
			size_t k = ss_htab_intern(ips, key, &created);
			if (created) {
				ip_host = xreallocarray(ip_host, k + 1, sizeof(size_t));
				ip_host[k] = i;
			}
		}
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < in[r]->n_hosts; i++) {
			const struct res_host *h = &in[r]->hosts[i];
			if (h->has_mac)
				continue;
			long found = -1;
			for (size_t j = 0; j < h->n_ips && found < 0; j++) {
				diff_key_ip(&h->ips[j], key);
				long k = ss_htab_find(ips, key);
				if (k >= 0)
					found = (long)ip_host[k];
			}
			size_t dst = found >= 0 ? (size_t)found : out->n_hosts;
			if (found < 0)
				res_add_host(out);
			merge_host(&out->hosts[dst], h);
			for (size_t j = 0; j < h->n_ips; j++) {
				int created;
				diff_key_ip(&h->ips[j], key);
				size_t k = ss_htab_intern(ips, key, &created);
				if (created) {
					ip_host = xreallocarray(ip_host, k + 1, sizeof(size_t));
					ip_host[k] = dst;
				}
			}
		}
	free(mac_host);
	free(ip_host);
	ss_htab_free(macs);
	ss_htab_free(ips);
}

static int verdict_rank(const char *v)
{
	static const char *const order[] = {"local", "intra_zone", "allowed", "violation"};
	for (int i = 0; v && i < 4; i++)
		if (strcmp(v, order[i]) == 0)
			return i;
	return -1;
}

static void merge_flows(struct result *out, const struct result *const *in, size_t n)
{
	struct ss_htab *ix = ss_htab_new(DIFF_FLOW_KEYLEN);
	uint8_t key[DIFF_FLOW_KEYLEN];
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < in[r]->n_flows; i++) {
			const struct res_flow *s = &in[r]->flows[i];
			int created;
			diff_key_flow(s, key);
			size_t k = ss_htab_intern(ix, key, &created);
			if (created) {
				struct res_flow *d = res_add_flow(out);
				d->src = s->src;
				d->dst = s->dst;
				d->proto = s->proto;
				d->dport = s->dport;
			}
			struct res_flow *d = &out->flows[k];
			take_str(&d->app, s->app);
			take_str(&d->src_zone, s->src_zone);
			take_str(&d->dst_zone, s->dst_zone);
			d->packets = add_sat(d->packets, s->packets);
			d->bytes = add_sat(d->bytes, s->bytes);
			widen(&d->first_seen, &d->last_seen, s->first_seen, s->last_seen);
			/* Sensors judged with different policies: the worst verdict
			 * stands, with the rule that gave it. */
			if (!d->verdict || verdict_rank(s->verdict) > verdict_rank(d->verdict)) {
				free(d->verdict);
				free(d->rule);
				d->verdict = s->verdict ? xstrdup(s->verdict) : NULL;
				d->rule = s->rule ? xstrdup(s->rule) : NULL;
			}
		}
	ss_htab_free(ix);
}

static int severity_rank(const char *s)
{
	enum pol_severity v;
	return s && pol_severity_parse(s, &v) == 0 ? (int)v : -1;
}

static void merge_violations(struct result *out, const struct result *const *in, size_t n)
{
	struct ss_htab *ix = ss_htab_new(DIFF_VIOL_KEYLEN);
	uint8_t key[DIFF_VIOL_KEYLEN];
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < in[r]->n_violations; i++) {
			const struct res_violation *s = &in[r]->violations[i];
			int created;
			diff_key_violation(s, key);
			size_t k = ss_htab_intern(ix, key, &created);
			if (created) {
				struct res_violation *d = res_add_violation(out);
				d->type = s->type ? xstrdup(s->type) : NULL;
				d->src = s->src;
				d->dst = s->dst;
				d->proto = s->proto;
				d->dport = s->dport;
				d->has_mac = s->has_mac;
				d->mac = s->mac;
			}
			struct res_violation *d = &out->violations[k];
			if (severity_rank(s->severity) > severity_rank(d->severity)) {
				free(d->severity);
				d->severity = xstrdup(s->severity);
			}
			take_str(&d->rule, s->rule);
			take_str(&d->message, s->message);
			take_str(&d->fix, s->fix);
			d->count = add_sat(d->count, s->count);
			widen(&d->first_seen, &d->last_seen, s->first_seen, s->last_seen);
		}
	ss_htab_free(ix);
}

/* Severity first (critical on top), then type, then the endpoints: the
 * order an audit gives. */
static int cmp_violation(const void *a, const void *b)
{
	const struct res_violation *x = a, *y = b;
	int c = severity_rank(y->severity) - severity_rank(x->severity);
	if (!c)
		c = strcmp(x->type ? x->type : "", y->type ? y->type : "");
	if (!c)
		c = ss_ip_cmp(&x->src, &y->src);
	if (!c)
		c = ss_ip_cmp(&x->dst, &y->dst);
	if (!c)
		c = (x->proto > y->proto) - (x->proto < y->proto);
	if (!c)
		c = (x->dport > y->dport) - (x->dport < y->dport);
	if (!c)
		c = (x->has_mac > y->has_mac) - (x->has_mac < y->has_mac);
	if (!c && x->has_mac)
		c = ss_mac_cmp(&x->mac, &y->mac);
	return c;
}

static void merge_scan(struct result *out, const struct result *const *in, size_t n,
                       struct res_strv *warnings)
{
	size_t with_policy = 0;
	int same = 1;
	for (size_t r = 0; r < n; r++) {
		const struct result *s = in[r];
		widen(&out->started, &out->ended, s->started, s->ended);
		widen(&out->capture_first, &out->capture_last, s->capture_first, s->capture_last);
		for (size_t i = 0; i < s->inputs.n; i++)
			res_strv_add(&out->inputs, s->inputs.v[i]);
		out->stats.packets = add_sat(out->stats.packets, s->stats.packets);
		out->stats.decoded = add_sat(out->stats.decoded, s->stats.decoded);
		out->stats.truncated = add_sat(out->stats.truncated, s->stats.truncated);
		out->stats.malformed = add_sat(out->stats.malformed, s->stats.malformed);
		out->stats.unsupported = add_sat(out->stats.unsupported, s->stats.unsupported);
		out->stats.non_ip = add_sat(out->stats.non_ip, s->stats.non_ip);
		out->stats.dropped = add_sat(out->stats.dropped, s->stats.dropped);
		if (s->policy_path)
			with_policy++;
		if (!s->policy_path || !s->policy_sha256 || !in[0]->policy_sha256 ||
		    strcmp(s->policy_sha256, in[0]->policy_sha256) != 0)
			same = 0;
	}
	if (n && with_policy == n && same) {
		out->policy_path = xstrdup(in[0]->policy_path);
		out->policy_sha256 = xstrdup(in[0]->policy_sha256);
		if (in[0]->site)
			out->site = xstrdup(in[0]->site);
	} else if (with_policy) {
		res_strv_add(warnings, with_policy == n
		                           ? "the results were judged with different policies "
		                             "(sha256 differs): the merged result names no policy"
		                           : "some results were judged with a policy and some "
		                             "without: the merged result names no policy");
	}
}

struct result *merge_results(const struct result *const *in, size_t n, struct res_strv *warnings)
{
	struct result *out = res_new("merge");
	merge_scan(out, in, n, warnings);
	merge_hosts(out, in, n);
	merge_flows(out, in, n);
	merge_violations(out, in, n);
	res_sort(out);
	if (out->n_violations > 1)
		qsort(out->violations, out->n_violations, sizeof(*out->violations), cmp_violation);
	return out;
}
