/* tests/ikedb/ikt.h: running the real ikedb on a scratch database, and
 * checking that a refused command left that database exactly as it was. */
#ifndef IKT_H
#define IKT_H

#include <stddef.h>

#include "tests/lib/testutil.h"

struct ikt {
	char	dir[256];	/* scratch directory */
	char	db[320];	/* its database: dir/db */
	char	env[340];	/* "IKE_DB=<db>" */
};

void	ikt_init(struct ikt *);		/* asserts */
void	ikt_fini(struct ikt *);

/* Writes text to dir/name; returns the path (static, 4 slots). */
const char	*ikt_file(struct ikt *, const char *name, const char *text);

/* Runs ikedb with the arguments (NULL-ended) and stdin_text (or NULL). */
void	ikt_run(struct ikt *, const char *stdin_text, struct tu_result *,
	    ...);
void	ikt_runv(struct ikt *, const char *stdin_text, struct tu_result *,
	    const char *const *args);

/* ikedb -p of text (written to dir/in.xml, with extra flags such as
 * "-pF" in mode); asserts exit 0. */
void	ikt_put(struct ikt *, const char *mode, const char *text);

/* ikedb -g -k; asserts exit 0.  Caller frees. */
char	*ikt_dump(struct ikt *);

/* The database before a command that must change nothing. */
struct ikt_snap {
	char	*dump;		/* ikedb -g -k */
	char	*mdb;		/* data.mdb bytes, or NULL if absent */
	size_t	 mdblen;
};

void	ikt_snap_take(struct ikt *, struct ikt_snap *);
/* Asserts the database is as in the snapshot, and frees it. */
void	ikt_snap_same(struct ikt *, struct ikt_snap *);

/* Asserts that stderr is one line "ikedb: ..." containing every string
 * of the NULL-ended list. */
void	ikt_one_message(const char *err, const char *const *want);

/* A file of the test data directory (tests/ikedb/data); caller frees. */
char	*ikt_data(const char *name);

#endif
