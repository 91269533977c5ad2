/* core/exchange1/v1_ph1.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

int
v1_ph1_start(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return IKE_EUNSUPP;
}

void
v1_ph1_new(struct ike_engine *a0, const struct v1_msg *m, const struct ike_addr *remote, const struct ike_addr *local)
{
	(void)a0;
	(void)m;
	(void)remote;
	(void)local;
}

void
v1_ph1_input(struct ike_engine *a0, struct ike_sa *a1, const struct v1_msg *m)
{
	(void)a0;
	(void)a1;
	(void)m;
}

void
v1_ph1_done(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
}
