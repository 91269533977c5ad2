/* core/exchange1/v1_prop.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

int
v1_cfg_check(const struct ike_cfg *cfg)
{
	(void)cfg;
	return IKE_EUNSUPP;
}
