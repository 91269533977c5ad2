/* platform/linux/xfrm_policy.c: policies over XFRM (NEWPOLICY with one
 * template for PLAT_PROTECT, DELPOLICY by selector and direction), the
 * conversion between struct ike_ts ranges and XFRM's prefix selectors,
 * default priorities, and the flush of our own policies by dumping. */
#include "linux.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../plat_addr.h"

/* ------------------------------------------------------------ selectors */

/* The prefix length if start..end (n octets) is one prefix. */
static bool
range_prefix(const uint8_t *start, const uint8_t *end, size_t n,
    uint8_t *plen)
{
	size_t i, bits = n * 8, len;
	unsigned int bs, be, host;

	for (len = 0; len < bits; len++) {
		bs = (start[len / 8] >> (7 - len % 8)) & 1u;
		be = (end[len / 8] >> (7 - len % 8)) & 1u;
		if (bs != be)
			break;
	}
	for (i = len; i < bits; i++) {
		host = ((start[i / 8] >> (7 - i % 8)) & 1u) |
		    ((unsigned int)!((end[i / 8] >> (7 - i % 8)) & 1u) << 1);
		if (host != 0)
			return false;	/* start has a 1 or end a 0 there */
	}
	*plen = (uint8_t)len;
	return true;
}

/* sport..eport as port/mask (network order): all ports, one port, or an
 * aligned power-of-two block. */
static bool
range_ports(uint16_t lo, uint16_t hi, uint16_t *port, uint16_t *mask)
{
	uint32_t size = (uint32_t)hi - lo + 1;

	if ((size & (size - 1)) != 0 || (lo & (size - 1)) != 0)
		return false;
	*port = htons(size == 65536 ? 0 : lo);
	*mask = htons((uint16_t)~(size - 1));
	return true;
}

int
xfrm_sel_from_ts(struct xfrm_selector *s, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	size_t n = plat_addr_len(src->family);

	memset(s, 0, sizeof(*s));
	if (!range_prefix(src->start, src->end, n, &s->prefixlen_s) ||
	    !range_prefix(dst->start, dst->end, n, &s->prefixlen_d) ||
	    !range_ports(src->sport, src->eport, &s->sport, &s->sport_mask) ||
	    !range_ports(dst->sport, dst->eport, &s->dport, &s->dport_mask)) {
		log_err(LOG_KNL, "traffic selector is not one address prefix "
		    "and one port block, which XFRM needs");
		return IKE_EUNSUPP;
	}
	memcpy(&s->saddr, src->start, n);
	memcpy(&s->daddr, dst->start, n);
	s->family = src->family;
	s->proto = src->proto;
	return 0;
}

static void
prefix_to_range(const xfrm_address_t *a, uint8_t plen, size_t n,
    uint8_t *start, uint8_t *end)
{
	size_t i;
	unsigned int keep;

	memset(start, 0, 16);
	memset(end, 0, 16);
	memcpy(start, a, n);
	for (i = 0; i < n; i++) {
		keep = plen >= (i + 1) * 8 ? 8 : plen > i * 8 ? plen - i * 8 :
		    0;
		start[i] &= (uint8_t)(0xff00u >> keep);
		end[i] = start[i] | (uint8_t)(0xffu >> keep);
	}
}

static void
ports_to_range(uint16_t port, uint16_t mask, uint16_t *lo, uint16_t *hi)
{
	uint16_t m = ntohs(mask);

	*lo = ntohs(port) & m;
	*hi = *lo | (uint16_t)~m;
}

void
xfrm_sel_to_ts(const struct xfrm_selector *s, struct ike_ts *src,
    struct ike_ts *dst)
{
	size_t n = plat_addr_len(s->family);

	memset(src, 0, sizeof(*src));
	memset(dst, 0, sizeof(*dst));
	src->family = dst->family = s->family;
	src->proto = dst->proto = s->proto;
	if (n == 0)
		return;
	prefix_to_range(&s->saddr, s->prefixlen_s, n, src->start, src->end);
	prefix_to_range(&s->daddr, s->prefixlen_d, n, dst->start, dst->end);
	ports_to_range(s->sport, s->sport_mask, &src->sport, &src->eport);
	ports_to_range(s->dport, s->dport_mask, &dst->sport, &dst->eport);
}

/* ------------------------------------------------------------ building */

static unsigned int
mask_bits(uint16_t m)
{
	return (unsigned int)__builtin_popcount(m);
}

/* 1000 + what the selector leaves open: each unset address bit (scaled
 * so that IPv4 and IPv6 weigh alike), an unset protocol, each unset port
 * bit.  A host pair with protocol and ports gets 1000, 0/0 any gets
 * 1000 + 2 * 256 + 64 + 2 * 16. */
uint32_t
xfrm_policy_priority(const struct xfrm_selector *s)
{
	unsigned int bits = s->family == AF_INET6 ? 128 : 32,
	    scale = s->family == AF_INET6 ? 2 : 8, open;

	open = (bits - s->prefixlen_s) * scale + (bits - s->prefixlen_d) *
	    scale;
	open += s->proto == 0 ? 64 : 0;
	open += 16 - mask_bits(ntohs(s->sport_mask));
	open += 16 - mask_bits(ntohs(s->dport_mask));
	return 1000 + open;
}

static uint8_t
xdir(enum plat_dir d)
{
	return d == PLAT_IN ? XFRM_POLICY_IN : d == PLAT_OUT ?
	    XFRM_POLICY_OUT : XFRM_POLICY_FWD;
}

static void
fill_tmpl(struct xfrm_user_tmpl *t, const struct plat_policy *pol)
{
	memset(t, 0, sizeof(*t));
	t->id.proto = pol->proto;
	t->reqid = xfrm_reqid_to_kernel(pol->reqid);
	t->aalgos = t->ealgos = t->calgos = ~0u;
	if (pol->tun_src.family != 0) {
		t->mode = XFRM_MODE_TUNNEL;
		t->family = pol->tun_src.family;
		xfrm_addr_put(&t->saddr, &pol->tun_src);
		xfrm_addr_put(&t->id.daddr, &pol->tun_dst);
	} else {
		t->mode = XFRM_MODE_TRANSPORT;
		t->family = pol->src.family;
	}
}

int
xfrm_policy_build(struct wr *w, uint32_t seq, const struct plat_policy *pol)
{
	struct xfrm_userpolicy_info u;
	struct xfrm_user_tmpl t;
	int rc;

	if (pol->reqid > XFRM_OWN_REQID_MAX) {
		log_err(LOG_KNL, "reqid %u beyond the %u the Linux backend "
		    "marks as its own", pol->reqid, XFRM_OWN_REQID_MAX);
		return IKE_EUNSUPP;
	}
	memset(&u, 0, sizeof(u));
	if ((rc = xfrm_sel_from_ts(&u.sel, &pol->src, &pol->dst)) != 0)
		return rc;
	u.lft.soft_byte_limit = u.lft.hard_byte_limit = XFRM_INF;
	u.lft.hard_packet_limit = XFRM_INF;
	u.lft.soft_packet_limit = XFRM_OWN_POLICY_TAG;	/* ours */
	u.priority = pol->priority != 0 ? pol->priority :
	    xfrm_policy_priority(&u.sel);
	u.dir = xdir(pol->dir);
	u.action = pol->action == PLAT_DISCARD ? XFRM_POLICY_BLOCK :
	    XFRM_POLICY_ALLOW;
	xnl_begin(w, XFRM_MSG_NEWPOLICY, NLM_F_REQUEST | NLM_F_ACK, seq, &u,
	    sizeof(u));
	if (pol->action == PLAT_PROTECT) {
		fill_tmpl(&t, pol);
		xfrm_put_tmpl(w, &t);
	}
	xnl_end(w);
	return wr_error(w);
}

/* ------------------------------------------------------------ requests */

static const char *
dir_name(enum plat_dir d)
{
	return d == PLAT_IN ? "in" : d == PLAT_OUT ? "out" : "fwd";
}

static int
pol_fail(const char *what, const struct plat_policy *pol,
    const struct xnl_err *k)
{
	log_err(LOG_KNL, "%s %s policy (reqid %u): %s%s%s", what,
	    dir_name(pol->dir), pol->reqid, strerror(k->err),
	    k->msg[0] != '\0' ? ": " : "", k->msg);
	return xnl_errno_map(k->err);
}

int
xfrm_policy_add(struct plat *p, const struct plat_policy *pol)
{
	struct xnl_err k;
	struct wr w;
	int rc;

	wr_init(&w, 0);
	if ((rc = xfrm_policy_build(&w, 0, pol)) == 0)
		rc = xnl_request(p, &w, NULL, NULL, &k);
	wr_free(&w);
	if (rc == IKE_EKERNEL && k.err == EEXIST) {
		log_dbg(LOG_KNL, "%s policy exists", dir_name(pol->dir));
		return IKE_EEXIST;
	}
	return rc == IKE_EKERNEL ? pol_fail("add", pol, &k) : rc;
}

static int
del_policy(struct plat *p, const struct xfrm_userpolicy_id *u,
    struct xnl_err *k)
{
	struct wr w;
	int rc;

	wr_init(&w, 0);
	xnl_begin(&w, XFRM_MSG_DELPOLICY, 0, 0, u, sizeof(*u));
	xnl_end(&w);
	rc = xnl_request(p, &w, NULL, NULL, k);
	wr_free(&w);
	return rc;
}

int
xfrm_policy_delete(struct plat *p, const struct plat_policy *pol)
{
	struct xfrm_userpolicy_id u;
	struct xnl_err k;
	int rc;

	memset(&u, 0, sizeof(u));
	if ((rc = xfrm_sel_from_ts(&u.sel, &pol->src, &pol->dst)) != 0)
		return rc;
	u.dir = xdir(pol->dir);
	rc = del_policy(p, &u, &k);
	if (rc == IKE_EKERNEL && (k.err == ENOENT || k.err == ESRCH))
		return IKE_ENOTFOUND;
	return rc == IKE_EKERNEL ? pol_fail("delete", pol, &k) : rc;
}

/* ------------------------------------------------------------ flush */

struct own_pols {
	struct xfrm_userpolicy_id	*v;	/* owned */
	size_t				 n, cap;
};

static int
collect_pol(const struct xnl_msg *m, void *arg)
{
	struct own_pols *o = arg;
	struct xfrm_userpolicy_info info;
	struct xfrm_userpolicy_id *nv;
	struct rd body = m->body;

	if (m->type != XFRM_MSG_NEWPOLICY)
		return 0;
	if (xnl_fixed(&body, &info, sizeof(info)) != 0)
		return IKE_EMALFORMED;
	if (info.lft.soft_packet_limit != XFRM_OWN_POLICY_TAG)
		return 0;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		if ((nv = realloc(o->v, o->cap * sizeof(*nv))) == NULL)
			return IKE_ENOMEM;
		o->v = nv;
	}
	memset(&o->v[o->n], 0, sizeof(o->v[0]));
	o->v[o->n].index = info.index;		/* names it exactly */
	o->v[o->n].dir = info.dir;
	o->n++;
	return 0;
}

int
xfrm_policy_flush_own(struct plat *p, size_t *n)
{
	struct own_pols o = { NULL, 0, 0 };
	struct xnl_err k;
	size_t i;
	int rc;

	*n = 0;
	if ((rc = xnl_dump(p, XFRM_MSG_GETPOLICY, collect_pol, &o, &k)) != 0) {
		log_err(LOG_KNL, "dump policies: %s", rc == IKE_EKERNEL ?
		    strerror(k.err) : ike_strerror(rc));
		free(o.v);
		return rc == IKE_EKERNEL ? xnl_errno_map(k.err) : rc;
	}
	for (i = 0; i < o.n && rc == 0; i++) {
		rc = del_policy(p, &o.v[i], &k);
		if (rc == IKE_EKERNEL && k.err == ENOENT)
			rc = 0;		/* gone meanwhile */
		else if (rc == 0)
			(*n)++;
		else if (rc == IKE_EKERNEL) {
			log_err(LOG_KNL, "delete policy %u: %s", o.v[i].index,
			    strerror(k.err));
			rc = xnl_errno_map(k.err);
		}
	}
	free(o.v);
	return rc;
}
