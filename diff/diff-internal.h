/*
 * diff/diff-internal.h - match keys shared by the diffs and merge
 * (diff/diff*.c, diff/merge.c); nothing outside diff/ uses them.
 *
 * Keys are fixed-size byte strings for common/htab.h: every byte is
 * written (unused address bytes zeroed) so equal records give equal keys.
 */
#ifndef SS_DIFF_INTERNAL_H
#define SS_DIFF_INTERNAL_H

#include <stdint.h>

#include "model/result.h"

#define DIFF_IP_KEYLEN   17
#define DIFF_FLOW_KEYLEN (2 * DIFF_IP_KEYLEN + 3)
#define DIFF_VIOL_KEYLEN (1 + 2 * DIFF_IP_KEYLEN + 3 + 7)

void diff_key_ip(const ss_ip *ip, uint8_t out[DIFF_IP_KEYLEN]);
/* (src, dst, proto, dport) */
void diff_key_flow(const struct res_flow *f, uint8_t out[DIFF_FLOW_KEYLEN]);
/* (type, src, dst, proto, dport, mac), absent fields as absent */
void diff_key_violation(const struct res_violation *v, uint8_t out[DIFF_VIOL_KEYLEN]);

#endif
