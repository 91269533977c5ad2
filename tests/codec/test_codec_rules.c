/* Which payloads each IKEv2 message may carry (core/codec/ikev2_rules.c):
 * every exchange's request and response forms pass, notify-only error
 * responses pass, and each kind of violation is reported with the
 * payload, the rule and the form it broke. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "codec_test.h"
#include "core/codec/ikev2.h"
#include "core/codec/ikev2_msg.h"
#include "core/codec/ikev2_rules.h"
#include "core/err.h"

#define TEST(f)	cmocka_unit_test_teardown(f, cx_teardown)

static struct ike_msg *
new_msg(uint8_t exchange, bool response)
{
	struct ike_hdr h = { .spi_i = 1, .spi_r = 2, .exchange = exchange,
	    .flags = response ? IKEV2_F_RESPONSE : IKEV2_F_INITIATOR };
	struct ike_msg *m = cx_msg();

	ike_msg_init(m, &h);
	return m;
}

static struct ike_pl *
add(struct ike_msg *m, uint8_t type, bool encrypted)
{
	struct ike_pl *pl;

	assert_int_equal(ike_msg_add(m, type, encrypted, &pl), 0);
	return pl;
}

/* An SA payload with one proposal of protocol proto. */
static void
add_sa(struct ike_msg *m, bool encrypted, uint8_t proto)
{
	struct ike_pl *sa = add(m, IKEV2_PL_SA, encrypted);

	assert_int_equal(ike_msg_add_prop(m, sa, proto,
	    proto == IKEV2_PROTO_IKE ? 0 : 4, 1), 0);
}

static void
add_n(struct ike_msg *m, bool encrypted, uint16_t type)
{
	add(m, IKEV2_PL_NOTIFY, encrypted)->u.notify.type = type;
}

static void
pass(const struct ike_msg *m, uint8_t exchange, bool response,
    const char *form)
{
	struct rules_result res;
	int rc = rules_check(m, exchange, response, &res);

	if (rc != 0)
		fail_msg("%s: %s (%s) in %s", form, rules_why_str(res.why),
		    codec_pl_name(res.pl_type), res.form);
	assert_int_equal(res.why, RULES_OK);
	assert_string_equal(res.form, form);
}

static struct rules_result
refuse(const struct ike_msg *m, uint8_t exchange, bool response,
    enum rules_why why, uint8_t pl_type, const char *form)
{
	struct rules_result res;

	assert_int_equal(rules_check(m, exchange, response, &res),
	    IKE_EMALFORMED);
	if (res.why != why || res.pl_type != pl_type)
		fail_msg("got %s (%s) in %s, want %s (%s)",
		    rules_why_str(res.why), codec_pl_name(res.pl_type),
		    res.form, rules_why_str(why), codec_pl_name(pl_type));
	assert_string_equal(res.form, form);
	return res;
}

/* ---------------------------------------------------------- SA_INIT */

static struct ike_msg *
sa_init(bool response)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_SA_INIT, response);

	add_sa(m, false, IKEV2_PROTO_IKE);
	add(m, IKEV2_PL_KE, false);
	add(m, IKEV2_PL_NONCE, false);
	add_n(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	add(m, IKEV2_PL_VENDOR, false);
	return m;
}

#define SA_INIT_REQ	IKEV2_EXCH_IKE_SA_INIT, false
#define SA_INIT_RESP	IKEV2_EXCH_IKE_SA_INIT, true

static void
sa_init_request(void **state)
{
	struct ike_msg *m = sa_init(false);
	struct rules_result res;
	size_t i;

	(void)state;
	pass(m, SA_INIT_REQ, "IKE_SA_INIT request");
	add(m, 222, false)->skipped = true;		/* ignored */
	pass(m, SA_INIT_REQ, "IKE_SA_INIT request");
	/* missing KE */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, false);
	add_sa(m, false, IKEV2_PROTO_IKE);
	add(m, IKEV2_PL_NONCE, false);
	res = refuse(m, SA_INIT_REQ, RULES_MISSING, IKEV2_PL_KE,
	    "IKE_SA_INIT request");
	assert_non_null(res.rule);
	assert_int_equal(res.rule->type, IKEV2_PL_KE);
	assert_int_equal(res.rule->min, 1);
	/* two SA payloads */
	m = sa_init(false);
	add_sa(m, false, IKEV2_PROTO_IKE);
	res = refuse(m, SA_INIT_REQ, RULES_TOO_MANY, IKEV2_PL_SA,
	    "IKE_SA_INIT request");
	assert_int_equal(res.rule->max, 1);
	/* a payload IKE_SA_INIT has no place for */
	m = sa_init(false);
	add(m, IKEV2_PL_AUTH, false);
	res = refuse(m, SA_INIT_REQ, RULES_UNEXPECTED, IKEV2_PL_AUTH,
	    "IKE_SA_INIT request");
	assert_null(res.rule);
	m = sa_init(false);
	add(m, IKEV2_PL_CERTREQ, false);	/* the response's only */
	refuse(m, SA_INIT_REQ, RULES_UNEXPECTED, IKEV2_PL_CERTREQ,
	    "IKE_SA_INIT request");
	m = sa_init(false);
	add(m, IKEV2_PL_SK, false);
	refuse(m, SA_INIT_REQ, RULES_UNEXPECTED, IKEV2_PL_SK,
	    "IKE_SA_INIT request");
	/* proposals for a Child SA */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, false);
	add_sa(m, false, IKEV2_PROTO_ESP);
	add(m, IKEV2_PL_KE, false);
	add(m, IKEV2_PL_NONCE, false);
	refuse(m, SA_INIT_REQ, RULES_SA_PROTOCOL, IKEV2_PL_SA,
	    "IKE_SA_INIT request");
	/* 33 notifies */
	m = sa_init(false);
	for (i = 0; i < 32; i++)
		add_n(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	refuse(m, SA_INIT_REQ, RULES_TOO_MANY, IKEV2_PL_NOTIFY,
	    "IKE_SA_INIT request");
	/* the rules of the request and the response are not the same */
	m = sa_init(false);
	add(m, IKEV2_PL_CERTREQ, false);
	pass(m, SA_INIT_RESP, "IKE_SA_INIT response");
}

static void
sa_init_response(void **state)
{
	static const uint16_t alone[] = { IKEV2_N_INVALID_KE_PAYLOAD,
	    IKEV2_N_COOKIE, IKEV2_N_NO_PROPOSAL_CHOSEN,
	    IKEV2_N_INVALID_SYNTAX, 9999 /* unknown error type */ };
	struct ike_msg *m = sa_init(true);
	size_t i;

	(void)state;
	pass(m, SA_INIT_RESP, "IKE_SA_INIT response");
	for (i = 0; i < 8; i++)
		add(m, IKEV2_PL_CERTREQ, false);
	pass(m, SA_INIT_RESP, "IKE_SA_INIT response");
	add(m, IKEV2_PL_CERTREQ, false);
	refuse(m, SA_INIT_RESP, RULES_TOO_MANY, IKEV2_PL_CERTREQ,
	    "IKE_SA_INIT response");
	/* <-- HDR, N(error or COOKIE) alone */
	for (i = 0; i < sizeof(alone) / sizeof(alone[0]); i++) {
		m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true);
		add_n(m, false, alone[i]);
		pass(m, SA_INIT_RESP, "IKE_SA_INIT error response");
	}
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true);
	add_n(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	refuse(m, SA_INIT_RESP, RULES_NO_ERROR, IKEV2_PL_NOTIFY,
	    "IKE_SA_INIT error response");
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true);
	refuse(m, SA_INIT_RESP, RULES_MISSING, IKEV2_PL_NOTIFY,
	    "IKE_SA_INIT error response");
	/* a normal response missing its nonce is not an error response */
	m = new_msg(IKEV2_EXCH_IKE_SA_INIT, true);
	add_sa(m, false, IKEV2_PROTO_IKE);
	add(m, IKEV2_PL_KE, false);
	add_n(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP);
	refuse(m, SA_INIT_RESP, RULES_MISSING, IKEV2_PL_NONCE,
	    "IKE_SA_INIT response");
}

/* --------------------------------------------------------- IKE_AUTH */

#define AUTH_REQ	IKEV2_EXCH_IKE_AUTH, false
#define AUTH_RESP	IKEV2_EXCH_IKE_AUTH, true

static struct ike_msg *
auth(bool response, bool child)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_IKE_AUTH, response);

	add(m, IKEV2_PL_SK, false);
	add(m, response ? IKEV2_PL_IDR : IKEV2_PL_IDI, true);
	add(m, IKEV2_PL_CERT, true);
	if (!response)
		add(m, IKEV2_PL_IDR, true);
	add(m, IKEV2_PL_AUTH, true);
	add(m, IKEV2_PL_CP, true);
	if (child) {
		add_sa(m, true, IKEV2_PROTO_ESP);
		add(m, IKEV2_PL_TSI, true);
		add(m, IKEV2_PL_TSR, true);
	}
	add_n(m, true, IKEV2_N_INITIAL_CONTACT);
	return m;
}

static void
ike_auth_request(void **state)
{
	struct ike_msg *m = auth(false, true);
	struct ike_pl *pl;

	(void)state;
	pass(m, AUTH_REQ, "IKE_AUTH request");
	/* an unencrypted payload besides SK */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, false);
	add(m, IKEV2_PL_IDI, false);
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_AUTH, true);
	add_sa(m, true, IKEV2_PROTO_ESP);
	add(m, IKEV2_PL_TSI, true);
	add(m, IKEV2_PL_TSR, true);
	refuse(m, AUTH_REQ, RULES_NOT_ENCRYPTED, IKEV2_PL_IDI,
	    "IKE_AUTH request");
	/* no SK at all */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, false);
	add(m, IKEV2_PL_IDI, false);
	refuse(m, AUTH_REQ, RULES_NO_SK, IKEV2_PL_SK, "IKE_AUTH request");
	/* SK not opened yet */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, false);
	add(m, IKEV2_PL_SK, false);
	refuse(m, AUTH_REQ, RULES_NOT_DECRYPTED, IKEV2_PL_SK,
	    "IKE_AUTH request");
	/* two SK payloads */
	m = auth(false, true);
	add(m, IKEV2_PL_SKF, false);
	refuse(m, AUTH_REQ, RULES_NO_SK, IKEV2_PL_SK, "IKE_AUTH request");
	/* missing AUTH (EAP is not offered) */
	m = auth(false, true);
	pl = (struct ike_pl *)ike_msg_find(m, IKEV2_PL_AUTH, NULL);
	pl->type = IKEV2_PL_VENDOR;
	refuse(m, AUTH_REQ, RULES_MISSING, IKEV2_PL_AUTH, "IKE_AUTH request");
	/* KE, IKE proposals */
	m = auth(false, true);
	add(m, IKEV2_PL_KE, true);
	refuse(m, AUTH_REQ, RULES_UNEXPECTED, IKEV2_PL_KE, "IKE_AUTH request");
	m = auth(false, true);
	m->prop[0].proto = IKEV2_PROTO_IKE;
	refuse(m, AUTH_REQ, RULES_SA_PROTOCOL, IKEV2_PL_SA,
	    "IKE_AUTH request");
	/* reassembled fragments: SKF stands for SK */
	m = auth(false, true);
	m->pl[0].type = IKEV2_PL_SKF;
	pass(m, AUTH_REQ, "IKE_AUTH request");
}

static void
ike_auth_response(void **state)
{
	struct ike_msg *m = auth(true, true);

	(void)state;
	pass(m, AUTH_RESP, "IKE_AUTH response");
	/* the IKE SA without its Child SA, and why */
	m = auth(true, false);
	add_n(m, true, IKEV2_N_TS_UNACCEPTABLE);
	pass(m, AUTH_RESP, "IKE_AUTH response without Child SA");
	m = auth(true, false);
	refuse(m, AUTH_RESP, RULES_NO_ERROR, IKEV2_PL_NOTIFY,
	    "IKE_AUTH response without Child SA");
	/* EAP, for the exchange to refuse cleanly */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true);
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_IDR, true);
	add(m, IKEV2_PL_AUTH, true);
	add(m, IKEV2_PL_EAP, true);
	pass(m, AUTH_RESP, "IKE_AUTH response with EAP");
	/* <-- HDR, SK {N(AUTHENTICATION_FAILED)} */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_AUTHENTICATION_FAILED);
	pass(m, AUTH_RESP, "IKE_AUTH error response");
	/* that notify unencrypted */
	m = new_msg(IKEV2_EXCH_IKE_AUTH, true);
	add_n(m, false, IKEV2_N_AUTHENTICATION_FAILED);
	add(m, IKEV2_PL_SK, false);
	m->inner = true;
	refuse(m, AUTH_RESP, RULES_NOT_ENCRYPTED, IKEV2_PL_NOTIFY,
	    "IKE_AUTH error response");
	/* TSi without SA: neither form */
	m = auth(true, false);
	add(m, IKEV2_PL_TSI, true);
	add_n(m, true, IKEV2_N_NO_PROPOSAL_CHOSEN);
	refuse(m, AUTH_RESP, RULES_UNEXPECTED, IKEV2_PL_TSI,
	    "IKE_AUTH response without Child SA");
}

/* -------------------------------------------------- CREATE_CHILD_SA */

#define CCSA_REQ	IKEV2_EXCH_CREATE_CHILD_SA, false
#define CCSA_RESP	IKEV2_EXCH_CREATE_CHILD_SA, true

static struct ike_msg *
ccsa(bool response, uint8_t proto, bool ke, bool ts)
{
	struct ike_msg *m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, response);

	add(m, IKEV2_PL_SK, false);
	if (!response && proto != IKEV2_PROTO_IKE)
		add_n(m, true, IKEV2_N_REKEY_SA);
	add_sa(m, true, proto);
	add(m, IKEV2_PL_NONCE, true);
	if (ke)
		add(m, IKEV2_PL_KE, true);
	if (ts) {
		add(m, IKEV2_PL_TSI, true);
		add(m, IKEV2_PL_TSR, true);
	}
	return m;
}

static void
create_child_sa(void **state)
{
	bool resp;
	struct ike_msg *m;

	(void)state;
	for (resp = false; ; resp = true) {
		pass(ccsa(resp, IKEV2_PROTO_ESP, true, true),
		    IKEV2_EXCH_CREATE_CHILD_SA, resp, resp ?
		    "CREATE_CHILD_SA response (Child SA)" :
		    "CREATE_CHILD_SA request (Child SA)");
		pass(ccsa(resp, IKEV2_PROTO_AH, false, true),
		    IKEV2_EXCH_CREATE_CHILD_SA, resp, resp ?
		    "CREATE_CHILD_SA response (Child SA)" :
		    "CREATE_CHILD_SA request (Child SA)");
		pass(ccsa(resp, IKEV2_PROTO_IKE, true, false),
		    IKEV2_EXCH_CREATE_CHILD_SA, resp, resp ?
		    "CREATE_CHILD_SA response (IKE SA rekey)" :
		    "CREATE_CHILD_SA request (IKE SA rekey)");
		if (resp)
			break;
	}
	/* IKE SA rekey needs KE */
	refuse(ccsa(false, IKEV2_PROTO_IKE, false, false), CCSA_REQ,
	    RULES_MISSING, IKEV2_PL_KE,
	    "CREATE_CHILD_SA request (IKE SA rekey)");
	/* IKE proposals with selectors: the Child SA form comes closest */
	refuse(ccsa(false, IKEV2_PROTO_IKE, true, true), CCSA_REQ,
	    RULES_SA_PROTOCOL, IKEV2_PL_SA,
	    "CREATE_CHILD_SA request (Child SA)");
	/* ESP proposals without selectors */
	refuse(ccsa(false, IKEV2_PROTO_ESP, true, false), CCSA_REQ,
	    RULES_SA_PROTOCOL, IKEV2_PL_SA,
	    "CREATE_CHILD_SA request (IKE SA rekey)");
	/* <-- HDR, SK {N(NO_ADDITIONAL_SAS)} etc. */
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_NO_ADDITIONAL_SAS);
	pass(m, CCSA_RESP, "CREATE_CHILD_SA error response");
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_INVALID_KE_PAYLOAD);
	add(m, IKEV2_PL_VENDOR, true);
	pass(m, CCSA_RESP, "CREATE_CHILD_SA error response");
	/* a request is never notify-only */
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, false);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_NO_ADDITIONAL_SAS);
	assert_int_equal(rules_check(m, CCSA_REQ, NULL), IKE_EMALFORMED);
	m = new_msg(IKEV2_EXCH_CREATE_CHILD_SA, true);
	add(m, IKEV2_PL_SK, false);
	add_n(m, true, IKEV2_N_REKEY_SA);
	refuse(m, CCSA_RESP, RULES_NO_ERROR, IKEV2_PL_NOTIFY,
	    "CREATE_CHILD_SA error response");
}

/* ---------------------------------------------------- INFORMATIONAL */

static void
informational(void **state)
{
	struct ike_msg *m;
	bool resp;

	(void)state;
	for (resp = false; ; resp = true) {
		/* liveness check: an empty SK */
		m = new_msg(IKEV2_EXCH_INFORMATIONAL, resp);
		add(m, IKEV2_PL_SK, false);
		m->inner = true;
		pass(m, IKEV2_EXCH_INFORMATIONAL, resp, resp ?
		    "INFORMATIONAL response" : "INFORMATIONAL request");
		add(m, IKEV2_PL_DELETE, true);
		add(m, IKEV2_PL_DELETE, true);
		add_n(m, true, IKEV2_N_UPDATE_SA_ADDRESSES);
		add(m, IKEV2_PL_CP, true);
		pass(m, IKEV2_EXCH_INFORMATIONAL, resp, resp ?
		    "INFORMATIONAL response" : "INFORMATIONAL request");
		if (resp)
			break;
	}
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false);
	add(m, IKEV2_PL_SK, false);
	refuse(m, IKEV2_EXCH_INFORMATIONAL, false, RULES_NOT_DECRYPTED,
	    IKEV2_PL_SK, "INFORMATIONAL request");
	add_sa(m, true, IKEV2_PROTO_ESP);
	refuse(m, IKEV2_EXCH_INFORMATIONAL, false, RULES_UNEXPECTED,
	    IKEV2_PL_SA, "INFORMATIONAL request");
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, false);
	add(m, IKEV2_PL_DELETE, false);
	add(m, IKEV2_PL_SK, false);
	m->inner = true;
	refuse(m, IKEV2_EXCH_INFORMATIONAL, false, RULES_NOT_ENCRYPTED,
	    IKEV2_PL_DELETE, "INFORMATIONAL request");
	m = new_msg(IKEV2_EXCH_INFORMATIONAL, true);
	add(m, IKEV2_PL_SK, false);
	add(m, IKEV2_PL_CP, true);
	add(m, IKEV2_PL_CP, true);
	refuse(m, IKEV2_EXCH_INFORMATIONAL, true, RULES_TOO_MANY, IKEV2_PL_CP,
	    "INFORMATIONAL response");
}

static void
unknown_exchange_and_names(void **state)
{
	struct ike_msg *m = new_msg(99, false);
	struct rules_result res;
	int w;

	(void)state;
	assert_int_equal(rules_check(m, 99, false, &res), IKE_EUNSUPP);
	assert_int_equal(res.why, RULES_NO_TABLE);
	assert_null(res.form);
	assert_int_equal(rules_check(m, 0, true, NULL), IKE_EUNSUPP);
	for (w = 0; w < RULES_NWHY; w++)
		assert_string_not_equal(rules_why_str((enum rules_why)w),
		    "unknown");
	assert_string_equal(rules_why_str(RULES_NWHY), "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(sa_init_request),
		TEST(sa_init_response),
		TEST(ike_auth_request),
		TEST(ike_auth_response),
		TEST(create_child_sa),
		TEST(informational),
		TEST(unknown_exchange_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
