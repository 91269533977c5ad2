/* Secret byte strings (core/crypto/ike_key.h) and random bytes
 * (core/crypto/crypto_rand.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto/crypto_rand.h"
#include "core/crypto/ike_key.h"
#include "core/err.h"

static void
key_new_and_from(void **state)
{
	static const uint8_t zero[40];
	struct ike_key *k = NULL;

	(void)state;
	assert_int_equal(ike_key_new(40, &k), 0);
	assert_int_equal(k->len, 40);
	assert_memory_equal(k->data, zero, 40);
	ike_key_free(k);
	assert_int_equal(ike_key_from("secret", 6, &k), 0);
	assert_int_equal(k->len, 6);
	assert_memory_equal(k->data, "secret", 6);
	ike_key_free(k);
	assert_int_equal(ike_key_new(0, &k), 0);
	assert_int_equal(k->len, 0);
	ike_key_free(k);
	k = NULL;
	assert_int_equal(ike_key_from(NULL, 1, &k), IKE_EINVAL);
	assert_int_equal(ike_key_new(SIZE_MAX, &k), IKE_EINVAL);
	assert_null(k);
	ike_key_free(NULL);
}

/* Two draws of 32 octets differ and neither is all zero; the chance of
 * a false failure is 2^-256. */
static void
rand_bytes(void **state)
{
	static const uint8_t zero[32];
	uint8_t a[32], b[32];

	(void)state;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(crypto_rand_bytes(a, sizeof(a)), 0);
	assert_int_equal(crypto_rand_bytes(b, sizeof(b)), 0);
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_int_equal(crypto_rand_bytes(NULL, 0), 0);
	assert_int_equal(crypto_rand_bytes(NULL, 1), IKE_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_new_and_from),
		cmocka_unit_test(rand_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
