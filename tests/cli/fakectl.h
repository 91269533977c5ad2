/* tests/cli/fakectl.h: a fake isakmpd for the ike tests: a thread that
 * accepts one connection on a Unix socket, keeps the request and
 * answers with a prepared reply (or closes without one). */
#ifndef IKE_TESTS_FAKECTL_H
#define IKE_TESTS_FAKECTL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ctl/ctl_msg.h"

struct fakectl {
	char		 path[100];	/* the socket */
	int		 lfd;
	pthread_t	 th;
	struct wr	 reply;		/* empty: close without answering */
	uint8_t		 req[CTL_HDR_LEN + CTL_REQ_MAX];
	size_t		 req_len;
	uint8_t		 req_type;
	struct ctl_msg	 msg;		/* the request's body, after stop */
};

void	fakectl_init(struct fakectl *, const char *path);
void	fakectl_free(struct fakectl *);
/* Prepares a reply to request type t with result r and up to two
 * messages (NULL: none); then fakectl_tunnel() adds tunnels. */
void	fakectl_reply(struct fakectl *, uint8_t t, uint32_t r,
	    const char *msg1, const char *msg2);
void	fakectl_noreply(struct fakectl *);
void	fakectl_tunnel(struct fakectl *, uint8_t phase, uint32_t num,
	    const char *status, const char *local, const char *remote,
	    const char *role);
/* Finishes the reply, listens and serves one connection. 0 or -1. */
int	fakectl_start(struct fakectl *);
/* Waits for that connection to end; decodes the request into msg.
 * 0, or -1 if no well-formed request arrived. */
int	fakectl_stop(struct fakectl *);

#endif
