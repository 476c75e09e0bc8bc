/*
 * model/result-load.c - reads a saved JSON result back into the result
 * model, strictly, for `segscan report`, `diff` and `merge`.
 *
 * Everything report-json.c writes is read back, so a result survives a
 * write/load round trip unchanged. The spec's fields are required with
 * their types; fields the writer adds beyond the spec are optional; fields
 * nobody knows are ignored (a newer segscan may add some), but a known
 * field with the wrong type or value is an error.
 *
 * Errors are "FILE:LINE:COLUMN: message". Syntax errors (including invalid
 * UTF-8 and duplicate keys) carry jansson's own position. jansson keeps no
 * positions for the values of a parsed document, so a semantic error (valid
 * JSON, a wrong field) is located afterwards: the loader tracks the JSON
 * path of the value it is checking (hosts[3].ips[0]) and, only when it
 * fails, a small scanner walks the same bytes along that path to the start
 * of the offending value (or of the object that lacks a field). Columns
 * count characters, as jansson's do.
 *
 * Hostile input: a regular file is capped at RES_MAX_FILE bytes, anything
 * else (pipe, device) at RES_MAX_STREAM; reading stops at the first byte
 * that cannot start or continue JSON (a NUL, a control character in a
 * string, a binary file), so /dev/zero fails at its first byte; jansson's
 * messages lose the text they quote (never echoed back); nesting deeper
 * than RES_MAX_DEPTH is refused (jansson itself stops at 2048 levels, and
 * the depth check runs before the tree is walked), integers beyond 64 bits
 * are jansson syntax errors, and numbers must fit their fields.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/result.h"
#include "policy/policy.h"

#define RES_MAX_FILE   ((size_t)512 << 20)
#define RES_MAX_STREAM ((size_t)16 << 20) /* from a pipe or a device */
#define RES_MAX_DEPTH  32                 /* a result needs 5; leave room for extensions */
#define PATH_MAX_SEGS  8

struct pseg {
	const char *key; /* object member, or NULL for an array index */
	size_t idx;
};

struct loader {
	const char *file;
	const char *buf;
	size_t len;
	char *err;
	size_t errsz;
	struct pseg path[PATH_MAX_SEGS];
	size_t depth;
	int failed;
};

/* ---- locating a value in the text ---- */

struct cur {
	const char *p, *end;
	int line, col; /* of the next character, 1-based */
};

static void cur_adv(struct cur *c)
{
	unsigned char ch = (unsigned char)*c->p++;
	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xc0) != 0x80) {
		/* A UTF-8 continuation byte belongs to the previous column. */
		c->col++;
	}
}

static void cur_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		cur_adv(c);
}

/* Skips a string starting at its opening quote. When key is not NULL,
 * decodes the string into it (at most keysz-1 bytes; non-ASCII escapes
 * become 0xff, which matches no key the loader asks for). */
static void cur_string(struct cur *c, char *key, size_t keysz)
{
	size_t k = 0;
	int overflow = 0;
	cur_adv(c); /* opening quote */
	while (c->p < c->end && *c->p != '"') {
		char out = *c->p;
		if (*c->p == '\\' && c->p + 1 < c->end) {
			cur_adv(c);
			char e = *c->p;
			out = e == 'n'   ? '\n'
			      : e == 't' ? '\t'
			      : e == 'r' ? '\r'
			      : e == 'b' ? '\b'
			      : e == 'f' ? '\f'
			                 : e;
			if (e == 'u') {
				unsigned v = 0;
				int ok = 1;
				for (int i = 0; i < 4; i++) {
					if (c->p + 1 >= c->end) {
						ok = 0;
						break;
					}
					cur_adv(c);
					char h = *c->p;
					v = v * 16 +
					    (unsigned)(h >= '0' && h <= '9'   ? h - '0'
					               : h >= 'a' && h <= 'f' ? h - 'a' + 10
					               : h >= 'A' && h <= 'F' ? h - 'A' + 10
					                                      : 0);
				}
				out = ok && v > 0 && v < 0x80 ? (char)v : (char)0xff;
			}
		}
		if (key) {
			if (k + 1 < keysz)
				key[k++] = out;
			else
				overflow = 1;
		}
		cur_adv(c);
	}
	if (c->p < c->end)
		cur_adv(c); /* closing quote */
	if (key) {
		if (overflow) /* longer than any known key: must not match */
			k = 0, key[k++] = (char)0xff;
		key[k] = '\0';
	}
}

/* Skips one value of a document already known to be valid JSON. */
static void cur_skip_value(struct cur *c)
{
	if (c->p >= c->end)
		return;
	if (*c->p == '"') {
		cur_string(c, NULL, 0);
		return;
	}
	if (*c->p == '{' || *c->p == '[') {
		size_t depth = 0;
		while (c->p < c->end) {
			char ch = *c->p;
			if (ch == '"') {
				cur_string(c, NULL, 0);
				continue;
			}
			if (ch == '{' || ch == '[')
				depth++;
			else if (ch == '}' || ch == ']')
				depth--;
			cur_adv(c);
			if (depth == 0)
				return;
		}
		return;
	}
	while (c->p < c->end && !strchr(",}] \t\r\n", *c->p))
		cur_adv(c);
}

/* Moves c from the start of a container to the start of member key or
 * element idx. Returns 0, or -1 when absent (c then unspecified). */
static int cur_enter(struct cur *c, const struct pseg *seg)
{
	if (c->p >= c->end)
		return -1;
	char open = *c->p;
	if ((seg->key && open != '{') || (!seg->key && open != '['))
		return -1;
	cur_adv(c);
	for (size_t i = 0;; i++) {
		cur_ws(c);
		if (c->p >= c->end || *c->p == '}' || *c->p == ']')
			return -1;
		if (seg->key) {
			char key[64];
			cur_string(c, key, sizeof(key));
			cur_ws(c);
			if (c->p < c->end && *c->p == ':')
				cur_adv(c);
			cur_ws(c);
			if (strcmp(key, seg->key) == 0)
				return 0;
		} else if (i == seg->idx) {
			return 0;
		}
		cur_skip_value(c);
		cur_ws(c);
		if (c->p < c->end && *c->p == ',')
			cur_adv(c);
	}
}

/* Line and column of the value at path (as deep as it can be followed). */
static void locate(const char *buf, size_t len, const struct pseg *path, size_t n, int *line,
                   int *col)
{
	struct cur c = {buf, buf + len, 1, 1};
	cur_ws(&c);
	*line = c.line;
	*col = c.col;
	for (size_t i = 0; i < n; i++) {
		if (cur_enter(&c, &path[i]) != 0)
			return;
		*line = c.line;
		*col = c.col;
	}
}

/* Position of the first container opened deeper than max; 0 if none. */
static int find_too_deep(const char *buf, size_t len, size_t max, int *line, int *col)
{
	struct cur c = {buf, buf + len, 1, 1};
	size_t depth = 0;
	while (c.p < c.end) {
		char ch = *c.p;
		if (ch == '"') {
			cur_string(&c, NULL, 0);
			continue;
		}
		if (ch == '{' || ch == '[') {
			if (++depth > max) {
				*line = c.line;
				*col = c.col;
				return 1;
			}
		} else if ((ch == '}' || ch == ']') && depth) {
			depth--;
		}
		cur_adv(&c);
	}
	return 0;
}

/* ---- errors ---- */

static void path_text(const struct loader *L, char *out, size_t sz)
{
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < L->depth && n + 1 < sz; i++) {
		const struct pseg *s = &L->path[i];
		if (s->key)
			snprintf(out + n, sz - n, "%s%s", i ? "." : "", s->key);
		else
			snprintf(out + n, sz - n, "[%zu]", s->idx);
		n = strlen(out);
	}
}

/* Records the first error, at the value the current path names. */
__attribute__((format(printf, 2, 3))) static int fail(struct loader *L, const char *fmt, ...)
{
	if (L->failed)
		return -1;
	L->failed = 1;
	int line, col;
	locate(L->buf, L->len, L->path, L->depth, &line, &col);
	char where[256], msg[512];
	path_text(L, where, sizeof(where));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!L->buf) /* a parsed tree (res_load_json_tree): no text to place it in */
		snprintf(L->err, L->errsz, "%s: %s%s%s", L->file, where, where[0] ? ": " : "", msg);
	else
		snprintf(L->err, L->errsz, "%s:%d:%d: %s%s%s", L->file, line, col, where,
		         where[0] ? ": " : "", msg);
	return -1;
}

static void push_key(struct loader *L, const char *key)
{
	if (L->depth < PATH_MAX_SEGS)
		L->path[L->depth] = (struct pseg){key, 0};
	L->depth++;
}

static void push_idx(struct loader *L, size_t idx)
{
	if (L->depth < PATH_MAX_SEGS)
		L->path[L->depth] = (struct pseg){NULL, idx};
	L->depth++;
}

static void pop(struct loader *L)
{
	L->depth--;
}

static const char *jtype(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "?";
}

/* ---- typed fields: each pushes its key, checks, pops ---- */

enum { OPTIONAL = 0, REQUIRED = 1 };
enum { NOT_NULL = 0, NULLABLE = 1 };

/* The member or NULL; a missing required member is an error reported at
 * the enclosing object. Returns -1 on error. */
static int member(struct loader *L, const json_t *obj, const char *key, int required, json_t **out)
{
	*out = json_object_get(obj, key);
	if (!*out && required)
		return fail(L, "missing field '%s'", key);
	return 0;
}

static int get_str(struct loader *L, const json_t *obj, const char *key, int required, int nullable,
                   char **out)
{
	json_t *v;
	if (member(L, obj, key, required, &v) < 0)
		return -1;
	if (!v)
		return 0;
	push_key(L, key);
	int rc = 0;
	if (json_is_string(v)) {
		free(*out);
		*out = xstrdup(json_string_value(v));
	} else if (!(nullable && json_is_null(v))) {
		rc = fail(L, "must be a string%s, not %s", nullable ? " or null" : "", jtype(v));
	}
	pop(L);
	return rc;
}

static int get_uint(struct loader *L, const json_t *obj, const char *key, int required,
                    uint64_t max, uint64_t *out, int *is_null)
{
	json_t *v;
	if (member(L, obj, key, required, &v) < 0)
		return -1;
	if (is_null)
		*is_null = !v || json_is_null(v);
	if (!v || (is_null && json_is_null(v)))
		return 0;
	push_key(L, key);
	int rc = 0;
	if (!json_is_integer(v))
		rc = fail(L, "must be an integer%s, not %s", is_null ? " or null" : "", jtype(v));
	else if (json_integer_value(v) < 0)
		rc = fail(L, "must not be negative (%lld)", (long long)json_integer_value(v));
	else if ((uint64_t)json_integer_value(v) > max)
		rc = fail(L, "%lld is out of range (0-%llu)", (long long)json_integer_value(v),
		          (unsigned long long)max);
	else
		*out = (uint64_t)json_integer_value(v);
	pop(L);
	return rc;
}

/* Booleans: *out 1/0, or -1 for null when nullable. */
static int get_bool(struct loader *L, const json_t *obj, const char *key, int required,
                    int nullable, int *out)
{
	json_t *v;
	if (member(L, obj, key, required, &v) < 0)
		return -1;
	if (!v)
		return 0;
	push_key(L, key);
	int rc = 0;
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (nullable && json_is_null(v))
		*out = -1;
	else
		rc = fail(L, "must be true or false%s, not %s", nullable ? " or null" : "",
		          jtype(v));
	pop(L);
	return rc;
}

static int get_time(struct loader *L, const json_t *obj, const char *key, int required,
                    ss_time *out)
{
	json_t *v;
	if (member(L, obj, key, required, &v) < 0)
		return -1;
	*out = SS_TIME_NONE;
	if (!v || json_is_null(v))
		return 0;
	push_key(L, key);
	int rc = 0;
	if (!json_is_string(v))
		rc = fail(L, "must be an ISO-8601 time string or null, not %s", jtype(v));
	else if (ss_time_parse_iso(json_string_value(v), out) != 0)
		rc =
		    fail(L, "bad time '%.64s' (expected ISO-8601 such as 2024-01-02T03:04:05.678Z)",
		         json_string_value(v));
	pop(L);
	return rc;
}

/* An address value already pushed on the path. */
static int ip_value(struct loader *L, const json_t *v, int nullable, ss_ip *out)
{
	memset(out, 0, sizeof(*out));
	if (nullable && json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(L, "must be an IP address string%s, not %s", nullable ? " or null" : "",
		            jtype(v));
	if (ss_ip_parse(json_string_value(v), out) != 0)
		return fail(L, "bad IP address '%.64s'", json_string_value(v));
	return 0;
}

static int get_ip(struct loader *L, const json_t *obj, const char *key, int nullable, ss_ip *out)
{
	json_t *v;
	if (member(L, obj, key, REQUIRED, &v) < 0)
		return -1;
	push_key(L, key);
	int rc = ip_value(L, v, nullable, out);
	pop(L);
	return rc;
}

static int get_mac(struct loader *L, const json_t *obj, const char *key, int *has, ss_mac *out)
{
	json_t *v;
	if (member(L, obj, key, REQUIRED, &v) < 0)
		return -1;
	*has = 0;
	if (json_is_null(v))
		return 0;
	push_key(L, key);
	int rc = 0;
	if (!json_is_string(v))
		rc = fail(L, "must be a MAC address string or null, not %s", jtype(v));
	else if (ss_mac_parse(json_string_value(v), out) != 0)
		rc = fail(L, "bad MAC address '%.64s'", json_string_value(v));
	else
		*has = 1;
	pop(L);
	return rc;
}

static int get_proto(struct loader *L, const json_t *obj, const char *key, int nullable,
                     uint8_t *out)
{
	json_t *v;
	if (member(L, obj, key, REQUIRED, &v) < 0)
		return -1;
	*out = 0;
	if (nullable && json_is_null(v))
		return 0;
	push_key(L, key);
	int rc = 0;
	if (!json_is_string(v))
		rc = fail(L, "must be a protocol name string%s, not %s", nullable ? " or null" : "",
		          jtype(v));
	else if (res_proto_parse(json_string_value(v), out) != 0)
		rc = fail(L, "unknown protocol '%.32s' (tcp, udp, icmp, icmpv6, sctp or 0-255)",
		          json_string_value(v));
	pop(L);
	return rc;
}

/* The array member key, required unless optional; *out NULL when absent. */
static int get_array(struct loader *L, const json_t *obj, const char *key, int required,
                     json_t **out)
{
	if (member(L, obj, key, required, out) < 0)
		return -1;
	if (!*out)
		return 0;
	if (!json_is_array(*out)) {
		push_key(L, key);
		fail(L, "must be an array, not %s", jtype(*out));
		pop(L);
		return -1;
	}
	return 0;
}

static int get_strv(struct loader *L, const json_t *obj, const char *key, int required,
                    struct res_strv *out)
{
	json_t *a;
	if (get_array(L, obj, key, required, &a) < 0)
		return -1;
	if (!a)
		return 0;
	push_key(L, key);
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		push_idx(L, i);
		if (!json_is_string(v)) {
			fail(L, "must be a string, not %s", jtype(v));
			pop(L);
			break;
		}
		res_strv_add(out, json_string_value(v));
		pop(L);
	}
	pop(L);
	return L->failed ? -1 : 0;
}

/* Checks an array element is an object; pushes its index. */
static int enter_object(struct loader *L, const json_t *v, size_t i, const char *what)
{
	push_idx(L, i);
	if (!json_is_object(v))
		return fail(L, "%s must be an object, not %s", what, jtype(v));
	return 0;
}

/* ---- records ---- */

static int load_service(struct loader *L, const json_t *o, struct res_host *h)
{
	uint8_t proto;
	uint64_t port = 0;
	char *app = NULL;
	int guess = 0;
	if (get_proto(L, o, "proto", NOT_NULL, &proto) < 0 ||
	    get_uint(L, o, "port", REQUIRED, 65535, &port, NULL) < 0 ||
	    get_str(L, o, "app", REQUIRED, NULLABLE, &app) < 0 ||
	    get_bool(L, o, "app_guess", OPTIONAL, NOT_NULL, &guess) < 0) {
		free(app);
		return -1;
	}
	/* Appended as written: a saved result's services are already merged. */
	h->services = xreallocarray(h->services, h->n_services + 1, sizeof(*h->services));
	struct res_service *s = &h->services[h->n_services++];
	s->proto = proto;
	s->port = (uint16_t)port;
	s->app = app;
	s->app_guess = app && guess;
	return 0;
}

static int load_host(struct loader *L, const json_t *o, struct res_host *h)
{
	json_t *a;
	if (get_mac(L, o, "mac", &h->has_mac, &h->mac) < 0 ||
	    get_array(L, o, "ips", REQUIRED, &a) < 0)
		return -1;
	push_key(L, "ips");
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		ss_ip ip;
		push_idx(L, i);
		if (ip_value(L, v, NOT_NULL, &ip) < 0)
			return -1;
		pop(L);
		/* Kept as written (no dedup): the file is what it is. */
		h->ips = xreallocarray(h->ips, h->n_ips + 1, sizeof(ss_ip));
		h->ips[h->n_ips++] = ip;
	}
	pop(L);
	uint64_t vlan = 0;
	int vlan_null = 1, managed = -1;
	if (get_uint(L, o, "vlan", REQUIRED, 4095, &vlan, &vlan_null) < 0)
		return -1;
	h->vlan = vlan_null ? -1 : (int)vlan;
	if (get_str(L, o, "vendor", REQUIRED, NULLABLE, &h->vendor) < 0 ||
	    get_bool(L, o, "mac_local", OPTIONAL, NOT_NULL, &h->mac_local) < 0 ||
	    get_str(L, o, "hostname", REQUIRED, NULLABLE, &h->hostname) < 0 ||
	    get_str(L, o, "zone", REQUIRED, NULLABLE, &h->zone) < 0 ||
	    get_str(L, o, "asset", REQUIRED, NULLABLE, &h->asset) < 0 ||
	    get_str(L, o, "owner", OPTIONAL, NULLABLE, &h->owner) < 0 ||
	    get_bool(L, o, "managed", REQUIRED, NULLABLE, &managed) < 0 ||
	    get_str(L, o, "device_class", REQUIRED, NULLABLE, &h->device_class) < 0 ||
	    get_str(L, o, "os", REQUIRED, NULLABLE, &h->os) < 0 ||
	    get_str(L, o, "model", OPTIONAL, NULLABLE, &h->model) < 0 ||
	    get_str(L, o, "firmware", OPTIONAL, NULLABLE, &h->firmware) < 0 ||
	    get_str(L, o, "serial", OPTIONAL, NULLABLE, &h->serial) < 0 ||
	    get_bool(L, o, "router", OPTIONAL, NOT_NULL, &h->router) < 0 ||
	    get_str(L, o, "class_evidence", OPTIONAL, NULLABLE, &h->class_evidence) < 0 ||
	    get_str(L, o, "os_evidence", OPTIONAL, NULLABLE, &h->os_evidence) < 0 ||
	    get_strv(L, o, "eol_hints", OPTIONAL, &h->eol_hints) < 0 ||
	    get_strv(L, o, "notes", OPTIONAL, &h->notes) < 0 ||
	    get_strv(L, o, "protocols", REQUIRED, &h->protocols) < 0 ||
	    get_array(L, o, "services", REQUIRED, &a) < 0)
		return -1;
	h->managed = managed;
	push_key(L, "services");
	json_array_foreach(a, i, v)
	{
		if (enter_object(L, v, i, "a service") < 0 || load_service(L, v, h) < 0)
			return -1;
		pop(L);
	}
	pop(L);
	if (get_time(L, o, "first_seen", REQUIRED, &h->first_seen) < 0 ||
	    get_time(L, o, "last_seen", REQUIRED, &h->last_seen) < 0 ||
	    get_uint(L, o, "packets", REQUIRED, INT64_MAX, &h->packets, NULL) < 0 ||
	    get_uint(L, o, "bytes", REQUIRED, INT64_MAX, &h->bytes, NULL) < 0 ||
	    get_strv(L, o, "evidence", REQUIRED, &h->evidence) < 0)
		return -1;
	return 0;
}

static int load_flow(struct loader *L, const json_t *o, struct res_flow *f)
{
	uint64_t dport = 0;
	if (get_ip(L, o, "src", NOT_NULL, &f->src) < 0 ||
	    get_ip(L, o, "dst", NOT_NULL, &f->dst) < 0 ||
	    get_proto(L, o, "proto", NOT_NULL, &f->proto) < 0 ||
	    get_uint(L, o, "dport", REQUIRED, 65535, &dport, NULL) < 0 ||
	    get_str(L, o, "app", REQUIRED, NULLABLE, &f->app) < 0 ||
	    get_str(L, o, "src_zone", REQUIRED, NULLABLE, &f->src_zone) < 0 ||
	    get_str(L, o, "dst_zone", REQUIRED, NULLABLE, &f->dst_zone) < 0 ||
	    get_uint(L, o, "packets", REQUIRED, INT64_MAX, &f->packets, NULL) < 0 ||
	    get_uint(L, o, "bytes", REQUIRED, INT64_MAX, &f->bytes, NULL) < 0 ||
	    get_time(L, o, "first_seen", REQUIRED, &f->first_seen) < 0 ||
	    get_time(L, o, "last_seen", REQUIRED, &f->last_seen) < 0 ||
	    get_str(L, o, "verdict", REQUIRED, NOT_NULL, &f->verdict) < 0 ||
	    get_str(L, o, "rule", REQUIRED, NULLABLE, &f->rule) < 0)
		return -1;
	f->dport = (uint16_t)dport;
	static const char *const verdicts[] = {"local", "intra_zone", "allowed", "violation"};
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (strcmp(f->verdict, verdicts[i]) == 0)
			return 0;
	push_key(L, "verdict");
	fail(L, "unknown verdict '%.32s' (local, intra_zone, allowed or violation)", f->verdict);
	pop(L);
	return -1;
}

static int load_violation(struct loader *L, const json_t *o, struct res_violation *v)
{
	uint64_t dport = 0;
	int dport_null = 1;
	enum pol_vtype t;
	enum pol_severity sev;
	if (get_str(L, o, "type", REQUIRED, NOT_NULL, &v->type) < 0)
		return -1;
	if (pol_vtype_parse(v->type, &t) != 0) {
		push_key(L, "type");
		fail(L, "unknown violation type '%.32s'", v->type);
		pop(L);
		return -1;
	}
	if (get_str(L, o, "severity", REQUIRED, NOT_NULL, &v->severity) < 0)
		return -1;
	if (pol_severity_parse(v->severity, &sev) != 0) {
		push_key(L, "severity");
		fail(L, "unknown severity '%.32s' (critical, high, medium or low)", v->severity);
		pop(L);
		return -1;
	}
	if (get_ip(L, o, "src", NULLABLE, &v->src) < 0 ||
	    get_ip(L, o, "dst", NULLABLE, &v->dst) < 0 ||
	    get_proto(L, o, "proto", NULLABLE, &v->proto) < 0 ||
	    get_uint(L, o, "dport", REQUIRED, 65535, &dport, &dport_null) < 0 ||
	    get_mac(L, o, "mac", &v->has_mac, &v->mac) < 0 ||
	    get_str(L, o, "rule", REQUIRED, NULLABLE, &v->rule) < 0 ||
	    get_uint(L, o, "count", REQUIRED, INT64_MAX, &v->count, NULL) < 0 ||
	    get_time(L, o, "first_seen", REQUIRED, &v->first_seen) < 0 ||
	    get_time(L, o, "last_seen", REQUIRED, &v->last_seen) < 0 ||
	    get_str(L, o, "message", REQUIRED, NULLABLE, &v->message) < 0 ||
	    get_str(L, o, "fix", REQUIRED, NULLABLE, &v->fix) < 0)
		return -1;
	/* The writer pairs them: no protocol, no port. */
	v->dport = v->proto && !dport_null ? (uint16_t)dport : 0;
	return 0;
}

static int load_stats(struct loader *L, const json_t *root, struct res_stats *st)
{
	json_t *o;
	if (member(L, root, "stats", OPTIONAL, &o) < 0 || !o)
		return 0;
	push_key(L, "stats");
	if (!json_is_object(o)) {
		fail(L, "must be an object, not %s", jtype(o));
		pop(L);
		return -1;
	}
	const struct {
		const char *k;
		uint64_t *v;
	} f[] = {{"packets", &st->packets},         {"decoded", &st->decoded},
	         {"truncated", &st->truncated},     {"malformed", &st->malformed},
	         {"unsupported", &st->unsupported}, {"non_ip", &st->non_ip},
	         {"dropped", &st->dropped}};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (get_uint(L, o, f[i].k, OPTIONAL, INT64_MAX, f[i].v, NULL) < 0)
			break;
	pop(L);
	return L->failed ? -1 : 0;
}

/* A member that must be an object; pushes its key on success. */
static int enter_member_object(struct loader *L, const json_t *obj, const char *key, json_t **out)
{
	if (member(L, obj, key, REQUIRED, out) < 0)
		return -1;
	push_key(L, key);
	if (!json_is_object(*out))
		return fail(L, "must be an object, not %s", jtype(*out));
	return 0;
}

/* One entry of the result's hosts, flows or violations array, added to r. */
static int add_host(struct loader *L, const json_t *o, struct result *r)
{
	return load_host(L, o, res_add_host(r));
}

static int add_flow(struct loader *L, const json_t *o, struct result *r)
{
	return load_flow(L, o, res_add_flow(r));
}

static int add_violation(struct loader *L, const json_t *o, struct result *r)
{
	return load_violation(L, o, res_add_violation(r));
}

/* The required array root[key] of objects (what: "a host"...), each
 * loaded into r by add; errors name the element's position. */
static int load_items(struct loader *L, const json_t *root, const char *key, const char *what,
                      int (*add)(struct loader *, const json_t *, struct result *),
                      struct result *r)
{
	json_t *a, *v;
	size_t i;
	if (get_array(L, root, key, REQUIRED, &a) < 0)
		return -1;
	push_key(L, key);
	json_array_foreach(a, i, v)
	{
		if (enter_object(L, v, i, what) < 0 || add(L, v, r) < 0)
			return -1;
		pop(L);
	}
	pop(L);
	return 0;
}

static int load_root(struct loader *L, const json_t *root, struct result *r)
{
	if (!json_is_object(root))
		return fail(L, "a result must be a JSON object, not %s", jtype(root));

	json_t *o, *v;
	char *name = NULL;
	if (enter_member_object(L, root, "tool", &o) < 0)
		return -1;
	if (get_str(L, o, "name", REQUIRED, NOT_NULL, &name) < 0)
		return -1;
	if (strcmp(name, "segscan") != 0) {
		push_key(L, "name");
		fail(L, "'%.32s' is not segscan: not a segscan result", name);
		free(name);
		return -1;
	}
	free(name);
	if (get_str(L, o, "version", REQUIRED, NULLABLE, &r->tool_version) < 0)
		return -1;
	pop(L);

	if (enter_member_object(L, root, "scan", &o) < 0 ||
	    get_str(L, o, "mode", REQUIRED, NOT_NULL, &r->mode) < 0 ||
	    get_time(L, o, "started", REQUIRED, &r->started) < 0 ||
	    get_time(L, o, "ended", REQUIRED, &r->ended) < 0 ||
	    get_time(L, o, "capture_first", OPTIONAL, &r->capture_first) < 0 ||
	    get_time(L, o, "capture_last", OPTIONAL, &r->capture_last) < 0 ||
	    get_strv(L, o, "inputs", REQUIRED, &r->inputs) < 0 ||
	    get_uint(L, o, "packets", REQUIRED, INT64_MAX, &r->stats.packets, NULL) < 0 ||
	    member(L, o, "policy", REQUIRED, &v) < 0)
		return -1;
	if (!json_is_null(v)) {
		push_key(L, "policy");
		if (!json_is_object(v))
			return fail(L, "must be an object or null, not %s", jtype(v));
		if (get_str(L, v, "path", REQUIRED, NOT_NULL, &r->policy_path) < 0 ||
		    get_str(L, v, "sha256", REQUIRED, NULLABLE, &r->policy_sha256) < 0 ||
		    get_str(L, v, "site", OPTIONAL, NULLABLE, &r->site) < 0)
			return -1;
		pop(L);
	}
	pop(L);
	if (load_stats(L, root, &r->stats) < 0)
		return -1;

	if (load_items(L, root, "hosts", "a host", add_host, r) < 0 ||
	    load_items(L, root, "flows", "a flow", add_flow, r) < 0 ||
	    load_items(L, root, "violations", "a violation", add_violation, r) < 0)
		return -1;
	return 0;
}

/* The byte check: whether byte ch can come next in JSON text, given
 * whether the text so far is inside a string (*in_str) after a backslash
 * (*esc). Outside strings only whitespace, structure, numbers and the
 * letters of true, false and null; inside, no control character. A NUL
 * (all of /dev/zero) or a binary file fails at its first byte. */
static int json_byte_ok(unsigned char ch, int *in_str, int *esc)
{
	if (*in_str) {
		if (ch < 0x20)
			return 0;
		if (*esc)
			*esc = 0;
		else if (ch == '\\')
			*esc = 1;
		else if (ch == '"')
			*in_str = 0;
		return 1;
	}
	if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
		return 1;
	if (ch == '"') {
		*in_str = 1;
		return 1;
	}
	return ch && strchr("{}[],:-+.0123456789eEtrufalsn", ch) != NULL;
}

/* Reads path for the loader: a regular file up to RES_MAX_FILE, anything
 * else (a pipe, a device) up to RES_MAX_STREAM, and stops at the first
 * byte that cannot start or continue JSON (its position goes to *bad_at,
 * else SIZE_MAX). NULL with errno on failure (EFBIG: too big). */
static char *read_json_text(const char *path, size_t *len, size_t *bad_at)
{
	*bad_at = SIZE_MAX;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		errno = e;
		return NULL;
	}
	size_t max = S_ISREG(st.st_mode) ? RES_MAX_FILE : RES_MAX_STREAM;
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = xmalloc(cap + 1);
	int in_str = 0, esc = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= max + 1) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		for (size_t i = n; i < n + (size_t)r; i++)
			if (!json_byte_ok((unsigned char)buf[i], &in_str, &esc)) {
				*bad_at = i;
				n = i + 1;
				goto done;
			}
		n += (size_t)r;
	}
done:
	close(fd);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

/* jansson's message without the text it quotes ("... near 'TOKEN'"): a
 * file that failed to parse is never echoed back. */
static void strip_near(char *text)
{
	char *near = strstr(text, " near '");
	if (near)
		*near = 0;
}

struct result *res_load_json(const char *path, char *err, size_t errsz)
{
	size_t len = 0, bad_at;
	char *buf = read_json_text(path, &len, &bad_at);
	if (!buf) {
		if (errno == EFBIG)
			snprintf(err, errsz, "%s: larger than %zu MiB: not a segscan result", path,
			         RES_MAX_FILE >> 20);
		else
			snprintf(err, errsz, "%s: %s", path, strerror(errno ? errno : EIO));
		return NULL;
	}
	if (bad_at != SIZE_MAX) {
		struct cur c = {buf, buf + bad_at, 1, 1};
		while (c.p < c.end)
			cur_adv(&c);
		snprintf(
		    err, errsz,
		    "%s:%d:%d: a byte that cannot start or continue JSON: not a segscan result",
		    path, c.line, c.col);
		free(buf);
		return NULL;
	}
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		int line = je.line > 0 ? je.line : 1, col = je.column > 0 ? je.column : 1;
		/* jansson gives the last character it read; for a byte that is not
		 * UTF-8 that is the one before it, but position is the byte itself. */
		if (strncmp(je.text, "unable to decode byte", 21) == 0 && je.position >= 0 &&
		    (size_t)je.position < len) {
			struct cur c = {buf, buf + je.position, 1, 1};
			while (c.p < c.end)
				cur_adv(&c);
			line = c.line;
			col = c.col;
		}
		strip_near(je.text);
		snprintf(err, errsz, "%s:%d:%d: %s", path, line, col, je.text);
		free(buf);
		return NULL;
	}
	int line, col;
	if (find_too_deep(buf, len, RES_MAX_DEPTH, &line, &col)) {
		snprintf(err, errsz, "%s:%d:%d: nested deeper than %d levels: not a segscan result",
		         path, line, col, RES_MAX_DEPTH);
		json_decref(root);
		free(buf);
		return NULL;
	}
	struct loader L = {.file = path, .buf = buf, .len = len, .err = err, .errsz = errsz};
	struct result *r = res_new("audit");
	free(r->tool_version);
	r->tool_version = NULL;
	free(r->mode);
	r->mode = NULL;
	if (load_root(&L, root, r) < 0) {
		res_free(r);
		r = NULL;
	}
	json_decref(root);
	free(buf);
	return r;
}

struct result *res_load_json_tree(const json_t *root, const char *label, char *err, size_t errsz)
{
	struct loader L = {.file = label, .err = err, .errsz = errsz};
	struct result *r = res_new("audit");
	free(r->tool_version);
	r->tool_version = NULL;
	free(r->mode);
	r->mode = NULL;
	if (load_root(&L, root, r) < 0) {
		res_free(r);
		return NULL;
	}
	return r;
}
