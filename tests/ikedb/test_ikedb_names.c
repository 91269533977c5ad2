/* db/model_names.c: the canonical spellings are exactly those of
 * docs/ikedb-xml.md, in its order; input is case-insensitive and takes
 * the AIX synonyms of shared/reference/aix-ike.md, nothing vaguer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/err.h"
#include "db/model_names.h"

/* The canonical spellings of a kind, space-separated, in order. */
static void
list(enum db_enum_kind k, char *buf, size_t n)
{
	const char *s;
	unsigned i, v;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; (s = db_enum_nth(k, i, &v)) != NULL; i++) {
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "",
		    s);
		/* Each spelling names its own value and reads back. */
		assert_string_equal(db_enum_name(k, v), s);
	}
}

static void
canonical_as_documented(void **state)
{
	static const struct {
		enum db_enum_kind	 kind;
		const char		*names;
	} want[] = {
		{ DB_E_ROLE, "Initiator Responder Both" },
		{ DB_E_XCHG, "Main Aggressive" },
		{ DB_E_ENCR, "3DES-CBC AES-CBC-128 AES-CBC-192 AES-CBC-256 "
		    "AES-GCM-128 AES-GCM-256 CHACHA20-POLY1305 NULL" },
		{ DB_E_HASH, "MD5 SHA SHA2-256 SHA2-384 SHA2-512 AES-XCBC" },
		{ DB_E_PRF, "PRF-SHA PRF-SHA2-256 PRF-SHA2-384 PRF-SHA2-512 "
		    "PRF-AES-XCBC" },
		{ DB_E_AUTH, "Preshared_Key RSA_Signature ECDSA_Signature" },
		{ DB_E_INTEG, "HMAC-MD5 HMAC-SHA HMAC-SHA2-256 HMAC-SHA2-384 "
		    "HMAC-SHA2-512 AES-XCBC None" },
		{ DB_E_MODE, "Tunnel Transport" },
		{ DB_E_PSK_FORMAT, "ASCII Hex" },
		{ DB_E_IPSEC_PROTO, "ESP AH" },
	};
	char buf[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		list(want[i].kind, buf, sizeof(buf));
		assert_string_equal(buf, want[i].names);
	}
	assert_int_equal(DB_E_COUNT, sizeof(want) / sizeof(want[0]));
}

static void
values_match_model(void **state)
{
	(void)state;
	assert_string_equal(db_enum_name(DB_E_ROLE, DB_ROLE_BOTH), "Both");
	assert_string_equal(db_enum_name(DB_E_HASH, DB_HASH_SHA1), "SHA");
	assert_string_equal(db_enum_name(DB_E_INTEG, DB_INTEG_NONE), "None");
	assert_string_equal(db_enum_name(DB_E_INTEG, DB_INTEG_HMAC_SHA1),
	    "HMAC-SHA");
	assert_string_equal(db_enum_name(DB_E_ENCR, DB_ENCR_NULL), "NULL");
	assert_string_equal(db_enum_name(DB_E_PRF, DB_PRF_AES_XCBC),
	    "PRF-AES-XCBC");
	assert_string_equal(db_enum_name(DB_E_PSK_FORMAT, DB_PSK_HEX), "Hex");
	assert_string_equal(db_enum_name(DB_E_IPSEC_PROTO, DB_PROTO_AH), "AH");
	/* "Not set" has no spelling; neither has anything out of range. */
	assert_null(db_enum_name(DB_E_ENCR, DB_ENCR_NONE));
	assert_null(db_enum_name(DB_E_PRF, DB_PRF_FOLLOW));
	assert_null(db_enum_name(DB_E_ENCR, DB_ENCR_COUNT));
	assert_null(db_enum_name(DB_E_COUNT, 0));
	assert_null(db_enum_nth(DB_E_COUNT, 0, NULL));
	assert_null(db_enum_nth(DB_E_MODE, 2, NULL));
}

static void
expect(enum db_enum_kind k, const char *s, unsigned want)
{
	unsigned v = 999;

	if (db_enum_parse(k, s, &v) != 0)
		fail_msg("\"%s\" not accepted", s);
	assert_int_equal(v, want);
}

static void
reject(enum db_enum_kind k, const char *s)
{
	unsigned v = 999;

	if (db_enum_parse(k, s, &v) != IKE_EINVAL)
		fail_msg("\"%s\" accepted", s != NULL ? s : "(null)");
	assert_int_equal(v, 999);
}

static void
input_case_insensitive(void **state)
{
	(void)state;
	expect(DB_E_ROLE, "initiator", DB_ROLE_INITIATOR);
	expect(DB_E_XCHG, "AGGRESSIVE", DB_XCHG_AGGRESSIVE);
	expect(DB_E_ENCR, "aes-gcm-256", DB_ENCR_AES_GCM_256);
	expect(DB_E_ENCR, "Chacha20-Poly1305", DB_ENCR_CHACHA20_POLY1305);
	expect(DB_E_AUTH, "preshared_key", DB_AUTH_PSK);
	expect(DB_E_INTEG, "none", DB_INTEG_NONE);
	expect(DB_E_MODE, "transport", DB_MODE_TRANSPORT);
	expect(DB_E_PSK_FORMAT, "hex", DB_PSK_HEX);
}

/* aix-ike.md §1.4 and §4.3 spellings. */
static void
aix_synonyms(void **state)
{
	(void)state;
	expect(DB_E_ENCR, "ESP_3DES", DB_ENCR_3DES_CBC);
	expect(DB_E_ENCR, "esp_null", DB_ENCR_NULL);
	expect(DB_E_ENCR, "ESP-NULL", DB_ENCR_NULL);
	expect(DB_E_HASH, "SHA1", DB_HASH_SHA1);
	expect(DB_E_HASH, "sha-1", DB_HASH_SHA1);
	expect(DB_E_HASH, "HMAC-SHA1", DB_HASH_SHA1);
	expect(DB_E_HASH, "HMAC_SHA2_256", DB_HASH_SHA2_256);
	expect(DB_E_HASH, "CMAC_AES_XCBC", DB_HASH_AES_XCBC);
	expect(DB_E_PRF, "PRF_SHA2_256", DB_PRF_SHA2_256);
	expect(DB_E_PRF, "prf-sha1", DB_PRF_SHA1);
	expect(DB_E_INTEG, "HMAC-SHA1", DB_INTEG_HMAC_SHA1);
	expect(DB_E_INTEG, "HMAC_SHA2_256", DB_INTEG_HMAC_SHA2_256);
	expect(DB_E_INTEG, "AES-XCBC-MAC-96", DB_INTEG_AES_XCBC);
}

static void
unknown_rejected(void **state)
{
	(void)state;
	reject(DB_E_ENCR, "ESP_AES");		/* which key length? */
	reject(DB_E_ENCR, "DES-CBC");		/* not supported */
	reject(DB_E_ENCR, "");
	reject(DB_E_ENCR, "None");
	reject(DB_E_ENCR, "AES-CBC-256 ");
	reject(DB_E_HASH, "SHA2");
	reject(DB_E_INTEG, "SHA");		/* IKE_Hash's spelling */
	reject(DB_E_HASH, "HMAC-SHA2-256");	/* ESP's spelling */
	reject(DB_E_PRF, "SHA");
	reject(DB_E_ROLE, "Initiator,Responder");
	reject(DB_E_COUNT, "Main");
	reject(DB_E_XCHG, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(canonical_as_documented),
		cmocka_unit_test(values_match_model),
		cmocka_unit_test(input_case_insensitive),
		cmocka_unit_test(aix_synonyms),
		cmocka_unit_test(unknown_rejected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
