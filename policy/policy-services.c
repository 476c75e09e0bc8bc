/*
 * policy/policy-services.c - service names and port ranges.
 *
 * Maps the service names a policy may use ("https", "modbus", "s7comm",
 * ...) to protocol/port ranges: the name of every protocol segscan
 * identifies comes from the one protocol list (common/protocols.h), the
 * scanner's vocabulary, so a name means the same thing in a rule and in a
 * report; the few services nothing identifies are listed here. The man
 * page segscan-policy(5) lists the names: keep the two in step.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/protocols.h"
#include "policy/policy-internal.h"

#define TCP 6
#define UDP 17

/* Services of the protocols segscan identifies, from the protocol list
 * (common/protocols.h): the name of each protocol and its port ranges. */
#define SS_X_SVC(ID, name, try, fam, flags, tr, et, ports, svcs)                                   \
	static const struct ss_proto_svc svc_##name[] = {SS_UNPAREN svcs{0, 0, 0}};
SS_PROTOCOLS(SS_X_SVC)
#undef SS_X_SVC

static const struct proto_service {
	const char *name;
	const struct ss_proto_svc *ranges; /* ended by ipproto 0 */
} proto_services[] = {
#define SS_X_PSVC(ID, name, ...) {#name, svc_##name},
    SS_PROTOCOLS(SS_X_PSVC)
#undef SS_X_PSVC
};

/* Services no identifier proves: a port range only. */
static const struct service {
	const char *name;
	uint8_t proto;
	uint16_t lo, hi;
} services[] = {
    {"http-alt", TCP, 8080, 8080}, {"https", TCP, 443, 443},        {"tftp", UDP, 69, 69},
    {"netbios", UDP, 137, 138},    {"netbios", TCP, 139, 139},      {"dhcpv6", UDP, 546, 547},
    {"syslog", UDP, 514, 514},     {"ldap", TCP, 389, 389},         {"ldap", UDP, 389, 389},
    {"ldaps", TCP, 636, 636},      {"kerberos", TCP, 88, 88},       {"kerberos", UDP, 88, 88},
    {"msrpc", TCP, 135, 135},      {"winrm", TCP, 5985, 5986},      {"smtp", TCP, 25, 25},
    {"submission", TCP, 587, 587}, {"imap", TCP, 143, 143},         {"imaps", TCP, 993, 993},
    {"pop3", TCP, 110, 110},       {"pop3s", TCP, 995, 995},        {"mssql", TCP, 1433, 1433},
    {"mysql", TCP, 3306, 3306},    {"postgresql", TCP, 5432, 5432}, {"nfs", TCP, 2049, 2049},
    {"nfs", UDP, 2049, 2049},      {"iscsi", TCP, 3260, 3260},      {"mqtts", TCP, 8883, 8883},
};

size_t pol_service_lookup(const char *name, struct pol_portrange *out, size_t max)
{
	size_t n = 0;
	if (!name)
		return 0;
	for (size_t i = 0; i < sizeof(proto_services) / sizeof(proto_services[0]); i++) {
		if (strcasecmp(proto_services[i].name, name) != 0)
			continue;
		for (const struct ss_proto_svc *r = proto_services[i].ranges; r->ipproto && n < max;
		     r++)
			out[n++] =
			    (struct pol_portrange){.proto = r->ipproto, .lo = r->lo, .hi = r->hi};
		return n;
	}
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
