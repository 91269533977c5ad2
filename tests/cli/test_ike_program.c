/* The `ike` program as root: `list db` on a real database (no daemon
 * needed), a missing or empty database, no daemon at the socket, and a
 * fake daemon's refusal and listing.  Needs root (the program refuses
 * anyone else): fails, saying so, otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "clifix.h"
#include "fakectl.h"
#include "tests/lib/testutil.h"

#define HEADER	"Phase  Tun Id  Status      Local Id                        " \
		"Remote Id\n"
#define P1_HQ	"1      1       Dormant     192.0.2.1                       " \
		"198.51.100.7\n"
#define P1_BRANCH "1      2       Dormant     gw.example.com                " \
		"  admin@branch.example.org\n"
#define P1_V6	"1      3       Dormant     2001:db8::1                     " \
		"C=US, O=IBM, CN=peer\n"
#define P2_HQLAN "2      1       Dormant     10.1.0.0-10.1.0.255           " \
		"  10.2.0.0-10.2.0.255\n"
#define P2_WEB	"2      2       Dormant     192.0.2.1-192.0.2.1             " \
		"10.3.0.10-10.3.0.20\n"
#define P2_HOST	"2      3       Dormant     192.0.2.1-192.0.2.1             " \
		"offices\n"
#define P2_V6	"2      4       Dormant     2001:db8:1::-2001:db8:1:ffff:ffff:" \
		"ffff:ffff:ffff 2001:db8:2::5-2001:db8:2::5\n"

static char dir[64], dbdir[100], emptydir[100], sock[100];
static char env_db[128], env_sock[128];
static struct tu_result R;

static int
setup(void **state)
{
	(void)state;
	if (tu_mkdtemp(dir, sizeof(dir), "program") != 0)
		return -1;
	snprintf(dbdir, sizeof(dbdir), "%s/db", dir);
	snprintf(emptydir, sizeof(emptydir), "%s/empty", dir);
	snprintf(sock, sizeof(sock), "%s/s.sock", dir);
	snprintf(env_sock, sizeof(env_sock), "IKE_SOCKET=%s", sock);
	return clifix_make_db(dbdir) == 0 &&
	    clifix_make_empty_db(emptydir) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	tu_result_free(&R);
	return tu_rmrf(dir);
}

/* Runs ike with IKE_DB=db and IKE_SOCKET=sock and the words of line. */
static int
ike(const char *db, const char *line)
{
	static char buf[256];
	const char *argv[16] = { tu_bin("ike") };
	const char *env[] = { env_db, env_sock, NULL };
	struct tu_run r = { .argv = argv, .env = env };
	char *p;
	int argc = 1;

	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", db);
	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok(buf, " "); p != NULL && argc < 15; p = strtok(NULL, " "))
		argv[argc++] = p;
	tu_result_free(&R);
	assert_int_equal(tu_run(&r, &R), 0);
	return R.status;
}

static void
list_db_concise(void **state)
{
	(void)state;
	assert_int_equal(ike(dbdir, "cmd=list db"), 0);
	tu_same_lines(R.out, HEADER P1_HQ P2_HQLAN P2_HOST P1_BRANCH P2_WEB
	    P1_V6 P2_V6);
	assert_string_equal(R.err, "");
	assert_int_equal(ike(dbdir, "db phase=1 cmd=list"), 0);
	tu_same_lines(R.out, HEADER P1_HQ P1_BRANCH P1_V6);
	assert_int_equal(ike(dbdir, "cmd=list db phase=2"), 0);
	tu_same_lines(R.out, HEADER P1_HQ P2_HQLAN P1_BRANCH P2_WEB P1_HQ P2_HOST
	    P1_V6 P2_V6);
	assert_int_equal(ike(dbdir, "cmd=list db phase=2 numlist=1-3"), 0);
	tu_same_lines(R.out, HEADER P1_HQ P2_HQLAN P1_BRANCH P2_WEB P1_HQ
	    P2_HOST);
	assert_int_equal(ike(dbdir, "cmd=list db numlist=2"), 0);
	tu_same_lines(R.out, HEADER P1_BRANCH P2_WEB);
	assert_int_equal(ike(dbdir, "cmd=list db numlist=7"), 0);
	assert_string_equal(R.out, "");
}

static void
list_db_verbose(void **state)
{
	(void)state;
	assert_int_equal(ike(dbdir, "cmd=list db verbose"), 0);
	assert_string_equal(R.err, "");
	{
		static const char first[] = "Phase: 1\nTun Id: 1\nStatus: "
		    "Dormant\nLocal Id: 192.0.2.1\nRemote Id: 198.51.100.7\n"
		    "Name: hq\n";

		assert_memory_equal(R.out, first, sizeof(first) - 1);
	}
	assert_non_null(strstr(R.out, "\n\nPhase: 2\nTun Id: 4\n"));
	assert_non_null(strstr(R.out, "Transform 2 PRF: PRF-SHA2-512\n"));
	assert_non_null(strstr(R.out, "Proposal 2 Transform 1 Protocol: AH\n"));
	assert_non_null(strstr(R.out, "Remote Group Member: IPV4_Address "
	    "10.8.0.1\n"));
	assert_non_null(strstr(R.out, "Local Id Value: 2001:db8:1::/48\n"));
	assert_non_null(strstr(R.out, "Preshared Key: configured (not "
	    "shown)\n"));
	assert_null(strstr(R.out, CLIFIX_PSK1));
	assert_null(strstr(R.out, CLIFIX_PSK2));
}

static void
list_db_missing_or_empty(void **state)
{
	char missing[128], want[512];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/none", dir);
	assert_int_equal(ike(missing, "cmd=list db"), 2);
	snprintf(want, sizeof(want), "ike: cannot open the IKE database: no "
	    "database in %s (load definitions with ikedb -p)\n", missing);
	assert_string_equal(R.err, want);
	assert_string_equal(R.out, "");
	assert_int_equal(ike(emptydir, "cmd=list db"), 0);
	assert_string_equal(R.out, "");
	assert_string_equal(R.err, "");
	assert_int_equal(ike(emptydir, "cmd=list db verbose phase=2"), 0);
	assert_string_equal(R.out, "");
}

static void
no_daemon(void **state)
{
	static const char *const lines[] = {
		"cmd=activate", "cmd=list", "cmd=list phase=1 verbose",
		"cmd=remove all", "cmd=log",
	};
	char want[256];
	size_t i;

	(void)state;
	snprintf(want, sizeof(want), "ike: isakmpd is not running (no daemon "
	    "at %s)\n", sock);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(ike(dbdir, lines[i]), 2);
		assert_string_equal(R.err, want);
		assert_string_equal(R.out, "");
	}
}

static void
fake_daemon(void **state)
{
	static struct fakectl f;
	uint8_t phase;

	(void)state;
	fakectl_init(&f, sock);
	fakectl_reply(&f, CTL_T_ACTIVATE, CTL_R_UNSUPPORTED,
	    "activate is not yet supported", NULL);
	assert_int_equal(fakectl_start(&f), 0);
	assert_int_equal(ike(dbdir, "cmd=activate phase=1 numlist=2"), 3);
	assert_int_equal(fakectl_stop(&f), 0);
	assert_string_equal(R.err, "activate is not yet supported\n");
	assert_string_equal(R.out, "");
	assert_int_equal(ctl_get_u8(&f.msg, CTL_A_PHASE, &phase), 0);
	assert_int_equal(phase, 1);

	fakectl_reply(&f, CTL_T_LIST, CTL_R_OK, NULL, NULL);
	fakectl_tunnel(&f, 1, 1, "Active", "192.0.2.1", "198.51.100.7", NULL);
	fakectl_tunnel(&f, 2, 1, "Active", "192.0.2.1-192.0.2.1",
	    "198.51.100.7-198.51.100.7", NULL);
	assert_int_equal(fakectl_start(&f), 0);
	assert_int_equal(ike(dbdir, "cmd=list"), 0);
	assert_int_equal(fakectl_stop(&f), 0);
	assert_string_equal(R.out, HEADER
	    "1      1       Active      192.0.2.1                       "
	    "198.51.100.7\n"
	    "2      1       Active      192.0.2.1-192.0.2.1             "
	    "198.51.100.7-198.51.100.7\n");
	fakectl_free(&f);
}

static void
unwritable_output(void **state)
{
	const char *argv[] = { "/bin/sh", "-c", "exec \"$0\" cmd=list db "
	    ">/dev/full", tu_bin("ike"), NULL };
	const char *env[] = { env_db, NULL };
	struct tu_run r = { .argv = argv, .env = env };

	(void)state;
	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", dbdir);
	tu_result_free(&R);
	assert_int_equal(tu_run(&r, &R), 0);
	assert_int_equal(R.status, 2);
	assert_string_equal(R.err, "ike: cannot write the output: No space "
	    "left on device\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_db_concise),
		cmocka_unit_test(list_db_verbose),
		cmocka_unit_test(list_db_missing_or_empty),
		cmocka_unit_test(no_daemon),
		cmocka_unit_test(fake_daemon),
		cmocka_unit_test(unwritable_output),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_ike_program: needs root (ike refuses "
		    "other users); failing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
