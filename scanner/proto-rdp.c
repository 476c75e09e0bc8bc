/*
 * scanner/proto-rdp.c - RDP connection setup: TPKT (RFC 1006) carrying an
 * X.224 Connection Request or Confirm (ISO 8073) with RDP's own payload
 * (MS-RDPBCGR 2.2.1.1 and 2.2.1.2).
 *
 * S7comm uses the same TPKT/COTP framing on port 102, so TPKT and X.224
 * alone prove nothing: the Connection Request must carry a routing cookie
 * "Cookie: mstshash=" (or "Cookie: msts=") or end in an RDP Negotiation
 * Request (type 0x01, length 8); the Confirm must end in a Negotiation
 * Response (0x02) or Failure (0x03). Facts: an RDP server is almost always
 * Windows (xrdp exists: weight 30); the requested and selected security
 * protocols go to app_detail. The cookie holds a user name: not reported.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

#define X224_CR 0xe0
#define X224_CC 0xd0

static const char *proto_name(uint32_t p)
{
	/* MS-RDPBCGR 2.2.1.1.1: PROTOCOL_SSL 1, HYBRID 2, RDSTLS 4, HYBRID_EX 8 */
	if (p & 0x8)
		return "CredSSP-EX";
	if (p & 0x2)
		return "CredSSP";
	if (p & 0x4)
		return "RDSTLS";
	if (p & 0x1)
		return "TLS";
	return "standard RDP security";
}

int rdp_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t ver = cur_u8(&c);
	uint8_t rsv = cur_u8(&c);
	uint16_t tlen = cur_be16(&c);
	uint8_t li = cur_u8(&c);
	uint8_t code = cur_u8(&c);
	if (c.truncated || ver != 3 || rsv != 0 || tlen != in->len || li + 5u != tlen || li < 6 ||
	    (code != X224_CR && code != X224_CC))
		return 0;
	cur_skip(&c, 4); /* DST-REF, SRC-REF */
	uint8_t cls = cur_u8(&c);
	if (c.truncated || (cls & 0xf0) != 0) /* RDP uses class 0 */
		return 0;
	/* the RDP part: optional cookie line, then optional 8-byte negotiation */
	struct cur rest = c;
	int cookie = 0;
	if (code == X224_CR &&
	    (txt_starts(&rest, "Cookie: mstshash=", 0) || txt_starts(&rest, "Cookie: msts=", 0))) {
		struct cur line;
		if (!txt_line(&rest, &line, 256))
			return 0;
		cookie = 1;
	}
	if (cur_left(&rest) == 0)
		return cookie;
	if (cur_left(&rest) != 8)
		return 0;
	uint8_t type = cur_u8(&rest);
	cur_u8(&rest); /* flags */
	uint16_t len = cur_le16(&rest);
	uint32_t val = cur_le32(&rest);
	if (rest.truncated || len != 8)
		return 0;
	if (code == X224_CR && type == 0x01) {
		snprintf(f->app_detail, sizeof(f->app_detail), "RDP client, best offer %s",
		         proto_name(val));
		return 1;
	}
	if (code == X224_CC && (type == 0x02 || type == 0x03)) {
		if (type == 0x02)
			snprintf(f->app_detail, sizeof(f->app_detail), "RDP server, selected %s",
			         proto_name(val));
		else
			snprintf(f->app_detail, sizeof(f->app_detail),
			         "RDP server, negotiation failure %u", (unsigned)val);
		txt_os(f, "Windows", 30, "RDP server");
		return 1;
	}
	return 0;
}
