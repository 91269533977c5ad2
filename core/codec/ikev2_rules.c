/* Which payloads each IKEv2 message may carry, as tables (see
 * ikev2_rules.h).  N and V may be added to any message (s. 3.10, 3.12);
 * their maxima and those of CERT/CERTREQ only bound what one message
 * can make the exchange code look at. */
#include "core/codec/ikev2_rules.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/err.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define RULES(r)	(r), nitems(r)
#define MAX_RULES	16

/* IKE_SA_INIT (s. 1.2):  HDR, SAi1, KEi, Ni  -->
 *                   <--  HDR, SAr1, KEr, Nr, [CERTREQ] */
static const struct pl_rule sa_init_req[] = {
	/* payload            min max  encrypted */
	{ IKEV2_PL_SA,          1,  1, false },
	{ IKEV2_PL_KE,          1,  1, false },
	{ IKEV2_PL_NONCE,       1,  1, false },
	{ IKEV2_PL_NOTIFY,      0, 32, false },
	{ IKEV2_PL_VENDOR,      0, 32, false },
};
static const struct pl_rule sa_init_resp[] = {
	{ IKEV2_PL_SA,          1,  1, false },
	{ IKEV2_PL_KE,          1,  1, false },
	{ IKEV2_PL_NONCE,       1,  1, false },
	{ IKEV2_PL_CERTREQ,     0,  8, false },
	{ IKEV2_PL_NOTIFY,      0, 32, false },
	{ IKEV2_PL_VENDOR,      0, 32, false },
};
/* <-- HDR, N(COOKIE) | N(INVALID_KE_PAYLOAD) | N(NO_PROPOSAL_CHOSEN)...
 * (s. 1.2, 1.3, 2.6, 2.21) */
static const struct pl_rule notify_only_plain[] = {
	{ IKEV2_PL_NOTIFY,      1,  8, false },
	{ IKEV2_PL_VENDOR,      0, 32, false },
};
static const struct pl_rule notify_only_sk[] = {
	{ IKEV2_PL_NOTIFY,      1,  8, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};

/* IKE_AUTH (s. 1.2, 2.16):
 *   HDR, SK {IDi, [CERT,] [CERTREQ,] [IDr,] AUTH, [CP,] SAi2, TSi, TSr}
 *   <-- HDR, SK {IDr, [CERT,] AUTH, [CP,] SAr2, TSi, TSr} */
static const struct pl_rule auth_req[] = {
	{ IKEV2_PL_IDI,         1,  1, true },
	{ IKEV2_PL_CERT,        0,  8, true },
	{ IKEV2_PL_CERTREQ,     0,  8, true },
	{ IKEV2_PL_IDR,         0,  1, true },
	{ IKEV2_PL_AUTH,        1,  1, true },
	{ IKEV2_PL_CP,          0,  1, true },
	{ IKEV2_PL_SA,          1,  1, true },
	{ IKEV2_PL_TSI,         1,  1, true },
	{ IKEV2_PL_TSR,         1,  1, true },
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};
static const struct pl_rule auth_resp[] = {
	{ IKEV2_PL_IDR,         1,  1, true },
	{ IKEV2_PL_CERT,        0,  8, true },
	{ IKEV2_PL_AUTH,        1,  1, true },
	{ IKEV2_PL_CP,          0,  1, true },
	{ IKEV2_PL_SA,          1,  1, true },
	{ IKEV2_PL_TSI,         1,  1, true },
	{ IKEV2_PL_TSR,         1,  1, true },
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};
/* The IKE SA is up but the Child SA failed: an error N says why (s. 1.2,
 * 2.21.2). */
static const struct pl_rule auth_resp_nochild[] = {
	{ IKEV2_PL_IDR,         1,  1, true },
	{ IKEV2_PL_CERT,        0,  8, true },
	{ IKEV2_PL_AUTH,        1,  1, true },
	{ IKEV2_PL_CP,          0,  1, true },
	{ IKEV2_PL_NOTIFY,      1, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};
/* <-- HDR, SK {IDr, [CERT,] AUTH, EAP} or SK {EAP} (s. 2.16); accepted
 * here so that the exchange can refuse EAP cleanly. */
static const struct pl_rule auth_resp_eap[] = {
	{ IKEV2_PL_IDR,         0,  1, true },
	{ IKEV2_PL_CERT,        0,  8, true },
	{ IKEV2_PL_AUTH,        0,  1, true },
	{ IKEV2_PL_EAP,         1,  1, true },
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};

/* CREATE_CHILD_SA (s. 1.3.1, 1.3.3):
 *   HDR, SK {[N(REKEY_SA)], SA, Ni, [KEi], TSi, TSr}
 *   <-- HDR, SK {SA, Nr, [KEr], TSi, TSr} */
static const struct pl_rule ccsa_child[] = {
	{ IKEV2_PL_SA,          1,  1, true },
	{ IKEV2_PL_NONCE,       1,  1, true },
	{ IKEV2_PL_KE,          0,  1, true },
	{ IKEV2_PL_TSI,         1,  1, true },
	{ IKEV2_PL_TSR,         1,  1, true },
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};
/* s. 1.3.2:  HDR, SK {SA, Ni, KEi}  <-- HDR, SK {SA, Nr, KEr} */
static const struct pl_rule ccsa_ike[] = {
	{ IKEV2_PL_SA,          1,  1, true },
	{ IKEV2_PL_NONCE,       1,  1, true },
	{ IKEV2_PL_KE,          1,  1, true },
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};

/* INFORMATIONAL (s. 1.4):  HDR, SK {[N,] [D,] [CP,] ...}, both ways;
 * empty for a liveness check. */
static const struct pl_rule info[] = {
	{ IKEV2_PL_NOTIFY,      0, 32, true },
	{ IKEV2_PL_DELETE,      0, 32, true },
	{ IKEV2_PL_CP,          0,  1, true },
	{ IKEV2_PL_VENDOR,      0, 32, true },
};

static const struct pl_form sa_init_req_forms[] = {
	{ "IKE_SA_INIT request", RULES(sa_init_req), RULES_SA_IKE, false },
};
static const struct pl_form sa_init_resp_forms[] = {
	{ "IKE_SA_INIT response", RULES(sa_init_resp), RULES_SA_IKE, false },
	{ "IKE_SA_INIT error response", RULES(notify_only_plain),
	    RULES_SA_ANY, true },
};
static const struct pl_form auth_req_forms[] = {
	{ "IKE_AUTH request", RULES(auth_req), RULES_SA_CHILD, false },
};
static const struct pl_form auth_resp_forms[] = {
	{ "IKE_AUTH response", RULES(auth_resp), RULES_SA_CHILD, false },
	{ "IKE_AUTH response without Child SA", RULES(auth_resp_nochild),
	    RULES_SA_ANY, true },
	{ "IKE_AUTH response with EAP", RULES(auth_resp_eap), RULES_SA_ANY,
	    false },
	{ "IKE_AUTH error response", RULES(notify_only_sk), RULES_SA_ANY,
	    true },
};
static const struct pl_form ccsa_req_forms[] = {
	{ "CREATE_CHILD_SA request (Child SA)", RULES(ccsa_child),
	    RULES_SA_CHILD, false },
	{ "CREATE_CHILD_SA request (IKE SA rekey)", RULES(ccsa_ike),
	    RULES_SA_IKE, false },
};
static const struct pl_form ccsa_resp_forms[] = {
	{ "CREATE_CHILD_SA response (Child SA)", RULES(ccsa_child),
	    RULES_SA_CHILD, false },
	{ "CREATE_CHILD_SA response (IKE SA rekey)", RULES(ccsa_ike),
	    RULES_SA_IKE, false },
	{ "CREATE_CHILD_SA error response", RULES(notify_only_sk),
	    RULES_SA_ANY, true },
};
static const struct pl_form info_req_forms[] = {
	{ "INFORMATIONAL request", RULES(info), RULES_SA_ANY, false },
};
static const struct pl_form info_resp_forms[] = {
	{ "INFORMATIONAL response", RULES(info), RULES_SA_ANY, false },
};

static const struct {
	uint8_t			 exchange;
	bool			 response;
	const struct pl_form	*forms;
	size_t			 nforms;
} table[] = {
	{ IKEV2_EXCH_IKE_SA_INIT, false, RULES(sa_init_req_forms) },
	{ IKEV2_EXCH_IKE_SA_INIT, true, RULES(sa_init_resp_forms) },
	{ IKEV2_EXCH_IKE_AUTH, false, RULES(auth_req_forms) },
	{ IKEV2_EXCH_IKE_AUTH, true, RULES(auth_resp_forms) },
	{ IKEV2_EXCH_CREATE_CHILD_SA, false, RULES(ccsa_req_forms) },
	{ IKEV2_EXCH_CREATE_CHILD_SA, true, RULES(ccsa_resp_forms) },
	{ IKEV2_EXCH_INFORMATIONAL, false, RULES(info_req_forms) },
	{ IKEV2_EXCH_INFORMATIONAL, true, RULES(info_resp_forms) },
};

static const char *const why_str[RULES_NWHY] = {
	[RULES_OK] = "ok",
	[RULES_NO_TABLE] = "no rules for this exchange type",
	[RULES_MISSING] = "required payload missing",
	[RULES_TOO_MANY] = "payload repeated too often",
	[RULES_UNEXPECTED] = "payload not allowed in this message",
	[RULES_NOT_ENCRYPTED] = "payload must be encrypted",
	[RULES_NOT_PLAIN] = "payload must not be encrypted",
	[RULES_NO_SK] = "encrypted payload missing or repeated",
	[RULES_NOT_DECRYPTED] = "encrypted payload not opened",
	[RULES_NO_ERROR] = "notify-only message without an error",
	[RULES_SA_PROTOCOL] = "proposal protocol wrong for this message",
};

const char *
rules_why_str(enum rules_why why)
{
	if ((unsigned)why >= RULES_NWHY || why_str[why] == NULL)
		return "unknown";
	return why_str[why];
}

/* Violations of one form; the first is kept. */
struct tally {
	const struct pl_form	*form;
	size_t			 n;
	struct rules_result	 first;
};

static void
violation(struct tally *t, enum rules_why why, uint8_t type,
    const struct pl_rule *rule)
{
	if (t->n++ > 0)
		return;
	t->first.why = why;
	t->first.pl_type = type;
	t->first.rule = rule;
	t->first.form = t->form->name;
}

static bool
is_outer_sk(const struct ike_pl *pl)
{
	return !pl->encrypted &&
	    (pl->type == IKEV2_PL_SK || pl->type == IKEV2_PL_SKF);
}

static bool
form_protected(const struct pl_form *f)
{
	size_t i;

	for (i = 0; i < f->nrules; i++)
		if (f->rules[i].encrypted)
			return true;
	return false;
}

/* A protected form has exactly one SK or SKF, opened; others none. */
static void
check_sk(const struct ike_msg *m, struct tally *t)
{
	size_t i, nsk = 0, ninner = 0;

	for (i = 0; i < m->npl; i++) {
		if (is_outer_sk(&m->pl[i]))
			nsk++;
		else if (m->pl[i].encrypted && !m->pl[i].skipped)
			ninner++;
	}
	if (!form_protected(t->form)) {
		if (nsk != 0)
			violation(t, RULES_UNEXPECTED, IKEV2_PL_SK, NULL);
	} else if (nsk != 1) {
		violation(t, RULES_NO_SK, IKEV2_PL_SK, NULL);
	} else if (!m->inner && ninner == 0) {
		violation(t, RULES_NOT_DECRYPTED, IKEV2_PL_SK, NULL);
	}
}

static const struct pl_rule *
rule_find(const struct pl_form *f, uint8_t type)
{
	size_t i;

	for (i = 0; i < f->nrules; i++)
		if (f->rules[i].type == type)
			return &f->rules[i];
	return NULL;
}

static void
check_counts(const struct ike_msg *m, struct tally *t)
{
	const struct pl_form *f = t->form;
	const struct pl_rule *r;
	const struct ike_pl *pl;
	size_t count[MAX_RULES] = { 0 }, i;

	for (i = 0; i < m->npl; i++) {
		pl = &m->pl[i];
		if (pl->skipped || is_outer_sk(pl))
			continue;
		if ((r = rule_find(f, pl->type)) == NULL) {
			violation(t, RULES_UNEXPECTED, pl->type, NULL);
			continue;
		}
		if (r->encrypted && !pl->encrypted)
			violation(t, RULES_NOT_ENCRYPTED, pl->type, r);
		else if (!r->encrypted && pl->encrypted)
			violation(t, RULES_NOT_PLAIN, pl->type, r);
		count[r - f->rules]++;
	}
	for (i = 0; i < f->nrules; i++) {
		r = &f->rules[i];
		if (count[i] < r->min)
			violation(t, RULES_MISSING, r->type, r);
		else if (count[i] > r->max)
			violation(t, RULES_TOO_MANY, r->type, r);
	}
}

/* Error types are below 16384; COOKIE is a status type that stands
 * alone in an IKE_SA_INIT response (s. 2.6). */
static void
check_error(const struct ike_msg *m, struct tally *t)
{
	const struct ike_pl *pl = NULL;

	if (!t->form->error_only)
		return;
	while ((pl = ike_msg_find(m, IKEV2_PL_NOTIFY, pl)) != NULL)
		if (pl->u.notify.type <= IKEV2_N_ERROR_MAX ||
		    pl->u.notify.type == IKEV2_N_COOKIE)
			return;
	violation(t, RULES_NO_ERROR, IKEV2_PL_NOTIFY, NULL);
}

static bool
sa_proto_ok(enum rules_sa want, uint8_t proto)
{
	if (want == RULES_SA_IKE)
		return proto == IKEV2_PROTO_IKE;
	if (want == RULES_SA_CHILD)
		return proto == IKEV2_PROTO_AH || proto == IKEV2_PROTO_ESP;
	return true;
}

static void
check_sa(const struct ike_msg *m, struct tally *t)
{
	const struct ike_pl *pl = NULL;
	size_t i, k;

	while ((pl = ike_msg_find(m, IKEV2_PL_SA, pl)) != NULL) {
		for (i = 0; i < pl->u.sa.nprop; i++) {
			k = (size_t)pl->u.sa.prop0 + i;
			if (k >= m->nprop ||
			    !sa_proto_ok(t->form->sa, m->prop[k].proto)) {
				violation(t, RULES_SA_PROTOCOL, IKEV2_PL_SA,
				    NULL);
				return;
			}
		}
	}
}

static void
form_check(const struct ike_msg *m, const struct pl_form *f, struct tally *t)
{
	memset(t, 0, sizeof(*t));
	t->form = f;
	if (f->nrules > MAX_RULES) {	/* a table bigger than count[] */
		violation(t, RULES_NO_TABLE, 0, NULL);
		return;
	}
	check_sk(m, t);
	check_counts(m, t);
	check_error(m, t);
	check_sa(m, t);
}

int
rules_check(const struct ike_msg *m, uint8_t exchange, bool is_response,
    struct rules_result *res)
{
	struct tally best, t;
	size_t i, k;

	for (i = 0; i < nitems(table); i++)
		if (table[i].exchange == exchange &&
		    table[i].response == is_response)
			break;
	if (i == nitems(table)) {
		if (res != NULL)
			*res = (struct rules_result){ .why = RULES_NO_TABLE };
		return IKE_EUNSUPP;
	}
	form_check(m, &table[i].forms[0], &best);
	for (k = 1; k < table[i].nforms && best.n > 0; k++) {
		form_check(m, &table[i].forms[k], &t);
		if (t.n < best.n)
			best = t;
	}
	if (best.n == 0)
		best.first.form = best.form->name;
	if (res != NULL)
		*res = best.first;
	return best.n == 0 ? 0 : IKE_EMALFORMED;
}
