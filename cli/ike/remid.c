#include "remid.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "core/err.h"

static bool
is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A hostname label s[0..n): 1-63 letters, digits, hyphens, not starting
 * or ending with a hyphen. */
static bool
label_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

/* A hostname s[0..n): labels separated by dots, at most 253 bytes, the
 * last label not all digits (that would be a broken IPv4 address). */
static bool
hostname_ok(const char *s, size_t n)
{
	size_t start = 0, i;
	bool digits = true;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (!label_ok(s + start, i - start))
			return false;
		start = i + 1;
	}
	for (i = n; i > 0 && s[i - 1] != '.'; i--)
		digits = digits && is_digit(s[i - 1]);
	return !digits;
}

static bool
all_digits_dots(const char *s)
{
	for (; *s != '\0'; s++)
		if (!is_digit(*s) && *s != '.')
			return false;
	return true;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && **s == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (*s)[*n - 1] == ' ')
		(*n)--;
}

/* One RDN "type=value" in s[0..n), spaces around either part allowed;
 * the type is a keyword (CN, O, ...) or a dotted OID. */
static bool
rdn_ok(const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n), *t = s, *v;
	size_t tl, vl, i;

	if (eq == NULL)
		return false;
	tl = (size_t)(eq - s);
	v = eq + 1;
	vl = n - tl - 1;
	trim(&t, &tl);
	trim(&v, &vl);
	if (tl == 0 || vl == 0 || !is_alnum(t[0]))
		return false;
	for (i = 0; i < tl; i++)
		if (!is_alnum(t[i]) && t[i] != '-' && t[i] != '.')
			return false;
	return true;
}

/* An X.500 DN: RDNs separated by commas; "\," escapes a comma. */
static int
classify_dn(const char *s, char *why, size_t whylen)
{
	size_t start = 0, i, n = strlen(s);

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (i < n && s[i] != ',')
			continue;
		if (!rdn_ok(s + start, i - start)) {
			snprintf(why, whylen, "'%.*s' is not an X.500 "
			    "attribute=value pair", (int)(i - start),
			    s + start);
			return IKE_EINVAL;
		}
		start = i + 1;
	}
	return 0;
}

static int
classify_user_fqdn(const char *s, char *why, size_t whylen)
{
	const char *at = strchr(s, '@');
	size_t i;

	for (i = 0; s + i < at; i++) {
		if ((unsigned char)s[i] <= ' ' || s[i] == ',') {
			snprintf(why, whylen, "bad user name before '@'");
			return IKE_EINVAL;
		}
	}
	if (at == s) {
		snprintf(why, whylen, "no user name before '@'");
		return IKE_EINVAL;
	}
	if (!hostname_ok(at + 1, strlen(at + 1))) {
		snprintf(why, whylen, "'%s' after '@' is not a domain name",
		    at + 1);
		return IKE_EINVAL;
	}
	return 0;
}

/* "a,b": a subnet if b is a netmask, else a range with a <= b. */
static int
classify_pair(const char *s, enum remid_kind *out, char *why, size_t whylen)
{
	const char *comma = strchr(s, ',');
	struct cli_addr a, b;
	bool v4;

	if (strchr(comma + 1, ',') != NULL) {
		snprintf(why, whylen, "more than two addresses");
		return IKE_EINVAL;
	}
	if (addr_parse_n(s, (size_t)(comma - s), &a) != 0 ||
	    addr_parse(comma + 1, &b) != 0) {
		snprintf(why, whylen, "expected address,netmask or "
		    "start,end with IPv4 or IPv6 addresses");
		return IKE_EINVAL;
	}
	if (a.family != b.family) {
		snprintf(why, whylen, "mixes IPv4 and IPv6 addresses");
		return IKE_EINVAL;
	}
	v4 = a.family == AF_INET;
	if (addr_is_mask(&b)) {
		*out = v4 ? REMID_IPV4_SUBNET : REMID_IPV6_SUBNET;
		return 0;
	}
	if (addr_cmp(&a, &b) > 0) {
		snprintf(why, whylen, "range starts after it ends");
		return IKE_EINVAL;
	}
	*out = v4 ? REMID_IPV4_RANGE : REMID_IPV6_RANGE;
	return 0;
}

static bool
group_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > REMID_NAME_MAX || !(is_alnum(s[0]) || s[0] == '_'))
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '_' && s[i] != '.' &&
		    s[i] != '-')
			return false;
	return true;
}

/* A single word: an address, an FQDN or a group name. */
static int
classify_word(const char *s, enum remid_kind *out, char *why, size_t whylen)
{
	struct cli_addr a;

	if (addr_parse(s, &a) == 0) {
		*out = a.family == AF_INET ? REMID_IPV4 : REMID_IPV6;
		return 0;
	}
	if (all_digits_dots(s)) {
		snprintf(why, whylen, "not a valid IPv4 address");
		return IKE_EINVAL;
	}
	if (strchr(s, ':') != NULL) {
		snprintf(why, whylen, "not a valid IPv6 address");
		return IKE_EINVAL;
	}
	if (strchr(s, '.') != NULL && hostname_ok(s, strlen(s))) {
		*out = REMID_FQDN;
		return 0;
	}
	if (group_name_ok(s)) {
		*out = REMID_GROUP;
		return 0;
	}
	snprintf(why, whylen, "not an address, FQDN, user@FQDN, X.500 name, "
	    "address pair or group name");
	return IKE_EINVAL;
}

static int
check_chars(const char *s, char *why, size_t whylen)
{
	size_t n = strlen(s), i;

	if (n == 0) {
		snprintf(why, whylen, "empty");
		return IKE_EINVAL;
	}
	if (n > REMID_MAX) {
		snprintf(why, whylen, "longer than %d bytes", REMID_MAX);
		return IKE_EINVAL;
	}
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f) {
			snprintf(why, whylen, "contains a control character");
			return IKE_EINVAL;
		}
	}
	return 0;
}

int
remid_classify(const char *s, enum remid_kind *out, char *why, size_t whylen)
{
	enum remid_kind k = 0;
	int rc;

	if ((rc = check_chars(s, why, whylen)) != 0)
		return rc;
	if (strchr(s, '=') != NULL) {
		rc = classify_dn(s, why, whylen);
		k = REMID_X500DN;
	} else if (strchr(s, '@') != NULL) {
		rc = classify_user_fqdn(s, why, whylen);
		k = REMID_USER_FQDN;
	} else if (strchr(s, ',') != NULL) {
		rc = classify_pair(s, &k, why, whylen);
	} else {
		rc = classify_word(s, &k, why, whylen);
	}
	if (rc == 0)
		*out = k;
	return rc;
}

const char *
remid_kind_name(enum remid_kind k)
{
	switch (k) {
	case REMID_IPV4:	return "IPv4 address";
	case REMID_IPV6:	return "IPv6 address";
	case REMID_IPV4_SUBNET:	return "IPv4 subnet";
	case REMID_IPV6_SUBNET:	return "IPv6 subnet";
	case REMID_IPV4_RANGE:	return "IPv4 address range";
	case REMID_IPV6_RANGE:	return "IPv6 address range";
	case REMID_FQDN:	return "FQDN";
	case REMID_USER_FQDN:	return "user@FQDN";
	case REMID_X500DN:	return "X.500 distinguished name";
	case REMID_GROUP:	return "group name";
	}
	return "unknown";
}
