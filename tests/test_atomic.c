/*
 * tests/test_atomic.c - Check suite for common/atomic.c, the one way
 * segscan replaces a file: the content is replaced whole, the mode is the
 * one asked for (narrowed by the umask), nothing is left behind when the
 * writer fails, an existing temporary name (a symbolic link planted by
 * someone else) is never followed, "-" writes standard output, and the
 * directory that holds the file is synced.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/util.h"

/* ---- helpers ---- */

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/segscan-test-atomic.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
				char *p = xasprintf("%s/%s", tmpdir, e->d_name);
				unlink(p);
				free(p);
			}
		closedir(d);
	}
	rmdir(tmpdir);
}

/* Names in the test directory, sorted, joined by ' '. */
static char *listing(void)
{
	struct dirent **v;
	int n = scandir(tmpdir, &v, NULL, alphasort);
	ck_assert_int_ge(n, 0);
	char *s = xstrdup("");
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0) {
			char *t = xasprintf("%s%s%s", s, *s ? " " : "", v[i]->d_name);
			free(s);
			s = t;
		}
		free(v[i]);
	}
	free(v);
	return s;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static int write_text(void *ctx, FILE *out)
{
	return fputs(ctx, out) < 0 ? -1 : 0;
}

/* Writes half of its text, then fails, as a renderer hitting an error. */
static int write_then_fail(void *ctx, FILE *out)
{
	fputs(ctx, out);
	return -1;
}

/* ---- tests ---- */

START_TEST(replaces_content_whole)
{
	char *path = xasprintf("%s/result.json", tmpdir);
	char err[256] = "";
	put(path, "old content that is longer than the new one\n");
	ck_assert_int_eq(ss_atomic_write(path, 0666, write_text, "new\n", err, sizeof(err)), 0);
	char *got = slurp(path);
	ck_assert_str_eq(got, "new\n");
	free(got);
	char *names = listing();
	ck_assert_str_eq(names, "result.json"); /* no temporary left over */
	free(names);

	/* A new file is created the same way. */
	char *fresh = xasprintf("%s/fresh.html", tmpdir);
	ck_assert_int_eq(ss_atomic_write(fresh, 0666, write_text, "<p>", err, sizeof(err)), 0);
	got = slurp(fresh);
	ck_assert_str_eq(got, "<p>");
	free(got);
	names = listing();
	ck_assert_str_eq(names, "fresh.html result.json");
	free(names);
	free(fresh);
	free(path);
}
END_TEST

START_TEST(mode_is_narrowed_by_umask)
{
	char *pub = xasprintf("%s/report.html", tmpdir);
	char *priv = xasprintf("%s/state.json", tmpdir);
	char err[256] = "";
	mode_t old = umask(022);
	ck_assert_int_eq(ss_atomic_write(pub, 0666, write_text, "x", err, sizeof(err)), 0);
	ck_assert_int_eq(ss_atomic_write(priv, 0600, write_text, "y", err, sizeof(err)), 0);
	struct stat st;
	ck_assert_int_eq(stat(pub, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0644);
	ck_assert_int_eq(stat(priv, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	umask(077);
	ck_assert_int_eq(ss_atomic_write(pub, 0666, write_text, "z", err, sizeof(err)), 0);
	ck_assert_int_eq(stat(pub, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600); /* the replacement's mode, not the old file's */
	umask(old);
	free(pub);
	free(priv);
}
END_TEST

START_TEST(failing_writer_leaves_old_file_and_no_temporary)
{
	char *path = xasprintf("%s/result.json", tmpdir);
	char err[256] = "";
	put(path, "the old result\n");
	ck_assert_int_eq(
	    ss_atomic_write(path, 0666, write_then_fail, "half a res", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "write failed"));
	char *got = slurp(path);
	ck_assert_str_eq(got, "the old result\n");
	free(got);
	char *names = listing();
	ck_assert_str_eq(names, "result.json");
	free(names);

	/* Without an old file, nothing at all is left. */
	unlink(path);
	ck_assert_int_eq(ss_atomic_write(path, 0666, write_then_fail, "x", err, sizeof(err)), -1);
	names = listing();
	ck_assert_str_eq(names, "");
	free(names);
	free(path);
}
END_TEST

START_TEST(missing_directory_is_reported)
{
	char *path = xasprintf("%s/no/such/dir/r.json", tmpdir);
	char err[256] = "";
	ck_assert_int_eq(ss_atomic_write(path, 0666, write_text, "x", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no/such/dir/r.json"));
	ck_assert_ptr_nonnull(strstr(err, strerror(ENOENT)));
	free(path);
}
END_TEST

/* Someone who can write in the directory plants symbolic links at the
 * temporary names segscan will try, pointing at a file they want
 * overwritten: none is followed, none is removed, and the result still
 * lands under its name through a name that did not exist. */
START_TEST(refuses_to_follow_a_symlinked_temporary_name)
{
	char *path = xasprintf("%s/result.json", tmpdir);
	char *victim = xasprintf("%s/victim", tmpdir);
	char err[256] = "";
	put(victim, "precious\n");
	enum { PLANTED = 50 };
	for (int i = 0; i < PLANTED; i++) {
		char *tmp = xasprintf("%s.tmp.%ld.%d", path, (long)getpid(), i);
		ck_assert_int_eq(symlink(victim, tmp), 0);
		free(tmp);
	}
	ck_assert_int_eq(ss_atomic_write(path, 0666, write_text, "result\n", err, sizeof(err)), 0);
	char *got = slurp(victim);
	ck_assert_str_eq(got, "precious\n");
	free(got);
	got = slurp(path);
	ck_assert_str_eq(got, "result\n");
	free(got);
	struct stat st;
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	size_t links = 0;
	for (int i = 0; i < PLANTED; i++) {
		char *tmp = xasprintf("%s.tmp.%ld.%d", path, (long)getpid(), i);
		links += lstat(tmp, &st) == 0 && S_ISLNK(st.st_mode);
		free(tmp);
	}
	ck_assert_uint_eq(links, PLANTED);

	/* The target itself a symbolic link: replaced by the new file, and
	 * the file it pointed to untouched. */
	char *link = xasprintf("%s/linked.json", tmpdir);
	ck_assert_int_eq(symlink(victim, link), 0);
	ck_assert_int_eq(ss_atomic_write(link, 0666, write_text, "mine\n", err, sizeof(err)), 0);
	got = slurp(victim);
	ck_assert_str_eq(got, "precious\n");
	free(got);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	free(link);
	free(victim);
	free(path);
}
END_TEST

START_TEST(dash_writes_standard_output)
{
	char *capture = xasprintf("%s/stdout", tmpdir);
	char err[256] = "";
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	int fd = open(capture, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	int rc1 = ss_atomic_write("-", 0666, write_text, "to stdout\n", err, sizeof(err));
	int rc2 = ss_atomic_write(NULL, 0666, write_text, "and again\n", err, sizeof(err));
	int rc3 = ss_atomic_write("-", 0666, write_then_fail, "partial\n", err, sizeof(err));
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ck_assert_int_eq(rc1, 0);
	ck_assert_int_eq(rc2, 0);
	ck_assert_int_eq(rc3, -1);
	ck_assert_ptr_nonnull(strstr(err, "standard output"));
	char *got = slurp(capture);
	ck_assert_str_eq(got, "to stdout\nand again\npartial\n");
	free(got);
	unlink(capture);
	char *names = listing();
	ck_assert_str_eq(names, ""); /* no file called "-" */
	free(names);
	free(capture);
}
END_TEST

START_TEST(directory_sync)
{
	char *inside = xasprintf("%s/file", tmpdir);
	ck_assert_int_eq(ss_sync_parent_dir(inside), 0);
	ck_assert_int_eq(ss_sync_parent_dir("bare-name-in-cwd"), 0);   /* "." */
	ck_assert_int_eq(ss_sync_parent_dir("/bare-name-in-root"), 0); /* "/" */
	char *missing = xasprintf("%s/no/such/file", tmpdir);
	errno = 0;
	ck_assert_int_eq(ss_sync_parent_dir(missing), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* A file where the directory should be. */
	put(inside, "x");
	char *under_file = xasprintf("%s/file/child", tmpdir);
	errno = 0;
	ck_assert_int_eq(ss_sync_parent_dir(under_file), -1);
	ck_assert_int_eq(errno, ENOTDIR);
	free(under_file);
	free(missing);
	free(inside);
}
END_TEST

static Suite *atomic_suite(void)
{
	Suite *s = suite_create("atomic");
	TCase *c = tcase_create("write");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, replaces_content_whole);
	tcase_add_test(c, mode_is_narrowed_by_umask);
	tcase_add_test(c, failing_writer_leaves_old_file_and_no_temporary);
	tcase_add_test(c, missing_directory_is_reported);
	tcase_add_test(c, refuses_to_follow_a_symlinked_temporary_name);
	tcase_add_test(c, dash_writes_standard_output);
	tcase_add_test(c, directory_sync);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(atomic_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
