/*
 * scanner/probe-frame.c - the bytes of each probe frame, built with libnet
 * in a LIBNET_NONE context (construction only: no device, no privilege),
 * and the SYN cookie that lets a reply be matched without state.
 *
 * ARP: Ethernet broadcast, "who-has TARGET tell OURS", 42 bytes (the NIC
 * pads to the 60-byte minimum). TCP: Ethernet to the host's MAC, IPv4 (TTL
 * 64, no options, DF clear, id from the cookie), TCP SYN with one option,
 * MSS 1460, window 1024, 58 bytes. The source port (61000-61999) and the
 * sequence number are SipHash-2-4 of (our address, target, port) under a
 * key drawn at start: a SYN-ACK or RST must come back to that port and
 * acknowledge that number plus one (masscan's and zmap's stateless match).
 */
#include <libnet.h>
#include <string.h>

#include "scanner/probe-internal.h"

/* ---- SipHash-2-4 (Aumasson, Bernstein), 64-bit output ---- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = ROTL(v1, 13);                                                                 \
		v1 ^= v0;                                                                          \
		v0 = ROTL(v0, 32);                                                                 \
		v2 += v3;                                                                          \
		v3 = ROTL(v3, 16);                                                                 \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = ROTL(v3, 21);                                                                 \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = ROTL(v1, 17);                                                                 \
		v1 ^= v2;                                                                          \
		v2 = ROTL(v2, 32);                                                                 \
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | (uint64_t)p[i];
	return v;
}

static uint64_t siphash24(const uint8_t key[16], const uint8_t *in, size_t n)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	size_t full = n - n % 8;
	for (size_t i = 0; i < full; i += 8) {
		uint64_t m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)n << 56;
	for (size_t i = 0; i < n % 8; i++)
		b |= (uint64_t)in[full + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t probe_cookie(const uint8_t key[16], uint32_t src_ip, uint32_t dst_ip, uint16_t dport)
{
	uint8_t in[10] = {(uint8_t)(src_ip >> 24), (uint8_t)(src_ip >> 16), (uint8_t)(src_ip >> 8),
	                  (uint8_t)src_ip,         (uint8_t)(dst_ip >> 24), (uint8_t)(dst_ip >> 16),
	                  (uint8_t)(dst_ip >> 8),  (uint8_t)dst_ip,         (uint8_t)(dport >> 8),
	                  (uint8_t)dport};
	return siphash24(key, in, sizeof(in));
}

/* ---- frames ---- */

static void be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* Assembles the packet built in l (checksums included) into out. */
static size_t finish(libnet_t *l, uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz)
{
	uint8_t *pkt = NULL;
	uint32_t len = 0;
	size_t rc = 0;
	if (libnet_pblock_coalesce(l, &pkt, &len) < 0) {
		snprintf(err, errsz, "libnet: %s", libnet_geterror(l));
	} else if (len > PROBE_FRAME_MAX) {
		snprintf(err, errsz, "probe frame of %u bytes", len);
	} else {
		memcpy(out, pkt, len);
		rc = len;
	}
	free(pkt); /* LIBNET_NONE: no alignment offset to undo */
	libnet_clear_packet(l);
	return rc;
}

size_t probe_frame_arp_l(void *vl, const ss_mac *src_mac, uint32_t src_ip, uint32_t dst_ip,
                         uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz)
{
	libnet_t *l = vl;
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t zero[6] = {0};
	uint8_t spa[4], tpa[4];
	be32(spa, src_ip);
	be32(tpa, dst_ip);
	if (libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, ARPOP_REQUEST, src_mac->b, spa, zero,
	                     tpa, NULL, 0, l, 0) < 0 ||
	    libnet_build_ethernet(bcast, src_mac->b, ETHERTYPE_ARP, NULL, 0, l, 0) < 0) {
		snprintf(err, errsz, "libnet: %s", libnet_geterror(l));
		libnet_clear_packet(l);
		return 0;
	}
	return finish(l, out, err, errsz);
}

size_t probe_frame_syn_l(void *vl, const ss_mac *src_mac, const ss_mac *dst_mac, uint32_t src_ip,
                         uint32_t dst_ip, uint16_t sport, uint16_t dport, uint32_t seq,
                         uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz)
{
	libnet_t *l = vl;
	/* MSS 1460: what a real stack on Ethernet offers; a SYN without any
	 * option is the mark of a scanner some devices log or drop. */
	static const uint8_t mss[4] = {2, 4, 0x05, 0xb4};
	/* libnet builds inside out: options, TCP, IPv4, Ethernet. */
	if (libnet_build_tcp_options(mss, sizeof(mss), l, 0) < 0 ||
	    libnet_build_tcp(sport, dport, seq, 0, TH_SYN, 1024, 0, 0, LIBNET_TCP_H + sizeof(mss),
	                     NULL, 0, l, 0) < 0 ||
	    libnet_build_ipv4(LIBNET_IPV4_H + LIBNET_TCP_H + sizeof(mss), 0, (uint16_t)(seq >> 16),
	                      0, 64, IPPROTO_TCP, 0, htonl(src_ip), htonl(dst_ip), NULL, 0, l,
	                      0) < 0 ||
	    libnet_build_ethernet(dst_mac->b, src_mac->b, ETHERTYPE_IP, NULL, 0, l, 0) < 0) {
		snprintf(err, errsz, "libnet: %s", libnet_geterror(l));
		libnet_clear_packet(l);
		return 0;
	}
	return finish(l, out, err, errsz);
}

void *probe_frame_ctx_new(char *err, size_t errsz)
{
	char eb[LIBNET_ERRBUF_SIZE] = "";
	libnet_t *l = libnet_init(LIBNET_NONE, NULL, eb);
	if (!l)
		snprintf(err, errsz, "libnet_init: %s", eb);
	return l;
}

void probe_frame_ctx_free(void *l)
{
	if (l)
		libnet_destroy(l);
}

size_t probe_frame_arp(const ss_mac *src_mac, uint32_t src_ip, uint32_t dst_ip,
                       uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz)
{
	void *l = probe_frame_ctx_new(err, errsz);
	if (!l)
		return 0;
	size_t n = probe_frame_arp_l(l, src_mac, src_ip, dst_ip, out, err, errsz);
	probe_frame_ctx_free(l);
	return n;
}

size_t probe_frame_syn(const ss_mac *src_mac, const ss_mac *dst_mac, uint32_t src_ip,
                       uint32_t dst_ip, uint16_t sport, uint16_t dport, uint32_t seq,
                       uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz)
{
	void *l = probe_frame_ctx_new(err, errsz);
	if (!l)
		return 0;
	size_t n = probe_frame_syn_l(l, src_mac, dst_mac, src_ip, dst_ip, sport, dport, seq, out,
	                             err, errsz);
	probe_frame_ctx_free(l);
	return n;
}
