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
	bool			 natt;		/* the NAT-T socket: non-ESP
						 * marker, keepalives */
	uint64_t		 rx_keepalives;	/* NAT-T: 0xFF dropped */
	uint64_t		 rx_junk;	/* NAT-T: no marker, dropped */
};

/* What the responder callbacks chose during one engine_input(), for
 * the events the same call reports. */
struct tun_stash {
	bool		 p1, p2;
	uint32_t	 p1_def, p2_def;
	char		 p1_name[DB_NAME_MAX], p2_name[DB_NAME_MAX];
};

/* An installed trap policy of an on-demand phase-2 definition. */
struct tun_trap {
	uint32_t		 def;		/* definition number */
	struct plat_policy	 pol;
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
	uint16_t		 v1_port;	/* isakmpd.conf v1 port */
	uint64_t		 mm_log_ms;	/* last MAIN_MODE_REQUIRES_IP
						 * refusal logged at events
						 * level (once a minute) */
	uint64_t		 cert_log_ms;	/* the same for a signature
						 * definition we cannot
						 * answer (tunnels.c) */
	struct tun_trap		*traps;		/* owned array */
	size_t			 ntraps, traps_cap;
	struct event		*db_poll;	/* owned: database changes */
	uint64_t		 db_gen;	/* db_generation() seen */
};

/* Removes every trap policy (tunnels_trap.c). */
void		tunnels_traps_free(struct tunnels *);

/* NAT traversal (tunnels_natt.c).  The engine's NAT-T settings from
 * isakmpd.conf; whether NAT-T is on and its port. */
struct ike_conf;
struct sockaddr_storage;
void		tun_natt_limits(const struct ike_conf *,
		    struct engine_limits *);
bool		tun_natt_on(const struct tunnels *);
uint16_t	tun_natt_port(const struct tunnels *);
/* A datagram read from a NAT-T socket: true with *off past the non-ESP
 * marker for an IKE message; false for a keepalive or junk (counted in
 * s, dropped). */
bool		tun_natt_input(struct tun_sock *s, const uint8_t *buf,
		    size_t len, size_t *off);
/* Sends buf from the NAT-T socket s to ss: an IKE message behind the
 * marker, a keepalive (one octet 0xFF) as it is.  0 or IKE_ESYS. */
int		tun_natt_send(const struct tun_sock *s,
		    const struct sockaddr_storage *ss, unsigned int sl,
		    const uint8_t *buf, size_t len);

/* IKEv1 (tunnels_v1.c).  The IKE port of version (IKE_VERSION_1:
 * isakmpd.conf's v1= port; otherwise its v2= port). */
uint16_t	tun_port(const struct tunnels *, uint8_t version);
/* Whether c is an IKEv1 Main Mode configuration. */
bool		tun_v1_main_mode(const struct ike_cfg *c);
/* Responder, message 1: the key of an IKEv1 Main Mode out matched by
 * address to definition tun.  0 (nothing to do, or for a Group the key
 * of tm_mm_group_psk() put in out), IKE_ENOTFOUND (refused and logged:
 * a Group definition under MAIN_MODE_REQUIRES_IP=YES, or no key). */
struct db_txn;
int		tun_v1_mm_key(struct tunnels *, struct db_txn *,
		    const struct db_ike_tunnel *tun,
		    const struct ike_addr *remote, struct ike_cfg *out);
/* The name of an IKEv1 error notification (RFC 2408 s. 3.14.1), as
 * listed ("NO_PROPOSAL_CHOSEN"), or NULL. */
const char	*tun_v1_notify_name(uint16_t n);
/* Logs the Aggressive Mode warning for phase-1 tunnel num (name). */
void		tun_v1_warn_aggressive(const char *what, unsigned num,
		    const char *name);

uint64_t	tun_now_ms(void);
/* Re-arms the timer at engine_next_deadline(); call after every engine
 * call. */
void		tun_timer_update(struct tunnels *);
/* The socket bound to local (opened if need be); NULL on failure. */
struct tun_sock	*tun_sock_get(struct tunnels *, const struct ike_addr *);

#endif
