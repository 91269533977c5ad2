/* core/sa/ike_sa.h: one IKE SA and its Child SAs (RFC 7296 s. 1, 2.1,
 * 2.14, 2.17): identity, negotiated algorithms, keys, nonces, the
 * message-ID state of both windows, and the Child SAs it created.
 *
 * Everything secret (SK_* keys, the DH private value, the SK ciphers,
 * the preshared key in cfg) is owned by the SA and wiped by
 * ike_sa_free(). */
#ifndef IKE_SA_H
#define IKE_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev2.h"
#include "core/crypto/kdf.h"
#include "core/ike/cfg.h"
#include "core/platform.h"

struct dh;
struct sk_cipher;
struct v1_state;

#define IKE_SA_SUBJECT_MAX	256	/* peer's subject DN text, NUL */

enum ike_sa_state {
	IKE_SA_INIT_SENT = 1,	/* initiator: waiting for IKE_SA_INIT resp */
	IKE_SA_HALF_OPEN,	/* responder: waiting for IKE_AUTH */
	IKE_SA_AUTH_SENT,	/* initiator: waiting for IKE_AUTH resp */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,	/* our Delete is outstanding */
	IKE_SA_DEAD,		/* to be freed by the engine */
};

enum child_sa_state {
	CHILD_SA_LARVAL = 1,	/* inbound SPI reserved, not installed */
	CHILD_SA_INSTALLED,
	CHILD_SA_DELETING,	/* our Delete is outstanding */
};

struct child_sa {
	struct child_sa		*next;		/* owned by the list */
	enum child_sa_state	 state;
	uint8_t			 proto;		/* IKEV2_PROTO_ESP or _AH */
	uint32_t		 spi_in, spi_out;	/* host order */
	enum plat_mode		 mode;
	bool			 esn;
	uint16_t		 encr, key_bits, integ;
	struct ike_ts		 ts_local, ts_remote;
	uint32_t		 reqid;
	bool			 policies;	/* installed in the kernel */
	bool			 out_trap;	/* the outbound one is the
						 * caller's trap (cfg.out_held)
						 * and not ours to remove */
	struct child_cfg	 cfg;		/* it was negotiated from */
	uint16_t		 pfs;		/* D-H group of the exchange
						 * that made it (PFS); 0:
						 * none */
	uint64_t		 up_ms;		/* when installed */
	bool			 ours;		/* we proposed it */
	bool			 rekeyed;	/* a successor exists or is
						 * being negotiated */
	bool			 rekey_failed;	/* no automatic retry */
	bool			 doomed;	/* to be deleted by us as soon
						 * as the window is free */
	uint32_t		 replaces;	/* inbound SPI of the Child SA
						 * it rekeyed, or 0 */
	uint32_t		 spi_alt;	/* initiator: inbound SPI
						 * reserved for the other
						 * protocol (ESP <-> AH) when
						 * the proposals mix both;
						 * released once the answer
						 * picks one; 0: none */
	bool			 rekey_due;	/* the kernel reported a soft
						 * expiry: rekey when idle */
	const char		*down_reason;	/* static text for its
						 * CHILD_DOWN, or NULL */
	uint64_t		 in_bytes;	/* inbound kernel counter at
						 * the last liveness check */
	/* The nonces of the exchange that made it (s. 2.17), kept for
	 * the collision rule of s. 2.8.1 and for inspection. */
	uint8_t			 ni[IKEV2_NONCE_MAX], nr[IKEV2_NONCE_MAX];
	size_t			 ni_len, nr_len;
};

/* Our outstanding CREATE_CHILD_SA request (s. 1.3.1, 1.3.3): what the
 * answer is checked and keyed against.  Secrets wiped on free. */
struct child_create {
	struct child_cfg	 cfg;
	uint8_t			 ni[IKEV2_NONCE_MAX];
	size_t			 ni_len;
	struct dh		*dh;		/* owned; PFS only */
	uint32_t		 rekey_spi;	/* inbound SPI of the Child SA
						 * being rekeyed; 0: a new
						 * one */
};

/* A Child SA already removed (its kernel SA expired) that the peer is
 * still to be told about with a Delete: its protocol and inbound SPI. */
#define IKE_SA_GONE_MAX	16
struct child_gone {
	uint8_t		 proto;		/* IKEV2_PROTO_ESP or _AH */
	uint32_t	 spi_in;
};

/* A request we sent and the peer has not answered (window size 1). */
struct xchg_out {
	uint8_t		*buf;		/* owned; NULL: none outstanding */
	size_t		 len;
	uint32_t	 msgid;
	uint8_t		 exchange;
	unsigned int	 sends;		/* transmissions so far */
	uint64_t	 deadline_ms;	/* next retransmission */
};

/* What core/sa/sa_table.c keeps in each SA: its other hash chains, the
 * keys it was filed under, its place in the deadline heap and in the
 * list of SAs handed out since the table was last brought up to date.
 * Nobody else reads or writes it. */
struct sa_table_link {
	struct ike_sa		*hnext_handle;	/* chain by handle */
	struct ike_sa		*hnext_init;	/* chain by peer's SPI */
	struct ike_sa		*tnext;		/* touched list */
	uint64_t		 deadline;	/* heap key */
	size_t			 heap_at;	/* index + 1; 0: not in it */
	uint64_t		 ix_spi_i;	/* filed under, by peer SPI */
	uint32_t		 ix_handle;	/* filed under, by handle */
	bool			 touched;
	bool			 half_open;	/* counted as half-open */
};

struct ike_sa {
	struct ike_sa		*hnext;		/* hash chain, sa_table's */
	struct sa_table_link	 tl;		/* sa_table's */
	uint32_t		 handle;	/* the engine's name for it */
	uint8_t			 version;	/* IKE_VERSION_2 (also 0) or
						 * IKE_VERSION_1 */
	struct v1_state		*v1;		/* owned; IKEv1 only: the
						 * ISAKMP SA's own state
						 * (core/sa/ike_v1.h); spi_i
						 * and spi_r are its cookies */
	bool			 initiator;	/* we are the original one */
	enum ike_sa_state	 state;
	uint64_t		 spi_i, spi_r;	/* host view of the 8 octets */
	struct ike_addr		 local, remote;	/* with ports */
	struct ike_cfg		 cfg;		/* owned copy; psk wiped */
	struct child_cfg	 ccfg;		/* first Child SA's */
	bool			 have_ccfg;

	/* IKE_SA_INIT */
	uint16_t		 encr, key_bits, integ, prf, dh_group;
	struct dh		*dh;		/* owned; freed after keys */
	uint8_t			 ni[IKEV2_NONCE_MAX], nr[IKEV2_NONCE_MAX];
	size_t			 ni_len, nr_len;
	uint8_t			*init_req, *init_resp;	/* owned: the
						 * IKE_SA_INIT messages for
						 * AUTH (s. 2.15) */
	size_t			 init_req_len, init_resp_len;
	uint8_t			 cookie[64];	/* N(COOKIE) to echo */
	size_t			 cookie_len;
	bool			 ke_retried;	/* INVALID_KE_PAYLOAD seen */
	bool			 natd_seen;	/* peer sent NAT_DETECTION_* */
	bool			 nat_local;	/* we are behind a NAT */
	bool			 nat_remote;	/* the peer is */
	uint64_t		 natt_ka_ms;	/* last NAT keepalive sent;
						 * 0: none yet (from up_ms) */
	unsigned int		 init_sends;	/* IKE_SA_INIT restarts */

	/* Keys (s. 2.14): owned, wiped. */
	struct kdf_ike_keys	 keys;
	struct sk_cipher	*sk_out, *sk_in;	/* owned */

	/* Message IDs (s. 2.1-2.2), window size 1 both ways. */
	uint32_t		 next_req_id;	/* our next request */
	struct xchg_out		 out;		/* our outstanding request */
	uint32_t		 peer_next_id;	/* peer's next request */
	uint8_t			*last_resp;	/* owned: our last response */
	size_t			 last_resp_len;
	bool			 have_last_resp;

	struct child_sa		*children;	/* owned list */
	struct child_sa		*pending;	/* owned: the Child SA being
						 * negotiated, not in list */
	struct child_create	*create;	/* owned: with pending in a
						 * CREATE_CHILD_SA; or NULL */

	/* IKE SA rekeying (s. 1.3.2, 2.18) */
	uint64_t		 rekey_spi;	/* local SPI of the IKE SA our
						 * outstanding rekey request
						 * would create; 0: none */
	uint64_t		 successor_spi;	/* local SPI of the IKE SA that
						 * replaced this one, or 0 */
	bool			 superseded;	/* replaced: its Child SAs
						 * moved on, no more events */
	bool			 rekey_failed;	/* no automatic retry */
	uint64_t		 created_ms;
	uint64_t		 up_ms;		/* when established */
	const char		*fail_reason;	/* static string */

	/* Lifecycle (engine_retire_ike(), engine_sa_expired(), liveness) */
	bool			 retiring;	/* no more rekeys; deleted when
						 * its last Child SA is gone */
	uint64_t		 last_rx_ms;	/* last authentic message from
						 * the peer (or inbound ESP/AH
						 * traffic seen); 0: none */
	struct child_gone	 gone[IKE_SA_GONE_MAX];	/* Child SAs removed
						 * after a kernel hard expiry
						 * whose Delete is still to
						 * be sent */
	size_t			 ngone;

	/* Signature authentication (core/exchange/auth_sig.c) */
	uint32_t		 peer_hashes;	/* CERT_HASH_BIT()s of the
						 * peer's SIGNATURE_HASH_
						 * ALGORITHMS (RFC 7427 s. 4)
						 * that we know; 0: none */
	uint8_t			 peer_auth;	/* AUTH method the peer
						 * authenticated with
						 * (IKEV2_AUTH_*); 0: not yet */
	char			 peer_subject[IKE_SA_SUBJECT_MAX];
						/* subject DN of the peer's
						 * certificate, RFC 2253
						 * style, cut to fit; "":
						 * none (a preshared key) */
};

/* A new SA in state st with the given role; caller frees with
 * ike_sa_free(). */
int	ike_sa_new(bool initiator, enum ike_sa_state st, struct ike_sa **out);
/* Frees the SA, its Child SA records and every secret; NULL is fine.
 * Kernel state is not touched: the engine removes it first. */
void	ike_sa_free(struct ike_sa *);
/* Our SPI and the peer's. */
uint64_t ike_sa_local_spi(const struct ike_sa *);

/* Takes ownership of a copy of buf[0..len) into *dst (freeing what was
 * there).  IKE_ENOMEM. */
int	ike_sa_keep(uint8_t **dst, size_t *dst_len, const uint8_t *buf,
	    size_t len);
/* Drops the outstanding request. */
void	ike_sa_out_clear(struct ike_sa *);
/* Wipes and frees *p (NULL is fine), then *p = NULL and *len = 0:
 * every buffer of an IKE SA, IKEv2 or IKEv1 (ike_v1.c). */
void	ike_sa_buf_free(uint8_t **p, size_t *len);

/* Frees sa->create (wiping it) and sets it to NULL. */
void	ike_sa_create_free(struct ike_sa *);

/* Child SA records. */
int	child_sa_new(struct child_sa **out);
void	child_sa_free(struct child_sa *);	/* NULL is fine */
/* Adds c to the SA's list (takes ownership). */
void	ike_sa_child_add(struct ike_sa *, struct child_sa *c);
/* The Child SA with that inbound (in true) or outbound SPI, or NULL. */
struct child_sa *ike_sa_child_find(const struct ike_sa *, uint32_t spi,
	    bool in);
/* Unlinks c from the list (the caller frees it). */
void	ike_sa_child_unlink(struct ike_sa *, struct child_sa *c);
size_t	ike_sa_child_count(const struct ike_sa *);

#endif
