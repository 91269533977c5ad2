/* The pidfile: its default name next to the socket, one holder at a
 * time, the holder's pid for the refusal message, removal, and a stale
 * file from a killed daemon that does not block the next one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/daemon/pidfile.h"
#include "core/err.h"
#include "tests/lib/testutil.h"

static void
default_path(void **state)
{
	char b[64];

	(void)state;
	assert_int_equal(pidfile_default_path("/var/run/isakmpd.sock", b,
	    sizeof(b)), 0);
	assert_string_equal(b, "/var/run/isakmpd.pid");
	assert_int_equal(pidfile_default_path("/run/x.sock", b, sizeof(b)), 0);
	assert_string_equal(b, "/run/x.pid");
	assert_int_equal(pidfile_default_path("/run/ctl", b, sizeof(b)), 0);
	assert_string_equal(b, "/run/ctl.pid");
	assert_int_equal(pidfile_default_path("/run/a.socket", b, sizeof(b)),
	    0);
	assert_string_equal(b, "/run/a.socket.pid");
	assert_int_equal(pidfile_default_path(".sock", b, sizeof(b)), 0);
	assert_string_equal(b, ".sock.pid");
	assert_int_equal(pidfile_default_path("/run/x.sock", b, 10),
	    IKE_ENOSPC);
}

static void
one_holder_at_a_time(void **state)
{
	char dir[256], path[512], *text;
	struct pidfile *a = NULL, *b = NULL;
	long owner = -1;

	(void)state;
	assert_int_equal(tu_mkdtemp(dir, sizeof(dir), "pidfile"), 0);
	snprintf(path, sizeof(path), "%s/d.pid", dir);
	assert_int_equal(pidfile_lock(path, &a, &owner), 0);
	/* Locked but not written yet: the owner is unknown. */
	assert_int_equal(pidfile_lock(path, &b, &owner), IKE_EBUSY);
	assert_null(b);
	assert_int_equal(owner, 0);
	assert_int_equal(pidfile_write(a, 4242), 0);
	assert_int_equal(pidfile_lock(path, &b, &owner), IKE_EBUSY);
	assert_int_equal(owner, 4242);
	assert_non_null(text = tu_read_file(path, NULL));
	assert_string_equal(text, "4242\n");
	free(text);
	/* A shorter pid replaces the whole contents. */
	assert_int_equal(pidfile_write(a, 7), 0);
	assert_non_null(text = tu_read_file(path, NULL));
	assert_string_equal(text, "7\n");
	free(text);
	pidfile_remove(a);
	assert_int_not_equal(access(path, F_OK), 0);
	/* Free again. */
	assert_int_equal(pidfile_lock(path, &b, &owner), 0);
	pidfile_remove(b);
	pidfile_remove(NULL);
	assert_int_equal(tu_rmrf(dir), 0);
}

static void
stale_file_is_taken_over(void **state)
{
	char dir[256], path[512], *text;
	struct pidfile *a = NULL;
	long owner = 0;

	(void)state;
	assert_int_equal(tu_mkdtemp(dir, sizeof(dir), "pidfile"), 0);
	snprintf(path, sizeof(path), "%s/d.pid", dir);
	/* What a killed daemon leaves: a file, no lock. */
	assert_int_equal(tu_write_file(path, "99999\n"), 0);
	assert_int_equal(pidfile_lock(path, &a, &owner), 0);
	assert_int_equal(pidfile_write(a, 12), 0);
	assert_non_null(text = tu_read_file(path, NULL));
	assert_string_equal(text, "12\n");
	free(text);
	pidfile_remove(a);
	/* A directory that does not exist. */
	snprintf(path, sizeof(path), "%s/no/d.pid", dir);
	assert_int_equal(pidfile_lock(path, &a, &owner), IKE_ESYS);
	assert_int_equal(tu_rmrf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_path),
		cmocka_unit_test(one_holder_at_a_time),
		cmocka_unit_test(stale_file_is_taken_over),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
