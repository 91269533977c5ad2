/* tests/daemon/daemon_util.h: running a real isakmpd under test: a
 * scratch directory with its socket, database, configuration and stderr
 * log, start and stop, and control requests to it. */
#ifndef IKE_DAEMON_UTIL_H
#define IKE_DAEMON_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/codec/wr.h"
#include "core/ctl/ctl_msg.h"

#define TD_PATH	512

struct td {
	char	dir[TD_PATH];		/* scratch directory */
	char	sock[TD_PATH], db[TD_PATH], conf[TD_PATH];
	char	pidfile[TD_PATH];	/* the default for sock */
	char	errlog[TD_PATH];	/* the daemon's stderr */
	pid_t	pid;			/* running daemon, or 0 */
	int	status;			/* exit status once reaped, or -1 */
};

/* Makes the scratch directory and the paths; no conf file is written. */
int	td_init(struct td *, const char *tag);
/* Kills a running daemon (SIGKILL), reaps it, removes the directory. */
void	td_cleanup(struct td *);

/* Starts isakmpd -d -K mem -S sock -D db -f conf [extra...] with its
 * stderr going to errlog, env (NAME=value, NULL-ended, or NULL) added,
 * and waits until the socket answers.  0 when it serves; -1 when it
 * exited (status set) or did not answer within 10 s. */
int	td_start(struct td *, const char *const *extra,
	    const char *const *env);
/* Starts isakmpd with exactly args (and env added), stderr to errlog,
 * and waits until t->sock answers; as td_start(). */
int	td_spawn(struct td *, const char *const *args,
	    const char *const *env);
/* Sends sig and waits (10 s at most) for the exit; the exit status, or
 * 128 + signal, or -1. */
int	td_stop(struct td *, int sig);
/* Whether the daemon still runs (reaps it if not). */
int	td_alive(struct td *);

/* Runs isakmpd with exactly these arguments (no -d added) and collects
 * its exit status and stderr (caller frees *err).  For start-up errors. */
int	td_run_fail(const char *const *args, const char *const *env,
	    char **err);

/* One request on a new connection; *buf freed by the caller.  Returns
 * the ctl_client_call() result. */
int	td_call(const char *sock, struct wr *req, uint8_t **buf,
	    struct ctl_msg *reply);
/* A request of type with no attributes; returns its CTL_A_RESULT, or -1.
 * The first message line is copied to msg if msg is not NULL. */
int	td_simple(const char *sock, uint8_t type, char *msg, size_t len);
/* Value of key in a STATUS reply; 0 or -1. */
int	td_status(const char *sock, const char *key, char *val, size_t len);
/* A numeric STATUS value, or UINT64_MAX on any failure. */
uint64_t td_counter(const char *sock, const char *key);

/* Connects, sends n raw bytes and waits up to timeout_ms for the daemon
 * to close the connection.  1 closed, 0 still open, -1 error.  Bytes
 * received meanwhile go to rx (if not NULL, up to rxlen; *got set). */
int	td_raw(const char *sock, const void *bytes, size_t n, int timeout_ms,
	    uint8_t *rx, size_t rxlen, size_t *got);

/* cmocka fixtures.  td_fixture() puts a new struct td in *state, writes
 * conf_text (if not NULL) to its configuration and, if start, starts the
 * daemon with env added; 0 or -1.  td_fixture_free() stops and removes
 * it. */
int	td_fixture(void **state, const char *tag, const char *conf_text,
	    const char *const *env, int start);
int	td_fixture_free(void **state);

/* The daemon's stderr so far; caller frees. */
char	*td_errlog(const struct td *);
/* Sleeps ms milliseconds. */
void	td_sleep_ms(int ms);

#endif
