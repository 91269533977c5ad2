/* tests/exchange1/test_v1_crypt.c: the encryption of IKEv1 messages
 * and the phase-2 HASH payloads (core/exchange1/v1_crypt.c): seal and
 * open give back the payloads, the CBC chain moves to the last
 * ciphertext block, a tampered message or a wrong IV is refused without
 * moving anything, and HASH(1), (2), (3) agree with core/crypto/
 * ikev1_kdf.h computed here over the plaintext octets. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/crypto/cipher.h"
#include "core/crypto/hash.h"
#include "core/crypto/ikev1_kdf.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/exchange1/v1.h"
#include "core/sa/ike_sa.h"
#include "core/sa/ike_v1.h"

static const uint8_t ni[16] = "initiator nonce";
static const uint8_t nr[16] = "responder nonce";
static const uint8_t cky_i[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t cky_r[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t gxy[32] = "a shared secret of 32 octets...";
static const uint8_t notify_data[40] = "some notification data of 40 octets";
#define MSGID	0x11223344u

/* An ISAKMP SA keyed from fixed inputs, with cipher encr/key_bits and
 * the HMAC of prf. */
static struct ike_sa *
keyed_sa(uint16_t encr, uint16_t key_bits, uint16_t prf)
{
	struct ikev1_ph1_in in = { .ni = ni, .nr = nr, .ni_len = sizeof(ni),
	    .nr_len = sizeof(nr), .gxy = gxy, .gxy_len = sizeof(gxy),
	    .cky_i = cky_i, .cky_r = cky_r };
	struct ike_sa *sa;
	size_t i;

	assert_int_equal(ike_sa_new(true, IKE_SA_ESTABLISHED, &sa), 0);
	assert_int_equal(v1_state_new(&sa->v1), 0);
	sa->version = IKE_VERSION_1;
	sa->encr = encr;
	sa->key_bits = key_bits;
	sa->prf = prf;
	assert_int_equal(ikev1_skeyid_psk(prf, CRYPTO_F_LEGACY,
	    (const uint8_t *)"psk", 3, &in, &sa->v1->skeyid), 0);
	assert_int_equal(ikev1_skeyid_dae(prf, CRYPTO_F_LEGACY,
	    sa->v1->skeyid, &in, &sa->v1->k), 0);
	assert_int_equal(v1_crypt_setup(sa), 0);
	for (i = 0; i < sizeof(sa->v1->iv); i++)
		sa->v1->iv[i] = (uint8_t)(0xa0 + i);
	return sa;
}

static void
hdr(struct v1_hdr *h, uint8_t exchange, uint32_t msgid)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->icookie, cky_i, 8);
	memcpy(h->rcookie, cky_r, 8);
	h->exchange = exchange;
	h->msgid = msgid;
}

/* Informational {HASH, N} (or {HASH} alone without a notify). */
static void
info_msg(struct v1_msg *m, uint32_t msgid, bool with_n)
{
	struct v1_hdr h;
	struct v1_pl *pl;

	hdr(&h, IKEV1_EXCH_INFO, msgid);
	v1_msg_init(m, &h);
	assert_int_equal(v1_msg_add(m, IKEV1_PL_HASH, &pl), 0);
	if (!with_n)
		return;
	assert_int_equal(v1_msg_add(m, IKEV1_PL_N, &pl), 0);
	pl->u.notify.doi = IKEV1_DOI_IPSEC;
	pl->u.notify.proto = IKEV1_PROTO_ISAKMP;
	pl->u.notify.type = IKEV1_N_INITIAL_CONTACT;
	pl->u.notify.data = (struct ike_slice){ notify_data,
	    sizeof(notify_data) };
}

/* Seals m with kind from iv into a datagram (malloc'd). */
static uint8_t *
seal(struct ike_sa *sa, struct v1_msg *m, enum v1_hash_kind kind,
    uint8_t *iv, size_t *len)
{
	struct wr w;
	uint8_t *out;

	wr_init(&w, 65535);
	assert_int_equal(v1_seal_hashed(sa, m, kind, ni, sizeof(ni), nr,
	    sizeof(nr), iv, &w), 0);
	out = malloc(w.len);
	assert_non_null(out);
	memcpy(out, w.buf, w.len);
	*len = w.len;
	wr_free(&w);
	return out;
}

/* Seals an Informational (with_n: {HASH, N}, else {HASH}) with kind
 * from iv0 (left as it is) into a datagram (malloc'd). */
static uint8_t *
seal_info(struct ike_sa *sa, struct v1_msg *m, enum v1_hash_kind kind,
    bool with_n, const uint8_t *iv0, size_t *len)
{
	uint8_t iv[CIPHER_MAX_BLOCK];

	memcpy(iv, iv0, sa->v1->block);
	info_msg(m, MSGID, with_n);
	return seal(sa, m, kind, iv, len);
}

/* How dg, opened from iv into r, fared: 0 accepted (with HASH(1)),
 * OPEN_REFUSED by v1_open(), HASH_REFUSED by the HASH check.  next
 * gets the chain after it when v1_open() took it. */
enum { OPEN_REFUSED = 1, HASH_REFUSED };
static int
open_check(struct ike_sa *sa, struct v1_msg *r, const uint8_t *dg,
    size_t len, const uint8_t *iv, uint8_t *next)
{
	uint8_t *pt;
	size_t pt_len;
	int rc;

	assert_int_equal(v1_decode(dg, len, r, NULL), 0);
	if (v1_open(sa, r, iv, next, &pt, &pt_len) != 0)
		return OPEN_REFUSED;
	rc = v1_check_hash(sa, r, V1_HASH_1, NULL, 0, NULL, 0);
	v1_pt_free(pt, pt_len);
	return rc == 0 ? 0 : HASH_REFUSED;
}

struct suite {
	uint16_t	encr, key_bits, prf;
	size_t		block;
};

static const struct suite suites[] = {
	{ ENCR_AES_CBC, 128, PRF_HMAC_SHA1, 16 },
	{ ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256, 16 },
	{ ENCR_AES_CBC, 192, PRF_HMAC_SHA2_512, 16 },
	{ ENCR_3DES, 0, PRF_HMAC_MD5, 8 },
};

static void
seal_open_one(const struct suite *s)
{
	struct ike_sa *sa = keyed_sa(s->encr, s->key_bits, s->prf);
	struct v1_msg *m = calloc(1, sizeof(*m)), *r = calloc(1, sizeof(*r));
	uint8_t iv[CIPHER_MAX_BLOCK], iv0[CIPHER_MAX_BLOCK];
	uint8_t next[CIPHER_MAX_BLOCK], *dg, *pt;
	size_t len, pt_len, hlen = prf_out_len(s->prf);
	const struct v1_pl *n;

	assert_int_equal(sa->v1->block, s->block);
	assert_int_equal(v1_crypt_msgid_iv(sa, MSGID, iv0), 0);
	memcpy(iv, iv0, sizeof(iv));
	info_msg(m, MSGID, true);
	dg = seal(sa, m, V1_HASH_1, iv, &len);
	/* the chain now holds the last ciphertext block */
	assert_memory_equal(iv, dg + len - s->block, s->block);
	assert_int_equal(v1_decode(dg, len, r, NULL), 0);
	assert_true(r->hdr.flags & IKEV1_F_ENC);
	assert_int_equal((len - IKEV1_HDR_LEN) % s->block, 0);
	assert_int_equal(v1_open(sa, r, iv0, next, &pt, &pt_len), 0);
	assert_memory_equal(next, iv, s->block);
	assert_int_equal(r->npl, 2);
	assert_int_equal(r->pl[0].type, IKEV1_PL_HASH);
	assert_int_equal(r->pl[0].u.data.len, hlen);
	n = v1_msg_notify(r, IKEV1_N_INITIAL_CONTACT);
	assert_non_null(n);
	assert_memory_equal(n->u.notify.data.p, notify_data,
	    sizeof(notify_data));
	assert_int_equal(v1_check_hash(sa, r, V1_HASH_1, NULL, 0, NULL, 0),
	    0);
	v1_pt_free(pt, pt_len);
	free(dg);
	free(m);
	free(r);
	ike_sa_free(sa);
}

static void
test_seal_open(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		seal_open_one(&suites[i]);
}

/* The M-ID IV is hash(last phase-1 block | M-ID), and messages of one
 * exchange chain: the second opens only from the first's last block. */
static void
test_iv_chain(void **state)
{
	struct ike_sa *sa = keyed_sa(ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256);
	struct v1_msg *m = calloc(1, sizeof(*m)), *r = calloc(1, sizeof(*r));
	uint8_t iv[16], want[16], iv1[16], next[16], *d1, *d2;
	size_t l1, l2;

	(void)state;
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA2_256, 0, sa->v1->iv,
	    MSGID, want, 16), 0);
	assert_int_equal(v1_crypt_msgid_iv(sa, MSGID, iv), 0);
	assert_memory_equal(iv, want, 16);
	info_msg(m, MSGID, true);
	d1 = seal(sa, m, V1_HASH_1, iv, &l1);
	memcpy(iv1, iv, 16);
	info_msg(m, MSGID, true);
	d2 = seal(sa, m, V1_HASH_1, iv, &l2);
	assert_memory_equal(iv, d2 + l2 - 16, 16);
	/* the second message from the M-ID IV: refused */
	assert_int_not_equal(open_check(sa, r, d2, l2, want, next), 0);
	/* from the first's last block: accepted */
	assert_int_equal(open_check(sa, r, d2, l2, iv1, next), 0);
	assert_memory_equal(next, d2 + l2 - 16, 16);
	free(d1);
	free(d2);
	free(m);
	free(r);
	ike_sa_free(sa);
}

/* A flipped ciphertext bit (in each block) is refused by v1_open() or
 * by the HASH check; neither the caller's IV, the next-IV buffer nor
 * the SA's chain moves. */
static void
test_tampered(void **state)
{
	struct ike_sa *sa = keyed_sa(ENCR_AES_CBC, 128, PRF_HMAC_SHA1);
	struct v1_msg *m = calloc(1, sizeof(*m)), *r = calloc(1, sizeof(*r));
	uint8_t iv0[16], next[16], chain[16], untouched[16], *dg;
	size_t len, off;
	int rc;

	(void)state;
	assert_int_equal(v1_crypt_msgid_iv(sa, MSGID, iv0), 0);
	memcpy(chain, sa->v1->iv, 16);
	memset(untouched, 0x5a, sizeof(untouched));
	dg = seal_info(sa, m, V1_HASH_1, true, iv0, &len);
	for (off = IKEV1_HDR_LEN; off < len; off += 16) {
		dg[off + 3] ^= 0x40;
		memset(next, 0x5a, sizeof(next));
		rc = open_check(sa, r, dg, len, iv0, next);
		assert_int_not_equal(rc, 0);
		if (rc == OPEN_REFUSED)
			assert_memory_equal(next, untouched, 16);
		dg[off + 3] ^= 0x40;
	}
	/* a wrong IV: the first block decrypts to garbage */
	for (off = 0; off < 16; off++)
		iv0[off] ^= 0xff;
	assert_int_not_equal(open_check(sa, r, dg, len, iv0, next), 0);
	/* a ciphertext that is not a whole number of blocks */
	assert_int_equal(v1_decode(dg, len - 4, r, NULL) == 0 ? 0 : 1, 1);
	assert_memory_equal(chain, sa->v1->iv, 16);
	free(dg);
	free(m);
	free(r);
	ike_sa_free(sa);
}

/* Opens dg from iv and returns the HASH payload's data and the rest of
 * the plaintext after it (borrowed from *pt). */
static void
open_rest(struct ike_sa *sa, struct v1_msg *r, const uint8_t *dg, size_t len,
    const uint8_t *iv, uint8_t **pt, size_t *pt_len, const uint8_t **rest,
    size_t *rest_len)
{
	uint8_t next[16];
	size_t hl = prf_out_len(sa->prf), off = IKEV1_PL_HDR_LEN + hl, end;

	assert_int_equal(v1_decode(dg, len, r, NULL), 0);
	assert_int_equal(v1_open(sa, r, iv, next, pt, pt_len), 0);
	/* the rest runs over the payload chain: each generic header's
	 * length, until Next Payload 0 */
	end = off;
	if ((*pt)[0] != 0) {
		uint8_t nxt;

		do {
			nxt = (*pt)[end];
			end += (size_t)((*pt)[end + 2] << 8 | (*pt)[end + 3]);
		} while (nxt != 0);
	}
	*rest = *pt + off;
	*rest_len = end - off;
}

static void
test_hashes_independent(void **state)
{
	struct ike_sa *sa = keyed_sa(ENCR_AES_CBC, 256, PRF_HMAC_SHA2_384);
	struct v1_msg *m = calloc(1, sizeof(*m)), *r = calloc(1, sizeof(*r));
	uint8_t iv0[16], want[PRF_MAX_OUT], *dg, *pt;
	size_t len, pt_len, rest_len, hl = prf_out_len(PRF_HMAC_SHA2_384);
	const uint8_t *rest;

	(void)state;
	/* HASH(1) = prf(SKEYID_a, M-ID | N) */
	assert_int_equal(v1_crypt_msgid_iv(sa, MSGID, iv0), 0);
	dg = seal_info(sa, m, V1_HASH_1, true, iv0, &len);
	open_rest(sa, r, dg, len, iv0, &pt, &pt_len, &rest, &rest_len);
	assert_int_equal(rest_len, IKEV1_PL_HDR_LEN + 8 +
	    sizeof(notify_data));
	assert_int_equal(ikev1_hash1(PRF_HMAC_SHA2_384, 0, sa->v1->k.a,
	    MSGID, rest, rest_len, want, hl), 0);
	assert_memory_equal(r->pl[0].u.data.p, want, hl);
	/* HASH(1) is not HASH(2): the check with the wrong kind fails */
	assert_int_not_equal(v1_check_hash(sa, r, V1_HASH_2, ni, sizeof(ni),
	    NULL, 0), 0);
	v1_pt_free(pt, pt_len);
	free(dg);
	/* HASH(2) = prf(SKEYID_a, M-ID | Ni_b | N) */
	dg = seal_info(sa, m, V1_HASH_2, true, iv0, &len);
	open_rest(sa, r, dg, len, iv0, &pt, &pt_len, &rest, &rest_len);
	assert_int_equal(ikev1_hash2(PRF_HMAC_SHA2_384, 0, sa->v1->k.a,
	    MSGID, ni, sizeof(ni), rest, rest_len, want, hl), 0);
	assert_memory_equal(r->pl[0].u.data.p, want, hl);
	assert_int_equal(v1_check_hash(sa, r, V1_HASH_2, ni, sizeof(ni),
	    NULL, 0), 0);
	/* another Ni_b: refused */
	assert_int_not_equal(v1_check_hash(sa, r, V1_HASH_2, nr, sizeof(nr),
	    NULL, 0), 0);
	v1_pt_free(pt, pt_len);
	free(dg);
	/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b), alone */
	dg = seal_info(sa, m, V1_HASH_3, false, iv0, &len);
	open_rest(sa, r, dg, len, iv0, &pt, &pt_len, &rest, &rest_len);
	assert_int_equal(r->npl, 1);
	assert_int_equal(ikev1_hash3(PRF_HMAC_SHA2_384, 0, sa->v1->k.a,
	    MSGID, ni, sizeof(ni), nr, sizeof(nr), want, hl), 0);
	assert_memory_equal(r->pl[0].u.data.p, want, hl);
	assert_int_equal(v1_check_hash(sa, r, V1_HASH_3, ni, sizeof(ni), nr,
	    sizeof(nr)), 0);
	assert_int_not_equal(v1_check_hash(sa, r, V1_HASH_3, nr, sizeof(nr),
	    ni, sizeof(ni)), 0);
	v1_pt_free(pt, pt_len);
	free(dg);
	free(m);
	free(r);
	ike_sa_free(sa);
}

/* A HASH payload of the right length but the wrong value, and one of
 * the wrong length, are refused. */
static void
test_wrong_hash(void **state)
{
	struct ike_sa *sa = keyed_sa(ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256);
	struct v1_msg *m = calloc(1, sizeof(*m)), *r = calloc(1, sizeof(*r));
	uint8_t iv[16], iv0[16], next[16], fake[32], *pt;
	size_t pt_len, i;
	struct wr w;
	static const size_t lens[] = { 32, 20, 31 };

	(void)state;
	assert_int_equal(v1_crypt_msgid_iv(sa, MSGID, iv0), 0);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(fake, 0x33, sizeof(fake));
		memcpy(iv, iv0, 16);
		info_msg(m, MSGID, true);
		m->pl[0].u.data = (struct ike_slice){ fake, lens[i] };
		wr_init(&w, 65535);
		assert_int_equal(v1_seal(sa, m, iv, &w), 0);
		assert_int_equal(v1_decode(w.buf, w.len, r, NULL), 0);
		assert_int_equal(v1_open(sa, r, iv0, next, &pt, &pt_len), 0);
		assert_int_equal(v1_check_hash(sa, r, V1_HASH_1, NULL, 0,
		    NULL, 0), IKE_EMALFORMED);
		v1_pt_free(pt, pt_len);
		wr_free(&w);
	}
	free(m);
	free(r);
	ike_sa_free(sa);
}

/* Without keys nothing is sealed or opened. */
static void
test_unkeyed(void **state)
{
	struct ike_sa *sa;
	struct v1_msg *m = calloc(1, sizeof(*m));
	uint8_t iv[16] = { 0 };
	struct wr w;

	(void)state;
	assert_int_equal(ike_sa_new(true, IKE_SA_INIT_SENT, &sa), 0);
	assert_int_equal(v1_state_new(&sa->v1), 0);
	assert_int_not_equal(v1_crypt_setup(sa), 0);
	info_msg(m, MSGID, true);
	wr_init(&w, 65535);
	assert_int_not_equal(v1_seal(sa, m, iv, &w), 0);
	assert_int_not_equal(v1_crypt_msgid_iv(sa, MSGID, iv), 0);
	wr_free(&w);
	free(m);
	ike_sa_free(sa);
}


/* The duplicate digest is SHA-256 (FIPS 180-2 example "abc"), through
 * crypto_hash(), which also gives the NAT-D hashes (MD5 here: RFC 1321
 * "abc"). */
static void
test_digest(void **state)
{
	static const uint8_t sha256_abc[32] = { 0xba, 0x78, 0x16, 0xbf,
	    0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22,
	    0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10,
	    0xff, 0x61, 0xf2, 0x00, 0x15, 0xad };
	static const uint8_t md5_abc[16] = { 0x90, 0x01, 0x50, 0x98, 0x3c,
	    0xd2, 0x4f, 0xb0, 0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f,
	    0x72 };
	struct crypto_iov v[2] = { { "a", 1 }, { "bc", 2 } };
	uint8_t d[V1_DIGEST_LEN], h[HASH_MAX_LEN];
	size_t len = 0;

	(void)state;
	v1_digest((const uint8_t *)"abc", 3, d);
	assert_memory_equal(d, sha256_abc, sizeof(d));
	assert_int_equal(crypto_hash(PRF_HMAC_MD5, v, 2, h, &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(h, md5_abc, 16);
	assert_int_equal(crypto_hash(PRF_HMAC_SHA2_512, v, 2, h, &len), 0);
	assert_int_equal(len, 64);
	assert_int_equal(crypto_hash(PRF_AES128_XCBC, v, 2, h, &len),
	    IKE_EUNSUPP);
	assert_int_equal(crypto_hash_len(PRF_HMAC_SHA2_384), 48);
	assert_int_equal(crypto_hash_len(PRF_AES128_XCBC), 0);
	v[1].base = NULL;
	assert_int_equal(crypto_hash(PRF_HMAC_SHA1, v, 2, h, &len),
	    IKE_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_iv_chain),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_hashes_independent),
		cmocka_unit_test(test_wrong_hash),
		cmocka_unit_test(test_unkeyed),
		cmocka_unit_test(test_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
