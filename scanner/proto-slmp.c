/*
 * scanner/proto-slmp.c - Mitsubishi MELSEC communication: SLMP / MC
 * protocol 3E and 4E frames, and the MELSOFT engineering framing.
 *
 * segscan's one Mitsubishi vocabulary word, `slmp`, stands for MELSEC
 * communication with a PLC over Ethernet. Two framings carry it, and both
 * are proven here from their structure (never from a port; ports vary by
 * configuration):
 *
 * 1. SLMP / MC protocol, after Mitsubishi Electric "SLMP Reference Manual"
 *    (SH-080956ENG) and "MELSEC Communication Protocol Reference Manual"
 *    (SH-080008): binary subheader 0x50 0x00 (3E request), 0xD0 0x00 (3E
 *    response), 0x54 0x00 + serial + 0x0000 (4E request), 0xD4 0x00 +
 *    serial + 0x0000 (4E response); then network no., PC no., request
 *    destination module I/O no. (LE), station no., data length (LE) = bytes
 *    after it; requests carry timer, command and subcommand, responses an
 *    end code. The ASCII 3E form spells the same fields as hex digits
 *    ("5000"/"D000", length in 4 digits).
 *
 * 2. MELSOFT, the protocol GX Works speaks to the CPU's built-in Ethernet
 *    port for monitoring, programming and the CPU search
 *    (seen on TCP 5001/5562, UDP 5560, TCP 5007 on other CPUs). Mitsubishi
 *    publishes no specification; the layout below was worked out from the
 *    shared captures ics/MELSEC_melsoft_*.pcap (an FX5U-32MT/ES and GX
 *    Works, every frame of both files checked) and agrees with the field
 *    names of Nozomi Networks' MELSOFT dissector (Black Hat MEA 2023). It is
 *    claimed as `slmp` because it is the same MELSEC addressing (network
 *    no., PC/unit no., module I/O no. 0x03FF) and the same request/response
 *    subheader scheme (bit 7 set in the answer: 0x57/0xD7 as 0x50/0xD0 and
 *    0x54/0xD4) wrapped round a richer command set, and because the file
 *    names of those captures, the reference where tshark shows only data,
 *    call it MELSEC. The evidence says which framing it was (note and
 *    app_detail "MELSOFT (GX Works) protocol").
 *
 *    Frame, TCP or UDP (LE = little-endian; offsets from the frame start):
 *      0      subheader 0x57 request, 0xD7 response
 *      1-4    0x00/0x01, sequence no., 0x0000 (not checked)
 *      5-6    0x11 0x11                                    checked
 *      7-8    0x07 request / 0x7F response, 0x00           (not checked)
 *      9      network no.
 *      10     PC (unit) no.
 *      11-12  request destination module I/O no. (LE)     checked in requests
 *      13     station no.
 *      14-18  the other side's address, 0x00
 *      19-20  length (LE) of everything after it          checked, exact
 *      21     command header type, bit 7 = response (0x1C / 0x9C)
 *                                                          must match byte 0
 *      22     0x02 TCP / 0x0A UDP                          (not checked)
 *      23     command header bytes from here to the command: 0x16 in a
 *             request, 0x18 in a response (2 more: the end code)
 *                                                          checked
 *      24     length of the routing block, 0x14            checked
 *      [response: end code (LE), 0 = completed]
 *      20     routing block (zero in the captures)
 *      +0-1   command (BE): 0x0121 CPU type/open, 0x0410/0x0411 read,
 *             0x1868 file read, ...; a response repeats its request's
 *      +2-5   packet reference (LE), repeated by the response: a 0xD7
 *             answers the 0x57 with the same command and reference
 *      +6     command data; the 0x0121 answer opens with the CPU model,
 *             16 bytes of ASCII padded with NULs, then its model code
 *    A TCP segment must hold whole frames (one or several back to back),
 *    a UDP datagram exactly one.
 *
 *    CPU search, UDP broadcast: the request is exactly 0x5A 0x00 0x00 CC
 *    (CC 0x01 or 0xFF, 4 bytes); the answer 0xDA 0x00 0x00 CC repeats it
 *    with a body of fixed size, 14 bytes in all for CC 0x01 (0x0014 and two
 *    IPv4 addresses), 28 for CC 0xFF (CPU model code first). Anything else
 *    starting 0x5A/0xDA is not claimed.
 *
 * Facts: the answering side (0xD0/0xD4/0xD7/0xDA) is a PLC (or its
 * Ethernet module), class PLC at weight 50; an SLMP 0101 "read type name"
 * answer or a MELSOFT 0x0121 answer gives the CPU model.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

/* Request destination module I/O numbers: own station CPU (0x03FF),
 * multiple-CPU control and CPU 1-4 (0x03D0-0x03E3), multidrop via a module
 * (0x0000-0x01FF). */
static int slmp_io_ok(uint16_t io)
{
	return io <= 0x01ff || (io >= 0x03d0 && io <= 0x03ff);
}

static int slmp_cmd_ok(uint16_t cmd, uint16_t sub)
{
	/* Command classes of the reference manuals: device access (04xx,
	 * 14xx), label access (041A...), buffer memory (06xx, 16xx), type
	 * name and remote control (01xx, 10xx), monitor (08xx), file
	 * (18xx), self test and clear error (06xx, 16xx), SLMP node
	 * search/parameter (0Exx). Subcommands are small flag words. */
	uint8_t hi = (uint8_t)(cmd >> 8);
	static const uint8_t classes[] = {0x01, 0x04, 0x06, 0x08, 0x0e,
	                                  0x10, 0x14, 0x16, 0x18, 0x19};
	if (sub > 0x00c3)
		return 0;
	for (size_t i = 0; i < sizeof(classes); i++)
		if (hi == classes[i])
			return 1;
	return 0;
}

static void slmp_plc(struct ident_facts *f, struct cur *data)
{
	f->cls = CLS_PLC;
	f->cls_weight = 50;
	snprintf(f->cls_why, sizeof(f->cls_why), "answers MELSEC SLMP/MC requests");
	/* A "read type name" answer: 16 characters of model, 2 bytes of code.
	 * The answer does not name its command, so only a plausible model
	 * string (upper-case start, printable, some letters or digits) is
	 * taken. */
	uint8_t m[16];
	if (cur_left(data) != 18 || !cur_copy(data, m, sizeof(m)))
		return;
	int alnum = 0, ok = isupper(m[0]) != 0;
	for (size_t i = 0; i < sizeof(m) && ok; i++) {
		ok = m[i] >= 0x20 && m[i] < 0x7f;
		alnum += isalnum(m[i]) != 0;
	}
	if (ok && alnum >= 3)
		ident_copy_str(f->model, sizeof(f->model), m, sizeof(m));
}

static int slmp_binary(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t h0 = cur_u8(&c);
	uint8_t h1 = cur_u8(&c);
	if (c.truncated || h1 != 0)
		return 0;
	int resp;
	switch (h0) {
	case 0x50:
		resp = 0;
		break;
	case 0xd0:
		resp = 1;
		break;
	case 0x54:
		resp = 0;
		break;
	case 0xd4:
		resp = 1;
		break;
	default:
		return 0;
	}
	if (h0 == 0x54 || h0 == 0xd4) {
		cur_le16(&c); /* serial number */
		if (cur_le16(&c) != 0)
			return 0;
	}
	uint8_t net = cur_u8(&c);
	uint8_t pc = cur_u8(&c);
	uint16_t io = cur_le16(&c);
	cur_u8(&c); /* station no. */
	uint16_t dlen = cur_le16(&c);
	if (c.truncated || net > 0xef || !(pc == 0xff || (pc >= 1 && pc <= 0x78) || pc >= 0x7d))
		return 0;
	if (!slmp_io_ok(io) || dlen != cur_left(&c))
		return 0;
	if (!resp) {
		cur_le16(&c); /* monitoring timer */
		uint16_t cmd = cur_le16(&c);
		uint16_t sub = cur_le16(&c);
		return !c.truncated && slmp_cmd_ok(cmd, sub);
	}
	uint16_t end = cur_le16(&c);
	if (c.truncated)
		return 0;
	if (end == 0)
		slmp_plc(f, &c);
	else
		slmp_plc(f, &(struct cur){c.end, c.end, 0});
	return 1;
}

/* n hex digits as a number; -1 when one is not a hex digit. */
static long slmp_hex(struct cur *c, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		int ch = cur_u8(c);
		if (c->truncated || !isxdigit(ch))
			return -1;
		v = v * 16 + (isdigit(ch) ? ch - '0' : (toupper(ch) - 'A' + 10));
	}
	return v;
}

static int slmp_ascii(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	long sub = slmp_hex(&c, 4);
	if (sub != 0x5000 && sub != 0xd000)
		return 0;
	long net = slmp_hex(&c, 2), pc = slmp_hex(&c, 2), io = slmp_hex(&c, 4);
	long st = slmp_hex(&c, 2), dlen = slmp_hex(&c, 4);
	if (net < 0 || net > 0xef || pc < 0 || io < 0 || !slmp_io_ok((uint16_t)io) || st < 0 ||
	    dlen < 4 || (size_t)dlen != cur_left(&c))
		return 0;
	if (sub == 0x5000) {
		long timer = slmp_hex(&c, 4), cmd = slmp_hex(&c, 4), sc = slmp_hex(&c, 4);
		return timer >= 0 && cmd >= 0 && sc >= 0 &&
		       slmp_cmd_ok((uint16_t)cmd, (uint16_t)sc);
	}
	if (slmp_hex(&c, 4) < 0)
		return 0;
	slmp_plc(f, &(struct cur){c.end, c.end, 0});
	return 1;
}

/* ---- MELSOFT (layout in the header comment) ---- */

#define MELSOFT_REQ          0x57
#define MELSOFT_RESP         0xd7
#define MELSOFT_MAGIC        0x1111
#define MELSOFT_ROUTE_LEN    0x14
#define MELSOFT_CMD_CPU_TYPE 0x0121
#define MELSOFT_WHAT         "MELSOFT (GX Works) protocol"

static void melsoft_evidence(struct ident_facts *f)
{
	snprintf(f->note, sizeof(f->note), "%s", MELSOFT_WHAT);
	snprintf(f->app_detail, sizeof(f->app_detail), "%s", MELSOFT_WHAT);
}

static void melsoft_plc(struct ident_facts *f)
{
	f->cls = CLS_PLC;
	f->cls_weight = 50;
	snprintf(f->cls_why, sizeof(f->cls_why), "answers MELSOFT (GX Works) requests");
}

/* The CPU model of a 0x0121 answer: 16 bytes, printable ASCII padded with
 * NULs, starting with an upper-case letter, with some letters or digits. */
static void melsoft_model(struct ident_facts *f, struct cur *data)
{
	uint8_t m[16];
	if (f->model[0] || !cur_copy(data, m, sizeof(m)) || !isupper(m[0]))
		return;
	int alnum = 0, end = 0;
	for (size_t i = 0; i < sizeof(m); i++) {
		if (m[i] == 0) {
			end = 1;
		} else if (end || m[i] < 0x20 || m[i] >= 0x7f) {
			return; /* text after the padding, or not text */
		} else {
			alnum += isalnum(m[i]) != 0;
		}
	}
	if (alnum >= 3)
		ident_copy_str(f->model, sizeof(f->model), m, sizeof(m));
}

/* One MELSOFT frame from c, which is advanced past it. Returns 1 when the
 * frame holds every invariant and is wholly inside c. */
static int melsoft_frame(struct cur *c, struct ident_facts *f)
{
	uint8_t sub = cur_u8(c);
	if (c->truncated || (sub != MELSOFT_REQ && sub != MELSOFT_RESP))
		return 0;
	int resp = sub == MELSOFT_RESP;
	cur_skip(c, 4); /* 0x00/0x01, sequence no., 0x0000 */
	uint16_t magic = cur_be16(c);
	cur_skip(c, 3); /* 0x07/0x7F, 0x00, network no. */
	cur_u8(c);      /* PC (unit) no. */
	uint16_t io = cur_le16(c);
	cur_skip(c, 6); /* station no., the other side's address, 0x00 */
	uint16_t len = cur_le16(c);
	if (c->truncated || magic != MELSOFT_MAGIC || len > cur_left(c))
		return 0;
	if (!resp && !slmp_io_ok(io))
		return 0;
	struct cur b = cur_sub(c, len);
	/* Command header: type, transport byte, size to the command, routing
	 * block length; a response adds its end code before the block. */
	uint8_t type = cur_u8(&b);
	cur_u8(&b);
	uint8_t hsize = cur_u8(&b);
	uint8_t route = cur_u8(&b);
	uint16_t end = resp ? cur_le16(&b) : 0;
	if (b.truncated || (type & 0x80) != (sub & 0x80) || route != MELSOFT_ROUTE_LEN ||
	    hsize != 2 + route + (resp ? 2 : 0))
		return 0;
	cur_skip(&b, route);
	/* Command data: command (BE) and packet reference, at least. */
	uint16_t cmd = cur_be16(&b);
	cur_le32(&b);
	if (b.truncated)
		return 0;
	if (resp) {
		melsoft_plc(f);
		if (end == 0 && cmd == MELSOFT_CMD_CPU_TYPE)
			melsoft_model(f, &b);
	}
	return 1;
}

/* A UDP datagram is one frame; a TCP segment one or more whole frames. */
static int melsoft_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	int udp = in->p && in->p->proto == 17;
	int frames = 0;
	while (cur_left(&c)) {
		if (!melsoft_frame(&c, f) || (udp && cur_left(&c)))
			goto no;
		frames++;
	}
	if (!frames)
		goto no;
	melsoft_evidence(f);
	return 1;
no:
	memset(f, 0, sizeof(*f));
	return 0;
}

/* The GX Works CPU search on UDP: fixed 4-byte requests (0x5A 0x00 0x00
 * CC), and answers (0xDA 0x00 0x00 CC: bit 7 set, CC repeated) of a fixed
 * size per search command. */
static int melsoft_search(const struct ident_in *in, struct ident_facts *f)
{
	if (!in->p || in->p->proto != 17)
		return 0;
	struct cur c = cur_make(in->data, in->len);
	uint8_t sub = cur_u8(&c);
	uint16_t zero = cur_be16(&c);
	uint8_t cmd = cur_u8(&c);
	if (c.truncated || zero != 0 || (cmd != 0x01 && cmd != 0xff))
		return 0;
	if (sub == 0x5a) {
		if (cur_left(&c) != 0)
			return 0;
	} else if (sub == 0xda) {
		if (cur_left(&c) != (cmd == 0x01 ? 10u : 24u))
			return 0;
		melsoft_plc(f);
	} else {
		return 0;
	}
	melsoft_evidence(f);
	return 1;
}

int slmp_identify(const struct ident_in *in, struct ident_facts *f)
{
	return slmp_binary(in, f) || slmp_ascii(in, f) || melsoft_identify(in, f) ||
	       melsoft_search(in, f);
}
