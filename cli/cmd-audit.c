/*
 * cli/cmd-audit.c - `segscan audit`: read captures (files or live), build
 * the inventory, judge it against the policy, write the result.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "reports/render.h"
#include "reports/result.h"
#include "scanner/capture.h"
#include "scanner/inventory.h"
#include "scanner/vendor.h"

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: segscan audit [-i IFACE ... | -r FILE ...] [-p POLICY] [-t SECONDS]\n"
	        "                     [--filter EXPR] [-o OUT] [-f json|csv|html|text] [--lang en|ja]\n"
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
	        "      --ieee-dir DIR    IEEE registry directory (default /usr/share/ieee-data)\n"
	        "  -q, --quiet           no progress on stderr\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "Exit status: 0 no violation, 1 violations found, 2 usage, input or policy error.\n");
}

struct audit_ctx {
	struct inventory *inv;
};

static void on_packet(void *vctx, const struct pkt *p)
{
	struct audit_ctx *ctx = vctx;
	inv_add(ctx->inv, p);
}

/* Colour only for a person at a terminal: text on stdout that is a tty,
 * and never when NO_COLOR is set (https://no-color.org). */
static int want_color(const char *format, const char *out_path)
{
	if (strcmp(format, "text") != 0 || (out_path && strcmp(out_path, "-") != 0))
		return 0;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	return isatty(STDOUT_FILENO);
}

static void add_counters(struct res_stats *s, const struct cap_counters *c)
{
	s->packets += c->packets;
	s->decoded += c->decoded;
	s->truncated += c->truncated;
	s->malformed += c->malformed;
	s->unsupported += c->unsupported;
	s->non_ip += c->non_ip;
	s->dropped += c->dropped;
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_FILTER = 256, OPT_IEEE, OPT_LANG };
	static const struct option opts[] = {{"read", required_argument, NULL, 'r'},
	                                     {"interface", required_argument, NULL, 'i'},
	                                     {"time", required_argument, NULL, 't'},
	                                     {"filter", required_argument, NULL, OPT_FILTER},
	                                     {"policy", required_argument, NULL, 'p'},
	                                     {"output", required_argument, NULL, 'o'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"ieee-dir", required_argument, NULL, OPT_IEEE},
	                                     {"lang", required_argument, NULL, OPT_LANG},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char **files = xcalloc((size_t)argc, sizeof(char *));
	const char **ifaces = xcalloc((size_t)argc, sizeof(char *));
	size_t nfiles = 0, nifaces = 0;
	const char *policy_path = NULL, *out_path = NULL, *format = NULL, *filter = NULL;
	const char *ieee_dir = NULL;
	struct res_render_opts ropts = {RES_LANG_EN, 0};
	double seconds = 0;
	int quiet = 0, c, rc = EXIT_ERROR;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:i:t:p:o:f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'i':
			ifaces[nifaces++] = optarg;
			break;
		case 't': {
			char *end;
			errno = 0;
			seconds = strtod(optarg, &end);
			if (errno || *end || end == optarg || seconds <= 0 || seconds > 31536000) {
				rc = cli_usage_error("audit", "-t wants a positive number of seconds, not '%s'",
				                     optarg);
				goto out;
			}
			break;
		}
		case OPT_FILTER:
			filter = optarg;
			break;
		case 'p':
			policy_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case OPT_IEEE:
			ieee_dir = optarg;
			break;
		case OPT_LANG:
			if (res_lang_parse(optarg, &ropts.lang) != 0) {
				rc = cli_usage_error("audit", "unknown language '%s' (en or ja)", optarg);
				goto out;
			}
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			usage(stdout);
			rc = EXIT_CLEAN;
			goto out;
		case ':':
			rc = cli_usage_error("audit", "option '%s' needs an argument", argv[optind - 1]);
			goto out;
		default:
			if (optopt && strchr("ritpof", optopt))
				rc = cli_usage_error("audit", "option '-%c' needs an argument", optopt);
			else
				rc = cli_usage_error("audit", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cli_usage_error("audit", "unexpected argument '%s' (captures are given with -r)",
		                     argv[optind]);
		goto out;
	}
	if (!nfiles && !nifaces) {
		rc = cli_usage_error("audit", "nothing to read: give -r FILE or -i IFACE");
		goto out;
	}
	if (nfiles && nifaces) {
		rc = cli_usage_error("audit", "-r and -i cannot be combined");
		goto out;
	}
	if (!format)
		format = out_path ? "json" : "text";
	if (!res_format_find(format)) {
		rc = cli_usage_error("audit", "unknown format '%s' (%s)", format, res_format_names());
		goto out;
	}
	ropts.color = want_color(format, out_path);

	struct policy *pol = NULL;
	if (policy_path && !(pol = cli_load_policy(policy_path)))
		goto out;

	/* Open every source before reading any, so a typo in the third file
	 * fails in a second, not after an hour of reading the first two. */
	size_t nsrc = nfiles ? nfiles : nifaces;
	struct capture **caps = xcalloc(nsrc, sizeof(*caps));
	char err[512];
	int open_failed = 0;
	for (size_t i = 0; i < nsrc && !open_failed; i++) {
		caps[i] = nfiles ? cap_open_file(files[i], err, sizeof(err))
		                 : cap_open_live(ifaces[i], err, sizeof(err));
		if (!caps[i]) {
			cli_warn("%s", err);
			open_failed = 1;
		} else if (filter && cap_set_filter(caps[i], filter, err, sizeof(err)) != 0) {
			cli_warn("%s", err);
			open_failed = 1;
		}
	}

	struct result *res = NULL;
	struct inventory *inv = NULL;
	if (open_failed)
		goto close;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	inv = inv_new(pol);
	res = res_new("audit");
	res->started = ss_time_now();
	struct audit_ctx actx = {inv};
	int progress = !quiet && isatty(STDERR_FILENO);
	struct cap_counters cnt;
	memset(&cnt, 0, sizeof(cnt));
	cnt.first = cnt.last = SS_TIME_NONE;
	if (nfiles) {
		for (size_t i = 0; i < nfiles && !stop_flag; i++) {
			res_strv_add(&res->inputs, files[i]);
			struct cap_counters one;
			memset(&one, 0, sizeof(one));
			one.first = one.last = SS_TIME_NONE;
			if (cap_run(caps[i], on_packet, &actx, &one, 0, &stop_flag, progress, err,
			            sizeof(err)) != 0)
				/* A capture cut off mid-record (the recorder was
				 * killed) still holds everything before the cut. */
				cli_warn("warning: %s; kept the %llu packets before it", err,
				         (unsigned long long)one.packets);
			add_counters(&res->stats, &one);
			if (one.first != SS_TIME_NONE &&
			    (cnt.first == SS_TIME_NONE || one.first < cnt.first))
				cnt.first = one.first;
			if (one.last != SS_TIME_NONE && (cnt.last == SS_TIME_NONE || one.last > cnt.last))
				cnt.last = one.last;
		}
	} else {
		for (size_t i = 0; i < nifaces; i++) {
			char *name = xasprintf("live:%s", ifaces[i]);
			res_strv_add(&res->inputs, name);
			free(name);
		}
		if (progress)
			fprintf(stderr, "capturing on %zu interface(s)%s; Ctrl-C to stop\n", nifaces,
			        seconds > 0 ? " for the given time" : "");
		if (cap_run_live(caps, nifaces, on_packet, &actx, &cnt, seconds, &stop_flag, progress,
		                 err, sizeof(err)) != 0)
			cli_warn("warning: %s", err);
		add_counters(&res->stats, &cnt);
	}
	res->ended = ss_time_now();
	res->capture_first = cnt.first;
	res->capture_last = cnt.last;
	if (stop_flag)
		cli_warn("interrupted: reporting what was read");
	if (pol) {
		res->policy_path = xstrdup(pol_path(pol));
		res->policy_sha256 = xstrdup(pol_sha256(pol));
		if (pol_site(pol))
			res->site = xstrdup(pol_site(pol));
	}

	struct vendor_db *vdb = vnd_load(ieee_dir, NULL);
	inv_export(inv, vdb, res);
	vnd_free(vdb);

	if (res_render_to_path(res, format, &ropts, out_path ? out_path : "-", err, sizeof(err)) != 0) {
		cli_warn("%s", err);
		rc = EXIT_ERROR;
	}
	else
		rc = res->n_violations ? EXIT_VIOLATIONS : EXIT_CLEAN;

close:
	for (size_t i = 0; i < nsrc; i++)
		cap_close(caps[i]);
	free(caps);
	inv_free(inv);
	res_free(res);
	pol_free(pol);
out:
	free(files);
	free(ifaces);
	return rc;
}
