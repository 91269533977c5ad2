#include "ikt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

void
ikt_init(struct ikt *t)
{
	assert_int_equal(tu_mkdtemp(t->dir, sizeof(t->dir), "ikedb"), 0);
	snprintf(t->db, sizeof(t->db), "%s/db", t->dir);
	snprintf(t->env, sizeof(t->env), "IKE_DB=%s", t->db);
}

void
ikt_fini(struct ikt *t)
{
	tu_rmrf(t->dir);
}

const char *
ikt_file(struct ikt *t, const char *name, const char *text)
{
	static char buf[4][400];
	static int slot;
	char *p = buf[slot++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", t->dir, name);
	assert_int_equal(tu_write_file(p, text), 0);
	return p;
}

void
ikt_runv(struct ikt *t, const char *stdin_text, struct tu_result *res,
    const char *const *args)
{
	const char *argv[24], *env[] = { t->env, NULL };
	struct tu_run r = { 0 };
	int n = 0;

	argv[n++] = tu_bin("ikedb");
	while (n < 23 && args[n - 1] != NULL) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	r.argv = argv;
	r.env = env;
	r.stdin_text = stdin_text;
	assert_int_equal(tu_run(&r, res), 0);
}

void
ikt_run(struct ikt *t, const char *stdin_text, struct tu_result *res, ...)
{
	const char *args[24];
	va_list ap;
	int n = 0;

	va_start(ap, res);
	while (n < 23 && (args[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	ikt_runv(t, stdin_text, res, args);
}

void
ikt_put(struct ikt *t, const char *mode, const char *text)
{
	struct tu_result res;
	const char *f = ikt_file(t, "in.xml", text);

	ikt_run(t, NULL, &res, mode, f, NULL);
	if (res.status != 0)
		fprintf(stderr, "ikedb %s: %s", mode, res.err);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.err, "");
	tu_result_free(&res);
}

char *
ikt_dump(struct ikt *t)
{
	struct tu_result res;
	char *out;

	ikt_run(t, NULL, &res, "-g", "-k", NULL);
	assert_int_equal(res.status, 0);
	assert_string_equal(res.err, "");
	out = res.out;
	free(res.err);
	return out;
}

void
ikt_snap_take(struct ikt *t, struct ikt_snap *s)
{
	char path[400];

	snprintf(path, sizeof(path), "%s/data.mdb", t->db);
	s->dump = ikt_dump(t);
	s->mdb = tu_read_file(path, &s->mdblen);
}

void
ikt_snap_same(struct ikt *t, struct ikt_snap *s)
{
	struct ikt_snap now;

	ikt_snap_take(t, &now);
	assert_string_equal(now.dump, s->dump);
	assert_true((now.mdb == NULL) == (s->mdb == NULL));
	if (now.mdb != NULL) {
		assert_int_equal(now.mdblen, s->mdblen);
		assert_memory_equal(now.mdb, s->mdb, s->mdblen);
	}
	free(now.dump);
	free(now.mdb);
	free(s->dump);
	free(s->mdb);
}

void
ikt_one_message(const char *err, const char *const *want)
{
	size_t len = strlen(err);

	if (strncmp(err, "ikedb: ", 7) != 0 || len == 0 ||
	    err[len - 1] != '\n' || strchr(err, '\n') != err + len - 1)
		fail_msg("not one \"ikedb: \" line: [%s]", err);
	for (; *want != NULL; want++)
		if (strstr(err, *want) == NULL)
			fail_msg("[%s] lacks [%s]", err, *want);
}

char *
ikt_data(const char *name)
{
	char path[1024];
	char *s;

	snprintf(path, sizeof(path), "%s/%s", IKEDB_TEST_DATA, name);
	s = tu_read_file(path, NULL);
	if (s == NULL)
		fail_msg("cannot read %s", path);
	return s;
}
