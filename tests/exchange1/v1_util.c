/* tests/exchange1/v1_util.c: see v1_util.h. */
#include "v1_util.h"

#include <string.h>

#include "core/codec/ikev2.h"
#include "core/crypto/cipher.h"
#include "core/crypto/dh.h"
#include "core/crypto/integ.h"
#include "core/crypto/prf.h"

void
peer_v1_suite(struct peer *p, uint16_t encr, uint16_t key_bits,
    uint16_t prf, uint16_t dh)
{
	memset(p->cfg.props, 0, sizeof(p->cfg.props));
	p->cfg.props[0] = (struct ike_prop_cfg){ encr, key_bits, 0, prf };
	p->cfg.nprops = 1;
	memset(p->cfg.dh, 0, sizeof(p->cfg.dh));
	p->cfg.dh[0] = dh;
	p->cfg.ndh = 1;
}

void
peer_v1(struct peer *p, bool aggressive)
{
	p->cfg.version = IKE_VERSION_1;
	p->cfg.aggressive = aggressive;
	peer_v1_suite(p, ENCR_AES_CBC, 256, PRF_HMAC_SHA2_256, DH_MODP_2048);
	memset(p->ccfg.props, 0, sizeof(p->ccfg.props));
	p->ccfg.props[0] = (struct child_prop_cfg){ IKEV2_PROTO_ESP,
	    ENCR_AES_CBC, 256, AUTH_HMAC_SHA2_256_128 };
	p->ccfg.nprops = 1;
	p->ccfg.mode = PLAT_TUNNEL;
}
