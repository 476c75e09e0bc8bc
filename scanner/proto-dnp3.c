/*
 * scanner/proto-dnp3.c - DNP3 (IEEE 1815) over TCP or UDP.
 *
 * Follows IEEE 1815-2012 clause 9 (data link layer): start octets 0x05
 * 0x64, length (5-255: control + addresses + user data), control,
 * destination and source (little-endian), then a CRC over those 8 octets.
 * The DNP3 CRC is CRC-16 with polynomial 0x3D65, processed LSB first
 * (reflected 0xA6BC), initial value 0, final complement, sent low byte
 * first.
 *
 * Proof: start octets, a sane length and a matching header CRC - 16 bits
 * of checksum over a fixed layout leave no room for chance. Facts: a frame
 * with DIR = 0 comes from an outstation (the field device).
 */
#include <stdio.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

static uint16_t dnp3_crc(const uint8_t *p, size_t n)
{
	uint16_t crc = 0;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int b = 0; b < 8; b++)
			crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xa6bc) : (uint16_t)(crc >> 1);
	}
	return (uint16_t)~crc;
}

int dnp3_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	uint8_t hdr[8];
	if (!cur_copy(&c, hdr, sizeof(hdr)))
		return 0;
	uint16_t crc = cur_le16(&c);
	if (c.truncated || hdr[0] != 0x05 || hdr[1] != 0x64 || hdr[2] < 5)
		return 0;
	if (crc != dnp3_crc(hdr, sizeof(hdr)))
		return 0;
	/* DIR (bit 7 of control) is 1 from the master, 0 from an outstation. */
	if (!(hdr[3] & 0x80)) {
		f->cls = CLS_ICS;
		f->cls_weight = 40;
		snprintf(f->cls_why, sizeof(f->cls_why), "DNP3 outstation");
	}
	return 1;
}
