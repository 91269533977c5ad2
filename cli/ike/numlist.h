/* cli/ike/numlist.h: tunnel number lists such as "1,3,5-7".
 *
 * Grammar: item *("," item), item = N / N "-" M, N and M decimal
 * numbers 1 .. NUMLIST_NUM_MAX with N <= M.  Nothing else is accepted:
 * no spaces, no signs, no empty items, at most NUMLIST_MAX_ITEMS items.
 * The ranges are kept as written (not merged or sorted), because the
 * control protocol sends one CTL_A_RANGE per item. */
#ifndef IKE_CLI_NUMLIST_H
#define IKE_CLI_NUMLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NUMLIST_NUM_MAX		UINT32_MAX	/* 4294967295 */
#define NUMLIST_MAX_ITEMS	256

struct numrange {
	uint32_t	lo, hi;
};

struct numlist {
	size_t		n;
	struct numrange	r[NUMLIST_MAX_ITEMS];
};

/* Parses s into *out.  On error returns IKE_EINVAL and writes a short
 * phrase naming the problem (e.g. "range 7-5 is reversed") to why. */
int	numlist_parse(const char *s, struct numlist *out, char *why,
	    size_t whylen);
/* True if num is in one of the ranges. */
bool	numlist_contains(const struct numlist *, uint32_t num);

#endif
