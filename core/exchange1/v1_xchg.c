/* core/exchange1/v1_xchg.c: the IKEv1 exchange layer (RFC 2408 s. 3.1,
 * 5; RFC 2409 s. 5): which SA a datagram belongs to, duplicates, the
 * engine's entry points for IKEv1 SAs and the sending of messages.
 *
 * An ISAKMP SA is named by both cookies; our own is the table's key
 * (spi_i as initiator, spi_r as responder).  A Main or Aggressive Mode
 * message 1 (responder cookie 0) makes a new responder SA unless it is
 * a retransmission of the one an SA was made from, which gets our
 * answer again.  Phase-1 duplicates are recognized by the digest of
 * the whole datagram (IKEv1 has no message counter) and answered with
 * the last message we sent.  Quick Mode goes only to established SAs;
 * Informational messages go to any SA (plain ones are never trusted
 * there).  Everything else is counted and dropped.
 *
 * Lifetimes, retransmissions and the rest of what time brings are in
 * v1_time.c. */
#include "core/exchange1/v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto_rand.h"
#include "core/crypto/hash.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/log.h"

/* The reason a phase-1 exchange ends with when its retransmissions go
 * unanswered after a plain NO-PROPOSAL-CHOSEN: a hint, not a fact. */
static const char reason_npc[] =
    "no answer (peer said NO-PROPOSAL-CHOSEN, unauthenticated)";
static const char reason_auth[] =
    "authentication failed (peer said so, unauthenticated)";

bool
v1_is_v1(const uint8_t *buf, size_t len)
{
	return len > 17 && (buf[17] >> 4) == IKEV1_MAJOR;
}

uint64_t
v1_cookie(const uint8_t c[IKEV1_COOKIE_LEN])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < IKEV1_COOKIE_LEN; i++)
		v = v << 8 | c[i];
	return v;
}

void
v1_cookie_put(uint64_t v, uint8_t c[IKEV1_COOKIE_LEN])
{
	int i;

	for (i = 0; i < IKEV1_COOKIE_LEN; i++)
		c[i] = (uint8_t)(v >> (56 - 8 * i));
}

void
v1_hdr_for(const struct ike_sa *sa, uint8_t exchange, uint32_t msgid,
    struct v1_hdr *out)
{
	memset(out, 0, sizeof(*out));
	v1_cookie_put(sa->spi_i, out->icookie);
	v1_cookie_put(sa->spi_r, out->rcookie);
	out->major = IKEV1_MAJOR;
	out->minor = IKEV1_MINOR;
	out->exchange = exchange;
	out->msgid = msgid;
}

void
v1_digest(const uint8_t *buf, size_t len, uint8_t out[V1_DIGEST_LEN])
{
	struct crypto_iov v = { buf, len };
	uint8_t h[HASH_MAX_LEN];
	size_t hl = 0;

	if (crypto_hash(PRF_HMAC_SHA2_256, &v, 1, h, &hl) != 0 ||
	    hl != V1_DIGEST_LEN) {
		/* cannot happen for SHA-256; a digest no datagram has */
		memset(out, 0xff, V1_DIGEST_LEN);
		return;
	}
	memcpy(out, h, V1_DIGEST_LEN);
}

uint32_t
v1_new_msgid(const struct ike_sa *sa)
{
	uint32_t id = 0;

	while (id == 0 || (sa->v1 != NULL && v1_ph2_find(sa->v1, id) != NULL))
		if (crypto_rand_bytes(&id, sizeof(id)) != 0)
			id = 0;
	return id;
}

/* ------------------------------------------------------------ send */

int
v1_send_ph1(struct ike_engine *eng, struct ike_sa *sa, const uint8_t *buf,
    size_t len, bool request)
{
	int rc;

	ike_sa_out_clear(sa);
	if (request) {
		if ((rc = ike_sa_keep(&sa->out.buf, &sa->out.len, buf,
		    len)) != 0)
			return rc;
		sa->out.msgid = 0;
		sa->out.exchange = sa->v1->aggressive ? IKEV1_EXCH_AGGRESSIVE :
		    IKEV1_EXCH_MAIN;
		sa->out.sends = 1;
		sa->out.deadline_ms = eng->now_ms + xchg_retrans_after(sa, 1);
	} else {
		if ((rc = ike_sa_keep(&sa->last_resp, &sa->last_resp_len, buf,
		    len)) != 0)
			return rc;
		sa->have_last_resp = true;
	}
	xchg_send(eng, &sa->local, &sa->remote, buf, len);
	return 0;
}

int
v1_send_ph2(struct ike_engine *eng, struct ike_sa *sa, struct v1_ph2 *p,
    const uint8_t *buf, size_t len, bool expect)
{
	int rc;

	if ((rc = ike_sa_keep(&p->out, &p->out_len, buf, len)) != 0)
		return rc;
	p->sends = 1;
	p->deadline_ms = expect ? eng->now_ms + xchg_retrans_after(sa, 1) :
	    UINT64_MAX;
	xchg_send(eng, &sa->local, &sa->remote, buf, len);
	return 0;
}

/* Our last phase-1 message, which answered the peer's last one. */
static bool
resend_last(struct ike_engine *eng, struct ike_sa *sa)
{
	if (sa->out.buf != NULL)
		xchg_send(eng, &sa->local, &sa->remote, sa->out.buf,
		    sa->out.len);
	else if (sa->have_last_resp)
		xchg_send(eng, &sa->local, &sa->remote, sa->last_resp,
		    sa->last_resp_len);
	else
		return false;
	return true;
}

/* ----------------------------------------------------------- input */

static bool
is_ph1(uint8_t exchange)
{
	return exchange == IKEV1_EXCH_MAIN ||
	    exchange == IKEV1_EXCH_AGGRESSIVE;
}

/* Whether m is the peer's last phase-1 message again (then answered
 * from what we sent, or dropped). */
static bool
ph1_duplicate(struct ike_engine *eng, struct ike_sa *sa,
    const struct v1_msg *m)
{
	uint8_t d[V1_DIGEST_LEN];

	v1_digest(m->dgram.p, m->dgram.len, d);
	if (!sa->v1->have_in || memcmp(d, sa->v1->in_digest, sizeof(d)) != 0)
		return false;
	if (resend_last(eng, sa)) {
		log_dbg(LOG_IKE, "SA %u: phase-1 message again: answered",
		    sa->handle);
		eng->st.rx_resent++;
	} else
		eng->st.rx_dropped++;
	return true;
}

/* A message with responder cookie 0: a new phase 1, its
 * retransmission, or the plain notification of a responder that kept
 * no state (to our message 1). */
static void
input_first(struct ike_engine *eng, struct v1_msg *m, uint64_t ci,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	struct ike_sa *sa;

	if (!is_ph1(m->hdr.exchange)) {
		sa = sa_table_find(eng->sas, ci);
		if (m->hdr.exchange != IKEV1_EXCH_INFO || sa == NULL ||
		    sa->version != IKE_VERSION_1 || !sa->initiator ||
		    sa->state != IKE_SA_INIT_SENT || sa->spi_r != 0 ||
		    (m->hdr.flags & IKEV1_F_ENC) != 0) {
			eng->st.rx_dropped++;
			return;
		}
		if (v1_msg_notify(m, IKEV1_N_NO_PROPOSAL_CHOSEN) != NULL)
			sa->fail_reason = reason_npc;	/* a hint only */
		v1_info_input(eng, sa, m);
		return;
	}
	if (m->hdr.msgid != 0 || (m->hdr.flags & IKEV1_F_ENC) != 0) {
		eng->st.rx_malformed++;
		return;
	}
	sa = sa_table_find_init(eng->sas, ci, remote);
	if (sa != NULL) {
		if (sa->version != IKE_VERSION_1 || sa->v1 == NULL ||
		    (sa->v1->step != V1_R_MM2 && sa->v1->step != V1_R_AM2) ||
		    !ph1_duplicate(eng, sa, m))
			eng->st.rx_dropped++;
		return;
	}
	if (sa_table_half_open(eng->sas) >= eng->lim.half_open_max) {
		log_dbg(LOG_IKE, "too many half-open SAs: phase 1 dropped");
		eng->st.rx_dropped++;
		return;
	}
	v1_ph1_new(eng, m, remote, local);
}

/* The SA of a message with both cookies, or NULL. */
static struct ike_sa *
find_sa(struct ike_engine *eng, const struct v1_msg *m, uint64_t ci,
    uint64_t cr)
{
	struct ike_sa *sa;

	sa = sa_table_find(eng->sas, cr);
	if (sa != NULL && sa->version == IKE_VERSION_1 && !sa->initiator &&
	    sa->spi_i == ci)
		return sa;
	sa = sa_table_find(eng->sas, ci);
	if (sa == NULL || sa->version != IKE_VERSION_1 || !sa->initiator)
		return NULL;
	if (sa->spi_r == cr)
		return sa;
	/* message 2: the responder's cookie is new to us */
	if (sa->spi_r == 0 && sa->state == IKE_SA_INIT_SENT &&
	    is_ph1(m->hdr.exchange))
		return sa;
	return NULL;
}

static void
dispatch(struct ike_engine *eng, struct ike_sa *sa, struct v1_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	bool enc = (m->hdr.flags & IKEV1_F_ENC) != 0;
	uint8_t x = m->hdr.exchange;

	if (is_ph1(x)) {
		if ((x == IKEV1_EXCH_AGGRESSIVE) != sa->v1->aggressive ||
		    m->hdr.msgid != 0)
			eng->st.rx_dropped++;
		else if (ph1_duplicate(eng, sa, m))
			return;
		else if (sa->v1->step == V1_DONE)
			eng->st.rx_dropped++;
		else
			v1_ph1_input(eng, sa, m, remote, local);
		return;
	}
	if (x == IKEV1_EXCH_QUICK && sa->state == IKE_SA_ESTABLISHED &&
	    enc && m->hdr.msgid != 0) {
		v1_qm_input(eng, sa, m);
		return;
	}
	if (x == IKEV1_EXCH_INFO && !enc && sa->v1->step != V1_DONE &&
	    (v1_msg_notify(m, IKEV1_N_AUTHENTICATION_FAILED) != NULL ||
	    v1_msg_notify(m, IKEV1_N_INVALID_HASH_INFORMATION) != NULL))
		sa->fail_reason = reason_auth;	/* a hint only */
	if (x == IKEV1_EXCH_INFO && (!enc || sa->v1->step == V1_DONE)) {
		v1_info_input(eng, sa, m);
		return;
	}
	log_dbg(LOG_IKE, "SA %u: exchange %u (E %d) dropped", sa->handle, x,
	    enc);
	eng->st.rx_dropped++;
}

void
v1_input(struct ike_engine *eng, const struct ike_addr *remote,
    const struct ike_addr *local, const uint8_t *buf, size_t len)
{
	struct v1_diag d;
	struct v1_msg *m;
	struct ike_sa *sa;
	uint64_t ci, cr;

	eng->st.rx_packets++;
	if ((m = malloc(sizeof(*m))) == NULL) {
		log_err(LOG_IKE, "out of memory");
		return;
	}
	if (v1_decode(buf, len, m, &d) != 0) {
		log_dbg(LOG_ENC, "IKEv1 datagram refused: %s in %s at %zu",
		    v1_why_str(d.why), v1_pl_name(d.pl_type), d.offset);
		eng->st.rx_malformed++;
		free(m);
		return;
	}
	ci = v1_cookie(m->hdr.icookie);
	cr = v1_cookie(m->hdr.rcookie);
	if (ci == 0)
		eng->st.rx_malformed++;
	else if (cr == 0)
		input_first(eng, m, ci, remote, local);
	else if ((sa = find_sa(eng, m, ci, cr)) == NULL ||
	    sa->state == IKE_SA_DEAD || sa->v1 == NULL)
		eng->st.rx_dropped++;
	else
		dispatch(eng, sa, m, remote, local);
	free(m);
}

/* -------------------------------------------------------- initiate */

int
v1_initiate(struct ike_engine *eng, const struct ike_cfg *cfg,
    const struct child_cfg *ccfg, uint32_t *handle)
{
	struct ike_sa *sa;
	int rc;

	if ((rc = v1_cfg_check(cfg)) != 0 ||
	    (rc = child_cfg_check(ccfg)) != 0)
		return rc;
	if ((rc = ike_sa_new(true, IKE_SA_INIT_SENT, &sa)) != 0)
		return rc;
	if ((rc = v1_state_new(&sa->v1)) != 0) {
		ike_sa_free(sa);
		return rc;
	}
	sa->version = IKE_VERSION_1;
	sa->cfg = *cfg;
	sa->ccfg = *ccfg;
	sa->have_ccfg = true;
	sa->local = cfg->local;
	sa->remote = cfg->remote;
	sa->v1->aggressive = cfg->aggressive;
	sa->handle = ++eng->next_handle;
	sa->created_ms = eng->now_ms;
	if ((rc = sa_table_add(eng->sas, sa)) != 0) {
		ike_sa_free(sa);
		return rc;
	}
	if (cfg->aggressive && cfg->auth == CFG_AUTH_PSK)
		log_warn(LOG_IKE, "SA %u: Aggressive Mode sends our identity "
		    "in the clear and gives an eavesdropper a hash to attack "
		    "the preshared key offline", sa->handle);
	else if (cfg->aggressive)
		log_warn(LOG_IKE, "SA %u: Aggressive Mode sends our identity "
		    "in the clear", sa->handle);
	if ((rc = v1_ph1_start(eng, sa)) != 0) {
		sa_table_remove(eng->sas, sa);
		ike_sa_free(sa);
		return rc;
	}
	*handle = sa->handle;
	return 0;
}

const char *
v1_exhausted_reason(const struct ike_sa *sa, const char *dflt)
{
	if (sa->fail_reason == reason_npc || sa->fail_reason == reason_auth)
		return sa->fail_reason;
	return dflt;
}
