/* platform/mem/mem.h: the in-memory backend, and what tests may ask it.
 *
 * The backend keeps what the core asks the kernel to do in tables of its
 * own, so that daemons can negotiate without a kernel: SAs (keyed by
 * dst + SPI + protocol; reserved SPIs are "larval" SAs), policies (keyed
 * by src + dst + dir), counters, and real UDP sockets.  It forwards no
 * traffic: counters change only through mem_sa_set_stats(), an expiry
 * comes from the add_s lifetimes (timers on the event loop) or from
 * mem_inject_expire(), an acquire only from mem_inject_acquire().  The
 * backend copies the keys it is given and wipes its copies when their SA
 * goes (delete, update of a larval SA, flush, hard expiry, close).
 *
 * Every function below takes the struct plat that plat_open("mem", ...)
 * returned; given another backend's, it does nothing and returns
 * IKE_EINVAL, 0 or NULL.  Pointers returned are borrowed: valid until the
 * next call that changes the backend's tables (plat_* calls, injected
 * hard expiries, plat_close()). */
#ifndef IKE_PLAT_MEM_H
#define IKE_PLAT_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../core/platform.h"

extern const struct plat_ops plat_mem_ops;

/* The backend calls, for counting and for injected failures. */
enum mem_op {
	MEM_OP_ANY = 0,		/* mem_fail_next(): whichever is next */
	MEM_OP_SPI_ALLOC,
	MEM_OP_SA_ADD,
	MEM_OP_SA_UPDATE,
	MEM_OP_SA_DELETE,
	MEM_OP_SA_STATS,
	MEM_OP_POLICY_ADD,
	MEM_OP_POLICY_DELETE,
	MEM_OP_IKE_SOCKET,
	MEM_OP_NATT_SOCKET,
	MEM_OP_FLUSH_OWN,
	MEM_OP_COUNT
};

/* One SA as the backend holds it.  sa.encr_key and sa.integ_key point
 * to the backend's own copies (NULL for a larval SA).  A larval SA has
 * only sa.id, sa.src and sa.dir (PLAT_IN) set. */
struct mem_sa {
	struct plat_sa		 sa;
	struct plat_sa_stats	 stats;
	bool			 larval;	/* not yet updated */
};

/* Installed SAs; larval ones are not counted. */
size_t	mem_sa_count(const struct plat *);
/* SPIs reserved by plat_spi_alloc() and not yet plat_sa_update()d. */
size_t	mem_larval_count(const struct plat *);
size_t	mem_policy_count(const struct plat *);

/* The SA (installed or larval) named by id, or NULL (dst.port is
 * ignored). */
const struct mem_sa *mem_sa_find(const struct plat *,
	    const struct plat_sa_id *);
/* The policy named by key's (src, dst, dir), or NULL. */
const struct plat_policy *mem_policy_find(const struct plat *,
	    const struct plat_policy *key);

/* Calls fn for every SA (larval ones included) or policy in the order
 * they were added; stops at the first non-zero return and returns it.
 * fn must not change the backend. */
int	mem_sa_foreach(const struct plat *,
	    int (*fn)(const struct mem_sa *, void *), void *arg);
int	mem_policy_foreach(const struct plat *,
	    int (*fn)(const struct plat_policy *, void *), void *arg);

/* Sets the counters plat_sa_stats() reports.  IKE_ENOTFOUND if no SA. */
int	mem_sa_set_stats(struct plat *, const struct plat_sa_id *,
	    const struct plat_sa_stats *);

/* Queues an expiry of an SA (installed or larval) or an acquire; the
 * upcall runs from the event loop, never from inside this call.  At
 * delivery a hard expiry removes the SA first, as a kernel does; an
 * event whose SA (or, for an acquire, whose outbound PLAT_PROTECT policy
 * with reqid) is gone by then is dropped.  IKE_ENOTFOUND if there is no
 * such SA or policy now. */
int	mem_inject_expire(struct plat *, const struct plat_sa_id *,
	    bool hard);
int	mem_inject_acquire(struct plat *, uint32_t reqid,
	    const struct ike_ts *src, const struct ike_ts *dst);
/* Upcalls queued and not yet delivered. */
size_t	mem_pending_upcalls(const struct plat *);

/* Makes the next call of kind op (any kind: MEM_OP_ANY) that reaches the
 * backend fail with err (< 0), changing nothing.  Once.  IKE_EINVAL for
 * err >= 0 or an unknown op. */
int	mem_fail_next(struct plat *, enum mem_op op, int err);
/* Calls of kind op that reached the backend (failed ones included);
 * MEM_OP_ANY: all of them. */
unsigned long mem_calls(const struct plat *, enum mem_op op);

/* Limits plat_spi_alloc() to lo..hi (default 256..0xffffffff), so that
 * tests can exhaust it.  IKE_EINVAL for lo < 256 or lo > hi. */
int	mem_spi_range(struct plat *, uint32_t lo, uint32_t hi);

#endif
