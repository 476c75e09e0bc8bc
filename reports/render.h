/*
 * reports/render.h - output formats, registered in one table.
 *
 * Every format renders the same result model (reports/result.h), so a fresh
 * audit and a saved result re-rendered with `segscan report` look the same.
 * One file per format: report-json.c, report-text.c, report-csv.c,
 * report-html.c. User-visible words come from the message catalogue
 * (reports/i18n.h), never from string literals in a renderer.
 */
#ifndef SS_RENDER_H
#define SS_RENDER_H

#include <stdio.h>

#include "reports/result.h"

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

/* Renders r in format to path ("-" = stdout), atomically (temporary file,
 * fsync, rename). For "csv" when path is a directory, writes hosts.csv and
 * violations.csv inside it. Returns 0, or -1 with a one-line reason in err. */
int res_render_to_path(const struct result *r, const char *format,
                       const struct res_render_opts *o, const char *path, char *err,
                       size_t errsz);

#endif
