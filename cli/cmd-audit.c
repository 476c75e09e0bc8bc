/*
 * cli/cmd-audit.c - `segscan audit`: parses the options, runs the audit
 * pipeline (scanner/audit.h: captures, probes, inventory, export) and
 * renders its result (reports/render.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/render.h"
#include "scanner/audit.h"

/* The pipeline's messages on stderr: notes as "segscan: ...", the probe
 * plan as it is, status lines, progress redrawn in place. */
static void show(void *ctx, enum audit_msg kind, const char *text)
{
	static const char *const how[] = {[AUDIT_MSG_PLAN] = "%s",
	                                  [AUDIT_MSG_STATUS] = "%s\n",
	                                  [AUDIT_MSG_PROGRESS] = "\r%s",
	                                  [AUDIT_MSG_PROGRESS_END] = "%s\n"};
	(void)ctx;
	if (kind == AUDIT_MSG_NOTE)
		cli_warn("%s", text);
	else
		fprintf(stderr, how[kind], text);
}

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "Usage: segscan audit [-i IFACE ... | -r FILE ...] [-p POLICY] [-t SECONDS]\n"
	    "                     [--filter EXPR] [-o OUT] [-f json|csv|html|text] [--lang en|ja]\n"
	    "                     [--probe arp|tcp|arp,tcp [--ports LIST] [--rate PPS] ...]\n"
	    "Inventory hosts and flows and judge them against a segmentation policy.\n"
	    "\n"
	    "  -r, --read FILE       read a pcap or pcapng file (repeatable, read in order)\n"
	    "  -i, --interface IFACE capture live on IFACE (repeatable; needs CAP_NET_RAW)\n"
	    "  -t, --time SECONDS    live capture duration (default: until interrupted)\n"
	    "      --filter EXPR     BPF filter applied to every source\n"
	    "  -p, --policy POLICY   segmentation policy (YAML); without it, inventory only\n"
	    "  -o, --output OUT      write the result to OUT ('-' for stdout); with -f csv, a\n"
	    "                        directory receives hosts.csv and violations.csv\n"
	    "  -f, --format FMT      json, csv, html or text (default: json with -o, else text)\n"
	    "      --lang LANG       language of text, csv and html: en (default) or ja\n"
	    "      --ieee-dir DIR    IEEE registry directory (default "
	    "/usr/share/ieee-data)\n" PROBE_HELP "  -q, --quiet           no progress on stderr\n"
	    "  -h, --help            show this help\n"
	    "\n"
	    "Exit status: 0 no violation, 1 violations found, 2 usage, input or policy error.\n");
}

enum { OPT_FILTER = 256, OPT_IEEE, OPT_LANG, OPT_PROBE_BASE };

/* Options into o, popts, ro and the plain strings of str (by option code).
 * Returns -1 to go on, else the exit status (help, usage error). */
static int parse(int argc, char **argv, struct audit_opts *o, struct probe_opts *popts,
                 const char **str, struct res_render_opts *ro)
{
	static const struct option opts[] = {{"read", required_argument, NULL, 'r'},
	                                     {"interface", required_argument, NULL, 'i'},
	                                     {"time", required_argument, NULL, 't'},
	                                     {"filter", required_argument, NULL, OPT_FILTER},
	                                     {"policy", required_argument, NULL, 'p'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"ieee-dir", required_argument, NULL, OPT_IEEE},
	                                     {"lang", required_argument, NULL, OPT_LANG},
	                                     PROBE_LONG_OPTIONS(OPT_PROBE_BASE),
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char **files = (const char **)o->files, **ifaces = (const char **)o->ifaces;
	char perr[256];
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:i:t:p:o:f:qh", opts, NULL)) != -1) {
		if (c >= OPT_PROBE_BASE && c < OPT_PROBE_BASE + PROBE_OPT__COUNT) {
			if (probe_parse_option(popts, c - OPT_PROBE_BASE, optarg, perr,
			                       sizeof(perr)))
				return cli_usage_error("audit", "%s", perr);
			continue;
		}
		switch (c) {
		case 'r':
			files[o->n_files++] = optarg;
			break;
		case 'i':
			ifaces[o->n_ifaces++] = optarg;
			break;
		case 't':
			if (cli_parse_number(optarg, &o->seconds) != 0 || o->seconds <= 0 ||
			    o->seconds > 31536000)
				return cli_usage_error(
				    "audit", "-t wants a positive number of seconds, not '%s'",
				    optarg);
			break;
		case 'p':
		case 'o':
		case 'f':
		case OPT_FILTER:
		case OPT_IEEE:
			str[c] = optarg;
			break;
		case OPT_LANG:
			if (res_lang_parse(optarg, &ro->lang) != 0)
				return cli_usage_error("audit", "unknown language '%s' (en or ja)",
				                       optarg);
			break;
		case 'q':
			o->progress = 0;
			break;
		case 'h':
			usage(stdout);
			return EXIT_CLEAN;
		default:
			return cli_option_error("audit", c, argv, "ritpof");
		}
	}
	if (optind < argc)
		return cli_usage_error(
		    "audit", "unexpected argument '%s' (captures are given with -r)", argv[optind]);
	o->filter = str[OPT_FILTER];
	o->ieee_dir = str[OPT_IEEE];
	o->out_path = str['o'];
	popts->iface = popts->kinds && o->n_ifaces ? o->ifaces[0] : NULL;
	if (audit_opts_check(o, perr, sizeof(perr)) != 0)
		return cli_usage_error("audit", "%s", perr);
	if (!str['f'])
		str['f'] = o->out_path ? "json" : "text";
	if (!res_format_find(str['f']))
		return cli_usage_error("audit", "unknown format '%s' (%s)", str['f'],
		                       res_format_names());
	return -1;
}

int cmd_audit(int argc, char **argv)
{
	struct probe_opts popts;
	probe_opts_init(&popts);
	struct audit_opts o = {.probe = &popts,
	                       .progress = 1,
	                       .stop = &cli_stopped,
	                       .msg = show,
	                       .ready = cli_catch_stop};
	o.files = xcalloc((size_t)argc, sizeof(char *));
	o.ifaces = xcalloc((size_t)argc, sizeof(char *));
	const char *str[OPT_PROBE_BASE] = {NULL}; /* -p, -o, -f, --filter, --ieee-dir */
	struct res_render_opts ro = {RES_LANG_EN, 0};
	struct audit_out out = {0};
	struct policy *pol = NULL;
	char err[1024];
	int rc = parse(argc, argv, &o, &popts, str, &ro);
	if (rc >= 0)
		goto out;
	rc = EXIT_ERROR;
	ro.color = cli_color_wanted(str['f'], o.out_path);
	if (str['p'] && !(o.pol = pol = cli_load_policy(str['p'])))
		goto out;
	o.progress = o.progress && isatty(STDERR_FILENO);
	if (audit_run(&o, &out, err, sizeof(err)) != 0) {
		cli_warn("%s", err);
		goto out;
	}
	if (res_render_to_path(out.res, str['f'], &ro, o.out_path ? o.out_path : "-", err,
	                       sizeof(err)) != 0)
		cli_warn("%s", err);
	else
		rc = out.res->n_violations ? EXIT_VIOLATIONS : EXIT_CLEAN;
	if (out.probe_failed)
		rc = EXIT_ERROR;
out:
	audit_out_free(&out);
	pol_free(pol);
	probe_opts_free(&popts);
	free((void *)o.files);
	free((void *)o.ifaces);
	return rc;
}
