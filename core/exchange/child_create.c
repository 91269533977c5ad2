/* core/exchange/child_create.c: CREATE_CHILD_SA for Child SAs (RFC 7296
 * s. 1.3.1, 1.3.3, 2.8, 2.17).
 *
 *   HDR, SK {SA, Ni, [KEi], TSi, TSr}               -->  (new Child SA)
 *   HDR, SK {N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}  -->  (rekey)
 *                            <--  HDR, SK {SA, Nr, [KEr], TSi, TSr}
 *
 * KEi/KEr are there with PFS, and the proposals then carry that D-H
 * transform: the initiator's is child_cfg.pfs_group; the responder
 * takes a group its policy (child_cfg.resp_dh, child_pfs_ok()) allows,
 * ANY by default, and answers a KEi of another group with
 * INVALID_KE_PAYLOAD naming the one it chose.  The keys are
 *   KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr)
 * with this exchange's nonces.  A rekey keeps the old Child SA's
 * configuration and selectors; the initiator installs the new one and
 * then deletes the old (s. 2.8) with an INFORMATIONAL Delete of its old
 * inbound SPI.  IKE SA rekeying, the other use of the exchange, is in
 * rekey.c. */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto_rand.h"
#include "core/crypto/dh.h"
#include "core/crypto/ike_key.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

#define NONCE_LEN	32
#define DEL_BATCH	8	/* Child SAs per Delete we send */

struct ike_msg *
ccsa_msg(const struct ike_sa *sa, bool response)
{
	struct ike_msg *m;
	struct ike_hdr h;
	struct ike_pl *pl;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	xchg_hdr(sa, IKEV2_EXCH_CREATE_CHILD_SA, response, &h);
	ike_msg_init(m, &h);
	if (ike_msg_add(m, IKEV2_PL_SK, false, &pl) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

int
ccsa_add_nonce_ke(struct ike_msg *m, const uint8_t *n, size_t n_len,
    const struct dh *dh, uint16_t group)
{
	struct ike_pl *pl;
	const uint8_t *pub;
	size_t pub_len;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_NONCE, true, &pl)) != 0)
		return rc;
	pl->u.nonce.data = (struct ike_slice){ n, n_len };
	if (dh == NULL)
		return 0;
	pub = dh_public(dh, &pub_len);
	if ((rc = ike_msg_add(m, IKEV2_PL_KE, true, &pl)) != 0)
		return rc;
	pl->u.ke.group = group;
	pl->u.ke.data = (struct ike_slice){ pub, pub_len };
	return 0;
}

/* g^ir from the peer's KE in m, which must be of group. */
static int
shared_secret(const struct dh *dh, uint16_t group, const struct ike_msg *m,
    struct ike_key **gir)
{
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);

	if (ke == NULL || ke->u.ke.group != group)
		return IKE_EMALFORMED;
	return dh_compute(dh, ke->u.ke.data.p, ke->u.ke.data.len, gir);
}

/* Nonces come from the limits' source when there is one (a test
 * seam), else from the system's generator. */
int
ccsa_nonce(struct ike_engine *eng, uint8_t *buf, size_t len)
{
	if (eng->lim.nonce != NULL)
		return eng->lim.nonce(eng->lim.nonce_arg, buf, len);
	return crypto_rand_bytes(buf, len);
}

/* ------------------------------------------------------- collisions */

/* <0, 0, >0 as nonce a is lower than, equal to, higher than b; a
 * shorter one is lower when it is a prefix of the other. */
static int
nonce_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	int d = memcmp(a, b, a_len < b_len ? a_len : b_len);

	if (d != 0)
		return d;
	return a_len < b_len ? -1 : a_len > b_len;
}

static const uint8_t *
low_nonce(const struct child_sa *c, size_t *len)
{
	if (nonce_cmp(c->ni, c->ni_len, c->nr, c->nr_len) <= 0) {
		*len = c->ni_len;
		return c->ni;
	}
	*len = c->nr_len;
	return c->nr;
}

/* Of two Child SAs made by simultaneous rekeys, the one created with
 * the lowest of the four nonces (s. 2.8.1). */
static struct child_sa *
redundant(struct child_sa *x, struct child_sa *y)
{
	const uint8_t *nx, *ny;
	size_t lx, ly;

	nx = low_nonce(x, &lx);
	ny = low_nonce(y, &ly);
	return nonce_cmp(nx, lx, ny, ly) <= 0 ? x : y;
}

static struct child_sa *
sibling(const struct ike_sa *sa, const struct child_sa *fresh)
{
	struct child_sa *c;

	for (c = sa->children; c != NULL; c = c->next)
		if (c != fresh && c->replaces == fresh->replaces &&
		    c->state == CHILD_SA_INSTALLED && !c->doomed)
			return c;
	return NULL;
}

/* fresh replaced the Child SA with inbound SPI fresh->replaces, by our
 * request (initiated) or the peer's.  The initiator of a rekey deletes
 * the old one (s. 2.8); when both sides rekeyed it at once, the new SA
 * with the lowest nonce goes, deleted by the side that made it. */
static void
settle(struct ike_sa *sa, struct child_sa *fresh, bool initiated)
{
	struct child_sa *old = ike_sa_child_find(sa, fresh->replaces, true);
	struct child_sa *sib = sibling(sa, fresh), *loser;

	if (initiated && old != NULL && old->state == CHILD_SA_INSTALLED)
		old->doomed = true;
	if (sib == NULL)
		return;
	loser = redundant(fresh, sib);
	log_dbg(LOG_CHD, "SA %u: rekey collision: Child SA 0x%08x is "
	    "redundant", sa->handle, loser->spi_in);
	if (loser->ours)
		loser->doomed = true;
}

/* Whether a Child SA of a retiring sa still waits for its lifetime's
 * end: installed, not on its way out, with a lifetime. */
static bool
retire_waits(const struct ike_sa *sa)
{
	const struct child_sa *c;

	for (c = sa->children; c != NULL; c = c->next)
		if (c->state == CHILD_SA_INSTALLED && !c->doomed &&
		    (c->cfg.lifetime_s != 0 || c->cfg.lifetime_kb != 0))
			return true;
	return sa->pending != NULL || sa->create != NULL;
}

/* The last Child SA of a retiring IKE SA that had to end is gone: the
 * IKE SA goes too (s. 1.4.1), with those that never end. */
static void
retire_done(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	if (!sa->retiring || retire_waits(sa))
		return;
	log_dbg(LOG_IKE, "SA %u: retired: deleting it", sa->handle);
	if ((rc = info_delete_ike(eng, sa)) != 0) {
		log_dbg(LOG_IKE, "SA %u: Delete: %s", sa->handle,
		    ike_strerror(rc));
		xchg_kill(eng, sa, 0, "removed");
	}
}

/* The Delete to send now: first Child SAs already removed after a
 * kernel hard expiry, then those marked doomed.  Returns how many. */
static size_t
to_delete(struct ike_sa *sa, uint8_t *protos, uint32_t *spis)
{
	struct child_sa *c;
	size_t n, k = 0;

	for (n = 0; n < sa->ngone && n < IKE_SA_GONE_MAX; n++) {
		protos[n] = sa->gone[n].proto;
		spis[n] = sa->gone[n].spi_in;
	}
	for (c = sa->children; c != NULL && k < DEL_BATCH; c = c->next)
		if (c->doomed && c->state == CHILD_SA_INSTALLED) {
			protos[n + k] = c->proto;
			spis[n + k++] = c->spi_in;
		}
	return n + k;
}

void
ccsa_flush(struct ike_engine *eng, struct ike_sa *sa)
{
	uint8_t protos[IKE_SA_GONE_MAX + DEL_BATCH];
	uint32_t spis[IKE_SA_GONE_MAX + DEL_BATCH];
	size_t n;
	int rc;

	if (sa->state != IKE_SA_ESTABLISHED || sa->out.buf != NULL)
		return;
	if ((n = to_delete(sa, protos, spis)) == 0) {
		retire_done(eng, sa);
		return;
	}
	if (n > IKE_SA_GONE_MAX)
		n = IKE_SA_GONE_MAX;	/* the rest go with the next one */
	if ((rc = info_delete_spis(eng, sa, protos, spis, n)) != 0) {
		log_dbg(LOG_CHD, "SA %u: deleting Child SAs: %s",
		    sa->handle, ike_strerror(rc));
		return;
	}
	n = n < sa->ngone ? n : sa->ngone;
	memmove(sa->gone, sa->gone + n, (sa->ngone - n) *
	    sizeof(sa->gone[0]));
	sa->ngone -= n;
}

/* ------------------------------------------------------- initiator */

static void
abandon(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->pending != NULL) {
		child_uninstall(eng, sa, sa->pending);
		child_sa_free(sa->pending);
		sa->pending = NULL;
	}
	ike_sa_create_free(sa);
}

/* A rekey keeps the protocol (ESP or AH) of the Child SA it replaces:
 * the kernel policies the two share name it. */
static void
keep_proto(struct child_cfg *cc, uint8_t proto)
{
	size_t i, n = 0;

	for (i = 0; i < cc->nprops; i++)
		if (cc->props[i].proto == proto)
			cc->props[n++] = cc->props[i];
	cc->nprops = n;
}

/* A rekey keeps the old Child SA's reqid, which its kernel policies
 * name, and its protocol. */
static int
prepare(struct ike_engine *eng, struct ike_sa *sa, const struct child_cfg *cc,
    const struct child_sa *old)
{
	struct child_create *cr;
	int rc;

	if ((cr = calloc(1, sizeof(*cr))) == NULL)
		return IKE_ENOMEM;
	sa->create = cr;
	cr->cfg = *cc;
	if (old != NULL) {
		cr->rekey_spi = old->spi_in;
		cr->cfg.reqid = old->reqid;
		keep_proto(&cr->cfg, old->proto);
	}
	if ((rc = ccsa_nonce(eng, cr->ni, NONCE_LEN)) != 0)
		return rc;
	cr->ni_len = NONCE_LEN;
	if (cc->pfs_group != 0 &&
	    (rc = dh_new(cc->pfs_group, 0, &cr->dh)) != 0)
		return rc;
	return child_reserve(eng, sa, &cr->cfg, true, 0, &sa->pending);
}

static int
send_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct child_sa *old)
{
	const struct child_create *cr = sa->create;
	const struct child_cfg *cc = &cr->cfg;
	struct ike_msg *m;
	struct ike_pl *pl;
	int rc = 0;

	if ((m = ccsa_msg(sa, false)) == NULL)
		return IKE_ENOMEM;
	if (old != NULL && (rc = xchg_add_notify(m, true, IKEV2_N_REKEY_SA,
	    NULL, 0)) == 0) {
		pl = &m->pl[m->npl - 1];
		pl->u.notify.proto = old->proto;
		pl->u.notify.spi_size = IKEV2_SPI_SIZE_CHILD;
		pl->u.notify.spi = old->spi_in;
	}
	if (rc == 0)
		rc = child_put_props(m, cc, sa->pending, cc->pfs_group);
	if (rc == 0)
		rc = ccsa_add_nonce_ke(m, cr->ni, cr->ni_len, cr->dh,
		    cc->pfs_group);
	if (rc == 0)
		rc = child_put_ts(m, old ? &old->ts_local : &cc->local_ts,
		    old ? &old->ts_remote : &cc->remote_ts,
		    cc->mode == PLAT_TRANSPORT);
	if (rc == 0)
		rc = xchg_request(eng, sa, m, true);
	free(m);
	return rc;
}

int
ccsa_start(struct ike_engine *eng, struct ike_sa *sa,
    const struct child_cfg *cc, uint32_t rekey_spi)
{
	struct child_sa *old = NULL;
	int rc;

	if (sa->state != IKE_SA_ESTABLISHED || sa->retiring)
		return IKE_ESTATE;
	if (sa->out.buf != NULL || sa->pending != NULL || sa->create != NULL ||
	    sa->rekey_spi != 0)
		return IKE_EBUSY;
	if (rekey_spi != 0) {
		old = ike_sa_child_find(sa, rekey_spi, true);
		if (old == NULL || old->state != CHILD_SA_INSTALLED ||
		    old->rekeyed)
			return IKE_ENOTFOUND;
		cc = &old->cfg;
	} else if ((rc = child_cfg_check(cc)) != 0)
		return rc;
	if (cc->pfs_group != 0 && !dh_supported(cc->pfs_group))
		return IKE_EUNSUPP;
	if ((rc = prepare(eng, sa, cc, old)) == 0)
		rc = send_request(eng, sa, old);
	if (rc != 0) {
		abandon(eng, sa);
		return rc;
	}
	if (old != NULL)
		old->rekeyed = true;
	return 0;
}

/* Checks and keys the answer into c; a reason when that fails. */
static const char *
take_answer(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    const struct ike_msg *m)
{
	const struct child_create *cr = sa->create;
	const struct ike_pl *nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	struct child_keyin ki = { cr->ni, nr->u.nonce.data.p, NULL,
	    cr->ni_len, nr->u.nonce.data.len, 0 };
	struct ike_key *gir = NULL;
	const char *why = NULL;

	if (child_check_answer(&cr->cfg, m, cr->cfg.pfs_group, c) != 0 ||
	    (cr->dh != NULL && shared_secret(cr->dh, cr->cfg.pfs_group, m,
	    &gir) != 0)) {
		eng->st.rx_malformed++;
		return "Child SA answer unusable";
	}
	if (gir != NULL) {
		ki.gir = gir->data;
		ki.gir_len = gir->len;
		c->pfs = cr->cfg.pfs_group;
	}
	if (child_install(eng, sa, c, &ki) != 0)
		why = "Child SA installation failed";
	ike_key_free(gir);
	return why;
}

void
ccsa_response(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	struct child_sa *c = sa->pending, *old;
	uint32_t rekey_spi;
	uint16_t err = 0;
	const char *why;

	if (sa->rekey_spi != 0) {
		ike_rekey_response(eng, sa, m);
		return;
	}
	if (c == NULL || sa->create == NULL) {
		eng->st.rx_dropped++;
		return;
	}
	sa->pending = NULL;
	rekey_spi = sa->create->rekey_spi;
	if (ike_msg_find(m, IKEV2_PL_SA, NULL) == NULL) {
		err = child_error_notify(m);
		why = child_reason(err);
	} else
		why = take_answer(eng, sa, c, m);
	ike_sa_create_free(sa);
	if (why != NULL) {
		child_uninstall(eng, sa, c);
		xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, c, err, why);
		child_sa_free(c);
		if (rekey_spi != 0 &&
		    (old = ike_sa_child_find(sa, rekey_spi, true)) != NULL) {
			old->rekeyed = false;
			old->rekey_failed = true;
		}
		return;
	}
	c->replaces = rekey_spi;
	ike_sa_child_add(sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_UP, c, 0, NULL);
	if (rekey_spi != 0)
		settle(sa, c, true);
}

/* ------------------------------------------------------- responder */

int
ccsa_refuse(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *req, uint16_t err, uint16_t group)
{
	uint8_t g[2] = { (uint8_t)(group >> 8), (uint8_t)group };
	struct ike_msg *r;
	int rc;

	if ((r = ccsa_msg(sa, true)) == NULL)
		return IKE_ENOMEM;
	if ((rc = xchg_add_notify(r, true, err, group ? g : NULL,
	    group ? sizeof(g) : 0)) == 0)
		rc = xchg_respond(eng, sa, r, req->hdr.msgid, true);
	free(r);
	return rc;
}

/* Our half of the answer: nonce, D-H and the installed Child SA. */
struct answer {
	struct child_choice	 ch;
	uint8_t			 nr[NONCE_LEN];
	struct dh		*dh;		/* owned; PFS only */
	struct child_sa		*c;		/* owned until listed */
};

static uint16_t
accept_ke(struct answer *a, const struct ike_msg *req,
    struct child_keyin *ki, struct ike_key **gir)
{
	uint16_t group = a->ch.dh;
	const struct ike_pl *ke = ike_msg_find(req, IKEV2_PL_KE, NULL);

	if (group == 0)
		return 0;
	if (ke == NULL || ke->u.ke.group != group)
		return IKEV2_N_INVALID_KE_PAYLOAD;
	if (dh_new(group, 0, &a->dh) != 0 ||
	    dh_compute(a->dh, ke->u.ke.data.p, ke->u.ke.data.len, gir) != 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	ki->gir = (*gir)->data;
	ki->gir_len = (*gir)->len;
	return 0;
}

static uint16_t
accept_child(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *req, const struct child_sa *old, struct answer *a)
{
	const struct ike_pl *ni = ike_msg_find(req, IKEV2_PL_NONCE, NULL);
	struct child_keyin ki = { ni->u.nonce.data.p, a->nr, NULL,
	    ni->u.nonce.data.len, NONCE_LEN, 0 };
	struct ike_key *gir = NULL;
	struct child_cfg fixed;
	uint16_t err;

	if (old != NULL) {
		fixed = old->cfg;
		keep_proto(&fixed, old->proto);
	}
	if ((err = child_choose(eng, sa, req, old ? &fixed : NULL, true,
	    &a->ch)) != 0 || (err = accept_ke(a, req, &ki, &gir)) != 0)
		return err;
	if (old != NULL)
		a->ch.cfg.reqid = old->reqid;	/* its policies name it */
	if (ccsa_nonce(eng, a->nr, NONCE_LEN) != 0)
		err = IKEV2_N_NO_ADDITIONAL_SAS;
	else
		err = child_make(eng, sa, &a->ch, &ki, &a->c);
	ike_key_free(gir);
	return err;
}

static int
send_answer(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *req, const struct answer *a)
{
	const struct child_sa *c = a->c;
	struct ike_msg *r;
	int rc;

	if ((r = ccsa_msg(sa, true)) == NULL)
		return IKE_ENOMEM;
	if ((rc = child_put_choice(r, &a->ch, c, a->ch.dh)) == 0)
		rc = ccsa_add_nonce_ke(r, a->nr, NONCE_LEN, a->dh, a->ch.dh);
	if (rc == 0)
		rc = child_put_ts(r, &c->ts_remote, &c->ts_local,
		    c->mode == PLAT_TRANSPORT);
	if (rc == 0)
		rc = xchg_respond(eng, sa, r, req->hdr.msgid, true);
	free(r);
	return rc;
}

/* The Child SA the peer's N(REKEY_SA) names by its protocol and its
 * inbound SPI (our outbound); NULL when there is none, or going. */
static struct child_sa *
rekeyed_child(struct ike_sa *sa, const struct ike_pl *n)
{
	struct child_sa *c;

	if (n->u.notify.spi_size != IKEV2_SPI_SIZE_CHILD ||
	    (c = ike_sa_child_find(sa, (uint32_t)n->u.notify.spi,
	    false)) == NULL || c->proto != n->u.notify.proto ||
	    c->state != CHILD_SA_INSTALLED)
		return NULL;
	return c;
}

static void
child_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *req, struct child_sa *old)
{
	struct answer *a;
	uint16_t err;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return;
	if ((err = accept_child(eng, sa, req, old, a)) != 0) {
		log_dbg(LOG_CHD, "SA %u: CREATE_CHILD_SA refused: notify %u",
		    sa->handle, err);
		xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, NULL, err,
		    child_reason(err));
		(void)ccsa_refuse(eng, sa, req, err, err ==
		    IKEV2_N_INVALID_KE_PAYLOAD ? a->ch.dh : 0);
	} else {
		a->c->replaces = old ? old->spi_in : 0;
		ike_sa_child_add(sa, a->c);
		if (old != NULL)
			old->rekeyed = true;
		(void)send_answer(eng, sa, req, a);	/* logged */
		xchg_event(eng, sa, ENGINE_EV_CHILD_UP, a->c, 0, NULL);
		if (old != NULL)
			settle(sa, a->c, false);
	}
	dh_free(a->dh);
	secmem_wipe(a, sizeof(*a));
	free(a);
}

void
ccsa_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	const struct ike_pl *pl = ike_msg_find(m, IKEV2_PL_SA, NULL);
	const struct ike_pl *n = ike_msg_notify(m, IKEV2_N_REKEY_SA);
	struct child_sa *old = NULL;

	if (pl != NULL && pl->u.sa.nprop > 0 &&
	    m->prop[pl->u.sa.prop0].proto == IKEV2_PROTO_IKE) {
		ike_rekey_request(eng, sa, m);
		return;
	}
	/* A retiring IKE SA (engine_retire_ike()) keeps its Child SAs only
	 * until their lifetimes end: a rekey would extend one, a new one
	 * would outlive the plan.  NO_ADDITIONAL_SAS is the refusal s.
	 * 1.3.1 and 3.10.1 give for "no more Child SAs on this IKE SA",
	 * and it leaves the IKE SA (and the peer's Deletes) working. */
	if (sa->retiring) {
		log_dbg(LOG_CHD, "SA %u: retiring: CREATE_CHILD_SA refused",
		    sa->handle);
		(void)ccsa_refuse(eng, sa, m, IKEV2_N_NO_ADDITIONAL_SAS, 0);
		return;
	}
	if (n != NULL && (old = rekeyed_child(sa, n)) == NULL) {
		(void)ccsa_refuse(eng, sa, m, IKEV2_N_CHILD_SA_NOT_FOUND, 0);
		return;
	}
	child_request(eng, sa, m, old);
}

/* ------------------------------------------------------------ time */

/* When c is due for rekeying (UINT64_MAX: never): at its soft time
 * lifetime, or at once after the kernel's soft expiry. */
uint64_t
ccsa_soft_at(const struct ike_sa *sa, const struct child_sa *c)
{
	if (sa->retiring || c->rekeyed || c->rekey_failed || c->doomed ||
	    c->state != CHILD_SA_INSTALLED)
		return UINT64_MAX;
	if (c->rekey_due)
		return c->up_ms;
	if (c->cfg.lifetime_s == 0)
		return UINT64_MAX;
	return c->up_ms + cfg_rekey_ms(c->cfg.lifetime_s,
	    c->cfg.rekey_margin_s, c->ours);
}

/* The hard lifetime: the Child SA is deleted then. */
uint64_t
ccsa_hard_at(const struct child_sa *c)
{
	if (c->cfg.lifetime_s == 0 || c->state != CHILD_SA_INSTALLED)
		return UINT64_MAX;
	return c->up_ms + c->cfg.lifetime_s * 1000;
}

uint64_t
ccsa_next_at(const struct ike_sa *sa, const struct child_sa *c)
{
	uint64_t soft = ccsa_soft_at(sa, c), hard = ccsa_hard_at(c);

	return soft < hard ? soft : hard;
}

int
ccsa_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	struct child_sa *c;
	int rc;

	for (c = sa->children; c != NULL; c = c->next)
		if (ccsa_hard_at(c) <= eng->now_ms && !c->doomed) {
			c->doomed = true;
			c->down_reason = "lifetime expired";
		}
	ccsa_flush(eng, sa);
	if (sa->out.buf != NULL || sa->pending != NULL)
		return sa->out.buf != NULL;
	for (c = sa->children; c != NULL; c = c->next) {
		if (ccsa_soft_at(sa, c) > eng->now_ms)
			continue;
		log_dbg(LOG_CHD, "SA %u: Child SA 0x%08x: soft lifetime",
		    sa->handle, c->spi_in);
		if ((rc = ccsa_start(eng, sa, NULL, c->spi_in)) == 0)
			return 1;
		c->rekey_failed = true;
		log_dbg(LOG_CHD, "SA %u: rekey: %s", sa->handle,
		    ike_strerror(rc));
	}
	return 0;
}

uint64_t
ccsa_deadline(const struct ike_sa *sa)
{
	const struct child_sa *c;
	uint64_t t = UINT64_MAX, x;

	for (c = sa->children; c != NULL; c = c->next) {
		x = c->doomed && c->state == CHILD_SA_INSTALLED ? 0 :
		    ccsa_next_at(sa, c);
		if (x < t)
			t = x;
	}
	if (sa->ngone != 0 || (sa->retiring && !retire_waits(sa)))
		return 0;	/* a Delete to send */
	return t;
}

/* ------------------------------------------------- kernel and retire */

/* The kernel removed one of c's SAs (hard expiry): the Child SA cannot
 * carry traffic any more, so it goes at once; the peer hears of it by a
 * Delete as soon as the window is free. */
static void
hard_expired(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c)
{
	bool tell = c->state == CHILD_SA_INSTALLED;	/* not yet told */

	if (tell && sa->ngone < IKE_SA_GONE_MAX) {
		sa->gone[sa->ngone].proto = c->proto;
		sa->gone[sa->ngone++].spi_in = c->spi_in;
	} else if (tell)
		log_dbg(LOG_CHD, "SA %u: too many Deletes queued: the peer "
		    "is not told of Child SA 0x%08x", sa->handle, c->spi_in);
	ike_sa_child_unlink(sa, c);
	child_uninstall(eng, sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_DOWN, c, 0, "lifetime expired");
	child_sa_free(c);
}

void
ccsa_expired(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    bool hard)
{
	log_dbg(LOG_CHD, "SA %u: Child SA 0x%08x: kernel %s expiry",
	    sa->handle, c->spi_in, hard ? "hard" : "soft");
	if (hard)
		hard_expired(eng, sa, c);
	else if (!sa->retiring)
		c->rekey_due = true;	/* ccsa_soft_at() says whether it may */
	if (sa->state == IKE_SA_ESTABLISHED && sa->out.buf == NULL)
		(void)ccsa_tick(eng, sa);	/* 1: a request went out */
}

int
ccsa_retire(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->state != IKE_SA_ESTABLISHED || sa->superseded)
		return IKE_ESTATE;
	if (!sa->retiring)
		log_info(LOG_IKE, "SA %u: retiring: no more rekeys, deleted "
		    "when its Child SAs' lifetimes end", sa->handle);
	sa->retiring = true;
	if (sa->out.buf == NULL)
		ccsa_flush(eng, sa);	/* nothing to wait for: goes now */
	return 0;
}
