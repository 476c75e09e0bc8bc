/*
 * tests/test_hostile_render.c - a hostile saved result re-rendered as CSV
 * and text: C0 (ESC), C1 (U+0085, U+009B) and bidirectional controls
 * (U+202E, U+2066) never reach a cell, and a 100,000-character host name
 * is cut at Excel's 32,767 characters with a marker.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/result.h"
#include "reports/render.h"

#define HOSTILE                                                                                    \
	"ab\x1b[31mc\xc2\x85"                                                                      \
	"d\xc2\x9b"                                                                                \
	"e\xe2\x80\xae"                                                                            \
	"f\xe2\x81\xa6"                                                                            \
	"g"

static struct result *hostile_result(const char *name)
{
	struct result *r = res_new("audit");
	struct res_host *h = res_add_host(r);
	h->has_mac = 1;
	h->mac.b[0] = 0x02;
	h->mac.b[5] = 0x01;
	h->hostname = xstrdup(name);
	h->vendor = xstrdup(HOSTILE);
	h->device_class = xstrdup("unknown");
	h->first_seen = h->last_seen = SS_TIME_NONE;
	return r;
}

static char *render(const struct result *r, int csv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct res_render_opts o = {0};
	ck_assert_int_eq(csv ? res_write_csv_hosts(r, f, &o) : res_write_text(r, f, &o), 0);
	fclose(f);
	return buf;
}

static void assert_no_controls(const char *out, int csv)
{
	const unsigned char *u = (const unsigned char *)out;
	for (size_t i = 0; u[i]; i++) {
		ck_assert_msg(u[i] != 0x1b, "ESC at byte %zu", i);
		if (u[i] < 0x20)
			ck_assert_msg(u[i] == '\n' || (csv && u[i] == '\r') || u[i] == '\t',
			              "C0 0x%02x at byte %zu", u[i], i);
		ck_assert_msg(!(u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] < 0xa0), "C1 at %zu",
		              i);
		ck_assert_msg(!(u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] == 0xae),
		              "U+202E at %zu", i);
		ck_assert_msg(!(u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] == 0xa6),
		              "U+2066 at %zu", i);
	}
}

START_TEST(csv_and_text_drop_control_and_bidi_characters)
{
	struct result *r = hostile_result(HOSTILE);
	for (int csv = 0; csv <= 1; csv++) {
		char *out = render(r, csv);
		assert_no_controls(out, csv);
		/* The visible letters stay. */
		ck_assert_msg(strstr(out, csv ? "ab[31mcdefg" : "ab?[31mc?d?e?f?g") != NULL, "%s",
		              out);
		free(out);
	}
	res_free(r);
}
END_TEST

/* The longest run of bytes that are not a comma, quote or line end: the cell. */
static size_t longest_cell_chars(const char *out, int *has_marker)
{
	size_t best = 0, cur = 0;
	*has_marker = 0;
	for (const char *p = out; *p; p++) {
		if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n' || *p == ' ') {
			cur = 0;
			continue;
		}
		if (((unsigned char)*p & 0xc0) != 0x80)
			cur++;
		if (!strncmp(p, RES_CELL_CUT, 3))
			*has_marker = 1;
		if (cur > best)
			best = cur;
	}
	return best;
}

START_TEST(a_huge_cell_is_cut_at_32767_with_a_marker)
{
	size_t n = 100000;
	char *name = xmalloc(n + 1);
	memset(name, 'x', n);
	name[n] = 0;
	struct result *r = hostile_result(name);
	/* CSV: the vendor column; text: the headline's site (its table cuts
	 * every cell at 28 columns anyway). */
	free(r->hosts[0].vendor);
	r->hosts[0].vendor = xstrdup(name);
	r->site = xstrdup(name);
	for (int csv = 0; csv <= 1; csv++) {
		char *out = render(r, csv);
		int marker;
		size_t longest = longest_cell_chars(out, &marker);
		ck_assert_msg(longest == RES_CELL_MAX, "%s: longest cell %zu characters",
		              csv ? "csv" : "text", longest);
		ck_assert_msg(marker, "%s: no marker", csv ? "csv" : "text");
		free(out);
	}
	res_free(r);
	free(name);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hostile_render");
	TCase *c = tcase_create("cells");
	tcase_add_test(c, csv_and_text_drop_control_and_bidi_characters);
	tcase_add_test(c, a_huge_cell_is_cut_at_32767_with_a_marker);
	suite_add_tcase(s, c);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
