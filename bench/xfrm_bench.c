/* bench/xfrm_bench.c: ike_xfrm_bench, the cost of installing and removing
 * Child SA pairs with their policies through the Linux backend (XFRM
 * over netlink), the way the engine does it (core/exchange/child.c):
 *
 *   install  plat_spi_alloc() for the inbound SPI, plat_sa_update() of
 *            that reserved inbound SA, plat_sa_add() of the outbound one
 *            (AES-GCM-16-256 with its salt, ESN, replay window 32,
 *            tunnel mode, 8 h lifetime), the out, in and fwd policies
 *   remove   the three policies, the outbound SA, the inbound SA
 *
 * Pair i has reqid i + 1, the selectors 10.0.0.0 + i/32 (local) and
 * 172.16.0.0 + i/32 (remote) and the tunnel 192.0.2.1 <-> 192.0.2.2, so
 * no two pairs collide; with -p peers, the remote end of the tunnel is
 * 198.18.0.1 + i % peers instead, so that the SAs are spread over that
 * many peers.  All pairs are installed, then all removed; each
 * phase is timed as a whole (CLOCK_MONOTONIC) and per call kind.
 *
 * The program first moves into a network namespace of its own
 * (unshare(CLONE_NEWNET)): it never sees or touches the state of the
 * namespace it was started in, and whatever a failed run leaves behind
 * goes away with the namespace when the program exits.  Needs root
 * (CAP_SYS_ADMIN, CAP_NET_ADMIN) and a kernel with ESP and GCM; run it
 * in tests/vm's VM through bench/xfrm_bench.sh (docs/performance.md).
 *
 * A benchmark, not a test: not registered with ctest.  Exit status 0,
 * 1 if any call failed (with the backend's message), 2 for bad usage. */
#include <sys/socket.h>
#include <sys/utsname.h>
#include <netinet/in.h>

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/err.h"
#include "core/log.h"
#include "core/platform.h"

#define XB_MAX		1000000ul	/* pairs: 172.16.0.0/12 holds 2^20 */
#define XB_DEFAULT	2000ul
#define XB_PEERS	65535ul		/* in 198.18.0.0/15 */
#define XB_KEY_LEN	36		/* AES-256 key + 4-octet salt */
#define XB_WINDOW	32		/* as core/exchange/child.c */
#define XB_HARD_S	28800		/* 8 h */
#define XB_SOFT_S	25920		/* 90% of it */

enum xb_op {
	OP_SPI_ALLOC, OP_SA_UPDATE, OP_SA_ADD, OP_POLICY_ADD,
	OP_POLICY_DELETE, OP_SA_DELETE, OP_N
};

static const char *const op_names[OP_N] = {
	"spi_alloc", "sa_update", "sa_add", "policy_add", "policy_delete",
	"sa_delete"
};

/* Calls of each kind per pair, for the per-call averages. */
static const unsigned int op_per_pair[OP_N] = { 1, 1, 1, 3, 3, 2 };

static const enum plat_dir policy_dirs[] = { PLAT_OUT, PLAT_IN, PLAT_FWD };

struct xb {
	struct plat	*p;		/* owned */
	struct ike_key	*key_in;	/* owned */
	struct ike_key	*key_out;	/* owned */
	uint32_t	*spi_in;	/* owned, n: what spi_alloc gave */
	unsigned long	 n;
	unsigned long	 peers;		/* -p: remote gateways */
	uint64_t	 op_ns[OP_N];
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Adds the time since t0 to operation k; returns now. */
static uint64_t
lap(struct xb *b, enum xb_op k, uint64_t t0)
{
	uint64_t t = mono_ns();

	b->op_ns[k] += t - t0;
	return t;
}

static int
failed(const char *what, unsigned long i, int rc)
{
	fprintf(stderr, "ike_xfrm_bench: pair %lu: %s: %s\n", i, what,
	    ike_strerror(rc));
	return rc;
}

/* ------------------------------------------------------------ records */

static struct ike_addr
v4(uint32_t a)
{
	struct ike_addr r;

	memset(&r, 0, sizeof(r));
	r.family = AF_INET;
	r.addr[0] = (uint8_t)(a >> 24);
	r.addr[1] = (uint8_t)(a >> 16);
	r.addr[2] = (uint8_t)(a >> 8);
	r.addr[3] = (uint8_t)a;
	return r;
}

static struct ike_addr
local_gw(void)
{
	return v4(0xc0000201u);		/* 192.0.2.1 */
}

/* Pair i's peer: 192.0.2.2, or with -p peers, 198.18.0.1 + i % peers. */
static struct ike_addr
remote_gw(const struct xb *b, unsigned long i)
{
	if (b->peers == 1)
		return v4(0xc0000202u);
	return v4(0xc6120001u + (uint32_t)(i % b->peers));
}

/* The /32 selector of host a, all protocols and ports. */
static struct ike_ts
host_ts(uint32_t a)
{
	struct ike_addr h = v4(a);
	struct ike_ts ts;

	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET;
	ts.eport = 65535;
	memcpy(ts.start, h.addr, 4);
	memcpy(ts.end, h.addr, 4);
	return ts;
}

/* Pair i's SPI of the outbound SA, as if the peer had chosen it. */
static uint32_t
spi_out(unsigned long i)
{
	return 0x10000000u + (uint32_t)i;
}

/* One SA of pair i, as core/exchange/child.c fill_sa() makes it. */
static void
fill_sa(const struct xb *b, unsigned long i, bool in, struct plat_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->id.dst = in ? local_gw() : remote_gw(b, i);
	sa->id.spi = in ? b->spi_in[i] : spi_out(i);
	sa->id.proto = IPPROTO_ESP;
	sa->src = in ? remote_gw(b, i) : local_gw();
	sa->reqid = (uint32_t)i + 1;
	sa->replay_window = XB_WINDOW;
	sa->dir = in ? PLAT_IN : PLAT_OUT;
	sa->mode = PLAT_TUNNEL;
	sa->encr_alg = ENCR_AES_GCM_16;
	sa->encr_key = in ? b->key_in : b->key_out;
	sa->hard.add_s = XB_HARD_S;
	sa->soft.add_s = XB_SOFT_S;
	sa->esn = true;
}

/* Pair i's policy in direction d, as fill_policy() makes it. */
static void
fill_policy(const struct xb *b, unsigned long i, enum plat_dir d,
    struct plat_policy *pol)
{
	bool in = d != PLAT_OUT;
	uint32_t here = 0x0a000000u + (uint32_t)i;	/* 10.0.0.0 + i */
	uint32_t there = 0xac100000u + (uint32_t)i;	/* 172.16.0.0 + i */

	memset(pol, 0, sizeof(*pol));
	pol->src = host_ts(in ? there : here);
	pol->dst = host_ts(in ? here : there);
	pol->dir = d;
	pol->action = PLAT_PROTECT;
	pol->reqid = (uint32_t)i + 1;
	pol->proto = IPPROTO_ESP;
	pol->tun_src = in ? remote_gw(b, i) : local_gw();
	pol->tun_dst = in ? local_gw() : remote_gw(b, i);
}

/* ------------------------------------------------------------ one pair */

static int
install_sas(struct xb *b, unsigned long i)
{
	struct ike_addr src = remote_gw(b, i), dst = local_gw();
	struct plat_sa sa;
	uint64_t t = mono_ns();
	int rc;

	rc = plat_spi_alloc(b->p, &src, &dst, IPPROTO_ESP, &b->spi_in[i]);
	t = lap(b, OP_SPI_ALLOC, t);
	if (rc != 0)
		return failed("spi_alloc", i, rc);
	fill_sa(b, i, true, &sa);
	rc = plat_sa_update(b->p, &sa);
	t = lap(b, OP_SA_UPDATE, t);
	if (rc != 0)
		return failed("sa_update (inbound)", i, rc);
	fill_sa(b, i, false, &sa);
	rc = plat_sa_add(b->p, &sa);
	lap(b, OP_SA_ADD, t);
	return rc != 0 ? failed("sa_add (outbound)", i, rc) : 0;
}

static int
install_pair(struct xb *b, unsigned long i)
{
	struct plat_policy pol;
	uint64_t t;
	size_t k;
	int rc;

	if ((rc = install_sas(b, i)) != 0)
		return rc;
	for (k = 0; k < sizeof(policy_dirs) / sizeof(policy_dirs[0]); k++) {
		fill_policy(b, i, policy_dirs[k], &pol);
		t = mono_ns();
		rc = plat_policy_add(b->p, &pol);
		lap(b, OP_POLICY_ADD, t);
		if (rc != 0)
			return failed("policy_add", i, rc);
	}
	return 0;
}

/* Removes pair i.  Every call must answer 0: IKE_ENOTFOUND would mean
 * that the install did not leave what it claimed. */
static int
remove_pair(struct xb *b, unsigned long i)
{
	struct plat_policy pol;
	struct plat_sa sa;
	uint64_t t;
	size_t k;
	int rc;

	for (k = 0; k < sizeof(policy_dirs) / sizeof(policy_dirs[0]); k++) {
		fill_policy(b, i, policy_dirs[k], &pol);
		t = mono_ns();
		rc = plat_policy_delete(b->p, &pol);
		lap(b, OP_POLICY_DELETE, t);
		if (rc != 0)
			return failed("policy_delete", i, rc);
	}
	for (k = 0; k < 2; k++) {
		fill_sa(b, i, k == 1, &sa);	/* outbound, then inbound */
		t = mono_ns();
		rc = plat_sa_delete(b->p, &sa.id);
		lap(b, OP_SA_DELETE, t);
		if (rc != 0)
			return failed(k == 0 ? "sa_delete (outbound)" :
			    "sa_delete (inbound)", i, rc);
	}
	return 0;
}

/* ------------------------------------------------------------ the run */

static void
report(const char *what, unsigned long n, uint64_t ns)
{
	double us = (double)ns / 1e3 / (double)n;

	printf("%-8s %lu pairs in %.3f s: %.1f us/pair, %.0f pairs/s\n", what,
	    n, (double)ns / 1e9, us, us > 0 ? 1e6 / us : 0.0);
}

static void
report_calls(const struct xb *b)
{
	enum xb_op k;

	printf("per call (us):");
	for (k = 0; k < OP_N; k++)
		printf(" %s %.1f", op_names[k], (double)b->op_ns[k] / 1e3 /
		    (double)(b->n * op_per_pair[k]));
	printf("\n");
}

/* One untimed pair first: it loads the kernel's ESP and GCM modules if
 * nothing has yet, and a kernel without them fails here, before any
 * figure is printed. */
static int
warm_up(struct xb *b)
{
	int rc;

	if ((rc = install_pair(b, 0)) != 0 || (rc = remove_pair(b, 0)) != 0)
		return rc;
	memset(b->op_ns, 0, sizeof(b->op_ns));
	return 0;
}

static int
run(struct xb *b)
{
	uint64_t t0, t1, t2;
	unsigned long i;
	int rc;

	if ((rc = warm_up(b)) != 0)
		return rc;
	t0 = mono_ns();
	for (i = 0; i < b->n; i++)
		if ((rc = install_pair(b, i)) != 0)
			return rc;
	t1 = mono_ns();
	for (i = 0; i < b->n; i++)
		if ((rc = remove_pair(b, i)) != 0)
			return rc;
	t2 = mono_ns();
	report("install", b->n, t1 - t0);
	report("remove", b->n, t2 - t1);
	report_calls(b);
	printf("result pairs=%lu install_us=%.1f remove_us=%.1f\n", b->n,
	    (double)(t1 - t0) / 1e3 / (double)b->n,
	    (double)(t2 - t1) / 1e3 / (double)b->n);
	return 0;
}

/* ------------------------------------------------------------ setup */

static int
make_key(uint8_t seed, struct ike_key **out)
{
	struct ike_key *k;
	size_t j;
	int rc;

	if ((rc = ike_key_new(XB_KEY_LEN, &k)) != 0)
		return rc;
	for (j = 0; j < k->len; j++)
		k->data[j] = (uint8_t)(seed + j * 7u);
	*out = k;
	return 0;
}

static int
xb_init(struct xb *b, struct event_base *base)
{
	int rc;

	if ((b->spi_in = calloc(b->n, sizeof(*b->spi_in))) == NULL ||
	    make_key(1, &b->key_in) != 0 || make_key(2, &b->key_out) != 0) {
		fprintf(stderr, "ike_xfrm_bench: out of memory\n");
		return IKE_ENOMEM;
	}
	if ((rc = plat_open("linux", base, NULL, &b->p)) != 0)
		fprintf(stderr, "ike_xfrm_bench: cannot open the linux "
		    "backend: %s\n", ike_strerror(rc));
	return rc;
}

static void
xb_free(struct xb *b)
{
	plat_close(b->p);
	ike_key_free(b->key_in);
	ike_key_free(b->key_out);
	free(b->spi_in);
}

static void
banner(const struct xb *b)
{
	struct utsname u;

	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "?");
	printf("ike_xfrm_bench: %lu Child SA pairs through the linux backend, "
	    "kernel %s, own network namespace\n"
	    "  pair: spi_alloc + sa_update (inbound), sa_add (outbound), "
	    "policies out/in/fwd;\n"
	    "  ESP AES-GCM-16-256, ESN, replay window %d, tunnel mode, "
	    "%lu peer%s\n", b->n, u.release, XB_WINDOW, b->peers,
	    b->peers == 1 ? "" : "s");
}

static int
own_netns(void)
{
	if (unshare(CLONE_NEWNET) == 0)
		return 0;
	fprintf(stderr, "ike_xfrm_bench: cannot make a network namespace "
	    "of its own (unshare CLONE_NEWNET): %s%s\n", strerror(errno),
	    errno == EPERM ? "; run it as root" : "");
	return -1;
}

/* -c optarg as a count from 1 to max into *v. */
static int
count_arg(int c, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(optarg, &end, 10);
	if (errno == 0 && end != optarg && *end == '\0' && optarg[0] != '-' &&
	    *v >= 1 && *v <= max)
		return 0;
	fprintf(stderr, "ike_xfrm_bench: -%c %s: not a count from 1 to %lu\n",
	    c, optarg, max);
	return -1;
}

static int
parse(int argc, char *argv[], struct xb *b)
{
	int ch;

	while ((ch = getopt(argc, argv, "n:p:")) != -1) {
		if ((ch == 'n' && count_arg(ch, XB_MAX, &b->n) == 0) ||
		    (ch == 'p' && count_arg(ch, XB_PEERS, &b->peers) == 0))
			continue;
		return -1;
	}
	return optind == argc ? 0 : -1;
}

int
main(int argc, char *argv[])
{
	struct xb b = { .n = XB_DEFAULT, .peers = 1 };
	struct event_base *base;
	int rc;

	if (parse(argc, argv, &b) != 0) {
		fprintf(stderr, "usage: ike_xfrm_bench [-n pairs] [-p peers]\n"
		    "  pairs 1 to %lu (default %lu), peers 1 to %lu "
		    "(default 1); needs root\n", XB_MAX, XB_DEFAULT, XB_PEERS);
		return 2;
	}
	log_set_stderr(true);
	if (own_netns() != 0)
		return 1;
	if ((base = event_base_new()) == NULL) {
		fprintf(stderr, "ike_xfrm_bench: event_base_new failed\n");
		return 1;
	}
	banner(&b);
	fflush(stdout);
	if ((rc = xb_init(&b, base)) == 0)
		rc = run(&b);
	xb_free(&b);
	event_base_free(base);
	return rc == 0 ? 0 : 1;
}
