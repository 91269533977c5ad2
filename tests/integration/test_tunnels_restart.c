/* A daemon restarted on one side, and what its peer makes of it: two
 * real isakmpd processes (-K mem) in network namespaces joined by a
 * veth pair (tun_util.c), A at 192.0.2.1 and B at 192.0.2.2, driven
 * only through ikedb and ike.
 *
 * - B killed with SIGKILL while the tunnel is up and started again on
 *   the same database; A, which cannot know, refuses to activate the
 *   tunnel again ("already exists"); `ike cmd=remove all` on A sends a
 *   Delete the new B cannot read, so the old tunnels end Expired with
 *   "peer not responding" when its retransmissions run out; A
 *   activates again: one Active phase 1 and phase 2 on B, the old
 *   entries Expired and the new ones Active on A.
 * - B killed and started again, then B activates: B has no SA with A,
 *   so its IKE_AUTH carries INITIAL_CONTACT and A drops the old
 *   tunnels at once ("replaced: the peer restarted"), without any
 *   liveness check.
 * - LIVENESS_CHK_INTERVAL=2 on both sides: B killed and not started
 *   again, A lists the tunnels Expired ("peer not responding") within
 *   the bound that the engine's retransmission schedule gives; B alive
 *   and the tunnel idle, the probes are answered and the tunnel stays
 *   Active on both sides past that bound.
 *
 * The listings are compared line by line.  Needs root and `ip netns`. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "tests/integration/tun_util.h"

#define HEAD	"Phase  Tun Id  Status      Local Id                        " \
		"Remote Id\n"

/* isakmpd.conf lines: debug logging (the liveness checks and the
 * INITIAL_CONTACT clean-up are logged), and liveness every 2 s. */
#define CONF_LOG	"log_level=information\n"
#define CONF_LIVE	CONF_LOG "LIVENESS_CHK_INTERVAL=2\n"
#define LIVE_MS		2000

/* The engine's schedule (core/exchange/xchg.c): a request is sent again
 * after 0.5, 1, 2, 4 and 8 s, and the peer is dead 16 s after the last
 * of those five retransmissions, 31.5 s after the first send. */
#define DEAD_MS		31500
/* How long an unanswered liveness probe takes to kill an SA, from the
 * moment the peer died: the probe goes out at most one interval after
 * the last message heard. */
#define LIVE_DEAD_MS	(LIVE_MS + DEAD_MS)
#define MARGIN_MS	10000	/* a loaded machine, an ASan build */

static const char p1_a[] =
    "1      1       Active      192.0.2.1                       192.0.2.2\n";
static const char p2_a[] =
    "2      1       Active      10.1.0.0-10.1.0.255             "
    "10.2.0.0-10.2.0.255\n";
static const char p1_a_exp[] =
    "1      1       Expired     192.0.2.1                       192.0.2.2\n";
static const char p2_a_exp[] =
    "2      1       Expired     10.1.0.0-10.1.0.255             "
    "10.2.0.0-10.2.0.255\n";
static const char p1_a_new[] =
    "1      2       Active      192.0.2.1                       192.0.2.2\n";
static const char p2_a_new[] =
    "2      2       Active      10.1.0.0-10.1.0.255             "
    "10.2.0.0-10.2.0.255\n";
static const char p1_b[] =
    "1      1       Active      192.0.2.2                       192.0.2.1\n";
static const char p2_b[] =
    "2      1       Active      10.2.0.0-10.2.0.255             "
    "10.1.0.0-10.1.0.255\n";

/* One side's database: IKETunnel t1 from 192.0.2.<me> to the other,
 * its key, and IPSecTunnel s1 between 10.<me>.0.0/24 and the other's
 * LAN. */
static void
put_defs(struct tun_side *s, int me)
{
	char xml[4096];
	int peer = 3 - me;

	snprintf(xml, sizeof(xml),
	    "<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n"
	    "<IKEProtection IKE_ProtectionName=\"p1\" IKE_Version=\"2\">\n"
	    "<IKETransform IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\""
	    " IKE_DHGroup=\"19\" IKE_AuthenticationMethod=\"Preshared_Key\""
	    " IKE_KeyRefreshMinutes=\"480\"/>\n</IKEProtection>\n"
	    "<IKETunnel IKE_TunnelName=\"t1\" IKE_ProtectionRef=\"p1\">\n"
	    "<IKELocalIdentity><IPV4_Address Value=\"192.0.2.%d\"/>"
	    "</IKELocalIdentity>\n<IKERemoteIdentity><IPV4_Address "
	    "Value=\"192.0.2.%d\"/></IKERemoteIdentity>\n</IKETunnel>\n"
	    "<IKEPresharedKey Value=\"k\"><IKEPresharedRemoteID>"
	    "<IPV4_Address Value=\"192.0.2.%d\"/></IKEPresharedRemoteID>"
	    "</IKEPresharedKey>\n"
	    "<IPSecProposal IPSec_ProposalName=\"esp\">"
	    "<IPSecESPProtocol ESP_Encryption=\"AES-GCM-256\""
	    " ESP_Authentication=\"None\" ESP_EncapsulationMode=\"Tunnel\""
	    " ESP_KeyRefreshMinutes=\"60\"/></IPSecProposal>\n"
	    "<IPSecProtection IPSec_ProtectionName=\"q1\""
	    " IPSec_ProposalRefs=\"esp\"/>\n"
	    "<IPSecTunnel IPSec_TunnelName=\"s1\" IKE_TunnelName=\"t1\""
	    " IPSec_ProtectionRef=\"q1\">\n<IPSecLocalIdentity><IPV4_Subnet "
	    "Value=\"10.%d.0.0\" NetMask=\"255.255.255.0\"/>"
	    "</IPSecLocalIdentity>\n<IPSecRemoteIdentity><IPV4_Subnet "
	    "Value=\"10.%d.0.0\" NetMask=\"255.255.255.0\"/>"
	    "</IPSecRemoteIdentity>\n</IPSecTunnel>\n</AIX_VPN>\n",
	    me, peer, peer, me, peer);
	tun_ikedb_put(s, "-p", xml);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Runs ike with up to three arguments on s; expects status and exactly
 * err on standard error. */
static void
ike_expect(struct tun_side *s, const char *a1, const char *a2,
    const char *a3, int status, const char *err)
{
	struct tu_result res;

	tun_ike(s, a1, a2, a3, NULL, &res);
	if (res.status != status)
		fprintf(stderr, "ike %s %s %s in %s: exit %d: %s%s", a1,
		    a2 ? a2 : "", a3 ? a3 : "", s->ns, res.status, res.out,
		    res.err);
	assert_int_equal(res.status, status);
	assert_string_equal(res.err, err);
	tu_result_free(&res);
}

/* Polls `ike cmd=list [arg]` on s until it prints exactly want or the
 * clock passes deadline (now_ms()); fails the test, naming the first
 * line that differs, if it never does.  Returns when it did. */
static uint64_t
list_until(struct tun_side *s, const char *arg, const char *want,
    uint64_t deadline)
{
	struct tu_result res;
	uint64_t t;

	for (;;) {
		tun_ike(s, "cmd=list", arg, NULL, NULL, &res);
		t = now_ms();
		assert_int_equal(res.status, 0);
		if (strcmp(res.out, want) == 0 || t > deadline)
			break;
		tu_result_free(&res);
		td_sleep_ms(50);
	}
	if (strcmp(res.out, want) != 0)
		fprintf(stderr, "%s, `ike cmd=list %s` after the deadline:\n%s",
		    s->ns, arg ? arg : "", res.out);
	tu_same_lines(res.out, want);
	tu_result_free(&res);
	return t;
}

/* The same, within ms from now. */
static uint64_t
list_within(struct tun_side *s, const char *arg, const char *want, int ms)
{
	return list_until(s, arg, want, now_ms() + (uint64_t)ms);
}

/* `ike cmd=list` on s prints exactly want, now. */
static void
list_now(struct tun_side *s, const char *want)
{
	list_until(s, NULL, want, 0);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* How often needle occurs in `ike cmd=list verbose` on s. */
static size_t
verbose_count(struct tun_side *s, const char *needle)
{
	struct tu_result res;
	size_t n;

	tun_ike(s, "cmd=list", "verbose", NULL, NULL, &res);
	assert_int_equal(res.status, 0);
	n = count(res.out, needle);
	tu_result_free(&res);
	return n;
}

/* How often needle occurs in the daemon's stderr on s. */
static size_t
log_count(struct tun_side *s, const char *needle)
{
	char *log = td_errlog(&s->td);
	size_t n;

	assert_non_null(log);
	n = count(log, needle);
	free(log);
	return n;
}

/* Both databases, both daemons with conf, and the tunnel up from A. */
static void
tunnel_up(struct tun_fx *f, const char *conf)
{
	char want[512];

	put_defs(&f->s[0], 1);
	put_defs(&f->s[1], 2);
	tun_daemon_start_conf(&f->s[0], conf);
	tun_daemon_start_conf(&f->s[1], conf);
	ike_expect(&f->s[0], "cmd=activate", "numlist=1", NULL, 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a, p2_a);
	list_within(&f->s[0], NULL, want, 10000);
	snprintf(want, sizeof(want), HEAD "%s%s", p1_b, p2_b);
	list_within(&f->s[1], NULL, want, 10000);
}

/* B killed with SIGKILL and started again on the same database: it
 * lists nothing. */
static void
restart_b(struct tun_fx *f, const char *conf)
{
	tun_daemon_kill(&f->s[1]);
	tun_daemon_start_conf(&f->s[1], conf);
	list_now(&f->s[1], "");
}

/* B restarted, A initiates again.  A still holds its old IKE SA with B
 * and cannot know that B forgot it (no liveness here), so activate
 * refuses and A's list shows the old tunnels Active.  remove sends a
 * Delete in the old SA, which the new B cannot read and does not
 * answer: A's retransmissions run out and both old entries are Expired
 * with "peer not responding".  A's next activate starts a new IKE SA
 * (with INITIAL_CONTACT: A has no live SA with B any more): B lists
 * exactly one phase 1 and one phase 2, A the old ones Expired and the
 * new ones Active. */
static void
test_restart_then_initiator_again(void **state)
{
	struct tun_fx *f = *state;
	char want[1024];

	tunnel_up(f, CONF_LOG);
	restart_b(f, CONF_LOG);
	ike_expect(&f->s[0], "cmd=activate", "numlist=1", NULL, 3,
	    "phase-2 tunnel 1 (s1) already exists\n");
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a, p2_a);
	list_now(&f->s[0], want);
	list_now(&f->s[1], "");

	ike_expect(&f->s[0], "cmd=remove", "all", NULL, 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a_exp, p2_a_exp);
	list_within(&f->s[0], NULL, want, DEAD_MS + MARGIN_MS);
	assert_int_equal(verbose_count(&f->s[0],
	    "Reason: peer not responding\n"), 2);
	list_now(&f->s[1], "");

	ike_expect(&f->s[0], "cmd=activate", "numlist=1", NULL, 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s%s%s", p1_a_exp, p2_a_exp,
	    p1_a_new, p2_a_new);
	list_within(&f->s[0], NULL, want, 10000);
	snprintf(want, sizeof(want), HEAD "%s%s", p1_b, p2_b);
	list_within(&f->s[1], NULL, want, 10000);
	assert_int_equal(verbose_count(&f->s[1], "Role: Responder\n"), 2);
	assert_int_equal(verbose_count(&f->s[1], "Status: Active\n"), 2);
	assert_int_equal(verbose_count(&f->s[0], "Status: Active\n"), 2);

	ike_expect(&f->s[0], "cmd=remove", "all", NULL, 0, "");
	tun_wait_empty(&f->s[0]);
	tun_wait_empty(&f->s[1]);
	tun_stop_both(f);
}

/* B restarted, B initiates: its IKE_AUTH carries INITIAL_CONTACT (it
 * has no SA with A), and A drops the old tunnels as soon as the request
 * is authenticated, before the new ones are installed: within a second
 * or two, without a liveness check (none is configured). */
static void
test_restart_then_peer_initiates(void **state)
{
	struct tun_fx *f = *state;
	char want[1024];
	uint64_t t0, t1;

	tunnel_up(f, CONF_LOG);
	restart_b(f, CONF_LOG);
	t0 = now_ms();
	ike_expect(&f->s[1], "cmd=activate", "numlist=1", NULL, 0, "");
	snprintf(want, sizeof(want), HEAD "%s%s%s%s", p1_a_exp, p2_a_exp,
	    p1_a_new, p2_a_new);
	t1 = list_within(&f->s[0], NULL, want, 3000);
	fprintf(stderr, "A dropped the old tunnels %llu ms after B's "
	    "activate\n", (unsigned long long)(t1 - t0));
	snprintf(want, sizeof(want), HEAD "%s%s", p1_b, p2_b);
	list_within(&f->s[1], NULL, want, 3000);

	/* The old ones, phase 1 and phase 2, with the reason; the new
	 * ones answered by A. */
	assert_int_equal(verbose_count(&f->s[0],
	    "Reason: replaced: the peer restarted\n"), 2);
	assert_int_equal(verbose_count(&f->s[0], "Role: Responder\n"), 2);
	assert_int_equal(verbose_count(&f->s[1], "Role: Initiator\n"), 2);
	assert_int_equal(log_count(&f->s[0], "restarted (INITIAL_CONTACT)"),
	    1);
	assert_int_equal(log_count(&f->s[0], "liveness check"), 0);

	ike_expect(&f->s[1], "cmd=remove", "all", NULL, 0, "");
	tun_wait_empty(&f->s[1]);
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a_exp, p2_a_exp);
	list_within(&f->s[0], NULL, want, 10000);
	tun_stop_both(f);
}

/* Liveness every 2 s on both sides; B killed and not started again.  A
 * probes, retransmits and gives up: both tunnels Expired with "peer not
 * responding", not before A's probe could have run out (one lost probe
 * does not kill the SA) and no later than the schedule allows. */
static void
test_liveness_dead_peer(void **state)
{
	struct tun_fx *f = *state;
	char want[1024];
	uint64_t killed, t;

	tunnel_up(f, CONF_LIVE);
	tun_daemon_kill(&f->s[1]);
	killed = now_ms();

	/* The earliest A can give up is DEAD_MS after its probe, which
	 * goes out when it heard nothing for an interval: 20 s is well
	 * inside. */
	td_sleep_ms(20000);
	snprintf(want, sizeof(want), HEAD "%s%s", p1_a, p2_a);
	list_now(&f->s[0], want);

	snprintf(want, sizeof(want), HEAD "%s%s", p1_a_exp, p2_a_exp);
	t = list_until(&f->s[0], NULL, want, killed + LIVE_DEAD_MS +
	    MARGIN_MS);
	fprintf(stderr, "A gave up on B %llu ms after B was killed\n",
	    (unsigned long long)(t - killed));
	assert_int_equal(verbose_count(&f->s[0],
	    "Reason: peer not responding\n"), 2);
	assert_true(log_count(&f->s[0], "liveness check") >= 1);
	assert_int_equal(log_count(&f->s[0], "no answer to request"), 1);
	assert_int_equal(td_stop(&f->s[0].td, SIGTERM), 0);
}

/* The control: B alive, the tunnel idle.  Each side's probes are
 * answered (a side sends its next probe only once the last one was
 * answered, so two from each prove it), and the tunnel is still Active
 * on both sides after 3 intervals and after the time an unanswered
 * probe would have taken to kill it. */
static void
test_liveness_idle_answered(void **state)
{
	struct tun_fx *f = *state;
	char want_a[512], want_b[512];
	uint64_t up;
	int i;

	tunnel_up(f, CONF_LIVE);
	up = now_ms();
	snprintf(want_a, sizeof(want_a), HEAD "%s%s", p1_a, p2_a);
	snprintf(want_b, sizeof(want_b), HEAD "%s%s", p1_b, p2_b);
	td_sleep_ms(3 * LIVE_MS + 200);
	list_now(&f->s[0], want_a);
	list_now(&f->s[1], want_b);
	for (i = 0; i < 100 && (log_count(&f->s[0], "liveness check") < 2 ||
	    log_count(&f->s[1], "liveness check") < 2); i++)
		td_sleep_ms(100);
	assert_true(log_count(&f->s[0], "liveness check") >= 2);
	assert_true(log_count(&f->s[1], "liveness check") >= 2);

	while (now_ms() < up + LIVE_DEAD_MS + 2000)
		td_sleep_ms(500);
	list_now(&f->s[0], want_a);
	list_now(&f->s[1], want_b);
	assert_int_equal(log_count(&f->s[0], "no answer to request"), 0);
	assert_int_equal(log_count(&f->s[1], "no answer to request"), 0);
	assert_true(log_count(&f->s[0], "liveness check") >= 4);
	tun_stop_both(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_restart_then_initiator_again, tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(
		    test_restart_then_peer_initiates, tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_liveness_dead_peer,
		    tun_setup, tun_teardown),
		cmocka_unit_test_setup_teardown(test_liveness_idle_answered,
		    tun_setup, tun_teardown),
	};

	if (tun_check_env("test_tunnels_restart") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
