#include "numlist.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"

/* Reads the decimal number in s[0..n); IKE_EINVAL if it is not all
 * digits, IKE_ENOSPC if it exceeds NUMLIST_NUM_MAX. */
static int
parse_num(const char *s, size_t n, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return IKE_EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return IKE_EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > NUMLIST_NUM_MAX)
			return IKE_ENOSPC;
	}
	*out = (uint32_t)v;
	return 0;
}

/* Checks one number of an item; writes the reason on failure. */
static int
check_num(const char *item, size_t ilen, const char *s, size_t n,
    uint32_t *out, char *why, size_t whylen)
{
	int rc = parse_num(s, n, out);

	if (rc == IKE_ENOSPC) {
		snprintf(why, whylen, "%.*s is larger than %lu", (int)n, s,
		    (unsigned long)NUMLIST_NUM_MAX);
		return IKE_EINVAL;
	}
	if (rc != 0) {
		snprintf(why, whylen, "'%.*s' is not a number or a range N-M",
		    (int)ilen, item);
		return IKE_EINVAL;
	}
	if (*out == 0) {
		snprintf(why, whylen, "0 is not a tunnel number (they start "
		    "at 1)");
		return IKE_EINVAL;
	}
	return 0;
}

/* Parses one item, s[0..n): "N" or "N-M". */
static int
parse_item(const char *s, size_t n, struct numrange *out, char *why,
    size_t whylen)
{
	const char *dash = memchr(s, '-', n);
	struct numrange r;
	size_t l1;

	if (n == 0) {
		snprintf(why, whylen, "empty item");
		return IKE_EINVAL;
	}
	l1 = dash != NULL ? (size_t)(dash - s) : n;
	if (check_num(s, n, s, l1, &r.lo, why, whylen) != 0)
		return IKE_EINVAL;
	r.hi = r.lo;
	if (dash != NULL && check_num(s, n, dash + 1, n - l1 - 1, &r.hi, why,
	    whylen) != 0)
		return IKE_EINVAL;
	if (r.hi < r.lo) {
		snprintf(why, whylen, "range %.*s is reversed", (int)n, s);
		return IKE_EINVAL;
	}
	*out = r;
	return 0;
}

int
numlist_parse(const char *s, struct numlist *out, char *why, size_t whylen)
{
	struct numrange r[NUMLIST_MAX_ITEMS];
	size_t n = 0;
	const char *p = s;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (n == NUMLIST_MAX_ITEMS) {
			snprintf(why, whylen, "more than %d items",
			    NUMLIST_MAX_ITEMS);
			return IKE_EINVAL;
		}
		if (parse_item(p, len, &r[n], why, whylen) != 0)
			return IKE_EINVAL;
		n++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	out->n = n;
	memcpy(out->r, r, n * sizeof(r[0]));
	return 0;
}

bool
numlist_contains(const struct numlist *l, uint32_t num)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (num >= l->r[i].lo && num <= l->r[i].hi)
			return true;
	return false;
}
