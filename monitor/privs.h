/*
 * monitor/privs.h - what the monitor may touch and who it runs as.
 *
 * The privilege model (segscan(8), MONITOR): the monitor never keeps uid
 * 0. Started as root it becomes -Z USER, or without -Z the service user
 * `segscan` when it exists, or refuses to start (--allow-root insists: uid
 * 0 stays, without any capability). Every capture is opened first; then
 * the bounding set is cleared, the ids change (initgroups, setgid, setuid,
 * each checked, root out of reach afterwards), every capability goes and
 * no_new_privs is set; once started, a seccomp allow-list
 * (mon_sandbox) leaves only the system calls the service loop makes.
 *
 * The state directory must be a real directory (not a symbolic link),
 * owned by the user the monitor runs as (or by root, then handed to that
 * user) and writable by nobody else; it is created 0700 when absent, and
 * one that others may read is narrowed to 0700.
 *
 * Library code: errors come back as -1 with one line in err (never
 * anything read from a file).
 */
#ifndef SS_MON_PRIVS_H
#define SS_MON_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

#define MON_SERVICE_USER "segscan"

struct mon_privs {
	int change_ids; /* become uid/gid below */
	uid_t uid;      /* the user the monitor runs as in the end */
	gid_t gid;
	char user[64]; /* its name ("" when the ids stay) */
};

/* Decides who the monitor runs as: user (-Z), else MON_SERVICE_USER when
 * started as root and it exists, else the ids stay: refused for root unless
 * allow_root. 0, or -1 with err. */
int mon_privs_plan(const char *user, int allow_root, struct mon_privs *p, char *err, size_t errsz);

/* Creates dir 0700 if absent; refuses a symbolic link, anything but a
 * directory, a directory owned by another user than p's (root's is handed
 * over at the drop) or writable by group or others; narrows a readable one
 * to 0700. */
int mon_state_dir_prepare(const char *dir, const struct mon_privs *p, char *err, size_t errsz);

/* When the ids change: the event file's directory must let p's user create
 * the file again after log rotation (SIGHUP reopens it as that user).
 * path "-" or NULL: nothing to check. */
int mon_events_dir_check(const char *path, const struct mon_privs *p, char *err, size_t errsz);

/* Clears the bounding set, changes the ids as planned (the state directory
 * is handed to the user when root owns it), drops every capability and
 * sets no_new_privs. */
int mon_drop_privileges(const struct mon_privs *p, const char *state_dir, char *err, size_t errsz);

/* The seccomp allow-list of the running service: any other system call
 * fails with EPERM (no exec, no ptrace, no module or mount). */
int mon_sandbox(char *err, size_t errsz);

#endif
