/* core/exchange1/v1_qm.c: Quick Mode (RFC 2409 s. 5.5).
 *
 *   1  HDR*, HASH(1), SA, Ni [, KE] [, IDci, IDcr]                  -->
 *   2  <--  HDR*, HASH(2), SA, Nr [, KE] [, IDci, IDcr]
 *                                      [, N(RESPONDER-LIFETIME)]
 *   3  HDR*, HASH(3)                                                -->
 *   4  <--  HDR*, HASH(1), N(CONNECTED)     (commit bit in message 1)
 *
 * Each Quick Mode has its Message ID, its CBC chain from the M-ID IV
 * (RFC 2409 App. B) and its record (struct v1_ph2), so several run at
 * once under one ISAKMP SA.  KE is there with PFS (the Group
 * Description of the proposal), and
 *   KEYMAT = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b)...
 * is made per direction with the SPI of the receiving side: our inbound
 * SPI for the inbound SA, the peer's for the outbound one.  The
 * initiator installs after sending HASH(3), the responder when HASH(3)
 * arrives and checks.  A duplicate of the peer's last message is
 * answered with our last one (the record is kept V1_PH2_KEEP_MS after
 * the exchange ends; nothing answers a HASH(3) but CONNECTED).  A
 * message that does not open or whose HASH fails is counted
 * (rx_malformed) and changes nothing.  A refusal goes to the initiator
 * as an Informational notification naming its proposal's SPI.
 *
 * A rekey is a new Quick Mode for the old IPsec SA's configuration and
 * selectors; once the new one is up, its initiator deletes the old one
 * (Informational Delete).  IKEv1 does not mark a rekey: the responder
 * takes a new IPsec SA with the selectors and protocol of an installed
 * one as its successor (same reqid, so the kernel policies stay).  The
 * lifetime agreed is the shorter of the initiator's and the
 * responder's: a responder with a shorter one says so in
 * RESPONDER-LIFETIME (RFC 2407 s. 4.6.3.1), and the initiator adopts
 * it; an answer never lengthens what the initiator proposed.  A
 * transform without a lifetime in seconds means the RFC 2407 s. 4.5
 * default, 28800 s (v1_child_attrs()), on both sides.
 *
 * The commit bit (RFC 2408 s. 3.1, RFC 2409 s. 5.5): when the
 * initiator's message 1 has it, the responder sets it in message 2 as
 * well and sends CONNECTED after HASH(3); when message 2 has it, the
 * initiator installs only when CONNECTED comes, as Quick Mode message 4
 * or in an Informational exchange (HASH(3) is resent until then, and
 * answered with CONNECTED again).
 *
 * Replays: the Message ID of every Quick Mode is remembered on the
 * ISAKMP SA (v1_msgid_seen(), the last V1_SEEN_MAX): a message 1 that
 * comes again after its record was dropped is counted (rx_dropped) and
 * reserves nothing.
 *
 * An ISAKMP SA replaced by a phase-1 rekey (superseded, v1_succeed())
 * starts no Quick Mode of ours.  Ours under way on it fail (CHILD_FAILED
 * "ISAKMP SA replaced by a rekey", reported with the handle, which has
 * moved to the successor; a rekey of an IPsec SA is started again
 * there).  The peer's go on: IKEv1 lets a peer keep several ISAKMP SAs
 * with us (several phase 1s at once, or the old one used for a while
 * after a rekey it has not deleted), so as long as the replaced SA is
 * established (not deleted, not expired) it answers the peer's new
 * Quick Modes as before, and every IPsec SA made over it joins the SA
 * at the end of the chain of successors (v1_qm_home()), which holds the
 * handle: its keys come from the replaced SA, its kernel policies and
 * its predecessor (a rekey) are the successor's.  A new Quick Mode on
 * a replaced SA whose successors are gone is dropped, counted
 * (rx_dropped) and logged.  If the replaced SA is deleted while the
 * peer's Quick Mode waits for HASH(3), that fails, and a Delete of our
 * SPI over the successor removes it from the peer if it installed it
 * already. */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/codec/ikev1_rules.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

#define QM_NONCE_LEN	32

/* ---------------------------------------------------------- helpers */

/* A phase-2 message on sa with an empty HASH payload first; free(). */
static struct v1_msg *
new_msg(const struct ike_sa *sa, uint8_t exchange, uint32_t msgid)
{
	struct v1_msg *m;
	struct v1_hdr h;
	struct v1_pl *pl;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	v1_hdr_for(sa, exchange, msgid, &h);
	v1_msg_init(m, &h);
	if (v1_msg_add(m, IKEV1_PL_HASH, &pl) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

static int
add_data(struct v1_msg *m, uint8_t type, const uint8_t *p, size_t len)
{
	struct v1_pl *pl;
	int rc;

	if ((rc = v1_msg_add(m, type, &pl)) == 0)
		pl->u.data = (struct ike_slice){ p, len };
	return rc;
}

/* Seals m (HASH of kind) on p's chain and sends it as p's message. */
static int
send_msg(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    struct v1_msg *m, enum v1_hash_kind kind, bool expect)
{
	struct wr w;
	int rc;

	wr_init(&w, 65535);
	rc = v1_seal_hashed(sa, m, kind, p->ni, p->ni_len, p->nr, p->nr_len,
	    p->iv, &w);
	if (rc == 0)
		rc = v1_send_ph2(eng, sa, p, w.buf, w.len, expect);
	wr_free(&w);
	if (rc != 0)
		log_err(LOG_IKE, "SA %u: Quick Mode %08x: %s", sa->handle,
		    p->msgid, ike_strerror(rc));
	return rc;
}

/* KEYMAT for both directions of c (RFC 2409 s. 5.5) from sa, the
 * ISAKMP SA p ran on, and the kernel, for home (sa, or the successor
 * that will hold c: its policies stay when c replaces one of its). */
static int
install(struct ike_engine *eng, struct ike_sa *sa, struct ike_sa *home,
    struct v1_ph2 *p, struct child_sa *c)
{
	struct ikev1_qm_in in = { p->gqm ? p->gqm->data : NULL,
	    p->gqm ? p->gqm->len : 0, c->proto, c->spi_in, p->ni, p->nr,
	    p->ni_len, p->nr_len };
	struct ikev1_sa_keys kin, kout;
	struct cipher_info ci = { 0 };
	struct integ_info ii = { 0 };
	int rc;

	if ((rc = integ_info(c->integ, &ii)) != 0 ||
	    (c->proto == IKEV1_PROTO_ESP &&
	    (rc = cipher_info(c->encr, c->key_bits, &ci)) != 0))
		return rc;
	if ((rc = ikev1_sa_keys(sa->prf, V1_CRYPTO_FLAGS, sa->v1->k.d, &in,
	    ci.key_len, ii.key_len, &kin)) != 0)
		return rc;
	in.spi = c->spi_out;
	if ((rc = ikev1_sa_keys(sa->prf, V1_CRYPTO_FLAGS, sa->v1->k.d, &in,
	    ci.key_len, ii.key_len, &kout)) == 0) {
		rc = child_install_keys(eng, home, c, kin.enc, kin.auth,
		    kout.enc, kout.auth);
		ikev1_sa_keys_free(&kout);
	}
	ikev1_sa_keys_free(&kin);
	if (rc == 0)
		child_keep_nonces(c, p->ni, p->ni_len, p->nr, p->nr_len);
	return rc;
}

/* The old IPsec SA a rekey replaced is deleted (by the rekey's
 * initiator) once the new one is up. */
static void
retire_old(struct ike_engine *eng, struct ike_sa *sa, uint32_t spi_in)
{
	struct child_sa *old = ike_sa_child_find(sa, spi_in, true);
	int rc;

	if (old == NULL || old->state != CHILD_SA_INSTALLED)
		return;
	if ((rc = v1_info_delete_child(eng, sa, spi_in)) != 0) {
		log_dbg(LOG_CHD, "SA %u: deleting rekeyed 0x%08x: %s",
		    sa->handle, spi_in, ike_strerror(rc));
		v1_qm_remove(eng, sa, old, "deleted");
	}
}

/* Releases p's kernel state and frees it. */
static void
ph2_end(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	v1_ph2_drop(eng, sa, p);
	v1_ph2_free(sa->v1, p);
}

/* Initiator: the Quick Mode failed; the record goes. */
static void
qm_fail(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    uint16_t notify, const char *why)
{
	log_dbg(LOG_CHD, "SA %u: Quick Mode %08x failed: %s", sa->handle,
	    p->msgid, why);
	xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, p->child, notify, why);
	ph2_end(eng, sa, p);
}

int
v1_qm_refused(struct ike_engine *eng, struct ike_sa *sa, uint8_t proto,
    uint32_t spi, uint16_t notify)
{
	struct v1_ph2 *p;

	for (p = sa->v1->ph2; p != NULL; p = p->next)
		if (p->exchange == IKEV1_EXCH_QUICK && p->initiator &&
		    p->child != NULL && spi != 0 &&
		    ((p->child->proto == proto && p->child->spi_in == spi) ||
		    p->child->spi_alt == spi)) {
			qm_fail(eng, sa, p, notify, v1_notify_name(notify));
			return 0;
		}
	return IKE_ENOTFOUND;
}

/* ------------------------------------------------------- initiator */

/* A rekey keeps the protocol (ESP or AH) of the IPsec SA it replaces:
 * the kernel policies the two share name it; and its reqid. */
static void
keep_proto(struct child_cfg *cc, const struct child_sa *old)
{
	size_t i, n = 0;

	for (i = 0; i < cc->nprops; i++)
		if (cc->props[i].proto == old->proto)
			cc->props[n++] = cc->props[i];
	cc->nprops = n;
	cc->reqid = old->reqid;
}

static int
prepare(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct child_sa *old)
{
	int rc;

	if (old != NULL) {
		p->rekey_spi = old->spi_in;
		keep_proto(&p->cfg, old);
	}
	if ((rc = v1_crypt_msgid_iv(sa, p->msgid, p->iv)) != 0 ||
	    (rc = ccsa_nonce(eng, p->ni, QM_NONCE_LEN)) != 0)
		return rc;
	p->ni_len = QM_NONCE_LEN;
	if (p->cfg.pfs_group != 0 && (rc = dh_new(p->cfg.pfs_group,
	    V1_CRYPTO_FLAGS, &p->dh)) != 0)
		return rc;
	if ((rc = child_reserve(eng, sa, &p->cfg, true, 0, &p->child)) != 0)
		return rc;
	p->child->ts_local = old ? old->ts_local : p->cfg.local_ts;
	p->child->ts_remote = old ? old->ts_remote : p->cfg.remote_ts;
	/* one IP protocol for both, as the responder will read them */
	if (p->child->ts_local.proto == 0)
		p->child->ts_local.proto = p->child->ts_remote.proto;
	if (p->child->ts_remote.proto == 0)
		p->child->ts_remote.proto = p->child->ts_local.proto;
	return p->child->ts_local.proto == p->child->ts_remote.proto ? 0 :
	    IKE_EINVAL;
}

static int
add_ke(struct v1_msg *m, const struct dh *dh)
{
	const uint8_t *pub;
	size_t len;

	if (dh == NULL)
		return 0;
	pub = dh_public(dh, &len);
	return add_data(m, IKEV1_PL_KE, pub, len);
}

static int
send_first(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	struct v1_qm_store st;
	struct v1_msg *m;
	int rc;

	if ((m = new_msg(sa, IKEV1_EXCH_QUICK, p->msgid)) == NULL)
		return IKE_ENOMEM;
	rc = v1_child_put_props(m, &p->cfg, p->child, natt_active(sa), &st);
	if (rc == 0)
		rc = add_data(m, IKEV1_PL_NONCE, p->ni, p->ni_len);
	if (rc == 0)
		rc = add_ke(m, p->dh);
	if (rc == 0)
		rc = v1_child_put_ids(m, &p->child->ts_local,
		    &p->child->ts_remote, &st);
	if (rc == 0)
		rc = send_msg(eng, sa, p, m, V1_HASH_1, true);
	free(m);
	p->step = 1;
	return rc;
}

static bool
ready(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED && sa->v1 != NULL &&
	    sa->v1->step == V1_DONE && !sa->superseded;
}

int
v1_qm_start(struct ike_engine *eng, struct ike_sa *sa,
    const struct child_cfg *cc, uint32_t rekey_spi)
{
	struct child_sa *old = NULL;
	struct v1_ph2 *p;
	int rc;

	if (!ready(sa) || sa->retiring)
		return IKE_ESTATE;
	if (rekey_spi != 0) {
		old = ike_sa_child_find(sa, rekey_spi, true);
		if (old == NULL || old->state != CHILD_SA_INSTALLED ||
		    old->rekeyed || old->doomed)
			return IKE_ENOTFOUND;
		cc = &old->cfg;
	} else if (cc == NULL)
		return IKE_EINVAL;
	else if ((rc = child_cfg_check(cc)) != 0)
		return rc;
	if (cc->pfs_group != 0 && !dh_supported(cc->pfs_group))
		return IKE_EUNSUPP;
	if (old == NULL && cc == &sa->ccfg && sa->initiator)
		(void)v1_info_contact(eng, sa);	/* logs its failures */
	if ((rc = v1_ph2_new(sa->v1, IKEV1_EXCH_QUICK, v1_new_msgid(sa), true,
	    &p)) != 0)
		return rc;
	v1_msgid_seen_add(sa->v1, p->msgid);
	p->cfg = *cc;
	p->created_ms = eng->now_ms;
	if ((rc = prepare(eng, sa, p, old)) == 0)
		rc = send_first(eng, sa, p);
	if (rc != 0) {
		ph2_end(eng, sa, p);
		return rc;
	}
	if (old != NULL)
		old->rekeyed = true;
	log_dbg(LOG_CHD, "SA %u: Quick Mode %08x started%s", sa->handle,
	    p->msgid, old ? " (rekey)" : "");
	return 0;
}

/* The lifetime the responder announced, when shorter than ours. */
static void
adopt_lifetime(const struct v1_msg *m, struct child_sa *c)
{
	const struct v1_pl *n = v1_msg_notify(m, IKEV1_N_RESPONDER_LIFETIME);
	uint64_t s, kb;

	if (n == NULL || v1_child_rl_get(n->u.notify.data.p,
	    n->u.notify.data.len, &s, &kb) != 0)
		return;
	if (s != 0 && (c->cfg.lifetime_s == 0 || s < c->cfg.lifetime_s))
		c->cfg.lifetime_s = s;
	if (kb != 0 && (c->cfg.lifetime_kb == 0 || kb < c->cfg.lifetime_kb))
		c->cfg.lifetime_kb = kb;
}

/* The shorter of two lifetimes, 0 meaning none. */
static uint64_t
life_min(uint64_t a, uint64_t b)
{
	if (a == 0 || (b != 0 && b < a))
		return b;
	return a;
}

static bool
same_ts(const struct ike_ts *a, const struct ike_ts *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The PFS shared secret from the peer's KE into p->gqm. */
static int
pfs_secret(struct v1_ph2 *p, const struct v1_msg *m)
{
	const struct v1_pl *ke = v1_msg_find(m, IKEV1_PL_KE, NULL);

	if (p->dh == NULL)
		return ke == NULL ? 0 : IKE_EMALFORMED;
	if (ke == NULL)
		return IKE_EMALFORMED;
	ike_key_free(p->gqm);
	p->gqm = NULL;
	return dh_compute(p->dh, ke->u.data.p, ke->u.data.len, &p->gqm);
}

/* Checks message 2 into p->child; a reason when it cannot be used. */
static const char *
check_second(struct ike_sa *sa, struct v1_ph2 *p, const struct v1_msg *m)
{
	const struct v1_pl *nr = v1_msg_find(m, IKEV1_PL_NONCE, NULL);
	struct child_sa *c = p->child;
	struct v1_xf_attrs a;
	struct ike_ts ti, tr;

	if (nr->u.data.len > sizeof(p->nr) ||
	    v1_child_check_answer(&p->cfg, m, c, &a) != 0)
		return "Quick Mode answer unusable";
	memcpy(p->nr, nr->u.data.p, nr->u.data.len);
	p->nr_len = nr->u.data.len;
	if (v1_child_get_ids(m, &sa->local, &sa->remote, &ti, &tr) == 1 &&
	    (!same_ts(&ti, &c->ts_local) || !same_ts(&tr, &c->ts_remote)))
		return "Quick Mode answer with other IDs";
	if (pfs_secret(p, m) != 0)
		return "Quick Mode answer without a usable KE";
	c->pfs = a.group;
	c->cfg.lifetime_s = life_min(p->cfg.lifetime_s != 0 ?
	    p->cfg.lifetime_s : V1_CHILD_LIFE_DEFAULT_S, a.life_s);
	c->cfg.lifetime_kb = life_min(p->cfg.lifetime_kb, a.life_kb);
	adopt_lifetime(m, c);
	p->commit = (m->hdr.flags & IKEV1_F_COMMIT) != 0;
	return NULL;
}

/* Initiator: p's IPsec SA into the kernel and sa's list. */
static void
initiator_up(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	struct child_sa *c = p->child;

	if (install(eng, sa, sa, p, c) != 0) {
		qm_fail(eng, sa, p, 0, "IPsec SA installation failed");
		return;
	}
	p->child = NULL;
	p->created_ms = eng->now_ms;
	c->replaces = p->rekey_spi;
	ike_sa_child_add(sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_UP, c, 0, NULL);
	if (p->rekey_spi != 0)
		retire_old(eng, sa, p->rekey_spi);
}

static void
second(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_msg *m)
{
	struct v1_msg *r;
	const char *why;
	int rc = IKE_ENOMEM;

	if ((why = check_second(sa, p, m)) != NULL) {
		eng->st.rx_malformed++;
		qm_fail(eng, sa, p, 0, why);
		return;
	}
	/* with the commit bit, HASH(3) is resent until CONNECTED */
	if ((r = new_msg(sa, IKEV1_EXCH_QUICK, p->msgid)) != NULL)
		rc = send_msg(eng, sa, p, r, V1_HASH_3, p->commit);
	free(r);
	if (rc != 0) {
		qm_fail(eng, sa, p, 0, "Quick Mode message 3 not sent");
		return;
	}
	p->step = 3;
	if (p->commit)
		log_dbg(LOG_CHD, "SA %u: Quick Mode %08x: commit bit: waiting "
		    "for CONNECTED", sa->handle, p->msgid);
	else
		initiator_up(eng, sa, p);
}

/* Message 4: CONNECTED, which a committed initiator waits for. */
static void
fourth(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_msg *m)
{
	bool conn = v1_msg_notify(m, IKEV1_N_CONNECTED) != NULL;

	log_dbg(LOG_CHD, "SA %u: Quick Mode %08x: %s", sa->handle, p->msgid,
	    conn ? "CONNECTED" : "message 4 without CONNECTED");
	p->step = 4;
	if (p->child == NULL)	/* up already: message 2 had no commit */
		return;
	p->deadline_ms = UINT64_MAX;	/* HASH(3) answered */
	if (conn)
		initiator_up(eng, sa, p);
	else
		qm_fail(eng, sa, p, 0, "Quick Mode message 4 without "
		    "CONNECTED");
}

int
v1_qm_connected(struct ike_engine *eng, struct ike_sa *sa, uint8_t proto,
    uint32_t spi)
{
	struct v1_ph2 *p;

	for (p = sa->v1->ph2; p != NULL; p = p->next)
		if (p->exchange == IKEV1_EXCH_QUICK && p->initiator &&
		    p->commit && p->step == 3 && p->child != NULL &&
		    p->child->proto == proto && spi != 0 &&
		    (p->child->spi_out == spi || p->child->spi_in == spi)) {
			log_dbg(LOG_CHD, "SA %u: Quick Mode %08x: CONNECTED "
			    "(Informational)", sa->handle, p->msgid);
			p->step = 4;
			p->deadline_ms = UINT64_MAX;	/* answered */
			initiator_up(eng, sa, p);
			return 0;
		}
	return IKE_ENOTFOUND;
}

/* ------------------------------------------------------- responder */

/* The installed IPsec SA with the same selectors and protocol that a
 * new one from the peer replaces (IKEv1 says nothing of rekeying). */
static struct child_sa *
predecessor(const struct ike_sa *sa, const struct v1_child_choice *ch)
{
	struct child_sa *c;

	for (c = sa->children; c != NULL; c = c->next)
		if (c->state == CHILD_SA_INSTALLED && c->proto == ch->proto &&
		    same_ts(&c->ts_local, &ch->tr) &&
		    same_ts(&c->ts_remote, &ch->ti) && !c->doomed)
			return c;
	return NULL;
}

/* The shorter of the two lifetimes; *tell when ours is the shorter. */
static uint64_t
life_pick(uint64_t ours, uint64_t proposed, bool *tell)
{
	if (ours != 0 && (proposed == 0 || ours < proposed)) {
		*tell = true;
		return ours;
	}
	return proposed;
}

/* Reserves our SPI and fills the IPsec SA of ch into p->child. */
static uint16_t
make_child(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_child_choice *ch, bool *tell)
{
	const struct child_prop_cfg *pc = &ch->cfg.props[ch->pc];
	struct child_cfg cfg = ch->cfg;
	struct child_sa *old = predecessor(v1_qm_home(eng, sa), ch), *c;

	if (old != NULL) {
		cfg.reqid = old->reqid;	/* its policies name it */
		p->rekey_spi = old->spi_in;
	}
	if (child_reserve(eng, sa, &cfg, false, ch->proto, &p->child) != 0)
		return IKEV1_N_NO_PROPOSAL_CHOSEN;
	c = p->child;
	c->spi_out = ch->spi;
	c->encr = pc->encr;
	c->key_bits = pc->key_bits;
	c->integ = pc->integ;
	c->ts_local = ch->tr;
	c->ts_remote = ch->ti;
	c->mode = ch->mode;
	c->pfs = ch->a.group;
	*tell = false;
	c->cfg.lifetime_s = life_pick(ch->cfg.lifetime_s, ch->a.life_s, tell);
	c->cfg.lifetime_kb = life_pick(ch->cfg.lifetime_kb, ch->a.life_kb,
	    tell);
	return 0;
}

/* PFS: our D-H value of the proposal's group and g(qm)^xy. */
static uint16_t
accept_ke(struct v1_ph2 *p, const struct v1_child_choice *ch,
    const struct v1_msg *m)
{
	bool ke = v1_msg_find(m, IKEV1_PL_KE, NULL) != NULL;

	if (ch->a.group == 0)
		return ke ? IKEV1_N_INVALID_KEY_INFORMATION : 0;
	if (!ke || dh_new(ch->a.group, V1_CRYPTO_FLAGS, &p->dh) != 0 ||
	    pfs_secret(p, m) != 0)
		return IKEV1_N_INVALID_KEY_INFORMATION;
	return 0;
}

static int
add_rl(struct v1_msg *r, const struct child_sa *c, struct v1_qm_store *st)
{
	struct v1_pl *pl;
	size_t n = v1_child_rl_put(st, c->cfg.lifetime_s, c->cfg.lifetime_kb);
	int rc;

	if (n == 0 || (rc = v1_msg_add(r, IKEV1_PL_N, &pl)) != 0)
		return n == 0 ? 0 : rc;
	pl->u.notify.doi = IKEV1_DOI_IPSEC;
	pl->u.notify.proto = c->proto;
	pl->u.notify.type = IKEV1_N_RESPONDER_LIFETIME;
	pl->u.notify.spi = (struct ike_slice){ st->spi[0], 4 };
	pl->u.notify.data = (struct ike_slice){ st->rl, n };
	return 0;
}

static int
send_second(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_child_choice *ch, bool tell)
{
	struct v1_qm_store st;
	struct v1_msg *r;
	int rc;

	if ((r = new_msg(sa, IKEV1_EXCH_QUICK, p->msgid)) == NULL)
		return IKE_ENOMEM;
	if (p->commit)	/* CONNECTED will follow HASH(3) */
		r->hdr.flags |= IKEV1_F_COMMIT;
	rc = v1_child_put_choice(r, ch, p->child, natt_active(sa), &st);
	if (rc == 0)
		rc = add_data(r, IKEV1_PL_NONCE, p->nr, p->nr_len);
	if (rc == 0)
		rc = add_ke(r, p->dh);
	if (rc == 0 && ch->ids)
		rc = v1_child_put_ids(r, &ch->ti, &ch->tr, &st);
	if (rc == 0 && tell)
		rc = add_rl(r, p->child, &st);
	if (rc == 0)
		rc = send_msg(eng, sa, p, r, V1_HASH_2, true);
	free(r);
	p->step = 2;
	return rc;
}

/* The peer's first proposal names the SA a refusal is about. */
static void
refuse(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m,
    uint16_t err)
{
	const struct v1_pl *pl = v1_msg_find(m, IKEV1_PL_SA, NULL);
	const struct v1_prop *pr = pl->u.sa.nprop > 0 ?
	    &m->prop[pl->u.sa.prop0] : NULL;

	log_dbg(LOG_CHD, "SA %u: Quick Mode %08x refused: %s", sa->handle,
	    m->hdr.msgid, v1_notify_name(err));
	xchg_event(eng, v1_qm_home(eng, sa), ENGINE_EV_CHILD_FAILED, NULL,
	    err, v1_notify_name(err));
	/* a failure to tell is logged by v1_info_notify() */
	(void)v1_info_notify(eng, sa, err, pr ? pr->proto : 0,
	    pr ? pr->spi.p : NULL, pr ? pr->spi.len : 0, NULL, 0);
}

static uint16_t
take_first(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_msg *m, struct v1_child_choice *ch, bool *tell)
{
	const struct v1_pl *ni = v1_msg_find(m, IKEV1_PL_NONCE, NULL);
	struct ike_sa *home = v1_qm_home(eng, sa);	/* sa, or successor */
	uint16_t err;

	if (sa->retiring || home->retiring)
		return IKEV1_N_NO_PROPOSAL_CHOSEN;
	if (ni->u.data.len > sizeof(p->ni))
		return IKEV1_N_PAYLOAD_MALFORMED;
	memcpy(p->ni, ni->u.data.p, ni->u.data.len);
	p->ni_len = ni->u.data.len;
	/* the configuration the handle's owner has, same peer and ID */
	if ((err = v1_child_choose(eng, home, m, NULL, ch)) != 0 ||
	    (err = accept_ke(p, ch, m)) != 0)
		return err;
	if (ccsa_nonce(eng, p->nr, QM_NONCE_LEN) != 0)
		return IKEV1_N_NO_PROPOSAL_CHOSEN;
	p->nr_len = QM_NONCE_LEN;
	return make_child(eng, sa, p, ch, tell);
}

static void
first(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_msg *m)
{
	struct v1_child_choice *ch;
	uint16_t err;
	bool tell = false;

	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		ph2_end(eng, sa, p);
		return;
	}
	p->commit = (m->hdr.flags & IKEV1_F_COMMIT) != 0;
	if ((err = take_first(eng, sa, p, m, ch, &tell)) != 0) {
		refuse(eng, sa, m, err);
		ph2_end(eng, sa, p);
	} else if (send_second(eng, sa, p, ch, tell) != 0)
		ph2_end(eng, sa, p);
	secmem_wipe(ch, sizeof(*ch));
	free(ch);
}

static void
connected(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct child_sa *c)
{
	struct v1_msg *r;
	struct v1_pl *pl;
	uint8_t spi[4] = { (uint8_t)(c->spi_in >> 24),
	    (uint8_t)(c->spi_in >> 16), (uint8_t)(c->spi_in >> 8),
	    (uint8_t)c->spi_in };

	if ((r = new_msg(sa, IKEV1_EXCH_QUICK, p->msgid)) == NULL)
		return;
	if (v1_msg_add(r, IKEV1_PL_N, &pl) == 0) {
		pl->u.notify.doi = IKEV1_DOI_IPSEC;
		pl->u.notify.proto = c->proto;
		pl->u.notify.type = IKEV1_N_CONNECTED;
		pl->u.notify.spi = (struct ike_slice){ spi, 4 };
		(void)send_msg(eng, sa, p, r, V1_HASH_1, false); /* logged */
	}
	free(r);
	p->step = 4;
}

static void
third(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p)
{
	struct child_sa *c = p->child, *old;
	struct ike_sa *home = v1_qm_home(eng, sa);	/* sa, or successor */
	int rc;

	p->step = 3;
	p->deadline_ms = UINT64_MAX;	/* message 2 answered */
	free(p->out);	/* nothing answers HASH(3) (but CONNECTED) */
	p->out = NULL;
	p->out_len = 0;
	if ((rc = install(eng, sa, home, p, c)) != 0) {
		log_dbg(LOG_CHD, "SA %u: install: %s", sa->handle,
		    ike_strerror(rc));
		xchg_event(eng, home, ENGINE_EV_CHILD_FAILED, c, 0,
		    "IPsec SA installation failed");
		ph2_end(eng, sa, p);
		return;
	}
	p->child = NULL;
	p->created_ms = eng->now_ms;
	if ((old = ike_sa_child_find(home, p->rekey_spi, true)) != NULL)
		old->rekeyed = true;	/* its initiator deletes it */
	c->replaces = old != NULL ? old->spi_in : 0;
	ike_sa_child_add(home, c);
	xchg_event(eng, home, ENGINE_EV_CHILD_UP, c, 0, NULL);
	if (p->commit)
		connected(eng, sa, p, c);
}

/* ------------------------------------------------------------ input */

/* Which message of p (NULL: a new exchange) m can be; 0: none. */
static unsigned int
msgno(const struct v1_ph2 *p)
{
	if (p == NULL)
		return 1;
	if (p->exchange != IKEV1_EXCH_QUICK)
		return 0;
	if (p->initiator)
		return p->step == 1 ? 2 : p->step == 3 ? 4 : 0;
	return p->step == 2 ? 3 : 0;
}

static enum v1_hash_kind
hash_kind(unsigned int n)
{
	return n == 2 ? V1_HASH_2 : n == 3 ? V1_HASH_3 : V1_HASH_1;
}

/* Opens m on p's chain (or a new one), checks its form and HASH. */
static int
accept_msg(struct ike_sa *sa, const struct v1_ph2 *p, struct v1_msg *m,
    unsigned int n, uint8_t *next_iv, uint8_t **pt, size_t *pt_len)
{
	uint8_t iv[CIPHER_MAX_BLOCK];
	int rc;

	if (p != NULL)
		memcpy(iv, p->iv, sizeof(iv));
	else if ((rc = v1_crypt_msgid_iv(sa, m->hdr.msgid, iv)) != 0)
		return rc;
	if ((rc = v1_open(sa, m, iv, next_iv, pt, pt_len)) != 0)
		return rc;
	if (v1_rules_check(m, IKEV1_EXCH_QUICK, n, V1_AUTH_PSK, NULL) != 0)
		return IKE_EMALFORMED;
	if (n == 1)	/* HASH(1) needs no nonce */
		return v1_check_hash(sa, m, V1_HASH_1, NULL, 0, NULL, 0);
	return v1_check_hash(sa, m, hash_kind(n), p->ni, p->ni_len, p->nr,
	    p->nr_len);
}

/* A duplicate of the peer's last message in p: our answer again. */
static bool
duplicate(struct ike_engine *eng, struct ike_sa *sa, const struct v1_ph2 *p,
    const uint8_t *dig)
{
	if (p == NULL || !p->have_in ||
	    memcmp(p->in_digest, dig, V1_DIGEST_LEN) != 0)
		return false;
	if (p->out != NULL) {
		eng->st.rx_resent++;
		xchg_send(eng, &sa->local, &sa->remote, p->out, p->out_len);
	} else
		eng->st.rx_dropped++;
	return true;
}

static void
dispatch(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const struct v1_msg *m, unsigned int n)
{
	switch (n) {
	case 1:
		first(eng, sa, p, m);
		break;
	case 2:
		second(eng, sa, p, m);
		break;
	case 3:
		third(eng, sa, p);
		break;
	default:
		fourth(eng, sa, p, m);
	}
}

/* A new record for the peer's Quick Mode; NULL when out of memory. */
static struct v1_ph2 *
new_record(struct ike_engine *eng, struct ike_sa *sa, uint32_t msgid)
{
	struct v1_ph2 *p;

	if (v1_ph2_new(sa->v1, IKEV1_EXCH_QUICK, msgid, false, &p) != 0)
		return NULL;
	v1_msgid_seen_add(sa->v1, msgid);
	p->created_ms = eng->now_ms;
	return p;
}

/* Whether sa answers the peer's Quick Modes: established, and when a
 * phase-1 rekey replaced it, with a successor up to hold the IPsec SAs
 * (a new exchange) or with the exchange under way (p). */
static bool
answers(struct ike_engine *eng, struct ike_sa *sa, const struct v1_ph2 *p)
{
	if (sa->state != IKE_SA_ESTABLISHED || sa->v1 == NULL ||
	    sa->v1->step != V1_DONE)
		return false;
	return !sa->superseded || p != NULL || v1_qm_home(eng, sa) != sa;
}

/* Whether m, which is not a duplicate, is to be dropped: a Quick Mode
 * on an SA not (or no more) fit for it, or a replayed message 1. */
static bool
refused_input(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_ph2 *p, const struct v1_msg *m)
{
	if (!answers(eng, sa, p) || m->hdr.msgid == 0) {
		log_dbg(LOG_IKE, "SA %u: Quick Mode %08x on an ISAKMP SA %s: "
		    "dropped", sa->handle, m->hdr.msgid, m->hdr.msgid == 0 ?
		    "with Message ID 0" : sa->superseded ? "replaced, its "
		    "successors gone" : "not established");
		return true;
	}
	if (p == NULL && v1_msgid_seen(sa->v1, m->hdr.msgid)) {
		log_dbg(LOG_IKE, "SA %u: Quick Mode %08x again after it "
		    "ended: a replay, dropped", sa->handle, m->hdr.msgid);
		return true;
	}
	return false;
}

void
v1_qm_input(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m)
{
	struct v1_ph2 *p;
	uint8_t dig[V1_DIGEST_LEN], next_iv[CIPHER_MAX_BLOCK] = { 0 };
	uint8_t *pt = NULL;
	size_t pt_len = 0;
	unsigned int n;

	v1_qm_orphans(eng, sa, false);	/* ours on a replaced SA fail */
	p = v1_ph2_find(sa->v1, m->hdr.msgid);
	v1_digest(m->dgram.p, m->dgram.len, dig);
	if (duplicate(eng, sa, p, dig))
		return;
	if (refused_input(eng, sa, p, m)) {
		eng->st.rx_dropped++;
		return;
	}
	if ((n = msgno(p)) == 0) {
		log_dbg(LOG_IKE, "SA %u: Quick Mode %08x: no message of it "
		    "expected now: dropped", sa->handle, m->hdr.msgid);
		eng->st.rx_dropped++;
		return;
	}
	if (accept_msg(sa, p, m, n, next_iv, &pt, &pt_len) != 0) {
		log_dbg(LOG_ENC, "SA %u: Quick Mode %08x message %u: does not "
		    "open or bad HASH", sa->handle, m->hdr.msgid, n);
		eng->st.rx_malformed++;
		v1_pt_free(pt, pt_len);
		return;
	}
	sa->last_rx_ms = eng->now_ms;
	if (p == NULL && (p = new_record(eng, sa, m->hdr.msgid)) == NULL) {
		v1_pt_free(pt, pt_len);
		return;
	}
	memcpy(p->iv, next_iv, sizeof(p->iv));
	memcpy(p->in_digest, dig, sizeof(dig));
	p->have_in = true;
	dispatch(eng, sa, p, m, n);
	v1_pt_free(pt, pt_len);
}
