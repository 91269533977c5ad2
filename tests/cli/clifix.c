#include "clifix.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"

static struct db_obj o;		/* large: one at a time */

static void
ident(struct db_ident *id, enum db_idtype t, const char *v, const char *v2)
{
	id->type = (uint8_t)t;
	snprintf(id->value, sizeof(id->value), "%s", v);
	snprintf(id->value2, sizeof(id->value2), "%s", v2);
}

static void
begin(enum db_type t)
{
	memset(&o, 0, sizeof(o));
	o.type = t;
}

static int
put_ike_protections(struct db_txn *txn)
{
	struct db_ike_protection *p = &o.u.ike_prot;
	int rc;

	begin(DB_T_IKE_PROTECTION);
	snprintf(p->name, sizeof(p->name), "p1-v2");
	p->version = 2;
	p->role = DB_ROLE_BOTH;
	p->key_overlap = 10;
	p->ntransforms = 2;
	p->transforms[0] = (struct db_ike_transform){ DB_ENCR_AES_GCM_256,
	    DB_HASH_SHA2_256, DB_PRF_FOLLOW, 31, DB_AUTH_PSK, 480, 0 };
	p->transforms[1] = (struct db_ike_transform){ DB_ENCR_AES_CBC_256,
	    DB_HASH_SHA2_512, DB_PRF_SHA2_512, 14, DB_AUTH_RSA_SIG, 240,
	    1000 };
	if ((rc = db_put(txn, &o, false)) != 0)
		return rc;
	begin(DB_T_IKE_PROTECTION);
	snprintf(p->name, sizeof(p->name), "p1-v1");
	p->version = 1;
	p->role = DB_ROLE_INITIATOR;
	p->xchg_mode = DB_XCHG_AGGRESSIVE;
	p->key_overlap = 15;
	snprintf(p->def_ipsec_prot, sizeof(p->def_ipsec_prot),
	    "_defIPSprot_dhcp");
	p->def_allowed = (1u << (DB_ALLOW_LOCAL + 0)) |
	    (1u << (DB_ALLOW_REMOTE + 2));
	p->ntransforms = 1;
	p->transforms[0] = (struct db_ike_transform){ DB_ENCR_3DES_CBC,
	    DB_HASH_SHA1, DB_PRF_FOLLOW, 2, DB_AUTH_PSK, 60, 0 };
	return db_put(txn, &o, false);
}

static int
put_ike_tunnel(struct db_txn *txn, const char *name, const char *prot,
    const struct db_ident *l, const struct db_ident *r, const char *laddr,
    const char *raddr, bool autostart)
{
	struct db_ike_tunnel *t = &o.u.ike_tun;

	begin(DB_T_IKE_TUNNEL);
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->protection, sizeof(t->protection), "%s", prot);
	snprintf(t->local_addr, sizeof(t->local_addr), "%s", laddr);
	snprintf(t->remote_addr, sizeof(t->remote_addr), "%s", raddr);
	t->local = *l;
	t->remote = *r;
	t->autostart = autostart;
	return db_put(txn, &o, false);
}

static int
put_ike_tunnels(struct db_txn *txn)
{
	struct db_ident l, r;
	int rc;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	ident(&l, DB_ID_IPV4_ADDR, "192.0.2.1", "");
	ident(&r, DB_ID_IPV4_ADDR, "198.51.100.7", "");
	if ((rc = put_ike_tunnel(txn, "hq", "p1-v2", &l, &r, "", "", true)))
		return rc;
	ident(&l, DB_ID_FQDN, "gw.example.com", "");
	ident(&r, DB_ID_USER_FQDN, "admin@branch.example.org", "");
	if ((rc = put_ike_tunnel(txn, "branch", "p1-v1", &l, &r, "192.0.2.1",
	    "203.0.113.9", false)))
		return rc;
	ident(&l, DB_ID_IPV6_ADDR, "2001:db8::1", "");
	ident(&r, DB_ID_X500DN, "C=US, O=IBM, CN=peer", "");
	return put_ike_tunnel(txn, "v6", "p1-v2", &l, &r, "", "", false);
}

static int
put_psk(struct db_txn *txn, enum db_idtype t, const char *id,
    const char *key)
{
	struct db_psk *k = &o.u.psk;

	begin(DB_T_PSK);
	ident(&k->remote, t, id, "");
	k->format = DB_PSK_ASCII;
	k->len = (uint16_t)strlen(key);
	memcpy(k->key, key, k->len);
	return db_put(txn, &o, false);
}

static int
put_group(struct db_txn *txn)
{
	struct db_group *g = &o.u.group;

	begin(DB_T_GROUP);
	snprintf(g->name, sizeof(g->name), "offices");
	g->nmembers = 2;
	ident(&g->members[0], DB_ID_IPV4_SUBNET, "10.9.0.0", "255.255.0.0");
	ident(&g->members[1], DB_ID_IPV4_ADDR, "10.8.0.1", "");
	return db_put(txn, &o, false);
}

static int
put_proposals(struct db_txn *txn)
{
	struct db_ipsec_proposal *p = &o.u.ipsec_prop;
	int rc;

	begin(DB_T_IPSEC_PROPOSAL);
	snprintf(p->name, sizeof(p->name), "esp-gcm");
	p->nprotos = 1;
	p->protos[0] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_AES_GCM_256, DB_INTEG_NONE, DB_MODE_TUNNEL, true, 60, 0 };
	if ((rc = db_put(txn, &o, false)) != 0)
		return rc;
	begin(DB_T_IPSEC_PROPOSAL);
	snprintf(p->name, sizeof(p->name), "ah-esp");
	p->nprotos = 2;
	p->protos[0] = (struct db_ipsec_transform){ DB_PROTO_AH,
	    DB_ENCR_NONE, DB_INTEG_HMAC_SHA2_256, DB_MODE_TRANSPORT, false,
	    30, 5000 };
	p->protos[1] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_3DES_CBC, DB_INTEG_HMAC_SHA1, DB_MODE_TRANSPORT, false,
	    30, 0 };
	return db_put(txn, &o, false);
}

static int
put_protection(struct db_txn *txn, const char *name, const char *prop1,
    const char *prop2, uint8_t role, uint8_t init_dh, uint8_t resp_dh,
    uint32_t overlap)
{
	struct db_ipsec_protection *p = &o.u.ipsec_prot;

	begin(DB_T_IPSEC_PROTECTION);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->proposals[p->nproposals++], DB_NAME_MAX, "%s", prop1);
	if (prop2 != NULL)
		snprintf(p->proposals[p->nproposals++], DB_NAME_MAX, "%s",
		    prop2);
	p->role = role;
	p->init_dh = init_dh;
	p->resp_dh = resp_dh;
	p->key_overlap = overlap;
	return db_put(txn, &o, false);
}

static int
put_ipsec_tunnel(struct db_txn *txn, const char *name, const char *p1,
    const char *prot, const struct db_p2ident *l, const struct db_p2ident *r,
    bool autostart, bool ondemand)
{
	struct db_ipsec_tunnel *t = &o.u.ipsec_tun;

	begin(DB_T_IPSEC_TUNNEL);
	snprintf(t->name, sizeof(t->name), "%s", name);
	snprintf(t->ike_tunnel, sizeof(t->ike_tunnel), "%s", p1);
	snprintf(t->protection, sizeof(t->protection), "%s", prot);
	t->local = *l;
	t->remote = *r;
	t->autostart = autostart;
	t->ondemand = ondemand;
	return db_put(txn, &o, false);
}

static int
put_ipsec_tunnels(struct db_txn *txn)
{
	struct db_p2ident l, r;
	int rc;

	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	ident(&l.id, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.255.0");
	ident(&r.id, DB_ID_IPV4_SUBNET, "10.2.0.0", "255.255.255.0");
	if ((rc = put_ipsec_tunnel(txn, "hq-lan", "hq", "p2", &l, &r, false,
	    false)))
		return rc;
	ident(&l.id, DB_ID_IPV4_ADDR, "192.0.2.1", "");
	l.protocol = 6;
	l.port = l.endport = 443;
	ident(&r.id, DB_ID_IPV4_RANGE, "10.3.0.10", "10.3.0.20");
	r.protocol = 6;
	r.port = 1000;
	r.endport = 2000;
	if ((rc = put_ipsec_tunnel(txn, "branch-web", "branch", "p2-pfs", &l,
	    &r, true, true)))
		return rc;
	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	ident(&l.id, DB_ID_IPV4_ADDR, "192.0.2.1", "");
	ident(&r.id, DB_ID_GROUP, "offices", "");
	if ((rc = put_ipsec_tunnel(txn, "hq-host", "hq", "p2", &l, &r, false,
	    false)))
		return rc;
	ident(&l.id, DB_ID_IPV6_SUBNET, "2001:db8:1::", "48");
	ident(&r.id, DB_ID_IPV6_ADDR, "2001:db8:2::5", "");
	return put_ipsec_tunnel(txn, "v6-net", "v6", "p2", &l, &r, false,
	    false);
}

static int
fill(struct db_txn *txn, void *arg)
{
	int rc;

	(void)arg;
	if ((rc = put_ike_protections(txn)) != 0 ||
	    (rc = put_ike_tunnels(txn)) != 0 ||
	    (rc = put_psk(txn, DB_ID_IPV4_ADDR, "198.51.100.7",
	    CLIFIX_PSK1)) != 0 ||
	    (rc = put_psk(txn, DB_ID_USER_FQDN, "admin@branch.example.org",
	    CLIFIX_PSK2)) != 0 ||
	    (rc = put_group(txn)) != 0 ||
	    (rc = put_proposals(txn)) != 0 ||
	    (rc = put_protection(txn, "p2", "esp-gcm", "ah-esp",
	    DB_ROLE_BOTH, 0, DB_DH_ANY, 5)) != 0 ||
	    (rc = put_protection(txn, "p2-pfs", "esp-gcm", NULL,
	    DB_ROLE_INITIATOR, 14, DB_DH_NO_PFS, 7)) != 0 ||
	    (rc = put_protection(txn, "_defIPSprot_dhcp", "esp-gcm", NULL,
	    DB_ROLE_RESPONDER, 0, 19, 5)) != 0)
		return rc;
	return put_ipsec_tunnels(txn);
}

static int
fill_dangling(struct db_txn *txn, void *arg)
{
	struct db_ident l, r;
	struct db_p2ident l2, r2;
	int rc;

	(void)arg;
	memset(&l, 0, sizeof(l));
	memset(&r, 0, sizeof(r));
	memset(&l2, 0, sizeof(l2));
	memset(&r2, 0, sizeof(r2));
	ident(&l, DB_ID_IPV4_ADDR, "192.0.2.9", "");
	ident(&r, DB_ID_IPV4_ADDR, "198.51.100.9", "");
	ident(&l2.id, DB_ID_IPV4_ADDR, "10.5.0.1", "");
	ident(&r2.id, DB_ID_IPV4_ADDR, "10.6.0.1", "");
	if ((rc = put_ike_tunnel(txn, "lone", "gone", &l, &r, "", "",
	    false)) != 0 ||
	    (rc = put_protection(txn, "p2x", "nothing", NULL, DB_ROLE_BOTH,
	    0, DB_DH_ANY, 5)) != 0)
		return rc;
	return put_ipsec_tunnel(txn, "orphan", "nowhere", "p2x", &l2, &r2,
	    false, false);
}

/* fill(), then no phase-2 definition autostarts. */
static int
fill_quiet(struct db_txn *txn, void *arg)
{
	int rc;

	if ((rc = fill(txn, arg)) != 0 ||
	    (rc = db_get(txn, DB_T_IPSEC_TUNNEL, "branch-web", &o)) != 0)
		return rc;
	o.u.ipsec_tun.autostart = false;
	return db_put(txn, &o, true);
}

static int
make(const char *dir, int (*fn)(struct db_txn *, void *))
{
	char why[256];
	struct db *db;
	int rc;

	if (db_open(dir, DB_OPEN_CREATE, &db, why, sizeof(why)) != 0) {
		fprintf(stderr, "clifix: %s\n", why);
		return -1;
	}
	rc = fn != NULL ? db_write(db, fn, NULL) : 0;
	db_close(db);
	memset(&o, 0, sizeof(o));
	return rc == 0 ? 0 : -1;
}

int
clifix_make_db(const char *dir)
{
	return make(dir, fill);
}

int
clifix_make_quiet_db(const char *dir)
{
	return make(dir, fill_quiet);
}

int
clifix_make_dangling_db(const char *dir)
{
	return make(dir, fill_dangling);
}

int
clifix_make_empty_db(const char *dir)
{
	return make(dir, NULL);
}
