/* The ike command line: what each subcommand accepts, every exclusion
 * and every misuse, each refused with the problem named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/ike/args.h"
#include "cli/ike/usage.h"
#include "core/err.h"

#define MAXW	16

static struct ike_args A;	/* large: kept off the stack */
static struct args_error E;

/* Splits line at spaces into argv (after "ike") and parses it. */
static int
parse(const char *line)
{
	static char buf[1024];
	char *argv[MAXW + 1], *p;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "ike";
	for (p = strtok(buf, " "); p != NULL && argc < MAXW;
	    p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	return args_parse(argc, argv, &A, &E);
}

static void
ok(const char *line)
{
	if (parse(line) != 0)
		fail_msg("'%s' refused: %s", line, E.msg);
}

static void
bad(const char *line, enum ike_cmd cmd, const char *msg)
{
	if (parse(line) != IKE_EINVAL)
		fail_msg("'%s' accepted", line);
	if (strcmp(E.msg, msg) != 0)
		fail_msg("'%s': got \"%s\", want \"%s\"", line, E.msg, msg);
	if (E.cmd != cmd)
		fail_msg("'%s': usage of %d, want %d", line, E.cmd, cmd);
}

static void
activate_forms(void **state)
{
	(void)state;
	ok("cmd=activate");
	assert_int_equal(A.cmd, IKE_CMD_ACTIVATE);
	assert_int_equal(A.phase, IKE_PHASE_UNSET);
	assert_false(A.has_numlist);
	assert_null(A.remid);
	assert_false(A.has_ipaddr);
	assert_false(A.autostart);

	ok("phase=1 numlist=1,2 cmd=activate");
	assert_int_equal(A.phase, IKE_PHASE_1);
	assert_true(A.has_numlist);
	assert_int_equal(A.numlist.n, 2);

	ok("cmd=activate phase=2 namelist=AIXFW1_DM,remote_office");
	assert_int_equal(A.phase, IKE_PHASE_2);
	assert_int_equal(A.nnames, 2);
	assert_string_equal(A.names[0], "AIXFW1_DM");
	assert_string_equal(A.names[1], "remote_office");

	ok("cmd=activate phase=2 remid=9.3.97.100,255.255.255.0");
	assert_string_equal(A.remid, "9.3.97.100,255.255.255.0");
	assert_int_equal(A.remid_kind, REMID_IPV4_SUBNET);

	ok("cmd=activate phase=2 ipaddr=10.0.0.1,10.0.0.2");
	assert_true(A.has_ipaddr);
	assert_int_equal(A.phase, IKE_PHASE_2);
}

static void
activate_ipaddr_is_canonical(void **state)
{
	(void)state;
	ok("cmd=activate ipaddr=2001:DB8:0::1,2001:db8::2");
	assert_true(A.has_ipaddr);
	assert_string_equal(A.ipsrc, "2001:db8::1");
	assert_string_equal(A.ipdst, "2001:db8::2");
	ok("cmd=activate ipaddr=192.0.2.1,198.51.100.7 numlist=3 phase=1");
	assert_string_equal(A.ipsrc, "192.0.2.1");
	assert_string_equal(A.ipdst, "198.51.100.7");
	ok("cmd=activate autostart");
	assert_true(A.autostart);
}

static void
list_forms(void **state)
{
	(void)state;
	ok("cmd=list");
	assert_int_equal(A.cmd, IKE_CMD_LIST);
	assert_int_equal(A.phase, IKE_PHASE_1PLUS);	/* the default */
	assert_false(A.db);
	assert_false(A.verbose);
	assert_int_equal(A.role, 0);
	ok("cmd=list phase=1+ role=r verbose");
	assert_int_equal(A.phase, IKE_PHASE_1PLUS);
	assert_int_equal(A.role, 'r');
	assert_true(A.verbose);
	ok("verbose db numlist=1-3 phase=2 cmd=list");
	assert_true(A.db);
	assert_int_equal(A.phase, IKE_PHASE_2);
	assert_int_equal(A.numlist.r[0].hi, 3);
	ok("cmd=list phase=1 role=i");
	assert_int_equal(A.phase, IKE_PHASE_1);
	assert_int_equal(A.role, 'i');
}

static void
remove_and_log_forms(void **state)
{
	(void)state;
	ok("cmd=remove");
	assert_int_equal(A.cmd, IKE_CMD_REMOVE);
	assert_int_equal(A.phase, IKE_PHASE_UNSET);
	assert_false(A.all);
	ok("cmd=remove all");
	assert_true(A.all);
	ok("cmd=remove phase=2 all");
	assert_int_equal(A.phase, IKE_PHASE_2);
	ok("cmd=remove phase=1 numlist=1,3,5-7");
	assert_int_equal(A.numlist.n, 3);
	ok("cmd=log");
	assert_int_equal(A.cmd, IKE_CMD_LOG);
}

static void
subcommand_misuse(void **state)
{
	(void)state;
	bad("", IKE_CMD_NONE, "no subcommand given: use cmd=activate, "
	    "cmd=list, cmd=remove or cmd=log");
	bad("phase=1 db", IKE_CMD_NONE, "no subcommand given: use "
	    "cmd=activate, cmd=list, cmd=remove or cmd=log");
	bad("cmd=start", IKE_CMD_NONE, "unknown subcommand 'start'");
	bad("cmd=LIST", IKE_CMD_NONE, "unknown subcommand 'LIST'");
	bad("cmd=", IKE_CMD_NONE, "missing value for cmd");
	bad("cmd", IKE_CMD_NONE, "missing value for cmd");
	bad("cmd=list cmd=list", IKE_CMD_NONE, "cmd given more than once");
	bad("cmd=list cmd=log", IKE_CMD_NONE, "cmd given more than once");
}

static void
parameter_misuse(void **state)
{
	(void)state;
	bad("cmd=list foo", IKE_CMD_LIST, "unknown parameter 'foo'");
	bad("cmd=list foo=1", IKE_CMD_LIST, "unknown parameter 'foo'");
	bad("cmd=list Phase=1", IKE_CMD_LIST, "unknown parameter 'Phase'");
	bad("cmd=list -h", IKE_CMD_LIST, "unknown parameter '-h'");
	bad("cmd=list phase=1 phase=2", IKE_CMD_LIST,
	    "phase given more than once");
	bad("cmd=list db db", IKE_CMD_LIST, "db given more than once");
	bad("cmd=list phase=", IKE_CMD_LIST, "missing value for phase");
	bad("cmd=list phase", IKE_CMD_LIST, "missing value for phase");
	bad("cmd=list numlist=", IKE_CMD_LIST, "missing value for numlist");
	bad("cmd=list role=", IKE_CMD_LIST, "missing value for role");
	bad("cmd=activate remid", IKE_CMD_ACTIVATE, "missing value for remid");
	bad("cmd=activate ipaddr=", IKE_CMD_ACTIVATE,
	    "missing value for ipaddr");
	bad("cmd=activate phase=1 namelist=", IKE_CMD_ACTIVATE,
	    "missing value for namelist");
	bad("cmd=list db=1", IKE_CMD_LIST, "db takes no value");
	bad("cmd=list db=", IKE_CMD_LIST, "db takes no value");
	bad("cmd=list verbose=yes", IKE_CMD_LIST, "verbose takes no value");
	bad("cmd=remove all=1", IKE_CMD_REMOVE, "all takes no value");
	bad("cmd=activate autostart=yes", IKE_CMD_ACTIVATE,
	    "autostart takes no value");
}

static void
empty_word(void **state)
{
	char *argv[] = { "ike", "cmd=list", "", NULL };

	(void)state;
	assert_int_equal(args_parse(3, argv, &A, &E), IKE_EINVAL);
	assert_string_equal(E.msg, "empty parameter");
	assert_int_equal(E.cmd, IKE_CMD_LIST);
}

static void
parameters_per_subcommand(void **state)
{
	(void)state;
	bad("cmd=list remid=1.2.3.4", IKE_CMD_LIST,
	    "cmd=list does not take remid");
	bad("cmd=list namelist=a", IKE_CMD_LIST,
	    "cmd=list does not take namelist");
	bad("cmd=list ipaddr=1.2.3.4,1.2.3.5", IKE_CMD_LIST,
	    "cmd=list does not take ipaddr");
	bad("cmd=list autostart", IKE_CMD_LIST,
	    "cmd=list does not take autostart");
	bad("cmd=list all", IKE_CMD_LIST, "cmd=list does not take all");
	bad("cmd=activate db", IKE_CMD_ACTIVATE,
	    "cmd=activate does not take db");
	bad("cmd=activate role=i", IKE_CMD_ACTIVATE,
	    "cmd=activate does not take role");
	bad("cmd=activate verbose", IKE_CMD_ACTIVATE,
	    "cmd=activate does not take verbose");
	bad("cmd=activate all", IKE_CMD_ACTIVATE,
	    "cmd=activate does not take all");
	bad("cmd=remove db", IKE_CMD_REMOVE, "cmd=remove does not take db");
	bad("cmd=remove role=r", IKE_CMD_REMOVE,
	    "cmd=remove does not take role");
	bad("cmd=remove remid=x.y", IKE_CMD_REMOVE,
	    "cmd=remove does not take remid");
	bad("cmd=remove namelist=a", IKE_CMD_REMOVE,
	    "cmd=remove does not take namelist");
	bad("cmd=remove ipaddr=1.2.3.4,1.2.3.5", IKE_CMD_REMOVE,
	    "cmd=remove does not take ipaddr");
	bad("cmd=remove autostart", IKE_CMD_REMOVE,
	    "cmd=remove does not take autostart");
	bad("cmd=remove verbose", IKE_CMD_REMOVE,
	    "cmd=remove does not take verbose");
	bad("cmd=log phase=1", IKE_CMD_LOG, "cmd=log does not take phase");
	bad("cmd=log numlist=1", IKE_CMD_LOG, "cmd=log does not take numlist");
	bad("cmd=log verbose", IKE_CMD_LOG, "cmd=log does not take verbose");
	bad("cmd=log all", IKE_CMD_LOG, "cmd=log does not take all");
	/* An unknown word is named before the subcommand's complaint. */
	bad("cmd=log bogus", IKE_CMD_LOG, "unknown parameter 'bogus'");
}

static void
bad_values(void **state)
{
	(void)state;
	bad("cmd=activate phase=3", IKE_CMD_ACTIVATE,
	    "bad phase '3': expected 1 or 2");
	bad("cmd=activate phase=1+", IKE_CMD_ACTIVATE,
	    "bad phase '1+': expected 1 or 2");
	bad("cmd=remove phase=1+", IKE_CMD_REMOVE,
	    "bad phase '1+': expected 1 or 2");
	bad("cmd=list phase=3", IKE_CMD_LIST,
	    "bad phase '3': expected 1, 1+ or 2");
	bad("cmd=list phase=01", IKE_CMD_LIST,
	    "bad phase '01': expected 1, 1+ or 2");
	bad("cmd=list role=x", IKE_CMD_LIST,
	    "bad role 'x': expected i or r");
	bad("cmd=list role=I", IKE_CMD_LIST,
	    "bad role 'I': expected i or r");
	bad("cmd=list role=ir", IKE_CMD_LIST,
	    "bad role 'ir': expected i or r");
	bad("cmd=list numlist=7-5", IKE_CMD_LIST,
	    "bad numlist '7-5': range 7-5 is reversed");
	bad("cmd=remove phase=1 numlist=1,,2", IKE_CMD_REMOVE,
	    "bad numlist '1,,2': empty item");
	bad("cmd=activate numlist=0", IKE_CMD_ACTIVATE,
	    "bad numlist '0': 0 is not a tunnel number (they start at 1)");
	bad("cmd=list numlist=4294967296", IKE_CMD_LIST,
	    "bad numlist '4294967296': 4294967296 is larger than 4294967295");
	bad("cmd=activate phase=1 namelist=a,,b", IKE_CMD_ACTIVATE,
	    "bad namelist 'a,,b': empty name");
	bad("cmd=activate phase=1 namelist=a,", IKE_CMD_ACTIVATE,
	    "bad namelist 'a,': empty name");
	bad("cmd=activate phase=1 namelist=0123456789012345678901234567890123"
	    "456789012345678901234567890123", IKE_CMD_ACTIVATE,
	    "bad namelist '0123456789012345678901234567890123456789012345678901"
	    "234567890123': name '0123456789012345...' is longer than 63 "
	    "bytes");
	bad("cmd=activate remid=10.0.0.256", IKE_CMD_ACTIVATE,
	    "bad remid '10.0.0.256': not a valid IPv4 address");
	bad("cmd=activate remid=9.3.97.20,9.3.97.10", IKE_CMD_ACTIVATE,
	    "bad remid '9.3.97.20,9.3.97.10': range starts after it ends");
	bad("cmd=activate remid=10.0.0.1,::1", IKE_CMD_ACTIVATE,
	    "bad remid '10.0.0.1,::1': mixes IPv4 and IPv6 addresses");
}

static void
bad_ipaddr(void **state)
{
	(void)state;
	bad("cmd=activate ipaddr=10.0.0.1", IKE_CMD_ACTIVATE,
	    "bad ipaddr '10.0.0.1': expected two addresses: "
	    "src_addr,dst_addr");
	bad("cmd=activate ipaddr=10.0.0.1,10.0.0.2,10.0.0.3",
	    IKE_CMD_ACTIVATE, "bad ipaddr '10.0.0.1,10.0.0.2,10.0.0.3': "
	    "expected two addresses: src_addr,dst_addr");
	bad("cmd=activate ipaddr=10.0.0.1,", IKE_CMD_ACTIVATE,
	    "bad ipaddr '10.0.0.1,': '' is not an IPv4 or IPv6 address");
	bad("cmd=activate ipaddr=host,10.0.0.2", IKE_CMD_ACTIVATE,
	    "bad ipaddr 'host,10.0.0.2': 'host' is not an IPv4 or IPv6 "
	    "address");
	bad("cmd=activate ipaddr=10.0.0.1,10.0.0.999", IKE_CMD_ACTIVATE,
	    "bad ipaddr '10.0.0.1,10.0.0.999': '10.0.0.999' is not an IPv4 "
	    "or IPv6 address");
	bad("cmd=activate ipaddr=10.0.0.1,2001:db8::1", IKE_CMD_ACTIVATE,
	    "bad ipaddr '10.0.0.1,2001:db8::1': mixes IPv4 and IPv6 "
	    "addresses");
}

static void
exclusions(void **state)
{
	(void)state;
	bad("cmd=activate remid=9.3.97.100 ipaddr=1.2.3.4,1.2.3.5",
	    IKE_CMD_ACTIVATE, "remid cannot be used with ipaddr");
	bad("cmd=activate numlist=1 remid=9.3.97.100", IKE_CMD_ACTIVATE,
	    "remid cannot be used with numlist");
	bad("cmd=activate phase=1 remid=9.3.97.100 namelist=t1",
	    IKE_CMD_ACTIVATE, "remid cannot be used with namelist");
	bad("cmd=activate autostart phase=1", IKE_CMD_ACTIVATE,
	    "autostart cannot be used with phase");
	bad("cmd=activate autostart numlist=1", IKE_CMD_ACTIVATE,
	    "autostart cannot be used with numlist");
	bad("cmd=activate autostart namelist=t1", IKE_CMD_ACTIVATE,
	    "autostart cannot be used with namelist");
	bad("cmd=activate autostart remid=9.3.97.100", IKE_CMD_ACTIVATE,
	    "autostart cannot be used with remid");
	bad("cmd=activate autostart ipaddr=1.2.3.4,1.2.3.5", IKE_CMD_ACTIVATE,
	    "autostart cannot be used with ipaddr");
	bad("cmd=activate namelist=t1", IKE_CMD_ACTIVATE,
	    "namelist requires phase=1 or phase=2");
	/* Several at once: autostart's, then remid's, then namelist's. */
	bad("cmd=activate ipaddr=1.1.1.1,2.2.2.2 remid=h.example autostart",
	    IKE_CMD_ACTIVATE, "autostart cannot be used with remid");
	bad("cmd=activate namelist=t1 ipaddr=1.1.1.1,2.2.2.2 remid=h.example",
	    IKE_CMD_ACTIVATE, "remid cannot be used with ipaddr");
	/* Values are checked before exclusions. */
	bad("cmd=list db role=x", IKE_CMD_LIST,
	    "bad role 'x': expected i or r");
	bad("cmd=list db role=i", IKE_CMD_LIST, "db cannot be used with role");
	bad("cmd=list role=r verbose db phase=2", IKE_CMD_LIST,
	    "db cannot be used with role");
	bad("cmd=remove all numlist=1", IKE_CMD_REMOVE,
	    "all cannot be used with numlist");
	bad("cmd=remove phase=1 numlist=1-3 all", IKE_CMD_REMOVE,
	    "all cannot be used with numlist");
}

static void
usage_lines(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_string_equal(usage_line(IKE_CMD_LIST), "ike cmd=list "
	    "[phase=1|1+|2] [numlist=tunnel_num_list] [db | role=i|r] "
	    "[verbose]");
	assert_string_equal(usage_line(IKE_CMD_LOG), "ike cmd=log");
	assert_null(usage_line(IKE_CMD_NONE));
	assert_non_null(f = open_memstream(&buf, &len));
	usage_print(f, IKE_CMD_REMOVE);
	fclose(f);
	assert_string_equal(buf, "usage: ike cmd=remove [phase=1|2] "
	    "[numlist=tunnel_num_list] [all]\n");
	free(buf);
	buf = NULL;
	assert_non_null(f = open_memstream(&buf, &len));
	usage_print(f, IKE_CMD_NONE);
	fclose(f);
	assert_non_null(strstr(buf, "usage: ike cmd=activate "));
	assert_non_null(strstr(buf, "\n       ike cmd=list "));
	assert_non_null(strstr(buf, "\n       ike cmd=remove "));
	assert_non_null(strstr(buf, "\n       ike cmd=log\n"));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(activate_forms),
		cmocka_unit_test(activate_ipaddr_is_canonical),
		cmocka_unit_test(list_forms),
		cmocka_unit_test(remove_and_log_forms),
		cmocka_unit_test(subcommand_misuse),
		cmocka_unit_test(parameter_misuse),
		cmocka_unit_test(empty_word),
		cmocka_unit_test(parameters_per_subcommand),
		cmocka_unit_test(bad_values),
		cmocka_unit_test(bad_ipaddr),
		cmocka_unit_test(exclusions),
		cmocka_unit_test(usage_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
