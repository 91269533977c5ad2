/* tests/platform/pmt.c: see pmt.h. */
#include "pmt.h"

#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/integ.h"
#include "platform/mem/mem.h"

static void
record(struct pmt *t, const struct pmt_up *u)
{
	assert_true(t->nup < PMT_MAX_UP);
	t->up[t->nup++] = *u;
}

static void
on_expired(void *arg, const struct plat_sa_id *id, bool hard)
{
	struct pmt *t = arg;
	struct pmt_up u = { .id = *id, .hard = hard };

	u.sa_present = mem_sa_find(t->p, id) != NULL;
	record(t, &u);
	if (t->on_expire != NULL)
		t->on_expire(t, id);
	if (hard && t->stop_on_hard)
		event_base_loopbreak(t->base);
}

static void
on_acquire(void *arg, uint32_t reqid, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	struct pmt *t = arg;
	struct pmt_up u = { .acquire = true, .reqid = reqid, .src = *src,
	    .dst = *dst };

	record(t, &u);
}

int
pmt_setup(void **state)
{
	static const char ek[] = "0123456789abcdefSALT";	/* 16 + 4 */
	struct plat_upcalls up = { on_expired, on_acquire, NULL };
	struct pmt *t;

	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->base = event_base_new()) == NULL)
		return -1;
	up.arg = t;
	if (plat_open("mem", t->base, &up, &t->p) != 0 ||
	    ike_key_from(ek, 20, &t->ekey) != 0 ||
	    ike_key_from("integrity-key-of-32-octets-long", 32, &t->ikey) != 0)
		return -1;
	*state = t;
	return 0;
}

int
pmt_teardown(void **state)
{
	struct pmt *t = *state;

	plat_close(t->p);
	ike_key_free(t->ekey);
	ike_key_free(t->ikey);
	event_base_free(t->base);
	free(t);
	return 0;
}

struct ike_addr
pmt_addr(const char *text)
{
	struct ike_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.addr) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.addr) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad address %s", text);
	return a;
}

struct ike_ts
pmt_ts(const char *start, const char *end, uint8_t proto)
{
	struct ike_addr s = pmt_addr(start), e = pmt_addr(end);
	struct ike_ts ts;

	memset(&ts, 0, sizeof(ts));
	ts.family = s.family;
	ts.proto = proto;
	ts.sport = 0;
	ts.eport = 65535;
	memcpy(ts.start, s.addr, sizeof(ts.start));
	memcpy(ts.end, e.addr, sizeof(ts.end));
	return ts;
}

struct plat_sa
pmt_sa(const struct pmt *t, uint32_t spi)
{
	struct plat_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.id.dst = pmt_addr("192.0.2.2");
	sa.id.spi = spi;
	sa.id.proto = IPPROTO_ESP;
	sa.src = pmt_addr("192.0.2.1");
	sa.reqid = 7;
	sa.replay_window = 64;
	sa.dir = PLAT_OUT;
	sa.mode = PLAT_TUNNEL;
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = t->ekey;
	return sa;
}

struct plat_policy
pmt_policy(void)
{
	struct plat_policy p;

	memset(&p, 0, sizeof(p));
	p.src = pmt_ts("10.1.0.0", "10.1.255.255", 0);
	p.dst = pmt_ts("10.2.0.0", "10.2.255.255", 0);
	p.dir = PLAT_OUT;
	p.action = PLAT_PROTECT;
	p.reqid = 7;
	p.proto = IPPROTO_ESP;
	p.tun_src = pmt_addr("192.0.2.1");
	p.tun_dst = pmt_addr("192.0.2.2");
	return p;
}

void
pmt_loop_once(struct pmt *t)
{
	assert_true(event_base_loop(t->base, EVLOOP_ONCE | EVLOOP_NONBLOCK)
	    >= 0);
}
