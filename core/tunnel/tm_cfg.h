/* core/tunnel/tm_cfg.h: tunnel definitions (db/model.h) turned into the
 * records the IKE engine negotiates from (core/ike/cfg.h), and the
 * responder's choice of a definition for an incoming peer.
 *
 * Every function that can refuse a definition writes a sentence naming
 * the problem (and the definition) to err when err is not NULL, and
 * returns IKE_EINVAL (bad or incomplete definition), IKE_EUNSUPP (valid
 * but not supported: algorithms IKEv1 lacks, mixed authentication
 * methods) or
 * IKE_ENOTFOUND (a referenced object is missing). */
#ifndef IKE_TM_CFG_H
#define IKE_TM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ike/cfg.h"
#include "db/db.h"
#include "db/model.h"

#define TM_ERR_MAX	256	/* enough for any message below */

/* One phase-2 identity -> traffic selector.  An address is one address,
 * a subnet its whole range, a range From..To; protocol and ports from
 * the wrapper (port 0: any).  DB_ID_NONE: the host addr (with port) */
int	tm_ts_from_ident(const struct db_p2ident *, const struct ike_addr *host,
	    struct ike_ts *out, char *err, size_t errlen);

/* One phase-1 identity -> IKEv2 identity: IPv4/IPv6 addresses, FQDN,
 * User_FQDN (RFC822), KEY_ID (hex -> octets), X500DN (DER_ASN1_DN).
 * Group and the subnet/range types are refused. */
int	tm_id_from_ident(const struct db_ident *, struct ike_id *out,
	    char *err, size_t errlen);

/* The address an identity implies (IPV4_Address/IPV6_Address), with
 * port; IKE_EINVAL for the other types. */
int	tm_addr_from_ident(const struct db_ident *, uint16_t port,
	    struct ike_addr *out);
/* Parses a textual address with port into out; IKE_EINVAL if it is not
 * one. */
int	tm_addr_parse(const char *s, uint16_t port, struct ike_addr *out);

/* IKEProtection (its IKETransforms) -> version, exchange mode
 * (IKE_XCHGMode Aggressive: c->aggressive, IKEv1 only), proposals, DH
 * groups, lifetime and authentication (c->auth: IKE_AuthenticationMethod
 * Preshared_Key, RSA_Signature or ECDSA_Signature, the same in every
 * transform, else IKE_EUNSUPP) of c.  IKEv1 takes 3DES-CBC
 * and AES-CBC-128/192/256, the hashes MD5, SHA, SHA2-256/384/512 (the
 * PRF is their HMAC: proposals carry it in prf, integ 0), no IKE_PRF,
 * and the groups 2, 5, 14, 15, 16, 19, 20, 21, 31; anything else is
 * IKE_EUNSUPP naming the protection and the value. */
int	tm_ike_prot(const struct db_ike_protection *, struct ike_cfg *c,
	    char *err, size_t errlen);
/* The ike_cfg.auth (enum cfg_auth) of a protection: its first
 * transform's IKE_AuthenticationMethod. */
uint8_t	tm_prot_auth(const struct db_ike_protection *);
/* Sets both ports of c's addresses to the port of its version:
 * isakmpd.conf's v1= port for IKEv1, its v2= port otherwise. */
void	tm_cfg_ports(struct ike_cfg *c, uint16_t v1_port, uint16_t v2_port);

/* IKETunnel + IKEProtection + the remote identity's preshared key (psk
 * may be NULL only when the remote identity is a Group; then the key is
 * left empty for the responder to fill) -> *out, whose addresses carry
 * port.  A Group remote identity leaves remote_id empty (type 0).  With
 * a signature method (RSA_Signature, ECDSA_Signature) psk is ignored
 * and may be NULL, an X500DN identity becomes an ID_DER_ASN1_DN (core/
 * tunnel/tm_dn.h), and a local identity of type None leaves local_id
 * empty: the engine uses the subject DN of its certificate. */
int	tm_ike_cfg(const struct db_ike_tunnel *,
	    const struct db_ike_protection *, const struct db_psk *psk,
	    uint16_t port, struct ike_cfg *out, char *err, size_t errlen);

/* IPSecProtection and its nprops IPSecProposals (in the protection's
 * order) -> proposals (IPSecESPProtocol: ESP, IPSecAHProtocol: AH with
 * integrity only), and, from the first transform, mode, ESN, lifetime
 * (minutes -> lifetime_s, KB -> lifetime_kb), plus the PFS group of
 * out.  An AH transform without AH_Authentication is IKE_EINVAL. */
int	tm_child_prot(const struct db_ipsec_protection *,
	    const struct db_ipsec_proposal *props, size_t nprops,
	    struct child_cfg *out, char *err, size_t errlen);

/* The same from the database: IKETunnel tun with its protection and
 * key; IPSecTunnel ptun under ike (whose addresses give the selectors
 * of identity-less sides). */
int	tm_load_ike(struct db_txn *, const struct db_ike_tunnel *tun,
	    uint16_t port, struct ike_cfg *out, char *err, size_t errlen);
int	tm_load_child(struct db_txn *, const struct db_ipsec_tunnel *ptun,
	    const struct ike_cfg *ike, struct child_cfg *out, char *err,
	    size_t errlen);
int	tm_load_child_prot(struct db_txn *, const char *prot_name,
	    struct child_cfg *out, char *err, size_t errlen);
/* The same for acting as as: 'i' (initiating) or 'r' (answering)
 * refuses a protection whose IKE_Role / IPSec_Role forbids it; 0 does
 * not check. */
int	tm_load_ike_as(struct db_txn *, const struct db_ike_tunnel *tun,
	    uint16_t port, char as, struct ike_cfg *out, char *err,
	    size_t errlen);
/* The reqid of the on-demand (IPSec_Flags_OnDemand) phase-2 definition
 * num: its trap policy and its Child SAs (in either role: the trap holds
 * the outbound policy of the definition's selectors) carry it, above the
 * engine's own counter.  tm_load_child_as() sets it and
 * child_cfg.out_held for such a definition. */
#define TM_TRAP_REQID_BASE	0x800000u
#define TM_TRAP_NUM_MAX		0x7fffffu	/* higher: no trap */
#define TM_TRAP_REQID(num)	(TM_TRAP_REQID_BASE + (num))
int	tm_load_child_as(struct db_txn *, const struct db_ipsec_tunnel *ptun,
	    char as, const struct ike_cfg *ike, struct child_cfg *out,
	    char *err, size_t errlen);
int	tm_load_child_prot_as(struct db_txn *, const char *prot_name,
	    char as, struct child_cfg *out, char *err, size_t errlen);

/* Responder, step 1: the first IKETunnel (in number order) of IKE
 * version (IKE_VERSION_1 or _2; 0 counts as 2) whose addresses are
 * local and remote (ports ignored) and that loads for answering
 * (definitions that do not, or are of the other version, are skipped).
 * *tun gets the definition, *out its record with port in its addresses
 * (for a Group remote: no key, remote_id empty). */
int	tm_match_addr(struct db_txn *, uint8_t version,
	    const struct ike_addr *local, const struct ike_addr *remote,
	    uint16_t port, struct db_ike_tunnel *tun, struct ike_cfg *out);

/* The preshared key an IKEv1 Main Mode responder uses for definition
 * tun, whose remote identity is a Group, with the peer at remote: the
 * key is chosen before the peer's identity arrives (it is encrypted
 * with keys made from it), so it cannot be a member's own.  The
 * group's own IKEPresharedKey if the database holds one, else the key
 * stored for the peer's address (an IPV4_Address or IPV6_Address
 * IKEPresharedKey).  IKE_ENOTFOUND when there is neither, IKE_EINVAL
 * when tun's remote identity is no Group. */
int	tm_mm_group_psk(struct db_txn *, const struct db_ike_tunnel *tun,
	    const struct ike_addr *remote, struct ike_cfg *cfg);

/* Responder, step 2: IDi arrived for an SA set up from cfg.  Finds the
 * IKETunnel of cfg's version with cfg's addresses whose remote identity
 * is idi, or a Group with idi as a member, and sets cfg's remote_id and
 * the key of that identity (a Group member's own key first, the
 * group's next).  IKEv1 Main Mode (cfg's version 1, not aggressive)
 * takes only Main Mode definitions and keeps cfg's key, chosen by
 * address before the identity was known: the definition needs no key
 * of its own for idi.  *tun (may be NULL) gets the definition.
 * IKE_ENOTFOUND if none. */
int	tm_match_peer(struct db_txn *, const struct ike_id *idi,
	    struct ike_cfg *cfg, struct db_ike_tunnel *tun);

/* Responder, step 3: the Child SA for the initiator's tsi (its side) and
 * tsr (ours) under IKETunnel ike_tunnel: the first IPSecTunnel under it
 * whose selectors contain them, else the IKEProtection's default
 * protection if the selectors' identity types are allowed.  The result
 * carries the proposed selectors.  *ptun_num gets the IPSecTunnel number
 * (0 for the default protection; may be NULL).  IKE_ENOTFOUND if none
 * fits. */
int	tm_match_child(struct db_txn *, const char *ike_tunnel,
	    const struct ike_cfg *ike, const struct ike_ts *tsi,
	    const struct ike_ts *tsr, struct child_cfg *out,
	    uint32_t *ptun_num);

/* The identity type a selector reads as for IKE_IPSecDefaultAllowedTypes:
 * one address, a prefix (subnet) or a range. */
enum db_idtype	tm_ts_idtype(const struct ike_ts *);
/* true when inner lies inside outer (family, protocol, ports,
 * addresses). */
bool	tm_ts_within(const struct ike_ts *inner, const struct ike_ts *outer);

#endif
