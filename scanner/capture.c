/*
 * scanner/capture.c - libpcap sources. pcap_open_offline reads both pcap
 * and pcapng (nanosecond variants included); timestamps are converted to
 * microseconds using the precision the file declares. Regular capture
 * files are read and decoded on a reader thread (see run_file_threaded).
 */
#include "scanner/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	int regular; /* a regular file: read on a reader thread */
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
	/* Opened here rather than by pcap_open_offline, to set the stream up
	 * for reading a big file on one thread: libpcap freads every record
	 * header and body, so a 256 KiB buffer means far fewer read calls
	 * than glibc's 4 KiB default, and since only one thread at a time
	 * ever uses this FILE (the reader thread, or the caller when there is
	 * none), stdio's per-call locking, taken once a process has threads,
	 * is switched off. */
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	setvbuf(fp, NULL, _IOFBF, 256 * 1024);
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, eb);
	if (!pc) {
		fclose(fp); /* not libpcap's on failure */
		snprintf(err, errsz, "%s: %s", path, eb[0] ? eb : "cannot read capture");
		return NULL;
	}
	struct capture *c = cap_wrap(pc, path, 0);
	c->file = pcap_file(pc);
	c->file_size = st.st_size;
	c->regular = S_ISREG(st.st_mode);
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

/* pos: the file position the percentage is taken from (files only; the
 * reader thread records it, as c->file belongs to that thread meanwhile). */
static void show_progress(const struct capture *c, const struct cap_counters *cnt, int final,
                          long pos)
{
	if (c->live) {
		fprintf(stderr, "\r%s: %llu packets", c->name, (unsigned long long)cnt->packets);
	} else {
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

static long file_pos(const struct capture *c)
{
	return c->file ? ftell(c->file) : -1;
}

/* Decodes one record into *p (its pointers point into data). */
static enum dec_status decode_one(const struct capture *c, const struct pcap_pkthdr *h,
                                  const u_char *data, struct pkt *p)
{
	enum dec_status st = dec_packet(c->dlt, data, h->caplen, h->len, p);
	p->ts = (ss_time)h->ts.tv_sec * 1000000 + (ss_time)h->ts.tv_usec;
	return st;
}

/* Everything after decoding: the counters and the handler. The one place
 * both the direct paths and the reader thread's consumer go through, so
 * they count alike. */
static void account_one(const struct pkt *p, enum dec_status st, cap_handler fn, void *ctx,
                        struct cap_counters *cnt)
{
	cnt->packets++;
	if (cnt->first == SS_TIME_NONE || p->ts < cnt->first)
		cnt->first = p->ts;
	if (cnt->last == SS_TIME_NONE || p->ts > cnt->last)
		cnt->last = p->ts;
	switch (st) {
	case DEC_OK:
		cnt->decoded++;
		if (p->kind != PKT_IP)
			cnt->non_ip++;
		fn(ctx, p);
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

static void handle_one(struct capture *c, const struct pcap_pkthdr *h, const u_char *data,
                       cap_handler fn, void *ctx, struct cap_counters *cnt)
{
	struct pkt p;
	enum dec_status st = decode_one(c, h, data, &p);
	account_one(&p, st, fn, ctx, cnt);
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

/* Offline files read on the calling thread: pipes and FIFOs (a read there
 * may block until the writer sends more, and only this thread's read is
 * interrupted by SIGINT), and the fallback when no thread can be started.
 * pcap_dispatch hands each record to a callback straight from libpcap's
 * read loop; pcap_next_ex goes through that same loop one packet at a time
 * (a read_op call and a header copy per packet). Batches of 1024 keep the
 * progress display checked every 1024 packets; the stop flag is still seen
 * after every packet. */
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
				show_progress(c, cnt, 0, file_pos(c));
				last_shown = now;
				shown = 1;
			}
		}
	}
	if (shown)
		show_progress(c, cnt, 1, -1);
	return rc;
}

/*
 * Regular capture files: a reader thread reads (libpcap's fread, a copy
 * out of the page cache) and decodes, the calling thread counts and runs
 * the handler; on a 2M-packet capture reading and decoding were a quarter
 * of the time, all of it on the one thread.
 *
 * The reader copies each record into a batch (an arena for the bytes, an
 * array for the decoded struct pkt, whose pointers point into the arena)
 * because libpcap reuses its buffer for the next record. Batches go round
 * a ring of CAP_NBATCH: batch i is ring[i % CAP_NBATCH]; the reader fills
 * one while it is free (published - released < CAP_NBATCH), the caller
 * takes them in order and releases each when its handler calls are done,
 * so struct pkt pointers stay valid for exactly as long as they did when
 * they pointed into libpcap's buffer. All buffers are allocated once per
 * file. Both sides sleep on a condition variable when the other is behind.
 */
#define CAP_NBATCH      4
#define CAP_BATCH_RECS  1024      /* records per batch: progress checked as often as before */
#define CAP_BATCH_BYTES (1 << 20) /* arena; grown for a record larger than it */
#define CAP_AHEAD       6         /* records prefetched ahead of the handler (~5% faster) */

struct cap_rec {
	struct pkt p;
	enum dec_status st;
};

struct cap_batch {
	struct cap_rec *recs;
	size_t n;
	uint8_t *data;
	size_t used, size;
	int grown; /* data is a malloc'd arena, not the one in the mapping */
	long pos;  /* file position after its last record, for the progress line */
};

struct cap_reader {
	struct capture *c;
	int progress;
	void *mem; /* one mapping holds every batch's records and arena */
	size_t mem_size;
	struct cap_batch *cur; /* the batch the reader fills (reader only) */
	pthread_mutex_t mu;
	pthread_cond_t filled; /* the caller waits: a batch was published, or done */
	pthread_cond_t freed;  /* the reader waits: a batch was released, or quit */
	uint64_t published;    /* batches handed to the caller */
	uint64_t released;     /* batches the caller is done with */
	int done;              /* the reader has published its last batch */
	int quit;              /* the caller stopped: read no further */
	int rc;                /* the last pcap_dispatch result: 0 end of file, <0 error */
	struct cap_batch ring[CAP_NBATCH];
};

static void reader_start_batch(struct cap_reader *r)
{
	/* published only changes on this thread: no lock needed to read it. */
	r->cur = &r->ring[r->published % CAP_NBATCH];
	r->cur->n = 0;
	r->cur->used = 0;
}

/* Hands the current batch over and waits until the next one is free.
 * Returns -1 when the caller has quit. */
static int reader_publish(struct cap_reader *r)
{
	r->cur->pos = r->progress ? file_pos(r->c) : -1;
	pthread_mutex_lock(&r->mu);
	r->published++;
	pthread_cond_signal(&r->filled);
	while (!r->quit && r->published - r->released >= CAP_NBATCH)
		pthread_cond_wait(&r->freed, &r->mu);
	int quit = r->quit;
	pthread_mutex_unlock(&r->mu);
	if (quit)
		return -1;
	reader_start_batch(r);
	return 0;
}

static void reader_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct cap_reader *r = (struct cap_reader *)user;
	struct cap_batch *b = r->cur;
	if (b->n > 0 && (b->n == CAP_BATCH_RECS || b->size - b->used < h->caplen)) {
		if (reader_publish(r) != 0) {
			pcap_breakloop(r->c->pc);
			return;
		}
		b = r->cur;
	}
	if (h->caplen > b->size) {
		/* Only ever on an empty batch: nothing points into the arena.
		 * libpcap caps records at 256 KiB for every link type we
		 * decode, so this is a safety net. */
		if (b->grown)
			free(b->data);
		b->size = h->caplen;
		b->data = xmalloc(b->size);
		b->grown = 1;
	}
	uint8_t *copy = b->data + b->used;
	memcpy(copy, data, h->caplen);
	b->used += h->caplen;
	struct cap_rec *rec = &b->recs[b->n++];
	rec->st = decode_one(r->c, h, copy, &rec->p);
}

static void *reader_main(void *arg)
{
	struct cap_reader *r = arg;
	int n;
	/* A bounded count per call: pcap_dispatch returns an int count. */
	do
		n = pcap_dispatch(r->c->pc, 65536, reader_cb, (u_char *)r);
	while (n > 0);
	pthread_mutex_lock(&r->mu);
	/* After a quit r->cur is a batch already handed over: leave it. */
	if (!r->quit && r->cur->n > 0) {
		r->cur->pos = r->progress ? file_pos(r->c) : -1;
		r->published++;
	}
	r->done = 1;
	r->rc = n;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* The caller's side: releases the batch it is done with (none at first)
 * and waits for batch `next`. NULL once the reader is done and every
 * batch was taken. */
static struct cap_batch *reader_next(struct cap_reader *r, uint64_t next)
{
	struct cap_batch *b = NULL;
	pthread_mutex_lock(&r->mu);
	if (next > 0) {
		r->released++;
		pthread_cond_signal(&r->freed);
	}
	while (r->published == next && !r->done)
		pthread_cond_wait(&r->filled, &r->mu);
	if (r->published > next)
		b = &r->ring[next % CAP_NBATCH];
	pthread_mutex_unlock(&r->mu);
	return b;
}

static void reader_free(struct cap_reader *r)
{
	for (size_t i = 0; i < CAP_NBATCH; i++)
		if (r->ring[i].grown)
			free(r->ring[i].data);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->freed);
	munmap(r->mem, r->mem_size);
	free(r);
}

static int run_file_threaded(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt,
                             volatile int *stop, int progress, char *err, size_t errsz)
{
	if (stop && *stop)
		return 0;
	/* The batches come from mmap, not malloc: freeing malloc'd blocks
	 * this large would raise malloc's mmap threshold for the rest of the
	 * run (the report's allocations then fault in more memory). */
	size_t recs_size = CAP_BATCH_RECS * sizeof(struct cap_rec);
	size_t batch_size = recs_size + CAP_BATCH_BYTES;
	void *mem = mmap(NULL, CAP_NBATCH * batch_size, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return run_file(c, fn, ctx, cnt, stop, progress, err, errsz);
	struct cap_reader *r = xcalloc(1, sizeof(*r));
	r->c = c;
	r->progress = progress;
	r->mem = mem;
	r->mem_size = CAP_NBATCH * batch_size;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->freed, NULL);
	for (size_t i = 0; i < CAP_NBATCH; i++) {
		uint8_t *base = (uint8_t *)mem + i * batch_size;
		r->ring[i].recs = (struct cap_rec *)base;
		r->ring[i].data = base + recs_size;
		r->ring[i].size = CAP_BATCH_BYTES;
	}
	reader_start_batch(r);

	/* The reader inherits a mask blocking every signal, so SIGINT and
	 * SIGTERM keep running their handlers on this thread, where the stop
	 * flag is read. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_t tid;
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&tid, NULL, reader_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e != 0) {
		reader_free(r);
		return run_file(c, fn, ctx, cnt, stop, progress, err, errsz);
	}

	double last_shown = mono_now();
	int shown = 0, stopped = 0;
	uint64_t next = 0;
	struct cap_batch *b;
	while (!stopped && (b = reader_next(r, next)) != NULL) {
		next++;
		for (size_t i = 0; i < b->n; i++) {
			/* The records were written on the reader's core: ask
			 * for a few ahead (and their payload's first line) so
			 * the handler does not wait for each transfer. */
			if (i + CAP_AHEAD < b->n) {
				const char *q = (const char *)&b->recs[i + CAP_AHEAD];
				for (size_t o = 0; o < sizeof(struct cap_rec); o += 64)
					__builtin_prefetch(q + o);
				if (b->recs[i + CAP_AHEAD - 2].p.payload)
					__builtin_prefetch(b->recs[i + CAP_AHEAD - 2].p.payload);
			}
			account_one(&b->recs[i].p, b->recs[i].st, fn, ctx, cnt);
			if (stop && *stop) {
				stopped = 1;
				break;
			}
		}
		if (progress && !stopped) {
			double now = mono_now();
			if (now - last_shown >= 0.5) {
				show_progress(c, cnt, 0, b->pos);
				last_shown = now;
				shown = 1;
			}
		}
	}
	pthread_mutex_lock(&r->mu);
	r->quit = 1;
	pthread_cond_signal(&r->freed);
	pthread_mutex_unlock(&r->mu);
	pthread_join(tid, NULL);

	/* An error only counts when it was reached: after a stop the old
	 * loop never read that far either. libpcap's message is read after
	 * the join, once the handle is this thread's again. */
	int rc = 0;
	if (!stopped && r->rc < 0) {
		snprintf(err, errsz, "%s: %s", c->name, pcap_geterr(c->pc));
		rc = -1;
	}
	if (shown)
		show_progress(c, cnt, 1, -1);
	reader_free(r);
	return rc;
}

int cap_run(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt, double seconds,
            volatile int *stop, int progress, char *err, size_t errsz)
{
	if (!c->live && c->regular)
		return run_file_threaded(c, fn, ctx, cnt, stop, progress, err, errsz);
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
				show_progress(c, cnt, 0, -1);
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
		show_progress(c, cnt, 1, -1);
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
