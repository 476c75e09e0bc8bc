/*
 * scanner/inventory.h - hosts and flows built from decoded packets.
 *
 * Binding rules (see segscan.8, INVENTORY): an IP belongs to a MAC only on
 * evidence that binds them - ARP sender pairs, NDP link-layer address
 * options, DHCP leases - or, more weakly, when a MAC that is not a router
 * sources IP packets from it. A MAC that carries many unbound source or
 * destination addresses is a router; the private addresses behind it become
 * hosts keyed by IP (mac null) and public ones appear only in flows.
 *
 * Flows are keyed (src, dst, proto, dport) with src the opener; each is
 * judged against the policy (if any) and violations are collected.
 */
#ifndef SS_INVENTORY_H
#define SS_INVENTORY_H

#include "model/result.h"
#include "policy/policy.h"
#include "scanner/decode.h"
#include "scanner/vendor.h"

struct inventory;

/* policy may be NULL (inventory only); it must outlive the inventory. */
struct inventory *inv_new(const struct policy *policy);
void inv_free(struct inventory *inv);

/* Adds one successfully decoded packet. */
void inv_add(struct inventory *inv, const struct pkt *p);

/* Resolves bindings, recognises routers, judges hosts and flows, and fills
 * r->hosts, r->flows and r->violations. vendors may be NULL. Can be called
 * more than once (e.g. for periodic reports); each call rebuilds. */
void inv_export(struct inventory *inv, const struct vendor_db *vendors, struct result *r);

size_t inv_mac_count(const struct inventory *inv);
size_t inv_ip_count(const struct inventory *inv);
size_t inv_flow_count(const struct inventory *inv);

/* ---- for `segscan monitor` (scanner/inventory-monitor.c, inventory-evict.c) ---- */

/* Replaces the policy the inventory judges with (NULL: none). Every flow's
 * cached judgement is redone against the new policy, and per-flow state that
 * pointed into the old one is cleared, so the old policy may be freed as
 * soon as this returns. The new policy must outlive the inventory. */
void inv_set_policy(struct inventory *inv, const struct policy *policy);

struct inv_evict_stats {
	size_t macs, ips, flows; /* entries evicted */
};
/* Bounds the tables: when more than max_hosts MACs, max_hosts addresses or
 * max_flows flows are held, the least recently seen entries of that table
 * are dropped until 80% of the limit remain (so a flood evicts in batches,
 * not on every packet; see inventory-evict.c for why 80). Bindings between kept entries survive;
 * those to evicted ones go with them. A limit of 0 means unbounded. Fills *st (may be NULL) and
 * returns 1 when anything was evicted, else 0. */
int inv_evict(struct inventory *inv, size_t max_hosts, size_t max_flows,
              struct inv_evict_stats *st);

#endif
