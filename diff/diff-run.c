/*
 * diff/diff-run.c - what `segscan diff` runs: one of the three diffs,
 * chosen by how many policies are given, counted and written to a file
 * atomically (common/atomic.h), so the command only parses options.
 */
#include <stdlib.h>

#include "common/atomic.h"
#include "common/util.h"
#include "diff/diff.h"

struct diff_run {
	struct diff_drift *drift;
	struct diff_policy *pol;
	struct diff_policy_change *change;
	enum diff_format fmt; /* for the writer */
};

struct diff_run *diff_run_new(const struct policy *const *p, size_t npol,
                              const struct result *const *r)
{
	struct diff_run *d = xcalloc(1, sizeof(*d));
	if (npol == 0)
		d->drift = diff_drift_new(r[0], r[1]);
	else if (npol == 1)
		d->pol = diff_policy_new(p[0], r[0]);
	else
		d->change = diff_policy_change_new(p[0], p[1], r[0]);
	return d;
}

size_t diff_run_found(const struct diff_run *d)
{
	if (d->drift)
		return diff_drift_count(d->drift);
	if (d->pol)
		return d->pol->found->n_violations;
	return d->change->n_changes;
}

static int write_run(void *ctx, FILE *out)
{
	const struct diff_run *d = ctx;
	if (d->drift)
		return diff_drift_write(d->drift, d->fmt, out);
	if (d->pol)
		return diff_policy_write(d->pol, d->fmt, out);
	return diff_policy_change_write(d->change, d->fmt, out);
}

int diff_run_write(struct diff_run *d, enum diff_format fmt, const char *path, char *err,
                   size_t errsz)
{
	d->fmt = fmt;
	return ss_atomic_write(path, 0666, write_run, d, err, errsz);
}

void diff_run_free(struct diff_run *d)
{
	if (!d)
		return;
	diff_drift_free(d->drift);
	diff_policy_free(d->pol);
	diff_policy_change_free(d->change);
	free(d);
}
