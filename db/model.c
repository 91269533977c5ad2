#include "model.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/err.h"

static const char *const idtype_names[DB_ID_COUNT] = {
	[DB_ID_NONE] = "None",
	[DB_ID_IPV4_ADDR] = "IPV4_Address",
	[DB_ID_IPV6_ADDR] = "IPV6_Address",
	[DB_ID_FQDN] = "FQDN",
	[DB_ID_USER_FQDN] = "User_FQDN",
	[DB_ID_X500DN] = "X500DN",
	[DB_ID_KEY_ID] = "KEY_ID",
	[DB_ID_IPV4_SUBNET] = "IPV4_Subnet",
	[DB_ID_IPV6_SUBNET] = "IPV6_Subnet",
	[DB_ID_IPV4_RANGE] = "IPV4_Address_Range",
	[DB_ID_IPV6_RANGE] = "IPV6_Address_Range",
	[DB_ID_GROUP] = "Group",
};

static const char *const type_names[DB_T_COUNT] = {
	[DB_T_IKE_PROTECTION] = "IKEProtection",
	[DB_T_IKE_TUNNEL] = "IKETunnel",
	[DB_T_PSK] = "IKEPresharedKey",
	[DB_T_GROUP] = "IKEGroup",
	[DB_T_IPSEC_PROPOSAL] = "IPSecProposal",
	[DB_T_IPSEC_PROTECTION] = "IPSecProtection",
	[DB_T_IPSEC_TUNNEL] = "IPSecTunnel",
};

const char *
db_idtype_name(enum db_idtype t)
{
	return (unsigned)t < DB_ID_COUNT ? idtype_names[t] : "Unknown";
}

int
db_idtype_parse(const char *s, enum db_idtype *out)
{
	unsigned i;

	for (i = DB_ID_NONE + 1; i < DB_ID_COUNT; i++) {
		if (strcasecmp(s, idtype_names[i]) == 0) {
			*out = (enum db_idtype)i;
			return 0;
		}
	}
	return IKE_EINVAL;
}

const char *
db_type_name(enum db_type t)
{
	return (unsigned)t < DB_T_COUNT ? type_names[t] : "Unknown";
}

int
db_type_parse(const char *s, enum db_type *out)
{
	unsigned i;

	for (i = 0; i < DB_T_COUNT; i++) {
		if (strcasecmp(s, type_names[i]) == 0) {
			*out = (enum db_type)i;
			return 0;
		}
	}
	return IKE_EINVAL;
}

int
db_ident_key(const struct db_ident *id, char *buf, size_t n)
{
	int len;

	if (id->value2[0] != '\0')
		len = snprintf(buf, n, "%s:%s:%s", db_idtype_name(id->type),
		    id->value, id->value2);
	else
		len = snprintf(buf, n, "%s:%s", db_idtype_name(id->type),
		    id->value);
	if (len < 0 || (size_t)len >= n)
		return IKE_ENOSPC;
	return 0;
}

int
db_obj_key(const struct db_obj *o, char *buf, size_t n)
{
	const char *name;

	switch (o->type) {
	case DB_T_IKE_PROTECTION:	name = o->u.ike_prot.name; break;
	case DB_T_IKE_TUNNEL:		name = o->u.ike_tun.name; break;
	case DB_T_PSK:		return db_ident_key(&o->u.psk.remote, buf, n);
	case DB_T_GROUP:		name = o->u.group.name; break;
	case DB_T_IPSEC_PROPOSAL:	name = o->u.ipsec_prop.name; break;
	case DB_T_IPSEC_PROTECTION:	name = o->u.ipsec_prot.name; break;
	case DB_T_IPSEC_TUNNEL:		name = o->u.ipsec_tun.name; break;
	default:			return IKE_EINVAL;
	}
	if (strlen(name) >= n)
		return IKE_ENOSPC;
	memcpy(buf, name, strlen(name) + 1);
	return 0;
}

static const enum db_idtype allow_types[DB_ALLOW_NTYPES] = {
	DB_ID_IPV4_ADDR, DB_ID_IPV6_ADDR, DB_ID_IPV4_SUBNET,
	DB_ID_IPV6_SUBNET, DB_ID_IPV4_RANGE, DB_ID_IPV6_RANGE,
};

enum db_idtype
db_allow_type(unsigned i)
{
	return i < DB_ALLOW_NTYPES ? allow_types[i] : DB_ID_NONE;
}

int
db_allow_bit(enum db_idtype t, bool remote)
{
	unsigned i;

	for (i = 0; i < DB_ALLOW_NTYPES; i++) {
		if (allow_types[i] == t)
			return (int)((remote ? DB_ALLOW_REMOTE :
			    DB_ALLOW_LOCAL) + i);
	}
	return -1;
}

int
db_allowed_format(uint16_t bits, char *buf, size_t n)
{
	size_t len = 0;
	unsigned side, i;
	int w;

	if (n == 0)
		return IKE_ENOSPC;
	buf[0] = '\0';
	for (side = 0; side < 2; side++) {
		for (i = 0; i < DB_ALLOW_NTYPES; i++) {
			if (!(bits & (1u << db_allow_bit(allow_types[i],
			    side == 1))))
				continue;
			w = snprintf(buf + len, n - len, "%s%s%s",
			    len > 0 ? " " : "", side ? "Remote_" : "Local_",
			    db_idtype_name(allow_types[i]));
			if (w < 0 || (size_t)w >= n - len)
				return IKE_ENOSPC;
			len += (size_t)w;
		}
	}
	return 0;
}

uint32_t
db_uint_get(const void *p, size_t size)
{
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;

	switch (size) {
	case 1:	memcpy(&u8, p, 1); return u8;
	case 2:	memcpy(&u16, p, 2); return u16;
	default: memcpy(&u32, p, 4); return u32;
	}
}

void
db_uint_set(void *p, size_t size, uint32_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;

	switch (size) {
	case 1:	memcpy(p, &u8, 1); break;
	case 2:	memcpy(p, &u16, 2); break;
	default: memcpy(p, &v, 4); break;
	}
}
