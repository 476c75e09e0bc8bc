/*
 * tests/test_vendor.c - IEEE registry lookup: CSV quoting, the longest
 * registered prefix wins, and Debian's real ieee-data is readable.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanner/vendor.h"

static char dir[] = "/tmp/segscan-vendor-XXXXXX";

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void setup(void)
{
	strcpy(dir, "/tmp/segscan-vendor-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("oui.csv", "Registry,Assignment,Organization Name,Organization Address\n"
	                      "MA-L,70B3D5,IEEE Registration Authority,445 Hoes Lane\n"
	                      "MA-L,001B1B,Siemens AG,\"Nuremberg, DE\"\n"
	                      "MA-L,00000C,\"Cisco Systems, Inc\",170 West Tasman\n");
	write_file("mam.csv", "Registry,Assignment,Organization Name,Organization Address\n"
	                      "MA-M,70B3D51,Medium Block Co,Somewhere\n");
	write_file("oui36.csv", "Registry,Assignment,Organization Name,Organization Address\n"
	                        "MA-S,70B3D5123,\"Small \"\"Quoted\"\" GmbH\",Else\n");
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *look(const struct vendor_db *db, const char *m)
{
	ss_mac mac;
	ck_assert_int_eq(ss_mac_parse(m, &mac), 0);
	return vnd_lookup(db, &mac);
}

START_TEST(longest_prefix_wins_across_registries)
{
	size_t n = 0;
	struct vendor_db *db = vnd_load(dir, &n);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(look(db, "70:b3:d5:12:34:56"), "Small \"Quoted\" GmbH"); /* 36 bits */
	ck_assert_str_eq(look(db, "70:b3:d5:1f:00:00"), "Medium Block Co");       /* 28 bits */
	ck_assert_str_eq(look(db, "70:b3:d5:f0:00:00"), "IEEE Registration Authority");
	ck_assert_str_eq(look(db, "00:00:0c:07:ac:01"), "Cisco Systems, Inc");
	ck_assert_str_eq(look(db, "00:1b:1b:50:00:20"), "Siemens AG");
	ck_assert_ptr_null(look(db, "00:11:22:33:44:55"));
	vnd_free(db);
}
END_TEST

START_TEST(missing_directory_gives_an_empty_database)
{
	size_t n = 99;
	struct vendor_db *db = vnd_load("/nonexistent/segscan", &n);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(look(db, "00:00:0c:07:ac:01"));
	vnd_free(db);
}
END_TEST

START_TEST(debian_ieee_data_is_read_at_run_time)
{
	if (access("/usr/share/ieee-data/oui.csv", R_OK) != 0) {
		fprintf(stderr, "skipped: ieee-data is not installed\n");
		return;
	}
	size_t n = 0;
	struct vendor_db *db = vnd_load("/usr/share/ieee-data", &n);
	ck_assert_uint_gt(n, 20000);
	const char *v = look(db, "00:00:0c:07:ac:01");
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(strstr(v, "Cisco"));
	v = look(db, "00:1b:1b:00:00:01");
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(strstr(v, "Siemens"));
	vnd_free(db);
}
END_TEST

START_TEST(locally_administered_and_group_bits)
{
	ss_mac m;
	ck_assert_int_eq(ss_mac_parse("da:a1:19:12:34:56", &m), 0);
	ck_assert_int_eq(ss_mac_is_locally_admin(&m), 1);
	ck_assert_int_eq(ss_mac_parse("00:1b:1b:00:00:01", &m), 0);
	ck_assert_int_eq(ss_mac_is_locally_admin(&m), 0);
	ck_assert_int_eq(ss_mac_parse("03:00:00:00:00:01", &m), 0);
	ck_assert_int_eq(ss_mac_is_locally_admin(&m), 0); /* multicast, not a device */
	ck_assert_int_eq(ss_mac_parse("001b.1b00.0001", &m), 0);
	ck_assert_int_eq(ss_mac_parse("00:1b:1b:00:00", &m), -1);
	ck_assert_int_eq(ss_mac_parse("00:1b:1b:00:00:0g", &m), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vendor");
	TCase *c = tcase_create("lookup");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, longest_prefix_wins_across_registries);
	tcase_add_test(c, missing_directory_gives_an_empty_database);
	tcase_add_test(c, debian_ieee_data_is_read_at_run_time);
	tcase_add_test(c, locally_administered_and_group_bits);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
