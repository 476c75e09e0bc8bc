/*
 * scanner/inventory-probe.h - what the active probes (scanner/probe-*.c)
 * need from the inventory: the hosts heard so far, and a way to credit a
 * host with having answered a probe ("arp-probe" / "tcp-probe" evidence).
 */
#ifndef SS_INVENTORY_PROBE_H
#define SS_INVENTORY_PROBE_H

#include <stdint.h>

#include "common/addr.h"

struct inventory;

enum inv_probe_kind { INV_PROBE_ARP, INV_PROBE_TCP };

/* The host mac answered a probe sent to ip: binds ip to mac (the reply came
 * from mac, with ip, to a frame addressed to them) with the evidence bit of
 * kind. Safe before or after inv_add() saw the same frame. */
void inv_note_probe_reply(struct inventory *inv, const ss_mac *mac, const ss_ip *ip,
                          enum inv_probe_kind kind);

/* Calls fn for every IPv4 address heard from a device on the local segment:
 * bound to a MAC (ARP, DHCP, probe replies) or sourced by a single MAC that
 * is not a router. Addresses carried by a router's MAC are never reported:
 * a frame to that MAC would leave the segment. */
typedef void (*inv_host4_fn)(void *ctx, const ss_mac *mac, uint32_t ip);
void inv_each_local_host4(struct inventory *inv, inv_host4_fn fn, void *ctx);

#endif
