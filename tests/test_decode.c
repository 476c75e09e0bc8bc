/*
 * tests/test_decode.c - the checked cursor and the decoder, layer by layer,
 * on frames built byte by byte by helper_pcapgen.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/decode.h"
#include "tests/helper_pcapgen.h"

static uint8_t MAC_A[6] = {0x00, 0x1b, 0x21, 0x00, 0x00, 0x0a};
static uint8_t MAC_B[6] = {0x00, 0x1b, 0x21, 0x00, 0x00, 0x0b};

static void ipstr(const ss_ip *ip, char *out)
{
	ss_ip_format(ip, out);
}

/* ---- cursor ---- */

START_TEST(cursor_reads_big_endian_and_sets_sticky_truncation)
{
	const uint8_t b[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
	struct cur c = cur_make(b, sizeof(b));
	ck_assert_uint_eq(cur_be16(&c), 0x1234);
	ck_assert_uint_eq(cur_u8(&c), 0x56);
	ck_assert_int_eq(c.truncated, 0);
	/* Two bytes left: a 4-byte read fails, consumes nothing, returns 0. */
	ck_assert_uint_eq(cur_be32(&c), 0);
	ck_assert_int_eq(c.truncated, 1);
	ck_assert_uint_eq(cur_left(&c), 2);
	/* Sticky: later successful reads do not clear it. */
	ck_assert_uint_eq(cur_be16(&c), 0x789a);
	ck_assert_int_eq(c.truncated, 1);
}
END_TEST

START_TEST(cursor_high_bit_bytes_do_not_overflow)
{
	const uint8_t b[] = {0xff, 0xff, 0xff, 0xfe};
	struct cur c = cur_make(b, sizeof(b));
	ck_assert_uint_eq(cur_be32(&c), 0xfffffffeu);
	c = cur_make(b, sizeof(b));
	ck_assert_uint_eq(cur_le32(&c), 0xfeffffffu);
}
END_TEST

START_TEST(cursor_limit_and_sub_never_grow_the_window)
{
	const uint8_t b[10] = {0};
	struct cur c = cur_make(b, sizeof(b));
	ck_assert_int_eq(cur_limit(&c, 20), 0); /* cannot grow */
	ck_assert_uint_eq(cur_left(&c), 10);
	ck_assert_int_eq(cur_limit(&c, 6), 1);
	ck_assert_uint_eq(cur_left(&c), 6);
	struct cur s = cur_sub(&c, 4);
	ck_assert_uint_eq(cur_left(&s), 4);
	ck_assert_uint_eq(cur_left(&c), 2);
	struct cur bad = cur_sub(&c, 3);
	ck_assert_int_eq(bad.truncated, 1);
	ck_assert_uint_eq(cur_left(&bad), 0);
	ck_assert_int_eq(cur_peek(&c, 1), 0);
	ck_assert_int_eq(cur_peek(&c, 2), -1);
}
END_TEST

/* ---- link layers and ARP ---- */

START_TEST(vlan_tagged_arp_reply_cut_at_42_bytes_is_truncated)
{
	/* arp-scan's underflow: a tagged ARP reply captured at 42 bytes is 4
	 * bytes short of its ARP body; it must be reported as truncated. */
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_VLAN);
	pg_vlan(&f, 0, 10, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REPLY, MAC_A, pg_ip4("10.0.0.10"), MAC_B, pg_ip4("10.0.0.11"));
	ck_assert_uint_eq(f.len, 46);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, 42, 46, &p), DEC_TRUNCATED);
	/* The whole frame decodes, with the VLAN id kept. */
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.kind, PKT_ARP);
	ck_assert_int_eq(p.vlan, 10);
	ck_assert_uint_eq(p.arp.op, 2);
	char a[SS_IP_STRLEN];
	ipstr(&p.arp.spa, a);
	ck_assert_str_eq(a, "10.0.0.10");
	ck_assert_int_eq(memcmp(p.arp.sha.b, MAC_A, 6), 0);
}
END_TEST

START_TEST(qinq_keeps_inner_and_outer_vlan)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_QINQ);
	pg_vlan(&f, 0, 100, PG_ETH_VLAN);
	pg_vlan(&f, 0, 10, PG_ETH_ARP);
	pg_arp(&f, PG_ARP_REQUEST, MAC_A, pg_ip4("10.0.0.10"), NULL, pg_ip4("10.0.0.1"));
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.vlan, 10);
	ck_assert_int_eq(p.outer_vlan, 100);
}
END_TEST

START_TEST(arp_with_wrong_lengths_is_not_read_as_ethernet_arp)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_ARP);
	uint8_t sha[8] = {1, 2, 3, 4, 5, 6, 7, 8}, spa[4] = {10, 0, 0, 1};
	pg_arp_raw(&f, 1, 0x0800, 8, 4, 1, sha, spa, NULL, spa);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_UNSUPPORTED);
}
END_TEST

static size_t tcp_syn_v4(pg_frame *f, int with_options)
{
	size_t ip = pg_ipv4_begin(
	    f, &(pg_ipv4){.src = pg_ip4("10.1.1.1"),
	                  .dst = pg_ip4("10.1.1.2"),
	                  .proto = PG_IP_TCP,
	                  .ttl = 128,
	                  .options = with_options ? (const uint8_t *)"\x94\x04\x00\x00" : NULL,
	                  .options_len = with_options ? 4 : 0});
	pg_tcp(f, ip, &(pg_tcp_opt){.sport = 40000, .dport = 80, .flags = PG_SYN, .mss = 1460});
	pg_ipv4_end(f, ip);
	return ip;
}

START_TEST(sll_sll2_null_and_raw_all_reach_tcp)
{
	struct {
		int dlt;
		int has_l2;
	} cases[] = {{SS_DLT_LINUX_SLL, 1},
	             {SS_DLT_LINUX_SLL2, 1},
	             {SS_DLT_NULL, 0},
	             {SS_DLT_LINKTYPE_RAW, 0},
	             {SS_DLT_RAW, 0}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pg_frame f;
		pg_frame_init(&f);
		if (cases[i].dlt == SS_DLT_LINUX_SLL)
			pg_sll(&f, 0, MAC_A, PG_ETH_IPV4);
		else if (cases[i].dlt == SS_DLT_LINUX_SLL2)
			pg_sll2(&f, 2, 0, MAC_A, PG_ETH_IPV4);
		else if (cases[i].dlt == SS_DLT_NULL)
			pg_null(&f, 2);
		tcp_syn_v4(&f, 0);
		struct pkt p;
		ck_assert_int_eq(dec_packet(cases[i].dlt, f.b, f.len, f.len, &p), DEC_OK);
		ck_assert_int_eq(p.kind, PKT_IP);
		ck_assert_int_eq(p.has_l2, cases[i].has_l2);
		if (cases[i].has_l2)
			ck_assert_int_eq(memcmp(p.src_mac.b, MAC_A, 6), 0);
		ck_assert_uint_eq(p.proto, 6);
		ck_assert_uint_eq(p.sport, 40000);
		ck_assert_uint_eq(p.dport, 80);
		ck_assert_uint_eq(p.tcp_flags, TCPF_SYN);
		ck_assert_uint_eq(p.ttl, 128);
		ck_assert_uint_eq(p.tcp_opts_len, 4); /* the MSS option */
	}
}
END_TEST

/* ---- IPv4 ---- */

START_TEST(ipv4_options_are_skipped)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV4);
	tcp_syn_v4(&f, 1);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_uint_eq(p.sport, 40000);
	ck_assert_uint_eq(p.dport, 80);
}
END_TEST

START_TEST(ethernet_padding_is_never_payload)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(
	    &f,
	    &(pg_ipv4){.src = pg_ip4("10.1.1.1"), .dst = pg_ip4("10.1.1.2"), .proto = PG_IP_UDP});
	pg_udp(&f, ip, 5000, 6000, "hi", 2);
	pg_ipv4_end(&f, ip);
	pg_pad(&f, 60, 0xee);
	ck_assert_uint_eq(f.len, 60);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_uint_eq(p.payload_len, 2);
	ck_assert_int_eq(memcmp(p.payload, "hi", 2), 0);
}
END_TEST

START_TEST(ipv4_non_first_fragment_has_no_ports)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = pg_ip4("10.1.1.1"),
	                                         .dst = pg_ip4("10.1.1.2"),
	                                         .proto = PG_IP_UDP,
	                                         .frag_off8 = 3});
	pg_append(&f, "\x13\x88\x17\x70\x00\x10\x00\x00", 8); /* looks like UDP: must not be */
	pg_ipv4_end(&f, ip);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.fragment, 1);
	ck_assert_int_eq(p.frag_nonfirst, 1);
	ck_assert_int_eq(p.has_l4, 0);
}
END_TEST

START_TEST(ipv4_header_cut_short_is_truncated)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV4);
	tcp_syn_v4(&f, 0);
	struct pkt p;
	for (size_t cut = 14; cut < 14 + 20; cut++)
		ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, cut, f.len, &p), DEC_TRUNCATED);
	/* A TCP header cut short is truncated too. */
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, 14 + 20 + 10, f.len, &p), DEC_TRUNCATED);
}
END_TEST

START_TEST(ipv4_bad_ihl_is_malformed)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV4);
	tcp_syn_v4(&f, 0);
	f.b[14] = 0x44; /* IHL 4 words < 20 bytes */
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_MALFORMED);
}
END_TEST

/* ---- IPv6 ---- */

START_TEST(ipv6_extension_chain_reaches_udp)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV6);
	pg_ipv6 h = {.next = PG_IP_HOPOPTS};
	pg_ip6("2001:db8::1", h.src);
	pg_ip6("2001:db8::2", h.dst);
	size_t ip = pg_ipv6_begin(&f, &h);
	pg_ip6_hopopts(&f, PG_IP_ROUTING, 1);
	pg_ip6_routing(&f, PG_IP_DSTOPTS, 4);
	pg_ip6_dstopts(&f, PG_IP_UDP);
	pg_udp(&f, ip, 5353, 161, "x", 1);
	pg_ipv6_end(&f, ip);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_uint_eq(p.proto, 17);
	ck_assert_uint_eq(p.dport, 161);
	ck_assert_uint_eq(p.payload_len, 1);
	char a[SS_IP_STRLEN];
	ipstr(&p.dst, a);
	ck_assert_str_eq(a, "2001:db8::2");
}
END_TEST

START_TEST(ipv6_fragment_offset_nonzero_has_no_ports)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV6);
	pg_ipv6 h = {.next = PG_IP_FRAGMENT};
	pg_ip6("2001:db8::1", h.src);
	pg_ip6("2001:db8::2", h.dst);
	size_t ip = pg_ipv6_begin(&f, &h);
	pg_ip6_frag(&f, PG_IP_UDP, 10, 0, 77);
	pg_append(&f, "12345678", 8);
	pg_ipv6_end(&f, ip);
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.frag_nonfirst, 1);
	ck_assert_int_eq(p.has_l4, 0);
}
END_TEST

START_TEST(ndp_ns_na_ra_link_layer_options)
{
	uint8_t tgt[16];
	pg_ip6("2001:db8::20", tgt);
	struct {
		int type;
		uint8_t *lla;
	} cases[] = {{135, MAC_A}, {136, MAC_B}, {134, MAC_A}};
	for (size_t i = 0; i < 3; i++) {
		pg_frame f;
		pg_frame_init(&f);
		pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV6);
		pg_ipv6 h = {.next = PG_IP_ICMPV6, .hlim = 255};
		pg_ip6("fe80::1", h.src);
		pg_ip6("ff02::1", h.dst);
		size_t ip = pg_ipv6_begin(&f, &h);
		if (cases[i].type == 135)
			pg_icmp6_ns(&f, ip, tgt, cases[i].lla);
		else if (cases[i].type == 136)
			pg_icmp6_na(&f, ip, PG_NA_SOLICITED, tgt, cases[i].lla);
		else
			pg_icmp6_ra(&f, ip, 64, 1800, cases[i].lla, NULL, 0);
		pg_ipv6_end(&f, ip);
		struct pkt p;
		ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
		ck_assert_uint_eq(p.ndp.type, cases[i].type);
		ck_assert_int_eq(p.ndp.has_lla, 1);
		ck_assert_int_eq(memcmp(p.ndp.lla.b, cases[i].lla, 6), 0);
		if (cases[i].type != 134) {
			char a[SS_IP_STRLEN];
			ipstr(&p.ndp.target, a);
			ck_assert_str_eq(a, "2001:db8::20");
		}
	}
}
END_TEST

START_TEST(ndp_option_with_zero_length_stops_the_walk)
{
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_IPV6);
	pg_ipv6 h = {.next = PG_IP_ICMPV6, .hlim = 255};
	pg_ip6("fe80::1", h.src);
	pg_ip6("ff02::1", h.dst);
	size_t ip = pg_ipv6_begin(&f, &h);
	uint8_t tgt[16];
	pg_ip6("2001:db8::20", tgt);
	pg_icmp6_ns(&f, ip, tgt, MAC_A);
	pg_ipv6_end(&f, ip);
	f.b[f.len - 7] = 0; /* option length 0 */
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.ndp.has_lla, 0);
}
END_TEST

START_TEST(every_prefix_of_a_frame_decodes_without_overrun)
{
	/* Under ASan this proves no read past the captured length for any
	 * cut of a frame that touches every layer. */
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, MAC_B, MAC_A, PG_ETH_VLAN);
	pg_vlan(&f, 0, 5, PG_ETH_IPV6);
	pg_ipv6 h = {.next = PG_IP_HOPOPTS};
	pg_ip6("2001:db8::1", h.src);
	pg_ip6("2001:db8::2", h.dst);
	size_t ip = pg_ipv6_begin(&f, &h);
	pg_ip6_hopopts(&f, PG_IP_TCP, 0);
	pg_tcp(&f, ip,
	       &(pg_tcp_opt){.sport = 1,
	                     .dport = 2,
	                     .flags = PG_SYN,
	                     .mss = 1400,
	                     .ws = 8,
	                     .sack_perm = 1,
	                     .ts = 1});
	pg_ipv6_end(&f, ip);
	for (size_t cut = 0; cut <= f.len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, f.b, cut);
		struct pkt p;
		enum dec_status st = dec_packet(SS_DLT_EN10MB, copy, cut, f.len, &p);
		/* The frame ends with the TCP header: every cut loses a
		 * header byte somewhere. */
		if (cut < f.len)
			ck_assert_int_eq(st, DEC_TRUNCATED);
		free(copy);
	}
	struct pkt p;
	ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, f.b, f.len, f.len, &p), DEC_OK);
	ck_assert_int_eq(p.has_l4, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("decode");
	TCase *c = tcase_create("cursor");
	tcase_add_test(c, cursor_reads_big_endian_and_sets_sticky_truncation);
	tcase_add_test(c, cursor_high_bit_bytes_do_not_overflow);
	tcase_add_test(c, cursor_limit_and_sub_never_grow_the_window);
	suite_add_tcase(s, c);
	c = tcase_create("link");
	tcase_add_test(c, vlan_tagged_arp_reply_cut_at_42_bytes_is_truncated);
	tcase_add_test(c, qinq_keeps_inner_and_outer_vlan);
	tcase_add_test(c, arp_with_wrong_lengths_is_not_read_as_ethernet_arp);
	tcase_add_test(c, sll_sll2_null_and_raw_all_reach_tcp);
	suite_add_tcase(s, c);
	c = tcase_create("ip");
	tcase_add_test(c, ipv4_options_are_skipped);
	tcase_add_test(c, ethernet_padding_is_never_payload);
	tcase_add_test(c, ipv4_non_first_fragment_has_no_ports);
	tcase_add_test(c, ipv4_header_cut_short_is_truncated);
	tcase_add_test(c, ipv4_bad_ihl_is_malformed);
	tcase_add_test(c, ipv6_extension_chain_reaches_udp);
	tcase_add_test(c, ipv6_fragment_offset_nonzero_has_no_ports);
	tcase_add_test(c, ndp_ns_na_ra_link_layer_options);
	tcase_add_test(c, ndp_option_with_zero_length_stops_the_walk);
	tcase_add_test(c, every_prefix_of_a_frame_decodes_without_overrun);
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
