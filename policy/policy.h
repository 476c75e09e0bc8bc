/*
 * policy/policy.h - the segmentation policy: loading, zones, and judging.
 *
 * A policy is loaded once from YAML (see man/segscan-policy.5) into an
 * opaque, immutable handle. Zone lookup is a longest-prefix match over all
 * zone networks. Flows and hosts are judged against the policy; violations
 * are collected, deduplicated, in a pol_vset.
 *
 * Library code here never prints or exits: errors come back in a
 * struct pol_error with the file, line and column of the offending node.
 */
#ifndef SS_POLICY_H
#define SS_POLICY_H

#include <stdio.h>

#include "common/addr.h"
#include "common/util.h"

struct policy;

struct pol_error {
	char file[256];
	int line; /* 1-based; 0 when the error has no position */
	int col;  /* 1-based */
	char msg[512];
};

/* Loads and validates a policy. Returns NULL and fills *err on any error. */
struct policy *pol_load_file(const char *path, struct pol_error *err);
/* Same from memory; name is used in error messages and as the path. */
struct policy *pol_load_buffer(const char *name, const char *buf, size_t len,
                               struct pol_error *err);
void pol_free(struct policy *p);

const char *pol_path(const struct policy *p);
const char *pol_sha256(const struct policy *p); /* hex of the file bytes */
const char *pol_site(const struct policy *p);   /* may be NULL */
/* One-screen summary for `segscan policy check`. */
void pol_print_summary(const struct policy *p, FILE *out);

/* ---- zones ---- */

#define POL_ZONE_INTERNET   "internet"
#define POL_ZONE_UNASSIGNED "unassigned"

enum pol_zone_kind {
	POL_KIND_OFFICE,
	POL_KIND_PLANT,
	POL_KIND_BACKUP,
	POL_KIND_DMZ,
	POL_KIND_SERVER,
	POL_KIND_MANAGEMENT,
	POL_KIND_GUEST,
	POL_KIND_OTHER
};

struct pol_zone {
	const char *name;
	enum pol_zone_kind kind;
	const char *owner; /* may be NULL */
	int probe_allowed; /* probe: allow; default passive-only for plant/backup */
	const ss_prefix *networks;
	size_t n_networks;
	const int *vlans;
	size_t n_vlans;
};

size_t pol_zone_count(const struct policy *p);
const struct pol_zone *pol_zone_at(const struct policy *p, size_t i);
const struct pol_zone *pol_zone_by_name(const struct policy *p, const char *name);
const char *pol_zone_kind_name(enum pol_zone_kind k);

/* Zone name of an address: a declared zone (longest prefix wins),
 * POL_ZONE_INTERNET for public addresses in no zone, POL_ZONE_UNASSIGNED
 * for private/ULA addresses in no zone, NULL for local-service addresses
 * (multicast, broadcast, link-local, loopback, unspecified), which never
 * form cross-zone flows. The returned string lives as long as p. p may be
 * NULL (no policy): then only the built-in zones are returned. */
const char *pol_zone_of(const struct policy *p, const ss_ip *ip);
/* The declared zone containing ip, or NULL. */
const struct pol_zone *pol_zone_find(const struct policy *p, const ss_ip *ip);

/* ---- assets ---- */

enum pol_role { POL_ROLE_NONE, POL_ROLE_ROUTER, POL_ROLE_FIREWALL, POL_ROLE_OTHER };

struct pol_asset {
	const char *name;
	int has_mac;
	ss_mac mac;
	int has_ip;
	ss_ip ip;
	const char *zone;  /* declared zone name or NULL */
	const char *owner; /* may be NULL */
	enum pol_role role;
	const char *role_name; /* as written, may be NULL */
	int eol;
	int dhcp_server;
};

size_t pol_asset_count(const struct policy *p);
const struct pol_asset *pol_asset_at(const struct policy *p, size_t i);
const struct pol_asset *pol_asset_by_name(const struct policy *p, const char *name);
const struct pol_asset *pol_asset_by_mac(const struct policy *p, const ss_mac *m);
const struct pol_asset *pol_asset_by_ip(const struct policy *p, const ss_ip *ip);

/* ---- violations ---- */

enum pol_vtype {
	POL_V_FORBIDDEN_FLOW,
	POL_V_UNALLOWED_FLOW,
	POL_V_OUTSIDE_SCHEDULE,
	POL_V_EOL_EXPOSURE,
	POL_V_UNKNOWN_DEVICE,
	POL_V_ASSET_MISMATCH,
	POL_V_DUAL_HOMED,
	POL_V_ROGUE_DHCP,
	POL_V_UNASSIGNED_NETWORK,
	POL_V__COUNT
};

enum pol_severity { POL_SEV_LOW, POL_SEV_MEDIUM, POL_SEV_HIGH, POL_SEV_CRITICAL };

const char *pol_vtype_name(enum pol_vtype t); /* "forbidden_flow" ... */
int pol_vtype_parse(const char *s, enum pol_vtype *t);
const char *pol_severity_name(enum pol_severity s); /* "critical" ... */
int pol_severity_parse(const char *s, enum pol_severity *s_out);

/* One violation as judged. The dedup key is (type, src, dst, proto, dport,
 * mac); absent fields (family 0, has_mac 0, proto 0) take part as absent. */
struct pol_violation {
	enum pol_vtype type;
	enum pol_severity severity;
	ss_ip src;     /* family 0 if none */
	ss_ip dst;     /* family 0 if none */
	uint8_t proto; /* IP protocol number, 0 if none */
	uint16_t dport;
	int has_mac;
	ss_mac mac;
	const char *rule; /* rule or asset name; lives as long as the policy; may be NULL */
	char detail[160]; /* type-specific facts used in the message, e.g. "10.0.0.5 in zone plant,
	                     registered 10.0.0.4" */
	/* eol_exposure of an unregistered host (rule NULL): which end is the
	 * device, 0 src or 1 dst; unused otherwise. Not part of the dedup key. */
	int eol_end;
};

/* In a flow record's detail, "src_zone -> dst_zone" may be followed by
 * POL_DETAIL_SEP and free text (the end-of-life hint of an unregistered
 * host). */
#define POL_DETAIL_SEP '|'

/* A deduplicated record in a violation set. */
struct pol_vrec {
	struct pol_violation v;
	uint64_t count;
	ss_time first_seen;
	ss_time last_seen;
};

struct pol_vset;
struct pol_vset *pol_vset_new(void);
void pol_vset_free(struct pol_vset *s);
/* Adds one occurrence at time ts (merged with an equal key). */
void pol_vset_add(struct pol_vset *s, const struct pol_violation *v, ss_time ts);
/* Adds n occurrences spanning [first, last] (used when merging results). */
void pol_vset_add_n(struct pol_vset *s, const struct pol_violation *v, uint64_t n, ss_time first,
                    ss_time last);
size_t pol_vset_count(const struct pol_vset *s);
/* Records sorted by severity (critical first), then type, then src/dst. The
 * array is owned by the set and valid until the next add. */
const struct pol_vrec *const *pol_vset_sorted(struct pol_vset *s, size_t *n);

/* Plain-language message and suggested fix for a record (English). */
void pol_violation_text(const struct pol_vrec *r, char *msg, size_t msgsz, char *fix, size_t fixsz);

/* ---- judging flows ---- */

enum pol_verdict {
	POL_VERDICT_LOCAL,    /* local service traffic: not a cross-zone flow */
	POL_VERDICT_INTRA,    /* both ends in one zone */
	POL_VERDICT_ALLOWED,  /* an allow rule (or default: allow) covered it */
	POL_VERDICT_VIOLATION /* forbid rule, default deny, or outside schedule */
};
const char *pol_verdict_name(enum pol_verdict v); /* local|intra_zone|allowed|violation */

/* One observation of a flow. Endpoints may carry the MAC they were seen
 * with (NULL if unknown or a router's); asset selectors match an asset by
 * its ip, or by its mac when the asset has no ip. */
struct pol_flow {
	ss_ip src;
	ss_ip dst;
	const ss_mac *src_mac;
	const ss_mac *dst_mac;
	uint8_t proto; /* 6 tcp, 17 udp, 1/58 icmp, ... */
	uint16_t dport;
	const char *app; /* identified application or NULL, for service names */
	ss_time ts;      /* capture time, checked against schedules */
	/* Optional, for a caller that caches zones per address: when
	 * zones_known, src_zone and dst_zone are what pol_zone_of(p, &src) and
	 * pol_zone_of(p, &dst) return (for this very p), and pol_judge_flow
	 * uses them instead of walking the trie again. */
	int zones_known;
	const char *src_zone, *dst_zone;
};

struct pol_decision {
	enum pol_verdict verdict;
	const char *rule;     /* deciding rule name, NULL for intra/default */
	const char *src_zone; /* NULL for local-service endpoints */
	const char *dst_zone;
	/* Set when verdict is VIOLATION: which type and how severe. */
	enum pol_vtype vtype;
	enum pol_severity severity;
	/* The decision depends on ts (a scheduled rule was involved); a caller
	 * that caches decisions per flow must re-judge each packet. */
	int time_dependent;
	/* An eol asset at either end and the flow leaves that asset's zone. */
	const struct pol_asset *eol_asset;
};

/* Judges one flow observation. Never fails. p may be NULL (no policy):
 * every flow is then LOCAL or INTRA... with zones "internet"/"unassigned". */
void pol_judge_flow(const struct policy *p, const struct pol_flow *f, struct pol_decision *d);

/* The violation records a decision implies for flow f: the flow violation
 * itself (verdict VIOLATION) and eol_exposure (eol_asset set), 0 to 2 of
 * them, written to out. Zones are kept in detail ("office -> plant"). */
size_t pol_flow_violations(const struct pol_flow *f, const struct pol_decision *d,
                           struct pol_violation out[2]);

/* Judges one observation and adds any violation(s) to set: the flow
 * violation itself and eol_exposure. Returns the decision in *d. */
void pol_judge_flow_into(const struct policy *p, const struct pol_flow *f, struct pol_decision *d,
                         struct pol_vset *set);

/* ---- judging hosts ---- */

struct pol_host {
	const ss_mac *mac; /* NULL for hosts keyed by IP (seen behind a router) */
	const ss_ip *ips;  /* addresses bound to this host */
	size_t n_ips;
	int dhcp_server; /* sent a DHCP OFFER or ACK */
	int is_router;   /* detected as a router (many routed sources) */
	int eol_hint;    /* identification suggests end-of-life software */
	ss_time first_seen;
	ss_time last_seen;
};

/* The registered asset this host is, or NULL (matched by MAC first, then
 * by IP). */
const struct pol_asset *pol_host_asset(const struct policy *p, const struct pol_host *h);
/* The host's zone: the asset's zone if registered, else the zone of its
 * first address that has one; NULL if none. */
const char *pol_host_zone(const struct policy *p, const struct pol_host *h);
/* Host checks: unknown_device, asset_mismatch, dual_homed, rogue_dhcp,
 * unassigned_network. Adds to set with ts = h->last_seen range. */
void pol_judge_host(const struct policy *p, const struct pol_host *h, struct pol_vset *set);

/* ---- rules, read back (policy/policy-rules.c) ---- */

enum pol_rule_kind { POL_RULE_FORBID, POL_RULE_ALLOW };

/* One rule as written, for reports that discuss rules themselves (unused
 * allow rules, what a policy change changes). The texts are rebuilt from
 * the loaded rule in policy syntax ("office, 10.0.0.0/8", "tcp/502,
 * modbus", "mon-fri 08:00-18:00"), truncated with "..." when long. */
struct pol_rule_info {
	const char *name; /* the same pointer pol_decision.rule carries */
	enum pol_rule_kind kind;
	size_t index; /* position within its own list (forbid or allow) */
	char from[256];
	char to[256];
	char services[256];         /* "any" when the rule names no service */
	char schedule[128];         /* "" when the rule has no schedule (allow only) */
	enum pol_severity severity; /* forbid rules */
};

/* Number of rules, forbid and allow together. */
size_t pol_rule_count(const struct policy *p);
/* Rule i in judging order: the forbid rules first, then the allow rules.
 * Returns 0, or -1 when i is out of range. */
int pol_rule_at(const struct policy *p, size_t i, struct pol_rule_info *out);
/* Whether the policy's default is allow. */
int pol_default_allow(const struct policy *p);

/* ---- services table (shared with identification) ---- */

/* Resolves a service name ("https", "modbus", "smb", ...) to proto/port
 * ranges. Returns the number of entries written (0 if unknown). */
struct pol_portrange {
	uint8_t proto; /* 6 or 17; 0 = any */
	uint16_t lo, hi;
};
size_t pol_service_lookup(const char *name, struct pol_portrange *out, size_t max);

#endif
