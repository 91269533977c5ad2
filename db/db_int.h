/* db/db_int.h: what db/db.c and db/db_dir.c share; not an API. */
#ifndef IKE_DB_INT_H
#define IKE_DB_INT_H

#include <stddef.h>

#define DB_MAPSIZE_DEFAULT	((size_t)1 << 20)
#define DB_MAPSIZE_MIN		((size_t)4096)
#define DB_MAPSIZE_MAX		((size_t)1 << 30)	/* growth stops here */

/* Writes a message to errbuf (if not NULL); truncation is fine. */
void	db_seterr(char *errbuf, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The initial map size: $IKE_DB_MAPSIZE or the default, page-rounded. */
int	db_mapsize_initial(size_t *out, char *errbuf, size_t errlen);
/* Checks that dir holds a database, or with DB_OPEN_CREATE creates dir
 * (0700) and its missing parents. */
int	db_dir_prepare(const char *dir, unsigned flags, char *errbuf,
	    size_t errlen);

#endif
