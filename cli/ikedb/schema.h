/* cli/ikedb/schema.h: the tunnel-definition format of docs/ikedb-xml.md
 * as one table.  For each element: its attributes (name, value kind,
 * enumeration, range, default, whether required or IKEv1/IKEv2 only, and
 * where the value lives in the model.h record) and its children (which,
 * how many, in which order, and where they live).  The parser validates
 * against it, the printer prints from it and `ikedb -o` writes the DTD
 * from it. */
#ifndef IKEDB_SCHEMA_H
#define IKEDB_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/model.h"
#include "db/model_names.h"

enum sch_kind {
	SK_FIXED,	/* must equal def; not stored (AIX_VPN Version) */
	SK_NAME,	/* char[size]: an object's name */
	SK_REF,		/* char[size]: name of an object of to_type */
	SK_REFLIST,	/* char[max][DB_NAME_MAX], u8 count at aux */
	SK_ENUM,	/* u8: a model_names.h value of ekind in mask */
	SK_UINT,	/* u8/u16/u32 (size): a number in min..max */
	SK_BOOL,	/* bool: Yes or No */
	SK_DH,		/* u8: a DH group, see SA_DH_* */
	SK_ADDR,	/* char[size]: an IPv4 or IPv6 address */
	SK_ALLOWED,	/* u16: DB_ALLOW_* bits, Local_/Remote_ tokens */
	SK_PSK,		/* struct db_psk: the key, written as Format says */
	SK_PROTO,	/* u8: IP protocol number or any/tcp/udp/icmp */
	SK_IPV4,	/* char[size]: an IPv4 address */
	SK_IPV6,	/* char[size]: an IPv6 address */
	SK_NETMASK,	/* char[size]: a contiguous IPv4 netmask */
	SK_PREFIX,	/* char[size]: an IPv6 prefix length 0..128 */
	SK_FQDN,	/* char[size]: a host name */
	SK_UFQDN,	/* char[size]: user@host */
	SK_DN,		/* char[size]: an X.500 distinguished name */
	SK_HEX,		/* char[size]: hex digits, stored in lower case */
};

enum sch_attr_flags {
	SA_REQ = 1 << 0,	/* required */
	SA_V1 = 1 << 1,		/* IKEv1 only */
	SA_V2 = 1 << 2,		/* IKEv2 only */
	SA_OPT = 1 << 3,	/* zero / "" means absent: not printed */
	SA_FOLLOWS = 1 << 4,	/* default: the field at aux; printed if it
				 * differs */
	SA_VERSION = 1 << 5,	/* sets the IKE version of the element and
				 * its children */
	SA_DH_ZERO = 1 << 6,	/* SK_DH: 0 means no PFS (also NO_PFS) */
	SA_DH_RESP = 1 << 7,	/* SK_DH: NO_PFS (0) or ANY (DB_DH_ANY) */
	SA_SECRET = 1 << 8,	/* never shown in a message */
	SA_LATE = 1 << 9,	/* parsed after the other attributes */
};

struct sch_attr {
	const char	*name;
	enum sch_kind	 kind;
	unsigned	 flags;		/* enum sch_attr_flags */
	size_t		 off;		/* of the value in the element's record */
	size_t		 size;		/* of the value (bytes) */
	size_t		 aux;		/* SK_REFLIST count, SA_FOLLOWS source */
	enum db_enum_kind ekind;	/* SK_ENUM */
	uint32_t	 mask;		/* SK_ENUM: allowed values (bit n) */
	uint32_t	 v2mask;	/* SK_ENUM: values only IKEv2 has */
	uint32_t	 min, max;	/* SK_UINT range; SK_REFLIST max count */
	const char	*def;		/* default as written; NULL: zero */
	int		 to_type;	/* SK_REF(LIST): enum db_type */
	const char	*prefix;	/* SK_REF: required name prefix */
};

struct sch_elem;

enum sch_model { SM_EMPTY, SM_SEQ, SM_CHOICE };

/* A child element and where its record lives in the parent's. */
struct sch_child {
	const struct sch_elem *elem;
	unsigned	 min, max;	/* SM_SEQ: occurrences of this child */
	size_t		 off;		/* of the (first) child record */
	size_t		 stride;	/* array element size; 0: one record */
	size_t		 count_off;	/* array: the count field */
	size_t		 count_size;	/* 1 or 2 bytes */
};

/* What an element check reports; see sch_elem.check. */
struct sch_err {
	const char	*elem;		/* a child's name, or NULL: the element */
	const char	*attr;		/* or NULL */
	char		 value[96];	/* shown when attr is set */
	char		 msg[200];
};

struct sch_elem {
	const char	*name;
	const struct sch_attr *attrs;
	size_t		 nattrs;
	enum sch_model	 model;
	const struct sch_child *children;
	size_t		 nchildren;
	unsigned	 cmin, cmax;	/* SM_CHOICE: number of children */
	int		 obj_type;	/* enum db_type, or -1 */
	bool		 has_tag;	/* the record has a type field: */
	size_t		 tag_off;	/* u8 at tag_off */
	unsigned	 tag;		/* is set to tag by this element */
	/* Semantic checks once the element and its children are read:
	 * 0, or -1 with *e filled in. */
	int		(*check)(const void *rec, unsigned version,
			    struct sch_err *e);
	const char	*doc;		/* one line for the DTD */
};

#define SCH_MAX_ATTRS		16
#define SCH_MAX_CHILDREN	16

/* The document element, AIX_VPN. */
extern const struct sch_elem sch_root;

/* The element of an object type. */
const struct sch_elem	*sch_obj_elem(enum db_type);
/* The identity element of an identity type; NULL for DB_ID_NONE. */
const struct sch_elem	*sch_ident_elem(enum db_idtype);
/* Any element with this name (for messages); NULL if none. */
const struct sch_elem	*sch_find_elem(const char *name);
/* Calls fn once for every element reachable from the root, parents
 * first. */
void	sch_walk(void (*fn)(const struct sch_elem *, void *), void *arg);

/* The known DH groups, ascending, ending with 0. */
extern const uint8_t	sch_dh_groups[];

/* The IKE version an element's record declares (IKEProtection), or the
 * inherited one. */
unsigned	sch_version(const struct sch_elem *, const void *rec,
		    unsigned inherited);

#endif
