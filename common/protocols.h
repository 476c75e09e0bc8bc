/*
 * common/protocols.h - the one list of application protocols segscan
 * proves from payload: every other table about them is derived from it.
 *
 * Why in common/: two layers need the list. scanner/ derives the protocol
 * enum, the names, the identifier dispatch table and the ICS masks from it
 * (scanner/ident.h, scanner/ident.c, scanner/classify.c); policy/, which
 * sits BELOW scanner/, derives the service names a policy rule may use
 * (policy/policy-services.c). A list under scanner/ could not be included
 * by policy/ (tests/check-layers.sh), one under policy/ would make the
 * policy the owner of the scanner's vocabulary; common/ is below both and
 * the list is pure data (macros and two small types, no code), so it
 * costs the lowest layer nothing.
 *
 * One line per protocol:
 *
 *   X(ID, name, try, family, flags, transports, ethertype, ports, services)
 *
 *   ID          the enum suffix: ID_MODBUS (scanner/ident.h)
 *   name        the vocabulary name as a bare word: it is the JSON and
 *               policy name ("modbus"), and the identifier is the
 *               function name_identify() of scanner/proto-name.c
 *   try         order of trial among the identifiers (lower first; see
 *               below); the list's own order is the order protocols are
 *               reported in (a host's "protocols"), so a new line goes at
 *               the end and changes no existing output
 *   family      SS_FAM_*: what kind of protocol (documentation, and the
 *               ICS masks: SS_FAM_ICS)
 *   flags       SS_PF_*: SS_PF_PLC (serving it makes a controller: plc,
 *               not just ics), SS_PF_CLEAN (the identifier writes facts
 *               only on a path that returns 1: audited, see ident.c)
 *   transports  SS_PT_TCP | SS_PT_UDP | SS_PT_L2
 *   ethertype   for SS_PT_L2: the EtherType preferred; 0 = 802.3/LLC
 *   ports       usual server ports, in parentheses; they only decide which
 *               identifiers are tried first and name a guessed service,
 *               never prove anything; (0) for none
 *   services    the port ranges the policy service of the same name
 *               stands for, as SS_SVC_TCP(lo, hi) / SS_SVC_UDP(lo, hi)
 *               in parentheses (their order is kept); () when a policy
 *               cannot name the protocol (L2 only)
 *
 * try: only identifiers that could both accept the same payload care;
 * the stricter goes first. Industrial ones (strictest proofs) lead, DHCP
 * before all; RTSP and SSDP before HTTP (HTTP-like syntax); mDNS, LLMNR
 * and NBNS before DNS (DNS format on their own ports). Ties keep list
 * order.
 *
 * Adding a protocol: README.md, "How to add a protocol".
 */
#ifndef SS_PROTOCOLS_H
#define SS_PROTOCOLS_H

#include <stdint.h>

/* families */
#define SS_FAM_IT        1 /* office and server protocols */
#define SS_FAM_ICS       2 /* industrial control: PLCs, SCADA, building automation */
#define SS_FAM_DISCOVERY 3 /* neighbour and service discovery, name resolution */
#define SS_FAM_INFRA     4 /* network infrastructure services */

/* flags */
#define SS_PF_PLC   0x01u /* serving it makes a controller (class plc) */
#define SS_PF_CLEAN 0x02u /* identifier leaves facts untouched unless it returns 1 */

/* transports */
#define SS_PT_TCP 0x01u
#define SS_PT_UDP 0x02u
#define SS_PT_L2  0x04u

/* One port range of a policy service. */
struct ss_proto_svc {
	uint8_t ipproto; /* 6 tcp, 17 udp; 0 ends a list */
	uint16_t lo, hi;
};
#define SS_SVC_TCP(lo, hi) {6, (lo), (hi)},
#define SS_SVC_UDP(lo, hi) {17, (lo), (hi)},

/* Strips the parentheses of a ports or services column. */
#define SS_UNPAREN(...) __VA_ARGS__

#define SS_TCP SS_PT_TCP
#define SS_UDP SS_PT_UDP
#define SS_L2  SS_PT_L2

/* clang-format off */
#define SS_PROTOCOLS(X) \
X(MODBUS,   modbus,   80,  SS_FAM_ICS,       SS_PF_PLC | SS_PF_CLEAN, SS_TCP,          0,      (502),                              (SS_SVC_TCP(502, 502))) \
X(S7COMM,   s7comm,   30,  SS_FAM_ICS,       SS_PF_PLC,               SS_TCP,          0,      (102),                              (SS_SVC_TCP(102, 102))) \
X(ENIP,     enip,     40,  SS_FAM_ICS,       SS_PF_PLC,               SS_TCP | SS_UDP, 0,      (44818, 2222),                      (SS_SVC_TCP(44818, 44818) SS_SVC_UDP(44818, 44818) SS_SVC_UDP(2222, 2222))) \
X(BACNET,   bacnet,   60,  SS_FAM_ICS,       0,                       SS_UDP,          0,      (47808),                            (SS_SVC_UDP(47808, 47808))) \
X(DNP3,     dnp3,     20,  SS_FAM_ICS,       SS_PF_CLEAN,             SS_TCP | SS_UDP, 0,      (20000),                            (SS_SVC_TCP(20000, 20000))) \
X(OPCUA,    opcua,    50,  SS_FAM_ICS,       0,                       SS_TCP,          0,      (4840),                             (SS_SVC_TCP(4840, 4840))) \
X(IEC104,   iec104,   70,  SS_FAM_ICS,       SS_PF_CLEAN,             SS_TCP,          0,      (2404),                             (SS_SVC_TCP(2404, 2404))) \
X(PROFINET, profinet, 110, SS_FAM_ICS,       0,                       SS_L2 | SS_UDP,  0x8892, (34964),                            (SS_SVC_UDP(34962, 34964))) \
X(SLMP,     slmp,     90,  SS_FAM_ICS,       SS_PF_PLC,               SS_TCP | SS_UDP, 0,      (5000),                             (SS_SVC_TCP(5007, 5007) SS_SVC_UDP(5006, 5006))) \
X(FINS,     fins,     100, SS_FAM_ICS,       SS_PF_PLC | SS_PF_CLEAN, SS_TCP | SS_UDP, 0,      (9600),                             (SS_SVC_UDP(9600, 9600) SS_SVC_TCP(9600, 9600))) \
X(MQTT,     mqtt,     120, SS_FAM_IT,        0,                       SS_TCP,          0,      (1883),                             (SS_SVC_TCP(1883, 1883))) \
X(HTTP,     http,     170, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (80, 8080, 8000, 8008, 8081, 8888), (SS_SVC_TCP(80, 80))) \
X(TLS,      tls,      180, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (443, 8443, 636, 993, 995, 465, 853), (SS_SVC_TCP(443, 443))) \
X(SSH,      ssh,      190, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (22, 2222),                         (SS_SVC_TCP(22, 22))) \
X(TELNET,   telnet,   230, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (23, 2323),                         (SS_SVC_TCP(23, 23))) \
X(FTP,      ftp,      240, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (21),                               (SS_SVC_TCP(21, 21))) \
X(SMB,      smb,      200, SS_FAM_IT,        0,                       SS_TCP | SS_L2,  0,      (445, 139),                         (SS_SVC_TCP(445, 445) SS_SVC_TCP(139, 139))) \
X(RDP,      rdp,      210, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (3389),                             (SS_SVC_TCP(3389, 3389) SS_SVC_UDP(3389, 3389))) \
X(VNC,      vnc,      220, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP,          0,      (5900, 5901, 5902, 5800),           (SS_SVC_TCP(5900, 5900))) \
X(DNS,      dns,      280, SS_FAM_INFRA,     SS_PF_CLEAN,             SS_TCP | SS_UDP, 0,      (53),                               (SS_SVC_UDP(53, 53) SS_SVC_TCP(53, 53))) \
X(DHCP,     dhcp,     10,  SS_FAM_INFRA,     0,                       SS_UDP,          0,      (67, 68),                           (SS_SVC_UDP(67, 68))) \
X(MDNS,     mdns,     250, SS_FAM_DISCOVERY, 0,                       SS_UDP,          0,      (5353),                             (SS_SVC_UDP(5353, 5353))) \
X(SSDP,     ssdp,     160, SS_FAM_DISCOVERY, SS_PF_CLEAN,             SS_UDP,          0,      (1900),                             (SS_SVC_UDP(1900, 1900))) \
X(NBNS,     nbns,     270, SS_FAM_DISCOVERY, 0,                       SS_UDP,          0,      (137),                              (SS_SVC_UDP(137, 137))) \
X(LLMNR,    llmnr,    260, SS_FAM_DISCOVERY, SS_PF_CLEAN,             SS_UDP,          0,      (5355),                             (SS_SVC_UDP(5355, 5355))) \
X(LLDP,     lldp,     130, SS_FAM_DISCOVERY, 0,                       SS_L2,           0x88cc, (0),                                ()) \
X(CDP,      cdp,      140, SS_FAM_DISCOVERY, 0,                       SS_L2,           0,      (0),                                ()) \
X(SNMP,     snmp,     290, SS_FAM_INFRA,     0,                       SS_UDP,          0,      (161, 162),                         (SS_SVC_UDP(161, 162))) \
X(NTP,      ntp,      300, SS_FAM_INFRA,     SS_PF_CLEAN,             SS_UDP,          0,      (123),                              (SS_SVC_UDP(123, 123))) \
X(RTSP,     rtsp,     150, SS_FAM_IT,        SS_PF_CLEAN,             SS_TCP | SS_UDP, 0,      (554, 8554),                        (SS_SVC_TCP(554, 554))) \
X(MNDP,     mndp,     310, SS_FAM_DISCOVERY, SS_PF_CLEAN,             SS_UDP,          0,      (5678),                             (SS_SVC_UDP(5678, 5678)))
/* clang-format on */

#endif
