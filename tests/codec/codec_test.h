/* tests/codec/codec_test.h: helpers for the IKEv2 codec tests: hex text
 * and vector files as bytes, and the round-trip check.  Buffers come
 * from a list that cx_teardown() frees; every test registers it with
 * cmocka_unit_test_teardown(). */
#ifndef TESTS_CODEC_TEST_H
#define TESTS_CODEC_TEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev2_msg.h"

/* The bytes of hex text; whitespace is skipped and '#' starts a comment
 * that runs to the end of the line.  Fails the test on anything else. */
uint8_t	*cx_hex(const char *s, size_t *len);
/* tests/codec/vectors/<name>.hex, parsed like cx_hex(). */
uint8_t	*cx_vector(const char *name, size_t *len);
/* A copy of n bytes (so that tests may corrupt it); p NULL: zeros. */
uint8_t	*cx_dup(const void *p, size_t n);
/* A zeroed struct ike_msg. */
struct ike_msg *cx_msg(void);
int	 cx_teardown(void **state);

/* Decodes buf (which must succeed), encodes the result without
 * sk_params and checks the bytes are buf's.  Returns the message. */
struct ike_msg *cx_roundtrip(const uint8_t *buf, size_t len);
/* Encodes m (which must succeed) into a new buffer. */
uint8_t	*cx_encode(const struct ike_msg *m, size_t *len);
/* Decodes buf expecting failure rc with reason why; returns the diag. */
struct codec_diag cx_reject(const uint8_t *buf, size_t len, int rc,
	    enum codec_why why);
/* Fails the test unless a and b hold the same header fields and the
 * same payloads with the same decoded values (slices by content). */
void	 cx_assert_msg_equal(const struct ike_msg *a, const struct ike_msg *b);
/* Sets the IKE header Length of buf to len. */
void	 cx_set_len(uint8_t *buf, size_t len);

#endif
