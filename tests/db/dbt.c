#include "dbt.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "tests/lib/testutil.h"

void
dbt_str(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s);
}

/* Fills all n-1 characters of dst: prefix, then letters from seed. */
static void
fill(char *dst, size_t n, const char *prefix, unsigned seed)
{
	size_t i = strlen(prefix);

	memcpy(dst, prefix, i);
	for (; i + 1 < n; i++)
		dst[i] = (char)('a' + (i + seed) % 26);
	dst[n - 1] = '\0';
}

static void
full_ident(struct db_ident *id, unsigned seed)
{
	id->type = (uint8_t)(1 + seed % (DB_ID_COUNT - 1));
	fill(id->value, sizeof(id->value), "v", seed);
	fill(id->value2, sizeof(id->value2), "w", seed);
}

static void
full_ike_prot(struct db_ike_protection *p, unsigned seed)
{
	unsigned i;

	fill(p->name, sizeof(p->name), "ikep-", seed);
	p->version = 2;
	p->role = DB_ROLE_RESPONDER;
	p->xchg_mode = DB_XCHG_AGGRESSIVE;
	p->key_overlap = 0x01020304u + seed;
	fill(p->def_ipsec_prot, sizeof(p->def_ipsec_prot), "_defIPSprot_", 0);
	p->def_allowed = 0xa5c3;
	p->ntransforms = DB_MAX_TRANSFORMS;
	for (i = 0; i < DB_MAX_TRANSFORMS; i++) {
		struct db_ike_transform *x = &p->transforms[i];

		x->encr = (uint8_t)(1 + (i + seed) % (DB_ENCR_COUNT - 1));
		x->hash = (uint8_t)(1 + (i + seed) % (DB_HASH_COUNT - 1));
		x->prf = (uint8_t)(1 + (i + seed) % (DB_PRF_COUNT - 1));
		x->dh_group = (uint8_t)(200 + i);
		x->auth = (uint8_t)(1 + i % (DB_AUTH_COUNT - 1));
		x->life_minutes = 0xfffffff0u + i;
		x->life_kb = 0x10000u * (i + 1) + seed;
	}
}

static void
full_ike_tun(struct db_ike_tunnel *t, unsigned seed)
{
	fill(t->name, sizeof(t->name), "ikt-", seed);
	t->num = 0x7fff0000u + seed;
	fill(t->protection, sizeof(t->protection), "ikep-", seed);
	t->autostart = true;
	fill(t->local_addr, sizeof(t->local_addr), "la", seed);
	fill(t->remote_addr, sizeof(t->remote_addr), "ra", seed);
	full_ident(&t->local, seed);
	full_ident(&t->remote, seed + 1);
}

static void
full_psk(struct db_psk *k, unsigned seed)
{
	unsigned i;

	full_ident(&k->remote, seed);
	k->format = DB_PSK_HEX;
	k->len = DB_PSK_MAX;
	for (i = 0; i < DB_PSK_MAX; i++)
		k->key[i] = (uint8_t)(i + seed);	/* zero bytes too */
}

static void
full_group(struct db_group *g, unsigned seed)
{
	unsigned i;

	fill(g->name, sizeof(g->name), "grp-", seed);
	g->nmembers = DB_MAX_MEMBERS;
	for (i = 0; i < DB_MAX_MEMBERS; i++)
		full_ident(&g->members[i], seed + i);
}

static void
full_ipsec_prop(struct db_ipsec_proposal *p, unsigned seed)
{
	unsigned i;

	fill(p->name, sizeof(p->name), "prop-", seed);
	p->nprotos = DB_MAX_PROTOS;
	for (i = 0; i < DB_MAX_PROTOS; i++) {
		struct db_ipsec_transform *x = &p->protos[i];

		x->proto = DB_PROTO_AH;
		x->encr = (uint8_t)(1 + (i + seed) % (DB_ENCR_COUNT - 1));
		x->integ = (uint8_t)(1 + (i + seed) % (DB_INTEG_COUNT - 1));
		x->mode = DB_MODE_TRANSPORT;
		x->esn = true;
		x->life_minutes = 1440u + i;
		x->life_kb = 0xdeadbeefu - i;
	}
}

static void
full_ipsec_prot(struct db_ipsec_protection *p, unsigned seed)
{
	char pfx[16];
	unsigned i;

	fill(p->name, sizeof(p->name), "_defIPSprot_", seed);
	p->nproposals = DB_MAX_PROPREFS;
	for (i = 0; i < DB_MAX_PROPREFS; i++) {
		snprintf(pfx, sizeof(pfx), "prop%u-", i);
		fill(p->proposals[i], sizeof(p->proposals[i]), pfx, seed);
	}
	p->role = DB_ROLE_INITIATOR;
	p->init_dh = 31;
	p->resp_dh = DB_DH_ANY;
	p->key_overlap = 0x00abcdefu + seed;
}

static void
full_p2ident(struct db_p2ident *id, unsigned seed)
{
	full_ident(&id->id, seed);
	id->protocol = 17;
	id->port = (uint16_t)(0xff00u + seed);
	id->endport = 0xffff;
}

static void
full_ipsec_tun(struct db_ipsec_tunnel *t, unsigned seed)
{
	fill(t->name, sizeof(t->name), "ipt-", seed);
	t->num = 0x00010000u + seed;
	fill(t->ike_tunnel, sizeof(t->ike_tunnel), "ikt-", seed);
	fill(t->protection, sizeof(t->protection), "_defIPSprot_", seed);
	t->autostart = true;
	t->ondemand = true;
	full_p2ident(&t->local, seed);
	full_p2ident(&t->remote, seed + 3);
}

void
dbt_full(struct db_obj *o, enum db_type type, unsigned seed)
{
	memset(o, 0, sizeof(*o));
	o->type = type;
	switch (type) {
	case DB_T_IKE_PROTECTION:	full_ike_prot(&o->u.ike_prot, seed); break;
	case DB_T_IKE_TUNNEL:		full_ike_tun(&o->u.ike_tun, seed); break;
	case DB_T_PSK:			full_psk(&o->u.psk, seed); break;
	case DB_T_GROUP:		full_group(&o->u.group, seed); break;
	case DB_T_IPSEC_PROPOSAL:	full_ipsec_prop(&o->u.ipsec_prop, seed);
		break;
	case DB_T_IPSEC_PROTECTION:	full_ipsec_prot(&o->u.ipsec_prot, seed);
		break;
	case DB_T_IPSEC_TUNNEL:		full_ipsec_tun(&o->u.ipsec_tun, seed);
		break;
	default:			break;
	}
}

void
dbt_small(struct db_obj *o, enum db_type type, const char *name)
{
	memset(o, 0, sizeof(*o));
	o->type = type;
	switch (type) {
	case DB_T_IKE_PROTECTION:
		dbt_str(o->u.ike_prot.name, DB_NAME_MAX, name);
		o->u.ike_prot.version = 1;
		o->u.ike_prot.ntransforms = 1;
		o->u.ike_prot.transforms[0].encr = DB_ENCR_AES_CBC_256;
		break;
	case DB_T_IKE_TUNNEL:
		dbt_str(o->u.ike_tun.name, DB_NAME_MAX, name);
		break;
	case DB_T_PSK:
		o->u.psk.remote.type = DB_ID_IPV4_ADDR;
		dbt_str(o->u.psk.remote.value, DB_IDVAL_MAX, name);
		o->u.psk.len = 6;
		memcpy(o->u.psk.key, "secret", 6);
		break;
	case DB_T_GROUP:
		dbt_str(o->u.group.name, DB_NAME_MAX, name);
		break;
	case DB_T_IPSEC_PROPOSAL:
		dbt_str(o->u.ipsec_prop.name, DB_NAME_MAX, name);
		break;
	case DB_T_IPSEC_PROTECTION:
		dbt_str(o->u.ipsec_prot.name, DB_NAME_MAX, name);
		break;
	case DB_T_IPSEC_TUNNEL:
		dbt_str(o->u.ipsec_tun.name, DB_NAME_MAX, name);
		break;
	default:
		break;
	}
}

struct db *
dbt_open_new(char *dir)
{
	char tmp[PATH_MAX - 16], err[512];
	struct db *db;

	if (tu_mkdtemp(tmp, sizeof(tmp), "db") != 0)
		return NULL;
	snprintf(dir, PATH_MAX, "%s/db", tmp);	/* fits: see tmp */
	if (db_open(dir, DB_OPEN_CREATE, &db, err, sizeof(err)) != 0) {
		fprintf(stderr, "db_open %s: %s\n", dir, err);
		return NULL;
	}
	return db;
}

struct put_arg {
	struct db_obj	*o;
	bool		 replace;
};

static int
put_fn(struct db_txn *t, void *arg)
{
	struct put_arg *a = arg;

	return db_put(t, a->o, a->replace);
}

int
dbt_put(struct db *db, struct db_obj *o, bool replace)
{
	struct put_arg a = { o, replace };

	return db_write(db, put_fn, &a);
}

int
dbt_get(struct db *db, enum db_type type, const char *key,
    struct db_obj *out)
{
	struct db_txn *t;
	int rc;

	if ((rc = db_read_begin(db, &t)) != 0)
		return rc;
	rc = db_get(t, type, key, out);
	db_abort(t);
	return rc;
}

struct del_arg {
	enum db_type	 type;
	const char	*key;
	struct db_ref	*ref;
};

static int
del_fn(struct db_txn *t, void *arg)
{
	struct del_arg *a = arg;

	return db_del(t, a->type, a->key, a->ref);
}

int
dbt_del(struct db *db, enum db_type type, const char *key, struct db_ref *ref)
{
	struct del_arg a = { type, key, ref };

	return db_write(db, del_fn, &a);
}

static int
clear_fn(struct db_txn *t, void *arg)
{
	(void)arg;
	return db_clear(t);
}

int
dbt_clear(struct db *db)
{
	return db_write(db, clear_fn, NULL);
}

int
dbt_count(struct db *db, enum db_type type, uint64_t *out)
{
	struct db_txn *t;
	int rc;

	if ((rc = db_read_begin(db, &t)) != 0)
		return rc;
	rc = db_count(t, type, out);
	db_abort(t);
	return rc;
}

int
dbt_check(struct db *db, struct db_ref *ref)
{
	struct db_txn *t;
	int rc;

	if ((rc = db_read_begin(db, &t)) != 0)
		return rc;
	rc = db_check_refs(t, ref);
	db_abort(t);
	return rc;
}
