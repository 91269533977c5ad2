/* Certificate tunnels between two real isakmpd processes (-K mem) in
 * network namespaces (tun_util.c), driven through ikedb and ike, with a
 * test CA made at run time with BoringSSL (tests/crypto/test_cert_ca.h;
 * no external tool), valid around the real clock:
 *  - IKEv2, ECDSA P-256, X500DN identities: both sides Active, `ike
 *    cmd=list verbose` shows ECDSA_Signature and the peer's certificate;
 *    the responder's definition spells the initiator's DN differently
 *    (letter case, blanks) and still matches (by meaning);
 *  - IKEv2, RSA-2048, address identities (subjectAltName iPAddress);
 *  - IKEv1 Main Mode, RSA-2048, address identities (ECDSA_Signature is
 *    IKEv2 only in the definitions, as on AIX: ikedb refuses it);
 *  - the responder's certificate expired: the initiator lists the phase
 *    1 Expired with "certificate expired"; revoked by the initiator's
 *    CRL_FILES: "certificate revoked";
 *  - the responder's certificate from a CA the initiator does not know:
 *    Expired with "unknown CA";
 *  - a private key file of mode 0644: isakmpd does not start (exit 1)
 *    and says why; a certificate without its key, likewise;
 *  - no certificate configured: activate refuses a signature tunnel,
 *    saying so; a certificate whose key is of the other type: activate
 *    refuses, and a responder does not answer, saying why in its log;
 *  - SIGHUP with a key file gone bad keeps the loaded certificates (the
 *    log says so) and a tunnel still comes up.
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/nid.h>
#include <openssl/x509.h>

#include "test_cert_ca.h"
#include "tests/integration/tun_util.h"

#define DAY	((time_t)86400)

/* A CA and its key. */
struct ca {
	EVP_PKEY	*key;
	X509		*crt;
};

static void
ca_make(struct ca *ca, const char *cn, bool rsa)
{
	struct tca_opts o = { .cn = cn, .ca = true,
	    .ku = "keyCertSign,cRLSign" };
	time_t now = time(NULL);

	o.not_before = now - DAY;
	o.not_after = now + 365 * DAY;
	o.serial = 1;
	ca->key = rsa ? tca_rsa(2048) : tca_ec(NID_X9_62_prime256v1);
	ca->crt = tca_cert(ca->key, NULL, NULL, &o);
}

static void
ca_free(struct ca *ca)
{
	X509_free(ca->crt);
	EVP_PKEY_free(ca->key);
}

static void
path(char *buf, size_t n, const struct tun_side *s, const char *file)
{
	assert_true((size_t)snprintf(buf, n, "%s/%s", s->td.dir, file) < n);
}

/* Side s's certificate (CN cn, subjectAltName IP:its address) issued by
 * ca, valid from nb to na, and its key, in gw.pem and gw.key (0600);
 * ca.pem holds trust (the CA its peer's certificate needs). */
static void
gw_files(struct tun_side *s, const struct ca *issuer, const struct ca *trust,
    const char *cn, bool rsa, time_t nb, time_t na)
{
	char san[64], p[512];
	struct tca_opts o = { .cn = cn, .ku = "digitalSignature",
	    .san = san, .not_before = nb, .not_after = na, .serial = 7 };
	EVP_PKEY *key = rsa ? tca_rsa(2048) : tca_ec(NID_X9_62_prime256v1);
	X509 *crt;

	snprintf(san, sizeof(san), "IP:%s", s->addr);
	crt = tca_cert(key, issuer->crt, issuer->key, &o);
	path(p, sizeof(p), s, "gw.pem");
	tca_write_certs(p, &crt, 1);
	path(p, sizeof(p), s, "gw.key");
	tca_write_key(p, key);
	path(p, sizeof(p), s, "ca.pem");
	tca_write_certs(p, &trust->crt, 1);
	X509_free(crt);
	EVP_PKEY_free(key);
}

static void
gw_ok(struct tun_side *s, const struct ca *ca, const char *cn, bool rsa)
{
	time_t now = time(NULL);

	gw_files(s, ca, ca, cn, rsa, now - DAY, now + 30 * DAY);
}

/* The isakmpd.conf lines naming side s's files. */
static void
cert_conf(const struct tun_side *s, char *buf, size_t n)
{
	assert_true((size_t)snprintf(buf, n, "log_level=events\n"
	    "v1=5600-5601\nCERTIFICATE_FILE=%s/gw.pem\n"
	    "PRIVATE_KEY_FILE=%s/gw.key\nCA_CERTIFICATES=%s/ca.pem\n",
	    s->td.dir, s->td.dir, s->td.dir) < n);
}

static void
start_both(struct tun_fx *f)
{
	char conf[2048];
	int i;

	for (i = 0; i < 2; i++) {
		cert_conf(&f->s[i], conf, sizeof(conf));
		tun_daemon_start_conf(&f->s[i], conf);
	}
}

/* The definitions of side me: protection pc (version, method), ESP q1,
 * IKETunnel t1 between the sides' addresses with the identities given
 * (XML elements), IPSecTunnel s1 between 10.1.x.0/24. */
static void
put_defs(struct tun_side *s, int me, int version, const char *method,
    const char *local_id, const char *remote_id)
{
	char xml[8192];

	assert_true((size_t)snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
	    "<IKEProtection IKE_ProtectionName=\"pc\" IKE_Version=\"%d\">\n"
	    "<IKETransform IKE_Encryption=\"AES-CBC-256\""
	    " IKE_Hash=\"SHA2-256\" IKE_DHGroup=\"%d\""
	    " IKE_AuthenticationMethod=\"%s\"/>\n</IKEProtection>\n"
	    "<IPSecProposal IPSec_ProposalName=\"esp\">"
	    "<IPSecESPProtocol ESP_Encryption=\"AES-CBC-256\""
	    " ESP_Authentication=\"HMAC-SHA2-256\""
	    " ESP_EncapsulationMode=\"Tunnel\"/></IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"q1\""
	    " IPSec_ProposalRefs=\"esp\"/>\n"
	    "<IKETunnel IKE_TunnelName=\"t1\" IKE_ProtectionRef=\"pc\""
	    " IKE_LocalAddress=\"%s\" IKE_RemoteAddress=\"%s\">\n"
	    "<IKELocalIdentity>%s</IKELocalIdentity>\n"
	    "<IKERemoteIdentity>%s</IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IPSecTunnel IPSec_TunnelName=\"s1\" IKE_TunnelName=\"t1\""
	    " IPSec_ProtectionRef=\"q1\">\n"
	    "<IPSecLocalIdentity><IPV4_Subnet Value=\"10.1.%d.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecLocalIdentity>\n"
	    "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.1.%d.0\""
	    " NetMask=\"255.255.255.0\"/></IPSecRemoteIdentity>\n"
	    "</IPSecTunnel>\n</AIX_VPN>\n", version, version == 1 ? 14 : 19,
	    method, s->addr, s->peer, local_id, remote_id, me + 1, 2 - me) <
	    sizeof(xml));
	tun_ikedb_put(s, "-p", xml);
}

static void
addr_ids(struct tun_fx *f, int version, const char *method)
{
	char l[128], r[128];
	int me;

	for (me = 0; me < 2; me++) {
		snprintf(l, sizeof(l), "<IPV4_Address Value=\"%s\"/>",
		    f->s[me].addr);
		snprintf(r, sizeof(r), "<IPV4_Address Value=\"%s\"/>",
		    f->s[me].peer);
		put_defs(&f->s[me], me, version, method, l, r);
	}
}

/* Both phases Active on both sides. */
static void
both_active(struct tun_fx *f)
{
	char *out;

	out = tun_wait_list(&f->s[0], NULL, "1      1       Active",
	    "2      1       Active", NULL);
	free(out);
	out = tun_wait_list(&f->s[1], NULL, "Active", "2      1       Active",
	    NULL);
	free(out);
}

static void
test_v2_ecdsa_dn(void **state)
{
	struct tun_fx *f = *state;
	struct ca ca;
	char *out;

	ca_make(&ca, "Test CA", false);
	gw_ok(&f->s[0], &ca, "a.example", false);
	gw_ok(&f->s[1], &ca, "b.example", false);
	/* A names B's DN as the certificate has it, B names A's in another
	 * spelling. */
	put_defs(&f->s[0], 0, 2, "ECDSA_Signature", "<X500DN Value=\"C=US, "
	    "O=Example Corp, CN=a.example\"/>", "<X500DN Value=\"C=US, "
	    "O=Example Corp, CN=b.example\"/>");
	put_defs(&f->s[1], 1, 2, "ECDSA_Signature", "<X500DN Value=\"C=US, "
	    "O=Example Corp, CN=b.example\"/>", "<X500DN Value=\"c=us,"
	    "o=EXAMPLE   corp,  cn=A.Example\"/>");
	start_both(f);
	tun_log_has(&f->s[0], "certificate C=US, O=Example Corp, CN=a.example");
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	both_active(f);
	out = tun_wait_list(&f->s[0], "verbose",
	    "Authentication Method: ECDSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=b.example",
	    "Role: Initiator");
	assert_non_null(strstr(out, "C=US, O=Example Corp, CN=b.example"));
	free(out);
	out = tun_wait_list(&f->s[1], "verbose",
	    "Authentication Method: ECDSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=a.example",
	    "Definition: t1 (Tun Id 1)");
	free(out);
	tun_ike_ok(&f->s[0], "cmd=remove", NULL, NULL);
	tun_wait_empty(&f->s[0]);
	tun_stop_both(f);
	ca_free(&ca);
}

/* RSA certificates from one CA for a.example and b.example, address
 * identities, IKE version: both phases up. */
static void
rsa_up(struct tun_fx *f, struct ca *ca, int version)
{
	ca_make(ca, "Test RSA CA", true);
	gw_ok(&f->s[0], ca, "a.example", true);
	gw_ok(&f->s[1], ca, "b.example", true);
	addr_ids(f, version, "RSA_Signature");
	start_both(f);
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	both_active(f);
}

static void
test_v2_rsa_addr(void **state)
{
	struct tun_fx *f = *state;
	struct ca ca;
	char *out;

	rsa_up(f, &ca, 2);
	out = tun_wait_list(&f->s[0], "verbose",
	    "Authentication Method: RSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=b.example", NULL);
	free(out);
	out = tun_wait_list(&f->s[1], "verbose",
	    "Authentication Method: RSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=a.example", NULL);
	free(out);
	tun_stop_both(f);
	ca_free(&ca);
}

static void
test_v1_rsa(void **state)
{
	struct tun_fx *f = *state;
	struct ca ca;
	char *out;

	rsa_up(f, &ca, 1);
	out = tun_wait_list(&f->s[0], "verbose", "IKE Version: 1",
	    "Authentication Method: RSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=b.example");
	free(out);
	out = tun_wait_list(&f->s[1], "verbose", "Exchange Mode: Main",
	    "Authentication Method: RSA_Signature",
	    "Peer Certificate: C=US, O=Example Corp, CN=a.example");
	free(out);
	tun_stop_both(f);
	ca_free(&ca);
}

/* B presents a certificate A refuses: A lists the reason. */
static void
refused(struct tun_fx *f, const char *reason)
{
	char *out, want[128];

	addr_ids(f, 2, "ECDSA_Signature");
	start_both(f);
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	snprintf(want, sizeof(want), "Reason: AUTHENTICATION_FAILED (%s)",
	    reason);
	out = tun_wait_list(&f->s[0], "verbose", "Status: Expired", want,
	    "Authentication Method: ECDSA_Signature");
	assert_null(strstr(out, "Status: Active"));
	free(out);
	tun_log_has(&f->s[0], reason);
	tun_stop_both(f);
}

static void
test_expired(void **state)
{
	struct tun_fx *f = *state;
	time_t now = time(NULL);
	struct ca ca;

	ca_make(&ca, "Test CA", false);
	gw_ok(&f->s[0], &ca, "a.example", false);
	gw_files(&f->s[1], &ca, &ca, "b.example", false, now - 30 * DAY,
	    now - DAY);
	refused(f, "certificate expired");
	ca_free(&ca);
}

/* A's CRL_FILES revokes B's certificate (serial 7). */
static void
test_revoked(void **state)
{
	struct tun_fx *f = *state;
	static const uint64_t serial = 7;
	time_t now = time(NULL);
	struct ca ca;
	X509_CRL *crl;
	char p[512], conf[2048];

	ca_make(&ca, "Test CA", false);
	gw_ok(&f->s[0], &ca, "a.example", false);
	gw_ok(&f->s[1], &ca, "b.example", false);
	crl = tca_crl(ca.crt, ca.key, &serial, 1, now - DAY, now + DAY);
	path(p, sizeof(p), &f->s[0], "ca.crl");
	tca_write_crl(p, crl);
	X509_CRL_free(crl);
	addr_ids(f, 2, "ECDSA_Signature");
	cert_conf(&f->s[0], conf, sizeof(conf));
	assert_true(strlen(conf) + strlen(p) + 16 < sizeof(conf));
	strcat(conf, "CRL_FILES=");
	strcat(conf, p);
	strcat(conf, "\n");
	tun_daemon_start_conf(&f->s[0], conf);
	tun_log_has(&f->s[0], "1 CA certificate, 1 CRL file");
	cert_conf(&f->s[1], conf, sizeof(conf));
	tun_daemon_start_conf(&f->s[1], conf);
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	free(tun_wait_list(&f->s[0], "verbose", "Status: Expired",
	    "Reason: AUTHENTICATION_FAILED (certificate revoked)", NULL));
	tun_stop_both(f);
	ca_free(&ca);
}

static void
test_unknown_ca(void **state)
{
	struct tun_fx *f = *state;
	struct ca ca, other;

	ca_make(&ca, "Test CA", false);
	ca_make(&other, "Other CA", false);
	gw_ok(&f->s[0], &ca, "a.example", false);
	/* B's certificate from a CA A does not trust; B trusts A's. */
	gw_files(&f->s[1], &other, &ca, "b.example", false, time(NULL) - DAY,
	    time(NULL) + DAY);
	refused(f, "unknown CA");
	ca_free(&other);
	ca_free(&ca);
}

/* isakmpd -d with side s's files: exit status and stderr. */
static int
start_fails(struct tun_side *s, char **err)
{
	char conf[2048];
	const char *const args[] = { "-d", "-K", "mem", "-S", s->td.sock,
	    "-D", s->td.db, "-f", s->td.conf, NULL };

	cert_conf(s, conf, sizeof(conf));
	assert_int_equal(tu_write_file(s->td.conf, conf), 0);
	return td_run_fail(args, NULL, err);
}

static void
test_key_mode(void **state)
{
	struct tun_fx *f = *state;
	struct tun_side *s = &f->s[0];
	char p[512], want[600], conf[2048], *err = NULL;
	struct ca ca;

	ca_make(&ca, "Test CA", false);
	gw_ok(s, &ca, "a.example", false);
	path(p, sizeof(p), s, "gw.key");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(start_fails(s, &err), 1);
	snprintf(want, sizeof(want), "private key %s has mode 0644: must be "
	    "0600", p);
	if (strstr(err, want) == NULL || strstr(err, "not started") == NULL)
		fail_msg("stderr: %s", err);
	free(err);
	/* A certificate without its key. */
	assert_int_equal(chmod(p, 0600), 0);
	snprintf(conf, sizeof(conf), "CERTIFICATE_FILE=%s/gw.pem\n",
	    s->td.dir);
	assert_int_equal(tu_write_file(s->td.conf, conf), 0);
	{
		const char *const args[] = { "-d", "-K", "mem", "-S",
		    s->td.sock, "-D", s->td.db, "-f", s->td.conf, NULL };

		assert_int_equal(td_run_fail(args, NULL, &err), 1);
	}
	assert_non_null(strstr(err, "CERTIFICATE_FILE is set but "
	    "PRIVATE_KEY_FILE is not"));
	free(err);
	/* A missing CA file: the system refused (exit 2). */
	path(p, sizeof(p), s, "ca.pem");
	assert_int_equal(unlink(p), 0);
	assert_int_equal(start_fails(s, &err), 2);
	assert_non_null(strstr(err, "CA_CERTIFICATES"));
	assert_non_null(strstr(err, p));
	free(err);
	ca_free(&ca);
}

/* Without CERTIFICATE_FILE a signature tunnel is refused at activate,
 * with the reason; the other side, with its certificate, does not answer
 * for a method whose key it lacks (RSA tunnel, EC certificate). */
static void
test_no_certificate(void **state)
{
	struct tun_fx *f = *state;
	struct tu_result res;
	char conf[2048];
	struct ca ca;

	ca_make(&ca, "Test CA", false);
	gw_ok(&f->s[1], &ca, "b.example", false);
	addr_ids(f, 2, "RSA_Signature");
	tun_daemon_start_conf(&f->s[0], "log_level=events\n");
	cert_conf(&f->s[1], conf, sizeof(conf));
	tun_daemon_start_conf(&f->s[1], conf);
	tun_ike(&f->s[0], "cmd=activate", "numlist=1", NULL, NULL, &res);
	assert_int_equal(res.status, 3);
	if (strstr(res.err, "phase-1 tunnel t1: it authenticates with "
	    "RSA_Signature, but isakmpd has no certificate") == NULL)
		fail_msg("stderr: %s", res.err);
	tu_result_free(&res);
	tun_ike(&f->s[1], "cmd=activate", "numlist=1", NULL, NULL, &res);
	assert_int_equal(res.status, 3);
	if (strstr(res.err, "RSA_Signature, but the certificate of "
	    "CERTIFICATE_FILE has an EC P-256 key") == NULL)
		fail_msg("stderr: %s", res.err);
	tu_result_free(&res);
	tun_stop_both(f);
	ca_free(&ca);
}

/* A responder whose certificate's key is not of the definition's
 * method does not answer, and says why in its log. */
static void
test_responder_wrong_key(void **state)
{
	struct tun_fx *f = *state;
	struct ca ca;

	ca_make(&ca, "Test CA", true);
	gw_ok(&f->s[0], &ca, "a.example", true);
	gw_ok(&f->s[1], &ca, "b.example", false);
	addr_ids(f, 2, "RSA_Signature");
	start_both(f);
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	tun_log_has(&f->s[1], "IKETunnel t1 does not answer: it authenticates "
	    "with RSA_Signature, but the certificate of CERTIFICATE_FILE has "
	    "an EC P-256 key");
	tun_stop_both(f);
	ca_free(&ca);
}

/* SIGHUP re-reads the files: a key gone bad keeps the old ones. */
static void
test_reload(void **state)
{
	struct tun_fx *f = *state;
	char p[512];
	struct ca ca;

	ca_make(&ca, "Test CA", false);
	gw_ok(&f->s[0], &ca, "a.example", false);
	gw_ok(&f->s[1], &ca, "b.example", false);
	addr_ids(f, 2, "ECDSA_Signature");
	start_both(f);
	path(p, sizeof(p), &f->s[0], "gw.key");
	assert_int_equal(chmod(p, 0640), 0);
	assert_int_equal(kill(f->s[0].td.pid, SIGHUP), 0);
	tun_log_has(&f->s[0], "has mode 0640: must be 0600");
	tun_log_has(&f->s[0], "the certificates loaded before stay");
	tun_ike_ok(&f->s[0], "cmd=activate", "numlist=1", NULL);
	both_active(f);
	/* Fixed: the reload takes the files again. */
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(kill(f->s[0].td.pid, SIGHUP), 0);
	tun_log_has(&f->s[0], "SIGHUP: certificate C=US, O=Example Corp, "
	    "CN=a.example");
	tun_stop_both(f);
	ca_free(&ca);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v2_ecdsa_dn, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_v2_rsa_addr, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_v1_rsa, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_expired, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_revoked, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_ca, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_key_mode, tun_setup,
		    tun_teardown),
		cmocka_unit_test_setup_teardown(test_no_certificate,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_responder_wrong_key,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_reload, tun_setup,
		    tun_teardown),
	};

	if (tun_check_env("test_tunnels_cert") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
