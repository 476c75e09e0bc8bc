/*
 * monitor/privs.c - the state directory, the privilege drop and the
 * sandbox (see monitor/privs.h).
 */
#include "monitor/privs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "scanner/probe.h"

int mon_privs_plan(const char *user, int allow_root, struct mon_privs *p, char *err, size_t errsz)
{
	memset(p, 0, sizeof(*p));
	p->uid = geteuid();
	p->gid = getegid();
	const char *name = user;
	if (!name && geteuid() == 0 && !allow_root) {
		errno = 0;
		if (!getpwnam(MON_SERVICE_USER)) {
			snprintf(err, errsz,
			         "refusing to run as root: give -Z USER, create the service user "
			         "(useradd --system --no-create-home --shell /usr/sbin/nologin "
			         "%s), or --allow-root to insist",
			         MON_SERVICE_USER);
			return -1;
		}
		name = MON_SERVICE_USER;
	}
	if (!name)
		return 0;
	errno = 0;
	struct passwd *pw = getpwnam(name);
	if (!pw) {
		snprintf(err, errsz, "-Z %s: %s", name, errno ? strerror(errno) : "no such user");
		return -1;
	}
	if (pw->pw_uid == 0) {
		snprintf(err, errsz, "-Z %s: refusing to run as a user with uid 0", name);
		return -1;
	}
	if (geteuid() != 0) {
		snprintf(err, errsz, "-Z %s needs to be started as root", name);
		return -1;
	}
	p->change_ids = 1;
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	snprintf(p->user, sizeof(p->user), "%s", name);
	return 0;
}

int mon_state_dir_prepare(const char *dir, const struct mon_privs *p, char *err, size_t errsz)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	/* O_NOFOLLOW|O_DIRECTORY: a symbolic link is refused, not followed. */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		struct stat lst;
		int link = lstat(dir, &lst) == 0 && S_ISLNK(lst.st_mode);
		snprintf(err, errsz, "%s: not a directory%s", dir,
		         link ? " (a symbolic link)" : "");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = -1;
	if (st.st_uid != geteuid() && st.st_uid != p->uid && !(p->change_ids && st.st_uid == 0)) {
		snprintf(err, errsz,
		         "%s: owned by uid %ld, not by the user the monitor runs as (uid %ld): "
		         "refused",
		         dir, (long)st.st_uid, (long)p->uid);
	} else if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errsz,
		         "%s: mode %04o lets others write into it: refused (chmod 700 %s)", dir,
		         (unsigned)(st.st_mode & 07777), dir);
	} else if ((st.st_mode & 077) && fchmod(fd, 0700) != 0) {
		/* The records are evidence: nobody else reads them. */
		snprintf(err, errsz, "chmod %s: %s", dir, strerror(errno));
	} else {
		rc = 0;
	}
	close(fd);
	return rc;
}

/* Whether uid (in group gid) may create files in a directory with st. */
static int may_write_dir(const struct stat *st, uid_t uid, gid_t gid)
{
	if (st->st_uid == uid)
		return (st->st_mode & S_IWUSR) && (st->st_mode & S_IXUSR);
	if (st->st_gid == gid)
		return (st->st_mode & S_IWGRP) && (st->st_mode & S_IXGRP);
	return (st->st_mode & S_IWOTH) && (st->st_mode & S_IXOTH);
}

int mon_events_dir_check(const char *path, const struct mon_privs *p, char *err, size_t errsz)
{
	if (!path || !strcmp(path, "-") || !p->change_ids)
		return 0;
	const char *slash = strrchr(path, '/');
	char *dir =
	    slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) != 0 || !may_write_dir(&st, p->uid, p->gid)) {
		snprintf(err, errsz,
		         "%s: %s cannot create files in %s, so the event file could not be "
		         "reopened after log rotation; give the directory to %s",
		         path, p->user, dir, p->user);
		rc = -1;
	}
	free(dir);
	return rc;
}

/* Empties the capability bounding set (needs CAP_SETPCAP: root before the
 * ids change); without it there is nothing a later exec could regain
 * anyway (no_new_privs), so EPERM for an ordinary user is not an error. */
static int clear_bounding_set(char *err, size_t errsz)
{
	for (int cap = 0; cap <= 63; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break; /* beyond the kernel's last capability */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && !(errno == EPERM && geteuid())) {
			snprintf(err, errsz, "prctl (drop capability %d from the bounding set): %s",
			         cap, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int become(const struct mon_privs *p, const char *state_dir, char *err, size_t errsz)
{
	/* The state directory must stay writable by the new user. */
	struct stat st;
	if (lstat(state_dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
	    chown(state_dir, p->uid, p->gid) != 0) {
		snprintf(err, errsz, "chown %s: %s", state_dir, strerror(errno));
		return -1;
	}
	if (initgroups(p->user, p->gid) != 0) {
		snprintf(err, errsz, "initgroups(%s): %s", p->user, strerror(errno));
		return -1;
	}
	if (setgid(p->gid) != 0) {
		snprintf(err, errsz, "setgid(%ld): %s", (long)p->gid, strerror(errno));
		return -1;
	}
	if (setuid(p->uid) != 0) {
		snprintf(err, errsz, "setuid(%ld): %s", (long)p->uid, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, errsz, "-Z %s: root could be regained after setuid; refusing to run",
		         p->user);
		return -1;
	}
	if (getuid() != p->uid || geteuid() != p->uid || getgid() != p->gid ||
	    getegid() != p->gid) {
		snprintf(err, errsz, "-Z %s: user or group ids did not change", p->user);
		return -1;
	}
	return 0;
}

int mon_drop_privileges(const struct mon_privs *p, const char *state_dir, char *err, size_t errsz)
{
	if (clear_bounding_set(err, errsz) != 0)
		return -1;
	if (p->change_ids && become(p, state_dir, err, errsz) != 0)
		return -1;
	return probe_priv_drop(err, errsz);
}

/* What the service loop, the state and report writers (with their writer
 * threads), the event writer, syslog and the sanitizers' runtime call. */
static const int allowed[] = {SCMP_SYS(read),
                              SCMP_SYS(write),
                              SCMP_SYS(readv),
                              SCMP_SYS(writev),
                              SCMP_SYS(pread64),
                              SCMP_SYS(pwrite64),
                              SCMP_SYS(lseek),
                              SCMP_SYS(open),
                              SCMP_SYS(openat),
                              SCMP_SYS(close),
                              SCMP_SYS(stat),
                              SCMP_SYS(fstat),
                              SCMP_SYS(lstat),
                              SCMP_SYS(newfstatat),
                              SCMP_SYS(statx),
                              SCMP_SYS(fsync),
                              SCMP_SYS(fdatasync),
                              SCMP_SYS(rename),
                              SCMP_SYS(renameat),
                              SCMP_SYS(renameat2),
                              SCMP_SYS(unlink),
                              SCMP_SYS(unlinkat),
                              SCMP_SYS(fcntl),
                              SCMP_SYS(dup),
                              SCMP_SYS(dup2),
                              SCMP_SYS(dup3),
                              SCMP_SYS(ioctl),
                              SCMP_SYS(poll),
                              SCMP_SYS(ppoll),
                              SCMP_SYS(select),
                              SCMP_SYS(pselect6),
                              SCMP_SYS(epoll_wait),
                              SCMP_SYS(epoll_pwait),
                              SCMP_SYS(socket),
                              SCMP_SYS(connect),
                              SCMP_SYS(sendto),
                              SCMP_SYS(sendmsg),
                              SCMP_SYS(recvfrom),
                              SCMP_SYS(recvmsg),
                              SCMP_SYS(getsockopt),
                              SCMP_SYS(setsockopt),
                              SCMP_SYS(getsockname),
                              SCMP_SYS(mmap),
                              SCMP_SYS(munmap),
                              SCMP_SYS(mremap),
                              SCMP_SYS(mprotect),
                              SCMP_SYS(madvise),
                              SCMP_SYS(brk),
                              SCMP_SYS(futex),
                              SCMP_SYS(set_robust_list),
                              SCMP_SYS(get_robust_list),
                              SCMP_SYS(rseq),
                              SCMP_SYS(clone),
                              SCMP_SYS(clone3),
                              SCMP_SYS(sched_yield),
                              SCMP_SYS(sched_getaffinity),
                              SCMP_SYS(gettid),
                              SCMP_SYS(getpid),
                              SCMP_SYS(getppid),
                              SCMP_SYS(getuid),
                              SCMP_SYS(geteuid),
                              SCMP_SYS(getgid),
                              SCMP_SYS(getegid),
                              SCMP_SYS(clock_gettime),
                              SCMP_SYS(clock_getres),
                              SCMP_SYS(gettimeofday),
                              SCMP_SYS(time),
                              SCMP_SYS(nanosleep),
                              SCMP_SYS(clock_nanosleep),
                              SCMP_SYS(rt_sigaction),
                              SCMP_SYS(rt_sigprocmask),
                              SCMP_SYS(rt_sigreturn),
                              SCMP_SYS(sigaltstack),
                              SCMP_SYS(tgkill),
                              SCMP_SYS(getrandom),
                              SCMP_SYS(uname),
                              SCMP_SYS(getrlimit),
                              SCMP_SYS(prlimit64),
                              SCMP_SYS(sysinfo),
                              SCMP_SYS(readlink),
                              SCMP_SYS(readlinkat),
                              SCMP_SYS(getdents64),
                              SCMP_SYS(exit),
                              SCMP_SYS(exit_group),
                              SCMP_SYS(restart_syscall),
                              SCMP_SYS(prctl),
                              SCMP_SYS(membarrier),
                              SCMP_SYS(getcwd)};

int mon_sandbox(char *err, size_t errsz)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx) {
		snprintf(err, errsz, "seccomp: cannot create a filter");
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]) && rc == 0; i++)
		if (allowed[i] >= 0) /* a name this architecture lacks is negative */
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc != 0) {
		snprintf(err, errsz, "seccomp: %s", strerror(-rc));
		return -1;
	}
	return 0;
}
