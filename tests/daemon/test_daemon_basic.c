/* A real isakmpd: STATUS, the socket's mode, LIST with its filters,
 * ACTIVATE and REMOVE without an IKE engine, unknown requests, several
 * requests on one connection, clean exit on SIGTERM and SIGINT, default
 * configuration, and daemon mode. */
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
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

static int
setup(void **state)
{
	return td_fixture(state, "dbasic", "log_level=events\n", NULL, 1);
}

static int
setup_no_start(void **state)
{
	return td_fixture(state, "dbasic", NULL, NULL, 0);
}

static int
teardown(void **state)
{
	return td_fixture_free(state);
}

/* A request with the attributes put by fn, on connection fd. */
static int
call(int fd, uint8_t type, void (*fn)(struct wr *), uint8_t **buf,
    struct ctl_msg *m)
{
	struct wr w;
	int rc;

	wr_init(&w, 0);
	ctl_begin(&w, type);
	if (fn != NULL)
		fn(&w);
	assert_int_equal(ctl_end(&w), 0);
	rc = ctl_client_call(fd, &w, 5000, buf, m);
	wr_free(&w);
	return rc;
}

/* Result and first message of a request on fd. */
static uint32_t
result_of(int fd, uint8_t type, void (*fn)(struct wr *), char *msg,
    size_t len)
{
	struct ctl_msg m;
	uint8_t *buf = NULL;
	uint32_t r = 0xffff;

	assert_int_equal(call(fd, type, fn, &buf, &m), 0);
	assert_int_equal(ctl_count(&m, CTL_A_RESULT), 1);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &r), 0);
	if (msg != NULL && ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, msg, len) !=
	    0)
		msg[0] = '\0';
	free(buf);
	return r;
}

static int
connect_to(const struct td *t)
{
	int fd = -1;

	assert_int_equal(ctl_client_connect(t->sock, &fd), 0);
	return fd;
}

static void
expect_kv(const struct td *t, const char *key, const char *want)
{
	char v[512];

	if (td_status(t->sock, key, v, sizeof(v)) != 0)
		fail_msg("STATUS has no %s", key);
	if (strcmp(v, want) != 0)
		fail_msg("STATUS %s: got \"%s\", want \"%s\"", key, v, want);
}

static void
status_answers(void **state)
{
	struct td *t = *state;
	struct ctl_msg m;
	uint8_t *buf = NULL;
	char pid[32], v[64];
	int fd = connect_to(t);

	assert_int_equal(call(fd, CTL_T_STATUS, NULL, &buf, &m), 0);
	assert_int_equal(m.type, CTL_T_STATUS | CTL_T_REPLY);
	assert_int_equal(ctl_count(&m, CTL_A_RESULT), 1);
	assert_true(ctl_count(&m, CTL_A_KV) >= 20);
	free(buf);
	close(fd);
	snprintf(pid, sizeof(pid), "%ld", (long)t->pid);
	expect_kv(t, "pid", pid);
	expect_kv(t, "backend", "mem");
	expect_kv(t, "log_level", "events");
	expect_kv(t, "database", t->db);
	expect_kv(t, "configuration", t->conf);
	expect_kv(t, "configuration_state", "read");
	expect_kv(t, "socket", t->sock);
	expect_kv(t, "pidfile", t->pidfile);
	expect_kv(t, "protocol", "1");
	expect_kv(t, "conf.v1", "500-4500");
	expect_kv(t, "clients_max", "64");
	expect_kv(t, "clients_idle_timeout", "30");
	assert_int_equal(td_status(t->sock, "version", v, sizeof(v)), 0);
	assert_true(strlen(v) > 0 && strcmp(v, "unknown") != 0);
	assert_int_equal(td_status(t->sock, "no_such_key", v, sizeof(v)), -1);
}

static void
socket_is_0600_and_pidfile_holds_pid(void **state)
{
	struct td *t = *state;
	struct stat st;
	char *text, want[32];

	assert_int_equal(lstat(t->sock, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_non_null(text = tu_read_file(t->pidfile, NULL));
	snprintf(want, sizeof(want), "%ld\n", (long)t->pid);
	assert_string_equal(text, want);
	free(text);
}

static void
put_list_filters(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 3);
	ctl_put_range(w, 1, 3);
	ctl_put_range(w, 5, 7);
	ctl_put_u8(w, CTL_A_ROLE, 'r');
	ctl_put_u32(w, CTL_A_FLAGS, CTL_F_VERBOSE);
}
static void
put_bad_phase(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 4);
}
static void
put_bad_role(struct wr *w)
{
	ctl_put_u8(w, CTL_A_ROLE, 'x');
}
static void
put_name(struct wr *w)
{
	ctl_put_str(w, CTL_A_NAME, "t1");
}
static void
put_all(struct wr *w)
{
	ctl_put_u32(w, CTL_A_FLAGS, CTL_F_ALL);
}
static void
put_bad_range(struct wr *w)
{
	ctl_put_range(w, 5, 3);
}
static void
put_two_phases(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 1);
	ctl_put_u8(w, CTL_A_PHASE, 2);
}

static void
list_is_ok_and_empty(void **state)
{
	struct td *t = *state;
	struct ctl_msg m;
	uint8_t *buf = NULL;
	char msg[256];
	uint64_t usage = td_counter(t->sock, "requests_usage");
	int fd = connect_to(t);

	assert_int_equal(call(fd, CTL_T_LIST, put_list_filters, &buf, &m), 0);
	assert_int_equal(m.type, CTL_T_LIST | CTL_T_REPLY);
	assert_int_equal(ctl_count(&m, CTL_A_RESULT), 1);
	assert_int_equal(ctl_count(&m, CTL_A_TUNNEL), 0);
	assert_int_equal(ctl_count(&m, CTL_A_MESSAGE), 0);
	free(buf);
	assert_int_equal(result_of(fd, CTL_T_LIST, NULL, NULL, 0), CTL_R_OK);
	/* Wrong filters: USAGE naming the problem, the connection stays. */
	assert_int_equal(result_of(fd, CTL_T_LIST, put_bad_phase, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_non_null(strstr(msg, "phase 4 is not valid in a list request"));
	assert_int_equal(result_of(fd, CTL_T_LIST, put_bad_role, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "role must be i or r");
	assert_int_equal(result_of(fd, CTL_T_LIST, put_name, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "attribute 3 is not valid in a list request");
	assert_int_equal(result_of(fd, CTL_T_LIST, put_all, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_non_null(strstr(msg, "flags 0x2 are not valid"));
	assert_int_equal(result_of(fd, CTL_T_LIST, put_bad_range, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_non_null(strstr(msg, "5-3"));
	assert_int_equal(result_of(fd, CTL_T_LIST, put_two_phases, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "phase given 2 times in a list request");
	assert_int_equal(result_of(fd, CTL_T_LIST, NULL, NULL, 0), CTL_R_OK);
	close(fd);
	assert_int_equal(td_counter(t->sock, "requests_usage"), usage + 6);
}

static void
put_activate(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 2);
	ctl_put_str(w, CTL_A_NAME, "AIXFW1_DM");
	ctl_put_str(w, CTL_A_NAME, "remote_office");
}
static void
put_ipaddr(struct wr *w)
{
	ctl_put_str(w, CTL_A_IPSRC, "10.0.0.1");
	ctl_put_str(w, CTL_A_IPDST, "10.0.0.2");
}
static void
put_src_only(struct wr *w)
{
	ctl_put_str(w, CTL_A_IPSRC, "10.0.0.1");
}
static void
put_remove(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 1);
	ctl_put_range(w, 1, 3);
}
static void
put_all_and_range(struct wr *w)
{
	ctl_put_u32(w, CTL_A_FLAGS, CTL_F_ALL);
	ctl_put_range(w, 1, 3);
}
static void
put_ctrl_name(struct wr *w)
{
	ctl_put_str(w, CTL_A_NAME, "a\tb");
}

static void
put_autostart_phase(struct wr *w)
{
	ctl_put_u8(w, CTL_A_PHASE, 1);
	ctl_put_u32(w, CTL_A_FLAGS, CTL_F_AUTOSTART);
}
static void
put_name_no_phase(struct wr *w)
{
	ctl_put_str(w, CTL_A_NAME, "hq");
}
static void
put_remid(struct wr *w)
{
	ctl_put_str(w, CTL_A_REMID, "192.0.2.9");
}

/* With an empty database: nothing to start, nothing to remove, each
 * said in a sentence, remid and ipaddr matching nothing too.  (Real
 * negotiations: tests/integration/test_tunnels.c.) */
static void
activate_and_remove_without_definitions(void **state)
{
	struct td *t = *state;
	char msg[256];
	int fd = connect_to(t);

	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, NULL, msg,
	    sizeof(msg)), CTL_R_FAILED);
	assert_string_equal(msg, "no phase-2 tunnel definition to activate");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_activate, msg,
	    sizeof(msg)), CTL_R_FAILED);
	assert_string_equal(msg, "phase-2 tunnel AIXFW1_DM is not in the "
	    "database");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_ipaddr, msg,
	    sizeof(msg)), CTL_R_FAILED);
	assert_string_equal(msg, "ipaddr=10.0.0.1,10.0.0.2: no tunnel "
	    "definition applies between these addresses");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_remid, msg,
	    sizeof(msg)), CTL_R_FAILED);
	assert_string_equal(msg, "remid 192.0.2.9 matches no tunnel "
	    "definition");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_autostart_phase, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "autostart cannot be used with phase, "
	    "numlist or namelist");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_name_no_phase, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "namelist requires phase");
	assert_int_equal(result_of(fd, CTL_T_REMOVE, NULL, msg, sizeof(msg)),
	    CTL_R_OK);
	assert_string_equal(msg, "");		/* nothing was active */
	assert_int_equal(result_of(fd, CTL_T_REMOVE, put_remove, msg,
	    sizeof(msg)), CTL_R_FAILED);
	assert_string_equal(msg, "no active phase-1 tunnel in the numlist");
	/* Still checked first. */
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_src_only, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "ipaddr needs both a source and a "
	    "destination");
	assert_int_equal(result_of(fd, CTL_T_REMOVE, put_all_and_range, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_string_equal(msg, "all and numlist cannot be used together");
	assert_int_equal(result_of(fd, CTL_T_ACTIVATE, put_ctrl_name, msg,
	    sizeof(msg)), CTL_R_USAGE);
	assert_non_null(strstr(msg, "namelist must be 1 to 255 printable"));
	assert_int_equal(result_of(fd, CTL_T_REMOVE, put_name, msg,
	    sizeof(msg)), CTL_R_USAGE);
	close(fd);
}

static void
unknown_request_types(void **state)
{
	static const uint8_t reply_type[] = { 1, 0x85, 0, 0, 0, 0, 0, 0 };
	struct td *t = *state;
	uint64_t bad = td_counter(t->sock, "dropped_bad_header");
	uint8_t rx[256];
	size_t got = 0;
	char msg[256];
	int fd = connect_to(t);

	/* A request type this daemon does not know: USAGE, stay connected. */
	assert_int_equal(result_of(fd, 9, NULL, msg, sizeof(msg)),
	    CTL_R_USAGE);
	assert_string_equal(msg, "request type 9 is not known to this "
	    "isakmpd (control protocol version 1)");
	assert_int_equal(result_of(fd, CTL_T_STATUS, NULL, NULL, 0),
	    CTL_R_OK);
	close(fd);
	/* A reply sent as a request breaks the protocol: answered, dropped. */
	assert_int_equal(td_raw(t->sock, reply_type, sizeof(reply_type), 3000,
	    rx, sizeof(rx), &got), 1);
	assert_true(got > CTL_HDR_LEN);
	assert_int_equal(rx[1], 0x85);
	assert_int_equal(td_counter(t->sock, "dropped_bad_header"), bad + 1);
}

static void
pipelined_requests_and_half_close(void **state)
{
	struct td *t = *state;
	uint8_t frames[3 * CTL_HDR_LEN], rx[65536];
	struct ctl_msg m;
	uint8_t type;
	uint32_t len;
	size_t got = 0, off = 0, n = 0;
	int fd = connect_to(t);

	/* Three STATUS requests in one write, then no more writing. */
	memset(frames, 0, sizeof(frames));
	for (n = 0; n < 3; n++) {
		frames[n * CTL_HDR_LEN] = CTL_VERSION;
		frames[n * CTL_HDR_LEN + 1] = CTL_T_STATUS;
	}
	assert_int_equal(write(fd, frames, sizeof(frames)),
	    (ssize_t)sizeof(frames));
	assert_int_equal(shutdown(fd, SHUT_WR), 0);
	for (;;) {
		ssize_t r = read(fd, rx + got, sizeof(rx) - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	/* Three whole replies, then the daemon closed. */
	for (n = 0; off < got; n++) {
		assert_true(got - off >= CTL_HDR_LEN);
		assert_int_equal(ctl_hdr_decode(rx + off, CTL_REPLY_MAX, &type,
		    &len), 0);
		assert_int_equal(type, CTL_T_STATUS | CTL_T_REPLY);
		assert_true(got - off - CTL_HDR_LEN >= len);
		assert_int_equal(ctl_decode(type, rx + off + CTL_HDR_LEN, len,
		    &m), 0);
		off += CTL_HDR_LEN + len;
	}
	assert_int_equal(n, 3);
}

static void
sigterm_and_sigint_clean_up(void **state)
{
	struct td *t = *state;

	assert_int_equal(td_stop(t, SIGTERM), 0);
	assert_int_not_equal(access(t->sock, F_OK), 0);
	assert_int_not_equal(access(t->pidfile, F_OK), 0);
	assert_int_equal(td_start(t, NULL, NULL), 0);
	assert_int_equal(td_stop(t, SIGINT), 0);
	assert_int_not_equal(access(t->sock, F_OK), 0);
	assert_int_not_equal(access(t->pidfile, F_OK), 0);
}

static void
missing_conf_means_defaults(void **state)
{
	struct td *t = *state;

	assert_int_equal(td_start(t, NULL, NULL), 0);
	expect_kv(t, "configuration_state", "missing: defaults in use");
	expect_kv(t, "log_level", "none");
	expect_kv(t, "conf.MAIN_MODE_REQUIRES_IP", "NO");
	expect_kv(t, "conf.v1", "500-4500");
	expect_kv(t, "conf.v2", "500-4500");
	expect_kv(t, "conf.LIVENESS_CHK_INTERVAL", "0");
	expect_kv(t, "conf.ENABLE_IPSEC_NAT_TRAVERSAL", "NO");
	expect_kv(t, "conf.ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2", "NO");
	expect_kv(t, "conf.NAT_KEEPALIVE_INTERVAL", "20");
	expect_kv(t, "conf.IKE_FRAGMENTATION", "NO");
}

/* The pid in the pidfile once it holds one, or 0. */
static long
pid_from_file(const char *path)
{
	char *text = tu_read_file(path, NULL);
	long pid = text != NULL ? strtol(text, NULL, 10) : 0;

	free(text);
	return pid;
}

/* Runs isakmpd (no -d) with stdout and stderr to the error log and
 * returns the exit status of the process we started. */
static int
run_detaching(struct td *t, const char *const *args)
{
	const char *argv[16];
	size_t n = 0;
	pid_t pid;
	int st, fd, i;

	argv[n++] = tu_bin("isakmpd");
	while (*args != NULL && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		fd = open(t->errlog, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	assert_true(pid > 0);
	for (i = 0; i < 1000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		td_sleep_ms(10);
	}
	kill(pid, SIGKILL);
	fail_msg("isakmpd did not return after forking");
	return -1;
}

static void
daemon_mode_detaches(void **state)
{
	struct td *t = *state;
	const char *args[] = { "-K", "mem", "-S", "s.sock", "-D", "db", "-f",
	    "isakmpd.conf", NULL };
	char old[1024], pid[32], *err = NULL;
	long dpid;
	int i;

	/* Relative paths: the daemon makes them absolute before chdir /. */
	assert_int_equal(tu_write_file(t->conf, "log_level=events\n"), 0);
	assert_non_null(getcwd(old, sizeof(old)));
	assert_int_equal(chdir(t->dir), 0);
	assert_int_equal(run_detaching(t, args), 0);
	assert_int_equal(chdir(old), 0);
	err = td_errlog(t);
	assert_string_equal(err, "");	/* stderr went to /dev/null */
	free(err);
	dpid = pid_from_file(t->pidfile);
	assert_true(dpid > 0);
	t->pid = 0;
	snprintf(pid, sizeof(pid), "%ld", dpid);
	expect_kv(t, "pid", pid);
	expect_kv(t, "socket", t->sock);
	expect_kv(t, "configuration", t->conf);
	assert_int_equal(getsid((pid_t)dpid), (pid_t)dpid);
	/* Not our child: signal it and wait for its files to go. */
	assert_int_equal(kill((pid_t)dpid, SIGTERM), 0);
	for (i = 0; i < 500 && kill((pid_t)dpid, 0) == 0; i++)
		td_sleep_ms(20);
	assert_int_not_equal(kill((pid_t)dpid, 0), 0);
	assert_int_not_equal(access(t->sock, F_OK), 0);
	assert_int_not_equal(access(t->pidfile, F_OK), 0);
}

/* Daemon mode leaves no child of ours: kill whatever the pidfile names. */
static int
teardown_daemon(void **state)
{
	struct td *t = *state;
	long pid = pid_from_file(t->pidfile);

	if (pid > 0)
		kill((pid_t)pid, SIGKILL);
	return teardown(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(status_answers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    socket_is_0600_and_pidfile_holds_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(list_is_ok_and_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    activate_and_remove_without_definitions, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_request_types, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    pipelined_requests_and_half_close, setup, teardown),
		cmocka_unit_test_setup_teardown(sigterm_and_sigint_clean_up,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(missing_conf_means_defaults,
		    setup_no_start, teardown),
		cmocka_unit_test_setup_teardown(daemon_mode_detaches,
		    setup_no_start, teardown_daemon),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
