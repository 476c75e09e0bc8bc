/*
 * scanner/proto-smb.c - SMB1 (MS-CIFS, MS-SMB) and SMB2/3 (MS-SMB2) over
 * the NetBIOS session service (RFC 1002 4.3.1, TCP 139) or direct TCP
 * (MS-SMB2 2.1, TCP 445): both frame a message with a zero type byte and
 * a length.
 *
 * Proof: a session message header (type 0x00, length at least one SMB
 * header, and either longer than the segment or followed by the next
 * message) and the protocol id "\xffSMB", "\xfeSMB" (StructureSize 64) or
 * "\xfdSMB" (SMB3 transform, encrypted). Facts: SMB1 is an end-of-life
 * indicator (Microsoft deprecated it; WannaCry spread over it): an SMB1
 * server that accepts an SMB1 dialect, a client that offers only SMB1
 * dialects, anyone exchanging other SMB1 commands. The Native OS string of
 * an SMB1 Session Setup AndX (MS-CIFS 2.2.4.53) is the host's own
 * statement of its OS. SMB1 datagrams over NetBEUI (802.2 LLC) are
 * recognised too.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

#define SMB1_HDR            32
#define SMB2_HDR            64
#define SMB1_NEGOTIATE      0x72
#define SMB1_SESSION_SETUP  0x73
#define SMB1_FLAGS_REPLY    0x80
#define SMB1_FLAGS2_UNICODE 0x8000

/* Reads a NUL-terminated string (UTF-16LE when uni) into out as ASCII,
 * non-ASCII as '?'. Returns 0 when the terminator is missing. */
static int smb_str(struct cur *c, int uni, char *out, size_t outsz)
{
	size_t o = 0;
	for (int i = 0; i < 256; i++) {
		unsigned ch = uni ? cur_le16(c) : cur_u8(c);
		if (c->truncated)
			return 0;
		if (!ch) {
			uint8_t tmp[256];
			for (size_t k = 0; k < o; k++)
				tmp[k] = (uint8_t)out[k];
			ident_copy_str(out, outsz, tmp, o); /* sanitise and trim */
			return 1;
		}
		if (o + 1 < outsz)
			out[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	return 0;
}

/* Aligns a Unicode string to an even offset from the SMB header. */
static void smb_align(struct cur *c, const uint8_t *hdr, int uni)
{
	if (uni && ((size_t)(c->pos - hdr) & 1))
		cur_skip(c, 1);
}

static void native_os(const char *nos, struct ident_facts *f)
{
	static const struct {
		const char *prefix;
		const char *os;
	} eol[] = {
	    {"Windows 5.0", "Windows 2000"},
	    {"Windows 2000", "Windows 2000"},
	    {"Windows 5.1", "Windows XP"},
	    {"Windows 2002", "Windows XP"}, /* what XP clients send */
	    {"Windows XP", "Windows XP"},
	    {"Windows 5.2", "Windows Server 2003"},
	    {"Windows Server 2003", "Windows Server 2003"},
	    {"Windows .NET", "Windows Server 2003"},
	    {"Windows Vista", "Windows Vista"},
	    {"Windows Server (R) 2008", "Windows Server 2008"},
	    {"Windows Server 2008", "Windows Server 2008"},
	    {"Windows 7 ", "Windows 7"},
	};
	char why[80];
	snprintf(why, sizeof(why), "SMB Native OS '%.50s'", nos);
	for (size_t i = 0; i < sizeof(eol) / sizeof(eol[0]); i++) {
		if (strncmp(nos, eol[i].prefix, strlen(eol[i].prefix)) != 0)
			continue;
		snprintf(f->os, sizeof(f->os), "%s", eol[i].os);
		f->os_weight = 90;
		snprintf(f->os_why, sizeof(f->os_why), "%s", why);
		snprintf(f->eol, sizeof(f->eol), "%s (SMB Native OS)", eol[i].os);
		return;
	}
	if (strncmp(nos, "Windows", 7) == 0) {
		snprintf(f->os, sizeof(f->os), "%s", nos);
		f->os_weight = 90;
		snprintf(f->os_why, sizeof(f->os_why), "%s", why);
	} else if (strncmp(nos, "Unix", 4) == 0 || strstr(nos, "Samba")) {
		snprintf(f->os, sizeof(f->os), "Unix (Samba)");
		f->os_weight = 30;
		snprintf(f->os_why, sizeof(f->os_why), "%s", why);
	}
}

/* Session Setup AndX: the Native OS string after the security blob or
 * the passwords and two names (MS-CIFS 2.2.4.53.1-2, MS-SMB 2.2.4.6). */
static void session_setup(struct cur *c, const uint8_t *hdr, int reply, int uni,
                          struct ident_facts *f)
{
	uint8_t wc = cur_u8(c);
	struct cur w = cur_sub(c, (size_t)wc * 2);
	uint16_t bc = cur_le16(c);
	struct cur b = cur_sub(c, bc);
	if (w.truncated || b.truncated)
		return; /* facts only: a short packet is still SMB */
	int skip_strings = 0;
	size_t blob = 0;
	if (reply && wc == 4) {
		cur_skip(&w, 6);
		blob = cur_le16(&w);
	} else if (reply && wc == 3) {
		blob = 0;
	} else if (!reply && wc == 12) {
		cur_skip(&w, 14);
		blob = cur_le16(&w);
	} else if (!reply && wc == 13) {
		cur_skip(&w, 14);
		blob = (size_t)cur_le16(&w) + cur_le16(&w);
		skip_strings = 2; /* AccountName, PrimaryDomain: not ours to report */
	} else {
		return;
	}
	if (!cur_skip(&b, blob))
		return;
	smb_align(&b, hdr, uni);
	char s[64];
	for (int i = 0; i < skip_strings; i++)
		if (!smb_str(&b, uni, s, sizeof(s)))
			return;
	if (smb_str(&b, uni, s, sizeof(s)) && s[0])
		native_os(s, f);
}

static void negotiate(struct cur *c, int reply, struct ident_facts *f)
{
	uint8_t wc = cur_u8(c);
	if (reply) {
		/* 17 words: NT LM 0.12 chosen; 13: a LANMAN dialect; 1 with
		 * index 0xffff: none of them */
		uint16_t idx = cur_le16(c);
		if (!c->truncated && wc >= 13 && idx != 0xffff)
			snprintf(f->eol, sizeof(f->eol), "SMB1 server (accepted an SMB1 dialect)");
		return;
	}
	uint16_t bc = cur_le16(c);
	struct cur b = cur_sub(c, bc);
	if (wc != 0 || b.truncated)
		return;
	int smb2 = 0, n = 0;
	char d[32];
	while (cur_left(&b) && n < 32) {
		if (cur_u8(&b) != 0x02 || !smb_str(&b, 0, d, sizeof(d)))
			return;
		n++;
		if (strncmp(d, "SMB 2.", 6) == 0)
			smb2 = 1;
	}
	if (n && !smb2)
		snprintf(f->eol, sizeof(f->eol), "SMB1 client (offers SMB1 dialects only)");
}

static int smb1(struct cur c, const uint8_t *hdr, struct ident_facts *f)
{
	cur_skip(&c, 4);
	uint8_t cmd = cur_u8(&c);
	cur_skip(&c, 4); /* status */
	uint8_t flags = cur_u8(&c);
	uint16_t flags2 = cur_le16(&c);
	cur_skip(&c, 20);
	if (c.truncated)
		return 0;
	int reply = (flags & SMB1_FLAGS_REPLY) != 0;
	snprintf(f->app_detail, sizeof(f->app_detail), "SMB1");
	if (cmd == SMB1_NEGOTIATE)
		negotiate(&c, reply, f);
	else {
		snprintf(f->eol, sizeof(f->eol), "SMB1 in use");
		if (cmd == SMB1_SESSION_SETUP)
			session_setup(&c, hdr, reply, (flags2 & SMB1_FLAGS2_UNICODE) != 0, f);
	}
	return 1;
}

static int smb2(struct cur c, struct ident_facts *f)
{
	cur_skip(&c, 4);
	uint16_t ss = cur_le16(&c);
	cur_skip(&c, 6); /* credit charge, status */
	uint16_t cmd = cur_le16(&c);
	cur_skip(&c, 2);
	uint32_t flags = cur_le32(&c);
	cur_skip(&c, SMB2_HDR - 20);
	if (c.truncated || ss != SMB2_HDR || cmd > 0x12)
		return 0;
	snprintf(f->app_detail, sizeof(f->app_detail), "SMB2/3");
	if (cmd == 0 && (flags & 1)) { /* NEGOTIATE response: the dialect */
		uint16_t bss = cur_le16(&c);
		cur_skip(&c, 2);
		uint16_t dialect = cur_le16(&c);
		if (!c.truncated && bss == 65)
			snprintf(f->app_detail, sizeof(f->app_detail), "SMB dialect %x.%x.%x",
			         (unsigned)(dialect >> 8), (unsigned)((dialect >> 4) & 0xf),
			         (unsigned)(dialect & 0xf));
	}
	return 1;
}

/* SMB over NetBEUI: an 802.2 LLC UI frame to SAP 0xF0 carrying a NetBIOS
 * Frames datagram (IBM NetBIOS Frames Protocol: header length, delimiter
 * 0xEFFF, command 0x08/0x09). Old Windows browser announcements travel
 * this way; tshark calls them smb too. */
static int nbf_smb(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t dsap = cur_u8(&c), ssap = cur_u8(&c), ctl = cur_u8(&c);
	const uint8_t *nbf = c.pos;
	uint16_t hlen = cur_le16(&c);
	uint16_t delim = cur_le16(&c);
	uint8_t cmd = cur_u8(&c);
	if (c.truncated || dsap != 0xf0 || (ssap & 0xfe) != 0xf0 || ctl != 0x03 ||
	    delim != 0xefff || (cmd != 0x08 && cmd != 0x09) || hlen < 14)
		return 0;
	struct cur m = cur_make(nbf, in->len - 3);
	if (!cur_skip(&m, hlen))
		return 0;
	const uint8_t *hdr = m.pos;
	if (cur_peek(&m, 0) != 0xff || cur_peek(&m, 1) != 'S' || cur_peek(&m, 2) != 'M' ||
	    cur_peek(&m, 3) != 'B')
		return 0;
	return smb1(m, hdr, f);
}

int smb_identify(const struct ident_in *in, struct ident_facts *f)
{
	if (in->p && in->p->kind == PKT_L2)
		return in->p->llc && nbf_smb(in, f);
	struct cur c = cur_make(in->data, in->len);
	uint8_t type = cur_u8(&c);
	uint32_t len = (uint32_t)cur_u8(&c) << 16;
	len |= cur_be16(&c);
	if (c.truncated || type != 0x00 || len < SMB1_HDR)
		return 0;
	/* A message shorter than the segment must be followed by another. */
	if (len < cur_left(&c) && cur_peek(&c, len) != 0x00)
		return 0;
	struct cur m = c;
	if (cur_left(&m) > len)
		m.end = m.pos + len;
	const uint8_t *hdr = m.pos;
	int p0 = cur_peek(&m, 0);
	if (cur_peek(&m, 1) != 'S' || cur_peek(&m, 2) != 'M' || cur_peek(&m, 3) != 'B')
		return 0;
	if (p0 == 0xff)
		return smb1(m, hdr, f);
	if (p0 == 0xfe)
		return len >= SMB2_HDR && smb2(m, f);
	if (p0 == 0xfd) { /* transform header: flags/algorithm 1 = encrypted */
		struct cur t = m;
		cur_skip(&t, 4 + 16 + 16 + 4 + 2);
		uint16_t enc = cur_le16(&t);
		if (t.truncated || enc != 1)
			return 0;
		snprintf(f->app_detail, sizeof(f->app_detail), "SMB3 encrypted");
		return 1;
	}
	return 0;
}
