#include "listdb.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "db/db.h"
#include "dbdetail.h"
#include "exitcode.h"
#include "idfmt.h"
#include "listfmt.h"

/* Copies of every tunnel definition, in tunnel-number order. */
struct tunnels {
	struct db_ike_tunnel	*p1;		/* owned */
	size_t			 n1, cap1;
	struct db_ipsec_tunnel	*p2;		/* owned */
	size_t			 n2, cap2;
};

struct listdb {
	const struct ike_args	*args;		/* borrowed */
	const struct tunnels	*t;		/* borrowed */
	struct listfmt		 lf;
	struct dbdetail		 detail;
	const struct db_ike_tunnel *last_p1;	/* phase=2: printed last */
};

/* Makes room for one more element of `size` bytes in *v. */
static int
reserve(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap != 0 ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size || (nv = realloc(*v, ncap * size)) == NULL)
		return IKE_ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static int
collect_p1(const struct db_obj *o, void *arg)
{
	struct tunnels *t = arg;

	if (reserve((void **)&t->p1, &t->cap1, t->n1, sizeof(*t->p1)) != 0)
		return IKE_ENOMEM;
	t->p1[t->n1++] = o->u.ike_tun;
	return 0;
}

static int
collect_p2(const struct db_obj *o, void *arg)
{
	struct tunnels *t = arg;

	if (reserve((void **)&t->p2, &t->cap2, t->n2, sizeof(*t->p2)) != 0)
		return IKE_ENOMEM;
	t->p2[t->n2++] = o->u.ipsec_tun;
	return 0;
}

static void
tunnels_free(struct tunnels *t)
{
	free(t->p1);
	free(t->p2);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------ output */

static int
emit_p1(struct listdb *l, const struct db_ike_tunnel *t)
{
	char loc[IDFMT_MAX], rem[IDFMT_MAX];

	idfmt_p1(&t->local, loc, sizeof(loc));
	idfmt_p1(&t->remote, rem, sizeof(rem));
	listfmt_row(&l->lf, &(struct lf_row){ 1, t->num, LISTDB_STATUS, loc,
	    rem });
	l->last_p1 = t;
	return l->lf.verbose ? dbdetail_p1(&l->detail, t) : 0;
}

static int
emit_p2(struct listdb *l, const struct db_ipsec_tunnel *t)
{
	char loc[IDFMT_MAX], rem[IDFMT_MAX];

	idfmt_p2(&t->local.id, loc, sizeof(loc));
	idfmt_p2(&t->remote.id, rem, sizeof(rem));
	listfmt_row(&l->lf, &(struct lf_row){ 2, t->num, LISTDB_STATUS, loc,
	    rem });
	return l->lf.verbose ? dbdetail_p2(&l->detail, t) : 0;
}

static bool
selected(const struct listdb *l, uint32_t num)
{
	return !l->args->has_numlist || numlist_contains(&l->args->numlist,
	    num);
}

static const struct db_ike_tunnel *
find_p1(const struct tunnels *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n1; i++)
		if (strcmp(t->p1[i].name, name) == 0)
			return &t->p1[i];
	return NULL;
}

/* phase=1 and phase=1+. */
static int
list_by_p1(struct listdb *l, bool children)
{
	const struct tunnels *t = l->t;
	size_t i, j;
	int rc;

	for (i = 0; i < t->n1; i++) {
		if (!selected(l, t->p1[i].num))
			continue;
		if ((rc = emit_p1(l, &t->p1[i])) != 0)
			return rc;
		for (j = 0; children && j < t->n2; j++)
			if (strcmp(t->p2[j].ike_tunnel, t->p1[i].name) == 0 &&
			    (rc = emit_p2(l, &t->p2[j])) != 0)
				return rc;
	}
	return 0;
}

/* phase=2: each phase 2 after its phase 1. */
static int
list_by_p2(struct listdb *l)
{
	const struct tunnels *t = l->t;
	const struct db_ike_tunnel *p1;
	size_t i;
	int rc;

	for (i = 0; i < t->n2; i++) {
		if (!selected(l, t->p2[i].num))
			continue;
		p1 = find_p1(t, t->p2[i].ike_tunnel);
		if (p1 != NULL && p1 != l->last_p1 &&
		    (rc = emit_p1(l, p1)) != 0)
			return rc;
		if ((rc = emit_p2(l, &t->p2[i])) != 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------------- run */

static int
list_txn(struct db_txn *txn, const struct ike_args *a, FILE *out)
{
	struct tunnels t = { 0 };
	struct listdb l = { .args = a, .t = &t };
	int rc;

	listfmt_init(&l.lf, out, a->verbose);
	if ((rc = dbdetail_init(&l.detail, &l.lf, txn)) != 0)
		return rc;
	if ((rc = db_foreach(txn, DB_T_IKE_TUNNEL, collect_p1, &t)) == 0 &&
	    (rc = db_foreach(txn, DB_T_IPSEC_TUNNEL, collect_p2, &t)) == 0)
		rc = a->phase == IKE_PHASE_2 ? list_by_p2(&l) :
		    list_by_p1(&l, a->phase != IKE_PHASE_1);
	dbdetail_free(&l.detail);
	tunnels_free(&t);
	return rc;
}

int
listdb_run(const char *dir, const struct ike_args *a, FILE *out, FILE *err)
{
	char why[512] = "";
	struct db *db;
	struct db_txn *txn;
	int rc;

	if ((rc = db_open(dir, DB_OPEN_RDONLY, &db, why, sizeof(why))) != 0) {
		if (why[0] == '\0')
			snprintf(why, sizeof(why), "%s: %s", dir,
			    ike_strerror(rc));
		fprintf(err, "ike: cannot open the IKE database: %s\n", why);
		return IKE_EXIT_SYSTEM;
	}
	if ((rc = db_read_begin(db, &txn)) == 0) {
		rc = list_txn(txn, a, out);
		db_abort(txn);
	}
	db_close(db);
	if (rc != 0) {
		fprintf(err, "ike: cannot read the IKE database in %s: %s\n",
		    dir, ike_strerror(rc));
		return IKE_EXIT_SYSTEM;
	}
	return IKE_EXIT_OK;
}
