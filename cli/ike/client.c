#include "client.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "exitcode.h"
#include "reply.h"
#include "request.h"

static int
connect_failed(int rc, const char *sock, FILE *err)
{
	if (rc == IKE_ENOTFOUND)
		fprintf(err, "ike: isakmpd is not running (no daemon at %s)\n",
		    sock);
	else if (rc == IKE_EINVAL)
		fprintf(err, "ike: socket path %s is too long\n", sock);
	else
		fprintf(err, "ike: cannot connect to isakmpd at %s: %s\n",
		    sock, strerror(errno));
	return IKE_EXIT_SYSTEM;
}

static int
call_failed(int rc, const char *sock, FILE *err)
{
	if (rc == IKE_ESYS && errno == ETIMEDOUT)
		fprintf(err, "ike: isakmpd at %s did not answer within %d "
		    "seconds\n", sock, CLIENT_TIMEOUT_MS / 1000);
	else if (rc == IKE_ESYS)
		fprintf(err, "ike: talking to isakmpd at %s: %s\n", sock,
		    strerror(errno));
	else if (rc == IKE_ESHORT)
		fprintf(err, "ike: isakmpd at %s closed the connection "
		    "without answering\n", sock);
	else if (rc == IKE_EUNSUPP)
		fprintf(err, "ike: isakmpd at %s speaks another version of "
		    "the control protocol\n", sock);
	else if (rc == IKE_EMALFORMED)
		fprintf(err, "ike: malformed reply from isakmpd at %s\n",
		    sock);
	else
		fprintf(err, "ike: request to isakmpd at %s failed: %s\n",
		    sock, ike_strerror(rc));
	return IKE_EXIT_SYSTEM;
}

/* Connects, sends req and prints the reply. */
static int
exchange(const struct ike_args *a, const struct wr *req, const char *sock,
    FILE *out, FILE *err)
{
	struct ctl_msg reply;
	uint8_t *buf = NULL;
	int fd, rc;

	if ((rc = ctl_client_connect(sock, &fd)) != 0)
		return connect_failed(rc, sock, err);
#ifndef MSG_NOSIGNAL
	/* A daemon that goes away must not kill us with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
#endif
	rc = ctl_client_call(fd, req, CLIENT_TIMEOUT_MS, &buf, &reply);
	close(fd);
	if (rc != 0)
		return call_failed(rc, sock, err);
	rc = reply_print(&reply, a->verbose, out, err);
	free(buf);
	return rc;
}

int
client_run(const struct ike_args *a, const char *sock, FILE *out, FILE *err)
{
	struct wr req;
	int rc;

	wr_init(&req, CTL_HDR_LEN + CTL_REQ_MAX);
	if ((rc = request_build(a, &req)) != 0) {
		fprintf(err, "ike: cannot build the request: %s\n",
		    ike_strerror(rc));
		wr_free(&req);
		return IKE_EXIT_SYSTEM;
	}
	rc = exchange(a, &req, sock, out, err);
	wr_free(&req);
	return rc;
}
