/* core/exchange/rekey.c: rekeying the IKE SA (RFC 7296 s. 1.3.2, 2.8,
 * 2.8.2, 2.18), on the old IKE SA:
 *
 *   HDR, SK {SA(IKE, new SPIi), Ni, KEi}  -->
 *                         <--  HDR, SK {SA(IKE, new SPIr), Nr, KEr}
 *   HDR, SK {D(IKE)}  -->                 (the initiator, on the old SA)
 *                         <--  HDR, SK {}
 *
 *   SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr)
 * with the old SA's PRF, then SK_* from the new SA's PRF over Ni | Nr |
 * SPIi | SPIr as in s. 2.14.  The new IKE SA takes the Child SAs and the
 * engine handle of the old one (no event: for the user nothing changed
 * but the SPIs); the old one is superseded and ends without events.
 *
 * When both ends rekey at once and each answered the other before its
 * own answer came, each has two new IKE SAs: the one created with the
 * lowest of the four nonces is redundant and deleted by the side that
 * initiated it; the side that initiated the survivor deletes the old
 * one (s. 2.8.1, 2.8.2).  A rekey request on an SA we are deleting or
 * have replaced already gets TEMPORARY_FAILURE (s. 2.25). */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/dh.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "core/log.h"

#define NONCE_LEN	32

/* A new IKE SA beside old, with its configuration and addresses. */
static int
sibling_sa(struct ike_engine *eng, const struct ike_sa *old, bool initiator,
    enum ike_sa_state st, struct ike_sa **out)
{
	struct ike_sa *n;
	int rc;

	if ((rc = ike_sa_new(initiator, st, &n)) != 0)
		return rc;
	n->cfg = old->cfg;
	n->ccfg = old->ccfg;
	n->have_ccfg = old->have_ccfg;
	n->local = old->local;
	n->remote = old->remote;
	n->natd_seen = old->natd_seen;
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->dh_group = old->dh_group;
	/* who the peer proved to be stays: the rekey is authenticated by
	 * the old SA (s. 2.18) */
	n->peer_hashes = old->peer_hashes;
	n->peer_auth = old->peer_auth;
	memcpy(n->peer_subject, old->peer_subject, sizeof(n->peer_subject));
	n->handle = ++eng->next_handle;
	n->created_ms = eng->now_ms;
	n->superseded = true;	/* silent until it takes over */
	*out = n;
	return 0;
}

/* SKEYSEED of s. 2.18 from n's nonces and g^ir, and n's keys. */
static int
rekey_keys(const struct ike_sa *old, struct ike_sa *n, const uint8_t *ke,
    size_t ke_len)
{
	struct ike_key *gir = NULL, *seed = NULL;
	int rc;

	rc = dh_compute(n->dh, ke, ke_len, &gir);
	if (rc == 0)
		rc = kdf_skeyseed_rekey(old->prf, 0, old->keys.sk_d, gir->data,
		    gir->len, n->ni, n->ni_len, n->nr, n->nr_len, &seed);
	if (rc == 0)
		rc = sa_init_keys(n, seed);
	ike_key_free(gir);
	ike_key_free(seed);
	return rc;
}

static void
discard(struct ike_engine *eng, struct ike_sa *n)
{
	(void)eng;
	n->superseded = true;
	n->state = IKE_SA_DEAD;		/* reaped by the engine */
}

/* ------------------------------------------------------ succession */

void
ike_rekey_hand_over(struct ike_sa *from, struct ike_sa *to)
{
	struct child_sa **tail = &to->children;
	uint32_t h = to->handle;

	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = from->children;
	from->children = NULL;
	while (from->ngone > 0 && to->ngone < IKE_SA_GONE_MAX)	/* Deletes */
		to->gone[to->ngone++] = from->gone[--from->ngone];
	to->handle = from->handle;
	from->handle = h;
	from->superseded = true;
	to->superseded = false;
}

static const uint8_t *
low_nonce(const struct ike_sa *sa, size_t *len)
{
	size_t n = sa->ni_len < sa->nr_len ? sa->ni_len : sa->nr_len;
	int d = memcmp(sa->ni, sa->nr, n);

	if (d < 0 || (d == 0 && sa->ni_len <= sa->nr_len)) {
		*len = sa->ni_len;
		return sa->ni;
	}
	*len = sa->nr_len;
	return sa->nr;
}

/* Whether x was created with a lower nonce than y (s. 2.8.1). */
static bool
lower(const struct ike_sa *x, const struct ike_sa *y)
{
	const uint8_t *nx, *ny;
	size_t lx, ly;
	int d;

	nx = low_nonce(x, &lx);
	ny = low_nonce(y, &ly);
	d = memcmp(nx, ny, lx < ly ? lx : ly);
	return d < 0 || (d == 0 && lx <= ly);
}

static void
delete_sa(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	if ((rc = info_delete_ike(eng, sa)) != 0) {
		log_dbg(LOG_IKE, "SA %u: Delete of a replaced IKE SA: %s",
		    sa->handle, ike_strerror(rc));
		xchg_kill(eng, sa, 0, "replaced");
	}
}

/* n, made by a rekey of old (initiated by us or not), is established. */
static void
settle(struct ike_engine *eng, struct ike_sa *old, struct ike_sa *n,
    bool initiated)
{
	struct ike_sa *prev = old->successor_spi == 0 ? NULL :
	    sa_table_find(eng->sas, old->successor_spi);
	struct ike_sa *win = n, *lose = NULL;

	n->state = IKE_SA_ESTABLISHED;
	n->up_ms = eng->now_ms;
	if (prev != NULL && prev->state == IKE_SA_ESTABLISHED) {
		lose = lower(prev, n) ? prev : n;
		win = lose == n ? prev : n;
		log_dbg(LOG_IKE, "SA %u: IKE rekey collision", old->handle);
	}
	if (win == n) {
		ike_rekey_hand_over(prev != NULL && lose == prev ? prev : old,
		    n);
		log_info(LOG_IKE, "SA %u: IKE SA rekeyed (%s): SPIs now "
		    "%016llx %016llx", n->handle, initiated ? "by us" :
		    "by the peer", (unsigned long long)n->spi_i,
		    (unsigned long long)n->spi_r);
	} else
		n->superseded = true;
	if (old->retiring)	/* the peer rekeyed it: still retiring */
		win->retiring = true;
	old->superseded = true;
	old->successor_spi = ike_sa_local_spi(win);
	if (lose != NULL && lose->initiator)
		delete_sa(eng, lose);	/* we made the redundant one */
	if (win == n && initiated && old->state == IKE_SA_ESTABLISHED)
		delete_sa(eng, old);	/* we made the survivor */
}

/* ------------------------------------------------------- initiator */

static int
send_request(struct ike_engine *eng, struct ike_sa *old, struct ike_sa *n)
{
	struct ike_msg *m;
	int rc;

	if ((m = ccsa_msg(old, false)) == NULL)
		return IKE_ENOMEM;
	rc = sa_init_add_proposals(m, &old->cfg, true, n->spi_i);
	if (rc == 0)
		rc = ccsa_add_nonce_ke(m, n->ni, n->ni_len, n->dh,
		    n->dh_group);
	if (rc == 0)
		rc = xchg_request(eng, old, m, true);
	free(m);
	return rc;
}

/* Our request with a KEi of group. */
static int
start_with(struct ike_engine *eng, struct ike_sa *old, uint16_t group)
{
	struct ike_sa *n;
	int rc;

	if ((rc = sibling_sa(eng, old, true, IKE_SA_INIT_SENT, &n)) != 0)
		return rc;
	n->dh_group = group;
	n->ni_len = NONCE_LEN;
	if ((rc = ccsa_nonce(eng, n->ni, NONCE_LEN)) != 0 ||
	    (rc = dh_new(n->dh_group, 0, &n->dh)) != 0 ||
	    (rc = sa_table_add(eng->sas, n)) != 0) {
		ike_sa_free(n);
		return rc;
	}
	if ((rc = send_request(eng, old, n)) != 0) {
		discard(eng, n);
		return rc;
	}
	old->rekey_spi = n->spi_i;
	return 0;
}

int
ike_rekey_start(struct ike_engine *eng, struct ike_sa *old)
{
	if (old->state != IKE_SA_ESTABLISHED || old->superseded ||
	    old->retiring)
		return IKE_ESTATE;	/* retiring: engine_retire_ike() */
	if (old->out.buf != NULL || old->pending != NULL ||
	    old->create != NULL || old->rekey_spi != 0)
		return IKE_EBUSY;
	return start_with(eng, old, old->dh_group);
}

/* N(INVALID_KE_PAYLOAD) naming another group of our configuration
 * after a first try with the old SA's group: one more try with it
 * (s. 1.3.2).  1 when the new request went out. */
static int
retry_group(struct ike_engine *eng, struct ike_sa *old,
    const struct ike_sa *n, const struct ike_msg *m)
{
	const struct ike_pl *pl = ike_msg_notify(m,
	    IKEV2_N_INVALID_KE_PAYLOAD);
	uint16_t g;
	size_t i;

	if (pl == NULL || pl->u.notify.data.len != 2 ||
	    n->dh_group != old->dh_group)
		return 0;
	g = (uint16_t)(pl->u.notify.data.p[0] << 8 | pl->u.notify.data.p[1]);
	for (i = 0; i < old->cfg.ndh && old->cfg.dh[i] != g; i++)
		;
	if (i == old->cfg.ndh || g == n->dh_group)
		return 0;
	log_dbg(LOG_IKE, "SA %u: peer wants D-H group %u for the rekey",
	    old->handle, g);
	return start_with(eng, old, g) == 0;
}

void
ike_rekey_abandon(struct ike_engine *eng, struct ike_sa *old)
{
	struct ike_sa *n;

	if (old->rekey_spi != 0 &&
	    (n = sa_table_find(eng->sas, old->rekey_spi)) != NULL &&
	    n->state == IKE_SA_INIT_SENT)
		discard(eng, n);
	old->rekey_spi = 0;
}

/* Checks and keys the answer into n; a reason when that fails. */
static const char *
take_answer(struct ike_engine *eng, struct ike_sa *old, struct ike_sa *n,
    const struct ike_msg *m)
{
	const struct ike_pl *sa = ike_msg_find(m, IKEV2_PL_SA, NULL);
	const struct ike_pl *nr = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	const struct ike_prop *p;

	if (sa == NULL)
		return child_error_notify(m) == IKEV2_N_TEMPORARY_FAILURE ?
		    "peer busy" : "IKE SA rekey refused by peer";
	p = sa->u.sa.nprop == 1 ? &m->prop[sa->u.sa.prop0] : NULL;
	if (ke == NULL || nr == NULL || p == NULL || p->spi_size != 8 ||
	    p->spi == 0 || sa_init_accept_answer(n, m) != 0) {
		eng->st.rx_malformed++;
		return "IKE SA rekey answer unusable";
	}
	n->spi_r = p->spi;
	memcpy(n->nr, nr->u.nonce.data.p, nr->u.nonce.data.len);
	n->nr_len = nr->u.nonce.data.len;
	if (rekey_keys(old, n, ke->u.ke.data.p, ke->u.ke.data.len) != 0)
		return "IKE SA rekey key derivation failed";
	dh_free(n->dh);
	n->dh = NULL;
	return NULL;
}

void
ike_rekey_response(struct ike_engine *eng, struct ike_sa *old,
    const struct ike_msg *m)
{
	struct ike_sa *n = sa_table_find(eng->sas, old->rekey_spi);
	const char *why;

	old->rekey_spi = 0;
	if (n == NULL || n->state != IKE_SA_INIT_SENT) {
		eng->st.rx_dropped++;
		return;
	}
	if ((why = take_answer(eng, old, n, m)) != NULL) {
		discard(eng, n);
		if (retry_group(eng, old, n, m))
			return;
		log_info(LOG_IKE, "SA %u: IKE SA rekey failed: %s",
		    old->handle, why);
		old->rekey_failed = true;
		return;
	}
	settle(eng, old, n, true);
}

/* ------------------------------------------------------- responder */

/* Our half of the new SA from the request; the IKEV2_N_* to refuse
 * with, or 0.  n joins the table. */
static uint16_t
accept_rekey(struct ike_engine *eng, struct ike_sa *old, struct ike_sa *n,
    const struct ike_msg *m, uint8_t *num)
{
	const struct ike_pl *ni = ike_msg_find(m, IKEV2_PL_NONCE, NULL);
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	uint16_t err;
	uint64_t spi;

	if ((err = sa_init_pick(m, &old->cfg, ke->u.ke.group, n, num,
	    &spi)) != 0)
		return err;
	if (spi == 0)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	n->spi_i = spi;
	memcpy(n->ni, ni->u.nonce.data.p, ni->u.nonce.data.len);
	n->ni_len = ni->u.nonce.data.len;
	n->nr_len = NONCE_LEN;
	if (ccsa_nonce(eng, n->nr, NONCE_LEN) != 0 ||
	    dh_new(n->dh_group, 0, &n->dh) != 0 ||
	    sa_table_add(eng->sas, n) != 0)
		return IKEV2_N_NO_ADDITIONAL_SAS;
	if (rekey_keys(old, n, ke->u.ke.data.p, ke->u.ke.data.len) != 0) {
		sa_table_remove(eng->sas, n);
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	}
	return 0;
}

static int
send_answer(struct ike_engine *eng, struct ike_sa *old,
    const struct ike_sa *n, const struct ike_msg *req, uint8_t num)
{
	struct ike_msg *r;
	int rc;

	if ((r = ccsa_msg(old, true)) == NULL)
		return IKE_ENOMEM;
	rc = sa_init_add_choice(r, n, num, true, n->spi_r);
	if (rc == 0)
		rc = ccsa_add_nonce_ke(r, n->nr, n->nr_len, n->dh,
		    n->dh_group);
	if (rc == 0)
		rc = xchg_respond(eng, old, r, req->hdr.msgid, true);
	free(r);
	return rc;
}

void
ike_rekey_request(struct ike_engine *eng, struct ike_sa *old,
    const struct ike_msg *m)
{
	struct ike_sa *n;
	uint16_t err;
	uint8_t num = 0;

	if (old->state != IKE_SA_ESTABLISHED || old->superseded) {
		(void)ccsa_refuse(eng, old, m, IKEV2_N_TEMPORARY_FAILURE, 0);
		return;
	}
	if (ike_msg_find(m, IKEV2_PL_KE, NULL) == NULL) {
		eng->st.rx_malformed++;
		(void)ccsa_refuse(eng, old, m, IKEV2_N_INVALID_SYNTAX, 0);
		return;
	}
	if (sibling_sa(eng, old, false, IKE_SA_AUTH_SENT, &n) != 0)
		return;
	if ((err = accept_rekey(eng, old, n, m, &num)) != 0) {
		log_dbg(LOG_IKE, "SA %u: IKE SA rekey refused: notify %u",
		    old->handle, err);
		(void)ccsa_refuse(eng, old, m, err, err ==
		    IKEV2_N_INVALID_KE_PAYLOAD ? n->dh_group : 0);
		if (sa_table_find(eng->sas, ike_sa_local_spi(n)) == n)
			discard(eng, n);
		else
			ike_sa_free(n);
		return;
	}
	if (send_answer(eng, old, n, m, num) != 0) {
		discard(eng, n);
		return;
	}
	dh_free(n->dh);
	n->dh = NULL;
	settle(eng, old, n, false);
}

/* ------------------------------------------------------------ time */

uint64_t
ike_rekey_at(const struct ike_sa *sa)
{
	if (sa->cfg.lifetime_s == 0 || sa->superseded || sa->rekey_failed ||
	    sa->retiring || sa->state != IKE_SA_ESTABLISHED)
		return UINT64_MAX;
	return sa->up_ms + cfg_rekey_ms(sa->cfg.lifetime_s,
	    sa->cfg.rekey_margin_s, sa->initiator);
}
