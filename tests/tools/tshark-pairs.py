#!/usr/bin/env python3
"""tests/tools/tshark-pairs.py - write tests/protocols/NAME.expected from tshark.

    tests/tools/tshark-pairs.py CAPTURE... [-o DIR]

Authoring tool, run once per capture (needs tshark; CI does not: the
committed test, tests/run-protocols.sh, compares segscan with the stored
files only). For every frame, tshark's dissector chain (frame.protocols) is
mapped onto segscan's protocol vocabulary (segscan.md) and the protocol is
attributed:
  - unicast IP: to both ends (source and destination address);
  - multicast, broadcast (Ethernet group bit) and non-IP frames: to the
    sender only;
  - the address is the IP address; for non-IP frames it is the sender
    MAC's IP address(es) when the capture binds one to it (ARP sender, or
    the one or two addresses it sources), else the MAC itself.
An address that never sends is left out (segscan makes no host of it), and
so is a public address not sourced by a MAC as one of its own one or two
addresses (an Internet endpoint behind a router: flows only). Both get a
comment. Lines after "# --- by hand ---" are kept across re-runs: that is
where "!missing" / "!extra" lines and their reasons go.

Where tshark shows only "data", the file name and the protocol's
specification are the reference (pcaps/README.md): MELSEC captures
(by_hand_melsec) and OPC UA binary on an odd port (HEL/ACK/OPN/MSG/CLO/ERR
message types, by_hand_opcua). COTP carrying S7comm-plus (first payload
byte 0x72; tshark 4.0 has no S7comm-plus dissector) is s7comm; COTP
without S7 payload (connection set-up alone, or MMS of IEC 61850 over
ses:pres) is not: ISO-on-TCP is a transport, not proof of S7.
"""
import argparse
import ipaddress
import os
import subprocess
import sys

# tshark protocol name -> segscan vocabulary
MAP = {
    "mbtcp": "modbus", "modbus": "modbus",
    "s7comm": "s7comm", "s7comm-plus": "s7comm", "s7comm_plus": "s7comm",
    "enip": "enip", "cip": "enip",
    "bvlc": "bacnet", "bacnet": "bacnet", "bacapp": "bacnet",
    "dnp3": "dnp3",
    "opcua": "opcua",
    "iec60870_104": "iec104", "iec60870_asdu": "iec104",
    "pn_dcp": "profinet", "pn_rt": "profinet",
    "fins": "fins", "omron": "fins",
    "mqtt": "mqtt",
    "http": "http",
    "tls": "tls", "ssl": "tls",
    "ssh": "ssh",
    "telnet": "telnet",
    "ftp": "ftp",
    "smb": "smb", "smb2": "smb",
    "rdp": "rdp",
    "vnc": "vnc",
    "dns": "dns", "mdns": "mdns", "llmnr": "llmnr",
    "dhcp": "dhcp", "bootp": "dhcp",
    "ssdp": "ssdp",
    "nbns": "nbns",
    "lldp": "lldp",
    "cdp": "cdp",
    "snmp": "snmp",
    "ntp": "ntp",
    "rtsp": "rtsp",
}

# tshark protocols outside the vocabulary worth a comment when seen
OUTSIDE = {
    "dhcpv6": "DHCPv6 is not in segscan's vocabulary (dhcp is DHCPv4)",
    "goose": "IEC 61850 GOOSE is not in segscan's vocabulary",
    "pres": "IEC 61850 MMS (tpkt:cotp:ses:pres) is not in segscan's vocabulary; "
            "COTP alone is not S7",
    "ams": "Beckhoff ADS/AMS is not in segscan's vocabulary",
    "hart_ip": "HART-IP is not in segscan's vocabulary",
    "tftp": "TFTP is not in segscan's vocabulary",
    "dcerpc": "DCE/RPC itself is not in segscan's vocabulary (PROFINET IO context "
              "management rides on it: see the by-hand lines, if any)",
    "stp": "STP is not in segscan's vocabulary",
    "nbss": "NetBIOS session service alone is not SMB (the smb layer decides)",
}

# From this line on, an expected file is written by hand and kept.
HAND = "# --- by hand ---"

FIELDS = ["eth.src", "eth.dst", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
          "arp.src.hw_mac", "arp.src.proto_ipv4", "frame.protocols", "data.data",
          "tcp.payload", "udp.srcport", "udp.dstport"]


def tshark(path):
    cmd = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=\t",
           "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    # tshark exits 2 on a capture cut short in its last record; the
    # records before the cut are still printed and used.
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 2) or (r.returncode and not r.stdout):
        sys.exit("tshark failed on %s: %s" % (path, r.stderr.strip()))
    out = r.stdout
    for line in out.splitlines():
        v = line.split("\t")
        v += [""] * (len(FIELDS) - len(v))
        yield dict(zip(FIELDS, v))


def is_group(mac):
    return bool(mac) and int(mac.split(":")[0], 16) & 1


def is_mac(a):
    return len(a) == 17 and a.count(":") == 5


def public(addr):
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False  # a MAC
    return ip.is_global


def by_hand_opcua(payload):
    return payload[:6] in ("48454c", "41434b", "4f504e", "4d5347", "434c4f", "455252")


def pairs_of(path):
    name = os.path.basename(path)
    frames = list(tshark(path))
    # Addresses each MAC is bound to (ARP sender) or sources.
    arp_ips, src_ips = {}, {}
    for fr in frames:
        if fr["arp.src.hw_mac"] and fr["arp.src.proto_ipv4"] not in ("", "0.0.0.0"):
            arp_ips.setdefault(fr["arp.src.hw_mac"], set()).add(fr["arp.src.proto_ipv4"])
        s = fr["ip.src"] or fr["ipv6.src"]
        if fr["eth.src"] and s and s != "0.0.0.0":
            src_ips.setdefault(fr["eth.src"], set()).add(s)

    sourced = set()
    for fr in frames:
        s = fr["ip.src"] or fr["ipv6.src"]
        if s:
            sourced.add(s)
    for ips in arp_ips.values():
        sourced |= ips

    def own_address(a):
        """segscan keeps a public address as a host only when a MAC on the
        segment sources it as one of its own one or two addresses."""
        return any(a in ips and len(ips) <= 2 for ips in src_ips.values())

    def mac_addrs(mac):
        ips = set(arp_ips.get(mac, set()))
        if len(src_ips.get(mac, ())) <= 2:
            ips |= src_ips.get(mac, set())
        return sorted(ips) or [mac]

    pairs, comments, by_hand = set(), set(), set()
    for fr in frames:
        chain = fr["frame.protocols"].split(":")
        protos = {MAP[p] for p in chain if p in MAP}
        for p in chain:
            if p in OUTSIDE:
                comments.add("# segscan does not report %s: %s" % (p, OUTSIDE[p]))
        payload = fr["data.data"] or fr["tcp.payload"]
        if "cotp" in chain and chain[-1] in ("cotp", "data"):
            if payload.startswith("72"):
                protos.add("s7comm")
                by_hand.add("# by hand: tpkt:cotp:data starting 0x72 is S7comm-plus "
                            "(tshark 4.0 has no dissector for it): s7comm")
        if chain[-1] == "data" and name.startswith("MELSEC_"):
            protos.add("slmp")
            by_hand.add("# by hand: tshark shows MELSEC as data; the file name is the reference: "
                        "slmp (frames carry MELSOFT subheaders 0x57/0xD7 on TCP and "
                        "0x5A/0xDA on UDP, siblings of MC 3E 0x50/0xD0 and 4E 0x54/0xD4)")
        if chain[-1] == "data" and name.startswith("OPC_") and by_hand_opcua(payload):
            protos.add("opcua")
            by_hand.add("# by hand: tshark shows OPC UA on TCP 12001 as data; the payload "
                        "opens with HEL/ACK/OPN/MSG (OPC UA binary, Part 6): opcua")
        if not protos:
            continue
        src = fr["ip.src"] or fr["ipv6.src"]
        dst = fr["ip.dst"] or fr["ipv6.dst"]
        group = is_group(fr["eth.dst"])
        if src and src not in ("0.0.0.0", "::"):
            ends = [src] if group or not dst else [src, dst]
        else:
            ends = mac_addrs(fr["eth.src"]) if fr["eth.src"] else []
        for a in ends:
            if a in ("0.0.0.0", "::"):
                continue
            for p in protos:
                if a not in sourced and not is_mac(a):
                    comments.add("# segscan does not report %s %s: the address never "
                                 "sends, so it is no host" % (a, p))
                    continue
                if public(a) and not own_address(a):
                    comments.add("# segscan does not report %s %s: a public address is "
                                 "an Internet endpoint, in flows only" % (a, p))
                    continue
                pairs.add((a, p))
    return pairs, sorted(comments), sorted(by_hand)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("captures", nargs="+")
    ap.add_argument("-o", default=os.path.join(os.path.dirname(__file__), "..", "protocols"))
    args = ap.parse_args()
    ver = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    ver = ver.splitlines()[0].rstrip(".") if ver else "tshark"
    for cap in args.captures:
        pairs, comments, by_hand = pairs_of(cap)
        name = os.path.basename(cap)
        folder = os.path.basename(os.path.dirname(os.path.abspath(cap)))
        out = os.path.join(args.o, name + ".expected")
        kept = []  # the hand-written tail survives a re-run
        if os.path.exists(out):
            with open(out) as old:
                lines = old.read().splitlines()
            if HAND in lines:
                kept = lines[lines.index(HAND):]
        with open(out, "w") as f:
            f.write("# capture: %s/%s\n" % (folder, name))
            f.write("# (address, protocol) pairs per %s, written by "
                    "tests/tools/tshark-pairs.py; checked by tests/run-protocols.sh.\n" % ver)
            f.write("# Lines '!missing A P' / '!extra A P' are tolerated disagreements.\n")
            for c in by_hand + comments:
                f.write(c + "\n")
            for a, p in sorted(pairs):
                f.write("%s %s\n" % (a, p))
            for line in kept:
                f.write(line + "\n")
        print("%s: %d pairs" % (out, len(pairs)))


if __name__ == "__main__":
    sys.exit(main())
