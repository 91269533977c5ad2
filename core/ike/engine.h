/* core/ike/engine.h: the IKEv2 engine (RFC 7296), without I/O of its
 * own.  Datagrams come in through engine_input() and leave through the
 * send callback; time comes in as now_ms arguments (any monotonic
 * millisecond clock), and engine_next_deadline() says when engine_tick()
 * wants to run next.  Kernel state goes through the struct plat given
 * to engine_new().
 *
 * Peer-caused problems are counted (struct engine_stats) and logged at
 * debug level; what happens to SAs is reported through the event
 * callback. */
#ifndef IKE_ENGINE_H
#define IKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ike/cfg.h"
#include "core/platform.h"

struct ike_engine;
struct ike_sa;

enum engine_ev {
	ENGINE_EV_IKE_UP = 1,		/* IKE SA established */
	ENGINE_EV_IKE_FAILED,		/* never came up: reason, notify */
	ENGINE_EV_IKE_DOWN,		/* established one deleted or dead */
	ENGINE_EV_CHILD_UP,		/* Child SA installed */
	ENGINE_EV_CHILD_FAILED,		/* not created: reason, notify */
	ENGINE_EV_CHILD_DOWN,		/* Child SA deleted */
};

struct engine_event {
	enum engine_ev	 type;
	uint32_t	 handle;	/* the IKE SA's */
	uint64_t	 spi_i, spi_r;
	uint32_t	 child_spi_in, child_spi_out;	/* child events */
	uint16_t	 notify;	/* IKEV2_N_* behind a failure, or 0 */
	const char	*reason;	/* static text, or NULL */
};

struct engine_callbacks {
	/* Sends one datagram from src to dst (addresses with ports).
	 * buf is borrowed for the call. */
	int	(*send)(void *arg, const struct ike_addr *src,
		    const struct ike_addr *dst, const uint8_t *buf,
		    size_t len);
	/* Responder: the IKE configuration for a peer at remote talking to
	 * local.  0, or IKE_ENOTFOUND (the request is dropped). */
	int	(*ike_cfg)(void *arg, const struct ike_addr *local,
		    const struct ike_addr *remote, struct ike_cfg *out);
	/* Responder, optional: the peer's IDi arrived; the callback may
	 * change cfg (its PSK, remote_id) or refuse the peer (non-zero:
	 * AUTHENTICATION_FAILED).  Without it IDi must equal
	 * cfg->remote_id unless that has type 0. */
	int	(*peer_id)(void *arg, const struct ike_id *idi,
		    struct ike_cfg *cfg);
	/* Responder: the Child SA configuration for the first traffic
	 * selectors the initiator proposed (tsi: its side, tsr: ours).
	 * IKE_ENOTFOUND: TS_UNACCEPTABLE. */
	int	(*child_cfg)(void *arg, const struct ike_cfg *,
		    const struct ike_ts *tsi, const struct ike_ts *tsr,
		    struct child_cfg *out);
	/* Optional. ev is borrowed for the call. */
	void	(*event)(void *arg, const struct engine_event *ev);
	void	*arg;
};

struct engine_stats {
	uint64_t	rx_packets;	/* every datagram given */
	uint64_t	rx_malformed;	/* undecodable, bad ICV, bad form */
	uint64_t	rx_dropped;	/* unknown SPI, out of window,
					 * unexpected, replayed */
	uint64_t	rx_resent;	/* requests answered from the cache */
	uint64_t	retransmits;	/* our requests sent again */
	uint64_t	tx_packets;
	uint64_t	cookies_sent;
	uint64_t	half_open_expired;	/* never saw IKE_AUTH */
};

struct engine_limits {
	size_t		half_open_max;	/* cookies above this; 0: 1000 */
	uint64_t	cookie_rotate_ms;	/* secret lifetime; 0: 1 h */
	uint64_t	half_open_ms;	/* a responder SA waiting this long
					 * for IKE_AUTH is dropped; 0: 30 s */
	/* Optional source of the CREATE_CHILD_SA nonces (a test seam);
	 * NULL: the system's random generator.  0 on success. */
	int		(*nonce)(void *arg, uint8_t *buf, size_t len);
	void		*nonce_arg;
};

/* plat and cb->... are borrowed and must outlive the engine; lim may be
 * NULL.  Caller frees with engine_free(). */
int	engine_new(struct plat *, const struct engine_callbacks *cb,
	    const struct engine_limits *lim, struct ike_engine **out);
/* Frees every SA, removing its Child SAs from the kernel first and
 * reporting each as down ("engine stopped"); nothing is sent to the
 * peers.  NULL is fine. */
void	engine_free(struct ike_engine *);

/* Handles one datagram received on local from remote (both with
 * ports); buf is borrowed for the call. */
void	engine_input(struct ike_engine *, uint64_t now_ms,
	    const struct ike_addr *remote, const struct ike_addr *local,
	    const uint8_t *buf, size_t len);
/* Retransmissions and their exhaustion. */
void	engine_tick(struct ike_engine *, uint64_t now_ms);
/* The earliest time engine_tick() has something to do; UINT64_MAX for
 * never. */
uint64_t engine_next_deadline(const struct ike_engine *);

/* Starts IKE_SA_INIT for cfg and, inside IKE_AUTH, the Child SA for
 * ccfg (both copied).  *handle names the IKE SA in events and below. */
int	engine_initiate(struct ike_engine *, const struct ike_cfg *cfg,
	    const struct child_cfg *ccfg, uint64_t now_ms, uint32_t *handle);
/* INFORMATIONAL requests on an established IKE SA: Delete of the Child
 * SA with inbound SPI spi_in, Delete of the IKE SA, an empty one as a
 * liveness check.  IKE_ENOTFOUND, IKE_ESTATE (not established, or a
 * request outstanding: window size 1). */
int	engine_delete_child(struct ike_engine *, uint32_t handle,
	    uint32_t spi_in, uint64_t now_ms);
int	engine_delete_ike(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);
int	engine_liveness(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);

/* CREATE_CHILD_SA on an established IKE SA (RFC 7296 s. 1.3.1): a
 * further Child SA for ccfg (copied), with PFS when ccfg->pfs_group is
 * set.  The outcome is reported as ENGINE_EV_CHILD_UP or _FAILED.
 * IKE_ENOTFOUND, IKE_ESTATE (not established), IKE_EBUSY (a request
 * outstanding: window size 1), IKE_EINVAL/IKE_EUNSUPP (ccfg). */
int	engine_create_child(struct ike_engine *, uint32_t handle,
	    const struct child_cfg *ccfg, uint64_t now_ms);
/* Rekeys the Child SA with inbound SPI spi_in (s. 1.3.3, 2.8) with its
 * own configuration: the new one is installed (CHILD_UP), then the old
 * one deleted (CHILD_DOWN).  Child SAs with a lifetime are rekeyed by
 * engine_tick() before it ends (at 90% of it on the side that proposed
 * the Child SA, 95% on the other) and deleted when it is over.
 * IKE_ENOTFOUND (no such Child SA, or already being rekeyed),
 * IKE_ESTATE, IKE_EBUSY. */
int	engine_rekey_child(struct ike_engine *, uint32_t handle,
	    uint32_t spi_in, uint64_t now_ms);

/* Rekeys the IKE SA (s. 1.3.2, 2.18): a new IKE SA with new SPIs and
 * keys takes over the Child SAs and the handle, and the old one is
 * deleted; no event is reported (engine_sa() shows the new SPIs).  An
 * IKE SA with a lifetime is rekeyed by engine_tick() before it ends (at
 * 90% of it on the original initiator, 95% on the responder) and
 * deleted at its end only if that failed.  IKE_ENOTFOUND, IKE_ESTATE,
 * IKE_EBUSY. */
int	engine_rekey_ike(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);

const struct engine_stats *engine_stats(const struct ike_engine *);
/* The IKE SA, for inspection; borrowed until the next engine call. */
const struct ike_sa *engine_sa(const struct ike_engine *, uint32_t handle);
size_t	engine_sa_count(const struct ike_engine *);

#endif
