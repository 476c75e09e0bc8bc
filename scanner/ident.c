/*
 * scanner/ident.c - the identification engine: vocabulary, the order in
 * which identifiers are tried, port guesses, and merging of facts.
 */
#include "scanner/ident.h"

#include <stdlib.h>
#include <string.h>

#include "common/util.h"

static const char *const proto_names[ID__COUNT] = {
    [ID_MODBUS] = "modbus", [ID_S7COMM] = "s7comm",     [ID_ENIP] = "enip",
    [ID_BACNET] = "bacnet", [ID_DNP3] = "dnp3",         [ID_OPCUA] = "opcua",
    [ID_IEC104] = "iec104", [ID_PROFINET] = "profinet", [ID_SLMP] = "slmp",
    [ID_FINS] = "fins",     [ID_MQTT] = "mqtt",         [ID_HTTP] = "http",
    [ID_TLS] = "tls",       [ID_SSH] = "ssh",           [ID_TELNET] = "telnet",
    [ID_FTP] = "ftp",       [ID_SMB] = "smb",           [ID_RDP] = "rdp",
    [ID_VNC] = "vnc",       [ID_DNS] = "dns",           [ID_DHCP] = "dhcp",
    [ID_MDNS] = "mdns",     [ID_SSDP] = "ssdp",         [ID_NBNS] = "nbns",
    [ID_LLMNR] = "llmnr",   [ID_LLDP] = "lldp",         [ID_CDP] = "cdp",
    [ID_SNMP] = "snmp",     [ID_NTP] = "ntp",           [ID_RTSP] = "rtsp",
};

const char *ident_name(enum ident_proto p)
{
	return (p >= 0 && p < ID__COUNT) ? proto_names[p] : NULL;
}

enum ident_proto ident_by_name(const char *name)
{
	for (int i = 0; i < ID__COUNT; i++)
		if (proto_names[i] && strcmp(proto_names[i], name) == 0)
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

static int port_listed(const struct ident_def *d, uint16_t port)
{
	if (!d->ports)
		return 0;
	for (const uint16_t *q = d->ports; *q; q++)
		if (*q == port)
			return 1;
	return 0;
}

/* Identifiers audited to keep the contract of ident.h ("facts untouched
 * unless returning 1"): after one of them fails, facts are still all
 * zero, so the next attempt needs no memset (zeroing the 808-byte struct
 * before every attempt was ~2.5% of an audit). Any identifier not listed
 * here gets facts zeroed before it runs and dirties them after a failure.
 * Audited: each writes facts only on a path that then returns 1. */
static const uint64_t clean_on_fail =
    ID_BIT(ID_HTTP) | ID_BIT(ID_RTSP) | ID_BIT(ID_SSDP) | ID_BIT(ID_FTP) | ID_BIT(ID_SSH) |
    ID_BIT(ID_TELNET) | ID_BIT(ID_DNS) | ID_BIT(ID_TLS) | ID_BIT(ID_VNC) | ID_BIT(ID_DNP3) |
    ID_BIT(ID_IEC104) | ID_BIT(ID_RDP) | ID_BIT(ID_LLMNR) | ID_BIT(ID_NTP) | ID_BIT(ID_MODBUS) |
    ID_BIT(ID_FINS);

/* Runs d with facts zeroed as it expects; *clean says whether facts are
 * known to be all zero and is kept up to date. */
static int try_one(const struct ident_def *d, const struct ident_in *in, struct ident_facts *f,
                   int *clean)
{
	if (!*clean)
		memset(f, 0, sizeof(*f));
	int r = d->identify(in, f);
	*clean = !r && d->id >= 0 && d->id < 64 && (clean_on_fail & ID_BIT(d->id));
	return r;
}

/* Dispatch tables, built once from ident_protos[] (the program has one
 * thread): for each transport value, which table positions handle it, and
 * for each port some identifier lists, which positions list it. Scanning
 * every identifier's port list for both ports, twice, was a third of
 * ident_run's own instructions; a binary search over the ports gives the
 * same "preferred" set. Positions are bits of a uint64_t, so this needs
 * at most 64 identifiers (else the plain loop below runs). */
struct port_mask {
	uint16_t port;
	uint64_t mask;
};
static struct port_mask *port_masks;
static size_t n_port_masks;
static uint64_t transport_mask[8];
static uint64_t id_mask[ID__COUNT]; /* positions of each protocol's identifiers */
static int tables_state;            /* 0: not built, 1: built, -1: too many identifiers */

static int cmp_port_mask(const void *a, const void *b)
{
	const struct port_mask *x = a, *y = b;
	return (x->port > y->port) - (x->port < y->port);
}

static void build_tables(void)
{
	size_t n = 0, nports = 0;
	for (const struct ident_def *const *d = ident_protos; *d; d++, n++)
		for (const uint16_t *q = (*d)->ports; q && *q; q++)
			nports++;
	if (n > 64) {
		tables_state = -1;
		return;
	}
	port_masks = xcalloc(nports ? nports : 1, sizeof(*port_masks));
	size_t k = 0, i = 0;
	for (const struct ident_def *const *d = ident_protos; *d; d++, i++) {
		for (unsigned t = 0; t < 8; t++)
			if ((*d)->transports & t)
				transport_mask[t] |= (uint64_t)1 << i;
		if ((*d)->id >= 0 && (*d)->id < ID__COUNT)
			id_mask[(*d)->id] |= (uint64_t)1 << i;
		for (const uint16_t *q = (*d)->ports; q && *q; q++)
			port_masks[k++] = (struct port_mask){*q, (uint64_t)1 << i};
	}
	qsort(port_masks, k, sizeof(*port_masks), cmp_port_mask);
	size_t w = 0; /* merge duplicates: one entry per port */
	for (size_t r = 0; r < k; r++) {
		if (w && port_masks[w - 1].port == port_masks[r].port)
			port_masks[w - 1].mask |= port_masks[r].mask;
		else
			port_masks[w++] = port_masks[r];
	}
	n_port_masks = w;
	tables_state = 1;
}

/* The positions of the identifiers that list port (port_listed). */
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

enum ident_proto ident_run(unsigned transport, const struct ident_in *in, struct ident_facts *facts)
{
	if (!in->len)
		return ID_NONE;
	const struct pkt *p = in->p;
	uint16_t sp = p ? p->sport : 0, dp = p ? p->dport : 0;
	int l2 = transport == IDENT_L2;
	if (!tables_state)
		build_tables();
	int clean = 0;
	if (tables_state > 0 && !l2 && transport < 8) {
		/* Same order as the loop below: the preferred ones in table
		 * order, then the others in table order. */
		uint64_t all = transport_mask[transport];
		uint64_t pref = all & (listing(sp) | listing(dp));
		uint64_t sets[2] = {pref, all & ~pref};
		for (int pass = 0; pass < 2; pass++)
			for (uint64_t m = sets[pass]; m; m &= m - 1) {
				const struct ident_def *d = ident_protos[__builtin_ctzll(m)];
				if (try_one(d, in, facts, &clean))
					return d->id;
			}
		if (!clean)
			memset(facts, 0, sizeof(*facts));
		return ID_NONE;
	}
	/* First the identifiers whose usual port (or EtherType) matches,
	 * then every other one for the transport: a protocol on an odd port
	 * is still found, and proof decides either way. */
	for (int pass = 0; pass < 2; pass++) {
		for (const struct ident_def *const *d = ident_protos; *d; d++) {
			if (!((*d)->transports & transport))
				continue;
			int preferred;
			if (l2)
				preferred = (*d)->ethertype == (p ? p->ethertype : 0);
			else
				preferred = port_listed(*d, sp) || port_listed(*d, dp);
			if (preferred != (pass == 0))
				continue;
			if (try_one(*d, in, facts, &clean))
				return (*d)->id;
		}
	}
	if (!clean)
		memset(facts, 0, sizeof(*facts));
	return ID_NONE;
}

enum ident_proto ident_run_only(enum ident_proto only, unsigned transport,
                                const struct ident_in *in, struct ident_facts *facts)
{
	memset(facts, 0, sizeof(*facts));
	if (!in->len)
		return ID_NONE;
	if (!tables_state)
		build_tables();
	if (tables_state > 0) { /* the identifier(s) of only, in table order */
		if (only < 0 || only >= ID__COUNT)
			return ID_NONE;
		for (uint64_t m = id_mask[only] & transport_mask[transport & 7]; m; m &= m - 1) {
			int clean = 1;
			if (try_one(ident_protos[__builtin_ctzll(m)], in, facts, &clean))
				return only;
			if (!clean)
				memset(facts, 0, sizeof(*facts));
		}
		return ID_NONE;
	}
	for (const struct ident_def *const *d = ident_protos; *d; d++)
		if ((*d)->id == only && ((*d)->transports & transport)) {
			int clean = 1;
			if (try_one(*d, in, facts, &clean))
				return only;
			if (!clean)
				memset(facts, 0, sizeof(*facts));
		}
	return ID_NONE;
}

enum ident_proto ident_guess_port(uint8_t ipproto, uint16_t port)
{
	unsigned t = ipproto == 6 ? IDENT_TCP : ipproto == 17 ? IDENT_UDP : 0;
	if (!t)
		return ID_NONE;
	for (const struct ident_def *const *d = ident_protos; *d; d++)
		if (((*d)->transports & t) && port_listed(*d, port))
			return (*d)->id;
	return ID_NONE;
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
