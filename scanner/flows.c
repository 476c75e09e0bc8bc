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
 *
 * The flow table answers, the inventory directs: inv_flow_add records the
 * packet in its flow and says what it found (the flow, whether the payload
 * is one to identify, whether it is a server's reply); inventory.c then
 * runs identification and records services. Nothing here calls back into
 * the inventory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/inventory-internal.h"

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

/*
 * The locate memo. Finding a packet's flow costs one or two lookups in the
 * table of every flow seen: a 37-byte key hashed, then cache misses on the
 * slot and on the stored key; a packet travelling server -> opener first
 * looks up its own orientation, which does not exist, on a cold slot.
 * Packets of a conversation come close together, so a small direct-mapped
 * memo keyed by the packet's 5-tuple (both ports) answers most of them.
 *
 * What an entry claims, and why the claim stays true:
 *   MEMO_FWD       the flow (src, dst, proto, dport) exists, at fi.
 *   MEMO_REV       the flow (dst, src, proto, sport) exists, at fi.
 *   MEMO_REV_ONLY  MEMO_REV, and (src, dst, proto, dport) did not exist
 *                  while its bucket's creation stamp had the value stamp.
 * Flows are never deleted; inv_evict renumbers them and bumps gen, which
 * empties the memo (memo_ready). Creating a flow bumps the stamp of its
 * key's bucket, so an unchanged stamp means the forward flow still does
 * not exist (other keys sharing the bucket only bump it too often). A
 * miss or a stale entry falls back to the lookups: the memo changes which
 * lookups are done, never what locating answers.
 */
#define MEMO_BITS  12 /* 4,096 entries of one cache line each: 256 KiB */
#define STAMP_BITS 12 /* 4,096 creation stamps: 32 KiB */

enum { MEMO_EMPTY, MEMO_FWD, MEMO_REV, MEMO_REV_ONLY };

struct flow_memo {
	_Alignas(64) uint64_t w[5]; /* struct memo_key */
	uint64_t stamp;             /* MEMO_REV_ONLY: the bucket's stamp when filled */
	uint32_t fi;
	uint16_t sport;
	uint8_t state;
};

/* A packet's memo key: its forward flow (src, dst, proto, dport) as five
 * words, and its source port; base hashes the words and also picks the
 * stamp bucket. The words are loaded straight from the addresses, not
 * assembled byte by byte in a buffer and read back as words (each such
 * read waited for the byte stores to drain: the key cost more than the
 * lookups it saves). The products are independent, so they overlap. */
struct memo_key {
	uint64_t w[5];
	uint16_t sport;
	uint64_t base;
};

static uint64_t ip_word(const ss_ip *ip, size_t half)
{
	uint64_t v;
	memcpy(&v, ip->b + 8 * half, sizeof(v));
	return v;
}

static void memo_key_of(const ss_ip *src, const ss_ip *dst, uint8_t proto, uint16_t sport,
                        uint16_t dport, struct memo_key *k)
{
	k->w[0] = ip_word(src, 0);
	k->w[1] = ip_word(src, 1);
	k->w[2] = ip_word(dst, 0);
	k->w[3] = ip_word(dst, 1);
	k->w[4] = (uint64_t)src->family | (uint64_t)dst->family << 8 | (uint64_t)proto << 16 |
	          (uint64_t)dport << 24;
	k->sport = sport;
	uint64_t x = k->w[0] * 0x9e3779b97f4a7c15ull ^ k->w[1] * 0xc2b2ae3d27d4eb4full ^
	             k->w[2] * 0x165667b19e3779f9ull ^ k->w[3] * 0xd6e8feb86659fd93ull ^
	             k->w[4] * 0xff51afd7ed558ccdull;
	x ^= x >> 32;
	x *= 0x9e3779b97f4a7c15ull;
	x ^= x >> 29;
	k->base = x;
}

static size_t memo_index(const struct memo_key *k)
{
	return (size_t)(((k->base ^ k->sport) * 0xd6e8feb86659fd93ull) >> (64 - MEMO_BITS));
}

static size_t stamp_index(uint64_t base)
{
	return (size_t)((base * 0xff51afd7ed558ccdull) >> (64 - STAMP_BITS));
}

/* Allocates the memo on first use and empties it when gen has moved on
 * (inv_evict renumbered the flows), counting that in epoch. Runs before
 * every TCP or UDP packet reaches inv_flow_add. */
static void memo_ready(struct inventory *inv)
{
	size_t bytes = sizeof(struct flow_memo) << MEMO_BITS;
	if (!inv->memo) {
		inv->memo = aligned_alloc(_Alignof(struct flow_memo), bytes);
		if (!inv->memo) {
			fputs("segscan: out of memory\n", stderr);
			abort();
		}
		inv->memo_stamps = xcalloc((size_t)1 << STAMP_BITS, sizeof(*inv->memo_stamps));
	} else if (inv->memo_gen == inv->gen) {
		return;
	}
	memset(inv->memo, 0, bytes);
	inv->memo_gen = inv->gen;
	inv->epoch++;
}

/* The entry for k, or NULL. */
static const struct flow_memo *memo_get(const struct inventory *inv, const struct memo_key *k)
{
	const struct flow_memo *m = &inv->memo[memo_index(k)];
	if (m->state == MEMO_EMPTY || m->sport != k->sport)
		return NULL;
	uint64_t d = 0;
	for (size_t i = 0; i < 5; i++)
		d |= m->w[i] ^ k->w[i];
	return d ? NULL : m;
}

static void memo_put(struct inventory *inv, const struct memo_key *k, int state, long fi)
{
	struct flow_memo *m = &inv->memo[memo_index(k)];
	memcpy(m->w, k->w, sizeof(m->w));
	m->sport = k->sport;
	m->state = (uint8_t)state;
	m->fi = (uint32_t)fi;
	m->stamp = state == MEMO_REV_ONLY ? inv->memo_stamps[stamp_index(k->base)] : 0;
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
		if (inv->memo_stamps) { /* see the locate memo */
			struct memo_key k;
			memo_key_of(src, dst, proto, 0, dport, &k);
			inv->memo_stamps[stamp_index(k.base)]++;
		}
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

/* The zone of address entry ii under inv->policy (cached, see ip_ent):
 * a flow is judged at creation and again at export, two trie walks per
 * end, and most flows share their ends. */
const char *inv_ip_zone(struct inventory *inv, size_t ii)
{
	struct ip_ent *e = &inv->ips[ii];
	if (e->zone_gen != inv->zone_gen) {
		e->zone = pol_zone_of(inv->policy, &e->ip);
		e->zone_gen = inv->zone_gen;
	}
	return e->zone;
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

void inv_flow_locate(struct inventory *inv, const struct pkt *p, struct flow_loc *l)
{
	l->forms = 0;
	/* One-to-many traffic is local service traffic, not a flow. */
	l->local = (p->has_l2 && ss_mac_is_multicast(&p->dst_mac)) || ss_ip_is_multicast(&p->dst) ||
	           ss_ip_is_broadcast(&p->dst);
	if (l->local || ss_ip_is_unspecified(&p->src))
		return;
	if (p->frag_nonfirst)
		return; /* no ports: accounted to hosts only */

	uint8_t proto = p->proto;
	int reverse = 0; /* packet travels server -> opener */
	uint16_t dport = 0;
	int reply_from_server = 0;
	long fi = -1;
	int searched = 0; /* fi is the result of looking the flow up */
	int both_absent = 0;

	if ((proto == 6 || proto == 17) && p->has_l4) {
		int syn = proto == 6 && (p->tcp_flags & TCPF_SYN);
		int ack = proto == 6 && (p->tcp_flags & TCPF_ACK);
		struct memo_key k;
		memo_ready(inv);
		memo_key_of(&p->src, &p->dst, proto, p->sport, p->dport, &k);
		const struct flow_memo *m = memo_get(inv, &k);
		int st = m ? m->state : MEMO_EMPTY;
		if (st == MEMO_REV_ONLY && m->stamp != inv->memo_stamps[stamp_index(k.base)])
			st = MEMO_REV; /* the forward flow may exist by now */
		if (syn && !ack) {
			reverse = 0;
			if (st == MEMO_FWD || st == MEMO_REV_ONLY) {
				fi = st == MEMO_FWD ? (long)m->fi : -1;
				searched = 1;
			}
		} else if (syn && ack) {
			reverse = 1;
			reply_from_server = 1;
			if (st == MEMO_REV || st == MEMO_REV_ONLY) {
				fi = m->fi;
				searched = 1;
			}
		} else if (st == MEMO_FWD) {
			reverse = 0;
			fi = m->fi;
			searched = 1;
		} else if (st == MEMO_REV_ONLY) {
			reverse = 1;
			reply_from_server = 1;
			fi = m->fi;
			searched = 1;
		} else if ((fi = flow_find(inv, &p->src, &p->dst, proto, p->dport)) >= 0) {
			reverse = 0;
			searched = 1;
			memo_put(inv, &k, MEMO_FWD, fi);
		} else if (st == MEMO_REV ||
		           (fi = flow_find(inv, &p->dst, &p->src, proto, p->sport)) >= 0) {
			if (st == MEMO_REV)
				fi = m->fi;
			reverse = 1;
			reply_from_server = 1;
			searched = 1;
			/* The forward flow was just found absent. */
			memo_put(inv, &k, MEMO_REV_ONLY, fi);
		} else {
			int ds = dst_is_server_by_port(p->sport, p->dport);
			if (ds < 0 && proto == 6)
				ds = p->dport <= p->sport; /* the lower port serves */
			reverse = ds == 0;
			reply_from_server = reverse;
			/* Both orientations were looked up: whichever the ports
			 * choose does not exist yet. */
			searched = 1;
			both_absent = 1;
		}
		dport = reverse ? p->sport : p->dport;
		if (!searched) { /* a handshake packet the memo did not know */
			fi = flow_find(inv, reverse ? &p->dst : &p->src,
			               reverse ? &p->src : &p->dst, proto, dport);
			searched = 1;
			if (fi >= 0 && st != MEMO_FWD)
				memo_put(inv, &k, reverse ? MEMO_REV : MEMO_FWD, fi);
		}
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
	l->both_absent = both_absent;
}

/* Memoizes both directions of the flow just created for p (l from
 * locating p): the opener's packets find it forward, the server's in
 * reverse; the server's direction is known to have no flow of its own
 * when locating looked both orientations up. The server's entry goes
 * first: should the two directions be one 5-tuple (a host talking to
 * itself from and to the same port), the opener's claim must win. */
static void memo_created(struct inventory *inv, const struct pkt *p, const struct flow_loc *l,
                         long fi)
{
	const ss_ip *src = l->reverse ? &p->dst : &p->src;
	const ss_ip *dst = l->reverse ? &p->src : &p->dst;
	uint16_t cport = l->reverse ? p->dport : p->sport;
	struct memo_key k;
	memo_key_of(dst, src, p->proto, l->dport, cport, &k);
	memo_put(inv, &k, l->both_absent ? MEMO_REV_ONLY : MEMO_REV, fi);
	memo_key_of(src, dst, p->proto, cport, l->dport, &k);
	memo_put(inv, &k, MEMO_FWD, fi);
}

void inv_flow_add(struct inventory *inv, const struct pkt *p, const struct flow_loc *l,
                  const struct pkt_ix *x, struct flow_add *out)
{
	*out = (struct flow_add){.fi = -1};
	if (!l->forms)
		return;
	uint8_t proto = p->proto;
	int reverse = l->reverse;
	uint16_t dport = l->dport;
	int created = 0;

	const ss_ip *src = reverse ? &p->dst : &p->src;
	const ss_ip *dst = reverse ? &p->src : &p->dst;
	struct flow_ent *f;
	if (l->fi >= 0) {
		f = &inv->flows[l->fi];
	} else {
		f = flow_create(inv, src, dst, proto, dport);
		created = 1;
		if ((proto == 6 || proto == 17) && p->has_l4)
			memo_created(inv, p, l, (long)(f - inv->flows));
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
	out->fi = (long)(f - inv->flows);
	out->reverse = reverse;
	out->reply_from_server = l->reply_from_server;
	/* Identification looks at the first few payload packets of each
	 * direction (counted here); the inventory runs it (inv_add). */
	if (p->has_l4 && p->payload_len && (proto == 6 || proto == 17) &&
	    f->idn[reverse] < IDENT_MAX_PKTS) {
		f->idn[reverse]++;
		out->identify = 1;
	}
}
