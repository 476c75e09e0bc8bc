/*
 * cli/cmd-monitor.c - `segscan monitor`: options in, one call to the
 * monitor service (monitor/service.h), which runs the audit pipeline for
 * months over live captures and tells only what is new.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "monitor/service.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: segscan monitor -i IFACE [-i IFACE ...] -p POLICY [--state DIR]\n"
	        "                       [--events FILE|-] [--syslog] [--checkpoint SECONDS]\n"
	        "                       [--host-expiry SECONDS] [--max-hosts N] [--max-flows N]\n"
	        "                       [--filter EXPR] [-Z USER]\n"
	        "Watch interfaces continuously and report what is new as JSON lines (ECS).\n"
	        "\n"
	        "  -i, --interface IFACE   capture live on IFACE (repeatable; needs CAP_NET_RAW)\n"
	        "  -p, --policy POLICY     segmentation policy (YAML); SIGHUP reloads it\n"
	        "      --state DIR         state directory (default " MON_DEFAULT_STATE_DIR
	        "): state.json,\n"
	        "                          reports; created 0700\n"
	        "      --events FILE       append events to FILE, or '-' for stdout (the default)\n"
	        "      --syslog            also send every event to syslog (LOG_DAEMON)\n"
	        "      --checkpoint SECONDS  save the state, summaries and statistics this often\n"
	        "                          (default 60)\n"
	        "      --host-expiry SECONDS  host_gone after a host is unseen this long\n"
	        "                          (default 86400; 0 never)\n"
	        "      --max-hosts N       MACs and addresses kept in memory (default 100000)\n"
	        "      --max-flows N       flows kept in memory (default 500000)\n"
	        "      --filter EXPR       BPF filter applied to every interface\n"
	        "      --ieee-dir DIR      IEEE registry directory (default /usr/share/ieee-data)\n"
	        "  -Z, --user USER         run as USER once the captures are open (default\n"
	        "                          as root: segscan; see --allow-root)\n"
	        "      --allow-root        as root with neither -Z nor a segscan user: run on\n"
	        "  -h, --help              show this help\n"
	        "\n"
	        "Signals: SIGHUP reloads the policy and reopens the event file, SIGUSR1 writes\n"
	        "DIR/report-TIME.json and .html, SIGTERM and SIGINT save the state and exit 0.\n"
	        "Exit status: 0 stopped by a signal, 2 usage, input, policy or privilege error,\n"
	        "3 every capture lost (a service manager should restart it).\n");
}

/* Seconds (>= min) into secs, or a count (100 to 100000000) into count. */
static int parse_number(const char *opt, const char *s, double min, double *secs, size_t *count)
{
	char *end;
	errno = 0;
	if (count) {
		unsigned long long v = strtoull(s, &end, 10);
		if (errno || *end || end == s || s[0] == '-' || v < 100 || v > 100000000ULL)
			return cli_usage_error(
			    "monitor", "%s wants a count from 100 to 100000000, not '%s'", opt, s);
		*count = (size_t)v;
		return 0;
	}
	double v = strtod(s, &end);
	if (errno || *end || end == s || v < min || v > 31536000.0 * 10)
		return cli_usage_error("monitor", "%s wants a number of seconds >= %g, not '%s'",
		                       opt, min, s);
	*secs = v;
	return 0;
}

/* One option into o; 0 or an exit status. Long-only options come as capitals. */
static int option(int c, const char *arg, struct mon_service_opts *o, const char **ifs)
{
	const char **slot = c == 'p'   ? &o->policy_path
	                    : c == 'Z' ? &o->user
	                    : c == 'S' ? &o->state_dir
	                    : c == 'E' ? &o->events_path
	                    : c == 'B' ? &o->filter
	                    : c == 'I' ? &o->ieee_dir
	                               : NULL;
	if (slot)
		*slot = arg;
	else if (c == 'i')
		ifs[o->n_ifaces++] = arg;
	else if (c == 'L' || c == 'R')
		*(c == 'L' ? &o->use_syslog : &o->allow_root) = 1;
	else if (c == 'C')
		return parse_number("--checkpoint", arg, 1, &o->checkpoint, NULL);
	else if (c == 'X')
		return parse_number("--host-expiry", arg, 0, &o->host_expiry, NULL);
	else
		return parse_number(c == 'H' ? "--max-hosts" : "--max-flows", arg, 0, NULL,
		                    c == 'H' ? &o->max_hosts : &o->max_flows);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	static const struct option opts[] = {{"interface", required_argument, NULL, 'i'},
	                                     {"policy", required_argument, NULL, 'p'},
	                                     {"state", required_argument, NULL, 'S'},
	                                     {"events", required_argument, NULL, 'E'},
	                                     {"syslog", no_argument, NULL, 'L'},
	                                     {"allow-root", no_argument, NULL, 'R'},
	                                     {"checkpoint", required_argument, NULL, 'C'},
	                                     {"host-expiry", required_argument, NULL, 'X'},
	                                     {"max-hosts", required_argument, NULL, 'H'},
	                                     {"max-flows", required_argument, NULL, 'F'},
	                                     {"filter", required_argument, NULL, 'B'},
	                                     {"ieee-dir", required_argument, NULL, 'I'},
	                                     {"user", required_argument, NULL, 'Z'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	struct mon_service_opts o;
	mon_service_defaults(&o);
	o.warn = cli_warn;
	const char **ifs = xcalloc((size_t)argc + 1, sizeof(char *));
	o.ifaces = ifs;
	int c, rc = 0;
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, "+:i:p:Z:h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			free(ifs);
			return EXIT_CLEAN;
		}
		if (c == ':')
			rc = cli_usage_error("monitor", "option '%s' needs an argument",
			                     argv[optind - 1]);
		else if (c == '?')
			rc = cli_usage_error("monitor", "unknown option '%s'", argv[optind - 1]);
		else
			rc = option(c, optarg, &o, ifs);
	}
	if (!rc && optind < argc)
		rc = cli_usage_error("monitor", "unexpected argument '%s'", argv[optind]);
	else if (!rc && !o.n_ifaces)
		rc = cli_usage_error("monitor", "nothing to watch: give -i IFACE");
	else if (!rc && !o.policy_path)
		rc = cli_usage_error("monitor", "a policy is required: give -p POLICY");
	struct policy *pol = rc ? NULL : cli_load_policy(o.policy_path);
	char err[1400] = "";
	int run = pol ? mon_service_run(&o, pol, err, sizeof(err)) : rc ? 0 : -1;
	rc = run == MON_EXIT_NO_CAPTURE ? 3 : run ? EXIT_ERROR : rc;
	if (err[0])
		cli_warn("%s", err);
	free(ifs);
	return rc;
}
