/* platform/posix/udp.h: plain UDP sockets for the POSIX backends, which
 * add their own IPsec bypass and ESP-in-UDP options on top. */
#ifndef IKE_PLAT_POSIX_UDP_H
#define IKE_PLAT_POSIX_UDP_H

#include "../../core/platform.h"

/* A UDP socket of local's family bound to local's address and port (0:
 * the system chooses), non-blocking and close-on-exec; IPv6 sockets are
 * IPv6-only, so that an IPv4 socket can share the port.  IKE_ESYS (the
 * cause logged) if the system refuses.  The caller owns *fd. */
int	posix_udp_socket(const struct ike_addr *local, int *fd);

#endif
