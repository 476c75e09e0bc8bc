/*
 * scanner/ident-table.c - the one table of protocol identifiers.
 *
 * Add a protocol: write scanner/proto-NAME.c defining
 * `const struct ident_def ident_def_NAME`, declare it below and list it in
 * ident_protos[]. Order matters only among identifiers that could both
 * accept a payload: the stricter check goes first.
 */
#include "scanner/ident.h"

extern const struct ident_def ident_def_dhcp;

const struct ident_def *const ident_protos[] = {
    &ident_def_dhcp,
    NULL,
};
