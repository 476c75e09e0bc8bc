/*
 * policy/policy-violations.c - violation types, severities, and the
 * deduplicating violation set.
 *
 * A capture repeats the same violation thousands of times (every packet of
 * a forbidden flow); the set keeps one record per (type, src, dst, proto,
 * dport, mac) with a count and the first and last time seen. It is a hash
 * table over the records, so adding costs the same at the millionth packet
 * as at the first.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy-internal.h"

static const char *const vtype_names[POL_V__COUNT] = {
    [POL_V_FORBIDDEN_FLOW] = "forbidden_flow",
    [POL_V_UNALLOWED_FLOW] = "unallowed_flow",
    [POL_V_OUTSIDE_SCHEDULE] = "outside_schedule",
    [POL_V_EOL_EXPOSURE] = "eol_exposure",
    [POL_V_UNKNOWN_DEVICE] = "unknown_device",
    [POL_V_ASSET_MISMATCH] = "asset_mismatch",
    [POL_V_DUAL_HOMED] = "dual_homed",
    [POL_V_ROGUE_DHCP] = "rogue_dhcp",
    [POL_V_UNASSIGNED_NETWORK] = "unassigned_network",
};

static const char *const sev_names[] = {
    [POL_SEV_LOW] = "low",
    [POL_SEV_MEDIUM] = "medium",
    [POL_SEV_HIGH] = "high",
    [POL_SEV_CRITICAL] = "critical",
};

const char *pol_vtype_name(enum pol_vtype t)
{
	return (unsigned)t < POL_V__COUNT ? vtype_names[t] : "unknown";
}

int pol_vtype_parse(const char *s, enum pol_vtype *t)
{
	for (int i = 0; s && i < POL_V__COUNT; i++) {
		if (strcmp(s, vtype_names[i]) == 0) {
			*t = (enum pol_vtype)i;
			return 0;
		}
	}
	return -1;
}

const char *pol_severity_name(enum pol_severity s)
{
	return (unsigned)s <= POL_SEV_CRITICAL ? sev_names[s] : "unknown";
}

int pol_severity_parse(const char *s, enum pol_severity *s_out)
{
	for (int i = POL_SEV_LOW; s && i <= POL_SEV_CRITICAL; i++) {
		if (strcmp(s, sev_names[i]) == 0) {
			*s_out = (enum pol_severity)i;
			return 0;
		}
	}
	return -1;
}

/* ---- the set ---- */

struct pol_vset {
	struct pol_vrec **rec; /* insertion order */
	size_t n, cap;
	uint32_t *slot; /* index + 1 into rec, 0 empty */
	size_t mask;
	const struct pol_vrec **sorted;
	size_t n_sorted; /* valid while equal to n and !dirty */
	int dirty;
};

/* The key packed into bytes: absent fields are all zeros, so they compare
 * and hash as absent. */
struct vkey {
	uint8_t type, proto, src_family, dst_family, has_mac;
	uint8_t src[16], dst[16], mac[6];
	uint16_t dport;
};

static void make_key(struct vkey *k, const struct pol_violation *v)
{
	memset(k, 0, sizeof(*k));
	k->type = (uint8_t)v->type;
	k->proto = v->proto;
	k->dport = v->dport;
	if (v->src.family == 4 || v->src.family == 6) {
		k->src_family = v->src.family;
		memcpy(k->src, v->src.b, v->src.family == 4 ? 4 : 16);
	}
	if (v->dst.family == 4 || v->dst.family == 6) {
		k->dst_family = v->dst.family;
		memcpy(k->dst, v->dst.b, v->dst.family == 4 ? 4 : 16);
	}
	if (v->has_mac) {
		k->has_mac = 1;
		memcpy(k->mac, v->mac.b, 6);
	}
}

static int key_eq(const struct vkey *k, const struct pol_violation *v)
{
	struct vkey o;
	make_key(&o, v);
	return memcmp(k, &o, sizeof(o)) == 0;
}

struct pol_vset *pol_vset_new(void)
{
	struct pol_vset *s = xcalloc(1, sizeof(*s));
	s->mask = 63;
	s->slot = xcalloc(s->mask + 1, sizeof(*s->slot));
	return s;
}

void pol_vset_free(struct pol_vset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->rec[i]);
	free(s->rec);
	free(s->slot);
	free(s->sorted);
	free(s);
}

static uint32_t key_hash(const struct vkey *k)
{
	return ss_hash_bytes(k, sizeof(*k), 0x5e95ca11u);
}

static void grow(struct pol_vset *s)
{
	size_t cap = (s->mask + 1) * 2;
	uint32_t *slot = xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < s->n; i++) {
		struct vkey k;
		make_key(&k, &s->rec[i]->v);
		size_t j = key_hash(&k) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = (uint32_t)i + 1;
	}
	free(s->slot);
	s->slot = slot;
	s->mask = cap - 1;
}

void pol_vset_add_n(struct pol_vset *s, const struct pol_violation *v, uint64_t n, ss_time first,
                    ss_time last)
{
	if (!s || !v || n == 0)
		return;
	struct vkey k;
	make_key(&k, v);
	size_t j = key_hash(&k) & s->mask;
	struct pol_vrec *r = NULL;
	for (; s->slot[j]; j = (j + 1) & s->mask) {
		struct pol_vrec *c = s->rec[s->slot[j] - 1];
		if (key_eq(&k, &c->v)) {
			r = c;
			break;
		}
	}
	if (!r) {
		if ((s->n + 1) * 2 > s->mask + 1) {
			grow(s);
			j = key_hash(&k) & s->mask;
			while (s->slot[j])
				j = (j + 1) & s->mask;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 32;
			s->rec = xreallocarray(s->rec, s->cap, sizeof(*s->rec));
		}
		r = xcalloc(1, sizeof(*r));
		r->v = *v;
		r->first_seen = SS_TIME_NONE;
		r->last_seen = SS_TIME_NONE;
		s->rec[s->n] = r;
		s->slot[j] = (uint32_t)++s->n;
	} else if (v->severity > r->v.severity) {
		/* The same key judged more severely later (a policy reload): keep
		 * the worst. */
		r->v.severity = v->severity;
		r->v.rule = v->rule;
	}
	r->count = r->count + n < r->count ? UINT64_MAX : r->count + n;
	if (first != SS_TIME_NONE && (r->first_seen == SS_TIME_NONE || first < r->first_seen))
		r->first_seen = first;
	if (last != SS_TIME_NONE && (r->last_seen == SS_TIME_NONE || last > r->last_seen))
		r->last_seen = last;
	s->dirty = 1;
}

void pol_vset_add(struct pol_vset *s, const struct pol_violation *v, ss_time ts)
{
	pol_vset_add_n(s, v, 1, ts, ts);
}

size_t pol_vset_count(const struct pol_vset *s)
{
	return s ? s->n : 0;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct pol_vrec *x = *(const struct pol_vrec *const *)a;
	const struct pol_vrec *y = *(const struct pol_vrec *const *)b;
	if (x->v.severity != y->v.severity)
		return x->v.severity > y->v.severity ? -1 : 1;
	if (x->v.type != y->v.type)
		return x->v.type < y->v.type ? -1 : 1;
	int c = ss_ip_cmp(&x->v.src, &y->v.src);
	if (c)
		return c;
	c = ss_ip_cmp(&x->v.dst, &y->v.dst);
	if (c)
		return c;
	if (x->v.proto != y->v.proto)
		return x->v.proto < y->v.proto ? -1 : 1;
	if (x->v.dport != y->v.dport)
		return x->v.dport < y->v.dport ? -1 : 1;
	if (x->v.has_mac != y->v.has_mac)
		return x->v.has_mac < y->v.has_mac ? -1 : 1;
	return memcmp(x->v.mac.b, y->v.mac.b, 6);
}

const struct pol_vrec *const *pol_vset_sorted(struct pol_vset *s, size_t *n)
{
	if (!s) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (s->dirty || s->n_sorted != s->n || !s->sorted) {
		free(s->sorted);
		s->sorted = xcalloc(s->n ? s->n : 1, sizeof(*s->sorted));
		for (size_t i = 0; i < s->n; i++)
			s->sorted[i] = s->rec[i];
		qsort(s->sorted, s->n, sizeof(*s->sorted), cmp_rec);
		s->n_sorted = s->n;
		s->dirty = 0;
	}
	if (n)
		*n = s->n;
	return s->sorted;
}
