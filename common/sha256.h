/*
 * common/sha256.h - SHA-256 (FIPS 180-4), used to fingerprint the policy file
 * in every result so an auditor can tell which policy judged a scan.
 */
#ifndef SS_SHA256_H
#define SS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct ss_sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};

void ss_sha256_init(struct ss_sha256 *c);
void ss_sha256_update(struct ss_sha256 *c, const void *data, size_t n);
void ss_sha256_final(struct ss_sha256 *c, uint8_t out[32]);
/* Hex digest of a buffer into out (65 bytes). */
void ss_sha256_hex(const void *data, size_t n, char out[65]);

#endif
