/*
 * scanner/probe-rate.c - the token bucket behind --rate: every probe frame,
 * ARP or TCP, first or retry, takes one token.
 *
 * The bucket holds at most PROBE_BURST_SECONDS of tokens (at least 2, so a
 * late wake-up of the poll loop does not lose rate; never more than one
 * second's worth), and starts with one: an idle scanner never releases a
 * burst on the network. Time is passed in by the caller (CLOCK_MONOTONIC in
 * a live run, a virtual clock in a dry run or a test), so the bucket itself
 * is deterministic.
 */
#include "scanner/probe.h"

void probe_bucket_init(struct probe_bucket *b, double rate, double now)
{
	b->rate = rate;
	double burst = rate * PROBE_BURST_SECONDS;
	if (burst < 2)
		burst = 2;
	if (burst > rate)
		burst = rate; /* at most one second's worth */
	if (burst < 1)
		burst = 1; /* below 1 frame/s a token must still fit */
	b->burst = burst;
	b->tokens = 1;
	b->last = now;
}

static void refill(struct probe_bucket *b, double now)
{
	if (now > b->last) {
		b->tokens += (now - b->last) * b->rate;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
	}
	/* A clock that steps back (it should not: monotonic) adds nothing. */
	if (now > b->last)
		b->last = now;
}

int probe_bucket_take(struct probe_bucket *b, double now)
{
	refill(b, now);
	/* A tiny tolerance: 0.999999999 tokens after an exact wait is one. */
	if (b->tokens >= 1 - 1e-9) {
		b->tokens -= 1;
		return 1;
	}
	return 0;
}

double probe_bucket_delay(struct probe_bucket *b, double now)
{
	refill(b, now);
	if (b->tokens >= 1 - 1e-9)
		return 0;
	return (1 - b->tokens) / b->rate;
}
