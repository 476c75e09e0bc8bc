/*
 * scanner/proto-lldp.h - LLDP parsing, and the system description and
 * capability rules CDP (scanner/proto-cdp.c) shares with it.
 */
#ifndef SS_PROTO_LLDP_H
#define SS_PROTO_LLDP_H

#include <stddef.h>
#include <stdint.h>

#include "scanner/ident.h"

/* Parses an LLDPDU (the bytes after EtherType 0x88cc) into facts about its
 * sender. Returns 1 when the mandatory chassis id, port id and TTL TLVs
 * open it, 0 otherwise (facts may then be partly filled: zero them). */
int lldp_parse(const uint8_t *data, size_t len, struct ident_facts *f);

/* Fills OS, vendor, firmware and a weight-50 class from a system
 * description (lines joined, printable). src opens the "why", e.g.
 * "LLDP system description". */
void lldp_sysdescr_facts(const char *descr, const char *src, struct ident_facts *f);

/* Sets a weight-90 class from LLDP enabled-capability bits (the most
 * specific bit wins, see the .c file); returns 0 when no bit decides. */
int lldp_caps_class(unsigned enabled, const char *src, struct ident_facts *f);

/* Copies untrusted text as one printable line: CR, LF and TAB become
 * blanks (a description's lines joined), blanks are collapsed, other
 * control and non-ASCII bytes become '?'; stops at NUL. */
void lldp_text(char *dst, size_t dstsz, const uint8_t *src, size_t n);

#endif
