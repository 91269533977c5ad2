/* core/daemon/requests.h: what isakmpd answers to each control request
 * (docs/control-protocol.md).  Every reply carries exactly one
 * CTL_A_RESULT and zero or more CTL_A_MESSAGE lines. */
#ifndef IKE_REQUESTS_H
#define IKE_REQUESTS_H

#include "../codec/wr.h"
#include "../ctl/ctl_msg.h"

#define REQ_STR_MAX	255	/* bytes in a name, remid or address */

/* A ctl_handler_fn; arg is the struct isakmpd. */
void	requests_handle(void *arg, const struct ctl_msg *req,
	    struct wr *reply);

#endif
