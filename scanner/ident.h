/*
 * scanner/ident.h - application protocol identification.
 *
 * Each protocol has one identifier, in its own file scanner/proto-NAME.c,
 * and one line in the list common/protocols.h, from which the enum, names
 * and dispatch tables here are derived (README: "How to add a protocol"). An
 * identifier proves its protocol from payload structure - a port alone
 * proves nothing - and may report facts about the packet's SENDER (its
 * name, model, firmware, OS, device class, end-of-life hints). Ports in a
 * definition only decide which identifiers are tried first and name a
 * service when nothing was proven (marked as a guess).
 *
 * The engine (scanner/ident.c) looks at the first IDENT_MAX_PKTS payload
 * packets of each flow direction only, so per-packet cost stays flat on
 * long flows.
 */
#ifndef SS_IDENT_H
#define SS_IDENT_H

#include <stddef.h>
#include <stdint.h>

#include "common/protocols.h"
#include "scanner/decode.h"

/* The protocols, in the order of the list (common/protocols.h): ID_MODBUS,
 * ID_S7COMM, ... */
enum ident_proto {
#define SS_X_ENUM(ID, name, ...) ID_##ID,
	SS_PROTOCOLS(SS_X_ENUM)
#undef SS_X_ENUM
	    ID__COUNT,
	ID_NONE = -1
};

#define ID_BIT(p)      ((uint64_t)1 << (p))
#define IDENT_MAX_PKTS 4 /* payload packets examined per flow direction */

/* The vocabulary name ("modbus", ...), or NULL for an out-of-range id. */
const char *ident_name(enum ident_proto p);
/* The id of a vocabulary name, or ID_NONE. */
enum ident_proto ident_by_name(const char *name);

/* Device classes of segscan.md, in the order of the issue. */
enum ident_class {
	CLS_UNKNOWN,
	CLS_WORKSTATION,
	CLS_SERVER,
	CLS_PRINTER,
	CLS_CAMERA,
	CLS_PHONE,
	CLS_NAS,
	CLS_ROUTER,
	CLS_SWITCH,
	CLS_ACCESS_POINT,
	CLS_PLC,
	CLS_HMI,
	CLS_ICS,
	CLS_IOT,
	CLS__COUNT
};
const char *ident_class_name(enum ident_class c);

/* Where a host name came from, in rising order of trust (segscan.md:
 * DHCP, mDNS, NetBIOS, LLDP, CDP from most to least trusted). */
enum ident_name_src { NAME_NONE, NAME_CDP, NAME_LLDP, NAME_NBNS, NAME_MDNS, NAME_DHCP };

/* Facts about the sender of one packet. Strings are NUL-terminated,
 * printable ASCII or UTF-8 already sanitised by ident_copy_str(); empty
 * means "not known". A weight orders competing claims (higher wins):
 * 10 a guess from a port or vendor, 50 a banner or fingerprint, 90 the
 * device's own statement (ListIdentity, LLDP capabilities). */
struct ident_facts {
	/* The weights and app_detail first: a merge into a host's facts
	 * (ident_facts_merge) that changes nothing - the usual case, the same
	 * Host or SNI again - then reads one cache line of them, not one per
	 * field. */
	enum ident_name_src name_src;
	int os_weight;
	enum ident_class cls;
	int cls_weight;
	char app_detail[64]; /* e.g. HTTP Host, TLS SNI, mDNS service type */
	char hostname[64];
	char vendor[64]; /* as the device reports it (not the OUI vendor) */
	char model[64];
	char firmware[64];
	char serial[48];
	char os[64];
	char os_why[80];
	char cls_why[80];
	/* End-of-life hints, e.g. "SMB1 dialect"; merging joins distinct
	 * hints with IDENT_EOL_SEP so a host keeps all of them. */
	char eol[200];
	char note[120]; /* anything else worth a line, e.g. a cleartext community */
};

/* One payload handed to the identifiers. */
struct ident_in {
	const struct pkt *p;
	const uint8_t *data; /* L4 payload (or L2 payload for L2 protocols) */
	size_t len;
	/* 1 the packet travels server -> client (its sport is the service),
	 * 0 client -> server, -1 not a flow (multicast, broadcast, L2). */
	int from_server;
};

#define IDENT_EOL_SEP "; "

#define IDENT_TCP SS_PT_TCP
#define IDENT_UDP SS_PT_UDP
#define IDENT_L2  SS_PT_L2

/* The identifiers, one per protocol: NAME_identify() in
 * scanner/proto-NAME.c, declared here from the list. Each returns 1 when
 * the payload proves its protocol (and may fill facts about the sender),
 * 0 otherwise. Reads only through a cursor over in->data/in->len; never
 * past it. facts arrive zeroed. Contract for new identifiers: write facts
 * only once the answer is 1 (build them on the success path) and mark the
 * protocol SS_PF_CLEAN in the list - ident_run then skips re-zeroing facts
 * after a failed attempt of that identifier. */
#define SS_X_DECL(ID, name, ...)                                                                   \
	int name##_identify(const struct ident_in *in, struct ident_facts *facts);
SS_PROTOCOLS(SS_X_DECL)
#undef SS_X_DECL

/* Builds the dispatch tables from the list (the order identifiers are
 * tried in, which ports and EtherTypes prefer which). Call once at
 * start-up, before the first ident_run/ident_run_only/ident_guess_port
 * and before any thread that identifies is started; inv_new() and main()
 * do. A second call does nothing. */
void ident_init(void);

/* Tries the identifiers for this transport (IDENT_TCP/UDP/L2): those
 * whose ports match sport or dport first, then the rest. Returns the
 * proven protocol or ID_NONE; facts are filled by the identifier that
 * matched (zeroed first). */
enum ident_proto ident_run(unsigned transport, const struct ident_in *in,
                           struct ident_facts *facts);

/* ident_run with only the identifier of protocol `only` (a flow whose
 * protocol is proven: see inv_add). Returns only or ID_NONE; facts
 * as ident_run. */
enum ident_proto ident_run_only(enum ident_proto only, unsigned transport,
                                const struct ident_in *in, struct ident_facts *facts);

/* A port-based guess (never proof) for a service, or ID_NONE. */
enum ident_proto ident_guess_port(uint8_t ipproto, uint16_t port);

/* Copies at most n bytes of untrusted text into dst (size dstsz),
 * stopping at NUL, CR or LF, replacing control and non-ASCII bytes with
 * '?', trimming blanks. */
void ident_copy_str(char *dst, size_t dstsz, const uint8_t *src, size_t n);

/* Merges facts b into a: a claim replaces another only with a higher
 * weight or trust; empty fields are filled. */
void ident_facts_merge(struct ident_facts *a, const struct ident_facts *b);
/* Nonzero when f holds any fact. */
int ident_facts_any(const struct ident_facts *f);

#endif
