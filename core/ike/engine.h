/* core/ike/engine.h: the IKE engine, IKEv2 (RFC 7296) and IKEv1 (RFC
 * 2407-2409; ike_cfg.version picks it for an initiator, the datagram's
 * version for a responder), without I/O of its own.  Datagrams come
 * in through engine_input() and leave through the send callback; time
 * comes in as now_ms arguments (any monotonic millisecond clock), and
 * engine_next_deadline() says when engine_tick() wants to run next.  Kernel state goes through the struct plat given
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
#include <time.h>

#include "core/ike/cfg.h"
#include "core/platform.h"

struct cert_own;
struct cert_store;
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
	uint32_t	 handle;	/* the IKE SA's (an IKE_FAILED for an
					 * IKE_SA_INIT refused without
					 * state: one of its own, no SA) */
	uint64_t	 spi_i, spi_r;
	uint32_t	 child_spi_in, child_spi_out;	/* child events */
	uint16_t	 notify;	/* IKEV2_N_* behind a failure, or 0 */
	const char	*reason;	/* static text, or NULL */
};

struct engine_callbacks {
	/* Sends one datagram from src to dst (addresses with ports).
	 * buf is borrowed for the call.  An IKE message sent from the
	 * NAT-T port (engine_limits.natt_port) needs the 4-octet non-ESP
	 * marker in front (RFC 3948 s. 2.2), which the caller adds; a NAT
	 * keepalive (RFC 3948 s. 2.3) comes through here too, as the one
	 * octet 0xFF (len 1: no IKE message is that short), and goes out
	 * as it is, without a marker. */
	int	(*send)(void *arg, const struct ike_addr *src,
		    const struct ike_addr *dst, const uint8_t *buf,
		    size_t len);
	/* Responder: the IKE configuration for a peer at remote talking to
	 * local.  0, or IKE_ENOTFOUND (the request is dropped).  On entry
	 * out is zeroed but for out->version, the protocol the request
	 * came in (IKE_VERSION_1 or _2); a configuration of the other
	 * version is refused (a version of 0 counts as 2). */
	int	(*ike_cfg)(void *arg, const struct ike_addr *local,
		    const struct ike_addr *remote, struct ike_cfg *out);
	/* Responder, optional: the peer's IDi arrived; the callback may
	 * change cfg (its PSK, remote_id; auth and local_id, which are
	 * checked again against our certificate) or refuse the peer
	 * (non-zero: AUTHENTICATION_FAILED).  Without it IDi must equal
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
	uint64_t	natt_keepalives;	/* NAT keepalives sent */
	uint64_t	natt_floats;	/* peer address/port changes
					 * followed (s. 2.23) */
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
	/* Liveness checks (RFC 7296 s. 2.4): an established IKE SA that
	 * has heard nothing from its peer (no authentic message, no
	 * growth of an inbound Child SA's kernel byte counter) for this
	 * long, with no request outstanding, sends an empty INFORMATIONAL
	 * request; when its retransmissions go unanswered the SA is dead
	 * (ENGINE_EV_IKE_DOWN "peer not responding", Child SAs removed).
	 * 0: no periodic checks. */
	uint64_t	liveness_ms;
	/* NAT traversal (RFC 7296 s. 2.23, RFC 3948).  Unless natt_off,
	 * IKE_SA_INIT carries NAT_DETECTION_*_IP.  When they show a NAT
	 * on either side, the initiator sends IKE_AUTH and everything
	 * after from its natt_port to the peer's natt_port (0: 4500);
	 * either side follows a peer whose address or port changes, but
	 * only on an authentic (ICV-checked) message that is not a
	 * retransmission; the Child SAs are UDP-encapsulated between the
	 * IKE SA's ports (plat_sa natt_sport/natt_dport); and the side
	 * behind the NAT sends a keepalive every keepalive_ms (0: 20 s,
	 * ENGINE_KEEPALIVE_NEVER: none) while the IKE SA is established.
	 * natt_off: no NAT detection payloads sent, the peer's ignored,
	 * so no NAT is ever detected. */
	bool		natt_off;
	uint16_t	natt_port;
	uint64_t	keepalive_ms;
	/* Optional wall clock for certificate validity and CRL dates
	 * (seconds since the Epoch, UTC); NULL: the system's time(). */
	time_t		(*wall_clock)(void *arg);
	void		*wall_clock_arg;
};

#define ENGINE_NATT_PORT	4500
#define ENGINE_KEEPALIVE_MS	(20 * 1000ULL)
#define ENGINE_KEEPALIVE_NEVER	UINT64_MAX

/* plat and cb->... are borrowed and must outlive the engine; lim may be
 * NULL.  Caller frees with engine_free(). */
int	engine_new(struct plat *, const struct engine_callbacks *cb,
	    const struct engine_limits *lim, struct ike_engine **out);
/* Frees every SA, removing its Child SAs from the kernel first and
 * reporting each as down ("engine stopped"); nothing is sent to the
 * peers.  NULL is fine. */
void	engine_free(struct ike_engine *);

/* Certificate authentication (ike_cfg.auth CFG_AUTH_RSA_SIG or
 * _ECDSA_SIG; core/crypto/cert.h, docs/certificates.md): own is our
 * certificate chain and private key, store the trusted CAs and CRLs the
 * peers' certificates are checked against.  Both are borrowed, and must
 * stay valid until they are replaced by another call or the engine is
 * freed (SAs keep no pointer into them: a call between exchanges is
 * fine, e.g. after reloading the files); NULL: none.  The CERTREQ data
 * (key hashes of store's CAs) is computed here.  0, IKE_ENOMEM (the
 * previous ones stay), IKE_EINVAL (own without a certificate).
 * Without own, engine_initiate() refuses a signature configuration and
 * a responder drops IKE_SA_INIT requests for one; without store every
 * peer certificate is refused ("unknown CA"). */
int	engine_set_certs(struct ike_engine *, const struct cert_own *own,
	    const struct cert_store *store);

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
 * ccfg (both copied).  *handle names the IKE SA in events and below.
 * A signature configuration needs engine_set_certs() with a certificate
 * whose key is of that type and vouches for cfg->local_id (type 0: its
 * subject DN is used); else IKE_EINVAL, with the reason logged. */
int	engine_initiate(struct ike_engine *, const struct ike_cfg *cfg,
	    const struct child_cfg *ccfg, uint64_t now_ms, uint32_t *handle);
/* INFORMATIONAL requests on an established IKE SA: Delete of the Child
 * SA with inbound SPI spi_in, Delete of the IKE SA, an empty one as a
 * liveness check.  IKE_ENOTFOUND (no such SA or Child SA, or its Delete
 * is already under way), IKE_ESTATE (not established), IKE_EBUSY (a
 * request outstanding: window size 1) — except for a Child SA's Delete,
 * which then waits and goes out as soon as the window is free (0). */
int	engine_delete_child(struct ike_engine *, uint32_t handle,
	    uint32_t spi_in, uint64_t now_ms);
int	engine_delete_ike(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);
int	engine_liveness(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);

/* CREATE_CHILD_SA on an established IKE SA (RFC 7296 s. 1.3.1): a
 * further Child SA for ccfg (copied; ESP or AH proposals), with PFS when
 * ccfg->pfs_group is set.  The outcome is reported as
 * ENGINE_EV_CHILD_UP or _FAILED.  IKE_ENOTFOUND, IKE_ESTATE (not
 * established, or retiring), IKE_EBUSY (a request outstanding: window
 * size 1), IKE_EINVAL/IKE_EUNSUPP (ccfg). */
int	engine_create_child(struct ike_engine *, uint32_t handle,
	    const struct child_cfg *ccfg, uint64_t now_ms);
/* Rekeys the Child SA with inbound SPI spi_in (s. 1.3.3, 2.8) with its
 * own configuration: the new one is installed (CHILD_UP), then the old
 * one deleted (CHILD_DOWN).  Child SAs with a lifetime are rekeyed by
 * engine_tick() before it ends (at 90% of it on the side that proposed
 * the Child SA, 95% on the other) and deleted when it is over ("lifetime
 * expired").  The kernel SAs get the same limits: hard at the lifetime
 * (lifetime_s, and lifetime_kb KiB per direction), soft at that 90% or
 * 95%, and engine_sa_expired() acts on the kernel's reports.
 * IKE_ENOTFOUND (no such Child SA, or already being rekeyed),
 * IKE_ESTATE (also: retiring), IKE_EBUSY. */
int	engine_rekey_child(struct ike_engine *, uint32_t handle,
	    uint32_t spi_in, uint64_t now_ms);

/* Rekeys the IKE SA (s. 1.3.2, 2.18): a new IKE SA with new SPIs and
 * keys takes over the Child SAs and the handle, and the old one is
 * deleted; no event is reported (engine_sa() shows the new SPIs).  An
 * IKE SA with a lifetime is rekeyed by engine_tick() before it ends (at
 * 90% of it on the original initiator, 95% on the responder) and
 * deleted at its end only if that failed.  IKE_ENOTFOUND, IKE_ESTATE
 * (also: retiring), IKE_EBUSY. */
int	engine_rekey_ike(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);

/* The kernel reported the expiry of one of our Child SAs' kernel SAs
 * (struct plat_upcalls.sa_expired; id borrowed for the call).  Soft:
 * that Child SA is rekeyed as at its soft time lifetime (at once when
 * the window is free, else as soon as it is; same collision handling),
 * unless it is being rekeyed or deleted already or its IKE SA is
 * retiring.  Hard (the kernel removed that SA already): the Child SA is
 * removed at once (its other direction and its policies leave the
 * kernel, ENGINE_EV_CHILD_DOWN with reason "lifetime expired") and a
 * Delete of it goes to the peer as soon as the window is free.
 * 0, IKE_EINVAL (id NULL), IKE_ENOTFOUND (no Child SA of ours has that
 * SA; nothing happens). */
int	engine_sa_expired(struct ike_engine *, const struct plat_sa_id *id,
	    bool hard, uint64_t now_ms);

/* Retires an established IKE SA (`ike cmd=remove phase=1`): it stays,
 * marked retiring (struct ike_sa.retiring), but neither it nor its
 * Child SAs are rekeyed any more (by time, by a kernel soft expiry or on
 * request: IKE_ESTATE), and no Child SA is created on it; the peer's
 * CREATE_CHILD_SA requests get NO_ADDITIONAL_SAS, its Deletes work.
 * Each Child SA is deleted (Delete sent, CHILD_DOWN "lifetime expired")
 * at the end of its time lifetime or at its kernel hard expiry; once no
 * Child SA with a lifetime is left (at once if none has one) the IKE SA
 * is deleted with a Delete (IKE_DOWN "removed"; Child SAs without a
 * lifetime go with it).  A Child SA cannot outlive its IKE SA (RFC 7296
 * s. 1.4.1): at the end of the IKE SA's own lifetime it is deleted with
 * everything on it.  Retiring twice is fine.  IKE_ENOTFOUND, IKE_ESTATE
 * (not established, or being deleted). */
int	engine_retire_ike(struct ike_engine *, uint32_t handle,
	    uint64_t now_ms);

const struct engine_stats *engine_stats(const struct ike_engine *);
/* The IKE SA, for inspection; borrowed until the next engine call. */
const struct ike_sa *engine_sa(const struct ike_engine *, uint32_t handle);
size_t	engine_sa_count(const struct ike_engine *);

#endif
