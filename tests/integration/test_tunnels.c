/* Two real isakmpd processes (-K mem), each in its own network
 * namespace joined by a veth pair (192.0.2.1/24 and 192.0.2.2/24),
 * negotiate IKEv2 tunnels from their databases, driven only through
 * ikedb and ike run inside the namespaces: activation by number, both
 * sides listing the phase-1 and phase-2 tunnels Active with roles i and
 * r, "already exists", removal from either side, a wrong preshared key
 * listed as AUTHENTICATION_FAILED, a key fixed with ikedb while the
 * daemons run, selectors the responder does not accept
 * (TS_UNACCEPTABLE), a peer that never answers ("peer not responding",
 * about 30 s of retransmissions), and the refusals of numbers that name
 * nothing and of remid.
 *
 * Needs root and `ip netns`; without them the test fails, saying
 * which is missing.  Namespaces and links get
 * names unique to this process and are removed even when a test fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

#define WAIT_STEPS	100	/* polls of 100 ms */

struct side {
	char		 ns[32], link[16];
	const char	*addr, *peer;
	struct td	 td;
};

struct fx {
	struct side	 s[2];	/* [0] 192.0.2.1 (initiator), [1] .2 */
	bool		 ns_made;
};

static int fx_counter;
static int wait_steps = WAIT_STEPS;	/* polls wait_list() makes */

static int
run(const char *const *argv, const char *const *env, struct tu_result *res)
{
	struct tu_run r = { 0 };

	r.argv = argv;
	r.env = env;
	r.timeout_s = 20;
	return tu_run(&r, res);
}

/* ip ARGS...: 0 when it exited 0. */
static int
ip(const char *a1, const char *a2, const char *a3, const char *a4,
    const char *a5, const char *a6, const char *a7, const char *a8)
{
	const char *argv[] = { "ip", a1, a2, a3, a4, a5, a6, a7, a8, NULL };
	struct tu_result res;
	int st;

	if (run(argv, NULL, &res) != 0)
		return -1;
	st = res.status;
	if (st != 0)
		fprintf(stderr, "ip %s %s %s: %s", a1, a2, a3 ? a3 : "",
		    res.err);
	tu_result_free(&res);
	return st == 0 ? 0 : -1;
}

static void
ns_delete(struct fx *f)
{
	const char *argv[] = { "ip", "link", "del", f->s[0].link, NULL };
	struct tu_result res;
	int i;

	for (i = 0; i < 2; i++)
		(void)ip("netns", "del", f->s[i].ns, NULL, NULL, NULL, NULL,
		    NULL);	/* the veth pair goes with them */
	/* Unless setup failed before moving it: then it is still here
	 * (and this fails quietly when it is not). */
	if (run(argv, NULL, &res) == 0)
		tu_result_free(&res);
}

static int
ns_make(struct fx *f)
{
	static const char *const pfx[2] = { "192.0.2.1/24", "192.0.2.2/24" };
	int i;

	f->ns_made = true;	/* teardown deletes whatever was added */
	for (i = 0; i < 2; i++)
		if (ip("netns", "add", f->s[i].ns, NULL, NULL, NULL, NULL,
		    NULL) != 0)
			return -1;
	if (ip("link", "add", f->s[0].link, "type", "veth", "peer", "name",
	    f->s[1].link) != 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (ip("link", "set", f->s[i].link, "netns", f->s[i].ns, NULL,
		    NULL, NULL) != 0 ||
		    ip("-n", f->s[i].ns, "addr", "add", pfx[i], "dev",
		    f->s[i].link, NULL) != 0 ||
		    ip("-n", f->s[i].ns, "link", "set", f->s[i].link, "up",
		    NULL, NULL) != 0 ||
		    ip("-n", f->s[i].ns, "link", "set", "lo", "up", NULL,
		    NULL) != 0)
			return -1;
	return 0;
}

/* One side's definitions: IKETunnel t1 from local to peer, its key, and
 * IPSecTunnel s1 between the two LANs (10.<n>.0.0/24). */
static void
defs_xml(char *buf, size_t len, int me, const char *key)
{
	int lan = me + 1, rlan = 2 - me;

	snprintf(buf, len,
	    "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
	    "<IKEProtection IKE_ProtectionName=\"p1\" IKE_Version=\"2\">\n"
	    "<IKETransform IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\""
	    " IKE_DHGroup=\"19\" IKE_AuthenticationMethod=\"Preshared_Key\""
	    " IKE_KeyRefreshMinutes=\"480\"/>\n</IKEProtection>\n"
	    "<IKETunnel IKE_TunnelName=\"t1\" IKE_ProtectionRef=\"p1\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"192.0.2.%d\"/>"
	    "</IKELocalIdentity>\n"
	    "<IKERemoteIdentity><IPV4_Address Value=\"192.0.2.%d\"/>"
	    "</IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"%s\" Format=\"ASCII\">"
	    "<IKEPresharedRemoteID><IPV4_Address Value=\"192.0.2.%d\"/>"
	    "</IKEPresharedRemoteID></IKEPresharedKey>\n"
	    "<IPSecProposal IPSec_ProposalName=\"esp\">"
	    "<IPSecESPProtocol ESP_Encryption=\"AES-GCM-256\""
	    " ESP_Authentication=\"None\" ESP_EncapsulationMode=\"Tunnel\""
	    " ESP_KeyRefreshMinutes=\"60\"/></IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"q1\""
	    " IPSec_ProposalRefs=\"esp\"/>\n"
	    "<IPSecTunnel IPSec_TunnelName=\"s1\" IKE_TunnelName=\"t1\""
	    " IPSec_ProtectionRef=\"q1\">\n"
	    "<IPSecLocalIdentity><IPV4_Subnet Value=\"10.%d.0.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecLocalIdentity>\n"
	    "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.%d.0.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecRemoteIdentity>\n"
	    "</IPSecTunnel>\n</AIX_VPN>\n",
	    me + 1, 2 - me, key, 2 - me, lan, rlan);
}

static void
ikedb_put(struct side *s, const char *flags, const char *xml)
{
	char env_db[TD_PATH + 8];
	const char *env[] = { env_db, NULL };
	const char *argv[] = { tu_bin("ikedb"), flags, NULL };
	struct tu_run r = { 0 };
	struct tu_result res;

	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", s->td.db);
	r.argv = argv;
	r.env = env;
	r.stdin_text = xml;
	assert_int_equal(tu_run(&r, &res), 0);
	if (res.status != 0)
		fprintf(stderr, "ikedb: %s", res.err);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
}

/* `ip netns exec NS ike ARGS` with IKE_SOCKET set; the caller frees. */
static void
ike(struct side *s, const char *a1, const char *a2, const char *a3,
    struct tu_result *res)
{
	char env_sock[TD_PATH + 16];
	const char *env[] = { env_sock, NULL };
	const char *argv[] = { "ip", "netns", "exec", s->ns, tu_bin("ike"),
	    a1, a2, a3, NULL };

	snprintf(env_sock, sizeof(env_sock), "IKE_SOCKET=%s", s->td.sock);
	assert_int_equal(run(argv, env, res), 0);
}

/* Starts isakmpd inside the side's namespace and waits until it
 * answers on its socket. */
static void
daemon_start(struct side *s)
{
	const char *argv[] = { "ip", "netns", "exec", s->ns, tu_bin("isakmpd"),
	    "-d", "-K", "mem", "-S", s->td.sock, "-D", s->td.db, "-f",
	    s->td.conf, NULL };
	char *log;
	int i;

	assert_int_equal(tu_write_file(s->td.conf, "v2=5500-5501\n"), 0);
	s->td.status = -1;
	s->td.pid = fork();
	assert_true(s->td.pid >= 0);
	if (s->td.pid == 0) {
		if (freopen(s->td.errlog, "w", stderr) == NULL)
			_exit(126);
		execvp("ip", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	for (i = 0; i < WAIT_STEPS; i++) {
		if (td_simple(s->td.sock, CTL_T_STATUS, NULL, 0) == 0)
			return;
		td_sleep_ms(100);
	}
	log = td_errlog(&s->td);
	fprintf(stderr, "isakmpd in %s did not answer: %s\n", s->ns,
	    log ? log : "");
	free(log);
	fail();
}

static int	teardown(void **);

static int
setup(void **state)
{
	struct fx *f;
	int i, n = fx_counter++;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(f->s[i].ns, sizeof(f->s[i].ns), "iketun%c%ld_%d",
		    "AB"[i], (long)getpid(), n);
		snprintf(f->s[i].link, sizeof(f->s[i].link), "vt%c%ld_%d",
		    "AB"[i], (long)getpid() % 100000, n);
		if (td_init(&f->s[i].td, i == 0 ? "tunA" : "tunB") != 0) {
			*state = f;
			(void)teardown(state);
			*state = NULL;
			return -1;
		}
	}
	f->s[0].addr = f->s[1].peer = "192.0.2.1";
	f->s[1].addr = f->s[0].peer = "192.0.2.2";
	*state = f;
	if (ns_make(f) != 0) {
		fprintf(stderr, "cannot set up the namespaces\n");
		(void)teardown(state);	/* cmocka skips it after a failed
					 * setup: remove what was made */
		*state = NULL;
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	int i;

	if (f == NULL)
		return 0;
	for (i = 0; i < 2; i++)
		td_cleanup(&f->s[i].td);
	if (f->ns_made)
		ns_delete(f);
	free(f);
	return 0;
}

/* Polls `ike cmd=list [a2]` until its output holds every needle (up to
 * 3, NULL-ended) or wait_steps polls (10 s unless changed) passed;
 * returns the last output (caller frees). */
static char *
wait_list(struct side *s, const char *a2, const char *n1, const char *n2,
    const char *n3)
{
	const char *need[] = { n1, n2, n3, NULL };
	struct tu_result res;
	int i, k;

	for (i = 0; i < wait_steps; i++) {
		ike(s, "cmd=list", a2, NULL, &res);
		assert_int_equal(res.status, 0);
		for (k = 0; need[k] != NULL; k++)
			if (strstr(res.out, need[k]) == NULL)
				break;
		if (need[k] == NULL || i == wait_steps - 1) {
			free(res.err);
			return res.out;
		}
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	return NULL;
}

/* Polls until `ike cmd=list` prints nothing. */
static void
wait_empty(struct side *s)
{
	struct tu_result res;
	int i;

	for (i = 0; i < WAIT_STEPS; i++) {
		ike(s, "cmd=list", NULL, NULL, &res);
		assert_int_equal(res.status, 0);
		if (res.out[0] == '\0') {
			tu_result_free(&res);
			return;
		}
		if (i == WAIT_STEPS - 1)
			fprintf(stderr, "still listed in %s:\n%s", s->ns,
			    res.out);
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	fail();
}

static void
load_both(struct fx *f, const char *key_a, const char *key_b)
{
	char xml[4096];

	defs_xml(xml, sizeof(xml), 0, key_a);
	ikedb_put(&f->s[0], "-p", xml);
	defs_xml(xml, sizeof(xml), 1, key_b);
	ikedb_put(&f->s[1], "-p", xml);
	daemon_start(&f->s[0]);
	daemon_start(&f->s[1]);
}

/* Both daemons exit 0 on SIGTERM (and, under ASan, without leaks). */
static void
stop_both(struct fx *f)
{
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
	assert_int_equal(td_stop(&f->s[1].td, SIGTERM), 0);
}

static const char p1_a[] =
    "1      1       Active      192.0.2.1                       192.0.2.2";
static const char p2_a[] =
    "2      1       Active      10.1.0.0-10.1.0.255             "
    "10.2.0.0-10.2.0.255";
static const char p1_b[] =
    "1      1       Active      192.0.2.2                       192.0.2.1";
static const char p2_b[] =
    "2      1       Active      10.2.0.0-10.2.0.255             "
    "10.1.0.0-10.1.0.255";

static void
test_activate_list_remove(void **state)
{
	struct fx *f = *state;
	struct tu_result res;
	char *out, want[512];

	load_both(f, "shared secret", "shared secret");
	ike(&f->s[0], "cmd=activate", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);

	out = wait_list(&f->s[0], NULL, p1_a, p2_a, NULL);
	snprintf(want, sizeof(want), "Phase  Tun Id  Status      Local Id"
	    "                        Remote Id\n%s\n%s\n", p1_a, p2_a);
	tu_same_lines(out, want);
	free(out);
	out = wait_list(&f->s[1], NULL, p1_b, p2_b, NULL);
	assert_non_null(strstr(out, p1_b));
	assert_non_null(strstr(out, p2_b));
	free(out);

	/* Roles: i on the side that activated, r on the other. */
	out = wait_list(&f->s[0], "role=i", p1_a, p2_a, NULL);
	assert_non_null(strstr(out, p2_a));
	free(out);
	ike(&f->s[0], "cmd=list", "role=r", NULL, &res);
	assert_string_equal(res.out, "");
	tu_result_free(&res);
	out = wait_list(&f->s[1], "role=r", p1_b, p2_b, NULL);
	assert_non_null(strstr(out, p1_b));
	free(out);
	out = wait_list(&f->s[1], "verbose", "Role: Responder",
	    "Encryption: AES-GCM-256", "DH Group: 19");
	assert_non_null(strstr(out, "Encryption: AES-CBC-256"));
	assert_non_null(strstr(out, "Definition: t1 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s1 (Tun Id 1)"));
	free(out);

	/* Again: already exists, exit 3, nothing new. */
	ike(&f->s[0], "cmd=activate", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "already exists"));
	tu_result_free(&res);

	ike(&f->s[0], "cmd=remove", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	wait_empty(&f->s[0]);
	wait_empty(&f->s[1]);
	stop_both(f);
}

static void
test_wrong_psk_then_fixed(void **state)
{
	struct fx *f = *state;
	struct tu_result res;
	char *out, xml[4096];

	load_both(f, "not the same", "shared secret");
	ike(&f->s[0], "cmd=activate", "phase=1", "numlist=1", &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = wait_list(&f->s[0], "verbose", "Status: Expired",
	    "Reason: AUTHENTICATION_FAILED", "Role: Initiator");
	assert_non_null(strstr(out, "Reason: AUTHENTICATION_FAILED"));
	assert_null(strstr(out, "Status: Active"));
	free(out);
	out = wait_list(&f->s[1], "verbose", "Status: Expired",
	    "Reason: AUTHENTICATION_FAILED", "Role: Responder");
	assert_non_null(strstr(out, "Reason: AUTHENTICATION_FAILED"));
	assert_null(strstr(out, "Status: Active"));
	free(out);

	/* ikedb fixes the key while the daemons run; activate re-reads. */
	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n"
	    "<AIX_VPN Version=\"2.0\"><IKEPresharedKey Value=\"shared "
	    "secret\" Format=\"ASCII\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.2\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey></AIX_VPN>\n");
	ikedb_put(&f->s[0], "-pF", xml);
	ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = wait_list(&f->s[0], NULL,
	    "1      2       Active      192.0.2.1",
	    "2      2       Active      10.1.0.0-10.1.0.255", NULL);
	assert_non_null(strstr(out, "2      2       Active"));
	assert_non_null(strstr(out, "1      1       Expired"));
	free(out);

	/* Phase 2 removed from the responder's side: gone on both, the
	 * phase-1 tunnels stay. */
	out = wait_list(&f->s[1], NULL, "2      1       Active", NULL, NULL);
	assert_non_null(strstr(out, "2      1       Active"));
	free(out);
	ike(&f->s[1], "cmd=remove", "phase=2", "all", &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = wait_list(&f->s[1], "phase=2", NULL, NULL, NULL);
	for (int i = 0; i < WAIT_STEPS && strstr(out, "Active") != NULL;
	    i++) {
		free(out);
		td_sleep_ms(100);
		out = wait_list(&f->s[1], "phase=2", NULL, NULL, NULL);
	}
	assert_null(strstr(out, "Active"));
	free(out);
	out = wait_list(&f->s[0], "phase=2", NULL, NULL, NULL);
	for (int i = 0; i < WAIT_STEPS && strstr(out, "Active") != NULL;
	    i++) {
		free(out);
		td_sleep_ms(100);
		out = wait_list(&f->s[0], "phase=2", NULL, NULL, NULL);
	}
	assert_null(strstr(out, "Active"));
	free(out);
	out = wait_list(&f->s[0], "phase=1", "1      2       Active", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      2       Active"));
	free(out);

	/* A second phase 2 over the running phase 1 needs CREATE_CHILD_SA:
	 * an honest "not yet supported", exit 3. */
	ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "not yet supported"));
	tu_result_free(&res);

	ike(&f->s[1], "cmd=remove", "all", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	ike(&f->s[0], "cmd=remove", "phase=1", "numlist=1", &res);
	assert_int_equal(res.status, 0);	/* the Expired one */
	tu_result_free(&res);
	wait_empty(&f->s[0]);
	wait_empty(&f->s[1]);
	stop_both(f);
}

/* The responder's phase-2 definition covers other selectors: the IKE SA
 * comes up, the Child SA fails with TS_UNACCEPTABLE on the initiator. */
static void
test_ts_unacceptable(void **state)
{
	struct fx *f = *state;
	struct tu_result res;
	char xml[4096], *p, *out;

	defs_xml(xml, sizeof(xml), 0, "k");
	ikedb_put(&f->s[0], "-p", xml);
	defs_xml(xml, sizeof(xml), 1, "k");
	p = strstr(xml, "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.1.");
	assert_non_null(p);
	p[strlen("<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.")] = '7';
	ikedb_put(&f->s[1], "-p", xml);
	daemon_start(&f->s[0]);
	daemon_start(&f->s[1]);
	ike(&f->s[0], "cmd=activate", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = wait_list(&f->s[0], "verbose", "Reason: TS_UNACCEPTABLE",
	    "Status: Active", NULL);
	assert_non_null(strstr(out, "Reason: TS_UNACCEPTABLE"));
	free(out);
	out = wait_list(&f->s[0], NULL, p1_a, "2      1       Expired", NULL);
	assert_non_null(strstr(out, "2      1       Expired"));
	free(out);
	ike(&f->s[0], "cmd=remove", "all", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	wait_empty(&f->s[0]);
	wait_empty(&f->s[1]);
	stop_both(f);
}

/* Nobody answers at 192.0.2.2: the engine's retransmissions, driven by
 * the daemon's timer, run out and the tunnels are listed Expired with
 * "peer not responding". */
static void
test_peer_not_responding(void **state)
{
	struct fx *f = *state;
	struct tu_result res;
	char xml[4096], *out;

	defs_xml(xml, sizeof(xml), 0, "k");
	ikedb_put(&f->s[0], "-p", xml);
	daemon_start(&f->s[0]);
	ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = wait_list(&f->s[0], NULL, "1      1       Negotiating", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      1       Negotiating"));
	free(out);
	wait_steps = 900;	/* the engine gives up after about 30 s */
	out = wait_list(&f->s[0], "verbose", "Reason: peer not responding",
	    NULL, NULL);
	wait_steps = WAIT_STEPS;
	assert_non_null(strstr(out, "Status: Expired\n"));
	assert_non_null(strstr(out, "Reason: peer not responding"));
	assert_null(strstr(out, "Status: Negotiating"));
	free(out);
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
}

static void
test_unknown_number(void **state)
{
	struct fx *f = *state;
	struct tu_result res;

	load_both(f, "k", "k");
	ike(&f->s[0], "cmd=activate", "phase=2", "numlist=9", &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "phase-2 tunnel 9 is not in the "
	    "database"));
	tu_result_free(&res);
	ike(&f->s[0], "cmd=remove", "phase=1", "numlist=4", &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "phase-1 tunnel 4 is not active"));
	tu_result_free(&res);
	ike(&f->s[0], "cmd=activate", "remid=192.0.2.2", NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "not yet supported"));
	tu_result_free(&res);
	ike(&f->s[0], "cmd=list", NULL, NULL, &res);
	assert_string_equal(res.out, "");
	tu_result_free(&res);
	stop_both(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_activate_list_remove,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk_then_fixed,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts_unacceptable, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_peer_not_responding,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_number, setup,
		    teardown),
	};
	char probe[32];

	if (geteuid() != 0) {
		fprintf(stderr, "test_tunnels: needs root for ip netns; run "
		    "the tests as root\n");
		return 1;
	}
	snprintf(probe, sizeof(probe), "iketunP%ld", (long)getpid());
	if (ip("netns", "add", probe, NULL, NULL, NULL, NULL, NULL) != 0) {
		fprintf(stderr, "test_tunnels: `ip netns add` does not work "
		    "here (iproute2 missing, or no network namespaces)\n");
		return 1;
	}
	(void)ip("netns", "del", probe, NULL, NULL, NULL, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
