/* cli/ike/idfmt.h: identities of tunnel definitions as `ike cmd=list`
 * shows them. */
#ifndef IKE_CLI_IDFMT_H
#define IKE_CLI_IDFMT_H

#include <stddef.h>
#include <stdint.h>

#include "db/model.h"

#define IDFMT_MAX	(DB_IDVAL_MAX + DB_IDVAL2_MAX + 2)

/* Phase-1 identity: its value (a group: the group's name). */
void	idfmt_p1(const struct db_ident *, char *buf, size_t n);
/* Phase-2 identity as an address range "start-end": a host a gives
 * "a-a", a subnet its first and last address, a range its two ends; a
 * group its name.  A value that does not parse is printed as stored. */
void	idfmt_p2(const struct db_ident *, char *buf, size_t n);
/* The stored value for verbose listings: "addr/netmask",
 * "addr/prefixlen", "from-to" or the value. */
void	idfmt_value(const struct db_ident *, char *buf, size_t n);
/* IP protocol: "any", "icmp", "tcp", "udp" or the number. */
void	idfmt_proto(uint8_t proto, char *buf, size_t n);
/* Port or port range: "any", "443", "1000-2000". */
void	idfmt_ports(uint16_t port, uint16_t endport, char *buf, size_t n);

#endif
