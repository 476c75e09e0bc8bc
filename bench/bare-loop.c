/*
 * bench/bare-loop.c - the reference for offline throughput: a bare libpcap
 * read loop (pcap_open_offline + pcap_next_ex) over a capture that reads
 * one byte of every 64-byte cache line of each packet, so the data really
 * reaches the CPU as it must for any decoder. Nothing is decoded or stored.
 *
 *     bare-loop FILE.pcap     prints "packets bytes seconds packets/s"
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE.pcap\n", argv[0]);
		return 2;
	}
	char eb[PCAP_ERRBUF_SIZE];
	double t0 = now();
	pcap_t *pc = pcap_open_offline(argv[1], eb);
	if (!pc) {
		fprintf(stderr, "%s: %s\n", argv[1], eb);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	uint64_t packets = 0, bytes = 0;
	unsigned sum = 0;
	int r;
	while ((r = pcap_next_ex(pc, &h, &d)) == 1) {
		packets++;
		bytes += h->caplen;
		for (bpf_u_int32 i = 0; i < h->caplen; i += 64)
			sum += d[i];
	}
	if (r == PCAP_ERROR)
		fprintf(stderr, "%s: %s\n", argv[1], pcap_geterr(pc));
	pcap_close(pc);
	double dt = now() - t0;
	printf("%llu %llu %.3f %.0f\n", (unsigned long long)packets, (unsigned long long)bytes, dt,
	       dt > 0 ? (double)packets / dt : 0.0);
	return sum == 0xffffffffu; /* keeps the loop from being optimised away */
}
