/*
 * tests/helper_jsoncmp.c - comparing a result against a partial expected
 * JSON (the rules are in tests/helper_jsoncmp.h), shared by the jsoncmp
 * tool (tests/tool_jsoncmp.c) and the Check suites that compare a result
 * with a fixture's expected file.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/helper_jsoncmp.h"

#define SUBSET_MARK "...subset"
#define MAX_SHOWN   20

struct ctx {
	int quiet; /* count differences without printing */
	int count;
};

static int match(const json_t *exp, const json_t *act, const char *path, struct ctx *c);

static char *dump(const json_t *v)
{
	char *s;

	if (!v)
		return strdup("(absent)");
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	if (!s)
		return strdup("?");
	if (strlen(s) > 400)
		strcpy(s + 390, " ...");
	return s;
}

static void diff(struct ctx *c, const char *path, const char *what, const json_t *exp,
                 const json_t *act)
{
	char *e, *a;

	c->count++;
	if (c->quiet)
		return;
	e = dump(exp);
	a = dump(act);
	printf("  %s: %s: expected %s, actual %s\n", path, what, e, a);
	free(e);
	free(a);
}

static void note(struct ctx *c, const char *fmt, const char *path, const json_t *v)
{
	char *s;

	if (c->quiet)
		return;
	s = dump(v);
	printf(fmt, path, s);
	free(s);
}

static char *join(const char *path, const char *key, long idx)
{
	size_t n = strlen(path) + (key ? strlen(key) : 0) + 32;
	char *p = malloc(n);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	if (key)
		snprintf(p, n, "%s.%s", path, key);
	else
		snprintf(p, n, "%s[%ld]", path, idx);
	return p;
}

static int is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static int scalar_eq(const json_t *e, const json_t *a)
{
	if (json_is_string(e) && strcmp(json_string_value(e), "*") == 0)
		return a != NULL;
	if (json_is_integer(e)) /* a count written as a real is a bug */
		return json_is_integer(a) && json_integer_value(e) == json_integer_value(a);
	if (json_is_real(e) && json_is_number(a))
		return json_number_value(e) == json_number_value(a);
	if (json_typeof(e) != json_typeof(a))
		return 0;
	if (json_is_string(e))
		return strcmp(json_string_value(e), json_string_value(a)) == 0;
	return 1; /* null, true, false: same type is the same value */
}

static int match_object(const json_t *exp, const json_t *act, const char *path, struct ctx *c)
{
	const char *key;
	json_t *ev;
	int ok = 1;

	if (!json_is_object(act)) {
		diff(c, path, "not an object", exp, act);
		return 0;
	}
	json_object_foreach((json_t *)exp, key, ev)
	{
		json_t *av;
		char *p;

		if (key[0] == '_')
			continue;
		av = json_object_get(act, key);
		p = join(path, key, 0);
		if (!av) {
			diff(c, p, "missing", ev, NULL);
			ok = 0;
		} else if (!match(ev, av, p, c)) {
			ok = 0;
		}
		free(p);
	}
	return ok;
}

/* Kuhn's augmenting path for the bipartite assignment expected -> actual. */
static int augment(size_t i, size_t ne, size_t na, const unsigned char *fits, size_t *owner,
                   unsigned char *seen)
{
	for (size_t j = 0; j < na; j++) {
		if (!fits[i * na + j] || seen[j])
			continue;
		seen[j] = 1;
		if (owner[j] == (size_t)-1 || augment(owner[j], ne, na, fits, owner, seen)) {
			owner[j] = i;
			return 1;
		}
	}
	return 0;
}

static int match_array(const json_t *exp, const json_t *act, const char *path, struct ctx *c)
{
	size_t first = 0, ne, na = json_array_size(act), i, j;
	int subset = 0, all_scalar = 1, ok = 1;
	unsigned char *fits, *seen, *used_e, *used_a;
	size_t *owner;

	if (!json_is_array(act)) {
		diff(c, path, "not an array", exp, act);
		return 0;
	}
	if (json_array_size(exp) > 0 && json_is_string(json_array_get(exp, 0)) &&
	    strcmp(json_string_value(json_array_get(exp, 0)), SUBSET_MARK) == 0) {
		subset = 1;
		first = 1;
	}
	ne = json_array_size(exp) - first;
	for (i = 0; i < ne; i++)
		if (!is_scalar(json_array_get(exp, first + i)))
			all_scalar = 0;

	if (!subset && ne != na) {
		char what[96];

		snprintf(what, sizeof what, "length %zu, expected %zu", na, ne);
		c->count++;
		if (!c->quiet)
			printf("  %s: %s\n", path, what);
		ok = 0;
	}

	fits = calloc(ne * na + 1, 1);
	owner = malloc((na + 1) * sizeof *owner);
	seen = calloc(na + 1, 1);
	used_e = calloc(ne + 1, 1);
	used_a = calloc(na + 1, 1);
	if (!fits || !owner || !seen || !used_e || !used_a) {
		perror("calloc");
		exit(2);
	}
	for (i = 0; i < ne; i++) {
		const json_t *ev = json_array_get(exp, first + i);

		for (j = 0; j < na; j++) {
			struct ctx q = {.quiet = 1, .count = 0};
			const json_t *av = json_array_get(act, j);

			if (all_scalar)
				fits[i * na + j] = is_scalar(av) && scalar_eq(ev, av);
			else
				fits[i * na + j] = (unsigned char)match(ev, av, path, &q);
		}
	}
	for (j = 0; j < na; j++)
		owner[j] = (size_t)-1;
	for (i = 0; i < ne; i++) {
		memset(seen, 0, na + 1);
		augment(i, ne, na, fits, owner, seen);
	}
	for (j = 0; j < na; j++)
		if (owner[j] != (size_t)-1) {
			used_e[owner[j]] = 1;
			used_a[j] = 1;
		}

	/* Expected elements with no partner: show the nearest free candidate. */
	for (i = 0; i < ne; i++) {
		const json_t *ev = json_array_get(exp, first + i);
		char *p;
		size_t best = (size_t)-1;
		int best_count = 0;

		if (used_e[i])
			continue;
		ok = 0;
		p = join(path, NULL, (long)(first + i));
		if (all_scalar || c->quiet) {
			diff(c, p, "no actual element matches", ev, NULL);
			free(p);
			continue;
		}
		for (j = 0; j < na; j++) {
			struct ctx q = {.quiet = 1, .count = 0};

			if (used_a[j])
				continue;
			match(ev, json_array_get(act, j), p, &q);
			if (best == (size_t)-1 || q.count < best_count) {
				best = j;
				best_count = q.count;
			}
		}
		note(c, "  %s: no actual element matches expected %s\n", p, ev);
		if (best != (size_t)-1) {
			char *bp = join(path, NULL, (long)best);

			if (!c->quiet)
				printf("    nearest is actual %s; its differences:\n", bp);
			match(ev, json_array_get(act, best), p, c);
			free(bp);
		} else {
			c->count++;
		}
		free(p);
	}
	/* Actual elements nobody expected (phantoms), in exact mode. */
	if (!subset) {
		size_t shown = 0, extra = 0;

		for (j = 0; j < na; j++) {
			char *p;

			if (used_a[j])
				continue;
			ok = 0;
			extra++;
			if (shown++ >= MAX_SHOWN)
				continue;
			p = join(path, NULL, (long)j);
			c->count++;
			note(c, "  %s: unexpected actual element %s\n", p, json_array_get(act, j));
			free(p);
		}
		if (shown > MAX_SHOWN && !c->quiet)
			printf("  %s: ... and %zu more unexpected elements\n", path,
			       extra - MAX_SHOWN);
	}
	free(fits);
	free(owner);
	free(seen);
	free(used_e);
	free(used_a);
	return ok;
}

static int match(const json_t *exp, const json_t *act, const char *path, struct ctx *c)
{
	if (json_is_string(exp) && strcmp(json_string_value(exp), "*") == 0) {
		if (act)
			return 1;
		diff(c, path, "missing", exp, act);
		return 0;
	}
	if (json_is_object(exp))
		return match_object(exp, act, path, c);
	if (json_is_array(exp))
		return match_array(exp, act, path, c);
	if (!scalar_eq(exp, act)) {
		diff(c, path, "differs", exp, act);
		return 0;
	}
	return 1;
}

int jc_compare(const json_t *expected, const json_t *actual, int quiet)
{
	struct ctx c = {.quiet = quiet, .count = 0};

	match(expected, actual, "$", &c);
	return c.count;
}
