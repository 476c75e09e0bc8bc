/*
 * monitor/privs.c - the state directory and the privilege drop (see
 * monitor/privs.h).
 */
#include "monitor/privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scanner/probe.h"

int mon_state_dir_prepare(const char *dir, char *err, size_t errsz)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s: not a directory", dir);
		return -1;
	}
	/* The records are evidence: nobody else reads them. */
	if (st.st_uid == geteuid() && (st.st_mode & 077) && chmod(dir, 0700) != 0) {
		snprintf(err, errsz, "chmod %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int become(const struct passwd *pw, const char *user, const char *state_dir, char *err,
                  size_t errsz)
{
	uid_t uid = pw->pw_uid;
	gid_t gid = pw->pw_gid;
	/* The state directory must stay writable by the new user. */
	struct stat st;
	if (stat(state_dir, &st) == 0 && st.st_uid == 0 && chown(state_dir, uid, gid) != 0) {
		snprintf(err, errsz, "chown %s: %s", state_dir, strerror(errno));
		return -1;
	}
	if (initgroups(pw->pw_name, gid) != 0) {
		snprintf(err, errsz, "initgroups(%s): %s", user, strerror(errno));
		return -1;
	}
	if (setgid(gid) != 0) {
		snprintf(err, errsz, "setgid(%ld): %s", (long)gid, strerror(errno));
		return -1;
	}
	if (setuid(uid) != 0) {
		snprintf(err, errsz, "setuid(%ld): %s", (long)uid, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0 || seteuid(0) == 0) {
		snprintf(err, errsz, "-Z %s: root could be regained after setuid; refusing to run",
		         user);
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getgid() != gid || getegid() != gid) {
		snprintf(err, errsz, "-Z %s: user or group ids did not change", user);
		return -1;
	}
	return 0;
}

int mon_drop_privileges(const char *user, const char *state_dir, char *err, size_t errsz)
{
	if (user) {
		errno = 0;
		struct passwd *pw = getpwnam(user);
		if (!pw) {
			snprintf(err, errsz, "-Z %s: %s", user,
			         errno ? strerror(errno) : "no such user");
			return -1;
		}
		if (pw->pw_uid == 0) {
			snprintf(err, errsz, "-Z %s: refusing to run as a user with uid 0", user);
			return -1;
		}
		if (geteuid() != 0) {
			snprintf(err, errsz, "-Z %s needs to be started as root", user);
			return -1;
		}
		if (become(pw, user, state_dir, err, errsz) != 0)
			return -1;
	}
	return probe_priv_drop(err, errsz);
}
