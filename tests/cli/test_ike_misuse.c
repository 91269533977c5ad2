/* The `ike` program refusing misuse: exit 1, one line naming the
 * problem, then the usage of the subcommand, all on stderr, nothing on
 * stdout; and refusing users other than root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/lib/testutil.h"

#define U_ACTIVATE	"ike cmd=activate [phase=1|2] " \
	"[numlist=tunnel_num_list] [namelist=tunnel_name_list] " \
	"[remid=remote_id] [ipaddr=src_addr,dst_addr] [autostart]\n"
#define U_LIST		"ike cmd=list [phase=1|1+|2] " \
	"[numlist=tunnel_num_list] [db | role=i|r] [verbose]\n"
#define U_REMOVE	"ike cmd=remove [phase=1|2] " \
	"[numlist=tunnel_num_list] [all]\n"
#define U_LOG		"ike cmd=log\n"
#define U_ALL		"usage: " U_ACTIVATE "       " U_LIST "       " \
	U_REMOVE "       " U_LOG

static const struct {
	const char	*args[6];
	const char	*err;		/* the whole of stderr */
} misuse[] = {
	{ { NULL }, "ike: no subcommand given: use cmd=activate, cmd=list, "
	    "cmd=remove or cmd=log\n" U_ALL },
	{ { "cmd=start" }, "ike: unknown subcommand 'start'\n" U_ALL },
	{ { "cmd=" }, "ike: missing value for cmd\n" U_ALL },
	{ { "cmd=list", "cmd=log" }, "ike: cmd given more than once\n" U_ALL },
	{ { "cmd=list", "bogus" }, "ike: unknown parameter 'bogus'\n"
	    "usage: " U_LIST },
	{ { "cmd=list", "phase=1", "phase=2" }, "ike: phase given more than "
	    "once\nusage: " U_LIST },
	{ { "cmd=list", "phase=" }, "ike: missing value for phase\n"
	    "usage: " U_LIST },
	{ { "cmd=list", "db=1" }, "ike: db takes no value\nusage: " U_LIST },
	{ { "cmd=list", "phase=3" }, "ike: bad phase '3': expected 1, 1+ or "
	    "2\nusage: " U_LIST },
	{ { "cmd=list", "role=x" }, "ike: bad role 'x': expected i or r\n"
	    "usage: " U_LIST },
	{ { "cmd=list", "db", "role=i" }, "ike: db cannot be used with role\n"
	    "usage: " U_LIST },
	{ { "cmd=list", "numlist=7-5" }, "ike: bad numlist '7-5': range 7-5 "
	    "is reversed\nusage: " U_LIST },
	{ { "cmd=list", "remid=10.0.0.1" }, "ike: cmd=list does not take "
	    "remid\nusage: " U_LIST },
	{ { "cmd=activate", "phase=1+" }, "ike: bad phase '1+': expected 1 "
	    "or 2\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "ipaddr=10.0.0.1" }, "ike: bad ipaddr "
	    "'10.0.0.1': expected two addresses: src_addr,dst_addr\n"
	    "usage: " U_ACTIVATE },
	{ { "cmd=activate", "ipaddr=10.0.0.1,::1" }, "ike: bad ipaddr "
	    "'10.0.0.1,::1': mixes IPv4 and IPv6 addresses\n"
	    "usage: " U_ACTIVATE },
	{ { "cmd=activate", "ipaddr=10.0.0.1,10.0.0.300" }, "ike: bad ipaddr "
	    "'10.0.0.1,10.0.0.300': '10.0.0.300' is not an IPv4 or IPv6 "
	    "address\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "remid=9.3.97.100", "ipaddr=1.1.1.1,2.2.2.2" },
	    "ike: remid cannot be used with ipaddr\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "remid=9.3.97.100", "numlist=1" },
	    "ike: remid cannot be used with numlist\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "phase=1", "remid=h.example", "namelist=t" },
	    "ike: remid cannot be used with namelist\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "autostart", "phase=2" }, "ike: autostart cannot "
	    "be used with phase\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "namelist=AIXFW1_DM" }, "ike: namelist requires "
	    "phase=1 or phase=2\nusage: " U_ACTIVATE },
	{ { "cmd=activate", "remid=9.3.97.20,9.3.97.10" }, "ike: bad remid "
	    "'9.3.97.20,9.3.97.10': range starts after it ends\n"
	    "usage: " U_ACTIVATE },
	{ { "cmd=remove", "all", "numlist=1" }, "ike: all cannot be used with "
	    "numlist\nusage: " U_REMOVE },
	{ { "cmd=remove", "numlist=1,,2" }, "ike: bad numlist '1,,2': empty "
	    "item\nusage: " U_REMOVE },
	{ { "cmd=remove", "numlist=4294967296" }, "ike: bad numlist "
	    "'4294967296': 4294967296 is larger than 4294967295\n"
	    "usage: " U_REMOVE },
	{ { "cmd=log", "verbose" }, "ike: cmd=log does not take verbose\n"
	    "usage: " U_LOG },
};

static int
run(const char *const *args, int as_nobody, struct tu_result *res)
{
	const char *argv[8] = { tu_bin("ike") };
	static const char *const env[] = { "IKE_DB=/nonexistent/ike-db",
	    "IKE_SOCKET=/nonexistent/ike.sock", NULL };
	struct tu_run r = { .argv = argv, .env = env };
	int i;

	for (i = 0; i < 6 && args[i] != NULL; i++)
		argv[i + 1] = args[i];
	if (as_nobody && geteuid() == 0) {
		r.run_as = 1;
		r.uid = 65534;
		r.gid = 65534;
	}
	return tu_run(&r, res);
}

static void
each_misuse(int as_nobody)
{
	struct tu_result res;
	size_t i;

	for (i = 0; i < sizeof(misuse) / sizeof(misuse[0]); i++) {
		assert_int_equal(run(misuse[i].args, as_nobody, &res), 0);
		if (res.status != 1 || strcmp(res.err, misuse[i].err) != 0 ||
		    res.out[0] != '\0')
			fail_msg("case %zu (%s ...): exit %d\nstderr: %s\n"
			    "want: %s\nstdout: %s", i,
			    misuse[i].args[0] ? misuse[i].args[0] : "-",
			    res.status, res.err, misuse[i].err, res.out);
		tu_result_free(&res);
	}
}

static void
misuse_is_refused(void **state)
{
	(void)state;
	each_misuse(0);
}

/* The command line is checked first, so anyone learns the usage. */
static void
misuse_is_refused_for_any_user(void **state)
{
	(void)state;
	each_misuse(1);
}

static void
non_root_is_refused(void **state)
{
	static const char *const cmds[][4] = {
		{ "cmd=list", "db", NULL },
		{ "cmd=list", NULL },
		{ "cmd=activate", "phase=1", "numlist=1", NULL },
		{ "cmd=remove", "all", NULL },
		{ "cmd=log", NULL },
	};
	struct tu_result res;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(run(cmds[i], 1, &res), 0);
		/* Refused before the database or the socket is tried. */
		assert_int_equal(res.status, 1);
		assert_string_equal(res.err,
		    "ike: you must be root to use this command\n");
		assert_string_equal(res.out, "");
		tu_result_free(&res);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(misuse_is_refused),
		cmocka_unit_test(misuse_is_refused_for_any_user),
		cmocka_unit_test(non_root_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
