/* core/sa/ike_sa.c: IKE SA and Child SA records. */
#include "core/sa/ike_sa.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/err.h"
#include "core/sa/ike_v1.h"
#include "core/secmem.h"

int
ike_sa_new(bool initiator, enum ike_sa_state st, struct ike_sa **out)
{
	struct ike_sa *sa;

	if ((sa = calloc(1, sizeof(*sa))) == NULL)
		return IKE_ENOMEM;
	sa->initiator = initiator;
	sa->state = st;
	*out = sa;
	return 0;
}

void
ike_sa_buf_free(uint8_t **p, size_t *len)
{
	if (*p != NULL)
		secmem_wipe(*p, *len);
	free(*p);
	*p = NULL;
	*len = 0;
}

void
ike_sa_out_clear(struct ike_sa *sa)
{
	ike_sa_buf_free(&sa->out.buf, &sa->out.len);
	memset(&sa->out, 0, sizeof(sa->out));
}

void
ike_sa_create_free(struct ike_sa *sa)
{
	if (sa->create == NULL)
		return;
	dh_free(sa->create->dh);
	secmem_wipe(sa->create, sizeof(*sa->create));
	free(sa->create);
	sa->create = NULL;
}

void
ike_sa_free(struct ike_sa *sa)
{
	struct child_sa *c;

	if (sa == NULL)
		return;
	while ((c = sa->children) != NULL) {
		sa->children = c->next;
		child_sa_free(c);
	}
	child_sa_free(sa->pending);
	v1_state_free(sa->v1);
	ike_sa_create_free(sa);
	ike_sa_out_clear(sa);
	ike_sa_buf_free(&sa->last_resp, &sa->last_resp_len);
	ike_sa_buf_free(&sa->init_req, &sa->init_req_len);
	ike_sa_buf_free(&sa->init_resp, &sa->init_resp_len);
	dh_free(sa->dh);
	kdf_ike_keys_free(&sa->keys);
	sk_cipher_free(sa->sk_out);
	sk_cipher_free(sa->sk_in);
	ike_cfg_wipe(&sa->cfg);
	secmem_wipe(sa->ni, sizeof(sa->ni));
	secmem_wipe(sa->nr, sizeof(sa->nr));
	free(sa);
}

uint64_t
ike_sa_local_spi(const struct ike_sa *sa)
{
	return sa->initiator ? sa->spi_i : sa->spi_r;
}

int
ike_sa_keep(uint8_t **dst, size_t *dst_len, const uint8_t *buf, size_t len)
{
	uint8_t *p;

	if ((p = malloc(len ? len : 1)) == NULL)
		return IKE_ENOMEM;
	memcpy(p, buf, len);
	ike_sa_buf_free(dst, dst_len);
	*dst = p;
	*dst_len = len;
	return 0;
}

int
child_sa_new(struct child_sa **out)
{
	struct child_sa *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return IKE_ENOMEM;
	c->state = CHILD_SA_LARVAL;
	*out = c;
	return 0;
}

void
child_sa_free(struct child_sa *c)
{
	free(c);
}

void
ike_sa_child_add(struct ike_sa *sa, struct child_sa *c)
{
	c->next = sa->children;
	sa->children = c;
}

struct child_sa *
ike_sa_child_find(const struct ike_sa *sa, uint32_t spi, bool in)
{
	struct child_sa *c;

	for (c = sa->children; c != NULL; c = c->next)
		if ((in ? c->spi_in : c->spi_out) == spi)
			return c;
	return NULL;
}

void
ike_sa_child_unlink(struct ike_sa *sa, struct child_sa *c)
{
	struct child_sa **pp;

	for (pp = &sa->children; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			c->next = NULL;
			return;
		}
}

size_t
ike_sa_child_count(const struct ike_sa *sa)
{
	const struct child_sa *c;
	size_t n = 0;

	for (c = sa->children; c != NULL; c = c->next)
		n++;
	return n;
}
