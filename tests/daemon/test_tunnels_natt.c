/* tests/daemon/test_tunnels_natt.c: the daemon's NAT-T socket handling
 * (core/daemon/tunnels_natt.c): isakmpd.conf into engine limits; what
 * arrives on a NAT-T socket (keepalive, marker + IKE, junk); what leaves
 * it (marker in front of IKE, a keepalive bare), over real UDP sockets
 * on the loopback. */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/err.h"
#include "core/daemon/tunnels_int.h"

static void
limits_from_conf(void **state)
{
	struct engine_limits lim;
	struct ike_conf c;

	(void)state;
	conf_defaults(&c);
	memset(&lim, 0, sizeof(lim));
	tun_natt_limits(&c, &lim);
	assert_true(lim.natt_off);		/* off by default, as AIX */
	assert_int_equal(lim.natt_port, 4500);
	assert_true(lim.keepalive_ms == 20000);

	c.natt_v2 = true;
	c.v2_natport = 14500;
	c.nat_keepalive = 7;
	tun_natt_limits(&c, &lim);
	assert_false(lim.natt_off);
	assert_int_equal(lim.natt_port, 14500);
	assert_true(lim.keepalive_ms == 7000);

	c.natt_v2 = false;
	c.natt_v1 = true;	/* the older key turns it on as well */
	c.nat_keepalive = 0;	/* 0: no keepalives */
	tun_natt_limits(&c, &lim);
	assert_false(lim.natt_off);
	assert_true(lim.keepalive_ms == ENGINE_KEEPALIVE_NEVER);
}

static void
input_classified(void **state)
{
	static const uint8_t ka[1] = { 0xff };
	static const uint8_t ike[8] = { 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44 };
	static const uint8_t esp[8] = { 0, 0, 1, 0, 0, 0, 0, 1 };
	static const uint8_t zeros[4] = { 0, 0, 0, 0 };
	struct tun_sock s;
	size_t off = 99;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.natt = true;
	assert_false(tun_natt_input(&s, ka, sizeof(ka), &off));
	assert_int_equal(s.rx_keepalives, 1);
	assert_int_equal(off, 99);
	assert_true(tun_natt_input(&s, ike, sizeof(ike), &off));
	assert_int_equal(off, 4);
	off = 99;
	assert_false(tun_natt_input(&s, esp, sizeof(esp), &off));
	assert_false(tun_natt_input(&s, zeros, sizeof(zeros), &off));
	assert_false(tun_natt_input(&s, ka, 0, &off));
	assert_false(tun_natt_input(&s, (const uint8_t[]){ 0 }, 1, &off));
	assert_int_equal(s.rx_junk, 4);
	assert_int_equal(s.rx_keepalives, 1);
	assert_int_equal(off, 99);
}

static int
udp_bound(struct sockaddr_in *sin)
{
	socklen_t sl = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)sin, sizeof(*sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)sin, &sl), 0);
	return fd;
}

static void
send_marked(void **state)
{
	static const uint8_t msg[5] = { 1, 2, 3, 4, 5 };
	static const uint8_t ka[1] = { 0xff };
	struct sockaddr_storage ss;
	struct sockaddr_in rx;
	struct tun_sock s;
	uint8_t buf[64];
	ssize_t n;
	int rfd;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.natt = true;
	s.fd = udp_bound(&rx);
	rfd = udp_bound(&rx);
	memset(&ss, 0, sizeof(ss));
	memcpy(&ss, &rx, sizeof(rx));
	assert_int_equal(tun_natt_send(&s, &ss, sizeof(rx), msg,
	    sizeof(msg)), 0);
	n = recv(rfd, buf, sizeof(buf), 0);
	assert_int_equal(n, 4 + sizeof(msg));
	assert_memory_equal(buf, ((const uint8_t[]){ 0, 0, 0, 0 }), 4);
	assert_memory_equal(buf + 4, msg, sizeof(msg));
	assert_int_equal(tun_natt_send(&s, &ss, sizeof(rx), ka, 1), 0);
	n = recv(rfd, buf, sizeof(buf), 0);
	assert_int_equal(n, 1);
	assert_int_equal(buf[0], 0xff);
	close(s.fd);
	s.fd = -1;	/* a failing send reports IKE_ESYS */
	assert_int_equal(tun_natt_send(&s, &ss, sizeof(rx), msg,
	    sizeof(msg)), IKE_ESYS);
	close(rfd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_from_conf),
		cmocka_unit_test(input_classified),
		cmocka_unit_test(send_marked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
