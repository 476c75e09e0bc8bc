/*
 * cli/cli.h - the command-line front end: one function per command. Only
 * this layer prints diagnostics and chooses exit codes (0 clean, 1
 * violations found, 2 usage, input or policy error).
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
/* Writes via a temporary file renamed into place, so a crash never leaves
 * a half-written result. path "-" writes to stdout. Returns 0 or -1. */
int cli_write_atomic(const char *path, int (*writer)(void *ctx, FILE *out), void *ctx);

#endif
