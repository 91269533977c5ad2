/* core/ike/engine_int.h: the engine's state, shared by core/ike and
 * the exchange code in core/exchange.  Not an API for anyone else. */
#ifndef IKE_ENGINE_INT_H
#define IKE_ENGINE_INT_H

#include <stdint.h>

#include "core/ike/engine.h"
#include "core/sa/sa_table.h"

#define COOKIE_SECRET_LEN	32

struct ike_engine {
	struct plat		*plat;		/* borrowed */
	struct engine_callbacks	 cb;
	struct engine_limits	 lim;
	struct engine_stats	 st;
	struct sa_table		*sas;		/* owned */
	uint32_t		 next_handle;
	uint32_t		 next_reqid;
	/* the last IKE_SA_INIT refused without state (sa_init.c): its
	 * retransmissions are answered again, not reported again */
	uint64_t		 refused_spi;
	uint64_t		 now_ms;	/* of the call being handled */
	/* COOKIE secrets (s. 2.6): the current one and the one before,
	 * so that a cookie made just before a rotation still passes. */
	uint8_t			 secret[COOKIE_SECRET_LEN];
	uint8_t			 old_secret[COOKIE_SECRET_LEN];
	uint8_t			 secret_ver;
	bool			 have_old;
	uint64_t		 secret_born_ms;
	/* Certificates (engine_set_certs()) */
	const struct cert_own	*own;		/* borrowed, or NULL */
	const struct cert_store	*store;		/* borrowed, or NULL */
	uint8_t			*certreq;	/* owned: CA key hashes */
	size_t			 certreq_len;	/* 0: no CA, no CERTREQ */
};

#endif
