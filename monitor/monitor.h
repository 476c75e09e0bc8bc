/*
 * monitor/monitor.h - the memory of `segscan monitor`: what it has already
 * told, so it tells only what is new.
 *
 * The monitor exports its inventory into a fresh struct result now and
 * then; mon_update() compares that result with the known state and emits
 * events (monitor/events.h): new_host, host_changed (new address, vendor
 * or class), violation (the first time a violation key is seen). At each
 * checkpoint mon_checkpoint() emits the periodic ones: violation_summary
 * (occurrences since the previous checkpoint), host_gone (not seen for the
 * expiry), limit_reached (events held back by the burst limit). The state
 * is saved as a result JSON (readable by `segscan report`) plus a small
 * "monitor" object, atomically, and loaded again on start, so first_seen
 * survives restarts and known hosts and violations are not announced again.
 *
 * Keys: a host is its MAC, or its address when it has no MAC (seen behind
 * a router); a violation is (type, src, dst, proto, dport, mac), as in the
 * policy's violation set.
 *
 * Library code: no printing; errors come back as -1 with a reason.
 */
#ifndef SS_MONITOR_H
#define SS_MONITOR_H

#include <jansson.h>

#include "model/result.h"

/* Receives each event (takes ownership of ev). */
typedef void (*mon_emit_fn)(void *ctx, json_t *ev);

struct mon_opts {
	ss_time host_expiry;   /* host_gone after this long unseen (us); 0: never */
	size_t max_hosts;      /* known hosts kept (0: unbounded); also violation keys
	                          not in the current export */
	size_t max_violations; /* hard cap on violation keys, current ones too
	                          (0: none); the service sets 2 x max_hosts +
	                          max_flows */
	size_t burst;          /* new_host and violation events per checkpoint
	                          interval, each (0: unlimited); the rest are
	                          counted in one limit_reached event */
	mon_emit_fn emit;
	void *emit_ctx;
};

struct mon_state;

struct mon_state *mon_new(const struct mon_opts *o);
void mon_free(struct mon_state *m);

/* Loads a state file written by mon_save (or any saved result: its hosts
 * and violations become known). Returns 0 when loaded, 1 when the file
 * does not exist, -1 with "FILE:LINE:COLUMN: message" in err when it is
 * unreadable or malformed (the state is then left empty). A symbolic link
 * or anything but a regular file is refused unread; err never quotes the
 * file's text. */
int mon_load(struct mon_state *m, const char *path, char *err, size_t errsz);

/* What mon_load_bounded let go to stay within max_hosts. */
struct mon_load_dropped {
	size_t hosts, violations;
};
/* mon_load, bounded while it reads: at most max_hosts hosts and as many
 * violation keys are kept (in file order), the rest counted in dropped
 * (may be NULL); flows are checked and let go. Memory: the known state plus
 * one batch of 1024 elements, whatever the file's size (up to 512 MiB). */
int mon_load_bounded(struct mon_state *m, const char *path, struct mon_load_dropped *dropped,
                     char *err, size_t errsz);
/* Forgets every known host and violation. */
void mon_forget_all(struct mon_state *m);

/* Compares a fresh export with the known state: emits new_host,
 * host_changed and violation events, and learns r. Also carries known
 * first_seen times into r (the earlier wins). */
void mon_update(struct mon_state *m, struct result *r, ss_time now);

/* Makes r the whole known picture for saving or a report: appends known
 * hosts and violations r lacks (seen before a restart, or evicted from the
 * inventory), and sets violation counts to their totals across restarts.
 * Call after mon_update on the same r. */
void mon_complete(struct mon_state *m, struct result *r);

/* The periodic events: violation_summary, host_gone, limit_reached for
 * held-back events; resets the burst budget. */
void mon_checkpoint(struct mon_state *m, ss_time now);

/* Writes r (completed) and the monitor object to path atomically with
 * ss_atomic_write (common/atomic.h), mode 0600. Returns 0 or -1 with err. */
int mon_save(struct mon_state *m, const struct result *r, const char *path, char *err,
             size_t errsz);

size_t mon_known_hosts(const struct mon_state *m);
size_t mon_known_violations(const struct mon_state *m);

#endif
