/* db/db_dir.c: the database directory and the map size, before LMDB
 * opens the environment. */
#include "db.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/err.h"
#include "../core/log.h"
#include "db_int.h"

void
db_seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	/* A truncated message is still a message. */
	(void)vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

/* -------------------------------------------------------------- open */

int
db_mapsize_initial(size_t *out, char *errbuf, size_t errlen)
{
	const char *s = getenv("IKE_DB_MAPSIZE");
	unsigned long long v;
	long pg = sysconf(_SC_PAGESIZE);
	char *end;

	*out = DB_MAPSIZE_DEFAULT;
	if (s == NULL || s[0] == '\0')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 ||
	    v < DB_MAPSIZE_MIN || v > DB_MAPSIZE_MAX) {
		db_seterr(errbuf, errlen, "IKE_DB_MAPSIZE=\"%s\" is not a number "
		    "of bytes from %zu to %zu", s, DB_MAPSIZE_MIN,
		    DB_MAPSIZE_MAX);
		return IKE_EINVAL;
	}
	if (pg <= 0)
		pg = 4096;
	*out = (size_t)((v + (unsigned long long)pg - 1) /
	    (unsigned long long)pg * (unsigned long long)pg);
	return 0;
}

/* Creates the missing parents of dir (0755, like mkdir -p); the caller
 * creates dir itself.  0, or the errno of the failing mkdir. */
static int
mkdir_parents(const char *dir)
{
	char path[PATH_MAX];
	size_t i, n = strlen(dir);

	if (n >= sizeof(path))
		return ENAMETOOLONG;
	memcpy(path, dir, n + 1);
	for (i = 1; i < n; i++) {
		if (path[i] != '/')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			return errno;
		path[i] = '/';
	}
	return 0;
}

/* Checks that dir holds a database, or creates dir (0700) and its
 * missing parents. */
int
db_dir_prepare(const char *dir, unsigned flags, char *errbuf, size_t errlen)
{
	char path[PATH_MAX];
	struct stat st;
	mode_t old;
	int n, rc, e;

	if (stat(dir, &st) != 0 && errno == ENOENT &&
	    (flags & DB_OPEN_CREATE)) {
		if ((e = mkdir_parents(dir)) != 0) {
			log_err(LOG_DB, "mkdir %s: %s", dir, strerror(e));
			db_seterr(errbuf, errlen, "cannot create %s: %s", dir,
			    strerror(e));
			return IKE_ESYS;
		}
		old = umask(077);	/* exactly 0700, whatever the umask */
		rc = mkdir(dir, 0700);
		e = errno;
		umask(old);
		if (rc != 0 && e != EEXIST) {
			log_err(LOG_DB, "mkdir %s: %s", dir, strerror(e));
			db_seterr(errbuf, errlen, "cannot create %s: %s", dir,
			    strerror(e));
			return IKE_ESYS;
		}
		return 0;
	}
	if (flags & DB_OPEN_CREATE)
		return 0;
	n = snprintf(path, sizeof(path), "%s/data.mdb", dir);
	if (n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0)
		return 0;
	if (errno != ENOENT && errno != ENOTDIR) {
		e = errno;
		log_err(LOG_DB, "stat %s: %s", path, strerror(e));
		db_seterr(errbuf, errlen, "cannot read the database in %s: %s",
		    dir, strerror(e));
		return IKE_ESYS;
	}
	db_seterr(errbuf, errlen, "no database in %s (load definitions with "
	    "ikedb -p)", dir);
	return IKE_ENOTFOUND;
}

