/*
 * common/util.h - allocation wrappers, time formatting, small string helpers.
 *
 * Allocation wrappers abort with a message on exhaustion or on a size
 * overflow: an inventory that cannot grow cannot be reported correctly, so
 * there is nothing sensible to return to the caller.
 */
#ifndef SS_UTIL_H
#define SS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Timestamps are microseconds since the Unix epoch, in capture time. */
typedef int64_t ss_time;
#define SS_TIME_NONE  INT64_MIN
#define SS_ISO_STRLEN 40
/* ISO-8601 in UTC with microseconds trimmed to milliseconds:
 * 2024-01-02T03:04:05.678Z */
void ss_time_iso(ss_time t, char out[SS_ISO_STRLEN]);
/* Parses what ss_time_iso writes (and offsets like +09:00); -1 on error. */
int ss_time_parse_iso(const char *s, ss_time *out);
ss_time ss_time_now(void);

/* FNV-1a, for hash tables. */
uint32_t ss_hash_bytes(const void *p, size_t n, uint32_t seed);

/* Reads a whole file (up to max bytes) into a NUL-terminated buffer.
 * Returns NULL and sets errno on failure (EFBIG when too large). */
char *ss_read_file(const char *path, size_t max, size_t *len);

/* Lowercase ASCII copy into a fixed buffer. */
void ss_lower(char *dst, const char *src, size_t dstsz);

#endif
