/* The other forms of `ike cmd=activate`, between two real isakmpd
 * processes in network namespaces (tun_util.c): by remote ID (an IP
 * address, a subnet naming a phase-2 definition, an FQDN compared by
 * meaning), by group (one tunnel per member: the responder's namespace
 * answers on two addresses), by ipaddr= for a definition whose remote
 * side has no address of its own, several phase-2 tunnels over one
 * phase 1 (the first in IKE_AUTH, the next by CREATE_CHILD_SA, both
 * Active on both sides under the same phase 1, with their definition
 * names on the responder), one the peer refuses listed Expired with its
 * reason, "already exists" on a repeat, and the
 * refusals (a remid or ipaddr naming nothing: the message, exit 3).
 * The listings are compared line by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/integration/tun_util.h"

#define HEAD	"Phase  Tun Id  Status      Local Id                        " \
		"Remote Id\n"

/* What every database holds: the protections. */
static const char prot_xml[] =
    "<IKEProtection IKE_ProtectionName=\"p1\" IKE_Version=\"2\">\n"
    "<IKETransform IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\""
    " IKE_DHGroup=\"19\" IKE_AuthenticationMethod=\"Preshared_Key\""
    " IKE_KeyRefreshMinutes=\"480\"/>\n</IKEProtection>\n"
    "<IPSecProposal IPSec_ProposalName=\"esp\">"
    "<IPSecESPProtocol ESP_Encryption=\"AES-GCM-256\""
    " ESP_Authentication=\"None\" ESP_EncapsulationMode=\"Tunnel\""
    " ESP_KeyRefreshMinutes=\"60\"/></IPSecProposal>\n"
    "<IPSecProtection IPSec_ProtectionName=\"q1\""
    " IPSec_ProposalRefs=\"esp\" IPSec_InitiatorDHGroup=\"19\"/>\n";

/* ikedb -p of the protections and body on side s. */
static void
put(struct tun_side *s, const char *body)
{
	char xml[8192];

	snprintf(xml, sizeof(xml), "<?xml version=\"1.0\"?>\n"
	    "<AIX_VPN Version=\"2.0\">\n%s%s</AIX_VPN>\n", prot_xml, body);
	tun_ikedb_put(s, "-p", xml);
}

/* IKETunnel name from local IPv4 address l to remote r, without the key
 * for r. */
static int
ike_tun_nokey(char *buf, size_t n, const char *name, const char *l,
    const char *r)
{
	return snprintf(buf, n,
	    "<IKETunnel IKE_TunnelName=\"%s\" IKE_ProtectionRef=\"p1\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"%s\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"%s\"/></IKERemoteIdentity>\n</IKETunnel>\n", name, l,
	    r);
}

/* The same with the key for r. */
static int
ike_tun(char *buf, size_t n, const char *name, const char *l, const char *r)
{
	return snprintf(buf, n,
	    "<IKETunnel IKE_TunnelName=\"%s\" IKE_ProtectionRef=\"p1\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"%s\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"%s\"/></IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"%s\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n", name, l, r, r);
}

/* IPSecTunnel name under t between the /24 subnets l and r. */
static int
ipsec_tun(char *buf, size_t n, const char *name, const char *t,
    const char *l, const char *r)
{
	return snprintf(buf, n, "<IPSecTunnel IPSec_TunnelName=\"%s\" "
	    "IKE_TunnelName=\"%s\" IPSec_ProtectionRef=\"q1\">"
	    "<IPSecLocalIdentity><IPV4_Subnet Value=\"%s\" "
	    "NetMask=\"255.255.255.0\"/></IPSecLocalIdentity>"
	    "<IPSecRemoteIdentity><IPV4_Subnet Value=\"%s\" "
	    "NetMask=\"255.255.255.0\"/></IPSecRemoteIdentity>"
	    "</IPSecTunnel>\n", name, t, l, r);
}

/* IPSecTunnel name under t from host address l to the subnet
 * 10.1.0.0/24. */
static int
host_tun(char *buf, size_t n, const char *name, const char *t, const char *l)
{
	return snprintf(buf, n, "<IPSecTunnel IPSec_TunnelName=\"%s\" "
	    "IKE_TunnelName=\"%s\" IPSec_ProtectionRef=\"q1\">"
	    "<IPSecLocalIdentity><IPV4_Address Value=\"%s\"/>"
	    "</IPSecLocalIdentity><IPSecRemoteIdentity><IPV4_Subnet "
	    "Value=\"10.1.0.0\" NetMask=\"255.255.255.0\"/>"
	    "</IPSecRemoteIdentity></IPSecTunnel>\n", name, t, l);
}

/* Runs ike with up to three arguments on s; expects status and, if not
 * NULL, exactly err on standard error. */
static void
ike_expect(struct tun_side *s, const char *a1, const char *a2,
    const char *a3, int status, const char *err)
{
	struct tu_result res;

	tun_ike(s, a1, a2, a3, NULL, &res);
	if (res.status != status)
		fprintf(stderr, "ike %s %s %s: exit %d: %s%s", a1, a2 ? a2 : "",
		    a3 ? a3 : "", res.status, res.out, res.err);
	assert_int_equal(res.status, status);
	if (err != NULL)
		assert_string_equal(res.err, err);
	tu_result_free(&res);
}

/* Waits until `ike cmd=list [arg]` on s prints exactly want. */
static void
expect_list(struct tun_side *s, const char *arg, const char *want)
{
	struct tu_result res;
	int i;

	for (i = 0; i < TUN_WAIT_STEPS; i++) {
		tun_ike(s, "cmd=list", arg, NULL, NULL, &res);
		assert_int_equal(res.status, 0);
		if (strcmp(res.out, want) == 0 || i == TUN_WAIT_STEPS - 1)
			break;
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	tu_same_lines(res.out, want);
	tu_result_free(&res);
}

static void
two_children_defs(struct tun_fx *f)
{
	char b[4096];
	int o;

	o = ike_tun(b, sizeof(b), "t1", "192.0.2.1", "192.0.2.2");
	o += ipsec_tun(b + o, sizeof(b) - (size_t)o, "s1", "t1", "10.1.0.0",
	    "10.2.0.0");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "s2", "t1", "10.11.0.0",
	    "10.12.0.0");
	put(&f->s[0], b);
	o = ike_tun(b, sizeof(b), "t1", "192.0.2.2", "192.0.2.1");
	o += ipsec_tun(b + o, sizeof(b) - (size_t)o, "s1", "t1", "10.2.0.0",
	    "10.1.0.0");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "s2", "t1", "10.12.0.0",
	    "10.11.0.0");
	put(&f->s[1], b);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);
}

static const char p1_a[] =
    "1      1       Active      192.0.2.1                       192.0.2.2\n";
static const char p1_b[] =
    "1      1       Active      192.0.2.2                       192.0.2.1\n";
static const char s1_a[] =
    "2      1       Active      10.1.0.0-10.1.0.255             "
    "10.2.0.0-10.2.0.255\n";
static const char s2_a[] =
    "2      2       Active      10.11.0.0-10.11.0.255           "
    "10.12.0.0-10.12.0.255\n";
static const char s1_b[] =
    "2      1       Active      10.2.0.0-10.2.0.255             "
    "10.1.0.0-10.1.0.255\n";
static const char s2_b[] =
    "2      2       Active      10.12.0.0-10.12.0.255           "
    "10.11.0.0-10.11.0.255\n";

/* phase=1 remid=<IP>: the phase-1 definition with that remote ID and
 * both its phase-2 definitions, the second by CREATE_CHILD_SA (with
 * PFS); a phase 2 named by its subnet started again over the running
 * phase 1; repeats and names of nothing refused. */
static void
test_remid_ip_two_children(void **state)
{
	struct tun_fx *f = *state;
	char want[1024], *out;

	two_children_defs(f);
	ike_expect(&f->s[0], "cmd=activate", "phase=1", "remid=192.0.2.2", 0,
	    "");
	snprintf(want, sizeof(want), HEAD "%s%s%s", p1_a, s1_a, s2_a);
	expect_list(&f->s[0], "phase=2", want);
	expect_list(&f->s[0], NULL, want);
	snprintf(want, sizeof(want), HEAD "%s%s%s", p1_b, s1_b, s2_b);
	expect_list(&f->s[1], "phase=2", want);
	out = tun_wait_list(&f->s[1], "verbose", "Definition: s2 (Tun Id 2)",
	    "PFS DH Group: 19", NULL);
	assert_non_null(strstr(out, "Definition: s1 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s2 (Tun Id 2)"));
	assert_non_null(strstr(out, "Phase 1 Tunnel: 1"));
	free(out);

	/* Again, by the same and by another form: already exists. */
	ike_expect(&f->s[0], "cmd=activate", "phase=1", "remid=192.0.2.2", 3,
	    "phase-1 tunnel 1 (t1) already exists\n");
	ike_expect(&f->s[0], "cmd=activate", "phase=2",
	    "remid=10.12.0.9,255.255.255.0", 3,
	    "phase-2 tunnel 2 (s2) already exists\n");
	ike_expect(&f->s[0], "cmd=activate", "remid=192.0.2.2", NULL, 3,
	    "phase-2 tunnel 1 (s1) already exists\n"
	    "phase-2 tunnel 2 (s2) already exists\n");

	/* s2 removed, then named by its remote subnet as a range: a new
	 * phase-2 tunnel over the same phase 1. */
	ike_expect(&f->s[0], "cmd=remove", "phase=2", "numlist=2", 0, NULL);
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a, s1_a);
	expect_list(&f->s[0], NULL, want);
	ike_expect(&f->s[0], "cmd=activate", "phase=2",
	    "remid=10.12.0.0,10.12.0.255", 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s"
	    "2      3       Active      10.11.0.0-10.11.0.255           "
	    "10.12.0.0-10.12.0.255\n", p1_a, s1_a);
	expect_list(&f->s[0], NULL, want);
	snprintf(want, sizeof(want), HEAD "%s%s"
	    "2      3       Active      10.12.0.0-10.12.0.255           "
	    "10.11.0.0-10.11.0.255\n", p1_b, s1_b);
	expect_list(&f->s[1], NULL, want);

	/* Names of nothing. */
	ike_expect(&f->s[0], "cmd=activate", "remid=192.0.2.9", NULL, 3,
	    "remid 192.0.2.9 matches no tunnel definition\n");
	ike_expect(&f->s[0], "cmd=activate", "phase=1",
	    "remid=10.12.0.0,255.255.255.0", 3, "remid "
	    "10.12.0.0,255.255.255.0 matches no phase-1 tunnel definition (a "
	    "subnet or an address range is a phase-2 identity)\n");
	ike_expect(&f->s[0], "cmd=activate", "phase=2", "remid=nogroup", 3,
	    "remid nogroup matches no phase-2 tunnel definition\n");

	tun_stop_both(f);
}

/* The peer has no definition for the second phase 2: the phase 1 and
 * the first phase 2 come up, the second (CREATE_CHILD_SA) is listed
 * Expired with the peer's answer; started again, it fails again. */
static void
test_second_child_refused(void **state)
{
	struct tun_fx *f = *state;
	char b[4096], want[1024], *out;
	int o;

	o = ike_tun(b, sizeof(b), "t1", "192.0.2.1", "192.0.2.2");
	o += ipsec_tun(b + o, sizeof(b) - (size_t)o, "s1", "t1", "10.1.0.0",
	    "10.2.0.0");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "s2", "t1", "10.11.0.0",
	    "10.12.0.0");
	put(&f->s[0], b);
	o = ike_tun(b, sizeof(b), "t1", "192.0.2.2", "192.0.2.1");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "s1", "t1", "10.2.0.0",
	    "10.1.0.0");
	put(&f->s[1], b);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);

	ike_expect(&f->s[0], "cmd=activate", "phase=1", "numlist=1", 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s"
	    "2      2       Expired     10.11.0.0-10.11.0.255           "
	    "10.12.0.0-10.12.0.255\n", p1_a, s1_a);
	expect_list(&f->s[0], NULL, want);
	out = tun_wait_list(&f->s[0], "verbose",
	    "Reason: TS_UNACCEPTABLE", NULL, NULL);
	assert_non_null(strstr(out, "Reason: TS_UNACCEPTABLE"));
	assert_non_null(strstr(out, "Definition: s2 (Tun Id 2)"));
	free(out);
	ike_expect(&f->s[0], "cmd=activate", "phase=2", "numlist=2", 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s"
	    "2      2       Expired     10.11.0.0-10.11.0.255           "
	    "10.12.0.0-10.12.0.255\n"
	    "2      3       Expired     10.11.0.0-10.11.0.255           "
	    "10.12.0.0-10.12.0.255\n", p1_a, s1_a);
	expect_list(&f->s[0], NULL, want);
	tun_stop_both(f);
}

/* remid=<FQDN> in another case with a trailing dot, both phases. */
static void
test_remid_fqdn(void **state)
{
	struct tun_fx *f = *state;
	char b[4096], want[1024];
	int o;

	o = snprintf(b, sizeof(b),
	    "<IKETunnel IKE_TunnelName=\"ta\" IKE_ProtectionRef=\"p1\" "
	    "IKE_LocalAddress=\"192.0.2.1\" IKE_RemoteAddress=\"192.0.2.2\">"
	    "<IKELocalIdentity><FQDN Value=\"a.example\"/></IKELocalIdentity>"
	    "<IKERemoteIdentity><FQDN Value=\"b.example\"/>"
	    "</IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID><FQDN "
	    "Value=\"b.example\"/></IKEPresharedRemoteID></IKEPresharedKey>\n");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "sa", "ta", "10.1.0.0",
	    "10.2.0.0");
	put(&f->s[0], b);
	o = snprintf(b, sizeof(b),
	    "<IKETunnel IKE_TunnelName=\"tb\" IKE_ProtectionRef=\"p1\" "
	    "IKE_LocalAddress=\"192.0.2.2\" IKE_RemoteAddress=\"192.0.2.1\">"
	    "<IKELocalIdentity><FQDN Value=\"b.example\"/></IKELocalIdentity>"
	    "<IKERemoteIdentity><FQDN Value=\"a.example\"/>"
	    "</IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID><FQDN "
	    "Value=\"a.example\"/></IKEPresharedRemoteID></IKEPresharedKey>\n");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "sb", "tb", "10.2.0.0",
	    "10.1.0.0");
	put(&f->s[1], b);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);

	ike_expect(&f->s[0], "cmd=activate", "remid=B.Example.", NULL, 0, "");
	snprintf(want, sizeof(want), HEAD
	    "1      1       Active      a.example                       "
	    "b.example\n%s", s1_a);
	expect_list(&f->s[0], NULL, want);
	snprintf(want, sizeof(want), HEAD
	    "1      1       Active      b.example                       "
	    "a.example\n%s", s1_b);
	expect_list(&f->s[1], NULL, want);
	ike_expect(&f->s[0], "cmd=activate", "phase=1", "remid=b.example", 3,
	    "phase-1 tunnel 1 (ta) already exists\n");
	ike_expect(&f->s[0], "cmd=activate", "remid=c.example", NULL, 3,
	    "remid c.example matches no tunnel definition\n");
	ike_expect(&f->s[0], "cmd=activate", "remid=admin@b.example", NULL, 3,
	    "remid admin@b.example matches no tunnel definition\n");
	tun_stop_both(f);
}

/* The responder's side answers on 192.0.2.2 and 192.0.2.3 with a
 * definition for each; the initiator's remote identity is the group of
 * both (a key for each member), and so is the remote identity of its
 * phase-2 definition: each tunnel protects the traffic to its member. */
static void
group_defs(struct tun_fx *f)
{
	char b[4096];
	int o;

	tun_addr_add(&f->s[1], "192.0.2.3/24");
	snprintf(b, sizeof(b),
	    "<IKEGroup IKE_GroupName=\"peers\"><IPV4_Address "
	    "Value=\"192.0.2.2\"/><IPV4_Address Value=\"192.0.2.3\"/>"
	    "</IKEGroup>\n"
	    "<IKETunnel IKE_TunnelName=\"tg\" IKE_ProtectionRef=\"p1\">"
	    "<IKELocalIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
	    "</IKELocalIdentity><IKERemoteIdentity><Group Value=\"peers\"/>"
	    "</IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.2\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n<IKEPresharedKey Value=\"k\">"
	    "<IKEPresharedRemoteID><IPV4_Address Value=\"192.0.2.3\"/>"
	    "</IKEPresharedRemoteID></IKEPresharedKey>\n"
	    "<IPSecTunnel IPSec_TunnelName=\"sg\" IKE_TunnelName=\"tg\" "
	    "IPSec_ProtectionRef=\"q1\"><IPSecLocalIdentity><IPV4_Subnet "
	    "Value=\"10.1.0.0\" NetMask=\"255.255.255.0\"/>"
	    "</IPSecLocalIdentity><IPSecRemoteIdentity><Group "
	    "Value=\"peers\"/></IPSecRemoteIdentity></IPSecTunnel>\n");
	put(&f->s[0], b);
	o = ike_tun(b, sizeof(b), "t2", "192.0.2.2", "192.0.2.1");
	o += ike_tun_nokey(b + o, sizeof(b) - (size_t)o, "t3", "192.0.2.3",
	    "192.0.2.1");
	o += host_tun(b + o, sizeof(b) - (size_t)o, "s2", "t2", "192.0.2.2");
	host_tun(b + o, sizeof(b) - (size_t)o, "s3", "t3", "192.0.2.3");
	put(&f->s[1], b);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);
}

static const char group_a[] = HEAD
    "1      1       Active      192.0.2.1                       192.0.2.2\n"
    "2      1       Active      10.1.0.0-10.1.0.255             "
    "192.0.2.2-192.0.2.2\n"
    "1      2       Active      192.0.2.1                       192.0.2.3\n"
    "2      2       Active      10.1.0.0-10.1.0.255             "
    "192.0.2.3-192.0.2.3\n";

/* The responder's listing: the two tunnels in the order their
 * negotiations ended, which the two members race for. */
static void
expect_group_b(struct tun_side *s)
{
	static const char *const member[2] = { "192.0.2.2", "192.0.2.3" };
	char want[2][1024];
	struct tu_result res;
	int i, k, o;

	for (k = 0; k < 2; k++) {
		o = snprintf(want[k], sizeof(want[k]), HEAD);
		for (i = 0; i < 2; i++)
			o += snprintf(want[k] + o, sizeof(want[k]) - (size_t)o,
			    "1      %d       Active      %s                "
			    "       192.0.2.1\n"
			    "2      %d       Active      %s-%s             "
			    "10.1.0.0-10.1.0.255\n", i + 1, member[i ^ k],
			    i + 1, member[i ^ k], member[i ^ k]);
	}
	for (i = 0; i < TUN_WAIT_STEPS; i++) {
		tun_ike(s, "cmd=list", NULL, NULL, NULL, &res);
		assert_int_equal(res.status, 0);
		if (strcmp(res.out, want[0]) == 0 ||
		    strcmp(res.out, want[1]) == 0 || i == TUN_WAIT_STEPS - 1)
			break;
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	if (strcmp(res.out, want[1]) != 0)
		tu_same_lines(res.out, want[0]);
	tu_result_free(&res);
}

static void
test_remid_group(void **state)
{
	struct tun_fx *f = *state;
	char *out;

	group_defs(f);
	ike_expect(&f->s[0], "cmd=activate", "remid=peers", NULL, 0, "");
	expect_list(&f->s[0], NULL, group_a);
	expect_group_b(&f->s[1]);
	out = tun_wait_list(&f->s[1], "verbose", "Definition: t3 (Tun Id 2)",
	    NULL, NULL);
	assert_non_null(strstr(out, "Definition: t2 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s2 (Tun Id 1)"));
	assert_non_null(strstr(out, "Definition: s3 (Tun Id 2)"));
	free(out);

	/* Each member once: again, and one member by its address. */
	ike_expect(&f->s[0], "cmd=activate", "remid=peers", NULL, 3,
	    "phase-2 tunnel 1 (sg) already exists\n"
	    "phase-2 tunnel 1 (sg) already exists\n");
	ike_expect(&f->s[0], "cmd=activate", "phase=1", "remid=192.0.2.3", 3,
	    "phase-1 tunnel 1 (tg) already exists\n");
	expect_list(&f->s[0], NULL, group_a);
	tun_stop_both(f);
}

/* ipaddr=: a definition whose remote identity is an FQDN without an
 * address of its own is negotiated with the destination as the peer. */
static void
test_ipaddr(void **state)
{
	struct tun_fx *f = *state;
	char b[4096], want[1024];
	int o;

	o = snprintf(b, sizeof(b),
	    "<IKETunnel IKE_TunnelName=\"ta\" IKE_ProtectionRef=\"p1\">"
	    "<IKELocalIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
	    "</IKELocalIdentity><IKERemoteIdentity><FQDN "
	    "Value=\"b.example\"/></IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID><FQDN "
	    "Value=\"b.example\"/></IKEPresharedRemoteID></IKEPresharedKey>\n");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "sa", "ta", "10.1.0.0",
	    "10.2.0.0");
	put(&f->s[0], b);
	o = snprintf(b, sizeof(b),
	    "<IKETunnel IKE_TunnelName=\"tb\" IKE_ProtectionRef=\"p1\" "
	    "IKE_LocalAddress=\"192.0.2.2\">"
	    "<IKELocalIdentity><FQDN Value=\"b.example\"/></IKELocalIdentity>"
	    "<IKERemoteIdentity><IPV4_Address Value=\"192.0.2.1\"/>"
	    "</IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID><IPV4_Address "
	    "Value=\"192.0.2.1\"/></IKEPresharedRemoteID></IKEPresharedKey>\n");
	ipsec_tun(b + o, sizeof(b) - (size_t)o, "sb", "tb", "10.2.0.0",
	    "10.1.0.0");
	put(&f->s[1], b);
	tun_daemon_start(&f->s[0]);
	tun_daemon_start(&f->s[1]);

	ike_expect(&f->s[0], "cmd=activate", "phase=2",
	    "ipaddr=192.0.2.1,192.0.2.2", 0, "");
	snprintf(want, sizeof(want), HEAD
	    "1      1       Active      192.0.2.1                       "
	    "b.example\n%s", s1_a);
	expect_list(&f->s[0], NULL, want);
	snprintf(want, sizeof(want), HEAD
	    "1      1       Active      b.example                       "
	    "192.0.2.1\n%s", s1_b);
	expect_list(&f->s[1], NULL, want);
	ike_expect(&f->s[0], "cmd=activate", "phase=1",
	    "ipaddr=192.0.2.1,192.0.2.2", 3,
	    "phase-1 tunnel 1 (ta) already exists\n");
	ike_expect(&f->s[0], "cmd=activate", "phase=2",
	    "ipaddr=192.0.2.5,192.0.2.2", 3, "ipaddr=192.0.2.5,192.0.2.2: "
	    "no phase-2 tunnel definition applies between these addresses\n");
	ike_expect(&f->s[0], "cmd=activate", "ipaddr=192.0.2.1,192.0.2.2",
	    "numlist=1", 3, NULL);
	tun_stop_both(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_remid_ip_two_children,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_second_child_refused,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_remid_fqdn, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_remid_group, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_ipaddr, tun_setup,
		    tun_teardown),
	};

	if (tun_check_env("test_tunnels_activate") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
