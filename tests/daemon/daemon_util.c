/* tests/daemon/daemon_util.c: see daemon_util.h. */
#include "daemon_util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "core/ctl/ctl_client.h"
#include "core/err.h"
#include "tests/lib/testutil.h"

#define WAIT_MS		10000
#define CALL_MS		5000

void
td_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
join(char *dst, const char *dir, const char *name)
{
	int n = snprintf(dst, TD_PATH, "%s/%s", dir, name);

	return n < 0 || n >= TD_PATH ? -1 : 0;
}

int
td_init(struct td *t, const char *tag)
{
	memset(t, 0, sizeof(*t));
	t->status = -1;
	if (tu_mkdtemp(t->dir, sizeof(t->dir), tag) != 0)
		return -1;
	if (join(t->sock, t->dir, "s.sock") != 0 ||
	    join(t->db, t->dir, "db") != 0 ||
	    join(t->conf, t->dir, "isakmpd.conf") != 0 ||
	    join(t->pidfile, t->dir, "s.pid") != 0 ||
	    join(t->errlog, t->dir, "stderr.log") != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int
decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
}

int
td_alive(struct td *t)
{
	int st;

	if (t->pid <= 0)
		return 0;
	if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
		t->status = decode_status(st);
		t->pid = 0;
		return 0;
	}
	return 1;
}

/* Waits up to ms for the daemon to exit; 1 if it did. */
static int
wait_exit(struct td *t, int ms)
{
	int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (!td_alive(t))
			return 1;
		td_sleep_ms(10);
	}
	return !td_alive(t);
}

void
td_cleanup(struct td *t)
{
	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		(void)wait_exit(t, WAIT_MS);
	}
	if (t->dir[0] != '\0')
		(void)tu_rmrf(t->dir);
	t->dir[0] = '\0';
}

static void __attribute__((noreturn))
child(const char *const *argv, const char *const *env, const char *errlog)
{
	const char *const *e;
	int fd;

#ifdef __linux__
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);	/* no orphaned daemons */
#endif
	if (errlog != NULL) {
		fd = open(errlog, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0)
			dup2(fd, 2);
	}
	for (e = env; e != NULL && *e != NULL; e++)
		putenv((char *)(uintptr_t)*e);
	execv(argv[0], (char *const *)(uintptr_t)argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Ready means serving: a STATUS request is answered (a connection alone
 * only reaches the listen backlog, before the event loop runs). */
static int
wait_socket(struct td *t)
{
	char pid[32];
	int waited;

	for (waited = 0; waited < WAIT_MS; waited += 20) {
		if (!td_alive(t))
			return -1;
		if (td_status(t->sock, "pid", pid, sizeof(pid)) == 0)
			return 0;
		td_sleep_ms(20);
	}
	return -1;
}

int
td_spawn(struct td *t, const char *const *args, const char *const *env)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = tu_bin("isakmpd");
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	t->status = -1;
	if ((t->pid = fork()) < 0)
		return -1;
	if (t->pid == 0)
		child(argv, env, t->errlog);
	return wait_socket(t);
}

int
td_start(struct td *t, const char *const *extra, const char *const *env)
{
	const char *argv[32];
	size_t n = 0;

	argv[n++] = "-d";
	argv[n++] = "-K";
	argv[n++] = "mem";
	argv[n++] = "-S";
	argv[n++] = t->sock;
	argv[n++] = "-D";
	argv[n++] = t->db;
	argv[n++] = "-f";
	argv[n++] = t->conf;
	while (extra != NULL && *extra != NULL && n < 31)
		argv[n++] = *extra++;
	argv[n] = NULL;
	return td_spawn(t, argv, env);
}

int
td_stop(struct td *t, int sig)
{
	if (t->pid <= 0)
		return t->status;
	kill(t->pid, sig);
	if (!wait_exit(t, WAIT_MS))
		return -1;
	return t->status;
}

int
td_run_fail(const char *const *args, const char *const *env, char **err)
{
	const char *argv[32];
	struct tu_run r = { 0 };
	struct tu_result res;
	size_t n = 0;

	argv[n++] = tu_bin("isakmpd");
	while (args != NULL && *args != NULL && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	r.argv = argv;
	r.env = env;
	r.timeout_s = 20;
	if (tu_run(&r, &res) != 0)
		return -1;
	*err = res.err;
	free(res.out);
	return res.status;
}

int
td_call(const char *sock, struct wr *req, uint8_t **buf,
    struct ctl_msg *reply)
{
	int fd, rc;

	if ((rc = ctl_client_connect(sock, &fd)) != 0)
		return rc;
	rc = ctl_client_call(fd, req, CALL_MS, buf, reply);
	close(fd);
	return rc;
}

int
td_simple(const char *sock, uint8_t type, char *msg, size_t len)
{
	struct ctl_msg m;
	struct wr w;
	uint8_t *buf = NULL;
	uint32_t result;
	int rc = -1;

	wr_init(&w, 0);
	ctl_begin(&w, type);
	if (ctl_end(&w) == 0 && td_call(sock, &w, &buf, &m) == 0 &&
	    ctl_get_u32(&m, CTL_A_RESULT, &result) == 0) {
		rc = (int)result;
		if (msg != NULL && ctl_get_str_nth(&m, CTL_A_MESSAGE, 0, msg,
		    len) != 0)
			msg[0] = '\0';
	}
	free(buf);
	wr_free(&w);
	return rc;
}

/* The value of key among the reply's CTL_A_KV pairs. */
static int
find_kv(const struct ctl_msg *m, const char *key, char *val, size_t len)
{
	struct ctl_attr a;
	struct ctl_msg kv;
	char k[128];
	size_t i, n = ctl_count(m, CTL_A_KV);

	for (i = 0; i < n; i++) {
		if (ctl_find_nth(m, CTL_A_KV, i, &a) != 0 ||
		    ctl_nested(m, &a, &kv) != 0 ||
		    ctl_get_str_nth(&kv, CTL_A_KEY, 0, k, sizeof(k)) != 0)
			return -1;
		if (strcmp(k, key) == 0)
			return ctl_get_str_nth(&kv, CTL_A_VALUE, 0, val, len) ==
			    0 ? 0 : -1;
	}
	return -1;
}

int
td_status(const char *sock, const char *key, char *val, size_t len)
{
	struct ctl_msg m;
	struct wr w;
	uint8_t *buf = NULL;
	int rc = -1;

	wr_init(&w, 0);
	ctl_begin(&w, CTL_T_STATUS);
	if (ctl_end(&w) == 0 && td_call(sock, &w, &buf, &m) == 0)
		rc = find_kv(&m, key, val, len);
	free(buf);
	wr_free(&w);
	return rc;
}

uint64_t
td_counter(const char *sock, const char *key)
{
	char v[64], *end;
	unsigned long long n;

	if (td_status(sock, key, v, sizeof(v)) != 0)
		return UINT64_MAX;
	n = strtoull(v, &end, 10);
	return end != v && *end == '\0' ? n : UINT64_MAX;
}

/* Reads until EOF or timeout; 1 at EOF, 0 at timeout, -1 on error. */
static int
drain(int fd, int timeout_ms, uint8_t *rx, size_t rxlen, size_t *got)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t tmp[4096];
	int waited = 0;
	ssize_t n;

	while (waited < timeout_ms) {
		if (poll(&p, 1, 50) == 0) {
			waited += 50;
			continue;
		}
		n = read(fd, tmp, sizeof(tmp));
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return 1;
		if (n < 0)
			return errno == EINTR ? 0 : -1;
		if (rx != NULL && *got < rxlen) {
			size_t c = (size_t)n < rxlen - *got ? (size_t)n :
			    rxlen - *got;

			memcpy(rx + *got, tmp, c);
			*got += c;
		}
	}
	return 0;
}

int
td_raw(const char *sock, const void *bytes, size_t n, int timeout_ms,
    uint8_t *rx, size_t rxlen, size_t *got)
{
	size_t dummy = 0;
	int fd, rc;

	if (got == NULL)
		got = &dummy;
	*got = 0;
	if (ctl_client_connect(sock, &fd) != 0)
		return -1;
	if (n > 0 && write(fd, bytes, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	rc = drain(fd, timeout_ms, rx, rxlen, got);
	close(fd);
	return rc;
}

char *
td_errlog(const struct td *t)
{
	char *s = tu_read_file(t->errlog, NULL);

	return s != NULL ? s : strdup("");
}

int
td_fixture(void **state, const char *tag, const char *conf_text,
    const char *const *env, int start)
{
	struct td *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	*state = t;
	if (td_init(t, tag) != 0)
		return -1;
	if (conf_text != NULL && tu_write_file(t->conf, conf_text) != 0)
		return -1;
	return start ? td_start(t, NULL, env) : 0;
}

int
td_fixture_free(void **state)
{
	struct td *t = *state;

	if (t != NULL)
		td_cleanup(t);
	free(t);
	*state = NULL;
	return 0;
}
