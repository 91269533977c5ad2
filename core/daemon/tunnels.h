/* core/daemon/tunnels.h: the daemon's IKE side: the engine, its UDP
 * sockets and timer on the event loop, the responder's choice of
 * definitions (core/tunnel/tm_cfg.h) and the active tunnel table
 * (core/tunnel/tm.h) kept from the engine's events.
 *
 * Sockets: one per local address in use, bound to that address and the
 * v2 port of isakmpd.conf (and a second one on its v1 port when that
 * differs: IKEv1 tunnels use it), opened through plat_ike_socket()
 * lazily (on the first datagram sent from the address) and, at start,
 * for every local address the definitions name, so that a responder
 * listens without having sent anything.  Binding to a definite address tells
 * the local address of each datagram without IP_PKTINFO. */
#ifndef IKE_DAEMON_TUNNELS_H
#define IKE_DAEMON_TUNNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../codec/wr.h"
#include "../platform.h"
#include "../tunnel/tm.h"
#include "../../db/model.h"

struct isakmpd;
struct tunnels;

/* Creates the engine and opens the listening sockets of the
 * definitions in d's database.  Caller frees with tunnels_free(). */
int	tunnels_new(struct isakmpd *d, struct tunnels **out);
void	tunnels_free(struct tunnels *);		/* NULL is fine */
/* Hands the certificate material to the engine (borrowed until the
 * next call or tunnels_free()).  0 or engine_set_certs()'s error, when
 * the engine keeps the previous ones. */
struct dcerts;
int	tunnels_set_certs(struct tunnels *, const struct dcerts *);
/* Opens the sockets of the local addresses the definitions in the
 * database name now (a responder must listen before anyone sends). */
void	tunnels_listen(struct tunnels *);

/* Brings the trap policies of the on-demand definitions in line with
 * the database (tunnels_trap.c). */
void	tunnels_traps_sync(struct tunnels *);
/* Kernel upcalls (struct plat_upcalls): an ACQUIRE for reqid starts the
 * on-demand definition whose trap has it; an SA's expiry goes to the
 * engine (soft: rekey, hard: gone). */
void	tunnels_acquire(struct tunnels *, uint32_t reqid);
void	tunnels_sa_expired(struct tunnels *, const struct plat_sa_id *,
	    bool hard);

/* The outcome of starting one definition. */
enum tun_start {
	TUN_STARTED, TUN_EXISTS, TUN_FAILED, TUN_UNSUPPORTED
};

/* Starts the phase-2 definition num (with its phase 1): why gets a
 * sentence unless TUN_STARTED. */
enum tun_start tunnels_start_p2(struct tunnels *, uint32_t num, char *why,
	    size_t whylen);
/* Starts the phase-1 definition num with its first phase-2 definition
 * (IKEv2 creates the first Child SA inside IKE_AUTH). */
enum tun_start tunnels_start_p1(struct tunnels *, uint32_t num, char *why,
	    size_t whylen);

/* Updates what may change without an event (the SPIs of a rekeyed IKE
 * SA); call before listing. */
void	tunnels_refresh(struct tunnels *);
/* The table, for listing; borrowed. */
const struct tm_table *tunnels_table(const struct tunnels *);
/* Sends the Delete for an active entry, or drops an expired one.
 * IKE_ESTATE (still negotiating, or a request outstanding),
 * IKE_ENOTFOUND. */
int	tunnels_remove(struct tunnels *, uint8_t phase, uint32_t num);
/* Detail lines of one entry of t's table as CTL_A_KV pairs, with the
 * lifetime left and the kernel's counters of an active phase 2. */
void	tunnels_detail(struct tunnels *t, const struct tm_tunnel *,
	    struct wr *);

/* A peer other than the definition's own, for remid=<group> and
 * ipaddr=: zero fields keep the definition's. */
struct tun_peer {
	struct db_ident	 id;		/* remote identity; type 0: keep */
	struct ike_addr	 remote;	/* remote address; family 0: keep */
	struct ike_addr	 local;		/* local address; family 0: keep */
};

/* The same as tunnels_start_p2() and tunnels_start_p1() toward peer
 * (NULL: the definition's own).  A phase 2 whose phase-1 tunnel (same
 * definition, same peer address) is up already is negotiated over it
 * with CREATE_CHILD_SA; one whose phase 1 is still negotiating waits
 * for it (listed Negotiating).  tunnels_start_p1_to() starts the first
 * phase-2 definition under it inside IKE_AUTH and the others after it,
 * one CREATE_CHILD_SA at a time. */
enum tun_start tunnels_start_p2_to(struct tunnels *, uint32_t num,
	    const struct tun_peer *peer, char *why, size_t whylen);
enum tun_start tunnels_start_p1_to(struct tunnels *, uint32_t num,
	    const struct tun_peer *peer, char *why, size_t whylen);

/* One definition a remid= or ipaddr= names, with the peer to use. */
struct tun_target {
	uint8_t		 phase;		/* 1 or 2 */
	uint32_t	 num;		/* definition number */
	bool		 has_peer;
	struct tun_peer	 peer;
};

#define TUN_MAX_TARGETS	256

struct tun_targets {
	struct tun_target	*v;	/* owned: free() */
	size_t			 n;
};

/* The definitions `ike cmd=activate remid=` names (docs/ike.md), for
 * phase 0 (both), 1 or 2.  0 with ts filled (caller frees ts->v), or
 * IKE_ENOTFOUND / IKE_EINVAL / IKE_EDB with a sentence in why. */
int	tunnels_select_remid(struct tunnels *, const char *remid,
	    uint8_t phase, struct tun_targets *ts, char *why, size_t whylen);
/* The same for ipaddr=src,dst (local src, remote dst). */
int	tunnels_select_ipaddr(struct tunnels *, const char *src,
	    const char *dst, uint8_t phase, struct tun_targets *ts,
	    char *why, size_t whylen);

/* Phase-2 tunnels waiting for their phase 1 (or for the
 * CREATE_CHILD_SA before them; tunnels_child.c): a Child SA event on
 * handle arrived, so the queue under it may move; the work is done from
 * the event loop, outside the engine's callback. */
void	tunnels_child_event(struct tunnels *, uint32_t handle);
/* Whether e is a phase-2 entry waiting in that queue. */
bool	tunnels_queued(const struct tm_tunnel *e);

#endif
