/* cli/ikedb/schema.c: the table of docs/ikedb-xml.md.  Attributes are
 * listed in the order ikedb prints them. */
#include "schema.h"

#include <limits.h>
#include <string.h>

#include "check.h"

#define B(v)		(1u << (v))
#define FLD(T, f)	.off = offsetof(T, f), .size = sizeof(((T *)0)->f)
#define N(a)		(sizeof(a) / sizeof((a)[0]))
#define ATTRS(a)	.attrs = a, .nattrs = N(a)
#define KIDS(c)		.children = c, .nchildren = N(c)

const uint8_t sch_dh_groups[] = {
	1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 24, 31, 0
};

/* ------------------------------------------------------------ identities */

#define ID_ELEM(var, ename, idtype, attrs_, chk, text)			\
	static const struct sch_elem var = {				\
		.name = ename, ATTRS(attrs_), .model = SM_EMPTY,	\
		.obj_type = -1, .has_tag = true,			\
		.tag_off = offsetof(struct db_ident, type),		\
		.tag = idtype, .check = chk, .doc = text,		\
	}

#define ID_ATTR(aname, k, f) \
	{ .name = aname, .kind = k, .flags = SA_REQ, FLD(struct db_ident, f) }

static const struct sch_attr a_v4[] = { ID_ATTR("Value", SK_IPV4, value) };
static const struct sch_attr a_v6[] = { ID_ATTR("Value", SK_IPV6, value) };
static const struct sch_attr a_fqdn[] = { ID_ATTR("Value", SK_FQDN, value) };
static const struct sch_attr a_ufqdn[] = {
	ID_ATTR("Value", SK_UFQDN, value)
};
static const struct sch_attr a_dn[] = { ID_ATTR("Value", SK_DN, value) };
static const struct sch_attr a_keyid[] = { ID_ATTR("Value", SK_HEX, value) };
static const struct sch_attr a_sub4[] = {
	ID_ATTR("Value", SK_IPV4, value),
	ID_ATTR("NetMask", SK_NETMASK, value2),
};
static const struct sch_attr a_sub6[] = {
	ID_ATTR("Value", SK_IPV6, value),
	ID_ATTR("PrefixLength", SK_PREFIX, value2),
};
static const struct sch_attr a_rng4[] = {
	ID_ATTR("From", SK_IPV4, value),
	ID_ATTR("To", SK_IPV4, value2),
};
static const struct sch_attr a_rng6[] = {
	ID_ATTR("From", SK_IPV6, value),
	ID_ATTR("To", SK_IPV6, value2),
};
static const struct sch_attr a_group[] = {
	{ .name = "Value", .kind = SK_REF, .flags = SA_REQ,
	  FLD(struct db_ident, value), .to_type = DB_T_GROUP },
};

ID_ELEM(e_v4, "IPV4_Address", DB_ID_IPV4_ADDR, a_v4, NULL,
    "an IPv4 address");
ID_ELEM(e_v6, "IPV6_Address", DB_ID_IPV6_ADDR, a_v6, NULL,
    "an IPv6 address");
ID_ELEM(e_fqdn, "FQDN", DB_ID_FQDN, a_fqdn, NULL, "a host name");
ID_ELEM(e_ufqdn, "User_FQDN", DB_ID_USER_FQDN, a_ufqdn, NULL, "user@host");
ID_ELEM(e_dn, "X500DN", DB_ID_X500DN, a_dn, NULL,
    "an X.500 distinguished name");
ID_ELEM(e_keyid, "KEY_ID", DB_ID_KEY_ID, a_keyid, NULL, "a key ID in hex");
ID_ELEM(e_sub4, "IPV4_Subnet", DB_ID_IPV4_SUBNET, a_sub4, chk_subnet,
    "an IPv4 subnet: address and contiguous netmask, no host bits set");
ID_ELEM(e_sub6, "IPV6_Subnet", DB_ID_IPV6_SUBNET, a_sub6, chk_subnet,
    "an IPv6 subnet: address and prefix length, no host bits set");
ID_ELEM(e_rng4, "IPV4_Address_Range", DB_ID_IPV4_RANGE, a_rng4, chk_range,
    "an IPv4 address range, From <= To");
ID_ELEM(e_rng6, "IPV6_Address_Range", DB_ID_IPV6_RANGE, a_rng6, chk_range,
    "an IPv6 address range, From <= To");
ID_ELEM(e_group, "Group", DB_ID_GROUP, a_group, NULL,
    "the name of an IKEGroup; remote identities only");

/* A choice of identity elements all placed at off. */
#define ID_KID(e, o)	{ .elem = &e, .min = 0, .max = 1, .off = o }

/* Phase 1: who the peers are. */
static const struct sch_child k_p1_local[] = {
	ID_KID(e_v4, 0), ID_KID(e_v6, 0), ID_KID(e_fqdn, 0),
	ID_KID(e_ufqdn, 0), ID_KID(e_dn, 0), ID_KID(e_keyid, 0),
};
static const struct sch_child k_p1_remote[] = {
	ID_KID(e_v4, 0), ID_KID(e_v6, 0), ID_KID(e_fqdn, 0),
	ID_KID(e_ufqdn, 0), ID_KID(e_dn, 0), ID_KID(e_keyid, 0),
	ID_KID(e_group, 0),
};

/* Phase 2: the traffic protected. */
#define P2ID	offsetof(struct db_p2ident, id)
static const struct sch_child k_p2_local[] = {
	ID_KID(e_v4, P2ID), ID_KID(e_v6, P2ID), ID_KID(e_sub4, P2ID),
	ID_KID(e_sub6, P2ID), ID_KID(e_rng4, P2ID), ID_KID(e_rng6, P2ID),
};
static const struct sch_child k_p2_remote[] = {
	ID_KID(e_v4, P2ID), ID_KID(e_v6, P2ID), ID_KID(e_sub4, P2ID),
	ID_KID(e_sub6, P2ID), ID_KID(e_rng4, P2ID), ID_KID(e_rng6, P2ID),
	ID_KID(e_group, P2ID),
};

#define WRAPPER(var, ename, attrs_, kids, chk, text)			\
	static const struct sch_elem var = {				\
		.name = ename, attrs_, .model = SM_CHOICE, KIDS(kids),	\
		.cmin = 1, .cmax = 1, .obj_type = -1, .check = chk,	\
		.doc = text,						\
	}

WRAPPER(e_ike_local, "IKELocalIdentity", .attrs = NULL, k_p1_local, NULL,
    "our phase-1 identity");
WRAPPER(e_ike_remote, "IKERemoteIdentity", .attrs = NULL, k_p1_remote, NULL,
    "the peer's phase-1 identity");
WRAPPER(e_psk_remote, "IKEPresharedRemoteID", .attrs = NULL, k_p1_local,
    NULL, "the identity the key is for");

static const struct sch_attr a_p2wrap[] = {
	{ .name = "Protocol", .kind = SK_PROTO,
	  FLD(struct db_p2ident, protocol), .def = "any" },
	{ .name = "Port", .kind = SK_UINT, FLD(struct db_p2ident, port),
	  .min = 0, .max = 65535, .def = "0" },
	{ .name = "EndPort", .kind = SK_UINT, .flags = SA_V2 | SA_FOLLOWS,
	  FLD(struct db_p2ident, endport),
	  .aux = offsetof(struct db_p2ident, port), .min = 0, .max = 65535 },
};

WRAPPER(e_ipsec_local, "IPSecLocalIdentity", ATTRS(a_p2wrap), k_p2_local,
    chk_p2ident, "our side of the traffic; EndPort (>= Port) only for "
    "IKEv2, printed when it differs from Port");
WRAPPER(e_ipsec_remote, "IPSecRemoteIdentity", ATTRS(a_p2wrap), k_p2_remote,
    chk_p2ident, "the peer's side of the traffic; Protocol as on our side");

/* ---------------------------------------------------------------- phase 1 */

#define TR(f)	FLD(struct db_ike_transform, f)
static const struct sch_attr a_ike_transform[] = {
	{ .name = "IKE_Encryption", .kind = SK_ENUM, TR(encr),
	  .ekind = DB_E_ENCR, .def = "AES-CBC-256",
	  .mask = B(DB_ENCR_3DES_CBC) | B(DB_ENCR_AES_CBC_128) |
	    B(DB_ENCR_AES_CBC_192) | B(DB_ENCR_AES_CBC_256) |
	    B(DB_ENCR_AES_GCM_128) | B(DB_ENCR_AES_GCM_256) |
	    B(DB_ENCR_CHACHA20_POLY1305),
	  .v2mask = B(DB_ENCR_AES_GCM_128) | B(DB_ENCR_AES_GCM_256) |
	    B(DB_ENCR_CHACHA20_POLY1305) },
	{ .name = "IKE_Hash", .kind = SK_ENUM, TR(hash), .ekind = DB_E_HASH,
	  .def = "SHA2-256", .mask = B(DB_HASH_COUNT) - 1,
	  .v2mask = B(DB_HASH_AES_XCBC) },
	{ .name = "IKE_PRF", .kind = SK_ENUM, .flags = SA_V2 | SA_OPT,
	  TR(prf), .ekind = DB_E_PRF,
	  .mask = (B(DB_PRF_COUNT) - 1) & ~B(DB_PRF_FOLLOW) },
	{ .name = "IKE_DHGroup", .kind = SK_DH, TR(dh_group), .def = "14" },
	{ .name = "IKE_AuthenticationMethod", .kind = SK_ENUM, TR(auth),
	  .ekind = DB_E_AUTH, .def = "Preshared_Key",
	  .mask = B(DB_AUTH_COUNT) - 1 },
	{ .name = "IKE_KeyRefreshMinutes", .kind = SK_UINT, TR(life_minutes),
	  .min = 5, .max = 10080, .def = "480" },
	{ .name = "IKE_KeyRefreshKB", .kind = SK_UINT, TR(life_kb),
	  .min = 0, .max = UINT32_MAX, .def = "0" },
};

static const struct sch_elem e_ike_transform = {
	.name = "IKETransform", ATTRS(a_ike_transform), .model = SM_EMPTY,
	.obj_type = -1,
	.doc = "one phase-1 proposal; AES-GCM, CHACHA20, AES-XCBC and IKE_PRF "
	    "only for IKEv2 (ECDSA_Signature: both, RFC 4754 in IKEv1)",
};

#define IP(f)	FLD(struct db_ike_protection, f)
static const struct sch_attr a_ike_protection[] = {
	{ .name = "IKE_ProtectionName", .kind = SK_NAME, .flags = SA_REQ,
	  IP(name) },
	{ .name = "IKE_Version", .kind = SK_UINT, .flags = SA_VERSION,
	  IP(version), .min = 1, .max = 2, .def = "1" },
	{ .name = "IKE_Role", .kind = SK_ENUM, IP(role), .ekind = DB_E_ROLE,
	  .mask = B(DB_ROLE_BOTH) | B(DB_ROLE_INITIATOR) |
	    B(DB_ROLE_RESPONDER), .def = "Both" },
	{ .name = "IKE_XCHGMode", .kind = SK_ENUM, .flags = SA_V1,
	  IP(xchg_mode), .ekind = DB_E_XCHG,
	  .mask = B(DB_XCHG_MAIN) | B(DB_XCHG_AGGRESSIVE), .def = "Main" },
	{ .name = "IKE_KeyOverlap", .kind = SK_UINT, IP(key_overlap),
	  .min = 0, .max = 10080, .def = "10" },
	{ .name = "IKE_IPSecDefaultProtectionRef", .kind = SK_REF,
	  .flags = SA_OPT, IP(def_ipsec_prot),
	  .to_type = DB_T_IPSEC_PROTECTION, .prefix = "_defIPSprot_" },
	{ .name = "IKE_IPSecDefaultAllowedTypes", .kind = SK_ALLOWED,
	  .flags = SA_OPT, IP(def_allowed) },
};

static const struct sch_child k_ike_protection[] = {
	{ .elem = &e_ike_transform, .min = 1, .max = DB_MAX_TRANSFORMS,
	  .off = offsetof(struct db_ike_protection, transforms),
	  .stride = sizeof(struct db_ike_transform),
	  .count_off = offsetof(struct db_ike_protection, ntransforms),
	  .count_size = 1 },
};

static const struct sch_elem e_ike_protection = {
	.name = "IKEProtection", ATTRS(a_ike_protection), .model = SM_SEQ,
	KIDS(k_ike_protection), .obj_type = DB_T_IKE_PROTECTION,
	.check = chk_ike_protection,
	.doc = "a phase-1 policy; IKE_XCHGMode only for IKEv1",
};

#define IT(f)	FLD(struct db_ike_tunnel, f)
static const struct sch_attr a_ike_tunnel[] = {
	{ .name = "IKE_TunnelName", .kind = SK_NAME, .flags = SA_REQ,
	  IT(name) },
	{ .name = "IKE_ProtectionRef", .kind = SK_REF, .flags = SA_REQ,
	  IT(protection), .to_type = DB_T_IKE_PROTECTION },
	{ .name = "IKE_Flags_AutoStart", .kind = SK_BOOL, IT(autostart),
	  .def = "No" },
	{ .name = "IKE_LocalAddress", .kind = SK_ADDR, .flags = SA_OPT,
	  IT(local_addr) },
	{ .name = "IKE_RemoteAddress", .kind = SK_ADDR, .flags = SA_OPT,
	  IT(remote_addr) },
};

static const struct sch_child k_ike_tunnel[] = {
	{ .elem = &e_ike_local, .min = 1, .max = 1,
	  .off = offsetof(struct db_ike_tunnel, local) },
	{ .elem = &e_ike_remote, .min = 1, .max = 1,
	  .off = offsetof(struct db_ike_tunnel, remote) },
};

static const struct sch_elem e_ike_tunnel = {
	.name = "IKETunnel", ATTRS(a_ike_tunnel), .model = SM_SEQ,
	KIDS(k_ike_tunnel), .obj_type = DB_T_IKE_TUNNEL,
	.check = chk_ike_tunnel,
	.doc = "a phase-1 tunnel; addresses default to the identities'",
};

static const struct sch_attr a_psk[] = {
	{ .name = "Value", .kind = SK_PSK,
	  .flags = SA_REQ | SA_SECRET | SA_LATE, .off = 0,
	  .size = sizeof(struct db_psk) },
	{ .name = "Format", .kind = SK_ENUM, FLD(struct db_psk, format),
	  .ekind = DB_E_PSK_FORMAT, .mask = B(DB_PSK_ASCII) | B(DB_PSK_HEX),
	  .def = "ASCII" },
};

static const struct sch_child k_psk[] = {
	{ .elem = &e_psk_remote, .min = 1, .max = 1,
	  .off = offsetof(struct db_psk, remote) },
};

static const struct sch_elem e_psk = {
	.name = "IKEPresharedKey", ATTRS(a_psk), .model = SM_SEQ, KIDS(k_psk),
	.obj_type = DB_T_PSK,
	.doc = "a preshared key; Value=\"*\" keeps the stored key",
};

static const struct sch_attr a_group_obj[] = {
	{ .name = "IKE_GroupName", .kind = SK_NAME, .flags = SA_REQ,
	  FLD(struct db_group, name) },
};

#define MEMBER(e) { .elem = &e, .max = DB_MAX_MEMBERS,			\
	.off = offsetof(struct db_group, members),			\
	.stride = sizeof(struct db_ident),				\
	.count_off = offsetof(struct db_group, nmembers), .count_size = 2 }

static const struct sch_child k_group[] = {
	MEMBER(e_v4), MEMBER(e_v6), MEMBER(e_fqdn), MEMBER(e_ufqdn),
	MEMBER(e_dn), MEMBER(e_keyid), MEMBER(e_sub4), MEMBER(e_sub6),
	MEMBER(e_rng4), MEMBER(e_rng6),
};

static const struct sch_elem e_group_obj = {
	.name = "IKEGroup", ATTRS(a_group_obj), .model = SM_CHOICE,
	KIDS(k_group), .cmin = 1, .cmax = DB_MAX_MEMBERS,
	.obj_type = DB_T_GROUP, .check = chk_group,
	.doc = "a group of identities, at most 1024 bytes of values",
};

/* ---------------------------------------------------------------- phase 2 */

#define XF(f)	FLD(struct db_ipsec_transform, f)
static const struct sch_attr a_esp[] = {
	{ .name = "ESP_Encryption", .kind = SK_ENUM, XF(encr),
	  .ekind = DB_E_ENCR, .def = "AES-GCM-256",
	  .mask = (B(DB_ENCR_COUNT) - 1) & ~B(DB_ENCR_NONE) },
	{ .name = "ESP_Authentication", .kind = SK_ENUM, XF(integ),
	  .ekind = DB_E_INTEG, .def = "None", .mask = B(DB_INTEG_COUNT) - 1 },
	{ .name = "ESP_EncapsulationMode", .kind = SK_ENUM, XF(mode),
	  .ekind = DB_E_MODE, .mask = B(DB_MODE_TUNNEL) | B(DB_MODE_TRANSPORT),
	  .def = "Tunnel" },
	{ .name = "ESP_KeyRefreshMinutes", .kind = SK_UINT, XF(life_minutes),
	  .min = 1, .max = 1440, .def = "60" },
	{ .name = "ESP_KeyRefreshKB", .kind = SK_UINT, XF(life_kb),
	  .min = 0, .max = UINT32_MAX, .def = "0" },
	{ .name = "ESP_ExtendedSeqNum", .kind = SK_BOOL, XF(esn),
	  .def = "No" },
};

static const struct sch_attr a_ah[] = {
	{ .name = "AH_Authentication", .kind = SK_ENUM, XF(integ),
	  .ekind = DB_E_INTEG, .def = "HMAC-SHA2-256",
	  .mask = (B(DB_INTEG_COUNT) - 1) & ~B(DB_INTEG_NONE) },
	{ .name = "AH_EncapsulationMode", .kind = SK_ENUM, XF(mode),
	  .ekind = DB_E_MODE, .mask = B(DB_MODE_TUNNEL) | B(DB_MODE_TRANSPORT),
	  .def = "Tunnel" },
	{ .name = "AH_KeyRefreshMinutes", .kind = SK_UINT, XF(life_minutes),
	  .min = 1, .max = 1440, .def = "60" },
	{ .name = "AH_KeyRefreshKB", .kind = SK_UINT, XF(life_kb),
	  .min = 0, .max = UINT32_MAX, .def = "0" },
};

static const struct sch_elem e_esp = {
	.name = "IPSecESPProtocol", ATTRS(a_esp), .model = SM_EMPTY,
	.obj_type = -1, .has_tag = true,
	.tag_off = offsetof(struct db_ipsec_transform, proto),
	.tag = DB_PROTO_ESP, .check = chk_esp,
	.doc = "ESP; ESP_Authentication is None exactly with AES-GCM and "
	    "CHACHA20-POLY1305",
};

static const struct sch_elem e_ah = {
	.name = "IPSecAHProtocol", ATTRS(a_ah), .model = SM_EMPTY,
	.obj_type = -1, .has_tag = true,
	.tag_off = offsetof(struct db_ipsec_transform, proto),
	.tag = DB_PROTO_AH, .doc = "AH",
};

#define PROTO(e) { .elem = &e, .max = DB_MAX_PROTOS,			\
	.off = offsetof(struct db_ipsec_proposal, protos),		\
	.stride = sizeof(struct db_ipsec_transform),			\
	.count_off = offsetof(struct db_ipsec_proposal, nprotos),	\
	.count_size = 1 }

static const struct sch_child k_ipsec_proposal[] = { PROTO(e_esp),
	PROTO(e_ah) };

static const struct sch_attr a_ipsec_proposal[] = {
	{ .name = "IPSec_ProposalName", .kind = SK_NAME, .flags = SA_REQ,
	  FLD(struct db_ipsec_proposal, name) },
};

static const struct sch_elem e_ipsec_proposal = {
	.name = "IPSecProposal", ATTRS(a_ipsec_proposal), .model = SM_CHOICE,
	KIDS(k_ipsec_proposal), .cmin = 1, .cmax = DB_MAX_PROTOS,
	.obj_type = DB_T_IPSEC_PROPOSAL,
	.doc = "a phase-2 proposal: ESP and AH transforms, preferred first",
};

#define PP(f)	FLD(struct db_ipsec_protection, f)
static const struct sch_attr a_ipsec_protection[] = {
	{ .name = "IPSec_ProtectionName", .kind = SK_NAME, .flags = SA_REQ,
	  PP(name) },
	{ .name = "IPSec_ProposalRefs", .kind = SK_REFLIST, .flags = SA_REQ,
	  PP(proposals), .aux = offsetof(struct db_ipsec_protection,
	  nproposals), .max = DB_MAX_PROPREFS,
	  .to_type = DB_T_IPSEC_PROPOSAL },
	{ .name = "IPSec_Role", .kind = SK_ENUM, PP(role), .ekind = DB_E_ROLE,
	  .mask = B(DB_ROLE_BOTH) | B(DB_ROLE_INITIATOR) |
	    B(DB_ROLE_RESPONDER), .def = "Both" },
	{ .name = "IPSec_InitiatorDHGroup", .kind = SK_DH,
	  .flags = SA_DH_ZERO, PP(init_dh), .def = "0" },
	{ .name = "IPSec_ResponderDHGroup", .kind = SK_DH,
	  .flags = SA_DH_RESP, PP(resp_dh), .def = "ANY" },
	{ .name = "IPSec_KeyOverlap", .kind = SK_UINT, PP(key_overlap),
	  .min = 0, .max = 1440, .def = "5" },
};

static const struct sch_elem e_ipsec_protection = {
	.name = "IPSecProtection", ATTRS(a_ipsec_protection),
	.model = SM_EMPTY, .obj_type = DB_T_IPSEC_PROTECTION,
	.doc = "a phase-2 policy",
};

#define PT(f)	FLD(struct db_ipsec_tunnel, f)
static const struct sch_attr a_ipsec_tunnel[] = {
	{ .name = "IPSec_TunnelName", .kind = SK_NAME, .flags = SA_REQ,
	  PT(name) },
	{ .name = "IKE_TunnelName", .kind = SK_REF, .flags = SA_REQ,
	  PT(ike_tunnel), .to_type = DB_T_IKE_TUNNEL },
	{ .name = "IPSec_ProtectionRef", .kind = SK_REF, .flags = SA_REQ,
	  PT(protection), .to_type = DB_T_IPSEC_PROTECTION },
	{ .name = "IPSec_Flags_AutoStart", .kind = SK_BOOL, PT(autostart),
	  .def = "No" },
	{ .name = "IPSec_Flags_OnDemand", .kind = SK_BOOL, PT(ondemand),
	  .def = "No" },
};

static const struct sch_child k_ipsec_tunnel[] = {
	{ .elem = &e_ipsec_local, .min = 1, .max = 1,
	  .off = offsetof(struct db_ipsec_tunnel, local) },
	{ .elem = &e_ipsec_remote, .min = 1, .max = 1,
	  .off = offsetof(struct db_ipsec_tunnel, remote) },
};

static const struct sch_elem e_ipsec_tunnel = {
	.name = "IPSecTunnel", ATTRS(a_ipsec_tunnel), .model = SM_SEQ,
	KIDS(k_ipsec_tunnel), .obj_type = DB_T_IPSEC_TUNNEL,
	.check = chk_ipsec_tunnel, .doc = "a phase-2 tunnel",
};

/* ------------------------------------------------------------------ root */

static const struct sch_attr a_root[] = {
	{ .name = "Version", .kind = SK_FIXED, .def = "2.0" },
};

#define OBJ(e)	{ .elem = &e, .max = UINT_MAX }
static const struct sch_child k_root[] = {	/* in enum db_type order */
	OBJ(e_ike_protection), OBJ(e_ike_tunnel), OBJ(e_psk),
	OBJ(e_group_obj), OBJ(e_ipsec_proposal), OBJ(e_ipsec_protection),
	OBJ(e_ipsec_tunnel),
};

const struct sch_elem sch_root = {
	.name = "AIX_VPN", ATTRS(a_root), .model = SM_CHOICE, KIDS(k_root),
	.cmin = 0, .cmax = UINT_MAX, .obj_type = -1,
	.doc = "tunnel definitions, in any order; names may be used before "
	    "they are defined",
};

static const struct sch_elem *const ident_elems[DB_ID_COUNT] = {
	[DB_ID_IPV4_ADDR] = &e_v4, [DB_ID_IPV6_ADDR] = &e_v6,
	[DB_ID_FQDN] = &e_fqdn, [DB_ID_USER_FQDN] = &e_ufqdn,
	[DB_ID_X500DN] = &e_dn, [DB_ID_KEY_ID] = &e_keyid,
	[DB_ID_IPV4_SUBNET] = &e_sub4, [DB_ID_IPV6_SUBNET] = &e_sub6,
	[DB_ID_IPV4_RANGE] = &e_rng4, [DB_ID_IPV6_RANGE] = &e_rng6,
	[DB_ID_GROUP] = &e_group,
};

const struct sch_elem *
sch_obj_elem(enum db_type t)
{
	return (unsigned)t < N(k_root) ? k_root[t].elem : NULL;
}

const struct sch_elem *
sch_ident_elem(enum db_idtype t)
{
	return (unsigned)t < DB_ID_COUNT ? ident_elems[t] : NULL;
}

#define WALK_MAX	64

static void
walk(const struct sch_elem *el, const struct sch_elem **seen, size_t *n,
    void (*fn)(const struct sch_elem *, void *), void *arg)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (seen[i] == el)
			return;
	if (*n == WALK_MAX)
		return;
	seen[(*n)++] = el;
	fn(el, arg);
	for (i = 0; i < el->nchildren; i++)
		walk(el->children[i].elem, seen, n, fn, arg);
}

void
sch_walk(void (*fn)(const struct sch_elem *, void *), void *arg)
{
	const struct sch_elem *seen[WALK_MAX];
	size_t n = 0;

	walk(&sch_root, seen, &n, fn, arg);
}

struct find {
	const char		*name;
	const struct sch_elem	*found;
};

static void
find_one(const struct sch_elem *el, void *arg)
{
	struct find *f = arg;

	if (f->found == NULL && strcmp(el->name, f->name) == 0)
		f->found = el;
}

const struct sch_elem *
sch_find_elem(const char *name)
{
	struct find f = { name, NULL };

	sch_walk(find_one, &f);
	return f.found;
}

unsigned
sch_version(const struct sch_elem *el, const void *rec, unsigned inherited)
{
	size_t i;
	uint8_t v;

	for (i = 0; i < el->nattrs; i++) {
		if (el->attrs[i].flags & SA_VERSION) {
			memcpy(&v, (const char *)rec + el->attrs[i].off, 1);
			return v;
		}
	}
	return inherited;
}
