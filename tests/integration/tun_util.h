/* tests/integration/tun_util.h: two real isakmpd processes (-K mem),
 * each in its own network namespace joined by a veth pair (192.0.2.1/24
 * and 192.0.2.2/24), driven only through ikedb and ike run inside the
 * namespaces.  Namespaces and links get names unique to the process and
 * are removed even when a test fails.  Needs root and `ip netns`. */
#ifndef IKE_TUN_UTIL_H
#define IKE_TUN_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/daemon/daemon_util.h"
#include "tests/lib/testutil.h"

#define TUN_WAIT_STEPS	100	/* polls of 100 ms */

struct tun_side {
	char		 ns[32], link[16];
	const char	*addr, *peer;
	struct td	 td;
};

struct tun_fx {
	struct tun_side	 s[2];	/* [0] 192.0.2.1 (initiator), [1] .2 */
	bool		 ns_made;
};

/* Polls tun_wait_list() makes (TUN_WAIT_STEPS unless changed). */
extern int tun_wait_steps;

/* Runs a program with env added (20 s at most); 0 if it ran. */
int	tun_run(const char *const *argv, const char *const *env,
	    struct tu_result *res);
/* ip ARGS... (up to 8, NULL-ended): 0 when it exited 0. */
int	tun_ip(const char *a1, const char *a2, const char *a3, const char *a4,
	    const char *a5, const char *a6, const char *a7, const char *a8);
/* Adds another address (with prefix, "192.0.2.3/24") to the side's
 * link; fails the test if ip does. */
void	tun_addr_add(struct tun_side *, const char *prefix);

/* cmocka fixture: namespaces, link and scratch directories (tags "tunA",
 * "tunB"); no daemon yet.  *state gets a struct tun_fx. */
int	tun_setup(void **state);
int	tun_teardown(void **state);

/* ikedb flags with xml on standard input against the side's database;
 * fails the test unless it exits 0. */
void	tun_ikedb_put(struct tun_side *, const char *flags, const char *xml);
/* `ip netns exec NS ike ARGS` (up to 4, NULL-ended) with IKE_SOCKET
 * set; the caller frees *res. */
void	tun_ike(struct tun_side *, const char *a1, const char *a2,
	    const char *a3, const char *a4, struct tu_result *res);
/* Starts isakmpd inside the side's namespace and waits until it answers
 * on its socket. */
void	tun_daemon_start(struct tun_side *);
/* The same with conf_extra (KEY=value lines, each ending in a newline;
 * NULL for none) appended to the configuration it writes. */
void	tun_daemon_start_conf(struct tun_side *, const char *conf_extra);
/* Kills the side's daemon with SIGKILL (no clean-up of its own) and
 * fails the test unless it died of it; it may be started again. */
void	tun_daemon_kill(struct tun_side *);
/* Both daemons exit 0 on SIGTERM (and, under ASan, without leaks). */
void	tun_stop_both(struct tun_fx *);

/* Polls `ike cmd=list [a2]` until its output holds every needle (up to
 * 3, NULL-ended) or tun_wait_steps polls passed; returns the last
 * output (caller frees). */
char	*tun_wait_list(struct tun_side *, const char *a2, const char *n1,
	    const char *n2, const char *n3);
/* Polls until `ike cmd=list` prints nothing; fails the test if it never
 * does. */
void	tun_wait_empty(struct tun_side *);
/* Polls until the daemon's log holds needle (about 10 s); fails the
 * test, printing the log, if it never does. */
void	tun_log_has(struct tun_side *, const char *needle);
/* `ike a1 a2 a3` on s exits 0; else its output and the daemon's log
 * are shown and the test fails. */
void	tun_ike_ok(struct tun_side *, const char *a1, const char *a2,
	    const char *a3);

/* For main(): 0 when this process is root and `ip netns` works, else
 * says which is missing (naming prog) and returns 1. */
int	tun_check_env(const char *prog);

#endif
