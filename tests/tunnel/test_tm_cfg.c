/* tests/tunnel/test_tm_cfg.c: every mapping from definitions to engine
 * records, and every refusal. */
#include <arpa/inet.h>
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

static void
ident(struct db_ident *id, uint8_t type, const char *v, const char *v2)
{
	memset(id, 0, sizeof(*id));
	id->type = type;
	strcpy(id->value, v);
	strcpy(id->value2, v2 != NULL ? v2 : "");
}

static void
v4(uint8_t *b, const char *s)
{
	assert_int_equal(inet_pton(AF_INET, s, b), 1);
}

static void
test_ids(void **st)
{
	struct db_ident d;
	struct ike_id id;
	char err[TM_ERR_MAX];

	(void)st;
	ident(&d, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(id.len, 4);
	assert_memory_equal(id.data, "\xc0\x00\x02\x01", 4);
	ident(&d, DB_ID_IPV6_ADDR, "2001:db8::1", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_IPV6_ADDR);
	assert_int_equal(id.len, 16);
	assert_int_equal(id.data[0], 0x20);
	assert_int_equal(id.data[15], 1);
	ident(&d, DB_ID_FQDN, "gw.example.com", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_FQDN);
	assert_int_equal(id.len, 14);
	assert_memory_equal(id.data, "gw.example.com", 14);
	ident(&d, DB_ID_USER_FQDN, "a@example.com", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_RFC822_ADDR);
	assert_int_equal(id.len, 13);
	/* An X.500 name: its DER (tests/tunnel/test_tm_dn.c checks the
	 * encoding against BoringSSL's). */
	ident(&d, DB_ID_X500DN, "CN=gw", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_DER_ASN1_DN);
	assert_int_equal(id.len, 15);
	assert_memory_equal(id.data, "\x30\x0d\x31\x0b\x30\x09\x06\x03\x55"
	    "\x04\x03\x0c\x02gw", 15);
	ident(&d, DB_ID_KEY_ID, "0a1BfF", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)), 0);
	assert_int_equal(id.type, IKEV2_ID_KEY_ID);
	assert_int_equal(id.len, 3);
	assert_memory_equal(id.data, "\x0a\x1b\xff", 3);
}

static void
test_id_refusals(void **st)
{
	struct db_ident d;
	struct ike_id id;
	size_t i;
	char err[TM_ERR_MAX];

	(void)st;
	memset(&id, 0x5a, sizeof(id));
	ident(&d, DB_ID_X500DN, "CN=gw,Q=Example", NULL);	/* no type Q */
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "X500DN"));
	assert_int_equal(id.type, 0x5a);	/* untouched on failure */
	for (i = 0; i < 40; i++)	/* 199 characters, 520 octets */
		memcpy(d.value + 5 * i, "CN=a,", 6);
	d.value[199] = '\0';	/* no ',' at the end */
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "longer than 256 octets"));
	assert_int_equal(id.type, 0x5a);
	ident(&d, DB_ID_KEY_ID, "abc", NULL);	/* odd length */
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "KEY_ID"));
	ident(&d, DB_ID_KEY_ID, "zz", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	ident(&d, DB_ID_IPV4_ADDR, "2001:db8::1", NULL);	/* family */
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	ident(&d, DB_ID_IPV4_SUBNET, "10.0.0.0", "255.0.0.0");
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "IPV4_Subnet"));
	ident(&d, DB_ID_GROUP, "peers", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
	ident(&d, DB_ID_FQDN, "", NULL);
	assert_int_equal(tm_id_from_ident(&d, &id, err, sizeof(err)),
	    IKE_EINVAL);
}

static void
p2(struct db_p2ident *p, uint8_t type, const char *v, const char *v2,
    uint8_t proto, uint16_t port, uint16_t endport)
{
	memset(p, 0, sizeof(*p));
	ident(&p->id, type, v, v2);
	p->protocol = proto;
	p->port = port;
	p->endport = endport;
}

static void
test_ts(void **st)
{
	struct db_p2ident p;
	struct ike_ts ts;
	struct ike_addr host;
	uint8_t a[16];
	char err[TM_ERR_MAX];

	(void)st;
	p2(&p, DB_ID_IPV4_ADDR, "10.1.2.3", NULL, 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    0);
	assert_int_equal(ts.family, AF_INET);
	v4(a, "10.1.2.3");
	assert_memory_equal(ts.start, a, 4);
	assert_memory_equal(ts.end, a, 4);
	assert_int_equal(ts.proto, 0);
	assert_int_equal(ts.sport, 0);
	assert_int_equal(ts.eport, 65535);
	assert_int_equal(tm_ts_idtype(&ts), DB_ID_IPV4_ADDR);

	p2(&p, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.0.0", 6, 80, 80);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    0);
	v4(a, "10.1.0.0");
	assert_memory_equal(ts.start, a, 4);
	v4(a, "10.1.255.255");
	assert_memory_equal(ts.end, a, 4);
	assert_int_equal(ts.proto, 6);
	assert_int_equal(ts.sport, 80);
	assert_int_equal(ts.eport, 80);
	assert_int_equal(tm_ts_idtype(&ts), DB_ID_IPV4_SUBNET);

	p2(&p, DB_ID_IPV4_RANGE, "10.0.0.5", "10.0.0.9", 17, 500, 4500);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    0);
	v4(a, "10.0.0.9");
	assert_memory_equal(ts.end, a, 4);
	assert_int_equal(ts.sport, 500);
	assert_int_equal(ts.eport, 4500);
	assert_int_equal(tm_ts_idtype(&ts), DB_ID_IPV4_RANGE);

	p2(&p, DB_ID_IPV6_SUBNET, "2001:db8::", "32", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    0);
	assert_int_equal(ts.family, AF_INET6);
	assert_int_equal(ts.end[3], 0xb8);
	assert_int_equal(ts.end[4], 0xff);
	assert_int_equal(ts.end[15], 0xff);
	assert_int_equal(ts.start[15], 0);
	assert_int_equal(tm_ts_idtype(&ts), DB_ID_IPV6_SUBNET);

	p2(&p, DB_ID_IPV6_RANGE, "2001:db8::1", "2001:db8::2", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    0);
	assert_int_equal(tm_ts_idtype(&ts), DB_ID_IPV6_RANGE);

	/* No identity: the host address. */
	assert_int_equal(tm_addr_parse("192.0.2.1", 500, &host), 0);
	p2(&p, DB_ID_NONE, "", NULL, 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, &host, &ts, err, sizeof(err)),
	    0);
	v4(a, "192.0.2.1");
	assert_memory_equal(ts.start, a, 4);
	assert_memory_equal(ts.end, a, 4);
}

static void
test_ts_refusals(void **st)
{
	struct db_p2ident p;
	struct ike_ts ts;
	char err[TM_ERR_MAX];

	(void)st;
	p2(&p, DB_ID_IPV4_RANGE, "10.0.0.9", "10.0.0.5", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "IPV4_Address_Range"));
	p2(&p, DB_ID_IPV4_SUBNET, "10.0.0.0", "junk", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    IKE_EINVAL);
	p2(&p, DB_ID_IPV6_SUBNET, "2001:db8::", "129", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    IKE_EINVAL);
	p2(&p, DB_ID_FQDN, "a.example", NULL, 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "FQDN"));
	p2(&p, DB_ID_NONE, "", NULL, 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &ts, err, sizeof(err)),
	    IKE_EINVAL);
}

static void
test_ts_within(void **st)
{
	struct db_p2ident p;
	struct ike_ts net, host, other;

	(void)st;
	p2(&p, DB_ID_IPV4_SUBNET, "10.1.0.0", "255.255.0.0", 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &net, NULL, 0), 0);
	p2(&p, DB_ID_IPV4_ADDR, "10.1.4.4", NULL, 6, 22, 22);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &host, NULL, 0), 0);
	p2(&p, DB_ID_IPV4_ADDR, "10.2.4.4", NULL, 0, 0, 0);
	assert_int_equal(tm_ts_from_ident(&p, NULL, &other, NULL, 0), 0);
	assert_true(tm_ts_within(&host, &net));
	assert_true(tm_ts_within(&net, &net));
	assert_false(tm_ts_within(&net, &host));
	assert_false(tm_ts_within(&other, &net));
	net.proto = 17;
	assert_false(tm_ts_within(&host, &net));	/* protocol */
}

/* name for IKE version, three transforms, the first AES-CBC-256
 * SHA2-256 group 14 480 min; the caller sets the two others. */
static void
prot_head(struct db_ike_protection *p, const char *name, uint8_t version)
{
	memset(p, 0, sizeof(*p));
	strcpy(p->name, name);
	p->version = version;
	p->ntransforms = 3;
	p->transforms[0] = (struct db_ike_transform){ DB_ENCR_AES_CBC_256,
	    DB_HASH_SHA2_256, DB_PRF_FOLLOW, 14, DB_AUTH_PSK, 480, 0 };
}

static void
prot(struct db_ike_protection *p)
{
	prot_head(p, "P1", 2);
	p->transforms[1] = (struct db_ike_transform){ DB_ENCR_AES_GCM_128,
	    DB_HASH_SHA1, DB_PRF_SHA2_384, 19, DB_AUTH_PSK, 60, 0 };
	/* the same proposal with another group: one proposal, two groups */
	p->transforms[2] = (struct db_ike_transform){ DB_ENCR_AES_CBC_256,
	    DB_HASH_SHA2_256, DB_PRF_FOLLOW, 31, DB_AUTH_PSK, 480, 0 };
}

static void
test_ike_prot(void **st)
{
	struct db_ike_protection p;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	prot(&p);
	p.key_overlap = 10;
	memset(&c, 0, sizeof(c));
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nprops, 2);
	assert_int_equal(c.props[0].encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(c.props[0].key_bits, 256);
	assert_int_equal(c.props[0].integ, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(c.props[0].prf, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(c.props[1].encr, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(c.props[1].key_bits, 128);
	assert_int_equal(c.props[1].integ, IKEV2_INTEG_NONE);	/* AEAD */
	assert_int_equal(c.props[1].prf, IKEV2_PRF_HMAC_SHA2_384);
	assert_int_equal(c.ndh, 3);
	assert_int_equal(c.dh[0], 14);
	assert_int_equal(c.dh[1], 19);
	assert_int_equal(c.dh[2], 31);
	assert_int_equal(c.lifetime_s, 480 * 60);
	assert_int_equal(c.rekey_margin_s, 600);
}

/* An IKEv1 protection: 3DES / AES-CBC with the hash as PRF (no
 * integrity transform), the exchange mode, the groups. */
static void
prot_v1(struct db_ike_protection *p)
{
	prot_head(p, "V1", 1);
	p->transforms[1] = (struct db_ike_transform){ DB_ENCR_3DES_CBC,
	    DB_HASH_MD5, DB_PRF_FOLLOW, 2, DB_AUTH_PSK, 60, 0 };
	p->transforms[2] = (struct db_ike_transform){ DB_ENCR_AES_CBC_128,
	    DB_HASH_SHA2_512, DB_PRF_FOLLOW, 31, DB_AUTH_PSK, 60, 0 };
}

static void
test_ike_prot_v1(void **st)
{
	struct db_ike_protection p;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	prot_v1(&p);
	p.key_overlap = 5;
	memset(&c, 0, sizeof(c));
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
	assert_int_equal(c.version, IKE_VERSION_1);
	assert_false(c.aggressive);
	assert_int_equal(c.nprops, 3);
	assert_int_equal(c.props[0].encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(c.props[0].key_bits, 256);
	assert_int_equal(c.props[0].integ, 0);
	assert_int_equal(c.props[0].prf, IKEV2_PRF_HMAC_SHA2_256);
	assert_int_equal(c.props[1].encr, IKEV2_ENCR_3DES);
	assert_int_equal(c.props[1].key_bits, 0);
	assert_int_equal(c.props[1].integ, 0);
	assert_int_equal(c.props[1].prf, IKEV2_PRF_HMAC_MD5);
	assert_int_equal(c.props[2].key_bits, 128);
	assert_int_equal(c.props[2].prf, IKEV2_PRF_HMAC_SHA2_512);
	assert_int_equal(c.ndh, 3);
	assert_int_equal(c.dh[0], 14);
	assert_int_equal(c.dh[1], 2);
	assert_int_equal(c.dh[2], 31);
	assert_int_equal(c.lifetime_s, 480 * 60);
	assert_int_equal(c.rekey_margin_s, 300);
	p.xchg_mode = DB_XCHG_AGGRESSIVE;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
	assert_true(c.aggressive);
	/* IKE_XCHGMode means nothing to IKEv2 (ikedb refuses it there). */
	prot(&p);
	p.xchg_mode = DB_XCHG_AGGRESSIVE;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
	assert_int_equal(c.version, IKE_VERSION_2);
	assert_false(c.aggressive);
}

/* What IKEv1 cannot do is refused with the protection and the value. */
static void
test_ike_prot_v1_refusals(void **st)
{
	struct db_ike_protection p;
	struct ike_cfg c;
	char err[TM_ERR_MAX];
	static const uint8_t bad_groups[] = { 1, 17, 18, 24 };
	size_t i;

	(void)st;
	memset(&c, 0, sizeof(c));
	prot_v1(&p);
	p.transforms[1].encr = DB_ENCR_AES_GCM_128;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_string_equal(err, "IKEProtection V1: IKE_Encryption "
	    "AES-GCM-128 is not available in IKEv1 (3DES-CBC, AES-CBC-128, "
	    "AES-CBC-192, AES-CBC-256)");
	prot_v1(&p);
	p.transforms[2].encr = DB_ENCR_CHACHA20_POLY1305;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_non_null(strstr(err, "CHACHA20-POLY1305"));
	prot_v1(&p);
	p.transforms[0].hash = DB_HASH_AES_XCBC;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_string_equal(err, "IKEProtection V1: IKE_Hash AES-XCBC is not "
	    "available in IKEv1 (MD5, SHA, SHA2-256, SHA2-384, SHA2-512)");
	prot_v1(&p);
	p.transforms[0].prf = DB_PRF_SHA2_256;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	assert_non_null(strstr(err, "IKE_PRF is IKEv2 only"));
	for (i = 0; i < sizeof(bad_groups); i++) {
		prot_v1(&p);
		p.transforms[1].dh_group = bad_groups[i];
		assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)),
		    IKE_EUNSUPP);
		assert_non_null(strstr(err, "IKEProtection V1: IKE_DHGroup"));
		assert_non_null(strstr(err, "not available in IKEv1"));
	}
	prot_v1(&p);
	p.transforms[2].auth = DB_AUTH_RSA_SIG;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_non_null(strstr(err, "IKEProtection V1"));
	assert_non_null(strstr(err, "RSA_Signature"));
	/* Every group the issue names is taken. */
	prot_v1(&p);
	p.ntransforms = 1;
	for (i = 0; i < 9; i++) {
		static const uint8_t ok[] = { 2, 5, 14, 15, 16, 19, 20, 21,
		    31 };

		p.transforms[0].dh_group = ok[i];
		assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
		assert_int_equal(c.dh[0], ok[i]);
	}
}

/* IKEv1 addresses carry the v1= port, IKEv2 ones the v2= port. */
static void
test_cfg_ports(void **st)
{
	struct ike_cfg c;

	(void)st;
	memset(&c, 0, sizeof(c));
	c.version = IKE_VERSION_1;
	tm_cfg_ports(&c, 7500, 500);
	assert_int_equal(c.local.port, 7500);
	assert_int_equal(c.remote.port, 7500);
	c.version = IKE_VERSION_2;
	tm_cfg_ports(&c, 7500, 500);
	assert_int_equal(c.local.port, 500);
	assert_int_equal(c.remote.port, 500);
	c.version = 0;
	tm_cfg_ports(&c, 7500, 600);
	assert_int_equal(c.remote.port, 600);
}

/* "Rekey at lifetime minus overlap": the side that set the SA up at the
 * margin, the other at half of it; a margin over four fifths of the
 * lifetime is cut to that; no margin: 90% and 95%. */
static void
test_rekey_time(void **st)
{
	(void)st;
	assert_int_equal(cfg_rekey_ms(3600, 300, true), 3300 * 1000);
	assert_int_equal(cfg_rekey_ms(3600, 300, false), 3450 * 1000);
	assert_int_equal(cfg_rekey_ms(60, 300, true), 12 * 1000);
	assert_int_equal(cfg_rekey_ms(60, 300, false), 36 * 1000);
	assert_int_equal(cfg_rekey_ms(300, 240, true), 60 * 1000);
	assert_int_equal(cfg_rekey_ms(300, 240, false), 180 * 1000);
	assert_int_equal(cfg_rekey_ms(1000, 0, true), 900 * 1000);
	assert_int_equal(cfg_rekey_ms(1000, 0, false), 950 * 1000);
}

static void
test_ike_prot_refusals(void **st)
{
	struct db_ike_protection p;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	memset(&c, 0, sizeof(c));
	prot(&p);
	p.version = 3;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	assert_string_equal(err, "IKEProtection P1: unknown IKE_Version 3");
	prot(&p);
	p.transforms[1].auth = DB_AUTH_RSA_SIG;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_non_null(strstr(err, "RSA_Signature"));
	prot(&p);
	p.transforms[0].encr = DB_ENCR_NULL;	/* ESP only */
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	assert_non_null(strstr(err, "P1"));
	prot(&p);
	p.transforms[0].hash = DB_HASH_COUNT;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	prot(&p);
	p.ntransforms = 0;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	assert_non_null(strstr(err, "no IKE transform"));
}

static void
tunnel(struct db_ike_tunnel *t)
{
	memset(t, 0, sizeof(*t));
	strcpy(t->name, "T1");
	strcpy(t->protection, "P1");
	ident(&t->local, DB_ID_IPV4_ADDR, "192.0.2.1", NULL);
	ident(&t->remote, DB_ID_IPV4_ADDR, "192.0.2.2", NULL);
}

static void
test_ike_cfg(void **st)
{
	struct db_ike_tunnel t;
	struct db_ike_protection p;
	struct db_psk k;
	struct ike_cfg c;
	uint8_t a[4];
	char err[TM_ERR_MAX];

	(void)st;
	tunnel(&t);
	prot(&p);
	memset(&k, 0, sizeof(k));
	k.len = 6;
	memcpy(k.key, "secret", 6);
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 4500, &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.local.family, AF_INET);
	assert_int_equal(c.local.port, 4500);
	assert_int_equal(c.remote.port, 4500);
	v4(a, "192.0.2.1");
	assert_memory_equal(c.local.addr, a, 4);
	v4(a, "192.0.2.2");
	assert_memory_equal(c.remote.addr, a, 4);
	assert_int_equal(c.local_id.type, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(c.remote_id.type, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(c.psk_len, 6);
	assert_memory_equal(c.psk, "secret", 6);
	assert_int_equal(ike_cfg_check(&c), 0);	/* the engine takes it */
	ike_cfg_wipe(&c);

	/* Explicit addresses win over the identities'. */
	ident(&t.local, DB_ID_FQDN, "a.example", NULL);
	ident(&t.remote, DB_ID_KEY_ID, "0102", NULL);
	strcpy(t.local_addr, "198.51.100.1");
	strcpy(t.remote_addr, "198.51.100.2");
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    0);
	v4(a, "198.51.100.2");
	assert_memory_equal(c.remote.addr, a, 4);
	assert_int_equal(c.local_id.type, IKEV2_ID_FQDN);
	assert_int_equal(c.remote_id.type, IKEV2_ID_KEY_ID);
	assert_int_equal(ike_cfg_check(&c), 0);
	ike_cfg_wipe(&c);

	/* A Group remote: no remote identity, no key yet. */
	ident(&t.remote, DB_ID_GROUP, "peers", NULL);
	assert_int_equal(tm_ike_cfg(&t, &p, NULL, 500, &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.remote_id.type, 0);
	assert_int_equal(c.psk_len, 0);
}

static void
test_ike_cfg_refusals(void **st)
{
	struct db_ike_tunnel t;
	struct db_ike_protection p;
	struct db_psk k;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	prot(&p);
	memset(&k, 0, sizeof(k));
	k.len = 1;
	tunnel(&t);
	ident(&t.remote, DB_ID_FQDN, "b.example", NULL);	/* no address */
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "IKE_RemoteAddress"));
	tunnel(&t);
	strcpy(t.remote_addr, "2001:db8::2");
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "families"));
	tunnel(&t);
	assert_int_equal(tm_ike_cfg(&t, &p, NULL, 500, &c, err, sizeof(err)),
	    IKE_ENOTFOUND);
	assert_non_null(strstr(err, "IKEPresharedKey"));
	k.len = 0;
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    IKE_EINVAL);
	k.len = 1;
	ident(&t.local, DB_ID_X500DN, "CN=a, bad", NULL);
	strcpy(t.local_addr, "192.0.2.1");
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "X500DN"));
	/* A preshared key needs a local identity; signatures do not. */
	memset(&t.local, 0, sizeof(t.local));
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    IKE_EINVAL);
}

static void
sig_prot(struct db_ike_protection *p, uint8_t auth)
{
	size_t i;

	prot(p);
	for (i = 0; i < p->ntransforms; i++)
		p->transforms[i].auth = auth;
}

/* IKE_AuthenticationMethod RSA_Signature / ECDSA_Signature: the method
 * in c.auth, no key taken or needed, X500DN identities as DER, and a
 * missing local identity left to the engine (our certificate's DN). */
static void
test_ike_cfg_sig(void **st)
{
	struct db_ike_tunnel t;
	struct db_ike_protection p;
	struct db_psk k;
	struct ike_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	memset(&k, 0, sizeof(k));
	k.len = 3;
	memcpy(k.key, "abc", 3);
	sig_prot(&p, DB_AUTH_RSA_SIG);
	assert_int_equal(tm_prot_auth(&p), CFG_AUTH_RSA_SIG);
	tunnel(&t);
	ident(&t.remote, DB_ID_X500DN, "C=US, O=Example, CN=b", NULL);
	strcpy(t.remote_addr, "192.0.2.2");
	assert_int_equal(tm_ike_cfg(&t, &p, NULL, 500, &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.auth, CFG_AUTH_RSA_SIG);
	assert_int_equal(c.psk_len, 0);
	assert_int_equal(c.remote_id.type, IKEV2_ID_DER_ASN1_DN);
	assert_int_equal(c.local_id.type, IKEV2_ID_IPV4_ADDR);
	assert_int_equal(ike_cfg_check(&c), 0);
	/* A key given anyway is not taken. */
	assert_int_equal(tm_ike_cfg(&t, &p, &k, 500, &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.psk_len, 0);
	sig_prot(&p, DB_AUTH_ECDSA_SIG);
	assert_int_equal(tm_prot_auth(&p), CFG_AUTH_ECDSA_SIG);
	memset(&t.local, 0, sizeof(t.local));		/* None */
	strcpy(t.local_addr, "192.0.2.1");
	assert_int_equal(tm_ike_cfg(&t, &p, NULL, 500, &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.auth, CFG_AUTH_ECDSA_SIG);
	assert_int_equal(c.local_id.type, 0);
	assert_int_equal(ike_cfg_check(&c), 0);
	/* IKEv1 takes both signature methods too. */
	p.version = IKE_VERSION_1;
	p.ntransforms = 1;
	p.transforms[0].prf = DB_PRF_FOLLOW;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), 0);
	assert_int_equal(c.auth, CFG_AUTH_ECDSA_SIG);
	/* One method per protection. */
	sig_prot(&p, DB_AUTH_ECDSA_SIG);
	p.transforms[2].auth = DB_AUTH_RSA_SIG;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EUNSUPP);
	assert_string_equal(err, "IKEProtection P1: its IKE transforms mix "
	    "IKE_AuthenticationMethod ECDSA_Signature and RSA_Signature (one "
	    "method per protection)");
	p.transforms[2].auth = DB_AUTH_COUNT;
	assert_int_equal(tm_ike_prot(&p, &c, err, sizeof(err)), IKE_EINVAL);
	assert_non_null(strstr(err, "unknown IKE_AuthenticationMethod"));
}

/* Selectors child_cfg_check() takes: 10.1.0.0/16 <-> 10.2.0.0/16. */
static void
ts_for_check(struct child_cfg *c)
{
	memset(&c->local_ts, 0, sizeof(c->local_ts));
	memset(&c->remote_ts, 0, sizeof(c->remote_ts));
	c->local_ts.family = c->remote_ts.family = AF_INET;
	c->local_ts.eport = c->remote_ts.eport = 65535;
	v4(c->local_ts.start, "10.1.0.0");
	v4(c->local_ts.end, "10.1.255.255");
	v4(c->remote_ts.start, "10.2.0.0");
	v4(c->remote_ts.end, "10.2.255.255");
}

static void
ipsec(struct db_ipsec_protection *pr, struct db_ipsec_proposal *pp)
{
	memset(pr, 0, sizeof(*pr));
	memset(pp, 0, 2 * sizeof(*pp));
	strcpy(pr->name, "Q1");
	pr->nproposals = 2;
	pr->init_dh = 19;
	strcpy(pp[0].name, "E1");
	pp[0].nprotos = 2;
	pp[0].protos[0] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_AES_GCM_256, DB_INTEG_HMAC_SHA1, DB_MODE_TRANSPORT, true,
	    30, 0 };
	pp[0].protos[1] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_AES_CBC_128, DB_INTEG_HMAC_SHA2_512, DB_MODE_TUNNEL,
	    false, 60, 0 };
	strcpy(pp[1].name, "E2");
	pp[1].nprotos = 1;
	pp[1].protos[0] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_NULL, DB_INTEG_AES_XCBC, DB_MODE_TUNNEL, false, 60, 0 };
}

static void
test_child_prot(void **st)
{
	struct db_ipsec_protection pr;
	struct db_ipsec_proposal pp[2];
	struct child_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	ipsec(&pr, pp);
	pr.key_overlap = 5;
	memset(&c, 0, sizeof(c));
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nprops, 3);
	assert_int_equal(c.props[0].proto, IKEV2_PROTO_ESP);
	assert_int_equal(c.props[0].encr, IKEV2_ENCR_AES_GCM_16);
	assert_int_equal(c.props[0].key_bits, 256);
	assert_int_equal(c.props[0].integ, IKEV2_INTEG_NONE);
	assert_int_equal(c.props[1].encr, IKEV2_ENCR_AES_CBC);
	assert_int_equal(c.props[1].key_bits, 128);
	assert_int_equal(c.props[1].integ, IKEV2_INTEG_HMAC_SHA2_512_256);
	assert_int_equal(c.props[2].encr, IKEV2_ENCR_NULL);
	assert_int_equal(c.props[2].integ, IKEV2_INTEG_AES_XCBC_96);
	assert_int_equal(c.mode, PLAT_TRANSPORT);	/* the first's */
	assert_true(c.esn);
	assert_int_equal(c.lifetime_s, 30 * 60);
	assert_int_equal(c.pfs_group, 19);
	assert_int_equal(c.rekey_margin_s, 300);
}

/* IPSecAHProtocol transforms load as AH proposals (integrity only, no
 * cipher), mixed with ESP in the definitions' order; the first
 * transform's KB lifetime becomes lifetime_kb; the engine takes the
 * result. */
static void
test_child_prot_ah(void **st)
{
	struct db_ipsec_protection pr;
	struct db_ipsec_proposal pp[2];
	struct child_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	ipsec(&pr, pp);
	pp[0].nprotos = 1;
	pp[0].protos[0] = (struct db_ipsec_transform){ DB_PROTO_AH,
	    DB_ENCR_NONE, DB_INTEG_HMAC_SHA2_256, DB_MODE_TRANSPORT, false,
	    45, 2048 };
	pp[1].protos[0].life_kb = 99;	/* not the first: ignored */
	memset(&c, 0, sizeof(c));
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.nprops, 2);
	assert_int_equal(c.props[0].proto, IKEV2_PROTO_AH);
	assert_int_equal(c.props[0].encr, 0);
	assert_int_equal(c.props[0].key_bits, 0);
	assert_int_equal(c.props[0].integ, IKEV2_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(c.props[1].proto, IKEV2_PROTO_ESP);
	assert_int_equal(c.props[1].encr, IKEV2_ENCR_NULL);
	assert_int_equal(c.mode, PLAT_TRANSPORT);
	assert_int_equal(c.lifetime_s, 45 * 60);
	assert_int_equal(c.lifetime_kb, 2048);
	/* AH alone is a configuration the engine accepts */
	c.nprops = 1;
	ts_for_check(&c);
	assert_int_equal(child_cfg_check(&c), 0);
	/* and the ESP-only default keeps a KB lifetime of 0: none */
	ipsec(&pr, pp);
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.lifetime_kb, 0);
	pp[0].protos[0].life_kb = 512;
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.lifetime_kb, 512);
}

static void
test_child_prot_refusals(void **st)
{
	struct db_ipsec_protection pr;
	struct db_ipsec_proposal pp[2];
	struct child_cfg c;
	char err[TM_ERR_MAX];

	(void)st;
	/* AH_Authentication None: AH would protect nothing. */
	ipsec(&pr, pp);
	pp[1].protos[0] = (struct db_ipsec_transform){ DB_PROTO_AH,
	    DB_ENCR_NONE, DB_INTEG_NONE, DB_MODE_TUNNEL, false, 60, 0 };
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "AH"));
	assert_non_null(strstr(err, "E2"));
	/* an AH algorithm out of range, a protocol out of range */
	pp[1].protos[0].integ = DB_INTEG_COUNT;
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "AH transform has an unknown"));
	pp[1].protos[0].integ = DB_INTEG_HMAC_SHA1;
	pp[1].protos[0].proto = DB_PROTO_AH + 1;
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "unknown IPsec protocol"));
	ipsec(&pr, pp);
	pp[0].protos[0].encr = DB_ENCR_COUNT;
	assert_int_equal(tm_child_prot(&pr, pp, 2, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "E1"));
	ipsec(&pr, pp);
	assert_int_equal(tm_child_prot(&pr, pp, 0, &c, err, sizeof(err)),
	    IKE_EINVAL);
	assert_non_null(strstr(err, "Q1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_id_refusals),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_ts_refusals),
		cmocka_unit_test(test_ts_within),
		cmocka_unit_test(test_ike_prot),
		cmocka_unit_test(test_ike_prot_refusals),
		cmocka_unit_test(test_ike_prot_v1),
		cmocka_unit_test(test_ike_prot_v1_refusals),
		cmocka_unit_test(test_cfg_ports),
		cmocka_unit_test(test_rekey_time),
		cmocka_unit_test(test_ike_cfg),
		cmocka_unit_test(test_ike_cfg_refusals),
		cmocka_unit_test(test_ike_cfg_sig),
		cmocka_unit_test(test_child_prot),
		cmocka_unit_test(test_child_prot_ah),
		cmocka_unit_test(test_child_prot_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
