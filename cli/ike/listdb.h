/* cli/ike/listdb.h: `ike cmd=list db`: the tunnel definitions in the
 * database, read directly (no daemon needed), in listfmt's formats.
 *
 * Order (tunnel numbers are the database's, per phase):
 *	phase=1		each selected phase-1 definition
 *	phase=1+	each selected phase-1 definition, then all of its
 *			phase-2 definitions (the default)
 *	phase=2		each selected phase-2 definition, preceded by its
 *			phase-1 definition unless that was the line just
 *			before (consecutive siblings share one)
 * numlist selects phase-1 numbers for 1 and 1+, phase-2 numbers for 2.
 * Every definition's status is "Dormant". */
#ifndef IKE_CLI_LISTDB_H
#define IKE_CLI_LISTDB_H

#include <stdio.h>

#include "args.h"

#define LISTDB_STATUS	"Dormant"

/* Lists the database in dir; returns the exit status (a missing or
 * unreadable database: IKE_EXIT_SYSTEM, with a message on err). */
int	listdb_run(const char *dir, const struct ike_args *a, FILE *out,
	    FILE *err);

#endif
