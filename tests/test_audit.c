/*
 * tests/test_audit.c - Check suite for the audit pipeline
 * (scanner/audit.h) driven without a terminal: the example plant capture
 * with and without its policy, and two files read in order, each compared
 * with the hand-written expected result of its fixture
 * (tests/fixtures/NAME.expected.json, the same files run-fixtures.sh
 * checks the command against); a source that cannot be opened stops the
 * audit before any reading; the stop flag; a capture cut mid-record keeps
 * what came before the cut, says so through the callback and prints
 * nothing itself; the option combinations that are refused.
 * Runs from the top of the checkout (as make check does).
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "policy/policy.h"
#include "scanner/audit.h"
#include "tests/helper_jsoncmp.h"

/* ---- helpers ---- */

/* Every message of a run, "KIND:text" one per line, and the ready calls. */
struct seen {
	char log[8192];
	int ready;
};

static void collect(void *ctx, enum audit_msg kind, const char *text)
{
	struct seen *s = ctx;
	size_t n = strlen(s->log);
	snprintf(s->log + n, sizeof(s->log) - n, "%d:%s\n", (int)kind, text);
}

static void on_ready(void *ctx)
{
	((struct seen *)ctx)->ready++;
}

static struct audit_opts opts_for(const char *const *files, size_t n, struct seen *s)
{
	struct audit_opts o;
	memset(&o, 0, sizeof(o));
	o.files = files;
	o.n_files = n;
	o.msg = collect;
	o.msg_ctx = s;
	o.ready = on_ready;
	o.ready_ctx = s;
	return o;
}

/* The result as segscan writes it, parsed back. */
static json_t *as_json(const struct result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(res_write_json(r, f), 0);
	fclose(f);
	json_error_t e;
	json_t *v = json_loadb(buf, len, 0, &e);
	ck_assert_msg(v != NULL, "result JSON does not parse: %s", e.text);
	free(buf);
	return v;
}

/* Compares r with tests/fixtures/NAME.expected.json (0 differences). */
static void check_expected(const struct result *r, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/fixtures/%s.expected.json", name);
	json_error_t e;
	json_t *exp = json_load_file(path, 0, &e);
	ck_assert_msg(exp != NULL, "%s: %s", path, e.text);
	json_t *act = as_json(r);
	int diffs = jc_compare(exp, act, 0);
	ck_assert_msg(diffs == 0, "%d difference(s) from %s (listed above)", diffs, path);
	json_decref(exp);
	json_decref(act);
}

static void setup(void)
{
	/* Policy schedules are local time; the fixtures are written in UTC. */
	setenv("TZ", "UTC", 1);
	tzset();
}

/* ---- tests ---- */

START_TEST(plant_with_policy_matches_expected)
{
	char err[512] = "";
	struct pol_error pe;
	memset(&pe, 0, sizeof(pe));
	struct policy *pol = pol_load_file("examples/policy.yaml", &pe);
	ck_assert_msg(pol != NULL, "examples/policy.yaml: %s", pe.msg);
	static const char *const files[] = {"examples/plant.pcap"};
	struct seen s = {"", 0};
	struct audit_opts o = opts_for(files, 1, &s);
	o.pol = pol;
	struct audit_out out;
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), 0);
	ck_assert_str_eq(s.log, ""); /* nothing to say about a clean read */
	ck_assert_int_eq(s.ready, 1);
	ck_assert_int_eq(out.interrupted, 0);
	ck_assert_int_eq(out.probed, 0);
	ck_assert_uint_eq(out.capture.packets, 159);
	const struct result *r = out.res;
	ck_assert_str_eq(r->mode, "audit");
	ck_assert_uint_eq(r->inputs.n, 1);
	ck_assert_str_eq(r->inputs.v[0], "examples/plant.pcap");
	ck_assert_str_eq(r->policy_path, "examples/policy.yaml");
	ck_assert_str_eq(r->policy_sha256, pol_sha256(pol));
	ck_assert_uint_eq(r->stats.packets, 159);
	ck_assert_uint_gt(r->n_violations, 0); /* the fixture lists them by hand */
	check_expected(r, "plant-e2e");
	audit_out_free(&out);
	ck_assert_ptr_null(out.res);
	pol_free(pol);
}
END_TEST

START_TEST(plant_without_policy_matches_expected)
{
	char err[512] = "";
	static const char *const files[] = {"examples/plant.pcap"};
	struct seen s = {"", 0};
	struct audit_opts o = opts_for(files, 1, &s);
	struct audit_out out;
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), 0);
	ck_assert_ptr_null(out.res->policy_path);
	ck_assert_uint_eq(out.res->n_violations, 0);
	check_expected(out.res, "plant-e2e-nopolicy");
	audit_out_free(&out);
}
END_TEST

START_TEST(files_are_read_in_order)
{
	char err[512] = "";
	static const char *const files[] = {"tests/fixtures/split-a.pcap",
	                                    "tests/fixtures/split-b.pcap"};
	struct seen s = {"", 0};
	struct audit_opts o = opts_for(files, 2, &s);
	struct audit_out out;
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.res->inputs.n, 2);
	ck_assert_str_eq(out.res->inputs.v[0], files[0]);
	ck_assert_str_eq(out.res->inputs.v[1], files[1]);
	ck_assert_uint_eq(out.capture.packets, 3);
	check_expected(out.res, "multi-file");
	audit_out_free(&out);
}
END_TEST

/* Every source is opened before any is read: the missing second file
 * fails the audit at once, and nothing is read or announced. */
START_TEST(unopenable_source_stops_before_reading)
{
	char err[512] = "";
	static const char *const files[] = {"tests/fixtures/split-a.pcap",
	                                    "tests/fixtures/no-such-capture.pcap"};
	struct seen s = {"", 0};
	struct audit_opts o = opts_for(files, 2, &s);
	struct audit_out out;
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "no-such-capture.pcap") != NULL, "err: %s", err);
	ck_assert_ptr_null(out.res);
	ck_assert_int_eq(s.ready, 0);
	ck_assert_str_eq(s.log, "");
	audit_out_free(&out);

	/* A filter that does not compile is refused the same way. */
	static const char *const one[] = {"tests/fixtures/split-a.pcap"};
	o = opts_for(one, 1, &s);
	o.filter = "not a (filter";
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), -1);
	ck_assert_ptr_null(out.res);
	ck_assert_int_eq(s.ready, 0);
	audit_out_free(&out);
}
END_TEST

START_TEST(stop_flag_reports_what_was_read)
{
	char err[512] = "";
	static const char *const files[] = {"examples/plant.pcap"};
	struct seen s = {"", 0};
	volatile int stop = 1; /* as if Ctrl-C came before the first packet */
	struct audit_opts o = opts_for(files, 1, &s);
	o.stop = &stop;
	struct audit_out out;
	ck_assert_int_eq(audit_run(&o, &out, err, sizeof(err)), 0);
	ck_assert_int_eq(out.interrupted, 1);
	ck_assert_int_eq(s.ready, 1);
	ck_assert_str_eq(s.log, "0:interrupted: reporting what was read\n");
	ck_assert_uint_eq(out.res->stats.packets, 0);
	ck_assert_uint_eq(out.res->n_hosts, 0);
	ck_assert_uint_eq(out.res->inputs.n, 0);
	audit_out_free(&out);
}
END_TEST

/* A recorder killed mid-record leaves a cut file: the audit keeps every
 * packet before the cut and says so. */
START_TEST(cut_capture_keeps_packets_before_the_cut)
{
	char err[512] = "";
	FILE *in = fopen("examples/plant.pcap", "rb");
	ck_assert_ptr_nonnull(in);
	static unsigned char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	ck_assert_uint_gt(n, 2000);
	char path[] = "/tmp/segscan-test-audit-cut.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	/* Cut inside the last record: its header promises more bytes. */
	ck_assert_int_eq(write(fd, buf, n - 10), (ssize_t)(n - 10));
	close(fd);
	const char *files[] = {path};
	struct seen s = {"", 0};
	struct audit_opts o = opts_for(files, 1, &s);
	struct audit_out out;
	/* The warning comes through the callback: nothing on stderr. */
	FILE *errf = tmpfile();
	ck_assert_ptr_nonnull(errf);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fileno(errf), STDERR_FILENO);
	int rc = audit_run(&o, &out, err, sizeof(err));
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(fseek(errf, 0, SEEK_END), 0);
	ck_assert_int_eq(ftell(errf), 0);
	fclose(errf);
	unlink(path);
	ck_assert_uint_eq(out.res->stats.packets, 158);
	ck_assert_msg(strstr(s.log, "0:warning: ") == s.log, "log: %s", s.log);
	ck_assert_msg(strstr(s.log, "; kept the 158 packets before it\n") != NULL, "log: %s",
	              s.log);
	ck_assert_uint_gt(out.res->n_hosts, 0);
	audit_out_free(&out);
}
END_TEST

START_TEST(refused_option_combinations)
{
	char err[256];
	static const char *const files[] = {"a.pcap"};
	static const char *const ifaces[] = {"eth0", "eth1"};
	struct probe_opts po;
	probe_opts_init(&po);
	struct audit_opts o;
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "nothing to read: give -r FILE or -i IFACE");
	o.files = files;
	o.n_files = 1;
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), 0);
	o.ifaces = ifaces;
	o.n_ifaces = 1;
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "-r and -i cannot be combined");
	o.n_files = 0;
	o.probe = &po;
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), 0); /* no --probe: passive */
	po.write_probes = "probes.pcap";
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--target, --ports and --write-probes go with --probe");
	po.kinds = PROBE_ARP;
	po.iface = ifaces[0];
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), 0);
	o.n_ifaces = 2;
	ck_assert_int_eq(audit_opts_check(&o, err, sizeof(err)), -1);
	ck_assert_str_eq(err,
	                 "--probe needs exactly one -i IFACE, the interface the probes leave from");
	po.write_probes = NULL;
	probe_opts_free(&po);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *c = tcase_create("pipeline");
	tcase_add_checked_fixture(c, setup, NULL);
	tcase_set_timeout(c, 60);
	tcase_add_test(c, plant_with_policy_matches_expected);
	tcase_add_test(c, plant_without_policy_matches_expected);
	tcase_add_test(c, files_are_read_in_order);
	tcase_add_test(c, unopenable_source_stops_before_reading);
	tcase_add_test(c, stop_flag_reports_what_was_read);
	tcase_add_test(c, cut_capture_keeps_packets_before_the_cut);
	suite_add_tcase(s, c);
	c = tcase_create("options");
	tcase_add_test(c, refused_option_combinations);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(audit_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
