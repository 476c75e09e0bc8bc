/*
 * cli/cmd-merge.c - `segscan merge A.json B.json ... -o ALL.json`: results
 * of sensors on different segments combined into one inventory (see
 * merge_results in diff/diff.h for what "the same host" means).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "reports/render.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: segscan merge RESULT.json RESULT.json ... -o ALL.json [-f FMT]\n"
	             "Combine results from several sensors into one inventory.\n"
	             "\n"
	             "  -o, --output OUT   write the merged result to OUT ('-' for stdout)\n"
	             "  -f, --format FMT   json (default), text, csv or html\n"
	             "  -h, --help         show this help\n"
	             "\n"
	             "Exit status: 0 merged, no violation; 1 merged, violations in the result;\n"
	             "2 usage error or a malformed input (FILE:LINE:COLUMN: message).\n");
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *out_path = NULL, *format = "json";
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out_path = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("merge", "option '%s' needs an argument",
			                       argv[optind - 1]);
		default:
			return cli_usage_error("merge", "unknown option '%s'", argv[optind - 1]);
		}
	}
	size_t n = optind < argc ? (size_t)(argc - optind) : 0;
	if (n == 0)
		return cli_usage_error("merge", "missing results to merge");
	if (!out_path)
		return cli_usage_error("merge", "missing -o OUT (use '-o -' for stdout)");
	if (!res_format_find(format))
		return cli_usage_error("merge", "unknown format '%s' (%s)", format,
		                       res_format_names());
	struct result **in = xcalloc(n, sizeof(*in));
	int rc = EXIT_ERROR;
	for (size_t i = 0; i < n; i++)
		if (!(in[i] = cli_load_result(argv[optind + (int)i])))
			goto out;
	struct res_strv warnings = {NULL, 0};
	struct result *m = merge_results((const struct result *const *)in, n, &warnings);
	for (size_t i = 0; i < warnings.n; i++)
		cli_warn("warning: %s", warnings.v[i]);
	res_strv_free(&warnings);
	struct res_render_opts ro = {RES_LANG_EN, 0};
	char err[512];
	if (res_render_to_path(m, format, &ro, out_path, err, sizeof(err)) != 0)
		cli_warn("%s", err);
	else
		rc = m->n_violations ? EXIT_VIOLATIONS : EXIT_CLEAN;
	res_free(m);
out:
	for (size_t i = 0; i < n; i++)
		res_free(in[i]);
	free(in);
	return rc;
}
