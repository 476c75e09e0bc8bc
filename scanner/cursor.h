/*
 * scanner/cursor.h - the only way packet bytes are read.
 *
 * A cursor is a {pos, end} window over untrusted bytes. Every getter checks
 * the remaining length first; on a short read it returns 0, consumes nothing
 * and sets the sticky `truncated` flag, so a decoder can read a whole header
 * and test the flag once at the end. Bytes are cast before shifting so no
 * signed int is ever shifted into its sign bit (UBSan-clean).
 */
#ifndef SS_CURSOR_H
#define SS_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cur {
	const uint8_t *pos;
	const uint8_t *end;
	int truncated;
};

static inline struct cur cur_make(const uint8_t *p, size_t n)
{
	struct cur c = {p, p + n, 0};
	return c;
}

static inline size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->pos);
}

static inline int cur_need(struct cur *c, size_t n)
{
	if (cur_left(c) < n) {
		c->truncated = 1;
		return 0;
	}
	return 1;
}

static inline uint8_t cur_u8(struct cur *c)
{
	if (!cur_need(c, 1))
		return 0;
	return *c->pos++;
}

static inline uint16_t cur_be16(struct cur *c)
{
	if (!cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(((uint16_t)c->pos[0] << 8) | (uint16_t)c->pos[1]);
	c->pos += 2;
	return v;
}

static inline uint16_t cur_le16(struct cur *c)
{
	if (!cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(((uint16_t)c->pos[1] << 8) | (uint16_t)c->pos[0]);
	c->pos += 2;
	return v;
}

static inline uint32_t cur_be32(struct cur *c)
{
	if (!cur_need(c, 4))
		return 0;
	uint32_t v = ((uint32_t)c->pos[0] << 24) | ((uint32_t)c->pos[1] << 16) |
	             ((uint32_t)c->pos[2] << 8) | (uint32_t)c->pos[3];
	c->pos += 4;
	return v;
}

static inline uint32_t cur_le32(struct cur *c)
{
	if (!cur_need(c, 4))
		return 0;
	uint32_t v = ((uint32_t)c->pos[3] << 24) | ((uint32_t)c->pos[2] << 16) |
	             ((uint32_t)c->pos[1] << 8) | (uint32_t)c->pos[0];
	c->pos += 4;
	return v;
}

/* Copies n bytes out; on a short read the destination is zeroed. */
static inline int cur_copy(struct cur *c, void *dst, size_t n)
{
	if (!cur_need(c, n)) {
		memset(dst, 0, n);
		return 0;
	}
	memcpy(dst, c->pos, n);
	c->pos += n;
	return 1;
}

static inline int cur_skip(struct cur *c, size_t n)
{
	if (!cur_need(c, n))
		return 0;
	c->pos += n;
	return 1;
}

/* Splits off the next n bytes as a child cursor and advances past them.
 * A short parent yields a truncated, empty child. */
static inline struct cur cur_sub(struct cur *c, size_t n)
{
	struct cur s = {c->pos, c->pos, 0};
	if (!cur_need(c, n)) {
		s.truncated = 1;
		return s;
	}
	s.end = c->pos + n;
	c->pos += n;
	return s;
}

/* Shrinks the window to at most n bytes from here (e.g. to the IP total
 * length so Ethernet padding is never parsed as payload). Returns 0 and
 * leaves the window alone when fewer than n bytes remain (the packet was
 * cut short by the capture). */
static inline int cur_limit(struct cur *c, size_t n)
{
	if (cur_left(c) < n)
		return 0;
	c->end = c->pos + n;
	return 1;
}

/* Peeks at byte i ahead without consuming; -1 when out of range. */
static inline int cur_peek(const struct cur *c, size_t i)
{
	return i < cur_left(c) ? c->pos[i] : -1;
}

#endif
