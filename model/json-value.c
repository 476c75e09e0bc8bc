/*
 * model/json-value.c - JSON forms of segscan's values.
 */
#include "model/json-value.h"

#include <stdlib.h>
#include <string.h>

json_t *rj_str(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	char *copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j ? j : json_null();
}

json_t *rj_time(ss_time t)
{
	if (t == SS_TIME_NONE)
		return json_null();
	char b[SS_ISO_STRLEN];
	ss_time_iso(t, b);
	return json_string_nocheck(b); /* ASCII by construction, as below */
}

json_t *rj_ip(const ss_ip *ip)
{
	if (!ip->family)
		return json_null();
	char b[SS_IP_STRLEN];
	ss_ip_format(ip, b);
	return json_string_nocheck(b);
}

json_t *rj_count(uint64_t n)
{
	/* JSON integers are signed 64-bit here; a counter beyond that (only
	 * from merged hostile results) is clamped, never written negative. */
	return json_integer(n > (uint64_t)INT64_MAX ? (json_int_t)INT64_MAX : (json_int_t)n);
}

json_t *rj_proto(uint8_t proto)
{
	char b[8];
	return proto ? json_string_nocheck(res_proto_name(proto, b)) : json_null();
}
