/* core/exchange/info.c: INFORMATIONAL exchanges (RFC 7296 s. 1.4,
 * 1.4.1, 2.4, 3.11).
 *
 *   HDR, SK {D(ESP, SPI)}  -->   <--  HDR, SK {D(ESP, SPI')}
 *   HDR, SK {D(IKE)}       -->   <--  HDR, SK {}
 *   HDR, SK {}             -->   <--  HDR, SK {}      (liveness)
 *
 * A Child SA is named in a Delete by the SPI its sender expects on
 * inbound packets, so the receiver looks it up among its outbound SPIs
 * and answers with its own inbound SPI.  A Child SA we are deleting
 * ourselves at the same time is removed and not repeated (s. 1.4.1). */
#include "core/exchange/exchange.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"

#define DEL_MAX_SPIS	16

static struct ike_msg *
new_msg(const struct ike_sa *sa, bool response)
{
	struct ike_msg *m;
	struct ike_hdr h;
	struct ike_pl *pl;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	xchg_hdr(sa, IKEV2_EXCH_INFORMATIONAL, response, &h);
	ike_msg_init(m, &h);
	if (ike_msg_add(m, IKEV2_PL_SK, false, &pl) != 0) {
		free(m);
		return NULL;
	}
	return m;
}

static int
add_delete(struct ike_msg *m, uint8_t proto, const uint8_t *spis,
    size_t nspi)
{
	struct ike_pl *pl;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_DELETE, true, &pl)) != 0)
		return rc;
	pl->u.del.proto = proto;
	pl->u.del.spi_size = proto == IKEV2_PROTO_IKE ? 0 :
	    IKEV2_SPI_SIZE_CHILD;
	pl->u.del.nspi = (uint16_t)nspi;
	pl->u.del.spis = (struct ike_slice){ spis, nspi * 4 };
	return 0;
}

void
info_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
start(struct ike_engine *eng, struct ike_sa *sa, uint8_t proto,
    uint32_t spi, bool del)
{
	struct ike_msg *m;
	uint8_t b[4];
	int rc = 0;

	if (sa->state != IKE_SA_ESTABLISHED)
		return IKE_ESTATE;
	if (sa->out.buf != NULL)
		return IKE_EBUSY;
	if ((m = new_msg(sa, false)) == NULL)
		return IKE_ENOMEM;
	info_put32(b, spi);
	if (del)
		rc = add_delete(m, proto, b, proto == IKEV2_PROTO_IKE ? 0 : 1);
	if (rc == 0)
		rc = xchg_request(eng, sa, m, true);
	free(m);
	return rc;
}

int
info_delete_child(struct ike_engine *eng, struct ike_sa *sa, uint32_t spi_in)
{
	struct child_sa *c = ike_sa_child_find(sa, spi_in, true);
	int rc;

	if (c == NULL || c->state != CHILD_SA_INSTALLED || c->doomed)
		return IKE_ENOTFOUND;
	if ((rc = start(eng, sa, c->proto, spi_in, true)) == 0)
		c->state = CHILD_SA_DELETING;
	else if (rc == IKE_EBUSY) {
		c->doomed = true;	/* ccsa_flush() sends it as soon as
					 * the window is free */
		rc = 0;
	}
	return rc;
}

/* A Delete payload for each protocol among the n SPIs (ESP first); b
 * (4 * n octets) holds the SPIs until m is encoded. */
static int
add_deletes(struct ike_msg *m, const uint8_t *protos, const uint32_t *spis,
    size_t n, uint8_t *b)
{
	static const uint8_t order[] = { IKEV2_PROTO_ESP, IKEV2_PROTO_AH };
	size_t i, k, at = 0, first;
	int rc;

	for (k = 0; k < sizeof(order); k++) {	/* uint8_t: one each */
		first = at;
		for (i = 0; i < n; i++)
			if (protos[i] == order[k])
				info_put32(b + 4 * at++, spis[i]);
		if (at > first && (rc = add_delete(m, order[k], b + 4 * first,
		    at - first)) != 0)
			return rc;
	}
	return at == n ? 0 : IKE_EINVAL;
}

int
info_delete_spis(struct ike_engine *eng, struct ike_sa *sa,
    const uint8_t *protos, const uint32_t *spi_in, size_t n)
{
	uint8_t b[4 * DEL_MAX_SPIS];
	struct child_sa *c;
	struct ike_msg *m;
	size_t i;
	int rc;

	if (sa->state != IKE_SA_ESTABLISHED)
		return IKE_ESTATE;
	if (sa->out.buf != NULL)
		return IKE_EBUSY;
	if (n == 0 || n > DEL_MAX_SPIS)
		return IKE_EINVAL;
	if ((m = new_msg(sa, false)) == NULL)
		return IKE_ENOMEM;
	if ((rc = add_deletes(m, protos, spi_in, n, b)) == 0)
		rc = xchg_request(eng, sa, m, true);
	free(m);
	for (i = 0; rc == 0 && i < n; i++)
		if ((c = ike_sa_child_find(sa, spi_in[i], true)) != NULL &&
		    c->proto == protos[i] && c->state == CHILD_SA_INSTALLED)
			c->state = CHILD_SA_DELETING;
	return rc;
}

int
info_delete_children(struct ike_engine *eng, struct ike_sa *sa,
    const uint32_t *spi_in, size_t n)
{
	uint8_t protos[DEL_MAX_SPIS];
	struct child_sa *c;
	size_t i;

	if (n == 0 || n > DEL_MAX_SPIS)
		return IKE_EINVAL;
	for (i = 0; i < n; i++) {
		c = ike_sa_child_find(sa, spi_in[i], true);
		if (c == NULL || c->state != CHILD_SA_INSTALLED)
			return IKE_ENOTFOUND;
		protos[i] = c->proto;
	}
	return info_delete_spis(eng, sa, protos, spi_in, n);
}

int
info_delete_ike(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	if ((rc = start(eng, sa, IKEV2_PROTO_IKE, 0, true)) == 0)
		sa->state = IKE_SA_DELETING;
	return rc;
}

int
info_liveness(struct ike_engine *eng, struct ike_sa *sa)
{
	return start(eng, sa, 0, 0, false);
}

/* c's reason when it was set (a lifetime), else reason. */
void
info_child_gone(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    const char *reason)
{
	ike_sa_child_unlink(sa, c);
	child_uninstall(eng, sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_DOWN, c, 0,
	    c->down_reason != NULL ? c->down_reason : reason);
	child_sa_free(c);
}

/* The Child SA of protocol proto with outbound SPI spi, or NULL. */
struct child_sa *
info_find_out(const struct ike_sa *sa, uint8_t proto, uint32_t spi)
{
	struct child_sa *c;

	for (c = sa->children; c != NULL; c = c->next)
		if (c->spi_out == spi && c->proto == proto)
			return c;
	return NULL;
}

/* What the answer to the peer's Delete names: our inbound SPIs. */
struct del_answer {
	uint8_t		 protos[DEL_MAX_SPIS];
	uint32_t	 spis[DEL_MAX_SPIS];
	size_t		 n;
};

/* The peer's Delete of Child SAs (ESP or AH): removes them and lists
 * our inbound SPIs for the answer in a. */
static void
delete_children(struct ike_engine *eng, struct ike_sa *sa,
    const struct pl_delete *d, struct del_answer *a)
{
	struct child_sa *c;
	uint32_t spi;
	size_t i;

	if (d->proto != IKEV2_PROTO_ESP && d->proto != IKEV2_PROTO_AH)
		return;
	for (i = 0; i < d->nspi; i++) {
		if (ike_msg_delete_spi(d, i, &spi) != 0 ||
		    (c = info_find_out(sa, d->proto, spi)) == NULL)
			continue;	/* s. 3.11: unknown SPIs are ignored */
		if (c->state != CHILD_SA_DELETING && a->n < DEL_MAX_SPIS) {
			a->protos[a->n] = c->proto;
			a->spis[a->n++] = c->spi_in;
		}
		info_child_gone(eng, sa, c, "deleted by peer");
	}
}

static bool
deletes_ike(const struct ike_msg *m)
{
	const struct ike_pl *pl = NULL;

	while ((pl = ike_msg_find(m, IKEV2_PL_DELETE, pl)) != NULL)
		if (pl->u.del.proto == IKEV2_PROTO_IKE)
			return true;
	return false;
}

static void
answer_and_end(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m, uint16_t notify, const char *reason)
{
	struct ike_msg *r;

	if ((r = new_msg(sa, true)) != NULL)
		(void)xchg_respond(eng, sa, r, m->hdr.msgid, true); /* logged */
	free(r);
	xchg_kill(eng, sa, notify, reason);
}

void
info_request(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	uint8_t b[4 * DEL_MAX_SPIS];
	const struct ike_pl *pl = NULL;
	struct del_answer a;
	struct ike_msg *r;

	if (ike_msg_notify(m, IKEV2_N_AUTHENTICATION_FAILED) != NULL) {
		answer_and_end(eng, sa, m, IKEV2_N_AUTHENTICATION_FAILED,
		    "authentication failed");
		return;
	}
	if (deletes_ike(m)) {
		answer_and_end(eng, sa, m, 0, "deleted by peer");
		return;
	}
	a.n = 0;
	while ((pl = ike_msg_find(m, IKEV2_PL_DELETE, pl)) != NULL)
		delete_children(eng, sa, &pl->u.del, &a);
	if ((r = new_msg(sa, true)) == NULL)
		return;
	if (add_deletes(r, a.protos, a.spis, a.n, b) == 0)
		(void)xchg_respond(eng, sa, r, m->hdr.msgid, true); /* logged */
	free(r);
}

void
info_response(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	struct child_sa *c, *next;

	(void)m;	/* the answer's Delete names what we deleted */
	if (sa->state == IKE_SA_DELETING) {
		xchg_kill(eng, sa, 0, sa->retiring ? "removed" : "deleted");
		return;
	}
	for (c = sa->children; c != NULL; c = next) {
		next = c->next;
		if (c->state == CHILD_SA_DELETING)
			info_child_gone(eng, sa, c, "deleted");
	}
}

/* ---------------------------------------------------------- liveness */

uint64_t
info_liveness_at(const struct ike_engine *eng, const struct ike_sa *sa)
{
	uint64_t last = sa->last_rx_ms > sa->up_ms ? sa->last_rx_ms :
	    sa->up_ms;

	if (eng->lim.liveness_ms == 0 || sa->state != IKE_SA_ESTABLISHED ||
	    sa->superseded || sa->out.buf != NULL)
		return UINT64_MAX;
	return last + eng->lim.liveness_ms;
}

int
info_liveness_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	int rc;

	if (info_liveness_at(eng, sa) > eng->now_ms)
		return 0;
	if (child_traffic_seen(eng, sa)) {
		sa->last_rx_ms = eng->now_ms;	/* the peer is sending */
		return 0;
	}
	log_dbg(LOG_IKE, "SA %u: nothing from the peer for %llu ms: "
	    "liveness check", sa->handle,
	    (unsigned long long)(eng->now_ms - (sa->last_rx_ms > sa->up_ms ?
	    sa->last_rx_ms : sa->up_ms)));
	if ((rc = info_liveness(eng, sa)) != 0) {
		log_dbg(LOG_IKE, "SA %u: liveness check: %s", sa->handle,
		    ike_strerror(rc));
		sa->last_rx_ms = eng->now_ms;	/* try again later */
		return 0;
	}
	return 1;
}
