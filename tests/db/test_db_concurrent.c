/* Several processes on one database: a writer adds tunnels one
 * transaction at a time, growing the map from IKE_DB_MAPSIZE=65536,
 * while two readers, which opened the database before it grew, keep
 * reading.  Every snapshot a reader sees must be complete: as many
 * tunnels listed as counted, numbered 1..n without a gap, each with
 * every field intact. */
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/err.h"
#include "dbt.h"
#include "tests/lib/testutil.h"

#define N		300	/* tunnels, one transaction each */
#define NREADERS	2
#define DEADLINE_S	90

/* Tunnel number i as the writer stores it and a reader must find it. */
static void
make(struct db_obj *o, unsigned i)
{
	dbt_full(o, DB_T_IKE_TUNNEL, i);
	memset(o->u.ike_tun.name, 0, DB_NAME_MAX);
	snprintf(o->u.ike_tun.name, DB_NAME_MAX, "t%05u", i);
	o->u.ike_tun.num = i;
}

/* ----------------------------------------------- the child processes */

static int
writer(const char *dir)
{
	static struct db_obj o;
	struct db *db;
	char err[256];
	unsigned i;

	if (db_open(dir, 0, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "writer: %s\n", err);
		return 10;
	}
	for (i = 1; i <= N; i++) {
		make(&o, i);
		o.u.ike_tun.num = 0;
		if (dbt_put(db, &o, false) != 0 || o.u.ike_tun.num != i) {
			fprintf(stderr, "writer: tunnel %u failed\n", i);
			db_close(db);
			return 11;
		}
	}
	db_close(db);
	return 0;
}

struct seen {
	unsigned	k;	/* tunnels listed so far */
	bool		bad;
};

static int
verify_cb(const struct db_obj *o, void *arg)
{
	static struct db_obj want;
	struct seen *s = arg;

	s->k++;
	make(&want, s->k);
	if (memcmp(o, &want, sizeof(want)) != 0) {
		fprintf(stderr, "reader: tunnel %u differs\n", s->k);
		s->bad = true;
		return 1;
	}
	return 0;
}

/* One snapshot: 0 and its tunnel count in *n, or why it is wrong. */
static int
read_round(struct db *db, unsigned *n)
{
	static struct db_obj o;
	struct seen s = { 0, false };
	struct db_txn *t;
	uint64_t cnt;
	int rc = 0;

	if (db_read_begin(db, &t) != 0)
		return 20;
	if (db_count(t, DB_T_IKE_TUNNEL, &cnt) != 0)
		rc = 21;
	else if (db_foreach(t, DB_T_IKE_TUNNEL, verify_cb, &s) != 0 || s.bad)
		rc = 22;
	else if (s.k != cnt)
		rc = 23;		/* torn: counted and listed differ */
	else if (cnt > 0 && (db_get_num(t, 1, (uint32_t)cnt, &o) != 0 ||
	    o.u.ike_tun.num != cnt))
		rc = 24;
	else if (db_get_num(t, 1, (uint32_t)cnt + 1, &o) != IKE_ENOTFOUND)
		rc = 25;
	db_abort(t);
	*n = s.k;
	return rc;
}

static int
reader(const char *dir, int ready_fd)
{
	unsigned n = 0, last = 0, rounds = 0, changes = 0;
	time_t end = time(NULL) + DEADLINE_S;
	struct db *db;
	char err[256];
	int rc = 0;

	if (db_open(dir, DB_OPEN_RDONLY, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "reader: %s\n", err);
		return 30;
	}
	if (write(ready_fd, "r", 1) != 1)
		rc = 31;
	while (rc == 0 && last < N) {
		if ((rc = read_round(db, &n)) != 0)
			break;
		if (n < last)
			rc = 32;	/* went back in time */
		changes += n != last;
		last = n;
		rounds++;
		if (time(NULL) > end)
			rc = 33;
	}
	db_close(db);
	fprintf(stderr, "reader %d: %u rounds, %u different counts, rc %d\n",
	    (int)getpid(), rounds, changes, rc);
	return rc;
}

/* ------------------------------------------------------------- parent */

static pid_t
spawn(int (*fn)(const char *, int), const char *dir, int fd)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn(dir, fd));	/* the child opens its own env */
	return pid;
}

static int
writer_fn(const char *dir, int fd)
{
	(void)fd;
	return writer(dir);
}

static void
expect_exit0(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
readers_see_whole_snapshots(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], c, *slash;
	pid_t readers[NREADERS], w;
	struct db *db;
	struct stat st;
	unsigned n, i;
	int pfd[2];

	(void)state;
	assert_int_equal(setenv("IKE_DB_MAPSIZE", "65536", 1), 0);
	assert_non_null(db = dbt_open_new(dir));
	db_close(db);			/* before fork: LMDB's rule */
	assert_int_equal(pipe(pfd), 0);
	for (i = 0; i < NREADERS; i++)
		readers[i] = spawn(reader, dir, pfd[1]);
	for (i = 0; i < NREADERS; i++)		/* all have opened it */
		assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	close(pfd[1]);
	w = spawn(writer_fn, dir, -1);
	expect_exit0(w);
	for (i = 0; i < NREADERS; i++)
		expect_exit0(readers[i]);

	/* The map grew while they read. */
	snprintf(path, sizeof(path), "%s/data.mdb", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 65536);
	assert_int_equal(db_open(dir, DB_OPEN_RDONLY, &db, NULL, 0), 0);
	assert_int_equal(read_round(db, &n), 0);
	assert_int_equal(n, N);
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
		cmocka_unit_test(readers_see_whole_snapshots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
