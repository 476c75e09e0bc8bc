/*
 * scanner/tcp-fingerprint.c - OS hints from the option layout of a TCP SYN
 * or SYN-ACK plus the initial TTL (see the header). One table; the layout
 * must match exactly, the TTL must fall in the stack's bucket (64, 128 or
 * 255 as the initial value, so a few router hops do not matter).
 */
#include "scanner/tcp-fingerprint.h"

#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"

static const struct tcpfp_rule {
	const char *layout;
	unsigned ttl0; /* initial TTL bucket, 0 = any */
	const char *os;
} tcpfp_rules[] = {
    {"MSS,NOP,WS,NOP,NOP,SACK", 128, "Windows (Vista or later)"},
    {"MSS,NOP,WS,NOP,NOP,TS,NOP,NOP,SACK", 128, "Windows (timestamps on)"},
    {"MSS,NOP,NOP,SACK", 128, "Windows XP/2003"},
    {"MSS,NOP,WS,SACK,TS", 64, "FreeBSD"},
    {"MSS,SACK,TS,NOP,WS", 64, "Linux"},
    {"MSS,NOP,NOP,SACK,NOP,WS", 64, "Linux (timestamps off)"},
    {"MSS,NOP,NOP,TS,NOP,WS", 64, "Linux (SACK off)"},
    {"MSS,NOP,WS,NOP,NOP,TS,SACK,EOL", 64, "macOS/iOS"},
    {"MSS", 255, "embedded TCP/IP stack"},
    {"MSS", 64, "embedded TCP/IP stack"},
};

static unsigned ttl_bucket(uint8_t ttl)
{
	return ttl <= 64 ? 64 : ttl <= 128 ? 128 : 255;
}

static void append(char *buf, size_t bufsz, size_t *o, const char *s)
{
	if (*o >= bufsz)
		return;
	int w = snprintf(buf + *o, bufsz - *o, "%s%s", *o ? "," : "", s);
	if (w > 0)
		*o += (size_t)w;
	if (*o >= bufsz)
		*o = bufsz;
}

void tcpfp_layout(const struct pkt *p, char *buf, size_t bufsz)
{
	if (!bufsz)
		return;
	buf[0] = '\0';
	if (!p->tcp_opts)
		return;
	struct cur c = cur_make(p->tcp_opts, p->tcp_opts_len);
	size_t o = 0;
	for (int n = 0; n < 40 && cur_left(&c); n++) {
		uint8_t kind = cur_u8(&c);
		if (kind == 0) {
			append(buf, bufsz, &o, "EOL"); /* the rest is padding */
			break;
		}
		if (kind == 1) {
			append(buf, bufsz, &o, "NOP");
			continue;
		}
		uint8_t len = cur_u8(&c);
		if (c.truncated || len < 2 || !cur_skip(&c, (size_t)len - 2)) {
			append(buf, bufsz, &o, "!");
			break;
		}
		char num[8];
		const char *name = kind == 2   ? "MSS"
		                   : kind == 3 ? "WS"
		                   : kind == 4 ? "SACK"
		                   : kind == 8 ? "TS"
		                               : NULL;
		if (!name) {
			snprintf(num, sizeof(num), "%u", (unsigned)kind);
			name = num;
		}
		append(buf, bufsz, &o, name);
	}
}

int tcpfp_guess(const struct pkt *p, struct ident_facts *f)
{
	memset(f, 0, sizeof(*f));
	if (p->kind != PKT_IP || p->proto != 6 || !p->has_l4 || !(p->tcp_flags & TCPF_SYN) ||
	    (p->tcp_flags & TCPF_RST))
		return 0;
	char layout[96];
	tcpfp_layout(p, layout, sizeof(layout));
	if (!layout[0])
		return 0;
	unsigned b = ttl_bucket(p->ttl);
	for (size_t i = 0; i < sizeof(tcpfp_rules) / sizeof(tcpfp_rules[0]); i++) {
		const struct tcpfp_rule *r = &tcpfp_rules[i];
		if (strcmp(layout, r->layout) != 0 || (r->ttl0 && r->ttl0 != b))
			continue;
		snprintf(f->os, sizeof(f->os), "%s", r->os);
		f->os_weight = TCPFP_WEIGHT;
		snprintf(f->os_why, sizeof(f->os_why), "TCP %s options %.40s, TTL %u (guess)",
		         (p->tcp_flags & TCPF_ACK) ? "SYN-ACK" : "SYN", layout, (unsigned)p->ttl);
		return 1;
	}
	return 0;
}
