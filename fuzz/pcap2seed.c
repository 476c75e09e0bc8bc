/*
 * fuzz/pcap2seed.c - turns capture files into seed inputs for
 * fuzz/fuzz_packet.c (its input layout is described there).
 *
 *   pcap2seed OUTDIR FILE.pcap[ng] ...
 *
 * Each capture gives up to MAX_SEEDS seeds of up to FRAMES_PER_SEED frames
 * (frames cut at MAX_FRAME bytes), named after the capture. The result is
 * meant to be minimised with libFuzzer's -merge=1 (make fuzz-seeds).
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEEDS       4
#define FRAMES_PER_SEED 16
#define MAX_FRAME       2048

/* The index of fuzz_dlts[] in fuzz_packet.c for a link type, -1 if none. */
static int selector(int dlt)
{
	switch (dlt) {
	case 1:
		return 0; /* Ethernet */
	case 0:
		return 6; /* BSD null */
	case 8:
		return 7; /* SLIP */
	case 12:
		return 8; /* raw */
	case 14:
		return 9;
	case 108:
		return 10; /* OpenBSD loop */
	case 113:
		return 11; /* Linux SLL */
	case 228:
		return 12; /* raw IPv4 */
	case 229:
		return 13; /* raw IPv6 */
	case 276:
		return 14; /* Linux SLL2 */
	case 101:
		return 15;
	default:
		return -1;
	}
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUTDIR CAPTURE...\n", argv[0]);
		return 2;
	}
	int written = 0;
	for (int a = 2; a < argc; a++) {
		char eb[PCAP_ERRBUF_SIZE];
		pcap_t *pc = pcap_open_offline(argv[a], eb);
		if (!pc) {
			fprintf(stderr, "%s: %s (skipped)\n", argv[a], eb);
			continue;
		}
		int sel = selector(pcap_datalink(pc));
		if (sel < 0) {
			fprintf(stderr, "%s: link type %d not decoded (skipped)\n", argv[a],
			        pcap_datalink(pc));
			pcap_close(pc);
			continue;
		}
		struct pcap_pkthdr *h;
		const u_char *d;
		int done = 0;
		for (int s = 0; s < MAX_SEEDS && !done; s++) {
			char out[4096];
			snprintf(out, sizeof(out), "%s/%s.%d", argv[1], base(argv[a]), s);
			FILE *f = NULL;
			int n = 0;
			while (n < FRAMES_PER_SEED) {
				int r = pcap_next_ex(pc, &h, &d);
				if (r != 1) {
					done = 1;
					break;
				}
				if (!f) {
					f = fopen(out, "wb");
					if (!f) {
						perror(out);
						return 1;
					}
					/* selector, then the capture's own first timestamp */
					uint32_t t = (uint32_t)h->ts.tv_sec;
					uint8_t hdr[5] = {(uint8_t)sel, (uint8_t)(t >> 24),
					                  (uint8_t)(t >> 16), (uint8_t)(t >> 8),
					                  (uint8_t)t};
					fwrite(hdr, 1, sizeof(hdr), f);
				}
				size_t len = h->caplen < MAX_FRAME ? h->caplen : MAX_FRAME;
				/* Low nibble of the high length byte is the clock step:
				 * frames up to 2048 bytes keep it at 0..8 minutes. */
				uint8_t lh[2] = {(uint8_t)(len >> 8), (uint8_t)len};
				fwrite(lh, 1, 2, f);
				fwrite(d, 1, len, f);
				n++;
			}
			if (f) {
				fclose(f);
				written++;
			}
		}
		pcap_close(pc);
	}
	fprintf(stderr, "pcap2seed: %d seeds in %s\n", written, argv[1]);
	return 0;
}
