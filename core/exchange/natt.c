/* core/exchange/natt.c: NAT traversal after detection (RFC 7296 s. 2.23,
 * RFC 3948).  natd.c finds the NAT in IKE_SA_INIT and moves the
 * initiator to the NAT-T port; from then on:
 *
 *   - each side answers and sends to where the peer's last authentic,
 *     fresh message came from (natt_follow(), called by xchg.c once the
 *     ICV and the message ID were checked: never on an unauthenticated
 *     datagram, nor on a replayed one);
 *   - the Child SAs are UDP-encapsulated between the IKE SA's ports
 *     (child.c asks natt_active());
 *   - the side behind the NAT sends the one-octet keepalive 0xFF to the
 *     peer every keepalive interval, so that the NAT keeps its mapping.
 *
 * Child SAs installed before a later change of the peer's address or
 * port keep the old encapsulation until they are rekeyed: the keys to
 * install them anew are gone. */
#include "core/exchange/exchange.h"

#include <string.h>
#include <sys/socket.h>

#include "core/log.h"

static const uint8_t keepalive[1] = { 0xff };	/* RFC 3948 s. 2.3 */

uint16_t
natt_port(const struct ike_engine *eng)
{
	return eng->lim.natt_port != 0 ? eng->lim.natt_port :
	    ENGINE_NATT_PORT;
}

bool
natt_active(const struct ike_sa *sa)
{
	return sa->nat_local || sa->nat_remote;
}

static bool
same_addr(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

void
natt_follow(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_addr *remote, const struct ike_addr *local)
{
	if (!natt_active(sa) || remote->family != sa->remote.family ||
	    local->family != sa->local.family)
		return;
	if (same_addr(remote, &sa->remote) && same_addr(local, &sa->local))
		return;
	log_dbg(LOG_IKE, "SA %u: peer moved (port %u to %u, our port %u to "
	    "%u)", sa->handle, sa->remote.port, remote->port, sa->local.port,
	    local->port);
	eng->st.natt_floats++;
	sa->remote = *remote;
	sa->local = *local;
}

static uint64_t
interval(const struct ike_engine *eng)
{
	return eng->lim.keepalive_ms != 0 ? eng->lim.keepalive_ms :
	    ENGINE_KEEPALIVE_MS;
}

uint64_t
natt_keepalive_at(const struct ike_engine *eng, const struct ike_sa *sa)
{
	uint64_t last = sa->natt_ka_ms > sa->up_ms ? sa->natt_ka_ms :
	    sa->up_ms, iv = interval(eng);

	if (!sa->nat_local || sa->state != IKE_SA_ESTABLISHED ||
	    sa->superseded || iv == ENGINE_KEEPALIVE_NEVER ||
	    last > UINT64_MAX - iv)
		return UINT64_MAX;
	return last + iv;
}

void
natt_tick(struct ike_engine *eng, struct ike_sa *sa)
{
	if (natt_keepalive_at(eng, sa) > eng->now_ms)
		return;
	sa->natt_ka_ms = eng->now_ms;
	eng->st.natt_keepalives++;
	xchg_send(eng, &sa->local, &sa->remote, keepalive, sizeof(keepalive));
}
