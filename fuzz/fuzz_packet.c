/*
 * fuzz/fuzz_packet.c - libFuzzer harness for the packet path: decoding,
 * identification, inventory, flow judging against a policy, export and the
 * JSON writer, exactly as `segscan audit -r` chains them.
 *
 * Input layout (every input is valid; a short tail is simply ignored):
 *
 *   byte 0        link type selector (low 4 bits index fuzz_dlts[]);
 *                 bit 7: also export once half-way (inv_export twice)
 *   bytes 1..4    capture start, seconds (big-endian), so schedules are hit
 *   then frames   [u16 big-endian length][that many bytes] ...
 *                 the first byte of each frame's length word also moves the
 *                 clock on by (byte & 0x0f) minutes
 *
 * Each frame is copied into its own heap buffer of exactly its length, so
 * AddressSanitizer catches a read one byte past a frame (which it would not
 * inside libFuzzer's single input buffer).
 *
 * The policy is examples/policy.yaml (or $SEGSCAN_FUZZ_POLICY), loaded once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/result.h"
#include "policy/policy.h"
#include "scanner/decode.h"
#include "scanner/inventory.h"

#ifndef FUZZ_ROOT
#define FUZZ_ROOT "."
#endif

#define FUZZ_MAX_FRAMES 4096

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int fuzz_dlts[16] = {
    SS_DLT_EN10MB, SS_DLT_EN10MB, SS_DLT_EN10MB,     SS_DLT_EN10MB,
    SS_DLT_EN10MB, SS_DLT_EN10MB, SS_DLT_NULL,       SS_DLT_SLIP,
    SS_DLT_RAW,    SS_DLT_RAW14,  SS_DLT_LOOP,       SS_DLT_LINUX_SLL,
    SS_DLT_IPV4,   SS_DLT_IPV6,   SS_DLT_LINUX_SLL2, SS_DLT_LINKTYPE_RAW,
};

static struct policy *fuzz_policy;
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *path = getenv("SEGSCAN_FUZZ_POLICY");
	if (!path)
		path = FUZZ_ROOT "/examples/policy.yaml";
	struct pol_error e;
	memset(&e, 0, sizeof(e));
	fuzz_policy = pol_load_file(path, &e);
	if (!fuzz_policy) {
		fprintf(stderr, "fuzz_packet: %s:%d:%d: %s\n", path, e.line, e.col, e.msg);
		exit(1);
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull) {
		perror("/dev/null");
		exit(1);
	}
	return 0;
}

static void export_and_write(struct inventory *inv)
{
	struct result *r = res_new("audit");
	inv_export(inv, NULL, r);
	res_sort(r);
	res_write_json(r, devnull);
	res_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 5)
		return 0;
	int dlt = fuzz_dlts[data[0] & 0x0f];
	int twice = data[0] & 0x80;
	ss_time ts = (ss_time)(((uint32_t)data[1] << 24) | ((uint32_t)data[2] << 16) |
	                       ((uint32_t)data[3] << 8) | (uint32_t)data[4]) *
	             1000000;
	size_t pos = 5, frames = 0, half = (size - 5) / 2 + 5;

	struct inventory *inv = inv_new(fuzz_policy);
	int exported_half = 0;
	while (pos + 2 <= size && frames < FUZZ_MAX_FRAMES) {
		size_t len = ((size_t)data[pos] << 8) | data[pos + 1];
		ts += (ss_time)(data[pos] & 0x0f) * 60 * 1000000 + 1000;
		pos += 2;
		if (len > size - pos)
			len = size - pos;
		/* Exact-size copy: the byte after the frame is a redzone. */
		uint8_t *frame = malloc(len ? len : 1);
		if (!frame)
			abort();
		memcpy(frame, data + pos, len);
		pos += len;
		frames++;

		struct pkt p;
		/* wirelen may exceed caplen, as with a short snaplen. */
		enum dec_status st = dec_packet(dlt, frame, len, len + (frames & 1 ? 0 : 4), &p);
		p.ts = ts;
		if (st == DEC_OK)
			inv_add(inv, &p);
		free(frame);

		if (twice && !exported_half && pos >= half) {
			export_and_write(inv);
			exported_half = 1;
		}
	}
	export_and_write(inv);
	inv_free(inv);
	return 0;
}
