/* The IKE PRFs and prf+ (core/crypto/prf.h) against published vectors:
 * RFC 2202 (HMAC-MD5, HMAC-SHA-1), RFC 4231 (HMAC-SHA-2), RFC 3566 and
 * RFC 4434 (AES-XCBC); prf+ against its RFC 7296 s. 2.13 definition
 * computed here with BoringSSL's one-shot HMAC(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/digest.h>
#include <openssl/hmac.h>

#include "core/crypto/crypto.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "hexutil.h"

/* One keyed PRF over data, the whole output compared with want (or only
 * want's length of it, for the truncated RFC 4231 test case 5). */
static void
check_prf(uint16_t id, unsigned int flags, const uint8_t *key, size_t klen,
    const uint8_t *data, size_t dlen, const char *want_hex)
{
	struct crypto_iov v = { data, dlen };
	uint8_t out[PRF_MAX_OUT];
	struct prf *p = NULL;
	size_t wlen;
	uint8_t *want = hx(want_hex, &wlen);

	assert_int_equal(prf_new(id, flags, key, klen, &p), 0);
	assert_int_equal(prf_compute(p, &v, 1, out, prf_out_len(id)), 0);
	assert_true(wlen <= prf_out_len(id));
	assert_memory_equal(out, want, wlen);
	prf_free(p);
}

struct hmac_case {
	const char	*key;		/* hex */
	size_t		 key_rep;	/* or: key_rep copies of key_byte */
	uint8_t		 key_byte;
	const char	*data;		/* text */
	size_t		 data_rep;	/* or: data_rep copies of data_byte */
	uint8_t		 data_byte;
	const char	*want;
};

static void
run_hmac_cases(uint16_t id, unsigned int flags, const struct hmac_case *c,
    size_t n)
{
	uint8_t key[256], data[256];
	const uint8_t *k, *d;
	size_t i, klen, dlen;

	for (i = 0; i < n; i++, c++) {
		if (c->key != NULL) {
			k = hx(c->key, &klen);
		} else {
			memset(key, c->key_byte, c->key_rep);
			k = key;
			klen = c->key_rep;
		}
		if (c->data != NULL) {
			d = (const uint8_t *)c->data;
			dlen = strlen(c->data);
		} else {
			memset(data, c->data_byte, c->data_rep);
			d = data;
			dlen = c->data_rep;
		}
		check_prf(id, flags, k, klen, d, dlen, c->want);
	}
}

/* RFC 4231 s. 4.2 to 4.8, test cases 1-7 (case 5 truncated to 128 bits
 * as the RFC prints it).  Keys of 20, 4, 20, 25, 20, 131 and 131 octets:
 * cases 6 and 7 are the larger-than-block-size keys. */
#define RFC4231_T6 "Test Using Larger Than Block-Size Key - Hash Key First"
#define RFC4231_T7 "This is a test using a larger than block-size key " \
	"and a larger than block-size data. The key needs to be hashed " \
	"before being used by the HMAC algorithm."
#define RFC4231_KEYS(w1, w2, w3, w4, w5, w6, w7) {			\
	{ NULL, 20, 0x0b, "Hi There", 0, 0, w1 },			\
	{ "4a656665", 0, 0, "what do ya want for nothing?", 0, 0, w2 },	\
	{ NULL, 20, 0xaa, NULL, 50, 0xdd, w3 },				\
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0,	\
	  NULL, 50, 0xcd, w4 },						\
	{ NULL, 20, 0x0c, "Test With Truncation", 0, 0, w5 },		\
	{ NULL, 131, 0xaa, RFC4231_T6, 0, 0, w6 },			\
	{ NULL, 131, 0xaa, RFC4231_T7, 0, 0, w7 },			\
}

static const struct hmac_case rfc4231_sha256[] = RFC4231_KEYS(
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
    "a3b6167473100ee06e0c796c2955552b",
    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");

static const struct hmac_case rfc4231_sha384[] = RFC4231_KEYS(
    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
    "faea9ea9076ede7f4af152e8b2fa9cb6",
    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
    "8e2240ca5e69e2c78b3239ecfab21649",
    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
    "2a5ab39dc13814b94e3ab6e101a34f27",
    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
    "6801dd23c4a7d679ccf8a386c674cffb",
    "3abf34c3503b2a23a46efc619baef897",
    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
    "0c2ef6ab4030fe8296248df163f44952",
    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
    "a678cc31e799176d3860e6110c46523e");

static const struct hmac_case rfc4231_sha512[] = RFC4231_KEYS(
    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb",
    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd",
    "415fad6271580a531d4179bc891d87a6",
    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58");

static void
hmac_sha2_rfc4231(void **state)
{
	(void)state;
	run_hmac_cases(PRF_HMAC_SHA2_256, 0, rfc4231_sha256, 7);
	run_hmac_cases(PRF_HMAC_SHA2_384, 0, rfc4231_sha384, 7);
	run_hmac_cases(PRF_HMAC_SHA2_512, 0, rfc4231_sha512, 7);
}

/* RFC 2202 s. 3, HMAC-SHA-1 test cases 1-7 (80-octet keys in 6 and 7). */
#define RFC2202_T6 "Test Using Larger Than Block-Size Key - Hash Key First"
#define RFC2202_T7 "Test Using Larger Than Block-Size Key and Larger " \
	"Than One Block-Size Data"
static const struct hmac_case rfc2202_sha1[] = {
	{ NULL, 20, 0x0b, "Hi There", 0, 0,
	  "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ "4a656665", 0, 0, "what do ya want for nothing?", 0, 0,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ NULL, 20, 0xaa, NULL, 50, 0xdd,
	  "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0,
	  NULL, 50, 0xcd, "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ NULL, 20, 0x0c, "Test With Truncation", 0, 0,
	  "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ NULL, 80, 0xaa, RFC2202_T6, 0, 0,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ NULL, 80, 0xaa, RFC2202_T7, 0, 0,
	  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
};

/* RFC 2202 s. 2, HMAC-MD5 test cases 1-7. */
static const struct hmac_case rfc2202_md5[] = {
	{ NULL, 16, 0x0b, "Hi There", 0, 0,
	  "9294727a3638bb1c13f48ef8158bfc9d" },
	{ "4a656665", 0, 0, "what do ya want for nothing?", 0, 0,
	  "750c783e6ab0b503eaa86e310a5db738" },
	{ NULL, 16, 0xaa, NULL, 50, 0xdd,
	  "56be34521d144c88dbb8c733f0e8b3f6" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0,
	  NULL, 50, 0xcd, "697eaf0aca3a3aea3a75164746ffaa79" },
	{ NULL, 16, 0x0c, "Test With Truncation", 0, 0,
	  "56461ef2342edc00f9bab995690efd4c" },
	{ NULL, 80, 0xaa, RFC2202_T6, 0, 0,
	  "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
	{ NULL, 80, 0xaa, RFC2202_T7, 0, 0,
	  "6f630fad67cda0ee1fb1f562db3aa53e" },
};

static void
hmac_sha1_rfc2202(void **state)
{
	(void)state;
	run_hmac_cases(PRF_HMAC_SHA1, 0, rfc2202_sha1, 7);
}

static void
hmac_md5_rfc2202_needs_legacy(void **state)
{
	struct prf *p = NULL;

	(void)state;
	assert_true(prf_is_legacy(PRF_HMAC_MD5));
	assert_int_equal(prf_new(PRF_HMAC_MD5, 0, (const uint8_t *)"k", 1,
	    &p), IKE_EUNSUPP);
	assert_null(p);
	run_hmac_cases(PRF_HMAC_MD5, CRYPTO_F_LEGACY, rfc2202_md5, 7);
}

/* RFC 3566 s. 4.6 test cases 1-7: AES-XCBC-MAC with the 128-bit key
 * 000102...0f.  With a 16-octet key AES-XCBC-PRF-128 is that MAC (RFC
 * 4434 s. 2). */
static void
xcbc_rfc3566(void **state)
{
	static const struct { size_t len; uint8_t fill; const char *mac; }
	    t[] = {
		{ 0, 0, "75f0251d528ac01c4573dfd584d79f29" },
		{ 3, 0, "5b376580ae2f19afe7219ceef172756f" },
		{ 16, 0, "d2a246fa349b68a79998a4394ff7a263" },
		{ 20, 0, "47f51b4564966215b8985c63055ed308" },
		{ 32, 0, "f54f0ec8d2b9f3d36807734bd5283fd4" },
		{ 34, 0, "becbb3bccdb518a30677d5481fb6b4d8" },
		{ 1000, 1, "f0dafee895db30253761103b5d84528f" },
	};
	uint8_t key[16], msg[1000];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		/* 00 01 02 ... except case 7: 1000 zero octets */
		for (j = 0; j < t[i].len; j++)
			msg[j] = t[i].fill ? 0 : (uint8_t)j;
		check_prf(PRF_AES128_XCBC, 0, key, sizeof(key), msg, t[i].len,
		    t[i].mac);
	}
}

/* RFC 4434 s. 5 (test vectors): the message 000102...13 under keys of
 * 16, 10 and 18 octets. */
static void
xcbc_prf_rfc4434_key_lengths(void **state)
{
	uint8_t msg[20];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	check_prf(PRF_AES128_XCBC, 0, hx("000102030405060708090a0b0c0d0e0f",
	    NULL), 16, msg, 20, "47f51b4564966215b8985c63055ed308");
	check_prf(PRF_AES128_XCBC, 0, hx("00010203040506070809", NULL), 10,
	    msg, 20, "0fa087af7d866e7653434e602fdde835");
	check_prf(PRF_AES128_XCBC, 0,
	    hx("000102030405060708090a0b0c0d0e0fedcb", NULL), 18, msg, 20,
	    "8cd3c93ae598a9803006ffb67c40e9e4");
}

/* A message given in pieces gives the PRF of their concatenation, also
 * when a piece boundary falls inside an AES block or on its end. */
static void
prf_pieces_equal_whole(void **state)
{
	static const uint16_t ids[] = { PRF_HMAC_SHA1, PRF_AES128_XCBC,
	    PRF_HMAC_SHA2_256, PRF_HMAC_SHA2_512 };
	uint8_t msg[70], a[PRF_MAX_OUT], b[PRF_MAX_OUT];
	struct crypto_iov whole = { msg, sizeof(msg) }, parts[4] = {
		{ msg, 5 }, { NULL, 0 }, { msg + 5, 27 }, { msg + 32, 38 },
	};
	struct prf *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		assert_int_equal(prf_new(ids[i], 0, msg, 16, &p), 0);
		assert_int_equal(prf_compute(p, &whole, 1, a,
		    prf_out_len(ids[i])), 0);
		assert_int_equal(prf_compute(p, parts, 4, b,
		    prf_out_len(ids[i])), 0);
		assert_memory_equal(a, b, prf_out_len(ids[i]));
		prf_free(p);
	}
}

/* prf+ computed here from its definition, with BoringSSL's one-shot
 * HMAC(): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n). */
static void
reference_prf_plus(const EVP_MD *md, const uint8_t *key, size_t klen,
    const uint8_t *seed, size_t slen, uint8_t *out, size_t len)
{
	uint8_t in[64 + 300 + 1], t[64];
	unsigned int tlen = 0, n;
	size_t done = 0, inlen, take;

	assert_true(slen <= 300);
	for (n = 1; done < len; n++) {
		memcpy(in, t, tlen);
		memcpy(in + tlen, seed, slen);
		in[tlen + slen] = (uint8_t)n;
		inlen = tlen + slen + 1;
		assert_non_null(HMAC(md, key, klen, in, inlen, t, &tlen));
		take = len - done < tlen ? len - done : tlen;
		memcpy(out + done, t, take);
		done += take;
	}
}

static void
check_prf_plus(uint16_t id, const EVP_MD *md, size_t len)
{
	static const uint8_t key[] = "prf+ key of arbitrary length";
	static const uint8_t seed[] = "Ni | Nr | SPIi | SPIr stand-in";
	struct crypto_iov v[2] = {
		{ seed, 10 }, { seed + 10, sizeof(seed) - 10 },
	};
	uint8_t *got = hx_buf(len), *want = hx_buf(len);
	struct prf *p;

	reference_prf_plus(md, key, sizeof(key), seed, sizeof(seed), want,
	    len);
	assert_int_equal(prf_new(id, 0, key, sizeof(key), &p), 0);
	assert_int_equal(prf_plus(p, v, 2, got, len), 0);
	assert_memory_equal(got, want, len);
	prf_free(p);
}

static void
prf_plus_matches_definition(void **state)
{
	(void)state;
	check_prf_plus(PRF_HMAC_SHA1, EVP_sha1(), 1);
	check_prf_plus(PRF_HMAC_SHA1, EVP_sha1(), 20);
	check_prf_plus(PRF_HMAC_SHA1, EVP_sha1(), 21);
	check_prf_plus(PRF_HMAC_SHA2_256, EVP_sha256(), 7 * 32 + 3);
	check_prf_plus(PRF_HMAC_SHA2_384, EVP_sha384(), 200);
	check_prf_plus(PRF_HMAC_SHA2_512, EVP_sha512(), 255 * 64);
}

/* 255 rounds are the most prf+ may run (RFC 7296 s. 2.13): the counter
 * is one octet.  The last allowed output is produced in full, one more
 * octet is refused and the output left untouched. */
static void
prf_plus_255_round_limit(void **state)
{
	const size_t max = 255 * 20;
	uint8_t *out = hx_buf(max + 1), *want = hx_buf(max);
	static const uint8_t key[] = "k", seed[] = "s";
	struct crypto_iov v = { seed, 1 };
	struct prf *p;

	(void)state;
	assert_int_equal(prf_new(PRF_HMAC_SHA1, 0, key, 1, &p), 0);
	assert_int_equal(prf_plus(p, &v, 1, out, max), 0);
	reference_prf_plus(EVP_sha1(), key, 1, seed, 1, want, max);
	assert_memory_equal(out, want, max);
	memset(out, 0x5a, max + 1);
	assert_int_equal(prf_plus(p, &v, 1, out, max + 1), IKE_EINVAL);
	assert_int_equal(out[0], 0x5a);
	prf_free(p);
}

static void
prf_table_and_bad_arguments(void **state)
{
	uint8_t out[PRF_MAX_OUT];
	struct crypto_iov v = { NULL, 4 };
	struct prf *p = NULL;

	(void)state;
	assert_int_equal(prf_out_len(PRF_HMAC_SHA1), 20);
	assert_int_equal(prf_key_len(PRF_HMAC_SHA2_384), 48);
	assert_int_equal(prf_out_len(PRF_AES128_XCBC), 16);
	assert_string_equal(prf_name(PRF_HMAC_SHA2_512), "PRF_HMAC_SHA2_512");
	/* 3 is PRF_HMAC_TIGER: assigned, not implemented */
	assert_false(prf_supported(3));
	assert_int_equal(prf_out_len(3), 0);
	assert_int_equal(prf_new(3, CRYPTO_F_LEGACY, out, 1, &p), IKE_EUNSUPP);
	assert_int_equal(prf_new(PRF_HMAC_SHA1, 0, NULL, 3, &p), IKE_EINVAL);
	assert_null(p);
	assert_int_equal(prf_new(PRF_HMAC_SHA1, 0, NULL, 0, &p), 0);
	assert_int_equal(prf_id_of(p), PRF_HMAC_SHA1);
	assert_int_equal(prf_compute(p, NULL, 0, out, 19), IKE_EINVAL);
	assert_int_equal(prf_compute(p, &v, 1, out, 20), IKE_EINVAL);
	assert_int_equal(prf_plus(p, &v, 1, NULL, 20), IKE_EINVAL);
	prf_free(p);
	prf_free(NULL);
}

/* The empty key: HMAC with a zero-length key (the RFC 2104 padding of
 * nothing) equals BoringSSL's one-shot HMAC with an empty key. */
static void
prf_empty_key(void **state)
{
	uint8_t a[32], b[32];
	unsigned int blen;
	struct crypto_iov v = { "abc", 3 };
	struct prf *p;

	(void)state;
	assert_int_equal(prf_new(PRF_HMAC_SHA2_256, 0, NULL, 0, &p), 0);
	assert_int_equal(prf_compute(p, &v, 1, a, sizeof(a)), 0);
	assert_non_null(HMAC(EVP_sha256(), "", 0, (const uint8_t *)"abc", 3,
	    b, &blen));
	assert_memory_equal(a, b, sizeof(a));
	prf_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(hmac_sha2_rfc4231, hx_teardown),
		cmocka_unit_test_teardown(hmac_sha1_rfc2202, hx_teardown),
		cmocka_unit_test_teardown(hmac_md5_rfc2202_needs_legacy,
		    hx_teardown),
		cmocka_unit_test_teardown(xcbc_rfc3566, hx_teardown),
		cmocka_unit_test_teardown(xcbc_prf_rfc4434_key_lengths,
		    hx_teardown),
		cmocka_unit_test_teardown(prf_pieces_equal_whole, hx_teardown),
		cmocka_unit_test_teardown(prf_plus_matches_definition,
		    hx_teardown),
		cmocka_unit_test_teardown(prf_plus_255_round_limit,
		    hx_teardown),
		cmocka_unit_test_teardown(prf_table_and_bad_arguments,
		    hx_teardown),
		cmocka_unit_test_teardown(prf_empty_key, hx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
