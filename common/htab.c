/*
 * common/htab.c - open addressing with linear probing over a power-of-two
 * slot array holding index+1 (0 = empty); keys live in one dense array.
 */
#include "common/htab.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct ss_htab {
	size_t keylen;
	uint32_t *slots;
	size_t nslots; /* power of two */
	uint8_t *keys;
	size_t n, keycap;
	uint32_t seed;
};

static uint32_t hkey(const struct ss_htab *h, const void *key)
{
	/* FNV-1a then a finaliser so low bits are well mixed for masking. */
	uint32_t x = ss_hash_bytes(key, h->keylen, h->seed);
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

struct ss_htab *ss_htab_new(size_t keylen)
{
	struct ss_htab *h = xcalloc(1, sizeof(*h));
	h->keylen = keylen;
	h->nslots = 64;
	h->slots = xcalloc(h->nslots, sizeof(uint32_t));
	h->seed = 0x5e95ca11u;
	return h;
}

void ss_htab_free(struct ss_htab *h)
{
	if (!h)
		return;
	free(h->slots);
	free(h->keys);
	free(h);
}

void ss_htab_clear(struct ss_htab *h)
{
	memset(h->slots, 0, h->nslots * sizeof(uint32_t));
	h->n = 0;
}

long ss_htab_find(const struct ss_htab *h, const void *key)
{
	size_t mask = h->nslots - 1;
	for (size_t i = hkey(h, key) & mask;; i = (i + 1) & mask) {
		uint32_t s = h->slots[i];
		if (!s)
			return -1;
		if (memcmp(h->keys + (size_t)(s - 1) * h->keylen, key, h->keylen) == 0)
			return (long)(s - 1);
	}
}

static void grow(struct ss_htab *h)
{
	size_t ns = h->nslots * 2;
	uint32_t *slots = xcalloc(ns, sizeof(uint32_t));
	for (size_t k = 0; k < h->n; k++) {
		size_t i = hkey(h, h->keys + k * h->keylen) & (ns - 1);
		while (slots[i])
			i = (i + 1) & (ns - 1);
		slots[i] = (uint32_t)(k + 1);
	}
	free(h->slots);
	h->slots = slots;
	h->nslots = ns;
}

size_t ss_htab_intern(struct ss_htab *h, const void *key, int *created)
{
	long f = ss_htab_find(h, key);
	if (f >= 0) {
		if (created)
			*created = 0;
		return (size_t)f;
	}
	if ((h->n + 1) * 4 > h->nslots * 3) /* keep load under 3/4 */
		grow(h);
	if (h->n == h->keycap) {
		h->keycap = h->keycap ? h->keycap * 2 : 64;
		h->keys = xreallocarray(h->keys, h->keycap, h->keylen);
	}
	memcpy(h->keys + h->n * h->keylen, key, h->keylen);
	size_t mask = h->nslots - 1;
	size_t i = hkey(h, key) & mask;
	while (h->slots[i])
		i = (i + 1) & mask;
	h->slots[i] = (uint32_t)(h->n + 1);
	if (created)
		*created = 1;
	return h->n++;
}

size_t ss_htab_count(const struct ss_htab *h) { return h->n; }

const void *ss_htab_key(const struct ss_htab *h, size_t idx) { return h->keys + idx * h->keylen; }
