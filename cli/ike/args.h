/* cli/ike/args.h: the `ike` command line, parsed and validated.
 *
 *	ike cmd=activate|list|remove|log [param ...]
 *
 * Parameters are `key=value` (cmd phase numlist namelist remid ipaddr
 * role) or bare flags (autostart db verbose all), in any order, each at
 * most once.  args_parse() checks everything that can be checked without
 * the daemon or the database: which parameters the subcommand takes,
 * their values, and the exclusions of docs/ike.md.  It has no side
 * effects and does no I/O. */
#ifndef IKE_CLI_ARGS_H
#define IKE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "numlist.h"
#include "remid.h"

#define NAMELIST_MAX_ITEMS	64	/* names in one namelist */
#define NAMELIST_NAME_MAX	63	/* bytes in one name (DB_NAME_MAX - 1) */

enum ike_cmd {
	IKE_CMD_NONE = 0,	/* not (yet) known */
	IKE_CMD_ACTIVATE,
	IKE_CMD_LIST,
	IKE_CMD_REMOVE,
	IKE_CMD_LOG,
};

/* phase= values, as sent in CTL_A_PHASE. */
enum ike_phase {
	IKE_PHASE_UNSET = 0,
	IKE_PHASE_1 = 1,
	IKE_PHASE_2 = 2,
	IKE_PHASE_1PLUS = 3,	/* "1+" */
};

struct ike_args {
	enum ike_cmd	 cmd;
	enum ike_phase	 phase;
	bool		 has_numlist;
	struct numlist	 numlist;
	size_t		 nnames;
	char		 names[NAMELIST_MAX_ITEMS][NAMELIST_NAME_MAX + 1];
	const char	*remid;		/* borrowed from argv; NULL if absent */
	enum remid_kind	 remid_kind;
	bool		 has_ipaddr;
	char		 ipsrc[ADDR_STRLEN];	/* canonical form */
	char		 ipdst[ADDR_STRLEN];
	char		 role;		/* 0, 'i' or 'r' */
	bool		 autostart, db, verbose, all;
};

/* What went wrong: one line naming the problem, and the subcommand whose
 * usage to show (IKE_CMD_NONE: the usage of all of them). */
struct args_error {
	enum ike_cmd	cmd;
	char		msg[256];
};

/* Parses argv[1 .. argc-1] into *out.  On error returns IKE_EINVAL and
 * fills *err; *out is then unspecified. */
int		 args_parse(int argc, char *const argv[], struct ike_args *out,
		    struct args_error *err);

/* "activate", ...; NULL for IKE_CMD_NONE. */
const char	*args_cmd_name(enum ike_cmd);

#endif
