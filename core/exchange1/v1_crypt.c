/* core/exchange1/v1_crypt.c: encryption of IKEv1 messages (RFC 2408
 * s. 3.1 E flag, RFC 2409 s. 5 and App. B) and the HASH payloads that
 * authenticate phase-2 messages (RFC 2409 s. 5.5, 5.7).
 *
 * One key (from SKEYID_e, extended to Ka when short) serves both
 * directions; CBC without integrity check, the HASH payload being the
 * authenticator.  The IV of a message is the last ciphertext block of
 * the message before it in the same chain (phase 1, or one Message ID
 * of phase 2), so the chain moves only once a message is accepted:
 * v1_open() hands the next IV back to the caller instead of storing
 * it.  Padding is zeros up to the block length, without a pad length
 * octet (RFC 2408 s. 3.5 lets the header Length cover it). */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

int
v1_crypt_setup(struct ike_sa *sa)
{
	struct v1_state *v1 = sa->v1;
	struct cipher_info ci;
	struct ike_key *ek = NULL;
	struct sk_cipher *c = NULL;
	int rc;

	if (v1 == NULL || v1->k.e == NULL)
		return IKE_EINVAL;
	if ((rc = cipher_info(sa->encr, sa->key_bits, &ci)) != 0)
		return rc;
	if (ci.aead || ci.block_len > CIPHER_MAX_BLOCK)
		return IKE_EUNSUPP;
	rc = ikev1_enc_key(sa->prf, V1_CRYPTO_FLAGS, v1->k.e, ci.key_len,
	    &ek);
	if (rc == 0)
		rc = sk_cipher_new(sa->encr, sa->key_bits, ek->data, ek->len,
		    0, NULL, 0, V1_CRYPTO_FLAGS | SK_F_NO_INTEG, &c);
	ike_key_free(ek);
	if (rc != 0)
		return rc;
	sk_cipher_free(v1->cbc);
	v1->cbc = c;
	v1->block = ci.block_len;
	return 0;
}

int
v1_crypt_msgid_iv(const struct ike_sa *sa, uint32_t msgid, uint8_t *iv)
{
	const struct v1_state *v1 = sa->v1;

	if (v1 == NULL || v1->cbc == NULL || iv == NULL)
		return IKE_EINVAL;
	return ikev1_iv_msgid(sa->prf, V1_CRYPTO_FLAGS, v1->iv, msgid, iv,
	    v1->block);
}

/* The payload chain of m, zero-padded to the block length, into *pt
 * (malloc'd, *len octets); *first gets the first payload's type. */
static int
padded_body(const struct v1_msg *m, size_t block, uint8_t **pt,
    size_t *len, uint8_t *first)
{
	struct wr w;
	size_t n;
	int rc;

	wr_init(&w, 65535);
	if ((rc = v1_encode_body(m, &w, first)) == 0)
		rc = wr_error(&w);
	if (rc == 0 && w.len == 0)
		rc = IKE_EINVAL;
	n = w.len + (block - w.len % block) % block;
	if (rc == 0 && (*pt = calloc(1, n)) == NULL)
		rc = IKE_ENOMEM;
	if (rc == 0) {
		memcpy(*pt, w.buf, w.len);
		*len = n;
	}
	wr_free(&w);
	return rc;
}

int
v1_seal(const struct ike_sa *sa, struct v1_msg *m, uint8_t *iv, struct wr *w)
{
	const struct v1_state *v1 = sa->v1;
	uint8_t *pt = NULL, first = 0;
	size_t len = 0;
	int rc;

	if (v1 == NULL || v1->cbc == NULL || iv == NULL)
		return IKE_EINVAL;
	if ((rc = padded_body(m, v1->block, &pt, &len, &first)) != 0)
		return rc;
	rc = sk_cipher_encrypt(v1->cbc, iv, NULL, 0, pt, len, pt, NULL);
	if (rc == 0) {
		m->hdr.flags |= IKEV1_F_ENC;
		m->hdr.next = first;
		m->ct = (struct ike_slice){ pt, len };
		rc = v1_encode(m, w);
		if (rc == 0)
			rc = wr_error(w);
		m->ct = (struct ike_slice){ NULL, 0 };
	}
	if (rc == 0)
		rc = ikev1_iv_next(iv, v1->block, pt, len);
	free(pt);	/* ciphertext only */
	return rc;
}

int
v1_open(const struct ike_sa *sa, struct v1_msg *m, const uint8_t *iv,
    uint8_t *next_iv, uint8_t **pt, size_t *pt_len)
{
	const struct v1_state *v1 = sa->v1;
	uint8_t *buf;
	size_t len = m->ct.len;
	int rc;

	if (v1 == NULL || v1->cbc == NULL || iv == NULL || next_iv == NULL)
		return IKE_EINVAL;
	if ((m->hdr.flags & IKEV1_F_ENC) == 0 || m->opened)
		return IKE_EMALFORMED;
	if (len == 0 || len % v1->block != 0)
		return IKE_EMALFORMED;
	if ((buf = malloc(len)) == NULL)
		return IKE_ENOMEM;
	rc = sk_cipher_decrypt(v1->cbc, iv, NULL, 0, m->ct.p, len, NULL, buf);
	if (rc == 0 && v1_decode_body(m, m->hdr.next, buf, len, NULL) != 0)
		rc = IKE_EMALFORMED;
	if (rc != 0) {
		v1_pt_free(buf, len);
		return rc == IKE_ENOMEM ? rc : IKE_EMALFORMED;
	}
	memcpy(next_iv, m->ct.p + len - v1->block, v1->block);
	*pt = buf;
	*pt_len = len;
	return 0;
}

void
v1_pt_free(uint8_t *pt, size_t len)
{
	if (pt == NULL)
		return;
	secmem_wipe(pt, len);
	free(pt);
}

/* The HASH of kind over rest (the octets after the HASH payload). */
static int
hash_of(const struct ike_sa *sa, uint32_t msgid, enum v1_hash_kind kind,
    const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len,
    const uint8_t *rest, size_t rest_len, uint8_t *out, size_t out_len)
{
	const struct ike_key *a = sa->v1->k.a;

	switch (kind) {
	case V1_HASH_1:
		return ikev1_hash1(sa->prf, V1_CRYPTO_FLAGS, a, msgid, rest,
		    rest_len, out, out_len);
	case V1_HASH_2:
		return ikev1_hash2(sa->prf, V1_CRYPTO_FLAGS, a, msgid, ni,
		    ni_len, rest, rest_len, out, out_len);
	case V1_HASH_3:
		return ikev1_hash3(sa->prf, V1_CRYPTO_FLAGS, a, msgid, ni,
		    ni_len, nr, nr_len, out, out_len);
	}
	return IKE_EINVAL;
}

int
v1_seal_hashed(const struct ike_sa *sa, struct v1_msg *m,
    enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len, uint8_t *iv, struct wr *w)
{
	uint8_t h[PRF_MAX_OUT] = { 0 }, first;
	size_t hlen = prf_out_len(sa->prf), skip;
	struct wr body;
	int rc;

	if (sa->v1 == NULL || sa->v1->k.a == NULL || m->npl == 0 ||
	    m->pl[0].type != IKEV1_PL_HASH || hlen == 0 ||
	    hlen > sizeof(h))
		return IKE_EINVAL;
	/* Encoded once with a placeholder of the right length: the rest
	 * follows the HASH payload's header and data. */
	m->pl[0].u.data = (struct ike_slice){ h, hlen };
	wr_init(&body, 65535);
	if ((rc = v1_encode_body(m, &body, &first)) == 0)
		rc = wr_error(&body);
	skip = IKEV1_PL_HDR_LEN + hlen;
	if (rc == 0)
		rc = hash_of(sa, m->hdr.msgid, kind, ni, ni_len, nr, nr_len,
		    body.buf + skip, body.len - skip, h, hlen);
	wr_free(&body);
	if (rc == 0)
		rc = v1_seal(sa, m, iv, w);
	m->pl[0].u.data = (struct ike_slice){ NULL, 0 };
	secmem_wipe(h, sizeof(h));
	return rc;
}

int
v1_check_hash(const struct ike_sa *sa, const struct v1_msg *m,
    enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len)
{
	uint8_t want[PRF_MAX_OUT];
	size_t hlen = prf_out_len(sa->prf);
	const struct v1_pl *h, *last;
	const uint8_t *rest;
	size_t rest_len;
	int rc;

	if (sa->v1 == NULL || sa->v1->k.a == NULL || m->npl == 0 ||
	    m->pl[0].type != IKEV1_PL_HASH || hlen == 0 ||
	    hlen > sizeof(want))
		return IKE_EMALFORMED;
	h = &m->pl[0];
	last = &m->pl[m->npl - 1];
	if (h->u.data.len != hlen)
		return IKE_EMALFORMED;
	rest = h->body.p + h->body.len;
	rest_len = m->npl > 1 ? (size_t)(last->body.p + last->body.len -
	    rest) : 0;
	rc = hash_of(sa, m->hdr.msgid, kind, ni, ni_len, nr, nr_len, rest,
	    rest_len, want, hlen);
	if (rc == 0)
		rc = ikev1_hash_equal(h->u.data.p, want, hlen);
	secmem_wipe(want, sizeof(want));
	return rc == 0 ? 0 : IKE_EMALFORMED;
}
