/*
 * scanner/proto-ssh.c - SSH protocol version exchange (RFC 4253 4.2).
 *
 * Proof: a complete line "SSH-protoversion-softwareversion[ SP comments]"
 * with protoversion 2.0, 1.99 or 1.5 (RFC 4253 5.1 and the SSH-1 drafts)
 * and a non-empty printable softwareversion, at most 255 bytes. A server
 * may send other lines first (RFC 4253 4.2); a few are skipped. Facts: the
 * software (app_detail) and what it says about the OS or device; SSH-1
 * and OpenSSH before 7.0 are end-of-life hints.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

/* OpenSSH before 7.0 (2015-08): 7.0 dropped SSH-1 and the 1024-bit DH
 * groups by default, and every OS release that shipped an older one is out
 * of support (RHEL/CentOS 6: 5.3p1, Debian 8: 6.7p1, Ubuntu 14.04: 6.6p1,
 * SLES 11: 6.2p2). So the threshold names an unmaintained system, not
 * merely an old default. */
#define OPENSSH_EOL_MAJOR 7

static void software_facts(const struct cur *sw, const struct cur *comment, struct ident_facts *f)
{
	char why[80], name[48];
	txt_copy(name, sizeof(name), sw);
	txt_join(why, sizeof(why), "SSH banner '", name, 60, "'");

	if (txt_starts(sw, "OpenSSH_for_Windows", 0)) {
		txt_os(f, "Windows", 50, why);
	} else if (txt_starts(sw, "OpenSSH_", 0)) {
		static const struct {
			const char *token;
			const char *os;
		} distro[] = {
		    {"Ubuntu", "Ubuntu Linux"},     {"Debian", "Debian Linux"},
		    {"Raspbian", "Raspbian Linux"}, {"FreeBSD", "FreeBSD"},
		    {"NetBSD", "NetBSD"},
		};
		/* The distribution marks the version or the comment, e.g.
		 * "OpenSSH_7.4p1 Debian-10+deb9u3", "OpenSSH_8.2p1 Ubuntu-4ubuntu0.5". */
		for (size_t i = 0; i < sizeof(distro) / sizeof(distro[0]); i++) {
			if (txt_find(sw, distro[i].token) >= 0 ||
			    txt_find(comment, distro[i].token) >= 0) {
				txt_os(f, distro[i].os, 50, why);
				break;
			}
		}
		struct cur v = *sw;
		unsigned major = 0;
		cur_skip(&v, strlen("OpenSSH_"));
		if (txt_uint(&v, &major) && major < OPENSSH_EOL_MAJOR)
			txt_join(f->eol, sizeof(f->eol), "", name, 48, " (OpenSSH before 7.0)");
	} else if (txt_starts(sw, "Cisco-", 0)) {
		/* Cisco's own SSH server: IOS and IOS-XE, routers and switches */
		txt_os(f, "Cisco IOS", 30, why);
		txt_cls(f, CLS_ROUTER, 30, why);
	} else if (txt_starts(sw, "ROSSSH", 0)) {
		txt_os(f, "MikroTik RouterOS", 50, why);
		txt_cls(f, CLS_ROUTER, 40, why);
	} else if (txt_starts(sw, "Comware-", 0)) {
		txt_os(f, "HPE/H3C Comware", 50, why);
		txt_cls(f, CLS_SWITCH, 30, why);
	} else if (txt_starts(sw, "HUAWEI-", 0)) {
		txt_os(f, "Huawei VRP", 30, why);
		txt_cls(f, CLS_ROUTER, 30, why);
	} else if (txt_starts(sw, "dropbear", 1)) {
		/* Dropbear is the SSH server of small Linux systems: routers,
		 * cameras, NAS, PLCs with Linux runtimes. */
		txt_os(f, "embedded Linux", 20, why);
		txt_cls(f, CLS_IOT, 20, why);
	} else if (txt_starts(sw, "Sun_SSH", 0)) {
		txt_os(f, "Solaris", 50, why);
	}
}

int ssh_identify(const struct ident_in *in, struct ident_facts *f)
{
	/* Pre-check, a necessary condition of the proof: the accepted line
	 * starts with "SSH-" - at offset 0 for a client (from_server 0 fails
	 * on any other first line), somewhere in the payload for a server
	 * that may send other lines first. */
	if (in->len < 4)
		return 0;
	if (memcmp(in->data, "SSH-", 4) != 0 &&
	    (in->from_server == 0 || !memmem(in->data, in->len, "SSH-", 4)))
		return 0;
	struct cur c = cur_make(in->data, in->len);
	struct cur line;
	for (int n = 0; n < 8 && txt_line(&c, &line, 255); n++) {
		if (!txt_eat(&line, "SSH-")) {
			/* only a server may send other lines first */
			if (in->from_server == 0)
				return 0;
			continue;
		}
		int proto1 = 0;
		if (txt_eat(&line, "1.99-") || txt_eat(&line, "1.5-"))
			proto1 = 1;
		else if (!txt_eat(&line, "2.0-"))
			return 0;
		struct cur sw = line;
		size_t k = 0;
		int ch;
		while ((ch = cur_peek(&line, k)) > 0x20 && ch < 0x7f)
			k++;
		if (!k || (ch >= 0 && ch != ' '))
			return 0;
		sw.end = sw.pos + k;
		cur_skip(&line, k);
		txt_copy(f->app_detail, sizeof(f->app_detail), &sw);
		software_facts(&sw, &line, f);
		if (proto1 && !f->eol[0])
			txt_set(f->eol, sizeof(f->eol), "SSH protocol 1 offered");
		return 1;
	}
	return 0;
}
