#include "idfmt.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

void
idfmt_p1(const struct db_ident *id, char *buf, size_t n)
{
	snprintf(buf, n, "%s", id->value);
}

/* "lo-hi" in canonical form; -1 if either does not parse. */
static int
range_of(const char *lo, const char *hi, char *buf, size_t n)
{
	struct cli_addr a, b;
	char sa[ADDR_STRLEN], sb[ADDR_STRLEN];

	if (addr_parse(lo, &a) != 0 || addr_parse(hi, &b) != 0)
		return -1;
	addr_format(&a, sa, sizeof(sa));
	addr_format(&b, sb, sizeof(sb));
	snprintf(buf, n, "%s-%s", sa, sb);
	return 0;
}

/* The netmask of a subnet identity: IPv4 stores a netmask, IPv6 a
 * prefix length. */
static int
subnet_mask(const struct db_ident *id, int family, struct cli_addr *m)
{
	unsigned long plen = 0;
	const char *p;

	if (family == AF_INET)
		return addr_parse(id->value2, m) == 0 && m->family == AF_INET &&
		    addr_is_mask(m) ? 0 : -1;
	if (id->value2[0] == '\0' || strlen(id->value2) > 3)
		return -1;
	for (p = id->value2; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		plen = plen * 10 + (unsigned long)(*p - '0');
	}
	return addr_mask_of_prefix(AF_INET6, (unsigned)plen, m) == 0 ? 0 : -1;
}

static int
subnet_range(const struct db_ident *id, int family, char *buf, size_t n)
{
	struct cli_addr a, m, lo, hi;
	char sa[ADDR_STRLEN], sb[ADDR_STRLEN];

	if (addr_parse(id->value, &a) != 0 || a.family != family ||
	    subnet_mask(id, family, &m) != 0)
		return -1;
	addr_subnet_range(&a, &m, &lo, &hi);
	addr_format(&lo, sa, sizeof(sa));
	addr_format(&hi, sb, sizeof(sb));
	snprintf(buf, n, "%s-%s", sa, sb);
	return 0;
}

void
idfmt_p2(const struct db_ident *id, char *buf, size_t n)
{
	int rc = -1;

	switch (id->type) {
	case DB_ID_IPV4_ADDR:
	case DB_ID_IPV6_ADDR:
		rc = range_of(id->value, id->value, buf, n);
		break;
	case DB_ID_IPV4_SUBNET:
		rc = subnet_range(id, AF_INET, buf, n);
		break;
	case DB_ID_IPV6_SUBNET:
		rc = subnet_range(id, AF_INET6, buf, n);
		break;
	case DB_ID_IPV4_RANGE:
	case DB_ID_IPV6_RANGE:
		rc = range_of(id->value, id->value2, buf, n);
		break;
	default:
		break;
	}
	if (rc != 0)
		idfmt_value(id, buf, n);
}

void
idfmt_value(const struct db_ident *id, char *buf, size_t n)
{
	switch (id->type) {
	case DB_ID_IPV4_SUBNET:
	case DB_ID_IPV6_SUBNET:
		snprintf(buf, n, "%s/%s", id->value, id->value2);
		break;
	case DB_ID_IPV4_RANGE:
	case DB_ID_IPV6_RANGE:
		snprintf(buf, n, "%s-%s", id->value, id->value2);
		break;
	default:
		snprintf(buf, n, "%s", id->value);
		break;
	}
}

void
idfmt_proto(uint8_t proto, char *buf, size_t n)
{
	switch (proto) {
	case 0:		snprintf(buf, n, "any"); break;
	case 1:		snprintf(buf, n, "icmp"); break;
	case 6:		snprintf(buf, n, "tcp"); break;
	case 17:	snprintf(buf, n, "udp"); break;
	default:	snprintf(buf, n, "%u", proto); break;
	}
}

void
idfmt_ports(uint16_t port, uint16_t endport, char *buf, size_t n)
{
	if (port == 0 && (endport == 0 || endport == 65535))
		snprintf(buf, n, "any");
	else if (endport == 0 || endport == port)
		snprintf(buf, n, "%u", port);
	else
		snprintf(buf, n, "%u-%u", port, endport);
}
