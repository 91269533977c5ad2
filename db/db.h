/* db/db.h: the tunnel-definition database (LMDB), with typed accessors.
 *
 * One LMDB environment per database directory, one named database per
 * object type plus "meta" (schema version, tunnel-number counters) and
 * "tunnel_num" (tunnel number -> name).  Records are encoded by
 * db/record.c in a versioned, big-endian TLV form; no MDB_val leaves db/.
 * Every object handed out is a copy owned by the caller.
 *
 * Several processes may use one database at once (LMDB's lock file);
 * ikedb writes while isakmpd and ike read.  When the map is full,
 * db_write() grows it and runs the transaction again; readers pick up
 * the new size by themselves.  The directory is created 0700, the files
 * 0600. */
#ifndef IKE_DB_DB_H
#define IKE_DB_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"

#define DB_KEY_MAX	(DB_IDVAL_MAX + DB_IDVAL2_MAX + 32)

struct db;		/* an open environment */
struct db_txn;		/* a transaction on it */

enum db_open_flags {
	DB_OPEN_CREATE = 1 << 0,	/* create the directory and files */
	DB_OPEN_RDONLY = 1 << 1,	/* read only; fails if absent */
};

/* Opens the database in dir.  Caller frees with db_close().  A database
 * written by a newer schema is refused with IKE_EUNSUPP.  On failure,
 * if errbuf is not NULL, a sentence naming the cause (and the path) is
 * written to it. */
int	db_open(const char *dir, unsigned flags, struct db **out,
	    char *errbuf, size_t errlen);
void	db_close(struct db *);		/* NULL is fine */

/* The number of the last committed write transaction, by any process:
 * it changes whenever anything in the database changed (a cheap poll
 * for readers that cache).  0 on failure. */
uint64_t db_generation(struct db *);

/* Read transaction.  Caller ends it with db_abort(). */
int	db_read_begin(struct db *, struct db_txn **out);
void	db_abort(struct db_txn *);	/* NULL is fine */

/* Runs fn in one write transaction and commits if fn returns 0; any
 * other return aborts and is passed back.  If the map fills up, the
 * transaction is aborted, the map grown and fn called again from the
 * start, so fn must depend only on its argument and the transaction. */
int	db_write(struct db *, int (*fn)(struct db_txn *, void *), void *arg);

/* Copies the object of `type` with key `key` (see db_obj_key()) into
 * *out.  IKE_ENOTFOUND if absent. */
int	db_get(struct db_txn *, enum db_type, const char *key,
	    struct db_obj *out);

/* Copies the phase-1 (IKETunnel) or phase-2 (IPSecTunnel) definition with
 * tunnel number num into *out.  IKE_ENOTFOUND if none. */
int	db_get_num(struct db_txn *, int phase, uint32_t num,
	    struct db_obj *out);

/* Stores o.  A new tunnel gets the next free tunnel number of its phase,
 * written back into o; a replaced tunnel keeps its number.  If an object
 * of the same type and key exists: IKE_EEXIST unless replace.  Does not
 * check references (see db_check_refs()). */
int	db_put(struct db_txn *, struct db_obj *o, bool replace);

/* One reference from one object to another. */
struct db_ref {
	enum db_type	from_type;
	char		from_key[DB_KEY_MAX];
	const char	*attr;		/* static: XML attribute or element */
	enum db_type	to_type;
	char		to_key[DB_KEY_MAX];
};

/* Calls cb for each reference o makes, in a fixed order; stops and
 * returns cb's value if it is not 0. */
int	db_obj_refs(const struct db_obj *o,
	    int (*cb)(const struct db_ref *, void *), void *arg);

/* Finds the first reference another object makes to the object of `type`
 * with key `key` (which need not exist): IKE_EBUSY with it in *ref (if
 * not NULL), 0 if there is none.  Objects are visited as db_foreach()
 * does, types in enum order. */
int	db_find_referrer(struct db_txn *, enum db_type, const char *key,
	    struct db_ref *ref);

/* Deletes the object.  IKE_ENOTFOUND if absent; IKE_EBUSY if another
 * object refers to it, with the first such reference in *ref when ref
 * is not NULL. */
int	db_del(struct db_txn *, enum db_type, const char *key,
	    struct db_ref *ref);

/* Deletes every object and restarts tunnel numbering at 1. */
int	db_clear(struct db_txn *);

/* Checks that every reference of every object resolves.  IKE_ENOTFOUND
 * with the first dangling one in *ref (if not NULL), else 0.
 * A reference by type also checks semantics the schema demands: an
 * IKE_IPSecDefaultProtectionRef must name a protection whose name starts
 * with "_defIPSprot_"; one that does not is reported the same way but
 * with IKE_EINVAL (even if its target exists). */
int	db_check_refs(struct db_txn *, struct db_ref *ref);

/* Calls cb with each object of `type`: tunnels in number order, others
 * in key order.  *o is valid only during the call.  Stops and returns
 * cb's value if it is not 0. */
int	db_foreach(struct db_txn *, enum db_type,
	    int (*cb)(const struct db_obj *o, void *arg), void *arg);

/* Number of objects of `type`. */
int	db_count(struct db_txn *, enum db_type, uint64_t *out);

#endif
