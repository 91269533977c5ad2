/* core/exchange/sa_init.c: IKE_SA_INIT (RFC 7296 s. 1.2, 2.6, 2.7,
 * 2.10, 2.14).
 *
 *   Initiator                         Responder
 *   HDR, [N(COOKIE),] SAi1, KEi, Ni  -->
 *                                <--  HDR, SAr1, KEr, Nr
 *                                <--  HDR, N(COOKIE)            (s. 2.6)
 *                                <--  HDR, N(INVALID_KE_PAYLOAD) (s. 1.2)
 *                                <--  HDR, N(NO_PROPOSAL_CHOSEN)
 *
 * With signature authentication both sides add
 * N(SIGNATURE_HASH_ALGORITHMS) and the responder CERTREQ (auth_sig.c).
 *
 * The responder keeps no state for the three error answers.  It asks
 * for a cookie once more than half_open_max of its SAs wait for
 * IKE_AUTH: Cookie = <VersionIDofSecret> | prf(secret, Ni | IPi | SPIi)
 * with HMAC-SHA2-256, the secret renewed every cookie_rotate_ms (the one
 * before still accepted). */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto_rand.h"
#include "core/crypto/dh.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

#define NONCE_LEN	32
#define COOKIE_LEN	(1 + 32)
#define INIT_SENDS_MAX	4	/* IKE_SA_INIT restarts, cookie and KE */

/* ------------------------------------------------------- proposals */

int
sa_init_add_proposals(struct ike_msg *m, const struct ike_cfg *c,
    bool encrypted, uint64_t spi)
{
	struct ike_pl *sa;
	size_t i, j;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_SA, encrypted, &sa)) != 0)
		return rc;
	for (i = 0; i < c->nprops; i++) {
		const struct ike_prop_cfg *p = &c->props[i];

		rc = ike_msg_add_prop(m, sa, IKEV2_PROTO_IKE, spi ? 8 : 0,
		    spi);
		if (rc == 0)
			rc = ike_msg_add_xform(m, IKEV2_XF_ENCR, p->encr,
			    p->key_bits);
		if (rc == 0)
			rc = ike_msg_add_xform(m, IKEV2_XF_PRF, p->prf, 0);
		if (rc == 0 && p->integ != 0)
			rc = ike_msg_add_xform(m, IKEV2_XF_INTEG, p->integ, 0);
		for (j = 0; rc == 0 && j < c->ndh; j++)
			rc = ike_msg_add_xform(m, IKEV2_XF_DH, c->dh[j], 0);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static bool
integ_match(const struct ike_msg *m, const struct ike_prop *p, uint16_t id)
{
	if (id == 0)
		return !xchg_prop_has_type(m, p, IKEV2_XF_INTEG) ||
		    xchg_prop_has(m, p, IKEV2_XF_INTEG, 0, 0);
	return xchg_prop_has(m, p, IKEV2_XF_INTEG, id, 0);
}

static bool
suite_match(const struct ike_msg *m, const struct ike_prop *p,
    const struct ike_prop_cfg *c)
{
	return p->proto == IKEV2_PROTO_IKE &&
	    xchg_prop_has(m, p, IKEV2_XF_ENCR, c->encr, c->key_bits) &&
	    xchg_prop_has(m, p, IKEV2_XF_PRF, c->prf, 0) &&
	    integ_match(m, p, c->integ);
}

/* The outcome of choosing among the initiator's proposals. */
struct choice {
	const struct ike_prop		*prop;	/* NULL: none */
	const struct ike_prop_cfg	*suite;
	uint16_t			 group;	/* DH group to use */
	bool				 ke_ok;	/* KEi is of that group */
};

/* Our suites in our order; for each, the peer's proposals; the KE group
 * when we accept it, else our most preferred group the proposal has. */
static void
choose(const struct ike_msg *m, const struct ike_cfg *c, uint16_t ke_group,
    struct choice *ch)
{
	const struct ike_pl *sa = ike_msg_find(m, IKEV2_PL_SA, NULL);
	size_t i, j, k;

	memset(ch, 0, sizeof(*ch));
	for (i = 0; i < c->nprops; i++)
		for (j = sa->u.sa.prop0; j < (size_t)sa->u.sa.prop0 +
		    sa->u.sa.nprop; j++) {
			const struct ike_prop *p = &m->prop[j];

			if (!suite_match(m, p, &c->props[i]))
				continue;
			for (k = 0; k < c->ndh; k++) {
				if (!xchg_prop_has(m, p, IKEV2_XF_DH,
				    c->dh[k], 0))
					continue;
				if (ch->prop == NULL || c->dh[k] == ke_group) {
					ch->prop = p;
					ch->suite = &c->props[i];
					ch->group = c->dh[k];
					ch->ke_ok = c->dh[k] == ke_group;
				}
				if (ch->ke_ok)
					return;
			}
		}
}

uint16_t
sa_init_pick(const struct ike_msg *m, const struct ike_cfg *c,
    uint16_t ke_group, struct ike_sa *sa, uint8_t *num, uint64_t *spi)
{
	struct choice ch;

	choose(m, c, ke_group, &ch);
	if (ch.prop == NULL)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	sa->dh_group = ch.group;
	if (!ch.ke_ok)
		return IKEV2_N_INVALID_KE_PAYLOAD;
	sa->encr = ch.suite->encr;
	sa->key_bits = ch.suite->key_bits;
	sa->integ = ch.suite->integ;
	sa->prf = ch.suite->prf;
	*num = ch.prop->num;
	*spi = ch.prop->spi_size == 8 ? ch.prop->spi : 0;
	return 0;
}

/* ------------------------------------------------------------ keys */

int
sa_init_keys(struct ike_sa *sa, const struct ike_key *seed)
{
	struct kdf_ike_sizes sz;
	uint8_t spi_i[8], spi_r[8];
	int rc, i;

	for (i = 0; i < 8; i++) {
		spi_i[i] = (uint8_t)(sa->spi_i >> (56 - 8 * i));
		spi_r[i] = (uint8_t)(sa->spi_r >> (56 - 8 * i));
	}
	rc = kdf_ike_sizes(sa->prf, sa->encr, sa->key_bits, sa->integ, &sz);
	if (rc == 0)
		rc = kdf_ike_keys(sa->prf, 0, seed, sa->ni, sa->ni_len, sa->nr,
		    sa->nr_len, spi_i, spi_r, &sz, &sa->keys);
	if (rc == 0)
		rc = sk_setup(sa);
	return rc;
}

/* g^ir from our DH and the peer's KE, then SKEYSEED, SK_* and the SK
 * ciphers (s. 2.14). */
static int
derive(struct ike_sa *sa, const struct pl_ke *ke)
{
	struct ike_key *gir = NULL, *seed = NULL;
	int rc;

	rc = dh_compute(sa->dh, ke->data.p, ke->data.len, &gir);
	if (rc == 0)
		rc = kdf_skeyseed(sa->prf, 0, sa->ni, sa->ni_len, sa->nr,
		    sa->nr_len, gir->data, gir->len, &seed);
	if (rc == 0)
		rc = sa_init_keys(sa, seed);
	ike_key_free(gir);
	ike_key_free(seed);
	dh_free(sa->dh);
	sa->dh = NULL;
	return rc;
}

/* ------------------------------------------------------- initiator */

int
sa_init_start(struct ike_engine *eng, struct ike_sa *sa)
{
	uint8_t nd_src[NATD_LEN], nd_dst[NATD_LEN];
	struct ike_msg *m;
	struct ike_hdr h;
	struct ike_pl *pl;
	const uint8_t *pub;
	size_t pub_len;
	int rc;

	if (sa->init_sends++ >= INIT_SENDS_MAX)
		return IKE_ESTATE;
	if (sa->dh == NULL && (rc = dh_new(sa->dh_group, 0, &sa->dh)) != 0)
		return rc;
	if (sa->ni_len == 0) {
		if ((rc = crypto_rand_bytes(sa->ni, NONCE_LEN)) != 0)
			return rc;
		sa->ni_len = NONCE_LEN;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return IKE_ENOMEM;
	xchg_hdr(sa, IKEV2_EXCH_IKE_SA_INIT, false, &h);
	ike_msg_init(m, &h);
	pub = dh_public(sa->dh, &pub_len);
	rc = 0;
	if (sa->cookie_len != 0)
		rc = xchg_add_notify(m, false, IKEV2_N_COOKIE, sa->cookie,
		    sa->cookie_len);
	if (rc == 0)
		rc = sa_init_add_proposals(m, &sa->cfg, false, 0);
	if (rc == 0 && (rc = ike_msg_add(m, IKEV2_PL_KE, false, &pl)) == 0) {
		pl->u.ke.group = sa->dh_group;
		pl->u.ke.data = (struct ike_slice){ pub, pub_len };
		rc = ike_msg_add(m, IKEV2_PL_NONCE, false, &pl);
	}
	if (rc == 0) {
		pl->u.nonce.data = (struct ike_slice){ sa->ni, sa->ni_len };
		rc = natd_add(eng, m, &sa->local, &sa->remote, nd_src,
		    nd_dst);
	}
	if (rc == 0)
		rc = auth_sig_init_add(eng, sa, m, false);
	if (rc == 0)
		rc = xchg_request(eng, sa, m, false);
	if (rc == 0)
		rc = ike_sa_keep(&sa->init_req, &sa->init_req_len,
		    sa->out.buf, sa->out.len);
	free(m);
	return rc;
}

/* N(COOKIE) or N(INVALID_KE_PAYLOAD): start again.  1 when handled. */
static int
restart(struct ike_engine *eng, struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *n;
	struct rd r;
	uint16_t g;
	size_t i;

	if ((n = ike_msg_notify(m, IKEV2_N_COOKIE)) != NULL) {
		if (n->u.notify.data.len == 0 ||
		    n->u.notify.data.len > sizeof(sa->cookie))
			return 0;
		memcpy(sa->cookie, n->u.notify.data.p, n->u.notify.data.len);
		sa->cookie_len = n->u.notify.data.len;
		return sa_init_start(eng, sa) == 0;
	}
	if ((n = ike_msg_notify(m, IKEV2_N_INVALID_KE_PAYLOAD)) == NULL ||
	    sa->ke_retried)
		return 0;
	rd_init(&r, n->u.notify.data.p, n->u.notify.data.len);
	if (rd_u16(&r, &g) != 0 || g == sa->dh_group)
		return 0;
	for (i = 0; i < sa->cfg.ndh && sa->cfg.dh[i] != g; i++)
		;
	if (i == sa->cfg.ndh)
		return 0;
	log_dbg(LOG_IKE, "SA %u: responder wants DH group %u", sa->handle, g);
	sa->ke_retried = true;
	sa->dh_group = g;
	dh_free(sa->dh);
	sa->dh = NULL;
	return sa_init_start(eng, sa) == 0;
}

int
sa_init_accept_answer(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *sap = ike_msg_find(m, IKEV2_PL_SA, NULL);
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	const struct ike_prop *p;
	size_t i;

	if (sap->u.sa.nprop != 1 || ke->u.ke.group != sa->dh_group)
		return IKE_EMALFORMED;
	p = &m->prop[sap->u.sa.prop0];
	if (!xchg_prop_has(m, p, IKEV2_XF_DH, sa->dh_group, 0))
		return IKE_EMALFORMED;
	for (i = 0; i < sa->cfg.nprops; i++)
		if (suite_match(m, p, &sa->cfg.props[i])) {
			sa->encr = sa->cfg.props[i].encr;
			sa->key_bits = sa->cfg.props[i].key_bits;
			sa->integ = sa->cfg.props[i].integ;
			sa->prf = sa->cfg.props[i].prf;
			return 0;
		}
	return IKE_EMALFORMED;
}

static void
fail_notify(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKEV2_N_ERROR_MAX) {
			uint16_t t = m->pl[i].u.notify.type;

			xchg_kill(eng, sa, t, t == IKEV2_N_NO_PROPOSAL_CHOSEN ?
			    "no proposal chosen" : t ==
			    IKEV2_N_INVALID_KE_PAYLOAD ?
			    "no acceptable DH group" :
			    "IKE_SA_INIT refused by peer");
			return;
		}
	xchg_kill(eng, sa, 0, "IKE_SA_INIT answer unusable");
}

void
sa_init_response(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	const struct ike_pl *nr, *ke;

	if (ike_msg_find(m, IKEV2_PL_SA, NULL) == NULL) {
		if (restart(eng, sa, m) != 1)
			fail_notify(eng, sa, m);
		return;
	}
	if (m->hdr.spi_r == 0 || sa_init_accept_answer(sa, m) != 0) {
		eng->st.rx_malformed++;
		xchg_kill(eng, sa, 0, "IKE_SA_INIT answer unusable");
		return;
	}
	nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	memcpy(sa->nr, nr->u.nonce.data.p, nr->u.nonce.data.len);
	sa->nr_len = nr->u.nonce.data.len;
	sa->spi_r = m->hdr.spi_r;
	natd_check(eng, sa, m);
	auth_sig_init_seen(sa, m);
	ike_sa_out_clear(sa);
	sa->next_req_id = 1;
	if (ike_sa_keep(&sa->init_resp, &sa->init_resp_len, m->dgram.p,
	    m->dgram.len) != 0 || derive(sa, &ke->u.ke) != 0) {
		xchg_kill(eng, sa, 0, "key derivation failed");
		return;
	}
	if (auth_start(eng, sa) != 0)
		xchg_kill(eng, sa, 0, "IKE_AUTH request failed");
}

/* ------------------------------------------------------- responder */

int
sa_init_cookie_secret(struct ike_engine *eng)
{
	uint64_t life = eng->lim.cookie_rotate_ms;
	int rc;

	if (eng->secret_born_ms != 0 && eng->now_ms - eng->secret_born_ms <
	    life)
		return 0;
	if (eng->secret_born_ms != 0) {
		memcpy(eng->old_secret, eng->secret, sizeof(eng->secret));
		eng->have_old = true;
		eng->secret_ver++;
	}
	if ((rc = crypto_rand_bytes(eng->secret, sizeof(eng->secret))) != 0)
		return rc;
	eng->secret_born_ms = eng->now_ms ? eng->now_ms : 1;
	return 0;
}

/* Cookie = ver | prf(secret, Ni | IPi | SPIi) (s. 2.6). */
static int
make_cookie(const uint8_t *secret, uint8_t ver, const struct ike_msg *m,
    const struct ike_addr *remote, uint8_t out[COOKIE_LEN])
{
	const struct ike_pl *n = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	uint8_t spi[8];
	struct crypto_iov v[3];
	struct prf *prf;
	int rc, i;

	for (i = 0; i < 8; i++)
		spi[i] = (uint8_t)(m->hdr.spi_i >> (56 - 8 * i));
	v[0] = (struct crypto_iov){ n->u.nonce.data.p, n->u.nonce.data.len };
	v[1] = (struct crypto_iov){ remote->addr, sizeof(remote->addr) };
	v[2] = (struct crypto_iov){ spi, sizeof(spi) };
	if ((rc = prf_new(PRF_HMAC_SHA2_256, 0, secret, COOKIE_SECRET_LEN,
	    &prf)) != 0)
		return rc;
	out[0] = ver;
	rc = prf_compute(prf, v, 3, out + 1, COOKIE_LEN - 1);
	prf_free(prf);
	return rc;
}

static void
stateless_answer(struct ike_engine *eng, const struct ike_msg *req,
    const struct ike_addr *remote, const struct ike_addr *local,
    uint16_t type, const uint8_t *data, size_t len)
{
	struct ike_hdr h = { .spi_i = req->hdr.spi_i,
	    .exchange = IKEV2_EXCH_IKE_SA_INIT, .flags = IKEV2_F_RESPONSE };
	struct ike_msg *m;
	struct wr w;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return;
	ike_msg_init(m, &h);
	wr_init(&w, 0);
	if (xchg_add_notify(m, false, type, data, len) == 0 &&
	    codec_encode(m, NULL, &w, NULL) == 0 && wr_error(&w) == 0)
		xchg_send(eng, local, remote, w.buf, w.len);
	wr_free(&w);
	free(m);
}

/* 1 when the request may go on; 0 when it was answered with a cookie
 * (or carried a wrong one). */
static int
cookie_gate(struct ike_engine *eng, const struct ike_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	const struct ike_pl *n = ike_msg_notify(m, IKEV2_N_COOKIE);
	uint8_t want[COOKIE_LEN];
	const uint8_t *sec;
	int ok = 0;

	if (sa_table_half_open(eng->sas) < eng->lim.half_open_max)
		return 1;
	if (sa_init_cookie_secret(eng) != 0)
		return 0;
	if (n != NULL && n->u.notify.data.len == COOKIE_LEN) {
		uint8_t ver = n->u.notify.data.p[0];

		sec = ver == eng->secret_ver ? eng->secret :
		    (eng->have_old && ver == (uint8_t)(eng->secret_ver - 1)) ?
		    eng->old_secret : NULL;
		ok = sec != NULL && make_cookie(sec, ver, m, remote,
		    want) == 0 && memcmp(want, n->u.notify.data.p,
		    COOKIE_LEN) == 0;
	}
	if (ok)
		return 1;
	if (make_cookie(eng->secret, eng->secret_ver, m, remote, want) != 0)
		return 0;
	log_dbg(LOG_IKE, "%zu half-open SAs: asking for a cookie",
	    sa_table_half_open(eng->sas));
	eng->st.cookies_sent++;
	stateless_answer(eng, m, remote, local, IKEV2_N_COOKIE, want,
	    COOKIE_LEN);
	return 0;
}

int
sa_init_add_choice(struct ike_msg *m, const struct ike_sa *sa, uint8_t num,
    bool encrypted, uint64_t spi)
{
	struct ike_pl *pl;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_SA, encrypted, &pl)) == 0)
		rc = ike_msg_add_prop(m, pl, IKEV2_PROTO_IKE, spi ? 8 : 0, spi);
	if (rc == 0) {
		m->prop[m->nprop - 1].num = num;
		rc = ike_msg_add_xform(m, IKEV2_XF_ENCR, sa->encr,
		    sa->key_bits);
	}
	if (rc == 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_PRF, sa->prf, 0);
	if (rc == 0 && sa->integ != 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_INTEG, sa->integ, 0);
	if (rc == 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_DH, sa->dh_group, 0);
	return rc;
}

static int
answer(struct ike_engine *eng, struct ike_sa *sa, const struct choice *ch)
{
	uint8_t nd_src[NATD_LEN], nd_dst[NATD_LEN];
	struct ike_msg *m;
	struct ike_hdr h;
	struct ike_pl *pl;
	const uint8_t *pub;
	size_t pub_len;
	int rc;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return IKE_ENOMEM;
	xchg_hdr(sa, IKEV2_EXCH_IKE_SA_INIT, true, &h);
	ike_msg_init(m, &h);
	pub = dh_public(sa->dh, &pub_len);
	rc = sa_init_add_choice(m, sa, ch->prop->num, false, 0);
	if (rc == 0 && (rc = ike_msg_add(m, IKEV2_PL_KE, false, &pl)) == 0) {
		pl->u.ke.group = sa->dh_group;
		pl->u.ke.data = (struct ike_slice){ pub, pub_len };
		rc = ike_msg_add(m, IKEV2_PL_NONCE, false, &pl);
	}
	if (rc == 0) {
		pl->u.nonce.data = (struct ike_slice){ sa->nr, sa->nr_len };
		rc = natd_add(eng, m, &sa->local, &sa->remote, nd_src,
		    nd_dst);
	}
	if (rc == 0)
		rc = auth_sig_init_add(eng, sa, m, true);
	if (rc == 0)
		rc = xchg_respond(eng, sa, m, 0, false);
	free(m);
	return rc;
}

/* A new half-open SA for the chosen proposal, keyed and answered. */
static int
accept_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m, const struct choice *ch)
{
	const struct ike_pl *ni = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	int rc;

	sa->encr = ch->suite->encr;
	sa->key_bits = ch->suite->key_bits;
	sa->integ = ch->suite->integ;
	sa->prf = ch->suite->prf;
	sa->dh_group = ch->group;
	memcpy(sa->ni, ni->u.nonce.data.p, ni->u.nonce.data.len);
	sa->ni_len = ni->u.nonce.data.len;
	if ((rc = crypto_rand_bytes(sa->nr, NONCE_LEN)) != 0)
		return rc;
	sa->nr_len = NONCE_LEN;
	natd_check(eng, sa, m);
	auth_sig_init_seen(sa, m);
	if ((rc = ike_sa_keep(&sa->init_req, &sa->init_req_len, m->dgram.p,
	    m->dgram.len)) != 0 ||
	    (rc = dh_new(sa->dh_group, 0, &sa->dh)) != 0)
		return rc;
	/* The answer carries our public value: send it before derive()
	 * frees the DH object. */
	if ((rc = dh_check_public(sa->dh_group, ke->u.ke.data.p,
	    ke->u.ke.data.len)) != 0 || (rc = answer(eng, sa, ch)) != 0)
		return rc;
	if ((rc = derive(sa, &ke->u.ke)) != 0)
		return rc;
	return ike_sa_keep(&sa->init_resp, &sa->init_resp_len, sa->last_resp,
	    sa->last_resp_len);
}

static void
new_sa(struct ike_engine *eng, const struct ike_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local,
    const struct ike_cfg *cfg, const struct choice *ch)
{
	struct ike_sa *sa;
	int rc;

	if (ike_sa_new(false, IKE_SA_HALF_OPEN, &sa) != 0)
		return;
	sa->cfg = *cfg;
	sa->local = *local;
	sa->remote = *remote;
	sa->spi_i = m->hdr.spi_i;
	sa->handle = ++eng->next_handle;
	sa->created_ms = eng->now_ms;
	if ((rc = sa_table_add(eng->sas, sa)) != 0) {
		ike_sa_free(sa);
		return;
	}
	if ((rc = accept_request(eng, sa, m, ch)) != 0) {
		log_dbg(LOG_IKE, "IKE_SA_INIT from peer refused: %s",
		    ike_strerror(rc));
		eng->st.rx_dropped++;
		sa_table_remove(eng->sas, sa);
		ike_sa_free(sa);
	}
}

/* A configured peer's IKE_SA_INIT refused without state (no proposal in
 * common): no SA, but the owner hears of it under a handle of its own,
 * so that the refusal is logged and listed like any failed phase 1;
 * once per initiator SPI (a peer that retransmits is reported once). */
static void
refused_event(struct ike_engine *eng, const struct ike_msg *m,
    uint16_t notify, const char *reason)
{
	struct engine_event ev = { .type = ENGINE_EV_IKE_FAILED,
	    .spi_i = m->hdr.spi_i, .notify = notify, .reason = reason };

	if (m->hdr.spi_i == eng->refused_spi)
		return;
	eng->refused_spi = m->hdr.spi_i;
	ev.handle = ++eng->next_handle;
	if (eng->cb.event != NULL)
		eng->cb.event(eng->cb.arg, &ev);
}

void
sa_init_request(struct ike_engine *eng, const struct ike_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	struct ike_cfg cfg;
	struct choice ch;
	const char *why;
	uint8_t g[2];

	if (cookie_gate(eng, m, remote, local) != 1)
		return;
	memset(&cfg, 0, sizeof(cfg));
	cfg.version = IKE_VERSION_2;	/* what we ask for */
	if (eng->cb.ike_cfg(eng->cb.arg, local, remote, &cfg) != 0 ||
	    cfg.version == IKE_VERSION_1 || ike_cfg_check(&cfg) != 0) {
		log_dbg(LOG_IKE, "IKE_SA_INIT from a peer we have no "
		    "configuration for");
		eng->st.rx_dropped++;
		ike_cfg_wipe(&cfg);
		return;
	}
	if ((why = auth_sig_cfg(eng, &cfg)) != NULL) {
		log_dbg(LOG_IKE, "IKE_SA_INIT from a peer: %s", why);
		eng->st.rx_dropped++;
		ike_cfg_wipe(&cfg);
		return;
	}
	choose(m, &cfg, ke->u.ke.group, &ch);
	if (ch.prop == NULL) {
		stateless_answer(eng, m, remote, local,
		    IKEV2_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		refused_event(eng, m, IKEV2_N_NO_PROPOSAL_CHOSEN,
		    "no proposal chosen");
	} else if (!ch.ke_ok) {
		g[0] = (uint8_t)(ch.group >> 8);
		g[1] = (uint8_t)ch.group;
		stateless_answer(eng, m, remote, local,
		    IKEV2_N_INVALID_KE_PAYLOAD, g, sizeof(g));
	} else
		new_sa(eng, m, remote, local, &cfg, &ch);
	ike_cfg_wipe(&cfg);
}
