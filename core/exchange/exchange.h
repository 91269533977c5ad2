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
 *   auth.c      IKE_AUTH with preshared keys (s. 2.15)
 *   child.c     the Child SA inside IKE_AUTH (s. 1.3, 2.9, 2.17)
 *   info.c      INFORMATIONAL: Delete and liveness (s. 1.4)
 *
 * Every handler gets a message that decoded, opened and passed
 * rules_check() already. */
#ifndef IKE_EXCHANGE_H
#define IKE_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev2_msg.h"
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
 * half_open_ms for IKE_AUTH; deletes an SA whose lifetime is over. */
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

/* ------------------------------------------------------------ natd.c */

#define NATD_LEN	20

/* Adds N(NAT_DETECTION_SOURCE_IP) and N(NAT_DETECTION_DESTINATION_IP)
 * for a message from local to remote with m's SPIs; src and dst hold
 * the hashes until m is encoded. */
int	natd_add(struct ike_msg *m, const struct ike_addr *local,
	    const struct ike_addr *remote, uint8_t src[NATD_LEN],
	    uint8_t dst[NATD_LEN]);
/* Sets sa's NAT flags from the NAT_DETECTION_* of a received
 * IKE_SA_INIT message (both false when it has none). */
void	natd_check(struct ike_sa *, const struct ike_msg *m);

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

/* ----------------------------------------------------------- child.c */

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
/* Removes both directions and the policies from the kernel. */
void	child_uninstall(struct ike_engine *, struct ike_sa *,
	    struct child_sa *);

/* ------------------------------------------------------------ info.c */

int	info_delete_child(struct ike_engine *, struct ike_sa *,
	    uint32_t spi_in);
int	info_delete_ike(struct ike_engine *, struct ike_sa *);
int	info_liveness(struct ike_engine *, struct ike_sa *);
void	info_request(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);
void	info_response(struct ike_engine *, struct ike_sa *,
	    const struct ike_msg *m);

#endif
