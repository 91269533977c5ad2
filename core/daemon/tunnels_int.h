/* core/daemon/tunnels_int.h: what tunnels.c and tunnels_start.c share. */
#ifndef IKE_DAEMON_TUNNELS_INT_H
#define IKE_DAEMON_TUNNELS_INT_H

#include "../ike/engine.h"
#include "../tunnel/tm.h"
#include "tunnels.h"

#define TUN_MAX_SOCKS	32	/* local addresses in use */
#define TUN_MAX_EXPIRED	64	/* failed entries kept for listing */

struct tun_sock {
	struct tunnels		*owner;		/* borrowed */
	int			 fd;		/* owned */
	struct ike_addr		 local;		/* bound, with port */
	struct event		*ev;		/* owned */
};

/* What the responder callbacks chose during one engine_input(), for
 * the events the same call reports. */
struct tun_stash {
	bool		 p1, p2;
	uint32_t	 p1_def, p2_def;
	char		 p1_name[DB_NAME_MAX], p2_name[DB_NAME_MAX];
};

struct tunnels {
	struct isakmpd		*d;		/* borrowed: owns this */
	struct ike_engine	*eng;		/* owned */
	struct tm_table		 tm;
	struct tun_sock		 socks[TUN_MAX_SOCKS];
	size_t			 nsocks;
	struct event		*timer;		/* owned */
	struct tun_stash	 stash;
	struct engine_callbacks	 cb;		/* the engine borrows it */
	uint16_t		 port;		/* isakmpd.conf v2 port */
};

uint64_t	tun_now_ms(void);
/* Re-arms the timer at engine_next_deadline(); call after every engine
 * call. */
void		tun_timer_update(struct tunnels *);
/* The socket bound to local (opened if need be); NULL on failure. */
struct tun_sock	*tun_sock_get(struct tunnels *, const struct ike_addr *);

#endif
