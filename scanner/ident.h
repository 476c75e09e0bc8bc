/*
 * scanner/ident.h - the application protocol vocabulary of segscan.md.
 *
 * A protocol enters a host's "protocols" only when proven from payload;
 * each id is one bit in a host's protocol set.
 */
#ifndef SS_IDENT_H
#define SS_IDENT_H

#include <stdint.h>

enum ident_proto {
	ID_MODBUS,
	ID_S7COMM,
	ID_ENIP,
	ID_BACNET,
	ID_DNP3,
	ID_OPCUA,
	ID_IEC104,
	ID_PROFINET,
	ID_SLMP,
	ID_FINS,
	ID_MQTT,
	ID_HTTP,
	ID_TLS,
	ID_SSH,
	ID_TELNET,
	ID_FTP,
	ID_SMB,
	ID_RDP,
	ID_VNC,
	ID_DNS,
	ID_DHCP,
	ID_MDNS,
	ID_SSDP,
	ID_NBNS,
	ID_LLMNR,
	ID_LLDP,
	ID_CDP,
	ID_SNMP,
	ID_NTP,
	ID_RTSP,
	ID__COUNT
};

#define ID_BIT(p) ((uint64_t)1 << (p))

/* The vocabulary name ("modbus", ...), or NULL for an out-of-range id. */
const char *ident_name(enum ident_proto p);

#endif
