/*
 * fuzz/seed-dump.c - collects policy seeds for fuzz/fuzz_policy.c from the
 * policy unit tests: linked into tests/test_policy with
 * -Wl,--wrap=pol_load_buffer (make fuzz-seeds), it writes every YAML text
 * the tests load (up to 64 KiB) to $SEED_DUMP_DIR/test-N.yaml before
 * loading it as usual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "policy/policy.h"

struct policy *__real_pol_load_buffer(const char *name, const char *buf, size_t len,
                                      struct pol_error *err);
struct policy *__wrap_pol_load_buffer(const char *name, const char *buf, size_t len,
                                      struct pol_error *err);

struct policy *__wrap_pol_load_buffer(const char *name, const char *buf, size_t len,
                                      struct pol_error *err)
{
	static unsigned n;
	const char *dir = getenv("SEED_DUMP_DIR");
	if (dir && len <= 65536) {
		char path[4096];
		/* Check forks a child per test: the pid keeps names apart. */
		snprintf(path, sizeof(path), "%s/test-%ld-%u.yaml", dir, (long)getpid(), n++);
		FILE *f = fopen(path, "wb");
		if (f) {
			fwrite(buf, 1, len, f);
			fclose(f);
		}
	}
	return __real_pol_load_buffer(name, buf, len, err);
}
