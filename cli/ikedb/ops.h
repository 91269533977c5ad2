/* cli/ikedb/ops.h: what each ikedb mode does to the database.  Each
 * returns the exit status: 0, 1 for the user's error, 2 for a system
 * error, with one message (without the "ikedb: " prefix) in err. */
#ifndef IKEDB_OPS_H
#define IKEDB_OPS_H

#include <stdbool.h>
#include <stdio.h>

#include "db/db.h"
#include "parse.h"

#define OPS_OK		0
#define OPS_USER	1
#define OPS_SYS		2

/* Which objects -g and -d act on. */
struct ops_sel {
	bool		 all;		/* no -t: every object */
	enum db_type	 type;		/* -t */
	const char	*name;		/* -n, or NULL */
	bool		 by_ident;	/* -i/-y */
	struct db_ident	 ident;
};

/* -s: swaps local and remote in every tunnel of doc. */
int	ops_swap(struct ikedb_doc *doc, char *err, size_t errlen);

/* -p: stores every object of doc in one transaction, replacing
 * same-keyed ones if replace; then every reference must resolve.
 * Nothing is stored unless all of it is. */
int	ops_put(struct db *, struct ikedb_doc *doc, bool replace, char *err,
	    size_t errlen);

/* -g: writes the selected objects (recursive: and all they refer to)
 * as a document to out.  db NULL: an empty database. */
int	ops_get(struct db *, const struct ops_sel *, bool recursive,
	    bool keys, FILE *out, char *err, size_t errlen);

/* -d: deletes the selected objects, unless another object refers to
 * one. */
int	ops_del(struct db *, const struct ops_sel *, char *err,
	    size_t errlen);

/* -x: deletes everything. */
int	ops_clear(struct db *, char *err, size_t errlen);

#endif
