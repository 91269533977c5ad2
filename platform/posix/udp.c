/* platform/posix/udp.c: see udp.h. */
#include "udp.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../plat_addr.h"

static int
to_sockaddr(const struct ike_addr *a, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)(void *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(a->port);
		memcpy(&sin->sin_addr, a->addr, 4);
		*len = sizeof(*sin);
		return 0;
	}
	if (a->family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->addr, 16);
		*len = sizeof(*sin6);
		return 0;
	}
	return IKE_EINVAL;
}

static int
set_options(int fd, int family)
{
	int flags, on = 1;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		return -1;
	if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
	    &on, sizeof(on)) == -1)
		return -1;
	return 0;
}

int
posix_udp_socket(const struct ike_addr *local, int *fd)
{
	struct sockaddr_storage ss;
	char as[PLAT_ADDR_STRLEN];
	socklen_t sl;
	int s, err;

	if (to_sockaddr(local, &ss, &sl) != 0)
		return IKE_EINVAL;
	if ((s = socket(local->family, SOCK_DGRAM, IPPROTO_UDP)) == -1) {
		log_err(LOG_NET, "socket: %s", strerror(errno));
		return IKE_ESYS;
	}
	if (set_options(s, local->family) == -1 ||
	    bind(s, (struct sockaddr *)&ss, sl) == -1) {
		err = errno;
		log_err(LOG_NET, "UDP socket on %s port %u: %s",
		    plat_addr_str(local, as, sizeof(as)), local->port,
		    strerror(err));
		close(s);
		return IKE_ESYS;
	}
	*fd = s;
	return 0;
}
