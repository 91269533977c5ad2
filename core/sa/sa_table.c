/* core/sa/sa_table.c: a fixed array of hash chains keyed by local SPI. */
#include "core/sa/sa_table.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/crypto_rand.h"
#include "core/err.h"

#define SA_BUCKETS	256

struct sa_table {
	struct ike_sa	*b[SA_BUCKETS];	/* owned chains */
	size_t		 n;
};

static size_t
bucket(uint64_t spi)
{
	return (size_t)((spi ^ (spi >> 17) ^ (spi >> 41)) % SA_BUCKETS);
}

int
sa_table_new(struct sa_table **out)
{
	struct sa_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return IKE_ENOMEM;
	*out = t;
	return 0;
}

void
sa_table_free(struct sa_table *t)
{
	struct ike_sa *sa;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < SA_BUCKETS; i++)
		while ((sa = t->b[i]) != NULL) {
			t->b[i] = sa->hnext;
			ike_sa_free(sa);
		}
	free(t);
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
	if (sa->initiator)
		sa->spi_i = spi;
	else
		sa->spi_r = spi;
	sa->hnext = t->b[bucket(spi)];
	t->b[bucket(spi)] = sa;
	t->n++;
	return 0;
}

void
sa_table_remove(struct sa_table *t, struct ike_sa *sa)
{
	struct ike_sa **pp;

	for (pp = &t->b[bucket(ike_sa_local_spi(sa))]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == sa) {
			*pp = sa->hnext;
			sa->hnext = NULL;
			t->n--;
			return;
		}
}

struct ike_sa *
sa_table_find(const struct sa_table *t, uint64_t local_spi)
{
	struct ike_sa *sa;

	for (sa = t->b[bucket(local_spi)]; sa != NULL; sa = sa->hnext)
		if (ike_sa_local_spi(sa) == local_spi)
			return sa;
	return NULL;
}

static bool
same_peer(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* The linear scans below are over a table of at most a few thousand SAs
 * and run only for IKE_SA_INIT retransmissions and by handle. */
struct ike_sa *
sa_table_find_init(const struct sa_table *t, uint64_t spi_i,
    const struct ike_addr *remote)
{
	struct ike_sa *sa;
	size_t i;

	for (i = 0; i < SA_BUCKETS; i++)
		for (sa = t->b[i]; sa != NULL; sa = sa->hnext)
			if (!sa->initiator && sa->spi_i == spi_i &&
			    same_peer(&sa->remote, remote))
				return sa;
	return NULL;
}

struct ike_sa *
sa_table_find_handle(const struct sa_table *t, uint32_t h)
{
	struct ike_sa *sa;
	size_t i;

	for (i = 0; i < SA_BUCKETS; i++)
		for (sa = t->b[i]; sa != NULL; sa = sa->hnext)
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
	struct ike_sa *sa;
	size_t i, n = 0;

	for (i = 0; i < SA_BUCKETS; i++)
		for (sa = t->b[i]; sa != NULL; sa = sa->hnext)
			if (sa->state == IKE_SA_HALF_OPEN)
				n++;
	return n;
}

void
sa_table_foreach(struct sa_table *t, void (*fn)(struct ike_sa *, void *),
    void *arg)
{
	struct ike_sa *sa, *next;
	size_t i;

	for (i = 0; i < SA_BUCKETS; i++)
		for (sa = t->b[i]; sa != NULL; sa = next) {
			next = sa->hnext;
			fn(sa, arg);
		}
}
