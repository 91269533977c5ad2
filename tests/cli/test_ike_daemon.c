/* The `ike` program against a real isakmpd (isakmpd -d -K mem -S ...
 * -D ... -f ...): list prints nothing, activate and remove show the
 * daemon's refusals with exit 3 (definitions it cannot negotiate,
 * unknown names, remid and ipaddr not yet supported, nothing active to
 * remove; real negotiations are in tests/integration/test_tunnels.c),
 * log succeeds; list db works
 * beside it; once the daemon is stopped, exit 2.  Needs root (ike
 * refuses anyone else): fails, saying so, otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "clifix.h"
#include "core/ctl/ctl_client.h"
#include "tests/lib/testutil.h"


static char dir[64], sock[100], dbdir[100], conf[100], errlog[100];
static char env_db[128], env_sock[128];
static pid_t daemon_pid;
static struct tu_result R;

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
daemon_exec(void)
{
	const char *argv[] = { tu_bin("isakmpd"), "-d", "-K", "mem", "-S",
	    sock, "-D", dbdir, "-f", conf, NULL };
	int fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd >= 0) {
		dup2(fd, 2);
		close(fd);
	}
	execv(argv[0], (char *const *)(uintptr_t)argv);
	_exit(127);
}

/* Starts isakmpd and waits (10 s at most) until its socket answers. */
static int
daemon_start(void)
{
	int i, fd;

	if ((daemon_pid = fork()) < 0)
		return -1;
	if (daemon_pid == 0)
		daemon_exec();
	for (i = 0; i < 200; i++) {
		if (ctl_client_connect(sock, &fd) == 0) {
			close(fd);
			return 0;
		}
		if (waitpid(daemon_pid, NULL, WNOHANG) == daemon_pid) {
			daemon_pid = 0;
			return -1;
		}
		sleep_ms(50);
	}
	return -1;
}

/* SIGTERM, then its exit status (SIGKILL after 10 s). */
static int
daemon_stop(void)
{
	int st = -1, i;

	if (daemon_pid <= 0)
		return -1;
	kill(daemon_pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(daemon_pid, &st, WNOHANG) == daemon_pid)
			break;
		sleep_ms(50);
	}
	if (i == 200) {
		kill(daemon_pid, SIGKILL);
		waitpid(daemon_pid, &st, 0);
	}
	daemon_pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int
setup(void **state)
{
	(void)state;
	if (tu_mkdtemp(dir, sizeof(dir), "daemon") != 0)
		return -1;
	snprintf(sock, sizeof(sock), "%s/s.sock", dir);
	snprintf(dbdir, sizeof(dbdir), "%s/db", dir);
	snprintf(conf, sizeof(conf), "%s/isakmpd.conf", dir);
	snprintf(errlog, sizeof(errlog), "%s/stderr.log", dir);
	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", dbdir);
	snprintf(env_sock, sizeof(env_sock), "IKE_SOCKET=%s", sock);
	if (clifix_make_quiet_db(dbdir) != 0 ||
	    tu_write_file(conf, "log_level=events\n") != 0)
		return -1;
	if (daemon_start() != 0) {
		char *log = tu_read_file(errlog, NULL);

		fprintf(stderr, "isakmpd did not start: %s\n",
		    log != NULL ? log : "(no log)");
		free(log);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (daemon_pid > 0)
		daemon_stop();
	tu_result_free(&R);
	return tu_rmrf(dir);
}

static int
ike(const char *line)
{
	static char buf[256];
	const char *argv[16] = { tu_bin("ike") };
	const char *env[] = { env_db, env_sock, NULL };
	struct tu_run r = { .argv = argv, .env = env };
	char *p;
	int argc = 1;

	snprintf(buf, sizeof(buf), "%s", line);
	for (p = strtok(buf, " "); p != NULL && argc < 15; p = strtok(NULL, " "))
		argv[argc++] = p;
	tu_result_free(&R);
	assert_int_equal(tu_run(&r, &R), 0);
	return R.status;
}

static void
list_prints_nothing(void **state)
{
	static const char *const lines[] = {
		"cmd=list", "cmd=list verbose", "cmd=list phase=1",
		"cmd=list phase=2 role=i numlist=1-3,7",
		"cmd=list role=r phase=1+ verbose",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (ike(lines[i]) != 0 || R.out[0] != '\0' || R.err[0] != '\0')
			fail_msg("%s: exit %d, out \"%s\", err \"%s\"",
			    lines[i], R.status, R.out, R.err);
	}
}

static void
activate_refusals(void **state)
{
	static const struct {
		const char	*line, *err;
	} cases[] = {
		{ "cmd=activate phase=2 namelist=AIXFW1_DM,remote_office",
		  "phase-2 tunnel AIXFW1_DM is not in the database\n"
		  "phase-2 tunnel remote_office is not in the database\n" },
		{ "cmd=activate phase=2 remid=9.3.97.100,255.255.255.0",
		  "remid 9.3.97.100,255.255.255.0 matches no phase-2 tunnel "
		  "definition\n" },
		{ "cmd=activate remid=C=US,O=IBM,CN=host",
		  "remid C=US,O=IBM,CN=host matches no tunnel definition\n" },
		{ "cmd=activate phase=2 ipaddr=10.0.0.1,10.0.0.2",
		  "ipaddr=10.0.0.1,10.0.0.2: no phase-2 tunnel definition "
		  "applies between these addresses\n" },
		{ "cmd=activate phase=2 numlist=1",
		  "phase-2 tunnel hq-lan: IKEProtection p1-v2: its IKE "
		  "transforms mix IKE_AuthenticationMethod Preshared_Key and "
		  "RSA_Signature (one method per protection)\n" },
		{ "cmd=activate phase=2 numlist=4",
		  "phase-2 tunnel v6-net: IKETunnel v6: no IKEPresharedKey "
		  "for its remote identity C=US, O=IBM, CN=peer\n" },
		{ "cmd=activate phase=2 numlist=9",
		  "phase-2 tunnel 9 is not in the database\n" },
		{ "cmd=activate autostart",
		  "phase-2 tunnel hq-lan: IKEProtection p1-v2: its IKE "
		  "transforms mix IKE_AuthenticationMethod Preshared_Key and "
		  "RSA_Signature (one method per protection)\n" },
	};
	size_t i;

	(void)state;
	/* The daemon accepted each request's shape and refused what it
	 * asks: exit 3, its sentences on standard error. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (ike(cases[i].line) != 3 || strcmp(R.err, cases[i].err) !=
		    0 || R.out[0] != '\0')
			fail_msg("%s: exit %d, err \"%s\"", cases[i].line,
			    R.status, R.err);
	}
}

static void
remove_with_nothing_active(void **state)
{
	(void)state;
	assert_int_equal(ike("cmd=remove phase=1 numlist=1-3"), 3);
	assert_string_equal(R.err, "no active phase-1 tunnel in the "
	    "numlist\n");
	assert_int_equal(ike("cmd=remove phase=2 numlist=2"), 3);
	assert_string_equal(R.err, "phase-2 tunnel 2 is not active\n");
	assert_int_equal(ike("cmd=remove all"), 0);
	assert_string_equal(R.err, "");
}

static void
log_rereads_the_configuration(void **state)
{
	(void)state;
	assert_int_equal(ike("cmd=log"), 0);
	assert_string_equal(R.err, "");
	/* A bad value makes the daemon refuse: exit 3, its message shown. */
	assert_int_equal(tu_write_file(conf, "log_level=loud\n"), 0);
	assert_int_equal(ike("cmd=log"), 3);
	assert_non_null(strstr(R.err, "loud"));
	assert_int_equal(tu_write_file(conf, "log_level=events\n"), 0);
	assert_int_equal(ike("cmd=log"), 0);
}

static void
list_db_beside_the_daemon(void **state)
{
	(void)state;
	assert_int_equal(ike("cmd=list db phase=1 numlist=1"), 0);
	assert_string_equal(R.out,
	    "Phase  Tun Id  Status      Local Id                        "
	    "Remote Id\n"
	    "1      1       Dormant     192.0.2.1                       "
	    "198.51.100.7\n");
}

static void
stopped_daemon(void **state)
{
	char want[256];

	(void)state;
	assert_int_equal(daemon_stop(), 0);
	assert_int_equal(ike("cmd=list"), 2);
	snprintf(want, sizeof(want), "ike: isakmpd is not running (no daemon "
	    "at %s)\n", sock);
	assert_string_equal(R.err, want);
	assert_string_equal(R.out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_prints_nothing),
		cmocka_unit_test(activate_refusals),
		cmocka_unit_test(remove_with_nothing_active),
		cmocka_unit_test(log_rereads_the_configuration),
		cmocka_unit_test(list_db_beside_the_daemon),
		cmocka_unit_test(stopped_daemon),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "test_ike_daemon: needs root (ike refuses "
		    "other users); failing\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
