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

static void
put_ike_prot(struct db *db)
{
	struct db_obj o;

	memset(&o, 0, sizeof(o));
	o.type = DB_T_IKE_PROTECTION;
	strcpy(o.u.ike_prot.name, "P1");
	o.u.ike_prot.version = 2;
	o.u.ike_prot.ntransforms = 1;
	o.u.ike_prot.transforms[0] = (struct db_ike_transform){
	    DB_ENCR_AES_CBC_256, DB_HASH_SHA2_256, DB_PRF_FOLLOW, 14,
	    DB_AUTH_PSK, 480, 0 };
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c), 0);
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c),
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c), 0);
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c), 0);
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c), 0);
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
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c), 0);
	assert_string_equal(t.name, "TR");
	ike_cfg_wipe(&c);

	/* An initiator-only definition never answers. */
	assert_int_equal(db_get(f->txn, DB_T_IKE_TUNNEL, "TI", &o), 0);
	assert_int_equal(tm_load_ike_as(f->txn, &o.u.ike_tun, 500, 'i', &c,
	    err, sizeof(err)), 0);
	ike_cfg_wipe(&c);
	addr(&r, "192.0.2.5");
	assert_int_equal(tm_match_addr(f->txn, &l, &r, 500, &t, &c),
	    IKE_ENOTFOUND);
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
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
