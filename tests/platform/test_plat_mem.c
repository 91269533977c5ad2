/* The platform interface over the in-memory backend: every backend fills
 * every slot; SPIs; SAs added, updated, deleted, refused; counters;
 * policies; injected failures; flush_own.  Upcalls and timers are in
 * test_plat_mem_events.c, sockets in test_plat_mem_sock.c. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <event2/event.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/integ.h"
#include "core/err.h"
#include "platform/mem/mem.h"
#include "pmt.h"

/* ------------------------------------------------------------ ops */

static const struct {
	const char	*name;
	size_t		 off;
} slots[] = {
	{ "name", offsetof(struct plat_ops, name) },
	{ "open", offsetof(struct plat_ops, open) },
	{ "close", offsetof(struct plat_ops, close) },
	{ "spi_alloc", offsetof(struct plat_ops, spi_alloc) },
	{ "sa_add", offsetof(struct plat_ops, sa_add) },
	{ "sa_update", offsetof(struct plat_ops, sa_update) },
	{ "sa_delete", offsetof(struct plat_ops, sa_delete) },
	{ "sa_stats", offsetof(struct plat_ops, sa_stats) },
	{ "policy_add", offsetof(struct plat_ops, policy_add) },
	{ "policy_delete", offsetof(struct plat_ops, policy_delete) },
	{ "ike_socket", offsetof(struct plat_ops, ike_socket) },
	{ "natt_socket", offsetof(struct plat_ops, natt_socket) },
	{ "flush_own", offsetof(struct plat_ops, flush_own) },
	{ "kernel_check", offsetof(struct plat_ops, kernel_check) },
};

/* Every slot is listed above: together they fill the struct. */
static void
slots_cover_the_struct(void **state)
{
	size_t i, sum = 0;

	(void)state;
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		sum += i == 0 ? sizeof(const char *) : sizeof(void (*)(void));
	assert_int_equal(sum, sizeof(struct plat_ops));
}

static void
every_backend_fills_every_slot(void **state)
{
	const struct plat_ops *const *b;
	size_t n = 0;

	(void)state;
	for (b = plat_backends; *b != NULL; b++, n++) {
		assert_null(plat_ops_missing(*b));
		assert_non_null((*b)->name);
	}
	assert_true(n >= 1);
}

/* The check finds each slot missing (a NULL pointer is all-zero bits on
 * every system we build for). */
static void
missing_slot_is_named(void **state)
{
	struct plat_ops o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		o = plat_mem_ops;
		memset((char *)&o + slots[i].off, 0, sizeof(void *));
		assert_non_null(plat_ops_missing(&o));
		assert_string_equal(plat_ops_missing(&o), slots[i].name);
	}
}

static void
default_backend_is_built_in(void **state)
{
	const struct plat_ops *const *b;
	bool found = false;

	(void)state;
	for (b = plat_backends; *b != NULL; b++)
		found |= strcmp((*b)->name, plat_default_backend()) == 0;
	assert_true(found);
}

static void
open_errors(void **state)
{
	struct event_base *base = event_base_new();
	struct plat *p = NULL;

	(void)state;
	assert_non_null(base);
	assert_int_equal(plat_open("nosuch", base, NULL, &p), IKE_ENOTFOUND);
	assert_null(p);
	assert_int_equal(plat_open("mem", NULL, NULL, &p), IKE_EINVAL);
	assert_int_equal(plat_open(NULL, base, NULL, &p), IKE_EINVAL);
	assert_int_equal(plat_open("mem", base, NULL, &p), 0);  /* no upcalls */
	assert_string_equal(plat_name(p), "mem");
	plat_close(p);
	plat_close(NULL);
	event_base_free(base);
}

/* ------------------------------------------------------------ SPIs */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

#define NSPI	3000

static void
spi_unique_random_and_reserved(void **state)
{
	struct pmt *t = *state;
	struct ike_addr src = pmt_addr("192.0.2.2");
	struct ike_addr dst = pmt_addr("192.0.2.1");
	const struct mem_sa *m;
	struct plat_sa_id id = { .dst = dst, .proto = IPPROTO_ESP };
	uint32_t *spi = calloc(NSPI, sizeof(*spi));
	size_t i;

	assert_non_null(spi);
	for (i = 0; i < NSPI; i++) {
		assert_int_equal(plat_spi_alloc(t->p, &src, &dst, IPPROTO_ESP,
		    &spi[i]), 0);
		assert_true(spi[i] >= 256);
	}
	assert_int_equal(mem_larval_count(t->p), NSPI);
	assert_int_equal(mem_sa_count(t->p), 0);
	id.spi = spi[NSPI / 2];
	assert_non_null(m = mem_sa_find(t->p, &id));
	assert_true(m->larval);
	assert_int_equal(m->sa.dir, PLAT_IN);
	assert_memory_equal(m->sa.src.addr, src.addr, 4);
	assert_null(m->sa.encr_key);
	qsort(spi, NSPI, sizeof(*spi), cmp_u32);
	for (i = 1; i < NSPI; i++)
		assert_true(spi[i - 1] < spi[i]);	/* no repeats */
	/* Random over 32 bits, not a counter. */
	assert_true(spi[NSPI - 1] - spi[0] > (1u << 24));
	free(spi);
}

static void
spi_range_exhausted_and_collisions(void **state)
{
	struct pmt *t = *state;
	struct ike_addr src = pmt_addr("192.0.2.1");
	struct ike_addr dst = pmt_addr("192.0.2.2");
	struct ike_addr other = pmt_addr("192.0.2.9");
	struct plat_sa sa = pmt_sa(t, 300);
	struct plat_sa_id id = { .dst = dst, .proto = IPPROTO_ESP };
	uint32_t spi = 0, seen = 0;
	int i;

	assert_int_equal(mem_spi_range(t->p, 255, 300), IKE_EINVAL);
	assert_int_equal(mem_spi_range(t->p, 301, 300), IKE_EINVAL);
	assert_int_equal(mem_spi_range(t->p, 300, 303), 0);
	assert_int_equal(plat_sa_add(t->p, &sa), 0);	/* takes 300 */
	for (i = 0; i < 3; i++) {
		assert_int_equal(plat_spi_alloc(t->p, &src, &dst, IPPROTO_ESP,
		    &spi), 0);
		assert_true(spi >= 301 && spi <= 303);
		seen |= 1u << (spi - 300);
	}
	assert_int_equal(seen, 0xe);	/* 301, 302, 303 once each */
	spi = 12345;
	assert_int_equal(plat_spi_alloc(t->p, &src, &dst, IPPROTO_ESP, &spi),
	    IKE_ENOSPC);
	assert_int_equal(spi, 12345);		/* untouched on failure */
	/* Unique per destination and protocol, as in a kernel. */
	assert_int_equal(plat_spi_alloc(t->p, &src, &dst, IPPROTO_AH, &spi), 0);
	assert_int_equal(plat_spi_alloc(t->p, &other, &other, IPPROTO_ESP,
	    &spi), 0);
	/* A freed SPI can come back. */
	id.spi = 302;
	assert_int_equal(plat_sa_delete(t->p, &id), 0);
	assert_int_equal(plat_spi_alloc(t->p, &src, &dst, IPPROTO_ESP, &spi),
	    0);
	assert_int_equal(spi, 302);
}

static void
spi_alloc_refused(void **state)
{
	struct pmt *t = *state;
	struct ike_addr v4 = pmt_addr("192.0.2.1");
	struct ike_addr v6 = pmt_addr("2001:db8::1");
	struct ike_addr none;
	uint32_t spi = 7;

	memset(&none, 0, sizeof(none));
	assert_int_equal(plat_spi_alloc(t->p, &v4, &v6, IPPROTO_ESP, &spi),
	    IKE_EINVAL);
	assert_int_equal(plat_spi_alloc(t->p, &none, &none, IPPROTO_ESP, &spi),
	    IKE_EINVAL);
	assert_int_equal(plat_spi_alloc(t->p, &v4, &v4, IPPROTO_UDP, &spi),
	    IKE_EINVAL);
	assert_int_equal(plat_spi_alloc(t->p, &v4, &v4, IPPROTO_ESP, NULL),
	    IKE_EINVAL);
	assert_int_equal(plat_spi_alloc(NULL, &v4, &v4, IPPROTO_ESP, &spi),
	    IKE_EINVAL);
	assert_int_equal(spi, 7);
	assert_int_equal(mem_larval_count(t->p), 0);
	assert_int_equal(mem_calls(t->p, MEM_OP_ANY), 0);  /* none got there */
}

/* ------------------------------------------------------------ SAs */

static void
sa_add_copies_everything(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	const struct mem_sa *m;
	struct ike_key *k;

	assert_int_equal(ike_key_from(t->ekey->data, t->ekey->len, &k), 0);
	sa.encr_key = k;
	sa.id.dst.port = 4500;			/* ignored */
	sa.natt_sport = 4500;
	sa.natt_dport = 4501;
	sa.esn = true;
	sa.soft.bytes = 1000;
	sa.hard.bytes = 2000;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	ike_key_free(k);			/* borrowed for the call only */
	sa.id.dst.port = 0;
	assert_non_null(m = mem_sa_find(t->p, &sa.id));
	assert_false(m->larval);
	assert_int_equal(m->sa.id.spi, 0x1000);
	assert_int_equal(m->sa.id.dst.port, 0);
	assert_int_equal(m->sa.reqid, 7);
	assert_int_equal(m->sa.replay_window, 64);
	assert_int_equal(m->sa.dir, PLAT_OUT);
	assert_int_equal(m->sa.mode, PLAT_TUNNEL);
	assert_int_equal(m->sa.encr_alg, ENCR_AES_GCM_16);
	assert_int_equal(m->sa.natt_sport, 4500);
	assert_int_equal(m->sa.natt_dport, 4501);
	assert_true(m->sa.esn);
	assert_int_equal(m->sa.hard.bytes, 2000);
	assert_non_null(m->sa.encr_key);
	assert_int_equal(m->sa.encr_key->len, 20);
	assert_memory_equal(m->sa.encr_key->data, t->ekey->data, 20);
	assert_null(m->sa.integ_key);
	assert_int_equal(mem_sa_count(t->p), 1);
}

static void
sa_duplicate_and_unknown(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_sa_stats st;
	uint32_t spi;

	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	sa.reqid = 8;			/* same id, other content */
	assert_int_equal(plat_sa_add(t->p, &sa), IKE_EEXIST);
	assert_int_equal(mem_sa_find(t->p, &sa.id)->sa.reqid, 7);
	sa.id.proto = IPPROTO_AH;		/* another id */
	sa.encr_alg = 0;
	sa.encr_key = NULL;
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	sa.integ_key = t->ikey;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(mem_sa_count(t->p), 2);
	/* A reserved SPI is taken too. */
	assert_int_equal(plat_spi_alloc(t->p, &sa.src, &sa.id.dst, IPPROTO_ESP,
	    &spi), 0);
	sa = pmt_sa(t, spi);
	assert_int_equal(plat_sa_add(t->p, &sa), IKE_EEXIST);
	assert_true(mem_sa_find(t->p, &sa.id)->larval);
	sa.id.spi = 0x2000;
	assert_int_equal(plat_sa_delete(t->p, &sa.id), IKE_ENOTFOUND);
	assert_int_equal(plat_sa_stats(t->p, &sa.id, &st), IKE_ENOTFOUND);
	sa.id.spi = 0x1000;
	assert_int_equal(plat_sa_delete(t->p, &sa.id), 0);
	assert_int_equal(plat_sa_delete(t->p, &sa.id), IKE_ENOTFOUND);
	assert_null(mem_sa_find(t->p, &sa.id));
	assert_int_equal(mem_sa_count(t->p), 1);
	sa.id.spi = spi;			/* larval SAs delete too */
	assert_int_equal(plat_sa_delete(t->p, &sa.id), 0);
	assert_int_equal(mem_larval_count(t->p), 0);
}

static void
sa_update_completes_larval(void **state)
{
	struct pmt *t = *state;
	struct ike_addr peer = pmt_addr("192.0.2.2");
	struct ike_addr me = pmt_addr("192.0.2.1");
	struct plat_sa sa;
	uint32_t spi;

	assert_int_equal(plat_spi_alloc(t->p, &peer, &me, IPPROTO_ESP, &spi),
	    0);
	sa = pmt_sa(t, spi);
	sa.id.dst = me;
	sa.src = peer;
	sa.dir = PLAT_IN;
	sa.encr_alg = 999;			/* refused: stays larval */
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_EUNSUPP);
	assert_true(mem_sa_find(t->p, &sa.id)->larval);
	sa.encr_alg = ENCR_AES_GCM_16;
	assert_int_equal(plat_sa_update(t->p, &sa), 0);
	assert_false(mem_sa_find(t->p, &sa.id)->larval);
	assert_memory_equal(mem_sa_find(t->p, &sa.id)->sa.encr_key->data,
	    t->ekey->data, 20);
	assert_int_equal(mem_larval_count(t->p), 0);
	assert_int_equal(mem_sa_count(t->p), 1);
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_ESTATE);
	sa.id.spi = spi + 1;
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_ENOTFOUND);
	/* An SA added (not reserved) cannot be updated either. */
	sa = pmt_sa(t, 0x3000);
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_ESTATE);
}

/* What every backend refuses, checked in platform.c. */
static void
sa_refused_by_the_interface(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa, ok = pmt_sa(t, 0x1000);
	int i;

	for (i = 0; i < 17; i++) {
		sa = ok;
		switch (i) {
		case 0: sa.id.spi = 255; break;
		case 1: sa.id.proto = IPPROTO_UDP; break;
		case 2: sa.src = pmt_addr("2001:db8::1"); break;
		case 3: sa.id.dst.family = 0; break;
		case 4: sa.reqid = 0; break;
		case 5: sa.dir = 0; break;
		case 6: sa.dir = PLAT_FWD; break;
		case 7: sa.mode = 0; break;
		case 8: sa.natt_sport = 4500; break;
		case 9: sa.soft.add_s = 20; sa.hard.add_s = 10; break;
		case 10: sa.integ_alg = AUTH_HMAC_SHA1_96; break;  /* no key */
		case 11: sa.integ_key = t->ikey; break;	/* no alg */
		case 12: sa.encr_alg = 0; sa.encr_key = NULL; break;
		case 13: sa.encr_key = NULL; break;
		case 14: sa.encr_alg = PLAT_ENCR_NULL; break;	/* a key */
		case 15: sa.id.proto = IPPROTO_AH; sa.integ_alg =
			    AUTH_HMAC_SHA1_96; sa.integ_key = t->ikey; break;
		case 16: sa.encr_alg = PLAT_ENCR_NULL; sa.encr_key = NULL;
			break;				/* no integ */
		}
		assert_int_equal(plat_sa_add(t->p, &sa), IKE_EINVAL);
		assert_int_equal(plat_sa_update(t->p, &sa), IKE_EINVAL);
	}
	sa = ok;
	sa.id.proto = IPPROTO_AH;
	sa.encr_alg = 0;
	sa.encr_key = NULL;
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	sa.integ_key = t->ikey;
	sa.natt_sport = sa.natt_dport = 4500;	/* AH is never in UDP */
	assert_int_equal(plat_sa_add(t->p, &sa), IKE_EINVAL);
	assert_int_equal(plat_sa_add(t->p, NULL), IKE_EINVAL);
	assert_int_equal(plat_sa_delete(t->p, NULL), IKE_EINVAL);
	sa.id.spi = 1;
	assert_int_equal(plat_sa_delete(t->p, &sa.id), IKE_EINVAL);
	assert_int_equal(mem_calls(t->p, MEM_OP_ANY), 0);
	assert_int_equal(mem_sa_count(t->p), 0);
}

/* An ESP SA with encr (key of klen octets of t->ikey's) and integ. */
static int
try_esp(struct pmt *t, uint16_t encr, size_t klen, uint16_t integ,
    size_t ilen, uint16_t icv)
{
	struct plat_sa sa = pmt_sa(t, 0x5000);
	struct ike_key *ek = NULL, *ik = NULL;
	uint8_t buf[64] = { 0 };
	int rc;

	assert_int_equal(ike_key_from(buf, klen, &ek), 0);
	assert_int_equal(ike_key_from(buf, ilen, &ik), 0);
	sa.encr_alg = encr;
	sa.encr_key = encr == PLAT_ENCR_NULL ? NULL : ek;
	sa.integ_alg = integ;
	sa.integ_key = integ == AUTH_NONE ? NULL : ik;
	sa.icv_len = icv;
	rc = plat_sa_add(t->p, &sa);
	if (rc == 0)
		assert_int_equal(plat_sa_delete(t->p, &sa.id), 0);
	ike_key_free(ek);
	ike_key_free(ik);
	return rc;
}

/* What the mem backend knows, as a kernel would. */
static void
sa_algorithms_and_key_lengths(void **state)
{
	struct pmt *t = *state;

	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 20, 0, 0, 0), 0);
	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 28, 0, 0, 16), 0);
	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 36, 0, 0, 0), 0);
	assert_int_equal(try_esp(t, ENCR_CHACHA20_POLY1305, 36, 0, 0, 0), 0);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, AUTH_HMAC_SHA2_256_128,
	    32, 0), 0);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 32, AUTH_HMAC_SHA2_512_256,
	    64, 0), 0);
	assert_int_equal(try_esp(t, ENCR_3DES, 24, AUTH_HMAC_SHA1_96, 20, 0),
	    0);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, AUTH_AES_XCBC_96, 16, 0),
	    0);
	assert_int_equal(try_esp(t, PLAT_ENCR_NULL, 0, AUTH_HMAC_MD5_96, 16,
	    0), 0);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, AUTH_NONE, 0, 0), 0);
	/* Unknown algorithms. */
	assert_int_equal(try_esp(t, 99, 16, 0, 0, 0), IKE_EUNSUPP);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, 99, 16, 0), IKE_EUNSUPP);
	/* Keys of the wrong length. */
	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 16, 0, 0, 0), IKE_EINVAL);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 17, 0, 0, 0), IKE_EINVAL);
	assert_int_equal(try_esp(t, ENCR_CHACHA20_POLY1305, 32, 0, 0, 0),
	    IKE_EINVAL);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, AUTH_HMAC_SHA2_256_128,
	    20, 0), IKE_EINVAL);
	/* ICV length and integrity with an AEAD, ICV length without one. */
	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 20, 0, 0, 8), IKE_EINVAL);
	assert_int_equal(try_esp(t, ENCR_AES_GCM_16, 20, AUTH_HMAC_SHA1_96, 20,
	    0), IKE_EINVAL);
	assert_int_equal(try_esp(t, ENCR_AES_CBC, 16, AUTH_HMAC_SHA1_96, 20,
	    12), IKE_EINVAL);
	assert_int_equal(try_esp(t, PLAT_ENCR_NULL, 0, AUTH_HMAC_SHA1_96, 20,
	    16), IKE_EINVAL);
	assert_int_equal(mem_sa_count(t->p), 0);
}

static void
sa_stats_read_back(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_sa_stats in = { 123456789012ull, 4242, 1700000000 }, out;

	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(plat_sa_stats(t->p, &sa.id, &out), 0);
	assert_int_equal(out.bytes, 0);
	assert_int_equal(out.last_use, 0);
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &in), 0);
	memset(&out, 0, sizeof(out));
	assert_int_equal(plat_sa_stats(t->p, &sa.id, &out), 0);
	assert_int_equal(out.bytes, in.bytes);
	assert_int_equal(out.packets, in.packets);
	assert_int_equal(out.last_use, in.last_use);
	assert_int_equal(plat_sa_stats(t->p, &sa.id, NULL), IKE_EINVAL);
	sa.id.spi = 0x1001;
	assert_int_equal(mem_sa_set_stats(t->p, &sa.id, &in), IKE_ENOTFOUND);
	assert_int_equal(t->nup, 0);		/* no limits: no expiry */
}

/* ------------------------------------------------------------ policies */

static void
policy_add_find_delete(void **state)
{
	struct pmt *t = *state;
	struct plat_policy pol = pmt_policy(), key;
	const struct plat_policy *f;

	pol.priority = 1000;
	pol.trap = true;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol.dir = PLAT_FWD;		/* same selectors, other dir */
	pol.trap = false;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol.dir = PLAT_IN;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_policy_count(t->p), 3);
	key = pmt_policy();
	assert_non_null(f = mem_policy_find(t->p, &key));
	assert_int_equal(f->dir, PLAT_OUT);
	assert_true(f->trap);
	assert_int_equal(f->priority, 1000);
	assert_int_equal(f->reqid, 7);
	assert_int_equal(f->proto, IPPROTO_ESP);
	assert_memory_equal(f->tun_dst.addr, key.tun_dst.addr, 4);
	/* Named by (src, dst, dir): other fields do not matter. */
	key.reqid = 99;
	key.proto = IPPROTO_AH;
	key.priority = 5;
	assert_int_equal(plat_policy_add(t->p, &key), IKE_EEXIST);
	assert_int_equal(mem_policy_find(t->p, &key)->reqid, 7);
	assert_int_equal(plat_policy_delete(t->p, &key), 0);
	assert_null(mem_policy_find(t->p, &key));
	assert_int_equal(plat_policy_delete(t->p, &key), IKE_ENOTFOUND);
	key.dst.eport = 80;			/* another selector */
	key.dir = PLAT_IN;
	assert_int_equal(plat_policy_delete(t->p, &key), IKE_ENOTFOUND);
	assert_int_equal(mem_policy_count(t->p), 2);
}

static void
policy_kinds_accepted(void **state)
{
	struct pmt *t = *state;
	struct plat_policy pol;

	pol = pmt_policy();			/* IPv6 in an IPv4 tunnel */
	pol.src = pmt_ts("2001:db8:1::", "2001:db8:1::ffff", IPPROTO_TCP);
	pol.dst = pmt_ts("2001:db8:2::", "2001:db8:2::", IPPROTO_TCP);
	pol.dst.sport = pol.dst.eport = 443;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol = pmt_policy();			/* transport mode */
	memset(&pol.tun_src, 0, sizeof(pol.tun_src));
	memset(&pol.tun_dst, 0, sizeof(pol.tun_dst));
	pol.proto = IPPROTO_AH;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol = pmt_policy();			/* bypass IKE */
	pol.src = pmt_ts("0.0.0.0", "255.255.255.255", IPPROTO_UDP);
	pol.dst = pol.src;
	pol.dst.sport = pol.dst.eport = 500;
	pol.action = PLAT_BYPASS;
	pol.reqid = 0;
	pol.proto = 0;
	memset(&pol.tun_src, 0, sizeof(pol.tun_src));
	memset(&pol.tun_dst, 0, sizeof(pol.tun_dst));
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol.dir = PLAT_IN;
	pol.action = PLAT_DISCARD;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_policy_count(t->p), 4);
}

static void
policy_refused_by_the_interface(void **state)
{
	struct pmt *t = *state;
	struct plat_policy pol, ok = pmt_policy();
	int i;

	for (i = 0; i < 15; i++) {
		pol = ok;
		switch (i) {
		case 0: pol.src = pmt_ts("10.1.0.9", "10.1.0.1", 0); break;
		case 1: pol.dst.sport = 2; pol.dst.eport = 1; break;
		case 2: pol.dst = pmt_ts("2001:db8::", "2001:db8::1", 0); break;
		case 3: pol.src.proto = IPPROTO_TCP; break;
		case 4: pol.src.family = 0; break;
		case 5: pol.dir = 0; break;
		case 6: pol.action = 0; break;
		case 7: pol.reqid = 0; break;
		case 8: pol.proto = 0; break;
		case 9: memset(&pol.tun_src, 0, sizeof(pol.tun_src)); break;
		case 10: pol.tun_dst = pmt_addr("2001:db8::2"); break;
		case 11: pol.trap = true; pol.dir = PLAT_IN; break;
		case 12: pol.action = PLAT_BYPASS; break;  /* IPsec fields */
		case 13: pol.dir = PLAT_FWD + 1; break;
		case 14: pol.tun_src.family = pol.tun_dst.family = 99; break;
		}
		assert_int_equal(plat_policy_add(t->p, &pol), IKE_EINVAL);
	}
	pol = ok;
	pol.dir = 0;
	assert_int_equal(plat_policy_delete(t->p, &pol), IKE_EINVAL);
	pol = ok;
	pol.src.sport = 9;
	pol.src.eport = 8;
	assert_int_equal(plat_policy_delete(t->p, &pol), IKE_EINVAL);
	assert_int_equal(plat_policy_add(t->p, NULL), IKE_EINVAL);
	assert_int_equal(mem_calls(t->p, MEM_OP_ANY), 0);
	assert_int_equal(mem_policy_count(t->p), 0);
}

/* ------------------------------------------------------------ inspection */

static int
collect_spi(const struct mem_sa *m, void *arg)
{
	uint32_t **p = arg;

	*(*p)++ = m->sa.id.spi;
	return m->sa.id.spi == 0x3000 ? 42 : 0;
}

static int
count_pol(const struct plat_policy *pol, void *arg)
{
	(void)pol;
	(*(int *)arg)++;
	return 0;
}

static void
foreach_in_order(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa;
	struct plat_policy pol = pmt_policy();
	uint32_t got[4] = { 0 }, *w = got;
	uint32_t spi, want[] = { 0x2000, 0x1000, 0x3000 };
	int n = 0, i;

	for (i = 0; i < 3; i++) {
		sa = pmt_sa(t, want[i]);
		assert_int_equal(plat_sa_add(t->p, &sa), 0);
	}
	assert_int_equal(plat_spi_alloc(t->p, &sa.src, &sa.id.dst, IPPROTO_ESP,
	    &spi), 0);
	/* Stops at 0x3000 (fn returns 42): the larval one is not reached. */
	assert_int_equal(mem_sa_foreach(t->p, collect_spi, &w), 42);
	assert_int_equal(w - got, 3);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	pol.dir = PLAT_IN;
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_policy_foreach(t->p, count_pol, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(mem_sa_foreach(t->p, NULL, NULL), IKE_EINVAL);
}

/* Given another backend's state, the inspection calls do nothing. */
static void
inspection_refuses_other_backends(void **state)
{
	static const struct plat_ops other = { .name = "other" };
	struct { const struct plat_ops *ops; } fake = { &other };
	struct plat *p = (struct plat *)(void *)&fake;
	struct plat_sa_id id = { .spi = 0x1000 };

	(void)state;
	assert_int_equal(mem_sa_count(p), 0);
	assert_int_equal(mem_policy_count(p), 0);
	assert_null(mem_sa_find(p, &id));
	assert_int_equal(mem_fail_next(p, MEM_OP_SA_ADD, IKE_EKERNEL),
	    IKE_EINVAL);
	assert_int_equal(mem_inject_expire(p, &id, true), IKE_EINVAL);
	assert_int_equal(mem_spi_range(p, 300, 400), IKE_EINVAL);
	assert_int_equal(mem_calls(p, MEM_OP_ANY), 0);
	assert_int_equal(mem_sa_count(NULL), 0);
}

/* ------------------------------------------------------------ failures */

static void
injected_failure_of_one_kind(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_policy pol = pmt_policy();

	assert_int_equal(mem_fail_next(t->p, MEM_OP_SA_ADD, IKE_EKERNEL), 0);
	/* Another kind of call goes through. */
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(plat_sa_add(t->p, &sa), IKE_EKERNEL);
	assert_int_equal(mem_sa_count(t->p), 0);	/* nothing changed */
	assert_int_equal(plat_sa_add(t->p, &sa), 0);	/* once only */
	assert_int_equal(mem_calls(t->p, MEM_OP_SA_ADD), 2);
	assert_int_equal(mem_calls(t->p, MEM_OP_POLICY_ADD), 1);
	assert_int_equal(mem_calls(t->p, MEM_OP_ANY), 3);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_SA_DELETE, IKE_ENOMEM), 0);
	assert_int_equal(plat_sa_delete(t->p, &sa.id), IKE_ENOMEM);
	assert_non_null(mem_sa_find(t->p, &sa.id));
	assert_int_equal(mem_fail_next(t->p, MEM_OP_POLICY_DELETE, IKE_ESYS),
	    0);
	assert_int_equal(plat_policy_delete(t->p, &pol), IKE_ESYS);
	assert_int_equal(mem_policy_count(t->p), 1);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_FLUSH_OWN, IKE_EKERNEL), 0);
	assert_int_equal(plat_flush_own(t->p), IKE_EKERNEL);
	assert_int_equal(mem_sa_count(t->p), 1);
	assert_int_equal(mem_policy_count(t->p), 1);
}

static void
injected_failure_of_any_kind(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_sa_stats st = { 1, 2, 3 };
	struct ike_addr a = pmt_addr("127.0.0.1");
	uint32_t spi = 5;
	int fd = -7;

	assert_int_equal(mem_fail_next(t->p, MEM_OP_ANY, IKE_EBUSY), 0);
	assert_int_equal(plat_spi_alloc(t->p, &a, &a, IPPROTO_ESP, &spi),
	    IKE_EBUSY);
	assert_int_equal(spi, 5);
	assert_int_equal(mem_larval_count(t->p), 0);
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_ANY, IKE_EKERNEL), 0);
	assert_int_equal(plat_sa_stats(t->p, &sa.id, &st), IKE_EKERNEL);
	assert_int_equal(st.bytes, 1);			/* not written */
	assert_int_equal(mem_fail_next(t->p, MEM_OP_IKE_SOCKET, IKE_ESYS), 0);
	assert_int_equal(plat_ike_socket(t->p, &a, &fd), IKE_ESYS);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_NATT_SOCKET, IKE_ESYS), 0);
	assert_int_equal(plat_natt_socket(t->p, &a, &fd), IKE_ESYS);
	assert_int_equal(fd, -7);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_SA_UPDATE, IKE_EKERNEL), 0);
	assert_int_equal(plat_sa_update(t->p, &sa), IKE_EKERNEL);
	/* Bad requests for failures. */
	assert_int_equal(mem_fail_next(t->p, MEM_OP_SA_ADD, 0), IKE_EINVAL);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_SA_ADD, 3), IKE_EINVAL);
	assert_int_equal(mem_fail_next(t->p, MEM_OP_COUNT, IKE_EKERNEL),
	    IKE_EINVAL);
	assert_int_equal(plat_sa_delete(t->p, &sa.id), 0);  /* none armed */
}

/* ------------------------------------------------------------ flush */

static void
flush_own_removes_everything(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_policy pol = pmt_policy();
	uint32_t spi;

	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	sa.id.spi = 0x1001;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(plat_spi_alloc(t->p, &sa.src, &sa.id.dst, IPPROTO_AH,
	    &spi), 0);
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(plat_flush_own(t->p), 0);
	assert_int_equal(mem_sa_count(t->p), 0);
	assert_int_equal(mem_larval_count(t->p), 0);
	assert_int_equal(mem_policy_count(t->p), 0);
	assert_int_equal(plat_flush_own(t->p), 0);	/* empty: fine */
	assert_int_equal(plat_sa_add(t->p, &sa), 0);	/* still usable */
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(plat_flush_own(NULL), IKE_EINVAL);
}

/* Closing with SAs, keys, policies, timers and queued upcalls frees all
 * of it (the leak check of the sanitizer build fails otherwise). */
static void
close_frees_everything(void **state)
{
	struct pmt *t = *state;
	struct plat_sa sa = pmt_sa(t, 0x1000);
	struct plat_policy pol = pmt_policy();
	uint32_t spi;

	sa.soft.add_s = 100;
	sa.hard.add_s = 200;
	assert_int_equal(plat_sa_add(t->p, &sa), 0);
	assert_int_equal(plat_spi_alloc(t->p, &sa.src, &sa.id.dst, IPPROTO_ESP,
	    &spi), 0);
	assert_int_equal(plat_policy_add(t->p, &pol), 0);
	assert_int_equal(mem_inject_expire(t->p, &sa.id, false), 0);
	assert_int_equal(mem_inject_acquire(t->p, 7, &pol.src, &pol.dst), 0);
	assert_int_equal(mem_pending_upcalls(t->p), 2);
	plat_close(t->p);
	t->p = NULL;
	assert_int_equal(t->nup, 0);	/* nothing delivered on close */
}

#define T(f)	cmocka_unit_test_setup_teardown(f, pmt_setup, pmt_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(slots_cover_the_struct),
		cmocka_unit_test(every_backend_fills_every_slot),
		cmocka_unit_test(missing_slot_is_named),
		cmocka_unit_test(default_backend_is_built_in),
		cmocka_unit_test(open_errors),
		T(spi_unique_random_and_reserved),
		T(spi_range_exhausted_and_collisions),
		T(spi_alloc_refused),
		T(sa_add_copies_everything),
		T(sa_duplicate_and_unknown),
		T(sa_update_completes_larval),
		T(sa_refused_by_the_interface),
		T(sa_algorithms_and_key_lengths),
		T(sa_stats_read_back),
		T(policy_add_find_delete),
		T(policy_kinds_accepted),
		T(policy_refused_by_the_interface),
		T(foreach_in_order),
		cmocka_unit_test(inspection_refuses_other_backends),
		T(injected_failure_of_one_kind),
		T(injected_failure_of_any_kind),
		T(flush_own_removes_everything),
		T(close_frees_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
