/*
 * cli/cmd-monitor.c - `segscan monitor`: the audit pipeline as a service.
 *
 * Captures live on one or more interfaces for months, tells only what is
 * new as ECS JSON lines (monitor/events.h, monitor/monitor.h), keeps its
 * state on disk so a restart or a crash announces nothing twice, and keeps
 * its memory bounded (scanner/inventory-evict.c).
 *
 * The loop is our own poll() over the captures and a self-pipe the signal
 * handlers write to, so a signal is handled within one poll, never inside
 * a handler, and one interface failing does not stop the others:
 *   - packets: inv_add, then the table limits (eviction, limit_reached);
 *   - when a packet created a MAC, address or flow (at most once a second,
 *     less often when exporting is slow), or every 10 s: export and compare
 *     (new_host, host_changed, violation);
 *   - every second: link state of each interface; reopening lost ones;
 *   - every --checkpoint: violation_summary, host_gone, capture_stats, the
 *     state written atomically, the event file fsynced;
 *   - SIGHUP: reload the policy (a broken one is an error event and the old
 *     one stays), reopen the event file; SIGUSR1: a report now; SIGTERM and
 *     SIGINT: a last checkpoint, exit 0.
 *
 * Privileges: every capture is opened first, then the process becomes -Z
 * USER (initgroups, setgid, setuid, each checked, and setuid(0) must fail
 * afterwards) and in every case gives up every capability for good. A link
 * that goes down and up keeps its capture (libpcap resumes); an interface
 * that disappears is reopened when it comes back, which needs CAP_NET_RAW:
 * without it the monitor says so in an error event and runs on.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "model/result.h"
#include "monitor/events.h"
#include "monitor/monitor.h"
#include "reports/render.h"
#include "scanner/capture.h"
#include "scanner/inventory.h"
#include "scanner/probe.h"
#include "scanner/vendor.h"

#define DEFAULT_STATE_DIR  "/var/lib/segscan"
#define DEFAULT_CHECKPOINT 60.0
#define DEFAULT_EXPIRY     86400.0
#define DEFAULT_MAX_HOSTS  100000
#define DEFAULT_MAX_FLOWS  500000
#define EVENT_BURST        1000 /* new_host / violation events per checkpoint interval */
#define REOPEN_SECONDS     5.0  /* retry period for a lost interface */
#define IDLE_EXPORT        10.0 /* export at least this often while packets arrive */

static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* the pipe is full: signals are already pending */
	}
	errno = saved;
}

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
	        "      --state DIR         state directory (default " DEFAULT_STATE_DIR
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
	        "  -Z, --user USER         after opening the captures, run as USER\n"
	        "  -h, --help              show this help\n"
	        "\n"
	        "Signals: SIGHUP reloads the policy and reopens the event file, SIGUSR1 writes\n"
	        "DIR/report-TIME.json and .html, SIGTERM and SIGINT save the state and exit 0.\n"
	        "Exit status: 0 stopped by a signal, 2 usage, input, policy or privilege error.\n");
}

struct iface {
	const char *name;
	struct capture *cap;
	struct cap_counters cnt;
	uint64_t drops_closed; /* drops of handles closed since start */
	int link;              /* 1 up and running, 0 down, -1 absent or unknown */
	int lost;              /* the capture failed: reopening */
	double next_retry;
	int retry_reported;
};

struct mon {
	const char *policy_path, *filter, *state_dir;
	char *state_path;
	double checkpoint;
	size_t max_hosts, max_flows;
	struct policy *pol;
	struct inventory *inv;
	struct vendor_db *vdb;
	struct ev_writer *ew;
	struct mon_state *ms;
	struct iface *ifs;
	size_t nifs;
	int sock; /* for SIOCGIFFLAGS */
	ss_time started;
	int dirty; /* a packet created a table entry since the last export */
	uint64_t packets_at_export;
	/* eviction: reported at once the first time in an interval, then summed */
	int limit_reported;
	struct inv_evict_stats evicted;
	uint64_t evict_rounds;
	int write_error_reported;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void emit(struct mon *m, json_t *ev)
{
	if (ev_write(m->ew, ev) != 0 && !m->write_error_reported) {
		/* Tell the operator once on stderr (the journal under systemd). */
		cli_warn("monitor: cannot write events: %s", strerror(errno));
		m->write_error_reported = 1;
	}
}

static void emit_cb(void *ctx, json_t *ev)
{
	emit(ctx, ev);
}

static void emit_error(struct mon *m, const char *category, const char *msg)
{
	json_t *ev = ev_new("error", "event", category, "error", EV_ERROR, ss_time_now(), msg);
	ev_set_str(ev, "error.message", msg);
	ev_set_str(ev, "event.outcome", "failure");
	emit(m, ev);
}

static void emit_iface(struct mon *m, const char *action, const char *type, enum ev_level lvl,
                       const struct iface *f, const char *msg)
{
	json_t *ev = ev_new(action, "state", "network", type, lvl, ss_time_now(), msg);
	ev_set_str(ev, "observer.ingress.interface.name", f->name);
	emit(m, ev);
}

static size_t total_entries(const struct inventory *inv)
{
	return inv_mac_count(inv) + inv_ip_count(inv) + inv_flow_count(inv);
}

static void emit_limit(struct mon *m, const struct inv_evict_stats *st, uint64_t rounds)
{
	char msg[320];
	snprintf(msg, sizeof(msg),
	         "Memory limit reached: evicted the least recently seen %zu MAC(s), %zu "
	         "address(es) and %zu flow(s) (--max-hosts %zu, --max-flows %zu)",
	         st->macs, st->ips, st->flows, m->max_hosts, m->max_flows);
	json_t *ev =
	    ev_new("limit_reached", "event", "host", "info", EV_WARNING, ss_time_now(), msg);
	ev_set_str(ev, "labels.limit",
	           st->flows && !st->macs && !st->ips ? "max-flows" : "max-hosts");
	ev_set_int(ev, "labels.max_hosts", (int64_t)m->max_hosts);
	ev_set_int(ev, "labels.max_flows", (int64_t)m->max_flows);
	ev_set_int(ev, "labels.evicted_macs", (int64_t)st->macs);
	ev_set_int(ev, "labels.evicted_ips", (int64_t)st->ips);
	ev_set_int(ev, "labels.evicted_flows", (int64_t)st->flows);
	ev_set_int(ev, "labels.evictions", (int64_t)rounds);
	emit(m, ev);
}

static void on_packet(void *ctx, const struct pkt *p)
{
	struct mon *m = ctx;
	size_t before = total_entries(m->inv);
	inv_add(m->inv, p);
	if (total_entries(m->inv) == before)
		return;
	m->dirty = 1;
	struct inv_evict_stats st;
	if (!inv_evict(m->inv, m->max_hosts, m->max_flows, &st))
		return;
	m->evict_rounds++;
	if (!m->limit_reported) {
		emit_limit(m, &st, 1);
		m->limit_reported = 1;
		m->evict_rounds = 0;
		return;
	}
	m->evicted.macs += st.macs;
	m->evicted.ips += st.ips;
	m->evicted.flows += st.flows;
}

/* A fresh export of the inventory, compared with the known state. */
static struct result *export_and_compare(struct mon *m)
{
	struct result *r = res_new("monitor");
	r->started = m->started;
	r->ended = ss_time_now();
	r->capture_first = r->capture_last = SS_TIME_NONE;
	for (size_t i = 0; i < m->nifs; i++) {
		char *name = xasprintf("live:%s", m->ifs[i].name);
		res_strv_add(&r->inputs, name);
		free(name);
		const struct cap_counters *c = &m->ifs[i].cnt;
		r->stats.packets += c->packets;
		r->stats.decoded += c->decoded;
		r->stats.truncated += c->truncated;
		r->stats.malformed += c->malformed;
		r->stats.unsupported += c->unsupported;
		r->stats.non_ip += c->non_ip;
		uint64_t d = 0;
		if (m->ifs[i].cap)
			cap_drops(m->ifs[i].cap, &d);
		r->stats.dropped += d + m->ifs[i].drops_closed;
		if (c->first != SS_TIME_NONE &&
		    (r->capture_first == SS_TIME_NONE || c->first < r->capture_first))
			r->capture_first = c->first;
		if (c->last != SS_TIME_NONE && c->last > r->capture_last)
			r->capture_last = c->last;
	}
	r->policy_path = xstrdup(pol_path(m->pol));
	r->policy_sha256 = xstrdup(pol_sha256(m->pol));
	if (pol_site(m->pol))
		r->site = xstrdup(pol_site(m->pol));
	inv_export(m->inv, m->vdb, r);
	mon_update(m->ms, r, ss_time_now());
	m->dirty = 0;
	return r;
}

static uint64_t packets_total(const struct mon *m)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->nifs; i++)
		n += m->ifs[i].cnt.packets;
	return n;
}

static void capture_stats(struct mon *m)
{
	for (size_t i = 0; i < m->nifs; i++) {
		struct iface *f = &m->ifs[i];
		uint64_t d = 0;
		if (f->cap)
			cap_drops(f->cap, &d);
		d += f->drops_closed;
		char msg[256];
		snprintf(msg, sizeof(msg),
		         "%s: %llu packets, %llu dropped by the kernel or interface", f->name,
		         (unsigned long long)f->cnt.packets, (unsigned long long)d);
		json_t *ev = ev_new("capture_stats", "metric", "network", "info",
		                    d ? EV_WARNING : EV_INFO, ss_time_now(), msg);
		ev_set_str(ev, "observer.ingress.interface.name", f->name);
		ev_set_int(ev, "labels.packets", (int64_t)f->cnt.packets);
		ev_set_int(ev, "labels.decoded", (int64_t)f->cnt.decoded);
		ev_set_int(ev, "labels.dropped", (int64_t)d);
		ev_set_int(ev, "labels.malformed", (int64_t)(f->cnt.malformed + f->cnt.truncated));
		ev_set_str(ev, "labels.link", f->lost ? "lost" : f->link > 0 ? "up" : "down");
		ev_set_int(ev, "labels.macs", (int64_t)inv_mac_count(m->inv));
		ev_set_int(ev, "labels.addresses", (int64_t)inv_ip_count(m->inv));
		ev_set_int(ev, "labels.flows", (int64_t)inv_flow_count(m->inv));
		ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m->ms));
		emit(m, ev);
	}
}

/* Export, periodic events, state on disk. Returns 0 or -1 (state not saved). */
static int checkpoint(struct mon *m, int final)
{
	struct result *r = export_and_compare(m);
	mon_checkpoint(m->ms, ss_time_now());
	if (m->evict_rounds) {
		emit_limit(m, &m->evicted, m->evict_rounds);
		memset(&m->evicted, 0, sizeof(m->evicted));
		m->evict_rounds = 0;
	}
	m->limit_reported = 0;
	if (!final)
		capture_stats(m);
	mon_complete(m->ms, r);
	char err[600];
	int rc = mon_save(m->ms, r, m->state_path, err, sizeof(err));
	if (rc != 0) {
		char msg[700];
		snprintf(msg, sizeof(msg), "state not saved: %s", err);
		emit_error(m, "file", msg);
	}
	res_free(r);
	ev_writer_sync(m->ew);
	return rc;
}

static void time_stamp(char *out, size_t sz)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, sz, "%Y%m%dT%H%M%SZ", &tm);
}

static void write_report(struct mon *m)
{
	struct result *r = export_and_compare(m);
	mon_complete(m->ms, r);
	char ts[32];
	time_stamp(ts, sizeof(ts));
	static const char *const fmts[] = {"json", "html"};
	for (size_t i = 0; i < 2; i++) {
		char *path = xasprintf("%s/report-%s.%s", m->state_dir, ts, fmts[i]);
		char err[512];
		if (res_render_to_path(r, fmts[i], NULL, path, err, sizeof(err)) != 0) {
			emit_error(m, "file", err);
		} else {
			char msg[600];
			snprintf(msg, sizeof(msg), "Report written: %s", path);
			json_t *ev = ev_new("report_written", "event", "file", "creation", EV_INFO,
			                    ss_time_now(), msg);
			ev_set_str(ev, "file.path", path);
			ev_set_int(ev, "labels.hosts", (int64_t)r->n_hosts);
			ev_set_int(ev, "labels.violations", (int64_t)r->n_violations);
			emit(m, ev);
		}
		free(path);
	}
	res_free(r);
}

static void reload_policy(struct mon *m)
{
	char err[300];
	if (ev_writer_reopen(m->ew, err, sizeof(err)) != 0) {
		char msg[400];
		snprintf(msg, sizeof(msg),
		         "event file not reopened (still writing the old one): %s", err);
		emit_error(m, "file", msg);
	}
	struct pol_error e;
	memset(&e, 0, sizeof(e));
	struct policy *np = pol_load_file(m->policy_path, &e);
	if (!np) {
		const char *file = e.file[0] ? e.file : m->policy_path;
		char msg[1200];
		if (e.line > 0)
			snprintf(
			    msg, sizeof(msg),
			    "%s:%d:%d: %s (policy not reloaded; the previous one stays in force)",
			    file, e.line, e.col, e.msg);
		else
			snprintf(msg, sizeof(msg),
			         "%s: %s (policy not reloaded; the previous one stays in force)",
			         file, e.msg);
		json_t *ev = ev_new("error", "event", "configuration", "error", EV_ERROR,
		                    ss_time_now(), msg);
		ev_set_str(ev, "error.message", msg);
		ev_set_str(ev, "event.outcome", "failure");
		ev_set_str(ev, "file.path", file);
		if (e.line > 0) {
			ev_set_int(ev, "labels.line", e.line);
			ev_set_int(ev, "labels.column", e.col);
		}
		ev_set_str(ev, "labels.policy_sha256", pol_sha256(m->pol));
		emit(m, ev);
		return;
	}
	int same = strcmp(pol_sha256(np), pol_sha256(m->pol)) == 0;
	inv_set_policy(m->inv, np);
	pol_free(m->pol);
	m->pol = np;
	m->dirty = 1; /* re-judge everything at the next export */
	char msg[600];
	snprintf(msg, sizeof(msg), "Policy %s reloaded%s (%zu zones, %zu rules, %zu assets)",
	         m->policy_path, same ? ", unchanged" : "", pol_zone_count(np), pol_rule_count(np),
	         pol_asset_count(np));
	json_t *ev = ev_new("policy_reloaded", "event", "configuration", "change", EV_NOTICE,
	                    ss_time_now(), msg);
	ev_set_str(ev, "file.path", m->policy_path);
	ev_set_str(ev, "labels.policy_sha256", pol_sha256(np));
	ev_set_str(ev, "event.outcome", "success");
	emit(m, ev);
}

/* 1 up and running, 0 down, -1 absent. */
static int link_state(int sock, const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) != 0)
		return -1;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING) ? 1 : 0;
}

static int open_capture(struct mon *m, struct iface *f, char *err, size_t errsz)
{
	f->cap = cap_open_live(f->name, err, errsz);
	if (!f->cap)
		return -1;
	if (m->filter && cap_set_filter(f->cap, m->filter, err, errsz) != 0) {
		cap_close(f->cap);
		f->cap = NULL;
		return -1;
	}
	return 0;
}

static void lose_capture(struct mon *m, struct iface *f, const char *why, double now)
{
	uint64_t d = 0;
	if (cap_drops(f->cap, &d) == 0)
		f->drops_closed += d;
	cap_close(f->cap);
	f->cap = NULL;
	f->lost = 1;
	f->retry_reported = 0;
	f->next_retry = now + REOPEN_SECONDS;
	char msg[1400];
	snprintf(msg, sizeof(msg),
	         "Capture on %s lost (%s); reopening every %.0f s, the other interfaces go on",
	         f->name, why, REOPEN_SECONDS);
	emit_iface(m, "interface_lost", "error", EV_ERROR, f, msg);
}

static void check_links(struct mon *m, double now)
{
	for (size_t i = 0; i < m->nifs; i++) {
		struct iface *f = &m->ifs[i];
		int st = link_state(m->sock, f->name);
		if (f->lost) {
			if (now < f->next_retry)
				continue;
			f->next_retry = now + REOPEN_SECONDS;
			char err[512];
			if (st < 0) {
				f->link = -1;
				continue; /* not back yet */
			}
			if (open_capture(m, f, err, sizeof(err)) != 0) {
				if (!f->retry_reported) {
					char msg[900];
					snprintf(msg, sizeof(msg), "Cannot reopen %s: %s", f->name,
					         err);
					emit_iface(m, "error", "error", EV_ERROR, f, msg);
					f->retry_reported = 1;
				}
				continue;
			}
			f->lost = 0;
			f->link = st;
			char msg[200];
			snprintf(msg, sizeof(msg), "Capture on %s reopened", f->name);
			emit_iface(m, "interface_reopened", "start", EV_NOTICE, f, msg);
			continue;
		}
		if (st != f->link) {
			char msg[200];
			if (st > 0) {
				snprintf(msg, sizeof(msg),
				         "Interface %s is up again; capture resumed", f->name);
				emit_iface(m, "interface_up", "start", EV_NOTICE, f, msg);
			} else {
				snprintf(msg, sizeof(msg), "Interface %s is %s; waiting for it",
				         f->name, st == 0 ? "down" : "gone");
				emit_iface(m, "interface_down", "end", EV_WARNING, f, msg);
			}
			f->link = st;
		}
	}
}

/* -Z: initgroups, setgid, setuid, each checked; then root must be out of
 * reach. In every case, no capability is kept. */
static int drop_privileges(const char *user, const char *state_dir, char *err, size_t errsz)
{
	if (user) {
		errno = 0;
		struct passwd *pw = getpwnam(user);
		if (!pw) {
			snprintf(err, errsz, "-Z %s: %s", user,
			         errno ? strerror(errno) : "no such user");
			return -1;
		}
		if (pw->pw_uid == 0) {
			snprintf(err, errsz, "-Z %s: refusing to run as a user with uid 0", user);
			return -1;
		}
		if (geteuid() != 0) {
			snprintf(err, errsz, "-Z %s needs to be started as root", user);
			return -1;
		}
		uid_t uid = pw->pw_uid;
		gid_t gid = pw->pw_gid;
		/* The state directory must stay writable by the new user. */
		struct stat st;
		if (stat(state_dir, &st) == 0 && st.st_uid == 0 &&
		    chown(state_dir, uid, gid) != 0) {
			snprintf(err, errsz, "chown %s: %s", state_dir, strerror(errno));
			return -1;
		}
		if (initgroups(pw->pw_name, gid) != 0) {
			snprintf(err, errsz, "initgroups(%s): %s", user, strerror(errno));
			return -1;
		}
		if (setgid(gid) != 0) {
			snprintf(err, errsz, "setgid(%ld): %s", (long)gid, strerror(errno));
			return -1;
		}
		if (setuid(uid) != 0) {
			snprintf(err, errsz, "setuid(%ld): %s", (long)uid, strerror(errno));
			return -1;
		}
		if (setuid(0) == 0 || seteuid(0) == 0) {
			snprintf(err, errsz,
			         "-Z %s: root could be regained after setuid; refusing to run",
			         user);
			return -1;
		}
		if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
			snprintf(err, errsz, "-Z %s: user or group ids did not change", user);
			return -1;
		}
	}
	return probe_priv_drop(err, errsz);
}

static int parse_seconds(const char *opt, const char *s, double min, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || end == s || v < min || v > 31536000.0 * 10)
		return cli_usage_error("monitor", "%s wants a number of seconds >= %g, not '%s'",
		                       opt, min, s);
	*out = v;
	return 0;
}

static int parse_count(const char *opt, const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || v < 100 || v > 100000000ULL)
		return cli_usage_error("monitor",
		                       "%s wants a count from 100 to 100000000, not '%s'", opt, s);
	*out = (size_t)v;
	return 0;
}

/* Creates DIR 0700 if absent; refuses anything that is not a directory. */
static int prepare_state_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		cli_warn("monitor: %s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		cli_warn("monitor: %s: not a directory", dir);
		return -1;
	}
	/* The records are evidence: nobody else reads them. */
	if (st.st_uid == geteuid() && (st.st_mode & 077) && chmod(dir, 0700) != 0) {
		cli_warn("monitor: chmod %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* Reads the state; a broken file is kept aside and the monitor starts fresh. */
static void load_state(struct mon *m)
{
	char err[1024];
	int rc = mon_load(m->ms, m->state_path, err, sizeof(err));
	if (rc >= 0)
		return;
	char ts[32];
	time_stamp(ts, sizeof(ts));
	char *aside = xasprintf("%s.corrupt-%s", m->state_path, ts);
	int moved = rename(m->state_path, aside) == 0;
	char msg[1400];
	snprintf(msg, sizeof(msg), "state unreadable, starting fresh%s%s: %s",
	         moved ? "; kept as " : "", moved ? aside : "", err);
	emit_error(m, "file", msg);
	free(aside);
	mon_free(m->ms);
	m->ms = NULL;
}

int cmd_monitor(int argc, char **argv)
{
	enum {
		OPT_STATE = 256,
		OPT_EVENTS,
		OPT_SYSLOG,
		OPT_CHECKPOINT,
		OPT_EXPIRY,
		OPT_MAX_HOSTS,
		OPT_MAX_FLOWS,
		OPT_FILTER,
		OPT_IEEE
	};
	static const struct option opts[] = {
	    {"interface", required_argument, NULL, 'i'},
	    {"policy", required_argument, NULL, 'p'},
	    {"state", required_argument, NULL, OPT_STATE},
	    {"events", required_argument, NULL, OPT_EVENTS},
	    {"syslog", no_argument, NULL, OPT_SYSLOG},
	    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
	    {"host-expiry", required_argument, NULL, OPT_EXPIRY},
	    {"max-hosts", required_argument, NULL, OPT_MAX_HOSTS},
	    {"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	    {"filter", required_argument, NULL, OPT_FILTER},
	    {"ieee-dir", required_argument, NULL, OPT_IEEE},
	    {"user", required_argument, NULL, 'Z'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	struct mon m;
	memset(&m, 0, sizeof(m));
	m.state_dir = DEFAULT_STATE_DIR;
	m.checkpoint = DEFAULT_CHECKPOINT;
	m.max_hosts = DEFAULT_MAX_HOSTS;
	m.max_flows = DEFAULT_MAX_FLOWS;
	m.sock = -1;
	double expiry = DEFAULT_EXPIRY;
	const char *events_path = "-", *user = NULL, *ieee_dir = NULL;
	int use_syslog = 0, c, rc = EXIT_ERROR;
	const char **names = xcalloc((size_t)argc + 1, sizeof(char *));

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:i:p:Z:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			names[m.nifs++] = optarg;
			break;
		case 'p':
			m.policy_path = optarg;
			break;
		case 'Z':
			user = optarg;
			break;
		case OPT_STATE:
			m.state_dir = optarg;
			break;
		case OPT_EVENTS:
			events_path = optarg;
			break;
		case OPT_SYSLOG:
			use_syslog = 1;
			break;
		case OPT_CHECKPOINT:
			if (parse_seconds("--checkpoint", optarg, 1, &m.checkpoint))
				goto out;
			break;
		case OPT_EXPIRY:
			if (parse_seconds("--host-expiry", optarg, 0, &expiry))
				goto out;
			break;
		case OPT_MAX_HOSTS:
			if (parse_count("--max-hosts", optarg, &m.max_hosts))
				goto out;
			break;
		case OPT_MAX_FLOWS:
			if (parse_count("--max-flows", optarg, &m.max_flows))
				goto out;
			break;
		case OPT_FILTER:
			m.filter = optarg;
			break;
		case OPT_IEEE:
			ieee_dir = optarg;
			break;
		case 'h':
			usage(stdout);
			rc = EXIT_CLEAN;
			goto out;
		case ':':
			rc = cli_usage_error("monitor", "option '%s' needs an argument",
			                     argv[optind - 1]);
			goto out;
		default:
			rc = cli_usage_error("monitor", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cli_usage_error("monitor", "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!m.nifs) {
		rc = cli_usage_error("monitor", "nothing to watch: give -i IFACE");
		goto out;
	}
	if (!m.policy_path) {
		rc = cli_usage_error("monitor", "a policy is required: give -p POLICY");
		goto out;
	}

	umask(077);
	if (!(m.pol = cli_load_policy(m.policy_path)))
		goto out;
	if (prepare_state_dir(m.state_dir) != 0)
		goto cleanup;
	m.state_path = xasprintf("%s/state.json", m.state_dir);
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		cli_warn("monitor: pipe: %s", strerror(errno));
		goto cleanup;
	}

	m.ew = ev_writer_new(SEGSCAN_VERSION, NULL);
	char err[1024];
	if (ev_writer_open(m.ew, events_path, err, sizeof(err)) != 0) {
		cli_warn("monitor: %s", err);
		goto cleanup;
	}
	if (use_syslog) {
		openlog("segscan", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		ev_writer_use_syslog(m.ew, 1);
	}

	/* Every capture before any privilege is given up. */
	m.ifs = xcalloc(m.nifs, sizeof(*m.ifs));
	for (size_t i = 0; i < m.nifs; i++) {
		struct iface *f = &m.ifs[i];
		f->name = names[i];
		f->cnt.first = f->cnt.last = SS_TIME_NONE;
		if (open_capture(&m, f, err, sizeof(err)) != 0) {
			cli_warn("%s", err);
			goto cleanup;
		}
	}
	m.sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (size_t i = 0; i < m.nifs; i++)
		m.ifs[i].link = link_state(m.sock, m.ifs[i].name);
	m.vdb = vnd_load(ieee_dir, NULL);

	struct mon_opts mo = {.host_expiry = (ss_time)(expiry * 1e6),
	                      .max_hosts = m.max_hosts,
	                      .burst = EVENT_BURST,
	                      .emit = emit_cb,
	                      .emit_ctx = &m};
	m.ms = mon_new(&mo);
	/* Read before dropping privileges: a state left by a root run stays
	 * readable; it is written again as the new user. */
	load_state(&m);
	if (!m.ms)
		m.ms = mon_new(&mo);

	if (drop_privileges(user, m.state_dir, err, sizeof(err)) != 0) {
		cli_warn("monitor: %s", err);
		goto cleanup;
	}

	m.inv = inv_new(m.pol);
	m.started = ss_time_now();
	install_signals();
	{
		char msg[300];
		snprintf(msg, sizeof(msg),
		         "segscan monitor started on %zu interface(s); %zu known host(s)", m.nifs,
		         mon_known_hosts(m.ms));
		json_t *ev = ev_new("monitor_started", "event", "process", "start", EV_NOTICE,
		                    ss_time_now(), msg);
		for (size_t i = 0; i < m.nifs; i++)
			ev_append_str(ev, "labels.interfaces", m.ifs[i].name);
		ev_set_str(ev, "file.path", m.state_path);
		ev_set_str(ev, "labels.policy_sha256", pol_sha256(m.pol));
		ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m.ms));
		ev_set_int(ev, "labels.known_violations", (int64_t)mon_known_violations(m.ms));
		ev_set_int(ev, "process.pid", (int64_t)getpid());
		ev_set_int(ev, "user.id", (int64_t)getuid());
		emit(&m, ev);
	}
	/* Prove at once that the state can be written (a service that cannot
	 * keep its state must fail at start, not an hour later). */
	if (checkpoint(&m, 1) != 0) {
		cli_warn("monitor: cannot write %s (see the error event)", m.state_path);
		goto cleanup;
	}

	struct pollfd *pf = xcalloc(m.nifs + 1, sizeof(*pf));
	size_t *pf_if = xcalloc(m.nifs + 1, sizeof(size_t));
	double now = mono_now(), next_tick = now + 1, next_ckpt = now + m.checkpoint;
	double last_export = now, export_gap = 1.0;
	int stop = 0;
	while (!stop) {
		size_t np = 0;
		pf[np].fd = sig_pipe[0];
		pf[np].events = POLLIN;
		np++;
		for (size_t i = 0; i < m.nifs; i++) {
			if (!m.ifs[i].cap)
				continue;
			pf[np].fd = cap_fd(m.ifs[i].cap);
			pf[np].events = POLLIN;
			pf[np].revents = 0;
			pf_if[np] = i;
			np++;
		}
		double wake = next_tick < next_ckpt ? next_tick : next_ckpt;
		if (m.dirty && last_export + export_gap < wake)
			wake = last_export + export_gap;
		now = mono_now();
		int wait_ms = wake <= now ? 0 : (int)((wake - now) * 1000) + 1;
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (poll(pf, np, wait_ms) < 0 && errno != EINTR) {
			emit_error(&m, "process", strerror(errno));
			break;
		}
		int hup = 0, usr1 = 0;
		unsigned char sigs[64];
		ssize_t ns;
		while ((ns = read(sig_pipe[0], sigs, sizeof(sigs))) > 0)
			for (ssize_t k = 0; k < ns; k++) {
				if (sigs[k] == SIGTERM || sigs[k] == SIGINT)
					stop = 1;
				else if (sigs[k] == SIGHUP)
					hup = 1;
				else if (sigs[k] == SIGUSR1)
					usr1 = 1;
			}
		now = mono_now();
		for (size_t k = 1; k < np; k++) {
			struct iface *f = &m.ifs[pf_if[k]];
			if (!f->cap)
				continue;
			if (cap_dispatch(f->cap, on_packet, &m, &f->cnt, err, sizeof(err)) < 0)
				lose_capture(&m, f, err, now);
		}
		if (stop)
			break;
		if (hup)
			reload_policy(&m);
		if (usr1)
			write_report(&m);
		now = mono_now();
		uint64_t pk = packets_total(&m);
		if ((m.dirty && now - last_export >= export_gap) ||
		    (pk != m.packets_at_export && now - last_export >= IDLE_EXPORT)) {
			double t0 = mono_now();
			res_free(export_and_compare(&m));
			double cost = mono_now() - t0;
			/* Exporting a huge inventory every second would starve
			 * the capture: spend at most ~5% of the time on it. */
			export_gap = cost * 20 > 1.0 ? cost * 20 : 1.0;
			if (export_gap > IDLE_EXPORT)
				export_gap = IDLE_EXPORT;
			last_export = mono_now();
			m.packets_at_export = pk;
		}
		if (now >= next_tick) {
			check_links(&m, now);
			next_tick = now + 1;
		}
		if (now >= next_ckpt) {
			checkpoint(&m, 0);
			last_export = mono_now();
			m.packets_at_export = packets_total(&m);
			next_ckpt = mono_now() + m.checkpoint;
		}
	}
	free(pf);
	free(pf_if);

	int saved = checkpoint(&m, 0) == 0;
	{
		json_t *ev =
		    ev_new("monitor_stopped", "event", "process", "end", EV_NOTICE, ss_time_now(),
		           saved ? "segscan monitor stopped; state saved"
		                 : "segscan monitor stopped; the state could not be saved");
		ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m.ms));
		emit(&m, ev);
		ev_writer_sync(m.ew);
	}
	rc = saved ? EXIT_CLEAN : EXIT_ERROR;

cleanup:
	for (size_t i = 0; m.ifs && i < m.nifs; i++)
		cap_close(m.ifs[i].cap);
	free(m.ifs);
	if (m.sock >= 0)
		close(m.sock);
	mon_free(m.ms);
	inv_free(m.inv);
	vnd_free(m.vdb);
	ev_writer_free(m.ew);
	pol_free(m.pol);
	free(m.state_path);
	if (use_syslog)
		closelog();
	for (int k = 0; k < 2; k++)
		if (sig_pipe[k] >= 0) {
			close(sig_pipe[k]);
			sig_pipe[k] = -1;
		}
out:
	free(names);
	return rc;
}
