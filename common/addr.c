/*
 * common/addr.c - parsing, formatting and classifying MAC and IP addresses.
 *
 * inet_pton/inet_ntop do the heavy lifting; everything else is byte tests on
 * the value, so classification never depends on the host's resolver.
 */
#include "common/addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int ss_mac_parse(const char *s, ss_mac *out)
{
	/* Collect exactly 12 hex digits, allowing ':' '-' '.' as separators
	 * in the three common layouts; anything else is malformed. */
	uint8_t nib[12];
	size_t n = 0, len = strlen(s);
	if (len == 17) {
		char sep = s[2];
		if (sep != ':' && sep != '-')
			return -1;
		for (size_t i = 0; i < 17; i++) {
			if (i % 3 == 2) {
				if (s[i] != sep)
					return -1;
				continue;
			}
			int v = hexval((unsigned char)s[i]);
			if (v < 0)
				return -1;
			nib[n++] = (uint8_t)v;
		}
	} else if (len == 14) { /* aabb.ccdd.eeff */
		for (size_t i = 0; i < 14; i++) {
			if (i == 4 || i == 9) {
				if (s[i] != '.')
					return -1;
				continue;
			}
			int v = hexval((unsigned char)s[i]);
			if (v < 0)
				return -1;
			nib[n++] = (uint8_t)v;
		}
	} else {
		return -1;
	}
	if (n != 12)
		return -1;
	for (int i = 0; i < 6; i++)
		out->b[i] = (uint8_t)((nib[2 * i] << 4) | nib[2 * i + 1]);
	return 0;
}

void ss_mac_format(const ss_mac *m, char out[SS_MAC_STRLEN])
{
	/* By hand, not snprintf: the export formats every host's MAC several
	 * times and the format string parser was ~2,800 instructions a call.
	 * Same text as "%02x:%02x:%02x:%02x:%02x:%02x". */
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 6; i++) {
		out[i * 3] = hex[m->b[i] >> 4];
		out[i * 3 + 1] = hex[m->b[i] & 15];
		out[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
}

int ss_mac_cmp(const ss_mac *a, const ss_mac *b)
{
	return memcmp(a->b, b->b, 6);
}

int ss_mac_is_zero(const ss_mac *m)
{
	static const uint8_t z[6];
	return memcmp(m->b, z, 6) == 0;
}

int ss_mac_is_broadcast(const ss_mac *m)
{
	static const uint8_t ff[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	return memcmp(m->b, ff, 6) == 0;
}

int ss_mac_is_multicast(const ss_mac *m)
{
	return (m->b[0] & 1) != 0;
}

int ss_mac_is_locally_admin(const ss_mac *m)
{
	return (m->b[0] & 2) != 0 && !(m->b[0] & 1);
}

uint32_t ss_mac_hash(const ss_mac *m)
{
	uint32_t h = 2166136261u;
	for (int i = 0; i < 6; i++) {
		h ^= m->b[i];
		h *= 16777619u;
	}
	return h;
}

void ss_ip_from_v4(ss_ip *out, const uint8_t b[4])
{
	memset(out, 0, sizeof(*out));
	out->family = 4;
	memcpy(out->b, b, 4);
}

void ss_ip_from_v6(ss_ip *out, const uint8_t b[16])
{
	out->family = 6;
	memcpy(out->b, b, 16);
}

int ss_ip_parse(const char *s, ss_ip *out)
{
	uint8_t buf[16];
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, buf) != 1)
			return -1;
		ss_ip_from_v6(out, buf);
		return 0;
	}
	/* inet_pton(AF_INET) accepts only dotted quads, which is what we want:
	 * "10.1" shorthand is almost always a typo in a policy. */
	if (inet_pton(AF_INET, s, buf) != 1)
		return -1;
	ss_ip_from_v4(out, buf);
	return 0;
}

void ss_ip_format(const ss_ip *ip, char out[SS_IP_STRLEN])
{
	if (ip->family == 4) {
		/* Dotted decimal by hand: inet_ntop formats IPv4 with sprintf
		 * (~1,800 instructions), and the export and reports format every
		 * address of every host and flow. Same text as inet_ntop. */
		char *o = out;
		for (int i = 0; i < 4; i++) {
			unsigned v = ip->b[i];
			if (v >= 100)
				*o++ = (char)('0' + v / 100);
			if (v >= 10)
				*o++ = (char)('0' + v / 10 % 10);
			*o++ = (char)('0' + v % 10);
			*o++ = i < 3 ? '.' : '\0';
		}
	} else if (ip->family == 6)
		inet_ntop(AF_INET6, ip->b, out, SS_IP_STRLEN);
	else
		snprintf(out, SS_IP_STRLEN, "-");
}

int ss_ip_cmp(const ss_ip *a, const ss_ip *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, a->family == 4 ? 4 : 16);
}

int ss_ip_eq(const ss_ip *a, const ss_ip *b)
{
	return ss_ip_cmp(a, b) == 0;
}

uint32_t ss_ip_hash(const ss_ip *ip)
{
	uint32_t h = 2166136261u ^ ip->family;
	size_t n = ip->family == 4 ? 4 : 16;
	for (size_t i = 0; i < n; i++) {
		h ^= ip->b[i];
		h *= 16777619u;
	}
	return h;
}

unsigned ss_ip_bits(const ss_ip *ip)
{
	return ip->family == 4 ? 32 : 128;
}

int ss_ip_bit(const ss_ip *ip, unsigned i)
{
	return (ip->b[i / 8] >> (7 - (i % 8))) & 1;
}

int ss_ip_is_unspecified(const ss_ip *ip)
{
	/* Word loads, not memcmp with a variable length: this runs several
	 * times per packet and the libc call was most of its cost. */
	if (ip->family == 0)
		return 1;
	uint32_t w;
	memcpy(&w, ip->b, 4);
	if (ip->family == 4)
		return w == 0;
	uint32_t x[3];
	memcpy(x, ip->b + 4, 12);
	return (w | x[0] | x[1] | x[2]) == 0;
}

int ss_ip_is_loopback(const ss_ip *ip)
{
	if (ip->family == 4)
		return ip->b[0] == 127;
	static const uint8_t lo[16] = {[15] = 1};
	return ip->family == 6 && memcmp(ip->b, lo, 16) == 0;
}

int ss_ip_is_multicast(const ss_ip *ip)
{
	if (ip->family == 4)
		return (ip->b[0] & 0xf0) == 0xe0;
	return ip->family == 6 && ip->b[0] == 0xff;
}

int ss_ip_is_broadcast(const ss_ip *ip)
{
	return ip->family == 4 && ip->b[0] == 255 && ip->b[1] == 255 && ip->b[2] == 255 &&
	       ip->b[3] == 255;
}

int ss_ip_is_linklocal(const ss_ip *ip)
{
	if (ip->family == 4)
		return ip->b[0] == 169 && ip->b[1] == 254;
	return ip->family == 6 && ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80;
}

int ss_ip_is_private(const ss_ip *ip)
{
	if (ip->family == 4) {
		const uint8_t *b = ip->b;
		return b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		       (b[0] == 192 && b[1] == 168) || (b[0] == 100 && (b[1] & 0xc0) == 64);
	}
	return ip->family == 6 && (ip->b[0] & 0xfe) == 0xfc;
}

int ss_ip_is_local_service(const ss_ip *ip)
{
	return ss_ip_is_unspecified(ip) || ss_ip_is_loopback(ip) || ss_ip_is_multicast(ip) ||
	       ss_ip_is_broadcast(ip) || ss_ip_is_linklocal(ip);
}

int ss_ip_is_public(const ss_ip *ip)
{
	if (ss_ip_is_local_service(ip) || ss_ip_is_private(ip))
		return 0;
	if (ip->family == 4)
		return ip->b[0] != 0 && ip->b[0] < 240;
	/* IPv6: global unicast 2000::/3 only. */
	return ip->family == 6 && (ip->b[0] & 0xe0) == 0x20;
}

int ss_prefix_parse(const char *s, ss_prefix *out)
{
	char buf[64];
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	char *slash = strchr(buf, '/');
	long len = -1;
	if (slash) {
		*slash = '\0';
		const char *p = slash + 1;
		if (!*p || strlen(p) > 3)
			return -1;
		len = 0;
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return -1;
			len = len * 10 + (*p - '0');
		}
	}
	ss_ip ip;
	if (ss_ip_parse(buf, &ip) != 0)
		return -1;
	unsigned bits = ss_ip_bits(&ip);
	if (len < 0)
		len = (long)bits;
	if (len > (long)bits)
		return -1;
	for (unsigned i = (unsigned)len; i < bits; i++)
		if (ss_ip_bit(&ip, i))
			return -2;
	out->net = ip;
	out->len = (uint8_t)len;
	return 0;
}

int ss_prefix_contains(const ss_prefix *p, const ss_ip *ip)
{
	if (p->net.family != ip->family)
		return 0;
	unsigned full = p->len / 8, rem = p->len % 8;
	if (memcmp(p->net.b, ip->b, full) != 0)
		return 0;
	if (rem) {
		uint8_t mask = (uint8_t)(0xff << (8 - rem));
		if ((p->net.b[full] & mask) != (ip->b[full] & mask))
			return 0;
	}
	return 1;
}

void ss_prefix_format(const ss_prefix *p, char out[SS_IP_STRLEN + 4])
{
	char a[SS_IP_STRLEN];
	ss_ip_format(&p->net, a);
	snprintf(out, SS_IP_STRLEN + 4, "%s/%u", a, (unsigned)p->len);
}
