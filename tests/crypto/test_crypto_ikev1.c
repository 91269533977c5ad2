/* IKEv1 key derivation, IVs and HASH payloads (core/crypto/ikev1_kdf.h,
 * RFC 2409 s. 5, 5.5, 5.7, App. B).
 *
 * SKEYID and SKEYID_d/_a/_e are checked against NIST's IKEv1 KDF known
 * answers (the NIST SP 800-135 rev. 1 IKEv1 KDF, as the CAVP/ACVP
 * "kdf-components" ikev1 tests check it), below.  Everything RFC 2409 derives after that has no
 * published vectors; those tests are worked examples whose expected
 * values were computed with the OpenSSL command line, independently of
 * the code under test, by the command next to each value.  The commands
 * use these shell variables:
 *
 *   # SHA-1 keys: the "PSK IKEv1 - SHA-1" NIST case below
 *   SKEYID=ce066bb6939856e17798a7dbd599621d46fb9199
 *   SKEYID_D=ae745755722d9d755b8ad9cea17eea05044c69d4
 *   SKEYID_A=a4bf03f1582e14ec2b9eab5c3f6427a19d01ed6f
 *   SKEYID_E=9e78d632eff0c69b4f4f878c99797c513b37a73e
 *   NI=1ead7e319ffa3461; NR=11111bfb76949326
 *   GXY=021330da3ce97cd999dba9c23c7b65c7a2a64e98f645fa3fbfd75730
 *   CKYI=e0ed2d580d55e1b7; CKYR=855e41db01bafb88
 *   # SKEYID_d of "PSK IKEv1 - SHA2-256", SKEYID_a of "... - SHA2-512"
 *   SKEYID_D256=d5f17d7935b769ec54dda77b8d5139f13e6ed3462d0a2532154e74846f0af50b
 *   SKEYID_A512=dcd0bb2cb122e492a2ba6017cd25d8d6b000624d28969062236e683511ee45ea42e8591f06f8c7bda535c49f57e73c658dc37ed66d891fda33ce6f0c794caccf
 *   # made-up exchange values (any bytes do for a KDF)
 *   GXI=12963d157321bcefd1a7d0fe43225055687df103338ceb595576d4ad8b83224c
 *   GXR=02e892e32e912374078899798bbd3ab0a9265d3b39d715bb5ff218e659496055
 *   SAI=00000001000000010000002001010001000000180101000080010007800e00808002000280030001
 *   IDII=01000000c0000201; IDIR=01000000c0000202
 *   MSGID=5a3c9e71
 *   NI2=bffa40783bc1229af96c7b9a34ad5756; NR2=c02e2d87710b826f5fd20eb35e85991c
 *   REST1=0a00000c000000010000000100000014$NI2
 *   REST2=0a00000c000000010000000100000014$NR2
 *   ND=00000010000000010304000112345678
 *   PROTO=03; SPI=12345678
 *   GQM=fecd8c137c2f774d211f11de1d3489190c99118db101587aea2b7a4de8429362
 *   LAST16=e2f3b14163c198562ae923b257836297; LAST8=4c5e946d46cb94f5
 *   PT=e75b11da693d7bb5273985dcf9f02729; PT2=8787b68d6cef24c6
 *   PSK5=7365637265742d6d6435
 *   # HMAC and hash, as used below:
 *   hmac() { printf %s "$3" | xxd -r -p |
 *       openssl dgst -$1 -mac HMAC -macopt hexkey:$2 | awk '{print $NF}'; }
 *   hash() { printf %s "$2" | xxd -r -p | openssl dgst -$1 |
 *       awk '{print $NF}'; }
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto/cipher.h"
#include "core/crypto/crypto.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/ikev1_kdf.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "hexutil.h"
#include "tests/crypto/vectors/ikev1_kdf.h"

#define LEGACY	CRYPTO_F_LEGACY


static void
assert_key(const struct ike_key *k, const char *want_hex)
{
	size_t len;
	uint8_t *want = hx(want_hex, &len);

	assert_non_null(k);
	assert_int_equal(k->len, len);
	assert_memory_equal(k->data, want, len);
}

static void
assert_bytes(const uint8_t *got, size_t got_len, const char *want_hex)
{
	size_t len;
	uint8_t *want = hx(want_hex, &len);

	assert_int_equal(got_len, len);
	assert_memory_equal(got, want, len);
}

static struct ike_key *
key_hx(const char *hex)
{
	struct ike_key *k;
	size_t len;
	uint8_t *b = hx(hex, &len);

	assert_int_equal(ike_key_from(b, len, &k), 0);
	return k;
}

static void
cavp_in(const struct v1_cavp *c, struct ikev1_ph1_in *in)
{
	size_t li, lr;

	memset(in, 0, sizeof(*in));
	in->ni = hx(c->ni, &in->ni_len);
	in->nr = hx(c->nr, &in->nr_len);
	in->gxy = hx(c->gxy, &in->gxy_len);
	in->cky_i = hx(c->cky_i, &li);
	in->cky_r = hx(c->cky_r, &lr);
	assert_int_equal(li, IKEV1_COOKIE_LEN);
	assert_int_equal(lr, IKEV1_COOKIE_LEN);
}

static void
cavp_run(const struct v1_cavp *c)
{
	struct ikev1_ph1_in in;
	struct ikev1_skeyids k;
	struct ike_key *skeyid = NULL;
	uint8_t *psk;
	size_t psk_len;

	cavp_in(c, &in);
	if (c->auth == V1_PSK) {
		psk = hx(c->psk, &psk_len);
		assert_int_equal(ikev1_skeyid_psk(c->prf, 0, psk, psk_len, &in,
		    &skeyid), 0);
	} else if (c->auth == V1_SIG)
		assert_int_equal(ikev1_skeyid_sig(c->prf, 0, &in, &skeyid), 0);
	else
		assert_int_equal(ikev1_skeyid_pke(c->prf, 0, &in, &skeyid), 0);
	assert_key(skeyid, c->skeyid);
	assert_int_equal(ikev1_skeyid_dae(c->prf, 0, skeyid, &in, &k), 0);
	assert_key(k.d, c->skeyid_d);
	assert_key(k.a, c->skeyid_a);
	assert_key(k.e, c->skeyid_e);
	ikev1_skeyids_free(&k);
	assert_null(k.d);
	ike_key_free(skeyid);
}

static void
test_cavp(void **state)
{
	size_t i, n[3] = { 0, 0, 0 };

	(void)state;
	for (i = 0; i < sizeof(cavp) / sizeof(cavp[0]); i++) {
		print_message("%s\n", cavp[i].name);
		cavp_run(&cavp[i]);
		n[cavp[i].auth]++;
	}
	assert_int_equal(n[V1_PSK], 3);
	assert_int_equal(n[V1_SIG], 3);
	assert_int_equal(n[V1_PKE], 3);
}

static void
test_prf_of_hash(void **state)
{
	uint16_t prf = 0xffff;

	(void)state;
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_MD5, &prf), 0);
	assert_int_equal(prf, PRF_HMAC_MD5);
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_SHA, &prf), 0);
	assert_int_equal(prf, PRF_HMAC_SHA1);
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_SHA2_256, &prf), 0);
	assert_int_equal(prf, PRF_HMAC_SHA2_256);
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_SHA2_384, &prf), 0);
	assert_int_equal(prf, PRF_HMAC_SHA2_384);
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_SHA2_512, &prf), 0);
	assert_int_equal(prf, PRF_HMAC_SHA2_512);
	/* Tiger (3), 0 and unassigned values; *prf stays untouched */
	assert_int_equal(ikev1_prf_of_hash(3, &prf), IKE_EUNSUPP);
	assert_int_equal(ikev1_prf_of_hash(0, &prf), IKE_EUNSUPP);
	assert_int_equal(ikev1_prf_of_hash(7, &prf), IKE_EUNSUPP);
	assert_int_equal(prf, PRF_HMAC_SHA2_512);
	assert_int_equal(ikev1_prf_of_hash(IKEV1_HASH_SHA, NULL), IKE_EINVAL);
}

/* The SHA-1 phase-1 inputs shared by the worked examples. */
static void
sha1_in(struct ikev1_ph1_in *in)
{
	cavp_in(&cavp[0], in);
}

/* A whole MD5 (legacy) phase 1 with a pre-shared key. */
static void
test_md5_phase1(void **state)
{
	struct ikev1_ph1_in in;
	struct ikev1_skeyids k;
	struct ike_key *skeyid = NULL, *ka;
	size_t plen;
	uint8_t *psk = hx("7365637265742d6d6435", &plen);	/* $PSK5 */

	(void)state;
	sha1_in(&in);
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_MD5, 0, psk, plen, &in,
	    &skeyid), IKE_EUNSUPP);		/* MD5 needs LEGACY */
	assert_null(skeyid);
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_MD5, LEGACY, psk, plen,
	    &in, &skeyid), 0);
	/* hmac md5 $PSK5 $NI$NR */
	assert_key(skeyid, "22058bdfc3a3d18b08d4e5f5930d1172");
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_MD5, LEGACY, skeyid, &in,
	    &k), 0);
	/* SKEYID5=22058bdfc3a3d18b08d4e5f5930d1172
	 * hmac md5 $SKEYID5 ${GXY}${CKYI}${CKYR}00 */
	assert_key(k.d, "7aeb56d1c792b50cdc093a57ffe1608b");
	/* hmac md5 $SKEYID5 7aeb56d1c792b50cdc093a57ffe1608b${GXY}${CKYI}${CKYR}01 */
	assert_key(k.a, "7afdb1db0c5006ed49ae9ec54806a875");
	/* hmac md5 $SKEYID5 7afdb1db0c5006ed49ae9ec54806a875${GXY}${CKYI}${CKYR}02 */
	assert_key(k.e, "5311be97c6e5aefbb6d22b6f88c9111d");
	/* 3DES needs 24 octets, MD5 gives 16: Ka = K1 | K2, 24 octets of it.
	 * K1: hmac md5 5311be97c6e5aefbb6d22b6f88c9111d 00
	 * K2: hmac md5 5311be97c6e5aefbb6d22b6f88c9111d 1872cd9c8a89e214c63220c2a6084221 */
	assert_int_equal(ikev1_enc_key(PRF_HMAC_MD5, LEGACY, k.e, 24, &ka), 0);
	assert_key(ka, "1872cd9c8a89e214c63220c2a6084221" "8a73d626d9406e5a");
	ike_key_free(ka);
	/* AES-256: all of K1 | K2 */
	assert_int_equal(ikev1_enc_key(PRF_HMAC_MD5, LEGACY, k.e, 32, &ka), 0);
	assert_key(ka, "1872cd9c8a89e214c63220c2a6084221"
	    "8a73d626d9406e5a036c36b7b21db9dc");
	ike_key_free(ka);
	/* AES-128: SKEYID_e itself */
	assert_int_equal(ikev1_enc_key(PRF_HMAC_MD5, LEGACY, k.e, 16, &ka), 0);
	assert_key(ka, "5311be97c6e5aefbb6d22b6f88c9111d");
	ike_key_free(ka);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_MD5, 0, k.e, 16, &ka),
	    IKE_EUNSUPP);
	ikev1_skeyids_free(&k);
	ike_key_free(skeyid);
}

/* Ka from a 20-octet SHA-1 SKEYID_e:
 *   K1: hmac sha1 $SKEYID_E 00
 *       = ecef173cb372e52cc1a04e6767a433a807bd9ef1
 *   K2: hmac sha1 $SKEYID_E ecef173cb372e52cc1a04e6767a433a807bd9ef1
 *       = 89c11ce061ae8b33002054d8c8453b1646aead05
 *   K3: hmac sha1 $SKEYID_E 89c11ce061ae8b33002054d8c8453b1646aead05
 *       = de10926ec4ca026a161a0dfa96a22757c3a89272 */
#define SHA1_K1	"ecef173cb372e52cc1a04e6767a433a807bd9ef1"
#define SHA1_K2	"89c11ce061ae8b33002054d8c8453b1646aead05"

static void
check_enc_key(uint16_t prf, const struct ike_key *e, size_t len,
    const char *want)
{
	struct ike_key *ka = NULL;

	assert_int_equal(ikev1_enc_key(prf, 0, e, len, &ka), 0);
	assert_key(ka, want);
	ike_key_free(ka);
}

static void
test_enc_key(void **state)
{
	struct ike_key *e = key_hx(cavp[0].skeyid_e);
	struct ike_key *e256 = key_hx(cavp[1].skeyid_e);

	(void)state;
	/* AES-128: the first 16 octets of SKEYID_e, no extension */
	check_enc_key(PRF_HMAC_SHA1, e, 16, "9e78d632eff0c69b4f4f878c99797c51");
	check_enc_key(PRF_HMAC_SHA1, e, 20, cavp[0].skeyid_e);
	/* 3DES and AES-192: 24 octets of K1 | K2 */
	check_enc_key(PRF_HMAC_SHA1, e, 24, SHA1_K1 "89c11ce0");
	/* AES-256: 32 octets of K1 | K2 */
	check_enc_key(PRF_HMAC_SHA1, e, 32, SHA1_K1 "89c11ce061ae8b33002054d8");
	/* a third round: 48 octets of K1 | K2 | K3 */
	check_enc_key(PRF_HMAC_SHA1, e, 48, SHA1_K1 SHA1_K2 "de10926ec4ca026a");
	/* SHA2-256 with AES-256: SKEYID_e exactly */
	check_enc_key(PRF_HMAC_SHA2_256, e256, 32, cavp[1].skeyid_e);
	ike_key_free(e);
	ike_key_free(e256);
}

#define GXI "12963d157321bcefd1a7d0fe43225055687df103338ceb595576d4ad8b83224c"
#define GXR "02e892e32e912374078899798bbd3ab0a9265d3b39d715bb5ff218e659496055"

static void
check_iv1(uint16_t prf, unsigned int flags, size_t len, const char *want)
{
	uint8_t iv[64];
	size_t gil, grl;
	uint8_t *gi = hx(GXI, &gil), *gr = hx(GXR, &grl);

	memset(iv, 0xee, sizeof(iv));
	assert_int_equal(ikev1_iv_phase1(prf, flags, gi, gil, gr, grl, iv,
	    len), 0);
	assert_bytes(iv, len, want);
	assert_int_equal(iv[len], 0xee);	/* nothing past iv_len */
}

static void
test_iv_phase1(void **state)
{
	(void)state;
	/* hash sha1 $GXI$GXR = 04efb8341f33973b23cc4dfe2b88750de8552738 */
	check_iv1(PRF_HMAC_SHA1, 0, 8, "04efb8341f33973b");
	check_iv1(PRF_HMAC_SHA1, 0, 16, "04efb8341f33973b23cc4dfe2b88750d");
	check_iv1(PRF_HMAC_SHA1, 0, 20,
	    "04efb8341f33973b23cc4dfe2b88750de8552738");
	/* hash md5 $GXI$GXR = d60d65aa468e1ce9379c51b6b06a8644 */
	check_iv1(PRF_HMAC_MD5, LEGACY, 8, "d60d65aa468e1ce9");
	check_iv1(PRF_HMAC_MD5, LEGACY, 16, "d60d65aa468e1ce9379c51b6b06a8644");
	/* hash sha256 $GXI$GXR = cede424b78970706306f693fa9cd8473f46b... */
	check_iv1(PRF_HMAC_SHA2_256, 0, 16, "cede424b78970706306f693fa9cd8473");
	/* hash sha384 $GXI$GXR = c55c838e35596e9050bb176a3fae68b765c2... */
	check_iv1(PRF_HMAC_SHA2_384, 0, 16, "c55c838e35596e9050bb176a3fae68b7");
}

static void
test_iv_msgid(void **state)
{
	uint8_t iv[16];
	uint8_t *l16 = hx("e2f3b14163c198562ae923b257836297", NULL);
	uint8_t *l8 = hx("4c5e946d46cb94f5", NULL);

	(void)state;
	/* hash sha1 $LAST16$MSGID = 1c94414f3fc73b847935013473e1c18128497966 */
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, l16, 0x5a3c9e71, iv,
	    16), 0);
	assert_bytes(iv, 16, "1c94414f3fc73b847935013473e1c181");
	/* hash sha1 $LAST8$MSGID = 457ee30e02fa39f34aa41443264b6b480e1c17bb */
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, l8, 0x5a3c9e71, iv,
	    8), 0);
	assert_bytes(iv, 8, "457ee30e02fa39f3");
	/* in place: the phase-1 block buffer becomes the exchange's IV */
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, l8, 0x5a3c9e71, l8,
	    8), 0);
	assert_bytes(l8, 8, "457ee30e02fa39f3");
	/* another Message ID, another IV */
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, l16, 0x5a3c9e72, iv,
	    16), 0);
	assert_memory_not_equal(iv, hx("1c94414f3fc73b847935013473e1c181",
	    NULL), 16);
}

static void
test_iv_next(void **state)
{
	uint8_t iv[8];
	uint8_t *ct = hx("0001020304050607 08090a0b0c0d0e0f", NULL);

	(void)state;
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 16), 0);
	assert_bytes(iv, 8, "08090a0b0c0d0e0f");
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 8), 0);
	assert_bytes(iv, 8, "0001020304050607");
	/* refused, iv untouched: not whole blocks, empty, NULL */
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 12), IKE_EINVAL);
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 7), IKE_EINVAL);
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 0), IKE_EINVAL);
	assert_int_equal(ikev1_iv_next(iv, 0, ct, 16), IKE_EINVAL);
	assert_int_equal(ikev1_iv_next(iv, 8, NULL, 16), IKE_EINVAL);
	assert_int_equal(ikev1_iv_next(NULL, 8, ct, 16), IKE_EINVAL);
	assert_bytes(iv, 8, "0001020304050607");
	/* in place in the ciphertext buffer */
	assert_int_equal(ikev1_iv_next(ct, 8, ct, 16), 0);
	assert_bytes(ct, 8, "08090a0b0c0d0e0f");
}

static struct sk_cipher *
cbc_new(uint16_t encr, uint16_t bits, const struct ike_key *key)
{
	struct sk_cipher *c = NULL;

	assert_int_equal(sk_cipher_new(encr, bits, key->data, key->len,
	    AUTH_NONE, NULL, 0, LEGACY | SK_F_NO_INTEG, &c), 0);
	return c;
}

/* Two phase-1 messages under 3DES-CBC: the first with the IV from
 * g^xi | g^xr, the second chained on the first's last block.
 *   KA3=ecef173cb372e52cc1a04e6767a433a807bd9ef189c11ce0 (test_enc_key)
 *   CT1: printf %s $PT | xxd -r -p | openssl enc -des-ede3-cbc -K $KA3
 *        -iv 04efb8341f33973b -nopad | xxd -p
 *   CT2: printf %s $PT2 | xxd -r -p | openssl enc -des-ede3-cbc -K $KA3
 *        -iv 8a9b42c171d5695d -nopad | xxd -p */
static void
test_cbc_chain_3des(void **state)
{
	struct ike_key *e = key_hx(cavp[0].skeyid_e), *ka;
	struct ikev1_ph1_in in;
	struct sk_cipher *c;
	uint8_t iv[8], ct[16], pt[16];
	uint8_t *p1 = hx("e75b11da693d7bb5273985dcf9f02729", NULL);
	uint8_t *p2 = hx("8787b68d6cef24c6", NULL);

	(void)state;
	sha1_in(&in);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e, 24, &ka), 0);
	c = cbc_new(ENCR_3DES, 0, ka);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, hx(GXI, NULL), 32,
	    hx(GXR, NULL), 32, iv, sizeof(iv)), 0);
	assert_int_equal(sk_cipher_encrypt(c, iv, NULL, 0, p1, 16, ct, NULL),
	    0);
	assert_bytes(ct, 16, "9622f134a127c3028a9b42c171d5695d");
	assert_int_equal(ikev1_iv_next(iv, 8, ct, 16), 0);
	assert_int_equal(sk_cipher_encrypt(c, iv, NULL, 0, p2, 8, ct, NULL),
	    0);
	assert_bytes(ct, 8, "a2edb1f5918c77ff");
	/* the receiver decrypts with the same chained IV */
	assert_int_equal(sk_cipher_decrypt(c, iv, NULL, 0, ct, 8, NULL, pt),
	    0);
	assert_memory_equal(pt, p2, 8);
	sk_cipher_free(c);
	ike_key_free(ka);
	ike_key_free(e);
}

/* The first Quick Mode message under AES-128-CBC (SHA-1):
 *   printf %s $PT | xxd -r -p | openssl enc -aes-128-cbc
 *       -K 9e78d632eff0c69b4f4f878c99797c51
 *       -iv 1c94414f3fc73b847935013473e1c181 -nopad | xxd -p */
static void
test_cbc_aes_quick_mode(void **state)
{
	struct ike_key *e = key_hx(cavp[0].skeyid_e), *ka;
	struct sk_cipher *c;
	uint8_t iv[16], ct[16];
	uint8_t *l16 = hx("e2f3b14163c198562ae923b257836297", NULL);
	uint8_t *p1 = hx("e75b11da693d7bb5273985dcf9f02729", NULL);

	(void)state;
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e, 16, &ka), 0);
	c = cbc_new(ENCR_AES_CBC, 128, ka);
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, l16, 0x5a3c9e71, iv,
	    16), 0);
	assert_int_equal(sk_cipher_encrypt(c, iv, NULL, 0, p1, 16, ct, NULL),
	    0);
	assert_bytes(ct, 16, "ce65f68450f7924657eb0a72966d58eb");
	sk_cipher_free(c);
	ike_key_free(ka);
	ike_key_free(e);
}

#define SAI	"0000000100000001000000200101000100000018" \
		"0101000080010007800e00808002000280030001"

static void
auth_in(struct ikev1_auth_in *a, const char *id_hex)
{
	memset(a, 0, sizeof(*a));
	a->gxi = hx(GXI, &a->gxi_len);
	a->gxr = hx(GXR, &a->gxr_len);
	a->cky_i = hx(cavp[0].cky_i, NULL);
	a->cky_r = hx(cavp[0].cky_r, NULL);
	a->sai_b = hx(SAI, &a->sai_len);
	a->id_b = hx(id_hex, &a->id_len);
}

static void
test_hash_i_r(void **state)
{
	struct ike_key *skeyid = key_hx(cavp[0].skeyid);
	struct ike_key *skeyid5 = key_hx("22058bdfc3a3d18b08d4e5f5930d1172");
	struct ikev1_auth_in a;
	uint8_t out[PRF_MAX_OUT];

	(void)state;
	auth_in(&a, "01000000c0000201");	/* IDii_b */
	/* hmac sha1 $SKEYID $GXI$GXR$CKYI$CKYR$SAI$IDII */
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, skeyid, &a, out, 20),
	    0);
	assert_bytes(out, 20, "e2a9b150bf2e582f0f70cbf056b17b8a5d350001");
	assert_int_equal(ikev1_hash_equal(out,
	    hx("e2a9b150bf2e582f0f70cbf056b17b8a5d350001", NULL), 20), 0);
	/* hmac md5 $SKEYID5 $GXI$GXR$CKYI$CKYR$SAI$IDII (test_md5_phase1) */
	assert_int_equal(ikev1_hash_i(PRF_HMAC_MD5, LEGACY, skeyid5, &a, out,
	    16), 0);
	assert_bytes(out, 16, "99f7efc8e1abfdd8548c117210ba4687");
	auth_in(&a, "01000000c0000202");	/* IDir_b */
	/* hmac sha1 $SKEYID $GXR$GXI$CKYR$CKYI$SAI$IDIR */
	assert_int_equal(ikev1_hash_r(PRF_HMAC_SHA1, 0, skeyid, &a, out, 20),
	    0);
	assert_bytes(out, 20, "f963e9470c95ef9786cdb2143a285ab1d07c74e0");
	/* a HASH_R checked as if it were HASH_I fails */
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, skeyid, &a, out, 20),
	    0);
	assert_int_equal(ikev1_hash_equal(out,
	    hx("f963e9470c95ef9786cdb2143a285ab1d07c74e0", NULL), 20),
	    IKE_EMALFORMED);
	ike_key_free(skeyid);
	ike_key_free(skeyid5);
}

#define NI2	"bffa40783bc1229af96c7b9a34ad5756"
#define NR2	"c02e2d87710b826f5fd20eb35e85991c"
#define MSGID	0x5a3c9e71u

static void
test_quick_mode_hashes(void **state)
{
	struct ike_key *ka = key_hx(cavp[0].skeyid_a);
	struct ike_key *ka512 = key_hx(cavp[2].skeyid_a);
	uint8_t out[PRF_MAX_OUT], *ni = hx(NI2, NULL), *nr = hx(NR2, NULL);
	size_t r1l, r2l;
	uint8_t *r1 = hx("0a00000c000000010000000100000014" NI2, &r1l);
	uint8_t *r2 = hx("0a00000c000000010000000100000014" NR2, &r2l);

	(void)state;
	/* hmac sha1 $SKEYID_A $MSGID$REST1 */
	assert_int_equal(ikev1_hash1(PRF_HMAC_SHA1, 0, ka, MSGID, r1, r1l, out,
	    20), 0);
	assert_bytes(out, 20, "8211c981d75cd7c7fd8f511418baa566f9ec7c57");
	/* hmac sha1 $SKEYID_A $MSGID$NI2$REST2 */
	assert_int_equal(ikev1_hash2(PRF_HMAC_SHA1, 0, ka, MSGID, ni, 16, r2,
	    r2l, out, 20), 0);
	assert_bytes(out, 20, "64169c080c12667187aa1ef8711ffe1337d97a64");
	/* hmac sha1 $SKEYID_A 00$MSGID$NI2$NR2 */
	assert_int_equal(ikev1_hash3(PRF_HMAC_SHA1, 0, ka, MSGID, ni, 16, nr,
	    16, out, 20), 0);
	assert_bytes(out, 20, "44c7188bd4be0a05b9571e671f4cd60e482e8544");
	/* hmac sha512 $SKEYID_A512 00$MSGID$NI2$NR2 */
	assert_int_equal(ikev1_hash3(PRF_HMAC_SHA2_512, 0, ka512, MSGID, ni,
	    16, nr, 16, out, 64), 0);
	assert_bytes(out, 64,
	    "c9f050668f83a0902f2436d99c2ec69abaae466911b851872697a664791c3465"
	    "198bd0ce347e584616fad7f69e301d8bf51bdb62ff9242509d7e731b60511599");
	ike_key_free(ka);
	ike_key_free(ka512);
}

static void
test_informational_hash(void **state)
{
	struct ike_key *ka = key_hx(cavp[0].skeyid_a);
	uint8_t out[20];
	size_t dl;
	uint8_t *d = hx("00000010000000010304000112345678", &dl);	/* D */

	(void)state;
	/* hmac sha1 $SKEYID_A $MSGID$ND */
	assert_int_equal(ikev1_hash_info(PRF_HMAC_SHA1, 0, ka, MSGID, d, dl,
	    out, 20), 0);
	assert_bytes(out, 20, "258e21f43b917ea83b1eb0d24dd2bde1ae84acff");
	assert_int_equal(ikev1_hash_equal(out,
	    hx("258e21f43b917ea83b1eb0d24dd2bde1ae84acff", NULL), 20), 0);
	/* one flipped bit in the received HASH */
	out[19] ^= 1;
	assert_int_equal(ikev1_hash_equal(out,
	    hx("258e21f43b917ea83b1eb0d24dd2bde1ae84acff", NULL), 20),
	    IKE_EMALFORMED);
	ike_key_free(ka);
}

static void
qm_in(struct ikev1_qm_in *q, uint8_t proto, bool pfs)
{
	memset(q, 0, sizeof(*q));
	if (pfs)
		q->gqm = hx("fecd8c137c2f774d211f11de1d348919"
		    "0c99118db101587aea2b7a4de8429362", &q->gqm_len);
	q->protocol = proto;
	q->spi = 0x12345678;
	q->ni = hx(NI2, &q->ni_len);
	q->nr = hx(NR2, &q->nr_len);
}

/* SHA-1 KEYMAT for ESP, SPI 0x12345678, no PFS:
 *   KM1: hmac sha1 $SKEYID_D $PROTO$SPI$NI2$NR2
 *   KM2: hmac sha1 $SKEYID_D $KM1$PROTO$SPI$NI2$NR2
 *   KM3: hmac sha1 $SKEYID_D $KM2$PROTO$SPI$NI2$NR2 */
#define KM1	"376717186b64052a12f8fe104e77fb09568adcba"
#define KM2	"e1ab1a749bba6f61ac0d15887e654e3d41d638cc"
#define KM3	"e2bd7a0ff7e7fe26ba5810057a0709f4fbc3ef37"

static void
test_keymat_sha1(void **state)
{
	struct ike_key *kd = key_hx(cavp[0].skeyid_d), *km;
	struct ikev1_qm_in q;
	struct ikev1_sa_keys k;

	(void)state;
	qm_in(&q, IKEV1_PROTO_ESP, false);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q, 20, &km), 0);
	assert_key(km, KM1);
	ike_key_free(km);
	/* 3DES + HMAC-SHA1: 44 octets, three rounds */
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q, 44, &km), 0);
	assert_key(km, KM1 KM2 "e2bd7a0f");
	ike_key_free(km);
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 24, 20, &k),
	    0);
	assert_key(k.enc, KM1 "e1ab1a74");
	assert_key(k.auth, "9bba6f61ac0d15887e654e3d41d638cc" "e2bd7a0f");
	ikev1_sa_keys_free(&k);
	assert_null(k.enc);
	/* ESP_NULL with HMAC-SHA1: no encryption key */
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 0, 20, &k),
	    0);
	assert_null(k.enc);
	assert_key(k.auth, KM1);
	ikev1_sa_keys_free(&k);
	/* the longest KEYMAT starts with the same octets */
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q,
	    IKEV1_KDF_MAX_KEY, &km), 0);
	assert_int_equal(km->len, IKEV1_KDF_MAX_KEY);
	assert_memory_equal(km->data, hx(KM1 KM2 KM3, NULL), 60);
	ike_key_free(km);
	ike_key_free(kd);
}

static void
test_keymat_ah_pfs(void **state)
{
	struct ike_key *kd = key_hx(cavp[0].skeyid_d);
	struct ike_key *kd256 = key_hx(cavp[1].skeyid_d), *km;
	struct ikev1_qm_in q;
	struct ikev1_sa_keys k;

	(void)state;
	/* AH: hmac sha1 $SKEYID_D 02$SPI$NI2$NR2 */
	qm_in(&q, IKEV1_PROTO_AH, false);
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 0, 20, &k),
	    0);
	assert_key(k.auth, "d2574e40879a43c7ead6cdae37bb967a1ebcbf26");
	ikev1_sa_keys_free(&k);
	/* ESP with PFS, AES-128 + HMAC-SHA1, 36 octets:
	 *   KMP1: hmac sha1 $SKEYID_D $GQM$PROTO$SPI$NI2$NR2
	 *   KMP2: hmac sha1 $SKEYID_D $KMP1$GQM$PROTO$SPI$NI2$NR2 */
	qm_in(&q, IKEV1_PROTO_ESP, true);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q, 36, &km), 0);
	assert_key(km, "749faa25513ac552ea8c24aab9962a592e5fe57c"
	    "f6e8d317c4f37bcbd1046bc19d7e30e1");
	ike_key_free(km);
	/* SHA2-256 with PFS, AES-256 + HMAC-SHA2-256, two whole rounds:
	 *   KM256_1: hmac sha256 $SKEYID_D256 $GQM$PROTO$SPI$NI2$NR2
	 *   KM256_2: hmac sha256 $SKEYID_D256 $KM256_1$GQM$PROTO$SPI$NI2$NR2 */
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA2_256, 0, kd256, &q, 32, 32,
	    &k), 0);
	assert_key(k.enc,
	    "88148a55f151567650f8c22701556488c44a48e3906d78961f7e491b00aa1fbe");
	assert_key(k.auth,
	    "848387f49af4f03a9932b718244bbd79e2527316dfac96cbf5d00ad16b2fbc44");
	ikev1_sa_keys_free(&k);
	ike_key_free(kd);
	ike_key_free(kd256);
}

/* A pointer no call may write over on failure. */
static struct ike_key *const UNTOUCHED = (struct ike_key *)&UNTOUCHED;

static void
test_skeyid_refusals(void **state)
{
	struct ikev1_ph1_in in, bad;
	struct ike_key *k = UNTOUCHED;
	uint8_t psk[1] = { 0xa7 };

	(void)state;
	sha1_in(&in);
	/* PRFs IKEv1 does not have, and MD5 without the legacy flag */
	assert_int_equal(ikev1_skeyid_psk(PRF_AES128_XCBC, 0, psk, 1, &in,
	    &k), IKE_EUNSUPP);
	assert_int_equal(ikev1_skeyid_psk(0, 0, psk, 1, &in, &k), IKE_EUNSUPP);
	assert_int_equal(ikev1_skeyid_sig(99, 0, &in, &k), IKE_EUNSUPP);
	assert_int_equal(ikev1_skeyid_pke(PRF_HMAC_MD5, 0, &in, &k),
	    IKE_EUNSUPP);
	/* missing or empty inputs */
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_SHA1, 0, NULL, 1, &in, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_SHA1, 0, psk, 0, &in, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_SHA1, 0, psk, 1, NULL, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_SHA1, 0, psk, 1, &in, NULL),
	    IKE_EINVAL);
	bad = in;
	bad.gxy = NULL;
	assert_int_equal(ikev1_skeyid_sig(PRF_HMAC_SHA1, 0, &bad, &k),
	    IKE_EINVAL);
	bad = in;
	bad.gxy_len = 0;
	assert_int_equal(ikev1_skeyid_sig(PRF_HMAC_SHA1, 0, &bad, &k),
	    IKE_EINVAL);
	bad = in;
	bad.cky_r = NULL;
	assert_int_equal(ikev1_skeyid_pke(PRF_HMAC_SHA1, 0, &bad, &k),
	    IKE_EINVAL);
	assert_ptr_equal(k, UNTOUCHED);
}

/* Nonces must be 8..256 octets (RFC 2409 s. 5), in every function. */
static void
test_nonce_bounds(void **state)
{
	struct ikev1_ph1_in in, bad;
	struct ike_key *k = UNTOUCHED;
	uint8_t *big = hx_buf(IKEV1_NONCE_MAX + 1);

	(void)state;
	sha1_in(&in);
	bad = in;
	bad.ni_len = IKEV1_NONCE_MIN - 1;
	assert_int_equal(ikev1_skeyid_sig(PRF_HMAC_SHA1, 0, &bad, &k),
	    IKE_EINVAL);
	bad = in;
	bad.nr = big;
	bad.nr_len = IKEV1_NONCE_MAX + 1;
	assert_int_equal(ikev1_skeyid_pke(PRF_HMAC_SHA1, 0, &bad, &k),
	    IKE_EINVAL);
	bad = in;
	bad.ni = NULL;
	assert_int_equal(ikev1_skeyid_psk(PRF_HMAC_SHA1, 0, big, 1, &bad, &k),
	    IKE_EINVAL);
	assert_ptr_equal(k, UNTOUCHED);
	/* the limits themselves are accepted */
	bad = in;
	bad.nr = big;
	bad.nr_len = IKEV1_NONCE_MAX;
	assert_int_equal(ikev1_skeyid_sig(PRF_HMAC_SHA1, 0, &bad, &k), 0);
	ike_key_free(k);
}

static void
test_dae_refusals(void **state)
{
	struct ike_key *s = key_hx(cavp[0].skeyid), *empty;
	struct ikev1_ph1_in in, bad;
	struct ikev1_skeyids k;

	(void)state;
	sha1_in(&in);
	assert_int_equal(ike_key_new(0, &empty), 0);
	memset(&k, 0x5a, sizeof(k));
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, NULL, &in, &k),
	    IKE_EINVAL);
	assert_true(k.d == NULL && k.a == NULL && k.e == NULL);
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, empty, &in, &k),
	    IKE_EINVAL);
	bad = in;
	bad.cky_i = NULL;
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, s, &bad, &k),
	    IKE_EINVAL);
	bad = in;
	bad.gxy_len = 0;
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, s, &bad, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, s, NULL, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_SHA1, 0, s, &in, NULL),
	    IKE_EINVAL);
	assert_int_equal(ikev1_skeyid_dae(PRF_AES128_XCBC, 0, s, &in, &k),
	    IKE_EUNSUPP);
	assert_int_equal(ikev1_skeyid_dae(PRF_HMAC_MD5, 0, s, &in, &k),
	    IKE_EUNSUPP);
	assert_true(k.d == NULL && k.a == NULL && k.e == NULL);
	ikev1_skeyids_free(NULL);
	ike_key_free(empty);
	ike_key_free(s);
}

static void
test_enc_key_refusals(void **state)
{
	struct ike_key *e = key_hx(cavp[0].skeyid_e), *empty;
	struct ike_key *k = UNTOUCHED;

	(void)state;
	assert_int_equal(ike_key_new(0, &empty), 0);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e, 0, &k), IKE_EINVAL);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e,
	    IKEV1_KDF_MAX_KEY + 1, &k), IKE_EINVAL);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, NULL, 16, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, empty, 16, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e, 16, NULL),
	    IKE_EINVAL);
	assert_int_equal(ikev1_enc_key(PRF_AES128_XCBC, 0, e, 16, &k),
	    IKE_EUNSUPP);
	assert_ptr_equal(k, UNTOUCHED);
	/* the longest Ka is given */
	assert_int_equal(ikev1_enc_key(PRF_HMAC_SHA1, 0, e, IKEV1_KDF_MAX_KEY,
	    &k), 0);
	assert_int_equal(k->len, IKEV1_KDF_MAX_KEY);
	assert_memory_equal(k->data, hx(SHA1_K1 SHA1_K2, NULL), 40);
	ike_key_free(k);
	ike_key_free(empty);
	ike_key_free(e);
}

static void
test_iv_refusals(void **state)
{
	uint8_t iv[64], *gi = hx(GXI, NULL), *gr = hx(GXR, NULL);
	uint8_t *last = hx("e2f3b14163c198562ae923b257836297", NULL);

	(void)state;
	memset(iv, 0xee, sizeof(iv));
	/* longer than the hash: SHA-1 20, MD5 16 */
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, gi, 32, gr, 32, iv,
	    21), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_MD5, LEGACY, gi, 32, gr, 32,
	    iv, 17), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, gi, 32, gr, 32, iv,
	    0), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, NULL, 32, gr, 32,
	    iv, 8), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, gi, 32, gr, 0, iv,
	    8), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_SHA1, 0, gi, 32, gr, 32,
	    NULL, 8), IKE_EINVAL);
	assert_int_equal(ikev1_iv_phase1(PRF_HMAC_MD5, 0, gi, 32, gr, 32, iv,
	    8), IKE_EUNSUPP);
	assert_int_equal(ikev1_iv_phase1(PRF_AES128_XCBC, 0, gi, 32, gr, 32,
	    iv, 8), IKE_EUNSUPP);
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, NULL, MSGID, iv, 16),
	    IKE_EINVAL);
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, last, MSGID, iv, 0),
	    IKE_EINVAL);
	assert_int_equal(ikev1_iv_msgid(PRF_HMAC_SHA1, 0, last, MSGID, NULL,
	    16), IKE_EINVAL);
	assert_int_equal(ikev1_iv_msgid(3, 0, last, MSGID, iv, 16),
	    IKE_EUNSUPP);
	assert_int_equal(iv[0], 0xee);
}

static void
test_hash_refusals(void **state)
{
	struct ike_key *s = key_hx(cavp[0].skeyid);
	struct ikev1_auth_in a, bad;
	uint8_t out[PRF_MAX_OUT], *ni = hx(NI2, NULL), *nr = hx(NR2, NULL);

	(void)state;
	auth_in(&a, "01000000c0000201");
	memset(out, 0xee, sizeof(out));
	/* out_len must be the PRF's output length */
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, s, &a, out, 19),
	    IKE_EINVAL);
	assert_int_equal(ikev1_hash_r(PRF_HMAC_SHA1, 0, s, &a, out, 21),
	    IKE_EINVAL);
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, s, &a, NULL, 20),
	    IKE_EINVAL);
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, NULL, &a, out, 20),
	    IKE_EINVAL);
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, s, NULL, out, 20),
	    IKE_EINVAL);
	bad = a;
	bad.id_len = 0;
	assert_int_equal(ikev1_hash_i(PRF_HMAC_SHA1, 0, s, &bad, out, 20),
	    IKE_EINVAL);
	bad = a;
	bad.sai_b = NULL;
	assert_int_equal(ikev1_hash_r(PRF_HMAC_SHA1, 0, s, &bad, out, 20),
	    IKE_EINVAL);
	assert_int_equal(ikev1_hash_i(PRF_HMAC_MD5, 0, s, &a, out, 16),
	    IKE_EUNSUPP);
	/* Quick Mode and Informational */
	assert_int_equal(ikev1_hash1(PRF_HMAC_SHA1, 0, s, MSGID, ni, 0, out,
	    20), IKE_EINVAL);
	assert_int_equal(ikev1_hash1(PRF_HMAC_SHA1, 0, s, MSGID, NULL, 16, out,
	    20), IKE_EINVAL);
	assert_int_equal(ikev1_hash_info(PRF_HMAC_SHA1, 0, s, MSGID, NULL, 0,
	    out, 20), IKE_EINVAL);
	assert_int_equal(ikev1_hash2(PRF_HMAC_SHA1, 0, s, MSGID, ni, 7, nr, 16,
	    out, 20), IKE_EINVAL);
	assert_int_equal(ikev1_hash3(PRF_HMAC_SHA1, 0, s, MSGID, ni, 16, NULL,
	    16, out, 20), IKE_EINVAL);
	assert_int_equal(ikev1_hash3(PRF_HMAC_SHA1, 0, s, MSGID, ni, 16, nr,
	    16, out, 32), IKE_EINVAL);
	assert_int_equal(ikev1_hash3(PRF_AES128_XCBC, 0, s, MSGID, ni, 16, nr,
	    16, out, 16), IKE_EUNSUPP);
	assert_int_equal(out[0], 0xee);
	assert_int_equal(ikev1_hash_equal(out, out, 0), IKE_EMALFORMED);
	assert_int_equal(ikev1_hash_equal(NULL, out, 20), IKE_EMALFORMED);
	ike_key_free(s);
}

static void
test_keymat_refusals(void **state)
{
	struct ike_key *kd = key_hx(cavp[0].skeyid_d), *k = UNTOUCHED;
	struct ikev1_qm_in q, bad;
	struct ikev1_sa_keys sk;

	(void)state;
	qm_in(&q, IKEV1_PROTO_ESP, true);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q, 0, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &q,
	    IKEV1_KDF_MAX_KEY + 1, &k), IKE_EINVAL);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, NULL, &q, 20, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, NULL, 20, &k),
	    IKE_EINVAL);
	assert_int_equal(ikev1_keymat(PRF_HMAC_MD5, 0, kd, &q, 20, &k),
	    IKE_EUNSUPP);
	bad = q;
	bad.protocol = 1;	/* PROTO_ISAKMP takes no KEYMAT */
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &bad, 20, &k),
	    IKE_EINVAL);
	bad.protocol = 4;	/* nor does IPCOMP */
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &bad, 20, &k),
	    IKE_EINVAL);
	bad = q;
	bad.gqm = NULL;		/* g(qm)^xy length without the bytes */
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &bad, 20, &k),
	    IKE_EINVAL);
	bad = q;
	bad.nr_len = 0;
	assert_int_equal(ikev1_keymat(PRF_HMAC_SHA1, 0, kd, &bad, 20, &k),
	    IKE_EINVAL);
	assert_ptr_equal(k, UNTOUCHED);
	memset(&sk, 0x5a, sizeof(sk));
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 0, 0, &sk),
	    IKE_EINVAL);
	assert_true(sk.enc == NULL && sk.auth == NULL);
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 1000, 25,
	    &sk), IKE_EINVAL);
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, SIZE_MAX, 2,
	    &sk), IKE_EINVAL);
	assert_int_equal(ikev1_sa_keys(PRF_HMAC_SHA1, 0, kd, &q, 16, 20,
	    NULL), IKE_EINVAL);
	assert_true(sk.enc == NULL && sk.auth == NULL);
	ikev1_sa_keys_free(NULL);
	ike_key_free(kd);
}

#define T(f)	cmocka_unit_test_teardown(f, hx_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cavp),
		T(test_prf_of_hash),
		T(test_md5_phase1),
		T(test_enc_key),
		T(test_iv_phase1),
		T(test_iv_msgid),
		T(test_iv_next),
		T(test_cbc_chain_3des),
		T(test_cbc_aes_quick_mode),
		T(test_hash_i_r),
		T(test_quick_mode_hashes),
		T(test_informational_hash),
		T(test_keymat_sha1),
		T(test_keymat_ah_pfs),
		T(test_skeyid_refusals),
		T(test_nonce_bounds),
		T(test_dae_refusals),
		T(test_enc_key_refusals),
		T(test_iv_refusals),
		T(test_hash_refusals),
		T(test_keymat_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
