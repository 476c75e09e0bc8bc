/*
 * scanner/proto-text.h - line and header helpers for the text protocols
 * (HTTP, RTSP, SSDP, FTP, SSH banners).
 *
 * All of them read through struct cur: a line is a child cursor over the
 * bytes before its LF (a trailing CR dropped), so a caller never holds a
 * raw length it could get wrong. Static inline so each identifier file
 * stays self-contained and nothing but ident_def_* is exported.
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
	for (size_t i = 0; i < n; i++) {
		if (cur_peek(c, i) != '\n')
			continue;
		*line = cur_sub(c, i + 1);
		line->end--; /* the LF */
		if (cur_left(line) && cur_peek(line, cur_left(line) - 1) == '\r')
			line->end--;
		return cur_left(line) <= max;
	}
	return 0;
}

static inline int txt_lower(int ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; }

/* Whether the bytes at c start with s (case-sensitive unless icase). */
static inline int txt_starts(const struct cur *c, const char *s, int icase)
{
	for (size_t i = 0; s[i]; i++) {
		int ch = cur_peek(c, i);
		if (ch < 0)
			return 0;
		if (icase ? txt_lower(ch) != txt_lower((unsigned char)s[i]) : ch != (unsigned char)s[i])
			return 0;
	}
	return 1;
}

/* Offset of the first case-insensitive occurrence of s in c, or -1. */
static inline long txt_find(const struct cur *c, const char *s)
{
	size_t n = cur_left(c), k = strlen(s);
	if (k > n)
		return -1;
	for (size_t i = 0; i + k <= n; i++) {
		struct cur t = *c;
		t.pos += i;
		if (txt_starts(&t, s, 1))
			return (long)i;
	}
	return -1;
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

/* Sanitised copy of a cursor's bytes (ident_copy_str does the cleaning). */
static inline void txt_copy(char *dst, size_t dstsz, const struct cur *v)
{
	ident_copy_str(dst, dstsz, v->pos, cur_left(v));
}

/* Sets an OS claim unless a stronger one is already there. */
static inline void txt_os(struct ident_facts *f, const char *os, int weight, const char *why)
{
	if (f->os_weight >= weight)
		return;
	snprintf(f->os, sizeof(f->os), "%s", os);
	snprintf(f->os_why, sizeof(f->os_why), "%s", why);
	f->os_weight = weight;
}

/* Sets a device-class claim unless a stronger one is already there. */
static inline void txt_cls(struct ident_facts *f, enum ident_class cls, int weight,
                           const char *why)
{
	if (f->cls_weight >= weight)
		return;
	f->cls = cls;
	f->cls_weight = weight;
	snprintf(f->cls_why, sizeof(f->cls_why), "%s", why);
}

#endif
