/*
 * monitor/links.c - the monitor's interfaces (see monitor/links.h).
 *
 * A link that goes down and up keeps its capture (libpcap resumes); an
 * interface that disappears loses it, and the capture is opened again
 * when the interface is back.
 */
#include "monitor/links.h"

#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "monitor/events.h"

int mon_link_state(int sock, const char *name)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (sock < 0 || ioctl(sock, SIOCGIFFLAGS, &ifr) != 0)
		return -1;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING) ? 1 : 0;
}

int mon_iface_open(struct mon_iface *f, const char *filter, char *err, size_t errsz)
{
	f->cap = cap_open_live(f->name, err, errsz);
	if (!f->cap)
		return -1;
	if (filter && cap_set_filter(f->cap, filter, err, errsz) != 0) {
		cap_close(f->cap);
		f->cap = NULL;
		return -1;
	}
	return 0;
}

static void emit_iface(mon_emit_fn emit, void *ctx, const char *action, const char *type,
                       enum ev_level lvl, const struct mon_iface *f, const char *msg)
{
	json_t *ev = ev_new(action, "state", "network", type, lvl, ss_time_now(), msg);
	ev_set_str(ev, "observer.ingress.interface.name", f->name);
	emit(ctx, ev);
}

void mon_iface_lose(struct mon_iface *f, const char *why, double now, mon_emit_fn emit, void *ctx)
{
	uint64_t d = 0;
	if (cap_drops(f->cap, &d) == 0)
		f->drops_closed += d;
	cap_close(f->cap);
	f->cap = NULL;
	f->lost = 1;
	f->retry_reported = 0;
	f->next_retry = now + MON_REOPEN_SECONDS;
	char msg[1400];
	snprintf(msg, sizeof(msg),
	         "Capture on %s lost (%s); reopening every %.0f s, the other interfaces go on",
	         f->name, why, MON_REOPEN_SECONDS);
	emit_iface(emit, ctx, "interface_lost", "error", EV_ERROR, f, msg);
}

/* A lost capture: try again once the interface exists. */
static void retry(struct mon_iface *f, int st, const char *filter, double now, mon_emit_fn emit,
                  void *ctx)
{
	if (now < f->next_retry)
		return;
	f->next_retry = now + MON_REOPEN_SECONDS;
	if (st < 0) {
		f->link = -1;
		return; /* not back yet */
	}
	char err[512];
	if (mon_iface_open(f, filter, err, sizeof(err)) != 0) {
		if (!f->retry_reported) {
			char msg[900];
			snprintf(msg, sizeof(msg), "Cannot reopen %s: %s", f->name, err);
			emit_iface(emit, ctx, "error", "error", EV_ERROR, f, msg);
			f->retry_reported = 1;
		}
		return;
	}
	f->lost = 0;
	f->link = st;
	char msg[200];
	snprintf(msg, sizeof(msg), "Capture on %s reopened", f->name);
	emit_iface(emit, ctx, "interface_reopened", "start", EV_NOTICE, f, msg);
}

void mon_links_check(struct mon_iface *ifs, size_t n, int sock, const char *filter, double now,
                     mon_emit_fn emit, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		struct mon_iface *f = &ifs[i];
		int st = mon_link_state(sock, f->name);
		if (f->lost) {
			retry(f, st, filter, now, emit, ctx);
			continue;
		}
		if (st == f->link)
			continue;
		char msg[200];
		if (st > 0) {
			snprintf(msg, sizeof(msg), "Interface %s is up again; capture resumed",
			         f->name);
			emit_iface(emit, ctx, "interface_up", "start", EV_NOTICE, f, msg);
		} else {
			snprintf(msg, sizeof(msg), "Interface %s is %s; waiting for it", f->name,
			         st == 0 ? "down" : "gone");
			emit_iface(emit, ctx, "interface_down", "end", EV_WARNING, f, msg);
		}
		f->link = st;
	}
}

size_t mon_links_open(const struct mon_iface *ifs, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ifs[i].cap != NULL;
	return k;
}
