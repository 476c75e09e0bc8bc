/*
 * scanner/proto-cdp.h - Cisco Discovery Protocol parsing.
 */
#ifndef SS_PROTO_CDP_H
#define SS_PROTO_CDP_H

#include <stddef.h>
#include <stdint.h>

#include "scanner/ident.h"

/* Parses a CDP frame from its LLC header (AA AA 03 00 00 0C 20 00) into
 * facts about its sender. Returns 1 for a CDP v1/v2 frame with at least
 * one whole TLV, 0 otherwise. */
int cdp_parse(const uint8_t *data, size_t len, struct ident_facts *f);

#endif
