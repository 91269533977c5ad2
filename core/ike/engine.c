/* core/ike/engine.c: the engine object, its entry points and the SA
 * lifecycle around the exchanges of core/exchange (IKEv2) and
 * core/exchange1 (IKEv1): each entry point hands an SA to the code of
 * its version. */
#include "core/ike/engine.h"

#include <stdlib.h>
#include <string.h>

#include "core/crypto/cert.h"
#include "core/exchange/exchange.h"
#include "core/exchange1/v1.h"
#include "core/err.h"
#include "core/log.h"
#include "core/secmem.h"

#define HALF_OPEN_MAX_DEFAULT	1000
#define COOKIE_ROTATE_DEFAULT	(3600 * 1000ULL)
#define HALF_OPEN_MS_DEFAULT	(30 * 1000ULL)

int
engine_new(struct plat *plat, const struct engine_callbacks *cb,
    const struct engine_limits *lim, struct ike_engine **out)
{
	struct ike_engine *eng;
	int rc;

	if (plat == NULL || cb == NULL || cb->send == NULL ||
	    cb->ike_cfg == NULL)
		return IKE_EINVAL;
	if ((eng = calloc(1, sizeof(*eng))) == NULL)
		return IKE_ENOMEM;
	eng->plat = plat;
	eng->cb = *cb;
	if (lim != NULL)
		eng->lim = *lim;
	if (eng->lim.half_open_max == 0)
		eng->lim.half_open_max = HALF_OPEN_MAX_DEFAULT;
	if (eng->lim.cookie_rotate_ms == 0)
		eng->lim.cookie_rotate_ms = COOKIE_ROTATE_DEFAULT;
	if (eng->lim.half_open_ms == 0)
		eng->lim.half_open_ms = HALF_OPEN_MS_DEFAULT;
	if ((rc = sa_table_new(&eng->sas)) != 0) {
		free(eng);
		return rc;
	}
	*out = eng;
	return 0;
}

static bool
is_v1(const struct ike_sa *sa)
{
	return sa->version == IKE_VERSION_1;
}

static void
sa_kill(struct ike_engine *eng, struct ike_sa *sa, const char *reason)
{
	if (is_v1(sa))
		v1_kill(eng, sa, 0, reason);
	else
		xchg_kill(eng, sa, 0, reason);
}

static uint64_t
sa_deadline(const struct ike_engine *eng, const struct ike_sa *sa)
{
	return is_v1(sa) ? v1_deadline(eng, sa) : xchg_deadline(eng, sa);
}

static void
teardown(struct ike_sa *sa, void *arg)
{
	struct ike_engine *eng = arg;

	sa_kill(eng, sa, "engine stopped");
	sa_table_remove(eng->sas, sa);
	ike_sa_free(sa);
}

void
engine_free(struct ike_engine *eng)
{
	if (eng == NULL)
		return;
	sa_table_foreach(eng->sas, teardown, eng);
	sa_table_free(eng->sas);
	free(eng->certreq);
	secmem_wipe(eng->secret, sizeof(eng->secret));
	secmem_wipe(eng->old_secret, sizeof(eng->old_secret));
	free(eng);
}

int
engine_set_certs(struct ike_engine *eng, const struct cert_own *own,
    const struct cert_store *store)
{
	uint8_t *req = NULL;
	size_t len = 0;
	int rc;

	if (own != NULL && cert_own_cert(own, 0) == NULL)
		return IKE_EINVAL;
	if (store != NULL && (rc = cert_store_certreq(store, &req, &len)) != 0)
		return rc;
	free(eng->certreq);
	eng->certreq = req;
	eng->certreq_len = len;
	eng->own = own;
	eng->store = store;
	return 0;
}

/* Catches up with the SAs touched since the last call: frees the dead
 * ones and files the others in the deadline heap (which cannot fail:
 * sa_table keeps a place for every SA). */
static void
reap(struct ike_engine *eng)
{
	struct ike_sa *sa;

	while ((sa = sa_table_touched_next(eng->sas)) != NULL) {
		if (sa->state == IKE_SA_DEAD) {
			sa_table_remove(eng->sas, sa);
			ike_sa_free(sa);
			continue;
		}
		(void)sa_table_set_deadline(eng->sas, sa,
		    sa_deadline(eng, sa));
	}
}

void
engine_input(struct ike_engine *eng, uint64_t now_ms,
    const struct ike_addr *remote, const struct ike_addr *local,
    const uint8_t *buf, size_t len)
{
	eng->now_ms = now_ms;
	if (v1_is_v1(buf, len))
		v1_input(eng, remote, local, buf, len);
	else
		xchg_input(eng, remote, local, buf, len);
	reap(eng);
}

/* Only the SAs whose deadline has come, each once; the dead among
 * them (never in the heap) are left for reap(), as xchg_tick() leaves
 * them alone. */
void
engine_tick(struct ike_engine *eng, uint64_t now_ms)
{
	struct ike_sa *sa;

	eng->now_ms = now_ms;
	reap(eng);
	while ((sa = sa_table_pop_due(eng->sas, now_ms)) != NULL) {
		if (is_v1(sa))
			v1_tick(eng, sa);
		else
			xchg_tick(eng, sa);
	}
	reap(eng);
}

struct deadline {
	const struct ike_engine	*eng;
	uint64_t		 t;
};

static void
deadline_one(const struct ike_sa *sa, void *arg)
{
	struct deadline *d = arg;
	uint64_t t = sa_deadline(d->eng, sa);

	if (t < d->t)
		d->t = t;
}

/* The heap's earliest, and the SAs touched by calls that did not catch
 * up (engine_initiate(), the calls by handle) as they are now. */
uint64_t
engine_next_deadline(const struct ike_engine *eng)
{
	struct deadline d = { eng, sa_table_next_deadline(eng->sas) };

	sa_table_touched_foreach(eng->sas, deadline_one, &d);
	return d.t;
}

int
engine_initiate(struct ike_engine *eng, const struct ike_cfg *cfg,
    const struct child_cfg *ccfg, uint64_t now_ms, uint32_t *handle)
{
	struct ike_sa *sa;
	const char *why;
	int rc;

	if (cfg == NULL || ccfg == NULL)
		return IKE_EINVAL;
	eng->now_ms = now_ms;
	if (cfg->version == IKE_VERSION_1)
		return v1_initiate(eng, cfg, ccfg, handle);
	if (cfg->version != 0 && cfg->version != IKE_VERSION_2)
		return IKE_EUNSUPP;
	if ((rc = ike_cfg_check(cfg)) != 0 ||
	    (rc = child_cfg_check(ccfg)) != 0)
		return rc;
	if ((rc = ike_sa_new(true, IKE_SA_INIT_SENT, &sa)) != 0)
		return rc;
	sa->cfg = *cfg;
	if ((why = auth_sig_cfg(eng, &sa->cfg)) != NULL) {
		log_err(LOG_CFG, "cannot start an IKE SA: %s", why);
		ike_sa_free(sa);
		return IKE_EINVAL;
	}
	sa->ccfg = *ccfg;
	sa->have_ccfg = true;
	sa->local = cfg->local;
	sa->remote = cfg->remote;
	sa->dh_group = cfg->dh[0];
	sa->handle = ++eng->next_handle;
	sa->created_ms = now_ms;
	if ((rc = sa_table_add(eng->sas, sa)) != 0) {
		ike_sa_free(sa);
		return rc;
	}
	if ((rc = sa_init_start(eng, sa)) != 0) {
		sa_table_remove(eng->sas, sa);
		ike_sa_free(sa);
		return rc;
	}
	*handle = sa->handle;
	return 0;
}

static struct ike_sa *
by_handle(struct ike_engine *eng, uint32_t handle, uint64_t now_ms)
{
	struct ike_sa *sa;

	eng->now_ms = now_ms;
	sa = sa_table_find_handle(eng->sas, handle);
	sa_table_touch(eng->sas, sa);	/* the caller changes it */
	return sa;
}

int
engine_delete_child(struct ike_engine *eng, uint32_t handle,
    uint32_t spi_in, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (sa == NULL)
		return IKE_ENOTFOUND;
	if (is_v1(sa))
		return v1_info_delete_child(eng, sa, spi_in);
	return info_delete_child(eng, sa, spi_in);
}

int
engine_delete_ike(struct ike_engine *eng, uint32_t handle, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (sa == NULL)
		return IKE_ENOTFOUND;
	if (is_v1(sa))
		return v1_info_delete_ike(eng, sa, true);
	return info_delete_ike(eng, sa);
}

int
engine_liveness(struct ike_engine *eng, uint32_t handle, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (sa == NULL)
		return IKE_ENOTFOUND;
	return is_v1(sa) ? v1_dpd_send(eng, sa) : info_liveness(eng, sa);
}

int
engine_create_child(struct ike_engine *eng, uint32_t handle,
    const struct child_cfg *ccfg, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (ccfg == NULL)
		return IKE_EINVAL;
	if (sa == NULL)
		return IKE_ENOTFOUND;
	if (is_v1(sa))
		return v1_qm_start(eng, sa, ccfg, 0);
	return ccsa_start(eng, sa, ccfg, 0);
}

int
engine_rekey_child(struct ike_engine *eng, uint32_t handle, uint32_t spi_in,
    uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (spi_in == 0 || sa == NULL)
		return IKE_ENOTFOUND;
	if (is_v1(sa))
		return v1_qm_start(eng, sa, NULL, spi_in);
	return ccsa_start(eng, sa, NULL, spi_in);
}

int
engine_rekey_ike(struct ike_engine *eng, uint32_t handle, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (sa == NULL)
		return IKE_ENOTFOUND;
	return is_v1(sa) ? v1_rekey_ike(eng, sa) : ike_rekey_start(eng, sa);
}

const struct engine_stats *
engine_stats(const struct ike_engine *eng)
{
	return &eng->st;
}

const struct ike_sa *
engine_sa(const struct ike_engine *eng, uint32_t handle)
{
	return sa_table_find_handle(eng->sas, handle);
}

size_t
engine_sa_count(const struct ike_engine *eng)
{
	return sa_table_count(eng->sas);
}

/* ------------------------------------------- kernel expiry, retiring */

struct expiry_hit {
	const struct plat_sa_id	*id;
	struct ike_sa		*sa;	/* borrowed: where it was found */
	struct child_sa		*child;
};

static void
expiry_find(struct ike_sa *sa, void *arg)
{
	struct expiry_hit *h = arg;
	struct child_sa *c;

	if (h->child != NULL || sa->state == IKE_SA_DEAD)
		return;
	for (c = sa->children; c != NULL; c = c->next)
		if (child_has_sa(sa, c, h->id)) {
			h->sa = sa;
			h->child = c;
			return;
		}
}

int
engine_sa_expired(struct ike_engine *eng, const struct plat_sa_id *id,
    bool hard, uint64_t now_ms)
{
	struct expiry_hit h = { id, NULL, NULL };

	if (id == NULL)
		return IKE_EINVAL;
	eng->now_ms = now_ms;
	sa_table_foreach(eng->sas, expiry_find, &h);
	if (h.child == NULL) {
		log_dbg(LOG_KNL, "%s expiry of SPI 0x%08x: not ours",
		    hard ? "hard" : "soft", id->spi);
		return IKE_ENOTFOUND;
	}
	sa_table_touch(eng->sas, h.sa);		/* changed below */
	if (is_v1(h.sa))
		v1_qm_expired(eng, h.sa, h.child, hard);
	else
		ccsa_expired(eng, h.sa, h.child, hard);
	return 0;
}

int
engine_retire_ike(struct ike_engine *eng, uint32_t handle, uint64_t now_ms)
{
	struct ike_sa *sa = by_handle(eng, handle, now_ms);

	if (sa == NULL)
		return IKE_ENOTFOUND;
	return is_v1(sa) ? v1_retire(eng, sa) : ccsa_retire(eng, sa);
}
