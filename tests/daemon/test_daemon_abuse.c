/* Clients that break the control protocol: garbage, a huge length, a bad
 * version, reserved bits, broken attributes, a hang-up mid-request, too
 * many connections, an idle client, a client that does not read.  After
 * each, the daemon still answers a well-behaved client, and the counter
 * for that misbehaviour moved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

#define IDLE_S	2

static int
setup(void **state)
{
	static const char *const env[] = { "IKE_CTL_IDLE_TIMEOUT=2", NULL };

	return td_fixture(state, "dabuse", "log_level=events\n", env, 1);
}

static int
teardown(void **state)
{
	return td_fixture_free(state);
}

static void
still_serves(const struct td *t)
{
	assert_int_equal(td_simple(t->sock, CTL_T_STATUS, NULL, 0), CTL_R_OK);
}

/* Sends bytes, expects the daemon to answer USAGE saying why and close
 * the connection, and the counter to move by one. */
static void
expect_drop(const struct td *t, const void *bytes, size_t n,
    const char *counter, const char *why)
{
	uint64_t before = td_counter(t->sock, counter);
	uint8_t rx[1024];
	struct ctl_msg m;
	uint32_t r, len;
	uint8_t type;
	size_t got = 0;
	char msg[256];

	assert_true(before != UINT64_MAX);
	assert_int_equal(td_raw(t->sock, bytes, n, 3000, rx, sizeof(rx),
	    &got), 1);
	assert_true(got >= CTL_HDR_LEN);
	assert_int_equal(ctl_hdr_decode(rx, sizeof(rx), &type, &len), 0);
	assert_int_equal(got, CTL_HDR_LEN + len);
	assert_true(type & CTL_T_REPLY);
	assert_int_equal(ctl_decode(type, rx + CTL_HDR_LEN, len, &m), 0);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &r), 0);
	assert_int_equal(r, CTL_R_USAGE);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, msg,
	    sizeof(msg)), 0);
	if (strstr(msg, why) == NULL)
		fail_msg("reply \"%s\" lacks \"%s\"", msg, why);
	still_serves(t);
	assert_int_equal(td_counter(t->sock, counter), before + 1);
}

static void
garbage_bytes(void **state)
{
	static const char get[] = "GET / HTTP/1.0\r\n\r\n";
	struct td *t = *state;

	expect_drop(t, get, sizeof(get) - 1, "dropped_bad_version",
	    "protocol version 71 is not supported (this isakmpd speaks "
	    "version 1)");
}

static void
bad_version(void **state)
{
	static const uint8_t v2[] = { 2, CTL_T_STATUS, 0, 0, 0, 0, 0, 0 };
	static const uint8_t v0[] = { 0, CTL_T_STATUS, 0, 0, 0, 0, 0, 0 };
	struct td *t = *state;

	expect_drop(t, v2, sizeof(v2), "dropped_bad_version",
	    "protocol version 2 is not supported");
	expect_drop(t, v0, sizeof(v0), "dropped_bad_version",
	    "protocol version 0 is not supported");
}

static void
huge_length(void **state)
{
	static const uint8_t huge[] = { 1, CTL_T_LIST, 0, 0,
	    0xff, 0xff, 0xff, 0xff };
	/* CTL_REQ_MAX + 1 = 65537 */
	static const uint8_t over[] = { 1, CTL_T_LIST, 0, 0, 0, 1, 0, 1 };
	struct td *t = *state;

	expect_drop(t, huge, sizeof(huge), "dropped_too_long",
	    "request body of 4294967295 bytes exceeds the limit of 65536");
	expect_drop(t, over, sizeof(over), "dropped_too_long",
	    "request body of 65537 bytes exceeds the limit of 65536");
}

static void
reserved_bits_and_reply_types(void **state)
{
	static const uint8_t rsv[] = { 1, CTL_T_STATUS, 0, 1, 0, 0, 0, 0 };
	static const uint8_t zero[] = { 1, 0, 0, 0, 0, 0, 0, 0 };
	struct td *t = *state;

	expect_drop(t, rsv, sizeof(rsv), "dropped_bad_header",
	    "reserved header bits are not zero");
	expect_drop(t, zero, sizeof(zero), "dropped_bad_header",
	    "message type 0 is not a request");
}

static void
malformed_attributes(void **state)
{
	/* An attribute that claims 200 bytes in a 5-byte body. */
	static const uint8_t overlong[] = { 1, CTL_T_LIST, 0, 0, 0, 0, 0, 5,
	    0, CTL_A_PHASE, 0, 200, 1 };
	/* Three bytes: not even an attribute header. */
	static const uint8_t stub[] = { 1, CTL_T_LIST, 0, 0, 0, 0, 0, 3,
	    0, 1, 0 };
	/* A nested KV whose inner attribute runs past its end. */
	static const uint8_t nested[] = { 1, CTL_T_LIST, 0, 0, 0, 0, 0, 9,
	    0, CTL_A_KV, 0, 5, 0, CTL_A_KEY, 0, 9, 'k' };
	/* A phase of two bytes. */
	static const uint8_t size[] = { 1, CTL_T_LIST, 0, 0, 0, 0, 0, 6,
	    0, CTL_A_PHASE, 0, 2, 1, 1 };
	struct td *t = *state;

	expect_drop(t, overlong, sizeof(overlong), "dropped_malformed",
	    "malformed attributes in a list request");
	expect_drop(t, stub, sizeof(stub), "dropped_malformed", "malformed");
	expect_drop(t, nested, sizeof(nested), "dropped_malformed",
	    "malformed");
	expect_drop(t, size, sizeof(size), "dropped_malformed", "malformed");
}

/* Waits up to 3 s for a counter to reach want. */
static void
wait_counter(const struct td *t, const char *key, uint64_t want)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 150; i++) {
		if ((v = td_counter(t->sock, key)) == want)
			return;
		td_sleep_ms(20);
	}
	fail_msg("%s is %llu, want %llu", key, (unsigned long long)v,
	    (unsigned long long)want);
}

static void
truncated_then_disconnect(void **state)
{
	static const uint8_t part[] = { 1, CTL_T_LIST, 0, 0, 0, 0, 0, 100,
	    0, CTL_A_PHASE, 0, 1, 1 };
	static const uint8_t half_header[] = { 1, CTL_T_LIST, 0 };
	struct td *t = *state;
	uint64_t before = td_counter(t->sock, "dropped_truncated");
	int fd;

	assert_int_equal(ctl_client_connect(t->sock, &fd), 0);
	assert_int_equal(write(fd, part, sizeof(part)), (ssize_t)sizeof(part));
	close(fd);
	wait_counter(t, "dropped_truncated", before + 1);
	assert_int_equal(ctl_client_connect(t->sock, &fd), 0);
	assert_int_equal(write(fd, half_header, sizeof(half_header)),
	    (ssize_t)sizeof(half_header));
	close(fd);
	wait_counter(t, "dropped_truncated", before + 2);
	still_serves(t);
	/* A client that connects and leaves without a byte is no fault. */
	assert_int_equal(ctl_client_connect(t->sock, &fd), 0);
	close(fd);
	td_sleep_ms(200);
	assert_int_equal(td_counter(t->sock, "dropped_truncated"), before + 2);
}

/* 1 if the daemon closed fd within ms. */
static int
closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	return read(fd, &c, 1) <= 0;
}

static void
hundred_connections(void **state)
{
	enum { N = 100 };
	struct td *t = *state;
	uint64_t refused = td_counter(t->sock, "clients_refused");
	uint64_t accepted = td_counter(t->sock, "clients_accepted");
	int fds[N], i, closed = 0;
	char *log;

	/* Let the daemon see the STATUS connections above go away. */
	wait_counter(t, "clients", 1);
	td_sleep_ms(300);

	for (i = 0; i < N; i++)
		assert_int_equal(ctl_client_connect(t->sock, &fds[i]), 0);
	/* 64 are served; the daemon closes the rest at accept (well
	 * within the idle timeout of IDLE_S). */
	td_sleep_ms(500);
	for (i = 0; i < N; i++)
		closed += closed_within(fds[i], 0);
	assert_int_equal(closed, N - 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(closed_within(fds[i], 0), 0);
	for (i = 0; i < N; i++)
		close(fds[i]);
	wait_counter(t, "clients", 1);	/* the STATUS connection itself */
	assert_int_equal(td_counter(t->sock, "clients_refused"),
	    refused + N - 64);
	/* 64 of ours plus the STATUS requests since. */
	assert_true(td_counter(t->sock, "clients_accepted") >= accepted + 64);
	still_serves(t);
	log = td_errlog(t);
	assert_non_null(strstr(log, "64 control clients connected already: "
	    "refusing more"));
	free(log);
}

static void
idle_client_is_dropped(void **state)
{
	static const uint8_t part[] = { 1, CTL_T_STATUS, 0 };
	struct td *t = *state;
	uint64_t idle = td_counter(t->sock, "dropped_idle");
	uint64_t trunc = td_counter(t->sock, "dropped_truncated");
	int a, b;

	assert_int_equal(td_counter(t->sock, "clients_idle_timeout"), IDLE_S);
	/* One sends nothing, one sends part of a header and stalls. */
	assert_int_equal(ctl_client_connect(t->sock, &a), 0);
	assert_int_equal(ctl_client_connect(t->sock, &b), 0);
	assert_int_equal(write(b, part, sizeof(part)), (ssize_t)sizeof(part));
	/* Meanwhile others are served. */
	still_serves(t);
	assert_int_equal(closed_within(a, 500), 0);
	assert_int_equal(closed_within(a, (IDLE_S + 3) * 1000), 1);
	assert_int_equal(closed_within(b, 2000), 1);
	close(a);
	close(b);
	assert_int_equal(td_counter(t->sock, "dropped_idle"), idle + 2);
	assert_int_equal(td_counter(t->sock, "dropped_truncated"), trunc);
	still_serves(t);
}

/* 3000 STATUS requests in one go, replies read only afterwards: the
 * daemon stops reading while its output is full, never blocks, and
 * every reply arrives. */
static void
client_that_reads_late(void **state)
{
	enum { N = 3000 };
	struct td *t = *state;
	uint8_t *req = calloc(N, CTL_HDR_LEN), hdr[CTL_HDR_LEN], type;
	uint8_t *body = malloc(CTL_REPLY_MAX);
	struct pollfd p;
	uint32_t len;
	size_t sent = 0, n = 0, got, off = 0;
	int fd, i;

	assert_non_null(req);
	assert_non_null(body);
	for (i = 0; i < N; i++) {
		req[i * CTL_HDR_LEN] = CTL_VERSION;
		req[i * CTL_HDR_LEN + 1] = CTL_T_STATUS;
	}
	assert_int_equal(ctl_client_connect(t->sock, &fd), 0);
	/* Write all we can without reading. */
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	while (sent < (size_t)N * CTL_HDR_LEN && poll(&p, 1, 1000) > 0) {
		ssize_t w = write(fd, req + sent, (size_t)N * CTL_HDR_LEN -
		    sent);

		assert_true(w > 0);
		sent += (size_t)w;
	}
	assert_int_equal(sent, (size_t)N * CTL_HDR_LEN);
	/* The daemon stays responsive for others meanwhile. */
	still_serves(t);
	for (n = 0; n < N; n++) {
		for (got = 0; got < CTL_HDR_LEN; got += (size_t)i)
			assert_true((i = (int)read(fd, hdr + got,
			    CTL_HDR_LEN - got)) > 0);
		assert_int_equal(ctl_hdr_decode(hdr, CTL_REPLY_MAX, &type,
		    &len), 0);
		assert_int_equal(type, CTL_T_STATUS | CTL_T_REPLY);
		for (off = 0; off < len; off += (size_t)i)
			assert_true((i = (int)read(fd, body + off, len - off)) >
			    0);
	}
	close(fd);
	free(req);
	free(body);
	still_serves(t);
}

static void
misbehaviour_stays_out_of_the_log(void **state)
{
	static const uint8_t v2[] = { 2, CTL_T_STATUS, 0, 0, 0, 0, 0, 0 };
	struct td *t = *state;
	char *log;
	int i;

	for (i = 0; i < 20; i++)
		assert_int_equal(td_raw(t->sock, v2, sizeof(v2), 3000, NULL,
		    0, NULL), 1);
	still_serves(t);
	log = td_errlog(t);
	/* At level events, debug lines about clients do not appear. */
	assert_null(strstr(log, "dropped"));
	assert_null(strstr(log, "protocol version"));
	free(log);
	assert_int_equal(td_counter(t->sock, "dropped_bad_version"), 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(garbage_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_version, setup, teardown),
		cmocka_unit_test_setup_teardown(huge_length, setup, teardown),
		cmocka_unit_test_setup_teardown(reserved_bits_and_reply_types,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_attributes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(truncated_then_disconnect,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(hundred_connections, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(idle_client_is_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(client_that_reads_late, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    misbehaviour_stays_out_of_the_log, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
