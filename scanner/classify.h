/*
 * scanner/classify.h - what a device is: device class, OS and end-of-life
 * conclusions from everything identification learned about a host.
 *
 * Inputs are merged per host at export time; each conclusion carries the
 * evidence that decided it ("why"), shown to the user.
 */
#ifndef SS_CLASSIFY_H
#define SS_CLASSIFY_H

#include "model/result.h"
#include "scanner/ident.h"

struct classify_in {
	int router;                         /* recognised as a router by the inventory */
	const char *oui_vendor;             /* IEEE registry vendor, NULL if unknown */
	int mac_local;                      /* locally administered (randomised) MAC */
	const char *hostname;               /* NULL if unknown */
	uint64_t protos;                    /* ID_BIT()s of protocols spoken */
	uint64_t served;                    /* ID_BIT()s of protocols proven served */
	const struct res_service *services; /* open ports */
	size_t n_services;
	const struct ident_facts *facts; /* merged facts, NULL if none */
	uint8_t ttl_max;                 /* highest TTL sent from its own addresses, 0 unknown */
};

struct classify_out {
	enum ident_class cls;
	char cls_why[96];
	char os[64];
	char os_why[96];
	char eol[96]; /* an end-of-life conclusion, empty if none */
};

void classify_host(const struct classify_in *in, struct classify_out *out);

#endif
