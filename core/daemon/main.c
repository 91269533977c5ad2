/* core/daemon/main.c: isakmpd's command line and start-up order, the only
 * place that exits.
 *
 *	isakmpd [-d] [-D dbdir] [-S socket] [-f conf] [-K backend] [-P pidfile]
 *
 * Exit status: 0 after SIGTERM or SIGINT; 1 for a wrong command line or
 * configuration (unknown backend, bad isakmpd.conf value, a certificate
 * or key file it names that is wrong); 2 when the
 * system refuses (paths, permissions, another isakmpd on the socket).
 * Everything that can fail for those reasons happens before the fork, so
 * the message reaches the terminal; the parent then waits until the
 * child reports that it serves, and takes over its exit status if not. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../conf.h"
#include "../err.h"
#include "../log.h"
#include "../paths.h"
#include "../platform.h"
#include "conf_file.h"
#include "ctl_socket.h"
#include "isakmpd.h"
#include "pidfile.h"

#define EXIT_USAGE	1	/* command line or configuration */
#define EXIT_SYSTEM	2	/* the system refused */
#define IDLE_ENV	"IKE_CTL_IDLE_TIMEOUT"
#define IDLE_MAX	3600

struct startup {
	bool			 foreground;	/* -d */
	const char		*backend;	/* borrowed: argv or static */
	char			*db, *sock, *conf, *pid;	/* owned */
	unsigned		 idle_s;
	struct ike_conf		 cf;
	bool			 cf_missing;
	struct dcerts		 certs;		/* owned until start_daemon()
						 * hands them over */
	struct pidfile		*pf;		/* owned */
	struct ctl_socket	 cs;
	bool			 have_cs;
	struct isakmpd		*d;		/* owned */
	int			 ready_fd;	/* daemon mode: to the parent */
};

static bool log_to_stderr;	/* -d; stderr gets a plain line already */

/* Start-up messages go to stderr plainly, and to syslog as well. */
static void
syslog_only(int priority, const char *line)
{
	log_set_stderr(false);
	if (priority == LOG_ERR)
		log_err(LOG_IKE, "%s", line);
	else
		log_warn(LOG_CFG, "%s", line);
	log_set_stderr(log_to_stderr);
}

static int __attribute__((format(printf, 2, 3)))
fail(int code, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);	/* may truncate */
	va_end(ap);
	fprintf(stderr, "isakmpd: %s\n", line);
	syslog_only(LOG_ERR, line);
	return code;
}

static int
usage(void)
{
	fprintf(stderr, "usage: isakmpd [-d] [-D dbdir] [-S socket] "
	    "[-f conf] [-K backend] [-P pidfile]\n");
	return EXIT_USAGE;
}

/* An absolute copy of p: the daemon changes directory to /. */
static char *
abs_path(const char *p)
{
	char cwd[PATH_MAX], *r;
	size_t n;

	if (p[0] == '/')
		return strdup(p);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	n = strlen(cwd) + 1 + strlen(p) + 1;
	if ((r = malloc(n)) != NULL)
		(void)snprintf(r, n, "%s/%s", cwd, p);	/* sized to fit */
	return r;
}

static int
take_path(char **dst, const char *src, const char *what)
{
	if (src[0] == '\0') {
		fprintf(stderr, "isakmpd: the %s path is empty\n", what);
		return usage();
	}
	free(*dst);
	if ((*dst = abs_path(src)) == NULL)
		return fail(EXIT_SYSTEM, "%s path %s: %s", what, src,
		    strerror(errno));
	return 0;
}

static int
parse_idle(struct startup *s)
{
	const char *v = getenv(IDLE_ENV);
	char *end;
	unsigned long n;

	if (v == NULL || v[0] == '\0')
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > IDLE_MAX || v[0] < '0'
	    || v[0] > '9')
		return fail(EXIT_USAGE, "%s=%s: not a number of seconds from 1 "
		    "to %d", IDLE_ENV, v, IDLE_MAX);
	s->idle_s = (unsigned)n;
	return 0;
}

static int
parse_args(struct startup *s, int argc, char **argv)
{
	const char *db = ike_path_db(), *sock = ike_path_socket();
	const char *conf = ike_path_conf(), *pid = NULL;
	int ch, rc;

	s->backend = plat_default_backend();
	while ((ch = getopt(argc, argv, "dD:S:f:K:P:")) != -1) {
		switch (ch) {
		case 'd':
			s->foreground = true;
			break;
		case 'D':
			db = optarg;
			break;
		case 'S':
			sock = optarg;
			break;
		case 'f':
			conf = optarg;
			break;
		case 'K':
			s->backend = optarg;
			break;
		case 'P':
			pid = optarg;
			break;
		default:
			return usage();	/* getopt said why */
		}
	}
	if (optind < argc) {
		fprintf(stderr, "isakmpd: unexpected argument \"%s\"\n",
		    argv[optind]);
		return usage();
	}
	if ((rc = take_path(&s->db, db, "database")) != 0 ||
	    (rc = take_path(&s->sock, sock, "socket")) != 0 ||
	    (rc = take_path(&s->conf, conf, "configuration")) != 0 ||
	    (pid != NULL && (rc = take_path(&s->pid, pid, "pidfile")) != 0))
		return rc;
	return parse_idle(s);
}

static int
check_backend(const char *name)
{
	const struct plat_ops *const *b;
	char list[256] = "";
	size_t n = 0;

	for (b = plat_backends; *b != NULL; b++) {
		if (strcmp((*b)->name, name) == 0)
			return 0;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
		    n > 0 ? ", " : "", (*b)->name);
		if (n >= sizeof(list))
			n = sizeof(list) - 1;
	}
	return fail(EXIT_USAGE, "unknown backend \"%s\" for -K (built in: %s)",
	    name, list);
}

static void
print_warning(void *arg, const char *line)
{
	(void)arg;
	fprintf(stderr, "isakmpd: warning: %s\n", line);
	syslog_only(LOG_WARNING, line);
}

static int
load_conf(struct startup *s)
{
	struct conf_report rep;
	int rc;

	rc = conf_file_load(s->conf, &s->cf, &s->cf_missing, &rep);
	if (rc != 0)
		return fail(rc == IKE_ESYS ? EXIT_SYSTEM : EXIT_USAGE,
		    "%s; not started", rep.error);
	log_set_level(s->cf.log_level);
	conf_file_warnings(&rep, print_warning, NULL);
	return 0;
}

/* The certificate files conf names: a file that is wrong stops the
 * start like a wrong value (exit 1), one that cannot be read like an
 * unreadable configuration (exit 2). */
static int
load_certs(struct startup *s)
{
	char msg[DCERTS_MSG_LEN], warn[DCERTS_MSG_LEN];
	int rc;

	if ((rc = dcerts_load(&s->cf, geteuid(), &s->certs, msg,
	    warn)) != 0)
		return fail(rc == IKE_ESYS ? EXIT_SYSTEM : EXIT_USAGE,
		    "%s; not started", msg);
	if (warn[0] != '\0')
		print_warning(NULL, warn);
	return 0;
}

static int
lock_pidfile(struct startup *s)
{
	char buf[PATH_MAX];
	long owner = 0;
	int rc;

	if (s->pid == NULL) {
		if (pidfile_default_path(s->sock, buf, sizeof(buf)) != 0)
			return fail(EXIT_USAGE, "%s: socket path too long for "
			    "a pidfile path", s->sock);
		if ((s->pid = strdup(buf)) == NULL)
			return fail(EXIT_SYSTEM, "out of memory");
	}
	rc = pidfile_lock(s->pid, &s->pf, &owner);
	if (rc == IKE_EBUSY && owner > 0)
		return fail(EXIT_SYSTEM, "another isakmpd (pid %ld) is serving "
		    "%s (pidfile %s)", owner, s->sock, s->pid);
	if (rc == IKE_EBUSY)
		return fail(EXIT_SYSTEM, "another isakmpd is serving %s "
		    "(pidfile %s is locked)", s->sock, s->pid);
	if (rc != 0)
		return fail(EXIT_SYSTEM, "cannot lock pidfile %s: %s", s->pid,
		    rc == IKE_ESYS ? strerror(errno) : ike_strerror(rc));
	return 0;
}

static int
open_socket(struct startup *s)
{
	char err[512];
	int rc;

	if ((rc = ctl_socket_open(s->sock, &s->cs, err, sizeof(err))) != 0)
		return fail(rc == IKE_EINVAL ? EXIT_USAGE : EXIT_SYSTEM, "%s",
		    err);
	s->have_cs = true;
	return 0;
}

/* Returns in the child.  The parent leaves here: 0 once the child says
 * it serves, else the child's own exit status. */
static int
daemonize(struct startup *s)
{
	int p[2], st;
	ssize_t n;
	pid_t pid;
	char c;

	if (pipe(p) != 0)
		return fail(EXIT_SYSTEM, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0)
		return fail(EXIT_SYSTEM, "fork: %s", strerror(errno));
	if (pid > 0) {
		close(p[1]);
		while ((n = read(p[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (n == 1)
			_exit(0);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		_exit(WIFEXITED(st) && WEXITSTATUS(st) != 0 ?
		    WEXITSTATUS(st) : EXIT_SYSTEM);
	}
	close(p[0]);
	s->ready_fd = p[1];
	if (fcntl(p[1], F_SETFD, FD_CLOEXEC) != 0 || setsid() < 0 ||
	    chdir("/") != 0)
		return fail(EXIT_SYSTEM, "cannot detach: %s", strerror(errno));
	return 0;
}

/* Daemon mode: standard streams to /dev/null, then tell the parent. */
static int
detach_stdio(struct startup *s)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return fail(EXIT_SYSTEM, "/dev/null: %s", strerror(errno));
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		return fail(EXIT_SYSTEM, "dup2: %s", strerror(errno));
	if (fd > 2)
		close(fd);
	/* If the parent is gone, nobody is waiting for this byte. */
	(void)!write(s->ready_fd, "1", 1);
	close(s->ready_fd);
	s->ready_fd = -1;
	return 0;
}

static int
start_daemon(struct startup *s)
{
	struct isakmpd_cfg cfg = {
		.backend = s->backend, .socket_path = s->sock,
		.pidfile_path = s->pid, .db_dir = s->db, .conf_path = s->conf,
		.ctl_fd = s->cs.fd, .idle_s = s->idle_s, .conf = s->cf,
		.conf_missing = s->cf_missing, .certs = s->certs,
	};
	char err[512];
	int rc;

	if (!s->foreground && (rc = daemonize(s)) != 0)
		return rc;
	if (pidfile_write(s->pf, (long)getpid()) != 0)
		return fail(EXIT_SYSTEM, "cannot write pidfile %s: %s", s->pid,
		    strerror(errno));
	rc = isakmpd_new(&cfg, &s->d, err, sizeof(err));
	memset(&s->certs, 0, sizeof(s->certs));	/* the daemon's now */
	if (rc != 0)
		return fail(EXIT_SYSTEM, "%s", err);
	s->have_cs = false;	/* the fd is the daemon's now */
	if (!s->foreground)
		return detach_stdio(s);
	return 0;
}

/* SIGHUP, SIGTERM and SIGINT wait (blocked) until the event loop watches
 * them, so a signal during start-up is handled like any other instead
 * of killing the daemon with its socket and pidfile left behind. */
static void
block_signals(bool block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	/* Cannot fail with a valid how and set. */
	(void)sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static int
run(struct startup *s, int argc, char **argv)
{
	int rc;

	log_open("isakmpd");
	if ((rc = parse_args(s, argc, argv)) != 0)
		return rc;
	log_to_stderr = s->foreground;
	log_set_stderr(log_to_stderr);
	if ((rc = check_backend(s->backend)) != 0 ||
	    (rc = load_conf(s)) != 0 || (rc = load_certs(s)) != 0 ||
	    (rc = lock_pidfile(s)) != 0 ||
	    (rc = open_socket(s)) != 0 || (rc = start_daemon(s)) != 0)
		return rc;
	block_signals(false);
	rc = isakmpd_run(s->d) == 0 ? 0 : EXIT_SYSTEM;
	log_info(LOG_IKE, "isakmpd stopped");
	return rc;
}

static void
cleanup(struct startup *s)
{
	if (s->d != NULL) {
		isakmpd_free(s->d);	/* closes the listening socket */
		ctl_socket_unlink(s->sock, &s->cs);
	} else if (s->have_cs) {
		close(s->cs.fd);
		ctl_socket_unlink(s->sock, &s->cs);
	}
	dcerts_free(&s->certs);
	pidfile_remove(s->pf);
	if (s->ready_fd >= 0)
		close(s->ready_fd);
	free(s->db);
	free(s->sock);
	free(s->conf);
	free(s->pid);
}

int
main(int argc, char **argv)
{
	struct startup s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.ready_fd = -1;
	/* Writes to a vanished client must fail with EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);
	block_signals(true);
	rc = run(&s, argc, argv);
	cleanup(&s);
	exit(rc);
}
