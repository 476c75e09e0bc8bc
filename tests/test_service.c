/*
 * tests/test_service.c - the monitor service driven as a library, without a
 * terminal: mon_service_run() refuses a hostile state directory (writable
 * by others, a symbolic link) and an interface that cannot be opened, with
 * one line for the operator, before it captures or drops anything.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/service.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/segscan-service.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct policy *policy(void)
{
	static const char y[] = "version: 1\nzones:\n  office: {kind: office, networks: "
	                        "[10.0.0.0/8]}\ndefault: allow\n";
	struct pol_error e;
	struct policy *p = pol_load_buffer("p.yaml", y, sizeof(y) - 1, &e);
	ck_assert_ptr_nonnull(p);
	return p;
}

/* Runs the service on state directory state; returns its status, err. */
static int run(const char *state, const char *iface, char *err, size_t errsz)
{
	static const char *ifs[1];
	ifs[0] = iface;
	struct mon_service_opts o;
	mon_service_defaults(&o);
	o.ifaces = ifs;
	o.n_ifaces = 1;
	o.policy_path = "p.yaml";
	o.state_dir = state;
	o.events_path = NULL;
	o.allow_root = 1;
	return mon_service_run(&o, policy(), err, errsz);
}

START_TEST(state_dir_writable_by_others_is_refused)
{
	char state[128], err[1400];
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(mkdir(state, 0700), 0);
	ck_assert_int_eq(chmod(state, 0777), 0);
	ck_assert_int_eq(run(state, "lo", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "lets others write") != NULL, "%s", err);
}
END_TEST

START_TEST(state_dir_symlink_is_refused)
{
	char real[128], link[128], err[1400];
	snprintf(real, sizeof(real), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	ck_assert_int_eq(mkdir(real, 0700), 0);
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(run(link, "lo", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "symbolic link") != NULL, "%s", err);
}
END_TEST

START_TEST(missing_interface_is_an_error_and_the_state_dir_is_private)
{
	char state[128], err[1400];
	snprintf(state, sizeof(state), "%s/fresh", dir);
	ck_assert_int_eq(run(state, "nosuchif0", err, sizeof(err)), -1);
	ck_assert_msg(err[0] != 0, "no reason given");
	struct stat st;
	ck_assert_int_eq(stat(state, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("service");
	TCase *c = tcase_create("start");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, state_dir_writable_by_others_is_refused);
	tcase_add_test(c, state_dir_symlink_is_refused);
	tcase_add_test(c, missing_interface_is_an_error_and_the_state_dir_is_private);
	suite_add_tcase(s, c);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
