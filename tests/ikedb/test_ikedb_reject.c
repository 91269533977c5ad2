/* ikedb -p refuses every kind of bad input: exit status 1, one message
 * naming the file, line, element and attribute, and the database exactly
 * as it was (ikedb -g -k and the bytes of data.mdb).  The database holds
 * data/full.xml, so files may refer to its objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ikt.h"

#define HEAD	"<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
#define TAIL	"\n</AIX_VPN>\n"
#define P1(attrs, kids)							\
	"<IKEProtection IKE_ProtectionName=\"n1\" " attrs ">\n" kids	\
	"\n</IKEProtection>"
#define TUN(local, remote)						\
	"<IKETunnel IKE_TunnelName=\"nt\" IKE_ProtectionRef=\"p1-v2\">\n"\
	"<IKELocalIdentity>" local "</IKELocalIdentity>\n"		\
	"<IKERemoteIdentity>" remote "</IKERemoteIdentity>\n</IKETunnel>"
#define P2T(ike, la, local, ra, remote)					\
	"<IPSecTunnel IPSec_TunnelName=\"n2\" IKE_TunnelName=\"" ike	\
	"\" IPSec_ProtectionRef=\"p2\">\n"				\
	"<IPSecLocalIdentity " la ">" local "</IPSecLocalIdentity>\n"	\
	"<IPSecRemoteIdentity " ra ">" remote "</IPSecRemoteIdentity>\n"	\
	"</IPSecTunnel>"
#define V4(a)	"<IPV4_Address Value=\"" a "\"/>"
#define V6(a)	"<IPV6_Address Value=\"" a "\"/>"
#define ESP(attrs)							\
	"<IPSecProposal IPSec_ProposalName=\"np\">\n"			\
	"<IPSecESPProtocol " attrs "/>\n</IPSecProposal>"

struct rcase {
	const char	*name;
	const char	*mode;		/* "-p" unless set */
	const char	*body;		/* between HEAD and TAIL; or raw */
	bool		 raw;		/* body is the whole file */
	const char	*want[6];	/* substrings of the message */
	const char	*nowant;	/* must not appear (a secret) */
};

static const struct rcase cases[] = {
	/* ------------------------------------------------ structure */
	{ .name = "unknown_element", NULL,
	  P1("", "<IKETransform/>\n<Bogus/>"), false,
	  { "in.xml:5: Bogus: unknown element" } },
	{ .name = "unknown_attribute", NULL,
	  P1("IKE_Colour=\"red\"", "<IKETransform/>"), false,
	  { "in.xml:3: IKEProtection: IKE_Colour: unknown attribute" } },
	{ .name = "wrong_parent", NULL,
	  "<IKETunnel IKE_TunnelName=\"x\" IKE_ProtectionRef=\"p1-v1\">\n"
	  "<IKETransform/>\n</IKETunnel>", false,
	  { "in.xml:4: IKETransform: not allowed inside IKETunnel" } },
	{ .name = "wrong_parent_top", NULL, "<IKETransform/>", false,
	  { "in.xml:3: IKETransform: not allowed inside AIX_VPN" } },
	{ .name = "wrong_root", NULL, "<?xml version=\"1.0\"?>\n<VPN/>\n", true,
	  { "in.xml:2: VPN: the document element must be AIX_VPN" } },
	{ .name = "root_version", NULL, "<AIX_VPN Version=\"1.0\"/>\n", true,
	  { "in.xml:1: AIX_VPN: Version=\"1.0\": must be \"2.0\"" } },
	{ .name = "text_content", NULL, "hello", false,
	  { "in.xml:3: AIX_VPN: text is not allowed here" } },
	{ .name = "missing_required", NULL,
	  "<IKETunnel IKE_TunnelName=\"x\">" V4("1.2.3.4") "</IKETunnel>",
	  false, { "in.xml:3: IKETunnel: IKE_ProtectionRef: missing" } },
	{ .name = "missing_child", NULL,
	  "<IKETunnel IKE_TunnelName=\"x\" IKE_ProtectionRef=\"p1-v1\">\n"
	  "<IKELocalIdentity>" V4("1.2.3.4") "</IKELocalIdentity>\n"
	  "</IKETunnel>", false,
	  { "in.xml:3: IKETunnel: missing IKERemoteIdentity" } },
	{ .name = "child_order", NULL,
	  "<IKETunnel IKE_TunnelName=\"x\" IKE_ProtectionRef=\"p1-v1\">\n"
	  "<IKERemoteIdentity>" V4("1.2.3.4") "</IKERemoteIdentity>\n"
	  "<IKELocalIdentity>" V4("1.2.3.5") "</IKELocalIdentity>\n"
	  "</IKETunnel>", false,
	  { "in.xml:4: IKERemoteIdentity: IKELocalIdentity must come "
	    "first" } },
	{ .name = "two_identities", NULL,
	  TUN(V4("1.2.3.4") "\n" V4("1.2.3.5"), V4("1.2.3.6")), false,
	  { "in.xml:5: IPV4_Address: too many in IKELocalIdentity (at "
	    "most 1)" } },
	{ .name = "empty_identity", NULL, TUN("", V4("1.2.3.6")), false,
	  { "in.xml:4: IKELocalIdentity: needs one of: IPV4_Address" } },
	{ .name = "group_as_local", NULL,
	  TUN("<Group Value=\"roadwarriors\"/>", V4("1.2.3.6")), false,
	  { "in.xml:4: Group: not allowed inside IKELocalIdentity" } },
	{ .name = "empty_proposal", NULL,
	  "<IPSecProposal IPSec_ProposalName=\"np\"></IPSecProposal>", false,
	  { "in.xml:3: IPSecProposal: needs at least one of: "
	    "IPSecESPProtocol, IPSecAHProtocol" } },
	/* --------------------------------------------- values, ranges */
	{ .name = "out_of_range", NULL,
	  P1("", "<IKETransform IKE_KeyRefreshMinutes=\"4\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_KeyRefreshMinutes=\"4\": not a "
	    "number from 5 to 10080" } },
	{ .name = "not_a_number", NULL,
	  ESP("ESP_KeyRefreshMinutes=\"-1\""), false,
	  { "in.xml:4: IPSecESPProtocol: ESP_KeyRefreshMinutes=\"-1\": not "
	    "a number from 1 to 1440" } },
	{ .name = "dh_not_in_list", NULL,
	  P1("", "<IKETransform IKE_DHGroup=\"13\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_DHGroup=\"13\": not one of 1 2 5 "
	    "14 15 16 17 18 19 20 21 24 31" } },
	{ .name = "enum_misspelt", NULL, ESP("ESP_EncapsulationMode=\"Tunel\""),
	  false, { "in.xml:4: IPSecESPProtocol: ESP_EncapsulationMode="
	    "\"Tunel\": not one of Tunnel Transport" } },
	{ .name = "bool_bad", NULL,
	  "<IKETunnel IKE_TunnelName=\"x\" IKE_ProtectionRef=\"p1-v1\" "
	  "IKE_Flags_AutoStart=\"maybe\"/>", false,
	  { "in.xml:3: IKETunnel: IKE_Flags_AutoStart=\"maybe\": not one "
	    "of Yes No" } },
	{ .name = "resp_dh_bad", NULL,
	  "<IPSecProtection IPSec_ProtectionName=\"x\" IPSec_ProposalRefs="
	  "\"mix\" IPSec_ResponderDHGroup=\"3\"/>", false,
	  { "in.xml:3: IPSecProtection: IPSec_ResponderDHGroup=\"3\": not "
	    "one of NO_PFS ANY 1 2 5" } },
	{ .name = "proto_bad", NULL,
	  P2T("t-v2", "Protocol=\"tcpx\"", V4("10.0.0.1"), "", V4("10.0.0.2")),
	  false, { "in.xml:4: IPSecLocalIdentity: Protocol=\"tcpx\": not a "
	    "protocol" } },
	{ .name = "name_with_space", NULL,
	  "<IKEGroup IKE_GroupName=\"my group\">" V4("1.2.3.4")
	  "</IKEGroup>", false,
	  { "in.xml:3: IKEGroup: IKE_GroupName=\"my group\": a name may not "
	    "contain spaces" } },
	{ .name = "proposal_ref_twice", NULL,
	  "<IPSecProtection IPSec_ProtectionName=\"x\" IPSec_ProposalRefs="
	  "\"mix mix\"/>", false,
	  { "in.xml:3: IPSecProtection: IPSec_ProposalRefs=\"mix mix\": "
	    "\"mix\" listed twice" } },
	{ .name = "proposal_refs_too_many", NULL,
	  "<IPSecProtection IPSec_ProtectionName=\"x\" IPSec_ProposalRefs="
	  "\"a b c d e f g h i\"/>", false,
	  { "in.xml:3: IPSecProtection: IPSec_ProposalRefs=", "more than 8 "
	    "names" } },
	{ .name = "allowed_types_bad", NULL,
	  P1("IKE_IPSecDefaultProtectionRef=\"_defIPSprot_dhcp\" "
	     "IKE_IPSecDefaultAllowedTypes=\"Local_FQDN\"", "<IKETransform/>"),
	  false, { "in.xml:3: IKEProtection: IKE_IPSecDefaultAllowedTypes="
	    "\"Local_FQDN\": \"Local_FQDN\" is not Local_ or Remote_" } },
	{ .name = "allowed_types_without_ref", NULL,
	  P1("IKE_IPSecDefaultAllowedTypes=\"Local_IPV4_Address\"",
	     "<IKETransform/>"), false,
	  { "in.xml:3: IKEProtection: IKE_IPSecDefaultAllowedTypes: needs "
	    "IKE_IPSecDefaultProtectionRef" } },
	{ .name = "default_prot_prefix", NULL,
	  P1("IKE_IPSecDefaultProtectionRef=\"p2\" "
	     "IKE_IPSecDefaultAllowedTypes=\"Local_IPV4_Address\"",
	     "<IKETransform/>"), false,
	  { "in.xml:3: IKEProtection: IKE_IPSecDefaultProtectionRef=\"p2\": "
	    "must name an IPSecProtection whose name starts with "
	    "\"_defIPSprot_\"" } },
	/* ------------------------------------------ IKE version rules */
	{ .name = "xchgmode_on_v2", NULL,
	  P1("IKE_Version=\"2\" IKE_XCHGMode=\"Main\"", "<IKETransform/>"),
	  false, { "in.xml:3: IKEProtection: IKE_XCHGMode=\"Main\": IKEv1 "
	    "only, but IKE_Version is 2" } },
	{ .name = "gcm_on_v1", NULL,
	  P1("", "<IKETransform IKE_Encryption=\"AES-GCM-128\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_Encryption=\"AES-GCM-128\": IKEv2 "
	    "only" } },
	{ .name = "chacha_on_v1", NULL,
	  P1("IKE_Version=\"1\"",
	     "<IKETransform IKE_Encryption=\"chacha20-poly1305\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_Encryption=\"chacha20-poly1305\": "
	    "IKEv2 only" } },
	{ .name = "xcbc_on_v1", NULL,
	  P1("", "<IKETransform IKE_Hash=\"AES-XCBC\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_Hash=\"AES-XCBC\": IKEv2 only" } },
	{ .name = "prf_on_v1", NULL,
	  P1("", "<IKETransform IKE_PRF=\"PRF-SHA2-256\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_PRF=\"PRF-SHA2-256\": IKEv2 "
	    "only" } },
	/* ECDSA_Signature is fine in IKEv1 (RFC 4754; test_ikedb_cli.c
	 * loads it), what IKEv1 lacks still is not, next to it */
	{ .name = "ecdsa_v1_with_gcm", NULL,
	  P1("IKE_Version=\"1\"", "<IKETransform IKE_AuthenticationMethod="
	     "\"ECDSA_Signature\" IKE_Encryption=\"AES-GCM-256\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_Encryption=\"AES-GCM-256\": IKEv2 "
	    "only" } },
	{ .name = "ecdsa_v1_with_prf", NULL,
	  P1("", "<IKETransform IKE_AuthenticationMethod=\"ECDSA_Signature\""
	     " IKE_PRF=\"PRF-SHA2-256\"/>"), false,
	  { "in.xml:4: IKETransform: IKE_PRF=\"PRF-SHA2-256\": IKEv2 "
	    "only" } },
	{ .name = "auth_unknown", NULL,
	  P1("", "<IKETransform IKE_AuthenticationMethod=\"DSA_Signature\""
	     "/>"), false,
	  { "in.xml:4: IKETransform: IKE_AuthenticationMethod=\"DSA_"
	    "Signature\": not one of Preshared_Key RSA_Signature "
	    "ECDSA_Signature" } },
	{ .name = "overlap_ge_lifetime", NULL,
	  P1("IKE_KeyOverlap=\"60\"",
	     "<IKETransform IKE_KeyRefreshMinutes=\"60\"/>"), false,
	  { "in.xml:3: IKEProtection: IKE_KeyOverlap=\"60\": not less than "
	    "IKE_KeyRefreshMinutes" } },
	{ .name = "endport_v1_in_database", NULL,
	  P2T("t-v1", "Protocol=\"tcp\" Port=\"10\" EndPort=\"20\"",
	      V4("10.0.0.1"), "Protocol=\"tcp\"", V4("10.0.0.2")), false,
	  { "in.xml:4: IPSecLocalIdentity: EndPort=\"20\": IKEv2 only",
	    "IKETunnel \"t-v1\"" } },
	{ .name = "endport_v1_in_file", NULL,
	  P1("IKE_Version=\"1\"", "<IKETransform/>") "\n"
	  "<IKETunnel IKE_TunnelName=\"nt\" IKE_ProtectionRef=\"n1\">\n"
	  "<IKELocalIdentity>" V4("1.1.1.1") "</IKELocalIdentity>\n"
	  "<IKERemoteIdentity>" V4("1.1.1.2") "</IKERemoteIdentity>\n"
	  "</IKETunnel>\n"
	  P2T("nt", "Protocol=\"udp\"", V4("10.0.0.1"),
	      "Protocol=\"udp\" Port=\"1\" EndPort=\"9\"", V4("10.0.0.2")),
	  false, { "in.xml:12: IPSecRemoteIdentity: EndPort=\"9\": IKEv2 "
	    "only" } },
	{ .name = "endport_stored_becomes_v1", "-pF",
	  "<IKEProtection IKE_ProtectionName=\"p1-v2\" IKE_Version=\"1\">"
	  "<IKETransform/></IKEProtection>", false,
	  { "in.xml:3: IKEProtection: IKE_Version=\"1\": IPSecTunnel "
	    "\"lan-v2\" in the database uses a port range (EndPort), which "
	    "needs IKEv2, but IKEProtection \"p1-v2\" is IKEv1" } },
	{ .name = "endport_stored_tunnel_moved", "-pF",
	  "<IKETunnel IKE_TunnelName=\"t-v2\" IKE_ProtectionRef=\"p1-v1\">\n"
	  "<IKELocalIdentity>" V6("2001:db8::1") "</IKELocalIdentity>\n"
	  "<IKERemoteIdentity><Group Value=\"roadwarriors\"/>"
	  "</IKERemoteIdentity>\n</IKETunnel>", false,
	  { "in.xml:3: IKETunnel: IKE_ProtectionRef=\"p1-v1\": IPSecTunnel "
	    "\"lan-v2\" in the database uses a port range" } },
	/* --------------------------------------------- algorithm rules */
	{ .name = "esp_aead_with_auth", NULL,
	  ESP("ESP_Encryption=\"AES-GCM-256\" ESP_Authentication="
	      "\"HMAC-SHA\""), false,
	  { "in.xml:4: IPSecESPProtocol: ESP_Authentication=\"HMAC-SHA\": "
	    "must be None with ESP_Encryption=\"AES-GCM-256\"" } },
	{ .name = "esp_cbc_without_auth", NULL, ESP("ESP_Encryption=\"AES-CBC-128\""),
	  false, { "in.xml:4: IPSecESPProtocol: ESP_Authentication=\"None\":"
	    " ESP_Encryption=\"AES-CBC-128\" needs an authentication" } },
	{ .name = "esp_null_without_auth", NULL,
	  ESP("ESP_Encryption=\"NULL\" ESP_Authentication=\"None\""), false,
	  { "in.xml:4: IPSecESPProtocol: ESP_Authentication=\"None\": "
	    "ESP_Encryption=\"NULL\" needs" } },
	{ .name = "ah_none", NULL,
	  "<IPSecProposal IPSec_ProposalName=\"np\">\n"
	  "<IPSecAHProtocol AH_Authentication=\"None\"/>\n</IPSecProposal>",
	  false, { "in.xml:4: IPSecAHProtocol: AH_Authentication=\"None\": "
	    "not one of HMAC-MD5" } },
	/* ------------------------------------------- phase-2 identities */
	{ .name = "protocol_differs", NULL,
	  P2T("t-v2", "Protocol=\"tcp\"", V4("10.0.0.1"), "Protocol=\"udp\"",
	      V4("10.0.0.2")), false,
	  { "in.xml:5: IPSecRemoteIdentity: Protocol=\"udp\": differs from "
	    "the IPSecLocalIdentity Protocol (tcp)" } },
	{ .name = "endport_below_port", NULL,
	  P2T("t-v2", "Protocol=\"tcp\" Port=\"20\" EndPort=\"10\"",
	      V4("10.0.0.1"), "Protocol=\"tcp\"", V4("10.0.0.2")), false,
	  { "in.xml:4: IPSecLocalIdentity: EndPort=\"10\": less than "
	    "Port=\"20\"" } },
	{ .name = "port_without_protocol", NULL,
	  P2T("t-v2", "Port=\"80\"", V4("10.0.0.1"), "", V4("10.0.0.2")),
	  false, { "in.xml:4: IPSecLocalIdentity: Port=\"80\": needs a "
	    "Protocol" } },
	{ .name = "p2_family_mismatch", NULL,
	  P2T("t-v2", "", V4("10.0.0.1"), "", V6("2001:db8::2")), false,
	  { "in.xml:5: IPSecRemoteIdentity: IPv6, but the local identity "
	    "is IPv4" } },
	{ .name = "p1_family_mismatch", NULL,
	  "<IKETunnel IKE_TunnelName=\"nt\" IKE_ProtectionRef=\"p1-v2\" "
	  "IKE_LocalAddress=\"192.0.2.1\">\n"
	  "<IKELocalIdentity><FQDN Value=\"a.example\"/></IKELocalIdentity>\n"
	  "<IKERemoteIdentity>" V6("2001:db8::2") "</IKERemoteIdentity>\n"
	  "</IKETunnel>", false,
	  { "in.xml:3: IKETunnel: the local endpoint is IPv4, the remote "
	    "one IPv6" } },
	/* --------------------------------------------- addresses */
	{ .name = "bad_ipv4", NULL, TUN(V4("10.0.0.256"), V4("10.0.0.2")), false,
	  { "in.xml:4: IPV4_Address: Value=\"10.0.0.256\": not an IPv4 "
	    "address" } },
	{ .name = "bad_ipv6", NULL, TUN(V6("2001:db8::g"), V6("2001:db8::2")), false,
	  { "in.xml:4: IPV6_Address: Value=\"2001:db8::g\": not an IPv6 "
	    "address" } },
	{ .name = "bad_endpoint_address", NULL,
	  "<IKETunnel IKE_TunnelName=\"nt\" IKE_ProtectionRef=\"p1-v2\" "
	  "IKE_RemoteAddress=\"gateway\"/>", false,
	  { "in.xml:3: IKETunnel: IKE_RemoteAddress=\"gateway\": not an IPv4"
	    " or IPv6 address" } },
	{ .name = "netmask_not_contiguous", NULL,
	  P2T("t-v2", "", "<IPV4_Subnet Value=\"10.0.0.0\" NetMask="
	      "\"255.0.255.0\"/>", "", V4("10.0.0.2")), false,
	  { "in.xml:4: IPV4_Subnet: NetMask=\"255.0.255.0\": not a "
	    "contiguous netmask" } },
	{ .name = "subnet_host_bits", NULL,
	  P2T("t-v2", "", "<IPV4_Subnet Value=\"10.1.0.1\" NetMask="
	      "\"255.255.255.0\"/>", "", V4("10.0.0.2")), false,
	  { "in.xml:4: IPV4_Subnet: Value=\"10.1.0.1\": host bits set" } },
	{ .name = "subnet6_host_bits", NULL,
	  P2T("t-v2", "", "<IPV6_Subnet Value=\"2001:db8::1\" PrefixLength="
	      "\"64\"/>", "", V6("2001:db8:1::2")), false,
	  { "in.xml:4: IPV6_Subnet: Value=\"2001:db8::1\": host bits set" } },
	{ .name = "prefix_too_long", NULL,
	  P2T("t-v2", "", "<IPV6_Subnet Value=\"2001:db8::\" PrefixLength="
	      "\"129\"/>", "", V6("2001:db8:1::2")), false,
	  { "in.xml:4: IPV6_Subnet: PrefixLength=\"129\": not a prefix "
	    "length from 0 to 128" } },
	{ .name = "range_reversed", NULL,
	  P2T("t-v2", "", "<IPV4_Address_Range From=\"10.0.0.9\" To="
	      "\"10.0.0.1\"/>", "", V4("10.0.0.2")), false,
	  { "in.xml:4: IPV4_Address_Range: To=\"10.0.0.1\": less than "
	    "From=\"10.0.0.9\"" } },
	{ .name = "range_mixed_families", NULL,
	  P2T("t-v2", "", "<IPV4_Address_Range From=\"10.0.0.1\" To="
	      "\"2001:db8::1\"/>", "", V4("10.0.0.2")), false,
	  { "in.xml:4: IPV4_Address_Range: To=\"2001:db8::1\": not an IPv4 "
	    "address" } },
	{ .name = "fqdn_bad", NULL,
	  TUN("<FQDN Value=\"gw example\"/>", V4("10.0.0.2")), false,
	  { "in.xml:4: FQDN: Value=\"gw example\": not a host name" } },
	{ .name = "user_fqdn_bad", NULL,
	  TUN("<User_FQDN Value=\"example.com\"/>", V4("10.0.0.2")), false,
	  { "in.xml:4: User_FQDN: Value=\"example.com\": not user@host" } },
	{ .name = "key_id_odd", NULL,
	  TUN("<KEY_ID Value=\"abc\"/>", V4("10.0.0.2")), false,
	  { "in.xml:4: KEY_ID: Value=\"abc\": not an even number of hex "
	    "digits" } },
	/* ------------------------------------------------ preshared keys */
	{ .name = "psk_hex_bad", NULL,
	  "<IKEPresharedKey Value=\"topsecretzzz\" Format=\"Hex\">\n"
	  "<IKEPresharedRemoteID>" V4("10.9.9.9") "</IKEPresharedRemoteID>\n"
	  "</IKEPresharedKey>", false,
	  { "in.xml:3: IKEPresharedKey: Value: Format=\"Hex\" but not hex "
	    "digits" }, "topsecret" },
	{ .name = "psk_keep_missing", "-pF",
	  "<IKEPresharedKey Value=\"*\">\n"
	  "<IKEPresharedRemoteID>" V4("10.9.9.9") "</IKEPresharedRemoteID>\n"
	  "</IKEPresharedKey>", false,
	  { "in.xml:3: IKEPresharedKey: Value=\"*\": no key is stored" } },
	{ .name = "psk_group", NULL,
	  "<IKEPresharedKey Value=\"k\">\n<IKEPresharedRemoteID>"
	  "<Group Value=\"roadwarriors\"/></IKEPresharedRemoteID>\n"
	  "</IKEPresharedKey>", false,
	  { "in.xml:4: Group: not allowed inside IKEPresharedRemoteID" } },
	{ .name = "psk_twice_in_file", NULL,
	  "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID>" V4("10.9.9.9")
	  "</IKEPresharedRemoteID></IKEPresharedKey>\n"
	  "<IKEPresharedKey Value=\"l\"><IKEPresharedRemoteID>" V4("10.9.9.9")
	  "</IKEPresharedRemoteID></IKEPresharedKey>", false,
	  { "in.xml:4: IKEPresharedKey: a key for IPV4_Address:10.9.9.9 "
	    "defined twice (first at ", "in.xml:3)" } },
	/* ------------------------------------- names and references */
	{ .name = "duplicate_in_file", NULL,
	  "<IKEGroup IKE_GroupName=\"g\">" V4("1.2.3.4") "</IKEGroup>\n"
	  "<IKEGroup IKE_GroupName=\"g\">" V4("1.2.3.5") "</IKEGroup>", false,
	  { "in.xml:4: IKEGroup: IKE_GroupName=\"g\": defined twice (first "
	    "at ", "in.xml:3)" } },
	{ .name = "exists_without_F", NULL,
	  "<IKEGroup IKE_GroupName=\"roadwarriors\">" V4("1.2.3.4")
	  "</IKEGroup>", false,
	  { "in.xml:3: IKEGroup: IKE_GroupName=\"roadwarriors\": already in "
	    "the database (-F replaces it)" } },
	{ .name = "psk_exists_without_F", NULL,
	  "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID>"
	  V4("203.0.113.9") "</IKEPresharedRemoteID></IKEPresharedKey>",
	  false, { "in.xml:3: IKEPresharedKey: a key for IPV4_Address:"
	    "203.0.113.9 is already in the database" } },
	{ .name = "dangling_ref", NULL,
	  "<IKEGroup IKE_GroupName=\"g\">" V4("1.2.3.4") "</IKEGroup>\n"
	  "<IKETunnel IKE_TunnelName=\"nt\" IKE_ProtectionRef=\"nope\">\n"
	  "<IKELocalIdentity>" V4("1.1.1.1") "</IKELocalIdentity>\n"
	  "<IKERemoteIdentity>" V4("1.1.1.2") "</IKERemoteIdentity>\n"
	  "</IKETunnel>", false,
	  { "in.xml:4: IKETunnel: IKE_ProtectionRef=\"nope\": no "
	    "IKEProtection named \"nope\" in the file or the database" } },
	{ .name = "dangling_group", NULL,
	  TUN(V4("1.1.1.1"), "\n<Group Value=\"nogroup\"/>"), false,
	  { "in.xml:6: Group: Value=\"nogroup\": no IKEGroup named "
	    "\"nogroup\"" } },
	{ .name = "dangling_proposal", NULL,
	  "<IPSecProtection IPSec_ProtectionName=\"x\"\n"
	  "  IPSec_ProposalRefs=\"mix nope\"/>", false,
	  { "in.xml:3: IPSecProtection: IPSec_ProposalRefs=\"nope\": no "
	    "IPSecProposal named \"nope\"" } },
	/* ---------------------------------------------- XML and DTD */
	{ .name = "bad_xml", NULL, "<IKEGroup IKE_GroupName=\"g\">\n</IKEGroupp>",
	  false, { "in.xml:4: XML error: mismatched tag" } },
	{ .name = "empty_file", NULL, "", true, { "in.xml:1: XML error: no element "
	    "found" } },
	{ .name = "undefined_entity", NULL, "&nothing;", false,
	  { "in.xml:3: XML error: undefined entity" } },
	{ .name = "internal_doctype", NULL,
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE AIX_VPN [\n"
	  "<!ENTITY k \"v\">\n]>\n<AIX_VPN/>\n", true,
	  { "in.xml:2: DOCTYPE: an internal DTD subset is not allowed" } },
	/* ----------------------------------------------------- -s */
	{ .name = "swap_group", "-ps",
	  TUN(V4("1.1.1.1"), "\n<Group Value=\"roadwarriors\"/>"), false,
	  { "in.xml:3: IKETunnel: IKE_TunnelName=\"nt\": cannot swap local "
	    "and remote (-s): the remote identity is the group "
	    "\"roadwarriors\"" } },
	{ .name = "swap_group_p2", "-ps",
	  P2T("t-v2", "", V4("10.0.0.1"), "", "<Group Value=\"roadwarriors\""
	      "/>"), false,
	  { "in.xml:3: IPSecTunnel: IPSec_TunnelName=\"n2\": cannot swap" } },
};

static struct ikt db;

static int
load(void **state)
{
	char *full = ikt_data("full.xml");

	(void)state;
	ikt_init(&db);
	ikt_put(&db, "-p", full);
	free(full);
	return 0;
}

static int
unload(void **state)
{
	(void)state;
	ikt_fini(&db);
	return 0;
}

/* Runs ikedb (mode, file) on text and checks the refusal. */
static void
refused(const char *mode, const char *text, const char *const *want,
    const char *nowant, const char *ent)
{
	struct ikt_snap snap;
	struct tu_result res;
	const char *file;

	ikt_snap_take(&db, &snap);
	file = ikt_file(&db, "in.xml", text);
	if (ent != NULL)
		ikt_run(&db, NULL, &res, mode, "-e", ent, file, NULL);
	else
		ikt_run(&db, NULL, &res, mode, file, NULL);
	assert_int_equal(res.status, 1);
	assert_string_equal(res.out, "");
	ikt_one_message(res.err, want);
	if (nowant != NULL)
		assert_null(strstr(res.err, nowant));
	tu_result_free(&res);
	ikt_snap_same(&db, &snap);
}

static void
run_case(void **state)
{
	const struct rcase *c = *state;
	char *text;

	if (c->raw) {
		text = strdup(c->body);
	} else {
		text = malloc(strlen(HEAD) + strlen(c->body) + strlen(TAIL) + 1);
		assert_non_null(text);
		sprintf(text, "%s%s%s", HEAD, c->body, TAIL);
	}
	assert_non_null(text);
	refused(c->mode != NULL ? c->mode : "-p", text, c->want, c->nowant,
	    NULL);
	free(text);
}

/* --------------------------------------------- generated documents */

/* HEAD, open, n items on lines of their own, close, TAIL. */
static char *
gen(const char *open, void (*item)(char *, size_t, unsigned), unsigned n,
    const char *close)
{
	size_t len = strlen(HEAD) + strlen(open) + strlen(close) +
	    strlen(TAIL) + (size_t)n * 256 + 1;
	char *s = malloc(len), *p;
	unsigned i;

	assert_non_null(s);
	p = s + sprintf(s, "%s%s\n", HEAD, open);
	for (i = 0; i < n; i++) {
		item(p, 256, i + 1);
		p += strlen(p);
	}
	sprintf(p, "%s%s", close, TAIL);
	return s;
}

static void
transform(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "<IKETransform IKE_DHGroup=\"14\"/><!-- %u -->\n", i);
}

static void
member(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "<IPV4_Address Value=\"10.0.0.%u\"/>\n", i);
}

/* A value of 6 + 1 + 50 + 1 + 50 + 1 + 7 = 116 bytes. */
static void
long_fqdn(char *buf, size_t n, unsigned i)
{
	snprintf(buf, n, "<FQDN Value=\"host%02u.%.50s.%.50s.example\"/>\n", i,
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
}

static void
too_many_transforms(void **state)
{
	const char *want[] = { "in.xml:20: IKETransform: too many in "
	    "IKEProtection (at most 16)", NULL };
	char *s = gen("<IKEProtection IKE_ProtectionName=\"n1\">", transform,
	    17, "</IKEProtection>");

	(void)state;
	refused("-p", s, want, NULL, NULL);
	free(s);
}

static void
too_many_members(void **state)
{
	const char *want[] = { "in.xml:68: IPV4_Address: too many in "
	    "IKEGroup (at most 64)", NULL };
	char *s = gen("<IKEGroup IKE_GroupName=\"big\">", member, 65,
	    "</IKEGroup>");

	(void)state;
	refused("-p", s, want, NULL, NULL);
	free(s);
}

static void
group_values_over_1k(void **state)
{
	const char *want[] = { "in.xml:3: IKEGroup: 1044 bytes of values, "
	    "more than 1024", NULL };
	char *s = gen("<IKEGroup IKE_GroupName=\"big\">", long_fqdn, 9,
	    "</IKEGroup>");

	(void)state;
	refused("-p", s, want, NULL, NULL);
	free(s);
}

static void
name_too_long(void **state)
{
	const char *want[] = { "in.xml:3: IKEGroup: IKE_GroupName=",
	    "name longer than 63 characters", NULL };
	char name[65], *s;

	(void)state;
	memset(name, 'n', 64);
	name[64] = '\0';
	s = malloc(512);
	assert_non_null(s);
	snprintf(s, 512, HEAD "<IKEGroup IKE_GroupName=\"%s\">"
	    V4("1.2.3.4") "</IKEGroup>" TAIL, name);
	refused("-p", s, want, NULL, NULL);
	free(s);
}

/* -e: only entity declarations, and only general ones. */
static void
entity_file_rules(void **state)
{
	const char *doc = HEAD "&grp;" TAIL;
	const char *w1[] = { "ents:2: only <!ENTITY ...> declarations are "
	    "allowed in an entity file", NULL };
	const char *w2[] = { "ents:1: parameter entities are not allowed",
	    NULL };
	const char *w3[] = { "part.xml:2: IPV4_Address: Value=\"1.2.3\": not "
	    "an IPv4 address", NULL };
	const char *ent;

	(void)state;
	ent = ikt_file(&db, "ents", "<!ENTITY grp \"\">\n<!ELEMENT x EMPTY>\n");
	refused("-p", doc, w1, NULL, ent);
	ent = ikt_file(&db, "ents", "<!ENTITY % grp \"\">\n");
	refused("-p", doc, w2, NULL, ent);
	/* An error inside an included file names that file. */
	ikt_file(&db, "part.xml", "<IKEGroup IKE_GroupName=\"g\">\n"
	    V4("1.2.3") "\n</IKEGroup>\n");
	ent = ikt_file(&db, "ents", "<!ENTITY grp SYSTEM \"part.xml\">\n");
	refused("-p", doc, w3, NULL, ent);
}

int
main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(too_many_transforms),
		cmocka_unit_test(too_many_members),
		cmocka_unit_test(group_values_over_1k),
		cmocka_unit_test(name_too_long),
		cmocka_unit_test(entity_file_rules),
	};
	size_t n = sizeof(cases) / sizeof(cases[0]), nf, i;
	struct CMUnitTest *t;
	int rc;

	nf = sizeof(fixed) / sizeof(fixed[0]);
	t = calloc(n + nf, sizeof(*t));
	if (t == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		t[i].name = cases[i].name;
		t[i].test_func = run_case;
		t[i].initial_state = (void *)(uintptr_t)&cases[i];
	}
	memcpy(t + n, fixed, sizeof(fixed));
	rc = _cmocka_run_group_tests("ikedb_reject", t, n + nf, load, unload);
	free(t);
	return rc;
}
