/* platform/linux/linux_probe.c: plat_kernel_check() for Linux: can the
 * kernel carry ESP tunnels?  A child process moves into a network
 * namespace of its own (nothing it adds outlives it, nothing of the
 * host's is touched) and adds two ESP SAs through this backend: one
 * with AES-CBC and HMAC-SHA2-256 (needs ESP: CONFIG_INET_ESP / esp4),
 * one with AES-GCM (needs CONFIG_CRYPTO_GCM).  Its exit status says
 * which failed; the parent turns that into one sentence. */
#include "linux.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/crypto/cipher.h"
#include "../../core/crypto/ike_key.h"
#include "../../core/crypto/integ.h"
#include "../../core/err.h"
#include "../../core/log.h"

enum probe_exit {
	PROBE_OK = 0,
	PROBE_NO_ESP = 10,
	PROBE_NO_GCM = 11,
	PROBE_NO_NETNS = 12,	/* cannot look: not an answer */
	PROBE_FAILED = 13,	/* something else refused: idem */
};

/* An ESP tunnel SA 192.0.2.1 -> 192.0.2.2 (RFC 5737 documentation
 * addresses, in the throw-away namespace) with fixed probe keys. */
static int
probe_sa(struct plat *p, uint32_t spi, bool gcm)
{
	static const uint8_t k[36] = { 1, 2, 3, 4 };	/* not secret */
	struct ike_key *ek = NULL, *ak = NULL;	/* owned */
	struct plat_sa sa;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.id.dst.family = sa.src.family = AF_INET;
	memcpy(sa.src.addr, (const uint8_t[]){ 192, 0, 2, 1 }, 4);
	memcpy(sa.id.dst.addr, (const uint8_t[]){ 192, 0, 2, 2 }, 4);
	sa.id.spi = spi;
	sa.id.proto = IPPROTO_ESP;
	sa.reqid = 1;
	sa.dir = PLAT_OUT;
	sa.mode = PLAT_TUNNEL;
	sa.encr_alg = gcm ? ENCR_AES_GCM_16 : ENCR_AES_CBC;
	if (!gcm)
		sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	if ((rc = ike_key_from(k, gcm ? 36 : 32, &ek)) == 0 &&
	    (gcm || (rc = ike_key_from(k, 32, &ak)) == 0)) {
		sa.encr_key = ek;
		sa.integ_key = ak;
		rc = xfrm_sa_add(p, &sa);
	}
	ike_key_free(ek);
	ike_key_free(ak);
	return rc;
}

/* The child: never returns. */
static void
probe_child(void)
{
	struct plat p;
	int rc;

	log_set_level(LOGLVL_NONE);	/* the parent speaks */
	if (unshare(CLONE_NEWNET) != 0)
		_exit(PROBE_NO_NETNS);
	memset(&p, 0, sizeof(p));
	p.ops = &plat_linux_ops;
	p.fd = p.ev_fd = -1;
	p.rbuf_len = XFRM_RBUF_LEN;
	if ((p.rbuf = malloc(p.rbuf_len)) == NULL ||
	    xnl_socket(0, false, &p.fd) != 0)
		_exit(PROBE_FAILED);
	if ((rc = probe_sa(&p, 0x1001, false)) != 0)
		_exit(rc == IKE_EUNSUPP ? PROBE_NO_ESP : PROBE_FAILED);
	if ((rc = probe_sa(&p, 0x1002, true)) != 0)
		_exit(rc == IKE_EUNSUPP ? PROBE_NO_GCM : PROBE_FAILED);
	_exit(PROBE_OK);
}

int
linux_kernel_check(struct plat *p, char *why, size_t n)
{
	pid_t pid;
	int st;

	(void)p;
	if ((pid = fork()) == -1)
		return 0;		/* cannot tell */
	if (pid == 0)
		probe_child();
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return 0;
	if (!WIFEXITED(st))
		return 0;
	switch (WEXITSTATUS(st)) {
	case PROBE_NO_ESP:
		snprintf(why, n, "the kernel lacks ESP support "
		    "(CONFIG_INET_ESP / esp4): no tunnel can be installed");
		return IKE_EUNSUPP;
	case PROBE_NO_GCM:
		snprintf(why, n, "the kernel lacks AES-GCM (CONFIG_CRYPTO_GCM "
		    "/ gcm): tunnels with AES-GCM cannot be installed");
		return IKE_EUNSUPP;
	default:
		return 0;
	}
}
