/* platform/linux/socket.c: IKE sockets for Linux.  Both directions get a
 * per-socket XFRM policy that allows the traffic without IPsec
 * (IP_XFRM_POLICY / IPV6_XFRM_POLICY, a policy with no template), so that
 * IKE is never caught by the policies it installs.  The NAT-T socket
 * also asks the kernel to decapsulate ESP-in-UDP (UDP_ENCAP_ESPINUDP,
 * RFC 3948); IKE messages keep their non-ESP marker. */
#include "linux.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../posix/udp.h"

static int
bypass(int fd, uint16_t family)
{
	struct xfrm_userpolicy_info pol;
	int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = family == AF_INET6 ? IPV6_XFRM_POLICY : IP_XFRM_POLICY;
	static const uint8_t dirs[] = { XFRM_POLICY_IN, XFRM_POLICY_OUT };
	size_t i;

	memset(&pol, 0, sizeof(pol));
	pol.sel.family = family;
	pol.lft.soft_byte_limit = pol.lft.hard_byte_limit = XFRM_INF;
	pol.lft.soft_packet_limit = pol.lft.hard_packet_limit = XFRM_INF;
	pol.action = XFRM_POLICY_ALLOW;
	for (i = 0; i < sizeof(dirs); i++) {
		pol.dir = dirs[i];
		if (setsockopt(fd, level, opt, &pol, sizeof(pol)) == -1) {
			log_err(LOG_NET, "IPsec bypass policy (%s) on the IKE "
			    "socket: %s", i == 0 ? "in" : "out",
			    strerror(errno));
			return IKE_ESYS;
		}
	}
	return 0;
}

int
linux_ike_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	int s, rc;

	(void)p;
	if ((rc = posix_udp_socket(local, &s)) != 0)
		return rc;
	if ((rc = bypass(s, local->family)) != 0) {
		close(s);
		return rc;
	}
	*fd = s;
	return 0;
}

int
linux_natt_socket(struct plat *p, const struct ike_addr *local, int *fd)
{
	int s, rc, type = UDP_ENCAP_ESPINUDP;

	if ((rc = linux_ike_socket(p, local, &s)) != 0)
		return rc;
	if (setsockopt(s, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) == -1) {
		log_err(LOG_NET, "ESP-in-UDP decapsulation (UDP_ENCAP) on the "
		    "NAT-T socket: %s", strerror(errno));
		close(s);
		return IKE_ESYS;
	}
	*fd = s;
	return 0;
}
