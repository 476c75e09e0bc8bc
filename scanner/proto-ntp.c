/*
 * scanner/proto-ntp.c - NTP (RFC 5905 7.3; control messages RFC 1305
 * appendix B / RFC 9327).
 *
 * Proof: UDP port 123 on one side (NTP runs nowhere else) and the header:
 * version 1-4; for modes 1-5 at least 48 bytes in whole 32-bit words
 * (extension fields and MACs are word-sized), stratum 0-16, poll 0-17, and
 * from servers (modes 1, 2, 4, 5) a precision of a second or finer and a
 * root delay and dispersion below 16 s; mode 6 control messages need
 * their 12-byte header and a count that fits. Facts: a server's stratum
 * (app_detail); stratum 16 (unsynchronised) and stratum 0 kiss-o'-death
 * codes are noted.
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define NTP_PORT 123
#define NTP_HDR  48

int ntp_identify(const struct ident_in *in, struct ident_facts *f)
{
	const struct pkt *p = in->p;
	if (p && p->sport != NTP_PORT && p->dport != NTP_PORT)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	uint8_t lvm = cur_u8(&c);
	unsigned vn = (lvm >> 3) & 7, mode = lvm & 7;
	if (c.truncated || vn < 1 || vn > 4)
		return 0;
	if (mode == 6) {
		uint8_t op = cur_u8(&c);
		cur_skip(&c, 6); /* sequence, status, association id */
		cur_be16(&c);    /* offset */
		uint16_t count = cur_be16(&c);
		if (c.truncated || vn < 2 || (op & 0x1f) == 0 || count > 468 ||
		    in->len < 12u + count || in->len > 12u + count + 3 + 24)
			return 0;
		snprintf(f->app_detail, sizeof(f->app_detail), "ntp control message");
		return 1;
	}
	if (mode == 0 || mode == 7 || in->len < NTP_HDR || in->len % 4 || in->len > NTP_HDR + 1024)
		return 0;
	uint8_t stratum = cur_u8(&c);
	uint8_t poll = cur_u8(&c);
	int8_t precision = (int8_t)cur_u8(&c);
	uint32_t delay = cur_be32(&c), disp = cur_be32(&c);
	uint8_t refid[4];
	cur_copy(&c, refid, 4);
	if (c.truncated || stratum > 16 || poll > 17)
		return 0;
	if (mode == 3) /* clients (SNTP above all) leave the rest zero or junk */
		return 1;
	if (precision > 0 || precision < -32 || (delay >> 16) >= 16 || (disp >> 16) >= 16)
		return 0;
	if (mode == 4 || mode == 5) {
		if (stratum == 0) {
			char code[5];
			ident_copy_str(code, sizeof(code), refid, 4);
			snprintf(f->note, sizeof(f->note), "ntp: kiss-o'-death '%s' (stratum 0)",
			         code);
		} else if (stratum == 16) {
			snprintf(f->note, sizeof(f->note),
			         "ntp: server unsynchronised (stratum 16)");
		} else {
			snprintf(f->app_detail, sizeof(f->app_detail), "ntp server, stratum %u",
			         (unsigned)stratum);
		}
	}
	return 1;
}
