/*
 * tests/helper_pipe.h - the whole packet path for tests: frames built with
 * helper_pcapgen go through dec_packet and inv_add, and inv_export turns
 * the inventory into a result the test inspects. One copy for every suite
 * that checks a behaviour end to end.
 */
#ifndef TP_PIPE_H
#define TP_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "model/result.h"
#include "scanner/inventory.h"
#include "tests/helper_pcapgen.h"

/* The inventory under test, its exported result, and the capture clock:
 * packet n is stamped 1700000000 s + n ms. */
struct tp_pipe {
	struct inventory *inv;
	struct result *res;
	int64_t clock_us;
};
extern struct tp_pipe tp;

void tp_setup(void); /* a fresh inventory without a policy, an empty result */
void tp_teardown(void);
/* Decodes an Ethernet frame (it must decode) and adds it at the next time. */
void tp_feed(const pg_frame *f);
/* IPv4 over Ethernet, built and fed: TCP with flags, TTL (0: 64) and an
 * optional payload; UDP with a payload. */
void tp_tcp4(const char *smac, const char *dmac, const char *sip, const char *dip, uint16_t sport,
             uint16_t dport, uint8_t flags, uint8_t ttl, const void *data, size_t n);
void tp_udp4(const char *smac, const char *dmac, const char *sip, const char *dip, uint16_t sport,
             uint16_t dport, const void *data, size_t n);
/* Hosts of tp.res by MAC or by one of their addresses; NULL if none. */
const struct res_host *tp_host_by_mac(const char *mac);
const struct res_host *tp_host_by_ip(const char *ip);

#endif
