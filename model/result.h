/*
 * model/result.h - the result model: exactly what a JSON result holds.
 *
 * An audit exports its inventory into a struct result; writers (JSON, text,
 * and later CSV/HTML) and the diff read only this model, so a saved result
 * and a fresh scan are rendered by the same code. A result owns all its
 * strings and arrays; res_free() releases everything.
 */
#ifndef SS_RESULT_H
#define SS_RESULT_H

#include <stdint.h>
#include <stdio.h>

#include "common/addr.h"
#include "common/util.h"

struct res_strv {
	char **v;
	size_t n;
};
void res_strv_add(struct res_strv *s, const char *str); /* copies */
int res_strv_has(const struct res_strv *s, const char *str);
void res_strv_free(struct res_strv *s);

struct res_service {
	uint8_t proto; /* 6 tcp, 17 udp */
	uint16_t port;
	char *app;     /* identified application, NULL if unknown */
	int app_guess; /* app is only a port-based guess */
};

struct res_host {
	int has_mac;
	ss_mac mac;
	ss_ip *ips;
	size_t n_ips;
	int vlan;      /* -1 none */
	char *vendor;  /* NULL unknown */
	int mac_local; /* locally administered (often a randomised MAC) */
	char *hostname;
	char *zone;
	char *asset;
	char *owner; /* the asset's owner from the policy register, NULL unknown */
	int managed; /* 1 registered, 0 not, -1 no policy */
	char *device_class;
	char *os;
	int router; /* recognised as a router */
	/* Identity as the device itself reports it (issue 4): what a protocol
	 * said (LLDP, CDP, EtherNet/IP ListIdentity, SNMP, banners...). */
	char *model;
	char *firmware;
	char *serial;
	char *class_evidence;      /* why device_class, e.g. "enip ListIdentity: PLC" */
	char *os_evidence;         /* why os, e.g. "TTL 128, DHCP option 55" */
	struct res_strv eol_hints; /* e.g. "smb1", "Windows XP (DHCP vendor class)" */
	struct res_strv notes;     /* other findings, e.g. "snmp community 'public' in clear" */
	struct res_strv protocols;
	struct res_service *services;
	size_t n_services;
	ss_time first_seen, last_seen;
	uint64_t packets, bytes;
	struct res_strv evidence;
};

struct res_flow {
	ss_ip src, dst;
	uint8_t proto;
	uint16_t dport;
	char *app;
	char *src_zone, *dst_zone; /* NULL for local service */
	uint64_t packets, bytes;
	ss_time first_seen, last_seen;
	char *verdict; /* intra_zone | allowed | violation | local */
	char *rule;
};

struct res_violation {
	char *type;
	char *severity;
	ss_ip src, dst; /* family 0 when absent */
	uint8_t proto;
	uint16_t dport;
	int has_mac;
	ss_mac mac;
	char *rule;
	uint64_t count;
	ss_time first_seen, last_seen;
	char *message;
	char *fix;
};

struct res_stats {
	uint64_t packets;   /* records read */
	uint64_t decoded;   /* fully decoded */
	uint64_t truncated; /* cut short: counted and skipped */
	uint64_t malformed;
	uint64_t unsupported;
	uint64_t non_ip;
	uint64_t dropped; /* reported by libpcap on live captures */
};

struct result {
	char *tool_version;
	char *mode; /* audit | monitor | merge */
	ss_time started, ended;
	ss_time capture_first, capture_last;
	struct res_strv inputs;
	char *policy_path;
	char *policy_sha256;
	char *site;
	struct res_stats stats;
	struct res_host *hosts;
	size_t n_hosts;
	struct res_flow *flows;
	size_t n_flows;
	struct res_violation *violations;
	size_t n_violations;
	struct res_strpool *pool;         /* res_intern's strings, NULL until the first */
	size_t cap_flows, cap_violations; /* allocated lengths (res_reserve) */
};

struct result *res_new(const char *mode);
void res_free(struct result *r);
struct res_host *res_add_host(struct result *r); /* zeroed, vlan -1, managed -1 */
struct res_flow *res_add_flow(struct result *r);
/* Makes room for `flows` more flows and `violations` more violations at
 * once (exactly that many: no slack), so adding a known number of them
 * costs no reallocation each. */
void res_reserve(struct result *r, size_t flows, size_t violations);
/* A flow's strings (app, zones, verdict, rule) repeat across thousands of
 * flows: res_intern returns the result's one shared copy of s (NULL for
 * NULL), kept in its pool until res_free. A string field may hold either
 * a pooled or a malloc'd string (res_free tells them apart); never free()
 * or modify a pooled one. */
char *res_intern(struct result *r, const char *s);
struct res_violation *res_add_violation(struct result *r);
void res_host_add_ip(struct res_host *h, const ss_ip *ip); /* no duplicates */
void res_host_add_service(struct res_host *h, uint8_t proto, uint16_t port, const char *app,
                          int guess);
/* Orders hosts (MAC hosts by first address, then IP-keyed), flows and
 * violations deterministically so two runs produce identical files. */
void res_sort(struct result *r);

const char *res_proto_name(uint8_t proto, char buf[8]); /* "tcp", "udp", "icmp", or number */
int res_proto_parse(const char *s, uint8_t *proto);

/* Appends the records of a judged violation set (policy/policy.h), with
 * their message and fix, in the set's order (model/result-violations.c). */
struct pol_vset;
void res_add_violations(struct result *r, struct pol_vset *set);

/* JSON (model/result-json.c). Returns 0 or -1 with errno-ish message. */
int res_write_json(const struct result *r, FILE *out);
/* Loads a saved result; on error returns NULL and writes
 * "FILE:LINE:COLUMN: message" into err. */
struct result *res_load_json(const char *path, char *err, size_t errsz);
/* The same checks on a document already parsed (a part of a bigger file a
 * caller reads piece by piece); errors are "LABEL: path: message". */
struct json_t;
struct result *res_load_json_tree(const struct json_t *root, const char *label, char *err,
                                  size_t errsz);

/* Short text summary (reports/report-text.c). */
void res_write_summary(const struct result *r, FILE *out);

#endif
