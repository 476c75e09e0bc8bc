/*
 * scanner/proto-telnet.c - Telnet option negotiation (RFC 854, RFC 855).
 *
 * Proof: the payload opens with a run of well-formed commands: at least
 * one IAC WILL/WONT/DO/DONT (0xFF 0xFB-0xFE) naming an option that exists
 * (IANA telnet-options: 0-49, 138-140, 255), optionally subnegotiations
 * IAC SB ... IAC SE and two-byte commands. Both ends negotiate first thing,
 * so this is what the first payload of either looks like; a "login:"
 * prompt alone is not proof (any text service prints one). Fact: a server
 * offers a cleartext login.
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define IAC 0xff
#define SB  0xfa
#define SE  0xf0

static int known_option(uint8_t o)
{
	return o <= 49 || (o >= 138 && o <= 140) || o == 255;
}

int telnet_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	int negotiations = 0;
	for (int guard = 0; guard < 64 && cur_peek(&c, 0) == IAC; guard++) {
		cur_skip(&c, 1);
		uint8_t cmd = cur_u8(&c);
		if (c.truncated)
			return 0;
		if (cmd >= 0xfb) { /* WILL WONT DO DONT */
			uint8_t opt = cur_u8(&c);
			if (c.truncated || !known_option(opt))
				return 0;
			negotiations++;
		} else if (cmd == SB) {
			uint8_t opt = cur_u8(&c);
			if (c.truncated || !known_option(opt))
				return 0;
			/* the parameters end at IAC SE; IAC IAC is a data 0xff */
			size_t i = 0;
			for (;; i++) {
				int b = cur_peek(&c, i);
				if (b < 0 || i > 512)
					return 0;
				if (b == IAC) {
					int n = cur_peek(&c, i + 1);
					if (n == SE)
						break;
					if (n != IAC)
						return 0;
					i++;
				}
			}
			cur_skip(&c, i + 2);
		} else if (cmd < SE) {
			return 0; /* not a command: 0xF0-0xFE only */
		}
	}
	if (!negotiations)
		return 0;
	if (in->from_server == 1)
		snprintf(f->note, sizeof(f->note), "telnet: cleartext login");
	return 1;
}
