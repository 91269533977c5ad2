/* core/tunnel/tm_cfg.c: definitions -> engine records (pure mapping). */
#include "core/tunnel/tm_cfg.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/codec/ikev2.h"
#include "core/err.h"
#include "core/secmem.h"
#include "core/tunnel/tm_dn.h"
#include "db/model_names.h"

static int
fail(int rc, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
fail(int rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int
tm_addr_parse(const char *s, uint16_t port, struct ike_addr *out)
{
	struct ike_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.addr) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.addr) == 1)
		a.family = AF_INET6;
	else
		return IKE_EINVAL;
	a.port = port;
	*out = a;
	return 0;
}

int
tm_addr_from_ident(const struct db_ident *id, uint16_t port,
    struct ike_addr *out)
{
	struct ike_addr a;

	if (id->type != DB_ID_IPV4_ADDR && id->type != DB_ID_IPV6_ADDR)
		return IKE_EINVAL;
	if (tm_addr_parse(id->value, port, &a) != 0 ||
	    (a.family == AF_INET) != (id->type == DB_ID_IPV4_ADDR))
		return IKE_EINVAL;
	*out = a;
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex text (even length, at least one octet) -> octets. */
static int
hex_decode(const char *s, uint8_t *buf, size_t max, size_t *len)
{
	size_t n = strlen(s), i;
	int hi, lo;

	if (n == 0 || n % 2 != 0 || n / 2 > max)
		return IKE_EINVAL;
	for (i = 0; i < n / 2; i++) {
		if ((hi = hexval(s[2 * i])) < 0 ||
		    (lo = hexval(s[2 * i + 1])) < 0)
			return IKE_EINVAL;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

static int
id_text(uint8_t type, const char *s, struct ike_id *out)
{
	size_t n = strlen(s);

	if (n == 0 || n > CFG_ID_MAX)
		return IKE_EINVAL;
	out->type = type;
	out->len = n;
	memcpy(out->data, s, n);
	return 0;
}

int
tm_id_from_ident(const struct db_ident *id, struct ike_id *out,
    char *err, size_t errlen)
{
	struct ike_addr a;
	struct ike_id r;
	const char *tn = db_idtype_name(id->type);
	int rc = 0;

	memset(&r, 0, sizeof(r));
	switch (id->type) {
	case DB_ID_IPV4_ADDR:
	case DB_ID_IPV6_ADDR:
		if ((rc = tm_addr_from_ident(id, 0, &a)) != 0)
			break;
		r.type = a.family == AF_INET ? IKEV2_ID_IPV4_ADDR :
		    IKEV2_ID_IPV6_ADDR;
		r.len = a.family == AF_INET ? 4 : 16;
		memcpy(r.data, a.addr, r.len);
		break;
	case DB_ID_FQDN:
		rc = id_text(IKEV2_ID_FQDN, id->value, &r);
		break;
	case DB_ID_USER_FQDN:
		rc = id_text(IKEV2_ID_RFC822_ADDR, id->value, &r);
		break;
	case DB_ID_KEY_ID:
		r.type = IKEV2_ID_KEY_ID;
		rc = hex_decode(id->value, r.data, sizeof(r.data), &r.len);
		break;
	case DB_ID_X500DN:
		r.type = IKEV2_ID_DER_ASN1_DN;
		rc = tm_dn_to_der(id->value, r.data, sizeof(r.data), &r.len);
		if (rc == IKE_ENOSPC)
			return fail(IKE_EINVAL, err, errlen, "X500DN identity "
			    "\"%s\" is longer than %u octets of DER",
			    id->value, (unsigned)CFG_ID_MAX);
		break;
	default:
		return fail(IKE_EINVAL, err, errlen, "a %s identity cannot "
		    "be a phase-1 identity", tn != NULL ? tn : "missing");
	}
	if (rc != 0)
		return fail(IKE_EINVAL, err, errlen, "bad %s identity \"%s\"",
		    tn, id->value);
	*out = r;
	return 0;
}

/* start = value with the host bits cleared, end = with them set, for a
 * mask of alen octets. */
static void
ts_mask(struct ike_ts *ts, const uint8_t *mask, size_t alen)
{
	size_t i;

	/* The second bound is alen's own (4 or 16); it keeps GCC's -O3
	 * bounds analysis from seeing a write past the arrays. */
	for (i = 0; i < alen && i < sizeof(ts->start); i++) {
		ts->start[i] &= mask[i];
		ts->end[i] = ts->start[i] | (uint8_t)~mask[i];
	}
}

static int
ts_prefix_mask(const char *s, size_t alen, uint8_t *mask)
{
	char *end;
	unsigned long bits;
	size_t i;

	bits = strtoul(s, &end, 10);
	if (*s == '\0' || *end != '\0' || bits > alen * 8)
		return IKE_EINVAL;
	for (i = 0; i < alen; i++, bits = bits > 8 ? bits - 8 : 0)
		mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
	return 0;
}

static int
ts_addrs(const struct db_ident *id, struct ike_ts *ts)
{
	int fam = (id->type == DB_ID_IPV4_ADDR || id->type ==
	    DB_ID_IPV4_SUBNET || id->type == DB_ID_IPV4_RANGE) ? AF_INET :
	    AF_INET6;
	size_t alen = fam == AF_INET ? 4 : 16;
	uint8_t mask[16];

	ts->family = (uint16_t)fam;
	if (inet_pton(fam, id->value, ts->start) != 1)
		return IKE_EINVAL;
	memcpy(ts->end, ts->start, alen);
	switch (id->type) {
	case DB_ID_IPV4_SUBNET:
		if (inet_pton(AF_INET, id->value2, mask) != 1)
			return IKE_EINVAL;
		ts_mask(ts, mask, alen);
		break;
	case DB_ID_IPV6_SUBNET:
		if (ts_prefix_mask(id->value2, alen, mask) != 0)
			return IKE_EINVAL;
		ts_mask(ts, mask, alen);
		break;
	case DB_ID_IPV4_RANGE:
	case DB_ID_IPV6_RANGE:
		if (inet_pton(fam, id->value2, ts->end) != 1 ||
		    memcmp(ts->start, ts->end, alen) > 0)
			return IKE_EINVAL;
		break;
	default:
		break;
	}
	return 0;
}

int
tm_ts_from_ident(const struct db_p2ident *p, const struct ike_addr *host,
    struct ike_ts *out, char *err, size_t errlen)
{
	struct ike_ts ts;
	const char *tn = db_idtype_name(p->id.type);

	memset(&ts, 0, sizeof(ts));
	switch (p->id.type) {
	case DB_ID_NONE:
		if (host == NULL || host->family == 0)
			return fail(IKE_EINVAL, err, errlen, "no phase-2 "
			    "identity and no address to use instead");
		ts.family = host->family;
		memcpy(ts.start, host->addr, 16);
		memcpy(ts.end, host->addr, 16);
		break;
	case DB_ID_IPV4_ADDR: case DB_ID_IPV6_ADDR:
	case DB_ID_IPV4_SUBNET: case DB_ID_IPV6_SUBNET:
	case DB_ID_IPV4_RANGE: case DB_ID_IPV6_RANGE:
		if (ts_addrs(&p->id, &ts) != 0)
			return fail(IKE_EINVAL, err, errlen, "bad %s "
			    "identity \"%s\"", tn, p->id.value);
		break;
	default:
		return fail(IKE_EINVAL, err, errlen, "a %s identity cannot "
		    "be a phase-2 identity", tn != NULL ? tn : "unknown");
	}
	ts.proto = p->protocol;
	ts.sport = p->port;
	ts.eport = p->port == 0 ? 65535 : (p->endport > p->port ?
	    p->endport : p->port);
	*out = ts;
	return 0;
}

/* IKE_Encryption / ESP_Encryption -> transform ID and key length. */
static int
map_encr(uint8_t e, uint16_t *id, uint16_t *bits)
{
	static const struct { uint16_t id, bits; } t[DB_ENCR_COUNT] = {
		[DB_ENCR_3DES_CBC] = { IKEV2_ENCR_3DES, 0 },
		[DB_ENCR_AES_CBC_128] = { IKEV2_ENCR_AES_CBC, 128 },
		[DB_ENCR_AES_CBC_192] = { IKEV2_ENCR_AES_CBC, 192 },
		[DB_ENCR_AES_CBC_256] = { IKEV2_ENCR_AES_CBC, 256 },
		[DB_ENCR_AES_GCM_128] = { IKEV2_ENCR_AES_GCM_16, 128 },
		[DB_ENCR_AES_GCM_256] = { IKEV2_ENCR_AES_GCM_16, 256 },
		[DB_ENCR_CHACHA20_POLY1305] =
		    { IKEV2_ENCR_CHACHA20_POLY1305, 0 },
		[DB_ENCR_NULL] = { IKEV2_ENCR_NULL, 0 },
	};

	if (e >= DB_ENCR_COUNT || t[e].id == 0)
		return IKE_EINVAL;
	*id = t[e].id;
	*bits = t[e].bits;
	return 0;
}

static bool
encr_aead(uint16_t id)
{
	return id == IKEV2_ENCR_AES_GCM_16 ||
	    id == IKEV2_ENCR_CHACHA20_POLY1305;
}

/* IKE_Hash -> integrity and PRF transform IDs. */
static int
map_hash(uint8_t h, uint16_t *integ, uint16_t *prf)
{
	static const uint16_t ti[DB_HASH_COUNT] = {
		IKEV2_INTEG_HMAC_MD5_96, IKEV2_INTEG_HMAC_SHA1_96,
		IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_INTEG_HMAC_SHA2_384_192,
		IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_INTEG_AES_XCBC_96 };
	static const uint16_t tp[DB_HASH_COUNT] = {
		IKEV2_PRF_HMAC_MD5, IKEV2_PRF_HMAC_SHA1,
		IKEV2_PRF_HMAC_SHA2_256, IKEV2_PRF_HMAC_SHA2_384,
		IKEV2_PRF_HMAC_SHA2_512, IKEV2_PRF_AES128_XCBC };

	if (h >= DB_HASH_COUNT)
		return IKE_EINVAL;
	*integ = ti[h];
	*prf = tp[h];
	return 0;
}

static int
map_prf(uint8_t p, uint16_t *prf)
{
	static const uint16_t t[DB_PRF_COUNT] = { 0, IKEV2_PRF_HMAC_SHA1,
		IKEV2_PRF_HMAC_SHA2_256, IKEV2_PRF_HMAC_SHA2_384,
		IKEV2_PRF_HMAC_SHA2_512, IKEV2_PRF_AES128_XCBC };

	if (p >= DB_PRF_COUNT)
		return IKE_EINVAL;
	if (p != DB_PRF_FOLLOW)
		*prf = t[p];
	return 0;
}

/* ESP_Authentication -> integrity transform ID. */
static int
map_integ(uint8_t i, uint16_t *id)
{
	static const uint16_t t[DB_INTEG_COUNT] = { IKEV2_INTEG_NONE,
		IKEV2_INTEG_HMAC_MD5_96, IKEV2_INTEG_HMAC_SHA1_96,
		IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_INTEG_HMAC_SHA2_384_192,
		IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_INTEG_AES_XCBC_96 };

	if (i >= DB_INTEG_COUNT)
		return IKE_EINVAL;
	*id = t[i];
	return 0;
}

static void
add_dh(struct ike_cfg *c, uint16_t g)
{
	size_t i;

	for (i = 0; i < c->ndh; i++)
		if (c->dh[i] == g)
			return;
	if (c->ndh < CFG_MAX_DH)
		c->dh[c->ndh++] = g;
}

static void
add_prop(struct ike_cfg *c, const struct ike_prop_cfg *p)
{
	size_t i;

	for (i = 0; i < c->nprops; i++)
		if (memcmp(&c->props[i], p, sizeof(*p)) == 0)
			return;
	if (c->nprops < CFG_MAX_PROPS)
		c->props[c->nprops++] = *p;
}

static int
ike_transform(const struct db_ike_protection *pr,
    const struct db_ike_transform *t, struct ike_cfg *c, char *err,
    size_t errlen)
{
	struct ike_prop_cfg p;
	const char *an = db_enum_name(DB_E_AUTH, t->auth);
	const char *an0 = db_enum_name(DB_E_AUTH, pr->transforms[0].auth);

	if (t->auth >= DB_AUTH_COUNT)
		return fail(IKE_EINVAL, err, errlen, "IKEProtection %s: "
		    "unknown IKE_AuthenticationMethod %u", pr->name, t->auth);
	if (t->auth != pr->transforms[0].auth)
		return fail(IKE_EUNSUPP, err, errlen, "IKEProtection %s: "
		    "its IKE transforms mix IKE_AuthenticationMethod %s and "
		    "%s (one method per protection)", pr->name,
		    an0 != NULL ? an0 : "?", an != NULL ? an : "?");
	c->auth = tm_prot_auth(pr);
	memset(&p, 0, sizeof(p));
	if (map_encr(t->encr, &p.encr, &p.key_bits) != 0 ||
	    p.encr == IKEV2_ENCR_NULL || map_hash(t->hash, &p.integ,
	    &p.prf) != 0 || map_prf(t->prf, &p.prf) != 0)
		return fail(IKE_EINVAL, err, errlen, "IKEProtection %s: "
		    "an IKE transform has an unknown algorithm", pr->name);
	if (encr_aead(p.encr))
		p.integ = IKEV2_INTEG_NONE;
	add_prop(c, &p);
	add_dh(c, t->dh_group);
	if (c->lifetime_s == 0 && t->life_minutes != 0)
		c->lifetime_s = (uint64_t)t->life_minutes * 60;
	return 0;
}

uint8_t
tm_prot_auth(const struct db_ike_protection *pr)
{
	if (pr->ntransforms == 0)
		return CFG_AUTH_PSK;
	switch (pr->transforms[0].auth) {
	case DB_AUTH_RSA_SIG:	return CFG_AUTH_RSA_SIG;
	case DB_AUTH_ECDSA_SIG:	return CFG_AUTH_ECDSA_SIG;
	}
	return CFG_AUTH_PSK;
}

/* The D-H groups IKEv1 peers agree on (RFC 2409, 3526, 4753, 5114 in
 * its ECP part, and Curve25519 as strongSwan and libreswan number it). */
static bool
v1_group_ok(uint8_t g)
{
	static const uint8_t ok[] = { 2, 5, 14, 15, 16, 19, 20, 21, 31 };
	size_t i;

	for (i = 0; i < sizeof(ok); i++)
		if (ok[i] == g)
			return true;
	return false;
}

/* What IKEv1 phase 1 can do with one transform (RFC 2409 App. A, the
 * Hash Algorithm being the PRF): 3DES or AES-CBC, an HMAC hash, the
 * groups above, a preshared key. */
static int
v1_transform_check(const struct db_ike_protection *pr,
    const struct db_ike_transform *t, char *err, size_t errlen)
{
	const char *en = db_enum_name(DB_E_ENCR, t->encr);
	const char *hn = db_enum_name(DB_E_HASH, t->hash);

	if (t->encr != DB_ENCR_3DES_CBC && t->encr != DB_ENCR_AES_CBC_128 &&
	    t->encr != DB_ENCR_AES_CBC_192 && t->encr != DB_ENCR_AES_CBC_256)
		return fail(IKE_EUNSUPP, err, errlen, "IKEProtection %s: "
		    "IKE_Encryption %s is not available in IKEv1 (3DES-CBC, "
		    "AES-CBC-128, AES-CBC-192, AES-CBC-256)", pr->name,
		    en != NULL ? en : "?");
	if (t->hash > DB_HASH_SHA2_512)
		return fail(IKE_EUNSUPP, err, errlen, "IKEProtection %s: "
		    "IKE_Hash %s is not available in IKEv1 (MD5, SHA, "
		    "SHA2-256, SHA2-384, SHA2-512)", pr->name,
		    hn != NULL ? hn : "?");
	if (t->prf != DB_PRF_FOLLOW)
		return fail(IKE_EINVAL, err, errlen, "IKEProtection %s: "
		    "IKE_PRF is IKEv2 only (IKEv1's PRF is the HMAC of "
		    "IKE_Hash)", pr->name);
	if (!v1_group_ok(t->dh_group))
		return fail(IKE_EUNSUPP, err, errlen, "IKEProtection %s: "
		    "IKE_DHGroup %u is not available in IKEv1 (2, 5, 14, 15, "
		    "16, 19, 20, 21, 31)", pr->name, t->dh_group);
	return 0;
}

/* Version, exchange mode and what IKEv1 cannot do. */
static int
ike_prot_version(const struct db_ike_protection *pr, struct ike_cfg *c,
    char *err, size_t errlen)
{
	size_t i;
	int rc;

	c->version = pr->version;
	c->aggressive = pr->version == IKE_VERSION_1 &&
	    pr->xchg_mode == DB_XCHG_AGGRESSIVE;
	if (pr->version == IKE_VERSION_2)
		return 0;
	for (i = 0; i < pr->ntransforms && i < DB_MAX_TRANSFORMS; i++)
		if ((rc = v1_transform_check(pr, &pr->transforms[i], err,
		    errlen)) != 0)
			return rc;
	return 0;
}

int
tm_ike_prot(const struct db_ike_protection *pr, struct ike_cfg *c,
    char *err, size_t errlen)
{
	size_t i;
	int rc;

	if (pr->version != IKE_VERSION_1 && pr->version != IKE_VERSION_2)
		return fail(IKE_EINVAL, err, errlen, "IKEProtection %s: "
		    "unknown IKE_Version %u", pr->name, pr->version);
	if (pr->ntransforms == 0 || pr->ntransforms > DB_MAX_TRANSFORMS)
		return fail(IKE_EINVAL, err, errlen, "IKEProtection %s has "
		    "no IKE transform", pr->name);
	c->nprops = c->ndh = 0;
	c->lifetime_s = 0;
	for (i = 0; i < pr->ntransforms; i++)
		if ((rc = ike_transform(pr, &pr->transforms[i], c, err,
		    errlen)) != 0)
			return rc;
	if ((rc = ike_prot_version(pr, c, err, errlen)) != 0)
		return rc;
	if (c->version == IKE_VERSION_1)	/* the Hash is the PRF */
		for (i = 0; i < c->nprops; i++)
			c->props[i].integ = 0;
	c->rekey_margin_s = (uint64_t)pr->key_overlap * 60;
	return 0;
}

void
tm_cfg_ports(struct ike_cfg *c, uint16_t v1_port, uint16_t v2_port)
{
	uint16_t p = c->version == IKE_VERSION_1 ? v1_port : v2_port;

	c->local.port = p;
	c->remote.port = p;
}

static int
tun_addr(const char *text, const struct db_ident *id, uint16_t port,
    struct ike_addr *out)
{
	if (text[0] != '\0')
		return tm_addr_parse(text, port, out);
	return tm_addr_from_ident(id, port, out);
}

/* With signatures a definition without a local identity uses the
 * subject DN of our certificate (the engine fills it in). */
static int
ike_cfg_ids(const struct db_ike_tunnel *t, struct ike_cfg *c, char *err,
    size_t errlen)
{
	int rc;

	if (t->local.type == DB_ID_NONE && c->auth != CFG_AUTH_PSK)
		memset(&c->local_id, 0, sizeof(c->local_id));
	else if ((rc = tm_id_from_ident(&t->local, &c->local_id, err,
	    errlen)) != 0)
		return rc;
	if (t->remote.type == DB_ID_GROUP)
		return 0;
	return tm_id_from_ident(&t->remote, &c->remote_id, err, errlen);
}

int
tm_ike_cfg(const struct db_ike_tunnel *t, const struct db_ike_protection *pr,
    const struct db_psk *psk, uint16_t port, struct ike_cfg *out,
    char *err, size_t errlen)
{
	struct ike_cfg c;
	int rc;

	memset(&c, 0, sizeof(c));
	if (tun_addr(t->local_addr, &t->local, port, &c.local) != 0 ||
	    tun_addr(t->remote_addr, &t->remote, port, &c.remote) != 0)
		return fail(IKE_EINVAL, err, errlen, "IKETunnel %s: no "
		    "usable local and remote address (set IKE_LocalAddress "
		    "and IKE_RemoteAddress or use address identities)",
		    t->name);
	if (c.local.family != c.remote.family)
		return fail(IKE_EINVAL, err, errlen, "IKETunnel %s: local "
		    "and remote addresses are of different families",
		    t->name);
	if ((rc = tm_ike_prot(pr, &c, err, errlen)) != 0 ||
	    (rc = ike_cfg_ids(t, &c, err, errlen)) != 0) {
		ike_cfg_wipe(&c);
		return rc;
	}
	if (c.auth != CFG_AUTH_PSK)	/* certificates: no key */
		psk = NULL;
	else if (psk == NULL && t->remote.type != DB_ID_GROUP)
		return fail(IKE_ENOTFOUND, err, errlen, "IKETunnel %s: no "
		    "IKEPresharedKey for its remote identity", t->name);
	if (psk != NULL) {
		if (psk->len == 0 || psk->len > CFG_PSK_MAX)
			return fail(IKE_EINVAL, err, errlen, "IKETunnel %s: "
			    "the preshared key is empty", t->name);
		memcpy(c.psk, psk->key, psk->len);
		c.psk_len = psk->len;
	}
	*out = c;
	secmem_wipe(&c, sizeof(c));
	return 0;
}

/* IPSecAHProtocol -> an AH proposal: integrity only (RFC 7296 s. 3.3),
 * and AH_Authentication has no None. */
static int
ah_transform(const struct db_ipsec_proposal *p,
    const struct db_ipsec_transform *t, struct child_prop_cfg *cp,
    char *err, size_t errlen)
{
	memset(cp, 0, sizeof(*cp));
	cp->proto = IKEV2_PROTO_AH;
	if (map_integ(t->integ, &cp->integ) != 0)
		return fail(IKE_EINVAL, err, errlen, "IPSecProposal %s: an "
		    "AH transform has an unknown algorithm", p->name);
	if (cp->integ == IKEV2_INTEG_NONE)
		return fail(IKE_EINVAL, err, errlen, "IPSecProposal %s: an "
		    "AH transform needs AH_Authentication (None protects "
		    "nothing)", p->name);
	return 0;
}

static int
esp_transform(const struct db_ipsec_proposal *p,
    const struct db_ipsec_transform *t, struct child_prop_cfg *cp,
    char *err, size_t errlen)
{
	memset(cp, 0, sizeof(*cp));
	cp->proto = IKEV2_PROTO_ESP;
	if (map_encr(t->encr, &cp->encr, &cp->key_bits) != 0 ||
	    map_integ(t->integ, &cp->integ) != 0)
		return fail(IKE_EINVAL, err, errlen, "IPSecProposal %s: an "
		    "ESP transform has an unknown algorithm", p->name);
	if (encr_aead(cp->encr))
		cp->integ = IKEV2_INTEG_NONE;
	return 0;
}

/* The first transform (of the first proposal) gives the mode, ESN and
 * lifetimes (ESP_/AH_KeyRefreshMinutes and _KeyRefreshKB). */
static int
child_transform(const struct db_ipsec_proposal *p,
    const struct db_ipsec_transform *t, struct child_cfg *c, char *err,
    size_t errlen)
{
	struct child_prop_cfg cp;
	int rc;

	if (t->proto == DB_PROTO_AH)
		rc = ah_transform(p, t, &cp, err, errlen);
	else if (t->proto == DB_PROTO_ESP)
		rc = esp_transform(p, t, &cp, err, errlen);
	else
		rc = fail(IKE_EINVAL, err, errlen, "IPSecProposal %s: "
		    "unknown IPsec protocol %u", p->name, t->proto);
	if (rc != 0)
		return rc;
	if (c->nprops == 0) {
		c->mode = t->mode == DB_MODE_TRANSPORT ? PLAT_TRANSPORT :
		    PLAT_TUNNEL;
		c->esn = t->esn;
		c->lifetime_s = (uint64_t)t->life_minutes * 60;
		c->lifetime_kb = t->life_kb;
	}
	if (c->nprops >= CFG_MAX_PROPS)
		return 0;
	c->props[c->nprops++] = cp;
	return 0;
}

int
tm_child_prot(const struct db_ipsec_protection *pr,
    const struct db_ipsec_proposal *props, size_t nprops,
    struct child_cfg *out, char *err, size_t errlen)
{
	size_t i, j;
	int rc;

	out->nprops = 0;
	for (i = 0; i < nprops; i++)
		for (j = 0; j < props[i].nprotos && j < DB_MAX_PROTOS; j++)
			if ((rc = child_transform(&props[i],
			    &props[i].protos[j], out, err, errlen)) != 0)
				return rc;
	if (out->nprops == 0)
		return fail(IKE_EINVAL, err, errlen, "IPSecProtection %s has "
		    "no ESP or AH transform", pr->name);
	out->pfs_group = pr->init_dh;
	out->resp_dh = pr->resp_dh == DB_DH_ANY ? CFG_PFS_ANY :
	    pr->resp_dh == DB_DH_NO_PFS ? CFG_PFS_NONE : pr->resp_dh;
	out->rekey_margin_s = (uint64_t)pr->key_overlap * 60;
	return 0;
}
