/*
 * scanner/proto-mqtt.c - MQTT 3.1, 3.1.1 and 5.0 control packets.
 *
 * Follows OASIS MQTT Version 3.1.1 (2014) clause 2 (fixed header: packet
 * type 1-14, the flag bits each type requires, remaining length as a
 * variable byte integer of at most 4 bytes) and clause 3 (CONNECT with
 * protocol name "MQTT" level 4, or "MQIsdp" level 3 for 3.1; level 5 for
 * MQTT 5.0).
 *
 * Proof: every whole packet in the segment has a valid type and flags and
 * its remaining length stays inside the segment (a last packet may go on
 * into the next segment), and at least one of them is self-evidently MQTT:
 * a CONNECT with its protocol name and level, a CONNACK with valid flags
 * and code, a PUBLISH with a printable topic, or a (UN)SUBSCRIBE/SUBACK
 * with a packet id. Two-byte packets (PINGREQ, PINGRESP, DISCONNECT) and
 * acknowledgements alone prove nothing: too many payloads look like them.
 * Facts: the CONNECT's client id; the broker side (CONNACK, SUBACK, or the
 * flow's server) is a server, the connecting side an IoT client.
 */
#include <stdio.h>
#include <string.h>

#include "scanner/cursor.h"
#include "scanner/ident.h"

enum {
	MQ_CONNECT = 1,
	MQ_CONNACK,
	MQ_PUBLISH,
	MQ_PUBACK,
	MQ_PUBREC,
	MQ_PUBREL,
	MQ_PUBCOMP,
	MQ_SUBSCRIBE,
	MQ_SUBACK,
	MQ_UNSUBSCRIBE,
	MQ_UNSUBACK,
	MQ_PINGREQ,
	MQ_PINGRESP,
	MQ_DISCONNECT
};

/* Variable byte integer, at most 4 bytes; -1 when malformed or cut. */
static long mq_varint(struct cur *c)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		uint8_t b = cur_u8(c);
		if (c->truncated)
			return -1;
		v |= (long)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	return -1;
}

static int mq_connect(struct cur *b, struct ident_facts *f)
{
	uint16_t nlen = cur_be16(b);
	char name[8] = "";
	if (nlen == 4 || nlen == 6)
		cur_copy(b, name, nlen);
	uint8_t level = cur_u8(b);
	uint8_t flags = cur_u8(b);
	cur_be16(b); /* keep alive */
	if (b->truncated || (flags & 0x01))
		return 0;
	if (!((nlen == 4 && !memcmp(name, "MQTT", 4) && (level == 4 || level == 5)) ||
	      (nlen == 6 && !memcmp(name, "MQIsdp", 6) && level == 3)))
		return 0;
	if (level == 5) { /* properties */
		long plen = mq_varint(b);
		if (plen < 0 || !cur_skip(b, (size_t)plen))
			return 1;
	}
	uint16_t idlen = cur_be16(b);
	struct cur id = cur_sub(b, idlen);
	if (!b->truncated && idlen) {
		char cid[48];
		ident_copy_str(cid, sizeof(cid), id.pos, idlen);
		snprintf(f->app_detail, sizeof(f->app_detail), "client id %s", cid);
	}
	return 1;
}

static int mq_topic_ok(struct cur *b)
{
	uint16_t tlen = cur_be16(b);
	struct cur t = cur_sub(b, tlen);
	if (b->truncated || tlen == 0)
		return 0;
	while (cur_left(&t)) {
		uint8_t ch = cur_u8(&t);
		/* Topic names are UTF-8 without wildcards or NUL; ASCII
		 * control characters do not occur in practice. */
		if (ch < 0x20 || ch == 0x7f || ch == '+' || ch == '#')
			return 0;
	}
	return 1;
}

/* Checks one packet's body; returns 2 strong evidence, 1 consistent,
 * 0 invalid. *broker is set for packets only a broker sends. */
static int mq_body(uint8_t type, uint8_t flags, struct cur *b, size_t rl, int complete,
                   struct ident_facts *f, int *broker, int *client)
{
	switch (type) {
	case MQ_CONNECT:
		*client = 1;
		return flags == 0 && mq_connect(b, f) ? 2 : 0;
	case MQ_CONNACK: {
		uint8_t af = cur_u8(b), rc = cur_u8(b);
		if (b->truncated || flags || (af & 0xfe))
			return 0;
		/* 3.1.1: exactly 2 bytes, codes 0-5; 5.0: reason codes 0 or
		 * 0x80-0x9F, then properties. */
		if (rl == 2 && rc <= 5) {
			*broker = 1;
			return 2;
		}
		if (rl > 2 && (rc == 0 || (rc >= 0x80 && rc <= 0x9f))) {
			*broker = 1;
			return 2;
		}
		return 0;
	}
	case MQ_PUBLISH: {
		if (((flags >> 1) & 3) == 3)
			return 0;
		if (!mq_topic_ok(b))
			return complete ? 0 : 1;
		if ((flags >> 1) & 3) {
			uint16_t pid = cur_be16(b);
			if (b->truncated || pid == 0)
				return 0;
		}
		return 2;
	}
	case MQ_PUBACK:
	case MQ_PUBREC:
	case MQ_PUBCOMP:
	case MQ_PUBREL:
	case MQ_UNSUBACK: {
		uint8_t want = (type == MQ_PUBREL) ? 2 : 0;
		uint16_t pid = cur_be16(b);
		return flags == want && !b->truncated && pid != 0 ? 1 : 0;
	}
	case MQ_SUBSCRIBE:
	case MQ_UNSUBSCRIBE: {
		uint16_t pid = cur_be16(b);
		if (flags != 2 || b->truncated || pid == 0 || rl < 5)
			return 0;
		*client = 1;
		return 2;
	}
	case MQ_SUBACK: {
		uint16_t pid = cur_be16(b);
		if (flags || b->truncated || pid == 0 || rl < 3)
			return 0;
		*broker = 1;
		return 2;
	}
	case MQ_PINGREQ:
	case MQ_PINGRESP:
	case MQ_DISCONNECT:
		return flags == 0 && (rl == 0 || type == MQ_DISCONNECT) ? 1 : 0;
	default:
		return 0;
	}
}

int mqtt_identify(const struct ident_in *in, struct ident_facts *f)
{
	struct cur c = cur_make(in->data, in->len);
	int strong = 0, broker = 0, client = 0;
	for (int guard = 0; guard < 32 && cur_left(&c); guard++) {
		uint8_t h = cur_u8(&c);
		long rl = mq_varint(&c);
		if (rl < 0) {
			if (c.truncated && strong)
				break; /* the header itself goes on in the next segment */
			return 0;
		}
		uint8_t type = h >> 4, flags = h & 0x0f;
		if (type < MQ_CONNECT || type > MQ_DISCONNECT)
			return 0;
		int complete = (size_t)rl <= cur_left(&c);
		if (!complete && guard == 0 && type != MQ_PUBLISH)
			return 0; /* only a PUBLISH is big enough to span segments */
		struct cur b = cur_sub(&c, complete ? (size_t)rl : cur_left(&c));
		int r = mq_body(type, flags, &b, (size_t)rl, complete, f, &broker, &client);
		if (r == 0)
			return 0;
		if (r == 2)
			strong = 1;
		if (!complete)
			break;
	}
	if (!strong)
		return 0;
	if (broker || in->from_server == 1) {
		f->cls = CLS_SERVER;
		f->cls_weight = 20;
		snprintf(f->cls_why, sizeof(f->cls_why), "MQTT broker");
	} else if (client || in->from_server == 0) {
		f->cls = CLS_IOT;
		f->cls_weight = 20;
		snprintf(f->cls_why, sizeof(f->cls_why), "MQTT client");
	}
	return 1;
}
