/* bench/bench_daemon.h: the benchmark against a running responder
 * daemon (isakmpd -K mem) over UDP on loopback.  See
 * docs/performance.md. */
#ifndef IKE_BENCH_DAEMON_H
#define IKE_BENCH_DAEMON_H

#include <stdbool.h>

struct bench_cert;
struct bench_suite;

struct bd_opts {
	const struct bench_suite *suite;	/* protocol, algorithms */
	const struct bench_cert	*bc;	/* a signature suite's certificates
					 * (bench_cert.h); NULL: PSK */
	unsigned long	 n;		/* tunnels, all kept up */
	unsigned long	 window;	/* handshakes in flight */
	const char	*bindir;	/* isakmpd, ikedb, ike */
	bool		 keep;		/* leave the scratch directory */
	bool		 verbose;	/* log_level=information */
};

/* 0 when every tunnel came up and the daemon lists them all; prints
 * the figures on stdout, problems on stderr. */
int	bench_daemon(const struct bd_opts *);

#endif
