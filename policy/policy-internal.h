/*
 * policy/policy-internal.h - the inside of struct policy, shared by the
 * files in policy/ only. Nothing outside policy/ includes this: other
 * modules see the opaque handle of policy/policy.h.
 *
 * A loaded policy is immutable. Everything it points to is allocated from
 * its arena and freed at once by pol_free(); only the tries and hash
 * indexes, which grow while loading, are freed separately.
 */
#ifndef SS_POLICY_INTERNAL_H
#define SS_POLICY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

/* Limits that keep a hostile policy file from costing more than a small
 * policy does. A real site is far below every one of them. */
#define POL_MAX_FILE     ((size_t)4 << 20) /* bytes */
#define POL_MAX_DEPTH    32                /* nested collections */
#define POL_MAX_NODES    200000            /* YAML nodes in the document */
#define POL_MAX_NETWORKS 4096              /* zone networks, all zones together */
#define POL_MAX_WINDOWS  32                /* schedule windows in one rule */
#define POL_NAME_MAX     64                /* zone, asset and rule names */
#define POL_TEXT_MAX     256               /* site, owner and other free text */
#define POL_SVC_PER_NAME 8                 /* port ranges one service name expands to */

/* ---- hash index: key -> dense index into one of the policy's arrays ---- */

struct pol_index {
	uint32_t *slot; /* index + 1, 0 = empty */
	size_t mask;    /* capacity - 1, capacity a power of two */
};
typedef int (*pol_index_eq)(const void *ctx, uint32_t idx, const void *key);

void pol_index_init(struct pol_index *ix, size_t n);
void pol_index_free(struct pol_index *ix);
void pol_index_put(struct pol_index *ix, uint32_t hash, uint32_t idx);
long pol_index_find(const struct pol_index *ix, uint32_t hash, pol_index_eq eq, const void *ctx,
                    const void *key);
uint32_t pol_hash_name(const char *s);

/* ---- zones: a binary radix trie per address family ---- */

struct pol_trie_node {
	uint32_t child[2]; /* 0 = none (the root is never anyone's child) */
	int32_t zone;      /* zone index of a network ending here, or -1 */
};
struct pol_trie {
	struct pol_trie_node *n;
	size_t len, cap;
};

/* Inserts a prefix; returns the zone already stored for exactly this prefix,
 * or -1 when the prefix is new. */
int32_t pol_trie_insert(struct pol_trie *t, const ss_prefix *pfx, int32_t zone);
/* Longest-prefix match: the zone index or -1; *depth gets the matching
 * prefix length. Cost is bounded by the address length. */
int32_t pol_trie_lookup(const struct pol_trie *t, const ss_ip *ip, unsigned *depth);
void pol_trie_free(struct pol_trie *t);

/* ---- rules ---- */

enum pol_sel_kind { POL_SEL_ANY, POL_SEL_ZONE, POL_SEL_ASSET, POL_SEL_PREFIX };

struct pol_sel_item {
	enum pol_sel_kind kind;
	const char *zone; /* POL_SEL_ZONE: declared or built-in zone name */
	size_t asset;     /* POL_SEL_ASSET: index into policy->assets */
	ss_prefix pfx;    /* POL_SEL_PREFIX */
};
struct pol_sel {
	struct pol_sel_item *it;
	size_t n;
};

/* One service entry of a rule. proto 0 = any protocol; POL_PROTO_ICMP
 * matches ICMP and ICMPv6 regardless of port. */
#define POL_PROTO_ICMP 1
struct pol_svc {
	uint8_t proto;
	uint16_t lo, hi;
	const char *app; /* service name it came from: also matches the identified app */
};

struct pol_window {
	uint8_t days;        /* bit tm_wday (0 = Sunday) of the day the window starts */
	uint16_t start, end; /* minutes of the day; end exclusive; end <= start crosses midnight */
};
struct pol_sched {
	struct pol_window *w;
	size_t n;
};

struct pol_rule {
	const char *name;
	struct pol_sel from, to;
	struct pol_svc *svc; /* n_svc == 0: any service */
	size_t n_svc;
	struct pol_sched sched;     /* sched.n == 0: always */
	enum pol_severity severity; /* forbid rules */
};

struct pol_arena {
	void **blk;
	size_t n, cap;
};

struct policy {
	char *path;
	char sha256[65];
	const char *site;
	struct pol_zone *zones;
	size_t n_zones;
	int default_allow;
	struct pol_rule *allow;
	size_t n_allow;
	struct pol_rule *forbid;
	size_t n_forbid;
	struct pol_asset *assets;
	size_t n_assets;
	struct pol_trie trie4, trie6;
	struct pol_index zone_names, asset_names, asset_ips, asset_macs;
	struct pol_arena arena;
};

void *pol_alloc(struct policy *p, size_t n, size_t size); /* zeroed, freed with p */
char *pol_strndup(struct policy *p, const char *s, size_t n);

/* ---- services ---- */

/* Parses one `services` item ("tcp/80", "udp/5000-5010", "tcp/" "*", "tcp",
 * "icmp", "any" or a service name) into at most max entries. Returns the
 * number written, or -1 with a message in err. */
long pol_svc_parse(struct policy *p, const char *s, struct pol_svc *out, size_t max, char *err,
                   size_t errsz);
int pol_svc_match(const struct pol_svc *svc, size_t n, const struct pol_flow *f);

/* ---- schedules ---- */

/* Parses a schedule string into windows allocated from p. Returns 0, or -1
 * with a message in err. */
int pol_sched_parse(struct policy *p, const char *s, struct pol_sched *out, char *err,
                    size_t errsz);
/* Whether ts (microseconds since the epoch) falls in a window, in local time. */
int pol_sched_covers(const struct pol_sched *s, ss_time ts);

#endif
