/* cli/ike/reply.h: what the `ike` command prints for isakmpd's reply.
 *
 * The CTL_A_MESSAGE lines go to out when the result is CTL_R_OK (to err
 * for a list, so that standard output holds only the listing), and to
 * err otherwise.  A list reply's CTL_A_TUNNEL rows are printed to out
 * with listfmt (concise, or verbose with their CTL_A_T_DETAIL lines).
 * The whole reply is checked before anything is printed. */
#ifndef IKE_CLI_REPLY_H
#define IKE_CLI_REPLY_H

#include <stdbool.h>
#include <stdio.h>

#include "core/ctl/ctl_msg.h"

/* Returns the exit status: IKE_EXIT_OK for CTL_R_OK, IKE_EXIT_REFUSED
 * for any other result, IKE_EXIT_SYSTEM for a malformed reply (after
 * saying so on err). */
int	reply_print(const struct ctl_msg *reply, bool verbose, FILE *out,
	    FILE *err);

#endif
