/* core/exchange1/v1_qm.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

int
v1_qm_start(struct ike_engine *a0, struct ike_sa *a1, const struct child_cfg *cc, uint32_t rekey_spi)
{
	(void)a0;
	(void)a1;
	(void)cc;
	(void)rekey_spi;
	return IKE_EUNSUPP;
}

void
v1_qm_input(struct ike_engine *a0, struct ike_sa *a1, struct v1_msg *m)
{
	(void)a0;
	(void)a1;
	(void)m;
}

void
v1_qm_tick(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
}

uint64_t
v1_qm_deadline(const struct ike_sa *a0)
{
	(void)a0;
	return UINT64_MAX;
}

void
v1_qm_expired(struct ike_engine *a0, struct ike_sa *a1, struct child_sa *c, bool hard)
{
	(void)a0;
	(void)a1;
	(void)c;
	(void)hard;
}

void
v1_ph2_drop(struct ike_engine *a0, struct ike_sa *a1, struct v1_ph2 *p)
{
	(void)a0;
	(void)a1;
	(void)p;
}

int
v1_retire(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return IKE_EUNSUPP;
}
