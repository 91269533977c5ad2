/* isakmpd.conf in a running daemon: the LOG request and SIGHUP re-read
 * it (seen in STATUS and in what reaches stderr), a bad file on reload
 * keeps the old level and says which line, warnings reach the reply, a
 * missing file means defaults, and a bad file at start-up refuses to
 * start naming the line. */
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
#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

static int
setup(void **state)
{
	return td_fixture(state, "dconf", "log_level=events\n", NULL, 1);
}

static int
setup_no_start(void **state)
{
	return td_fixture(state, "dconf", NULL, NULL, 0);
}

static int
teardown(void **state)
{
	return td_fixture_free(state);
}

static void
expect_level(const struct td *t, const char *want)
{
	char v[64];

	assert_int_equal(td_status(t->sock, "log_level", v, sizeof(v)), 0);
	assert_string_equal(v, want);
}

/* A LOG request: its result, and its message lines joined by '\n'. */
static uint32_t
log_request(const struct td *t, char *out, size_t len)
{
	struct ctl_msg m;
	struct wr w;
	uint8_t *buf = NULL;
	uint32_t r = 0xffff;
	char line[512];
	size_t i, n = 0;

	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LOG);
	assert_int_equal(ctl_end(&w), 0);
	assert_int_equal(td_call(t->sock, &w, &buf, &m), 0);
	assert_int_equal(ctl_count(&m, CTL_A_RESULT), 1);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &r), 0);
	out[0] = '\0';
	for (i = 0; i < ctl_count(&m, CTL_A_MESSAGE); i++) {
		assert_int_equal(ctl_get_str_nth(&m, CTL_A_MESSAGE, i, line,
		    sizeof(line)), 0);
		n += (size_t)snprintf(out + n, len - n, "%s\n", line);
		assert_true(n < len);
	}
	free(buf);
	wr_free(&w);
	return r;
}

/* The number of times s occurs in the daemon's stderr. */
static int
errlog_count(const struct td *t, const char *s)
{
	char *log = td_errlog(t), *p = log;
	int n = 0;

	while ((p = strstr(p, s)) != NULL) {
		n++;
		p += strlen(s);
	}
	free(log);
	return n;
}

static void
log_request_changes_level(void **state)
{
	struct td *t = *state;
	char out[1024], want[2048];

	expect_level(t, "events");
	/* Each request is a debug line: not shown at level events. */
	assert_int_equal(errlog_count(t, "status request"), 0);
	assert_int_equal(tu_write_file(t->conf, "# louder\n"
	    "LOG_LEVEL = Information\n"), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_OK);
	snprintf(want, sizeof(want), "log level set to information (from "
	    "%s)\n", t->conf);
	assert_string_equal(out, want);
	expect_level(t, "information");
	assert_true(errlog_count(t, "status request") >= 1);
	assert_int_equal(td_counter(t->sock, "reloads"), 1);
	/* And back down: debug lines stop. */
	assert_int_equal(tu_write_file(t->conf, "log_level=errors\n"), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_OK);
	expect_level(t, "errors");
	{
		int before = errlog_count(t, "status request");

		expect_level(t, "errors");
		assert_int_equal(errlog_count(t, "status request"), before);
	}
}

static void
sighup_changes_level(void **state)
{
	struct td *t = *state;
	char v[64];
	int i;

	expect_level(t, "events");
	assert_int_equal(errlog_count(t, "status request"), 0);
	assert_int_equal(tu_write_file(t->conf, "log_level=information\n"),
	    0);
	assert_int_equal(kill(t->pid, SIGHUP), 0);
	for (i = 0; i < 250; i++) {
		if (td_status(t->sock, "log_level", v, sizeof(v)) == 0 &&
		    strcmp(v, "information") == 0)
			break;
		td_sleep_ms(20);
	}
	expect_level(t, "information");
	assert_int_equal(td_counter(t->sock, "reloads"), 1);
	assert_int_equal(errlog_count(t, "SIGHUP: log level set to "
	    "information"), 1);
	assert_true(errlog_count(t, "status request") >= 1);
	assert_true(td_alive(t));
}

static void
bad_conf_on_reload_keeps_old_level(void **state)
{
	struct td *t = *state;
	char out[1024], want[2048];
	int i;

	assert_int_equal(tu_write_file(t->conf, "log_level=information\n"
	    "NAT_KEEPALIVE_INTERVAL=abc\n"), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_FAILED);
	snprintf(want, sizeof(want), "%s:2: NAT_KEEPALIVE_INTERVAL: \"abc\" "
	    "is not a number of seconds from 0 to 3600\n"
	    "configuration not changed: log level stays events\n", t->conf);
	assert_string_equal(out, want);
	expect_level(t, "events");
	assert_int_equal(td_counter(t->sock, "reload_failures"), 1);
	assert_int_equal(td_counter(t->sock, "reloads"), 0);
	/* Same through SIGHUP: the error is logged, the level stays. */
	assert_int_equal(kill(t->pid, SIGHUP), 0);
	for (i = 0; i < 250 && td_counter(t->sock, "reload_failures") != 2;
	    i++)
		td_sleep_ms(20);
	assert_int_equal(td_counter(t->sock, "reload_failures"), 2);
	expect_level(t, "events");
	assert_int_equal(errlog_count(t, "SIGHUP: configuration not changed: "
	    "log level stays events"), 1);
	/* Logged once for the LOG request, once for SIGHUP. */
	assert_int_equal(errlog_count(t, "log request: " ), 2);
	assert_int_equal(errlog_count(t, ":2: NAT_KEEPALIVE_INTERVAL"), 2);
	/* Fixed file: accepted. */
	assert_int_equal(tu_write_file(t->conf, "log_level=errors\n"), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_OK);
	expect_level(t, "errors");
}

static void
reload_warnings_and_missing_file(void **state)
{
	struct td *t = *state;
	char out[1024], want[2048];

	assert_int_equal(tu_write_file(t->conf, "log_level=error\n"
	    "FOO=1\n"), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_OK);
	snprintf(want, sizeof(want), "log level set to errors (from %s)\n"
	    "warning: %s:2: unknown key \"FOO\" ignored\n", t->conf, t->conf);
	assert_string_equal(out, want);
	assert_int_equal(unlink(t->conf), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_OK);
	snprintf(want, sizeof(want), "log level set to none (from defaults: "
	    "%s does not exist)\n", t->conf);
	assert_string_equal(out, want);
	expect_level(t, "none");
	/* A directory where the file should be: cannot read, level stays. */
	assert_int_equal(mkdir(t->conf, 0700), 0);
	assert_int_equal(log_request(t, out, sizeof(out)), CTL_R_FAILED);
	snprintf(want, sizeof(want), "cannot read %s: not a regular file\n"
	    "configuration not changed: log level stays none\n", t->conf);
	assert_string_equal(out, want);
}

static void
log_request_takes_no_attributes(void **state)
{
	struct td *t = *state;
	struct ctl_msg m;
	struct wr w;
	uint8_t *buf = NULL;
	uint32_t r;
	char msg[256];

	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_LOG);
	ctl_put_u8(&w, CTL_A_PHASE, 1);
	assert_int_equal(ctl_end(&w), 0);
	assert_int_equal(td_call(t->sock, &w, &buf, &m), 0);
	assert_int_equal(ctl_get_u32(&m, CTL_A_RESULT, &r), 0);
	assert_int_equal(r, CTL_R_USAGE);
	assert_int_equal(ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, msg,
	    sizeof(msg)), 0);
	assert_string_equal(msg, "attribute 1 is not valid in a log request");
	assert_int_equal(td_counter(t->sock, "reloads"), 0);
	free(buf);
	wr_free(&w);
}

static void
bad_conf_at_startup_refuses(void **state)
{
	struct td *t = *state;
	const char *args[] = { "-d", "-K", "mem", "-S", t->sock, "-D", t->db,
	    "-f", t->conf, NULL };
	char *err = NULL, want[2048];

	assert_int_equal(tu_write_file(t->conf, "# test\n\nlog_level=loud\n"),
	    0);
	assert_int_equal(td_run_fail(args, NULL, &err), 1);
	snprintf(want, sizeof(want), "isakmpd: %s:3: log_level: \"loud\" is "
	    "not a log level (none, errors, events, information); not "
	    "started\n", t->conf);
	assert_string_equal(err, want);
	free(err);
	assert_int_not_equal(access(t->sock, F_OK), 0);
	assert_int_not_equal(access(t->pidfile, F_OK), 0);
	/* Unreadable: a system failure. */
	assert_int_equal(unlink(t->conf), 0);
	assert_int_equal(mkdir(t->conf, 0700), 0);
	assert_int_equal(td_run_fail(args, NULL, &err), 2);
	assert_non_null(strstr(err, "cannot read"));
	assert_non_null(strstr(err, "not a regular file; not started"));
	free(err);
}

static void
startup_warns_about_unknown_keys(void **state)
{
	struct td *t = *state;
	char want[2048];

	assert_int_equal(tu_write_file(t->conf, "log_level=events\n"
	    "NO_SUCH=1\n"), 0);
	assert_int_equal(td_start(t, NULL, NULL), 0);
	snprintf(want, sizeof(want), "isakmpd: warning: %s:2: unknown key "
	    "\"NO_SUCH\" ignored\n", t->conf);
	assert_int_equal(errlog_count(t, want), 1);
	expect_level(t, "events");
	/* The start-up line is an event. */
	assert_int_equal(errlog_count(t, "isakmpd started: backend mem"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(log_request_changes_level,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(sighup_changes_level, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    bad_conf_on_reload_keeps_old_level, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    reload_warnings_and_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(log_request_takes_no_attributes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(bad_conf_at_startup_refuses,
		    setup_no_start, teardown),
		cmocka_unit_test_setup_teardown(
		    startup_warns_about_unknown_keys, setup_no_start, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
