/* libFuzzer target for the IKEv1 codec (core/codec/ikev1_*.c).  Any
 * input either decodes, or is refused leaving the message empty; what
 * decodes encodes again to the same octets (RESERVED octets aside:
 * the encoder zeroes them, so the check is on a second round), and
 * goes through the payload rules of every exchange message.  The same
 * input is also decoded as the decrypted body of an encrypted message
 * (first octet: the first payload type); a refusal there leaves the
 * message as it was. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/codec/ikev1_rules.h"
#include "core/codec/wr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_rules(const struct v1_msg *m)
{
	static const uint8_t x[] = { IKEV1_EXCH_MAIN, IKEV1_EXCH_AGGRESSIVE,
	    IKEV1_EXCH_QUICK, IKEV1_EXCH_INFO, IKEV1_EXCH_BASE };
	struct v1_rules_result res;
	size_t i;
	unsigned no;

	for (i = 0; i < sizeof(x); i++)
		for (no = 0; no <= 7; no++) {
			/* must not crash; the verdict is not checked */
			(void)v1_rules_check(m, x[i], no, V1_AUTH_PSK, &res);
			(void)v1_rules_check(m, x[i], no, V1_AUTH_SIG, &res);
		}
}

/* encode(m) has the input's length; decode(encode(m)) encodes to the
 * same octets. */
static void
check_round_trip(const struct v1_msg *m, size_t size)
{
	static struct v1_msg again;
	struct wr w1, w2;

	wr_init(&w1, 0);
	wr_init(&w2, 0);
	if (v1_encode(m, &w1) != 0 || w1.len != size)
		abort();		/* decoded, yet not encodable */
	if (v1_decode(w1.buf, w1.len, &again, NULL) != 0 ||
	    v1_encode(&again, &w2) != 0 || w1.len != w2.len ||
	    memcmp(w1.buf, w2.buf, w1.len) != 0)
		abort();		/* not a round trip */
	wr_free(&w1);
	wr_free(&w2);
}

/* An encrypted Quick Mode message whose body is still closed. */
static const uint8_t sealed[] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	IKEV1_PL_HASH, 0x10, IKEV1_EXCH_QUICK, IKEV1_F_ENC, 0, 0, 0, 1,
	0, 0, 0, 36,
	0, 0, 0, 8, 0, 0, 0, 0,
};

static void
check_body(uint8_t first, const uint8_t *data, size_t size)
{
	static struct v1_msg m;
	struct wr w;
	uint8_t got;

	if (v1_decode(sealed, sizeof(sealed), &m, NULL) != 0)
		abort();
	if (v1_decode_body(&m, first, data, size, NULL) != 0) {
		if (m.npl != 0 || m.opened)
			abort();	/* a failure that changed the message */
		return;
	}
	check_rules(&m);
	wr_init(&w, 0);
	if (v1_encode_body(&m, &w, &got) != 0 ||
	    w.len + m.pad.len != size || (m.npl > 0 && got != first))
		abort();
	wr_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[sizeof(struct v1_msg)];
	static struct v1_msg m;

	memset(&m, 0x5a, sizeof(m));
	if (v1_decode(data, size, &m, NULL) != 0) {
		if (memcmp(&m, zero, sizeof(m)) != 0)
			abort();	/* refused but not emptied */
	} else {
		check_rules(&m);
		check_round_trip(&m, size);
	}
	if (size > 0)
		check_body(data[0], data + 1, size - 1);
	return 0;
}
