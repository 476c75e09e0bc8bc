/*
 * scanner/inventory-probe.c - the inventory side of the active probes:
 * probe evidence on bindings, and the local hosts heard so far.
 */
#include <string.h>

#include "scanner/inventory-internal.h"
#include "scanner/inventory-probe.h"

void inv_note_probe_reply(struct inventory *inv, const ss_mac *mac, const ss_ip *ip,
                          enum inv_probe_kind kind)
{
	uint32_t ev = kind == INV_PROBE_ARP ? EV_ARP_PROBE : EV_TCP_PROBE;
	if (ss_mac_is_zero(mac) || ss_mac_is_multicast(mac) || ip->family != 4 ||
	    ss_ip_is_unspecified(ip) || ss_ip_is_local_service(ip))
		return;
	/* Intern both before taking pointers: interning may move the arrays. */
	size_t ii, mi;
	inv_ip(inv, ip, &ii);
	inv_mac(inv, mac, &mi);
	struct mac_ent *m = &inv->macs[mi];
	m->ev |= ev;
	for (size_t i = 0; i < m->n_bind; i++)
		if (m->bind[i].ip == ii) {
			m->bind[i].ev |= ev;
			return;
		}
	if (m->n_bind >= 1024)
		return; /* the same bound as inventory.c: a proxy-ARP router */
	if (m->n_bind == m->cap_bind) {
		m->cap_bind = m->cap_bind ? m->cap_bind * 2 : 2;
		m->bind = xreallocarray(m->bind, m->cap_bind, sizeof(*m->bind));
	}
	m->bind[m->n_bind].ip = (uint32_t)ii;
	m->bind[m->n_bind].ev = ev;
	m->n_bind++;
	inv->ips[ii].strong_macs++;
}

static uint32_t v4(const ss_ip *ip)
{
	return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 | (uint32_t)ip->b[2] << 8 |
	       (uint32_t)ip->b[3];
}

void inv_each_local_host4(struct inventory *inv, inv_host4_fn fn, void *ctx)
{
	size_t nm = ss_htab_count(inv->mac_idx), ni = ss_htab_count(inv->ip_idx);
	for (size_t i = 0; i < nm; i++) {
		const struct mac_ent *m = &inv->macs[i];
		if (!m->n_bind || inv_mac_is_router(inv, m))
			continue;
		for (size_t k = 0; k < m->n_bind; k++) {
			const ss_ip *ip = &inv->ips[m->bind[k].ip].ip;
			if (ip->family == 4)
				fn(ctx, &m->mac, v4(ip));
		}
	}
	for (size_t i = 0; i < ni; i++) {
		const struct ip_ent *e = &inv->ips[i];
		if (e->ip.family != 4 || e->strong_macs || !e->seen_src || e->n_src != 1)
			continue;
		const struct mac_ent *m = &inv->macs[e->src[0].mac];
		if (!inv_mac_is_router(inv, m))
			fn(ctx, &m->mac, v4(&e->ip));
	}
}
