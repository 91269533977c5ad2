/* tests/exchange/test_exchange_dnid.c: DER_ASN1_DN identities are
 * compared by ASN.1 meaning, not octet by octet (RFC 7296 s. 3.5 names
 * the DN; how it is spelled is the sender's choice): a peer whose IDi or
 * IDr carries the configured DN in other string types and letter case
 * is accepted on both sides, another DN is refused. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/mem.h>
#include <openssl/x509.h>

#include "core/codec/ikev2.h"
#include "harness.h"

/* id = the DER DN C=<c>, O=<o>, CN=<cn>, its values as ASN.1 `type`. */
static void
dn_id(struct ike_id *id, int type, const char *c, const char *o,
    const char *cn)
{
	X509_NAME *x = X509_NAME_new();
	uint8_t *der = NULL;
	int l;

	assert_non_null(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(x, "C",
	    V_ASN1_PRINTABLESTRING, (const uint8_t *)c, -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(x, "O", type,
	    (const uint8_t *)o, -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(x, "CN", type,
	    (const uint8_t *)cn, -1, -1, 0), 1);
	l = i2d_X509_NAME(x, &der);
	assert_true(l > 0 && (size_t)l <= sizeof(id->data));
	id->type = IKEV2_ID_DER_ASN1_DN;
	id->len = (size_t)l;
	memcpy(id->data, der, id->len);
	OPENSSL_free(der);
	X509_NAME_free(x);
}

/* a is C=US, O=Example, CN=a (PrintableString); b expects it spelled as
 * UTF8String in another case, and the reverse for b's own DN. */
static void
set_ids(struct peer *a, struct peer *b, const char *a_cn_seen_by_b)
{
	dn_id(&a->cfg.local_id, V_ASN1_PRINTABLESTRING, "US", "Example", "a");
	dn_id(&b->cfg.remote_id, V_ASN1_UTF8STRING, "US", "EXAMPLE",
	    a_cn_seen_by_b);
	dn_id(&b->cfg.local_id, V_ASN1_UTF8STRING, "US", "Example", "b");
	dn_id(&a->cfg.remote_id, V_ASN1_PRINTABLESTRING, "US", "example",
	    "B");
	assert_true(a->cfg.local_id.len != b->cfg.remote_id.len ||
	    memcmp(a->cfg.local_id.data, b->cfg.remote_id.data,
	    a->cfg.local_id.len) != 0);	/* other octets */
}

static void
same_dn_other_spelling(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	set_ids(a, b, "A");
	establish(a, b);
	assert_children_mirror(a, b);
	peers_free(a, b);
}

static void
other_dn_refused(void **state)
{
	struct peer *a = peer_new("a", 1, 2), *b = peer_new("b", 2, 1);

	(void)state;
	set_ids(a, b, "not-a");
	initiate(a);
	pump(a, b);
	assert_int_equal(event_count(a, ENGINE_EV_IKE_UP), 0);
	assert_int_equal(event_count(b, ENGINE_EV_IKE_UP), 0);
	assert_int_equal(event_count(b, ENGINE_EV_CHILD_UP), 0);
	peers_free(a, b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_dn_other_spelling),
		cmocka_unit_test(other_dn_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
