/* The Linux backend's netlink messages, without a kernel: every message
 * is built into a buffer and read back with the backend's own parser,
 * and the layout is checked against the uapi structs (lengths, 4-octet
 * alignment, host-order netlink fields, network-order SPIs and ports).
 * The parser is fed truncated and corrupted input; the event dispatcher
 * gets hand-built EXPIRE and ACQUIRE messages. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/crypto/integ.h"
#include "core/err.h"
#include "platform/linux/linux.h"
#include "plt.h"

#define ALIGN4(n)	(((n) + 3u) & ~(size_t)3u)

/* One attribute as decoded. */
struct attr {
	uint16_t	 type;
	size_t		 len;		/* payload octets */
	size_t		 off;		/* of the attribute header in the msg */
	const uint8_t	*val;
};

struct decoded {
	struct xnl_msg	 m;
	struct attr	 a[16];
	size_t		 na;
};

/* Decodes the one message in w: its header, the fixed struct of hdr_len
 * octets into hdr, and every attribute, checking lengths and alignment. */
static void
decode(const struct wr *w, void *hdr, size_t hdr_len, struct decoded *d)
{
	struct rd r, attrs, val;
	uint32_t len;

	memset(d, 0, sizeof(*d));
	assert_int_equal(wr_error(w), 0);
	assert_int_equal(w->len % 4, 0);
	memcpy(&len, w->buf, 4);
	assert_int_equal(len, w->len);		/* host order */
	rd_init(&r, w->buf, w->len);
	assert_int_equal(xnl_next(&r, &d->m), 0);
	assert_int_equal(r.left, 0);
	attrs = d->m.body;
	assert_int_equal(xnl_fixed(&attrs, hdr, hdr_len), 0);
	while (attrs.left > 0) {
		assert_true(d->na < 16);
		d->a[d->na].off = (size_t)(attrs.p - w->buf);
		assert_int_equal(d->a[d->na].off % 4, 0);
		assert_int_equal(xnl_attr_next(&attrs, &d->a[d->na].type,
		    &val), 0);
		d->a[d->na].len = val.left;
		d->a[d->na].val = val.p;
		d->na++;
	}
}

static const struct attr *
find_attr(const struct decoded *d, uint16_t type)
{
	size_t i;

	for (i = 0; i < d->na; i++)
		if (d->a[i].type == type)
			return &d->a[i];
	return NULL;
}

static struct ike_key *
key(size_t len, uint8_t fill)
{
	struct ike_key *k;
	size_t i;

	assert_int_equal(ike_key_new(len, &k), 0);
	for (i = 0; i < len; i++)
		k->data[i] = (uint8_t)(fill + i);
	return k;
}

static struct plat_sa
base_sa(void)
{
	struct plat_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.id.dst = plt_addr("192.0.2.2");
	sa.id.spi = 0x12345678;
	sa.id.proto = IPPROTO_ESP;
	sa.src = plt_addr("192.0.2.1");
	sa.reqid = 7;
	sa.dir = PLAT_OUT;
	sa.mode = PLAT_TUNNEL;
	return sa;
}

/* ------------------------------------------------------------ SAs */

static void
sa_gcm_esn_natt(void **state)
{
	struct ike_key *ek = key(20, 1);
	struct plat_sa sa = base_sa();
	struct xfrm_usersa_info u;
	struct xfrm_algo_aead aead;
	struct xfrm_replay_state_esn esn;
	struct xfrm_encap_tmpl enc;
	const struct attr *a;
	struct decoded d;
	struct wr w;

	(void)state;
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = ek;
	sa.esn = true;
	sa.replay_window = 128;
	sa.natt_sport = 4500;
	sa.natt_dport = 4501;
	sa.soft.bytes = 1000;
	sa.hard.packets = 50;
	sa.soft.add_s = 60;
	sa.hard.add_s = 90;
	wr_init(&w, 0);
	assert_int_equal(xfrm_sa_build(&w, XFRM_MSG_NEWSA, 42, &sa), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(d.m.type, XFRM_MSG_NEWSA);
	assert_int_equal(d.m.seq, 42);
	assert_int_equal(d.m.flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(ntohl(u.id.spi), 0x12345678);
	assert_int_equal(u.id.proto, IPPROTO_ESP);
	assert_memory_equal(&u.id.daddr, sa.id.dst.addr, 4);
	assert_memory_equal(&u.saddr, sa.src.addr, 4);
	assert_int_equal(u.family, AF_INET);
	assert_int_equal(u.reqid, XFRM_OWN_REQID_BASE + 7);
	assert_int_equal(u.mode, XFRM_MODE_TUNNEL);
	assert_int_equal(u.replay_window, 0);	/* the ESN attribute has it */
	assert_int_equal(u.flags, XFRM_STATE_ESN);
	assert_true(u.lft.soft_byte_limit == 1000);
	assert_true(u.lft.hard_byte_limit == XFRM_INF);
	assert_true(u.lft.soft_packet_limit == XFRM_INF);
	assert_true(u.lft.hard_packet_limit == 50);
	assert_true(u.lft.soft_add_expires_seconds == 60);
	assert_true(u.lft.hard_add_expires_seconds == 90);
	assert_int_equal(u.sel.family, 0);	/* any traffic */
	assert_int_equal(d.na, 3);

	assert_non_null(a = find_attr(&d, XFRMA_ALG_AEAD));
	assert_int_equal(a->len, sizeof(aead) + 20);
	memcpy(&aead, a->val, sizeof(aead));
	assert_string_equal(aead.alg_name, "rfc4106(gcm(aes))");
	assert_int_equal(aead.alg_key_len, 160);
	assert_int_equal(aead.alg_icv_len, 128);
	assert_memory_equal(a->val + sizeof(aead), ek->data, 20);

	assert_non_null(a = find_attr(&d, XFRMA_REPLAY_ESN_VAL));
	assert_int_equal(a->len, sizeof(esn) + 4 * 4);	/* 128 bits */
	memcpy(&esn, a->val, sizeof(esn));
	assert_int_equal(esn.bmp_len, 4);
	assert_int_equal(esn.replay_window, 128);

	assert_non_null(a = find_attr(&d, XFRMA_ENCAP));
	assert_int_equal(a->len, sizeof(enc));
	memcpy(&enc, a->val, sizeof(enc));
	assert_int_equal(enc.encap_type, 2);	/* UDP_ENCAP_ESPINUDP */
	assert_int_equal(ntohs(enc.encap_sport), 4500);
	assert_int_equal(ntohs(enc.encap_dport), 4501);
	wr_free(&w);
	ike_key_free(ek);
}

static void
sa_cbc_sha256_transport_v6(void **state)
{
	struct ike_key *ek = key(32, 3), *ik = key(32, 9);
	struct plat_sa sa = base_sa();
	struct xfrm_usersa_info u;
	struct xfrm_algo alg;
	struct xfrm_algo_auth auth;
	const struct attr *a;
	struct decoded d;
	struct wr w;

	(void)state;
	sa.id.dst = plt_addr("2001:db8::2");
	sa.src = plt_addr("2001:db8::1");
	sa.mode = PLAT_TRANSPORT;
	sa.encr_alg = ENCR_AES_CBC;
	sa.encr_key = ek;
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	sa.integ_key = ik;
	sa.replay_window = 32;
	wr_init(&w, 0);
	assert_int_equal(xfrm_sa_build(&w, XFRM_MSG_UPDSA, 1, &sa), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(d.m.type, XFRM_MSG_UPDSA);
	assert_int_equal(u.family, AF_INET6);
	assert_memory_equal(&u.id.daddr, sa.id.dst.addr, 16);
	assert_int_equal(u.mode, XFRM_MODE_TRANSPORT);
	assert_int_equal(u.replay_window, 32);	/* fits the legacy field */
	assert_int_equal(u.flags, 0);
	assert_null(find_attr(&d, XFRMA_REPLAY_ESN_VAL));
	assert_null(find_attr(&d, XFRMA_ENCAP));
	assert_null(find_attr(&d, XFRMA_ALG_AEAD));

	assert_non_null(a = find_attr(&d, XFRMA_ALG_CRYPT));
	assert_int_equal(a->len, sizeof(alg) + 32);
	memcpy(&alg, a->val, sizeof(alg));
	assert_string_equal(alg.alg_name, "cbc(aes)");
	assert_int_equal(alg.alg_key_len, 256);
	assert_memory_equal(a->val + sizeof(alg), ek->data, 32);

	assert_non_null(a = find_attr(&d, XFRMA_ALG_AUTH_TRUNC));
	assert_int_equal(a->len, sizeof(auth) + 32);
	memcpy(&auth, a->val, sizeof(auth));
	assert_string_equal(auth.alg_name, "hmac(sha256)");
	assert_int_equal(auth.alg_key_len, 256);
	assert_int_equal(auth.alg_trunc_len, 128);
	wr_free(&w);
	ike_key_free(ek);
	ike_key_free(ik);
}

/* Every algorithm the backend knows, by the kernel's name. */
static void
sa_algorithm_names(void **state)
{
	static const struct {
		uint16_t encr, integ;
		size_t ekey, ikey;
		uint16_t attr;
		const char *name;
		unsigned int bits;	/* trunc or ICV */
	} t[] = {
		{ ENCR_CHACHA20_POLY1305, 0, 36, 0, XFRMA_ALG_AEAD,
		    "rfc7539esp(chacha20,poly1305)", 128 },
		{ ENCR_3DES, AUTH_HMAC_SHA1_96, 24, 20, XFRMA_ALG_CRYPT,
		    "cbc(des3_ede)", 0 },
		{ PLAT_ENCR_NULL, AUTH_HMAC_SHA1_96, 0, 20,
		    XFRMA_ALG_AUTH_TRUNC, "hmac(sha1)", 96 },
		{ ENCR_AES_CBC, AUTH_HMAC_SHA2_384_192, 16, 48,
		    XFRMA_ALG_AUTH_TRUNC, "hmac(sha384)", 192 },
		{ ENCR_AES_CBC, AUTH_HMAC_SHA2_512_256, 24, 64,
		    XFRMA_ALG_AUTH_TRUNC, "hmac(sha512)", 256 },
		{ ENCR_AES_CBC, AUTH_AES_XCBC_96, 16, 16,
		    XFRMA_ALG_AUTH_TRUNC, "xcbc(aes)", 96 },
		{ ENCR_AES_CBC, AUTH_HMAC_MD5_96, 16, 16,
		    XFRMA_ALG_AUTH_TRUNC, "hmac(md5)", 96 },
		{ PLAT_ENCR_NULL, AUTH_HMAC_MD5_96, 0, 16, XFRMA_ALG_CRYPT,
		    "ecb(cipher_null)", 0 },
	};
	struct xfrm_usersa_info u;
	struct xfrm_algo_auth auth;
	struct xfrm_algo_aead aead;
	struct xfrm_algo alg;
	const struct attr *a;
	struct decoded d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct ike_key *ek = t[i].ekey ? key(t[i].ekey, 1) : NULL;
		struct ike_key *ik = t[i].ikey ? key(t[i].ikey, 2) : NULL;
		struct plat_sa sa = base_sa();
		struct wr w;

		sa.encr_alg = t[i].encr;
		sa.encr_key = ek;
		sa.integ_alg = t[i].integ;
		sa.integ_key = ik;
		wr_init(&w, 0);
		assert_int_equal(xfrm_sa_build(&w, XFRM_MSG_NEWSA, 1, &sa), 0);
		decode(&w, &u, sizeof(u), &d);
		assert_non_null(a = find_attr(&d, t[i].attr));
		if (t[i].attr == XFRMA_ALG_AEAD) {
			memcpy(&aead, a->val, sizeof(aead));
			assert_string_equal(aead.alg_name, t[i].name);
			assert_int_equal(aead.alg_icv_len, t[i].bits);
			assert_int_equal(aead.alg_key_len, t[i].ekey * 8);
		} else if (t[i].attr == XFRMA_ALG_AUTH_TRUNC) {
			memcpy(&auth, a->val, sizeof(auth));
			assert_string_equal(auth.alg_name, t[i].name);
			assert_int_equal(auth.alg_trunc_len, t[i].bits);
			assert_int_equal(auth.alg_key_len, t[i].ikey * 8);
		} else {
			memcpy(&alg, a->val, sizeof(alg));
			assert_string_equal(alg.alg_name, t[i].name);
			assert_int_equal(alg.alg_key_len, t[i].ekey * 8);
		}
		wr_free(&w);
		ike_key_free(ek);
		ike_key_free(ik);
	}
}

/* AH: integrity only, no encryption attribute. */
static void
sa_ah(void **state)
{
	struct ike_key *ik = key(32, 2);
	struct plat_sa sa = base_sa();
	struct xfrm_usersa_info u;
	struct decoded d;
	struct wr w;

	(void)state;
	sa.id.proto = IPPROTO_AH;
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;
	sa.integ_key = ik;
	wr_init(&w, 0);
	assert_int_equal(xfrm_sa_build(&w, XFRM_MSG_NEWSA, 1, &sa), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(u.id.proto, IPPROTO_AH);
	assert_int_equal(d.na, 1);
	assert_non_null(find_attr(&d, XFRMA_ALG_AUTH_TRUNC));
	wr_free(&w);
	ike_key_free(ik);
}

static int
build_err(const struct plat_sa *sa)
{
	struct wr w;
	int rc;

	wr_init(&w, 0);
	rc = xfrm_sa_build(&w, XFRM_MSG_NEWSA, 1, sa);
	wr_free(&w);
	return rc;
}

/* What the backend cannot express is refused, naming the problem. */
static void
sa_refused(void **state)
{
	struct ike_key *k20 = key(20, 1), *k17 = key(17, 1), *k16 = key(16, 1);
	struct plat_sa sa = base_sa();
	char *log;

	(void)state;
	plt_log_capture();
	sa.encr_alg = 99;				/* unknown */
	sa.encr_key = k20;
	assert_int_equal(build_err(&sa), IKE_EUNSUPP);
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = k17;				/* wrong length */
	assert_int_equal(build_err(&sa), IKE_EINVAL);
	sa.encr_key = k20;
	sa.icv_len = 8;			/* the backend knows ICV 16 only */
	assert_int_equal(build_err(&sa), IKE_EINVAL);
	sa.icv_len = 16;
	assert_int_equal(build_err(&sa), 0);
	sa.reqid = XFRM_OWN_REQID_MAX + 1;		/* beyond our range */
	assert_int_equal(build_err(&sa), IKE_EUNSUPP);
	sa.reqid = 7;
	sa.replay_window = 4097;
	assert_int_equal(build_err(&sa), IKE_EUNSUPP);
	sa.replay_window = 4096;
	assert_int_equal(build_err(&sa), 0);
	sa.encr_alg = ENCR_AES_CBC;
	sa.icv_len = 0;
	assert_int_equal(build_err(&sa), IKE_EINVAL);	/* 20: no AES key */
	sa.encr_key = k16;
	sa.integ_alg = 77;
	sa.integ_key = k20;
	assert_int_equal(build_err(&sa), IKE_EUNSUPP);
	sa.integ_alg = AUTH_HMAC_SHA2_256_128;		/* wants 32 */
	assert_int_equal(build_err(&sa), IKE_EINVAL);
	sa.integ_alg = AUTH_HMAC_SHA1_96;
	assert_int_equal(build_err(&sa), 0);
	log = plt_log_end();
	assert_non_null(strstr(log, "encryption algorithm 99 unknown"));
	assert_non_null(strstr(log, "rfc4106(gcm(aes)) with a 17-octet key"));
	assert_non_null(strstr(log, "reqid 16777216 beyond"));
	assert_non_null(strstr(log, "replay window 4097"));
	assert_non_null(strstr(log, "integrity algorithm 77 unknown"));
	assert_non_null(strstr(log, "hmac(sha256) with a 20-octet key"));
	assert_int_equal(plt_lines(log), 8);
	free(log);
	ike_key_free(k16);
	ike_key_free(k20);
	ike_key_free(k17);
}

/* ------------------------------------------------------------ policies */

static struct plat_policy
base_policy(void)
{
	struct plat_policy p;

	memset(&p, 0, sizeof(p));
	p.src = plt_ts("10.1.0.0", "10.1.255.255", 0);
	p.dst = plt_ts("10.2.0.0", "10.2.255.255", 0);
	p.dir = PLAT_OUT;
	p.action = PLAT_PROTECT;
	p.reqid = 7;
	p.proto = IPPROTO_ESP;
	p.tun_src = plt_addr("192.0.2.1");
	p.tun_dst = plt_addr("192.0.2.2");
	return p;
}

static void
policy_tunnel(void **state)
{
	struct plat_policy pol = base_policy();
	struct xfrm_userpolicy_info u;
	struct xfrm_user_tmpl t;
	const struct attr *a;
	struct decoded d;
	struct wr w;

	(void)state;
	pol.dir = PLAT_FWD;
	wr_init(&w, 0);
	assert_int_equal(xfrm_policy_build(&w, 5, &pol), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(d.m.type, XFRM_MSG_NEWPOLICY);
	assert_int_equal(u.dir, XFRM_POLICY_FWD);
	assert_int_equal(u.action, XFRM_POLICY_ALLOW);
	assert_int_equal(u.sel.family, AF_INET);
	assert_int_equal(u.sel.prefixlen_s, 16);
	assert_int_equal(u.sel.prefixlen_d, 16);
	assert_memory_equal(&u.sel.saddr, pol.src.start, 4);
	assert_int_equal(u.sel.sport_mask, 0);
	assert_true(u.lft.soft_packet_limit == XFRM_OWN_POLICY_TAG);
	assert_true(u.priority > 1000);
	assert_int_equal(d.na, 1);
	assert_non_null(a = find_attr(&d, XFRMA_TMPL));
	assert_int_equal(a->len, sizeof(t));
	memcpy(&t, a->val, sizeof(t));
	assert_int_equal(t.reqid, XFRM_OWN_REQID_BASE + 7);
	assert_int_equal(t.mode, XFRM_MODE_TUNNEL);
	assert_int_equal(t.id.proto, IPPROTO_ESP);
	assert_int_equal(t.family, AF_INET);
	assert_memory_equal(&t.saddr, pol.tun_src.addr, 4);
	assert_memory_equal(&t.id.daddr, pol.tun_dst.addr, 4);
	assert_int_equal(t.ealgos, ~0u);
	wr_free(&w);
}

static void
policy_transport_bypass_discard(void **state)
{
	struct plat_policy pol = base_policy();
	struct xfrm_userpolicy_info u;
	struct xfrm_user_tmpl t;
	const struct attr *a;
	struct decoded d;
	struct wr w;

	(void)state;
	memset(&pol.tun_src, 0, sizeof(pol.tun_src));
	memset(&pol.tun_dst, 0, sizeof(pol.tun_dst));
	pol.dir = PLAT_IN;
	wr_init(&w, 0);
	assert_int_equal(xfrm_policy_build(&w, 5, &pol), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(u.dir, XFRM_POLICY_IN);
	assert_non_null(a = find_attr(&d, XFRMA_TMPL));
	memcpy(&t, a->val, sizeof(t));
	assert_int_equal(t.mode, XFRM_MODE_TRANSPORT);
	assert_int_equal(t.family, AF_INET);
	wr_free(&w);

	pol.action = PLAT_BYPASS;
	pol.reqid = 0;
	pol.proto = 0;
	wr_init(&w, 0);
	assert_int_equal(xfrm_policy_build(&w, 5, &pol), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(u.action, XFRM_POLICY_ALLOW);
	assert_int_equal(d.na, 0);
	assert_true(u.lft.soft_packet_limit == XFRM_OWN_POLICY_TAG);
	wr_free(&w);

	pol.action = PLAT_DISCARD;
	pol.priority = 77;
	wr_init(&w, 0);
	assert_int_equal(xfrm_policy_build(&w, 5, &pol), 0);
	decode(&w, &u, sizeof(u), &d);
	assert_int_equal(u.action, XFRM_POLICY_BLOCK);
	assert_int_equal(u.priority, 77);		/* the caller's */
	assert_int_equal(d.na, 0);
	wr_free(&w);
}

static uint32_t
prio_of(const struct ike_ts *src, const struct ike_ts *dst)
{
	struct xfrm_selector s;

	assert_int_equal(xfrm_sel_from_ts(&s, src, dst), 0);
	return xfrm_policy_priority(&s);
}

/* More specific selectors get lower (better) priorities. */
static void
policy_priorities(void **state)
{
	struct ike_ts any = plt_ts("0.0.0.0", "255.255.255.255", 0),
	    net16 = plt_ts("10.1.0.0", "10.1.255.255", 0),
	    net24 = plt_ts("10.1.2.0", "10.1.2.255", 0),
	    host = plt_ts("10.1.2.3", "10.1.2.3", 0),
	    host_tcp = plt_ts("10.1.2.3", "10.1.2.3", IPPROTO_TCP),
	    host_tcp443 = host_tcp,
	    any6 = plt_ts("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0),
	    host6 = plt_ts("2001:db8::1", "2001:db8::1", 0);

	(void)state;
	host_tcp443.sport = host_tcp443.eport = 443;
	assert_true(prio_of(&host, &host) < prio_of(&net24, &net24));
	assert_true(prio_of(&net24, &net24) < prio_of(&net16, &net16));
	assert_true(prio_of(&net16, &net16) < prio_of(&net16, &any));
	assert_true(prio_of(&net16, &any) < prio_of(&any, &any));
	assert_true(prio_of(&host_tcp, &host_tcp) < prio_of(&host, &host));
	assert_true(prio_of(&host_tcp443, &host_tcp) <
	    prio_of(&host_tcp, &host_tcp));
	assert_int_equal(prio_of(&host_tcp443, &host_tcp443), 1000);
	assert_int_equal(prio_of(&any6, &any6), prio_of(&any, &any));
	assert_true(prio_of(&host6, &host6) < prio_of(&any6, &any6));
}

/* Ranges XFRM can express convert both ways; others are refused. */
static void
selector_conversion(void **state)
{
	struct ike_ts s = plt_ts("10.1.2.0", "10.1.3.255", IPPROTO_UDP),
	    d = plt_ts("2001:db8::", "2001:db8::ff", IPPROTO_UDP), s2, d2;
	struct xfrm_selector x;

	(void)state;
	d = plt_ts("10.9.9.9", "10.9.9.9", IPPROTO_UDP);
	s.sport = 1024;
	s.eport = 2047;
	d.sport = d.eport = 500;
	assert_int_equal(xfrm_sel_from_ts(&x, &s, &d), 0);
	assert_int_equal(x.prefixlen_s, 23);
	assert_int_equal(x.prefixlen_d, 32);
	assert_int_equal(ntohs(x.sport), 1024);
	assert_int_equal(ntohs(x.sport_mask), 0xfc00);
	assert_int_equal(ntohs(x.dport), 500);
	assert_int_equal(ntohs(x.dport_mask), 0xffff);
	xfrm_sel_to_ts(&x, &s2, &d2);
	assert_memory_equal(&s2, &s, sizeof(s));
	assert_memory_equal(&d2, &d, sizeof(d));

	plt_log_capture();
	s = plt_ts("10.1.2.1", "10.1.3.255", 0);	/* not a prefix */
	d = plt_ts("10.9.9.9", "10.9.9.9", 0);
	assert_int_equal(xfrm_sel_from_ts(&x, &s, &d), IKE_EUNSUPP);
	s = plt_ts("10.1.2.0", "10.1.3.254", 0);
	assert_int_equal(xfrm_sel_from_ts(&x, &s, &d), IKE_EUNSUPP);
	s = plt_ts("10.1.2.0", "10.1.3.255", 0);
	s.sport = 1000;				/* 1000..1999: no block */
	s.eport = 1999;
	assert_int_equal(xfrm_sel_from_ts(&x, &s, &d), IKE_EUNSUPP);
	free(plt_log_end());

	s = plt_ts("2001:db8::", "2001:db8::ffff", 0);
	d = plt_ts("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0);
	assert_int_equal(xfrm_sel_from_ts(&x, &s, &d), 0);
	assert_int_equal(x.prefixlen_s, 112);
	assert_int_equal(x.prefixlen_d, 0);
	xfrm_sel_to_ts(&x, &s2, &d2);
	assert_memory_equal(&s2, &s, sizeof(s));
	assert_memory_equal(&d2, &d, sizeof(d));
}

/* ------------------------------------------------------------ parser */

/* Every truncation of a valid message fails cleanly (ASan watches the
 * reads), and so do corrupted lengths. */
static void
parser_truncation(void **state)
{
	struct ike_key *ek = key(20, 1);
	struct plat_sa sa = base_sa();
	struct xfrm_usersa_info u;
	struct xnl_msg m;
	struct rd r, body, val;
	struct wr w;
	uint16_t type;
	uint8_t *copy;
	uint32_t bad[2];
	size_t n, i;
	int rc;

	(void)state;
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = ek;
	sa.natt_sport = sa.natt_dport = 4500;
	wr_init(&w, 0);
	assert_int_equal(xfrm_sa_build(&w, XFRM_MSG_NEWSA, 1, &sa), 0);
	for (n = 0; n < w.len; n++) {
		assert_non_null(copy = malloc(n ? n : 1));
		memcpy(copy, w.buf, n);
		rd_init(&r, copy, n);
		rc = xnl_next(&r, &m);
		assert_true(n == 0 ? rc == IKE_ESHORT : rc == IKE_EMALFORMED);
		free(copy);
	}
	/* A length below the header, and one beyond the datagram. */
	bad[0] = 15;
	bad[1] = (uint32_t)w.len + 4;
	for (i = 0; i < 2; i++) {
		assert_non_null(copy = malloc(w.len));
		memcpy(copy, w.buf, w.len);
		memcpy(copy, &bad[i], 4);
		rd_init(&r, copy, w.len);
		assert_int_equal(xnl_next(&r, &m), IKE_EMALFORMED);
		assert_int_equal(r.left, w.len);	/* unmoved */
		free(copy);
	}
	/* A fixed header longer than the body; an attribute shorter than
	 * its own header; one longer than what is left. */
	rd_init(&r, w.buf, w.len);
	assert_int_equal(xnl_next(&r, &m), 0);
	body = m.body;
	body.left = sizeof(u) - 1;
	assert_int_equal(xnl_fixed(&body, &u, sizeof(u)), IKE_EMALFORMED);
	assert_int_equal(body.left, sizeof(u) - 1);	/* unmoved */
	{
		uint8_t a[8] = { 3, 0, 1, 0, 0, 0, 0, 0 };	/* len 3 */

		rd_init(&body, a, sizeof(a));
		assert_int_equal(xnl_attr_next(&body, &type, &val),
		    IKE_EMALFORMED);
		a[0] = 12;					/* len 12 > 8 */
		rd_init(&body, a, sizeof(a));
		assert_int_equal(xnl_attr_next(&body, &type, &val),
		    IKE_EMALFORMED);
		assert_int_equal(body.left, 8);
	}
	wr_free(&w);
	ike_key_free(ek);
}

/* An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK and
 * NETLINK_EXT_ACK: error, the request's header, the message text. */
static void
parser_error(void **state)
{
	struct { int32_t err; uint32_t len; uint16_t type, flags;
	    uint32_t seq, pid; } e = { -EPROTONOSUPPORT, 500, XFRM_MSG_NEWSA,
	    5, 9, 0 };
	static const char text[] = "Requested type not found";
	struct xnl_err k;
	struct xnl_msg m;
	struct rd r;
	struct wr w;
	uint16_t fl = NLM_F_CAPPED | NLM_F_ACK_TLVS;

	(void)state;
	wr_init(&w, 0);
	xnl_begin(&w, NLMSG_ERROR, 0, 9, &e, sizeof(e));
	xnl_put_attr(&w, NLMSGERR_ATTR_MSG, text, sizeof(text));
	xnl_end(&w);
	assert_int_equal(wr_error(&w), 0);
	memcpy(w.buf + 6, &fl, 2);
	rd_init(&r, w.buf, w.len);
	assert_int_equal(xnl_next(&r, &m), 0);
	assert_int_equal(xnl_parse_error(&m, &k), 0);
	assert_int_equal(k.err, EPROTONOSUPPORT);
	assert_string_equal(k.msg, text);
	assert_int_equal(xnl_errno_map(k.err), IKE_EUNSUPP);
	assert_int_equal(xnl_errno_map(EEXIST), IKE_EEXIST);
	assert_int_equal(xnl_errno_map(ESRCH), IKE_ENOTFOUND);
	assert_int_equal(xnl_errno_map(EPERM), IKE_EKERNEL);
	m.body.left = 6;			/* cut inside the header */
	k.err = 77;
	assert_int_equal(xnl_parse_error(&m, &k), IKE_EMALFORMED);
	assert_int_equal(k.err, 77);		/* untouched on failure */
	wr_free(&w);

	/* Not an errno: positive, or beyond the kernel's range. */
	e.err = 5;
	wr_init(&w, 0);
	xnl_begin(&w, NLMSG_ERROR, 0, 9, &e, sizeof(e));
	xnl_end(&w);
	memcpy(w.buf + 6, &fl, 2);
	rd_init(&r, w.buf, w.len);
	assert_int_equal(xnl_next(&r, &m), 0);
	assert_int_equal(xnl_parse_error(&m, &k), IKE_EMALFORMED);
	e.err = INT32_MIN;
	memcpy(w.buf + 16, &e.err, 4);
	assert_int_equal(xnl_parse_error(&m, &k), IKE_EMALFORMED);
	e.err = 0;				/* an acknowledgement */
	memcpy(w.buf + 16, &e.err, 4);
	assert_int_equal(xnl_parse_error(&m, &k), 0);
	assert_int_equal(k.err, 0);
	assert_string_equal(k.msg, "");
	wr_free(&w);
}

/* ------------------------------------------------------------ events */

struct seen {
	int		 expires, acquires;
	struct plat_sa_id id;
	bool		 hard;
	uint32_t	 reqid;
	struct ike_ts	 src, dst;
};

static void
seen_expire(void *arg, const struct plat_sa_id *id, bool hard)
{
	struct seen *s = arg;

	s->expires++;
	s->id = *id;
	s->hard = hard;
}

static void
seen_acquire(void *arg, uint32_t reqid, const struct ike_ts *src,
    const struct ike_ts *dst)
{
	struct seen *s = arg;

	s->acquires++;
	s->reqid = reqid;
	s->src = *src;
	s->dst = *dst;
}

static void
add_expire(struct wr *w, uint32_t kreqid, uint32_t spi, bool hard)
{
	struct xfrm_user_expire e;
	struct ike_addr dst = plt_addr("192.0.2.2");

	memset(&e, 0, sizeof(e));
	xfrm_addr_put(&e.state.id.daddr, &dst);
	e.state.id.spi = htonl(spi);
	e.state.id.proto = IPPROTO_ESP;
	e.state.family = AF_INET;
	e.state.reqid = kreqid;
	e.hard = hard;
	xnl_begin(w, XFRM_MSG_EXPIRE, 0, 0, &e, sizeof(e));
	xnl_end(w);
}

static void
add_acquire(struct wr *w, uint32_t kreqid)
{
	struct ike_ts s = plt_ts("10.1.2.3", "10.1.2.3", IPPROTO_TCP),
	    d = plt_ts("10.2.0.9", "10.2.0.9", IPPROTO_TCP);
	struct xfrm_user_acquire a;
	struct xfrm_user_tmpl t[2];

	d.sport = d.eport = 80;
	memset(&a, 0, sizeof(a));
	assert_int_equal(xfrm_sel_from_ts(&a.sel, &s, &d), 0);
	memset(t, 0, sizeof(t));
	t[0].reqid = 5;				/* not ours: skipped */
	t[1].reqid = kreqid;
	xnl_begin(w, XFRM_MSG_ACQUIRE, 0, 0, &a, sizeof(a));
	xnl_put_attr(w, XFRMA_POLICY_TYPE, "\0\0\0\0\0\0", 6);
	xnl_put_attr(w, XFRMA_TMPL, t, sizeof(t));
	xnl_end(w);
}

/* Events of ours reach the upcalls; others' are dropped. */
static void
events_dispatch(void **state)
{
	struct seen s;
	struct plat p;
	struct wr w, w2;

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	p.up.sa_expired = seen_expire;
	p.up.acquire = seen_acquire;
	p.up.arg = &s;
	wr_init(&w, 0);
	add_expire(&w, XFRM_OWN_REQID_BASE + 3, 0x1000, true);
	xfrm_events_dispatch(&p, w.buf, w.len);
	assert_int_equal(s.expires, 1);
	assert_int_equal(s.id.spi, 0x1000);
	assert_int_equal(s.id.proto, IPPROTO_ESP);
	assert_true(s.hard);
	assert_int_equal(s.id.dst.family, AF_INET);
	assert_memory_equal(s.id.dst.addr, "\xc0\x00\x02\x02", 4);
	wr_free(&w);

	/* Two messages in one datagram: a foreign expiry and our acquire. */
	wr_init(&w, 0);
	wr_init(&w2, 0);
	add_expire(&w, 3, 0x2000, false);
	add_acquire(&w2, XFRM_OWN_REQID_BASE + 9);
	wr_bytes(&w, w2.buf, w2.len);
	xfrm_events_dispatch(&p, w.buf, w.len);
	assert_int_equal(s.expires, 1);
	assert_int_equal(s.acquires, 1);
	assert_int_equal(s.reqid, 9);
	assert_int_equal(s.src.proto, IPPROTO_TCP);
	assert_int_equal(s.src.sport, 0);
	assert_int_equal(s.src.eport, 65535);
	assert_int_equal(s.dst.sport, 80);
	assert_int_equal(s.dst.eport, 80);
	assert_memory_equal(s.dst.start, "\x0a\x02\x00\x09", 4);
	assert_memory_equal(s.dst.end, "\x0a\x02\x00\x09", 4);
	wr_free(&w2);

	/* A foreign acquire, then a truncated datagram: nothing more. */
	wr_free(&w);
	wr_init(&w, 0);
	add_acquire(&w, 12);
	xfrm_events_dispatch(&p, w.buf, w.len);
	plt_log_capture();
	add_expire(&w, XFRM_OWN_REQID_BASE + 3, 0x3000, false);
	xfrm_events_dispatch(&p, w.buf, w.len - 8);
	free(plt_log_end());
	assert_int_equal(s.acquires, 1);
	assert_int_equal(s.expires, 1);
	wr_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sa_gcm_esn_natt),
		cmocka_unit_test(sa_cbc_sha256_transport_v6),
		cmocka_unit_test(sa_algorithm_names),
		cmocka_unit_test(sa_ah),
		cmocka_unit_test(sa_refused),
		cmocka_unit_test(policy_tunnel),
		cmocka_unit_test(policy_transport_bypass_discard),
		cmocka_unit_test(policy_priorities),
		cmocka_unit_test(selector_conversion),
		cmocka_unit_test(parser_truncation),
		cmocka_unit_test(parser_error),
		cmocka_unit_test(events_dispatch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
