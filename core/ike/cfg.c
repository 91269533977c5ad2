/* core/ike/cfg.c: checking and wiping configuration records. */
#include "core/ike/cfg.h"

#include <string.h>
#include <sys/socket.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"
#include "core/err.h"
#include "core/secmem.h"

uint64_t
cfg_rekey_ms(uint64_t lifetime_s, uint64_t margin_s, bool first)
{
	uint64_t life = lifetime_s * 1000, m;

	if (margin_s == 0)
		return life / 1000 * (first ? 900 : 950);
	m = margin_s * 1000;
	if (m > life / 5 * 4)	/* never before a fifth of the lifetime */
		m = life / 5 * 4;
	return life - (first ? m : m / 2);
}

void
ike_cfg_wipe(struct ike_cfg *c)
{
	if (c == NULL)
		return;
	secmem_wipe(c->psk, sizeof(c->psk));
	memset(c, 0, sizeof(*c));
}

/* An encryption + integrity pair the SK payload (or ESP) can use. */
static int
check_cipher(uint16_t encr, uint16_t key_bits, uint16_t integ)
{
	struct cipher_info ci;
	struct integ_info ii;
	int rc;

	if ((rc = cipher_info(encr, key_bits, &ci)) != 0)
		return rc;
	if ((rc = integ_info(integ, &ii)) != 0)
		return rc;
	if (ci.legacy || ii.legacy)
		return IKE_EUNSUPP;
	if (ci.aead != (integ == AUTH_NONE))
		return IKE_EINVAL;
	return 0;
}

int
ike_id_check(uint8_t type, size_t len)
{
	switch (type) {
	case IKEV2_ID_IPV4_ADDR:
		return len == 4 ? 0 : IKE_EINVAL;
	case IKEV2_ID_IPV6_ADDR:
		return len == 16 ? 0 : IKE_EINVAL;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
	case IKEV2_ID_KEY_ID:
	case IKEV2_ID_DER_ASN1_DN:
		return len > 0 && len <= CFG_ID_MAX ? 0 : IKE_EINVAL;
	default:
		return IKE_EUNSUPP;
	}
}

int
ike_cfg_check(const struct ike_cfg *c)
{
	size_t i;
	int rc;

	if (c->nprops == 0 || c->nprops > CFG_MAX_PROPS || c->ndh == 0 ||
	    c->ndh > CFG_MAX_DH || c->psk_len > CFG_PSK_MAX ||
	    c->auth > CFG_AUTH_ECDSA_SIG ||
	    (c->auth == CFG_AUTH_PSK && c->psk_len == 0))
		return IKE_EINVAL;
	if ((c->auth == CFG_AUTH_PSK || c->local_id.type != 0) &&
	    (rc = ike_id_check(c->local_id.type, c->local_id.len)) != 0)
		return rc;
	if (c->remote_id.type != 0 && (rc = ike_id_check(c->remote_id.type,
	    c->remote_id.len)) != 0)
		return rc;
	if (c->local.family == 0 || c->local.family != c->remote.family)
		return IKE_EINVAL;
	for (i = 0; i < c->nprops; i++) {
		if (!prf_supported(c->props[i].prf) ||
		    prf_is_legacy(c->props[i].prf))
			return IKE_EUNSUPP;
		if ((rc = check_cipher(c->props[i].encr, c->props[i].key_bits,
		    c->props[i].integ)) != 0)
			return rc;
	}
	for (i = 0; i < c->ndh; i++)
		if (!dh_supported(c->dh[i]) || dh_is_legacy(c->dh[i]))
			return IKE_EUNSUPP;
	return 0;
}

static int
check_ts(const struct ike_ts *ts)
{
	size_t n = ts->family == AF_INET ? 4 : 16;

	if (ts->sport > ts->eport || memcmp(ts->start, ts->end, n) > 0)
		return IKE_EINVAL;
	return 0;
}

/* ESP: a cipher with (or, AEAD, without) integrity; AH: integrity
 * only (RFC 7296 s. 3.3: INTEG and ESN transforms, no ENCR). */
static int
check_child_prop(const struct child_prop_cfg *p)
{
	struct integ_info ii;
	int rc;

	if (p->proto == IKEV2_PROTO_ESP)
		return check_cipher(p->encr, p->key_bits, p->integ);
	if (p->proto != IKEV2_PROTO_AH)
		return IKE_EINVAL;
	if (p->encr != 0 || p->key_bits != 0 || p->integ == AUTH_NONE)
		return IKE_EINVAL;
	if ((rc = integ_info(p->integ, &ii)) != 0)
		return rc;
	return ii.legacy ? IKE_EUNSUPP : 0;
}

int
child_cfg_check(const struct child_cfg *c)
{
	size_t i;
	int rc;

	if (c->nprops == 0 || c->nprops > CFG_MAX_PROPS ||
	    (c->mode != PLAT_TUNNEL && c->mode != PLAT_TRANSPORT))
		return IKE_EINVAL;
	for (i = 0; i < c->nprops; i++)
		if ((rc = check_child_prop(&c->props[i])) != 0)
			return rc;
	if (c->local_ts.family == 0 ||
	    c->local_ts.family != c->remote_ts.family)
		return IKE_EINVAL;
	if ((rc = check_ts(&c->local_ts)) != 0)
		return rc;
	return check_ts(&c->remote_ts);
}
