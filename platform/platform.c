/* platform/platform.c: chooses among the backends built in, checks each
 * record once for every backend, and dispatches through struct plat_ops.
 * The core never touches the vtable. */
#include "../core/platform.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "../core/crypto/ike_key.h"
#include "../core/err.h"
#include "../core/log.h"
#include "plat_addr.h"

/* Every backend's state starts with a pointer to its ops. */
struct plat_head {
	const struct plat_ops	*ops;
};

/* plat_ops_missing() names every slot; a new slot must be added there
 * (and to PLAT_OPS_NFUNCS) before this builds. */
#define PLAT_OPS_NFUNCS	13
_Static_assert(sizeof(struct plat_ops) ==
    sizeof(const char *) + PLAT_OPS_NFUNCS * sizeof(void (*)(void)),
    "struct plat_ops changed: update plat_ops_missing()");

static const struct plat_ops *
ops_of(const struct plat *p)
{
	return ((const struct plat_head *)(const void *)p)->ops;
}

const char *
plat_ops_missing(const struct plat_ops *o)
{
	if (o->name == NULL)
		return "name";
	if (o->open == NULL)
		return "open";
	if (o->close == NULL)
		return "close";
	if (o->spi_alloc == NULL)
		return "spi_alloc";
	if (o->sa_add == NULL)
		return "sa_add";
	if (o->sa_update == NULL)
		return "sa_update";
	if (o->sa_delete == NULL)
		return "sa_delete";
	if (o->sa_stats == NULL)
		return "sa_stats";
	if (o->policy_add == NULL)
		return "policy_add";
	if (o->policy_delete == NULL)
		return "policy_delete";
	if (o->ike_socket == NULL)
		return "ike_socket";
	if (o->natt_socket == NULL)
		return "natt_socket";
	if (o->flush_own == NULL)
		return "flush_own";
	if (o->kernel_check == NULL)
		return "kernel_check";
	return NULL;
}

int
plat_open(const char *name, struct event_base *base,
    const struct plat_upcalls *up, struct plat **out)
{
	const struct plat_ops *const *b;
	const char *miss;

	if (name == NULL || base == NULL || out == NULL)
		return IKE_EINVAL;
	for (b = plat_backends; *b != NULL; b++) {
		if ((*b)->name == NULL || strcmp((*b)->name, name) != 0)
			continue;
		if ((miss = plat_ops_missing(*b)) != NULL) {
			log_err(LOG_KNL, "backend %s lacks %s", name, miss);
			return IKE_EUNSUPP;
		}
		return (*b)->open(out, base, up);
	}
	return IKE_ENOTFOUND;
}

void
plat_close(struct plat *p)
{
	if (p == NULL)
		return;
	ops_of(p)->close(p);
}

const char *
plat_name(const struct plat *p)
{
	return ops_of(p)->name;
}

/* ------------------------------------------------------------ checks
 * Each returns NULL or what is wrong, for the debug log. */

static bool
addr_ok(const struct ike_addr *a)
{
	return plat_addr_len(a->family) != 0;
}

static bool
addr_unset(const struct ike_addr *a)
{
	static const uint8_t zero[16];

	return a->family == 0 && a->port == 0 &&
	    memcmp(a->addr, zero, sizeof(zero)) == 0;
}

static bool
proto_ok(uint8_t proto)
{
	return proto == IPPROTO_ESP || proto == IPPROTO_AH;
}

static const char *
ts_check(const struct ike_ts *t)
{
	size_t n;

	if ((n = plat_addr_len(t->family)) == 0)
		return "selector of no known family";
	if (memcmp(t->start, t->end, n) > 0)
		return "selector address range ends before it starts";
	if (t->sport > t->eport)
		return "selector port range ends before it starts";
	return NULL;
}

static const char *
sa_id_check(const struct plat_sa_id *id)
{
	if (!addr_ok(&id->dst))
		return "SA destination of no known family";
	if (id->spi < 256)
		return "SPI below 256 (RFC 4303 s. 2.1)";
	if (!proto_ok(id->proto))
		return "SA protocol neither ESP nor AH";
	return NULL;
}

static bool
lifetime_ok(const struct plat_lifetime *soft, const struct plat_lifetime *hard)
{
	if (soft->bytes != 0 && hard->bytes != 0 && soft->bytes > hard->bytes)
		return false;
	if (soft->packets != 0 && hard->packets != 0 &&
	    soft->packets > hard->packets)
		return false;
	return soft->add_s == 0 || hard->add_s == 0 ||
	    soft->add_s <= hard->add_s;
}

/* Which keys and algorithms go together; whether the backend knows them
 * is its own check. */
static const char *
sa_alg_check(const struct plat_sa *sa)
{
	if ((sa->integ_alg != 0) != (sa->integ_key != NULL))
		return "integrity algorithm and key must come together";
	if (sa->id.proto == IPPROTO_AH) {
		if (sa->encr_alg != 0 || sa->encr_key != NULL ||
		    sa->icv_len != 0)
			return "AH SA with an encryption algorithm";
		if (sa->integ_alg == 0)
			return "AH SA without integrity algorithm";
		return NULL;
	}
	if (sa->encr_alg == 0)
		return "ESP SA without encryption algorithm";
	if (sa->encr_alg == PLAT_ENCR_NULL) {
		if (sa->encr_key != NULL && sa->encr_key->len != 0)
			return "ENCR_NULL with a key";
		if (sa->integ_alg == 0)
			return "ENCR_NULL without integrity algorithm";
	} else if (sa->encr_key == NULL) {
		return "ESP SA without encryption key";
	}
	return NULL;
}

static const char *
sa_check(const struct plat_sa *sa)
{
	const char *why;

	if ((why = sa_id_check(&sa->id)) != NULL)
		return why;
	if (sa->src.family != sa->id.dst.family)
		return "SA source and destination of different families";
	if (sa->reqid == 0)
		return "SA without reqid";
	if (sa->dir != PLAT_IN && sa->dir != PLAT_OUT)
		return "SA direction neither in nor out";
	if (sa->mode != PLAT_TUNNEL && sa->mode != PLAT_TRANSPORT)
		return "SA mode neither tunnel nor transport";
	if ((sa->natt_sport == 0) != (sa->natt_dport == 0))
		return "only one NAT-T port";
	if (sa->natt_sport != 0 && sa->id.proto != IPPROTO_ESP)
		return "UDP encapsulation of AH";
	if (!lifetime_ok(&sa->soft, &sa->hard))
		return "soft lifetime beyond the hard one";
	return sa_alg_check(sa);
}

static const char *
policy_protect_check(const struct plat_policy *p)
{
	bool tun_s = !addr_unset(&p->tun_src), tun_d = !addr_unset(&p->tun_dst);

	if (p->action != PLAT_PROTECT) {
		if (p->reqid != 0 || p->proto != 0 || tun_s || tun_d || p->trap)
			return "bypass or discard policy with IPsec fields";
		return NULL;
	}
	if (p->reqid == 0)
		return "protect policy without reqid";
	if (!proto_ok(p->proto))
		return "protect policy protocol neither ESP nor AH";
	if (tun_s != tun_d)
		return "only one tunnel endpoint";
	if (tun_s && (!addr_ok(&p->tun_src) ||
	    p->tun_src.family != p->tun_dst.family))
		return "tunnel endpoints of unknown or different families";
	if (p->trap && p->dir != PLAT_OUT)
		return "trap policy not outbound";
	return NULL;
}

static const char *
policy_check(const struct plat_policy *p)
{
	const char *why;

	if ((why = ts_check(&p->src)) != NULL ||
	    (why = ts_check(&p->dst)) != NULL)
		return why;
	if (p->src.family != p->dst.family)
		return "selectors of different families";
	if (p->src.proto != p->dst.proto)
		return "selectors of different IP protocols";
	if (p->dir != PLAT_IN && p->dir != PLAT_OUT && p->dir != PLAT_FWD)
		return "policy direction not in, out or fwd";
	if (p->action != PLAT_PROTECT && p->action != PLAT_BYPASS &&
	    p->action != PLAT_DISCARD)
		return "policy action not protect, bypass or discard";
	return policy_protect_check(p);
}

static int
refuse(const char *call, const char *why)
{
	log_dbg(LOG_KNL, "%s: %s", call, why);
	return IKE_EINVAL;
}

/* ------------------------------------------------------------ calls */

int
plat_spi_alloc(struct plat *p, const struct ike_addr *src,
    const struct ike_addr *dst, uint8_t proto, uint32_t *spi)
{
	if (p == NULL || src == NULL || dst == NULL || spi == NULL)
		return IKE_EINVAL;
	if (!addr_ok(src) || src->family != dst->family)
		return refuse(__func__, "addresses of unknown or different "
		    "families");
	if (!proto_ok(proto))
		return refuse(__func__, "protocol neither ESP nor AH");
	return ops_of(p)->spi_alloc(p, src, dst, proto, spi);
}

int
plat_sa_add(struct plat *p, const struct plat_sa *sa)
{
	const char *why;

	if (p == NULL || sa == NULL)
		return IKE_EINVAL;
	if ((why = sa_check(sa)) != NULL)
		return refuse(__func__, why);
	return ops_of(p)->sa_add(p, sa);
}

int
plat_sa_update(struct plat *p, const struct plat_sa *sa)
{
	const char *why;

	if (p == NULL || sa == NULL)
		return IKE_EINVAL;
	if ((why = sa_check(sa)) != NULL)
		return refuse(__func__, why);
	return ops_of(p)->sa_update(p, sa);
}

int
plat_sa_delete(struct plat *p, const struct plat_sa_id *id)
{
	const char *why;

	if (p == NULL || id == NULL)
		return IKE_EINVAL;
	if ((why = sa_id_check(id)) != NULL)
		return refuse(__func__, why);
	return ops_of(p)->sa_delete(p, id);
}

int
plat_sa_stats(struct plat *p, const struct plat_sa_id *id,
    struct plat_sa_stats *out)
{
	const char *why;

	if (p == NULL || id == NULL || out == NULL)
		return IKE_EINVAL;
	if ((why = sa_id_check(id)) != NULL)
		return refuse(__func__, why);
	return ops_of(p)->sa_stats(p, id, out);
}

int
plat_policy_add(struct plat *p, const struct plat_policy *pol)
{
	const char *why;

	if (p == NULL || pol == NULL)
		return IKE_EINVAL;
	if ((why = policy_check(pol)) != NULL)
		return refuse(__func__, why);
	return ops_of(p)->policy_add(p, pol);
}

int
plat_policy_delete(struct plat *p, const struct plat_policy *pol)
{
	const char *why;

	if (p == NULL || pol == NULL)
		return IKE_EINVAL;
	if ((why = ts_check(&pol->src)) != NULL ||
	    (why = ts_check(&pol->dst)) != NULL)
		return refuse(__func__, why);
	if (pol->dir != PLAT_IN && pol->dir != PLAT_OUT && pol->dir != PLAT_FWD)
		return refuse(__func__, "policy direction not in, out or fwd");
	return ops_of(p)->policy_delete(p, pol);
}

int
plat_ike_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	if (p == NULL || local == NULL || fd == NULL)
		return IKE_EINVAL;
	if (!addr_ok(local))
		return refuse(__func__, "local address of no known family");
	return ops_of(p)->ike_socket(p, local, fd);
}

int
plat_natt_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	if (p == NULL || local == NULL || fd == NULL)
		return IKE_EINVAL;
	if (!addr_ok(local))
		return refuse(__func__, "local address of no known family");
	return ops_of(p)->natt_socket(p, local, fd);
}

int
plat_flush_own(struct plat *p)
{
	if (p == NULL)
		return IKE_EINVAL;
	return ops_of(p)->flush_own(p);
}

int
plat_kernel_check(struct plat *p, char *why, size_t n)
{
	if (p == NULL || why == NULL || n == 0)
		return IKE_EINVAL;
	why[0] = '\0';
	return ops_of(p)->kernel_check(p, why, n);
}
