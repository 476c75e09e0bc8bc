/*
 * monitor/privs.h - what the monitor may touch and who it runs as: the
 * state directory it keeps, and the privileges it gives up once its
 * captures are open.
 *
 * Library code: errors come back as -1 with one line in err (never
 * anything read from a file).
 */
#ifndef SS_MON_PRIVS_H
#define SS_MON_PRIVS_H

#include <stddef.h>

/* Creates dir 0700 if absent; refuses anything that is not a directory;
 * narrows a directory of ours that others may read to 0700. */
int mon_state_dir_prepare(const char *dir, char *err, size_t errsz);

/* -Z user: initgroups, setgid, setuid, each checked, and root must be out
 * of reach afterwards (the state directory is handed to user when root
 * owns it). user NULL: the ids stay. In every case no capability is kept
 * and no_new_privs is set. */
int mon_drop_privileges(const char *user, const char *state_dir, char *err, size_t errsz);

#endif
