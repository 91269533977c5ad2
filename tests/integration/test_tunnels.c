/* Two real isakmpd processes (-K mem), each in its own network
 * namespace joined by a veth pair (192.0.2.1/24 and 192.0.2.2/24),
 * negotiate IKEv2 tunnels from their databases, driven only through
 * ikedb and ike run inside the namespaces: activation by number, both
 * sides listing the phase-1 and phase-2 tunnels Active with roles i and
 * r, "already exists", removal from either side, a wrong preshared key
 * listed as AUTHENTICATION_FAILED, a key fixed with ikedb while the
 * daemons run, selectors the responder does not accept
 * (TS_UNACCEPTABLE), no IKE proposal in common (NO_PROPOSAL_CHOSEN,
 * listed on both sides), a peer that never answers ("peer not responding",
 * about 30 s of retransmissions), a phase 2 started again over its
 * running phase 1 (CREATE_CHILD_SA), and the refusals of numbers and of
 * a remid that name nothing (tests/integration/tun_util.c holds the
 * namespaces and daemons; test_tunnels_activate.c the other forms of
 * activate).
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

#include "tests/integration/tun_util.h"

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
load_both(struct tun_fx *f, const char *key_a, const char *key_b)
{
	char xml[4096];

	defs_xml(xml, sizeof(xml), 0, key_a);
	tun_ikedb_put(&f->s[0], "-p", xml);
	defs_xml(xml, sizeof(xml), 1, key_b);
	tun_ikedb_put(&f->s[1], "-p", xml);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);
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
	struct tun_fx *f = *state;
	struct tu_result res;
	char *out, want[512];

	load_both(f, "shared secret", "shared secret");
	tun_ike(&f->s[0], "cmd=activate", "numlist=1", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);

	out = tun_wait_list(&f->s[0], NULL, p1_a, p2_a, NULL);
	snprintf(want, sizeof(want), "Phase  Tun Id  Status      Local Id"
	    "                        Remote Id\n%s\n%s\n", p1_a, p2_a);
	tu_same_lines(out, want);
	free(out);
	out = tun_wait_list(&f->s[1], NULL, p1_b, p2_b, NULL);
	assert_non_null(strstr(out, p1_b));
	assert_non_null(strstr(out, p2_b));
	free(out);

	/* Roles: i on the side that activated, r on the other. */
	out = tun_wait_list(&f->s[0], "role=i", p1_a, p2_a, NULL);
	assert_non_null(strstr(out, p2_a));
	free(out);
	tun_ike(&f->s[0], "cmd=list", "role=r", NULL, NULL, &res);
	assert_string_equal(res.out, "");
	tu_result_free(&res);
	out = tun_wait_list(&f->s[1], "role=r", p1_b, p2_b, NULL);
	assert_non_null(strstr(out, p1_b));
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Role: Responder",
	    "Encryption: AES-GCM-256", "DH Group: 19");
	assert_non_null(strstr(out, "Encryption: AES-CBC-256"));
	assert_non_null(strstr(out, "Definition: t1 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s1 (Tun Id 1)"));
	free(out);

	/* Again: already exists, exit 3, nothing new. */
	tun_ike(&f->s[0], "cmd=activate", "numlist=1", NULL, NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "already exists"));
	tu_result_free(&res);

	tun_ike(&f->s[0], "cmd=remove", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

/* s lists a tunnel Expired with reason in role, its listing holds
 * want, and nothing of s is Active. */
static void
expect_expired(struct tun_side *s, const char *reason, const char *role,
    const char *want)
{
	char *out = tun_wait_list(s, "verbose", "Status: Expired", reason,
	    role);

	assert_non_null(strstr(out, want));
	assert_null(strstr(out, "Status: Active"));
	free(out);
}

static void
test_wrong_psk_then_fixed(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char *out, xml[4096];

	load_both(f, "not the same", "shared secret");
	tun_ike(&f->s[0], "cmd=activate", "phase=1", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	expect_expired(&f->s[0], "Reason: AUTHENTICATION_FAILED", "Role: Initiator",
	    "Reason: AUTHENTICATION_FAILED");
	expect_expired(&f->s[1], "Reason: AUTHENTICATION_FAILED", "Role: Responder",
	    "Reason: AUTHENTICATION_FAILED");

	/* ikedb fixes the key while the daemons run; activate re-reads. */
	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n"
	    "<AIX_VPN Version=\"2.0\"><IKEPresharedKey Value=\"shared "
	    "secret\" Format=\"ASCII\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.2\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey></AIX_VPN>\n");
	tun_ikedb_put(&f->s[0], "-pF", xml);
	tun_ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = tun_wait_list(&f->s[0], NULL,
	    "1      2       Active      192.0.2.1",
	    "2      2       Active      10.1.0.0-10.1.0.255", NULL);
	assert_non_null(strstr(out, "2      2       Active"));
	assert_non_null(strstr(out, "1      1       Expired"));
	free(out);

	/* Phase 2 removed from the responder's side: gone on both, the
	 * phase-1 tunnels stay. */
	out = tun_wait_list(&f->s[1], NULL, "2      1       Active", NULL, NULL);
	assert_non_null(strstr(out, "2      1       Active"));
	free(out);
	tun_ike(&f->s[1], "cmd=remove", "phase=2", "all", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = tun_wait_list(&f->s[1], "phase=2", NULL, NULL, NULL);
	for (int i = 0; i < TUN_WAIT_STEPS && strstr(out, "Active") != NULL;
	    i++) {
		free(out);
		td_sleep_ms(100);
		out = tun_wait_list(&f->s[1], "phase=2", NULL, NULL, NULL);
	}
	assert_null(strstr(out, "Active"));
	free(out);
	out = tun_wait_list(&f->s[0], "phase=2", NULL, NULL, NULL);
	for (int i = 0; i < TUN_WAIT_STEPS && strstr(out, "Active") != NULL;
	    i++) {
		free(out);
		td_sleep_ms(100);
		out = tun_wait_list(&f->s[0], "phase=2", NULL, NULL, NULL);
	}
	assert_null(strstr(out, "Active"));
	free(out);
	out = tun_wait_list(&f->s[0], "phase=1", "1      2       Active", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      2       Active"));
	free(out);

	/* The phase 2 again over the running phase 1: CREATE_CHILD_SA, a
	 * new phase-2 tunnel (3) under phase-1 tunnel 2 on this side, and
	 * a new responder entry (2) under phase-1 tunnel 2 (1 is the
	 * Expired one of the wrong key) on the other. */
	tun_ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = tun_wait_list(&f->s[0], NULL, "2      3       Active", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      2       Active      192.0.2.1"
	    "                       192.0.2.2\n2      3       Active"));
	free(out);
	out = tun_wait_list(&f->s[1], NULL, "2      2       Active", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      2       Active      192.0.2.2"
	    "                       192.0.2.1\n2      2       Active"));
	free(out);

	tun_ike(&f->s[1], "cmd=remove", "all", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=remove", "phase=1", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);	/* the Expired one */
	tu_result_free(&res);
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

/* The responder's phase-2 definition covers other selectors: the IKE SA
 * comes up, the Child SA fails with TS_UNACCEPTABLE on the initiator. */
static void
test_ts_unacceptable(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char xml[4096], *p, *out;

	defs_xml(xml, sizeof(xml), 0, "k");
	tun_ikedb_put(&f->s[0], "-p", xml);
	defs_xml(xml, sizeof(xml), 1, "k");
	p = strstr(xml, "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.1.");
	assert_non_null(p);
	p[strlen("<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.")] = '7';
	tun_ikedb_put(&f->s[1], "-p", xml);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);
	tun_ike(&f->s[0], "cmd=activate", NULL, NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = tun_wait_list(&f->s[0], "verbose", "Reason: TS_UNACCEPTABLE",
	    "Status: Active", NULL);
	assert_non_null(strstr(out, "Reason: TS_UNACCEPTABLE"));
	free(out);
	out = tun_wait_list(&f->s[0], NULL, p1_a, "2      1       Expired", NULL);
	assert_non_null(strstr(out, "2      1       Expired"));
	free(out);
	tun_ike(&f->s[0], "cmd=remove", "all", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

/* The responder's IKETransform has nothing in common with the
 * initiator's: the responder refuses IKE_SA_INIT without keeping state,
 * and both sides list the phase 1 Expired with NO_PROPOSAL_CHOSEN (the
 * responder under the definition the peer's address matched). */
static void
test_no_common_proposal(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char xml[4096], *p;

	defs_xml(xml, sizeof(xml), 0, "k");
	tun_ikedb_put(&f->s[0], "-p", xml);
	defs_xml(xml, sizeof(xml), 1, "k");
	p = strstr(xml, "IKE_Encryption=\"AES-CBC-256\"");
	assert_non_null(p);
	memcpy(p, "IKE_Encryption=\"AES-CBC-128\"",
	    strlen("IKE_Encryption=\"AES-CBC-128\""));
	tun_ikedb_put(&f->s[1], "-p", xml);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);
	tun_ike(&f->s[0], "cmd=activate", "phase=1", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	expect_expired(&f->s[0], "Reason: NO_PROPOSAL_CHOSEN", "Role: Initiator",
	    "Reason: NO_PROPOSAL_CHOSEN");
	expect_expired(&f->s[1], "Reason: NO_PROPOSAL_CHOSEN", "Role: Responder",
	    "Definition: t1 (Tun Id 1)");
	tun_ike(&f->s[0], "cmd=remove", "all", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	tun_ike(&f->s[1], "cmd=remove", "all", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

/* Nobody answers at 192.0.2.2: the engine's retransmissions, driven by
 * the daemon's timer, run out and the tunnels are listed Expired with
 * "peer not responding". */
static void
test_peer_not_responding(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char xml[4096], *out;

	defs_xml(xml, sizeof(xml), 0, "k");
	tun_ikedb_put(&f->s[0], "-p", xml);
	tun_daemon_start(&f->s[0]);
	tun_ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
	out = tun_wait_list(&f->s[0], NULL, "1      1       Negotiating", NULL,
	    NULL);
	assert_non_null(strstr(out, "1      1       Negotiating"));
	free(out);
	tun_wait_steps = 900;	/* the engine gives up after about 30 s */
	out = tun_wait_list(&f->s[0], "verbose", "Reason: peer not responding",
	    NULL, NULL);
	tun_wait_steps = TUN_WAIT_STEPS;
	assert_non_null(strstr(out, "Status: Expired\n"));
	assert_non_null(strstr(out, "Reason: peer not responding"));
	assert_null(strstr(out, "Status: Negotiating"));
	free(out);
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
}

static void
test_unknown_number(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;

	load_both(f, "k", "k");
	tun_ike(&f->s[0], "cmd=activate", "phase=2", "numlist=9", NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "phase-2 tunnel 9 is not in the "
	    "database"));
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=remove", "phase=1", "numlist=4", NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "phase-1 tunnel 4 is not active"));
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=activate", "remid=192.0.2.9", NULL, NULL, &res);
	assert_int_equal(res.status, 3);
	assert_string_equal(res.err, "remid 192.0.2.9 matches no tunnel "
	    "definition\n");
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=list", NULL, NULL, NULL, &res);
	assert_string_equal(res.out, "");
	tu_result_free(&res);
	tun_stop_both(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_activate_list_remove,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk_then_fixed,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_ts_unacceptable, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_no_common_proposal,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_peer_not_responding,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_number, tun_setup,
		    tun_teardown),
	};

	if (tun_check_env("test_tunnels") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
