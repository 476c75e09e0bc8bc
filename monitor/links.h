/*
 * monitor/links.h - the monitor's interfaces: one live capture each, the
 * link state watched every second, a capture that fails closed and
 * reopened when its interface comes back (which needs CAP_NET_RAW).
 *
 * Events (interface_down, interface_up, interface_lost, interface_reopened,
 * error) go to the caller's emit function (monitor/monitor.h). Library
 * code: nothing here prints.
 */
#ifndef SS_MON_LINKS_H
#define SS_MON_LINKS_H

#include "monitor/monitor.h"
#include "scanner/capture.h"

#define MON_REOPEN_SECONDS 5.0 /* retry period for a lost interface */

struct mon_iface {
	const char *name;
	struct capture *cap;
	struct cap_counters cnt;
	uint64_t drops_closed; /* drops of handles closed since start */
	int link;              /* 1 up and running, 0 down, -1 absent or unknown */
	int lost;              /* the capture failed: reopening */
	double next_retry;
	int retry_reported;
};

/* 1 up and running, 0 down, -1 absent (sock: any AF_INET datagram socket). */
int mon_link_state(int sock, const char *name);

/* Opens the live capture of f with the BPF filter (NULL: none). 0, or -1
 * with err. */
int mon_iface_open(struct mon_iface *f, const char *filter, char *err, size_t errsz);

/* Closes a capture that failed (why: the reason) and schedules reopening;
 * emits interface_lost. now: monotonic seconds. */
void mon_iface_lose(struct mon_iface *f, const char *why, double now, mon_emit_fn emit, void *ctx);

/* The once-a-second round: link changes become events, lost captures are
 * reopened when their interface is back. */
void mon_links_check(struct mon_iface *ifs, size_t n, int sock, const char *filter, double now,
                     mon_emit_fn emit, void *ctx);

/* How many interfaces still have an open capture. */
size_t mon_links_open(const struct mon_iface *ifs, size_t n);

#endif
