/*
 * policy/policy-zones.c - which zone an address belongs to.
 *
 * Every zone network goes into a binary radix trie, one per address family.
 * A lookup walks at most 32 (IPv4) or 128 (IPv6) bits and remembers the last
 * network it passed, so the longest prefix wins and the cost never depends
 * on how many zones or networks the policy has: the capture path calls this
 * twice per packet.
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy-internal.h"

static uint32_t trie_node(struct pol_trie *t)
{
	if (t->len == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->n = xreallocarray(t->n, t->cap, sizeof(*t->n));
	}
	struct pol_trie_node *n = &t->n[t->len];
	n->child[0] = n->child[1] = 0;
	n->zone = -1;
	return (uint32_t)t->len++;
}

int32_t pol_trie_insert(struct pol_trie *t, const ss_prefix *pfx, int32_t zone)
{
	if (t->len == 0)
		trie_node(t);
	uint32_t cur = 0;
	for (unsigned i = 0; i < pfx->len; i++) {
		int bit = ss_ip_bit(&pfx->net, i);
		if (t->n[cur].child[bit] == 0) {
			/* trie_node may move t->n: take the index first. */
			uint32_t nn = trie_node(t);
			t->n[cur].child[bit] = nn;
		}
		cur = t->n[cur].child[bit];
	}
	int32_t old = t->n[cur].zone;
	if (old < 0)
		t->n[cur].zone = zone;
	return old;
}

int32_t pol_trie_lookup(const struct pol_trie *t, const ss_ip *ip, unsigned *depth)
{
	int32_t best = -1;
	unsigned best_depth = 0;
	if (t->len == 0)
		return -1;
	unsigned bits = ss_ip_bits(ip);
	uint32_t cur = 0;
	const struct pol_trie_node *n = t->n;
	for (unsigned i = 0;; i++) {
		if (n[cur].zone >= 0) {
			best = n[cur].zone;
			best_depth = i;
		}
		if (i == bits)
			break;
		/* The bit inline rather than through ss_ip_bit(): this walk runs
		 * for both ends of every new flow and every judged packet, and the
		 * out-of-line call per bit was most of its cost. */
		unsigned bit = (ip->b[i >> 3] >> (7 - (i & 7))) & 1u;
		uint32_t next = n[cur].child[bit];
		if (next == 0)
			break;
		cur = next;
	}
	if (depth)
		*depth = best_depth;
	return best;
}

void pol_trie_free(struct pol_trie *t)
{
	free(t->n);
	memset(t, 0, sizeof(*t));
}

static const struct pol_trie *trie_for(const struct policy *p, const ss_ip *ip)
{
	if (ip->family == 4)
		return &p->trie4;
	if (ip->family == 6)
		return &p->trie6;
	return NULL;
}

const struct pol_zone *pol_zone_find(const struct policy *p, const ss_ip *ip)
{
	if (!p || !ip)
		return NULL;
	const struct pol_trie *t = trie_for(p, ip);
	if (!t)
		return NULL;
	int32_t z = pol_trie_lookup(t, ip, NULL);
	return z >= 0 ? &p->zones[z] : NULL;
}

/* The last address of an IPv4 network of /30 or wider is its directed
 * broadcast: local service traffic like 255.255.255.255. */
static int is_directed_broadcast(const ss_ip *ip, unsigned depth)
{
	if (ip->family != 4 || depth == 0 || depth > 30)
		return 0;
	for (unsigned i = depth; i < 32; i++)
		if (!ss_ip_bit(ip, i))
			return 0;
	return 1;
}

const char *pol_zone_of(const struct policy *p, const ss_ip *ip)
{
	if (!ip || (ip->family != 4 && ip->family != 6) || ss_ip_is_local_service(ip))
		return NULL;
	const struct pol_trie *t = p ? trie_for(p, ip) : NULL;
	if (t) {
		unsigned depth = 0;
		int32_t z = pol_trie_lookup(t, ip, &depth);
		if (z >= 0) {
			if (is_directed_broadcast(ip, depth))
				return NULL;
			return p->zones[z].name;
		}
	}
	/* Anything neither private nor local is treated as the internet, also
	 * the odd reserved ranges: hiding a flow is worse than misnaming it. */
	return ss_ip_is_private(ip) ? POL_ZONE_UNASSIGNED : POL_ZONE_INTERNET;
}

size_t pol_zone_count(const struct policy *p)
{
	return p ? p->n_zones : 0;
}

const struct pol_zone *pol_zone_at(const struct policy *p, size_t i)
{
	return p && i < p->n_zones ? &p->zones[i] : NULL;
}

static int zone_name_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct policy *p = ctx;
	return strcmp(p->zones[idx].name, key) == 0;
}

const struct pol_zone *pol_zone_by_name(const struct policy *p, const char *name)
{
	if (!p || !name || !p->zone_names.slot)
		return NULL;
	long i = pol_index_find(&p->zone_names, pol_hash_name(name), zone_name_eq, p, name);
	return i >= 0 ? &p->zones[i] : NULL;
}

static const char *const kind_names[] = {
    [POL_KIND_OFFICE] = "office", [POL_KIND_PLANT] = "plant",
    [POL_KIND_BACKUP] = "backup", [POL_KIND_DMZ] = "dmz",
    [POL_KIND_SERVER] = "server", [POL_KIND_MANAGEMENT] = "management",
    [POL_KIND_GUEST] = "guest",   [POL_KIND_OTHER] = "other",
};

const char *pol_zone_kind_name(enum pol_zone_kind k)
{
	if ((unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]))
		return kind_names[k];
	return "other";
}
