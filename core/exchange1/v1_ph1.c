/* core/exchange1/v1_ph1.c: what Main Mode (v1_main.c) and Aggressive
 * Mode (v1_aggr.c) share (RFC 2409 s. 5, RFC 3706, RFC 3947): the
 * responder's new SA and its refusal, Vendor IDs, NAT detection, the
 * D-H exchange and the keys (SKEYID, SKEYID_d/a/e, the encryption key
 * and the first IV), identities, HASH_I/HASH_R, sending and opening
 * phase-1 messages, and the completion of phase 1.
 *
 * Preshared keys: SKEYID = prf(psk, Ni_b | Nr_b), and a message that
 * does not open or whose HASH is wrong fails the exchange with
 * "authentication failed": with a preshared key this is what a wrong
 * key looks like.  Signatures (v1_sig.c): SKEYID = prf(Ni_b | Nr_b,
 * g^xy), and a refused certificate or signature fails the exchange
 * with the certificate's reason.  The peer is only told so by a
 * notification in the clear, which it notes but cannot trust. */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/codec/ikev1_rules.h"
#include "core/crypto/crypto_rand.h"
#include "core/crypto/dh.h"
#include "core/crypto/hash.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

#define NONCE_LEN	32

/* RFC 3706 s. 5.1 (version 1.0) and RFC 3947 s. 3.1 (MD5 of "RFC
 * 3947"). */
static const uint8_t vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1,
	0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };
static const uint8_t vid_natt[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03,
	0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };

static const char auth_failed[] = "authentication failed";

void
v1_ph1_hdr(const struct ike_sa *sa, struct v1_msg *m)
{
	struct v1_hdr h;

	v1_hdr_for(sa, sa->v1->aggressive ? IKEV1_EXCH_AGGRESSIVE :
	    IKEV1_EXCH_MAIN, 0, &h);
	v1_msg_init(m, &h);
}

struct v1_msg *
v1_ph1_msg_new(const struct ike_sa *sa)
{
	struct v1_msg *m = malloc(sizeof(*m));

	if (m != NULL)
		v1_ph1_hdr(sa, m);
	return m;
}

/* sa NULL: message 1 of a new exchange, checked with the signature
 * forms, which accept the preshared-key ones too. */
bool
v1_ph1_form_ok(struct ike_engine *eng, const struct ike_sa *sa,
    const struct v1_msg *m, unsigned int msgno)
{
	struct v1_rules_result res;
	enum v1_auth a = sa == NULL || v1_sig_auth(sa->v1->auth) ?
	    V1_AUTH_SIG : V1_AUTH_PSK;

	if (v1_rules_check(m, m->hdr.exchange, msgno, a, &res) == 0)
		return true;
	log_dbg(LOG_ENC, "phase-1 message %u: %s (%s)", msgno,
	    v1_rules_why_str(res.why), v1_pl_name(res.pl_type));
	eng->st.rx_malformed++;
	return false;
}

void
v1_ph1_fail(struct ike_engine *eng, struct ike_sa *sa, const char *why)
{
	log_info(LOG_IKE, "SA %u: phase 1 failed: %s", sa->handle, why);
	v1_kill(eng, sa, 0, why);
}

/* ------------------------------------------------------ vendor IDs */

static int
add_vid(struct v1_msg *m, const uint8_t *vid, size_t len)
{
	struct v1_pl *pl;
	int rc;

	if ((rc = v1_msg_add(m, IKEV1_PL_VID, &pl)) != 0)
		return rc;
	pl->u.data = (struct ike_slice){ vid, len };
	return 0;
}

int
v1_ph1_add_vids(const struct ike_engine *eng, struct v1_msg *m)
{
	int rc;

	if ((rc = add_vid(m, vid_dpd, sizeof(vid_dpd))) != 0)
		return rc;
	if (eng->lim.natt_off)
		return 0;
	return add_vid(m, vid_natt, sizeof(vid_natt));
}

void
v1_ph1_read_vids(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_pl *pl = NULL;

	while ((pl = v1_msg_find(m, IKEV1_PL_VID, pl)) != NULL) {
		if (pl->u.data.len == sizeof(vid_dpd) &&
		    memcmp(pl->u.data.p, vid_dpd, sizeof(vid_dpd)) == 0)
			sa->v1->peer_dpd = true;
		if (pl->u.data.len == sizeof(vid_natt) &&
		    memcmp(pl->u.data.p, vid_natt, sizeof(vid_natt)) == 0)
			sa->v1->peer_natt = true;
	}
}

/* --------------------------------------------------- NAT detection */

static bool
natd_on(const struct ike_engine *eng, const struct ike_sa *sa)
{
	return !eng->lim.natt_off && sa->v1->peer_natt;
}

/* HASH(CKY-I | CKY-R | IP | Port) with the negotiated hash (RFC 3947
 * s. 3.2). */
static int
natd_hash(const struct ike_sa *sa, const struct ike_addr *a,
    uint8_t out[HASH_MAX_LEN], size_t *len)
{
	uint8_t ck[16], port[2] = { (uint8_t)(a->port >> 8),
	    (uint8_t)a->port };
	struct crypto_iov v[3];

	v1_cookie_put(sa->spi_i, ck);
	v1_cookie_put(sa->spi_r, ck + 8);
	v[0] = (struct crypto_iov){ ck, sizeof(ck) };
	v[1] = (struct crypto_iov){ a->addr, a->family == AF_INET ? 4 : 16 };
	v[2] = (struct crypto_iov){ port, sizeof(port) };
	return crypto_hash(sa->prf, v, 3, out, len);
}

int
v1_natd_add(const struct ike_engine *eng, const struct ike_sa *sa,
    struct v1_msg *m, struct v1_natd_store *st)
{
	const struct ike_addr *a[2] = { &sa->remote, &sa->local };
	struct v1_pl *pl;
	int i, rc;

	if (!natd_on(eng, sa))
		return 0;
	for (i = 0; i < 2; i++) {	/* the destination first */
		if ((rc = natd_hash(sa, a[i], st->h[i], &st->len)) != 0 ||
		    (rc = v1_msg_add(m, IKEV1_PL_NATD, &pl)) != 0)
			return rc;
		pl->u.data = (struct ike_slice){ st->h[i], st->len };
	}
	return 0;
}

static bool
natd_is(const struct v1_pl *pl, const uint8_t *h, size_t len)
{
	return pl->u.data.len == len && memcmp(pl->u.data.p, h, len) == 0;
}

void
v1_natd_check(const struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m, const struct ike_addr *remote,
    const struct ike_addr *local)
{
	uint8_t mine[HASH_MAX_LEN], theirs[HASH_MAX_LEN];
	size_t ml = 0, tl = 0, n = 0, i;
	bool local_ok = false, remote_ok = false;

	sa->natd_seen = false;
	if (!natd_on(eng, sa) || natd_hash(sa, local, mine, &ml) != 0 ||
	    natd_hash(sa, remote, theirs, &tl) != 0)
		return;
	for (i = 0; i < m->npl; i++) {
		const struct v1_pl *pl = &m->pl[i];

		if (pl->type != IKEV1_PL_NATD &&
		    pl->type != IKEV1_PL_NATD_DRAFT)
			continue;
		if (n++ == 0)
			local_ok = natd_is(pl, mine, ml);
		else
			remote_ok = remote_ok || natd_is(pl, theirs, tl);
	}
	if (n < 2)
		return;
	sa->natd_seen = true;
	sa->nat_local = !local_ok;
	sa->nat_remote = !remote_ok;
	if (sa->nat_local || sa->nat_remote)
		log_dbg(LOG_IKE, "SA %u: NAT detected (%s)", sa->handle,
		    sa->nat_local && sa->nat_remote ? "both" :
		    sa->nat_local ? "local" : "remote");
}

void
v1_natd_float(const struct ike_engine *eng, struct ike_sa *sa)
{
	uint16_t port = natt_port(eng);

	if (!sa->initiator || !natt_active(sa) || sa->local.port == port)
		return;
	log_dbg(LOG_IKE, "SA %u: moving to the NAT-T port %u", sa->handle,
	    port);
	sa->local.port = port;
	sa->remote.port = port;
}

/* ------------------------------------------------------------ keys */

int
v1_ph1_make_ke(struct ike_sa *sa)
{
	const uint8_t *pub;
	size_t len;
	uint8_t *n = sa->initiator ? sa->ni : sa->nr;
	int rc;

	if ((rc = dh_new(sa->dh_group, V1_CRYPTO_FLAGS, &sa->dh)) != 0)
		return rc;
	pub = dh_public(sa->dh, &len);
	if (sa->initiator)
		rc = ike_sa_keep(&sa->v1->gxi, &sa->v1->gxi_len, pub, len);
	else
		rc = ike_sa_keep(&sa->v1->gxr, &sa->v1->gxr_len, pub, len);
	if (rc == 0)
		rc = crypto_rand_bytes(n, NONCE_LEN);
	if (rc == 0 && sa->initiator)
		sa->ni_len = NONCE_LEN;
	else if (rc == 0)
		sa->nr_len = NONCE_LEN;
	return rc;
}

int
v1_ph1_add_ke_nonce(const struct ike_sa *sa, struct v1_msg *m)
{
	struct v1_pl *pl;
	int rc;

	if ((rc = v1_msg_add(m, IKEV1_PL_KE, &pl)) != 0)
		return rc;
	pl->u.data = sa->initiator ?
	    (struct ike_slice){ sa->v1->gxi, sa->v1->gxi_len } :
	    (struct ike_slice){ sa->v1->gxr, sa->v1->gxr_len };
	if ((rc = v1_msg_add(m, IKEV1_PL_NONCE, &pl)) != 0)
		return rc;
	pl->u.data = sa->initiator ?
	    (struct ike_slice){ sa->ni, sa->ni_len } :
	    (struct ike_slice){ sa->nr, sa->nr_len };
	return 0;
}

int
v1_ph1_take_ke_nonce(struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_pl *ke = v1_msg_find(m, IKEV1_PL_KE, NULL);
	const struct v1_pl *no = v1_msg_find(m, IKEV1_PL_NONCE, NULL);
	struct v1_state *v1 = sa->v1;
	int rc;

	if (ke == NULL || no == NULL ||
	    no->u.data.len < IKEV1_NONCE_MIN ||
	    no->u.data.len > IKEV1_NONCE_MAX ||
	    dh_check_public(sa->dh_group, ke->u.data.p, ke->u.data.len) != 0)
		return IKE_EMALFORMED;
	if (sa->initiator) {
		rc = ike_sa_keep(&v1->gxr, &v1->gxr_len, ke->u.data.p,
		    ke->u.data.len);
		memcpy(sa->nr, no->u.data.p, no->u.data.len);
		sa->nr_len = no->u.data.len;
	} else {
		rc = ike_sa_keep(&v1->gxi, &v1->gxi_len, ke->u.data.p,
		    ke->u.data.len);
		memcpy(sa->ni, no->u.data.p, no->u.data.len);
		sa->ni_len = no->u.data.len;
	}
	return rc;
}

int
v1_ph1_keys(struct ike_sa *sa)
{
	struct v1_state *v1 = sa->v1;
	uint8_t ci[8], cr[8];
	struct ike_key *gxy = NULL;
	struct ikev1_ph1_in in;
	int rc;

	rc = dh_compute(sa->dh, sa->initiator ? v1->gxr : v1->gxi,
	    sa->initiator ? v1->gxr_len : v1->gxi_len, &gxy);
	if (rc != 0)
		return rc;
	v1_cookie_put(sa->spi_i, ci);
	v1_cookie_put(sa->spi_r, cr);
	in = (struct ikev1_ph1_in){ .ni = sa->ni, .nr = sa->nr,
	    .ni_len = sa->ni_len, .nr_len = sa->nr_len, .gxy = gxy->data,
	    .gxy_len = gxy->len, .cky_i = ci, .cky_r = cr };
	ike_key_free(v1->skeyid);
	v1->skeyid = NULL;
	ikev1_skeyids_free(&v1->k);
	if (v1_sig_auth(v1->auth))
		rc = ikev1_skeyid_sig(sa->prf, V1_CRYPTO_FLAGS, &in,
		    &v1->skeyid);
	else
		rc = ikev1_skeyid_psk(sa->prf, V1_CRYPTO_FLAGS, sa->cfg.psk,
		    sa->cfg.psk_len, &in, &v1->skeyid);
	if (rc == 0)
		rc = ikev1_skeyid_dae(sa->prf, V1_CRYPTO_FLAGS, v1->skeyid,
		    &in, &v1->k);
	if (rc == 0)
		rc = v1_crypt_setup(sa);
	if (rc == 0)
		rc = ikev1_iv_phase1(sa->prf, V1_CRYPTO_FLAGS, v1->gxi,
		    v1->gxi_len, v1->gxr, v1->gxr_len, v1->iv, v1->block);
	ike_key_free(gxy);
	return rc;
}

/* ------------------------------------------------------ identities */

/* Our identity: the configured one, else our address. */
static void
local_id(const struct ike_sa *sa, struct ike_id *out)
{
	if (sa->cfg.local_id.type != 0) {
		*out = sa->cfg.local_id;
		return;
	}
	memset(out, 0, sizeof(*out));
	out->type = sa->local.family == AF_INET ? IKEV1_ID_IPV4_ADDR :
	    IKEV1_ID_IPV6_ADDR;
	out->len = sa->local.family == AF_INET ? 4 : 16;
	memcpy(out->data, sa->local.addr, out->len);
}

/* The body of an ID payload (RFC 2407 s. 4.6.2) into *dst. */
static int
keep_id_body(uint8_t **dst, size_t *dst_len, uint8_t type, uint8_t proto,
    uint16_t port, const uint8_t *data, size_t len)
{
	struct wr w;
	int rc;

	wr_init(&w, 4 + CFG_ID_MAX);
	wr_u8(&w, type);
	wr_u8(&w, proto);
	wr_u16(&w, port);
	wr_bytes(&w, data, len);
	if ((rc = wr_error(&w)) == 0)
		rc = ike_sa_keep(dst, dst_len, w.buf, w.len);
	wr_free(&w);
	return rc;
}

int
v1_ph1_add_id(struct ike_sa *sa, struct v1_msg *m, struct ike_id *store)
{
	struct v1_pl *pl;
	int rc;

	local_id(sa, store);
	if ((rc = v1_msg_add(m, IKEV1_PL_ID, &pl)) != 0)
		return rc;
	pl->u.id.type = store->type;
	pl->u.id.proto = IPPROTO_UDP;
	pl->u.id.port = 500;
	pl->u.id.data = (struct ike_slice){ store->data, store->len };
	if (sa->initiator)
		return keep_id_body(&sa->v1->idi_b, &sa->v1->idi_len,
		    store->type, IPPROTO_UDP, 500, store->data,
		    store->len);
	return keep_id_body(&sa->v1->idr_b, &sa->v1->idr_len, store->type,
	    IPPROTO_UDP, 500, store->data, store->len);
}

/* With signatures two DNs are compared by meaning, against the
 * certificate (v1_sig_verify()). */
static bool
id_equal(const struct ike_sa *sa, const struct ike_id *want,
    const struct ike_id *got)
{
	if (v1_sig_auth(sa->v1->auth) && want->type == IKEV1_ID_DER_ASN1_DN &&
	    got->type == IKEV1_ID_DER_ASN1_DN)
		return true;
	return want->type == 0 || (want->type == got->type &&
	    want->len == got->len &&
	    memcmp(want->data, got->data, got->len) == 0);
}

/* The configuration the peer_id callback gave: the same kind of
 * authentication, a key or a usable signature configuration. */
static bool
id_cfg_ok(const struct ike_engine *eng, const struct ike_sa *sa,
    struct ike_cfg *c)
{
	if (c->auth != sa->cfg.auth)
		return false;
	if (c->auth == CFG_AUTH_PSK)
		return c->psk_len != 0;
	return v1_sig_cfg(eng, c) == NULL &&
	    v1_sig_method(eng, c) == sa->v1->auth;
}

/* Responder: the peer_id callback may refuse the identity or (when
 * the key is not used yet: Aggressive Mode) pick its key. */
static bool
id_accepted(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_id *id, bool may_rekey)
{
	struct ike_cfg *c;
	bool ok;

	if (sa->initiator || eng->cb.peer_id == NULL)
		return id_equal(sa, &sa->cfg.remote_id, id);
	if ((c = malloc(sizeof(*c))) == NULL)
		return false;
	*c = sa->cfg;
	ok = eng->cb.peer_id(eng->cb.arg, id, c) == 0 &&
	    id_cfg_ok(eng, sa, c);
	if (ok && !may_rekey && c->auth == CFG_AUTH_PSK)
		ok = c->psk_len == sa->cfg.psk_len &&
		    memcmp(c->psk, sa->cfg.psk, c->psk_len) == 0;
	if (ok)
		sa->cfg = *c;
	ike_cfg_wipe(c);
	free(c);
	return ok;
}

bool
v1_ph1_peer_id(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m, bool may_rekey)
{
	const struct v1_pl *pl = v1_msg_find(m, IKEV1_PL_ID, NULL);
	const struct v1_pl_id *p;
	struct ike_id id;

	if (pl == NULL)
		return false;
	p = &pl->u.id;
	if (!v1_id_type_ok(p->type) || ike_id_check(p->type,
	    p->data.len) != 0 || (p->proto != 0 &&
	    p->proto != IPPROTO_UDP) || (p->port != 0 && p->port != 500 &&
	    p->port != natt_port(eng))) {
		log_dbg(LOG_IKE, "SA %u: unusable ID payload", sa->handle);
		return false;
	}
	memset(&id, 0, sizeof(id));
	id.type = p->type;
	id.len = p->data.len;
	memcpy(id.data, p->data.p, id.len);
	if (!id_accepted(eng, sa, &id, may_rekey))
		return false;
	if (!v1_sig_auth(sa->v1->auth))	/* signatures: once verified */
		sa->cfg.remote_id = id;
	if (sa->initiator)
		return ike_sa_keep(&sa->v1->idr_b, &sa->v1->idr_len,
		    pl->body.p, pl->body.len) == 0;
	return ike_sa_keep(&sa->v1->idi_b, &sa->v1->idi_len, pl->body.p,
	    pl->body.len) == 0;
}

/* ---------------------------------------------------------- hashes */

int
v1_ph1_hash(const struct ike_sa *sa, bool for_i, uint8_t *out,
    size_t *len)
{
	const struct v1_state *v1 = sa->v1;
	size_t hl = prf_out_len(sa->prf);
	uint8_t ci[8], cr[8];
	struct ikev1_auth_in in;
	int rc;

	v1_cookie_put(sa->spi_i, ci);
	v1_cookie_put(sa->spi_r, cr);
	in = (struct ikev1_auth_in){ .gxi = v1->gxi, .gxr = v1->gxr,
	    .gxi_len = v1->gxi_len, .gxr_len = v1->gxr_len, .cky_i = ci,
	    .cky_r = cr, .sai_b = v1->sai_b, .sai_len = v1->sai_len,
	    .id_b = for_i ? v1->idi_b : v1->idr_b,
	    .id_len = for_i ? v1->idi_len : v1->idr_len };
	if (for_i)
		rc = ikev1_hash_i(sa->prf, V1_CRYPTO_FLAGS, v1->skeyid, &in,
		    out, hl);
	else
		rc = ikev1_hash_r(sa->prf, V1_CRYPTO_FLAGS, v1->skeyid, &in,
		    out, hl);
	if (rc == 0)
		*len = hl;
	return rc;
}

int
v1_ph1_add_hash(const struct ike_sa *sa, struct v1_msg *m, bool for_i,
    uint8_t store[PRF_MAX_OUT])
{
	struct v1_pl *pl;
	size_t len = 0;
	int rc;

	if ((rc = v1_ph1_hash(sa, for_i, store, &len)) != 0 ||
	    (rc = v1_msg_add(m, IKEV1_PL_HASH, &pl)) != 0)
		return rc;
	pl->u.data = (struct ike_slice){ store, len };
	return 0;
}

bool
v1_ph1_hash_ok(const struct ike_sa *sa, const struct v1_msg *m, bool for_i)
{
	const struct v1_pl *h = v1_msg_find(m, IKEV1_PL_HASH, NULL);
	uint8_t want[PRF_MAX_OUT];
	size_t len = 0;
	bool ok;

	if (h == NULL || v1_ph1_hash(sa, for_i, want, &len) != 0 ||
	    h->u.data.len != len)
		return false;
	ok = ikev1_hash_equal(h->u.data.p, want, len) == 0;
	secmem_wipe(want, sizeof(want));
	return ok;
}

const char *
v1_ph1_auth_check(const struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m, bool peer_is_i)
{
	if (v1_sig_auth(sa->v1->auth))
		return v1_sig_verify(eng, sa, m, peer_is_i);
	return v1_ph1_hash_ok(sa, m, peer_is_i) ? NULL : auth_failed;
}

int
v1_ph1_add_auth(const struct ike_engine *eng, const struct ike_sa *sa,
    struct v1_msg *m, struct v1_auth_store *st)
{
	st->sig = NULL;
	if (v1_sig_auth(sa->v1->auth))
		return v1_sig_add(eng, sa, m, sa->initiator, &st->sig);
	return v1_ph1_add_hash(sa, m, sa->initiator, st->hash);
}

void
v1_ph1_auth_store_free(struct v1_auth_store *st)
{
	secmem_wipe(st->hash, sizeof(st->hash));
	free(st->sig);
	st->sig = NULL;
}

/* ------------------------------------------------- send and receive */

/* The body of the SA payload of our encoded message 1 (SAi_b). */
static int
keep_sai(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	struct v1_msg *d = malloc(sizeof(*d));
	const struct v1_pl *pl;
	int rc = IKE_ENOMEM;

	if (d != NULL && (rc = v1_decode(buf, len, d, NULL)) == 0) {
		pl = v1_msg_find(d, IKEV1_PL_SA, NULL);
		rc = pl == NULL ? IKE_EINVAL : ike_sa_keep(&sa->v1->sai_b,
		    &sa->v1->sai_len, pl->body.p, pl->body.len);
	}
	free(d);
	return rc;
}

int
v1_ph1_send(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    unsigned int flags)
{
	struct wr w;
	int rc;

	wr_init(&w, 65535);
	if (flags & V1_SEND_ENC)
		rc = v1_seal(sa, m, sa->v1->iv, &w);
	else
		rc = v1_encode(m, &w);
	if (rc == 0)
		rc = wr_error(&w);
	if (rc == 0 && (flags & V1_SEND_SAI))
		rc = keep_sai(sa, w.buf, w.len);
	if (rc == 0)
		rc = v1_send_ph1(eng, sa, w.buf, w.len,
		    (flags & V1_SEND_REQUEST) != 0);
	wr_free(&w);
	if (rc != 0)
		log_err(LOG_IKE, "SA %u: phase-1 message: %s", sa->handle,
		    ike_strerror(rc));
	return rc;
}

/* What a message's parts borrow until it is encoded. */
struct parts_store {
	struct v1_prop_store	 prop;
	struct v1_cr_store	 cr;
	struct v1_natd_store	 natd;
	struct v1_auth_store	 au;
	struct ike_id		 id;
};

static int
add_parts(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    unsigned int parts, const struct v1_msg *req, const struct v1_xform *xf,
    struct parts_store *st)
{
	int rc = 0;

	if (parts & V1_PART_SA)
		rc = v1_prop_put(m, &sa->cfg, sa->v1->aggressive,
		    sa->v1->auth, &st->prop);
	if (rc == 0 && (parts & V1_PART_CHOICE))
		rc = v1_prop_put_choice(m, req, xf);
	if (rc == 0 && (parts & V1_PART_KE))
		rc = v1_ph1_add_ke_nonce(sa, m);
	if (rc == 0 && (parts & V1_PART_ID))
		rc = v1_ph1_add_id(sa, m, &st->id);
	if (rc == 0 && (parts & V1_PART_AUTH))
		rc = v1_ph1_add_auth(eng, sa, m, &st->au);
	if (rc == 0 && (parts & V1_PART_CR))
		rc = v1_sig_add_cr(eng, sa, m, &st->cr);
	if (rc == 0 && (parts & V1_PART_VID))
		rc = v1_ph1_add_vids(eng, m);
	if (rc == 0 && (parts & V1_PART_NATD))
		rc = v1_natd_add(eng, sa, m, &st->natd);
	return rc;
}

int
v1_ph1_send_parts(struct ike_engine *eng, struct ike_sa *sa,
    unsigned int parts, const struct v1_msg *req, const struct v1_xform *xf,
    unsigned int flags)
{
	struct parts_store st;
	struct v1_msg *m;
	int rc;

	memset(&st, 0, sizeof(st));	/* no CR DNs, no signature */
	if ((m = v1_ph1_msg_new(sa)) == NULL)
		return IKE_ENOMEM;
	rc = add_parts(eng, sa, m, parts, req, xf, &st);
	if (rc == 0)
		rc = v1_ph1_send(eng, sa, m, flags);
	v1_ph1_auth_store_free(&st.au);
	v1_sig_cr_free(&st.cr);
	free(m);
	return rc;
}

void
v1_ph1_accepted(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m)
{
	v1_digest(m->dgram.p, m->dgram.len, sa->v1->in_digest);
	sa->v1->have_in = true;
	sa->last_rx_ms = eng->now_ms;
}

/* ------------------------------------------------------- responder */

/* A notification in the clear, with cookies ci and cr (RFC 2408
 * s. 5.2: NO-PROPOSAL-CHOSEN to a message 1 we keep no state for;
 * AUTHENTICATION-FAILED).  Nothing the receiver may trust. */
static void
plain_notify(struct ike_engine *eng, const uint8_t ci[8], const uint8_t cr[8],
    uint16_t type, const struct ike_addr *remote,
    const struct ike_addr *local)
{
	struct v1_msg *m = malloc(sizeof(*m));
	uint8_t spi[16];
	struct v1_hdr h;
	struct v1_pl *pl;
	struct wr w;
	uint32_t id = 0;

	if (m == NULL)
		return;
	while (id == 0)
		if (crypto_rand_bytes(&id, sizeof(id)) != 0)
			break;
	memset(&h, 0, sizeof(h));
	memcpy(h.icookie, ci, 8);
	memcpy(h.rcookie, cr, 8);
	h.exchange = IKEV1_EXCH_INFO;
	h.msgid = id;
	memcpy(spi, ci, 8);
	memcpy(spi + 8, cr, 8);
	v1_msg_init(m, &h);
	wr_init(&w, 4096);
	if (id != 0 && v1_msg_add(m, IKEV1_PL_N, &pl) == 0) {
		pl->u.notify = (struct v1_pl_notify){ .doi = IKEV1_DOI_IPSEC,
		    .proto = IKEV1_PROTO_ISAKMP, .type = type,
		    .spi = { spi, sizeof(spi) } };
		if (v1_encode(m, &w) == 0 && wr_error(&w) == 0)
			xchg_send(eng, local, remote, w.buf, w.len);
	}
	wr_free(&w);
	free(m);
}

static void
refuse(struct ike_engine *eng, const struct v1_msg *req, uint16_t type,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	static const uint8_t zero[8];

	plain_notify(eng, req->hdr.icookie, zero, type, remote, local);
}

void
v1_ph1_tell_auth_failed(struct ike_engine *eng, struct ike_sa *sa)
{
	uint8_t ci[8], cr[8];

	v1_cookie_put(sa->spi_i, ci);
	v1_cookie_put(sa->spi_r, cr);
	plain_notify(eng, ci, cr, IKEV1_N_AUTHENTICATION_FAILED, &sa->remote,
	    &sa->local);
}

/* The configuration for a new responder SA, or false (dropped). */
static bool
responder_cfg(struct ike_engine *eng, const struct ike_addr *remote,
    const struct ike_addr *local, struct ike_cfg *cfg)
{
	const char *why;

	memset(cfg, 0, sizeof(*cfg));
	cfg->version = IKE_VERSION_1;	/* what we ask for */
	if (eng->cb.ike_cfg(eng->cb.arg, local, remote, cfg) != 0 ||
	    cfg->version != IKE_VERSION_1 || v1_cfg_check(cfg) != 0) {
		log_dbg(LOG_IKE, "IKEv1 phase 1 from a peer we have no "
		    "configuration for");
		ike_cfg_wipe(cfg);
		return false;
	}
	if ((why = v1_sig_cfg(eng, cfg)) != NULL) {
		log_err(LOG_CFG, "IKEv1 phase 1 from a peer refused: %s", why);
		ike_cfg_wipe(cfg);
		return false;
	}
	return true;
}

static struct ike_sa *
responder_sa(struct ike_engine *eng, const struct v1_msg *m,
    struct ike_cfg *cfg, const struct v1_p1_xf *x,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	const struct v1_pl *sai = v1_msg_find(m, IKEV1_PL_SA, NULL);
	struct ike_sa *sa;

	if (ike_sa_new(false, IKE_SA_HALF_OPEN, &sa) != 0)
		return NULL;
	if (v1_state_new(&sa->v1) != 0 || ike_sa_keep(&sa->v1->sai_b,
	    &sa->v1->sai_len, sai->body.p, sai->body.len) != 0) {
		ike_sa_free(sa);
		return NULL;
	}
	sa->version = IKE_VERSION_1;
	sa->cfg = *cfg;
	sa->cfg.remote = *remote;
	sa->local = *local;
	sa->remote = *remote;
	sa->spi_i = v1_cookie(m->hdr.icookie);
	sa->v1->aggressive = m->hdr.exchange == IKEV1_EXCH_AGGRESSIVE;
	sa->handle = ++eng->next_handle;
	sa->created_ms = eng->now_ms;
	v1_prop_apply(sa, x);
	v1_ph1_read_vids(sa, m);
	if (sa_table_add(eng->sas, sa) != 0) {
		ike_sa_free(sa);
		return NULL;
	}
	v1_ph1_accepted(eng, sa, m);
	return sa;
}

struct ike_sa *
v1_ph1_responder(struct ike_engine *eng, const struct v1_msg *m,
    size_t ke_len, const struct ike_addr *remote,
    const struct ike_addr *local, const struct v1_xform **xf)
{
	struct ike_cfg *cfg = malloc(sizeof(*cfg));
	struct ike_sa *sa = NULL;
	struct v1_p1_xf x;
	uint16_t err;

	if (cfg == NULL)
		return NULL;
	if (!responder_cfg(eng, remote, local, cfg)) {
		eng->st.rx_dropped++;
	} else if ((err = v1_prop_pick(m, cfg, v1_sig_method(eng, cfg),
	    ke_len, &x, xf)) != 0) {
		log_dbg(LOG_IKE, "phase 1: no proposal chosen");
		eng->st.rx_dropped++;
		refuse(eng, m, err, remote, local);
	} else if ((sa = responder_sa(eng, m, cfg, &x, remote,
	    local)) == NULL)
		log_err(LOG_IKE, "phase 1: out of memory");
	ike_cfg_wipe(cfg);
	free(cfg);
	return sa;
}

/* ------------------------------------------------------- dispatch */

int
v1_ph1_start(struct ike_engine *eng, struct ike_sa *sa)
{
	const char *why;

	if ((why = v1_sig_cfg(eng, &sa->cfg)) != NULL) {
		log_err(LOG_CFG, "IKEv1 SA to peer refused: %s", why);
		return IKE_EINVAL;
	}
	sa->v1->auth = v1_sig_method(eng, &sa->cfg);
	if (sa->v1->aggressive)
		return v1_aggr_start(eng, sa);
	return v1_main_start(eng, sa);
}

void
v1_ph1_new(struct ike_engine *eng, const struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (m->hdr.exchange == IKEV1_EXCH_AGGRESSIVE)
		v1_aggr_new(eng, m, remote, local);
	else
		v1_main_new(eng, m, remote, local);
}

void
v1_ph1_input(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (sa->v1->aggressive)
		v1_aggr_input(eng, sa, m, remote, local);
	else
		v1_main_input(eng, sa, m, remote, local);
}

void
v1_ph1_done(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	sa->state = IKE_SA_ESTABLISHED;
	sa->up_ms = eng->now_ms;
	sa->v1->step = V1_DONE;
	dh_free(sa->dh);
	sa->dh = NULL;
	log_info(LOG_IKE, "SA %u: ISAKMP SA established (%s Mode, %s)",
	    sa->handle, sa->v1->aggressive ? "Aggressive" : "Main",
	    sa->initiator ? "initiator" : "responder");
	if (!v1_succeed(eng, sa))
		xchg_event(eng, sa, ENGINE_EV_IKE_UP, NULL, 0, NULL);
	if (!sa->initiator || !sa->have_ccfg)
		return;
	if ((rc = v1_qm_start(eng, sa, &sa->ccfg, 0)) != 0) {
		log_info(LOG_IKE, "SA %u: Quick Mode not started: %s",
		    sa->handle, ike_strerror(rc));
		xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, NULL, 0,
		    "Quick Mode not started");
	}
}
