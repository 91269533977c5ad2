/* core/ctl/ctl_client.c: connect to isakmpd, send one request, read one
 * reply with a deadline.  Blocking socket, every wait bounded by poll(). */
#include "ctl_client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../err.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0	/* the caller ignores SIGPIPE instead */
#endif

int
ctl_client_connect(const char *path, int *fd)
{
	struct sockaddr_un sun;
	int s, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return IKE_EINVAL;
	memcpy(sun.sun_path, path, strlen(path));
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return IKE_ESYS;
	if (fcntl(s, F_SETFD, FD_CLOEXEC) != 0 ||
	    connect(s, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		saved = errno;
		close(s);
		errno = saved;
		return saved == ENOENT || saved == ECONNREFUSED ?
		    IKE_ENOTFOUND : IKE_ESYS;
	}
	*fd = s;
	return 0;
}

static long long
now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on a POSIX system with it defined. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes. */
static int
wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long left;
	int n;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0) {
			errno = ETIMEDOUT;
			return IKE_ESYS;
		}
		n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return IKE_ESYS;
	}
}

static int
send_all(int fd, const uint8_t *p, size_t len, long long deadline)
{
	ssize_t n;
	int rc;

	while (len > 0) {
		if ((rc = wait_fd(fd, POLLOUT, deadline)) != 0)
			return rc;
		n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			return errno == EPIPE || errno == ECONNRESET ?
			    IKE_ESHORT : IKE_ESYS;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
recv_all(int fd, uint8_t *p, size_t len, long long deadline)
{
	ssize_t n;
	int rc;

	while (len > 0) {
		if ((rc = wait_fd(fd, POLLIN, deadline)) != 0)
			return rc;
		n = recv(fd, p, len, MSG_DONTWAIT);
		if (n == 0)
			return IKE_ESHORT;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN ||
			    errno == EWOULDBLOCK)
				continue;
			return errno == ECONNRESET ? IKE_ESHORT : IKE_ESYS;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Reads the reply's header and body; *body is new on success. */
static int
recv_reply(int fd, uint8_t want_type, long long deadline, uint8_t **body,
    uint32_t *body_len)
{
	uint8_t hdr[CTL_HDR_LEN], type, *b;
	uint32_t len;
	int rc;

	if ((rc = recv_all(fd, hdr, sizeof(hdr), deadline)) != 0)
		return rc;
	if ((rc = ctl_hdr_decode(hdr, CTL_REPLY_MAX, &type, &len)) != 0)
		return rc == IKE_EUNSUPP ? rc : IKE_EMALFORMED;
	if (type != want_type)
		return IKE_EMALFORMED;
	if ((b = malloc(len != 0 ? len : 1)) == NULL)
		return IKE_ENOMEM;
	if ((rc = recv_all(fd, b, len, deadline)) != 0) {
		free(b);
		return rc;
	}
	*body = b;
	*body_len = len;
	return 0;
}

int
ctl_client_call(int fd, const struct wr *req, int timeout_ms, uint8_t **buf,
    struct ctl_msg *reply)
{
	long long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct ctl_msg m;
	uint8_t *body, want;
	uint32_t len;
	int rc;

	if (wr_error(req) != 0 || req->len < CTL_HDR_LEN)
		return IKE_EINVAL;
	if (req->len - CTL_HDR_LEN > CTL_REQ_MAX)
		return IKE_ENOSPC;
	if ((rc = send_all(fd, req->buf, req->len, deadline)) != 0)
		return rc;
	want = (uint8_t)(req->buf[1] | CTL_T_REPLY);
	if ((rc = recv_reply(fd, want, deadline, &body, &len)) != 0)
		return rc;
	if (ctl_decode(want, body, len, &m) != 0 ||
	    ctl_count(&m, CTL_A_RESULT) != 1) {
		free(body);
		return IKE_EMALFORMED;
	}
	*buf = body;
	*reply = m;
	return 0;
}
