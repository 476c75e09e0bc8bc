/*
 * common/htab.c - open addressing with linear probing over a power-of-two
 * slot array; keys live in one dense array.
 *
 * Each slot holds index+1 (0 = empty) and the key's full 32-bit hash, so a
 * probe that meets another key compares hashes first and touches the key
 * array (a cache miss per probe in a big table) only on a likely match, a
 * lookup that misses reads nothing but slots, and growing never rehashes.
 * Keys are hashed a word at a time. The seed is random per process, so the
 * slots a key lands in cannot be chosen from outside (hostile traffic
 * building long probe chains); indices, and so every output, do not depend
 * on it.
 */
#include "common/htab.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "common/util.h"

struct slot {
	uint32_t idx1; /* index + 1; 0 = empty */
	uint32_t hash;
};

struct ss_htab {
	size_t keylen;
	struct slot *slots;
	size_t nslots; /* power of two */
	uint8_t *keys;
	size_t n, keycap;
	uint64_t seed;
};

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* One multiply and a shift per 8-byte word, one full mix at the end: the
 * slots' cache misses, not this, dominate a lookup. */
static inline __attribute__((always_inline)) uint32_t hkey_n(uint64_t seed, const void *key,
                                                             size_t keylen)
{
	const uint8_t *b = key;
	size_t n = keylen;
	uint64_t x = seed ^ (uint64_t)n;
	while (n >= 8) {
		x = (x ^ load64(b)) * 0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
		b += 8;
		n -= 8;
	}
	if (n) {
		uint64_t t = 0;
		memcpy(&t, b, n);
		x = (x ^ t) * 0x9e3779b97f4a7c15ull;
		x ^= x >> 29;
	}
	x *= 0xd6e8feb86659fd93ull;
	x ^= x >> 32;
	return (uint32_t)x;
}

static uint32_t load32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Equality of two keys of keylen bytes: with keylen a constant, whole
 * words XORed together (the last word overlapping the one before it), no
 * branch per word and no call. */
static inline __attribute__((always_inline)) int key_eq_n(const uint8_t *a, const uint8_t *b,
                                                          size_t keylen)
{
	if (keylen >= 8) {
		uint64_t d = 0;
		size_t i = 0;
		for (; i + 8 <= keylen; i += 8)
			d |= load64(a + i) ^ load64(b + i);
		if (i < keylen)
			d |= load64(a + keylen - 8) ^ load64(b + keylen - 8);
		return d == 0;
	}
	if (keylen >= 4)
		return ((load32(a) ^ load32(b)) |
		        (load32(a + keylen - 4) ^ load32(b + keylen - 4))) == 0;
	return memcmp(a, b, keylen) == 0;
}

/* The inventory's three key sizes (MAC 6, address 17, flow 37) get their
 * own copies of the hash and compare with the length a constant: the
 * compiler then unrolls the word loop and turns the memcmp into a few
 * loads instead of a libc call (a call and a length dispatch were ~15% of
 * the instructions of a lookup). Same function, same values. */
static uint32_t hkey(const struct ss_htab *h, const void *key)
{
	switch (h->keylen) {
	case 6:
		return hkey_n(h->seed, key, 6);
	case 17:
		return hkey_n(h->seed, key, 17);
	case 37:
		return hkey_n(h->seed, key, 37);
	default:
		return hkey_n(h->seed, key, h->keylen);
	}
}

static uint64_t new_seed(void)
{
	uint64_t s;
	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
		s = 0x5e95ca115e95ca11ull ^ (uint64_t)(uintptr_t)&s;
	return s;
}

struct ss_htab *ss_htab_new(size_t keylen)
{
	struct ss_htab *h = xcalloc(1, sizeof(*h));
	h->keylen = keylen;
	h->nslots = 64;
	h->slots = xcalloc(h->nslots, sizeof(*h->slots));
	h->seed = new_seed();
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
	memset(h->slots, 0, h->nslots * sizeof(*h->slots));
	h->n = 0;
}

/* The slot holding key (hash hv), or the empty slot where it would go. */
static inline __attribute__((always_inline)) size_t
probe_n(const struct ss_htab *h, const void *key, uint32_t hv, size_t keylen)
{
	size_t mask = h->nslots - 1;
	for (size_t i = hv & mask;; i = (i + 1) & mask) {
		const struct slot *s = &h->slots[i];
		if (!s->idx1)
			return i;
		if (s->hash == hv &&
		    key_eq_n(h->keys + (size_t)(s->idx1 - 1) * keylen, key, keylen))
			return i;
	}
}

static size_t probe(const struct ss_htab *h, const void *key, uint32_t hv)
{
	switch (h->keylen) { /* constant key lengths: see hkey() */
	case 6:
		return probe_n(h, key, hv, 6);
	case 17:
		return probe_n(h, key, hv, 17);
	case 37:
		return probe_n(h, key, hv, 37);
	default:
		return probe_n(h, key, hv, h->keylen);
	}
}

long ss_htab_find(const struct ss_htab *h, const void *key)
{
	uint32_t s = h->slots[probe(h, key, hkey(h, key))].idx1;
	return s ? (long)(s - 1) : -1;
}

static void grow(struct ss_htab *h)
{
	size_t ns = h->nslots * 2;
	struct slot *slots = xcalloc(ns, sizeof(*slots));
	for (size_t k = 0; k < h->nslots; k++) {
		if (!h->slots[k].idx1)
			continue;
		size_t i = h->slots[k].hash & (ns - 1);
		while (slots[i].idx1)
			i = (i + 1) & (ns - 1);
		slots[i] = h->slots[k];
	}
	free(h->slots);
	h->slots = slots;
	h->nslots = ns;
}

size_t ss_htab_intern(struct ss_htab *h, const void *key, int *created)
{
	uint32_t hv = hkey(h, key);
	size_t i = probe(h, key, hv);
	if (h->slots[i].idx1) {
		if (created)
			*created = 0;
		return h->slots[i].idx1 - 1;
	}
	if ((h->n + 1) * 4 > h->nslots * 3) { /* keep load under 3/4 */
		grow(h);
		i = probe(h, key, hv);
	}
	if (h->n >= UINT32_MAX - 1) { /* indices are stored as uint32_t + 1 */
		fprintf(stderr, "segscan: hash index full\n");
		abort();
	}
	if (h->n == h->keycap) {
		h->keycap = h->keycap ? h->keycap * 2 : 64;
		h->keys = xreallocarray(h->keys, h->keycap, h->keylen);
	}
	memcpy(h->keys + h->n * h->keylen, key, h->keylen);
	h->slots[i].idx1 = (uint32_t)(h->n + 1);
	h->slots[i].hash = hv;
	if (created)
		*created = 1;
	return h->n++;
}

size_t ss_htab_count(const struct ss_htab *h)
{
	return h->n;
}

const void *ss_htab_key(const struct ss_htab *h, size_t idx)
{
	return h->keys + idx * h->keylen;
}
