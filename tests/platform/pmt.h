/* tests/platform/pmt.h: what the mem-backend tests share: an open
 * backend on its own event loop, records to start from, and a recorder of
 * upcalls. */
#ifndef IKE_TEST_PMT_H
#define IKE_TEST_PMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/platform.h"

#define PMT_MAX_UP	16

struct pmt_up {			/* one upcall as it arrived */
	bool			 acquire;
	struct plat_sa_id	 id;
	bool			 hard;
	bool			 sa_present;	/* mem_sa_find() then */
	uint32_t		 reqid;
	struct ike_ts		 src, dst;
};

struct pmt {
	struct event_base	*base;
	struct plat		*p;
	struct ike_key		*ekey, *ikey;	/* for pmt_sa() */
	struct pmt_up		 up[PMT_MAX_UP];
	size_t			 nup;
	/* Called from the sa_expired upcall when set (re-entrancy tests). */
	void			(*on_expire)(struct pmt *,
				    const struct plat_sa_id *);
	bool			 stop_on_hard;	/* loopbreak then */
};

/* cmocka setup/teardown: *state becomes a struct pmt with "mem" open,
 * upcalls recorded. */
int	pmt_setup(void **state);
int	pmt_teardown(void **state);

struct ike_addr	 pmt_addr(const char *text);	/* IPv4 or IPv6 */
/* start..end, all ports, protocol proto. */
struct ike_ts	 pmt_ts(const char *start, const char *end, uint8_t proto);

/* An outbound ESP SA 192.0.2.1 -> 192.0.2.2, tunnel mode, AES-GCM-16
 * with a 128-bit key (20 octets with the salt), reqid 7. */
struct plat_sa	 pmt_sa(const struct pmt *, uint32_t spi);
/* An outbound protect policy 10.1.0.0/16 -> 10.2.0.0/16, ESP tunnel
 * 192.0.2.1 -> 192.0.2.2, reqid 7. */
struct plat_policy pmt_policy(void);

/* Runs the event loop once (EVLOOP_NONBLOCK | EVLOOP_ONCE). */
void	pmt_loop_once(struct pmt *);

#endif
