/*
 * common/addr.h - MAC and IP address values shared by every module.
 *
 * Addresses are plain values (no allocation). IPv4 addresses are stored in
 * the first four bytes of b[] with family 4; IPv6 uses all sixteen bytes.
 * Parsing functions return 0 on success and -1 on malformed input; they
 * never read past the terminating NUL.
 */
#ifndef SS_ADDR_H
#define SS_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define SS_MAC_STRLEN 18 /* "aa:bb:cc:dd:ee:ff" + NUL */
#define SS_IP_STRLEN  46 /* INET6_ADDRSTRLEN */

typedef struct {
	uint8_t b[6];
} ss_mac;

typedef struct {
	uint8_t family; /* 4 or 6; 0 means "no address" */
	uint8_t b[16];  /* IPv4 in b[0..3], rest zero */
} ss_ip;

/* MAC */
int ss_mac_parse(const char *s, ss_mac *out); /* aa:bb:.., aa-bb-.., aabb.ccdd.eeff */
void ss_mac_format(const ss_mac *m, char out[SS_MAC_STRLEN]);
int ss_mac_cmp(const ss_mac *a, const ss_mac *b);
int ss_mac_is_zero(const ss_mac *m);
int ss_mac_is_broadcast(const ss_mac *m);
int ss_mac_is_multicast(const ss_mac *m);     /* group bit, includes broadcast */
int ss_mac_is_locally_admin(const ss_mac *m); /* U/L bit set, unicast */
uint32_t ss_mac_hash(const ss_mac *m);

/* IP */
void ss_ip_from_v4(ss_ip *out, const uint8_t b[4]);
void ss_ip_from_v6(ss_ip *out, const uint8_t b[16]);
int ss_ip_parse(const char *s, ss_ip *out);
void ss_ip_format(const ss_ip *ip, char out[SS_IP_STRLEN]);
int ss_ip_cmp(const ss_ip *a, const ss_ip *b); /* orders v4 before v6 */
int ss_ip_eq(const ss_ip *a, const ss_ip *b);
uint32_t ss_ip_hash(const ss_ip *ip);
unsigned ss_ip_bits(const ss_ip *ip);       /* 32 or 128 */
int ss_ip_bit(const ss_ip *ip, unsigned i); /* bit i from the most significant */

/* Classification. "Local service" addresses never form cross-zone flows:
 * multicast, limited/subnet-unknown broadcast, link-local, unspecified,
 * loopback. */
int ss_ip_is_unspecified(const ss_ip *ip);
int ss_ip_is_loopback(const ss_ip *ip);
int ss_ip_is_multicast(const ss_ip *ip);
int ss_ip_is_broadcast(const ss_ip *ip); /* 255.255.255.255 only */
int ss_ip_is_linklocal(const ss_ip *ip); /* 169.254/16, fe80::/10 */
int ss_ip_is_private(const ss_ip *ip);   /* RFC1918, 100.64/10 CGN, fc00::/7 */
int ss_ip_is_local_service(const ss_ip *ip);
/* A routable public address: not any of the above nor reserved ranges
 * (0/8, 192.0.2/24 etc. count as public for simplicity except 0/8, 240/4). */
int ss_ip_is_public(const ss_ip *ip);

/* CIDR prefix: the address with host bits cleared and a length. */
typedef struct {
	ss_ip net;
	uint8_t len;
} ss_prefix;

/* "10.0.0.0/8", "fd00::/48", or a bare address (full length). Host bits
 * set beyond the prefix length are an error (-2) so typos are caught;
 * other malformed input is -1. */
int ss_prefix_parse(const char *s, ss_prefix *out);
int ss_prefix_contains(const ss_prefix *p, const ss_ip *ip);
void ss_prefix_format(const ss_prefix *p, char out[SS_IP_STRLEN + 4]);

#endif
