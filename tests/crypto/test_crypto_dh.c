/* Diffie-Hellman (core/crypto/dh.h): RFC 7748 s. 5.2 and 6.1 (X25519),
 * RFC 5903 s. 8 (ECP 19, 20, 21), the MODP moduli against their RFC 3526
 * / RFC 7296 appendix B definitions, MODP agreement, and every refusal of
 * a received public value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/dh.h>

#include "core/crypto/crypto.h"
#include "core/crypto/dh.h"
#include "core/crypto/dh_int.h"
#include "core/err.h"
#include "hexutil.h"
#include "vectors/rfc5903.h"

static const uint16_t modp_groups[] = { 1, 2, 5, 14, 15, 16, 17, 18 };

static struct dh *
new_private(uint16_t group, const char *priv_hex)
{
	struct dh *dh = NULL;
	size_t len;
	uint8_t *priv = hx(priv_hex, &len);

	assert_int_equal(dh_new_private(group, 0, priv, len, &dh), 0);
	return dh;
}

/* dh computes peer_hex's shared secret and gets want_hex. */
static void
check_secret(const struct dh *dh, const char *peer_hex, const char *want_hex)
{
	struct ike_key *k = NULL;
	size_t plen, wlen;
	uint8_t *peer = hx(peer_hex, &plen), *want = hx(want_hex, &wlen);

	assert_int_equal(dh_compute(dh, peer, plen, &k), 0);
	assert_int_equal(k->len, wlen);
	assert_memory_equal(k->data, want, wlen);
	ike_key_free(k);
}

static void
check_public(const struct dh *dh, const char *want_hex)
{
	size_t len, wlen;
	const uint8_t *pub = dh_public(dh, &len);
	uint8_t *want = hx(want_hex, &wlen);

	assert_int_equal(len, wlen);
	assert_memory_equal(pub, want, wlen);
}

/* RFC 7748 s. 5.2: the two X25519 test vectors (scalar, u, output). */
static void
x25519_rfc7748_5_2(void **state)
{
	struct dh *dh;

	(void)state;
	dh = new_private(DH_CURVE25519,
	    "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	check_secret(dh,
	    "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	dh_free(dh);
	dh = new_private(DH_CURVE25519,
	    "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
	check_secret(dh,
	    "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
	    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
	dh_free(dh);
}

/* RFC 7748 s. 5.2, the iterated test: k = u = 9; each round computes
 * X25519(k, u), then u = old k, k = result.  After 1 and 1000 rounds. */
static void
x25519_rfc7748_5_2_iterated(void **state)
{
	uint8_t k[32], u[32];
	struct ike_key *r;
	struct dh *dh;
	int i;

	(void)state;
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (i = 1; i <= 1000; i++) {
		assert_int_equal(dh_new_private(DH_CURVE25519, 0, k, 32, &dh),
		    0);
		assert_int_equal(dh_compute(dh, u, 32, &r), 0);
		dh_free(dh);
		memcpy(u, k, 32);
		memcpy(k, r->data, 32);
		ike_key_free(r);
		if (i == 1)
			assert_memory_equal(k, hx("422c8e7a6227d7bca1350b3e2bb72"
			    "79f7897b87bb6854b783c60e80311ae3079", NULL), 32);
	}
	assert_memory_equal(k, hx("684cf59ba83309552800ef566f2f4d3c1c3887c4"
	    "9360e3875f2eb94d99532c51", NULL), 32);
}

/* RFC 7748 s. 6.1: Alice's and Bob's key pairs and their shared K. */
static void
x25519_rfc7748_6_1(void **state)
{
	static const char k[] =
	    "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
	struct dh *a, *b;

	(void)state;
	a = new_private(DH_CURVE25519,
	    "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
	b = new_private(DH_CURVE25519,
	    "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
	check_public(a,
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
	check_public(b,
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
	check_secret(a,
	    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", k);
	check_secret(b,
	    "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", k);
	dh_free(a);
	dh_free(b);
}

/* RFC 7748 s. 6.1 / RFC 8031 s. 2.3: a peer value of small order makes
 * the all-zero secret, which is refused; so is any length but 32. */
static void
x25519_refusals(void **state)
{
	uint8_t u[33];
	struct ike_key *k = NULL;
	struct dh *dh;

	(void)state;
	assert_int_equal(dh_new(DH_CURVE25519, 0, &dh), 0);
	memset(u, 0, sizeof(u));
	assert_int_equal(dh_compute(dh, u, 32, &k), IKE_EMALFORMED);
	u[0] = 1;	/* u = 1, a point of order 4 */
	assert_int_equal(dh_compute(dh, u, 32, &k), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, u, 31, &k), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, u, 33, &k), IKE_EMALFORMED);
	assert_int_equal(dh_check_public(DH_CURVE25519, u, 31),
	    IKE_EMALFORMED);
	assert_null(k);
	/* a bad value leaves the object usable: u = 9 is the base point */
	u[0] = 9;
	assert_int_equal(dh_compute(dh, u, 32, &k), 0);
	ike_key_free(k);
	assert_int_equal(dh_new_private(DH_CURVE25519, 0, u, 31, &dh),
	    IKE_EINVAL);
	dh_free(dh);
}

/* RFC 5903 s. 8.1-8.3: both parties from their private values; the KE
 * data is gix | giy without a prefix and the secret is girx. */
static void
ecp_rfc5903(void **state)
{
	char gi[300], gr[300];
	struct dh *i, *r;
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(rfc5903_vectors) / sizeof(rfc5903_vectors[0]);
	    n++) {
		const struct ecp_vector *v = &rfc5903_vectors[n];

		snprintf(gi, sizeof(gi), "%s%s", v->gix, v->giy);
		snprintf(gr, sizeof(gr), "%s%s", v->grx, v->gry);
		i = new_private(v->group, v->i);
		r = new_private(v->group, v->r);
		check_public(i, gi);
		check_public(r, gr);
		assert_int_equal(dh_check_public(v->group, hx(gi, NULL),
		    dh_public_len(v->group)), 0);
		check_secret(i, gr, v->girx);
		check_secret(r, gi, v->girx);
		dh_free(i);
		dh_free(r);
	}
}

/* A received ECP value must be exactly x | y and a point of the curve. */
static void
ecp_refusals(void **state)
{
	const struct ecp_vector *v = &rfc5903_vectors[0];
	uint8_t buf[2 * 66 + 1];
	char gr[200];
	struct ike_key *k = NULL;
	struct dh *dh;
	uint8_t *pt;

	(void)state;
	snprintf(gr, sizeof(gr), "%s%s", v->grx, v->gry);
	pt = hx(gr, NULL);
	dh = new_private(DH_ECP_256, v->i);
	/* off the curve: last octet of y changed */
	memcpy(buf, pt, 64);
	buf[63] ^= 0x01;
	assert_int_equal(dh_compute(dh, buf, 64, &k), IKE_EMALFORMED);
	assert_int_equal(dh_check_public(DH_ECP_256, buf, 64), IKE_EMALFORMED);
	/* (0, 0) is not on the curve either */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(dh_compute(dh, buf, 64, &k), IKE_EMALFORMED);
	/* the SEC 1 form 0x04 | x | y is not RFC 5903's encoding */
	buf[0] = 0x04;
	memcpy(buf + 1, pt, 64);
	assert_int_equal(dh_compute(dh, buf, 65, &k), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, pt, 63, &k), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, pt, 0, &k), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, NULL, 64, &k), IKE_EMALFORMED);
	assert_null(k);
	check_secret(dh, gr, v->girx);	/* still usable */
	dh_free(dh);
	/* private scalars 0 and the group order n (SEC 2, FIPS 186-4 D.1.2.3)
	 * are out of range */
	memset(buf, 0, 32);
	assert_int_equal(dh_new_private(DH_ECP_256, 0, buf, 32, &dh),
	    IKE_EINVAL);
	assert_int_equal(dh_new_private(DH_ECP_256, 0, hx("FFFFFFFF00000000FFF"
	    "FFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", NULL), 32, &dh),
	    IKE_EINVAL);
}

/* floor(2^e * pi) by Machin's formula pi = 16 atan(1/5) - 4 atan(1/239),
 * in fixed point with 64 guard bits; a rounding slip shows up as a
 * mismatch, never as a false match. */
static void
atan_inv(BIGNUM *sum, unsigned int x, int scale_bits)
{
	BIGNUM *t = BN_new(), *q = BN_new();
	BN_ULONG k;
	int neg = 0;

	assert_non_null(t);
	assert_non_null(q);
	assert_true(BN_one(t) && BN_lshift(t, t, scale_bits));
	assert_true(BN_div_word(t, x) != (BN_ULONG)-1);
	BN_zero(sum);
	for (k = 1; !BN_is_zero(t); k += 2, neg = !neg) {
		assert_non_null(BN_copy(q, t));
		assert_true(BN_div_word(q, k) != (BN_ULONG)-1);
		assert_true(neg ? BN_sub(sum, sum, q) : BN_add(sum, sum, q));
		assert_true(BN_div_word(t, (BN_ULONG)x * x) != (BN_ULONG)-1);
	}
	BN_free(t);
	BN_free(q);
}

static BIGNUM *
floor_pi_times_2_to(int e)
{
	BIGNUM *a = BN_new(), *b = BN_new();

	assert_non_null(a);
	assert_non_null(b);
	atan_inv(a, 5, e + 64);
	atan_inv(b, 239, e + 64);
	assert_true(BN_lshift(a, a, 4) && BN_lshift(b, b, 2) &&
	    BN_sub(a, a, b) && BN_rshift(a, a, 64));
	BN_free(b);
	return a;
}

/* Each modulus equals 2^n - 2^(n-64) - 1 + 2^64 * ([2^(n-130) pi] + k)
 * with the n and k of RFC 7296 appendix B and RFC 3526 s. 2-7. */
static void
modp_primes_match_definition(void **state)
{
	static const struct { uint16_t g; const char *hex; int n; BN_ULONG k; }
	    t[] = {
		{ 1, dh_modp_768, 768, 149686 },
		{ 2, dh_modp_1024, 1024, 129093 },
		{ 5, dh_modp_1536, 1536, 741804 },
		{ 14, dh_modp_2048, 2048, 124476 },
		{ 15, dh_modp_3072, 3072, 1690314 },
		{ 16, dh_modp_4096, 4096, 240904 },
		{ 17, dh_modp_6144, 6144, 929484 },
		{ 18, dh_modp_8192, 8192, 4743158 },
	};
	BIGNUM *p = NULL, *want, *x = BN_new();
	size_t i;

	(void)state;
	assert_non_null(x);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		want = floor_pi_times_2_to(t[i].n - 130);
		assert_true(BN_add_word(want, t[i].k) &&
		    BN_lshift(want, want, 64));
		assert_true(BN_one(x) && BN_lshift(x, x, t[i].n) &&
		    BN_add(want, want, x));
		assert_true(BN_one(x) && BN_lshift(x, x, t[i].n - 64) &&
		    BN_sub(want, want, x) && BN_sub_word(want, 1));
		assert_true(BN_hex2bn(&p, t[i].hex) > 0);
		assert_int_equal(BN_num_bits(p), t[i].n);
		assert_int_equal(dh_public_len(t[i].g), (size_t)t[i].n / 8);
		assert_int_equal(BN_cmp(p, want), 0);
		BN_free(want);
		BN_free(p);
		p = NULL;
	}
	/* and group 5 is the 1536-bit prime BoringSSL carries on its own */
	assert_non_null(want = BN_get_rfc3526_prime_1536(NULL));
	assert_true(BN_hex2bn(&p, dh_modp_1536) > 0);
	assert_int_equal(BN_cmp(p, want), 0);
	BN_free(want);
	BN_free(p);
	BN_free(x);
}

/* Two parties of each MODP group agree; their values pass the peer
 * check; the exponent has the size of the dh.h table. */
static void
modp_agreement(void **state)
{
	static const int bits[] = { 160, 160, 240, 320, 420, 480, 540, 620 };
	struct ike_key *ka, *kb;
	const uint8_t *pa, *pb;
	struct dh *a, *b;
	size_t i, la, lb;

	(void)state;
	for (i = 0; i < sizeof(modp_groups) / sizeof(modp_groups[0]); i++) {
		uint16_t g = modp_groups[i];

		assert_int_equal(dh_new(g, CRYPTO_F_LEGACY, &a), 0);
		assert_int_equal(dh_new(g, CRYPTO_F_LEGACY, &b), 0);
		assert_int_equal(BN_num_bits(a->x), bits[i]);
		assert_int_equal(dh_group_of(a), g);
		pa = dh_public(a, &la);
		pb = dh_public(b, &lb);
		assert_int_equal(la, dh_public_len(g));
		assert_int_equal(dh_check_public(g, pa, la), 0);
		assert_int_equal(dh_compute(a, pb, lb, &ka), 0);
		assert_int_equal(dh_compute(b, pa, la, &kb), 0);
		assert_int_equal(ka->len, dh_secret_len(g));
		assert_memory_equal(ka->data, kb->data, ka->len);
		assert_memory_not_equal(pa, pb, la);
		ike_key_free(ka);
		ike_key_free(kb);
		dh_free(a);
		dh_free(b);
	}
}

/* y as len big-endian octets: p + delta for delta in {-1, 0, 1}. */
static void
p_plus(const char *hex, int delta, uint8_t *out, size_t len)
{
	BIGNUM *p = NULL;

	assert_true(BN_hex2bn(&p, hex) > 0);
	assert_true(delta < 0 ? BN_sub_word(p, 1) :
	    delta > 0 ? BN_add_word(p, 1) : 1);
	memset(out, 0, len);
	if (BN_num_bytes(p) <= len)
		assert_true(BN_bn2bin_padded(out, len, p));
	else	/* p + 1 does not fit in len octets: use all-ones */
		memset(out, 0xff, len);
	BN_free(p);
}

static void
expect_refused(const struct dh *dh, uint16_t g, const uint8_t *y, size_t len)
{
	struct ike_key *k = NULL;

	assert_int_equal(dh_check_public(g, y, len), IKE_EMALFORMED);
	assert_int_equal(dh_compute(dh, y, len, &k), IKE_EMALFORMED);
	assert_null(k);
}

/* RFC 6989: 0, 1, p - 1, p and p + 1 are refused, as is any length but
 * the modulus length; 2 and p - 2 are fine. */
static void
modp_refusals(void **state)
{
	static const uint16_t g = DH_MODP_2048;
	uint8_t y[257];
	struct ike_key *k;
	struct dh *dh;

	(void)state;
	assert_int_equal(dh_new(g, 0, &dh), 0);
	memset(y, 0, sizeof(y));
	expect_refused(dh, g, y, 256);				/* 0 */
	y[255] = 1;
	expect_refused(dh, g, y, 256);				/* 1 */
	p_plus(dh_modp_2048, -1, y, 256);
	expect_refused(dh, g, y, 256);				/* p - 1 */
	p_plus(dh_modp_2048, 0, y, 256);
	expect_refused(dh, g, y, 256);				/* p */
	p_plus(dh_modp_2048, 1, y, 256);
	expect_refused(dh, g, y, 256);				/* p + 1 */
	memset(y, 0xff, sizeof(y));
	expect_refused(dh, g, y, 256);				/* > p */
	memset(y, 0, sizeof(y));
	y[255] = 2;
	expect_refused(dh, g, y, 255);				/* short */
	expect_refused(dh, g, y, 257);				/* long */
	expect_refused(dh, g, y, 0);
	assert_int_equal(dh_check_public(g, y, 256), 0);	/* 2 */
	assert_int_equal(dh_compute(dh, y, 256, &k), 0);
	ike_key_free(k);
	p_plus(dh_modp_2048, -1, y, 256);
	y[255] -= 1;						/* p - 2 */
	assert_int_equal(dh_check_public(g, y, 256), 0);
	dh_free(dh);
}

/* A given MODP private value must satisfy 1 < x < p - 1. */
static void
modp_private_range(void **state)
{
	uint8_t x[257];
	struct dh *dh = NULL;

	(void)state;
	memset(x, 0, sizeof(x));
	x[255] = 1;
	assert_int_equal(dh_new_private(DH_MODP_2048, 0, x, 256, &dh),
	    IKE_EINVAL);
	p_plus(dh_modp_2048, -1, x, 256);
	assert_int_equal(dh_new_private(DH_MODP_2048, 0, x, 256, &dh),
	    IKE_EINVAL);
	assert_int_equal(dh_new_private(DH_MODP_2048, 0, x, 257, &dh),
	    IKE_EINVAL);
	assert_int_equal(dh_new_private(DH_MODP_2048, 0, NULL, 0, &dh),
	    IKE_EINVAL);
	assert_null(dh);
	x[0] = 2;
	assert_int_equal(dh_new_private(DH_MODP_2048, 0, x, 1, &dh), 0);
	dh_free(dh);
}

/* Groups 1, 2 and 5 only with CRYPTO_F_LEGACY; unknown groups never. */
static void
group_table_and_legacy(void **state)
{
	static const uint16_t unknown[] = { 0, 3, 4, 22, 25, 30, 32, 1024 };
	struct dh *dh = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modp_groups) / sizeof(modp_groups[0]); i++)
		assert_int_equal(dh_is_legacy(modp_groups[i]),
		    modp_groups[i] <= 5);
	assert_int_equal(dh_new(DH_MODP_768, 0, &dh), IKE_EUNSUPP);
	assert_int_equal(dh_new(DH_MODP_1024, 0, &dh), IKE_EUNSUPP);
	assert_int_equal(dh_new(DH_MODP_1536, 0, &dh), IKE_EUNSUPP);
	assert_null(dh);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_false(dh_supported(unknown[i]));
		assert_int_equal(dh_public_len(unknown[i]), 0);
		assert_int_equal(dh_new(unknown[i], CRYPTO_F_LEGACY, &dh),
		    IKE_EUNSUPP);
		assert_int_equal(dh_check_public(unknown[i], (const uint8_t *)
		    "x", 1), IKE_EUNSUPP);
	}
	assert_int_equal(dh_public_len(DH_ECP_521), 132);
	assert_int_equal(dh_secret_len(DH_ECP_521), 66);
	assert_int_equal(dh_public_len(DH_CURVE25519), 32);
	assert_string_equal(dh_name(DH_ECP_384), "ECP_384");
	assert_string_equal(dh_name(77), "unknown");
	assert_false(dh_is_legacy(DH_MODP_2048));
	dh_free(NULL);
}

/* ECP and X25519 parties agree too, and fresh keys differ. */
static void
ec_agreement(void **state)
{
	static const uint16_t g[] = { 19, 20, 21, 31 };
	struct ike_key *ka, *kb;
	const uint8_t *pa, *pb;
	struct dh *a, *b;
	size_t i, la, lb;

	(void)state;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		assert_int_equal(dh_new(g[i], 0, &a), 0);
		assert_int_equal(dh_new(g[i], 0, &b), 0);
		pa = dh_public(a, &la);
		pb = dh_public(b, &lb);
		assert_memory_not_equal(pa, pb, la);
		assert_int_equal(dh_compute(a, pb, lb, &ka), 0);
		assert_int_equal(dh_compute(b, pa, la, &kb), 0);
		assert_int_equal(ka->len, dh_secret_len(g[i]));
		assert_memory_equal(ka->data, kb->data, ka->len);
		ike_key_free(ka);
		ike_key_free(kb);
		dh_free(a);
		dh_free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(x25519_rfc7748_5_2, hx_teardown),
		cmocka_unit_test_teardown(x25519_rfc7748_5_2_iterated,
		    hx_teardown),
		cmocka_unit_test_teardown(x25519_rfc7748_6_1, hx_teardown),
		cmocka_unit_test_teardown(x25519_refusals, hx_teardown),
		cmocka_unit_test_teardown(ecp_rfc5903, hx_teardown),
		cmocka_unit_test_teardown(ecp_refusals, hx_teardown),
		cmocka_unit_test_teardown(modp_primes_match_definition,
		    hx_teardown),
		cmocka_unit_test_teardown(modp_agreement, hx_teardown),
		cmocka_unit_test_teardown(modp_refusals, hx_teardown),
		cmocka_unit_test_teardown(modp_private_range, hx_teardown),
		cmocka_unit_test_teardown(group_table_and_legacy, hx_teardown),
		cmocka_unit_test_teardown(ec_agreement, hx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
