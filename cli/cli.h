/*
 * cli/cli.h - the command-line front end: one function per command
 * (cli/cmd-*.c, dispatched by cli/main.c) and the helpers they share
 * (cli/cli-common.c). Only this layer prints diagnostics and chooses exit
 * codes (0 clean, 1 violations found, 2 usage, input or policy error).
 */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <stdio.h>

#include "policy/policy.h"

#define EXIT_CLEAN      0
#define EXIT_VIOLATIONS 1
#define EXIT_ERROR      2

extern const char *cli_prog;

int cmd_audit(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_monitor(int argc, char **argv);

/* "segscan audit: message\nTry 'segscan audit --help'." and returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "segscan: message" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Loads a policy or prints FILE:LINE:COLUMN: message; NULL on error. */
struct policy *cli_load_policy(const char *path);
/* Loads a saved JSON result or prints FILE:LINE:COLUMN: message; NULL on
 * error (the caller exits 2). */
struct result *cli_load_result(const char *path);
/* A number as strtod reads it ("60", "1.5"), the whole of arg; 0, or -1
 * when arg is not entirely a number or out of range. Callers check bounds. */
int cli_parse_number(const char *arg, double *out);
/* The usage error for what getopt_long returned in c (':' or '?'): "option
 * '--x' needs an argument" or "unknown option '--x'"; needs_arg lists the
 * short options that take an argument, for an optstring without a leading
 * ':' (where a missing argument also comes back as '?'). Returns 2. */
int cli_option_error(const char *cmd, int c, char **argv, const char *needs_arg);
/* Set to 1 by SIGINT or SIGTERM once cli_catch_stop has run. */
extern volatile int cli_stopped;
/* Installs those handlers (ctx unused: it fits a "ready" callback). */
void cli_catch_stop(void *ctx);
/* Colour only for a person at a terminal: text written to stdout that is a
 * tty, and never when NO_COLOR is set to something (https://no-color.org). */
int cli_color_wanted(const char *format, const char *out_path);

#endif
