/* core/daemon/isakmpd.h: the running daemon: its event loop, platform
 * backend, control server, signal events and configuration.  main.c
 * prepares the paths, the pidfile and the listening socket, then hands
 * them over here. */
#ifndef IKE_ISAKMPD_H
#define IKE_ISAKMPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../conf.h"
#include "certs.h"

struct event;
struct event_base;
struct plat;
struct ctl_server;
struct db;
struct tunnels;

struct isakmpd_cfg {
	/* Borrowed: valid as long as the daemon runs. */
	const char	*backend, *socket_path, *pidfile_path;
	const char	*db_dir, *conf_path;
	int		 ctl_fd;	/* listening; the daemon's on success */
	unsigned	 idle_s;	/* control clients; 0: the default */
	struct ike_conf	 conf;		/* as read at start */
	bool		 conf_missing;	/* no file: defaults */
	struct dcerts	 certs;		/* its files, loaded (main.c):
					 * moved into the daemon by
					 * isakmpd_new(), success or not */
};

struct isakmpd {
	struct isakmpd_cfg	 cfg;
	struct event_base	*base;		/* owned */
	struct plat		*plat;		/* owned */
	struct ctl_server	*ctl;		/* owned */
	struct db		*db;		/* owned: the definitions */
	struct tunnels		*tun;		/* owned: engine, sockets,
						 * active tunnels */
	struct event		*sig[3];	/* owned: HUP, TERM, INT */
	struct ike_conf		 conf;		/* in force */
	bool			 conf_missing;
	struct dcerts		 certs;		/* owned: conf's certificate
						 * files, the engine borrows
						 * them */
	time_t			 started;
	long			 pid;
	uint64_t		 usage_replies;	/* requests answered USAGE */
	uint64_t		 reloads, reload_failures;
};

/* Creates the event loop (call it after any fork), opens the backend and
 * the definition database (created if missing) and starts serving
 * cfg->ctl_fd.  On failure err says why: IKE_ENOTFOUND
 * for an unknown backend, others for system failures. */
int	isakmpd_new(const struct isakmpd_cfg *, struct isakmpd **out,
	    char *err, size_t errlen);
/* Runs until SIGTERM or SIGINT: 0, or IKE_ESYS if the loop failed. */
int	isakmpd_run(struct isakmpd *);
/* Closes clients, the listening socket and the backend; NULL is fine.
 * The socket file and the pidfile are main's. */
void	isakmpd_free(struct isakmpd *);

/* Re-reads the configuration file and the certificate files it names.
 * On success both are in force (the engine gets the new certificates),
 * syslog is reopened at its log level, and the lines for the user say so
 * (and carry any warnings); on failure of either the old configuration
 * and certificates stay and the lines say why.  Returns 0, the
 * conf_file_load() error or the dcerts_load() error. */
typedef void	isakmpd_line_fn(void *arg, bool error, const char *line);
int	isakmpd_reload(struct isakmpd *, isakmpd_line_fn *, void *arg);

#endif
