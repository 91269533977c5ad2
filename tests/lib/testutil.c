#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

int
tu_mkdtemp(char *buf, size_t len, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	n = snprintf(buf, len, "%s/ike-%s-XXXXXX", tmp, tag);
	if (n < 0 || (size_t)n >= len)
		return -1;
	if (mkdtemp(buf) == NULL)
		return -1;
	/* Let a test that drops privileges still reach it. */
	return chmod(buf, 0755);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
tu_rmrf(const char *path)
{
	if (access(path, F_OK) != 0)
		return 0;
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
tu_write_file(const char *path, const char *text)
{
	size_t n = strlen(text);
	ssize_t w;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return -1;
	w = write(fd, text, n);
	if (close(fd) != 0 || w < 0 || (size_t)w != n)
		return -1;
	return 0;
}

char *
tu_read_file(const char *path, size_t *lenp)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

struct sink {
	int	 fd;
	char	*buf;
	size_t	 len, cap;
};

static int
sink_read(struct sink *s)
{
	char tmp[4096];
	ssize_t n = read(s->fd, tmp, sizeof(tmp));

	if (n <= 0)
		return n < 0 && errno == EINTR ? 1 : 0;
	if (s->len + (size_t)n + 1 > s->cap) {
		size_t ncap = (s->cap + (size_t)n + 1) * 2;
		char *nb = realloc(s->buf, ncap);

		if (nb == NULL)
			return 0;
		s->buf = nb;
		s->cap = ncap;
	}
	memcpy(s->buf + s->len, tmp, (size_t)n);
	s->len += (size_t)n;
	s->buf[s->len] = '\0';
	return 1;
}

static void
child_exec(const struct tu_run *r, int in, int out, int err)
{
	const char *const *e;

	dup2(in, 0);
	dup2(out, 1);
	dup2(err, 2);
	/* Only 0, 1 and 2 may hold the pipes: a daemon the program forks
	 * must not keep them open after it redirects its standard streams. */
	if (in > 2)
		close(in);
	if (out > 2)
		close(out);
	if (err > 2)
		close(err);
	for (e = r->env; e != NULL && *e != NULL; e++)
		putenv((char *)(uintptr_t)*e);
	if (r->run_as && (setgroups(0, NULL) != 0 || setgid(r->gid) != 0 ||
	    setuid(r->uid) != 0)) {
		perror("testutil: dropping privileges");
		_exit(126);
	}
	execvp(r->argv[0], (char *const *)(uintptr_t)r->argv);
	fprintf(stderr, "testutil: exec %s: %s\n", r->argv[0],
	    strerror(errno));
	_exit(127);
}

static void
collect(struct sink *o, struct sink *e, pid_t pid, int timeout_s)
{
	time_t end = time(NULL) + timeout_s;
	struct pollfd p[2];
	int open_fds = 2;

	while (open_fds > 0) {
		int left = (int)(end - time(NULL));

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		p[0] = (struct pollfd){ .fd = o->fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = e->fd, .events = POLLIN };
		if (poll(p, 2, left * 1000) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			struct sink *s = i == 0 ? o : e;

			if (s->fd >= 0 && (p[i].revents & (POLLIN | POLLHUP)) &&
			    !sink_read(s)) {
				close(s->fd);
				s->fd = -1;
				open_fds--;
			}
		}
	}
}

int
tu_run(const struct tu_run *r, struct tu_result *res)
{
	int in[2], out[2], err[2], st;
	struct sink o = { 0 }, e = { 0 };
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0)
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(in[1]);
		close(out[0]);
		close(err[0]);
		child_exec(r, in[0], out[1], err[1]);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	signal(SIGPIPE, SIG_IGN);
	if (r->stdin_text != NULL) {
		/* A child that exits early just closes the pipe. */
		(void)!write(in[1], r->stdin_text, strlen(r->stdin_text));
	}
	close(in[1]);
	o.fd = out[0];
	e.fd = err[0];
	collect(&o, &e, pid, r->timeout_s > 0 ? r->timeout_s : 30);
	if (o.fd >= 0)
		close(o.fd);
	if (e.fd >= 0)
		close(e.fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) :
	    WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
	res->out = o.buf != NULL ? o.buf : strdup("");
	res->err = e.buf != NULL ? e.buf : strdup("");
	return 0;
}

void
tu_result_free(struct tu_result *res)
{
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
}

const char *
tu_bin(const char *name)
{
	static char buf[4][4096];
	static int slot;
	const char *dir = getenv("IKE_BIN_DIR");
	char *b = buf[slot++ % 4];

	if (dir == NULL || dir[0] == '\0') {
		fprintf(stderr, "testutil: IKE_BIN_DIR is not set; run this "
		    "test through ctest\n");
		exit(2);
	}
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, name);
	return b;
}

void
tu_same_lines(const char *got, const char *want)
{
	int line = 1;

	while (*got != '\0' || *want != '\0') {
		size_t g = strcspn(got, "\n"), w = strcspn(want, "\n");

		if (g != w || strncmp(got, want, g) != 0)
			fail_msg("line %d:\n got: \"%.*s\"\nwant: \"%.*s\"",
			    line, (int)g, got, (int)w, want);
		got += g + (got[g] == '\n');
		want += w + (want[w] == '\n');
		line++;
	}
}
