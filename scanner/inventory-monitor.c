/*
 * scanner/inventory-monitor.c - what a long-running monitor needs from the
 * inventory beyond an audit: swapping the policy in place (SIGHUP reload).
 *
 * Most judging happens at export time against inv->policy, so a new policy
 * applies to everything at the next export. The exception is a flow whose
 * verdict depends on the time of day (a scheduled rule): flows.c caches
 * that it must be judged packet by packet, and keeps the last violating
 * decision, whose rule and zone names point into the policy that judged
 * it. Both are redone here, so nothing refers to the old policy afterwards.
 */
#include <string.h>

#include "scanner/inventory-internal.h"

void inv_set_policy(struct inventory *inv, const struct policy *policy)
{
	inv->policy = policy;
	/* Cached zones were the old policy's (0 is "never computed"). */
	if (++inv->zone_gen == 0)
		inv->zone_gen = 1;
	size_t nf = ss_htab_count(inv->flow_idx);
	for (size_t i = 0; i < nf; i++) {
		struct flow_ent *f = &inv->flows[i];
		f->judged_time_dep = 0;
		f->viol_packets = 0;
		f->viol_first = f->viol_last = SS_TIME_NONE;
		memset(&f->viol_dec, 0, sizeof(f->viol_dec));
		f->tj_minute = INT64_MIN; /* cached verdicts were the old policy's */
		if (!policy)
			continue;
		struct pol_flow pf = {.src = f->src,
		                      .dst = f->dst,
		                      .src_mac = f->has_src_mac ? &f->src_mac : NULL,
		                      .dst_mac = f->has_dst_mac ? &f->dst_mac : NULL,
		                      .proto = f->proto,
		                      .dport = f->dport,
		                      .ts = f->last};
		struct pol_decision d;
		pol_judge_flow(policy, &pf, &d);
		f->judged_time_dep = d.time_dependent;
		/* The packet-by-packet history was judged by the old rules and
		 * is gone; what is known for certain is that the latest packet,
		 * judged by the new rules at its own time, is or is not a
		 * violation. Count that one; the next packets add to it. */
		if (d.time_dependent && d.verdict == POL_VERDICT_VIOLATION &&
		    f->last != SS_TIME_NONE) {
			f->viol_packets = 1;
			f->viol_first = f->viol_last = f->last;
			f->viol_dec = d;
		}
	}
}
