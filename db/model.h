/* db/model.h: the tunnel-definition objects of docs/ikedb-xml.md (the
 * project's copy of shared/reference/ikedb-xml.md), as plain C records.
 *
 * These records are what ikedb's XML parser produces, what db/ stores and
 * loads, what `ike cmd=list db` prints and what the daemon negotiates
 * from.  They hold no pointers: every string is a NUL-terminated array,
 * so a record can be copied with memcpy and freed with free().
 * Zero-initialised memory is a valid empty record.
 *
 * Strings are kept in canonical form: addresses as inet_ntop() prints
 * them, enumerations as numbers (see the name tables in model_names.h). */
#ifndef IKE_DB_MODEL_H
#define IKE_DB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DB_NAME_MAX		64	/* names, including the NUL */
#define DB_IDVAL_MAX		256	/* identity values, including the NUL */
#define DB_IDVAL2_MAX		48	/* netmask, prefix length, range end */
#define DB_ADDR_MAX		46	/* INET6_ADDRSTRLEN */
#define DB_PSK_MAX		256	/* preshared key bytes */
#define DB_MAX_TRANSFORMS	16	/* IKETransform per IKEProtection */
#define DB_MAX_PROTOS		8	/* ESP/AH entries per IPSecProposal */
#define DB_MAX_PROPREFS		8	/* proposals per IPSecProtection */
#define DB_MAX_MEMBERS		64	/* identities per IKEGroup */
#define DB_GROUP_VALUES_MAX	1024	/* total bytes of a group's values */

/* The object types, in the order ikedb prints them (references last). */
enum db_type {
	DB_T_IKE_PROTECTION = 0,	/* IKEProtection (with IKETransforms) */
	DB_T_IKE_TUNNEL,		/* IKETunnel */
	DB_T_PSK,			/* IKEPresharedKey */
	DB_T_GROUP,			/* IKEGroup */
	DB_T_IPSEC_PROPOSAL,		/* IPSecProposal (ESP/AH children) */
	DB_T_IPSEC_PROTECTION,		/* IPSecProtection */
	DB_T_IPSEC_TUNNEL,		/* IPSecTunnel */
	DB_T_COUNT
};

enum db_idtype {
	DB_ID_NONE = 0,
	DB_ID_IPV4_ADDR,	/* IPV4_Address Value= */
	DB_ID_IPV6_ADDR,	/* IPV6_Address Value= */
	DB_ID_FQDN,		/* FQDN Value= */
	DB_ID_USER_FQDN,	/* User_FQDN Value= */
	DB_ID_X500DN,		/* X500DN Value= */
	DB_ID_KEY_ID,		/* KEY_ID Value= (hex, lower case) */
	DB_ID_IPV4_SUBNET,	/* IPV4_Subnet Value= NetMask= (value2) */
	DB_ID_IPV6_SUBNET,	/* IPV6_Subnet Value= PrefixLength= (value2) */
	DB_ID_IPV4_RANGE,	/* IPV4_Address_Range From= (value) To= (value2) */
	DB_ID_IPV6_RANGE,	/* IPV6_Address_Range From= (value) To= (value2) */
	DB_ID_GROUP,		/* Group Value= (an IKEGroup name) */
	DB_ID_COUNT
};

struct db_ident {
	uint8_t	type;				/* enum db_idtype */
	char	value[DB_IDVAL_MAX];
	char	value2[DB_IDVAL2_MAX];		/* "" unless the type has one */
};

/* A phase-2 identity: the identity plus what its wrapper element says. */
struct db_p2ident {
	struct db_ident	id;
	uint8_t		protocol;	/* IP protocol number; 0 = any */
	uint16_t	port;		/* 0 = any */
	uint16_t	endport;	/* == port unless a range (IKEv2) */
};

enum db_role { DB_ROLE_BOTH = 0, DB_ROLE_INITIATOR, DB_ROLE_RESPONDER };
enum db_xchg { DB_XCHG_MAIN = 0, DB_XCHG_AGGRESSIVE };

enum db_encr {			/* IKE_Encryption and ESP_Encryption */
	DB_ENCR_NONE = 0,	/* not set (AH) */
	DB_ENCR_3DES_CBC,
	DB_ENCR_AES_CBC_128,
	DB_ENCR_AES_CBC_192,
	DB_ENCR_AES_CBC_256,
	DB_ENCR_AES_GCM_128,
	DB_ENCR_AES_GCM_256,
	DB_ENCR_CHACHA20_POLY1305,
	DB_ENCR_NULL,		/* ESP only */
	DB_ENCR_COUNT
};

enum db_hash {			/* IKE_Hash */
	DB_HASH_MD5 = 0,
	DB_HASH_SHA1,		/* "SHA" */
	DB_HASH_SHA2_256,
	DB_HASH_SHA2_384,
	DB_HASH_SHA2_512,
	DB_HASH_AES_XCBC,	/* IKEv2 only */
	DB_HASH_COUNT
};

enum db_prf {			/* IKE_PRF (IKEv2 only) */
	DB_PRF_FOLLOW = 0,	/* follows IKE_Hash; not printed */
	DB_PRF_SHA1,
	DB_PRF_SHA2_256,
	DB_PRF_SHA2_384,
	DB_PRF_SHA2_512,
	DB_PRF_AES_XCBC,
	DB_PRF_COUNT
};

enum db_auth {			/* IKE_AuthenticationMethod */
	DB_AUTH_PSK = 0,
	DB_AUTH_RSA_SIG,
	DB_AUTH_ECDSA_SIG,
	DB_AUTH_COUNT
};

enum db_integ {			/* ESP_Authentication and AH_Authentication */
	DB_INTEG_NONE = 0,
	DB_INTEG_HMAC_MD5,
	DB_INTEG_HMAC_SHA1,	/* "HMAC-SHA" */
	DB_INTEG_HMAC_SHA2_256,
	DB_INTEG_HMAC_SHA2_384,
	DB_INTEG_HMAC_SHA2_512,
	DB_INTEG_AES_XCBC,
	DB_INTEG_COUNT
};

enum db_mode { DB_MODE_TUNNEL = 0, DB_MODE_TRANSPORT };
enum db_ipsec_proto { DB_PROTO_ESP = 0, DB_PROTO_AH };

/* IPSec_ResponderDHGroup beside the group numbers. */
#define DB_DH_NO_PFS	0
#define DB_DH_ANY	255

/* IKE_IPSecDefaultAllowedTypes: bit DB_ALLOW_LOCAL + i or
 * DB_ALLOW_REMOTE + i, where i is the index of the identity type in
 * db_allow_type() (IPv4/IPv6 address, subnet, range). */
#define DB_ALLOW_LOCAL	0
#define DB_ALLOW_REMOTE	8
#define DB_ALLOW_NTYPES	6

struct db_ike_transform {
	uint8_t		encr;		/* enum db_encr */
	uint8_t		hash;		/* enum db_hash */
	uint8_t		prf;		/* enum db_prf */
	uint8_t		dh_group;	/* IANA group number */
	uint8_t		auth;		/* enum db_auth */
	uint32_t	life_minutes;	/* IKE_KeyRefreshMinutes */
	uint32_t	life_kb;	/* IKE_KeyRefreshKB; 0 = none */
};

struct db_ike_protection {
	char		name[DB_NAME_MAX];
	uint8_t		version;	/* 1 or 2 */
	uint8_t		role;		/* enum db_role */
	uint8_t		xchg_mode;	/* enum db_xchg; IKEv1 only */
	uint32_t	key_overlap;	/* minutes */
	char		def_ipsec_prot[DB_NAME_MAX];	/* "" = none */
	uint16_t	def_allowed;	/* DB_ALLOW_* bits */
	uint8_t		ntransforms;
	struct db_ike_transform transforms[DB_MAX_TRANSFORMS];
};

struct db_ike_tunnel {
	char		name[DB_NAME_MAX];
	uint32_t	num;		/* tunnel number, set by db_put() */
	char		protection[DB_NAME_MAX];	/* IKEProtection */
	bool		autostart;
	char		local_addr[DB_ADDR_MAX];	/* "" = from identity */
	char		remote_addr[DB_ADDR_MAX];
	struct db_ident	local;
	struct db_ident	remote;
};

enum db_psk_format { DB_PSK_ASCII = 0, DB_PSK_HEX };

struct db_psk {
	struct db_ident	remote;		/* the key's identity, its name */
	uint8_t		format;		/* enum db_psk_format, for printing */
	uint16_t	len;
	uint8_t		key[DB_PSK_MAX];	/* secret: wipe copies */
};

struct db_group {
	char		name[DB_NAME_MAX];
	uint16_t	nmembers;
	struct db_ident	members[DB_MAX_MEMBERS];
};

struct db_ipsec_transform {	/* IPSecESPProtocol or IPSecAHProtocol */
	uint8_t		proto;		/* enum db_ipsec_proto */
	uint8_t		encr;		/* enum db_encr; ESP only */
	uint8_t		integ;		/* enum db_integ */
	uint8_t		mode;		/* enum db_mode */
	bool		esn;		/* ESP_ExtendedSeqNum */
	uint32_t	life_minutes;
	uint32_t	life_kb;
};

struct db_ipsec_proposal {
	char		name[DB_NAME_MAX];
	uint8_t		nprotos;
	struct db_ipsec_transform protos[DB_MAX_PROTOS];
};

struct db_ipsec_protection {
	char		name[DB_NAME_MAX];
	uint8_t		nproposals;
	char		proposals[DB_MAX_PROPREFS][DB_NAME_MAX];
	uint8_t		role;		/* enum db_role */
	uint8_t		init_dh;	/* 0 = no PFS, else a group */
	uint8_t		resp_dh;	/* DB_DH_NO_PFS, DB_DH_ANY or a group */
	uint32_t	key_overlap;	/* minutes */
};

struct db_ipsec_tunnel {
	char		name[DB_NAME_MAX];
	uint32_t	num;		/* tunnel number, set by db_put() */
	char		ike_tunnel[DB_NAME_MAX];	/* IKETunnel */
	char		protection[DB_NAME_MAX];	/* IPSecProtection */
	bool		autostart;
	bool		ondemand;
	struct db_p2ident local;
	struct db_p2ident remote;
};

/* Any one object. */
struct db_obj {
	enum db_type	type;
	union {
		struct db_ike_protection	ike_prot;
		struct db_ike_tunnel		ike_tun;
		struct db_psk			psk;
		struct db_group			group;
		struct db_ipsec_proposal	ipsec_prop;
		struct db_ipsec_protection	ipsec_prot;
		struct db_ipsec_tunnel		ipsec_tun;
	} u;
};

/* The object's key in the database: its name, or for a preshared key the
 * canonical form of its identity, "<IdType>:<value>[:<value2>]" (e.g.
 * "IPV4_Address:198.51.100.7").  Writes at most n bytes; returns
 * IKE_ENOSPC if that is not enough. */
int	db_obj_key(const struct db_obj *, char *buf, size_t n);
int	db_ident_key(const struct db_ident *, char *buf, size_t n);

/* Identity element name ("IPV4_Address", ...) <-> enum db_idtype. */
const char	*db_idtype_name(enum db_idtype);
int		 db_idtype_parse(const char *, enum db_idtype *);

/* The i-th (0 .. DB_ALLOW_NTYPES-1) identity type an allowed-types bit
 * can name; DB_ID_NONE past the end. */
enum db_idtype	 db_allow_type(unsigned i);
/* The bit for type on one side, or -1 if type cannot be allowed. */
int		 db_allow_bit(enum db_idtype, bool remote);
/* Writes the bits as ikedb spells them ("Local_IPV4_Address
 * Remote_IPV4_Subnet ..."), "" for none.  IKE_ENOSPC if n is too small. */
int		 db_allowed_format(uint16_t bits, char *buf, size_t n);

/* Reads or writes an unsigned record member of size 1, 2 or 4 bytes
 * (bool, uint8_t, uint16_t, uint32_t) through a pointer into a record,
 * for the table-driven code (record encoding, ikedb's schema). */
uint32_t	 db_uint_get(const void *p, size_t size);
void		 db_uint_set(void *p, size_t size, uint32_t v);

/* Element name of an object type ("IKETunnel", ...) <-> enum db_type. */
const char	*db_type_name(enum db_type);
int		 db_type_parse(const char *, enum db_type *);

#endif
