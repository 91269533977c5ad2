/* platform/mem/mem_policy.c: the in-memory policy table, keyed by
 * (src, dst, dir) like a kernel's: a list in the order added, with hash
 * chains by that key doubled as they fill.  It matches no traffic: a
 * policy is only recorded, and lets mem_inject_acquire() through when
 * it is an outbound PLAT_PROTECT one. */
#include "mem_int.h"

#include <stdlib.h>
#include <string.h>

#include "../../core/err.h"
#include "../../core/hashmix.h"
#include "../../core/log.h"
#include "../plat_addr.h"

#define POL_BUCKETS_MIN	64

struct mem_pol_rec {
	struct plat_policy	 pol;		/* first: mem_policy_find() */
	struct mem_pol_rec	*prev, *next;	/* the list, in order added */
	struct mem_pol_rec	*hnext;		/* hash chain */
};

static bool
same_name(const struct plat_policy *a, const struct plat_policy *b)
{
	return a->dir == b->dir && plat_ts_eq(&a->src, &b->src) &&
	    plat_ts_eq(&a->dst, &b->dst);
}

static uint64_t
fnv(uint64_t h, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n-- > 0)
		h = (h ^ *p++) * 0x100000001b3ULL;
	return h;
}

/* Over exactly what plat_ts_eq() compares. */
static uint64_t
ts_hash(uint64_t h, const struct ike_ts *ts)
{
	size_t n = plat_addr_len(ts->family);

	h = fnv(h, &ts->family, sizeof(ts->family));
	h = fnv(h, &ts->proto, sizeof(ts->proto));
	h = fnv(h, &ts->sport, sizeof(ts->sport));
	h = fnv(h, &ts->eport, sizeof(ts->eport));
	h = fnv(h, ts->start, n);
	return fnv(h, ts->end, n);
}

static size_t
bucket(const struct plat_policy *pol, size_t nb)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t dir = (uint32_t)pol->dir;

	h = fnv(h, &dir, sizeof(dir));
	h = ts_hash(h, &pol->src);
	h = ts_hash(h, &pol->dst);
	return hash_bucket(h, nb);	/* FNV's low bits mix poorly */
}

static struct mem_pol_rec *
find(const struct plat *p, const struct plat_policy *key)
{
	struct mem_pol_rec *r;

	if (p->pol_nb == 0)
		return NULL;
	for (r = p->pol_b[bucket(key, p->pol_nb)]; r != NULL; r = r->hnext)
		if (same_name(&r->pol, key))
			return r;
	return NULL;
}

static void
chain_push(struct mem_pol_rec **b, size_t nb, struct mem_pol_rec *r)
{
	struct mem_pol_rec **head = &b[bucket(&r->pol, nb)];

	r->hnext = *head;
	*head = r;
}

/* Room for one more policy: the chains doubled when full. */
static int
reserve(struct plat *p)
{
	struct mem_pol_rec **b, *r;
	size_t nb;

	if (p->npol < p->pol_nb)
		return 0;
	nb = p->pol_nb == 0 ? POL_BUCKETS_MIN : p->pol_nb * 2;
	if (nb > SIZE_MAX / sizeof(*b) || (b = calloc(nb, sizeof(*b))) == NULL)
		return IKE_ENOMEM;
	for (r = p->pol_head; r != NULL; r = r->next)
		chain_push(b, nb, r);
	free(p->pol_b);
	p->pol_b = b;
	p->pol_nb = nb;
	return 0;
}

static void
remove_rec(struct plat *p, struct mem_pol_rec *r)
{
	struct mem_pol_rec **pp = &p->pol_b[bucket(&r->pol, p->pol_nb)];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == r) {
			*pp = r->hnext;
			break;
		}
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		p->pol_head = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	else
		p->pol_tail = r->prev;
	p->npol--;
	free(r);
}

int
mem_policy_add(struct plat *p, const struct plat_policy *pol)
{
	struct mem_pol_rec *r;

	if ((r = find(p, pol)) != NULL) {
		log_dbg(LOG_KNL, "mem: policy exists (reqid %u)",
		    r->pol.reqid);
		return IKE_EEXIST;
	}
	if (reserve(p) != 0 || (r = calloc(1, sizeof(*r))) == NULL)
		return IKE_ENOMEM;
	r->pol = *pol;
	r->pol.tun_src.port = r->pol.tun_dst.port = 0;	/* ignored */
	chain_push(p->pol_b, p->pol_nb, r);
	r->prev = p->pol_tail;
	if (p->pol_tail != NULL)
		p->pol_tail->next = r;
	else
		p->pol_head = r;
	p->pol_tail = r;
	p->npol++;
	return 0;
}

int
mem_policy_delete(struct plat *p, const struct plat_policy *pol)
{
	struct mem_pol_rec *r;

	if ((r = find(p, pol)) == NULL)
		return IKE_ENOTFOUND;
	remove_rec(p, r);
	return 0;
}

/* A walk: only for injected acquires. */
bool
mem_policy_acquires(const struct plat *p, uint32_t reqid)
{
	const struct mem_pol_rec *r;

	for (r = p->pol_head; r != NULL; r = r->next) {
		if (r->pol.dir == PLAT_OUT && r->pol.action == PLAT_PROTECT &&
		    r->pol.reqid == reqid)
			return true;
	}
	return false;
}

void
mem_policy_flush(struct plat *p)
{
	while (p->pol_tail != NULL)
		remove_rec(p, p->pol_tail);
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
	const struct mem_pol_rec *r;

	if (p == NULL || key == NULL || (r = find(p, key)) == NULL)
		return NULL;
	return &r->pol;
}

int
mem_policy_foreach(const struct plat *cp,
    int (*fn)(const struct plat_policy *, void *), void *arg)
{
	const struct plat *p = mem_of(cp);
	const struct mem_pol_rec *r;
	int rc;

	if (p == NULL || fn == NULL)
		return IKE_EINVAL;
	for (r = p->pol_head; r != NULL; r = r->next) {
		if ((rc = fn(&r->pol, arg)) != 0)
			return rc;
	}
	return 0;
}
