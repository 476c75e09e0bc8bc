/*
 * scanner/proto-dhcp.h - DHCPv4 / BOOTP message parsing (RFC 2131/2132).
 *
 * Used for lease bindings (an ACK binds yiaddr to chaddr), rogue server
 * detection (who sends OFFER/ACK), host names (option 12) and the client
 * fingerprint (options 55 and 60).
 */
#ifndef SS_PROTO_DHCP_H
#define SS_PROTO_DHCP_H

#include <stddef.h>
#include <stdint.h>

#include "common/addr.h"
#include "scanner/ident.h"

#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_DECLINE  4
#define DHCP_ACK      5
#define DHCP_NAK      6
#define DHCP_RELEASE  7
#define DHCP_INFORM   8

struct dhcp_info {
	uint8_t op;       /* 1 request, 2 reply */
	uint8_t msg_type; /* option 53, 0 for plain BOOTP */
	ss_mac chaddr;
	ss_ip ciaddr, yiaddr, siaddr, giaddr;
	int has_requested;
	ss_ip requested; /* option 50 */
	int has_server_id;
	ss_ip server_id;       /* option 54 */
	char hostname[64];     /* option 12, printable ASCII only */
	char vendor_class[64]; /* option 60 */
	char prl[160];         /* option 55 as "1,3,6,15" */
};

/* Returns 0 when payload is a well-formed DHCP/BOOTP message (magic cookie
 * present), -1 otherwise. Options are walked with bounds checks; a
 * truncated option ends the walk but keeps what was read. */
int dhcp_parse(const uint8_t *payload, size_t len, struct dhcp_info *out);

#endif
