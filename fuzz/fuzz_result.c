/*
 * fuzz/fuzz_result.c - libFuzzer harness for the JSON result loader
 * (res_load_json) and, when a result loads, every renderer that
 * `segscan report` and `segscan diff` feed it to: JSON (checked to be
 * jansson's text exactly), text, CSV and HTML, in English and Japanese,
 * and the drift diff against an empty scan in both directions
 * (everything new, everything gone).
 *
 * res_load_json() only takes a path, so each input is written to one
 * memfd created at start-up and loaded as /proc/self/fd/N (no disk I/O,
 * nothing left behind). A buffer variant, res_load_json_buffer(), would
 * let this harness skip the file system altogether.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "diff/diff.h"
#include "model/result.h"
#include "reports/render.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static int memfd = -1;
static char mempath[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	memfd = memfd_create("fuzz-result.json", 0);
	if (!devnull || memfd < 0) {
		perror("fuzz_result: /dev/null or memfd_create");
		exit(1);
	}
	snprintf(mempath, sizeof(mempath), "/proc/self/fd/%d", memfd);
	return 0;
}

/* The result's JSON text (model/json-emit.c) must be byte for byte what
 * jansson dumps for the same tree: parse it, dump it again, compare. */
static void json_text_is_janssons(const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	if (res_write_json(r, f) != 0)
		abort();
	fclose(f);
	json_t *j = json_loadb(buf, len, 0, NULL);
	if (!j)
		abort(); /* segscan wrote invalid JSON */
	char *again = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!again)
		abort();
	size_t n = strlen(again);
	if (len != n + 1 || memcmp(buf, again, n) != 0 || buf[n] != '\n')
		abort(); /* differs from jansson's text */
	free(again);
	json_decref(j);
	free(buf);
}

static void render_all(const struct result *r)
{
	static const enum res_lang langs[] = {RES_LANG_EN, RES_LANG_JA};
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		struct res_render_opts o = {langs[i], (int)i};
		res_write_text(r, devnull, &o);
		res_write_csv_hosts(r, devnull, &o);
		res_write_csv_violations(r, devnull, &o);
		res_write_html(r, devnull, &o);
	}
	json_text_is_janssons(r);
	res_write_summary(r, devnull);
	(void)res_count_unregistered(r);
	(void)res_count_cross_zone(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ftruncate(memfd, 0) != 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	char err[1024];
	err[0] = '\0';
	struct result *r = res_load_json(mempath, err, sizeof(err));
	if (!r) {
		/* Every refusal names the input and is one terminated line. */
		if (memchr(err, '\0', sizeof(err)) == NULL ||
		    strncmp(err, mempath, strlen(mempath)))
			abort();
		return 0;
	}
	res_sort(r);
	render_all(r);
	struct result *empty = res_new("audit");
	static const enum diff_format fmts[] = {DIFF_FMT_TEXT, DIFF_FMT_JSON, DIFF_FMT_HTML};
	for (int dir = 0; dir < 2; dir++) {
		struct diff_drift *d = dir ? diff_drift_new(r, empty) : diff_drift_new(empty, r);
		(void)diff_drift_count(d);
		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
			diff_drift_write(d, fmts[i], devnull);
		diff_drift_free(d);
	}
	res_free(empty);
	res_free(r);
	return 0;
}
