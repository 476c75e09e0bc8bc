/*
 * scanner/proto-text.h - line and header helpers for the text protocols
 * (HTTP, RTSP, SSDP, FTP, SSH banners).
 *
 * All of them read through struct cur: a line is a child cursor over the
 * bytes before its LF (a trailing CR dropped), so a caller never holds a
 * raw length it could get wrong. Static inline so each identifier file
 * stays self-contained and nothing but NAME_identify() is exported.
 */
#ifndef SS_PROTO_TEXT_H
#define SS_PROTO_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

/* Splits the next line off c into *line. Returns 1 when a LF ends it
 * within max bytes; 0 (c untouched) for an incomplete or overlong line,
 * which is never proof of anything. */
static inline int txt_line(struct cur *c, struct cur *line, size_t max)
{
	size_t n = cur_left(c);
	if (n > max + 2)
		n = max + 2;
	if (!n)
		return 0;
	/* memchr, not a byte loop: this scan ran on every payload every
	 * text identifier was tried on. Same first LF within n bytes. */
	const uint8_t *lf = memchr(c->pos, '\n', n);
	if (!lf)
		return 0;
	*line = cur_sub(c, (size_t)(lf - c->pos) + 1);
	line->end--; /* the LF */
	if (cur_left(line) && cur_peek(line, cur_left(line) - 1) == '\r')
		line->end--;
	return cur_left(line) <= max;
}

static inline int txt_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

/* Whether the bytes at c start with s (case-sensitive unless icase). */
static inline int txt_starts(const struct cur *c, const char *s, int icase)
{
	for (size_t i = 0; s[i]; i++) {
		int ch = cur_peek(c, i);
		if (ch < 0)
			return 0;
		if (icase ? txt_lower(ch) != txt_lower((unsigned char)s[i])
		          : ch != (unsigned char)s[i])
			return 0;
	}
	return 1;
}

/* Offset of the first case-insensitive occurrence of s in c, or -1.
 * Candidates are filtered on the first byte (its two cases) before the
 * rest is compared: the same first match as comparing at every offset. */
static inline long txt_find(const struct cur *c, const char *s)
{
	size_t n = cur_left(c), k = strlen(s);
	if (k > n)
		return -1;
	if (!k)
		return 0;
	int lo = txt_lower((unsigned char)s[0]);
	int up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
	const uint8_t *p = c->pos;
	for (size_t i = 0; i + k <= n; i++) {
		if (p[i] != lo && p[i] != up)
			continue;
		size_t j = 1;
		while (j < k && txt_lower(p[i + j]) == txt_lower((unsigned char)s[j]))
			j++;
		if (j == k)
			return (long)i;
	}
	return -1;
}

/* The ASCII byte values present in a cursor's bytes. txt_find(c, s) can
 * only succeed where s's first byte occurs in either case, so a caller
 * matching one value against a table of tokens tests a bit or two per
 * token and scans only for the candidates: the same matches as calling
 * txt_find for every token. Two words in registers, not a bit array in
 * memory, which chains a store and a load per byte. */
struct txt_bytes {
	uint64_t lo, hi; /* values 0-63, 64-127 */
};

static inline void txt_bytes_of(const struct cur *c, struct txt_bytes *b)
{
	uint64_t lo = 0, hi = 0;
	const uint8_t *p = c->pos;
	for (size_t i = 0, n = cur_left(c); i < n; i++) {
		uint64_t bit = (uint64_t)1 << (p[i] & 63);
		lo |= p[i] < 64 ? bit : 0;
		hi |= p[i] >= 64 && p[i] < 128 ? bit : 0;
	}
	b->lo = lo;
	b->hi = hi;
}

static inline int txt_has_byte(const struct txt_bytes *b, int ch)
{
	if (ch < 64)
		return (int)(b->lo >> ch & 1);
	return ch < 128 && (b->hi >> (ch & 63) & 1);
}

/* Whether txt_find(c, s) may succeed, b being txt_bytes_of(c). */
static inline int txt_may_find(const struct txt_bytes *b, const char *s)
{
	int lo = txt_lower((unsigned char)s[0]);
	int up = lo >= 'a' && lo <= 'z' ? lo - 32 : lo;
	return !s[0] || txt_has_byte(b, lo) || txt_has_byte(b, up);
}

/* Consumes s when c starts with it (case-sensitive). */
static inline int txt_eat(struct cur *c, const char *s)
{
	if (!txt_starts(c, s, 0))
		return 0;
	cur_skip(c, strlen(s));
	return 1;
}

/* Consumes one or more decimal digits into *v (capped); 0 if none. */
static inline int txt_uint(struct cur *c, unsigned *v)
{
	unsigned x = 0, n = 0;
	int ch;
	while ((ch = cur_peek(c, 0)) >= '0' && ch <= '9') {
		if (x < 100000000u)
			x = x * 10 + (unsigned)(ch - '0');
		cur_skip(c, 1);
		n++;
	}
	*v = x;
	return n > 0;
}

/* Finds header `name` in the header block that follows the start line
 * (c positioned after it) and returns its value, leading blanks skipped.
 * Stops at the empty line, at an incomplete line, or after 64 lines. */
static inline int txt_header(struct cur c, const char *name, struct cur *val)
{
	size_t k = strlen(name);
	struct cur line;
	for (int guard = 0; guard < 64 && txt_line(&c, &line, 2048); guard++) {
		if (!cur_left(&line))
			return 0;
		if (!txt_starts(&line, name, 1) || cur_peek(&line, k) != ':')
			continue;
		cur_skip(&line, k + 1);
		while (cur_peek(&line, 0) == ' ' || cur_peek(&line, 0) == '\t')
			cur_skip(&line, 1);
		*val = line;
		return 1;
	}
	return 0;
}

/* txt_header for two names in one pass over the header block: *found1
 * and *found2 say which were found, each exactly as txt_header would
 * find it (the same lines are read with the same limits). */
static inline void txt_header2(struct cur c, const char *name1, struct cur *val1, int *found1,
                               const char *name2, struct cur *val2, int *found2)
{
	const char *name[2] = {name1, name2};
	struct cur *val[2] = {val1, val2};
	int *found[2] = {found1, found2};
	size_t k[2] = {strlen(name1), strlen(name2)};
	*found1 = *found2 = 0;
	struct cur line;
	for (int guard = 0; guard < 64 && txt_line(&c, &line, 2048); guard++) {
		if (!cur_left(&line))
			return;
		for (int i = 0; i < 2; i++) {
			if (*found[i] || !txt_starts(&line, name[i], 1) ||
			    cur_peek(&line, k[i]) != ':')
				continue;
			struct cur v = line;
			cur_skip(&v, k[i] + 1);
			while (cur_peek(&v, 0) == ' ' || cur_peek(&v, 0) == '\t')
				cur_skip(&v, 1);
			*val[i] = v;
			*found[i] = 1;
		}
		if (*found1 && *found2)
			return;
	}
}

/* Sanitised copy of a cursor's bytes (ident_copy_str does the cleaning). */
static inline void txt_copy(char *dst, size_t dstsz, const struct cur *v)
{
	ident_copy_str(dst, dstsz, v->pos, cur_left(v));
}

/* snprintf(dst, dstsz, "%s%.*s%s", a, (int)bmax, b, c) without the
 * format machinery (a vfprintf call per fact was a tenth of all
 * instructions on an HTTP-heavy capture): the same bytes, cut at
 * dstsz - 1, terminated. b and c may be NULL (empty). */
static inline void txt_join(char *dst, size_t dstsz, const char *a, const char *b, size_t bmax,
                            const char *c)
{
	if (!dstsz)
		return;
	size_t o = 0;
	const char *part[3] = {a, b, c};
	size_t lim[3] = {(size_t)-1, bmax, (size_t)-1};
	for (int i = 0; i < 3 && o + 1 < dstsz; i++) {
		if (!part[i])
			continue;
		size_t room = dstsz - 1 - o;
		size_t n = strnlen(part[i], lim[i] < room ? lim[i] : room);
		memcpy(dst + o, part[i], n);
		o += n;
	}
	dst[o] = '\0';
}

/* snprintf(dst, dstsz, "%s", s), see txt_join. */
static inline void txt_set(char *dst, size_t dstsz, const char *s)
{
	txt_join(dst, dstsz, s, NULL, 0, NULL);
}

/* Sets an OS claim unless a stronger one is already there. */
static inline void txt_os(struct ident_facts *f, const char *os, int weight, const char *why)
{
	if (f->os_weight >= weight)
		return;
	txt_set(f->os, sizeof(f->os), os);
	txt_set(f->os_why, sizeof(f->os_why), why);
	f->os_weight = weight;
}

/* Sets a device-class claim unless a stronger one is already there. */
static inline void txt_cls(struct ident_facts *f, enum ident_class cls, int weight, const char *why)
{
	if (f->cls_weight >= weight)
		return;
	f->cls = cls;
	f->cls_weight = weight;
	txt_set(f->cls_why, sizeof(f->cls_why), why);
}

#endif
