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

static void
put32(uint8_t *p, uint32_t v)
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
	put32(b, spi);
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

	if (c == NULL || c->state != CHILD_SA_INSTALLED)
		return IKE_ENOTFOUND;
	if ((rc = start(eng, sa, IKEV2_PROTO_ESP, spi_in, true)) == 0)
		c->state = CHILD_SA_DELETING;
	return rc;
}

int
info_delete_children(struct ike_engine *eng, struct ike_sa *sa,
    const uint32_t *spi_in, size_t n)
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
	for (i = 0; i < n; i++) {
		c = ike_sa_child_find(sa, spi_in[i], true);
		if (c == NULL || c->state != CHILD_SA_INSTALLED)
			return IKE_ENOTFOUND;
		put32(b + 4 * i, spi_in[i]);
	}
	if ((m = new_msg(sa, false)) == NULL)
		return IKE_ENOMEM;
	if ((rc = add_delete(m, IKEV2_PROTO_ESP, b, n)) == 0)
		rc = xchg_request(eng, sa, m, true);
	free(m);
	for (i = 0; rc == 0 && i < n; i++)
		ike_sa_child_find(sa, spi_in[i], true)->state =
		    CHILD_SA_DELETING;
	return rc;
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

static void
child_gone(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    const char *reason)
{
	ike_sa_child_unlink(sa, c);
	child_uninstall(eng, sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_DOWN, c, 0, reason);
	child_sa_free(c);
}

/* The peer's Delete of Child SAs: removes them and lists our inbound
 * SPIs for the answer in out (up to cap of them). */
static size_t
delete_children(struct ike_engine *eng, struct ike_sa *sa,
    const struct pl_delete *d, uint8_t *out, size_t cap)
{
	struct child_sa *c;
	uint32_t spi;
	size_t i, n = 0;

	if (d->proto != IKEV2_PROTO_ESP)
		return 0;
	for (i = 0; i < d->nspi; i++) {
		if (ike_msg_delete_spi(d, i, &spi) != 0 ||
		    (c = ike_sa_child_find(sa, spi, false)) == NULL)
			continue;	/* s. 3.11: unknown SPIs are ignored */
		if (c->state != CHILD_SA_DELETING && n < cap)
			put32(out + 4 * n++, c->spi_in);
		child_gone(eng, sa, c, "deleted by peer");
	}
	return n;
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
	uint8_t spis[4 * DEL_MAX_SPIS];
	const struct ike_pl *pl = NULL;
	struct ike_msg *r;
	size_t n = 0;

	if (ike_msg_notify(m, IKEV2_N_AUTHENTICATION_FAILED) != NULL) {
		answer_and_end(eng, sa, m, IKEV2_N_AUTHENTICATION_FAILED,
		    "authentication failed");
		return;
	}
	if (deletes_ike(m)) {
		answer_and_end(eng, sa, m, 0, "deleted by peer");
		return;
	}
	while ((pl = ike_msg_find(m, IKEV2_PL_DELETE, pl)) != NULL)
		n += delete_children(eng, sa, &pl->u.del, spis + 4 * n,
		    DEL_MAX_SPIS - n);
	if ((r = new_msg(sa, true)) == NULL)
		return;
	if (n == 0 || add_delete(r, IKEV2_PROTO_ESP, spis, n) == 0)
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
		xchg_kill(eng, sa, 0, "deleted");
		return;
	}
	for (c = sa->children; c != NULL; c = next) {
		next = c->next;
		if (c->state == CHILD_SA_DELETING)
			child_gone(eng, sa, c, "deleted");
	}
}
