/* core/daemon/tunnels_child.h: further phase-2 tunnels over a phase-1
 * tunnel (CREATE_CHILD_SA, RFC 7296 s. 1.3.1; for IKEv1 a Quick Mode,
 * through the same engine_create_child()).
 *
 * A phase-2 definition started while its phase-1 tunnel exists is
 * listed at once, Negotiating, under that phase 1 and waits in a queue
 * (the entry's reason says so while it waits): the engine has one
 * request outstanding per IKE SA, so the queue under an IKE SA moves one
 * CREATE_CHILD_SA at a time, once the IKE SA is up and its previous
 * Child SA negotiation (IKE_AUTH's, or the previous CREATE_CHILD_SA)
 * has ended.  A queued entry goes Expired with its phase 1 when that
 * fails, and with the engine's reason when the CREATE_CHILD_SA fails. */
#ifndef IKE_DAEMON_TUNNELS_CHILD_H
#define IKE_DAEMON_TUNNELS_CHILD_H

#include "../../db/db.h"
#include "../../db/model.h"
#include "../tunnel/tm.h"
#include "tunnels.h"

/* The live (not Expired) phase-1 entry of definition def running toward
 * peer's remote address (any, when peer is NULL or gives none). */
struct tm_tunnel *tun_find_p1(struct tunnels *, uint32_t def,
	    const struct tun_peer *peer);
/* Whether phase-1 entry p runs toward peer (as above). */
bool	tun_toward(struct tunnels *, const struct tm_tunnel *p,
	    const struct tun_peer *peer);
/* Lists phase-2 definition pt as a new entry under phase-1 entry p,
 * queued; tun_child_kick() starts it when it can.  TUN_STARTED, or
 * TUN_FAILED with a sentence in why. */
enum tun_start tun_child_add(struct tunnels *, struct tm_tunnel *p,
	    const struct db_ipsec_tunnel *pt, char *why, size_t whylen);
/* A phase-2 definition whose remote identity is a Group, for a tunnel
 * to remote (a member, by its address): pt's remote identity becomes
 * that address.  0 (also when pt has no Group), IKE_ENOTFOUND with a
 * sentence in err when remote is no member, IKE_ENOMEM. */
int	tun_p2_group(struct db_txn *, struct db_ipsec_tunnel *pt,
	    const struct ike_addr *remote, char *err, size_t errlen);
/* Starts what can start now of every queue; an IKE SA busy with
 * another request is tried again a moment later. */
void	tun_child_kick(struct tunnels *);

#endif
