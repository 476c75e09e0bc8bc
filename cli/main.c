/*
 * cli/main.c - segscan's entry point: dispatches to a command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/result.h"

const char *cli_prog = "segscan";

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

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s%s%s: ", cli_prog, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help'.\n", cli_prog, cmd ? " " : "", cmd ? cmd : "");
	return EXIT_ERROR;
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct policy *cli_load_policy(const char *path)
{
	struct pol_error e;
	memset(&e, 0, sizeof(e));
	struct policy *p = pol_load_file(path, &e);
	if (!p) {
		if (e.line > 0)
			fprintf(stderr, "%s:%d:%d: %s\n", e.file[0] ? e.file : path, e.line, e.col,
			        e.msg);
		else
			fprintf(stderr, "%s: %s\n", e.file[0] ? e.file : path, e.msg);
	}
	return p;
}

struct result *cli_load_result(const char *path)
{
	char err[1024];
	struct result *r = res_load_json(path, err, sizeof(err));
	if (!r)
		fprintf(stderr, "%s\n", err);
	return r;
}

int cli_write_atomic(const char *path, int (*writer)(void *ctx, FILE *out), void *ctx)
{
	if (strcmp(path, "-") == 0) {
		int rc = writer(ctx, stdout);
		return fflush(stdout) == 0 ? rc : -1;
	}
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		cli_warn("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	int rc = writer(ctx, f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0) {
		cli_warn("%s: %s", path, strerror(errno));
		rc = -1;
	} else if (rc != 0) {
		cli_warn("%s: write failed", path);
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
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
