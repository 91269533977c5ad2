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
 *   v1_ph1.c    Main Mode and Aggressive Mode (v1_main.c, v1_aggr.c),
 *               both roles, Vendor IDs (DPD, NAT-T), NAT-D
 *   v1_sig.c    phase-1 authentication with signatures: CR, CERT, SIG,
 *               the peer's certificate chain and identity
 *   v1_qm.c     Quick Mode (with and without PFS, IDs, lifetimes,
 *               responder lifetime), IPsec SA install, rekeying
 *   v1_qm_life.c  IPsec SA lifetimes: rekey, hard end, kernel
 *               expiries, retiring the ISAKMP SA; removal of IPsec SAs,
 *               release of phase-2 records, Quick Modes on an ISAKMP SA
 *               a phase-1 rekey replaced
 *   v1_child.c  Quick Mode proposals: struct child_cfg <-> SA payload
 *   v1_child_id.c  client IDs: struct ike_ts <-> ID payload
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
#include "core/crypto/crypto.h"
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
/* A cookie's host view (as spi_i/spi_r) from its 8 octets, and back. */
uint64_t v1_cookie(const uint8_t c[IKEV1_COOKIE_LEN]);
void	v1_cookie_put(uint64_t v, uint8_t c[IKEV1_COOKIE_LEN]);
/* A header for a message on sa: its cookies, exchange, Message ID. */
void	v1_hdr_for(const struct ike_sa *, uint8_t exchange, uint32_t msgid,
	    struct v1_hdr *out);
/* A phase-2 record with nothing left to resend (deadline_ms UINT64_MAX,
 * or no message) is dropped by v1_tick() this long after created_ms:
 * it only answered duplicates of the peer's last message. */
#define V1_PH2_KEEP_MS	(60 * 1000ULL)
/* The reason for an IKE_FAILED of a phase 1 the peer did not complete:
 * dflt, or the hint of a plain notification the peer sent
 * (NO-PROPOSAL-CHOSEN, AUTHENTICATION-FAILED), marked unauthenticated. */
const char *v1_exhausted_reason(const struct ike_sa *, const char *dflt);
/* Phase 1 completed on n: when it is the rekey of an established SA
 * (ours: made by v1_rekey_ike(); the peer's: another SA with the same
 * peer address and identity), n takes over that SA's handle and IPsec
 * SAs, and the old one is superseded (deleted at once when we made the
 * rekey).  True then (no IKE_UP event is due). */
bool	v1_succeed(struct ike_engine *, struct ike_sa *n);

/* ------------------------------------------------------ v1_crypt.c */

/* Crypto flags for what an ISAKMP SA negotiated: legacy algorithms
 * (3DES, MD5, MODP-1024/1536) are only ever negotiated from our own
 * configuration's proposals, which v1_cfg_check() accepted. */
#define V1_CRYPTO_FLAGS	CRYPTO_F_LEGACY

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
 * preshared key or a signature method, one address family.  IKE_EINVAL
 * / IKE_EUNSUPP.  Whether the engine has a certificate for a signature
 * method is v1_sig_cfg()'s check. */
int	v1_cfg_check(const struct ike_cfg *cfg);
/* Whether phase 1 sends and takes identification type (IKEv1 and
 * IKEv2 share these numbers): IPV4_ADDR, FQDN, USER_FQDN, IPV6_ADDR,
 * DER_ASN1_DN, KEY_ID. */
bool	v1_id_type_ok(uint8_t type);
/* One phase-1 transform as IKEv2 IDs (encr, key_bits 0 for 3DES, prf),
 * with the IKEv1 Hash Algorithm, authentication method, group and
 * lifetime (0: none). */
struct v1_p1_xf {
	uint8_t		 num;		/* Transform # */
	uint16_t	 encr, key_bits, prf, hash, auth, group;
	uint64_t	 life_s;
};
/* What the attributes of an SA payload borrow until it is encoded. */
struct v1_prop_store {
	uint8_t		 life[4];
};
/* Adds our SA payload: one proposal, a transform per suite and group
 * (the first group only when aggressive), each with Authentication
 * Method auth (v1_sig_method()). */
int	v1_prop_put(struct v1_msg *m, const struct ike_cfg *cfg,
	    bool aggressive, uint16_t auth, struct v1_prop_store *st);
/* Reads a KEY_IKE transform; IKE_EUNSUPP (an attribute or value we do
 * not know), IKE_EMALFORMED. */
int	v1_prop_parse(const struct v1_msg *m, const struct v1_xform *xf,
	    struct v1_p1_xf *out);
/* Responder: the first of m's transforms that cfg accepts with
 * Authentication Method auth (with a group whose public value has
 * ke_len octets unless ke_len is 0), the lifetime agreed; 0, or the
 * IKEV1_N_* to refuse with. */
uint16_t v1_prop_pick(const struct v1_msg *m, const struct ike_cfg *cfg,
	    uint16_t auth, size_t ke_len, struct v1_p1_xf *out,
	    const struct v1_xform **chosen);
/* Responder: the SA payload of the answer: xf of req as proposed. */
int	v1_prop_put_choice(struct v1_msg *r, const struct v1_msg *req,
	    const struct v1_xform *xf);
/* Initiator: the one transform of the answer m must be one we offered
 * (Authentication Method auth).  IKE_EMALFORMED. */
int	v1_prop_accept(const struct v1_msg *m, const struct ike_cfg *cfg,
	    bool aggressive, uint16_t auth, struct v1_p1_xf *out);
/* Sets sa's algorithms, group and lifetime from x. */
void	v1_prop_apply(struct ike_sa *sa, const struct v1_p1_xf *x);

/* -------------------------------------------------------- v1_ph1.c */

/* Initiator: sends Main Mode message 1 or Aggressive Mode message 1. */
int	v1_ph1_start(struct ike_engine *, struct ike_sa *);
/* Responder: message 1 of a new Main or Aggressive Mode exchange. */
void	v1_ph1_new(struct ike_engine *, const struct v1_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
/* A later phase-1 message for sa, from remote to local (not opened:
 * a message that does not open or authenticate fails the exchange
 * here, "authentication failed", or with signatures the reason the
 * certificate or signature was refused). */
void	v1_ph1_input(struct ike_engine *, struct ike_sa *, struct v1_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
/* Phase 1 completed on sa: IKE_UP, and on the initiator the first
 * Quick Mode. */
void	v1_ph1_done(struct ike_engine *, struct ike_sa *);

/* Shared by v1_main.c and v1_aggr.c (v1_ph1.c). */
struct v1_natd_store {			/* NAT-D data until encoded */
	uint8_t		 h[2][64];
	size_t		 len;
};
#define V1_SEND_REQUEST	0x01	/* resent until answered (sa->out) */
#define V1_SEND_ENC	0x02	/* sealed on the phase-1 chain */
#define V1_SEND_SAI	0x04	/* keep our SA payload body (SAi_b) */
/* A new message of sa's phase-1 exchange (free()); NULL: no memory. */
struct v1_msg *v1_ph1_msg_new(const struct ike_sa *);
void	v1_ph1_hdr(const struct ike_sa *, struct v1_msg *m);
/* Whether m is a valid phase-1 message number msgno for the
 * authentication method of sa (NULL: message 1 of a new exchange, any
 * method) (counted in rx_malformed when not). */
bool	v1_ph1_form_ok(struct ike_engine *, const struct ike_sa *,
	    const struct v1_msg *m, unsigned int msgno);
void	v1_ph1_fail(struct ike_engine *, struct ike_sa *, const char *why);
/* Vendor IDs: we send DPD (RFC 3706) and, unless NAT-T is off, NAT-T
 * (RFC 3947); the peer's set sa->v1->peer_dpd/peer_natt. */
int	v1_ph1_add_vids(const struct ike_engine *, struct v1_msg *m);
void	v1_ph1_read_vids(struct ike_sa *, const struct v1_msg *m);
/* NAT-D (RFC 3947 s. 3.2) when both sides sent the NAT-T VID and NAT-T
 * is on: ours for sa's addresses, the check of a message that came
 * from remote to local (sets sa->natd_seen, nat_local, nat_remote),
 * and the initiator's move to the NAT-T port when a NAT was found. */
int	v1_natd_add(const struct ike_engine *, const struct ike_sa *,
	    struct v1_msg *m, struct v1_natd_store *st);
void	v1_natd_check(const struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m, const struct ike_addr *remote,
	    const struct ike_addr *local);
void	v1_natd_float(const struct ike_engine *, struct ike_sa *);
/* Our D-H value (group sa->dh_group) and nonce; KE and Nonce payloads
 * with them; the peer's from m (IKE_EMALFORMED); the keys. */
int	v1_ph1_make_ke(struct ike_sa *);
int	v1_ph1_add_ke_nonce(const struct ike_sa *, struct v1_msg *m);
int	v1_ph1_take_ke_nonce(struct ike_sa *, const struct v1_msg *m);
int	v1_ph1_keys(struct ike_sa *);
/* Our ID payload (store holds its data until encoded) and the peer's:
 * checked (responder: the peer_id callback, which may pick the key
 * only when may_rekey; else cfg.remote_id unless type 0) and kept. */
int	v1_ph1_add_id(struct ike_sa *, struct v1_msg *m,
	    struct ike_id *store);
bool	v1_ph1_peer_id(struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m, bool may_rekey);
/* HASH_I (for_i) or HASH_R: computed (also what SIG_I / SIG_R sign),
 * added, checked. */
int	v1_ph1_hash(const struct ike_sa *, bool for_i, uint8_t *out,
	    size_t *len);
int	v1_ph1_add_hash(const struct ike_sa *, struct v1_msg *m, bool for_i,
	    uint8_t store[64]);
bool	v1_ph1_hash_ok(const struct ike_sa *, const struct v1_msg *m,
	    bool for_i);
/* Encodes (V1_SEND_* flags) and sends m with v1_send_ph1(). */
int	v1_ph1_send(struct ike_engine *, struct ike_sa *, struct v1_msg *m,
	    unsigned int flags);
/* What v1_ph1_send_parts() puts in a phase-1 message, in this order
 * (the order of every Main and Aggressive Mode message). */
#define V1_PART_SA	0x01	/* our proposals (v1_prop_put()) */
#define V1_PART_CHOICE	0x02	/* the transform xf of req chosen */
#define V1_PART_KE	0x04	/* KE and nonce */
#define V1_PART_ID	0x08	/* our ID */
#define V1_PART_AUTH	0x10	/* HASH_I/R, or CERTs and SIG_I/R */
#define V1_PART_CR	0x20	/* CRs naming our CAs (signatures) */
#define V1_PART_VID	0x40	/* our Vendor IDs */
#define V1_PART_NATD	0x80	/* NAT-D pair (when NAT-T is on) */
/* A new phase-1 message of sa with parts (V1_PART_*; req and xf only
 * for V1_PART_CHOICE, else NULL), sent by v1_ph1_send(flags). */
int	v1_ph1_send_parts(struct ike_engine *, struct ike_sa *,
	    unsigned int parts, const struct v1_msg *req,
	    const struct v1_xform *xf, unsigned int flags);
/* m was accepted: its digest (duplicates) and the time. */
void	v1_ph1_accepted(struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m);
/* Responder: a new SA for message 1 m (KE of ke_len octets in
 * Aggressive Mode, else 0) with the transform *xf of m chosen; NULL
 * when dropped or refused (NO-PROPOSAL-CHOSEN sent in the clear). */
struct ike_sa *v1_ph1_responder(struct ike_engine *, const struct v1_msg *m,
	    size_t ke_len, const struct ike_addr *remote,
	    const struct ike_addr *local, const struct v1_xform **xf);
/* Tells the peer in the clear that it failed to authenticate: a hint
 * its v1_input() notes but never acts on. */
void	v1_ph1_tell_auth_failed(struct ike_engine *, struct ike_sa *);
/* The authentication of phase-1 message m from the peer (peer_is_i:
 * the initiator's HASH_I or SIG_I): NULL when it holds, else the
 * reason ("authentication failed" for a preshared key, the
 * certificate's reason for signatures; v1_sig.c). */
const char *v1_ph1_auth_check(const struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m, bool peer_is_i);
/* Our HASH_I/HASH_R (preshared key) or CERTs and SIG (signatures). */
struct v1_auth_store {
	uint8_t		 hash[64];
	uint8_t		*sig;		/* owned: free with free() */
};
int	v1_ph1_add_auth(const struct ike_engine *, const struct ike_sa *,
	    struct v1_msg *m, struct v1_auth_store *st);
void	v1_ph1_auth_store_free(struct v1_auth_store *);
/* v1_main.c, v1_aggr.c: both roles of each mode. */
int	v1_main_start(struct ike_engine *, struct ike_sa *);
void	v1_main_new(struct ike_engine *, const struct v1_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
void	v1_main_input(struct ike_engine *, struct ike_sa *,
	    struct v1_msg *m, const struct ike_addr *remote,
	    const struct ike_addr *local);
int	v1_aggr_start(struct ike_engine *, struct ike_sa *);
void	v1_aggr_new(struct ike_engine *, const struct v1_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
void	v1_aggr_input(struct ike_engine *, struct ike_sa *,
	    struct v1_msg *m, const struct ike_addr *remote,
	    const struct ike_addr *local);

/* -------------------------------------------------------- v1_sig.c */

/* Whether an Authentication Method is a signature one we do: RSA (3),
 * ECDSA-256/384/521 (9, 10, 11; RFC 4754). */
bool	v1_sig_auth(uint16_t method);
/* The Authentication Method for cfg: IKEV1_AUTH_PSK, or the signature
 * method of the engine's certificate key (RSA: 3; EC: its curve's);
 * 0 when cfg wants signatures with a key we do not have. */
uint16_t v1_sig_method(const struct ike_engine *, const struct ike_cfg *);
/* Checks a signature configuration against the engine's certificate
 * (auth_sig_cfg(); a local_id of type 0 becomes the subject DN); NULL
 * when fine or a preshared key, else a static reason. */
const char *v1_sig_cfg(const struct ike_engine *, struct ike_cfg *cfg);
/* CR payloads (one per CA of the engine, by subject DN, or one empty
 * when there are more than V1_CR_MAX); nothing for a preshared key or
 * without CAs.  st holds the DNs until m is encoded; free it with
 * v1_sig_cr_free() (also on failure). */
#define V1_CR_MAX	8
struct v1_cr_store {
	uint8_t		*dn[V1_CR_MAX];		/* owned */
	size_t		 len[V1_CR_MAX];
	size_t		 n;
};
int	v1_sig_add_cr(const struct ike_engine *, const struct ike_sa *,
	    struct v1_msg *m, struct v1_cr_store *st);
void	v1_sig_cr_free(struct v1_cr_store *);
/* Our CERTs (our certificate, then intermediates) and SIG_I (for_i) or
 * SIG_R; *sig holds the signature until m is encoded (free(), also on
 * failure). */
int	v1_sig_add(const struct ike_engine *, const struct ike_sa *,
	    struct v1_msg *m, bool for_i, uint8_t **sig);
/* The peer's CERT chain, its ID (kept by v1_ph1_peer_id()) and the
 * configured remote_id against the end entity, and its SIG; NULL when
 * it authenticated (sa->cfg.remote_id, peer_subject, peer_auth set),
 * else a static reason (cert_reason_str(), "certificate missing"). */
const char *v1_sig_verify(const struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m, bool peer_is_i);

/* ------------------------------------------ v1_qm.c, v1_qm_life.c */

/* Initiator: Quick Mode on established sa for cc (copied): a new IPsec
 * SA (rekey_spi 0) or the successor of the one with inbound SPI
 * rekey_spi.  Several may run at once, each with its Message ID.  The
 * first one after phase 1 (cc is &sa->ccfg on the initiator, as
 * v1_ph1_done() calls it) is preceded by INITIAL-CONTACT when due
 * (v1_info_contact()).  IKE_ESTATE (not established, or retiring),
 * IKE_ENOTFOUND, IKE_EINVAL/IKE_EUNSUPP (cc). */
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
/* Releases what p holds in the kernel (its reserved SPI) and its
 * IPsec SA record (an unfinished rekey of ours is not retried by time);
 * p itself stays in sa's list for the caller to free with
 * v1_ph2_free(). */
void	v1_ph2_drop(struct ike_engine *, struct ike_sa *, struct v1_ph2 *p);
/* Removes installed IPsec SA c from sa and from the kernel (CHILD_DOWN
 * with reason) and frees it. */
void	v1_qm_remove(struct ike_engine *, struct ike_sa *, struct child_sa *c,
	    const char *reason);
/* sa was replaced by a phase-1 rekey (superseded): its Quick Modes under
 * way fail (CHILD_FAILED "ISAKMP SA replaced by a rekey" with the
 * successor's handle): ours only, or all when sa is being deleted (the
 * peer's that waits for HASH(3) completes otherwise).  Nothing when sa
 * is not superseded.  Whether some of ours are left to fail. */
void	v1_qm_orphans(struct ike_engine *, struct ike_sa *, bool all);
bool	v1_qm_has_orphans(const struct ike_sa *);
/* Where sa's handle and IPsec SAs are: its successor when a phase-1
 * rekey replaced it (v1_succeed()) and that is up, else sa. */
struct ike_sa *v1_qm_home(struct ike_engine *, struct ike_sa *);
/* CONNECTED in an Informational from the peer for proto and SPI (its
 * or ours) of a Quick Mode of ours whose message 2 had the commit bit:
 * its IPsec SA is installed now.  0, or IKE_ENOTFOUND. */
int	v1_qm_connected(struct ike_engine *, struct ike_sa *, uint8_t proto,
	    uint32_t spi);
/* The peer refused (notify) our Quick Mode whose proposal carried our
 * inbound SPI spi of proto: CHILD_FAILED.  0, or IKE_ENOTFOUND. */
int	v1_qm_refused(struct ike_engine *, struct ike_sa *, uint8_t proto,
	    uint32_t spi, uint16_t notify);

/* ------------------------------------------------------ v1_child.c */

/* What the SA, ID and notification payloads of one Quick Mode message
 * borrow until it is encoded: SPIs, lifetimes, client ID data. */
struct v1_qm_store {
	uint8_t			 spi[2][4];	/* c->spi_in, c->spi_alt */
	uint8_t			 life_s[8], life_kb[8];
	uint8_t			 id[2][32];	/* IDci, IDcr data */
	uint8_t			 rl[24];	/* RESPONDER-LIFETIME data */
};

/* The IPsec SA attributes of one transform (RFC 2407 s. 4.5). */
struct v1_xf_attrs {
	uint64_t		 life_s, life_kb;	/* 0: none */
	uint16_t		 encap;		/* IKEV1_ENCAP_*, 0: none */
	uint16_t		 auth;		/* IKEV1_IAUTH_*, 0: none */
	uint16_t		 key_bits;	/* 0: none */
	uint16_t		 group;		/* PFS group, 0: none */
};

/* A responder's choice among the initiator's Quick Mode proposals. */
struct v1_child_choice {
	struct child_cfg	 cfg;		/* the configuration used */
	size_t			 pc;		/* index into cfg.props */
	uint8_t			 prop_num, xf_num;	/* the peer's */
	uint8_t			 proto;		/* IKEV1_PROTO_ESP or _AH */
	uint32_t		 spi;		/* the peer's (our outbound) */
	struct v1_xf_attrs	 a;		/* as proposed */
	enum plat_mode		 mode;
	struct ike_ts		 ti, tr;	/* the initiator's, ours */
	bool			 ids;		/* the peer sent IDci, IDcr */
};

/* IPsec DOI transform ID and Authentication Algorithm attribute of an
 * IKEv2 transform: ESP encr / AH integ, and integ.  0: none. */
uint8_t	v1_child_esp_id(uint16_t encr);
uint8_t	v1_child_ah_id(uint16_t integ);
uint16_t v1_child_auth(uint16_t integ);
/* The Encapsulation Mode attribute of mode (UDP-encapsulated when
 * natt), and back (0: not one we know). */
uint16_t v1_child_encap(enum plat_mode mode, bool natt);
int	v1_child_mode(uint16_t encap, enum plat_mode *mode);
/* The lifetime of an IPsec SA whose transform has no SA Life Duration
 * in seconds (RFC 2407 s. 4.5: "If unspecified, the default value
 * shall be assumed to be 28800 seconds"). */
#define V1_CHILD_LIFE_DEFAULT_S	28800
/* Reads a transform's attributes (life_s V1_CHILD_LIFE_DEFAULT_S when
 * it has no lifetime in seconds); IKE_EUNSUPP for one we do not know
 * (ATTRIBUTES-NOT-SUPPORTED), IKE_EMALFORMED for a bad value. */
int	v1_child_attrs(const struct v1_msg *m, const struct v1_xform *xf,
	    struct v1_xf_attrs *out);
/* Initiator: an SA payload with one proposal per cc prop (SPI c->spi_in
 * for c->proto, c->spi_alt for the other), with cc's lifetimes, mode
 * (UDP-encapsulated when natt) and PFS group. */
int	v1_child_put_props(struct v1_msg *m, const struct child_cfg *cc,
	    const struct child_sa *c, bool natt, struct v1_qm_store *st);
/* Responder: the configuration (fixed, or the child_cfg callback's for
 * the peer's IDs), the first of the peer's proposals we accept, the
 * selectors (the peer's, which must lie within ours).  0 or the
 * IKEV1_N_* to refuse with (NO-PROPOSAL-CHOSEN,
 * INVALID-ID-INFORMATION). */
uint16_t v1_child_choose(struct ike_engine *, struct ike_sa *,
	    const struct v1_msg *m, const struct child_cfg *fixed,
	    struct v1_child_choice *ch);
/* Responder: the SA payload of the answer: the chosen proposal and
 * transform, with our SPI and the attributes as proposed. */
int	v1_child_put_choice(struct v1_msg *m, const struct v1_child_choice *ch,
	    const struct child_sa *c, bool natt, struct v1_qm_store *st);
/* Initiator: checks the answer's SA payload against cc (PFS group
 * cc->pfs_group) and fills c's protocol, algorithms, outbound SPI and
 * mode, and *a with the attributes.  IKE_EMALFORMED. */
int	v1_child_check_answer(const struct child_cfg *cc,
	    const struct v1_msg *m, struct child_sa *c, struct v1_xf_attrs *a);
/* RESPONDER-LIFETIME data: Life Type / Life Duration pairs.  put writes
 * st->rl and returns its length (0: nothing to say); get reads them. */
size_t	v1_child_rl_put(struct v1_qm_store *st, uint64_t life_s,
	    uint64_t life_kb);
int	v1_child_rl_get(const uint8_t *data, size_t len, uint64_t *life_s,
	    uint64_t *life_kb);
/* The name of an IKEV1_N_* type, for logs. */
const char *v1_notify_name(uint16_t type);

/* --------------------------------------------------- v1_child_id.c */

/* Client IDs (RFC 2407 s. 4.6.2): IDci for tsi, IDcr for tsr: a single
 * address, a prefix (_SUBNET) or a range, with the protocol and one
 * port or 0.  IKE_EUNSUPP for a port range. */
int	v1_child_put_ids(struct v1_msg *m, const struct ike_ts *tsi,
	    const struct ike_ts *tsr, struct v1_qm_store *st);
/* One ID payload as a selector; IKE_EMALFORMED / IKE_EUNSUPP. */
int	v1_child_id_ts(const struct v1_pl_id *id, struct ike_ts *out);
/* The client IDs of m, or without them the gateway addresses init and
 * resp (the initiator's and the responder's).  1 when m had IDs, 0 when
 * not, IKE_EMALFORMED. */
int	v1_child_get_ids(const struct v1_msg *m, const struct ike_addr *init,
	    const struct ike_addr *resp, struct ike_ts *tsi,
	    struct ike_ts *tsr);
/* Whether selector a lies within b. */
bool	v1_child_ts_within(const struct ike_ts *a, const struct ike_ts *b);

/* ------------------------------------------------------- v1_info.c */

/* An Informational message (encrypted, not opened yet; or, before
 * phase 1 is complete, a plain one, which is never trusted: counted
 * and logged only) for sa. */
void	v1_info_input(struct ike_engine *, struct ike_sa *, struct v1_msg *m);
/* Delete of the IPsec SA with inbound SPI spi_in (removed at once,
 * CHILD_DOWN "deleted"); of the ISAKMP SA, after Deletes of each of its
 * IPsec SAs when with_children, then the SA ends (v1_kill() "removed":
 * IKE_DOWN, its IPsec SAs leave the kernel; a rekeyed SA has handed
 * them over before).  IKE_ESTATE (not established), IKE_ENOTFOUND. */
int	v1_info_delete_child(struct ike_engine *, struct ike_sa *,
	    uint32_t spi_in);
int	v1_info_delete_ike(struct ike_engine *, struct ike_sa *,
	    bool with_children);
/* A notification on established sa (INITIAL-CONTACT, errors). */
int	v1_info_notify(struct ike_engine *, struct ike_sa *, uint16_t type,
	    uint8_t proto, const uint8_t *spi, size_t spi_len,
	    const uint8_t *data, size_t data_len);
/* A Delete of n (1..16) of our inbound SPIs of proto (IKEV1_PROTO_ESP
 * or _AH); the IPsec SAs are left to the caller. */
int	v1_info_send_delete(struct ike_engine *, struct ike_sa *,
	    uint8_t proto, const uint32_t *spi_in, size_t n);
/* Initiator, once phase 1 is complete: INITIAL-CONTACT (RFC 2407
 * s. 4.6.3.3) unless the engine has another SA with sa's peer.  0 also
 * when none was due. */
int	v1_info_contact(struct ike_engine *, struct ike_sa *);
/* DPD (RFC 3706): an R-U-THERE now (engine_liveness(): IKE_ESTATE,
 * IKE_EUNSUPP when the peer sent no DPD Vendor ID, IKE_EBUSY while one
 * is unanswered); and the periodic check of engine_limits.liveness_ms,
 * whose R-U-THERE unanswered after cfg.retrans_max retransmissions
 * ends the SA ("peer not responding"). */
int	v1_dpd_send(struct ike_engine *, struct ike_sa *);
void	v1_dpd_tick(struct ike_engine *, struct ike_sa *);
uint64_t v1_dpd_deadline(const struct ike_engine *, const struct ike_sa *);

#endif
