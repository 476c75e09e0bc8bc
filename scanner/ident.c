/*
 * scanner/ident.c - the identification engine: vocabulary, the order in
 * which identifiers are tried, port guesses, and merging of facts. The
 * names and the identifier table are derived from the protocol list
 * (common/protocols.h); the dispatch tables are built from it once, by
 * ident_init().
 */
#include "scanner/ident.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const char *const proto_names[ID__COUNT] = {
#define SS_X_NAME(ID, name, ...) [ID_##ID] = #name,
    SS_PROTOCOLS(SS_X_NAME)
#undef SS_X_NAME
};

const char *ident_name(enum ident_proto p)
{
	return (p >= 0 && p < ID__COUNT) ? proto_names[p] : NULL;
}

enum ident_proto ident_by_name(const char *name)
{
	for (int i = 0; i < ID__COUNT; i++)
		if (strcmp(proto_names[i], name) == 0)
			return (enum ident_proto)i;
	return ID_NONE;
}

static const char *const class_names[CLS__COUNT] = {
    [CLS_UNKNOWN] = "unknown", [CLS_WORKSTATION] = "workstation",
    [CLS_SERVER] = "server",   [CLS_PRINTER] = "printer",
    [CLS_CAMERA] = "camera",   [CLS_PHONE] = "phone",
    [CLS_NAS] = "nas",         [CLS_ROUTER] = "router",
    [CLS_SWITCH] = "switch",   [CLS_ACCESS_POINT] = "access_point",
    [CLS_PLC] = "plc",         [CLS_HMI] = "hmi",
    [CLS_ICS] = "ics",         [CLS_IOT] = "iot",
};

const char *ident_class_name(enum ident_class c)
{
	return (c >= 0 && c < CLS__COUNT) ? class_names[c] : "unknown";
}

/* One identifier as the list describes it, indexed by protocol. */
struct ident_def {
	int try_rank;
	unsigned flags;        /* SS_PF_* */
	unsigned transports;   /* IDENT_TCP | IDENT_UDP | IDENT_L2 */
	uint16_t ethertype;    /* for IDENT_L2; 0 = 802.3/LLC frames */
	const uint16_t *ports; /* usual server ports, 0-terminated */
	int (*identify)(const struct ident_in *in, struct ident_facts *facts);
};

#define SS_X_PORTS(ID, name, try, fam, flags, tr, et, ports, ...)                                  \
	static const uint16_t ports_##name[] = {SS_UNPAREN ports, 0};
SS_PROTOCOLS(SS_X_PORTS)
#undef SS_X_PORTS

static const struct ident_def defs[ID__COUNT] = {
#define SS_X_DEF(ID, name, try, fam, flags, tr, et, ...)                                           \
	[ID_##ID] = {(try), (flags), (tr), (et), ports_##name, name##_identify},
    SS_PROTOCOLS(SS_X_DEF)
#undef SS_X_DEF
};

/* Dispatch tables, built once by ident_init() from the list: the
 * protocols in the order they are tried (by try rank, ties in list
 * order), and, as bit masks over positions in that order, which handle
 * each transport value and which list each port some identifier lists.
 * Scanning every identifier's port list for both ports, twice, was a
 * third of ident_run's own instructions; a binary search over the ports
 * gives the same "preferred" set. Positions are bits of a uint64_t: at
 * most 64 protocols (checked when compiling). */
_Static_assert(ID__COUNT <= 64, "more than 64 protocols: widen the dispatch masks");

struct port_mask {
	uint16_t port;
	uint64_t mask;
};
static enum ident_proto order[ID__COUNT]; /* position -> protocol */
static uint64_t pos_bit[ID__COUNT];       /* protocol -> its position's bit */
#define SS_X_NPORTS(ID, name, ...) +(sizeof(ports_##name) / sizeof(ports_##name[0]) - 1)
static struct port_mask port_masks[0 SS_PROTOCOLS(SS_X_NPORTS)];
#undef SS_X_NPORTS
static size_t n_port_masks;
static uint64_t transport_mask[8];
static uint64_t clean_mask; /* positions of SS_PF_CLEAN identifiers */
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
static int tables_built;

static int cmp_port_mask(const void *a, const void *b)
{
	const struct port_mask *x = a, *y = b;
	return (x->port > y->port) - (x->port < y->port);
}

static int cmp_try(const void *a, const void *b)
{
	enum ident_proto x = *(const enum ident_proto *)a, y = *(const enum ident_proto *)b;
	if (defs[x].try_rank != defs[y].try_rank)
		return (defs[x].try_rank > defs[y].try_rank) -
		       (defs[x].try_rank < defs[y].try_rank);
	return (x > y) - (x < y);
}

static void build_tables(void)
{
	for (int id = 0; id < ID__COUNT; id++)
		order[id] = (enum ident_proto)id;
	qsort(order, ID__COUNT, sizeof(order[0]), cmp_try);
	size_t k = 0;
	for (int i = 0; i < ID__COUNT; i++) {
		const struct ident_def *d = &defs[order[i]];
		uint64_t bit = (uint64_t)1 << i;
		pos_bit[order[i]] = bit;
		for (unsigned t = 0; t < 8; t++)
			if (d->transports & t)
				transport_mask[t] |= bit;
		if (d->flags & SS_PF_CLEAN)
			clean_mask |= bit;
		for (const uint16_t *q = d->ports; *q; q++)
			port_masks[k++] = (struct port_mask){*q, bit};
	}
	qsort(port_masks, k, sizeof(port_masks[0]), cmp_port_mask);
	size_t w = 0; /* merge duplicates: one entry per port */
	for (size_t r = 0; r < k; r++) {
		if (w && port_masks[w - 1].port == port_masks[r].port)
			port_masks[w - 1].mask |= port_masks[r].mask;
		else
			port_masks[w++] = port_masks[r];
	}
	n_port_masks = w;
	tables_built = 1;
}

/* pthread_once rather than a plain flag: the audit, the monitor, the tests
 * and inv_new() each call this at their start, and a test harness may do
 * so from more than one thread; the tables are then built exactly once
 * and complete before any identifier runs. It is never built lazily from
 * the packet path (ident_run only asserts it is there). */
void ident_init(void)
{
	pthread_once(&tables_once, build_tables);
}

/* The positions of the identifiers that list port. */
static uint64_t listing(uint16_t port)
{
	size_t lo = 0, hi = n_port_masks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (port_masks[mid].port < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n_port_masks && port_masks[lo].port == port && port ? port_masks[lo].mask : 0;
}

/* The positions of the L2 identifiers whose EtherType is ethertype. */
static uint64_t listing_l2(uint16_t ethertype)
{
	uint64_t m = 0;
	for (uint64_t all = transport_mask[IDENT_L2]; all; all &= all - 1) {
		int pos = __builtin_ctzll(all);
		if (defs[order[pos]].ethertype == ethertype)
			m |= (uint64_t)1 << pos;
	}
	return m;
}

/* Runs the identifier at position pos with facts zeroed as it expects;
 * *clean says whether facts are known to be all zero and is kept up to
 * date: after a failure of an SS_PF_CLEAN identifier (audited: each
 * writes facts only on a path that then returns 1) facts are still all
 * zero, so the next attempt needs no memset (zeroing the 808-byte struct
 * before every attempt was ~2.5% of an audit). */
static int try_one(int pos, const struct ident_in *in, struct ident_facts *f, int *clean)
{
	if (!*clean)
		memset(f, 0, sizeof(*f));
	int r = defs[order[pos]].identify(in, f);
	*clean = !r && (clean_mask & ((uint64_t)1 << pos));
	return r;
}

enum ident_proto ident_run(unsigned transport, const struct ident_in *in, struct ident_facts *facts)
{
	assert(tables_built && "ident_init() must run first");
	if (!in->len)
		return ID_NONE;
	const struct pkt *p = in->p;
	uint64_t all = transport_mask[transport & 7], pref;
	if (transport == IDENT_L2)
		pref = listing_l2(p ? p->ethertype : 0);
	else
		pref = listing(p ? p->sport : 0) | listing(p ? p->dport : 0);
	/* First the identifiers whose usual port (or EtherType) matches,
	 * then every other one for the transport, each group in try order:
	 * a protocol on an odd port is still found, and proof decides either
	 * way. */
	pref &= all;
	uint64_t sets[2] = {pref, all & ~pref};
	int clean = 0;
	for (int pass = 0; pass < 2; pass++)
		for (uint64_t m = sets[pass]; m; m &= m - 1) {
			int pos = __builtin_ctzll(m);
			if (try_one(pos, in, facts, &clean))
				return order[pos];
		}
	if (!clean)
		memset(facts, 0, sizeof(*facts));
	return ID_NONE;
}

enum ident_proto ident_run_only(enum ident_proto only, unsigned transport,
                                const struct ident_in *in, struct ident_facts *facts)
{
	assert(tables_built && "ident_init() must run first");
	memset(facts, 0, sizeof(*facts));
	if (!in->len || only < 0 || only >= ID__COUNT)
		return ID_NONE;
	uint64_t m = pos_bit[only] & transport_mask[transport & 7];
	if (!m)
		return ID_NONE;
	int clean = 1;
	if (try_one(__builtin_ctzll(m), in, facts, &clean))
		return only;
	if (!clean)
		memset(facts, 0, sizeof(*facts));
	return ID_NONE;
}

enum ident_proto ident_guess_port(uint8_t ipproto, uint16_t port)
{
	assert(tables_built && "ident_init() must run first");
	unsigned t = ipproto == 6 ? IDENT_TCP : ipproto == 17 ? IDENT_UDP : 0;
	if (!t)
		return ID_NONE;
	/* The first in try order of those that list the port. */
	uint64_t m = listing(port) & transport_mask[t];
	return m ? order[__builtin_ctzll(m)] : ID_NONE;
}

/* Whether all eight bytes of w are printable ASCII (0x20-0x7e): no byte
 * below 0x20 and none above 0x7e (the exact "has less" / "has more" word
 * tests, valid for bounds up to 128). */
static int word_printable(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t less = (w - ones * 0x20) & ~w & high;
	uint64_t more = ((w + ones * (127 - 0x7e)) | w) & high;
	return !(less | more);
}

void ident_copy_str(char *dst, size_t dstsz, const uint8_t *src, size_t n)
{
	if (!dstsz)
		return;
	/* One byte out per byte in, at most dstsz - 1 of them. A run of
	 * eight printable bytes (the common case) holds no stop byte (NUL,
	 * CR and LF are below 0x20) and is copied unchanged as one word;
	 * any other eight go byte by byte. */
	size_t m = n < dstsz - 1 ? n : dstsz - 1, o = 0;
	while (o < m) {
		size_t run = m - o < 8 ? m - o : 8;
		if (run == 8) {
			uint64_t w;
			memcpy(&w, src + o, sizeof(w));
			if (word_printable(w)) {
				memcpy(dst + o, &w, sizeof(w));
				o += 8;
				continue;
			}
		}
		size_t end = o + run;
		for (; o < end; o++) {
			uint8_t c = src[o];
			if (c == 0 || c == '\r' || c == '\n')
				break;
			dst[o] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
		}
		if (o < end)
			break; /* a stop byte */
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
	size_t lead = 0;
	while (dst[lead] == ' ')
		lead++;
	if (lead)
		memmove(dst, dst + lead, o - lead + 1);
}

/* snprintf(a, asz, "%s", b) without the format machinery (merging
 * facts ran ~600 instructions per copy in vfprintf): the same bytes, cut
 * at asz - 1, terminated. */
static void copy_str(char *a, size_t asz, const char *b)
{
	if (!asz)
		return;
	size_t n = strnlen(b, asz - 1);
	memmove(a, b, n);
	a[n] = '\0';
}

/* b is tested first: it is on the caller's stack, a is a host's, and
 * mostly b has nothing for the field. */
static void fill(char *a, size_t asz, const char *b)
{
	if (b[0] && !a[0])
		copy_str(a, asz, b);
}

/* Appends each hint of b not yet in a (hints are separated by
 * IDENT_EOL_SEP); hints that do not fit whole are dropped, never cut. */
static void merge_eol(char *a, size_t asz, const char *b)
{
	const size_t seplen = strlen(IDENT_EOL_SEP);
	while (*b) {
		const char *end = strstr(b, IDENT_EOL_SEP);
		size_t n = end ? (size_t)(end - b) : strlen(b);
		int present = 0;
		for (const char *q = a; *q;) {
			const char *qe = strstr(q, IDENT_EOL_SEP);
			size_t qn = qe ? (size_t)(qe - q) : strlen(q);
			if (qn == n && strncmp(q, b, n) == 0)
				present = 1;
			q += qn + (qe ? seplen : 0);
		}
		size_t used = strlen(a);
		size_t need = n + (used ? seplen : 0);
		if (!present && n && used + need < asz) {
			if (used)
				memcpy(a + used, IDENT_EOL_SEP, seplen);
			memcpy(a + used + (used ? seplen : 0), b, n);
			a[used + need] = '\0';
		}
		b += n + (end ? seplen : 0);
	}
}

void ident_facts_merge(struct ident_facts *a, const struct ident_facts *b)
{
	if (b->hostname[0] && b->name_src > a->name_src) {
		copy_str(a->hostname, sizeof(a->hostname), b->hostname);
		a->name_src = b->name_src;
	}
	fill(a->vendor, sizeof(a->vendor), b->vendor);
	fill(a->model, sizeof(a->model), b->model);
	fill(a->firmware, sizeof(a->firmware), b->firmware);
	fill(a->serial, sizeof(a->serial), b->serial);
	if (b->os[0] && b->os_weight > a->os_weight) {
		copy_str(a->os, sizeof(a->os), b->os);
		copy_str(a->os_why, sizeof(a->os_why), b->os_why);
		a->os_weight = b->os_weight;
	}
	if (b->cls != CLS_UNKNOWN && b->cls_weight > a->cls_weight) {
		a->cls = b->cls;
		a->cls_weight = b->cls_weight;
		copy_str(a->cls_why, sizeof(a->cls_why), b->cls_why);
	}
	merge_eol(a->eol, sizeof(a->eol), b->eol);
	fill(a->note, sizeof(a->note), b->note);
	fill(a->app_detail, sizeof(a->app_detail), b->app_detail);
}

int ident_facts_any(const struct ident_facts *f)
{
	return f->hostname[0] || f->vendor[0] || f->model[0] || f->firmware[0] || f->serial[0] ||
	       f->os[0] || f->cls != CLS_UNKNOWN || f->eol[0] || f->note[0];
}
