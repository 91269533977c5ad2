/* SK payload protection: AES-CBC and 3DES-CBC with a truncated MAC, and
 * the AEADs AES-GCM-16 and ChaCha20-Poly1305. */
#include "cipher.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/aead.h>
#include <openssl/cipher.h>
#include <openssl/mem.h>

#include "core/err.h"
#include "crypto_rand.h"
#include "integ.h"

#define AEAD_NONCE_LEN	(CIPHER_SALT_LEN + 8)
#define AEAD_TAG_LEN	16

struct sk_cipher {
	struct cipher_info	 info;
	const EVP_CIPHER	*evp;		/* CBC */
	uint8_t			 key[32];	/* CBC key */
	EVP_AEAD_CTX		 aead;		/* AEAD, keyed */
	uint8_t			 salt[CIPHER_SALT_LEN];
	struct integ		*integ;		/* CBC; NULL with NO_INTEG */
	uint64_t		 iv_ctr;	/* AEAD: IVs used so far */
};

static void
info_set(struct cipher_info *o, size_t key, size_t iv, size_t block,
    bool aead)
{
	memset(o, 0, sizeof(*o));
	o->key_len = key + (aead ? CIPHER_SALT_LEN : 0);
	o->salt_len = aead ? CIPHER_SALT_LEN : 0;
	o->iv_len = iv;
	o->block_len = block;
	o->icv_len = aead ? AEAD_TAG_LEN : 0;
	o->aead = aead;
}

static bool
aes_bits_ok(uint16_t bits)
{
	return bits == 128 || bits == 192 || bits == 256;
}

int
cipher_info(uint16_t encr, uint16_t key_bits, struct cipher_info *out)
{
	switch (encr) {
	case ENCR_3DES:
		if (key_bits != 0 && key_bits != 192)
			return IKE_EINVAL;
		info_set(out, 24, 8, 8, false);
		out->legacy = true;
		return 0;
	case ENCR_AES_CBC:
		if (!aes_bits_ok(key_bits))
			return IKE_EINVAL;
		info_set(out, key_bits / 8, 16, 16, false);
		return 0;
	case ENCR_AES_GCM_16:
		if (!aes_bits_ok(key_bits))
			return IKE_EINVAL;
		info_set(out, key_bits / 8, 8, 1, true);
		return 0;
	case ENCR_CHACHA20_POLY1305:
		if (key_bits != 0 && key_bits != 256)
			return IKE_EINVAL;
		info_set(out, 32, 8, 1, true);
		return 0;
	}
	return IKE_EUNSUPP;
}

const char *
cipher_name(uint16_t encr)
{
	switch (encr) {
	case ENCR_3DES:			return "ENCR_3DES";
	case ENCR_AES_CBC:		return "ENCR_AES_CBC";
	case ENCR_AES_GCM_16:		return "ENCR_AES_GCM_16";
	case ENCR_CHACHA20_POLY1305:	return "ENCR_CHACHA20_POLY1305";
	}
	return "unknown";
}

static const EVP_CIPHER *
cbc_evp(uint16_t encr, size_t key_len)
{
	if (encr == ENCR_3DES)
		return EVP_des_ede3_cbc();
	switch (key_len) {
	case 16:	return EVP_aes_128_cbc();
	case 24:	return EVP_aes_192_cbc();
	default:	return EVP_aes_256_cbc();
	}
}

static const EVP_AEAD *
aead_evp(uint16_t encr, size_t key_len)
{
	if (encr == ENCR_CHACHA20_POLY1305)
		return EVP_aead_chacha20_poly1305();
	switch (key_len) {
	case 16:	return EVP_aead_aes_128_gcm();
	case 24:	return EVP_aead_aes_192_gcm();
	default:	return EVP_aead_aes_256_gcm();
	}
}

/* Keys the AEAD with ekey minus its trailing salt. */
static int
sk_key_aead(struct sk_cipher *c, uint16_t encr, const uint8_t *ekey)
{
	size_t klen = c->info.key_len - CIPHER_SALT_LEN;

	memcpy(c->salt, ekey + klen, CIPHER_SALT_LEN);
	if (!EVP_AEAD_CTX_init(&c->aead, aead_evp(encr, klen), ekey, klen,
	    AEAD_TAG_LEN, NULL))
		return IKE_ENOMEM;
	return 0;
}

/* Keys the CBC cipher and, unless NO_INTEG, the integrity algorithm. */
static int
sk_key_cbc(struct sk_cipher *c, uint16_t encr, const uint8_t *ekey,
    uint16_t integ, const uint8_t *ikey, size_t ikey_len, unsigned int flags)
{
	c->evp = cbc_evp(encr, c->info.key_len);
	memcpy(c->key, ekey, c->info.key_len);
	if (integ == AUTH_NONE)
		return (flags & SK_F_NO_INTEG) != 0 && ikey == NULL ?
		    0 : IKE_EINVAL;
	return integ_new(integ, flags, ikey, ikey_len, &c->integ);
}

int
sk_cipher_new(uint16_t encr, uint16_t key_bits, const uint8_t *ekey,
    size_t ekey_len, uint16_t integ, const uint8_t *ikey, size_t ikey_len,
    unsigned int flags, struct sk_cipher **out)
{
	struct sk_cipher *c;
	struct cipher_info info;
	int rc;

	if ((rc = cipher_info(encr, key_bits, &info)) != 0)
		return rc;
	if (info.legacy && (flags & CRYPTO_F_LEGACY) == 0)
		return IKE_EUNSUPP;
	if (ekey == NULL || ekey_len != info.key_len ||
	    (info.aead && (integ != AUTH_NONE || ikey != NULL)))
		return IKE_EINVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return IKE_ENOMEM;
	c->info = info;
	EVP_AEAD_CTX_zero(&c->aead);
	if (info.aead)
		rc = sk_key_aead(c, encr, ekey);
	else
		rc = sk_key_cbc(c, encr, ekey, integ, ikey, ikey_len, flags);
	if (rc != 0) {
		sk_cipher_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void
sk_cipher_free(struct sk_cipher *c)
{
	if (c == NULL)
		return;
	EVP_AEAD_CTX_cleanup(&c->aead);
	integ_free(c->integ);
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}

size_t
sk_cipher_iv_len(const struct sk_cipher *c)
{
	return c->info.iv_len;
}

size_t
sk_cipher_block_len(const struct sk_cipher *c)
{
	return c->info.block_len;
}

size_t
sk_cipher_icv_len(const struct sk_cipher *c)
{
	if (c->info.aead)
		return c->info.icv_len;
	return c->integ == NULL ? 0 : integ_icv_len(c->integ);
}

int
sk_cipher_next_iv(struct sk_cipher *c, uint8_t *iv, size_t iv_len)
{
	uint64_t n;
	size_t i;

	if (iv == NULL || iv_len != c->info.iv_len)
		return IKE_EINVAL;
	if (!c->info.aead)
		return crypto_rand_bytes(iv, iv_len);
	if (c->iv_ctr == UINT64_MAX)
		return IKE_ENOSPC;
	n = ++c->iv_ctr;
	for (i = iv_len; i > 0; i--, n >>= 8)
		iv[i - 1] = (uint8_t)n;
	return 0;
}

static void
aead_nonce(const struct sk_cipher *c, const uint8_t *iv, uint8_t *nonce)
{
	memcpy(nonce, c->salt, CIPHER_SALT_LEN);
	memcpy(nonce + CIPHER_SALT_LEN, iv, c->info.iv_len);
}

static int
cbc_crypt(const struct sk_cipher *c, int enc, const uint8_t *iv,
    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX x;
	int n = 0, ok;

	if (len > INT_MAX)
		return IKE_EINVAL;
	EVP_CIPHER_CTX_init(&x);
	ok = EVP_CipherInit_ex(&x, c->evp, NULL, c->key, iv, enc) &&
	    EVP_CIPHER_CTX_set_padding(&x, 0) &&
	    EVP_CipherUpdate(&x, out, &n, in, (int)len) && (size_t)n == len;
	EVP_CIPHER_CTX_cleanup(&x);
	return ok ? 0 : IKE_ENOMEM;
}

/* What a CBC ICV covers (RFC 7296 s. 3.14): everything from the first
 * octet of the IKE header to the end of the ciphertext, i.e. the AAD
 * (IKE header, SK payload header), the IV and the ciphertext. */
static void
icv_input(const struct sk_cipher *c, const uint8_t *iv, const uint8_t *aad,
    size_t aad_len, const uint8_t *ct, size_t len, struct crypto_iov v[3])
{
	v[0].base = aad;
	v[0].len = aad_len;
	v[1].base = iv;
	v[1].len = c->info.iv_len;
	v[2].base = ct;
	v[2].len = len;
}

/* Checks the arguments common to both directions. */
static int
sk_args_ok(const struct sk_cipher *c, const uint8_t *iv, const uint8_t *aad,
    size_t aad_len, const void *in, size_t len, const void *out)
{
	if (iv == NULL || (aad == NULL && aad_len > 0) ||
	    in == NULL || out == NULL)
		return IKE_EINVAL;
	if (len == 0 || len % c->info.block_len != 0)
		return IKE_EMALFORMED;
	return 0;
}

int
sk_cipher_encrypt(const struct sk_cipher *c, const uint8_t *iv,
    const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
    uint8_t *ct, uint8_t *icv)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	struct crypto_iov v[3];
	size_t tag_len;
	int rc;

	if ((rc = sk_args_ok(c, iv, aad, aad_len, pt, len, ct)) != 0)
		return rc == IKE_EMALFORMED ? IKE_EINVAL : rc;
	if (icv == NULL && (c->info.aead || c->integ != NULL))
		return IKE_EINVAL;
	if (c->info.aead) {
		aead_nonce(c, iv, nonce);
		return EVP_AEAD_CTX_seal_scatter(&c->aead, ct, icv, &tag_len,
		    AEAD_TAG_LEN, nonce, sizeof(nonce), pt, len, NULL, 0,
		    aad, aad_len) ? 0 : IKE_ENOMEM;
	}
	if ((rc = cbc_crypt(c, 1, iv, pt, len, ct)) != 0 || c->integ == NULL)
		return rc;
	icv_input(c, iv, aad, aad_len, ct, len, v);
	return integ_sign(c->integ, v, 3, icv, integ_icv_len(c->integ));
}

int
sk_cipher_decrypt(const struct sk_cipher *c, const uint8_t *iv,
    const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
    const uint8_t *icv, uint8_t *pt)
{
	uint8_t nonce[AEAD_NONCE_LEN];
	struct crypto_iov v[3];
	int rc;

	if ((rc = sk_args_ok(c, iv, aad, aad_len, ct, len, pt)) != 0)
		return rc;
	if (icv == NULL && (c->info.aead || c->integ != NULL))
		return IKE_EINVAL;
	if (c->info.aead) {
		aead_nonce(c, iv, nonce);
		if (EVP_AEAD_CTX_open_gather(&c->aead, pt, nonce,
		    sizeof(nonce), ct, len, icv, AEAD_TAG_LEN, aad, aad_len))
			return 0;
		OPENSSL_cleanse(pt, len);
		return IKE_EMALFORMED;
	}
	if (c->integ != NULL) {
		/* the ICV first: nothing is decrypted from a forgery */
		icv_input(c, iv, aad, aad_len, ct, len, v);
		if ((rc = integ_verify(c->integ, v, 3, icv,
		    integ_icv_len(c->integ))) != 0)
			return rc;
	}
	return cbc_crypt(c, 0, iv, ct, len, pt);
}
