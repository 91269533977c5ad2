/* core/exchange1/v1_prop.c: phase-1 proposals (RFC 2409 s. 5 and
 * App. A, RFC 2408 s. 3.4-3.6): struct ike_cfg <-> the ISAKMP SA
 * payload.
 *
 * We offer one proposal (protocol ISAKMP, no SPI) with one transform
 * (KEY_IKE) per configured suite and D-H group, in preference order:
 * Encryption Algorithm, Key Length (AES), Hash Algorithm,
 * Authentication Method (preshared key), Group Description, and Life
 * Type seconds + Life Duration when the configuration has a lifetime.
 * In Aggressive Mode the KE goes with message 1, so only the first
 * group is offered.  A responder takes the first of the peer's
 * transforms that one of its suites matches and answers with that
 * transform alone, attributes as proposed; the lifetime is the peer's
 * unless ours is shorter.  Transforms with an attribute we do not know,
 * or another authentication method than ours, are skipped.  The
 * Authentication Method is the one of the configuration: preshared key
 * (1), or with signatures the method of the engine's certificate key
 * (v1_sig_method(): RSA 3, ECDSA 9/10/11), which the peer must use
 * too.
 *
 * IKEv2 IDs stay in the SA (encr ENCR_3DES / ENCR_AES_CBC, prf the HMAC
 * of the Hash Algorithm, dh_group the group number, which IKEv1 shares
 * with IKEv2 for the groups below). */
#include "core/exchange1/v1.h"

#include <string.h>

#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"

/* The D-H groups IKEv1 peers know (RFC 2409 s. 6, RFC 3526, RFC 5903)
 * and Curve25519, by the same numbers as IKEv2. */
static const uint16_t v1_groups[] = { DH_MODP_1024, DH_MODP_1536,
	DH_MODP_2048, DH_MODP_3072, DH_MODP_4096, DH_MODP_6144, DH_MODP_8192,
	DH_ECP_256, DH_ECP_384, DH_ECP_521, DH_CURVE25519 };

static bool
group_ok(uint16_t g)
{
	size_t i;

	for (i = 0; i < sizeof(v1_groups) / sizeof(v1_groups[0]); i++)
		if (v1_groups[i] == g)
			return dh_supported(g);
	return false;
}

/* Encryption Algorithm attribute <-> IKEv2 ENCR ID; 0: none. */
static uint16_t
enc_v1(uint16_t encr)
{
	return encr == ENCR_3DES ? IKEV1_ENC_3DES_CBC :
	    encr == ENCR_AES_CBC ? IKEV1_ENC_AES_CBC : 0;
}

static uint16_t
enc_v2(uint16_t enc)
{
	return enc == IKEV1_ENC_3DES_CBC ? ENCR_3DES :
	    enc == IKEV1_ENC_AES_CBC ? ENCR_AES_CBC : 0;
}

/* Hash Algorithm attribute of a PRF; 0: none. */
static uint16_t
hash_v1(uint16_t prf)
{
	static const uint16_t hashes[] = { IKEV1_HASH_MD5, IKEV1_HASH_SHA,
	    IKEV1_HASH_SHA2_256, IKEV1_HASH_SHA2_384, IKEV1_HASH_SHA2_512 };
	uint16_t p;
	size_t i;

	for (i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (ikev1_prf_of_hash(hashes[i], &p) == 0 && p == prf)
			return hashes[i];
	return 0;
}

/* 3DES has no Key Length: 0 and 192 are the same. */
static uint16_t
norm_bits(uint16_t encr, uint16_t bits)
{
	return encr == ENCR_3DES ? 0 : bits;
}

static int
check_prop(const struct ike_prop_cfg *p)
{
	struct cipher_info ci;
	uint16_t bits = norm_bits(p->encr, p->key_bits);

	if (enc_v1(p->encr) == 0 || hash_v1(p->prf) == 0)
		return IKE_EUNSUPP;
	if (cipher_info(p->encr, bits, &ci) != 0 || ci.aead)
		return IKE_EINVAL;
	if (p->encr == ENCR_AES_CBC && bits != 128 && bits != 192 &&
	    bits != 256)
		return IKE_EINVAL;
	return 0;
}

/* Identification types phase 1 sends and takes (RFC 2407 s. 4.6.2.1):
 * the IKEv2 numbers of struct ike_id are the same. */
bool
v1_id_type_ok(uint8_t type)
{
	return type == IKEV1_ID_IPV4_ADDR || type == IKEV1_ID_FQDN ||
	    type == IKEV1_ID_USER_FQDN || type == IKEV1_ID_IPV6_ADDR ||
	    type == IKEV1_ID_DER_ASN1_DN || type == IKEV1_ID_KEY_ID;
}

int
v1_cfg_check(const struct ike_cfg *c)
{
	size_t i;
	int rc;

	if (c == NULL || c->version != IKE_VERSION_1)
		return IKE_EINVAL;
	if (c->nprops == 0 || c->nprops > CFG_MAX_PROPS || c->ndh == 0 ||
	    c->ndh > CFG_MAX_DH || c->psk_len > CFG_PSK_MAX ||
	    c->auth > CFG_AUTH_ECDSA_SIG ||
	    (c->auth == CFG_AUTH_PSK && c->psk_len == 0))
		return IKE_EINVAL;
	if (c->local.family == 0 || c->local.family != c->remote.family)
		return IKE_EINVAL;
	if (c->local_id.type != 0 && (!v1_id_type_ok(c->local_id.type) ||
	    ike_id_check(c->local_id.type, c->local_id.len) != 0))
		return IKE_EINVAL;
	if (c->remote_id.type != 0 && (!v1_id_type_ok(c->remote_id.type) ||
	    ike_id_check(c->remote_id.type, c->remote_id.len) != 0))
		return IKE_EINVAL;
	for (i = 0; i < c->nprops; i++)
		if ((rc = check_prop(&c->props[i])) != 0)
			return rc;
	for (i = 0; i < c->ndh; i++)
		if (!group_ok(c->dh[i]))
			return IKE_EUNSUPP;
	return 0;
}

/* ----------------------------------------------------------- offer */

static int
put_attrs(struct v1_msg *m, const struct ike_prop_cfg *p, uint16_t group,
    uint16_t auth, uint64_t life_s, struct v1_prop_store *st)
{
	int rc;

	rc = v1_msg_add_attr_tv(m, IKEV1_A_ENC, enc_v1(p->encr));
	if (rc == 0 && p->encr == ENCR_AES_CBC)
		rc = v1_msg_add_attr_tv(m, IKEV1_A_KEY_LEN, p->key_bits);
	if (rc == 0)
		rc = v1_msg_add_attr_tv(m, IKEV1_A_HASH, hash_v1(p->prf));
	if (rc == 0)
		rc = v1_msg_add_attr_tv(m, IKEV1_A_AUTH, auth);
	if (rc == 0)
		rc = v1_msg_add_attr_tv(m, IKEV1_A_GROUP, group);
	if (rc != 0 || life_s == 0)
		return rc;
	if ((rc = v1_msg_add_attr_tv(m, IKEV1_A_LIFE_TYPE,
	    IKEV1_LIFE_SECONDS)) != 0)
		return rc;
	if (life_s <= 0xffff)
		return v1_msg_add_attr_tv(m, IKEV1_A_LIFE_DURATION,
		    (uint16_t)life_s);
	if (life_s > 0xffffffffULL)
		life_s = 0xffffffffULL;
	st->life[0] = (uint8_t)(life_s >> 24);
	st->life[1] = (uint8_t)(life_s >> 16);
	st->life[2] = (uint8_t)(life_s >> 8);
	st->life[3] = (uint8_t)life_s;
	return v1_msg_add_attr_tlv(m, IKEV1_A_LIFE_DURATION, st->life, 4);
}

int
v1_prop_put(struct v1_msg *m, const struct ike_cfg *cfg, bool aggressive,
    uint16_t auth, struct v1_prop_store *st)
{
	size_t ndh = aggressive ? 1 : cfg->ndh, i, j;
	unsigned int num = 0;
	struct v1_pl *sa;
	int rc;

	if ((rc = v1_msg_add(m, IKEV1_PL_SA, &sa)) != 0)
		return rc;
	sa->u.sa.doi = IKEV1_DOI_IPSEC;
	sa->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	if ((rc = v1_msg_add_prop(m, sa, 1, IKEV1_PROTO_ISAKMP, NULL, 0)) != 0)
		return rc;
	for (i = 0; i < cfg->nprops; i++)
		for (j = 0; j < ndh; j++) {
			if (++num > 255)
				return IKE_ENOSPC;
			rc = v1_msg_add_xform(m, (uint8_t)num, IKEV1_KEY_IKE);
			if (rc == 0)
				rc = put_attrs(m, &cfg->props[i], cfg->dh[j],
				    auth, cfg->lifetime_s, st);
			if (rc != 0)
				return rc;
		}
	return 0;
}

/* ---------------------------------------------------------- choose */

/* Reads one attribute into x; IKE_EUNSUPP for what we do not know. */
static int
read_attr(const struct v1_attr *a, uint16_t *life_type, struct v1_p1_xf *x)
{
	uint64_t v;

	if (v1_attr_value(a, &v) != 0)
		return IKE_EMALFORMED;
	if (a->type != IKEV1_A_LIFE_DURATION && v > 0xffff)
		return IKE_EMALFORMED;
	switch (a->type) {
	case IKEV1_A_ENC:
		x->encr = enc_v2((uint16_t)v);
		return x->encr != 0 ? 0 : IKE_EUNSUPP;
	case IKEV1_A_HASH:
		x->hash = (uint16_t)v;
		return ikev1_prf_of_hash(x->hash, &x->prf);
	case IKEV1_A_AUTH:
		x->auth = (uint16_t)v;
		return 0;
	case IKEV1_A_GROUP:
		x->group = (uint16_t)v;
		return 0;
	case IKEV1_A_KEY_LEN:
		x->key_bits = (uint16_t)v;
		return 0;
	case IKEV1_A_LIFE_TYPE:
		*life_type = (uint16_t)v;
		return 0;
	case IKEV1_A_LIFE_DURATION:
		if (*life_type == IKEV1_LIFE_SECONDS)
			x->life_s = v;
		return *life_type != 0 ? 0 : IKE_EMALFORMED;
	}
	return IKE_EUNSUPP;
}

int
v1_prop_parse(const struct v1_msg *m, const struct v1_xform *xf,
    struct v1_p1_xf *out)
{
	struct v1_p1_xf x;
	uint16_t life_type = 0;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.num = xf->num;
	if (xf->id != IKEV1_KEY_IKE)
		return IKE_EUNSUPP;
	for (i = xf->attr0; i < (size_t)xf->attr0 + xf->nattr; i++) {
		if (i >= m->nattr)
			return IKE_EMALFORMED;
		if ((rc = read_attr(&m->attr[i], &life_type, &x)) != 0)
			return rc;
	}
	if (x.encr == 0 || x.prf == 0 || x.auth == 0 || x.group == 0)
		return IKE_EMALFORMED;
	if ((x.encr == ENCR_AES_CBC) != (x.key_bits != 0))
		return IKE_EMALFORMED;
	*out = x;
	return 0;
}

/* The index of cfg's suite x matches, or -1. */
static int
match(const struct ike_cfg *cfg, uint16_t auth, const struct v1_p1_xf *x,
    bool one_group)
{
	size_t i, j, ndh = one_group ? 1 : cfg->ndh;

	if (auth == 0 || x->auth != auth)
		return -1;
	for (i = 0; i < cfg->nprops; i++) {
		const struct ike_prop_cfg *p = &cfg->props[i];

		if (p->encr != x->encr || p->prf != x->prf ||
		    norm_bits(p->encr, p->key_bits) != x->key_bits)
			continue;
		for (j = 0; j < ndh; j++)
			if (cfg->dh[j] == x->group)
				return (int)i;
	}
	return -1;
}

static uint64_t
agree_life(uint64_t peer, uint64_t ours)
{
	if (ours == 0)
		return peer;
	if (peer == 0 || peer > ours)
		return ours;
	return peer;
}

uint16_t
v1_prop_pick(const struct v1_msg *m, const struct ike_cfg *cfg,
    uint16_t auth, size_t ke_len, struct v1_p1_xf *out, const struct v1_xform **chosen)
{
	const struct v1_pl *sa = v1_msg_find(m, IKEV1_PL_SA, NULL);
	struct v1_p1_xf x;
	size_t p, i;

	if (sa == NULL)
		return IKEV1_N_PAYLOAD_MALFORMED;
	for (p = sa->u.sa.prop0; p < (size_t)sa->u.sa.prop0 +
	    sa->u.sa.nprop && p < m->nprop; p++) {
		const struct v1_prop *pr = &m->prop[p];

		if (pr->proto != IKEV1_PROTO_ISAKMP)
			continue;
		for (i = pr->xf0; i < (size_t)pr->xf0 + pr->nxf &&
		    i < m->nxf; i++) {
			if (v1_prop_parse(m, &m->xf[i], &x) != 0 ||
			    match(cfg, auth, &x, false) < 0)
				continue;
			if (ke_len != 0 && dh_public_len(x.group) != ke_len)
				continue;	/* Aggressive Mode: the KE's */
			x.life_s = agree_life(x.life_s, cfg->lifetime_s);
			*out = x;
			*chosen = &m->xf[i];
			return 0;
		}
	}
	return IKEV1_N_NO_PROPOSAL_CHOSEN;
}

int
v1_prop_put_choice(struct v1_msg *r, const struct v1_msg *req,
    const struct v1_xform *xf)
{
	const struct v1_pl *rsa = v1_msg_find(req, IKEV1_PL_SA, NULL);
	struct v1_pl *sa;
	size_t i;
	int rc;

	if (rsa == NULL)
		return IKE_EINVAL;
	if ((rc = v1_msg_add(r, IKEV1_PL_SA, &sa)) != 0)
		return rc;
	sa->u.sa.doi = rsa->u.sa.doi;
	sa->u.sa.situation = rsa->u.sa.situation;
	if ((rc = v1_msg_add_prop(r, sa, 1, IKEV1_PROTO_ISAKMP, NULL,
	    0)) != 0 || (rc = v1_msg_add_xform(r, xf->num, xf->id)) != 0)
		return rc;
	for (i = xf->attr0; i < (size_t)xf->attr0 + xf->nattr &&
	    i < req->nattr && rc == 0; i++) {
		const struct v1_attr *a = &req->attr[i];

		rc = a->tv ? v1_msg_add_attr_tv(r, a->type, a->value) :
		    v1_msg_add_attr_tlv(r, a->type, a->data.p, a->data.len);
	}
	return rc;
}

int
v1_prop_accept(const struct v1_msg *m, const struct ike_cfg *cfg,
    bool aggressive, uint16_t auth, struct v1_p1_xf *out)
{
	const struct v1_pl *sa = v1_msg_find(m, IKEV1_PL_SA, NULL);
	const struct v1_prop *pr;
	struct v1_p1_xf x;

	if (sa == NULL || sa->u.sa.nprop != 1 || sa->u.sa.prop0 >= m->nprop)
		return IKE_EMALFORMED;
	pr = &m->prop[sa->u.sa.prop0];
	if (pr->proto != IKEV1_PROTO_ISAKMP || pr->nxf != 1 ||
	    pr->xf0 >= m->nxf)
		return IKE_EMALFORMED;
	if (v1_prop_parse(m, &m->xf[pr->xf0], &x) != 0 ||
	    match(cfg, auth, &x, aggressive) < 0)
		return IKE_EMALFORMED;
	x.life_s = agree_life(x.life_s, cfg->lifetime_s);
	*out = x;
	return 0;
}

void
v1_prop_apply(struct ike_sa *sa, const struct v1_p1_xf *x)
{
	sa->encr = x->encr;
	sa->key_bits = x->key_bits;
	sa->prf = x->prf;
	sa->integ = 0;
	sa->dh_group = x->group;
	sa->v1->hash = x->hash;
	sa->v1->auth = x->auth;
	sa->v1->life_s = x->life_s;
}
