/*
 * scanner/capture.c - libpcap sources. pcap_open_offline reads both pcap
 * and pcapng (nanosecond variants included); timestamps are converted to
 * microseconds using the precision the file declares.
 */
#include "scanner/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/util.h"

struct capture {
	pcap_t *pc;
	int live;
	int nonblock; /* set by the first cap_dispatch */
	int dlt;
	int nano;
	char *name;
	FILE *file; /* for progress on files */
	off_t file_size;
};

static struct capture *cap_wrap(pcap_t *pc, const char *name, int live)
{
	struct capture *c = xcalloc(1, sizeof(*c));
	c->pc = pc;
	c->live = live;
	c->dlt = pcap_datalink(pc);
	c->name = xstrdup(name);
	return c;
}

struct capture *cap_open_file(const char *path, char *err, size_t errsz)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s: is a directory", path);
		return NULL;
	}
	pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, eb);
	if (!pc) {
		snprintf(err, errsz, "%s: %s", path, eb[0] ? eb : "cannot read capture");
		return NULL;
	}
	struct capture *c = cap_wrap(pc, path, 0);
	c->file = pcap_file(pc);
	c->file_size = st.st_size;
	if (!dec_linktype_supported(c->dlt)) {
		const char *n = pcap_datalink_val_to_name(c->dlt);
		snprintf(err, errsz, "%s: unsupported link type %d (%s)", path, c->dlt,
		         n ? n : "unknown");
		cap_close(c);
		return NULL;
	}
	return c;
}

struct capture *cap_open_live(const char *iface, char *err, size_t errsz)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_create(iface, eb);
	if (!pc) {
		snprintf(err, errsz, "%s: %s", iface, eb);
		return NULL;
	}
	pcap_set_snaplen(pc, 65535);
	pcap_set_promisc(pc, 1);
	pcap_set_timeout(pc, 100);
	/* Not immediate mode: on Linux that means TPACKET_V2, a ring of fixed
	 * snaplen-sized slots (8 MiB / 64 KiB = 128 packets), which dropped
	 * 60% of a 450 kpps replay (bench/run-bench.sh). TPACKET_V3 packs
	 * packets by their real length and hands over a block at least every
	 * 100 ms (the timeout), which the poll() loop below waits for. */
	pcap_set_immediate_mode(pc, 0);
	pcap_set_buffer_size(pc, 8 << 20);
	int rc = pcap_activate(pc);
	if (rc < 0) {
		const char *why = rc == PCAP_ERROR ? pcap_geterr(pc) : pcap_statustostr(rc);
		snprintf(err, errsz, "%s: %s%s", iface, why,
		         rc == PCAP_ERROR_PERM_DENIED ? " (needs root or CAP_NET_RAW)" : "");
		pcap_close(pc);
		return NULL;
	}
	struct capture *c = cap_wrap(pc, iface, 1);
	if (!dec_linktype_supported(c->dlt)) {
		snprintf(err, errsz, "%s: unsupported link type %d", iface, c->dlt);
		cap_close(c);
		return NULL;
	}
	return c;
}

int cap_set_filter(struct capture *c, const char *expr, char *err, size_t errsz)
{
	struct bpf_program prog;
	if (pcap_compile(c->pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errsz, "filter '%s': %s", expr, pcap_geterr(c->pc));
		return -1;
	}
	int rc = pcap_setfilter(c->pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errsz, "filter '%s': %s", expr, pcap_geterr(c->pc));
		return -1;
	}
	return 0;
}

int cap_datalink(const struct capture *c)
{
	return c->dlt;
}

int cap_fd(const struct capture *c)
{
	return c->live ? pcap_get_selectable_fd(c->pc) : -1;
}

void cap_close(struct capture *c)
{
	if (!c)
		return;
	pcap_close(c->pc);
	free(c->name);
	free(c);
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(const struct capture *c, const struct cap_counters *cnt, int final)
{
	if (c->live) {
		fprintf(stderr, "\r%s: %llu packets", c->name, (unsigned long long)cnt->packets);
	} else {
		long pos = c->file ? ftell(c->file) : -1;
		double pct =
		    c->file_size > 0 && pos >= 0 ? 100.0 * (double)pos / (double)c->file_size : 0.0;
		if (final || pct > 100.0)
			pct = 100.0;
		fprintf(stderr, "\r%s: %llu packets, %5.1f%%", c->name,
		        (unsigned long long)cnt->packets, pct);
	}
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

static void handle_one(struct capture *c, const struct pcap_pkthdr *h, const u_char *data,
                       cap_handler fn, void *ctx, struct cap_counters *cnt)
{
	cnt->packets++;
	struct pkt p;
	enum dec_status st = dec_packet(c->dlt, data, h->caplen, h->len, &p);
	p.ts = (ss_time)h->ts.tv_sec * 1000000 + (ss_time)h->ts.tv_usec;
	if (cnt->first == SS_TIME_NONE || p.ts < cnt->first)
		cnt->first = p.ts;
	if (cnt->last == SS_TIME_NONE || p.ts > cnt->last)
		cnt->last = p.ts;
	switch (st) {
	case DEC_OK:
		cnt->decoded++;
		if (p.kind != PKT_IP)
			cnt->non_ip++;
		fn(ctx, &p);
		break;
	case DEC_TRUNCATED:
		cnt->truncated++;
		break;
	case DEC_MALFORMED:
		cnt->malformed++;
		break;
	case DEC_UNSUPPORTED:
		cnt->unsupported++;
		break;
	}
}

struct dispatch_ctx {
	struct capture *c;
	cap_handler fn;
	void *ctx;
	struct cap_counters *cnt;
};

static void dispatch_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct dispatch_ctx *d = (struct dispatch_ctx *)user;
	handle_one(d->c, h, data, d->fn, d->ctx, d->cnt);
}

int cap_run_live(struct capture **cs, size_t n, cap_handler fn, void *ctx, struct cap_counters *cnt,
                 double seconds, volatile int *stop, int progress, char *err, size_t errsz)
{
	return cap_run_live_tick(cs, n, fn, ctx, cnt, seconds, stop, progress, NULL, NULL, err,
	                         errsz);
}

int cap_run_live_tick(struct capture **cs, size_t n, cap_handler fn, void *ctx,
                      struct cap_counters *cnt, double seconds, volatile int *stop, int progress,
                      cap_tick_fn tick, void *tick_ctx, char *err, size_t errsz)
{
	/* Non-blocking reads driven by poll(): a blocking read may wait
	 * forever when a filter passes nothing, and the time limit and SIGINT
	 * must still be honoured. */
	char eb[PCAP_ERRBUF_SIZE];
	struct pollfd *pf = xcalloc(n, sizeof(*pf));
	for (size_t i = 0; i < n; i++) {
		pcap_setnonblock(cs[i]->pc, 1, eb);
		pf[i].fd = pcap_get_selectable_fd(cs[i]->pc);
		pf[i].events = POLLIN;
	}
	double start = mono_now(), last_shown = start;
	int rc = 0, shown = 0;
	while (!(stop && *stop) && !(seconds > 0 && mono_now() - start >= seconds)) {
		int wait_ms = 100;
		if (tick) {
			/* Between polls, never inside a dispatch: the hook may
			 * send, and replies are read on the next round. */
			wait_ms = tick(tick_ctx);
			if (wait_ms < 0)
				break;
			if (wait_ms > 100)
				wait_ms = 100;
		}
		int pr = poll(pf, n, wait_ms);
		if (pr < 0 && errno != EINTR) {
			snprintf(err, errsz, "poll: %s", strerror(errno));
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			struct dispatch_ctx d = {cs[i], fn, ctx, cnt};
			if (pcap_dispatch(cs[i]->pc, -1, dispatch_cb, (u_char *)&d) < 0) {
				snprintf(err, errsz, "%s: %s", cs[i]->name, pcap_geterr(cs[i]->pc));
				rc = -1;
			}
		}
		if (rc)
			break;
		if (progress && mono_now() - last_shown >= 0.5) {
			fprintf(stderr, "\r%zu interface(s): %llu packets", n,
			        (unsigned long long)cnt->packets);
			last_shown = mono_now();
			shown = 1;
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct pcap_stat ps;
		if (pcap_stats(cs[i]->pc, &ps) == 0)
			cnt->dropped += (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	}
	if (shown)
		fputc('\n', stderr);
	free(pf);
	return rc;
}

struct file_ctx {
	struct dispatch_ctx d;
	volatile int *stop;
};

static void file_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct file_ctx *f = (struct file_ctx *)user;
	handle_one(f->d.c, h, data, f->d.fn, f->d.ctx, f->d.cnt);
	if (f->stop && *f->stop)
		pcap_breakloop(f->d.c->pc);
}

/* Offline files: pcap_dispatch hands each record to a callback straight
 * from libpcap's read loop; pcap_next_ex goes through that same loop one
 * packet at a time (a read_op call and a header copy per packet). Batches
 * of 1024 keep the progress display as it was (checked every 1024
 * packets); the stop flag is still seen after every packet. */
static int run_file(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt,
                    volatile int *stop, int progress, char *err, size_t errsz)
{
	double last_shown = mono_now();
	int shown = 0, rc = 0;
	struct file_ctx f = {{c, fn, ctx, cnt}, stop};
	while (!(stop && *stop)) {
		int r = pcap_dispatch(c->pc, 1024, file_cb, (u_char *)&f);
		if (r == PCAP_ERROR_BREAK)
			break;
		if (r < 0) {
			snprintf(err, errsz, "%s: %s", c->name, pcap_geterr(c->pc));
			rc = -1;
			break;
		}
		if (r == 0)
			break; /* end of file */
		if (progress) {
			double now = mono_now();
			if (now - last_shown >= 0.5) {
				show_progress(c, cnt, 0);
				last_shown = now;
				shown = 1;
			}
		}
	}
	if (shown)
		show_progress(c, cnt, 1);
	return rc;
}

int cap_run(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt, double seconds,
            volatile int *stop, int progress, char *err, size_t errsz)
{
	if (!c->live)
		return run_file(c, fn, ctx, cnt, stop, progress, err, errsz);
	double start = mono_now(), last_shown = start;
	int shown = 0, rc = 0;
	for (;;) {
		if (stop && *stop)
			break;
		if (c->live && seconds > 0 && mono_now() - start >= seconds)
			break;
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = pcap_next_ex(c->pc, &h, &data);
		if (r == 0)
			continue; /* live timeout: check the clock and the stop flag */
		if (r == PCAP_ERROR_BREAK)
			break;
		if (r < 0) {
			snprintf(err, errsz, "%s: %s", c->name, pcap_geterr(c->pc));
			rc = -1;
			break;
		}
		handle_one(c, h, data, fn, ctx, cnt);
		if (progress && (cnt->packets & 0x3ff) == 0) {
			double now = mono_now();
			if (now - last_shown >= 0.5) {
				show_progress(c, cnt, 0);
				last_shown = now;
				shown = 1;
			}
		}
	}
	if (c->live) {
		struct pcap_stat ps;
		if (pcap_stats(c->pc, &ps) == 0)
			cnt->dropped += (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	}
	if (shown)
		show_progress(c, cnt, 1);
	return rc;
}

int cap_dispatch(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt, char *err,
                 size_t errsz)
{
	if (!c->nonblock) {
		char eb[PCAP_ERRBUF_SIZE];
		if (pcap_setnonblock(c->pc, 1, eb) != 0) {
			snprintf(err, errsz, "%s: %s", c->name, eb);
			return -1;
		}
		c->nonblock = 1;
	}
	struct dispatch_ctx d = {c, fn, ctx, cnt};
	int r = pcap_dispatch(c->pc, -1, dispatch_cb, (u_char *)&d);
	if (r < 0 && r != PCAP_ERROR_BREAK) {
		snprintf(err, errsz, "%s: %s", c->name, pcap_geterr(c->pc));
		return -1;
	}
	return r < 0 ? 0 : r;
}

int cap_drops(struct capture *c, uint64_t *dropped)
{
	struct pcap_stat ps;
	if (!c->live || pcap_stats(c->pc, &ps) != 0)
		return -1;
	*dropped = (uint64_t)ps.ps_drop + ps.ps_ifdrop;
	return 0;
}
