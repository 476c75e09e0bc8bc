/*
 * reports/report-json.c - the JSON result of segscan.md, written with
 * jansson. Field names and value forms are the user contract: change them
 * only with the spec.
 */
#include <jansson.h>
#include <string.h>

#include "reports/json-value.h"
#include "reports/result.h"

static json_t *host_json(const struct res_host *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "mac", rj_mac(h->has_mac, &h->mac));
	json_t *ips = json_array();
	for (size_t i = 0; i < h->n_ips; i++)
		json_array_append_new(ips, rj_ip(&h->ips[i]));
	json_object_set_new(o, "ips", ips);
	json_object_set_new(o, "vlan", h->vlan >= 0 ? json_integer(h->vlan) : json_null());
	json_object_set_new(o, "vendor", rj_str(h->vendor));
	json_object_set_new(o, "mac_local", json_boolean(h->mac_local));
	json_object_set_new(o, "hostname", rj_str(h->hostname));
	json_object_set_new(o, "zone", rj_str(h->zone));
	json_object_set_new(o, "asset", rj_str(h->asset));
	json_object_set_new(o, "owner", rj_str(h->owner));
	json_object_set_new(o, "managed", h->managed < 0 ? json_null() : json_boolean(h->managed));
	json_object_set_new(o, "device_class",
	                    rj_str(h->device_class ? h->device_class : "unknown"));
	json_object_set_new(o, "os", rj_str(h->os));
	json_object_set_new(o, "model", rj_str(h->model));
	json_object_set_new(o, "firmware", rj_str(h->firmware));
	json_object_set_new(o, "serial", rj_str(h->serial));
	json_object_set_new(o, "router", json_boolean(h->router));
	json_object_set_new(o, "class_evidence", rj_str(h->class_evidence));
	json_object_set_new(o, "os_evidence", rj_str(h->os_evidence));
	json_object_set_new(o, "eol_hints", rj_strv(&h->eol_hints));
	json_object_set_new(o, "notes", rj_strv(&h->notes));
	json_object_set_new(o, "protocols", rj_strv(&h->protocols));
	json_t *svcs = json_array();
	for (size_t i = 0; i < h->n_services; i++) {
		const struct res_service *s = &h->services[i];
		json_t *so = json_object();
		json_object_set_new(so, "proto", rj_proto(s->proto));
		json_object_set_new(so, "port", json_integer(s->port));
		json_object_set_new(so, "app", rj_str(s->app));
		if (s->app && s->app_guess)
			json_object_set_new(so, "app_guess", json_true());
		json_array_append_new(svcs, so);
	}
	json_object_set_new(o, "services", svcs);
	json_object_set_new(o, "first_seen", rj_time(h->first_seen));
	json_object_set_new(o, "last_seen", rj_time(h->last_seen));
	json_object_set_new(o, "packets", rj_count(h->packets));
	json_object_set_new(o, "bytes", rj_count(h->bytes));
	json_object_set_new(o, "evidence", rj_strv(&h->evidence));
	return o;
}

static json_t *flow_json(const struct res_flow *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "src", rj_ip(&f->src));
	json_object_set_new(o, "dst", rj_ip(&f->dst));
	json_object_set_new(o, "proto", rj_proto(f->proto));
	json_object_set_new(o, "dport", json_integer(f->dport));
	json_object_set_new(o, "app", rj_str(f->app));
	json_object_set_new(o, "src_zone", rj_str(f->src_zone));
	json_object_set_new(o, "dst_zone", rj_str(f->dst_zone));
	json_object_set_new(o, "packets", rj_count(f->packets));
	json_object_set_new(o, "bytes", rj_count(f->bytes));
	json_object_set_new(o, "first_seen", rj_time(f->first_seen));
	json_object_set_new(o, "last_seen", rj_time(f->last_seen));
	json_object_set_new(o, "verdict", rj_str(f->verdict ? f->verdict : "local"));
	json_object_set_new(o, "rule", rj_str(f->rule));
	return o;
}

static json_t *violation_json(const struct res_violation *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", rj_str(v->type));
	json_object_set_new(o, "severity", rj_str(v->severity));
	json_object_set_new(o, "src", rj_ip(&v->src));
	json_object_set_new(o, "dst", rj_ip(&v->dst));
	json_object_set_new(o, "proto", rj_proto(v->proto));
	json_object_set_new(o, "dport", v->proto ? json_integer(v->dport) : json_null());
	json_object_set_new(o, "mac", rj_mac(v->has_mac, &v->mac));
	json_object_set_new(o, "rule", rj_str(v->rule));
	json_object_set_new(o, "count", rj_count(v->count));
	json_object_set_new(o, "first_seen", rj_time(v->first_seen));
	json_object_set_new(o, "last_seen", rj_time(v->last_seen));
	json_object_set_new(o, "message", rj_str(v->message));
	json_object_set_new(o, "fix", rj_str(v->fix));
	return o;
}

/* Writes text (a value dumped on its own, indentation relative to column
 * 0) as if it were nested `depth` levels deep: every line after the first
 * gets 2 * depth more spaces, exactly what dumping the whole tree with
 * JSON_INDENT(2) would have produced. */
static void emit_nested(FILE *out, const char *text, int depth)
{
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			for (int i = 0; i < 2 * depth; i++)
				fputc(' ', out);
	}
}

/* Dumps v (which it frees) as the value of a member of the root object. */
static int emit_member(FILE *out, const char *key, json_t *v, int last)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(v);
	if (!text)
		return -1;
	fprintf(out, "  \"%s\": ", key);
	emit_nested(out, text, 1);
	fputs(last ? "\n" : ",\n", out);
	free(text);
	return 0;
}

/* An array member whose elements are built, written and freed one at a
 * time, so writing a result never holds a second copy of it in memory. */
static int emit_array(FILE *out, const char *key, size_t n, json_t *(*make)(const void *, size_t),
                      const void *items, int last)
{
	if (n == 0) {
		fprintf(out, "  \"%s\": []%s\n", key, last ? "" : ",");
		return 0;
	}
	fprintf(out, "  \"%s\": [\n", key);
	for (size_t i = 0; i < n; i++) {
		json_t *v = make(items, i);
		char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(v);
		if (!text)
			return -1;
		fputs("    ", out);
		emit_nested(out, text, 2);
		fputs(i + 1 < n ? ",\n" : "\n", out);
		free(text);
	}
	fprintf(out, "  ]%s\n", last ? "" : ",");
	return 0;
}

static json_t *host_at(const void *items, size_t i)
{
	return host_json(&((const struct res_host *)items)[i]);
}

static json_t *flow_at(const void *items, size_t i)
{
	return flow_json(&((const struct res_flow *)items)[i]);
}

static json_t *violation_at(const void *items, size_t i)
{
	return violation_json(&((const struct res_violation *)items)[i]);
}

int res_write_json(const struct result *r, FILE *out)
{
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("segscan"));
	json_object_set_new(tool, "version", rj_str(r->tool_version));

	json_t *scan = json_object();
	json_object_set_new(scan, "mode", rj_str(r->mode));
	json_object_set_new(scan, "started", rj_time(r->started));
	json_object_set_new(scan, "ended", rj_time(r->ended));
	json_object_set_new(scan, "capture_first", rj_time(r->capture_first));
	json_object_set_new(scan, "capture_last", rj_time(r->capture_last));
	json_object_set_new(scan, "inputs", rj_strv(&r->inputs));
	json_object_set_new(scan, "packets", rj_count(r->stats.packets));
	if (r->policy_path) {
		json_t *pol = json_object();
		json_object_set_new(pol, "path", rj_str(r->policy_path));
		json_object_set_new(pol, "sha256", rj_str(r->policy_sha256));
		json_object_set_new(pol, "site", rj_str(r->site));
		json_object_set_new(scan, "policy", pol);
	} else {
		json_object_set_new(scan, "policy", json_null());
	}

	json_t *st = json_object();
	json_object_set_new(st, "packets", rj_count(r->stats.packets));
	json_object_set_new(st, "decoded", rj_count(r->stats.decoded));
	json_object_set_new(st, "truncated", rj_count(r->stats.truncated));
	json_object_set_new(st, "malformed", rj_count(r->stats.malformed));
	json_object_set_new(st, "unsupported", rj_count(r->stats.unsupported));
	json_object_set_new(st, "non_ip", rj_count(r->stats.non_ip));
	json_object_set_new(st, "dropped", rj_count(r->stats.dropped));

	/* The same text json_dumpf of the whole tree would give (JSON_INDENT(2),
	 * members in this order), streamed member by member. */
	fputs("{\n", out);
	int rc = emit_member(out, "tool", tool, 0);
	rc |= emit_member(out, "scan", scan, 0);
	rc |= emit_member(out, "stats", st, 0);
	rc |= emit_array(out, "hosts", r->n_hosts, host_at, r->hosts, 0);
	rc |= emit_array(out, "flows", r->n_flows, flow_at, r->flows, 0);
	rc |= emit_array(out, "violations", r->n_violations, violation_at, r->violations, 1);
	fputs("}\n", out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}
