/* core/sa/ike_v1.c: the IKEv1 part of an IKE SA. */
#include "core/sa/ike_v1.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/dh.h"
#include "core/err.h"
#include "core/secmem.h"

int
v1_state_new(struct v1_state **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return IKE_ENOMEM;
	return 0;
}

static void
ph2_release(struct v1_ph2 *p)
{
	dh_free(p->dh);
	ike_key_free(p->gqm);
	child_sa_free(p->child);
	ike_sa_buf_free(&p->out, &p->out_len);
	secmem_wipe(p, sizeof(*p));
	free(p);
}

void
v1_state_free(struct v1_state *st)
{
	struct v1_ph2 *p;

	if (st == NULL)
		return;
	while ((p = st->ph2) != NULL) {
		st->ph2 = p->next;
		ph2_release(p);
	}
	ike_key_free(st->skeyid);
	ikev1_skeyids_free(&st->k);
	sk_cipher_free(st->cbc);
	ike_sa_buf_free(&st->sai_b, &st->sai_len);
	ike_sa_buf_free(&st->gxi, &st->gxi_len);
	ike_sa_buf_free(&st->gxr, &st->gxr_len);
	ike_sa_buf_free(&st->idi_b, &st->idi_len);
	ike_sa_buf_free(&st->idr_b, &st->idr_len);
	secmem_wipe(st, sizeof(*st));
	free(st);
}

int
v1_ph2_new(struct v1_state *st, uint8_t exchange, uint32_t msgid,
    bool initiator, struct v1_ph2 **out)
{
	struct v1_ph2 *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return IKE_ENOMEM;
	p->exchange = exchange;
	p->msgid = msgid;
	p->initiator = initiator;
	p->deadline_ms = UINT64_MAX;
	p->next = st->ph2;
	st->ph2 = p;
	*out = p;
	return 0;
}

struct v1_ph2 *
v1_ph2_find(const struct v1_state *st, uint32_t msgid)
{
	struct v1_ph2 *p;

	for (p = st->ph2; p != NULL; p = p->next)
		if (p->msgid == msgid)
			return p;
	return NULL;
}

void
v1_ph2_free(struct v1_state *st, struct v1_ph2 *p)
{
	struct v1_ph2 **pp;

	for (pp = &st->ph2; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			ph2_release(p);
			return;
		}
}

void
v1_msgid_seen_add(struct v1_state *st, uint32_t msgid)
{
	if (msgid == 0 || v1_msgid_seen(st, msgid))
		return;
	st->seen[st->seen_next] = msgid;
	st->seen_next = (st->seen_next + 1) % V1_SEEN_MAX;
	if (st->seen_n < V1_SEEN_MAX)
		st->seen_n++;
}

bool
v1_msgid_seen(const struct v1_state *st, uint32_t msgid)
{
	size_t i;

	for (i = 0; i < st->seen_n; i++)
		if (st->seen[i] == msgid)
			return true;
	return false;
}
