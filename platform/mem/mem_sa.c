/* platform/mem/mem_sa.c: the in-memory SA table: SPI reservation, SAs
 * keyed by dst + SPI + protocol, their counters and add_s lifetimes.
 * Like a kernel it refuses algorithms it does not know (the ones
 * core/crypto describes, and ENCR_NULL) and keys of the wrong length.
 * The table is a list in the order added (for mem_sa_foreach) with
 * hash chains by SPI and protocol, doubled as they fill, so that a
 * lookup costs the same with ten SAs or a hundred thousand. */
#include "mem_int.h"

#include <netinet/in.h>

#include <event2/event.h>

#include <stdlib.h>
#include <string.h>

#include "../../core/crypto/cipher.h"
#include "../../core/crypto/crypto_rand.h"
#include "../../core/crypto/ike_key.h"
#include "../../core/crypto/integ.h"
#include "../../core/err.h"
#include "../../core/hashmix.h"
#include "../../core/log.h"
#include "../../core/secmem.h"
#include "../plat_addr.h"

/* The longest add_s the timers take (about 68 years): beyond it an SA
 * does not expire while the process runs anyway. */
#define MEM_MAX_ADD_S	0x7fffffffu
#define MEM_BUCKETS_MIN	64

/* pub.sa's keys point to ekey and ikey, which the record owns and
 * wipes.  timer (owned; NULL without add_s lifetimes) fires for the soft
 * lifetime, then (timer_hard) for the hard one.  soft_done: the soft
 * expiry was reported. */
struct mem_sa_rec {
	struct mem_sa		 pub;
	struct mem_sa_rec	*prev, *next;	/* the list, in order added */
	struct mem_sa_rec	*hnext;		/* hash chain */
	struct ike_key		*ekey, *ikey;
	struct event		*timer;
	struct plat		*p;	/* back pointer, for the timer */
	bool			 timer_hard;
	bool			 soft_done;
};

static bool
id_eq(const struct plat_sa_id *a, const struct plat_sa_id *b)
{
	return a->spi == b->spi && a->proto == b->proto &&
	    plat_addr_eq(&a->dst, &b->dst);
}

static size_t
bucket(uint32_t spi, uint8_t proto, size_t nb)
{
	return hash_bucket((uint64_t)spi << 8 | proto, nb);
}

static struct mem_sa_rec *
find(const struct plat *p, const struct plat_sa_id *id)
{
	struct mem_sa_rec *r;

	if (p->sa_nb == 0)
		return NULL;
	for (r = p->sa_b[bucket(id->spi, id->proto, p->sa_nb)]; r != NULL;
	    r = r->hnext)
		if (id_eq(&r->pub.sa.id, id))
			return r;
	return NULL;
}

static void
rec_free(struct mem_sa_rec *r)
{
	if (r == NULL)
		return;
	if (r->timer != NULL) {
		event_del(r->timer);
		event_free(r->timer);
	}
	ike_key_free(r->ekey);
	ike_key_free(r->ikey);
	secmem_wipe(r, sizeof(*r));
	free(r);
}

static void
chain_push(struct mem_sa_rec **b, size_t nb, struct mem_sa_rec *r)
{
	struct mem_sa_rec **head = &b[bucket(r->pub.sa.id.spi,
	    r->pub.sa.id.proto, nb)];

	r->hnext = *head;
	*head = r;
}

/* Unlinks r from its chain and the list, and frees it. */
static void
remove_rec(struct plat *p, struct mem_sa_rec *r)
{
	struct mem_sa_rec **pp = &p->sa_b[bucket(r->pub.sa.id.spi,
	    r->pub.sa.id.proto, p->sa_nb)];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == r) {
			*pp = r->hnext;
			break;
		}
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		p->sa_head = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	else
		p->sa_tail = r->prev;
	p->nsa--;
	p->nlarval -= r->pub.larval;
	rec_free(r);
}

/* Room for one more SA: the chains doubled when full (IKE_ENOMEM). */
static int
reserve(struct plat *p)
{
	struct mem_sa_rec **b, *r;
	size_t nb;

	if (p->nsa < p->sa_nb)
		return 0;
	nb = p->sa_nb == 0 ? MEM_BUCKETS_MIN : p->sa_nb * 2;
	if (nb > SIZE_MAX / sizeof(*b) || (b = calloc(nb, sizeof(*b))) == NULL)
		return IKE_ENOMEM;
	for (r = p->sa_head; r != NULL; r = r->next)
		chain_push(b, nb, r);
	free(p->sa_b);
	p->sa_b = b;
	p->sa_nb = nb;
	return 0;
}

static int
append(struct plat *p, struct mem_sa_rec *r)
{
	int rc;

	if ((rc = reserve(p)) != 0)
		return rc;
	chain_push(p->sa_b, p->sa_nb, r);
	r->prev = p->sa_tail;
	r->next = NULL;
	if (p->sa_tail != NULL)
		p->sa_tail->next = r;
	else
		p->sa_head = r;
	p->sa_tail = r;
	p->nsa++;
	p->nlarval += r->pub.larval;
	return 0;
}

/* Puts r in old's place (list and chain; same id) and frees old. */
static void
replace(struct plat *p, struct mem_sa_rec *old, struct mem_sa_rec *r)
{
	struct mem_sa_rec **pp = &p->sa_b[bucket(old->pub.sa.id.spi,
	    old->pub.sa.id.proto, p->sa_nb)];

	for (; *pp != NULL; pp = &(*pp)->hnext)
		if (*pp == old) {
			*pp = r;
			r->hnext = old->hnext;
			break;
		}
	r->prev = old->prev;
	r->next = old->next;
	if (r->prev != NULL)
		r->prev->next = r;
	else
		p->sa_head = r;
	if (r->next != NULL)
		r->next->prev = r;
	else
		p->sa_tail = r;
	p->nlarval = p->nlarval - old->pub.larval + r->pub.larval;
	rec_free(old);
}

/* ------------------------------------------------------------ algorithms */

/* The cipher facts for encr keyed with key (key bits found from its
 * length): 0, IKE_EUNSUPP for an unknown cipher, IKE_EINVAL for a key
 * length it does not take. */
static int
encr_facts(uint16_t encr, const struct ike_key *key, struct cipher_info *ci)
{
	static const uint16_t bits[] = { 0, 128, 192, 256 };
	bool known = false;
	size_t i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (cipher_info(encr, bits[i], ci) == IKE_EUNSUPP)
			continue;
		known = true;
		if (cipher_info(encr, bits[i], ci) == 0 &&
		    ci->key_len == key->len)
			return 0;
	}
	return known ? IKE_EINVAL : IKE_EUNSUPP;
}

static int
check_encr(const struct plat_sa *sa)
{
	struct cipher_info ci;
	int rc;

	if (sa->id.proto == IPPROTO_AH)
		return 0;
	if (sa->encr_alg == PLAT_ENCR_NULL)
		return sa->icv_len == 0 ? 0 : IKE_EINVAL;
	if ((rc = encr_facts(sa->encr_alg, sa->encr_key, &ci)) != 0) {
		log_dbg(LOG_KNL, "mem: encryption %u with %zu key octets: %s",
		    sa->encr_alg, sa->encr_key->len, ike_strerror(rc));
		return rc;
	}
	if (ci.aead && (sa->integ_alg != AUTH_NONE ||
	    (sa->icv_len != 0 && sa->icv_len != ci.icv_len)))
		return IKE_EINVAL;
	if (!ci.aead && sa->icv_len != 0)
		return IKE_EINVAL;
	return 0;
}

static int
check_algs(const struct plat_sa *sa)
{
	struct integ_info ii;
	int rc;

	if ((rc = check_encr(sa)) != 0)
		return rc;
	if (sa->integ_alg == AUTH_NONE)
		return 0;
	if ((rc = integ_info(sa->integ_alg, &ii)) != 0) {
		log_dbg(LOG_KNL, "mem: unknown integrity algorithm %u",
		    sa->integ_alg);
		return rc;
	}
	if (ii.key_len != sa->integ_key->len) {
		log_dbg(LOG_KNL, "mem: %s with %zu key octets",
		    integ_name(sa->integ_alg), sa->integ_key->len);
		return IKE_EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------ lifetimes */

static void
arm(struct mem_sa_rec *r, uint64_t secs)
{
	struct timeval tv = { 0, 0 };

	tv.tv_sec = (time_t)(secs > MEM_MAX_ADD_S ? MEM_MAX_ADD_S : secs);
	/* evtimer_add fails only for a bad timeval, which this is not. */
	(void)evtimer_add(r->timer, &tv);
}

static void
sa_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct mem_sa_rec *r = arg;
	const struct plat_lifetime *s = &r->pub.sa.soft, *h = &r->pub.sa.hard;
	struct plat_sa_id id = r->pub.sa.id;

	(void)fd;
	(void)what;
	if (r->timer_hard) {
		mem_sa_expire(r->p, &id, true);		/* frees r */
		return;
	}
	r->timer_hard = true;
	if (h->add_s != 0)
		arm(r, h->add_s - s->add_s);
	if (!r->soft_done)
		mem_sa_expire(r->p, &id, false);	/* may free r */
}

static int
start_timer(struct plat *p, struct mem_sa_rec *r)
{
	const struct plat_lifetime *s = &r->pub.sa.soft, *h = &r->pub.sa.hard;

	if (s->add_s == 0 && h->add_s == 0)
		return 0;
	if ((r->timer = evtimer_new(p->base, sa_timeout, r)) == NULL)
		return IKE_ENOMEM;
	r->timer_hard = s->add_s == 0;
	arm(r, s->add_s != 0 ? s->add_s : h->add_s);
	return 0;
}

/* ------------------------------------------------------------ records */

static int
rec_new(struct plat *p, const struct plat_sa *sa, struct mem_sa_rec **out)
{
	struct mem_sa_rec *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return IKE_ENOMEM;
	r->p = p;
	r->pub.sa = *sa;
	r->pub.sa.encr_key = r->pub.sa.integ_key = NULL;
	r->pub.sa.id.dst.port = r->pub.sa.src.port = 0;	/* ignored */
	if ((sa->encr_key != NULL && ike_key_from(sa->encr_key->data,
	    sa->encr_key->len, &r->ekey) != 0) ||
	    (sa->integ_key != NULL && ike_key_from(sa->integ_key->data,
	    sa->integ_key->len, &r->ikey) != 0) ||
	    start_timer(p, r) != 0) {
		rec_free(r);
		return IKE_ENOMEM;
	}
	r->pub.sa.encr_key = r->ekey;
	r->pub.sa.integ_key = r->ikey;
	*out = r;
	return 0;
}

static bool
spi_used(const struct plat *p, const struct ike_addr *dst, uint8_t proto,
    uint32_t spi)
{
	struct plat_sa_id id = { .dst = *dst, .spi = spi, .proto = proto };

	return find(p, &id) != NULL;
}

/* A random SPI in spi_lo..spi_hi; on a collision the next ones in turn.
 * Among nsa + 1 candidates one is free unless the range is full. */
static int
pick_spi(const struct plat *p, const struct ike_addr *dst, uint8_t proto,
    uint32_t *spi)
{
	uint64_t size = (uint64_t)p->spi_hi - p->spi_lo + 1, tries, i;
	uint32_t r;
	int rc;

	if ((rc = crypto_rand_bytes(&r, sizeof(r))) != 0)
		return rc;
	tries = size < (uint64_t)p->nsa + 1 ? size : (uint64_t)p->nsa + 1;
	for (i = 0; i < tries; i++) {
		*spi = p->spi_lo + (uint32_t)((r + i) % size);
		if (!spi_used(p, dst, proto, *spi))
			return 0;
	}
	return IKE_ENOSPC;
}

int
mem_sa_spi_alloc(struct plat *p, const struct ike_addr *src,
    const struct ike_addr *dst, uint8_t proto, uint32_t *spi)
{
	struct plat_sa larval = { .src = *src, .dir = PLAT_IN };
	struct mem_sa_rec *r;
	int rc;

	larval.id.dst = *dst;
	larval.id.proto = proto;
	if ((rc = pick_spi(p, dst, proto, &larval.id.spi)) != 0) {
		log_dbg(LOG_KNL, "mem: no free SPI in 0x%08x..0x%08x",
		    p->spi_lo, p->spi_hi);
		return rc;
	}
	if ((rc = rec_new(p, &larval, &r)) != 0)
		return rc;
	r->pub.larval = true;
	if ((rc = append(p, r)) != 0) {
		rec_free(r);
		return rc;
	}
	*spi = larval.id.spi;
	return 0;
}

int
mem_sa_add(struct plat *p, const struct plat_sa *sa)
{
	struct mem_sa_rec *r;
	int rc;

	if ((rc = check_algs(sa)) != 0)
		return rc;
	if (find(p, &sa->id) != NULL) {
		log_dbg(LOG_KNL, "mem: SA spi 0x%08x exists", sa->id.spi);
		return IKE_EEXIST;
	}
	if ((rc = rec_new(p, sa, &r)) != 0)
		return rc;
	if ((rc = append(p, r)) != 0) {
		rec_free(r);
		return rc;
	}
	return 0;
}

int
mem_sa_update(struct plat *p, const struct plat_sa *sa)
{
	struct mem_sa_rec *r, *old;
	int rc;

	if ((rc = check_algs(sa)) != 0)
		return rc;
	if ((old = find(p, &sa->id)) == NULL)
		return IKE_ENOTFOUND;
	if (!old->pub.larval)
		return IKE_ESTATE;
	if ((rc = rec_new(p, sa, &r)) != 0)
		return rc;
	replace(p, old, r);	/* keeps its place in the order */
	return 0;
}

int
mem_sa_delete(struct plat *p, const struct plat_sa_id *id)
{
	struct mem_sa_rec *r;

	if ((r = find(p, id)) == NULL)
		return IKE_ENOTFOUND;
	remove_rec(p, r);
	return 0;
}

int
mem_sa_stats(struct plat *p, const struct plat_sa_id *id,
    struct plat_sa_stats *out)
{
	struct mem_sa_rec *r;

	if ((r = find(p, id)) == NULL)
		return IKE_ENOTFOUND;
	*out = r->pub.stats;
	return 0;
}

void
mem_sa_expire(struct plat *p, const struct plat_sa_id *idp, bool hard)
{
	struct plat_sa_id id = *idp;	/* idp may point into the record */
	struct mem_sa_rec *r;

	if ((r = find(p, &id)) == NULL) {
		log_dbg(LOG_KNL, "mem: expiry of SA spi 0x%08x, gone already",
		    id.spi);
		return;
	}
	if (hard)
		remove_rec(p, r);
	else
		r->soft_done = true;
	if (p->up.sa_expired != NULL)
		p->up.sa_expired(p->up.arg, &id, hard);
}

void
mem_sa_flush(struct plat *p)
{
	while (p->sa_tail != NULL)
		remove_rec(p, p->sa_tail);
}

/* ------------------------------------------------------------ inspection */

size_t
mem_sa_count(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);

	return p == NULL ? 0 : p->nsa - p->nlarval;
}

size_t
mem_larval_count(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);

	return p == NULL ? 0 : p->nlarval;
}

const struct mem_sa *
mem_sa_find(const struct plat *cp, const struct plat_sa_id *id)
{
	const struct plat *p = mem_of(cp);
	const struct mem_sa_rec *r;

	if (p == NULL || id == NULL || (r = find(p, id)) == NULL)
		return NULL;
	return &r->pub;
}

int
mem_sa_foreach(const struct plat *cp, int (*fn)(const struct mem_sa *,
    void *), void *arg)
{
	const struct plat *p = mem_of(cp);
	const struct mem_sa_rec *r;
	int rc;

	if (p == NULL || fn == NULL)
		return IKE_EINVAL;
	for (r = p->sa_head; r != NULL; r = r->next) {
		if ((rc = fn(&r->pub, arg)) != 0)
			return rc;
	}
	return 0;
}

/* Counters past a limit raise the expiry, as traffic would in a kernel:
 * hard first (the SA goes), else soft once. */
static int
check_limits(struct plat *p, struct mem_sa_rec *r)
{
	const struct plat_sa_stats *st = &r->pub.stats;
	const struct plat_lifetime *s = &r->pub.sa.soft, *h = &r->pub.sa.hard;

	if ((h->bytes != 0 && st->bytes >= h->bytes) ||
	    (h->packets != 0 && st->packets >= h->packets))
		return mem_upcall_expire(p, &r->pub.sa.id, true);
	if (r->soft_done)
		return 0;
	if ((s->bytes != 0 && st->bytes >= s->bytes) ||
	    (s->packets != 0 && st->packets >= s->packets)) {
		r->soft_done = true;
		return mem_upcall_expire(p, &r->pub.sa.id, false);
	}
	return 0;
}

int
mem_sa_set_stats(struct plat *p, const struct plat_sa_id *id,
    const struct plat_sa_stats *st)
{
	struct mem_sa_rec *r;

	if ((p = mem_of(p)) == NULL || id == NULL || st == NULL)
		return IKE_EINVAL;
	if ((r = find(p, id)) == NULL)
		return IKE_ENOTFOUND;
	r->pub.stats = *st;
	return check_limits(p, r);
}
