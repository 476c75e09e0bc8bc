/*
 * reports/render.h - output formats, registered in one table.
 *
 * Every format renders the same result model (model/result.h), so a fresh
 * audit and a saved result re-rendered with `segscan report` look the same.
 * One file per format: report-json.c, report-text.c, report-csv.c,
 * report-html.c. User-visible words come from the message catalogue
 * (reports/i18n.h), never from string literals in a renderer.
 */
#ifndef SS_RENDER_H
#define SS_RENDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/result.h"

enum res_lang { RES_LANG_EN, RES_LANG_JA };
int res_lang_parse(const char *s, enum res_lang *out); /* "en", "ja"; 0 or -1 */

struct res_render_opts {
	enum res_lang lang;
	int color; /* ANSI colour in text output (only when writing to a terminal) */
};

struct res_format {
	const char *name; /* "json", "text", "csv", "html" */
	/* Writes the whole rendering to out; 0 or -1. */
	int (*write)(const struct result *r, FILE *out, const struct res_render_opts *o);
};

/* The format called name, or NULL. */
const struct res_format *res_format_find(const char *name);
/* Comma-separated names of all formats, for help and error messages. */
const char *res_format_names(void);

/* Renders r in format to path ("-" = stdout), atomically (ss_atomic_write
 * in common/atomic.h: temporary file, fsync, rename, directory fsync). For
 * "csv" when path is a directory, writes hosts.csv and violations.csv
 * inside it. Returns 0, or -1 with a one-line reason in err. */
int res_render_to_path(const struct result *r, const char *format, const struct res_render_opts *o,
                       const char *path, char *err, size_t errsz);

/* The writers of the table, callable directly (tests, `segscan report`).
 * Text: the terminal summary (report-text.c). CSV: the asset ledger, and
 * the violations file written next to it with -o DIR (report-csv.c).
 * HTML: the self-contained report (report-html.c). Each returns 0 or -1. */
int res_write_text(const struct result *r, FILE *out, const struct res_render_opts *o);
int res_write_csv_hosts(const struct result *r, FILE *out, const struct res_render_opts *o);
int res_write_csv_violations(const struct result *r, FILE *out, const struct res_render_opts *o);
int res_write_html(const struct result *r, FILE *out, const struct res_render_opts *o);

/* Helpers the renderers share (render.c). */
/* critical 0, high 1, medium 2, low 3, anything else 4. */
int res_severity_rank(const char *severity);
/* "tcp/502", "udp", "icmp"; "" when proto is 0. */
void res_service_str(uint8_t proto, uint16_t dport, char *out, size_t sz);
/* The zones a violation is about: those of the first flow with the same
 * src, dst, proto and port, else the zone of the first host holding src
 * (or its MAC; dst: of dst). NULL where unknown. *zi caches an index of r,
 * built on the first call (start with NULL; res_zone_index_free at the
 * end, and whenever r's hosts or flows change), so a report's violations
 * cost one pass over the result, not one each. */
struct res_zone_index;
void res_violation_zones(const struct result *r, struct res_zone_index **zi,
                         const struct res_violation *v, const char **src_zone,
                         const char **dst_zone);
void res_zone_index_free(struct res_zone_index *zi);
/* Number of hosts a policy found unregistered (managed == 0). */
size_t res_count_unregistered(const struct result *r);
/* Number of flows between two different zones (both zones known). */
size_t res_count_cross_zone(const struct result *r);

/* Writes s HTML-escaped (& < > " and ', control characters dropped,
 * invalid UTF-8 replaced), for every HTML writer (reports and diffs). */
void res_html_escape(FILE *out, const char *s);

/* Characters no text or CSV cell carries from a saved result: C0 controls
 * (but TAB, CR and LF where the caller keeps them: keep_ws), DEL, C1
 * controls and the bidirectional controls (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069) that would let a host name reorder what a
 * reader sees. */
int res_cp_unsafe(unsigned cp, int keep_ws);
/* Excel's limit on the characters of one cell; longer cells are cut and end
 * with RES_CELL_CUT. */
#define RES_CELL_MAX 32767
#define RES_CELL_CUT "\xe2\x80\xa6" /* U+2026 HORIZONTAL ELLIPSIS */

#endif
