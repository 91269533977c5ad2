/* SK payload protection (core/crypto/cipher.h) against published
 * vectors: RFC 3602 s. 4 (AES-CBC), FIPS 81 appendix C (DES-CBC, which
 * is 3DES-CBC with three equal keys), McGrew & Viega "The Galois/Counter
 * Mode of Operation (GCM)" test cases 3, 4, 15 and 16 (AES-GCM), RFC
 * 8439 s. 2.8.2 and RFC 7634 appendices A and B (ChaCha20-Poly1305); the
 * CBC ICV against its RFC 7296 s. 3.14 definition; every tamper and
 * argument refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/digest.h>
#include <openssl/hmac.h>

#include "core/crypto/cipher.h"
#include "core/crypto/crypto.h"
#include "core/crypto/integ.h"
#include "core/err.h"
#include "hexutil.h"

struct aead_case {
	const char	*source;
	uint16_t	 encr, key_bits;
	const char	*key_salt, *iv, *aad, *pt, *ct, *tag;
};

/* GCM "IV" cafebabefacedbaddecaf888 splits into the RFC 4106 / RFC 5282
 * salt cafebabe and explicit IV facedbaddecaf888. */
#define GCM_K	"feffe9928665731c6d6a8f9467308308"
#define GCM_P	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d" \
		"8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657" \
		"ba637b39"
#define GCM_A	"feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define GCM_C3	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e23" \
		"29aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac97" \
		"3d58e091"
#define GCM_C15	"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd" \
		"2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a" \
		"bcc9f662"
#define RFC8439_P \
	"4c616469657320616e642047656e746c656d656e206f662074686520636c6173" \
	"73206f66202739393a204966204920636f756c64206f6666657220796f75206f" \
	"6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73" \
	"637265656e20776f756c642062652069742e"
#define RFC8439_C \
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6" \
	"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36" \
	"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" \
	"3ff4def08e4b7a9de576d26586cec64b6116"
#define CHACHA_K "808182838485868788898a8b8c8d8e8f" \
		"909192939495969798999a9b9c9d9e9f"

static const struct aead_case aead_cases[] = {
	{ "McGrew-Viega GCM test case 3", ENCR_AES_GCM_16, 128,
	  GCM_K "cafebabe", "facedbaddecaf888", "", GCM_P "1aafd255",
	  GCM_C3 "473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ "McGrew-Viega GCM test case 4", ENCR_AES_GCM_16, 128,
	  GCM_K "cafebabe", "facedbaddecaf888", GCM_A, GCM_P, GCM_C3,
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ "McGrew-Viega GCM test case 15", ENCR_AES_GCM_16, 256,
	  GCM_K GCM_K "cafebabe", "facedbaddecaf888", "", GCM_P "1aafd255",
	  GCM_C15 "898015ad", "b094dac5d93471bdec1a502270e3cc6c" },
	{ "McGrew-Viega GCM test case 16", ENCR_AES_GCM_16, 256,
	  GCM_K GCM_K "cafebabe", "facedbaddecaf888", GCM_A, GCM_P, GCM_C15,
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
	/* the nonce 07000000 4041424344454647 is salt | IV */
	{ "RFC 8439 s. 2.8.2", ENCR_CHACHA20_POLY1305, 0,
	  CHACHA_K "07000000", "4041424344454647", "50515253c0c1c2c3c4c5c6c7",
	  RFC8439_P, RFC8439_C, "1ae10b594f09e26a7e902ecbd0600691" },
	/* ESP: the AAD is SPI | sequence number */
	{ "RFC 7634 appendix A", ENCR_CHACHA20_POLY1305, 0,
	  CHACHA_K "a0a1a2a3", "1011121314151617", "0102030400000005",
	  "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
	  "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
	  "2425262728292a2b2c2d2e2f303132333435363701020204",
	  "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
	  "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
	  "cbec163fac469b502773f6fb94e664da9165b82829f641e0",
	  "76aaa8266b7fb0f7b11b369907e1ad43" },
	/* IKEv2 INFORMATIONAL: the AAD is the IKE header and the SK
	 * payload header; the plaintext ends with Pad Length 0 */
	{ "RFC 7634 appendix B", ENCR_CHACHA20_POLY1305, 0,
	  CHACHA_K "a0a1a2a3", "1011121314151617",
	  "c0c1c2c3c4c5c6c7d0d1d2d3d4d5d6d72e20250000000009000000452900"
	  "0029", "0000000c000040010000000a00", "610394701f8d017f7c12924889",
	  "6b71bfe25236efd7cdc670669063 15b2" },
};

static struct sk_cipher *
new_aead(const struct aead_case *c)
{
	struct sk_cipher *sk = NULL;
	size_t klen;
	uint8_t *key = hx(c->key_salt, &klen);

	assert_int_equal(sk_cipher_new(c->encr, c->key_bits, key, klen,
	    AUTH_NONE, NULL, 0, 0, &sk), 0);
	return sk;
}

static void
aead_known_answers(void **state)
{
	uint8_t out[256], icv[16];
	size_t i, ivlen, alen, plen, clen, tlen;

	(void)state;
	for (i = 0; i < sizeof(aead_cases) / sizeof(aead_cases[0]); i++) {
		const struct aead_case *c = &aead_cases[i];
		struct sk_cipher *sk = new_aead(c);
		uint8_t *iv = hx(c->iv, &ivlen), *aad = hx(c->aad, &alen);
		uint8_t *pt = hx(c->pt, &plen), *ct = hx(c->ct, &clen);
		uint8_t *tag = hx(c->tag, &tlen);

		print_message("%s\n", c->source);
		assert_int_equal(ivlen, sk_cipher_iv_len(sk));
		assert_int_equal(tlen, sk_cipher_icv_len(sk));
		assert_int_equal(plen, clen);
		assert_int_equal(sk_cipher_encrypt(sk, iv, aad, alen, pt, plen,
		    out, icv), 0);
		assert_memory_equal(out, ct, clen);
		assert_memory_equal(icv, tag, tlen);
		memset(out, 0, sizeof(out));
		assert_int_equal(sk_cipher_decrypt(sk, iv, aad, alen, ct, clen,
		    tag, out), 0);
		assert_memory_equal(out, pt, plen);
		sk_cipher_free(sk);
	}
}

/* RFC 3602 s. 4, cases 1-3: AES-128-CBC.  Raw CBC is reached with
 * SK_F_NO_INTEG (IKEv1's use): no ICV. */
static void
aes_cbc_rfc3602(void **state)
{
	static const struct { const char *key, *iv, *pt, *ct; } t[] = {
		{ "06a9214036b8a15b512e03d534120006",
		  "3dafba429d9eb430b422da802c9fac41",
		  "53696e676c6520626c6f636b206d7367",	/* "Single block msg" */
		  "e353779c1079aeb82708942dbe77181a" },
		{ "c286696d887c9aa0611bbb3e2025a45a",
		  "562e17996d093d28ddb3ba695a2e6f58",
		  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1" },
		{ "6c3ea0477630ce21a2ce334aa746c2cd",
		  "c782dc4c098c66cbd9cd27d825682c81",
		  /* "This is a 48-byte message (exactly 3 AES blocks)" */
		  "5468697320697320612034382d62797465206d657373616765202865786163"
		  "746c7920332041455320626c6f636b7329",
		  "d0a02b3836451753d493665d33f0e8862dea54cdb293abc7506939276772f8d5"
		  "021c19216bad525c8579695d83ba2684" },
	};
	uint8_t buf[64];
	struct sk_cipher *sk;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint8_t *key = hx(t[i].key, NULL), *iv = hx(t[i].iv, NULL);
		uint8_t *pt = hx(t[i].pt, &len), *ct = hx(t[i].ct, NULL);

		assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, key, 16,
		    AUTH_NONE, NULL, 0, SK_F_NO_INTEG, &sk), 0);
		assert_int_equal(sk_cipher_icv_len(sk), 0);
		/* in place, both ways */
		memcpy(buf, pt, len);
		assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 0, buf, len,
		    buf, NULL), 0);
		assert_memory_equal(buf, ct, len);
		assert_int_equal(sk_cipher_decrypt(sk, iv, NULL, 0, buf, len,
		    NULL, buf), 0);
		assert_memory_equal(buf, pt, len);
		sk_cipher_free(sk);
	}
}

/* FIPS 81 appendix C, table C1 (CBC): DES key 0123456789abcdef, IV
 * 1234567890abcdef, "Now is the time for all ".  3DES-EDE with
 * K1 = K2 = K3 is that DES. */
static void
des3_cbc_fips81(void **state)
{
	uint8_t key[24], out[24];
	struct sk_cipher *sk = NULL;
	uint8_t *iv = hx("1234567890abcdef", NULL);
	const uint8_t *pt = (const uint8_t *)"Now is the time for all ";

	(void)state;
	memcpy(key, hx("0123456789abcdef", NULL), 8);
	memcpy(key + 8, key, 8);
	memcpy(key + 16, key, 8);
	assert_int_equal(sk_cipher_new(ENCR_3DES, 0, key, 24, AUTH_NONE, NULL,
	    0, SK_F_NO_INTEG, &sk), IKE_EUNSUPP);	/* legacy */
	assert_int_equal(sk_cipher_new(ENCR_3DES, 0, key, 24, AUTH_NONE, NULL,
	    0, SK_F_NO_INTEG | CRYPTO_F_LEGACY, &sk), 0);
	assert_int_equal(sk_cipher_block_len(sk), 8);
	assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 0, pt, 24, out,
	    NULL), 0);
	assert_memory_equal(out, hx("e5c7cdde872bf27c43e934008c389c0f683788"
	    "499a7c05f6", NULL), 24);
	sk_cipher_free(sk);
}

/* RFC 7296 s. 3.14: with a CBC cipher the ICV is the integrity
 * algorithm over the IKE header, the SK payload header, the IV and the
 * ciphertext.  Computed here with BoringSSL's HMAC() and truncated. */
static void
cbc_icv_matches_definition(void **state)
{
	uint8_t ekey[32], ikey[32], iv[16], aad[32], pt[48], ct[48];
	uint8_t icv[16], ref[64], in[32 + 16 + 48];
	unsigned int rlen;
	struct sk_cipher *sk;

	(void)state;
	memset(ekey, 0x42, sizeof(ekey));
	memset(ikey, 0x24, sizeof(ikey));
	memset(iv, 0x77, sizeof(iv));
	memset(aad, 0x2e, sizeof(aad));
	memset(pt, 0x00, sizeof(pt));
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 256, ekey, 32,
	    AUTH_HMAC_SHA2_256_128, ikey, 32, 0, &sk), 0);
	assert_int_equal(sk_cipher_icv_len(sk), 16);
	assert_int_equal(sk_cipher_encrypt(sk, iv, aad, sizeof(aad), pt,
	    sizeof(pt), ct, icv), 0);
	memcpy(in, aad, 32);
	memcpy(in + 32, iv, 16);
	memcpy(in + 48, ct, 48);
	assert_non_null(HMAC(EVP_sha256(), ikey, 32, in, sizeof(in), ref,
	    &rlen));
	assert_memory_equal(icv, ref, 16);
	sk_cipher_free(sk);
}

/* One protected message; then each single-bit change of the ICV, the
 * ciphertext, the IV or the AAD makes decryption fail with
 * IKE_EMALFORMED, and no plaintext comes out. */
static void
tamper_one(uint16_t encr, uint16_t bits, uint16_t integ, unsigned int flags)
{
	struct cipher_info ci;
	struct integ_info ii;
	uint8_t ekey[36], ikey[64], iv[16], aad[28], pt[48], ct[48], out[48];
	uint8_t icv[SK_MAX_ICV];
	uint8_t *targets[4];
	size_t lens[4], t, j, k, icvlen;
	struct sk_cipher *sk;

	assert_int_equal(cipher_info(encr, bits, &ci), 0);
	assert_int_equal(integ_info(integ, &ii), 0);
	memset(ekey, 0xa5, sizeof(ekey));
	memset(ikey, 0x5a, sizeof(ikey));
	memset(aad, 0x11, sizeof(aad));
	memset(pt, 0x3c, sizeof(pt));
	assert_int_equal(sk_cipher_new(encr, bits, ekey, ci.key_len, integ,
	    integ == AUTH_NONE ? NULL : ikey, ii.key_len, flags, &sk), 0);
	assert_int_equal(sk_cipher_next_iv(sk, iv, ci.iv_len), 0);
	icvlen = sk_cipher_icv_len(sk);
	assert_true(icvlen > 0);
	assert_int_equal(sk_cipher_encrypt(sk, iv, aad, sizeof(aad), pt,
	    sizeof(pt), ct, icv), 0);
	assert_int_equal(sk_cipher_decrypt(sk, iv, aad, sizeof(aad), ct,
	    sizeof(ct), icv, out), 0);
	assert_memory_equal(out, pt, sizeof(pt));
	targets[0] = icv, lens[0] = icvlen;
	targets[1] = ct, lens[1] = sizeof(ct);
	targets[2] = iv, lens[2] = ci.iv_len;
	targets[3] = aad, lens[3] = sizeof(aad);
	for (t = 0; t < 4; t++) {
		for (j = 0; j < lens[t]; j += lens[t] - 1) {
			targets[t][j] ^= 0x80;
			memset(out, 0x99, sizeof(out));
			assert_int_equal(sk_cipher_decrypt(sk, iv, aad,
			    sizeof(aad), ct, sizeof(ct), icv, out),
			    IKE_EMALFORMED);
			/* CBC: not written; AEAD: wiped */
			for (k = 0; k < sizeof(out); k++)
				assert_int_equal(out[k], ci.aead ? 0 : 0x99);
			targets[t][j] ^= 0x80;
		}
	}
	/* a shortened ICV-covered message is refused too */
	assert_int_equal(sk_cipher_decrypt(sk, iv, aad, sizeof(aad), ct,
	    sizeof(ct) - ci.block_len, icv, out), IKE_EMALFORMED);
	sk_cipher_free(sk);
}

static void
tamper_detected(void **state)
{
	(void)state;
	tamper_one(ENCR_AES_GCM_16, 128, AUTH_NONE, 0);
	tamper_one(ENCR_AES_GCM_16, 192, AUTH_NONE, 0);
	tamper_one(ENCR_AES_GCM_16, 256, AUTH_NONE, 0);
	tamper_one(ENCR_CHACHA20_POLY1305, 0, AUTH_NONE, 0);
	tamper_one(ENCR_AES_CBC, 128, AUTH_HMAC_SHA1_96, 0);
	tamper_one(ENCR_AES_CBC, 192, AUTH_AES_XCBC_96, 0);
	tamper_one(ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_256_128, 0);
	tamper_one(ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_384_192, 0);
	tamper_one(ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_512_256, 0);
	tamper_one(ENCR_3DES, 0, AUTH_HMAC_MD5_96, CRYPTO_F_LEGACY);
}

static void
info_table(void **state)
{
	static const struct {
		uint16_t encr, bits;
		size_t key, salt, iv, block, icv;
		bool aead, legacy;
	} t[] = {
		{ ENCR_3DES, 0, 24, 0, 8, 8, 0, false, true },
		{ ENCR_3DES, 192, 24, 0, 8, 8, 0, false, true },
		{ ENCR_AES_CBC, 128, 16, 0, 16, 16, 0, false, false },
		{ ENCR_AES_CBC, 192, 24, 0, 16, 16, 0, false, false },
		{ ENCR_AES_CBC, 256, 32, 0, 16, 16, 0, false, false },
		{ ENCR_AES_GCM_16, 128, 20, 4, 8, 1, 16, true, false },
		{ ENCR_AES_GCM_16, 256, 36, 4, 8, 1, 16, true, false },
		{ ENCR_CHACHA20_POLY1305, 0, 36, 4, 8, 1, 16, true, false },
	};
	struct cipher_info ci;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(cipher_info(t[i].encr, t[i].bits, &ci), 0);
		assert_int_equal(ci.key_len, t[i].key);
		assert_int_equal(ci.salt_len, t[i].salt);
		assert_int_equal(ci.iv_len, t[i].iv);
		assert_int_equal(ci.block_len, t[i].block);
		assert_int_equal(ci.icv_len, t[i].icv);
		assert_int_equal(ci.aead, t[i].aead);
		assert_int_equal(ci.legacy, t[i].legacy);
	}
	assert_int_equal(cipher_info(ENCR_AES_CBC, 0, &ci), IKE_EINVAL);
	assert_int_equal(cipher_info(ENCR_AES_GCM_16, 512, &ci), IKE_EINVAL);
	assert_int_equal(cipher_info(ENCR_CHACHA20_POLY1305, 128, &ci),
	    IKE_EINVAL);
	assert_int_equal(cipher_info(ENCR_3DES, 128, &ci), IKE_EINVAL);
	/* 2 ENCR_DES, 13 ENCR_AES_CTR, 18/19 GCM with short ICVs */
	assert_int_equal(cipher_info(2, 0, &ci), IKE_EUNSUPP);
	assert_int_equal(cipher_info(13, 128, &ci), IKE_EUNSUPP);
	assert_int_equal(cipher_info(18, 128, &ci), IKE_EUNSUPP);
	assert_string_equal(cipher_name(ENCR_AES_GCM_16), "ENCR_AES_GCM_16");
	assert_string_equal(cipher_name(1), "unknown");
}

static void
new_refusals(void **state)
{
	uint8_t k[64];
	struct sk_cipher *sk = NULL;

	(void)state;
	memset(k, 1, sizeof(k));
	/* key lengths must match the transform exactly (salt included) */
	assert_int_equal(sk_cipher_new(ENCR_AES_GCM_16, 128, k, 16, AUTH_NONE,
	    NULL, 0, 0, &sk), IKE_EINVAL);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 20,
	    AUTH_HMAC_SHA1_96, k, 20, 0, &sk), IKE_EINVAL);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16,
	    AUTH_HMAC_SHA1_96, k, 16, 0, &sk), IKE_EINVAL);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, NULL, 16,
	    AUTH_HMAC_SHA1_96, k, 20, 0, &sk), IKE_EINVAL);
	/* an AEAD takes no integrity algorithm */
	assert_int_equal(sk_cipher_new(ENCR_AES_GCM_16, 128, k, 20,
	    AUTH_HMAC_SHA1_96, k, 20, 0, &sk), IKE_EINVAL);
	/* CBC without integrity only on explicit request, and without key */
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16, AUTH_NONE,
	    NULL, 0, 0, &sk), IKE_EINVAL);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16, AUTH_NONE,
	    k, 20, SK_F_NO_INTEG, &sk), IKE_EINVAL);
	/* legacy algorithms need CRYPTO_F_LEGACY */
	assert_int_equal(sk_cipher_new(ENCR_3DES, 0, k, 24, AUTH_HMAC_SHA1_96,
	    k, 20, 0, &sk), IKE_EUNSUPP);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16,
	    AUTH_HMAC_MD5_96, k, 16, 0, &sk), IKE_EUNSUPP);
	assert_int_equal(sk_cipher_new(13, 128, k, 20, AUTH_NONE, NULL, 0, 0,
	    &sk), IKE_EUNSUPP);
	assert_null(sk);
	sk_cipher_free(NULL);
}

static void
length_refusals(void **state)
{
	uint8_t k[36], iv[16], buf[64], icv[16];
	struct sk_cipher *sk;

	(void)state;
	memset(k, 3, sizeof(k));
	memset(iv, 4, sizeof(iv));
	memset(buf, 5, sizeof(buf));
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16,
	    AUTH_HMAC_SHA2_256_128, k, 32, 0, &sk), 0);
	/* not a whole number of blocks: the caller's bug when sending, the
	 * peer's when receiving */
	assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 0, buf, 17, buf,
	    icv), IKE_EINVAL);
	assert_int_equal(sk_cipher_decrypt(sk, iv, NULL, 0, buf, 17, icv,
	    buf), IKE_EMALFORMED);
	assert_int_equal(sk_cipher_decrypt(sk, iv, NULL, 0, buf, 0, icv,
	    buf), IKE_EMALFORMED);
	assert_int_equal(sk_cipher_encrypt(sk, NULL, NULL, 0, buf, 16, buf,
	    icv), IKE_EINVAL);
	assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 3, buf, 16, buf,
	    icv), IKE_EINVAL);
	assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 0, buf, 16, buf,
	    NULL), IKE_EINVAL);
	sk_cipher_free(sk);
	/* AEADs take any length */
	assert_int_equal(sk_cipher_new(ENCR_CHACHA20_POLY1305, 0, k, 36,
	    AUTH_NONE, NULL, 0, 0, &sk), 0);
	assert_int_equal(sk_cipher_encrypt(sk, iv, NULL, 0, buf, 17, buf,
	    icv), 0);
	assert_int_equal(sk_cipher_decrypt(sk, iv, NULL, 0, buf, 17, icv,
	    buf), 0);
	sk_cipher_free(sk);
}

/* AEAD IVs count up and never repeat; CBC IVs are random. */
static void
next_iv(void **state)
{
	uint8_t k[36], a[16], b[16];
	struct sk_cipher *sk;

	(void)state;
	memset(k, 9, sizeof(k));
	assert_int_equal(sk_cipher_new(ENCR_AES_GCM_16, 256, k, 36, AUTH_NONE,
	    NULL, 0, 0, &sk), 0);
	assert_int_equal(sk_cipher_next_iv(sk, a, 8), 0);
	assert_int_equal(sk_cipher_next_iv(sk, b, 8), 0);
	assert_memory_equal(a, hx("0000000000000001", NULL), 8);
	assert_memory_equal(b, hx("0000000000000002", NULL), 8);
	assert_int_equal(sk_cipher_next_iv(sk, a, 16), IKE_EINVAL);
	sk_cipher_free(sk);
	assert_int_equal(sk_cipher_new(ENCR_AES_CBC, 128, k, 16,
	    AUTH_HMAC_SHA1_96, k, 20, 0, &sk), 0);
	assert_int_equal(sk_cipher_next_iv(sk, a, 16), 0);
	assert_int_equal(sk_cipher_next_iv(sk, b, 16), 0);
	assert_memory_not_equal(a, b, 16);
	assert_int_equal(sk_cipher_next_iv(sk, NULL, 16), IKE_EINVAL);
	sk_cipher_free(sk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(aead_known_answers, hx_teardown),
		cmocka_unit_test_teardown(aes_cbc_rfc3602, hx_teardown),
		cmocka_unit_test_teardown(des3_cbc_fips81, hx_teardown),
		cmocka_unit_test_teardown(cbc_icv_matches_definition,
		    hx_teardown),
		cmocka_unit_test_teardown(tamper_detected, hx_teardown),
		cmocka_unit_test_teardown(info_table, hx_teardown),
		cmocka_unit_test_teardown(new_refusals, hx_teardown),
		cmocka_unit_test_teardown(length_refusals, hx_teardown),
		cmocka_unit_test_teardown(next_iv, hx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
