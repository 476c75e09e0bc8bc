/*
 * scanner/probe-plan.c - what the active probes may touch: option parsing,
 * the scope rule, target expansion, the refusal of oversized sweeps, and
 * the plan summary shown before the first frame.
 *
 * The scope rule (probe_in_scope) is the single definition of "allowed";
 * the planner uses it to expand targets and the sender (probe-send.c)
 * applies it again to the decoded bytes of every frame.
 */
#include <errno.h>
#include <libnet.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/util.h"
#include "scanner/probe-internal.h"

/* Addresses walked while expanding before a sweep is refused on its size
 * alone: sixteen times the limit (at least a /12), so a typo like /8 is
 * refused at once instead of enumerated. */
#define PROBE_EXPAND_WORK_MIN (1u << 20)

void probe_opts_init(struct probe_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rate = PROBE_DEFAULT_RATE;
	o->retries = PROBE_DEFAULT_RETRIES;
	o->wait = PROBE_DEFAULT_WAIT;
	o->max_targets = PROBE_DEFAULT_MAX_TARGETS;
}

void probe_opts_free(struct probe_opts *o)
{
	free(o->ports);
	free(o->targets);
	o->ports = NULL;
	o->targets = NULL;
	o->n_ports = o->n_targets = 0;
}

int probe_parse_kinds(const char *s, unsigned *out, char *err, size_t errsz)
{
	unsigned k = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 3 && strncmp(p, "arp", 3) == 0)
			k |= PROBE_ARP;
		else if (n == 3 && strncmp(p, "tcp", 3) == 0)
			k |= PROBE_TCP;
		else {
			snprintf(err, errsz, "--probe: unknown probe '%.*s' (arp, tcp or arp,tcp)",
			         (int)n, p);
			return -1;
		}
		p += n;
		if (*p == ',' && *++p == '\0')
			break;
	}
	if (!k) {
		snprintf(err, errsz, "--probe wants arp, tcp or arp,tcp");
		return -1;
	}
	*out = k;
	return 0;
}

static int parse_port(const char *s, size_t n, long *out)
{
	if (n == 0 || n > 5)
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

int probe_parse_ports(const char *s, uint16_t **out, size_t *n_out, char *err, size_t errsz)
{
	/* A bitmap first: "1-65535,80" must not cost 65536 duplicates. */
	uint8_t *seen = xcalloc(65536 / 8, 1);
	const char *p = s;
	size_t count = 0;
	int rc = -1;
	if (!*s) {
		snprintf(err, errsz, "--ports: empty list");
		goto out;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		const char *dash = memchr(p, '-', n);
		long lo, hi;
		if (dash) {
			if (parse_port(p, (size_t)(dash - p), &lo) != 0 ||
			    parse_port(dash + 1, n - (size_t)(dash - p) - 1, &hi) != 0 || hi < lo) {
				snprintf(err, errsz,
				         "--ports: bad range '%.*s' at character %zu (LO-HI, "
				         "1-65535, LO <= HI)",
				         (int)n, p, (size_t)(p - s) + 1);
				goto out;
			}
		} else if (parse_port(p, n, &lo) != 0) {
			snprintf(err, errsz, "--ports: bad port '%.*s' at character %zu (1-65535)",
			         (int)n, p, (size_t)(p - s) + 1);
			goto out;
		} else {
			hi = lo;
		}
		for (long v = lo; v <= hi; v++)
			if (!(seen[v >> 3] & (1u << (v & 7)))) {
				seen[v >> 3] |= (uint8_t)(1u << (v & 7));
				count++;
			}
		p += n;
		if (!*p)
			break;
		p++; /* the comma; a trailing one is an empty token, an error */
	}
	uint16_t *v = xcalloc(count, sizeof(*v));
	size_t k = 0;
	for (long i = 1; i < 65536; i++)
		if (seen[i >> 3] & (1u << (i & 7)))
			v[k++] = (uint16_t)i;
	*out = v;
	*n_out = k;
	rc = 0;
out:
	free(seen);
	return rc;
}

static int parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int probe_parse_option(struct probe_opts *o, int id, const char *arg, char *err, size_t errsz)
{
	double d;
	switch (id) {
	case PROBE_OPT_PROBE:
		return probe_parse_kinds(arg, &o->kinds, err, errsz);
	case PROBE_OPT_PORTS: {
		uint16_t *v;
		size_t n;
		if (probe_parse_ports(arg, &v, &n, err, errsz) != 0)
			return -1;
		free(o->ports);
		o->ports = v;
		o->n_ports = n;
		return 0;
	}
	case PROBE_OPT_RATE:
		if (parse_double(arg, 0.1, 100000, &d) != 0) {
			snprintf(err, errsz,
			         "--rate wants frames per second between 0.1 and 100000, not '%s'",
			         arg);
			return -1;
		}
		o->rate = d;
		return 0;
	case PROBE_OPT_RETRIES:
		if (parse_double(arg, 0, 10, &d) != 0 || d != floor(d)) {
			snprintf(err, errsz,
			         "--retries wants a whole number from 0 to 10, not '%s'", arg);
			return -1;
		}
		o->retries = (unsigned)d;
		return 0;
	case PROBE_OPT_WAIT:
		if (parse_double(arg, 0, 60, &d) != 0) {
			snprintf(err, errsz, "--wait wants seconds from 0 to 60, not '%s'", arg);
			return -1;
		}
		o->wait = d;
		return 0;
	case PROBE_OPT_MAX_TARGETS:
		if (parse_double(arg, 1, 16777216, &d) != 0 || d != floor(d)) {
			snprintf(err, errsz,
			         "--max-targets wants a whole number from 1 to 16777216, not '%s'",
			         arg);
			return -1;
		}
		o->max_targets = (size_t)d;
		return 0;
	case PROBE_OPT_TARGET: {
		ss_prefix pf;
		int r = ss_prefix_parse(arg, &pf);
		if (r == -2) {
			snprintf(err, errsz, "--target %s: host bits set beyond the prefix length",
			         arg);
			return -1;
		}
		if (r != 0) {
			snprintf(err, errsz, "--target wants an IPv4 address or CIDR, not '%s'",
			         arg);
			return -1;
		}
		if (pf.net.family != 4) {
			snprintf(err, errsz,
			         "--target %s: IPv6 is not swept (ARP is IPv4 and an IPv6 network "
			         "is too "
			         "large to enumerate)",
			         arg);
			return -1;
		}
		o->targets = xreallocarray(o->targets, o->n_targets + 1, sizeof(*o->targets));
		o->targets[o->n_targets++] = pf;
		return 0;
	}
	case PROBE_OPT_WRITE_PROBES:
		if (!*arg) {
			snprintf(err, errsz, "--write-probes wants a file name");
			return -1;
		}
		o->write_probes = arg;
		return 0;
	default:
		snprintf(err, errsz, "unknown probe option %d", id);
		return -1;
	}
}

/* ---- addresses ---- */

uint32_t probe_ip4(const ss_ip *ip)
{
	return (uint32_t)ip->b[0] << 24 | (uint32_t)ip->b[1] << 16 | (uint32_t)ip->b[2] << 8 |
	       (uint32_t)ip->b[3];
}

void probe_ip_from(ss_ip *out, uint32_t ip)
{
	uint8_t b[4] = {(uint8_t)(ip >> 24), (uint8_t)(ip >> 16), (uint8_t)(ip >> 8), (uint8_t)ip};
	ss_ip_from_v4(out, b);
}

static void fmt_ip(uint32_t ip, char out[SS_IP_STRLEN])
{
	ss_ip x;
	probe_ip_from(&x, ip);
	ss_ip_format(&x, out);
}

int probe_is_netbcast(uint32_t ip, unsigned len)
{
	/* /31 (RFC 3021) and /32 have no network or broadcast address. */
	if (len > 30)
		return 0;
	uint32_t host = len == 0 ? 0xffffffffu : (1u << (32 - len)) - 1;
	return (ip & host) == 0 || (ip & host) == host;
}

/* The longest network of zone z containing ip (z came from pol_zone_find,
 * so this is the prefix that decided the zone). */
static int zone_prefix_len(const struct pol_zone *z, const ss_ip *ip)
{
	int best = -1;
	for (size_t i = 0; i < z->n_networks; i++)
		if (ss_prefix_contains(&z->networks[i], ip) && z->networks[i].len > best)
			best = z->networks[i].len;
	return best;
}

enum scope_why { SC_OK, SC_SELF, SC_SPECIAL, SC_OUTSIDE, SC_PASSIVE, SC_NETBCAST };

static enum scope_why scope_check(const struct probe *pr, uint32_t ip)
{
	ss_ip x;
	probe_ip_from(&x, ip);
	if (ip == pr->src_ip)
		return SC_SELF;
	/* 0/8, 127/8, 169.254/16, multicast, class E, 255.255.255.255. */
	if (ss_ip_is_local_service(&x) || (ip >> 24) == 0 || (ip >> 24) >= 224)
		return SC_SPECIAL;
	if (pr->pol) {
		const struct pol_zone *z = pol_zone_find(pr->pol, &x);
		if (!z)
			return SC_OUTSIDE;
		if (!z->probe_allowed)
			return SC_PASSIVE;
		int len = zone_prefix_len(z, &x);
		if (len < 0)
			return SC_OUTSIDE;
		if (probe_is_netbcast(ip, (unsigned)len))
			return SC_NETBCAST;
	}
	if (pr->o->n_targets) {
		int in = 0, nb = 0;
		for (size_t i = 0; i < pr->o->n_targets && !in; i++)
			if (ss_prefix_contains(&pr->o->targets[i], &x)) {
				if (probe_is_netbcast(ip, pr->o->targets[i].len))
					nb = 1;
				else
					in = 1;
			}
		if (!in)
			return nb ? SC_NETBCAST : SC_OUTSIDE;
	} else if (!pr->pol) {
		return SC_OUTSIDE; /* no policy, no --target: nothing is in scope */
	}
	return SC_OK;
}

int probe_in_scope(const struct probe *pr, uint32_t ip)
{
	return scope_check(pr, ip) == SC_OK;
}

long probe_target_index(const struct probe *pr, uint32_t ip)
{
	size_t lo = 0, hi = pr->n_tg;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pr->tg[mid] < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pr->n_tg && pr->tg[lo] == ip ? (long)lo : -1;
}

size_t probe_target_count(const struct probe *pr)
{
	return pr->n_tg;
}
uint32_t probe_target_at(const struct probe *pr, size_t i)
{
	return pr->tg[i];
}

/* ---- interface addresses (no privilege needed) ---- */

static int iface_addrs(const char *iface, ss_mac *mac, uint32_t *ip, char *err, size_t errsz)
{
	if (!iface || !*iface) {
		snprintf(err, errsz, "probes need the interface to send from (-i)");
		return -1;
	}
	if (strlen(iface) >= IFNAMSIZ) {
		snprintf(err, errsz, "%s: interface name too long", iface);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, iface, strlen(iface));
	int rc = -1;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
		snprintf(err, errsz, "%s: %s", iface, strerror(errno));
		goto out;
	}
	if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
		snprintf(err, errsz, "%s: not an Ethernet interface: probes build Ethernet frames",
		         iface);
		goto out;
	}
	memcpy(mac->b, ifr.ifr_hwaddr.sa_data, 6);
	memset(&ifr.ifr_addr, 0, sizeof(ifr.ifr_addr));
	ifr.ifr_addr.sa_family = AF_INET;
	if (ioctl(fd, SIOCGIFADDR, &ifr) != 0) {
		snprintf(err, errsz, "%s has no IPv4 address: ARP and TCP probes need one (%s)",
		         iface, strerror(errno));
		goto out;
	}
	struct sockaddr_in sin;
	memcpy(&sin, &ifr.ifr_addr, sizeof(sin));
	*ip = ntohl(sin.sin_addr.s_addr);
	rc = 0;
out:
	close(fd);
	return rc;
}

/* ---- expansion ---- */

struct expand {
	struct probe *pr;
	size_t cap;
	size_t counted; /* in scope, stored or not */
	size_t work;
	size_t work_max;
};

static void zc_add(struct probe *pr, const struct pol_zone *z)
{
	for (size_t i = 0; i < pr->n_zc; i++)
		if (pr->zc[i].zone == z) {
			pr->zc[i].targets++;
			return;
		}
	pr->zc = xreallocarray(pr->zc, pr->n_zc + 1, sizeof(*pr->zc));
	pr->zc[pr->n_zc].zone = z;
	pr->zc[pr->n_zc].targets = 1;
	pr->n_zc++;
}

/* Whether ip, met while walking network k of zone z (or --target k when z
 * is NULL), is met first there: overlapping networks of one zone and
 * overlapping --target prefixes must count an address once. */
static int owner_walk(const struct probe *pr, const struct pol_zone *z, size_t k, const ss_ip *x)
{
	if (!z) {
		for (size_t j = 0; j < k; j++)
			if (ss_prefix_contains(&pr->o->targets[j], x))
				return 0;
		return 1;
	}
	const ss_prefix *n = &z->networks[k];
	for (size_t j = 0; j < z->n_networks; j++) {
		const ss_prefix *m = &z->networks[j];
		if (j == k || !ss_prefix_contains(m, x))
			continue;
		if (m->len > n->len || (m->len == n->len && j < k))
			return 0;
	}
	return 1;
}

static void consider(struct expand *e, uint32_t ip, const struct pol_zone *walked, size_t k)
{
	struct probe *pr = e->pr;
	ss_ip x;
	probe_ip_from(&x, ip);
	const struct pol_zone *z = pr->pol ? pol_zone_find(pr->pol, &x) : NULL;
	if (!owner_walk(pr, walked, k, &x))
		return;
	/* A zone's sweep owns only the addresses whose longest prefix is its
	 * own: a nested allowed zone is swept as itself, once; a nested
	 * passive-only zone is counted as skipped here. */
	if (walked && z != walked && (!z || z->probe_allowed))
		return;
	switch (scope_check(pr, ip)) {
	case SC_OK:
		break;
	case SC_PASSIVE:
		pr->skipped_passive++;
		return;
	case SC_NETBCAST:
		pr->skipped_netbcast++;
		return;
	case SC_OUTSIDE:
		pr->skipped_outside++;
		return;
	default:
		return;
	}
	e->counted++;
	zc_add(pr, z);
	if (pr->n_tg <= pr->o->max_targets) {
		if (pr->n_tg == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 256;
			pr->tg = xreallocarray(pr->tg, e->cap, sizeof(*pr->tg));
		}
		pr->tg[pr->n_tg++] = ip;
	}
}

/* Walks every address of pf. Returns -1 when the work bound is hit. */
static int walk(struct expand *e, const ss_prefix *pf, const struct pol_zone *walked, size_t k)
{
	uint32_t base = probe_ip4(&pf->net);
	uint64_t size = (uint64_t)1 << (32 - pf->len);
	if (e->work + size > e->work_max)
		return -1;
	e->work += (size_t)size;
	for (uint64_t i = 0; i < size; i++)
		consider(e, base + (uint32_t)i, walked, k);
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A --target must lie inside one network of a zone that allows probes. */
static int target_allowed(const struct probe *pr, const ss_prefix *t, char *err, size_t errsz)
{
	char ts[SS_IP_STRLEN + 4];
	ss_prefix_format(t, ts);
	const struct pol_zone *z = pol_zone_find(pr->pol, &t->net);
	for (size_t i = 0; i < pol_zone_count(pr->pol); i++) {
		const struct pol_zone *c = pol_zone_at(pr->pol, i);
		if (!c->probe_allowed)
			continue;
		for (size_t k = 0; k < c->n_networks; k++) {
			const ss_prefix *n = &c->networks[k];
			if (n->net.family == 4 && n->len <= t->len &&
			    ss_prefix_contains(n, &t->net)) {
				if (z && !z->probe_allowed &&
				    t->len >= zone_prefix_len(z, &t->net)) {
					snprintf(
					    err, errsz,
					    "--target %s is in zone %s, which is passive-only%s",
					    ts, z->name,
					    z->kind == POL_KIND_PLANT || z->kind == POL_KIND_BACKUP
					        ? " (the default for plant and backup zones)"
					        : "");
					return -1;
				}
				return 0;
			}
		}
	}
	/* A prefix wider than the zones: name a zone it swallows. */
	for (size_t i = 0; !z && i < pol_zone_count(pr->pol); i++) {
		const struct pol_zone *c = pol_zone_at(pr->pol, i);
		for (size_t k = 0; c->probe_allowed && k < c->n_networks && !z; k++)
			if (c->networks[k].net.family == 4 && c->networks[k].len > t->len &&
			    ss_prefix_contains(t, &c->networks[k].net))
				z = c;
	}
	if (z && !z->probe_allowed)
		snprintf(err, errsz, "--target %s is in zone %s, which is passive-only", ts,
		         z->name);
	else if (z)
		snprintf(
		    err, errsz,
		    "--target %s reaches beyond the networks of zone %s: give a prefix inside one "
		    "of them",
		    ts, z->name);
	else
		snprintf(
		    err, errsz,
		    "--target %s is outside every zone that allows probing: probes never leave "
		    "the declared zones",
		    ts);
	return -1;
}

static void refusal(const struct probe *pr, size_t count, int at_least, char *err, size_t errsz)
{
	size_t off = 0;
	off += (size_t)snprintf(err + off, errsz - off,
	                        "refusing to probe %s%zu addresses, more than --max-targets %zu",
	                        at_least ? "up to " : "", count, pr->o->max_targets);
	if (pr->n_zc && off < errsz) {
		off += (size_t)snprintf(err + off, errsz - off, " (");
		for (size_t i = 0; i < pr->n_zc && off < errsz; i++) {
			const struct pol_zone *z = pr->zc[i].zone;
			off += (size_t)snprintf(err + off, errsz - off, "%s%s%zu in zone %s",
			                        i ? ", " : "", at_least ? "up to " : "",
			                        pr->zc[i].targets, z ? z->name : "--target");
			if (z && off < errsz)
				for (size_t k = 0; k < z->n_networks && off < errsz; k++) {
					char ns[SS_IP_STRLEN + 4];
					ss_prefix_format(&z->networks[k], ns);
					off += (size_t)snprintf(err + off, errsz - off, "%s%s",
					                        k ? " " : " ", ns);
				}
		}
		if (off < errsz)
			off += (size_t)snprintf(err + off, errsz - off, ")");
	}
	if (off < errsz)
		snprintf(err + off, errsz - off,
		         "; narrow the sweep with --target CIDR inside those zones, mark zones "
		         "probe: passive-only, or raise --max-targets if the network can take it");
}

struct probe *probe_new(const struct probe_opts *o, const struct policy *pol, char *err,
                        size_t errsz)
{
	if (!o->kinds) {
		snprintf(err, errsz, "no probe requested");
		return NULL;
	}
	if (!pol && !o->n_targets) {
		snprintf(err, errsz,
		         "without a policy (-p), probing needs an explicit --target CIDR: segscan "
		         "never guesses what it may touch");
		return NULL;
	}
	struct probe *pr = xcalloc(1, sizeof(*pr));
	pr->o = o;
	pr->pol = pol;
	if (o->ports) {
		pr->ports = xcalloc(o->n_ports, sizeof(*pr->ports));
		memcpy(pr->ports, o->ports, o->n_ports * sizeof(*pr->ports));
		pr->n_ports = o->n_ports;
	} else if (probe_parse_ports(PROBE_DEFAULT_PORTS, &pr->ports, &pr->n_ports, err, errsz) !=
	           0) {
		goto fail;
	}
	if (o->has_src) {
		pr->src_mac = o->src_mac;
		pr->src_ip = o->src_ip;
	} else if (iface_addrs(o->iface, &pr->src_mac, &pr->src_ip, err, errsz) != 0) {
		goto fail;
	}
	if (o->has_key)
		memcpy(pr->key, o->key, sizeof(pr->key));
	else if (getrandom(pr->key, sizeof(pr->key), 0) != (ssize_t)sizeof(pr->key)) {
		snprintf(err, errsz, "getrandom: %s", strerror(errno));
		goto fail;
	}

	struct expand e = {pr, 0, 0, 0, 16 * o->max_targets};
	if (e.work_max < PROBE_EXPAND_WORK_MIN)
		e.work_max = PROBE_EXPAND_WORK_MIN;
	int too_much = 0;
	if (o->n_targets) {
		for (size_t i = 0; i < o->n_targets; i++)
			if (pol && target_allowed(pr, &o->targets[i], err, errsz) != 0)
				goto fail;
		for (size_t i = 0; i < o->n_targets && !too_much; i++)
			too_much = walk(&e, &o->targets[i], NULL, i) != 0;
	} else {
		for (size_t i = 0; i < pol_zone_count(pol) && !too_much; i++) {
			const struct pol_zone *z = pol_zone_at(pol, i);
			if (!z->probe_allowed)
				continue;
			for (size_t k = 0; k < z->n_networks && !too_much; k++)
				if (z->networks[k].net.family == 4)
					too_much = walk(&e, &z->networks[k], z, k) != 0;
		}
	}
	if (too_much) {
		/* Too large to count: the message gives the sizes of the
		 * networks instead, an upper bound. */
		free(pr->zc);
		pr->zc = NULL;
		pr->n_zc = 0;
		uint64_t total = 0;
		if (o->n_targets) {
			for (size_t i = 0; i < o->n_targets; i++)
				total += (uint64_t)1 << (32 - o->targets[i].len);
		} else {
			for (size_t i = 0; i < pol_zone_count(pol); i++) {
				const struct pol_zone *z = pol_zone_at(pol, i);
				uint64_t zt = 0;
				for (size_t k = 0; z->probe_allowed && k < z->n_networks; k++)
					if (z->networks[k].net.family == 4)
						zt += (uint64_t)1 << (32 - z->networks[k].len);
				if (!zt)
					continue;
				total += zt;
				pr->zc = xreallocarray(pr->zc, pr->n_zc + 1, sizeof(*pr->zc));
				pr->zc[pr->n_zc].zone = z;
				pr->zc[pr->n_zc++].targets = (size_t)zt;
			}
		}
		refusal(pr, (size_t)total, 1, err, errsz);
		goto fail;
	}
	if (e.counted > o->max_targets) {
		refusal(pr, e.counted, 0, err, errsz);
		goto fail;
	}
	/* Walks met each address once (owner_walk); zones and prefixes come
	 * in policy order, so sort for the binary search. */
	if (pr->n_tg)
		qsort(pr->tg, pr->n_tg, sizeof(*pr->tg), cmp_u32);
	if (!pr->n_tg) {
		snprintf(err, errsz,
		         "nothing to probe: no address is inside a zone that allows probing%s",
		         o->n_targets ? " and inside --target"
		                      : " (zones are passive-only or IPv6)");
		goto fail;
	}
	pr->tg_arp = xcalloc(pr->n_tg, 1);
	pr->tg_at = xcalloc(pr->n_tg, sizeof(*pr->tg_at));
	pr->tg_wall = xcalloc(pr->n_tg, sizeof(*pr->tg_wall));
	pr->tg_host = xcalloc(pr->n_tg, sizeof(*pr->tg_host));
	for (size_t i = 0; i < pr->n_tg; i++)
		pr->tg_host[i] = -1;
	pr->st.targets = pr->n_tg;
	pr->tcp_start_at = -1;
	return pr;
fail:
	probe_free(pr);
	return NULL;
}

/* Frees everything probe_new and a run (probe-send.c) set up: the
 * frame writer or the link, the per-host results; NULL is fine. */
void probe_free(struct probe *pr)
{
	if (!pr)
		return;
	if (pr->pdump)
		pcap_dump_close(pr->pdump);
	if (pr->pdead)
		pcap_close(pr->pdead);
	if (pr->link)
		libnet_destroy(pr->link);
	probe_frame_ctx_free(pr->build);
	for (size_t i = 0; i < pr->n_hosts; i++) {
		free(pr->hosts[i].ps);
		free(pr->hosts[i].ps_at);
		free(pr->hosts[i].ps_wall);
	}
	free(pr->hosts);
	free(pr->sent);
	free(pr->tg);
	free(pr->tg_arp);
	free(pr->tg_at);
	free(pr->tg_wall);
	free(pr->tg_host);
	free(pr->zc);
	free(pr->ports);
	free(pr);
}

/* ---- the plan summary ---- */

static void fmt_duration(double s, char *out, size_t n)
{
	if (s < 120)
		snprintf(out, n, "%.1f s", s);
	else if (s < 7200)
		snprintf(out, n, "%.1f min", s / 60);
	else
		snprintf(out, n, "%.1f h", s / 3600);
}

char *probe_plan_text(const struct probe *pr)
{
	const struct probe_opts *o = pr->o;
	size_t cap = 4096 + pr->n_zc * 256 + (size_t)pol_zone_count(pr->pol) * 256;
	char *s = xcalloc(cap, 1);
	size_t off = 0;
#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (off < cap)                                                                     \
			off += (size_t)snprintf(s + off, cap - off, __VA_ARGS__);                  \
	} while (0)
	char mac[SS_MAC_STRLEN], ip[SS_IP_STRLEN];
	ss_mac_format(&pr->src_mac, mac);
	fmt_ip(pr->src_ip, ip);
	const char *kinds = o->kinds == (PROBE_ARP | PROBE_TCP) ? "arp,tcp"
	                    : o->kinds == PROBE_ARP             ? "arp"
	                                                        : "tcp";
	ADD("probe plan: %s from %s (%s, %s)%s\n", kinds, o->iface ? o->iface : "-", mac, ip,
	    o->write_probes ? ", dry run: frames go to the file, nothing is sent" : "");
	ADD("  targets: %zu IPv4 addresses\n", pr->n_tg);
	for (size_t i = 0; i < pr->n_zc; i++) {
		const struct pol_zone *z = pr->zc[i].zone;
		if (z) {
			ADD("    zone %s (%s, probe allow): %zu", z->name,
			    pol_zone_kind_name(z->kind), pr->zc[i].targets);
			for (size_t k = 0; k < z->n_networks; k++) {
				char ns[SS_IP_STRLEN + 4];
				ss_prefix_format(&z->networks[k], ns);
				ADD("%s%s", k ? ", " : " in ", ns);
			}
			ADD("\n");
		}
	}
	for (size_t i = 0; i < o->n_targets; i++) {
		char ns[SS_IP_STRLEN + 4];
		ss_prefix_format(&o->targets[i], ns);
		ADD("    --target %s\n", ns);
	}
	for (size_t i = 0; i < pol_zone_count(pr->pol); i++) {
		const struct pol_zone *z = pol_zone_at(pr->pol, i);
		if (!z->probe_allowed)
			ADD("    zone %s (%s): passive-only, never probed\n", z->name,
			    pol_zone_kind_name(z->kind));
	}
	ADD("  never touched: %zu in passive-only zones, %zu network/broadcast, %zu outside "
	    "the scope, %s (this interface); IPv6 is not swept\n",
	    pr->skipped_passive, pr->skipped_netbcast, pr->skipped_outside, ip);
	if (o->kinds & PROBE_TCP) {
		ADD("  ports: %zu (", pr->n_ports);
		for (size_t i = 0; i < pr->n_ports && i < 24; i++)
			ADD("%s%u", i ? "," : "", pr->ports[i]);
		ADD("%s), SYN from ports %d-%d\n", pr->n_ports > 24 ? ",..." : "", PROBE_SPORT_BASE,
		    PROBE_SPORT_BASE + PROBE_SPORT_COUNT - 1);
	}
	ADD("  rate: %g frames/s across all probes, retries %u, wait %g s\n", o->rate, o->retries,
	    o->wait);
	double att = (double)o->retries + 1;
	char d1[32], d2[32];
	if (o->kinds & PROBE_ARP) {
		double frames = (double)pr->n_tg * att;
		fmt_duration(frames / o->rate + o->wait, d1, sizeof(d1));
		ADD("  ARP sweep: at most %.0f frames, %s\n", frames, d1);
	}
	if (o->kinds & PROBE_TCP) {
		double frames = (double)pr->n_tg * (double)pr->n_ports;
		fmt_duration(frames / o->rate + o->wait, d1, sizeof(d1));
		fmt_duration(frames * att / o->rate + o->wait, d2, sizeof(d2));
		ADD("  TCP: only hosts that are up; if all %zu were: %.0f frames, %s (%s if "
		    "nothing "
		    "answers)\n",
		    pr->n_tg, frames, d1, d2);
	}
#undef ADD
	return s;
}
