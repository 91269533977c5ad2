/* cert_dn_equal(): two DER DNs compared by ASN.1 meaning — string types,
 * case and inner blanks of values do not matter, the order of the RDNs
 * and the values do; what is not a DER Name is refused.  The DNs are
 * made with BoringSSL's X509_NAME API here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/mem.h>
#include <openssl/x509.h>

#include "core/crypto/cert.h"
#include "core/err.h"

/* DER of the DN with the attributes kv[0]=kv[1], ... in this order, each
 * value with string type `type` (MBSTRING_ASC gives PrintableString
 * where it can, V_ASN1_UTF8STRING a UTF8String). */
static uint8_t *
dn(int type, const char *const *kv, size_t n, size_t *len)
{
	X509_NAME *x = X509_NAME_new();
	uint8_t *der = NULL;
	size_t i;
	int l;

	assert_non_null(x);
	for (i = 0; i + 1 < n; i += 2)
		assert_int_equal(X509_NAME_add_entry_by_txt(x, kv[i], type,
		    (const uint8_t *)kv[i + 1], -1, -1, 0), 1);
	l = i2d_X509_NAME(x, &der);
	assert_true(l > 0);
	X509_NAME_free(x);
	*len = (size_t)l;
	return der;
}

static const char *const gw[] = { "C", "US", "O", "Example", "CN", "gw" };
static const char *const gw_case[] = { "C", "us", "O", "EXAMPLE",
    "CN", "GW" };
static const char *const gw_blank[] = { "C", "US", "O", "  Example ",
    "CN", "gw" };
static const char *const gw_order[] = { "CN", "gw", "O", "Example",
    "C", "US" };
static const char *const gw2[] = { "C", "US", "O", "Example", "CN", "gw2" };

static void
same_meaning(void **state)
{
	size_t al, bl;
	uint8_t *a = dn(MBSTRING_ASC, gw, 6, &al);
	uint8_t *b = dn(V_ASN1_UTF8STRING, gw, 6, &bl);

	(void)state;
	assert_true(al != bl || memcmp(a, b, al) != 0);	/* other octets */
	assert_int_equal(cert_dn_equal(a, al, b, bl), 0);
	OPENSSL_free(b);
	b = dn(MBSTRING_ASC, gw_case, 6, &bl);
	assert_int_equal(cert_dn_equal(a, al, b, bl), 0);
	OPENSSL_free(b);
	b = dn(MBSTRING_ASC, gw_blank, 6, &bl);
	assert_int_equal(cert_dn_equal(a, al, b, bl), 0);
	OPENSSL_free(b);
	OPENSSL_free(a);
}

static void
different(void **state)
{
	size_t al, bl;
	uint8_t *a = dn(MBSTRING_ASC, gw, 6, &al);
	uint8_t *b = dn(MBSTRING_ASC, gw_order, 6, &bl);

	(void)state;
	assert_int_equal(cert_dn_equal(a, al, b, bl), IKE_EINVAL);
	OPENSSL_free(b);
	b = dn(MBSTRING_ASC, gw2, 6, &bl);
	assert_int_equal(cert_dn_equal(a, al, b, bl), IKE_EINVAL);
	OPENSSL_free(b);
	b = dn(MBSTRING_ASC, gw, 4, &bl);	/* C and O only */
	assert_int_equal(cert_dn_equal(a, al, b, bl), IKE_EINVAL);
	OPENSSL_free(b);
	OPENSSL_free(a);
}

static void
malformed(void **state)
{
	static const uint8_t junk[] = { 0x30, 0x05, 0x31, 0x03, 0x30, 0x01 };
	size_t al, k;
	uint8_t *a = dn(MBSTRING_ASC, gw, 6, &al);

	(void)state;
	assert_int_equal(cert_dn_equal(a, al, junk, sizeof(junk)),
	    IKE_EMALFORMED);
	assert_int_equal(cert_dn_equal(junk, sizeof(junk), a, al),
	    IKE_EMALFORMED);
	assert_int_equal(cert_dn_equal(a, al, a, 0), IKE_EMALFORMED);
	for (k = 1; k < al; k++)	/* every truncation */
		assert_int_equal(cert_dn_equal(a, al, a, k), IKE_EMALFORMED);
	OPENSSL_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_meaning),
		cmocka_unit_test(different),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
