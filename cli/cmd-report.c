/*
 * cli/cmd-report.c - `segscan report RESULT.json`: re-render a saved
 * result in any output format, so a result kept as evidence can be turned
 * into this year's HTML report or the asset ledger later.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/result.h"
#include "reports/render.h"

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: segscan report RESULT.json [-f html|csv|text|json] [--lang en|ja] [-o OUT]\n"
	    "Re-render a saved JSON result.\n"
	    "\n"
	    "  -f, --format FMT   html, csv, text or json (default: text)\n"
	    "      --lang LANG    en or ja (default: en)\n"
	    "  -o, --output OUT   write to OUT ('-' for stdout, the default); for csv a\n"
	    "                     directory receives hosts.csv and violations.csv\n"
	    "  -h, --help         show this help\n"
	    "\n"
	    "Exit status: 0 the result holds no violation, 1 it holds violations,\n"
	    "2 usage error or a malformed result (FILE:LINE:COLUMN: message).\n");
}

int cmd_report(int argc, char **argv)
{
	enum { OPT_LANG = 256 };
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"lang", required_argument, NULL, OPT_LANG},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *format = "text", *out_path = "-";
	struct res_render_opts ro = {RES_LANG_EN, 0};
	int c;
	optind = 1;
	opterr = 0;
	/* No '+': options may follow the file name, as in the spec's synopsis. */
	while ((c = getopt_long(argc, argv, ":f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case OPT_LANG:
			if (res_lang_parse(optarg, &ro.lang) != 0)
				return cli_usage_error("report", "unknown language '%s' (en or ja)",
				                       optarg);
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("report", "option '%s' needs an argument",
			                       argv[optind - 1]);
		default:
			return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("report", "missing RESULT.json");
	if (optind + 1 < argc)
		return cli_usage_error("report", "unexpected argument '%s' (one result at a time)",
		                       argv[optind + 1]);
	if (!res_format_find(format))
		return cli_usage_error("report", "unknown format '%s' (%s)", format,
		                       res_format_names());
	struct result *r = cli_load_result(argv[optind]);
	if (!r)
		return EXIT_ERROR;
	ro.color = strcmp(format, "text") == 0 && strcmp(out_path, "-") == 0 &&
	           isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	char err[512];
	int rc;
	if (res_render_to_path(r, format, &ro, out_path, err, sizeof(err)) != 0) {
		cli_warn("%s", err);
		rc = EXIT_ERROR;
	} else {
		rc = r->n_violations ? EXIT_VIOLATIONS : EXIT_CLEAN;
	}
	res_free(r);
	return rc;
}
