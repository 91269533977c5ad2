/* IKEv1 tunnels between two real isakmpd processes (-K mem) in network
 * namespaces (tun_util.c), driven only through ikedb and ike:
 *  - Main Mode + Quick Mode on the v1= port of isakmpd.conf (5600,
 *    while IKEv2 uses 5500: the responder listens on both), both sides
 *    listing both phases Active, `ike cmd=list verbose` with the IKEv1
 *    fields (version, exchange mode, authentication method, the hash
 *    under IKEv2's names), the responder naming its definitions, remove
 *    of the phase 2 then of everything from the initiator;
 *  - two phase-2 tunnels under one phase 1 (two Quick Modes), one of
 *    them removed;
 *  - Aggressive Mode (activated by remid=): listed as such, warned
 *    about in both logs;
 *  - a wrong key (Aggressive Mode): Expired with the reason, then
 *    fixed with ikedb and activated again;
 *  - IKEv1 and IKEv2 definitions between the same addresses at once:
 *    the responder answers each with the definition of its version;
 *  - MAIN_MODE_REQUIRES_IP: a responder whose definition names a group
 *    (known by address, identity an FQDN) refuses Main Mode with YES,
 *    saying why in its log, and with NO answers with the key of the
 *    initiator's address (activated by ipaddr=);
 *  - a protection IKEv1 is not offered with (D-H group 1) refused at
 *    activate, naming the protection.
 *
 * Needs root and `ip netns`; without them the test fails, saying
 * which is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>

#include "tests/integration/tun_util.h"

#define V1_CONF	"v1=5600-5601\nlog_level=events\n"

/* The protections: IKEv1 p1 (mode as given), IKEv2 p2, ESP q1. */
static int
prot_xml(char *buf, size_t n, const char *mode)
{
	return snprintf(buf, n,
	    "<IKEProtection IKE_ProtectionName=\"p1\" IKE_Version=\"1\""
	    " IKE_XCHGMode=\"%s\">\n"
	    "<IKETransform IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\""
	    " IKE_DHGroup=\"14\" IKE_KeyRefreshMinutes=\"480\"/>\n"
	    "<IKETransform IKE_Encryption=\"3DES-CBC\" IKE_Hash=\"SHA\""
	    " IKE_DHGroup=\"2\"/>\n</IKEProtection>\n"
	    "<IKEProtection IKE_ProtectionName=\"p2\" IKE_Version=\"2\">\n"
	    "<IKETransform IKE_Encryption=\"AES-GCM-256\" IKE_Hash=\"SHA2-256\""
	    " IKE_DHGroup=\"19\"/>\n</IKEProtection>\n"
	    "<IPSecProposal IPSec_ProposalName=\"esp\">"
	    "<IPSecESPProtocol ESP_Encryption=\"AES-CBC-256\""
	    " ESP_Authentication=\"HMAC-SHA2-256\""
	    " ESP_EncapsulationMode=\"Tunnel\" ESP_KeyRefreshMinutes=\"60\"/>"
	    "</IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"q1\""
	    " IPSec_ProposalRefs=\"esp\"/>\n", mode);
}

/* IKETunnel name on protection prot from 192.0.2.<me+1> to the other
 * side, address identities, the key for the peer. */
static int
ike_tun(char *buf, size_t n, const char *name, const char *prot, int me)
{
	return snprintf(buf, n,
	    "<IKETunnel IKE_TunnelName=\"%s\" IKE_ProtectionRef=\"%s\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"192.0.2.%d\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"192.0.2.%d\"/></IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"v1 test key\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.%d\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n", name, prot, me + 1, 2 - me, 2 - me);
}

/* IPSecTunnel name under t between 10.<a>.<lan>.0/24 of each side. */
static int
ipsec_tun(char *buf, size_t n, const char *name, const char *t, int me,
    int a)
{
	return snprintf(buf, n,
	    "<IPSecTunnel IPSec_TunnelName=\"%s\" IKE_TunnelName=\"%s\""
	    " IPSec_ProtectionRef=\"q1\">\n"
	    "<IPSecLocalIdentity><IPV4_Subnet Value=\"10.%d.%d.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecLocalIdentity>\n"
	    "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.%d.%d.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecRemoteIdentity>\n"
	    "</IPSecTunnel>\n", name, t, a, me + 1, a, 2 - me);
}

/* ikedb -p of the protections and body on side s. */
static void
put(struct tun_side *s, const char *mode, const char *body)
{
	char xml[16384], prot[2048];

	prot_xml(prot, sizeof(prot), mode);
	assert_true((size_t)snprintf(xml, sizeof(xml), "<?xml version="
	    "\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n%s%.8191s</AIX_VPN>\n",
	    prot, body) < sizeof(xml));
	tun_ikedb_put(s, "-p", xml);
}

/* Both sides: IKEv1 t1 (mode) with s1 between 10.1.x.0/24. */
static void
load_v1(struct tun_fx *f, const char *mode)
{
	char body[4096];
	int me, n;

	for (me = 0; me < 2; me++) {
		n = ike_tun(body, sizeof(body), "t1", "p1", me);
		ipsec_tun(body + n, sizeof(body) - (size_t)n, "s1", "t1", me,
		    1);
		put(&f->s[me], mode, body);
	}
}

static void
activate(struct tun_side *s, const char *a2, const char *a3)
{
	tun_ike_ok(s, "cmd=activate", a2, a3);
}

/* Polls until `ike cmd=list` on s no longer holds needle. */
static void
wait_gone(struct tun_side *s, const char *needle)
{
	struct tu_result res;
	int i;
	bool there = true;

	for (i = 0; i < TUN_WAIT_STEPS && there; i++) {
		tun_ike(s, "cmd=list", NULL, NULL, NULL, &res);
		there = strstr(res.out, needle) != NULL;
		tu_result_free(&res);
		if (there)
			td_sleep_ms(100);
	}
	assert_false(there);
}

/* Whether the side's namespace has a UDP socket bound to port. */
static bool
udp_bound(struct tun_side *s, unsigned port)
{
	const char *argv[] = { "ip", "netns", "exec", s->ns, "cat",
	    "/proc/net/udp", NULL };
	struct tu_result res;
	char pat[16];
	bool found;

	assert_int_equal(tun_run(argv, NULL, &res), 0);
	snprintf(pat, sizeof(pat), ":%04X ", port);
	found = strstr(res.out, pat) != NULL;
	tu_result_free(&res);
	return found;
}

static const char p1_a[] =
    "1      1       Active      192.0.2.1                       192.0.2.2";
static const char p2_a[] =
    "2      1       Active      10.1.1.0-10.1.1.255             "
    "10.1.2.0-10.1.2.255";
static const char p1_b[] =
    "1      1       Active      192.0.2.2                       192.0.2.1";
static const char p2_b[] =
    "2      1       Active      10.1.2.0-10.1.2.255             "
    "10.1.1.0-10.1.1.255";

static void
test_main_mode(void **state)
{
	struct tun_fx *f = *state;
	char *out;

	load_v1(f, "Main");
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF);
	assert_true(udp_bound(&f->s[1], 5600));	/* v1= */
	assert_true(udp_bound(&f->s[1], 5500));	/* v2= */
	activate(&f->s[0], "numlist=1", NULL);
	out = tun_wait_list(&f->s[0], NULL, p1_a, p2_a, NULL);
	tu_same_lines(out, "Phase  Tun Id  Status      Local Id"
	    "                        Remote Id\n1      1       Active      "
	    "192.0.2.1                       192.0.2.2\n2      1       Active"
	    "      10.1.1.0-10.1.1.255             10.1.2.0-10.1.2.255\n");
	free(out);
	out = tun_wait_list(&f->s[1], NULL, p1_b, p2_b, NULL);
	free(out);

	out = tun_wait_list(&f->s[0], "verbose", "IKE Version: 1",
	    "Exchange Mode: Main", "Authentication Method: Preshared_Key");
	assert_non_null(strstr(out, "Role: Initiator"));
	assert_non_null(strstr(out, "Encryption: AES-CBC-256"));
	assert_non_null(strstr(out, "Authentication: HMAC-SHA2-256"));
	assert_non_null(strstr(out, "PRF: PRF-SHA2-256"));
	assert_non_null(strstr(out, "DH Group: 14"));
	assert_non_null(strstr(out, "Key Lifetime: 480 minutes"));
	assert_non_null(strstr(out, "Mode: Tunnel"));
	assert_null(strstr(out, "IKE Version: 2"));
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Role: Responder",
	    "Definition: t1 (Tun Id 1)", "Definition: s1 (Tun Id 1)");
	assert_non_null(strstr(out, "Exchange Mode: Main"));
	free(out);
	tun_log_has(&f->s[1], "IKEv1, Main Mode");

	/* Removing the phase 2 removes it on both sides. */
	tun_ike_ok(&f->s[0], "cmd=remove", "phase=2", "numlist=1");
	wait_gone(&f->s[0], "2      1");
	wait_gone(&f->s[1], "2      1");
	tun_ike_ok(&f->s[0], "cmd=remove", NULL, NULL);
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

static void
test_aggressive_mode(void **state)
{
	struct tun_fx *f = *state;
	char *out;

	load_v1(f, "Aggressive");
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF);
	activate(&f->s[0], "remid=192.0.2.2", NULL);
	out = tun_wait_list(&f->s[0], NULL, p1_a, p2_a, NULL);
	free(out);
	out = tun_wait_list(&f->s[0], "verbose", "Exchange Mode: Aggressive",
	    "Role: Initiator", NULL);
	free(out);
	out = tun_wait_list(&f->s[1], NULL, p1_b, p2_b, NULL);
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Exchange Mode: Aggressive",
	    "Role: Responder", NULL);
	free(out);
	tun_log_has(&f->s[0], "uses IKEv1 Aggressive Mode: it sends the "
	    "identities in clear");
	tun_log_has(&f->s[1], "uses IKEv1 Aggressive Mode");
	tun_stop_both(f);
}

/* Two phase-2 tunnels under one IKEv1 phase 1: the first in the Quick
 * Mode after Main Mode, the second queued and then negotiated in a
 * Quick Mode of its own; removing the second leaves the first. */
static void
test_two_quick_modes(void **state)
{
	struct tun_fx *f = *state;
	char body[4096], *out;
	int me, n;

	for (me = 0; me < 2; me++) {
		n = ike_tun(body, sizeof(body), "t1", "p1", me);
		n += ipsec_tun(body + n, sizeof(body) - (size_t)n, "s1", "t1",
		    me, 1);
		ipsec_tun(body + n, sizeof(body) - (size_t)n, "s1b", "t1",
		    me, 3);
		put(&f->s[me], "Main", body);
	}
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF);
	activate(&f->s[0], "phase=1", "numlist=1");
	out = tun_wait_list(&f->s[0], NULL, p1_a, p2_a,
	    "2      2       Active      10.3.1.0-10.3.1.255");
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Definition: s1 (Tun Id 1)",
	    "Definition: s1b (Tun Id 2)", "Local Id: 10.3.2.0-10.3.2.255");
	free(out);
	tun_ike_ok(&f->s[0], "cmd=remove", "phase=2", "numlist=2");
	wait_gone(&f->s[0], "10.3.1.0");
	wait_gone(&f->s[1], "10.3.2.0");
	out = tun_wait_list(&f->s[1], NULL, p1_b, p2_b, NULL);
	free(out);
	tun_stop_both(f);
}

/* A wrong key in Aggressive Mode: the initiator finds HASH_R wrong at
 * message 2 and lists its phase 1 Expired with the reason; the key
 * fixed with ikedb, activate brings the tunnel up. */
static void
test_wrong_key(void **state)
{
	struct tun_fx *f = *state;
	char *out;
	static const char key[] = "<?xml version=\"1.0\"?>\n<AIX_VPN "
	    "Version=\"2.0\"><IKEPresharedKey Value=\"%s\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.2\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey></AIX_VPN>\n";
	char xml[512];

	load_v1(f, "Aggressive");
	snprintf(xml, sizeof(xml), key, "not the key");
	tun_ikedb_put(&f->s[0], "-pF", xml);
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF);
	activate(&f->s[0], "phase=2", "numlist=1");
	out = tun_wait_list(&f->s[0], "verbose", "Status: Expired",
	    "Reason: authentication failed", "IKE Version: 1");
	assert_null(strstr(out, "Status: Active"));
	free(out);
	snprintf(xml, sizeof(xml), key, "v1 test key");
	tun_ikedb_put(&f->s[0], "-pF", xml);
	activate(&f->s[0], "phase=2", "numlist=1");
	out = tun_wait_list(&f->s[0], NULL, "1      2       Active",
	    "2      2       Active", "1      1       Expired");
	free(out);
	tun_stop_both(f);
}

/* t1 (IKEv1) and t2 (IKEv2) between the same addresses. */
static void
test_both_versions(void **state)
{
	struct tun_fx *f = *state;
	char body[8192], *out;
	int me, n;

	for (me = 0; me < 2; me++) {
		n = ike_tun(body, sizeof(body), "t1", "p1", me);
		n += ipsec_tun(body + n, sizeof(body) - (size_t)n, "s1", "t1",
		    me, 1);
		n += snprintf(body + n, sizeof(body) - (size_t)n,
		    "<IKETunnel IKE_TunnelName=\"t2\" IKE_ProtectionRef="
		    "\"p2\">\n<IKELocalIdentity><IPV4_Address Value="
		    "\"192.0.2.%d\"/></IKELocalIdentity>\n<IKERemoteIdentity>"
		    "<IPV4_Address Value=\"192.0.2.%d\"/></IKERemoteIdentity>"
		    "\n</IKETunnel>\n", me + 1, 2 - me);
		ipsec_tun(body + n, sizeof(body) - (size_t)n, "s2", "t2", me,
		    2);
		put(&f->s[me], "Main", body);
	}
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF);
	activate(&f->s[0], "phase=1", "numlist=1,2");
	out = tun_wait_list(&f->s[1], NULL, "2      2       Active",
	    "1      2       Active", "2      1       Active");
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "IKE Version: 1",
	    "IKE Version: 2", "Definition: t2 (Tun Id 2)");
	if (strstr(out, "Definition: s1 (Tun Id 1)") == NULL)
		fprintf(stderr, "%s\n", out);
	assert_non_null(strstr(out, "Definition: t1 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s1 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s2 (Tun Id 2)"));
	assert_non_null(strstr(out, "Encryption: AES-GCM-256"));
	assert_non_null(strstr(out, "Exchange Mode: Main"));
	free(out);
	tun_stop_both(f);
}

/* The responder knows the initiator by address (IKE_RemoteAddress) and
 * as the group g, whose member is the FQDN a.example; the key is the
 * one stored for the initiator's address (a.example has none). */
static void
load_group(struct tun_fx *f)
{
	char body[4096];

	snprintf(body, sizeof(body),
	    "<IKETunnel IKE_TunnelName=\"t1\" IKE_ProtectionRef=\"p1\""
	    " IKE_LocalAddress=\"192.0.2.1\" IKE_RemoteAddress=\"192.0.2.2\">"
	    "\n<IKELocalIdentity><FQDN Value=\"a.example\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"192.0.2.2\"/></IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"group key\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.2\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n");
	ipsec_tun(body + strlen(body), sizeof(body) - strlen(body), "s1",
	    "t1", 0, 1);
	put(&f->s[0], "Main", body);
	snprintf(body, sizeof(body),
	    "<IKEGroup IKE_GroupName=\"g\"><FQDN Value=\"a.example\"/>"
	    "<FQDN Value=\"b.example\"/></IKEGroup>\n"
	    "<IKETunnel IKE_TunnelName=\"t1\" IKE_ProtectionRef=\"p1\""
	    " IKE_RemoteAddress=\"192.0.2.1\">"
	    "\n<IKELocalIdentity><IPV4_Address Value=\"192.0.2.2\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><Group Value=\"g\"/>"
	    "</IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"group key\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.1\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n");
	ipsec_tun(body + strlen(body), sizeof(body) - strlen(body), "s1",
	    "t1", 1, 1);
	put(&f->s[1], "Main", body);
}

static void
test_mm_requires_ip(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;

	load_group(f);
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF "MAIN_MODE_REQUIRES_IP=YES\n");
	activate(&f->s[0], "phase=2", "numlist=1");
	tun_log_has(&f->s[1], "IKEv1 Main Mode from 192.0.2.1 refused: IKETunnel "
	    "t1 names the group g, not the peer, and MAIN_MODE_REQUIRES_IP=YES");
	tun_ike(&f->s[1], "cmd=list", NULL, NULL, NULL, &res);
	assert_string_equal(res.out, "");	/* a stranger: not listed */
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=list", NULL, NULL, NULL, &res);
	assert_null(strstr(res.out, "Active"));
	tu_result_free(&res);
	tun_stop_both(f);
}

static void
test_mm_group_key(void **state)
{
	struct tun_fx *f = *state;
	char *out;

	load_group(f);
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_daemon_start_conf(&f->s[1], V1_CONF "MAIN_MODE_REQUIRES_IP=NO\n");
	activate(&f->s[0], "ipaddr=192.0.2.1,192.0.2.2", NULL);
	out = tun_wait_list(&f->s[1], NULL,
	    "1      1       Active      192.0.2.2                       "
	    "a.example", "2      1       Active", NULL);
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Definition: t1 (Tun Id 1)",
	    "Definition: s1 (Tun Id 1)", NULL);
	free(out);
	tun_stop_both(f);
}

/* MODP-768 (group 1) is not offered in IKEv1: activate says so. */
static void
test_refused_protection(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char body[4096], xml[8192];
	int n;

	n = snprintf(body, sizeof(body),
	    "<IKEProtection IKE_ProtectionName=\"g1\" IKE_Version=\"1\">\n"
	    "<IKETransform IKE_Encryption=\"3DES-CBC\" IKE_Hash="
	    "\"SHA\" IKE_DHGroup=\"1\"/>\n</IKEProtection>\n");
	n += ike_tun(body + n, sizeof(body) - (size_t)n, "t1", "g1", 0);
	ipsec_tun(body + n, sizeof(body) - (size_t)n, "s1", "t1", 0, 1);
	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n<AIX_VPN "
	    "Version=\"2.0\">\n<IPSecProposal IPSec_ProposalName=\"esp\">"
	    "<IPSecESPProtocol ESP_Encryption=\"AES-CBC-256\""
	    " ESP_Authentication=\"HMAC-SHA2-256\"/></IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"q1\""
	    " IPSec_ProposalRefs=\"esp\"/>\n%s</AIX_VPN>\n", body);
	tun_ikedb_put(&f->s[0], "-p", xml);
	tun_daemon_start_conf(&f->s[0], V1_CONF);
	tun_ike(&f->s[0], "cmd=activate", "phase=2", "numlist=1", NULL, &res);
	assert_int_equal(res.status, 3);
	assert_non_null(strstr(res.err, "IKEProtection g1: IKE_DHGroup 1 is "
	    "not available in IKEv1 (2, 5, 14, 15, 16, 19, 20, 21, 31)"));
	tu_result_free(&res);
	tun_ike(&f->s[0], "cmd=list", NULL, NULL, NULL, &res);
	assert_string_equal(res.out, "");
	tu_result_free(&res);
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_main_mode, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_aggressive_mode,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_two_quick_modes,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_key, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_both_versions, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_mm_requires_ip,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_mm_group_key, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_refused_protection,
		    tun_setup, tun_teardown),
	};

	if (tun_check_env("test_tunnels_v1") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
