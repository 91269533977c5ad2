/* core/exchange1/v1_xchg.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

void
v1_input(struct ike_engine *a0, const struct ike_addr *remote, const struct ike_addr *local, const uint8_t *buf, size_t len)
{
	(void)remote;
	(void)local;
	(void)buf;
	(void)len;
	a0->st.rx_packets++;
	a0->st.rx_dropped++;
}

int
v1_initiate(struct ike_engine *a0, const struct ike_cfg *cfg, const struct child_cfg *ccfg, uint32_t *handle)
{
	(void)a0;
	(void)cfg;
	(void)ccfg;
	(void)handle;
	return IKE_EUNSUPP;
}

void
v1_tick(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
}

uint64_t
v1_deadline(const struct ike_engine *a0, const struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return UINT64_MAX;
}

void
v1_kill(struct ike_engine *a0, struct ike_sa *a1, uint16_t notify, const char *reason)
{
	(void)a0;
	(void)a1;
	(void)notify;
	(void)reason;
}

int
v1_rekey_ike(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return IKE_EUNSUPP;
}


int
v1_send_ph1(struct ike_engine *a0, struct ike_sa *a1, const uint8_t *buf, size_t len, bool request)
{
	(void)a0;
	(void)a1;
	(void)buf;
	(void)len;
	(void)request;
	return IKE_EUNSUPP;
}

int
v1_send_ph2(struct ike_engine *a0, struct ike_sa *a1, struct v1_ph2 *p, const uint8_t *buf, size_t len, bool expect)
{
	(void)a0;
	(void)a1;
	(void)p;
	(void)buf;
	(void)len;
	(void)expect;
	return IKE_EUNSUPP;
}

void
v1_digest(const uint8_t *buf, size_t len, uint8_t out[V1_DIGEST_LEN])
{
	(void)buf;
	(void)len;
	(void)out;
}

uint32_t
v1_new_msgid(const struct ike_sa *a0)
{
	(void)a0;
	return 1;
}
bool
v1_is_v1(const uint8_t *buf, size_t len)
{
	return len > 17 && (buf[17] >> 4) == IKEV1_MAJOR;
}
