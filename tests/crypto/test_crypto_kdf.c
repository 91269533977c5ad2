/* IKEv2 key derivation (core/crypto/kdf.h) against the NIST SP 800-135
 * IKEv2 KDF known answers (vectors/ikev2_kdf.h): SKEYSEED, the DKM
 * stream, Child SA KEYMAT with and without a new g^ir, the rekey
 * SKEYSEED; then the cutting of those streams into SK_* and Child SA
 * keys in RFC 7296 order, and the refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto/cipher.h"
#include "core/crypto/crypto.h"
#include "core/crypto/integ.h"
#include "core/crypto/kdf.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "hexutil.h"
#include "vectors/ikev2_kdf.h"

struct kdf_in {
	uint8_t	*ni, *nr, *gir, *gir_new, *spi_i, *spi_r;
	size_t	 ni_len, nr_len, gir_len, gir_new_len;
};

static void
kdf_in_load(const struct kdf_vector *v, struct kdf_in *in)
{
	size_t si, sr;

	in->ni = hx(v->ni, &in->ni_len);
	in->nr = hx(v->nr, &in->nr_len);
	in->gir = hx(v->gir, &in->gir_len);
	in->gir_new = hx(v->gir_new, &in->gir_new_len);
	in->spi_i = hx(v->spi_i, &si);
	in->spi_r = hx(v->spi_r, &sr);
	assert_int_equal(si, KDF_SPI_LEN);
	assert_int_equal(sr, KDF_SPI_LEN);
}

static void
assert_key(const struct ike_key *k, const char *want_hex)
{
	size_t len;
	uint8_t *want = hx(want_hex, &len);

	assert_non_null(k);
	assert_int_equal(k->len, len);
	assert_memory_equal(k->data, want, len);
}

/* Every quantity of one NIST vector. */
static void
run_vector(const struct kdf_vector *v)
{
	struct ike_key *seed, *dkm, *sk_d, *km, *rk;
	struct kdf_in in;

	kdf_in_load(v, &in);
	assert_int_equal(kdf_skeyseed(v->prf, 0, in.ni, in.ni_len, in.nr,
	    in.nr_len, in.gir, in.gir_len, &seed), 0);
	assert_key(seed, v->skeyseed);
	assert_int_equal(kdf_ike_dkm(v->prf, 0, seed, in.ni, in.ni_len, in.nr,
	    in.nr_len, in.spi_i, in.spi_r, v->dkm_len, &dkm), 0);
	assert_key(dkm, v->dkm);
	/* SK_d is the first (preferred key length) octets of the stream */
	assert_int_equal(ike_key_from(dkm->data, prf_key_len(v->prf), &sk_d),
	    0);
	assert_int_equal(kdf_child_keymat(v->prf, 0, sk_d, NULL, 0, in.ni,
	    in.ni_len, in.nr, in.nr_len, v->dkm_len, &km), 0);
	assert_key(km, v->dkm_child);
	ike_key_free(km);
	assert_int_equal(kdf_child_keymat(v->prf, 0, sk_d, in.gir_new,
	    in.gir_new_len, in.ni, in.ni_len, in.nr, in.nr_len, v->dkm_len,
	    &km), 0);
	assert_key(km, v->dkm_child_dh);
	assert_int_equal(kdf_skeyseed_rekey(v->prf, 0, sk_d, in.gir_new,
	    in.gir_new_len, in.ni, in.ni_len, in.nr, in.nr_len, &rk), 0);
	assert_key(rk, v->skeyseed_rekey);
	ike_key_free(km);
	ike_key_free(rk);
	ike_key_free(sk_d);
	ike_key_free(dkm);
	ike_key_free(seed);
}

static void
nist_sha256(void **state)
{
	(void)state;
	run_vector(&kdf_nist_sha256);
}

/* The seven keys are consecutive slices of the DKM in the order SK_d,
 * SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr (RFC 7296 s. 2.14), sized by
 * the transforms: AES-CBC-256 + HMAC-SHA2-256-128, then AES-GCM-256
 * (salt included, no integrity keys). */
static void
check_slices(const struct kdf_ike_keys *k, const struct kdf_ike_sizes *s,
    const uint8_t *dkm)
{
	const struct ike_key *ks[7] = { k->sk_d, k->sk_ai, k->sk_ar,
	    k->sk_ei, k->sk_er, k->sk_pi, k->sk_pr };
	size_t lens[7] = { s->d, s->a, s->a, s->e, s->e, s->p, s->p };
	size_t i, off = 0;

	for (i = 0; i < 7; i++) {
		if (lens[i] == 0) {
			assert_null(ks[i]);
			continue;
		}
		assert_non_null(ks[i]);
		assert_int_equal(ks[i]->len, lens[i]);
		assert_memory_equal(ks[i]->data, dkm + off, lens[i]);
		off += lens[i];
	}
}

static void
ike_keys_are_dkm_slices(void **state)
{
	const struct kdf_vector *v = &kdf_nist_sha256;
	struct kdf_ike_sizes s;
	struct kdf_ike_keys k;
	struct ike_key *seed;
	struct kdf_in in;
	uint8_t *dkm = hx(v->dkm, NULL);

	(void)state;
	kdf_in_load(v, &in);
	assert_int_equal(ike_key_from(hx(v->skeyseed, NULL), 32, &seed), 0);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA2_256, ENCR_AES_CBC, 256,
	    AUTH_HMAC_SHA2_256_128, &s), 0);
	assert_true(s.d == 32 && s.a == 32 && s.e == 32 && s.p == 32);
	assert_int_equal(kdf_ike_keys(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, &s, &k), 0);
	check_slices(&k, &s, dkm);
	kdf_ike_keys_free(&k);
	assert_null(k.sk_d);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA2_256, ENCR_AES_GCM_16,
	    256, AUTH_NONE, &s), 0);
	assert_true(s.d == 32 && s.a == 0 && s.e == 36 && s.p == 32);
	assert_int_equal(kdf_ike_keys(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, &s, &k), 0);
	check_slices(&k, &s, dkm);
	kdf_ike_keys_free(&k);
	kdf_ike_keys_free(NULL);
	ike_key_free(seed);
}

/* Child SA keys: encryption then integrity for initiator-to-responder,
 * then the same for responder-to-initiator (RFC 7296 s. 2.17), cut from
 * NIST's DKM(Child SA). */
static void
child_keys_are_keymat_slices(void **state)
{
	const struct kdf_vector *v = &kdf_nist_sha256;
	uint8_t *km = hx(v->dkm_child, NULL), *dkm = hx(v->dkm, NULL);
	struct kdf_child_keys c;
	struct ike_key *sk_d;
	struct kdf_in in;

	(void)state;
	kdf_in_load(v, &in);
	assert_int_equal(ike_key_from(dkm, 32, &sk_d), 0);
	assert_int_equal(kdf_child_keys(PRF_HMAC_SHA2_256, 0, sk_d, NULL, 0,
	    in.ni, in.ni_len, in.nr, in.nr_len, 16, 20, &c), 0);
	assert_int_equal(c.ei->len, 16);
	assert_memory_equal(c.ei->data, km, 16);
	assert_memory_equal(c.ai->data, km + 16, 20);
	assert_memory_equal(c.er->data, km + 36, 16);
	assert_memory_equal(c.ar->data, km + 52, 20);
	kdf_child_keys_free(&c);
	/* AEAD: no integrity keys, 36-octet key + salt per direction */
	assert_int_equal(kdf_child_keys(PRF_HMAC_SHA2_256, 0, sk_d, NULL, 0,
	    in.ni, in.ni_len, in.nr, in.nr_len, 36, 0, &c), 0);
	assert_null(c.ai);
	assert_null(c.ar);
	assert_memory_equal(c.ei->data, km, 36);
	assert_memory_equal(c.er->data, km + 36, 36);
	kdf_child_keys_free(&c);
	kdf_child_keys_free(NULL);
	ike_key_free(sk_d);
}

/* RFC 7296 s. 2.14: with AES-XCBC-PRF-128 SKEYSEED is keyed with the
 * first 64 bits of Ni and of Nr only.  Checked against the PRF itself
 * keyed that way; nonces shorter than 64 bits are refused. */
static void
xcbc_skeyseed_uses_64_bits_of_each_nonce(void **state)
{
	uint8_t ni[32], nr[32], gir[32], key[16], want[16];
	struct crypto_iov v = { gir, sizeof(gir) };
	struct ike_key *seed = NULL;
	struct prf *p;

	(void)state;
	memset(ni, 0x11, sizeof(ni));
	memset(nr, 0x22, sizeof(nr));
	memset(gir, 0x33, sizeof(gir));
	ni[20] = 0x99;	/* beyond the first 64 bits: no effect */
	memcpy(key, ni, 8);
	memcpy(key + 8, nr, 8);
	assert_int_equal(prf_new(PRF_AES128_XCBC, 0, key, 16, &p), 0);
	assert_int_equal(prf_compute(p, &v, 1, want, 16), 0);
	prf_free(p);
	assert_int_equal(kdf_skeyseed(PRF_AES128_XCBC, 0, ni, sizeof(ni), nr,
	    sizeof(nr), gir, sizeof(gir), &seed), 0);
	assert_int_equal(seed->len, 16);
	assert_memory_equal(seed->data, want, 16);
	ike_key_free(seed);
}

static void
sizes_for_suites(void **state)
{
	struct kdf_ike_sizes s;

	(void)state;
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, ENCR_AES_CBC, 128,
	    AUTH_HMAC_SHA1_96, &s), 0);
	assert_true(s.d == 20 && s.a == 20 && s.e == 16 && s.p == 20);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA2_512, ENCR_AES_CBC, 192,
	    AUTH_HMAC_SHA2_512_256, &s), 0);
	assert_true(s.d == 64 && s.a == 64 && s.e == 24 && s.p == 64);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA2_384,
	    ENCR_CHACHA20_POLY1305, 0, AUTH_NONE, &s), 0);
	assert_true(s.d == 48 && s.a == 0 && s.e == 36 && s.p == 48);
	assert_int_equal(kdf_ike_sizes(PRF_AES128_XCBC, ENCR_AES_GCM_16, 128,
	    AUTH_NONE, &s), 0);
	assert_true(s.d == 16 && s.e == 20);
	/* AEAD with an integrity algorithm, CBC without one */
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, ENCR_AES_GCM_16, 128,
	    AUTH_HMAC_SHA1_96, &s), IKE_EINVAL);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, ENCR_AES_CBC, 128,
	    AUTH_NONE, &s), IKE_EINVAL);
	/* a key length the cipher does not take; unknown algorithms */
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, ENCR_AES_CBC, 64,
	    AUTH_HMAC_SHA1_96, &s), IKE_EINVAL);
	assert_int_equal(kdf_ike_sizes(3, ENCR_AES_CBC, 128,
	    AUTH_HMAC_SHA1_96, &s), IKE_EUNSUPP);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, 13, 128,
	    AUTH_HMAC_SHA1_96, &s), IKE_EUNSUPP);
	assert_int_equal(kdf_ike_sizes(PRF_HMAC_SHA1, ENCR_AES_CBC, 128, 3,
	    &s), IKE_EUNSUPP);
}

static void
refusals(void **state)
{
	const struct kdf_vector *v = &kdf_nist_sha256;
	struct kdf_ike_sizes s = { 32, 32, 32, 32 }, zero = { 0, 0, 0, 0 };
	struct kdf_ike_keys k;
	struct kdf_child_keys c;
	struct ike_key *seed, *out = NULL;
	struct kdf_in in;

	(void)state;
	kdf_in_load(v, &in);
	assert_int_equal(ike_key_from(hx(v->skeyseed, NULL), 32, &seed), 0);
	/* 255 prf+ rounds at most: 255 * 32 octets, not one more */
	assert_int_equal(kdf_ike_dkm(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, 255 * 32 + 1,
	    &out), IKE_EINVAL);
	assert_null(out);
	assert_int_equal(kdf_ike_dkm(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, 255 * 32, &out),
	    0);
	assert_memory_equal(out->data, hx(v->dkm, NULL), v->dkm_len);
	ike_key_free(out);
	/* missing inputs */
	assert_int_equal(kdf_ike_dkm(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, NULL, in.spi_r, 32, &out), IKE_EINVAL);
	assert_int_equal(kdf_skeyseed(PRF_HMAC_SHA2_256, 0, NULL, 8, in.nr,
	    in.nr_len, in.gir, in.gir_len, &out), IKE_EINVAL);
	assert_int_equal(kdf_child_keymat(PRF_HMAC_SHA2_256, 0, NULL, NULL, 0,
	    in.ni, in.ni_len, in.nr, in.nr_len, 32, &out), IKE_EINVAL);
	assert_int_equal(kdf_ike_keys(PRF_HMAC_SHA2_256, 0, seed, in.ni,
	    in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, &zero, &k),
	    IKE_EINVAL);
	assert_null(k.sk_d);
	assert_int_equal(kdf_child_keys(PRF_HMAC_SHA2_256, 0, seed, NULL, 0,
	    in.ni, in.ni_len, in.nr, in.nr_len, 0, 20, &c), IKE_EINVAL);
	/* HMAC-MD5 only for a caller that allows legacy algorithms */
	assert_int_equal(kdf_ike_keys(PRF_HMAC_MD5, 0, seed, in.ni, in.ni_len,
	    in.nr, in.nr_len, in.spi_i, in.spi_r, &s, &k), IKE_EUNSUPP);
	assert_int_equal(kdf_ike_keys(PRF_HMAC_MD5, CRYPTO_F_LEGACY, seed,
	    in.ni, in.ni_len, in.nr, in.nr_len, in.spi_i, in.spi_r, &s, &k), 0);
	kdf_ike_keys_free(&k);
	/* XCBC SKEYSEED needs 64 bits of each nonce */
	assert_int_equal(kdf_skeyseed(PRF_AES128_XCBC, 0, in.ni, 7, in.nr, 8,
	    in.gir, in.gir_len, &out), IKE_EINVAL);
	ike_key_free(seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(nist_sha256, hx_teardown),
		cmocka_unit_test_teardown(ike_keys_are_dkm_slices, hx_teardown),
		cmocka_unit_test_teardown(child_keys_are_keymat_slices,
		    hx_teardown),
		cmocka_unit_test_teardown(
		    xcbc_skeyseed_uses_64_bits_of_each_nonce, hx_teardown),
		cmocka_unit_test_teardown(sizes_for_suites, hx_teardown),
		cmocka_unit_test_teardown(refusals, hx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
