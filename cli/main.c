/*
 * cli/main.c - segscan's entry point: dispatches to a command. The helpers
 * the commands share are in cli/cli-common.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scanner/ident.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: segscan COMMAND [OPTIONS]\n"
	        "Network segmentation and asset discovery scanner.\n"
	        "\n"
	        "Commands:\n"
	        "  audit    inventory hosts and flows from captures or live interfaces,\n"
	        "           and judge them against a segmentation policy\n"
	        "  policy   validate a policy file (policy check POLICY.yaml)\n"
	        "  report   re-render a saved JSON result (html, csv, text, json)\n"
	        "  diff     compare two results, a policy with a result, or two policies\n"
	        "  merge    combine results from several sensors into one inventory\n"
	        "  monitor  watch interfaces as a service and report what is new (JSON lines)\n"
	        "\n"
	        "Options:\n"
	        "  -h, --help     show this help (segscan COMMAND --help for a command)\n"
	        "  -V, --version  show the version\n"
	        "\n"
	        "Exit status: 0 no violation, 1 violations found, 2 usage, input or policy error.\n"
	        "See segscan(8) and segscan-policy(5).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	/* Start-up, one thread: the identifiers' dispatch tables, before any
	 * command starts a capture reader (inv_new() calls it too, for other
	 * users of the library). */
	ident_init();
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("segscan %s\n", SEGSCAN_VERSION);
		return EXIT_CLEAN;
	}
	if (!strcmp(cmd, "audit"))
		return cmd_audit(argc - 1, argv + 1);
	if (!strcmp(cmd, "policy"))
		return cmd_policy(argc - 1, argv + 1);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(cmd, "monitor"))
		return cmd_monitor(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", cmd);
	return cli_usage_error(NULL, "unknown command '%s'", cmd);
}
