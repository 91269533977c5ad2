/* cli/ike/addr.h: IPv4/IPv6 addresses as the `ike` command reads and
 * prints them: parsing, ordering, netmasks and subnet ranges. */
#ifndef IKE_CLI_ADDR_H
#define IKE_CLI_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

struct cli_addr {
	int	family;		/* AF_INET or AF_INET6 */
	uint8_t	b[16];		/* network order; 4 or 16 bytes used */
};

/* Parses exactly one address in its usual text form (inet_pton rules).
 * IKE_EINVAL if s is not one. */
int	addr_parse(const char *s, struct cli_addr *out);
/* Same, for the n bytes at s (not NUL-ended). */
int	addr_parse_n(const char *s, size_t n, struct cli_addr *out);
/* Address length in bytes: 4 or 16. */
size_t	addr_len(const struct cli_addr *);
/* <0, 0, >0 as a is below, equal to or above b (same family). */
int	addr_cmp(const struct cli_addr *a, const struct cli_addr *b);
/* True if m is a contiguous netmask (ones then zeros). */
bool	addr_is_mask(const struct cli_addr *m);
/* A netmask of the family with the first `prefix` bits set;
 * IKE_EINVAL if prefix is too long for the family. */
int	addr_mask_of_prefix(int family, unsigned prefix, struct cli_addr *out);
/* The first and last address of the subnet a/m (same family). */
void	addr_subnet_range(const struct cli_addr *a, const struct cli_addr *m,
	    struct cli_addr *lo, struct cli_addr *hi);
/* Canonical text form (inet_ntop); buf holds at least ADDR_STRLEN. */
void	addr_format(const struct cli_addr *, char *buf, size_t n);

#endif
