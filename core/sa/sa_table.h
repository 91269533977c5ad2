/* core/sa/sa_table.h: the IKE SAs of one engine, hashed by our own SPI
 * (the one the peer puts in our half of the header), with a lookup by
 * the peer's SPI and address for retransmitted IKE_SA_INIT requests. */
#ifndef IKE_SA_TABLE_H
#define IKE_SA_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/platform.h"
#include "core/sa/ike_sa.h"

struct sa_table;

/* Caller frees with sa_table_free(). */
int	sa_table_new(struct sa_table **out);
/* Frees the table and every SA still in it; NULL is fine. */
void	sa_table_free(struct sa_table *);

/* Picks a random local SPI no SA of the table has, writes it to the SA
 * (spi_i for an initiator, spi_r for a responder) and adds the SA; the
 * table owns it from then on. */
int	sa_table_add(struct sa_table *, struct ike_sa *sa);
/* Unlinks sa (the caller frees it). */
void	sa_table_remove(struct sa_table *, struct ike_sa *sa);
struct ike_sa *sa_table_find(const struct sa_table *, uint64_t local_spi);
/* A responder SA created by the IKE_SA_INIT request of spi_i from
 * remote (address and port), or NULL. */
struct ike_sa *sa_table_find_init(const struct sa_table *, uint64_t spi_i,
	    const struct ike_addr *remote);
struct ike_sa *sa_table_find_handle(const struct sa_table *, uint32_t h);
size_t	sa_table_count(const struct sa_table *);
/* Responder SAs still waiting for IKE_AUTH (s. 2.6: cookie threshold). */
size_t	sa_table_half_open(const struct sa_table *);
/* Calls fn for every SA; fn may remove (and free) the SA it is given. */
void	sa_table_foreach(struct sa_table *,
	    void (*fn)(struct ike_sa *, void *), void *arg);

#endif
