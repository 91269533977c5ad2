/* core/tunnel/tm_match.c: definitions from the database, and the
 * responder's choice among them. */
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
#include "core/tunnel/tm_cfg.h"
#include "core/tunnel/tm_dn.h"
#include "core/tunnel/tm_remid.h"

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

/* The preshared key of identity id into *o (a db_obj: wiped by the
 * caller).  IKE_ENOTFOUND if there is none. */
static int
get_psk(struct db_txn *txn, const struct db_ident *id, struct db_obj *o)
{
	char key[DB_KEY_MAX];
	int rc;

	if ((rc = db_ident_key(id, key, sizeof(key))) != 0)
		return rc;
	return db_get(txn, DB_T_PSK, key, o);
}

/* With signatures the local identity may be None (our certificate's
 * subject DN). */
static int
ids_ok(const struct db_ike_tunnel *tun, uint8_t auth, char *err,
    size_t errlen)
{
	struct ike_id id;
	int rc;

	if ((tun->local.type != DB_ID_NONE || auth == CFG_AUTH_PSK) &&
	    (rc = tm_id_from_ident(&tun->local, &id, err, errlen)) != 0)
		return rc;
	if (tun->remote.type == DB_ID_GROUP)
		return 0;
	return tm_id_from_ident(&tun->remote, &id, err, errlen);
}

/* Whether a protection of role (enum db_role) may act as 'i' or 'r'. */
static bool
role_allows(uint8_t role, char as)
{
	return as == 0 || role == DB_ROLE_BOTH ||
	    (as == 'i' && role == DB_ROLE_INITIATOR) ||
	    (as == 'r' && role == DB_ROLE_RESPONDER);
}

int
tm_load_ike(struct db_txn *txn, const struct db_ike_tunnel *tun,
    uint16_t port, struct ike_cfg *out, char *err, size_t errlen)
{
	return tm_load_ike_as(txn, tun, port, 0, out, err, errlen);
}

int
tm_load_ike_as(struct db_txn *txn, const struct db_ike_tunnel *tun,
    uint16_t port, char as, struct ike_cfg *out, char *err, size_t errlen)
{
	struct db_obj *prot, *psk;
	int rc;

	if ((prot = calloc(2, sizeof(*prot))) == NULL)	/* owned */
		return fail(IKE_ENOMEM, err, errlen, "out of memory");
	psk = &prot[1];
	if ((rc = db_get(txn, DB_T_IKE_PROTECTION, tun->protection,
	    prot)) != 0)
		rc = fail(rc, err, errlen, "IKETunnel %s: IKEProtection %s "
		    "not found", tun->name, tun->protection);
	else if (!role_allows(prot->u.ike_prot.role, as))
		rc = fail(IKE_EINVAL, err, errlen, "IKETunnel %s: "
		    "IKEProtection %s may not %s (IKE_Role)", tun->name,
		    tun->protection, as == 'i' ? "initiate" : "respond");
	else if ((rc = ids_ok(tun, tm_prot_auth(&prot->u.ike_prot), err,
	    errlen)) != 0)
		;	/* an identity this daemon cannot use: say that first */
	else if (tm_prot_auth(&prot->u.ike_prot) != CFG_AUTH_PSK)
		rc = tm_ike_cfg(tun, &prot->u.ike_prot, NULL, port, out, err,
		    errlen);	/* certificates: no key */
	else if (tun->remote.type != DB_ID_GROUP &&
	    get_psk(txn, &tun->remote, psk) != 0)
		rc = fail(IKE_ENOTFOUND, err, errlen, "IKETunnel %s: no "
		    "IKEPresharedKey for its remote identity %s", tun->name,
		    tun->remote.value);
	else
		rc = tm_ike_cfg(tun, &prot->u.ike_prot,
		    tun->remote.type == DB_ID_GROUP ? NULL : &psk->u.psk,
		    port, out, err, errlen);
	secmem_wipe(prot, 2 * sizeof(*prot));
	free(prot);
	return rc;
}

int
tm_load_child_prot(struct db_txn *txn, const char *name,
    struct child_cfg *out, char *err, size_t errlen)
{
	return tm_load_child_prot_as(txn, name, 0, out, err, errlen);
}

int
tm_load_child_prot_as(struct db_txn *txn, const char *name, char as,
    struct child_cfg *out, char *err, size_t errlen)
{
	struct db_obj *o;	/* owned: [0] protection, [1..] proposals */
	struct db_ipsec_proposal *props = NULL;
	size_t i, n;
	int rc;

	if ((o = calloc(1 + DB_MAX_PROPREFS, sizeof(*o))) == NULL)
		return fail(IKE_ENOMEM, err, errlen, "out of memory");
	if ((rc = db_get(txn, DB_T_IPSEC_PROTECTION, name, o)) != 0) {
		rc = fail(rc, err, errlen, "IPSecProtection %s not found",
		    name);
		goto out;
	}
	if (!role_allows(o->u.ipsec_prot.role, as)) {
		rc = fail(IKE_EINVAL, err, errlen, "IPSecProtection %s may "
		    "not %s (IPSec_Role)", name, as == 'i' ? "initiate" :
		    "respond");
		goto out;
	}
	n = o->u.ipsec_prot.nproposals;
	if (n > DB_MAX_PROPREFS)
		n = DB_MAX_PROPREFS;
	if ((props = calloc(n + 1, sizeof(*props))) == NULL) {
		rc = fail(IKE_ENOMEM, err, errlen, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = db_get(txn, DB_T_IPSEC_PROPOSAL,
		    o->u.ipsec_prot.proposals[i], &o[1 + i])) != 0) {
			rc = fail(rc, err, errlen, "IPSecProposal %s not "
			    "found", o->u.ipsec_prot.proposals[i]);
			goto out;
		}
		props[i] = o[1 + i].u.ipsec_prop;
	}
	rc = tm_child_prot(&o->u.ipsec_prot, props, n, out, err, errlen);
out:
	free(props);
	free(o);
	return rc;
}

int
tm_load_child(struct db_txn *txn, const struct db_ipsec_tunnel *pt,
    const struct ike_cfg *ike, struct child_cfg *out, char *err,
    size_t errlen)
{
	return tm_load_child_as(txn, pt, 0, ike, out, err, errlen);
}

int
tm_load_child_as(struct db_txn *txn, const struct db_ipsec_tunnel *pt,
    char as, const struct ike_cfg *ike, struct child_cfg *out, char *err,
    size_t errlen)
{
	struct child_cfg c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = tm_load_child_prot_as(txn, pt->protection, as, &c, err,
	    errlen)) != 0)
		return rc;
	if ((rc = tm_ts_from_ident(&pt->local, &ike->local, &c.local_ts,
	    err, errlen)) != 0 || (rc = tm_ts_from_ident(&pt->remote,
	    &ike->remote, &c.remote_ts, err, errlen)) != 0)
		return rc;
	if (c.local_ts.family != c.remote_ts.family)
		return fail(IKE_EINVAL, err, errlen, "IPSecTunnel %s: local "
		    "and remote identities are of different families",
		    pt->name);
	if (pt->ondemand && pt->num <= TM_TRAP_NUM_MAX) {	/* either role */
		c.reqid = TM_TRAP_REQID(pt->num);
		c.out_held = true;
	}
	*out = c;
	return 0;
}

static bool
addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	size_t n = a->family == AF_INET ? 4 : 16;

	return a->family == b->family && memcmp(a->addr, b->addr, n) == 0;
}

/* Versions 0 and 2 are the same. */
static bool
version_is(const struct ike_cfg *c, uint8_t version)
{
	return (c->version == IKE_VERSION_1) == (version == IKE_VERSION_1);
}

struct match_addr {
	struct db_txn		*txn;
	uint8_t			 version;
	const struct ike_addr	*local, *remote;
	uint16_t		 port;
	struct db_ike_tunnel	*tun;
	struct ike_cfg		*out;
	bool			 found;
};

static int
match_addr_cb(const struct db_obj *o, void *arg)
{
	struct match_addr *m = arg;
	const struct db_ike_tunnel *t = &o->u.ike_tun;
	struct ike_cfg c;

	if (tm_load_ike_as(m->txn, t, m->port, 'r', &c, NULL, 0) != 0)
		return 0;
	if (!version_is(&c, m->version) || !addr_eq(&c.local, m->local) ||
	    !addr_eq(&c.remote, m->remote)) {
		ike_cfg_wipe(&c);
		return 0;
	}
	*m->tun = *t;
	*m->out = c;
	ike_cfg_wipe(&c);
	m->found = true;
	return 1;
}

int
tm_match_addr(struct db_txn *txn, uint8_t version,
    const struct ike_addr *local, const struct ike_addr *remote,
    uint16_t port, struct db_ike_tunnel *tun, struct ike_cfg *out)
{
	struct match_addr m = { txn, version, local, remote, port, tun, out,
	    false };
	int rc;

	rc = db_foreach(txn, DB_T_IKE_TUNNEL, match_addr_cb, &m);
	if (m.found)
		return 0;
	return rc < 0 ? rc : IKE_ENOTFOUND;
}

static bool
id_eq(const struct ike_id *a, const struct ike_id *b)
{
	return a->type == b->type && a->len == b->len &&
	    memcmp(a->data, b->data, a->len) == 0;
}

/* Two DNs by meaning (tm_remid.h), both as tm_dn_from_der() writes
 * them: the definition's text in any accepted spelling, the peer's DER
 * with any string types. */
static bool
dn_is(const struct ike_id *def, const struct ike_id *idi)
{
	char a[TM_DN_TEXT_MAX], b[TM_DN_TEXT_MAX];

	return tm_dn_from_der(def->data, def->len, a, sizeof(a)) == 0 &&
	    tm_dn_from_der(idi->data, idi->len, b, sizeof(b)) == 0 &&
	    tm_dn_equal(a, b);
}

static bool
ident_is(const struct db_ident *d, const struct ike_id *idi)
{
	struct ike_id x;

	if (tm_id_from_ident(d, &x, NULL, 0) != 0)
		return false;
	if (x.type == IKEV2_ID_DER_ASN1_DN && idi->type == x.type)
		return dn_is(&x, idi);
	return id_eq(&x, idi);
}

/* The key for idi under the tunnel's remote identity: the identity's
 * own, or for a Group the member's own, else the group's. */
static int
peer_key(struct db_txn *txn, const struct db_ike_tunnel *t,
    const struct ike_id *idi, struct db_obj *psk)
{
	struct db_obj *g;
	size_t i;
	int rc = IKE_ENOTFOUND;

	if (t->remote.type != DB_ID_GROUP)
		return ident_is(&t->remote, idi) ?
		    get_psk(txn, &t->remote, psk) : IKE_ENOTFOUND;
	if ((g = calloc(1, sizeof(*g))) == NULL)	/* owned */
		return IKE_ENOMEM;
	if (db_get(txn, DB_T_GROUP, t->remote.value, g) == 0)
		for (i = 0; i < g->u.group.nmembers &&
		    i < DB_MAX_MEMBERS; i++) {
			if (!ident_is(&g->u.group.members[i], idi))
				continue;
			rc = get_psk(txn, &g->u.group.members[i], psk);
			if (rc != 0)
				rc = get_psk(txn, &t->remote, psk);
			break;
		}
	free(g);
	return rc;
}

struct match_peer {
	struct db_txn		*txn;
	const struct ike_id	*idi;
	struct ike_cfg		*cfg;
	struct db_ike_tunnel	*tun;
	struct db_obj		*psk;
	bool			 found;
};

/* Whether idi is the tunnel's remote identity or a member of its
 * Group. */
static bool
peer_named(struct db_txn *txn, const struct db_ike_tunnel *t,
    const struct ike_id *idi)
{
	struct db_obj *g;
	size_t i;
	bool found = false;

	if (t->remote.type != DB_ID_GROUP)
		return ident_is(&t->remote, idi);
	if ((g = calloc(1, sizeof(*g))) == NULL)	/* owned */
		return false;
	if (db_get(txn, DB_T_GROUP, t->remote.value, g) == 0)
		for (i = 0; i < g->u.group.nmembers &&
		    i < DB_MAX_MEMBERS && !found; i++)
			found = ident_is(&g->u.group.members[i], idi);
	free(g);
	return found;
}

/* IKEv1 Main Mode: the key was chosen by address before the identity
 * arrived; the identity's definition (same mode) keeps it. */
static bool
match_mm(struct match_peer *m, const struct db_ike_tunnel *t,
    struct ike_cfg *c)
{
	if (c->aggressive || !peer_named(m->txn, t, m->idi))
		return false;
	memcpy(c->psk, m->cfg->psk, m->cfg->psk_len);
	c->psk_len = m->cfg->psk_len;
	return true;
}

/* The definition's key for the identity. */
static bool
match_key(struct match_peer *m, const struct db_ike_tunnel *t,
    struct ike_cfg *c)
{
	if (peer_key(m->txn, t, m->idi, m->psk) != 0 ||
	    m->psk->u.psk.len == 0 || m->psk->u.psk.len > CFG_PSK_MAX)
		return false;
	memcpy(c->psk, m->psk->u.psk.key, m->psk->u.psk.len);
	c->psk_len = m->psk->u.psk.len;
	return true;
}

static int
match_peer_cb(const struct db_obj *o, void *arg)
{
	struct match_peer *m = arg;
	const struct db_ike_tunnel *t = &o->u.ike_tun;
	struct ike_cfg c;

	if (tm_load_ike_as(m->txn, t, m->cfg->local.port, 'r', &c, NULL,
	    0) != 0)
		return 0;
	if (version_is(&c, m->cfg->version) &&
	    addr_eq(&c.local, &m->cfg->local) &&
	    addr_eq(&c.remote, &m->cfg->remote) &&
	    (c.auth != CFG_AUTH_PSK ? c.auth == m->cfg->auth &&
	    peer_named(m->txn, t, m->idi) :
	    m->cfg->version == IKE_VERSION_1 && !m->cfg->aggressive ?
	    match_mm(m, t, &c) : match_key(m, t, &c))) {
		c.remote_id = *m->idi;
		ike_cfg_wipe(m->cfg);
		*m->cfg = c;
		if (m->tun != NULL)
			*m->tun = *t;
		m->found = true;
	}
	ike_cfg_wipe(&c);
	return m->found ? 1 : 0;
}

int
tm_match_peer(struct db_txn *txn, const struct ike_id *idi,
    struct ike_cfg *cfg, struct db_ike_tunnel *tun)
{
	struct match_peer m = { txn, idi, cfg, tun, NULL, false };
	int rc;

	if ((m.psk = calloc(1, sizeof(*m.psk))) == NULL)	/* owned */
		return IKE_ENOMEM;
	rc = db_foreach(txn, DB_T_IKE_TUNNEL, match_peer_cb, &m);
	secmem_wipe(m.psk, sizeof(*m.psk));
	free(m.psk);
	if (m.found)
		return 0;
	return rc < 0 ? rc : IKE_ENOTFOUND;
}

/* The identity of an address, as an IKEPresharedKey names it. */
static int
addr_ident(const struct ike_addr *a, struct db_ident *id)
{
	memset(id, 0, sizeof(*id));
	id->type = a->family == AF_INET ? DB_ID_IPV4_ADDR : DB_ID_IPV6_ADDR;
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    inet_ntop(a->family, a->addr, id->value, sizeof(id->value)) ==
	    NULL)
		return IKE_EINVAL;
	return 0;
}

int
tm_mm_group_psk(struct db_txn *txn, const struct db_ike_tunnel *tun,
    const struct ike_addr *remote, struct ike_cfg *cfg)
{
	struct db_obj *psk;	/* owned */
	struct db_ident a;
	int rc;

	if (tun->remote.type != DB_ID_GROUP)
		return IKE_EINVAL;
	if ((psk = calloc(1, sizeof(*psk))) == NULL)
		return IKE_ENOMEM;
	if ((rc = get_psk(txn, &tun->remote, psk)) != 0 &&
	    (rc = addr_ident(remote, &a)) == 0)
		rc = get_psk(txn, &a, psk);
	if (rc == 0 && (psk->u.psk.len == 0 || psk->u.psk.len > CFG_PSK_MAX))
		rc = IKE_ENOTFOUND;
	if (rc == 0) {
		memcpy(cfg->psk, psk->u.psk.key, psk->u.psk.len);
		cfg->psk_len = psk->u.psk.len;
	}
	secmem_wipe(psk, sizeof(*psk));
	free(psk);
	return rc == IKE_ENOMEM ? rc : rc != 0 ? IKE_ENOTFOUND : 0;
}

bool
tm_ts_within(const struct ike_ts *in, const struct ike_ts *out)
{
	size_t n = in->family == AF_INET ? 4 : 16;

	if (in->family != out->family || (out->proto != 0 &&
	    in->proto != out->proto) || in->sport < out->sport ||
	    in->eport > out->eport)
		return false;
	return memcmp(in->start, out->start, n) >= 0 &&
	    memcmp(in->end, out->end, n) <= 0;
}

enum db_idtype
tm_ts_idtype(const struct ike_ts *ts)
{
	bool v4 = ts->family == AF_INET;
	size_t n = v4 ? 4 : 16, i;
	uint8_t x;
	bool ones = false;

	if (memcmp(ts->start, ts->end, n) == 0)
		return v4 ? DB_ID_IPV4_ADDR : DB_ID_IPV6_ADDR;
	/* A prefix: start ^ end is 0...01...1 and start has no host bits. */
	for (i = 0; i < n; i++) {
		x = ts->start[i] ^ ts->end[i];
		if ((ones && x != 0xff) || (x & (uint8_t)(x + 1)) != 0 ||
		    (ts->start[i] & x) != 0)
			return v4 ? DB_ID_IPV4_RANGE : DB_ID_IPV6_RANGE;
		if (x != 0)
			ones = true;
	}
	return v4 ? DB_ID_IPV4_SUBNET : DB_ID_IPV6_SUBNET;
}

struct match_child {
	struct db_txn		*txn;
	const char		*ike_tunnel;
	const struct ike_cfg	*ike;
	const struct ike_ts	*tsi, *tsr;
	struct child_cfg	*out;
	uint32_t		 num;
	bool			 found;
};

static int
match_child_cb(const struct db_obj *o, void *arg)
{
	struct match_child *m = arg;
	const struct db_ipsec_tunnel *t = &o->u.ipsec_tun;
	struct child_cfg c;

	if (strcmp(t->ike_tunnel, m->ike_tunnel) != 0 ||
	    tm_load_child_as(m->txn, t, 'r', m->ike, &c, NULL, 0) != 0)
		return 0;
	if (!tm_ts_within(m->tsi, &c.remote_ts) ||
	    !tm_ts_within(m->tsr, &c.local_ts))
		return 0;
	c.remote_ts = *m->tsi;
	c.local_ts = *m->tsr;
	*m->out = c;
	m->num = t->num;
	m->found = true;
	return 1;
}

/* The IKEProtection's default protection, if it allows the selectors'
 * identity types. */
static int
match_default(struct match_child *m, const struct db_ike_tunnel *tun)
{
	struct db_obj *o;	/* owned */
	struct db_ike_protection *p;
	int bl, br, rc = IKE_ENOTFOUND;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return IKE_ENOMEM;
	p = &o->u.ike_prot;
	if (db_get(m->txn, DB_T_IKE_PROTECTION, tun->protection, o) != 0 ||
	    p->def_ipsec_prot[0] == '\0')
		goto out;
	bl = db_allow_bit(tm_ts_idtype(m->tsr), false);
	br = db_allow_bit(tm_ts_idtype(m->tsi), true);
	if (bl < 0 || br < 0 || !(p->def_allowed & (1u << bl)) ||
	    !(p->def_allowed & (1u << br)))
		goto out;
	memset(m->out, 0, sizeof(*m->out));
	if ((rc = tm_load_child_prot_as(m->txn, p->def_ipsec_prot, 'r',
	    m->out, NULL, 0)) != 0)
		goto out;
	m->out->local_ts = *m->tsr;
	m->out->remote_ts = *m->tsi;
	m->num = 0;
out:
	free(o);
	return rc;
}

int
tm_match_child(struct db_txn *txn, const char *ike_tunnel,
    const struct ike_cfg *ike, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct child_cfg *out, uint32_t *ptun_num)
{
	struct match_child m = { txn, ike_tunnel, ike, tsi, tsr, out, 0,
	    false };
	struct db_obj *o;	/* owned */
	int rc;

	if ((rc = db_foreach(txn, DB_T_IPSEC_TUNNEL, match_child_cb,
	    &m)) < 0)
		return rc;
	if (!m.found) {
		if ((o = calloc(1, sizeof(*o))) == NULL)
			return IKE_ENOMEM;
		rc = db_get(txn, DB_T_IKE_TUNNEL, ike_tunnel, o);
		if (rc == 0)
			rc = match_default(&m, &o->u.ike_tun);
		free(o);
		if (rc != 0)
			return rc;
	}
	if (ptun_num != NULL)
		*ptun_num = m.num;
	return 0;
}
