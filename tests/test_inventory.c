/*
 * tests/test_inventory.c - binding rules, router recognition, flow
 * direction and services, fed with frames built by helper_pcapgen.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/inventory-internal.h"
#include "scanner/inventory.h"
#include "tests/helper_pcapgen.h"
#include "tests/helper_pipe.h"

static void mac(const char *s, uint8_t out[6])
{
	pg_mac(s, out);
}

/* TCP without payload, with an explicit TTL (routers lower it). */
static void tcp4(const char *smac, const char *dmac, const char *sip, const char *dip,
                 uint16_t sport, uint16_t dport, uint8_t flags, uint8_t ttl)
{
	tp_tcp4(smac, dmac, sip, dip, sport, dport, flags, ttl, NULL, 0);
}

static void arp(const char *smac, const char *sip, const char *tip)
{
	uint8_t m[6], bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	mac(smac, m);
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, bc, m, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REQUEST, m, pg_ip4(sip), NULL, pg_ip4(tip));
	tp_feed(&f);
}

static int has_ip(const struct res_host *h, const char *a)
{
	ss_ip want;
	ss_ip_parse(a, &want);
	for (size_t k = 0; k < h->n_ips; k++)
		if (ss_ip_eq(&h->ips[k], &want))
			return 1;
	return 0;
}

static const struct res_flow *flow(const char *src, const char *dst, uint16_t dport)
{
	ss_ip s, d;
	ss_ip_parse(src, &s);
	ss_ip_parse(dst, &d);
	for (size_t i = 0; i < tp.res->n_flows; i++)
		if (ss_ip_eq(&tp.res->flows[i].src, &s) && ss_ip_eq(&tp.res->flows[i].dst, &d) &&
		    tp.res->flows[i].dport == dport)
			return &tp.res->flows[i];
	return NULL;
}

#define PC  "00:1b:21:00:00:01"
#define PLC "00:1b:1b:00:00:02"
#define RTR "00:00:0c:07:ac:01"

START_TEST(arp_sender_pair_binds_ip_to_mac)
{
	arp(PC, "10.0.0.5", "10.0.0.1");
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(tp.res->n_hosts, 1);
	const struct res_host *h = tp_host_by_mac(PC);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->n_ips, 1);
	ck_assert(has_ip(h, "10.0.0.5"));
	ck_assert(res_strv_has(&h->evidence, "arp"));
	/* The target of a request is not evidence of anything. */
	ck_assert_ptr_null(tp_host_by_ip("10.0.0.1"));
}
END_TEST

START_TEST(arp_probe_with_zero_sender_binds_nothing)
{
	arp(PC, "0.0.0.0", "10.0.0.5");
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *h = tp_host_by_mac(PC);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->n_ips, 0);
}
END_TEST

START_TEST(router_mac_with_many_sources_gives_ip_keyed_hosts)
{
	arp(RTR, "10.0.0.1", "10.0.0.5");
	arp(PLC, "10.0.0.5", "10.0.0.1");
	char src[32];
	for (int i = 1; i <= 20; i++) {
		snprintf(src, sizeof(src), "192.168.77.%d", i);
		tcp4(RTR, PLC, src, "10.0.0.5", 40000, 502, PG_SYN, 63);
		snprintf(src, sizeof(src), "8.8.%d.1", i);
		tcp4(RTR, PLC, src, "10.0.0.5", 40000, 502, PG_SYN, 50);
	}
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *r = tp_host_by_mac(RTR);
	ck_assert_ptr_nonnull(r);
	ck_assert(r->router);
	ck_assert_str_eq(r->device_class, "router");
	ck_assert_uint_eq(r->n_ips, 1); /* only its own ARP-bound address */
	ck_assert(has_ip(r, "10.0.0.1"));
	/* Private routed sources: hosts keyed by IP, mac null. */
	const struct res_host *h = tp_host_by_ip("192.168.77.7");
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->has_mac, 0);
	ck_assert(res_strv_has(&h->evidence, "routed"));
	/* Public routed sources: flows only. */
	ck_assert_ptr_null(tp_host_by_ip("8.8.3.1"));
	ck_assert_ptr_nonnull(flow("8.8.3.1", "10.0.0.5", 502));
	/* 1 router + 1 PLC + 20 routed private hosts, no phantoms. */
	ck_assert_uint_eq(tp.res->n_hosts, 22);
}
END_TEST

START_TEST(non_router_mac_sourcing_its_address_is_weakly_bound)
{
	/* No ARP in the capture: the address a non-router MAC sends from is
	 * bound with evidence "ip", so the device appears once, addressed. */
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_SYN, 64);
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 40000, PG_SYN | PG_ACK, 64);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(tp.res->n_hosts, 2);
	const struct res_host *h = tp_host_by_mac(PC);
	ck_assert(has_ip(h, "10.0.0.9"));
	ck_assert(res_strv_has(&h->evidence, "ip"));
	ck_assert(!res_strv_has(&h->evidence, "arp"));
}
END_TEST

START_TEST(inline_forwarder_with_lower_ttl_is_a_router)
{
	/* No ARP; the PC and the PLC talk through an inline L3 device that
	 * re-sends each packet with the TTL one lower (as in the shared
	 * MELSEC capture). Only two addresses, yet it is forwarding. */
	for (int i = 0; i < 3; i++) {
		tcp4(PC, RTR, "10.0.0.9", "10.0.0.5", 40000, 5007, PG_ACK, 64);
		tcp4(RTR, PLC, "10.0.0.9", "10.0.0.5", 40000, 5007, PG_ACK, 63);
		tcp4(PLC, RTR, "10.0.0.5", "10.0.0.9", 5007, 40000, PG_ACK, 64);
		tcp4(RTR, PC, "10.0.0.5", "10.0.0.9", 5007, 40000, PG_ACK, 63);
	}
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(tp.res->n_hosts, 3);
	const struct res_host *r = tp_host_by_mac(RTR);
	ck_assert(r->router);
	ck_assert_uint_eq(r->n_ips, 0);
	ck_assert(has_ip(tp_host_by_mac(PC), "10.0.0.9"));
	ck_assert(has_ip(tp_host_by_mac(PLC), "10.0.0.5"));
}
END_TEST

START_TEST(strong_binding_beats_a_weak_source)
{
	/* 10.0.0.5 is ARP-bound to the PLC; a frame from the PC with that
	 * source address does not move it. */
	arp(PLC, "10.0.0.5", "10.0.0.1");
	tcp4(PC, PLC, "10.0.0.5", "10.0.0.9", 1234, 80, PG_SYN, 64);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert(has_ip(tp_host_by_mac(PLC), "10.0.0.5"));
	ck_assert(!has_ip(tp_host_by_mac(PC), "10.0.0.5"));
}
END_TEST

START_TEST(syn_names_the_opener_and_synack_the_service)
{
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_SYN, 64);
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 40000, PG_SYN | PG_ACK, 64);
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64);
	/* A SYN to a closed port answered by RST is no service. */
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40001, 23, PG_SYN, 64);
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 23, 40001, PG_RST | PG_ACK, 64);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_flow *f = flow("10.0.0.9", "10.0.0.5", 502);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->packets, 3);
	ck_assert_ptr_nonnull(flow("10.0.0.9", "10.0.0.5", 23));
	ck_assert_uint_eq(tp.res->n_flows, 2);
	const struct res_host *plc = tp_host_by_mac(PLC);
	ck_assert_uint_eq(plc->n_services, 1);
	ck_assert_uint_eq(plc->services[0].proto, 6);
	ck_assert_uint_eq(plc->services[0].port, 502);
}
END_TEST

START_TEST(without_syn_the_well_known_port_is_the_server)
{
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 51234, PG_ACK | PG_PSH, 64);
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 51234, 502, PG_ACK, 64);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(tp.res->n_flows, 1);
	const struct res_flow *f = flow("10.0.0.9", "10.0.0.5", 502);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->packets, 2);
}
END_TEST

START_TEST(udp_first_packet_opens_and_reply_proves_service)
{
	tp_udp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40001, 161, "q", 1);
	tp_udp4(PLC, PC, "10.0.0.5", "10.0.0.9", 161, 40001, "r", 1);
	/* Both ports high and unknown: the first sender opened it. */
	tp_udp4(PLC, PC, "10.0.0.5", "10.0.0.9", 30000, 31000, "a", 1);
	tp_udp4(PC, PLC, "10.0.0.9", "10.0.0.5", 31000, 30000, "b", 1);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_ptr_nonnull(flow("10.0.0.9", "10.0.0.5", 161));
	ck_assert_ptr_nonnull(flow("10.0.0.5", "10.0.0.9", 31000));
	ck_assert_uint_eq(tp.res->n_flows, 2);
	const struct res_host *plc = tp_host_by_mac(PLC);
	int found = 0;
	for (size_t i = 0; i < plc->n_services; i++)
		found |= plc->services[i].proto == 17 && plc->services[i].port == 161;
	ck_assert(found);
}
END_TEST

START_TEST(broadcast_traffic_is_not_a_flow)
{
	uint8_t s[6], bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	mac(PC, s);
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, bc, s, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(
	    &f,
	    &(pg_ipv4){.src = pg_ip4("10.0.0.9"), .dst = pg_ip4("10.0.0.255"), .proto = PG_IP_UDP});
	pg_udp(&f, ip, 137, 137, "n", 1);
	pg_ipv4_end(&f, ip);
	tp_feed(&f);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(tp.res->n_flows, 0);
	ck_assert_uint_eq(tp.res->n_hosts, 1);
}
END_TEST

static void dhcp_frame(const char *smac, const char *dmac, const char *sip, const char *dip,
                       uint16_t sport, uint16_t dport, const pg_dhcp *d)
{
	uint8_t buf[600];
	size_t n = pg_dhcp_build(buf, sizeof(buf), d);
	ck_assert_uint_gt(n, 0);
	tp_udp4(smac, dmac, sip, dip, sport, dport, buf, n);
}

START_TEST(dhcp_ack_binds_the_lease_and_marks_the_server)
{
	pg_dhcp disc = {.msg_type = PG_DHCPDISCOVER, .xid = 7, .hostname = "Pixel-7a"};
	mac("da:a1:19:12:34:56", disc.chaddr);
	dhcp_frame("da:a1:19:12:34:56", "ff:ff:ff:ff:ff:ff", "0.0.0.0", "255.255.255.255", 68, 67,
	           &disc);
	pg_dhcp ack = {.msg_type = PG_DHCPACK,
	               .xid = 7,
	               .yiaddr = pg_ip4("10.10.0.123"),
	               .server_id = pg_ip4("10.10.0.2")};
	mac("da:a1:19:12:34:56", ack.chaddr);
	dhcp_frame("00:1b:21:0e:00:02", "da:a1:19:12:34:56", "10.10.0.2", "10.10.0.123", 67, 68,
	           &ack);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *c = tp_host_by_mac("da:a1:19:12:34:56");
	ck_assert_ptr_nonnull(c);
	ck_assert(has_ip(c, "10.10.0.123"));
	ck_assert(res_strv_has(&c->evidence, "dhcp"));
	ck_assert_int_eq(c->mac_local, 1);
	ck_assert_str_eq(c->hostname, "Pixel-7a");
	ck_assert(res_strv_has(&c->protocols, "dhcp"));
	const struct res_host *s = tp_host_by_mac("00:1b:21:0e:00:02");
	ck_assert_uint_eq(s->n_services, 1);
	ck_assert_uint_eq(s->services[0].port, 67);
}
END_TEST

START_TEST(relayed_dhcp_ack_does_not_invent_a_local_host)
{
	pg_dhcp ack = {.msg_type = PG_DHCPACK,
	               .xid = 9,
	               .yiaddr = pg_ip4("10.30.4.4"),
	               .giaddr = pg_ip4("10.30.1.1")};
	mac("5a:4f:34:b1:af:66", ack.chaddr);
	dhcp_frame("00:1b:21:0e:00:02", RTR, "10.40.2.3", "10.30.1.1", 67, 67, &ack);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_ptr_null(tp_host_by_mac("5a:4f:34:b1:af:66"));
	ck_assert_ptr_null(tp_host_by_ip("10.30.4.4"));
}
END_TEST

START_TEST(relay_agent_delivering_an_offer_is_not_a_dhcp_server)
{
	/* The router relays the real server's OFFER onto the client VLAN from
	 * its own address (= giaddr): it must not look like a DHCP server. */
	pg_dhcp offer = {.msg_type = PG_DHCPOFFER,
	                 .xid = 5,
	                 .yiaddr = pg_ip4("10.10.1.40"),
	                 .giaddr = pg_ip4("10.10.0.1"),
	                 .server_id = pg_ip4("10.20.0.2")};
	mac("d4:be:d9:0a:01:40", offer.chaddr);
	arp(RTR, "10.10.0.1", "10.10.1.40");
	dhcp_frame(RTR, "ff:ff:ff:ff:ff:ff", "10.10.0.1", "255.255.255.255", 67, 68, &offer);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *r = tp_host_by_mac(RTR);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n_services, 0);
}
END_TEST

START_TEST(first_and_last_seen_and_counters)
{
	arp(PC, "10.0.0.9", "10.0.0.5");                               /* t0 */
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_SYN, 64); /* t0+1ms */
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64); /* t0+2ms */
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *h = tp_host_by_mac(PC);
	ck_assert_int_eq(h->first_seen, 1700000000000000LL);
	ck_assert_int_eq(h->last_seen, 1700000000002000LL);
	ck_assert_uint_eq(h->packets, 3);
	ck_assert_uint_eq(h->bytes, 42 + 54 + 54);
}
END_TEST

/* Counters of a MAC's and an address's table entries, looked up afresh
 * (not through any flow cache). */
static uint64_t mac_packets(const char *m)
{
	ss_mac k;
	ck_assert_int_eq(ss_mac_parse(m, &k), 0);
	long i = ss_htab_find(tp.inv->mac_idx, &k);
	return i < 0 ? 0 : tp.inv->macs[i].packets;
}

static const struct ip_ent *ip_entry(const char *a)
{
	ss_ip ip;
	ck_assert_int_eq(ss_ip_parse(a, &ip), 0);
	uint8_t key[17];
	key[0] = ip.family;
	memcpy(key + 1, ip.b, 16);
	long i = ss_htab_find(tp.inv->ip_idx, key);
	return i < 0 ? NULL : &tp.inv->ips[i];
}

/* The weak-binding count of address a as sent from MAC m (0: none). */
static uint32_t src_count(const char *a, const char *m)
{
	const struct ip_ent *e = ip_entry(a);
	ss_mac k;
	ck_assert_int_eq(ss_mac_parse(m, &k), 0);
	long mi = ss_htab_find(tp.inv->mac_idx, &k);
	for (size_t i = 0; e && mi >= 0 && i < e->n_src; i++)
		if (e->src[i].mac == (uint32_t)mi)
			return e->src[i].count;
	return 0;
}

#define PC2 "00:1b:21:00:00:03"

/* inv_add takes a known flow's MAC and address entries from the flow's
 * cache: a MAC that changes mid-flow must be looked up, not credited to
 * the cached one. */
START_TEST(flow_whose_mac_changes_credits_the_new_mac)
{
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_SYN, 64);
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 40000, PG_SYN | PG_ACK, 64);
	for (int i = 0; i < 3; i++)
		tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64);
	ck_assert_uint_eq(mac_packets(PC), 5);
	ck_assert_uint_eq(mac_packets(PLC), 5);
	/* The opener's NIC changes (same address), in both directions. */
	tcp4(PC2, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 60);
	tcp4(PC2, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 60);
	tcp4(PLC, PC2, "10.0.0.5", "10.0.0.9", 502, 40000, PG_ACK, 64);
	ck_assert_uint_eq(mac_packets(PC), 5);
	ck_assert_uint_eq(mac_packets(PC2), 3);
	ck_assert_uint_eq(mac_packets(PLC), 8);
	ck_assert_uint_eq(src_count("10.0.0.9", PC), 4);
	ck_assert_uint_eq(src_count("10.0.0.9", PC2), 2);
	ck_assert_uint_eq(src_count("10.0.0.5", PLC), 2);
	/* And back to the first one. */
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64);
	ck_assert_uint_eq(mac_packets(PC), 6);
	ck_assert_uint_eq(mac_packets(PC2), 3);
	ck_assert_uint_eq(src_count("10.0.0.9", PC), 5);
	ck_assert_uint_eq(ip_entry("10.0.0.9")->packets, 9); /* sent 7, received 2 */
	ck_assert_uint_eq(ip_entry("10.0.0.5")->packets, 9);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_flow *fl = flow("10.0.0.9", "10.0.0.5", 502);
	ck_assert_ptr_nonnull(fl);
	ck_assert_uint_eq(fl->packets, 9);
}
END_TEST

/* Eviction renumbers the MAC and address tables: a flow that survives it
 * must not credit its next packets through indices cached before. */
START_TEST(flow_after_eviction_credits_the_moved_entries)
{
	char m[32], a[32];
	for (int i = 0; i < 20; i++) { /* old, idle devices first */
		snprintf(m, sizeof(m), "00:1b:21:00:01:%02x", i);
		snprintf(a, sizeof(a), "10.0.1.%d", i + 1);
		arp(m, a, "10.0.0.1");
	}
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_SYN, 64);
	tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 40000, PG_SYN | PG_ACK, 64);
	tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64);
	ck_assert_int_eq(inv_evict(tp.inv, 4, 0, NULL), 1);
	ck_assert_uint_eq(inv_mac_count(tp.inv), 3);
	ck_assert_uint_eq(inv_ip_count(tp.inv), 3);
	for (int i = 0; i < 4; i++) {
		tcp4(PC, PLC, "10.0.0.9", "10.0.0.5", 40000, 502, PG_ACK, 64);
		tcp4(PLC, PC, "10.0.0.5", "10.0.0.9", 502, 40000, PG_ACK, 64);
	}
	ck_assert_uint_eq(inv_mac_count(tp.inv), 3); /* nothing recreated */
	ck_assert_uint_eq(inv_ip_count(tp.inv), 3);
	ck_assert_uint_eq(mac_packets(PC), 3 + 8);
	ck_assert_uint_eq(mac_packets(PLC), 3 + 8);
	ck_assert_uint_eq(ip_entry("10.0.0.9")->packets, 3 + 8);
	ck_assert_uint_eq(src_count("10.0.0.9", PC), 2 + 4);
	ck_assert_uint_eq(src_count("10.0.0.5", PLC), 1 + 4);
	/* The evicted devices got nothing. */
	ck_assert_uint_eq(mac_packets("00:1b:21:00:01:00"), 0);
	inv_export(tp.inv, NULL, tp.res);
	ck_assert_uint_eq(flow("10.0.0.9", "10.0.0.5", 502)->packets, 11);
}
END_TEST

START_TEST(unregistered_eol_host_leaving_its_zone_is_eol_exposure)
{
	static const char yaml[] = "version: 1\n"
	                           "zones:\n"
	                           "  office: {kind: office, networks: [10.10.0.0/16]}\n"
	                           "  plant: {kind: plant, networks: [192.168.50.0/24]}\n"
	                           "default: deny\n"
	                           "assets:\n"
	                           "  - {name: plc, ip: 192.168.50.20, zone: plant}\n";
	struct pol_error e;
	struct policy *pol = pol_load_buffer("t.yaml", yaml, sizeof(yaml) - 1, &e);
	ck_assert_msg(pol != NULL, "%d:%d %s", e.line, e.col, e.msg);
	inv_free(tp.inv);
	tp.inv = inv_new(pol);
	/* An unregistered PC whose browser says Windows XP talks to the PLC. */
	static const char http[] = "GET / HTTP/1.1\r\nHost: plc\r\n"
	                           "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"
	                           "\r\n\r\n";
	uint8_t s6[6], d6[6];
	mac(PC, s6);
	mac(PLC, d6);
	arp(PC, "10.10.1.12", "10.10.0.1");
	arp(PLC, "192.168.50.20", "192.168.50.1");
	tcp4(PC, PLC, "10.10.1.12", "192.168.50.20", 40000, 80, PG_SYN, 128);
	tcp4(PLC, PC, "192.168.50.20", "10.10.1.12", 80, 40000, PG_SYN | PG_ACK, 64);
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, d6, s6, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = pg_ip4("10.10.1.12"),
	                                         .dst = pg_ip4("192.168.50.20"),
	                                         .proto = PG_IP_TCP,
	                                         .ttl = 128});
	pg_tcp(&f, ip,
	       &(pg_tcp_opt){.sport = 40000,
	                     .dport = 80,
	                     .flags = PG_ACK | PG_PSH,
	                     .payload = http,
	                     .payload_len = sizeof(http) - 1});
	pg_ipv4_end(&f, ip);
	tp_feed(&f);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *h = tp_host_by_mac(PC);
	ck_assert_uint_ge(h->eol_hints.n, 1);
	int eol = 0, unallowed = 0;
	for (size_t i = 0; i < tp.res->n_violations; i++) {
		const struct res_violation *v = &tp.res->violations[i];
		if (!strcmp(v->type, "eol_exposure")) {
			eol++;
			ck_assert_ptr_null(v->rule);
			ck_assert_int_eq(v->has_mac, 1);
			ck_assert_ptr_nonnull(strstr(v->message, "Unregistered device 10.10.1.12"));
			ck_assert_ptr_nonnull(strstr(v->message, "Windows XP"));
			ck_assert_ptr_nonnull(strstr(v->message, "(zone plant)"));
		}
		unallowed += !strcmp(v->type, "unallowed_flow");
	}
	ck_assert_int_eq(eol, 1);
	ck_assert_int_eq(unallowed, 1);
	inv_free(tp.inv);
	tp.inv = NULL;
	pol_free(pol);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *c = tcase_create("binding");
	tcase_add_checked_fixture(c, tp_setup, tp_teardown);
	tcase_add_test(c, arp_sender_pair_binds_ip_to_mac);
	tcase_add_test(c, arp_probe_with_zero_sender_binds_nothing);
	tcase_add_test(c, router_mac_with_many_sources_gives_ip_keyed_hosts);
	tcase_add_test(c, non_router_mac_sourcing_its_address_is_weakly_bound);
	tcase_add_test(c, strong_binding_beats_a_weak_source);
	tcase_add_test(c, inline_forwarder_with_lower_ttl_is_a_router);
	tcase_add_test(c, dhcp_ack_binds_the_lease_and_marks_the_server);
	tcase_add_test(c, relayed_dhcp_ack_does_not_invent_a_local_host);
	tcase_add_test(c, first_and_last_seen_and_counters);
	tcase_add_test(c, relay_agent_delivering_an_offer_is_not_a_dhcp_server);
	suite_add_tcase(s, c);
	c = tcase_create("flows");
	tcase_add_checked_fixture(c, tp_setup, tp_teardown);
	tcase_add_test(c, syn_names_the_opener_and_synack_the_service);
	tcase_add_test(c, without_syn_the_well_known_port_is_the_server);
	tcase_add_test(c, udp_first_packet_opens_and_reply_proves_service);
	tcase_add_test(c, broadcast_traffic_is_not_a_flow);
	tcase_add_test(c, unregistered_eol_host_leaving_its_zone_is_eol_exposure);
	tcase_add_test(c, flow_whose_mac_changes_credits_the_new_mac);
	tcase_add_test(c, flow_after_eviction_credits_the_moved_entries);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
