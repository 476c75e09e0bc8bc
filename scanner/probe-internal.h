/*
 * scanner/probe-internal.h - the state of one probe run, shared by the
 * planner (probe-plan.c), the sender (probe-send.c) and nobody else.
 */
#ifndef SS_PROBE_INTERNAL_H
#define SS_PROBE_INTERNAL_H

#include <stdio.h>

#include "scanner/probe.h"

/* Per (host, port) state byte: attempts in the low nibble, result above. */
#define PS_ATTEMPTS(b) ((unsigned)(b)&0x0fu)
#define PS_RESULT(b)   ((unsigned)(b) >> 4)
#define PS_OPEN        1u
#define PS_CLOSED      2u

enum probe_via { VIA_ARP = 1, VIA_PASSIVE = 2, VIA_DRY = 3 };

struct probe_host {
	uint32_t ip;
	ss_mac mac;
	uint8_t via;
	uint8_t *ps;      /* n_ports state bytes */
	double *ps_at;    /* n_ports: when the last SYN to each port went out */
	int64_t *ps_wall; /* the same in wall-clock microseconds (packet time) */
};

/* A probe sent and not yet settled, in the order sent: its retry (or, after
 * the last attempt, the end of its wait) is due at + the reply timeout. */
struct probe_sent {
	double at;
	uint32_t idx;  /* ARP: target index; TCP: host index */
	uint32_t port; /* TCP: port index; PROBE_SENT_ARP for an ARP request */
};
#define PROBE_SENT_ARP UINT32_MAX
/* The reply timeout never goes below this, whatever the round trips: twice
 * the 100 ms a live capture may hold a reply before handing it over
 * (scanner/capture.c), so an answer that came in time is seen in time. */
#define PROBE_MIN_WAIT 0.2

struct probe_zone_count {
	const struct pol_zone *zone;
	size_t targets;
};

struct probe {
	const struct probe_opts *o;
	const struct policy *pol;
	uint16_t *ports;
	size_t n_ports;
	uint8_t key[16];
	ss_mac src_mac;
	uint32_t src_ip;

	/* The plan: every in-scope address, ascending. */
	uint32_t *tg;
	size_t n_tg;
	uint8_t *tg_arp;  /* ARP attempts per target */
	double *tg_at;    /* when the last ARP request to each target went out */
	int64_t *tg_wall; /* the same in wall-clock microseconds (packet time) */
	int32_t *tg_host; /* index into hosts, -1 */
	struct probe_zone_count *zc;
	size_t n_zc;
	size_t skipped_passive, skipped_outside, skipped_netbcast;

	/* Hosts that are up: answered ARP or heard passively. */
	struct probe_host *hosts;
	size_t n_hosts, cap_hosts;

	/* Schedule (probe-send.c, at its top): the ARP sweep, then retries as
	 * they fall due, then the SYNs owed to hosts that are up. */
	size_t arp_cur;            /* next target for a first ARP request */
	size_t tcp_port, tcp_host; /* next (port, host) for a first SYN */
	size_t tcp_first_owed;     /* (host, port) pairs never sent */
	struct probe_sent *sent;   /* ring, oldest first */
	size_t sent_head, sent_n, sent_cap;
	double rtt_max; /* slowest reply seen (seconds); the timeout follows it */
	size_t rtt_n;
	int dry_hosts; /* dry run: every target has been made a host */
	double tcp_start_at;
	double last_refresh;
	double last_frame;
	int any_frame;
	double first_frame;
	struct probe_bucket bucket;
	int bucket_ready;
	double next_delay; /* seconds the last tick asked to wait (dry run) */

	/* Output. */
	void *build; /* libnet_t, LIBNET_NONE: builds frames, needs nothing */
	void *link;  /* libnet_t, LIBNET_LINK_ADV on the interface */
	void *pdead; /* pcap_t for --write-probes */
	void *pdump; /* pcap_dumper_t */
	int dry;     /* --write-probes: frames go to the pcap */
	int virt;    /* probe_run_dry: time is vnow, advanced by the run */
	double vnow;
	int64_t vbase; /* wall-clock microseconds the dry run starts at */
	int failed;

	struct probe_stats st;
	char err[512];
	char progress[200];
	double progress_at;
};

double probe_now(struct probe *pr);
/* Whether ip (host order) is a network or broadcast address of a prefix of
 * length len (only /30 and wider have them). */
int probe_is_netbcast(uint32_t ip, unsigned len);
uint32_t probe_ip4(const ss_ip *ip);
void probe_ip_from(ss_ip *out, uint32_t ip);
/* Index of ip in the plan, or -1. */
long probe_target_index(const struct probe *pr, uint32_t ip);
/* Adds a host that is up (idempotent); returns its index. */
size_t probe_host_add(struct probe *pr, uint32_t ip, const ss_mac *mac, uint8_t via);

/* probe-frame.c: builders on a caller's LIBNET_NONE context. */
void *probe_frame_ctx_new(char *err, size_t errsz);
void probe_frame_ctx_free(void *l);
size_t probe_frame_arp_l(void *l, const ss_mac *src_mac, uint32_t src_ip, uint32_t dst_ip,
                         uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz);
size_t probe_frame_syn_l(void *l, const ss_mac *src_mac, const ss_mac *dst_mac, uint32_t src_ip,
                         uint32_t dst_ip, uint16_t sport, uint16_t dport, uint32_t seq,
                         uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz);
/* The source port and sequence number of the SYN to (dst_ip, dport). */
void probe_syn_ids(const struct probe *pr, uint32_t dst_ip, uint16_t dport, uint16_t *sport,
                   uint32_t *seq);

#endif
