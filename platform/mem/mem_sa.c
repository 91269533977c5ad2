/* platform/mem/mem_sa.c: the in-memory SA table: SPI reservation, SAs
 * keyed by dst + SPI + protocol, their counters and add_s lifetimes.
 * Like a kernel it refuses algorithms it does not know (the ones
 * core/crypto describes, and ENCR_NULL) and keys of the wrong length.
 * The table is a plain array: it holds what tests and small setups
 * install, and a lookup is a scan. */
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
#include "../../core/log.h"
#include "../../core/secmem.h"
#include "../plat_addr.h"

/* The longest add_s the timers take (about 68 years): beyond it an SA
 * does not expire while the process runs anyway. */
#define MEM_MAX_ADD_S	0x7fffffffu

/* pub.sa's keys point to ekey and ikey, which the record owns and
 * wipes.  timer (owned; NULL without add_s lifetimes) fires for the soft
 * lifetime, then (timer_hard) for the hard one.  soft_done: the soft
 * expiry was reported. */
struct mem_sa_rec {
	struct mem_sa		 pub;
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

static bool
find(const struct plat *p, const struct plat_sa_id *id, size_t *at)
{
	size_t i;

	for (i = 0; i < p->nsa; i++) {
		if (id_eq(&p->sa[i]->pub.sa.id, id)) {
			*at = i;
			return true;
		}
	}
	return false;
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
remove_at(struct plat *p, size_t i)
{
	rec_free(p->sa[i]);
	memmove(&p->sa[i], &p->sa[i + 1], (p->nsa - i - 1) * sizeof(p->sa[0]));
	p->nsa--;
}

static int
append(struct plat *p, struct mem_sa_rec *r)
{
	struct mem_sa_rec **n;
	size_t cap;

	if (p->nsa == p->sa_cap) {
		cap = p->sa_cap == 0 ? 16 : p->sa_cap * 2;
		if (cap > SIZE_MAX / sizeof(*n) ||
		    (n = realloc(p->sa, cap * sizeof(*n))) == NULL)
			return IKE_ENOMEM;
		p->sa = n;
		p->sa_cap = cap;
	}
	p->sa[p->nsa++] = r;
	return 0;
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
	size_t at;

	return find(p, &id, &at);
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
	size_t at;
	int rc;

	if ((rc = check_algs(sa)) != 0)
		return rc;
	if (find(p, &sa->id, &at)) {
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
	struct mem_sa_rec *r;
	size_t at;
	int rc;

	if ((rc = check_algs(sa)) != 0)
		return rc;
	if (!find(p, &sa->id, &at))
		return IKE_ENOTFOUND;
	if (!p->sa[at]->pub.larval)
		return IKE_ESTATE;
	if ((rc = rec_new(p, sa, &r)) != 0)
		return rc;
	rec_free(p->sa[at]);
	p->sa[at] = r;		/* keeps its place in the order */
	return 0;
}

int
mem_sa_delete(struct plat *p, const struct plat_sa_id *id)
{
	size_t at;

	if (!find(p, id, &at))
		return IKE_ENOTFOUND;
	remove_at(p, at);
	return 0;
}

int
mem_sa_stats(struct plat *p, const struct plat_sa_id *id,
    struct plat_sa_stats *out)
{
	size_t at;

	if (!find(p, id, &at))
		return IKE_ENOTFOUND;
	*out = p->sa[at]->pub.stats;
	return 0;
}

void
mem_sa_expire(struct plat *p, const struct plat_sa_id *idp, bool hard)
{
	struct plat_sa_id id = *idp;	/* idp may point into the record */
	size_t at;

	if (!find(p, &id, &at)) {
		log_dbg(LOG_KNL, "mem: expiry of SA spi 0x%08x, gone already",
		    id.spi);
		return;
	}
	if (hard)
		remove_at(p, at);
	else
		p->sa[at]->soft_done = true;
	if (p->up.sa_expired != NULL)
		p->up.sa_expired(p->up.arg, &id, hard);
}

void
mem_sa_flush(struct plat *p)
{
	while (p->nsa > 0)
		remove_at(p, p->nsa - 1);
}

/* ------------------------------------------------------------ inspection */

size_t
mem_sa_count(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);
	size_t i, n = 0;

	for (i = 0; p != NULL && i < p->nsa; i++)
		n += !p->sa[i]->pub.larval;
	return n;
}

size_t
mem_larval_count(const struct plat *cp)
{
	const struct plat *p = mem_of(cp);
	size_t i, n = 0;

	for (i = 0; p != NULL && i < p->nsa; i++)
		n += p->sa[i]->pub.larval;
	return n;
}

const struct mem_sa *
mem_sa_find(const struct plat *cp, const struct plat_sa_id *id)
{
	const struct plat *p = mem_of(cp);
	size_t at;

	if (p == NULL || id == NULL || !find(p, id, &at))
		return NULL;
	return &p->sa[at]->pub;
}

int
mem_sa_foreach(const struct plat *cp, int (*fn)(const struct mem_sa *,
    void *), void *arg)
{
	const struct plat *p = mem_of(cp);
	size_t i;
	int rc;

	if (p == NULL || fn == NULL)
		return IKE_EINVAL;
	for (i = 0; i < p->nsa; i++) {
		if ((rc = fn(&p->sa[i]->pub, arg)) != 0)
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
	size_t at;

	if ((p = mem_of(p)) == NULL || id == NULL || st == NULL)
		return IKE_EINVAL;
	if (!find(p, id, &at))
		return IKE_ENOTFOUND;
	p->sa[at]->pub.stats = *st;
	return check_limits(p, p->sa[at]);
}
