/*
 * scanner/probe-priv.c - the privilege sequence of the active probes, in
 * the manner of arp-scan's limit_capabilities / drop_capabilities, with the
 * raw capget/capset system calls (libcap is not a dependency).
 *
 *   probe_priv_limit()  keep only CAP_NET_RAW (permitted), none effective
 *   probe_priv_raise()  CAP_NET_RAW effective, around pcap_activate and
 *   probe_priv_lower()  libnet_init only
 *   probe_priv_drop()   no capability at all, for good, and no_new_privs
 *
 * Without the capability (an ordinary user, or a test) every step is a
 * harmless no-op and opening the handles fails with its own message. Run
 * as root, uid 0 stays but its capabilities go: after the drop it no longer
 * overrides file permissions (the result must go where root owns or may
 * write like anyone else). The better setup is an ordinary user and
 * `setcap cap_net_raw=ep segscan`.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "scanner/probe.h"

#define RAW_BIT (1u << CAP_NET_RAW) /* CAP_NET_RAW is 13: the first word */

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	memset(d, 0, 2 * sizeof(*d));
	return (int)syscall(SYS_capget, &h, d);
}

static int caps_set(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	return (int)syscall(SYS_capset, &h, d);
}

static int failed(const char *what, char *err, size_t errsz)
{
	snprintf(err, errsz, "%s: %s", what, strerror(errno));
	return -1;
}

int probe_priv_limit(char *err, size_t errsz)
{
	struct __user_cap_data_struct d[2];
	if (caps_get(d) != 0)
		return failed("capget", err, errsz);
	d[0].permitted &= RAW_BIT;
	d[0].effective = 0;
	d[0].inheritable = 0;
	memset(&d[1], 0, sizeof(d[1]));
	if (caps_set(d) != 0)
		return failed("capset (limit to CAP_NET_RAW)", err, errsz);
	return 0;
}

static int raw_effective(int on, char *err, size_t errsz)
{
	struct __user_cap_data_struct d[2];
	if (caps_get(d) != 0)
		return failed("capget", err, errsz);
	if (!(d[0].permitted & RAW_BIT))
		return 0; /* nothing to raise or lower */
	if (on)
		d[0].effective |= RAW_BIT;
	else
		d[0].effective &= ~RAW_BIT;
	if (caps_set(d) != 0)
		return failed(on ? "capset (raise CAP_NET_RAW)" : "capset (lower CAP_NET_RAW)", err,
		              errsz);
	return 0;
}

int probe_priv_raise(char *err, size_t errsz)
{
	return raw_effective(1, err, errsz);
}
int probe_priv_lower(char *err, size_t errsz)
{
	return raw_effective(0, err, errsz);
}

int probe_priv_drop(char *err, size_t errsz)
{
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	/* Ambient capabilities would survive into a child; none are wanted.
	 * Older kernels without ambient sets answer EINVAL: nothing to clear. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
		return failed("prctl (clear ambient capabilities)", err, errsz);
	if (caps_set(d) != 0)
		return failed("capset (drop all)", err, errsz);
	/* Check, do not assume: a drop that did not happen must be loud. */
	if (caps_get(d) != 0)
		return failed("capget", err, errsz);
	if (d[0].permitted || d[0].effective || d[1].permitted || d[1].effective) {
		snprintf(err, errsz, "capabilities still held after dropping them");
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return failed("prctl (no_new_privs)", err, errsz);
	return 0;
}
