/* tests/integration/tun_util.c: two isakmpd daemons in network
 * namespaces, for the integration tests. */
#include "tests/integration/tun_util.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

int tun_wait_steps = TUN_WAIT_STEPS;
static int fx_counter;

int
tun_run(const char *const *argv, const char *const *env,
    struct tu_result *res)
{
	struct tu_run r = { 0 };

	r.argv = argv;
	r.env = env;
	r.timeout_s = 20;
	return tu_run(&r, res);
}

int
tun_ip(const char *a1, const char *a2, const char *a3, const char *a4,
    const char *a5, const char *a6, const char *a7, const char *a8)
{
	const char *argv[] = { "ip", a1, a2, a3, a4, a5, a6, a7, a8, NULL };
	struct tu_result res;
	int st;

	if (tun_run(argv, NULL, &res) != 0)
		return -1;
	st = res.status;
	if (st != 0)
		fprintf(stderr, "ip %s %s %s: %s", a1, a2, a3 ? a3 : "",
		    res.err);
	tu_result_free(&res);
	return st == 0 ? 0 : -1;
}

void
tun_addr_add(struct tun_side *s, const char *prefix)
{
	assert_int_equal(tun_ip("-n", s->ns, "addr", "add", prefix, "dev",
	    s->link, NULL), 0);
}

static void
ns_delete(struct tun_fx *f)
{
	const char *argv[] = { "ip", "link", "del", f->s[0].link, NULL };
	struct tu_result res;
	int i;

	for (i = 0; i < 2; i++)
		(void)tun_ip("netns", "del", f->s[i].ns, NULL, NULL, NULL,
		    NULL, NULL);	/* the veth pair goes with them */
	/* Unless setup failed before moving it: then it is still here
	 * (and this fails quietly when it is not). */
	if (tun_run(argv, NULL, &res) == 0)
		tu_result_free(&res);
}

static int
ns_make(struct tun_fx *f)
{
	static const char *const pfx[2] = { "192.0.2.1/24", "192.0.2.2/24" };
	int i;

	f->ns_made = true;	/* teardown deletes whatever was added */
	for (i = 0; i < 2; i++)
		if (tun_ip("netns", "add", f->s[i].ns, NULL, NULL, NULL, NULL,
		    NULL) != 0)
			return -1;
	if (tun_ip("link", "add", f->s[0].link, "type", "veth", "peer",
	    "name", f->s[1].link) != 0)
		return -1;
	for (i = 0; i < 2; i++)
		if (tun_ip("link", "set", f->s[i].link, "netns", f->s[i].ns,
		    NULL, NULL, NULL) != 0 ||
		    tun_ip("-n", f->s[i].ns, "addr", "add", pfx[i], "dev",
		    f->s[i].link, NULL) != 0 ||
		    tun_ip("-n", f->s[i].ns, "link", "set", f->s[i].link, "up",
		    NULL, NULL) != 0 ||
		    tun_ip("-n", f->s[i].ns, "link", "set", "lo", "up", NULL,
		    NULL) != 0)
			return -1;
	return 0;
}

void
tun_ikedb_put(struct tun_side *s, const char *flags, const char *xml)
{
	char env_db[TD_PATH + 8];
	const char *env[] = { env_db, NULL };
	const char *argv[] = { tu_bin("ikedb"), flags, NULL };
	struct tu_run r = { 0 };
	struct tu_result res;

	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", s->td.db);
	r.argv = argv;
	r.env = env;
	r.stdin_text = xml;
	assert_int_equal(tu_run(&r, &res), 0);
	if (res.status != 0)
		fprintf(stderr, "ikedb: %s", res.err);
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
}

void
tun_ike(struct tun_side *s, const char *a1, const char *a2, const char *a3,
    const char *a4, struct tu_result *res)
{
	char env_sock[TD_PATH + 16];
	const char *env[] = { env_sock, NULL };
	const char *argv[] = { "ip", "netns", "exec", s->ns, tu_bin("ike"),
	    a1, a2, a3, a4, NULL };

	snprintf(env_sock, sizeof(env_sock), "IKE_SOCKET=%s", s->td.sock);
	assert_int_equal(tun_run(argv, env, res), 0);
}

void
tun_daemon_start(struct tun_side *s)
{
	tun_daemon_start_conf(s, NULL);
}

void
tun_daemon_kill(struct tun_side *s)
{
	assert_true(s->td.pid > 0);
	assert_int_equal(td_stop(&s->td, SIGKILL), 128 + SIGKILL);
}

void
tun_daemon_start_conf(struct tun_side *s, const char *conf_extra)
{
	const char *argv[] = { "ip", "netns", "exec", s->ns, tu_bin("isakmpd"),
	    "-d", "-K", "mem", "-S", s->td.sock, "-D", s->td.db, "-f",
	    s->td.conf, NULL };
	char *log, conf[1024];
	int i;

	assert_true((size_t)snprintf(conf, sizeof(conf), "v2=5500-5501\n%s",
	    conf_extra != NULL ? conf_extra : "") < sizeof(conf));
	assert_int_equal(tu_write_file(s->td.conf, conf), 0);
	s->td.status = -1;
	s->td.pid = fork();
	assert_true(s->td.pid >= 0);
	if (s->td.pid == 0) {
		if (freopen(s->td.errlog, "w", stderr) == NULL)
			_exit(126);
		execvp("ip", (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	for (i = 0; i < TUN_WAIT_STEPS; i++) {
		if (td_simple(s->td.sock, CTL_T_STATUS, NULL, 0) == 0)
			return;
		td_sleep_ms(100);
	}
	log = td_errlog(&s->td);
	fprintf(stderr, "isakmpd in %s did not answer: %s\n", s->ns,
	    log ? log : "");
	free(log);
	fail();
}

int
tun_setup(void **state)
{
	struct tun_fx *f;
	int i, n = fx_counter++;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		snprintf(f->s[i].ns, sizeof(f->s[i].ns), "iketun%c%ld_%d",
		    "AB"[i], (long)getpid(), n);
		snprintf(f->s[i].link, sizeof(f->s[i].link), "vt%c%ld_%d",
		    "AB"[i], (long)getpid() % 100000, n);
		if (td_init(&f->s[i].td, i == 0 ? "tunA" : "tunB") != 0) {
			*state = f;
			(void)tun_teardown(state);
			*state = NULL;
			return -1;
		}
	}
	f->s[0].addr = f->s[1].peer = "192.0.2.1";
	f->s[1].addr = f->s[0].peer = "192.0.2.2";
	*state = f;
	if (ns_make(f) != 0) {
		fprintf(stderr, "cannot set up the namespaces\n");
		(void)tun_teardown(state);	/* cmocka skips it after a
						 * failed setup: remove what
						 * was made */
		*state = NULL;
		return -1;
	}
	return 0;
}

int
tun_teardown(void **state)
{
	struct tun_fx *f = *state;
	int i;

	if (f == NULL)
		return 0;
	for (i = 0; i < 2; i++)
		td_cleanup(&f->s[i].td);
	if (f->ns_made)
		ns_delete(f);
	free(f);
	return 0;
}

char *
tun_wait_list(struct tun_side *s, const char *a2, const char *n1,
    const char *n2, const char *n3)
{
	const char *need[] = { n1, n2, n3, NULL };
	struct tu_result res;
	int i, k;

	for (i = 0; i < tun_wait_steps; i++) {
		tun_ike(s, "cmd=list", a2, NULL, NULL, &res);
		assert_int_equal(res.status, 0);
		for (k = 0; need[k] != NULL; k++)
			if (strstr(res.out, need[k]) == NULL)
				break;
		if (need[k] == NULL || i == tun_wait_steps - 1) {
			free(res.err);
			return res.out;
		}
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	return NULL;
}

void
tun_wait_empty(struct tun_side *s)
{
	struct tu_result res;
	int i;

	for (i = 0; i < TUN_WAIT_STEPS; i++) {
		tun_ike(s, "cmd=list", NULL, NULL, NULL, &res);
		assert_int_equal(res.status, 0);
		if (res.out[0] == '\0') {
			tu_result_free(&res);
			return;
		}
		if (i == TUN_WAIT_STEPS - 1)
			fprintf(stderr, "still listed in %s:\n%s", s->ns,
			    res.out);
		tu_result_free(&res);
		td_sleep_ms(100);
	}
	fail();
}

void
tun_stop_both(struct tun_fx *f)
{
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
	assert_int_equal(td_stop(&f->s[1].td, SIGTERM), 0);
}

int
tun_check_env(const char *prog)
{
	char probe[32];

	if (geteuid() != 0) {
		fprintf(stderr, "%s: needs root for ip netns; run the tests "
		    "as root\n", prog);
		return 1;
	}
	snprintf(probe, sizeof(probe), "iketunP%ld", (long)getpid());
	if (tun_ip("netns", "add", probe, NULL, NULL, NULL, NULL, NULL) !=
	    0) {
		fprintf(stderr, "%s: `ip netns add` does not work here "
		    "(iproute2 missing, or no network namespaces)\n", prog);
		return 1;
	}
	(void)tun_ip("netns", "del", probe, NULL, NULL, NULL, NULL, NULL);
	return 0;
}

void
tun_log_has(struct tun_side *s, const char *needle)
{
	char *log = NULL;
	int i;

	for (i = 0; i < TUN_WAIT_STEPS; i++) {
		free(log);
		log = td_errlog(&s->td);
		if (log != NULL && strstr(log, needle) != NULL)
			break;
		td_sleep_ms(100);
	}
	if (log == NULL || strstr(log, needle) == NULL)
		fprintf(stderr, "log of %s without \"%s\":\n%s\n", s->ns,
		    needle, log != NULL ? log : "(none)");
	assert_non_null(log);
	assert_non_null(strstr(log, needle));
	free(log);
}

void
tun_ike_ok(struct tun_side *s, const char *a1, const char *a2, const char *a3)
{
	struct tu_result res;

	tun_ike(s, a1, a2, a3, NULL, &res);
	if (res.status != 0) {
		char *log = td_errlog(&s->td);

		fprintf(stderr, "ike %s %s %s: exit %d: %s%s\nlog:\n%s\n", a1,
		    a2 != NULL ? a2 : "", a3 != NULL ? a3 : "", res.status,
		    res.out, res.err, log != NULL ? log : "");
		free(log);
	}
	assert_int_equal(res.status, 0);
	tu_result_free(&res);
}
