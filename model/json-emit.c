/*
 * model/json-emit.c - jansson's JSON_INDENT(2) text, written straight
 * from the values (see json-emit.h for why and how it is held to it).
 */
#include "model/json-emit.h"

#include <stdlib.h>
#include <string.h>

#include "model/result.h"

static void grow(struct je *w, size_t len)
{
	size_t cap = w->cap ? w->cap : 65536;
	while (cap - w->n < len) {
		if (cap > SIZE_MAX / 2) {
			w->oom = 1;
			return;
		}
		cap *= 2;
	}
	char *p = realloc(w->p, cap);
	if (!p) {
		w->oom = 1;
		return;
	}
	w->p = p;
	w->cap = cap;
}

/* Room for len more bytes; 0 when memory ran out (w->oom). */
static inline int room(struct je *w, size_t len)
{
	if (w->cap - w->n >= len)
		return 1;
	grow(w, len);
	return !w->oom;
}

/* Most pieces are a few bytes: a plain loop beats a memcpy call. */
static inline void raw(struct je *w, const char *s, size_t len)
{
	if (!room(w, len))
		return;
	char *d = w->p + w->n;
	if (len <= 16)
		for (size_t i = 0; i < len; i++)
			d[i] = s[i];
	else
		memcpy(d, s, len);
	w->n += len;
}

void je_raw(struct je *w, const char *s, size_t len)
{
	raw(w, s, len);
}

static inline void put(struct je *w, char c)
{
	if (room(w, 1))
		w->p[w->n++] = c;
}

void je_init(struct je *w, int depth)
{
	memset(w, 0, sizeof(*w));
	w->base = depth > 0 ? depth : 0;
}

void je_free(struct je *w)
{
	free(w->p);
	w->p = NULL;
	w->n = w->cap = 0;
}

int je_flush(struct je *w, FILE *out)
{
	int rc = w->oom || (w->n && fwrite(w->p, 1, w->n, out) != w->n) ? -1 : 0;
	w->n = 0;
	return rc;
}

/* jansson's dump_indent: a newline, then two spaces per level. */
static void newline_indent(struct je *w, int level)
{
	size_t n = 1 + 2 * (size_t)level;
	if (!room(w, n))
		return;
	char *d = w->p + w->n;
	d[0] = '\n';
	memset(d + 1, ' ', n - 1);
	w->n += n;
}

/* Before an entry of the innermost container: a comma after the previous
 * one, then the entry's own line. */
static void entry(struct je *w)
{
	if (w->depth == 0)
		return;
	if (w->count[w->depth]++)
		put(w, ',');
	newline_indent(w, w->base + w->depth);
}

/* Before a value: in an array it is an entry; in an object its key was. */
static void value(struct je *w)
{
	if (w->depth > 0 && w->is_arr[w->depth])
		entry(w);
}

static void open_container(struct je *w, char c, int arr)
{
	value(w);
	put(w, c);
	if (w->depth >= JE_MAX_DEPTH) {
		w->oom = 1; /* the writers' shapes never nest this deep */
		return;
	}
	w->depth++;
	w->count[w->depth] = 0;
	w->is_arr[w->depth] = (unsigned char)arr;
}

static void close_container(struct je *w, char c)
{
	if (w->depth == 0) {
		w->oom = 1;
		return;
	}
	if (w->count[w->depth]) /* an empty one stays "{}" or "[]" */
		newline_indent(w, w->base + w->depth - 1);
	put(w, c);
	w->depth--;
}

void je_obj_open(struct je *w)
{
	open_container(w, '{', 0);
}

void je_obj_close(struct je *w)
{
	close_container(w, '}');
}

void je_arr_open(struct je *w)
{
	open_container(w, '[', 1);
}

void je_arr_close(struct je *w)
{
	close_container(w, ']');
}

void je_keyn(struct je *w, const char *key, size_t len)
{
	entry(w);
	if (!room(w, len + 4))
		return;
	char *d = w->p + w->n;
	d[0] = '"';
	memcpy(d + 1, key, len);
	memcpy(d + 1 + len, "\": ", 3);
	w->n += len + 4;
}

void je_null(struct je *w)
{
	value(w);
	raw(w, "null", 4);
}

void je_bool(struct je *w, int b)
{
	value(w);
	if (b)
		raw(w, "true", 4);
	else
		raw(w, "false", 5);
}

void je_int(struct je *w, int64_t v)
{
	value(w);
	char b[24], *e = b + sizeof(b), *o = e;
	/* Through unsigned, so INT64_MIN has a magnitude too ("%lld"). */
	uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--o = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	if (v < 0)
		*--o = '-';
	raw(w, o, (size_t)(e - o));
}

void je_count(struct je *w, uint64_t n)
{
	je_int(w, n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n);
}

/* Bytes in the UTF-8 sequence s[0..] starts (1-4), or 0 when it is not a
 * valid one within len bytes: jansson's utf8_check_first/_full rules
 * (no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned char u = s[0];
	size_t size;
	uint32_t v;
	if (u < 0x80)
		return 1;
	if (u >= 0xC2 && u <= 0xDF) {
		size = 2;
		v = u & 0x1F;
	} else if (u >= 0xE0 && u <= 0xEF) {
		size = 3;
		v = u & 0x0F;
	} else if (u >= 0xF0 && u <= 0xF4) {
		size = 4;
		v = u & 0x07;
	} else {
		return 0; /* a continuation byte, C0/C1, F5-FF */
	}
	if (size > len)
		return 0;
	for (size_t i = 1; i < size; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (size == 2 && v < 0x80) ||
	    (size == 3 && v < 0x800) || (size == 4 && v < 0x10000))
		return 0;
	return size;
}

static int utf8_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		/* Runs of ASCII are the common case. */
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t k = utf8_seq(s + i, len - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* jansson's dump_string without flags: '"', '\\' and control characters
 * escaped (the usual short forms, else \u00XX in upper-case hex),
 * everything else (DEL and non-ASCII too) as is. When bad is set, every
 * byte >= 0x80 is written as '?' (rj_str's fallback for invalid UTF-8). */
static void escaped(struct je *w, const unsigned char *s, size_t len, int bad)
{
	static const char hex[] = "0123456789ABCDEF";
	put(w, '"');
	size_t run = 0; /* start of the bytes not yet written */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && !(bad && c >= 0x80))
			continue;
		raw(w, (const char *)s + run, i - run);
		run = i + 1;
		char e[6] = {'\\', 0, 0, 0, 0, 0};
		size_t n = 2;
		switch (c) {
		case '"':
			e[1] = '"';
			break;
		case '\\':
			e[1] = '\\';
			break;
		case '\b':
			e[1] = 'b';
			break;
		case '\f':
			e[1] = 'f';
			break;
		case '\n':
			e[1] = 'n';
			break;
		case '\r':
			e[1] = 'r';
			break;
		case '\t':
			e[1] = 't';
			break;
		default:
			if (c >= 0x80) { /* only when bad */
				e[0] = '?';
				n = 1;
				break;
			}
			e[1] = 'u';
			e[2] = '0';
			e[3] = '0';
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			n = 6;
		}
		raw(w, e, n);
	}
	raw(w, (const char *)s + run, len - run);
	put(w, '"');
}

void je_str(struct je *w, const char *s)
{
	if (!s) {
		je_null(w);
		return;
	}
	value(w);
	size_t len = strlen(s);
	const unsigned char *u = (const unsigned char *)s;
	escaped(w, u, len, !utf8_valid(u, len));
}

/* An ASCII string that needs no escaping (formatted times, addresses). */
static void plain(struct je *w, const char *s)
{
	value(w);
	put(w, '"');
	raw(w, s, strlen(s));
	put(w, '"');
}

void je_time(struct je *w, ss_time t)
{
	if (t == SS_TIME_NONE) {
		je_null(w);
		return;
	}
	char b[SS_ISO_STRLEN];
	ss_time_iso(t, b);
	plain(w, b);
}

void je_ip(struct je *w, const ss_ip *ip)
{
	if (!ip->family) {
		je_null(w);
		return;
	}
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	plain(w, b);
}

void je_mac(struct je *w, int has, const ss_mac *m)
{
	if (!has) {
		je_null(w);
		return;
	}
	char b[SS_MAC_STRLEN];
	ss_mac_format(m, b);
	plain(w, b);
}

void je_proto(struct je *w, uint8_t proto)
{
	char b[8];
	if (proto)
		plain(w, res_proto_name(proto, b));
	else
		je_null(w);
}
