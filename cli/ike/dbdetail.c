#include "dbdetail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secmem.h"
#include "db/model_names.h"
#include "idfmt.h"

#define NOT_IN_DB	"(not in the database)"

int
dbdetail_init(struct dbdetail *d, struct listfmt *lf, struct db_txn *txn)
{
	if ((d->obj = calloc(1, sizeof(*d->obj))) == NULL)
		return IKE_ENOMEM;
	d->lf = lf;
	d->txn = txn;
	return 0;
}

void
dbdetail_free(struct dbdetail *d)
{
	if (d->obj != NULL) {
		secmem_wipe(d->obj, sizeof(*d->obj));
		free(d->obj);
	}
	d->obj = NULL;
}

/* The canonical spelling of an enumerated value; "unknown (N)" if it
 * has none.  Returns buf. */
static const char *
ename(enum db_enum_kind k, unsigned v, char *buf, size_t n)
{
	const char *s = db_enum_name(k, v);

	if (s != NULL)
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "unknown (%u)", v);
	return buf;
}

static void
kv_enum(struct dbdetail *d, const char *label, enum db_enum_kind k,
    unsigned v)
{
	char b[64];

	listfmt_kv(d->lf, label, ename(k, v, b, sizeof(b)));
}

static void
kv_yesno(struct dbdetail *d, const char *label, bool v)
{
	listfmt_kv(d->lf, label, v ? "Yes" : "No");
}

static void
kv_life(struct dbdetail *d, const char *prefix, uint32_t minutes,
    uint32_t kb)
{
	char label[96];

	snprintf(label, sizeof(label), "%sKey Lifetime", prefix);
	listfmt_kvf(d->lf, label, "%lu minutes", (unsigned long)minutes);
	snprintf(label, sizeof(label), "%sKey Lifesize", prefix);
	if (kb == 0)
		listfmt_kv(d->lf, label, "none");
	else
		listfmt_kvf(d->lf, label, "%lu KB", (unsigned long)kb);
}

/* ------------------------------------------------------- identities */

/* Each member of group `name`, as "<IdType> <value>". */
static int
group_members(struct dbdetail *d, const char *side, const char *name)
{
	char label[64], v[IDFMT_MAX];
	const struct db_group *g = &d->obj->u.group;
	unsigned i;
	int rc;

	snprintf(label, sizeof(label), "%s Group Member", side);
	if ((rc = db_get(d->txn, DB_T_GROUP, name, d->obj)) != 0) {
		if (rc == IKE_ENOTFOUND)
			listfmt_kv(d->lf, label, NOT_IN_DB);
		return rc == IKE_ENOTFOUND ? 0 : rc;
	}
	for (i = 0; i < g->nmembers && i < DB_MAX_MEMBERS; i++) {
		idfmt_value(&g->members[i], v, sizeof(v));
		listfmt_kvf(d->lf, label, "%s %s",
		    db_idtype_name(g->members[i].type), v);
	}
	return 0;
}

/* "<side> Id Type" and, when it says more than the Id line,
 * "<side> Id Value"; a group's members. */
static int
ident(struct dbdetail *d, const char *side, const struct db_ident *id,
    bool with_value)
{
	char label[64], v[IDFMT_MAX];

	snprintf(label, sizeof(label), "%s Id Type", side);
	listfmt_kv(d->lf, label, db_idtype_name(id->type));
	if (with_value) {
		snprintf(label, sizeof(label), "%s Id Value", side);
		idfmt_value(id, v, sizeof(v));
		listfmt_kv(d->lf, label, v);
	}
	if (id->type == DB_ID_GROUP)
		return group_members(d, side, id->value);
	return 0;
}

static int
p2ident(struct dbdetail *d, const char *side, const struct db_p2ident *p)
{
	char label[64], v[32];
	int rc;

	if ((rc = ident(d, side, &p->id, true)) != 0)
		return rc;
	snprintf(label, sizeof(label), "%s Protocol", side);
	idfmt_proto(p->protocol, v, sizeof(v));
	listfmt_kv(d->lf, label, v);
	snprintf(label, sizeof(label), "%s Port", side);
	idfmt_ports(p->port, p->endport, v, sizeof(v));
	listfmt_kv(d->lf, label, v);
	return 0;
}

/* ---------------------------------------------------------- phase 1 */

static void
ike_transform(struct dbdetail *d, unsigned i, uint8_t version,
    const struct db_ike_transform *t)
{
	char p[32], label[96];

	snprintf(p, sizeof(p), "Transform %u ", i);
#define L(s)	(snprintf(label, sizeof(label), "%s%s", p, s), label)
	kv_enum(d, L("Encryption"), DB_E_ENCR, t->encr);
	kv_enum(d, L("Hash"), DB_E_HASH, t->hash);
	if (version == 2 && t->prf == DB_PRF_FOLLOW)
		listfmt_kv(d->lf, L("PRF"), "follows the hash");
	else if (version == 2)
		kv_enum(d, L("PRF"), DB_E_PRF, t->prf);
	listfmt_kvf(d->lf, L("DH Group"), "%u", t->dh_group);
	kv_enum(d, L("Authentication"), DB_E_AUTH, t->auth);
#undef L
	kv_life(d, p, t->life_minutes, t->life_kb);
}

/* "Local_IPV4_Address Remote_IPV4_Subnet ...", as ikedb writes it. */
static void
allowed_types(struct dbdetail *d, uint16_t bits)
{
	char b[512];

	if (db_allowed_format(bits, b, sizeof(b)) != 0 || b[0] == '\0')
		listfmt_kv(d->lf, "Default Allowed Types", "none");
	else
		listfmt_kv(d->lf, "Default Allowed Types", b);
}

static int
ike_protection(struct dbdetail *d, const char *name)
{
	struct db_ike_protection p;
	unsigned i;
	int rc;

	if ((rc = db_get(d->txn, DB_T_IKE_PROTECTION, name, d->obj)) != 0) {
		if (rc == IKE_ENOTFOUND)
			listfmt_kvf(d->lf, "Protection", "%s " NOT_IN_DB, name);
		return rc == IKE_ENOTFOUND ? 0 : rc;
	}
	p = d->obj->u.ike_prot;
	listfmt_kv(d->lf, "Protection", p.name);
	listfmt_kvf(d->lf, "IKE Version", "%u", p.version);
	kv_enum(d, "Protection Role", DB_E_ROLE, p.role);
	if (p.version != 2)
		kv_enum(d, "Exchange Mode", DB_E_XCHG, p.xchg_mode);
	listfmt_kvf(d->lf, "Key Overlap", "%lu minutes",
	    (unsigned long)p.key_overlap);
	listfmt_kv(d->lf, "Default Phase 2 Protection",
	    p.def_ipsec_prot[0] != '\0' ? p.def_ipsec_prot : "none");
	allowed_types(d, p.def_allowed);
	listfmt_kvf(d->lf, "Transforms", "%u", p.ntransforms);
	for (i = 0; i < p.ntransforms && i < DB_MAX_TRANSFORMS; i++)
		ike_transform(d, i + 1, p.version, &p.transforms[i]);
	return 0;
}

/* Whether a key exists for the remote identity; the key itself is
 * wiped from the scratch record at once. */
static int
psk_state(struct dbdetail *d, const struct db_ident *remote)
{
	char key[DB_KEY_MAX];
	int rc;

	if (remote->type == DB_ID_GROUP ||
	    db_ident_key(remote, key, sizeof(key)) != 0)
		return 0;
	rc = db_get(d->txn, DB_T_PSK, key, d->obj);
	secmem_wipe(d->obj, sizeof(*d->obj));
	if (rc != 0 && rc != IKE_ENOTFOUND)
		return rc;
	listfmt_kv(d->lf, "Preshared Key", rc == 0 ?
	    "configured (not shown)" : "none");
	return 0;
}

int
dbdetail_p1(struct dbdetail *d, const struct db_ike_tunnel *t)
{
	int rc;

	listfmt_kv(d->lf, "Name", t->name);
	if ((rc = ident(d, "Local", &t->local, false)) != 0 ||
	    (rc = ident(d, "Remote", &t->remote, false)) != 0)
		return rc;
	listfmt_kv(d->lf, "Local Address", t->local_addr[0] != '\0' ?
	    t->local_addr : "from the identity");
	listfmt_kv(d->lf, "Remote Address", t->remote_addr[0] != '\0' ?
	    t->remote_addr : "from the identity");
	kv_yesno(d, "Autostart", t->autostart);
	if ((rc = psk_state(d, &t->remote)) != 0)
		return rc;
	return ike_protection(d, t->protection);
}

/* ---------------------------------------------------------- phase 2 */

static void
ipsec_transform(struct dbdetail *d, const char *p,
    const struct db_ipsec_transform *t)
{
	char label[128];

#define L(s)	(snprintf(label, sizeof(label), "%s%s", p, s), label)
	kv_enum(d, L("Protocol"), DB_E_IPSEC_PROTO, t->proto);
	if (t->proto == DB_PROTO_ESP)
		kv_enum(d, L("Encryption"), DB_E_ENCR, t->encr);
	kv_enum(d, L("Authentication"), DB_E_INTEG, t->integ);
	kv_enum(d, L("Mode"), DB_E_MODE, t->mode);
	if (t->proto == DB_PROTO_ESP)
		kv_yesno(d, L("Extended Sequence Numbers"), t->esn);
#undef L
	kv_life(d, p, t->life_minutes, t->life_kb);
}

static int
ipsec_proposal(struct dbdetail *d, unsigned n, const char *name)
{
	const struct db_ipsec_proposal *p = &d->obj->u.ipsec_prop;
	char label[32], prefix[64];
	unsigned i;
	int rc;

	snprintf(label, sizeof(label), "Proposal %u", n);
	if ((rc = db_get(d->txn, DB_T_IPSEC_PROPOSAL, name, d->obj)) != 0) {
		if (rc == IKE_ENOTFOUND)
			listfmt_kvf(d->lf, label, "%s " NOT_IN_DB, name);
		return rc == IKE_ENOTFOUND ? 0 : rc;
	}
	listfmt_kv(d->lf, label, p->name);
	for (i = 0; i < p->nprotos && i < DB_MAX_PROTOS; i++) {
		snprintf(prefix, sizeof(prefix), "Proposal %u Transform %u ",
		    n, i + 1);
		ipsec_transform(d, prefix, &p->protos[i]);
	}
	return 0;
}

static void
pfs_groups(struct dbdetail *d, const struct db_ipsec_protection *p)
{
	if (p->init_dh == 0)
		listfmt_kv(d->lf, "Initiator DH Group", "0 (no PFS)");
	else
		listfmt_kvf(d->lf, "Initiator DH Group", "%u", p->init_dh);
	if (p->resp_dh == DB_DH_NO_PFS)
		listfmt_kv(d->lf, "Responder DH Group", "NO_PFS");
	else if (p->resp_dh == DB_DH_ANY)
		listfmt_kv(d->lf, "Responder DH Group", "ANY");
	else
		listfmt_kvf(d->lf, "Responder DH Group", "%u", p->resp_dh);
}

static int
ipsec_protection(struct dbdetail *d, const char *name)
{
	struct db_ipsec_protection p;
	unsigned i;
	int rc;

	if ((rc = db_get(d->txn, DB_T_IPSEC_PROTECTION, name, d->obj)) != 0) {
		if (rc == IKE_ENOTFOUND)
			listfmt_kvf(d->lf, "Protection", "%s " NOT_IN_DB, name);
		return rc == IKE_ENOTFOUND ? 0 : rc;
	}
	p = d->obj->u.ipsec_prot;
	listfmt_kv(d->lf, "Protection", p.name);
	kv_enum(d, "Protection Role", DB_E_ROLE, p.role);
	pfs_groups(d, &p);
	listfmt_kvf(d->lf, "Key Overlap", "%lu minutes",
	    (unsigned long)p.key_overlap);
	listfmt_kvf(d->lf, "Proposals", "%u", p.nproposals);
	for (i = 0; i < p.nproposals && i < DB_MAX_PROPREFS; i++)
		if ((rc = ipsec_proposal(d, i + 1, p.proposals[i])) != 0)
			return rc;
	return 0;
}

static int
parent(struct dbdetail *d, const char *name)
{
	int rc = db_get(d->txn, DB_T_IKE_TUNNEL, name, d->obj);

	if (rc == 0)
		listfmt_kvf(d->lf, "Phase 1 Tunnel", "%s (Tun Id %lu)", name,
		    (unsigned long)d->obj->u.ike_tun.num);
	else if (rc == IKE_ENOTFOUND)
		listfmt_kvf(d->lf, "Phase 1 Tunnel", "%s " NOT_IN_DB, name);
	return rc == IKE_ENOTFOUND ? 0 : rc;
}

int
dbdetail_p2(struct dbdetail *d, const struct db_ipsec_tunnel *t)
{
	int rc;

	listfmt_kv(d->lf, "Name", t->name);
	if ((rc = parent(d, t->ike_tunnel)) != 0 ||
	    (rc = p2ident(d, "Local", &t->local)) != 0 ||
	    (rc = p2ident(d, "Remote", &t->remote)) != 0)
		return rc;
	kv_yesno(d, "Autostart", t->autostart);
	kv_yesno(d, "On Demand", t->ondemand);
	return ipsec_protection(d, t->protection);
}
