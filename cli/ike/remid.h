/* cli/ike/remid.h: what kind of remote identity `remid=` names.
 *
 * The command sends the string as typed; isakmpd resolves it.  This
 * classifier only decides whether the string is one of the forms the
 * ike command accepts, and says which:
 *
 *	9.3.97.100			IPv4 address
 *	2001:db8::1			IPv6 address
 *	9.3.97.0,255.255.255.0		subnet: address,contiguous netmask
 *	2001:db8::,ffff:ffff::		(same family on both sides)
 *	9.3.97.10,9.3.97.20		range: start,end with start <= end
 *	host.example.com		FQDN: hostname with at least one dot
 *	user@example.com		user@FQDN
 *	C=US, O=IBM, CN=host		X.500 distinguished name (has a '=')
 *	branch_offices			group name: letters, digits, _ . -
 *
 * When the second address of a pair is a contiguous netmask, the pair is
 * a subnet; otherwise it is a range. */
#ifndef IKE_CLI_REMID_H
#define IKE_CLI_REMID_H

#include <stddef.h>

#define REMID_MAX	255	/* longest remid, in bytes */
#define REMID_NAME_MAX	63	/* longest group name */

enum remid_kind {
	REMID_IPV4 = 1,
	REMID_IPV6,
	REMID_IPV4_SUBNET,
	REMID_IPV6_SUBNET,
	REMID_IPV4_RANGE,
	REMID_IPV6_RANGE,
	REMID_FQDN,
	REMID_USER_FQDN,
	REMID_X500DN,
	REMID_GROUP,
};

/* Classifies s.  On error returns IKE_EINVAL and writes a short phrase
 * naming the problem to why. */
int		 remid_classify(const char *s, enum remid_kind *out, char *why,
		    size_t whylen);
/* "IPv4 address", "subnet", ...: for messages and tests. */
const char	*remid_kind_name(enum remid_kind);

#endif
