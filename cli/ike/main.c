/* cli/ike/main.c: the `ike` command (docs/ike.md): checks the command
 * line, then that it runs as root, then runs the subcommand from the
 * table below.  The only place that exits. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "client.h"
#include "core/log.h"
#include "core/paths.h"
#include "exitcode.h"
#include "listdb.h"
#include "usage.h"

static int
cmd_activate(const struct ike_args *a)
{
	return client_run(a, ike_path_socket(), stdout, stderr);
}

static int
cmd_list(const struct ike_args *a)
{
	if (a->db)
		return listdb_run(ike_path_db(), a, stdout, stderr);
	return client_run(a, ike_path_socket(), stdout, stderr);
}

static int
cmd_remove(const struct ike_args *a)
{
	return client_run(a, ike_path_socket(), stdout, stderr);
}

static int
cmd_log(const struct ike_args *a)
{
	return client_run(a, ike_path_socket(), stdout, stderr);
}

static const struct {
	const char	*name;
	int		(*run)(const struct ike_args *);
} subcommands[] = {
	{ "activate", cmd_activate },
	{ "list", cmd_list },
	{ "remove", cmd_remove },
	{ "log", cmd_log },
};

static int
run(const struct ike_args *a)
{
	const char *name = args_cmd_name(a->cmd);
	size_t i;

	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (name != NULL && strcmp(subcommands[i].name, name) == 0)
			return subcommands[i].run(a);
	fprintf(stderr, "ike: subcommand %s has no handler\n",
	    name != NULL ? name : "(none)");
	return IKE_EXIT_SYSTEM;
}

int
main(int argc, char *argv[])
{
	static struct ike_args a;	/* large: not on the stack */
	struct args_error err;
	int rc;

	if (args_parse(argc, argv, &a, &err) != 0) {
		fprintf(stderr, "ike: %s\n", err.msg);
		usage_print(stderr, err.cmd);
		return IKE_EXIT_USAGE;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "ike: you must be root to use this command\n");
		return IKE_EXIT_USAGE;
	}
	/* Details from the libraries (database errors) go to stderr too. */
	log_set_stderr(true);
	rc = run(&a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "ike: cannot write the output: %s\n",
		    strerror(errno));
		return IKE_EXIT_SYSTEM;
	}
	return rc;
}
