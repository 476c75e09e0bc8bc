/*
 * diff/diff.c - drift between two saved results (`segscan diff OLD NEW`):
 * which hosts appeared, disappeared or changed, which flows are new or
 * gone, which violations are new or resolved. Also the match keys the
 * diffs and merge share (diff/diff-internal.h).
 *
 * Every match goes through a hash index, so two results of a large plant
 * (tens of thousands of flows) compare in linear time.
 */
#include <stdlib.h>
#include <string.h>

#include "common/htab.h"
#include "diff/diff-internal.h"
#include "diff/diff.h"

/* ---- keys ---- */

void diff_key_ip(const ss_ip *ip, uint8_t out[DIFF_IP_KEYLEN])
{
	memset(out, 0, DIFF_IP_KEYLEN);
	out[0] = ip->family;
	if (ip->family == 4)
		memcpy(out + 1, ip->b, 4);
	else if (ip->family == 6)
		memcpy(out + 1, ip->b, 16);
}

void diff_key_flow(const struct res_flow *f, uint8_t out[DIFF_FLOW_KEYLEN])
{
	diff_key_ip(&f->src, out);
	diff_key_ip(&f->dst, out + DIFF_IP_KEYLEN);
	uint8_t *p = out + 2 * DIFF_IP_KEYLEN;
	p[0] = f->proto;
	p[1] = (uint8_t)(f->dport >> 8);
	p[2] = (uint8_t)(f->dport & 0xff);
}

void diff_key_violation(const struct res_violation *v, uint8_t out[DIFF_VIOL_KEYLEN])
{
	enum pol_vtype t;
	memset(out, 0, DIFF_VIOL_KEYLEN);
	/* Loaded results hold only known types; anything else shares 0xff. */
	out[0] = v->type && pol_vtype_parse(v->type, &t) == 0 ? (uint8_t)t : 0xff;
	diff_key_ip(&v->src, out + 1);
	diff_key_ip(&v->dst, out + 1 + DIFF_IP_KEYLEN);
	uint8_t *p = out + 1 + 2 * DIFF_IP_KEYLEN;
	p[0] = v->proto;
	p[1] = v->proto ? (uint8_t)(v->dport >> 8) : 0;
	p[2] = v->proto ? (uint8_t)(v->dport & 0xff) : 0;
	p[3] = v->has_mac ? 1 : 0;
	if (v->has_mac)
		memcpy(p + 4, v->mac.b, 6);
}

/* ---- hosts ---- */

/* Indexes hosts: MAC hosts by MAC, MAC-less hosts by each address. */
struct host_index {
	struct ss_htab *mac, *ip;
	size_t *mac_host, *ip_host; /* htab index -> host index */
};

static void hidx_build(struct host_index *x, const struct result *r)
{
	x->mac = ss_htab_new(6);
	x->ip = ss_htab_new(DIFF_IP_KEYLEN);
	x->mac_host = xcalloc(r->n_hosts + 1, sizeof(size_t));
	size_t nip = 1;
	for (size_t i = 0; i < r->n_hosts; i++)
		nip += r->hosts[i].n_ips;
	x->ip_host = xcalloc(nip, sizeof(size_t));
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		int created;
		if (h->has_mac) {
			size_t k = ss_htab_intern(x->mac, h->mac.b, &created);
			if (created)
				x->mac_host[k] = i;
			continue;
		}
		for (size_t j = 0; j < h->n_ips; j++) {
			uint8_t key[DIFF_IP_KEYLEN];
			diff_key_ip(&h->ips[j], key);
			size_t k = ss_htab_intern(x->ip, key, &created);
			if (created)
				x->ip_host[k] = i;
		}
	}
}

static void hidx_free(struct host_index *x)
{
	ss_htab_free(x->mac);
	ss_htab_free(x->ip);
	free(x->mac_host);
	free(x->ip_host);
}

/* The host of the indexed result that is h, or -1. */
static long hidx_find(const struct host_index *x, const struct res_host *h)
{
	if (h->has_mac) {
		long k = ss_htab_find(x->mac, h->mac.b);
		return k < 0 ? -1 : (long)x->mac_host[k];
	}
	for (size_t j = 0; j < h->n_ips; j++) {
		uint8_t key[DIFF_IP_KEYLEN];
		diff_key_ip(&h->ips[j], key);
		long k = ss_htab_find(x->ip, key);
		if (k >= 0)
			return (long)x->ip_host[k];
	}
	return -1;
}

static int cmp_ip(const void *a, const void *b)
{
	return ss_ip_cmp(a, b);
}

/* "10.0.0.1, fd00::1" with the addresses sorted, "-" when none. */
static char *ips_text(const struct res_host *h)
{
	if (!h->n_ips)
		return xstrdup("-");
	ss_ip *s = xcalloc(h->n_ips, sizeof(ss_ip));
	memcpy(s, h->ips, h->n_ips * sizeof(ss_ip));
	qsort(s, h->n_ips, sizeof(ss_ip), cmp_ip);
	char *out = xcalloc(h->n_ips, SS_IP_STRLEN + 2);
	size_t n = 0;
	for (size_t i = 0; i < h->n_ips; i++) {
		if (i && ss_ip_eq(&s[i], &s[i - 1]))
			continue;
		char b[SS_IP_STRLEN];
		ss_ip_format(&s[i], b);
		n += (size_t)sprintf(out + n, "%s%s", n ? ", " : "", b);
	}
	free(s);
	return out;
}

/* A value for comparison: NULL, "" and "unknown" (the writer's word for an
 * unknown class) all mean "not known". */
static const char *known(const char *s)
{
	return s && s[0] && strcmp(s, "unknown") != 0 ? s : NULL;
}

static void add_field(struct diff_host_change *c, const char *field, const char *from,
                      const char *to)
{
	c->fields = xreallocarray(c->fields, c->n_fields + 1, sizeof(*c->fields));
	c->fields[c->n_fields++] =
	    (struct diff_field){field, xstrdup(from ? from : "-"), xstrdup(to ? to : "-")};
}

static void compare_str(struct diff_host_change *c, const char *field, const char *a, const char *b)
{
	a = known(a);
	b = known(b);
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		add_field(c, field, a, b);
}

static void compare_host(const struct res_host *o, const struct res_host *n,
                         struct diff_host_change *c)
{
	memset(c, 0, sizeof(*c));
	c->old_host = o;
	c->new_host = n;
	char *a = ips_text(o), *b = ips_text(n);
	if (strcmp(a, b) != 0)
		add_field(c, "ips", a, b);
	free(a);
	free(b);
	compare_str(c, "vendor", o->vendor, n->vendor);
	compare_str(c, "device_class", o->device_class, n->device_class);
	compare_str(c, "zone", o->zone, n->zone);
	compare_str(c, "asset", o->asset, n->asset);
}

static void diff_hosts(struct diff_drift *d)
{
	const struct result *o = d->old_r, *n = d->new_r;
	struct host_index x;
	hidx_build(&x, n);
	char *matched = xcalloc(n->n_hosts + 1, 1);
	d->hosts_gone = xcalloc(o->n_hosts + 1, sizeof(*d->hosts_gone));
	d->hosts_new = xcalloc(n->n_hosts + 1, sizeof(*d->hosts_new));
	d->hosts_changed = xcalloc(o->n_hosts + 1, sizeof(*d->hosts_changed));
	for (size_t i = 0; i < o->n_hosts; i++) {
		const struct res_host *oh = &o->hosts[i];
		long j = hidx_find(&x, oh);
		/* One new host answers for one old host only. */
		if (j < 0 || matched[j]) {
			d->hosts_gone[d->n_hosts_gone++] = oh;
			continue;
		}
		matched[j] = 1;
		struct diff_host_change c;
		compare_host(oh, &n->hosts[j], &c);
		if (c.n_fields)
			d->hosts_changed[d->n_hosts_changed++] = c;
	}
	for (size_t j = 0; j < n->n_hosts; j++)
		if (!matched[j])
			d->hosts_new[d->n_hosts_new++] = &n->hosts[j];
	free(matched);
	hidx_free(&x);
}

/* ---- flows and violations ---- */

static void diff_flows(struct diff_drift *d)
{
	const struct result *o = d->old_r, *n = d->new_r;
	struct ss_htab *ix = ss_htab_new(DIFF_FLOW_KEYLEN);
	uint8_t key[DIFF_FLOW_KEYLEN];
	for (size_t i = 0; i < o->n_flows; i++) {
		diff_key_flow(&o->flows[i], key);
		int created;
		ss_htab_intern(ix, key, &created);
	}
	char *seen = xcalloc(ss_htab_count(ix) + 1, 1);
	d->flows_new = xcalloc(n->n_flows + 1, sizeof(*d->flows_new));
	d->flows_gone = xcalloc(o->n_flows + 1, sizeof(*d->flows_gone));
	for (size_t i = 0; i < n->n_flows; i++) {
		diff_key_flow(&n->flows[i], key);
		long k = ss_htab_find(ix, key);
		if (k < 0)
			d->flows_new[d->n_flows_new++] = &n->flows[i];
		else
			seen[k] = 1;
	}
	for (size_t i = 0; i < o->n_flows; i++) {
		diff_key_flow(&o->flows[i], key);
		long k = ss_htab_find(ix, key);
		if (k >= 0 && !seen[k]) {
			d->flows_gone[d->n_flows_gone++] = &o->flows[i];
			seen[k] = 1; /* a duplicate key is listed once */
		}
	}
	free(seen);
	ss_htab_free(ix);
}

static void diff_violations(struct diff_drift *d)
{
	const struct result *o = d->old_r, *n = d->new_r;
	struct ss_htab *ix = ss_htab_new(DIFF_VIOL_KEYLEN);
	uint8_t key[DIFF_VIOL_KEYLEN];
	for (size_t i = 0; i < o->n_violations; i++) {
		diff_key_violation(&o->violations[i], key);
		int created;
		ss_htab_intern(ix, key, &created);
	}
	char *seen = xcalloc(ss_htab_count(ix) + 1, 1);
	d->viol_new = xcalloc(n->n_violations + 1, sizeof(*d->viol_new));
	d->viol_resolved = xcalloc(o->n_violations + 1, sizeof(*d->viol_resolved));
	for (size_t i = 0; i < n->n_violations; i++) {
		diff_key_violation(&n->violations[i], key);
		long k = ss_htab_find(ix, key);
		if (k < 0)
			d->viol_new[d->n_viol_new++] = &n->violations[i];
		else
			seen[k] = 1;
	}
	for (size_t i = 0; i < o->n_violations; i++) {
		diff_key_violation(&o->violations[i], key);
		long k = ss_htab_find(ix, key);
		if (k >= 0 && !seen[k]) {
			d->viol_resolved[d->n_viol_resolved++] = &o->violations[i];
			seen[k] = 1;
		}
	}
	free(seen);
	ss_htab_free(ix);
}

struct diff_drift *diff_drift_new(const struct result *old_r, const struct result *new_r)
{
	struct diff_drift *d = xcalloc(1, sizeof(*d));
	d->old_r = old_r;
	d->new_r = new_r;
	diff_hosts(d);
	diff_flows(d);
	diff_violations(d);
	return d;
}

void diff_drift_free(struct diff_drift *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_hosts_changed; i++) {
		struct diff_host_change *c = &d->hosts_changed[i];
		for (size_t k = 0; k < c->n_fields; k++) {
			free(c->fields[k].from);
			free(c->fields[k].to);
		}
		free(c->fields);
	}
	free(d->hosts_changed);
	free(d->hosts_new);
	free(d->hosts_gone);
	free(d->flows_new);
	free(d->flows_gone);
	free(d->viol_new);
	free(d->viol_resolved);
	free(d);
}

size_t diff_drift_count(const struct diff_drift *d)
{
	return d->n_hosts_new + d->n_hosts_gone + d->n_hosts_changed + d->n_flows_new +
	       d->n_flows_gone + d->n_viol_new + d->n_viol_resolved;
}
