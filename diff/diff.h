/*
 * diff/diff.h - the three diffs of `segscan diff`, and merging results.
 *
 *   drift   (diff/diff.c)         OLD.json against NEW.json: hosts new,
 *                                    gone and changed, flows new and gone,
 *                                    violations new and resolved;
 *   policy  (diff/diff-policy.c)  a policy against what a result saw:
 *                                    violations, allow rules never used, zones
 *                                    without hosts, registered assets never
 *                                    seen, and suggested allow rules;
 *   change  (diff/diff-policy.c)  two policies over one result: the flows
 *                                    whose verdict or deciding rule changes;
 *   merge   (diff/merge.c)        several results into one inventory.
 *
 * Rendering in text, json and html is diff/diff-render.c; choosing,
 * counting and writing one of the three for `segscan diff`,
 * diff/diff-run.c.
 *
 * A diff points into the results and policies it was computed from (it
 * copies nothing it does not need to): keep them alive until the diff is
 * freed. Library code: nothing here prints to stderr or exits.
 */
#ifndef SS_DIFF_H
#define SS_DIFF_H

#include <stdio.h>

#include "model/result.h"
#include "policy/policy.h"

/* ---- drift between two results ---- */

/* One field of a host that differs; from/to are display text ("-" for
 * none), owned by the diff. field is the JSON name: "ips", "vendor",
 * "device_class", "zone", "asset". */
struct diff_field {
	const char *field;
	char *from, *to;
};

struct diff_host_change {
	const struct res_host *old_host, *new_host;
	struct diff_field *fields;
	size_t n_fields;
};

/* Hosts match by MAC; hosts without MAC (seen behind a router) by any
 * shared address. Flows match by (src, dst, proto, dport); violations by
 * (type, src, dst, proto, dport, mac). Lists are in the order of the
 * result they come from (which res_sort makes deterministic). */
struct diff_drift {
	const struct result *old_r, *new_r;
	const struct res_host **hosts_new, **hosts_gone;
	size_t n_hosts_new, n_hosts_gone;
	struct diff_host_change *hosts_changed;
	size_t n_hosts_changed;
	const struct res_flow **flows_new, **flows_gone;
	size_t n_flows_new, n_flows_gone;
	const struct res_violation **viol_new, **viol_resolved;
	size_t n_viol_new, n_viol_resolved;
};

struct diff_drift *diff_drift_new(const struct result *old_r, const struct result *new_r);
void diff_drift_free(struct diff_drift *d);
/* Number of differences of every kind together (0: nothing changed). */
size_t diff_drift_count(const struct diff_drift *d);

/* ---- a policy against a result ---- */

/* A flow of the result judged again with the policy. */
struct diff_judged {
	const struct res_flow *flow;
	struct pol_decision d; /* its strings live as long as the policy */
};

/* One suggested allow rule: the observed cross-zone flows of one (source
 * zone, destination zone, service) that no rule allows and no forbid rule
 * forbids. Selectors are asset names where a registered asset has the
 * address, else the address itself; the zone when more than
 * DIFF_SUGGEST_MAX_ENDPOINTS different ones were seen. */
#define DIFF_SUGGEST_MAX_ENDPOINTS 8
struct diff_suggestion {
	char *name;                      /* "suggested: office -> plant tcp/502" */
	const char *src_zone, *dst_zone; /* strings of the policy */
	uint8_t proto;
	uint16_t dport;
	char *app;                /* identified application of the flows, or NULL */
	struct res_strv from, to; /* selectors, as in a policy */
	struct res_strv seen;     /* "10.10.1.12 -> 192.168.50.20 (plc-01)", one per flow */
	uint64_t packets;
	ss_time first_seen, last_seen;
};

struct diff_policy {
	const struct policy *pol;
	const struct result *res;
	size_t n_flows; /* flows judged */
	/* Flows the policy judges a violation, in the result's order. */
	struct diff_judged *violating;
	size_t n_violating;
	/* Every violation the policy finds in the result (flows and hosts), with
	 * message and fix, as an audit would report them; only violations set. */
	struct result *found;
	/* Allow rules that decided no flow: candidates to remove. */
	struct pol_rule_info *unused_rules;
	size_t n_unused_rules;
	/* Declared zones none of whose networks holds a host address. */
	const struct pol_zone **empty_zones;
	size_t n_empty_zones;
	/* Registered assets no host matches (by MAC, or by IP). */
	const struct pol_asset **unseen_assets;
	size_t n_unseen_assets;
	struct diff_suggestion *suggestions;
	size_t n_suggestions;
	/* The suggestions as YAML: an "allow:" list that can be pasted into a
	 * policy after review. "" when there is nothing to suggest. */
	char *snippet;
};

/* Flows are judged at their first_seen time (last_seen when absent), in
 * local time (TZ), for schedules; when a scheduled rule decides, they are
 * judged again at last_seen and a violation at either time stands (a saved
 * flow keeps no other packet times). Hosts are judged as an audit judges them; a host offering
 * udp/67 counts as a DHCP server. */
struct diff_policy *diff_policy_new(const struct policy *p, const struct result *r);
void diff_policy_free(struct diff_policy *d);

/* ---- two policies over one result ---- */

struct diff_verdict_change {
	const struct res_flow *flow;
	struct pol_decision old_d, new_d;
};

struct diff_policy_change {
	const struct policy *old_p, *new_p;
	const struct result *res;
	size_t n_flows; /* flows judged */
	/* Flows whose verdict, violation type or deciding rule differs. */
	struct diff_verdict_change *changes;
	size_t n_changes;
};

struct diff_policy_change *diff_policy_change_new(const struct policy *old_p,
                                                  const struct policy *new_p,
                                                  const struct result *r);
void diff_policy_change_free(struct diff_policy_change *d);

/* ---- rendering (diff/diff-render.c) ---- */

enum diff_format { DIFF_FMT_TEXT, DIFF_FMT_JSON, DIFF_FMT_HTML };
/* "text", "json", "html"; 0 or -1. */
int diff_format_parse(const char *s, enum diff_format *out);

/* Each writes the whole rendering; 0, or -1 on a write error. */
int diff_drift_write(const struct diff_drift *d, enum diff_format fmt, FILE *out);
int diff_policy_write(const struct diff_policy *d, enum diff_format fmt, FILE *out);
int diff_policy_change_write(const struct diff_policy_change *d, enum diff_format fmt, FILE *out);

/* ---- what `segscan diff` runs (diff/diff-run.c) ---- */

/* One of the three diffs, chosen by the number of policies: none, the
 * drift from r[0] (old) to r[1] (new); one, the policy p[0] against r[0];
 * two, the change from p[0] (old) to p[1] (new) over r[0]. Points into p
 * and r: keep them alive until diff_run_free. */
struct diff_run;
struct diff_run *diff_run_new(const struct policy *const *p, size_t npol,
                              const struct result *const *r);
/* What there is to report, 0 for nothing: differences (drift), violations
 * (a policy against a result) or verdict changes (two policies). */
size_t diff_run_found(const struct diff_run *d);
/* Renders d in fmt to path ("-": stdout) through ss_atomic_write (a
 * temporary file beside it, fsync, rename, directory fsync); 0, or -1 with
 * a one-line reason in err. */
int diff_run_write(struct diff_run *d, enum diff_format fmt, const char *path, char *err,
                   size_t errsz);
void diff_run_free(struct diff_run *d);

/* ---- merging results (diff/merge.c) ---- */

/* Merges n results from sensors on different segments into a new result
 * (mode "merge"): each host once (by MAC; a MAC-less host by address, and
 * folded into the MAC host holding that address when there is one) with
 * addresses, protocols, services and evidence united, the earliest
 * first_seen, the latest last_seen and counters added; flows united by
 * (src, dst, proto, dport) and violations by their key, counts added and
 * times widened; inputs concatenated; started the earliest, ended the
 * latest. The policy is kept when every input used the same one (same
 * sha256); otherwise it is null and a line is added to warnings. */
struct result *merge_results(const struct result *const *in, size_t n, struct res_strv *warnings);

#endif
