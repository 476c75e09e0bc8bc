/*
 * scanner/inventory-export.c - turns the packet tables into the result:
 * resolves which addresses belong to which device, recognises routers,
 * judges hosts and flows against the policy and collects violations.
 */
#include <stdlib.h>
#include <string.h>

#include "scanner/classify.h"
#include "scanner/ident.h"
#include "scanner/inventory-internal.h"

/* Which host each address ended up in (index into r->hosts, or -1). */
struct owner_map {
	long *host_of_ip;
	long *host_of_mac;
};

static const char *const ev_names[] = {"arp", "ndp",    "dhcp",      "ip",
                                       "l2",  "routed", "arp-probe", "tcp-probe"};

static void add_evidence(struct res_host *h, uint32_t ev)
{
	for (size_t b = 0; b < sizeof(ev_names) / sizeof(ev_names[0]); b++)
		if ((ev & (1u << b)) && !res_strv_has(&h->evidence, ev_names[b]))
			res_strv_add(&h->evidence, ev_names[b]);
}

static void add_protocols(struct res_host *h, uint64_t protos)
{
	for (int i = 0; i < ID__COUNT; i++)
		if ((protos & ID_BIT(i)) && !res_strv_has(&h->protocols, ident_name(i)))
			res_strv_add(&h->protocols, ident_name(i));
}

/* Per-host working state while exporting: merged identification facts. */
struct host_work {
	struct ident_facts facts;
	int has_facts;
	uint8_t ttl_max;
	uint64_t served; /* protocols this host was proven to serve */
};

static void merge_facts(struct host_work *w, const struct ident_facts *f)
{
	if (!f)
		return;
	ident_facts_merge(&w->facts, f);
	w->has_facts = 1;
}

static void merge_ip_stats(struct res_host *h, struct host_work *w, const struct ip_ent *e)
{
	add_protocols(h, e->protos);
	for (size_t k = 0; k < e->n_svc; k++) {
		const struct svc *sv = &e->svc[k];
		enum ident_proto app = (enum ident_proto)sv->app;
		int guess = 0;
		if (app == ID_NONE) {
			app = ident_guess_port(sv->proto, sv->port);
			guess = 1;
		} else {
			w->served |= ID_BIT(app);
		}
		res_host_add_service(h, sv->proto, sv->port, ident_name(app), guess);
	}
	merge_facts(w, e->facts);
	if (e->ttl_max > w->ttl_max)
		w->ttl_max = e->ttl_max;
}

/* The MAC an address weakly belongs to: among the non-router MACs that
 * sourced it, the one closest to the source (highest TTL), then the one
 * that sourced it most often; -1 if none. */
static long weak_owner(const struct inventory *inv, const struct ip_ent *e, const int *router)
{
	long best = -1;
	uint32_t bestn = 0;
	uint8_t bestttl = 0;
	for (size_t k = 0; k < e->n_src; k++) {
		uint32_t m = e->src[k].mac;
		if (router[m] || !inv->macs[m].seen_src)
			continue;
		if (best < 0 || e->src[k].ttl_max > bestttl ||
		    (e->src[k].ttl_max == bestttl && e->src[k].count > bestn)) {
			best = m;
			bestn = e->src[k].count;
			bestttl = e->src[k].ttl_max;
		}
	}
	return best;
}

/* A MAC that sends an address's packets with a lower TTL than another MAC
 * sending the same address is forwarding them: an inline router or
 * firewall, even when it carries only a couple of addresses. */
static void mark_forwarders(const struct inventory *inv, int *router)
{
	size_t ni = ss_htab_count(inv->ip_idx);
	for (size_t i = 0; i < ni; i++) {
		const struct ip_ent *e = &inv->ips[i];
		if (e->n_src < 2)
			continue;
		uint8_t top = 0;
		for (size_t k = 0; k < e->n_src; k++)
			if (e->src[k].ttl_max > top)
				top = e->src[k].ttl_max;
		for (size_t k = 0; k < e->n_src; k++)
			if (e->src[k].ttl_max < top)
				router[e->src[k].mac] = 1;
	}
}

static int sourced_by_router(const struct ip_ent *e, const int *router)
{
	for (size_t k = 0; k < e->n_src; k++)
		if (router[e->src[k].mac])
			return 1;
	return 0;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

/* The work slot of host n-1 (the one just added), growing the array. */
static struct host_work *grow_work(struct host_work **work, size_t n)
{
	*work = xreallocarray(*work, n, sizeof(**work));
	memset(&(*work)[n - 1], 0, sizeof(**work));
	return &(*work)[n - 1];
}

static void build_hosts(struct inventory *inv, const struct vendor_db *vendors, struct result *r,
                        struct owner_map *om, int *router, struct host_work **work)
{
	size_t nm = ss_htab_count(inv->mac_idx), ni = ss_htab_count(inv->ip_idx);
	for (size_t i = 0; i < nm; i++)
		router[i] = inv_mac_is_router(inv, &inv->macs[i]);
	mark_forwarders(inv, router);

	/* MAC hosts: every MAC seen sending. */
	for (size_t i = 0; i < nm; i++) {
		struct mac_ent *m = &inv->macs[i];
		om->host_of_mac[i] = -1;
		if (!m->seen_src && !m->n_bind)
			continue;
		om->host_of_mac[i] = (long)r->n_hosts;
		struct res_host *h = res_add_host(r);
		h->has_mac = 1;
		h->mac = m->mac;
		h->vlan = m->vlan;
		h->mac_local = ss_mac_is_locally_admin(&m->mac);
		const char *v = vendors ? vnd_lookup(vendors, &m->mac) : NULL;
		if (v)
			h->vendor = xstrdup(v);
		else if (h->mac_local)
			h->vendor = xstrdup("(locally administered)");
		h->router = router[i];
		h->device_class = xstrdup(router[i] ? "router" : "unknown");
		h->first_seen = m->first;
		h->last_seen = m->last;
		h->packets = m->packets;
		h->bytes = m->bytes;
		add_evidence(h, m->ev & (EV_L2 | EV_DHCP));
		add_protocols(h, m->protos);
		struct host_work *w = grow_work(work, r->n_hosts);
		merge_facts(w, m->facts);
		for (size_t k = 0; k < m->n_bind; k++) {
			struct ip_ent *e = &inv->ips[m->bind[k].ip];
			res_host_add_ip(h, &e->ip);
			add_evidence(h, m->bind[k].ev);
			om->host_of_ip[m->bind[k].ip] = om->host_of_mac[i];
			merge_ip_stats(h, w, e);
		}
	}
	/* Addresses without a strong binding. */
	for (size_t i = 0; i < ni; i++) {
		struct ip_ent *e = &inv->ips[i];
		if (e->strong_macs)
			continue;
		om->host_of_ip[i] = -1;
		if (!e->seen_src || ss_ip_is_local_service(&e->ip))
			continue;
		long w = weak_owner(inv, e, router);
		if (w >= 0 && om->host_of_mac[w] >= 0) {
			struct res_host *h = &r->hosts[om->host_of_mac[w]];
			res_host_add_ip(h, &e->ip);
			add_evidence(h, EV_IP);
			om->host_of_ip[i] = om->host_of_mac[w];
			merge_ip_stats(h, &(*work)[om->host_of_mac[w]], e);
			continue;
		}
		/* Behind a router, or no link layer at all: a host keyed by IP,
		 * unless it is an Internet endpoint (flows only). */
		if (ss_ip_is_public(&e->ip))
			continue;
		if (e->n_src && !sourced_by_router(e, router))
			continue;
		om->host_of_ip[i] = (long)r->n_hosts;
		struct res_host *h = res_add_host(r);
		res_host_add_ip(h, &e->ip);
		h->device_class = xstrdup("unknown");
		h->first_seen = e->first;
		h->last_seen = e->last;
		h->packets = e->packets;
		h->bytes = e->bytes;
		add_evidence(h, e->n_src ? EV_ROUTED : EV_IP);
		merge_ip_stats(h, grow_work(work, r->n_hosts), e);
	}
}

/* Adds each IDENT_EOL_SEP-separated hint of list to the host, once. */
static void add_eol_hints(struct res_host *h, const char *list)
{
	const size_t seplen = strlen(IDENT_EOL_SEP);
	while (*list) {
		const char *end = strstr(list, IDENT_EOL_SEP);
		size_t n = end ? (size_t)(end - list) : strlen(list);
		if (n) {
			char *one = xstrndup(list, n);
			if (!res_strv_has(&h->eol_hints, one))
				res_strv_add(&h->eol_hints, one);
			free(one);
		}
		list += n + (end ? seplen : 0);
	}
}

/* Turns merged facts into the host's identity: name, model, class, OS. */
static void apply_identity(struct result *r, const struct host_work *work)
{
	for (size_t i = 0; i < r->n_hosts; i++) {
		struct res_host *h = &r->hosts[i];
		const struct host_work *w = &work[i];
		const struct ident_facts *f = w->has_facts ? &w->facts : NULL;
		if (f) {
			if (f->hostname[0])
				set_str(&h->hostname, f->hostname);
			if (f->model[0])
				set_str(&h->model, f->model);
			if (f->firmware[0])
				set_str(&h->firmware, f->firmware);
			if (f->serial[0])
				set_str(&h->serial, f->serial);
			if (f->note[0] && !res_strv_has(&h->notes, f->note))
				res_strv_add(&h->notes, f->note);
			add_eol_hints(h, f->eol);
		}
		uint64_t protos = 0;
		for (size_t k = 0; k < h->protocols.n; k++) {
			enum ident_proto id = ident_by_name(h->protocols.v[k]);
			if (id != ID_NONE)
				protos |= ID_BIT(id);
		}
		struct classify_in ci = {.router = h->router,
		                         .oui_vendor = h->vendor,
		                         .mac_local = h->mac_local,
		                         .hostname = h->hostname,
		                         .protos = protos,
		                         .served = w->served,
		                         .services = h->services,
		                         .n_services = h->n_services,
		                         .facts = f,
		                         .ttl_max = w->ttl_max};
		struct classify_out co;
		classify_host(&ci, &co);
		set_str(&h->device_class, ident_class_name(co.cls));
		set_str(&h->class_evidence, co.cls_why[0] ? co.cls_why : NULL);
		set_str(&h->os, co.os[0] ? co.os : NULL);
		set_str(&h->os_evidence, co.os_why[0] ? co.os_why : NULL);
		add_eol_hints(h, co.eol);
	}
}

/* The flow's strings come from the result's pool (res_intern): a few
 * dozen distinct ones over every flow, instead of five allocations per
 * flow to make and free. rf is a fresh flow: its fields are NULL. */
static void fill_flow_decision(struct result *r, const struct pol_decision *d, struct res_flow *rf)
{
	rf->src_zone = res_intern(r, d->src_zone);
	rf->dst_zone = res_intern(r, d->dst_zone);
	rf->rule = res_intern(r, d->rule);
	const char *v = "local";
	switch (d->verdict) {
	case POL_VERDICT_LOCAL:
		v = "local";
		break;
	case POL_VERDICT_INTRA:
		v = "intra_zone";
		break;
	case POL_VERDICT_ALLOWED:
		v = "allowed";
		break;
	case POL_VERDICT_VIOLATION:
		v = "violation";
		break;
	}
	rf->verdict = res_intern(r, v);
}

/* The host side `side` (0 src, 1 dst) of flow f ended up in, or NULL
 * (Internet endpoints, addresses never seen sending). The flow's cache
 * names the address entry when it is valid (inv_add); else a lookup. */
static const struct res_host *endpoint_host(const struct inventory *inv, const struct result *r,
                                            const struct owner_map *om, const struct flow_ent *f,
                                            int side)
{
	long i;
	if (f->c_gen == inv->gen) {
		i = (long)f->c_ip[side];
	} else {
		const ss_ip *ip = side ? &f->dst : &f->src;
		uint8_t key[17];
		key[0] = ip->family;
		memcpy(key + 1, ip->b, 16);
		i = ss_htab_find(inv->ip_idx, key);
	}
	if (i < 0 || om->host_of_ip[i] < 0)
		return NULL;
	return &r->hosts[om->host_of_ip[i]];
}

/* The MAC an endpoint address resolved to, for asset selectors by MAC. */
static const ss_mac *endpoint_mac(const struct inventory *inv, const struct result *r,
                                  const struct owner_map *om, const struct flow_ent *f, int side)
{
	const struct res_host *h = endpoint_host(inv, r, om, f, side);
	return h && h->has_mac ? &h->mac : NULL;
}

/* eol_exposure for an UNREGISTERED endpoint whose software identification
 * says end-of-life (registered assets declare eol themselves and are
 * judged by the policy engine). */
static void unregistered_eol(const struct inventory *inv, const struct result *r,
                             const struct owner_map *om, const struct flow_ent *f,
                             const struct pol_decision *d, struct pol_vset *set)
{
	if (d->verdict == POL_VERDICT_LOCAL || !d->src_zone || !d->dst_zone ||
	    strcmp(d->src_zone, d->dst_zone) == 0)
		return;
	for (int e = 0; e < 2; e++) {
		const struct res_host *h = endpoint_host(inv, r, om, f, e);
		if (!h || h->asset || !h->eol_hints.n)
			continue;
		if (d->eol_asset && h->has_mac && d->eol_asset->has_mac &&
		    ss_mac_cmp(&h->mac, &d->eol_asset->mac) == 0)
			continue;
		struct pol_violation v;
		memset(&v, 0, sizeof(v));
		v.type = POL_V_EOL_EXPOSURE;
		v.severity = POL_SEV_HIGH;
		v.src = f->src;
		v.dst = f->dst;
		v.proto = f->proto;
		v.dport = f->dport;
		v.eol_end = e;
		if (h->has_mac) {
			v.has_mac = 1;
			v.mac = h->mac;
		}
		snprintf(v.detail, sizeof(v.detail), "%s -> %s%c%s", d->src_zone, d->dst_zone,
		         POL_DETAIL_SEP, h->eol_hints.v[0]);
		pol_vset_add_n(set, &v, f->packets, f->first, f->last);
	}
}

static void build_flows(struct inventory *inv, struct result *r, const struct owner_map *om,
                        struct pol_vset *set)
{
	size_t nf = ss_htab_count(inv->flow_idx);
	res_reserve(r, nf, 0);
	for (size_t i = 0; i < nf; i++) {
		const struct flow_ent *f = &inv->flows[i];
		struct res_flow *rf = res_add_flow(r);
		rf->src = f->src;
		rf->dst = f->dst;
		rf->proto = f->proto;
		rf->dport = f->dport;
		rf->packets = f->packets;
		rf->bytes = f->bytes;
		rf->first_seen = f->first;
		rf->last_seen = f->last;
		const char *app = ident_name((enum ident_proto)f->app);
		rf->app = res_intern(r, app);
		struct pol_flow pf = {.app = app,
		                      .src = f->src,
		                      .dst = f->dst,
		                      .src_mac = endpoint_mac(inv, r, om, f, 0),
		                      .dst_mac = endpoint_mac(inv, r, om, f, 1),
		                      .proto = f->proto,
		                      .dport = f->dport,
		                      .ts = f->first};
		if (f->c_gen == inv->gen) { /* the flow cache knows its ends' entries */
			pf.zones_known = 1;
			pf.src_zone = inv_ip_zone(inv, f->c_ip[0]);
			pf.dst_zone = inv_ip_zone(inv, f->c_ip[1]);
		}
		struct pol_decision d;
		pol_judge_flow(inv->policy, &pf, &d);
		/* A flow judged packet by packet is a violation if any packet
		 * was; its count and times are those of the violating packets. */
		const struct pol_decision *shown = &d;
		uint64_t n = f->packets;
		ss_time first = f->first, last = f->last;
		if (f->judged_time_dep && f->viol_packets) {
			shown = &f->viol_dec;
			n = f->viol_packets;
			first = f->viol_first;
			last = f->viol_last;
		} else if (f->judged_time_dep && d.verdict == POL_VERDICT_VIOLATION) {
			d.verdict = POL_VERDICT_ALLOWED; /* no packet fell outside */
		}
		fill_flow_decision(r, shown, rf);
		if (!inv->policy)
			continue;
		unregistered_eol(inv, r, om, f, &d, set);
		struct pol_violation v[2];
		size_t nv = pol_flow_violations(&pf, shown, v);
		for (size_t k = 0; k < nv; k++) {
			int eol = v[k].type == POL_V_EOL_EXPOSURE;
			pol_vset_add_n(set, &v[k], eol ? f->packets : n, eol ? f->first : first,
			               eol ? f->last : last);
		}
	}
}

static void judge_hosts(struct inventory *inv, struct result *r, const int *router,
                        struct pol_vset *set)
{
	(void)router;
	for (size_t i = 0; i < r->n_hosts; i++) {
		struct res_host *h = &r->hosts[i];
		struct pol_host ph = {.mac = h->has_mac ? &h->mac : NULL,
		                      .ips = h->ips,
		                      .n_ips = h->n_ips,
		                      .is_router = h->router,
		                      .eol_hint = h->eol_hints.n > 0,
		                      .first_seen = h->first_seen,
		                      .last_seen = h->last_seen};
		if (h->has_mac) {
			long mi = ss_htab_find(inv->mac_idx, &h->mac);
			if (mi >= 0)
				ph.dhcp_server = inv->macs[mi].dhcp_server;
		}
		const char *zone = pol_host_zone(inv->policy, &ph);
		set_str(&h->zone, zone);
		if (inv->policy) {
			const struct pol_asset *a = pol_host_asset(inv->policy, &ph);
			h->managed = a != NULL;
			if (a) {
				set_str(&h->asset, a->name);
				if (a->role == POL_ROLE_ROUTER || a->role == POL_ROLE_FIREWALL) {
					h->router = 1;
					set_str(&h->device_class, "router");
				}
			}
			pol_judge_host(inv->policy, &ph, set);
		}
	}
}

void inv_export(struct inventory *inv, const struct vendor_db *vendors, struct result *r)
{
	size_t nm = ss_htab_count(inv->mac_idx), ni = ss_htab_count(inv->ip_idx);
	struct owner_map om = {xcalloc(ni + 1, sizeof(long)), xcalloc(nm + 1, sizeof(long))};
	for (size_t i = 0; i < ni; i++)
		om.host_of_ip[i] = -1;
	int *router = xcalloc(nm + 1, sizeof(int));
	struct pol_vset *set = pol_vset_new();

	struct host_work *work = NULL;
	build_hosts(inv, vendors, r, &om, router, &work);
	apply_identity(r, work);
	judge_hosts(inv, r, router, set);
	build_flows(inv, r, &om, set);
	res_add_violations(r, set);
	res_sort(r);

	pol_vset_free(set);
	free(work);
	free(router);
	free(om.host_of_ip);
	free(om.host_of_mac);
}
