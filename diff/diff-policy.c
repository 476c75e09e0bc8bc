/*
 * diff/diff-policy.c - a policy held against what a result observed
 * (`segscan diff -p POLICY RESULT.json`) and two policies compared over
 * one result (`segscan diff -p OLD.yaml -p NEW.yaml RESULT.json`).
 *
 * Flows are judged again with pol_judge_flow at their first_seen time (and
 * at last_seen too when a scheduled rule is involved), the
 * endpoints carrying the MAC of the result's host holding the address (so
 * MAC-only asset selectors match as in an audit). Hosts are judged with
 * pol_judge_host. Nothing from the result's own verdicts is trusted: the
 * point is to see what this policy says.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/htab.h"
#include "diff/diff-internal.h"
#include "diff/diff.h"

/* ---- judging a saved flow ---- */

/* Address -> host, for endpoint MACs and "seen" checks. */
struct ip_hosts {
	struct ss_htab *ix;
	size_t *host; /* htab index -> host index (first holder) */
};

static void iph_build(struct ip_hosts *x, const struct result *r)
{
	x->ix = ss_htab_new(DIFF_IP_KEYLEN);
	size_t n = 1;
	for (size_t i = 0; i < r->n_hosts; i++)
		n += r->hosts[i].n_ips;
	x->host = xcalloc(n, sizeof(size_t));
	/* MAC hosts first, so an address a MAC host holds maps to it. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->n_hosts; i++) {
			const struct res_host *h = &r->hosts[i];
			if (h->has_mac != !pass)
				continue;
			for (size_t j = 0; j < h->n_ips; j++) {
				uint8_t key[DIFF_IP_KEYLEN];
				int created;
				diff_key_ip(&h->ips[j], key);
				size_t k = ss_htab_intern(x->ix, key, &created);
				if (created)
					x->host[k] = i;
			}
		}
}

static void iph_free(struct ip_hosts *x)
{
	ss_htab_free(x->ix);
	free(x->host);
}

static const struct res_host *iph_find(const struct ip_hosts *x, const struct result *r,
                                       const ss_ip *ip)
{
	uint8_t key[DIFF_IP_KEYLEN];
	diff_key_ip(ip, key);
	long k = ss_htab_find(x->ix, key);
	return k < 0 ? NULL : &r->hosts[x->host[k]];
}

static const ss_mac *endpoint_mac(const struct ip_hosts *x, const struct result *r, const ss_ip *ip)
{
	const struct res_host *h = iph_find(x, r, ip);
	return h && h->has_mac ? &h->mac : NULL;
}

static void flow_of(const struct ip_hosts *x, const struct result *r, const struct res_flow *f,
                    struct pol_flow *pf)
{
	memset(pf, 0, sizeof(*pf));
	pf->src = f->src;
	pf->dst = f->dst;
	pf->src_mac = endpoint_mac(x, r, &f->src);
	pf->dst_mac = endpoint_mac(x, r, &f->dst);
	pf->proto = f->proto;
	pf->dport = f->dport;
	pf->app = f->app;
	pf->ts = f->first_seen != SS_TIME_NONE  ? f->first_seen
	         : f->last_seen != SS_TIME_NONE ? f->last_seen
	                                        : 0;
}

/* Judges a saved flow. An audit judges a flow under a scheduled rule packet
 * by packet; a saved flow keeps only its first and last packet times, so
 * it is judged at both and a violation at either one stands. */
static void judge_saved(const struct policy *p, struct pol_flow *pf, const struct res_flow *f,
                        struct pol_decision *d)
{
	pol_judge_flow(p, pf, d);
	if (!d->time_dependent || d->verdict == POL_VERDICT_VIOLATION ||
	    f->last_seen == SS_TIME_NONE || f->last_seen == pf->ts)
		return;
	struct pol_flow late = *pf;
	struct pol_decision dl;
	late.ts = f->last_seen;
	pol_judge_flow(p, &late, &dl);
	if (dl.verdict == POL_VERDICT_VIOLATION) {
		*d = dl;
		*pf = late;
	}
}

static void judge_host(const struct policy *p, const struct res_host *h, struct pol_vset *set)
{
	int dhcp = 0;
	for (size_t i = 0; i < h->n_services; i++)
		if (h->services[i].proto == 17 && h->services[i].port == 67)
			dhcp = 1;
	struct pol_host ph = {.mac = h->has_mac ? &h->mac : NULL,
	                      .ips = h->ips,
	                      .n_ips = h->n_ips,
	                      .dhcp_server = dhcp,
	                      .is_router = h->router,
	                      .eol_hint = h->eol_hints.n > 0,
	                      .first_seen = h->first_seen,
	                      .last_seen = h->last_seen};
	pol_judge_host(p, &ph, set);
}

/* ---- suggestions ---- */

struct group_key {
	const char *sz, *dz; /* zone strings of the policy: equal zones, equal pointers */
	uint8_t proto;
	uint16_t dport;
};

static void group_keybytes(const struct group_key *k, uint8_t out[2 * sizeof(void *) + 3])
{
	memcpy(out, &k->sz, sizeof(void *));
	memcpy(out + sizeof(void *), &k->dz, sizeof(void *));
	out[2 * sizeof(void *)] = k->proto;
	out[2 * sizeof(void *) + 1] = (uint8_t)(k->dport >> 8);
	out[2 * sizeof(void *) + 2] = (uint8_t)(k->dport & 0xff);
}

/* The selector naming one endpoint: the registered asset that a rule
 * selector would match (by its address, or by MAC when it has none), else
 * the address. */
static char *endpoint_selector(const struct policy *p, const ss_ip *ip, const ss_mac *mac)
{
	const struct pol_asset *a = pol_asset_by_ip(p, ip);
	if (!a && mac) {
		a = pol_asset_by_mac(p, mac);
		if (a && a->has_ip)
			a = NULL; /* an asset with an address is matched by that address */
	}
	if (a)
		return xstrdup(a->name);
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	return xstrdup(b);
}

static const char *service_text(uint8_t proto, uint16_t dport, char buf[32])
{
	if (proto == 6 || proto == 17)
		snprintf(buf, 32, "%s/%u", proto == 6 ? "tcp" : "udp", (unsigned)dport);
	else if (proto == 1 || proto == 58)
		snprintf(buf, 32, "icmp");
	else
		snprintf(buf, 32, "any");
	return buf;
}

#define SEEN_MAX 20 /* "seen" lines kept per suggestion */

static void suggest(struct diff_policy *d, struct ss_htab *groups, const struct res_flow *f,
                    const struct pol_flow *pf, const struct pol_decision *dec)
{
	struct group_key gk = {dec->src_zone, dec->dst_zone, f->proto,
	                       f->proto == 6 || f->proto == 17 ? f->dport : 0};
	uint8_t key[2 * sizeof(void *) + 3];
	group_keybytes(&gk, key);
	int created;
	size_t gi = ss_htab_intern(groups, key, &created);
	if (created) {
		d->suggestions =
		    xreallocarray(d->suggestions, d->n_suggestions + 1, sizeof(*d->suggestions));
		struct diff_suggestion *s = &d->suggestions[d->n_suggestions++];
		memset(s, 0, sizeof(*s));
		char svc[32];
		s->name = xasprintf("suggested %s -> %s %s", gk.sz, gk.dz,
		                    service_text(gk.proto, gk.dport, svc));
		s->src_zone = gk.sz;
		s->dst_zone = gk.dz;
		s->proto = gk.proto;
		s->dport = gk.dport;
		s->first_seen = s->last_seen = SS_TIME_NONE;
	}
	struct diff_suggestion *s = &d->suggestions[gi];
	if (f->app && !s->app)
		s->app = xstrdup(f->app);
	char *fs = endpoint_selector(d->pol, &f->src, pf->src_mac);
	char *ts = endpoint_selector(d->pol, &f->dst, pf->dst_mac);
	if (!res_strv_has(&s->from, fs))
		res_strv_add(&s->from, fs);
	if (!res_strv_has(&s->to, ts))
		res_strv_add(&s->to, ts);
	if (s->seen.n < SEEN_MAX) {
		char a[SS_IP_STRLEN], b[SS_IP_STRLEN];
		ss_ip_format(&f->src, a);
		ss_ip_format(&f->dst, b);
		char *line = xasprintf(
		    "%s%s%s%s -> %s%s%s%s%s%s, %llu packets", a, strcmp(a, fs) ? " (" : "",
		    strcmp(a, fs) ? fs : "", strcmp(a, fs) ? ")" : "", b, strcmp(b, ts) ? " (" : "",
		    strcmp(b, ts) ? ts : "", strcmp(b, ts) ? ")" : "", f->app ? " " : "",
		    f->app ? f->app : "", (unsigned long long)f->packets);
		res_strv_add(&s->seen, line);
		free(line);
	}
	free(fs);
	free(ts);
	s->packets += f->packets;
	if (f->first_seen != SS_TIME_NONE &&
	    (s->first_seen == SS_TIME_NONE || f->first_seen < s->first_seen))
		s->first_seen = f->first_seen;
	if (f->last_seen != SS_TIME_NONE &&
	    (s->last_seen == SS_TIME_NONE || f->last_seen > s->last_seen))
		s->last_seen = f->last_seen;
}

/* Too many endpoints on one side: the zone itself is the readable rule. */
static void widen(struct res_strv *sel, const char *zone)
{
	if (sel->n <= DIFF_SUGGEST_MAX_ENDPOINTS)
		return;
	res_strv_free(sel);
	res_strv_add(sel, zone);
}

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3))) static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *t = NULL;
	int n = vasprintf(&t, fmt, ap);
	va_end(ap);
	if (n < 0 || !t)
		abort(); /* out of memory: as the x* wrappers do */
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = (b->len + (size_t)n + 1) * 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, t, (size_t)n + 1);
	b->len += (size_t)n;
	free(t);
}

/* A YAML double-quoted scalar. */
static void sb_yaml_str(struct sbuf *b, const char *s)
{
	sb_printf(b, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(b, "\\x%02x", *p);
		else
			sb_printf(b, "%c", *p);
	}
	sb_printf(b, "\"");
}

/* Comment text: one line, whatever the result held. */
static void sb_comment(struct sbuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		sb_printf(b, "%c", *p < 0x20 || *p == 0x7f ? '?' : *p);
}

static void build_snippet(struct diff_policy *d)
{
	struct sbuf b = {NULL, 0, 0};
	sb_printf(&b, "%s", "");
	if (!d->n_suggestions) {
		d->snippet = b.s;
		return;
	}
	sb_printf(&b, "# SUGGESTED allow rules, generated by segscan diff: REVIEW BEFORE USE.\n"
	              "# Each covers observed cross-zone flows that no allow rule covers and no\n"
	              "# forbid rule forbids. Keep only the traffic the plant really needs, then\n"
	              "# add the items to the policy's allow list.\n"
	              "allow:\n");
	for (size_t i = 0; i < d->n_suggestions; i++) {
		const struct diff_suggestion *s = &d->suggestions[i];
		char svc[32], t1[SS_ISO_STRLEN] = "-", t2[SS_ISO_STRLEN] = "-";
		if (s->first_seen != SS_TIME_NONE)
			ss_time_iso(s->first_seen, t1);
		if (s->last_seen != SS_TIME_NONE)
			ss_time_iso(s->last_seen, t2);
		sb_printf(&b, "  # %s -> %s %s", s->src_zone, s->dst_zone,
		          service_text(s->proto, s->dport, svc));
		if (s->app) {
			sb_printf(&b, " (");
			sb_comment(&b, s->app);
			sb_printf(&b, ")");
		}
		sb_printf(&b, ": %llu packets, %s .. %s\n", (unsigned long long)s->packets, t1, t2);
		for (size_t k = 0; k < s->seen.n; k++) {
			sb_printf(&b, "  #   ");
			sb_comment(&b, s->seen.v[k]);
			sb_printf(&b, "\n");
		}
		sb_printf(&b, "  - name: ");
		sb_yaml_str(&b, s->name);
		const struct res_strv *sides[2] = {&s->from, &s->to};
		for (int side = 0; side < 2; side++) {
			sb_printf(&b, "\n    %s: [", side ? "to" : "from");
			for (size_t k = 0; k < sides[side]->n; k++) {
				if (k)
					sb_printf(&b, ", ");
				sb_yaml_str(&b, sides[side]->v[k]);
			}
			sb_printf(&b, "]");
		}
		if (s->proto == 6 || s->proto == 17 || s->proto == 1 || s->proto == 58)
			sb_printf(&b, "\n    services: [\"%s\"]\n",
			          service_text(s->proto, s->dport, svc));
		else
			sb_printf(&b,
			          "\n    # protocol %u: a policy service cannot name it, so any\n",
			          (unsigned)s->proto);
	}
	d->snippet = b.s;
}

/* ---- policy against a result ---- */

struct diff_policy *diff_policy_new(const struct policy *p, const struct result *r)
{
	struct diff_policy *d = xcalloc(1, sizeof(*d));
	d->pol = p;
	d->res = r;
	d->n_flows = r->n_flows;
	d->found = res_new("policy");

	/* Allow rules, to credit the ones that decide a flow. */
	size_t nr = pol_rule_count(p), n_allow = 0;
	struct pol_rule_info *allow = xcalloc(nr + 1, sizeof(*allow));
	for (size_t i = 0; i < nr; i++) {
		struct pol_rule_info ri;
		if (pol_rule_at(p, i, &ri) == 0 && ri.kind == POL_RULE_ALLOW)
			allow[n_allow++] = ri;
	}
	char *used = xcalloc(n_allow + 1, 1);

	struct ip_hosts x;
	iph_build(&x, r);
	struct pol_vset *set = pol_vset_new();
	struct ss_htab *groups = ss_htab_new(2 * sizeof(void *) + 3);
	d->violating = xcalloc(r->n_flows + 1, sizeof(*d->violating));
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct res_flow *f = &r->flows[i];
		struct pol_flow pf;
		struct pol_decision dec;
		flow_of(&x, r, f, &pf);
		judge_saved(p, &pf, f, &dec);
		struct pol_violation v[2];
		size_t nv = pol_flow_violations(&pf, &dec, v);
		for (size_t k = 0; k < nv; k++)
			pol_vset_add_n(set, &v[k], f->packets ? f->packets : 1,
			               f->first_seen != SS_TIME_NONE ? f->first_seen : pf.ts,
			               f->last_seen != SS_TIME_NONE ? f->last_seen : pf.ts);
		/* A rule that matched only outside its schedule is still in use:
		 * it is not a candidate to remove. */
		for (size_t k = 0; dec.rule && k < n_allow; k++)
			if (allow[k].name == dec.rule)
				used[k] = 1;
		if (dec.verdict != POL_VERDICT_VIOLATION)
			continue;
		d->violating[d->n_violating++] = (struct diff_judged){f, dec};
		if (dec.vtype == POL_V_UNALLOWED_FLOW)
			suggest(d, groups, f, &pf, &dec);
	}
	ss_htab_free(groups);
	for (size_t i = 0; i < r->n_hosts; i++)
		judge_host(p, &r->hosts[i], set);
	res_add_violations(d->found, set);
	pol_vset_free(set);

	d->unused_rules = xcalloc(n_allow + 1, sizeof(*d->unused_rules));
	for (size_t k = 0; k < n_allow; k++)
		if (!used[k])
			d->unused_rules[d->n_unused_rules++] = allow[k];
	free(used);
	free(allow);

	/* Zones with no host address in them. */
	size_t nz = pol_zone_count(p);
	char *populated = xcalloc(nz + 1, 1);
	for (size_t i = 0; i < r->n_hosts; i++)
		for (size_t j = 0; j < r->hosts[i].n_ips; j++) {
			const struct pol_zone *z = pol_zone_find(p, &r->hosts[i].ips[j]);
			for (size_t k = 0; z && k < nz; k++)
				if (pol_zone_at(p, k) == z)
					populated[k] = 1;
		}
	d->empty_zones = xcalloc(nz + 1, sizeof(*d->empty_zones));
	for (size_t k = 0; k < nz; k++)
		if (!populated[k])
			d->empty_zones[d->n_empty_zones++] = pol_zone_at(p, k);
	free(populated);

	/* Registered assets no host is. */
	struct ss_htab *macs = ss_htab_new(6);
	for (size_t i = 0; i < r->n_hosts; i++)
		if (r->hosts[i].has_mac) {
			int created;
			ss_htab_intern(macs, r->hosts[i].mac.b, &created);
		}
	size_t na = pol_asset_count(p);
	d->unseen_assets = xcalloc(na + 1, sizeof(*d->unseen_assets));
	for (size_t k = 0; k < na; k++) {
		const struct pol_asset *a = pol_asset_at(p, k);
		int seen = (a->has_mac && ss_htab_find(macs, a->mac.b) >= 0) ||
		           (a->has_ip && iph_find(&x, r, &a->ip) != NULL);
		if (!seen)
			d->unseen_assets[d->n_unseen_assets++] = a;
	}
	ss_htab_free(macs);
	iph_free(&x);

	for (size_t i = 0; i < d->n_suggestions; i++) {
		widen(&d->suggestions[i].from, d->suggestions[i].src_zone);
		widen(&d->suggestions[i].to, d->suggestions[i].dst_zone);
	}
	build_snippet(d);
	return d;
}

void diff_policy_free(struct diff_policy *d)
{
	if (!d)
		return;
	free(d->violating);
	res_free(d->found);
	free(d->unused_rules);
	free(d->empty_zones);
	free(d->unseen_assets);
	for (size_t i = 0; i < d->n_suggestions; i++) {
		struct diff_suggestion *s = &d->suggestions[i];
		free(s->name);
		free(s->app);
		res_strv_free(&s->from);
		res_strv_free(&s->to);
		res_strv_free(&s->seen);
	}
	free(d->suggestions);
	free(d->snippet);
	free(d);
}

/* ---- two policies ---- */

static int str_differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

struct diff_policy_change *diff_policy_change_new(const struct policy *old_p,
                                                  const struct policy *new_p,
                                                  const struct result *r)
{
	struct diff_policy_change *d = xcalloc(1, sizeof(*d));
	d->old_p = old_p;
	d->new_p = new_p;
	d->res = r;
	d->n_flows = r->n_flows;
	d->changes = xcalloc(r->n_flows + 1, sizeof(*d->changes));
	struct ip_hosts x;
	iph_build(&x, r);
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct res_flow *f = &r->flows[i];
		struct pol_flow pf;
		struct pol_decision a, b;
		struct pol_flow pa, pb;
		flow_of(&x, r, f, &pf);
		pa = pb = pf;
		judge_saved(old_p, &pa, f, &a);
		judge_saved(new_p, &pb, f, &b);
		int changed = a.verdict != b.verdict || str_differ(a.rule, b.rule) ||
		              (a.verdict == POL_VERDICT_VIOLATION && a.vtype != b.vtype);
		if (changed)
			d->changes[d->n_changes++] = (struct diff_verdict_change){f, a, b};
	}
	iph_free(&x);
	return d;
}

void diff_policy_change_free(struct diff_policy_change *d)
{
	if (!d)
		return;
	free(d->changes);
	free(d);
}
