/*
 * tests/tool_genmalformed.c - writes malformed and hostile inputs for
 * tests/run-malformed.sh.
 *
 *     build/tests/tool_genmalformed OUTDIR
 *
 * Captures (broken pcap and pcapng files, byte by byte, with the frames
 * built by tests/helper_pcapgen), policies (deep nesting, alias bombs,
 * huge numbers, invalid UTF-8, NUL bytes, a 100 MB file...) and results
 * (deep nesting, invalid UTF-8, huge numbers, wrong types...). Nothing is
 * committed: the script generates them into a temporary directory on
 * every run (the 100 MB policy alone would be too big to keep).
 *
 * OUTDIR/MANIFEST lists one case per line:
 *
 *     KIND FILE EXPECT DESCRIPTION...
 *
 *   KIND    capture (segscan audit -r), policy (segscan policy check) or
 *           result (segscan report FILE -f text)
 *   EXPECT  error: exit 2 with a message naming the file;
 *           read:  exit 0 or 1 (a warning, if any, names the file); for
 *                  captures OUTDIR/FILE.expect.json, when present, is a
 *                  partial result (tests/tool_jsoncmp) the JSON must match;
 *           any:   either of the two.
 *
 * All captures start at 2024-03-04T05:06:07Z (Unix time 1709528767).
 */
#include "tests/helper_pcapgen.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/result.h"

#define T0    1709528767ull
#define T0_NS (T0 * 1000000000ull)
#define MS(n) (T0_NS + (uint64_t)(n)*1000000ull)

static const char *outdir;
static FILE *manifest;
static int failures;

static char *path_for(const char *name)
{
	size_t n = strlen(outdir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p) {
		perror("malloc");
		exit(2);
	}
	snprintf(p, n, "%s/%s", outdir, name);
	return p;
}

static void add_case(const char *kind, const char *name, const char *expect, const char *what)
{
	fprintf(manifest, "%s %s %s %s\n", kind, name, expect, what);
}

static FILE *create(const char *name)
{
	char *p = path_for(name);
	FILE *f = fopen(p, "wb");
	if (!f) {
		perror(p);
		exit(2);
	}
	free(p);
	return f;
}

static FILE *append(const char *name)
{
	char *p = path_for(name);
	FILE *f = fopen(p, "ab");
	if (!f) {
		perror(p);
		exit(2);
	}
	free(p);
	return f;
}

static void done(FILE *f, const char *name)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "genmalformed: writing %s failed\n", name);
		failures++;
	}
}

static void write_bytes(const char *name, const void *b, size_t n)
{
	FILE *f = create(name);
	if (n)
		fwrite(b, 1, n, f);
	done(f, name);
}

/* A partial expected result for jsoncmp, printf-style. */
static void expect_json(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void expect_json(const char *name, const char *fmt, ...)
{
	char en[512];
	snprintf(en, sizeof(en), "%s.expect.json", name);
	FILE *f = create(en);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	done(f, en);
}

static void le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void be32(uint8_t *p, uint32_t v)
{
	pg_put32(p, v);
}

/* ---- frames ---- */

/* Frame i: an ARP reply binding 10.10.1.(i+1) to 02:00:00:00:01:(i+1),
 * 60 bytes. */
static void frame(pg_frame *f, unsigned i)
{
	uint8_t sha[6] = {0x02, 0, 0, 0, 0x01, (uint8_t)(i + 1)};
	uint8_t tha[6] = {0x02, 0, 0, 0, 0x01, 0xfe};
	pg_frame_init(f);
	pg_eth(f, tha, sha, PG_ETH_ARP);
	pg_arp(f, PG_ARP_REPLY, sha, 0x0a0a0100u + i + 1, tha, 0x0a0a01feu);
	pg_pad(f, 60, 0);
}

/* Classic pcap header, little-endian. */
static void pcap_hdr(uint8_t h[24], uint32_t magic, uint32_t snaplen, uint32_t linktype)
{
	le32(h, magic);
	le16(h + 4, 2);
	le16(h + 6, 4);
	le32(h + 8, 0);
	le32(h + 12, 0);
	le32(h + 16, snaplen);
	le32(h + 20, linktype);
}

static void rec_hdr(uint8_t h[16], uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len)
{
	le32(h, sec);
	le32(h + 4, frac);
	le32(h + 8, caplen);
	le32(h + 12, len);
}

/* Writes a pcap header and n good frames (1 ms apart) to f. */
static void pcap_good(FILE *f, unsigned n, uint32_t snaplen)
{
	uint8_t h[24], r[16];
	pg_frame fr;
	pcap_hdr(h, 0xa1b2c3d4u, snaplen, 1);
	fwrite(h, 1, sizeof(h), f);
	for (unsigned i = 0; i < n; i++) {
		frame(&fr, i);
		rec_hdr(r, (uint32_t)T0, i * 1000u, (uint32_t)fr.len, (uint32_t)fr.len);
		fwrite(r, 1, sizeof(r), f);
		fwrite(fr.b, 1, fr.len, f);
	}
}

/* A pcapng file (SHB, one Ethernet IDB) with n good packets. */
static void pcapng_good(const char *name, unsigned n)
{
	pg_frame fr;
	char *p = path_for(name);
	pg_pcapng *w = pg_pcapng_open(p);
	free(p);
	if (!w)
		exit(2);
	pg_pcapng_idb(w, PG_LT_ETHERNET, 65535);
	for (unsigned i = 0; i < n; i++) {
		frame(&fr, i);
		pg_pcapng_epb(w, 0, MS(i), fr.b, fr.len, fr.len);
	}
	if (pg_pcapng_close(w) != 0)
		failures++;
}

/* ---- captures ---- */

static void gen_captures(void)
{
	uint8_t h[24], r[16];
	pg_frame fr;
	FILE *f;

	/* 10 of the 24 header bytes. */
	pcap_hdr(h, 0xa1b2c3d4u, 65535, 1);
	write_bytes("trunc-file-header.pcap", h, 10);
	add_case("capture", "trunc-file-header.pcap", "error", "file header cut at 10 bytes");

	f = create("trunc-record-header.pcap");
	pcap_good(f, 3, 65535);
	rec_hdr(r, (uint32_t)T0, 9000, 60, 60);
	fwrite(r, 1, 8, f);
	done(f, "trunc-record-header.pcap");
	add_case("capture", "trunc-record-header.pcap", "read",
	         "3 packets, then 8 of a 16-byte record header");
	expect_json("trunc-record-header.pcap", "{\"stats\": {\"packets\": 3, \"decoded\": 3}}");

	f = create("trunc-record-data.pcap");
	pcap_good(f, 3, 65535);
	frame(&fr, 3);
	rec_hdr(r, (uint32_t)T0, 9000, (uint32_t)fr.len, (uint32_t)fr.len);
	fwrite(r, 1, sizeof(r), f);
	fwrite(fr.b, 1, 40, f);
	done(f, "trunc-record-data.pcap");
	add_case("capture", "trunc-record-data.pcap", "read",
	         "3 packets, then 40 of 60 data bytes");
	expect_json("trunc-record-data.pcap", "{\"stats\": {\"packets\": 3, \"decoded\": 3}}");

	f = create("wrong-magic.pcap");
	pcap_good(f, 3, 65535);
	done(f, "wrong-magic.pcap");
	{
		/* Overwrite the magic with something that is no capture format. */
		char *p = path_for("wrong-magic.pcap");
		int fd = open(p, O_WRONLY);
		uint8_t bad[4] = {0xde, 0xad, 0xbe, 0xef};
		if (fd < 0 || pwrite(fd, bad, 4, 0) != 4)
			failures++;
		if (fd >= 0)
			close(fd);
		free(p);
	}
	add_case("capture", "wrong-magic.pcap", "error", "magic 0xdeadbeef");

	/* snaplen 64 in the header, a 100-byte record: libpcap reads the
	 * first 64 bytes and skips the rest. */
	f = create("caplen-over-snaplen.pcap");
	pcap_good(f, 2, 64);
	{
		pg_frame big;
		frame(&big, 2);
		pg_trailer(&big, 40, 0xaa);
		rec_hdr(r, (uint32_t)T0, 5000, (uint32_t)big.len, (uint32_t)big.len);
		fwrite(r, 1, sizeof(r), f);
		fwrite(big.b, 1, big.len, f);
	}
	frame(&fr, 3);
	rec_hdr(r, (uint32_t)T0, 6000, (uint32_t)fr.len, (uint32_t)fr.len);
	fwrite(r, 1, sizeof(r), f);
	fwrite(fr.b, 1, fr.len, f);
	done(f, "caplen-over-snaplen.pcap");
	add_case("capture", "caplen-over-snaplen.pcap", "read", "snaplen 64, one 100-byte record");
	expect_json("caplen-over-snaplen.pcap", "{\"stats\": {\"packets\": 4}}");

	/* A record claiming 300000 bytes (over libpcap's 256 KiB maximum). */
	f = create("caplen-300k.pcap");
	pcap_good(f, 2, 65535);
	rec_hdr(r, (uint32_t)T0, 5000, 300000, 300000);
	fwrite(r, 1, sizeof(r), f);
	frame(&fr, 2);
	fwrite(fr.b, 1, fr.len, f);
	done(f, "caplen-300k.pcap");
	add_case("capture", "caplen-300k.pcap", "read", "2 packets, then caplen 300000");
	expect_json("caplen-300k.pcap", "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	f = create("zero-snaplen.pcap");
	pcap_good(f, 3, 0);
	done(f, "zero-snaplen.pcap");
	add_case("capture", "zero-snaplen.pcap", "read", "snaplen 0 in the file header");
	expect_json("zero-snaplen.pcap", "{\"stats\": {\"packets\": 3, \"decoded\": 3}}");

	/* Nanosecond pcap: 07.123456789 must come out as 07.123, not as
	 * 123456789 microseconds (two minutes later). */
	{
		char *p = path_for("nanosecond.pcap");
		pg_pcap *w = pg_pcap_open(p, PG_LT_ETHERNET, 1, 65535);
		free(p);
		if (!w)
			exit(2);
		for (unsigned i = 0; i < 3; i++) {
			frame(&fr, i);
			if (pg_pcap_frame(w, T0_NS + 123456789ull + i * 1000000ull, &fr) != 0)
				failures++;
		}
		if (pg_pcap_close(w) != 0)
			failures++;
	}
	add_case("capture", "nanosecond.pcap", "read", "valid pcap with nanosecond timestamps");
	expect_json("nanosecond.pcap",
	            "{\"stats\": {\"packets\": 3, \"decoded\": 3},"
	            " \"scan\": {\"capture_first\": \"2024-03-04T05:06:07.123Z\","
	            " \"capture_last\": \"2024-03-04T05:06:07.125Z\"}}");

	/* Big-endian (swapped) classic pcap. */
	f = create("big-endian.pcap");
	be32(h, 0xa1b2c3d4u);
	h[4] = 0, h[5] = 2, h[6] = 0, h[7] = 4;
	be32(h + 8, 0);
	be32(h + 12, 0);
	be32(h + 16, 65535);
	be32(h + 20, 1);
	fwrite(h, 1, 24, f);
	for (unsigned i = 0; i < 2; i++) {
		frame(&fr, i);
		be32(r, (uint32_t)T0);
		be32(r + 4, i * 1000u);
		be32(r + 8, (uint32_t)fr.len);
		be32(r + 12, (uint32_t)fr.len);
		fwrite(r, 1, 16, f);
		fwrite(fr.b, 1, fr.len, f);
	}
	done(f, "big-endian.pcap");
	add_case("capture", "big-endian.pcap", "read", "big-endian pcap");
	expect_json("big-endian.pcap", "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	/* Timestamps going backwards: the span is still min..max. */
	f = create("ts-backwards.pcap");
	pcap_hdr(h, 0xa1b2c3d4u, 65535, 1);
	fwrite(h, 1, 24, f);
	{
		static const uint32_t secs[] = {100, 50, 200, 10, 150};
		for (unsigned i = 0; i < 5; i++) {
			frame(&fr, i);
			rec_hdr(r, (uint32_t)T0 + secs[i], 0, (uint32_t)fr.len, (uint32_t)fr.len);
			fwrite(r, 1, 16, f);
			fwrite(fr.b, 1, fr.len, f);
		}
	}
	done(f, "ts-backwards.pcap");
	add_case("capture", "ts-backwards.pcap", "read", "timestamps 100 50 200 10 150 s");
	expect_json("ts-backwards.pcap",
	            "{\"stats\": {\"packets\": 5, \"decoded\": 5},"
	            " \"scan\": {\"capture_first\": \"2024-03-04T05:06:17.000Z\","
	            " \"capture_last\": \"2024-03-04T05:09:27.000Z\"}}");

	/* Records of zero and of 5 bytes: counted as truncated, not fatal. */
	f = create("tiny-records.pcap");
	pcap_good(f, 1, 65535);
	rec_hdr(r, (uint32_t)T0, 2000, 0, 60);
	fwrite(r, 1, 16, f);
	frame(&fr, 1);
	rec_hdr(r, (uint32_t)T0, 3000, 5, 60);
	fwrite(r, 1, 16, f);
	fwrite(fr.b, 1, 5, f);
	done(f, "tiny-records.pcap");
	add_case("capture", "tiny-records.pcap", "read", "records of 0 and 5 bytes");
	expect_json("tiny-records.pcap",
	            "{\"stats\": {\"packets\": 3, \"decoded\": 1, \"truncated\": 2}}");

	/* Wire length below the captured length. */
	f = create("origlen-below-caplen.pcap");
	pcap_good(f, 1, 65535);
	frame(&fr, 1);
	rec_hdr(r, (uint32_t)T0, 3000, (uint32_t)fr.len, 20);
	fwrite(r, 1, 16, f);
	fwrite(fr.b, 1, fr.len, f);
	done(f, "origlen-below-caplen.pcap");
	add_case("capture", "origlen-below-caplen.pcap", "read", "origlen 20 < caplen 60");

	/* USER0 (147): nothing segscan decodes. */
	f = create("unsupported-linktype.pcap");
	pcap_hdr(h, 0xa1b2c3d4u, 65535, 147);
	fwrite(h, 1, 24, f);
	done(f, "unsupported-linktype.pcap");
	add_case("capture", "unsupported-linktype.pcap", "error", "link type 147 (USER0)");

	write_bytes("empty.pcap", "", 0);
	add_case("capture", "empty.pcap", "error", "a file of 0 bytes");

	{
		char *p = path_for("a-directory.pcap");
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			failures++;
		free(p);
	}
	add_case("capture", "a-directory.pcap", "error", "a directory as input");

	/* ---- pcapng ---- */
	{
		char *p = path_for("pcapng-unknown-blocks.pcapng");
		pg_pcapng *w = pg_pcapng_open(p);
		free(p);
		if (!w)
			exit(2);
		static const uint8_t body[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
		pg_pcapng_block(w, 0x0badf00du, body, sizeof(body)); /* before the IDB */
		pg_pcapng_idb(w, PG_LT_ETHERNET, 65535);
		for (unsigned i = 0; i < 3; i++) {
			frame(&fr, i);
			pg_pcapng_epb(w, 0, MS(i), fr.b, fr.len, fr.len);
			pg_pcapng_block(w, 0x40000bad + i, body, i * 3); /* local-use types */
		}
		pg_pcapng_block(w, 0x00000bad, body, 0); /* an empty body */
		if (pg_pcapng_close(w) != 0)
			failures++;
	}
	add_case("capture", "pcapng-unknown-blocks.pcapng", "read",
	         "pcapng with unknown block types around the packets");
	expect_json("pcapng-unknown-blocks.pcapng",
	            "{\"stats\": {\"packets\": 3, \"decoded\": 3}}");

	/* A pcapng file with one interface and n good packets. */
	pcapng_good("pcapng-oversized-block.pcapng", 2);
	f = append("pcapng-oversized-block.pcapng");
	{
		uint8_t b[12];
		le32(b, 0x00000bad);
		le32(b + 4, 0x7ffffff0u);
		le32(b + 8, 0);
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-oversized-block.pcapng");
	add_case("capture", "pcapng-oversized-block.pcapng", "read",
	         "2 packets, then a block of length 0x7ffffff0");
	expect_json("pcapng-oversized-block.pcapng",
	            "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	/* An oversized Enhanced Packet Block right after the IDB. */
	pcapng_good("pcapng-oversized-epb.pcapng", 0);
	f = append("pcapng-oversized-epb.pcapng");
	{
		uint8_t b[32];
		memset(b, 0, sizeof(b));
		le32(b, 6);
		le32(b + 4, 0x01000040u);  /* 16 MiB + 64 */
		le32(b + 20, 0x01000020u); /* caplen */
		le32(b + 24, 0x01000020u);
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-oversized-epb.pcapng");
	add_case("capture", "pcapng-oversized-epb.pcapng", "any",
	         "an EPB claiming 16 MiB, nothing after it");

	/* Two packets, then a block whose length (30) is not a multiple of 4. */
	pcapng_good("pcapng-blocklen-not-mult4.pcapng", 2);
	f = append("pcapng-blocklen-not-mult4.pcapng");
	{
		uint8_t b[30];
		memset(b, 0, sizeof(b));
		le32(b, 0x00000bad);
		le32(b + 4, 30);
		le32(b + 26, 30);
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-blocklen-not-mult4.pcapng");
	add_case("capture", "pcapng-blocklen-not-mult4.pcapng", "read",
	         "2 packets, then a block of length 30");
	expect_json("pcapng-blocklen-not-mult4.pcapng",
	            "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	/* A block shorter than its own header (length 8). */
	pcapng_good("pcapng-blocklen-8.pcapng", 1);
	f = append("pcapng-blocklen-8.pcapng");
	{
		uint8_t b[16];
		memset(b, 0, sizeof(b));
		le32(b, 6);
		le32(b + 4, 8);
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-blocklen-8.pcapng");
	add_case("capture", "pcapng-blocklen-8.pcapng", "read",
	         "1 packet, then a block of length 8");
	expect_json("pcapng-blocklen-8.pcapng", "{\"stats\": {\"packets\": 1, \"decoded\": 1}}");

	/* A packet on interface 5 when only interface 0 exists. */
	pcapng_good("pcapng-bad-interface.pcapng", 2);
	f = append("pcapng-bad-interface.pcapng");
	{
		uint8_t b[32 + 60];
		frame(&fr, 5);
		le32(b, 6);
		le32(b + 4, (uint32_t)sizeof(b));
		le32(b + 8, 5); /* interface id */
		le32(b + 12, 0);
		le32(b + 16, 0);
		le32(b + 20, 60);
		le32(b + 24, 60);
		memcpy(b + 28, fr.b, 60);
		le32(b + 88, (uint32_t)sizeof(b));
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-bad-interface.pcapng");
	add_case("capture", "pcapng-bad-interface.pcapng", "read",
	         "2 packets, then one on interface 5 of 1");
	expect_json("pcapng-bad-interface.pcapng", "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	/* An EPB whose captured length runs past the end of its block. */
	pcapng_good("pcapng-caplen-past-block.pcapng", 1);
	f = append("pcapng-caplen-past-block.pcapng");
	{
		uint8_t b[32 + 60];
		frame(&fr, 6);
		le32(b, 6);
		le32(b + 4, (uint32_t)sizeof(b));
		le32(b + 8, 0);
		le32(b + 12, 0);
		le32(b + 16, 0);
		le32(b + 20, 4000); /* caplen: far past the block */
		le32(b + 24, 4000);
		memcpy(b + 28, fr.b, 60);
		le32(b + 88, (uint32_t)sizeof(b));
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-caplen-past-block.pcapng");
	add_case("capture", "pcapng-caplen-past-block.pcapng", "read",
	         "1 packet, then an EPB with caplen 4000 in a 92-byte block");
	expect_json("pcapng-caplen-past-block.pcapng",
	            "{\"stats\": {\"packets\": 1, \"decoded\": 1}}");

	/* A packet block before any interface is described. */
	{
		char *p = path_for("pcapng-no-idb.pcapng");
		pg_pcapng *w = pg_pcapng_open(p);
		free(p);
		if (!w)
			exit(2);
		if (pg_pcapng_close(w) != 0)
			failures++;
	}
	f = append("pcapng-no-idb.pcapng");
	{
		uint8_t b[32 + 60];
		frame(&fr, 1);
		le32(b, 6);
		le32(b + 4, (uint32_t)sizeof(b));
		le32(b + 8, 0);
		le32(b + 12, 0);
		le32(b + 16, 0);
		le32(b + 20, 60);
		le32(b + 24, 60);
		memcpy(b + 28, fr.b, 60);
		le32(b + 88, (uint32_t)sizeof(b));
		fwrite(b, 1, sizeof(b), f);
	}
	done(f, "pcapng-no-idb.pcapng");
	add_case("capture", "pcapng-no-idb.pcapng", "any", "an EPB before any IDB");

	/* Cut in the middle of the third packet block. */
	pcapng_good("pcapng-truncated.pcapng", 3);
	{
		char *p = path_for("pcapng-truncated.pcapng");
		struct stat st;
		if (stat(p, &st) != 0 || truncate(p, st.st_size - 30) != 0)
			failures++;
		free(p);
	}
	add_case("capture", "pcapng-truncated.pcapng", "read", "cut 30 bytes before the end");
	expect_json("pcapng-truncated.pcapng", "{\"stats\": {\"packets\": 2, \"decoded\": 2}}");

	/* pcapng whose only interface has an unsupported link type. */
	{
		char *p = path_for("pcapng-unsupported-linktype.pcapng");
		pg_pcapng *w = pg_pcapng_open(p);
		free(p);
		if (!w)
			exit(2);
		pg_pcapng_idb(w, 147, 65535);
		frame(&fr, 0);
		pg_pcapng_epb(w, 0, MS(0), fr.b, fr.len, fr.len);
		if (pg_pcapng_close(w) != 0)
			failures++;
	}
	add_case("capture", "pcapng-unsupported-linktype.pcapng", "error", "pcapng, link type 147");
}

/* ---- policies ---- */

static const char *const good_head = "version: 1\n"
                                     "site: Hostile Test\n"
                                     "zones:\n"
                                     "  office:\n"
                                     "    kind: office\n"
                                     "    networks: [10.10.0.0/16]\n";

static void gen_policies(void)
{
	FILE *f;

	/* Sanity: the valid baseline the others break. */
	f = create("valid.yaml");
	fputs(good_head, f);
	done(f, "valid.yaml");
	add_case("policy", "valid.yaml", "read", "a valid minimal policy (baseline)");

	/* 100000 nested flow sequences in a zone's networks. */
	f = create("deep-nesting.yaml");
	fputs("version: 1\nzones:\n  office:\n    kind: office\n    networks: ", f);
	for (int i = 0; i < 100000; i++)
		fputc('[', f);
	for (int i = 0; i < 100000; i++)
		fputc(']', f);
	fputc('\n', f);
	done(f, "deep-nesting.yaml");
	add_case("policy", "deep-nesting.yaml", "error", "100000 nested flow sequences");

	/* Block mappings nested 500 deep. */
	f = create("deep-block-nesting.yaml");
	fputs("version: 1\nsite: x\nzones:\n", f);
	for (int i = 0; i < 500; i++) {
		for (int j = 0; j < i + 1; j++)
			fputs("  ", f);
		fprintf(f, "k%d:\n", i);
	}
	done(f, "deep-block-nesting.yaml");
	add_case("policy", "deep-block-nesting.yaml", "error", "block mappings nested 500 deep");

	/* Billion laughs. */
	f = create("alias-bomb.yaml");
	fputs("version: 1\n"
	      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
	      f);
	for (char c = 'b'; c <= 'j'; c++) {
		fprintf(f, "%c: &%c [", c, c);
		for (int i = 0; i < 9; i++)
			fprintf(f, "%s*%c", i ? "," : "", c - 1);
		fputs("]\n", f);
	}
	fputs("zones:\n  office:\n    kind: office\n    networks: *j\n", f);
	done(f, "alias-bomb.yaml");
	add_case("policy", "alias-bomb.yaml", "error", "billion laughs (9^10 via aliases)");

	f = create("merge-key.yaml");
	fputs("version: 1\nbase: &b {kind: office, networks: [10.10.0.0/16]}\n"
	      "zones:\n  office:\n    <<: *b\n",
	      f);
	done(f, "merge-key.yaml");
	add_case("policy", "merge-key.yaml", "error", "YAML merge key with an alias");

	f = create("huge-numbers.yaml");
	fputs(good_head, f);
	fputs("    vlans: [99999999999999999999999999999999, -1, 1e400, 0x7fffffffffffffff]\n"
	      "default: deny\n"
	      "allow:\n"
	      "  - {name: big, from: office, to: internet,"
	      " services: [tcp/99999999999999999999, udp/70000-80000, tcp/5-1]}\n",
	      f);
	done(f, "huge-numbers.yaml");
	add_case("policy", "huge-numbers.yaml", "error", "VLAN ids and ports beyond any range");

	f = create("huge-version.yaml");
	fputs("version: 184467440737095516160000000000000\nzones: {}\n", f);
	done(f, "huge-version.yaml");
	add_case("policy", "huge-version.yaml", "error", "a version of 36 digits");

	f = create("huge-prefix.yaml");
	fputs("version: 1\nzones:\n  office:\n    kind: office\n"
	      "    networks: [10.0.0.0/4294967304, \"fd00::/129\", 10.0.0.0/-1]\n",
	      f);
	done(f, "huge-prefix.yaml");
	add_case("policy", "huge-prefix.yaml", "error", "prefix lengths 2^32+8, 129, -1");

	f = create("invalid-utf8.yaml");
	fputs("version: 1\nsite: \"Plant \xff\xfe\xc3\x28 1\"\nzones: {}\n", f);
	done(f, "invalid-utf8.yaml");
	add_case("policy", "invalid-utf8.yaml", "error", "invalid UTF-8 in a quoted scalar");

	f = create("overlong-utf8.yaml");
	fputs("version: 1\nsite: Plant \xc0\xaf\xe0\x80\xaf \xed\xa0\x80\nzones: {}\n", f);
	done(f, "overlong-utf8.yaml");
	add_case("policy", "overlong-utf8.yaml", "error", "overlong UTF-8 and a surrogate");

	{
		static const char nul[] = "version: 1\nsite: Plant\0 1\nzones:\n  office:\n"
		                          "    kind: office\n    networks: [10.10.0.0/16]\n";
		write_bytes("nul-bytes.yaml", nul, sizeof(nul) - 1);
	}
	add_case("policy", "nul-bytes.yaml", "error", "a NUL byte inside a scalar");

	{
		static const char nul[] = "\0\0\0\0\0\0\0\0";
		write_bytes("only-nul.yaml", nul, sizeof(nul) - 1);
	}
	add_case("policy", "only-nul.yaml", "error", "8 NUL bytes");

	/* UTF-16 BOM with a UTF-8 body. */
	f = create("utf16-bom.yaml");
	fputs("\xff\xfe", f);
	fputs(good_head, f);
	done(f, "utf16-bom.yaml");
	add_case("policy", "utf16-bom.yaml", "error", "UTF-16LE BOM before UTF-8 text");

	/* 100 MB: a valid policy followed by 100 MB of comment lines. */
	f = create("huge-100mb.yaml");
	fputs(good_head, f);
	{
		char line[101];
		memset(line, 'x', sizeof(line) - 1);
		line[0] = '#';
		line[99] = '\n';
		line[100] = '\0';
		for (int i = 0; i < 1000000; i++)
			fputs(line, f);
	}
	done(f, "huge-100mb.yaml");
	add_case("policy", "huge-100mb.yaml", "error", "a valid policy and 100 MB of comments");

	/* Just under 4 MiB: 400000 list items (more YAML nodes than allowed). */
	f = create("wide-400k-nodes.yaml");
	fputs(good_head, f);
	fputs("    vlans: [", f);
	for (int i = 0; i < 400000; i++)
		fputs(i ? ",1" : "1", f);
	fputs("]\n", f);
	done(f, "wide-400k-nodes.yaml");
	add_case("policy", "wide-400k-nodes.yaml", "error", "400000 VLAN ids");

	/* A 2 MB scalar. */
	f = create("long-scalar.yaml");
	fputs("version: 1\nsite: ", f);
	for (int i = 0; i < 2000000; i++)
		fputc('a' + i % 26, f);
	fputs("\nzones: {}\n", f);
	done(f, "long-scalar.yaml");
	add_case("policy", "long-scalar.yaml", "error", "a site name of 2 MB");

	/* 5000 zones, each with a name of 200 characters. */
	f = create("many-long-zone-names.yaml");
	fputs("version: 1\nzones:\n", f);
	for (int i = 0; i < 5000; i++) {
		fputs("  z", f);
		for (int j = 0; j < 200; j++)
			fputc('a' + (i + j) % 26, f);
		fprintf(f, "%d: {kind: other, networks: [10.%d.%d.0/24]}\n", i, i / 256, i % 256);
	}
	done(f, "many-long-zone-names.yaml");
	add_case("policy", "many-long-zone-names.yaml", "error", "5000 zones with 200-char names");

	/* 3000 zones with valid names and 3000 allow rules between them. */
	f = create("many-zones-rules.yaml");
	fputs("version: 1\nzones:\n", f);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "  z%d: {kind: other, networks: [10.%d.%d.0/24]}\n", i, i / 256,
		        i % 256);
	fputs("default: deny\nallow:\n", f);
	for (int i = 0; i < 3000; i++)
		fprintf(f, "  - {name: r%d, from: z%d, to: z%d, services: [tcp/%d]}\n", i, i,
		        (i + 1) % 3000, 1 + i % 65535);
	done(f, "many-zones-rules.yaml");
	add_case("policy", "many-zones-rules.yaml", "any", "3000 zones and 3000 rules");

	f = create("tags.yaml");
	fputs("version: !!python/object:os.system 1\nzones: !custom {}\n", f);
	done(f, "tags.yaml");
	add_case("policy", "tags.yaml", "error", "explicit tags");

	f = create("two-documents.yaml");
	fputs(good_head, f);
	fputs("---\n", f);
	fputs(good_head, f);
	done(f, "two-documents.yaml");
	add_case("policy", "two-documents.yaml", "error", "two YAML documents");

	f = create("wrong-types.yaml");
	fputs("version: [1]\nsite: {a: b}\nzones: [office]\ndefault: 7\nallow: {x: y}\n", f);
	done(f, "wrong-types.yaml");
	add_case("policy", "wrong-types.yaml", "error", "every top-level key of the wrong type");

	f = create("bad-schedule.yaml");
	fputs(good_head, f);
	fputs("allow:\n  - {name: s, from: office, to: internet,"
	      " schedule: \"sun-sat 99:99-25:61, daily 23:59-00:00, mon-mon-mon 1:1-1:1\"}\n",
	      f);
	done(f, "bad-schedule.yaml");
	add_case("policy", "bad-schedule.yaml", "error", "impossible schedule windows");

	f = create("control-chars.yaml");
	fputs("version: 1\nsite: \"\\e[2J\\e]0;owned\\a\\x1b[31m\"\nzones:\n  office:\n"
	      "    kind: office\n    networks: [10.10.0.0/16]\n    owner: \"\\u202e\\u0000x\"\n",
	      f);
	done(f, "control-chars.yaml");
	add_case("policy", "control-chars.yaml", "any", "terminal escapes and NUL via escapes");

	write_bytes("empty.yaml", "", 0);
	add_case("policy", "empty.yaml", "error", "a file of 0 bytes");

	{
		char *p = path_for("a-directory.yaml");
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			failures++;
		free(p);
	}
	add_case("policy", "a-directory.yaml", "error", "a directory as policy");
}

/* ---- results ---- */

/* A valid result whose strings are as hostile as a result can hold. */
static void hostile_valid_result(const char *name)
{
	static const char *const evil[] = {
	    "<script>alert(1)</script>",
	    "\x1b[2J\x1b]0;owned\x07",
	    "a,b\",\"=cmd|' /C calc'!A0",
	    "\xe2\x80\xae"
	    "evil",
	    "line\nbreak\ttab\r",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
	};
	struct result *r = res_new("audit");
	r->started = r->ended = r->capture_first = r->capture_last = (ss_time)T0 * 1000000;
	r->site = strdup(evil[0]);
	r->policy_path = strdup(evil[1]);
	r->policy_sha256 = strdup("00");
	res_strv_add(&r->inputs, evil[2]);
	for (unsigned i = 0; i < 40; i++) {
		struct res_host *h = res_add_host(r);
		h->has_mac = (int)(i & 1);
		h->mac.b[0] = 0x02;
		h->mac.b[5] = (uint8_t)i;
		ss_ip ip;
		uint8_t b4[4] = {10, 10, 1, (uint8_t)i};
		ss_ip_from_v4(&ip, b4);
		res_host_add_ip(h, &ip);
		h->hostname = strdup(evil[i % 6]);
		h->vendor = strdup(evil[(i + 1) % 6]);
		h->zone = strdup(evil[(i + 2) % 6]);
		h->asset = strdup(evil[(i + 3) % 6]);
		h->device_class = strdup("plc");
		h->os = strdup(evil[(i + 4) % 6]);
		h->model = strdup(evil[(i + 5) % 6]);
		h->managed = (int)(i % 3) - 1;
		h->first_seen = h->last_seen = r->started;
		h->packets = (uint64_t)INT64_MAX - i; /* UINT64_MAX is written as -1 */
		res_strv_add(&h->protocols, "modbus");
		res_strv_add(&h->notes, evil[i % 6]);
		res_strv_add(&h->evidence, "arp");
		res_host_add_service(h, 6, (uint16_t)(65535 - i), evil[i % 6], (int)(i & 1));

		struct res_flow *fl = res_add_flow(r);
		fl->src = ip;
		uint8_t d4[4] = {8, 8, 8, (uint8_t)i};
		ss_ip_from_v4(&fl->dst, d4);
		fl->proto = (uint8_t)(i % 3 ? 6 : 17);
		fl->dport = (uint16_t)(i * 1000);
		fl->app = strdup(evil[i % 6]);
		fl->src_zone = strdup(evil[(i + 1) % 6]);
		fl->dst_zone = strdup("internet");
		fl->verdict = strdup("violation");
		fl->rule = strdup(evil[(i + 2) % 6]);
		fl->first_seen = fl->last_seen = r->started;

		struct res_violation *v = res_add_violation(r);
		v->type = strdup("forbidden_flow");
		v->severity = strdup(i & 1 ? "critical" : "low");
		v->src = fl->src;
		v->dst = fl->dst;
		v->proto = fl->proto;
		v->dport = fl->dport;
		v->rule = strdup(evil[i % 6]);
		v->count = (uint64_t)INT64_MAX;
		v->first_seen = v->last_seen = r->started;
		v->message = strdup(evil[(i + 3) % 6]);
		v->fix = strdup(evil[(i + 4) % 6]);
	}
	FILE *f = create(name);
	if (res_write_json(r, f) != 0)
		failures++;
	done(f, name);
	res_free(r);
}

static void gen_results(void)
{
	FILE *f;

	hostile_valid_result("hostile-strings.json");
	add_case("result", "hostile-strings.json", "read",
	         "a valid result with HTML, CSV-formula, ANSI and bidi strings");

	f = create("deep-nesting.json");
	fputs("{\"tool\": {\"name\": \"segscan\", \"version\": ", f);
	for (int i = 0; i < 200000; i++)
		fputc('[', f);
	for (int i = 0; i < 200000; i++)
		fputc(']', f);
	fputs("}}\n", f);
	done(f, "deep-nesting.json");
	add_case("result", "deep-nesting.json", "error", "200000 nested arrays");

	f = create("deep-objects.json");
	for (int i = 0; i < 1000; i++)
		fputs("{\"hosts\":", f);
	fputs("[]", f);
	for (int i = 0; i < 1000; i++)
		fputc('}', f);
	done(f, "deep-objects.json");
	add_case("result", "deep-objects.json", "error", "1000 nested objects");

	f = create("invalid-utf8.json");
	fputs("{\"tool\": {\"name\": \"segscan\", \"version\": \"1\xff\xfe\xc3\x28\"}, "
	      "\"hosts\": [], \"flows\": [], \"violations\": []}\n",
	      f);
	done(f, "invalid-utf8.json");
	add_case("result", "invalid-utf8.json", "error", "invalid UTF-8 in a string");

	f = create("huge-numbers.json");
	fputs("{\"tool\": {\"name\": \"segscan\", \"version\": \"1\"},\n"
	      " \"scan\": {\"mode\": \"audit\", \"started\": \"2024-03-04T05:06:07Z\","
	      " \"ended\": \"2024-03-04T05:06:07Z\", \"inputs\": [],"
	      " \"packets\": 1e999999, \"policy\": null},\n"
	      " \"hosts\": [{\"packets\": 184467440737095516160000, \"bytes\": -1}],\n"
	      " \"flows\": [{\"dport\": 99999999999999999999}], \"violations\": []}\n",
	      f);
	done(f, "huge-numbers.json");
	add_case("result", "huge-numbers.json", "error", "numbers beyond 64 bits and doubles");

	f = create("wrong-types.json");
	fputs("{\"tool\": \"segscan\", \"scan\": [], \"hosts\": {\"mac\": 1},"
	      " \"flows\": \"none\", \"violations\": 7}\n",
	      f);
	done(f, "wrong-types.json");
	add_case("result", "wrong-types.json", "error", "every top-level member of the wrong type");

	f = create("wrong-field-types.json");
	fputs(
	    "{\"tool\": {\"name\": \"segscan\", \"version\": \"1\"},\n"
	    " \"scan\": {\"mode\": \"audit\", \"started\": \"2024-03-04T05:06:07Z\","
	    " \"ended\": \"2024-03-04T05:06:07Z\", \"inputs\": [], \"packets\": 0, \"policy\": "
	    "null},\n"
	    " \"hosts\": [{\"mac\": \"zz:zz\", \"ips\": [1, null, \"999.1.1.1\"], \"vlan\": \"x\","
	    " \"services\": [{\"proto\": \"tcp\", \"port\": -5}], \"first_seen\": "
	    "\"yesterday\"}],\n"
	    " \"flows\": [], \"violations\": []}\n",
	    f);
	done(f, "wrong-field-types.json");
	add_case("result", "wrong-field-types.json", "error",
	         "a host whose fields have wrong types");

	{
		static const char nul[] = "{\"tool\": {\"name\": \"seg\0scan\"}}";
		write_bytes("nul-bytes.json", nul, sizeof(nul) - 1);
	}
	add_case("result", "nul-bytes.json", "error", "a NUL byte inside a string");

	f = create("duplicate-keys.json");
	fputs("{\"hosts\": [], \"hosts\": [], \"flows\": [], \"violations\": []}\n", f);
	done(f, "duplicate-keys.json");
	add_case("result", "duplicate-keys.json", "error", "a duplicate key");

	f = create("not-json.json");
	fputs("version: 1\nzones: {}\n", f);
	done(f, "not-json.json");
	add_case("result", "not-json.json", "error", "a YAML policy instead of a result");

	write_bytes("empty.json", "", 0);
	add_case("result", "empty.json", "error", "a file of 0 bytes");

	/* 600 MB, sparse: must be refused by its size, not read. */
	{
		char *p = path_for("huge-sparse.json");
		int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || ftruncate(fd, (off_t)600 << 20) != 0 || pwrite(fd, "{", 1, 0) != 1)
			failures++;
		if (fd >= 0)
			close(fd);
		free(p);
	}
	add_case("result", "huge-sparse.json", "error", "a sparse file of 600 MB");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
		perror(outdir);
		return 2;
	}
	manifest = create("MANIFEST");
	gen_captures();
	gen_policies();
	gen_results();
	done(manifest, "MANIFEST");
	if (failures) {
		fprintf(stderr, "genmalformed: %d failure(s)\n", failures);
		return 1;
	}
	return 0;
}
