/* Several processes on one database at once: `ikedb -p` adds tunnel
 * definitions, one file at a time, while `ike cmd=list db` and a running
 * isakmpd read.  Every reader must see a consistent database (each
 * listing well-formed, counts never going backwards), every writer must
 * succeed, and at the end all definitions are there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

#define NWRITES	30

static const char base_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<AIX_VPN Version=\"2.0\">\n"
    "  <IKEProtection IKE_ProtectionName=\"p1\" IKE_Version=\"2\">\n"
    "    <IKETransform IKE_Encryption=\"AES-GCM-256\" IKE_DHGroup=\"31\"/>\n"
    "  </IKEProtection>\n"
    "</AIX_VPN>\n";

/* The n-th file: one IKETunnel t<n> to 198.51.100.<n>. */
static void
tunnel_xml(char *buf, size_t len, int n)
{
	snprintf(buf, len,
	    "<?xml version=\"1.0\"?>\n"
	    "<AIX_VPN Version=\"2.0\">\n"
	    "  <IKETunnel IKE_TunnelName=\"t%d\" IKE_ProtectionRef=\"p1\">\n"
	    "    <IKELocalIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
	    "</IKELocalIdentity>\n"
	    "    <IKERemoteIdentity><IPV4_Address Value=\"198.51.100.%d\"/>"
	    "</IKERemoteIdentity>\n"
	    "  </IKETunnel>\n"
	    "</AIX_VPN>\n", n, n);
}

static int
run_tool(const char *tool, const char *const *args, const char *const *env,
    const char *in, struct tu_result *res)
{
	const char *argv[8] = { tu_bin(tool) };
	struct tu_run r = { 0 };
	size_t i;

	for (i = 0; args[i] != NULL && i < 6; i++)
		argv[i + 1] = args[i];
	r.argv = argv;
	r.env = env;
	r.stdin_text = in;
	return tu_run(&r, res);
}

/* A writer process: NWRITES puts, each its own transaction. */
static int
writer(const char *const *env)
{
	static const char *const put[] = { "-p", NULL };
	struct tu_result res;
	char xml[1024];
	int n;

	for (n = 1; n <= NWRITES; n++) {
		tunnel_xml(xml, sizeof(xml), n);
		if (run_tool("ikedb", put, env, xml, &res) != 0 ||
		    res.status != 0) {
			fprintf(stderr, "writer: put %d failed: %s\n", n,
			    res.err);
			return 1;
		}
		tu_result_free(&res);
	}
	return 0;
}

/* Counts the phase-1 rows of a concise listing; -1 if a line is not a
 * well-formed row (5 columns, "1 <num> Dormant ...") or the header. */
static int
count_rows(const char *out)
{
	char line[512], ph[8], num[16], st[16], loc[128], rem[128];
	const char *p = out, *nl;
	int rows = 0;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL || (size_t)(nl - p) >= sizeof(line))
			return -1;
		memcpy(line, p, (size_t)(nl - p));
		line[nl - p] = '\0';
		p = nl + 1;
		if (strncmp(line, "Phase", 5) == 0)
			continue;
		if (sscanf(line, "%7s %15s %15s %127s %127s", ph, num, st, loc,
		    rem) != 5 || strcmp(ph, "1") != 0 ||
		    strcmp(st, "Dormant") != 0 || atoi(num) <= 0)
			return -1;
		rows++;
	}
	return rows;
}

static void
readers_see_consistent_database(void **state)
{
	static const char *const list[] = { "cmd=list", "db", NULL };
	static const char *const put[] = { "-p", NULL };
	struct td *t = *state;
	char envdb[TD_PATH + 8], envsock[TD_PATH + 16];
	const char *env[3] = { envdb, envsock, NULL };
	struct tu_result res;
	int last_rows = 0, last_status = 0, rows, st, i, mid = 0;
	uint64_t defs;
	pid_t w;

	snprintf(envdb, sizeof(envdb), "IKE_DB=%s", t->db);
	snprintf(envsock, sizeof(envsock), "IKE_SOCKET=%s", t->sock);
	assert_int_equal(run_tool("ikedb", put, env, base_xml, &res), 0);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	assert_int_equal(td_start(t, NULL, NULL), 0);

	if ((w = fork()) == 0)
		_exit(writer(env));
	assert_true(w > 0);
	for (i = 0; i < NWRITES * 2; i++) {
		assert_int_equal(run_tool("ike", list, env, NULL, &res), 0);
		assert_int_equal(res.status, 0);
		rows = count_rows(res.out);
		if (rows < 0)
			fail_msg("malformed listing:\n%s", res.out);
		assert_true(rows >= last_rows);
		last_rows = rows;
		if (rows > 0 && rows < NWRITES)
			mid++;
		tu_result_free(&res);
		defs = td_counter(t->sock, "definitions_phase1");
		assert_true(defs != UINT64_MAX);
		assert_true((int)defs >= last_status);
		last_status = (int)defs;
	}
	assert_int_equal(waitpid(w, &st, 0), w);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* The reads really overlapped the writes. */
	if (mid == 0)
		fail_msg("no listing saw a partly written database: the "
		    "readers did not run while ikedb wrote");

	assert_int_equal(run_tool("ike", list, env, NULL, &res), 0);
	assert_int_equal(count_rows(res.out), NWRITES);
	tu_result_free(&res);
	assert_int_equal(td_counter(t->sock, "definitions_phase1"), NWRITES);
	assert_true(td_alive(t));
}

static int
setup(void **state)
{
	return td_fixture(state, "concurrent", NULL, NULL, 0);
}

static int
teardown(void **state)
{
	return td_fixture_free(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(readers_see_consistent_database,
		    setup, teardown),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_concurrent: ike refuses non-root users; "
		    "run the tests as root\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
