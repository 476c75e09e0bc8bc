/*
 * cli/cli-common.c - what every command shares: usage errors, warnings,
 * loading a policy or a saved result with its FILE:LINE:COLUMN message,
 * option errors, the stop signals and the colour decision. cli/main.c
 * dispatches to the commands; the commands call these; nothing here calls
 * a command.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/result.h"

const char *cli_prog = "segscan";
volatile int cli_stopped;

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

int cli_parse_number(const char *arg, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || *end || end == arg)
		return -1;
	*out = v;
	return 0;
}

int cli_option_error(const char *cmd, int c, char **argv, const char *needs_arg)
{
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
	if (needs_arg && optopt && strchr(needs_arg, optopt))
		return cli_usage_error(cmd, "option '-%c' needs an argument", optopt);
	return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

static void on_stop_signal(int sig)
{
	(void)sig;
	cli_stopped = 1;
}

void cli_catch_stop(void *ctx)
{
	(void)ctx;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_color_wanted(const char *format, const char *out_path)
{
	if (strcmp(format, "text") != 0 || (out_path && strcmp(out_path, "-") != 0))
		return 0;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(STDOUT_FILENO);
}
