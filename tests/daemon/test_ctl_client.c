/* The client side of the control socket against a fake daemon (the
 * other end of a socketpair, or a socket file nobody serves): what it
 * sends, and each way a reply can go wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "tests/lib/testutil.h"

struct pair {
	int	client, server;
};

static int
setup(void **state)
{
	struct pair *p = calloc(1, sizeof(*p));
	int sv[2];

	if (p == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
		free(p);
		return -1;
	}
	signal(SIGPIPE, SIG_IGN);
	p->client = sv[0];
	p->server = sv[1];
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct pair *p = *state;

	if (p->client >= 0)
		close(p->client);
	if (p->server >= 0)
		close(p->server);
	free(p);
	return 0;
}

static void
status_request(struct wr *w)
{
	wr_init(w, 0);
	ctl_begin(w, CTL_T_STATUS);
	assert_int_equal(ctl_end(w), 0);
}

/* Queues a reply of the given type with nresults RESULT attributes. */
static void
queue_reply(int fd, uint8_t version, uint8_t type, int nresults)
{
	struct wr w;
	int i;

	wr_init(&w, 0);
	ctl_begin(&w, type);
	for (i = 0; i < nresults; i++)
		ctl_put_u32(&w, CTL_A_RESULT, CTL_R_OK);
	ctl_put_str(&w, CTL_A_MESSAGE, "hello");
	assert_int_equal(ctl_end(&w), 0);
	w.buf[0] = version;
	assert_int_equal(write(fd, w.buf, w.len), (ssize_t)w.len);
	wr_free(&w);
}

static void
good_reply(void **state)
{
	struct pair *p = *state;
	struct ctl_msg m;
	struct wr req;
	uint8_t *buf = NULL, got[64];
	uint32_t r;
	char s[16];

	status_request(&req);
	queue_reply(p->server, CTL_VERSION, CTL_T_STATUS | CTL_T_REPLY, 1);
	assert_int_equal(ctl_client_call(p->client, &req, 2000, &buf, &m), 0);
	assert_int_equal(m.type, CTL_T_STATUS | CTL_T_REPLY);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &r), 0);
	assert_int_equal(r, CTL_R_OK);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, s, sizeof(s)),
	    0);
	assert_string_equal(s, "hello");
	/* What the fake daemon received is the request, byte for byte. */
	assert_int_equal(read(p->server, got, sizeof(got)), (ssize_t)req.len);
	assert_memory_equal(got, req.buf, req.len);
	free(buf);
	wr_free(&req);
}

static void
expect_call(struct pair *p, int want)
{
	struct ctl_msg m;
	struct wr req;
	uint8_t *buf = NULL;

	status_request(&req);
	assert_int_equal(ctl_client_call(p->client, &req, 2000, &buf, &m),
	    want);
	assert_null(buf);
	wr_free(&req);
}

static void
reply_of_another_type(void **state)
{
	struct pair *p = *state;

	queue_reply(p->server, CTL_VERSION, CTL_T_LIST | CTL_T_REPLY, 1);
	expect_call(p, IKE_EMALFORMED);
}

static void
reply_without_or_with_two_results(void **state)
{
	struct pair *p = *state;

	queue_reply(p->server, CTL_VERSION, CTL_T_STATUS | CTL_T_REPLY, 0);
	expect_call(p, IKE_EMALFORMED);
	queue_reply(p->server, CTL_VERSION, CTL_T_STATUS | CTL_T_REPLY, 2);
	expect_call(p, IKE_EMALFORMED);
}

static void
reply_of_another_version(void **state)
{
	struct pair *p = *state;

	queue_reply(p->server, 2, CTL_T_STATUS | CTL_T_REPLY, 1);
	expect_call(p, IKE_EUNSUPP);
}

static void
daemon_hangs_up_mid_reply(void **state)
{
	static const uint8_t part[] = { 1, 0x85, 0, 0, 0, 0, 0, 40, 0, 64 };
	struct pair *p = *state;

	assert_int_equal(write(p->server, part, sizeof(part)),
	    (ssize_t)sizeof(part));
	close(p->server);
	p->server = -1;
	expect_call(p, IKE_ESHORT);
}

static void
reply_with_broken_attributes(void **state)
{
	/* RESULT with 3 bytes of value. */
	static const uint8_t bad[] = { 1, 0x85, 0, 0, 0, 0, 0, 7,
	    0, 64, 0, 3, 0, 0, 0 };
	struct pair *p = *state;

	assert_int_equal(write(p->server, bad, sizeof(bad)),
	    (ssize_t)sizeof(bad));
	expect_call(p, IKE_EMALFORMED);
}

static void
silent_daemon_times_out(void **state)
{
	struct pair *p = *state;
	struct timespec a, b;
	struct ctl_msg m;
	struct wr req;
	uint8_t *buf = NULL;
	long ms;

	status_request(&req);
	clock_gettime(CLOCK_MONOTONIC, &a);
	errno = 0;
	assert_int_equal(ctl_client_call(p->client, &req, 300, &buf, &m),
	    IKE_ESYS);
	assert_int_equal(errno, ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 250 && ms < 5000);
	wr_free(&req);
}

static void
oversized_request_is_not_sent(void **state)
{
	struct pair *p = *state;
	char *big = malloc(40000);
	struct ctl_msg m;
	struct wr req;
	uint8_t *buf = NULL;
	ssize_t n;

	assert_non_null(big);
	memset(big, 'n', 39999);
	big[39999] = '\0';
	wr_init(&req, 0);
	ctl_begin(&req, CTL_T_ACTIVATE);
	ctl_put_str(&req, CTL_A_NAME, big);
	ctl_put_str(&req, CTL_A_NAME, big);
	assert_int_equal(ctl_end(&req), 0);
	assert_int_equal(ctl_client_call(p->client, &req, 500, &buf, &m),
	    IKE_ENOSPC);
	n = recv(p->server, big, 1, MSG_DONTWAIT);
	assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
	wr_free(&req);
	free(big);
}

static void
connect_errors(void **state)
{
	struct sockaddr_un sun;
	char dir[256], path[512], longp[200];
	int fd = -1, s;

	(void)state;
	assert_int_equal(tu_mkdtemp(dir, sizeof(dir), "ctlclient"), 0);
	snprintf(path, sizeof(path), "%s/none.sock", dir);
	errno = 0;
	assert_int_equal(ctl_client_connect(path, &fd), IKE_ENOTFOUND);
	assert_int_equal(errno, ENOENT);
	/* A socket file left behind, nobody listening: refused. */
	snprintf(path, sizeof(path), "%s/stale.sock", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path));
	assert_true((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(s);
	assert_int_equal(ctl_client_connect(path, &fd), IKE_ENOTFOUND);
	assert_int_equal(errno, ECONNREFUSED);
	/* Too long for sun_path. */
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(ctl_client_connect(longp, &fd), IKE_EINVAL);
	assert_int_equal(fd, -1);
	assert_int_equal(tu_rmrf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_of_another_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    reply_without_or_with_two_results, setup, teardown),
		cmocka_unit_test_setup_teardown(reply_of_another_version, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(daemon_hangs_up_mid_reply,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(reply_with_broken_attributes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(silent_daemon_times_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(oversized_request_is_not_sent,
		    setup, teardown),
		cmocka_unit_test(connect_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
