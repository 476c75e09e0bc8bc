/*
 * policy/policy-load.c - reads a policy file, strictly.
 *
 * Two steps. First libyaml's event parser builds a small tree of scalars,
 * sequences and mappings, refusing what a policy never needs and an attacker
 * would use: aliases and anchors (alias bombs), tags, several documents,
 * nesting deeper than POL_MAX_DEPTH and more than POL_MAX_NODES nodes. The
 * tree keeps each node's 1-based line and column. Then the tree is checked
 * key by key against the format of segscan-policy(5). The first problem
 * stops the load and is reported with the position of the offending node:
 * a typo in a firewall-like policy must never be silently ignored.
 *
 * Keys are processed in a fixed order (zones, then assets, then rules) so
 * that rules can name assets wherever they appear in the file.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "common/sha256.h"
#include "policy/policy-internal.h"

#define RULE_NAME_MAX 128

enum { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	int type;
	int line, col; /* 1-based */
	char *s;       /* scalar value, NUL-terminated (embedded NULs are refused) */
	size_t len;
	int plain;          /* plain (unquoted) scalar: may be a YAML null */
	struct ynode **kid; /* sequence items; mapping key, value, key, value... */
	size_t n, cap;
};

struct loader {
	struct policy *p;
	struct pol_error *err;
	const char *buf;
	size_t buflen;
	struct ynode **nodes; /* every node, for freeing */
	size_t n_nodes, cap_nodes;
};

/* ---- errors ---- */

static int verr(struct loader *L, int line, int col, const char *fmt, va_list ap)
{
	L->err->line = line;
	L->err->col = col;
	vsnprintf(L->err->msg, sizeof(L->err->msg), fmt, ap);
	return -1;
}

static int errat(struct loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int errat(struct loader *L, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(L, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int fail(struct loader *L, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct loader *L, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(L, n->line, n->col, fmt, ap);
	va_end(ap);
	return -1;
}

/* A hostile file's text goes into messages printed on a terminal: cut it
 * short and replace control characters. */
static const char *shown(const char *s, char out[64])
{
	size_t i = 0;
	for (; s[i] && i < 48; i++)
		out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
	if (s[i]) {
		/* Do not end inside a UTF-8 sequence. */
		while (i > 0 && ((unsigned char)out[i - 1] & 0xc0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)out[i - 1] & 0xc0) == 0xc0)
			i--;
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

/* ---- step 1: YAML events to a tree ---- */

static struct ynode *node_new(struct loader *L, int type, const yaml_mark_t *m)
{
	if (L->n_nodes >= POL_MAX_NODES)
		return NULL;
	if (L->n_nodes == L->cap_nodes) {
		L->cap_nodes = L->cap_nodes ? L->cap_nodes * 2 : 256;
		L->nodes = xreallocarray(L->nodes, L->cap_nodes, sizeof(*L->nodes));
	}
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->type = type;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	L->nodes[L->n_nodes++] = n;
	return n;
}

static void node_add(struct ynode *parent, struct ynode *kid)
{
	if (parent->n == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->kid = xreallocarray(parent->kid, parent->cap, sizeof(*parent->kid));
	}
	parent->kid[parent->n++] = kid;
}

static void tree_free(struct loader *L)
{
	for (size_t i = 0; i < L->n_nodes; i++) {
		free(L->nodes[i]->s);
		free(L->nodes[i]->kid);
		free(L->nodes[i]);
	}
	free(L->nodes);
	L->nodes = NULL;
	L->n_nodes = L->cap_nodes = 0;
}

static int yaml_error(struct loader *L, const yaml_parser_t *ps)
{
	const char *problem = ps->problem ? ps->problem : "malformed YAML";
	if (ps->error == YAML_READER_ERROR) {
		/* The reader reports a byte offset, not a mark: count lines. */
		size_t off = ps->problem_offset < L->buflen ? ps->problem_offset : L->buflen;
		int line = 1, col = 1;
		for (size_t i = 0; i < off; i++) {
			if (L->buf[i] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)L->buf[i] & 0xc0) != 0x80) {
				col++;
			}
		}
		return errat(L, line, col, "YAML error: %s", problem);
	}
	if (ps->error == YAML_MEMORY_ERROR)
		return errat(L, 0, 0, "out of memory while reading YAML");
	if (ps->context)
		return errat(L, (int)ps->problem_mark.line + 1, (int)ps->problem_mark.column + 1,
		             "YAML syntax error: %s %s", problem, ps->context);
	return errat(L, (int)ps->problem_mark.line + 1, (int)ps->problem_mark.column + 1,
	             "YAML syntax error: %s", problem);
}

static struct ynode *parse_tree(struct loader *L, int *ok)
{
	yaml_parser_t ps;
	yaml_event_t ev;
	struct ynode *stack[POL_MAX_DEPTH];
	int depth = 0, docs = 0;
	struct ynode *root = NULL;
	char tmp[64];

	*ok = 0;
	if (!yaml_parser_initialize(&ps)) {
		errat(L, 0, 0, "out of memory while reading YAML");
		return NULL;
	}
	yaml_parser_set_input_string(&ps, (const unsigned char *)L->buf, L->buflen);
	for (;;) {
		if (!yaml_parser_parse(&ps, &ev)) {
			yaml_error(L, &ps);
			break;
		}
		int done = 0, bad = 0;
		const yaml_mark_t *m = &ev.start_mark;
		int line = (int)m->line + 1, col = (int)m->column + 1;
		const yaml_char_t *anchor = NULL, *tag = NULL;
		int type = -1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				bad = errat(L, line, col,
				            "a policy file holds one YAML document, not several");
			break;
		case YAML_ALIAS_EVENT:
			bad = errat(L, line, col, "YAML aliases are not allowed in a policy (*%s)",
			            shown((const char *)ev.data.alias.anchor, tmp));
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			tag = ev.data.scalar.tag;
			type = YN_SCALAR;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = ev.data.sequence_start.anchor;
			tag = ev.data.sequence_start.tag;
			type = YN_SEQ;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = ev.data.mapping_start.anchor;
			tag = ev.data.mapping_start.tag;
			type = YN_MAP;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		if (!bad && type >= 0) {
			struct ynode *n = NULL;
			if (anchor)
				bad = errat(L, line, col,
				            "YAML anchors are not allowed in a policy (&%s)",
				            shown((const char *)anchor, tmp));
			else if (tag)
				bad = errat(L, line, col,
				            "YAML tags are not allowed in a policy (%s)",
				            shown((const char *)tag, tmp));
			else if (type != YN_SCALAR && depth >= POL_MAX_DEPTH)
				bad = errat(L, line, col, "nesting deeper than %d levels",
				            POL_MAX_DEPTH);
			else if (!(n = node_new(L, type, m)))
				bad = errat(L, line, col, "too many YAML nodes (more than %d)",
				            POL_MAX_NODES);
			else if (type == YN_SCALAR) {
				size_t len = ev.data.scalar.length;
				if (memchr(ev.data.scalar.value, '\0', len))
					bad = errat(L, line, col, "NUL character in a string");
				n->s = xstrndup((const char *)ev.data.scalar.value, len);
				n->len = len;
				n->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			}
			if (n && !bad) {
				if (depth > 0)
					node_add(stack[depth - 1], n);
				else if (!root)
					root = n;
				if (type != YN_SCALAR)
					stack[depth++] = n;
			}
		}
		yaml_event_delete(&ev);
		if (bad)
			break;
		if (done) {
			*ok = 1;
			break;
		}
	}
	yaml_parser_delete(&ps);
	return root;
}

/* ---- step 2: helpers for checking nodes ---- */

static int is_null(const struct ynode *n)
{
	return n->type == YN_SCALAR && n->plain &&
	       (n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
	        strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0);
}

static const char *type_name(const struct ynode *n)
{
	return n->type == YN_MAP ? "a mapping" : n->type == YN_SEQ ? "a list" : "a scalar";
}

/* Checks a mapping's keys against a fixed set: vals[i] gets the value of
 * keys[i] or NULL. Unknown and duplicate keys are errors at the key. */
static int map_fields(struct loader *L, const struct ynode *m, const char *what,
                      const char *const *keys, const struct ynode **vals)
{
	char tmp[64];
	size_t nk = 0;
	while (keys[nk])
		vals[nk++] = NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kid[i];
		if (k->type != YN_SCALAR)
			return fail(L, k, "keys in %s must be plain strings, not %s", what,
			            type_name(k));
		size_t j = 0;
		while (j < nk && strcmp(k->s, keys[j]) != 0)
			j++;
		if (j == nk) {
			char expect[256] = "";
			for (size_t e = 0; e < nk; e++) {
				strncat(expect, keys[e], sizeof(expect) - strlen(expect) - 1);
				if (e + 1 < nk)
					strncat(expect, ", ", sizeof(expect) - strlen(expect) - 1);
			}
			return fail(L, k, "unknown key '%s' in %s (expected %s)", shown(k->s, tmp),
			            what, expect);
		}
		if (vals[j])
			return fail(L, k, "duplicate key '%s' in %s", k->s, what);
		vals[j] = m->kid[i + 1];
	}
	return 0;
}

static int cmp_keynode(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a;
	const struct ynode *y = *(const struct ynode *const *)b;
	int c = strcmp(x->s, y->s);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Duplicate keys of a mapping with user-chosen keys (zone names): sorted,
 * so a hostile file with many keys costs n log n, and the error names the
 * first repeated key in file order. */
static int check_dup_keys(struct loader *L, const struct ynode *m, const char *what)
{
	size_t n = m->n / 2;
	for (size_t i = 0; i < n; i++)
		if (m->kid[2 * i]->type != YN_SCALAR)
			return fail(L, m->kid[2 * i], "keys in %s must be plain strings, not %s",
			            what, type_name(m->kid[2 * i]));
	if (n < 2)
		return 0;
	const struct ynode **k = xcalloc(n, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = m->kid[2 * i];
	qsort(k, n, sizeof(*k), cmp_keynode);
	const struct ynode *best = NULL;
	for (size_t i = 1; i < n; i++) {
		if (strcmp(k[i - 1]->s, k[i]->s) != 0)
			continue;
		if (!best || k[i]->line < best->line ||
		    (k[i]->line == best->line && k[i]->col < best->col))
			best = k[i];
	}
	free(k);
	if (best) {
		char tmp[64];
		return fail(L, best, "duplicate key '%s' in %s", shown(best->s, tmp), what);
	}
	return 0;
}

/* Free text: a scalar without control characters, at most max bytes. */
static int get_text(struct loader *L, const struct ynode *n, const char *what, size_t max,
                    const char **out)
{
	if (n->type != YN_SCALAR)
		return fail(L, n, "%s must be a string, not %s", what, type_name(n));
	if (n->len > max)
		return fail(L, n, "%s is longer than %zu bytes", what, max);
	for (size_t i = 0; i < n->len; i++)
		if ((unsigned char)n->s[i] < 0x20 || n->s[i] == 0x7f)
			return fail(L, n, "control character in %s", what);
	*out = pol_strndup(L->p, n->s, n->len);
	return 0;
}

static int reserved_name(const char *s)
{
	return strcasecmp(s, POL_ZONE_INTERNET) == 0 || strcasecmp(s, POL_ZONE_UNASSIGNED) == 0 ||
	       strcasecmp(s, "any") == 0;
}

/* Zone and asset names: a letter or '_', then letters, digits, '_', '.',
 * '-'. Starting with a letter keeps names apart from addresses in
 * selectors. */
static int check_name(struct loader *L, const struct ynode *n, const char *what)
{
	char tmp[64];
	if (n->type != YN_SCALAR)
		return fail(L, n, "%s must be a string, not %s", what, type_name(n));
	int ok = n->len > 0 && n->len <= POL_NAME_MAX &&
	         (isalpha((unsigned char)n->s[0]) || n->s[0] == '_');
	for (size_t i = 0; ok && i < n->len; i++) {
		unsigned char c = (unsigned char)n->s[i];
		ok = isalnum(c) || c == '_' || c == '.' || c == '-';
	}
	if (!ok)
		return fail(
		    L, n,
		    "bad %s '%s': use 1 to %d letters, digits, '_', '.', '-', starting with a "
		    "letter",
		    what, shown(n->s, tmp), POL_NAME_MAX);
	if (reserved_name(n->s))
		return fail(L, n, "%s '%s' is reserved (internet, unassigned and any are built in)",
		            what, n->s);
	return 0;
}

static int get_uint(struct loader *L, const struct ynode *n, const char *what, unsigned long max,
                    unsigned long *out)
{
	char tmp[64];
	unsigned long v = 0;
	int ok = n->type == YN_SCALAR && n->len > 0 && n->len <= 10;
	for (size_t i = 0; ok && i < n->len; i++) {
		ok = isdigit((unsigned char)n->s[i]);
		v = v * 10 + (unsigned long)(n->s[i] - '0');
	}
	if (!ok)
		return fail(L, n, "%s must be a number, not %s", what,
		            n->type == YN_SCALAR ? shown(n->s, tmp) : type_name(n));
	if (v > max)
		return fail(L, n, "%s %lu is out of range (at most %lu)", what, v, max);
	*out = v;
	return 0;
}

static int get_bool(struct loader *L, const struct ynode *n, const char *what, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", NULL};
	static const char *const no[] = {"false", "no", "off", NULL};
	char tmp[64];
	if (n->type == YN_SCALAR) {
		for (int i = 0; yes[i]; i++)
			if (strcasecmp(n->s, yes[i]) == 0)
				return *out = 1, 0;
		for (int i = 0; no[i]; i++)
			if (strcasecmp(n->s, no[i]) == 0)
				return *out = 0, 0;
	}
	return fail(L, n, "%s must be true or false, not %s", what,
	            n->type == YN_SCALAR ? shown(n->s, tmp) : type_name(n));
}

/* A scalar or a list of scalars, as items. *one holds the scalar case. */
static int get_list(struct loader *L, const struct ynode *n, const char *what,
                    const struct ynode **one, const struct ynode *const **items, size_t *cnt)
{
	if (n->type == YN_MAP)
		return fail(L, n, "%s must be a value or a list, not a mapping", what);
	if (n->type == YN_SCALAR) {
		*one = n;
		*items = one;
		*cnt = 1;
	} else {
		*items = (const struct ynode *const *)n->kid;
		*cnt = n->n;
	}
	if (*cnt == 0)
		return fail(L, n, "%s is an empty list", what);
	for (size_t i = 0; i < *cnt; i++)
		if ((*items)[i]->type != YN_SCALAR)
			return fail(L, (*items)[i], "items of %s must be values, not %s", what,
			            type_name((*items)[i]));
	return 0;
}

/* Parses a network; on host bits set, says which network was meant. */
static int get_prefix(struct loader *L, const struct ynode *n, const char *what, ss_prefix *out)
{
	char tmp[64];
	int r = ss_prefix_parse(n->s, out);
	if (r == 0)
		return 0;
	if (r == -2) {
		char addr[64], fixed[SS_IP_STRLEN];
		const char *slash = strchr(n->s, '/');
		ss_ip ip;
		unsigned long len = slash ? strtoul(slash + 1, NULL, 10) : 0;
		size_t al = slash ? (size_t)(slash - n->s) : 0;
		if (slash && al < sizeof(addr)) {
			memcpy(addr, n->s, al);
			addr[al] = '\0';
			if (ss_ip_parse(addr, &ip) == 0 && len <= ss_ip_bits(&ip)) {
				for (unsigned i = (unsigned)len; i < ss_ip_bits(&ip); i++)
					ip.b[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
				ss_ip_format(&ip, fixed);
				return fail(L, n,
				            "host bits set in %s '%s' (the network is %s/%lu)",
				            what, n->s, fixed, len);
			}
		}
		return fail(L, n, "host bits set in %s '%s'", what, shown(n->s, tmp));
	}
	return fail(L, n, "bad %s '%s' (expected a CIDR like 10.10.0.0/16 or fd00:10::/48)", what,
	            shown(n->s, tmp));
}

/* ---- step 2: the policy ---- */

static int parse_kind(const char *s, enum pol_zone_kind *k)
{
	for (int i = POL_KIND_OFFICE; i <= POL_KIND_OTHER; i++) {
		if (strcmp(s, pol_zone_kind_name((enum pol_zone_kind)i)) == 0) {
			*k = (enum pol_zone_kind)i;
			return 0;
		}
	}
	return -1;
}

static int load_zone(struct loader *L, const struct ynode *key, const struct ynode *val,
                     struct pol_zone *z, size_t zi)
{
	static const char *const keys[] = {"kind", "networks", "vlans", "owner", "probe", NULL};
	enum { K_KIND, K_NETWORKS, K_VLANS, K_OWNER, K_PROBE };
	const struct ynode *v[5];
	struct policy *p = L->p;
	char what[POL_NAME_MAX + 16], tmp[64];

	if (check_name(L, key, "zone name") < 0)
		return -1;
	z->name = pol_strndup(p, key->s, key->len);
	snprintf(what, sizeof(what), "zone '%s'", z->name);
	if (val->type != YN_MAP)
		return fail(L, val, "%s must be a mapping with kind and networks, not %s", what,
		            type_name(val));
	if (map_fields(L, val, what, keys, v) < 0)
		return -1;
	if (!v[K_KIND])
		return fail(L, val,
		            "%s has no 'kind' (office, plant, backup, dmz, server, management, "
		            "guest or other)",
		            what);
	if (v[K_KIND]->type != YN_SCALAR || parse_kind(v[K_KIND]->s, &z->kind) < 0)
		return fail(L, v[K_KIND],
		            "bad kind '%s' for %s (expected office, plant, backup, dmz, server, "
		            "management, guest or other)",
		            v[K_KIND]->type == YN_SCALAR ? shown(v[K_KIND]->s, tmp) : "?", what);
	if (!v[K_NETWORKS] || is_null(v[K_NETWORKS]))
		return fail(L, v[K_NETWORKS] ? v[K_NETWORKS] : val, "%s has no 'networks'", what);

	const struct ynode *one, *const *it;
	size_t cnt;
	if (get_list(L, v[K_NETWORKS], "'networks'", &one, &it, &cnt) < 0)
		return -1;
	ss_prefix *nets = pol_alloc(p, cnt, sizeof(*nets));
	for (size_t i = 0; i < cnt; i++) {
		if (get_prefix(L, it[i], "network", &nets[i]) < 0)
			return -1;
		struct pol_trie *t = nets[i].net.family == 4 ? &p->trie4 : &p->trie6;
		int32_t old = pol_trie_insert(t, &nets[i], (int32_t)zi);
		if (old >= 0)
			return fail(L, it[i], "network %s is already in zone '%s'", it[i]->s,
			            p->zones[old].name);
	}
	z->networks = nets;
	z->n_networks = cnt;

	if (v[K_VLANS] && !is_null(v[K_VLANS])) {
		if (get_list(L, v[K_VLANS], "'vlans'", &one, &it, &cnt) < 0)
			return -1;
		int *vl = pol_alloc(p, cnt, sizeof(*vl));
		for (size_t i = 0; i < cnt; i++) {
			unsigned long x;
			if (get_uint(L, it[i], "VLAN id", 4094, &x) < 0)
				return -1;
			if (x == 0)
				return fail(L, it[i], "VLAN id 0 is not a VLAN (use 1 to 4094)");
			vl[i] = (int)x;
		}
		z->vlans = vl;
		z->n_vlans = cnt;
	}
	if (v[K_OWNER] && !is_null(v[K_OWNER]) &&
	    get_text(L, v[K_OWNER], "'owner'", POL_TEXT_MAX, &z->owner) < 0)
		return -1;
	/* Plant and backup networks are where a probe can stop a machine or
	 * an operator would not expect one: passive unless the user says so. */
	z->probe_allowed = z->kind != POL_KIND_PLANT && z->kind != POL_KIND_BACKUP;
	if (v[K_PROBE]) {
		const struct ynode *pr = v[K_PROBE];
		if (pr->type == YN_SCALAR && strcmp(pr->s, "allow") == 0)
			z->probe_allowed = 1;
		else if (pr->type == YN_SCALAR && strcmp(pr->s, "passive-only") == 0)
			z->probe_allowed = 0;
		else
			return fail(L, pr,
			            "bad probe value '%s' for %s (expected allow or passive-only)",
			            pr->type == YN_SCALAR ? shown(pr->s, tmp) : "?", what);
	}
	return 0;
}

static int load_zones(struct loader *L, const struct ynode *zn)
{
	struct policy *p = L->p;
	if (zn->type != YN_MAP || zn->n == 0)
		return fail(L, zn,
		            "'zones' must be a mapping from zone names to zones, with at least "
		            "one zone");
	if (check_dup_keys(L, zn, "'zones'") < 0)
		return -1;
	p->n_zones = zn->n / 2;
	p->zones = pol_alloc(p, p->n_zones, sizeof(*p->zones));
	size_t total = 0;
	for (size_t i = 0; i < p->n_zones; i++) {
		if (load_zone(L, zn->kid[2 * i], zn->kid[2 * i + 1], &p->zones[i], i) < 0)
			return -1;
		total += p->zones[i].n_networks;
		if (total > POL_MAX_NETWORKS)
			return fail(L, zn->kid[2 * i + 1], "more than %d zone networks",
			            POL_MAX_NETWORKS);
	}
	pol_index_init(&p->zone_names, p->n_zones);
	for (size_t i = 0; i < p->n_zones; i++)
		pol_index_put(&p->zone_names, pol_hash_name(p->zones[i].name), (uint32_t)i);
	return 0;
}

static int load_asset(struct loader *L, const struct ynode *an, size_t ai)
{
	static const char *const keys[] = {"name", "mac", "ip",          "zone", "owner",
	                                   "role", "eol", "dhcp_server", NULL};
	enum { K_NAME, K_MAC, K_IP, K_ZONE, K_OWNER, K_ROLE, K_EOL, K_DHCP };
	const struct ynode *v[8];
	struct policy *p = L->p;
	struct pol_asset *a = &p->assets[ai];
	char what[POL_NAME_MAX + 16], tmp[64];

	if (an->type != YN_MAP)
		return fail(L, an, "an asset must be a mapping with a name and a mac or ip, not %s",
		            type_name(an));
	if (map_fields(L, an, "an asset", keys, v) < 0)
		return -1;
	if (!v[K_NAME])
		return fail(L, an, "asset has no 'name'");
	if (check_name(L, v[K_NAME], "asset name") < 0)
		return -1;
	const char *name = v[K_NAME]->s;
	if (pol_zone_by_name(p, name))
		return fail(L, v[K_NAME], "asset name '%s' is already a zone name", name);
	if (pol_asset_by_name(p, name))
		return fail(L, v[K_NAME], "duplicate asset name '%s'", name);
	a->name = pol_strndup(p, name, strlen(name));
	snprintf(what, sizeof(what), "asset '%s'", a->name);

	if (v[K_MAC] && !is_null(v[K_MAC])) {
		const struct ynode *m = v[K_MAC];
		if (m->type != YN_SCALAR || ss_mac_parse(m->s, &a->mac) != 0)
			return fail(L, m,
			            "bad MAC address '%s' for %s (expected aa:bb:cc:dd:ee:ff)",
			            m->type == YN_SCALAR ? shown(m->s, tmp) : "?", what);
		if (ss_mac_is_multicast(&a->mac) || ss_mac_is_zero(&a->mac))
			return fail(L, m,
			            "MAC address %s of %s is not a device address (multicast, "
			            "broadcast or zero)",
			            m->s, what);
		const struct pol_asset *o = pol_asset_by_mac(p, &a->mac);
		if (o)
			return fail(L, m, "MAC address %s is already registered to asset '%s'",
			            m->s, o->name);
		a->has_mac = 1;
	}
	if (v[K_IP] && !is_null(v[K_IP])) {
		const struct ynode *ipn = v[K_IP];
		if (ipn->type != YN_SCALAR || ss_ip_parse(ipn->s, &a->ip) != 0)
			return fail(L, ipn, "bad IP address '%s' for %s",
			            ipn->type == YN_SCALAR ? shown(ipn->s, tmp) : "?", what);
		const struct pol_asset *o = pol_asset_by_ip(p, &a->ip);
		if (o)
			return fail(L, ipn, "IP address %s is already registered to asset '%s'",
			            ipn->s, o->name);
		a->has_ip = 1;
	}
	if (!a->has_mac && !a->has_ip)
		return fail(L, an, "%s needs a 'mac' or an 'ip'", what);
	if (v[K_ZONE] && !is_null(v[K_ZONE])) {
		const struct ynode *zn = v[K_ZONE];
		const struct pol_zone *z =
		    zn->type == YN_SCALAR ? pol_zone_by_name(p, zn->s) : NULL;
		if (!z)
			return fail(L, zn, "undefined zone '%s' for %s",
			            zn->type == YN_SCALAR ? shown(zn->s, tmp) : "?", what);
		if (a->has_ip) {
			/* An asset whose address is outside its own zone is a typo in
			 * one of the two, and every later check would be wrong. */
			const struct pol_zone *az = pol_zone_find(p, &a->ip);
			char ipbuf[SS_IP_STRLEN];
			ss_ip_format(&a->ip, ipbuf);
			if (az != z)
				return fail(L, zn,
				            "%s has ip %s, which is in %s%s%s, not in zone '%s'",
				            what, ipbuf, az ? "zone '" : "no declared zone",
				            az ? az->name : "", az ? "'" : "", z->name);
		}
		a->zone = z->name;
	}
	if (v[K_OWNER] && !is_null(v[K_OWNER]) &&
	    get_text(L, v[K_OWNER], "'owner'", POL_TEXT_MAX, &a->owner) < 0)
		return -1;
	if (v[K_ROLE] && !is_null(v[K_ROLE])) {
		if (get_text(L, v[K_ROLE], "'role'", POL_NAME_MAX, &a->role_name) < 0)
			return -1;
		if (strcasecmp(a->role_name, "router") == 0)
			a->role = POL_ROLE_ROUTER;
		else if (strcasecmp(a->role_name, "firewall") == 0)
			a->role = POL_ROLE_FIREWALL;
		else
			a->role = POL_ROLE_OTHER;
	}
	if (v[K_EOL] && get_bool(L, v[K_EOL], "'eol'", &a->eol) < 0)
		return -1;
	if (v[K_DHCP] && get_bool(L, v[K_DHCP], "'dhcp_server'", &a->dhcp_server) < 0)
		return -1;

	/* Index as we go so later assets are checked for duplicates. */
	pol_index_put(&p->asset_names, pol_hash_name(a->name), (uint32_t)ai);
	if (a->has_ip)
		pol_index_put(&p->asset_ips, ss_ip_hash(&a->ip), (uint32_t)ai);
	if (a->has_mac)
		pol_index_put(&p->asset_macs, ss_mac_hash(&a->mac), (uint32_t)ai);
	p->n_assets = ai + 1;
	return 0;
}

static int load_assets(struct loader *L, const struct ynode *n)
{
	struct policy *p = L->p;
	size_t cnt = 0;
	if (n && !is_null(n)) {
		if (n->type != YN_SEQ)
			return fail(L, n, "'assets' must be a list of assets, not %s",
			            type_name(n));
		cnt = n->n;
	}
	p->assets = pol_alloc(p, cnt, sizeof(*p->assets));
	pol_index_init(&p->asset_names, cnt);
	pol_index_init(&p->asset_ips, cnt);
	pol_index_init(&p->asset_macs, cnt);
	for (size_t i = 0; i < cnt; i++)
		if (load_asset(L, n->kid[i], i) < 0)
			return -1;
	return 0;
}

/* Selectors: "any", a zone (declared or built in), an asset, or an
 * address/CIDR. Names start with a letter or '_' and addresses never do
 * (except IPv6 ones, which hold a ':'), so the two cannot be confused. */
static int load_sel(struct loader *L, const struct ynode *n, const char *key, const char *rule,
                    struct pol_sel *out)
{
	struct policy *p = L->p;
	char what[RULE_NAME_MAX + 32], tmp[64];
	snprintf(what, sizeof(what), "'%s' of rule '%s'", key, rule);
	const struct ynode *one, *const *it;
	size_t cnt;
	if (get_list(L, n, what, &one, &it, &cnt) < 0)
		return -1;
	out->it = pol_alloc(p, cnt, sizeof(*out->it));
	out->n = cnt;
	for (size_t i = 0; i < cnt; i++) {
		const char *s = it[i]->s;
		struct pol_sel_item *si = &out->it[i];
		const struct pol_zone *z;
		const struct pol_asset *a;
		if (is_null(it[i]))
			return fail(L, it[i], "empty selector in %s", what);
		if (isdigit((unsigned char)s[0]) || strchr(s, ':') || strchr(s, '/')) {
			si->kind = POL_SEL_PREFIX;
			if (get_prefix(L, it[i], "CIDR", &si->pfx) < 0)
				return -1;
		} else if (strcasecmp(s, "any") == 0) {
			si->kind = POL_SEL_ANY;
		} else if (strcmp(s, POL_ZONE_INTERNET) == 0) {
			si->kind = POL_SEL_ZONE;
			si->zone = POL_ZONE_INTERNET;
		} else if (strcmp(s, POL_ZONE_UNASSIGNED) == 0) {
			si->kind = POL_SEL_ZONE;
			si->zone = POL_ZONE_UNASSIGNED;
		} else if ((z = pol_zone_by_name(p, s))) {
			si->kind = POL_SEL_ZONE;
			si->zone = z->name;
		} else if ((a = pol_asset_by_name(p, s))) {
			si->kind = POL_SEL_ASSET;
			si->asset = (size_t)(a - p->assets);
		} else {
			return fail(L, it[i], "undefined zone or asset '%s' in %s", shown(s, tmp),
			            what);
		}
	}
	return 0;
}

static int load_rule(struct loader *L, const struct ynode *rn, int forbid, size_t idx,
                     struct pol_rule *r)
{
	static const char *const allow_keys[] = {"name",     "from",     "to",
	                                         "services", "schedule", NULL};
	static const char *const forbid_keys[] = {"name",     "from",     "to",
	                                          "services", "severity", NULL};
	enum { K_NAME, K_FROM, K_TO, K_SERVICES, K_EXTRA };
	const struct ynode *v[5];
	struct policy *p = L->p;
	const char *list = forbid ? "forbid" : "allow";
	char tmp[64];

	if (rn->type != YN_MAP)
		return fail(L, rn, "an %s rule must be a mapping with from and to, not %s", list,
		            type_name(rn));
	if (map_fields(L, rn, forbid ? "a forbid rule" : "an allow rule",
	               forbid ? forbid_keys : allow_keys, v) < 0)
		return -1;
	if (v[K_NAME] && !is_null(v[K_NAME])) {
		if (get_text(L, v[K_NAME], "rule name", RULE_NAME_MAX, &r->name) < 0)
			return -1;
		if (!r->name[0])
			return fail(L, v[K_NAME], "empty rule name");
	} else {
		/* Unnamed rules still need a name in reports. */
		char gen[32];
		snprintf(gen, sizeof(gen), "%s #%zu", list, idx + 1);
		r->name = pol_strndup(p, gen, strlen(gen));
	}
	if (!v[K_FROM])
		return fail(L, rn, "rule '%s' has no 'from'", r->name);
	if (!v[K_TO])
		return fail(L, rn, "rule '%s' has no 'to'", r->name);
	if (load_sel(L, v[K_FROM], "from", r->name, &r->from) < 0 ||
	    load_sel(L, v[K_TO], "to", r->name, &r->to) < 0)
		return -1;
	if (v[K_SERVICES] && !is_null(v[K_SERVICES])) {
		const struct ynode *one, *const *it;
		size_t cnt;
		if (get_list(L, v[K_SERVICES], "'services'", &one, &it, &cnt) < 0)
			return -1;
		r->svc = pol_alloc(p, cnt, POL_SVC_PER_NAME * sizeof(*r->svc));
		for (size_t i = 0; i < cnt; i++) {
			char msg[256];
			long k = pol_svc_parse(p, it[i]->s, r->svc + r->n_svc, POL_SVC_PER_NAME,
			                       msg, sizeof(msg));
			if (k < 0)
				return fail(L, it[i], "%s", msg);
			r->n_svc += (size_t)k;
		}
	}
	r->severity = POL_SEV_HIGH;
	if (v[K_EXTRA] && forbid) {
		const struct ynode *sv = v[K_EXTRA];
		if (sv->type != YN_SCALAR || pol_severity_parse(sv->s, &r->severity) != 0)
			return fail(L, sv,
			            "bad severity '%s' (expected critical, high, medium or low)",
			            sv->type == YN_SCALAR ? shown(sv->s, tmp) : "?");
	}
	if (v[K_EXTRA] && !forbid && !is_null(v[K_EXTRA])) {
		const struct ynode *sc = v[K_EXTRA];
		char msg[256];
		if (sc->type != YN_SCALAR)
			return fail(L, sc,
			            "'schedule' must be a string like \"mon-fri 08:00-18:00\"");
		if (sc->len > POL_TEXT_MAX * 4)
			return fail(L, sc, "'schedule' is too long");
		if (pol_sched_parse(p, sc->s, &r->sched, msg, sizeof(msg)) < 0)
			return fail(L, sc, "%s", msg);
	}
	return 0;
}

static int load_rules(struct loader *L, const struct ynode *n, int forbid, struct pol_rule **out,
                      size_t *nout)
{
	size_t cnt = 0;
	if (n && !is_null(n)) {
		if (n->type != YN_SEQ)
			return fail(L, n, "'%s' must be a list of rules, not %s",
			            forbid ? "forbid" : "allow", type_name(n));
		cnt = n->n;
	}
	*out = pol_alloc(L->p, cnt, sizeof(**out));
	for (size_t i = 0; i < cnt; i++) {
		if (load_rule(L, n->kid[i], forbid, i, &(*out)[i]) < 0)
			return -1;
		*nout = i + 1;
	}
	return 0;
}

static int load_root(struct loader *L, const struct ynode *root)
{
	static const char *const keys[] = {"version", "site",   "zones",  "default",
	                                   "allow",   "forbid", "assets", NULL};
	enum { K_VERSION, K_SITE, K_ZONES, K_DEFAULT, K_ALLOW, K_FORBID, K_ASSETS };
	const struct ynode *v[7];
	struct policy *p = L->p;
	char tmp[64];

	if (!root || is_null(root))
		return errat(L, 1, 1,
		             "empty policy: expected a mapping with 'version' and 'zones'");
	if (root->type != YN_MAP)
		return fail(L, root,
		            "a policy must be a mapping with 'version' and 'zones', not %s",
		            type_name(root));
	if (map_fields(L, root, "the policy", keys, v) < 0)
		return -1;
	if (!v[K_VERSION])
		return fail(L, root, "missing required key 'version' (write version: 1)");
	unsigned long ver;
	if (get_uint(L, v[K_VERSION], "'version'", 999999, &ver) < 0)
		return -1;
	if (ver != 1)
		return fail(L, v[K_VERSION],
		            "unsupported policy version %lu (this segscan reads version 1)", ver);
	if (!v[K_ZONES] || is_null(v[K_ZONES]))
		return fail(L, v[K_ZONES] ? v[K_ZONES] : root, "missing required key 'zones'");
	if (v[K_SITE] && !is_null(v[K_SITE]) &&
	    get_text(L, v[K_SITE], "'site'", POL_TEXT_MAX, &p->site) < 0)
		return -1;
	if (load_zones(L, v[K_ZONES]) < 0)
		return -1;
	/* Deny by default: a segmentation policy that forgets this line should
	 * err on the side of reporting. */
	p->default_allow = 0;
	if (v[K_DEFAULT]) {
		const struct ynode *d = v[K_DEFAULT];
		if (d->type == YN_SCALAR && strcmp(d->s, "allow") == 0)
			p->default_allow = 1;
		else if (!(d->type == YN_SCALAR && strcmp(d->s, "deny") == 0))
			return fail(L, d, "bad default '%s' (expected deny or allow)",
			            d->type == YN_SCALAR ? shown(d->s, tmp) : "?");
	}
	if (load_assets(L, v[K_ASSETS]) < 0)
		return -1;
	if (load_rules(L, v[K_FORBID], 1, &p->forbid, &p->n_forbid) < 0)
		return -1;
	if (load_rules(L, v[K_ALLOW], 0, &p->allow, &p->n_allow) < 0)
		return -1;
	return 0;
}

/* ---- public ---- */

struct policy *pol_load_buffer(const char *name, const char *buf, size_t len, struct pol_error *err)
{
	struct pol_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	if (!name)
		name = "(policy)";
	snprintf(err->file, sizeof(err->file), "%s", name);
	if (!buf) {
		snprintf(err->msg, sizeof(err->msg), "no policy data");
		return NULL;
	}
	if (len > POL_MAX_FILE) {
		snprintf(err->msg, sizeof(err->msg), "policy file is larger than %zu MiB",
		         POL_MAX_FILE >> 20);
		return NULL;
	}
	struct policy *p = xcalloc(1, sizeof(*p));
	p->path = xstrdup(name);
	ss_sha256_hex(buf, len, p->sha256);
	struct loader L = {.p = p, .err = err, .buf = buf, .buflen = len};
	int ok;
	const struct ynode *root = parse_tree(&L, &ok);
	int rc = ok ? load_root(&L, root) : -1;
	tree_free(&L);
	if (rc < 0) {
		pol_free(p);
		return NULL;
	}
	return p;
}

struct policy *pol_load_file(const char *path, struct pol_error *err)
{
	struct pol_error dummy;
	if (!err)
		err = &dummy;
	memset(err, 0, sizeof(*err));
	snprintf(err->file, sizeof(err->file), "%s", path ? path : "(null)");
	if (!path) {
		snprintf(err->msg, sizeof(err->msg), "no policy file given");
		return NULL;
	}
	size_t len = 0;
	errno = 0;
	char *buf = ss_read_file(path, POL_MAX_FILE, &len);
	if (!buf) {
		if (errno == EFBIG)
			snprintf(err->msg, sizeof(err->msg), "policy file is larger than %zu MiB",
			         POL_MAX_FILE >> 20);
		else
			snprintf(err->msg, sizeof(err->msg), "cannot read: %s", strerror(errno));
		return NULL;
	}
	struct policy *p = pol_load_buffer(path, buf, len, err);
	free(buf);
	return p;
}

void pol_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->arena.n; i++)
		free(p->arena.blk[i]);
	free(p->arena.blk);
	pol_trie_free(&p->trie4);
	pol_trie_free(&p->trie6);
	pol_index_free(&p->zone_names);
	pol_index_free(&p->asset_names);
	pol_index_free(&p->asset_ips);
	pol_index_free(&p->asset_macs);
	free(p->path);
	free(p);
}

const char *pol_path(const struct policy *p)
{
	return p ? p->path : NULL;
}

const char *pol_sha256(const struct policy *p)
{
	return p ? p->sha256 : NULL;
}

const char *pol_site(const struct policy *p)
{
	return p ? p->site : NULL;
}
