/*
 * scanner/decode.h - from link-layer bytes to a decoded packet summary.
 *
 * dec_packet() walks link layer -> VLAN tags -> ARP | IPv4 | IPv6 -> ICMP,
 * ICMPv6/NDP, TCP, UDP and fills a struct pkt. It never allocates; pointers
 * in the result point into the caller's buffer and are valid as long as it.
 */
#ifndef SS_DECODE_H
#define SS_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "common/util.h"

/* libpcap DLT values we decode. */
#define SS_DLT_NULL         0
#define SS_DLT_EN10MB       1
#define SS_DLT_SLIP         8  /* 16-byte BSD SLIP pseudo-header, then IPv4 */
#define SS_DLT_RAW          12 /* OpenBSD/Linux raw IP; some systems use 14 */
#define SS_DLT_RAW14        14
#define SS_DLT_LOOP         108
#define SS_DLT_LINUX_SLL    113
#define SS_DLT_IPV4         228
#define SS_DLT_IPV6         229
#define SS_DLT_LINKTYPE_RAW 101 /* LINKTYPE_RAW as stored in files */
#define SS_DLT_LINUX_SLL2   276

int dec_linktype_supported(int dlt);

enum dec_status {
	DEC_OK = 0,
	DEC_TRUNCATED,  /* a header was cut short: counted and skipped */
	DEC_MALFORMED,  /* lengths that contradict each other */
	DEC_UNSUPPORTED /* a link or network protocol we do not decode */
};

enum pkt_kind { PKT_OTHER = 0, PKT_ARP, PKT_IP, PKT_L2 };

/* TCP flags */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

struct pkt_arp {
	uint16_t op;
	ss_mac sha, tha;
	ss_ip spa, tpa;
};

struct pkt_ndp {
	uint8_t type; /* 133 RS, 134 RA, 135 NS, 136 NA; 0 none */
	ss_ip target; /* NS/NA target */
	int has_lla;  /* source LLA (RS/RA/NS) or target LLA (NA) */
	ss_mac lla;
	uint8_t na_flags; /* R S O bits of an NA */
};

struct pkt {
	ss_time ts;
	uint32_t wirelen;
	uint32_t caplen;

	enum pkt_kind kind;
	int has_l2;
	ss_mac src_mac, dst_mac;
	int vlan;       /* innermost 802.1Q id, -1 if untagged */
	int outer_vlan; /* outer tag id of QinQ, -1 if none */
	uint16_t ethertype;
	/* Non-IP L2 payload (LLDP, PROFINET, LLC/SNAP such as CDP). */
	const uint8_t *l2_payload;
	size_t l2_len;
	int llc; /* 802.3 frame with LLC header: l2_payload starts at the LLC */

	struct pkt_arp arp;

	/* IP */
	ss_ip src, dst;
	uint8_t proto; /* final upper-layer protocol (after IPv6 extensions) */
	uint8_t ttl;   /* TTL / hop limit */
	uint16_t ip_id;
	int fragment;      /* any fragment */
	int frag_nonfirst; /* no L4 header in this one */
	uint16_t ip_len;   /* IP total length as decoded */

	/* L4 */
	int has_l4;
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t tcp_seq;
	uint16_t tcp_window;
	const uint8_t *tcp_opts;
	size_t tcp_opts_len;
	uint8_t icmp_type, icmp_code;
	struct pkt_ndp ndp;

	const uint8_t *payload;
	size_t payload_len;
};

/* Decodes one captured frame. Returns DEC_OK or the reason it stopped;
 * on DEC_TRUNCATED the fields decoded before the cut are still filled but
 * the caller must not use the packet for bindings. */
enum dec_status dec_packet(int dlt, const uint8_t *data, size_t caplen, size_t wirelen,
                           struct pkt *out);

#endif
