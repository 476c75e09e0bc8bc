/*
 * tests/helper_jsoncmp.h - compare a result against a partial expected JSON
 * (tests/fixtures/NAME.expected.json).
 *
 * Matching rules (EXPECTED is a pattern, ACTUAL the full document):
 *  - object: every key of the pattern must be in ACTUAL and match; extra
 *    keys are fine; pattern keys starting with "_" are comments.
 *  - the string "*" matches any present value (null included).
 *  - array: if its first element is the string "...subset", every other
 *    pattern element must match a distinct actual element and extra actual
 *    elements are allowed; otherwise the lengths must be equal too.
 *    Order never matters. Scalars compare as sets; objects and arrays are
 *    assigned to distinct actual elements by bipartite matching, so one
 *    loose pattern cannot steal the only element another pattern fits.
 *  - numbers: an expected integer needs an equal JSON integer (not 1.0);
 *    an expected real compares by value; null matches only null; strings
 *    and booleans exactly.
 */
#ifndef TP_JSONCMP_H
#define TP_JSONCMP_H

#include <jansson.h>

/* Number of differences between expected (the pattern) and actual; 0 when
 * actual matches. Unless quiet, prints one line per difference (JSON path,
 * expected, actual) on stdout. */
int jc_compare(const json_t *expected, const json_t *actual, int quiet);

#endif
