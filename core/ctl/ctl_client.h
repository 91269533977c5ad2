/* core/ctl/ctl_client.h: the client side of the control socket, used by
 * the `ike` command (and tests). */
#ifndef IKE_CTL_CLIENT_H
#define IKE_CTL_CLIENT_H

#include <stdint.h>

#include "ctl_msg.h"

/* Connects to the daemon's socket at path.  IKE_ENOTFOUND when no daemon
 * listens there (no socket file, or connection refused); IKE_EINVAL for
 * a path too long for a socket address; IKE_ESYS for other failures
 * (errno is kept).  *fd is close-on-exec; the caller closes it. */
int	ctl_client_connect(const char *path, int *fd);

/* Sends the request built in req (ctl_begin() ... ctl_end()) and reads
 * one reply, waiting at most timeout_ms.  On success *buf is a new
 * buffer the caller frees, and *reply a view into it (its type is the
 * request's | CTL_T_REPLY, with exactly one CTL_A_RESULT).  Errors:
 * IKE_ENOSPC request body over CTL_REQ_MAX; IKE_ESHORT the daemon closed
 * the connection before a whole reply; IKE_EUNSUPP a reply of another
 * protocol version; IKE_EMALFORMED a broken reply; IKE_ESYS a system
 * error or the timeout (errno ETIMEDOUT).  The caller should ignore
 * SIGPIPE where MSG_NOSIGNAL does not exist. */
int	ctl_client_call(int fd, const struct wr *req, int timeout_ms,
	    uint8_t **buf, struct ctl_msg *reply);

#endif
