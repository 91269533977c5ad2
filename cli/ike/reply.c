#include "reply.h"

#include <string.h>

#include "core/err.h"
#include "exitcode.h"
#include "listfmt.h"

/* One CTL_A_TUNNEL, decoded. */
struct rtun {
	uint8_t		phase;
	uint32_t	num;
	char		status[64];
	char		local[512];
	char		remote[512];
};

static int
opt_str(const struct ctl_msg *m, uint16_t tag, char *buf, size_t len)
{
	int rc = ctl_get_str_nth(m, tag, 0, buf, len);

	if (rc == IKE_ENOTFOUND) {
		buf[0] = '\0';
		return 0;
	}
	return rc;
}

/* Phase, number and status are required; the identities may be absent
 * (a tunnel still negotiating may not know its peer's). */
static int
tunnel_decode(const struct ctl_msg *t, struct rtun *out)
{
	if (ctl_get_u8(t, CTL_A_T_PHASE, &out->phase) != 0 ||
	    (out->phase != 1 && out->phase != 2) ||
	    ctl_get_u32(t, CTL_A_T_NUM, &out->num) != 0 ||
	    ctl_get_str_nth(t, CTL_A_T_STATUS, 0, out->status,
	    sizeof(out->status)) != 0 ||
	    opt_str(t, CTL_A_T_LOCAL, out->local, sizeof(out->local)) != 0 ||
	    opt_str(t, CTL_A_T_REMOTE, out->remote, sizeof(out->remote)) != 0)
		return IKE_EMALFORMED;
	return 0;
}

/* The verbose lines of one tunnel; lf NULL only checks them. */
static int
details_walk(const struct ctl_msg *t, struct listfmt *lf)
{
	char key[128], val[1024];
	struct ctl_attr a;
	struct ctl_msg d, kv;
	size_t pos = 0;
	int rc;

	if ((rc = ctl_find_nth(t, CTL_A_T_DETAIL, 0, &a)) != 0)
		return rc == IKE_ENOTFOUND ? 0 : rc;
	if ((rc = ctl_nested(t, &a, &d)) != 0)
		return rc;
	while ((rc = ctl_next(&d, &pos, &a)) == 0) {
		if (a.tag != CTL_A_KV)
			continue;
		if (ctl_nested(&d, &a, &kv) != 0 ||
		    ctl_get_str_nth(&kv, CTL_A_KEY, 0, key, sizeof(key)) != 0 ||
		    ctl_get_str_nth(&kv, CTL_A_VALUE, 0, val, sizeof(val)) != 0)
			return IKE_EMALFORMED;
		if (lf != NULL)
			listfmt_kv(lf, key, val);
	}
	return rc == IKE_ENOTFOUND ? 0 : rc;
}

/* Every CTL_A_TUNNEL in order; lf NULL only checks them. */
static int
tunnels_walk(const struct ctl_msg *r, struct listfmt *lf)
{
	struct ctl_attr a;
	struct ctl_msg t;
	struct rtun rt;
	size_t pos = 0;
	int rc;

	while ((rc = ctl_next(r, &pos, &a)) == 0) {
		if (a.tag != CTL_A_TUNNEL)
			continue;
		if (ctl_nested(r, &a, &t) != 0 || tunnel_decode(&t, &rt) != 0)
			return IKE_EMALFORMED;
		if (lf != NULL)
			listfmt_row(lf, &(struct lf_row){ rt.phase, rt.num,
			    rt.status, rt.local, rt.remote });
		if ((rc = details_walk(&t, lf)) != 0)
			return rc;
	}
	return rc == IKE_ENOTFOUND ? 0 : rc;
}

static void
messages_print(const struct ctl_msg *r, FILE *f)
{
	struct ctl_attr a;
	size_t i, n = ctl_count(r, CTL_A_MESSAGE);

	for (i = 0; i < n; i++)
		if (ctl_find_nth(r, CTL_A_MESSAGE, i, &a) == 0)
			listfmt_line(f, (const char *)a.val.p, a.val.len);
}

int
reply_print(const struct ctl_msg *r, bool verbose, FILE *out, FILE *err)
{
	bool list = r->type == (CTL_T_LIST | CTL_T_REPLY);
	struct listfmt lf;
	uint32_t result;

	if (ctl_get_u32(r, CTL_A_RESULT, &result) != 0 ||
	    tunnels_walk(r, NULL) != 0) {
		fprintf(err, "ike: malformed reply from isakmpd\n");
		return IKE_EXIT_SYSTEM;
	}
	if (result != CTL_R_OK) {
		messages_print(r, err);
		if (ctl_count(r, CTL_A_MESSAGE) == 0)
			fprintf(err, "ike: isakmpd refused the request (%s)\n",
			    ctl_result_name(result));
		return IKE_EXIT_REFUSED;
	}
	messages_print(r, list ? err : out);
	listfmt_init(&lf, out, verbose);
	/* Checked above: cannot fail now. */
	(void)tunnels_walk(r, &lf);
	return IKE_EXIT_OK;
}
