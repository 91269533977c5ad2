/* The parser, validator and printer on their own, on in-memory records:
 * what a document becomes, the defaults, canonical forms, the exact
 * message form, and printing records back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/ikedb/input.h"
#include "cli/ikedb/parse.h"
#include "cli/ikedb/print.h"
#include "core/err.h"
#include "ikt.h"

#define HEAD	"<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
#define TAIL	"</AIX_VPN>\n"

static char err[1024];

static int
parse(const char *text, struct ikedb_doc *doc)
{
	struct ikedb_parse_opts o = { .name = "t.xml" };

	err[0] = '\0';
	return ikedb_parse(text, strlen(text), &o, doc, err, sizeof(err));
}

static void
parse_ok(const char *text, struct ikedb_doc *doc)
{
	if (parse(text, doc) != 0)
		fail_msg("%s", err);
}

static void
parse_bad(const char *text, const char *msg)
{
	struct ikedb_doc doc;

	assert_int_equal(parse(text, &doc), IKE_EINVAL);
	assert_string_equal(err, msg);
	assert_int_equal(doc.nitems, 0);
	assert_null(doc.items);
}

static const struct db_obj *
item(const struct ikedb_doc *doc, size_t i, enum db_type type)
{
	assert_true(i < doc->nitems);
	assert_int_equal(doc->items[i]->obj.type, type);
	return &doc->items[i]->obj;
}

static void
doc_example_records(void **state)
{
	char *md = tu_read_file(IKE_DOCS_DIR "/ikedb-xml.md", NULL), *s, *e;
	const struct db_obj *o;
	struct ikedb_doc doc;

	(void)state;
	assert_non_null(md);
	s = strstr(strstr(md, "## A complete example"), "```xml\n") + 7;
	e = strstr(s, "```");
	*e = '\0';
	parse_ok(s, &doc);
	assert_int_equal(doc.nitems, 6);
	o = item(&doc, 0, DB_T_IKE_PROTECTION);
	assert_string_equal(o->u.ike_prot.name, "p1-v2");
	assert_int_equal(o->u.ike_prot.version, 2);
	assert_int_equal(o->u.ike_prot.ntransforms, 1);
	assert_int_equal(o->u.ike_prot.transforms[0].encr, DB_ENCR_AES_GCM_256);
	assert_int_equal(o->u.ike_prot.transforms[0].dh_group, 31);
	o = item(&doc, 1, DB_T_IKE_TUNNEL);
	assert_true(o->u.ike_tun.autostart);
	assert_int_equal(o->u.ike_tun.remote.type, DB_ID_IPV4_ADDR);
	assert_string_equal(o->u.ike_tun.remote.value, "198.51.100.7");
	assert_int_equal(doc.items[1]->line, 6);
	o = item(&doc, 2, DB_T_PSK);
	assert_int_equal(o->u.psk.len, 28);
	assert_memory_equal(o->u.psk.key, "correct horse battery staple", 28);
	assert_string_equal(doc.items[2]->key, "IPV4_Address:198.51.100.7");
	o = item(&doc, 5, DB_T_IPSEC_TUNNEL);
	assert_int_equal(o->u.ipsec_tun.local.id.type, DB_ID_IPV4_SUBNET);
	assert_string_equal(o->u.ipsec_tun.local.id.value, "10.1.0.0");
	assert_string_equal(o->u.ipsec_tun.local.id.value2, "255.255.255.0");
	/* Its references, with where they were written. */
	assert_int_equal(doc.items[5]->nnotes, 2);
	assert_string_equal(doc.items[5]->notes[0].attr, "IKE_TunnelName");
	assert_string_equal(doc.items[5]->notes[0].value, "hq");
	assert_int_equal(doc.items[5]->notes[0].to_type, DB_T_IKE_TUNNEL);
	assert_int_equal(doc.items[5]->notes[0].line, 17);
	ikedb_doc_free(&doc);
	free(md);
}

/* What docs/ikedb-xml.md gives as defaults. */
static void
defaults(void **state)
{
	const struct db_ike_protection *p;
	const struct db_ipsec_proposal *q;
	const struct db_ipsec_protection *r;
	struct ikedb_doc doc;

	(void)state;
	parse_ok(HEAD "<IKEProtection IKE_ProtectionName=\"p\"><IKETransform/>"
	    "</IKEProtection>\n<IPSecProposal IPSec_ProposalName=\"q\">"
	    "<IPSecESPProtocol/><IPSecAHProtocol/></IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"r\" IPSec_ProposalRefs="
	    "\"q\"/>\n" TAIL, &doc);
	p = &item(&doc, 0, DB_T_IKE_PROTECTION)->u.ike_prot;
	assert_int_equal(p->version, 1);
	assert_int_equal(p->role, DB_ROLE_BOTH);
	assert_int_equal(p->xchg_mode, DB_XCHG_MAIN);
	assert_int_equal(p->key_overlap, 10);
	assert_int_equal(p->transforms[0].encr, DB_ENCR_AES_CBC_256);
	assert_int_equal(p->transforms[0].hash, DB_HASH_SHA2_256);
	assert_int_equal(p->transforms[0].prf, DB_PRF_FOLLOW);
	assert_int_equal(p->transforms[0].dh_group, 14);
	assert_int_equal(p->transforms[0].auth, DB_AUTH_PSK);
	assert_int_equal(p->transforms[0].life_minutes, 480);
	assert_int_equal(p->transforms[0].life_kb, 0);
	q = &item(&doc, 1, DB_T_IPSEC_PROPOSAL)->u.ipsec_prop;
	assert_int_equal(q->nprotos, 2);
	assert_int_equal(q->protos[0].proto, DB_PROTO_ESP);
	assert_int_equal(q->protos[0].encr, DB_ENCR_AES_GCM_256);
	assert_int_equal(q->protos[0].integ, DB_INTEG_NONE);
	assert_int_equal(q->protos[0].mode, DB_MODE_TUNNEL);
	assert_int_equal(q->protos[0].life_minutes, 60);
	assert_false(q->protos[0].esn);
	assert_int_equal(q->protos[1].proto, DB_PROTO_AH);
	assert_int_equal(q->protos[1].encr, DB_ENCR_NONE);
	assert_int_equal(q->protos[1].integ, DB_INTEG_HMAC_SHA2_256);
	r = &item(&doc, 2, DB_T_IPSEC_PROTECTION)->u.ipsec_prot;
	assert_int_equal(r->role, DB_ROLE_BOTH);
	assert_int_equal(r->init_dh, 0);
	assert_int_equal(r->resp_dh, DB_DH_ANY);
	assert_int_equal(r->key_overlap, 5);
	assert_int_equal(r->nproposals, 1);
	ikedb_doc_free(&doc);
}

static void
canonical_forms(void **state)
{
	const struct db_ike_tunnel *t;
	const struct db_ipsec_tunnel *p;
	const struct db_psk *k;
	struct ikedb_doc doc;

	(void)state;
	parse_ok(HEAD "<IKETunnel IKE_TunnelName=\"t\" IKE_ProtectionRef=\"x\""
	    " IKE_RemoteAddress=\"2001:DB8:0:0::0001\">\n<IKELocalIdentity>"
	    "<KEY_ID Value=\"ABCDEF\"/></IKELocalIdentity>\n"
	    "<IKERemoteIdentity><IPV6_Address Value=\"2001:db8::1\"/>"
	    "</IKERemoteIdentity></IKETunnel>\n"
	    "<IKEPresharedKey Value=\"0xAB01\" Format=\"HEX\">"
	    "<IKEPresharedRemoteID><IPV4_Address Value=\"10.0.0.1\"/>"
	    "</IKEPresharedRemoteID></IKEPresharedKey>\n"
	    "<IPSecTunnel IPSec_TunnelName=\"p\" IKE_TunnelName=\"t\" "
	    "IPSec_ProtectionRef=\"x\">\n<IPSecLocalIdentity Protocol=\"TCP\" "
	    "Port=\"080\"><IPV6_Subnet Value=\"2001:db8::\" PrefixLength="
	    "\"032\"/></IPSecLocalIdentity>\n<IPSecRemoteIdentity Protocol="
	    "\"6\" Port=\"1\" EndPort=\"65535\"><IPV6_Address_Range From="
	    "\"2001:db8:1::1\" To=\"2001:db8:1::1\"/></IPSecRemoteIdentity>\n"
	    "</IPSecTunnel>\n" TAIL, &doc);
	t = &item(&doc, 0, DB_T_IKE_TUNNEL)->u.ike_tun;
	assert_string_equal(t->remote_addr, "2001:db8::1");
	assert_string_equal(t->local.value, "abcdef");
	k = &item(&doc, 1, DB_T_PSK)->u.psk;
	assert_int_equal(k->format, DB_PSK_HEX);
	assert_int_equal(k->len, 2);
	assert_int_equal(k->key[0], 0xab);
	assert_int_equal(k->key[1], 0x01);
	assert_false(doc.items[1]->keep_key);
	p = &item(&doc, 2, DB_T_IPSEC_TUNNEL)->u.ipsec_tun;
	assert_int_equal(p->local.protocol, 6);
	assert_int_equal(p->local.port, 80);
	assert_int_equal(p->local.endport, 80);		/* follows Port */
	assert_string_equal(p->local.id.value2, "32");
	assert_int_equal(p->remote.endport, 65535);
	/* EndPort is IKEv2 only: checked against the tunnel later. */
	assert_int_equal(doc.items[2]->notes[doc.items[2]->nnotes - 1].to_type,
	    NOTE_NEEDS_V2);
	ikedb_doc_free(&doc);
}

static void
keep_key_marked(void **state)
{
	struct ikedb_doc doc;

	(void)state;
	parse_ok(HEAD "<IKEPresharedKey Value=\"*\"><IKEPresharedRemoteID>"
	    "<FQDN Value=\"a.example\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n" TAIL, &doc);
	assert_true(doc.items[0]->keep_key);
	assert_int_equal(doc.items[0]->obj.u.psk.len, 0);
	ikedb_doc_free(&doc);
}

/* The whole message, exactly: file:line: element: attribute="value":
 * what is wrong. */
static void
message_form(void **state)
{
	char longname[200];

	(void)state;
	parse_bad(HEAD "<IKEProtection IKE_ProtectionName=\"p\">\n"
	    "  <IKETransform IKE_DHGroup=\"13\"/>\n</IKEProtection>\n" TAIL,
	    "t.xml:4: IKETransform: IKE_DHGroup=\"13\": not one of 1 2 5 14 15 "
	    "16 17 18 19 20 21 24 31");
	parse_bad(HEAD "<IKEGroup/>\n" TAIL,
	    "t.xml:3: IKEGroup: IKE_GroupName: missing (required)");
	parse_bad(HEAD "<IKEGroup IKE_GroupName=\"g\"/>\n" TAIL,
	    "t.xml:3: IKEGroup: needs at least one of: IPV4_Address, "
	    "IPV6_Address, FQDN, User_FQDN, X500DN, KEY_ID, IPV4_Subnet, "
	    "IPV6_Subnet, IPV4_Address_Range, IPV6_Address_Range");
	/* Long values are cut short, control characters masked. */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	{
		char doc[512];

		snprintf(doc, sizeof(doc), HEAD "<IKEGroup IKE_GroupName=\"%s\">"
		    "<FQDN Value=\"a&#9;b\"/></IKEGroup>\n" TAIL, longname);
		assert_int_equal(parse(doc, &(struct ikedb_doc){ 0 }),
		    IKE_EINVAL);
		assert_non_null(strstr(err, "IKE_GroupName=\"xxxxxxxxxxxxxx"));
		assert_non_null(strstr(err, "...\": name longer than 63"));
		assert_true(strlen(err) < 160);
		snprintf(doc, sizeof(doc), HEAD "<IKEGroup IKE_GroupName=\"g\">"
		    "<FQDN Value=\"a&#9;b\"/></IKEGroup>\n" TAIL);
		parse_bad(doc, "t.xml:3: FQDN: Value=\"a?b\": contains a "
		    "control character");
	}
}

static void
entities(void **state)
{
	struct ikedb_parse_opts o = { .name = "t.xml", .entity_name = "e.ent",
	    .entities = "<!-- x -->\n<!ENTITY g '<IKEGroup IKE_GroupName=\"g\">"
	    "<FQDN Value=\"h.example\"/></IKEGroup>'>\n" };
	const char *text = HEAD "&g;\n" TAIL;
	struct ikedb_doc doc;

	(void)state;
	assert_int_equal(ikedb_parse(text, strlen(text), &o, &doc, err,
	    sizeof(err)), 0);
	assert_int_equal(doc.nitems, 1);
	assert_string_equal(doc.items[0]->obj.u.group.members[0].value,
	    "h.example");
	ikedb_doc_free(&doc);
	assert_int_equal(ent_check("<!ENTITY a \"x>y\">\n<!ENTITY b 'q'>", "e",
	    err, sizeof(err)), 0);
	assert_int_equal(ent_check("<!ENTITY a \"x\">\n<?pi x?>", "e", err,
	    sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "e:2: only <!ENTITY ...> declarations are "
	    "allowed in an entity file");
	assert_int_equal(ent_check("<!ENTITY a \"x>", "e", err, sizeof(err)),
	    IKE_EINVAL);
	assert_string_equal(err, "e:1: unterminated <!ENTITY declaration");
	assert_int_equal(ent_check("\n<!ATTLIST a b CDATA #IMPLIED>", "e",
	    err, sizeof(err)), IKE_EINVAL);
	assert_int_equal(ent_check("<!ENTITY\t%\tp \"x\">", "e", err,
	    sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "e:1: parameter entities are not allowed");
	/* An unparsed entity gets past the scan, not past expat. */
	o.entities = "<!ENTITY u SYSTEM \"u.bin\" NDATA bin>\n";
	assert_int_equal(ikedb_parse(text, strlen(text), &o, &doc, err,
	    sizeof(err)), IKE_EINVAL);
}

static void
identities_on_the_command_line(void **state)
{
	struct db_ident id;

	(void)state;
	assert_int_equal(ikedb_parse_ident("ipv6_address", "2001:DB8::0:1",
	    &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, DB_ID_IPV6_ADDR);
	assert_string_equal(id.value, "2001:db8::1");
	assert_int_equal(ikedb_parse_ident("IPV4_Subnet",
	    "10.0.0.0,255.0.0.0", &id, err, sizeof(err)), 0);
	assert_string_equal(id.value2, "255.0.0.0");
	assert_int_equal(ikedb_parse_ident("IPV4_Subnet", "10.0.0.1,255.0.0.0",
	    &id, err, sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "-i 10.0.0.1,255.0.0.0: host bits set for "
	    "NetMask 255.0.0.0");
	assert_int_equal(ikedb_parse_ident("IPV4_Subnet", "10.0.0.0", &id,
	    err, sizeof(err)), IKE_EINVAL);
	assert_int_equal(ikedb_parse_ident("Phone", "1", &id, err,
	    sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "-y Phone: not an identity type");
}

/* ------------------------------------------------------------- printer */

static char *
print_one(const struct db_obj *o, bool keys)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print_obj(f, o, keys);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
print_records(void **state)
{
	struct db_obj *o = calloc(1, sizeof(*o));
	char *s;

	(void)state;
	assert_non_null(o);
	o->type = DB_T_IKE_PROTECTION;
	strcpy(o->u.ike_prot.name, "p<&>\"");
	o->u.ike_prot.version = 2;
	o->u.ike_prot.xchg_mode = DB_XCHG_AGGRESSIVE;	/* not for IKEv2 */
	o->u.ike_prot.key_overlap = 7;
	o->u.ike_prot.ntransforms = 1;
	o->u.ike_prot.transforms[0] = (struct db_ike_transform){
		.encr = DB_ENCR_AES_GCM_128, .hash = DB_HASH_SHA2_384,
		.dh_group = 19, .auth = DB_AUTH_ECDSA_SIG, .life_minutes = 60,
	};
	s = print_one(o, false);
	assert_string_equal(s,
	    "  <IKEProtection IKE_ProtectionName=\"p&lt;&amp;&gt;&quot;\" "
	    "IKE_Version=\"2\" IKE_Role=\"Both\" IKE_KeyOverlap=\"7\">\n"
	    "    <IKETransform IKE_Encryption=\"AES-GCM-128\" IKE_Hash="
	    "\"SHA2-384\" IKE_DHGroup=\"19\" IKE_AuthenticationMethod="
	    "\"ECDSA_Signature\" IKE_KeyRefreshMinutes=\"60\" "
	    "IKE_KeyRefreshKB=\"0\"/>\n"
	    "  </IKEProtection>\n");
	free(s);
	memset(o, 0, sizeof(*o));
	o->type = DB_T_PSK;
	o->u.psk.remote.type = DB_ID_USER_FQDN;
	strcpy(o->u.psk.remote.value, "a@b.example");
	o->u.psk.format = DB_PSK_HEX;
	o->u.psk.len = 3;
	memcpy(o->u.psk.key, "\x00\xff\x10", 3);
	s = print_one(o, false);
	assert_string_equal(s, "  <IKEPresharedKey Value=\"*\" Format=\"Hex\">\n"
	    "    <IKEPresharedRemoteID>\n"
	    "      <User_FQDN Value=\"a@b.example\"/>\n"
	    "    </IKEPresharedRemoteID>\n"
	    "  </IKEPresharedKey>\n");
	free(s);
	s = print_one(o, true);
	assert_non_null(strstr(s, "Value=\"00ff10\" Format=\"Hex\""));
	free(s);
	free(o);
}

/* Without the database: a canonical document parses into records that
 * print as the same document. */
static void
parse_print_identity(void **state)
{
	char *full = ikt_data("full.xml"), *buf = NULL;
	struct ikedb_doc doc;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	parse_ok(full, &doc);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	print_begin(f);
	for (i = 0; i < doc.nitems; i++)
		print_obj(f, &doc.items[i]->obj, true);
	print_end(f);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, full);
	ikedb_doc_free(&doc);
	free(buf);
	free(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(doc_example_records),
		cmocka_unit_test(defaults),
		cmocka_unit_test(canonical_forms),
		cmocka_unit_test(keep_key_marked),
		cmocka_unit_test(message_form),
		cmocka_unit_test(entities),
		cmocka_unit_test(identities_on_the_command_line),
		cmocka_unit_test(print_records),
		cmocka_unit_test(parse_print_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
