/* One isakmpd per socket: a second one is refused while the first keeps
 * serving; after kill -9 a new one starts on the same paths; instances
 * on different sockets run side by side.  Also the command line: the
 * environment's defaults, usage errors, unknown backends and unusable
 * socket paths, each with its exit status and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "core/platform.h"
#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

#define MSG	2048

static struct td second;	/* a second daemon, killed in teardown */

/* snprintf that fails the test instead of truncating. */
static void __attribute__((format(printf, 3, 4)))
pf(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, len, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < len);
}

static int
setup(void **state)
{
	struct td *t = calloc(1, sizeof(*t));

	if (t == NULL || td_init(t, "dinst") != 0)
		return -1;
	*state = t;
	return tu_write_file(t->conf, "log_level=events\n");
}

static int
teardown(void **state)
{
	struct td *t = *state;

	if (second.pid > 0)
		kill(second.pid, SIGKILL);
	td_cleanup(&second);
	td_cleanup(t);
	free(t);
	return 0;
}

static void
expect_kv(const char *sock, const char *key, const char *want)
{
	char v[512];

	assert_int_equal(td_status(sock, key, v, sizeof(v)), 0);
	assert_string_equal(v, want);
}

static void
second_instance_is_refused(void **state)
{
	struct td *t = *state;
	const char *args[] = { "-d", "-K", "mem", "-S", t->sock, "-D", t->db,
	    "-f", t->conf, NULL };
	char *err = NULL, want[MSG], other[TD_PATH + 16];
	const char *args2[] = { "-d", "-S", t->sock, "-f", t->conf, "-P",
	    other, NULL };

	assert_int_equal(td_start(t, NULL, NULL), 0);
	assert_int_equal(td_run_fail(args, NULL, &err), 2);
	pf(want, sizeof(want), "isakmpd: another isakmpd (pid %ld) is "
	    "serving %s (pidfile %s)\n", (long)t->pid, t->sock, t->pidfile);
	assert_string_equal(err, want);
	free(err);
	assert_true(td_alive(t));
	assert_int_equal(td_simple(t->sock, CTL_T_STATUS, NULL, 0), CTL_R_OK);
	/* Another pidfile: the live socket still keeps it out. */
	pf(other, sizeof(other), "%s/other.pid", t->dir);
	assert_int_equal(td_run_fail(args2, NULL, &err), 2);
	pf(want, sizeof(want), "isakmpd: %s is in use: another process "
	    "accepts connections on it\n", t->sock);
	assert_string_equal(err, want);
	free(err);
	assert_int_not_equal(access(other, F_OK), 0);
	assert_int_equal(access(t->sock, F_OK), 0);
	assert_int_equal(access(t->pidfile, F_OK), 0);
	assert_int_equal(td_simple(t->sock, CTL_T_STATUS, NULL, 0), CTL_R_OK);
	assert_int_equal(td_stop(t, SIGTERM), 0);
}

static void
restart_after_kill_9(void **state)
{
	struct td *t = *state;
	pid_t first;
	char pid[32];

	assert_int_equal(td_start(t, NULL, NULL), 0);
	first = t->pid;
	assert_int_equal(td_stop(t, SIGKILL), 128 + SIGKILL);
	/* Both files stay behind... */
	assert_int_equal(access(t->sock, F_OK), 0);
	assert_int_equal(access(t->pidfile, F_OK), 0);
	assert_int_equal(ctl_client_connect(t->sock, &(int){ 0 }),
	    IKE_ENOTFOUND);
	/* ...and do not stop the next one. */
	assert_int_equal(td_start(t, NULL, NULL), 0);
	assert_true(t->pid != first);
	pf(pid, sizeof(pid), "%ld", (long)t->pid);
	expect_kv(t->sock, "pid", pid);
	assert_int_equal(td_stop(t, SIGTERM), 0);
	assert_int_not_equal(access(t->sock, F_OK), 0);
}

static void
side_by_side(void **state)
{
	struct td *t = *state, *u = &second;
	char sock2[TD_PATH + 16], pid2[TD_PATH + 16], want[64];
	const char *args[] = { "-d", "-K", "mem", "-S", sock2, "-D", t->db,
	    "-f", t->conf, NULL };

	/* The second daemon uses the same directory, another socket. */
	memset(u, 0, sizeof(*u));
	u->status = -1;
	pf(sock2, sizeof(sock2), "%s/ctl2", t->dir);
	pf(pid2, sizeof(pid2), "%s/ctl2.pid", t->dir);
	pf(u->sock, sizeof(u->sock), "%s", sock2);
	pf(u->errlog, sizeof(u->errlog), "%s/u.log", t->dir);
	assert_int_equal(td_start(t, NULL, NULL), 0);
	if (td_spawn(u, args, NULL) != 0)
		fail_msg("second instance on another socket did not start");
	expect_kv(t->sock, "pidfile", t->pidfile);
	expect_kv(sock2, "pidfile", pid2);
	pf(want, sizeof(want), "%ld", (long)u->pid);
	expect_kv(sock2, "pid", want);
	assert_int_equal(td_stop(u, SIGTERM), 0);
	assert_int_not_equal(access(pid2, F_OK), 0);
	assert_true(td_alive(t));
}

static void
environment_gives_defaults(void **state)
{
	struct td *t = *state;
	char e_sock[TD_PATH + 16], e_db[TD_PATH + 16], e_conf[TD_PATH + 16];
	const char *env[] = { e_sock, e_db, e_conf, NULL };
	const char *args[] = { "-d", NULL };
	const char *args_s[] = { "-d", "-S", t->sock, NULL };
	char env_sock[TD_PATH + 16];

	pf(env_sock, sizeof(env_sock), "%s/env.sock", t->dir);
	pf(e_sock, sizeof(e_sock), "IKE_SOCKET=%s", env_sock);
	pf(e_db, sizeof(e_db), "IKE_DB=%s/envdb", t->dir);
	pf(e_conf, sizeof(e_conf), "IKE_CONF=%s", t->conf);
	pf(t->sock, sizeof(t->sock), "%s", env_sock);
	assert_int_equal(td_spawn(t, args, env), 0);
	expect_kv(env_sock, "socket", env_sock);
	expect_kv(env_sock, "database", e_db + strlen("IKE_DB="));
	expect_kv(env_sock, "configuration", t->conf);
	expect_kv(env_sock, "log_level", "events");
	assert_int_equal(td_stop(t, SIGTERM), 0);
	/* A flag overrides the environment. */
	pf(t->sock, sizeof(t->sock), "%s/s.sock", t->dir);
	assert_int_equal(td_spawn(t, args_s, env), 0);
	expect_kv(t->sock, "socket", t->sock);
	assert_int_not_equal(access(env_sock, F_OK), 0);
	assert_int_equal(td_stop(t, SIGTERM), 0);
}

/* Runs isakmpd with args; checks the exit status and that stderr holds
 * want (and, for usage errors, the usage line). */
static void
expect_failure(const char *const *args, int status, const char *want,
    int usage)
{
	char *err = NULL;
	int st = td_run_fail(args, NULL, &err);

	assert_non_null(err);
	if (st != status || strstr(err, want) == NULL)
		fail_msg("exit %d, stderr \"%s\"; want %d and \"%s\"", st, err,
		    status, want);
	if (usage)
		assert_non_null(strstr(err, "usage: isakmpd [-d] [-D dbdir] "
		    "[-S socket] [-f conf] [-K backend] [-P pidfile]\n"));
	free(err);
}

static void
expect_failure_env(const char *sock, int status, const char *want)
{
	const char *env[] = { "IKE_CTL_IDLE_TIMEOUT=0", NULL };
	const char *argv[] = { "-d", "-S", sock, NULL };
	char *err = NULL;
	int st = td_run_fail(argv, env, &err);

	assert_non_null(err);
	if (st != status || strstr(err, want) == NULL)
		fail_msg("exit %d, stderr \"%s\"; want %d and \"%s\"", st, err,
		    status, want);
	free(err);
}

static void
usage_errors(void **state)
{
	struct td *t = *state;
	const char *bad_flag[] = { "-d", "-x", NULL };
	const char *extra[] = { "-d", "-S", t->sock, "extra", NULL };
	const char *no_arg[] = { "-d", "-S", NULL };
	const char *empty[] = { "-d", "-S", "", NULL };

	expect_failure(bad_flag, 1, "invalid option", 1);
	expect_failure(extra, 1, "isakmpd: unexpected argument \"extra\"", 1);
	expect_failure(no_arg, 1, "requires an argument", 1);
	expect_failure(empty, 1, "isakmpd: the socket path is empty", 1);
	expect_failure_env(t->sock, 1, "IKE_CTL_IDLE_TIMEOUT=0: not a "
	    "number of seconds from 1 to 3600");
	assert_int_not_equal(access(t->sock, F_OK), 0);
}

static void
unknown_backend(void **state)
{
	struct td *t = *state;
	const char *args[] = { "-d", "-K", "nosuch", "-S", t->sock, "-f",
	    t->conf, NULL };
	const struct plat_ops *const *b;
	char want[256];
	size_t len;

	/* The message lists the backends isakmpd was built with: ike_plat's. */
	len = (size_t)snprintf(want, sizeof(want), "isakmpd: unknown backend "
	    "\"nosuch\" for -K (built in:");
	for (b = plat_backends; *b != NULL && len < sizeof(want); b++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s %s",
		    b == plat_backends ? "" : ",", (*b)->name);
	snprintf(want + len, sizeof(want) - len, ")\n");
	expect_failure(args, 1, want, 0);
	assert_int_not_equal(access(t->sock, F_OK), 0);
	assert_int_not_equal(access(t->pidfile, F_OK), 0);
}

static void
unusable_socket_paths(void **state)
{
	struct td *t = *state;
	char nodir[TD_PATH + 16], file[TD_PATH + 16], longp[300];
	char want[MSG], *text;
	const char *a1[] = { "-d", "-S", nodir, "-f", t->conf, NULL };
	const char *a2[] = { "-d", "-S", file, "-f", t->conf, NULL };
	const char *a3[] = { "-d", "-S", longp, "-f", t->conf, NULL };

	pf(nodir, sizeof(nodir), "%s/missing/s.sock", t->dir);
	pf(want, sizeof(want), "cannot lock pidfile %s/missing/s.pid: "
	    "No such file or directory", t->dir);
	expect_failure(a1, 2, want, 0);
	pf(file, sizeof(file), "%s/plain.sock", t->dir);
	assert_int_equal(tu_write_file(file, "precious\n"), 0);
	pf(want, sizeof(want), "isakmpd: %s exists and is not a socket",
	    file);
	expect_failure(a2, 2, want, 0);
	assert_non_null(text = tu_read_file(file, NULL));
	assert_string_equal(text, "precious\n");
	free(text);
	/* Its pidfile was only ours: gone again. */
	pf(want, sizeof(want), "%s/plain.pid", t->dir);
	assert_int_not_equal(access(want, F_OK), 0);
	pf(longp, sizeof(longp), "%s/%0200d.sock", t->dir, 0);
	expect_failure(a3, 1, "socket path longer than", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(second_instance_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(restart_after_kill_9, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(side_by_side, setup, teardown),
		cmocka_unit_test_setup_teardown(environment_gives_defaults,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(usage_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_backend, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(unusable_socket_paths, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
