/*
 * scanner/proto-opcua.c - OPC UA binary (UA TCP / UA Secure Conversation).
 *
 * Follows OPC 10000-6 (UA Part 6: Mappings) clause 7.1 (message header:
 * three-letter type, chunk type, little-endian message size; Hello,
 * Acknowledge, Error bodies) and 6.7 (secure conversation chunks OPN, MSG,
 * CLO carrying a secure channel id).
 *
 * Proof: a known message type with a chunk type allowed for it ('F' only
 * for HEL/ACK/ERR; 'F', 'C' or 'A' for MSG, OPN, CLO), and a size that
 * equals the segment, or - a chunk may span segments - a MSG/OPN/CLO whose
 * size is larger than the segment but within the protocol's limits. HEL and
 * ACK must carry protocol version 0 and the fixed body their size says;
 * several whole chunks in one segment are all checked.
 * Facts: the Hello names the endpoint URL the client asked for; the
 * answering server is an industrial device (often a PLC or a gateway).
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define UA_MAX_CHUNK (16u << 20) /* far above any configured buffer size */

/* One chunk: 1 valid, 0 invalid, -1 valid header but the chunk goes on
 * past the segment. */
static int ua_chunk(struct cur *c, struct ident_facts *f, int *hello)
{
	uint8_t t[3];
	cur_copy(c, t, 3);
	uint8_t ct = cur_u8(c);
	uint32_t size = cur_le32(c);
	if (c->truncated || size < 8 || size > UA_MAX_CHUNK)
		return 0;
	int fixed = 0; /* HEL, ACK, ERR: one final chunk, no channel id */
	if (!memcmp(t, "HEL", 3) || !memcmp(t, "ACK", 3) || !memcmp(t, "ERR", 3))
		fixed = 1;
	else if (memcmp(t, "MSG", 3) && memcmp(t, "OPN", 3) && memcmp(t, "CLO", 3))
		return 0;
	if (fixed ? ct != 'F' : !(ct == 'F' || ct == 'C' || ct == 'A'))
		return 0;
	size_t body = size - 8;
	if (cur_left(c) < body)
		return fixed ? 0 : (size >= 16 ? -1 : 0);
	struct cur b = cur_sub(c, body);
	if (!memcmp(t, "HEL", 3)) {
		uint32_t ver = cur_le32(&b);
		cur_skip(&b, 16); /* buffer sizes, max message size, max chunks */
		uint32_t ulen = cur_le32(&b);
		if (b.truncated || ver != 0)
			return 0;
		if (ulen == 0xffffffffu)
			return cur_left(&b) == 0;
		struct cur url = cur_sub(&b, ulen);
		if (b.truncated || cur_left(&b) != 0)
			return 0;
		ident_copy_str(f->app_detail, sizeof(f->app_detail), url.pos, ulen);
		*hello = 1;
	} else if (!memcmp(t, "ACK", 3)) {
		uint32_t ver = cur_le32(&b);
		if (size != 28 || ver != 0)
			return 0;
	} else if (!memcmp(t, "ERR", 3)) {
		cur_le32(&b); /* error code */
		uint32_t rlen = cur_le32(&b);
		if (b.truncated || (rlen != 0xffffffffu && rlen != cur_left(&b)))
			return 0;
	} else if (body < 4) {
		return 0; /* secure channel id missing */
	}
	return 1;
}

int opcua_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	int n = 0, hello = 0;
	for (int guard = 0; guard < 32 && cur_left(&c); guard++) {
		if (cur_left(&c) < 8) {
			if (n == 0)
				return 0;
			break; /* the next chunk starts in the next segment */
		}
		int r = ua_chunk(&c, f, &hello);
		if (r == 0)
			return 0;
		n++;
		if (r < 0)
			break;
	}
	if (n == 0)
		return 0;
	if (in->from_server == 1 && !hello) {
		f->cls = CLS_ICS;
		f->cls_weight = 20;
		snprintf(f->cls_why, sizeof(f->cls_why), "OPC UA server");
	}
	return 1;
}
