/* The IKEv1 payload rules (core/codec/ikev1_rules.c): for every message
 * of Main Mode (pre-shared key and signatures), Aggressive Mode, Quick
 * Mode and Informational, the RFC 2409 form passes, and a form with a
 * payload missing, repeated, not allowed, out of the order the RFC
 * fixes, in the clear where it must be encrypted (or the reverse), or
 * not yet decrypted, fails naming the payload and the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/codec/ikev1.h"
#include "core/codec/ikev1_msg.h"
#include "core/codec/ikev1_rules.h"
#include "core/err.h"

#define SA	IKEV1_PL_SA
#define KE	IKEV1_PL_KE
#define ID	IKEV1_PL_ID
#define CERT	IKEV1_PL_CERT
#define CR	IKEV1_PL_CR
#define HASH	IKEV1_PL_HASH
#define SIG	IKEV1_PL_SIG
#define NONCE	IKEV1_PL_NONCE
#define N	IKEV1_PL_N
#define D	IKEV1_PL_D
#define VID	IKEV1_PL_VID
#define NATD	IKEV1_PL_NATD
#define NATD_X	IKEV1_PL_NATD_DRAFT
#define NATOA	IKEV1_PL_NATOA
#define NATOA_X	IKEV1_PL_NATOA_DRAFT
#define END	0

#define PLAIN	0
#define ENC	1	/* E flag, body decoded */
#define SEALED	2	/* E flag, body not decoded yet */

static struct v1_msg msg;

/* A message of the listed payload types (END-terminated); the rules
 * look at types, order and the E flag only. */
static const struct v1_msg *
mk(uint8_t exchange, int enc, const uint8_t *types)
{
	struct v1_hdr h = { .exchange = exchange };
	struct v1_pl *pl;

	if (enc != PLAIN)
		h.flags = IKEV1_F_ENC;
	v1_msg_init(&msg, &h);
	for (; *types != END; types++)
		assert_int_equal(v1_msg_add(&msg, *types, &pl), 0);
	msg.opened = enc == ENC;
	return &msg;
}

#define MK(x, e, ...)	mk((x), (e), (const uint8_t[]){ __VA_ARGS__, END })
#define MAIN		IKEV1_EXCH_MAIN
#define AGGR		IKEV1_EXCH_AGGRESSIVE
#define QUICK		IKEV1_EXCH_QUICK
#define INFO		IKEV1_EXCH_INFO

static void
pass(const struct v1_msg *m, uint8_t x, unsigned no, enum v1_auth a,
    const char *form)
{
	struct v1_rules_result r;

	assert_int_equal(v1_rules_check(m, x, no, a, &r), 0);
	assert_int_equal(r.why, V1R_OK);
	assert_string_equal(r.form, form);
}

static void
refused(const struct v1_msg *m, uint8_t x, unsigned no, enum v1_auth a,
    enum v1_rules_why why, uint8_t type)
{
	struct v1_rules_result r;

	assert_int_equal(v1_rules_check(m, x, no, a, &r), IKE_EMALFORMED);
	assert_int_equal(r.why, why);
	assert_int_equal(r.pl_type, type);
	assert_non_null(r.form);
}

static void
main_mode_psk(void **state)
{
	(void)state;
	pass(MK(MAIN, PLAIN, SA), MAIN, 1, V1_AUTH_PSK, "main SA");
	pass(MK(MAIN, PLAIN, SA, VID, VID, VID), MAIN, 1, V1_AUTH_PSK,
	    "main SA");
	pass(MK(MAIN, PLAIN, SA, VID), MAIN, 2, V1_AUTH_PSK, "main SA");
	pass(MK(MAIN, PLAIN, KE, NONCE), MAIN, 3, V1_AUTH_PSK, "main KE");
	pass(MK(MAIN, PLAIN, KE, NONCE, NATD, NATD), MAIN, 3, V1_AUTH_PSK,
	    "main KE");
	pass(MK(MAIN, PLAIN, NONCE, KE, NATD_X, NATD_X, VID), MAIN, 4,
	    V1_AUTH_PSK, "main KE");
	pass(MK(MAIN, ENC, ID, HASH), MAIN, 5, V1_AUTH_PSK, "main ID");
	pass(MK(MAIN, ENC, ID, HASH, N), MAIN, 5, V1_AUTH_PSK, "main ID");
	pass(MK(MAIN, ENC, ID, HASH), MAIN, 6, V1_AUTH_PSK, "main ID");
	/* missing, too many, not allowed */
	refused(MK(MAIN, PLAIN, VID), MAIN, 1, V1_AUTH_PSK, V1R_MISSING, SA);
	refused(MK(MAIN, PLAIN, SA, SA), MAIN, 2, V1_AUTH_PSK, V1R_TOO_MANY,
	    SA);
	refused(MK(MAIN, PLAIN, SA, KE), MAIN, 1, V1_AUTH_PSK, V1R_UNEXPECTED,
	    KE);
	refused(MK(MAIN, PLAIN, KE), MAIN, 3, V1_AUTH_PSK, V1R_MISSING, NONCE);
	refused(MK(MAIN, PLAIN, KE, NONCE, CR), MAIN, 3, V1_AUTH_PSK,
	    V1R_UNEXPECTED, CR);
	refused(MK(MAIN, PLAIN, KE, NONCE, NATD, NATD, NATD, NATD, NATD), MAIN,
	    4, V1_AUTH_PSK, V1R_TOO_MANY, NATD);
	refused(MK(MAIN, ENC, ID), MAIN, 6, V1_AUTH_PSK, V1R_MISSING, HASH);
	refused(MK(MAIN, ENC, ID, HASH, ID), MAIN, 5, V1_AUTH_PSK,
	    V1R_TOO_MANY, ID);
	refused(MK(MAIN, ENC, ID, SIG), MAIN, 5, V1_AUTH_PSK, V1R_UNEXPECTED,
	    SIG);
	/* the SA first (RFC 2409 s. 5) */
	refused(MK(MAIN, PLAIN, VID, SA), MAIN, 1, V1_AUTH_PSK, V1R_ORDER, SA);
	/* the E flag */
	refused(MK(MAIN, PLAIN, ID, HASH), MAIN, 5, V1_AUTH_PSK,
	    V1R_NOT_ENCRYPTED, 0);
	refused(MK(MAIN, ENC, SA), MAIN, 1, V1_AUTH_PSK, V1R_NOT_PLAIN, 0);
	refused(MK(MAIN, ENC, KE, NONCE), MAIN, 3, V1_AUTH_PSK, V1R_NOT_PLAIN,
	    0);
	refused(mk(MAIN, SEALED, (const uint8_t[]){ END }), MAIN, 5, V1_AUTH_PSK,
	    V1R_NOT_DECRYPTED, 0);
}

static void
main_mode_sig(void **state)
{
	(void)state;
	pass(MK(MAIN, PLAIN, SA), MAIN, 1, V1_AUTH_SIG, "main SA");
	pass(MK(MAIN, PLAIN, KE, NONCE, CR), MAIN, 3, V1_AUTH_SIG,
	    "main KE (signatures)");
	pass(MK(MAIN, PLAIN, KE, NONCE, CR, CR, NATD, NATD), MAIN, 4,
	    V1_AUTH_SIG, "main KE (signatures)");
	pass(MK(MAIN, ENC, ID, CERT, SIG), MAIN, 5, V1_AUTH_SIG,
	    "main ID (signatures)");
	pass(MK(MAIN, ENC, ID, SIG, N), MAIN, 5, V1_AUTH_SIG,
	    "main ID (signatures)");
	pass(MK(MAIN, ENC, ID, CERT, CERT, SIG), MAIN, 6, V1_AUTH_SIG,
	    "main ID (signatures)");
	pass(MK(MAIN, ENC, ID, CERT, SIG, CR, N), MAIN, 5, V1_AUTH_SIG,
	    "main ID (signatures)");	/* strongSwan's message 5 */
	refused(MK(MAIN, ENC, ID, HASH, CR), MAIN, 5, V1_AUTH_PSK,
	    V1R_UNEXPECTED, CR);
	refused(MK(MAIN, ENC, ID, HASH), MAIN, 5, V1_AUTH_SIG, V1R_UNEXPECTED,
	    HASH);
	refused(MK(MAIN, ENC, ID, CERT), MAIN, 6, V1_AUTH_SIG, V1R_MISSING,
	    SIG);
	refused(MK(MAIN, ENC, ID, CERT, CERT, CERT, CERT, CERT, SIG), MAIN, 6,
	    V1_AUTH_SIG, V1R_TOO_MANY, CERT);
	refused(MK(MAIN, PLAIN, ID, SIG), MAIN, 6, V1_AUTH_SIG,
	    V1R_NOT_ENCRYPTED, 0);
}

static void
aggressive_mode(void **state)
{
	(void)state;
	pass(MK(AGGR, PLAIN, SA, KE, NONCE, ID), AGGR, 1, V1_AUTH_PSK,
	    "aggressive 1");
	pass(MK(AGGR, PLAIN, SA, KE, NONCE, ID, VID, VID), AGGR, 1,
	    V1_AUTH_PSK, "aggressive 1");
	pass(MK(AGGR, PLAIN, SA, KE, NONCE, ID, HASH, NATD, NATD, VID), AGGR,
	    2, V1_AUTH_PSK, "aggressive 2");
	pass(MK(AGGR, PLAIN, HASH, NATD, NATD), AGGR, 3, V1_AUTH_PSK,
	    "aggressive 3");
	pass(MK(AGGR, ENC, HASH, N), AGGR, 3, V1_AUTH_PSK, "aggressive 3");
	pass(MK(AGGR, PLAIN, SA, KE, NONCE, ID, CR), AGGR, 1, V1_AUTH_SIG,
	    "aggressive 1 (signatures)");
	pass(MK(AGGR, PLAIN, SA, KE, NONCE, ID, CERT, SIG), AGGR, 2,
	    V1_AUTH_SIG, "aggressive 2 (signatures)");
	pass(MK(AGGR, PLAIN, CERT, SIG), AGGR, 3, V1_AUTH_SIG,
	    "aggressive 3 (signatures)");
	refused(MK(AGGR, PLAIN, SA, KE, NONCE), AGGR, 1, V1_AUTH_PSK,
	    V1R_MISSING, ID);
	refused(MK(AGGR, PLAIN, SA, KE, NONCE, ID, CR), AGGR, 1, V1_AUTH_PSK,
	    V1R_UNEXPECTED, CR);
	refused(MK(AGGR, PLAIN, KE, SA, NONCE, ID), AGGR, 1, V1_AUTH_PSK,
	    V1R_ORDER, SA);
	refused(MK(AGGR, PLAIN, SA, KE, NONCE, ID), AGGR, 2, V1_AUTH_PSK,
	    V1R_MISSING, HASH);
	refused(MK(AGGR, PLAIN, SA, KE, KE, NONCE, ID, HASH), AGGR, 2,
	    V1_AUTH_PSK, V1R_TOO_MANY, KE);
	refused(MK(AGGR, ENC, SA, KE, NONCE, ID, HASH), AGGR, 2, V1_AUTH_PSK,
	    V1R_NOT_PLAIN, 0);
	refused(MK(AGGR, PLAIN, HASH, HASH), AGGR, 3, V1_AUTH_PSK,
	    V1R_TOO_MANY, HASH);
	refused(MK(AGGR, PLAIN, CERT), AGGR, 3, V1_AUTH_SIG, V1R_MISSING, SIG);
}

static void
quick_mode(void **state)
{
	(void)state;
	pass(MK(QUICK, ENC, HASH, SA, NONCE), QUICK, 1, V1_AUTH_PSK,
	    "quick SA");
	pass(MK(QUICK, ENC, HASH, SA, NONCE, KE, ID, ID), QUICK, 1,
	    V1_AUTH_SIG, "quick SA");
	pass(MK(QUICK, ENC, HASH, SA, NONCE, ID, ID, NATOA, NATOA), QUICK, 1,
	    V1_AUTH_PSK, "quick SA");
	pass(MK(QUICK, ENC, HASH, SA, NONCE, KE, ID, ID, NATOA_X, N), QUICK,
	    2, V1_AUTH_PSK, "quick SA");
	pass(MK(QUICK, ENC, HASH), QUICK, 3, V1_AUTH_PSK, "quick HASH(3)");
	pass(MK(QUICK, ENC, HASH, N), QUICK, 4, V1_AUTH_PSK,
	    "quick CONNECTED");
	/* HASH first, then SA (RFC 2409 s. 5.5) */
	refused(MK(QUICK, ENC, SA, HASH, NONCE), QUICK, 1, V1_AUTH_PSK,
	    V1R_ORDER, HASH);
	refused(MK(QUICK, ENC, HASH, NONCE, SA), QUICK, 2, V1_AUTH_PSK,
	    V1R_ORDER, SA);
	refused(MK(QUICK, ENC, NONCE, HASH, SA), QUICK, 1, V1_AUTH_PSK,
	    V1R_ORDER, HASH);
	refused(MK(QUICK, ENC, HASH, N), QUICK, 3, V1_AUTH_PSK, V1R_UNEXPECTED,
	    N);
	/* client IDs as a pair */
	refused(MK(QUICK, ENC, HASH, SA, NONCE, ID), QUICK, 1, V1_AUTH_PSK,
	    V1R_ID_PAIR, ID);
	refused(MK(QUICK, ENC, HASH, SA, NONCE, ID, ID, ID), QUICK, 1,
	    V1_AUTH_PSK, V1R_TOO_MANY, ID);
	refused(MK(QUICK, ENC, HASH, SA, NONCE, KE, KE), QUICK, 2, V1_AUTH_PSK,
	    V1R_TOO_MANY, KE);
	refused(MK(QUICK, ENC, HASH, SA), QUICK, 1, V1_AUTH_PSK, V1R_MISSING,
	    NONCE);
	refused(MK(QUICK, ENC, HASH, SA, NONCE, VID), QUICK, 1, V1_AUTH_PSK,
	    V1R_UNEXPECTED, VID);
	refused(MK(QUICK, ENC, HASH, SA, NONCE, NATOA, NATOA, NATOA), QUICK, 1,
	    V1_AUTH_PSK, V1R_TOO_MANY, NATOA);
	refused(MK(QUICK, PLAIN, HASH, SA, NONCE), QUICK, 1, V1_AUTH_PSK,
	    V1R_NOT_ENCRYPTED, 0);
	refused(MK(QUICK, PLAIN, HASH), QUICK, 3, V1_AUTH_PSK,
	    V1R_NOT_ENCRYPTED, 0);
	refused(mk(QUICK, SEALED, (const uint8_t[]){ END }), QUICK, 1,
	    V1_AUTH_PSK, V1R_NOT_DECRYPTED, 0);
}

static void
informational(void **state)
{
	(void)state;
	pass(MK(INFO, ENC, HASH, N), INFO, 1, V1_AUTH_PSK,
	    "informational N");
	pass(MK(INFO, ENC, HASH, D, D), INFO, 1, V1_AUTH_PSK,
	    "informational D");
	pass(MK(INFO, PLAIN, N), INFO, 1, V1_AUTH_PSK,
	    "informational unprotected N");
	/* HASH first (RFC 2409 s. 5.7) */
	refused(MK(INFO, ENC, N, HASH), INFO, 1, V1_AUTH_PSK, V1R_ORDER, HASH);
	refused(MK(INFO, ENC, D, HASH), INFO, 1, V1_AUTH_PSK, V1R_ORDER, HASH);
	/* N or D, not both, not neither */
	refused(MK(INFO, ENC, HASH, N, D), INFO, 1, V1_AUTH_PSK,
	    V1R_UNEXPECTED, D);
	refused(MK(INFO, ENC, HASH), INFO, 1, V1_AUTH_PSK, V1R_MISSING, N);
	refused(MK(INFO, ENC, HASH, HASH, N), INFO, 1, V1_AUTH_PSK,
	    V1R_TOO_MANY, HASH);
	/* a protected form in the clear, a Delete unprotected */
	refused(MK(INFO, PLAIN, HASH, D), INFO, 1, V1_AUTH_PSK,
	    V1R_NOT_ENCRYPTED, 0);
	refused(MK(INFO, PLAIN, D), INFO, 1, V1_AUTH_PSK, V1R_NOT_ENCRYPTED,
	    0);
	refused(MK(INFO, ENC, D), INFO, 1, V1_AUTH_PSK, V1R_MISSING, HASH);
	refused(mk(INFO, SEALED, (const uint8_t[]){ END }), INFO, 1,
	    V1_AUTH_PSK, V1R_NOT_DECRYPTED, 0);
}

static void
no_table(void **state)
{
	const struct v1_msg *m = MK(MAIN, PLAIN, SA);
	struct v1_rules_result r;
	int w;

	(void)state;
	assert_int_equal(v1_rules_check(m, IKEV1_EXCH_BASE, 1, V1_AUTH_PSK,
	    &r), IKE_EUNSUPP);
	assert_int_equal(r.why, V1R_NO_TABLE);
	assert_int_equal(v1_rules_check(m, MAIN, 0, V1_AUTH_PSK, &r),
	    IKE_EUNSUPP);
	assert_int_equal(v1_rules_check(m, MAIN, 7, V1_AUTH_PSK, &r),
	    IKE_EUNSUPP);
	assert_int_equal(v1_rules_check(m, AGGR, 4, V1_AUTH_PSK, &r),
	    IKE_EUNSUPP);
	assert_int_equal(v1_rules_check(m, INFO, 2, V1_AUTH_PSK, &r),
	    IKE_EUNSUPP);
	assert_int_equal(v1_rules_check(m, MAIN, 1, V1_AUTH_PSK, NULL), 0);
	assert_int_equal(v1_rules_check(m, MAIN, 3, V1_AUTH_PSK, NULL),
	    IKE_EMALFORMED);
	for (w = V1R_OK; w < V1R_NWHY; w++)
		assert_string_not_equal(v1_rules_why_str(
		    (enum v1_rules_why)w), "unknown");
	assert_string_equal(v1_rules_why_str(V1R_NWHY), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(main_mode_psk),
		cmocka_unit_test(main_mode_sig),
		cmocka_unit_test(aggressive_mode),
		cmocka_unit_test(quick_mode),
		cmocka_unit_test(informational),
		cmocka_unit_test(no_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
