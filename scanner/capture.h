/*
 * scanner/capture.h - packet sources: capture files (pcap, pcapng) and live
 * interfaces, both through libpcap, feeding decoded packets to a callback.
 */
#ifndef SS_CAPTURE_H
#define SS_CAPTURE_H

#include "scanner/decode.h"

struct capture;

struct cap_counters {
	uint64_t packets;
	uint64_t decoded;
	uint64_t truncated;
	uint64_t malformed;
	uint64_t unsupported;
	uint64_t non_ip;
	uint64_t dropped;    /* libpcap ps_drop + ps_ifdrop, live only */
	ss_time first, last; /* capture time span */
};

/* Called for every packet that decoded (DEC_OK). */
typedef void (*cap_handler)(void *ctx, const struct pkt *p);

/* Opens a capture file; err receives a one-line reason on failure. */
struct capture *cap_open_file(const char *path, char *err, size_t errsz);
/* Opens a live interface in promiscuous mode. Needs CAP_NET_RAW. */
struct capture *cap_open_live(const char *iface, char *err, size_t errsz);
/* Applies a BPF filter expression; -1 with err on a bad expression. */
int cap_set_filter(struct capture *c, const char *expr, char *err, size_t errsz);
/* Reads until the end of the file, until *stop becomes nonzero, or for a
 * live capture until `seconds` have passed (0: until *stop). Shows a
 * progress line on stderr when `progress` is set. Returns 0, or -1 with err
 * on a read error (what was read so far is kept in the counters). A regular
 * file is read and decoded on a reader thread started for the call (every
 * signal blocked there); fn still runs on the calling thread, in file order,
 * and the packet it gets is valid only until it returns, as for live
 * captures. */
int cap_run(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt, double seconds,
            volatile int *stop, int progress, char *err, size_t errsz);
/* Reads several live captures at once (poll) with the same rules. */
int cap_run_live(struct capture **cs, size_t n, cap_handler fn, void *ctx, struct cap_counters *cnt,
                 double seconds, volatile int *stop, int progress, char *err, size_t errsz);
/* A hook cap_run_live_tick calls between polls (active probes send from
 * it). Returns how many milliseconds the loop may wait for packets before
 * calling it again (0..100), or a negative value to end the capture. */
typedef int (*cap_tick_fn)(void *ctx);
/* cap_run_live with a tick hook (tick may be NULL: then it is cap_run_live). */
int cap_run_live_tick(struct capture **cs, size_t n, cap_handler fn, void *ctx,
                      struct cap_counters *cnt, double seconds, volatile int *stop, int progress,
                      cap_tick_fn tick, void *tick_ctx, char *err, size_t errsz);
/* For a caller that runs its own poll loop over cap_fd() (the monitor,
 * which also waits on a signal pipe and must survive one interface
 * failing): reads the packets already waiting on a live capture without
 * blocking. Returns how many records were read, or -1 with err when the
 * capture itself failed (the interface disappeared); a link that merely
 * goes down is not an error (libpcap resumes when it comes back up). */
int cap_dispatch(struct capture *c, cap_handler fn, void *ctx, struct cap_counters *cnt, char *err,
                 size_t errsz);
/* libpcap's cumulative drop count of a live capture (ps_drop + ps_ifdrop,
 * since it was opened) into *dropped; 0, or -1 when unavailable. */
int cap_drops(struct capture *c, uint64_t *dropped);
/* The pollable descriptor of a live capture, -1 for files. */
int cap_fd(const struct capture *c);
void cap_close(struct capture *c);

#endif
