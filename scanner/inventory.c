/*
 * scanner/inventory.c - per-packet bookkeeping of MACs and addresses and the
 * evidence that binds them. It directs each packet: the flow table
 * (flows.c) locates and records its flow and answers what it found; this
 * file then runs identification and records services.
 */
#include <stdlib.h>
#include <string.h>

#include "scanner/ident.h"
#include "scanner/inventory-internal.h"
#include "scanner/proto-dhcp.h"
#include "scanner/tcp-fingerprint.h"

struct inventory *inv_new(const struct policy *policy)
{
	ident_init(); /* before any packet: the identifiers' dispatch tables */
	struct inventory *inv = xcalloc(1, sizeof(*inv));
	inv->policy = policy;
	inv->mac_idx = ss_htab_new(sizeof(ss_mac));
	inv->ip_idx = ss_htab_new(17);
	inv->flow_idx = ss_htab_new(37);
	inv->gen = 1;      /* a new flow's cache (c_gen 0) is never valid */
	inv->zone_gen = 1; /* likewise a new address's zone (zone_gen 0) */
	return inv;
}

void inv_free(struct inventory *inv)
{
	if (!inv)
		return;
	size_t n = ss_htab_count(inv->mac_idx);
	for (size_t i = 0; i < n; i++)
		free(inv->macs[i].bind);
	for (size_t i = 0; i < n; i++)
		free(inv->macs[i].facts);
	n = ss_htab_count(inv->ip_idx);
	for (size_t i = 0; i < n; i++) {
		free(inv->ips[i].svc);
		free(inv->ips[i].facts);
	}
	free(inv->macs);
	free(inv->ips);
	free(inv->flows);
	free(inv->memo);
	free(inv->memo_stamps);
	ss_htab_free(inv->mac_idx);
	ss_htab_free(inv->ip_idx);
	ss_htab_free(inv->flow_idx);
	free(inv);
}

size_t inv_mac_count(const struct inventory *inv)
{
	return ss_htab_count(inv->mac_idx);
}
size_t inv_ip_count(const struct inventory *inv)
{
	return ss_htab_count(inv->ip_idx);
}
size_t inv_flow_count(const struct inventory *inv)
{
	return ss_htab_count(inv->flow_idx);
}

struct mac_ent *inv_mac(struct inventory *inv, const ss_mac *m, size_t *idx)
{
	int created;
	size_t i = ss_htab_intern(inv->mac_idx, m, &created);
	if (created) {
		if (i >= inv->cap_macs) {
			inv->cap_macs = inv->cap_macs ? inv->cap_macs * 2 : 64;
			inv->macs = xreallocarray(inv->macs, inv->cap_macs, sizeof(*inv->macs));
		}
		struct mac_ent *e = &inv->macs[i];
		memset(e, 0, sizeof(*e));
		e->mac = *m;
		e->vlan = -1;
		e->first = e->last = SS_TIME_NONE;
	}
	if (idx)
		*idx = i;
	return &inv->macs[i];
}

/* Addresses that can be bound to a device: not multicast, broadcast,
 * loopback or unspecified. Link-local ones can (they are the device's). */
static int bindable_ip(const ss_ip *ip)
{
	return !ss_ip_is_unspecified(ip) && !ss_ip_is_multicast(ip) && !ss_ip_is_broadcast(ip) &&
	       !ss_ip_is_loopback(ip);
}

static void ip_key(const ss_ip *ip, uint8_t key[17])
{
	key[0] = ip->family;
	memcpy(key + 1, ip->b, 16);
}

struct ip_ent *inv_ip(struct inventory *inv, const ss_ip *ip, size_t *idx)
{
	uint8_t key[17];
	ip_key(ip, key);
	int created;
	size_t i = ss_htab_intern(inv->ip_idx, key, &created);
	if (created) {
		if (i >= inv->cap_ips) {
			inv->cap_ips = inv->cap_ips ? inv->cap_ips * 2 : 64;
			inv->ips = xreallocarray(inv->ips, inv->cap_ips, sizeof(*inv->ips));
		}
		struct ip_ent *e = &inv->ips[i];
		memset(e, 0, sizeof(*e));
		e->ip = *ip;
		e->bindable = (uint8_t)bindable_ip(ip);
		e->sender = e->bindable && !ss_ip_is_local_service(ip);
		e->first = e->last = SS_TIME_NONE;
	}
	if (idx)
		*idx = i;
	return &inv->ips[i];
}

static void ip_add_service(struct ip_ent *e, uint8_t proto, uint16_t port, int app)
{
	for (size_t i = 0; i < e->n_svc; i++)
		if (e->svc[i].proto == proto && e->svc[i].port == port) {
			if (app != ID_NONE && e->svc[i].app != app) {
				e->svc[i].app = (int8_t)app;
				e->svc_gen++;
			}
			return;
		}
	if (e->n_svc >= 256)
		return; /* a port scan reply storm must not grow without bound */
	e->svc_gen++;
	e->svc = xreallocarray(e->svc, e->n_svc + 1, sizeof(*e->svc));
	e->svc[e->n_svc].proto = proto;
	e->svc[e->n_svc].port = port;
	e->svc[e->n_svc].app = (int8_t)app;
	e->n_svc++;
}

static int usable_mac(const ss_mac *m)
{
	return !ss_mac_is_zero(m) && !ss_mac_is_multicast(m);
}

/* Records a strong binding (ARP, NDP, DHCP) of ip to mac. */
static void touch(struct mac_ent *m, ss_time ts)
{
	if (m->first == SS_TIME_NONE || ts < m->first)
		m->first = ts;
	if (m->last == SS_TIME_NONE || ts > m->last)
		m->last = ts;
}

static void bind_strong(struct inventory *inv, const ss_mac *mac, const ss_ip *ip, uint32_t ev,
                        ss_time ts)
{
	if (!usable_mac(mac) || !bindable_ip(ip))
		return;
	size_t ii;
	inv_ip(inv, ip, &ii);
	struct mac_ent *m = inv_mac(inv, mac, NULL);
	m->ev |= ev;
	/* A device named by a binding exists even if its own frames were
	 * not captured (a DHCP lease, an NDP target). */
	touch(m, ts);
	for (size_t i = 0; i < m->n_bind; i++)
		if (m->bind[i].ip == ii) {
			m->bind[i].ev |= ev;
			return;
		}
	if (m->n_bind >= 1024)
		return; /* proxy ARP answering for a whole subnet: it is a router */
	if (m->n_bind == m->cap_bind) {
		m->cap_bind = m->cap_bind ? m->cap_bind * 2 : 2;
		m->bind = xreallocarray(m->bind, m->cap_bind, sizeof(*m->bind));
	}
	m->bind[m->n_bind].ip = (uint32_t)ii;
	m->bind[m->n_bind].ev = ev;
	m->n_bind++;
	inv->ips[ii].strong_macs++;
}

/* Remembers an address carried with a MAC as L2 endpoint (source address
 * when it sends, destination when it receives). */
static void note_peer(struct mac_ent *m, const ss_ip *ip)
{
	if (ss_ip_is_local_service(ip))
		return;
	ss_ip *set = ip->family == 4 ? m->peer4 : m->peer6;
	uint8_t *n = ip->family == 4 ? &m->n_peer4 : &m->n_peer6;
	if (*n >= MAX_PEERS)
		return;
	for (size_t i = 0; i < *n; i++)
		if (ss_ip_eq(&set[i], ip))
			return;
	set[(*n)++] = *ip;
}

static int bound_to(const struct inventory *inv, const struct mac_ent *m, const ss_ip *ip)
{
	for (size_t i = 0; i < m->n_bind; i++)
		if (ss_ip_eq(&inv->ips[m->bind[i].ip].ip, ip))
			return 1;
	return 0;
}

int inv_mac_is_router(const struct inventory *inv, const struct mac_ent *m)
{
	if (m->ra_router || m->n_bind >= 64)
		return 1;
	/* A host carries its own few addresses; a router carries everyone's.
	 * Count the carried addresses this MAC has no binding for. */
	int un4 = 0, un6 = 0;
	for (size_t i = 0; i < m->n_peer4; i++)
		un4 += !bound_to(inv, m, &m->peer4[i]);
	for (size_t i = 0; i < m->n_peer6; i++)
		un6 += !bound_to(inv, m, &m->peer6[i]);
	return un4 > ROUTER_PEERS_V4 || un6 > ROUTER_PEERS_V6;
}

static void on_arp(struct inventory *inv, const struct pkt *p)
{
	/* The sender pair binds in requests, replies and gratuitous ARP;
	 * an ARP probe (sender 0.0.0.0) binds nothing. The target pair of a
	 * reply is only what the replier believes: not evidence. */
	bind_strong(inv, &p->arp.sha, &p->arp.spa, EV_ARP, p->ts);
}

static void on_ndp(struct inventory *inv, const struct pkt *p)
{
	const struct pkt_ndp *n = &p->ndp;
	if (!n->has_lla)
		return;
	if (n->type == 135 || n->type == 133) /* NS/RS: source LLA <-> source */
		bind_strong(inv, &n->lla, &p->src, EV_NDP, p->ts);
	else if (n->type == 136) /* NA: target LLA <-> target */
		bind_strong(inv, &n->lla, &n->target, EV_NDP, p->ts);
	else if (n->type == 134) { /* RA: the router's own link-local address */
		bind_strong(inv, &n->lla, &p->src, EV_NDP, p->ts);
		inv_mac(inv, &n->lla, NULL)->ra_router = 1;
	}
}

static void on_dhcp(struct inventory *inv, const struct pkt *p)
{
	struct dhcp_info d;
	if (dhcp_parse(p->payload, p->payload_len, &d) != 0)
		return;
	if (d.op == 2 && (d.msg_type == DHCP_OFFER || d.msg_type == DHCP_ACK)) {
		/* A relay agent delivering the server's reply on the client's
		 * segment sends from its own address, the giaddr: it forwards
		 * offers, it does not make them (not a rogue server). */
		int relay = !ss_ip_is_unspecified(&d.giaddr) && ss_ip_eq(&d.giaddr, &p->src);
		if (!relay && p->has_l2 && usable_mac(&p->src_mac))
			inv_mac(inv, &p->src_mac, NULL)->dhcp_server = 1;
		struct ip_ent *s = inv_ip(inv, &p->src, NULL);
		if (!relay)
			ip_add_service(s, 17, p->sport, ID_DHCP);
		/* The lease: what the server acknowledged to this client. A
		 * relayed ACK (giaddr set) travelling server -> relay is about
		 * a client on another segment: not a local device, unless this
		 * frame is the relay's delivery to the client itself. */
		int local = ss_ip_is_unspecified(&d.giaddr) ||
		            (p->has_l2 && ss_mac_cmp(&p->dst_mac, &d.chaddr) == 0);
		if (d.msg_type == DHCP_ACK && local && !ss_ip_is_unspecified(&d.yiaddr))
			bind_strong(inv, &d.chaddr, &d.yiaddr, EV_DHCP, p->ts);
	}
	if (d.op == 1 && usable_mac(&d.chaddr) && ss_ip_is_unspecified(&d.giaddr)) {
		struct mac_ent *c = inv_mac(inv, &d.chaddr, NULL);
		c->ev |= EV_DHCP;
		touch(c, p->ts);
	}
}

/* The entries of p's source address and MAC: by the indices inv_add
 * resolved (x), else by lookup. */
static struct ip_ent *src_ip(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x)
{
	return x && x->has_ip ? &inv->ips[x->si] : inv_ip(inv, &p->src, NULL);
}

static struct mac_ent *src_mac(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x)
{
	return x && x->l2s ? &inv->macs[x->smi] : inv_mac(inv, &p->src_mac, NULL);
}

/* Whether facts and protocols about an IP packet's source (dst: its
 * destination) go to that address (ip_ent.sender), from the entry when
 * inv_add resolved it. */
static int ip_sender(const struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                     int dst)
{
	if (p->kind != PKT_IP)
		return 0;
	if (x && x->has_ip)
		return inv->ips[dst ? x->di : x->si].sender;
	const ss_ip *ip = dst ? &p->dst : &p->src;
	return bindable_ip(ip) && !ss_ip_is_local_service(ip);
}

static struct ident_facts **facts_slot(struct inventory *inv, const struct pkt *p,
                                       const struct pkt_ix *x)
{
	/* Facts about a sender belong to its address when it has one (a
	 * router's MAC carries many senders), else to its MAC (DHCP clients
	 * without an address, L2 protocols). */
	if (ip_sender(inv, p, x, 0))
		return &src_ip(inv, p, x)->facts;
	if (p->has_l2 && usable_mac(&p->src_mac))
		return &src_mac(inv, p, x)->facts;
	return NULL;
}

static void merge_sender_facts(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                               const struct ident_facts *facts)
{
	struct ident_facts **slot = facts_slot(inv, p, x);
	if (!slot)
		return;
	if (!*slot)
		*slot = xcalloc(1, sizeof(**slot));
	ident_facts_merge(*slot, facts);
}

static void syn_fingerprint(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x)
{
	/* A host sends the same SYN options with the same TTL on every
	 * connection; tcpfp_guess() depends only on those bytes, the TTL and
	 * the ACK bit, and merging the same facts twice changes nothing. The
	 * cache lives on the address, where the facts go (facts_slot). */
	struct ip_ent *e = NULL;
	uint64_t sig = 0;
	if (ip_sender(inv, p, x, 0)) {
		uint8_t meta[3] = {p->ttl, (uint8_t)(p->tcp_flags & TCPF_ACK),
		                   (uint8_t)p->tcp_opts_len};
		sig = ((uint64_t)ss_hash_bytes(p->tcp_opts, p->tcp_opts_len, 0x9e3779b9u) << 32) |
		      ss_hash_bytes(meta, sizeof(meta), 0x85ebca6bu);
		sig |= 1; /* never 0, which means "none yet" */
		e = src_ip(inv, p, x);
		if (e->syn_sig == sig)
			return;
	}
	struct ident_facts fp;
	if (tcpfp_guess(p, &fp))
		merge_sender_facts(inv, p, x, &fp);
	if (e)
		src_ip(inv, p, x)->syn_sig = sig; /* the merge may have moved the table */
}

static void credit(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                   enum ident_proto id, int receiver)
{
	uint64_t bit = ID_BIT(id);
	if (ip_sender(inv, p, x, 0))
		src_ip(inv, p, x)->protos |= bit;
	else if (p->has_l2 && usable_mac(&p->src_mac))
		src_mac(inv, p, x)->protos |= bit;
	if (receiver && ip_sender(inv, p, x, 1))
		(x && x->has_ip ? &inv->ips[x->di] : inv_ip(inv, &p->dst, NULL))->protos |= bit;
}

static enum ident_proto identify(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                                 unsigned transport, int from_server, int credit_receiver,
                                 enum ident_proto only)
{
	struct ident_in in = {p, transport == IDENT_L2 ? p->l2_payload : p->payload,
	                      transport == IDENT_L2 ? p->l2_len : p->payload_len, from_server};
	/* The sender's facts are merged into after a proof: start fetching
	 * them now (a cache miss across thousands of hosts' facts), so the
	 * identifiers' work hides it. With the packet's entries resolved (x)
	 * finding the slot creates nothing and nothing below moves the
	 * tables, so the slot stays good; without, it is found afterwards, as
	 * a lookup may create entries. */
	struct ident_facts **slot = x ? facts_slot(inv, p, x) : NULL;
	if (slot && *slot)
		__builtin_prefetch(*slot);
	struct ident_facts f;
	enum ident_proto id = only == ID_NONE ? ident_run(transport, &in, &f)
	                                      : ident_run_only(only, transport, &in, &f);
	if (id == ID_NONE)
		return id;
	credit(inv, p, x, id, credit_receiver);
	if (ident_facts_any(&f) || f.app_detail[0]) {
		if (!x)
			slot = facts_slot(inv, p, x);
		if (slot) {
			if (!*slot)
				*slot = xcalloc(1, sizeof(**slot));
			ident_facts_merge(*slot, &f);
		}
	}
	return id;
}

/* What a flow's packet tells beyond the flow table (fa from inv_flow_add,
 * x with the packet's addresses resolved): the first few payloads of each
 * direction go to the identifiers; once the flow's protocol is proven, its
 * later payloads go to that protocol's identifier alone (for its facts)
 * instead of to all of them: a payload the proven protocol's identifier
 * rejects (TLS application data cut mid-record, say) would otherwise cost
 * a try of every identifier. The price: a flow that changes protocol
 * after its first proof (a TLS tunnel after HTTP CONNECT, say) no longer
 * credits the second protocol or its facts to the hosts. A proof, or a
 * reply from the server, records the server's service. */
static void flow_identify(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x,
                          const struct flow_add *fa)
{
	uint8_t proto = p->proto;
	int reverse = fa->reverse;
	if (fa->identify) {
		enum ident_proto id =
		    identify(inv, p, x, proto == 6 ? IDENT_TCP : IDENT_UDP, reverse, 1,
		             (enum ident_proto)inv->flows[fa->fi].app);
		struct flow_ent *f = &inv->flows[fa->fi];
		if (id != ID_NONE && f->app == ID_NONE) {
			f->app = (int8_t)id;
			/* TCP payload means the handshake completed: the server
			 * listens, whether or not its SYN-ACK was captured. A UDP
			 * request alone proves nothing about the other side. */
			if (proto == 6 || reverse)
				ip_add_service(&inv->ips[reverse ? x->si : x->di], proto, f->dport,
				               id);
		}
	}
	if (fa->reply_from_server) {
		/* Always the flow's server and port (a reply travels server ->
		 * opener), so a repeat of this flow's last call is a no-op
		 * while the server's service list has not changed since: the
		 * entry exists and already carries the app, or the call passes
		 * none. Skipping it spares a cache miss on the list. In the
		 * same epoch (no eviction since, see memo_ready in flows.c,
		 * which ran for this packet) the server's address has the same
		 * entry. */
		struct flow_ent *f = &inv->flows[fa->fi];
		struct ip_ent *se = &inv->ips[x->si];
		if (f->svc_epoch != inv->epoch || se->svc_gen != f->svc_gen ||
		    (f->app != ID_NONE && f->app != f->svc_app)) {
			ip_add_service(se, proto, p->sport, f->app);
			f->svc_epoch = inv->epoch;
			f->svc_app = f->app;
			f->svc_gen = se->svc_gen;
		}
	}
}

/* Broadcast, multicast and L2 payloads form no flow; a small budget per
 * sender keeps a chatty announcer from costing more than its first few. */
static void identify_local(struct inventory *inv, const struct pkt *p, const struct pkt_ix *x)
{
	uint8_t *budget = NULL;
	if (ip_sender(inv, p, x, 0))
		budget = &src_ip(inv, p, x)->local_idn;
	else if (p->has_l2 && usable_mac(&p->src_mac))
		budget = &inv->macs[x->smi].l2_idn;
	if (!budget || *budget >= 16)
		return;
	(*budget)++;
	unsigned t = p->kind == PKT_L2 ? IDENT_L2 : p->proto == 6 ? IDENT_TCP : IDENT_UDP;
	identify(inv, p, x, t, -1, 0, ID_NONE);
}

/* Whether a packet endpoint's MAC m is usable, and if so its entry in
 * *idx: the flow cache's when the side's cached MAC is this one (the
 * cache holds usable MACs only, so the usable_mac() test is known
 * already), else a lookup (which may create the entry). *cached tells
 * which. */
static int side_mac(struct inventory *inv, const struct flow_ent *cf, int side, const ss_mac *m,
                    size_t *idx, int *cached)
{
	*cached = cf && cf->c_macok[side] && memcmp(&cf->c_macv[side], m, sizeof(*m)) == 0;
	if (*cached) {
		*idx = cf->c_mac[side];
		return 1;
	}
	if (!usable_mac(m))
		return 0;
	inv_mac(inv, m, idx);
	return 1;
}

void inv_add(struct inventory *inv, const struct pkt *p)
{
	struct pkt_ix x = {0};
	x.has_ip = p->kind == PKT_IP;

	/* Flow first: a packet of a known flow finds the entries of its
	 * endpoints in the flow's cache instead of four hash lookups (the
	 * flow is looked up anyway; locating changes no entry, and no
	 * flow is created before inv_flow_add below). Entries are interned
	 * in the same order as without the cache (source MAC, destination
	 * MAC, source address, destination address), and a cached address
	 * or MAC exists already, so every index comes out the same. */
	struct flow_loc loc = {0};
	struct flow_ent *cf = NULL;
	int ss = 0, ds = 1; /* the flow sides of the packet's source and destination */
	if (x.has_ip) {
		inv_flow_locate(inv, p, &loc);
		if (loc.forms && loc.fi >= 0 && inv->flows[loc.fi].c_gen == inv->gen)
			cf = &inv->flows[loc.fi];
		ss = loc.forms && loc.reverse;
		ds = !ss;
	}
	int peer_s = 0, peer_d = 0; /* note_peer already done for this MAC and address */
	if (p->has_l2) {
		x.l2s = side_mac(inv, cf, ss, &p->src_mac, &x.smi, &peer_s);
		x.l2d = side_mac(inv, cf, ds, &p->dst_mac, &x.dmi, &peer_d);
	}
	if (x.has_ip) {
		if (cf) {
			x.si = cf->c_ip[ss];
			x.di = cf->c_ip[ds];
		} else {
			inv_ip(inv, &p->src, &x.si);
			inv_ip(inv, &p->dst, &x.di);
		}
	}
	size_t smi = x.smi, dmi = x.dmi, si = x.si, di = x.di;
	int l2s = x.l2s, l2d = x.l2d;

	if (l2s) {
		struct mac_ent *sm = &inv->macs[smi];
		touch(sm, p->ts);
		sm->seen_src = 1;
		sm->ev |= EV_L2;
		sm->packets++;
		sm->bytes += p->wirelen;
		if (p->vlan >= 0)
			sm->vlan = p->vlan;
	}
	if (l2d) {
		/* Reported for a host only once it has been seen sending. */
		inv->macs[dmi].packets++;
		inv->macs[dmi].bytes += p->wirelen;
	}

	if (p->kind == PKT_ARP) {
		on_arp(inv, p);
		return;
	}
	if (p->kind == PKT_L2) {
		if (l2s && p->l2_len)
			identify_local(inv, p, &x);
		return;
	}
	if (p->kind != PKT_IP)
		return;

	struct ip_ent *s = &inv->ips[si], *d = &inv->ips[di];
	if (p->ttl > s->ttl_max)
		s->ttl_max = p->ttl;
	if (!s->seen_src || p->ts < s->first)
		s->first = p->ts;
	if (!s->seen_src || p->ts > s->last)
		s->last = p->ts;
	s->seen_src = 1;
	s->packets++;
	s->bytes += p->wirelen;
	if (di != si) {
		d->packets++;
		d->bytes += p->wirelen;
	}

	if (l2s) {
		if (s->bindable) {
			int found = 0;
			for (size_t i = 0; i < s->n_src; i++)
				if (s->src[i].mac == smi) {
					s->src[i].count++;
					if (p->ttl > s->src[i].ttl_max)
						s->src[i].ttl_max = p->ttl;
					found = 1;
				}
			if (!found && s->n_src < MAX_SRC_MACS) {
				s->src[s->n_src].mac = (uint32_t)smi;
				s->src[s->n_src].count = 1;
				s->src[s->n_src].ttl_max = p->ttl;
				s->n_src++;
			}
		}
		if (!peer_s)
			note_peer(&inv->macs[smi], &p->src);
	}
	if (l2d && !peer_d)
		note_peer(&inv->macs[dmi], &p->dst);

	if (p->proto == 58 && p->ndp.type)
		on_ndp(inv, p);
	if (p->proto == 17 && p->has_l4 && (p->sport == 67 || p->sport == 68) &&
	    (p->dport == 67 || p->dport == 68))
		on_dhcp(inv, p);

	/* One-to-many traffic is identified here; unicast in its flow
	 * (locating told which). */
	if (loc.local && p->has_l4 && p->payload_len && (p->proto == 17 || p->proto == 6))
		identify_local(inv, p, &x);

	struct flow_add fa;
	inv_flow_add(inv, p, &loc, &x, &fa);
	if (fa.fi < 0)
		return;
	long fi = fa.fi;
	if (p->proto == 6 && p->has_l4 && (p->tcp_flags & TCPF_SYN))
		syn_fingerprint(inv, p, &x); /* the SYN's options hint at the OS */
	flow_identify(inv, p, &x, &fa);
	/* Fill the flow's cache for its next packets. A side's MAC is only
	 * remembered when usable (l2s/l2d): its note_peer() has then run. */
	struct flow_ent *f = &inv->flows[fi];
	if (f->c_gen != inv->gen) {
		f->c_gen = inv->gen;
		f->c_macok[0] = f->c_macok[1] = 0;
	}
	f->c_ip[ss] = (uint32_t)si;
	f->c_ip[ds] = (uint32_t)di;
	if (l2s) {
		f->c_macok[ss] = 1;
		f->c_macv[ss] = p->src_mac;
		f->c_mac[ss] = (uint32_t)smi;
	}
	if (l2d) {
		f->c_macok[ds] = 1;
		f->c_macv[ds] = p->dst_mac;
		f->c_mac[ds] = (uint32_t)dmi;
	}
}
