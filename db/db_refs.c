/* db/db_refs.c: the references between objects: listing them, finding
 * who refers to an object, checking that all resolve.  Built on the
 * public accessors of db.h only. */
#include "db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/err.h"
#include "../core/secmem.h"

/* A default IPSecProtection (IKE_IPSecDefaultProtectionRef) must have a
 * name with this prefix (docs/ikedb-xml.md). */
#define DEF_PROT_PREFIX		"_defIPSprot_"

static const char attr_defprot[] = "IKE_IPSecDefaultProtectionRef";

/* Fills in the target of r and hands it to cb.  to is a NUL-terminated
 * array of tosize bytes. */
static int
emit(struct db_ref *r, const char *attr, enum db_type to_type,
    const char *to, size_t tosize, int (*cb)(const struct db_ref *, void *),
    void *arg)
{
	size_t n = strnlen(to, tosize);

	if (n >= sizeof(r->to_key))
		n = sizeof(r->to_key) - 1;
	r->attr = attr;
	r->to_type = to_type;
	memcpy(r->to_key, to, n);
	r->to_key[n] = '\0';
	return cb(r, arg);
}

#define EMIT(attr, type, arr) \
	emit(&r, attr, type, arr, sizeof(arr), cb, arg)

static int
ike_refs(const struct db_obj *o, struct db_ref r,
    int (*cb)(const struct db_ref *, void *), void *arg)
{
	const struct db_ike_protection *p = &o->u.ike_prot;
	const struct db_ike_tunnel *t = &o->u.ike_tun;
	int rc;

	if (o->type == DB_T_IKE_PROTECTION) {
		if (p->def_ipsec_prot[0] == '\0')
			return 0;
		return EMIT(attr_defprot, DB_T_IPSEC_PROTECTION,
		    p->def_ipsec_prot);
	}
	if ((rc = EMIT("IKE_ProtectionRef", DB_T_IKE_PROTECTION,
	    t->protection)) != 0)
		return rc;
	if (t->remote.type != DB_ID_GROUP)
		return 0;
	return EMIT("Group", DB_T_GROUP, t->remote.value);
}

static int
ipsec_refs(const struct db_obj *o, struct db_ref r,
    int (*cb)(const struct db_ref *, void *), void *arg)
{
	const struct db_ipsec_protection *p = &o->u.ipsec_prot;
	const struct db_ipsec_tunnel *t = &o->u.ipsec_tun;
	unsigned i;
	int rc;

	if (o->type == DB_T_IPSEC_PROTECTION) {
		for (i = 0; i < p->nproposals && i < DB_MAX_PROPREFS; i++) {
			if ((rc = EMIT("IPSec_ProposalRefs",
			    DB_T_IPSEC_PROPOSAL, p->proposals[i])) != 0)
				return rc;
		}
		return 0;
	}
	if ((rc = EMIT("IKE_TunnelName", DB_T_IKE_TUNNEL,
	    t->ike_tunnel)) != 0 ||
	    (rc = EMIT("IPSec_ProtectionRef", DB_T_IPSEC_PROTECTION,
	    t->protection)) != 0)
		return rc;
	if (t->remote.id.type != DB_ID_GROUP)
		return 0;
	return EMIT("Group", DB_T_GROUP, t->remote.id.value);
}

int
db_obj_refs(const struct db_obj *o,
    int (*cb)(const struct db_ref *, void *), void *arg)
{
	struct db_ref r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.from_type = o->type;
	if ((rc = db_obj_key(o, r.from_key, sizeof(r.from_key))) != 0)
		return rc;
	switch (o->type) {
	case DB_T_IKE_PROTECTION:
	case DB_T_IKE_TUNNEL:
		return ike_refs(o, r, cb, arg);
	case DB_T_IPSEC_PROTECTION:
	case DB_T_IPSEC_TUNNEL:
		return ipsec_refs(o, r, cb, arg);
	default:
		return 0;	/* keys, groups, proposals refer to nothing */
	}
}

struct referrer {
	enum db_type	 type;
	const char	*key;
	struct db_ref	 ref;
};

static int
ref_match(const struct db_ref *r, void *arg)
{
	struct referrer *q = arg;

	if (r->to_type != q->type || strcmp(r->to_key, q->key) != 0)
		return 0;
	q->ref = *r;
	return IKE_EBUSY;
}

static int
referrer_scan(const struct db_obj *o, void *arg)
{
	return db_obj_refs(o, ref_match, arg);
}

int
db_find_referrer(struct db_txn *txn, enum db_type type, const char *key,
    struct db_ref *ref)
{
	struct referrer q = { .type = type, .key = key };
	int t, rc = 0;

	for (t = 0; rc == 0 && t < DB_T_COUNT; t++)
		rc = db_foreach(txn, (enum db_type)t, referrer_scan, &q);
	if (rc == IKE_EBUSY && ref != NULL)
		*ref = q.ref;
	return rc;
}

struct check {
	struct db_txn	*txn;		/* borrowed */
	struct db_obj	*scratch;	/* owned by db_check_refs() */
	struct db_ref	 bad;		/* the first bad reference */
};

/* IKE_EINVAL: a default protection without the prefix; IKE_ENOTFOUND:
 * the target is absent. */
static int
check_one(const struct db_ref *r, void *arg)
{
	struct check *c = arg;
	int rc;

	if (r->attr == attr_defprot && strncmp(r->to_key, DEF_PROT_PREFIX,
	    strlen(DEF_PROT_PREFIX)) != 0)
		rc = IKE_EINVAL;
	else if (r->to_key[0] == '\0')
		rc = IKE_ENOTFOUND;	/* an empty name names nothing */
	else
		rc = db_get(c->txn, r->to_type, r->to_key, c->scratch);
	if (rc == IKE_EINVAL || rc == IKE_ENOTFOUND)
		c->bad = *r;
	return rc;
}

static int
check_obj(const struct db_obj *o, void *arg)
{
	return db_obj_refs(o, check_one, arg);
}

/* Returns IKE_ENOTFOUND for a dangling reference and IKE_EINVAL for an
 * IKE_IPSecDefaultProtectionRef without the "_defIPSprot_" prefix (even
 * if its target exists), with the reference in *ref; other errors are
 * the database's. */
int
db_check_refs(struct db_txn *txn, struct db_ref *ref)
{
	struct check c = { .txn = txn };
	int type, rc = 0;

	if ((c.scratch = calloc(1, sizeof(*c.scratch))) == NULL)
		return IKE_ENOMEM;
	for (type = 0; rc == 0 && type < DB_T_COUNT; type++)
		rc = db_foreach(txn, (enum db_type)type, check_obj, &c);
	if ((rc == IKE_ENOTFOUND || rc == IKE_EINVAL) && ref != NULL)
		*ref = c.bad;
	secmem_wipe(c.scratch, sizeof(*c.scratch));
	free(c.scratch);
	return rc;
}
