#include "request.h"

#include "core/ctl/ctl_msg.h"
#include "core/err.h"

static uint8_t
request_type(enum ike_cmd cmd)
{
	switch (cmd) {
	case IKE_CMD_ACTIVATE:	return CTL_T_ACTIVATE;
	case IKE_CMD_LIST:	return CTL_T_LIST;
	case IKE_CMD_REMOVE:	return CTL_T_REMOVE;
	case IKE_CMD_LOG:	return CTL_T_LOG;
	default:		return 0;
	}
}

static uint32_t
request_flags(const struct ike_args *a)
{
	uint32_t f = 0;

	if (a->autostart)
		f |= CTL_F_AUTOSTART;
	if (a->all)
		f |= CTL_F_ALL;
	if (a->verbose)
		f |= CTL_F_VERBOSE;
	return f;
}

int
request_build(const struct ike_args *a, struct wr *w)
{
	uint8_t type = request_type(a->cmd);
	size_t i;

	if (type == 0)
		return IKE_EINVAL;
	ctl_begin(w, type);
	if (a->phase != IKE_PHASE_UNSET)
		ctl_put_u8(w, CTL_A_PHASE, (uint8_t)a->phase);
	for (i = 0; a->has_numlist && i < a->numlist.n; i++)
		ctl_put_range(w, a->numlist.r[i].lo, a->numlist.r[i].hi);
	for (i = 0; i < a->nnames; i++)
		ctl_put_str(w, CTL_A_NAME, a->names[i]);
	if (a->remid != NULL)
		ctl_put_str(w, CTL_A_REMID, a->remid);
	if (a->has_ipaddr) {
		ctl_put_str(w, CTL_A_IPSRC, a->ipsrc);
		ctl_put_str(w, CTL_A_IPDST, a->ipdst);
	}
	if (request_flags(a) != 0)
		ctl_put_u32(w, CTL_A_FLAGS, request_flags(a));
	if (a->role != 0)
		ctl_put_u8(w, CTL_A_ROLE, (uint8_t)a->role);
	return ctl_end(w);
}
