/* core/daemon/isakmpd.c: the daemon object: event loop, backend, control
 * server, signals (delivered by libevent into the loop, never handled
 * in an asynchronous handler) and configuration reloads. */
#include "isakmpd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "../err.h"
#include "../log.h"
#include "../platform.h"
#include "../../db/db.h"
#include "conf_file.h"
#include "ctl_server.h"
#include "requests.h"
#include "tunnel_req.h"
#include "tunnels.h"

static const int sig_nums[3] = { SIGHUP, SIGTERM, SIGINT };

struct warn_ctx {
	isakmpd_line_fn	*fn;
	void		*arg;
};

static void
warn_line(void *arg, const char *line)
{
	struct warn_ctx *w = arg;
	char b[CONF_MSG_LEN + 16];

	(void)snprintf(b, sizeof(b), "warning: %s", line);
	w->fn(w->arg, false, b);
}

/* The certificate files of nc in place of the old ones: the engine
 * takes the new ones first, so that it never holds freed ones. */
static int
reload_certs(struct isakmpd *d, const struct ike_conf *nc,
    isakmpd_line_fn *fn, void *arg)
{
	struct dcerts nd;
	char msg[DCERTS_MSG_LEN + 16], warn[DCERTS_MSG_LEN];
	int rc;

	if ((rc = dcerts_load(nc, geteuid(), &nd, msg, warn)) == 0 &&
	    (rc = tunnels_set_certs(d->tun, &nd)) != 0) {
		(void)snprintf(msg, sizeof(msg), "cannot hand the certificates "
		    "to the engine: %s", ike_strerror(rc));
		dcerts_free(&nd);
	}
	if (rc != 0) {
		fn(arg, true, msg);
		return rc;
	}
	dcerts_free(&d->certs);
	d->certs = nd;
	if (warn[0] != '\0') {
		(void)snprintf(msg, sizeof(msg), "warning: %s", warn);
		fn(arg, false, msg);
	}
	return 0;
}

int
isakmpd_reload(struct isakmpd *d, isakmpd_line_fn *fn, void *arg)
{
	struct warn_ctx wc = { fn, arg };
	struct conf_report rep;
	struct ike_conf nc;
	char line[CONF_MSG_LEN + 64];
	bool missing;
	int rc;

	if ((rc = conf_file_load(d->cfg.conf_path, &nc, &missing, &rep)) != 0)
		fn(arg, true, rep.error);
	else
		rc = reload_certs(d, &nc, fn, arg);
	if (rc != 0) {
		d->reload_failures++;
		(void)snprintf(line, sizeof(line), "configuration not changed: "
		    "log level stays %s%s", log_level_name(d->conf.log_level),
		    d->certs.own != NULL || d->certs.store != NULL ?
		    ", the certificates loaded before stay" : "");
		fn(arg, true, line);
		return rc;
	}
	d->reloads++;
	d->conf = nc;
	d->conf_missing = missing;
	log_open("isakmpd");
	log_set_level(nc.log_level);
	if (missing)
		(void)snprintf(line, sizeof(line), "log level set to %s (from "
		    "defaults: %s does not exist)",
		    log_level_name(nc.log_level), d->cfg.conf_path);
	else
		(void)snprintf(line, sizeof(line), "log level set to %s (from "
		    "%s)", log_level_name(nc.log_level), d->cfg.conf_path);
	fn(arg, false, line);
	conf_file_warnings(&rep, warn_line, &wc);
	if (d->certs.own != NULL || d->certs.store != NULL) {
		dcerts_describe(&d->certs, &d->conf, line, sizeof(line));
		fn(arg, false, line);
	}
	return 0;
}

static void
log_line(void *arg, bool error, const char *line)
{
	(void)arg;
	if (error)
		log_err(LOG_CFG, "SIGHUP: %s", line);
	else
		log_info(LOG_CFG, "SIGHUP: %s", line);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct isakmpd *d = arg;

	(void)what;
	if (sig == SIGHUP) {
		/* Success or failure, each line is logged. */
		(void)isakmpd_reload(d, log_line, d);
		return;
	}
	log_info(LOG_IKE, "signal %d: stopping", (int)sig);
	if (event_base_loopbreak(d->base) != 0)
		log_err(LOG_IKE, "cannot stop the event loop");
}

static int
add_signals(struct isakmpd *d)
{
	size_t i;

	for (i = 0; i < sizeof(sig_nums) / sizeof(sig_nums[0]); i++) {
		d->sig[i] = evsignal_new(d->base, sig_nums[i], on_signal, d);
		if (d->sig[i] == NULL || event_add(d->sig[i], NULL) != 0)
			return IKE_ESYS;
	}
	return 0;
}

static int
start_ctl(struct isakmpd *d)
{
	struct ctl_server_cfg sc = {
		.fd = d->cfg.ctl_fd,
		.idle_s = d->cfg.idle_s,
		.handler = requests_handle,
		.arg = d,
	};

	return ctl_server_new(d->base, &sc, &d->ctl);
}

/* Kernel upcalls; the engine exists from isakmpd_new() on, and upcalls
 * come from the event loop only, which runs after it. */
static void
up_expired(void *arg, const struct plat_sa_id *id, bool hard)
{
	struct isakmpd *d = arg;

	if (d->tun != NULL)
		tunnels_sa_expired(d->tun, id, hard);
}

static void
up_acquire(void *arg, uint32_t reqid, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	struct isakmpd *d = arg;

	(void)src;
	(void)dst;
	if (d->tun != NULL)
		tunnels_acquire(d->tun, reqid);
}

/* A daemon killed without cleaning up (kill -9, a crash) left SAs and
 * policies in the kernel that nothing will refresh or remove: the
 * backend recognises them as ours, and they go before anything new. */
static int
flush_left_behind(struct isakmpd *d)
{
	char why[256];
	int rc;

	if ((rc = plat_flush_own(d->plat)) != 0)
		return rc;
	/* A kernel without ESP is said once, here, by name; the daemon
	 * still runs (listing, the control socket) but no tunnel will. */
	if (plat_kernel_check(d->plat, why, sizeof(why)) != 0)
		log_err(LOG_KNL, "%s", why);
	return 0;
}

int
isakmpd_new(const struct isakmpd_cfg *cfg, struct isakmpd **out, char *err,
    size_t errlen)
{
	struct plat_upcalls up;
	struct isakmpd *d;
	char dberr[512];
	int rc;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		struct dcerts c = cfg->certs;	/* ours, success or not */

		dcerts_free(&c);
		snprintf(err, errlen, "out of memory");
		return IKE_ENOMEM;
	}
	d->cfg = *cfg;
	d->certs = cfg->certs;	/* moved: d->cfg's copy is not used */
	memset(&d->cfg.certs, 0, sizeof(d->cfg.certs));
	d->conf = cfg->conf;
	d->conf_missing = cfg->conf_missing;
	d->pid = (long)getpid();
	d->started = time(NULL);
	memset(&up, 0, sizeof(up));
	up.sa_expired = up_expired;
	up.acquire = up_acquire;
	up.arg = d;
	if ((d->base = event_base_new()) == NULL) {
		snprintf(err, errlen, "cannot create the event loop");
		rc = IKE_ESYS;
	} else if ((rc = plat_open(cfg->backend, d->base, &up,
	    &d->plat)) != 0) {
		snprintf(err, errlen, "cannot open backend %s: %s",
		    cfg->backend, ike_strerror(rc));
	} else if ((rc = flush_left_behind(d)) != 0) {
		snprintf(err, errlen, "cannot remove the kernel state an "
		    "earlier run left behind: %s", ike_strerror(rc));
	} else if ((rc = db_open(cfg->db_dir, DB_OPEN_CREATE, &d->db, dberr,
	    sizeof(dberr))) != 0) {
		snprintf(err, errlen, "%s", dberr);
	} else if ((rc = tunnels_new(d, &d->tun)) != 0) {
		snprintf(err, errlen, "cannot start the IKE engine: %s",
		    ike_strerror(rc));
	} else if ((rc = add_signals(d)) != 0) {
		snprintf(err, errlen, "cannot watch signals");
	} else if ((rc = start_ctl(d)) != 0) {
		snprintf(err, errlen, "cannot serve %s: %s", cfg->socket_path,
		    ike_strerror(rc));
	}
	if (rc != 0) {
		isakmpd_free(d);	/* the fd is still the caller's */
		return rc;
	}
	if (d->certs.own != NULL || d->certs.store != NULL) {
		dcerts_describe(&d->certs, &d->conf, err, errlen);
		log_info(LOG_CFG, "%s", err);
		err[0] = '\0';
	}
	log_info(LOG_IKE, "isakmpd started: backend %s, socket %s, database "
	    "%s, configuration %s%s, pid %ld", cfg->backend, cfg->socket_path,
	    cfg->db_dir, cfg->conf_path, d->conf_missing ? " (missing: "
	    "defaults)" : "", d->pid);
	*out = d;
	return 0;
}

int
isakmpd_run(struct isakmpd *d)
{
	treq_autostart(d);
	if (event_base_dispatch(d->base) < 0) {
		log_err(LOG_IKE, "the event loop failed");
		return IKE_ESYS;
	}
	return 0;
}

void
isakmpd_free(struct isakmpd *d)
{
	size_t i;

	if (d == NULL)
		return;
	ctl_server_free(d->ctl);
	tunnels_free(d->tun);
	dcerts_free(&d->certs);		/* the engine is gone */
	if (d->plat != NULL && d->tun != NULL)	/* what the engine missed */
		(void)plat_flush_own(d->plat);
	for (i = 0; i < sizeof(d->sig) / sizeof(d->sig[0]); i++) {
		if (d->sig[i] != NULL)
			event_free(d->sig[i]);
	}
	plat_close(d->plat);
	db_close(d->db);
	if (d->base != NULL)
		event_base_free(d->base);
	free(d);
}
