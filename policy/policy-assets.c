/*
 * policy/policy-assets.c - the approved asset register: lookups by name,
 * MAC and IP address.
 */
#include <string.h>

#include "policy/policy-internal.h"

size_t pol_asset_count(const struct policy *p)
{
	return p ? p->n_assets : 0;
}

const struct pol_asset *pol_asset_at(const struct policy *p, size_t i)
{
	return p && i < p->n_assets ? &p->assets[i] : NULL;
}

static int name_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct policy *p = ctx;
	return strcmp(p->assets[idx].name, key) == 0;
}

static int ip_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct policy *p = ctx;
	return p->assets[idx].has_ip && ss_ip_eq(&p->assets[idx].ip, key);
}

static int mac_eq(const void *ctx, uint32_t idx, const void *key)
{
	const struct policy *p = ctx;
	return p->assets[idx].has_mac && ss_mac_cmp(&p->assets[idx].mac, key) == 0;
}

const struct pol_asset *pol_asset_by_name(const struct policy *p, const char *name)
{
	if (!p || !name)
		return NULL;
	long i = pol_index_find(&p->asset_names, pol_hash_name(name), name_eq, p, name);
	return i >= 0 ? &p->assets[i] : NULL;
}

const struct pol_asset *pol_asset_by_mac(const struct policy *p, const ss_mac *m)
{
	if (!p || !m)
		return NULL;
	long i = pol_index_find(&p->asset_macs, ss_mac_hash(m), mac_eq, p, m);
	return i >= 0 ? &p->assets[i] : NULL;
}

const struct pol_asset *pol_asset_by_ip(const struct policy *p, const ss_ip *ip)
{
	if (!p || !ip || (ip->family != 4 && ip->family != 6))
		return NULL;
	long i = pol_index_find(&p->asset_ips, ss_ip_hash(ip), ip_eq, p, ip);
	return i >= 0 ? &p->assets[i] : NULL;
}
