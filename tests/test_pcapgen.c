/*
 * tests/test_pcapgen.c - checks the packet generator the fixtures rely on.
 *
 * The fixture tests are only as good as the captures they are built from,
 * so the builders are pinned here against values that come from outside
 * this code: RFC 1071's worked example, a textbook IPv4 header, the byte
 * layout of an ARP request, the pcap and pcapng file formats.
 */
#include "tests/helper_pcapgen.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t MAC_A[6] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x05};
static const uint8_t MAC_B[6] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x33};

/* Sum of pseudo-header and segment with its checksum in place: 0xffff when
 * the checksum is right (RFC 1071 verification). */
static uint16_t verify_l4(const pg_frame *f, size_t ip, uint8_t proto, size_t l4)
{
	size_t len = f->len - l4;

	return pg_fold(pg_sum(pg_pseudo_sum(f, ip, proto, len), f->b + l4, len));
}

START_TEST(rfc1071_example)
{
	/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	ck_assert_uint_eq(pg_sum(0, d, sizeof d), 0xddf2);
	ck_assert_uint_eq(pg_cksum(d, sizeof d), 0x220d);
	/* odd length: the last byte is padded with a zero on the right */
	ck_assert_uint_eq(pg_sum(0, d, 3), 0x0001 + 0xf200);
}
END_TEST

START_TEST(ipv4_known_header)
{
	/* The usual textbook header: 45 00 00 73 00 00 40 00 40 11 b8 61
	 * c0 a8 00 01 c0 a8 00 c7 (UDP, 115 bytes, checksum 0xb861). */
	static const uint8_t want[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40,
	                                 0x00, 0x40, 0x11, 0xb8, 0x61, 0xc0, 0xa8,
	                                 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	pg_frame *f = malloc(sizeof *f);
	size_t ip;

	pg_frame_init(f);
	ip = pg_ipv4_begin(f, &(pg_ipv4){.src = pg_ip4("192.168.0.1"),
	                                 .dst = pg_ip4("192.168.0.199"),
	                                 .proto = 17,
	                                 .df = 1});
	pg_append(f, NULL, 0x73 - 20);
	pg_ipv4_end(f, ip);
	ck_assert_int_eq(f->overflow, 0);
	ck_assert_uint_eq(f->len, 0x73);
	ck_assert_mem_eq(f->b, want, 20);
	ck_assert_uint_eq(pg_cksum(f->b, 20), 0);
	free(f);
}
END_TEST

START_TEST(ipv4_options_fragment)
{
	static const uint8_t opt[3] = {0x94, 0x04, 0x00};
	pg_frame *f = malloc(sizeof *f);
	size_t ip;

	pg_frame_init(f);
	ip = pg_ipv4_begin(f, &(pg_ipv4){.src = 1,
	                                 .dst = 2,
	                                 .proto = 17,
	                                 .mf = 1,
	                                 .frag_off8 = 185,
	                                 .id = 0x1234,
	                                 .options = opt,
	                                 .options_len = sizeof opt});
	pg_append(f, "abcdefgh", 8);
	pg_ipv4_end(f, ip);
	ck_assert_uint_eq(f->b[0], 0x46); /* IHL 6: 3 option bytes padded to 4 */
	ck_assert_uint_eq(f->b[23], 0);   /* EOL padding */
	ck_assert_uint_eq(f->b[6], 0x20); /* MF, offset 185 = 0x0b9 */
	ck_assert_uint_eq(f->b[7], 0xb9);
	ck_assert_uint_eq(f->b[2] << 8 | f->b[3], 32);
	ck_assert_uint_eq(pg_cksum(f->b, 24), 0);
	free(f);
}
END_TEST

START_TEST(arp_request_42_bytes)
{
	static const uint8_t want[42] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x05, 0x08, 0x06,
	    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x00, 0x1b, 0x21, 0x0a, 0x00, 0x05,
	    10,   10,   0,    5,    0,    0,    0,    0,    0,    0,    10,   10,   0,    50};
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	pg_frame *f = malloc(sizeof *f);

	pg_frame_init(f);
	pg_eth(f, bcast, MAC_A, PG_ETH_ARP);
	pg_arp(f, PG_ARP_REQUEST, MAC_A, pg_ip4("10.10.0.5"), NULL, pg_ip4("10.10.0.50"));
	ck_assert_uint_eq(f->len, 42);
	ck_assert_mem_eq(f->b, want, 42);
	pg_pad(f, 60, 0);
	ck_assert_uint_eq(f->len, 60);
	ck_assert_uint_eq(f->b[59], 0);
	free(f);
}
END_TEST

START_TEST(arp_raw_lengths)
{
	pg_frame *f = malloc(sizeof *f);
	static const uint8_t sha[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	pg_frame_init(f);
	pg_arp_raw(f, 6, 0x0800, 8, 16, 2, sha, NULL, NULL, NULL);
	ck_assert_uint_eq(f->len, 8 + 2 * 8 + 2 * 16);
	ck_assert_uint_eq(f->b[4], 8);
	ck_assert_uint_eq(f->b[5], 16);
	ck_assert_mem_eq(f->b + 8, sha, 8);
	free(f);
}
END_TEST

START_TEST(vlan_and_qinq_tags)
{
	static const uint8_t want[22] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x33, 0x00, 0x1b,
	                                 0x21, 0x0a, 0x00, 0x05, 0x88, 0xa8, 0x00, 0x64,
	                                 0x81, 0x00, 0xa0, 0x0a, 0x08, 0x06};
	pg_frame *f = malloc(sizeof *f);

	pg_frame_init(f);
	pg_eth(f, MAC_B, MAC_A, PG_ETH_QINQ);
	pg_vlan(f, 0, 100, PG_ETH_VLAN);
	pg_vlan(f, 5, 10, PG_ETH_ARP); /* PCP 5: 0xa000 | 10 */
	ck_assert_uint_eq(f->len, 22);
	ck_assert_mem_eq(f->b, want, 22);
	free(f);
}
END_TEST

START_TEST(tcp_options_and_checksum)
{
	pg_frame *f = malloc(sizeof *f);
	size_t ip, l4;

	pg_frame_init(f);
	ip = pg_ipv4_begin(
	    f,
	    &(pg_ipv4){.src = pg_ip4("10.1.1.1"), .dst = pg_ip4("10.1.1.2"), .proto = PG_IP_TCP});
	l4 = f->len;
	pg_tcp(f, ip,
	       &(pg_tcp_opt){.sport = 40000,
	                     .dport = 80,
	                     .seq = 1,
	                     .flags = PG_SYN,
	                     .mss = 1460,
	                     .sack_perm = 1,
	                     .ts = 1,
	                     .tsval = 7,
	                     .ws = 8,
	                     .payload = "xyz",
	                     .payload_len = 3});
	pg_ipv4_end(f, ip);
	/* 20 + MSS 4 + SACK-permitted 2 + TS 10 + NOP/WS 4 = 40: offset 10 */
	ck_assert_uint_eq(f->b[l4 + 12], 0xa0);
	ck_assert_uint_eq(f->b[l4 + 13], PG_SYN);
	ck_assert_uint_eq(f->b[l4 + 20], 2);
	ck_assert_uint_eq(f->b[l4 + 22] << 8 | f->b[l4 + 23], 1460);
	ck_assert_uint_eq(f->b[l4 + 39], 7); /* window shift 7 */
	ck_assert_uint_eq(f->len, 20 + 40 + 3);
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_TCP, l4), 0);
	free(f);
}
END_TEST

START_TEST(udp_checksum_ipv4_and_ipv6)
{
	pg_frame *f = malloc(sizeof *f);
	pg_ipv6 h6;
	size_t ip, l4;

	pg_frame_init(f);
	ip = pg_ipv4_begin(
	    f,
	    &(pg_ipv4){.src = pg_ip4("10.2.0.1"), .dst = pg_ip4("10.2.0.2"), .proto = PG_IP_UDP});
	l4 = f->len;
	pg_udp(f, ip, 40010, 5001, "ping", 4);
	pg_ipv4_end(f, ip);
	ck_assert_uint_eq(f->b[l4 + 4] << 8 | f->b[l4 + 5], 12);
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_UDP, l4), 0);

	memset(&h6, 0, sizeof h6);
	pg_ip6("2001:db8:10::c", h6.src);
	pg_ip6("2001:db8:10::a", h6.dst);
	h6.next = PG_IP_HOPOPTS;
	pg_frame_init(f);
	ip = pg_ipv6_begin(f, &h6);
	pg_ip6_hopopts(f, PG_IP_ROUTING, 0);
	pg_ip6_routing(f, PG_IP_FRAGMENT, 0);
	pg_ip6_frag(f, PG_IP_DSTOPTS, 0, 0, 9);
	pg_ip6_dstopts(f, PG_IP_UDP);
	l4 = f->len;
	pg_udp(f, ip, 40001, 5001, "ext-chain", 9);
	pg_ipv6_end(f, ip);
	ck_assert_uint_eq(f->b[6], PG_IP_HOPOPTS);
	ck_assert_uint_eq(f->b[40], PG_IP_ROUTING);
	ck_assert_uint_eq(f->b[48], PG_IP_FRAGMENT);
	ck_assert_uint_eq(f->b[56], PG_IP_DSTOPTS);
	ck_assert_uint_eq(f->b[64], PG_IP_UDP);
	ck_assert_uint_eq(f->b[4] << 8 | f->b[5], 32 + 8 + 9); /* payload length */
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_UDP, l4), 0);
	free(f);
}
END_TEST

START_TEST(icmp6_ndp)
{
	pg_frame *f = malloc(sizeof *f);
	pg_ipv6 h6;
	uint8_t tgt[16];
	size_t ip, l4;

	memset(&h6, 0, sizeof h6);
	pg_ip6("2001:db8:10::a", h6.src);
	pg_ip6("ff02::1:ff00:b", h6.dst);
	h6.next = PG_IP_ICMPV6;
	h6.hlim = 255;
	pg_ip6("2001:db8:10::b", tgt);
	pg_frame_init(f);
	ip = pg_ipv6_begin(f, &h6);
	l4 = f->len;
	pg_icmp6_ns(f, ip, tgt, MAC_A);
	pg_ipv6_end(f, ip);
	ck_assert_uint_eq(f->len - l4, 32);
	ck_assert_uint_eq(f->b[l4], 135);
	ck_assert_mem_eq(f->b + l4 + 8, tgt, 16);
	ck_assert_uint_eq(f->b[l4 + 24], 1); /* source LLA option, 8 bytes */
	ck_assert_uint_eq(f->b[l4 + 25], 1);
	ck_assert_mem_eq(f->b + l4 + 26, MAC_A, 6);
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_ICMPV6, l4), 0);

	pg_frame_init(f);
	ip = pg_ipv6_begin(f, &h6);
	l4 = f->len;
	pg_icmp6_na(f, ip, PG_NA_SOLICITED | PG_NA_OVERRIDE, tgt, MAC_B);
	pg_ipv6_end(f, ip);
	ck_assert_uint_eq(f->b[l4], 136);
	ck_assert_uint_eq(f->b[l4 + 4], 0x60);
	ck_assert_uint_eq(f->b[l4 + 24], 2); /* target LLA option */
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_ICMPV6, l4), 0);

	pg_frame_init(f);
	ip = pg_ipv6_begin(f, &h6);
	l4 = f->len;
	pg_icmp6_ra(f, ip, 64, 1800, MAC_B, tgt, 64);
	pg_ipv6_end(f, ip);
	ck_assert_uint_eq(f->len - l4, 16 + 8 + 32);
	ck_assert_uint_eq(f->b[l4], 134);
	ck_assert_uint_eq(f->b[l4 + 16], 1);
	ck_assert_uint_eq(f->b[l4 + 24], 3); /* prefix information, length 4 */
	ck_assert_uint_eq(f->b[l4 + 25], 4);
	ck_assert_uint_eq(verify_l4(f, ip, PG_IP_ICMPV6, l4), 0);
	free(f);
}
END_TEST

START_TEST(dhcp_layout)
{
	uint8_t m[600];
	pg_dhcp d;
	size_t n;

	memset(&d, 0, sizeof d);
	d.msg_type = PG_DHCPACK;
	d.xid = 0x01020304;
	memcpy(d.chaddr, MAC_A, 6);
	d.yiaddr = pg_ip4("10.10.0.123");
	d.server_id = pg_ip4("10.10.0.2");
	d.hostname = "Pixel-7a";
	n = pg_dhcp_build(m, sizeof m, &d);
	ck_assert_uint_eq(n, 300);
	ck_assert_uint_eq(m[0], 2); /* BOOTREPLY */
	ck_assert_uint_eq(m[4], 1);
	ck_assert_uint_eq(m[7], 4);
	ck_assert_uint_eq(m[16], 10);
	ck_assert_uint_eq(m[19], 123);
	ck_assert_mem_eq(m + 28, MAC_A, 6);
	ck_assert_uint_eq(m[236], 99); /* magic cookie 99.130.83.99 */
	ck_assert_uint_eq(m[239], 99);
	ck_assert_uint_eq(m[240], 53);
	ck_assert_uint_eq(m[241], 1);
	ck_assert_uint_eq(m[242], PG_DHCPACK);
	ck_assert_uint_eq(m[243], 54);
	ck_assert_uint_eq(m[249], 12);
	ck_assert_uint_eq(m[250], 8);
	ck_assert_mem_eq(m + 251, "Pixel-7a", 8);
	ck_assert_uint_eq(m[259], 255);
	ck_assert_uint_eq(pg_dhcp_build(m, 100, &d), 0);
}
END_TEST

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b = malloc(1 << 16);

	ck_assert_ptr_nonnull(fp);
	*n = fread(b, 1, 1 << 16, fp);
	fclose(fp);
	return b;
}

START_TEST(pcap_writer)
{
	char path[] = "/tmp/pcapgen-test-XXXXXX";
	static const uint8_t data[4] = {0xde, 0xad, 0xbe, 0xef};
	uint8_t *b;
	size_t n;
	int fd = mkstemp(path);
	pg_pcap *w;

	ck_assert_int_ge(fd, 0);
	close(fd);
	w = pg_pcap_open(path, PG_LT_SLL2, 0, 65535);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(pg_pcap_write(w, 1709528767123456789ull, data, 2, 4), 0);
	ck_assert_int_eq(pg_pcap_close(w), 0);
	b = slurp(path, &n);
	ck_assert_uint_eq(n, 24 + 16 + 2);
	ck_assert_uint_eq(b[0], 0xd4); /* a1b2c3d4, little-endian */
	ck_assert_uint_eq(b[3], 0xa1);
	ck_assert_uint_eq(b[4], 2);
	ck_assert_uint_eq(b[6], 4);
	ck_assert_uint_eq(b[20] | b[21] << 8, 276);
	/* 1709528767 = 0x65e5573f; 123456 us = 0x01e240 */
	ck_assert_uint_eq(b[24] | b[25] << 8 | b[26] << 16 | (uint32_t)b[27] << 24, 1709528767u);
	ck_assert_uint_eq(b[28] | b[29] << 8 | b[30] << 16, 123456u);
	ck_assert_uint_eq(b[32], 2); /* caplen */
	ck_assert_uint_eq(b[36], 4); /* origlen */
	ck_assert_uint_eq(b[40], 0xde);
	free(b);

	w = pg_pcap_open(path, PG_LT_ETHERNET, 1, 65535);
	ck_assert_int_eq(pg_pcap_write(w, 1709528767123456789ull, data, 4, 4), 0);
	ck_assert_int_eq(pg_pcap_write(w, 0, data, 4, 3), -1); /* origlen < caplen */
	ck_assert_int_eq(pg_pcap_close(w), -1);
	b = slurp(path, &n);
	ck_assert_uint_eq(b[0], 0x4d); /* a1b23c4d */
	ck_assert_uint_eq(b[1], 0x3c);
	ck_assert_uint_eq(b[28] | b[29] << 8 | b[30] << 16 | (uint32_t)b[31] << 24, 123456789u);
	free(b);
	unlink(path);
}
END_TEST

START_TEST(pcapng_writer)
{
	char path[] = "/tmp/pcapgen-test-XXXXXX";
	static const uint8_t data[5] = {1, 2, 3, 4, 5};
	uint8_t *b;
	size_t n, off, len;
	int fd = mkstemp(path);
	pg_pcapng *w;

	ck_assert_int_ge(fd, 0);
	close(fd);
	w = pg_pcapng_open(path);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(pg_pcapng_idb(w, PG_LT_ETHERNET, 65535), 0);
	ck_assert_int_eq(pg_pcapng_epb(w, 0, 1000000000ull * 4294ull + 967296000ull, data, 5, 5),
	                 0);
	ck_assert_int_eq(pg_pcapng_epb(w, 1, 0, data, 5, 5), -1); /* no interface 1 */
	ck_assert_int_eq(pg_pcapng_close(w), -1);
	b = slurp(path, &n);
	/* walk the blocks: leading and trailing lengths agree, all 4-aligned */
	for (off = 0; off + 12 <= n; off += len) {
		len = b[off + 4] | b[off + 5] << 8 | b[off + 6] << 16 | (size_t)b[off + 7] << 24;
		ck_assert_uint_eq(len % 4, 0);
		ck_assert_uint_le(off + len, n);
		ck_assert_mem_eq(b + off + 4, b + off + len - 4, 4);
	}
	ck_assert_uint_eq(off, n);
	ck_assert_uint_eq(b[0], 0x0a);
	ck_assert_uint_eq(b[3], 0x0a);
	ck_assert_uint_eq(b[8], 0x4d); /* byte-order magic 1a2b3c4d */
	/* the EPB at 4294.967296 s = 2^32 us: timestamp high word 1, low 0 */
	len = b[4] | b[5] << 8;
	off = len + 20; /* after SHB and IDB (20 bytes) */
	ck_assert_uint_eq(b[off], 6);
	ck_assert_uint_eq(b[off + 4], 32 + 8); /* 28 + 5 data padded to 8 + 4 */
	ck_assert_uint_eq(
	    b[off + 12] | b[off + 13] << 8 | b[off + 14] << 16 | (uint32_t)b[off + 15] << 24, 1u);
	ck_assert_uint_eq(b[off + 16] | b[off + 17] | b[off + 18] | b[off + 19], 0);
	ck_assert_uint_eq(b[off + 28], 1);
	free(b);
	unlink(path);
}
END_TEST

static Suite *pcapgen_suite(void)
{
	Suite *s = suite_create("pcapgen");
	TCase *tc = tcase_create("builders");

	tcase_add_test(tc, rfc1071_example);
	tcase_add_test(tc, ipv4_known_header);
	tcase_add_test(tc, ipv4_options_fragment);
	tcase_add_test(tc, arp_request_42_bytes);
	tcase_add_test(tc, arp_raw_lengths);
	tcase_add_test(tc, vlan_and_qinq_tags);
	tcase_add_test(tc, tcp_options_and_checksum);
	tcase_add_test(tc, udp_checksum_ipv4_and_ipv6);
	tcase_add_test(tc, icmp6_ndp);
	tcase_add_test(tc, dhcp_layout);
	suite_add_tcase(s, tc);
	tc = tcase_create("writers");
	tcase_add_test(tc, pcap_writer);
	tcase_add_test(tc, pcapng_writer);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pcapgen_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
