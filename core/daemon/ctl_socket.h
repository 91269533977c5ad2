/* core/daemon/ctl_socket.h: the control socket's file: binding it with
 * mode 0600, replacing a stale one left by a killed daemon, and removing
 * it at exit. */
#ifndef IKE_CTL_SOCKET_H
#define IKE_CTL_SOCKET_H

#include <stddef.h>
#include <sys/types.h>

struct ctl_socket {
	int	fd;	/* listening, non-blocking, close-on-exec */
	dev_t	dev;	/* the socket file, to remove only our own */
	ino_t	ino;
};

/* Binds and listens on path.  A socket file nobody accepts on is
 * replaced.  Errors, with a sentence in err: IKE_EINVAL path too long
 * for a socket address; IKE_EEXIST a process accepts connections there,
 * or path is not a socket; IKE_ESYS with errno. */
int	ctl_socket_open(const char *path, struct ctl_socket *out, char *err,
	    size_t errlen);

/* Removes path if it is still the file ctl_socket_open() made. */
void	ctl_socket_unlink(const char *path, const struct ctl_socket *);

#endif
