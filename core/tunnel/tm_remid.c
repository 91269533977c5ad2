/* core/tunnel/tm_remid.c: remote identities of `ike cmd=activate`
 * compared with the definitions' identities. */
#include "core/tunnel/tm_remid.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/err.h"
#include "core/tunnel/tm_cfg.h"

static int
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return IKE_EINVAL;
}

/* One address of s[0..n) into a (16 bytes); its family, or 0. */
static uint16_t
addr_n(const char *s, size_t n, uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (n == 0 || n >= sizeof(buf))
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a, 0, 16);
	if (inet_pton(AF_INET, buf, a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, buf, a) == 1)
		return AF_INET6;
	return 0;
}

/* A contiguous netmask of alen bytes: ones, then zeros. */
static bool
is_mask(const uint8_t *m, size_t alen)
{
	uint8_t x;
	size_t i;
	bool zeros = false;

	for (i = 0; i < alen; i++) {
		if (zeros && m[i] != 0)
			return false;
		x = (uint8_t)~m[i];
		if (x == 0)
			continue;
		if ((x & (uint8_t)(x + 1)) != 0)
			return false;	/* a one after a zero */
		zeros = true;
	}
	return true;
}

/* "a,b": a subnet (b a netmask) or a range (a <= b). */
static int
parse_pair(const char *s, const char *comma, struct tm_remid *r, char *err,
    size_t errlen)
{
	uint8_t b[16];
	uint16_t f1, f2;
	size_t alen, i;

	f1 = addr_n(s, (size_t)(comma - s), r->lo);
	f2 = addr_n(comma + 1, strlen(comma + 1), b);
	if (f1 == 0 || f2 == 0)
		return fail(err, errlen, "remid %s: expected address,netmask "
		    "or start,end", s);
	if (f1 != f2)
		return fail(err, errlen, "remid %s: mixes IPv4 and IPv6", s);
	r->family = f1;
	alen = f1 == AF_INET ? 4 : 16;
	if (is_mask(b, alen)) {
		for (i = 0; i < alen; i++) {
			r->lo[i] &= b[i];
			r->hi[i] = (uint8_t)(r->lo[i] | (uint8_t)~b[i]);
		}
	} else {
		if (memcmp(r->lo, b, alen) > 0)
			return fail(err, errlen, "remid %s: the range starts "
			    "after it ends", s);
		memcpy(r->hi, b, alen);
	}
	r->single = memcmp(r->lo, r->hi, alen) == 0;
	r->kind = TM_REMID_ADDRS;
	return 0;
}

static int
parse_word(const char *s, struct tm_remid *r, char *err, size_t errlen)
{
	size_t i;

	if ((r->family = addr_n(s, strlen(s), r->lo)) != 0) {
		memcpy(r->hi, r->lo, 16);
		r->single = true;
		r->kind = TM_REMID_ADDRS;
		return 0;
	}
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '.' && s[i] != '_')
			return fail(err, errlen, "remid %s: not an address, "
			    "FQDN, user@FQDN, X.500 name, address pair or "
			    "group name", s);
	r->kind = TM_REMID_FQDN;
	r->word = strchr(s, '.') == NULL;
	return 0;
}

int
tm_remid_parse(const char *s, struct tm_remid *out, char *err,
    size_t errlen)
{
	struct tm_remid r;
	const char *comma;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	if (s[0] == '\0' || strlen(s) >= sizeof(r.text))
		return fail(err, errlen, "remid: empty or longer than %zu "
		    "bytes", sizeof(r.text) - 1);
	memcpy(r.text, s, strlen(s) + 1);
	if (strchr(s, '=') != NULL)
		r.kind = TM_REMID_DN;
	else if (strchr(s, '@') != NULL)
		r.kind = TM_REMID_USER_FQDN;
	else if ((comma = strchr(s, ',')) != NULL)
		rc = parse_pair(s, comma, &r, err, errlen);
	else
		rc = parse_word(s, &r, err, errlen);
	if (rc == 0)
		*out = r;
	return rc;
}

/* The address set of an address, subnet or range identity. */
static bool
ident_addrs(const struct db_ident *id, struct ike_ts *ts)
{
	struct db_p2ident p;

	memset(&p, 0, sizeof(p));
	p.id = *id;
	switch (id->type) {
	case DB_ID_IPV4_ADDR: case DB_ID_IPV6_ADDR:
	case DB_ID_IPV4_SUBNET: case DB_ID_IPV6_SUBNET:
	case DB_ID_IPV4_RANGE: case DB_ID_IPV6_RANGE:
		return tm_ts_from_ident(&p, NULL, ts, NULL, 0) == 0;
	}
	return false;
}

/* a and b with one trailing dot each ignored, case-insensitively. */
static bool
fqdn_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > 0 && a[na - 1] == '.')
		na--;
	if (nb > 0 && b[nb - 1] == '.')
		nb--;
	return na == nb && na > 0 && strncasecmp(a, b, na) == 0;
}

static bool
user_fqdn_equal(const char *a, const char *b)
{
	const char *x = strrchr(a, '@'), *y = strrchr(b, '@');

	return x != NULL && y != NULL && x - a == y - b &&
	    strncmp(a, b, (size_t)(x - a)) == 0 && fqdn_equal(x + 1, y + 1);
}

bool
tm_remid_is(const struct tm_remid *r, const struct db_ident *id)
{
	struct ike_ts ts;
	size_t alen = r->family == AF_INET ? 4 : 16;

	switch (r->kind) {
	case TM_REMID_ADDRS:
		return ident_addrs(id, &ts) && ts.family == r->family &&
		    memcmp(ts.start, r->lo, alen) == 0 &&
		    memcmp(ts.end, r->hi, alen) == 0;
	case TM_REMID_FQDN:
		return id->type == DB_ID_FQDN && fqdn_equal(r->text, id->value);
	case TM_REMID_USER_FQDN:
		return id->type == DB_ID_USER_FQDN &&
		    user_fqdn_equal(r->text, id->value);
	case TM_REMID_DN:
		return id->type == DB_ID_X500DN &&
		    tm_dn_equal(r->text, id->value);
	}
	return false;
}

int
tm_remid_member(const struct tm_remid *r, const struct db_group *g)
{
	size_t i;

	for (i = 0; i < g->nmembers && i < DB_MAX_MEMBERS; i++)
		if (tm_remid_is(r, &g->members[i]))
			return (int)i;
	return -1;
}

bool
tm_ident_covers(const struct db_ident *id, const struct ike_addr *a)
{
	struct ike_ts ts;
	size_t alen = a->family == AF_INET ? 4 : 16;

	return ident_addrs(id, &ts) && ts.family == a->family &&
	    memcmp(ts.start, a->addr, alen) <= 0 &&
	    memcmp(ts.end, a->addr, alen) >= 0;
}

/* ------------------------------------------------------- X.500 names */

/* The next RDN of *s (up to an unescaped ','): its type without spaces
 * and its value with runs of spaces as one and none at either end, both
 * in lower case, into t and v (NUL-ended, cut at their sizes); *s moves
 * past it.  false at the end. */
static bool
dn_next(const char **s, char *t, size_t tn, char *v, size_t vn)
{
	const char *p = *s, *eq;
	size_t i = 0, j = 0;
	bool space = false;

	if (*p == '\0')
		return false;
	while (*p == ' ')
		p++;
	eq = p;
	while (*eq != '\0' && *eq != '=' && *eq != ',')
		eq++;
	for (; p < eq && i + 1 < tn; p++)
		if (*p != ' ')
			t[i++] = (char)tolower((unsigned char)*p);
	t[i] = '\0';
	if (*eq == '=')
		p = eq + 1;
	while (*p == ' ')
		p++;
	for (; *p != '\0' && *p != ','; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (*p == ' ') {
			space = j > 0;
			continue;
		}
		if (space && j + 1 < vn)
			v[j++] = ' ';
		space = false;
		if (j + 1 < vn)
			v[j++] = (char)tolower((unsigned char)*p);
	}
	v[j] = '\0';
	*s = *p == ',' ? p + 1 : p;
	return true;
}

static const char *
dn_type(const char *t)
{
	if (strcmp(t, "e") == 0 || strcmp(t, "email") == 0)
		return "emailaddress";
	if (strcmp(t, "s") == 0)
		return "st";
	if (strcmp(t, "2.5.4.3") == 0)
		return "cn";
	return t;
}

bool
tm_dn_equal(const char *a, const char *b)
{
	char ta[64], tb[64], va[DB_IDVAL_MAX], vb[DB_IDVAL_MAX];
	bool ma, mb;

	for (;;) {
		ma = dn_next(&a, ta, sizeof(ta), va, sizeof(va));
		mb = dn_next(&b, tb, sizeof(tb), vb, sizeof(vb));
		if (!ma || !mb)
			return ma == mb;
		if (strcmp(dn_type(ta), dn_type(tb)) != 0 ||
		    strcmp(va, vb) != 0)
			return false;
	}
}
