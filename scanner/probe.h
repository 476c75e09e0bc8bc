/*
 * scanner/probe.h - optional active probes (ARP sweep, TCP SYN) that are
 * safe on a factory network.
 *
 * segscan is passive unless `audit --probe` is given. Then, on the one live
 * interface, it sweeps the IPv4 zone networks whose policy says `probe:
 * allow` with ARP requests and sends TCP SYNs to a short list of ports on
 * the hosts that are up. Replies come back through the same passive capture
 * (they become hosts and services through inv_add like any other frame);
 * probe_observe() recognises them statelessly, like masscan and zmap: the
 * source port and sequence number of each SYN are a keyed hash of the
 * target, so a reply names the probe it answers.
 *
 * Safety, each rule enforced in code twice, in the planner and again on the
 * exact bytes of every frame just before it is sent or written:
 *   - only addresses inside a declared zone whose probe is allowed (longest
 *     prefix decides: a passive-only zone nested in an allowed one stays
 *     untouched); without a policy, only addresses inside --target;
 *   - never a network or broadcast address (of the zone network, and of the
 *     --target prefix, for prefixes of /30 and wider), never a local-service
 *     address, never the interface's own address;
 *   - at most --rate frames per second across all probes (token bucket);
 *   - a sweep of more than --max-targets addresses is refused.
 * IPv6 is never swept: ARP is IPv4, and an IPv6 /64 cannot be enumerated.
 *
 * The run is single-threaded: the capture loop (cap_run_live_tick) calls
 * probe_tick() between polls; probe_tick() sends what the token bucket
 * allows and says how long it may sleep. With --write-probes, nothing is
 * opened or sent: probe_run_dry() writes every frame the run would send if
 * nothing answered into a pcap, paced by a virtual clock.
 *
 * Library code: errors come back as a status and a message; only cli/ prints.
 */
#ifndef SS_PROBE_H
#define SS_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "policy/policy.h"

struct inventory;
struct pkt;

/* ---- options ---- */

#define PROBE_ARP 0x1u
#define PROBE_TCP 0x2u

#define PROBE_DEFAULT_RATE        100.0
#define PROBE_DEFAULT_RETRIES     2
#define PROBE_DEFAULT_WAIT        1.0
#define PROBE_DEFAULT_MAX_TARGETS 4096
/* Common IT and industrial TCP ports: ftp ssh telnet http s7comm https smb
 * modbus mqtt iec104 rdp opcua vnc http-alt dnp3 enip. */
#define PROBE_DEFAULT_PORTS "21,22,23,80,102,443,445,502,1883,2404,3389,4840,5900,8080,20000,44818"

/* SYN source ports: 61000-61999, above Linux's default ephemeral range
 * (32768-60999) so the kernel's own connections never collide with them. */
#define PROBE_SPORT_BASE  61000
#define PROBE_SPORT_COUNT 1000

/* Clock in seconds (monotonic). Tests inject one; NULL means CLOCK_MONOTONIC. */
typedef double (*probe_clock_fn)(void *ctx);

struct probe_opts {
	unsigned kinds;  /* PROBE_ARP | PROBE_TCP; 0: no probing */
	uint16_t *ports; /* sorted, unique; owned; NULL: the default list */
	size_t n_ports;
	double rate;      /* frames per second, all probes together */
	unsigned retries; /* extra attempts for a probe that got no answer */
	double wait;      /* longest wait for a reply (scanner/probe-send.c) */
	size_t max_targets;
	ss_prefix *targets; /* --target, owned */
	size_t n_targets;
	const char *write_probes; /* pcap path: dry run, nothing sent */
	const char *iface;        /* the live interface (the caller's -i) */
	/* Source addresses. Filled from iface by probe_new unless has_src. */
	int has_src;
	ss_mac src_mac;
	uint32_t src_ip; /* host byte order */
	/* Tests only: fixed hash key and clock. */
	int has_key;
	uint8_t key[16];
	probe_clock_fn clock;
	void *clock_ctx;
};

void probe_opts_init(struct probe_opts *o);
void probe_opts_free(struct probe_opts *o);

/* The command-line options, for getopt_long tables in cli/:
 *     static const struct option opts[] = { ..., PROBE_LONG_OPTIONS(OPT_PROBE_BASE), ... };
 * then `case OPT_PROBE_BASE ... OPT_PROBE_BASE + PROBE_OPT__COUNT - 1:`
 *     probe_parse_option(&po, c - OPT_PROBE_BASE, optarg, err, sizeof(err)). */
enum probe_optid {
	PROBE_OPT_PROBE,
	PROBE_OPT_PORTS,
	PROBE_OPT_RATE,
	PROBE_OPT_RETRIES,
	PROBE_OPT_WAIT,
	PROBE_OPT_MAX_TARGETS,
	PROBE_OPT_TARGET,
	PROBE_OPT_WRITE_PROBES,
	PROBE_OPT__COUNT
};
#define PROBE_LONG_OPTIONS(base)                                                                   \
	{"probe", required_argument, NULL, (base) + PROBE_OPT_PROBE},                              \
	    {"ports", required_argument, NULL, (base) + PROBE_OPT_PORTS},                          \
	    {"rate", required_argument, NULL, (base) + PROBE_OPT_RATE},                            \
	    {"retries", required_argument, NULL, (base) + PROBE_OPT_RETRIES},                      \
	    {"wait", required_argument, NULL, (base) + PROBE_OPT_WAIT},                            \
	    {"max-targets", required_argument, NULL, (base) + PROBE_OPT_MAX_TARGETS},              \
	    {"target", required_argument, NULL, (base) + PROBE_OPT_TARGET},                        \
	{                                                                                          \
		"write-probes", required_argument, NULL, (base) + PROBE_OPT_WRITE_PROBES           \
	}
/* Lines for `segscan audit --help` (check-man.sh finds each in the man page). */
#define PROBE_HELP                                                                                 \
	"      --probe KINDS     active probes: arp, tcp or arp,tcp (see PROBES in segscan(8))\n"  \
	"      --ports LIST      TCP ports to probe, e.g. 22,80,502,1-1024 (default: common\n"     \
	"                        IT and industrial ports)\n"                                       \
	"      --rate PPS        probe frames per second, all probes together (default 100)\n"     \
	"      --retries N       extra attempts for an unanswered probe (default 2)\n"             \
	"      --wait SECONDS    longest wait for a reply before a retry (default 1)\n"            \
	"      --max-targets N   refuse a sweep of more addresses (default 4096)\n"                \
	"      --target CIDR     probe only inside CIDR (repeatable; required without -p)\n"       \
	"      --write-probes FILE  write the frames to a pcap instead of sending them\n"

/* Parses one option's argument. Returns 0, or -1 with err. */
int probe_parse_option(struct probe_opts *o, int id, const char *arg, char *err, size_t errsz);
/* "22,80,1-1024": sorted, unique, 1-65535. Returns 0 or -1 with err. */
int probe_parse_ports(const char *s, uint16_t **out, size_t *n, char *err, size_t errsz);
/* "arp", "tcp", "arp,tcp". Returns 0 or -1 with err. */
int probe_parse_kinds(const char *s, unsigned *out, char *err, size_t errsz);

/* ---- the plan ---- */

struct probe;

/* Checks the options against the policy (may be NULL) and expands the
 * targets. Reads the interface's MAC and IPv4 address (no privilege
 * needed) unless o->has_src. Returns NULL with err on any refusal: no
 * target without a policy, a --target outside the zones that allow
 * probing, more than --max-targets addresses (how many, in which zones,
 * how to narrow). o and pol must outlive the probe. */
struct probe *probe_new(const struct probe_opts *o, const struct policy *pol, char *err,
                        size_t errsz);
void probe_free(struct probe *pr);

/* The plan, printed before the first frame: targets, zones, ports, rate,
 * retries, worst-case duration. Returns a string the caller frees. */
char *probe_plan_text(const struct probe *pr);

/* The planned addresses (IPv4, host byte order, ascending). */
size_t probe_target_count(const struct probe *pr);
uint32_t probe_target_at(const struct probe *pr, size_t i);
/* Whether ip (host order) is inside the probe scope: the final check the
 * sender applies to every frame. */
int probe_in_scope(const struct probe *pr, uint32_t ip);

/* ---- running ---- */

/* Opens the sending handle: a libnet link-layer context on o->iface
 * (needs CAP_NET_RAW), or the pcap file of --write-probes (no privilege).
 * Returns 0, or -1 with err. */
int probe_open(struct probe *pr, char *err, size_t errsz);

#define PROBE_TICK_DONE  (-1)
#define PROBE_TICK_ERROR (-2)
/* Sends what the rate allows and updates the schedule. inv (may be NULL)
 * is read for hosts heard passively and receives the probe evidence.
 * Returns how many milliseconds the caller may wait before the next call
 * (0..100), PROBE_TICK_DONE when every probe has been sent and waited
 * for (a later call may still find new hosts heard passively), or
 * PROBE_TICK_ERROR (probe_error() says why; nothing more is sent). */
int probe_tick(struct probe *pr, struct inventory *inv);
/* Called for every captured packet before inv_add. Records replies to our
 * probes (and gives their hosts the arp-probe / tcp-probe evidence in inv).
 * Returns 1 when p is one of our own probe frames, captured on its way
 * out: the caller should not add it to the inventory (our sweep is not the
 * network's traffic). */
int probe_observe(struct probe *pr, struct inventory *inv, const struct pkt *p);
/* Dry run for --write-probes: runs the whole schedule on a virtual clock as
 * if nothing answered (every target counts as up for TCP, MAC
 * 00:00:00:00:00:00 unless inv knows it) and writes each frame with its
 * paced timestamp. Returns 0, or -1 with err. */
int probe_run_dry(struct probe *pr, struct inventory *inv, char *err, size_t errsz);
const char *probe_error(const struct probe *pr);
/* A progress line ("probes: 120/600 sent, 7 replies, ...") when one is due
 * (twice a second), else NULL. */
const char *probe_progress_line(struct probe *pr);

/* ---- results ---- */

enum probe_port_state {
	PROBE_PORT_UNPROBED,
	PROBE_PORT_OPEN,
	PROBE_PORT_CLOSED,
	PROBE_PORT_FILTERED
};

struct probe_stats {
	size_t targets; /* addresses in the plan */
	size_t frames;  /* frames sent (or written) */
	size_t arp_sent, tcp_sent;
	size_t replies;  /* answers matched to a probe */
	size_t hosts_up; /* answered ARP, or heard passively */
	size_t open, closed, filtered;
	double elapsed; /* seconds from first to last frame */
};
void probe_get_stats(const struct probe *pr, struct probe_stats *st);

/* Hosts the TCP probes went to, in order; per port, its state. */
size_t probe_host_count(const struct probe *pr);
int probe_host_at(const struct probe *pr, size_t i, uint32_t *ip, ss_mac *mac, int *arp_reply);
enum probe_port_state probe_port_state(const struct probe *pr, size_t host, uint16_t port);

/* ---- frames (scanner/probe-frame.c), exposed for tests ---- */

#define PROBE_FRAME_MAX 128
/* ARP request "who-has tpa tell spa" to ff:ff:ff:ff:ff:ff. Returns the
 * length (42), or 0 with err. */
size_t probe_frame_arp(const ss_mac *src_mac, uint32_t src_ip, uint32_t dst_ip,
                       uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz);
/* TCP SYN with an MSS option (1460), window 1024, TTL 64, IP id and
 * sequence number from the cookie. Returns the length (58), or 0 with err. */
size_t probe_frame_syn(const ss_mac *src_mac, const ss_mac *dst_mac, uint32_t src_ip,
                       uint32_t dst_ip, uint16_t sport, uint16_t dport, uint32_t seq,
                       uint8_t out[PROBE_FRAME_MAX], char *err, size_t errsz);
/* SipHash-2-4 of (dst ip, dst port, src ip) under key: the SYN cookie. The
 * source port is PROBE_SPORT_BASE + (cookie >> 32) % PROBE_SPORT_COUNT and the
 * sequence number its low 32 bits. */
uint64_t probe_cookie(const uint8_t key[16], uint32_t src_ip, uint32_t dst_ip, uint16_t dport);

/* ---- rate (scanner/probe-rate.c) ---- */

/* A token bucket: `rate` tokens a second, holding at most `burst`. */
struct probe_bucket {
	double rate, burst, tokens, last;
};
/* burst: at most one second's worth; PROBE_BURST_SECONDS of it by default. */
#define PROBE_BURST_SECONDS 0.02
void probe_bucket_init(struct probe_bucket *b, double rate, double now);
/* Takes one token if there is one. Returns 1 if taken. */
int probe_bucket_take(struct probe_bucket *b, double now);
/* Seconds until a token is available (0 if one is). */
double probe_bucket_delay(struct probe_bucket *b, double now);

/* ---- privileges (scanner/probe-priv.c) ---- */

/* Keeps only CAP_NET_RAW in the permitted set and clears the effective set
 * (arp-scan's limit_capabilities). 0, or -1 with err. */
int probe_priv_limit(char *err, size_t errsz);
/* Raises / lowers CAP_NET_RAW in the effective set around opening
 * handles (pcap_activate, libnet_init). A no-op without the capability. */
int probe_priv_raise(char *err, size_t errsz);
int probe_priv_lower(char *err, size_t errsz);
/* Drops every capability for good (and sets no_new_privs): after the
 * handles are open nothing needs privilege. 0, or -1 with err. */
int probe_priv_drop(char *err, size_t errsz);

#endif
