/* platform/plat_addr.h: comparing the address and selector values of
 * core/platform.h, for platform.c and the backends. */
#ifndef IKE_PLAT_ADDR_H
#define IKE_PLAT_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/platform.h"

/* Octets of an address of family: 4, 16, or 0 for an unknown family. */
size_t	plat_addr_len(unsigned int family);
/* Same family and address; ports are not compared. */
bool	plat_addr_eq(const struct ike_addr *, const struct ike_addr *);
/* Same family, protocol, port range and address range. */
bool	plat_ts_eq(const struct ike_ts *, const struct ike_ts *);
/* The address (no port) as text into buf, for logs; returns buf. */
const char *plat_addr_str(const struct ike_addr *, char *buf, size_t len);

#define PLAT_ADDR_STRLEN	48	/* an IPv6 address and a NUL */

#endif
