/*
 * tests/helper_pipe.c - the whole packet path for tests (see helper_pipe.h).
 */
#include "tests/helper_pipe.h"

#include <check.h>

struct tp_pipe tp;

void tp_setup(void)
{
	tp.inv = inv_new(NULL);
	tp.res = res_new("audit");
	tp.clock_us = 1700000000000000LL;
}

void tp_teardown(void)
{
	inv_free(tp.inv);
	res_free(tp.res);
	tp.inv = NULL;
	tp.res = NULL;
}

void tp_feed(const pg_frame *f)
{
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f->b, f->len, f->len, &p), DEC_OK);
	p.ts = tp.clock_us;
	tp.clock_us += 1000;
	inv_add(tp.inv, &p);
}

static size_t ipv4_frame(pg_frame *f, const char *smac, const char *dmac, const char *sip,
                         const char *dip, uint8_t proto, uint8_t ttl)
{
	uint8_t s[6], d[6];
	pg_mac(smac, s);
	pg_mac(dmac, d);
	pg_frame_init(f);
	pg_eth(f, d, s, PG_ETH_IPV4);
	return pg_ipv4_begin(
	    f, &(pg_ipv4){.src = pg_ip4(sip), .dst = pg_ip4(dip), .proto = proto, .ttl = ttl});
}

void tp_tcp4(const char *smac, const char *dmac, const char *sip, const char *dip, uint16_t sport,
             uint16_t dport, uint8_t flags, uint8_t ttl, const void *data, size_t n)
{
	pg_frame f;
	size_t ip = ipv4_frame(&f, smac, dmac, sip, dip, PG_IP_TCP, ttl);
	pg_tcp(
	    &f, ip,
	    &(pg_tcp_opt){
	        .sport = sport, .dport = dport, .flags = flags, .payload = data, .payload_len = n});
	pg_ipv4_end(&f, ip);
	tp_feed(&f);
}

void tp_udp4(const char *smac, const char *dmac, const char *sip, const char *dip, uint16_t sport,
             uint16_t dport, const void *data, size_t n)
{
	pg_frame f;
	size_t ip = ipv4_frame(&f, smac, dmac, sip, dip, PG_IP_UDP, 0);
	pg_udp(&f, ip, sport, dport, data, n);
	pg_ipv4_end(&f, ip);
	tp_feed(&f);
}

const struct res_host *tp_host_by_mac(const char *m)
{
	ss_mac want;
	ck_assert_int_eq(ss_mac_parse(m, &want), 0);
	for (size_t i = 0; i < tp.res->n_hosts; i++)
		if (tp.res->hosts[i].has_mac && ss_mac_cmp(&tp.res->hosts[i].mac, &want) == 0)
			return &tp.res->hosts[i];
	return NULL;
}

const struct res_host *tp_host_by_ip(const char *a)
{
	ss_ip want;
	ck_assert_int_eq(ss_ip_parse(a, &want), 0);
	for (size_t i = 0; i < tp.res->n_hosts; i++)
		for (size_t k = 0; k < tp.res->hosts[i].n_ips; k++)
			if (ss_ip_eq(&tp.res->hosts[i].ips[k], &want))
				return &tp.res->hosts[i];
	return NULL;
}
