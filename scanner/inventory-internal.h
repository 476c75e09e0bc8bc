/*
 * scanner/inventory-internal.h - the tables behind struct inventory, shared
 * by inventory.c (hosts and bindings), flows.c and inventory-export.c.
 */
#ifndef SS_INVENTORY_INTERNAL_H
#define SS_INVENTORY_INTERNAL_H

#include "common/htab.h"
#include "scanner/ident.h"
#include "scanner/inventory.h"

/* Evidence bits, named in the result's "evidence". */
#define EV_ARP       0x01u
#define EV_NDP       0x02u
#define EV_DHCP      0x04u
#define EV_IP        0x08u /* sourced IP packets (weak binding) */
#define EV_L2        0x10u /* sent frames */
#define EV_ROUTED    0x20u /* seen only behind a router */
#define EV_ARP_PROBE 0x40u /* answered an ARP probe (scanner/inventory-probe.c) */
#define EV_TCP_PROBE 0x80u /* answered a TCP SYN probe */

/* Distinct unbound addresses a MAC may carry before it counts as a router. */
#define ROUTER_PEERS_V4 4
#define ROUTER_PEERS_V6 6
#define MAX_SRC_MACS    4
#define MAX_PEERS       16

struct binding {
	uint32_t ip; /* index into ips */
	uint32_t ev;
};

struct mac_ent {
	ss_mac mac;
	int vlan;
	int seen_src;
	ss_time first, last;
	uint64_t packets, bytes;
	uint32_t ev;
	int ra_router;
	int dhcp_server;
	struct binding *bind;
	size_t n_bind, cap_bind;
	/* Distinct addresses carried as L2 endpoint, for router detection;
	 * room for the MAC's own bound addresses plus the threshold. */
	ss_ip peer4[MAX_PEERS];
	ss_ip peer6[MAX_PEERS];
	uint8_t n_peer4, n_peer6;
	uint64_t protos;           /* proven application protocols, ident bits */
	struct ident_facts *facts; /* what identifiers said about it; lazily */
	uint8_t l2_idn;            /* L2/broadcast payloads examined */
};

struct svc {
	uint8_t proto;
	uint16_t port;
	int8_t app; /* proven enum ident_proto, or ID_NONE */
};

struct ip_ent {
	ss_ip ip;
	/* What the per-packet path asks of ip, fixed for the entry's life:
	 * bindable_ip(), and whether it is a sender facts and protocols go
	 * to (bindable, not ss_ip_is_local_service(); see facts_slot). */
	uint8_t bindable, sender;
	int seen_src;
	ss_time first, last;
	uint64_t packets, bytes;
	uint32_t strong_macs; /* how many MACs strongly bind it */
	struct {
		uint32_t mac;
		uint32_t count;
		uint8_t ttl_max; /* highest TTL / hop limit seen from this MAC */
	} src[MAX_SRC_MACS];
	uint8_t n_src;
	struct svc *svc;
	size_t n_svc;
	uint64_t protos;
	struct ident_facts *facts;
	uint8_t local_idn; /* broadcast/multicast payloads examined */
	uint8_t ttl_max;   /* highest TTL seen with it as source */
	uint64_t svc_gen;  /* bumped whenever svc changes (ip_add_service, inventory.c) */
	/* Signature of the last SYN/SYN-ACK fingerprinted from it: the same
	 * inputs give the same facts, so repeats are skipped (see
	 * syn_fingerprint in inventory.c). 0 = none yet. */
	uint64_t syn_sig;
	/* pol_zone_of(inv->policy, &ip), valid while zone_gen == inv->zone_gen
	 * (0: never computed): a flow is judged at creation and again at
	 * export, two trie walks per end, and most flows share their ends. */
	const char *zone;
	uint32_t zone_gen;
};

struct flow_ent {
	ss_ip src, dst;
	uint8_t proto;
	uint16_t dport;
	ss_time first, last;
	uint64_t packets, bytes;
	int judged_time_dep;   /* decision depends on packet time */
	uint64_t viol_packets; /* packets judged as violations (time-dependent only) */
	ss_time viol_first, viol_last;
	struct pol_decision viol_dec; /* last violating decision */
	/* Schedules are in whole minutes, so a time-dependent verdict can only
	 * change when the minute does: the minute last judged (INT64_MIN
	 * none) and whether it was a violation. */
	int64_t tj_minute;
	int tj_viol;
	int has_src_mac, has_dst_mac;
	ss_mac src_mac, dst_mac;
	int8_t app;     /* proven application, ID_NONE until then */
	uint8_t idn[2]; /* payload packets examined: [0] to server, [1] from */
	/* Flow-first cache (inv_add): the table entries the flow's packets
	 * touch, so a packet of a known flow costs no MAC or address hash
	 * lookup. Side 0 is the flow's src, side 1 its dst. Valid while
	 * c_gen == inv->gen (inv_evict renumbers the tables and bumps gen;
	 * a fresh flow has c_gen 0, never a generation). c_ip[k] is the
	 * address entry of side k; c_macok[k] says c_mac[k] is the index of
	 * the (usable) MAC c_macv[k] last seen with side k, and that
	 * note_peer() has already recorded side k's address on it (it is
	 * idempotent, so a repeat may be skipped). */
	uint32_t c_gen;
	uint32_t c_ip[2];
	uint32_t c_mac[2];
	ss_mac c_macv[2];
	uint8_t c_macok[2];
	/* The server's reply packets each record its service (inventory.c): once
	 * recorded with app svc_app, a repeat changes nothing while the
	 * server's list is unchanged (its svc_gen then) and the tables have
	 * not been renumbered (inv->epoch then; 0: never recorded). */
	int8_t svc_app;
	uint64_t svc_gen;
	uint64_t svc_epoch;
};

/* Where a packet's flow is (inv_flow_locate), found before the host
 * tables are touched so that a known flow's cache can stand in for their
 * lookups. Locating changes nothing but a memo of lookups (flows.c). */
struct flow_loc {
	int local;             /* one-to-many: to a multicast or broadcast address */
	int forms;             /* 0: the packet forms no flow (fields unset) */
	int reverse;           /* packet travels server -> opener */
	int reply_from_server; /* evidence of a listening service */
	uint16_t dport;        /* the flow's (server) port */
	long fi;               /* index of the flow, -1 while it does not exist */
	/* Both orientations were looked up and neither exists (the ports
	 * chose the direction): lets inv_flow_add memoize both directions of
	 * the flow it creates (see struct flow_memo in flows.c). */
	int both_absent;
};

/* Table indices of a packet's endpoints as inv_add resolved them; lets
 * the helpers below use an index instead of a hash lookup. l2s/l2d: the
 * source/destination MAC is usable (smi/dmi valid); has_ip: si/di valid
 * (an IP packet). */
struct pkt_ix {
	int l2s, l2d, has_ip;
	size_t smi, dmi, si, di;
};

struct inventory {
	const struct policy *policy;
	struct ss_htab *mac_idx;
	struct mac_ent *macs;
	size_t cap_macs;
	struct ss_htab *ip_idx;
	struct ip_ent *ips;
	size_t cap_ips;
	struct ss_htab *flow_idx;
	struct flow_ent *flows;
	size_t cap_flows;
	uint32_t gen;      /* bumped by inv_evict: invalidates flow_ent caches */
	uint32_t zone_gen; /* bumped by inv_set_policy: invalidates ip_ent zones */
	/* Where recent packets' flows are (flows.c, inv_flow_locate), and the
	 * creation counters that keep its negative knowledge honest; memo is
	 * NULL until the first TCP/UDP packet, emptied when gen moves on. */
	struct flow_memo *memo;
	uint64_t *memo_stamps;
	uint32_t memo_gen;
	/* Counts the renumberings (gen changes) locating has seen, from 1;
	 * unlike gen it never wraps. */
	uint64_t epoch;
};

/* The zone of address entry ii under inv->policy (cached, see ip_ent;
 * flows.c). */
const char *inv_ip_zone(struct inventory *inv, size_t ii);

struct mac_ent *inv_mac(struct inventory *inv, const ss_mac *m, size_t *idx);
struct ip_ent *inv_ip(struct inventory *inv, const ss_ip *ip, size_t *idx);
void inv_flow_locate(struct inventory *inv, const struct pkt *p, struct flow_loc *l);

/* What inv_flow_add found, for the inventory to act on. */
struct flow_add {
	long fi;               /* the flow's index, -1 when the packet forms no flow */
	int identify;          /* a payload among the first IDENT_MAX_PKTS of its direction */
	int reverse;           /* the packet travels server -> opener */
	int reply_from_server; /* evidence of a listening service (the packet's sender) */
};
/* Adds p to its flow (creating and judging it), l from inv_flow_locate on
 * the same packet with no flow created since, x the packet's resolved
 * entries (has_ip). Calls nothing of the inventory: identification and
 * services are the caller's, from *out. */
void inv_flow_add(struct inventory *inv, const struct pkt *p, const struct flow_loc *l,
                  const struct pkt_ix *x, struct flow_add *out);
int inv_mac_is_router(const struct inventory *inv, const struct mac_ent *m);

#endif
