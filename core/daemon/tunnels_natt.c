/* core/daemon/tunnels_natt.c: the daemon's side of NAT traversal
 * (RFC 7296 s. 2.23, RFC 3948).
 *
 * With NAT-T on (isakmpd.conf ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2=YES, or
 * ENABLE_IPSEC_NAT_TRAVERSAL=YES: this daemon speaks IKEv2 only) each
 * local address in use gets a second socket next to its IKE socket,
 * bound to the NAT-T port of `v2=port-natport` and opened through
 * plat_natt_socket(), so that the kernel decapsulates the ESP-in-UDP
 * packets arriving on it.  What the kernel leaves to the socket:
 *
 *   0xFF (one octet)            a NAT keepalive: counted, dropped
 *   00 00 00 00 | IKE message   the marker goes, the message goes to
 *                               engine_input()
 *   anything else               counted, dropped
 *
 * IKE messages the engine sends from the NAT-T port get the marker in
 * front; its keepalives (one octet 0xFF, see engine.h) go out as they
 * are.  The engine learns the port, the switch and the keepalive
 * interval (NAT_KEEPALIVE_INTERVAL; 0: none) from tun_natt_limits(). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "../err.h"
#include "../log.h"
#include "isakmpd.h"
#include "tunnels_int.h"

#define NATT_MARKER_LEN	4	/* RFC 3948 s. 2.2: non-ESP marker */

static const uint8_t marker[NATT_MARKER_LEN];	/* four zero octets */

void
tun_natt_limits(const struct ike_conf *c, struct engine_limits *lim)
{
	lim->natt_off = !c->natt_v2 && !c->natt_v1;
	lim->natt_port = c->v2_natport;
	lim->keepalive_ms = c->nat_keepalive != 0 ?
	    (uint64_t)c->nat_keepalive * 1000 : ENGINE_KEEPALIVE_NEVER;
}

bool
tun_natt_on(const struct tunnels *t)
{
	return t->d->conf.natt_v2 || t->d->conf.natt_v1;
}

uint16_t
tun_natt_port(const struct tunnels *t)
{
	return t->d->conf.v2_natport;
}

bool
tun_natt_input(struct tun_sock *s, const uint8_t *buf, size_t len,
    size_t *off)
{
	if (len == 1 && buf[0] == 0xff) {
		s->rx_keepalives++;
		return false;
	}
	if (len <= NATT_MARKER_LEN ||
	    memcmp(buf, marker, NATT_MARKER_LEN) != 0) {
		s->rx_junk++;
		log_dbg(LOG_NET, "NAT-T socket: %zu octets without the non-ESP "
		    "marker dropped", len);
		return false;
	}
	*off = NATT_MARKER_LEN;
	return true;
}

int
tun_natt_send(const struct tun_sock *s, const struct sockaddr_storage *ss,
    unsigned int sl, const uint8_t *buf, size_t len)
{
	struct iovec iov[2];
	struct msghdr mh;
	bool ka = len == 1 && buf[0] == 0xff;

	memset(&mh, 0, sizeof(mh));
	iov[0].iov_base = (void *)marker;
	iov[0].iov_len = sizeof(marker);
	iov[1].iov_base = (void *)buf;
	iov[1].iov_len = len;
	mh.msg_name = (void *)ss;
	mh.msg_namelen = (socklen_t)sl;
	mh.msg_iov = ka ? &iov[1] : iov;	/* keepalive: no marker */
	mh.msg_iovlen = ka ? 1 : 2;
	if (sendmsg(s->fd, &mh, 0) < 0) {
		log_dbg(LOG_NET, "sendmsg (NAT-T): %s", strerror(errno));
		return IKE_ESYS;
	}
	return 0;
}
