/* bench/bench_suite.c: see bench_suite.h. */
#include "bench_suite.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"

#define GCM_IKE	{ ENCR_AES_GCM_16, 256, 0, PRF_HMAC_SHA2_256 }
#define GCM_ESP	{ IKEV2_PROTO_ESP, ENCR_AES_GCM_16, 256, 0 }
#define CBC_IKE2 { ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_256_128, \
	PRF_HMAC_SHA2_256 }
/* IKEv1: no integrity transform, the Hash Algorithm is the PRF's */
#define CBC_IKE1 { ENCR_AES_CBC, 256, 0, PRF_HMAC_SHA2_256 }
#define CBC_ESP	{ IKEV2_PROTO_ESP, ENCR_AES_CBC, 256, \
	AUTH_HMAC_SHA2_256_128 }

#define X_GCM_ESP	"ESP_Encryption=\"AES-GCM-256\"" \
	" ESP_Authentication=\"None\""
#define X_CBC_ESP	"ESP_Encryption=\"AES-CBC-256\"" \
	" ESP_Authentication=\"HMAC-SHA2-256\""
#define X_CBC_IKE(g)	"IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\"" \
	" IKE_DHGroup=\"" g "\""

#define X_PSK		"Preshared_Key"
#define X_V2		"IKE_Version=\"2\""
#define X_V1_MAIN	"IKE_Version=\"1\" IKE_XCHGMode=\"Main\""
#define X_GCM_IKE	"IKE_Encryption=\"AES-GCM-256\" IKE_Hash=\"SHA2-256\"" \
	" IKE_DHGroup=\"31\""

/* The certificate suites: both ends sign with an end-entity certificate
 * of the named key type issued by a CA made at bench start
 * (bench_cert.h) and check the peer's chain up to that CA; the
 * identities are the certificates' subject DNs (ID_DER_ASN1_DN).  IKEv2
 * signs with AUTH method 14 (RFC 7427 Digital Signature, SHA2-256; RSA:
 * RSASSA-PSS), what the engine does whenever the peer announces
 * SIGNATURE_HASH_ALGORITHMS; IKEv1 signs as RFC 2409 s. 5.1 (RSA) and
 * RFC 4754 (ECDSA P-256, method 9) say. */
static const struct bench_suite suites[] = {
	{ "v2", "IKEv2 IKE_SA_INIT + IKE_AUTH, PSK, AES-GCM-16-256 with "
	    "PRF-HMAC-SHA2-256, Curve25519 (31); ESP AES-GCM-16-256",
	    IKE_VERSION_2, false, GCM_IKE, DH_CURVE25519, GCM_ESP,
	    CFG_AUTH_PSK, IKEV2_AUTH_SHARED_KEY_MIC, X_V2, X_GCM_IKE,
	    X_GCM_ESP, X_PSK },
	{ "v2-modp2048", "IKEv2 IKE_SA_INIT + IKE_AUTH, PSK, AES-CBC-256/"
	    "HMAC-SHA2-256/PRF-HMAC-SHA2-256, MODP-2048 (14); ESP "
	    "AES-CBC-256/HMAC-SHA2-256-128", IKE_VERSION_2, false, CBC_IKE2,
	    DH_MODP_2048, CBC_ESP, CFG_AUTH_PSK, IKEV2_AUTH_SHARED_KEY_MIC,
	    X_V2, X_CBC_IKE("14"), X_CBC_ESP, X_PSK },
	{ "v2-ecp256", "IKEv2 IKE_SA_INIT + IKE_AUTH, PSK, AES-CBC-256/"
	    "HMAC-SHA2-256/PRF-HMAC-SHA2-256, ECP-256 (19); ESP "
	    "AES-CBC-256/HMAC-SHA2-256-128", IKE_VERSION_2, false, CBC_IKE2,
	    DH_ECP_256, CBC_ESP, CFG_AUTH_PSK, IKEV2_AUTH_SHARED_KEY_MIC,
	    X_V2, X_CBC_IKE("19"), X_CBC_ESP, X_PSK },
	{ "v2-cert-ecdsa256", "IKEv2 IKE_SA_INIT + IKE_AUTH, ECDSA P-256 "
	    "certificates (CA -> end entity, AUTH method 14 with SHA2-256), "
	    "AES-GCM-16-256 with PRF-HMAC-SHA2-256, Curve25519 (31); ESP "
	    "AES-GCM-16-256", IKE_VERSION_2, false, GCM_IKE, DH_CURVE25519,
	    GCM_ESP, CFG_AUTH_ECDSA_SIG, IKEV2_AUTH_DIGITAL_SIG, X_V2,
	    X_GCM_IKE, X_GCM_ESP, "ECDSA_Signature" },
	{ "v2-cert-rsa2048", "IKEv2 IKE_SA_INIT + IKE_AUTH, RSA-2048 "
	    "certificates (CA -> end entity, AUTH method 14: RSASSA-PSS "
	    "with SHA2-256), AES-GCM-16-256 with PRF-HMAC-SHA2-256, "
	    "Curve25519 (31); ESP AES-GCM-16-256", IKE_VERSION_2, false,
	    GCM_IKE, DH_CURVE25519, GCM_ESP, CFG_AUTH_RSA_SIG,
	    IKEV2_AUTH_DIGITAL_SIG, X_V2, X_GCM_IKE, X_GCM_ESP,
	    "RSA_Signature" },
	{ "v1-modp2048", "IKEv1 Main Mode + Quick Mode without PFS, PSK, "
	    "AES-CBC-256/SHA2-256, MODP-2048 (14); ESP AES-CBC-256/"
	    "HMAC-SHA2-256-128", IKE_VERSION_1, false, CBC_IKE1,
	    DH_MODP_2048, CBC_ESP, CFG_AUTH_PSK, 0, X_V1_MAIN,
	    X_CBC_IKE("14"), X_CBC_ESP, X_PSK },
	{ "v1-ecp256", "IKEv1 Main Mode + Quick Mode without PFS, PSK, "
	    "AES-CBC-256/SHA2-256, ECP-256 (19); ESP AES-CBC-256/"
	    "HMAC-SHA2-256-128", IKE_VERSION_1, false, CBC_IKE1, DH_ECP_256,
	    CBC_ESP, CFG_AUTH_PSK, 0, X_V1_MAIN, X_CBC_IKE("19"), X_CBC_ESP,
	    X_PSK },
	{ "v1-aggr-ecp256", "IKEv1 Aggressive Mode + Quick Mode without "
	    "PFS, PSK, AES-CBC-256/SHA2-256, ECP-256 (19); ESP AES-CBC-256/"
	    "HMAC-SHA2-256-128", IKE_VERSION_1, true, CBC_IKE1, DH_ECP_256,
	    CBC_ESP, CFG_AUTH_PSK, 0, "IKE_Version=\"1\" "
	    "IKE_XCHGMode=\"Aggressive\"", X_CBC_IKE("19"), X_CBC_ESP, X_PSK },
	{ "v1-cert-rsa2048", "IKEv1 Main Mode + Quick Mode without PFS, "
	    "RSA-2048 certificates (CA -> end entity, RSA signatures), "
	    "AES-CBC-256/SHA2-256, ECP-256 (19); ESP AES-CBC-256/"
	    "HMAC-SHA2-256-128", IKE_VERSION_1, false, CBC_IKE1, DH_ECP_256,
	    CBC_ESP, CFG_AUTH_RSA_SIG, IKEV2_AUTH_RSA_SIG, X_V1_MAIN,
	    X_CBC_IKE("19"), X_CBC_ESP, "RSA_Signature" },
	{ "v1-cert-ecdsa256", "IKEv1 Main Mode + Quick Mode without PFS, "
	    "ECDSA P-256 certificates (CA -> end entity, method 9), "
	    "AES-CBC-256/SHA2-256, ECP-256 (19); ESP AES-CBC-256/"
	    "HMAC-SHA2-256-128", IKE_VERSION_1, false, CBC_IKE1, DH_ECP_256,
	    CBC_ESP, CFG_AUTH_ECDSA_SIG, IKEV2_AUTH_ECDSA_256, X_V1_MAIN,
	    X_CBC_IKE("19"), X_CBC_ESP, "ECDSA_Signature" },
};


#define NSUITES	(sizeof(suites) / sizeof(suites[0]))

const struct bench_suite *
bench_suite(const char *name)
{
	size_t i;

	for (i = 0; i < NSUITES; i++)
		if (strcmp(suites[i].name, name) == 0)
			return &suites[i];
	return NULL;
}

const struct bench_suite *
bench_suite_default(void)
{
	return &suites[0];
}

const char *
bench_suite_names(void)
{
	static char names[512];
	size_t i, n = 0, len;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < NSUITES; i++) {
		len = strlen(suites[i].name);
		if (n + len + 2 > sizeof(names))
			break;		/* cannot happen: a few short names */
		if (i > 0)
			names[n++] = '|';
		memcpy(names + n, suites[i].name, len + 1);
		n += len;
	}
	return names;
}

void
bench_suite_apply(const struct bench_suite *s, struct ike_cfg *cfg,
    struct child_cfg *ccfg)
{
	cfg->version = s->version;
	cfg->aggressive = s->aggressive;
	cfg->auth = s->auth;
	memset(cfg->props, 0, sizeof(cfg->props));
	cfg->props[0] = s->ike;
	cfg->nprops = 1;
	memset(cfg->dh, 0, sizeof(cfg->dh));
	cfg->dh[0] = s->dh;
	cfg->ndh = 1;
	memset(ccfg->props, 0, sizeof(ccfg->props));
	ccfg->props[0] = s->esp;
	ccfg->nprops = 1;
	ccfg->mode = PLAT_TUNNEL;
}
