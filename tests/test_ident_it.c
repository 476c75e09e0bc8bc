/*
 * tests/test_ident_it.c - the IT and IoT protocol identifiers: valid
 * frames (bytes by hand per RFC, or copied from the shared captures),
 * near-misses that must not match, every prefix of every valid frame
 * (run under ASan to catch reads past the end), the facts each one
 * reports about the sender, and a few frames through the whole pipeline
 * (dec_packet + inv_add + inv_export).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/ident.h"
#include "scanner/inventory.h"
#include "scanner/proto-dhcp.h"
#include "tests/helper_pcapgen.h"
#include "tests/helper_pipe.h"

/* ---- byte builders ---- */

struct buf {
	uint8_t b[2048];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->n + n, sizeof(b->b));
	if (n) /* memcpy from NULL is undefined even for 0 bytes */
		memcpy(b->b + b->n, p, n);
	b->n += n;
}
static void put8(struct buf *b, uint8_t v)
{
	put(b, &v, 1);
}
static void put16(struct buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(b, x, 2);
}
static void put16le(struct buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, x, 2);
}
static void put32(struct buf *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b, (uint16_t)v);
}
static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}
static void put_utf16(struct buf *b, const char *s)
{
	for (; *s; s++)
		put16le(b, (uint8_t)*s);
	put16le(b, 0);
}
/* DNS name from "a.b.c" (no compression). */
static void put_name(struct buf *b, const char *s)
{
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		put8(b, (uint8_t)l);
		put(b, s, l);
		s += l + (dot ? 1 : 0);
	}
	put8(b, 0);
}
/* NetBIOS first-level encoding (RFC 1001 14.1) of a 15-char name + suffix. */
static void put_nbname(struct buf *b, const char *name, uint8_t suffix)
{
	char raw[16];
	memset(raw, ' ', 15);
	memcpy(raw, name, strlen(name));
	raw[15] = (char)suffix;
	put8(b, 32);
	for (int i = 0; i < 16; i++) {
		put8(b, (uint8_t)('A' + (((uint8_t)raw[i]) >> 4)));
		put8(b, (uint8_t)('A' + (((uint8_t)raw[i]) & 0xf)));
	}
	put8(b, 0);
}
/* BER TLV around content. */
static void ber(struct buf *b, uint8_t tag, const struct buf *content)
{
	put8(b, tag);
	if (content->n < 128) {
		put8(b, (uint8_t)content->n);
	} else {
		put8(b, 0x82);
		put16(b, (uint16_t)content->n);
	}
	put(b, content->b, content->n);
}
static void ber_raw(struct buf *b, uint8_t tag, const void *p, size_t n)
{
	struct buf c = {.n = 0};
	put(&c, p, n);
	ber(b, tag, &c);
}
static void ber_int(struct buf *b, uint8_t v)
{
	ber_raw(b, 0x02, &v, 1);
}

/* ---- running an identifier on a payload ---- */

struct frame {
	unsigned transport;
	const char *src, *dst;
	uint16_t sport, dport;
	int from_server;
};

static enum ident_proto run(const struct frame *fr, const uint8_t *data, size_t len,
                            struct ident_facts *f)
{
	struct pkt p;
	memset(&p, 0, sizeof(p));
	p.kind = PKT_IP;
	p.proto = fr->transport == IDENT_TCP ? 6 : 17;
	p.has_l4 = 1;
	p.sport = fr->sport;
	p.dport = fr->dport;
	ck_assert_int_eq(ss_ip_parse(fr->src, &p.src), 0);
	ck_assert_int_eq(ss_ip_parse(fr->dst, &p.dst), 0);
	/* an exact-size heap copy, so ASan sees any read past the end */
	uint8_t *copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(copy);
	if (len)
		memcpy(copy, data, len);
	struct ident_in in = {&p, copy, len, fr->from_server};
	enum ident_proto id = ident_run(fr->transport, &in, f);
	free(copy);
	return id;
}

#define TCP_C(sp, dp)                                                                              \
	{                                                                                          \
		IDENT_TCP, "10.0.0.10", "10.0.0.20", sp, dp, 0                                     \
	}
#define TCP_S(sp, dp)                                                                              \
	{                                                                                          \
		IDENT_TCP, "10.0.0.20", "10.0.0.10", sp, dp, 1                                     \
	}
#define UDP(src, dst, sp, dp)                                                                      \
	{                                                                                          \
		IDENT_UDP, src, dst, sp, dp, -1                                                    \
	}

/* ---- the cases ---- */

struct tcase {
	const char *name;
	struct frame fr;
	const uint8_t *data;
	size_t len;
	enum ident_proto want; /* valid frames: this protocol wins */
	enum ident_proto not ; /* near-misses: never this one */
};

#define TXT(s) (const uint8_t *)(s), sizeof(s) - 1

/* Frames too fiddly for literals are built once. */
static struct buf tls_ch, tls_sh10, tls_bad_sid, smb1_neg_old, smb1_neg_new, smb1_neg_rsp,
    smb1_ssx_xp, smb2_neg_rsp, smb_bad_magic, dns_q, dns_q_tcp, dns_rsp, dns_loop, dns_loop2,
    dns_qptr, dns_bad_label, mdns_rsp, mdns_q, mdns_loop, mdns_other_addr, llmnr_q, llmnr_rsp,
    llmnr_z, nbns_reg, nbns_q, nbns_stat, nbns_badenc, snmp_get, snmp_rsp, snmp_secret, snmp_v3,
    snmp_past_end, snmp_indef, mndp_full, mndp_min, mndp_req, mndp_no_mac, mndp_mac_len,
    mndp_trailing, mndp_type0, mndp_tlv_past, mndp_ipv4_len;

static void build_tls(void)
{
	static const char sni[] = "plant-historian.example.com";
	struct buf hs = {.n = 0}, ext = {.n = 0};
	put16(&hs, 0x0303);
	for (int i = 0; i < 32; i++)
		put8(&hs, (uint8_t)(i * 7));
	put8(&hs, 0);  /* session id */
	put16(&hs, 4); /* cipher suites */
	put16(&hs, 0x1301);
	put16(&hs, 0xc02f);
	put8(&hs, 1); /* compression methods */
	put8(&hs, 0);
	put16(&ext, 0x0000); /* server_name */
	put16(&ext, (uint16_t)(strlen(sni) + 5));
	put16(&ext, (uint16_t)(strlen(sni) + 3));
	put8(&ext, 0);
	put16(&ext, (uint16_t)strlen(sni));
	puts_(&ext, sni);
	put16(&ext, 0x002b); /* supported_versions */
	put16(&ext, 3);
	put8(&ext, 2);
	put16(&ext, 0x0304);
	put16(&hs, (uint16_t)ext.n);
	put(&hs, ext.b, ext.n);
	tls_ch.n = 0;
	put8(&tls_ch, 22);
	put16(&tls_ch, 0x0301);
	put16(&tls_ch, (uint16_t)(hs.n + 4));
	put8(&tls_ch, 1);
	put8(&tls_ch, 0);
	put16(&tls_ch, (uint16_t)hs.n);
	put(&tls_ch, hs.b, hs.n);

	/* ServerHello choosing TLS 1.0 */
	tls_sh10.n = 0;
	put8(&tls_sh10, 22);
	put16(&tls_sh10, 0x0301);
	put16(&tls_sh10, 42);
	put8(&tls_sh10, 2);
	put8(&tls_sh10, 0);
	put16(&tls_sh10, 38);
	put16(&tls_sh10, 0x0301);
	for (int i = 0; i < 32; i++)
		put8(&tls_sh10, (uint8_t)i);
	put8(&tls_sh10, 0);
	put16(&tls_sh10, 0x002f);
	put8(&tls_sh10, 0);

	/* a ClientHello claiming a 200-byte session id */
	tls_bad_sid = tls_ch;
	tls_bad_sid.b[5 + 4 + 2 + 32] = 200;
}

static void nbss(struct buf *out, const struct buf *msg)
{
	out->n = 0;
	put8(out, 0);
	put8(out, 0);
	put16(out, (uint16_t)msg->n);
	put(out, msg->b, msg->n);
}

static void smb1_hdr(struct buf *b, uint8_t cmd, uint8_t flags, uint16_t flags2)
{
	puts_(b, "\xffSMB");
	put8(b, cmd);
	put32(b, 0);
	put8(b, flags);
	put16le(b, flags2);
	for (int i = 0; i < 12; i++) /* pid high, signature, reserved */
		put8(b, 0);
	put16le(b, 0);      /* tid */
	put16le(b, 0xfeff); /* pid */
	put16le(b, 0);      /* uid */
	put16le(b, 1);      /* mid */
}

static void build_smb(void)
{
	struct buf m = {.n = 0}, d = {.n = 0};
	/* Negotiate request offering old dialects only */
	smb1_hdr(&m, 0x72, 0x18, 0xc853);
	put8(&m, 0);
	put8(&d, 2);
	put(&d, "LANMAN1.0", 10);
	put8(&d, 2);
	put(&d, "NT LM 0.12", 11);
	put16le(&m, (uint16_t)d.n);
	put(&m, d.b, d.n);
	nbss(&smb1_neg_old, &m);

	/* ... and with SMB2 dialects, as Windows 7-10 send it */
	m.n = d.n = 0;
	smb1_hdr(&m, 0x72, 0x18, 0xc853);
	put8(&m, 0);
	put8(&d, 2);
	put(&d, "NT LM 0.12", 11);
	put8(&d, 2);
	put(&d, "SMB 2.002", 10);
	put8(&d, 2);
	put(&d, "SMB 2.???", 10);
	put16le(&m, (uint16_t)d.n);
	put(&m, d.b, d.n);
	nbss(&smb1_neg_new, &m);

	/* Negotiate response choosing NT LM 0.12 (index 1), 17 words */
	m.n = 0;
	smb1_hdr(&m, 0x72, 0x98, 0xc853);
	put8(&m, 17);
	put16le(&m, 1);
	for (int i = 0; i < 32; i++)
		put8(&m, 0);
	put16le(&m, 0);
	nbss(&smb1_neg_rsp, &m);

	/* Session Setup AndX response from XP, 3 words, Unicode strings */
	m.n = d.n = 0;
	smb1_hdr(&m, 0x73, 0x98, 0xc807);
	put8(&m, 3);
	put8(&m, 0xff);
	put8(&m, 0);
	put16le(&m, 0);
	put16le(&m, 0);
	put8(&d, 0); /* pad to even: header 32 + 1 + 6 + 2 = 41 */
	put_utf16(&d, "Windows 5.1");
	put_utf16(&d, "Windows 2000 LAN Manager");
	put_utf16(&d, "WORKGROUP");
	put16le(&m, (uint16_t)d.n);
	put(&m, d.b, d.n);
	nbss(&smb1_ssx_xp, &m);

	/* SMB2 Negotiate response, dialect 3.1.1 */
	m.n = 0;
	puts_(&m, "\xfeSMB");
	put16le(&m, 64);
	put16le(&m, 0);
	put32(&m, 0);
	put16le(&m, 0); /* NEGOTIATE */
	put16le(&m, 1);
	put32(&m, 0x01000000); /* flags LE: SERVER_TO_REDIR */
	for (int i = 0; i < 44; i++)
		put8(&m, 0);
	put16le(&m, 65);
	put16le(&m, 1);
	put16le(&m, 0x0311);
	for (int i = 0; i < 58; i++)
		put8(&m, 0);
	nbss(&smb2_neg_rsp, &m);

	smb_bad_magic = smb1_neg_old;
	smb_bad_magic.b[7] = 'X';
}

static void build_dns(void)
{
	struct buf *b = &dns_q;
	b->n = 0;
	put16(b, 0x1234);
	put16(b, 0x0100);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put_name(b, "www.example.com");
	put16(b, 1);
	put16(b, 1);

	dns_q_tcp.n = 0;
	put16(&dns_q_tcp, (uint16_t)dns_q.n);
	put(&dns_q_tcp, dns_q.b, dns_q.n);

	dns_rsp = dns_q;
	dns_rsp.b[2] = 0x81;
	dns_rsp.b[3] = 0x80;
	dns_rsp.b[7] = 1;
	put16(&dns_rsp, 0xc00c);
	put16(&dns_rsp, 1);
	put16(&dns_rsp, 1);
	put32(&dns_rsp, 3600);
	put16(&dns_rsp, 4);
	put32(&dns_rsp, 0x5db8d822);

	/* the answer's name points at itself */
	dns_loop = dns_q;
	dns_loop.b[2] = 0x81;
	dns_loop.b[3] = 0x80;
	dns_loop.b[7] = 1;
	put16(&dns_loop, (uint16_t)(0xc000 | dns_q.n));
	put16(&dns_loop, 1);
	put16(&dns_loop, 1);
	put32(&dns_loop, 3600);
	put16(&dns_loop, 4);
	put32(&dns_loop, 0x0a000001);

	/* label 'a' then a pointer back to that label: a two-step loop */
	dns_loop2 = dns_q;
	dns_loop2.b[2] = 0x81;
	dns_loop2.b[3] = 0x80;
	dns_loop2.b[7] = 1;
	size_t at = dns_loop2.n;
	put8(&dns_loop2, 1);
	put8(&dns_loop2, 'a');
	put16(&dns_loop2, (uint16_t)(0xc000 | at));
	put16(&dns_loop2, 1);
	put16(&dns_loop2, 1);
	put32(&dns_loop2, 3600);
	put16(&dns_loop2, 4);
	put32(&dns_loop2, 0x0a000001);

	/* a compression pointer in the question of a query */
	b = &dns_qptr;
	b->n = 0;
	put16(b, 0x1234);
	put16(b, 0x0100);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0xc00c);
	put16(b, 1);
	put16(b, 1);

	/* a 64-byte label (0x40: an obsolete extended label type) */
	b = &dns_bad_label;
	b->n = 0;
	put16(b, 0x1234);
	put16(b, 0x0100);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put8(b, 64);
	for (int i = 0; i < 64; i++)
		put8(b, 'a');
	put8(b, 0);
	put16(b, 1);
	put16(b, 1);
}

static void build_mdns(void)
{
	/* Response: PTR _ipp._tcp.local -> "Office Printer._ipp._tcp.local",
	 * A brn001.local -> 192.168.1.50 (cache-flush class) */
	struct buf *b = &mdns_rsp;
	b->n = 0;
	put16(b, 0);
	put16(b, 0x8400);
	put16(b, 0);
	put16(b, 2);
	put16(b, 0);
	put16(b, 0);
	put_name(b, "_ipp._tcp.local"); /* at 12; "local" at 22 */
	put16(b, 12);
	put16(b, 1);
	put32(b, 4500);
	put16(b, 17);
	put8(b, 14);
	puts_(b, "Office Printer");
	put16(b, 0xc00c);
	put8(b, 6);
	puts_(b, "brn001");
	put16(b, 0xc016);
	put16(b, 1);
	put16(b, 0x8001);
	put32(b, 120);
	put16(b, 4);
	put32(b, 0xc0a80132);

	mdns_other_addr = mdns_rsp;
	mdns_other_addr.b[mdns_other_addr.n - 1] = 0x33; /* 192.168.1.51 */

	b = &mdns_q;
	b->n = 0;
	put16(b, 0);
	put16(b, 0);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put_name(b, "_ipp._tcp.local");
	put16(b, 12);
	put16(b, 0x8001); /* QU */

	mdns_loop = mdns_rsp;
	/* the A record's name pointer now points at itself */
	size_t at = 12 + 17 + 10 + 17 + 7;
	mdns_loop.b[at] = (uint8_t)(0xc0 | (at >> 8));
	mdns_loop.b[at + 1] = (uint8_t)at;
}

/* MNDP: header, sequence number, then type/length TLVs (big-endian). */
static void mndp_tlv(struct buf *b, uint16_t type, const void *v, size_t n)
{
	put16(b, type);
	put16(b, (uint16_t)n);
	put(b, v, n);
}
static void mndp_head(struct buf *b)
{
	put16(b, 0x0000); /* header */
	put16(b, 0x0042); /* sequence number */
}
static void build_mndp(void)
{
	static const uint8_t mac[6] = {0x4c, 0x5e, 0x0c, 0x11, 0x22, 0x33};
	static const uint8_t uptime[4] = {0x10, 0x0e, 0x00, 0x00}; /* 3600 s, little-endian */
	static const uint8_t unpack[1] = {0};
	static const uint8_t v4[4] = {192, 168, 88, 1};
	mndp_head(&mndp_full);
	mndp_tlv(&mndp_full, 1, mac, 6);
	mndp_tlv(&mndp_full, 5, "gw-plant-2", 10);
	mndp_tlv(&mndp_full, 7, "6.49.7 (stable)", 15);
	mndp_tlv(&mndp_full, 8, "MikroTik", 8);
	mndp_tlv(&mndp_full, 10, uptime, 4);
	mndp_tlv(&mndp_full, 11, "H792-MXJ3", 9);
	mndp_tlv(&mndp_full, 12, "RB951Ui-2HnD", 12);
	mndp_tlv(&mndp_full, 14, unpack, 1);
	mndp_tlv(&mndp_full, 16, "ether2", 6);
	mndp_tlv(&mndp_full, 17, v4, 4);
	/* the MAC alone: proof, no facts but none invented */
	mndp_head(&mndp_min);
	mndp_tlv(&mndp_min, 1, mac, 6);
	/* near misses */
	mndp_head(&mndp_req); /* the discovery request: no TLV */
	mndp_head(&mndp_no_mac);
	mndp_tlv(&mndp_no_mac, 5, "gw-plant-2", 10);
	mndp_tlv(&mndp_no_mac, 8, "MikroTik", 8);
	mndp_head(&mndp_mac_len);
	mndp_tlv(&mndp_mac_len, 1, mac, 5);
	mndp_head(&mndp_trailing); /* a valid TLV, then 3 stray bytes */
	mndp_tlv(&mndp_trailing, 1, mac, 6);
	put(&mndp_trailing, "\x00\x05\x00", 3);
	mndp_head(&mndp_type0);
	mndp_tlv(&mndp_type0, 1, mac, 6);
	mndp_tlv(&mndp_type0, 0, "x", 1);
	mndp_head(&mndp_tlv_past); /* identity claims more than is there */
	mndp_tlv(&mndp_tlv_past, 1, mac, 6);
	put16(&mndp_tlv_past, 5);
	put16(&mndp_tlv_past, 40);
	puts_(&mndp_tlv_past, "gw");
	mndp_head(&mndp_ipv4_len);
	mndp_tlv(&mndp_ipv4_len, 1, mac, 6);
	mndp_tlv(&mndp_ipv4_len, 17, v4, 3);
}

static void build_llmnr(void)
{
	struct buf *b = &llmnr_q;
	b->n = 0;
	put16(b, 0x5a5a);
	put16(b, 0);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put_name(b, "fileserv");
	put16(b, 1);
	put16(b, 1);

	llmnr_rsp = llmnr_q;
	llmnr_rsp.b[2] = 0x80;
	llmnr_rsp.b[7] = 1;
	put16(&llmnr_rsp, 0xc00c);
	put16(&llmnr_rsp, 1);
	put16(&llmnr_rsp, 1);
	put32(&llmnr_rsp, 30);
	put16(&llmnr_rsp, 4);
	put32(&llmnr_rsp, 0x0a00000a); /* 10.0.0.10 */

	llmnr_z = llmnr_q;
	llmnr_z.b[3] = 0x10;
}

static void build_nbns(void)
{
	/* Registration of "PLANT-HMI01<00>" by 10.0.0.10 (RFC 1002 4.2.2) */
	struct buf *b = &nbns_reg;
	b->n = 0;
	put16(b, 0x8001);
	put16(b, 0x2910);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 1);
	put_nbname(b, "PLANT-HMI01", 0x00);
	put16(b, 0x20);
	put16(b, 1);
	put16(b, 0xc00c);
	put16(b, 0x20);
	put16(b, 1);
	put32(b, 300000);
	put16(b, 6);
	put16(b, 0x0000);
	put32(b, 0x0a00000a);

	/* Query for another name */
	b = &nbns_q;
	b->n = 0;
	put16(b, 0x8002);
	put16(b, 0x0110);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put16(b, 0);
	put_nbname(b, "FILESRV", 0x20);
	put16(b, 0x20);
	put16(b, 1);

	/* Node status response: its own name table (RFC 1002 4.2.18) */
	b = &nbns_stat;
	b->n = 0;
	put16(b, 0x8003);
	put16(b, 0x8400);
	put16(b, 0);
	put16(b, 1);
	put16(b, 0);
	put16(b, 0);
	put_nbname(b, "*", 0x00);
	put16(b, 0x21);
	put16(b, 1);
	put32(b, 0);
	put16(b, 1 + 3 * 18 + 6);
	put8(b, 3);
	put(b, "WORKGROUP      \x00", 16);
	put16(b, 0x8400); /* group */
	put(b, "XP-HMI         \x00", 16);
	put16(b, 0x0400);
	put(b, "XP-HMI         \x20", 16);
	put16(b, 0x0400);
	put(b, "\x00\x90\xe8\x50\x00\x30", 6);

	nbns_badenc = nbns_q;
	nbns_badenc.b[13] = 'Z';
}

static void build_snmp(void)
{
	static const uint8_t sys_descr[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
	static const uint8_t sys_name[] = {0x2b, 6, 1, 2, 1, 1, 5, 0};
	struct buf vb = {.n = 0}, vbl = {.n = 0}, pdu = {.n = 0}, msg = {.n = 0}, t = {.n = 0};

	/* v2c GetRequest sysDescr.0, community public */
	ber_raw(&vb, 0x06, sys_descr, sizeof(sys_descr));
	ber_raw(&vb, 0x05, NULL, 0);
	ber(&vbl, 0x30, &vb);
	ber_raw(&pdu, 0x02, "\x12\x34\x56\x78", 4);
	ber_int(&pdu, 0);
	ber_int(&pdu, 0);
	ber(&pdu, 0x30, &vbl);
	ber_int(&msg, 1);
	ber_raw(&msg, 0x04, "public", 6);
	ber(&msg, 0xa0, &pdu);
	snmp_get.n = 0;
	ber(&snmp_get, 0x30, &msg);

	/* GetResponse: sysDescr.0 and sysName.0 of a Cisco switch */
	static const char descr[] =
	    "Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.0(2)SE11, "
	    "RELEASE SOFTWARE (fc3)";
	vb.n = vbl.n = pdu.n = msg.n = 0;
	ber_raw(&vb, 0x06, sys_descr, sizeof(sys_descr));
	ber_raw(&vb, 0x04, descr, strlen(descr));
	ber(&vbl, 0x30, &vb);
	vb.n = 0;
	ber_raw(&vb, 0x06, sys_name, sizeof(sys_name));
	ber_raw(&vb, 0x04, "core-sw1", 8);
	ber(&vbl, 0x30, &vb);
	ber_raw(&pdu, 0x02, "\x12\x34\x56\x78", 4);
	ber_int(&pdu, 0);
	ber_int(&pdu, 0);
	ber(&pdu, 0x30, &vbl);
	ber_int(&msg, 1);
	ber_raw(&msg, 0x04, "public", 6);
	ber(&msg, 0xa2, &pdu);
	snmp_rsp.n = 0;
	ber(&snmp_rsp, 0x30, &msg);

	/* the same request with a real secret as community */
	vb.n = vbl.n = pdu.n = msg.n = 0;
	ber_raw(&vb, 0x06, sys_descr, sizeof(sys_descr));
	ber_raw(&vb, 0x05, NULL, 0);
	ber(&vbl, 0x30, &vb);
	ber_raw(&pdu, 0x02, "\x01", 1);
	ber_int(&pdu, 0);
	ber_int(&pdu, 0);
	ber(&pdu, 0x30, &vbl);
	ber_int(&msg, 0);
	ber_raw(&msg, 0x04, "s3cr3tCommunity!", 16);
	ber(&msg, 0xa1, &pdu);
	snmp_secret.n = 0;
	ber(&snmp_secret, 0x30, &msg);

	/* v3 discovery request (RFC 3414 4): noAuthNoPriv, USM, empty engine */
	struct buf g = {.n = 0}, usm = {.n = 0}, sp = {.n = 0}, scoped = {.n = 0};
	msg.n = 0;
	ber_raw(&g, 0x02, "\x4a\x69", 2);
	ber_raw(&g, 0x02, "\x00\xff\xe3", 3);
	ber_raw(&g, 0x04, "\x04", 1);
	ber_int(&g, 3);
	ber_raw(&usm, 0x04, NULL, 0);
	ber_int(&usm, 0);
	ber_int(&usm, 0);
	ber_raw(&usm, 0x04, NULL, 0);
	ber_raw(&usm, 0x04, NULL, 0);
	ber_raw(&usm, 0x04, NULL, 0);
	ber(&sp, 0x30, &usm);
	ber_raw(&scoped, 0x04, NULL, 0);
	ber_raw(&scoped, 0x04, NULL, 0);
	pdu.n = 0;
	ber_raw(&pdu, 0x02, "\x01", 1);
	ber_int(&pdu, 0);
	ber_int(&pdu, 0);
	t.n = 0;
	ber(&pdu, 0x30, &t);
	ber(&scoped, 0xa0, &pdu);
	ber_int(&msg, 3);
	ber(&msg, 0x30, &g);
	ber(&msg, 0x04, &sp);
	ber(&msg, 0x30, &scoped);
	snmp_v3.n = 0;
	ber(&snmp_v3, 0x30, &msg);

	snmp_past_end = snmp_get;
	snmp_past_end.b[1] = 0x7f; /* outer length beyond the datagram */
	snmp_indef = snmp_get;
	snmp_indef.b[1] = 0x80; /* indefinite length */
}

/* From /work/shared/pcaps/discovery/ntp.pcap (tshark -x): a client
 * request with a MAC, and the server's RATE/STEP kiss-o'-death. */
static const uint8_t ntp_client[] = {
    0x23, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa4, 0xb3, 0x9c, 0xd1, 0x01,
    0xfb, 0x24, 0xbf, 0x00, 0x00, 0x00, 0x08, 0x57, 0xea, 0x53, 0x0f, 0x6d, 0x74, 0x35, 0x0c,
    0xc5, 0x28, 0x6b, 0xfe, 0xc1, 0xab, 0x8c, 0xa7, 0x47, 0xc7, 0x35, 0x84};
static const uint8_t ntp_kod[] = {0xe4, 0x00, 0x03, 0xe9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x5a, 0x53, 0x54, 0x45, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0xa4, 0xb3, 0x9c, 0xd1, 0x01, 0xfb, 0x24, 0xbf, 0xdc,
                                  0xf2, 0x5a, 0x39, 0x84, 0x19, 0x91, 0x19, 0xdc, 0xf2, 0x5a, 0x39,
                                  0x84, 0x1d, 0x6d, 0xc5, 0x00, 0x00, 0x00, 0x00};
/* A stratum-2 server reply, by hand (RFC 5905 7.3). */
static const uint8_t ntp_server[48] = {
    0x24, 0x02, 0x06, 0xe9, 0x00, 0x00, 0x01, 0x20, 0x00, 0x00, 0x02, 0x10, 0xc0, 0xa8, 0x64, 0x01,
    0xe9, 0x1c, 0x3a, 0x10, 0,    0,    0,    0,    0xe9, 0x1c, 0x3a, 0x20, 0,    0,    0,    0,
    0xe9, 0x1c, 0x3a, 0x21, 0,    0,    0,    0,    0xe9, 0x1c, 0x3a, 0x21, 0x10, 0,    0,    0};

static const uint8_t telnet_srv[] = {0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20,
                                     0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27};
static const uint8_t telnet_cli[] = {0xff, 0xfb, 0x18, 0xff, 0xfa, 0x18, 0x00,
                                     'x',  't',  'e',  'r',  'm',  0xff, 0xf0};
static const uint8_t telnet_bad[] = {0xff, 0xfd, 0x99}; /* no such option */
static const uint8_t rdp_cr[] = {0x03, 0x00, 0x00, 0x2b, 0x26, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00,
                                 'C',  'o',  'o',  'k',  'i',  'e',  ':',  ' ',  'm',  's',  't',
                                 's',  'h',  'a',  's',  'h',  '=',  'a',  'd',  'm',  'i',  'n',
                                 '\r', '\n', 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00};
static const uint8_t rdp_cc[] = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                                 0x00, 0x02, 0x1f, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00};
/* S7comm's COTP Connection Request: TPKT/X.224 like RDP, not RDP */
static const uint8_t s7_cr[] = {0x03, 0x00, 0x00, 0x16, 0x11, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00,
                                0xc0, 0x01, 0x0a, 0xc1, 0x02, 0x01, 0x00, 0xc2, 0x02, 0x01, 0x02};
static const uint8_t junk_http[] = {0x01, 0x02, 0x03, 'G', 'E', 'T', ' ', '/',  ' ', 'H',
                                    'T',  'T',  'P',  '/', '1', '.', '1', '\r', '\n'};
static const uint8_t nbss_keepalive[] = {0x85, 0x00, 0x00, 0x00};

static struct tcase cases[160];
static size_t n_cases;

static void add(const char *name, struct frame fr, const uint8_t *d, size_t n,
                enum ident_proto want, enum ident_proto not )
{
	ck_assert_uint_lt(n_cases, sizeof(cases) / sizeof(cases[0]));
	cases[n_cases++] = (struct tcase){name, fr, d, n, want, not };
}
static void add_ok(const char *name, struct frame fr, const uint8_t *d, size_t n,
                   enum ident_proto p)
{
	add(name, fr, d, n, p, ID_NONE);
}
static void add_no(const char *name, struct frame fr, const uint8_t *d, size_t n,
                   enum ident_proto p)
{
	add(name, fr, d, n, ID_NONE, p);
}
/* (data, length, protocol) may come from TXT() or B(): variadic */
#define OK(name, fr, ...) add_ok(name, (struct frame)fr, __VA_ARGS__)
#define NO(name, fr, ...) add_no(name, (struct frame)fr, __VA_ARGS__)
#define B(x)              (x).b, (x).n

static void build(void)
{
	if (n_cases)
		return;
	build_tls();
	build_smb();
	build_dns();
	build_mdns();
	build_llmnr();
	build_nbns();
	build_mndp();
	/* mndp */
	OK("mndp announcement", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_full),
	   ID_MNDP);
	OK("mndp mac only", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_min),
	   ID_MNDP);
	OK("mndp odd port", UDP("192.168.88.1", "192.168.88.20", 40000, 40001), B(mndp_full),
	   ID_MNDP);
	NO("mndp request", UDP("192.168.88.20", "255.255.255.255", 5678, 5678), B(mndp_req),
	   ID_MNDP);
	NO("mndp no mac", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_no_mac),
	   ID_MNDP);
	NO("mndp short mac", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_mac_len),
	   ID_MNDP);
	NO("mndp trailing bytes", UDP("192.168.88.1", "255.255.255.255", 5678, 5678),
	   B(mndp_trailing), ID_MNDP);
	NO("mndp type 0", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_type0),
	   ID_MNDP);
	NO("mndp tlv past end", UDP("192.168.88.1", "255.255.255.255", 5678, 5678),
	   B(mndp_tlv_past), ID_MNDP);
	NO("mndp ipv4 length", UDP("192.168.88.1", "255.255.255.255", 5678, 5678), B(mndp_ipv4_len),
	   ID_MNDP);
	build_snmp();

	/* http */
	OK("http GET", TCP_C(40000, 80),
	   TXT("GET /index.html HTTP/1.1\r\nHost: intranet.example\r\nUser-Agent: Mozilla/5.0 "
	       "(Windows NT 5.1; rv:52.0) Gecko/20100101 Firefox/52.0\r\n\r\n"),
	   ID_HTTP);
	OK("http POST odd port", TCP_C(40000, 8123), TXT("POST /api HTTP/1.0\r\n\r\n"), ID_HTTP);
	OK("http IIS 6", TCP_S(80, 40000),
	   TXT("HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/6.0\r\nContent-Length: 0\r\n\r\n"),
	   ID_HTTP);
	OK("http camera", TCP_S(80, 40000),
	   TXT("HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\n\r\n"), ID_HTTP);
	NO("http in junk", TCP_C(40000, 80), junk_http, sizeof(junk_http), ID_HTTP);
	NO("http bad method", TCP_C(40000, 80), TXT("FETCH / HTTP/1.1\r\n\r\n"), ID_HTTP);
	NO("http no line end", TCP_C(40000, 80), TXT("GET / HTTP/1.1"), ID_HTTP);
	NO("http bad status", TCP_S(80, 40000), TXT("HTTP/1.1 2000 OK\r\n\r\n"), ID_HTTP);
	NO("http version 2", TCP_C(40000, 80), TXT("GET / HTTP/2.0\r\n\r\n"), ID_HTTP);

	/* tls */
	OK("tls ClientHello SNI", TCP_C(40000, 443), B(tls_ch), ID_TLS);
	OK("tls ServerHello 1.0", TCP_S(443, 40000), B(tls_sh10), ID_TLS);
	OK("tls app data chain", TCP_S(8443, 40000),
	   (const uint8_t *)"\x17\x03\x03\x00\x02\xab\xcd\x17\x03\x03\x00\x01\xef", 13, ID_TLS);
	NO("tls session id 200", TCP_C(40000, 443), B(tls_bad_sid), ID_TLS);
	NO("tls short record chain", TCP_S(443, 40000),
	   (const uint8_t *)"\x17\x03\x03\x00\x05\xab\xcd", 7, ID_TLS);
	NO("tls version 0x0305", TCP_C(40000, 443), (const uint8_t *)"\x16\x03\x05\x00\x02\x01\x00",
	   7, ID_TLS);

	/* ssh */
	OK("ssh debian", TCP_S(22, 40000), TXT("SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u3\r\n"),
	   ID_SSH);
	OK("ssh client", TCP_C(62146, 22), TXT("SSH-2.0-OpenSSH_7.8\r\n"), ID_SSH);
	OK("ssh 1.99 old", TCP_S(22, 40000), TXT("SSH-1.99-OpenSSH_3.9p1\r\n"), ID_SSH);
	OK("ssh dropbear", TCP_S(2222, 40000), TXT("SSH-2.0-dropbear_2019.78\r\n"), ID_SSH);
	OK("ssh cisco", TCP_S(22, 40000), TXT("SSH-2.0-Cisco-1.25\r\n"), ID_SSH);
	NO("ssh no SSH-", TCP_S(22, 40000), TXT("OpenSSH_7.4p1 Debian-10+deb9u3\r\n"), ID_SSH);
	NO("ssh 3.0", TCP_S(22, 40000), TXT("SSH-3.0-foo\r\n"), ID_SSH);
	NO("ssh empty software", TCP_S(22, 40000), TXT("SSH-2.0-\r\n"), ID_SSH);
	NO("ssh client junk line", TCP_C(40000, 22), TXT("hello\r\nSSH-2.0-x\r\n"), ID_SSH);

	/* telnet */
	OK("telnet server DO", TCP_S(23, 40000), telnet_srv, sizeof(telnet_srv), ID_TELNET);
	OK("telnet client SB", TCP_C(40000, 23), telnet_cli, sizeof(telnet_cli), ID_TELNET);
	NO("telnet login text", TCP_S(23, 40000), TXT("login: "), ID_TELNET);
	NO("telnet bad option", TCP_S(23, 40000), telnet_bad, sizeof(telnet_bad), ID_TELNET);
	NO("telnet lone IAC", TCP_S(23, 40000), (const uint8_t *)"\xff\xfd", 2, ID_TELNET);

	/* ftp */
	OK("ftp vsftpd", TCP_S(21, 40000), TXT("220 (vsFTPd 3.0.3)\r\n"), ID_FTP);
	OK("ftp microsoft odd port", TCP_S(2121, 40000), TXT("220 Microsoft FTP Service\r\n"),
	   ID_FTP);
	OK("ftp USER", TCP_C(40000, 21), TXT("USER anonymous\r\n"), ID_FTP);
	OK("ftp SYST odd port", TCP_C(40000, 5000), TXT("SYST\r\n"), ID_FTP);
	NO("ftp smtp greeting", TCP_S(25, 40000), TXT("220 mail.example.com ESMTP Postfix\r\n"),
	   ID_FTP);
	NO("ftp 220 elsewhere", TCP_S(25, 40000), TXT("220 ready\r\n"), ID_FTP);
	NO("ftp pop3 USER", TCP_C(40000, 110), TXT("USER bob\r\n"), ID_FTP);

	/* smb */
	OK("smb1 negotiate old", TCP_C(40000, 445), B(smb1_neg_old), ID_SMB);
	OK("smb1 negotiate new", TCP_C(40000, 139), B(smb1_neg_new), ID_SMB);
	OK("smb1 negotiate rsp", TCP_S(445, 40000), B(smb1_neg_rsp), ID_SMB);
	OK("smb1 session setup XP", TCP_S(445, 40000), B(smb1_ssx_xp), ID_SMB);
	OK("smb2 negotiate rsp", TCP_S(445, 40000), B(smb2_neg_rsp), ID_SMB);
	NO("smb bad magic", TCP_C(40000, 445), B(smb_bad_magic), ID_SMB);
	NO("smb keepalive", TCP_C(40000, 139), nbss_keepalive, sizeof(nbss_keepalive), ID_SMB);
	NO("smb length short", TCP_C(40000, 445),
	   (const uint8_t *)"\x00\x00\x00\x04\xfeSMB\x00\x00", 10, ID_SMB);

	/* rdp */
	OK("rdp CR cookie", TCP_C(40000, 3389), rdp_cr, sizeof(rdp_cr), ID_RDP);
	OK("rdp CC", TCP_S(3389, 40000), rdp_cc, sizeof(rdp_cc), ID_RDP);
	NO("rdp s7 COTP CR", TCP_C(40000, 102), s7_cr, sizeof(s7_cr), ID_RDP);
	NO("rdp s7 COTP CR on 3389", TCP_C(40000, 3389), s7_cr, sizeof(s7_cr), ID_RDP);

	/* vnc */
	OK("vnc server", TCP_S(5900, 40000), TXT("RFB 003.008\n"), ID_VNC);
	OK("vnc client", TCP_C(40000, 5901), TXT("RFB 003.007\n"), ID_VNC);
	NO("vnc 13 bytes", TCP_S(5900, 40000), TXT("RFB 003.008\n\n"), ID_VNC);
	NO("vnc short form", TCP_S(5900, 40000), TXT("RFB 3.8\n"), ID_VNC);
	NO("vnc letter", TCP_S(5900, 40000), TXT("RFB 003.00x\n"), ID_VNC);

	/* dns */
	OK("dns query", UDP("10.0.0.10", "10.0.0.1", 40000, 53), B(dns_q), ID_DNS);
	OK("dns query tcp", TCP_C(40000, 53), B(dns_q_tcp), ID_DNS);
	OK("dns response", UDP("10.0.0.1", "10.0.0.10", 53, 40000), B(dns_rsp), ID_DNS);
	NO("dns pointer loop", UDP("10.0.0.1", "10.0.0.10", 53, 40000), B(dns_loop), ID_DNS);
	NO("dns pointer loop 2", UDP("10.0.0.1", "10.0.0.10", 53, 40000), B(dns_loop2), ID_DNS);
	NO("dns pointer in question", UDP("10.0.0.10", "10.0.0.1", 40000, 53), B(dns_qptr), ID_DNS);
	NO("dns label 64", UDP("10.0.0.10", "10.0.0.1", 40000, 53), B(dns_bad_label), ID_DNS);
	NO("dns trailing junk", UDP("10.0.0.10", "10.0.0.1", 40000, 53),
	   (const uint8_t *)"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01x\x00\x00\x01"
	                    "\x00\x01\xde\xad",
	   21, ID_DNS);

	/* mdns */
	OK("mdns response", UDP("192.168.1.50", "224.0.0.251", 5353, 5353), B(mdns_rsp), ID_MDNS);
	OK("mdns query", UDP("192.168.1.60", "224.0.0.251", 5353, 5353), B(mdns_q), ID_MDNS);
	OK("mdns v6 other addr", UDP("fe80::1", "ff02::fb", 5353, 5353), B(mdns_other_addr),
	   ID_MDNS);
	NO("mdns pointer loop", UDP("192.168.1.50", "224.0.0.251", 5353, 5353), B(mdns_loop),
	   ID_MDNS);
	NO("mdns off port", UDP("192.168.1.50", "192.168.1.1", 40000, 40001), B(mdns_rsp), ID_MDNS);

	/* llmnr */
	OK("llmnr query", UDP("10.0.0.20", "224.0.0.252", 50000, 5355), B(llmnr_q), ID_LLMNR);
	OK("llmnr response", UDP("10.0.0.10", "10.0.0.20", 5355, 50000), B(llmnr_rsp), ID_LLMNR);
	NO("llmnr Z bits", UDP("10.0.0.20", "224.0.0.252", 50000, 5355), B(llmnr_z), ID_LLMNR);
	NO("llmnr off port", UDP("10.0.0.20", "10.0.0.1", 50000, 53), B(llmnr_q), ID_LLMNR);

	/* nbns */
	OK("nbns registration", UDP("10.0.0.10", "10.0.0.255", 137, 137), B(nbns_reg), ID_NBNS);
	OK("nbns query", UDP("10.0.0.20", "10.0.0.255", 137, 137), B(nbns_q), ID_NBNS);
	OK("nbns node status", UDP("10.0.0.30", "10.0.0.20", 137, 40000), B(nbns_stat), ID_NBNS);
	NO("nbns bad encoding", UDP("10.0.0.20", "10.0.0.255", 137, 137), B(nbns_badenc), ID_NBNS);

	/* snmp */
	OK("snmp get public", UDP("10.0.0.5", "10.0.0.1", 40000, 161), B(snmp_get), ID_SNMP);
	OK("snmp response", UDP("10.0.0.1", "10.0.0.5", 161, 40000), B(snmp_rsp), ID_SNMP);
	OK("snmp secret", UDP("10.0.0.5", "10.0.0.1", 40000, 161), B(snmp_secret), ID_SNMP);
	OK("snmp v3", UDP("10.0.0.5", "10.0.0.1", 40000, 161), B(snmp_v3), ID_SNMP);
	NO("snmp length past end", UDP("10.0.0.5", "10.0.0.1", 40000, 161), B(snmp_past_end),
	   ID_SNMP);
	NO("snmp indefinite", UDP("10.0.0.5", "10.0.0.1", 40000, 161), B(snmp_indef), ID_SNMP);

	/* ntp */
	OK("ntp client", UDP("192.168.100.2", "192.168.100.1", 58054, 123), ntp_client,
	   sizeof(ntp_client), ID_NTP);
	OK("ntp kod", UDP("192.168.100.1", "192.168.100.2", 123, 58054), ntp_kod, sizeof(ntp_kod),
	   ID_NTP);
	OK("ntp server", UDP("192.168.100.1", "192.168.100.2", 123, 123), ntp_server,
	   sizeof(ntp_server), ID_NTP);
	NO("ntp off port", UDP("192.168.100.1", "192.168.100.2", 5000, 6000), ntp_server,
	   sizeof(ntp_server), ID_NTP);
	NO("ntp 47 bytes", UDP("192.168.100.1", "192.168.100.2", 123, 123), ntp_server, 47, ID_NTP);

	/* rtsp */
	OK("rtsp OPTIONS", TCP_C(40000, 554),
	   TXT("OPTIONS rtsp://192.168.1.64:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: "
	       "1\r\nUser-Agent: LibVLC/3.0.18\r\n\r\n"),
	   ID_RTSP);
	OK("rtsp reply", TCP_S(554, 40000),
	   TXT("RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: GStreamer RTSP server\r\n\r\n"), ID_RTSP);
	NO("rtsp http target", TCP_C(40000, 554), TXT("OPTIONS * HTTP/1.1\r\n\r\n"), ID_RTSP);
	NO("rtsp version 1.1", TCP_C(40000, 554), TXT("PLAY rtsp://cam/ RTSP/1.1\r\n\r\n"),
	   ID_RTSP);

	/* ssdp */
	OK("ssdp notify", UDP("192.168.1.1", "239.255.255.250", 1900, 1900),
	   TXT("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: "
	       "max-age=1800\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\nSERVER: "
	       "Linux/3.14 UPnP/1.0 MiniUPnPd/2.0\r\nNT: "
	       "urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nUSN: "
	       "uuid:12345678-1234-1234-1234-123456789abc::urn:schemas-upnp-org:device:"
	       "InternetGatewayDevice:1\r\nNTS: ssdp:alive\r\n\r\n"),
	   ID_SSDP);
	OK("ssdp m-search", UDP("192.168.1.20", "239.255.255.250", 50000, 1900),
	   TXT("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "
	       "\"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"),
	   ID_SSDP);
	OK("ssdp camera reply", UDP("192.168.1.64", "192.168.1.20", 1900, 50000),
	   TXT("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=100\r\nST: "
	       "urn:schemas-upnp-org:device:NetworkCamera:1\r\nUSN: "
	       "uuid:cam-1::urn:schemas-upnp-org:device:NetworkCamera:1\r\n\r\n"),
	   ID_SSDP);
	NO("ssdp no MAN", UDP("192.168.1.20", "239.255.255.250", 50000, 1900),
	   TXT("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n"), ID_SSDP);
	NO("ssdp bare notify", UDP("192.168.1.1", "239.255.255.250", 1900, 1900),
	   TXT("NOTIFY * HTTP/1.1\r\n\r\n"), ID_SSDP);
}

static const struct tcase *find(const char *name)
{
	build();
	for (size_t i = 0; i < n_cases; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	ck_abort_msg("no case %s", name);
	return NULL;
}

/* Runs one named case and returns its facts. */
static struct ident_facts facts_of(const char *name)
{
	const struct tcase *t = find(name);
	struct ident_facts f;
	ck_assert_int_eq(run(&t->fr, t->data, t->len, &f), t->want);
	return f;
}

/* ---- table tests ---- */

START_TEST(valid_frames_match)
{
	build();
	ck_assert_uint_ge(n_cases, 90); /* the table really is there */
	for (size_t i = 0; i < n_cases; i++) {
		if (cases[i].want == ID_NONE)
			continue;
		struct ident_facts f;
		enum ident_proto got = run(&cases[i].fr, cases[i].data, cases[i].len, &f);
		ck_assert_msg(got == cases[i].want, "%s: got %s, want %s", cases[i].name,
		              got == ID_NONE ? "none" : ident_name(got), ident_name(cases[i].want));
	}
}
END_TEST

START_TEST(near_misses_do_not_match)
{
	build();
	for (size_t i = 0; i < n_cases; i++) {
		if (cases[i].want != ID_NONE)
			continue;
		struct ident_facts f;
		enum ident_proto got = run(&cases[i].fr, cases[i].data, cases[i].len, &f);
		ck_assert_msg(got != cases[i].not, "%s: matched %s", cases[i].name,
		              ident_name(cases[i].not ));
	}
}
END_TEST

/* Every prefix of every valid frame: no read past the end (ASan), and a
 * cut frame never turns into another protocol. */
START_TEST(truncated_prefixes)
{
	build();
	for (size_t i = 0; i < n_cases; i++) {
		if (cases[i].want == ID_NONE)
			continue;
		for (size_t n = 0; n < cases[i].len; n++) {
			struct ident_facts f;
			enum ident_proto got = run(&cases[i].fr, cases[i].data, n, &f);
			ck_assert_msg(got == ID_NONE || got == cases[i].want, "%s cut at %zu: %s",
			              cases[i].name, n, ident_name(got));
		}
	}
}
END_TEST

/* Random payloads on each protocol's own port are not that protocol. */
START_TEST(random_payload_on_port)
{
	static const struct {
		enum ident_proto id;
		struct frame fr;
	} ports[] = {
	    {ID_HTTP, TCP_C(40000, 80)},
	    {ID_TLS, TCP_C(40000, 443)},
	    {ID_SSH, TCP_S(22, 40000)},
	    {ID_TELNET, TCP_S(23, 40000)},
	    {ID_FTP, TCP_S(21, 40000)},
	    {ID_SMB, TCP_C(40000, 445)},
	    {ID_RDP, TCP_C(40000, 3389)},
	    {ID_VNC, TCP_S(5900, 40000)},
	    {ID_DNS, UDP("10.0.0.1", "10.0.0.2", 40000, 53)},
	    {ID_MDNS, UDP("10.0.0.1", "224.0.0.251", 5353, 5353)},
	    {ID_LLMNR, UDP("10.0.0.1", "224.0.0.252", 40000, 5355)},
	    {ID_NBNS, UDP("10.0.0.1", "10.0.0.255", 137, 137)},
	    {ID_SNMP, UDP("10.0.0.1", "10.0.0.2", 40000, 161)},
	    {ID_NTP, UDP("10.0.0.1", "10.0.0.2", 123, 123)},
	    {ID_RTSP, TCP_C(40000, 554)},
	    {ID_SSDP, UDP("10.0.0.1", "239.255.255.250", 40000, 1900)},
	    {ID_MNDP, UDP("10.0.0.1", "255.255.255.255", 5678, 5678)},
	};
	uint32_t seed = 12345;
	uint8_t data[300];
	for (size_t k = 0; k < sizeof(ports) / sizeof(ports[0]); k++) {
		for (int round = 0; round < 2000; round++) {
			size_t n = 1 + (size_t)(round % (int)sizeof(data));
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				data[i] = (uint8_t)(seed >> 16);
			}
			struct ident_facts f;
			enum ident_proto got = run(&ports[k].fr, data, n, &f);
			ck_assert_msg(got != ports[k].id, "random %zu bytes on %s's port matched",
			              n, ident_name(ports[k].id));
		}
	}
}
END_TEST

/* ---- facts ---- */

START_TEST(http_facts)
{
	struct ident_facts f = facts_of("http GET");
	ck_assert_str_eq(f.app_detail, "intranet.example");
	ck_assert_str_eq(f.os, "Windows XP");
	ck_assert_int_eq(f.os_weight, 30);
	ck_assert_str_eq(f.eol, "Windows XP (HTTP User-Agent)");

	f = facts_of("http IIS 6");
	ck_assert_str_eq(f.os, "Windows Server 2003");
	ck_assert_ptr_nonnull(strstr(f.eol, "2003"));
	ck_assert_str_eq(f.app_detail, "server Microsoft-IIS/6.0");

	f = facts_of("http camera");
	ck_assert_int_eq(f.cls, CLS_CAMERA);
	ck_assert_int_eq(f.cls_weight, 30);
}
END_TEST

START_TEST(tls_facts)
{
	struct ident_facts f = facts_of("tls ClientHello SNI");
	ck_assert_str_eq(f.app_detail, "plant-historian.example.com");
	ck_assert_str_eq(f.note, "");
	f = facts_of("tls ServerHello 1.0");
	ck_assert_str_eq(f.note, "tls: server negotiated TLS 1.0 (deprecated)");
}
END_TEST

START_TEST(ssh_facts)
{
	struct ident_facts f = facts_of("ssh debian");
	ck_assert_str_eq(f.os, "Debian Linux");
	ck_assert_int_eq(f.os_weight, 50);
	ck_assert_str_eq(f.app_detail, "OpenSSH_7.4p1");
	ck_assert_str_eq(f.eol, "");
	f = facts_of("ssh 1.99 old");
	ck_assert_str_eq(f.eol, "OpenSSH_3.9p1 (OpenSSH before 7.0)");
	f = facts_of("ssh dropbear");
	ck_assert_int_eq(f.cls, CLS_IOT);
	ck_assert_int_eq(f.os_weight, 20);
	f = facts_of("ssh cisco");
	ck_assert_int_eq(f.cls, CLS_ROUTER);
	ck_assert_int_eq(f.cls_weight, 30);
}
END_TEST

START_TEST(telnet_ftp_facts)
{
	struct ident_facts f = facts_of("telnet server DO");
	ck_assert_str_eq(f.note, "telnet: cleartext login");
	f = facts_of("telnet client SB");
	ck_assert_str_eq(f.note, "");
	f = facts_of("ftp vsftpd");
	ck_assert_str_eq(f.app_detail, "(vsFTPd 3.0.3)");
	ck_assert_str_eq(f.note, "ftp: cleartext login");
	f = facts_of("ftp microsoft odd port");
	ck_assert_str_eq(f.os, "Windows");
}
END_TEST

START_TEST(smb_facts)
{
	struct ident_facts f = facts_of("smb1 negotiate old");
	ck_assert_str_eq(f.eol, "SMB1 client (offers SMB1 dialects only)");
	f = facts_of("smb1 negotiate new");
	ck_assert_str_eq(f.eol, "");
	f = facts_of("smb1 negotiate rsp");
	ck_assert_str_eq(f.eol, "SMB1 server (accepted an SMB1 dialect)");
	f = facts_of("smb1 session setup XP");
	ck_assert_str_eq(f.os, "Windows XP");
	ck_assert_int_eq(f.os_weight, 90);
	ck_assert_str_eq(f.eol, "Windows XP (SMB Native OS)");
	f = facts_of("smb2 negotiate rsp");
	ck_assert_str_eq(f.app_detail, "SMB dialect 3.1.1");
	ck_assert_str_eq(f.eol, "");
}
END_TEST

START_TEST(rdp_vnc_facts)
{
	struct ident_facts f = facts_of("rdp CC");
	ck_assert_str_eq(f.os, "Windows");
	ck_assert_int_eq(f.os_weight, 30);
	f = facts_of("rdp CR cookie");
	ck_assert_ptr_null(strstr(f.app_detail, "admin")); /* no user names */
	f = facts_of("vnc server");
	ck_assert_str_eq(f.app_detail, "RFB 003.008 (server)");
}
END_TEST

START_TEST(mdns_facts)
{
	struct ident_facts f = facts_of("mdns response");
	ck_assert_str_eq(f.hostname, "brn001");
	ck_assert_int_eq(f.name_src, NAME_MDNS);
	ck_assert_int_eq(f.cls, CLS_PRINTER);
	ck_assert_int_eq(f.cls_weight, 60);
	ck_assert_str_eq(f.app_detail, "_ipp._tcp");
	/* an address that is not the sender's: a proxy, no host name */
	f = facts_of("mdns v6 other addr");
	ck_assert_str_eq(f.hostname, "");
	/* a query says what the sender looks for, not what it is */
	f = facts_of("mdns query");
	ck_assert_int_eq(f.cls, CLS_UNKNOWN);
	ck_assert_str_eq(f.hostname, "");
}
END_TEST

START_TEST(nbns_llmnr_facts)
{
	struct ident_facts f = facts_of("nbns registration");
	ck_assert_str_eq(f.hostname, "PLANT-HMI01");
	ck_assert_int_eq(f.name_src, NAME_NBNS);
	f = facts_of("nbns query");
	ck_assert_str_eq(f.hostname, "");
	f = facts_of("nbns node status");
	ck_assert_str_eq(f.hostname, "XP-HMI");
	ck_assert_str_eq(f.note, "nbns: file server service <20> registered");
	f = facts_of("llmnr response");
	ck_assert_str_eq(f.hostname, "");
	ck_assert_str_eq(f.app_detail, "llmnr name fileserv");
	f = facts_of("llmnr query");
	ck_assert_str_eq(f.app_detail, "");
}
END_TEST

START_TEST(snmp_facts)
{
	struct ident_facts f = facts_of("snmp get public");
	ck_assert_str_eq(f.note, "snmp community 'public' sent in clear");
	f = facts_of("snmp response");
	ck_assert_str_eq(f.vendor, "Cisco");
	ck_assert_str_eq(f.os, "Cisco IOS");
	ck_assert_str_eq(f.firmware, "15.0(2)SE11");
	ck_assert_int_eq(f.cls, CLS_SWITCH);
	ck_assert_str_eq(f.app_detail, "core-sw1");
	f = facts_of("snmp secret");
	ck_assert_str_eq(f.note, "snmp community 's3...' (16 chars) sent in clear");
	ck_assert_ptr_null(strstr(f.note, "cr3t"));
	f = facts_of("snmp v3");
	ck_assert_str_eq(f.note, "");
}
END_TEST

START_TEST(ntp_rtsp_ssdp_facts)
{
	struct ident_facts f = facts_of("ntp kod");
	ck_assert_str_eq(f.note, "ntp: kiss-o'-death 'STEP' (stratum 0)");
	f = facts_of("ntp server");
	ck_assert_str_eq(f.app_detail, "ntp server, stratum 2");
	f = facts_of("rtsp reply");
	ck_assert_int_eq(f.cls, CLS_CAMERA);
	ck_assert_int_eq(f.cls_weight, 50);
	ck_assert_str_eq(f.app_detail, "server GStreamer RTSP server");
	f = facts_of("rtsp OPTIONS");
	ck_assert_int_eq(f.cls, CLS_UNKNOWN);
	f = facts_of("ssdp notify");
	ck_assert_int_eq(f.cls, CLS_ROUTER);
	ck_assert_int_eq(f.cls_weight, 40);
	ck_assert_str_eq(f.os, "Linux");
	ck_assert_str_eq(f.app_detail, "uuid:12345678-1234-1234-1234-123456789abc");
	f = facts_of("ssdp camera reply");
	ck_assert_int_eq(f.cls, CLS_CAMERA);
	f = facts_of("ssdp m-search");
	ck_assert_int_eq(f.cls, CLS_UNKNOWN);
}
END_TEST

/* MNDP: identity, platform, board and version as LLDP and CDP give
 * them; every cut of the announcement is either not MNDP or MNDP with no
 * more than the TLVs before the cut (the walk ends at a TLV boundary). */
START_TEST(mndp_facts)
{
	/* one line of the list gave it a name, a port and a service */
	ck_assert_str_eq(ident_name(ID_MNDP), "mndp");
	ck_assert_int_eq(ident_by_name("mndp"), ID_MNDP);
	ck_assert_int_eq(ident_guess_port(17, 5678), ID_MNDP);
	ck_assert_int_eq(ident_guess_port(6, 5678), ID_NONE);
	/* the try order of the old table: EtherNet/IP before SSH on 2222 */
	ck_assert_int_eq(ident_guess_port(6, 2222), ID_ENIP);
	struct ident_facts f = facts_of("mndp announcement");
	ck_assert_str_eq(f.hostname, "gw-plant-2");
	ck_assert_int_eq(f.name_src, NAME_CDP);
	ck_assert_str_eq(f.vendor, "MikroTik");
	ck_assert_str_eq(f.model, "RB951Ui-2HnD");
	ck_assert_str_eq(f.firmware, "6.49.7 (stable)");
	ck_assert_str_eq(f.app_detail, "mgmt 192.168.88.1");
	ck_assert_int_eq(f.cls, CLS_UNKNOWN);
	f = facts_of("mndp mac only");
	ck_assert(!ident_facts_any(&f));
	ck_assert_str_eq(f.app_detail, "");

	const struct tcase *t = find("mndp announcement");
	size_t ends[16], n_ends = 0; /* where each TLV ends */
	for (size_t o = 4; o < t->len && n_ends < 16;) {
		o += 4 + (((size_t)t->data[o + 2] << 8) | t->data[o + 3]);
		ends[n_ends++] = o;
	}
	ck_assert_uint_eq(n_ends, 10);
	ck_assert_uint_eq(ends[n_ends - 1], t->len);
	for (size_t n = 0; n < t->len; n++) {
		int boundary = 0;
		for (size_t k = 0; k < n_ends; k++)
			boundary |= ends[k] == n;
		enum ident_proto got = run(&t->fr, t->data, n, &f);
		ck_assert_msg(got == (boundary ? ID_MNDP : ID_NONE), "cut at %zu: %s", n,
		              got == ID_NONE ? "none" : ident_name(got));
		if (got == ID_NONE)
			ck_assert_msg(!ident_facts_any(&f) && !f.app_detail[0],
			              "cut at %zu left facts", n);
	}
	/* cut just after the identity: the name, nothing from later TLVs */
	ck_assert_int_eq(run(&t->fr, t->data, ends[1], &f), ID_MNDP);
	ck_assert_str_eq(f.hostname, "gw-plant-2");
	ck_assert_str_eq(f.model, "");
	ck_assert_str_eq(f.firmware, "");
}
END_TEST

static struct ident_facts dhcp_facts(const uint8_t *prl, size_t n, const char *vc)
{
	uint8_t msg[600];
	pg_dhcp d = {
	    .msg_type = PG_DHCPDISCOVER, .xid = 1, .prl = prl, .prl_len = n, .vendor_class = vc};
	pg_mac("00:90:e8:50:00:30", d.chaddr);
	size_t len = pg_dhcp_build(msg, sizeof(msg), &d);
	ck_assert_uint_gt(len, 0);
	struct frame fr = UDP("0.0.0.0", "255.255.255.255", 68, 67);
	struct ident_facts f;
	ck_assert_int_eq(run(&fr, msg, len, &f), ID_DHCP);
	return f;
}

START_TEST(dhcp_fingerprints)
{
	static const uint8_t xp[] = {1, 15, 3, 6, 44, 46, 47, 31, 33, 249, 43};
	static const uint8_t win10[] = {1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252};
	static const uint8_t odd[] = {1, 3, 6, 15, 99};
	struct ident_facts f = dhcp_facts(xp, sizeof(xp), NULL);
	ck_assert_str_eq(f.os, "Windows XP");
	ck_assert_int_eq(f.os_weight, 40);
	ck_assert_str_eq(f.eol, "Windows XP (DHCP fingerprint)");
	/* the vendor class (weight 50) outranks the fingerprint; the EOL
	 * hint stays */
	f = dhcp_facts(xp, sizeof(xp), "MSFT 5.0");
	ck_assert_str_eq(f.os, "Windows");
	ck_assert_int_eq(f.os_weight, 50);
	ck_assert_str_eq(f.eol, "Windows XP (DHCP fingerprint)");
	f = dhcp_facts(win10, sizeof(win10), NULL);
	ck_assert_str_eq(f.os, "Windows 8/10/11");
	ck_assert_str_eq(f.eol, "");
	f = dhcp_facts(odd, sizeof(odd), NULL);
	ck_assert_str_eq(f.os, "");
}
END_TEST

/* ---- through the pipeline ---- */

#define PRN     "00:80:77:00:00:50"
#define XP      "00:90:e8:50:00:30"
#define PC      "00:1b:21:00:00:01"
#define MC_MDNS "01:00:5e:00:00:fb"

START_TEST(pipeline_mdns_printer)
{
	build();
	tp_udp4(PRN, MC_MDNS, "192.168.1.50", "224.0.0.251", 5353, 5353, mdns_rsp.b, mdns_rsp.n);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *h = tp_host_by_mac(PRN);
	ck_assert_ptr_nonnull(h);
	ck_assert(res_strv_has(&h->protocols, "mdns"));
	ck_assert_ptr_nonnull(h->hostname);
	ck_assert_str_eq(h->hostname, "brn001");
	ck_assert_ptr_nonnull(h->device_class);
	ck_assert_str_eq(h->device_class, "printer");
}
END_TEST

START_TEST(pipeline_smb1_xp_and_snmp)
{
	build();
	/* the XP host answers an SMB1 session setup: Native OS "Windows 5.1" */
	tp_tcp4(PC, XP, "10.0.0.20", "10.0.0.10", 40000, 445, PG_SYN, 0, NULL, 0);
	tp_tcp4(XP, PC, "10.0.0.10", "10.0.0.20", 445, 40000, PG_SYN | PG_ACK, 0, NULL, 0);
	tp_tcp4(PC, XP, "10.0.0.20", "10.0.0.10", 40000, 445, PG_ACK | PG_PSH, 0, smb1_neg_old.b,
	        smb1_neg_old.n);
	tp_tcp4(XP, PC, "10.0.0.10", "10.0.0.20", 445, 40000, PG_ACK | PG_PSH, 0, smb1_ssx_xp.b,
	        smb1_ssx_xp.n);
	/* a manager polls it with community public */
	tp_udp4(PC, XP, "10.0.0.20", "10.0.0.10", 40001, 161, snmp_get.b, snmp_get.n);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *xp = tp_host_by_mac(XP);
	ck_assert_ptr_nonnull(xp);
	ck_assert(res_strv_has(&xp->protocols, "smb"));
	ck_assert(res_strv_has(&xp->eol_hints, "Windows XP (SMB Native OS)"));
	ck_assert_ptr_nonnull(xp->os);
	ck_assert_str_eq(xp->os, "Windows XP");
	const struct res_host *pc = tp_host_by_mac(PC);
	ck_assert_ptr_nonnull(pc);
	ck_assert(res_strv_has(&pc->protocols, "snmp"));
	ck_assert(res_strv_has(&pc->notes, "snmp community 'public' sent in clear"));
	ck_assert(res_strv_has(&pc->eol_hints, "SMB1 client (offers SMB1 dialects only)"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ident_it");
	TCase *t = tcase_create("table");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, valid_frames_match);
	tcase_add_test(t, near_misses_do_not_match);
	tcase_add_test(t, truncated_prefixes);
	tcase_add_test(t, random_payload_on_port);
	suite_add_tcase(s, t);

	t = tcase_create("facts");
	tcase_add_test(t, http_facts);
	tcase_add_test(t, tls_facts);
	tcase_add_test(t, ssh_facts);
	tcase_add_test(t, telnet_ftp_facts);
	tcase_add_test(t, smb_facts);
	tcase_add_test(t, rdp_vnc_facts);
	tcase_add_test(t, mdns_facts);
	tcase_add_test(t, nbns_llmnr_facts);
	tcase_add_test(t, snmp_facts);
	tcase_add_test(t, ntp_rtsp_ssdp_facts);
	tcase_add_test(t, mndp_facts);
	tcase_add_test(t, dhcp_fingerprints);
	suite_add_tcase(s, t);

	t = tcase_create("pipeline");
	tcase_add_checked_fixture(t, tp_setup, tp_teardown);
	tcase_add_test(t, pipeline_mdns_printer);
	tcase_add_test(t, pipeline_smb1_xp_and_snmp);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	ident_init(); /* the dispatch tables, once, before any test */
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
