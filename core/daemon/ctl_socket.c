/* core/daemon/ctl_socket.c: the control socket file.  A daemon killed
 * with SIGKILL leaves its socket file behind; connecting to it is
 * refused, which tells a stale file from a live daemon. */
#include "ctl_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../err.h"

#define CTL_BACKLOG	16

static int
make_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return IKE_EINVAL;
	memcpy(sun->sun_path, path, strlen(path));
	return 0;
}

/* Connects to the socket file: 1 someone accepts, 0 refused (stale),
 * -1 another error (errno).  Non-blocking, so that a live daemon with a
 * full backlog cannot hang us: EAGAIN or EINPROGRESS means it lives. */
static int
probe(const struct sockaddr_un *sun)
{
	int s, rc, saved;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	rc = fcntl(s, F_SETFL, O_NONBLOCK);
	if (rc == 0)
		rc = connect(s, (const struct sockaddr *)sun, sizeof(*sun));
	saved = errno;
	close(s);
	errno = saved;
	if (rc == 0 || errno == EAGAIN || errno == EINPROGRESS)
		return 1;
	return errno == ECONNREFUSED || errno == ENOENT ? 0 : -1;
}

/* 0: nothing there (any stale socket removed); else an error. */
static int
clear_path(const char *path, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat st;
	int live;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return IKE_ESYS;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket", path);
		return IKE_EEXIST;
	}
	if ((live = probe(sun)) != 0) {
		if (live > 0)
			snprintf(err, errlen, "%s is in use: another process "
			    "accepts connections on it", path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return live > 0 ? IKE_EEXIST : IKE_ESYS;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		snprintf(err, errlen, "cannot remove the stale socket %s: %s",
		    path, strerror(errno));
		return IKE_ESYS;
	}
	return 0;
}

/* Binds with a umask that leaves only the owner's bits, so the file
 * never exists with a wider mode; chmod() then makes it exactly 0600. */
static int
bind_0600(int s, const char *path, const struct sockaddr_un *sun)
{
	mode_t old = umask(0177);
	int rc = bind(s, (const struct sockaddr *)sun, sizeof(*sun));
	int saved = errno;

	umask(old);
	errno = saved;
	if (rc != 0)
		return -1;
	return chmod(path, 0600);
}

static int
listen_on(const char *path, const struct sockaddr_un *sun,
    struct ctl_socket *out, char *err, size_t errlen)
{
	struct stat st;
	int s, fl;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return IKE_ESYS;
	}
	if (fcntl(s, F_SETFD, FD_CLOEXEC) != 0 ||
	    (fl = fcntl(s, F_GETFL)) < 0 ||
	    fcntl(s, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    bind_0600(s, path, sun) != 0 || listen(s, CTL_BACKLOG) != 0 ||
	    lstat(path, &st) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", path,
		    strerror(errno));
		close(s);
		return IKE_ESYS;
	}
	out->fd = s;
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	return 0;
}

int
ctl_socket_open(const char *path, struct ctl_socket *out, char *err,
    size_t errlen)
{
	struct sockaddr_un sun;
	int rc;

	if (make_addr(path, &sun) != 0) {
		snprintf(err, errlen, "%s: socket path longer than %zu bytes",
		    path, sizeof(sun.sun_path) - 1);
		return IKE_EINVAL;
	}
	if ((rc = clear_path(path, &sun, err, errlen)) != 0)
		return rc;
	return listen_on(path, &sun, out, err, errlen);
}

void
ctl_socket_unlink(const char *path, const struct ctl_socket *cs)
{
	struct stat st;

	if (lstat(path, &st) != 0 || st.st_dev != cs->dev ||
	    st.st_ino != cs->ino)
		return;		/* gone, or someone else's now */
	(void)unlink(path);	/* best effort: we are leaving */
}
