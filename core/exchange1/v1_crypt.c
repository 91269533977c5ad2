/* core/exchange1/v1_crypt.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

int
v1_crypt_setup(struct ike_sa *a0)
{
	(void)a0;
	return IKE_EUNSUPP;
}

int
v1_crypt_msgid_iv(const struct ike_sa *a0, uint32_t msgid, uint8_t *iv)
{
	(void)a0;
	(void)msgid;
	(void)iv;
	return IKE_EUNSUPP;
}

int
v1_seal(const struct ike_sa *a0, struct v1_msg *m, uint8_t *iv, struct wr *w)
{
	(void)a0;
	(void)m;
	(void)iv;
	(void)w;
	return IKE_EUNSUPP;
}

int
v1_open(const struct ike_sa *a0, struct v1_msg *m, const uint8_t *iv, uint8_t *next_iv, uint8_t **pt, size_t *pt_len)
{
	(void)a0;
	(void)m;
	(void)iv;
	(void)next_iv;
	(void)pt;
	(void)pt_len;
	return IKE_EUNSUPP;
}

void
v1_pt_free(uint8_t *pt, size_t len)
{
	(void)pt;
	(void)len;
}

int
v1_seal_hashed(const struct ike_sa *a0, struct v1_msg *m, enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len, uint8_t *iv, struct wr *w)
{
	(void)a0;
	(void)m;
	(void)kind;
	(void)ni;
	(void)ni_len;
	(void)nr;
	(void)nr_len;
	(void)iv;
	(void)w;
	return IKE_EUNSUPP;
}

int
v1_check_hash(const struct ike_sa *a0, const struct v1_msg *m, enum v1_hash_kind kind, const uint8_t *ni, size_t ni_len, const uint8_t *nr, size_t nr_len)
{
	(void)a0;
	(void)m;
	(void)kind;
	(void)ni;
	(void)ni_len;
	(void)nr;
	(void)nr_len;
	return IKE_EUNSUPP;
}
