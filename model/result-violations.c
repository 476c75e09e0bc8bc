/*
 * model/result-violations.c - a judged violation set into the result
 * model, with the plain-language message and fix of each record. Used by
 * the audit and by `segscan diff -p`, so both word findings the same way.
 */
#include "model/result.h"
#include "policy/policy.h"

void res_add_violations(struct result *r, struct pol_vset *set)
{
	size_t n;
	const struct pol_vrec *const *recs = pol_vset_sorted(set, &n);
	res_reserve(r, 0, n);
	for (size_t i = 0; i < n; i++) {
		const struct pol_vrec *rec = recs[i];
		struct res_violation *v = res_add_violation(r);
		v->type = xstrdup(pol_vtype_name(rec->v.type));
		v->severity = xstrdup(pol_severity_name(rec->v.severity));
		v->src = rec->v.src;
		v->dst = rec->v.dst;
		v->proto = rec->v.proto;
		v->dport = rec->v.dport;
		v->has_mac = rec->v.has_mac;
		v->mac = rec->v.mac;
		v->rule = rec->v.rule ? xstrdup(rec->v.rule) : NULL;
		v->count = rec->count;
		v->first_seen = rec->first_seen;
		v->last_seen = rec->last_seen;
		char msg[512], fix[512];
		pol_violation_text(rec, msg, sizeof(msg), fix, sizeof(fix));
		v->message = xstrdup(msg);
		v->fix = xstrdup(fix);
	}
}
