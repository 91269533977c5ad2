/* cli/ike/exitcode.h: the exit statuses of the `ike` command
 * (docs/ike.md, "Exit status"). */
#ifndef IKE_CLI_EXITCODE_H
#define IKE_CLI_EXITCODE_H

enum ike_exit {
	IKE_EXIT_OK = 0,	/* done */
	IKE_EXIT_USAGE = 1,	/* misuse of the command, or not root */
	IKE_EXIT_SYSTEM = 2,	/* no daemon; system or database error */
	IKE_EXIT_REFUSED = 3,	/* isakmpd refused or could not do it */
};

#endif
