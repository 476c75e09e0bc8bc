/*
 * scanner/tcp-fingerprint.h - OS hints from a TCP SYN or SYN-ACK.
 *
 * Each stack orders its SYN options its own way (Windows
 * "MSS,NOP,WS,NOP,NOP,SACK", Linux "MSS,SACK,TS,NOP,WS", Apple
 * "MSS,NOP,WS,NOP,NOP,TS,SACK,EOL"); with the initial TTL that is a
 * fingerprint worth weight 35 (above a port or TTL guess, below a banner
 * or DHCP fingerprint).
 */
#ifndef SS_TCP_FINGERPRINT_H
#define SS_TCP_FINGERPRINT_H

#include <stddef.h>

#include "scanner/decode.h"
#include "scanner/ident.h"

#define TCPFP_WEIGHT 35

/* Writes the option layout of p's TCP options ("MSS,NOP,WS,...", kinds
 * other than EOL NOP MSS WS SACK TS as their number) into buf; a
 * truncated option ends the layout with "!". */
void tcpfp_layout(const struct pkt *p, char *buf, size_t bufsz);

/* For a SYN or SYN-ACK (tcp_flags), zeroes f and fills f->os, os_weight
 * and os_why when the option layout and TTL match a known stack; returns
 * 1 then, 0 for anything else (not a SYN, unknown layout). */
int tcpfp_guess(const struct pkt *p, struct ident_facts *f);

#endif
