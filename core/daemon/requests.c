/* core/daemon/requests.c: answers to control requests.  A table says
 * which attributes each request may carry and how often; each value is
 * checked before a handler runs, so a wrong request gets CTL_R_USAGE
 * and a sentence naming the problem.  ACTIVATE, LIST and REMOVE are
 * answered in tunnel_req.c. */
#include "requests.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../err.h"
#include "../log.h"
#include "isakmpd.h"
#include "status.h"
#include "tunnel_req.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

struct allow {
	uint16_t	tag;
	uint16_t	max;	/* times it may appear; 0: any */
};

struct req_def {
	uint8_t			 type;
	const struct allow	*allow;
	size_t			 nallow;
	uint8_t			 phase_max;	/* CTL_A_PHASE 1..this */
	uint32_t		 flags;		/* CTL_F_* allowed */
	void	(*fn)(struct isakmpd *, const struct ctl_msg *, struct wr *);
};

static const struct allow list_allow[] = {
	{ CTL_A_PHASE, 1 }, { CTL_A_RANGE, 0 }, { CTL_A_ROLE, 1 },
	{ CTL_A_FLAGS, 1 },
};
static const struct allow activate_allow[] = {
	{ CTL_A_PHASE, 1 }, { CTL_A_RANGE, 0 }, { CTL_A_NAME, 0 },
	{ CTL_A_REMID, 1 }, { CTL_A_IPSRC, 1 }, { CTL_A_IPDST, 1 },
	{ CTL_A_FLAGS, 1 },
};
static const struct allow remove_allow[] = {
	{ CTL_A_PHASE, 1 }, { CTL_A_RANGE, 0 }, { CTL_A_FLAGS, 1 },
};

static const char *
tag_name(uint16_t tag)
{
	switch (tag) {
	case CTL_A_PHASE:	return "phase";
	case CTL_A_RANGE:	return "numlist";
	case CTL_A_NAME:	return "namelist";
	case CTL_A_REMID:	return "remid";
	case CTL_A_IPSRC:	return "ipaddr source";
	case CTL_A_IPDST:	return "ipaddr destination";
	case CTL_A_FLAGS:	return "flags";
	case CTL_A_ROLE:	return "role";
	}
	return NULL;
}

static void __attribute__((format(printf, 2, 3)))
put_msg(struct wr *w, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);	/* may truncate */
	va_end(ap);
	ctl_put_str(w, CTL_A_MESSAGE, line);
}

static bool
string_ok(const struct ike_slice *v)
{
	size_t i;

	if (v->len == 0 || v->len > REQ_STR_MAX)
		return false;
	for (i = 0; i < v->len; i++) {
		if (v->p[i] < 0x20 || v->p[i] == 0x7f)
			return false;
	}
	return true;
}

/* One attribute's value; false with why filled in. */
static bool
value_ok(const struct req_def *def, const struct ctl_attr *a, char *why,
    size_t len)
{
	const char *req = ctl_type_name(def->type);
	uint32_t lo = 0, hi = 0;
	uint8_t u8 = 0;
	struct rd r;

	rd_init(&r, a->val.p, a->val.len);
	switch (a->tag) {
	case CTL_A_PHASE:
		if (rd_u8(&r, &u8) == 0 && u8 >= 1 && u8 <= def->phase_max)
			return true;
		snprintf(why, len, "phase %u is not valid in a %s request "
		    "(%s)", u8, req, def->phase_max == 3 ? "1, 2, or 3 for 1+" :
		    "1 or 2");
		return false;
	case CTL_A_RANGE:
		if (rd_u32(&r, &lo) == 0 && rd_u32(&r, &hi) == 0 && lo >= 1 &&
		    lo <= hi)
			return true;
		snprintf(why, len, "tunnel numbers %" PRIu32 "-%" PRIu32
		    " are not a valid range", lo, hi);
		return false;
	case CTL_A_ROLE:
		if (rd_u8(&r, &u8) == 0 && (u8 == 'i' || u8 == 'r'))
			return true;
		snprintf(why, len, "role must be i or r");
		return false;
	case CTL_A_FLAGS:
		if (rd_u32(&r, &lo) == 0 && (lo & ~def->flags) == 0)
			return true;
		snprintf(why, len, "flags 0x%" PRIx32 " are not valid in a %s "
		    "request", lo & ~def->flags, req);
		return false;
	}
	if (string_ok(&a->val))
		return true;
	snprintf(why, len, "%s must be 1 to %d printable characters",
	    tag_name(a->tag), REQ_STR_MAX);
	return false;
}

static const struct allow *
find_allow(const struct req_def *def, uint16_t tag)
{
	size_t i;

	for (i = 0; i < def->nallow; i++) {
		if (def->allow[i].tag == tag)
			return &def->allow[i];
	}
	return NULL;
}

/* Whether req carries only what def allows, each value valid. */
static bool
request_ok(const struct req_def *def, const struct ctl_msg *req, char *why,
    size_t len)
{
	const struct allow *al;
	struct ctl_attr a;
	size_t pos = 0, n;

	while (ctl_next(req, &pos, &a) == 0) {
		if ((al = find_allow(def, a.tag)) == NULL) {
			snprintf(why, len, "attribute %u is not valid in a %s "
			    "request", a.tag, ctl_type_name(def->type));
			return false;
		}
		if (al->max != 0 && (n = ctl_count(req, a.tag)) > al->max) {
			snprintf(why, len, "%s given %zu times in a %s request",
			    tag_name(a.tag), n, ctl_type_name(def->type));
			return false;
		}
		if (!value_ok(def, &a, why, len))
			return false;
	}
	return true;
}

static void
do_remove(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	uint32_t fl = 0;

	if (ctl_get_u32(req, CTL_A_FLAGS, &fl) == 0 && (fl & CTL_F_ALL) &&
	    ctl_count(req, CTL_A_RANGE) > 0) {
		d->usage_replies++;
		ctl_put_u32(w, CTL_A_RESULT, CTL_R_USAGE);
		put_msg(w, "all and numlist cannot be used together");
		return;
	}
	treq_remove(d, req, w);
}

static void
do_activate(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	if (ctl_count(req, CTL_A_IPSRC) != ctl_count(req, CTL_A_IPDST)) {
		d->usage_replies++;
		ctl_put_u32(w, CTL_A_RESULT, CTL_R_USAGE);
		put_msg(w, "ipaddr needs both a source and a destination");
		return;
	}
	treq_activate(d, req, w);
}

struct log_lines {
	struct wr	msgs;	/* CTL_A_MESSAGE attributes */
};

static void
log_line(void *arg, bool error, const char *line)
{
	struct log_lines *ll = arg;

	if (error)
		log_err(LOG_CFG, "log request: %s", line);
	else
		log_info(LOG_CFG, "log request: %s", line);
	ctl_put_str(&ll->msgs, CTL_A_MESSAGE, line);
}

static void
do_log(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	struct log_lines ll;
	int rc;

	(void)req;
	wr_init(&ll.msgs, CTL_REPLY_MAX);
	rc = isakmpd_reload(d, log_line, &ll);
	ctl_put_u32(w, CTL_A_RESULT, rc == 0 ? CTL_R_OK : CTL_R_FAILED);
	if (wr_error(&ll.msgs) == 0)
		wr_bytes(w, ll.msgs.buf, ll.msgs.len);
	wr_free(&ll.msgs);
}

static void
do_status(struct isakmpd *d, const struct ctl_msg *req, struct wr *w)
{
	(void)req;
	ctl_put_u32(w, CTL_A_RESULT, CTL_R_OK);
	status_put(d, w);
}

static const struct req_def req_defs[] = {
	{ CTL_T_ACTIVATE, activate_allow, nitems(activate_allow), 2,
	    CTL_F_AUTOSTART, do_activate },
	{ CTL_T_LIST, list_allow, nitems(list_allow), 3, CTL_F_VERBOSE,
	    treq_list },
	{ CTL_T_REMOVE, remove_allow, nitems(remove_allow), 2, CTL_F_ALL,
	    do_remove },
	{ CTL_T_LOG, NULL, 0, 0, 0, do_log },
	{ CTL_T_STATUS, NULL, 0, 0, 0, do_status },
};

void
requests_handle(void *arg, const struct ctl_msg *req, struct wr *w)
{
	struct isakmpd *d = arg;
	char why[256];
	size_t i;

	ctl_begin(w, (uint8_t)(req->type | CTL_T_REPLY));
	for (i = 0; i < nitems(req_defs); i++) {
		if (req_defs[i].type == req->type)
			break;
	}
	if (i == nitems(req_defs)) {
		d->usage_replies++;
		ctl_put_u32(w, CTL_A_RESULT, CTL_R_USAGE);
		put_msg(w, "request type %u is not known to this isakmpd "
		    "(control protocol version %u)", req->type, CTL_VERSION);
		return;
	}
	if (!request_ok(&req_defs[i], req, why, sizeof(why))) {
		d->usage_replies++;
		log_dbg(LOG_CTL, "%s request refused: %s",
		    ctl_type_name(req->type), why);
		ctl_put_u32(w, CTL_A_RESULT, CTL_R_USAGE);
		put_msg(w, "%s", why);
		return;
	}
	req_defs[i].fn(d, req, w);
}
