/*
 * cli/cmd-policy.c - `segscan policy check POLICY.yaml`.
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: segscan policy check POLICY.yaml\n"
	             "Validate a segmentation policy and print a summary.\n"
	             "Exit status 0 when valid; 2 with FILE:LINE:COLUMN: message when not.\n"
	             "\n"
	             "  -h, --help  show this help\n");
}

int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return EXIT_CLEAN;
		}
		return cli_usage_error("policy", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error("policy", "missing subcommand (check)");
	if (strcmp(argv[optind], "check") != 0)
		return cli_usage_error("policy", "unknown subcommand '%s'", argv[optind]);
	if (optind + 1 >= argc)
		return cli_usage_error("policy", "missing POLICY.yaml");
	if (optind + 2 < argc)
		return cli_usage_error("policy", "unexpected argument '%s'", argv[optind + 2]);
	struct policy *p = cli_load_policy(argv[optind + 1]);
	if (!p)
		return EXIT_ERROR;
	pol_print_summary(p, stdout);
	pol_free(p);
	return EXIT_CLEAN;
}
