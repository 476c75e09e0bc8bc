/*
 * scanner/proto-ftp.c - FTP control connection (RFC 959, RFC 2228, RFC 2389,
 * RFC 2428, RFC 4217).
 *
 * Proof, server side: a greeting "220" SP/"-" text CRLF. SMTP greets the
 * same way (RFC 5321 4.2), so the greeting must either name FTP or come
 * from port 21, and never mention SMTP. Client side: a complete command
 * line with a command only FTP has (SYST, PASV, EPSV, TYPE, CWD, AUTH TLS,
 * ...), or USER/PASS/LIST/RETR, which POP3 shares, towards port 21.
 * A reply other than 220 is proof only from port 21. Facts: the banner
 * (app_detail) and what it says; a cleartext login is worth a note.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"
#include "scanner/proto-text.h"

#define FTP_PORT 21

/* Commands that exist in FTP only (RFC 959 4.1, RFC 2389, RFC 2428,
 * RFC 3659, RFC 4217). */
static const char *const ftp_only[] = {
    "SYST", "PASV", "EPSV", "EPRT", "PORT", "TYPE", "STOR", "STOU", "CWD",  "CDUP", "PWD",
    "XPWD", "FEAT", "OPTS", "NLST", "MKD",  "RMD",  "SIZE", "MDTM", "MLSD", "MLST", "PBSZ",
    "PROT", "ACCT", "REIN", "SMNT", "ALLO", "REST", "RNFR", "RNTO", "SITE", "ABOR",
};
/* Commands FTP shares with POP3 (RFC 1939): proof only towards port 21. */
static const char *const shared[] = {"USER", "PASS", "LIST", "RETR",
                                     "QUIT", "NOOP", "STAT", "DELE"};

static int command_is(struct cur line, const char *cmd)
{
	/* upper case as every client sends it: a shell line is not FTP */
	if (!txt_starts(&line, cmd, 0))
		return 0;
	cur_skip(&line, strlen(cmd));
	return !cur_left(&line) || cur_peek(&line, 0) == ' ';
}

static int client_line(const struct ident_in *in, struct cur line)
{
	/* "AUTH TLS"/"AUTH SSL" are FTP's (RFC 4217); SMTP says STARTTLS */
	if (txt_starts(&line, "AUTH TLS", 0) || txt_starts(&line, "AUTH SSL", 0))
		return 1;
	for (size_t i = 0; i < sizeof(ftp_only) / sizeof(ftp_only[0]); i++)
		if (command_is(line, ftp_only[i]))
			return 1;
	if (!in->p || in->p->dport != FTP_PORT)
		return 0;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		if (command_is(line, shared[i]))
			return 2;
	return 0;
}

static void banner_facts(const struct cur *text, struct ident_facts *f)
{
	static const struct {
		const char *token;
		const char *os;
		int os_w;
		enum ident_class cls;
		int cls_w;
	} known[] = {
	    {"Microsoft FTP Service", "Windows", 50, CLS_UNKNOWN, 0},
	    {"FileZilla Server", "Windows", 30, CLS_UNKNOWN, 0},
	    {"(Debian)", "Debian Linux", 50, CLS_UNKNOWN, 0},
	    {"(Ubuntu)", "Ubuntu Linux", 50, CLS_UNKNOWN, 0},
	    /* HP JetDirect print servers: "220 JD FTP Server Ready" */
	    {"JD FTP Server", NULL, 0, CLS_PRINTER, 40},
	};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (txt_find(text, known[i].token) < 0)
			continue;
		char why[80];
		txt_join(why, sizeof(why), "FTP banner '", known[i].token, (size_t)-1, "'");
		if (known[i].os)
			txt_os(f, known[i].os, known[i].os_w, why);
		if (known[i].cls != CLS_UNKNOWN)
			txt_cls(f, known[i].cls, known[i].cls_w, why);
	}
}

int ftp_identify(const struct ident_in *in, struct ident_facts *f)
{
	/* Pre-check, a necessary condition of the proof: a reply line opens
	 * with a digit '1'-'5', and every command client_line() accepts
	 * ("AUTH ...", ftp_only[], shared[]) with an upper-case letter
	 * (case-sensitive match); any other first byte is no proof. */
	if (!in->len)
		return 0;
	uint8_t b0 = in->data[0];
	if (!(b0 >= '1' && b0 <= '5') && !(b0 >= 'A' && b0 <= 'Z'))
		return 0;
	struct cur c = cur_make(in->data, in->len);
	struct cur line;
	if (!txt_line(&c, &line, 512))
		return 0;
	unsigned code = 0;
	struct cur t = line;
	int d0 = cur_peek(&t, 0);
	if (d0 >= '1' && d0 <= '5' && cur_left(&t) >= 4) {
		struct cur num = cur_sub(&t, 3);
		int sep = cur_peek(&t, 0);
		if (!txt_uint(&num, &code) || cur_left(&num) || (sep != ' ' && sep != '-'))
			return 0;
		cur_skip(&t, 1);
		if (txt_find(&line, "SMTP") >= 0)
			return 0;
		int from21 = in->p && in->p->sport == FTP_PORT;
		if (code == 220) {
			if (!from21 && txt_find(&t, "FTP") < 0)
				return 0;
			txt_copy(f->app_detail, sizeof(f->app_detail), &t);
			banner_facts(&t, f);
			txt_set(f->note, sizeof(f->note), "ftp: cleartext login");
			return 1;
		}
		return from21 && code >= 110 && code <= 553;
	}
	int k = client_line(in, line);
	if (!k)
		return 0;
	if (command_is(line, "USER") || command_is(line, "PASS"))
		txt_set(f->note, sizeof(f->note), "ftp: cleartext login");
	return 1;
}
