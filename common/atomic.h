/*
 * common/atomic.h - the one way segscan replaces a file: results (-o),
 * reports, diffs and the monitor's state all go through ss_atomic_write, so a
 * crash or a power cut leaves either the old file or the new one, never half
 * of one.
 */
#ifndef SS_ATOMIC_H
#define SS_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

typedef int (*ss_atomic_writer)(void *ctx, FILE *out);

/* Writes path through a temporary file beside it (PATH.tmp.PID.N, created
 * with O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC and mode, which the umask then
 * narrows: 0666 for an ordinary output, 0600 for private state; a name that
 * exists, a symbolic link included, is never opened: the next N is tried),
 * filled by writer (0 on success), flushed, fsync'ed, renamed over path, and
 * then the directory fsync'ed so the rename itself is durable. path "-" (or
 * NULL) writes to stdout instead (flushed, no rename). On a failure before
 * the rename the temporary file is removed and path is untouched; when only
 * the directory sync fails, path already holds the new content and the
 * failure is still reported. err then holds one line naming the file and the
 * system's reason (never anything read from a file). Returns 0 or -1. */
int ss_atomic_write(const char *path, mode_t mode, ss_atomic_writer writer, void *ctx, char *err,
                    size_t errsz);

/* fsyncs the directory that holds path ("." for a bare name, "/" for
 * "/name"). A file system that does not sync directories (EINVAL, EROFS,
 * ENOTSUP) is not an error. Returns 0, or -1 with errno when the directory
 * cannot be opened or the sync fails (EIO). */
int ss_sync_parent_dir(const char *path);

#endif
