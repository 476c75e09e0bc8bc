/*
 * policy/policy-rules.c - the loaded rules read back for reports: names,
 * kinds, and their selectors, services and schedules rebuilt as policy
 * text. Used by `segscan diff -p` to name allow rules that never decided a
 * flow and to show what a rule says. Read-only: judging never comes here.
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy-internal.h"

/* Appends to a fixed buffer; once full, ends it with "..." and ignores
 * the rest so a long selector list is visibly cut, never silently. */
struct tbuf {
	char *b;
	size_t sz, len;
	int full;
};

static void tb_add(struct tbuf *t, const char *s)
{
	if (t->full)
		return;
	size_t n = strlen(s);
	if (t->len + n + 1 > t->sz) {
		size_t keep = t->sz > 4 ? t->sz - 4 : 0;
		if (t->len > keep)
			t->len = keep;
		snprintf(t->b + t->len, t->sz - t->len, "...");
		t->len = strlen(t->b);
		t->full = 1;
		return;
	}
	memcpy(t->b + t->len, s, n + 1);
	t->len += n;
}

static void sel_text(const struct policy *p, const struct pol_sel *s, char *out, size_t sz)
{
	struct tbuf t = {out, sz, 0, 0};
	out[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct pol_sel_item *it = &s->it[i];
		char buf[SS_IP_STRLEN + 4];
		if (i)
			tb_add(&t, ", ");
		switch (it->kind) {
		case POL_SEL_ANY:
			tb_add(&t, "any");
			break;
		case POL_SEL_ZONE:
			tb_add(&t, it->zone);
			break;
		case POL_SEL_ASSET:
			tb_add(&t, it->asset < p->n_assets ? p->assets[it->asset].name : "?");
			break;
		case POL_SEL_PREFIX:
			ss_prefix_format(&it->pfx, buf);
			tb_add(&t, buf);
			break;
		}
	}
}

static void svc_text(const struct pol_rule *r, char *out, size_t sz)
{
	struct tbuf t = {out, sz, 0, 0};
	out[0] = '\0';
	if (r->n_svc == 0) {
		tb_add(&t, "any");
		return;
	}
	for (size_t i = 0; i < r->n_svc; i++) {
		const struct pol_svc *s = &r->svc[i];
		char buf[32];
		/* A service name expands to consecutive entries sharing its app:
		 * written once, as the user wrote it. */
		if (s->app && i > 0 && r->svc[i - 1].app == s->app)
			continue;
		if (i)
			tb_add(&t, ", ");
		if (s->app) {
			tb_add(&t, s->app);
			continue;
		}
		const char *proto = s->proto == 6 ? "tcp" : s->proto == 17 ? "udp" : NULL;
		if (s->proto == 0)
			snprintf(buf, sizeof(buf), "any");
		else if (s->proto == POL_PROTO_ICMP)
			snprintf(buf, sizeof(buf), "icmp");
		else if (!proto)
			snprintf(buf, sizeof(buf), "proto %u", (unsigned)s->proto);
		else if (s->lo == 0 && s->hi == 65535)
			snprintf(buf, sizeof(buf), "%s", proto);
		else if (s->lo == s->hi)
			snprintf(buf, sizeof(buf), "%s/%u", proto, (unsigned)s->lo);
		else
			snprintf(buf, sizeof(buf), "%s/%u-%u", proto, (unsigned)s->lo,
			         (unsigned)s->hi);
		tb_add(&t, buf);
	}
}

static void days_text(uint8_t days, char *out, size_t sz)
{
	static const char *const names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
	struct tbuf t = {out, sz, 0, 0};
	out[0] = '\0';
	if ((days & 0x7f) == 0x7f) {
		tb_add(&t, "daily");
		return;
	}
	/* Runs of consecutive days, Monday first as people write them. */
	int first = 1;
	for (int k = 0; k < 7;) {
		int d = (k + 1) % 7;
		if (!(days >> d & 1)) {
			k++;
			continue;
		}
		int e = k;
		while (e + 1 < 7 && (days >> ((e + 2) % 7) & 1))
			e++;
		if (!first)
			tb_add(&t, ",");
		first = 0;
		tb_add(&t, names[d]);
		if (e > k) {
			tb_add(&t, "-");
			tb_add(&t, names[(e + 1) % 7]);
		}
		k = e + 1;
	}
}

static void sched_text(const struct pol_sched *s, char *out, size_t sz)
{
	struct tbuf t = {out, sz, 0, 0};
	out[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		const struct pol_window *w = &s->w[i];
		char days[48], buf[96];
		days_text(w->days, days, sizeof(days));
		snprintf(buf, sizeof(buf), "%s%s %02u:%02u-%02u:%02u", i ? "; " : "", days,
		         (unsigned)(w->start / 60), (unsigned)(w->start % 60),
		         (unsigned)(w->end / 60), (unsigned)(w->end % 60));
		tb_add(&t, buf);
	}
}

size_t pol_rule_count(const struct policy *p)
{
	return p ? p->n_forbid + p->n_allow : 0;
}

int pol_rule_at(const struct policy *p, size_t i, struct pol_rule_info *out)
{
	if (!p || !out || i >= p->n_forbid + p->n_allow)
		return -1;
	memset(out, 0, sizeof(*out));
	const struct pol_rule *r;
	if (i < p->n_forbid) {
		r = &p->forbid[i];
		out->kind = POL_RULE_FORBID;
		out->index = i;
	} else {
		r = &p->allow[i - p->n_forbid];
		out->kind = POL_RULE_ALLOW;
		out->index = i - p->n_forbid;
	}
	out->name = r->name;
	out->severity = r->severity;
	sel_text(p, &r->from, out->from, sizeof(out->from));
	sel_text(p, &r->to, out->to, sizeof(out->to));
	svc_text(r, out->services, sizeof(out->services));
	sched_text(&r->sched, out->schedule, sizeof(out->schedule));
	return 0;
}

int pol_default_allow(const struct policy *p)
{
	return p ? p->default_allow : 0;
}
