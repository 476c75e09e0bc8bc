/*
 * monitor/events.c - builds ECS events and writes them as JSON lines (see
 * monitor/events.h for the schema). Lines are compact JSON, one event per
 * line, keys in insertion order so the first fields a person reads are
 * @timestamp, event and message.
 */
#include "monitor/events.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

static json_t *walk(json_t *ev, const char *dotted, int create, const char **leaf)
{
	json_t *o = ev;
	const char *p = dotted;
	for (;;) {
		const char *dot = strchr(p, '.');
		if (!dot) {
			*leaf = p;
			return o;
		}
		char key[64];
		size_t n = (size_t)(dot - p);
		if (n >= sizeof(key))
			n = sizeof(key) - 1;
		memcpy(key, p, n);
		key[n] = 0;
		json_t *next = json_object_get(o, key);
		if (!next || !json_is_object(next)) {
			if (!create)
				return NULL;
			next = json_object();
			json_object_set_new(o, key, next);
		}
		o = next;
		p = dot + 1;
	}
}

void ev_set(json_t *ev, const char *dotted, json_t *value)
{
	if (!value)
		return;
	const char *leaf;
	json_t *o = walk(ev, dotted, 1, &leaf);
	json_object_set_new(o, leaf, value);
}

json_t *ev_get(json_t *ev, const char *dotted)
{
	const char *leaf;
	json_t *o = walk(ev, dotted, 0, &leaf);
	return o ? json_object_get(o, leaf) : NULL;
}

void ev_set_str(json_t *ev, const char *dotted, const char *s)
{
	if (!s)
		return;
	json_t *j = json_string(s);
	if (!j) { /* not UTF-8: a name from a packet; never drop the event */
		char *c = xstrdup(s);
		for (char *q = c; *q; q++)
			if ((unsigned char)*q >= 0x80)
				*q = '?';
		j = json_string(c);
		free(c);
	}
	ev_set(ev, dotted, j);
}

void ev_set_int(json_t *ev, const char *dotted, int64_t v)
{
	ev_set(ev, dotted, json_integer((json_int_t)v));
}

void ev_set_ip(json_t *ev, const char *dotted, const ss_ip *ip)
{
	if (!ip || !ip->family)
		return;
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	ev_set_str(ev, dotted, b);
}

void ev_set_mac(json_t *ev, const char *dotted, const ss_mac *m)
{
	if (!m)
		return;
	char b[SS_MAC_STRLEN];
	snprintf(b, sizeof(b), "%02X-%02X-%02X-%02X-%02X-%02X", m->b[0], m->b[1], m->b[2], m->b[3],
	         m->b[4], m->b[5]);
	ev_set_str(ev, dotted, b);
}

void ev_set_time(json_t *ev, const char *dotted, ss_time t)
{
	if (t == SS_TIME_NONE)
		return;
	char b[SS_ISO_STRLEN];
	ss_time_iso(t, b);
	ev_set_str(ev, dotted, b);
}

void ev_append_str(json_t *ev, const char *dotted, const char *s)
{
	json_t *a = ev_get(ev, dotted);
	if (!a || !json_is_array(a)) {
		a = json_array();
		ev_set(ev, dotted, a);
	}
	json_array_append_new(a, json_string(s));
}

static const char *const level_names[] = {"info", "notice", "warning", "error", "critical"};
static const int level_severity[] = {0, 21, 47, 73, 99};

const char *ev_level_name(enum ev_level l)
{
	return l <= EV_CRITICAL ? level_names[l] : "info";
}

int ev_violation_severity(const char *s)
{
	if (!s)
		return 21;
	if (!strcmp(s, "critical"))
		return 99;
	if (!strcmp(s, "high"))
		return 73;
	if (!strcmp(s, "medium"))
		return 47;
	return 21;
}

enum ev_level ev_violation_level(const char *s)
{
	if (s && !strcmp(s, "critical"))
		return EV_CRITICAL;
	if (s && !strcmp(s, "high"))
		return EV_ERROR;
	return EV_WARNING;
}

const char *ev_transport(uint8_t proto)
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "ipv6-icmp";
	case 132:
		return "sctp";
	default:
		return NULL;
	}
}

json_t *ev_new(const char *action, const char *kind, const char *category, const char *type,
               enum ev_level level, ss_time ts, const char *message)
{
	json_t *ev = json_object();
	ev_set_time(ev, "@timestamp", ts);
	ev_set_str(ev, "ecs.version", EV_ECS_VERSION);
	ev_set_str(ev, "event.kind", kind);
	ev_append_str(ev, "event.category", category);
	ev_append_str(ev, "event.type", type);
	ev_set_str(ev, "event.action", action);
	ev_set_str(ev, "event.module", "segscan");
	ev_set_str(ev, "event.dataset", "segscan.monitor");
	ev_set_int(ev, "event.severity", level_severity[level <= EV_CRITICAL ? level : 0]);
	ev_set_str(ev, "log.level", ev_level_name(level));
	ev_set_str(ev, "message", message);
	return ev;
}

void ev_add_observer(json_t *ev, const char *hostname, const char *version)
{
	ev_set_str(ev, "observer.hostname", hostname);
	ev_set_str(ev, "observer.type", "segscan");
	ev_set_str(ev, "observer.vendor", "segscan");
	ev_set_str(ev, "observer.product", "segscan");
	ev_set_str(ev, "observer.version", version);
}

char *ev_format(json_t *ev)
{
	return json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
}

/* ---- writer ---- */

struct ev_writer {
	char *version;
	char hostname[256];
	char *path;
	FILE *out;
	int own; /* out is a file we opened */
	int syslog;
};

struct ev_writer *ev_writer_new(const char *version, const char *hostname)
{
	struct ev_writer *w = xcalloc(1, sizeof(*w));
	w->version = xstrdup(version ? version : "");
	if (hostname)
		snprintf(w->hostname, sizeof(w->hostname), "%s", hostname);
	else if (gethostname(w->hostname, sizeof(w->hostname) - 1) != 0)
		snprintf(w->hostname, sizeof(w->hostname), "unknown");
	return w;
}

void ev_writer_free(struct ev_writer *w)
{
	if (!w)
		return;
	if (w->own && w->out)
		fclose(w->out);
	free(w->path);
	free(w->version);
	free(w);
}

static FILE *open_append(const char *path, char *err, size_t errsz)
{
	/* 0600: events name devices and flows; they are evidence. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return NULL;
	}
	FILE *f = fdopen(fd, "a");
	if (!f) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

int ev_writer_open(struct ev_writer *w, const char *path, char *err, size_t errsz)
{
	if (!path)
		return 0;
	FILE *f;
	int own = strcmp(path, "-") != 0;
	if (own) {
		if (!(f = open_append(path, err, errsz)))
			return -1;
	} else {
		f = stdout;
		setvbuf(stdout, NULL, _IOLBF, 0);
	}
	if (w->own && w->out)
		fclose(w->out);
	free(w->path);
	w->path = xstrdup(path);
	w->out = f;
	w->own = own;
	return 0;
}

int ev_writer_reopen(struct ev_writer *w, char *err, size_t errsz)
{
	if (!w->own || !w->path)
		return 0;
	FILE *f = open_append(w->path, err, errsz);
	if (!f)
		return -1;
	fclose(w->out);
	w->out = f;
	return 0;
}

void ev_writer_use_syslog(struct ev_writer *w, int on)
{
	w->syslog = on;
}

static int syslog_priority(json_t *ev)
{
	const char *l = json_string_value(ev_get(ev, "log.level"));
	if (!l)
		return LOG_INFO;
	if (!strcmp(l, "critical"))
		return LOG_CRIT;
	if (!strcmp(l, "error"))
		return LOG_ERR;
	if (!strcmp(l, "warning"))
		return LOG_WARNING;
	if (!strcmp(l, "notice"))
		return LOG_NOTICE;
	return LOG_INFO;
}

int ev_write(struct ev_writer *w, json_t *ev)
{
	ev_add_observer(ev, w->hostname, w->version);
	char *line = ev_format(ev);
	int rc = 0;
	if (line) {
		if (w->syslog)
			syslog(LOG_DAEMON | syslog_priority(ev), "%s", line);
		if (w->out && (fputs(line, w->out) == EOF || fputc('\n', w->out) == EOF))
			rc = -1;
	} else {
		rc = -1;
	}
	free(line);
	json_decref(ev);
	return rc;
}

int ev_writer_sync(struct ev_writer *w)
{
	if (!w->out)
		return 0;
	if (fflush(w->out) != 0)
		return -1;
	if (w->own && fsync(fileno(w->out)) != 0)
		return -1;
	return 0;
}
