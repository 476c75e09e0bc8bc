/*
 * monitor/events.h - monitor events as JSON lines in Elastic Common Schema
 * (ECS) field names, so a SIEM ingests them without a parser.
 *
 * An event is a jansson object built with ev_new() and the ev_set_*()
 * helpers, which take ECS dotted names ("source.ip") and store them nested
 * ({"source": {"ip": ...}}), the form ECS documents. Fields without an ECS
 * name go under "labels" (flat, keyword-like values). The writer adds the
 * observer (this sensor) and sends the line to a file, standard output
 * and/or syslog. Library code: nothing here prints a diagnostic; failures
 * come back as -1 with a reason.
 *
 * Every event carries: @timestamp, ecs.version, event.kind
 * (event|alert|metric|state), event.category and event.type (arrays of
 * ECS allowed values), event.action (new_host, host_changed, violation,
 * violation_summary, host_gone, capture_stats, policy_reloaded, error,
 * limit_reached, interface_down, interface_up, interface_lost,
 * interface_reopened, report_written, monitor_started, monitor_stopped),
 * event.module "segscan", event.dataset "segscan.monitor", event.severity
 * (numeric), log.level, message, observer.{hostname,type,vendor,product,
 * version}. See man/segscan.8, MONITOR.
 */
#ifndef SS_EVENTS_H
#define SS_EVENTS_H

#include <jansson.h>

#include "common/addr.h"
#include "common/util.h"

#define EV_ECS_VERSION "8.11.0"

/* log.level values, lowest first; each maps to a syslog priority and a
 * default event.severity. */
enum ev_level { EV_INFO, EV_NOTICE, EV_WARNING, EV_ERROR, EV_CRITICAL };

/* A new event. kind: "event", "alert", "metric" or "state"; category and
 * type: one ECS value each (more can be appended with ev_append_str);
 * message may be NULL. Returns a new reference. */
json_t *ev_new(const char *action, const char *kind, const char *category, const char *type,
               enum ev_level level, ss_time ts, const char *message);

/* Setters by ECS dotted name; intermediate objects are created. ev_set
 * steals value (NULL is ignored). The string, address and time setters
 * skip absent values (NULL, family 0, SS_TIME_NONE). */
void ev_set(json_t *ev, const char *dotted, json_t *value);
void ev_set_str(json_t *ev, const char *dotted, const char *s);
void ev_set_int(json_t *ev, const char *dotted, int64_t v);
void ev_set_ip(json_t *ev, const char *dotted, const ss_ip *ip);
void ev_set_mac(json_t *ev, const char *dotted, const ss_mac *m); /* ECS form AA-BB-CC-DD-EE-FF */
void ev_set_time(json_t *ev, const char *dotted, ss_time t);
/* Appends a string to the array at dotted (created if absent). */
void ev_append_str(json_t *ev, const char *dotted, const char *s);
/* The value at dotted, or NULL (borrowed). */
json_t *ev_get(json_t *ev, const char *dotted);

/* event.severity for a violation severity name: critical 99, high 73,
 * medium 47, low 21 (Elastic's risk bands); anything else 21. */
int ev_violation_severity(const char *severity);
/* log.level for a violation severity name. */
enum ev_level ev_violation_level(const char *severity);
const char *ev_level_name(enum ev_level l);
/* network.transport: "tcp", "udp", "icmp", "ipv6-icmp", or NULL. */
const char *ev_transport(uint8_t proto);

/* Adds observer.hostname/type/vendor/product/version. */
void ev_add_observer(json_t *ev, const char *hostname, const char *version);

/* ---- the writer ---- */

struct ev_writer;
/* version: observer.version. hostname: observer.hostname (NULL: gethostname). */
struct ev_writer *ev_writer_new(const char *version, const char *hostname);
void ev_writer_free(struct ev_writer *w);
/* Sends events to path ("-": standard output), appending, created 0600,
 * line-buffered. NULL path: no file. Returns 0 or -1 with err. */
int ev_writer_open(struct ev_writer *w, const char *path, char *err, size_t errsz);
/* Opens the same path again (after log rotation); on failure the old
 * stream stays in use. 0 or -1 with err. */
int ev_writer_reopen(struct ev_writer *w, char *err, size_t errsz);
/* Also send every event through syslog(3) (the caller has called openlog),
 * with the priority of its log.level. */
void ev_writer_use_syslog(struct ev_writer *w, int on);
/* Adds the observer, writes ev as one line and releases it. Returns 0, or
 * -1 when the file write failed (the event still went to syslog). */
int ev_write(struct ev_writer *w, json_t *ev);
/* Flushes and fsyncs the event file (a no-op for standard output). */
int ev_writer_sync(struct ev_writer *w);
/* The line ev_write would write, without the newline (malloc'd). */
char *ev_format(json_t *ev);

#endif
