/*
 * tests/helper_pcapgen.h - build packets byte by byte and write capture files.
 *
 * The fixture tests compare segscan's output with the truth of how a capture
 * was built, so the captures are built here, independently of everything
 * segscan uses to read them: no libpcap writer, no shared decoder code.
 *
 * Frames are built outside-in into a pg_frame:
 *
 *     pg_frame f;
 *     pg_frame_init(&f);
 *     pg_eth(&f, dst, src, PG_ETH_IPV4);
 *     size_t ip = pg_ipv4_begin(&f, &(pg_ipv4){.src = a, .dst = b, .proto = 6});
 *     pg_tcp(&f, ip, &(pg_tcp_opt){.sport = 40000, .dport = 80, .flags = PG_SYN});
 *     pg_ipv4_end(&f, ip);              // total length + header checksum
 *     pg_pad(&f, 60, 0);                // Ethernet padding after the IP packet
 *
 * L4 builders take the offset of their IP header and compute the checksum with
 * the pseudo-header at once, over every byte from the L4 header to the end of
 * the frame so far; so an L4 builder must be the last thing before *_end.
 * Errors (buffer full) set f->overflow; every builder is then a no-op.
 */
#ifndef PG_PCAPGEN_H
#define PG_PCAPGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PG_FRAME_MAX 65600

typedef struct pg_frame {
	uint8_t b[PG_FRAME_MAX];
	size_t len;
	int overflow;
} pg_frame;

/* Ethertypes */
#define PG_ETH_IPV4 0x0800
#define PG_ETH_ARP  0x0806
#define PG_ETH_VLAN 0x8100
#define PG_ETH_QINQ 0x88a8
#define PG_ETH_IPV6 0x86dd

/* IP protocol numbers */
#define PG_IP_HOPOPTS  0
#define PG_IP_ICMP     1
#define PG_IP_TCP      6
#define PG_IP_UDP      17
#define PG_IP_ROUTING  43
#define PG_IP_FRAGMENT 44
#define PG_IP_ICMPV6   58
#define PG_IP_NONE     59
#define PG_IP_DSTOPTS  60

/* TCP flags */
#define PG_FIN 0x01
#define PG_SYN 0x02
#define PG_RST 0x04
#define PG_PSH 0x08
#define PG_ACK 0x10
#define PG_URG 0x20

/* Link types (pcap LINKTYPE_ values) */
#define PG_LT_NULL     0
#define PG_LT_ETHERNET 1
#define PG_LT_RAW12    12
#define PG_LT_RAW      101
#define PG_LT_SLL      113
#define PG_LT_SLL2     276

/* ---- frame buffer ---- */
void pg_frame_init(pg_frame *f);
/* Appends n raw bytes (p may be NULL: appends zeros). Returns the offset. */
size_t pg_append(pg_frame *f, const void *p, size_t n);
/* Appends one byte value until the frame is at least min_len long. */
void pg_pad(pg_frame *f, size_t min_len, uint8_t fill);
/* Appends n bytes of `fill` unconditionally (a trailer beyond the IP packet). */
void pg_trailer(pg_frame *f, size_t n, uint8_t fill);
void pg_put16(uint8_t *p, uint16_t v); /* big-endian */
void pg_put32(uint8_t *p, uint32_t v);

/* ---- parsing helpers for literal addresses (abort on bad input) ---- */
void pg_mac(const char *s, uint8_t out[6]);
uint32_t pg_ip4(const char *s); /* host byte order */
void pg_ip6(const char *s, uint8_t out[16]);

/* RFC 1071 Internet checksum of n bytes, starting from a partial sum. */
uint32_t pg_sum(uint32_t sum, const uint8_t *p, size_t n);
uint16_t pg_fold(uint32_t sum); /* returns the ones' complement of the fold */
uint16_t pg_cksum(const uint8_t *p, size_t n);

/* ---- link layers ---- */
/* Ethernet II: 14 bytes. */
void pg_eth(pg_frame *f, const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype);
/* One VLAN tag body after an ethertype of 0x8100/0x88a8: TCI (pcp, dei=0,
 * vid) and the next ethertype. For QinQ call pg_eth(.., PG_ETH_QINQ),
 * pg_vlan(.., outer, PG_ETH_VLAN), pg_vlan(.., inner, real type). */
void pg_vlan(pg_frame *f, uint8_t pcp, uint16_t vid, uint16_t ethertype);
/* Linux cooked v1 (16 bytes). pkttype: 0 to us, 1 broadcast, 2 multicast,
 * 3 to someone else, 4 outgoing. addr: 6-byte hardware address or NULL. */
void pg_sll(pg_frame *f, uint16_t pkttype, const uint8_t addr[6], uint16_t proto);
/* Linux cooked v2 (20 bytes). */
void pg_sll2(pg_frame *f, uint32_t ifindex, uint8_t pkttype, const uint8_t addr[6], uint16_t proto);
/* BSD loopback / null: 4-byte address family, little-endian (as written on
 * the little-endian host our pcap header also claims). AF_INET = 2. */
void pg_null(pg_frame *f, uint32_t family);

/* ---- ARP ---- */
#define PG_ARP_REQUEST 1
#define PG_ARP_REPLY   2
/* Ethernet/IPv4 ARP: 28 bytes. tha may be NULL (zeros). */
void pg_arp(pg_frame *f, uint16_t op, const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
            uint32_t tpa);
/* Any ARP: the four addresses are hln/pln bytes each (NULL: zeros). */
void pg_arp_raw(pg_frame *f, uint16_t htype, uint16_t ptype, uint8_t hln, uint8_t pln, uint16_t op,
                const uint8_t *sha, const uint8_t *spa, const uint8_t *tha, const uint8_t *tpa);

/* ---- IPv4 ---- */
typedef struct pg_ipv4 {
	uint32_t src, dst; /* host byte order */
	uint8_t proto;
	uint8_t ttl; /* 0 means 64 */
	uint8_t tos;
	uint16_t id;
	int df, mf;
	uint16_t frag_off8; /* fragment offset in 8-byte units */
	const uint8_t *options;
	size_t options_len; /* padded with EOL to a multiple of 4, max 40 */
} pg_ipv4;
/* Writes the header; returns its offset for pg_ipv4_end and L4 builders. */
size_t pg_ipv4_begin(pg_frame *f, const pg_ipv4 *ip);
/* Sets total length (everything after the header offset) and checksum. */
void pg_ipv4_end(pg_frame *f, size_t off);

/* ---- IPv6 ---- */
typedef struct pg_ipv6 {
	uint8_t src[16], dst[16];
	uint8_t next; /* first next-header value */
	uint8_t hlim; /* 0 means 64 */
	uint32_t flow;
} pg_ipv6;
size_t pg_ipv6_begin(pg_frame *f, const pg_ipv6 *ip);
/* Sets payload length. */
void pg_ipv6_end(pg_frame *f, size_t off);
/* Extension headers; each takes the next-header value that follows it.
 * Hop-by-hop and destination options carry PadN to 8 bytes (or a router
 * alert for hop-by-hop when router_alert is set). */
void pg_ip6_hopopts(pg_frame *f, uint8_t next, int router_alert);
void pg_ip6_dstopts(pg_frame *f, uint8_t next);
/* Routing header type `type`, segments left 0, no addresses (8 bytes). */
void pg_ip6_routing(pg_frame *f, uint8_t next, uint8_t type);
void pg_ip6_frag(pg_frame *f, uint8_t next, uint16_t off8, int m, uint32_t id);

/* ---- ICMP ---- */
/* ICMP echo (type 8 request, 0 reply). Checksum over the rest of the frame. */
void pg_icmp_echo(pg_frame *f, uint8_t type, uint16_t id, uint16_t seq, const void *data, size_t n);

/* ---- ICMPv6 (checksums with the pseudo-header of the IPv6 header at ip6) ---- */
void pg_icmp6_echo(pg_frame *f, size_t ip6, uint8_t type, uint16_t id, uint16_t seq,
                   const void *data, size_t n);
/* Neighbor Solicitation; sll (source link-layer address option) may be NULL. */
void pg_icmp6_ns(pg_frame *f, size_t ip6, const uint8_t target[16], const uint8_t *sll);
#define PG_NA_ROUTER    0x80
#define PG_NA_SOLICITED 0x40
#define PG_NA_OVERRIDE  0x20
/* Neighbor Advertisement; tll (target link-layer address option) may be NULL. */
void pg_icmp6_na(pg_frame *f, size_t ip6, uint8_t flags, const uint8_t target[16],
                 const uint8_t *tll);
/* Router Advertisement with an optional source LLA and an optional prefix
 * information option (prefix NULL: none). */
void pg_icmp6_ra(pg_frame *f, size_t ip6, uint8_t cur_hlim, uint16_t lifetime, const uint8_t *sll,
                 const uint8_t *prefix, uint8_t prefix_len);

/* ---- TCP / UDP ---- */
typedef struct pg_tcp_opt {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window; /* 0 means 64240 */
	uint16_t mss;    /* option present when non-zero */
	int ws;          /* window scale shift + 1 (0 = no option), e.g. 8 for shift 7 */
	int sack_perm;
	int ts; /* timestamp option with tsval/tsecr */
	uint32_t tsval, tsecr;
	const void *payload;
	size_t payload_len;
} pg_tcp_opt;
void pg_tcp(pg_frame *f, size_t ip, const pg_tcp_opt *t);
/* UDP with payload; length field = 8 + n; checksum with the pseudo-header. */
void pg_udp(pg_frame *f, size_t ip, uint16_t sport, uint16_t dport, const void *data, size_t n);
/* Checksum helpers for callers that build L4 by hand (e.g. fragments): the
 * pseudo-header sum for an L4 segment of `len` bytes of protocol `proto`. */
uint32_t pg_pseudo_sum(const pg_frame *f, size_t ip, uint8_t proto, size_t len);

/* ---- DHCPv4 (BOOTP payload, to be wrapped in pg_udp) ---- */
#define PG_DHCPDISCOVER 1
#define PG_DHCPOFFER    2
#define PG_DHCPREQUEST  3
#define PG_DHCPACK      5
typedef struct pg_dhcp {
	uint8_t msg_type; /* option 53; also decides op (1 or 2) */
	uint32_t xid;
	uint8_t chaddr[6];
	uint32_t ciaddr, yiaddr, siaddr, giaddr; /* host byte order */
	int broadcast;                           /* flags 0x8000 */
	uint32_t requested_ip;                   /* option 50 when non-zero */
	uint32_t server_id;                      /* option 54 when non-zero */
	uint32_t lease_time;                     /* option 51 when non-zero */
	uint32_t subnet_mask;                    /* option 1 when non-zero */
	uint32_t router;                         /* option 3 when non-zero */
	const char *hostname;                    /* option 12 when non-NULL */
	const char *vendor_class;                /* option 60 when non-NULL */
	const uint8_t *prl;                      /* option 55 when prl_len > 0 */
	size_t prl_len;
} pg_dhcp;
/* Writes the BOOTP message (236 bytes + cookie + options + end, padded to
 * 300 bytes) into out; returns its length, 0 if cap is too small. */
size_t pg_dhcp_build(uint8_t *out, size_t cap, const pg_dhcp *d);

/* ---- classic pcap writer (little-endian, by hand) ---- */
typedef struct pg_pcap pg_pcap;
/* nanosecond: use the 0xa1b23c4d magic and nanosecond timestamps. */
pg_pcap *pg_pcap_open(const char *path, uint32_t linktype, int nanosecond, uint32_t snaplen);
/* ts_ns: nanoseconds since the epoch. caplen bytes of data are written;
 * origlen is the length on the wire (>= caplen). */
int pg_pcap_write(pg_pcap *p, uint64_t ts_ns, const uint8_t *data, size_t caplen, size_t origlen);
/* Writes a whole frame (caplen = origlen = f->len). */
int pg_pcap_frame(pg_pcap *p, uint64_t ts_ns, const pg_frame *f);
int pg_pcap_close(pg_pcap *p); /* 0 on success (all writes succeeded) */

/* ---- pcapng writer (little-endian section) ---- */
typedef struct pg_pcapng pg_pcapng;
/* Writes the Section Header Block. */
pg_pcapng *pg_pcapng_open(const char *path);
/* Interface Description Block; returns the interface id, -1 on error.
 * Timestamps are in microseconds (the default if_tsresol). */
int pg_pcapng_idb(pg_pcapng *p, uint16_t linktype, uint32_t snaplen);
/* Enhanced Packet Block. */
int pg_pcapng_epb(pg_pcapng *p, uint32_t ifid, uint64_t ts_ns, const uint8_t *data, size_t caplen,
                  size_t origlen);
/* Any block: type, body (padded to 4), total lengths around it. */
int pg_pcapng_block(pg_pcapng *p, uint32_t type, const uint8_t *body, size_t len);
int pg_pcapng_close(pg_pcapng *p);

#endif
