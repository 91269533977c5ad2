/* cli/ikedb/ops.c: put, get, delete and clear on the database. */
#include "ops.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secmem.h"
#include "print.h"
#include "schema.h"

static int
fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return status;
}

static const char *
name_attr(enum db_type t)
{
	const struct sch_elem *el = sch_obj_elem(t);
	size_t i;

	for (i = 0; el != NULL && i < el->nattrs; i++)
		if (el->attrs[i].kind == SK_NAME)
			return el->attrs[i].name;
	return NULL;
}

/* "IKETunnel \"hq\"" or "IKEPresharedKey for IPV4_Address:..." */
static void
obj_label(enum db_type t, const char *key, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s\"%s\"", db_type_name(t),
	    t == DB_T_PSK ? "for " : "", key);
}

static struct db_obj *
obj_alloc(void)
{
	return calloc(1, sizeof(struct db_obj));
}

static void
obj_free(struct db_obj *o)
{
	if (o == NULL)
		return;
	secmem_wipe(o, sizeof(*o));
	free(o);
}

/* ------------------------------------------------------------------- -s */

static int
swap_refused(const struct ikedb_item *it, const char *group, char *err,
    size_t errlen)
{
	char msg[200];

	snprintf(msg, sizeof(msg), "cannot swap local and remote (-s): the "
	    "remote identity is the group \"%.*s\", which cannot become local",
	    DB_NAME_MAX - 1, group);
	ikedb_format_err(err, errlen, it->file, it->line,
	    db_type_name(it->obj.type), name_attr(it->obj.type), it->key, msg);
	return OPS_USER;
}

int
ops_swap(struct ikedb_doc *doc, char *err, size_t errlen)
{
	struct db_ike_tunnel *t;
	struct db_ipsec_tunnel *p;
	struct db_ident id;
	struct db_p2ident p2;
	char addr[DB_ADDR_MAX];
	size_t i;

	for (i = 0; i < doc->nitems; i++) {
		struct ikedb_item *it = doc->items[i];

		if (it->obj.type == DB_T_IKE_TUNNEL) {
			t = &it->obj.u.ike_tun;
			if (t->remote.type == DB_ID_GROUP)
				return swap_refused(it, t->remote.value, err,
				    errlen);
			id = t->local, t->local = t->remote, t->remote = id;
			memcpy(addr, t->local_addr, sizeof(addr));
			memcpy(t->local_addr, t->remote_addr, sizeof(addr));
			memcpy(t->remote_addr, addr, sizeof(addr));
		} else if (it->obj.type == DB_T_IPSEC_TUNNEL) {
			p = &it->obj.u.ipsec_tun;
			if (p->remote.id.type == DB_ID_GROUP)
				return swap_refused(it, p->remote.id.value, err,
				    errlen);
			p2 = p->local, p->local = p->remote, p->remote = p2;
		}
	}
	return OPS_OK;
}

/* ------------------------------------------------------------------- -p */

struct put {
	struct ikedb_doc	*doc;		/* borrowed */
	bool			 replace;
	struct db_obj		*tmp, *old;	/* owned by ops_put() */
	char			*err;
	size_t			 errlen;
	int			 status;	/* OPS_* of the failure */
};

static int
put_user(struct put *p, const char *file, unsigned line, const char *elem,
    const char *attr, const char *value, const char *msg)
{
	ikedb_format_err(p->err, p->errlen, file, line, elem, attr, value, msg);
	p->status = OPS_USER;
	return IKE_EINVAL;
}

static int
put_sys(struct put *p, int rc, const char *what, const char *key)
{
	snprintf(p->err, p->errlen, "cannot %s \"%s\" in the database: %s",
	    what, key, ike_strerror(rc));
	p->status = OPS_SYS;
	return rc;
}

static int
keep_key(struct db_txn *t, struct put *p, const struct ikedb_item *it)
{
	int rc = db_get(t, DB_T_PSK, it->key, p->old);

	if (rc == IKE_ENOTFOUND)
		return put_user(p, it->file, it->line, "IKEPresharedKey",
		    "Value", "*", "no key is stored for this identity to keep");
	if (rc != 0)
		return put_sys(p, rc, "read", it->key);
	p->tmp->u.psk.format = p->old->u.psk.format;
	p->tmp->u.psk.len = p->old->u.psk.len;
	memcpy(p->tmp->u.psk.key, p->old->u.psk.key, sizeof(p->tmp->u.psk.key));
	return 0;
}

static int
put_item(struct db_txn *t, struct put *p, const struct ikedb_item *it)
{
	char label[DB_KEY_MAX + 64];
	int rc;

	*p->tmp = it->obj;
	if (it->keep_key && (rc = keep_key(t, p, it)) != 0)
		return rc;
	rc = db_put(t, p->tmp, p->replace);
	if (rc == IKE_EEXIST) {
		const char *attr = name_attr(it->obj.type);

		snprintf(label, sizeof(label), "%s%s%salready in the database "
		    "(-F replaces it)", attr ? "" : "a key for ", attr ? "" :
		    it->key, attr ? "" : " is ");
		return put_user(p, it->file, it->line,
		    db_type_name(it->obj.type), attr, attr ? it->key : NULL,
		    label);
	}
	return rc != 0 ? put_sys(p, rc, "store", it->key) : 0;
}

static const struct ikedb_item *
find_item(const struct ikedb_doc *doc, enum db_type t, const char *key)
{
	size_t i;

	for (i = 0; i < doc->nitems; i++)
		if (doc->items[i]->obj.type == t &&
		    strcmp(doc->items[i]->key, key) == 0)
			return doc->items[i];
	return NULL;
}

/* A reference that does not resolve, told where the file made it. */
static int
bad_ref(struct put *p, const struct db_ref *r, int rc)
{
	const struct ikedb_item *it = find_item(p->doc, r->from_type,
	    r->from_key);
	char msg[DB_KEY_MAX + 128], from[DB_KEY_MAX + 64];
	size_t i;

	if (rc == IKE_EINVAL)
		snprintf(msg, sizeof(msg), "must name an IPSecProtection "
		    "whose name starts with \"_defIPSprot_\"");
	else
		snprintf(msg, sizeof(msg), "no %s named \"%s\" in the file or "
		    "the database", db_type_name(r->to_type), r->to_key);
	for (i = 0; it != NULL && i < it->nnotes; i++) {
		const struct ikedb_note *n = &it->notes[i];

		if (n->to_type == (int)r->to_type &&
		    strcmp(n->value, r->to_key) == 0)
			return put_user(p, n->file, n->line, n->elem, n->attr,
			    n->value, msg);
	}
	obj_label(r->from_type, r->from_key, from, sizeof(from));
	snprintf(p->err, p->errlen, "the database's %s: %s=\"%s\": %s", from,
	    r->attr, r->to_key, msg);
	p->status = OPS_USER;
	return IKE_EINVAL;
}

/* The IKE version a phase-2 tunnel runs under, 0 if unknown; the
 * IKEProtection's name in prot. */
static unsigned
tunnel_version(struct db_txn *t, const struct db_ipsec_tunnel *pt,
    struct db_obj *o, char prot[DB_NAME_MAX])
{
	if (db_get(t, DB_T_IKE_TUNNEL, pt->ike_tunnel, o) != 0)
		return 0;
	memcpy(prot, o->u.ike_tun.protection, DB_NAME_MAX);
	prot[DB_NAME_MAX - 1] = '\0';
	if (db_get(t, DB_T_IKE_PROTECTION, prot, o) != 0)
		return 0;
	return o->u.ike_prot.version;
}

struct vcheck {
	struct put	*p;
	struct db_txn	*t;
};

/* A stored phase-2 tunnel with a port range now runs under IKEv1: blame
 * what the file changed, the IKETunnel or the IKEProtection. */
static int
version_stored(struct vcheck *v, const struct db_ipsec_tunnel *pt,
    const char *prot)
{
	const struct ikedb_item *it;
	char msg[3 * DB_NAME_MAX + 128];

	snprintf(msg, sizeof(msg), "IPSecTunnel \"%s\" in the database uses a "
	    "port range (EndPort), which needs IKEv2, but IKEProtection \"%s\" "
	    "is IKEv1", pt->name, prot);
	if ((it = find_item(v->p->doc, DB_T_IKE_TUNNEL, pt->ike_tunnel)) !=
	    NULL)
		return put_user(v->p, it->file, it->line, "IKETunnel",
		    "IKE_ProtectionRef", prot, msg);
	if ((it = find_item(v->p->doc, DB_T_IKE_PROTECTION, prot)) != NULL)
		return put_user(v->p, it->file, it->line, "IKEProtection",
		    "IKE_Version", "1", msg);
	snprintf(v->p->err, v->p->errlen, "%s", msg);
	v->p->status = OPS_USER;
	return IKE_EINVAL;
}

/* Port ranges (EndPort) need IKEv2: known only once the tunnel's
 * IKETunnel and IKEProtection are known, from the file or not. */
static int
version_one(const struct db_obj *o, void *arg)
{
	struct vcheck *v = arg;
	const struct db_ipsec_tunnel *pt = &o->u.ipsec_tun;
	const struct ikedb_item *it;
	char msg[3 * DB_NAME_MAX + 96], prot[DB_NAME_MAX];
	size_t i;

	if ((pt->local.endport == pt->local.port &&
	    pt->remote.endport == pt->remote.port) ||
	    tunnel_version(v->t, pt, v->p->old, prot) != 1)
		return 0;
	snprintf(msg, sizeof(msg), "IKEv2 only, but IPSecTunnel \"%s\" runs "
	    "under IKETunnel \"%s\", which is IKEv1", pt->name, pt->ike_tunnel);
	it = find_item(v->p->doc, DB_T_IPSEC_TUNNEL, pt->name);
	for (i = 0; it != NULL && i < it->nnotes; i++)
		if (it->notes[i].to_type == NOTE_NEEDS_V2)
			return put_user(v->p, it->notes[i].file,
			    it->notes[i].line, it->notes[i].elem,
			    it->notes[i].attr, it->notes[i].value, msg);
	return version_stored(v, pt, prot);
}

static int
put_fn(struct db_txn *t, void *arg)
{
	struct put *p = arg;
	struct vcheck v = { p, t };
	struct db_ref ref;
	size_t i;
	int rc;

	p->status = OPS_OK;
	for (i = 0; i < p->doc->nitems; i++)
		if ((rc = put_item(t, p, p->doc->items[i])) != 0)
			return rc;
	memset(&ref, 0, sizeof(ref));
	rc = db_check_refs(t, &ref);
	if (rc == IKE_ENOTFOUND || rc == IKE_EINVAL)
		return bad_ref(p, &ref, rc);
	if (rc != 0)
		return put_sys(p, rc, "check references of", ref.from_key);
	rc = db_foreach(t, DB_T_IPSEC_TUNNEL, version_one, &v);
	if (rc != 0 && p->status == OPS_OK)
		return put_sys(p, rc, "read", "IPSecTunnel");
	return rc;
}

int
ops_put(struct db *db, struct ikedb_doc *doc, bool replace, char *err,
    size_t errlen)
{
	struct put p = { doc, replace, obj_alloc(), obj_alloc(), err, errlen,
	    OPS_OK };
	int rc;

	if (p.tmp == NULL || p.old == NULL)
		rc = IKE_ENOMEM;
	else
		rc = db_write(db, put_fn, &p);
	obj_free(p.tmp);
	obj_free(p.old);
	if (rc == 0)
		return OPS_OK;
	if (p.status != OPS_OK)
		return p.status;
	return fail(err, errlen, OPS_SYS, "cannot write the database: %s",
	    ike_strerror(rc));
}

/* ------------------------------------------------------------ selection */

struct keyset {
	struct skey {
		enum db_type	type;
		char		key[DB_KEY_MAX];
	}		*v;
	size_t		 n, cap;
};

static bool
ks_has(const struct keyset *s, enum db_type t, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].type == t && strcmp(s->v[i].key, key) == 0)
			return true;
	return false;
}

/* Adds (t, key) unless present.  0 or IKE_ENOMEM. */
static int
ks_add(struct keyset *s, enum db_type t, const char *key)
{
	struct skey *nv;

	if (ks_has(s, t, key))
		return 0;
	if (s->n == s->cap) {
		nv = realloc(s->v, (s->cap * 2 + 16) * sizeof(*nv));
		if (nv == NULL)
			return IKE_ENOMEM;
		s->v = nv;
		s->cap = s->cap * 2 + 16;
	}
	s->v[s->n].type = t;
	snprintf(s->v[s->n].key, sizeof(s->v[s->n].key), "%s", key);
	s->n++;
	return 0;
}

static bool
ident_eq(const struct db_ident *a, const struct db_ident *b)
{
	return a->type == b->type && strcmp(a->value, b->value) == 0 &&
	    strcmp(a->value2, b->value2) == 0;
}

struct match {
	const struct ops_sel	*sel;
	struct keyset		*set;
};

/* Selects every object of the type, or the tunnels whose remote identity
 * is the one given. */
static int
match_one(const struct db_obj *o, void *arg)
{
	struct match *m = arg;
	const struct db_ident *remote = NULL;
	char key[DB_KEY_MAX];
	int rc;

	if (o->type == DB_T_IKE_TUNNEL)
		remote = &o->u.ike_tun.remote;
	else if (o->type == DB_T_IPSEC_TUNNEL)
		remote = &o->u.ipsec_tun.remote.id;
	if (m->sel->by_ident && (remote == NULL ||
	    !ident_eq(remote, &m->sel->ident)))
		return 0;
	if ((rc = db_obj_key(o, key, sizeof(key))) != 0)
		return rc;
	return ks_add(m->set, o->type, key);
}

static void
sel_label(const struct ops_sel *sel, char *buf, size_t n)
{
	char key[DB_KEY_MAX];

	if (sel->name != NULL) {
		snprintf(buf, n, "no %s named \"%s\"", db_type_name(sel->type),
		    sel->name);
		return;
	}
	if (db_ident_key(&sel->ident, key, sizeof(key)) != 0)
		key[0] = '\0';
	snprintf(buf, n, "no %s %s %s", db_type_name(sel->type),
	    sel->type == DB_T_PSK ? "for" : "with the remote identity", key);
}

/* Fills set with the selected objects.  OPS_USER if a name or identity
 * selects nothing. */
static int
select_keys(struct db_txn *t, const struct ops_sel *sel, struct keyset *set,
    struct db_obj *o, char *err, size_t errlen)
{
	struct match m = { sel, set };
	char key[DB_KEY_MAX];
	int rc, type;

	if (sel->name != NULL || (sel->by_ident && sel->type == DB_T_PSK)) {
		if (sel->name != NULL)
			snprintf(key, sizeof(key), "%s", sel->name);
		else if (db_ident_key(&sel->ident, key, sizeof(key)) != 0)
			key[0] = '\0';
		rc = db_get(t, sel->type, key, o);
		if (rc == 0)
			rc = ks_add(set, sel->type, key);
	} else {
		for (type = 0, rc = 0; type < DB_T_COUNT && rc == 0; type++)
			if (sel->all || type == (int)sel->type)
				rc = db_foreach(t, (enum db_type)type,
				    match_one, &m);
		if (rc == 0 && set->n == 0 && sel->by_ident)
			rc = IKE_ENOTFOUND;
	}
	if (rc == IKE_ENOTFOUND) {
		sel_label(sel, err, errlen);
		return OPS_USER;
	}
	if (rc != 0)
		return fail(err, errlen, OPS_SYS, "cannot read the database: %s",
		    ike_strerror(rc));
	return OPS_OK;
}

/* ------------------------------------------------------------------- -g */

struct closure {
	struct db_txn	*t;
	struct keyset	*set;
	struct db_obj	*obj, *group, *psk;	/* scratch, owned by caller */
};

static int
closure_ref(const struct db_ref *r, void *arg)
{
	struct closure *c = arg;

	return ks_add(c->set, r->to_type, r->to_key);
}

static int
psk_if_present(struct closure *c, const struct db_ident *id)
{
	char key[DB_KEY_MAX];
	int rc;

	if (db_ident_key(id, key, sizeof(key)) != 0)
		return 0;
	rc = db_get(c->t, DB_T_PSK, key, c->psk);
	if (rc == IKE_ENOTFOUND)
		return 0;
	return rc != 0 ? rc : ks_add(c->set, DB_T_PSK, key);
}

/* The keys a phase-1 tunnel uses: for its remote identity, or for each
 * member of its remote group. */
static int
closure_keys(struct closure *c, const struct db_ident *id)
{
	unsigned i;
	int rc;

	if (id->type != DB_ID_GROUP)
		return psk_if_present(c, id);
	rc = db_get(c->t, DB_T_GROUP, id->value, c->group);
	if (rc == IKE_ENOTFOUND)
		return 0;
	for (i = 0; rc == 0 && i < c->group->u.group.nmembers &&
	    i < DB_MAX_MEMBERS; i++)
		rc = psk_if_present(c, &c->group->u.group.members[i]);
	return rc;
}

/* -r: adds what the selected objects refer to, and what that refers to,
 * and the preshared keys of the phase-1 tunnels among them.  A target
 * that is missing is left out (ikedb -p does not let that happen). */
static int
closure(struct closure *c)
{
	size_t i;
	int rc;

	for (i = 0; i < c->set->n; i++) {	/* the set grows meanwhile */
		rc = db_get(c->t, c->set->v[i].type, c->set->v[i].key, c->obj);
		if (rc == IKE_ENOTFOUND)
			continue;
		if (rc == 0)
			rc = db_obj_refs(c->obj, closure_ref, c);
		if (rc == 0 && c->obj->type == DB_T_IKE_TUNNEL)
			rc = closure_keys(c, &c->obj->u.ike_tun.remote);
		if (rc != 0)
			return rc;
	}
	return 0;
}

struct printer {
	FILE			*out;
	const struct keyset	*set;		/* NULL: everything */
	bool			 keys;
};

static int
print_one(const struct db_obj *o, void *arg)
{
	struct printer *pr = arg;
	char key[DB_KEY_MAX];
	int rc;

	if (pr->set != NULL) {
		if ((rc = db_obj_key(o, key, sizeof(key))) != 0)
			return rc;
		if (!ks_has(pr->set, o->type, key))
			return 0;
	}
	print_obj(pr->out, o, pr->keys);
	return 0;
}

static int
print_all(struct db_txn *t, struct printer *pr)
{
	int type, rc = 0;

	for (type = 0; type < DB_T_COUNT && rc == 0; type++)
		rc = db_foreach(t, (enum db_type)type, print_one, pr);
	return rc;
}

static int
get_txn(struct db_txn *t, const struct ops_sel *sel, bool recursive,
    struct printer *pr, char *err, size_t errlen)
{
	struct keyset set = { 0 };
	struct closure c = { t, &set, obj_alloc(), obj_alloc(), obj_alloc() };
	int status = OPS_OK, rc = 0;

	if (c.obj == NULL || c.group == NULL || c.psk == NULL)
		rc = IKE_ENOMEM;
	else if (sel->all)
		pr->set = NULL;
	else if ((status = select_keys(t, sel, &set, c.obj, err, errlen)) ==
	    OPS_OK) {
		if (recursive)
			rc = closure(&c);
		pr->set = &set;
	}
	if (status == OPS_OK && rc == 0)
		rc = print_all(t, pr);
	obj_free(c.obj);
	obj_free(c.group);
	obj_free(c.psk);
	free(set.v);
	if (status == OPS_OK && rc != 0)
		status = fail(err, errlen, OPS_SYS, "cannot read the database: "
		    "%s", ike_strerror(rc));
	return status;
}

int
ops_get(struct db *db, const struct ops_sel *sel, bool recursive, bool keys,
    FILE *out, char *err, size_t errlen)
{
	struct printer pr = { out, NULL, keys };
	struct db_txn *t;
	int rc, status;

	if (db == NULL) {
		if (sel->name != NULL || sel->by_ident) {
			sel_label(sel, err, errlen);
			return OPS_USER;
		}
		print_begin(out);
		print_end(out);
		return OPS_OK;
	}
	if ((rc = db_read_begin(db, &t)) != 0)
		return fail(err, errlen, OPS_SYS, "cannot read the database: %s",
		    ike_strerror(rc));
	print_begin(out);
	status = get_txn(t, sel, recursive, &pr, err, errlen);
	print_end(out);
	db_abort(t);
	return status;
}

/* ------------------------------------------------------------------- -d */

struct del {
	const struct ops_sel	*sel;
	char			*err;
	size_t			 errlen;
	int			 status;
};

static int
del_busy(struct del *d, enum db_type t, const char *key,
    const struct db_ref *ref)
{
	char what[DB_KEY_MAX + 64], by[DB_KEY_MAX + 64];

	obj_label(t, key, what, sizeof(what));
	obj_label(ref->from_type, ref->from_key, by, sizeof(by));
	snprintf(d->err, d->errlen, "cannot delete %s: %s refers to it (%s)",
	    what, by, ref->attr);
	d->status = OPS_USER;
	return IKE_EBUSY;
}

static int
del_fn(struct db_txn *t, void *arg)
{
	struct del *d = arg;
	struct keyset set = { 0 };
	struct db_obj *o = obj_alloc();
	struct db_ref ref;
	size_t i;
	int rc = 0;

	if (o == NULL)
		return IKE_ENOMEM;
	d->status = select_keys(t, d->sel, &set, o, d->err, d->errlen);
	for (i = 0; d->status == OPS_OK && rc == 0 && i < set.n; i++) {
		rc = db_del(t, set.v[i].type, set.v[i].key, &ref);
		if (rc == IKE_EBUSY)
			del_busy(d, set.v[i].type, set.v[i].key, &ref);
		else if (rc != 0)
			d->status = fail(d->err, d->errlen, OPS_SYS, "cannot "
			    "delete \"%s\": %s", set.v[i].key,
			    ike_strerror(rc));
	}
	obj_free(o);
	free(set.v);
	return d->status != OPS_OK ? (rc != 0 ? rc : IKE_EINVAL) : 0;
}

int
ops_del(struct db *db, const struct ops_sel *sel, char *err, size_t errlen)
{
	struct del d = { sel, err, errlen, OPS_OK };
	int rc = db_write(db, del_fn, &d);

	if (rc == 0)
		return OPS_OK;
	if (d.status != OPS_OK)
		return d.status;
	return fail(err, errlen, OPS_SYS, "cannot write the database: %s",
	    ike_strerror(rc));
}

/* ------------------------------------------------------------------- -x */

static int
clear_fn(struct db_txn *t, void *arg)
{
	(void)arg;
	return db_clear(t);
}

int
ops_clear(struct db *db, char *err, size_t errlen)
{
	int rc = db_write(db, clear_fn, NULL);

	return rc == 0 ? OPS_OK : fail(err, errlen, OPS_SYS, "cannot clear "
	    "the database: %s", ike_strerror(rc));
}
