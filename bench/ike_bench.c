/* bench/ike_bench.c: handshakes per second and resident memory per
 * established tunnel.  By default (-m daemon) against a running
 * isakmpd -K mem over UDP on loopback (bench_daemon.c).  With -m engine
 * an initiator and a responder engine, each on its own in-memory
 * backend, run in this process and hand each other datagrams directly.
 * One ESP Child SA (IKEv1: IPsec SA from Quick Mode) per IKE SA; the
 * protocol, the authentication (PSK, or certificates from a CA made at
 * start: bench_cert.c) and the algorithms are a suite of bench_suite.c
 * (-s; by default IKEv2, PSK, X25519 and AES-GCM-16-256).  A
 * "handshake" is IKE_SA_INIT + IKE_AUTH for IKEv2, Main (or Aggressive)
 * Mode + Quick Mode for IKEv1.  See docs/performance.md. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "bench_cert.h"
#include "bench_daemon.h"
#include "bench_proc.h"
#include "bench_suite.h"
#include "core/codec/ikev2.h"
#include "core/err.h"
#include "core/ike/engine.h"
#include "core/sa/ike_sa.h"
#include "platform/mem/mem.h"

#define BENCH_MAX	100000	/* distinct initiator addresses */

struct dgram {
	struct dgram	*next;		/* owned by the queue */
	struct ike_addr	 src, dst;
	size_t		 len;
	uint8_t		 buf[];
};

struct side {
	struct event_base	*base;		/* owned */
	struct plat		*plat;		/* owned */
	struct ike_engine	*eng;		/* owned */
	struct dgram		*q, **qtail;	/* sent, not delivered */
	struct child_cfg	 ccfg;		/* responder's template */
	struct ike_addr		 addr;		/* responder's own */
	const struct bench_suite *suite;
	const struct bench_cert	*bc;		/* signature suites, borrowed */
	enum bc_who		 who;		/* BC_INI or BC_RESP */
	unsigned long		 ike_up, child_up, failed;
	int			 oom;
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
now_ms(void)
{
	return mono_ns() / 1000000u;
}

static void
addr_v4(struct ike_addr *a, int b0, int b1, int b2, int b3)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->port = 500;
	a->addr[0] = (uint8_t)b0;
	a->addr[1] = (uint8_t)b1;
	a->addr[2] = (uint8_t)b2;
	a->addr[3] = (uint8_t)b3;
}

static void
ts_v4(struct ike_ts *ts, int b0, int b1, int b2, int lo, int hi)
{
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	ts->eport = 65535;
	ts->start[0] = ts->end[0] = (uint8_t)b0;
	ts->start[1] = ts->end[1] = (uint8_t)b1;
	ts->start[2] = ts->end[2] = (uint8_t)b2;
	ts->start[3] = (uint8_t)lo;
	ts->end[3] = (uint8_t)hi;
}

/* ------------------------------------------------------- callbacks */

static int
cb_send(void *arg, const struct ike_addr *src, const struct ike_addr *dst,
    const uint8_t *buf, size_t len)
{
	struct side *s = arg;
	struct dgram *d = malloc(sizeof(*d) + len);

	if (d == NULL) {
		s->oom = 1;
		return -1;
	}
	d->next = NULL;
	d->src = *src;
	d->dst = *dst;
	d->len = len;
	memcpy(d->buf, buf, len);
	*s->qtail = d;
	s->qtail = &d->next;
	return 0;
}

static int	cb_ike_cfg(void *, const struct ike_addr *,
		    const struct ike_addr *, struct ike_cfg *);

/* The responder accepts the selectors the initiator proposed. */
static int
cb_child_cfg(void *arg, const struct ike_cfg *cfg, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct child_cfg *out)
{
	struct side *s = arg;

	(void)cfg;
	*out = s->ccfg;
	out->local_ts = *tsr;
	out->remote_ts = *tsi;
	return 0;
}

/* An IKE SA that came up: did the peer authenticate the way the suite
 * says (a signature suite: by a signature, with a certificate)? */
static bool
auth_as_expected(const struct side *s, uint32_t handle)
{
	const struct ike_sa *sa = engine_sa(s->eng, handle);
	uint8_t want = s->suite->peer_auth;

	if (sa == NULL || (want != 0 && sa->peer_auth != want) ||
	    (s->bc != NULL && sa->peer_subject[0] == '\0')) {
		fprintf(stderr, "ike_bench: %s: IKE SA %u is up, but the "
		    "peer authenticated with method %u, not %u%s\n",
		    s->who == BC_INI ? "initiator" : "responder", handle,
		    sa != NULL ? sa->peer_auth : 0, want,
		    s->bc != NULL ? " and a certificate" : "");
		return false;
	}
	return true;
}

static void
cb_event(void *arg, const struct engine_event *ev)
{
	struct side *s = arg;

	if (ev->type == ENGINE_EV_IKE_UP && !auth_as_expected(s, ev->handle))
		s->failed++;
	else if (ev->type == ENGINE_EV_IKE_UP)
		s->ike_up++;
	else if (ev->type == ENGINE_EV_CHILD_UP)
		s->child_up++;
	else if (ev->type == ENGINE_EV_IKE_FAILED ||
	    ev->type == ENGINE_EV_CHILD_FAILED) {
		s->failed++;
		fprintf(stderr, "ike_bench: failure: %s\n",
		    ev->reason != NULL ? ev->reason : "(no reason)");
	}
}

/* ---------------------------------------------------- configuration */

static const char name_ini[] = "initiator.bench.example";
static const char name_resp[] = "responder.bench.example";

static void
fqdn(struct ike_id *id, const char *name)
{
	id->type = IKEV2_ID_FQDN;
	id->len = strlen(name);
	memcpy(id->data, name, id->len);
}

/* The suite and side s's identity and credentials.  PSK: FQDNs, and
 * the responder takes any IDi.  Certificates: local_id type 0, so the
 * engine sends our subject DN; both ends want the other's subject DN,
 * which its certificate must vouch for. */
static void
base_cfg(const struct side *s, struct ike_cfg *cfg, struct child_cfg *ccfg)
{
	static const char psk[] = "benchmark preshared key";

	memset(cfg, 0, sizeof(*cfg));
	memset(ccfg, 0, sizeof(*ccfg));
	bench_suite_apply(s->suite, cfg, ccfg);
	cfg->retrans_ms = 5000;
	cfg->retrans_max = 3;
	if (s->bc != NULL) {
		cfg->remote_id = s->bc->dn[s->who == BC_INI ? BC_RESP :
		    BC_INI];
		return;
	}
	fqdn(&cfg->local_id, s->who == BC_INI ? name_ini : name_resp);
	if (s->who == BC_INI)
		fqdn(&cfg->remote_id, name_resp);
	memcpy(cfg->psk, psk, sizeof(psk) - 1);
	cfg->psk_len = sizeof(psk) - 1;
}

/* The responder answers any initiator of the suite's version with the
 * one configuration (base_cfg()). */
static int
cb_ike_cfg(void *arg, const struct ike_addr *local,
    const struct ike_addr *remote, struct ike_cfg *out)
{
	struct side *s = arg;
	struct child_cfg unused;
	uint8_t v = out->version == 0 ? IKE_VERSION_2 : out->version;

	if (local->family != s->addr.family ||
	    memcmp(local->addr, s->addr.addr, sizeof(local->addr)) != 0 ||
	    v != s->suite->version)
		return IKE_ENOTFOUND;
	base_cfg(s, out, &unused);
	out->local = s->addr;
	out->remote = *remote;
	return 0;
}

/* Tunnel i: initiator 198.18.0.0/15 + i, its selector 10.x.y.0/24,
 * the responder's 172.16.0.0/24. */
static void
tunnel_cfg(const struct side *ini, unsigned long i,
    const struct ike_addr *resp, struct ike_cfg *cfg, struct child_cfg *ccfg)
{
	int b1 = 18 + (int)(i >> 16), b2 = (int)(i >> 8) & 255;
	int b3 = (int)i & 255;

	base_cfg(ini, cfg, ccfg);
	addr_v4(&cfg->local, 198, b1, b2, b3);
	cfg->remote = *resp;
	ts_v4(&ccfg->local_ts, 10, (int)(i >> 8), b3, 0, 255);
	ts_v4(&ccfg->remote_ts, 172, 16, 0, 0, 255);
}

/* ------------------------------------------------------------ sides */

/* Side who of suite; bc (borrowed) holds the certificates of a
 * signature suite, NULL for PSK. */
static int
side_open(struct side *s, const struct bench_suite *suite,
    const struct bench_cert *bc, enum bc_who who)
{
	struct engine_callbacks cb = { .send = cb_send,
	    .ike_cfg = cb_ike_cfg, .child_cfg = cb_child_cfg,
	    .event = cb_event, .arg = s };
	struct ike_cfg unused;

	memset(s, 0, sizeof(*s));
	s->qtail = &s->q;
	s->suite = suite;
	s->bc = bc;
	s->who = who;
	addr_v4(&s->addr, 192, 0, 2, 1);
	base_cfg(s, &unused, &s->ccfg);
	ike_cfg_wipe(&unused);
	if ((s->base = event_base_new()) == NULL)
		return -1;
	if (plat_open("mem", s->base, NULL, &s->plat) != 0)
		return -1;
	if (engine_new(s->plat, &cb, NULL, &s->eng) != 0)
		return -1;
	if (bc != NULL && engine_set_certs(s->eng, bc->own[who],
	    bc->store) != 0)
		return -1;
	return 0;
}

static int
sides_open(struct side *ini, struct side *resp,
    const struct bench_suite *suite, const struct bench_cert *bc)
{
	if (side_open(ini, suite, bc, BC_INI) != 0 ||
	    side_open(resp, suite, bc, BC_RESP) != 0) {
		fprintf(stderr, "ike_bench: engines: out of memory\n");
		return -1;
	}
	return 0;
}

static void
side_close(struct side *s)
{
	struct dgram *d;

	engine_free(s->eng);
	if (s->plat != NULL)
		plat_close(s->plat);
	if (s->base != NULL)
		event_base_free(s->base);
	while ((d = s->q) != NULL) {
		s->q = d->next;
		free(d);
	}
	memset(s, 0, sizeof(*s));
}

/* Gives the head of from's queue to to's engine; the time spent in it
 * is added to *ns. */
static void
deliver(struct side *from, struct side *to, uint64_t *ns)
{
	struct dgram *d = from->q;
	uint64_t t0 = mono_ns();

	from->q = d->next;
	if (from->q == NULL)
		from->qtail = &from->q;
	engine_input(to->eng, t0 / 1000000u, &d->src, &d->dst, d->buf,
	    d->len);
	*ns += mono_ns() - t0;
	free(d);
}

/* Establishes tunnel i: IKE_SA_INIT and IKE_AUTH with the first Child
 * SA (IKEv1: Main or Aggressive Mode, then Quick Mode).  resp_ns
 * gathers the time inside the responder, ini_ns inside the initiator
 * (engine_initiate included). */
static int
handshake(struct side *ini, struct side *resp, unsigned long i,
    uint64_t *ini_ns, uint64_t *resp_ns)
{
	struct ike_cfg cfg;
	struct child_cfg ccfg;
	uint64_t t0 = mono_ns();
	uint32_t handle;
	int rc, guard;

	tunnel_cfg(ini, i, &resp->addr, &cfg, &ccfg);
	rc = engine_initiate(ini->eng, &cfg, &ccfg, now_ms(), &handle);
	ike_cfg_wipe(&cfg);
	*ini_ns += mono_ns() - t0;
	if (rc != 0)
		return rc;
	for (guard = 0; guard < 32 && (ini->q != NULL || resp->q != NULL);
	    guard++) {
		if (ini->q != NULL)
			deliver(ini, resp, resp_ns);
		if (resp->q != NULL)
			deliver(resp, ini, ini_ns);
	}
	return ini->oom || resp->oom ? IKE_ENOMEM : 0;
}

static int
run(struct side *ini, struct side *resp, unsigned long n,
    uint64_t *ini_ns, uint64_t *resp_ns)
{
	unsigned long i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = handshake(ini, resp, i, ini_ns, resp_ns)) != 0) {
			fprintf(stderr, "ike_bench: tunnel %lu could not be "
			    "started: %s\n", i, ike_strerror(rc));
			return -1;
		}
	if (ini->ike_up != n || ini->child_up != n || resp->ike_up != n ||
	    resp->child_up != n || ini->failed + resp->failed != 0) {
		fprintf(stderr, "ike_bench: %lu of %lu IKE SAs and %lu Child "
		    "SAs established on the initiator, %lu and %lu on the "
		    "responder, %lu failures\n", ini->ike_up, n,
		    ini->child_up, resp->ike_up, resp->child_up,
		    ini->failed + resp->failed);
		return -1;
	}
	return 0;
}

/* --------------------------------------------------------- measures */

static double
cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* VmRSS in KiB, or -1 where /proc has none. */
static long
rss_kib(void)
{
	return bp_rss_kib(getpid());
}

static int
bench_handshakes(const struct bench_suite *suite,
    const struct bench_cert *bc, unsigned long n)
{
	struct side ini, resp;
	uint64_t ini_ns = 0, resp_ns = 0, t0;
	double c0, wall, cpu, inside;
	int rc = -1;

	memset(&ini, 0, sizeof(ini));
	memset(&resp, 0, sizeof(resp));
	if (sides_open(&ini, &resp, suite, bc) != 0)
		goto out;
	c0 = cpu_s();
	t0 = mono_ns();
	if (run(&ini, &resp, n, &ini_ns, &resp_ns) != 0)
		goto out;
	wall = (double)(mono_ns() - t0) / 1e9;
	cpu = cpu_s() - c0;
	inside = (double)(ini_ns + resp_ns);
	printf("handshakes: %lu in %.2f s = %.0f/s (process CPU %.2f s = "
	    "%.0f per CPU-second, both ends)\n", n, wall, (double)n / wall,
	    cpu, cpu > 0 ? (double)n / cpu : 0);
	printf("responder share: %.2f s = %.0f%% of the time inside the "
	    "engines (initiator %.2f s); responder alone: %.0f/s\n",
	    (double)resp_ns / 1e9, inside > 0 ? 100.0 * resp_ns / inside : 0,
	    (double)ini_ns / 1e9, resp_ns > 0 ? n / (resp_ns / 1e9) : 0);
	rc = 0;
out:
	side_close(&ini);
	side_close(&resp);
	return rc;
}

static int
bench_memory(const struct bench_suite *suite, const struct bench_cert *bc,
    unsigned long t)
{
	struct side ini, resp;
	uint64_t ns = 0;
	long r0, r1;
	double mib;
	int rc = -1;

	memset(&ini, 0, sizeof(ini));
	memset(&resp, 0, sizeof(resp));
	if (sides_open(&ini, &resp, suite, bc) != 0)
		goto out;
	r0 = rss_kib();
	if (run(&ini, &resp, t, &ns, &ns) != 0)
		goto out;
	r1 = rss_kib();
	if (r0 < 0 || r1 < 0) {
		printf("memory: %lu tunnels, RSS unavailable\n", t);
	} else {
		mib = (double)(r1 - r0) / 1024.0;
		printf("memory: %lu tunnels, %.1f MiB RSS growth = %.1f "
		    "KiB/tunnel (both ends in this process)\n", t, mib,
		    (double)(r1 - r0) / (double)t);
		printf("memory: engine SAs %zu + %zu, backend SAs %zu + %zu, "
		    "policies %zu + %zu\n", engine_sa_count(ini.eng),
		    engine_sa_count(resp.eng), mem_sa_count(ini.plat),
		    mem_sa_count(resp.plat), mem_policy_count(ini.plat),
		    mem_policy_count(resp.plat));
	}
	rc = 0;
out:
	side_close(&ini);
	side_close(&resp);
	return rc;
}

static int
count_arg(const char *s, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 ||
	    v > BENCH_MAX)
		return -1;
	*out = v;
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ike_bench [-m daemon] [-s suite] "
	    "[-n tunnels] [-w window] [-B bindir] [-k] [-v] [-x]\n"
	    "       ike_bench -m engine [-s suite] [-n handshakes] "
	    "[-t tunnels] [-k] [-x]\n"
	    "  counts from 1 to %d (defaults: -n 10000, -t 10000, -w 64);\n"
	    "  suite: %s (default v2;\n"
	    "    the *-cert-* suites sign with certificates from a CA made "
	    "at start);\n"
	    "  bindir: where isakmpd, ikedb and ike are (default: this "
	    "program's directory);\n"
	    "  -k: keep the scratch directory; -v: the daemon logs at level "
	    "information;\n"
	    "  -x: (certificate suites) the initiator's certificate comes "
	    "from a CA the\n"
	    "    responder does not trust: every handshake must fail and "
	    "ike_bench exit 1\n", BENCH_MAX, bench_suite_names());
}

/* The directory this program is in, into buf. */
static int
self_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	return 0;
}

struct args {
	bool		 engine;	/* -m engine */
	bool		 rogue;		/* -x */
	unsigned long	 n, t;
	struct bd_opts	 d;
	char		 dir[512];
};

static int
parse(int argc, char *argv[], struct args *a)
{
	int ch;

	while ((ch = getopt(argc, argv, "m:n:t:w:s:B:kvx")) != -1) {
		if ((ch == 'n' && count_arg(optarg, &a->n) == 0) ||
		    (ch == 't' && count_arg(optarg, &a->t) == 0) ||
		    (ch == 'w' && count_arg(optarg, &a->d.window) == 0))
			continue;
		if (ch == 'm' && (strcmp(optarg, "engine") == 0 ||
		    strcmp(optarg, "daemon") == 0)) {
			a->engine = strcmp(optarg, "engine") == 0;
			continue;
		}
		if (ch == 's' && (a->d.suite = bench_suite(optarg)) != NULL)
			continue;
		if (ch == 'x') {
			a->rogue = true;
			continue;
		}
		if (ch == 'B' || ch == 'k' || ch == 'v') {
			a->d.bindir = ch == 'B' ? optarg : a->d.bindir;
			a->d.keep = a->d.keep || ch == 'k';
			a->d.verbose = a->d.verbose || ch == 'v';
			continue;
		}
		if (ch == 'n' || ch == 't' || ch == 'w')
			fprintf(stderr, "ike_bench: -%c %s: not a count from "
			    "1 to %d\n", ch, optarg, BENCH_MAX);
		else if (ch == 'm')
			fprintf(stderr, "ike_bench: -m %s: engine or daemon\n",
			    optarg);
		else if (ch == 's')
			fprintf(stderr, "ike_bench: -s %s: not one of %s\n",
			    optarg, bench_suite_names());
		return -1;
	}
	return optind == argc ? 0 : -1;
}

/* The certificates of a signature suite into *bc (NULL for PSK). */
static int
certs_make(const struct args *a, struct bench_cert **bc)
{
	*bc = NULL;
	if (a->d.suite->auth == CFG_AUTH_PSK)
		return 0;
	if (bench_cert_new(a->d.suite->auth, a->rogue, bc) != 0)
		return -1;
	printf("certificates: %s -> %s, CA -> %s (%s)\n",
	    a->rogue ? "rogue CA" : "CA", (*bc)->dn_str[BC_INI],
	    (*bc)->dn_str[BC_RESP], (*bc)->dir);
	return 0;
}

/* -m engine.  Memory first: the heap the handshake run frees stays
 * resident and would hide the growth. */
static int
bench_engines(const struct args *a, const struct bench_cert *bc)
{
	if (bench_memory(a->d.suite, bc, a->t) != 0 ||
	    bench_handshakes(a->d.suite, bc, a->n) != 0)
		return -1;
	return 0;
}

/* -m daemon: bindir is this program's directory unless -B. */
static int
bench_with_daemon(struct args *a, const struct bench_cert *bc)
{
	if (a->d.bindir == NULL) {
		if (self_dir(a->dir, sizeof(a->dir)) != 0) {
			fprintf(stderr, "ike_bench: cannot find my "
			    "directory: use -B\n");
			return -1;
		}
		a->d.bindir = a->dir;
	}
	a->d.n = a->n;
	a->d.bc = bc;
	return bench_daemon(&a->d);
}

int
main(int argc, char *argv[])
{
	struct args a = { .n = 10000, .t = 10000, .d.window = 64,
	    .d.suite = bench_suite_default() };
	struct bench_cert *bc;	/* owned */
	int rc;

	if (parse(argc, argv, &a) != 0) {
		usage();
		return 2;
	}
	if (a.rogue && a.d.suite->auth == CFG_AUTH_PSK) {
		fprintf(stderr, "ike_bench: -x: suite %s uses no "
		    "certificates\n", a.d.suite->name);
		return 2;
	}
	printf("suite %s: %s\n", a.d.suite->name, a.d.suite->title);
	if (certs_make(&a, &bc) != 0)
		return 1;
	rc = a.engine ? bench_engines(&a, bc) : bench_with_daemon(&a, bc);
	bench_cert_free(bc, a.d.keep);
	return rc == 0 ? 0 : 1;
}
