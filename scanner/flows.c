/*
 * scanner/flows.c - the flow table: (src, dst, proto, dport) with src the
 * side that opened the conversation.
 *
 * Direction: a TCP SYN names the opener; a SYN-ACK names it by its reply.
 * Without a handshake, an existing flow in either orientation is reused;
 * otherwise the side with the well-known (or, failing that, lower) port is
 * the server. For UDP, where ports say nothing, the first packet's sender
 * is the opener. A SYN-ACK, or a UDP reply from a flow's server port, is
 * evidence of a listening service.
 */
#include <string.h>

#include "scanner/inventory-internal.h"
#include "scanner/tcp-fingerprint.h"

#define FLOW_KEYLEN 37

static void flow_key(const ss_ip *src, const ss_ip *dst, uint8_t proto, uint16_t dport,
                     uint8_t key[FLOW_KEYLEN])
{
	key[0] = src->family;
	memcpy(key + 1, src->b, 16);
	key[17] = dst->family;
	memcpy(key + 18, dst->b, 16);
	key[34] = proto;
	key[35] = (uint8_t)(dport >> 8);
	key[36] = (uint8_t)dport;
}

/* UDP and TCP ports whose owner is the server even when both ports are
 * above 1024 (industrial protocols mostly live there). */
static int known_server_port(uint16_t port)
{
	static const uint16_t ports[] = {1194, 1433, 1521,  1701,  1723,  1812,  1883,  1900, 2049,
	                                 2222, 2404, 3260,  3306,  3389,  4840,  5000,  5001, 5006,
	                                 5007, 5060, 5353,  5355,  5432,  5900,  6379,  8080, 8443,
	                                 8883, 9600, 20000, 34962, 34963, 34964, 44818, 47808};
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
		if (ports[i] == port)
			return 1;
	return 0;
}

/* 1: the destination is the server, 0: the source is, -1: ports say
 * nothing. */
static int dst_is_server_by_port(uint16_t sport, uint16_t dport)
{
	if (sport == dport)
		return -1;
	if (dport < 1024 && sport >= 1024)
		return 1;
	if (sport < 1024 && dport >= 1024)
		return 0;
	int ks = known_server_port(sport), kd = known_server_port(dport);
	if (kd && !ks)
		return 1;
	if (ks && !kd)
		return 0;
	return -1;
}

static long flow_find(const struct inventory *inv, const ss_ip *src, const ss_ip *dst,
                      uint8_t proto, uint16_t dport)
{
	uint8_t key[FLOW_KEYLEN];
	flow_key(src, dst, proto, dport, key);
	return ss_htab_find(inv->flow_idx, key);
}

static struct flow_ent *flow_create(struct inventory *inv, const ss_ip *src, const ss_ip *dst,
                                    uint8_t proto, uint16_t dport)
{
	uint8_t key[FLOW_KEYLEN];
	flow_key(src, dst, proto, dport, key);
	int created;
	size_t i = ss_htab_intern(inv->flow_idx, key, &created);
	if (created) {
		if (i >= inv->cap_flows) {
			inv->cap_flows = inv->cap_flows ? inv->cap_flows * 2 : 256;
			inv->flows = xreallocarray(inv->flows, inv->cap_flows, sizeof(*inv->flows));
		}
		struct flow_ent *f = &inv->flows[i];
		memset(f, 0, sizeof(*f));
		f->src = *src;
		f->dst = *dst;
		f->proto = proto;
		f->dport = dport;
		f->first = f->last = SS_TIME_NONE;
		f->app = ID_NONE;
		f->tj_minute = INT64_MIN;
	}
	return &inv->flows[i];
}

/* The address entry of ip: from the packet's resolved indices when ip is
 * the packet's source or destination (it always is here), else a lookup. */
static struct ip_ent *pkt_ip(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                             const ss_ip *ip)
{
	if (x && x->has_ip) {
		if (ip == &p->src)
			return &inv->ips[x->si];
		if (ip == &p->dst)
			return &inv->ips[x->di];
	}
	return inv_ip(inv, ip, NULL);
}

/* Judges one packet of a flow whose verdict depends on the time of day. */
static void judge_timed(struct inventory *inv, struct flow_ent *f, ss_time ts)
{
	/* Every window edge (HH:MM in local time; zone offsets are whole
	 * minutes) falls on a minute boundary of the epoch, so within one
	 * minute the verdict cannot change: judge once per minute. */
	int64_t minute = ts / 60000000 - (ts % 60000000 < 0);
	if (minute == f->tj_minute) {
		if (f->tj_viol) {
			if (ts < f->viol_first)
				f->viol_first = ts;
			if (ts > f->viol_last)
				f->viol_last = ts;
			f->viol_packets++;
		}
		return;
	}
	f->tj_minute = minute;
	f->tj_viol = 0;
	struct pol_flow pf = {.src = f->src,
	                      .dst = f->dst,
	                      .src_mac = f->has_src_mac ? &f->src_mac : NULL,
	                      .dst_mac = f->has_dst_mac ? &f->dst_mac : NULL,
	                      .proto = f->proto,
	                      .dport = f->dport,
	                      .ts = ts};
	struct pol_decision d;
	pol_judge_flow(inv->policy, &pf, &d);
	if (d.verdict == POL_VERDICT_VIOLATION) {
		if (!f->viol_packets || ts < f->viol_first)
			f->viol_first = ts;
		if (!f->viol_packets || ts > f->viol_last)
			f->viol_last = ts;
		f->viol_packets++;
		f->viol_dec = d;
		f->tj_viol = 1;
	}
}

void inv_flow_locate(const struct inventory *inv, const struct pkt *p, struct flow_loc *l)
{
	l->forms = 0;
	/* One-to-many traffic is local service traffic, not a flow. */
	if (p->has_l2 && ss_mac_is_multicast(&p->dst_mac))
		return;
	if (ss_ip_is_multicast(&p->dst) || ss_ip_is_broadcast(&p->dst) ||
	    ss_ip_is_unspecified(&p->src))
		return;
	if (p->frag_nonfirst)
		return; /* no ports: accounted to hosts only */

	uint8_t proto = p->proto;
	int reverse = 0; /* packet travels server -> opener */
	uint16_t dport = 0;
	int reply_from_server = 0;
	long fi = -1;
	int searched = 0; /* fi is the result of looking the flow up */

	if ((proto == 6 || proto == 17) && p->has_l4) {
		int syn = proto == 6 && (p->tcp_flags & TCPF_SYN);
		int ack = proto == 6 && (p->tcp_flags & TCPF_ACK);
		if (syn && !ack) {
			reverse = 0;
		} else if (syn && ack) {
			reverse = 1;
			reply_from_server = 1;
		} else if ((fi = flow_find(inv, &p->src, &p->dst, proto, p->dport)) >= 0) {
			reverse = 0;
			searched = 1;
		} else if ((fi = flow_find(inv, &p->dst, &p->src, proto, p->sport)) >= 0) {
			reverse = 1;
			reply_from_server = 1;
			searched = 1;
		} else {
			int ds = dst_is_server_by_port(p->sport, p->dport);
			if (ds < 0 && proto == 6)
				ds = p->dport <= p->sport; /* the lower port serves */
			reverse = ds == 0;
			reply_from_server = reverse;
			/* Both orientations were looked up: whichever the ports
			 * choose does not exist yet. */
			searched = 1;
		}
		dport = reverse ? p->sport : p->dport;
		/* A RST answering a SYN says the port is closed, not open. */
		if (proto == 6 && (p->tcp_flags & TCPF_RST))
			reply_from_server = 0;
	} else if (proto == 1 || proto == 58) {
		uint8_t t = p->icmp_type;
		reverse = (proto == 1 && t == 0) || (proto == 58 && t == 129);
		if (proto == 58 && t >= 133 && t <= 137)
			return; /* neighbour discovery is link-local service traffic */
	} else if ((proto == 6 || proto == 17) && !p->has_l4) {
		return;
	}
	if (!searched) /* the flow's key is decided: does it exist yet? */
		fi = flow_find(inv, reverse ? &p->dst : &p->src, reverse ? &p->src : &p->dst, proto,
		               dport);
	l->forms = 1;
	l->reverse = reverse;
	l->reply_from_server = reply_from_server;
	l->dport = dport;
	l->fi = fi;
}

long inv_flow_add(struct inventory *inv, const struct pkt *p, const struct flow_loc *l,
                  const struct pkt_ix *x)
{
	if (!l->forms)
		return -1;
	uint8_t proto = p->proto;
	int reverse = l->reverse;
	uint16_t dport = l->dport;
	int reply_from_server = l->reply_from_server;
	int created = 0;

	if (proto == 6 && p->has_l4 && (p->tcp_flags & TCPF_SYN)) {
		inv_syn_fingerprint(inv, p, x); /* the SYN's options hint at the OS */
	}

	const ss_ip *src = reverse ? &p->dst : &p->src;
	const ss_ip *dst = reverse ? &p->src : &p->dst;
	struct flow_ent *f;
	if (l->fi >= 0) {
		f = &inv->flows[l->fi];
	} else {
		f = flow_create(inv, src, dst, proto, dport);
		created = 1;
	}
	if (created) {
		const ss_mac *smac = reverse ? &p->dst_mac : &p->src_mac;
		const ss_mac *dmac = reverse ? &p->src_mac : &p->dst_mac;
		if (p->has_l2) {
			f->has_src_mac = !ss_mac_is_zero(smac);
			f->src_mac = *smac;
			f->has_dst_mac = !ss_mac_is_zero(dmac);
			f->dst_mac = *dmac;
		}
		if (inv->policy) {
			struct pol_flow pf = {.src = f->src,
			                      .dst = f->dst,
			                      .src_mac = f->has_src_mac ? &f->src_mac : NULL,
			                      .dst_mac = f->has_dst_mac ? &f->dst_mac : NULL,
			                      .proto = proto,
			                      .dport = dport,
			                      .ts = p->ts};
			if (x && x->has_ip) { /* the flow's ends are the packet's */
				pf.zones_known = 1;
				pf.src_zone = inv_ip_zone(inv, reverse ? x->di : x->si);
				pf.dst_zone = inv_ip_zone(inv, reverse ? x->si : x->di);
			}
			struct pol_decision d;
			pol_judge_flow(inv->policy, &pf, &d);
			f->judged_time_dep = d.time_dependent;
		}
	}
	if (f->packets == 0 || p->ts < f->first)
		f->first = p->ts;
	if (f->packets == 0 || p->ts > f->last)
		f->last = p->ts;
	f->packets++;
	f->bytes += p->wirelen;
	if (f->judged_time_dep)
		judge_timed(inv, f, p->ts);
	/* Identification: the first few payload packets of each direction. */
	if (p->has_l4 && p->payload_len && (proto == 6 || proto == 17) &&
	    f->idn[reverse] < IDENT_MAX_PKTS) {
		f->idn[reverse]++;
		size_t fi = (size_t)(f - inv->flows);
		enum ident_proto id =
		    inv_identify(inv, p, x, proto == 6 ? IDENT_TCP : IDENT_UDP, reverse, 1);
		f = &inv->flows[fi]; /* tables may have grown */
		if (id != ID_NONE && f->app == ID_NONE) {
			f->app = (int8_t)id;
			/* TCP payload means the handshake completed: the server
			 * listens, whether or not its SYN-ACK was captured. A UDP
			 * request alone proves nothing about the other side. */
			if (proto == 6 || reverse)
				inv_ip_add_service(pkt_ip(inv, p, x, dst), proto, f->dport, id);
		}
	}
	if (reply_from_server)
		inv_ip_add_service(pkt_ip(inv, p, x, &p->src), proto, p->sport, f->app);
	return (long)(f - inv->flows);
}
