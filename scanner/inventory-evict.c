/*
 * scanner/inventory-evict.c - keeps a long-running inventory bounded: when a
 * table outgrows its limit, the least recently seen entries are dropped.
 *
 * The hash index (common/htab.h) has no deletion, so eviction rebuilds it:
 * the surviving entries are compacted to the front of their array in their
 * old order, and their keys are interned again, which gives each survivor
 * its new dense index. Indices held across tables are remapped: a MAC's
 * bindings point at address indices, an address's source list points at
 * MAC indices. Links to evicted entries are dropped with them, and each
 * address's count of strong bindings is recounted from the survivors.
 * Flows refer to addresses by value, so they need no remapping; their
 * cache of table indices (inv_add) is dropped by a new generation.
 *
 * Evicting down to 80% of the limit makes the cost of a rebuild (linear in
 * the table: a quickselect for the age threshold, the link remapping, the
 * re-hashing) amortised over the fifth of the limit that must arrive
 * before the next one: a flood of random addresses costs a constant per
 * packet. (At 90% a million-address flood spent twice as long rebuilding,
 * most of it in cache misses re-hashing the survivors; a table at its
 * limit of real devices loses the idlest fifth, which a device that is
 * still there puts back with its next packet.) Survivors are not shifted down but evicted slots are
 * refilled from the end, so only as many entries move as were evicted.
 */
#include <stdlib.h>
#include <string.h>

#include "scanner/inventory-internal.h"

/* The k-th largest of n times (0-based), by quickselect: O(n). */
static ss_time kth_largest(ss_time *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;
	uint64_t seed = 0x2545f4914f6cdd1dULL;
	while (lo < hi) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		ss_time pivot = a[lo + seed % (hi - lo + 1)];
		size_t i = lo, j = hi;
		while (i <= j) { /* descending: larger first */
			while (a[i] > pivot)
				i++;
			while (a[j] < pivot)
				j--;
			if (i <= j) {
				ss_time t = a[i];
				a[i] = a[j];
				a[j] = t;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/* Fills keep[i] with 1 for the `want` most recent of n entries, else 0.
 * Entries never seen sending (SS_TIME_NONE, the most negative time) go
 * first; on a tie the later entry (higher index, created later) stays. */
static void choose(const ss_time *recency, size_t n, size_t want, long *keep)
{
	if (want >= n) {
		for (size_t i = 0; i < n; i++)
			keep[i] = 1;
		return;
	}
	ss_time *a = xcalloc(n, sizeof(*a));
	memcpy(a, recency, n * sizeof(*a));
	ss_time thr = kth_largest(a, n, want - 1);
	free(a);
	size_t above = 0;
	for (size_t i = 0; i < n; i++)
		above += recency[i] > thr;
	size_t ties = want - above;
	for (size_t i = n; i-- > 0;) {
		keep[i] = recency[i] > thr;
		if (recency[i] == thr && ties) {
			keep[i] = 1;
			ties--;
		}
	}
}

/* Turns a keep mask into old index -> new index (-1: evicted) and returns
 * the number kept, k. Survivors below k keep their index; those above move
 * into the holes below k, so only as many entries move as were evicted
 * (a flood evicts a tenth of a large table at a time: moving every
 * survivor would cost nine copies per insertion). */
static size_t number(long *remap, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += remap[i] != 0;
	size_t hole = 0;
	for (size_t i = 0; i < n; i++) {
		if (!remap[i]) {
			remap[i] = -1;
		} else if (i < k) {
			remap[i] = (long)i;
		} else {
			/* Every slot below k is numbered by now; take the next
			 * evicted one (there are exactly as many as movers). */
			while (remap[hole] != -1)
				hole++;
			remap[i] = (long)hole++;
		}
	}
	return k;
}

/* Re-interns the keys of the kept entries, in order, into a cleared index. */
static void rebuild_index(struct ss_htab *h, size_t keylen, const long *remap, size_t n)
{
	size_t kept = 0;
	for (size_t i = 0; i < n; i++)
		kept += remap[i] >= 0;
	uint8_t *keys = xcalloc(kept ? kept : 1, keylen);
	for (size_t i = 0; i < n; i++)
		if (remap[i] >= 0)
			memcpy(keys + (size_t)remap[i] * keylen, ss_htab_key(h, i), keylen);
	ss_htab_clear(h);
	for (size_t k = 0; k < kept; k++) {
		int created;
		ss_htab_intern(h, keys + k * keylen, &created);
	}
	free(keys);
}

/* What survives an eviction, in percent of the limit (see above). */
#define KEEP_PERCENT 80

static size_t target(size_t limit)
{
	size_t t = limit / 100 * KEEP_PERCENT + (limit % 100) * KEEP_PERCENT / 100;
	return t ? t : 1;
}

int inv_evict(struct inventory *inv, size_t max_hosts, size_t max_flows, struct inv_evict_stats *st)
{
	struct inv_evict_stats none = {0, 0, 0};
	if (!st)
		st = &none;
	memset(st, 0, sizeof(*st));
	size_t nm = ss_htab_count(inv->mac_idx), ni = ss_htab_count(inv->ip_idx);
	size_t nf = ss_htab_count(inv->flow_idx);
	int ev_mac = max_hosts && nm > max_hosts;
	int ev_ip = max_hosts && ni > max_hosts;
	int ev_flow = max_flows && nf > max_flows;

	if (ev_mac || ev_ip) {
		long *mre = xcalloc(nm + 1, sizeof(long)), *ire = xcalloc(ni + 1, sizeof(long));
		ss_time *rec = xcalloc((nm > ni ? nm : ni) + 1, sizeof(ss_time));
		if (ev_mac) {
			for (size_t i = 0; i < nm; i++)
				rec[i] = inv->macs[i].last;
			choose(rec, nm, target(max_hosts), mre);
		} else {
			for (size_t i = 0; i < nm; i++)
				mre[i] = 1;
		}
		if (ev_ip) {
			/* An address is as recent as its own packets, or as the
			 * newest device that binds it (ARP-only talkers). */
			for (size_t i = 0; i < ni; i++)
				rec[i] = inv->ips[i].seen_src ? inv->ips[i].last : SS_TIME_NONE;
			for (size_t m = 0; m < nm; m++)
				for (size_t k = 0; k < inv->macs[m].n_bind; k++) {
					uint32_t ip = inv->macs[m].bind[k].ip;
					if (inv->macs[m].last > rec[ip])
						rec[ip] = inv->macs[m].last;
				}
			choose(rec, ni, target(max_hosts), ire);
		} else {
			for (size_t i = 0; i < ni; i++)
				ire[i] = 1;
		}
		size_t km = number(mre, nm), ki = number(ire, ni);
		st->macs = nm - km;
		st->ips = ni - ki;

		/* Remap links while every entry is still at its old index. */
		for (size_t m = 0; m < nm; m++) {
			struct mac_ent *e = &inv->macs[m];
			if (mre[m] < 0)
				continue;
			size_t w = 0;
			for (size_t k = 0; k < e->n_bind; k++)
				if (ire[e->bind[k].ip] >= 0) {
					e->bind[w] = e->bind[k];
					e->bind[w].ip = (uint32_t)ire[e->bind[k].ip];
					w++;
				}
			e->n_bind = w;
		}
		for (size_t i = 0; i < ni; i++) {
			struct ip_ent *e = &inv->ips[i];
			if (ire[i] < 0)
				continue;
			uint8_t w = 0;
			for (size_t k = 0; k < e->n_src; k++)
				if (mre[e->src[k].mac] >= 0) {
					e->src[w] = e->src[k];
					e->src[w].mac = (uint32_t)mre[e->src[k].mac];
					w++;
				}
			e->n_src = w;
			e->strong_macs = 0;
		}
		/* Free what evicted entries own, then fill their slots. */
		for (size_t m = 0; m < nm; m++)
			if (mre[m] < 0) {
				free(inv->macs[m].bind);
				free(inv->macs[m].facts);
			}
		for (size_t m = 0; m < nm; m++)
			if (mre[m] >= 0 && (size_t)mre[m] != m)
				inv->macs[mre[m]] = inv->macs[m];
		for (size_t i = 0; i < ni; i++)
			if (ire[i] < 0) {
				free(inv->ips[i].svc);
				free(inv->ips[i].facts);
			}
		for (size_t i = 0; i < ni; i++)
			if (ire[i] >= 0 && (size_t)ire[i] != i)
				inv->ips[ire[i]] = inv->ips[i];
		if (ev_mac)
			rebuild_index(inv->mac_idx, sizeof(ss_mac), mre, nm);
		if (ev_ip)
			rebuild_index(inv->ip_idx, 17, ire, ni);
		for (size_t m = 0; m < km; m++)
			for (size_t k = 0; k < inv->macs[m].n_bind; k++)
				inv->ips[inv->macs[m].bind[k].ip].strong_macs++;
		free(rec);
		free(mre);
		free(ire);
	}

	if (ev_flow) {
		long *fre = xcalloc(nf + 1, sizeof(long));
		ss_time *rec = xcalloc(nf + 1, sizeof(ss_time));
		for (size_t i = 0; i < nf; i++)
			rec[i] = inv->flows[i].last;
		choose(rec, nf, target(max_flows), fre);
		size_t kf = number(fre, nf);
		st->flows = nf - kf;
		for (size_t i = 0; i < nf; i++)
			if (fre[i] >= 0 && (size_t)fre[i] != i)
				inv->flows[fre[i]] = inv->flows[i];
		rebuild_index(inv->flow_idx, 37, fre, nf);
		free(rec);
		free(fre);
	}
	if (st->macs || st->ips || st->flows) {
		/* Entries moved: every flow's cache of MAC and address indices
		 * (inv_add) is stale. A new generation invalidates them all at
		 * once; should it ever wrap, clear them one by one instead, as
		 * 0 must stay "never filled". */
		if (++inv->gen == 0) {
			size_t n = ss_htab_count(inv->flow_idx);
			for (size_t i = 0; i < n; i++)
				inv->flows[i].c_gen = 0;
			inv->gen = 1;
		}
	}
	return st->macs || st->ips || st->flows;
}
