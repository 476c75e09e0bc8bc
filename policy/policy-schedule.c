/*
 * policy/policy-schedule.c - time windows of allow rules.
 *
 * Syntax (see segscan-policy(5)): windows separated by ";", each
 *     [DAYS] HH:MM-HH:MM
 * DAYS is "daily", "weekdays", "weekends", or a comma list of days and day
 * ranges ("mon-fri", "sat,sun", "fri-mon"); omitted means daily. The start
 * minute is inside the window, the end minute is not. An end at or before
 * the start crosses midnight, and the days then name the day the window
 * starts: "fri 22:00-02:00" covers Friday 22:00 to Saturday 01:59.
 *
 * Windows are evaluated in local time of the capture timestamp with
 * localtime_r(), so TZ is respected and a backup window means the wall
 * clock time the site's backup job uses.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "policy/policy-internal.h"

static const char *const day_names[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
static const char *const day_long[7] = {"sunday",   "monday", "tuesday", "wednesday",
                                        "thursday", "friday", "saturday"};

static int parse_day(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++) {
		if (n == 3 && strncasecmp(s, day_names[i], 3) == 0)
			return i;
		if (n == strlen(day_long[i]) && strncasecmp(s, day_long[i], n) == 0)
			return i;
	}
	return -1;
}

/* "HH:MM" (H or HH, 0-23; MM 00-59); "24:00" only when allow24. Returns
 * minutes of the day or -1. */
static int parse_hhmm(const char *s, size_t n, int allow24)
{
	if (n < 4 || n > 5 || s[n - 3] != ':')
		return -1;
	size_t hl = n - 3;
	int h = 0;
	for (size_t i = 0; i < hl; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		h = h * 10 + (s[i] - '0');
	}
	if (!isdigit((unsigned char)s[n - 2]) || !isdigit((unsigned char)s[n - 1]))
		return -1;
	int m = (s[n - 2] - '0') * 10 + (s[n - 1] - '0');
	if (m > 59)
		return -1;
	if (h == 24 && m == 0 && allow24)
		return 24 * 60;
	if (h > 23)
		return -1;
	return h * 60 + m;
}

/* Parses the day part (no spaces inside) into a bit mask; -1 on error. */
static int parse_days(const char *s, size_t n, char *err, size_t errsz)
{
	if (n == 5 && strncasecmp(s, "daily", 5) == 0)
		return 0x7f;
	if (n == 8 && strncasecmp(s, "weekdays", 8) == 0)
		return 0x3e;
	if (n == 8 && strncasecmp(s, "weekends", 8) == 0)
		return 0x41;
	int mask = 0;
	size_t i = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && s[j] != ',')
			j++;
		/* one item s[i..j): day or day-day */
		const char *item = s + i;
		size_t ilen = j - i;
		const char *dash = memchr(item, '-', ilen);
		int a, b;
		if (dash) {
			a = parse_day(item, (size_t)(dash - item));
			b = parse_day(dash + 1, ilen - (size_t)(dash - item) - 1);
		} else {
			a = b = parse_day(item, ilen);
		}
		if (a < 0 || b < 0) {
			snprintf(err, errsz,
			         "bad weekday '%.*s' in schedule (use mon tue wed thu fri sat sun, "
			         "a range like mon-fri, or daily)",
			         (int)(ilen > 40 ? 40 : ilen), item);
			return -1;
		}
		/* Ranges wrap around the week: fri-mon is fri,sat,sun,mon. */
		for (int d = a;; d = (d + 1) % 7) {
			mask |= 1 << d;
			if (d == b)
				break;
		}
		i = j + 1;
	}
	return mask;
}

static int parse_window(const char *s, size_t n, struct pol_window *w, char *err, size_t errsz)
{
	/* trim */
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0) {
		snprintf(err, errsz, "empty schedule window");
		return -1;
	}
	/* The time range is the last word; the days, if any, come before it. */
	size_t k = n;
	while (k && !isspace((unsigned char)s[k - 1]))
		k--;
	const char *times = s + k;
	size_t tlen = n - k;
	int days = 0x7f;
	if (k) {
		size_t dl = k;
		while (dl && isspace((unsigned char)s[dl - 1]))
			dl--;
		for (size_t i = 0; i < dl; i++) {
			if (isspace((unsigned char)s[i])) {
				snprintf(err, errsz,
				         "bad schedule '%.*s': expected DAYS HH:MM-HH:MM (no "
				         "spaces in the "
				         "day list)",
				         (int)(n > 60 ? 60 : n), s);
				return -1;
			}
		}
		days = parse_days(s, dl, err, errsz);
		if (days < 0)
			return -1;
	}
	const char *dash = memchr(times, '-', tlen);
	int start = -1, end = -1;
	if (dash) {
		start = parse_hhmm(times, (size_t)(dash - times), 0);
		end = parse_hhmm(dash + 1, tlen - (size_t)(dash - times) - 1, 1);
	}
	if (start < 0 || end < 0) {
		snprintf(err, errsz,
		         "bad time range '%.*s' in schedule (expected HH:MM-HH:MM, 00:00-24:00)",
		         (int)(tlen > 40 ? 40 : tlen), times);
		return -1;
	}
	if (start == end) {
		snprintf(err, errsz, "empty time range '%.*s' in schedule", (int)tlen, times);
		return -1;
	}
	w->days = (uint8_t)days;
	w->start = (uint16_t)start;
	w->end = (uint16_t)end;
	return 0;
}

int pol_sched_parse(struct policy *p, const char *s, struct pol_sched *out, char *err, size_t errsz)
{
	size_t nw = 1;
	for (const char *c = s; *c; c++)
		if (*c == ';')
			nw++;
	if (nw > POL_MAX_WINDOWS) {
		snprintf(err, errsz, "too many schedule windows (at most %d)", POL_MAX_WINDOWS);
		return -1;
	}
	struct pol_window w[POL_MAX_WINDOWS];
	size_t n = 0;
	const char *c = s;
	for (;;) {
		const char *e = strchr(c, ';');
		size_t len = e ? (size_t)(e - c) : strlen(c);
		if (parse_window(c, len, &w[n], err, errsz) < 0)
			return -1;
		n++;
		if (!e)
			break;
		c = e + 1;
	}
	out->w = pol_alloc(p, n, sizeof(*out->w));
	memcpy(out->w, w, n * sizeof(*w));
	out->n = n;
	return 0;
}

int pol_sched_covers(const struct pol_sched *s, ss_time ts)
{
	if (s->n == 0)
		return 1;
	/* Floor division: a timestamp before 1970 still lands in the right second. */
	int64_t sec = ts / 1000000;
	if (ts % 1000000 < 0)
		sec--;
	time_t t = (time_t)sec;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 0;
	int minute = tm.tm_hour * 60 + tm.tm_min;
	int today = tm.tm_wday, yesterday = (tm.tm_wday + 6) % 7;
	for (size_t i = 0; i < s->n; i++) {
		const struct pol_window *w = &s->w[i];
		if (w->start < w->end) {
			if ((w->days >> today & 1) && minute >= w->start && minute < w->end)
				return 1;
		} else {
			/* Crosses midnight: the evening part belongs to today's window,
			 * the morning part to the window that started yesterday. */
			if ((w->days >> today & 1) && minute >= w->start)
				return 1;
			if ((w->days >> yesterday & 1) && minute < w->end)
				return 1;
		}
	}
	return 0;
}
