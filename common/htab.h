/*
 * common/htab.h - an open-addressing hash index from fixed-size byte keys to
 * dense indices 0..n-1. The caller keeps its records in its own array at the
 * same index; the table only owns copies of the keys. No deletion: audits
 * only grow, and the monitor rebuilds when it evicts.
 */
#ifndef SS_HTAB_H
#define SS_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct ss_htab;

struct ss_htab *ss_htab_new(size_t keylen);
void ss_htab_free(struct ss_htab *h);
/* Index of key, or -1. */
long ss_htab_find(const struct ss_htab *h, const void *key);
/* Index of key, inserting it (as index n) if absent; *created tells which. */
size_t ss_htab_intern(struct ss_htab *h, const void *key, int *created);
size_t ss_htab_count(const struct ss_htab *h);
const void *ss_htab_key(const struct ss_htab *h, size_t idx);
void ss_htab_clear(struct ss_htab *h);

#endif
