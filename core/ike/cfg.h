/* core/ike/cfg.h: the configuration the engine negotiates from: one
 * record for an IKE SA (struct ike_cfg) and one for a Child SA (struct
 * child_cfg).  Both are plain values: the engine copies them into the SA
 * it creates, and the preshared key travels inside the record, so every
 * copy is wiped with ike_cfg_wipe() when it is dropped. */
#ifndef IKE_CFG_H
#define IKE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/platform.h"

#define CFG_MAX_PROPS	8	/* proposals per record */
#define CFG_MAX_DH	8	/* DH groups per IKE record */
#define CFG_ID_MAX	256	/* identification data octets */
#define CFG_PSK_MAX	256	/* preshared key octets */

#define IKE_VERSION_1	1	/* ISAKMP/Oakley: RFC 2407, 2408, 2409 */
#define IKE_VERSION_2	2	/* RFC 7296 */

/* How we authenticate (ike_cfg.auth), and how we want the peer to:
 * both sides use the same kind (a preshared key, or signatures with
 * certificates); a peer using the other kind is refused.  0 is the
 * preshared key, so a record that does not set it keeps working.  The
 * two signature values name the key type of our certificate (the
 * engine's, engine_set_certs()); the peer may sign with any key type
 * and any method we implement (RFC 7296 s. 3.8: 1, 9, 10, 11; RFC 7427:
 * 14). */
enum cfg_auth {
	CFG_AUTH_PSK = 0,	/* IKE_AuthenticationMethod Preshared_Key */
	CFG_AUTH_RSA_SIG,	/* RSA_Signature */
	CFG_AUTH_ECDSA_SIG,	/* ECDSA_Signature */
};

/* An identity (RFC 7296 s. 3.5): IKEV2_ID_IPV4_ADDR, _IPV6_ADDR, _FQDN,
 * _RFC822_ADDR (USER_FQDN), _KEY_ID or _DER_ASN1_DN and its data.
 * type 0: none given (a responder then accepts any IDi). */
struct ike_id {
	uint8_t		 type;
	size_t		 len;
	uint8_t		 data[CFG_ID_MAX];
};

/* One IKE proposal: IKEv2 transform IDs (also for IKEv1, whose
 * phase-1 attributes core/exchange1 maps to and from them: encr 3DES or
 * AES-CBC, prf the HMAC of the Hash Algorithm).  integ is 0 (AUTH_NONE) with an
 * AEAD cipher; key_bits 0 for ciphers without a Key Length. */
struct ike_prop_cfg {
	uint16_t	 encr, key_bits, integ, prf;
};

struct ike_cfg {
	uint8_t			 version;	/* IKE_VERSION_1 or _2; 0: 2 */
	bool			 aggressive;	/* IKEv1: Aggressive Mode
						 * instead of Main Mode */
	struct ike_addr		 local, remote;	/* with the IKE ports */
	struct ike_prop_cfg	 props[CFG_MAX_PROPS];
	size_t			 nprops;
	uint16_t		 dh[CFG_MAX_DH];	/* preference order */
	size_t			 ndh;
	struct ike_id		 local_id, remote_id;
	uint8_t			 psk[CFG_PSK_MAX];	/* secret: wiped */
	size_t			 psk_len;
	uint8_t			 auth;		/* enum cfg_auth */
	bool			 sig_classic;	/* signatures: neither send
						 * SIGNATURE_HASH_ALGORITHMS
						 * nor use method 14 (RFC
						 * 7427), so both sides use
						 * methods 1, 9-11 */
	uint64_t		 lifetime_s;	/* 0: none; rekeyed before its
						 * end, deleted at its end if
						 * the rekey failed */
	uint64_t		 rekey_margin_s;	/* rekey this long before
						 * the end (cfg_rekey_ms());
						 * 0: at 90% */
	uint32_t		 retrans_ms;	/* first timeout; 0: 500 */
	unsigned int		 retrans_max;	/* sends after the first;
						 * 0: 5 */
};

/* One Child SA proposal: proto IKEV2_PROTO_ESP, or IKEV2_PROTO_AH with
 * encr and key_bits 0 and an integrity algorithm (RFC 7296 s. 3.3). */
struct child_prop_cfg {
	uint8_t		 proto;
	uint16_t	 encr, key_bits, integ;
};

/* child_cfg.resp_dh beside the group numbers (0 is no group, and the
 * default: ANY). */
#define CFG_PFS_ANY	0
#define CFG_PFS_NONE	0xffff

struct child_cfg {
	struct child_prop_cfg	 props[CFG_MAX_PROPS];
	size_t			 nprops;
	enum plat_mode		 mode;		/* PLAT_TUNNEL or _TRANSPORT */
	bool			 esn;		/* propose (accept) ESN only */
	struct ike_ts		 local_ts, remote_ts;
	uint64_t		 lifetime_s;	/* 0: none */
	uint64_t		 lifetime_kb;	/* kernel byte limit per
						 * direction, KiB; 0: none */
	uint64_t		 rekey_margin_s;	/* as in ike_cfg */
	uint16_t		 pfs_group;	/* for CREATE_CHILD_SA; unused
						 * in IKE_AUTH (s. 1.2) */
	uint16_t		 resp_dh;	/* PFS we accept as responder
						 * (IPSec_ResponderDHGroup):
						 * CFG_PFS_ANY any group we
						 * implement or none,
						 * CFG_PFS_NONE none, else
						 * that group only */
	uint32_t		 reqid;		/* 0: the engine picks one */
	bool			 out_held;	/* the caller holds the
						 * outbound policy (an
						 * on-demand trap with this
						 * reqid): the engine uses it
						 * if it exists, leaves it */
};

/* When an SA with lifetime_s (> 0) is rekeyed, in ms after it came up:
 * margin_s before its end ("lifetime minus overlap": IKE_KeyOverlap,
 * IPSec_KeyOverlap), but never before a fifth of the lifetime, on the
 * side that set it up (first: the initiator of the IKE SA, the proposer
 * of the Child SA); half that margin before the end on the other side,
 * so that the two rarely collide.  margin_s 0: at 90% and 95% of the
 * lifetime. */
uint64_t cfg_rekey_ms(uint64_t lifetime_s, uint64_t margin_s, bool first);

/* 0 when an identity of type with len octets of data is well formed:
 * IPv4 4 octets, IPv6 16, FQDN, USER_FQDN, KEY_ID and DER_ASN1_DN at
 * least one.  IKE_EUNSUPP for other types, IKE_EINVAL otherwise. */
int	ike_id_check(uint8_t type, size_t len);
/* Wipes the secret and zeroes the record; NULL is fine. */
void	ike_cfg_wipe(struct ike_cfg *);
/* 0 when the record can start or answer an exchange: at least one
 * proposal and one DH group, all supported, a preshared key (auth
 * CFG_AUTH_PSK) or a known signature method, addresses of one family.
 * With signatures local_id may have type 0: the engine then uses the
 * subject DN of its certificate.  IKE_EINVAL or IKE_EUNSUPP otherwise.
 * Whether the engine has a certificate for a signature method is
 * engine_initiate()'s check. */
int	ike_cfg_check(const struct ike_cfg *);
int	child_cfg_check(const struct child_cfg *);

#endif
