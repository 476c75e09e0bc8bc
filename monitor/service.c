/*
 * monitor/service.c - the monitor's service loop (see monitor/service.h).
 *
 * The loop is our own poll() over the captures and a self-pipe the signal
 * handlers write to, so a signal is handled within one poll, never inside
 * a handler, and one interface failing does not stop the others:
 *   - packets: inv_add, then the table limits (eviction, limit_reached);
 *   - when a packet created a MAC, address or flow (at most once a second,
 *     less often when exporting is slow), or every 10 s: export and compare
 *     (new_host, host_changed, violation);
 *   - every second: link state of each interface; reopening lost ones
 *     (monitor/links.c);
 *   - every checkpoint: violation_summary, host_gone, capture_stats, the
 *     state written atomically, the event file fsynced;
 *   - SIGHUP: reload the policy (a broken one is an error event and the old
 *     one stays), reopen the event file; SIGUSR1: a report now; SIGTERM and
 *     SIGINT: a last checkpoint, then return.
 *
 * Privileges (monitor/privs.c): every capture is opened first, then the
 * process becomes -Z USER and in every case gives up every capability for
 * good.
 */
#include "monitor/service.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "model/result.h"
#include "monitor/events.h"
#include "monitor/links.h"
#include "monitor/monitor.h"
#include "monitor/privs.h"
#include "reports/render.h"
#include "scanner/inventory.h"
#include "scanner/vendor.h"

#define EVENT_BURST 1000 /* new_host / violation events per checkpoint interval */
#define IDLE_EXPORT 10.0 /* export at least this often while packets arrive */

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

struct mon {
	const struct mon_service_opts *o;
	char *state_path;
	struct policy *pol;
	struct inventory *inv;
	struct vendor_db *vdb;
	struct ev_writer *ew;
	struct mon_state *ms;
	struct mon_privs privs;
	struct mon_iface *ifs;
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
		/* Tell the operator once (stderr: the journal under systemd). */
		if (m->o->warn)
			m->o->warn("monitor: cannot write events: %s", strerror(errno));
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
	         st->macs, st->ips, st->flows, m->o->max_hosts, m->o->max_flows);
	json_t *ev =
	    ev_new("limit_reached", "event", "host", "info", EV_WARNING, ss_time_now(), msg);
	ev_set_str(ev, "labels.limit",
	           st->flows && !st->macs && !st->ips ? "max-flows" : "max-hosts");
	ev_set_int(ev, "labels.max_hosts", (int64_t)m->o->max_hosts);
	ev_set_int(ev, "labels.max_flows", (int64_t)m->o->max_flows);
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
	if (!inv_evict(m->inv, m->o->max_hosts, m->o->max_flows, &st))
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

static void add_counters(struct result *r, const struct mon_iface *f)
{
	const struct cap_counters *c = &f->cnt;
	r->stats.packets += c->packets;
	r->stats.decoded += c->decoded;
	r->stats.truncated += c->truncated;
	r->stats.malformed += c->malformed;
	r->stats.unsupported += c->unsupported;
	r->stats.non_ip += c->non_ip;
	uint64_t d = 0;
	if (f->cap)
		cap_drops(f->cap, &d);
	r->stats.dropped += d + f->drops_closed;
	if (c->first != SS_TIME_NONE &&
	    (r->capture_first == SS_TIME_NONE || c->first < r->capture_first))
		r->capture_first = c->first;
	if (c->last != SS_TIME_NONE && c->last > r->capture_last)
		r->capture_last = c->last;
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
		add_counters(r, &m->ifs[i]);
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
		struct mon_iface *f = &m->ifs[i];
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
		char *path = xasprintf("%s/report-%s.%s", m->o->state_dir, ts, fmts[i]);
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

static void policy_error(struct mon *m, const struct pol_error *e)
{
	const char *file = e->file[0] ? e->file : m->o->policy_path;
	char msg[1200];
	if (e->line > 0)
		snprintf(msg, sizeof(msg),
		         "%s:%d:%d: %s (policy not reloaded; the previous one stays in force)",
		         file, e->line, e->col, e->msg);
	else
		snprintf(msg, sizeof(msg),
		         "%s: %s (policy not reloaded; the previous one stays in force)", file,
		         e->msg);
	json_t *ev =
	    ev_new("error", "event", "configuration", "error", EV_ERROR, ss_time_now(), msg);
	ev_set_str(ev, "error.message", msg);
	ev_set_str(ev, "event.outcome", "failure");
	ev_set_str(ev, "file.path", file);
	if (e->line > 0) {
		ev_set_int(ev, "labels.line", e->line);
		ev_set_int(ev, "labels.column", e->col);
	}
	ev_set_str(ev, "labels.policy_sha256", pol_sha256(m->pol));
	emit(m, ev);
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
	struct policy *np = pol_load_file(m->o->policy_path, &e);
	if (!np) {
		policy_error(m, &e);
		return;
	}
	int same = strcmp(pol_sha256(np), pol_sha256(m->pol)) == 0;
	inv_set_policy(m->inv, np);
	pol_free(m->pol);
	m->pol = np;
	m->dirty = 1; /* re-judge everything at the next export */
	char msg[600];
	snprintf(msg, sizeof(msg), "Policy %s reloaded%s (%zu zones, %zu rules, %zu assets)",
	         m->o->policy_path, same ? ", unchanged" : "", pol_zone_count(np),
	         pol_rule_count(np), pol_asset_count(np));
	json_t *ev = ev_new("policy_reloaded", "event", "configuration", "change", EV_NOTICE,
	                    ss_time_now(), msg);
	ev_set_str(ev, "file.path", m->o->policy_path);
	ev_set_str(ev, "labels.policy_sha256", pol_sha256(np));
	ev_set_str(ev, "event.outcome", "success");
	emit(m, ev);
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

/* A state bigger than --max-hosts: what was left out. */
static void emit_load_limit(struct mon *m, const struct mon_load_dropped *d)
{
	char msg[400];
	snprintf(msg, sizeof(msg),
	         "Memory limit reached while loading the state: %zu host(s) and %zu violation "
	         "key(s) beyond --max-hosts %zu were left out",
	         d->hosts, d->violations, m->o->max_hosts);
	json_t *ev =
	    ev_new("limit_reached", "event", "host", "info", EV_WARNING, ss_time_now(), msg);
	ev_set_str(ev, "labels.limit", "max-hosts");
	ev_set_str(ev, "labels.phase", "state_load");
	ev_set_int(ev, "labels.max_hosts", (int64_t)m->o->max_hosts);
	ev_set_int(ev, "labels.dropped_hosts", (int64_t)d->hosts);
	ev_set_int(ev, "labels.dropped_violations", (int64_t)d->violations);
	ev_set_str(ev, "file.path", m->state_path);
	emit(m, ev);
}

/* Reads the state; a broken file is kept aside and the monitor starts fresh. */
static void load_state(struct mon *m)
{
	char err[1024];
	struct stat st;
	int rc;
	/* Only the monitor's own state: owned by the user it runs as (or by
	 * root, before a first -Z run). */
	if (lstat(m->state_path, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid != 0 &&
	    st.st_uid != geteuid() && st.st_uid != m->privs.uid) {
		snprintf(err, sizeof(err),
		         "%s: owned by uid %ld, not by the monitor's user: not read", m->state_path,
		         (long)st.st_uid);
		rc = -1;
	} else {
		struct mon_load_dropped d;
		rc = mon_load_bounded(m->ms, m->state_path, &d, err, sizeof(err));
		if (rc == 0 && (d.hosts || d.violations))
			emit_load_limit(m, &d);
	}
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

static void emit_started(struct mon *m)
{
	char msg[300];
	snprintf(msg, sizeof(msg), "segscan monitor started on %zu interface(s); %zu known host(s)",
	         m->nifs, mon_known_hosts(m->ms));
	json_t *ev =
	    ev_new("monitor_started", "event", "process", "start", EV_NOTICE, ss_time_now(), msg);
	for (size_t i = 0; i < m->nifs; i++)
		ev_append_str(ev, "labels.interfaces", m->ifs[i].name);
	ev_set_str(ev, "file.path", m->state_path);
	ev_set_str(ev, "labels.policy_sha256", pol_sha256(m->pol));
	ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m->ms));
	ev_set_int(ev, "labels.known_violations", (int64_t)mon_known_violations(m->ms));
	ev_set_int(ev, "process.pid", (int64_t)getpid());
	ev_set_int(ev, "user.id", (int64_t)getuid());
	emit(m, ev);
}

/* Temporary files a kill -9 left in the middle of a save (state.json.tmp.*,
 * see common/atomic.h): nobody else writes in the directory. */
static void remove_stale_temps(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, "state.json.tmp.", 15) == 0)
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/* Everything up to the first checkpoint: state directory, event file,
 * captures (before any privilege is given up), known state, privileges.
 * 0, or -1 with err. */
static int start(struct mon *m, char *err, size_t errsz)
{
	const struct mon_service_opts *o = m->o;
	char e[1024];
	umask(077);
	if (mon_privs_plan(o->user, o->allow_root, &m->privs, e, sizeof(e)) != 0 ||
	    mon_state_dir_prepare(o->state_dir, &m->privs, e, sizeof(e)) != 0 ||
	    mon_events_dir_check(o->events_path, &m->privs, e, sizeof(e)) != 0) {
		snprintf(err, errsz, "monitor: %s", e);
		return -1;
	}
	m->state_path = xasprintf("%s/state.json", o->state_dir);
	remove_stale_temps(o->state_dir);
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0) {
		snprintf(err, errsz, "monitor: pipe: %s", strerror(errno));
		return -1;
	}
	m->ew = ev_writer_new(o->version, NULL);
	if (ev_writer_open(m->ew, o->events_path, e, sizeof(e)) != 0) {
		snprintf(err, errsz, "monitor: %s", e);
		return -1;
	}
	if (o->use_syslog) {
		openlog("segscan", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		ev_writer_use_syslog(m->ew, 1);
	}
	m->ifs = xcalloc(m->nifs, sizeof(*m->ifs));
	for (size_t i = 0; i < m->nifs; i++) {
		struct mon_iface *f = &m->ifs[i];
		f->name = o->ifaces[i];
		f->cnt.first = f->cnt.last = SS_TIME_NONE;
		if (mon_iface_open(f, o->filter, err, errsz) != 0)
			return -1;
	}
	m->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (size_t i = 0; i < m->nifs; i++)
		m->ifs[i].link = mon_link_state(m->sock, m->ifs[i].name);
	m->vdb = vnd_load(o->ieee_dir, NULL);

	struct mon_opts mo = {.host_expiry = (ss_time)(o->host_expiry * 1e6),
	                      .max_hosts = o->max_hosts,
	                      .max_violations = 2 * o->max_hosts + o->max_flows,
	                      .burst = EVENT_BURST,
	                      .emit = emit_cb,
	                      .emit_ctx = m};
	m->ms = mon_new(&mo);
	/* Read before dropping privileges: a state left by a root run stays
	 * readable; it is written again as the new user. */
	load_state(m);
	if (!m->ms)
		m->ms = mon_new(&mo);
	if (mon_drop_privileges(&m->privs, o->state_dir, e, sizeof(e)) != 0) {
		snprintf(err, errsz, "monitor: %s", e);
		return -1;
	}
	m->inv = inv_new(m->pol);
	m->started = ss_time_now();
	install_signals();
	emit_started(m);
	/* Prove at once that the state can be written (a service that cannot
	 * keep its state must fail at start, not an hour later). */
	if (checkpoint(m, 1) != 0) {
		snprintf(err, errsz, "monitor: cannot write %s (see the error event)",
		         m->state_path);
		return -1;
	}
	/* Started: from here on only the service loop's system calls. */
	if (mon_sandbox(e, sizeof(e)) != 0) {
		snprintf(err, errsz, "monitor: %s", e);
		return -1;
	}
	return 0;
}

/* Reads the signals that arrived; returns 1 on SIGTERM or SIGINT. */
static int read_signals(int *hup, int *usr1)
{
	int stop = 0;
	unsigned char sigs[64];
	ssize_t ns;
	while ((ns = read(sig_pipe[0], sigs, sizeof(sigs))) > 0)
		for (ssize_t k = 0; k < ns; k++) {
			if (sigs[k] == SIGTERM || sigs[k] == SIGINT)
				stop = 1;
			else if (sigs[k] == SIGHUP)
				*hup = 1;
			else if (sigs[k] == SIGUSR1)
				*usr1 = 1;
		}
	return stop;
}

struct clock {
	double next_tick, next_ckpt, last_export, export_gap;
};

/* Fills pf with the signal pipe and every open capture (pf_if: which
 * interface each entry is); returns the count. */
static size_t poll_set(struct mon *m, struct pollfd *pf, size_t *pf_if)
{
	size_t np = 0;
	pf[np].fd = sig_pipe[0];
	pf[np].events = POLLIN;
	np++;
	for (size_t i = 0; i < m->nifs; i++) {
		if (!m->ifs[i].cap)
			continue;
		pf[np].fd = cap_fd(m->ifs[i].cap);
		pf[np].events = POLLIN;
		pf[np].revents = 0;
		pf_if[np] = i;
		np++;
	}
	return np;
}

/* A checkpoint that took longer than its interval: a crash could now lose
 * more than one interval; the operator should raise --checkpoint or lower
 * the limits. */
static void emit_overrun(struct mon *m, double took)
{
	char msg[300];
	snprintf(msg, sizeof(msg),
	         "Checkpoint took %.1f s, longer than --checkpoint %.0f s: a crash may lose more "
	         "than one interval",
	         took, m->o->checkpoint);
	json_t *ev = ev_new("checkpoint_overrun", "event", "process", "info", EV_WARNING,
	                    ss_time_now(), msg);
	ev_set_int(ev, "labels.duration_ms", (int64_t)(took * 1000));
	ev_set_int(ev, "labels.checkpoint_ms", (int64_t)(m->o->checkpoint * 1000));
	ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m->ms));
	ev_set_int(ev, "labels.known_violations", (int64_t)mon_known_violations(m->ms));
	emit(m, ev);
}

/* The timed work after a poll: exports, link checks, checkpoints. */
static void timed_work(struct mon *m, struct clock *c)
{
	double now = mono_now();
	uint64_t pk = packets_total(m);
	if ((m->dirty && now - c->last_export >= c->export_gap) ||
	    (pk != m->packets_at_export && now - c->last_export >= IDLE_EXPORT)) {
		double t0 = mono_now();
		res_free(export_and_compare(m));
		double cost = mono_now() - t0;
		/* Exporting a huge inventory every second would starve the
		 * capture: spend at most ~5% of the time on it. */
		c->export_gap = cost * 20 > 1.0 ? cost * 20 : 1.0;
		if (c->export_gap > IDLE_EXPORT)
			c->export_gap = IDLE_EXPORT;
		c->last_export = mono_now();
		m->packets_at_export = pk;
	}
	if (now >= c->next_tick) {
		mon_links_check(m->ifs, m->nifs, m->sock, m->o->filter, now, emit_cb, m);
		c->next_tick = now + 1;
	}
	if (now >= c->next_ckpt) {
		double t0 = mono_now();
		checkpoint(m, 0);
		if (mono_now() - t0 > m->o->checkpoint)
			emit_overrun(m, mono_now() - t0);
		c->last_export = mono_now();
		m->packets_at_export = packets_total(m);
		c->next_ckpt = mono_now() + m->o->checkpoint;
	}
}

/* No capture is left (each lost one needs CAP_NET_RAW to come back, which
 * the monitor gave up): say so and stop, so the service manager restarts
 * it, rather than run on blind. */
static void emit_blind(struct mon *m)
{
	const char *msg = "No capture left: every interface is lost and cannot be reopened "
	                  "without privileges; exiting so the service manager restarts the "
	                  "monitor";
	json_t *ev = ev_new("error", "event", "process", "error", EV_CRITICAL, ss_time_now(), msg);
	ev_set_str(ev, "error.message", msg);
	ev_set_str(ev, "event.outcome", "failure");
	ev_set_str(ev, "labels.reason", "no_capture");
	emit(m, ev);
}

/* 0 when stopped by a signal (or a poll failure), 1 when no capture is left. */
static int run_loop(struct mon *m)
{
	int blind = 0;
	struct pollfd *pf = xcalloc(m->nifs + 1, sizeof(*pf));
	size_t *pf_if = xcalloc(m->nifs + 1, sizeof(size_t));
	double now = mono_now();
	struct clock c = {now + 1, now + m->o->checkpoint, now, 1.0};
	char err[1024];
	for (;;) {
		size_t np = poll_set(m, pf, pf_if);
		double wake = c.next_tick < c.next_ckpt ? c.next_tick : c.next_ckpt;
		if (m->dirty && c.last_export + c.export_gap < wake)
			wake = c.last_export + c.export_gap;
		now = mono_now();
		int wait_ms = wake <= now ? 0 : (int)((wake - now) * 1000) + 1;
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (poll(pf, np, wait_ms) < 0 && errno != EINTR) {
			emit_error(m, "process", strerror(errno));
			break;
		}
		int hup = 0, usr1 = 0;
		int stop = read_signals(&hup, &usr1);
		now = mono_now();
		for (size_t k = 1; k < np; k++) {
			struct mon_iface *f = &m->ifs[pf_if[k]];
			if (!f->cap)
				continue;
			if (cap_dispatch(f->cap, on_packet, m, &f->cnt, err, sizeof(err)) < 0)
				mon_iface_lose(f, err, now, emit_cb, m);
		}
		if (!mon_links_open(m->ifs, m->nifs)) {
			emit_blind(m);
			blind = 1;
			break;
		}
		if (stop)
			break;
		if (hup)
			reload_policy(m);
		if (usr1)
			write_report(m);
		timed_work(m, &c);
	}
	free(pf);
	free(pf_if);
	return blind;
}

static void cleanup(struct mon *m)
{
	for (size_t i = 0; m->ifs && i < m->nifs; i++)
		cap_close(m->ifs[i].cap);
	free(m->ifs);
	if (m->sock >= 0)
		close(m->sock);
	mon_free(m->ms);
	inv_free(m->inv);
	vnd_free(m->vdb);
	ev_writer_free(m->ew);
	pol_free(m->pol);
	free(m->state_path);
	if (m->o->use_syslog)
		closelog();
	for (int k = 0; k < 2; k++)
		if (sig_pipe[k] >= 0) {
			close(sig_pipe[k]);
			sig_pipe[k] = -1;
		}
}

void mon_service_defaults(struct mon_service_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->state_dir = MON_DEFAULT_STATE_DIR;
	o->events_path = "-";
	o->checkpoint = MON_DEFAULT_CHECKPOINT;
	o->host_expiry = MON_DEFAULT_EXPIRY;
	o->max_hosts = MON_DEFAULT_MAX_HOSTS;
	o->max_flows = MON_DEFAULT_MAX_FLOWS;
	o->version = SEGSCAN_VERSION;
}

int mon_service_run(const struct mon_service_opts *o, struct policy *pol, char *err, size_t errsz)
{
	struct mon m;
	memset(&m, 0, sizeof(m));
	m.o = o;
	m.pol = pol;
	m.nifs = o->n_ifaces;
	m.sock = -1;
	if (errsz)
		err[0] = 0;
	if (start(&m, err, errsz) != 0) {
		cleanup(&m);
		return -1;
	}
	int blind = run_loop(&m);
	int saved = checkpoint(&m, 0) == 0;
	json_t *ev = ev_new("monitor_stopped", "event", "process", "end", EV_NOTICE, ss_time_now(),
	                    saved ? "segscan monitor stopped; state saved"
	                          : "segscan monitor stopped; the state could not be saved");
	ev_set_int(ev, "labels.known_hosts", (int64_t)mon_known_hosts(m.ms));
	emit(&m, ev);
	ev_writer_sync(m.ew);
	cleanup(&m);
	if (blind)
		return MON_EXIT_NO_CAPTURE;
	return saved ? 0 : -1;
}
