/* bench/bench_daemon.c: handshakes per second against a running
 * responder daemon, and its resident memory per established tunnel.
 *
 * A scratch directory gets a database with one responder definition
 * (loaded with ikedb: IKETunnel 127.0.0.1 <- 127.0.0.2, PSK with
 * address identities or, for a signature suite, the certificates of
 * bench_cert.h with X500DN identities (the daemon's CERTIFICATE_FILE,
 * PRIVATE_KEY_FILE and CA_CERTIFICATES in isakmpd.conf), the
 * protocol and algorithms of the suite (bench_suite.h: by default
 * IKEv2, X25519, AES-GCM-16-256 with PRF-HMAC-SHA2-256); IPSecTunnel
 * 172.16.0.0/12 <-> 10.0.0.0/8, ESP in tunnel mode) and a
 * configuration with free IKEv1 and IKEv2 ports; `isakmpd -d -K mem`
 * runs on it (log_level=information with -v).  This process
 * is the initiator: one engine on the in-memory backend and one UDP
 * socket on 127.0.0.2, tunnel i proposing its own 10.x.y.z/32, with up
 * to `window` handshakes in flight.  All tunnels stay up.  The daemon's
 * CPU time and VmRSS come from /proc/<pid>; `ike cmd=list` confirms
 * the number of established tunnels. */
#include "bench_daemon.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/event.h>

#include "bench_cert.h"
#include "bench_proc.h"
#include "bench_suite.h"
#include "core/codec/ikev2.h"
#include "core/err.h"
#include "core/ike/engine.h"
#include "core/sa/ike_sa.h"

#define STALL_MS	30000	/* no progress for this long: give up */
#define LIST_CHUNK	2000	/* tunnels per `ike cmd=list` */

static const char bench_psk[] = "benchmark preshared key";
static const char psk_fmt[] =
    "<IKEPresharedKey Value=\"%s\" Format=\"ASCII\">"
    "<IKEPresharedRemoteID><IPV4_Address Value=\"127.0.0.2\"/>"
    "</IKEPresharedRemoteID></IKEPresharedKey>\n";

struct bd {
	const struct bd_opts	*o;
	char			 dir[BP_PATH], db[BP_PATH], sock[BP_PATH];
	char			 conf[BP_PATH], errlog[BP_PATH];
	uint16_t		 port, natport;	/* the suite's version */
	uint16_t		 oport, onatport;	/* the other's */
	pid_t			 pid;
	int			 fd;
	struct ike_addr		 me, peer;
	struct event_base	*base;		/* owned */
	struct plat		*plat;		/* owned */
	struct ike_engine	*eng;		/* owned */
	unsigned long		 window;	/* in flight: o->window, or
						 * 1 for IKEv1 (see below) */
	unsigned long		 started, ike_up, child_up, failed;
	uint8_t			 buf[65536];
};

static uint64_t
now_ms(void)
{
	return bp_mono_ns() / 1000000u;
}

static void
addr_v4(struct ike_addr *a, const char *s, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	a->port = port;
	(void)inet_pton(AF_INET, s, a->addr);	/* constant, valid */
}

static void
sin_of(const struct ike_addr *a, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(a->port);
	memcpy(&sin->sin_addr, a->addr, 4);
}

/* ------------------------------------------------------------ daemon */

/* %s: the suite's IKEProtection and IKETransform attributes and its
 * IKE_AuthenticationMethod, the IKETunnel's addresses (certificates),
 * its local and remote identity, the preshared key (PSK), the suite's
 * IPSecESPProtocol attributes. */
static const char defs_fmt[] =
    "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
    "<IKEProtection IKE_ProtectionName=\"benchp1\" %s>\n"
    "<IKETransform %s IKE_AuthenticationMethod=\"%s\""
    " IKE_KeyRefreshMinutes=\"480\"/>\n</IKEProtection>\n"
    "<IKETunnel IKE_TunnelName=\"bencht1\" IKE_ProtectionRef=\"benchp1\""
    "%s>\n<IKELocalIdentity>%s</IKELocalIdentity>\n"
    "<IKERemoteIdentity>%s</IKERemoteIdentity>\n</IKETunnel>\n%s"
    "<IPSecProposal IPSec_ProposalName=\"benchesp\">"
    "<IPSecESPProtocol %s ESP_EncapsulationMode=\"Tunnel\""
    " ESP_KeyRefreshMinutes=\"60\"/></IPSecProposal>\n"
    "<IPSecProtection IPSec_ProtectionName=\"benchq1\""
    " IPSec_ProposalRefs=\"benchesp\"/>\n"
    "<IPSecTunnel IPSec_TunnelName=\"benchs1\" IKE_TunnelName=\"bencht1\""
    " IPSec_ProtectionRef=\"benchq1\">\n"
    "<IPSecLocalIdentity><IPV4_Subnet Value=\"172.16.0.0\""
    " NetMask=\"255.240.0.0\"/></IPSecLocalIdentity>\n"
    "<IPSecRemoteIdentity><IPV4_Subnet Value=\"10.0.0.0\""
    " NetMask=\"255.0.0.0\"/></IPSecRemoteIdentity>\n"
    "</IPSecTunnel>\n</AIX_VPN>\n";

/* A UDP port on 127.0.0.1 free right now, none of the n in avoid. */
static bool
port_in(uint16_t port, const uint16_t *avoid, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (avoid[i] == port)
			return true;
	return false;
}

static uint16_t
free_port(const uint16_t *avoid, size_t n)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	uint16_t port = 0;
	int fd, tries;

	for (tries = 0; tries < 8 && (port == 0 || port_in(port, avoid, n));
	    tries++) {
		if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
			return 0;
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    getsockname(fd, (struct sockaddr *)&sin, &sl) == 0)
			port = ntohs(sin.sin_port);
		close(fd);
	}
	return port_in(port, avoid, n) ? 0 : port;
}

/* Four distinct free ports: the suite version's IKE and NAT-T ports
 * and the other version's (so neither needs 500 or 4500). */
static int
free_ports(struct bd *b)
{
	uint16_t p[4] = { 0 };
	size_t i;

	for (i = 0; i < 4; i++)
		if ((p[i] = free_port(p, i)) == 0)
			return -1;
	b->port = p[0];
	b->natport = p[1];
	b->oport = p[2];
	b->onatport = p[3];
	return 0;
}

static int
join(char *buf, const char *dir, const char *name)
{
	int n = snprintf(buf, BP_PATH, "%s/%s", dir, name);

	return n < 0 || n >= BP_PATH ? -1 : 0;
}

static int
bin(const struct bd *b, const char *name, char *buf)
{
	return join(buf, b->o->bindir, name);
}

/* The definitions: address identities and a preshared key, or with
 * certificates the subjects' DNs as X500DN identities. */
static void
defs(const struct bd *b, char *xml, size_t len)
{
	const struct bench_suite *s = b->o->suite;
	const struct bench_cert *bc = b->o->bc;
	char lid[256], rid[256], psk[sizeof(psk_fmt) + sizeof(bench_psk)];

	if (bc != NULL) {
		snprintf(lid, sizeof(lid), "<X500DN Value=\"%s\"/>",
		    bc->dn_str[BC_RESP]);
		snprintf(rid, sizeof(rid), "<X500DN Value=\"%s\"/>",
		    bc->dn_str[BC_INI]);
		psk[0] = '\0';
	} else {
		snprintf(lid, sizeof(lid), "<IPV4_Address Value=\"%s\"/>",
		    "127.0.0.1");
		snprintf(rid, sizeof(rid), "<IPV4_Address Value=\"%s\"/>",
		    "127.0.0.2");
		snprintf(psk, sizeof(psk), psk_fmt, bench_psk);
	}
	snprintf(xml, len, defs_fmt, s->x_prot, s->x_ike, s->x_auth,
	    bc != NULL ? " IKE_LocalAddress=\"127.0.0.1\""
	    " IKE_RemoteAddress=\"127.0.0.2\"" : "", lid, rid, psk,
	    s->x_esp);
}

/* isakmpd.conf: the ports, the log level, our certificate. */
static void
conf_text(const struct bd *b, char *conf, size_t len)
{
	const struct bench_suite *s = b->o->suite;
	const struct bench_cert *bc = b->o->bc;
	int n;

	n = snprintf(conf, len, "v%u=%u-%u\nv%u=%u-%u\n%s",
	    (unsigned int)s->version, b->port, b->natport,
	    3u - s->version, b->oport, b->onatport,
	    b->o->verbose ? "log_level=information\n" : "");
	if (bc != NULL && n > 0 && (size_t)n < len)
		snprintf(conf + n, len - (size_t)n, "CERTIFICATE_FILE=%s\n"
		    "PRIVATE_KEY_FILE=%s\nCA_CERTIFICATES=%s\n",
		    bc->cert[BC_RESP], bc->key[BC_RESP], bc->ca);
}

/* The scratch directory, the configuration and the definitions. */
static int
prepare(struct bd *b)
{
	char conf[96 + 3 * BP_PATH], xml[sizeof(defs_fmt) + 1024];
	char env_db[BP_PATH + 8];
	char ikedb[BP_PATH];
	const char *argv[] = { ikedb, "-p", NULL };
	const char *env[] = { env_db, NULL };

	if (bp_scratch(b->dir, sizeof(b->dir)) != 0) {
		fprintf(stderr, "ike_bench: scratch directory: %s\n",
		    strerror(errno));
		return -1;
	}
	if (join(b->db, b->dir, "db") != 0 ||
	    join(b->sock, b->dir, "s.sock") != 0 ||
	    join(b->conf, b->dir, "isakmpd.conf") != 0 ||
	    join(b->errlog, b->dir, "stderr.log") != 0 ||
	    bin(b, "ikedb", ikedb) != 0)
		return -1;
	if (free_ports(b) != 0) {
		fprintf(stderr, "ike_bench: no free UDP port on 127.0.0.1\n");
		return -1;
	}
	conf_text(b, conf, sizeof(conf));
	defs(b, xml, sizeof(xml));
	snprintf(env_db, sizeof(env_db), "IKE_DB=%s", b->db);
	if (bp_write(b->conf, conf) != 0) {
		fprintf(stderr, "ike_bench: %s: %s\n", b->conf,
		    strerror(errno));
		return -1;
	}
	if (bp_run(argv, env, xml, NULL, b->errlog) != 0) {
		fprintf(stderr, "ike_bench: ikedb -p failed (see %s)\n",
		    b->errlog);
		return -1;
	}
	return 0;
}

static bool
ctl_answers(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	bool ok;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return false;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return ok;
}

static int
daemon_start(struct bd *b)
{
	char isakmpd[BP_PATH];
	const char *argv[] = { isakmpd, "-d", "-K", "mem", "-D", b->db, "-S",
	    b->sock, "-f", b->conf, NULL };
	int i;

	if (bin(b, "isakmpd", isakmpd) != 0 ||
	    (b->pid = bp_spawn(argv, b->errlog)) < 0)
		return -1;
	for (i = 0; i < 1000; i++) {
		if (ctl_answers(b->sock))
			return 0;
		usleep(10000);
	}
	fprintf(stderr, "ike_bench: isakmpd did not answer on %s (see %s)\n",
	    b->sock, b->errlog);
	return -1;
}

/* --------------------------------------------------------- initiator */

static int
cb_send(void *arg, const struct ike_addr *src, const struct ike_addr *dst,
    const uint8_t *buf, size_t len)
{
	struct bd *b = arg;
	struct sockaddr_in sin;

	(void)src;		/* always b->me: the socket's address */
	sin_of(dst, &sin);
	if (sendto(b->fd, buf, len, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) < 0)
		return IKE_ESYS;	/* the engine retransmits */
	return 0;
}

static int
cb_no_ike(void *arg, const struct ike_addr *local,
    const struct ike_addr *remote, struct ike_cfg *out)
{
	(void)arg;
	(void)local;
	(void)remote;
	(void)out;
	return IKE_ENOTFOUND;	/* we only initiate */
}

static int
cb_no_child(void *arg, const struct ike_cfg *cfg, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct child_cfg *out)
{
	(void)arg;
	(void)cfg;
	(void)tsi;
	(void)tsr;
	(void)out;
	return IKE_ENOTFOUND;
}

/* An IKE SA that came up: did the daemon authenticate the way the
 * suite says (a signature suite: by a signature, with a certificate)? */
static bool
auth_as_expected(const struct bd *b, uint32_t handle)
{
	const struct ike_sa *sa = engine_sa(b->eng, handle);
	uint8_t want = b->o->suite->peer_auth;

	if (sa != NULL && (want == 0 || sa->peer_auth == want) &&
	    (b->o->bc == NULL || sa->peer_subject[0] != '\0'))
		return true;
	fprintf(stderr, "ike_bench: IKE SA %u is up, but the daemon "
	    "authenticated with method %u, not %u%s\n", handle,
	    sa != NULL ? sa->peer_auth : 0, want,
	    b->o->bc != NULL ? " and a certificate" : "");
	return false;
}

static void
cb_event(void *arg, const struct engine_event *ev)
{
	struct bd *b = arg;

	switch (ev->type) {
	case ENGINE_EV_IKE_UP:
		if (auth_as_expected(b, ev->handle))
			b->ike_up++;
		else
			b->failed++;
		break;
	case ENGINE_EV_CHILD_UP:
		b->child_up++;
		break;
	case ENGINE_EV_IKE_FAILED:
	case ENGINE_EV_CHILD_FAILED:
		if (b->failed++ < 5)
			fprintf(stderr, "ike_bench: handshake failed: %s "
			    "(notify %u)\n", ev->reason != NULL ? ev->reason :
			    "?", ev->notify);
		break;
	default:
		break;
	}
}

static void
ts_v4(struct ike_ts *ts, const uint8_t lo[4], const uint8_t hi[4])
{
	memset(ts, 0, sizeof(*ts));
	ts->family = AF_INET;
	ts->eport = 65535;
	memcpy(ts->start, lo, 4);
	memcpy(ts->end, hi, 4);
}

/* Tunnel i: 127.0.0.2 to 127.0.0.1, selectors 10.x.y.z/32 (i + 1) to
 * 172.16.0.0/12. */
static void
tunnel_cfg(const struct bd *b, unsigned long i, struct ike_cfg *cfg,
    struct child_cfg *ccfg)
{
	const uint8_t r_lo[4] = { 172, 16, 0, 0 }, r_hi[4] = { 172, 31, 255,
	    255 };
	uint8_t me[4] = { 10, (uint8_t)((i + 1) >> 16),
	    (uint8_t)((i + 1) >> 8), (uint8_t)(i + 1) };

	memset(cfg, 0, sizeof(*cfg));
	memset(ccfg, 0, sizeof(*ccfg));
	bench_suite_apply(b->o->suite, cfg, ccfg);
	cfg->local = b->me;
	cfg->remote = b->peer;
	cfg->retrans_ms = 5000;
	cfg->retrans_max = 3;
	ts_v4(&ccfg->local_ts, me, me);
	ts_v4(&ccfg->remote_ts, r_lo, r_hi);
	if (b->o->bc != NULL) {
		/* local_id type 0: the engine sends our subject DN */
		cfg->remote_id = b->o->bc->dn[BC_RESP];
		return;
	}
	cfg->local_id.type = IKEV2_ID_IPV4_ADDR;
	cfg->local_id.len = 4;
	memcpy(cfg->local_id.data, b->me.addr, 4);
	cfg->remote_id.type = IKEV2_ID_IPV4_ADDR;
	cfg->remote_id.len = 4;
	memcpy(cfg->remote_id.data, b->peer.addr, 4);
	memcpy(cfg->psk, bench_psk, sizeof(bench_psk) - 1);
	cfg->psk_len = sizeof(bench_psk) - 1;
}

static int
ini_open(struct bd *b)
{
	struct engine_callbacks cb = { .send = cb_send, .ike_cfg = cb_no_ike,
	    .child_cfg = cb_no_child, .event = cb_event, .arg = b };
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int big = 8 << 20;

	addr_v4(&b->me, "127.0.0.2", 0);
	addr_v4(&b->peer, "127.0.0.1", b->port);
	sin_of(&b->me, &sin);
	if ((b->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) < 0 ||
	    bind(b->fd, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(b->fd, (struct sockaddr *)&sin, &sl) != 0) {
		fprintf(stderr, "ike_bench: UDP socket on 127.0.0.2: %s\n",
		    strerror(errno));
		return -1;
	}
	/* A bigger buffer only avoids drops; failing is harmless. */
	(void)setsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	b->me.port = ntohs(sin.sin_port);
	if ((b->base = event_base_new()) == NULL ||
	    plat_open("mem", b->base, NULL, &b->plat) != 0 ||
	    engine_new(b->plat, &cb, NULL, &b->eng) != 0 ||
	    (b->o->bc != NULL && engine_set_certs(b->eng,
	    b->o->bc->own[BC_INI], b->o->bc->store) != 0)) {
		fprintf(stderr, "ike_bench: initiator engine: out of memory\n");
		return -1;
	}
	return 0;
}

static void
ini_close(struct bd *b)
{
	engine_free(b->eng);
	if (b->plat != NULL)
		plat_close(b->plat);
	if (b->base != NULL)
		event_base_free(b->base);
	if (b->fd >= 0)
		close(b->fd);
}

/* Every datagram waiting on the socket, to the engine. */
static void
drain(struct bd *b)
{
	struct sockaddr_in sin;
	struct ike_addr from;
	socklen_t sl;
	ssize_t r;

	for (;;) {
		sl = sizeof(sin);
		r = recvfrom(b->fd, b->buf, sizeof(b->buf), 0,
		    (struct sockaddr *)&sin, &sl);
		if (r < 0)
			return;		/* EAGAIN, or an error to retry */
		memset(&from, 0, sizeof(from));
		from.family = AF_INET;
		from.port = ntohs(sin.sin_port);
		memcpy(from.addr, &sin.sin_addr, 4);
		engine_input(b->eng, now_ms(), &from, &b->me, b->buf,
		    (size_t)r);
	}
}

static int
start_one(struct bd *b)
{
	struct ike_cfg cfg;
	struct child_cfg ccfg;
	uint32_t h;
	int rc;

	tunnel_cfg(b, b->started, &cfg, &ccfg);
	rc = engine_initiate(b->eng, &cfg, &ccfg, now_ms(), &h);
	ike_cfg_wipe(&cfg);
	if (rc != 0) {
		fprintf(stderr, "ike_bench: tunnel %lu not started: %s\n",
		    b->started, ike_strerror(rc));
		return -1;
	}
	b->started++;
	return 0;
}

static unsigned long
finished(const struct bd *b)
{
	return b->child_up + b->failed;
}

/* Keeps window handshakes in flight until n have finished; at[k] is
 * when finished() reached k * n / 10. */
static int
drive(struct bd *b, uint64_t at[11])
{
	unsigned long n = b->o->n, last = 0, dec = 1;
	uint64_t t, dl, progress = now_ms();
	struct pollfd pfd = { .fd = b->fd, .events = POLLIN };
	int wait;

	at[0] = bp_mono_ns();
	while (finished(b) < n) {
		while (b->started < n && b->started - finished(b) <
		    b->window)
			if (start_one(b) != 0)
				return -1;
		t = now_ms();
		dl = engine_next_deadline(b->eng);
		wait = dl <= t ? 0 : dl - t > 100 ? 100 : (int)(dl - t);
		(void)poll(&pfd, 1, wait);	/* drain() sees the rest */
		drain(b);
		if (engine_next_deadline(b->eng) <= now_ms())
			engine_tick(b->eng, now_ms());
		for (; dec <= 10 && finished(b) >= dec * n / 10; dec++)
			at[dec] = bp_mono_ns();
		if (finished(b) != last) {
			last = finished(b);
			progress = now_ms();
		} else if (now_ms() - progress > STALL_MS) {
			fprintf(stderr, "ike_bench: no progress for %d s with "
			    "%lu of %lu finished\n", STALL_MS / 1000, last, n);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------ verification */

/* Lines of `ike cmd=list phase=p` listing an Active tunnel of phase p,
 * asked LIST_CHUNK numbers at a time; -1 if ike fails. */
static long
listed_active(const struct bd *b, unsigned int p)
{
	char ike[BP_PATH], env_sock[BP_PATH + 16], phase[16], nums[64];
	const char *argv[] = { ike, "cmd=list", phase, nums, NULL };
	const char *env[] = { env_sock, NULL };
	unsigned long lo, ph, num;
	char *out, *line, *save, st[16];
	long n = 0;

	if (bin(b, "ike", ike) != 0)
		return -1;
	snprintf(env_sock, sizeof(env_sock), "IKE_SOCKET=%s", b->sock);
	snprintf(phase, sizeof(phase), "phase=%u", p);
	for (lo = 1; lo <= b->o->n; lo += LIST_CHUNK) {
		snprintf(nums, sizeof(nums), "numlist=%lu-%lu", lo,
		    lo + LIST_CHUNK - 1);
		if (bp_run(argv, env, NULL, &out, b->errlog) != 0 ||
		    out == NULL) {
			free(out);
			return -1;
		}
		for (line = strtok_r(out, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			if (sscanf(line, "%lu %lu %15s", &ph, &num, st) == 3 &&
			    ph == p && strcmp(st, "Active") == 0)
				n++;
		free(out);
	}
	return n;
}

/* ------------------------------------------------------------- report */

static double
rate(unsigned long k, uint64_t ns)
{
	return ns == 0 ? 0 : (double)k / ((double)ns / 1e9);
}

static int
report(const struct bd *b, const uint64_t at[11], double cpu, long r0,
    long r1)
{
	unsigned long n = b->o->n, tenth = n / 10;
	double wall = (double)(at[10] - at[0]) / 1e9;
	long p1 = listed_active(b, 1), p2 = listed_active(b, 2);

	printf("daemon: %lu handshakes (window %lu) in %.2f s wall = %.0f/s\n",
	    n, b->window, wall, rate(n, at[10] - at[0]));
	if (tenth > 0)
		printf("daemon: first 10%% at %.0f/s, last 10%% (%lu to %lu "
		    "tunnels up) at %.0f/s\n", rate(tenth, at[1] - at[0]),
		    n - tenth, n, rate(n - 9 * n / 10, at[10] - at[9]));
	if (cpu > 0)
		printf("daemon: CPU %.2f s (user+sys) = %.0f handshakes per "
		    "daemon-CPU-second (one core)\n", cpu, (double)n / cpu);
	else
		printf("daemon: CPU time unavailable\n");
	if (r0 >= 0 && r1 >= 0)
		printf("daemon: VmRSS %ld KiB -> %ld KiB with %lu tunnels up "
		    "= %.2f KiB per tunnel\n", r0, r1, n,
		    (double)(r1 - r0) / (double)n);
	else
		printf("daemon: VmRSS unavailable\n");
	printf("daemon lists %ld phase-1 and %ld phase-2 tunnels Active; "
	    "initiator: %lu IKE SAs, %lu Child SAs up, %lu failures\n", p1,
	    p2, b->ike_up, b->child_up, b->failed);
	if (p1 != (b->o->suite->version == IKE_VERSION_1 ? 1 : (long)n) ||
	    p2 != (long)n || b->ike_up != n ||
	    b->child_up != n || b->failed != 0) {
		fprintf(stderr, "ike_bench: not every tunnel came up\n");
		return -1;
	}
	return 0;
}

int
bench_daemon(const struct bd_opts *o)
{
	struct bd *b = calloc(1, sizeof(*b));	/* owned */
	uint64_t at[11] = { 0 };
	double c0, c1;
	long r0, r1;
	int rc = -1;

	if (b == NULL)
		return -1;
	b->o = o;
	b->fd = -1;
	b->window = o->window;
	if (prepare(b) != 0 || daemon_start(b) != 0 || ini_open(b) != 0)
		goto out;
	c0 = bp_cpu_s(b->pid);
	r0 = bp_rss_kib(b->pid);
	if (drive(b, at) != 0)
		goto out;
	c1 = bp_cpu_s(b->pid);
	r1 = bp_rss_kib(b->pid);
	rc = report(b, at, c0 >= 0 && c1 >= 0 ? c1 - c0 : -1, r0, r1);
out:
	if (rc != 0 && b->dir[0] != '\0')
		fprintf(stderr, "ike_bench: stderr of isakmpd, ikedb and "
		    "ike: %s\n", b->errlog);
	ini_close(b);
	bp_stop(b->pid);
	if (b->dir[0] != '\0' && !o->keep && rc == 0)
		bp_rmtree(b->dir);
	else if (b->dir[0] != '\0')
		printf("scratch directory kept: %s\n", b->dir);
	free(b);
	return rc;
}
