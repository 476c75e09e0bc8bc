/*
 * scanner/ident-table.c - the one table of protocol identifiers.
 *
 * Add a protocol: write scanner/proto-NAME.c defining
 * `const struct ident_def ident_def_NAME`, declare it below and list it in
 * ident_protos[]. Order matters only among identifiers that could both
 * accept a payload: the stricter check goes first.
 */
#include "scanner/ident.h"

extern const struct ident_def ident_def_dhcp;
/* industrial (strictest proofs first) */
extern const struct ident_def ident_def_dnp3;
extern const struct ident_def ident_def_s7comm;
extern const struct ident_def ident_def_enip;
extern const struct ident_def ident_def_opcua;
extern const struct ident_def ident_def_bacnet;
extern const struct ident_def ident_def_iec104;
extern const struct ident_def ident_def_modbus;
extern const struct ident_def ident_def_slmp;
extern const struct ident_def ident_def_fins;
extern const struct ident_def ident_def_profinet;
extern const struct ident_def ident_def_mqtt;
extern const struct ident_def ident_def_lldp;
extern const struct ident_def ident_def_cdp;

/* IT and IoT: RTSP and SSDP before HTTP (HTTP-like syntax), mDNS, LLMNR
 * and NBNS before DNS (DNS format on their own ports) */
extern const struct ident_def ident_def_rtsp;
extern const struct ident_def ident_def_ssdp;
extern const struct ident_def ident_def_http;
extern const struct ident_def ident_def_tls;
extern const struct ident_def ident_def_ssh;
extern const struct ident_def ident_def_smb;
extern const struct ident_def ident_def_rdp;
extern const struct ident_def ident_def_vnc;
extern const struct ident_def ident_def_telnet;
extern const struct ident_def ident_def_ftp;
extern const struct ident_def ident_def_mdns;
extern const struct ident_def ident_def_llmnr;
extern const struct ident_def ident_def_nbns;
extern const struct ident_def ident_def_dns;
extern const struct ident_def ident_def_snmp;
extern const struct ident_def ident_def_ntp;

const struct ident_def *const ident_protos[] = {
    &ident_def_dhcp,
    &ident_def_dnp3,
    &ident_def_s7comm,
    &ident_def_enip,
    &ident_def_opcua,
    &ident_def_bacnet,
    &ident_def_iec104,
    &ident_def_modbus,
    &ident_def_slmp,
    &ident_def_fins,
    &ident_def_profinet,
    &ident_def_mqtt,
    &ident_def_lldp,
    &ident_def_cdp,
    &ident_def_rtsp,
    &ident_def_ssdp,
    &ident_def_http,
    &ident_def_tls,
    &ident_def_ssh,
    &ident_def_smb,
    &ident_def_rdp,
    &ident_def_vnc,
    &ident_def_telnet,
    &ident_def_ftp,
    &ident_def_mdns,
    &ident_def_llmnr,
    &ident_def_nbns,
    &ident_def_dns,
    &ident_def_snmp,
    &ident_def_ntp,
    NULL,
};
