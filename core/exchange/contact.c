/* core/exchange/contact.c: INITIAL_CONTACT (RFC 7296 s. 2.4).
 *
 * An initiator with no other IKE SA with a peer sends N(INITIAL_CONTACT)
 * in its IKE_AUTH request: "I have no state with you".  The responder,
 * once the request is authenticated, drops every other IKE SA it has
 * with that identity, and their Child SAs (without Deletes: the peer no
 * longer knows them), before it installs the new Child SA, so that a
 * peer that crashed or restarted gets its tunnel back at once instead
 * of colliding with the kernel state of its earlier life.  O(n) in the
 * engine's SAs, once per IKE_AUTH. */
#include <string.h>
#include <sys/socket.h>

#include "core/codec/ikev2.h"
#include "core/ike/engine_int.h"
#include "core/log.h"
#include "exchange.h"

static bool
id_eq(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	    memcmp(a->data, b->data, a->len) == 0;
}

static bool
addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr,
	    a->family == AF_INET ? 4 : 16) == 0;
}

/* o is another live IKE SA of sa's peer: same local identity and, for
 * the initiator's question, same remote address or, for the
 * responder's clean-up, same authenticated remote identity (and, with
 * superseded_too, also an SA replaced by a rekey: IKEv1's successor
 * takes its place without the peer deleting it). */
static bool
same_peer(const struct ike_sa *sa, const struct ike_sa *o, bool by_id,
    bool superseded_too)
{
	if (o == sa || (o->superseded && !superseded_too) ||
	    o->state == IKE_SA_DEAD || o->state == IKE_SA_DELETING)
		return false;
	if (!id_eq(&sa->cfg.local_id, &o->cfg.local_id))
		return false;
	return by_id ? sa->cfg.remote_id.type != 0 &&
	    id_eq(&sa->cfg.remote_id, &o->cfg.remote_id) :
	    addr_eq(&sa->remote, &o->remote);
}

struct contact {
	struct ike_engine	*eng;
	struct ike_sa		*sa;
	size_t			 found;
	bool			 superseded_too;
	contact_kill_fn		 kill;
};

static void
other_cb(struct ike_sa *o, void *arg)
{
	struct contact *c = arg;

	if (same_peer(c->sa, o, false, false))
		c->found++;
}

size_t
contact_others(struct ike_engine *eng, struct ike_sa *sa)
{
	struct contact c = { eng, sa, 0, false, NULL };

	sa_table_foreach(eng->sas, other_cb, &c);
	return c.found;
}

int
contact_add(struct ike_engine *eng, struct ike_sa *sa, struct ike_msg *m)
{
	if (contact_others(eng, sa) != 0)
		return 0;
	return xchg_add_notify(m, true, IKEV2_N_INITIAL_CONTACT, NULL, 0);
}

static void
drop_cb(struct ike_sa *o, void *arg)
{
	struct contact *c = arg;

	bool v1 = c->sa->version == IKE_VERSION_1;

	if (!same_peer(c->sa, o, true, c->superseded_too))
		return;
	sa_table_touch(c->eng->sas, o);
	log_info(LOG_IKE, "SA %u: the peer of SA %u restarted (%s): SA %u "
	    "and its %s SAs removed", c->sa->handle, o->handle,
	    v1 ? "INITIAL-CONTACT" : "INITIAL_CONTACT", o->handle,
	    v1 ? "IPsec" : "Child");
	c->kill(c->eng, o, 0, "replaced: the peer restarted");
	c->found++;
}

void
contact_drop(struct ike_engine *eng, struct ike_sa *sa, bool superseded_too,
    contact_kill_fn kill)
{
	struct contact c = { eng, sa, 0, superseded_too, kill };

	sa_table_foreach(eng->sas, drop_cb, &c);
}

void
contact_seen(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	if (ike_msg_notify(m, IKEV2_N_INITIAL_CONTACT) == NULL)
		return;
	contact_drop(eng, sa, false, xchg_kill);
}
