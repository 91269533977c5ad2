/* platform/mem/mem_policy.c: the in-memory policy table, keyed by
 * (src, dst, dir) like a kernel's.  It matches no traffic: a policy is
 * only recorded, and lets mem_inject_acquire() through when it is an
 * outbound PLAT_PROTECT one. */
#include "mem_int.h"

#include <stdlib.h>
#include <string.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../plat_addr.h"

static bool
same_name(const struct plat_policy *a, const struct plat_policy *b)
{
	return a->dir == b->dir && plat_ts_eq(&a->src, &b->src) &&
	    plat_ts_eq(&a->dst, &b->dst);
}

static bool
find(const struct plat *p, const struct plat_policy *key, size_t *at)
{
	size_t i;

	for (i = 0; i < p->npol; i++) {
		if (same_name(p->pol[i], key)) {
			*at = i;
			return true;
		}
	}
	return false;
}

static int
append(struct plat *p, struct plat_policy *pol)
{
	struct plat_policy **n;
	size_t cap;

	if (p->npol == p->pol_cap) {
		cap = p->pol_cap == 0 ? 16 : p->pol_cap * 2;
		if (cap > SIZE_MAX / sizeof(*n) ||
		    (n = realloc(p->pol, cap * sizeof(*n))) == NULL)
			return IKE_ENOMEM;
		p->pol = n;
		p->pol_cap = cap;
	}
	p->pol[p->npol++] = pol;
	return 0;
}

int
mem_policy_add(struct plat *p, const struct plat_policy *pol)
{
	struct plat_policy *n;
	size_t at;

	if (find(p, pol, &at)) {
		log_dbg(LOG_KNL, "mem: policy exists (reqid %u)",
		    p->pol[at]->reqid);
		return IKE_EEXIST;
	}
	if ((n = malloc(sizeof(*n))) == NULL)
		return IKE_ENOMEM;
	*n = *pol;
	n->tun_src.port = n->tun_dst.port = 0;		/* ignored */
	if (append(p, n) != 0) {
		free(n);
		return IKE_ENOMEM;
	}
	return 0;
}

int
mem_policy_delete(struct plat *p, const struct plat_policy *pol)
{
	size_t at;

	if (!find(p, pol, &at))
		return IKE_ENOTFOUND;
	free(p->pol[at]);
	memmove(&p->pol[at], &p->pol[at + 1],
	    (p->npol - at - 1) * sizeof(p->pol[0]));
	p->npol--;
	return 0;
}

bool
mem_policy_acquires(const struct plat *p, uint32_t reqid)
{
	size_t i;

	for (i = 0; i < p->npol; i++) {
		if (p->pol[i]->dir == PLAT_OUT &&
		    p->pol[i]->action == PLAT_PROTECT &&
		    p->pol[i]->reqid == reqid)
			return true;
	}
	return false;
}

void
mem_policy_flush(struct plat *p)
{
	while (p->npol > 0)
		free(p->pol[--p->npol]);
}

/* ------------------------------------------------------------ inspection */

size_t
mem_policy_count(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);

	return p == NULL ? 0 : p->npol;
}

const struct plat_policy *
mem_policy_find(const struct plat *cp, const struct plat_policy *key)
{
	const struct plat *p = mem_of(cp);
	size_t at;

	if (p == NULL || key == NULL || !find(p, key, &at))
		return NULL;
	return p->pol[at];
}

int
mem_policy_foreach(const struct plat *cp,
    int (*fn)(const struct plat_policy *, void *), void *arg)
{
	const struct plat *p = mem_of(cp);
	size_t i;
	int rc;

	if (p == NULL || fn == NULL)
		return IKE_EINVAL;
	for (i = 0; i < p->npol; i++) {
		if ((rc = fn(p->pol[i], arg)) != 0)
			return rc;
	}
	return 0;
}
