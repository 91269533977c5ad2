/* core/daemon/tunnels.h: the daemon's IKE side: the engine, its UDP
 * sockets and timer on the event loop, the responder's choice of
 * definitions (core/tunnel/tm_cfg.h) and the active tunnel table
 * (core/tunnel/tm.h) kept from the engine's events.
 *
 * Sockets: one per local address in use, bound to that address and the
 * v2 port of isakmpd.conf, opened through plat_ike_socket() lazily (on
 * the first datagram sent from the address) and, at start, for every
 * local address the definitions name, so that a responder listens
 * without having sent anything.  Binding to a definite address tells
 * the local address of each datagram without IP_PKTINFO. */
#ifndef IKE_DAEMON_TUNNELS_H
#define IKE_DAEMON_TUNNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../codec/wr.h"
#include "../tunnel/tm.h"

struct isakmpd;
struct tunnels;

/* Creates the engine and opens the listening sockets of the
 * definitions in d's database.  Caller frees with tunnels_free(). */
int	tunnels_new(struct isakmpd *d, struct tunnels **out);
void	tunnels_free(struct tunnels *);		/* NULL is fine */
/* Opens the sockets of the local addresses the definitions in the
 * database name now (a responder must listen before anyone sends). */
void	tunnels_listen(struct tunnels *);

/* The outcome of starting one definition. */
enum tun_start {
	TUN_STARTED, TUN_EXISTS, TUN_FAILED, TUN_UNSUPPORTED
};

/* Starts the phase-2 definition num (with its phase 1): why gets a
 * sentence unless TUN_STARTED. */
enum tun_start tunnels_start_p2(struct tunnels *, uint32_t num, char *why,
	    size_t whylen);
/* Starts the phase-1 definition num with its first phase-2 definition
 * (IKEv2 creates the first Child SA inside IKE_AUTH). */
enum tun_start tunnels_start_p1(struct tunnels *, uint32_t num, char *why,
	    size_t whylen);

/* Updates what may change without an event (the SPIs of a rekeyed IKE
 * SA); call before listing. */
void	tunnels_refresh(struct tunnels *);
/* The table, for listing; borrowed. */
const struct tm_table *tunnels_table(const struct tunnels *);
/* Sends the Delete for an active entry, or drops an expired one.
 * IKE_ESTATE (still negotiating, or a request outstanding),
 * IKE_ENOTFOUND. */
int	tunnels_remove(struct tunnels *, uint8_t phase, uint32_t num);
/* Detail lines of one entry of t's table as CTL_A_KV pairs, with the
 * lifetime left and the kernel's counters of an active phase 2. */
void	tunnels_detail(struct tunnels *t, const struct tm_tunnel *,
	    struct wr *);

#endif
