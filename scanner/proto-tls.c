/*
 * scanner/proto-tls.c - TLS and SSLv3 records (RFC 8446 5.1, RFC 5246 6.2,
 * RFC 6101), without decryption.
 *
 * Proof: a handshake record (content type 22, version 0x0300-0x0304)
 * holding a ClientHello or ServerHello whose fixed fields are consistent
 * (handshake length within the record, a legal version, session id <= 32,
 * an even, non-empty cipher suite list). A capture that starts mid-flow is
 * also proven by records (types 20-23) that chain exactly to the end of
 * the segment. Facts: the ClientHello's server_name (RFC 6066 3) as
 * app_detail; a server that negotiates SSLv3, TLS 1.0 or TLS 1.1
 * (deprecated by RFC 7568 and RFC 8996) gets a note.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define TLS_REC_MAX (16384 + 2048) /* RFC 5246 6.2.3: ciphertext limit */

static int legal_version(uint16_t v)
{
	return v >= 0x0300 && v <= 0x0304;
}

/* Walks the extensions block: SNI into app_detail, supported_versions
 * (a TLS 1.3 ServerHello's real version) into *ver. Stops quietly where
 * the segment ends: extensions are facts, not proof. */
static void extensions(struct cur *c, int server, uint16_t *ver, struct ident_facts *f)
{
	uint16_t total = cur_be16(c);
	if (c->truncated)
		return;
	struct cur e = *c;
	if (cur_left(&e) > total)
		e.end = e.pos + total;
	for (int guard = 0; guard < 64 && cur_left(&e) >= 4; guard++) {
		uint16_t type = cur_be16(&e);
		uint16_t len = cur_be16(&e);
		struct cur x = cur_sub(&e, len);
		if (x.truncated)
			return;
		if (type == 0x0000 && !server) { /* server_name */
			cur_skip(&x, 2);         /* server_name_list length */
			uint8_t nt = cur_u8(&x);
			uint16_t nl = cur_be16(&x);
			if (!x.truncated && nt == 0 && nl && nl <= cur_left(&x))
				ident_copy_str(f->app_detail, sizeof(f->app_detail), x.pos, nl);
		} else if (type == 0x002b && server && len == 2) { /* supported_versions */
			uint16_t v = cur_be16(&x);
			if (legal_version(v))
				*ver = v;
		}
	}
}

/* ClientHello (1) or ServerHello (2) body; returns 1 when consistent. */
static int hello(struct cur *h, int server, struct ident_facts *f)
{
	uint16_t ver = cur_be16(h);
	cur_skip(h, 32); /* random */
	uint8_t sid = cur_u8(h);
	cur_skip(h, sid);
	if (h->truncated || !legal_version(ver) || sid > 32)
		return 0;
	if (server) {
		cur_be16(h);              /* cipher_suite */
		uint8_t comp = cur_u8(h); /* compression_method: null or DEFLATE */
		if (h->truncated || (comp != 0 && comp != 1))
			return 0;
		if (cur_left(h))
			extensions(h, 1, &ver, f);
		static const char *const old[] = {"SSLv3", "TLS 1.0", "TLS 1.1"};
		if (ver <= 0x0302) {
			snprintf(f->note, sizeof(f->note), "tls: server negotiated %s (deprecated)",
			         old[ver - 0x0300]);
		}
		snprintf(f->app_detail, sizeof(f->app_detail), "TLS server, version 0x%04x",
		         (unsigned)ver);
		return 1;
	}
	uint16_t cs = cur_be16(h);
	if (h->truncated || cs < 2 || (cs & 1))
		return 0;
	/* The rest may lie in the next segment (large post-quantum key
	 * shares): what is here has been checked, the rest is facts. */
	if (!cur_skip(h, cs))
		return 1;
	uint8_t comp = cur_u8(h);
	if (h->truncated)
		return 1;
	if (comp < 1 || !cur_skip(h, comp))
		return comp >= 1;
	if (cur_left(h))
		extensions(h, 0, &ver, f);
	return 1;
}

/* Records of any type chaining exactly to the end of the data. */
static int record_chain(struct cur c)
{
	int n = 0;
	while (cur_left(&c)) {
		uint8_t type = cur_u8(&c);
		uint16_t ver = cur_be16(&c);
		uint16_t len = cur_be16(&c);
		if (c.truncated || type < 20 || type > 23 || ver < 0x0301 || ver > 0x0303 || !len ||
		    len > TLS_REC_MAX || !cur_skip(&c, len) || ++n > 64)
			return 0;
	}
	return n > 0;
}

int tls_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t type = cur_u8(&c);
	uint16_t ver = cur_be16(&c);
	uint16_t rlen = cur_be16(&c);
	if (c.truncated || !legal_version(ver) || !rlen || rlen > TLS_REC_MAX)
		return 0;
	if (type != 22)
		return record_chain(cur_make(in->data, in->len));
	struct cur r = c;
	if (cur_left(&r) > rlen)
		r.end = r.pos + rlen;
	uint8_t ht = cur_u8(&r);
	uint32_t hl = (uint32_t)cur_u8(&r) << 16;
	hl |= cur_be16(&r);
	if (r.truncated || hl < 38 || (ht != 1 && ht != 2))
		/* another handshake message (or an encrypted one) in whole records */
		return record_chain(cur_make(in->data, in->len));
	/* A hello may continue in the next record, but never past 2^24. */
	if (hl + 4 <= rlen && cur_left(&r) > hl)
		r.end = r.pos + hl;
	return hello(&r, ht == 2, f);
}
