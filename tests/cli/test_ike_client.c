/* The subcommands that talk to isakmpd, against a fake daemon: a thread
 * that accepts one connection on a Unix socket, keeps the request and
 * answers with a prepared reply (or none).  Checks the request's
 * attributes, the printed reply, the exit status, and what happens when
 * the daemon misbehaves or is not there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/ike/args.h"
#include "cli/ike/client.h"
#include "cli/ike/exitcode.h"
#include "core/ctl/ctl_msg.h"
#include "core/err.h"
#include "fakectl.h"
#include "tests/lib/testutil.h"

static char dir[64], sock[100];
static struct fakectl F;
static struct ike_args A;
static char *out, *err;

#define reply_begin(t, r, m1, m2)	fakectl_reply(&F, t, r, m1, m2)
#define reply_tunnel(p, n, s, l, r, d)	fakectl_tunnel(&F, p, n, s, l, r, d)

/* Parses line, runs it against the fake daemon, keeps the output. */
static int
run(const char *line)
{
	static char buf[512];
	char *argv[16], *p;
	int argc = 0, rc;
	size_t olen, elen;
	struct args_error e;
	FILE *fo, *fe;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "ike";
	for (p = strtok(buf, " "); p != NULL && argc < 15; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	if (args_parse(argc, argv, &A, &e) != 0)
		fail_msg("'%s': %s", line, e.msg);
	free(out);
	free(err);
	assert_non_null(fo = open_memstream(&out, &olen));
	assert_non_null(fe = open_memstream(&err, &elen));
	assert_int_equal(fakectl_start(&F), 0);
	rc = client_run(&A, sock, fo, fe);
	if (fakectl_stop(&F) != 0)
		fail_msg("'%s': no well-formed request", line);
	fclose(fo);
	fclose(fe);
	return rc;
}

static uint8_t
req_u8(uint16_t tag)
{
	uint8_t v = 0;

	assert_int_equal(ctl_get_u8(&F.msg, tag, &v), 0);
	return v;
}

static uint32_t
req_u32(uint16_t tag)
{
	uint32_t v = 0;

	assert_int_equal(ctl_get_u32(&F.msg, tag, &v), 0);
	return v;
}

static const char *
req_str(uint16_t tag, size_t n)
{
	static char b[512];

	assert_int_equal(ctl_get_str_nth(&F.msg, tag, n, b, sizeof(b)), 0);
	return b;
}

static int
setup(void **state)
{
	(void)state;
	if (tu_mkdtemp(dir, sizeof(dir), "client") != 0)
		return -1;
	snprintf(sock, sizeof(sock), "%s/s.sock", dir);
	fakectl_init(&F, sock);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fakectl_free(&F);
	free(out);
	free(err);
	return tu_rmrf(dir);
}

/* ------------------------------------------------------ the requests */

static void
activate_request_and_refusal(void **state)
{
	(void)state;
	reply_begin(CTL_T_ACTIVATE, CTL_R_UNSUPPORTED,
	    "isakmpd: activate is not yet supported", NULL);
	assert_int_equal(run("cmd=activate phase=2 numlist=1,3,5-7 "
	    "namelist=AIXFW1_DM,remote_office"), IKE_EXIT_REFUSED);
	assert_string_equal(out, "");
	assert_string_equal(err, "isakmpd: activate is not yet supported\n");
	assert_int_equal(F.req_type, CTL_T_ACTIVATE);
	assert_int_equal(req_u8(CTL_A_PHASE), 2);
	assert_int_equal(ctl_count(&F.msg, CTL_A_RANGE), 3);
	{
		uint32_t lo, hi;

		assert_int_equal(ctl_get_range_nth(&F.msg, 0, &lo, &hi), 0);
		assert_true(lo == 1 && hi == 1);
		assert_int_equal(ctl_get_range_nth(&F.msg, 1, &lo, &hi), 0);
		assert_true(lo == 3 && hi == 3);
		assert_int_equal(ctl_get_range_nth(&F.msg, 2, &lo, &hi), 0);
		assert_true(lo == 5 && hi == 7);
	}
	assert_int_equal(ctl_count(&F.msg, CTL_A_NAME), 2);
	assert_string_equal(req_str(CTL_A_NAME, 0), "AIXFW1_DM");
	assert_string_equal(req_str(CTL_A_NAME, 1), "remote_office");
	assert_int_equal(ctl_count(&F.msg, CTL_A_FLAGS), 0);
	assert_int_equal(ctl_count(&F.msg, CTL_A_REMID), 0);
}

static void
activate_remid_is_sent_as_typed(void **state)
{
	(void)state;
	reply_begin(CTL_T_ACTIVATE, CTL_R_OK, "negotiation started", NULL);
	assert_int_equal(run("cmd=activate phase=1 remid=C=US,O=IBM,CN=host"),
	    IKE_EXIT_OK);
	assert_string_equal(out, "negotiation started\n");
	assert_string_equal(err, "");
	assert_string_equal(req_str(CTL_A_REMID, 0), "C=US,O=IBM,CN=host");
	assert_int_equal(req_u8(CTL_A_PHASE), 1);
	/* Nothing else: the daemon resolves the id. */
	assert_int_equal(ctl_count(&F.msg, CTL_A_RANGE), 0);
	assert_int_equal(ctl_count(&F.msg, CTL_A_NAME), 0);
	assert_int_equal(ctl_count(&F.msg, CTL_A_IPSRC), 0);
	assert_int_equal(ctl_count(&F.msg, CTL_A_IPDST), 0);
}

static void
activate_ipaddr_and_autostart(void **state)
{
	(void)state;
	reply_begin(CTL_T_ACTIVATE, CTL_R_EXISTS, "tunnel 1 exists already",
	    NULL);
	assert_int_equal(run("cmd=activate ipaddr=2001:DB8::1,2001:db8::2"),
	    IKE_EXIT_REFUSED);
	assert_string_equal(err, "tunnel 1 exists already\n");
	assert_string_equal(req_str(CTL_A_IPSRC, 0), "2001:db8::1");
	assert_string_equal(req_str(CTL_A_IPDST, 0), "2001:db8::2");
	assert_int_equal(ctl_count(&F.msg, CTL_A_PHASE), 0);

	reply_begin(CTL_T_ACTIVATE, CTL_R_OK, NULL, NULL);
	assert_int_equal(run("cmd=activate autostart"), IKE_EXIT_OK);
	assert_string_equal(out, "");
	assert_int_equal(req_u32(CTL_A_FLAGS), CTL_F_AUTOSTART);
}

static void
remove_and_log_requests(void **state)
{
	(void)state;
	reply_begin(CTL_T_REMOVE, CTL_R_OK, "2 tunnels removed", NULL);
	assert_int_equal(run("cmd=remove phase=2 all"), IKE_EXIT_OK);
	assert_int_equal(F.req_type, CTL_T_REMOVE);
	assert_int_equal(req_u8(CTL_A_PHASE), 2);
	assert_int_equal(req_u32(CTL_A_FLAGS), CTL_F_ALL);
	assert_string_equal(out, "2 tunnels removed\n");

	reply_begin(CTL_T_LOG, CTL_R_OK, "log level: events", NULL);
	assert_int_equal(run("cmd=log"), IKE_EXIT_OK);
	assert_int_equal(F.req_type, CTL_T_LOG);
	assert_int_equal(F.req_len, CTL_HDR_LEN);	/* no attributes */
	assert_string_equal(out, "log level: events\n");
	assert_string_equal(err, "");
}

static void
list_request(void **state)
{
	(void)state;
	reply_begin(CTL_T_LIST, CTL_R_OK, NULL, NULL);
	assert_int_equal(run("cmd=list"), IKE_EXIT_OK);
	assert_int_equal(F.req_type, CTL_T_LIST);
	assert_int_equal(req_u8(CTL_A_PHASE), 3);	/* "1+" */
	assert_int_equal(ctl_count(&F.msg, CTL_A_FLAGS), 0);
	assert_int_equal(ctl_count(&F.msg, CTL_A_ROLE), 0);
	/* No tunnels: nothing at all on standard output. */
	assert_string_equal(out, "");

	reply_begin(CTL_T_LIST, CTL_R_OK, NULL, NULL);
	assert_int_equal(run("cmd=list phase=1 role=r verbose numlist=4"),
	    IKE_EXIT_OK);
	assert_int_equal(req_u8(CTL_A_PHASE), 1);
	assert_int_equal(req_u8(CTL_A_ROLE), 'r');
	assert_int_equal(req_u32(CTL_A_FLAGS), CTL_F_VERBOSE);
	assert_int_equal(ctl_count(&F.msg, CTL_A_RANGE), 1);
}

/* ------------------------------------------------------- the replies */

static void
list_reply_concise(void **state)
{
	(void)state;
	reply_begin(CTL_T_LIST, CTL_R_OK, "2 tunnels", NULL);
	reply_tunnel(1, 1, "Active", "192.0.2.1", "198.51.100.7", "Initiator");
	reply_tunnel(2, 1, "Active", "192.0.2.1-192.0.2.1",
	    "198.51.100.7-198.51.100.7", NULL);
	reply_tunnel(1, 2, "Negotiating", "192.0.2.1", "", NULL);
	assert_int_equal(run("cmd=list"), IKE_EXIT_OK);
	assert_string_equal(out,
	    "Phase  Tun Id  Status      Local Id                        "
	    "Remote Id\n"
	    "1      1       Active      192.0.2.1                       "
	    "198.51.100.7\n"
	    "2      1       Active      192.0.2.1-192.0.2.1             "
	    "198.51.100.7-198.51.100.7\n"
	    "1      2       Negotiating 192.0.2.1                       \n");
	/* Messages of a listing go to stderr: stdout is only the list. */
	assert_string_equal(err, "2 tunnels\n");
}

static void
list_reply_verbose(void **state)
{
	(void)state;
	reply_begin(CTL_T_LIST, CTL_R_OK, NULL, NULL);
	reply_tunnel(1, 7, "Active", "a.example", "b.example", "Responder");
	reply_tunnel(2, 9, "Expired", "10.0.0.1-10.0.0.1", "10.0.0.2-10.0.0.2",
	    "Responder");
	assert_int_equal(run("cmd=list verbose"), IKE_EXIT_OK);
	assert_string_equal(out,
	    "Phase: 1\nTun Id: 7\nStatus: Active\nLocal Id: a.example\n"
	    "Remote Id: b.example\nRole: Responder\n"
	    "Encryption: AES-GCM-256\n"
	    "\n"
	    "Phase: 2\nTun Id: 9\nStatus: Expired\n"
	    "Local Id: 10.0.0.1-10.0.0.1\nRemote Id: 10.0.0.2-10.0.0.2\n"
	    "Role: Responder\nEncryption: AES-GCM-256\n");
}

static void
refusal_without_message(void **state)
{
	(void)state;
	reply_begin(CTL_T_REMOVE, CTL_R_FAILED, NULL, NULL);
	assert_int_equal(run("cmd=remove"), IKE_EXIT_REFUSED);
	assert_string_equal(err, "ike: isakmpd refused the request (failed)\n");
	assert_string_equal(out, "");
	/* A list that fails prints no rows even if some came along. */
	reply_begin(CTL_T_LIST, CTL_R_FAILED, "cannot list", NULL);
	reply_tunnel(1, 1, "Active", "x", "y", NULL);
	assert_int_equal(run("cmd=list"), IKE_EXIT_REFUSED);
	assert_string_equal(out, "");
	assert_string_equal(err, "cannot list\n");
}

static void
malformed_replies(void **state)
{
	size_t m;

	(void)state;
	/* A tunnel without its number. */
	reply_begin(CTL_T_LIST, CTL_R_OK, NULL, NULL);
	reply_tunnel(1, 1, "Active", "a", "b", NULL);
	m = ctl_nest_begin(&F.reply, CTL_A_TUNNEL);
	ctl_put_u8(&F.reply, CTL_A_T_PHASE, 1);
	ctl_put_str(&F.reply, CTL_A_T_STATUS, "Active");
	ctl_nest_end(&F.reply, m);
	assert_int_equal(run("cmd=list"), IKE_EXIT_SYSTEM);
	assert_string_equal(out, "");	/* checked before printing */
	assert_string_equal(err, "ike: malformed reply from isakmpd\n");

	/* A phase that does not exist. */
	reply_begin(CTL_T_LIST, CTL_R_OK, NULL, NULL);
	reply_tunnel(3, 1, "Active", "a", "b", NULL);
	assert_int_equal(run("cmd=list"), IKE_EXIT_SYSTEM);
	assert_string_equal(out, "");

	/* A reply to another request. */
	reply_begin(CTL_T_LOG, CTL_R_OK, NULL, NULL);
	assert_int_equal(run("cmd=list"), IKE_EXIT_SYSTEM);
	assert_non_null(strstr(err, "malformed reply from isakmpd at "));
	assert_non_null(strstr(err, sock));
}

static void
daemon_hangs_up(void **state)
{
	char want[512];

	(void)state;
	fakectl_noreply(&F);
	assert_int_equal(run("cmd=log"), IKE_EXIT_SYSTEM);
	snprintf(want, sizeof(want), "ike: isakmpd at %s closed the "
	    "connection without answering\n", sock);
	assert_string_equal(err, want);
}

static void
no_daemon(void **state)
{
	char want[512];
	FILE *fe;
	size_t elen;
	int fd;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	(void)state;
	free(err);
	assert_non_null(fe = open_memstream(&err, &elen));
	assert_int_equal(client_run(&A, sock, stdout, fe), IKE_EXIT_SYSTEM);
	fclose(fe);
	snprintf(want, sizeof(want), "ike: isakmpd is not running (no daemon "
	    "at %s)\n", sock);
	assert_string_equal(err, want);
	/* A socket file left behind by a dead daemon: the same. */
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock);
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	free(err);
	assert_non_null(fe = open_memstream(&err, &elen));
	assert_int_equal(client_run(&A, sock, stdout, fe), IKE_EXIT_SYSTEM);
	fclose(fe);
	assert_string_equal(err, want);
	unlink(sock);
}

static void
socket_path_too_long(void **state)
{
	char path[200], want[300];
	FILE *fe;
	size_t elen;

	(void)state;
	memset(path, 'x', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	free(err);
	assert_non_null(fe = open_memstream(&err, &elen));
	assert_int_equal(client_run(&A, path, stdout, fe), IKE_EXIT_SYSTEM);
	fclose(fe);
	snprintf(want, sizeof(want), "ike: socket path %s is too long\n",
	    path);
	assert_string_equal(err, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(activate_request_and_refusal),
		cmocka_unit_test(activate_remid_is_sent_as_typed),
		cmocka_unit_test(activate_ipaddr_and_autostart),
		cmocka_unit_test(remove_and_log_requests),
		cmocka_unit_test(list_request),
		cmocka_unit_test(list_reply_concise),
		cmocka_unit_test(list_reply_verbose),
		cmocka_unit_test(refusal_without_message),
		cmocka_unit_test(malformed_replies),
		cmocka_unit_test(daemon_hangs_up),
		cmocka_unit_test(no_daemon),
		cmocka_unit_test(socket_path_too_long),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
