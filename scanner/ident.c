/*
 * scanner/ident.c - names of the protocol vocabulary, in enum order.
 */
#include "scanner/ident.h"

#include <stddef.h>

static const char *const names[ID__COUNT] = {
    [ID_MODBUS] = "modbus", [ID_S7COMM] = "s7comm", [ID_ENIP] = "enip",
    [ID_BACNET] = "bacnet", [ID_DNP3] = "dnp3",     [ID_OPCUA] = "opcua",
    [ID_IEC104] = "iec104", [ID_PROFINET] = "profinet", [ID_SLMP] = "slmp",
    [ID_FINS] = "fins",     [ID_MQTT] = "mqtt",     [ID_HTTP] = "http",
    [ID_TLS] = "tls",       [ID_SSH] = "ssh",       [ID_TELNET] = "telnet",
    [ID_FTP] = "ftp",       [ID_SMB] = "smb",       [ID_RDP] = "rdp",
    [ID_VNC] = "vnc",       [ID_DNS] = "dns",       [ID_DHCP] = "dhcp",
    [ID_MDNS] = "mdns",     [ID_SSDP] = "ssdp",     [ID_NBNS] = "nbns",
    [ID_LLMNR] = "llmnr",   [ID_LLDP] = "lldp",     [ID_CDP] = "cdp",
    [ID_SNMP] = "snmp",     [ID_NTP] = "ntp",       [ID_RTSP] = "rtsp",
};

const char *ident_name(enum ident_proto p)
{
	return (unsigned)p < ID__COUNT ? names[p] : NULL;
}
