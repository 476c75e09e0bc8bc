/*
 * policy/policy-services.c - service names and port ranges.
 *
 * One table maps the service names a policy may use ("https", "modbus",
 * "s7comm", ...) to protocol/port ranges. Identification uses the same
 * table through pol_service_lookup(), so a name means the same thing in a
 * rule and in a report. The man page segscan-policy(5) lists this table:
 * keep the two in step.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "policy/policy-internal.h"

#define TCP 6
#define UDP 17

static const struct service {
	const char *name;
	uint8_t proto;
	uint16_t lo, hi;
} services[] = {
    /* IT */
    {"http", TCP, 80, 80},
    {"http-alt", TCP, 8080, 8080},
    {"https", TCP, 443, 443},
    {"tls", TCP, 443, 443},
    {"ssh", TCP, 22, 22},
    {"telnet", TCP, 23, 23},
    {"ftp", TCP, 21, 21},
    {"tftp", UDP, 69, 69},
    {"smb", TCP, 445, 445},
    {"smb", TCP, 139, 139},
    {"netbios", UDP, 137, 138},
    {"netbios", TCP, 139, 139},
    {"nbns", UDP, 137, 137},
    {"rdp", TCP, 3389, 3389},
    {"rdp", UDP, 3389, 3389},
    {"vnc", TCP, 5900, 5900},
    {"dns", UDP, 53, 53},
    {"dns", TCP, 53, 53},
    {"dhcp", UDP, 67, 68},
    {"dhcpv6", UDP, 546, 547},
    {"ntp", UDP, 123, 123},
    {"snmp", UDP, 161, 162},
    {"syslog", UDP, 514, 514},
    {"ldap", TCP, 389, 389},
    {"ldap", UDP, 389, 389},
    {"ldaps", TCP, 636, 636},
    {"kerberos", TCP, 88, 88},
    {"kerberos", UDP, 88, 88},
    {"msrpc", TCP, 135, 135},
    {"winrm", TCP, 5985, 5986},
    {"smtp", TCP, 25, 25},
    {"submission", TCP, 587, 587},
    {"imap", TCP, 143, 143},
    {"imaps", TCP, 993, 993},
    {"pop3", TCP, 110, 110},
    {"pop3s", TCP, 995, 995},
    {"mssql", TCP, 1433, 1433},
    {"mysql", TCP, 3306, 3306},
    {"postgresql", TCP, 5432, 5432},
    {"nfs", TCP, 2049, 2049},
    {"nfs", UDP, 2049, 2049},
    {"iscsi", TCP, 3260, 3260},
    {"mdns", UDP, 5353, 5353},
    {"ssdp", UDP, 1900, 1900},
    {"llmnr", UDP, 5355, 5355},
    {"rtsp", TCP, 554, 554},
    {"mqtt", TCP, 1883, 1883},
    {"mqtts", TCP, 8883, 8883},
    /* OT */
    {"modbus", TCP, 502, 502},
    {"s7comm", TCP, 102, 102},
    {"enip", TCP, 44818, 44818},
    {"enip", UDP, 44818, 44818},
    {"enip", UDP, 2222, 2222},
    {"bacnet", UDP, 47808, 47808},
    {"dnp3", TCP, 20000, 20000},
    {"opcua", TCP, 4840, 4840},
    {"iec104", TCP, 2404, 2404},
    {"slmp", TCP, 5007, 5007},
    {"slmp", UDP, 5006, 5006},
    {"fins", UDP, 9600, 9600},
    {"fins", TCP, 9600, 9600},
    {"profinet", UDP, 34962, 34964},
};

size_t pol_service_lookup(const char *name, struct pol_portrange *out, size_t max)
{
	size_t n = 0;
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]) && n < max; i++) {
		if (strcasecmp(services[i].name, name) != 0)
			continue;
		out[n].proto = services[i].proto;
		out[n].lo = services[i].lo;
		out[n].hi = services[i].hi;
		n++;
	}
	return n;
}

/* Strict decimal port: digits only, at most 5 of them, 0..65535. Returns
 * 0, -1 malformed, -2 out of range. */
static int parse_port(const char *s, size_t len, uint16_t *out)
{
	if (len == 0 || len > 5)
		return len > 5 && strspn(s, "0123456789") >= len ? -2 : -1;
	unsigned long v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v > 65535)
		return -2;
	*out = (uint16_t)v;
	return 0;
}

long pol_svc_parse(struct policy *p, const char *s, struct pol_svc *out, size_t max, char *err,
                   size_t errsz)
{
	if (max == 0) {
		snprintf(err, errsz, "too many services");
		return -1;
	}
	if (strcasecmp(s, "any") == 0) {
		out[0] = (struct pol_svc){.proto = 0, .lo = 0, .hi = 65535};
		return 1;
	}
	if (strcasecmp(s, "icmp") == 0 || strcasecmp(s, "icmpv6") == 0) {
		out[0] = (struct pol_svc){.proto = POL_PROTO_ICMP, .lo = 0, .hi = 65535};
		return 1;
	}
	const char *slash = strchr(s, '/');
	size_t plen = slash ? (size_t)(slash - s) : strlen(s);
	uint8_t proto = 0;
	if (plen == 3 && strncasecmp(s, "tcp", 3) == 0)
		proto = TCP;
	else if (plen == 3 && strncasecmp(s, "udp", 3) == 0)
		proto = UDP;
	if (proto && !slash) {
		/* "tcp" alone: every TCP port. */
		out[0] = (struct pol_svc){.proto = proto, .lo = 0, .hi = 65535};
		return 1;
	}
	if (slash) {
		if (!proto) {
			snprintf(err, errsz, "bad service '%s': the protocol must be tcp or udp",
			         s);
			return -1;
		}
		const char *ports = slash + 1;
		if (strcmp(ports, "*") == 0) {
			out[0] = (struct pol_svc){.proto = proto, .lo = 0, .hi = 65535};
			return 1;
		}
		const char *dash = strchr(ports, '-');
		uint16_t lo, hi;
		size_t lolen = dash ? (size_t)(dash - ports) : strlen(ports);
		int r1 = parse_port(ports, lolen, &lo);
		int r2 = dash ? parse_port(dash + 1, strlen(dash + 1), &hi) : r1;
		if (!dash)
			hi = lo;
		if (r1 == -1 || r2 == -1) {
			snprintf(err, errsz,
			         "bad port in service '%s' (expected proto/port or proto/lo-hi)",
			         s);
			return -1;
		}
		if (r1 == -2 || r2 == -2) {
			snprintf(err, errsz, "port out of range in service '%s' (0-65535)", s);
			return -1;
		}
		if (lo > hi) {
			snprintf(err, errsz, "bad port range in service '%s': %u is above %u", s,
			         lo, hi);
			return -1;
		}
		out[0] = (struct pol_svc){.proto = proto, .lo = lo, .hi = hi};
		return 1;
	}
	struct pol_portrange pr[POL_SVC_PER_NAME];
	size_t n = pol_service_lookup(s, pr, POL_SVC_PER_NAME);
	if (n == 0) {
		snprintf(err, errsz,
		         "unknown service '%s' (use proto/port such as tcp/8080, or a name from "
		         "segscan-policy(5))",
		         s);
		return -1;
	}
	if (n > max)
		n = max;
	char lname[POL_NAME_MAX + 1];
	ss_lower(lname, s, sizeof(lname));
	const char *app = pol_strndup(p, lname, strlen(lname));
	for (size_t i = 0; i < n; i++)
		out[i] = (struct pol_svc){
		    .proto = pr[i].proto, .lo = pr[i].lo, .hi = pr[i].hi, .app = app};
	return (long)n;
}

int pol_svc_match(const struct pol_svc *svc, size_t n, const struct pol_flow *f)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const struct pol_svc *s = &svc[i];
		/* A name also matches the identified protocol on any port: an
		 * allowed "modbus" is Modbus wherever the device listens. */
		if (s->app && f->app && strcasecmp(s->app, f->app) == 0)
			return 1;
		if (s->proto == 0)
			return 1;
		if (s->proto == POL_PROTO_ICMP) {
			if (f->proto == 1 || f->proto == 58)
				return 1;
			continue;
		}
		if (s->proto == f->proto && f->dport >= s->lo && f->dport <= s->hi)
			return 1;
	}
	return 0;
}
