/* core/sa/sa_table.c: three sets of hash chains over the same SAs (by
 * local SPI, by handle, by the peer's SPI), all sized together and
 * doubled when the SAs outnumber the buckets, a binary min-heap of
 * deadlines, and the list of SAs touched since the engine last caught
 * up with them. */
#include "core/sa/sa_table.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto_rand.h"
#include "core/err.h"
#include "core/hashmix.h"

#define SA_BUCKETS_MIN	256

struct sa_table;
static int	heap_reserve(struct sa_table *, size_t want);
static void	heap_remove(struct sa_table *, struct ike_sa *);

enum link { L_SPI, L_HANDLE, L_INIT };

struct sa_table {
	struct ike_sa	**b[3];		/* owned arrays of chains, by
					 * enum link; the SAs are owned
					 * through the L_SPI chains */
	size_t		 nb;		/* buckets each, a power of two */
	size_t		 n;
	size_t		 half_open;	/* SAs with tl.half_open set */
	struct ike_sa	*touched;	/* list through tl.tnext */
	struct ike_sa	**heap;		/* owned array, hn used */
	size_t		 hn, hcap;
};


static struct ike_sa **
link_of(struct ike_sa *sa, enum link l)
{
	switch (l) {
	case L_SPI:	return &sa->hnext;
	case L_HANDLE:	return &sa->tl.hnext_handle;
	case L_INIT:	break;
	}
	return &sa->tl.hnext_init;
}

/* The key sa is filed under in chain set l. */
static uint64_t
key_of(const struct ike_sa *sa, enum link l)
{
	switch (l) {
	case L_SPI:	return ike_sa_local_spi(sa);
	case L_HANDLE:	return sa->tl.ix_handle;
	case L_INIT:	break;
	}
	return sa->tl.ix_spi_i;
}

static void
chain_push(struct sa_table *t, struct ike_sa *sa, enum link l)
{
	struct ike_sa **head = &t->b[l][hash_bucket(key_of(sa, l), t->nb)];

	*link_of(sa, l) = *head;
	*head = sa;
}

static void
chain_unlink(struct sa_table *t, struct ike_sa *sa, enum link l)
{
	struct ike_sa **pp;

	for (pp = &t->b[l][hash_bucket(key_of(sa, l), t->nb)]; *pp != NULL;
	    pp = link_of(*pp, l))
		if (*pp == sa) {
			*pp = *link_of(sa, l);
			*link_of(sa, l) = NULL;
			return;
		}
}

int
sa_table_new(struct sa_table **out)
{
	struct sa_table *t;
	int l;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return IKE_ENOMEM;
	t->nb = SA_BUCKETS_MIN;
	for (l = L_SPI; l <= L_INIT; l++)
		if ((t->b[l] = calloc(t->nb, sizeof(*t->b[l]))) == NULL) {
			sa_table_free(t);
			return IKE_ENOMEM;
		}
	*out = t;
	return 0;
}

void
sa_table_free(struct sa_table *t)
{
	struct ike_sa *sa;
	size_t i;
	int l;

	if (t == NULL)
		return;
	for (i = 0; t->b[L_SPI] != NULL && i < t->nb; i++)
		while ((sa = t->b[L_SPI][i]) != NULL) {
			t->b[L_SPI][i] = sa->hnext;
			ike_sa_free(sa);
		}
	for (l = L_SPI; l <= L_INIT; l++)
		free(t->b[l]);
	free(t->heap);
	free(t);
}

/* Doubles the buckets once the SAs outnumber them; stays as it is when
 * out of memory (the chains only get longer). */
static void
grow(struct sa_table *t)
{
	struct sa_table n = *t;
	struct ike_sa *sa, *next;
	size_t i;
	int l;

	if (t->n <= t->nb || t->nb > SIZE_MAX / 2 / sizeof(*t->b[0]))
		return;
	n.nb = t->nb * 2;
	for (l = L_SPI; l <= L_INIT; l++)
		if ((n.b[l] = calloc(n.nb, sizeof(*n.b[l]))) == NULL) {
			while (--l >= L_SPI)
				free(n.b[l]);
			return;
		}
	for (i = 0; i < t->nb; i++)
		for (sa = t->b[L_SPI][i]; sa != NULL; sa = next) {
			next = sa->hnext;
			for (l = L_SPI; l <= L_INIT; l++)
				chain_push(&n, sa, (enum link)l);
		}
	for (l = L_SPI; l <= L_INIT; l++)
		free(t->b[l]);
	*t = n;
}

void
sa_table_touch(struct sa_table *t, struct ike_sa *sa)
{
	if (sa == NULL || sa->tl.touched)
		return;
	sa->tl.touched = true;
	sa->tl.tnext = t->touched;
	t->touched = sa;
}

int
sa_table_add(struct sa_table *t, struct ike_sa *sa)
{
	uint64_t spi;
	int rc;

	do {
		if ((rc = crypto_rand_bytes(&spi, sizeof(spi))) != 0)
			return rc;
	} while (spi == 0 || sa_table_find(t, spi) != NULL);
	if ((rc = heap_reserve(t, t->n + 1)) != 0)
		return rc;
	if (sa->initiator)
		sa->spi_i = spi;
	else
		sa->spi_r = spi;
	memset(&sa->tl, 0, sizeof(sa->tl));
	sa->tl.ix_handle = sa->handle;
	sa->tl.ix_spi_i = sa->spi_i;
	chain_push(t, sa, L_SPI);
	chain_push(t, sa, L_HANDLE);
	chain_push(t, sa, L_INIT);
	t->n++;
	sa_table_touch(t, sa);
	grow(t);
	return 0;
}


static void
untouch(struct sa_table *t, struct ike_sa *sa)
{
	struct ike_sa **pp;

	for (pp = &t->touched; *pp != NULL; pp = &(*pp)->tl.tnext)
		if (*pp == sa) {
			*pp = sa->tl.tnext;
			break;
		}
	sa->tl.tnext = NULL;
	sa->tl.touched = false;
}

void
sa_table_remove(struct sa_table *t, struct ike_sa *sa)
{
	struct ike_sa *p;

	for (p = t->b[L_SPI][hash_bucket(key_of(sa, L_SPI), t->nb)]; p != NULL;
	    p = p->hnext)
		if (p == sa)
			break;
	if (p == NULL)
		return;		/* not ours */
	chain_unlink(t, sa, L_SPI);
	chain_unlink(t, sa, L_HANDLE);
	chain_unlink(t, sa, L_INIT);
	if (sa->tl.touched)
		untouch(t, sa);
	if (sa->tl.heap_at != 0)
		heap_remove(t, sa);
	if (sa->tl.half_open)
		t->half_open--;
	memset(&sa->tl, 0, sizeof(sa->tl));
	t->n--;
}

struct ike_sa *
sa_table_find(struct sa_table *t, uint64_t local_spi)
{
	struct ike_sa *sa;

	for (sa = t->b[L_SPI][hash_bucket(local_spi, t->nb)]; sa != NULL;
	    sa = sa->hnext)
		if (ike_sa_local_spi(sa) == local_spi) {
			sa_table_touch(t, sa);
			return sa;
		}
	return NULL;
}

static bool
same_peer(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

static bool
is_init(const struct ike_sa *sa, uint64_t spi_i, const struct ike_addr *r)
{
	return !sa->initiator && sa->spi_i == spi_i &&
	    same_peer(&sa->remote, r);
}

/* Touched SAs first: their filing may be out of date. */
struct ike_sa *
sa_table_find_init(struct sa_table *t, uint64_t spi_i,
    const struct ike_addr *remote)
{
	struct ike_sa *sa;

	for (sa = t->touched; sa != NULL; sa = sa->tl.tnext)
		if (is_init(sa, spi_i, remote))
			return sa;
	for (sa = t->b[L_INIT][hash_bucket(spi_i, t->nb)]; sa != NULL;
	    sa = sa->tl.hnext_init)
		if (is_init(sa, spi_i, remote)) {
			sa_table_touch(t, sa);
			return sa;
		}
	return NULL;
}

struct ike_sa *
sa_table_find_handle(const struct sa_table *t, uint32_t h)
{
	struct ike_sa *sa;

	for (sa = t->touched; sa != NULL; sa = sa->tl.tnext)
		if (sa->handle == h)
			return sa;
	for (sa = t->b[L_HANDLE][hash_bucket(h, t->nb)]; sa != NULL;
	    sa = sa->tl.hnext_handle)
		if (sa->handle == h)
			return sa;
	return NULL;
}

size_t
sa_table_count(const struct sa_table *t)
{
	return t->n;
}

size_t
sa_table_half_open(const struct sa_table *t)
{
	const struct ike_sa *sa;
	size_t n = t->half_open;

	for (sa = t->touched; sa != NULL; sa = sa->tl.tnext)
		n = n + (sa->state == IKE_SA_HALF_OPEN) - sa->tl.half_open;
	return n;
}

void
sa_table_foreach(struct sa_table *t, void (*fn)(struct ike_sa *, void *),
    void *arg)
{
	struct ike_sa *sa, *next;
	size_t i;

	for (i = 0; i < t->nb; i++)
		for (sa = t->b[L_SPI][i]; sa != NULL; sa = next) {
			next = sa->hnext;
			fn(sa, arg);
		}
}

struct ike_sa *
sa_table_touched_next(struct sa_table *t)
{
	struct ike_sa *sa = t->touched;
	bool ho;

	if (sa == NULL)
		return NULL;
	untouch(t, sa);
	if (sa->tl.ix_handle != sa->handle) {
		chain_unlink(t, sa, L_HANDLE);
		sa->tl.ix_handle = sa->handle;
		chain_push(t, sa, L_HANDLE);
	}
	if (sa->tl.ix_spi_i != sa->spi_i) {
		chain_unlink(t, sa, L_INIT);
		sa->tl.ix_spi_i = sa->spi_i;
		chain_push(t, sa, L_INIT);
	}
	ho = sa->state == IKE_SA_HALF_OPEN;
	t->half_open = t->half_open + ho - sa->tl.half_open;
	sa->tl.half_open = ho;
	return sa;
}

void
sa_table_touched_foreach(const struct sa_table *t,
    void (*fn)(const struct ike_sa *, void *), void *arg)
{
	const struct ike_sa *sa;

	for (sa = t->touched; sa != NULL; sa = sa->tl.tnext)
		fn(sa, arg);
}

/* ------------------------------------------------------------- heap */

static void
heap_put(struct sa_table *t, size_t i, struct ike_sa *sa)
{
	t->heap[i] = sa;
	sa->tl.heap_at = i + 1;
}

static void
sift_up(struct sa_table *t, size_t i)
{
	struct ike_sa *sa = t->heap[i];
	size_t parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (t->heap[parent]->tl.deadline <= sa->tl.deadline)
			break;
		heap_put(t, i, t->heap[parent]);
		i = parent;
	}
	heap_put(t, i, sa);
}

static void
sift_down(struct sa_table *t, size_t i)
{
	struct ike_sa *sa = t->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < t->hn) {
		if (c + 1 < t->hn &&
		    t->heap[c + 1]->tl.deadline < t->heap[c]->tl.deadline)
			c++;
		if (sa->tl.deadline <= t->heap[c]->tl.deadline)
			break;
		heap_put(t, i, t->heap[c]);
		i = c;
	}
	heap_put(t, i, sa);
}

static void
heap_remove(struct sa_table *t, struct ike_sa *sa)
{
	size_t i = sa->tl.heap_at - 1;
	struct ike_sa *last = t->heap[--t->hn];

	sa->tl.heap_at = 0;
	if (last == sa)
		return;
	heap_put(t, i, last);
	sift_up(t, i);
	sift_down(t, last->tl.heap_at - 1);
}

/* Room for want SAs in the heap: every SA of the table has its place
 * reserved when it is added, so that filing one later cannot fail. */
static int
heap_reserve(struct sa_table *t, size_t want)
{
	struct ike_sa **n;
	size_t cap;

	if (want <= t->hcap)
		return 0;
	cap = t->hcap == 0 ? 64 : t->hcap * 2;
	if (cap > SIZE_MAX / sizeof(*n) ||
	    (n = realloc(t->heap, cap * sizeof(*n))) == NULL)
		return IKE_ENOMEM;
	t->heap = n;
	t->hcap = cap;
	return 0;
}

int
sa_table_set_deadline(struct sa_table *t, struct ike_sa *sa, uint64_t dt)
{
	size_t i;

	if (dt == UINT64_MAX) {
		if (sa->tl.heap_at != 0)
			heap_remove(t, sa);
		return 0;
	}
	if (sa->tl.heap_at != 0) {
		i = sa->tl.heap_at - 1;
		sa->tl.deadline = dt;
		sift_up(t, i);
		sift_down(t, sa->tl.heap_at - 1);
		return 0;
	}
	if (heap_reserve(t, t->hn + 1) != 0)
		return IKE_ENOMEM;	/* not one of ours */
	sa->tl.deadline = dt;
	heap_put(t, t->hn++, sa);
	sift_up(t, t->hn - 1);
	return 0;
}

uint64_t
sa_table_next_deadline(const struct sa_table *t)
{
	return t->hn == 0 ? UINT64_MAX : t->heap[0]->tl.deadline;
}

struct ike_sa *
sa_table_pop_due(struct sa_table *t, uint64_t now)
{
	struct ike_sa *sa;

	if (t->hn == 0 || t->heap[0]->tl.deadline > now)
		return NULL;
	sa = t->heap[0];
	heap_remove(t, sa);
	sa_table_touch(t, sa);
	return sa;
}
