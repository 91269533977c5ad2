/* tests/crypto/hexutil.h: hex test vectors as bytes.  Every buffer hx()
 * returns is freed by hx_teardown(), which each test registers with
 * cmocka_unit_test_teardown(). */
#ifndef TESTS_CRYPTO_HEXUTIL_H
#define TESTS_CRYPTO_HEXUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The bytes of s, whose hex digits may be separated by spaces, newlines
 * or colons; fails the test on anything else.  *len may be NULL. */
uint8_t	*hx(const char *s, size_t *len);
/* A zeroed buffer of n bytes, freed like hx()'s. */
uint8_t	*hx_buf(size_t n);
/* Frees every buffer of the current test. */
int	 hx_teardown(void **state);

#endif
