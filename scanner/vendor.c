/*
 * scanner/vendor.c - parse the IEEE registry CSV files into three sorted
 * prefix tables and binary-search them longest prefix first.
 *
 * CSV lines are "Registry,Assignment,Organization Name,Organization Address"
 * with RFC 4180 quoting; only the first three fields are used.
 */
#include "scanner/vendor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

struct vent {
	uint64_t prefix; /* assignment value, right-aligned */
	uint32_t name;   /* offset into names */
};

struct vtable {
	struct vent *e;
	size_t n, cap;
};

struct vendor_db {
	struct vtable t24, t28, t36;
	char *names;
	size_t names_len, names_cap;
};

/* Splits one CSV record's first three fields into out[] (unquoted, in
 * place). Returns the number of fields found. */
static int csv_fields(char *line, char *out[3])
{
	int n = 0;
	char *p = line;
	while (n < 3 && *p) {
		if (*p == '"') {
			/* Runs between quotes move with strchr/memmove rather than a
			 * byte at a time: 46k names are unquoted at every start. */
			char *w = ++p, *start = p;
			for (;;) {
				char *q = strchr(p, '"');
				size_t run = q ? (size_t)(q - p) : strlen(p);
				memmove(w, p, run);
				w += run;
				p += run;
				if (!q)
					break;
				if (q[1] == '"') {
					*w++ = '"';
					p += 2;
				} else {
					p++;
					break;
				}
			}
			char *after = p;
			*w = '\0';
			out[n++] = start;
			p = after;
			while (*p && *p != ',')
				p++;
			if (*p == ',')
				p++;
		} else {
			out[n++] = p;
			p += strcspn(p, ",\n\r");
			if (*p == ',') {
				*p++ = '\0';
			} else {
				*p = '\0';
				break;
			}
		}
	}
	return n;
}

static uint32_t add_name(struct vendor_db *db, const char *s)
{
	/* Trim trailing blanks the registry sometimes carries. */
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ','))
		n--; /* "Siemens AG," as registered */
	if (db->names_len + n + 1 > db->names_cap) {
		db->names_cap = (db->names_cap + n + 1) * 2;
		db->names = xreallocarray(db->names, db->names_cap, 1);
	}
	uint32_t off = (uint32_t)db->names_len;
	memcpy(db->names + off, s, n);
	db->names[off + n] = '\0';
	db->names_len += n + 1;
	return off;
}

static void tadd(struct vtable *t, uint64_t prefix, uint32_t name)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->e = xreallocarray(t->e, t->cap, sizeof(*t->e));
	}
	t->e[t->n].prefix = prefix;
	t->e[t->n].name = name;
	t->n++;
}

/* Stable LSD radix sort of t by prefix, 12 bits a pass (2 passes for the
 * 24-bit table, 3 for the 28- and 36-bit ones). Stable on purpose: the
 * registry repeats a few assignments (oui.csv lists 080030 three times)
 * and tfind() lands on one of the equal entries by position, so equal
 * keys must keep file order exactly as the stable qsort (glibc's merge
 * sort) this replaces did, or a different organisation name would show.
 * O(n) instead of ~530k comparison callbacks at every start. The passes
 * run up to the highest key bit, so a value wider than its column (only
 * possible through the strtoull fallback) still sorts right. */
static void tsort(struct vtable *t)
{
	if (t->n < 2)
		return;
	uint64_t maxkey = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].prefix > maxkey)
			maxkey = t->e[i].prefix;
	struct vent *tmp = xreallocarray(NULL, t->n, sizeof(*tmp));
	struct vent *src = t->e, *dst = tmp;
	size_t *cnt = xcalloc(4096, sizeof(size_t));
	for (unsigned shift = 0; shift < 64 && (maxkey >> shift); shift += 12) {
		memset(cnt, 0, 4096 * sizeof(size_t));
		for (size_t i = 0; i < t->n; i++)
			cnt[(src[i].prefix >> shift) & 0xfff]++;
		size_t sum = 0;
		for (size_t b = 0; b < 4096; b++) {
			size_t c = cnt[b];
			cnt[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < t->n; i++)
			dst[cnt[(src[i].prefix >> shift) & 0xfff]++] = src[i];
		struct vent *sw = src;
		src = dst;
		dst = sw;
	}
	if (src != t->e) /* odd number of passes: the result is in tmp */
		memcpy(t->e, src, t->n * sizeof(*src));
	free(cnt);
	free(tmp);
}

/* Hex digit value, or -1. */
static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Parses an assignment of plain hex digits without strtoull's locale and
 * prefix handling (46k calls at every start). Returns -1 for anything
 * else, and the caller then falls back to strtoull so that the odd
 * spelling strtoull accepts (" 0x1A2B", "+1A2B3C") is read as before. */
static int parse_hex(const char *s, unsigned long long *v)
{
	unsigned long long x = 0;
	for (; *s; s++) {
		int d = hexval((unsigned char)*s);
		if (d < 0)
			return -1;
		x = (x << 4) | (unsigned)d;
	}
	*v = x;
	return 0;
}

static size_t load_csv(struct vendor_db *db, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[1024];
	size_t n = 0;
	while (fgets(line, sizeof(line), f)) {
		char *fld[3];
		if (csv_fields(line, fld) < 3)
			continue;
		size_t hex = strlen(fld[1]);
		if (hex != 6 && hex != 7 && hex != 9)
			continue; /* header line and anything unexpected */
		unsigned long long v;
		if (parse_hex(fld[1], &v) < 0) {
			char *end;
			v = strtoull(fld[1], &end, 16);
			if (*end)
				continue;
		}
		uint32_t name = add_name(db, fld[2]);
		tadd(hex == 6 ? &db->t24 : hex == 7 ? &db->t28 : &db->t36, v, name);
		n++;
	}
	fclose(f);
	return n;
}

struct vendor_db *vnd_load(const char *dir, size_t *loaded)
{
	struct vendor_db *db = xcalloc(1, sizeof(*db));
	if (!dir)
		dir = getenv("SEGSCAN_IEEE_DIR");
	if (!dir || !*dir)
		dir = VENDOR_DEFAULT_DIR;
	static const char *files[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
	size_t total = 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		total += load_csv(db, path);
	}
	tsort(&db->t24);
	tsort(&db->t28);
	tsort(&db->t36);
	if (loaded)
		*loaded = total;
	return db;
}

void vnd_free(struct vendor_db *db)
{
	if (!db)
		return;
	free(db->t24.e);
	free(db->t28.e);
	free(db->t36.e);
	free(db->names);
	free(db);
}

static const char *tfind(const struct vendor_db *db, const struct vtable *t, uint64_t key)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->e[mid].prefix < key)
			lo = mid + 1;
		else if (t->e[mid].prefix > key)
			hi = mid;
		else
			return db->names + t->e[mid].name;
	}
	return NULL;
}

const char *vnd_lookup(const struct vendor_db *db, const ss_mac *mac)
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | mac->b[i];
	const char *r = tfind(db, &db->t36, v >> 12);
	if (!r)
		r = tfind(db, &db->t28, v >> 20);
	if (!r)
		r = tfind(db, &db->t24, v >> 24);
	return r;
}
