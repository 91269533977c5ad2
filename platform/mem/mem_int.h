/* platform/mem/mem_int.h: the in-memory backend's state, shared by its
 * files (mem.c: open, close, sockets, failures; mem_sa.c: SAs and SPIs;
 * mem_policy.c: policies; mem_upcall.c: the upcall queue).  Not for
 * anyone else: tests use mem.h. */
#ifndef IKE_PLAT_MEM_INT_H
#define IKE_PLAT_MEM_INT_H

#include "mem.h"

struct event;
struct ike_key;
struct mem_sa_rec;
struct mem_pol_rec;
struct mem_upcall;

/* The tables own their entries and keep them in the order added,
 * with hash chains (grown as they fill) for the lookups by name; the
 * queue (q_head, owned) is delivered by q_ev (owned). */
struct plat {
	const struct plat_ops	*ops;		/* must stay first */
	struct event_base	*base;		/* borrowed */
	struct plat_upcalls	 up;

	/* SAs: a list in the order added, hash chains by (SPI, proto). */
	struct mem_sa_rec	*sa_head, *sa_tail;
	struct mem_sa_rec	**sa_b;		/* owned array, sa_nb */
	size_t			 sa_nb, nsa, nlarval;
	/* Policies: the same, chains by (src, dst, dir). */
	struct mem_pol_rec	*pol_head, *pol_tail;
	struct mem_pol_rec	**pol_b;	/* owned array, pol_nb */
	size_t			 pol_nb, npol;

	struct mem_upcall	*q_head;	/* FIFO */
	struct mem_upcall	**q_tail;
	size_t			 nq;
	struct event		*q_ev;

	uint32_t		 spi_lo, spi_hi;
	enum mem_op		 fail_op;
	int			 fail_err;	/* 0: nothing armed */
	unsigned long		 calls[MEM_OP_COUNT];
};

/* p if it is the mem backend's state, else NULL. */
struct plat	*mem_of(const struct plat *);
/* Counts a call of kind op; the armed failure if it applies, else 0. */
int	mem_enter(struct plat *, enum mem_op op);

/* mem_sa.c */
int	mem_sa_spi_alloc(struct plat *, const struct ike_addr *src,
	    const struct ike_addr *dst, uint8_t proto, uint32_t *spi);
int	mem_sa_add(struct plat *, const struct plat_sa *);
int	mem_sa_update(struct plat *, const struct plat_sa *);
int	mem_sa_delete(struct plat *, const struct plat_sa_id *);
int	mem_sa_stats(struct plat *, const struct plat_sa_id *,
	    struct plat_sa_stats *);
/* Reports an expiry now (from the event loop only), removing the SA
 * first when hard; nothing if the SA is gone. */
void	mem_sa_expire(struct plat *, const struct plat_sa_id *, bool hard);
/* Frees every SA, wiping the keys. */
void	mem_sa_flush(struct plat *);

/* mem_policy.c */
int	mem_policy_add(struct plat *, const struct plat_policy *);
int	mem_policy_delete(struct plat *, const struct plat_policy *);
/* Whether an outbound PLAT_PROTECT policy with reqid exists. */
bool	mem_policy_acquires(const struct plat *, uint32_t reqid);
void	mem_policy_flush(struct plat *);

/* mem_upcall.c */
int	mem_upcall_init(struct plat *);
/* Drops what is queued and frees the event. */
void	mem_upcall_free(struct plat *);
/* Queues an expiry, delivered from the event loop. */
int	mem_upcall_expire(struct plat *, const struct plat_sa_id *,
	    bool hard);

#endif
