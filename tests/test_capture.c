/*
 * tests/test_capture.c - reading capture files (scanner/capture.c).
 *
 * A regular file is read and decoded on a reader thread and handed to the
 * handler in batches. These tests hold that path to what reading record by
 * record gives: every record, in file order, with the same bytes and the
 * same decoded fields while the handler runs (batches and their arenas
 * wrap around many times); the stop flag seen after the very packet that
 * set it; a file cut off mid-record giving libpcap's error only after
 * every complete record before the cut was handled.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scanner/capture.h"
#include "scanner/decode.h"
#include "tests/helper_pcapgen.h"

#define NPKT 6000

static const uint8_t MAC_A[6] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x05};
static const uint8_t MAC_B[6] = {0x00, 0x1b, 0x21, 0x0a, 0x00, 0x33};

/* What the handler saw of one packet, and what decoding the generated
 * frame directly says it should have seen. */
struct seen {
	ss_time ts;
	int kind;
	uint32_t wirelen, caplen;
	size_t payload_len;
	uint32_t payload_sum; /* over the payload bytes, read in the handler */
};

struct rec_ctx {
	struct seen *s;
	size_t n, stop_at;
	volatile int *stop;
};

static uint32_t sum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void note(struct seen *s, const struct pkt *p)
{
	s->ts = p->ts;
	s->kind = (int)p->kind;
	s->wirelen = p->wirelen;
	s->caplen = p->caplen;
	s->payload_len = p->payload_len;
	s->payload_sum = p->payload ? sum(p->payload, p->payload_len) : 0;
}

static void record(void *ctx, const struct pkt *p)
{
	struct rec_ctx *r = ctx;
	ck_assert_uint_lt(r->n, NPKT);
	note(&r->s[r->n++], p);
	if (r->stop_at && r->n == r->stop_at)
		*r->stop = 1;
}

/* Frame i: ARP, or TCP/UDP with 0..1460 (and every 97th 9000) payload
 * bytes of a pattern of i; every 13th is cut short of its length. */
static void frame(pg_frame *f, size_t i, size_t *caplen)
{
	pg_frame_init(f);
	pg_eth(f, i % 2 ? MAC_A : MAC_B, i % 2 ? MAC_B : MAC_A, i % 7 ? PG_ETH_IPV4 : PG_ETH_ARP);
	if (i % 7 == 0) {
		pg_arp(f, 1, MAC_A, 0x0a000001u, MAC_B, 0x0a000002u + (uint32_t)i);
	} else {
		uint8_t pay[9000];
		size_t n = i % 97 == 0 ? sizeof(pay) : (i * 131) % 1461;
		for (size_t k = 0; k < n; k++)
			pay[k] = (uint8_t)(i + k * 7);
		size_t ip = pg_ipv4_begin(f, &(pg_ipv4){.src = 0x0a000001u + (uint32_t)(i % 50),
		                                        .dst = 0x0a000101u,
		                                        .proto = i % 3 ? PG_IP_TCP : PG_IP_UDP});
		if (i % 3) {
			pg_tcp(f, ip,
			       &(pg_tcp_opt){.sport = (uint16_t)(40000 + i % 1000),
			                     .dport = 502,
			                     .seq = (uint32_t)i,
			                     .flags = PG_ACK | PG_PSH,
			                     .payload = pay,
			                     .payload_len = n});
		} else {
			pg_udp(f, ip, (uint16_t)(40000 + i % 1000), 47808, pay, n);
		}
		pg_ipv4_end(f, ip);
	}
	pg_pad(f, 60, 0);
	ck_assert(!f->overflow);
	*caplen = i % 13 == 5 && f->len > 80 ? f->len - 20 : f->len;
}

static uint64_t ts_of(size_t i)
{
	return 1700000000000000000ull + (uint64_t)i * 1234567ull;
}

/* Writes the capture (cut after `cut` bytes of record `cut_at` when
 * cut_at < NPKT) and the truth: each frame decoded straight from memory. */
static void make_capture(const char *path, struct seen *truth, size_t cut_at, size_t cut)
{
	pg_pcap *w = pg_pcap_open(path, 1, 0, 65535);
	ck_assert_ptr_nonnull(w);
	static pg_frame f;
	for (size_t i = 0; i < NPKT; i++) {
		size_t caplen;
		frame(&f, i, &caplen);
		struct pkt p;
		enum dec_status st = dec_packet(1, f.b, caplen, f.len, &p);
		p.ts = (ss_time)(ts_of(i) / 1000); /* the file holds microseconds */
		truth[i].kind = st == DEC_OK ? (int)p.kind : -1 - (int)st;
		if (st == DEC_OK)
			note(&truth[i], &p);
		ck_assert_int_eq(pg_pcap_write(w, ts_of(i), f.b, caplen, f.len), 0);
	}
	ck_assert_int_eq(pg_pcap_close(w), 0);
	if (cut_at < NPKT) {
		/* 24-byte file header, then 16-byte record headers. */
		off_t at = 24;
		for (size_t i = 0; i < cut_at; i++) {
			size_t caplen;
			frame(&f, i, &caplen);
			at += 16 + (off_t)caplen;
		}
		ck_assert_int_eq(truncate(path, at + (off_t)cut), 0);
	}
}

/* The handler saw exactly the decodable records among the first n, in
 * order, with the truth's fields. */
static void assert_seen(const struct rec_ctx *r, const struct seen *truth, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (truth[i].kind < 0)
			continue;
		ck_assert_uint_lt(k, r->n);
		const struct seen *a = &r->s[k++], *b = &truth[i];
		ck_assert_msg(a->ts == b->ts && a->kind == b->kind && a->wirelen == b->wirelen &&
		                  a->caplen == b->caplen && a->payload_len == b->payload_len &&
		                  a->payload_sum == b->payload_sum,
		              "record %zu differs from its frame", i);
	}
	ck_assert_uint_eq(k, r->n);
}

static size_t decodable(const struct seen *truth, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += truth[i].kind >= 0;
	return k;
}

static char path[] = "/tmp/segscan-test-capture.XXXXXX";

static void setup(void)
{
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(path);
	strcpy(path + strlen(path) - 6, "XXXXXX");
}

/* One test's run: the capture (cut as make_capture says), the handler
 * stopping after stop_at packets (0: never), what it saw and counted. */
static struct seen truth[NPKT], got[NPKT];
static volatile int stop;
static struct rec_ctx seen;
static struct cap_counters cnt;
static char err[256];

static int run(size_t cut_at, size_t cut, size_t stop_at)
{
	make_capture(path, truth, cut_at, cut);
	stop = 0;
	seen = (struct rec_ctx){got, 0, stop_at, &stop};
	char oerr[256];
	struct capture *c = cap_open_file(path, oerr, sizeof(oerr));
	ck_assert_msg(c != NULL, "%s", oerr);
	memset(&cnt, 0, sizeof(cnt));
	cnt.first = cnt.last = SS_TIME_NONE;
	err[0] = '\0';
	int rc = cap_run(c, record, &seen, &cnt, 0, &stop, 0, err, sizeof(err));
	cap_close(c);
	return rc;
}

START_TEST(every_record_in_order_with_its_bytes)
{
	ck_assert_int_eq(run(NPKT, 0, 0), 0);
	ck_assert_uint_eq(cnt.packets, NPKT);
	ck_assert_uint_eq(cnt.decoded, decodable(truth, NPKT));
	ck_assert_uint_eq(cnt.decoded + cnt.truncated + cnt.malformed + cnt.unsupported, NPKT);
	ck_assert_int_eq(cnt.first, (ss_time)(ts_of(0) / 1000));
	ck_assert_int_eq(cnt.last, (ss_time)(ts_of(NPKT - 1) / 1000));
	assert_seen(&seen, truth, NPKT);
}
END_TEST

START_TEST(stop_flag_ends_after_that_packet)
{
	ck_assert_int_eq(run(NPKT, 0, 2500), 0);
	ck_assert_uint_eq(seen.n, 2500);
	ck_assert_str_eq(err, "");
	/* Packets counted: up to and including the one that set the flag. */
	size_t i = 0, k = 0;
	while (k < 2500)
		k += truth[i++].kind >= 0;
	ck_assert_uint_eq(cnt.packets, i);
	assert_seen(&seen, truth, i);
}
END_TEST

START_TEST(cut_file_keeps_every_record_before_the_cut)
{
	ck_assert_int_eq(run(4321, 9, 0), -1); /* cut inside record 4321's header */
	ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "error names the file: %s", err);
	ck_assert_uint_eq(cnt.packets, 4321);
	assert_seen(&seen, truth, 4321);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("capture");
	TCase *c = tcase_create("files");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_set_timeout(c, 60);
	tcase_add_test(c, every_record_in_order_with_its_bytes);
	tcase_add_test(c, stop_flag_ends_after_that_packet);
	tcase_add_test(c, cut_file_keeps_every_record_before_the_cut);
	suite_add_tcase(s, c);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
