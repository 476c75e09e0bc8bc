/*
 * common/atomic.c - replacing a file atomically (see common/atomic.h).
 */
#include "common/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"

int ss_sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir =
	    slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	/* Some file systems refuse fsync on a directory: nothing more to do. */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* Creates a fresh temporary file beside path; its name goes to *tmp. */
static int open_temp(const char *path, mode_t mode, char **tmp)
{
	static unsigned counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
		char *name = xasprintf("%s.tmp.%ld.%u", path, (long)getpid(), n);
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0) {
			*tmp = name;
			return fd;
		}
		int e = errno;
		free(name);
		if (e != EEXIST) {
			errno = e;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

int ss_atomic_write(const char *path, mode_t mode, ss_atomic_writer writer, void *ctx, char *err,
                    size_t errsz)
{
	if (!path || strcmp(path, "-") == 0) {
		errno = 0;
		int rc = writer(ctx, stdout);
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = -1;
		if (rc != 0)
			snprintf(err, errsz, "standard output: write failed: %s",
			         strerror(errno ? errno : EIO));
		return rc;
	}
	char *tmp = NULL;
	int fd = open_temp(path, mode, &tmp);
	if (fd < 0) {
		snprintf(err, errsz, "%s: cannot create a temporary file: %s", path,
		         strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		snprintf(err, errsz, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	errno = 0;
	int rc = writer(ctx, f) == 0 && !ferror(f) ? 0 : -1;
	int saved = rc ? (errno ? errno : EIO) : 0;
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
		saved = errno;
		rc = -1;
	}
	if (fclose(f) != 0 && rc == 0) {
		saved = errno;
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		saved = errno;
		rc = -1;
	}
	if (rc != 0) {
		snprintf(err, errsz, "%s: write failed: %s", path, strerror(saved ? saved : EIO));
		unlink(tmp);
	} else if (ss_sync_parent_dir(path) != 0) {
		snprintf(err, errsz, "%s: written, but its directory could not be synced: %s", path,
		         strerror(errno));
		rc = -1;
	}
	free(tmp);
	return rc;
}
