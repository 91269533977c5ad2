/* Which payloads each IKEv1 message may carry, as tables (see
 * ikev1_rules.h).  Vendor IDs may come with any phase 1 message (RFC
 * 2408 s. 3.16, RFC 3947 s. 3.1); NAT-D (RFC 3947 s. 3.2, or the
 * drafts' 130) with Main Mode 3/4 and Aggressive Mode 2/3; NAT-OA (RFC
 * 3947 s. 5.1, or 131) with Quick Mode 1/2.  The maxima of the optional
 * ones only bound what one message can make the exchange code see. */
#include "core/codec/ikev1_rules.h"

#include "core/codec/ikev1.h"
#include "core/err.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#define RULES(r)	(r), nitems(r)
#define FIRST(f)	(f), nitems(f)
#define VIDS		{ IKEV1_PL_VID, 0, 16 }
#define NATDS		{ IKEV1_PL_NATD, 0, 4 }, \
			{ IKEV1_PL_NATD_DRAFT, 0, 4 }

static const uint8_t sa_first[] = { IKEV1_PL_SA };
static const uint8_t hash_first[] = { IKEV1_PL_HASH };
static const uint8_t hash_sa_first[] = { IKEV1_PL_HASH, IKEV1_PL_SA };

/* Main Mode (RFC 2409 s. 5.1, 5.2):
 *   1  HDR, SA  -->        2  <--  HDR, SA
 *   3  HDR, KE, Ni  -->    4  <--  HDR, KE, Nr   (signatures: [CR])
 *   5  HDR*, IDii, HASH_I | IDii, [CERT,] SIG_I  -->
 *   6  <--  HDR*, IDir, HASH_R | IDir, [CERT,] SIG_R
 * (signatures: CR in 5 and 6 too, RFC 2408 s. 3.10 allows it anywhere;
 * strongSwan's initiator asks for the responder's certificate in 5) */
static const struct v1_rule mm_sa[] = {
	/* payload            min max */
	{ IKEV1_PL_SA,          1,  1 },
	VIDS,
};
static const struct v1_rule mm_ke_psk[] = {
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	NATDS,
	VIDS,
};
static const struct v1_rule mm_ke_sig[] = {
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_CR,          0,  8 },
	NATDS,
	VIDS,
};
static const struct v1_rule mm_id_psk[] = {
	{ IKEV1_PL_ID,          1,  1 },
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_N,           0,  4 },	/* INITIAL-CONTACT */
	VIDS,
};
static const struct v1_rule mm_id_sig[] = {
	{ IKEV1_PL_ID,          1,  1 },
	{ IKEV1_PL_CERT,        0,  4 },
	{ IKEV1_PL_SIG,         1,  1 },
	{ IKEV1_PL_CR,          0,  8 },
	{ IKEV1_PL_N,           0,  4 },
	VIDS,
};

/* Aggressive Mode (s. 5.1, 5.4):
 *   1  HDR, SA, KE, Ni, IDii  -->
 *   2  <--  HDR, SA, KE, Nr, IDir, HASH_R | ..., [CERT,] SIG_R
 *   3  HDR, HASH_I | [CERT,] SIG_I  --> */
static const struct v1_rule am1_psk[] = {
	{ IKEV1_PL_SA,          1,  1 },
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_ID,          1,  1 },
	VIDS,
};
static const struct v1_rule am1_sig[] = {
	{ IKEV1_PL_SA,          1,  1 },
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_ID,          1,  1 },
	{ IKEV1_PL_CR,          0,  8 },
	VIDS,
};
static const struct v1_rule am2_psk[] = {
	{ IKEV1_PL_SA,          1,  1 },
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_ID,          1,  1 },
	{ IKEV1_PL_HASH,        1,  1 },
	NATDS,
	VIDS,
};
static const struct v1_rule am2_sig[] = {
	{ IKEV1_PL_SA,          1,  1 },
	{ IKEV1_PL_KE,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_ID,          1,  1 },
	{ IKEV1_PL_CERT,        0,  4 },
	{ IKEV1_PL_SIG,         1,  1 },
	{ IKEV1_PL_CR,          0,  8 },
	NATDS,
	VIDS,
};
static const struct v1_rule am3_psk[] = {
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_N,           0,  4 },
	NATDS,
	VIDS,
};
static const struct v1_rule am3_sig[] = {
	{ IKEV1_PL_CERT,        0,  4 },
	{ IKEV1_PL_SIG,         1,  1 },
	{ IKEV1_PL_N,           0,  4 },
	NATDS,
	VIDS,
};

/* Quick Mode (s. 5.5, RFC 3947 s. 5):
 *   1  HDR*, HASH(1), SA, Ni [, KE ] [, IDci, IDcr ] [, NAT-OA ...] -->
 *   2  <--  HDR*, HASH(2), SA, Nr [, KE ] [, IDci, IDcr ] [, NAT-OA]
 *   3  HDR*, HASH(3)  -->
 * and, with the commit bit, 4 <-- HDR*, HASH, N(CONNECTED) (RFC 2408
 * s. 4.6.3 ... s. 3.1). */
static const struct v1_rule qm_sa[] = {
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_SA,          1,  1 },
	{ IKEV1_PL_NONCE,       1,  1 },
	{ IKEV1_PL_KE,          0,  1 },
	{ IKEV1_PL_ID,          0,  2 },
	{ IKEV1_PL_NATOA,       0,  2 },
	{ IKEV1_PL_NATOA_DRAFT, 0,  2 },
	{ IKEV1_PL_N,           0,  4 },	/* RESPONDER-LIFETIME, ... */
};
static const struct v1_rule qm_hash[] = {
	{ IKEV1_PL_HASH,        1,  1 },
};
static const struct v1_rule qm_connected[] = {
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_N,           1,  1 },
};

/* Informational (s. 5.7): HDR*, HASH(1), N/D; before phase 1 has keys,
 * a notification alone and in the clear (RFC 2408 s. 4.8), which the
 * exchange code must not trust. */
static const struct v1_rule info_n[] = {
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_N,           1,  8 },
};
static const struct v1_rule info_d[] = {
	{ IKEV1_PL_HASH,        1,  1 },
	{ IKEV1_PL_D,           1,  8 },
};
static const struct v1_rule info_plain[] = {
	{ IKEV1_PL_N,           1,  1 },
};

#define FORM(n, r, f, e)	{ (n), RULES(r), FIRST(f), (e), false }
#define FORM_ANY(n, r, e)	{ (n), RULES(r), NULL, 0, (e), false }

static const struct v1_form f_mm_sa[] = {
	FORM("main SA", mm_sa, sa_first, V1_ENC_NO) };
static const struct v1_form f_mm_ke_psk[] = {
	FORM_ANY("main KE", mm_ke_psk, V1_ENC_NO) };
static const struct v1_form f_mm_ke_sig[] = {
	FORM_ANY("main KE (signatures)", mm_ke_sig, V1_ENC_NO) };
static const struct v1_form f_mm_id_psk[] = {
	FORM_ANY("main ID", mm_id_psk, V1_ENC_YES) };
static const struct v1_form f_mm_id_sig[] = {
	FORM_ANY("main ID (signatures)", mm_id_sig, V1_ENC_YES) };
static const struct v1_form f_am1_psk[] = {
	FORM("aggressive 1", am1_psk, sa_first, V1_ENC_NO) };
static const struct v1_form f_am1_sig[] = {
	FORM("aggressive 1 (signatures)", am1_sig, sa_first, V1_ENC_NO) };
static const struct v1_form f_am2_psk[] = {
	FORM("aggressive 2", am2_psk, sa_first, V1_ENC_NO) };
static const struct v1_form f_am2_sig[] = {
	FORM("aggressive 2 (signatures)", am2_sig, sa_first, V1_ENC_NO) };
static const struct v1_form f_am3_psk[] = {
	FORM_ANY("aggressive 3", am3_psk, V1_ENC_MAY) };
static const struct v1_form f_am3_sig[] = {
	FORM_ANY("aggressive 3 (signatures)", am3_sig, V1_ENC_MAY) };
static const struct v1_form f_qm_sa[] = {
	{ "quick SA", RULES(qm_sa), FIRST(hash_sa_first), V1_ENC_YES, true } };
static const struct v1_form f_qm_hash[] = {
	FORM("quick HASH(3)", qm_hash, hash_first, V1_ENC_YES) };
static const struct v1_form f_qm_connected[] = {
	FORM("quick CONNECTED", qm_connected, hash_first, V1_ENC_YES) };
static const struct v1_form f_info[] = {
	FORM("informational N", info_n, hash_first, V1_ENC_YES),
	FORM("informational D", info_d, hash_first, V1_ENC_YES),
	FORM_ANY("informational unprotected N", info_plain, V1_ENC_NO),
};

#define ANY_AUTH	(-1)
struct v1_msgdef {
	uint8_t			 exchange;
	uint8_t			 msgno;
	int8_t			 auth;	/* enum v1_auth, or ANY_AUTH */
	const struct v1_form	*forms;
	size_t			 nforms;
};
#define DEF(x, n, a, f)	{ (x), (n), (a), (f), nitems(f) }

static const struct v1_msgdef defs[] = {
	DEF(IKEV1_EXCH_MAIN, 1, ANY_AUTH, f_mm_sa),
	DEF(IKEV1_EXCH_MAIN, 2, ANY_AUTH, f_mm_sa),
	DEF(IKEV1_EXCH_MAIN, 3, V1_AUTH_PSK, f_mm_ke_psk),
	DEF(IKEV1_EXCH_MAIN, 4, V1_AUTH_PSK, f_mm_ke_psk),
	DEF(IKEV1_EXCH_MAIN, 3, V1_AUTH_SIG, f_mm_ke_sig),
	DEF(IKEV1_EXCH_MAIN, 4, V1_AUTH_SIG, f_mm_ke_sig),
	DEF(IKEV1_EXCH_MAIN, 5, V1_AUTH_PSK, f_mm_id_psk),
	DEF(IKEV1_EXCH_MAIN, 6, V1_AUTH_PSK, f_mm_id_psk),
	DEF(IKEV1_EXCH_MAIN, 5, V1_AUTH_SIG, f_mm_id_sig),
	DEF(IKEV1_EXCH_MAIN, 6, V1_AUTH_SIG, f_mm_id_sig),
	DEF(IKEV1_EXCH_AGGRESSIVE, 1, V1_AUTH_PSK, f_am1_psk),
	DEF(IKEV1_EXCH_AGGRESSIVE, 1, V1_AUTH_SIG, f_am1_sig),
	DEF(IKEV1_EXCH_AGGRESSIVE, 2, V1_AUTH_PSK, f_am2_psk),
	DEF(IKEV1_EXCH_AGGRESSIVE, 2, V1_AUTH_SIG, f_am2_sig),
	DEF(IKEV1_EXCH_AGGRESSIVE, 3, V1_AUTH_PSK, f_am3_psk),
	DEF(IKEV1_EXCH_AGGRESSIVE, 3, V1_AUTH_SIG, f_am3_sig),
	DEF(IKEV1_EXCH_QUICK, 1, ANY_AUTH, f_qm_sa),
	DEF(IKEV1_EXCH_QUICK, 2, ANY_AUTH, f_qm_sa),
	DEF(IKEV1_EXCH_QUICK, 3, ANY_AUTH, f_qm_hash),
	DEF(IKEV1_EXCH_QUICK, 4, ANY_AUTH, f_qm_connected),
	DEF(IKEV1_EXCH_INFO, 1, ANY_AUTH, f_info),
};

static const char *const why_str[V1R_NWHY] = {
	[V1R_OK] = "ok",
	[V1R_NO_TABLE] = "no rules for this exchange message",
	[V1R_MISSING] = "required payload missing",
	[V1R_TOO_MANY] = "payload repeated too often",
	[V1R_UNEXPECTED] = "payload not allowed here",
	[V1R_ORDER] = "payload out of order",
	[V1R_ID_PAIR] = "client IDs not a pair",
	[V1R_NOT_ENCRYPTED] = "message must be encrypted",
	[V1R_NOT_PLAIN] = "message must not be encrypted",
	[V1R_NOT_DECRYPTED] = "encrypted body not decoded",
};

const char *
v1_rules_why_str(enum v1_rules_why why)
{
	if ((unsigned)why >= V1R_NWHY || why_str[why] == NULL)
		return "unknown";
	return why_str[why];
}

/* Counts one violation; the first one is the one reported. */
static void
violate(struct v1_rules_result *r, size_t *n, enum v1_rules_why why,
    uint8_t type)
{
	if ((*n)++ == 0) {
		r->why = why;
		r->pl_type = type;
	}
}

static void
check_enc(const struct v1_msg *m, const struct v1_form *f,
    struct v1_rules_result *r, size_t *n)
{
	bool enc = (m->hdr.flags & IKEV1_F_ENC) != 0;

	if (enc && !m->opened)
		violate(r, n, V1R_NOT_DECRYPTED, 0);
	else if (!enc && f->enc == V1_ENC_YES)
		violate(r, n, V1R_NOT_ENCRYPTED, 0);
	else if (enc && f->enc == V1_ENC_NO)
		violate(r, n, V1R_NOT_PLAIN, 0);
}

static size_t
count_type(const struct v1_msg *m, uint8_t type)
{
	size_t i, k = 0;

	for (i = 0; i < m->npl; i++)
		k += m->pl[i].type == type;
	return k;
}

static bool
listed(const struct v1_form *f, uint8_t type)
{
	size_t i;

	for (i = 0; i < f->nrules; i++)
		if (f->rules[i].type == type)
			return true;
	return false;
}

static void
check_counts(const struct v1_msg *m, const struct v1_form *f,
    struct v1_rules_result *r, size_t *n)
{
	size_t i, k;

	for (i = 0; i < m->npl; i++)
		if (!listed(f, m->pl[i].type))
			violate(r, n, V1R_UNEXPECTED, m->pl[i].type);
	for (i = 0; i < f->nrules; i++) {
		k = count_type(m, f->rules[i].type);
		if (k < f->rules[i].min)
			violate(r, n, V1R_MISSING, f->rules[i].type);
		else if (k > f->rules[i].max)
			violate(r, n, V1R_TOO_MANY, f->rules[i].type);
	}
}

static void
check_order(const struct v1_msg *m, const struct v1_form *f,
    struct v1_rules_result *r, size_t *n)
{
	size_t i, k;

	for (i = 0; i < f->nfirst; i++) {
		if (i < m->npl && m->pl[i].type == f->first[i])
			continue;
		if (count_type(m, f->first[i]) > 0)	/* else: missing */
			violate(r, n, V1R_ORDER, f->first[i]);
	}
	if (f->id_pair && (k = count_type(m, IKEV1_PL_ID)) != 0 && k != 2)
		violate(r, n, V1R_ID_PAIR, IKEV1_PL_ID);
}

static size_t
form_check(const struct v1_msg *m, const struct v1_form *f,
    struct v1_rules_result *r)
{
	size_t n = 0;

	r->why = V1R_OK;
	r->pl_type = 0;
	r->form = f->name;
	check_enc(m, f, r, &n);
	check_counts(m, f, r, &n);
	check_order(m, f, r, &n);
	return n;
}

static const struct v1_msgdef *
def_find(uint8_t exchange, unsigned msgno, enum v1_auth auth)
{
	size_t i;

	for (i = 0; i < nitems(defs); i++)
		if (defs[i].exchange == exchange && defs[i].msgno == msgno &&
		    (defs[i].auth == ANY_AUTH || defs[i].auth == (int)auth))
			return &defs[i];
	return NULL;
}

int
v1_rules_check(const struct v1_msg *m, uint8_t exchange, unsigned msgno,
    enum v1_auth auth, struct v1_rules_result *res)
{
	const struct v1_msgdef *d = def_find(exchange, msgno, auth);
	struct v1_rules_result best = { V1R_NO_TABLE, 0, NULL }, cur;
	size_t i, n, best_n = SIZE_MAX;

	if (d == NULL) {
		if (res != NULL)
			*res = best;
		return IKE_EUNSUPP;
	}
	for (i = 0; i < d->nforms && best_n != 0; i++) {
		n = form_check(m, &d->forms[i], &cur);
		if (n < best_n) {
			best_n = n;
			best = cur;
		}
	}
	if (res != NULL)
		*res = best;
	return best_n == 0 ? 0 : IKE_EMALFORMED;
}
