/* core/exchange1/v1_child.c: Quick Mode proposals (RFC 2407 s. 4.4-
 * 4.6, RFC 2409 s. 5.5, RFC 3947 s. 5.1): struct child_cfg <-> SA
 * payload, the responder's choice, RESPONDER-LIFETIME data.
 *
 * Each proposal of a child_cfg becomes one ISAKMP proposal (protocol
 * ESP or AH, the 4-octet SPI we expect inbound) with one transform: the
 * ESP transform ID is the IKEv2 ENCR ID, which the IPsec DOI shares for
 * the ciphers we know (3DES 3, NULL 11, AES-CBC 12, AES-GCM-16 20, RFC
 * 4106 s. 8.1); AH's names the HMAC (AH_MD5 2, AH_SHA 3, AH_SHA2_256 5,
 * ...).  Its attributes: SA Life Type/Duration (seconds and kilobytes,
 * when configured; a transform without a lifetime in seconds has the
 * default of RFC 2407 s. 4.5, V1_CHILD_LIFE_DEFAULT_S, on both sides),
 * Group Description with PFS, Encapsulation Mode (UDP-encapsulated
 * with NAT traversal), Authentication Algorithm and Key Length.
 *
 * The client IDs are in v1_child_id.c.  IKEv1 has no narrowing: the
 * responder takes the initiator's selectors when they lie within its
 * own (INVALID-ID-INFORMATION otherwise). */
#include "core/exchange1/v1.h"

#include <string.h>

#include "core/codec/rd.h"
#include "core/codec/wr.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/err.h"

/* ------------------------------------------------------- mappings */

uint8_t
v1_child_esp_id(uint16_t encr)
{
	switch (encr) {
	case ENCR_3DES:
	case 11:	/* NULL */
	case ENCR_AES_CBC:
	case ENCR_AES_GCM_16:
		return (uint8_t)encr;
	default:
		return 0;
	}
}

uint8_t
v1_child_ah_id(uint16_t integ)
{
	switch (integ) {
	case AUTH_HMAC_MD5_96:
		return IKEV1_AH_MD5;
	case AUTH_HMAC_SHA1_96:
		return IKEV1_AH_SHA;
	case AUTH_HMAC_SHA2_256_128:
		return IKEV1_AH_SHA2_256;
	case AUTH_HMAC_SHA2_384_192:
		return IKEV1_AH_SHA2_384;
	case AUTH_HMAC_SHA2_512_256:
		return IKEV1_AH_SHA2_512;
	default:
		return 0;
	}
}

uint16_t
v1_child_auth(uint16_t integ)
{
	switch (integ) {
	case AUTH_HMAC_MD5_96:
		return IKEV1_IAUTH_HMAC_MD5;
	case AUTH_HMAC_SHA1_96:
		return IKEV1_IAUTH_HMAC_SHA;
	case AUTH_HMAC_SHA2_256_128:
		return IKEV1_IAUTH_HMAC_SHA2_256;
	case AUTH_HMAC_SHA2_384_192:
		return IKEV1_IAUTH_HMAC_SHA2_384;
	case AUTH_HMAC_SHA2_512_256:
		return IKEV1_IAUTH_HMAC_SHA2_512;
	default:
		return 0;
	}
}

uint16_t
v1_child_encap(enum plat_mode mode, bool natt)
{
	if (mode == PLAT_TRANSPORT)
		return natt ? IKEV1_ENCAP_UDP_TRANSPORT : IKEV1_ENCAP_TRANSPORT;
	return natt ? IKEV1_ENCAP_UDP_TUNNEL : IKEV1_ENCAP_TUNNEL;
}

/* No attribute counts as tunnel mode (RFC 2407 s. 4.5 leaves it to the
 * host); the drafts' UDP numbers are still sent by older peers. */
int
v1_child_mode(uint16_t encap, enum plat_mode *mode)
{
	switch (encap) {
	case 0:
	case IKEV1_ENCAP_TUNNEL:
	case IKEV1_ENCAP_UDP_TUNNEL:
	case IKEV1_ENCAP_UDP_TUNNEL_DRAFT:
		*mode = PLAT_TUNNEL;
		return 0;
	case IKEV1_ENCAP_TRANSPORT:
	case IKEV1_ENCAP_UDP_TRANSPORT:
	case IKEV1_ENCAP_UDP_TRANSPORT_DRAFT:
		*mode = PLAT_TRANSPORT;
		return 0;
	default:
		return IKE_EMALFORMED;
	}
}

/* Key Length goes with the ciphers that have one (not 3DES). */
static uint16_t
key_bits_attr(const struct child_prop_cfg *p)
{
	return p->proto == IKEV1_PROTO_ESP && p->encr != ENCR_3DES ?
	    p->key_bits : 0;
}

static uint8_t
xf_id(const struct child_prop_cfg *p)
{
	return p->proto == IKEV1_PROTO_AH ? v1_child_ah_id(p->integ) :
	    v1_child_esp_id(p->encr);
}

/* ------------------------------------------------------ attributes */

static int
life_attr(struct v1_xf_attrs *out, uint16_t type, const struct v1_attr *a)
{
	uint64_t v;

	if (type == 0 || v1_attr_value(a, &v) != 0 || v == 0)
		return IKE_EMALFORMED;
	if (type == IKEV1_LIFE_SECONDS)
		out->life_s = v;
	else
		out->life_kb = v;
	return 0;
}

static int
tv_only(const struct v1_attr *a, uint16_t *out)
{
	if (!a->tv)
		return IKE_EMALFORMED;
	*out = a->value;
	return 0;
}

int
v1_child_attrs(const struct v1_msg *m, const struct v1_xform *xf,
    struct v1_xf_attrs *out)
{
	const struct v1_attr *a;
	uint16_t life_type = 0;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < xf->nattr && rc == 0; i++) {
		a = &m->attr[xf->attr0 + i];
		switch (a->type) {
		case IKEV1_IA_LIFE_TYPE:
			if ((rc = tv_only(a, &life_type)) == 0 &&
			    life_type != IKEV1_LIFE_SECONDS &&
			    life_type != IKEV1_LIFE_KILOBYTES)
				rc = IKE_EMALFORMED;
			break;
		case IKEV1_IA_LIFE_DURATION:
			rc = life_attr(out, life_type, a);
			break;
		case IKEV1_IA_GROUP:
			rc = tv_only(a, &out->group);
			break;
		case IKEV1_IA_ENCAP:
			rc = tv_only(a, &out->encap);
			break;
		case IKEV1_IA_AUTH:
			rc = tv_only(a, &out->auth);
			break;
		case IKEV1_IA_KEY_LEN:
			rc = tv_only(a, &out->key_bits);
			break;
		default:
			rc = IKE_EUNSUPP;
		}
	}
	if (rc == 0 && out->life_s == 0)
		out->life_s = V1_CHILD_LIFE_DEFAULT_S;
	return rc;
}

/* A duration: TV when it fits 16 bits, else 4 or 8 octets in buf. */
static int
put_duration(struct v1_msg *m, uint64_t v, uint8_t buf[8])
{
	size_t n = v > UINT32_MAX ? 8 : 4, i;

	if (v <= 0xffff)
		return v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_DURATION,
		    (uint16_t)v);
	for (i = 0; i < n; i++)
		buf[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return v1_msg_add_attr_tlv(m, IKEV1_IA_LIFE_DURATION, buf, n);
}

static int
put_life(struct v1_msg *m, uint64_t life_s, uint64_t life_kb,
    struct v1_qm_store *st)
{
	int rc = 0;

	if (life_s != 0 && (rc = v1_msg_add_attr_tv(m, IKEV1_IA_LIFE_TYPE,
	    IKEV1_LIFE_SECONDS)) == 0)
		rc = put_duration(m, life_s, st->life_s);
	if (rc == 0 && life_kb != 0 && (rc = v1_msg_add_attr_tv(m,
	    IKEV1_IA_LIFE_TYPE, IKEV1_LIFE_KILOBYTES)) == 0)
		rc = put_duration(m, life_kb, st->life_kb);
	return rc;
}

/* One transform: id, then lifetimes, group, mode, HMAC, key length. */
static int
put_xform(struct v1_msg *m, uint8_t num, const struct child_prop_cfg *p,
    const struct v1_xf_attrs *a, struct v1_qm_store *st)
{
	int rc;

	if ((rc = v1_msg_add_xform(m, num, xf_id(p))) != 0 ||
	    (rc = put_life(m, a->life_s, a->life_kb, st)) != 0)
		return rc;
	if (a->group != 0 &&
	    (rc = v1_msg_add_attr_tv(m, IKEV1_IA_GROUP, a->group)) != 0)
		return rc;
	if ((rc = v1_msg_add_attr_tv(m, IKEV1_IA_ENCAP, a->encap)) != 0)
		return rc;
	if (p->integ != 0 && (rc = v1_msg_add_attr_tv(m, IKEV1_IA_AUTH,
	    v1_child_auth(p->integ))) != 0)
		return rc;
	if (key_bits_attr(p) != 0)
		rc = v1_msg_add_attr_tv(m, IKEV1_IA_KEY_LEN, key_bits_attr(p));
	return rc;
}

static int
add_sa(struct v1_msg *m, struct v1_pl **out)
{
	int rc;

	if ((rc = v1_msg_add(m, IKEV1_PL_SA, out)) != 0)
		return rc;
	(*out)->u.sa.doi = IKEV1_DOI_IPSEC;
	(*out)->u.sa.situation = IKEV1_SIT_IDENTITY_ONLY;
	return 0;
}

int
v1_child_put_props(struct v1_msg *m, const struct child_cfg *cc,
    const struct child_sa *c, bool natt, struct v1_qm_store *st)
{
	struct v1_xf_attrs a = { cc->lifetime_s, cc->lifetime_kb,
	    v1_child_encap(cc->mode, natt), 0, 0, cc->pfs_group };
	const struct child_prop_cfg *p;
	struct v1_pl *sa;
	const uint8_t *spi;
	size_t i;
	int rc;

	if (cc->nprops == 0 || cc->nprops > 255)
		return IKE_EINVAL;
	info_put32(st->spi[0], c->spi_in);
	info_put32(st->spi[1], c->spi_alt);
	if ((rc = add_sa(m, &sa)) != 0)
		return rc;
	for (i = 0; i < cc->nprops; i++) {
		p = &cc->props[i];
		if (xf_id(p) == 0)
			return IKE_EUNSUPP;
		spi = p->proto == c->proto ? st->spi[0] : st->spi[1];
		if ((rc = v1_msg_add_prop(m, sa, (uint8_t)(i + 1), p->proto,
		    spi, 4)) != 0 || (rc = put_xform(m, 1, p, &a, st)) != 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------- choosing */

/* Whether transform (proto, id, a) is our proposal p. */
static bool
xf_match(uint8_t proto, uint8_t id, const struct v1_xf_attrs *a,
    const struct child_prop_cfg *p)
{
	if (p->proto != proto || xf_id(p) != id)
		return false;
	if (proto == IKEV1_PROTO_AH)
		return a->auth == 0 || a->auth == v1_child_auth(p->integ);
	return a->auth == v1_child_auth(p->integ) &&
	    a->key_bits == key_bits_attr(p);
}

/* The PFS group of a proposal: one the responder's policy allows
 * (IPSec_ResponderDHGroup: any we can do, or none, by default). */
static bool
group_ok(const struct child_cfg *cc, uint16_t group)
{
	return child_pfs_ok(cc, group);
}

static bool
mode_ok(const struct child_cfg *cc, uint16_t encap, enum plat_mode *mode)
{
	if (v1_child_mode(encap, mode) != 0)
		return false;
	return *mode == PLAT_TUNNEL || cc->mode == PLAT_TRANSPORT;
}

/* Proposals sharing a number form a bundle (RFC 2408 s. 4.2): not
 * ours to accept. */
static bool
bundled(const struct v1_msg *m, const struct v1_pl *sa, size_t k)
{
	size_t j;

	for (j = sa->u.sa.prop0; j < (size_t)sa->u.sa.prop0 + sa->u.sa.nprop;
	    j++)
		if (j != k && m->prop[j].num == m->prop[k].num)
			return true;
	return false;
}

/* The first transform of proposal pr that one of our proposals takes. */
static bool
try_prop(const struct v1_msg *m, const struct v1_prop *pr,
    struct v1_child_choice *ch)
{
	const struct v1_xform *xf;
	struct v1_xf_attrs a;
	size_t i, j;

	if ((pr->proto != IKEV1_PROTO_ESP && pr->proto != IKEV1_PROTO_AH) ||
	    pr->spi.len != 4)
		return false;
	for (i = 0; i < pr->nxf; i++) {
		xf = &m->xf[pr->xf0 + i];
		if (v1_child_attrs(m, xf, &a) != 0 ||
		    !group_ok(&ch->cfg, a.group) ||
		    !mode_ok(&ch->cfg, a.encap, &ch->mode))
			continue;
		for (j = 0; j < ch->cfg.nprops; j++)
			if (xf_match(pr->proto, xf->id, &a,
			    &ch->cfg.props[j])) {
				ch->pc = j;
				ch->prop_num = pr->num;
				ch->xf_num = xf->num;
				ch->proto = pr->proto;
				ch->spi = (uint32_t)pr->spi.p[0] << 24 |
				    (uint32_t)pr->spi.p[1] << 16 |
				    (uint32_t)pr->spi.p[2] << 8 | pr->spi.p[3];
				ch->a = a;
				return true;
			}
	}
	return false;
}

static int
lookup(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_child_choice *ch, struct child_cfg *out)
{
	memset(out, 0, sizeof(*out));
	if (eng->cb.child_cfg == NULL ||
	    eng->cb.child_cfg(eng->cb.arg, &sa->cfg, &ch->ti, &ch->tr,
	    out) != 0 || child_cfg_check(out) != 0)
		return IKE_ENOTFOUND;
	return 0;
}

uint16_t
v1_child_choose(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m, const struct child_cfg *fixed,
    struct v1_child_choice *ch)
{
	const struct v1_pl *pl = v1_msg_find(m, IKEV1_PL_SA, NULL);
	int ids;
	size_t k;

	memset(ch, 0, sizeof(*ch));
	if ((ids = v1_child_get_ids(m, &sa->remote, &sa->local, &ch->ti,
	    &ch->tr)) < 0)
		return IKEV1_N_INVALID_ID_INFORMATION;
	ch->ids = ids == 1;
	if (fixed != NULL)
		ch->cfg = *fixed;
	else if (lookup(eng, sa, ch, &ch->cfg) != 0)
		return IKEV1_N_INVALID_ID_INFORMATION;
	if (!v1_child_ts_within(&ch->ti, &ch->cfg.remote_ts) ||
	    !v1_child_ts_within(&ch->tr, &ch->cfg.local_ts))
		return IKEV1_N_INVALID_ID_INFORMATION;
	for (k = pl->u.sa.prop0; k < (size_t)pl->u.sa.prop0 + pl->u.sa.nprop;
	    k++)
		if (!bundled(m, pl, k) && try_prop(m, &m->prop[k], ch))
			return 0;
	return IKEV1_N_NO_PROPOSAL_CHOSEN;
}

int
v1_child_put_choice(struct v1_msg *m, const struct v1_child_choice *ch,
    const struct child_sa *c, bool natt, struct v1_qm_store *st)
{
	struct v1_xf_attrs a = ch->a;
	struct v1_pl *sa;
	int rc;

	a.encap = v1_child_encap(ch->mode, natt);
	info_put32(st->spi[0], c->spi_in);
	if ((rc = add_sa(m, &sa)) != 0 ||
	    (rc = v1_msg_add_prop(m, sa, ch->prop_num, ch->proto, st->spi[0],
	    4)) != 0)
		return rc;
	return put_xform(m, ch->xf_num, &ch->cfg.props[ch->pc], &a, st);
}

int
v1_child_check_answer(const struct child_cfg *cc, const struct v1_msg *m,
    struct child_sa *c, struct v1_xf_attrs *a)
{
	const struct v1_pl *pl = v1_msg_find(m, IKEV1_PL_SA, NULL);
	const struct v1_prop *pr;
	const struct v1_xform *xf;
	enum plat_mode mode;
	size_t i;

	if (pl == NULL || pl->u.sa.nprop != 1)
		return IKE_EMALFORMED;
	pr = &m->prop[pl->u.sa.prop0];
	if (pr->nxf != 1 || pr->spi.len != 4)
		return IKE_EMALFORMED;
	xf = &m->xf[pr->xf0];
	if (v1_child_attrs(m, xf, a) != 0 || a->group != cc->pfs_group ||
	    v1_child_mode(a->encap, &mode) != 0 || mode != cc->mode)
		return IKE_EMALFORMED;
	for (i = 0; i < cc->nprops; i++)
		if (xf_match(pr->proto, xf->id, a, &cc->props[i]))
			break;
	if (i == cc->nprops || child_take_proto(c, pr->proto) != 0)
		return IKE_EMALFORMED;
	c->spi_out = (uint32_t)pr->spi.p[0] << 24 |
	    (uint32_t)pr->spi.p[1] << 16 | (uint32_t)pr->spi.p[2] << 8 |
	    pr->spi.p[3];
	c->encr = cc->props[i].encr;
	c->key_bits = cc->props[i].key_bits;
	c->integ = cc->props[i].integ;
	c->mode = mode;
	return 0;
}

/* ------------------------------------------------ RESPONDER-LIFETIME */

static void
rl_pair(struct wr *w, uint16_t type, uint64_t v)
{
	wr_u16(w, IKEV1_ATTR_AF | IKEV1_IA_LIFE_TYPE);
	wr_u16(w, type);
	if (v <= 0xffff) {
		wr_u16(w, IKEV1_ATTR_AF | IKEV1_IA_LIFE_DURATION);
		wr_u16(w, (uint16_t)v);
	} else if (v <= UINT32_MAX) {
		wr_u16(w, IKEV1_IA_LIFE_DURATION);
		wr_u16(w, 4);
		wr_u32(w, (uint32_t)v);
	} else {
		wr_u16(w, IKEV1_IA_LIFE_DURATION);
		wr_u16(w, 8);
		wr_u64(w, v);
	}
}

size_t
v1_child_rl_put(struct v1_qm_store *st, uint64_t life_s, uint64_t life_kb)
{
	struct wr w;
	size_t n = 0;

	wr_init(&w, sizeof(st->rl));
	if (life_s != 0)
		rl_pair(&w, IKEV1_LIFE_SECONDS, life_s);
	if (life_kb != 0)
		rl_pair(&w, IKEV1_LIFE_KILOBYTES, life_kb);
	if (wr_error(&w) == 0 && w.len > 0 && w.len <= sizeof(st->rl)) {
		memcpy(st->rl, w.buf, w.len);
		n = w.len;
	}
	wr_free(&w);
	return n;
}

static int
rl_value(struct rd *r, uint16_t type, uint64_t *v)
{
	uint16_t len;
	uint32_t v32;

	if (type & IKEV1_ATTR_AF) {
		if (rd_u16(r, &len) != 0)
			return IKE_EMALFORMED;
		*v = len;
		return 0;
	}
	if (rd_u16(r, &len) != 0)
		return IKE_EMALFORMED;
	if (len == 4 && rd_u32(r, &v32) == 0) {
		*v = v32;
		return 0;
	}
	return len == 8 && rd_u64(r, v) == 0 ? 0 : IKE_EMALFORMED;
}

int
v1_child_rl_get(const uint8_t *data, size_t len, uint64_t *life_s,
    uint64_t *life_kb)
{
	struct rd r;
	uint16_t type, ltype = 0;
	uint64_t v, s = 0, kb = 0;

	rd_init(&r, data, len);
	while (r.left > 0) {
		if (rd_u16(&r, &type) != 0 || rl_value(&r, type, &v) != 0)
			return IKE_EMALFORMED;
		if ((type & ~IKEV1_ATTR_AF) == IKEV1_IA_LIFE_TYPE)
			ltype = (uint16_t)v;
		else if ((type & ~IKEV1_ATTR_AF) != IKEV1_IA_LIFE_DURATION ||
		    v == 0)
			return IKE_EMALFORMED;
		else if (ltype == IKEV1_LIFE_SECONDS)
			s = v;
		else if (ltype == IKEV1_LIFE_KILOBYTES)
			kb = v;
		else
			return IKE_EMALFORMED;
	}
	*life_s = s;
	*life_kb = kb;
	return 0;
}

/* ------------------------------------------------------------ names */

const char *
v1_notify_name(uint16_t type)
{
	static const char *const err[] = { NULL, "INVALID-PAYLOAD-TYPE",
	    "DOI-NOT-SUPPORTED", "SITUATION-NOT-SUPPORTED", "INVALID-COOKIE",
	    "INVALID-MAJOR-VERSION", "INVALID-MINOR-VERSION",
	    "INVALID-EXCHANGE-TYPE", "INVALID-FLAGS", "INVALID-MESSAGE-ID",
	    "INVALID-PROTOCOL-ID", "INVALID-SPI", "INVALID-TRANSFORM-ID",
	    "ATTRIBUTES-NOT-SUPPORTED", "NO-PROPOSAL-CHOSEN",
	    "BAD-PROPOSAL-SYNTAX", "PAYLOAD-MALFORMED",
	    "INVALID-KEY-INFORMATION", "INVALID-ID-INFORMATION",
	    "INVALID-CERT-ENCODING", "INVALID-CERTIFICATE",
	    "CERT-TYPE-UNSUPPORTED", "INVALID-CERT-AUTHORITY",
	    "INVALID-HASH-INFORMATION", "AUTHENTICATION-FAILED",
	    "INVALID-SIGNATURE", "ADDRESS-NOTIFICATION",
	    "NOTIFY-SA-LIFETIME", "CERTIFICATE-UNAVAILABLE",
	    "UNSUPPORTED-EXCHANGE-TYPE", "UNEQUAL-PAYLOAD-LENGTHS" };

	if (type < sizeof(err) / sizeof(err[0]) && err[type] != NULL)
		return err[type];
	switch (type) {
	case IKEV1_N_CONNECTED:
		return "CONNECTED";
	case IKEV1_N_RESPONDER_LIFETIME:
		return "RESPONDER-LIFETIME";
	case IKEV1_N_REPLAY_STATUS:
		return "REPLAY-STATUS";
	case IKEV1_N_INITIAL_CONTACT:
		return "INITIAL-CONTACT";
	case IKEV1_N_DPD_R_U_THERE:
		return "R-U-THERE";
	case IKEV1_N_DPD_R_U_THERE_ACK:
		return "R-U-THERE-ACK";
	default:
		return type <= IKEV1_N_ERROR_MAX ? "error" : "status";
	}
}
