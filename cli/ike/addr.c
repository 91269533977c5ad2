#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "core/err.h"

int
addr_parse(const char *s, struct cli_addr *out)
{
	struct cli_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, s, a.b) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, s, a.b) == 1)
		a.family = AF_INET6;
	else
		return IKE_EINVAL;
	*out = a;
	return 0;
}

int
addr_parse_n(const char *s, size_t n, struct cli_addr *out)
{
	char buf[ADDR_STRLEN + 1];

	if (n >= sizeof(buf))
		return IKE_EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return addr_parse(buf, out);
}

size_t
addr_len(const struct cli_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

int
addr_cmp(const struct cli_addr *a, const struct cli_addr *b)
{
	return memcmp(a->b, b->b, addr_len(a));
}

bool
addr_is_mask(const struct cli_addr *m)
{
	size_t i, n = addr_len(m);
	bool zeros = false;

	for (i = 0; i < n * 8; i++) {
		bool bit = (m->b[i / 8] >> (7 - i % 8)) & 1;

		if (bit && zeros)
			return false;
		if (!bit)
			zeros = true;
	}
	return true;
}

int
addr_mask_of_prefix(int family, unsigned prefix, struct cli_addr *out)
{
	struct cli_addr m;
	unsigned i;

	memset(&m, 0, sizeof(m));
	m.family = family;
	if (prefix > addr_len(&m) * 8)
		return IKE_EINVAL;
	for (i = 0; i < prefix; i++)
		m.b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	*out = m;
	return 0;
}

void
addr_subnet_range(const struct cli_addr *a, const struct cli_addr *m,
    struct cli_addr *lo, struct cli_addr *hi)
{
	size_t i, n = addr_len(a);

	*lo = *a;
	*hi = *a;
	/* The second bound is n's own (4 or 16); it keeps GCC's -O3 bounds
	 * analysis from seeing a write past b[]. */
	for (i = 0; i < n && i < sizeof(lo->b); i++) {
		lo->b[i] = a->b[i] & m->b[i];
		hi->b[i] = a->b[i] | (uint8_t)~m->b[i];
	}
}

void
addr_format(const struct cli_addr *a, char *buf, size_t n)
{
	if (inet_ntop(a->family, a->b, buf, (socklen_t)n) == NULL)
		snprintf(buf, n, "?");
}
