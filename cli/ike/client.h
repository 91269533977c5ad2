/* cli/ike/client.h: the subcommands that ask isakmpd, over the control
 * socket at ike_path_socket() ($IKE_SOCKET or /var/run/isakmpd.sock). */
#ifndef IKE_CLI_CLIENT_H
#define IKE_CLI_CLIENT_H

#include <stdio.h>

#include "args.h"

#define CLIENT_TIMEOUT_MS	30000	/* longest wait for a reply */

/* Sends the request of a to the daemon at sock and prints its reply
 * (reply.h).  Returns the exit status; IKE_EXIT_SYSTEM, with a message
 * on err, when no daemon listens at sock or the exchange fails. */
int	client_run(const struct ike_args *a, const char *sock, FILE *out,
	    FILE *err);

#endif
