/*
 * scanner/probe-send.c - the probe run: schedule, sending, the final scope
 * check, reply matching and results.
 *
 * Schedule. One token bucket paces every frame, first attempt or retry, and
 * no round waits for another: each frame goes to the first of
 *   1. the ARP sweep, in address order;
 *   2. a retry that is due: every probe sent waits in a queue, oldest first,
 *      and one still unanswered after the reply timeout is sent again
 *      (--retries), to the silent only;
 *   3. the SYNs owed to hosts that are up (they answered ARP, or were heard),
 *      port-major (port 1 to every host up, then port 2 ...), so a device
 *      sees its probes spread out rather than in a burst;
 * and when none is ready, the run waits for the next one due. So the probes
 * most likely to go unanswered (ARP to empty addresses) go out first, the
 * SYNs to hosts known to be up fill the time their retries wait for, and
 * the run ends as soon as the last probe is answered or has waited its
 * timeout. The timeout is --wait until a reply has been timed, then four
 * times the slowest round trip seen (at least PROBE_MIN_WAIT, at most
 * --wait): on a LAN that answers in milliseconds the run never sits idle
 * for a second per round. With --probe tcp alone, the hosts heard in the
 * first --wait seconds are probed first, and later ones as they appear.
 *
 * Final check. Each frame is built, then decoded with the same decoder the
 * capture uses (dec_packet), and its destination is put through
 * probe_in_scope() once more, together with the shape of the frame (our
 * source MAC and address, an ARP request or a bare SYN, a planned port, the
 * MAC of a host that is up). A frame that fails is not sent and the run
 * stops with an error: it would be a bug, and a bug here touches machines.
 */
#include <errno.h>
#include <libnet.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scanner/decode.h"
#include "scanner/inventory-probe.h"
#include "scanner/probe-internal.h"

double probe_now(struct probe *pr)
{
	if (pr->virt)
		return pr->vnow;
	if (pr->o->clock)
		return pr->o->clock(pr->o->clock_ctx);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void probe_syn_ids(const struct probe *pr, uint32_t dst_ip, uint16_t dport, uint16_t *sport,
                   uint32_t *seq)
{
	uint64_t c = probe_cookie(pr->key, pr->src_ip, dst_ip, dport);
	*sport = (uint16_t)(PROBE_SPORT_BASE + (c >> 32) % PROBE_SPORT_COUNT);
	*seq = (uint32_t)c;
}

static long port_index(const struct probe *pr, uint16_t port)
{
	size_t lo = 0, hi = pr->n_ports;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pr->ports[mid] < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pr->n_ports && pr->ports[lo] == port ? (long)lo : -1;
}

size_t probe_host_add(struct probe *pr, uint32_t ip, const ss_mac *mac, uint8_t via)
{
	long ti = probe_target_index(pr, ip);
	if (ti >= 0 && pr->tg_host[ti] >= 0)
		return (size_t)pr->tg_host[ti];
	if (pr->n_hosts == pr->cap_hosts) {
		pr->cap_hosts = pr->cap_hosts ? pr->cap_hosts * 2 : 64;
		pr->hosts = xreallocarray(pr->hosts, pr->cap_hosts, sizeof(*pr->hosts));
	}
	struct probe_host *h = &pr->hosts[pr->n_hosts];
	h->ip = ip;
	h->mac = *mac;
	h->via = via;
	h->ps = xcalloc(pr->n_ports ? pr->n_ports : 1, 1);
	h->ps_at = xcalloc(pr->n_ports ? pr->n_ports : 1, sizeof(*h->ps_at));
	h->ps_wall = xcalloc(pr->n_ports ? pr->n_ports : 1, sizeof(*h->ps_wall));
	if (pr->o->kinds & PROBE_TCP)
		pr->tcp_first_owed += pr->n_ports;
	if (ti >= 0)
		pr->tg_host[ti] = (int32_t)pr->n_hosts;
	pr->st.hosts_up++;
	return pr->n_hosts++;
}

/* ---- opening ---- */

int probe_open(struct probe *pr, char *err, size_t errsz)
{
	if (!(pr->build = probe_frame_ctx_new(err, errsz)))
		return -1;
	if (pr->o->write_probes) {
		pcap_t *d = pcap_open_dead(DLT_EN10MB, 65535);
		if (!d) {
			snprintf(err, errsz, "pcap_open_dead failed");
			return -1;
		}
		pr->pdead = d;
		pcap_dumper_t *w = pcap_dump_open(d, pr->o->write_probes);
		if (!w) {
			snprintf(err, errsz, "%s: %s", pr->o->write_probes, pcap_geterr(d));
			return -1;
		}
		pr->pdump = w;
		pr->dry = 1;
		return 0;
	}
	char eb[LIBNET_ERRBUF_SIZE] = "";
	libnet_t *l = libnet_init(LIBNET_LINK_ADV, pr->o->iface, eb);
	if (!l) {
		snprintf(err, errsz, "%s: cannot open for sending: %s%s", pr->o->iface, eb,
		         errno == EPERM || errno == EACCES ? " (needs root or CAP_NET_RAW)" : "");
		return -1;
	}
	pr->link = l;
	return 0;
}

/* ---- sending ---- */

static int fail(struct probe *pr, const char *fmt, const char *a, const char *b)
{
	snprintf(pr->err, sizeof(pr->err), fmt, a, b);
	pr->failed = 1;
	return -2;
}

/* The last word before a frame leaves: decode what was built and check it
 * against the scope once more. */
static int frame_ok(struct probe *pr, const uint8_t *f, size_t n, int arp, uint32_t ip,
                    const ss_mac *dmac)
{
	struct pkt p;
	if (dec_packet(SS_DLT_EN10MB, f, n, n, &p) != DEC_OK || !p.has_l2 ||
	    ss_mac_cmp(&p.src_mac, &pr->src_mac) != 0)
		return 0;
	if (arp) {
		if (p.kind != PKT_ARP || p.arp.op != 1 || !ss_mac_is_broadcast(&p.dst_mac) ||
		    p.arp.spa.family != 4 || probe_ip4(&p.arp.spa) != pr->src_ip ||
		    p.arp.tpa.family != 4 || probe_ip4(&p.arp.tpa) != ip)
			return 0;
	} else {
		if (p.kind != PKT_IP || p.proto != 6 || !p.has_l4 || p.src.family != 4 ||
		    probe_ip4(&p.src) != pr->src_ip || probe_ip4(&p.dst) != ip ||
		    p.tcp_flags != TCPF_SYN || p.payload_len != 0 || p.sport < PROBE_SPORT_BASE ||
		    p.sport >= PROBE_SPORT_BASE + PROBE_SPORT_COUNT ||
		    port_index(pr, p.dport) < 0 || ss_mac_cmp(&p.dst_mac, dmac) != 0)
			return 0;
		/* Unicast to the host that is up; only a dry run, which
		 * resolves nothing, writes the unknown MAC as zeros. */
		if (ss_mac_is_multicast(&p.dst_mac) || (ss_mac_is_zero(&p.dst_mac) && !pr->dry))
			return 0;
		long ti = probe_target_index(pr, ip);
		if (ti < 0 || pr->tg_host[ti] < 0 ||
		    ss_mac_cmp(&pr->hosts[pr->tg_host[ti]].mac, dmac) != 0)
			return 0;
	}
	return probe_target_index(pr, ip) >= 0 && probe_in_scope(pr, ip);
}

static int emit(struct probe *pr, const uint8_t *f, size_t n, int arp, uint32_t ip,
                const ss_mac *dmac, double now)
{
	if (!frame_ok(pr, f, n, arp, ip, dmac)) {
		char a[SS_IP_STRLEN];
		ss_ip x;
		probe_ip_from(&x, ip);
		ss_ip_format(&x, a);
		return fail(pr,
		            "internal error: refused to send a %s probe to %s that fails the scope "
		            "check; nothing more is sent",
		            arp ? "ARP" : "TCP", a);
	}
	if (!probe_bucket_take(&pr->bucket, now))
		return fail(pr, "internal error: %s%s", "frame without a rate token", "");
	if (pr->dry) {
		struct pcap_pkthdr h;
		/* The paced time: virtual in probe_run_dry, else the clock. */
		int64_t us = pr->vbase + (int64_t)llround(now * 1e6);
		h.ts.tv_sec = (time_t)(us / 1000000);
		h.ts.tv_usec = (suseconds_t)(us % 1000000);
		h.caplen = h.len = (bpf_u_int32)n;
		pcap_dump((u_char *)pr->pdump, &h, f);
	} else if (libnet_adv_write_link(pr->link, f, (uint32_t)n) < 0) {
		return fail(pr, "%s: send failed: %s", pr->o->iface, libnet_geterror(pr->link));
	}
	if (!pr->any_frame)
		pr->first_frame = now;
	pr->any_frame = 1;
	pr->last_frame = now;
	pr->st.frames++;
	if (arp)
		pr->st.arp_sent++;
	else
		pr->st.tcp_sent++;
	pr->st.elapsed = now - pr->first_frame;
	return 0;
}

/* ---- hosts heard passively ---- */

static void heard(void *ctx, const ss_mac *mac, uint32_t ip)
{
	struct probe *pr = ctx;
	long ti = probe_target_index(pr, ip);
	/* Only planned addresses: the plan is the scope. */
	if (ti < 0 || pr->tg_host[ti] >= 0 || ss_mac_is_zero(mac) || ss_mac_is_multicast(mac))
		return;
	probe_host_add(pr, ip, mac, pr->dry ? VIA_DRY : VIA_PASSIVE);
}

static void refresh_hosts(struct probe *pr, struct inventory *inv, double now)
{
	pr->last_refresh = now;
	if (inv)
		inv_each_local_host4(inv, heard, pr);
	if (pr->dry && pr->dry_hosts) {
		/* Nothing answers a dry run: write what would go to every
		 * target if it were up. */
		static const ss_mac unknown = {{0}};
		for (size_t i = 0; i < pr->n_tg; i++)
			if (pr->tg_host[i] < 0)
				probe_host_add(pr, pr->tg[i], &unknown, VIA_DRY);
	}
}

/* ---- the schedule ---- */

/* Seconds a probe waits for its answer before a retry (see the top). */
static double reply_timeout(const struct probe *pr)
{
	double w = pr->o->wait;
	if (!pr->rtt_n)
		return w;
	double t = 4 * pr->rtt_max;
	if (t < PROBE_MIN_WAIT)
		t = PROBE_MIN_WAIT;
	return t < w ? t : w;
}

/* A reply's round trip: from the frame's send to the reply's capture
 * timestamp (the kernel's, so the time a live capture holds packets before
 * handing them over does not count), or, where the two clocks do not
 * compare (a test's clock), to now. */
static void rtt_sample(struct probe *pr, double sent_at, int64_t sent_wall, int64_t reply_ts)
{
	if (sent_at <= 0)
		return;
	double rtt = probe_now(pr) - sent_at;
	if (rtt < 0)
		return;
	double by_ts = (double)(reply_ts - sent_wall) / 1e6;
	if (sent_wall > 0 && by_ts >= 0 && by_ts < rtt)
		rtt = by_ts;
	if (rtt > pr->rtt_max)
		pr->rtt_max = rtt;
	pr->rtt_n++;
}

static void sent_push(struct probe *pr, uint32_t idx, uint32_t port, double now)
{
	if (pr->sent_n == pr->sent_cap) {
		size_t cap = pr->sent_cap ? pr->sent_cap * 2 : 256;
		struct probe_sent *v = xreallocarray(NULL, cap, sizeof(*v));
		for (size_t i = 0; i < pr->sent_n; i++)
			v[i] = pr->sent[(pr->sent_head + i) % pr->sent_cap];
		free(pr->sent);
		pr->sent = v;
		pr->sent_cap = cap;
		pr->sent_head = 0;
	}
	pr->sent[(pr->sent_head + pr->sent_n) % pr->sent_cap] =
	    (struct probe_sent){.at = now, .idx = idx, .port = port};
	pr->sent_n++;
}

static void sent_pop(struct probe *pr)
{
	pr->sent_head = (pr->sent_head + 1) % pr->sent_cap;
	pr->sent_n--;
}

/* Whether the probe e stands for still wants an answer, and whether it may
 * be sent again. */
static int sent_open(const struct probe *pr, const struct probe_sent *e, int *may_retry)
{
	if (e->port == PROBE_SENT_ARP) {
		*may_retry = pr->tg_arp[e->idx] <= pr->o->retries;
		return pr->tg_host[e->idx] < 0;
	}
	uint8_t b = pr->hosts[e->idx].ps[e->port];
	*may_retry = PS_ATTEMPTS(b) <= pr->o->retries;
	return PS_RESULT(b) == 0;
}

/* Drops settled probes from the front of the queue: answered ones, and
 * those whose last attempt has waited its timeout. Returns the front (an
 * unanswered probe that may be retried once it is due), or NULL. */
static const struct probe_sent *sent_front(struct probe *pr, double now)
{
	double to = reply_timeout(pr);
	while (pr->sent_n) {
		const struct probe_sent *e = &pr->sent[pr->sent_head];
		int may_retry;
		if (!sent_open(pr, e, &may_retry) || (!may_retry && now >= e->at + to)) {
			sent_pop(pr);
			continue;
		}
		return e; /* due for a retry, or its last wait is not over */
	}
	return NULL;
}

static int send_arp(struct probe *pr, size_t ti, double now)
{
	uint32_t ip = pr->tg[ti];
	uint8_t f[PROBE_FRAME_MAX];
	size_t n =
	    probe_frame_arp_l(pr->build, &pr->src_mac, pr->src_ip, ip, f, pr->err, sizeof(pr->err));
	if (!n) {
		pr->failed = 1;
		return -1;
	}
	static const ss_mac bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	if (emit(pr, f, n, 1, ip, &bcast, now) != 0)
		return -1;
	pr->tg_arp[ti]++;
	pr->tg_at[ti] = now;
	pr->tg_wall[ti] = ss_time_now();
	sent_push(pr, (uint32_t)ti, PROBE_SENT_ARP, now);
	return 0;
}

static int send_syn(struct probe *pr, size_t hi, size_t pi, double now)
{
	struct probe_host *h = &pr->hosts[hi];
	uint16_t port = pr->ports[pi], sport;
	uint32_t seq;
	probe_syn_ids(pr, h->ip, port, &sport, &seq);
	uint8_t f[PROBE_FRAME_MAX];
	size_t n = probe_frame_syn_l(pr->build, &pr->src_mac, &h->mac, pr->src_ip, h->ip, sport,
	                             port, seq, f, pr->err, sizeof(pr->err));
	if (!n) {
		pr->failed = 1;
		return -1;
	}
	if (emit(pr, f, n, 0, h->ip, &h->mac, now) != 0)
		return -1;
	h->ps[pi]++; /* attempts: the low nibble, at most 11 */
	h->ps_at[pi] = now;
	h->ps_wall[pi] = ss_time_now();
	sent_push(pr, (uint32_t)hi, (uint32_t)pi, now);
	return 0;
}

/* Whether every target has had all its ARP attempts (or needs none). */
static int arp_all_sent(const struct probe *pr)
{
	if (!(pr->o->kinds & PROBE_ARP))
		return 1;
	for (size_t i = 0; i < pr->n_tg; i++)
		if (pr->tg_host[i] < 0 && pr->tg_arp[i] <= pr->o->retries)
			return 0;
	return 1;
}

/* The next target owed its first ARP request, or -1. */
static long arp_first(struct probe *pr)
{
	if (!(pr->o->kinds & PROBE_ARP))
		return -1;
	while (pr->arp_cur < pr->n_tg &&
	       (pr->tg_host[pr->arp_cur] >= 0 || pr->tg_arp[pr->arp_cur] > 0))
		pr->arp_cur++;
	return pr->arp_cur < pr->n_tg ? (long)pr->arp_cur : -1;
}

/* The next (host, port) owed its first SYN, port-major; 0 when none. Hosts
 * come up while the walk goes on, so it wraps around until every pair owed
 * has been found. */
static int tcp_first(struct probe *pr, double now, size_t *hi, size_t *pi)
{
	if (!(pr->o->kinds & PROBE_TCP) || !pr->tcp_first_owed || now < pr->tcp_start_at)
		return 0;
	for (size_t steps = 0; steps <= pr->n_ports * pr->n_hosts + pr->n_ports; steps++) {
		if (pr->tcp_port >= pr->n_ports) {
			pr->tcp_port = 0;
			pr->tcp_host = 0;
		}
		if (pr->tcp_host >= pr->n_hosts) {
			pr->tcp_port++;
			pr->tcp_host = 0;
			continue;
		}
		uint8_t b = pr->hosts[pr->tcp_host].ps[pr->tcp_port];
		if (PS_ATTEMPTS(b) == 0 && PS_RESULT(b) == 0) {
			*hi = pr->tcp_host++;
			*pi = pr->tcp_port;
			return 1;
		}
		pr->tcp_host++;
	}
	pr->tcp_first_owed = 0; /* nothing left: the count had run ahead */
	return 0;
}

/* Sends what the schedule and the bucket allow. Returns seconds until the
 * next frame may be due, -1 when the run is done, -2 on an error. */
static double schedule(struct probe *pr, struct inventory *inv, double now)
{
	const struct probe_opts *o = pr->o;
	if (pr->tcp_start_at < 0)
		pr->tcp_start_at = now + (pr->dry || (o->kinds & PROBE_ARP) ? 0 : o->wait);
	if (pr->last_refresh == 0 || now - pr->last_refresh >= 1.0)
		refresh_hosts(pr, inv, now);
	for (;;) {
		/* A dry run makes every target a host once the sweep and its
		 * retries are out (nothing answers ARP there), so that the
		 * SYNs every host would be owed are written too. */
		long ti = arp_first(pr);
		if (pr->dry && !pr->dry_hosts && ti < 0 && arp_all_sent(pr)) {
			pr->dry_hosts = 1;
			refresh_hosts(pr, inv, now);
		}
		const struct probe_sent *e = ti < 0 ? sent_front(pr, now) : NULL;
		int retry = 0;
		if (e && now >= e->at + reply_timeout(pr)) {
			int may_retry;
			sent_open(pr, e, &may_retry);
			if (!may_retry)
				continue; /* its last wait is over: sent_front drops it */
			retry = 1;
		}
		size_t hi = 0, pi = 0;
		int syn = ti < 0 && !retry && tcp_first(pr, now, &hi, &pi);
		if (ti < 0 && !retry && !syn) {
			if (e)
				return e->at + reply_timeout(pr) - now;
			if ((o->kinds & PROBE_TCP) && now < pr->tcp_start_at)
				return pr->tcp_start_at - now;
			return -1;
		}
		double d = probe_bucket_delay(&pr->bucket, now);
		if (d > 0) {
			if (syn)
				pr->tcp_host--; /* not sent this turn: found again next */
			return d;
		}
		int rc;
		if (ti >= 0) {
			rc = send_arp(pr, (size_t)ti, now);
		} else if (retry) {
			struct probe_sent r = *e;
			sent_pop(pr);
			rc = r.port == PROBE_SENT_ARP ? send_arp(pr, r.idx, now)
			                              : send_syn(pr, r.idx, r.port, now);
		} else {
			pr->tcp_first_owed--;
			rc = send_syn(pr, hi, pi, now);
		}
		if (rc != 0)
			return -2;
	}
}

static void update_progress(struct probe *pr, double now)
{
	if (now - pr->progress_at < 0.5)
		return;
	pr->progress_at = now;
	struct probe_stats st;
	probe_get_stats(pr, &st);
	snprintf(pr->progress, sizeof(pr->progress),
	         "probes: %zu frames (%zu ARP of %zu targets, %zu TCP), %zu replies, %zu up, %zu "
	         "open, %zu closed   ",
	         st.frames, st.arp_sent, st.targets, st.tcp_sent, st.replies, st.hosts_up, st.open,
	         st.closed);
}

int probe_tick(struct probe *pr, struct inventory *inv)
{
	if (pr->failed)
		return PROBE_TICK_ERROR;
	if (!pr->build) {
		snprintf(pr->err, sizeof(pr->err), "probe_tick before probe_open");
		pr->failed = 1;
		return PROBE_TICK_ERROR;
	}
	double now = probe_now(pr);
	if (!pr->bucket_ready) {
		probe_bucket_init(&pr->bucket, pr->o->rate, now);
		pr->bucket_ready = 1;
		pr->progress_at = now - 1;
	}
	double d = schedule(pr, inv, now);
	update_progress(pr, now);
	if (d <= -2 || pr->failed)
		return PROBE_TICK_ERROR;
	if (d < 0) {
		pr->next_delay = 1.0; /* done: look for new hosts once a second */
		return PROBE_TICK_DONE;
	}
	pr->next_delay = d;
	double ms = ceil(d * 1000);
	return ms > 100 ? 100 : (int)ms;
}

const char *probe_error(const struct probe *pr)
{
	return pr->err;
}

const char *probe_progress_line(struct probe *pr)
{
	if (!pr->progress[0])
		return NULL;
	static char line[sizeof(pr->progress)];
	memcpy(line, pr->progress, sizeof(line));
	pr->progress[0] = '\0';
	return line;
}

int probe_run_dry(struct probe *pr, struct inventory *inv, char *err, size_t errsz)
{
	if (!pr->dry) {
		snprintf(err, errsz, "probe_run_dry needs --write-probes (probe_open first)");
		return -1;
	}
	pr->vnow = 0;
	pr->vbase = ss_time_now();
	pr->virt = 1;
	for (;;) {
		int r = probe_tick(pr, inv);
		if (r == PROBE_TICK_ERROR) {
			snprintf(err, errsz, "%s", pr->err);
			return -1;
		}
		if (r == PROBE_TICK_DONE)
			break;
		pr->vnow += pr->next_delay > 1e-6 ? pr->next_delay : 1e-6;
	}
	if (pcap_dump_flush(pr->pdump) != 0) {
		snprintf(err, errsz, "%s: write error", pr->o->write_probes);
		return -1;
	}
	return 0;
}

/* ---- replies ---- */

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int probe_observe(struct probe *pr, struct inventory *inv, const struct pkt *p)
{
	if (!p->has_l2)
		return 0;
	if (ss_mac_cmp(&p->src_mac, &pr->src_mac) == 0) {
		if (p->kind == PKT_ARP)
			return p->arp.op == 1 && p->arp.spa.family == 4 &&
			       probe_ip4(&p->arp.spa) == pr->src_ip && p->arp.tpa.family == 4 &&
			       probe_target_index(pr, probe_ip4(&p->arp.tpa)) >= 0;
		return p->kind == PKT_IP && p->proto == 6 && p->has_l4 && p->src.family == 4 &&
		       probe_ip4(&p->src) == pr->src_ip && p->tcp_flags == TCPF_SYN &&
		       p->sport >= PROBE_SPORT_BASE &&
		       p->sport < PROBE_SPORT_BASE + PROBE_SPORT_COUNT;
	}
	if (p->kind == PKT_ARP) {
		if (p->arp.op != 2 || p->arp.tpa.family != 4 || p->arp.spa.family != 4 ||
		    probe_ip4(&p->arp.tpa) != pr->src_ip)
			return 0;
		uint32_t ip = probe_ip4(&p->arp.spa);
		long ti = probe_target_index(pr, ip);
		if (ti < 0 || !pr->tg_arp[ti] || ss_mac_is_zero(&p->arp.sha) ||
		    ss_mac_is_multicast(&p->arp.sha))
			return 0; /* not an answer to a request of ours */
		if (pr->tg_host[ti] < 0) {
			rtt_sample(pr, pr->tg_at[ti], pr->tg_wall[ti], p->ts);
			probe_host_add(pr, ip, &p->arp.sha, VIA_ARP);
		} else {
			struct probe_host *h = &pr->hosts[pr->tg_host[ti]];
			if (h->via != VIA_ARP) {
				h->via = VIA_ARP; /* the answer beats what was heard */
				h->mac = p->arp.sha;
			}
		}
		pr->st.replies++;
		if (inv)
			inv_note_probe_reply(inv, &p->arp.sha, &p->arp.spa, INV_PROBE_ARP);
		return 0;
	}
	if (p->kind != PKT_IP || p->proto != 6 || !p->has_l4 || p->dst.family != 4 ||
	    probe_ip4(&p->dst) != pr->src_ip || p->dport < PROBE_SPORT_BASE ||
	    p->dport >= PROBE_SPORT_BASE + PROBE_SPORT_COUNT)
		return 0;
	uint32_t ip = probe_ip4(&p->src);
	long ti = probe_target_index(pr, ip), pi = port_index(pr, p->sport);
	if (ti < 0 || pr->tg_host[ti] < 0 || pi < 0)
		return 0;
	uint16_t sport;
	uint32_t seq;
	probe_syn_ids(pr, ip, p->sport, &sport, &seq);
	/* The decoder keeps tcp_opts at TCP header + 20; the acknowledgment
	 * number is header bytes 8-11. A reply to a SYN always carries ACK. */
	if (p->dport != sport || !(p->tcp_flags & TCPF_ACK) || !p->tcp_opts ||
	    be32_at(p->tcp_opts - 12) != seq + 1)
		return 0;
	unsigned result;
	if ((p->tcp_flags & (TCPF_SYN | TCPF_RST)) == TCPF_SYN)
		result = PS_OPEN;
	else if (p->tcp_flags & TCPF_RST)
		result = PS_CLOSED;
	else
		return 0;
	uint8_t *b = &pr->hosts[pr->tg_host[ti]].ps[pi];
	if (PS_ATTEMPTS(*b) == 0 || PS_RESULT(*b) != 0)
		return 0; /* not asked yet, or answered before (a retry's twin) */
	*b = (uint8_t)(*b | result << 4);
	rtt_sample(pr, pr->hosts[pr->tg_host[ti]].ps_at[pi], pr->hosts[pr->tg_host[ti]].ps_wall[pi],
	           p->ts);
	pr->st.replies++;
	if (result == PS_OPEN)
		pr->st.open++;
	else
		pr->st.closed++;
	if (inv)
		inv_note_probe_reply(inv, &p->src_mac, &p->src, INV_PROBE_TCP);
	return 0;
}

/* ---- results ---- */

void probe_get_stats(const struct probe *pr, struct probe_stats *st)
{
	*st = pr->st;
	st->filtered = 0;
	for (size_t h = 0; h < pr->n_hosts; h++)
		for (size_t i = 0; i < pr->n_ports; i++) {
			uint8_t b = pr->hosts[h].ps[i];
			st->filtered += PS_ATTEMPTS(b) > 0 && PS_RESULT(b) == 0;
		}
}

size_t probe_host_count(const struct probe *pr)
{
	return pr->n_hosts;
}

int probe_host_at(const struct probe *pr, size_t i, uint32_t *ip, ss_mac *mac, int *arp_reply)
{
	if (i >= pr->n_hosts)
		return -1;
	if (ip)
		*ip = pr->hosts[i].ip;
	if (mac)
		*mac = pr->hosts[i].mac;
	if (arp_reply)
		*arp_reply = pr->hosts[i].via == VIA_ARP;
	return 0;
}

enum probe_port_state probe_port_state(const struct probe *pr, size_t host, uint16_t port)
{
	long pi = port_index(pr, port);
	if (host >= pr->n_hosts || pi < 0)
		return PROBE_PORT_UNPROBED;
	uint8_t b = pr->hosts[host].ps[pi];
	if (PS_RESULT(b) == PS_OPEN)
		return PROBE_PORT_OPEN;
	if (PS_RESULT(b) == PS_CLOSED)
		return PROBE_PORT_CLOSED;
	return PS_ATTEMPTS(b) ? PROBE_PORT_FILTERED : PROBE_PORT_UNPROBED;
}
