/*
 * policy/policy-messages.c - the plain-language message and suggested fix
 * of each violation type.
 *
 * The reader is a one-person IT department, not a network engineer: say
 * what was seen with the real addresses, names and zones, then one concrete
 * thing to do. Everything comes from the record itself (zones of flows are
 * kept in its detail), so saved results can be re-rendered without the
 * policy.
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy-internal.h"

static const char *proto_name(uint8_t proto, char buf[16])
{
	switch (proto) {
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 1:
		return "icmp";
	case 58:
		return "icmpv6";
	case 0:
		return "ip";
	default:
		snprintf(buf, 16, "proto %u", proto);
		return buf;
	}
}

/* "tcp/502", "icmp", "udp" (port 0). */
static void service_str(const struct pol_violation *v, char *out, size_t sz)
{
	char pb[16];
	const char *pn = proto_name(v->proto, pb);
	if ((v->proto == 6 || v->proto == 17) && v->dport)
		snprintf(out, sz, "%s/%u", pn, v->dport);
	else
		snprintf(out, sz, "%s", pn);
}

static void ip_str(const ss_ip *ip, char out[SS_IP_STRLEN])
{
	if (ip->family == 4 || ip->family == 6)
		ss_ip_format(ip, out);
	else
		snprintf(out, SS_IP_STRLEN, "(no address)");
}

/* Splits the "src -> dst" zones a flow record carries in its detail. */
static void zones_of(const struct pol_violation *v, char *sz, char *dz, size_t n)
{
	const char *arrow = strstr(v->detail, " -> ");
	if (!arrow) {
		snprintf(sz, n, "?");
		snprintf(dz, n, "?");
		return;
	}
	snprintf(sz, n, "%.*s", (int)(arrow - v->detail), v->detail);
	const char *end = strchr(arrow + 4, POL_DETAIL_SEP);
	snprintf(dz, n, "%.*s", end ? (int)(end - arrow - 4) : (int)strlen(arrow + 4), arrow + 4);
}

/* The text after POL_DETAIL_SEP in a record's detail ("" if none). */
static const char *detail_extra(const struct pol_violation *v)
{
	const char *sep = strchr(v->detail, POL_DETAIL_SEP);
	return sep ? sep + 1 : "";
}

/* Which end of an unregistered-eol record is the device: the detail names
 * its address after the separator's hint ("hint@addr"), else the MAC. */
static const char *who_eol(const struct pol_violation *v, const char *src, const char *dst,
                           const char *mac, const char *szn)
{
	(void)szn;
	if (v->eol_end == 1)
		return dst;
	if (v->eol_end == 0)
		return src;
	return v->has_mac ? mac : src;
}

void pol_violation_text(const struct pol_vrec *r, char *msg, size_t msgsz, char *fix, size_t fixsz)
{
	char dummy_m[8], dummy_f[8];
	if (!msg || msgsz == 0) {
		msg = dummy_m;
		msgsz = sizeof(dummy_m);
	}
	if (!fix || fixsz == 0) {
		fix = dummy_f;
		fixsz = sizeof(dummy_f);
	}
	msg[0] = fix[0] = '\0';
	if (!r)
		return;
	const struct pol_violation *v = &r->v;
	char src[SS_IP_STRLEN], dst[SS_IP_STRLEN], mac[SS_MAC_STRLEN] = "", svc[24];
	char szn[80], dzn[80];
	ip_str(&v->src, src);
	ip_str(&v->dst, dst);
	if (v->has_mac)
		ss_mac_format(&v->mac, mac);
	service_str(v, svc, sizeof(svc));
	zones_of(v, szn, dzn, sizeof(szn));
	const char *rule = v->rule ? v->rule : "?";
	/* "device 00:..:ff (10.0.0.5)" or just the address or the MAC */
	char who[SS_IP_STRLEN + SS_MAC_STRLEN + 16];
	if (v->has_mac && v->src.family)
		snprintf(who, sizeof(who), "%s (MAC %s)", src, mac);
	else if (v->has_mac)
		snprintf(who, sizeof(who), "MAC %s", mac);
	else
		snprintf(who, sizeof(who), "%s", src);

	switch (v->type) {
	case POL_V_FORBIDDEN_FLOW:
		snprintf(msg, msgsz,
		         "%s (zone %s) opened %s to %s (zone %s), forbidden by rule '%s'.", src,
		         szn, svc, dst, dzn, rule);
		snprintf(
		    fix, fixsz,
		    "Block %s from %s to %s on the firewall or router between zone %s and zone "
		    "%s, and find out which program on %s opens it. If the traffic is really "
		    "needed, change the forbid rule '%s' first.",
		    svc, src, dst, szn, dzn, src, rule);
		break;
	case POL_V_UNALLOWED_FLOW:
		snprintf(
		    msg, msgsz,
		    "%s (zone %s) opened %s to %s (zone %s); no allow rule covers this cross-zone "
		    "traffic and the policy default is deny.",
		    src, szn, svc, dst, dzn);
		snprintf(
		    fix, fixsz,
		    "If nobody needs it, block %s from zone %s to zone %s on the firewall between "
		    "them. If it is needed, allow exactly this on the firewall and add an allow "
		    "rule (from: %s, to: %s, services: [%s]) to the policy.",
		    svc, szn, dzn, src, dst, svc);
		break;
	case POL_V_OUTSIDE_SCHEDULE:
		snprintf(
		    msg, msgsz,
		    "%s (zone %s) opened %s to %s (zone %s) outside the time window of allow rule "
		    "'%s'.",
		    src, szn, svc, dst, dzn, rule);
		snprintf(
		    fix, fixsz,
		    "Open %s from %s to %s on the firewall only during the window of '%s' (a "
		    "time-based firewall rule, or enable it from the backup job), and check why "
		    "%s connected at this time. If the window is too narrow, widen the schedule "
		    "of '%s'.",
		    svc, src, dst, rule, src, rule);
		break;
	case POL_V_EOL_EXPOSURE:
		if (!v->rule) { /* an unregistered host whose software says end-of-life */
			snprintf(
			    msg, msgsz,
			    "Unregistered device %s runs end-of-life software (%s) and is in a "
			    "flow that leaves its zone: %s (zone %s) opened %s to %s (zone %s).",
			    who_eol(v, src, dst, mac, szn), detail_extra(v), src, szn, svc, dst,
			    dzn);
			snprintf(
			    fix, fixsz,
			    "Identify the device and its owner; register it with eol: true if it "
			    "must stay, isolate it in a segment of its own and let the firewall "
			    "pass only the flows it needs (block %s between zone %s and zone %s "
			    "if this is not one of them); plan its replacement or upgrade.",
			    svc, szn, dzn);
			break;
		}
		snprintf(msg, msgsz,
		         "End-of-life asset '%s' is in a flow that leaves its zone: %s (zone %s) "
		         "opened %s to %s (zone %s). Its software gets no security fixes.",
		         rule, src, szn, svc, dst, dzn);
		snprintf(
		    fix, fixsz,
		    "Isolate '%s': put it in a segment of its own and let the firewall pass only "
		    "the few flows it needs (block %s between zone %s and zone %s if this is not "
		    "one of them); plan its replacement or upgrade.",
		    rule, svc, szn, dzn);
		break;
	case POL_V_UNKNOWN_DEVICE:
		snprintf(msg, msgsz, "Device %s%s%s is not in the asset register.", who,
		         v->detail[0] ? " in " : "", v->detail);
		snprintf(
		    fix, fixsz,
		    "Find the device (switch port of %s, vendor, owner). If it belongs there, add "
		    "it to assets with its MAC, IP and zone; if not, disconnect it.",
		    v->has_mac ? mac : src);
		break;
	case POL_V_ASSET_MISMATCH:
		snprintf(msg, msgsz, "Registered asset '%s' does not match what was seen: %s.",
		         rule, v->detail);
		snprintf(
		    fix, fixsz,
		    "Check the device at %s: if it was replaced, re-addressed or moved on "
		    "purpose, update its mac, ip and zone in the asset register; if not, it may "
		    "be a wrong or spoofing device - find it by its switch port.",
		    who);
		break;
	case POL_V_DUAL_HOMED:
		snprintf(msg, msgsz,
		         "Device %s holds addresses in two zones (%s: %s and %s), so it can carry "
		         "traffic between them around the firewall.",
		         v->has_mac ? mac : src, v->detail, src, dst);
		snprintf(
		    fix, fixsz,
		    "Remove the second network connection or address from the device, or route "
		    "through the firewall instead. If it is a router or firewall, register it "
		    "with role: router or role: firewall.");
		break;
	case POL_V_ROGUE_DHCP:
		snprintf(
		    msg, msgsz,
		    "%s answers DHCP requests but is not a registered DHCP server; clients may "
		    "get wrong addresses, gateways or DNS servers from it.",
		    who);
		snprintf(
		    fix, fixsz,
		    "Find the device (often a home router or a PC with internet sharing) and turn "
		    "off its DHCP server; enable DHCP snooping on the switch. If it is a real DHCP "
		    "server, set dhcp_server: true on its asset entry.");
		break;
	case POL_V_UNASSIGNED_NETWORK:
		if (v->has_mac)
			snprintf(msg, msgsz,
			         "%s (MAC %s) is a private address in no declared zone.", src, mac);
		else
			snprintf(msg, msgsz, "%s is a private address in no declared zone.", src);
		snprintf(fix, fixsz,
		         "Declare the network of %s as part of the right zone in the "
		         "policy, or re-address the device into a declared network.",
		         src);
		break;
	default:
		snprintf(msg, msgsz, "Unknown violation.");
		break;
	}
}
