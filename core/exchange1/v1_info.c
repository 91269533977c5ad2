/* core/exchange1/v1_info.c: Informational exchanges (RFC 2409 s. 5.7,
 * RFC 2408 s. 3.14, 3.15, 4.8) and dead peer detection (RFC 3706).
 *
 *   HDR*, HASH(1), N/D  -->          (one message, not acknowledged)
 *
 * with a fresh Message ID and its own M-ID IV.  A Delete names IPsec
 * SAs by the SPIs their sender expects inbound (our outbound ones), or
 * the ISAKMP SA by its two cookies (SPI size 16).  Sending one removes
 * what it names at once.  Before phase 1 is complete a notification
 * comes in the clear and unauthenticated: it is logged and counted,
 * never acted upon.  The Message ID of each authentic Informational is
 * remembered (v1_msgid_seen(), the last V1_SEEN_MAX phase-2 exchanges of
 * the ISAKMP SA): the same message again is a replay, counted
 * (rx_dropped) and not acted upon.
 *
 * INITIAL-CONTACT (RFC 2407 s. 4.6.3.3): the initiator sends it right
 * after phase 1 when the engine has no other SA with that peer; the
 * receiver then drops every other SA (IKEv1 or IKEv2) with that peer's
 * identity, as contact.c does for IKEv2.
 *
 * DPD: R-U-THERE / R-U-THERE-ACK notifications with the cookies as SPI
 * and a 4-octet sequence number, only with a peer that sent the DPD
 * Vendor ID; every R-U-THERE is answered, but a replayed one (its
 * Message ID seen, or a sequence number older than the last answered).
 * An ISAKMP SA that a phase-1 rekey of the peer replaced (superseded)
 * still takes the peer's Informationals while it is established: an
 * R-U-THERE on it is answered, a Delete of it ends it alone (its IPsec
 * SAs moved to the successor, v1_qm_home(), and stay), a Delete of an
 * IPsec SA removes it from the successor.  A peer silent for engine_limits.liveness_ms (no authentic message, no
 * inbound IPsec traffic) is asked; one that never answers is dead. */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/codec/ikev1_rules.h"
#include "core/crypto/crypto_rand.h"
#include "core/err.h"
#include "core/log.h"

#define DEL_MAX_SPIS		16

static bool
ready(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED && sa->v1 != NULL &&
	    sa->v1->step == V1_DONE && sa->v1->cbc != NULL;
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Both cookies, the ISAKMP SA's SPI in a Delete or notification. */
static void
cookies(const struct ike_sa *sa, uint8_t out[16])
{
	struct v1_hdr h;

	v1_hdr_for(sa, IKEV1_EXCH_INFO, 0, &h);
	memcpy(out, h.icookie, 8);
	memcpy(out + 8, h.rcookie, 8);
}

/* ------------------------------------------------------------ send */

/* An Informational message with an empty HASH first; free(). */
static struct v1_msg *
info_msg(const struct ike_sa *sa)
{
	struct v1_msg *m;
	struct v1_hdr h;
	struct v1_pl *pl;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	v1_hdr_for(sa, IKEV1_EXCH_INFO, v1_new_msgid(sa), &h);
	v1_msg_init(m, &h);
	if (v1_msg_add(m, IKEV1_PL_HASH, &pl) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

/* Seals m from its own M-ID IV and sends it; frees m. */
static int
info_send(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m)
{
	uint8_t iv[CIPHER_MAX_BLOCK];
	struct wr w;
	int rc;

	wr_init(&w, 65535);
	if ((rc = v1_crypt_msgid_iv(sa, m->hdr.msgid, iv)) == 0)
		rc = v1_seal_hashed(sa, m, V1_HASH_1, NULL, 0, NULL, 0, iv,
		    &w);
	if (rc == 0)
		xchg_send(eng, &sa->local, &sa->remote, w.buf, w.len);
	else
		log_err(LOG_IKE, "SA %u: Informational: %s", sa->handle,
		    ike_strerror(rc));
	wr_free(&w);
	free(m);
	return rc;
}

static int
send_delete(struct ike_engine *eng, struct ike_sa *sa, uint8_t proto,
    const uint8_t *spis, uint8_t spi_size, size_t n)
{
	struct v1_msg *m;
	struct v1_pl *pl;
	int rc;

	if ((m = info_msg(sa)) == NULL)
		return IKE_ENOMEM;
	if ((rc = v1_msg_add(m, IKEV1_PL_D, &pl)) != 0) {
		free(m);
		return rc;
	}
	pl->u.del.doi = IKEV1_DOI_IPSEC;
	pl->u.del.proto = proto;
	pl->u.del.spi_size = spi_size;
	pl->u.del.nspi = (uint16_t)n;
	pl->u.del.spis = (struct ike_slice){ spis, n * spi_size };
	return info_send(eng, sa, m);
}

int
v1_info_send_delete(struct ike_engine *eng, struct ike_sa *sa,
    uint8_t proto, const uint32_t *spi_in, size_t n)
{
	uint8_t b[4 * DEL_MAX_SPIS];
	size_t i;

	if (!ready(sa))
		return IKE_ESTATE;
	if (n == 0 || n > DEL_MAX_SPIS ||
	    (proto != IKEV1_PROTO_ESP && proto != IKEV1_PROTO_AH))
		return IKE_EINVAL;
	for (i = 0; i < n; i++)
		info_put32(b + 4 * i, spi_in[i]);
	return send_delete(eng, sa, proto, b, 4, n);
}

int
v1_info_delete_child(struct ike_engine *eng, struct ike_sa *sa,
    uint32_t spi_in)
{
	struct child_sa *c;
	int rc;

	if (!ready(sa))
		return IKE_ESTATE;
	c = ike_sa_child_find(sa, spi_in, true);
	if (c == NULL || c->state != CHILD_SA_INSTALLED)
		return IKE_ENOTFOUND;
	if ((rc = v1_info_send_delete(eng, sa, c->proto, &spi_in, 1)) != 0)
		return rc;
	v1_qm_remove(eng, sa, c, "deleted");
	return 0;
}

/* A Delete for the installed IPsec SAs of proto, up to 16 a message. */
static void
delete_all(struct ike_engine *eng, struct ike_sa *sa, uint8_t proto)
{
	uint32_t spis[DEL_MAX_SPIS];
	struct child_sa *c;
	size_t n = 0;

	/* a failure to send is logged by info_send(); the SA goes anyway */
	for (c = sa->children; c != NULL; c = c->next) {
		if (c->state != CHILD_SA_INSTALLED || c->proto != proto)
			continue;
		spis[n++] = c->spi_in;
		if (n == DEL_MAX_SPIS) {
			(void)v1_info_send_delete(eng, sa, proto, spis, n);
			n = 0;
		}
	}
	if (n != 0)
		(void)v1_info_send_delete(eng, sa, proto, spis, n);
}

int
v1_info_delete_ike(struct ike_engine *eng, struct ike_sa *sa,
    bool with_children)
{
	uint8_t spi[16];
	int rc;

	if (!ready(sa))
		return IKE_ESTATE;
	v1_qm_orphans(eng, sa, true);	/* when replaced by a rekey */
	if (with_children) {
		delete_all(eng, sa, IKEV1_PROTO_ESP);
		delete_all(eng, sa, IKEV1_PROTO_AH);
	}
	cookies(sa, spi);
	rc = send_delete(eng, sa, IKEV1_PROTO_ISAKMP, spi, 16, 1);
	v1_kill(eng, sa, 0, "removed");
	return rc;
}

int
v1_info_notify(struct ike_engine *eng, struct ike_sa *sa, uint16_t type,
    uint8_t proto, const uint8_t *spi, size_t spi_len, const uint8_t *data,
    size_t data_len)
{
	struct v1_msg *m;
	struct v1_pl *pl;
	int rc;

	if (!ready(sa))
		return IKE_ESTATE;
	if (spi_len > IKEV1_SPI_MAX)
		return IKE_EINVAL;
	if ((m = info_msg(sa)) == NULL)
		return IKE_ENOMEM;
	if ((rc = v1_msg_add(m, IKEV1_PL_N, &pl)) != 0) {
		free(m);
		return rc;
	}
	pl->u.notify.doi = IKEV1_DOI_IPSEC;
	pl->u.notify.proto = proto;
	pl->u.notify.type = type;
	pl->u.notify.spi = (struct ike_slice){ spi, spi_len };
	pl->u.notify.data = (struct ike_slice){ data, data_len };
	return info_send(eng, sa, m);
}

/* -------------------------------------------------- INITIAL-CONTACT */

int
v1_info_contact(struct ike_engine *eng, struct ike_sa *sa)
{
	uint8_t spi[16];

	if (contact_others(eng, sa) != 0)
		return 0;
	cookies(sa, spi);
	return v1_info_notify(eng, sa, IKEV1_N_INITIAL_CONTACT,
	    IKEV1_PROTO_ISAKMP, spi, sizeof(spi), NULL, 0);
}

static void
kill_any(struct ike_engine *eng, struct ike_sa *o, uint16_t notify,
    const char *reason)
{
	if (o->version == IKE_VERSION_1)
		v1_kill(eng, o, notify, reason);
	else
		xchg_kill(eng, o, notify, reason);
}

/* The peer restarted: its other SAs go, and so do the IPsec SAs this
 * one took over from an earlier SA (v1_succeed()) when it came up: those
 * installed before that moment (or in the same millisecond: the peer
 * sends INITIAL-CONTACT before its first Quick Mode). */
static void
restart(struct ike_engine *eng, struct ike_sa *sa)
{
	struct child_sa *ch, *next;

	if (sa->superseded || sa->v1->contact_done) {	/* late, replayed
				 * or repeated: one per SA, and a successor
				 * is the peer's current state */
		log_dbg(LOG_IKE, "SA %u: INITIAL-CONTACT %s ignored",
		    sa->handle, sa->superseded ? "on a replaced SA" :
		    "again on this SA");
		eng->st.rx_dropped++;
		return;
	}
	sa->v1->contact_done = true;
	contact_drop(eng, sa, true, kill_any);	/* a replaced SA too:
				 * the peer will not delete it */
	for (ch = sa->children; ch != NULL; ch = next) {
		next = ch->next;
		if (ch->up_ms <= sa->up_ms)
			v1_qm_remove(eng, sa, ch,
			    "replaced: the peer restarted");
	}
}

/* ------------------------------------------------------------ receive */

static void
dpd_ack(struct ike_sa *sa, const struct v1_pl_notify *n)
{
	struct v1_state *v1 = sa->v1;
	uint32_t seq, first;

	if (n->data.len != 4 || v1->dpd_wait == 0)
		return;
	seq = get32(n->data.p);
	first = v1->dpd_wait - (v1->dpd_sends - 1);
	if (seq - first <= v1->dpd_wait - first) {	/* modulo 2^32 */
		v1->dpd_wait = 0;
		v1->dpd_sends = 0;
	}
}

/* Every R-U-THERE is answered but one older than the last answered
 * (sequence numbers only grow, RFC 3706 s. 7: an old one is a replay). */
static void
dpd_answer(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_pl_notify *n)
{
	struct v1_state *v1 = sa->v1;
	uint8_t spi[16];
	uint32_t seq;

	if (n->data.len != 4)
		return;
	seq = get32(n->data.p);
	if (v1->dpd_peer_any && seq - v1->dpd_peer_seq > UINT32_MAX / 2) {
		log_dbg(LOG_IKE, "SA %u: R-U-THERE %u older than %u: a replay, "
		    "not answered", sa->handle, seq, v1->dpd_peer_seq);
		eng->st.rx_dropped++;
		return;
	}
	v1->dpd_peer_seq = seq;
	v1->dpd_peer_any = true;
	cookies(sa, spi);
	(void)v1_info_notify(eng, sa, IKEV1_N_DPD_R_U_THERE_ACK,
	    IKEV1_PROTO_ISAKMP, spi, sizeof(spi), n->data.p, 4); /* logged */
}

/* An error about an SA of ours: a Quick Mode we started is refused. */
static void
error_notify(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_pl_notify *n)
{
	log_dbg(LOG_IKE, "SA %u: peer reports %s (%u)", sa->handle,
	    v1_notify_name(n->type), n->type);
	if (n->spi.len == 4 && v1_qm_refused(eng, sa, n->proto,
	    get32(n->spi.p), n->type) == 0)
		return;
	eng->st.rx_dropped++;	/* nothing of ours it is about */
}

static void
on_notify(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_pl_notify *n)
{
	switch (n->type) {
	case IKEV1_N_DPD_R_U_THERE:
		dpd_answer(eng, sa, n);
		break;
	case IKEV1_N_DPD_R_U_THERE_ACK:
		dpd_ack(sa, n);
		break;
	case IKEV1_N_INITIAL_CONTACT:
		restart(eng, sa);
		break;
	case IKEV1_N_CONNECTED:
		if (n->spi.len != 4 || v1_qm_connected(eng, sa, n->proto,
		    get32(n->spi.p)) != 0)
			eng->st.rx_dropped++;	/* nothing waits for it */
		break;
	default:
		if (n->type <= IKEV1_N_ERROR_MAX)
			error_notify(eng, sa, n);
		else
			log_dbg(LOG_IKE, "SA %u: peer says %s (%u)",
			    sa->handle, v1_notify_name(n->type), n->type);
	}
}

/* The peer's Delete; true when it ended the ISAKMP SA itself. */
static bool
on_delete(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_pl_delete *d)
{
	uint8_t spi[16];
	struct child_sa *c;
	struct ike_sa *home;
	size_t i;

	if (d->proto == IKEV1_PROTO_ISAKMP && d->spi_size == 16) {
		cookies(sa, spi);
		for (i = 0; i < d->nspi; i++)
			if (memcmp(d->spis.p + 16 * i, spi, 16) == 0) {
				v1_qm_orphans(eng, sa, true);
				v1_kill(eng, sa, 0, "deleted by peer");
				return true;
			}
		return false;
	}
	if ((d->proto != IKEV1_PROTO_ESP && d->proto != IKEV1_PROTO_AH) ||
	    d->spi_size != 4)
		return false;
	home = v1_qm_home(eng, sa);	/* sa, or where its IPsec SAs went */
	for (i = 0; i < d->nspi; i++)
		if ((c = info_find_out(home, d->proto,
		    get32(d->spis.p + 4 * i))) != NULL)
			v1_qm_remove(eng, home, c, "deleted by peer");
		else
			log_dbg(LOG_IKE, "SA %u: Delete of unknown SPI "
			    "0x%08x ignored", sa->handle,
			    get32(d->spis.p + 4 * i));
	return false;	/* unknown SPIs are ignored */
}

/* In the clear (unauthenticated), or before phase 1 is complete: what
 * it says is only logged, and it is counted. */
static void
untrusted(struct ike_engine *eng, struct ike_sa *sa, const struct v1_msg *m)
{
	const struct v1_pl *n = NULL;

	eng->st.rx_dropped++;
	if ((m->hdr.flags & IKEV1_F_ENC) != 0) {
		log_dbg(LOG_IKE, "SA %u: encrypted Informational before "
		    "phase 1 is complete: dropped", sa->handle);
		return;
	}
	while ((n = v1_msg_find(m, IKEV1_PL_N, n)) != NULL)
		log_dbg(LOG_IKE, "SA %u: unauthenticated %s (%u) ignored",
		    sa->handle, v1_notify_name(n->u.notify.type),
		    n->u.notify.type);
}

static int
open_info(struct ike_sa *sa, struct v1_msg *m, uint8_t **pt, size_t *len)
{
	uint8_t iv[CIPHER_MAX_BLOCK], next[CIPHER_MAX_BLOCK];
	int rc;

	if ((rc = v1_crypt_msgid_iv(sa, m->hdr.msgid, iv)) != 0 ||
	    (rc = v1_open(sa, m, iv, next, pt, len)) != 0)
		return rc;
	if (v1_rules_check(m, IKEV1_EXCH_INFO, 1, V1_AUTH_PSK, NULL) != 0)
		return IKE_EMALFORMED;
	return v1_check_hash(sa, m, V1_HASH_1, NULL, 0, NULL, 0);
}

void
v1_info_input(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m)
{
	uint8_t *pt = NULL;
	size_t len = 0, i;

	if ((m->hdr.flags & IKEV1_F_ENC) == 0 || !ready(sa)) {
		untrusted(eng, sa, m);
		return;
	}
	if (v1_msgid_seen(sa->v1, m->hdr.msgid)) {
		log_dbg(LOG_IKE, "SA %u: Informational %08x again: a replay, "
		    "dropped", sa->handle, m->hdr.msgid);
		eng->st.rx_dropped++;
		return;
	}
	if (open_info(sa, m, &pt, &len) != 0) {
		log_dbg(LOG_ENC, "SA %u: Informational %08x: does not open "
		    "or bad HASH", sa->handle, m->hdr.msgid);
		eng->st.rx_malformed++;
		v1_pt_free(pt, len);
		return;
	}
	sa->last_rx_ms = eng->now_ms;
	v1_msgid_seen_add(sa->v1, m->hdr.msgid);
	for (i = 1; i < m->npl && sa->state != IKE_SA_DEAD; i++) {
		if (m->pl[i].type == IKEV1_PL_N)
			on_notify(eng, sa, &m->pl[i].u.notify);
		else if (m->pl[i].type == IKEV1_PL_D &&
		    on_delete(eng, sa, &m->pl[i].u.del))
			break;
	}
	v1_pt_free(pt, len);
}

/* -------------------------------------------------------------- DPD */

/* One R-U-THERE with the next sequence number. */
static int
dpd_out(struct ike_engine *eng, struct ike_sa *sa)
{
	struct v1_state *v1 = sa->v1;
	uint8_t spi[16], seq[4];
	int rc;

	if (v1->dpd_seq == 0) {		/* a random start (RFC 3706 s. 7) */
		if (crypto_rand_bytes(&v1->dpd_seq, sizeof(v1->dpd_seq)) != 0)
			v1->dpd_seq = 1;
		v1->dpd_seq &= 0x7fffffff;	/* room to grow */
	}
	info_put32(seq, ++v1->dpd_seq);
	cookies(sa, spi);
	if ((rc = v1_info_notify(eng, sa, IKEV1_N_DPD_R_U_THERE,
	    IKEV1_PROTO_ISAKMP, spi, sizeof(spi), seq, sizeof(seq))) != 0)
		return rc;
	v1->dpd_wait = v1->dpd_seq;
	v1->dpd_sent_ms = eng->now_ms;
	v1->dpd_sends++;
	return 0;
}

int
v1_dpd_send(struct ike_engine *eng, struct ike_sa *sa)
{
	if (!ready(sa))
		return IKE_ESTATE;
	if (!sa->v1->peer_dpd)
		return IKE_EUNSUPP;
	if (sa->v1->dpd_wait != 0)
		return IKE_EBUSY;
	sa->v1->dpd_sends = 0;
	return dpd_out(eng, sa);
}

static uint64_t
last_heard(const struct ike_sa *sa)
{
	return sa->last_rx_ms > sa->up_ms ? sa->last_rx_ms : sa->up_ms;
}

uint64_t
v1_dpd_deadline(const struct ike_engine *eng, const struct ike_sa *sa)
{
	if (!ready(sa) || sa->superseded)
		return UINT64_MAX;
	if (sa->v1->dpd_wait != 0)
		return sa->v1->dpd_sent_ms + xchg_retrans_after(sa,
		    sa->v1->dpd_sends);
	if (eng->lim.liveness_ms == 0 || !sa->v1->peer_dpd)
		return UINT64_MAX;
	return last_heard(sa) + eng->lim.liveness_ms;
}

/* An R-U-THERE outstanding: sent again, or the peer is dead. */
static void
dpd_retry(struct ike_engine *eng, struct ike_sa *sa)
{
	unsigned int max = xchg_retrans_max(sa);	/* as a request's */

	if (sa->v1->dpd_sends > max) {
		log_dbg(LOG_IKE, "SA %u: no R-U-THERE-ACK after %u sends",
		    sa->handle, sa->v1->dpd_sends);
		v1_kill(eng, sa, 0, "peer not responding");
		return;
	}
	eng->st.retransmits++;
	if (dpd_out(eng, sa) != 0)
		v1_kill(eng, sa, 0, "peer not responding");
}

void
v1_dpd_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	if (v1_dpd_deadline(eng, sa) > eng->now_ms)
		return;
	if (sa->v1->dpd_wait != 0) {
		dpd_retry(eng, sa);
		return;
	}
	if (child_traffic_seen(eng, sa)) {
		sa->last_rx_ms = eng->now_ms;	/* the peer is sending */
		return;
	}
	log_dbg(LOG_IKE, "SA %u: nothing from the peer for %llu ms: "
	    "R-U-THERE", sa->handle,
	    (unsigned long long)(eng->now_ms - last_heard(sa)));
	sa->v1->dpd_sends = 0;
	if (dpd_out(eng, sa) != 0)
		sa->last_rx_ms = eng->now_ms;	/* try again later */
}
