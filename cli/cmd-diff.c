/*
 * cli/cmd-diff.c - `segscan diff`, in its three forms:
 *   segscan diff OLD.json NEW.json             drift between two scans
 *   segscan diff -p POLICY RESULT.json         a policy against reality
 *   segscan diff -p OLD.yaml -p NEW.yaml RESULT.json
 *                                              what a policy change changes
 * Exit status: 0 nothing to report (no difference, no violation, no
 * verdict change), 1 something to report, 2 usage or input error.
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "diff/diff.h"

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: segscan diff OLD.json NEW.json [-f text|json|html] [-o OUT]\n"
	    "       segscan diff -p POLICY RESULT.json [-f text|json|html] [-o OUT]\n"
	    "       segscan diff -p OLD.yaml -p NEW.yaml RESULT.json [-f text|json|html] [-o OUT]\n"
	    "Compare two scans, a policy with what a scan saw, or two policies over a scan.\n"
	    "\n"
	    "  -p, --policy POLICY  a policy (twice: old and new policy)\n"
	    "  -f, --format FMT     text (default), json or html\n"
	    "  -o, --output OUT     write to OUT ('-' for stdout, the default)\n"
	    "  -h, --help           show this help\n"
	    "\n"
	    "Exit status: 0 no difference (two scans), no violation (policy against a\n"
	    "scan) or no verdict change (two policies); 1 there are some; 2 usage error,\n"
	    "malformed result (FILE:LINE:COLUMN: message) or policy error.\n");
}

int cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {{"policy", required_argument, NULL, 'p'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *pol_paths[2] = {NULL, NULL}, *out_path = "-";
	size_t npol = 0;
	enum diff_format fmt = DIFF_FMT_TEXT;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (npol == 2)
				return cli_usage_error(
				    "diff", "at most two policies (-p OLD.yaml -p NEW.yaml)");
			pol_paths[npol++] = optarg;
			break;
		case 'f':
			if (diff_format_parse(optarg, &fmt) != 0)
				return cli_usage_error(
				    "diff", "unknown format '%s' (text, json or html)", optarg);
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		case ':':
			return cli_usage_error("diff", "option '%s' needs an argument",
			                       argv[optind - 1]);
		default:
			return cli_usage_error("diff", "unknown option '%s'", argv[optind - 1]);
		}
	}
	int nres = argc - optind;
	size_t want = npol ? 1 : 2;
	if (nres < (int)want)
		return cli_usage_error(
		    "diff", npol ? "missing RESULT.json"
		                 : "need OLD.json and NEW.json (or -p POLICY RESULT.json)");
	if (nres > (int)want)
		return cli_usage_error("diff", "unexpected argument '%s'",
		                       argv[optind + (int)want]);

	struct result *r[2] = {NULL, NULL};
	struct policy *p[2] = {NULL, NULL};
	struct diff_run *d = NULL;
	char err[1024];
	int rc = EXIT_ERROR;
	for (size_t i = 0; i < npol; i++)
		if (!(p[i] = cli_load_policy(pol_paths[i])))
			goto out;
	for (size_t i = 0; i < want; i++)
		if (!(r[i] = cli_load_result(argv[optind + (int)i])))
			goto out;
	d = diff_run_new((const struct policy *const *)p, npol, (const struct result *const *)r);
	if (diff_run_write(d, fmt, out_path, err, sizeof(err)) != 0)
		cli_warn("%s", err);
	else
		rc = diff_run_found(d) ? EXIT_VIOLATIONS : EXIT_CLEAN;
out:
	diff_run_free(d);
	for (size_t i = 0; i < 2; i++) {
		res_free(r[i]);
		pol_free(p[i]);
	}
	return rc;
}
