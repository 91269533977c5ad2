/* db/db.c: the tunnel-definition database on LMDB.
 *
 * The environment is the database directory (data.mdb, lock.mdb).  Named
 * databases: one per object type (type_dbname[] below), keyed by
 * db_obj_key() without its NUL, values are record.h records; "tunnel_num"
 * maps (u8 phase, u32 number, big-endian) to the tunnel's name; "meta"
 * holds "schema" (u16 major, u16 minor) and "next_tunnel_1",
 * "next_tunnel_2" (u32: the next tunnel number of each phase).
 *
 * The map starts at 1 MiB, or at the number of bytes in the environment
 * variable IKE_DB_MAPSIZE (tests use it to force growth), or at the size
 * an earlier writer grew it to, and doubles on MDB_MAP_FULL up to
 * DB_MAPSIZE_MAX.
 *
 * A struct db is used by one thread at a time.  Its transactions are not
 * tied to threads (MDB_NOTLS).  Growing or adopting a grown map needs all
 * of the handle's transactions to be closed: do not keep a read
 * transaction open across db_write() on the same handle. */
#include "db.h"

#include <errno.h>
#include <lmdb.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/codec/rd.h"
#include "../core/codec/wr.h"
#include "../core/err.h"
#include "../core/log.h"
#include "../core/secmem.h"
#include "db_int.h"
#include "record.h"

#define DB_SCHEMA_MAJOR		1
#define DB_SCHEMA_MINOR		0
#define DB_NUMKEY_LEN		5	/* u8 phase, u32 number */

static const char *const type_dbname[DB_T_COUNT] = {
	[DB_T_IKE_PROTECTION] = "ike_protection",
	[DB_T_IKE_TUNNEL] = "ike_tunnel",
	[DB_T_PSK] = "psk",
	[DB_T_GROUP] = "group",
	[DB_T_IPSEC_PROPOSAL] = "ipsec_proposal",
	[DB_T_IPSEC_PROTECTION] = "ipsec_protection",
	[DB_T_IPSEC_TUNNEL] = "ipsec_tunnel",
};

static const char *const next_num_key[3] = {
	NULL, "next_tunnel_1", "next_tunnel_2"
};

struct db {
	MDB_env		*env;		/* owned */
	MDB_dbi		 dbi[DB_T_COUNT];
	MDB_dbi		 meta, tnum;
	unsigned	 ntxn;		/* transactions open on this handle */
	bool		 rdonly;
	char		 dir[PATH_MAX];
};

struct db_txn {
	struct db	*db;		/* borrowed */
	MDB_txn		*txn;		/* owned */
	bool		 write;
	bool		 full;		/* a write hit MDB_MAP_FULL */
};

/* ----------------------------------------------------------- helpers */

#define lmdb_err(mrc, what, name)	lmdb_err_at(__func__, mrc, what, name)

/* Logs an LMDB failure and maps it to IKE_ENOSPC (disk or map full) or
 * IKE_EDB. */
static int
lmdb_err_at(const char *func, int mrc, const char *what, const char *name)
{
	log_msg(LOG_ERR, LOG_DB, func, "%s%s%s: %s", what,
	    name[0] != '\0' ? " " : "", name, mdb_strerror(mrc));
	return mrc == ENOSPC || mrc == MDB_MAP_FULL ? IKE_ENOSPC : IKE_EDB;
}


static struct db_obj *
obj_new(void)
{
	return calloc(1, sizeof(struct db_obj));
}

static void
obj_free(struct db_obj *o)
{
	if (o == NULL)
		return;
	secmem_wipe(o, sizeof(*o));	/* may be a preshared key */
	free(o);
}

static bool
type_ok(enum db_type type)
{
	return (unsigned)type < DB_T_COUNT;
}

static bool
is_tunnel(enum db_type type)
{
	return type == DB_T_IKE_TUNNEL || type == DB_T_IPSEC_TUNNEL;
}

static int
phase_of(enum db_type type)
{
	return type == DB_T_IKE_TUNNEL ? 1 : 2;
}

static uint32_t *
tunnel_num(struct db_obj *o)
{
	if (o->type == DB_T_IKE_TUNNEL)
		return &o->u.ike_tun.num;
	if (o->type == DB_T_IPSEC_TUNNEL)
		return &o->u.ipsec_tun.num;
	return NULL;
}

/* A key of an object: not empty, shorter than DB_KEY_MAX. */
static int
key_val(const char *key, MDB_val *k)
{
	size_t n = strnlen(key, DB_KEY_MAX);

	if (n == 0 || n == DB_KEY_MAX)
		return IKE_EINVAL;
	k->mv_data = (void *)(uintptr_t)key;
	k->mv_size = n;
	return 0;
}

static void
numkey(uint8_t buf[DB_NUMKEY_LEN], int phase, uint32_t num, MDB_val *k)
{
	buf[0] = (uint8_t)phase;
	buf[1] = (uint8_t)(num >> 24);
	buf[2] = (uint8_t)(num >> 16);
	buf[3] = (uint8_t)(num >> 8);
	buf[4] = (uint8_t)num;
	k->mv_data = buf;
	k->mv_size = DB_NUMKEY_LEN;
}

#define txn_err(t, mrc, what, name) \
	txn_err_at(__func__, t, mrc, what, name)

/* An LMDB failure inside a transaction.  A full map is not logged as an
 * error: db_write() grows it and starts over. */
static int
txn_err_at(const char *func, struct db_txn *t, int mrc, const char *what,
    const char *name)
{
	if (mrc == MDB_MAP_FULL && t->write) {
		t->full = true;
		log_msg(LOG_DEBUG, LOG_DB, func, "%s %s: map full, will grow",
		    what, name);
		return IKE_ENOSPC;
	}
	return lmdb_err_at(func, mrc, what, name);
}

static int
txn_writable(const struct db_txn *t)
{
	if (!t->write) {
		log_err(LOG_DB, "write in a read transaction");
		return IKE_ESTATE;
	}
	return t->full ? IKE_ENOSPC : 0;
}

/* Begins a transaction; adopts a map another process has grown. */
static int
txn_begin(struct db *db, unsigned flags, MDB_txn **out)
{
	int mrc, tries;

	for (tries = 0;; tries++) {
		mrc = mdb_txn_begin(db->env, NULL, flags, out);
		if (mrc != MDB_MAP_RESIZED || tries == 8 || db->ntxn != 0)
			break;
		if ((mrc = mdb_env_set_mapsize(db->env, 0)) != 0)
			break;
		log_dbg(LOG_DB, "map grown by another process; adopted");
	}
	if (mrc != 0)
		return lmdb_err(mrc, "begin transaction in", db->dir);
	return 0;
}

/* Decodes a stored record of type into out; a bad one is logged. */
static int
val_decode(enum db_type type, const MDB_val *k, const MDB_val *v,
    struct db_obj *out)
{
	int rc;

	rc = record_decode(v->mv_data, v->mv_size, type, out);
	if (rc != 0)
		log_err(LOG_DB, "%s record \"%.*s\": %s", type_dbname[type],
		    (int)k->mv_size, (const char *)k->mv_data,
		    ike_strerror(rc));
	return rc;
}

/* -------------------------------------------------------------- meta */

static int
meta_get_u32(struct db_txn *t, const char *name, uint32_t dflt, uint32_t *out)
{
	MDB_val k = { strlen(name), (void *)(uintptr_t)name }, v;
	struct rd r;
	int mrc;

	if ((mrc = mdb_get(t->txn, t->db->meta, &k, &v)) == MDB_NOTFOUND) {
		*out = dflt;
		return 0;
	}
	if (mrc != 0)
		return txn_err(t, mrc, "read meta", name);
	rd_init(&r, v.mv_data, v.mv_size);
	if (r.left != 4 || rd_u32(&r, out) != 0) {
		log_err(LOG_DB, "meta \"%s\": malformed", name);
		return IKE_EMALFORMED;
	}
	return 0;
}

static int
meta_put(struct db_txn *t, const char *name, const struct wr *w,
    unsigned flags)
{
	MDB_val k = { strlen(name), (void *)(uintptr_t)name };
	MDB_val v = { w->len, w->buf };
	int mrc;

	if (wr_error(w) != 0)
		return wr_error(w);
	mrc = mdb_put(t->txn, t->db->meta, &k, &v, flags);
	if (mrc == MDB_KEYEXIST)
		return 0;
	return mrc != 0 ? txn_err(t, mrc, "write meta", name) : 0;
}

static int
meta_put_u32(struct db_txn *t, const char *name, uint32_t val)
{
	struct wr w;
	int rc;

	wr_init(&w, 4);
	wr_u32(&w, val);
	rc = meta_put(t, name, &w, 0);
	wr_free(&w);
	return rc;
}

/* Writes the schema version and counters where absent. */
static int
meta_init(struct db_txn *t)
{
	struct wr w;
	int rc, phase;

	wr_init(&w, 4);
	wr_u16(&w, DB_SCHEMA_MAJOR);
	wr_u16(&w, DB_SCHEMA_MINOR);
	rc = meta_put(t, "schema", &w, MDB_NOOVERWRITE);
	wr_free(&w);
	for (phase = 1; rc == 0 && phase <= 2; phase++) {
		wr_init(&w, 4);
		wr_u32(&w, 1);
		rc = meta_put(t, next_num_key[phase], &w, MDB_NOOVERWRITE);
		wr_free(&w);
	}
	return rc;
}

static int
schema_check(struct db_txn *t, char *errbuf, size_t errlen)
{
	MDB_val k = { 6, (void *)(uintptr_t)"schema" }, v;
	const char *dir = t->db->dir;
	uint16_t major, minor;
	struct rd r;
	int mrc;

	if ((mrc = mdb_get(t->txn, t->db->meta, &k, &v)) != 0) {
		db_seterr(errbuf, errlen, "database in %s has no schema version",
		    dir);
		if (mrc != MDB_NOTFOUND)
			return lmdb_err(mrc, "read meta", dir);
		log_err(LOG_DB, "%s: no schema version", dir);
		return IKE_EDB;
	}
	rd_init(&r, v.mv_data, v.mv_size);
	if (r.left != 4 || rd_u16(&r, &major) != 0 || rd_u16(&r, &minor) != 0) {
		log_err(LOG_DB, "%s: malformed schema version", dir);
		db_seterr(errbuf, errlen, "database in %s has a malformed schema "
		    "version", dir);
		return IKE_EDB;
	}
	if (major != DB_SCHEMA_MAJOR) {
		log_err(LOG_DB, "%s: schema version %u.%u, not %u.x", dir,
		    major, minor, DB_SCHEMA_MAJOR);
		db_seterr(errbuf, errlen, "database in %s has schema version "
		    "%u.%u; this program reads version %u.x only", dir, major,
		    minor, DB_SCHEMA_MAJOR);
		return IKE_EUNSUPP;
	}
	return 0;
}

static int
env_open(struct db *db, char *errbuf, size_t errlen)
{
	size_t want;
	MDB_envinfo info;
	mode_t old;
	int mrc, rc;

	if ((rc = db_mapsize_initial(&want, errbuf, errlen)) != 0)
		return rc;
	if ((mrc = mdb_env_create(&db->env)) != 0 ||
	    (mrc = mdb_env_set_maxdbs(db->env, DB_T_COUNT + 2)) != 0 ||
	    (mrc = mdb_env_set_mapsize(db->env, want)) != 0)
		goto fail;
	old = umask(077);		/* directory 0700, files 0600 */
	mrc = mdb_env_open(db->env, db->dir, MDB_NOTLS |
	    (db->rdonly ? MDB_RDONLY : 0), 0600);
	umask(old);
	if (mrc != 0)
		goto fail;
	/* Adopt the size a writer grew the map to, if larger. */
	if ((mrc = mdb_env_set_mapsize(db->env, 0)) != 0 ||
	    (mrc = mdb_env_info(db->env, &info)) != 0)
		goto fail;
	if (info.me_mapsize < want &&
	    (mrc = mdb_env_set_mapsize(db->env, want)) != 0)
		goto fail;
	return 0;
fail:
	db_seterr(errbuf, errlen, "cannot open the database in %s: %s", db->dir,
	    mdb_strerror(mrc));
	return lmdb_err(mrc, "open", db->dir);
}

static int
dbis_open(struct db_txn *t, bool create, char *errbuf, size_t errlen)
{
	struct db *db = t->db;
	unsigned fl = create ? MDB_CREATE : 0;
	int i, mrc = 0;

	for (i = 0; mrc == 0 && i < DB_T_COUNT; i++)
		mrc = mdb_dbi_open(t->txn, type_dbname[i], fl, &db->dbi[i]);
	if (mrc == 0)
		mrc = mdb_dbi_open(t->txn, "meta", fl, &db->meta);
	if (mrc == 0)
		mrc = mdb_dbi_open(t->txn, "tunnel_num", fl, &db->tnum);
	if (mrc == MDB_NOTFOUND) {
		db_seterr(errbuf, errlen, "no database in %s (load definitions "
		    "with ikedb -p)", db->dir);
		return IKE_ENOTFOUND;
	}
	if (mrc != 0) {
		db_seterr(errbuf, errlen, "cannot open the database in %s: %s",
		    db->dir, mdb_strerror(mrc));
		return lmdb_err(mrc, "open named databases in", db->dir);
	}
	return 0;
}

/* Opens the named databases, creating them and meta if asked, and checks
 * the schema version. */
static int
tables_open(struct db *db, unsigned flags, char *errbuf, size_t errlen)
{
	struct db_txn t = { .db = db, .write = (flags & DB_OPEN_CREATE) != 0 };
	int rc, mrc;

	if ((rc = txn_begin(db, t.write ? 0 : MDB_RDONLY, &t.txn)) != 0) {
		db_seterr(errbuf, errlen, "cannot read the database in %s",
		    db->dir);
		return rc;
	}
	if ((rc = dbis_open(&t, t.write, errbuf, errlen)) == 0 && t.write &&
	    (rc = meta_init(&t)) != 0)
		db_seterr(errbuf, errlen, "cannot initialise the database in %s",
		    db->dir);
	if (rc == 0)
		rc = schema_check(&t, errbuf, errlen);
	if (rc != 0) {
		mdb_txn_abort(t.txn);
		return rc;
	}
	/* Commit, also when read-only: it keeps the opened handles. */
	if ((mrc = mdb_txn_commit(t.txn)) != 0) {
		db_seterr(errbuf, errlen, "cannot initialise the database in %s: "
		    "%s", db->dir, mdb_strerror(mrc));
		return lmdb_err(mrc, "commit", db->dir);
	}
	return 0;
}

int
db_open(const char *dir, unsigned flags, struct db **out, char *errbuf,
    size_t errlen)
{
	struct db *db;
	int rc;

	db_seterr(errbuf, errlen, "%s", "");
	if ((flags & DB_OPEN_CREATE) && (flags & DB_OPEN_RDONLY)) {
		db_seterr(errbuf, errlen, "cannot create a database read-only");
		return IKE_EINVAL;
	}
	if (strlen(dir) >= PATH_MAX - 16) {
		db_seterr(errbuf, errlen, "database path too long: %s", dir);
		return IKE_EINVAL;
	}
	if ((rc = db_dir_prepare(dir, flags, errbuf, errlen)) != 0)
		return rc;
	if ((db = calloc(1, sizeof(*db))) == NULL)
		return IKE_ENOMEM;
	snprintf(db->dir, sizeof(db->dir), "%s", dir);
	db->rdonly = (flags & DB_OPEN_RDONLY) != 0;
	if ((rc = env_open(db, errbuf, errlen)) != 0 ||
	    (rc = tables_open(db, flags, errbuf, errlen)) != 0) {
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	if (db->env != NULL)
		mdb_env_close(db->env);
	free(db);
}

uint64_t
db_generation(struct db *db)
{
	MDB_envinfo info;

	if (db == NULL || db->env == NULL || mdb_env_info(db->env, &info) != 0)
		return 0;
	return (uint64_t)info.me_last_txnid;
}

/* ------------------------------------------------------ transactions */

int
db_read_begin(struct db *db, struct db_txn **out)
{
	struct db_txn *t;
	int rc;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return IKE_ENOMEM;
	t->db = db;
	if ((rc = txn_begin(db, MDB_RDONLY, &t->txn)) != 0) {
		free(t);
		return rc;
	}
	db->ntxn++;
	*out = t;
	return 0;
}

void
db_abort(struct db_txn *t)
{
	if (t == NULL)
		return;
	mdb_txn_abort(t->txn);
	t->db->ntxn--;
	free(t);
}

/* Doubles the map, up to DB_MAPSIZE_MAX. */
static int
map_grow(struct db *db)
{
	MDB_envinfo info;
	size_t size;
	int mrc;

	if (db->ntxn != 0) {
		log_err(LOG_DB, "%s: map full; cannot grow it while %u "
		    "transactions are open", db->dir, db->ntxn);
		return IKE_ENOSPC;
	}
	if ((mrc = mdb_env_info(db->env, &info)) != 0)
		return lmdb_err(mrc, "env info", db->dir);
	if (info.me_mapsize >= DB_MAPSIZE_MAX) {
		log_err(LOG_DB, "%s: database full at %zu bytes", db->dir,
		    info.me_mapsize);
		return IKE_ENOSPC;
	}
	size = info.me_mapsize * 2;
	if (size > DB_MAPSIZE_MAX)
		size = DB_MAPSIZE_MAX;
	if ((mrc = mdb_env_set_mapsize(db->env, size)) != 0)
		return lmdb_err(mrc, "grow map of", db->dir);
	log_info(LOG_DB, "%s: map grown to %zu bytes", db->dir, size);
	return 0;
}

/* One attempt: IKE_OK, fn's error, or t->full set. */
static int
write_once(struct db *db, int (*fn)(struct db_txn *, void *), void *arg,
    struct db_txn *t)
{
	int rc, mrc;

	memset(t, 0, sizeof(*t));
	t->db = db;
	t->write = true;
	if ((rc = txn_begin(db, 0, &t->txn)) != 0)
		return rc;
	db->ntxn++;
	rc = fn(t, arg);
	if (rc != 0 || t->full) {
		mdb_txn_abort(t->txn);
		db->ntxn--;
		return rc != 0 ? rc : IKE_ENOSPC;
	}
	mrc = mdb_txn_commit(t->txn);
	db->ntxn--;
	if (mrc != 0)
		return txn_err(t, mrc, "commit", db->dir);
	return 0;
}

int
db_write(struct db *db, int (*fn)(struct db_txn *, void *), void *arg)
{
	struct db_txn t;
	int rc;

	if (db->rdonly) {
		log_err(LOG_DB, "%s: opened read-only", db->dir);
		return IKE_ESTATE;
	}
	for (;;) {
		rc = write_once(db, fn, arg, &t);
		if (rc == 0 || !t.full)
			return rc;
		if ((rc = map_grow(db)) != 0)
			return rc;
	}
}

/* ---------------------------------------------------------- accessors */

int
db_get(struct db_txn *t, enum db_type type, const char *key,
    struct db_obj *out)
{
	MDB_val k, v;
	int mrc;

	if (!type_ok(type) || key_val(key, &k) != 0)
		return IKE_EINVAL;
	if (t->full)
		return IKE_ENOSPC;
	mrc = mdb_get(t->txn, t->db->dbi[type], &k, &v);
	if (mrc == MDB_NOTFOUND)
		return IKE_ENOTFOUND;
	if (mrc != 0)
		return txn_err(t, mrc, "get", type_dbname[type]);
	return val_decode(type, &k, &v, out);
}

/* The name tunnel number num of phase is stored under, into name. */
static int
num_lookup(struct db_txn *t, int phase, uint32_t num, char *name)
{
	uint8_t kb[DB_NUMKEY_LEN];
	MDB_val k, v;
	struct rd r;
	int mrc;

	numkey(kb, phase, num, &k);
	if ((mrc = mdb_get(t->txn, t->db->tnum, &k, &v)) == MDB_NOTFOUND)
		return IKE_ENOTFOUND;
	if (mrc != 0)
		return txn_err(t, mrc, "get", "tunnel_num");
	rd_init(&r, v.mv_data, v.mv_size);
	if (r.left == 0 || r.left >= DB_NAME_MAX ||
	    rd_bytes(&r, name, r.left) != 0) {
		log_err(LOG_DB, "tunnel_num %d/%u: malformed", phase, num);
		return IKE_EMALFORMED;
	}
	name[v.mv_size] = '\0';
	return 0;
}

/* Gets a tunnel through the number index; a broken index is an error. */
static int
get_by_num(struct db_txn *t, int phase, uint32_t num, struct db_obj *out)
{
	enum db_type type = phase == 1 ? DB_T_IKE_TUNNEL : DB_T_IPSEC_TUNNEL;
	char name[DB_NAME_MAX];
	struct db_obj *o;
	int rc;

	if ((rc = num_lookup(t, phase, num, name)) != 0)
		return rc;
	if ((o = obj_new()) == NULL)
		return IKE_ENOMEM;
	if ((rc = db_get(t, type, name, o)) == 0 && *tunnel_num(o) != num)
		rc = IKE_EDB;
	if (rc == IKE_ENOTFOUND)
		rc = IKE_EDB;
	if (rc == IKE_EDB)
		log_err(LOG_DB, "tunnel_num %d/%u names \"%s\", which is "
		    "missing or has another number", phase, num, name);
	if (rc == 0)
		memcpy(out, o, sizeof(*out));
	obj_free(o);
	return rc;
}

int
db_get_num(struct db_txn *t, int phase, uint32_t num, struct db_obj *out)
{
	if (phase != 1 && phase != 2)
		return IKE_EINVAL;
	if (t->full)
		return IKE_ENOSPC;
	return get_by_num(t, phase, num, out);
}

/* Gives a new tunnel the next number of its phase and indexes it. */
static int
num_assign(struct db_txn *t, enum db_type type, const char *name,
    uint32_t *num)
{
	int phase = phase_of(type), mrc, rc;
	uint8_t kb[DB_NUMKEY_LEN];
	MDB_val k, v = { strlen(name), (void *)(uintptr_t)name };
	uint32_t n;

	if ((rc = meta_get_u32(t, next_num_key[phase], 1, &n)) != 0)
		return rc;
	if (n == 0) {
		log_err(LOG_DB, "phase %d tunnel numbers exhausted", phase);
		return IKE_ENOSPC;
	}
	numkey(kb, phase, n, &k);
	mrc = mdb_put(t->txn, t->db->tnum, &k, &v, MDB_NOOVERWRITE);
	if (mrc == MDB_KEYEXIST) {
		log_err(LOG_DB, "tunnel number %d/%u is taken", phase, n);
		return IKE_EDB;
	}
	if (mrc != 0)
		return txn_err(t, mrc, "put", "tunnel_num");
	if ((rc = meta_put_u32(t, next_num_key[phase], n + 1)) != 0)
		return rc;
	*num = n;
	return 0;
}

/* The number the stored version v of a tunnel has. */
static int
num_stored(enum db_type type, const MDB_val *k, const MDB_val *v,
    uint32_t *num)
{
	struct db_obj *o;
	int rc;

	if ((o = obj_new()) == NULL)
		return IKE_ENOMEM;
	if ((rc = val_decode(type, k, v, o)) == 0)
		*num = *tunnel_num(o);
	obj_free(o);
	return rc;
}

static int
obj_store(struct db_txn *t, const struct db_obj *o, const MDB_val *k)
{
	struct wr w;
	MDB_val v;
	int rc, mrc;

	wr_init(&w, 0);
	if ((rc = record_encode(o, &w)) != 0) {
		wr_free(&w);
		log_err(LOG_DB, "%s \"%.*s\": cannot encode: %s",
		    type_dbname[o->type], (int)k->mv_size,
		    (const char *)k->mv_data, ike_strerror(rc));
		return rc;
	}
	v.mv_data = w.buf;
	v.mv_size = w.len;
	mrc = mdb_put(t->txn, t->db->dbi[o->type], (MDB_val *)k, &v, 0);
	wr_free(&w);		/* wipes: may hold a preshared key */
	return mrc != 0 ? txn_err(t, mrc, "put", type_dbname[o->type]) : 0;
}

int
db_put(struct db_txn *t, struct db_obj *o, bool replace)
{
	char key[DB_KEY_MAX];
	uint32_t *nump, oldnum = 0;
	MDB_val k, v;
	int rc, mrc;

	if ((rc = txn_writable(t)) != 0)
		return rc;
	if (!type_ok(o->type) || db_obj_key(o, key, sizeof(key)) != 0 ||
	    key_val(key, &k) != 0)
		return IKE_EINVAL;
	mrc = mdb_get(t->txn, t->db->dbi[o->type], &k, &v);
	if (mrc == 0 && !replace)
		return IKE_EEXIST;
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		return txn_err(t, mrc, "get", type_dbname[o->type]);
	if ((nump = tunnel_num(o)) != NULL) {
		oldnum = *nump;
		rc = mrc == 0 ? num_stored(o->type, &k, &v, nump) :
		    num_assign(t, o->type, key, nump);
	}
	if (rc == 0)
		rc = obj_store(t, o, &k);
	if (rc != 0 && nump != NULL)
		*nump = oldnum;
	return rc;
}

/* ---------------------------------------------------------- deletion */

int
db_del(struct db_txn *t, enum db_type type, const char *key,
    struct db_ref *ref)
{
	uint8_t kb[DB_NUMKEY_LEN];
	struct db_obj *o;
	MDB_val k, nk;
	int rc, mrc;

	if ((rc = txn_writable(t)) != 0)
		return rc;
	if (!type_ok(type) || key_val(key, &k) != 0)
		return IKE_EINVAL;
	if ((o = obj_new()) == NULL)
		return IKE_ENOMEM;
	if ((rc = db_get(t, type, key, o)) != 0 ||
	    (rc = db_find_referrer(t, type, key, ref)) != 0)
		goto out;
	if ((mrc = mdb_del(t->txn, t->db->dbi[type], &k, NULL)) != 0) {
		rc = txn_err(t, mrc, "del", type_dbname[type]);
		goto out;
	}
	if (is_tunnel(type)) {
		numkey(kb, phase_of(type), *tunnel_num(o), &nk);
		mrc = mdb_del(t->txn, t->db->tnum, &nk, NULL);
		if (mrc != 0 && mrc != MDB_NOTFOUND)
			rc = txn_err(t, mrc, "del", "tunnel_num");
	}
out:
	obj_free(o);
	return rc;
}

int
db_clear(struct db_txn *t)
{
	int i, rc, mrc = 0;

	if ((rc = txn_writable(t)) != 0)
		return rc;
	for (i = 0; mrc == 0 && i < DB_T_COUNT; i++)
		mrc = mdb_drop(t->txn, t->db->dbi[i], 0);
	if (mrc == 0)
		mrc = mdb_drop(t->txn, t->db->tnum, 0);
	if (mrc != 0)
		return txn_err(t, mrc, "clear", t->db->dir);
	if ((rc = meta_put_u32(t, next_num_key[1], 1)) != 0)
		return rc;
	return meta_put_u32(t, next_num_key[2], 1);
}

/* --------------------------------------------------------- iteration */

/* Tunnels of one phase, through the number index. */
static int
foreach_num(struct db_txn *t, enum db_type type,
    int (*cb)(const struct db_obj *, void *), void *arg, struct db_obj *o)
{
	int phase = phase_of(type), mrc, rc = 0;
	uint8_t kb[DB_NUMKEY_LEN], ph;
	MDB_cursor *c;
	MDB_val k, v;
	uint32_t num;
	struct rd r;

	if ((mrc = mdb_cursor_open(t->txn, t->db->tnum, &c)) != 0)
		return txn_err(t, mrc, "cursor", "tunnel_num");
	numkey(kb, phase, 0, &k);
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); mrc == 0;
	    mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		rd_init(&r, k.mv_data, k.mv_size);
		if (r.left != DB_NUMKEY_LEN || rd_u8(&r, &ph) != 0 ||
		    rd_u32(&r, &num) != 0 || ph != phase)
			break;
		if ((rc = get_by_num(t, phase, num, o)) != 0 ||
		    (rc = cb(o, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
		rc = txn_err(t, mrc, "cursor get", "tunnel_num");
	return rc;
}

static int
foreach_key(struct db_txn *t, enum db_type type,
    int (*cb)(const struct db_obj *, void *), void *arg, struct db_obj *o)
{
	MDB_cursor *c;
	MDB_val k, v;
	int mrc, rc = 0;

	if ((mrc = mdb_cursor_open(t->txn, t->db->dbi[type], &c)) != 0)
		return txn_err(t, mrc, "cursor", type_dbname[type]);
	for (mrc = mdb_cursor_get(c, &k, &v, MDB_FIRST); mrc == 0;
	    mrc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((rc = val_decode(type, &k, &v, o)) != 0 ||
		    (rc = cb(o, arg)) != 0)
			break;
	}
	mdb_cursor_close(c);
	if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
		rc = txn_err(t, mrc, "cursor get", type_dbname[type]);
	return rc;
}

int
db_foreach(struct db_txn *t, enum db_type type,
    int (*cb)(const struct db_obj *o, void *arg), void *arg)
{
	struct db_obj *o;
	int rc;

	if (!type_ok(type))
		return IKE_EINVAL;
	if (t->full)
		return IKE_ENOSPC;
	if ((o = obj_new()) == NULL)
		return IKE_ENOMEM;
	if (is_tunnel(type))
		rc = foreach_num(t, type, cb, arg, o);
	else
		rc = foreach_key(t, type, cb, arg, o);
	obj_free(o);
	return rc;
}

int
db_count(struct db_txn *t, enum db_type type, uint64_t *out)
{
	MDB_stat st;
	int mrc;

	if (!type_ok(type))
		return IKE_EINVAL;
	if (t->full)
		return IKE_ENOSPC;
	if ((mrc = mdb_stat(t->txn, t->db->dbi[type], &st)) != 0)
		return txn_err(t, mrc, "stat", type_dbname[type]);
	*out = st.ms_entries;
	return 0;
}
