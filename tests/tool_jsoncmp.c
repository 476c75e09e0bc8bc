/*
 * tests/tool_jsoncmp.c - compare a result against a partial expected JSON.
 *
 *     jsoncmp EXPECTED ACTUAL
 *
 * Exit 0 when ACTUAL matches, 1 with one line per difference (JSON path,
 * expected, actual), 2 on usage or unreadable input.
 *
 * Matching rules: tests/helper_jsoncmp.h.
 */
#include <jansson.h>
#include <stdio.h>

#include "tests/helper_jsoncmp.h"

static json_t *load(const char *path)
{
	json_error_t err;
	json_t *v = json_load_file(path, JSON_DECODE_ANY, &err);

	if (!v)
		fprintf(stderr, "jsoncmp: %s:%d:%d: %s\n", path, err.line, err.column, err.text);
	return v;
}

int main(int argc, char **argv)
{
	json_t *exp, *act;
	int count;

	if (argc != 3) {
		fprintf(stderr, "usage: jsoncmp EXPECTED ACTUAL\n");
		return 2;
	}
	exp = load(argv[1]);
	act = load(argv[2]);
	if (!exp || !act)
		return 2;
	count = jc_compare(exp, act, 0);
	if (count)
		printf("  %d difference%s (expected %s, actual %s)\n", count, count == 1 ? "" : "s",
		       argv[1], argv[2]);
	json_decref(exp);
	json_decref(act);
	return count ? 1 : 0;
}
