/* core/daemon/status.c: what `ike` shows about the daemon itself.  Keys
 * are stable names (docs/control-protocol.md); values are strings. */
#include "status.h"

#include <stdio.h>
#include <time.h>

#include "../conf.h"
#include "../ctl/ctl_msg.h"
#include "../err.h"
#include "../log.h"
#include "../platform.h"
#include "../../db/db.h"
#include "ctl_server.h"
#include "isakmpd.h"

#ifndef IKE_VERSION
#define IKE_VERSION	"unknown"
#endif

static void
kv_u64(struct wr *w, const char *key, unsigned long long v)
{
	char b[24];

	(void)snprintf(b, sizeof(b), "%llu", v);	/* fits */
	ctl_put_kv(w, key, b);
}

static void
put_counters(const struct isakmpd *d, struct wr *w)
{
	const struct ctl_stats *st = ctl_server_stats(d->ctl);

	kv_u64(w, "clients", st->clients);
	kv_u64(w, "clients_max", CTL_SERVER_MAX_CLIENTS);
	kv_u64(w, "clients_idle_timeout", d->cfg.idle_s != 0 ? d->cfg.idle_s :
	    CTL_SERVER_IDLE_S);
	kv_u64(w, "clients_accepted", st->accepted);
	kv_u64(w, "clients_refused", st->refused);
	kv_u64(w, "requests", st->requests);
	kv_u64(w, "requests_usage", d->usage_replies);
	kv_u64(w, "dropped_bad_version", st->bad_version);
	kv_u64(w, "dropped_bad_header", st->bad_header);
	kv_u64(w, "dropped_too_long", st->too_long);
	kv_u64(w, "dropped_malformed", st->malformed);
	kv_u64(w, "dropped_truncated", st->truncated);
	kv_u64(w, "dropped_idle", st->idle);
	kv_u64(w, "reloads", d->reloads);
	kv_u64(w, "reload_failures", d->reload_failures);
}

static void
put_conf(void *arg, const char *key, const char *value)
{
	char k[64];

	(void)snprintf(k, sizeof(k), "conf.%s", key);	/* keys are short */
	ctl_put_kv(arg, k, value);
}

/* How many definitions the database holds now: read in a transaction of
 * its own, so a concurrent ikedb is seen as before or after, never half. */
static void
put_definitions(const struct isakmpd *d, struct wr *w)
{
	static const struct {
		const char	*key;
		enum db_type	 type;
	} kinds[] = {
		{ "definitions_phase1", DB_T_IKE_TUNNEL },
		{ "definitions_phase2", DB_T_IPSEC_TUNNEL },
	};
	struct db_txn *txn;
	uint64_t n;
	size_t i;
	int rc;

	if ((rc = db_read_begin(d->db, &txn)) != 0) {
		ctl_put_kv(w, "definitions", ike_strerror(rc));
		return;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if ((rc = db_count(txn, kinds[i].type, &n)) != 0)
			ctl_put_kv(w, kinds[i].key, ike_strerror(rc));
		else
			kv_u64(w, kinds[i].key, n);
	}
	db_abort(txn);
}

void
status_put(const struct isakmpd *d, struct wr *w)
{
	time_t now = time(NULL);

	ctl_put_kv(w, "version", IKE_VERSION);
	kv_u64(w, "protocol", CTL_VERSION);
	kv_u64(w, "pid", (unsigned long long)d->pid);
	ctl_put_kv(w, "backend", plat_name(d->plat));
	ctl_put_kv(w, "log_level", log_level_name(log_get_level()));
	ctl_put_kv(w, "database", d->cfg.db_dir);
	ctl_put_kv(w, "configuration", d->cfg.conf_path);
	ctl_put_kv(w, "configuration_state", d->conf_missing ?
	    "missing: defaults in use" : "read");
	ctl_put_kv(w, "socket", d->cfg.socket_path);
	ctl_put_kv(w, "pidfile", d->cfg.pidfile_path);
	kv_u64(w, "uptime", now > d->started ?
	    (unsigned long long)(now - d->started) : 0);
	put_definitions(d, w);
	put_counters(d, w);
	conf_foreach(&d->conf, put_conf, w);
}
