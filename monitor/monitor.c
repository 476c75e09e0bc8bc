/*
 * monitor/monitor.c - the monitor's known state, the events that compare a
 * fresh export with it, and the state file (see monitor/monitor.h).
 *
 * Known hosts and violation keys live in arrays indexed by ss_htab, like
 * the inventory's tables. They are bounded by max_hosts each: when over,
 * the longest-unseen entries that are not in the current export are
 * forgotten (down to 90%), so a flood cannot grow them without limit.
 *
 * Violation counts survive restarts and evictions: a key's total is the
 * count carried from before (base) plus the count the current inventory
 * reports (cur). The inventory's count only grows, except when a flow is
 * evicted or the policy reloaded; a smaller count then means a fresh start
 * and the old count moves into base.
 */
#include "monitor/monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/htab.h"
#include "monitor/events.h"
#include "policy/policy.h"
#include "reports/render.h"

#define HKEY        18
#define VKEY        45
#define SUMMARY_MAX 100 /* violation_summary events per checkpoint */

struct khost {
	int has_mac;
	ss_mac mac;
	ss_ip *ips;
	size_t n_ips;
	char *vendor, *device_class, *hostname, *zone, *asset, *os;
	int managed;
	ss_time first, last;
	uint64_t packets, bytes;
	int gone;
	uint64_t gen; /* the mon_update that last saw it in an export */
};

struct kviol {
	char *type, *severity, *rule, *message, *fix;
	ss_ip src, dst;
	uint8_t proto;
	uint16_t dport;
	int has_mac;
	ss_mac mac;
	uint64_t base, cur, summarized;
	ss_time first, last;
	uint64_t gen;
};

struct mon_state {
	struct mon_opts o;
	struct ss_htab *hidx;
	struct khost *hosts;
	size_t cap_hosts;
	struct ss_htab *vidx;
	struct kviol *viols;
	size_t cap_viols;
	uint64_t gen;
	size_t burst_hosts, burst_viols;
	uint64_t held_hosts, held_viols;
	ss_time started, last_checkpoint;
};

static void set_str(char **dst, const char *s)
{
	if (*dst && s && !strcmp(*dst, s))
		return;
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static ss_time tmin(ss_time a, ss_time b)
{
	if (a == SS_TIME_NONE)
		return b;
	if (b == SS_TIME_NONE)
		return a;
	return a < b ? a : b;
}

static ss_time tmax(ss_time a, ss_time b)
{
	return a > b ? a : b;
}

static void host_key(int has_mac, const ss_mac *mac, const ss_ip *ip, uint8_t k[HKEY])
{
	memset(k, 0, HKEY);
	if (has_mac) {
		k[0] = 'M';
		memcpy(k + 1, mac->b, 6);
	} else if (ip) {
		k[0] = 'I';
		k[1] = ip->family;
		memcpy(k + 2, ip->b, 16);
	}
}

static void rhost_key(const struct res_host *h, uint8_t k[HKEY])
{
	host_key(h->has_mac, &h->mac, h->n_ips ? &h->ips[0] : NULL, k);
}

static void khost_key(const struct khost *h, uint8_t k[HKEY])
{
	host_key(h->has_mac, &h->mac, h->n_ips ? &h->ips[0] : NULL, k);
}

static void viol_key(const char *type, const ss_ip *src, const ss_ip *dst, uint8_t proto,
                     uint16_t dport, int has_mac, const ss_mac *mac, uint8_t k[VKEY])
{
	memset(k, 0, VKEY);
	enum pol_vtype t;
	k[0] = pol_vtype_parse(type, &t) == 0 ? (uint8_t)t + 1 : 0xff;
	memcpy(k + 1, src, sizeof(*src));
	memcpy(k + 18, dst, sizeof(*dst));
	k[35] = proto;
	k[36] = (uint8_t)(dport >> 8);
	k[37] = (uint8_t)dport;
	if (has_mac) {
		k[38] = 1;
		memcpy(k + 39, mac->b, 6);
	}
}

static void rviol_key(const struct res_violation *v, uint8_t k[VKEY])
{
	viol_key(v->type, &v->src, &v->dst, v->proto, v->dport, v->has_mac, &v->mac, k);
}

static void kviol_key(const struct kviol *v, uint8_t k[VKEY])
{
	viol_key(v->type, &v->src, &v->dst, v->proto, v->dport, v->has_mac, &v->mac, k);
}

struct mon_state *mon_new(const struct mon_opts *o)
{
	struct mon_state *m = xcalloc(1, sizeof(*m));
	m->o = *o;
	m->hidx = ss_htab_new(HKEY);
	m->vidx = ss_htab_new(VKEY);
	m->started = SS_TIME_NONE;
	m->last_checkpoint = SS_TIME_NONE;
	return m;
}

static void khost_clear(struct khost *h)
{
	free(h->ips);
	free(h->vendor);
	free(h->device_class);
	free(h->hostname);
	free(h->zone);
	free(h->asset);
	free(h->os);
}

static void kviol_clear(struct kviol *v)
{
	free(v->type);
	free(v->severity);
	free(v->rule);
	free(v->message);
	free(v->fix);
}

void mon_free(struct mon_state *m)
{
	if (!m)
		return;
	size_t n = ss_htab_count(m->hidx);
	for (size_t i = 0; i < n; i++)
		khost_clear(&m->hosts[i]);
	n = ss_htab_count(m->vidx);
	for (size_t i = 0; i < n; i++)
		kviol_clear(&m->viols[i]);
	free(m->hosts);
	free(m->viols);
	ss_htab_free(m->hidx);
	ss_htab_free(m->vidx);
	free(m);
}

void mon_forget_all(struct mon_state *m)
{
	size_t n = ss_htab_count(m->hidx);
	for (size_t i = 0; i < n; i++)
		khost_clear(&m->hosts[i]);
	n = ss_htab_count(m->vidx);
	for (size_t i = 0; i < n; i++)
		kviol_clear(&m->viols[i]);
	ss_htab_free(m->hidx);
	ss_htab_free(m->vidx);
	m->hidx = ss_htab_new(HKEY);
	m->vidx = ss_htab_new(VKEY);
	m->started = SS_TIME_NONE;
}

size_t mon_known_hosts(const struct mon_state *m)
{
	return ss_htab_count(m->hidx);
}
size_t mon_known_violations(const struct mon_state *m)
{
	return ss_htab_count(m->vidx);
}

static void emit(struct mon_state *m, json_t *ev)
{
	if (m->o.emit)
		m->o.emit(m->o.emit_ctx, ev);
	else
		json_decref(ev);
}

/* Whether one more new_host/violation event fits this interval's budget. */
static int budget(struct mon_state *m, size_t *used, uint64_t *held)
{
	if (m->o.burst && *used >= m->o.burst) {
		(*held)++;
		return 0;
	}
	(*used)++;
	return 1;
}

/* ---- known hosts ---- */

static struct khost *host_intern(struct mon_state *m, const uint8_t key[HKEY], int *created)
{
	size_t i = ss_htab_intern(m->hidx, key, created);
	if (*created) {
		if (i >= m->cap_hosts) {
			m->cap_hosts = m->cap_hosts ? m->cap_hosts * 2 : 64;
			m->hosts = xreallocarray(m->hosts, m->cap_hosts, sizeof(*m->hosts));
		}
		memset(&m->hosts[i], 0, sizeof(m->hosts[i]));
		m->hosts[i].first = m->hosts[i].last = SS_TIME_NONE;
		m->hosts[i].managed = -1;
	}
	return &m->hosts[i];
}

static int khost_has_ip(const struct khost *k, const ss_ip *ip)
{
	for (size_t i = 0; i < k->n_ips; i++)
		if (ss_ip_eq(&k->ips[i], ip))
			return 1;
	return 0;
}

static void khost_add_ip(struct khost *k, const ss_ip *ip)
{
	k->ips = xreallocarray(k->ips, k->n_ips + 1, sizeof(*k->ips));
	k->ips[k->n_ips++] = *ip;
}

/* Copies what a host event and a later state need from an exported host. */
static void khost_learn(struct khost *k, const struct res_host *h)
{
	k->has_mac = h->has_mac;
	k->mac = h->mac;
	for (size_t i = 0; i < h->n_ips; i++)
		if (!khost_has_ip(k, &h->ips[i]))
			khost_add_ip(k, &h->ips[i]);
	if (h->vendor)
		set_str(&k->vendor, h->vendor);
	/* A fresh inventory knows less than the one before a restart: a
	 * class is refined, never taken back to "unknown". */
	if (h->device_class && (strcmp(h->device_class, "unknown") != 0 || !k->device_class))
		set_str(&k->device_class, h->device_class);
	if (h->hostname)
		set_str(&k->hostname, h->hostname);
	if (h->os)
		set_str(&k->os, h->os);
	set_str(&k->zone, h->zone);
	set_str(&k->asset, h->asset);
	k->managed = h->managed;
	k->first = tmin(k->first, h->first_seen);
	k->last = tmax(k->last, h->last_seen);
	if (h->packets > k->packets)
		k->packets = h->packets;
	if (h->bytes > k->bytes)
		k->bytes = h->bytes;
}

static void host_fields(json_t *ev, const struct khost *k)
{
	if (k->has_mac)
		ev_set_mac(ev, "host.mac", &k->mac);
	json_t *ips = json_array();
	for (size_t i = 0; i < k->n_ips; i++) {
		char b[SS_IP_STRLEN];
		ss_ip_format(&k->ips[i], b);
		json_array_append_new(ips, json_string(b));
	}
	ev_set(ev, "host.ip", ips);
	ev_set_str(ev, "host.hostname", k->hostname);
	ev_set_str(ev, "host.os.name", k->os);
	ev_set_str(ev, "host.type", k->device_class);
	ev_set_time(ev, "event.start", k->first);
	ev_set_time(ev, "event.end", k->last);
	ev_set_str(ev, "labels.vendor", k->vendor);
	ev_set_str(ev, "labels.zone", k->zone);
	ev_set_str(ev, "labels.asset", k->asset);
	if (k->managed >= 0)
		ev_set_str(ev, "labels.managed", k->managed ? "true" : "false");
}

/* "00:1b:1b:00:00:02 (10.0.0.5, Siemens AG, plc, zone plant)" for messages. */
static void host_desc(const struct khost *k, char *out, size_t sz)
{
	char id[SS_MAC_STRLEN] = "", ip[SS_IP_STRLEN] = "";
	if (k->has_mac)
		ss_mac_format(&k->mac, id);
	if (k->n_ips)
		ss_ip_format(&k->ips[0], ip);
	int n = snprintf(out, sz, "%s (", k->has_mac ? id : ip);
	if (k->has_mac && k->n_ips && n >= 0 && (size_t)n < sz)
		n += snprintf(out + n, sz - (size_t)n, "%s, ", ip);
	if (n >= 0 && (size_t)n < sz)
		n += snprintf(out + n, sz - (size_t)n, "%s, %s",
		              k->vendor ? k->vendor : "unknown vendor",
		              k->device_class ? k->device_class : "unknown");
	if (k->zone && n >= 0 && (size_t)n < sz)
		n += snprintf(out + n, sz - (size_t)n, ", zone %s", k->zone);
	if (n >= 0 && (size_t)n < sz)
		snprintf(out + n, sz - (size_t)n, ")");
}

static void emit_new_host(struct mon_state *m, const struct khost *k, ss_time now, int returned)
{
	char d[256], msg[320];
	host_desc(k, d, sizeof(d));
	snprintf(msg, sizeof(msg), "%s host %s", returned ? "Returning" : "New", d);
	json_t *ev = ev_new("new_host", "event", "host", "info", EV_NOTICE, now, msg);
	host_fields(ev, k);
	if (returned)
		ev_set(ev, "labels.returned", json_true());
	emit(m, ev);
}

/* Forgets the longest-unseen hosts not in the current export, down to 90%
 * of the bound. */
static int cmp_time_asc(const void *a, const void *b)
{
	const ss_time *x = a, *y = b; /* {time, index} pairs */
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

static size_t forget_plan(const ss_time *last, const uint64_t *gen, uint64_t now_gen, size_t n,
                          size_t bound, char *drop)
{
	if (!bound || n <= bound)
		return 0;
	size_t want = n - (bound / 10 * 9 + (bound % 10) * 9 / 10), nc = 0, k = 0;
	ss_time *c = xcalloc(2 * n + 2, sizeof(ss_time));
	for (size_t i = 0; i < n; i++)
		if (gen[i] != now_gen) {
			c[2 * nc] = last[i];
			c[2 * nc + 1] = (ss_time)i;
			nc++;
		}
	qsort(c, nc, 2 * sizeof(ss_time), cmp_time_asc);
	for (; k < nc && k < want; k++)
		drop[c[2 * k + 1]] = 1;
	free(c);
	return k;
}

/* The two kinds of remembered record, hosts and violations, seen through
 * one interface so the forgetting below is written once. */
struct forget_ops {
	size_t size; /* of one record */
	ss_time (*last)(const void *rec);
	uint64_t (*gen)(const void *rec);
	void (*clear)(void *rec);
	void (*key)(const void *rec, uint8_t *k);
};

static ss_time khost_last(const void *r)
{
	return ((const struct khost *)r)->last;
}
static uint64_t khost_gen(const void *r)
{
	return ((const struct khost *)r)->gen;
}
static void khost_clear_v(void *r)
{
	khost_clear(r);
}
static void khost_key_v(const void *r, uint8_t *k)
{
	khost_key(r, k);
}
static ss_time kviol_last(const void *r)
{
	return ((const struct kviol *)r)->last;
}
static uint64_t kviol_gen(const void *r)
{
	return ((const struct kviol *)r)->gen;
}
static void kviol_clear_v(void *r)
{
	kviol_clear(r);
}
static void kviol_key_v(const void *r, uint8_t *k)
{
	kviol_key(r, k);
}

static const struct forget_ops host_ops = {sizeof(struct khost), khost_last, khost_gen,
                                           khost_clear_v, khost_key_v};
static const struct forget_ops viol_ops = {sizeof(struct kviol), kviol_last, kviol_gen,
                                           kviol_clear_v, kviol_key_v};

/* Keeps at most max records of recs (indexed by idx): the longest idle
 * ones are forgotten, the rest compacted and re-indexed. */
static void forget(void *recs, struct ss_htab *idx, size_t max, const struct forget_ops *ops,
                   uint64_t protect_gen)
{
	size_t n = ss_htab_count(idx);
	if (!max || n <= max)
		return;
	uint8_t *base = recs;
	ss_time *last = xcalloc(n, sizeof(ss_time));
	uint64_t *gen = xcalloc(n, sizeof(uint64_t));
	char *drop = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		last[i] = ops->last(base + i * ops->size);
		gen[i] = ops->gen(base + i * ops->size);
	}
	if (forget_plan(last, gen, protect_gen, n, max, drop)) {
		size_t w = 0;
		for (size_t i = 0; i < n; i++) {
			if (drop[i])
				ops->clear(base + i * ops->size);
			else if (w++ != i)
				memcpy(base + (w - 1) * ops->size, base + i * ops->size, ops->size);
		}
		ss_htab_clear(idx);
		for (size_t i = 0; i < w; i++) {
			uint8_t k[HKEY > VKEY ? HKEY : VKEY];
			int created;
			ops->key(base + i * ops->size, k);
			ss_htab_intern(idx, k, &created);
		}
	}
	free(last);
	free(gen);
	free(drop);
}

/* ---- known violations ---- */

static struct kviol *viol_intern(struct mon_state *m, const uint8_t key[VKEY], int *created)
{
	size_t i = ss_htab_intern(m->vidx, key, created);
	if (*created) {
		if (i >= m->cap_viols) {
			m->cap_viols = m->cap_viols ? m->cap_viols * 2 : 64;
			m->viols = xreallocarray(m->viols, m->cap_viols, sizeof(*m->viols));
		}
		memset(&m->viols[i], 0, sizeof(m->viols[i]));
		m->viols[i].first = m->viols[i].last = SS_TIME_NONE;
	}
	return &m->viols[i];
}

static void kviol_learn(struct kviol *k, const struct res_violation *v)
{
	set_str(&k->type, v->type);
	set_str(&k->severity, v->severity);
	set_str(&k->rule, v->rule);
	set_str(&k->message, v->message);
	set_str(&k->fix, v->fix);
	k->src = v->src;
	k->dst = v->dst;
	k->proto = v->proto;
	k->dport = v->dport;
	k->has_mac = v->has_mac;
	k->mac = v->mac;
	k->first = tmin(k->first, v->first_seen);
	k->last = tmax(k->last, v->last_seen);
}

static int is_flow_type(const char *t)
{
	return t && (!strcmp(t, "forbidden_flow") || !strcmp(t, "unallowed_flow") ||
	             !strcmp(t, "outside_schedule") || !strcmp(t, "eol_exposure"));
}

static void viol_fields(json_t *ev, const struct kviol *k)
{
	int flow = is_flow_type(k->type);
	ev_set_str(ev, "rule.name", k->rule ? k->rule : k->type);
	ev_set_str(ev, "rule.category", k->type);
	ev_set_ip(ev, "source.ip", &k->src);
	if (k->has_mac)
		ev_set_mac(ev, flow ? "source.mac" : "host.mac", &k->mac);
	if (flow) {
		ev_set_ip(ev, "destination.ip", &k->dst);
		if (k->dport && (k->proto == 6 || k->proto == 17 || k->proto == 132))
			ev_set_int(ev, "destination.port", k->dport);
		ev_set_str(ev, "network.transport", ev_transport(k->proto));
		if (k->proto)
			ev_set_int(ev, "network.iana_number", k->proto);
	} else if (k->dst.family) {
		ev_set_ip(ev, "destination.ip", &k->dst);
	}
	ev_set_str(ev, "labels.violation_type", k->type);
	ev_set_str(ev, "labels.violation_severity", k->severity);
	ev_set_str(ev, "labels.fix", k->fix);
}

static void emit_violation(struct mon_state *m, const struct kviol *k, ss_time now)
{
	int flow = is_flow_type(k->type);
	json_t *ev =
	    ev_new("violation", "alert", flow ? "network" : "host", flow ? "connection" : "info",
	           ev_violation_level(k->severity), now, k->message ? k->message : k->type);
	ev_set_int(ev, "event.severity", ev_violation_severity(k->severity));
	viol_fields(ev, k);
	ev_set_int(ev, "labels.count", (int64_t)(k->base + k->cur));
	ev_set_time(ev, "event.start", k->first);
	ev_set_time(ev, "event.end", k->last);
	emit(m, ev);
}

/* ---- update ---- */

void mon_update(struct mon_state *m, struct result *r, ss_time now)
{
	m->gen++;
	if (m->started == SS_TIME_NONE)
		m->started = r->started != SS_TIME_NONE ? r->started : now;
	for (size_t i = 0; i < r->n_hosts; i++) {
		struct res_host *h = &r->hosts[i];
		uint8_t key[HKEY];
		rhost_key(h, key);
		if (!key[0])
			continue; /* neither MAC nor address: nothing to key on */
		int created;
		struct khost *k = host_intern(m, key, &created);
		if (created) {
			khost_learn(k, h);
			k->gen = m->gen;
			if (budget(m, &m->burst_hosts, &m->held_hosts))
				emit_new_host(m, k, now, 0);
			continue;
		}
		k->gen = m->gen;
		h->first_seen = tmin(h->first_seen, k->first);
		if (k->gone) {
			if (h->last_seen != SS_TIME_NONE && h->last_seen > k->last) {
				k->gone = 0;
				khost_learn(k, h);
				if (budget(m, &m->burst_hosts, &m->held_hosts))
					emit_new_host(m, k, now, 1);
			}
			continue;
		}
		/* What changed: addresses added, vendor, class. */
		json_t *added = json_array();
		for (size_t a = 0; a < h->n_ips; a++)
			if (!khost_has_ip(k, &h->ips[a])) {
				char b[SS_IP_STRLEN];
				ss_ip_format(&h->ips[a], b);
				json_array_append_new(added, json_string(b));
			}
		int vendor = h->vendor && k->vendor && strcmp(h->vendor, k->vendor) != 0;
		int cls = h->device_class && strcmp(h->device_class, "unknown") != 0 &&
		          (!k->device_class || strcmp(h->device_class, k->device_class) != 0);
		char *old_vendor = vendor ? xstrdup(k->vendor) : NULL;
		char *old_class = cls && k->device_class ? xstrdup(k->device_class) : NULL;
		int addr = json_array_size(added) > 0;
		khost_learn(k, h);
		if (addr || vendor || cls) {
			char d[256], msg[512], what[64] = "";
			host_desc(k, d, sizeof(d));
			snprintf(what, sizeof(what), "%s%s%s%s%s", addr ? "address" : "",
			         addr && (vendor || cls) ? ", " : "", vendor ? "vendor" : "",
			         vendor && cls ? ", " : "", cls ? "class" : "");
			snprintf(msg, sizeof(msg), "Host %s changed: %s", d, what);
			json_t *ev =
			    ev_new("host_changed", "event", "host", "change", EV_NOTICE, now, msg);
			host_fields(ev, k);
			if (addr)
				ev_append_str(ev, "labels.changes", "address");
			if (vendor)
				ev_append_str(ev, "labels.changes", "vendor");
			if (cls)
				ev_append_str(ev, "labels.changes", "class");
			if (addr)
				ev_set(ev, "labels.added_ips", json_incref(added));
			ev_set_str(ev, "labels.old_vendor", old_vendor);
			ev_set_str(ev, "labels.old_class", old_class);
			emit(m, ev);
		}
		free(old_vendor);
		free(old_class);
		json_decref(added);
	}

	for (size_t i = 0; i < r->n_violations; i++) {
		const struct res_violation *v = &r->violations[i];
		uint8_t key[VKEY];
		rviol_key(v, key);
		int created;
		struct kviol *k = viol_intern(m, key, &created);
		kviol_learn(k, v);
		k->gen = m->gen;
		if (created) {
			k->cur = v->count;
			if (budget(m, &m->burst_viols, &m->held_viols)) {
				k->summarized = k->cur;
				emit_violation(m, k, now);
			}
			continue;
		}
		if (v->count < k->cur) /* evicted or re-judged: a fresh count */
			k->base += k->cur;
		k->cur = v->count;
	}
	forget(m->hosts, m->hidx, m->o.max_hosts, &host_ops, m->gen);
	forget(m->viols, m->vidx, m->o.max_hosts, &viol_ops, m->gen);
	/* The hard cap: even keys of the current export go (longest idle
	 * first) rather than let a flood of violation types grow the table.
	 * Findings, when the monitor keeps them (result `findings`), group
	 * these keys and are bounded by their count: bound them here too. */
	if (m->o.max_violations)
		forget(m->viols, m->vidx, m->o.max_violations, &viol_ops, UINT64_MAX);
}

void mon_complete(struct mon_state *m, struct result *r)
{
	for (size_t i = 0; i < r->n_violations; i++) {
		struct res_violation *v = &r->violations[i];
		uint8_t key[VKEY];
		rviol_key(v, key);
		long ki = ss_htab_find(m->vidx, key);
		if (ki < 0)
			continue;
		const struct kviol *k = &m->viols[ki];
		v->count = k->base + k->cur;
		v->first_seen = tmin(v->first_seen, k->first);
	}
	size_t nv = ss_htab_count(m->vidx);
	for (size_t i = 0; i < nv; i++) {
		const struct kviol *k = &m->viols[i];
		if (k->gen == m->gen && m->gen)
			continue;
		struct res_violation *v = res_add_violation(r);
		v->type = xstrdup(k->type ? k->type : "unknown_device");
		v->severity = xstrdup(k->severity ? k->severity : "low");
		v->src = k->src;
		v->dst = k->dst;
		v->proto = k->proto;
		v->dport = k->dport;
		v->has_mac = k->has_mac;
		v->mac = k->mac;
		v->rule = k->rule ? xstrdup(k->rule) : NULL;
		v->count = k->base + k->cur;
		v->first_seen = k->first;
		v->last_seen = k->last;
		v->message = xstrdup(k->message ? k->message : "");
		v->fix = xstrdup(k->fix ? k->fix : "");
	}
	size_t nh = ss_htab_count(m->hidx);
	for (size_t i = 0; i < nh; i++) {
		const struct khost *k = &m->hosts[i];
		if (k->gen == m->gen && m->gen)
			continue;
		struct res_host *h = res_add_host(r);
		h->has_mac = k->has_mac;
		h->mac = k->mac;
		for (size_t a = 0; a < k->n_ips; a++)
			res_host_add_ip(h, &k->ips[a]);
		h->vendor = k->vendor ? xstrdup(k->vendor) : NULL;
		h->mac_local = k->has_mac && ss_mac_is_locally_admin(&k->mac);
		h->device_class = xstrdup(k->device_class ? k->device_class : "unknown");
		h->hostname = k->hostname ? xstrdup(k->hostname) : NULL;
		h->os = k->os ? xstrdup(k->os) : NULL;
		h->zone = k->zone ? xstrdup(k->zone) : NULL;
		h->asset = k->asset ? xstrdup(k->asset) : NULL;
		h->managed = k->managed;
		h->first_seen = k->first;
		h->last_seen = k->last;
		h->packets = k->packets;
		h->bytes = k->bytes;
	}
	r->started = tmin(r->started, m->started);
	res_sort(r);
}

/* ---- checkpoint ---- */

struct pending {
	size_t i;
	uint64_t delta;
	int rank;
};

static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	if (x->delta != y->delta)
		return x->delta > y->delta ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

void mon_checkpoint(struct mon_state *m, ss_time now)
{
	ss_time since = m->last_checkpoint != SS_TIME_NONE ? m->last_checkpoint : m->started;
	size_t nv = ss_htab_count(m->vidx), np = 0;
	struct pending *p = xcalloc(nv + 1, sizeof(*p));
	for (size_t i = 0; i < nv; i++) {
		struct kviol *k = &m->viols[i];
		uint64_t total = k->base + k->cur;
		if (total > k->summarized) {
			p[np].i = i;
			p[np].delta = total - k->summarized;
			p[np].rank = res_severity_rank(k->severity);
			np++;
		}
	}
	qsort(p, np, sizeof(*p), cmp_pending);
	uint64_t rest_n = 0, rest_keys = 0;
	for (size_t j = 0; j < np; j++) {
		struct kviol *k = &m->viols[p[j].i];
		k->summarized = k->base + k->cur;
		if (j >= SUMMARY_MAX) {
			rest_keys++;
			rest_n += p[j].delta;
			continue;
		}
		char msg[640];
		snprintf(msg, sizeof(msg), "%llu more occurrence(s): %s",
		         (unsigned long long)p[j].delta, k->message ? k->message : k->type);
		int flow = is_flow_type(k->type);
		json_t *ev = ev_new("violation_summary", "metric", flow ? "network" : "host",
		                    "info", ev_violation_level(k->severity), now, msg);
		ev_set_int(ev, "event.severity", ev_violation_severity(k->severity));
		viol_fields(ev, k);
		ev_set_int(ev, "labels.count", (int64_t)p[j].delta);
		ev_set_int(ev, "labels.total", (int64_t)(k->base + k->cur));
		ev_set_time(ev, "event.start", since);
		ev_set_time(ev, "event.end", now);
		emit(m, ev);
	}
	if (rest_keys) {
		char msg[200];
		snprintf(msg, sizeof(msg), "%llu more occurrence(s) of %llu other violation(s)",
		         (unsigned long long)rest_n, (unsigned long long)rest_keys);
		json_t *ev =
		    ev_new("violation_summary", "metric", "network", "info", EV_WARNING, now, msg);
		ev_set_int(ev, "labels.count", (int64_t)rest_n);
		ev_set_int(ev, "labels.keys", (int64_t)rest_keys);
		ev_set_time(ev, "event.start", since);
		ev_set_time(ev, "event.end", now);
		emit(m, ev);
	}
	free(p);

	if (m->o.host_expiry > 0) {
		size_t nh = ss_htab_count(m->hidx);
		for (size_t i = 0; i < nh; i++) {
			struct khost *k = &m->hosts[i];
			if (k->gone || k->last == SS_TIME_NONE || now - k->last < m->o.host_expiry)
				continue;
			k->gone = 1;
			char d[256], msg[320];
			host_desc(k, d, sizeof(d));
			snprintf(msg, sizeof(msg), "Host %s not seen for %lld s", d,
			         (long long)((now - k->last) / 1000000));
			json_t *ev =
			    ev_new("host_gone", "event", "host", "end", EV_NOTICE, now, msg);
			host_fields(ev, k);
			emit(m, ev);
		}
	}

	if (m->held_hosts || m->held_viols) {
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "Event limit reached: %llu new_host and %llu violation event(s) held back "
		         "(more than %zu each since the last checkpoint); they are in the state",
		         (unsigned long long)m->held_hosts, (unsigned long long)m->held_viols,
		         m->o.burst);
		json_t *ev = ev_new("limit_reached", "event", "host", "info", EV_WARNING, now, msg);
		ev_set_str(ev, "labels.limit", "events");
		ev_set_int(ev, "labels.limit_value", (int64_t)m->o.burst);
		ev_set_int(ev, "labels.held_new_host", (int64_t)m->held_hosts);
		ev_set_int(ev, "labels.held_violation", (int64_t)m->held_viols);
		emit(m, ev);
	}
	m->held_hosts = m->held_viols = 0;
	m->burst_hosts = m->burst_viols = 0;
	m->last_checkpoint = now;
}

/* ---- state file ---- */

static json_t *jip(const ss_ip *ip)
{
	if (!ip->family)
		return json_null();
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	return json_string(b);
}

static json_t *monitor_json(const struct mon_state *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "format", json_integer(1));
	char b[SS_ISO_STRLEN];
	if (m->started != SS_TIME_NONE) {
		ss_time_iso(m->started, b);
		json_object_set_new(o, "started", json_string(b));
	}
	json_t *gone = json_array();
	size_t nh = ss_htab_count(m->hidx);
	for (size_t i = 0; i < nh; i++) {
		const struct khost *k = &m->hosts[i];
		if (!k->gone)
			continue;
		if (k->has_mac) {
			char mb[SS_MAC_STRLEN];
			ss_mac_format(&k->mac, mb);
			json_array_append_new(gone, json_string(mb));
		} else if (k->n_ips) {
			json_array_append_new(gone, jip(&k->ips[0]));
		}
	}
	json_object_set_new(o, "gone_hosts", gone);
	/* Occurrences not yet in a violation_summary, so a restart reports
	 * them at its first checkpoint. */
	json_t *pend = json_array();
	size_t nv = ss_htab_count(m->vidx);
	for (size_t i = 0; i < nv; i++) {
		const struct kviol *k = &m->viols[i];
		uint64_t total = k->base + k->cur;
		if (total <= k->summarized)
			continue;
		json_t *v = json_object();
		json_object_set_new(v, "type", json_string(k->type ? k->type : ""));
		json_object_set_new(v, "src", jip(&k->src));
		json_object_set_new(v, "dst", jip(&k->dst));
		json_object_set_new(v, "proto", json_integer(k->proto));
		json_object_set_new(v, "dport", json_integer(k->dport));
		if (k->has_mac) {
			char mb[SS_MAC_STRLEN];
			ss_mac_format(&k->mac, mb);
			json_object_set_new(v, "mac", json_string(mb));
		} else {
			json_object_set_new(v, "mac", json_null());
		}
		json_object_set_new(v, "pending",
		                    json_integer((json_int_t)(total - k->summarized)));
		json_array_append_new(pend, v);
	}
	json_object_set_new(o, "pending_violations", pend);
	return o;
}

struct save_ctx {
	const char *json; /* the result, up to (not including) its closing brace */
	size_t len;
	const char *monitor; /* the monitor object */
};

static int write_state(void *ctx, FILE *out)
{
	const struct save_ctx *c = ctx;
	if (fwrite(c->json, 1, c->len, out) != c->len)
		return -1;
	return fprintf(out, ",\n  \"monitor\": %s\n}\n", c->monitor) < 0 ? -1 : 0;
}

int mon_save(struct mon_state *m, const struct result *r, const char *path, char *err, size_t errsz)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	int wrc = res_write_json(r, mem);
	if (fclose(mem) != 0 || wrc != 0 || !buf) {
		free(buf);
		snprintf(err, errsz, "%s: cannot serialise the state", path);
		return -1;
	}
	/* The result is one JSON object: the monitor's own object goes in
	 * before its closing brace, so `segscan report` reads the file as a
	 * result (unknown members are ignored) and mon_load finds both. */
	char *end = strrchr(buf, '}');
	json_t *mj = monitor_json(m);
	char *mtext = json_dumps(mj, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(mj);
	if (!end || !mtext) {
		free(buf);
		free(mtext);
		snprintf(err, errsz, "%s: cannot serialise the state", path);
		return -1;
	}
	struct save_ctx c = {buf, (size_t)(end - buf), mtext};
	int rc = ss_atomic_write(path, 0600, write_state, &c, err, errsz);
	free(buf);
	free(mtext);
	return rc;
}

static int parse_ip_or_null(json_t *j, ss_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (!j || json_is_null(j))
		return 0;
	return json_is_string(j) ? ss_ip_parse(json_string_value(j), ip) : -1;
}

/* ---- loading a state, piece by piece ----
 *
 * A state is read the way it was written, one element at a time: the file
 * is mapped, the top-level object walked here, and each host, violation or
 * flow parsed alone by jansson (JSON_DISABLE_EOF_CHECK reports how far it
 * read). At most max_hosts hosts and as many violation keys are kept (the
 * rest are dropped and counted: a limit_reached event); flows are parsed and
 * let go (the inventory starts empty); kept elements go through the result
 * loader's checks in batches, and the pages read are given back as it goes.
 * Memory is the known state plus one batch, whatever the file's size. */

#define STATE_MAX_FILE ((size_t)512 << 20)
#define LOAD_BATCH     1024
#define LOAD_RELEASE   ((size_t)16 << 20)

struct sreader {
	const char *buf, *path;
	size_t len, pos, released;
	char *err;
	size_t errsz;
	int failed;
};

static int sr_fail_at(struct sreader *s, size_t at, const char *what)
{
	if (s->failed)
		return -1;
	s->failed = 1;
	int line = 1, col = 1;
	for (size_t i = 0; i < at && i < s->len; i++) {
		if (s->buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)s->buf[i] & 0xc0) != 0x80) {
			col++;
		}
	}
	snprintf(s->err, s->errsz, "%s:%d:%d: %s", s->path, line, col, what);
	return -1;
}

static void sr_ws(struct sreader *s)
{
	while (s->pos < s->len && strchr(" \t\r\n", s->buf[s->pos]) && s->buf[s->pos])
		s->pos++;
	if (s->pos - s->released > LOAD_RELEASE) { /* give the pages read back */
		size_t pg = (size_t)sysconf(_SC_PAGESIZE), to = s->pos / pg * pg;
		madvise((void *)(s->buf + s->released), to - s->released, MADV_DONTNEED);
		s->released = to;
	}
}

/* The byte at pos if it is c (then skipped). */
static int sr_eat(struct sreader *s, char c)
{
	sr_ws(s);
	if (s->pos < s->len && s->buf[s->pos] == c) {
		s->pos++;
		return 1;
	}
	return 0;
}

/* One JSON value at pos; NULL after an error. jansson's message loses the
 * text it quotes: a file is never echoed back. */
static json_t *sr_value(struct sreader *s)
{
	sr_ws(s);
	json_error_t je;
	json_t *v =
	    json_loadb(s->buf + s->pos, s->len - s->pos,
	               JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		char *near = strstr(je.text, " near '");
		if (near)
			*near = 0;
		size_t at = je.position > 0 ? (size_t)je.position : 0;
		sr_fail_at(s, s->pos + (at ? at - 1 : 0), je.text);
		return NULL;
	}
	s->pos += (size_t)je.position;
	return v;
}

struct sload {
	struct mon_state *m;
	json_t *head;          /* tool, scan, stats */
	json_t *hosts, *viols; /* the batch */
	size_t kept_hosts, kept_viols;
	struct mon_load_dropped *dropped;
	int started_set;
};

static void learn_hosts(struct mon_state *m, const struct result *r)
{
	for (size_t i = 0; i < r->n_hosts; i++) {
		uint8_t key[HKEY];
		rhost_key(&r->hosts[i], key);
		if (!key[0])
			continue;
		int created;
		struct khost *k = host_intern(m, key, &created);
		khost_learn(k, &r->hosts[i]);
	}
	for (size_t i = 0; i < r->n_violations; i++) {
		const struct res_violation *v = &r->violations[i];
		uint8_t key[VKEY];
		rviol_key(v, key);
		int created;
		struct kviol *k = viol_intern(m, key, &created);
		kviol_learn(k, v);
		k->base += v->count;
		k->summarized = k->base;
	}
}

/* Checks the batch with the result loader and learns it. */
static int sl_flush(struct sload *L, struct sreader *s)
{
	json_t *root = json_copy(L->head);
	json_object_set_new(root, "hosts", L->hosts);
	json_object_set_new(root, "flows", json_array());
	json_object_set_new(root, "violations", L->viols);
	L->hosts = json_array();
	L->viols = json_array();
	struct result *r = res_load_json_tree(root, s->path, s->err, s->errsz);
	json_decref(root);
	if (!r) {
		s->failed = 1;
		return -1;
	}
	learn_hosts(L->m, r);
	if (!L->started_set) {
		L->m->started = r->started;
		L->started_set = 1;
	}
	res_free(r);
	return 0;
}

/* An array member: each element kept (into *batch, up to limit) or let go. */
static int sl_array(struct sload *L, struct sreader *s, json_t **batch, size_t limit, size_t *kept,
                    size_t *dropped)
{
	if (!sr_eat(s, '['))
		return sr_fail_at(s, s->pos, "an array expected");
	if (sr_eat(s, ']'))
		return 0;
	do {
		json_t *v = sr_value(s);
		if (!v)
			return -1;
		if (batch && (!limit || *kept < limit)) {
			json_array_append_new(*batch, v);
			(*kept)++;
		} else {
			json_decref(v);
			if (dropped)
				(*dropped)++;
		}
		if (batch && json_array_size(*batch) >= LOAD_BATCH &&
		    json_object_get(L->head, "scan") && sl_flush(L, s) != 0)
			return -1;
	} while (sr_eat(s, ','));
	return sr_eat(s, ']') ? 0 : sr_fail_at(s, s->pos, "',' or ']' expected");
}

/* Walks the top-level object; the "monitor" member goes to *mo. */
static int sl_walk(struct sload *L, struct sreader *s, json_t **mo)
{
	size_t limit = L->m->o.max_hosts;
	if (!sr_eat(s, '{'))
		return sr_fail_at(s, s->pos, "a state must be a JSON object");
	if (sr_eat(s, '}'))
		return 0;
	do {
		json_t *k = sr_value(s);
		if (!k)
			return -1;
		if (!json_is_string(k)) {
			json_decref(k);
			return sr_fail_at(s, s->pos, "a member name expected");
		}
		char key[32];
		snprintf(key, sizeof(key), "%s", json_string_value(k));
		json_decref(k);
		if (!sr_eat(s, ':'))
			return sr_fail_at(s, s->pos, "':' expected");
		sr_ws(s);
		int rc = 0;
		if (!strcmp(key, "hosts")) {
			rc = sl_array(L, s, &L->hosts, limit, &L->kept_hosts, &L->dropped->hosts);
		} else if (!strcmp(key, "violations")) {
			rc = sl_array(L, s, &L->viols, limit, &L->kept_viols,
			              &L->dropped->violations);
		} else if (s->pos < s->len && s->buf[s->pos] == '[') {
			rc = sl_array(L, s, NULL, 0, NULL, NULL); /* flows, findings: let go */
		} else {
			json_t *v = sr_value(s);
			if (!v)
				return -1;
			if (!strcmp(key, "monitor") && !*mo)
				*mo = v;
			else if (!strcmp(key, "tool") || !strcmp(key, "scan") ||
			         !strcmp(key, "stats"))
				json_object_set_new(L->head, key, v);
			else
				json_decref(v);
		}
		if (rc != 0)
			return -1;
	} while (sr_eat(s, ','));
	if (!sr_eat(s, '}'))
		return sr_fail_at(s, s->pos, "',' or '}' expected");
	sr_ws(s);
	return s->pos == s->len ? 0 : sr_fail_at(s, s->pos, "end of file expected");
}

/* Maps path (a regular file, never through a link) for reading. */
static const char *map_state(const char *path, size_t *len, char *err, size_t errsz)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: %s", path,
		         fd < 0 ? strerror(errno) : "not a regular file: not read");
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if ((uintmax_t)st.st_size > STATE_MAX_FILE || st.st_size == 0) {
		snprintf(err, errsz, "%s: %s", path,
		         st.st_size ? "larger than 512 MiB: not read" : "empty");
		close(fd);
		return NULL;
	}
	void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	*len = (size_t)st.st_size;
	return p;
}

int mon_load_bounded(struct mon_state *m, const char *path, struct mon_load_dropped *dropped,
                     char *err, size_t errsz)
{
	struct mon_load_dropped dummy;
	if (!dropped)
		dropped = &dummy;
	memset(dropped, 0, sizeof(*dropped));
	struct stat st;
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return 1;
	/* Never followed: a link could point at anything (a secret, a device). */
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "%s: %s: not read", path,
		         S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
		return -1;
	}
	size_t len;
	const char *buf = map_state(path, &len, err, errsz);
	if (!buf)
		return -1;
	struct sreader sr = {.buf = buf, .path = path, .len = len, .err = err, .errsz = errsz};
	struct sload L = {.m = m,
	                  .head = json_object(),
	                  .hosts = json_array(),
	                  .viols = json_array(),
	                  .dropped = dropped};
	json_t *mo = NULL;
	int rc = sl_walk(&L, &sr, &mo);
	if (rc == 0)
		rc = sl_flush(&L, &sr);
	json_decref(L.head);
	json_decref(L.hosts);
	json_decref(L.viols);
	munmap((void *)buf, len);
	if (rc == 0 && mo && !json_is_object(mo)) {
		snprintf(err, errsz, "%s: \"monitor\" is not an object", path);
		rc = -1;
	}
	if (rc != 0) {
		json_decref(mo);
		/* Nothing half-learnt stays. */
		mon_forget_all(m);
		return -1;
	}
	json_t *a;
	size_t i;
	json_t *x;
	if (mo && (a = json_object_get(mo, "gone_hosts")) && json_is_array(a)) {
		json_array_foreach(a, i, x)
		{
			const char *s = json_string_value(x);
			ss_mac mac;
			ss_ip ip;
			uint8_t key[HKEY];
			if (!s)
				continue;
			if (ss_mac_parse(s, &mac) == 0)
				host_key(1, &mac, NULL, key);
			else if (ss_ip_parse(s, &ip) == 0)
				host_key(0, NULL, &ip, key);
			else
				continue;
			long hi = ss_htab_find(m->hidx, key);
			if (hi >= 0)
				m->hosts[hi].gone = 1;
		}
	}
	if (mo && (a = json_object_get(mo, "pending_violations")) && json_is_array(a)) {
		json_array_foreach(a, i, x)
		{
			ss_ip src, dst;
			ss_mac mac = {{0}};
			const char *type = json_string_value(json_object_get(x, "type"));
			json_t *jm = json_object_get(x, "mac");
			int has_mac = jm && json_is_string(jm);
			json_int_t pending = json_integer_value(json_object_get(x, "pending"));
			if (!type || parse_ip_or_null(json_object_get(x, "src"), &src) != 0 ||
			    parse_ip_or_null(json_object_get(x, "dst"), &dst) != 0 ||
			    (has_mac && ss_mac_parse(json_string_value(jm), &mac) != 0) ||
			    pending <= 0)
				continue;
			uint8_t key[VKEY];
			viol_key(type, &src, &dst,
			         (uint8_t)json_integer_value(json_object_get(x, "proto")),
			         (uint16_t)json_integer_value(json_object_get(x, "dport")), has_mac,
			         &mac, key);
			long vi = ss_htab_find(m->vidx, key);
			if (vi >= 0 && m->viols[vi].summarized >= (uint64_t)pending)
				m->viols[vi].summarized -= (uint64_t)pending;
		}
	}
	json_decref(mo);
	return 0;
}

int mon_load(struct mon_state *m, const char *path, char *err, size_t errsz)
{
	return mon_load_bounded(m, path, NULL, err, errsz);
}
