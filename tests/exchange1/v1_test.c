/* tests/exchange1/v1_test.c: see v1_test.h. */
#include "v1_test.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/crypto/cipher.h"
#include "v1_util.h"

struct peer *
v1_peer_lim(const char *name, int host, int other,
    const struct engine_limits *lim)
{
	struct peer *p = peer_new_lim(name, host, other, lim);

	peer_v1(p, false);
	return p;
}

struct peer *
v1_peer(const char *name, int host, int other)
{
	return v1_peer_lim(name, host, other, NULL);
}

void
v1_up_ph1(struct peer *a, struct peer *b, bool aggressive)
{
	a->cfg.aggressive = aggressive;
	b->cfg.aggressive = aggressive;
	initiate(a);
	pump(a, b);
	assert_non_null(event_find(a, ENGINE_EV_IKE_UP, 0));
	assert_non_null(event_find(b, ENGINE_EV_IKE_UP, 0));
}

void
v1_up(struct peer *a, struct peer *b, bool aggressive)
{
	a->cfg.aggressive = aggressive;
	b->cfg.aggressive = aggressive;
	establish(a, b);
}

const struct mem_sa *
v1_kernel_sa(const struct peer *p, const struct ike_addr *dst, uint32_t spi,
    uint8_t proto)
{
	struct plat_sa_id id = { .dst = *dst, .spi = spi, .proto = proto };

	return mem_sa_find(p->plat, &id);
}

void
v1_assert_nothing(struct peer *p)
{
	assert_int_equal(mem_sa_count(p->plat), 0);
	assert_int_equal(mem_larval_count(p->plat), 0);
	assert_int_equal(mem_policy_count(p->plat), 0);
}

struct ike_sa *
v1_sa(struct peer *p)
{
	return (struct ike_sa *)peer_sa(p);
}

/* Opens the Quick Mode message at the head of from's queue with sa's
 * keys: the first of its exchange from the M-ID IV (first), a later
 * one from iv, which then moves on.  *pt (free()) holds the payloads
 * m borrows. */
struct v1_msg *
v1_peek(struct peer *from, const struct ike_sa *sa, bool first, uint8_t *iv,
    uint8_t **pt, size_t *len)
{
	struct dgram *d = head(from);
	struct v1_msg *m = calloc(1, sizeof(*m));
	uint8_t next[CIPHER_MAX_BLOCK];

	assert_non_null(m);
	assert_int_equal(v1_decode(d->buf, d->len, m, NULL), 0);
	if (first)
		assert_int_equal(v1_crypt_msgid_iv(sa, m->hdr.msgid, iv), 0);
	assert_int_equal(v1_open(sa, m, iv, next, pt, len), 0);
	memcpy(iv, next, sa->v1->block);
	return m;
}

void
v1_unpeek(struct v1_msg *m, uint8_t *pt, size_t len)
{
	v1_pt_free(pt, len);
	free(m);
}

/* Quick Mode messages of a child of a's, after phase 1: returns with
 * message 1 queued on a. */
void
v1_start_qm(struct peer *a, struct peer *b, struct child_cfg *cc)
{
	v1_up(a, b, false);
	*cc = a->ccfg;
	ts_v4(&cc->local_ts, 10, 1, 9, 0, 10, 1, 9, 255);
	ts_v4(&cc->remote_ts, 10, 2, 9, 0, 10, 2, 9, 255);
	assert_int_equal(engine_create_child(a->eng, peer_sa(a)->handle, cc,
	    hn_now), 0);
	assert_int_equal(queued(a), 1);
}

void
v1_assert_two_children(struct peer *a, struct peer *b)
{
	const struct child_sa *c;

	assert_int_equal(ike_sa_child_count(peer_sa(a)), 2);
	assert_int_equal(ike_sa_child_count(peer_sa(b)), 2);
	for (c = peer_sa(a)->children; c != NULL; c = c->next)
		assert_child_mirror(a, b, c->spi_in);
	assert_int_equal(mem_sa_count(a->plat), 4);
	assert_int_equal(mem_sa_count(b->plat), 4);
	assert_int_equal(mem_larval_count(a->plat), 0);
	assert_int_equal(mem_larval_count(b->plat), 0);
}

struct dgram *
v1_keep(const struct peer *from)
{
	const struct dgram *d = from->q;
	struct dgram *c = calloc(1, sizeof(*c));

	assert_non_null(d);
	assert_non_null(c);
	*c = *d;
	c->next = NULL;
	c->buf = malloc(d->len);
	assert_non_null(c->buf);
	memcpy(c->buf, d->buf, d->len);
	return c;
}

void
v1_replay(struct dgram *d, struct peer *to)
{
	engine_input(to->eng, hn_now, &d->src, &d->dst, d->buf, d->len);
	free(d->buf);
	free(d);
}

struct ike_sa *
v1_sa_by(struct peer *p, uint32_t h)
{
	return (struct ike_sa *)engine_sa(p->eng, h);
}
