/* platform/mem/mem.c: the in-memory backend: opening and closing, its
 * sockets, flushing, and the test controls (injected failures, call
 * counts, SPI range).  The tables live in mem_sa.c and mem_policy.c, the
 * upcall queue in mem_upcall.c. */
#include "mem_int.h"

#include <stdlib.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../posix/udp.h"

struct plat *
mem_of(const struct plat *p)
{
	if (p == NULL || p->ops != &plat_mem_ops)
		return NULL;
	return (struct plat *)(uintptr_t)p;
}

int
mem_enter(struct plat *p, enum mem_op op)
{
	int err;

	p->calls[op]++;
	if (p->fail_err == 0 ||
	    (p->fail_op != MEM_OP_ANY && p->fail_op != op))
		return 0;
	err = p->fail_err;
	p->fail_err = 0;
	log_dbg(LOG_KNL, "mem: failing call %d as asked: %s", (int)op,
	    ike_strerror(err));
	return err;
}

static int
mem_open(struct plat **out, struct event_base *base,
    const struct plat_upcalls *up)
{
	struct plat *p;
	int rc;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return IKE_ENOMEM;
	p->ops = &plat_mem_ops;
	p->base = base;
	if (up != NULL)
		p->up = *up;
	p->spi_lo = 256;
	p->spi_hi = UINT32_MAX;
	p->q_tail = &p->q_head;
	if ((rc = mem_upcall_init(p)) != 0) {
		free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void
mem_close(struct plat *p)
{
	mem_upcall_free(p);
	mem_sa_flush(p);
	mem_policy_flush(p);
	free(p->sa_b);
	free(p->pol_b);
	free(p);
}

static int
mem_spi_alloc(struct plat *p, const struct ike_addr *src,
    const struct ike_addr *dst, uint8_t proto, uint32_t *spi)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_SPI_ALLOC)) != 0)
		return rc;
	return mem_sa_spi_alloc(p, src, dst, proto, spi);
}

static int
mem_add(struct plat *p, const struct plat_sa *sa)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_SA_ADD)) != 0)
		return rc;
	return mem_sa_add(p, sa);
}

static int
mem_update(struct plat *p, const struct plat_sa *sa)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_SA_UPDATE)) != 0)
		return rc;
	return mem_sa_update(p, sa);
}

static int
mem_delete(struct plat *p, const struct plat_sa_id *id)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_SA_DELETE)) != 0)
		return rc;
	return mem_sa_delete(p, id);
}

static int
mem_stats(struct plat *p, const struct plat_sa_id *id,
    struct plat_sa_stats *out)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_SA_STATS)) != 0)
		return rc;
	return mem_sa_stats(p, id, out);
}

static int
mem_pol_add(struct plat *p, const struct plat_policy *pol)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_POLICY_ADD)) != 0)
		return rc;
	return mem_policy_add(p, pol);
}

static int
mem_pol_delete(struct plat *p, const struct plat_policy *pol)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_POLICY_DELETE)) != 0)
		return rc;
	return mem_policy_delete(p, pol);
}

/* Without kernel IPsec there is no policy to bypass: a plain socket. */
static int
mem_ike_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_IKE_SOCKET)) != 0)
		return rc;
	return posix_udp_socket(local, fd);
}

/* The mem backend cannot decapsulate ESP: its NAT-T socket is a plain
 * UDP socket too.  IKE messages behind the non-ESP marker arrive on it
 * as on any socket; ESP-in-UDP datagrams would reach the reader as
 * they are (no peer sends them, since no SA carries traffic here). */
static int
mem_natt_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_NATT_SOCKET)) != 0)
		return rc;
	return posix_udp_socket(local, fd);
}

/* Everything in the tables is this instance's: the memory is not shared
 * with an earlier run. */
static int
mem_flush_own(struct plat *p)
{
	int rc;

	if ((rc = mem_enter(p, MEM_OP_FLUSH_OWN)) != 0)
		return rc;
	mem_sa_flush(p);
	mem_policy_flush(p);
	return 0;
}

/* Memory carries any tunnel. */
static int
mem_kernel_check(struct plat *p, char *why, size_t n)
{
	(void)p;
	(void)why;
	(void)n;
	return 0;
}

const struct plat_ops plat_mem_ops = {
	.name = "mem",
	.open = mem_open,
	.close = mem_close,
	.spi_alloc = mem_spi_alloc,
	.sa_add = mem_add,
	.sa_update = mem_update,
	.sa_delete = mem_delete,
	.sa_stats = mem_stats,
	.policy_add = mem_pol_add,
	.policy_delete = mem_pol_delete,
	.ike_socket = mem_ike_socket,
	.natt_socket = mem_natt_socket,
	.flush_own = mem_flush_own,
	.kernel_check = mem_kernel_check,
};

/* ------------------------------------------------------------ controls */

int
mem_fail_next(struct plat *p, enum mem_op op, int err)
{
	if ((p = mem_of(p)) == NULL || err >= 0 || op < MEM_OP_ANY ||
	    op >= MEM_OP_COUNT)
		return IKE_EINVAL;
	p->fail_op = op;
	p->fail_err = err;
	return 0;
}

unsigned long
mem_calls(const struct plat *cp, enum mem_op op)
{
	const struct plat *p = mem_of(cp);
	unsigned long n = 0;
	int i;

	if (p == NULL || op < MEM_OP_ANY || op >= MEM_OP_COUNT)
		return 0;
	if (op != MEM_OP_ANY)
		return p->calls[op];
	for (i = 0; i < MEM_OP_COUNT; i++)
		n += p->calls[i];
	return n;
}

int
mem_spi_range(struct plat *p, uint32_t lo, uint32_t hi)
{
	if ((p = mem_of(p)) == NULL || lo < 256 || lo > hi)
		return IKE_EINVAL;
	p->spi_lo = lo;
	p->spi_hi = hi;
	return 0;
}
