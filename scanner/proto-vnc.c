/*
 * scanner/proto-vnc.c - VNC's Remote Framebuffer protocol, version
 * handshake (RFC 6143 7.1.1).
 *
 * Proof: the ProtocolVersion message, exactly 12 bytes "RFB xxx.yyy\n"
 * with six digits. The server sends it first and the client answers with
 * the version it picked, so either direction proves it. Fact: the RFB
 * version (003.003, 003.007, 003.008; 003.889 is Apple's, 004.x RealVNC's).
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

#define RFB_VERSION_LEN 12

int vnc_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	if (cur_left(&c) != RFB_VERSION_LEN || !txt_eat(&c, "RFB "))
		return 0;
	for (size_t i = 0; i < 7; i++) {
		int ch = cur_peek(&c, i);
		if (i == 3 ? ch != '.' : (ch < '0' || ch > '9'))
			return 0;
	}
	if (cur_peek(&c, 7) != '\n')
		return 0;
	struct cur v = cur_sub(&c, 7);
	char ver[8];
	txt_copy(ver, sizeof(ver), &v);
	snprintf(f->app_detail, sizeof(f->app_detail), "RFB %s%s", ver,
	         in->from_server == 1 ? " (server)" : "");
	return 1;
}
