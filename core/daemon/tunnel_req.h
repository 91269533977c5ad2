/* core/daemon/tunnel_req.h: ACTIVATE, LIST and REMOVE
 * (docs/control-protocol.md) over the daemon's tunnels (tunnels.h), and
 * the start of the autostart definitions. */
#ifndef IKE_DAEMON_TUNNEL_REQ_H
#define IKE_DAEMON_TUNNEL_REQ_H

#include "../codec/wr.h"
#include "../ctl/ctl_msg.h"

struct isakmpd;

/* Handlers for requests already checked by requests.c: each writes
 * CTL_A_RESULT and its messages or tunnels. */
void	treq_activate(struct isakmpd *, const struct ctl_msg *, struct wr *);
void	treq_list(struct isakmpd *, const struct ctl_msg *, struct wr *);
void	treq_remove(struct isakmpd *, const struct ctl_msg *, struct wr *);
/* Starts every definition flagged autostart; outcomes are logged. */
void	treq_autostart(struct isakmpd *);

#endif
