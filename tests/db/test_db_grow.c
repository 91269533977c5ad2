/* The map grows: with IKE_DB_MAPSIZE=65536, db_write() keeps a
 * transaction of thousands of objects by growing the map and running
 * the function again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/err.h"
#include "dbt.h"
#include "tests/lib/testutil.h"

#define NBIG	2000	/* in one transaction */
#define NSMALL	1000	/* in ten more */

struct batch {
	unsigned	from, to;
	unsigned	calls;	/* times db_write() ran the function */
};

static void
make(struct db_obj *o, unsigned i)
{
	dbt_full(o, DB_T_IPSEC_PROPOSAL, i);
	memset(o->u.ipsec_prop.name, 0, DB_NAME_MAX);
	snprintf(o->u.ipsec_prop.name, DB_NAME_MAX, "prop-%05u", i);
}

static int
put_batch(struct db_txn *t, void *arg)
{
	static struct db_obj o;
	struct batch *b = arg;
	unsigned i;
	int rc;

	b->calls++;
	for (i = b->from; i < b->to; i++) {
		make(&o, i);
		if ((rc = db_put(t, &o, false)) != 0)
			return rc;
	}
	return 0;
}

static off_t
file_size(const char *dir)
{
	char path[PATH_MAX + 16];
	struct stat st;

	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
grows_and_keeps_everything(void **state)
{
	static struct db_obj want, got;
	char dir[PATH_MAX], name[DB_NAME_MAX], *slash;
	struct batch b = { 0, NBIG, 0 };
	struct db *db;
	uint64_t n;
	unsigned i;

	(void)state;
	assert_int_equal(setenv("IKE_DB_MAPSIZE", "65536", 1), 0);
	assert_non_null(db = dbt_open_new(dir));
	assert_int_equal(db_write(db, put_batch, &b), 0);
	assert_true(b.calls > 1);		/* it did start over */
	print_message("%u objects: function run %u times\n", NBIG, b.calls);
	for (i = 0; i < 10; i++) {
		b.from = NBIG + i * NSMALL / 10;
		b.to = b.from + NSMALL / 10;
		assert_int_equal(db_write(db, put_batch, &b), 0);
	}
	db_close(db);
	print_message("data.mdb: %lld bytes\n", (long long)file_size(dir));
	/* The file outgrew the initial map many times over. */
	assert_true(file_size(dir) > 16 * 65536);

	/* Reopened with the small initial size: adopts the grown map. */
	assert_int_equal(db_open(dir, DB_OPEN_RDONLY, &db, NULL, 0), 0);
	assert_int_equal(dbt_count(db, DB_T_IPSEC_PROPOSAL, &n), 0);
	assert_int_equal(n, NBIG + NSMALL);
	for (i = 0; i < NBIG + NSMALL; i++) {
		make(&want, i);
		snprintf(name, sizeof(name), "prop-%05u", i);
		assert_int_equal(dbt_get(db, DB_T_IPSEC_PROPOSAL, name, &got),
		    0);
		assert_memory_equal(&want, &got, sizeof(want));
	}
	db_close(db);
	unsetenv("IKE_DB_MAPSIZE");
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	assert_int_equal(tu_rmrf(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_keeps_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
