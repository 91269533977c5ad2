/* core/tunnel/tm_cfg.h: tunnel definitions (db/model.h) turned into the
 * records the IKEv2 engine negotiates from (core/ike/cfg.h), and the
 * responder's choice of a definition for an incoming peer.
 *
 * Every function that can refuse a definition writes a sentence naming
 * the problem (and the definition) to err when err is not NULL, and
 * returns IKE_EINVAL (bad or incomplete definition), IKE_EUNSUPP (valid
 * but not supported yet: IKEv1, certificates, X500DN) or
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
 * User_FQDN (RFC822), KEY_ID (hex -> octets).  X500DN, Group and the
 * subnet/range types are refused. */
int	tm_id_from_ident(const struct db_ident *, struct ike_id *out,
	    char *err, size_t errlen);

/* The address an identity implies (IPV4_Address/IPV6_Address), with
 * port; IKE_EINVAL for the other types. */
int	tm_addr_from_ident(const struct db_ident *, uint16_t port,
	    struct ike_addr *out);
/* Parses a textual address with port into out; IKE_EINVAL if it is not
 * one. */
int	tm_addr_parse(const char *s, uint16_t port, struct ike_addr *out);

/* IKEProtection (its IKETransforms) -> proposals, DH groups, lifetime
 * of c.  Only IKEv2 with preshared keys. */
int	tm_ike_prot(const struct db_ike_protection *, struct ike_cfg *c,
	    char *err, size_t errlen);

/* IKETunnel + IKEProtection + the remote identity's preshared key (psk
 * may be NULL only when the remote identity is a Group; then the key is
 * left empty for the responder to fill) -> *out, whose addresses carry
 * port.  A Group remote identity leaves remote_id empty (type 0). */
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

/* Responder, step 1: the first IKETunnel (in number order) whose
 * addresses are local and remote (ports ignored) and that loads for
 * answering (definitions that do not are skipped).  *tun gets the definition,
 * *out its record (for a Group remote: no key, remote_id empty). */
int	tm_match_addr(struct db_txn *, const struct ike_addr *local,
	    const struct ike_addr *remote, uint16_t port,
	    struct db_ike_tunnel *tun, struct ike_cfg *out);

/* Responder, step 2: IDi arrived for an SA set up from cfg.  Finds the
 * IKETunnel with cfg's addresses whose remote identity is idi, or a
 * Group with idi as a member, and sets cfg's remote_id and the key of
 * that identity (a Group member's own key first, the group's next).
 * *tun (may be NULL) gets the definition.  IKE_ENOTFOUND if none. */
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
