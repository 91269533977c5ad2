/* platform/plat_addr.c: see plat_addr.h. */
#include "plat_addr.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

size_t
plat_addr_len(unsigned int family)
{
	if (family == AF_INET)
		return 4;
	if (family == AF_INET6)
		return 16;
	return 0;
}

bool
plat_addr_eq(const struct ike_addr *a, const struct ike_addr *b)
{
	return a->family == b->family &&
	    memcmp(a->addr, b->addr, plat_addr_len(a->family)) == 0;
}

bool
plat_ts_eq(const struct ike_ts *a, const struct ike_ts *b)
{
	size_t n = plat_addr_len(a->family);

	return a->family == b->family && a->proto == b->proto &&
	    a->sport == b->sport && a->eport == b->eport &&
	    memcmp(a->start, b->start, n) == 0 &&
	    memcmp(a->end, b->end, n) == 0;
}

const char *
plat_addr_str(const struct ike_addr *a, char *buf, size_t len)
{
	if (plat_addr_len(a->family) == 0 ||
	    inet_ntop(a->family, a->addr, buf, (socklen_t)len) == NULL)
		/* Truncation only shortens a log line. */
		(void)snprintf(buf, len, "(family %u)", a->family);
	return buf;
}
