/* The ikedb program in every mode, on scratch databases: put, get (with
 * selections, -r and -k), delete, clear, the DTD, swapping, entity files,
 * preshared keys kept with Value="*", tunnel numbers kept by -F, the
 * examples, usage errors and system errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glob.h>

#include "db/db.h"
#include "ikt.h"

#define HEAD	"<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
#define TAIL	"</AIX_VPN>\n"
#define EMPTY_DOC HEAD TAIL

static struct ikt t;

static int
setup(void **state)
{
	(void)state;
	ikt_init(&t);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ikt_fini(&t);
	return 0;
}

static void
has(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("[%s] lacks [%s]", hay, needle);
}

static void
lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("[%s] has [%s]", hay, needle);
}

/* Runs ikedb and checks the exit status; returns standard output. */
static char *
run_ok_v(const char *const *args)
{
	struct tu_result r;

	ikt_runv(&t, NULL, &r, args);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_string_equal(r.err, "");
	free(r.err);
	return r.out;
}

/* Runs ikedb expecting a failure with this status; returns stderr. */
static char *
run_fail_v(int status, const char *const *args)
{
	struct tu_result r;

	ikt_runv(&t, NULL, &r, args);
	if (r.status != status)
		fail_msg("exit %d, not %d: %s", r.status, status, r.err);
	assert_string_equal(r.out, "");
	free(r.out);
	return r.err;
}

#define run_ok(...)	run_ok_v((const char *const[]){ __VA_ARGS__, NULL })
#define run_fail(st, ...) \
	run_fail_v(st, (const char *const[]){ __VA_ARGS__, NULL })

static void
put_data(const char *name)
{
	char *s = ikt_data(name);

	ikt_put(&t, "-p", s);
	free(s);
}

/* The example of docs/ikedb-xml.md, cut out of the document. */
static char *
doc_example(void)
{
	char *md = tu_read_file(IKE_DOCS_DIR "/ikedb-xml.md", NULL), *s, *e;

	assert_non_null(md);
	s = strstr(md, "## A complete example");
	assert_non_null(s);
	s = strstr(s, "```xml\n");
	assert_non_null(s);
	s += 7;
	e = strstr(s, "```");
	assert_non_null(e);
	*e = '\0';
	memmove(md, s, strlen(s) + 1);
	return md;
}

/* ------------------------------------------------------------- put/get */

static void
doc_example_loads_and_prints(void **state)
{
	char *ex = doc_example(), *want = ikt_data("example.xml"), *out;
	struct tu_result r;

	(void)state;
	ikt_run(&t, ex, &r, "-p", NULL);	/* from standard input */
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	tu_result_free(&r);
	out = run_ok("-g");
	assert_string_equal(out, want);
	free(out);
	out = run_ok("-g", "-k");
	has(out, "Value=\"correct horse battery staple\" Format=\"ASCII\"");
	free(out);
	free(ex);
	free(want);
}

/* Every element and attribute, none at its default: what is put is what
 * is printed, and that loads into an empty database unchanged. */
static void
full_round_trip(void **state)
{
	char *full = ikt_data("full.xml"), *d1, *d2;
	struct ikt t2;

	(void)state;
	ikt_put(&t, "-p", full);
	d1 = ikt_dump(&t);
	assert_string_equal(d1, full);
	ikt_init(&t2);
	ikt_put(&t2, "-p", d1);
	d2 = ikt_dump(&t2);
	assert_string_equal(d2, d1);
	ikt_fini(&t2);
	free(full);
	free(d1);
	free(d2);
}

/* Spellings other than the canonical ones are read and printed in the
 * canonical form. */
static void
canonical_spellings(void **state)
{
	char *out;

	(void)state;
	ikt_put(&t, "-p", HEAD
	    "<IKEProtection IKE_ProtectionName=\"p\" IKE_Version=\"2\" "
	    "IKE_Role=\"RESPONDER\"><IKETransform IKE_Encryption=\"aes-gcm-128\""
	    " IKE_Hash=\"hmac-sha1\" IKE_PRF=\"prf_sha2_256\" "
	    "IKE_AuthenticationMethod=\"rsa_signature\"/></IKEProtection>\n"
	    "<IPSecProposal IPSec_ProposalName=\"x\"><IPSecESPProtocol "
	    "ESP_Encryption=\"ESP_3DES\" ESP_Authentication=\"HMAC-SHA1\" "
	    "ESP_ExtendedSeqNum=\"yes\"/><IPSecAHProtocol AH_Authentication="
	    "\"aes-xcbc-mac-96\" AH_EncapsulationMode=\"TRANSPORT\"/>"
	    "</IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"y\" IPSec_ProposalRefs="
	    "\" x \" IPSec_InitiatorDHGroup=\"no_pfs\" IPSec_ResponderDHGroup="
	    "\"0\"/>\n" TAIL);
	out = ikt_dump(&t);
	has(out, "IKE_Version=\"2\" IKE_Role=\"Responder\" IKE_KeyOverlap");
	has(out, "IKE_Encryption=\"AES-GCM-128\" IKE_Hash=\"SHA\" IKE_PRF="
	    "\"PRF-SHA2-256\" IKE_DHGroup=\"14\" IKE_AuthenticationMethod="
	    "\"RSA_Signature\"");
	has(out, "ESP_Encryption=\"3DES-CBC\" ESP_Authentication=\"HMAC-SHA\"");
	has(out, "ESP_ExtendedSeqNum=\"Yes\"");
	has(out, "AH_Authentication=\"AES-XCBC\" AH_EncapsulationMode="
	    "\"Transport\"");
	has(out, "IPSec_ProposalRefs=\"x\" IPSec_Role=\"Both\" "
	    "IPSec_InitiatorDHGroup=\"0\" IPSec_ResponderDHGroup=\"NO_PFS\"");
	free(out);
}

/* ECDSA_Signature loads for IKEv1 too (RFC 4754 methods 9-11 in Main
 * and Aggressive Mode), with IKE_Version given or by default, and is
 * stored and printed as given next to an RSA transform. */
static void
ecdsa_on_v1_loads(void **state)
{
	char *out;

	(void)state;
	ikt_put(&t, "-p", HEAD
	    "<IKEProtection IKE_ProtectionName=\"e1\" IKE_Version=\"1\" "
	    "IKE_XCHGMode=\"Main\"><IKETransform IKE_Encryption=\"AES-CBC-256\""
	    " IKE_Hash=\"SHA2-256\" IKE_DHGroup=\"19\" "
	    "IKE_AuthenticationMethod=\"ECDSA_Signature\"/><IKETransform "
	    "IKE_AuthenticationMethod=\"RSA_Signature\"/></IKEProtection>\n"
	    "<IKEProtection IKE_ProtectionName=\"e2\" IKE_XCHGMode="
	    "\"Aggressive\"><IKETransform IKE_AuthenticationMethod="
	    "\"ecdsa_signature\"/></IKEProtection>\n" TAIL);
	out = ikt_dump(&t);
	has(out, "IKE_ProtectionName=\"e1\" IKE_Version=\"1\" IKE_Role="
	    "\"Both\" IKE_XCHGMode=\"Main\"");
	has(out, "IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\" "
	    "IKE_DHGroup=\"19\" IKE_AuthenticationMethod=\"ECDSA_Signature\"");
	has(out, "IKE_DHGroup=\"14\" IKE_AuthenticationMethod=\"RSA_Signature\"");
	has(out, "IKE_ProtectionName=\"e2\" IKE_Version=\"1\" IKE_Role="
	    "\"Both\" IKE_XCHGMode=\"Aggressive\"");
	assert_non_null(strstr(strstr(out, "\"e2\""),
	    "IKE_AuthenticationMethod=\"ECDSA_Signature\""));
	free(out);
}

/* References may point forward in the file or into the database. */
static void
references_forward_and_stored(void **state)
{
	char *out;

	(void)state;
	ikt_put(&t, "-p", HEAD
	    "<IPSecProtection IPSec_ProtectionName=\"p2\" IPSec_ProposalRefs="
	    "\"later\"/>\n<IPSecProposal IPSec_ProposalName=\"later\">"
	    "<IPSecAHProtocol/></IPSecProposal>\n" TAIL);
	ikt_put(&t, "-p", HEAD
	    "<IPSecProtection IPSec_ProtectionName=\"p3\" IPSec_ProposalRefs="
	    "\"later\"/>\n" TAIL);
	out = ikt_dump(&t);
	has(out, "IPSec_ProtectionName=\"p3\" IPSec_ProposalRefs=\"later\"");
	free(out);
}

static void
keys_hidden_without_k(void **state)
{
	char *out;

	(void)state;
	put_data("full.xml");
	out = run_ok("-g");
	lacks(out, "another key");
	lacks(out, "00112233aabbccdd");
	lacks(out, "s3cret");
	has(out, "<IKEPresharedKey Value=\"*\" Format=\"ASCII\">");
	has(out, "<IKEPresharedKey Value=\"*\" Format=\"Hex\">");
	free(out);
	out = run_ok("-g", "-k", "-t", "IKEPresharedKey");
	has(out, "Value=\"another key\"");
	has(out, "Value=\"00112233aabbccdd\" Format=\"Hex\"");
	free(out);
}

/* Value="*" keeps the stored key (and its format); ikedb -g's output can
 * be edited and put back with -F without knowing the keys. */
static void
star_keeps_stored_key(void **state)
{
	char *out, *hidden;

	(void)state;
	put_data("full.xml");
	hidden = run_ok("-g");
	ikt_put(&t, "-pF", hidden);
	out = ikt_dump(&t);
	has(out, "Value=\"another key\" Format=\"ASCII\"");
	has(out, "Value=\"00112233aabbccdd\" Format=\"Hex\"");
	free(out);
	ikt_put(&t, "-pF", HEAD "<IKEPresharedKey Value=\"*\" Format=\"Hex\">"
	    "<IKEPresharedRemoteID><IPV4_Address Value=\"203.0.113.9\"/>"
	    "</IKEPresharedRemoteID></IKEPresharedKey>\n" TAIL);
	out = ikt_dump(&t);
	has(out, "Value=\"another key\" Format=\"ASCII\"");
	free(out);
	free(hidden);
}

static unsigned
tunnel_num(enum db_type type, const char *name)
{
	struct db *db;
	struct db_txn *txn;
	struct db_obj *o = calloc(1, sizeof(*o));
	char err[256];
	unsigned num;

	assert_non_null(o);
	assert_int_equal(db_open(t.db, DB_OPEN_RDONLY, &db, err,
	    sizeof(err)), 0);
	assert_int_equal(db_read_begin(db, &txn), 0);
	assert_int_equal(db_get(txn, type, name, o), 0);
	num = type == DB_T_IKE_TUNNEL ? o->u.ike_tun.num : o->u.ipsec_tun.num;
	db_abort(txn);
	db_close(db);
	free(o);
	return num;
}

#define TUNNEL(name, autostart)						\
	"<IKETunnel IKE_TunnelName=\"" name "\" IKE_ProtectionRef=\"p\" "	\
	"IKE_Flags_AutoStart=\"" autostart "\"><IKELocalIdentity>"	\
	"<IPV4_Address Value=\"192.0.2.1\"/></IKELocalIdentity>"		\
	"<IKERemoteIdentity><FQDN Value=\"" name ".example\"/>"		\
	"</IKERemoteIdentity></IKETunnel>\n"

static void
replace_keeps_tunnel_numbers(void **state)
{
	const char *f;
	char *out, *err;

	(void)state;
	ikt_put(&t, "-p", HEAD "<IKEProtection IKE_ProtectionName=\"p\">"
	    "<IKETransform/></IKEProtection>\n" TUNNEL("a", "No")
	    TUNNEL("b", "No") TAIL);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "a"), 1);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "b"), 2);
	f = ikt_file(&t, "in2.xml", HEAD TUNNEL("c", "No") TUNNEL("a", "Yes")
	    TAIL);
	err = run_fail(1, "-p", f);
	has(err, "in2.xml:4: IKETunnel: IKE_TunnelName=\"a\": already in the "
	    "database (-F replaces it)");
	free(err);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "a"), 1);
	ikt_put(&t, "-pF", HEAD TUNNEL("c", "No") TUNNEL("a", "Yes") TAIL);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "a"), 1);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "b"), 2);
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "c"), 3);
	out = run_ok("-g", "-t", "IKETunnel", "-n", "a");
	has(out, "IKE_TunnelName=\"a\" IKE_ProtectionRef=\"p\" "
	    "IKE_Flags_AutoStart=\"Yes\"");
	free(out);
}

/* -s: a peer's export becomes ours. */
static void
swap_local_remote(void **state)
{
	char *v1 = tu_read_file(IKE_EXAMPLES_DIR "/site-to-site-v1.xml", NULL);
	char *v2 = tu_read_file(IKE_EXAMPLES_DIR "/site-to-site-v2.xml", NULL);
	char *out;

	(void)state;
	assert_non_null(v1);
	assert_non_null(v2);
	ikt_put(&t, "-ps", v1);
	ikt_put(&t, "-ps", v2);
	out = ikt_dump(&t);
	has(out, "IKE_TunnelName=\"s2s-v1-partner\" IKE_ProtectionRef="
	    "\"s2s-v1-ike\" IKE_Flags_AutoStart=\"No\" IKE_LocalAddress="
	    "\"203.0.113.20\" IKE_RemoteAddress=\"192.0.2.1\">\n"
	    "    <IKELocalIdentity>\n"
	    "      <FQDN Value=\"gw.partner.example\"/>\n"
	    "    </IKELocalIdentity>\n"
	    "    <IKERemoteIdentity>\n"
	    "      <FQDN Value=\"vpn.example.com\"/>\n");
	has(out, "IPSec_TunnelName=\"s2s-v2-web\" IKE_TunnelName="
	    "\"s2s-v2-branch\" IPSec_ProtectionRef=\"s2s-v2-pfs\" "
	    "IPSec_Flags_AutoStart=\"No\" IPSec_Flags_OnDemand=\"Yes\">\n"
	    "    <IPSecLocalIdentity Protocol=\"tcp\" Port=\"8443\" "
	    "EndPort=\"8444\">\n"
	    "      <IPV4_Address_Range From=\"10.2.0.80\" To=\"10.2.0.89\"/>\n"
	    "    </IPSecLocalIdentity>\n"
	    "    <IPSecRemoteIdentity Protocol=\"tcp\" Port=\"0\">\n"
	    "      <IPV4_Subnet Value=\"10.1.0.0\" NetMask=\"255.255.255.0\"/>");
	/* The keys stay with the identities they were given for. */
	has(out, "<IKEPresharedKey Value=\"5c2a9e0f41d37b86a0e2c4f81b9d6e37\" "
	    "Format=\"Hex\">\n    <IKEPresharedRemoteID>\n      "
	    "<FQDN Value=\"gw.partner.example\"/>");
	free(out);
	free(v1);
	free(v2);
}

/* -e: entities from a file, one of them a file of its own. */
static void
entity_file(void **state)
{
	const char *ent, *doc;
	char *out;

	(void)state;
	ikt_file(&t, "tunnel.part",
	    "<IKETunnel IKE_TunnelName=\"t\" IKE_ProtectionRef=\"p\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"&me;\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"198.51.100.7\"/></IKERemoteIdentity>\n</IKETunnel>\n");
	ent = ikt_file(&t, "defs.ent", "<?xml version=\"1.0\" encoding="
	    "\"UTF-8\"?>\n"
	    "<!-- site definitions -->\n<!ENTITY me \"192.0.2.1\">\n"
	    "<!ENTITY prot '<IKEProtection IKE_ProtectionName=\"p\">"
	    "<IKETransform/></IKEProtection>'>\n"
	    "<!ENTITY tunnel SYSTEM \"tunnel.part\">\n");
	/* An external DOCTYPE is ignored; the entities still apply. */
	doc = ikt_file(&t, "main.xml", "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE AIX_VPN SYSTEM \"/nonexistent/ike.dtd\">\n"
	    "<AIX_VPN Version=\"2.0\">\n&prot;\n&tunnel;\n</AIX_VPN>\n");
	out = run_ok("-p", "-e", ent, doc);
	free(out);
	out = ikt_dump(&t);
	has(out, "<IKEProtection IKE_ProtectionName=\"p\"");
	has(out, "<IKELocalIdentity>\n      <IPV4_Address Value=\"192.0.2.1\"");
	free(out);
}

static void
external_doctype_ignored(void **state)
{
	char *out;

	(void)state;
	ikt_put(&t, "-p", "<?xml version=\"1.0\"?>\n<!DOCTYPE AIX_VPN SYSTEM "
	    "\"ike.dtd\">\n<AIX_VPN Version=\"2.0\"/>\n");
	out = ikt_dump(&t);
	assert_string_equal(out, EMPTY_DOC);
	free(out);
}

/* ------------------------------------------------------------ selection */

static void
get_selections(void **state)
{
	char *out;

	(void)state;
	put_data("full.xml");
	out = run_ok("-g", "-t", "iketunnel");
	has(out, "IKE_TunnelName=\"t-v1\"");
	has(out, "IKE_TunnelName=\"t-addr\"");
	lacks(out, "<IKEProtection");
	lacks(out, "<IPSecTunnel");
	free(out);
	out = run_ok("-g", "-t", "IPSecTunnel", "-n", "host-v1");
	has(out, "IPSec_TunnelName=\"host-v1\"");
	lacks(out, "IPSec_TunnelName=\"lan-v1\"");
	lacks(out, "<IKETunnel");
	free(out);
	out = run_ok("-g", "-t", "IKETunnel", "-i", "vpn@peer.example.net",
	    "-y", "User_FQDN");
	has(out, "IKE_TunnelName=\"t-v1\"");
	lacks(out, "IKE_TunnelName=\"t-addr\"");
	free(out);
	out = run_ok("-g", "-t", "IPSecTunnel", "-i", "10.2.0.0,255.255.254.0",
	    "-y", "ipv4_subnet");
	has(out, "IPSec_TunnelName=\"lan-v1\"");
	lacks(out, "IPSec_TunnelName=\"host-v1\"");
	free(out);
	out = run_ok("-gk", "-t", "IKEPresharedKey", "-i", "DEADBEEF01", "-y",
	    "KEY_ID");
	has(out, "Value=\"00112233aabbccdd\" Format=\"Hex\"");
	lacks(out, "another key");
	free(out);
}

/* -r: everything the selection refers to, so the output loads by
 * itself into an empty database. */
static void
get_recursive(void **state)
{
	char *out, *out2;
	struct ikt t2;

	(void)state;
	put_data("full.xml");
	out = run_ok("-grk", "-t", "IPSecTunnel", "-n", "host-v1");
	has(out, "IPSec_TunnelName=\"host-v1\"");
	has(out, "IKE_TunnelName=\"t-addr\" IKE_ProtectionRef=\"p1-v1\"");
	has(out, "IKE_ProtectionName=\"p1-v1\"");
	has(out, "IPSec_ProtectionName=\"p2\"");
	has(out, "IPSec_ProposalName=\"esp-null\"");
	has(out, "Value=\"another key\"");	/* the key of t-addr's peer */
	lacks(out, "IPSec_ProposalName=\"mix\"");
	lacks(out, "IKE_TunnelName=\"t-v1\"");
	lacks(out, "<IKEGroup");
	ikt_init(&t2);
	ikt_put(&t2, "-p", out);
	out2 = ikt_dump(&t2);
	assert_string_equal(out2, out);
	ikt_fini(&t2);
	free(out);
	free(out2);
	out = run_ok("-gr", "-t", "IKETunnel", "-n", "t-v2");
	has(out, "<IKEGroup IKE_GroupName=\"roadwarriors\">");
	has(out, "IPSec_ProtectionName=\"_defIPSprot_dhcp\"");
	has(out, "IPSec_ProposalName=\"mix\"");
	lacks(out, "<IPSecTunnel");
	free(out);
}

static void
get_missing(void **state)
{
	char *out, *err;

	(void)state;
	out = run_ok("-g");	/* no database */
	assert_string_equal(out, EMPTY_DOC);
	free(out);
	out = run_ok("-g", "-t", "IKETunnel");
	assert_string_equal(out, EMPTY_DOC);
	free(out);
	err = run_fail(1, "-g", "-t", "IKETunnel", "-n", "x");
	assert_string_equal(err, "ikedb: no IKETunnel named \"x\"\n");
	free(err);
	put_data("full.xml");
	err = run_fail(1, "-g", "-t", "IKEGroup", "-n", "nobody");
	assert_string_equal(err, "ikedb: no IKEGroup named \"nobody\"\n");
	free(err);
	err = run_fail(1, "-g", "-t", "IKEPresharedKey", "-i", "10.0.0.1",
	    "-y", "IPV4_Address");
	assert_string_equal(err, "ikedb: no IKEPresharedKey for "
	    "IPV4_Address:10.0.0.1\n");
	free(err);
}

/* -------------------------------------------------------- delete, clear */

static void
delete_with_references(void **state)
{
	struct ikt_snap snap;
	char *err, *out;

	(void)state;
	put_data("full.xml");
	ikt_snap_take(&t, &snap);
	err = run_fail(1, "-d", "-t", "IKEProtection", "-n", "p1-v1");
	assert_string_equal(err, "ikedb: cannot delete IKEProtection "
	    "\"p1-v1\": IKETunnel \"t-v1\" refers to it (IKE_ProtectionRef)\n");
	free(err);
	err = run_fail(1, "-d", "-t", "IPSecProposal");
	has(err, "refers to it (IPSec_ProposalRefs)");
	free(err);
	err = run_fail(1, "-d", "-t", "IKEGroup", "-n", "nobody");
	assert_string_equal(err, "ikedb: no IKEGroup named \"nobody\"\n");
	free(err);
	ikt_snap_same(&t, &snap);
	/* Without its referrers it goes. */
	free(run_ok("-d", "-t", "IPSecTunnel", "-n", "host-v1"));
	free(run_ok("-d", "-t", "IKETunnel", "-i", "203.0.113.9", "-y",
	    "IPV4_Address"));
	free(run_ok("-d", "-t", "IKEPresharedKey", "-i", "203.0.113.9", "-y",
	    "IPV4_Address"));
	out = ikt_dump(&t);
	lacks(out, "host-v1");
	lacks(out, "t-addr");
	lacks(out, "another key");
	has(out, "IKE_TunnelName=\"t-v1\"");
	free(out);
	/* A whole type. */
	free(run_ok("-d", "-t", "IPSecTunnel"));
	out = ikt_dump(&t);
	lacks(out, "<IPSecTunnel");
	has(out, "<IPSecProtection");
	free(out);
}

static void
clear_everything(void **state)
{
	char *out;

	(void)state;
	put_data("full.xml");
	free(run_ok("-x"));
	out = ikt_dump(&t);
	assert_string_equal(out, EMPTY_DOC);
	free(out);
	/* Numbering starts again at 1. */
	put_data("full.xml");
	assert_int_equal(tunnel_num(DB_T_IKE_TUNNEL, "t-v1"), 1);
	assert_int_equal(tunnel_num(DB_T_IPSEC_TUNNEL, "lan-v2"), 1);
}

static void
dtd_printed(void **state)
{
	char *out = run_ok("-o");

	(void)state;
	assert_memory_equal(out, "<!--", 4);
	has(out, "<!ELEMENT AIX_VPN (IKEProtection|IKETunnel|IKEPresharedKey|"
	    "IKEGroup|IPSecProposal|IPSecProtection|IPSecTunnel)*>");
	has(out, "<!ELEMENT IKETunnel (IKELocalIdentity, IKERemoteIdentity)>");
	free(out);
}

/* The examples load one by one and all together, as ci/demo.sh does. */
static void
examples_load(void **state)
{
	glob_t g;
	size_t i;
	char *out;

	(void)state;
	assert_int_equal(glob(IKE_EXAMPLES_DIR "/*.xml", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 3);
	for (i = 0; i < g.gl_pathc; i++)
		free(run_ok("-p", g.gl_pathv[i]));
	out = ikt_dump(&t);
	has(out, "IKE_TunnelName=\"s2s-v1-partner\"");
	has(out, "IKE_TunnelName=\"s2s-v2-branch\"");
	has(out, "IKE_GroupName=\"users-staff\"");
	free(out);
	globfree(&g);
}

/* ------------------------------------------------------ command line */

static const char *const usage_cases[][6] = {
	{ NULL },				/* no mode */
	{ "-p", "-g" },				/* two modes */
	{ "-pg" },
	{ "-g", "-F" },				/* F without p */
	{ "-gs" },
	{ "-p", "-r" },				/* r, k without g */
	{ "-d", "-k", "-t", "IKETunnel" },
	{ "-x", "-t", "IKETunnel" },		/* selection without g, d */
	{ "-o", "-n", "x" },
	{ "-d" },				/* -d needs -t */
	{ "-d", "-n", "x" },
	{ "-g", "-n", "x" },			/* -n needs -t */
	{ "-g", "-t", "IKETunnel", "-n", "x", "-i" },	/* missing argument */
	{ "-g", "-t", "IKETunnel", "-i", "1.2.3.4" },	/* -i without -y */
	{ "-g", "-t", "IKETunnel", "-y", "IPV4_Address" },
	{ "-g", "-t", "Tunnel" },		/* no such type */
	{ "-g", "-t", "IKEGroup", "-i", "1.2.3.4", "-y" },
	{ "-g", "-t", "IKEPresharedKey", "-n", "k" },
	{ "-g", "-t", "IKETunnel", "-i", "1.2.3", "-y", },
	{ "-g", "-z" },				/* unknown option */
	{ "-x", "file.xml" },			/* file without p */
	{ "-p", "a.xml", "b.xml" },
	{ "-e", "x.ent" },
};

static void
usage_errors(void **state)
{
	struct tu_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(usage_cases) / sizeof(usage_cases[0]); i++) {
		const char *const *a = usage_cases[i];

		ikt_run(&t, "", &r, a[0], a[1], a[2], a[3], a[4], a[5], NULL);
		if (r.status != 1 || strncmp(r.err, "ikedb: ", 7) != 0 ||
		    strstr(r.err, "usage: ikedb -p[F][s]") == NULL)
			fail_msg("case %zu: exit %d: %s", i, r.status, r.err);
		assert_string_equal(r.out, "");
		tu_result_free(&r);
	}
	/* With -y given, a bad identity names itself. */
	ikt_run(&t, NULL, &r, "-g", "-t", "IKETunnel", "-i", "1.2.3", "-y",
	    "IPV4_Address", NULL);
	assert_int_equal(r.status, 1);
	has(r.err, "ikedb: -i 1.2.3: not an IPv4 address\n");
	tu_result_free(&r);
}

static void
input_errors(void **state)
{
	struct tu_result r;
	char *err;

	(void)state;
	err = run_fail(1, "-p", "/nonexistent/file.xml");
	assert_string_equal(err, "ikedb: /nonexistent/file.xml: No such file "
	    "or directory\n");
	free(err);
	err = run_fail(1, "-p", "-e", "/nonexistent/x.ent", "f");
	has(err, "/nonexistent/x.ent: No such file or directory");
	free(err);
	/* Standard input is named in messages. */
	ikt_run(&t, HEAD "<Bogus/>\n" TAIL, &r, "-p", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "ikedb: (stdin):3: Bogus: unknown element "
	    "(inside AIX_VPN)\n");
	tu_result_free(&r);
}

/* A database that cannot be used is a system error: exit 2. */
static void
system_errors(void **state)
{
	char path[400], *err;

	(void)state;
	/* The database directory is a file. */
	assert_int_equal(tu_write_file(t.db, "not a directory\n"), 0);
	err = run_fail(2, "-x");
	has(err, "ikedb: ");
	free(err);
	ikt_file(&t, "in.xml", EMPTY_DOC);
	snprintf(path, sizeof(path), "%s/in.xml", t.dir);
	err = run_fail(2, "-p", path);
	free(err);
	/* A damaged data file. */
	assert_int_equal(remove(t.db), 0);
	put_data("full.xml");
	snprintf(path, sizeof(path), "%s/data.mdb", t.db);
	assert_int_equal(tu_write_file(path, "garbage, not an LMDB file, "
	    "long enough to be read as a meta page?"), 0);
	err = run_fail(2, "-g");
	has(err, "ikedb: ");
	free(err);
}

#ifdef __linux__
/* Standard output on a full disk (Linux has /dev/full). */
static void
output_errors(void **state)
{
	char cmd[600];
	const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	const char *env[] = { t.env, NULL };
	struct tu_run r = { .argv = argv, .env = env };
	struct tu_result res;

	(void)state;
	put_data("full.xml");
	snprintf(cmd, sizeof(cmd), "exec '%s' -g >/dev/full", tu_bin("ikedb"));
	assert_int_equal(tu_run(&r, &res), 0);
	assert_int_equal(res.status, 2);
	assert_string_equal(res.err, "ikedb: standard output: No space left "
	    "on device\n");
	tu_result_free(&res);
	snprintf(cmd, sizeof(cmd), "exec '%s' -o >/dev/full", tu_bin("ikedb"));
	assert_int_equal(tu_run(&r, &res), 0);
	assert_int_equal(res.status, 2);
	tu_result_free(&res);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(doc_example_loads_and_prints),
		T(full_round_trip),
		T(canonical_spellings),
		T(ecdsa_on_v1_loads),
		T(references_forward_and_stored),
		T(keys_hidden_without_k),
		T(star_keeps_stored_key),
		T(replace_keeps_tunnel_numbers),
		T(swap_local_remote),
		T(entity_file),
		T(external_doctype_ignored),
		T(get_selections),
		T(get_recursive),
		T(get_missing),
		T(delete_with_references),
		T(clear_everything),
		T(dtd_printed),
		T(examples_load),
		T(usage_errors),
		T(input_errors),
		T(system_errors),
#ifdef __linux__
		T(output_errors),
#endif
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
