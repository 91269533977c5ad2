/* core/exchange/xchg.c: the exchange layer (RFC 7296 s. 2.1-2.3).
 *
 * Window size 1 both ways.  A request of ours stays outstanding, sent
 * again after retrans_ms, 2 * retrans_ms, 4 * ... until retrans_max
 * retransmissions went unanswered: then the IKE SA is dead ("peer not
 * responding").  With engine_limits.liveness_ms an idle established SA
 * that heard nothing from its peer for that long sends an empty
 * INFORMATIONAL request (info.c), which ends the same way unanswered.  A response counts only when its ID is the outstanding
 * request's.  A peer's request is handled when its ID is the next one
 * expected; one with the ID just answered gets the cached response
 * again, unprocessed; anything else is dropped and counted.  A datagram
 * that does not decode, fails its ICV or breaks the payload rules is
 * dropped and counted without touching the SA. */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/codec/ikev2_rules.h"
#include "core/err.h"
#include "core/log.h"

#define RETRANS_MS_DEFAULT	500
#define RETRANS_MAX_DEFAULT	5
#define RETRANS_SHIFT_MAX	10	/* back-off stops doubling here */

void
xchg_send(struct ike_engine *eng, const struct ike_addr *local,
    const struct ike_addr *remote, const uint8_t *buf, size_t len)
{
	int rc;

	eng->st.tx_packets++;
	if ((rc = eng->cb.send(eng->cb.arg, local, remote, buf, len)) != 0)
		log_dbg(LOG_NET, "send of %zu octets: %s", len,
		    ike_strerror(rc));
}

void
xchg_hdr(const struct ike_sa *sa, uint8_t exchange, bool response,
    struct ike_hdr *out)
{
	memset(out, 0, sizeof(*out));
	out->spi_i = sa->spi_i;
	out->spi_r = sa->spi_r;
	out->exchange = exchange;
	out->flags = (uint8_t)((sa->initiator ? IKEV2_F_INITIATOR : 0) |
	    (response ? IKEV2_F_RESPONSE : 0));
}

static int
encode(struct ike_sa *sa, struct ike_msg *m, bool protect, struct wr *w)
{
	wr_init(w, 65535);
	if (protect)
		return sk_seal(sa, m, w);
	return codec_encode(m, NULL, w, NULL);
}

unsigned int
xchg_retrans_max(const struct ike_sa *sa)
{
	return sa->cfg.retrans_max ? sa->cfg.retrans_max :
	    RETRANS_MAX_DEFAULT;
}

uint64_t
xchg_retrans_after(const struct ike_sa *sa, unsigned int sends)
{
	uint64_t base = sa->cfg.retrans_ms ? sa->cfg.retrans_ms :
	    RETRANS_MS_DEFAULT;
	unsigned int shift = sends > 0 ? sends - 1 : 0;

	if (shift > RETRANS_SHIFT_MAX)
		shift = RETRANS_SHIFT_MAX;
	return base << shift;
}

int
xchg_request(struct ike_engine *eng, struct ike_sa *sa, struct ike_msg *m,
    bool protect)
{
	struct wr w;
	int rc;

	m->hdr.msgid = sa->next_req_id;
	if ((rc = encode(sa, m, protect, &w)) == 0)
		rc = wr_error(&w);
	if (rc == 0) {
		ike_sa_out_clear(sa);
		rc = ike_sa_keep(&sa->out.buf, &sa->out.len, w.buf, w.len);
	}
	wr_free(&w);
	if (rc != 0) {
		log_err(LOG_IKE, "request: %s", ike_strerror(rc));
		return rc;
	}
	sa->out.msgid = m->hdr.msgid;
	sa->out.exchange = m->hdr.exchange;
	sa->out.sends = 1;
	sa->out.deadline_ms = eng->now_ms + xchg_retrans_after(sa, 1);
	xchg_send(eng, &sa->local, &sa->remote, sa->out.buf, sa->out.len);
	return 0;
}

int
xchg_respond(struct ike_engine *eng, struct ike_sa *sa, struct ike_msg *m,
    uint32_t msgid, bool protect)
{
	struct wr w;
	int rc;

	m->hdr.msgid = msgid;
	if ((rc = encode(sa, m, protect, &w)) == 0)
		rc = wr_error(&w);
	if (rc == 0)
		rc = ike_sa_keep(&sa->last_resp, &sa->last_resp_len, w.buf,
		    w.len);
	wr_free(&w);
	if (rc != 0) {
		log_err(LOG_IKE, "response: %s", ike_strerror(rc));
		return rc;
	}
	sa->have_last_resp = true;
	sa->peer_next_id = msgid + 1;
	xchg_send(eng, &sa->local, &sa->remote, sa->last_resp,
	    sa->last_resp_len);
	return 0;
}

/* The end of an established SA's lifetime, its hard limit: rekeying
 * starts before (rekey.c), and the SA is deleted then if that failed;
 * UINT64_MAX without one. */
static uint64_t
expiry(const struct ike_sa *sa)
{
	if (sa->cfg.lifetime_s == 0)
		return UINT64_MAX;
	return sa->up_ms + sa->cfg.lifetime_s * 1000;
}

void
xchg_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	unsigned int max = xchg_retrans_max(sa);

	natt_tick(eng, sa);	/* NAT keepalive, whatever else is due */
	if (sa->state == IKE_SA_HALF_OPEN &&
	    eng->now_ms >= sa->created_ms + eng->lim.half_open_ms) {
		eng->st.half_open_expired++;
		xchg_kill(eng, sa, 0, "no IKE_AUTH from peer");
		return;
	}
	if (sa->state == IKE_SA_ESTABLISHED && sa->out.buf == NULL &&
	    expiry(sa) <= eng->now_ms) {
		log_dbg(LOG_IKE, "SA %u: lifetime over", sa->handle);
		if (info_delete_ike(eng, sa) != 0)
			xchg_kill(eng, sa, 0, "lifetime over");
		return;
	}
	if (sa->state == IKE_SA_ESTABLISHED && sa->out.buf == NULL) {
		if (ike_rekey_at(sa) <= eng->now_ms) {
			log_dbg(LOG_IKE, "SA %u: soft lifetime", sa->handle);
			if (ike_rekey_start(eng, sa) == 0)
				return;
			sa->rekey_failed = true;	/* hard limit stays */
		}
		/* Child SA lifetimes, then (if nothing went out) liveness;
		 * info_liveness_tick() logs its own failures */
		if (ccsa_tick(eng, sa) == 0 && sa->out.buf == NULL)
			(void)info_liveness_tick(eng, sa);
		return;
	}
	if (sa->state == IKE_SA_DEAD || sa->out.buf == NULL ||
	    eng->now_ms < sa->out.deadline_ms)
		return;
	if (sa->out.sends > max) {
		log_dbg(LOG_IKE, "SA %u: no answer to request %u after %u "
		    "sends", sa->handle, sa->out.msgid, sa->out.sends);
		xchg_kill(eng, sa, 0, "peer not responding");
		return;
	}
	sa->out.sends++;
	sa->out.deadline_ms = eng->now_ms + xchg_retrans_after(sa, sa->out.sends);
	eng->st.retransmits++;
	xchg_send(eng, &sa->local, &sa->remote, sa->out.buf, sa->out.len);
}

static uint64_t
min3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t m = a < b ? a : b;

	return m < c ? m : c;
}

uint64_t
xchg_deadline(const struct ike_engine *eng, const struct ike_sa *sa)
{
	uint64_t ka = natt_keepalive_at(eng, sa);

	if (sa->state == IKE_SA_HALF_OPEN)
		return sa->created_ms + eng->lim.half_open_ms;
	if (sa->state == IKE_SA_DEAD)
		return UINT64_MAX;
	if (sa->out.buf == NULL && sa->state == IKE_SA_ESTABLISHED)
		return min3(expiry(sa), ike_rekey_at(sa),
		    min3(ccsa_deadline(sa), info_liveness_at(eng, sa), ka));
	if (sa->out.buf == NULL)
		return ka;
	return sa->out.deadline_ms < ka ? sa->out.deadline_ms : ka;
}

void
xchg_event(struct ike_engine *eng, const struct ike_sa *sa,
    enum engine_ev type, const struct child_sa *c, uint16_t notify,
    const char *reason)
{
	struct engine_event ev = { .type = type, .handle = sa->handle,
	    .spi_i = sa->spi_i, .spi_r = sa->spi_r, .notify = notify,
	    .reason = reason };

	if (c != NULL) {
		ev.child_spi_in = c->spi_in;
		ev.child_spi_out = c->spi_out;
	}
	log_dbg(LOG_IKE, "SA %u: event %d%s%s", sa->handle, (int)type,
	    reason ? ": " : "", reason ? reason : "");
	if (eng->cb.event != NULL)
		eng->cb.event(eng->cb.arg, &ev);
}

void
xchg_kill(struct ike_engine *eng, struct ike_sa *sa, uint16_t notify,
    const char *reason)
{
	struct child_sa *c;
	bool was_up = sa->state == IKE_SA_ESTABLISHED ||
	    sa->state == IKE_SA_DELETING;

	if (sa->state == IKE_SA_DEAD)
		return;
	while ((c = sa->children) != NULL) {
		ike_sa_child_unlink(sa, c);
		child_uninstall(eng, sa, c);
		xchg_event(eng, sa, ENGINE_EV_CHILD_DOWN, c, 0, reason);
		child_sa_free(c);
	}
	if (sa->pending != NULL) {
		child_uninstall(eng, sa, sa->pending);
		child_sa_free(sa->pending);
		sa->pending = NULL;
	}
	ike_sa_create_free(sa);
	ike_rekey_abandon(eng, sa);
	ike_sa_out_clear(sa);
	sa->state = IKE_SA_DEAD;
	sa->fail_reason = reason;
	if (sa->superseded)
		return;		/* replaced by a rekey: nothing ended */
	xchg_event(eng, sa, was_up ? ENGINE_EV_IKE_DOWN : ENGINE_EV_IKE_FAILED,
	    NULL, notify, reason);
}

/* ------------------------------------------------------------ input */

static bool
form_ok(struct ike_engine *eng, const struct ike_msg *m)
{
	struct rules_result res;

	if (rules_check(m, m->hdr.exchange,
	    (m->hdr.flags & IKEV2_F_RESPONSE) != 0, &res) == 0)
		return true;
	log_dbg(LOG_ENC, "exchange %u: %s (%s)", m->hdr.exchange,
	    rules_why_str(res.why), codec_pl_name(res.pl_type));
	eng->st.rx_malformed++;
	return false;
}

static void
input_init(struct ike_engine *eng, const struct ike_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	struct ike_sa *sa;

	if ((m->hdr.flags & IKEV2_F_RESPONSE) == 0) {
		if ((m->hdr.flags & IKEV2_F_INITIATOR) == 0 ||
		    m->hdr.spi_r != 0 || m->hdr.msgid != 0) {
			eng->st.rx_dropped++;
			return;
		}
		sa = sa_table_find_init(eng->sas, m->hdr.spi_i, remote);
		if (sa != NULL && sa->have_last_resp &&
		    sa->state == IKE_SA_HALF_OPEN) {
			eng->st.rx_resent++;
			xchg_send(eng, local, remote, sa->last_resp,
			    sa->last_resp_len);
			return;
		}
		if (sa != NULL) {
			eng->st.rx_dropped++;
			return;
		}
		if (form_ok(eng, m))
			sa_init_request(eng, m, remote, local);
		return;
	}
	sa = sa_table_find(eng->sas, m->hdr.spi_i);
	if (sa == NULL || !sa->initiator || sa->state != IKE_SA_INIT_SENT ||
	    sa->out.buf == NULL || m->hdr.msgid != sa->out.msgid ||
	    (m->hdr.flags & IKEV2_F_INITIATOR) != 0) {
		eng->st.rx_dropped++;
		return;
	}
	if (form_ok(eng, m))
		sa_init_response(eng, sa, m);
}

static void
dispatch(struct ike_engine *eng, struct ike_sa *sa, const struct ike_msg *m,
    bool response)
{
	if (m->hdr.exchange != IKEV2_EXCH_IKE_AUTH &&
	    sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_DELETING) {
		eng->st.rx_dropped++;	/* s. 1.4: only after IKE_AUTH */
		return;
	}
	switch (m->hdr.exchange) {
	case IKEV2_EXCH_IKE_AUTH:
		if (response)
			auth_response(eng, sa, m);
		else
			auth_request(eng, sa, m);
		break;
	case IKEV2_EXCH_INFORMATIONAL:
		if (response)
			info_response(eng, sa, m);
		else
			info_request(eng, sa, m);
		break;
	default:
		if (response)
			ccsa_response(eng, sa, m);
		else
			ccsa_request(eng, sa, m);
		break;
	}
	/* Deletes a rekey left for when the window is free. */
	ccsa_flush(eng, sa);
}

/* Where a protected message goes by its ID: 1 handle it, 0 done
 * (dropped or answered from the cache). */
static int
window(struct ike_engine *eng, struct ike_sa *sa, const struct ike_msg *m,
    bool response)
{
	uint32_t id = m->hdr.msgid;

	if (response) {
		if (sa->out.buf != NULL && id == sa->out.msgid &&
		    m->hdr.exchange == sa->out.exchange)
			return 1;
	} else if (id == sa->peer_next_id) {
		return 1;
	} else if (sa->have_last_resp && id + 1 == sa->peer_next_id) {
		eng->st.rx_resent++;
		xchg_send(eng, &sa->local, &sa->remote, sa->last_resp,
		    sa->last_resp_len);
		return 0;
	}
	log_dbg(LOG_IKE, "SA %u: %s %u out of window", sa->handle,
	    response ? "response" : "request", id);
	eng->st.rx_dropped++;
	return 0;
}

static void
input_protected(struct ike_engine *eng, struct ike_msg *m,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	bool from_i = (m->hdr.flags & IKEV2_F_INITIATOR) != 0;
	bool response = (m->hdr.flags & IKEV2_F_RESPONSE) != 0;
	struct ike_sa *sa;
	uint8_t *pt = NULL;
	size_t pt_len = 0;

	sa = sa_table_find(eng->sas, from_i ? m->hdr.spi_r : m->hdr.spi_i);
	if (sa == NULL || sa->initiator == from_i || sa->sk_in == NULL ||
	    sa->state == IKE_SA_DEAD || sa->spi_i != m->hdr.spi_i ||
	    sa->spi_r != m->hdr.spi_r) {
		eng->st.rx_dropped++;
		return;
	}
	if (sk_open(sa, m, &pt, &pt_len) != 0) {
		eng->st.rx_malformed++;
		return;
	}
	sa->last_rx_ms = eng->now_ms;	/* authentic: the peer is alive */
	if (form_ok(eng, m) && window(eng, sa, m, response) == 1) {
		/* s. 2.23: authentic and not a replay: follow the peer */
		natt_follow(eng, sa, remote, local);
		if (response)
			ike_sa_out_clear(sa);
		if (response)
			sa->next_req_id = m->hdr.msgid + 1;
		dispatch(eng, sa, m, response);
	}
	sk_pt_free(pt, pt_len);
}

void
xchg_input(struct ike_engine *eng, const struct ike_addr *remote,
    const struct ike_addr *local, const uint8_t *buf, size_t len)
{
	struct codec_diag d;
	struct ike_msg *m;

	eng->st.rx_packets++;
	if ((m = malloc(sizeof(*m))) == NULL) {
		log_err(LOG_IKE, "out of memory");
		return;
	}
	if (codec_decode(buf, len, m, &d) != 0) {
		log_dbg(LOG_ENC, "datagram refused: %s in %s at %zu",
		    codec_why_str(d.why), codec_pl_name(d.pl_type), d.offset);
		eng->st.rx_malformed++;
	} else if (m->hdr.exchange == IKEV2_EXCH_IKE_SA_INIT)
		input_init(eng, m, remote, local);
	else
		input_protected(eng, m, remote, local);
	free(m);
}

/* ---------------------------------------------------------- helpers */

bool
xchg_prop_has(const struct ike_msg *m, const struct ike_prop *p,
    uint8_t type, uint16_t id, uint16_t key_bits)
{
	const struct ike_xform *x;
	size_t i;

	for (i = p->xf0; i < (size_t)p->xf0 + p->nxf && i < m->nxf; i++) {
		x = &m->xf[i];
		if (x->type == type && x->id == id &&
		    (type != IKEV2_XF_ENCR ||
		    ike_xform_key_bits(m, x) == key_bits))
			return true;
	}
	return false;
}

bool
xchg_prop_has_type(const struct ike_msg *m, const struct ike_prop *p,
    uint8_t type)
{
	size_t i;

	for (i = p->xf0; i < (size_t)p->xf0 + p->nxf && i < m->nxf; i++)
		if (m->xf[i].type == type)
			return true;
	return false;
}

int
xchg_add_notify(struct ike_msg *m, bool encrypted, uint16_t type,
    const uint8_t *data, size_t len)
{
	struct ike_pl *pl;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_NOTIFY, encrypted, &pl)) != 0)
		return rc;
	pl->u.notify.type = type;
	pl->u.notify.data = (struct ike_slice){ data, len };
	return 0;
}
