/* core/exchange/exchange.h: the IKEv2 exchanges (RFC 7296 s. 1.2-1.5),
 * one file per task, and the exchange layer under them.  Used by the
 * engine (core/ike/engine.c) and by the exchange files themselves.
 *
 *   xchg.c      dispatch of received datagrams, message IDs, windows,
 *               retransmission, the response cache, SA teardown
 *   sk.c        the Encrypted payload: sealing and opening
 *   sa_init.c   IKE_SA_INIT, both roles (proposals, KE, nonces,
 *               INVALID_KE_PAYLOAD, COOKIE, keys)
 *   natd.c      NAT detection payloads (s. 2.23)
 *   auth.c      IKE_AUTH with preshared keys (s. 2.15), and the
 *               signed octets every AUTH method shares
 *   auth_sig.c  IKE_AUTH with certificates and signatures (s. 2.15,
 *               3.6-3.8, RFC 7427, RFC 4754); its IKE_SA_INIT part
 *   child.c     the Child SA (ESP or AH) inside IKE_AUTH (s. 1.3, 2.9,
 *               2.17, 3.3), and
 *               the proposal, selector and keying pieces every Child SA
 *               negotiation shares
 *   child_create.c  CREATE_CHILD_SA: additional Child SAs with optional
 *               PFS, and Child SA rekeying (s. 1.3.1, 1.3.3, 2.8); Child
 *               SA lifetimes, kernel expiries, retiring an IKE SA
 *   rekey.c     CREATE_CHILD_SA rekeying the IKE SA (s. 1.3.2, 2.18)
 *   info.c      INFORMATIONAL: Delete and liveness (s. 1.4, 2.4),
 *               periodic liveness checks (engine_limits.liveness_ms)
 *
 * Every handler gets a message that decoded, opened and passed
 * rules_check() already. */
#ifndef IKE_EXCHANGE_H
#define IKE_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev2_msg.h"
#include "core/crypto/cert.h"
#include "core/ike/engine_int.h"
#include "core/sa/ike_sa.h"

/* ------------------------------------------------------------ xchg.c */

/* Handles one received datagram (engine_input()). */
void	xchg_input(struct ike_engine *, const struct ike_addr *remote,
	    const struct ike_addr *local, const uint8_t *buf, size_t len);
/* A message header for sa: SPIs, exchange, our I flag, R for a
 * response; the message ID is set when sending. */
void	xchg_hdr(const struct ike_sa *, uint8_t exchange, bool response,
	    struct ike_hdr *out);
/* Encodes m (sealed when protect), sends it as the SA's outstanding
 * request with ID sa->next_req_id and arms its retransmission. */
int	xchg_request(struct ike_engine *, struct ike_sa *, struct ike_msg *m,
	    bool protect);
/* Encodes m (sealed when protect) as the response to the peer's
 * request msgid, caches it for retransmitted requests and sends it. */
int	xchg_respond(struct ike_engine *, struct ike_sa *, struct ike_msg *m,
	    uint32_t msgid, bool protect);
/* Sends bytes from local to remote, counting them. */
void	xchg_send(struct ike_engine *, const struct ike_addr *local,
	    const struct ike_addr *remote, const uint8_t *buf, size_t len);
/* Retransmits what is due; declares the SA dead when the limit is
 * reached ("peer not responding"); drops a responder SA that waited
 * half_open_ms for IKE_AUTH; on an idle established SA starts the
 * rekey due at a soft lifetime (IKE SA, Child SAs) and deletes what
 * reached its hard lifetime. */
void	xchg_tick(struct ike_engine *, struct ike_sa *);
/* When xchg_tick() has something to do for sa; UINT64_MAX: never. */
uint64_t xchg_deadline(const struct ike_engine *, const struct ike_sa *);
/* Reports an event about sa (child may be NULL). */
void	xchg_event(struct ike_engine *, const struct ike_sa *,
	    enum engine_ev, const struct child_sa *child, uint16_t notify,
	    const char *reason);
/* Ends sa: removes its Child SAs from the kernel, reports IKE_DOWN (if
 * it was up) or IKE_FAILED, and marks it IKE_SA_DEAD for the engine to
 * free. */
void	xchg_kill(struct ike_engine *, struct ike_sa *, uint16_t notify,
	    const char *reason);
/* The wait before send number sends (1: the first) of a request of sa
 * is repeated: retrans_ms (default 500), doubled each time up to 2^10
 * times; IKEv1 (v1_time.c) backs off the same way. */
uint64_t xchg_retrans_after(const struct ike_sa *, unsigned int sends);
/* How many times a request is sent before the peer is given up:
 * sa's retrans_max, default 5. */
unsigned int xchg_retrans_max(const struct ike_sa *);

/* Whether proposal p of m has a transform of type with id (and, for
 * ENCR, Key Length key_bits). */
bool	xchg_prop_has(const struct ike_msg *m, const struct ike_prop *p,
	    uint8_t type, uint16_t id, uint16_t key_bits);
/* Whether proposal p has any transform of type. */
bool	xchg_prop_has_type(const struct ike_msg *m, const struct ike_prop *p,
	    uint8_t type);
/* Adds an error or status Notify (no SPI) to m. */
int	xchg_add_notify(struct ike_msg *m, bool encrypted, uint16_t type,
	    const uint8_t *data, size_t len);

/* -------------------------------------------------------------- sk.c */

/* Keys the SK ciphers of both directions from sa->keys. */
int	sk_setup(struct ike_sa *);
/* Encodes m with an SK payload around its encrypted payloads and seals
 * it with the outbound cipher. */
int	sk_seal(struct ike_sa *, const struct ike_msg *m, struct wr *w);
/* Checks the ICV of m's SK payload, decrypts it and decodes the inner
 * payloads into m.  *pt (owned by the caller, free with sk_pt_free())
 * holds the plaintext the new payloads borrow.  IKE_EMALFORMED for a
 * bad ICV, padding or content. */
int	sk_open(struct ike_sa *, struct ike_msg *m, uint8_t **pt,
	    size_t *pt_len);
void	sk_pt_free(uint8_t *pt, size_t len);

/* --------------------------------------------------------- sa_init.c */

/* Initiator: sends the IKE_SA_INIT request (again after a COOKIE or
 * INVALID_KE_PAYLOAD answer). */
int	sa_init_start(struct ike_engine *, struct ike_sa *);
/* Responder: a new IKE_SA_INIT request. */
void	sa_init_request(struct ike_engine *, const struct ike_msg *m,
	    const struct ike_addr *remote, const struct ike_addr *local);
/* Initiator: the answer to our request. */
void	sa_init_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* Makes the secret used for cookies, rotating it when it is too old. */
int	sa_init_cookie_secret(struct ike_engine *);
/* Pieces shared with the IKE SA rekey (rekey.c): */
/* An SA payload with c's IKE proposals (with SPI spi unless 0). */
int	sa_init_add_proposals(struct ike_msg *m, const struct ike_cfg *c,
	    bool encrypted, uint64_t spi);
/* Responder: our suites against m's proposals and its KE group ke_group;
 * sets sa's algorithms and D-H group, *num and the proposal's SPI (0
 * without one).  0, NO_PROPOSAL_CHOSEN, or INVALID_KE_PAYLOAD (with
 * sa->dh_group the group to ask for). */
uint16_t sa_init_pick(const struct ike_msg *m, const struct ike_cfg *c,
	    uint16_t ke_group, struct ike_sa *sa, uint8_t *num, uint64_t *spi);
/* The one chosen proposal of sa's algorithms (SPI spi unless 0). */
int	sa_init_add_choice(struct ike_msg *m, const struct ike_sa *sa,
	    uint8_t num, bool encrypted, uint64_t spi);
/* Initiator: the responder's one proposal in m must be one of sa->cfg's
 * with D-H group sa->dh_group and a KE of it; sets sa's algorithms. */
int	sa_init_accept_answer(struct ike_sa *sa, const struct ike_msg *m);
/* SK_* from SKEYSEED seed, sa's nonces and SPIs (s. 2.14), and the SK
 * ciphers. */
int	sa_init_keys(struct ike_sa *sa, const struct ike_key *seed);

/* ------------------------------------------------------------ natd.c */

#define NATD_LEN	20

/* Adds N(NAT_DETECTION_SOURCE_IP) and N(NAT_DETECTION_DESTINATION_IP)
 * for a message from local to remote with m's SPIs; src and dst hold
 * the hashes until m is encoded.  Adds nothing when NAT-T is off
 * (engine_limits.natt_off). */
int	natd_add(const struct ike_engine *, struct ike_msg *m,
	    const struct ike_addr *local, const struct ike_addr *remote,
	    uint8_t src[NATD_LEN], uint8_t dst[NATD_LEN]);
/* Sets sa's NAT flags from the NAT_DETECTION_* of a received
 * IKE_SA_INIT message (all false when it has none or NAT-T is off);
 * the initiator then moves both ports to the NAT-T port. */
void	natd_check(const struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);

/* ------------------------------------------------------------ natt.c */

/* The NAT-T port: engine_limits.natt_port or ENGINE_NATT_PORT. */
uint16_t natt_port(const struct ike_engine *);
/* Whether sa's Child SAs are UDP-encapsulated (a NAT on either side). */
bool	natt_active(const struct ike_sa *);
/* An authentic, fresh message for sa came from remote to local: when
 * NAT traversal is active and either differs from sa's, sa moves there
 * (s. 2.23). */
void	natt_follow(struct ike_engine *, struct ike_sa *,
	    const struct ike_addr *remote, const struct ike_addr *local);
/* When sa's next NAT keepalive is due; UINT64_MAX: never (not behind a
 * NAT, not established, replaced, keepalives off). */
uint64_t natt_keepalive_at(const struct ike_engine *, const struct ike_sa *);
/* Sends the keepalive (RFC 3948 s. 2.3) when it is due. */
void	natt_tick(struct ike_engine *, struct ike_sa *);

/* --------------------------------------------------------- contact.c */
/* Initiator: adds N(INITIAL_CONTACT) to the IKE_AUTH request m unless
 * the engine has another IKE SA with sa's peer (RFC 7296 s. 2.4). */
int	contact_add(struct ike_engine *, struct ike_sa *, struct ike_msg *m);
/* Responder, after the IKE_AUTH request m authenticated sa's peer: if
 * it carries INITIAL_CONTACT, every other IKE SA with that identity is
 * killed with its Child SAs ("replaced: the peer restarted"). */
void	contact_seen(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* Shared with IKEv1 (core/exchange1/v1_info.c): how many other live
 * IKE SAs (not replaced) sa's local identity has with sa's remote
 * address: 0 means INITIAL_CONTACT is due. */
size_t	contact_others(struct ike_engine *, struct ike_sa *);
typedef void (*contact_kill_fn)(struct ike_engine *, struct ike_sa *,
	    uint16_t notify, const char *reason);
/* The peer of sa restarted: every other live IKE SA with the same local
 * and remote identities (with superseded_too also a replaced one) is
 * ended by kill ("replaced: the peer restarted"), the event logged in
 * sa's version's words. */
void	contact_drop(struct ike_engine *, struct ike_sa *, bool superseded_too,
	    contact_kill_fn kill);

/* ------------------------------------------------------------ auth.c */

/* Initiator: sends IKE_AUTH {IDi, [IDr], AUTH, SA, TSi, TSr}. */
int	auth_start(struct ike_engine *, struct ike_sa *);
void	auth_request(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
void	auth_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* The AUTH payload data of s. 2.15 for the initiator's (for_i) or the
 * responder's signed octets over the ID payload (type, data), keyed
 * with psk.  *len is the PRF output length. */
int	auth_psk(const struct ike_sa *, bool for_i, uint8_t id_type,
	    const uint8_t *id, size_t id_len, const uint8_t *psk,
	    size_t psk_len, uint8_t *out, size_t *len);
/* The InitiatorSignedOctets (for_i) or ResponderSignedOctets of s. 2.15
 * over the ID payload (type, data), in one buffer: what a signature
 * covers.  Caller frees *out with free(). */
int	auth_signed_octets(const struct ike_sa *, bool for_i, uint8_t id_type,
	    const uint8_t *id, size_t id_len, uint8_t **out, size_t *len);

/* -------------------------------------------------------- auth_sig.c */

/* Checks a signature configuration (cfg->auth not CFG_AUTH_PSK) against
 * the engine's certificate: one there, its key of the configured type,
 * and local_id vouched for by it; a local_id of type 0 becomes the
 * certificate's subject DN.  NULL when fine, else a static reason.
 * Nothing to check (NULL) for a preshared key. */
const char *auth_sig_cfg(const struct ike_engine *, struct ike_cfg *cfg);
/* IKE_SA_INIT, both roles: adds N(SIGNATURE_HASH_ALGORITHMS) (SHA2-256,
 * -384, -512) unless sa->cfg.sig_classic, and for the responder
 * (certreq) CERTREQ with the key hashes of the engine's CAs when it has
 * any; nothing for a preshared key. */
int	auth_sig_init_add(const struct ike_engine *, const struct ike_sa *,
	    struct ike_msg *m, bool certreq);
/* IKE_SA_INIT, both roles: remembers the hashes of the peer's
 * N(SIGNATURE_HASH_ALGORITHMS) in m (sa->peer_hashes). */
void	auth_sig_init_seen(struct ike_sa *, const struct ike_msg *m);
/* IKE_AUTH: after our ID payload, adds CERT (our certificate, then its
 * intermediates), for the initiator CERTREQ (when we have CAs), and AUTH
 * with our signature (method 14 when the peer announced a SHA-2 hash,
 * else 1, 9, 10 or 11).  *sig holds the AUTH data until m is encoded;
 * the caller frees it with free() (also on failure). */
int	auth_sig_add(const struct ike_engine *, const struct ike_sa *,
	    struct ike_msg *m, uint8_t **sig);
/* IKE_AUTH: the peer's CERT chain against the engine's CAs and CRLs at
 * wall-clock time, its ID payload (IDi when peer_is_i) against the
 * certificate, and its AUTH signature over its signed octets.  NULL
 * when the peer authenticated (sa->peer_subject and sa->peer_auth are
 * set), else a static reason (cert_reason_str() or "no certificate"). */
const char *auth_sig_verify(const struct ike_engine *, struct ike_sa *,
	    bool peer_is_i, const struct ike_msg *m);
/* Shared with IKEv1 (core/exchange1/v1_sig.c).  Appends der to the
 * chain of n blobs (borrowed); the new count, CERT_CHAIN_MAX + 1 once
 * there would be more than CERT_CHAIN_MAX. */
size_t	auth_sig_chain_add(struct cert_blob *chain, size_t n,
	    const struct ike_slice *der);
/* Validates a peer's chain of n blobs (the end entity first; n as
 * counted by auth_sig_chain_add()) against the engine's CAs and CRLs at
 * wall-clock time.  NULL and the end entity in *ee (caller frees with
 * cert_free()), else a static reason and *ee NULL. */
const char *auth_sig_chain(const struct ike_engine *,
	    const struct cert_blob *chain, size_t n, struct cert **ee);
/* CERT_R_OK when ee vouches for the identity (type, id), else why not. */
enum cert_reason auth_sig_bound(const struct cert *ee, uint8_t type,
	    const uint8_t *id, size_t len);
/* The peer authenticated by ee: keeps its subject (for show) and
 * peer_auth in sa, and logs method as the method used. */
void	auth_sig_authenticated(struct ike_sa *, const struct cert *ee,
	    uint8_t peer_auth, unsigned int method);

/* ----------------------------------------------------------- child.c */

/* The key material inputs of s. 2.17: the nonces of the exchange that
 * made the Child SA and, with PFS, its g^ir (all borrowed).
 *   KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) */
struct child_keyin {
	const uint8_t	*ni, *nr, *gir;
	size_t		 ni_len, nr_len, gir_len;
};

/* A responder's choice for a proposed Child SA. */
struct child_choice {
	struct child_cfg	 cfg;		/* the configuration used */
	const struct ike_prop	*prop;		/* borrowed from the request */
	size_t			 pc;		/* index into cfg.props */
	struct ike_ts		 ti, tr;	/* narrowed TSi, TSr */
	enum plat_mode		 mode;
	uint16_t		 dh;		/* PFS group of the chosen
						 * proposal; 0: none */
};

/* Initiator: adds SA (with a fresh inbound SPI), TSi, TSr and, for
 * transport mode, N(USE_TRANSPORT_MODE) to m; the Child SA waits in
 * sa->pending. */
int	child_propose(struct ike_engine *, struct ike_sa *, struct ike_msg *m);
/* Responder: answers the Child SA part of req into resp: either SA,
 * TSi, TSr (the Child SA installed) or an error Notify
 * (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE).  Slices added to resp borrow
 * from sa->children. */
int	child_answer(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *req, struct ike_msg *resp);
/* Initiator: completes sa->pending from the IKE_AUTH response. */
void	child_complete(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* Installs c's two kernel SAs with these keys (inbound, outbound; an
 * encryption key is NULL for AH, an integrity key NULL for an AEAD)
 * and, unless another Child SA of sa holds them for the same selectors
 * (a rekey), its policies; releases c's spi_alt.  Shared with IKEv1
 * (core/exchange1), which derives its keys otherwise. */
int	child_install_keys(struct ike_engine *, struct ike_sa *,
	    struct child_sa *c, const struct ike_key *e_in,
	    const struct ike_key *a_in, const struct ike_key *e_out,
	    const struct ike_key *a_out);
/* Removes both directions and the policies from the kernel. */
void	child_uninstall(struct ike_engine *, struct ike_sa *,
	    struct child_sa *);

/* Automatic Child SA rekeying at this share (per mille) of a lifetime:
 * the side that proposed the Child SA first, the other side later, so
 * both rarely start at once.  The kernel's soft limits (time and bytes)
 * are set at the same share. */
#define CHILD_SOFT_OURS		900
#define CHILD_SOFT_THEIRS	950

/* Keeps the exchange's nonces in c (for a later KEYMAT) when they fit;
 * IKEv1's Quick Mode too. */
void	child_keep_nonces(struct child_sa *c, const uint8_t *ni,
	    size_t ni_len, const uint8_t *nr, size_t nr_len);
/* The peer chose proto for c: when it is not the protocol c's inbound
 * SPI was reserved for, c's other reserved SPI (spi_alt) becomes the
 * inbound one; IKE_EMALFORMED when there is none. */
int	child_take_proto(struct child_sa *c, uint8_t proto);
/* A new Child SA record for cc with a reserved inbound SPI for proto
 * (IKEV2_PROTO_ESP or _AH), or, proto 0 (initiator), for the protocol
 * of cc's first proposal plus one in spi_alt for the other protocol
 * when cc mixes ESP and AH proposals; ours: we are the initiator of the
 * exchange creating it. */
int	child_reserve(struct ike_engine *, struct ike_sa *,
	    const struct child_cfg *cc, bool ours, uint8_t proto,
	    struct child_sa **out);
/* Adds an SA payload with cc's proposals, each with c's inbound SPI for
 * its protocol and, when dh is not 0, that D-H transform. */
int	child_put_props(struct ike_msg *m, const struct child_cfg *cc,
	    const struct child_sa *c, uint16_t dh);
/* Adds TSi, TSr and, for transport, N(USE_TRANSPORT_MODE). */
int	child_put_ts(struct ike_msg *m, const struct ike_ts *tsi,
	    const struct ike_ts *tsr, bool transport);
/* Responder: the configuration (fixed, or the child_cfg callback's for
 * the first selectors), proposal and narrowed selectors for req; the
 * IKEV2_N_* to refuse with, or 0.  With pfs (CREATE_CHILD_SA) the
 * proposal's D-H group, in ch->dh, is one child_pfs_ok() allows: the
 * group of the peer's KE first, then cfg.pfs_group, then none, then any
 * we implement (the KE then is of the wrong group); without (IKE_AUTH)
 * D-H transforms are ignored (s. 1.2) and ch->dh is 0. */
uint16_t child_choose(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *req, const struct child_cfg *fixed,
	    bool pfs, struct child_choice *ch);
/* Responder: reserves, keys and installs the chosen Child SA (not
 * added to sa's list); NO_ADDITIONAL_SAS on failure. */
uint16_t child_make(struct ike_engine *, struct ike_sa *,
	    const struct child_choice *ch, const struct child_keyin *ki,
	    struct child_sa **out);
/* Responder: the SA payload of the answer (with dh unless 0). */
int	child_put_choice(struct ike_msg *resp, const struct child_choice *ch,
	    const struct child_sa *c, uint16_t dh);
/* Initiator: checks the answer in m against cc (D-H group dh, or
 * DH_IGNORE) and fills c's algorithms, outbound SPI and selectors. */
#define CHILD_DH_IGNORE	(-1)
/* Whether a responder with cc takes PFS group (0: none) for a Child SA
 * (cc->resp_dh: CFG_PFS_ANY, CFG_PFS_NONE or one group); IKEv1 Quick
 * Mode and CREATE_CHILD_SA alike. */
bool	child_pfs_ok(const struct child_cfg *cc, uint16_t group);
int	child_check_answer(const struct child_cfg *cc, const struct ike_msg *m,
	    int dh, struct child_sa *c);
/* KEYMAT (s. 2.17) and both SAs and policies. */
int	child_install(struct ike_engine *, struct ike_sa *,
	    struct child_sa *c, const struct child_keyin *ki);
/* The first error Notify in m, or 0; and the text for it. */
uint16_t child_error_notify(const struct ike_msg *m);
const char *child_reason(uint16_t notify);
/* IPPROTO_AH for IKEV2_PROTO_AH, else IPPROTO_ESP. */
uint8_t	child_ipproto(uint8_t proto);
/* Whether id names one of c's two installed kernel SAs. */
bool	child_has_sa(const struct ike_sa *, const struct child_sa *c,
	    const struct plat_sa_id *id);
/* Whether the inbound kernel byte counter of any installed Child SA of
 * sa grew since the last call (traffic from the peer). */
bool	child_traffic_seen(struct ike_engine *, struct ike_sa *);

/* ---------------------------------------------------- child_create.c */

/* Initiator: CREATE_CHILD_SA for a new Child SA from cc (rekey_spi 0),
 * or rekeying the Child SA with inbound SPI rekey_spi.  IKE_ESTATE (not
 * established), IKE_EBUSY (a request outstanding), IKE_ENOTFOUND. */
int	ccsa_start(struct ike_engine *, struct ike_sa *,
	    const struct child_cfg *cc, uint32_t rekey_spi);
void	ccsa_request(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
void	ccsa_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* Starts what is due on an idle established SA: the rekey of a Child
 * SA at its soft lifetime.  1 when a request went out. */
int	ccsa_tick(struct ike_engine *, struct ike_sa *);
/* When Child SA c of sa is due for rekeying (UINT64_MAX: never): at
 * its soft time lifetime, or at once after the kernel's soft expiry;
 * never when sa retires or c is already rekeyed, failed or doomed.
 * Also IKEv1's Quick Mode SAs (v1_qm_life.c). */
uint64_t ccsa_soft_at(const struct ike_sa *, const struct child_sa *c);
/* c's hard lifetime, when it is deleted; UINT64_MAX: none. */
uint64_t ccsa_hard_at(const struct child_sa *c);
/* The earlier of the two. */
uint64_t ccsa_next_at(const struct ike_sa *, const struct child_sa *c);
/* Sends a Delete of the Child SAs marked doomed (replaced by a rekey,
 * redundant after a collision, past their hard lifetime) when sa is
 * established and no request is outstanding. */
void	ccsa_flush(struct ike_engine *, struct ike_sa *);
/* Shared with rekey.c: a CREATE_CHILD_SA message with an empty SK
 * payload (free()), Nonce and (with dh) KE payloads, an error answer
 * (with a D-H group as data unless 0), a nonce. */
struct dh;
struct ike_msg *ccsa_msg(const struct ike_sa *, bool response);
int	ccsa_add_nonce_ke(struct ike_msg *m, const uint8_t *n, size_t n_len,
	    const struct dh *dh, uint16_t group);
int	ccsa_refuse(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *req, uint16_t notify, uint16_t group);
int	ccsa_nonce(struct ike_engine *, uint8_t *buf, size_t len);
/* When ccsa_tick() has something to do; UINT64_MAX: never. */
uint64_t ccsa_deadline(const struct ike_sa *);
/* The kernel's expiry of one of c's SAs (engine_sa_expired()): soft
 * rekeys c (now, or when the window is free), hard removes c at once and
 * queues its Delete. */
void	ccsa_expired(struct ike_engine *, struct ike_sa *, struct child_sa *c,
	    bool hard);
/* engine_retire_ike(): marks sa retiring and deletes it at once when
 * none of its Child SAs has a lifetime.  IKE_ESTATE. */
int	ccsa_retire(struct ike_engine *, struct ike_sa *);

/* ----------------------------------------------------------- rekey.c */

/* IKE SA rekeying (s. 1.3.2, 2.8, 2.18): the initiator's request on
 * sa, the responder's answer, the initiator's completion. */
int	ike_rekey_start(struct ike_engine *, struct ike_sa *);
void	ike_rekey_request(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
void	ike_rekey_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
/* When sa is due for rekeying at its soft lifetime; UINT64_MAX. */
uint64_t ike_rekey_at(const struct ike_sa *);
/* Drops the IKE SA an outstanding rekey request of sa would create. */
void	ike_rekey_abandon(struct ike_engine *, struct ike_sa *);
/* The Child SAs (and the Deletes of expired ones still to send) and
 * the handle go from `from` to `to`, which becomes the current SA and
 * `from` the superseded one; also IKEv1's (v1_succeed()). */
void	ike_rekey_hand_over(struct ike_sa *from, struct ike_sa *to);

/* ------------------------------------------------------------ info.c */

int	info_delete_child(struct ike_engine *, struct ike_sa *,
	    uint32_t spi_in);
/* One Delete of n (at most 16) installed Child SAs by inbound SPI. */
int	info_delete_children(struct ike_engine *, struct ike_sa *,
	    const uint32_t *spi_in, size_t n);
/* One INFORMATIONAL request with a Delete payload per protocol for n (at
 * most 16) inbound SPIs of protocols protos[] (IKEV2_PROTO_ESP, _AH);
 * those that name an installed Child SA make it CHILD_SA_DELETING, the
 * others (Child SAs removed already) are only named to the peer. */
int	info_delete_spis(struct ike_engine *, struct ike_sa *,
	    const uint8_t *protos, const uint32_t *spi_in, size_t n);
int	info_delete_ike(struct ike_engine *, struct ike_sa *);
int	info_liveness(struct ike_engine *, struct ike_sa *);
/* Child SA c of sa is gone: unlinked, removed from the kernel,
 * CHILD_DOWN reported with c's down_reason when set (a lifetime), else
 * reason, and freed.  Also IKEv1's v1_qm_remove(). */
void	info_child_gone(struct ike_engine *, struct ike_sa *,
	    struct child_sa *c, const char *reason);
/* Stores v at p in network order (4 bytes): SPIs in Delete payloads,
 * IKEv1's too. */
void	info_put32(uint8_t *p, uint32_t v);
/* The Child SA of sa of protocol proto with outbound SPI spi, or NULL
 * (a Delete's SPI; IKEv1's too). */
struct child_sa *info_find_out(const struct ike_sa *, uint8_t proto,
	    uint32_t spi);
/* Periodic liveness (engine_limits.liveness_ms): when sa, established
 * and idle, heard nothing for that long; UINT64_MAX: never. */
uint64_t info_liveness_at(const struct ike_engine *, const struct ike_sa *);
/* At that time: traffic on an inbound Child SA counts as hearing from
 * the peer; otherwise sends the empty request.  1 when it went out. */
int	info_liveness_tick(struct ike_engine *, struct ike_sa *);
void	info_request(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
void	info_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);

#endif
