/*
 * model/result-json.c - the JSON result of segscan.md. Field names and
 * value forms are the user contract: change them only with the spec.
 *
 * The text is jansson's (JSON_INDENT(2), members in this order), written
 * by model/json-emit.c straight from the result, element by element, so
 * writing never holds a second copy of a result in memory; a big array is
 * written two ranges at a time on two threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "model/json-emit.h"
#include "model/result.h"

static void strv(struct je *w, const struct res_strv *s)
{
	je_arr_open(w);
	for (size_t i = 0; i < s->n; i++)
		je_str(w, s->v[i]);
	je_arr_close(w);
}

static void host_out(struct je *w, const void *items, size_t i)
{
	const struct res_host *h = &((const struct res_host *)items)[i];
	je_obj_open(w);
	je_key(w, "mac");
	je_mac(w, h->has_mac, &h->mac);
	je_key(w, "ips");
	je_arr_open(w);
	for (size_t k = 0; k < h->n_ips; k++)
		je_ip(w, &h->ips[k]);
	je_arr_close(w);
	je_key(w, "vlan");
	if (h->vlan >= 0)
		je_int(w, h->vlan);
	else
		je_null(w);
	je_key(w, "vendor");
	je_str(w, h->vendor);
	je_key(w, "mac_local");
	je_bool(w, h->mac_local);
	je_key(w, "hostname");
	je_str(w, h->hostname);
	je_key(w, "zone");
	je_str(w, h->zone);
	je_key(w, "asset");
	je_str(w, h->asset);
	je_key(w, "owner");
	je_str(w, h->owner);
	je_key(w, "managed");
	if (h->managed < 0)
		je_null(w);
	else
		je_bool(w, h->managed);
	je_key(w, "device_class");
	je_str(w, h->device_class ? h->device_class : "unknown");
	je_key(w, "os");
	je_str(w, h->os);
	je_key(w, "model");
	je_str(w, h->model);
	je_key(w, "firmware");
	je_str(w, h->firmware);
	je_key(w, "serial");
	je_str(w, h->serial);
	je_key(w, "router");
	je_bool(w, h->router);
	je_key(w, "class_evidence");
	je_str(w, h->class_evidence);
	je_key(w, "os_evidence");
	je_str(w, h->os_evidence);
	je_key(w, "eol_hints");
	strv(w, &h->eol_hints);
	je_key(w, "notes");
	strv(w, &h->notes);
	je_key(w, "protocols");
	strv(w, &h->protocols);
	je_key(w, "services");
	je_arr_open(w);
	for (size_t k = 0; k < h->n_services; k++) {
		const struct res_service *s = &h->services[k];
		je_obj_open(w);
		je_key(w, "proto");
		je_proto(w, s->proto);
		je_key(w, "port");
		je_int(w, s->port);
		je_key(w, "app");
		je_str(w, s->app);
		if (s->app && s->app_guess) {
			je_key(w, "app_guess");
			je_bool(w, 1);
		}
		je_obj_close(w);
	}
	je_arr_close(w);
	je_key(w, "first_seen");
	je_time(w, h->first_seen);
	je_key(w, "last_seen");
	je_time(w, h->last_seen);
	je_key(w, "packets");
	je_count(w, h->packets);
	je_key(w, "bytes");
	je_count(w, h->bytes);
	je_key(w, "evidence");
	strv(w, &h->evidence);
	je_obj_close(w);
}

static void flow_out(struct je *w, const void *items, size_t i)
{
	const struct res_flow *f = &((const struct res_flow *)items)[i];
	je_obj_open(w);
	je_key(w, "src");
	je_ip(w, &f->src);
	je_key(w, "dst");
	je_ip(w, &f->dst);
	je_key(w, "proto");
	je_proto(w, f->proto);
	je_key(w, "dport");
	je_int(w, f->dport);
	je_key(w, "app");
	je_str(w, f->app);
	je_key(w, "src_zone");
	je_str(w, f->src_zone);
	je_key(w, "dst_zone");
	je_str(w, f->dst_zone);
	je_key(w, "packets");
	je_count(w, f->packets);
	je_key(w, "bytes");
	je_count(w, f->bytes);
	je_key(w, "first_seen");
	je_time(w, f->first_seen);
	je_key(w, "last_seen");
	je_time(w, f->last_seen);
	je_key(w, "verdict");
	je_str(w, f->verdict ? f->verdict : "local");
	je_key(w, "rule");
	je_str(w, f->rule);
	je_obj_close(w);
}

static void violation_out(struct je *w, const void *items, size_t i)
{
	const struct res_violation *v = &((const struct res_violation *)items)[i];
	je_obj_open(w);
	je_key(w, "type");
	je_str(w, v->type);
	je_key(w, "severity");
	je_str(w, v->severity);
	je_key(w, "src");
	je_ip(w, &v->src);
	je_key(w, "dst");
	je_ip(w, &v->dst);
	je_key(w, "proto");
	je_proto(w, v->proto);
	je_key(w, "dport");
	if (v->proto)
		je_int(w, v->dport);
	else
		je_null(w);
	je_key(w, "mac");
	je_mac(w, v->has_mac, &v->mac);
	je_key(w, "rule");
	je_str(w, v->rule);
	je_key(w, "count");
	je_count(w, v->count);
	je_key(w, "first_seen");
	je_time(w, v->first_seen);
	je_key(w, "last_seen");
	je_time(w, v->last_seen);
	je_key(w, "message");
	je_str(w, v->message);
	je_key(w, "fix");
	je_str(w, v->fix);
	je_obj_close(w);
}

/* Elements per range: enough that the hand-over between the threads is
 * noise, few enough that the text held in memory stays a few MiB. */
#define RANGE_LEN 4096

/* A big array is written by two threads taking turns: each builds the
 * text of every other range (range k is elements [k * RANGE_LEN, ...))
 * into its own buffer, waits until range k - 1 is written, writes range k
 * and hands the turn on. Writing (the copy into the page cache) then
 * overlaps building the next range, and the text is the same as one
 * thread would write. */
struct arr_job {
	FILE *out;
	void (*fn)(struct je *, const void *, size_t);
	const void *items;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t turn;
	size_t written; /* ranges written so far */
	int rc;
};

struct arr_part {
	struct arr_job *job;
	size_t first, step; /* ranges first, first + step, ... */
	struct je w;
};

static void *arr_part_run(void *arg)
{
	struct arr_part *p = arg;
	struct arr_job *j = p->job;
	for (size_t k = p->first; k * RANGE_LEN < j->n; k += p->step) {
		size_t from = k * RANGE_LEN, to = j->n - from > RANGE_LEN ? from + RANGE_LEN : j->n;
		for (size_t i = from; i < to && !p->w.oom; i++) {
			je_raw(&p->w, "    ", 4);
			j->fn(&p->w, j->items, i);
			je_raw(&p->w, i + 1 < j->n ? ",\n" : "\n", i + 1 < j->n ? 2 : 1);
		}
		pthread_mutex_lock(&j->mu);
		while (j->written != k)
			pthread_cond_wait(&j->turn, &j->mu);
		pthread_mutex_unlock(&j->mu);
		/* Only the thread whose turn it is writes. */
		int rc = je_flush(&p->w, j->out);
		pthread_mutex_lock(&j->mu);
		if (rc)
			j->rc = -1;
		j->written++;
		pthread_cond_broadcast(&j->turn);
		pthread_mutex_unlock(&j->mu);
	}
	return NULL;
}

static int emit_array(FILE *out, const char *key, size_t n,
                      void (*fn)(struct je *, const void *, size_t), const void *items, int last)
{
	if (n == 0)
		return fprintf(out, "  \"%s\": []%s\n", key, last ? "" : ",") < 0 ? -1 : 0;
	fprintf(out, "  \"%s\": [\n", key);
	struct arr_job j = {.out = out, .fn = fn, .items = items, .n = n};
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.turn, NULL);
	struct arr_part p[2] = {{&j, 0, 2, {0}}, {&j, 1, 2, {0}}};
	je_init(&p[0].w, 2);
	je_init(&p[1].w, 2);
	pthread_t th;
	if (n > RANGE_LEN && pthread_create(&th, NULL, arr_part_run, &p[1]) == 0) {
		arr_part_run(&p[0]);
		pthread_join(th, NULL);
	} else {
		p[0].step = 1; /* one range, or no second thread: all of them here */
		arr_part_run(&p[0]);
	}
	je_free(&p[0].w);
	je_free(&p[1].w);
	pthread_cond_destroy(&j.turn);
	pthread_mutex_destroy(&j.mu);
	if (j.rc)
		return -1;
	fprintf(out, "  ]%s\n", last ? "" : ",");
	return 0;
}

static void stats_out(struct je *w, const struct res_stats *s)
{
	je_obj_open(w);
	je_key(w, "packets");
	je_count(w, s->packets);
	je_key(w, "decoded");
	je_count(w, s->decoded);
	je_key(w, "truncated");
	je_count(w, s->truncated);
	je_key(w, "malformed");
	je_count(w, s->malformed);
	je_key(w, "unsupported");
	je_count(w, s->unsupported);
	je_key(w, "non_ip");
	je_count(w, s->non_ip);
	je_key(w, "dropped");
	je_count(w, s->dropped);
	je_obj_close(w);
}

int res_write_json(const struct result *r, FILE *out)
{
	struct je w;
	je_init(&w, 1); /* the root's members' values */
	je_raw(&w, "{\n  \"tool\": ", 12);
	je_obj_open(&w);
	je_key(&w, "name");
	je_str(&w, "segscan");
	je_key(&w, "version");
	je_str(&w, r->tool_version);
	je_obj_close(&w);

	je_raw(&w, ",\n  \"scan\": ", 12);
	je_obj_open(&w);
	je_key(&w, "mode");
	je_str(&w, r->mode);
	je_key(&w, "started");
	je_time(&w, r->started);
	je_key(&w, "ended");
	je_time(&w, r->ended);
	je_key(&w, "capture_first");
	je_time(&w, r->capture_first);
	je_key(&w, "capture_last");
	je_time(&w, r->capture_last);
	je_key(&w, "inputs");
	strv(&w, &r->inputs);
	je_key(&w, "packets");
	je_count(&w, r->stats.packets);
	je_key(&w, "policy");
	if (r->policy_path) {
		je_obj_open(&w);
		je_key(&w, "path");
		je_str(&w, r->policy_path);
		je_key(&w, "sha256");
		je_str(&w, r->policy_sha256);
		je_key(&w, "site");
		je_str(&w, r->site);
		je_obj_close(&w);
	} else {
		je_null(&w);
	}
	je_obj_close(&w);

	je_raw(&w, ",\n  \"stats\": ", 13);
	stats_out(&w, &r->stats);
	je_raw(&w, ",\n", 2);
	int rc = je_flush(&w, out);
	je_free(&w);

	rc |= emit_array(out, "hosts", r->n_hosts, host_out, r->hosts, 0);
	rc |= emit_array(out, "flows", r->n_flows, flow_out, r->flows, 0);
	rc |= emit_array(out, "violations", r->n_violations, violation_out, r->violations, 1);
	fputs("}\n", out);
	return rc == 0 && !ferror(out) ? 0 : -1;
}
