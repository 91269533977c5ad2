/* cli/ike/request.h: a parsed command line as a control-protocol
 * request (core/ctl/ctl_msg.h). */
#ifndef IKE_CLI_REQUEST_H
#define IKE_CLI_REQUEST_H

#include "args.h"
#include "core/codec/wr.h"

/* Builds the request for a->cmd into w, which must be initialised and
 * empty: CTL_A_PHASE if a phase is given (list: always, 3 for "1+"),
 * one CTL_A_RANGE per numlist item, one CTL_A_NAME per namelist name,
 * CTL_A_REMID as typed, CTL_A_IPSRC and CTL_A_IPDST, CTL_A_FLAGS when a
 * flag is set, CTL_A_ROLE.  Returns ctl_end()'s result. */
int	request_build(const struct ike_args *a, struct wr *w);

#endif
