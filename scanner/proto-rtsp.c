/*
 * scanner/proto-rtsp.c - RTSP 1.0 and 2.0 (RFC 2326, RFC 7826).
 *
 * Proof: a complete request line "METHOD SP rtsp[s|u]://...|* SP RTSP/1.0"
 * with an RTSP method, or a status line "RTSP/1.0 NNN" (or RTSP/2.0).
 * Tried before HTTP: the syntax is HTTP's, the version token is not.
 * Facts: RTSP servers on a plant or office network are nearly always IP
 * cameras and video recorders, so a server gets CLS_CAMERA (weight 50);
 * its Server field goes to app_detail, a client's User-Agent likewise.
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

static const char *const methods[] = {
    "DESCRIBE", "ANNOUNCE", "GET_PARAMETER", "OPTIONS",       "PAUSE",    "PLAY",
    "RECORD",   "REDIRECT", "SETUP",         "SET_PARAMETER", "TEARDOWN", "PLAY_NOTIFY",
};

static int rtsp_version(struct cur *c)
{
	return txt_eat(c, "RTSP/1.0") || txt_eat(c, "RTSP/2.0");
}

static int start_line(struct cur line)
{
	if (rtsp_version(&line)) {
		unsigned code;
		if (!txt_eat(&line, " ") || cur_left(&line) < 3)
			return 0;
		struct cur d = cur_sub(&line, 3);
		if (!txt_uint(&d, &code) || cur_left(&d) || code < 100 || code > 599)
			return 0;
		return (!cur_left(&line) || cur_peek(&line, 0) == ' ') ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct cur c = line;
		if (!txt_eat(&c, methods[i]) || !txt_eat(&c, " "))
			continue;
		if (!txt_starts(&c, "rtsp://", 1) && !txt_starts(&c, "rtsps://", 1) &&
		    !txt_starts(&c, "rtspu://", 1) && !txt_starts(&c, "* ", 0))
			return 0;
		size_t n = 0;
		int ch;
		while ((ch = cur_peek(&c, n)) > 0x20 && ch < 0x7f)
			n++;
		cur_skip(&c, n);
		if (!txt_eat(&c, " ") || !rtsp_version(&c) || cur_left(&c))
			return 0;
		return 1;
	}
	return 0;
}

/* Whether byte b can open a start line start_line() accepts: the first
 * letter of a method in methods[] (case-sensitive txt_eat) or the 'R' of
 * "RTSP/". Keep in step with methods[]. */
static int may_start(uint8_t b)
{
	switch (b) {
	case 'D':
	case 'A':
	case 'G':
	case 'O':
	case 'P':
	case 'R':
	case 'S':
	case 'T':
		return 1;
	default:
		return 0;
	}
}

int rtsp_identify(const struct ident_in *in, struct ident_facts *f)
{
	/* Pre-check, a necessary condition of the proof: the first line must
	 * open with an RTSP method or "RTSP/", so any other first byte is
	 * rejected before searching for a LF. */
	if (!in->len || !may_start(in->data[0]))
		return 0;
	struct cur c = cur_make(in->data, in->len);
	struct cur line, v;
	if (!txt_line(&c, &line, 4096))
		return 0;
	int kind = start_line(line);
	if (!kind)
		return 0;
	if (kind == 2) {
		txt_cls(f, CLS_CAMERA, 50, "RTSP server");
		if (txt_header(c, "Server", &v)) {
			char sw[48];
			txt_copy(sw, sizeof(sw), &v);
			txt_join(f->app_detail, sizeof(f->app_detail), "server ", sw, (size_t)-1,
			         NULL);
		}
	} else if (txt_header(c, "User-Agent", &v)) {
		txt_copy(f->app_detail, sizeof(f->app_detail), &v);
	}
	return 1;
}
