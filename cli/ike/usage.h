/* cli/ike/usage.h: the usage lines of the `ike` command. */
#ifndef IKE_CLI_USAGE_H
#define IKE_CLI_USAGE_H

#include <stdio.h>

#include "args.h"

/* The synopsis of one subcommand, without "usage: ". */
const char	*usage_line(enum ike_cmd);
/* Prints "usage: " and the synopsis of cmd, or of every subcommand when
 * cmd is IKE_CMD_NONE. */
void		 usage_print(FILE *, enum ike_cmd);

#endif
