/*
 * model/json-emit.h - a streaming JSON writer into a memory buffer, for
 * the big arrays of a result (hosts, flows, violations: tens of MiB for a
 * long capture).
 *
 * Its text is byte for byte what jansson's json_dumps(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) gives for the same tree, and strings go through the
 * same rules as rj_str() (invalid UTF-8 degrades to '?'): tests/test_json.c
 * and fuzz/fuzz_result.c parse what it wrote with jansson, dump it again
 * and require the same bytes. Building a jansson tree per element and
 * dumping it cost ten times as much (an allocation per member and value, a
 * snprintf per container for jansson's loop check and per integer).
 */
#ifndef SS_JSON_EMIT_H
#define SS_JSON_EMIT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/addr.h"
#include "common/util.h"

#define JE_MAX_DEPTH 16

struct je {
	char *p;
	size_t n, cap;
	int oom;   /* an allocation failed (or nesting too deep): text incomplete */
	int base;  /* nesting level of the text in its document */
	int depth; /* open containers: levels 1..depth */
	size_t count[JE_MAX_DEPTH + 1];         /* entries written in each level */
	unsigned char is_arr[JE_MAX_DEPTH + 1]; /* level k is an array */
};

/* A writer whose first container opens at nesting level `depth` of the
 * document (its lines are indented 2 * depth further). */
void je_init(struct je *w, int depth);
void je_free(struct je *w);
/* Writes the buffered text to out and empties the buffer; -1 on a write
 * error or an earlier allocation failure. */
int je_flush(struct je *w, FILE *out);

/* Raw text, as is (separators between a container's entries are the
 * caller's business at the top level only). */
void je_raw(struct je *w, const char *s, size_t len);

/* Containers. A value inside an object needs je_key() first; inside an
 * array, each value is an element. */
void je_obj_open(struct je *w);
void je_obj_close(struct je *w);
void je_arr_open(struct je *w);
void je_arr_close(struct je *w);
/* A member's key: a string literal of plain ASCII (no escapes needed),
 * its length known at compile time. */
#define je_key(w, key) je_keyn((w), "" key "", sizeof("" key "") - 1)
void je_keyn(struct je *w, const char *key, size_t len);

/* Values. */
void je_null(struct je *w);
void je_bool(struct je *w, int b);
void je_int(struct je *w, int64_t v);
void je_count(struct je *w, uint64_t n);  /* clamped to INT64_MAX, as rj_count */
void je_str(struct je *w, const char *s); /* NULL: null; as rj_str */
void je_time(struct je *w, ss_time t);    /* as rj_time */
void je_ip(struct je *w, const ss_ip *ip);
void je_mac(struct je *w, int has, const ss_mac *m);
void je_proto(struct je *w, uint8_t proto);

#endif
