/* tests/exchange1/test_v1_cert.c: IKEv1 phase 1 with signatures and
 * certificates (RFC 2409 s. 5.1, RFC 2408 s. 3.9, 3.10, RFC 4754)
 * between two engines, with a test CA made at run time (root ->
 * intermediate -> end entities; tests/exchange/cert_fx.h).  Each
 * peer sends its end entity and the intermediate and trusts the root
 * only; the engines' wall clock is the test CA's "now".
 *
 * Established, then Quick Mode up on both sides: Main Mode and
 * Aggressive Mode with RSA-2048 (method 3) and ECDSA P-256 (method 9),
 * Main Mode with ECDSA P-384 (method 10); the subject DN as identity,
 * also configured on the other side with another spelling; a phase-1
 * rekey each way.  On the wire: CRs naming the root in Main Mode
 * message 3 and 4 and Aggressive Mode message 1 and 2 (one empty CR
 * with more than 8 CAs), CERT CERT SIG and no HASH in message 5.
 * Refused, each with its reason on the side that checks and nothing
 * installed on either side: wrong CA, expired, revoked, the peer's ID
 * not in its certificate, another configured DN, key usage, garbage,
 * truncated and missing CERT, forged SIG, a certificate whose key does
 * not fit the method, a bad responder certificate (Main and Aggressive
 * Mode), a method the other side does not use, and configurations
 * without a fitting certificate. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/nid.h>
#include <openssl/x509.h>

#include "core/codec/wr.h"
#include "core/crypto/cert.h"
#include "core/err.h"
#include "core/exchange1/v1.h"
#include "core/sa/ike_v1.h"
#include "cert_fx.h"
#include "harness.h"
#include "tests/lib/testutil.h"
#include "v1_ph1_util.h"
#include "v1_util.h"

/* ------------------------------------------------------- credentials */

/* How a certificate of ours differs from the standard one (CN and
 * dNSName <name>.example, keyUsage digitalSignature, from the
 * intermediate). */
struct cred {
	const char	*san;		/* NULL: DNS:<name>.example */
	const char	*ku;		/* NULL: digitalSignature */
	time_t		 not_after;	/* 0: in a year */
	uint64_t	 serial;	/* 0: 10 */
	X509		*issuer;	/* NULL: the intermediate */
	EVP_PKEY	*ikey;
};

static struct cert_own *
own_cred(const char *name, int k, const struct cred *c)
{
	char cn[64], san[80], tag[64];
	struct tca_opts o = ee_opts(name, cn, sizeof(cn),
	    c->serial != 0 ? c->serial : 10);

	(void)snprintf(san, sizeof(san), "DNS:%s", cn);
	o.san = c->san != NULL ? c->san : san;
	if (c->ku != NULL)
		o.ku = c->ku;
	if (c->not_after != 0) {
		o.not_after = c->not_after;
		o.not_before = c->not_after - 30 * TCA_DAY;
	}
	(void)snprintf(tag, sizeof(tag), "%s-%d", name, k);
	return own_make(tag, F.key[k], &o, c->issuer, c->ikey);
}

/* a with credentials ca (NULL: the standard ones), b standard. */
static void
duo_new(struct duo *d, bool aggressive, int k, const struct cred *ca,
    const struct cert_store *store_b)
{
	static const struct cred std;

	struct cert_own *oa = own_cred("a", k, ca != NULL ? ca : &std);

	duo_of(d, k, oa, k, own_cred("b", k, &std), store_b != NULL ?
	    store_b : F.store);
	peer_v1(d->a, aggressive);
	peer_v1(d->b, aggressive);
}

/* ------------------------------------------------------------ checks */

static void
assert_up(struct duo *d, uint16_t method)
{
	const struct ike_sa *x, *y;

	establish(d->a, d->b);
	assert_children_mirror(d->a, d->b);
	x = peer_sa(d->a);
	y = peer_sa(d->b);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(x->v1->auth, method);
	assert_int_equal(y->v1->auth, method);
	assert_int_equal(x->v1->skeyid->len, y->v1->skeyid->len);
	assert_memory_equal(x->v1->skeyid->data, y->v1->skeyid->data,
	    x->v1->skeyid->len);
	assert_string_equal(x->peer_subject, subject_b);
	assert_string_equal(y->peer_subject, subject_a);
	assert_int_equal(x->peer_auth, method == 3 ? CERT_AUTH_RSA : method);
	assert_int_equal(y->peer_auth, x->peer_auth);
}

/* The rest of the exchange: p has its IPsec SA, mirrored on the other
 * side. */
static void
pump_up(struct duo *d, const struct peer *p)
{
	pump(d->a, d->b);
	assert_non_null(event_find(p, ENGINE_EV_CHILD_UP, 0));
	assert_children_mirror(d->a, d->b);
}

/* ------------------------------------------------------ on the wire */

static size_t
count_pl(const struct v1_msg *m, uint8_t type)
{
	const struct v1_pl *pl = NULL;
	size_t n = 0;

	while ((pl = v1_msg_find(m, type, pl)) != NULL)
		n++;
	return n;
}

/* How many Authentication Method attributes of m have value v. */
static size_t
auth_attrs(const struct v1_msg *m, uint16_t v)
{
	size_t i, n = 0;

	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].type == IKEV1_A_AUTH && m->attr[i].tv &&
		    m->attr[i].value == v)
			n++;
	return n;
}

/* The datagram at the head of from's queue, decoded (in the clear). */
static struct v1_msg *
peek_plain(struct peer *from)
{
	struct v1_msg *m = malloc(sizeof(*m));

	assert_non_null(m);
	assert_int_equal(v1_decode(head(from)->buf, head(from)->len, m,
	    NULL), 0);
	return m;
}

/* The one CR of m names the root by its DER subject. */
static void
assert_cr_root(const struct v1_msg *m)
{
	const struct v1_pl *cr = v1_msg_find(m, IKEV1_PL_CR, NULL);
	uint8_t *der = NULL;
	size_t len = 0;
	struct cert *c;
	const uint8_t *cd;
	size_t cl;

	assert_int_equal(count_pl(m, IKEV1_PL_CR), 1);
	assert_non_null(cr);
	assert_int_equal(cr->u.cert.encoding, IKEV1_CERT_X509_SIG);
	cd = cert_der(cert_store_ca(F.store, 0), &cl);
	assert_int_equal(cert_parse(cd, cl, &c), 0);
	assert_int_equal(cert_subject_der(c, &der, &len), 0);
	assert_int_equal(cr->u.cert.data.len, len);
	assert_memory_equal(cr->u.cert.data.p, der, len);
	free(der);
	cert_free(c);
}

/* m carries CERT CERT (end entity, intermediate) and a SIG of sig_len
 * octets, and no HASH. */
static void
assert_cert_sig(const struct v1_msg *m, size_t sig_len)
{
	assert_int_equal(count_pl(m, IKEV1_PL_CERT), 2);
	assert_int_equal(count_pl(m, IKEV1_PL_SIG), 1);
	assert_int_equal(count_pl(m, IKEV1_PL_HASH), 0);
	assert_int_equal(v1_msg_find(m, IKEV1_PL_SIG, NULL)->u.data.len,
	    sig_len);
}

/* An encrypted phase-1 message at the head of from's queue, opened
 * with the receiver's SA (whose chain is not moved). */
struct opened {
	struct v1_msg	 m;
	uint8_t		 iv[CIPHER_MAX_BLOCK];	/* the chain before it */
	uint8_t		*pt;
	size_t		 pt_len;
};

static struct opened *
open_head(struct peer *from, const struct ike_sa *rx)
{
	struct opened *o = calloc(1, sizeof(*o));
	uint8_t next[CIPHER_MAX_BLOCK];

	assert_non_null(o);
	assert_int_equal(v1_decode(head(from)->buf, head(from)->len, &o->m,
	    NULL), 0);
	memcpy(o->iv, rx->v1->iv, rx->v1->block);
	assert_int_equal(v1_open(rx, &o->m, o->iv, next, &o->pt,
	    &o->pt_len), 0);
	return o;
}

static void
opened_free(struct opened *o)
{
	v1_pt_free(o->pt, o->pt_len);
	free(o);
}

/* What a tampering test does to the payloads of a message. */
enum tamper {
	T_GARBAGE_CERT,		/* the end entity's CERT: random octets */
	T_TRUNCATED_CERT,	/* the end entity's CERT: half of it */
	T_NO_CERT,		/* no CERT at all */
	T_FORGED_SIG,		/* one bit of SIG flipped */
	T_SWAP_CERT,		/* the end entity's CERT: swap_der */
	T_ADD_CR,		/* a CR ("any CA") after SIG, as strongSwan */
};
static struct ike_slice swap_der;

static void
tamper_pl(struct v1_pl *pl, const struct v1_pl *orig, enum tamper t,
    bool *first_cert, uint8_t *buf, size_t buflen)
{
	size_t i;

	pl->u = orig->u;
	if (orig->type == IKEV1_PL_CERT && *first_cert) {
		*first_cert = false;
		if (t == T_GARBAGE_CERT) {
			for (i = 0; i < buflen; i++)
				buf[i] = (uint8_t)(i * 37 + 11);
			pl->u.cert.data = (struct ike_slice){ buf, 300 };
		} else if (t == T_TRUNCATED_CERT)
			pl->u.cert.data.len /= 2;
		else if (t == T_SWAP_CERT)
			pl->u.cert.data = swap_der;
	}
	if (orig->type == IKEV1_PL_SIG && t == T_FORGED_SIG) {
		memcpy(buf, orig->u.data.p, orig->u.data.len);
		buf[orig->u.data.len / 2] ^= 0x01;
		pl->u.data = (struct ike_slice){ buf, orig->u.data.len };
	}
}

/* Replaces the encrypted phase-1 message at the head of from's queue
 * (for rx, whose chain is where the sender's was) by one tampered
 * with, sealed with the same keys and IV. */
static void
tamper_head(struct peer *from, const struct ike_sa *rx, enum tamper t)
{
	struct opened *o = open_head(from, rx);
	struct v1_msg *n = malloc(sizeof(*n));
	static uint8_t buf[4096];
	bool first_cert = true;
	struct dgram *g = head(from);
	struct v1_pl *pl;
	struct wr w;
	size_t i;

	assert_non_null(n);
	v1_msg_init(n, &o->m.hdr);
	n->hdr.flags &= (uint8_t)~IKEV1_F_ENC;
	for (i = 0; i < o->m.npl; i++) {
		if (o->m.pl[i].type == IKEV1_PL_CERT && t == T_NO_CERT)
			continue;
		assert_int_equal(v1_msg_add(n, o->m.pl[i].type, &pl), 0);
		tamper_pl(pl, &o->m.pl[i], t, &first_cert, buf, sizeof(buf));
		if (o->m.pl[i].type == IKEV1_PL_SIG && t == T_ADD_CR) {
			assert_int_equal(v1_msg_add(n, IKEV1_PL_CR, &pl), 0);
			pl->u.cert.encoding = IKEV1_CERT_X509_SIG;
			pl->u.cert.data = (struct ike_slice){ NULL, 0 };
		}
	}
	wr_init(&w, 65535);
	assert_int_equal(v1_seal(rx, n, o->iv, &w), 0);
	assert_int_equal(wr_error(&w), 0);
	free(g->buf);
	g->buf = malloc(w.len);
	assert_non_null(g->buf);
	memcpy(g->buf, w.buf, w.len);
	g->len = w.len;
	wr_free(&w);
	free(n);
	opened_free(o);
}

/* ------------------------------------------------------ establishing */

static void
up_kind(bool aggressive, int k)
{
	struct duo d;

	duo_new(&d, aggressive, k, NULL, NULL);
	assert_up(&d, k == K_RSA2048 ? IKEV1_AUTH_RSA_SIG : k == K_P256 ? 9 :
	    10);
	duo_free(&d);
}

static void
test_main_rsa(void **state)
{
	(void)state;
	up_kind(false, K_RSA2048);
}

static void
test_main_p256(void **state)
{
	(void)state;
	up_kind(false, K_P256);
}

static void
test_main_p384(void **state)
{
	(void)state;
	up_kind(false, K_P384);
}

static void
test_aggr_rsa(void **state)
{
	(void)state;
	up_kind(true, K_RSA2048);
}

static void
test_aggr_p256(void **state)
{
	(void)state;
	up_kind(true, K_P256);
}

/* Main Mode's messages: the method in the proposal, CR in 3 and 4,
 * CERT CERT SIG (and no HASH) in 5 and 6. */
static void
test_main_wire(void **state)
{
	struct duo d;
	struct v1_msg *m;
	struct opened *o;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	initiate(d.a);
	m = peek_plain(d.a);		/* 1: every transform RSA (3) */
	assert_int_equal(auth_attrs(m, IKEV1_AUTH_RSA_SIG), m->nxf);
	assert_int_equal(count_pl(m, IKEV1_PL_CR), 0);
	free(m);
	deliver(d.a, d.b);
	deliver(d.b, d.a);
	m = peek_plain(d.a);		/* 3 */
	assert_cr_root(m);
	free(m);
	deliver(d.a, d.b);
	m = peek_plain(d.b);		/* 4 */
	assert_cr_root(m);
	free(m);
	deliver(d.b, d.a);
	o = open_head(d.a, peer_sa(d.b));	/* 5 */
	assert_cert_sig(&o->m, 256);		/* RSA-2048 */
	opened_free(o);
	deliver(d.a, d.b);
	o = open_head(d.b, peer_sa(d.a));	/* 6 */
	assert_cert_sig(&o->m, 256);
	opened_free(o);
	pump_up(&d, d.a);
	duo_free(&d);
}

/* Aggressive Mode: CR in 1 and 2, CERT CERT SIG_R in 2. */
static void
test_aggr_wire(void **state)
{
	struct duo d;
	struct v1_msg *m;

	(void)state;
	duo_new(&d, true, K_P256, NULL, NULL);
	initiate(d.a);
	m = peek_plain(d.a);
	assert_cr_root(m);
	assert_int_equal(count_pl(m, IKEV1_PL_CERT), 0);
	free(m);
	deliver(d.a, d.b);
	m = peek_plain(d.b);
	assert_cr_root(m);
	assert_cert_sig(m, 64);			/* P-256: r | s */
	free(m);
	pump_up(&d, d.b);
	duo_free(&d);
}

/* With more than 8 CAs one empty CR asks for any of them. */
static void
test_many_cas(void **state)
{
	char p[400], name[64], msg[CERT_MSG_LEN];
	struct cert_store *many;
	struct v1_msg *m;
	const struct v1_pl *cr;
	EVP_PKEY *k = tca_ec(NID_X9_62_prime256v1);
	X509 *ca;
	struct duo d;
	int i;

	(void)state;
	assert_int_equal(cert_store_new(&many), 0);
	for (i = 0; i < 9; i++) {
		(void)snprintf(name, sizeof(name), "CA %d", i);
		ca = tca_ca(k, NULL, NULL, name, 1);
		(void)snprintf(name, sizeof(name), "many%d.pem", i);
		tca_write_certs(cert_fx_path(name, p, sizeof(p)), &ca, 1);
		X509_free(ca);
		if (cert_store_add_ca(many, p, msg) != 0)
			fail_msg("%s", msg);
	}
	if (cert_store_add_ca(many, cert_fx_path("ca.pem", p, sizeof(p)),
	    msg) != 0)
		fail_msg("%s", msg);
	duo_new(&d, true, K_RSA2048, NULL, many);
	initiate(d.a);
	deliver(d.a, d.b);
	m = peek_plain(d.b);	/* b's message 2 */
	assert_int_equal(count_pl(m, IKEV1_PL_CR), 1);
	cr = v1_msg_find(m, IKEV1_PL_CR, NULL);
	assert_int_equal(cr->u.cert.encoding, IKEV1_CERT_X509_SIG);
	assert_int_equal(cr->u.cert.data.len, 0);
	free(m);
	pump_up(&d, d.b);
	duo_free(&d);
	cert_store_free(many);
	EVP_PKEY_free(k);
}

/* The subject DN as identity: a sends its DN (no local ID configured);
 * b expects a's DN spelled with other string types and case. */
static void
test_dn_identity(void **state)
{
	struct duo d;
	X509_NAME *n = X509_NAME_new();
	uint8_t *der = NULL;
	int len;

	(void)state;
	assert_non_null(n);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC,
	    (const uint8_t *)"US", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "O", V_ASN1_UTF8STRING,
	    (const uint8_t *)"example  CORP", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", V_ASN1_UTF8STRING,
	    (const uint8_t *)"A.Example", -1, -1, 0), 1);
	len = i2d_X509_NAME(n, &der);
	assert_true(len > 0 && (size_t)len <= CFG_ID_MAX);
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	d.a->cfg.local_id.type = 0;
	d.b->cfg.remote_id.type = IKEV1_ID_DER_ASN1_DN;
	d.b->cfg.remote_id.len = (size_t)len;
	memcpy(d.b->cfg.remote_id.data, der, (size_t)len);
	assert_up(&d, IKEV1_AUTH_RSA_SIG);
	/* what b took as a's identity: a's own (exact) DER subject */
	assert_int_equal(peer_sa(d.b)->cfg.remote_id.type,
	    IKEV1_ID_DER_ASN1_DN);
	assert_int_equal(peer_sa(d.a)->cfg.local_id.type,
	    IKEV1_ID_DER_ASN1_DN);
	assert_int_equal(peer_sa(d.b)->cfg.remote_id.len,
	    peer_sa(d.a)->cfg.local_id.len);
	assert_memory_equal(peer_sa(d.b)->cfg.remote_id.data,
	    peer_sa(d.a)->cfg.local_id.data, peer_sa(d.a)->cfg.local_id.len);
	OPENSSL_free(der);
	X509_NAME_free(n);
	duo_free(&d);
}

/* A phase-1 rekey with signatures, each way, DNs as identities: the
 * new ISAKMP SA takes over the handle and the IPsec SA, quietly. */
static void
test_rekey(void **state)
{
	struct duo d;
	size_t nev_a, nev_b;
	uint64_t ci;

	(void)state;
	duo_new(&d, false, K_P256, NULL, NULL);
	d.a->cfg.local_id.type = 0;
	d.b->cfg.local_id.type = 0;
	d.a->cfg.remote_id.type = 0;
	d.b->cfg.remote_id.type = 0;
	assert_up(&d, 9);
	nev_a = d.a->nev;
	nev_b = d.b->nev;
	ci = peer_sa(d.a)->spi_i;
	assert_int_equal(engine_rekey_ike(d.a->eng, d.a->handle, hn_now), 0);
	pump(d.a, d.b);
	assert_int_equal(engine_sa_count(d.a->eng), 1);
	assert_int_equal(engine_sa_count(d.b->eng), 1);
	assert_true(peer_sa(d.a)->spi_i != ci);
	assert_int_equal(peer_sa(d.a)->state, IKE_SA_ESTABLISHED);
	assert_string_equal(peer_sa(d.a)->peer_subject, subject_b);
	assert_string_equal(peer_sa(d.b)->peer_subject, subject_a);
	assert_int_equal(ike_sa_child_count(peer_sa(d.a)), 1);
	assert_int_equal(ike_sa_child_count(peer_sa(d.b)), 1);
	assert_children_mirror(d.a, d.b);
	assert_int_equal(d.a->nev, nev_a);
	assert_int_equal(d.b->nev, nev_b);
	/* and the responder's */
	assert_int_equal(engine_rekey_ike(d.b->eng, peer_sa(d.b)->handle,
	    hn_now), 0);
	pump(d.a, d.b);
	assert_int_equal(engine_sa_count(d.a->eng), 1);
	assert_int_equal(engine_sa_count(d.b->eng), 1);
	assert_true(peer_sa(d.b)->initiator);
	assert_string_equal(peer_sa(d.a)->peer_subject, subject_b);
	assert_int_equal(ike_sa_child_count(peer_sa(d.a)), 1);
	assert_int_equal(d.a->nev, nev_a);
	assert_int_equal(d.b->nev, nev_b);
	duo_free(&d);
}

/* ---------------------------------------------------------- failures */

/* No IPsec SA came up, and nothing is in either kernel. */
static void
assert_nothing_installed(struct duo *d)
{
	assert_null(event_find(d->a, ENGINE_EV_CHILD_UP, 0));
	assert_null(event_find(d->b, ENGINE_EV_CHILD_UP, 0));
	assert_kernel_empty(d->a);
	assert_kernel_empty(d->b);
}

/* b refused a's message 5 (Main Mode) or 3 (Aggressive Mode) for
 * reason; a learned nothing it could trust and gave up; nothing is up
 * or installed anywhere. */
static void
assert_b_refused(struct duo *d, const char *reason)
{
	v1_assert_failed(d->b, reason);
	assert_int_equal(queued(d->b), 1);	/* N(AUTHENTICATION-FAILED) */
	deliver(d->b, d->a);
	v1_run_out(d->a, d->b);
	v1_assert_failed(d->a, v1_auth_hint);
	assert_nothing_installed(d);
}

/* Runs Main Mode up to message 5 (queued on a). */
static void
main_to_5(struct duo *d)
{
	initiate(d->a);
	v1_deliver_upto(d->a, d->b, 4);
	assert_int_equal(queued(d->a), 1);
}

/* Main Mode where a's credentials are c (b trusting store_b): b
 * refuses message 5 with reason. */
static void
refused_main(const struct cred *c, const struct cert_store *store_b,
    const char *reason)
{
	struct duo d;

	duo_new(&d, false, K_RSA2048, c, store_b);
	main_to_5(&d);
	deliver(d.a, d.b);
	assert_b_refused(&d, reason);
	duo_free(&d);
}

/* Aggressive Mode likewise: b refuses message 3 with reason, after
 * which a (whose phase 1 ended with that message) gets no answer to
 * its Quick Mode. */
static void
refused_aggr(const struct cred *c, const struct cert_store *store_b,
    const char *reason)
{
	struct duo d;

	duo_new(&d, true, K_P256, c, store_b);
	initiate(d.a);
	deliver(d.a, d.b);
	deliver(d.b, d.a);
	assert_non_null(event_find(d.a, ENGINE_EV_IKE_UP, 0));
	deliver(d.a, d.b);		/* 3, and Quick Mode behind it */
	v1_assert_failed(d.b, reason);
	v1_run_out(d.a, d.b);
	/* a's phase 1 ended with its message 3: it stays up, unused, and
	 * its Quick Mode went unanswered */
	assert_int_equal(event_count(d.a, ENGINE_EV_CHILD_FAILED), 1);
	assert_nothing_installed(&d);
	duo_free(&d);
}

static void
test_wrong_ca(void **state)
{
	struct cred c = { .issuer = NULL };

	(void)state;
	c.issuer = F.other_root;
	c.ikey = F.other_key;
	refused_main(&c, NULL, cert_reason_str(CERT_R_UNKNOWN_CA));
	refused_aggr(&c, NULL, cert_reason_str(CERT_R_UNKNOWN_CA));
}

static void
test_expired(void **state)
{
	struct cred c = { .not_after = TCA_NOW - TCA_DAY };

	(void)state;
	refused_main(&c, NULL, "certificate expired");
	refused_aggr(&c, NULL, "certificate expired");
}

static void
test_revoked(void **state)
{
	struct cred c = { .serial = SERIAL_REVOKED };
	struct duo d;

	(void)state;
	refused_main(&c, F.store_crl, "certificate revoked");
	refused_aggr(&c, F.store_crl, "certificate revoked");
	/* the same certificate where b has no CRL: fine */
	duo_new(&d, false, K_RSA2048, &c, NULL);
	assert_up(&d, IKEV1_AUTH_RSA_SIG);
	duo_free(&d);
}

static void
test_key_usage(void **state)
{
	struct cred c = { .ku = "critical,keyEncipherment" };

	(void)state;
	refused_main(&c, NULL, cert_reason_str(CERT_R_KEY_USAGE));
	refused_aggr(&c, NULL, cert_reason_str(CERT_R_KEY_USAGE));
}

/* a's engine gets a certificate for z.example after a chose its
 * identity a.example: its message 5 carries ID a.example, a valid
 * certificate for z.example and a good signature.  b, which expects
 * no particular identity, must still refuse it. */
static void
test_id_not_in_cert(void **state)
{
	static const struct cred z = { .san = "DNS:z.example" };
	struct cert_own *oz;
	struct duo d;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	d.b->cfg.remote_id.type = 0;	/* b takes any identity */
	oz = own_cred("z", K_RSA2048, &z);
	initiate(d.a);
	deliver(d.a, d.b);
	deliver(d.b, d.a);
	deliver(d.a, d.b);
	assert_int_equal(engine_set_certs(d.a->eng, oz, F.store), 0);
	deliver(d.b, d.a);
	deliver(d.a, d.b);
	assert_b_refused(&d, "identity not in certificate");
	duo_free(&d);
	cert_own_free(oz);
}

/* b expects another DN than the one a's (valid) certificate has. */
static void
test_other_dn(void **state)
{
	struct duo d;
	uint8_t *der;
	size_t len;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	d.a->cfg.local_id.type = 0;	/* its DN */
	assert_int_equal(cert_subject_der(cert_own_cert(d.ob, 0), &der,
	    &len), 0);			/* b's own DN, not a's */
	d.b->cfg.remote_id.type = IKEV1_ID_DER_ASN1_DN;
	d.b->cfg.remote_id.len = len;
	memcpy(d.b->cfg.remote_id.data, der, len);
	free(der);
	main_to_5(&d);
	deliver(d.a, d.b);
	assert_b_refused(&d, "identity not in certificate");
	duo_free(&d);
}

static void
tampered_main(enum tamper t, const char *reason)
{
	struct duo d;

	duo_new(&d, false, K_RSA2048, NULL, NULL);
	main_to_5(&d);
	tamper_head(d.a, peer_sa(d.b), t);
	deliver(d.a, d.b);
	assert_b_refused(&d, reason);
	duo_free(&d);
}

static void
test_garbage_cert(void **state)
{
	(void)state;
	tampered_main(T_GARBAGE_CERT, "malformed certificate");
}

static void
test_truncated_cert(void **state)
{
	(void)state;
	tampered_main(T_TRUNCATED_CERT, "malformed certificate");
}

static void
test_missing_cert(void **state)
{
	(void)state;
	tampered_main(T_NO_CERT, "certificate missing");
}

static void
test_forged_sig(void **state)
{
	(void)state;
	tampered_main(T_FORGED_SIG, cert_reason_str(CERT_R_BAD_SIG));
}

/* A CR in message 5 (strongSwan's initiator sends ID, CERT, SIG, CR,
 * N): b takes it (it sends its certificate anyway), phase 1 and the
 * IPsec SA come up, each side with the other's certificate. */
static void
test_cr_in_5(void **state)
{
	struct duo d;
	struct dgram *g;
	size_t blk;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	main_to_5(&d);
	tamper_head(d.a, peer_sa(d.b), T_ADD_CR);
	/* a's CBC chain goes on from message 5 as it now is */
	g = head(d.a);
	blk = peer_sa(d.a)->v1->block;
	memcpy(peer_sa(d.a)->v1->iv, g->buf + g->len - blk, blk);
	deliver(d.a, d.b);
	assert_non_null(event_find(d.b, ENGINE_EV_IKE_UP, 0));
	assert_string_equal(peer_sa(d.b)->peer_subject, subject_a);
	pump_up(&d, d.a);
	assert_string_equal(peer_sa(d.a)->peer_subject, subject_b);
	duo_free(&d);
}

/* a's end entity replaced by a valid certificate of a.example with an
 * EC key, where RSA (3) was negotiated. */
static void
test_key_type(void **state)
{
	static const struct cred std;
	struct cert_own *ec = own_cred("a", K_P256, &std);

	(void)state;
	swap_der.p = cert_der(cert_own_cert(ec, 0), &swap_der.len);
	tampered_main(T_SWAP_CERT, cert_reason_str(CERT_R_KEY_TYPE));
	cert_own_free(ec);
}

/* b's certificate is the bad one: a refuses message 6 (Main Mode) or
 * 2 (Aggressive Mode); nothing is installed, and in Aggressive Mode b
 * never comes up. */
static void
bad_responder(bool aggressive)
{
	struct cred ex = { .not_after = TCA_NOW - TCA_DAY };
	struct duo d;

	duo_new(&d, aggressive, K_RSA2048, NULL, NULL);
	cert_own_free(d.ob);
	d.ob = own_cred("b", K_RSA2048, &ex);
	assert_int_equal(engine_set_certs(d.b->eng, d.ob, F.store), 0);
	if (aggressive) {
		initiate(d.a);
		v1_deliver_upto(d.a, d.b, 2);
	} else {
		main_to_5(&d);
		deliver(d.a, d.b);
		assert_non_null(event_find(d.b, ENGINE_EV_IKE_UP, 0));
		deliver(d.b, d.a);		/* 6 */
	}
	v1_assert_failed(d.a, "certificate expired");
	v1_run_out(d.a, d.b);
	if (aggressive) {
		assert_null(event_find(d.b, ENGINE_EV_IKE_UP, 0));
		assert_int_equal(engine_sa_count(d.b->eng), 0);
	}
	assert_nothing_installed(&d);
	duo_free(&d);
}

static void
test_bad_responder(void **state)
{
	(void)state;
	bad_responder(false);
	bad_responder(true);
}

/* Methods must agree: RSA against ECDSA, signatures against a
 * preshared key (b answers NO-PROPOSAL-CHOSEN in the clear). */
static void
test_method_mismatch(void **state)
{
	struct duo d;
	struct cert_own *ec;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	ec = own_cred("b", K_P256, &(struct cred){ .serial = 0 });
	assert_int_equal(engine_set_certs(d.b->eng, ec, F.store), 0);
	d.b->cfg.auth = CFG_AUTH_ECDSA_SIG;
	initiate(d.a);
	deliver(d.a, d.b);
	assert_int_equal(engine_sa_count(d.b->eng), 0);
	v1_run_out(d.a, d.b);
	assert_non_null(event_find(d.a, ENGINE_EV_IKE_FAILED, 0));
	assert_int_equal(engine_sa_count(d.a->eng), 0);
	duo_free(&d);
	cert_own_free(ec);

	duo_new(&d, false, K_RSA2048, NULL, NULL);
	d.b->cfg.auth = CFG_AUTH_PSK;
	memcpy(d.b->cfg.psk, "correct horse", 13);
	d.b->cfg.psk_len = 13;
	initiate(d.a);
	deliver(d.a, d.b);
	assert_int_equal(engine_sa_count(d.b->eng), 0);
	v1_run_out(d.a, d.b);
	assert_non_null(event_find(d.a, ENGINE_EV_IKE_FAILED, 0));
	assert_null(event_find(d.b, ENGINE_EV_IKE_UP, 0));
	duo_free(&d);
}

/* Configurations without a fitting certificate are refused at once;
 * a responder without certificates drops signature requests. */
static void
test_cfg_refused(void **state)
{
	struct duo d;
	struct ike_cfg c;
	uint32_t h;

	(void)state;
	duo_new(&d, false, K_RSA2048, NULL, NULL);
	c = d.a->cfg;
	c.auth = CFG_AUTH_ECDSA_SIG;	/* our key is RSA */
	assert_int_equal(engine_initiate(d.a->eng, &c, &d.a->ccfg, hn_now,
	    &h), IKE_EINVAL);
	c = d.a->cfg;
	memcpy(c.local_id.data, "q.example", 9);	/* not in our cert */
	assert_int_equal(engine_initiate(d.a->eng, &c, &d.a->ccfg, hn_now,
	    &h), IKE_EINVAL);
	c = d.a->cfg;
	c.local_id.type = IKEV1_ID_KEY_ID;
	assert_int_equal(engine_initiate(d.a->eng, &c, &d.a->ccfg, hn_now,
	    &h), IKE_EINVAL);
	assert_int_equal(engine_sa_count(d.a->eng), 0);
	assert_int_equal(engine_set_certs(d.b->eng, NULL, NULL), 0);
	initiate(d.a);
	deliver(d.a, d.b);
	assert_int_equal(engine_sa_count(d.b->eng), 0);
	assert_int_equal(queued(d.b), 0);
	duo_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_rsa),
		cmocka_unit_test(test_main_p256),
		cmocka_unit_test(test_main_p384),
		cmocka_unit_test(test_aggr_rsa),
		cmocka_unit_test(test_aggr_p256),
		cmocka_unit_test(test_main_wire),
		cmocka_unit_test(test_aggr_wire),
		cmocka_unit_test(test_many_cas),
		cmocka_unit_test(test_dn_identity),
		cmocka_unit_test(test_rekey),
		cmocka_unit_test(test_wrong_ca),
		cmocka_unit_test(test_expired),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_key_usage),
		cmocka_unit_test(test_id_not_in_cert),
		cmocka_unit_test(test_other_dn),
		cmocka_unit_test(test_garbage_cert),
		cmocka_unit_test(test_truncated_cert),
		cmocka_unit_test(test_missing_cert),
		cmocka_unit_test(test_forged_sig),
		cmocka_unit_test(test_cr_in_5),
		cmocka_unit_test(test_key_type),
		cmocka_unit_test(test_bad_responder),
		cmocka_unit_test(test_method_mismatch),
		cmocka_unit_test(test_cfg_refused),
	};

	return cmocka_run_group_tests(tests, cert_fx_setup,
	    cert_fx_teardown);
}
