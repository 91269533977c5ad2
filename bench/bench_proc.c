/* bench/bench_proc.c: scratch directories, child processes, /proc. */
#include "bench_proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t
bp_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
bp_scratch(char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	n = snprintf(dir, len, "%s/ike-bench-XXXXXX", tmp);
	if (n < 0 || (size_t)n >= len || mkdtemp(dir) == NULL)
		return -1;
	return 0;
}

static void
rm_dir(const char *dir, int depth)
{
	char p[BP_PATH];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", dir, de->d_name) >=
		    (int)sizeof(p))
			continue;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode) && depth > 0)
			rm_dir(p, depth - 1);
		else
			(void)unlink(p);	/* best effort */
	}
	closedir(d);
	(void)rmdir(dir);	/* best effort */
}

void
bp_rmtree(const char *dir)
{
	rm_dir(dir, 2);
}

int
bp_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (f == NULL)
		return -1;
	if (fputs(text, f) == EOF)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* In the child: fds 0, 1, 2 as asked, env added, argv run. */
static void __attribute__((noreturn))
child(const char *const *argv, const char *const *env, int in, int out,
    const char *errlog)
{
	int fd;

	if (in >= 0)
		dup2(in, 0);
	else if ((fd = open("/dev/null", O_RDONLY)) >= 0)
		dup2(fd, 0);
	if (out >= 0)
		dup2(out, 1);
	else if ((fd = open("/dev/null", O_WRONLY)) >= 0)
		dup2(fd, 1);
	if (errlog != NULL &&
	    (fd = open(errlog, O_WRONLY | O_CREAT | O_APPEND, 0600)) >= 0)
		dup2(fd, 2);
	for (; env != NULL && *env != NULL; env++)
		putenv((char *)(uintptr_t)*env);
	execv(argv[0], (char *const *)(uintptr_t)argv);
	fprintf(stderr, "ike_bench: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Reads fd to its end into a malloc'ed string. */
static char *
slurp(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *n;
	ssize_t r;

	while (buf != NULL) {
		if (len + 1 >= cap) {
			if ((n = realloc(buf, cap * 2)) == NULL)
				break;
			buf = n;
			cap *= 2;
		}
		if ((r = read(fd, buf + len, cap - len - 1)) > 0)
			len += (size_t)r;
		else if (r == 0 || errno != EINTR)
			break;
	}
	if (buf != NULL)
		buf[len] = '\0';
	return buf;
}

static int
reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
bp_run(const char *const *argv, const char *const *env,
    const char *stdin_text, char **out, const char *errlog)
{
	int in[2] = { -1, -1 }, o[2] = { -1, -1 };
	pid_t pid;

	if ((stdin_text != NULL && pipe(in) != 0) ||
	    (out != NULL && pipe(o) != 0))
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(in[1]);
		close(o[0]);
		child(argv, env, in[0], o[1], errlog);
	}
	if (stdin_text != NULL) {
		close(in[0]);
		/* Short texts: the pipe holds them whole. */
		if (write(in[1], stdin_text, strlen(stdin_text)) < 0)
			fprintf(stderr, "ike_bench: pipe: %s\n",
			    strerror(errno));
		close(in[1]);
	}
	if (out != NULL) {
		close(o[1]);
		*out = slurp(o[0]);
		close(o[0]);
	}
	return reap(pid);
}

pid_t
bp_spawn(const char *const *argv, const char *errlog)
{
	pid_t pid = fork();

	if (pid == 0)
		child(argv, NULL, -1, -1, errlog);
	return pid;
}

void
bp_stop(pid_t pid)
{
	int i, st;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 500; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	(void)reap(pid);
}

double
bp_cpu_s(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, stt;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields 14 and 15, counted after the ")" closing field 2. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%lu %lu", &ut, &stt) != 2)
		return -1;
	return (double)(ut + stt) / (double)sysconf(_SC_CLK_TCK);
}

long
bp_rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0) {
			kib = strtol(line + 6, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}
