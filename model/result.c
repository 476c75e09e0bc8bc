/*
 * model/result.c - building, sorting and freeing the result model.
 */
#include "model/result.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void res_strv_add(struct res_strv *s, const char *str)
{
	s->v = xreallocarray(s->v, s->n + 1, sizeof(char *));
	s->v[s->n++] = xstrdup(str);
}

int res_strv_has(const struct res_strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return 1;
	return 0;
}

void res_strv_free(struct res_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

struct result *res_new(const char *mode)
{
	struct result *r = xcalloc(1, sizeof(*r));
	r->tool_version = xstrdup(SEGSCAN_VERSION);
	r->mode = xstrdup(mode);
	r->started = r->ended = SS_TIME_NONE;
	r->capture_first = r->capture_last = SS_TIME_NONE;
	return r;
}

static void host_free(struct res_host *h)
{
	free(h->ips);
	free(h->vendor);
	free(h->hostname);
	free(h->zone);
	free(h->asset);
	free(h->owner);
	free(h->device_class);
	free(h->os);
	free(h->model);
	free(h->firmware);
	free(h->serial);
	free(h->class_evidence);
	free(h->os_evidence);
	res_strv_free(&h->eol_hints);
	res_strv_free(&h->notes);
	res_strv_free(&h->protocols);
	for (size_t i = 0; i < h->n_services; i++)
		free(h->services[i].app);
	free(h->services);
	res_strv_free(&h->evidence);
}

/* The pool: strings packed into chunks, and an open-addressing set of
 * them for interning. A pointer is pooled when it lies in a chunk; a
 * result's flows have a few dozen distinct strings, so one chunk is the
 * rule. */
struct pool_chunk {
	struct pool_chunk *next;
	size_t used, size;
	char b[];
};

struct res_strpool {
	struct pool_chunk *chunks;
	char **set; /* power-of-two slots, NULL empty */
	size_t cap, n;
};

static uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int pooled(const struct result *r, const char *s)
{
	if (!r->pool || !s)
		return 0;
	for (const struct pool_chunk *c = r->pool->chunks; c; c = c->next)
		if (s >= c->b && s < c->b + c->used)
			return 1;
	return 0;
}

static void free_str(const struct result *r, char *s)
{
	if (!pooled(r, s))
		free(s);
}

static char *pool_copy(struct res_strpool *p, const char *s)
{
	size_t len = strlen(s) + 1;
	struct pool_chunk *c = p->chunks;
	if (!c || c->size - c->used < len) {
		size_t size = len > 65536 ? len : 65536;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		c->next = p->chunks;
		p->chunks = c;
	}
	char *d = c->b + c->used;
	memcpy(d, s, len);
	c->used += len;
	return d;
}

char *res_intern(struct result *r, const char *s)
{
	if (!s)
		return NULL;
	struct res_strpool *p = r->pool;
	if (!p)
		p = r->pool = xcalloc(1, sizeof(*p));
	if (2 * (p->n + 1) > p->cap) { /* keep the set at most half full */
		size_t cap = p->cap ? 2 * p->cap : 64;
		char **set = xcalloc(cap, sizeof(*set));
		for (size_t i = 0; i < p->cap; i++)
			if (p->set[i]) {
				size_t k = str_hash(p->set[i]) & (cap - 1);
				while (set[k])
					k = (k + 1) & (cap - 1);
				set[k] = p->set[i];
			}
		free(p->set);
		p->set = set;
		p->cap = cap;
	}
	size_t k = str_hash(s) & (p->cap - 1);
	for (; p->set[k]; k = (k + 1) & (p->cap - 1))
		if (strcmp(p->set[k], s) == 0)
			return p->set[k];
	p->set[k] = pool_copy(p, s);
	p->n++;
	return p->set[k];
}

static void pool_free(struct res_strpool *p)
{
	if (!p)
		return;
	while (p->chunks) {
		struct pool_chunk *c = p->chunks;
		p->chunks = c->next;
		free(c);
	}
	free(p->set);
	free(p);
}

void res_free(struct result *r)
{
	if (!r)
		return;
	free(r->tool_version);
	free(r->mode);
	res_strv_free(&r->inputs);
	free(r->policy_path);
	free(r->policy_sha256);
	free(r->site);
	for (size_t i = 0; i < r->n_hosts; i++)
		host_free(&r->hosts[i]);
	free(r->hosts);
	for (size_t i = 0; i < r->n_flows; i++) {
		struct res_flow *f = &r->flows[i];
		free_str(r, f->app);
		free_str(r, f->src_zone);
		free_str(r, f->dst_zone);
		free_str(r, f->verdict);
		free_str(r, f->rule);
	}
	free(r->flows);
	for (size_t i = 0; i < r->n_violations; i++) {
		struct res_violation *v = &r->violations[i];
		free(v->type);
		free(v->severity);
		free(v->rule);
		free(v->message);
		free(v->fix);
	}
	free(r->violations);
	pool_free(r->pool);
	free(r);
}

struct res_host *res_add_host(struct result *r)
{
	r->hosts = xreallocarray(r->hosts, r->n_hosts + 1, sizeof(*r->hosts));
	struct res_host *h = &r->hosts[r->n_hosts++];
	memset(h, 0, sizeof(*h));
	h->vlan = -1;
	h->managed = -1;
	h->first_seen = h->last_seen = SS_TIME_NONE;
	return h;
}

struct res_flow *res_add_flow(struct result *r)
{
	if (r->n_flows == r->cap_flows) {
		r->flows = xreallocarray(r->flows, r->n_flows + 1, sizeof(*r->flows));
		r->cap_flows = r->n_flows + 1;
	}
	struct res_flow *f = &r->flows[r->n_flows++];
	memset(f, 0, sizeof(*f));
	f->first_seen = f->last_seen = SS_TIME_NONE;
	return f;
}

void res_reserve(struct result *r, size_t flows, size_t violations)
{
	if (flows > r->cap_flows - r->n_flows) {
		r->flows = xreallocarray(r->flows, r->n_flows + flows, sizeof(*r->flows));
		r->cap_flows = r->n_flows + flows;
	}
	if (violations > r->cap_violations - r->n_violations) {
		r->violations = xreallocarray(r->violations, r->n_violations + violations,
		                              sizeof(*r->violations));
		r->cap_violations = r->n_violations + violations;
	}
}

struct res_violation *res_add_violation(struct result *r)
{
	if (r->n_violations == r->cap_violations) {
		r->violations =
		    xreallocarray(r->violations, r->n_violations + 1, sizeof(*r->violations));
		r->cap_violations = r->n_violations + 1;
	}
	struct res_violation *v = &r->violations[r->n_violations++];
	memset(v, 0, sizeof(*v));
	v->first_seen = v->last_seen = SS_TIME_NONE;
	return v;
}

void res_host_add_ip(struct res_host *h, const ss_ip *ip)
{
	for (size_t i = 0; i < h->n_ips; i++)
		if (ss_ip_eq(&h->ips[i], ip))
			return;
	h->ips = xreallocarray(h->ips, h->n_ips + 1, sizeof(ss_ip));
	h->ips[h->n_ips++] = *ip;
}

void res_host_add_service(struct res_host *h, uint8_t proto, uint16_t port, const char *app,
                          int guess)
{
	for (size_t i = 0; i < h->n_services; i++) {
		struct res_service *s = &h->services[i];
		if (s->proto == proto && s->port == port) {
			/* A proven application beats a port guess. */
			if (app && (!s->app || (s->app_guess && !guess))) {
				free(s->app);
				s->app = xstrdup(app);
				s->app_guess = guess;
			}
			return;
		}
	}
	h->services = xreallocarray(h->services, h->n_services + 1, sizeof(*h->services));
	struct res_service *s = &h->services[h->n_services++];
	s->proto = proto;
	s->port = port;
	s->app = app ? xstrdup(app) : NULL;
	s->app_guess = guess;
}

static int cmp_ip_sorted(const void *a, const void *b)
{
	return ss_ip_cmp(a, b);
}

static int cmp_service(const void *a, const void *b)
{
	const struct res_service *x = a, *y = b;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	return (x->port > y->port) - (x->port < y->port);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_host(const void *a, const void *b)
{
	const struct res_host *x = a, *y = b;
	/* Hosts with addresses first, by lowest address; then by MAC. */
	if (x->n_ips && y->n_ips) {
		int c = ss_ip_cmp(&x->ips[0], &y->ips[0]);
		if (c)
			return c;
	} else if (x->n_ips != y->n_ips) {
		return x->n_ips ? -1 : 1;
	}
	if (x->has_mac != y->has_mac)
		return x->has_mac ? -1 : 1;
	return x->has_mac ? ss_mac_cmp(&x->mac, &y->mac) : 0;
}

/* A flow's sort key as five big-endian words whose unsigned order is the
 * flows' order (source and destination as ss_ip_cmp orders them, then
 * protocol, port): source family and 16 address bytes (an IPv4 address's
 * unused bytes zeroed, as ss_ip_cmp compares only 4), the same for the
 * destination, protocol, port. 37 bytes, zero padded to 40. */
struct flow_key {
	uint64_t w[5];
	size_t idx;
};

static void key_ip(uint8_t *k, const ss_ip *ip)
{
	k[0] = ip->family;
	memcpy(k + 1, ip->b, ip->family == 4 ? 4 : 16);
	if (ip->family == 4)
		memset(k + 5, 0, 12);
}

static void flow_key_of(struct flow_key *fk, const struct res_flow *f, size_t idx)
{
	uint8_t k[40];
	key_ip(k, &f->src);
	key_ip(k + 17, &f->dst);
	k[34] = f->proto;
	k[35] = (uint8_t)(f->dport >> 8);
	k[36] = (uint8_t)f->dport;
	k[37] = k[38] = k[39] = 0;
	for (int w = 0; w < 5; w++) {
		uint64_t v = 0;
		for (int b = 0; b < 8; b++)
			v = (v << 8) | k[w * 8 + b];
		fk->w[w] = v;
	}
	fk->idx = idx;
}

static int flow_key_le(const struct flow_key *a, const struct flow_key *b)
{
	for (int w = 0; w < 5; w++)
		if (a->w[w] != b->w[w])
			return a->w[w] < b->w[w];
	return 1; /* equal: keep the left one first (stable) */
}

/* Stable bottom-up merge sort of x[0..n) with tmp as scratch, starting
 * from insertion-sorted runs of 16; returns whichever of x and tmp holds
 * the result. */
#define MSORT_RUN 16

static struct flow_key *msort_keys(struct flow_key *x, struct flow_key *tmp, size_t n)
{
	for (size_t lo = 0; lo < n; lo += MSORT_RUN) {
		size_t hi = n - lo > MSORT_RUN ? lo + MSORT_RUN : n;
		for (size_t i = lo + 1; i < hi; i++) {
			struct flow_key k = x[i];
			size_t j = i;
			for (; j > lo && !flow_key_le(&x[j - 1], &k); j--)
				x[j] = x[j - 1];
			x[j] = k;
		}
	}
	for (size_t width = MSORT_RUN; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = n - lo > width ? lo + width : n;
			size_t hi = n - lo > 2 * width ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = flow_key_le(&x[i], &x[j]) ? x[i++] : x[j++];
			while (i < mid)
				tmp[k++] = x[i++];
			while (j < hi)
				tmp[k++] = x[j++];
		}
		struct flow_key *t = x;
		x = tmp;
		tmp = t;
	}
	return x;
}

struct msort_half {
	struct flow_key *x, *tmp, *out;
	size_t n;
};

static void *msort_half_run(void *arg)
{
	struct msort_half *h = arg;
	h->out = msort_keys(h->x, h->tmp, h->n);
	return NULL;
}

/* Halves this size or more are sorted on two threads. */
#define MSORT_PARALLEL 8192

/* Sorts the flows in the order a qsort by source, destination, protocol
 * and port gave, without a comparison callback and ss_ip_cmp calls per
 * compare: precomputed keys, a stable merge sort (as glibc's qsort, so
 * equal flows, possible in a merged result, keep their order), the two
 * halves of a big table on two threads, and the last merge writing the
 * flows themselves in order. */
static void sort_flows(struct result *r)
{
	size_t n = r->n_flows;
	struct flow_key *a = xreallocarray(NULL, n, sizeof(*a));
	struct flow_key *b = xreallocarray(NULL, n, sizeof(*b));
	for (size_t i = 0; i < n; i++)
		flow_key_of(&a[i], &r->flows[i], i);
	size_t n1 = n >= 2 * MSORT_PARALLEL ? n / 2 : n;
	struct msort_half h[2] = {{a, b, NULL, n1}, {a + n1, b + n1, NULL, n - n1}};
	pthread_t th;
	int threaded = h[1].n && pthread_create(&th, NULL, msort_half_run, &h[1]) == 0;
	msort_half_run(&h[0]);
	if (threaded)
		pthread_join(th, NULL);
	else if (h[1].n)
		msort_half_run(&h[1]);
	struct res_flow *out = xreallocarray(NULL, n, sizeof(*out));
	const struct flow_key *x = h[0].out, *y = h[1].out;
	size_t i = 0, j = 0, k = 0, nx = h[0].n, ny = h[1].n;
	while (i < nx && j < ny)
		out[k++] = r->flows[(flow_key_le(&x[i], &y[j]) ? x[i++] : y[j++]).idx];
	while (i < nx)
		out[k++] = r->flows[x[i++].idx];
	while (j < ny)
		out[k++] = r->flows[y[j++].idx];
	free(r->flows);
	r->flows = out;
	r->cap_flows = n;
	free(a);
	free(b);
}

#define ISORT_MAX 64 /* largest element isort takes (ss_ip, res_service, char *) */

/* Stable insertion sort for the short per-host lists (mostly 2-5
 * entries), where qsort's setup cost dominated; same order as the stable
 * qsort it replaces. */
static void isort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;
	char tmp[ISORT_MAX];
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		if (cmp(a + (j - 1) * size, a + i * size) <= 0)
			continue;
		memcpy(tmp, a + i * size, size);
		while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
			memcpy(a + j * size, a + (j - 1) * size, size);
			j--;
		}
		memcpy(a + j * size, tmp, size);
	}
}

/* qsort for long lists, insertion sort for short ones; both stable. */
static void sort_small(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	if (n <= 16 && size <= ISORT_MAX)
		isort(base, n, size, cmp);
	else
		qsort(base, n, size, cmp);
}

void res_sort(struct result *r)
{
	for (size_t i = 0; i < r->n_hosts; i++) {
		struct res_host *h = &r->hosts[i];
		sort_small(h->ips, h->n_ips, sizeof(ss_ip), cmp_ip_sorted);
		sort_small(h->services, h->n_services, sizeof(*h->services), cmp_service);
		sort_small(h->protocols.v, h->protocols.n, sizeof(char *), cmp_str);
		sort_small(h->evidence.v, h->evidence.n, sizeof(char *), cmp_str);
	}
	if (r->n_hosts > 1)
		qsort(r->hosts, r->n_hosts, sizeof(*r->hosts), cmp_host);
	if (r->n_flows > 1)
		sort_flows(r);
	/* Violations keep the order the policy engine gave (severity first). */
}

const char *res_proto_name(uint8_t proto, char buf[8])
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
	case 132:
		return "sctp";
	default:
		snprintf(buf, 8, "%u", (unsigned)proto);
		return buf;
	}
}

int res_proto_parse(const char *s, uint8_t *proto)
{
	static const struct {
		const char *n;
		uint8_t p;
	} t[] = {{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"sctp", 132}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].n) == 0) {
			*proto = t[i].p;
			return 0;
		}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v >= 0 && v <= 255) {
		*proto = (uint8_t)v;
		return 0;
	}
	return -1;
}
