/* core/exchange/child.c: the first Child SA, negotiated inside IKE_AUTH
 * (RFC 7296 s. 1.3, 2.9, 2.17, 3.3, 3.13): ESP or AH proposals carrying
 * our inbound SPI for their protocol (one reserved per protocol when
 * they mix: the answer picks one, the other is released), traffic
 * selectors narrowed by the responder to its configuration
 * (TS_UNACCEPTABLE when nothing is left), transport mode on request
 * (USE_TRANSPORT_MODE), ESN as a transform, and
 *   KEYMAT = prf+(SK_d, Ni | Nr)
 * cut into the initiator-to-responder keys, then the responder-to-
 * initiator ones (s. 2.17): encryption then integrity for ESP, the
 * integrity key alone for AH (no ENCR transform, RFC 4302).  Both
 * directions and the policies go to the kernel through plat_*, with the
 * time and byte limits of the configuration.  The IKE SA stays up when
 * the Child SA fails. */
#include "core/exchange/exchange.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/kdf.h"
#include "core/err.h"
#include "core/log.h"

#define REPLAY_WINDOW	32

/* ------------------------------------------------- traffic selectors */

static size_t
alen(uint16_t family)
{
	return family == AF_INET ? 4 : 16;
}

static void
ts_to_wire(const struct ike_ts *ts, struct ike_tsel *out)
{
	memset(out, 0, sizeof(*out));
	out->type = ts->family == AF_INET ? IKEV2_TS_IPV4_ADDR_RANGE :
	    IKEV2_TS_IPV6_ADDR_RANGE;
	out->proto = ts->proto;
	out->sport = ts->sport;
	out->eport = ts->eport;
	memcpy(out->start, ts->start, alen(ts->family));
	memcpy(out->end, ts->end, alen(ts->family));
}

static int
ts_from_wire(const struct ike_tsel *t, struct ike_ts *out)
{
	memset(out, 0, sizeof(*out));
	if (t->type == IKEV2_TS_IPV4_ADDR_RANGE)
		out->family = AF_INET;
	else if (t->type == IKEV2_TS_IPV6_ADDR_RANGE)
		out->family = AF_INET6;
	else
		return IKE_EUNSUPP;
	out->proto = t->proto;
	out->sport = t->sport;
	out->eport = t->eport;
	memcpy(out->start, t->start, alen(out->family));
	memcpy(out->end, t->end, alen(out->family));
	return 0;
}

/* a narrowed to b; false when nothing is left. */
static bool
ts_narrow(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	size_t n = alen(a->family);

	if (a->family != b->family ||
	    (a->proto != 0 && b->proto != 0 && a->proto != b->proto))
		return false;
	*out = *a;
	out->proto = a->proto ? a->proto : b->proto;
	out->sport = a->sport > b->sport ? a->sport : b->sport;
	out->eport = a->eport < b->eport ? a->eport : b->eport;
	if (memcmp(b->start, a->start, n) > 0)
		memcpy(out->start, b->start, n);
	if (memcmp(b->end, a->end, n) < 0)
		memcpy(out->end, b->end, n);
	return out->sport <= out->eport &&
	    memcmp(out->start, out->end, n) <= 0;
}

static bool
ts_within(const struct ike_ts *a, const struct ike_ts *b)
{
	struct ike_ts n;

	return ts_narrow(a, b, &n) && memcmp(&n, a, sizeof(n)) == 0;
}

/* The first selector of the payload that narrows to conf. */
static bool
ts_pick(const struct ike_msg *m, uint8_t type, const struct ike_ts *conf,
    struct ike_ts *out)
{
	const struct ike_pl *pl = ike_msg_find(m, type, NULL);
	struct ike_ts t;
	size_t i;

	for (i = pl->u.ts.ts0; i < (size_t)pl->u.ts.ts0 + pl->u.ts.nts; i++)
		if (ts_from_wire(&m->ts[i], &t) == 0 &&
		    ts_narrow(&t, conf, out))
			return true;
	return false;
}

/* A kernel policy has one IP protocol for both selectors: "any" on one
 * side narrows to the other's. */
static bool
same_proto(struct ike_ts *a, struct ike_ts *b)
{
	if (a->proto == 0)
		a->proto = b->proto;
	if (b->proto == 0)
		b->proto = a->proto;
	return a->proto == b->proto;
}

static int
add_ts(struct ike_msg *m, uint8_t type, const struct ike_ts *ts)
{
	struct ike_tsel t;
	struct ike_pl *pl;
	int rc;

	ts_to_wire(ts, &t);
	if ((rc = ike_msg_add(m, type, true, &pl)) != 0)
		return rc;
	return ike_msg_add_ts(m, pl, &t);
}

/* --------------------------------------------------------- proposals */

/* dh: the D-H group the proposal must carry (0: none, or NONE),
 * DH_SOME for any group we implement, or DH_IGNORE inside IKE_AUTH where
 * D-H transforms mean nothing (s. 1.2). */
#define DH_IGNORE	CHILD_DH_IGNORE
#define DH_SOME		(-2)

/* The first D-H transform of p with a group we implement, 0 if none. */
static uint16_t
some_dh(const struct ike_msg *m, const struct ike_prop *p)
{
	size_t i;

	for (i = p->xf0; i < (size_t)p->xf0 + p->nxf && i < m->nxf; i++)
		if (m->xf[i].type == IKEV2_XF_DH && m->xf[i].id != 0 &&
		    dh_supported(m->xf[i].id))
			return m->xf[i].id;
	return 0;
}

static bool
dh_match(const struct ike_msg *m, const struct ike_prop *p, int dh)
{
	if (dh == DH_IGNORE)
		return true;
	if (dh == DH_SOME)
		return some_dh(m, p) != 0;
	if (dh == 0)
		return !xchg_prop_has_type(m, p, IKEV2_XF_DH) ||
		    xchg_prop_has(m, p, IKEV2_XF_DH, 0, 0);
	return xchg_prop_has(m, p, IKEV2_XF_DH, (uint16_t)dh, 0);
}

/* ESP carries our cipher; AH no ENCR transform at all (s. 3.3). */
static bool
encr_match(const struct ike_msg *m, const struct ike_prop *p,
    const struct child_prop_cfg *c)
{
	if (c->proto == IKEV2_PROTO_AH)
		return !xchg_prop_has_type(m, p, IKEV2_XF_ENCR);
	return xchg_prop_has(m, p, IKEV2_XF_ENCR, c->encr, c->key_bits);
}

static bool
prop_match(const struct ike_msg *m, const struct ike_prop *p,
    const struct child_prop_cfg *c, bool esn, int dh)
{
	bool integ_ok = c->integ != 0 ?
	    xchg_prop_has(m, p, IKEV2_XF_INTEG, c->integ, 0) :
	    (!xchg_prop_has_type(m, p, IKEV2_XF_INTEG) ||
	    xchg_prop_has(m, p, IKEV2_XF_INTEG, 0, 0));

	return p->proto == c->proto && p->spi_size == IKEV2_SPI_SIZE_CHILD &&
	    p->spi >= 256 && encr_match(m, p, c) && integ_ok &&
	    xchg_prop_has(m, p, IKEV2_XF_ESN, esn ? IKEV2_ESN_YES :
	    IKEV2_ESN_NO, 0) && dh_match(m, p, dh);
}

/* Our proposals (ESP or AH) in our order against the peer's; NULL when
 * none fits. */
static const struct ike_prop *
prop_choose(const struct ike_msg *m, const struct child_cfg *cc, int dh,
    size_t *which)
{
	const struct ike_pl *sa = ike_msg_find(m, IKEV2_PL_SA, NULL);
	size_t i, j;

	for (i = 0; sa != NULL && i < cc->nprops; i++)
		for (j = sa->u.sa.prop0; j < (size_t)sa->u.sa.prop0 +
		    sa->u.sa.nprop; j++)
			if (prop_match(m, &m->prop[j], &cc->props[i],
			    cc->esn, dh)) {
				*which = i;
				return &m->prop[j];
			}
	return NULL;
}

bool
child_pfs_ok(const struct child_cfg *cc, uint16_t group)
{
	if (cc->resp_dh == CFG_PFS_NONE)
		return group == 0;
	if (cc->resp_dh != CFG_PFS_ANY)
		return group == cc->resp_dh;
	return group == 0 || dh_supported(group);
}

/* The D-H groups to look for, best first: the one of the peer's KE (no
 * second round trip), ours, the one the policy names, none; those the
 * policy allows, each once.  Returns how many. */
static size_t
pfs_wanted(const struct ike_msg *m, const struct child_cfg *cc,
    uint16_t *want)
{
	const struct ike_pl *ke = ike_msg_find(m, IKEV2_PL_KE, NULL);
	uint16_t cand[4] = { ke != NULL ? ke->u.ke.group : 0, cc->pfs_group,
	    cc->resp_dh == CFG_PFS_NONE ? 0 : cc->resp_dh, 0 };
	size_t i, j, n = 0;

	for (i = 0; i < 4; i++) {
		for (j = 0; j < n && want[j] != cand[i]; j++)
			;
		if (j == n && child_pfs_ok(cc, cand[i]))
			want[n++] = cand[i];
	}
	return n;
}

/* CREATE_CHILD_SA (s. 1.3.1, 1.3.3): a proposal with a D-H group
 * (ch->dh) the responder's policy allows; with CFG_PFS_ANY at last any
 * group we implement, which the peer's KE is then not of. */
static const struct ike_prop *
pfs_choose(const struct ike_msg *m, struct child_choice *ch)
{
	const struct ike_prop *p;
	uint16_t want[4];
	size_t i, n = pfs_wanted(m, &ch->cfg, want);

	for (i = 0; i < n; i++)
		if ((p = prop_choose(m, &ch->cfg, want[i], &ch->pc)) != NULL) {
			ch->dh = want[i];
			return p;
		}
	if (ch->cfg.resp_dh != CFG_PFS_ANY ||
	    (p = prop_choose(m, &ch->cfg, DH_SOME, &ch->pc)) == NULL)
		return NULL;
	ch->dh = some_dh(m, p);
	return p;
}

/* ENCR (ESP only), INTEG, [D-H,] ESN in the order of s. 3.3. */
static int
add_prop(struct ike_msg *m, struct ike_pl *sa, uint32_t spi,
    const struct child_prop_cfg *p, bool esn, uint16_t dh)
{
	int rc;

	if ((rc = ike_msg_add_prop(m, sa, p->proto, IKEV2_SPI_SIZE_CHILD,
	    spi)) == 0 && p->proto != IKEV2_PROTO_AH)
		rc = ike_msg_add_xform(m, IKEV2_XF_ENCR, p->encr, p->key_bits);
	if (rc == 0 && p->integ != 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_INTEG, p->integ, 0);
	if (rc == 0 && dh != 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_DH, dh, 0);
	if (rc == 0)
		rc = ike_msg_add_xform(m, IKEV2_XF_ESN, esn ? IKEV2_ESN_YES :
		    IKEV2_ESN_NO, 0);
	return rc;
}

/* ----------------------------------------------------------- kernel */

uint8_t
child_ipproto(uint8_t proto)
{
	return proto == IKEV2_PROTO_AH ? IPPROTO_AH : IPPROTO_ESP;
}

static uint8_t
other_proto(uint8_t proto)
{
	return proto == IKEV2_PROTO_AH ? IKEV2_PROTO_ESP : IKEV2_PROTO_AH;
}

/* The kernel's soft limit: at the share of the hard one where the
 * engine's own time-based rekey starts (the side that proposed the
 * Child SA first), so that a soft expiry and that rekey coincide. */
static uint64_t
soft_share(const struct child_sa *c, uint64_t hard)
{
	return hard / 1000 * (c->ours ? CHILD_SOFT_OURS : CHILD_SOFT_THEIRS) +
	    hard % 1000 * (c->ours ? CHILD_SOFT_OURS : CHILD_SOFT_THEIRS) /
	    1000;
}

static struct ike_addr
bare(const struct ike_addr *a)
{
	struct ike_addr b = *a;

	b.port = 0;
	return b;
}

static void
fill_sa(const struct ike_sa *sa, const struct child_sa *c, bool in,
    const struct ike_key *e, const struct ike_key *a, struct plat_sa *out)
{
	memset(out, 0, sizeof(*out));
	out->id.dst = bare(in ? &sa->local : &sa->remote);
	out->id.spi = in ? c->spi_in : c->spi_out;
	out->id.proto = child_ipproto(c->proto);
	out->src = bare(in ? &sa->remote : &sa->local);
	out->reqid = c->reqid;
	out->replay_window = REPLAY_WINDOW;
	out->dir = in ? PLAT_IN : PLAT_OUT;
	out->mode = c->mode;
	out->encr_alg = c->proto == IKEV2_PROTO_AH ? 0 : c->encr;
	out->integ_alg = c->integ;
	out->encr_key = c->proto == IKEV2_PROTO_AH ? NULL : e;
	out->integ_key = a;
	out->hard.add_s = c->cfg.lifetime_s;
	out->soft.add_s = cfg_rekey_ms(c->cfg.lifetime_s,
	    c->cfg.rekey_margin_s, c->ours) / 1000;
	out->hard.bytes = c->cfg.lifetime_kb * 1024;
	out->soft.bytes = soft_share(c, out->hard.bytes);
	out->esn = c->esn;
	if (natt_active(sa) && c->proto != IKEV2_PROTO_AH) {
		/* RFC 3948: ESP in UDP between the IKE SA's ports, as the
		 * packets of this direction carry them */
		out->natt_sport = in ? sa->remote.port : sa->local.port;
		out->natt_dport = in ? sa->local.port : sa->remote.port;
	}
}

static void
fill_policy(const struct ike_sa *sa, const struct child_sa *c,
    enum plat_dir dir, struct plat_policy *out)
{
	bool in = dir != PLAT_OUT;

	memset(out, 0, sizeof(*out));
	out->src = in ? c->ts_remote : c->ts_local;
	out->dst = in ? c->ts_local : c->ts_remote;
	out->dir = dir;
	out->action = PLAT_PROTECT;
	out->reqid = c->reqid;
	out->proto = child_ipproto(c->proto);
	if (c->mode == PLAT_TUNNEL) {
		out->tun_src = bare(in ? &sa->remote : &sa->local);
		out->tun_dst = bare(in ? &sa->local : &sa->remote);
	}
}

/* A removal that fails for another reason than "already gone" leaves
 * kernel state behind: worth an error line. */
static void
removed(const char *what, uint32_t spi, int rc)
{
	if (rc != 0 && rc != IKE_ENOTFOUND)
		log_err(LOG_KNL, "removing %s (SPI 0x%08x): %s", what, spi,
		    ike_strerror(rc));
}

/* Drops the inbound SPI spi reserved for proto (IKEV2_PROTO_*). */
static void
drop_spi(struct ike_engine *eng, const struct ike_sa *sa, uint8_t proto,
    uint32_t spi)
{
	struct plat_sa_id id;

	memset(&id, 0, sizeof(id));
	id.dst = bare(&sa->local);
	id.spi = spi;
	id.proto = child_ipproto(proto);
	removed("reserved SPI", spi, plat_sa_delete(eng->plat, &id));
}

void
child_keep_nonces(struct child_sa *c, const uint8_t *ni, size_t ni_len,
    const uint8_t *nr, size_t nr_len)
{
	if (ni_len <= sizeof(c->ni) && nr_len <= sizeof(c->nr)) {
		memcpy(c->ni, ni, ni_len);
		memcpy(c->nr, nr, nr_len);
		c->ni_len = ni_len;
		c->nr_len = nr_len;
	}
}

int
child_take_proto(struct child_sa *c, uint8_t proto)
{
	uint32_t spi;

	if (proto == c->proto)
		return 0;
	if (c->spi_alt == 0)	/* no SPI of ours for the other protocol */
		return IKE_EMALFORMED;
	spi = c->spi_in;
	c->spi_in = c->spi_alt;
	c->spi_alt = spi;
	c->proto = proto;
	return 0;
}

static bool
same_selectors(const struct child_sa *a, const struct child_sa *b)
{
	return memcmp(&a->ts_local, &b->ts_local, sizeof(a->ts_local)) == 0 &&
	    memcmp(&a->ts_remote, &b->ts_remote, sizeof(a->ts_remote)) == 0;
}

/* The kernel has one policy pair per selector pair: a rekeyed Child SA
 * and its successors share it.  The other Child SA of sa that holds the
 * policies for c's selectors, or NULL. */
static struct child_sa *
policy_holder(const struct ike_sa *sa, const struct child_sa *c)
{
	struct child_sa *o;

	for (o = sa->children; o != NULL; o = o->next)
		if (o != c && o->policies && same_selectors(o, c))
			return o;
	return NULL;
}

/* The installed Child SA that takes the policies over from c. */
static struct child_sa *
policy_heir(const struct ike_sa *sa, const struct child_sa *c)
{
	struct child_sa *o;

	for (o = sa->children; o != NULL; o = o->next)
		if (o != c && !o->policies && o->state == CHILD_SA_INSTALLED &&
		    same_selectors(o, c))
			return o;
	return NULL;
}

/* The policies of a Child SA, in the order they are installed: out, in
 * and, in tunnel mode, fwd for the traffic the gateway forwards to the
 * protected network after decryption. */
static const enum plat_dir policy_dirs[] = { PLAT_OUT, PLAT_IN, PLAT_FWD };

static size_t
npolicies(const struct child_sa *c)
{
	return c->mode == PLAT_TUNNEL ? 3 : 2;
}

/* Removes the first n policies of c (a failure is logged by removed()). */
static void
policies_del(struct ike_engine *eng, const struct ike_sa *sa,
    struct child_sa *c, size_t n)
{
	static const char *what[] = { "outbound policy", "inbound policy",
	    "forward policy" };
	struct plat_policy p;
	size_t k;

	for (k = 0; k < n; k++) {
		if (k == 0 && c->out_trap)
			continue;	/* the caller's trap stays */
		fill_policy(sa, c, policy_dirs[k], &p);
		removed(what[k], k == 0 ? c->spi_out : c->spi_in,
		    plat_policy_delete(eng->plat, &p));
	}
	c->policies = false;
}

/* Installs every policy of c, or none. */
static int
policies_add(struct ike_engine *eng, const struct ike_sa *sa,
    struct child_sa *c)
{
	struct plat_policy p;
	size_t k;
	int rc;

	c->out_trap = false;
	for (k = 0; k < npolicies(c); k++) {
		fill_policy(sa, c, policy_dirs[k], &p);
		rc = plat_policy_add(eng->plat, &p);
		if (k == 0 && rc == IKE_EEXIST && c->cfg.out_held) {
			c->out_trap = true;	/* the trap has our reqid */
			continue;
		}
		if (rc != 0) {
			policies_del(eng, sa, c, k);	/* undo */
			return rc;
		}
	}
	c->policies = true;
	return 0;
}

/* AH: KEYMAT holds only the integrity keys, initiator-to-responder
 * first (s. 2.17). */
static int
ah_keys(const struct ike_sa *sa, const struct child_keyin *ki, size_t a_len,
    struct kdf_child_keys *k)
{
	struct ike_key *km;
	int rc;

	memset(k, 0, sizeof(*k));
	if (a_len == 0)
		return IKE_EINVAL;
	if ((rc = kdf_child_keymat(sa->prf, 0, sa->keys.sk_d, ki->gir,
	    ki->gir_len, ki->ni, ki->ni_len, ki->nr, ki->nr_len, 2 * a_len,
	    &km)) != 0)
		return rc;
	if ((rc = ike_key_from(km->data, a_len, &k->ai)) != 0 ||
	    (rc = ike_key_from(km->data + a_len, a_len, &k->ar)) != 0)
		kdf_child_keys_free(k);
	ike_key_free(km);
	return rc;
}

static int
child_keys(const struct ike_sa *sa, const struct child_sa *c,
    const struct child_keyin *ki, struct kdf_child_keys *k)
{
	struct cipher_info ci;
	struct integ_info ii;
	int rc;

	if ((rc = integ_info(c->integ, &ii)) != 0)
		return rc;
	if (c->proto == IKEV2_PROTO_AH)
		return ah_keys(sa, ki, ii.key_len, k);
	if ((rc = cipher_info(c->encr, c->key_bits, &ci)) != 0)
		return rc;
	return kdf_child_keys(sa->prf, 0, sa->keys.sk_d, ki->gir, ki->gir_len,
	    ki->ni, ki->ni_len, ki->nr, ki->nr_len, ci.key_len, ii.key_len,
	    k);
}

/* Drops the SPI reserved for the protocol the answer did not pick. */
static void
release_alt(struct ike_engine *eng, const struct ike_sa *sa,
    struct child_sa *c)
{
	if (c->spi_alt == 0)
		return;
	drop_spi(eng, sa, other_proto(c->proto), c->spi_alt);
	c->spi_alt = 0;
}

int
child_install(struct ike_engine *eng, struct ike_sa *sa, struct child_sa *c,
    const struct child_keyin *ki)
{
	struct kdf_child_keys k;
	bool i = c->ours;	/* of the exchange that made it (s. 2.17) */
	int rc;

	if ((rc = child_keys(sa, c, ki, &k)) != 0)
		return rc;
	rc = child_install_keys(eng, sa, c, i ? k.er : k.ei, i ? k.ar : k.ai,
	    i ? k.ei : k.er, i ? k.ai : k.ar);
	kdf_child_keys_free(&k);
	if (rc == 0)
		child_keep_nonces(c, ki->ni, ki->ni_len, ki->nr, ki->nr_len);
	return rc;
}

int
child_install_keys(struct ike_engine *eng, struct ike_sa *sa,
    struct child_sa *c, const struct ike_key *e_in, const struct ike_key *a_in,
    const struct ike_key *e_out, const struct ike_key *a_out)
{
	struct plat_sa in, out;
	int rc;

	release_alt(eng, sa, c);
	fill_sa(sa, c, true, e_in, a_in, &in);
	fill_sa(sa, c, false, e_out, a_out, &out);
	if ((rc = plat_sa_update(eng->plat, &in)) == 0) {
		c->state = CHILD_SA_INSTALLED;
		rc = plat_sa_add(eng->plat, &out);
	}
	if (rc != 0)
		return rc;
	c->up_ms = eng->now_ms;
	if (policy_holder(sa, c) != NULL)
		return 0;	/* a rekey: the policies stay */
	return policies_add(eng, sa, c);
}

void
child_uninstall(struct ike_engine *eng, struct ike_sa *sa,
    struct child_sa *c)
{
	struct plat_sa s;
	struct child_sa *heir, *o;

	if (c->policies && (heir = policy_heir(sa, c)) != NULL) {
		heir->policies = true;
		heir->out_trap = c->out_trap;
		c->policies = false;
	}
	for (o = sa->children; o != NULL && c->spi_in != 0; o = o->next)
		if (o->replaces == c->spi_in)
			o->replaces = 0;	/* no rekey collision left */
	if (c->policies)
		policies_del(eng, sa, c, npolicies(c));
	release_alt(eng, sa, c);
	if (c->state != CHILD_SA_LARVAL && c->spi_out != 0) {
		fill_sa(sa, c, false, NULL, NULL, &s);
		removed("outbound SA", c->spi_out,
		    plat_sa_delete(eng->plat, &s.id));
	}
	if (c->spi_in != 0) {
		fill_sa(sa, c, true, NULL, NULL, &s);
		removed("inbound SA", c->spi_in,
		    plat_sa_delete(eng->plat, &s.id));
	}
	c->state = CHILD_SA_LARVAL;
}

/* ------------------------------------------------------- exchanges */

static bool
cfg_has_proto(const struct child_cfg *cc, uint8_t proto)
{
	size_t i;

	for (i = 0; i < cc->nprops; i++)
		if (cc->props[i].proto == proto)
			return true;
	return false;
}

/* The inbound SPI(s): for proto, or (proto 0) for the protocol of the
 * first proposal and, when the proposals mix ESP and AH, one more for
 * the other protocol in spi_alt. */
static int
reserve_spis(struct ike_engine *eng, const struct ike_sa *sa,
    const struct child_cfg *cc, uint8_t proto, struct child_sa *c)
{
	struct ike_addr src = bare(&sa->remote), dst = bare(&sa->local);
	int rc;

	c->proto = proto != 0 ? proto : cc->props[0].proto;
	if ((rc = plat_spi_alloc(eng->plat, &src, &dst,
	    child_ipproto(c->proto), &c->spi_in)) != 0)
		return rc;
	if (proto != 0 || !cfg_has_proto(cc, other_proto(c->proto)))
		return 0;
	if ((rc = plat_spi_alloc(eng->plat, &src, &dst,
	    child_ipproto(other_proto(c->proto)), &c->spi_alt)) != 0) {
		drop_spi(eng, sa, c->proto, c->spi_in);
		c->spi_in = 0;
	}
	return rc;
}

int
child_reserve(struct ike_engine *eng, struct ike_sa *sa,
    const struct child_cfg *cc, bool ours, uint8_t proto,
    struct child_sa **out)
{
	struct child_sa *c;
	int rc;

	if (cc->nprops == 0)
		return IKE_EINVAL;
	if ((rc = child_sa_new(&c)) != 0)
		return rc;
	if ((rc = reserve_spis(eng, sa, cc, proto, c)) != 0) {
		child_sa_free(c);
		return rc;
	}
	c->cfg = *cc;
	c->ours = ours;
	c->reqid = cc->reqid ? cc->reqid : ++eng->next_reqid;
	c->esn = cc->esn;
	c->mode = cc->mode;
	*out = c;
	return 0;
}

int
child_put_props(struct ike_msg *m, const struct child_cfg *cc,
    const struct child_sa *c, uint16_t dh)
{
	const struct child_prop_cfg *p;
	struct ike_pl *pl;
	size_t i;
	int rc;

	if ((rc = ike_msg_add(m, IKEV2_PL_SA, true, &pl)) != 0)
		return rc;
	for (i = 0; i < cc->nprops; i++) {
		p = &cc->props[i];
		if ((rc = add_prop(m, pl, p->proto == c->proto ? c->spi_in :
		    c->spi_alt, p, cc->esn, dh)) != 0)
			return rc;
	}
	return 0;
}

int
child_put_ts(struct ike_msg *m, const struct ike_ts *tsi,
    const struct ike_ts *tsr, bool transport)
{
	int rc;

	if ((rc = add_ts(m, IKEV2_PL_TSI, tsi)) != 0 ||
	    (rc = add_ts(m, IKEV2_PL_TSR, tsr)) != 0)
		return rc;
	if (transport)
		rc = xchg_add_notify(m, true, IKEV2_N_USE_TRANSPORT_MODE,
		    NULL, 0);
	return rc;
}

int
child_propose(struct ike_engine *eng, struct ike_sa *sa, struct ike_msg *m)
{
	const struct child_cfg *cc = &sa->ccfg;
	int rc;

	if (sa->pending == NULL && (rc = child_reserve(eng, sa, cc,
	    sa->initiator, 0, &sa->pending)) != 0)
		return rc;
	if ((rc = child_put_props(m, cc, sa->pending, 0)) != 0)
		return rc;
	return child_put_ts(m, &cc->local_ts, &cc->remote_ts,
	    cc->mode == PLAT_TRANSPORT);
}

/* Responder: the configuration for the initiator's first selectors. */
static int
lookup(struct ike_engine *eng, struct ike_sa *sa, const struct ike_msg *m,
    struct child_cfg *out)
{
	const struct ike_pl *i = ike_msg_find(m, IKEV2_PL_TSI, NULL);
	const struct ike_pl *r = ike_msg_find(m, IKEV2_PL_TSR, NULL);
	struct ike_ts tsi, tsr;

	memset(out, 0, sizeof(*out));
	if (ts_from_wire(&m->ts[i->u.ts.ts0], &tsi) != 0 ||
	    ts_from_wire(&m->ts[r->u.ts.ts0], &tsr) != 0 ||
	    eng->cb.child_cfg == NULL ||
	    eng->cb.child_cfg(eng->cb.arg, &sa->cfg, &tsi, &tsr, out) != 0 ||
	    child_cfg_check(out) != 0)
		return IKE_ENOTFOUND;
	return 0;
}

uint16_t
child_choose(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m, const struct child_cfg *fixed, bool pfs,
    struct child_choice *ch)
{
	if (fixed != NULL)
		ch->cfg = *fixed;
	else if (lookup(eng, sa, m, &ch->cfg) != 0)
		return IKEV2_N_TS_UNACCEPTABLE;
	ch->dh = 0;
	ch->prop = pfs ? pfs_choose(m, ch) : prop_choose(m, &ch->cfg,
	    DH_IGNORE, &ch->pc);
	if (ch->prop == NULL)
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (!ts_pick(m, IKEV2_PL_TSI, &ch->cfg.remote_ts, &ch->ti) ||
	    !ts_pick(m, IKEV2_PL_TSR, &ch->cfg.local_ts, &ch->tr) ||
	    !same_proto(&ch->ti, &ch->tr))
		return IKEV2_N_TS_UNACCEPTABLE;
	ch->mode = ch->cfg.mode == PLAT_TRANSPORT && ike_msg_notify(m,
	    IKEV2_N_USE_TRANSPORT_MODE) != NULL ? PLAT_TRANSPORT : PLAT_TUNNEL;
	return 0;
}

uint16_t
child_make(struct ike_engine *eng, struct ike_sa *sa,
    const struct child_choice *ch, const struct child_keyin *ki,
    struct child_sa **out)
{
	const struct child_prop_cfg *pc = &ch->cfg.props[ch->pc];
	struct child_sa *c;
	int rc;

	if (child_reserve(eng, sa, &ch->cfg, false, pc->proto, &c) != 0)
		return IKEV2_N_NO_ADDITIONAL_SAS;
	c->spi_out = (uint32_t)ch->prop->spi;
	c->encr = pc->encr;
	c->key_bits = pc->key_bits;
	c->integ = pc->integ;
	c->ts_local = ch->tr;
	c->ts_remote = ch->ti;
	c->mode = ch->mode;
	c->pfs = ch->dh;
	if ((rc = child_install(eng, sa, c, ki)) != 0) {
		log_dbg(LOG_CHD, "SA %u: install: %s", sa->handle,
		    ike_strerror(rc));
		child_uninstall(eng, sa, c);
		child_sa_free(c);
		return IKEV2_N_NO_ADDITIONAL_SAS;
	}
	*out = c;
	return 0;
}

int
child_put_choice(struct ike_msg *resp, const struct child_choice *ch,
    const struct child_sa *c, uint16_t dh)
{
	struct ike_pl *pl;
	int rc;

	if ((rc = ike_msg_add(resp, IKEV2_PL_SA, true, &pl)) == 0 &&
	    (rc = add_prop(resp, pl, c->spi_in, &ch->cfg.props[ch->pc],
	    c->esn, dh)) == 0)
		resp->prop[resp->nprop - 1].num = ch->prop->num;
	return rc;
}

const char *
child_reason(uint16_t err)
{
	return err == IKEV2_N_TS_UNACCEPTABLE ? "traffic selectors "
	    "unacceptable" : err == IKEV2_N_NO_PROPOSAL_CHOSEN ?
	    "no proposal chosen" : err == IKEV2_N_INVALID_KE_PAYLOAD ?
	    "D-H group refused" : "Child SA refused by peer";
}

int
child_answer(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *req, struct ike_msg *resp)
{
	struct child_keyin ki = { sa->ni, sa->nr, NULL, sa->ni_len,
	    sa->nr_len, 0 };
	struct child_choice *ch;
	struct child_sa *c = NULL;
	uint16_t err;
	int rc;

	if ((ch = calloc(1, sizeof(*ch))) == NULL)
		return IKE_ENOMEM;
	if ((err = child_choose(eng, sa, req, NULL, false, ch)) == 0) {
		sa->ccfg = ch->cfg;
		sa->have_ccfg = true;
		err = child_make(eng, sa, ch, &ki, &c);
	}
	if (err != 0) {
		free(ch);
		log_dbg(LOG_CHD, "SA %u: no Child SA: notify %u", sa->handle,
		    err);
		xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, NULL, err,
		    err == IKEV2_N_NO_ADDITIONAL_SAS ? "Child SA installation "
		    "failed" : child_reason(err));
		return xchg_add_notify(resp, true, err, NULL, 0);
	}
	ike_sa_child_add(sa, c);
	if ((rc = child_put_choice(resp, ch, c, 0)) == 0)
		rc = child_put_ts(resp, &c->ts_remote, &c->ts_local,
		    c->mode == PLAT_TRANSPORT);
	free(ch);
	if (rc == 0)
		xchg_event(eng, sa, ENGINE_EV_CHILD_UP, c, 0, NULL);
	return rc;
}

int
child_check_answer(const struct child_cfg *cc, const struct ike_msg *m,
    int dh, struct child_sa *c)
{
	const struct ike_pl *pl = ike_msg_find(m, IKEV2_PL_SA, NULL);
	const struct ike_prop *p;
	struct ike_ts ti, tr;
	size_t i;

	if (pl->u.sa.nprop != 1)
		return IKE_EMALFORMED;
	p = &m->prop[pl->u.sa.prop0];
	for (i = 0; i < cc->nprops; i++)
		if (prop_match(m, p, &cc->props[i], cc->esn, dh))
			break;
	if (i == cc->nprops ||
	    ts_from_wire(&m->ts[ike_msg_find(m, IKEV2_PL_TSI,
	    NULL)->u.ts.ts0], &ti) != 0 ||
	    ts_from_wire(&m->ts[ike_msg_find(m, IKEV2_PL_TSR,
	    NULL)->u.ts.ts0], &tr) != 0 ||
	    !ts_within(&ti, &cc->local_ts) || !ts_within(&tr, &cc->remote_ts) ||
	    child_take_proto(c, p->proto) != 0)
		return IKE_EMALFORMED;
	c->spi_out = (uint32_t)p->spi;
	c->encr = cc->props[i].encr;
	c->key_bits = cc->props[i].key_bits;
	c->integ = cc->props[i].integ;
	c->ts_local = ti;
	c->ts_remote = tr;
	c->mode = cc->mode == PLAT_TRANSPORT && ike_msg_notify(m,
	    IKEV2_N_USE_TRANSPORT_MODE) != NULL ? PLAT_TRANSPORT : PLAT_TUNNEL;
	return 0;
}

uint16_t
child_error_notify(const struct ike_msg *m)
{
	size_t i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKEV2_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKEV2_N_ERROR_MAX)
			return m->pl[i].u.notify.type;
	return 0;
}

void
child_complete(struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	struct child_keyin ki = { sa->ni, sa->nr, NULL, sa->ni_len,
	    sa->nr_len, 0 };
	struct child_sa *c = sa->pending;
	uint16_t err = 0;
	const char *why = NULL;

	if (c == NULL)
		return;
	sa->pending = NULL;
	if (ike_msg_find(m, IKEV2_PL_SA, NULL) == NULL) {
		err = child_error_notify(m);
		why = child_reason(err);
	} else if (child_check_answer(&sa->ccfg, m, DH_IGNORE, c) != 0) {
		eng->st.rx_malformed++;
		why = "Child SA answer unusable";
	} else if (child_install(eng, sa, c, &ki) != 0)
		why = "Child SA installation failed";
	if (why != NULL) {
		child_uninstall(eng, sa, c);
		xchg_event(eng, sa, ENGINE_EV_CHILD_FAILED, c, err, why);
		child_sa_free(c);
		return;
	}
	ike_sa_child_add(sa, c);
	xchg_event(eng, sa, ENGINE_EV_CHILD_UP, c, 0, NULL);
}

/* ------------------------------------------------------- lifecycle */

static bool
same_sa_id(const struct plat_sa_id *a, const struct plat_sa_id *b)
{
	return a->spi == b->spi && a->proto == b->proto &&
	    a->dst.family == b->dst.family &&
	    memcmp(a->dst.addr, b->dst.addr, sizeof(a->dst.addr)) == 0;
}

bool
child_has_sa(const struct ike_sa *sa, const struct child_sa *c,
    const struct plat_sa_id *id)
{
	struct plat_sa s;

	if (c->state == CHILD_SA_LARVAL)
		return false;
	fill_sa(sa, c, true, NULL, NULL, &s);
	if (c->spi_in != 0 && same_sa_id(&s.id, id))
		return true;
	fill_sa(sa, c, false, NULL, NULL, &s);
	return c->spi_out != 0 && same_sa_id(&s.id, id);
}

bool
child_traffic_seen(struct ike_engine *eng, struct ike_sa *sa)
{
	struct plat_sa_stats st;
	struct plat_sa s;
	struct child_sa *c;
	bool seen = false;

	for (c = sa->children; c != NULL; c = c->next) {
		if (c->state != CHILD_SA_INSTALLED)
			continue;
		fill_sa(sa, c, true, NULL, NULL, &s);
		if (plat_sa_stats(eng->plat, &s.id, &st) != 0 ||
		    st.bytes == c->in_bytes)
			continue;	/* no counters: only IKE counts */
		c->in_bytes = st.bytes;
		seen = true;
	}
	return seen;
}
