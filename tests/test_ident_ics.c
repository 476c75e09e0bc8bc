/*
 * tests/test_ident_ics.c - the industrial protocol identifiers
 * (scanner/proto-{modbus,s7comm,enip,bacnet,dnp3,opcua,iec104,profinet,
 * slmp,fins,mqtt}.c).
 *
 * One table of payloads: valid frames (from the real captures in
 * ../shared/pcaps/ics/ where they exist, hand-built from the specs
 * otherwise), near-misses that must not match, and the facts each valid
 * frame yields. Every prefix of every valid frame is run from an exactly
 * sized heap copy, so an out-of-bounds read shows under ASan. Random
 * payloads on the usual ports must prove nothing. A few frames go the
 * whole way through dec_packet, inv_add and inv_export.
 *
 * Decisions the table records:
 *  - MELSOFT (GX Works engineering protocol, MELSEC_melsoft_*.pcap: frames
 *    0x57/0xD7 on TCP 5001/5562 and UDP 5560, the 0x5A/0xDA CPU search on
 *    UDP 5560) is claimed as slmp, MELSEC communication like SLMP/MC 3E/4E,
 *    proven from its own framing (scanner/proto-slmp.c: magic 0x1111, exact
 *    length, command header size and direction bit); tshark shows only
 *    "data", the capture's file name is the reference. The answering side
 *    is a PLC; the 0x0121 answer names the CPU (FX5U-32MT/ES).
 *  - A COTP CR towards TSAP 0x0001 (IEC 61850 MMS) is not S7; a CR with an
 *    S7 TSAP is, though tshark calls it "cotp".
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/ident.h"
#include "scanner/inventory.h"
#include "tests/helper_pcapgen.h"
#include "tests/helper_pipe.h"

#define T  IDENT_TCP
#define U  IDENT_UDP
#define L2 IDENT_L2

struct icase {
	const char *name;
	unsigned transport;
	uint16_t sport, dport, ethertype;
	int from_server;
	const char *hex;
	int expect; /* enum ident_proto, ID_NONE for a near-miss */
	/* facts about the sender; NULL or CLS_UNKNOWN: not checked */
	const char *vendor, *model, *firmware, *serial, *hostname, *app_detail;
	enum ident_class cls;
};

#define C(nm, tr, sp, dp, et, fs, hx, ex)                                                          \
	.name = nm, .transport = tr, .sport = sp, .dport = dp, .ethertype = et, .from_server = fs, \
	.hex = hx, .expect = ex

static const struct icase cases[] = {
    /* ---- Modbus/TCP ---- */
    {C("modbus diag request (capture)", T, 2578, 502, 0, 0, "0000000000060a0800040000", ID_MODBUS)},
    {C("modbus exception 0x88/11 (capture)", T, 502, 2578, 0, 1, "0000000000030a880b", ID_MODBUS),
     .cls = CLS_ICS},
    {C("modbus two ADUs in one segment", T, 2578, 502, 0, 0,
       "000100000006010300000002"
       "000200000006010300100001",
       ID_MODBUS)},
    {C("modbus device identification", T, 502, 40000, 0, 1,
       "000100000031012b0e010100000300125363686e656964657220456c656374726963010c424d582050333420323"
       "03230020576322e3730",
       ID_MODBUS),
     .vendor = "Schneider Electric", .model = "BMX P34 2020", .firmware = "v2.70", .cls = CLS_ICS},
    {C("modbus: protocol id 1", T, 2578, 502, 0, 0, "0000000100060a0800040000", ID_NONE)},
    {C("modbus: length one too long", T, 2578, 502, 0, 0, "0000000000070a0800040000", ID_NONE)},
    {C("modbus: length one too short", T, 2578, 502, 0, 0, "0000000000050a0800040000", ID_NONE)},
    {C("modbus: exception code 12", T, 502, 2578, 0, 1, "0000000000030a880c", ID_NONE)},
    {C("modbus: function code 0", T, 2578, 502, 0, 0, "0000000000060a0000040000", ID_NONE)},
    {C("modbus: empty PDU (fuzz capture)", T, 502, 2582, 0, 1, "000000000000", ID_NONE)},
    {C("modbus: HART-IP on 502", T, 49559, 502, 0, 0, "010000000002000d0100007530", ID_NONE)},
    {C("modbus: stray bytes after the ADU", T, 2578, 502, 0, 0, "0000000000060a080004000000",
       ID_NONE)},

    /* ---- S7comm / S7comm-plus ---- */
    {C("s7 COTP CR with S7 TSAPs (capture)", T, 4305, 102, 0, 0,
       "0300001611e00000000f00c1020100c2020102c0010a", ID_S7COMM)},
    {C("s7 COTP CC (capture)", T, 102, 4305, 0, 1, "0300001611d0000f000300c0010ac1020100c2020102",
       ID_S7COMM),
     .cls = CLS_PLC},
    {C("s7 tp_setup communication (capture)", T, 4305, 102, 0, 0,
       "0300001902f08032010000020000080000f0000001000101e0", ID_S7COMM)},
    {C("s7 ack_data (capture)", T, 102, 4305, 0, 1,
       "0300001b02f080320300000200000800000000f0000001000100f0", ID_S7COMM),
     .cls = CLS_PLC},
    {C("s7 SZL 0x0011 answer (capture)", T, 102, 4305, 0, 1,
       "0300009902f080320700001100000c007c000112081284010200000000ff09007800110000001c000400013645"
       "5337203135312d38414230312d304142302000c000030001000636455337203135312d38414230312d304142"
       "302000c0000300010007202020202020202020202020202020202020202000c0560302060081426f6f74204c"
       "6f61646572202020202020202020000041200909",
       ID_S7COMM),
     .model = "6ES7 151-8AB01-0AB0", .firmware = "V3.2.6", .cls = CLS_PLC},
    {C("s7plus COTP CR SIMATIC-ROOT-HMI (capture)", T, 53162, 102, 0, 0,
       "030000241fe00000011200c1020620c21053494d415449432d524f4f542d484d49c0010a", ID_S7COMM)},
    {C("s7plus CreateObject answer (capture)", T, 102, 53162, 0, 1,
       "0300008902f0807201007a32000004ca00000001361102873e8723a100000120821f0000a38169001500a382320"
       "0170000013a823b00048200823c00048140823d00048480c040823e00048480c040823f00151b313b3645533720"
       "3231312d31424533312d30584230203b56332e308240001505323b32383882410003000300a2000000007201000"
       "0",
       ID_S7COMM),
     .model = "6ES7 211-1BE31-0XB0", .firmware = "V3.0", .cls = CLS_PLC},
    {C("s7: MMS COTP CR, TSAP 0x0001 (capture)", T, 40000, 102, 0, 0,
       "0300001611e00000077800c1020001c2020001c0010d", ID_NONE)},
    {C("s7: COTP DT keepalive only", T, 4305, 102, 0, 0, "0300000702f000", ID_NONE)},
    {C("s7: TPKT version 2", T, 4305, 102, 0, 0,
       "0200001902f08032010000020000080000f0000001000101e0", ID_NONE)},
    {C("s7: S7 lengths one off", T, 4305, 102, 0, 0,
       "0300001902f08032010000020000080001f0000001000101e0", ID_NONE)},
    {C("s7: ROSCTR 4", T, 4305, 102, 0, 0, "0300001902f08032040000020000080000f0000001000101e0",
       ID_NONE)},

    /* ---- EtherNet/IP ---- */
    {C("enip ListIdentity request (capture)", T, 5262, 44818, 0, 0,
       "63000000000000000000000000000000c1debed100000000", ID_ENIP)},
    {C("enip ListIdentity reply (capture)", T, 44818, 5262, 0, 1,
       "63003300000000000000000000000000c1debed10000000001000c002d0001000002af120a0101a400000000000"
       "0000001000c003a00040330008e4d52000b313735362d454e42542f4103",
       ID_ENIP),
     .vendor = "Rockwell Automation/Allen-Bradley", .model = "1756-ENBT/A", .firmware = "4.3",
     .serial = "0x00524d8e", .cls = CLS_ICS},
    {C("enip ListIdentity broadcast (UDP)", U, 50000, 44818, 0, -1,
       "63000000000000000000000000000000c1debed100000000", ID_ENIP)},
    {C("enip RegisterSession", T, 40000, 44818, 0, 0,
       "650004000000000000000000000000000000000000000000"
       "01000000",
       ID_ENIP)},
    {C("enip implicit I/O on 2222", U, 2222, 2222, 0, -1,
       "0200"
       "0280"
       "0800"
       "5a00000001000000"
       "b100"
       "0600"
       "010000000000",
       ID_ENIP)},
    {C("enip: options nonzero", T, 5262, 44818, 0, 0,
       "63000000000000000000000000000000c1debed101000000", ID_NONE)},
    {C("enip: unknown command 0x0062", T, 5262, 44818, 0, 0,
       "62000000000000000000000000000000c1debed100000000", ID_NONE)},
    {C("enip: length one too long", T, 5262, 44818, 0, 0,
       "63000100000000000000000000000000c1debed100000000", ID_NONE)},
    {C("enip: RegisterSession version 2", T, 40000, 44818, 0, 0,
       "650004000000000000000000000000000000000000000000"
       "02000000",
       ID_NONE)},

    /* ---- BACnet/IP ---- */
    {C("bacnet ReadProperty request (capture)", U, 47808, 47808, 0, 0,
       "810a001101040005010c0c023fffff194b", ID_BACNET)},
    {C("bacnet vendor-name answer (capture)", U, 47808, 47808, 0, 1,
       "810a001b010030010c0c023fffff19793e750704004a004300493f", ID_BACNET),
     .vendor = "JCI", .cls = CLS_ICS},
    {C("bacnet firmware answer (capture)", U, 47808, 47808, 0, 1,
       "810a0029010030010c0c023fffff192c3e7515040035002e0031002e0030002e00340034003000303f",
       ID_BACNET),
     .firmware = "5.1.0.4400"},
    {C("bacnet BVLC-Result (capture)", U, 47808, 47808, 0, 1, "810000060030", ID_BACNET)},
    {C("bacnet I-Am", U, 47808, 47808, 0, -1, "810b00180120ffff00ff1000c40200007b2205c491002105",
       ID_BACNET),
     .vendor = "Johnson Controls", .app_detail = "bacnet device 123", .cls = CLS_ICS},
    {C("bacnet: length one too long", U, 47808, 47808, 0, 0, "810a001201040005010c0c023fffff194b",
       ID_NONE)},
    {C("bacnet: NPDU version 2", U, 47808, 47808, 0, 0, "810a001102040005010c0c023fffff194b",
       ID_NONE)},
    {C("bacnet: type 0x82", U, 47808, 47808, 0, 0, "820a001101040005010c0c023fffff194b", ID_NONE)},
    {C("bacnet: function 0x0c", U, 47808, 47808, 0, 0, "810c001101040005010c0c023fffff194b",
       ID_NONE)},

    /* ---- DNP3 ---- */
    {C("dnp3 outstation response (capture)", T, 20000, 2789, 0, 1,
       "05640a44030004007caee6f78210004fbd", ID_DNP3),
     .cls = CLS_ICS},
    {C("dnp3 master request (capture)", T, 2789, 20000, 0, 0,
       "056412c4040003001e7cc1c10232010701ebe45a87ff002801", ID_DNP3)},
    {C("dnp3: header CRC wrong", T, 20000, 2789, 0, 1, "05640a44030004007caf", ID_NONE)},
    {C("dnp3: bad start (capture)", T, 2803, 20000, 0, 0,
       "050511c40400030046a2c2c2143c02063c03063c0406d32f", ID_NONE)},

    /* ---- OPC UA ---- */
    {C("opcua HEL (capture)", T, 58674, 12001, 0, 0,
       "48454c464f00000000000000ffff0000ffff0000a00f0000000000002f0000006f70632e7463703a2f2f766d2d"
       "78702d73746576656e3a31323030312f55412f537461636b54657374536572766572",
       ID_OPCUA),
     .app_detail = "opc.tcp://vm-xp-steven:12001/UA/StackTestServer"},
    {C("opcua ACK (capture)", T, 12001, 58674, 0, 1,
       "41434b461c00000000000000ffff0000ffff0000a00f000000000000", ID_OPCUA),
     .cls = CLS_ICS},
    {C("opcua MSG chunk longer than the segment", T, 12001, 58674, 0, 1,
       "4d534746601b00005f1900000100000034000000020000000100af01", ID_OPCUA)},
    {C("opcua: HEL size one off", T, 58674, 12001, 0, 0,
       "48454c465000000000000000ffff0000ffff0000a00f0000000000002f0000006f70632e7463703a2f2f766d2d7"
       "8702d73746576656e3a31323030312f55412f537461636b54657374536572766572",
       ID_NONE)},
    {C("opcua: HEL chunk type C", T, 58674, 12001, 0, 0,
       "48454c431c00000000000000ffff0000ffff0000a00f000000000000", ID_NONE)},
    {C("opcua: unknown type XYZ", T, 58674, 12001, 0, 0,
       "58595a461c00000000000000ffff0000ffff0000a00f000000000000", ID_NONE)},

    /* ---- IEC 60870-5-104 ---- */
    {C("iec104 STARTDT act (capture)", T, 1568, 2404, 0, 0, "680407000000", ID_IEC104)},
    {C("iec104 STARTDT con (capture)", T, 2404, 1568, 0, 1, "68040b000000", ID_IEC104),
     .cls = CLS_ICS},
    {C("iec104 I-format interrogation + S-format (whole)", T, 1568, 2404, 0, 0,
       "680e0000000064010600010000000014"
       "680401000200",
       ID_IEC104)},
    {C("iec104: U-format two function bits", T, 1568, 2404, 0, 0, "68040f000000", ID_NONE)},
    {C("iec104: length 5 U-format", T, 1568, 2404, 0, 0, "68050700000000", ID_NONE)},
    {C("iec104: segment tail (capture)", T, 1568, 2404, 0, 0, "020268001212", ID_NONE)},

    /* ---- PROFINET ---- */
    {C("profinet DCP identify request (capture)", L2, 0, 0, 0x8892, -1,
       "fefe05000100000100010004ffff0000000000000000000000000000000000000000000000000000",
       ID_PROFINET)},
    {C("profinet DCP identify response (capture)", L2, 0, 0, 0x8892, -1,
       "feff0501010000010000005e0205001c00000101010202010202020302040205033d0501050205030504ffff020"
       "100050000494e43000202000b0000583230382d424f524400020300060000002a0a010204000400000100010200"
       "0e0001c0a80006ffffff00c0a80001",
       ID_PROFINET),
     .vendor = "Siemens", .model = "INC", .hostname = "X208-BORD",
     .app_detail = "station X208-BORD", .cls = CLS_ICS},
    {C("profinet DCP set IP (capture)", L2, 0, 0, 0x8892, -1,
       "fefd04000100000100000012010200"
       "0e0001c0a8000affffff00c0a80001000000000000000000000000",
       ID_PROFINET)},
    {C("profinet RT cyclic frame", L2, 0, 0, 0x8892, -1,
       "8000"
       "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "1234"
       "35"
       "00",
       ID_PROFINET)},
    {C("profinet CM DCE/RPC response (capture)", U, 34964, 1566, 0, 1,
       "04022800100000000000a0de976cd111827100010003015a0100a0de976cd111827100a02442df7ddbabbaec"
       "1d005443b2500b01630abafd0100000001000000000000000500ffffffffbc000000000000000000a8000000"
       "4080000000000000a80000008009003c0100000a000000000000000000000000000000000000000000000001"
       "0000f840000000680000000000000000000000000000000000000000000000000030002c0100000100000000"
       "000200000000000100020001000000010003ffff010a0001ffff814000010001ffff81400031001801000001"
       "0000000000010001ffff814000010001ffff814000320018010000010000000000010000000000010001000100"
       "000001",
       ID_PROFINET),
     .cls = CLS_ICS},
    {C("profinet: DCP identify response, block overruns", L2, 0, 0, 0x8892, -1,
       "feff0501010000010000000802020010000058323038", ID_NONE)},
    {C("profinet: identify request with service 3", L2, 0, 0, 0x8892, -1,
       "fefe03000100000100010004ffff0000", ID_NONE)},
    {C("profinet: frame id 0x0100", L2, 0, 0, 0x8892, -1, "0100050001000001000100040000", ID_NONE)},
    {C("profinet: DCE/RPC, other interface", U, 34964, 1566, 0, 1,
       "04000800100000000000a0de976cd111827100010003015a0200a0de976cd111827100a02442df7ddbabbaec"
       "1d005443b2500b01630abafd0000000001000000000000000500ffffffff540000000000",
       ID_NONE)},

    /* ---- SLMP / MC protocol ---- */
    {C("slmp 3E batch read request", T, 40000, 5000, 0, 0,
       "500000ffff03000c00100001040000640000a80a00", ID_SLMP)},
    {C("slmp 3E response", T, 5000, 40000, 0, 1, "d00000ffff030006000000e8030000", ID_SLMP),
     .cls = CLS_PLC},
    {C("slmp 4E request (UDP)", U, 40000, 5000, 0, 0,
       "540034120000"
       "00ffff03000c00100001040000640000a80a00",
       ID_SLMP)},
    {C("slmp 3E read type name answer", T, 5000, 40000, 0, 1,
       "d00000ffff030014000000513033554456435055202020202020206602", ID_SLMP),
     .model = "Q03UDVCPU", .cls = CLS_PLC},
    {C("slmp ASCII 3E request", T, 40000, 5000, 0, 0,
       "353030303030464630334646303030303138303031303034303130303030442a30303031303030303031",
       ID_SLMP)},
    /* MELSOFT (GX Works): frames of ../shared/pcaps/ics/MELSEC_melsoft_*.pcap.
     * The UDP datagrams all go to 255.255.255.255 (no flow: from_server -1);
     * on TCP 192.168.3.18:5001 asks and the FX5U at 192.168.3.250:5562
     * answers. An answer repeats its request's command and reference. */
    {C("slmp MELSOFT 0x0121 request (capture, UDP)", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe03000020001c0a16140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_SLMP),
     .app_detail = "MELSOFT (GX Works) protocol"},
    {C("slmp MELSOFT 0x0121 answer with the CPU model (capture, UDP)", U, 5560, 62659, 0, -1,
       "d70100000011117f000000a80300ffff03000038009c0a18140000000000000000000000000000000000000000"
       "0000012101000000465835552d33324d542f455300000000294a000800000000",
       ID_SLMP),
     .model = "FX5U-32MT/ES", .app_detail = "MELSOFT (GX Works) protocol", .cls = CLS_PLC},
    {C("slmp MELSOFT 0x1734 request (capture, UDP)", U, 62732, 5560, 0, -1,
       "57010000001111070000ffff030000fe0300003e001c0a16140000000000000000000000000000000000000000"
       "173409000000000000000400010000007d01120024004d0045004c00500052004a0024000000",
       ID_SLMP),
     .app_detail = "MELSOFT (GX Works) protocol"},
    {C("slmp MELSOFT answer with end code 0x4080 (capture, UDP)", U, 5560, 62732, 0, -1,
       "d70100000011117f000000a80300ffff0300002c009c0a18148040000000000000000000000000000000000000"
       "0000173409000000014817112903254503200331",
       ID_SLMP),
     .model = "", .app_detail = "MELSOFT (GX Works) protocol", .cls = CLS_PLC},
    {C("slmp MELSOFT TCP answer (capture)", T, 5562, 5001, 0, 0,
       "d70000000011117f000000a80300ffff03000024009c0218140000000000000000000000000000000000000000"
       "00000410f23f000000000000",
       ID_SLMP),
     .model = "", .app_detail = "MELSOFT (GX Works) protocol", .cls = CLS_PLC},
    {C("slmp MELSOFT TCP request (capture)", T, 5001, 5562, 0, 1,
       "57000000001111070000ffff030000000000005a001c0216140000000000000000000000000000000000000000"
       "0411f33f0000000000000000000000000400000000000400000020000000000000000000200001000000000000"
       "00200003000000000000002000c800000000000000",
       ID_SLMP),
     .app_detail = "MELSOFT (GX Works) protocol"},
    {C("slmp MELSOFT TCP two requests in one segment", T, 5001, 5562, 0, 1,
       "57000000001111070000ffff030000000000005a001c0216140000000000000000000000000000000000000000"
       "0411f33f0000000000000000000000000400000000000400000020000000000000000000200001000000000000"
       "00200003000000000000002000c80000000000000057000000001111070000ffff0300000000000034001c0216"
       "1400000000000000000000000000000000000000000410f43f0000000000000000000000000100600000000000"
       "00001900",
       ID_SLMP)},
    {C("slmp MELSOFT CPU search 0x01 (capture)", U, 62657, 5560, 0, -1, "5a000001", ID_SLMP),
     .app_detail = "MELSOFT (GX Works) protocol"},
    {C("slmp MELSOFT CPU search 0x01 answer (capture)", U, 5560, 62657, 0, -1,
       "da0000011400c0a80365c0a80365", ID_SLMP),
     .app_detail = "MELSOFT (GX Works) protocol", .cls = CLS_PLC},
    {C("slmp MELSOFT CPU search 0xFF (capture)", U, 62658, 5560, 0, -1, "5a0000ff", ID_SLMP)},
    {C("slmp MELSOFT CPU search 0xFF answer (capture)", U, 5560, 62658, 0, -1,
       "da0000ff294a0c000000000000100200f0a832a34d79872800001003", ID_SLMP),
     .cls = CLS_PLC},
    {C("slmp: MELSOFT length one too long", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe03000021001c0a16140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT length one too short", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe0300001f001c0a16140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT answer cut 4 bytes short", U, 5560, 62659, 0, -1,
       "d70100000011117f000000a80300ffff03000038009c0a18140000000000000000000000000000000000000000"
       "0000012101000000465835552d33324d542f455300000000294a0008",
       ID_NONE)},
    {C("slmp: MELSOFT answer with a stray byte", U, 5560, 62659, 0, -1,
       "d70100000011117f000000a80300ffff03000038009c0a18140000000000000000000000000000000000000000"
       "0000012101000000465835552d33324d542f455300000000294a00080000000000",
       ID_NONE)},
    {C("slmp: MELSOFT TCP request and half of another", T, 5001, 5562, 0, 1,
       "57000000001111070000ffff030000000000005a001c0216140000000000000000000000000000000000000000"
       "0411f33f0000000000000000000000000400000000000400000020000000000000000000200001000000000000"
       "00200003000000000000002000c80000000000000057000000001111070000ffff0300000000000034001c0216"
       "140000000000",
       ID_NONE)},
    {C("slmp: MELSOFT request with magic 0x1112", U, 62659, 5560, 0, -1,
       "57010000001112070000ffff030000fe03000020001c0a16140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT request with an answer's header size", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe03000020001c0a18140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT 0xD7 with a request's header type", T, 5562, 5001, 0, 0,
       "d70000000011117f000000a80300ffff03000024001c0218140000000000000000000000000000000000000000"
       "00000410f23f000000000000",
       ID_NONE)},
    {C("slmp: MELSOFT routing block length 0x15", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe03000020001c0a16150000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT request to module I/O 0x0500", U, 62659, 5560, 0, -1,
       "57010000001111070000ff00050000fe03000020001c0a16140000000000000000000000000000000000000000"
       "0121010000000001",
       ID_NONE)},
    {C("slmp: MELSOFT header without the command", U, 62659, 5560, 0, -1,
       "57010000001111070000ffff030000fe03000018001c0a16140000000000000000000000000000000000000000",
       ID_NONE)},
    {C("slmp: random bytes after 0x57", U, 62659, 5560, 0, -1,
       "573e850a29484799e8f0f9e14bff75a9841cec9542f9a331cf3f6ebde93aedbb6244883976f32bdef002c1b7fb"
       "0072bfc9ba9d30e5",
       ID_NONE)},
    {C("slmp: random bytes after 0x57 with a right length", T, 40000, 5001, 0, 0,
       "573e850a29484799e8f0f9e14bff75a9841cec2000f9a331cf3f6ebde93aedbb6244883976f32bdef002c1b7fb"
       "0072bfc9ba9d30e5",
       ID_NONE)},
    {C("slmp: text starting W", T, 40000, 5001, 0, 0,
       "57656c636f6d6520746f207468652073657276657221", ID_NONE)},
    {C("slmp: CPU search 0x02", U, 62657, 5560, 0, -1, "5a000002", ID_NONE)},
    {C("slmp: CPU search with a trailing byte", U, 62657, 5560, 0, -1, "5a00000100", ID_NONE)},
    {C("slmp: CPU search on TCP", T, 40000, 5560, 0, 0, "5a000001", ID_NONE)},
    {C("slmp: CPU search answer one byte short", U, 5560, 62657, 0, -1,
       "da0000011400c0a80365c0a803", ID_NONE)},
    {C("slmp: CPU search answer to another command", U, 5560, 62657, 0, -1,
       "da0000021400c0a80365c0a80365", ID_NONE)},
    {C("slmp: 3E length one off", T, 40000, 5000, 0, 0,
       "500000ffff03000d00100001040000640000a80a00", ID_NONE)},
    {C("slmp: 3E bad module I/O", T, 40000, 5000, 0, 0,
       "500000ff0005000c00100001040000640000a80a00", ID_NONE)},

    /* ---- Omron FINS ---- */
    {C("fins UDP controller data read (capture)", U, 54855, 9600, 0, 0,
       "800002000000006300ef050100", ID_FINS)},
    {C("fins UDP controller data answer (capture)", U, 9600, 54855, 0, 1,
       "c0000200630000c800ef050100004350314c2d454c323044522d440000002020202030312e3030000000000030"
       "312e303600000000000000000000000000000000000000000000000001000000000000000000000000000000"
       "0000010003000a172a1008000000000000",
       ID_FINS),
     .vendor = "Omron", .model = "CP1L-EL20DR-D", .firmware = "01.00", .cls = CLS_PLC},
    {C("fins/TCP node address request (capture)", T, 17134, 9600, 0, 0,
       "46494e530000000c000000000000000000000000", ID_FINS)},
    {C("fins/TCP node address answer (capture)", T, 9600, 17134, 0, 1,
       "46494e53000000100000000100000000000000fb000000c8", ID_FINS)},
    {C("fins/TCP frame (capture)", T, 17134, 9600, 0, 0,
       "46494e5300000015000000020000000080000200c8000000ef05050100", ID_FINS)},
    {C("fins: RSV nonzero", U, 54855, 9600, 0, 0, "800102000000006300ef050100", ID_NONE)},
    {C("fins: unknown command 0x0a01", U, 54855, 9600, 0, 0, "800002000000006300ef0a0100",
       ID_NONE)},
    {C("fins: ICF reserved bits", U, 54855, 9600, 0, 0, "840002000000006300ef050100", ID_NONE)},
    {C("fins/TCP: length one off", T, 17134, 9600, 0, 0, "46494e530000000d000000000000000000000000",
       ID_NONE)},

    /* ---- MQTT ---- */
    {C("mqtt CONNECT", T, 40000, 1883, 0, 0, "101200044d5154540402003c000673656e736f72", ID_MQTT),
     .app_detail = "client id sensor", .cls = CLS_IOT},
    {C("mqtt CONNACK", T, 1883, 40000, 0, 1, "20020000", ID_MQTT), .cls = CLS_SERVER},
    {C("mqtt PUBLISH", T, 40000, 1883, 0, 0, "300a0003612f6268656c6c6f", ID_MQTT)},
    {C("mqtt SUBSCRIBE", T, 40000, 1883, 0, 0,
       "8208000100036"
       "12f6200",
       ID_MQTT)},
    {C("mqtt: PINGREQ alone", T, 40000, 1883, 0, 0, "c000", ID_NONE)},
    {C("mqtt: SUBSCRIBE with flags 0", T, 40000, 1883, 0, 0, "800800010003612f6200", ID_NONE)},
    {C("mqtt: CONNECT protocol MQTX", T, 40000, 1883, 0, 0,
       "101200044d5154580402003c000673656e736f72", ID_NONE)},
    {C("mqtt: CONNECT length one off", T, 40000, 1883, 0, 0,
       "101300044d5154540402003c000673656e736f72", ID_NONE)},
    {C("mqtt: type 0", T, 40000, 1883, 0, 0, "0002000000", ID_NONE)},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static size_t unhex(const char *h, uint8_t **out)
{
	size_t n = strlen(h) / 2;
	uint8_t *b = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
		b[i] = (uint8_t)v;
	}
	*out = b;
	return n;
}

static enum ident_proto run(const struct icase *c, const uint8_t *d, size_t n,
                            struct ident_facts *f)
{
	struct pkt p;
	memset(&p, 0, sizeof(p));
	if (c->transport == L2) {
		p.kind = PKT_L2;
		p.has_l2 = 1;
		p.ethertype = c->ethertype;
		p.l2_payload = d;
		p.l2_len = n;
	} else {
		p.kind = PKT_IP;
		p.proto = c->transport == T ? 6 : 17;
		p.has_l4 = 1;
		p.sport = c->sport;
		p.dport = c->dport;
		p.payload = d;
		p.payload_len = n;
	}
	struct ident_in in = {&p, d, n, c->from_server};
	return ident_run(c->transport, &in, f);
}

static void check_str(const char *what, const char *name, const char *want, const char *got)
{
	if (want)
		ck_assert_msg(strcmp(want, got) == 0, "%s: %s '%s', want '%s'", name, what, got,
		              want);
}

START_TEST(table_case)
{
	const struct icase *c = &cases[_i];
	uint8_t *d;
	size_t n = unhex(c->hex, &d);
	ck_assert_msg(strlen(c->hex) % 2 == 0, "%s: odd hex", c->name);
	struct ident_facts f;
	enum ident_proto got = run(c, d, n, &f);
	ck_assert_msg((int)got == c->expect, "%s: got %s, want %s", c->name,
	              got == ID_NONE ? "none" : ident_name(got),
	              c->expect == ID_NONE ? "none" : ident_name((enum ident_proto)c->expect));
	check_str("vendor", c->name, c->vendor, f.vendor);
	check_str("model", c->name, c->model, f.model);
	check_str("firmware", c->name, c->firmware, f.firmware);
	check_str("serial", c->name, c->serial, f.serial);
	check_str("hostname", c->name, c->hostname, f.hostname);
	check_str("app_detail", c->name, c->app_detail, f.app_detail);
	if (c->cls != CLS_UNKNOWN)
		ck_assert_msg(f.cls == c->cls, "%s: class %s, want %s", c->name,
		              ident_class_name(f.cls), ident_class_name(c->cls));
	free(d);
}
END_TEST

/* Every prefix of a valid frame, from a heap buffer of exactly that size:
 * either nothing or the same protocol, never a read past the end. */
START_TEST(table_prefixes)
{
	const struct icase *c = &cases[_i];
	if (c->expect == ID_NONE)
		return;
	uint8_t *full;
	size_t n = unhex(c->hex, &full);
	for (size_t k = 0; k < n; k++) {
		uint8_t *d = malloc(k ? k : 1);
		ck_assert_ptr_nonnull(d);
		memcpy(d, full, k);
		struct ident_facts f;
		enum ident_proto got = run(c, d, k, &f);
		ck_assert_msg(got == ID_NONE || (int)got == c->expect, "%s: prefix %zu gave %s",
		              c->name, k, ident_name(got));
		free(d);
	}
	free(full);
}
END_TEST

static int is_ics(enum ident_proto p)
{
	return p >= ID_MODBUS && p <= ID_MQTT;
}

/* Random payloads on every usual port prove none of the industrial
 * protocols (a port alone proves nothing). */
START_TEST(random_payloads_prove_nothing)
{
	static const uint16_t ports[] = {502,  102,  44818, 2222, 47808, 20000, 4840,
	                                 2404, 5000, 9600,  1883, 34964, 12001};
	uint32_t x = 12345;
	uint8_t buf[300];
	for (size_t pi = 0; pi < sizeof(ports) / sizeof(ports[0]); pi++) {
		for (int round = 0; round < 400; round++) {
			size_t n = 1 + (size_t)(round % 299);
			for (size_t i = 0; i < n; i++) {
				x = x * 1103515245u + 12345u;
				buf[i] = (uint8_t)(x >> 16);
			}
			for (unsigned t = T; t <= U; t++) {
				struct icase c = {.transport = t,
				                  .sport = 40000,
				                  .dport = ports[pi],
				                  .from_server = round & 1 ? 1 : 0};
				struct ident_facts f;
				enum ident_proto got = run(&c, buf, n, &f);
				ck_assert_msg(!is_ics(got), "random %zu bytes on %u/%u: %s", n,
				              (unsigned)t, (unsigned)ports[pi], ident_name(got));
			}
			struct icase l2 = {.transport = L2, .ethertype = 0x8892, .from_server = -1};
			struct ident_facts f;
			/* a random DCP frame id must not pass either */
			buf[0] = 0xfe;
			buf[1] = (uint8_t)(0xfc + (round & 3));
			enum ident_proto got = run(&l2, buf, n, &f);
			ck_assert_msg(got != ID_PROFINET || n < 2, "random DCP %zu bytes proved",
			              n);
		}
	}
}
END_TEST

/* Random payloads behind a MELSOFT first byte (0x57, 0xD7, 0x5A, 0xDA),
 * half of them with a length field that fits, prove no slmp. */
START_TEST(melsoft_random_prove_nothing)
{
	static const uint8_t first[] = {0x57, 0xd7, 0x5a, 0xda};
	uint32_t x = 20240;
	uint8_t buf[300];
	for (int round = 0; round < 4000; round++) {
		size_t n = 1 + (size_t)(round % 299);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			buf[i] = (uint8_t)(x >> 16);
		}
		buf[0] = first[round % 4];
		if ((round & 4) && n >= 21) {
			buf[19] = (uint8_t)(n - 21);
			buf[20] = (uint8_t)((n - 21) >> 8);
		}
		for (unsigned t = T; t <= U; t++) {
			struct icase c = {
			    .transport = t, .sport = 40000, .dport = 5560, .from_server = -1};
			struct ident_facts f;
			enum ident_proto got = run(&c, buf, n, &f);
			ck_assert_msg(got != ID_SLMP,
			              "random %zu bytes after 0x%02x on %u proved slmp", n,
			              (unsigned)buf[0], (unsigned)t);
		}
	}
}
END_TEST

/* ---- whole path: dec_packet -> inv_add -> inv_export ---- */

static void tcp_pkt(const char *smac, const char *dmac, const char *sip, const char *dip,
                    uint16_t sport, uint16_t dport, uint8_t flags, const uint8_t *pl, size_t n)
{
	tp_tcp4(smac, dmac, sip, dip, sport, dport, flags, 0, pl, n);
}

static void udp_pkt(const char *smac, const char *dmac, const char *sip, const char *dip,
                    uint16_t sport, uint16_t dport, const uint8_t *pl, size_t n)
{
	tp_udp4(smac, dmac, sip, dip, sport, dport, pl, n);
}

static const struct icase *case_named(const char *name)
{
	for (size_t i = 0; i < N_CASES; i++)
		if (strcmp(cases[i].name, name) == 0)
			return &cases[i];
	ck_abort_msg("no case %s", name);
	return NULL;
}

#define PLC_MAC "00:00:bc:01:02:03"
#define PC_MAC  "00:1b:21:0a:0b:0c"

START_TEST(enip_list_identity_end_to_end)
{
	uint8_t *req, *rep;
	size_t nreq = unhex(case_named("enip ListIdentity request (capture)")->hex, &req);
	size_t nrep = unhex(case_named("enip ListIdentity reply (capture)")->hex, &rep);
	tcp_pkt(PC_MAC, PLC_MAC, "10.1.1.167", "10.1.1.164", 5262, 44818, PG_SYN, NULL, 0);
	tcp_pkt(PLC_MAC, PC_MAC, "10.1.1.164", "10.1.1.167", 44818, 5262, PG_SYN | PG_ACK, NULL, 0);
	tcp_pkt(PC_MAC, PLC_MAC, "10.1.1.167", "10.1.1.164", 5262, 44818, PG_ACK | PG_PSH, req,
	        nreq);
	tcp_pkt(PLC_MAC, PC_MAC, "10.1.1.164", "10.1.1.167", 44818, 5262, PG_ACK | PG_PSH, rep,
	        nrep);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *plc = tp_host_by_ip("10.1.1.164");
	const struct res_host *pc = tp_host_by_ip("10.1.1.167");
	ck_assert_ptr_nonnull(plc);
	ck_assert_ptr_nonnull(pc);
	ck_assert(res_strv_has(&plc->protocols, "enip"));
	ck_assert(res_strv_has(&pc->protocols, "enip"));
	ck_assert_str_eq(plc->model, "1756-ENBT/A");
	ck_assert_str_eq(plc->firmware, "4.3");
	ck_assert_str_eq(plc->serial, "0x00524d8e");
	ck_assert_str_eq(plc->device_class, "ics");
	ck_assert(pc->model == NULL || strcmp(pc->model, "1756-ENBT/A") != 0);
	free(req);
	free(rep);
}
END_TEST

START_TEST(fins_udp_end_to_end)
{
	uint8_t *req, *rep;
	size_t nreq = unhex(case_named("fins UDP controller data read (capture)")->hex, &req);
	size_t nrep = unhex(case_named("fins UDP controller data answer (capture)")->hex, &rep);
	udp_pkt(PC_MAC, PLC_MAC, "10.1.1.173", "10.1.1.164", 54855, 9600, req, nreq);
	udp_pkt(PLC_MAC, PC_MAC, "10.1.1.164", "10.1.1.173", 9600, 54855, rep, nrep);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *plc = tp_host_by_ip("10.1.1.164");
	ck_assert_ptr_nonnull(plc);
	ck_assert(res_strv_has(&plc->protocols, "fins"));
	ck_assert_str_eq(plc->model, "CP1L-EL20DR-D");
	ck_assert_str_eq(plc->device_class, "plc");
	free(req);
	free(rep);
}
END_TEST

START_TEST(profinet_dcp_end_to_end)
{
	uint8_t *rep;
	size_t nrep = unhex(case_named("profinet DCP identify response (capture)")->hex, &rep);
	uint8_t s[6], d[6];
	pg_mac("08:00:06:93:cf:32", s);
	pg_mac("00:0c:29:ba:09:ea", d);
	pg_frame f;
	pg_frame_init(&f);
	pg_eth(&f, d, s, 0x8892);
	pg_append(&f, rep, nrep);
	pg_pad(&f, 60, 0);
	tp_feed(&f);
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *dev = tp_host_by_mac("08:00:06:93:cf:32");
	ck_assert_ptr_nonnull(dev);
	ck_assert(res_strv_has(&dev->protocols, "profinet"));
	ck_assert_str_eq(dev->model, "INC");
	ck_assert_str_eq(dev->device_class, "ics");
	free(rep);
}
END_TEST

START_TEST(melsoft_udp_end_to_end)
{
	/* GX Works (a Dell PC) searches by broadcast and the FX5U answers to
	 * broadcast, as in MELSEC_melsoft_UDP_clean_2.pcap. */
	static const char *const steps[][2] = {
	    {"pc", "slmp MELSOFT CPU search 0x01 (capture)"},
	    {"plc", "slmp MELSOFT CPU search 0x01 answer (capture)"},
	    {"pc", "slmp MELSOFT 0x0121 request (capture, UDP)"},
	    {"plc", "slmp MELSOFT 0x0121 answer with the CPU model (capture, UDP)"},
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const struct icase *c = case_named(steps[i][1]);
		uint8_t *d;
		size_t n = unhex(c->hex, &d);
		int plc = strcmp(steps[i][0], "plc") == 0;
		udp_pkt(plc ? "10:4b:46:28:0b:fa" : "84:7b:eb:0d:bd:b7", "ff:ff:ff:ff:ff:ff",
		        plc ? "192.168.3.250" : "192.168.3.101", "255.255.255.255", c->sport,
		        c->dport, d, n);
		free(d);
	}
	inv_export(tp.inv, NULL, tp.res);
	const struct res_host *plc = tp_host_by_ip("192.168.3.250");
	const struct res_host *pc = tp_host_by_ip("192.168.3.101");
	ck_assert_ptr_nonnull(plc);
	ck_assert_ptr_nonnull(pc);
	ck_assert(res_strv_has(&plc->protocols, "slmp"));
	ck_assert(res_strv_has(&pc->protocols, "slmp"));
	ck_assert_str_eq(plc->model, "FX5U-32MT/ES");
	ck_assert_str_eq(plc->device_class, "plc");
	ck_assert(res_strv_has(&plc->notes, "MELSOFT (GX Works) protocol"));
	ck_assert(pc->model == NULL);
	ck_assert(pc->device_class == NULL || strcmp(pc->device_class, "plc") != 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ident_ics");
	TCase *c = tcase_create("table");
	tcase_add_loop_test(c, table_case, 0, (int)N_CASES);
	tcase_add_loop_test(c, table_prefixes, 0, (int)N_CASES);
	tcase_add_test(c, random_payloads_prove_nothing);
	tcase_add_test(c, melsoft_random_prove_nothing);
	tcase_set_timeout(c, 60);
	suite_add_tcase(s, c);
	c = tcase_create("end_to_end");
	tcase_add_checked_fixture(c, tp_setup, tp_teardown);
	tcase_add_test(c, enip_list_identity_end_to_end);
	tcase_add_test(c, fins_udp_end_to_end);
	tcase_add_test(c, profinet_dcp_end_to_end);
	tcase_add_test(c, melsoft_udp_end_to_end);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	ident_init(); /* the dispatch tables, once, before any test */
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
