/* core/sa/ike_v1.h: the IKEv1 part of an IKE SA (RFC 2408, 2409): the
 * ISAKMP SA's phase-1 progress, negotiated attributes, keys and CBC
 * chain, and the phase-2 exchanges (Quick Mode, Informational) under
 * way on it.  An IKEv1 SA is a struct ike_sa with version
 * IKE_VERSION_1 and this record in sa->v1; the fields of struct ike_sa
 * keep their meaning where IKEv1 has the same thing:
 *
 *   spi_i, spi_r   the initiator's and responder's cookies (host view
 *                  of the 8 octets, as for IKEv2 SPIs)
 *   state          IKE_SA_INIT_SENT (initiator in phase 1),
 *                  IKE_SA_HALF_OPEN (responder in phase 1),
 *                  IKE_SA_ESTABLISHED, IKE_SA_DELETING, IKE_SA_DEAD
 *   encr, key_bits, prf, dh_group   phase-1 choice as IKEv2 IDs (encr
 *                  ENCR_3DES/ENCR_AES_CBC, prf PRF_HMAC_* of the Hash
 *                  Algorithm); integ stays 0
 *   dh             our phase-1 D-H value until the keys are made
 *   ni, nr         phase-1 nonces (Ni_b, Nr_b)
 *   out            our last phase-1 message, resent until answered
 *   last_resp      our last phase-1 message as a responder, resent when
 *                  the peer's previous message comes again
 *   children       the installed IPsec SAs (struct child_sa, proto
 *                  IKEV2_PROTO_ESP/_AH, which equal the IKEv1
 *                  IKEV1_PROTO_ESP/_AH; encr and integ as IKEv2 IDs)
 *
 * Everything secret is owned and wiped by v1_state_free(). */
#ifndef IKE_SA_IKE_V1_H
#define IKE_SA_IKE_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ikev1_kdf.h"
#include "core/ike/cfg.h"
#include "core/sa/ike_sa.h"

#define V1_DIGEST_LEN	32	/* SHA-256 of a received datagram */
/* Replay protection of phase 2: how many Message IDs of the exchanges
 * of one ISAKMP SA are remembered after their records are gone (a ring:
 * the most recent ones; 256 octets per SA). */
#define V1_SEEN_MAX	64

/* Phase-1 progress: who we are and the last message we sent. */
enum v1_step {
	V1_I_MM1 = 1,	/* initiator, Main Mode: message 1 sent */
	V1_I_MM3,
	V1_I_MM5,
	V1_R_MM2,	/* responder, Main Mode: message 2 sent */
	V1_R_MM4,
	V1_I_AM1,	/* initiator, Aggressive Mode: message 1 sent */
	V1_R_AM2,	/* responder, Aggressive Mode: message 2 sent */
	V1_DONE,	/* phase 1 complete (I: MM5 answered or AM3 sent;
			 * R: MM6 sent or AM3 checked) */
};

/* One phase-2 exchange (Quick Mode or Informational) under way: its
 * Message ID, CBC chain (RFC 2409 App. B), nonces, the IPsec SA being
 * negotiated, and the last message we sent in it. */
struct v1_ph2 {
	struct v1_ph2		*next;		/* owned by the list */
	uint8_t			 exchange;	/* IKEV1_EXCH_QUICK / _INFO */
	uint32_t		 msgid;		/* host order, never 0 */
	bool			 initiator;	/* we sent message 1 */
	unsigned int		 step;		/* last message number (1..4)
						 * sent or received */
	uint8_t			 iv[CIPHER_MAX_BLOCK];	/* CBC chain */
	uint8_t			 ni[IKEV1_NONCE_MAX], nr[IKEV1_NONCE_MAX];
	size_t			 ni_len, nr_len;
	struct dh		*dh;		/* owned; PFS only */
	struct ike_key		*gqm;		/* owned: g(qm)^xy (PFS), kept
						 * by the responder from
						 * message 1 to HASH(3) */
	bool			 commit;	/* the peer's message 1
						 * (responder) or 2 (initiator)
						 * had the commit bit: the
						 * responder sends CONNECTED
						 * after HASH(3), the initiator
						 * installs when it comes */
	struct child_sa		*child;		/* owned; the IPsec SA being
						 * negotiated (inbound SPI
						 * reserved), not in the
						 * SA's list */
	struct child_cfg	 cfg;		/* it is negotiated from */
	uint32_t		 rekey_spi;	/* inbound SPI of the IPsec SA
						 * this one replaces; 0 */
	uint8_t			*out;		/* owned: our last message */
	size_t			 out_len;
	unsigned int		 sends;		/* transmissions of out */
	uint64_t		 deadline_ms;	/* next retransmission, or
						 * UINT64_MAX: none (a last
						 * message, kept to answer a
						 * duplicate) */
	uint8_t			 in_digest[V1_DIGEST_LEN];	/* of the last
						 * message received */
	bool			 have_in;
	uint64_t		 created_ms;	/* dropped after a while */
};

struct v1_state {
	enum v1_step		 step;
	bool			 aggressive;
	uint16_t		 auth;		/* IKEV1_AUTH_PSK, ... */
	uint16_t		 hash;		/* IKEV1_HASH_* */
	uint64_t		 life_s;	/* phase-1 lifetime agreed */
	struct ike_key		*skeyid;	/* owned */
	struct ikev1_skeyids	 k;		/* owned: SKEYID_d, _a, _e */
	struct sk_cipher	*cbc;		/* owned: the ISAKMP SA's
						 * cipher (one key for both
						 * directions, no ICV) */
	size_t			 block;		/* its block length */
	uint8_t			 iv[CIPHER_MAX_BLOCK];	/* phase 1: the CBC
						 * chain; after it: the last
						 * phase-1 block, from which
						 * each M-ID IV is made */
	uint8_t			*sai_b;		/* owned: the initiator's SA
						 * payload body (HASH_I/R) */
	size_t			 sai_len;
	uint8_t			*gxi, *gxr;	/* owned: KE payload bodies */
	size_t			 gxi_len, gxr_len;
	uint8_t			*idi_b, *idr_b;	/* owned: ID payload bodies */
	size_t			 idi_len, idr_len;
	uint8_t			 in_digest[V1_DIGEST_LEN];	/* the last
						 * phase-1 message received */
	bool			 have_in;
	/* What the peer announced in Vendor ID payloads. */
	bool			 peer_dpd;	/* RFC 3706 */
	bool			 peer_natt;	/* RFC 3947 */
	/* Dead peer detection (RFC 3706): our next R-U-THERE sequence
	 * number, the one outstanding (0: none) and since when. */
	uint32_t		 dpd_seq;
	uint32_t		 dpd_wait;
	uint64_t		 dpd_sent_ms;
	unsigned int		 dpd_sends;
	struct v1_ph2		*ph2;		/* owned list */
	/* Replay protection (v1_msgid_seen()): the Message IDs of the last
	 * V1_SEEN_MAX phase-2 exchanges begun (Quick Modes either way, the
	 * peer's authentic Informationals), oldest overwritten first; and
	 * the sequence number of the last R-U-THERE answered. */
	uint32_t		 seen[V1_SEEN_MAX];
	size_t			 seen_n, seen_next;
	uint32_t		 dpd_peer_seq;
	bool			 dpd_peer_any;	/* dpd_peer_seq is set */
	bool			 contact_done;	/* the peer's INITIAL-CONTACT
						 * on this SA was acted upon
						 * (once: RFC 2407
						 * s. 4.6.3.3) */
};

/* A zeroed record; caller frees with v1_state_free(). */
int	v1_state_new(struct v1_state **out);
/* Frees the record, its phase-2 records and every secret; NULL is
 * fine.  Kernel state is not touched: the exchange code releases the
 * SPIs reserved for phase-2 records first (v1_ph2_drop()). */
void	v1_state_free(struct v1_state *);

/* A new phase-2 record, added to st's list; *out borrows it. */
int	v1_ph2_new(struct v1_state *st, uint8_t exchange, uint32_t msgid,
	    bool initiator, struct v1_ph2 **out);
/* The record of exchange with msgid, or NULL. */
struct v1_ph2 *v1_ph2_find(const struct v1_state *st, uint32_t msgid);
/* Remembers msgid (not 0) as an exchange begun on st (the oldest of
 * V1_SEEN_MAX is forgotten); whether msgid is remembered. */
void	v1_msgid_seen_add(struct v1_state *st, uint32_t msgid);
bool	v1_msgid_seen(const struct v1_state *st, uint32_t msgid);
/* Unlinks p from st's list and frees it (wiping its secrets; its child
 * record too, with no kernel call). */
void	v1_ph2_free(struct v1_state *st, struct v1_ph2 *p);

#endif
