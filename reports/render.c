/*
 * reports/render.c - the table of output formats, writing a rendering to a
 * path atomically, and small helpers the renderers share.
 *
 * A result file is evidence: a crash, a full disk or a Ctrl-C must never
 * leave half a report under the final name. Every file goes through
 * ss_atomic_write (common/atomic.h): a temporary name in the same
 * directory, fsync, rename, directory fsync.
 */
#include "reports/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/atomic.h"
#include "common/htab.h"
#include "reports/i18n.h"

static int write_json(const struct result *r, FILE *out, const struct res_render_opts *o)
{
	(void)o;
	return res_write_json(r, out);
}

static const struct res_format formats[] = {
    {.name = "json", .write = write_json},
    {.name = "text", .write = res_write_text},
    {.name = "csv", .write = res_write_csv_hosts},
    {.name = "html", .write = res_write_html},
};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

const struct res_format *res_format_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < N_FORMATS; i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

const char *res_format_names(void)
{
	return "json, text, csv, html";
}

int res_lang_parse(const char *s, enum res_lang *out)
{
	if (!s)
		return -1;
	if (strcmp(s, "en") == 0)
		*out = RES_LANG_EN;
	else if (strcmp(s, "ja") == 0)
		*out = RES_LANG_JA;
	else
		return -1;
	return 0;
}

typedef int (*writer_fn)(const struct result *, FILE *, const struct res_render_opts *);

/* One rendering of r, as ss_atomic_write's writer. */
struct render_job {
	const struct result *r;
	writer_fn w;
	const struct res_render_opts *o;
};

static int render_job_write(void *ctx, FILE *out)
{
	const struct render_job *j = ctx;
	return j->w(j->r, out, j->o);
}

/* A report is an ordinary file: 0666, narrowed by the umask. */
static int render_atomic(const struct result *r, writer_fn w, const struct res_render_opts *o,
                         const char *path, char *err, size_t errsz)
{
	struct render_job j = {r, w, o};
	return ss_atomic_write(path, 0666, render_job_write, &j, err, errsz);
}

int res_render_to_path(const struct result *r, const char *format, const struct res_render_opts *o,
                       const char *path, char *err, size_t errsz)
{
	static const struct res_render_opts defaults = {RES_LANG_EN, 0};
	if (!o)
		o = &defaults;
	const struct res_format *fmt = res_format_find(format);
	if (!fmt) {
		snprintf(err, errsz, "unknown format '%s' (%s)", format ? format : "",
		         res_format_names());
		return -1;
	}
	if (!path || strcmp(path, "-") == 0)
		return render_atomic(r, fmt->write, o, "-", err, errsz);
	struct stat st;
	size_t plen = strlen(path);
	int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	/* "-o reports/" names a directory even before it exists. */
	if (!is_dir && plen && path[plen - 1] == '/' && strcmp(fmt->name, "csv") == 0) {
		if (mkdir(path, 0777) != 0) {
			snprintf(err, errsz, "%s: cannot create directory: %s", path,
			         strerror(errno));
			return -1;
		}
		is_dir = 1;
	}
	if (is_dir) {
		if (strcmp(fmt->name, "csv") != 0) {
			snprintf(err, errsz,
			         "%s is a directory (only -f csv writes into a directory)", path);
			return -1;
		}
		const char *sep = plen && path[plen - 1] == '/' ? "" : "/";
		char *hosts = xasprintf("%s%shosts.csv", path, sep);
		char *viol = xasprintf("%s%sviolations.csv", path, sep);
		int rc = render_atomic(r, res_write_csv_hosts, o, hosts, err, errsz);
		if (rc == 0)
			rc = render_atomic(r, res_write_csv_violations, o, viol, err, errsz);
		free(hosts);
		free(viol);
		return rc;
	}
	return render_atomic(r, fmt->write, o, path, err, errsz);
}

int res_severity_rank(const char *severity)
{
	static const char *const order[] = {"critical", "high", "medium", "low"};
	if (severity)
		for (int i = 0; i < 4; i++)
			if (strcmp(severity, order[i]) == 0)
				return i;
	return 4;
}

void res_service_str(uint8_t proto, uint16_t dport, char *out, size_t sz)
{
	char b[8];
	if (!proto)
		snprintf(out, sz, "%s", "");
	else if ((proto == 6 || proto == 17) && dport)
		snprintf(out, sz, "%s/%u", res_proto_name(proto, b), (unsigned)dport);
	else
		snprintf(out, sz, "%s", res_proto_name(proto, b));
}

/* First flow per (proto, dport, src, dst), first host per address, first
 * host with a zone per MAC: hash tables in array order, so each answer is
 * the one a scan from the start would find. */
struct res_zone_index {
	struct ss_htab *flows, *ips, *macs;
	size_t *flow_at, *ip_host, *mac_host; /* by table index */
};

#define ZI_FLOW_KEY (1 + 2 + 17 + 17)

/* Equal keys exactly when ss_ip_eq: an IPv4 address is its 4 bytes. */
static void ip_key17(const ss_ip *ip, uint8_t *k)
{
	k[0] = ip->family;
	size_t n = ip->family == 4 ? 4 : 16;
	memcpy(k + 1, ip->b, n);
	memset(k + 1 + n, 0, 16 - n);
}

static void flow_key37(uint8_t proto, uint16_t dport, const ss_ip *src, const ss_ip *dst,
                       uint8_t k[ZI_FLOW_KEY])
{
	k[0] = proto;
	k[1] = (uint8_t)(dport >> 8);
	k[2] = (uint8_t)dport;
	ip_key17(src, k + 3);
	ip_key17(dst, k + 20);
}

/* Records value at key's index when the key is new (at has room for
 * every key the table can get). */
static void first_of(struct ss_htab *h, size_t *at, const void *key, size_t value)
{
	int created;
	size_t i = ss_htab_intern(h, key, &created);
	if (created)
		at[i] = value;
}

static struct res_zone_index *zone_index_new(const struct result *r)
{
	struct res_zone_index *zi = xcalloc(1, sizeof(*zi));
	zi->flows = ss_htab_new(ZI_FLOW_KEY);
	zi->ips = ss_htab_new(17);
	zi->macs = ss_htab_new(sizeof(ss_mac));
	size_t n_ips = 0;
	for (size_t i = 0; i < r->n_hosts; i++)
		n_ips += r->hosts[i].n_ips;
	/* At most one key per flow, address or host: sized once. */
	zi->flow_at = xreallocarray(NULL, r->n_flows + 1, sizeof(size_t));
	zi->ip_host = xreallocarray(NULL, n_ips + 1, sizeof(size_t));
	zi->mac_host = xreallocarray(NULL, r->n_hosts + 1, sizeof(size_t));
	uint8_t k[ZI_FLOW_KEY];
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct res_flow *f = &r->flows[i];
		flow_key37(f->proto, f->dport, &f->src, &f->dst, k);
		first_of(zi->flows, zi->flow_at, k, i);
	}
	for (size_t i = 0; i < r->n_hosts; i++) {
		const struct res_host *h = &r->hosts[i];
		for (size_t j = 0; j < h->n_ips; j++) {
			ip_key17(&h->ips[j], k);
			first_of(zi->ips, zi->ip_host, k, i);
		}
		if (h->has_mac && h->zone)
			first_of(zi->macs, zi->mac_host, &h->mac, i);
	}
	return zi;
}

void res_zone_index_free(struct res_zone_index *zi)
{
	if (!zi)
		return;
	ss_htab_free(zi->flows);
	ss_htab_free(zi->ips);
	ss_htab_free(zi->macs);
	free(zi->flow_at);
	free(zi->ip_host);
	free(zi->mac_host);
	free(zi);
}

static const char *zone_of_ip(const struct result *r, const struct res_zone_index *zi,
                              const ss_ip *ip)
{
	if (!ip->family)
		return NULL;
	uint8_t k[17];
	ip_key17(ip, k);
	long i = ss_htab_find(zi->ips, k);
	return i >= 0 ? r->hosts[zi->ip_host[i]].zone : NULL;
}

void res_violation_zones(const struct result *r, struct res_zone_index **zip,
                         const struct res_violation *v, const char **src_zone,
                         const char **dst_zone)
{
	if (!*zip)
		*zip = zone_index_new(r);
	const struct res_zone_index *zi = *zip;
	*src_zone = *dst_zone = NULL;
	if (v->proto && v->src.family && v->dst.family) {
		uint8_t k[ZI_FLOW_KEY];
		flow_key37(v->proto, v->dport, &v->src, &v->dst, k);
		long i = ss_htab_find(zi->flows, k);
		if (i >= 0) {
			const struct res_flow *f = &r->flows[zi->flow_at[i]];
			*src_zone = f->src_zone;
			*dst_zone = f->dst_zone;
			return;
		}
	}
	*src_zone = zone_of_ip(r, zi, &v->src);
	if (!*src_zone && v->has_mac) {
		long i = ss_htab_find(zi->macs, &v->mac);
		if (i >= 0)
			*src_zone = r->hosts[zi->mac_host[i]].zone;
	}
	*dst_zone = zone_of_ip(r, zi, &v->dst);
}

size_t res_count_unregistered(const struct result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_hosts; i++)
		n += r->hosts[i].managed == 0;
	return n;
}

size_t res_count_cross_zone(const struct result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_flows; i++) {
		const struct res_flow *f = &r->flows[i];
		n += f->src_zone && f->dst_zone && strcmp(f->src_zone, f->dst_zone) != 0;
	}
	return n;
}

int res_cp_unsafe(unsigned cp, int keep_ws)
{
	if (cp < 0x20)
		return !(keep_ws && (cp == '\t' || cp == '\r' || cp == '\n'));
	return cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x61c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}
