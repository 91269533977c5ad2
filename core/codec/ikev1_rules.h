/* core/codec/ikev1_rules.h: which payloads each IKEv1 message may and
 * must carry (RFC 2409 s. 5.1-5.7, RFC 3947 s. 3-5, RFC 3706 s. 5),
 * checked once on a decoded message (after v1_decode_body() for an
 * encrypted one) before any exchange code looks at it.
 *
 * A message is named by its exchange, its position in the exchange
 * (1.. as in the RFC's diagrams: Main Mode 1-6, Aggressive Mode 1-3,
 * Quick Mode 1-3 and 4 for the commit bit's CONNECTED, Informational 1)
 * and, for phase 1, the authentication method, which changes the
 * payloads of the later messages.  Some messages have more than one
 * form (an Informational carries N or D); a message passes when one
 * form accepts it.  Where the RFC fixes an order it is checked: the SA
 * first in phase 1 (RFC 2409 s. 5), HASH first and then SA in Quick
 * Mode (s. 5.5), HASH first in an Informational (s. 5.7); Quick Mode's
 * client IDs come as a pair or not at all (s. 5.5). */
#ifndef IKE_IKEV1_RULES_H
#define IKE_IKEV1_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev1_msg.h"

struct v1_rule {
	uint8_t		 type;		/* IKEV1_PL_* */
	uint8_t		 min, max;	/* occurrences */
};

enum v1_enc {
	V1_ENC_NO = 0,		/* the E flag must be clear */
	V1_ENC_YES,		/* the E flag must be set */
	V1_ENC_MAY,
};

struct v1_form {
	const char		*name;
	const struct v1_rule	*rules;
	size_t			 nrules;
	const uint8_t		*first;		/* the leading payloads, */
	size_t			 nfirst;	/* in this order */
	enum v1_enc		 enc;
	bool			 id_pair;	/* ID: none or two */
};

enum v1_auth {
	V1_AUTH_PSK = 0,	/* pre-shared key: HASH_I, HASH_R */
	V1_AUTH_SIG,		/* signatures: [CERT], SIG */
};

enum v1_rules_why {
	V1R_OK = 0,
	V1R_NO_TABLE,		/* exchange or message number without rules */
	V1R_MISSING,		/* fewer than rule->min */
	V1R_TOO_MANY,		/* more than rule->max */
	V1R_UNEXPECTED,		/* payload type the form does not list */
	V1R_ORDER,		/* not in the place the RFC fixes */
	V1R_ID_PAIR,		/* Quick Mode with one client ID */
	V1R_NOT_ENCRYPTED,	/* E flag clear, must be set */
	V1R_NOT_PLAIN,		/* E flag set, must be clear */
	V1R_NOT_DECRYPTED,	/* encrypted body not decoded yet */
	V1R_NWHY
};

/* The first violation of the form that came closest (fewest
 * violations; on a tie the first listed); on success why is V1R_OK
 * and form names the form that matched. */
struct v1_rules_result {
	enum v1_rules_why	 why;
	uint8_t			 pl_type;	/* payload concerned, or 0 */
	const char		*form;		/* or NULL */
};

/* 0 when msg is a valid form of message `msgno` of the exchange;
 * IKE_EUNSUPP without rules for it; IKE_EMALFORMED otherwise.  res may
 * be NULL. */
int	v1_rules_check(const struct v1_msg *msg, uint8_t exchange,
	    unsigned msgno, enum v1_auth auth, struct v1_rules_result *res);
const char	*v1_rules_why_str(enum v1_rules_why);

#endif
