/* The sockets of the in-memory backend are real bound UDP sockets: a
 * datagram sent from one to another on the loopback arrives; they are
 * non-blocking and close-on-exec; IPv6 ones are IPv6-only; a port taken
 * or an address not on the host is refused. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/err.h"
#include "platform/mem/mem.h"
#include "pmt.h"

typedef int (*sock_fn)(struct plat *, const struct ike_addr *, int *);

static uint16_t
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	assert_int_equal(ss.ss_family, AF_INET6);
	return ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
}

static void
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
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(a->port);
		memcpy(&sin6->sin6_addr, a->addr, 16);
		*len = sizeof(*sin6);
	}
}

/* Two sockets from fn on addr; a datagram from the first reaches the
 * second, which sees the first's port as the source. */
static void
exchange(struct pmt *t, sock_fn fn, const char *addr)
{
	struct ike_addr a = pmt_addr(addr), b = a;
	struct sockaddr_storage ss, from;
	socklen_t sl, fl = sizeof(from);
	struct pollfd pfd;
	char buf[64];
	int fa = -1, fb = -1;

	assert_int_equal(fn(t->p, &a, &fa), 0);
	assert_int_equal(fn(t->p, &b, &fb), 0);
	b.port = bound_port(fb);
	assert_true(b.port != 0);
	assert_true(fcntl(fa, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fa, F_GETFD) & FD_CLOEXEC);
	to_sockaddr(&b, &ss, &sl);
	assert_int_equal(sendto(fa, "IKE_SA_INIT", 11, 0,
	    (struct sockaddr *)&ss, sl), 11);
	pfd.fd = fb;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(recvfrom(fb, buf, sizeof(buf), 0,
	    (struct sockaddr *)&from, &fl), 11);
	assert_memory_equal(buf, "IKE_SA_INIT", 11);
	assert_int_equal(from.ss_family, a.family);
	if (a.family == AF_INET)
		assert_int_equal(ntohs(((struct sockaddr_in *)(void *)&from)
		    ->sin_port), bound_port(fa));
	/* Non-blocking: nothing more to read returns at once. */
	assert_true(recv(fb, buf, sizeof(buf), 0) == -1);
	close(fa);
	close(fb);
}

static void
ike_socket_v4(void **state)
{
	struct pmt *t = *state;

	exchange(t, plat_ike_socket, "127.0.0.1");
	assert_int_equal(mem_calls(t->p, MEM_OP_IKE_SOCKET), 2);
}

static void
ike_socket_v6(void **state)
{
	exchange(*state, plat_ike_socket, "::1");
}

static void
natt_socket_v4_and_v6(void **state)
{
	struct pmt *t = *state;

	exchange(t, plat_natt_socket, "127.0.0.1");
	exchange(t, plat_natt_socket, "::1");
	assert_int_equal(mem_calls(t->p, MEM_OP_NATT_SOCKET), 4);
}

/* The chosen port is the one bound; IPv4 and IPv6 can share it, since
 * the IPv6 socket is IPv6-only; a second IPv4 bind of it is refused. */
static void
port_binding(void **state)
{
	struct pmt *t = *state;
	struct ike_addr v4 = pmt_addr("127.0.0.1"), v6 = pmt_addr("::");
	int f4 = -1, f6 = -1, again = -9;
	int on = 0;
	socklen_t ol = sizeof(on);

	assert_int_equal(plat_ike_socket(t->p, &v4, &f4), 0);
	v4.port = v6.port = bound_port(f4);
	close(f4);
	assert_int_equal(plat_ike_socket(t->p, &v4, &f4), 0);
	assert_int_equal(bound_port(f4), v4.port);
	assert_int_equal(plat_natt_socket(t->p, &v6, &f6), 0);
	assert_int_equal(bound_port(f6), v6.port);
	assert_int_equal(getsockopt(f6, IPPROTO_IPV6, IPV6_V6ONLY, &on, &ol),
	    0);
	assert_int_equal(on, 1);
	assert_int_equal(plat_ike_socket(t->p, &v4, &again), IKE_ESYS);
	assert_int_equal(again, -9);			/* untouched */
	close(f4);
	close(f6);
}

static void
socket_refused(void **state)
{
	struct pmt *t = *state;
	struct ike_addr a = pmt_addr("192.0.2.77");  /* not on this host */
	struct ike_addr none;
	int fd = -9;

	memset(&none, 0, sizeof(none));
	assert_int_equal(plat_ike_socket(t->p, &a, &fd), IKE_ESYS);
	assert_int_equal(plat_natt_socket(t->p, &a, &fd), IKE_ESYS);
	assert_int_equal(plat_ike_socket(t->p, &none, &fd), IKE_EINVAL);
	assert_int_equal(plat_natt_socket(t->p, &none, &fd), IKE_EINVAL);
	assert_int_equal(plat_ike_socket(t->p, &a, NULL), IKE_EINVAL);
	assert_int_equal(plat_natt_socket(NULL, &a, &fd), IKE_EINVAL);
	assert_int_equal(fd, -9);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, pmt_setup, pmt_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(ike_socket_v4),
		T(ike_socket_v6),
		T(natt_socket_v4_and_v6),
		T(port_binding),
		T(socket_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
