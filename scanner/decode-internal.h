/*
 * scanner/decode-internal.h - the layer functions dec_packet() chains.
 * Each takes a cursor positioned at its header and fills struct pkt.
 */
#ifndef SS_DECODE_INTERNAL_H
#define SS_DECODE_INTERNAL_H

#include "scanner/cursor.h"
#include "scanner/decode.h"

enum dec_status dec_ethertype(struct cur *c, uint16_t ethertype, struct pkt *p);
enum dec_status dec_arp(struct cur *c, struct pkt *p);
enum dec_status dec_ipv4(struct cur *c, struct pkt *p);
enum dec_status dec_ipv6(struct cur *c, struct pkt *p);
/* Upper layer after IP: c is limited to the IP payload. */
enum dec_status dec_l4(struct cur *c, struct pkt *p);

#define ETH_IPV4     0x0800
#define ETH_ARP      0x0806
#define ETH_VLAN     0x8100
#define ETH_QINQ     0x88a8
#define ETH_QINQ_OLD 0x9100
#define ETH_IPV6     0x86dd

#endif
