/* core/codec/ikev2_rules.h: which payloads each IKEv2 message may carry
 * (RFC 7296 s. 1.2-1.5, 2.6, 2.16, 2.21), checked once on a decoded
 * message (after codec_decode_inner() for encrypted exchanges) before
 * any exchange code looks at it.
 *
 * Each message has one or more forms, e.g. an IKE_SA_INIT response is
 * either {SA, KE, Nr, ...} or an error answer of Notify payloads only
 * ({N(COOKIE)}, {N(INVALID_KE_PAYLOAD)}, {N(NO_PROPOSAL_CHOSEN)}).  A
 * message passes when one form accepts it.  Unknown payloads the codec
 * skipped (not critical) are not counted. */
#ifndef IKE_IKEV2_RULES_H
#define IKE_IKEV2_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/codec/ikev2_msg.h"

struct pl_rule {
	uint8_t		 type;		/* IKEV2_PL_* */
	uint8_t		 min, max;	/* occurrences */
	bool		 encrypted;	/* inside SK, or outside it */
};

/* What kind of Child or IKE SA the SA payload of a form proposes. */
enum rules_sa {
	RULES_SA_ANY = 0,
	RULES_SA_IKE,		/* Protocol ID IKE only */
	RULES_SA_CHILD,		/* AH or ESP only */
};

struct pl_form {
	const char		*name;
	const struct pl_rule	*rules;
	size_t			 nrules;
	enum rules_sa		 sa;
	/* needs an error Notify (type below 16384) or COOKIE */
	bool			 error_only;
};

enum rules_why {
	RULES_OK = 0,
	RULES_NO_TABLE,		/* exchange type without rules */
	RULES_MISSING,		/* fewer than rule->min */
	RULES_TOO_MANY,		/* more than rule->max */
	RULES_UNEXPECTED,	/* payload type the form does not list */
	RULES_NOT_ENCRYPTED,	/* outside SK but must be inside */
	RULES_NOT_PLAIN,	/* inside SK but must be outside */
	RULES_NO_SK,		/* a protected form without SK/SKF, or SK
				 * in a message that has none */
	RULES_NOT_DECRYPTED,	/* SK content not decoded yet */
	RULES_NO_ERROR,		/* notify-only form without an error */
	RULES_SA_PROTOCOL,	/* proposal protocol wrong for the form */
	RULES_NWHY
};

/* The first violation of the form that came closest (fewest
 * violations; on a tie the first listed).  On success why is RULES_OK
 * and form names the form that matched. */
struct rules_result {
	enum rules_why		 why;
	uint8_t			 pl_type;	/* payload concerned */
	const struct pl_rule	*rule;		/* or NULL */
	const char		*form;		/* or NULL */
};

/* 0 when msg is a valid form of the exchange's request or response;
 * IKE_EUNSUPP for an exchange type without rules; IKE_EMALFORMED
 * otherwise.  *res (may be NULL) says which rule failed. */
int	rules_check(const struct ike_msg *msg, uint8_t exchange,
	    bool is_response, struct rules_result *res);
const char	*rules_why_str(enum rules_why);

#endif
