/*
 * scanner/audit.h - the audit pipeline: captures -> probes -> inventory ->
 * export, from options to the result model. `segscan audit` parses its
 * options into struct audit_opts, calls audit_run() once and renders the
 * result; a Check test drives the same pipeline without a terminal.
 *
 * Order of work, as the user sees it:
 *   1. with probes: the plan (AUDIT_MSG_PLAN) before anything is opened;
 *      capabilities limited to CAP_NET_RAW and raised around the opens;
 *   2. every source opened (and its BPF filter set) before any is read, so
 *      a typo in the third file fails at once, not after reading two;
 *   3. with probes: the sender opened, the privileges dropped for good, and
 *      the directory of the output checked writable by who we now are;
 *   4. o->ready() (the caller installs its signal handlers), then files
 *      read in order, or live interfaces for o->seconds or until *o->stop,
 *      with the probes sent between polls (or, for --write-probes, written
 *      to a pcap without opening any capture); the vendor registries are
 *      read on a side thread meanwhile;
 *   5. the inventory exported into the result with the policy's path,
 *      sha256 and site; the inventory is then freed on a side thread while
 *      the caller renders the result (audit_out_free waits for it).
 *
 * Library code: nothing here prints. What the user should read comes
 * through o->msg (a cut capture file, a failed live read, probe figures,
 * an interruption); an error that stops the audit before reading comes
 * back in err. The capture progress line is still drawn by
 * scanner/capture.c when o->progress is set.
 */
#ifndef SS_AUDIT_H
#define SS_AUDIT_H

#include <stddef.h>

#include "model/result.h"
#include "policy/policy.h"
#include "scanner/capture.h"
#include "scanner/probe.h"

enum audit_msg {
	AUDIT_MSG_NOTE,         /* one line for the user (a warning, a figure) */
	AUDIT_MSG_PLAN,         /* the probe plan: whole lines, each ending in '\n' */
	AUDIT_MSG_STATUS,       /* a status line shown once progress is on */
	AUDIT_MSG_PROGRESS,     /* a progress line replacing the previous one */
	AUDIT_MSG_PROGRESS_END, /* the progress lines are over (text "") */
};

/* Receives every message of the run, in order; text is valid only during
 * the call. */
typedef void (*audit_msg_fn)(void *ctx, enum audit_msg kind, const char *text);

struct audit_opts {
	const char *const *files; /* -r, read in this order; or */
	size_t n_files;
	const char *const *ifaces; /* -i, read together (not with files) */
	size_t n_ifaces;
	const char *filter;       /* BPF expression for every source, or NULL */
	double seconds;           /* live capture duration; 0: until *stop */
	const struct policy *pol; /* NULL: inventory only; must outlive the run */
	const char *ieee_dir;     /* IEEE registries; NULL: the default */
	/* Active probes (kinds != 0; iface the one interface), or NULL. */
	const struct probe_opts *probe;
	/* Where the caller will write the result (NULL or "-": stdout): with
	 * probes, checked writable once the privileges are dropped. */
	const char *out_path;
	int progress;       /* progress lines (capture, probes) */
	volatile int *stop; /* set by the caller (SIGINT): stop reading; may be NULL */
	audit_msg_fn msg;   /* may be NULL: messages dropped */
	void *msg_ctx;
	void (*ready)(void *ctx); /* may be NULL; called right before reading */
	void *ready_ctx;
};

struct audit_bg;

struct audit_out {
	struct result *res;          /* mode "audit", owned; NULL before a run */
	struct cap_counters capture; /* every source together, time span included */
	int probed;                  /* probes ran: probe holds their figures */
	struct probe_stats probe;
	int probe_failed;    /* the probes stopped on an error (already a NOTE) */
	int interrupted;     /* *stop was set: the result holds what was read */
	struct audit_bg *bg; /* private: the inventory being freed */
};

/* Refuses options that do not go together (nothing to read, files and
 * interfaces at once, probe options without --probe, probes without
 * exactly one interface, which probe->iface must then name): 0, or -1 with
 * a one-line reason in err for a usage error. audit_run assumes they were
 * checked. */
int audit_opts_check(const struct audit_opts *o, char *err, size_t errsz);

/* Runs the whole audit. Returns 0 with out filled (a cut capture file or a
 * failed probe still returns 0: what was read is in the result), or -1
 * with a one-line reason in err when a source, the probes or the output
 * directory fail before reading (nothing was read). Either way release out
 * with audit_out_free. */
int audit_run(const struct audit_opts *o, struct audit_out *out, char *err, size_t errsz);
/* Frees the result and waits for the background work of the run. */
void audit_out_free(struct audit_out *out);

#endif
