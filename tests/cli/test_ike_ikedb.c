/* `ike cmd=list db` on a database loaded by the real `ikedb -p` from an
 * XML file: what ikedb stores is what ike shows (including the encoding
 * of IKE_IPSecDefaultAllowedTypes), and the key never appears.  Needs
 * root (ike refuses anyone else): fails, saying so. */
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

static const char xml[] =
"<?xml version=\"1.0\"?>\n"
"<AIX_VPN Version=\"2.0\">\n"
" <IKEProtection IKE_ProtectionName=\"p1-v2\" IKE_Version=\"2\">\n"
"  <IKETransform IKE_Encryption=\"AES-GCM-256\" IKE_Hash=\"SHA2-256\"\n"
"    IKE_DHGroup=\"31\"/>\n"
" </IKEProtection>\n"
" <IKEProtection IKE_ProtectionName=\"p1-v1\" IKE_Role=\"Initiator\"\n"
"   IKE_XCHGMode=\"Aggressive\" IKE_KeyOverlap=\"15\"\n"
"   IKE_IPSecDefaultProtectionRef=\"_defIPSprot_dhcp\"\n"
"   IKE_IPSecDefaultAllowedTypes=\"Remote_IPV6_Address_Range"
" Local_IPV4_Address Remote_IPV4_Subnet\">\n"
"  <IKETransform IKE_Encryption=\"3DES-CBC\" IKE_Hash=\"SHA\"\n"
"    IKE_DHGroup=\"2\" IKE_KeyRefreshMinutes=\"60\"/>\n"
" </IKEProtection>\n"
" <IKETunnel IKE_TunnelName=\"hq\" IKE_ProtectionRef=\"p1-v2\"\n"
"   IKE_Flags_AutoStart=\"Yes\">\n"
"  <IKELocalIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
"</IKELocalIdentity>\n"
"  <IKERemoteIdentity><IPV4_Address Value=\"198.51.100.7\"/>"
"</IKERemoteIdentity>\n"
" </IKETunnel>\n"
" <IKETunnel IKE_TunnelName=\"branch\" IKE_ProtectionRef=\"p1-v1\"\n"
"   IKE_LocalAddress=\"192.0.2.1\" IKE_RemoteAddress=\"203.0.113.9\">\n"
"  <IKELocalIdentity><FQDN Value=\"gw.example.com\"/></IKELocalIdentity>\n"
"  <IKERemoteIdentity><User_FQDN Value=\"admin@branch.example.org\"/>"
"</IKERemoteIdentity>\n"
" </IKETunnel>\n"
" <IKEPresharedKey Value=\"correct horse battery staple\">\n"
"  <IKEPresharedRemoteID><IPV4_Address Value=\"198.51.100.7\"/>"
"</IKEPresharedRemoteID>\n"
" </IKEPresharedKey>\n"
" <IKEGroup IKE_GroupName=\"offices\">\n"
"  <IPV4_Subnet Value=\"10.9.0.0\" NetMask=\"255.255.0.0\"/>\n"
"  <IPV4_Address Value=\"10.8.0.1\"/>\n"
" </IKEGroup>\n"
" <IPSecProposal IPSec_ProposalName=\"esp-gcm\">\n"
"  <IPSecESPProtocol ESP_Encryption=\"AES-GCM-256\"/>\n"
" </IPSecProposal>\n"
" <IPSecProtection IPSec_ProtectionName=\"p2\""
" IPSec_ProposalRefs=\"esp-gcm\"/>\n"
" <IPSecProtection IPSec_ProtectionName=\"_defIPSprot_dhcp\"\n"
"   IPSec_ProposalRefs=\"esp-gcm\" IPSec_Role=\"Responder\"/>\n"
" <IPSecTunnel IPSec_TunnelName=\"hq-lan\" IKE_TunnelName=\"hq\"\n"
"   IPSec_ProtectionRef=\"p2\">\n"
"  <IPSecLocalIdentity><IPV4_Subnet Value=\"10.1.0.0\"\n"
"    NetMask=\"255.255.255.0\"/></IPSecLocalIdentity>\n"
"  <IPSecRemoteIdentity><IPV4_Subnet Value=\"10.2.0.0\"\n"
"    NetMask=\"255.255.255.0\"/></IPSecRemoteIdentity>\n"
" </IPSecTunnel>\n"
" <IPSecTunnel IPSec_TunnelName=\"hq-v6\" IKE_TunnelName=\"hq\"\n"
"   IPSec_ProtectionRef=\"p2\">\n"
"  <IPSecLocalIdentity Protocol=\"tcp\"><IPV6_Subnet"
" Value=\"2001:db8:1::\"\n"
"    PrefixLength=\"48\"/></IPSecLocalIdentity>\n"
"  <IPSecRemoteIdentity Protocol=\"tcp\" Port=\"443\">"
"<Group Value=\"offices\"/></IPSecRemoteIdentity>\n"
" </IPSecTunnel>\n"
" <IPSecTunnel IPSec_TunnelName=\"branch-web\" IKE_TunnelName=\"branch\"\n"
"   IPSec_ProtectionRef=\"p2\">\n"
"  <IPSecLocalIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
"</IPSecLocalIdentity>\n"
"  <IPSecRemoteIdentity><IPV4_Address_Range From=\"10.3.0.10\"\n"
"    To=\"10.3.0.20\"/></IPSecRemoteIdentity>\n"
" </IPSecTunnel>\n"
"</AIX_VPN>\n";

#define HEADER	"Phase  Tun Id  Status      Local Id                        " \
		"Remote Id\n"

static char dir[64], dbdir[100], file[100], env_db[128];
static struct tu_result R;

static int
run4(const char *prog, const char *a1, const char *a2, const char *a3,
    const char *a4)
{
	const char *argv[] = { tu_bin(prog), a1, a2, a3, a4, NULL };
	const char *env[] = { env_db, "IKE_SOCKET=/nonexistent/s.sock", NULL };
	struct tu_run r = { .argv = argv, .env = env };

	tu_result_free(&R);
	assert_int_equal(tu_run(&r, &R), 0);
	return R.status;
}

static int
run(const char *prog, const char *a1, const char *a2, const char *a3)
{
	return run4(prog, a1, a2, a3, NULL);
}

static int
setup(void **state)
{
	(void)state;
	if (tu_mkdtemp(dir, sizeof(dir), "ikedb") != 0)
		return -1;
	snprintf(dbdir, sizeof(dbdir), "%s/db", dir);
	snprintf(file, sizeof(file), "%s/vpn.xml", dir);
	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", dbdir);
	if (tu_write_file(file, xml) != 0)
		return -1;
	if (run("ikedb", "-p", file, NULL) != 0) {
		fprintf(stderr, "ikedb -p failed: %s", R.err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tu_result_free(&R);
	return tu_rmrf(dir);
}

static void
concise(void **state)
{
	(void)state;
	assert_int_equal(run("ike", "cmd=list", "db", NULL), 0);
	assert_string_equal(R.err, "");
	assert_string_equal(R.out, HEADER
	    "1      1       Dormant     192.0.2.1                       "
	    "198.51.100.7\n"
	    "2      1       Dormant     10.1.0.0-10.1.0.255             "
	    "10.2.0.0-10.2.0.255\n"
	    "2      2       Dormant     2001:db8:1::-2001:db8:1:ffff:ffff:ffff:"
	    "ffff:ffff offices\n"
	    "1      2       Dormant     gw.example.com                  "
	    "admin@branch.example.org\n"
	    "2      3       Dormant     192.0.2.1-192.0.2.1             "
	    "10.3.0.10-10.3.0.20\n");
	assert_int_equal(run4("ike", "cmd=list", "db", "phase=2", "numlist=3"),
	    0);
	assert_string_equal(R.out, HEADER
	    "1      2       Dormant     gw.example.com                  "
	    "admin@branch.example.org\n"
	    "2      3       Dormant     192.0.2.1-192.0.2.1             "
	    "10.3.0.10-10.3.0.20\n");
	assert_int_equal(run("ike", "cmd=list", "db", "numlist=2"), 0);
	assert_string_equal(R.out, HEADER
	    "1      2       Dormant     gw.example.com                  "
	    "admin@branch.example.org\n"
	    "2      3       Dormant     192.0.2.1-192.0.2.1             "
	    "10.3.0.10-10.3.0.20\n");
	assert_int_equal(run("ike", "cmd=list", "db", "phase=1"), 0);
	assert_string_equal(R.out, HEADER
	    "1      1       Dormant     192.0.2.1                       "
	    "198.51.100.7\n"
	    "1      2       Dormant     gw.example.com                  "
	    "admin@branch.example.org\n");
}

static void
verbose(void **state)
{
	static const char *const want[] = {
		"Name: branch\n",
		"Local Address: 192.0.2.1\nRemote Address: 203.0.113.9\n",
		"Protection: p1-v1\nIKE Version: 1\nProtection Role: "
		    "Initiator\nExchange Mode: Aggressive\nKey Overlap: 15 "
		    "minutes\nDefault Phase 2 Protection: _defIPSprot_dhcp\n"
		    "Default Allowed Types: Local_IPV4_Address "
		    "Remote_IPV4_Subnet Remote_IPV6_Address_Range\n",
		"Transform 1 Encryption: 3DES-CBC\nTransform 1 Hash: SHA\n"
		    "Transform 1 DH Group: 2\n",
		"Transform 1 Key Lifetime: 60 minutes\n",
		"Local Id Value: 2001:db8:1::/48\nLocal Protocol: tcp\n",
		"Remote Group Member: IPV4_Subnet 10.9.0.0/255.255.0.0\n"
		    "Remote Group Member: IPV4_Address 10.8.0.1\n"
		    "Remote Protocol: tcp\nRemote Port: 443\n",
		"Remote Id Type: IPV4_Address_Range\nRemote Id Value: "
		    "10.3.0.10-10.3.0.20\n",
		"Proposal 1: esp-gcm\nProposal 1 Transform 1 Protocol: ESP\n"
		    "Proposal 1 Transform 1 Encryption: AES-GCM-256\n",
		"Preshared Key: configured (not shown)\n",
	};
	size_t i;

	(void)state;
	assert_int_equal(run("ike", "cmd=list", "db", "verbose"), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(R.out, want[i]) == NULL)
			fail_msg("missing:\n%s\nin:\n%s", want[i], R.out);
	assert_null(strstr(R.out, "horse"));
	/* branch's remote has no key. */
	assert_non_null(strstr(strstr(R.out, "Name: branch\n"),
	    "Preshared Key: none\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concise),
		cmocka_unit_test(verbose),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_ike_ikedb: needs root (ike refuses "
		    "other users); failing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
