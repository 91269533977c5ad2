/* core/daemon/conf_file.c: isakmpd.conf from disk.  Only a regular file
 * is read (a FIFO or a device would block or never end). */
#include "conf_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../err.h"

static int
read_all(int fd, char *buf, size_t max, size_t *len)
{
	size_t n = 0;
	ssize_t r;

	while (n < max) {
		r = read(fd, buf + n, max - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return 0;
}

/* The file's bytes in a new buffer (one spare byte to spot oversize).
 * IKE_ENOTFOUND if it does not exist; other errors say why in rep. */
static int
slurp(const char *path, char **text, size_t *len, struct conf_report *rep)
{
	const char *why = NULL;
	struct stat st;
	char *buf = NULL;
	int fd, rc = IKE_ESYS;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return IKE_ENOTFOUND;
		why = strerror(errno);
	} else if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((buf = malloc(CONF_FILE_MAX + 1)) == NULL) {
		why = "out of memory";
		rc = IKE_ENOMEM;
	} else if (read_all(fd, buf, CONF_FILE_MAX + 1, len) != 0)
		why = strerror(errno);
	else if (*len > CONF_FILE_MAX) {
		why = "larger than " CONF_FILE_MAX_TEXT;
		rc = IKE_ENOSPC;
	}
	if (fd >= 0)
		close(fd);
	if (why != NULL) {
		snprintf(rep->error, sizeof(rep->error), "cannot read %s: %s",
		    path, why);
		free(buf);
		return rc;
	}
	*text = buf;
	return 0;
}

int
conf_file_load(const char *path, struct ike_conf *out, bool *missing,
    struct conf_report *rep)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	memset(rep, 0, sizeof(*rep));
	rc = slurp(path, &text, &len, rep);
	if (rc == IKE_ENOTFOUND) {
		conf_defaults(out);
		*missing = true;
		return 0;
	}
	if (rc != 0)
		return rc == IKE_ENOMEM ? IKE_ESYS : rc;
	rc = conf_parse(text, len, path, out, rep);
	free(text);
	if (rc == 0)
		*missing = false;
	return rc;
}

void
conf_file_warnings(const struct conf_report *rep,
    void (*fn)(void *arg, const char *line), void *arg)
{
	char more[64];
	size_t i;

	for (i = 0; i < rep->nwarn && i < CONF_MAX_WARN; i++)
		fn(arg, rep->warn[i]);
	if (rep->nwarn > CONF_MAX_WARN) {
		(void)snprintf(more, sizeof(more), "... and %zu more warnings",
		    rep->nwarn - CONF_MAX_WARN);
		fn(arg, more);
	}
}
