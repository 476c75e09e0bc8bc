/*
 * reports/i18n.c - the message catalogue (see reports/i18n.h): the table of
 * English and Japanese texts, placeholder filling, the labels of the codes
 * of the result model, and violation sentences in the reader's language.
 */
#include "reports/i18n.h"

#include <stdlib.h>
#include <string.h>

struct i18n_row {
	const char *name;
	const char *text[2]; /* indexed by enum res_lang */
};

#define I18N_ROW(id, en, ja) [id] = {#id, {en, ja}},
static const struct i18n_row catalogue[MSG__COUNT] = {I18N_MESSAGES(I18N_ROW)};
#undef I18N_ROW

const char *i18n(enum res_lang lang, enum msg_id id)
{
	if ((unsigned)id >= MSG__COUNT)
		return "";
	const char *s = catalogue[id].text[lang == RES_LANG_JA ? 1 : 0];
	return s ? s : "";
}

size_t i18n_key_count(void)
{
	return MSG__COUNT;
}

const char *i18n_key_name(enum msg_id id)
{
	return (unsigned)id < MSG__COUNT && catalogue[id].name ? catalogue[id].name : "";
}

/* A growing string; the renderers only ever build short sentences. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

char *i18n_fmt(enum res_lang lang, enum msg_id id, const char *const *keys, const char *const *vals,
               size_t n)
{
	const char *t = i18n(lang, id);
	struct sbuf b = {NULL, 0, 0};
	sb_add(&b, "", 0);
	while (*t) {
		const char *open = strchr(t, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!open || !close) {
			sb_add(&b, t, strlen(t));
			break;
		}
		sb_add(&b, t, (size_t)(open - t));
		size_t klen = (size_t)(close - open - 1);
		size_t k;
		for (k = 0; k < n; k++)
			if (strlen(keys[k]) == klen && strncmp(keys[k], open + 1, klen) == 0)
				break;
		if (k < n) {
			if (vals[k])
				sb_add(&b, vals[k], strlen(vals[k]));
		} else {
			sb_add(&b, open, klen + 2);
		}
		t = close + 1;
	}
	return b.p;
}

static enum msg_id lookup(const char *code, const char *const *codes, const enum msg_id *ids,
                          size_t n, enum msg_id other)
{
	if (code)
		for (size_t i = 0; i < n; i++)
			if (strcmp(code, codes[i]) == 0)
				return ids[i];
	return other;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sev_codes[] = {"critical", "high", "medium", "low"};

enum msg_id i18n_severity_id(const char *severity)
{
	static const enum msg_id ids[] = {MSG_SEV_CRITICAL, MSG_SEV_HIGH, MSG_SEV_MEDIUM,
	                                  MSG_SEV_LOW};
	return lookup(severity, sev_codes, ids, NELEM(ids), MSG_SEV_OTHER);
}

enum msg_id i18n_priority_id(const char *severity)
{
	static const enum msg_id ids[] = {MSG_PRIO_CRITICAL, MSG_PRIO_HIGH, MSG_PRIO_MEDIUM,
	                                  MSG_PRIO_LOW};
	return lookup(severity, sev_codes, ids, NELEM(ids), MSG_PRIO_LOW);
}

enum msg_id i18n_verdict_id(const char *verdict)
{
	static const char *const codes[] = {"intra_zone", "allowed", "violation", "local"};
	static const enum msg_id ids[] = {MSG_VERDICT_INTRA_ZONE, MSG_VERDICT_ALLOWED,
	                                  MSG_VERDICT_VIOLATION, MSG_VERDICT_LOCAL};
	return lookup(verdict ? verdict : "local", codes, ids, NELEM(ids), MSG_VERDICT_LOCAL);
}

/* The nine violation types of segscan.md, each with title, sentence, fix. */
static const char *const vtype_codes[] = {"forbidden_flow", "unallowed_flow", "outside_schedule",
                                          "eol_exposure",   "unknown_device", "asset_mismatch",
                                          "dual_homed",     "rogue_dhcp",     "unassigned_network"};
static const enum msg_id vtype_titles[] = {
    MSG_VT_FORBIDDEN_FLOW, MSG_VT_UNALLOWED_FLOW, MSG_VT_OUTSIDE_SCHEDULE,
    MSG_VT_EOL_EXPOSURE,   MSG_VT_UNKNOWN_DEVICE, MSG_VT_ASSET_MISMATCH,
    MSG_VT_DUAL_HOMED,     MSG_VT_ROGUE_DHCP,     MSG_VT_UNASSIGNED_NETWORK};
static const enum msg_id vtype_msgs[] = {
    MSG_VM_FORBIDDEN_FLOW, MSG_VM_UNALLOWED_FLOW, MSG_VM_OUTSIDE_SCHEDULE,
    MSG_VM_EOL_EXPOSURE,   MSG_VM_UNKNOWN_DEVICE, MSG_VM_ASSET_MISMATCH,
    MSG_VM_DUAL_HOMED,     MSG_VM_ROGUE_DHCP,     MSG_VM_UNASSIGNED_NETWORK};
static const enum msg_id vtype_fixes[] = {
    MSG_VF_FORBIDDEN_FLOW, MSG_VF_UNALLOWED_FLOW, MSG_VF_OUTSIDE_SCHEDULE,
    MSG_VF_EOL_EXPOSURE,   MSG_VF_UNKNOWN_DEVICE, MSG_VF_ASSET_MISMATCH,
    MSG_VF_DUAL_HOMED,     MSG_VF_ROGUE_DHCP,     MSG_VF_UNASSIGNED_NETWORK};

enum msg_id i18n_vtype_id(const char *type)
{
	return lookup(type, vtype_codes, vtype_titles, NELEM(vtype_titles), MSG_VT_OTHER);
}

void i18n_violation_text(const struct result *r, struct res_zone_index **zi,
                         const struct res_violation *v, enum res_lang lang, char **message,
                         char **fix)
{
	enum msg_id mid = lookup(v->type, vtype_codes, vtype_msgs, NELEM(vtype_msgs), MSG_VM_OTHER);
	enum msg_id fid =
	    lookup(v->type, vtype_codes, vtype_fixes, NELEM(vtype_fixes), MSG_VF_OTHER);
	/* English: the policy engine's own words are more specific than any
	 * template; the templates only stand in when a result lacks them. */
	if (lang == RES_LANG_EN && v->message && *v->message && v->fix && *v->fix) {
		*message = xstrdup(v->message);
		*fix = xstrdup(v->fix);
		return;
	}
	char src[SS_IP_STRLEN] = "", dst[SS_IP_STRLEN] = "", mac[SS_MAC_STRLEN] = "", svc[32];
	if (v->src.family)
		ss_ip_format(&v->src, src);
	if (v->dst.family)
		ss_ip_format(&v->dst, dst);
	if (v->has_mac)
		ss_mac_format(&v->mac, mac);
	res_service_str(v->proto, v->dport, svc, sizeof(svc));
	const char *sz = NULL, *dz = NULL;
	res_violation_zones(r, zi, v, &sz, &dz);
	const char *unk = i18n(lang, MSG_UNKNOWN);
	char who[SS_IP_STRLEN + SS_MAC_STRLEN + 16];
	if (*src && *mac)
		snprintf(who, sizeof(who), "%s (MAC %s)", src, mac);
	else if (*mac)
		snprintf(who, sizeof(who), "MAC %s", mac);
	else
		snprintf(who, sizeof(who), "%s", *src ? src : unk);
	static const char *const keys[] = {"src",  "dst", "src_zone", "dst_zone", "svc",
	                                   "rule", "mac", "who",      "type",     "message"};
	const char *vals[] = {*src ? src : unk,        *dst ? dst : unk,
	                      sz ? sz : unk,           dz ? dz : unk,
	                      *svc ? svc : unk,        v->rule ? v->rule : unk,
	                      *mac ? mac : unk,        who,
	                      v->type ? v->type : unk, v->message ? v->message : ""};
	char *m = i18n_fmt(lang, mid, keys, vals, NELEM(keys));
	char *f = i18n_fmt(lang, fid, keys, vals, NELEM(keys));
	if (lang == RES_LANG_EN && v->message && *v->message) {
		free(m);
		m = xstrdup(v->message);
	}
	if (lang == RES_LANG_EN && v->fix && *v->fix) {
		free(f);
		f = xstrdup(v->fix);
	}
	*message = m;
	*fix = f;
}
