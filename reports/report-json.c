/*
 * reports/report-json.c - the JSON result of segscan.md, written with
 * jansson. Field names and value forms are the user contract: change them
 * only with the spec.
 */
#include <jansson.h>
#include <string.h>

#include "reports/result.h"

static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* jansson refuses invalid UTF-8; names from packets are sanitised before
 * they get here, but never let one bad string drop a whole field. */
static json_t *jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *copy = xstrdup(s);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)copy[i] >= 0x80)
			copy[i] = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

static json_t *jtime(ss_time t)
{
	if (t == SS_TIME_NONE)
		return json_null();
	char b[SS_ISO_STRLEN];
	ss_time_iso(t, b);
	return json_string(b);
}

static json_t *jip(const ss_ip *ip)
{
	if (!ip->family)
		return json_null();
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	return json_string(b);
}

static json_t *jmac(int has, const ss_mac *m)
{
	if (!has)
		return json_null();
	char b[SS_MAC_STRLEN];
	ss_mac_format(m, b);
	return json_string(b);
}

static json_t *jstrv(const struct res_strv *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(a, jstr(s->v[i]));
	return a;
}

static json_t *jproto(uint8_t proto)
{
	char b[8];
	return json_string(res_proto_name(proto, b));
}

static json_t *host_json(const struct res_host *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "mac", jmac(h->has_mac, &h->mac));
	json_t *ips = json_array();
	for (size_t i = 0; i < h->n_ips; i++)
		json_array_append_new(ips, jip(&h->ips[i]));
	json_object_set_new(o, "ips", ips);
	json_object_set_new(o, "vlan", h->vlan >= 0 ? json_integer(h->vlan) : json_null());
	json_object_set_new(o, "vendor", jstr(h->vendor));
	json_object_set_new(o, "mac_local", json_boolean(h->mac_local));
	json_object_set_new(o, "hostname", jstr(h->hostname));
	json_object_set_new(o, "zone", jstr_or_null(h->zone));
	json_object_set_new(o, "asset", jstr(h->asset));
	json_object_set_new(o, "owner", jstr(h->owner));
	json_object_set_new(o, "managed", h->managed < 0 ? json_null() : json_boolean(h->managed));
	json_object_set_new(o, "device_class", jstr(h->device_class ? h->device_class : "unknown"));
	json_object_set_new(o, "os", jstr(h->os));
	json_object_set_new(o, "model", jstr(h->model));
	json_object_set_new(o, "firmware", jstr(h->firmware));
	json_object_set_new(o, "serial", jstr(h->serial));
	json_object_set_new(o, "router", json_boolean(h->router));
	json_object_set_new(o, "class_evidence", jstr(h->class_evidence));
	json_object_set_new(o, "os_evidence", jstr(h->os_evidence));
	json_object_set_new(o, "eol_hints", jstrv(&h->eol_hints));
	json_object_set_new(o, "notes", jstrv(&h->notes));
	json_object_set_new(o, "protocols", jstrv(&h->protocols));
	json_t *svcs = json_array();
	for (size_t i = 0; i < h->n_services; i++) {
		const struct res_service *s = &h->services[i];
		json_t *so = json_object();
		json_object_set_new(so, "proto", jproto(s->proto));
		json_object_set_new(so, "port", json_integer(s->port));
		json_object_set_new(so, "app", jstr(s->app));
		if (s->app && s->app_guess)
			json_object_set_new(so, "app_guess", json_true());
		json_array_append_new(svcs, so);
	}
	json_object_set_new(o, "services", svcs);
	json_object_set_new(o, "first_seen", jtime(h->first_seen));
	json_object_set_new(o, "last_seen", jtime(h->last_seen));
	json_object_set_new(o, "packets", json_integer((json_int_t)h->packets));
	json_object_set_new(o, "bytes", json_integer((json_int_t)h->bytes));
	json_object_set_new(o, "evidence", jstrv(&h->evidence));
	return o;
}

static json_t *flow_json(const struct res_flow *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "src", jip(&f->src));
	json_object_set_new(o, "dst", jip(&f->dst));
	json_object_set_new(o, "proto", jproto(f->proto));
	json_object_set_new(o, "dport", json_integer(f->dport));
	json_object_set_new(o, "app", jstr(f->app));
	json_object_set_new(o, "src_zone", jstr(f->src_zone));
	json_object_set_new(o, "dst_zone", jstr(f->dst_zone));
	json_object_set_new(o, "packets", json_integer((json_int_t)f->packets));
	json_object_set_new(o, "bytes", json_integer((json_int_t)f->bytes));
	json_object_set_new(o, "first_seen", jtime(f->first_seen));
	json_object_set_new(o, "last_seen", jtime(f->last_seen));
	json_object_set_new(o, "verdict", jstr(f->verdict ? f->verdict : "local"));
	json_object_set_new(o, "rule", jstr(f->rule));
	return o;
}

static json_t *violation_json(const struct res_violation *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", jstr(v->type));
	json_object_set_new(o, "severity", jstr(v->severity));
	json_object_set_new(o, "src", jip(&v->src));
	json_object_set_new(o, "dst", jip(&v->dst));
	json_object_set_new(o, "proto", v->proto ? jproto(v->proto) : json_null());
	json_object_set_new(o, "dport", v->proto ? json_integer(v->dport) : json_null());
	json_object_set_new(o, "mac", jmac(v->has_mac, &v->mac));
	json_object_set_new(o, "rule", jstr(v->rule));
	json_object_set_new(o, "count", json_integer((json_int_t)v->count));
	json_object_set_new(o, "first_seen", jtime(v->first_seen));
	json_object_set_new(o, "last_seen", jtime(v->last_seen));
	json_object_set_new(o, "message", jstr(v->message));
	json_object_set_new(o, "fix", jstr(v->fix));
	return o;
}

int res_write_json(const struct result *r, FILE *out)
{
	json_t *root = json_object();
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("segscan"));
	json_object_set_new(tool, "version", jstr(r->tool_version));
	json_object_set_new(root, "tool", tool);

	json_t *scan = json_object();
	json_object_set_new(scan, "mode", jstr(r->mode));
	json_object_set_new(scan, "started", jtime(r->started));
	json_object_set_new(scan, "ended", jtime(r->ended));
	json_object_set_new(scan, "capture_first", jtime(r->capture_first));
	json_object_set_new(scan, "capture_last", jtime(r->capture_last));
	json_object_set_new(scan, "inputs", jstrv(&r->inputs));
	json_object_set_new(scan, "packets", json_integer((json_int_t)r->stats.packets));
	if (r->policy_path) {
		json_t *pol = json_object();
		json_object_set_new(pol, "path", jstr(r->policy_path));
		json_object_set_new(pol, "sha256", jstr(r->policy_sha256));
		json_object_set_new(pol, "site", jstr(r->site));
		json_object_set_new(scan, "policy", pol);
	} else {
		json_object_set_new(scan, "policy", json_null());
	}
	json_object_set_new(root, "scan", scan);

	json_t *st = json_object();
	json_object_set_new(st, "packets", json_integer((json_int_t)r->stats.packets));
	json_object_set_new(st, "decoded", json_integer((json_int_t)r->stats.decoded));
	json_object_set_new(st, "truncated", json_integer((json_int_t)r->stats.truncated));
	json_object_set_new(st, "malformed", json_integer((json_int_t)r->stats.malformed));
	json_object_set_new(st, "unsupported", json_integer((json_int_t)r->stats.unsupported));
	json_object_set_new(st, "non_ip", json_integer((json_int_t)r->stats.non_ip));
	json_object_set_new(st, "dropped", json_integer((json_int_t)r->stats.dropped));
	json_object_set_new(root, "stats", st);

	json_t *hosts = json_array();
	for (size_t i = 0; i < r->n_hosts; i++)
		json_array_append_new(hosts, host_json(&r->hosts[i]));
	json_object_set_new(root, "hosts", hosts);
	json_t *flows = json_array();
	for (size_t i = 0; i < r->n_flows; i++)
		json_array_append_new(flows, flow_json(&r->flows[i]));
	json_object_set_new(root, "flows", flows);
	json_t *viol = json_array();
	for (size_t i = 0; i < r->n_violations; i++)
		json_array_append_new(viol, violation_json(&r->violations[i]));
	json_object_set_new(root, "violations", viol);

	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
	return rc == 0 && !ferror(out) ? 0 : -1;
}
