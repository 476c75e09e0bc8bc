/*
 * policy/policy-index.c - the policy's memory arena and its hash indexes.
 *
 * Judging looks assets up by IP and MAC for every packet, and the loader
 * resolves every selector name, so all of these are hash lookups rather
 * than scans of the asset list (a register can hold thousands of devices).
 */
#include <stdlib.h>
#include <string.h>

#include "policy/policy-internal.h"

void *pol_alloc(struct policy *p, size_t n, size_t size)
{
	struct pol_arena *a = &p->arena;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->blk = xreallocarray(a->blk, a->cap, sizeof(*a->blk));
	}
	/* xcalloc refuses 0 on some libcs; one byte keeps the pointer unique. */
	void *m = xcalloc(n ? n : 1, size ? size : 1);
	a->blk[a->n++] = m;
	return m;
}

char *pol_strndup(struct policy *p, const char *s, size_t n)
{
	char *d = pol_alloc(p, n + 1, 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void pol_index_init(struct pol_index *ix, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->mask = cap - 1;
}

void pol_index_free(struct pol_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->mask = 0;
}

void pol_index_put(struct pol_index *ix, uint32_t hash, uint32_t idx)
{
	size_t i = hash & ix->mask;
	while (ix->slot[i])
		i = (i + 1) & ix->mask;
	ix->slot[i] = idx + 1;
}

long pol_index_find(const struct pol_index *ix, uint32_t hash, pol_index_eq eq, const void *ctx,
                    const void *key)
{
	if (!ix->slot)
		return -1;
	for (size_t i = hash & ix->mask; ix->slot[i]; i = (i + 1) & ix->mask)
		if (eq(ctx, ix->slot[i] - 1, key))
			return (long)(ix->slot[i] - 1);
	return -1;
}

uint32_t pol_hash_name(const char *s)
{
	return ss_hash_bytes(s, strlen(s), 0);
}
