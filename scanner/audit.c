/*
 * scanner/audit.c - the audit pipeline (see scanner/audit.h): opening the
 * sources and the probes, reading, exporting the inventory into a result.
 */
#include "scanner/audit.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "scanner/inventory.h"
#include "scanner/vendor.h"

/* ---- messages ---- */

static void say(const struct audit_opts *o, enum audit_msg kind, const char *text)
{
	if (o->msg)
		o->msg(o->msg_ctx, kind, text);
}

static void note(const struct audit_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note(const struct audit_opts *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	say(o, AUDIT_MSG_NOTE, line);
}

/* ---- side jobs ---- */

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

struct audit_bg {
	struct side_job freeing;
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
	j->inv = NULL;
	return NULL;
}

/* Starts fn(j) on a thread that blocks every signal (the handlers keep
 * running on the caller's thread, which reads the stop flag), or runs it
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

/* ---- one run ---- */

struct run {
	const struct audit_opts *o;
	struct capture **caps;
	size_t ncaps;
	struct probe *probe; /* with probes: on the one interface */
	struct inventory *inv;
	int probe_failed;
};

static void on_packet(void *vctx, const struct pkt *p)
{
	struct run *r = vctx;
	/* Our own probes, captured on their way out, are not the network's
	 * traffic; the replies are, and go in like every other frame. */
	if (r->probe && probe_observe(r->probe, r->inv, p))
		return;
	inv_add(r->inv, p);
}

/* Between polls of the live capture: send what --rate allows. Without a
 * duration the audit ends when the probes are done. */
static int on_tick(void *vctx)
{
	struct run *r = vctx;
	int ms = probe_tick(r->probe, r->inv);
	const char *line = probe_progress_line(r->probe);
	if (r->o->progress && line)
		say(r->o, AUDIT_MSG_PROGRESS, line);
	if (ms == PROBE_TICK_ERROR) {
		r->probe_failed = 1;
		return -1;
	}
	if (ms == PROBE_TICK_DONE)
		return r->o->seconds > 0 ? 100 : -1;
	return ms;
}

/* After the privileges are gone, uid 0 no longer overrides permissions:
 * find out now, not after the scan, whether the result can be written. */
static int output_dir_writable(const char *out_path, char *err, size_t errsz)
{
	if (!out_path || strcmp(out_path, "-") == 0)
		return 1;
	char *dir = xstrdup(out_path);
	char *slash = strrchr(dir, '/');
	const char *d = !slash ? "." : slash == dir ? "/" : (*slash = '\0', dir);
	int ok = access(d, W_OK | X_OK) == 0;
	if (!ok)
		snprintf(err, errsz,
		         "cannot write the result in %s once privileges are dropped: %s (give -o a "
		         "directory this user may write, or run as a user with setcap "
		         "cap_net_raw=ep on segscan)",
		         d, strerror(errno));
	free(dir);
	return ok;
}

/* With probes: the plan, then CAP_NET_RAW only, effective just around the
 * opens. 0, or -1 with err. */
static int probes_prepare(struct run *r, char *err, size_t errsz)
{
	const struct audit_opts *o = r->o;
	if (!(r->probe = probe_new(o->probe, o->pol, err, errsz)))
		return -1;
	char *plan = probe_plan_text(r->probe);
	say(o, AUDIT_MSG_PLAN, plan);
	free(plan);
	if (probe_priv_limit(err, errsz) != 0 || probe_priv_raise(err, errsz) != 0)
		return -1;
	return 0;
}

/* Steps 1-3 of audit.h: everything opened, privileges dropped. */
static int open_all(struct run *r, char *err, size_t errsz)
{
	const struct audit_opts *o = r->o;
	int probing = o->probe && o->probe->kinds;
	if (probing && probes_prepare(r, err, errsz) != 0)
		return -1;
	/* A dry run (--write-probes) opens no capture and sends nothing. */
	for (size_t i = 0; i < r->ncaps && !(probing && o->probe->write_probes); i++) {
		r->caps[i] = o->n_files ? cap_open_file(o->files[i], err, errsz)
		                        : cap_open_live(o->ifaces[i], err, errsz);
		if (!r->caps[i])
			return -1;
		if (o->filter && cap_set_filter(r->caps[i], o->filter, err, errsz) != 0)
			return -1;
	}
	if (r->probe && probe_open(r->probe, err, errsz) != 0)
		return -1;
	if (probing) {
		if (probe_priv_drop(err, errsz) != 0)
			return -1;
		if (!output_dir_writable(o->out_path, err, errsz))
			return -1;
	}
	return 0;
}

static void add_counters(struct cap_counters *to, const struct cap_counters *c)
{
	to->packets += c->packets;
	to->decoded += c->decoded;
	to->truncated += c->truncated;
	to->malformed += c->malformed;
	to->unsupported += c->unsupported;
	to->non_ip += c->non_ip;
	to->dropped += c->dropped;
	if (c->first != SS_TIME_NONE && (to->first == SS_TIME_NONE || c->first < to->first))
		to->first = c->first;
	if (c->last != SS_TIME_NONE && (to->last == SS_TIME_NONE || c->last > to->last))
		to->last = c->last;
}

static void set_stats(struct res_stats *s, const struct cap_counters *c)
{
	s->packets = c->packets;
	s->decoded = c->decoded;
	s->truncated = c->truncated;
	s->malformed = c->malformed;
	s->unsupported = c->unsupported;
	s->non_ip = c->non_ip;
	s->dropped = c->dropped;
}

static void read_files(struct run *r, struct audit_out *out)
{
	const struct audit_opts *o = r->o;
	char err[512];
	for (size_t i = 0; i < o->n_files && !*o->stop; i++) {
		res_strv_add(&out->res->inputs, o->files[i]);
		struct cap_counters one;
		memset(&one, 0, sizeof(one));
		one.first = one.last = SS_TIME_NONE;
		if (cap_run(r->caps[i], on_packet, r, &one, 0, o->stop, o->progress, err,
		            sizeof(err)) != 0)
			/* A capture cut off mid-record (the recorder was killed)
			 * still holds everything before the cut. */
			note(o, "warning: %s; kept the %llu packets before it", err,
			     (unsigned long long)one.packets);
		add_counters(&out->capture, &one);
	}
}

static void read_live(struct run *r, struct audit_out *out)
{
	const struct audit_opts *o = r->o;
	char err[512];
	for (size_t i = 0; i < o->n_ifaces; i++) {
		char *name = xasprintf("live:%s", o->ifaces[i]);
		res_strv_add(&out->res->inputs, name);
		free(name);
	}
	if (o->progress) {
		char *line = xasprintf("capturing on %zu interface(s)%s; Ctrl-C to stop",
		                       o->n_ifaces, o->seconds > 0 ? " for the given time" : "");
		say(o, AUDIT_MSG_STATUS, line);
		free(line);
	}
	if (cap_run_live_tick(r->caps, o->n_ifaces, on_packet, r, &out->capture, o->seconds,
	                      o->stop, o->progress && !r->probe, r->probe ? on_tick : NULL, r, err,
	                      sizeof(err)) != 0)
		note(o, "warning: %s", err);
	if (r->probe && o->progress)
		say(o, AUDIT_MSG_PROGRESS_END, "");
}

/* The probes' figures, after the run. */
static void probes_report(struct run *r, struct audit_out *out)
{
	const struct audit_opts *o = r->o;
	struct probe_stats *st = &out->probe;
	probe_get_stats(r->probe, st);
	out->probed = 1;
	if (r->probe_failed)
		note(o, "probes stopped: %s", probe_error(r->probe));
	if (o->probe->write_probes)
		note(o, "probes: wrote %zu frames (%zu ARP, %zu TCP) to %s; nothing was sent",
		     st->frames, st->arp_sent, st->tcp_sent, o->probe->write_probes);
	else
		note(o,
		     "probes: %zu frames in %.1f s (%.1f/s), %zu replies, %zu hosts up, %zu open, "
		     "%zu closed, %zu filtered ports",
		     st->frames, st->elapsed,
		     st->elapsed > 0 ? (double)(st->frames - 1) / st->elapsed : 0.0, st->replies,
		     st->hosts_up, st->open, st->closed, st->filtered);
}

/* Step 4 and 5: read, export; the inventory then goes to out->bg. */
static void run_open(struct run *r, struct audit_out *out)
{
	const struct audit_opts *o = r->o;
	struct side_job vendor = {.ieee_dir = o->ieee_dir};
	if (o->ready)
		o->ready(o->ready_ctx);
	side_start(&vendor, vendor_job);
	r->inv = inv_new(o->pol);
	out->res = res_new("audit");
	out->res->started = ss_time_now();
	if (o->n_files) {
		read_files(r, out);
	} else if (r->probe && o->probe->write_probes) {
		char err[512];
		if (probe_run_dry(r->probe, r->inv, err, sizeof(err)) != 0) {
			note(o, "%s", err);
			r->probe_failed = 1;
		}
	} else {
		read_live(r, out);
	}
	if (r->probe)
		probes_report(r, out);
	struct result *res = out->res;
	set_stats(&res->stats, &out->capture);
	res->ended = ss_time_now();
	res->capture_first = out->capture.first;
	res->capture_last = out->capture.last;
	out->probe_failed = r->probe_failed;
	out->interrupted = *o->stop != 0;
	if (out->interrupted)
		note(o, "interrupted: reporting what was read");
	if (o->pol) {
		res->policy_path = xstrdup(pol_path(o->pol));
		res->policy_sha256 = xstrdup(pol_sha256(o->pol));
		if (pol_site(o->pol))
			res->site = xstrdup(pol_site(o->pol));
	}
	side_wait(&vendor);
	inv_export(r->inv, vendor.vdb, res);
	vnd_free(vendor.vdb);
	out->bg = xcalloc(1, sizeof(*out->bg));
	out->bg->freeing.inv = r->inv;
	r->inv = NULL;
	side_start(&out->bg->freeing, free_job);
}

int audit_opts_check(const struct audit_opts *o, char *err, size_t errsz)
{
	const struct probe_opts *po = o->probe;
	const char *why = NULL;
	if (!o->n_files && !o->n_ifaces)
		why = "nothing to read: give -r FILE or -i IFACE";
	else if (o->n_files && o->n_ifaces)
		why = "-r and -i cannot be combined";
	else if (po && !po->kinds && (po->n_targets || po->write_probes || po->ports))
		why = "--target, --ports and --write-probes go with --probe";
	else if (po && po->kinds && o->n_ifaces != 1)
		why = "--probe needs exactly one -i IFACE, the interface the probes leave from";
	if (why)
		snprintf(err, errsz, "%s", why);
	return why ? -1 : 0;
}

int audit_run(const struct audit_opts *o, struct audit_out *out, char *err, size_t errsz)
{
	static volatile int never;
	struct audit_opts opts = *o;
	if (!opts.stop)
		opts.stop = &never;
	memset(out, 0, sizeof(*out));
	out->capture.first = out->capture.last = SS_TIME_NONE;
	struct run r = {.o = &opts};
	r.ncaps = opts.n_files ? opts.n_files : opts.n_ifaces;
	r.caps = xcalloc(r.ncaps + 1, sizeof(*r.caps));
	int rc = open_all(&r, err, errsz);
	if (rc == 0)
		run_open(&r, out);
	for (size_t i = 0; i < r.ncaps; i++)
		cap_close(r.caps[i]);
	free(r.caps);
	probe_free(r.probe);
	return rc;
}

void audit_out_free(struct audit_out *out)
{
	if (out->bg) {
		side_wait(&out->bg->freeing);
		inv_free(out->bg->freeing.inv);
		free(out->bg);
		out->bg = NULL;
	}
	res_free(out->res);
	out->res = NULL;
}
