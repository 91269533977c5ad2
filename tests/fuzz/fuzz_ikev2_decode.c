/* libFuzzer target for the IKEv2 codec (core/codec/ikev2_*.c).  Any
 * input either decodes, or is refused leaving the message empty; what
 * decodes encodes again to as many octets, and that encoding decodes
 * and encodes to itself.  The same input is also decoded as the content
 * of an SK payload (first octet: the first payload type), and every
 * decoded message goes through the payload rules of every exchange. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/codec/ikev2_rules.h"
#include "core/codec/wr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_rules(const struct ike_msg *m)
{
	struct rules_result res;
	uint8_t x;

	for (x = IKEV2_EXCH_IKE_SA_INIT; x <= IKEV2_EXCH_INFORMATIONAL + 1;
	    x++) {
		(void)rules_check(m, x, false, &res);	/* must not crash */
		(void)rules_check(m, x, true, &res);
	}
}

/* encode(m) has the input's length; decode(encode(m)) encodes to the
 * same octets. */
static void
check_round_trip(const struct ike_msg *m, size_t size)
{
	static struct ike_msg again;
	struct wr w1, w2;

	wr_init(&w1, 0);
	wr_init(&w2, 0);
	if (codec_encode(m, NULL, &w1, NULL) != 0 || w1.len != size)
		abort();		/* decoded, yet not encodable */
	if (codec_decode(w1.buf, w1.len, &again, NULL) != 0 ||
	    codec_encode(&again, NULL, &w2, NULL) != 0 ||
	    w1.len != w2.len || memcmp(w1.buf, w2.buf, w1.len) != 0)
		abort();		/* not a round trip */
	wr_free(&w1);
	wr_free(&w2);
}

static void
check_inner(struct ike_msg *m, uint8_t first, const uint8_t *data,
    size_t size)
{
	size_t npl = m->npl;
	struct wr w;
	uint8_t got;

	if (codec_decode_inner(m, first, data, size, NULL) != 0) {
		if (m->npl != npl || m->inner)
			abort();	/* a failure that changed the message */
		return;
	}
	check_rules(m);
	wr_init(&w, 0);
	if (codec_encode_inner(m, &w, &got) != 0 || w.len != size ||
	    (size > 0 && got != first))
		abort();
	wr_free(&w);
}

/* A decoded INFORMATIONAL message whose SK content is still closed. */
static const uint8_t sk_dgram[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	IKEV2_PL_SK, 0x20, IKEV2_EXCH_INFORMATIONAL, 0, 0, 0, 0, 1,
	0, 0, 0, 36,
	0, 0, 0, 8, 0, 0, 0, 0,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[sizeof(struct ike_msg)];
	static struct ike_msg m;
	struct sk_view v;
	size_t len;

	memset(&m, 0x5a, sizeof(m));
	if (codec_decode(data, size, &m, NULL) != 0) {
		if (memcmp(&m, zero, sizeof(m)) != 0)
			abort();	/* refused but not emptied */
	} else {
		check_rules(&m);
		check_round_trip(&m, size);
		if (codec_sk_view(&m, 0, 0, &v) == 0 &&
		    codec_sk_unpad(v.ct.p, v.ct.len, &len) == 0)
			check_inner(&m, v.first, v.ct.p, len);
	}
	if (size == 0)
		return 0;
	if (codec_decode(sk_dgram, sizeof(sk_dgram), &m, NULL) != 0)
		abort();
	check_inner(&m, data[0], data + 1, size - 1);
	return 0;
}
