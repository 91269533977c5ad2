/* core/daemon/ctl_server.h: the daemon's side of the control socket.
 * Accepts clients on a listening socket, reads framed requests without
 * ever blocking the event loop, hands each well-formed request to a
 * handler and queues its reply.  Clients that break the protocol, send
 * too much, stall or hang up mid-request are dropped and counted. */
#ifndef IKE_CTL_SERVER_H
#define IKE_CTL_SERVER_H

#include <stdint.h>

#include "../codec/wr.h"
#include "../ctl/ctl_msg.h"

#define CTL_SERVER_MAX_CLIENTS	64
#define CTL_SERVER_IDLE_S	30	/* to complete a request */
#define CTL_SERVER_LINGER_S	5	/* to take a last reply before close */
#define CTL_SERVER_OUT_HIGH	(1u << 20)	/* stop reading above this */

struct event_base;
struct ctl_server;

/* Counters, shown by the STATUS request. */
struct ctl_stats {
	uint64_t	accepted;	/* connections taken */
	uint64_t	refused;	/* closed at accept: too many clients */
	uint64_t	requests;	/* well-formed requests answered */
	uint64_t	bad_version;	/* dropped: another protocol version */
	uint64_t	bad_header;	/* dropped: reserved bits, a reply */
	uint64_t	too_long;	/* dropped: body over CTL_REQ_MAX */
	uint64_t	malformed;	/* dropped: broken attributes */
	uint64_t	truncated;	/* hung up in the middle of a request */
	uint64_t	idle;		/* dropped: no request within idle_s */
	unsigned	clients;	/* connected now */
};

/* Builds the reply to req in reply, from ctl_begin(reply, req->type |
 * CTL_T_REPLY) on; the server calls ctl_end().  req borrows the
 * connection's buffer for the duration of the call. */
typedef void	ctl_handler_fn(void *arg, const struct ctl_msg *req,
		    struct wr *reply);

struct ctl_server_cfg {
	int		 fd;		/* listening, non-blocking */
	unsigned	 max_clients;	/* 0: CTL_SERVER_MAX_CLIENTS */
	unsigned	 idle_s;	/* 0: CTL_SERVER_IDLE_S */
	ctl_handler_fn	*handler;
	void		*arg;		/* borrowed, for handler */
};

/* On success the server owns cfg->fd and closes it in ctl_server_free();
 * on failure the caller still does. */
int	ctl_server_new(struct event_base *, const struct ctl_server_cfg *,
	    struct ctl_server **out);
/* Closes every client and the listening socket; NULL is fine. */
void	ctl_server_free(struct ctl_server *);
const struct ctl_stats *ctl_server_stats(const struct ctl_server *);

#endif
