/* The Linux backend against the running kernel, in a network namespace
 * of this test process's own (unshare(CLONE_NEWNET) before the first
 * test; ctest forked the process, so the host's SAs, policies and
 * sockets are never touched).  Needs root.  What the backend does is
 * checked with iproute2 (`ip xfrm`), an independent reader of the
 * kernel's tables, and with real traffic out of a veth.
 *
 * The kernel need not have ESP: SPI reservation, policies, sockets,
 * ACQUIRE and the expiry of reserved SPIs work without it.  Adding an
 * ESP SA is checked against what `ip xfrm state add` says the kernel
 * can do: without ESP the backend must refuse with one message naming
 * the missing module. */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <event2/event.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/integ.h"
#include "core/err.h"
#include "platform/linux/linux.h"
#include "platform/posix/udp.h"
#include "plt.h"
#include "tests/lib/testutil.h"

#define MAX_UP	8

struct kt {
	struct event_base	*base;
	struct plat		*p;
	struct ike_key		*ekey, *ikey;
	size_t			 nexp, nacq;
	struct plat_sa_id	 exp[MAX_UP];
	bool			 hard[MAX_UP];
	uint32_t		 reqid;
	struct ike_ts		 src, dst;
	bool			 in_call;	/* inside a plat_* call */
	bool			 stop;		/* break the loop on upcalls */
};

static void
on_expired(void *arg, const struct plat_sa_id *id, bool hard)
{
	struct kt *t = arg;

	assert_false(t->in_call);
	assert_true(t->nexp < MAX_UP);
	t->exp[t->nexp] = *id;
	t->hard[t->nexp++] = hard;
	if (t->stop)
		event_base_loopbreak(t->base);
}

static void
on_acquire(void *arg, uint32_t reqid, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	struct kt *t = arg;

	assert_false(t->in_call);
	t->nacq++;
	t->reqid = reqid;
	t->src = *src;
	t->dst = *dst;
	if (t->stop)
		event_base_loopbreak(t->base);
}

/* Runs `ip args...` and returns its standard output (free()); fails the
 * test if ip fails and must_work. */
static char *
ipv(bool must_work, const char *const *args)
{
	const char *argv[24] = { "ip" };
	struct tu_run run;
	struct tu_result res;
	size_t i;

	for (i = 0; args[i] != NULL && i < 22; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	memset(&run, 0, sizeof(run));
	run.argv = argv;
	assert_int_equal(tu_run(&run, &res), 0);
	if (must_work && res.status != 0)
		fail_msg("ip %s %s: %s", args[0], args[1], res.err);
	free(res.err);
	if (!must_work && res.status != 0) {
		free(res.out);
		return NULL;
	}
	return res.out;
}

#define IP(...)		ipv(true, (const char *const[]){ __VA_ARGS__, NULL })
#define IP_TRY(...)	ipv(false, (const char *const[]){ __VA_ARGS__, NULL })

static void
ip_do(const char *const *args)
{
	free(ipv(true, args));
}

#define IP_DO(...)	ip_do((const char *const[]){ __VA_ARGS__, NULL })

static size_t
count(const char *text, const char *needle)
{
	size_t n = 0;

	while ((text = strstr(text, needle)) != NULL) {
		n++;
		text += strlen(needle);
	}
	return n;
}

static int
setup(void **state)
{
	struct plat_upcalls up = { on_expired, on_acquire, NULL };
	struct kt *t;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->base = event_base_new()) == NULL)
		return -1;
	up.arg = t;
	if (plat_open("linux", t->base, &up, &t->p) != 0 ||
	    ike_key_from("0123456789abcdef", 16, &t->ekey) != 0 ||
	    ike_key_from("integrity-key-of-32-octets-long", 32,
	    &t->ikey) != 0)
		return -1;
	*state = t;
	return 0;
}

/* Leaves the namespace's tables empty for the next test. */
static int
teardown(void **state)
{
	struct kt *t = *state;

	plat_close(t->p);
	ike_key_free(t->ekey);
	ike_key_free(t->ikey);
	event_base_free(t->base);
	free(t);
	IP_DO("xfrm", "state", "flush");
	IP_DO("xfrm", "policy", "flush");
	return 0;
}

/* Runs the loop for up to ms milliseconds (less if an upcall stops it). */
static void
loop_for(struct kt *t, long ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	assert_int_equal(event_base_loopexit(t->base, &tv), 0);
	assert_true(event_base_dispatch(t->base) >= 0);
}

static struct plat_sa
esp_sa(const struct kt *t, const char *src, const char *dst, uint32_t spi)
{
	struct plat_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.id.dst = plt_addr(dst);
	sa.id.spi = spi;
	sa.id.proto = IPPROTO_ESP;
	sa.src = plt_addr(src);
	sa.reqid = 7;
	sa.replay_window = 32;
	sa.dir = PLAT_OUT;
	sa.mode = PLAT_TUNNEL;
	sa.encr_alg = ENCR_AES_CBC;
	sa.encr_key = t->ekey;
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	sa.integ_key = t->ikey;
	return sa;
}

static struct plat_policy
tunnel_policy(enum plat_dir dir)
{
	struct plat_policy p;

	memset(&p, 0, sizeof(p));
	p.src = plt_ts("10.1.0.0", "10.1.255.255", 0);
	p.dst = plt_ts("10.2.0.0", "10.2.255.255", 0);
	p.dir = dir;
	p.action = PLAT_PROTECT;
	p.reqid = 7;
	p.proto = IPPROTO_ESP;
	p.tun_src = plt_addr("192.0.2.1");
	p.tun_dst = plt_addr("192.0.2.2");
	if (dir != PLAT_OUT) {
		p.src = plt_ts("10.2.0.0", "10.2.255.255", 0);
		p.dst = plt_ts("10.1.0.0", "10.1.255.255", 0);
		p.tun_src = plt_addr("192.0.2.2");
		p.tun_dst = plt_addr("192.0.2.1");
	}
	return p;
}

/* ------------------------------------------------------------ SPIs */

static void
spi_alloc_larval(void **state)
{
	struct kt *t = *state;
	struct ike_addr a = plt_addr("192.0.2.1"), b = plt_addr("192.0.2.2"),
	    a6 = plt_addr("2001:db8::1"), b6 = plt_addr("2001:db8::2");
	struct plat_sa_id id = { .dst = b, .proto = IPPROTO_ESP };
	struct plat_sa_stats st;
	uint32_t s1 = 0, s2 = 0, s3 = 0;
	char want[64], *out;

	t->in_call = true;
	assert_int_equal(plat_spi_alloc(t->p, &a, &b, IPPROTO_ESP, &s1), 0);
	assert_int_equal(plat_spi_alloc(t->p, &a, &b, IPPROTO_ESP, &s2), 0);
	assert_int_equal(plat_spi_alloc(t->p, &a6, &b6, IPPROTO_AH, &s3), 0);
	t->in_call = false;
	assert_true(s1 >= 256 && s2 >= 256 && s3 >= 256);
	assert_true(s1 != s2);
	out = IP("xfrm", "state");
	snprintf(want, sizeof(want), "spi 0x%08x", s1);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "spi 0x%08x", s2);
	assert_non_null(strstr(out, want));
	snprintf(want, sizeof(want), "proto ah spi 0x%08x", s3);
	assert_non_null(strstr(out, want));
	/* ip prints reqids in decimal: XFRM_OWN_REQID_BASE, larval. */
	assert_int_equal(count(out, "reqid 1224736768 "), 3);
	free(out);

	id.spi = s1;
	memset(&st, 0xff, sizeof(st));
	assert_int_equal(plat_sa_stats(t->p, &id, &st), 0);
	assert_true(st.bytes == 0 && st.packets == 0 && st.last_use == 0);
	assert_int_equal(plat_sa_delete(t->p, &id), 0);
	assert_int_equal(plat_sa_delete(t->p, &id), IKE_ENOTFOUND);
	assert_int_equal(plat_sa_stats(t->p, &id, &st), IKE_ENOTFOUND);
	out = IP("xfrm", "state");
	snprintf(want, sizeof(want), "spi 0x%08x", s1);
	assert_null(strstr(out, want));
	snprintf(want, sizeof(want), "spi 0x%08x", s2);
	assert_non_null(strstr(out, want));
	free(out);
	assert_int_equal(t->nexp + t->nacq, 0);
}

/* ------------------------------------------------------------ SAs */

/* Whether this kernel takes the ESP SA esp_sa() describes, asked of ip
 * (in the namespace; the probe SA is removed again). */
static bool
kernel_has_esp(void)
{
	char *out = IP_TRY("xfrm", "state", "add", "src", "192.0.2.1", "dst",
	    "192.0.2.2", "proto", "esp", "spi", "0x777", "mode", "tunnel",
	    "enc", "cbc(aes)", "0x30313233343536373839616263646566",
	    "auth-trunc", "hmac(sha256)",
	    "0x696e746567726974792d6b65792d6f662d33322d6f63746574732d6c6f6e00",
	    "128");

	if (out == NULL)
		return false;
	free(out);
	IP_DO("xfrm", "state", "delete", "src", "192.0.2.1", "dst",
	    "192.0.2.2", "proto", "esp", "spi", "0x777");
	return true;
}

/* Without ESP in the kernel, one line names what is missing; with it,
 * the SA is installed. */
static void
sa_add_esp(void **state)
{
	struct kt *t = *state;
	struct plat_sa sa = esp_sa(t, "192.0.2.1", "192.0.2.2", 0x1000),
	    sa6 = esp_sa(t, "2001:db8::1", "2001:db8::2", 0x1001);
	struct plat_sa_stats st;
	char *log, *out;
	int rc, rc6;

	plt_log_capture();
	rc = plat_sa_add(t->p, &sa);
	rc6 = plat_sa_add(t->p, &sa6);
	log = plt_log_end();
	if (kernel_has_esp()) {
		assert_int_equal(rc, 0);
		assert_int_equal(rc6, 0);
		assert_int_equal(plat_sa_stats(t->p, &sa.id, &st), 0);
		assert_int_equal(plat_sa_add(t->p, &sa), IKE_EEXIST);
	} else {
		assert_int_equal(rc, IKE_EUNSUPP);
		assert_int_equal(rc6, IKE_EUNSUPP);
		assert_non_null(strstr(log, "the kernel lacks ESP support "
		    "(CONFIG_INET_ESP / esp4): cannot add SA spi 0x00001000"));
		assert_non_null(strstr(log, "the kernel lacks ESP support "
		    "(CONFIG_INET6_ESP / esp6): cannot add SA spi 0x00001001"));
		assert_int_equal(plt_lines(log), 2);	/* once each */
		out = IP("xfrm", "state");
		assert_string_equal(out, "");		/* nothing half-done */
		free(out);
	}
	free(log);
}

/* An algorithm the kernel's crypto lacks (asked of ip first): one line
 * saying so, with the kernel's own explanation. */
static void
sa_add_missing_algorithm(void **state)
{
	struct kt *t = *state;
	struct ike_key *k;
	struct plat_sa sa = esp_sa(t, "192.0.2.1", "192.0.2.2", 0x1100);
	char *out, *log;
	bool gcm;
	int rc;

	out = IP_TRY("xfrm", "state", "add", "src", "192.0.2.1", "dst",
	    "192.0.2.2", "proto", "esp", "spi", "0x778", "mode", "tunnel",
	    "aead", "rfc4106(gcm(aes))",
	    "0x3031323334353637383961626364656630313233", "128");
	if ((gcm = out != NULL)) {
		free(out);
		IP_DO("xfrm", "state", "flush");
	}
	assert_int_equal(ike_key_from("0123456789abcdef0123", 20, &k), 0);
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = k;
	sa.integ_alg = 0;
	sa.integ_key = NULL;
	plt_log_capture();
	rc = plat_sa_add(t->p, &sa);
	log = plt_log_end();
	assert_int_equal(plt_lines(log), rc == 0 ? 0 : 1);
	if (rc == 0) {				/* ip agrees */
		assert_true(gcm);
	} else if (strstr(log, "lacks ESP support") != NULL) {
		assert_false(gcm);		/* GCM there, ESP missing */
		assert_int_equal(rc, IKE_EUNSUPP);
	} else {
		assert_false(gcm);
		assert_int_equal(rc, IKE_EUNSUPP);
		assert_non_null(strstr(log, "the kernel lacks an algorithm of "
		    "SA spi 0x00001100 (its crypto modules): cannot add it: "
		    "Requested AEAD algorithm not found"));
	}
	free(log);
	ike_key_free(k);
}

/* UPDSA only for an SPI we reserved: none is ENOTFOUND, a foreign
 * (or installed) SA is ESTATE, ours goes to the kernel. */
static void
sa_update_reserved_only(void **state)
{
	struct kt *t = *state;
	struct plat_sa sa = esp_sa(t, "192.0.2.1", "192.0.2.2", 0x2000);
	struct ike_addr a = plt_addr("192.0.2.1"), b = plt_addr("192.0.2.2");
	unsigned int foreign;
	char *out, *log;
	bool esp = kernel_has_esp();
	int rc;

	plt_log_capture();
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_ENOTFOUND);
	out = IP("xfrm", "state", "allocspi", "src", "192.0.2.1", "dst",
	    "192.0.2.2", "proto", "esp");
	assert_int_equal(sscanf(strstr(out, "spi 0x"), "spi 0x%x", &foreign),
	    1);
	free(out);
	sa.id.spi = foreign;
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_ESTATE);
	assert_int_equal(plat_spi_alloc(t->p, &a, &b, IPPROTO_ESP,
	    &sa.id.spi), 0);
	rc = plat_sa_update(t->p, &sa);
	log = plt_log_end();
	if (esp) {
		assert_int_equal(rc, 0);
		assert_int_equal(plat_sa_update(t->p, &sa), IKE_ESTATE);
	} else {
		assert_int_equal(rc, IKE_EUNSUPP);
		assert_non_null(strstr(log, "lacks ESP support (CONFIG_INET_ESP"
		    " / esp4): cannot update SA"));
	}
	assert_non_null(strstr(log, "is installed already, not reserved"));
	free(log);
}

/* ------------------------------------------------------------ policies */

static void
policies_add_delete(void **state)
{
	struct kt *t = *state;
	struct plat_policy out_p = tunnel_policy(PLAT_OUT),
	    in_p = tunnel_policy(PLAT_IN), fwd_p = tunnel_policy(PLAT_FWD),
	    tr, by, dis;
	char *out;

	tr = out_p;
	tr.src = plt_ts("192.0.2.1", "192.0.2.1", IPPROTO_TCP);
	tr.dst = plt_ts("192.0.2.2", "192.0.2.2", IPPROTO_TCP);
	tr.dst.sport = tr.dst.eport = 443;
	memset(&tr.tun_src, 0, sizeof(tr.tun_src));
	memset(&tr.tun_dst, 0, sizeof(tr.tun_dst));
	memset(&by, 0, sizeof(by));
	by.src = plt_ts("2001:db8::", "2001:db8::ffff", IPPROTO_UDP);
	by.dst = plt_ts("2001:db8:1::", "2001:db8:1::ffff", IPPROTO_UDP);
	by.dir = PLAT_IN;
	by.action = PLAT_BYPASS;
	dis = by;
	dis.dir = PLAT_OUT;
	dis.action = PLAT_DISCARD;
	dis.priority = 4242;

	assert_int_equal(plat_policy_add(t->p, &out_p), 0);
	assert_int_equal(plat_policy_add(t->p, &in_p), 0);
	assert_int_equal(plat_policy_add(t->p, &fwd_p), 0);
	assert_int_equal(plat_policy_add(t->p, &tr), 0);
	assert_int_equal(plat_policy_add(t->p, &by), 0);
	assert_int_equal(plat_policy_add(t->p, &dis), 0);
	assert_int_equal(plat_policy_add(t->p, &out_p), IKE_EEXIST);

	out = IP("xfrm", "policy");
	assert_int_equal(count(out, "src 10.1.0.0/16 dst 10.2.0.0/16"), 1);
	assert_int_equal(count(out, "src 10.2.0.0/16 dst 10.1.0.0/16"), 2);
	assert_int_equal(count(out, "dir out"), 3);
	assert_int_equal(count(out, "dir in"), 2);
	assert_int_equal(count(out, "dir fwd"), 1);
	assert_int_equal(count(out, "tmpl src 192.0.2.1 dst 192.0.2.2"), 1);
	assert_int_equal(count(out, "tmpl src 192.0.2.2 dst 192.0.2.1"), 2);
	assert_int_equal(count(out, "proto esp reqid 1224736775 mode tunnel"),
	    3);
	assert_int_equal(count(out, "mode transport"), 1);
	assert_int_equal(count(out, "dport 443"), 1);
	assert_int_equal(count(out, "action block"), 1);
	assert_int_equal(count(out, "priority 4242 "), 1);
	/* host pair, TCP, one port (more specific) below two /16s */
	assert_int_equal(count(out, "priority 1016 "), 1);
	assert_int_equal(count(out, "priority 1352 "), 3);
	free(out);

	assert_int_equal(plat_policy_delete(t->p, &out_p), 0);
	assert_int_equal(plat_policy_delete(t->p, &out_p), IKE_ENOTFOUND);
	assert_int_equal(plat_policy_delete(t->p, &in_p), 0);
	assert_int_equal(plat_policy_delete(t->p, &fwd_p), 0);
	assert_int_equal(plat_policy_delete(t->p, &tr), 0);
	assert_int_equal(plat_policy_delete(t->p, &by), 0);
	assert_int_equal(plat_policy_delete(t->p, &dis), 0);
	out = IP("xfrm", "policy");
	assert_string_equal(out, "");
	free(out);
}

/* ------------------------------------------------------------ flush */

/* Ours from this run and from an earlier one go; the administrator's
 * policies and SA stay. */
static void
flush_own_only(void **state)
{
	struct kt *t = *state;
	struct plat_policy out_p = tunnel_policy(PLAT_OUT),
	    in_p = tunnel_policy(PLAT_IN), by;
	struct ike_addr a = plt_addr("192.0.2.1"), b = plt_addr("192.0.2.2");
	struct plat *earlier;
	uint32_t spi;
	char *out;

	IP_DO("xfrm", "policy", "add", "src", "10.9.0.0/16", "dst",
	    "10.8.0.0/16", "dir", "out", "tmpl", "src", "192.0.2.9", "dst",
	    "192.0.2.8", "proto", "esp", "reqid", "5", "mode", "tunnel");
	IP_DO("xfrm", "policy", "add", "src", "10.9.0.0/16", "dst",
	    "10.8.0.0/16", "dir", "in", "action", "block");
	IP_DO("xfrm", "state", "allocspi", "src", "192.0.2.9", "dst",
	    "192.0.2.8", "proto", "esp");

	assert_int_equal(plat_open("linux", t->base, NULL, &earlier), 0);
	assert_int_equal(plat_policy_add(earlier, &in_p), 0);
	assert_int_equal(plat_spi_alloc(earlier, &a, &b, IPPROTO_ESP, &spi),
	    0);
	plat_close(earlier);		/* what it installed stays */

	memset(&by, 0, sizeof(by));
	by.src = plt_ts("10.5.0.0", "10.5.0.255", 0);
	by.dst = plt_ts("10.6.0.0", "10.6.0.255", 0);
	by.dir = PLAT_OUT;
	by.action = PLAT_BYPASS;
	assert_int_equal(plat_policy_add(t->p, &out_p), 0);
	assert_int_equal(plat_policy_add(t->p, &by), 0);
	assert_int_equal(plat_spi_alloc(t->p, &a, &b, IPPROTO_ESP, &spi), 0);
	out = IP("xfrm", "policy");
	assert_int_equal(count(out, "dir "), 5);
	free(out);

	assert_int_equal(plat_flush_own(t->p), 0);
	out = IP("xfrm", "policy");
	assert_int_equal(count(out, "dir "), 2);
	assert_int_equal(count(out, "src 10.9.0.0/16 dst 10.8.0.0/16"), 2);
	free(out);
	out = IP("xfrm", "state");
	assert_int_equal(count(out, "src 192.0.2.9 dst 192.0.2.8"), 1);
	assert_int_equal(count(out, "proto esp spi"), 1);
	free(out);
	assert_int_equal(plat_flush_own(t->p), 0);	/* nothing left: fine */
}

/* ------------------------------------------------------------ sockets */

static uint16_t
port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	assert_int_equal(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)(void *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)(void *)&ss)->sin6_port);
}

static ssize_t
send_to(int fd, const struct ike_addr *a, uint16_t port)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (a->family == AF_INET) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		memcpy(&sin.sin_addr, a->addr, 4);
		return sendto(fd, "ike", 3, 0, (struct sockaddr *)&sin,
		    sizeof(sin));
	}
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(port);
	memcpy(&sin6.sin6_addr, a->addr, 16);
	return sendto(fd, "ike", 3, 0, (struct sockaddr *)&sin6,
	    sizeof(sin6));
}

/* With every outbound UDP datagram from our address blocked by a
 * policy, a plain socket cannot send (EPERM) and the backend's sockets
 * can: their bypass policy is in place.  (The loopback is exempt from
 * XFRM, so the traffic leaves through a veth.)  The NAT-T socket has
 * ESP-in-UDP decapsulation on. */
static void
sockets_bypass(void **state)
{
	static const char *const local[] = { "10.77.0.1", "2001:db8:77::1" },
	    *const peer[] = { "10.77.0.2", "2001:db8:77::2" };
	struct kt *t = *state;
	struct plat_policy block;
	struct ike_addr a, b;
	int ike, natt, plain, type;
	socklen_t len = sizeof(type);
	size_t i;

	for (i = 0; i < 2; i++) {
		a = plt_addr(local[i]);
		b = plt_addr(peer[i]);
		memset(&block, 0, sizeof(block));
		block.src = plt_ts(local[i], local[i], IPPROTO_UDP);
		block.dst = plt_ts(peer[i], peer[i], IPPROTO_UDP);
		block.dir = PLAT_OUT;
		block.action = PLAT_DISCARD;
		assert_int_equal(plat_policy_add(t->p, &block), 0);
		assert_int_equal(plat_ike_socket(t->p, &a, &ike), 0);
		assert_int_equal(plat_natt_socket(t->p, &a, &natt), 0);
		assert_int_equal(posix_udp_socket(&a, &plain), 0);
		assert_int_equal(getsockopt(natt, IPPROTO_UDP, UDP_ENCAP, &type,
		    &len), 0);
		assert_int_equal(type, UDP_ENCAP_ESPINUDP);
		assert_int_equal(getsockopt(ike, IPPROTO_UDP, UDP_ENCAP, &type,
		    &len), 0);
		assert_int_equal(type, 0);

		assert_int_equal(send_to(plain, &b, 500), -1);
		assert_int_equal(errno, EPERM);
		assert_int_equal(send_to(ike, &b, 500), 3);
		assert_int_equal(send_to(natt, &b, 4500), 3);
		assert_true(port_of(ike) != 0);
		close(ike);
		close(natt);
		close(plain);
	}
}

/* ------------------------------------------------------------ events */

/* Traffic hitting our outbound policy without an SA: the kernel's
 * ACQUIRE arrives on the event loop with our reqid and the packet's
 * addresses and ports.  A foreign policy's ACQUIRE does not. */
static void
acquire_upcall(void **state)
{
	struct kt *t = *state;
	struct plat_policy trap;
	struct ike_addr me = plt_addr("10.77.0.1"), dst = plt_addr("10.77.0.2");
	int s;

	IP_DO("xfrm", "policy", "add", "src", "10.77.0.1/32", "dst",
	    "10.77.0.3/32", "dir", "out", "tmpl", "src", "10.77.0.1", "dst",
	    "10.77.0.3", "proto", "esp", "reqid", "5", "mode", "tunnel");
	memset(&trap, 0, sizeof(trap));
	trap.src = plt_ts("10.77.0.1", "10.77.0.1", 0);
	trap.dst = plt_ts("10.77.0.2", "10.77.0.2", 0);
	trap.dir = PLAT_OUT;
	trap.action = PLAT_PROTECT;
	trap.reqid = 9;
	trap.proto = IPPROTO_ESP;
	trap.trap = true;
	trap.tun_src = plt_addr("10.77.0.1");
	trap.tun_dst = plt_addr("10.77.0.2");
	assert_int_equal(plat_policy_add(t->p, &trap), 0);

	assert_int_equal(posix_udp_socket(&me, &s), 0);
	(void)send_to(s, &dst, 9);	/* held or dropped: no SA */
	dst = plt_addr("10.77.0.3");
	(void)send_to(s, &dst, 9);	/* the foreign policy's */
	loop_for(t, 1000);
	close(s);
	assert_int_equal(t->nacq, 1);
	assert_int_equal(t->reqid, 9);
	assert_int_equal(t->src.family, AF_INET);
	assert_memory_equal(t->src.start, me.addr, 4);
	assert_memory_equal(t->src.end, me.addr, 4);
	assert_memory_equal(t->dst.start, "\x0a\x4d\x00\x02", 4);
	assert_memory_equal(t->dst.end, "\x0a\x4d\x00\x02", 4);
	assert_int_equal(t->dst.proto, IPPROTO_UDP);
	assert_int_equal(t->dst.sport, 9);
	assert_int_equal(t->dst.eport, 9);
}

/* A reserved SPI the core never completes expires (the kernel's
 * xfrm_acq_expires, 1 s here): a hard expiry upcall for it, none for a
 * foreign one, and the SA is gone. */
static void
expire_upcall(void **state)
{
	struct kt *t = *state;
	struct ike_addr a = plt_addr("192.0.2.1"), b = plt_addr("192.0.2.2");
	struct plat_sa_id id = { .dst = b, .proto = IPPROTO_ESP };
	struct plat_sa_stats st;
	FILE *f;

	assert_non_null(f = fopen("/proc/sys/net/core/xfrm_acq_expires", "w"));
	assert_true(fputs("1\n", f) >= 0);
	assert_int_equal(fclose(f), 0);
	IP_DO("xfrm", "state", "allocspi", "src", "192.0.2.9", "dst",
	    "192.0.2.8", "proto", "esp");
	t->in_call = true;
	assert_int_equal(plat_spi_alloc(t->p, &a, &b, IPPROTO_ESP, &id.spi),
	    0);
	t->in_call = false;
	assert_int_equal(t->nexp, 0);		/* never from inside a call */
	loop_for(t, 3500);
	assert_int_equal(t->nexp, 1);
	assert_true(t->hard[0]);
	assert_int_equal(t->exp[0].spi, id.spi);
	assert_int_equal(t->exp[0].proto, IPPROTO_ESP);
	assert_memory_equal(t->exp[0].dst.addr, b.addr, 4);
	assert_int_equal(plat_sa_stats(t->p, &id, &st), IKE_ENOTFOUND);
	assert_non_null(f = fopen("/proc/sys/net/core/xfrm_acq_expires", "w"));
	assert_true(fputs("30\n", f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------ no xfrm_user */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LO(n)	(offsetof(struct seccomp_data, args[n]))
#else
#define ARG_LO(n)	(offsetof(struct seccomp_data, args[n]) + 4)
#endif

/* Makes socket(AF_NETLINK, *, NETLINK_XFRM) fail as it does on a kernel
 * without xfrm_user: EPROTONOSUPPORT. */
static int
deny_xfrm_netlink(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_socket, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_NETLINK, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(2)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NETLINK_XFRM, 0, 1),
		BPF_STMT(BPF_RET | BPF_K,
		    SECCOMP_RET_ERRNO | (EPROTONOSUPPORT & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
		return -1;
	return 0;
}

/* In a child (the filter stays with it): opening the backend fails with
 * IKE_EUNSUPP and one line naming the missing kernel feature. */
static void
no_xfrm_user(void **state)
{
	struct event_base *base;
	struct plat *p = NULL;
	char *log;
	pid_t pid;
	int st, rc, code = 0;

	(void)state;
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		if (deny_xfrm_netlink() != 0)
			_exit(10);
		if ((base = event_base_new()) == NULL)
			_exit(11);
		plt_log_capture();
		rc = plat_open("linux", base, NULL, &p);
		log = plt_log_end();
		if (rc != IKE_EUNSUPP || p != NULL)
			code = 12;
		else if (strstr(log, "the kernel lacks XFRM netlink support "
		    "(CONFIG_XFRM_USER / xfrm_user)") == NULL)
			code = 13;
		else if (plt_lines(log) != 1)
			code = 14;
		if (code != 0)
			fprintf(stderr, "open: %d, log: %s", rc, log);
		free(log);
		event_base_free(base);
		_exit(code);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(spi_alloc_larval, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(sa_add_esp, setup, teardown),
		cmocka_unit_test_setup_teardown(sa_add_missing_algorithm, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(sa_update_reserved_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(policies_add_delete, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(flush_own_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(sockets_bypass, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(acquire_upcall, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(expire_upcall, setup,
		    teardown),
		cmocka_unit_test(no_xfrm_user),
	};

	if (unshare(CLONE_NEWNET) != 0) {
		fprintf(stderr, "this test needs root: unshare(CLONE_NEWNET): "
		    "%s\n", strerror(errno));
		return 1;
	}
	IP_DO("link", "set", "lo", "up");
	IP_DO("link", "add", "v0", "type", "veth", "peer", "name", "v1");
	IP_DO("link", "set", "v0", "up");
	IP_DO("link", "set", "v1", "up");
	IP_DO("addr", "add", "10.77.0.1/24", "dev", "v0");
	IP_DO("addr", "add", "2001:db8:77::1/64", "dev", "v0", "nodad");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
