/* tests/tunnel/test_tm_dn.c: X.500 names between X500DN text and DER
 * (core/tunnel/tm_dn.h).  The DER is checked against BoringSSL's own
 * encoding of the same name (X509_NAME with the default string types),
 * so that a definition typed from a certificate's subject gives the
 * certificate's octets; then the way back, and every refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bytestring.h>
#include <openssl/mem.h>
#include <openssl/x509.h>

#include "core/err.h"
#include "core/tunnel/tm_dn.h"

/* BoringSSL's DER of the name made of n (type, value) pairs. */
static size_t
ref_der(const char *const *tv, size_t n, uint8_t *out, size_t max)
{
	X509_NAME *nm = X509_NAME_new();
	uint8_t *der = NULL;
	size_t i;
	int len;

	assert_non_null(nm);
	for (i = 0; i < n; i++)
		assert_int_equal(X509_NAME_add_entry_by_txt(nm, tv[2 * i],
		    MBSTRING_UTF8, (const uint8_t *)tv[2 * i + 1], -1, -1, 0),
		    1);
	len = i2d_X509_NAME(nm, &der);
	assert_true(len > 0 && (size_t)len <= max);
	memcpy(out, der, (size_t)len);
	OPENSSL_free(der);
	X509_NAME_free(nm);
	return (size_t)len;
}

static void
test_der_as_boringssl(void **st)
{
	static const char *const a[] = { "C", "US", "O", "Example Corp",
	    "CN", "gw.example.com" };
	static const char *const b[] = { "DC", "org", "DC", "example",
	    "OU", "VPN, East", "emailAddress", "ops@example.org",
	    "ST", "Texas", "L", "Austin", "serialNumber", "42",
	    "GN", "Ann", "SN", "Smith", "title", "gw", "street", "Main St",
	    "UID", "u1" };
	uint8_t want[512], got[512];
	size_t wl, gl;

	(void)st;
	wl = ref_der(a, 3, want, sizeof(want));
	assert_int_equal(tm_dn_to_der("C=US, O=Example Corp, CN=gw.example.com",
	    got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	/* The same in openssl's -subj form, and with other blanks and
	 * letter case in the types. */
	assert_int_equal(tm_dn_to_der("/C=US/O=Example Corp/CN=gw.example.com",
	    got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	assert_int_equal(tm_dn_to_der("c = US,o=Example Corp ,  cn=gw.example"
	    ".com  ", got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	/* Every type, an escaped ',' and the aliases E and S. */
	wl = ref_der(b, 12, want, sizeof(want));
	assert_int_equal(tm_dn_to_der("DC=org, DC=example, OU=VPN\\, East, "
	    "E=ops@example.org, S=Texas, L=Austin, serialNumber=42, "
	    "givenName=Ann, SN=Smith, title=gw, street=Main St, UID=u1", got,
	    sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
}

/* A type given as a dotted OID: a known one is the same as its name, an
 * unknown one is encoded as BoringSSL does, and the text tm_dn_from_der()
 * writes for it encodes back to the same octets. */
static void
test_der_dotted(void **st)
{
	static const char *const cn[] = { "CN", "host", "O", "Example" };
	static const char *const odd[] = { "1.3.6.1.4.1.99999.1", "x y",
	    "2.999.1234567", "z" };
	uint8_t want[256], got[256], again[256];
	char text[128];
	size_t wl, gl, al;

	(void)st;
	wl = ref_der(cn, 2, want, sizeof(want));
	assert_int_equal(tm_dn_to_der("2.5.4.3=host, O=Example", got,
	    sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	wl = ref_der(odd, 2, want, sizeof(want));
	assert_int_equal(tm_dn_to_der("1.3.6.1.4.1.99999.1=x y, "
	    "2.999.1234567=z", got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	assert_int_equal(tm_dn_from_der(got, gl, text, sizeof(text)), 0);
	assert_string_equal(text, "1.3.6.1.4.1.99999.1=x y, 2.999.1234567=z");
	assert_int_equal(tm_dn_to_der(text, again, sizeof(again), &al), 0);
	assert_int_equal(al, gl);
	assert_memory_equal(again, got, gl);
	/* Not OIDs. */
	assert_int_equal(tm_dn_to_der("2=x", got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("3.1=x", got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1.40=x", got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1..2=x", got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1.2.=x", got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1.2.99999999999=x", got, sizeof(got),
	    &gl), IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15."
	    "16.17=x", got, sizeof(got), &gl), IKE_EINVAL);	/* too long */
	assert_int_equal(tm_dn_to_der("1.2.4294967295.4294967295.4294967295."
	    "1=x", got, sizeof(got), &gl), IKE_EINVAL);	/* 17 octets */
	assert_int_equal(tm_dn_to_der("1.2.4294967295.4294967295.4294967295="
	    "x", got, sizeof(got), &gl), 0);		/* 16 octets */
	assert_int_equal(tm_dn_from_der(got, gl, text, sizeof(text)), 0);
	assert_string_equal(text, "1.2.4294967295.4294967295.4294967295=x");
	memset(text, '1', 70);		/* a type longer than any OID */
	strcpy(text + 70, "=x");
	assert_int_equal(tm_dn_to_der(text, got, sizeof(got), &gl),
	    IKE_EINVAL);
	assert_int_equal(tm_dn_to_der("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15."
	    "16=x", got, sizeof(got), &gl), 0);	/* 16 octets */
}

/* Values of 128 octets and more take long-form lengths (streetAddress:
 * BoringSSL caps CN at 64). */
static void
test_der_long(void **st)
{
	char text[300], v[201];
	const char *tv[2] = { "street", v };	/* no upper bound */
	uint8_t want[512], got[512];
	size_t wl, gl;

	(void)st;
	memset(v, 'x', 200);
	v[200] = '\0';
	snprintf(text, sizeof(text), "street=%s", v);
	wl = ref_der(tv, 1, want, sizeof(want));
	assert_int_equal(tm_dn_to_der(text, got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	v[120] = '\0';		/* the SET and SEQUENCE cross 127 */
	snprintf(text, sizeof(text), "street=%s", v);
	wl = ref_der(tv, 1, want, sizeof(want));
	assert_int_equal(tm_dn_to_der(text, got, sizeof(got), &gl), 0);
	assert_int_equal(gl, wl);
	assert_memory_equal(got, want, wl);
	/* Too long for the buffer given: nothing claimed. */
	assert_int_equal(tm_dn_to_der(text, got, wl - 1, &gl), IKE_ENOSPC);
}

static void
test_text_refusals(void **st)
{
	static const char *const bad[] = { "", "   ", "CN", "CN=", "=x",
	    "CN=a,", "CN=a,,O=b", "CN=a, O", "XX=a", "CN=a, O=  ", "/",
	    "/CN=a/", "CN=a+O=b, Q=c" };
	uint8_t der[256];
	size_t i, len = 77;

	(void)st;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tm_dn_to_der(bad[i], der, sizeof(der), &len) != IKE_EINVAL)
			fail_msg("\"%s\" accepted", bad[i]);
	assert_int_equal(len, 77);
}

static void
test_from_der(void **st)
{
	static const char *const a[] = { "C", "US", "O", "Ex, Inc+1\\",
	    "CN", "gw" };
	uint8_t der[512];
	char text[256];
	size_t len;

	(void)st;
	len = ref_der(a, 3, der, sizeof(der));
	assert_int_equal(tm_dn_from_der(der, len, text, sizeof(text)), 0);
	assert_string_equal(text, "C=US, O=Ex\\, Inc\\+1\\\\, CN=gw");
	/* Its text gives the same DER again. */
	{
		uint8_t again[512];
		size_t al;

		assert_int_equal(tm_dn_to_der(text, again, sizeof(again),
		    &al), 0);
		assert_int_equal(al, len);
		assert_memory_equal(again, der, len);
	}
	/* Cut to fit, NUL-ended. */
	assert_int_equal(tm_dn_from_der(der, len, text, 6), 0);
	assert_string_equal(text, "C=US,");
}

/* An unknown attribute type is written as its dotted OID, a control
 * octet as \xx. */
static void
test_from_der_unknown(void **st)
{
	/* SEQ { SET { SEQ { OID 2.5.4.65 (pseudonym), UTF8 "a\x01" } } } */
	static const uint8_t der[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09,
	    0x06, 0x03, 0x55, 0x04, 0x41, 0x0c, 0x02, 'a', 0x01, };
	char text[64];

	(void)st;
	assert_int_equal(der[1], sizeof(der) - 2);
	assert_int_equal(tm_dn_from_der(der, sizeof(der), text,
	    sizeof(text)), 0);
	assert_string_equal(text, "2.5.4.65=a\\01");
}

static void
test_from_der_refusals(void **st)
{
	static const uint8_t ok[] = { 0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09,
	    0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x02, 'g', 'w' };
	uint8_t b[sizeof(ok) + 1];
	char text[64];
	size_t i;

	(void)st;
	assert_int_equal(tm_dn_from_der(ok, sizeof(ok), text, sizeof(text)),
	    0);
	assert_string_equal(text, "CN=gw");
	for (i = 0; i < sizeof(ok); i++)	/* every truncation */
		assert_int_equal(tm_dn_from_der(ok, i, text, sizeof(text)),
		    IKE_EMALFORMED);
	memcpy(b, ok, sizeof(ok));
	b[sizeof(ok)] = 0;			/* trailing octet */
	assert_int_equal(tm_dn_from_der(b, sizeof(b), text, sizeof(text)),
	    IKE_EMALFORMED);
	memcpy(b, ok, sizeof(ok));
	b[11] = 0x04;				/* OCTET STRING value */
	assert_int_equal(tm_dn_from_der(b, sizeof(ok), text, sizeof(text)),
	    IKE_EMALFORMED);
	memcpy(b, ok, sizeof(ok));
	b[2] = 0x30;				/* SEQUENCE for the SET */
	assert_int_equal(tm_dn_from_der(b, sizeof(ok), text, sizeof(text)),
	    IKE_EMALFORMED);
	memcpy(b, ok, sizeof(ok));
	b[1] = 0x81;				/* long form below 128 */
	assert_int_equal(tm_dn_from_der(b, sizeof(ok), text, sizeof(text)),
	    IKE_EMALFORMED);
	memcpy(b, ok, sizeof(ok));
	b[1] = 0x80;				/* indefinite length */
	assert_int_equal(tm_dn_from_der(b, sizeof(ok), text, sizeof(text)),
	    IKE_EMALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_der_as_boringssl),
		cmocka_unit_test(test_der_dotted),
		cmocka_unit_test(test_der_long),
		cmocka_unit_test(test_text_refusals),
		cmocka_unit_test(test_from_der),
		cmocka_unit_test(test_from_der_unknown),
		cmocka_unit_test(test_from_der_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
