/*
 * policy/policy-judge.c - the verdict on a flow and the checks on a host.
 *
 * Flow order (documented in segscan-policy(5)):
 *   1. an end with a local-service address (multicast, broadcast,
 *      link-local, loopback, unspecified): LOCAL, nothing else;
 *   2. forbid rules, first match wins: VIOLATION forbidden_flow. They are
 *      checked even inside one zone, so "forbid: from: eng-ws to: plc-01"
 *      works when both sit in the plant zone;
 *   3. allow rules, first match whose schedule covers the time wins. One
 *      that matches except for its schedule is remembered;
 *   4. only such a remembered rule and no covering one: VIOLATION
 *      outside_schedule, whatever the default and also inside one zone
 *      (the schedule is the user's explicit restriction: the spec's
 *      backup-server -> backup-nas window is usually within one zone);
 *   5. both ends in one zone: INTRA, or ALLOWED naming the rule when the
 *      covering rule is a scheduled one;
 *   6. a covering allow rule: ALLOWED;
 *   7. default allow: ALLOWED with no rule; default deny: VIOLATION
 *      unallowed_flow, high when either end is in a plant or backup zone,
 *      medium otherwise.
 * Independently an eol asset at either end of a cross-zone flow is noted.
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy-internal.h"

static const char *const verdict_names[] = {
    [POL_VERDICT_LOCAL] = "local",
    [POL_VERDICT_INTRA] = "intra_zone",
    [POL_VERDICT_ALLOWED] = "allowed",
    [POL_VERDICT_VIOLATION] = "violation",
};

const char *pol_verdict_name(enum pol_verdict v)
{
	if ((unsigned)v < sizeof(verdict_names) / sizeof(verdict_names[0]))
		return verdict_names[v];
	return "?";
}

static int sel_match(const struct policy *p, const struct pol_sel *s, const ss_ip *ip,
                     const ss_mac *mac, const char *zone)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct pol_sel_item *it = &s->it[i];
		switch (it->kind) {
		case POL_SEL_ANY:
			return 1;
		case POL_SEL_ZONE:
			if (strcmp(it->zone, zone) == 0)
				return 1;
			break;
		case POL_SEL_ASSET: {
			const struct pol_asset *a = &p->assets[it->asset];
			if (a->has_ip) {
				if (ss_ip_eq(&a->ip, ip))
					return 1;
			} else if (mac && ss_mac_cmp(&a->mac, mac) == 0) {
				return 1;
			}
			break;
		}
		case POL_SEL_PREFIX:
			if (ss_prefix_contains(&it->pfx, ip))
				return 1;
			break;
		}
	}
	return 0;
}

static int rule_match(const struct policy *p, const struct pol_rule *r, const struct pol_flow *f,
                      const char *sz, const char *dz)
{
	return sel_match(p, &r->from, &f->src, f->src_mac, sz) &&
	       sel_match(p, &r->to, &f->dst, f->dst_mac, dz) && pol_svc_match(r->svc, r->n_svc, f);
}

/* The registered asset at one end of a flow: by address, else by the MAC
 * the packet carried (which is the device's own, never a router's). */
static const struct pol_asset *endpoint_asset(const struct policy *p, const ss_ip *ip,
                                              const ss_mac *mac)
{
	const struct pol_asset *a = pol_asset_by_ip(p, ip);
	if (!a && mac)
		a = pol_asset_by_mac(p, mac);
	return a;
}

static int zone_is_sensitive(const struct policy *p, const char *zone)
{
	const struct pol_zone *z = pol_zone_by_name(p, zone);
	return z && (z->kind == POL_KIND_PLANT || z->kind == POL_KIND_BACKUP);
}

void pol_judge_flow(const struct policy *p, const struct pol_flow *f, struct pol_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->src_zone = f->zones_known ? f->src_zone : pol_zone_of(p, &f->src);
	d->dst_zone = f->zones_known ? f->dst_zone : pol_zone_of(p, &f->dst);
	if (!d->src_zone || !d->dst_zone) {
		d->verdict = POL_VERDICT_LOCAL;
		return;
	}
	int same = strcmp(d->src_zone, d->dst_zone) == 0;
	if (!p) {
		/* Without a policy there is no segmentation to break. */
		d->verdict = POL_VERDICT_INTRA;
		return;
	}
	if (!same) {
		const struct pol_asset *a = endpoint_asset(p, &f->src, f->src_mac);
		if (!a || !a->eol)
			a = endpoint_asset(p, &f->dst, f->dst_mac);
		if (a && a->eol)
			d->eol_asset = a;
	}
	for (size_t i = 0; i < p->n_forbid; i++) {
		const struct pol_rule *r = &p->forbid[i];
		if (rule_match(p, r, f, d->src_zone, d->dst_zone)) {
			d->verdict = POL_VERDICT_VIOLATION;
			d->vtype = POL_V_FORBIDDEN_FLOW;
			d->severity = r->severity;
			d->rule = r->name;
			return;
		}
	}
	const struct pol_rule *missed = NULL, *hit = NULL;
	for (size_t i = 0; i < p->n_allow && !hit; i++) {
		const struct pol_rule *r = &p->allow[i];
		if (!rule_match(p, r, f, d->src_zone, d->dst_zone))
			continue;
		if (r->sched.n)
			d->time_dependent = 1;
		if (pol_sched_covers(&r->sched, f->ts))
			hit = r;
		else if (!missed)
			missed = r;
	}
	if (missed && !hit) {
		d->verdict = POL_VERDICT_VIOLATION;
		d->vtype = POL_V_OUTSIDE_SCHEDULE;
		d->severity = POL_SEV_HIGH;
		d->rule = missed->name;
		return;
	}
	if (same) {
		/* Inside a zone only a scheduled rule has something to say: the
		 * report names it so the backup window shows as the reason. */
		d->verdict = hit && hit->sched.n ? POL_VERDICT_ALLOWED : POL_VERDICT_INTRA;
		d->rule = d->verdict == POL_VERDICT_ALLOWED ? hit->name : NULL;
		return;
	}
	if (hit) {
		d->verdict = POL_VERDICT_ALLOWED;
		d->rule = hit->name;
		return;
	}
	if (p->default_allow) {
		d->verdict = POL_VERDICT_ALLOWED;
		return;
	}
	d->verdict = POL_VERDICT_VIOLATION;
	d->vtype = POL_V_UNALLOWED_FLOW;
	d->severity = zone_is_sensitive(p, d->src_zone) || zone_is_sensitive(p, d->dst_zone)
	                  ? POL_SEV_HIGH
	                  : POL_SEV_MEDIUM;
}

static void flow_violation(struct pol_violation *v, const struct pol_flow *f,
                           const struct pol_decision *d)
{
	memset(v, 0, sizeof(*v));
	v->src = f->src;
	v->dst = f->dst;
	v->proto = f->proto;
	v->dport = f->dport;
	/* The zones travel in detail: the message needs them and a record
	 * has no policy to look them up in. */
	snprintf(v->detail, sizeof(v->detail), "%s -> %s", d->src_zone, d->dst_zone);
}

size_t pol_flow_violations(const struct pol_flow *f, const struct pol_decision *d,
                           struct pol_violation out[2])
{
	size_t n = 0;
	if (d->verdict == POL_VERDICT_VIOLATION) {
		flow_violation(&out[n], f, d);
		out[n].type = d->vtype;
		out[n].severity = d->severity;
		out[n].rule = d->rule;
		n++;
	}
	if (d->eol_asset) {
		flow_violation(&out[n], f, d);
		out[n].type = POL_V_EOL_EXPOSURE;
		out[n].severity = POL_SEV_HIGH;
		out[n].rule = d->eol_asset->name;
		if (d->eol_asset->has_mac) {
			out[n].has_mac = 1;
			out[n].mac = d->eol_asset->mac;
		}
		n++;
	}
	return n;
}

void pol_judge_flow_into(const struct policy *p, const struct pol_flow *f, struct pol_decision *d,
                         struct pol_vset *set)
{
	pol_judge_flow(p, f, d);
	struct pol_violation v[2];
	size_t n = pol_flow_violations(f, d, v);
	for (size_t i = 0; set && i < n; i++)
		pol_vset_add(set, &v[i], f->ts);
}

/* ---- hosts ---- */

const struct pol_asset *pol_host_asset(const struct policy *p, const struct pol_host *h)
{
	if (!p || !h)
		return NULL;
	const struct pol_asset *a = h->mac ? pol_asset_by_mac(p, h->mac) : NULL;
	for (size_t i = 0; !a && i < h->n_ips; i++)
		a = pol_asset_by_ip(p, &h->ips[i]);
	return a;
}

const char *pol_host_zone(const struct policy *p, const struct pol_host *h)
{
	if (!h)
		return NULL;
	const struct pol_asset *a = pol_host_asset(p, h);
	if (a && a->zone)
		return a->zone;
	for (size_t i = 0; i < h->n_ips; i++) {
		const char *z = pol_zone_of(p, &h->ips[i]);
		if (z)
			return z;
	}
	return NULL;
}

static void host_violation(struct pol_violation *v, enum pol_vtype type, enum pol_severity sev,
                           const struct pol_host *h, const ss_ip *src)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->severity = sev;
	if (src)
		v->src = *src;
	if (h->mac) {
		v->has_mac = 1;
		v->mac = *h->mac;
	}
}

static void add_host(struct pol_vset *set, const struct pol_violation *v, const struct pol_host *h)
{
	ss_time first = h->first_seen, last = h->last_seen;
	if (first == SS_TIME_NONE)
		first = last;
	if (last == SS_TIME_NONE)
		last = first;
	pol_vset_add_n(set, v, 1, first, last);
}

static void check_unknown(const struct policy *p, const struct pol_host *h,
                          const struct pol_asset *a, struct pol_vset *set)
{
	if (a || p->n_assets == 0)
		return;
	if (h->mac && (ss_mac_is_multicast(h->mac) || ss_mac_is_zero(h->mac)))
		return;
	const ss_ip *first = NULL;
	const char *zone = NULL;
	for (size_t i = 0; i < h->n_ips; i++) {
		if (ss_ip_is_local_service(&h->ips[i]))
			continue;
		if (!first)
			first = &h->ips[i];
		const struct pol_zone *z = pol_zone_find(p, &h->ips[i]);
		if (z && !zone)
			zone = z->name;
	}
	/* A host seen only through a router outside every zone is somebody
	 * else's device (the internet, a partner network): not ours to register. */
	if (!h->mac && !zone)
		return;
	struct pol_violation v;
	host_violation(&v, POL_V_UNKNOWN_DEVICE, POL_SEV_MEDIUM, h, first);
	if (zone)
		snprintf(v.detail, sizeof(v.detail), "zone %s", zone);
	add_host(set, &v, h);
}

static int is_router(const struct pol_host *h, const struct pol_asset *a)
{
	return h->is_router || (a && (a->role == POL_ROLE_ROUTER || a->role == POL_ROLE_FIREWALL));
}

static void append(char *buf, size_t sz, const char *fmt, const char *a, const char *b,
                   const char *c)
{
	size_t used = strlen(buf);
	if (used + 1 >= sz)
		return;
	snprintf(buf + used, sz - used, "%s", used ? "; " : "");
	used = strlen(buf);
	snprintf(buf + used, sz - used, fmt, a, b, c);
}

/* Formats the host's MAC and the current address only when a mismatch is
 * about to be written: nearly every address of every host matches, and
 * formatting them all up front was most of judging a host. */
struct mismatch_fmt {
	const struct pol_host *h;
	const ss_ip *ip;
	char hmac[SS_MAC_STRLEN], ipb[SS_IP_STRLEN];
	int have_mac, have_ip;
};

static const char *mf_mac(struct mismatch_fmt *m)
{
	if (!m->have_mac) {
		m->hmac[0] = '\0';
		if (m->h->mac)
			ss_mac_format(m->h->mac, m->hmac);
		m->have_mac = 1;
	}
	return m->hmac;
}

static const char *mf_ip(struct mismatch_fmt *m)
{
	if (!m->have_ip) {
		ss_ip_format(m->ip, m->ipb);
		m->have_ip = 1;
	}
	return m->ipb;
}

static void check_mismatch(const struct policy *p, const struct pol_host *h,
                           const struct pol_asset *a, struct pol_vset *set)
{
	int router = is_router(h, a);
	char amac[SS_MAC_STRLEN], aip[SS_IP_STRLEN];
	struct mismatch_fmt mf = {.h = h};
	int by_mac = a && h->mac && a->has_mac && ss_mac_cmp(&a->mac, h->mac) == 0;
	for (size_t i = 0; i < h->n_ips; i++) {
		const ss_ip *ip = &h->ips[i];
		if (ss_ip_is_local_service(ip))
			continue;
		mf.ip = ip;
		mf.have_ip = 0;
		struct pol_violation v;
		host_violation(&v, POL_V_ASSET_MISMATCH, POL_SEV_MEDIUM, h, ip);
		/* The registered MAC with an address other than its registered one. */
		if (by_mac && !router && a->has_ip && a->ip.family == ip->family &&
		    !ss_ip_eq(&a->ip, ip)) {
			ss_ip_format(&a->ip, aip);
			append(v.detail, sizeof(v.detail), "MAC %s seen with %s, registered %s",
			       mf_mac(&mf), mf_ip(&mf), aip);
			v.rule = a->name;
		}
		/* A registered address on a device with another MAC: a replaced or
		 * spoofing device. Routers proxying ARP would look the same. */
		const struct pol_asset *o = pol_asset_by_ip(p, ip);
		if (o && o->has_mac && h->mac && !router && ss_mac_cmp(&o->mac, h->mac) != 0) {
			ss_mac_format(&o->mac, amac);
			append(v.detail, sizeof(v.detail), "%s seen on MAC %s, registered %s",
			       mf_ip(&mf), mf_mac(&mf), amac);
			if (!v.rule)
				v.rule = o->name;
		}
		/* The address lies in another zone than the asset was registered in. */
		if (a && a->zone && !router) {
			const char *z = pol_zone_of(p, ip);
			if (z && strcmp(z, a->zone) != 0) {
				append(v.detail, sizeof(v.detail),
				       "%s in zone %s, registered zone %s", mf_ip(&mf), z, a->zone);
				if (!v.rule)
					v.rule = a->name;
			}
		}
		if (v.detail[0])
			add_host(set, &v, h);
	}
}

static void check_dual_homed(const struct policy *p, const struct pol_host *h,
                             const struct pol_asset *a, struct pol_vset *set)
{
	if (!h->mac || is_router(h, a))
		return;
	const struct pol_zone *z1 = NULL;
	const ss_ip *ip1 = NULL;
	for (size_t i = 0; i < h->n_ips; i++) {
		if (ss_ip_is_local_service(&h->ips[i]))
			continue;
		const struct pol_zone *z = pol_zone_find(p, &h->ips[i]);
		if (!z)
			continue;
		if (!z1) {
			z1 = z;
			ip1 = &h->ips[i];
		} else if (z != z1) {
			struct pol_violation v;
			host_violation(&v, POL_V_DUAL_HOMED, POL_SEV_HIGH, h, ip1);
			v.dst = h->ips[i];
			v.rule = a ? a->name : NULL;
			snprintf(v.detail, sizeof(v.detail), "%s and %s", z1->name, z->name);
			add_host(set, &v, h);
			return;
		}
	}
}

static void check_dhcp(const struct pol_host *h, const struct pol_asset *a, struct pol_vset *set)
{
	if (!h->dhcp_server || (a && a->dhcp_server))
		return;
	const ss_ip *first = NULL;
	for (size_t i = 0; i < h->n_ips && !first; i++)
		if (!ss_ip_is_local_service(&h->ips[i]))
			first = &h->ips[i];
	struct pol_violation v;
	host_violation(&v, POL_V_ROGUE_DHCP, POL_SEV_HIGH, h, first);
	v.rule = a ? a->name : NULL;
	add_host(set, &v, h);
}

static void check_unassigned(const struct policy *p, const struct pol_host *h, struct pol_vset *set)
{
	for (size_t i = 0; i < h->n_ips; i++) {
		const char *z = pol_zone_of(p, &h->ips[i]);
		if (!z || strcmp(z, POL_ZONE_UNASSIGNED) != 0)
			continue;
		struct pol_violation v;
		host_violation(&v, POL_V_UNASSIGNED_NETWORK, POL_SEV_MEDIUM, h, &h->ips[i]);
		add_host(set, &v, h);
	}
}

void pol_judge_host(const struct policy *p, const struct pol_host *h, struct pol_vset *set)
{
	if (!p || !h || !set)
		return;
	const struct pol_asset *a = pol_host_asset(p, h);
	check_unknown(p, h, a, set);
	if (a || h->mac)
		check_mismatch(p, h, a, set);
	check_dual_homed(p, h, a, set);
	check_dhcp(h, a, set);
	check_unassigned(p, h, set);
}
