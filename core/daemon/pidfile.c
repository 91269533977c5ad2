/* core/daemon/pidfile.c: creating, locking, writing and removing the
 * pidfile.  A lock taken on a file that its owner unlinked meanwhile is
 * worthless, so the inode is checked after locking and the open retried. */
#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../err.h"

#define LOCK_TRIES	5

struct pidfile {
	int	 fd;	/* owned; holds the lock */
	char	*path;	/* owned */
};

int
pidfile_default_path(const char *sock, char *buf, size_t len)
{
	size_t n = strlen(sock);
	int w;

	if (n > 5 && strcmp(sock + n - 5, ".sock") == 0)
		w = snprintf(buf, len, "%.*s.pid", (int)(n - 5), sock);
	else
		w = snprintf(buf, len, "%s.pid", sock);
	return w < 0 || (size_t)w >= len ? IKE_ENOSPC : 0;
}

/* The pid in a locked pidfile, or 0. */
static long
read_owner(int fd)
{
	char b[32];
	ssize_t n = pread(fd, b, sizeof(b) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	b[n] = '\0';
	pid = strtol(b, &end, 10);
	return end != b && (*end == '\n' || *end == '\0') && pid > 0 ? pid : 0;
}

/* Whether fd is still the file at path (not unlinked or replaced). */
static int
same_file(int fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) != 0)
		return -1;
	if (stat(path, &b) != 0)
		return errno == ENOENT ? 0 : -1;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* One attempt: 0 locked, 1 retry, or an error. */
static int
lock_once(const char *path, int *fdp, long *owner)
{
	int fd, same, saved;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return IKE_ESYS;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		saved = errno;
		if (saved == EWOULDBLOCK)
			*owner = read_owner(fd);
		close(fd);
		errno = saved;
		return saved == EWOULDBLOCK ? IKE_EBUSY : IKE_ESYS;
	}
	if ((same = same_file(fd, path)) != 1) {
		saved = errno;
		close(fd);
		errno = saved;
		return same == 0 ? 1 : IKE_ESYS;
	}
	*fdp = fd;
	return 0;
}

int
pidfile_lock(const char *path, struct pidfile **out, long *owner)
{
	struct pidfile *pf;
	int rc = 1, fd = -1, i;

	for (i = 0; i < LOCK_TRIES && rc == 1; i++)
		rc = lock_once(path, &fd, owner);
	if (rc == 1) {
		errno = EAGAIN;		/* the file kept being replaced */
		return IKE_ESYS;
	}
	if (rc != 0)
		return rc;
	if ((pf = calloc(1, sizeof(*pf))) == NULL ||
	    (pf->path = strdup(path)) == NULL) {
		free(pf);
		close(fd);
		return IKE_ENOMEM;
	}
	pf->fd = fd;
	*out = pf;
	return 0;
}

int
pidfile_write(struct pidfile *pf, long pid)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%ld\n", pid);

	if (n < 0 || (size_t)n >= sizeof(b))
		return IKE_EINVAL;
	if (ftruncate(pf->fd, 0) != 0 ||
	    pwrite(pf->fd, b, (size_t)n, 0) != (ssize_t)n)
		return IKE_ESYS;
	return 0;
}

void
pidfile_remove(struct pidfile *pf)
{
	if (pf == NULL)
		return;
	/* Unlink while still locked, so no one locks the dying file. */
	if (same_file(pf->fd, pf->path) == 1)
		(void)unlink(pf->path);	/* best effort: we are leaving */
	close(pf->fd);
	free(pf->path);
	free(pf);
}
