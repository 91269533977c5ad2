/* tests/tunnel/test_tm_match.c: loading definitions from a real LMDB
 * database and the responder's choice among them: by addresses, by IDi
 * (Group members included) with that identity's key, and phase 2 by
 * traffic selectors with the default-protection fallback. */
#include <arpa/inet.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/codec/ikev2.h"
#include "core/err.h"
#include "core/tunnel/tm_cfg.h"
#include "core/tunnel/tm_dn.h"
#include "tests/db/dbt.h"
#include "tests/lib/testutil.h"

struct fx {
	char		 dir[PATH_MAX];
	struct db	*db;
	struct db_txn	*txn;
	uint32_t	 s1_num;
};

static void
ident(struct db_ident *id, uint8_t type, const char *v, const char *v2)
{
	memset(id, 0, sizeof(*id));
	id->type = type;
	strcpy(id->value, v);
	strcpy(id->value2, v2 != NULL ? v2 : "");
}

static void
put(struct db *db, struct db_obj *o)
{
	assert_int_equal(dbt_put(db, o, false), 0);
}

static void
put_psk(struct db *db, uint8_t type, const char *id, const char *key)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_PSK;
	ident(&o.u.psk.remote, type, id, NULL);
	o.u.psk.len = (uint16_t)strlen(key);
	memcpy(o.u.psk.key, key, strlen(key));
	put(db, &o);
}

/* An IKE protection name of one PSK transform with encr and hash, DH
 * group 14, 480 minutes. */
static void
ike_prot(struct db_obj *o, const char *name, uint8_t version,
    uint8_t encr, uint8_t hash)
{
	memset(o, 0, sizeof(*o));
	o->type = DB_T_IKE_PROTECTION;
	strcpy(o->u.ike_prot.name, name);
	o->u.ike_prot.version = version;
	o->u.ike_prot.ntransforms = 1;
	o->u.ike_prot.transforms[0] = (struct db_ike_transform){
	    encr, hash, DB_PRF_FOLLOW, 14, DB_AUTH_PSK, 480, 0 };
}

static void
put_ike_prot(struct db *db)
{
	struct db_obj o;

	ike_prot(&o, "P1", 2, DB_ENCR_AES_CBC_256, DB_HASH_SHA2_256);
	strcpy(o.u.ike_prot.def_ipsec_prot, "_defIPSprot_D");
	o.u.ike_prot.def_allowed = (uint16_t)(
	    1u << db_allow_bit(DB_ID_IPV4_ADDR, false) |
	    1u << db_allow_bit(DB_ID_IPV4_SUBNET, true));
	put(db, &o);
}

static void
put_ipsec(struct db *db, const char *prot, const char *prop, uint8_t proto)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IPSEC_PROPOSAL;
	strcpy(o.u.ipsec_prop.name, prop);
	o.u.ipsec_prop.nprotos = 1;
	o.u.ipsec_prop.protos[0] = (struct db_ipsec_transform){ proto,
	    proto == DB_PROTO_ESP ? DB_ENCR_AES_GCM_128 : DB_ENCR_NONE,
	    DB_INTEG_HMAC_SHA1, DB_MODE_TUNNEL, false, 60, 0 };
	put(db, &o);
	memset(&o, 0, sizeof(o));
	o.type = DB_T_IPSEC_PROTECTION;
	strcpy(o.u.ipsec_prot.name, prot);
	o.u.ipsec_prot.nproposals = 1;
	strcpy(o.u.ipsec_prot.proposals[0], prop);
	put(db, &o);
}

/* IKEProtection name, a copy of P1 with role; IKETunnel tname on it from
 * 192.0.2.1 to raddr, with a key. */
static void
put_role_tunnel(struct db *db, const char *name, uint8_t role,
    const char *tname, const char *raddr)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_PROTECTION;
	strcpy(o.u.ike_prot.name, name);
	o.u.ike_prot.version = 2;
	o.u.ike_prot.role = role;
	o.u.ike_prot.ntransforms = 1;
	o.u.ike_prot.transforms[0] = (struct db_ike_transform){
	    DB_ENCR_AES_GCM_128, DB_HASH_SHA2_256, DB_PRF_FOLLOW, 19,
	    DB_AUTH_PSK, 60, 0 };
	put(db, &o);
	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_TUNNEL;
	strcpy(o.u.ike_tun.name, tname);
	strcpy(o.u.ike_tun.protection, name);
	ident(&o.u.ike_tun.local, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	ident(&o.u.ike_tun.remote, DB_ID_IPV4_ADDR, raddr, NULL);
	put(db, &o);
	put_psk(db, DB_ID_IPV4_ADDR, raddr, "rolekey");
}

static void
put_tunnels(struct fx *f)
{
	struct db_obj o;
	int i;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_TUNNEL;
	strcpy(o.u.ike_tun.name, "T1");
	strcpy(o.u.ike_tun.protection, "P1");
	ident(&o.u.ike_tun.local, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	ident(&o.u.ike_tun.remote, DB_ID_IPV4_ADDR, "192.0.2.2", NULL);
	put(f->db, &o);
	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_TUNNEL;
	strcpy(o.u.ike_tun.name, "T2");
	strcpy(o.u.ike_tun.protection, "P1");
	strcpy(o.u.ike_tun.local_addr, "192.0.2.1");
	strcpy(o.u.ike_tun.remote_addr, "192.0.2.3");
	ident(&o.u.ike_tun.local, DB_ID_FQDN, "a.example", NULL);
	ident(&o.u.ike_tun.remote, DB_ID_GROUP, "peers", NULL);
	put(f->db, &o);
	memset(&o, 0, sizeof(o));
	o.type = DB_T_GROUP;
	strcpy(o.u.group.name, "peers");
	o.u.group.nmembers = 2;
	ident(&o.u.group.members[0], DB_ID_FQDN, "b.example", NULL);
	ident(&o.u.group.members[1], DB_ID_FQDN, "c.example", NULL);
	put(f->db, &o);
	for (i = 0; i < 2; i++) {
		memset(&o, 0, sizeof(o));
		o.type = DB_T_IPSEC_TUNNEL;
		strcpy(o.u.ipsec_tun.name, i == 0 ? "S1" : "S2");
		strcpy(o.u.ipsec_tun.ike_tunnel, "T1");
		strcpy(o.u.ipsec_tun.protection, i == 0 ? "Q1" : "QAH");
		ident(&o.u.ipsec_tun.local.id, DB_ID_IPV4_SUBNET,
		    i == 0 ? "10.1.0.0" : "10.5.0.0", "255.255.0.0");
		ident(&o.u.ipsec_tun.remote.id, DB_ID_IPV4_SUBNET,
		    "10.2.0.0", "255.255.0.0");
		put(f->db, &o);
		if (i == 0)
			f->s1_num = o.u.ipsec_tun.num;
	}
}

/* IKEv1: protection PV1 (Main Mode); TV1 with T1's addresses; TV1G
 * (192.0.2.6), TV1N (192.0.2.7) and TV1A (192.0.2.8) with the groups
 * v1peers (which has a key of its own) and v1nokey (which has not; but
 * 192.0.2.8 has one). */
static void
put_v1_tunnel(struct db *db, const char *name, const char *raddr,
    uint8_t rtype, const char *rid)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_TUNNEL;
	strcpy(o.u.ike_tun.name, name);
	strcpy(o.u.ike_tun.protection, "PV1");
	strcpy(o.u.ike_tun.local_addr, "192.0.2.1");
	strcpy(o.u.ike_tun.remote_addr, raddr);
	ident(&o.u.ike_tun.local, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	ident(&o.u.ike_tun.remote, rtype, rid, NULL);
	put(db, &o);
}

static void
put_group(struct db *db, const char *name, const char *member)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_GROUP;
	strcpy(o.u.group.name, name);
	o.u.group.nmembers = 1;
	ident(&o.u.group.members[0], DB_ID_FQDN, member, NULL);
	put(db, &o);
}

static void
put_v1(struct db *db)
{
	struct db_obj o;

	ike_prot(&o, "PV1", 1, DB_ENCR_AES_CBC_128, DB_HASH_SHA1);
	put(db, &o);
	put_v1_tunnel(db, "TV1", "192.0.2.2", DB_ID_IPV4_ADDR, "192.0.2.2");
	put_v1_tunnel(db, "TV1G", "192.0.2.6", DB_ID_GROUP, "v1peers");
	put_v1_tunnel(db, "TV1N", "192.0.2.7", DB_ID_GROUP, "v1nokey");
	put_v1_tunnel(db, "TV1A", "192.0.2.8", DB_ID_GROUP, "v1nokey");
	put_psk(db, DB_ID_IPV4_ADDR, "192.0.2.8", "addrkey");
	put_group(db, "v1peers", "d.example");
	put_group(db, "v1nokey", "e.example");
	put_psk(db, DB_ID_GROUP, "v1peers", "groupkey");
	put_psk(db, DB_ID_FQDN, "d.example", "dkey");
}

/* A certificate definition: IKEProtection PS (ECDSA_Signature), IKETunnel
 * TC from 192.0.2.1 (no local identity: our certificate's DN) to
 * 192.0.2.7 named by its DN, and no key anywhere for it. */
static void
put_cert(struct db *db)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_PROTECTION;
	strcpy(o.u.ike_prot.name, "PS");
	o.u.ike_prot.version = 2;
	o.u.ike_prot.ntransforms = 1;
	o.u.ike_prot.transforms[0] = (struct db_ike_transform){
	    DB_ENCR_AES_GCM_128, DB_HASH_SHA2_256, DB_PRF_FOLLOW, 19,
	    DB_AUTH_ECDSA_SIG, 60, 0 };
	put(db, &o);
	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_TUNNEL;
	strcpy(o.u.ike_tun.name, "TC");
	strcpy(o.u.ike_tun.protection, "PS");
	strcpy(o.u.ike_tun.local_addr, "192.0.2.1");
	strcpy(o.u.ike_tun.remote_addr, "192.0.2.7");
	ident(&o.u.ike_tun.remote, DB_ID_X500DN, "C=US, O=Example Corp, "
	    "CN=peer", NULL);
	put(db, &o);
}

static int
setup(void **st)
{
	static struct fx f;

	memset(&f, 0, sizeof(f));
	f.db = dbt_open_new(f.dir);
	assert_non_null(f.db);
	put_ike_prot(f.db);
	put_ipsec(f.db, "Q1", "E1", DB_PROTO_ESP);
	put_ipsec(f.db, "_defIPSprot_D", "E2", DB_PROTO_ESP);
	put_ipsec(f.db, "QAH", "A1", DB_PROTO_AH);
	put_psk(f.db, DB_ID_IPV4_ADDR, "192.0.2.2", "secret");
	put_psk(f.db, DB_ID_FQDN, "b.example", "bkey");
	put_tunnels(&f);
	put_role_tunnel(f.db, "PR", DB_ROLE_RESPONDER, "TR", "192.0.2.4");
	put_role_tunnel(f.db, "PI", DB_ROLE_INITIATOR, "TI", "192.0.2.5");
	put_v1(f.db);
	put_cert(f.db);
	assert_int_equal(db_read_begin(f.db, &f.txn), 0);
	*st = &f;
	return 0;
}

static int
teardown(void **st)
{
	struct fx *f = *st;

	db_abort(f->txn);
	db_close(f->db);
	tu_rmrf(f->dir);
	return 0;
}

static void
addr(struct ike_addr *a, const char *s)
{
	assert_int_equal(tm_addr_parse(s, 500, a), 0);
}

static void
test_load_ike(void **st)
{
	struct fx *f = *st;
	struct db_obj o;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	assert_int_equal(db_get_num(f->txn, 1, 1, &o), 0);
	assert_int_equal(tm_load_ike(f->txn, &o.u.ike_tun, 500, &c, err,
	    sizeof(err)), 0);
	assert_int_equal(c.psk_len, 6);
	assert_memory_equal(c.psk, "secret", 6);
	assert_int_equal(ike_cfg_check(&c), 0);
	ike_cfg_wipe(&c);
	strcpy(o.u.ike_tun.protection, "nosuch");
	assert_int_equal(tm_load_ike(f->txn, &o.u.ike_tun, 500, &c, err,
	    sizeof(err)), IKE_ENOTFOUND);
	assert_non_null(strstr(err, "IKEProtection nosuch not found"));
	strcpy(o.u.ike_tun.protection, "P1");
	ident(&o.u.ike_tun.remote, DB_ID_IPV4_ADDR, "192.0.2.77", NULL);
	assert_int_equal(tm_load_ike(f->txn, &o.u.ike_tun, 500, &c, err,
	    sizeof(err)), IKE_ENOTFOUND);
	assert_non_null(strstr(err, "IKEPresharedKey"));
}

static void
test_match_addr_and_peer(void **st)
{
	struct fx *f = *st;
	struct ike_addr l, r;
	struct db_ike_tunnel t;
	struct ike_cfg c;
	struct ike_id idi;

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.2");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "T1");
	assert_int_equal(c.local.port, 500);
	memset(&idi, 0, sizeof(idi));
	idi.type = IKEV2_ID_IPV4_ADDR;
	idi.len = 4;
	memcpy(idi.data, r.addr, 4);
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "T1");
	assert_int_equal(c.psk_len, 6);
	idi.data[3] = 9;	/* another IDi at the same address */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, NULL),
	    IKE_ENOTFOUND);
	ike_cfg_wipe(&c);
	addr(&r, "192.0.2.9");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c),
	    IKE_ENOTFOUND);
}

static void
fqdn(struct ike_id *id, const char *s)
{
	memset(id, 0, sizeof(*id));
	id->type = IKEV2_ID_FQDN;
	id->len = strlen(s);
	memcpy(id->data, s, id->len);
}

static void
test_match_group(void **st)
{
	struct fx *f = *st;
	struct ike_addr l, r;
	struct db_ike_tunnel t;
	struct ike_cfg c;
	struct ike_id idi;

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.3");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "T2");
	assert_int_equal(c.remote_id.type, 0);
	assert_int_equal(c.psk_len, 0);
	fqdn(&idi, "b.example");
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "T2");
	assert_int_equal(c.remote_id.type, IKEV2_ID_FQDN);
	assert_int_equal(c.remote_id.len, 9);
	assert_int_equal(c.psk_len, 4);
	assert_memory_equal(c.psk, "bkey", 4);
	ike_cfg_wipe(&c);
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	fqdn(&idi, "c.example");	/* a member without a key */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t),
	    IKE_ENOTFOUND);
	fqdn(&idi, "z.example");	/* not a member */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t),
	    IKE_ENOTFOUND);
	assert_int_equal(c.psk_len, 0);	/* unchanged */
	ike_cfg_wipe(&c);
}

static void
ts(struct ike_ts *t, uint8_t type, const char *v, const char *v2)
{
	struct db_p2ident p;

	memset(&p, 0, sizeof(p));
	ident(&p.id, type, v, v2);
	assert_int_equal(tm_ts_from_ident(&p, NULL, t, NULL, 0), 0);
}

static void
test_match_child(void **st)
{
	struct fx *f = *st;
	struct ike_cfg c;
	struct child_cfg cc;
	struct ike_ts tsi, tsr;
	struct db_ike_tunnel t;
	struct ike_addr l, r;
	uint32_t num = 99;

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.2");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	ts(&tsi, DB_ID_IPV4_ADDR, "10.2.7.7", NULL);
	ts(&tsr, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.0.0");
	assert_int_equal(tm_match_child(f->txn, "T1", &c, &tsi, &tsr, &cc,
	    &num), 0);
	assert_int_equal(num, f->s1_num);
	assert_memory_equal(&cc.remote_ts, &tsi, sizeof(tsi));
	assert_memory_equal(&cc.local_ts, &tsr, sizeof(tsr));
	assert_int_equal(cc.props[0].encr, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(child_cfg_check(&cc), 0);

	/* No IPSecTunnel: the default protection, types allowed. */
	ts(&tsi, DB_ID_IPV4_SUBNET, "10.9.0.0", "255.255.255.0");
	ts(&tsr, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	assert_int_equal(tm_match_child(f->txn, "T1", &c, &tsi, &tsr, &cc,
	    &num), 0);
	assert_int_equal(num, 0);
	assert_int_equal(cc.nprops, 1);
	assert_memory_equal(&cc.remote_ts, &tsi, sizeof(tsi));

	/* A remote range is not an allowed type. */
	ts(&tsi, DB_ID_IPV4_RANGE, "10.9.0.1", "10.9.0.3");
	assert_int_equal(tm_match_child(f->txn, "T1", &c, &tsi, &tsr, &cc,
	    &num), IKE_ENOTFOUND);
	/* Local side a subnet: not allowed either. */
	ts(&tsi, DB_ID_IPV4_SUBNET, "10.9.0.0", "255.255.255.0");
	ts(&tsr, DB_ID_IPV4_SUBNET, "10.8.0.0", "255.255.255.0");
	assert_int_equal(tm_match_child(f->txn, "T1", &c, &tsi, &tsr, &cc,
	    &num), IKE_ENOTFOUND);
	/* T2's protection has the default too, but not for these. */
	assert_int_equal(tm_match_child(f->txn, "T2", &c, &tsi, &tsr, &cc,
	    &num), IKE_ENOTFOUND);
	ike_cfg_wipe(&c);
}

static void
test_load_child(void **st)
{
	struct fx *f = *st;
	struct db_obj o, p;
	struct ike_cfg c;
	struct child_cfg cc;
	char err[TM_ERR_MAX];

	assert_int_equal(db_get_num(f->txn, 1, 1, &p), 0);
	assert_int_equal(tm_load_ike(f->txn, &p.u.ike_tun, 500, &c, NULL, 0),
	    0);
	assert_int_equal(db_get_num(f->txn, 2, f->s1_num, &o), 0);
	assert_int_equal(tm_load_child(f->txn, &o.u.ipsec_tun, &c, &cc, err,
	    sizeof(err)), 0);
	assert_int_equal(cc.local_ts.start[1], 1);	/* 10.1.0.0 */
	assert_int_equal(cc.remote_ts.end[2], 255);	/* 10.2.255.255 */
	assert_int_equal(child_cfg_check(&cc), 0);
	/* Without identities: the phase-1 addresses. */
	memset(&o.u.ipsec_tun.local, 0, sizeof(o.u.ipsec_tun.local));
	memset(&o.u.ipsec_tun.remote, 0, sizeof(o.u.ipsec_tun.remote));
	assert_int_equal(tm_load_child(f->txn, &o.u.ipsec_tun, &c, &cc, err,
	    sizeof(err)), 0);
	assert_memory_equal(cc.local_ts.start, c.local.addr, 4);
	assert_memory_equal(cc.remote_ts.end, c.remote.addr, 4);
	/* An AH protection loads as an AH proposal (no cipher). */
	strcpy(o.u.ipsec_tun.protection, "QAH");
	assert_int_equal(tm_load_child(f->txn, &o.u.ipsec_tun, &c, &cc, err,
	    sizeof(err)), 0);
	assert_int_equal(cc.props[0].proto, IKEV2_PROTO_AH);
	assert_int_equal(cc.props[0].encr, 0);
	assert_int_not_equal(cc.props[0].integ, 0);
	assert_int_equal(child_cfg_check(&cc), 0);
	strcpy(o.u.ipsec_tun.protection, "nosuch");
	assert_int_equal(tm_load_child(f->txn, &o.u.ipsec_tun, &c, &cc, err,
	    sizeof(err)), IKE_ENOTFOUND);
	assert_non_null(strstr(err, "IPSecProtection nosuch"));
	ike_cfg_wipe(&c);
}

static void
test_roles(void **st)
{
	struct fx *f = *st;
	struct db_obj o;
	struct db_ike_tunnel t;
	struct ike_cfg c;
	struct ike_addr l, r;
	char err[TM_ERR_MAX];

	assert_int_equal(db_get(f->txn, DB_T_IKE_TUNNEL, "TR", &o), 0);
	assert_int_equal(tm_load_ike_as(f->txn, &o.u.ike_tun, 500, 'i', &c,
	    err, sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "IKETunnel TR: IKEProtection PR may not "
	    "initiate (IKE_Role)");
	assert_int_equal(tm_load_ike_as(f->txn, &o.u.ike_tun, 500, 'r', &c,
	    err, sizeof(err)), 0);
	ike_cfg_wipe(&c);
	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.4");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "TR");
	ike_cfg_wipe(&c);

	/* An initiator-only definition never answers. */
	assert_int_equal(db_get(f->txn, DB_T_IKE_TUNNEL, "TI", &o), 0);
	assert_int_equal(tm_load_ike_as(f->txn, &o.u.ike_tun, 500, 'i', &c,
	    err, sizeof(err)), 0);
	ike_cfg_wipe(&c);
	addr(&r, "192.0.2.5");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c),
	    IKE_ENOTFOUND);
}

/* The responder looks only at definitions of the version the request
 * came in: the same addresses answer IKEv2 with T1, IKEv1 with TV1. */
static void
test_match_version(void **st)
{
	struct fx *f = *st;
	struct ike_addr l, r;
	struct db_ike_tunnel t;
	struct ike_cfg c;
	struct ike_id idi;

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.2");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 4000,
	    &t, &c), 0);
	assert_string_equal(t.name, "TV1");
	assert_int_equal(c.version, IKE_VERSION_1);
	assert_false(c.aggressive);
	assert_int_equal(c.local.port, 4000);
	assert_int_equal(c.props[0].integ, 0);
	assert_int_equal(c.props[0].prf, IKEV2_PRF_HMAC_SHA1);
	memset(&idi, 0, sizeof(idi));
	idi.type = IKEV2_ID_IPV4_ADDR;
	idi.len = 4;
	memcpy(idi.data, r.addr, 4);
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "TV1");	/* not T1 */
	assert_int_equal(c.version, IKE_VERSION_1);
	ike_cfg_wipe(&c);
	assert_int_equal(tm_match_addr(f->txn, 0, &l, &r, 500, &t, &c), 0);
	assert_string_equal(t.name, "T1");	/* 0 counts as 2 */
	assert_int_equal(c.version, IKE_VERSION_2);
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "T1");
	ike_cfg_wipe(&c);
	/* TR is IKEv2 only; TV1G is IKEv1 only. */
	addr(&r, "192.0.2.4");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 500,
	    &t, &c), IKE_ENOTFOUND);
	addr(&r, "192.0.2.6");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), IKE_ENOTFOUND);
}

static void
dn(struct ike_id *id, const char *text)
{
	memset(id, 0, sizeof(*id));
	id->type = IKEV2_ID_DER_ASN1_DN;
	assert_int_equal(tm_dn_to_der(text, id->data, sizeof(id->data),
	    &id->len), 0);
}

/* Signature definitions: loaded without a key and without a local
 * identity; the responder finds them by the peer's DN compared by
 * meaning (string types, letter case, blanks), and only for a request
 * that came in for signatures. */
static void
test_match_cert(void **st)
{
	struct fx *f = *st;
	struct ike_addr l, r;
	struct db_ike_tunnel t;
	struct ike_cfg c, keep;
	struct ike_id idi, want;
	char err[TM_ERR_MAX];

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.7");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_2, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "TC");
	assert_int_equal(c.auth, CFG_AUTH_ECDSA_SIG);
	assert_int_equal(c.psk_len, 0);
	assert_int_equal(c.local_id.type, 0);
	dn(&want, "C=US, O=Example Corp, CN=peer");
	assert_int_equal(c.remote_id.len, want.len);
	assert_memory_equal(c.remote_id.data, want.data, want.len);
	assert_int_equal(tm_load_ike_as(f->txn, &t, 500, 'i', &keep, err,
	    sizeof(err)), 0);
	assert_int_equal(keep.auth, CFG_AUTH_ECDSA_SIG);
	keep = c;
	dn(&idi, "/c=us/o=EXAMPLE   corp/cn=Peer");
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "TC");
	assert_int_equal(c.remote_id.len, idi.len);	/* the peer's own */
	assert_memory_equal(c.remote_id.data, idi.data, idi.len);
	c = keep;
	dn(&idi, "C=US, O=Example Corp, CN=other");
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, NULL),
	    IKE_ENOTFOUND);
	dn(&idi, "CN=peer, O=Example Corp, C=US");	/* order matters */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, NULL),
	    IKE_ENOTFOUND);
	dn(&idi, "C=US, O=Example Corp, CN=peer");
	c.auth = CFG_AUTH_PSK;		/* a preshared-key request */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, NULL),
	    IKE_ENOTFOUND);
	c.auth = CFG_AUTH_RSA_SIG;	/* the other key type */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, NULL),
	    IKE_ENOTFOUND);
	ike_cfg_wipe(&c);
}

/* The key of a Group definition for IKEv1 Main Mode: the group's own,
 * else the peer address's, never a member's. */
static void
test_mm_group_psk(void **st)
{
	struct fx *f = *st;
	struct ike_addr l, r;
	struct db_ike_tunnel t;
	struct ike_cfg c;
	struct db_obj o_tun;
	struct ike_id idi;

	addr(&l, "192.0.2.1");
	addr(&r, "192.0.2.6");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "TV1G");
	assert_int_equal(c.psk_len, 0);
	assert_int_equal(tm_mm_group_psk(f->txn, &t, &r, &c), 0);
	assert_int_equal(c.psk_len, 8);
	assert_memory_equal(c.psk, "groupkey", 8);
	ike_cfg_wipe(&c);
	addr(&r, "192.0.2.8");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "TV1A");
	assert_int_equal(tm_mm_group_psk(f->txn, &t, &r, &c), 0);
	assert_int_equal(c.psk_len, 7);
	assert_memory_equal(c.psk, "addrkey", 7);
	ike_cfg_wipe(&c);
	addr(&r, "192.0.2.7");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 500,
	    &t, &c), 0);
	assert_string_equal(t.name, "TV1N");
	assert_int_equal(tm_mm_group_psk(f->txn, &t, &r, &c), IKE_ENOTFOUND);
	assert_int_equal(c.psk_len, 0);
	ike_cfg_wipe(&c);
	/* Main Mode: the identity, known at message 5, must be a member;
	 * the key chosen at message 1 stays, the member needs none. */
	addr(&r, "192.0.2.8");
	assert_int_equal(tm_match_addr(f->txn, IKE_VERSION_1, &l, &r, 500,
	    &t, &c), 0);
	assert_int_equal(tm_mm_group_psk(f->txn, &t, &r, &c), 0);
	fqdn(&idi, "e.example");
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), 0);
	assert_string_equal(t.name, "TV1A");
	assert_int_equal(c.remote_id.type, IKEV2_ID_FQDN);
	assert_int_equal(c.psk_len, 7);
	assert_memory_equal(c.psk, "addrkey", 7);
	fqdn(&idi, "z.example");	/* no member */
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), IKE_ENOTFOUND);
	/* Aggressive Mode needs the member's own key: e.example has none. */
	fqdn(&idi, "e.example");
	c.aggressive = true;
	assert_int_equal(tm_match_peer(f->txn, &idi, &c, &t), IKE_ENOTFOUND);
	ike_cfg_wipe(&c);
	assert_int_equal(db_get(f->txn, DB_T_IKE_TUNNEL, "TV1", &o_tun), 0);
	assert_int_equal(tm_mm_group_psk(f->txn, &o_tun.u.ike_tun, &r, &c),
	    IKE_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_ike),
		cmocka_unit_test(test_match_addr_and_peer),
		cmocka_unit_test(test_match_group),
		cmocka_unit_test(test_match_child),
		cmocka_unit_test(test_load_child),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_match_version),
		cmocka_unit_test(test_mm_group_psk),
		cmocka_unit_test(test_match_cert),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
