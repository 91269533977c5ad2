/* db/db.c and db/db_refs.c on real LMDB files: opening, every type's
 * put/get/replace/delete, tunnel numbers, references, permissions and
 * the schema version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "dbt.h"
#include "tests/lib/testutil.h"

struct fx {
	char		 dir[PATH_MAX];
	struct db	*db;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->db = dbt_open_new(f->dir)) == NULL) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

/* The scratch dir is the parent of f->dir. */
static void
rm_scratch(const char *dir)
{
	char parent[PATH_MAX], *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	if ((slash = strrchr(parent, '/')) != NULL)
		*slash = '\0';
	assert_int_equal(tu_rmrf(parent), 0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	db_close(f->db);
	rm_scratch(f->dir);
	free(f);
	return 0;
}

static char *
key_of(const struct db_obj *o)
{
	static char key[DB_KEY_MAX];

	assert_int_equal(db_obj_key(o, key, sizeof(key)), 0);
	return key;
}

static uint32_t *
num_of(struct db_obj *o)
{
	if (o->type == DB_T_IKE_TUNNEL)
		return &o->u.ike_tun.num;
	if (o->type == DB_T_IPSEC_TUNNEL)
		return &o->u.ipsec_tun.num;
	return NULL;
}

static int
count_cb(const struct db_obj *o, void *arg)
{
	(void)o;
	(*(unsigned *)arg)++;
	return 0;
}

static unsigned
foreach_count(struct db *db, enum db_type type)
{
	struct db_txn *t;
	unsigned n = 0;

	assert_int_equal(db_read_begin(db, &t), 0);
	assert_int_equal(db_foreach(t, type, count_cb, &n), 0);
	db_abort(t);
	return n;
}

/* ------------------------------------------------------------------ CRUD */

/* Put, get, put again (EEXIST, unchanged), replace, list, delete, for
 * one type with every field set. */
static void
crud_one(struct db *db, enum db_type type)
{
	static struct db_obj in, in2, out;
	char key[DB_KEY_MAX];
	uint64_t n;

	dbt_full(&in, type, 7);
	assert_int_equal(dbt_put(db, &in, false), 0);
	snprintf(key, sizeof(key), "%s", key_of(&in));
	assert_int_equal(dbt_get(db, type, key, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	assert_int_equal(dbt_count(db, type, &n), 0);
	assert_int_equal(n, 1);

	/* Same key, other values: refused without replace. */
	dbt_full(&in2, type, 7);
	if (type == DB_T_PSK)
		in2.u.psk.key[0] ^= 0xff;
	else if (type == DB_T_GROUP) {
		in2.u.group.nmembers = 1;
		memset(&in2.u.group.members[1], 0,
		    sizeof(in2.u.group.members[1]) * (DB_MAX_MEMBERS - 1));
	}
	if (type == DB_T_IKE_PROTECTION)
		in2.u.ike_prot.key_overlap = 99;
	if (type == DB_T_IPSEC_PROPOSAL) {
		in2.u.ipsec_prop.nprotos = 2;
		memset(&in2.u.ipsec_prop.protos[2], 0,
		    sizeof(in2.u.ipsec_prop.protos[2]) * (DB_MAX_PROTOS - 2));
	}
	if (type == DB_T_IPSEC_PROTECTION)
		in2.u.ipsec_prot.key_overlap = 5;
	if (type == DB_T_IKE_TUNNEL)
		in2.u.ike_tun.autostart = false;
	if (type == DB_T_IPSEC_TUNNEL)
		in2.u.ipsec_tun.ondemand = false;
	assert_memory_not_equal(&in, &in2, sizeof(in));
	assert_int_equal(dbt_put(db, &in2, false), IKE_EEXIST);
	assert_int_equal(dbt_get(db, type, key, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));

	/* Replaced. */
	assert_int_equal(dbt_put(db, &in2, true), 0);
	assert_int_equal(dbt_get(db, type, key, &out), 0);
	assert_memory_equal(&in2, &out, sizeof(in2));
	assert_int_equal(dbt_count(db, type, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(foreach_count(db, type), 1);

	assert_int_equal(dbt_del(db, type, key, NULL), 0);
	assert_int_equal(dbt_get(db, type, key, &out), IKE_ENOTFOUND);
	assert_int_equal(dbt_del(db, type, key, NULL), IKE_ENOTFOUND);
	assert_int_equal(dbt_count(db, type, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(foreach_count(db, type), 0);
}

/* db_generation() moves with every commit, made by another handle (as
 * another process would) too, and not with a failed or read-only one. */
static void
generation_follows_writes(void **state)
{
	static struct db_obj in;
	struct fx *f = *state;
	char err[256];
	struct db *other;
	uint64_t g0, g1, g2;

	assert_int_equal(db_open(f->dir, DB_OPEN_CREATE, &other, err,
	    sizeof(err)), 0);
	g0 = db_generation(f->db);
	assert_int_not_equal(g0, 0);
	assert_int_equal(db_generation(other), g0);
	dbt_full(&in, DB_T_IKE_PROTECTION, 3);
	assert_int_equal(dbt_put(other, &in, false), 0);
	g1 = db_generation(f->db);
	assert_true(g1 > g0);
	assert_int_equal(dbt_put(other, &in, false), IKE_EEXIST);
	assert_int_equal(foreach_count(f->db, DB_T_IKE_PROTECTION), 1);
	g2 = db_generation(f->db);
	assert_int_equal(g2, g1);
	assert_int_equal(db_generation(NULL), 0);
	db_close(other);
}

static void
crud_every_type(void **state)
{
	struct fx *f = *state;
	int t;

	for (t = 0; t < DB_T_COUNT; t++)
		crud_one(f->db, (enum db_type)t);
}

static void
psk_keyed_by_identity(void **state)
{
	static struct db_obj k, out;
	struct fx *f = *state;

	dbt_small(&k, DB_T_PSK, "198.51.100.7");
	assert_int_equal(dbt_put(f->db, &k, false), 0);
	dbt_small(&k, DB_T_PSK, "198.51.100.8");
	k.u.psk.key[0] = 'S';
	assert_int_equal(dbt_put(f->db, &k, false), 0);
	assert_int_equal(dbt_get(f->db, DB_T_PSK,
	    "IPV4_Address:198.51.100.7", &out), 0);
	assert_int_equal(out.u.psk.len, 6);
	assert_memory_equal(out.u.psk.key, "secret", 6);
	assert_int_equal(dbt_get(f->db, DB_T_PSK,
	    "IPV4_Address:198.51.100.8", &out), 0);
	assert_memory_equal(out.u.psk.key, "Secret", 6);
	/* Same value, other identity type: another key. */
	assert_int_equal(dbt_get(f->db, DB_T_PSK, "FQDN:198.51.100.7", &out),
	    IKE_ENOTFOUND);
	assert_int_equal(dbt_del(f->db, DB_T_PSK, "IPV4_Address:198.51.100.7",
	    NULL), 0);
	assert_int_equal(dbt_get(f->db, DB_T_PSK,
	    "IPV4_Address:198.51.100.8", &out), 0);
}

static int
put_then_fail(struct db_txn *t, void *arg)
{
	int rc;

	if ((rc = db_put(t, arg, false)) != 0)
		return rc;
	return IKE_EINVAL;
}

static int
put_in_read(struct db *db, struct db_obj *o)
{
	struct db_txn *t;
	int rc;

	assert_int_equal(db_read_begin(db, &t), 0);
	rc = db_put(t, o, false);
	db_abort(t);
	return rc;
}

static void
bad_puts_change_nothing(void **state)
{
	static struct db_obj o, out;
	struct fx *f = *state;
	uint64_t n;

	/* fn failing after a put: the transaction is aborted. */
	dbt_small(&o, DB_T_IKE_TUNNEL, "t");
	assert_int_equal(db_write(f->db, put_then_fail, &o), IKE_EINVAL);
	assert_int_equal(dbt_get(f->db, DB_T_IKE_TUNNEL, "t", &out),
	    IKE_ENOTFOUND);
	/* ... and the tunnel number it took is not used up. */
	o.u.ike_tun.num = 0;
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	assert_int_equal(o.u.ike_tun.num, 1);
	/* EEXIST leaves the caller's number alone. */
	o.u.ike_tun.num = 42;
	assert_int_equal(dbt_put(f->db, &o, false), IKE_EEXIST);
	assert_int_equal(o.u.ike_tun.num, 42);
	/* Writes in a read transaction, objects without a key, bad types. */
	assert_int_equal(put_in_read(f->db, &o), IKE_ESTATE);
	dbt_small(&o, DB_T_GROUP, "");
	assert_int_equal(dbt_put(f->db, &o, false), IKE_EINVAL);
	o.type = DB_T_COUNT;
	assert_int_equal(dbt_put(f->db, &o, false), IKE_EINVAL);
	dbt_small(&o, DB_T_IKE_PROTECTION, "p");
	o.u.ike_prot.ntransforms = DB_MAX_TRANSFORMS + 1;
	assert_int_equal(dbt_put(f->db, &o, false), IKE_EINVAL);
	assert_int_equal(dbt_count(f->db, DB_T_IKE_PROTECTION, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(dbt_get(f->db, DB_T_COUNT, "t", &out), IKE_EINVAL);
	assert_int_equal(dbt_get(f->db, DB_T_GROUP, "", &out), IKE_EINVAL);
}

/* --------------------------------------------------------------- numbers */

static uint32_t
put_tunnel(struct db *db, enum db_type type, const char *name, bool replace,
    int want_rc)
{
	static struct db_obj o;

	dbt_small(&o, type, name);
	*num_of(&o) = 999;	/* ignored: db_put() sets it */
	assert_int_equal(dbt_put(db, &o, replace), want_rc);
	return *num_of(&o);
}

static void
expect_num(struct db *db, int phase, uint32_t num, const char *name)
{
	static struct db_obj o;
	struct db_txn *t;
	int rc;

	assert_int_equal(db_read_begin(db, &t), 0);
	rc = db_get_num(t, phase, num, &o);
	db_abort(t);
	if (name == NULL) {
		assert_int_equal(rc, IKE_ENOTFOUND);
		return;
	}
	assert_int_equal(rc, 0);
	assert_string_equal(phase == 1 ? o.u.ike_tun.name : o.u.ipsec_tun.name,
	    name);
	assert_int_equal(*num_of(&o), num);
}

struct order {
	char		names[8][DB_NAME_MAX];
	uint32_t	nums[8];
	unsigned	n;
};

static int
order_cb(const struct db_obj *o, void *arg)
{
	struct order *ord = arg;
	const struct db_ike_tunnel *t = &o->u.ike_tun;

	assert_true(ord->n < 8);
	snprintf(ord->names[ord->n], DB_NAME_MAX, "%s", t->name);
	ord->nums[ord->n++] = t->num;
	return 0;
}

static void
tunnel_numbers(void **state)
{
	struct fx *f = *state;
	struct order ord = { .n = 0 };
	struct db_txn *t;

	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t1", false, 0),
	    1);
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t2", false, 0),
	    2);
	/* Phase 2 counts on its own. */
	assert_int_equal(put_tunnel(f->db, DB_T_IPSEC_TUNNEL, "s1", false, 0),
	    1);
	/* Replaced: keeps its number. */
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t1", true, 0), 1);
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t1", false,
	    IKE_EEXIST), 999);
	/* Deleted then added: a new number; the old one stays unused. */
	assert_int_equal(dbt_del(f->db, DB_T_IKE_TUNNEL, "t1", NULL), 0);
	expect_num(f->db, 1, 1, NULL);
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t3", false, 0),
	    3);
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t1", false, 0),
	    4);
	expect_num(f->db, 1, 4, "t1");
	expect_num(f->db, 1, 2, "t2");
	expect_num(f->db, 2, 1, "s1");
	expect_num(f->db, 2, 2, NULL);

	/* Listed in number order, not name order. */
	assert_int_equal(db_read_begin(f->db, &t), 0);
	assert_int_equal(db_foreach(t, DB_T_IKE_TUNNEL, order_cb, &ord), 0);
	assert_int_equal(db_get_num(t, 3, 1, (struct db_obj *)&ord),
	    IKE_EINVAL);
	db_abort(t);
	assert_int_equal(ord.n, 3);
	assert_string_equal(ord.names[0], "t2");
	assert_string_equal(ord.names[1], "t3");
	assert_string_equal(ord.names[2], "t1");
	assert_int_equal(ord.nums[0], 2);
	assert_int_equal(ord.nums[1], 3);
	assert_int_equal(ord.nums[2], 4);

	/* Clear: everything gone, both phases start at 1 again. */
	assert_int_equal(dbt_clear(f->db), 0);
	expect_num(f->db, 1, 2, NULL);
	assert_int_equal(foreach_count(f->db, DB_T_IKE_TUNNEL), 0);
	assert_int_equal(foreach_count(f->db, DB_T_IPSEC_TUNNEL), 0);
	assert_int_equal(put_tunnel(f->db, DB_T_IKE_TUNNEL, "t9", false, 0),
	    1);
	assert_int_equal(put_tunnel(f->db, DB_T_IPSEC_TUNNEL, "s9", false, 0),
	    1);
}

static int
stop_cb(const struct db_obj *o, void *arg)
{
	(void)o;
	(*(unsigned *)arg)++;
	return 77;
}

static void
foreach_stops_on_callback(void **state)
{
	static struct db_obj o;
	struct fx *f = *state;
	struct db_txn *t;
	unsigned n = 0;

	dbt_small(&o, DB_T_GROUP, "g1");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	dbt_small(&o, DB_T_GROUP, "g2");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	assert_int_equal(db_read_begin(f->db, &t), 0);
	assert_int_equal(db_foreach(t, DB_T_GROUP, stop_cb, &n), 77);
	assert_int_equal(db_foreach(t, DB_T_COUNT, stop_cb, &n), IKE_EINVAL);
	db_abort(t);
	assert_int_equal(n, 1);
}

/* ------------------------------------------------------------ references */

struct reflist {
	struct db_ref	r[16];
	unsigned	n;
};

static int
collect_cb(const struct db_ref *r, void *arg)
{
	struct reflist *l = arg;

	assert_true(l->n < 16);
	l->r[l->n++] = *r;
	return 0;
}

static void
expect_ref(const struct db_ref *r, enum db_type from, const char *fkey,
    const char *attr, enum db_type to, const char *tkey)
{
	assert_int_equal(r->from_type, from);
	assert_string_equal(r->from_key, fkey);
	assert_string_equal(r->attr, attr);
	assert_int_equal(r->to_type, to);
	assert_string_equal(r->to_key, tkey);
}

/* The objects of a complete, consistent definition. */
static struct db_obj g_ikep, g_defp, g_prop1, g_prop2, g_grp, g_t1, g_s1;

static void
build_graph(void)
{
	dbt_small(&g_ikep, DB_T_IKE_PROTECTION, "ikep");
	dbt_str(g_ikep.u.ike_prot.def_ipsec_prot, DB_NAME_MAX,
	    "_defIPSprot_a");
	dbt_small(&g_defp, DB_T_IPSEC_PROTECTION, "_defIPSprot_a");
	g_defp.u.ipsec_prot.nproposals = 2;
	dbt_str(g_defp.u.ipsec_prot.proposals[0], DB_NAME_MAX, "prop1");
	dbt_str(g_defp.u.ipsec_prot.proposals[1], DB_NAME_MAX, "prop2");
	dbt_small(&g_prop1, DB_T_IPSEC_PROPOSAL, "prop1");
	dbt_small(&g_prop2, DB_T_IPSEC_PROPOSAL, "prop2");
	dbt_small(&g_grp, DB_T_GROUP, "grp");
	dbt_small(&g_t1, DB_T_IKE_TUNNEL, "t1");
	dbt_str(g_t1.u.ike_tun.protection, DB_NAME_MAX, "ikep");
	g_t1.u.ike_tun.remote.type = DB_ID_GROUP;
	dbt_str(g_t1.u.ike_tun.remote.value, DB_IDVAL_MAX, "grp");
	dbt_small(&g_s1, DB_T_IPSEC_TUNNEL, "s1");
	dbt_str(g_s1.u.ipsec_tun.ike_tunnel, DB_NAME_MAX, "t1");
	dbt_str(g_s1.u.ipsec_tun.protection, DB_NAME_MAX, "_defIPSprot_a");
	g_s1.u.ipsec_tun.remote.id.type = DB_ID_GROUP;
	dbt_str(g_s1.u.ipsec_tun.remote.id.value, DB_IDVAL_MAX, "grp");
}

static void
store_graph(struct db *db)
{
	struct db_obj *all[] = { &g_ikep, &g_defp, &g_prop1, &g_prop2, &g_grp,
	    &g_t1, &g_s1 };
	size_t i;

	build_graph();
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		assert_int_equal(dbt_put(db, all[i], false), 0);
}

static void
obj_refs_lists_each(void **state)
{
	struct reflist l;

	(void)state;
	build_graph();
	memset(&l, 0, sizeof(l));
	assert_int_equal(db_obj_refs(&g_ikep, collect_cb, &l), 0);
	assert_int_equal(l.n, 1);
	expect_ref(&l.r[0], DB_T_IKE_PROTECTION, "ikep",
	    "IKE_IPSecDefaultProtectionRef", DB_T_IPSEC_PROTECTION,
	    "_defIPSprot_a");

	memset(&l, 0, sizeof(l));
	g_ikep.u.ike_prot.def_ipsec_prot[0] = '\0';	/* none: no reference */
	assert_int_equal(db_obj_refs(&g_ikep, collect_cb, &l), 0);
	assert_int_equal(l.n, 0);

	memset(&l, 0, sizeof(l));
	assert_int_equal(db_obj_refs(&g_t1, collect_cb, &l), 0);
	assert_int_equal(l.n, 2);
	expect_ref(&l.r[0], DB_T_IKE_TUNNEL, "t1", "IKE_ProtectionRef",
	    DB_T_IKE_PROTECTION, "ikep");
	expect_ref(&l.r[1], DB_T_IKE_TUNNEL, "t1", "Group", DB_T_GROUP, "grp");

	memset(&l, 0, sizeof(l));
	g_t1.u.ike_tun.remote.type = DB_ID_FQDN;	/* not a group */
	assert_int_equal(db_obj_refs(&g_t1, collect_cb, &l), 0);
	assert_int_equal(l.n, 1);

	memset(&l, 0, sizeof(l));
	assert_int_equal(db_obj_refs(&g_defp, collect_cb, &l), 0);
	assert_int_equal(l.n, 2);
	expect_ref(&l.r[0], DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    "IPSec_ProposalRefs", DB_T_IPSEC_PROPOSAL, "prop1");
	expect_ref(&l.r[1], DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    "IPSec_ProposalRefs", DB_T_IPSEC_PROPOSAL, "prop2");

	memset(&l, 0, sizeof(l));
	assert_int_equal(db_obj_refs(&g_s1, collect_cb, &l), 0);
	assert_int_equal(l.n, 3);
	expect_ref(&l.r[0], DB_T_IPSEC_TUNNEL, "s1", "IKE_TunnelName",
	    DB_T_IKE_TUNNEL, "t1");
	expect_ref(&l.r[1], DB_T_IPSEC_TUNNEL, "s1", "IPSec_ProtectionRef",
	    DB_T_IPSEC_PROTECTION, "_defIPSprot_a");
	expect_ref(&l.r[2], DB_T_IPSEC_TUNNEL, "s1", "Group", DB_T_GROUP,
	    "grp");

	memset(&l, 0, sizeof(l));
	assert_int_equal(db_obj_refs(&g_prop1, collect_cb, &l), 0);
	assert_int_equal(db_obj_refs(&g_grp, collect_cb, &l), 0);
	assert_int_equal(l.n, 0);
}

/* Deleting target fails with EBUSY naming from/attr, and changes nothing. */
static void
expect_busy(struct db *db, enum db_type type, const char *key,
    enum db_type from, const char *fkey, const char *attr)
{
	static struct db_obj out;
	struct db_ref r;

	memset(&r, 0, sizeof(r));
	assert_int_equal(dbt_del(db, type, key, &r), IKE_EBUSY);
	expect_ref(&r, from, fkey, attr, type, key);
	assert_int_equal(dbt_get(db, type, key, &out), 0);
	assert_int_equal(dbt_del(db, type, key, NULL), IKE_EBUSY);
}

static void
del_refuses_referenced(void **state)
{
	struct fx *f = *state;
	struct db_txn *t;
	struct db_ref r;

	store_graph(f->db);
	assert_int_equal(dbt_check(f->db, &r), 0);
	assert_int_equal(db_read_begin(f->db, &t), 0);
	assert_int_equal(db_find_referrer(t, DB_T_GROUP, "other", &r), 0);
	assert_int_equal(db_find_referrer(t, DB_T_IPSEC_PROPOSAL, "prop1", &r),
	    IKE_EBUSY);
	expect_ref(&r, DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    "IPSec_ProposalRefs", DB_T_IPSEC_PROPOSAL, "prop1");
	assert_int_equal(db_find_referrer(t, DB_T_IKE_TUNNEL, "t1", NULL),
	    IKE_EBUSY);
	db_abort(t);
	expect_busy(f->db, DB_T_IPSEC_PROPOSAL, "prop2", DB_T_IPSEC_PROTECTION,
	    "_defIPSprot_a", "IPSec_ProposalRefs");
	expect_busy(f->db, DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    DB_T_IKE_PROTECTION, "ikep", "IKE_IPSecDefaultProtectionRef");
	expect_busy(f->db, DB_T_IKE_PROTECTION, "ikep", DB_T_IKE_TUNNEL, "t1",
	    "IKE_ProtectionRef");
	expect_busy(f->db, DB_T_GROUP, "grp", DB_T_IKE_TUNNEL, "t1", "Group");
	expect_busy(f->db, DB_T_IKE_TUNNEL, "t1", DB_T_IPSEC_TUNNEL, "s1",
	    "IKE_TunnelName");
	/* Top-down, each delete frees the next. */
	assert_int_equal(dbt_del(f->db, DB_T_IPSEC_TUNNEL, "s1", NULL), 0);
	expect_busy(f->db, DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    DB_T_IKE_PROTECTION, "ikep", "IKE_IPSecDefaultProtectionRef");
	assert_int_equal(dbt_del(f->db, DB_T_IKE_TUNNEL, "t1", NULL), 0);
	assert_int_equal(dbt_del(f->db, DB_T_GROUP, "grp", NULL), 0);
	assert_int_equal(dbt_del(f->db, DB_T_IKE_PROTECTION, "ikep", NULL), 0);
	assert_int_equal(dbt_del(f->db, DB_T_IPSEC_PROTECTION, "_defIPSprot_a",
	    NULL), 0);
	assert_int_equal(dbt_del(f->db, DB_T_IPSEC_PROPOSAL, "prop1", NULL),
	    0);
	assert_int_equal(dbt_check(f->db, &r), 0);
}

static void
check_refs_finds_dangling(void **state)
{
	static struct db_obj o;
	struct fx *f = *state;
	struct db_ref r;

	store_graph(f->db);
	/* A phase-2 tunnel under a missing phase-1 tunnel. */
	o = g_s1;
	dbt_str(o.u.ipsec_tun.name, DB_NAME_MAX, "s2");
	dbt_str(o.u.ipsec_tun.ike_tunnel, DB_NAME_MAX, "nope");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(dbt_check(f->db, &r), IKE_ENOTFOUND);
	expect_ref(&r, DB_T_IPSEC_TUNNEL, "s2", "IKE_TunnelName",
	    DB_T_IKE_TUNNEL, "nope");
	assert_int_equal(dbt_del(f->db, DB_T_IPSEC_TUNNEL, "s2", NULL), 0);
	assert_int_equal(dbt_check(f->db, NULL), 0);

	/* A required reference left empty dangles too. */
	dbt_small(&o, DB_T_IKE_TUNNEL, "t0");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	assert_int_equal(dbt_check(f->db, &r), IKE_ENOTFOUND);
	expect_ref(&r, DB_T_IKE_TUNNEL, "t0", "IKE_ProtectionRef",
	    DB_T_IKE_PROTECTION, "");
	assert_int_equal(dbt_del(f->db, DB_T_IKE_TUNNEL, "t0", NULL), 0);

	/* A group that went away (members are not references). */
	assert_int_equal(dbt_del(f->db, DB_T_IPSEC_TUNNEL, "s1", NULL), 0);
	assert_int_equal(dbt_put(f->db, &g_s1, false), 0);
	o = g_t1;
	dbt_str(o.u.ike_tun.remote.value, DB_IDVAL_MAX, "nogroup");
	assert_int_equal(dbt_put(f->db, &o, true), 0);
	assert_int_equal(dbt_check(f->db, &r), IKE_ENOTFOUND);
	expect_ref(&r, DB_T_IKE_TUNNEL, "t1", "Group", DB_T_GROUP, "nogroup");
}

static void
check_refs_default_protection_prefix(void **state)
{
	static struct db_obj o;
	struct fx *f = *state;
	struct db_ref r;

	store_graph(f->db);
	/* An existing protection without the prefix: EINVAL. */
	o = g_defp;
	dbt_str(o.u.ipsec_prot.name, DB_NAME_MAX, "plainprot");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	o = g_ikep;
	dbt_str(o.u.ike_prot.def_ipsec_prot, DB_NAME_MAX, "plainprot");
	assert_int_equal(dbt_put(f->db, &o, true), 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(dbt_check(f->db, &r), IKE_EINVAL);
	expect_ref(&r, DB_T_IKE_PROTECTION, "ikep",
	    "IKE_IPSecDefaultProtectionRef", DB_T_IPSEC_PROTECTION,
	    "plainprot");
	/* With the prefix but missing: ENOTFOUND. */
	dbt_str(o.u.ike_prot.def_ipsec_prot, DB_NAME_MAX,
	    "_defIPSprot_missing");
	assert_int_equal(dbt_put(f->db, &o, true), 0);
	assert_int_equal(dbt_check(f->db, &r), IKE_ENOTFOUND);
	assert_string_equal(r.to_key, "_defIPSprot_missing");
	/* Back to the right one. */
	assert_int_equal(dbt_put(f->db, &g_ikep, true), 0);
	assert_int_equal(dbt_check(f->db, &r), 0);
}

/* ------------------------------------------------------ opening, files */

static void
expect_mode(const char *dir, const char *file, mode_t want)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s%s", dir, file[0] ? "/" : "", file);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, want);
}

static void
permissions(void **state)
{
	static const mode_t masks[] = { 0, 022, 0277 };
	char tmp[PATH_MAX - 16], dir[PATH_MAX], err[256];
	struct db *db;
	mode_t old;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		assert_int_equal(tu_mkdtemp(tmp, sizeof(tmp), "perm"), 0);
		snprintf(dir, sizeof(dir), "%s/db", tmp);
		old = umask(masks[i]);
		assert_int_equal(db_open(dir, DB_OPEN_CREATE, &db, err,
		    sizeof(err)), 0);
		assert_int_equal(umask(old), masks[i]);	/* restored */
		expect_mode(dir, "", 0700);
		expect_mode(dir, "data.mdb", 0600);
		expect_mode(dir, "lock.mdb", 0600);
		db_close(db);
		assert_int_equal(tu_rmrf(tmp), 0);
	}
}

/* A database directory whose parents do not exist yet: they are made
 * (like mkdir -p), the directory itself 0700. */
static void
missing_parents_are_created(void **state)
{
	char tmp[PATH_MAX - 32], dir[PATH_MAX], err[256];
	struct db *db;

	(void)state;
	assert_int_equal(tu_mkdtemp(tmp, sizeof(tmp), "parents"), 0);
	snprintf(dir, sizeof(dir), "%s/a/b/db", tmp);
	assert_int_equal(db_open(dir, DB_OPEN_RDONLY, &db, err, sizeof(err)),
	    IKE_ENOTFOUND);
	assert_int_equal(db_open(dir, DB_OPEN_CREATE, &db, err, sizeof(err)),
	    0);
	expect_mode(dir, "", 0700);
	expect_mode(dir, "data.mdb", 0600);
	db_close(db);
	assert_int_equal(tu_rmrf(tmp), 0);
}

static void
open_errors(void **state)
{
	char tmp[PATH_MAX - 64], dir[PATH_MAX], want[PATH_MAX + 64], err[512];
	struct db *db = NULL;

	(void)state;
	assert_int_equal(tu_mkdtemp(tmp, sizeof(tmp), "open"), 0);
	snprintf(dir, sizeof(dir), "%s/none", tmp);
	snprintf(want, sizeof(want), "no database in %s (load definitions "
	    "with ikedb -p)", dir);
	/* Missing directory, read-write and read-only. */
	assert_int_equal(db_open(dir, 0, &db, err, sizeof(err)),
	    IKE_ENOTFOUND);
	assert_string_equal(err, want);
	assert_int_equal(db_open(dir, DB_OPEN_RDONLY, &db, err, sizeof(err)),
	    IKE_ENOTFOUND);
	assert_string_equal(err, want);
	assert_int_equal(access(dir, F_OK), -1);	/* not created */
	/* An empty directory. */
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(db_open(dir, 0, &db, err, sizeof(err)),
	    IKE_ENOTFOUND);
	assert_string_equal(err, want);
	assert_int_equal(db_open(dir, DB_OPEN_CREATE | DB_OPEN_RDONLY, &db,
	    err, sizeof(err)), IKE_EINVAL);
	/* Not an LMDB file. */
	snprintf(want, sizeof(want), "%s/data.mdb", dir);
	assert_int_equal(tu_write_file(want, "this is not a database, but it "
	    "is long enough to look like a page header or two ....."), 0);
	assert_int_equal(db_open(dir, 0, &db, err, sizeof(err)), IKE_EDB);
	assert_non_null(strstr(err, dir));
	/* A bad IKE_DB_MAPSIZE. */
	assert_int_equal(unlink(want), 0);
	setenv("IKE_DB_MAPSIZE", "12k", 1);
	assert_int_equal(db_open(dir, DB_OPEN_CREATE, &db, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "IKE_DB_MAPSIZE"));
	unsetenv("IKE_DB_MAPSIZE");
	assert_null(db);
	assert_int_equal(tu_rmrf(tmp), 0);
}

static void
read_only_handle(void **state)
{
	static struct db_obj o, out;
	struct fx *f = *state;
	char err[256];
	struct db *ro;
	uint64_t n;

	dbt_small(&o, DB_T_GROUP, "g");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	assert_int_equal(db_open(f->dir, DB_OPEN_RDONLY, &ro, err,
	    sizeof(err)), 0);
	assert_int_equal(dbt_get(ro, DB_T_GROUP, "g", &out), 0);
	assert_int_equal(dbt_put(ro, &o, true), IKE_ESTATE);
	/* The read-only handle sees later commits of the other one. */
	dbt_small(&o, DB_T_GROUP, "h");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	assert_int_equal(dbt_count(ro, DB_T_GROUP, &n), 0);
	assert_int_equal(n, 2);
	db_close(ro);
	db_close(NULL);
}

/* Writes key=val into named database `name` with the raw LMDB API. */
static void
raw_put(const char *dir, const char *name, const void *key, size_t klen,
    const void *val, size_t vlen)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k = { klen, (void *)(uintptr_t)key };
	MDB_val v = { vlen, (void *)(uintptr_t)val };

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 16), 0);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, name, 0, &dbi), 0);
	assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void
newer_schema_refused(void **state)
{
	static const uint8_t newer_minor[] = { 0, 1, 0, 9 };
	static const uint8_t newer_major[] = { 0, 2, 0, 0 };
	struct fx *f = *state;
	char err[PATH_MAX + 256];
	struct db *db;

	db_close(f->db);
	f->db = NULL;
	raw_put(f->dir, "meta", "schema", 6, newer_minor, 4);
	assert_int_equal(db_open(f->dir, 0, &db, err, sizeof(err)), 0);
	db_close(db);
	raw_put(f->dir, "meta", "schema", 6, newer_major, 4);
	assert_int_equal(db_open(f->dir, 0, &db, err, sizeof(err)),
	    IKE_EUNSUPP);
	assert_non_null(strstr(err, f->dir));
	assert_non_null(strstr(err, "2.0"));
	assert_non_null(strstr(err, "1.x"));
	assert_int_equal(db_open(f->dir, DB_OPEN_RDONLY, &db, err,
	    sizeof(err)), IKE_EUNSUPP);
	assert_int_equal(db_open(f->dir, DB_OPEN_CREATE, &db, err,
	    sizeof(err)), IKE_EUNSUPP);
}

static void
malformed_stored_record(void **state)
{
	static const uint8_t junk[] = { 0x10, DB_T_GROUP, 0, 0, 0, 9 };
	static struct db_obj o, out;
	struct fx *f = *state;
	struct db_txn *t;
	unsigned n = 0;

	dbt_small(&o, DB_T_GROUP, "good");
	assert_int_equal(dbt_put(f->db, &o, false), 0);
	raw_put(f->dir, "group", "bad", 3, junk, sizeof(junk));
	memset(&out, 0x33, sizeof(out));
	assert_int_equal(dbt_get(f->db, DB_T_GROUP, "bad", &out),
	    IKE_EMALFORMED);
	assert_int_equal(((uint8_t *)&out)[0], 0x33);	/* untouched */
	assert_int_equal(db_read_begin(f->db, &t), 0);
	assert_int_equal(db_foreach(t, DB_T_GROUP, count_cb, &n),
	    IKE_EMALFORMED);
	db_abort(t);
	/* A record of another type under this one's database. */
	raw_put(f->dir, "group", "bad", 3, "\x10\x00\x00\x00\x00\x00", 6);
	assert_int_equal(dbt_get(f->db, DB_T_GROUP, "bad", &out),
	    IKE_EMALFORMED);
	assert_int_equal(dbt_get(f->db, DB_T_GROUP, "good", &out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(generation_follows_writes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(crud_every_type, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(psk_keyed_by_identity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bad_puts_change_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(tunnel_numbers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(foreach_stops_on_callback,
		    setup, teardown),
		cmocka_unit_test(obj_refs_lists_each),
		cmocka_unit_test_setup_teardown(del_refuses_referenced, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(check_refs_finds_dangling,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    check_refs_default_protection_prefix, setup, teardown),
		cmocka_unit_test(permissions),
		cmocka_unit_test(missing_parents_are_created),
		cmocka_unit_test(open_errors),
		cmocka_unit_test_setup_teardown(read_only_handle, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(newer_schema_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(malformed_stored_record, setup,
		    teardown),
	};

	unsetenv("IKE_DB_MAPSIZE");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
