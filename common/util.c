/*
 * common/util.c - allocation wrappers, time formatting, file reading.
 */
#include "common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void oom(void)
{
	fputs("segscan: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom();
	size_t bytes = n * size;
	void *q = realloc(p, bytes ? bytes : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s);
	char *d = xmalloc(n + 1);
	memcpy(d, s, n + 1);
	return d;
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = xmalloc(len + 1);
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	/* UBSan's null checks make gcc imagine a NULL fmt path here and
	 * warn (format-truncation); a NULL format is a bug anyway. */
	if (!fmt)
		abort();
	va_start(ap, fmt);
	char probe[1];
	int n = vsnprintf(probe, sizeof(probe), fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	char *s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Days since 1970-01-01 to a proleptic Gregorian date (the
 * civil-from-days algorithm: eras of 400 years, March-based years). Pure
 * arithmetic: gmtime_r takes glibc's time zone lock on every call, which
 * two threads writing a result would contend for. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                      /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void ss_time_iso(ss_time t, char out[SS_ISO_STRLEN])
{
	if (t == SS_TIME_NONE) {
		snprintf(out, SS_ISO_STRLEN, "-");
		return;
	}
	/* Floor division so times before 1970 still format. */
	int64_t sec = t / 1000000, us = t % 1000000;
	if (us < 0) {
		us += 1000000;
		sec--;
	}
	int64_t days = sec / 86400, sod = sec % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	int64_t year;
	int mon, mday;
	civil_from_days(days, &year, &mon, &mday);
	if (year < 0 || year > 9999) {
		/* Outside four-digit years (only from hostile input): what
		 * gmtime_r makes of it, or "-". */
		time_t tt = (time_t)sec;
		struct tm tm;
		if (!gmtime_r(&tt, &tm)) {
			snprintf(out, SS_ISO_STRLEN, "-");
			return;
		}
		/* A wide scratch buffer keeps the compiler's worst case (every
		 * field at INT_MAX) from truncating. */
		char tmp[128];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		         (int)(us / 1000));
		snprintf(out, SS_ISO_STRLEN, "%.*s", SS_ISO_STRLEN - 1, tmp);
		return;
	}
	/* Digits by hand: every host, flow and violation has two times, and
	 * snprintf was a tenth of writing a big result. */
	int f[] = {(int)(year / 100),
	           (int)(year % 100),
	           mon,
	           mday,
	           (int)(sod / 3600),
	           (int)(sod / 60 % 60),
	           (int)(sod % 60),
	           (int)(us / 1000)};
	static const char sep[] = {0, 0, '-', '-', 'T', ':', ':', '.'};
	char *o = out;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (sep[i])
			*o++ = sep[i];
		if (i == 7) /* milliseconds: three digits */
			*o++ = (char)('0' + f[i] / 100);
		*o++ = (char)('0' + f[i] / 10 % 10);
		*o++ = (char)('0' + f[i] % 10);
	}
	*o++ = 'Z';
	*o = '\0';
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int ss_time_parse_iso(const char *s, ss_time *out)
{
	int Y, M, D, h, m, sec;
	const char *p = s;
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' ||
	    digits(&p, 2, &D) || (*p != 'T' && *p != ' ') || !*p++ || digits(&p, 2, &h) ||
	    *p++ != ':' || digits(&p, 2, &m) || *p++ != ':' || digits(&p, 2, &sec))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return -1;
	int64_t frac_us = 0;
	if (*p == '.') {
		p++;
		int nd = 0;
		int64_t scale = 100000;
		while (*p >= '0' && *p <= '9') {
			if (nd < 6)
				frac_us += (*p - '0') * scale;
			scale /= 10;
			nd++;
			p++;
		}
		if (nd == 0)
			return -1;
	}
	int64_t off = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;
		p++;
		if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om))
			return -1;
		off = sign * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (*p)
		return -1;
	struct tm tm = {0};
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	*out = ((int64_t)t - off) * 1000000 + frac_us;
	return 0;
}

ss_time ss_time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (ss_time)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint32_t ss_hash_bytes(const void *p, size_t n, uint32_t seed)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

char *ss_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		errno = EISDIR;
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		if (r == 0)
			break;
		n += r;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void ss_lower(char *dst, const char *src, size_t dstsz)
{
	size_t i = 0;
	if (!dstsz)
		return;
	for (; src[i] && i + 1 < dstsz; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
	dst[i] = '\0';
}
