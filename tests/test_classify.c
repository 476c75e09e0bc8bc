/*
 * tests/test_classify.c - LLDP and CDP identifiers (valid frames, every
 * truncated prefix, zero-length TLV floods, the patterns of the hostile
 * captures), the device-class decisions of classify_host (one table: each
 * class from its strongest evidence, weights and "why"), and the TCP SYN
 * option fingerprints.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/classify.h"
#include "scanner/inventory.h"
#include "scanner/proto-cdp.h"
#include "scanner/proto-lldp.h"
#include "scanner/tcp-fingerprint.h"
#include "tests/helper_pcapgen.h"

/* ---- frame builders ---- */

struct buf {
	uint8_t b[1600];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->n + n, sizeof(b->b));
	if (n) /* p may be NULL for an empty TLV */
		memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void lldp_tlv(struct buf *b, unsigned type, const void *v, size_t n)
{
	uint8_t h[2] = {(uint8_t)((type << 1) | (n >> 8)), (uint8_t)n};
	put(b, h, 2);
	put(b, v, n);
}

static void lldp_str(struct buf *b, unsigned type, const char *s)
{
	lldp_tlv(b, type, s, strlen(s));
}

/* The mandatory chassis id (MAC), port id (ifName) and TTL. */
static void lldp_head(struct buf *b)
{
	static const uint8_t chassis[] = {4, 0x00, 0x1b, 0x1b, 0x11, 0x22, 0x33};
	static const uint8_t port[] = {5, 'p', '1'};
	static const uint8_t ttl[] = {0, 120};
	b->n = 0;
	lldp_tlv(b, 1, chassis, sizeof(chassis));
	lldp_tlv(b, 2, port, sizeof(port));
	lldp_tlv(b, 3, ttl, sizeof(ttl));
}

static void lldp_caps(struct buf *b, uint16_t sys, uint16_t en)
{
	uint8_t v[4] = {(uint8_t)(sys >> 8), (uint8_t)sys, (uint8_t)(en >> 8), (uint8_t)en};
	lldp_tlv(b, 7, v, 4);
}

/* A switch: name, Cisco IOS description, bridge+router capable, bridge
 * enabled, IPv4 management address, an 802.3 TLV, a MUD URL, End. */
static void lldp_switch(struct buf *b)
{
	lldp_head(b);
	lldp_str(b, 5, "S2.cisco.com");
	lldp_str(b, 6,
	         "Cisco IOS Software, C3560 Software (C3560-ADVIPSERVICESK9-M), "
	         "Version 12.2(44)SE, RELEASE SOFTWARE (fc1)\nCopyright (c) 1986-2008");
	lldp_caps(b, 0x0014, 0x0004);
	static const uint8_t mgmt[] = {5, 1, 10, 0, 0, 2, 2, 0, 0, 0, 1, 0};
	lldp_tlv(b, 8, mgmt, sizeof(mgmt));
	static const uint8_t dot3[] = {0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x00, 0x00, 0x10};
	lldp_tlv(b, 127, dot3, sizeof(dot3));
	uint8_t mud[64] = {0x00, 0x00, 0x5e, 0x01};
	const char *url = "https://example.com/.well-known/mud/v1/plc";
	memcpy(mud + 4, url, strlen(url));
	lldp_tlv(b, 127, mud, 4 + strlen(url));
	lldp_tlv(b, 0, NULL, 0);
}

/* Runs the parser on a heap copy of exactly n bytes, so ASan sees any
 * read past the end. */
static int lldp_heap(const uint8_t *p, size_t n, struct ident_facts *f)
{
	uint8_t *h = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(h);
	memcpy(h, p, n);
	memset(f, 0, sizeof(*f));
	int r = lldp_parse(h, n, f);
	free(h);
	return r;
}

static int cdp_heap(const uint8_t *p, size_t n, struct ident_facts *f)
{
	uint8_t *h = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(h);
	memcpy(h, p, n);
	memset(f, 0, sizeof(*f));
	int r = cdp_parse(h, n, f);
	free(h);
	return r;
}

static void cdp_tlv(struct buf *b, uint16_t type, const void *v, size_t n)
{
	uint8_t h[4] = {(uint8_t)(type >> 8), (uint8_t)type, (uint8_t)((n + 4) >> 8),
	                (uint8_t)(n + 4)};
	put(b, h, 4);
	put(b, v, n);
}

static void cdp_head(struct buf *b, uint8_t version)
{
	static const uint8_t snap[8] = {0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00};
	b->n = 0;
	put(b, snap, 8);
	uint8_t h[4] = {version, 180, 0x12, 0x34};
	put(b, h, 4);
}

static void cdp_switch(struct buf *b, uint32_t caps)
{
	cdp_head(b, 2);
	cdp_tlv(b, 0x0001, "S1", 2);
	static const uint8_t addrs[] = {0, 0, 0, 1, 1, 1, 0xcc, 0, 4, 192, 168, 0, 1};
	cdp_tlv(b, 0x0002, addrs, sizeof(addrs));
	cdp_tlv(b, 0x0003, "FastEthernet0/1", 15);
	uint8_t c[4] = {(uint8_t)(caps >> 24), (uint8_t)(caps >> 16), (uint8_t)(caps >> 8),
	                (uint8_t)caps};
	cdp_tlv(b, 0x0004, c, 4);
	const char *sw = "Cisco Internetwork Operating System Software \nIOS (tm) C3560 Software "
	                 "(C3560-ADVIPSERVICESK9-M), Version 12.2(25)SEB4, RELEASE SOFTWARE";
	cdp_tlv(b, 0x0005, sw, strlen(sw));
	cdp_tlv(b, 0x0006, "cisco WS-C3560-24PS", 19);
}

/* ---- LLDP ---- */

START_TEST(lldp_valid_frame_gives_name_os_class_mgmt_and_mud)
{
	struct buf b;
	struct ident_facts f;
	lldp_switch(&b);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.hostname, "S2.cisco.com");
	ck_assert_int_eq(f.name_src, NAME_LLDP);
	ck_assert_str_eq(f.os, "Cisco IOS");
	ck_assert_int_eq(f.os_weight, 50);
	ck_assert_str_eq(f.firmware, "12.2(44)SE");
	ck_assert_str_eq(f.vendor, "Cisco");
	ck_assert_int_eq(f.cls, CLS_SWITCH);
	ck_assert_int_eq(f.cls_weight, 90);
	ck_assert_str_eq(f.cls_why, "LLDP capabilities: bridge");
	ck_assert_str_eq(f.app_detail, "mgmt 10.0.0.2");
	ck_assert_str_eq(f.note, "MUD URL https://example.com/.well-known/mud/v1/plc");
}
END_TEST

/* Enabled capability bits -> class; the most specific wins. */
START_TEST(lldp_capabilities_most_specific_wins)
{
	static const struct {
		uint16_t en;
		enum ident_class cls;
		int weight;
	} t[] = {
	    {0x0004, CLS_SWITCH, 90},       /* bridge */
	    {0x0010, CLS_ROUTER, 90},       /* router */
	    {0x0014, CLS_SWITCH, 90},       /* router+bridge: multilayer switch */
	    {0x0008, CLS_ACCESS_POINT, 90}, /* WLAN AP */
	    {0x000c, CLS_ACCESS_POINT, 90}, /* AP that bridges */
	    {0x0024, CLS_PHONE, 90},        /* phone with a PC port */
	    {0x0080, CLS_WORKSTATION, 40},  /* station only: a weak claim */
	    {0x0000, CLS_UNKNOWN, 0},       {0x0001, CLS_UNKNOWN, 0}, /* other */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf b;
		struct ident_facts f;
		lldp_head(&b);
		lldp_caps(&b, 0xffff, t[i].en);
		ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
		ck_assert_msg(f.cls == t[i].cls && f.cls_weight == t[i].weight,
		              "enabled 0x%04x: class %d weight %d", t[i].en, f.cls, f.cls_weight);
	}
}
END_TEST

START_TEST(lldp_plc_with_switch_port_stays_a_plc)
{
	struct buf b;
	struct ident_facts f;
	lldp_head(&b);
	lldp_str(&b, 6, "Siemens, SIMATIC S7, CPU-1500, 6ES7 511-1AK00-0AB0, HW: 3, FW: V2.8.1");
	lldp_caps(&b, 0x0004, 0x0004);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
	ck_assert_int_eq(f.cls, CLS_PLC);
	ck_assert_int_eq(f.cls_weight, 50);
	ck_assert_str_eq(f.firmware, "V2.8.1");
	ck_assert_str_eq(f.vendor, "Siemens");
}
END_TEST

START_TEST(lldp_linux_description_is_the_os)
{
	struct buf b;
	struct ident_facts f;
	lldp_head(&b);
	lldp_str(&b, 6, "Ubuntu 14.04.5 LTS Linux 3.13.0-106-generic #153-Ubuntu SMP");
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.os, "Ubuntu 14.04.5 LTS Linux 3.13.0-106-generic #153-Ubuntu SMP");
	ck_assert_int_eq(f.cls, CLS_UNKNOWN);
}
END_TEST

START_TEST(lldp_every_truncated_prefix_is_safe)
{
	struct buf b;
	struct ident_facts f;
	lldp_switch(&b);
	size_t head = 9 + 5 + 4; /* the three mandatory TLVs */
	for (size_t n = 0; n < b.n; n++) {
		int r = lldp_heap(b.b, n, &f);
		ck_assert_int_eq(r, n >= head ? 1 : 0);
	}
}
END_TEST

START_TEST(lldp_not_lldp)
{
	struct ident_facts f;
	static const uint8_t port_first[] = {0x04, 0x03, 0x05, 'p', '1', 0x02, 0x07,
	                                     4,    1,    2,    3,   4,   5,    6};
	ck_assert_int_eq(lldp_heap(port_first, sizeof(port_first), &f), 0);
	static const uint8_t zero[64] = {0};
	ck_assert_int_eq(lldp_heap(zero, sizeof(zero), &f), 0);
	ck_assert_int_eq(lldp_heap(zero, 0, &f), 0);
}
END_TEST

/* Zero-length TLVs of every non-End type, 700 of them: the walk is
 * bounded by its TLV count and the frame, never loops. */
START_TEST(lldp_zero_length_tlv_flood_ends)
{
	struct buf b;
	struct ident_facts f;
	lldp_head(&b);
	while (b.n + 2 <= sizeof(b.b))
		lldp_tlv(&b, 4 + (unsigned)(b.n % 120), NULL, 0);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
}
END_TEST

/* The hostile captures' shapes behind a valid head: a management address
 * whose string length runs past its TLV (lldp_mgmt_addr_tlv_asan), an
 * 802.3 TLV holding only its OUI and subtype (lldp_8023_mtu-oobr), the
 * repeated 802.1 TLVs of lldp-infinite-loop-1, a TLV longer than the
 * frame (lldp_asan). */
START_TEST(lldp_hostile_patterns)
{
	struct buf b;
	struct ident_facts f;
	static const uint8_t mgmt_long[] = {0xca, 1, 10, 0, 0, 1};
	lldp_head(&b);
	lldp_tlv(&b, 8, mgmt_long, sizeof(mgmt_long));
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.app_detail, "");
	static const uint8_t mgmt_zero[] = {0, 1};
	lldp_head(&b);
	lldp_tlv(&b, 8, mgmt_zero, sizeof(mgmt_zero));
	lldp_tlv(&b, 8, mgmt_zero, 0);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);

	static const uint8_t dot3_short[] = {0x00, 0x12, 0x0f, 0x04};
	lldp_head(&b);
	lldp_tlv(&b, 127, dot3_short, sizeof(dot3_short));
	lldp_tlv(&b, 127, dot3_short, 2);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);

	static const uint8_t dot1[] = {0x00, 0x80, 0xc2, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0};
	lldp_head(&b);
	for (int i = 0; i < 100; i++)
		put(&b, dot1, sizeof(dot1)); /* raw bytes: TLV headers of type 0/64 */
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);

	lldp_head(&b);
	uint8_t huge[2] = {(uint8_t)((6 << 1) | 1), 0xff}; /* description, 511 bytes */
	put(&b, huge, 2);
	put(&b, "Linux", 5);
	ck_assert_int_eq(lldp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.os, "");
}
END_TEST

/* ---- CDP ---- */

START_TEST(cdp_valid_frame_gives_name_model_software_class)
{
	struct buf b;
	struct ident_facts f;
	cdp_switch(&b, 0x28); /* switch + IGMP */
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.hostname, "S1");
	ck_assert_int_eq(f.name_src, NAME_CDP);
	ck_assert_str_eq(f.model, "cisco WS-C3560-24PS");
	ck_assert_str_eq(f.os, "Cisco IOS");
	ck_assert_str_eq(f.firmware, "12.2(25)SEB4");
	ck_assert_int_eq(f.cls, CLS_SWITCH);
	ck_assert_int_eq(f.cls_weight, 90);
	ck_assert_str_eq(f.cls_why, "CDP capabilities: bridge");
	ck_assert_str_eq(f.app_detail, "mgmt 192.168.0.1");
}
END_TEST

START_TEST(cdp_capabilities)
{
	static const struct {
		uint32_t caps;
		enum ident_class cls;
	} t[] = {
	    {0x01, CLS_ROUTER}, {0x08, CLS_SWITCH},      {0x29, CLS_SWITCH},  /* router+switch */
	    {0x90, CLS_PHONE},  {0x10, CLS_WORKSTATION}, {0x20, CLS_UNKNOWN}, /* IGMP only */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct buf b;
		struct ident_facts f;
		cdp_switch(&b, t[i].caps);
		ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 1);
		ck_assert_msg(f.cls == t[i].cls, "caps 0x%x: class %d", t[i].caps, f.cls);
	}
}
END_TEST

START_TEST(cdp_every_truncated_prefix_is_safe)
{
	struct buf b;
	struct ident_facts f;
	cdp_switch(&b, 0x28);
	for (size_t n = 0; n < b.n; n++) {
		int r = cdp_heap(b.b, n, &f);
		ck_assert_int_eq(r, n >= 12 + 6 ? 1 : 0); /* head + the Device ID TLV */
	}
}
END_TEST

START_TEST(cdp_bad_lengths_and_floods_end)
{
	struct buf b;
	struct ident_facts f;
	/* A TLV length below its own header: stop, nothing proven. */
	cdp_head(&b, 2);
	static const uint8_t zero_len[] = {0x00, 0x01, 0x00, 0x00, 'x', 'y'};
	put(&b, zero_len, sizeof(zero_len));
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 0);
	/* Empty TLVs (length 4) forever: bounded. */
	cdp_head(&b, 1);
	while (b.n + 4 <= sizeof(b.b))
		cdp_tlv(&b, 0x0009, NULL, 0);
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 1);
	/* An address list claiming 2^32-1 entries in 9 bytes. */
	cdp_head(&b, 2);
	static const uint8_t addrs[] = {0xff, 0xff, 0xff, 0xff, 1, 0xff, 0xcc, 0, 4};
	cdp_tlv(&b, 0x0002, addrs, sizeof(addrs));
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 1);
	ck_assert_str_eq(f.app_detail, "");
	/* Wrong SNAP protocol id (VTP 0x2003), wrong version. */
	cdp_switch(&b, 0x28);
	b.b[7] = 0x03;
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 0);
	cdp_switch(&b, 0x28);
	b.b[8] = 3;
	ck_assert_int_eq(cdp_heap(b.b, b.n, &f), 0);
}
END_TEST

/* ---- through decoding, the identifier table and export ---- */

static struct result *run_frames(const pg_frame *fr, size_t n)
{
	struct inventory *inv = inv_new(NULL);
	for (size_t i = 0; i < n; i++) {
		struct pkt p;
		ck_assert_int_eq(dec_packet(SS_DLT_EN10MB, fr[i].b, fr[i].len, fr[i].len, &p),
		                 DEC_OK);
		p.ts = 1700000000000000LL + (int64_t)i * 1000;
		inv_add(inv, &p);
	}
	struct result *r = res_new("audit");
	inv_export(inv, NULL, r);
	inv_free(inv);
	return r;
}

static int has_str(const struct res_strv *v, const char *s)
{
	return res_strv_has(v, s);
}

START_TEST(lldp_and_cdp_frames_reach_the_host)
{
	static pg_frame fr[2];
	uint8_t src1[6], src2[6], lldp_dst[6], cdp_dst[6];
	pg_mac("00:19:2f:a7:b2:8d", src1);
	pg_mac("00:18:ba:98:68:80", src2);
	pg_mac("01:80:c2:00:00:0e", lldp_dst);
	pg_mac("01:00:0c:cc:cc:cc", cdp_dst);
	struct buf b;
	lldp_switch(&b);
	pg_frame_init(&fr[0]);
	pg_eth(&fr[0], lldp_dst, src1, 0x88cc);
	pg_append(&fr[0], b.b, b.n);
	cdp_switch(&b, 0x29);
	pg_frame_init(&fr[1]);
	pg_eth(&fr[1], cdp_dst, src2, (uint16_t)b.n); /* 802.3 length */
	pg_append(&fr[1], b.b, b.n);
	struct result *r = run_frames(fr, 2);
	ck_assert_uint_eq(r->n_hosts, 2);
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		if (h->mac.b[1] == 0x19) {
			ck_assert(has_str(&h->protocols, "lldp"));
			ck_assert_str_eq(h->hostname, "S2.cisco.com");
			ck_assert_str_eq(h->device_class, "switch");
			ck_assert_str_eq(h->class_evidence, "LLDP capabilities: bridge");
			ck_assert_str_eq(h->os, "Cisco IOS");
			ck_assert_str_eq(h->firmware, "12.2(44)SE");
			ck_assert(has_str(&h->notes,
			                  "MUD URL https://example.com/.well-known/mud/v1/plc"));
		} else {
			ck_assert(has_str(&h->protocols, "cdp"));
			ck_assert_str_eq(h->hostname, "S1");
			ck_assert_str_eq(h->model, "cisco WS-C3560-24PS");
			ck_assert_str_eq(h->device_class, "switch");
			ck_assert_str_eq(h->class_evidence,
			                 "CDP capabilities: router+bridge (multilayer switch)");
		}
	}
	res_free(r);
}
END_TEST

/* A Linux SYN (MSS,SACK,TS,NOP,WS from helper_pcapgen, TTL 64) names the
 * opener's OS; its SYN-ACK peer's Windows TTL alone is only a guess. */
START_TEST(syn_fingerprint_reaches_the_host)
{
	static pg_frame fr[3];
	uint8_t a[6], b6[6], bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	pg_mac("02:00:00:00:00:01", a);
	pg_mac("02:00:00:00:00:02", b6);
	pg_frame_init(&fr[0]);
	pg_eth(&fr[0], bc, a, PG_ETH_ARP);
	pg_arp(&fr[0], PG_ARP_REQUEST, a, pg_ip4("10.0.0.1"), NULL, pg_ip4("10.0.0.2"));
	pg_frame_init(&fr[1]);
	pg_eth(&fr[1], b6, a, PG_ETH_IPV4);
	size_t ip = pg_ipv4_begin(&fr[1], &(pg_ipv4){.src = pg_ip4("10.0.0.1"),
	                                             .dst = pg_ip4("10.0.0.2"),
	                                             .proto = PG_IP_TCP,
	                                             .ttl = 64});
	pg_tcp(&fr[1], ip,
	       &(pg_tcp_opt){.sport = 40000,
	                     .dport = 22,
	                     .flags = PG_SYN,
	                     .mss = 1460,
	                     .ws = 8,
	                     .sack_perm = 1,
	                     .ts = 1});
	pg_ipv4_end(&fr[1], ip);
	pg_frame_init(&fr[2]);
	pg_eth(&fr[2], a, b6, PG_ETH_IPV4);
	ip = pg_ipv4_begin(&fr[2], &(pg_ipv4){.src = pg_ip4("10.0.0.2"),
	                                      .dst = pg_ip4("10.0.0.1"),
	                                      .proto = PG_IP_TCP,
	                                      .ttl = 128});
	pg_tcp(&fr[2], ip,
	       &(pg_tcp_opt){.sport = 22, .dport = 40000, .flags = PG_SYN | PG_ACK, .mss = 1460});
	pg_ipv4_end(&fr[2], ip);
	struct result *r = run_frames(fr, 3);
	int seen = 0;
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		if (h->has_mac && h->mac.b[5] == 1) {
			ck_assert_str_eq(h->os, "Linux");
			ck_assert_str_eq(h->os_evidence,
			                 "TCP SYN options MSS,SACK,TS,NOP,WS, TTL 64 (guess)");
			seen++;
		} else if (h->has_mac && h->mac.b[5] == 2) {
			ck_assert_str_eq(h->os, "Windows (TTL 128)");
			ck_assert_str_eq(h->device_class, "server"); /* serves tcp/22 */
			seen++;
		}
	}
	ck_assert_int_eq(seen, 2);
	res_free(r);
}
END_TEST

/* ---- classify_host: one table ---- */

static const struct res_service svc_9100[] = {{6, 9100, NULL, 1}};
static const struct res_service svc_554[] = {{6, 554, NULL, 1}};
static const struct res_service svc_3389[] = {{6, 3389, NULL, 1}};
static const struct res_service svc_3389_443[] = {{6, 3389, NULL, 1}, {6, 443, NULL, 1}};
static const struct res_service svc_445[] = {{6, 445, NULL, 1}};
static const struct res_service svc_22[] = {{6, 22, NULL, 0}};
static const struct res_service svc_80[] = {{6, 80, NULL, 0}};

static const struct ident_facts f_lldp_switch = {
    .cls = CLS_SWITCH, .cls_weight = 90, .cls_why = "LLDP capabilities: bridge"};
static const struct ident_facts f_enip_plc = {
    .cls = CLS_PLC, .cls_weight = 90, .cls_why = "enip ListIdentity: PLC"};
static const struct ident_facts f_banner_nas = {
    .cls = CLS_NAS, .cls_weight = 50, .cls_why = "HTTP Server: Synology"};
static const struct ident_facts f_guess_iot = {
    .cls = CLS_IOT, .cls_weight = 10, .cls_why = "port guess"};
static const struct ident_facts f_xp = {
    .os = "Windows XP", .os_weight = 50, .os_why = "DHCP vendor class 'MSFT 5.0'"};
static const struct ident_facts f_ssh_old = {.app_detail = "SSH-2.0-OpenSSH_4.3p2 Debian"};
static const struct ident_facts f_smb1 = {.eol = "SMB1 dialect"};

#define P(x) ID_BIT(ID_##x)

static const struct cls_case {
	const char *name;
	struct classify_in in;
	enum ident_class cls;
	const char *why; /* expected substring of cls_why */
} cls_cases[] = {
    {"nothing known", {0}, CLS_UNKNOWN, ""},
    {"device statement", {.facts = &f_lldp_switch}, CLS_SWITCH, "LLDP capabilities"},
    {"statement beats router flag", {.facts = &f_lldp_switch, .router = 1}, CLS_SWITCH, "LLDP"},
    {"router flag beats banner", {.facts = &f_banner_nas, .router = 1}, CLS_ROUTER, "forwards"},
    {"ListIdentity beats vendor",
     {.facts = &f_enip_plc, .oui_vendor = "Hangzhou Hikvision"},
     CLS_PLC,
     "ListIdentity"},
    {"banner beats vendor",
     {.facts = &f_banner_nas, .oui_vendor = "Seiko Epson Corporation"},
     CLS_NAS,
     "Synology"},
    {"vendor beats port-guess facts",
     {.facts = &f_guess_iot, .oui_vendor = "Synology Incorporated"},
     CLS_NAS,
     "vendor Synology"},
    {"serves modbus", {.protos = P(MODBUS), .served = P(MODBUS)}, CLS_PLC, "serves modbus"},
    {"serves dnp3", {.protos = P(DNP3), .served = P(DNP3)}, CLS_ICS, "serves dnp3"},
    {"client of s7comm", {.protos = P(S7COMM)}, CLS_HMI, "client of s7comm"},
    {"Siemens serving s7comm",
     {.oui_vendor = "Siemens AG", .protos = P(S7COMM), .served = P(S7COMM)},
     CLS_PLC,
     "serves s7comm"},
    {"Siemens client only",
     {.oui_vendor = "Siemens AG", .protos = P(S7COMM)},
     CLS_HMI,
     "vendor Siemens AG, client of s7comm"},
    {"Mitsubishi serving slmp beats its web server",
     {.oui_vendor = "Mitsubishi Electric Corporation",
      .protos = P(SLMP),
      .served = P(SLMP),
      .services = svc_80,
      .n_services = 1},
     CLS_PLC,
     "serves slmp"},
    {"Omron, no industrial protocol",
     {.oui_vendor = "OMRON Corporation"},
     CLS_ICS,
     "automation vendor"},
    {"Weintek panel", {.oui_vendor = "Weintek Labs. Inc."}, CLS_HMI, "vendor Weintek"},
    {"Hikvision",
     {.oui_vendor = "Hangzhou Hikvision Digital Technology Co.,Ltd."},
     CLS_CAMERA,
     "vendor Hangzhou Hikvision"},
    {"Axis", {.oui_vendor = "Axis Communications AB"}, CLS_CAMERA, "Axis"},
    {"QNAP", {.oui_vendor = "QNAP Systems, Inc."}, CLS_NAS, "QNAP"},
    {"Brother", {.oui_vendor = "Brother Industries, LTD."}, CLS_PRINTER, "Brother"},
    {"Kyocera", {.oui_vendor = "KYOCERA Corporation"}, CLS_PRINTER, "KYOCERA"},
    {"Ubiquiti", {.oui_vendor = "Ubiquiti Networks Inc."}, CLS_ACCESS_POINT, "Ubiquiti"},
    {"Espressif", {.oui_vendor = "Espressif Inc."}, CLS_IOT, "Espressif"},
    {"Tuya", {.oui_vendor = "Tuya Smart Inc."}, CLS_IOT, "Tuya"},
    {"Apple with phone name",
     {.oui_vendor = "Apple, Inc.", .hostname = "Taros-iPhone"},
     CLS_PHONE,
     "phone-like"},
    {"Apple laptop name stays unknown",
     {.oui_vendor = "Apple, Inc.", .hostname = "mbp-01"},
     CLS_UNKNOWN,
     ""},
    {"randomised MAC, Android name",
     {.mac_local = 1, .hostname = "android-5f3a"},
     CLS_PHONE,
     "randomised MAC"},
    {"Cisco with CDP",
     {.oui_vendor = "Cisco Systems, Inc", .protos = P(CDP)},
     CLS_SWITCH,
     "announcing itself by CDP"},
    {"Cisco without discovery", {.oui_vendor = "Cisco Systems, Inc"}, CLS_UNKNOWN, ""},
    {"MikroTik with LLDP",
     {.oui_vendor = "Routerboard.com", .protos = P(LLDP)},
     CLS_ROUTER,
     "LLDP"},
    {"vendor beats service",
     {.oui_vendor = "Espressif Inc.", .services = svc_80, .n_services = 1},
     CLS_IOT,
     "Espressif"},
    {"printer port", {.services = svc_9100, .n_services = 1}, CLS_PRINTER, "tcp/9100"},
    {"rtsp port", {.services = svc_554, .n_services = 1}, CLS_CAMERA, "RTSP"},
    {"rtsp proven", {.served = P(RTSP)}, CLS_CAMERA, "RTSP"},
    {"rdp alone", {.services = svc_3389, .n_services = 1}, CLS_WORKSTATION, "RDP"},
    {"rdp and https", {.services = svc_3389_443, .n_services = 2}, CLS_SERVER, "RDP and tcp/443"},
    {"smb served", {.services = svc_445, .n_services = 1}, CLS_SERVER, "tcp/445"},
    {"ssh served", {.services = svc_22, .n_services = 1}, CLS_SERVER, "tcp/22"},
    {"service beats ttl",
     {.services = svc_22, .n_services = 1, .ttl_max = 127},
     CLS_SERVER,
     "tcp/22"},
    {"dhcp server beats ttl 128", {.served = P(DHCP), .ttl_max = 128}, CLS_SERVER, "serves DHCP"},
    {"dns server", {.served = P(DNS)}, CLS_SERVER, "serves DNS"},
    {"ttl 128", {.ttl_max = 126}, CLS_WORKSTATION, "TTL 128"},
    {"ttl 64", {.ttl_max = 63}, CLS_UNKNOWN, ""},
};

START_TEST(classify_table)
{
	const struct cls_case *t = &cls_cases[_i];
	struct classify_out o;
	classify_host(&t->in, &o);
	ck_assert_msg(o.cls == t->cls, "%s: class %s, want %s (why '%s')", t->name,
	              ident_class_name(o.cls), ident_class_name(t->cls), o.cls_why);
	ck_assert_msg(strstr(o.cls_why, t->why) != NULL, "%s: why '%s' lacks '%s'", t->name,
	              o.cls_why, t->why);
	if (t->cls == CLS_UNKNOWN)
		ck_assert_str_eq(o.cls_why, "");
}
END_TEST

START_TEST(classify_os_and_eol)
{
	struct classify_out o;
	/* No facts: the TTL decides, marked as a guess. */
	static const struct {
		uint8_t ttl;
		const char *os;
	} ttl[] = {{64, "Linux/Unix-like (TTL 64)"},
	           {50, "Linux/Unix-like (TTL 64)"},
	           {128, "Windows (TTL 128)"},
	           {100, "Windows (TTL 128)"},
	           {255, "network device or embedded OS (TTL 255)"},
	           {200, "network device or embedded OS (TTL 255)"}};
	for (size_t i = 0; i < sizeof(ttl) / sizeof(ttl[0]); i++) {
		classify_host(&(struct classify_in){.ttl_max = ttl[i].ttl}, &o);
		ck_assert_str_eq(o.os, ttl[i].os);
		ck_assert_ptr_nonnull(strstr(o.os_why, "guess"));
	}
	classify_host(&(struct classify_in){0}, &o);
	ck_assert_str_eq(o.os, "");
	/* Facts' OS beats the TTL; an out-of-support Windows is an EOL finding. */
	classify_host(&(struct classify_in){.facts = &f_xp, .ttl_max = 128}, &o);
	ck_assert_str_eq(o.os, "Windows XP");
	ck_assert_str_eq(o.os_why, "DHCP vendor class 'MSFT 5.0'");
	ck_assert_ptr_nonnull(strstr(o.eol, "Windows XP is out of support"));
	/* Old SSH from a banner, SMB1 from an identifier's hint. */
	classify_host(&(struct classify_in){.facts = &f_ssh_old}, &o);
	ck_assert_str_eq(o.eol, "old SSH OpenSSH_4.3p2");
	/* An identifier's own hint is not restated here: it reaches the host
	 * directly (with every other hint), see facts_merge_keeps_every_eol_hint. */
	classify_host(&(struct classify_in){.facts = &f_smb1}, &o);
	ck_assert_str_eq(o.eol, "");
	/* Windows 10 is not end-of-life, OpenSSH 9 is not old. */
	static const struct ident_facts w10 = {
	    .os = "Windows 10", .os_weight = 50, .app_detail = "SSH-2.0-OpenSSH_9.2p1"};
	classify_host(&(struct classify_in){.facts = &w10}, &o);
	ck_assert_str_eq(o.eol, "");
}
END_TEST

/* ---- TCP SYN fingerprints ---- */

static const struct fp_case {
	const uint8_t opts[40];
	size_t n;
	uint8_t flags, ttl;
	const char *layout;
	const char *os; /* NULL: no guess */
} fp_cases[] = {
    /* Windows 10: MSS,NOP,WS,NOP,NOP,SACK */
    {{2, 4, 5, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2},
     12,
     TCPF_SYN,
     128,
     "MSS,NOP,WS,NOP,NOP,SACK",
     "Windows (Vista or later)"},
    /* the same through two routers */
    {{2, 4, 5, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2},
     12,
     TCPF_SYN,
     126,
     "MSS,NOP,WS,NOP,NOP,SACK",
     "Windows (Vista or later)"},
    /* the same layout with TTL 64 is no known stack */
    {{2, 4, 5, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2}, 12, TCPF_SYN, 64, "MSS,NOP,WS,NOP,NOP,SACK", NULL},
    /* Windows XP: MSS,NOP,NOP,SACK */
    {{2, 4, 5, 0xb4, 1, 1, 4, 2}, 8, TCPF_SYN, 128, "MSS,NOP,NOP,SACK", "Windows XP/2003"},
    /* Linux: MSS,SACK,TS,NOP,WS, also in a SYN-ACK */
    {{2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7},
     20,
     TCPF_SYN,
     64,
     "MSS,SACK,TS,NOP,WS",
     "Linux"},
    {{2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7},
     20,
     TCPF_SYN | TCPF_ACK,
     64,
     "MSS,SACK,TS,NOP,WS",
     "Linux"},
    /* macOS: MSS,NOP,WS,NOP,NOP,TS,SACK,EOL + padding */
    {{2, 4, 5, 0xb4, 1, 3, 3, 6, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 4, 2, 0, 0},
     24,
     TCPF_SYN,
     64,
     "MSS,NOP,WS,NOP,NOP,TS,SACK,EOL",
     "macOS/iOS"},
    /* an embedded stack: MSS only, TTL 255 */
    {{2, 4, 2, 0x18}, 4, TCPF_SYN, 255, "MSS", "embedded TCP/IP stack"},
    /* not a SYN */
    {{2, 4, 5, 0xb4, 1, 1, 4, 2}, 8, TCPF_ACK, 128, "MSS,NOP,NOP,SACK", NULL},
    /* RST with SYN */
    {{2, 4, 5, 0xb4, 1, 1, 4, 2}, 8, TCPF_SYN | TCPF_RST, 128, "MSS,NOP,NOP,SACK", NULL},
    /* truncated option: MSS length 4 with 2 bytes left */
    {{1, 2, 4}, 3, TCPF_SYN, 64, "NOP,!", NULL},
    /* option length 0 or 1 is malformed */
    {{2, 0, 5, 0xb4}, 4, TCPF_SYN, 64, "!", NULL},
    {{0x22, 1}, 2, TCPF_SYN, 64, "!", NULL},
    /* unknown kind is named by number */
    {{2, 4, 5, 0xb4, 30, 4, 0, 0}, 8, TCPF_SYN, 64, "MSS,30", NULL},
    /* no options */
    {{0}, 0, TCPF_SYN, 64, "", NULL},
};

START_TEST(facts_merge_keeps_every_eol_hint)
{
	struct ident_facts a = {0}, b = {0};
	snprintf(a.eol, sizeof(a.eol), "Windows XP (SMB Native OS)");
	snprintf(b.eol, sizeof(b.eol), "SMB1 in use");
	ident_facts_merge(&a, &b);
	ck_assert_str_eq(a.eol, "Windows XP (SMB Native OS)" IDENT_EOL_SEP "SMB1 in use");
	ident_facts_merge(&a, &b); /* no duplicates */
	ck_assert_str_eq(a.eol, "Windows XP (SMB Native OS)" IDENT_EOL_SEP "SMB1 in use");
	/* A hint that does not fit whole is dropped, never cut. */
	memset(b.eol, 'x', sizeof(b.eol) - 1);
	b.eol[sizeof(b.eol) - 1] = '\0';
	ident_facts_merge(&a, &b);
	ck_assert_str_eq(a.eol, "Windows XP (SMB Native OS)" IDENT_EOL_SEP "SMB1 in use");
}
END_TEST

START_TEST(tcp_fingerprints)
{
	const struct fp_case *t = &fp_cases[_i];
	uint8_t *opts = malloc(t->n ? t->n : 1); /* exact size: ASan sees overreads */
	ck_assert_ptr_nonnull(opts);
	memcpy(opts, t->opts, t->n);
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.kind = PKT_IP;
	p.proto = 6;
	p.has_l4 = 1;
	p.tcp_flags = t->flags;
	p.ttl = t->ttl;
	p.tcp_opts = t->n ? opts : NULL;
	p.tcp_opts_len = t->n;
	char layout[96];
	tcpfp_layout(&p, layout, sizeof(layout));
	ck_assert_str_eq(layout, t->layout);
	struct ident_facts f;
	int r = tcpfp_guess(&p, &f);
	if (t->os) {
		ck_assert_int_eq(r, 1);
		ck_assert_str_eq(f.os, t->os);
		ck_assert_int_eq(f.os_weight, TCPFP_WEIGHT);
		ck_assert_ptr_nonnull(strstr(f.os_why, t->layout));
		ck_assert_ptr_nonnull(strstr(f.os_why, "guess"));
	} else {
		ck_assert_int_eq(r, 0);
		ck_assert_str_eq(f.os, "");
	}
	free(opts);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("classify");
	TCase *c = tcase_create("lldp");
	tcase_add_test(c, lldp_valid_frame_gives_name_os_class_mgmt_and_mud);
	tcase_add_test(c, lldp_capabilities_most_specific_wins);
	tcase_add_test(c, lldp_plc_with_switch_port_stays_a_plc);
	tcase_add_test(c, lldp_linux_description_is_the_os);
	tcase_add_test(c, lldp_every_truncated_prefix_is_safe);
	tcase_add_test(c, lldp_not_lldp);
	tcase_add_test(c, lldp_zero_length_tlv_flood_ends);
	tcase_add_test(c, lldp_hostile_patterns);
	suite_add_tcase(s, c);
	c = tcase_create("cdp");
	tcase_add_test(c, cdp_valid_frame_gives_name_model_software_class);
	tcase_add_test(c, cdp_capabilities);
	tcase_add_test(c, cdp_every_truncated_prefix_is_safe);
	tcase_add_test(c, cdp_bad_lengths_and_floods_end);
	suite_add_tcase(s, c);
	c = tcase_create("inventory");
	tcase_add_test(c, lldp_and_cdp_frames_reach_the_host);
	tcase_add_test(c, syn_fingerprint_reaches_the_host);
	suite_add_tcase(s, c);
	c = tcase_create("classify");
	tcase_add_loop_test(c, classify_table, 0, (int)(sizeof(cls_cases) / sizeof(cls_cases[0])));
	tcase_add_test(c, classify_os_and_eol);
	tcase_add_test(c, facts_merge_keeps_every_eol_hint);
	suite_add_tcase(s, c);
	c = tcase_create("tcp-fingerprint");
	tcase_add_loop_test(c, tcp_fingerprints, 0, (int)(sizeof(fp_cases) / sizeof(fp_cases[0])));
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
