/* core/sa/sa_table.h: the IKE SAs of one engine, hashed by our own SPI
 * (the one the peer puts in our half of the header), with lookups by
 * the peer's SPI and address for retransmitted IKE_SA_INIT requests and
 * by the engine's handle, and a min-heap of the SAs' deadlines.
 *
 * The exchange code changes SAs (their handle, state, SPIs, timers)
 * through the pointers this table hands out, behind its back.  So
 * every SA returned by sa_table_add(), sa_table_find(),
 * sa_table_find_init() or sa_table_pop_due(), or given to
 * sa_table_touch(), is "touched": until sa_table_touched_next() returns
 * it, the by-handle and by-peer lookups and the half-open count look at
 * it as it is now, and its place in the heap is out of date.  The
 * engine drains the touched SAs after each call (recomputing their
 * deadlines), so that every operation here costs O(1) on average (the
 * heap: O(log n)) plus the few SAs touched since. */
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
 * table owns it from then on.  The SA is touched. */
int	sa_table_add(struct sa_table *, struct ike_sa *sa);
/* Unlinks sa from every index, the heap and the touched list (the
 * caller frees it). */
void	sa_table_remove(struct sa_table *, struct ike_sa *sa);
/* The SA with our SPI local_spi, or NULL; it is touched. */
struct ike_sa *sa_table_find(struct sa_table *, uint64_t local_spi);
/* A responder SA created by the IKE_SA_INIT request of spi_i from
 * remote (address and port), or NULL; it is touched. */
struct ike_sa *sa_table_find_init(struct sa_table *, uint64_t spi_i,
	    const struct ike_addr *remote);
/* The SA whose handle is h now, or NULL; not touched (sa_table_touch()
 * it before changing it). */
struct ike_sa *sa_table_find_handle(const struct sa_table *, uint32_t h);
size_t	sa_table_count(const struct sa_table *);
/* Responder SAs still waiting for IKE_AUTH (s. 2.6: cookie threshold). */
size_t	sa_table_half_open(const struct sa_table *);
/* Calls fn for every SA; fn may remove (and free) the SA it is given. */
void	sa_table_foreach(struct sa_table *,
	    void (*fn)(struct ike_sa *, void *), void *arg);

/* Marks sa (one of the table's) as touched. */
void	sa_table_touch(struct sa_table *, struct ike_sa *sa);
/* Takes one SA off the touched list and files it under its handle,
 * peer SPI and state as they are now; NULL when none is left.  Its
 * heap place is still the old one: sa_table_set_deadline() it. */
struct ike_sa *sa_table_touched_next(struct sa_table *);
/* Calls fn for every touched SA. */
void	sa_table_touched_foreach(const struct sa_table *,
	    void (*fn)(const struct ike_sa *, void *), void *arg);

/* Files sa in the deadline heap at t; UINT64_MAX takes it out.
 * IKE_ENOMEM (sa is then out of the heap). */
int	sa_table_set_deadline(struct sa_table *, struct ike_sa *sa,
	    uint64_t t);
/* The earliest deadline in the heap, UINT64_MAX when it is empty. */
uint64_t sa_table_next_deadline(const struct sa_table *);
/* Takes the SA with the earliest deadline out of the heap if that
 * deadline is <= now, and returns it touched; else NULL. */
struct ike_sa *sa_table_pop_due(struct sa_table *, uint64_t now);

#endif
