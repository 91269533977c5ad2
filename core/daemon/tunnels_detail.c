/* core/daemon/tunnels_detail.c: the verbose details of an active tunnel
 * (`ike cmd=list verbose`): role, version, definition, algorithms, SPIs,
 * lifetime and the time left of it, and for a phase-2 tunnel the
 * kernel's byte and packet counters when the backend keeps them. */
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../codec/ikev2.h"
#include "../ctl/ctl_msg.h"
#include "../sa/ike_sa.h"
#include "isakmpd.h"
#include "tunnels_int.h"

static const char *
encr_name(uint16_t id)
{
	switch (id) {
	case IKEV2_ENCR_3DES:			return "3DES-CBC";
	case IKEV2_ENCR_NULL:			return "NULL";
	case IKEV2_ENCR_AES_CBC:		return "AES-CBC";
	case IKEV2_ENCR_AES_GCM_16:		return "AES-GCM";
	case IKEV2_ENCR_CHACHA20_POLY1305:	return "CHACHA20-POLY1305";
	}
	return "?";
}

static const char *
integ_name(uint16_t id)
{
	switch (id) {
	case IKEV2_INTEG_NONE:			return "None";
	case IKEV2_INTEG_HMAC_MD5_96:		return "HMAC-MD5";
	case IKEV2_INTEG_HMAC_SHA1_96:		return "HMAC-SHA";
	case IKEV2_INTEG_AES_XCBC_96:		return "AES-XCBC";
	case IKEV2_INTEG_HMAC_SHA2_256_128:	return "HMAC-SHA2-256";
	case IKEV2_INTEG_HMAC_SHA2_384_192:	return "HMAC-SHA2-384";
	case IKEV2_INTEG_HMAC_SHA2_512_256:	return "HMAC-SHA2-512";
	}
	return "?";
}

static const char *
prf_name(uint16_t id)
{
	switch (id) {
	case IKEV2_PRF_HMAC_MD5:	return "PRF-MD5";
	case IKEV2_PRF_HMAC_SHA1:	return "PRF-SHA";
	case IKEV2_PRF_AES128_XCBC:	return "PRF-AES-XCBC";
	case IKEV2_PRF_HMAC_SHA2_256:	return "PRF-SHA2-256";
	case IKEV2_PRF_HMAC_SHA2_384:	return "PRF-SHA2-384";
	case IKEV2_PRF_HMAC_SHA2_512:	return "PRF-SHA2-512";
	}
	return "?";
}

static void
kvf(struct wr *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
kvf(struct wr *w, const char *key, const char *fmt, ...)
{
	char v[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	ctl_put_kv(w, key, v);
}

/* IKEv1 phase 1 has no integrity transform: its Hash Algorithm, whose
 * HMAC is the PRF, protects the messages (HASH_I/R, HASH(1)..(3)).  It
 * is listed under the names IKEv2 uses for that HMAC, so that the
 * columns read the same for both versions. */
static uint16_t
v1_integ_of_prf(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_MD5:	return IKEV2_INTEG_HMAC_MD5_96;
	case IKEV2_PRF_HMAC_SHA1:	return IKEV2_INTEG_HMAC_SHA1_96;
	case IKEV2_PRF_HMAC_SHA2_256:	return IKEV2_INTEG_HMAC_SHA2_256_128;
	case IKEV2_PRF_HMAC_SHA2_384:	return IKEV2_INTEG_HMAC_SHA2_384_192;
	case IKEV2_PRF_HMAC_SHA2_512:	return IKEV2_INTEG_HMAC_SHA2_512_256;
	}
	return 0xffff;	/* listed "?" */
}

static void
detail_algs(const struct tm_tunnel *e, struct wr *w)
{
	uint16_t integ = e->integ;

	if (e->phase == 1 && e->version == IKE_VERSION_1)
		integ = v1_integ_of_prf(e->prf);
	if (e->key_bits != 0)
		kvf(w, "Encryption", "%s-%u", encr_name(e->encr), e->key_bits);
	else
		kvf(w, "Encryption", "%s", encr_name(e->encr));
	kvf(w, "Authentication", "%s", integ_name(integ));
	if (e->phase == 1) {
		kvf(w, "PRF", "%s", prf_name(e->prf));
		kvf(w, "DH Group", "%u", e->dh);
		kvf(w, "SPI Initiator", "%016" PRIx64, e->spi_i);
		kvf(w, "SPI Responder", "%016" PRIx64, e->spi_r);
	} else {
		kvf(w, "Mode", "%s", e->mode == PLAT_TRANSPORT ? "Transport" :
		    "Tunnel");
		kvf(w, "SPI In", "%08" PRIx32, e->spi_in);
		kvf(w, "SPI Out", "%08" PRIx32, e->spi_out);
		kvf(w, "PFS DH Group", "%u", e->pfs);
	}
	if (e->lifetime_s != 0)
		kvf(w, "Key Lifetime", "%" PRIu64 " minutes",
		    e->lifetime_s / 60);
	else
		kvf(w, "Key Lifetime", "none");
}

/* "Lifetime Left": seconds until the SA installed at up_ms ends. */
static void
detail_left(const struct tm_tunnel *e, uint64_t up_ms, struct wr *w)
{
	uint64_t end, now = tun_now_ms();

	if (e->lifetime_s == 0 || up_ms == 0)
		return;
	end = up_ms + e->lifetime_s * 1000;
	kvf(w, "Lifetime Left", "%" PRIu64 " seconds",
	    end > now ? (end - now) / 1000 : 0);
}

/* The counters of one direction of c, if the backend has them. */
static void
detail_counters(struct tunnels *t, const struct ike_sa *sa,
    const struct child_sa *c, bool in, struct wr *w)
{
	struct plat_sa_id id;
	struct plat_sa_stats st;

	memset(&id, 0, sizeof(id));
	id.dst = in ? sa->local : sa->remote;
	id.spi = in ? c->spi_in : c->spi_out;
	id.proto = c->proto == IKEV2_PROTO_AH ? IPPROTO_AH : IPPROTO_ESP;
	if (plat_sa_stats(t->d->plat, &id, &st) != 0)
		return;
	kvf(w, in ? "Bytes In" : "Bytes Out", "%" PRIu64, st.bytes);
	kvf(w, in ? "Packets In" : "Packets Out", "%" PRIu64, st.packets);
}

/* "NAT": where NAT detection (RFC 7296 s. 2.23) found one. */
static void
detail_nat(const struct ike_sa *sa, struct wr *w)
{
	if (!sa->natd_seen)
		kvf(w, "NAT", "not checked");
	else if (sa->nat_local && sa->nat_remote)
		kvf(w, "NAT", "local and remote");
	else
		kvf(w, "NAT", "%s", sa->nat_local ? "local" :
		    sa->nat_remote ? "remote" : "none");
}

/* What the engine knows of an active entry now. */
static void
detail_live(struct tunnels *t, const struct tm_tunnel *e, struct wr *w)
{
	const struct ike_sa *sa = engine_sa(t->eng, e->handle);
	const struct child_sa *c;
	char subj[IKE_SA_SUBJECT_MAX];

	if (sa == NULL)
		return;
	if (e->phase == 1) {
		if (sa->peer_subject[0] != '\0') {
			dcerts_subject_order(sa->peer_subject, subj,
			    sizeof(subj));
			kvf(w, "Peer Certificate", "%s", subj);
		}
		detail_left(e, sa->up_ms, w);
		detail_nat(sa, w);
		return;
	}
	if ((c = ike_sa_child_find(sa, e->spi_in, true)) == NULL)
		return;
	detail_left(e, c->up_ms, w);
	detail_counters(t, sa, c, true, w);
	detail_counters(t, sa, c, false, w);
}

void
tunnels_detail(struct tunnels *t, const struct tm_tunnel *e, struct wr *w)
{
	bool v1 = e->version == IKE_VERSION_1;

	kvf(w, "Role", "%s", e->role == 'i' ? "Initiator" : "Responder");
	kvf(w, "IKE Version", "%u", v1 ? 1 : 2);
	if (e->phase == 1) {
		if (v1)
			kvf(w, "Exchange Mode", "%s", e->aggressive ?
			    "Aggressive" : "Main");
		kvf(w, "Authentication Method", "%s",
		    dcerts_auth_name(e->auth));
	}
	if (e->phase == 2)
		kvf(w, "Phase 1 Tunnel", "%" PRIu32, e->parent);
	if (e->def_num != 0 && e->def_name[0] != '\0')
		kvf(w, "Definition", "%s (Tun Id %" PRIu32 ")", e->def_name,
		    e->def_num);
	else if (e->def_num != 0)
		kvf(w, "Definition", "Tun Id %" PRIu32, e->def_num);
	else if (e->role == 'r' && e->phase == 2)
		kvf(w, "Definition", "default protection");
	if (e->state == TM_EXPIRED)
		kvf(w, "Reason", "%s", e->reason);
	if (e->state != TM_ACTIVE)
		return;
	detail_algs(e, w);
	if (t != NULL)
		detail_live(t, e, w);
}
