/*
 * scanner/classify.c - device class, OS and end-of-life conclusions.
 *
 * Claims are weighed: a device's own statement (EtherNet/IP ListIdentity,
 * LLDP capabilities) beats a banner or fingerprint, which beats a guess
 * from served protocols, which beats the initial TTL.
 */
#include "scanner/classify.h"

#include <stdio.h>
#include <string.h>

static void set_cls(struct classify_out *o, int *w, int weight, enum ident_class c,
                    const char *why)
{
	if (weight <= *w)
		return;
	*w = weight;
	o->cls = c;
	snprintf(o->cls_why, sizeof(o->cls_why), "%s", why);
}

void classify_host(const struct classify_in *in, struct classify_out *out)
{
	memset(out, 0, sizeof(*out));
	int w = 0;
	const struct ident_facts *f = in->facts;
	if (f && f->cls != CLS_UNKNOWN)
		set_cls(out, &w, f->cls_weight, f->cls, f->cls_why);
	if (in->router)
		set_cls(out, &w, 80, CLS_ROUTER, "forwards other hosts' traffic");
	if (f && f->os[0]) {
		snprintf(out->os, sizeof(out->os), "%s", f->os);
		snprintf(out->os_why, sizeof(out->os_why), "%s", f->os_why);
	}
	if (f && f->eol[0])
		snprintf(out->eol, sizeof(out->eol), "%s", f->eol);
}
