/*
 * cli/cmd-audit.c - `segscan audit`: read captures (files or live), build
 * the inventory, judge it against the policy, write the result.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/result.h"
#include "reports/render.h"
#include "scanner/capture.h"
#include "scanner/inventory.h"
#include "scanner/probe.h"
#include "scanner/vendor.h"

static volatile int stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
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

struct audit_ctx {
	struct inventory *inv;
	struct probe *probe; /* --probe: active probes on the one interface */
	double seconds;
	int progress;
	int probe_failed;
};

static void on_packet(void *vctx, const struct pkt *p)
{
	struct audit_ctx *ctx = vctx;
	/* Our own probes, captured on their way out, are not the network's
	 * traffic; the replies are, and go in like every other frame. */
	if (ctx->probe && probe_observe(ctx->probe, ctx->inv, p))
		return;
	inv_add(ctx->inv, p);
}

/* Between polls of the live capture: send what --rate allows. Without -t
 * the audit ends when the probes are done. */
static int audit_tick(void *vctx)
{
	struct audit_ctx *ctx = vctx;
	int ms = probe_tick(ctx->probe, ctx->inv);
	const char *line = probe_progress_line(ctx->probe);
	if (ctx->progress && line)
		fprintf(stderr, "\r%s", line);
	if (ms == PROBE_TICK_ERROR) {
		ctx->probe_failed = 1;
		return -1;
	}
	if (ms == PROBE_TICK_DONE)
		return ctx->seconds > 0 ? 100 : -1;
	return ms;
}

/* After the privileges are gone, uid 0 no longer overrides permissions:
 * find out now, not after the scan, whether the result can be written. */
static int output_dir_writable(const char *out_path)
{
	if (!out_path || strcmp(out_path, "-") == 0)
		return 1;
	char *dir = xstrdup(out_path);
	char *slash = strrchr(dir, '/');
	const char *d = !slash ? "." : slash == dir ? "/" : (*slash = '\0', dir);
	int ok = access(d, W_OK | X_OK) == 0;
	if (!ok)
		cli_warn("cannot write the result in %s once privileges are dropped: %s (give -o a "
		         "directory this user may write, or run as a user with setcap "
		         "cap_net_raw=ep on segscan)",
		         d, strerror(errno));
	free(dir);
	return ok;
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

/* Work that needs nothing from the capture runs beside it: the vendor
 * registries are read while packets are (a few MiB of CSV), and the
 * inventory, no longer needed once exported, is freed while the result is
 * written. Without a thread (pthread_create failed) each runs inline. */
struct side_job {
	pthread_t th;
	int started;
	const char *ieee_dir;
	struct vendor_db *vdb;
	struct inventory *inv;
};

static void *vendor_job(void *arg)
{
	struct side_job *j = arg;
	j->vdb = vnd_load(j->ieee_dir, NULL);
	return NULL;
}

static void *free_job(void *arg)
{
	struct side_job *j = arg;
	inv_free(j->inv);
	return NULL;
}

/* Starts fn(j) on a thread that blocks every signal (the handlers keep
 * running on the main thread, which reads the stop flag), or runs it
 * here. */
static void side_start(struct side_job *j, void *(*fn)(void *))
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	j->started = pthread_create(&j->th, NULL, fn, j) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!j->started)
		fn(j);
}

static void side_wait(struct side_job *j)
{
	if (j->started)
		pthread_join(j->th, NULL);
	j->started = 0;
}

int cmd_audit(int argc, char **argv)
{
	enum { OPT_FILTER = 256, OPT_IEEE, OPT_LANG, OPT_PROBE_BASE };
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
	const char **files = xcalloc((size_t)argc, sizeof(char *));
	const char **ifaces = xcalloc((size_t)argc, sizeof(char *));
	size_t nfiles = 0, nifaces = 0;
	const char *policy_path = NULL, *out_path = NULL, *format = NULL, *filter = NULL;
	const char *ieee_dir = NULL;
	struct res_render_opts ropts = {RES_LANG_EN, 0};
	double seconds = 0;
	int quiet = 0, c, rc = EXIT_ERROR;
	struct probe_opts popts;
	probe_opts_init(&popts);
	struct probe *probe = NULL;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+r:i:t:p:o:f:qh", opts, NULL)) != -1) {
		if (c >= OPT_PROBE_BASE && c < OPT_PROBE_BASE + PROBE_OPT__COUNT) {
			char perr[256];
			if (probe_parse_option(&popts, c - OPT_PROBE_BASE, optarg, perr,
			                       sizeof(perr)) != 0) {
				rc = cli_usage_error("audit", "%s", perr);
				goto out;
			}
			continue;
		}
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
				rc = cli_usage_error(
				    "audit", "-t wants a positive number of seconds, not '%s'",
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
				rc = cli_usage_error("audit", "unknown language '%s' (en or ja)",
				                     optarg);
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
			rc = cli_usage_error("audit", "option '%s' needs an argument",
			                     argv[optind - 1]);
			goto out;
		default:
			if (optopt && strchr("ritpof", optopt))
				rc = cli_usage_error("audit", "option '-%c' needs an argument",
				                     optopt);
			else
				rc = cli_usage_error("audit", "unknown option '%s'",
				                     argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cli_usage_error(
		    "audit", "unexpected argument '%s' (captures are given with -r)", argv[optind]);
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
	if (!popts.kinds && (popts.n_targets || popts.write_probes || popts.ports)) {
		rc = cli_usage_error("audit",
		                     "--target, --ports and --write-probes go with --probe");
		goto out;
	}
	if (popts.kinds && nifaces != 1) {
		rc = cli_usage_error("audit",
		                     "--probe needs exactly one -i IFACE, the interface the "
		                     "probes leave from");
		goto out;
	}
	popts.iface = popts.kinds ? ifaces[0] : NULL;
	if (!format)
		format = out_path ? "json" : "text";
	if (!res_format_find(format)) {
		rc = cli_usage_error("audit", "unknown format '%s' (%s)", format,
		                     res_format_names());
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
	if (popts.kinds) {
		/* The plan goes out before anything is opened or sent. */
		char perr[1024];
		if (!(probe = probe_new(&popts, pol, perr, sizeof(perr)))) {
			cli_warn("%s", perr);
			open_failed = 1;
		} else {
			char *plan = probe_plan_text(probe);
			fputs(plan, stderr);
			free(plan);
		}
		/* Keep CAP_NET_RAW only, effective just around the opens. */
		if (!open_failed && (probe_priv_limit(err, sizeof(err)) != 0 ||
		                     probe_priv_raise(err, sizeof(err)) != 0)) {
			cli_warn("%s", err);
			open_failed = 1;
		}
	}
	/* A dry run (--write-probes) opens no capture and sends nothing. */
	for (size_t i = 0; i < nsrc && !open_failed && !popts.write_probes; i++) {
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

	if (probe && !open_failed && probe_open(probe, err, sizeof(err)) != 0) {
		cli_warn("%s", err);
		open_failed = 1;
	}
	if (popts.kinds && !open_failed) {
		if (probe_priv_drop(err, sizeof(err)) != 0) {
			cli_warn("%s", err);
			open_failed = 1;
		} else if (!output_dir_writable(out_path)) {
			open_failed = 1;
		}
	}

	struct result *res = NULL;
	struct inventory *inv = NULL;
	struct side_job vendor = {.ieee_dir = ieee_dir}, freeing = {0};
	if (open_failed)
		goto close;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	side_start(&vendor, vendor_job);
	inv = inv_new(pol);
	res = res_new("audit");
	res->started = ss_time_now();
	int progress = !quiet && isatty(STDERR_FILENO);
	struct audit_ctx actx = {inv, probe, seconds, progress, 0};
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
			if (one.last != SS_TIME_NONE &&
			    (cnt.last == SS_TIME_NONE || one.last > cnt.last))
				cnt.last = one.last;
		}
	} else if (popts.write_probes) {
		if (probe_run_dry(probe, inv, err, sizeof(err)) != 0) {
			cli_warn("%s", err);
			actx.probe_failed = 1;
		}
	} else {
		for (size_t i = 0; i < nifaces; i++) {
			char *name = xasprintf("live:%s", ifaces[i]);
			res_strv_add(&res->inputs, name);
			free(name);
		}
		if (progress)
			fprintf(stderr, "capturing on %zu interface(s)%s; Ctrl-C to stop\n",
			        nifaces, seconds > 0 ? " for the given time" : "");
		if (cap_run_live_tick(caps, nifaces, on_packet, &actx, &cnt, seconds, &stop_flag,
		                      progress && !probe, probe ? audit_tick : NULL, &actx, err,
		                      sizeof(err)) != 0)
			cli_warn("warning: %s", err);
		if (probe && progress)
			fputc('\n', stderr);
		add_counters(&res->stats, &cnt);
	}
	if (probe) {
		struct probe_stats st;
		probe_get_stats(probe, &st);
		if (actx.probe_failed)
			cli_warn("probes stopped: %s", probe_error(probe));
		if (popts.write_probes)
			cli_warn(
			    "probes: wrote %zu frames (%zu ARP, %zu TCP) to %s; nothing was sent",
			    st.frames, st.arp_sent, st.tcp_sent, popts.write_probes);
		else
			cli_warn(
			    "probes: %zu frames in %.1f s (%.1f/s), %zu replies, %zu hosts up, %zu "
			    "open, %zu closed, %zu filtered ports",
			    st.frames, st.elapsed,
			    st.elapsed > 0 ? (double)(st.frames - 1) / st.elapsed : 0.0, st.replies,
			    st.hosts_up, st.open, st.closed, st.filtered);
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

	side_wait(&vendor);
	inv_export(inv, vendor.vdb, res);
	vnd_free(vendor.vdb);
	vendor.vdb = NULL;
	freeing.inv = inv;
	inv = NULL;
	side_start(&freeing, free_job);

	if (res_render_to_path(res, format, &ropts, out_path ? out_path : "-", err, sizeof(err)) !=
	    0) {
		cli_warn("%s", err);
		rc = EXIT_ERROR;
	} else
		rc = res->n_violations ? EXIT_VIOLATIONS : EXIT_CLEAN;
	if (actx.probe_failed)
		rc = EXIT_ERROR;

close:
	side_wait(&vendor);
	vnd_free(vendor.vdb);
	side_wait(&freeing);
	for (size_t i = 0; i < nsrc; i++)
		cap_close(caps[i]);
	free(caps);
	inv_free(inv);
	res_free(res);
	probe_free(probe);
	pol_free(pol);
out:
	probe_opts_free(&popts);
	free(files);
	free(ifaces);
	return rc;
}
