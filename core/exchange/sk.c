/* core/exchange/sk.c: the Encrypted payload (RFC 7296 s. 3.14): sealing
 * an outgoing message and opening a received one with the SK ciphers of
 * the IKE SA.  The codec lays out and finds the AAD, IV, ciphertext and
 * ICV regions; this file only runs the ciphers over them. */
#include "core/exchange/exchange.h"

#include <stdlib.h>

#include "core/crypto/cipher.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

static int
cipher_for(const struct ike_sa *sa, const struct ike_key *e,
    const struct ike_key *a, struct sk_cipher **out)
{
	if (e == NULL)
		return IKE_ESTATE;
	return sk_cipher_new(sa->encr, sa->key_bits, e->data, e->len,
	    sa->integ, a != NULL ? a->data : NULL, a != NULL ? a->len : 0, 0,
	    out);
}

int
sk_setup(struct ike_sa *sa)
{
	const struct kdf_ike_keys *k = &sa->keys;
	struct sk_cipher *i2r = NULL, *r2i = NULL;
	int rc;

	if ((rc = cipher_for(sa, k->sk_ei, k->sk_ai, &i2r)) != 0 ||
	    (rc = cipher_for(sa, k->sk_er, k->sk_ar, &r2i)) != 0) {
		sk_cipher_free(i2r);
		return rc;
	}
	sk_cipher_free(sa->sk_out);
	sk_cipher_free(sa->sk_in);
	sa->sk_out = sa->initiator ? i2r : r2i;
	sa->sk_in = sa->initiator ? r2i : i2r;
	return 0;
}

int
sk_seal(struct ike_sa *sa, const struct ike_msg *m, struct wr *w)
{
	struct sk_params skp;
	struct sk_layout lay;
	uint8_t *b;
	int rc;

	if (sa->sk_out == NULL)
		return IKE_ESTATE;
	skp.iv_len = sk_cipher_iv_len(sa->sk_out);
	skp.block_len = sk_cipher_block_len(sa->sk_out);
	skp.icv_len = sk_cipher_icv_len(sa->sk_out);
	if ((rc = codec_encode(m, &skp, w, &lay)) != 0)
		return rc;
	b = w->buf;
	if ((rc = sk_cipher_next_iv(sa->sk_out, b + lay.iv_off,
	    skp.iv_len)) != 0)
		return rc;
	return sk_cipher_encrypt(sa->sk_out, b + lay.iv_off, b + lay.aad_off,
	    lay.aad_len, b + lay.pt_off, lay.pt_len, b + lay.pt_off,
	    b + lay.icv_off);
}

void
sk_pt_free(uint8_t *pt, size_t len)
{
	secmem_wipe(pt, len);
	free(pt);
}

int
sk_open(struct ike_sa *sa, struct ike_msg *m, uint8_t **pt, size_t *pt_len)
{
	struct codec_diag d;
	struct sk_view v;
	size_t data_len;
	uint8_t *p;
	int rc;

	if (sa->sk_in == NULL)
		return IKE_ESTATE;
	if ((rc = codec_sk_view(m, sk_cipher_iv_len(sa->sk_in),
	    sk_cipher_icv_len(sa->sk_in), &v)) != 0)
		return rc;
	if ((p = malloc(v.ct.len)) == NULL)
		return IKE_ENOMEM;
	if ((rc = sk_cipher_decrypt(sa->sk_in, v.iv.p, v.aad.p, v.aad.len,
	    v.ct.p, v.ct.len, v.icv.p, p)) != 0 ||
	    (rc = codec_sk_unpad(p, v.ct.len, &data_len)) != 0 ||
	    (rc = codec_decode_inner(m, v.first, p, data_len, &d)) != 0) {
		log_dbg(LOG_ENC, "SK payload refused: %s", ike_strerror(rc));
		sk_pt_free(p, v.ct.len);
		return rc;
	}
	*pt = p;
	*pt_len = v.ct.len;
	return 0;
}
