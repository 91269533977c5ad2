/* IKEv1 SKEYID, SKEYID_d/_a/_e, Ka, KEYMAT, IVs and HASH payloads
 * (RFC 2409 s. 5, 5.5, 5.7 and Appendix B). */
#include "ikev1_kdf.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/mem.h>

#include "core/err.h"
#include "core/secmem.h"
#include "crypto.h"
#include "hash.h"
#include "prf.h"

#define V1_MAX_IOV	8	/* the most pieces any PRF input has */

static bool
bytes_ok(const void *p, size_t len)
{
	return p != NULL || len == 0;
}

static bool
nonce_ok(const uint8_t *p, size_t len)
{
	return p != NULL && len >= IKEV1_NONCE_MIN && len <= IKEV1_NONCE_MAX;
}

static bool
key_ok(const struct ike_key *k)
{
	return k != NULL && k->len > 0;
}

static void
be32(uint8_t out[4], uint32_t v)
{
	out[0] = (uint8_t)(v >> 24);
	out[1] = (uint8_t)(v >> 16);
	out[2] = (uint8_t)(v >> 8);
	out[3] = (uint8_t)v;
}

/* 0 when prf is an IKEv1 PRF that flags allow. */
static int
v1_check(uint16_t prf, unsigned int flags)
{
	if (crypto_hash_len(prf) == 0)
		return IKE_EUNSUPP;
	if (prf_is_legacy(prf) && (flags & CRYPTO_F_LEGACY) == 0)
		return IKE_EUNSUPP;
	return 0;
}

int
ikev1_prf_of_hash(uint16_t hash, uint16_t *prf)
{
	static const uint16_t map[][2] = {
		{ IKEV1_HASH_MD5, PRF_HMAC_MD5 },
		{ IKEV1_HASH_SHA, PRF_HMAC_SHA1 },
		{ IKEV1_HASH_SHA2_256, PRF_HMAC_SHA2_256 },
		{ IKEV1_HASH_SHA2_384, PRF_HMAC_SHA2_384 },
		{ IKEV1_HASH_SHA2_512, PRF_HMAC_SHA2_512 },
	};
	size_t i;

	if (prf == NULL)
		return IKE_EINVAL;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i][0] == hash) {
			*prf = map[i][1];
			return 0;
		}
	return IKE_EUNSUPP;
}

/* out = prf(key, v...), out_len being the PRF's output length. */
static int
v1_prf(uint16_t prf, unsigned int flags, const uint8_t *key, size_t klen,
    const struct crypto_iov *v, size_t n, uint8_t *out, size_t out_len)
{
	struct prf *p;
	int rc;

	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	if (out == NULL || out_len != prf_out_len(prf))
		return IKE_EINVAL;
	if ((rc = prf_new(prf, flags, key, klen, &p)) != 0)
		return rc;
	rc = prf_compute(p, v, n, out, out_len);
	prf_free(p);
	return rc;
}

/* *out = prf(key, v...) as a new key. */
static int
v1_prf_key(uint16_t prf, unsigned int flags, const uint8_t *key,
    size_t klen, const struct crypto_iov *v, size_t n, struct ike_key **out)
{
	struct ike_key *k;
	int rc;

	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	if ((rc = ike_key_new(prf_out_len(prf), &k)) != 0)
		return rc;
	if ((rc = v1_prf(prf, flags, key, klen, v, n, k->data, k->len)) != 0) {
		ike_key_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

/* out = the first len octets of K1 | K2 | ... where K1 = prf(K, first...)
 * and Kn = prf(K, Kn-1 | next...): Ka and KEYMAT (App. B, s. 5.5). */
static int
v1_chain(const struct prf *p, const struct crypto_iov *first, size_t nfirst,
    const struct crypto_iov *next, size_t nnext, uint8_t *out, size_t len)
{
	struct crypto_iov iov[V1_MAX_IOV + 1];
	uint8_t k[PRF_MAX_OUT];
	size_t hl = prf_out_len(prf_id_of(p)), done, take;
	int rc = 0;

	if (nnext > V1_MAX_IOV)
		return IKE_EINVAL;
	if (nnext > 0)
		memcpy(iov + 1, next, nnext * sizeof(*iov));
	for (done = 0; done < len; done += take) {
		iov[0].base = k;
		iov[0].len = hl;
		if (done == 0)
			rc = prf_compute(p, first, nfirst, k, hl);
		else
			rc = prf_compute(p, iov, nnext + 1, k, hl);
		if (rc != 0)
			break;
		take = len - done < hl ? len - done : hl;
		memcpy(out + done, k, take);
	}
	secmem_wipe(k, sizeof(k));
	return rc;
}

/* *out = the first len octets of the chain keyed with key. */
static int
v1_chain_key(uint16_t prf, unsigned int flags, const struct ike_key *key,
    const struct crypto_iov *first, size_t nfirst,
    const struct crypto_iov *next, size_t nnext, size_t len,
    struct ike_key **out)
{
	struct ike_key *k = NULL;
	struct prf *p;
	int rc;

	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	if (!key_ok(key) || len == 0 || len > IKEV1_KDF_MAX_KEY)
		return IKE_EINVAL;
	if ((rc = prf_new(prf, flags, key->data, key->len, &p)) != 0)
		return rc;
	if ((rc = ike_key_new(len, &k)) == 0)
		rc = v1_chain(p, first, nfirst, next, nnext, k->data, len);
	prf_free(p);
	if (rc != 0) {
		ike_key_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

int
ikev1_skeyid_psk(uint16_t prf, unsigned int flags, const uint8_t *psk,
    size_t psk_len, const struct ikev1_ph1_in *in, struct ike_key **out)
{
	struct crypto_iov v[2];

	if (in == NULL || out == NULL || psk == NULL || psk_len == 0 ||
	    !nonce_ok(in->ni, in->ni_len) || !nonce_ok(in->nr, in->nr_len))
		return IKE_EINVAL;
	v[0] = (struct crypto_iov){ in->ni, in->ni_len };
	v[1] = (struct crypto_iov){ in->nr, in->nr_len };
	return v1_prf_key(prf, flags, psk, psk_len, v, 2, out);
}

int
ikev1_skeyid_sig(uint16_t prf, unsigned int flags,
    const struct ikev1_ph1_in *in, struct ike_key **out)
{
	struct crypto_iov v;
	struct ike_key *nonces;
	int rc;

	if (in == NULL || out == NULL || !nonce_ok(in->ni, in->ni_len) ||
	    !nonce_ok(in->nr, in->nr_len) || in->gxy == NULL ||
	    in->gxy_len == 0)
		return IKE_EINVAL;
	/* the key is Ni_b | Nr_b: one buffer, wiped with the key */
	if ((rc = ike_key_new(in->ni_len + in->nr_len, &nonces)) != 0)
		return rc;
	memcpy(nonces->data, in->ni, in->ni_len);
	memcpy(nonces->data + in->ni_len, in->nr, in->nr_len);
	v = (struct crypto_iov){ in->gxy, in->gxy_len };
	rc = v1_prf_key(prf, flags, nonces->data, nonces->len, &v, 1, out);
	ike_key_free(nonces);
	return rc;
}

int
ikev1_skeyid_pke(uint16_t prf, unsigned int flags,
    const struct ikev1_ph1_in *in, struct ike_key **out)
{
	struct crypto_iov v[2];
	uint8_t h[HASH_MAX_LEN];
	size_t hl;
	int rc;

	if (in == NULL || out == NULL || !nonce_ok(in->ni, in->ni_len) ||
	    !nonce_ok(in->nr, in->nr_len) || in->cky_i == NULL ||
	    in->cky_r == NULL)
		return IKE_EINVAL;
	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	v[0] = (struct crypto_iov){ in->ni, in->ni_len };
	v[1] = (struct crypto_iov){ in->nr, in->nr_len };
	if ((rc = crypto_hash(prf, v, 2, h, &hl)) != 0)
		return rc;
	v[0] = (struct crypto_iov){ in->cky_i, IKEV1_COOKIE_LEN };
	v[1] = (struct crypto_iov){ in->cky_r, IKEV1_COOKIE_LEN };
	rc = v1_prf_key(prf, flags, h, hl, v, 2, out);
	secmem_wipe(h, sizeof(h));
	return rc;
}

/* *out = prf(SKEYID, [prev |] g^xy | CKY-I | CKY-R | n). */
static int
v1_skeyid_x(uint16_t prf, unsigned int flags, const struct ike_key *skeyid,
    const struct ike_key *prev, const struct ikev1_ph1_in *in, uint8_t n,
    struct ike_key **out)
{
	struct crypto_iov v[5] = {
		{ prev != NULL ? prev->data : NULL, prev != NULL ? prev->len : 0 },
		{ in->gxy, in->gxy_len },
		{ in->cky_i, IKEV1_COOKIE_LEN },
		{ in->cky_r, IKEV1_COOKIE_LEN },
		{ &n, 1 },
	};

	return v1_prf_key(prf, flags, skeyid->data, skeyid->len, v, 5, out);
}

int
ikev1_skeyid_dae(uint16_t prf, unsigned int flags,
    const struct ike_key *skeyid, const struct ikev1_ph1_in *in,
    struct ikev1_skeyids *out)
{
	struct ikev1_skeyids k = { NULL, NULL, NULL };
	int rc;

	if (out == NULL)
		return IKE_EINVAL;
	memset(out, 0, sizeof(*out));
	if (in == NULL || !key_ok(skeyid) || in->gxy == NULL ||
	    in->gxy_len == 0 || in->cky_i == NULL || in->cky_r == NULL)
		return IKE_EINVAL;
	if ((rc = v1_skeyid_x(prf, flags, skeyid, NULL, in, 0, &k.d)) != 0 ||
	    (rc = v1_skeyid_x(prf, flags, skeyid, k.d, in, 1, &k.a)) != 0 ||
	    (rc = v1_skeyid_x(prf, flags, skeyid, k.a, in, 2, &k.e)) != 0) {
		ikev1_skeyids_free(&k);
		return rc;
	}
	*out = k;
	return 0;
}

void
ikev1_skeyids_free(struct ikev1_skeyids *k)
{
	if (k == NULL)
		return;
	ike_key_free(k->d);
	ike_key_free(k->a);
	ike_key_free(k->e);
	memset(k, 0, sizeof(*k));
}

int
ikev1_enc_key(uint16_t prf, unsigned int flags,
    const struct ike_key *skeyid_e, size_t key_len, struct ike_key **out)
{
	static const uint8_t zero = 0;
	struct crypto_iov first = { &zero, 1 };
	int rc;

	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	if (out == NULL || !key_ok(skeyid_e) || key_len == 0 ||
	    key_len > IKEV1_KDF_MAX_KEY)
		return IKE_EINVAL;
	if (key_len <= skeyid_e->len)
		return ike_key_from(skeyid_e->data, key_len, out);
	/* Ka: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
	return v1_chain_key(prf, flags, skeyid_e, &first, 1, NULL, 0, key_len,
	    out);
}

/* iv = the first iv_len octets of hash(v...). */
static int
v1_iv(uint16_t prf, unsigned int flags, const struct crypto_iov *v,
    size_t n, uint8_t *iv, size_t iv_len)
{
	uint8_t h[HASH_MAX_LEN];
	size_t hl;
	int rc;

	if ((rc = v1_check(prf, flags)) != 0)
		return rc;
	if (iv == NULL || iv_len == 0 ||
	    iv_len > crypto_hash_len(prf))
		return IKE_EINVAL;
	if ((rc = crypto_hash(prf, v, n, h, &hl)) != 0)
		return rc;
	memcpy(iv, h, iv_len);
	secmem_wipe(h, sizeof(h));
	return 0;
}

int
ikev1_iv_phase1(uint16_t prf, unsigned int flags, const uint8_t *gxi,
    size_t gxi_len, const uint8_t *gxr, size_t gxr_len, uint8_t *iv,
    size_t iv_len)
{
	struct crypto_iov v[2] = { { gxi, gxi_len }, { gxr, gxr_len } };

	if (gxi == NULL || gxi_len == 0 || gxr == NULL || gxr_len == 0)
		return IKE_EINVAL;
	return v1_iv(prf, flags, v, 2, iv, iv_len);
}

int
ikev1_iv_msgid(uint16_t prf, unsigned int flags, const uint8_t *ph1_last,
    uint32_t msgid, uint8_t *iv, size_t iv_len)
{
	uint8_t mid[4];
	struct crypto_iov v[2] = { { ph1_last, iv_len }, { mid, sizeof(mid) } };

	if (ph1_last == NULL)
		return IKE_EINVAL;
	be32(mid, msgid);
	return v1_iv(prf, flags, v, 2, iv, iv_len);
}

int
ikev1_iv_next(uint8_t *iv, size_t iv_len, const uint8_t *ct, size_t ct_len)
{
	if (iv == NULL || ct == NULL || iv_len == 0 || ct_len == 0 ||
	    ct_len % iv_len != 0)
		return IKE_EINVAL;
	memmove(iv, ct + ct_len - iv_len, iv_len);
	return 0;
}

static bool
auth_in_ok(const struct ikev1_auth_in *in)
{
	return in != NULL && in->gxi != NULL && in->gxi_len > 0 &&
	    in->gxr != NULL && in->gxr_len > 0 && in->cky_i != NULL &&
	    in->cky_r != NULL && in->sai_b != NULL && in->sai_len > 0 &&
	    in->id_b != NULL && in->id_len > 0;
}

/* HASH_I (resp false) or HASH_R (resp true): the responder's swaps the
 * KE values and the cookies; SAi_b stays the initiator's. */
static int
v1_hash_ir(uint16_t prf, unsigned int flags, const struct ike_key *skeyid,
    const struct ikev1_auth_in *in, bool resp, uint8_t *out, size_t out_len)
{
	struct crypto_iov gi, gr, ci, cr, v[6];

	if (!key_ok(skeyid) || !auth_in_ok(in))
		return IKE_EINVAL;
	gi = (struct crypto_iov){ in->gxi, in->gxi_len };
	gr = (struct crypto_iov){ in->gxr, in->gxr_len };
	ci = (struct crypto_iov){ in->cky_i, IKEV1_COOKIE_LEN };
	cr = (struct crypto_iov){ in->cky_r, IKEV1_COOKIE_LEN };
	v[0] = resp ? gr : gi;
	v[1] = resp ? gi : gr;
	v[2] = resp ? cr : ci;
	v[3] = resp ? ci : cr;
	v[4] = (struct crypto_iov){ in->sai_b, in->sai_len };
	v[5] = (struct crypto_iov){ in->id_b, in->id_len };
	return v1_prf(prf, flags, skeyid->data, skeyid->len, v, 6, out,
	    out_len);
}

int
ikev1_hash_i(uint16_t prf, unsigned int flags, const struct ike_key *skeyid,
    const struct ikev1_auth_in *in, uint8_t *out, size_t out_len)
{
	return v1_hash_ir(prf, flags, skeyid, in, false, out, out_len);
}

int
ikev1_hash_r(uint16_t prf, unsigned int flags, const struct ike_key *skeyid,
    const struct ikev1_auth_in *in, uint8_t *out, size_t out_len)
{
	return v1_hash_ir(prf, flags, skeyid, in, true, out, out_len);
}

/* prf(SKEYID_a, M-ID | [Ni_b |] rest): HASH(1), HASH(2), informational. */
static int
v1_hash12(uint16_t prf, unsigned int flags, const struct ike_key *skeyid_a,
    uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *rest,
    size_t rest_len, uint8_t *out, size_t out_len)
{
	uint8_t mid[4];
	struct crypto_iov v[3] = {
		{ mid, sizeof(mid) }, { ni, ni_len }, { rest, rest_len },
	};

	if (!key_ok(skeyid_a) || rest == NULL || rest_len == 0 ||
	    !bytes_ok(ni, ni_len))
		return IKE_EINVAL;
	be32(mid, msgid);
	return v1_prf(prf, flags, skeyid_a->data, skeyid_a->len, v, 3, out,
	    out_len);
}

int
ikev1_hash1(uint16_t prf, unsigned int flags, const struct ike_key *skeyid_a,
    uint32_t msgid, const uint8_t *rest, size_t rest_len, uint8_t *out,
    size_t out_len)
{
	return v1_hash12(prf, flags, skeyid_a, msgid, NULL, 0, rest, rest_len,
	    out, out_len);
}

int
ikev1_hash2(uint16_t prf, unsigned int flags, const struct ike_key *skeyid_a,
    uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *rest,
    size_t rest_len, uint8_t *out, size_t out_len)
{
	if (!nonce_ok(ni, ni_len))
		return IKE_EINVAL;
	return v1_hash12(prf, flags, skeyid_a, msgid, ni, ni_len, rest,
	    rest_len, out, out_len);
}

int
ikev1_hash3(uint16_t prf, unsigned int flags, const struct ike_key *skeyid_a,
    uint32_t msgid, const uint8_t *ni, size_t ni_len, const uint8_t *nr,
    size_t nr_len, uint8_t *out, size_t out_len)
{
	static const uint8_t zero = 0;
	uint8_t mid[4];
	struct crypto_iov v[4] = {
		{ &zero, 1 }, { mid, sizeof(mid) }, { ni, ni_len }, { nr, nr_len },
	};

	if (!key_ok(skeyid_a) || !nonce_ok(ni, ni_len) || !nonce_ok(nr, nr_len))
		return IKE_EINVAL;
	be32(mid, msgid);
	return v1_prf(prf, flags, skeyid_a->data, skeyid_a->len, v, 4, out,
	    out_len);
}

int
ikev1_hash_info(uint16_t prf, unsigned int flags,
    const struct ike_key *skeyid_a, uint32_t msgid, const uint8_t *nd,
    size_t nd_len, uint8_t *out, size_t out_len)
{
	return v1_hash12(prf, flags, skeyid_a, msgid, NULL, 0, nd, nd_len, out,
	    out_len);
}

int
ikev1_hash_equal(const uint8_t *got, const uint8_t *want, size_t len)
{
	if (got == NULL || want == NULL || len == 0)
		return IKE_EMALFORMED;
	return CRYPTO_memcmp(got, want, len) == 0 ? 0 : IKE_EMALFORMED;
}

static bool
qm_in_ok(const struct ikev1_qm_in *in)
{
	return in != NULL && bytes_ok(in->gqm, in->gqm_len) &&
	    (in->protocol == IKEV1_PROTO_AH ||
	    in->protocol == IKEV1_PROTO_ESP) &&
	    nonce_ok(in->ni, in->ni_len) && nonce_ok(in->nr, in->nr_len);
}

int
ikev1_keymat(uint16_t prf, unsigned int flags,
    const struct ike_key *skeyid_d, const struct ikev1_qm_in *in,
    size_t len, struct ike_key **out)
{
	uint8_t spi[4];
	struct crypto_iov s[5] = {
		{ NULL, 0 }, { NULL, 0 }, { spi, sizeof(spi) },
		{ NULL, 0 }, { NULL, 0 },
	};

	if (out == NULL || !qm_in_ok(in))
		return IKE_EINVAL;
	be32(spi, in->spi);
	s[0] = (struct crypto_iov){ in->gqm, in->gqm_len };
	s[1] = (struct crypto_iov){ &in->protocol, 1 };
	s[3] = (struct crypto_iov){ in->ni, in->ni_len };
	s[4] = (struct crypto_iov){ in->nr, in->nr_len };
	return v1_chain_key(prf, flags, skeyid_d, s, 5, s, 5, len, out);
}

int
ikev1_sa_keys(uint16_t prf, unsigned int flags,
    const struct ike_key *skeyid_d, const struct ikev1_qm_in *in,
    size_t e_len, size_t a_len, struct ikev1_sa_keys *out)
{
	struct ikev1_sa_keys k = { NULL, NULL };
	struct ike_key *km;
	const uint8_t *p;
	int rc;

	if (out == NULL)
		return IKE_EINVAL;
	memset(out, 0, sizeof(*out));
	if (e_len > IKEV1_KDF_MAX_KEY || a_len > IKEV1_KDF_MAX_KEY - e_len)
		return IKE_EINVAL;
	if ((rc = ikev1_keymat(prf, flags, skeyid_d, in, e_len + a_len,
	    &km)) != 0)
		return rc;
	p = km->data;
	if ((rc = ike_key_cut(&p, e_len, &k.enc)) != 0 ||
	    (rc = ike_key_cut(&p, a_len, &k.auth)) != 0)
		ikev1_sa_keys_free(&k);
	ike_key_free(km);
	if (rc != 0)
		return rc;
	*out = k;
	return 0;
}

void
ikev1_sa_keys_free(struct ikev1_sa_keys *k)
{
	if (k == NULL)
		return;
	ike_key_free(k->enc);
	ike_key_free(k->auth);
	memset(k, 0, sizeof(*k));
}
