/* core/exchange1/v1.h: the IKEv1 exchanges (RFC 2407, 2408, 2409,
 * 3706, 3947) inside the same engine as IKEv2: one SA table, one handle
 * space, one event callback, one platform.  An IKEv1 SA is a struct
 * ike_sa with version IKE_VERSION_1 and its own record in sa->v1
 * (core/sa/ike_v1.h).  The engine (core/ike/engine.c) hands IKEv1
 * datagrams, ticks and requests for IKEv1 SAs here; this code uses the
 * exchange layer of core/exchange for what the two protocols share
 * (xchg_send, xchg_event, xchg_kill, child_reserve, child_install_keys,
 * child_uninstall, natt_*).
 *
 *   v1_xchg.c   datagram dispatch (cookies, exchange type, Message ID),
 *               duplicates, retransmission with back-off, deadlines,
 *               the engine's entry points
 *   v1_crypt.c  encryption of messages (CBC, IV chains of phase 1 and
 *               of each Message ID) and the HASH(1)/(2)/(3) payloads
 *   v1_prop.c   phase-1 proposals: struct ike_cfg <-> SA payloads
 *   v1_ph1.c    Main Mode and Aggressive Mode with preshared keys, both
 *               roles, Vendor IDs (DPD, NAT-T), NAT-D
 *   v1_qm.c     Quick Mode (with and without PFS, IDs, lifetimes,
 *               responder lifetime), IPsec SA install, rekeying
 *   v1_child.c  Quick Mode proposals and client IDs: struct child_cfg
 *               <-> SA and ID payloads
 *   v1_info.c   Informational: Delete both ways, INITIAL-CONTACT,
 *               notifications, DPD R-U-THERE (RFC 3706)
 *
 * Every handler gets a message that decoded (v1_decode) and, when
 * encrypted, was opened (v1_open) and passed v1_rules_check(). */
#ifndef IKE_EXCHANGE1_V1_H
#define IKE_EXCHANGE1_V1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/exchange/exchange.h"
#include "core/sa/ike_v1.h"

/* ------------------------------------------------------- v1_xchg.c */

/* Whether a datagram is IKEv1: its header's major version is 1. */
bool	v1_is_v1(const uint8_t *buf, size_t len);
/* Handles one IKEv1 datagram (engine_input()). */
void	v1_input(struct ike_engine *, const struct ike_addr *remote,
	    const struct ike_addr *local, const uint8_t *buf, size_t len);
/* engine_initiate() for cfg->version IKE_VERSION_1: phase 1 (Main or
 * Aggressive Mode) and then Quick Mode for ccfg. */
int	v1_initiate(struct ike_engine *, const struct ike_cfg *cfg,
	    const struct child_cfg *ccfg, uint32_t *handle);
/* What is due on sa: retransmissions and their exhaustion, half-open
 * expiry, lifetimes and rekeys, DPD, NAT keepalives, stale phase-2
 * records. */
void	v1_tick(struct ike_engine *, struct ike_sa *);
/* When v1_tick() has something to do for sa; UINT64_MAX: never. */
uint64_t v1_deadline(const struct ike_engine *, const struct ike_sa *);
/* Ends sa like xchg_kill() after releasing what its phase-2 records
 * hold in the kernel (reserved SPIs). */
void	v1_kill(struct ike_engine *, struct ike_sa *, uint16_t notify,
	    const char *reason);
/* engine_rekey_ike(): a new phase 1 with the same peer that takes
 * over sa's handle and IPsec SAs once complete; sa is then deleted
 * (Delete sent).  Also started by v1_tick() before sa's lifetime ends.
 * IKE_ESTATE (not established, retiring), IKE_EBUSY (one under way). */
int	v1_rekey_ike(struct ike_engine *, struct ike_sa *);
/* Sends buf as sa's phase-1 message and keeps it in sa->out to resend
 * (request true: until an answer comes; false: only when the peer's
 * previous message comes again, in sa->last_resp). */
int	v1_send_ph1(struct ike_engine *, struct ike_sa *, const uint8_t *buf,
	    size_t len, bool request);
/* Sends buf as p's message and keeps it in p->out: resent by v1_tick()
 * until the answer when more is expected (expect true), else only on a
 * duplicate of the peer's last message. */
int	v1_send_ph2(struct ike_engine *, struct ike_sa *, struct v1_ph2 *p,
	    const uint8_t *buf, size_t len, bool expect);
/* The SHA-256 of a datagram, for duplicate detection. */
void	v1_digest(const uint8_t *buf, size_t len,
	    uint8_t out[V1_DIGEST_LEN]);
/* A fresh random Message ID that sa has no phase-2 record for. */
uint32_t v1_new_msgid(const struct ike_sa *);

/* ------------------------------------------------------ v1_crypt.c */

/* Keys the ISAKMP SA cipher (sa->v1->cbc, ->block) from SKEYID_e. */
int	v1_crypt_setup(struct ike_sa *);
/* The first IV of the exchange with Message ID msgid (RFC 2409 App. B)
 * into iv (sa->v1->block octets). */
int	v1_crypt_msgid_iv(const struct ike_sa *, uint32_t msgid, uint8_t *iv);
/* Encodes m (E flag set by this call) with its payload chain padded to
 * the block length and CBC-encrypted from iv; iv then holds the last
 * ciphertext block (the next IV of this chain). */
int	v1_seal(const struct ike_sa *, struct v1_msg *m, uint8_t *iv,
	    struct wr *w);
/* Decrypts m's ciphertext from iv into *pt (owned by the caller, free
 * with v1_pt_free()) and decodes the payloads into m; next_iv gets the
 * last ciphertext block, to be copied to the chain only once the
 * message has been accepted (HASH checked).  IKE_EMALFORMED. */
int	v1_open(const struct ike_sa *, struct v1_msg *m, const uint8_t *iv,
	    uint8_t *next_iv, uint8_t **pt, size_t *pt_len);
void	v1_pt_free(uint8_t *pt, size_t len);
/* Which HASH a protected phase-2 message carries first. */
enum v1_hash_kind {
	V1_HASH_1,	/* prf(SKEYID_a, M-ID | rest) (also Informational) */
	V1_HASH_2,	/* prf(SKEYID_a, M-ID | Ni_b | rest) */
	V1_HASH_3,	/* prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
};
/* Encodes and encrypts a phase-2 message m whose first payload is an
 * empty HASH: fills the HASH over the encoded payloads after it (ni
 * for HASH(2) and (3), nr for (3)), then seals as v1_seal().  */
int	v1_seal_hashed(const struct ike_sa *, struct v1_msg *m,
	    enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len,
	    const uint8_t *nr, size_t nr_len, uint8_t *iv, struct wr *w);
/* Checks the HASH payload (first in m) of an opened phase-2 message
 * against the payloads after it in the plaintext: 0, or IKE_EMALFORMED
 * (wrong length or value). */
int	v1_check_hash(const struct ike_sa *, const struct v1_msg *m,
	    enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len,
	    const uint8_t *nr, size_t nr_len);

/* ------------------------------------------------------- v1_prop.c */

/* 0 when cfg can run IKEv1 phase 1: proposals of 3DES or AES-CBC with
 * an HMAC PRF of MD5/SHA-1/SHA2, D-H groups IKEv1 peers know, a
 * preshared key, one address family.  IKE_EINVAL / IKE_EUNSUPP. */
int	v1_cfg_check(const struct ike_cfg *cfg);

/* -------------------------------------------------------- v1_ph1.c */

/* Initiator: sends Main Mode message 1 or Aggressive Mode message 1. */
int	v1_ph1_start(struct ike_engine *, struct ike_sa *);
/* Responder: message 1 of a new Main or Aggressive Mode exchange. */
void	v1_ph1_new(struct ike_engine *, const struct v1_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
/* A later phase-1 message for sa (opened already when encrypted). */
void	v1_ph1_input(struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m);
/* Phase 1 completed on sa: IKE_UP, and on the initiator the first
 * Quick Mode. */
void	v1_ph1_done(struct ike_engine *, struct ike_sa *);

/* --------------------------------------------------------- v1_qm.c */

/* Initiator: Quick Mode on established sa for cc (copied): a new IPsec
 * SA (rekey_spi 0) or the successor of the one with inbound SPI
 * rekey_spi.  Several may run at once, each with its Message ID.
 * IKE_ESTATE (not established, or retiring), IKE_ENOTFOUND. */
int	v1_qm_start(struct ike_engine *, struct ike_sa *,
	    const struct child_cfg *cc, uint32_t rekey_spi);
/* A Quick Mode message (encrypted, not opened yet) for sa. */
void	v1_qm_input(struct ike_engine *, struct ike_sa *, struct v1_msg *m);
/* IPsec SA lifetimes on idle established sa: rekey at the soft time
 * (cfg_rekey_ms()), delete at the hard one. */
void	v1_qm_tick(struct ike_engine *, struct ike_sa *);
uint64_t v1_qm_deadline(const struct ike_sa *);
/* engine_sa_expired() for one of c's kernel SAs. */
void	v1_qm_expired(struct ike_engine *, struct ike_sa *,
	    struct child_sa *c, bool hard);
/* engine_retire_ike(): as ccsa_retire() for IKEv2: no more rekeys or
 * new IPsec SAs; each ends with its lifetime; then the ISAKMP SA is
 * deleted.  IKE_ESTATE. */
int	v1_retire(struct ike_engine *, struct ike_sa *);
/* Releases what p holds in the kernel (its reserved SPI) and frees it. */
void	v1_ph2_drop(struct ike_engine *, struct ike_sa *, struct v1_ph2 *p);

/* ------------------------------------------------------- v1_info.c */

/* An Informational message (encrypted, not opened yet; or, before
 * phase 1 is complete, a plain one, which is never trusted: counted
 * and logged only) for sa. */
void	v1_info_input(struct ike_engine *, struct ike_sa *, struct v1_msg *m);
/* Delete of the IPsec SA with inbound SPI spi_in (removed at once,
 * CHILD_DOWN); of the ISAKMP SA (its IPsec SAs stay, as in RFC 2409,
 * unless with_children). */
int	v1_info_delete_child(struct ike_engine *, struct ike_sa *,
	    uint32_t spi_in);
int	v1_info_delete_ike(struct ike_engine *, struct ike_sa *,
	    bool with_children);
/* A notification on established sa (INITIAL-CONTACT, errors). */
int	v1_info_notify(struct ike_engine *, struct ike_sa *, uint16_t type,
	    uint8_t proto, const uint8_t *spi, size_t spi_len,
	    const uint8_t *data, size_t data_len);
/* DPD (RFC 3706): an R-U-THERE now (engine_liveness()); and the
 * periodic check of engine_limits.liveness_ms. */
int	v1_dpd_send(struct ike_engine *, struct ike_sa *);
void	v1_dpd_tick(struct ike_engine *, struct ike_sa *);
uint64_t v1_dpd_deadline(const struct ike_engine *, const struct ike_sa *);

#endif
