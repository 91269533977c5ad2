/* core/exchange1/v1_info.c: placeholder until implemented. */
#include "core/exchange1/v1.h"

#include "core/err.h"

void
v1_info_input(struct ike_engine *a0, struct ike_sa *a1, struct v1_msg *m)
{
	(void)a0;
	(void)a1;
	(void)m;
}

int
v1_info_delete_child(struct ike_engine *a0, struct ike_sa *a1, uint32_t spi_in)
{
	(void)a0;
	(void)a1;
	(void)spi_in;
	return IKE_EUNSUPP;
}

int
v1_info_delete_ike(struct ike_engine *a0, struct ike_sa *a1, bool with_children)
{
	(void)a0;
	(void)a1;
	(void)with_children;
	return IKE_EUNSUPP;
}

int
v1_info_notify(struct ike_engine *a0, struct ike_sa *a1, uint16_t type, uint8_t proto, const uint8_t *spi, size_t spi_len, const uint8_t *data, size_t data_len)
{
	(void)a0;
	(void)a1;
	(void)type;
	(void)proto;
	(void)spi;
	(void)spi_len;
	(void)data;
	(void)data_len;
	return IKE_EUNSUPP;
}

int
v1_dpd_send(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return IKE_EUNSUPP;
}

void
v1_dpd_tick(struct ike_engine *a0, struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
}

uint64_t
v1_dpd_deadline(const struct ike_engine *a0, const struct ike_sa *a1)
{
	(void)a0;
	(void)a1;
	return UINT64_MAX;
}
