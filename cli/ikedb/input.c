/* cli/ikedb/input.c: files in, and the -e file's restriction. */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/secmem.h"

static int
read_fd(int fd, const char *name, char **bufp, size_t *lenp, char *err,
    size_t errlen)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			if (cap >= INPUT_MAX) {
				snprintf(err, errlen, "%s: larger than %u "
				    "bytes", name, INPUT_MAX);
				secmem_wipe(buf, len);
				free(buf);
				return IKE_EINVAL;
			}
			if ((nb = malloc(cap + 65536 + 1)) == NULL) {
				secmem_wipe(buf, len);
				free(buf);
				snprintf(err, errlen, "out of memory");
				return IKE_ENOMEM;
			}
			if (buf != NULL)
				memcpy(nb, buf, len);
			secmem_wipe(buf, len);
			free(buf);
			buf = nb;
			cap += 65536;
		}
		if ((n = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = errno == EISDIR ? IKE_EINVAL : IKE_ESYS;

			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			secmem_wipe(buf, len);
			free(buf);
			return rc;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

int
ent_read_file(const char *path, char **buf, size_t *len, char *err,
    size_t errlen)
{
	int fd, rc;

	if (strcmp(path, "-") == 0)
		return read_fd(0, "standard input", buf, len, err, errlen);
	if ((fd = open(path, O_RDONLY)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return IKE_EINVAL;
	}
	rc = read_fd(fd, path, buf, len, err, errlen);
	close(fd);
	return rc;
}

static unsigned
line_at(const char *text, const char *p)
{
	unsigned line = 1;

	for (; text < p; text++)
		if (*text == '\n')
			line++;
	return line;
}

/* The end of the declaration at p ("<!ENTITY"), skipping quoted
 * literals; NULL if it does not end. */
static const char *
decl_end(const char *p)
{
	char q;

	for (; *p != '\0' && *p != '>'; p++) {
		if (*p == '"' || *p == '\'') {
			q = *p;
			if ((p = strchr(p + 1, q)) == NULL)
				return NULL;
		}
	}
	return *p == '>' ? p + 1 : NULL;
}

static int
bad_at(const char *text, const char *p, const char *name, char *err,
    size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s:%u: %s", name, line_at(text, p), what);
	return IKE_EINVAL;
}

int
ent_check(const char *text, const char *name, char *err, size_t errlen)
{
	const char *p = text, *q;
	bool first = true;

	for (;; first = false) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			return 0;
		if (first && strncmp(p, "<?xml", 5) == 0 &&
		    (q = strstr(p, "?>")) != NULL) {
			p = q + 2;
		} else if (strncmp(p, "<!--", 4) == 0) {
			if ((q = strstr(p + 4, "-->")) == NULL)
				return bad_at(text, p, name, err, errlen,
				    "unterminated comment");
			p = q + 3;
		} else if (strncmp(p, "<!ENTITY", 8) == 0 &&
		    strchr(" \t\r\n", p[8]) != NULL && p[8] != '\0') {
			q = p + 8 + strspn(p + 8, " \t\r\n");
			if (*q == '%')
				return bad_at(text, p, name, err, errlen,
				    "parameter entities are not allowed");
			if ((q = decl_end(q)) == NULL)
				return bad_at(text, p, name, err, errlen,
				    "unterminated <!ENTITY declaration");
			p = q;
		} else {
			return bad_at(text, p, name, err, errlen, "only "
			    "<!ENTITY ...> declarations are allowed in an "
			    "entity file");
		}
	}
}

char *
ent_resolve(const char *base, const char *sysid)
{
	const char *slash;
	char *out;
	size_t dlen;

	if (strcmp(sysid, "-") == 0)	/* a file, not standard input */
		sysid = "./-";
	if (base == NULL || sysid[0] == '/' ||
	    (slash = strrchr(base, '/')) == NULL)
		return strdup(sysid);
	dlen = (size_t)(slash - base) + 1;
	if ((out = malloc(dlen + strlen(sysid) + 1)) == NULL)
		return NULL;
	memcpy(out, base, dlen);
	strcpy(out + dlen, sysid);
	return out;
}
