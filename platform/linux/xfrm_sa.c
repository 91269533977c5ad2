/* platform/linux/xfrm_sa.c: SAs over XFRM: SPI reservation (ALLOCSPI,
 * a larval SA), NEWSA, UPDSA, DELSA, GETSA for counters, and the flush
 * of our own SAs by dumping.  The algorithm table maps IKEv2 transform
 * IDs to the kernel's crypto names. */
#include "linux.h"

#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/crypto/cipher.h"
#include "../../core/crypto/ike_key.h"
#include "../../core/crypto/integ.h"
#include "../../core/err.h"
#include "../../core/log.h"

#define XFRM_REPLAY_LEGACY_MAX	32	/* the usersa_info bitmap */
#define XFRM_REPLAY_ESN_MAXBITS	4096	/* what the kernel accepts */

enum xalg_kind { XALG_CRYPT = 1, XALG_AEAD, XALG_AUTH };

/* One algorithm: its key lengths in octets (0-terminated, but ENCR_NULL
 * takes exactly 0) and, for AEAD and integrity, the ICV in bits. */
struct xalg {
	uint16_t	 id;
	enum xalg_kind	 kind;
	const char	*name;
	uint8_t		 keys[3];
	unsigned int	 bits;
};

static const struct xalg encr_algs[] = {
	{ ENCR_AES_CBC, XALG_CRYPT, "cbc(aes)", { 16, 24, 32 }, 0 },
	{ ENCR_3DES, XALG_CRYPT, "cbc(des3_ede)", { 24 }, 0 },
	{ ENCR_AES_GCM_16, XALG_AEAD, "rfc4106(gcm(aes))",
	    { 20, 28, 36 }, 128 },
	{ ENCR_CHACHA20_POLY1305, XALG_AEAD, "rfc7539esp(chacha20,poly1305)",
	    { 36 }, 128 },
	{ PLAT_ENCR_NULL, XALG_CRYPT, "ecb(cipher_null)", { 0 }, 0 },
};

static const struct xalg integ_algs[] = {
	{ AUTH_HMAC_MD5_96, XALG_AUTH, "hmac(md5)", { 16 }, 96 },
	{ AUTH_HMAC_SHA1_96, XALG_AUTH, "hmac(sha1)", { 20 }, 96 },
	{ AUTH_AES_XCBC_96, XALG_AUTH, "xcbc(aes)", { 16 }, 96 },
	{ AUTH_HMAC_SHA2_256_128, XALG_AUTH, "hmac(sha256)", { 32 }, 128 },
	{ AUTH_HMAC_SHA2_384_192, XALG_AUTH, "hmac(sha384)", { 48 }, 192 },
	{ AUTH_HMAC_SHA2_512_256, XALG_AUTH, "hmac(sha512)", { 64 }, 256 },
};

static const struct xalg *
xalg_find(const struct xalg *t, size_t n, uint16_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].id == id)
			return &t[i];
	return NULL;
}

static bool
xalg_key_ok(const struct xalg *a, size_t len)
{
	size_t i;

	if (a->id == PLAT_ENCR_NULL && a->kind == XALG_CRYPT)
		return len == 0;
	for (i = 0; i < sizeof(a->keys) && a->keys[i] != 0; i++)
		if (a->keys[i] == len)
			return true;
	return false;
}

/* ------------------------------------------------------------ reqids */

uint32_t
xfrm_reqid_to_kernel(uint32_t reqid)
{
	return XFRM_OWN_REQID_BASE + reqid;
}

bool
xfrm_reqid_is_own(uint32_t kreqid, uint32_t *core)
{
	if (kreqid < XFRM_OWN_REQID_BASE ||
	    kreqid - XFRM_OWN_REQID_BASE > XFRM_OWN_REQID_MAX)
		return false;
	*core = kreqid - XFRM_OWN_REQID_BASE;
	return true;
}

/* ------------------------------------------------------------ building */

static int
put_encr(struct wr *w, const struct plat_sa *sa)
{
	const struct xalg *a;
	const uint8_t *key = sa->encr_key ? sa->encr_key->data : NULL;
	size_t len = sa->encr_key ? sa->encr_key->len : 0;

	if ((a = xalg_find(encr_algs, sizeof(encr_algs) / sizeof(encr_algs[0]),
	    sa->encr_alg)) == NULL) {
		log_err(LOG_KNL, "encryption algorithm %u unknown to the "
		    "Linux backend", sa->encr_alg);
		return IKE_EUNSUPP;
	}
	if (!xalg_key_ok(a, len) || (a->kind == XALG_AEAD &&
	    sa->icv_len != 0 && sa->icv_len * 8u != a->bits) ||
	    (a->kind != XALG_AEAD && sa->icv_len != 0) ||
	    (a->kind == XALG_AEAD && sa->integ_alg != AUTH_NONE)) {
		log_err(LOG_KNL, "%s with a %zu-octet key, ICV %u, integrity "
		    "%u: not a valid combination", a->name, len, sa->icv_len,
		    sa->integ_alg);
		return IKE_EINVAL;
	}
	if (a->kind == XALG_AEAD)
		xfrm_put_algo_aead(w, a->name, key, len, a->bits);
	else
		xfrm_put_algo(w, a->name, key, len);
	return 0;
}

static int
put_integ(struct wr *w, const struct plat_sa *sa)
{
	const struct xalg *a;

	if (sa->integ_alg == AUTH_NONE)
		return 0;
	if ((a = xalg_find(integ_algs, sizeof(integ_algs) /
	    sizeof(integ_algs[0]), sa->integ_alg)) == NULL) {
		log_err(LOG_KNL, "integrity algorithm %u unknown to the Linux "
		    "backend", sa->integ_alg);
		return IKE_EUNSUPP;
	}
	if (!xalg_key_ok(a, sa->integ_key->len)) {
		log_err(LOG_KNL, "%s with a %zu-octet key", a->name,
		    sa->integ_key->len);
		return IKE_EINVAL;
	}
	xfrm_put_algo_auth(w, a->name, sa->integ_key->data,
	    sa->integ_key->len, a->bits);
	return 0;
}

static uint64_t
limit(uint64_t v)
{
	return v == 0 ? XFRM_INF : v;
}

static void
fill_lifetimes(struct xfrm_lifetime_cfg *l, const struct plat_sa *sa)
{
	l->soft_byte_limit = limit(sa->soft.bytes);
	l->hard_byte_limit = limit(sa->hard.bytes);
	l->soft_packet_limit = limit(sa->soft.packets);
	l->hard_packet_limit = limit(sa->hard.packets);
	l->soft_add_expires_seconds = sa->soft.add_s;
	l->hard_add_expires_seconds = sa->hard.add_s;
}

/* The window goes into XFRMA_REPLAY_ESN_VAL with ESN or when the legacy
 * 32-bit bitmap is too small; the legacy field is 0 then. */
static bool
esn_attr(const struct plat_sa *sa)
{
	return sa->esn || sa->replay_window > XFRM_REPLAY_LEGACY_MAX;
}

static int
fill_info(struct xfrm_usersa_info *u, const struct plat_sa *sa)
{
	if (sa->reqid > XFRM_OWN_REQID_MAX) {
		log_err(LOG_KNL, "reqid %u beyond the %u the Linux backend "
		    "marks as its own", sa->reqid, XFRM_OWN_REQID_MAX);
		return IKE_EUNSUPP;
	}
	if (sa->replay_window > XFRM_REPLAY_ESN_MAXBITS) {
		log_err(LOG_KNL, "replay window %u beyond the kernel's %u",
		    sa->replay_window, XFRM_REPLAY_ESN_MAXBITS);
		return IKE_EUNSUPP;
	}
	memset(u, 0, sizeof(*u));
	xfrm_addr_put(&u->id.daddr, &sa->id.dst);
	u->id.spi = htonl(sa->id.spi);
	u->id.proto = sa->id.proto;
	xfrm_addr_put(&u->saddr, &sa->src);
	fill_lifetimes(&u->lft, sa);
	u->reqid = xfrm_reqid_to_kernel(sa->reqid);
	u->family = sa->id.dst.family;
	u->mode = sa->mode == PLAT_TUNNEL ? XFRM_MODE_TUNNEL :
	    XFRM_MODE_TRANSPORT;
	u->replay_window = esn_attr(sa) ? 0 : (uint8_t)sa->replay_window;
	u->flags = sa->esn ? XFRM_STATE_ESN : 0;
	return 0;
}

int
xfrm_sa_build(struct wr *w, uint16_t type, uint32_t seq,
    const struct plat_sa *sa)
{
	struct xfrm_usersa_info u;
	int rc;

	if ((rc = fill_info(&u, sa)) != 0)
		return rc;
	xnl_begin(w, type, NLM_F_REQUEST | NLM_F_ACK, seq, &u, sizeof(u));
	if (sa->id.proto == IPPROTO_ESP && (rc = put_encr(w, sa)) != 0)
		return rc;
	if ((rc = put_integ(w, sa)) != 0)
		return rc;
	if (esn_attr(sa))
		xfrm_put_replay_esn(w, sa->replay_window);
	if (sa->natt_sport != 0)
		xfrm_put_encap(w, sa->natt_sport, sa->natt_dport);
	xnl_end(w);
	return wr_error(w);
}

/* ------------------------------------------------------------ errors */

static const char *
missing_module(uint16_t family, uint8_t proto)
{
	if (proto == IPPROTO_AH)
		return family == AF_INET6 ? "AH support (CONFIG_INET6_AH / "
		    "ah6)" : "AH support (CONFIG_INET_AH / ah4)";
	return family == AF_INET6 ? "ESP support (CONFIG_INET6_ESP / esp6)" :
	    "ESP support (CONFIG_INET_ESP / esp4)";
}

/* Logs a failed SA request once and returns its IKE_E* code.  The
 * errors that mean a missing kernel feature get a message naming it. */
static int
sa_fail(const char *what, const struct plat_sa_id *id, uint16_t family,
    int rc, const struct xnl_err *k)
{
	const char *sep = k->msg[0] != '\0' ? ": " : "";

	if (rc != IKE_EKERNEL)
		return rc;		/* logged where it happened */
	if (k->err == EPROTONOSUPPORT) {
		log_err(LOG_KNL, "the kernel lacks %s: cannot %s SA spi "
		    "0x%08x", missing_module(family, id->proto), what, id->spi);
		return IKE_EUNSUPP;
	}
	if (k->err == ENOSYS) {
		log_err(LOG_KNL, "the kernel lacks an algorithm of SA spi "
		    "0x%08x (its crypto modules): cannot %s it%s%s", id->spi,
		    what, sep, k->msg);
		return IKE_EUNSUPP;
	}
	log_err(LOG_KNL, "%s SA spi 0x%08x: %s%s%s", what, id->spi,
	    strerror(k->err), sep, k->msg);
	return xnl_errno_map(k->err);
}

/* ------------------------------------------------------------ requests */

/* The usersa_info of a NEWSA answer (ALLOCSPI, GETSA). */
static int
take_info(const struct xnl_msg *m, void *arg)
{
	struct rd body = m->body;

	if (m->type != XFRM_MSG_NEWSA)
		return 0;
	return xnl_fixed(&body, arg, sizeof(struct xfrm_usersa_info));
}

static void
fill_id(struct xfrm_usersa_id *u, const struct plat_sa_id *id)
{
	memset(u, 0, sizeof(*u));
	xfrm_addr_put(&u->daddr, &id->dst);
	u->spi = htonl(id->spi);
	u->family = id->dst.family;
	u->proto = id->proto;
}

/* GETSA: 0 and *info, or a code (ENOTFOUND not logged). */
static int
get_sa(struct plat *p, const struct plat_sa_id *id,
    struct xfrm_usersa_info *info)
{
	struct xfrm_usersa_id u;
	struct xnl_err k;
	struct wr w;
	int rc;

	fill_id(&u, id);
	memset(info, 0, sizeof(*info));
	wr_init(&w, 0);
	xnl_begin(&w, XFRM_MSG_GETSA, 0, 0, &u, sizeof(u));
	xnl_end(&w);
	rc = xnl_request(p, &w, take_info, info, &k);
	wr_free(&w);
	if (rc == IKE_EKERNEL && (k.err == ESRCH || k.err == ENOENT))
		return IKE_ENOTFOUND;
	if (rc == 0 && info->family == 0) {
		log_err(LOG_KNL, "the kernel answered GETSA without the SA");
		return IKE_EMALFORMED;
	}
	return sa_fail("read", id, id->dst.family, rc, &k);
}

int
xfrm_sa_spi_alloc(struct plat *p, const struct ike_addr *src,
    const struct ike_addr *dst, uint8_t proto, uint32_t *spi)
{
	struct xfrm_userspi_info u;
	struct xfrm_usersa_info got;
	struct plat_sa_id id = { .dst = *dst, .proto = proto };
	struct xnl_err k;
	struct wr w;
	int rc;

	memset(&u, 0, sizeof(u));
	xfrm_addr_put(&u.info.id.daddr, dst);
	u.info.id.proto = proto;
	xfrm_addr_put(&u.info.saddr, src);
	u.info.family = dst->family;
	u.info.reqid = XFRM_OWN_REQID_BASE;	/* larval: no core reqid */
	u.min = 256;
	u.max = UINT32_MAX;
	memset(&got, 0, sizeof(got));
	wr_init(&w, 0);
	xnl_begin(&w, XFRM_MSG_ALLOCSPI, 0, 0, &u, sizeof(u));
	xnl_end(&w);
	rc = xnl_request(p, &w, take_info, &got, &k);
	wr_free(&w);
	if (rc == IKE_EKERNEL && k.err == ENOENT) {
		log_err(LOG_KNL, "no free SPI for the SA to this peer");
		return IKE_ENOSPC;
	}
	if (rc == 0 && ntohl(got.id.spi) < 256) {
		log_err(LOG_KNL, "the kernel answered ALLOCSPI without an SPI");
		return IKE_EMALFORMED;
	}
	if (rc != 0)
		return sa_fail("reserve an SPI for", &id, dst->family, rc, &k);
	*spi = ntohl(got.id.spi);
	return 0;
}

/* NEWSA or UPDSA; the message holds keys, so wr_free() wipes it. */
static int
send_sa(struct plat *p, uint16_t type, const struct plat_sa *sa)
{
	struct xnl_err k;
	struct wr w;
	int rc;

	wr_init(&w, 0);
	if ((rc = xfrm_sa_build(&w, type, 0, sa)) == 0)
		rc = xnl_request(p, &w, NULL, NULL, &k);
	else if (rc == IKE_ENOMEM || wr_error(&w) != 0)
		log_err(LOG_KNL, "cannot build the SA message: %s",
		    ike_strerror(rc));
	wr_free(&w);
	if (rc == IKE_EKERNEL)
		return sa_fail(type == XFRM_MSG_NEWSA ? "add" : "update",
		    &sa->id, sa->id.dst.family, rc, &k);
	return rc;
}

int
xfrm_sa_add(struct plat *p, const struct plat_sa *sa)
{
	return send_sa(p, XFRM_MSG_NEWSA, sa);
}

/* The kernel's UPDSA would also rewrite an installed SA: only a larval
 * one (ours, reqid XFRM_OWN_REQID_BASE) is updated. */
int
xfrm_sa_update(struct plat *p, const struct plat_sa *sa)
{
	struct xfrm_usersa_info info;
	int rc;

	if ((rc = get_sa(p, &sa->id, &info)) != 0)
		return rc;
	if (info.reqid != XFRM_OWN_REQID_BASE) {
		log_err(LOG_KNL, "SA spi 0x%08x is installed already, not "
		    "reserved", sa->id.spi);
		return IKE_ESTATE;
	}
	return send_sa(p, XFRM_MSG_UPDSA, sa);
}

static int
del_sa(struct plat *p, const struct xfrm_usersa_id *u, struct xnl_err *k)
{
	struct wr w;
	int rc;

	wr_init(&w, 0);
	xnl_begin(&w, XFRM_MSG_DELSA, 0, 0, u, sizeof(*u));
	xnl_end(&w);
	rc = xnl_request(p, &w, NULL, NULL, k);
	wr_free(&w);
	return rc;
}

int
xfrm_sa_delete(struct plat *p, const struct plat_sa_id *id)
{
	struct xfrm_usersa_id u;
	struct xnl_err k;
	int rc;

	fill_id(&u, id);
	rc = del_sa(p, &u, &k);
	if (rc == IKE_EKERNEL && (k.err == ESRCH || k.err == ENOENT))
		return IKE_ENOTFOUND;
	return sa_fail("delete", id, id->dst.family, rc, &k);
}

int
xfrm_sa_stats(struct plat *p, const struct plat_sa_id *id,
    struct plat_sa_stats *out)
{
	struct xfrm_usersa_info info;
	int rc;

	if ((rc = get_sa(p, id, &info)) != 0)
		return rc;
	out->bytes = info.curlft.bytes;
	out->packets = info.curlft.packets;
	out->last_use = info.curlft.use_time;
	return 0;
}

/* ------------------------------------------------------------ flush */

struct own_sas {
	struct xfrm_usersa_id	*v;	/* owned */
	size_t			 n, cap;
};

static int
collect_sa(const struct xnl_msg *m, void *arg)
{
	struct own_sas *o = arg;
	struct xfrm_usersa_info info;
	struct xfrm_usersa_id *nv;
	struct rd body = m->body;
	uint32_t core;

	if (m->type != XFRM_MSG_NEWSA)
		return 0;
	if (xnl_fixed(&body, &info, sizeof(info)) != 0)
		return IKE_EMALFORMED;
	if (!xfrm_reqid_is_own(info.reqid, &core))
		return 0;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		if ((nv = realloc(o->v, o->cap * sizeof(*nv))) == NULL)
			return IKE_ENOMEM;
		o->v = nv;
	}
	memset(&o->v[o->n], 0, sizeof(o->v[0]));
	o->v[o->n].daddr = info.id.daddr;
	o->v[o->n].spi = info.id.spi;
	o->v[o->n].family = info.family;
	o->v[o->n].proto = info.id.proto;
	o->n++;
	return 0;
}

/* Collects first, then deletes: deleting while the kernel walks its
 * table for the dump could make it skip entries. */
int
xfrm_sa_flush_own(struct plat *p, size_t *n)
{
	struct own_sas o = { NULL, 0, 0 };
	struct xnl_err k;
	size_t i;
	int rc;

	*n = 0;
	if ((rc = xnl_dump(p, XFRM_MSG_GETSA, collect_sa, &o, &k)) != 0) {
		log_err(LOG_KNL, "dump SAs: %s", rc == IKE_EKERNEL ?
		    strerror(k.err) : ike_strerror(rc));
		free(o.v);
		return rc == IKE_EKERNEL ? xnl_errno_map(k.err) : rc;
	}
	for (i = 0; i < o.n && rc == 0; i++) {
		rc = del_sa(p, &o.v[i], &k);
		if (rc == IKE_EKERNEL && k.err == ESRCH)
			rc = 0;		/* expired meanwhile */
		else if (rc == 0)
			(*n)++;
		else if (rc == IKE_EKERNEL) {
			log_err(LOG_KNL, "delete SA spi 0x%08x: %s",
			    ntohl(o.v[i].spi), strerror(k.err));
			rc = xnl_errno_map(k.err);
		}
	}
	free(o.v);
	return rc;
}
