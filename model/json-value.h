/*
 * model/json-value.h - the JSON forms of segscan's values (addresses,
 * times, protocols, counts), shared by every writer of JSON so a
 * field looks the same in a result, a diff and an event.
 */
#ifndef SS_JSON_VALUE_H
#define SS_JSON_VALUE_H

#include <jansson.h>

#include "model/result.h"

/* A string, or null for NULL; invalid UTF-8 (from hostile input) degrades
 * to '?' rather than losing the field. */
json_t *rj_str(const char *s);
json_t *rj_time(ss_time t);      /* ISO-8601 UTC, or null for SS_TIME_NONE */
json_t *rj_ip(const ss_ip *ip);  /* null when family is 0 */
json_t *rj_proto(uint8_t proto); /* "tcp", "udp", ..., null for 0 */
json_t *rj_count(uint64_t n);    /* clamped to INT64_MAX */

#endif
