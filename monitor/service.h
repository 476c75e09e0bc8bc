/*
 * monitor/service.h - `segscan monitor` as a library service: the audit
 * pipeline run for months over live captures, telling only what is new as
 * ECS JSON lines (monitor/events.h), keeping its state on disk
 * (monitor/monitor.h) and its memory bounded (scanner/inventory-evict.c).
 *
 * The command line only parses options into struct mon_service_opts and
 * calls mon_service_run(); a test can call it the same way. Library code:
 * nothing here prints; a message for the operator (for the journal under
 * systemd) goes to the warn callback, and a failure comes back in err.
 */
#ifndef SS_MON_SERVICE_H
#define SS_MON_SERVICE_H

#include <stddef.h>

#include "policy/policy.h"

#define MON_DEFAULT_STATE_DIR  "/var/lib/segscan"
#define MON_DEFAULT_CHECKPOINT 60.0
#define MON_DEFAULT_EXPIRY     86400.0
#define MON_DEFAULT_MAX_HOSTS  100000
#define MON_DEFAULT_MAX_FLOWS  500000

struct mon_service_opts {
	const char *const *ifaces; /* live interfaces, at least one */
	size_t n_ifaces;
	const char *policy_path; /* reloaded on SIGHUP */
	const char *filter;      /* BPF for every interface, or NULL */
	const char *state_dir;   /* state.json and reports */
	const char *events_path; /* "-": standard output */
	int use_syslog;          /* also every event to syslog (LOG_DAEMON) */
	double checkpoint;       /* seconds between checkpoints */
	double host_expiry;      /* seconds unseen before host_gone; 0 never */
	size_t max_hosts, max_flows;
	const char *user; /* -Z: run as this user once the captures are open */
	int allow_root;   /* started as root without -Z and no service user: run on */
	const char *ieee_dir;
	const char *version; /* observer.version */
	/* a message for the operator (stderr: the journal under systemd) */
	void (*warn)(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
};

/* The defaults: state in MON_DEFAULT_STATE_DIR, events to standard output,
 * the MON_DEFAULT_* checkpoint, expiry and limits, this version, nothing
 * else set. */
void mon_service_defaults(struct mon_service_opts *o);

#define MON_EXIT_NO_CAPTURE 1

/* Runs the service until SIGTERM or SIGINT (handlers installed here; SIGHUP
 * reloads the policy and reopens the event file, SIGUSR1 writes a report).
 * pol is the policy already loaded from policy_path; the service takes it
 * over. Returns 0 when stopped with the state saved; MON_EXIT_NO_CAPTURE
 * when every capture was lost (state saved if it could be: never alive and
 * blind); -1 with one line in err (for "segscan: " + err; empty when the
 * reason went out as an error event) when it could not start or save. */
int mon_service_run(const struct mon_service_opts *o, struct policy *pol, char *err, size_t errsz);

#endif
