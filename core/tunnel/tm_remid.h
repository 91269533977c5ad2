/* core/tunnel/tm_remid.h: which definitions `ike cmd=activate remid=`
 * and `ipaddr=` name.  Pure: strings and records in, answers out; the
 * daemon walks the database with these (core/daemon/tunnels_select.c).
 *
 * A remote identity is compared with a definition's identity by
 * meaning, as far as the stored form allows:
 *	addresses, subnets and ranges	the same set of addresses (so
 *		10.0.0.1 equals 10.0.0.1,255.255.255.255 and 10.0.0.1-10.0.0.1,
 *		and 9.3.97.100,255.255.255.0 equals the subnet 9.3.97.0/24);
 *		IPv6 written in any form
 *	FQDN		case-insensitive, a trailing dot ignored
 *	user@FQDN	the user part exactly, the domain case-insensitive
 *	X.500 DN	RDN by RDN in order: attribute types
 *		case-insensitive (with the usual synonyms: E and
 *		emailAddress, S and ST), spaces around '=' and ',' and runs of
 *		spaces inside values insignificant, values case-insensitive
 *	a word		an FQDN without dots (the daemon tries it as a group
 *		name first) */
#ifndef IKE_TM_REMID_H
#define IKE_TM_REMID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/platform.h"
#include "db/model.h"

enum tm_remid_kind {
	TM_REMID_ADDRS = 1,	/* an address, subnet or range: lo..hi */
	TM_REMID_FQDN,		/* also a single word (no dots) */
	TM_REMID_USER_FQDN,
	TM_REMID_DN,
};

struct tm_remid {
	enum tm_remid_kind	 kind;
	bool			 word;		/* FQDN without a dot: may be
						 * a group name */
	bool			 single;	/* ADDRS: one address */
	uint16_t		 family;	/* ADDRS: AF_INET, AF_INET6 */
	uint8_t			 lo[16], hi[16];	/* ADDRS */
	char			 text[DB_IDVAL_MAX];	/* as given */
};

/* Parses remid as the ike command sends it.  IKE_EINVAL with a sentence
 * in err (may be NULL) when it is none of the forms above. */
int	tm_remid_parse(const char *s, struct tm_remid *out, char *err,
	    size_t errlen);

/* Whether the definition's identity id (phase 1 or phase 2; not a
 * Group) is the identity r names. */
bool	tm_remid_is(const struct tm_remid *r, const struct db_ident *id);

/* The first member of group g that r names; -1 if none. */
int	tm_remid_member(const struct tm_remid *r, const struct db_group *g);

/* Whether id (an address, subnet or range identity) contains address
 * a (ports ignored). */
bool	tm_ident_covers(const struct db_ident *id, const struct ike_addr *a);

/* X.500 names compared as above. */
bool	tm_dn_equal(const char *a, const char *b);

#endif
