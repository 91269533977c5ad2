/* cli/ikedb/value.c: one attribute value <-> its field in a record. */
#include "value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/err.h"
#include "core/secmem.h"

static int
fail(struct sch_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
fail(struct sch_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void *
field(void *rec, size_t off)
{
	return (char *)rec + off;
}

static const void *
cfield(const void *rec, size_t off)
{
	return (const char *)rec + off;
}

/* Copies s into a field of size bytes; the caller checked the length. */
static void
set_str(void *p, size_t size, const char *s)
{
	snprintf(p, size, "%s", s);
}

/* A decimal number without sign; -1 if s is not one or too large. */
static int
read_num(const char *s, uint32_t *out)
{
	unsigned long v;
	size_t n = strlen(s);

	if (n == 0 || n > 10 || strspn(s, "0123456789") != n)
		return -1;
	errno = 0;
	v = strtoul(s, NULL, 10);
	if (errno != 0 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
p_name(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	size_t n = strlen(s), i;
	size_t max = a->size < DB_NAME_MAX ? a->size : DB_NAME_MAX;

	if (n == 0)
		return fail(e, "empty name");
	if (n >= max)
		return fail(e, "name longer than %zu characters", max - 1);
	for (i = 0; i < n; i++)
		if (isspace((unsigned char)s[i]) || iscntrl((unsigned char)s[i]))
			return fail(e, "a name may not contain spaces or "
			    "control characters");
	if (a->prefix != NULL && strncmp(s, a->prefix, strlen(a->prefix)))
		return fail(e, "must name an %s whose name starts with \"%s\"",
		    db_type_name((enum db_type)a->to_type), a->prefix);
	set_str(field(rec, a->off), a->size, s);
	return 0;
}

static int
p_reflist(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	char (*names)[DB_NAME_MAX] = field(rec, a->off);
	char tok[DB_NAME_MAX + 1];
	struct sch_attr one = *a;
	unsigned n = 0, i;
	size_t len;

	one.off = 0;
	one.size = DB_NAME_MAX;
	while (*(s += strspn(s, " \t\r\n")) != '\0') {
		len = strcspn(s, " \t\r\n");
		if (n == a->max)
			return fail(e, "more than %u names", a->max);
		if (len >= sizeof(tok))
			return fail(e, "name longer than %d characters",
			    DB_NAME_MAX - 1);
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (p_name(&one, tok, names[n], e) != 0)
			return -1;
		for (i = 0; i < n; i++)
			if (strcmp(names[i], tok) == 0)
				return fail(e, "\"%s\" listed twice", tok);
		n++;
		s += len;
	}
	if (n == 0)
		return fail(e, "no names");
	db_uint_set(field(rec, a->aux), 1, n);
	return 0;
}

/* The i-th canonical value of an enumerated attribute, or NULL. */
static const char *
enum_nth(const struct sch_attr *a, unsigned i, char *num, size_t n)
{
	const char *name;
	unsigned j, v, k = 0;

	switch (a->kind) {
	case SK_ENUM:
		for (j = 0; (name = db_enum_nth(a->ekind, j, &v)) != NULL; j++)
			if (v < 32 && (a->mask & (1u << v)) && k++ == i)
				return name;
		return NULL;
	case SK_BOOL:
		return i == 0 ? "Yes" : i == 1 ? "No" : NULL;
	case SK_DH:
		if (a->flags & SA_DH_RESP) {
			if (i < 2)
				return i == 0 ? "NO_PFS" : "ANY";
			i -= 2;
		} else if (a->flags & SA_DH_ZERO) {
			if (i == 0)
				return "0";
			i -= 1;
		}
		for (j = 0; sch_dh_groups[j] != 0; j++) {
			if (j == i) {
				snprintf(num, n, "%u", sch_dh_groups[j]);
				return num;
			}
		}
		return NULL;
	default:
		return NULL;
	}
}

int
val_enum_list(const struct sch_attr *a, const char *sep, char *buf, size_t n)
{
	const char *name;
	char num[16];
	unsigned i;
	size_t len = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; (name = enum_nth(a, i, num, sizeof(num))) != NULL; i++) {
		w = snprintf(buf + len, n - len, "%s%s", i ? sep : "", name);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
	return (int)i;
}

static int
not_one_of(const struct sch_attr *a, struct sch_err *e)
{
	char list[VAL_MAX];

	val_enum_list(a, " ", list, sizeof(list));
	return fail(e, "not one of %s", list);
}

static int
p_enum(const struct sch_attr *a, const char *s, void *rec, unsigned version,
    struct sch_err *e)
{
	unsigned v;

	if (db_enum_parse(a->ekind, s, &v) != 0 || v >= 32 ||
	    !(a->mask & (1u << v)))
		return not_one_of(a, e);
	if ((a->v2mask & (1u << v)) && version == 1)
		return fail(e, "IKEv2 only, but IKE_Version is 1");
	db_uint_set(field(rec, a->off), 1, v);
	return 0;
}

static int
p_uint(const struct sch_attr *a, const char *s, void *rec, struct sch_err *e)
{
	uint32_t v;

	if (read_num(s, &v) != 0 || v < a->min || v > a->max)
		return fail(e, "not a number from %u to %u", a->min, a->max);
	db_uint_set(field(rec, a->off), a->size, v);
	return 0;
}

static int
p_bool(const struct sch_attr *a, const char *s, void *rec, struct sch_err *e)
{
	bool v;

	if (strcasecmp(s, "Yes") == 0)
		v = true;
	else if (strcasecmp(s, "No") == 0)
		v = false;
	else
		return fail(e, "not one of Yes No");
	memcpy(field(rec, a->off), &v, sizeof(v));
	return 0;
}

static bool
dh_known(uint32_t g)
{
	const uint8_t *p;

	for (p = sch_dh_groups; *p != 0; p++)
		if (*p == g)
			return true;
	return false;
}

static int
p_dh(const struct sch_attr *a, const char *s, void *rec, struct sch_err *e)
{
	uint32_t g;
	bool zero_ok = (a->flags & (SA_DH_ZERO | SA_DH_RESP)) != 0;

	if (zero_ok && strcasecmp(s, "NO_PFS") == 0)
		g = DB_DH_NO_PFS;
	else if ((a->flags & SA_DH_RESP) && strcasecmp(s, "ANY") == 0)
		g = DB_DH_ANY;
	else if (read_num(s, &g) != 0 || !((g == 0 && zero_ok) || dh_known(g)))
		return not_one_of(a, e);
	db_uint_set(field(rec, a->off), 1, g);
	return 0;
}

static int
canon_addr(int af, const char *s, char *out, size_t size)
{
	unsigned char bin[16];
	char buf[INET6_ADDRSTRLEN];

	if (inet_pton(af, s, bin) != 1 ||
	    inet_ntop(af, bin, buf, sizeof(buf)) == NULL ||
	    strlen(buf) >= size)
		return -1;
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

static int
p_addr(const struct sch_attr *a, const char *s, void *rec, struct sch_err *e)
{
	char *out = field(rec, a->off);

	if (a->kind != SK_IPV6 &&
	    canon_addr(AF_INET, s, out, a->size) == 0)
		return 0;
	if (a->kind != SK_IPV4 &&
	    canon_addr(AF_INET6, s, out, a->size) == 0)
		return 0;
	if (a->kind == SK_IPV4)
		return fail(e, "not an IPv4 address");
	if (a->kind == SK_IPV6)
		return fail(e, "not an IPv6 address");
	return fail(e, "not an IPv4 or IPv6 address");
}

static int
allow_token(const char *tok, size_t len, uint16_t *bits)
{
	char name[48];
	enum db_idtype t;
	bool remote;
	int bit;

	if (len >= sizeof(name))
		return -1;
	memcpy(name, tok, len);
	name[len] = '\0';
	if (strncasecmp(name, "Local_", 6) == 0)
		remote = false;
	else if (strncasecmp(name, "Remote_", 7) == 0)
		remote = true;
	else
		return -1;
	if (db_idtype_parse(strchr(name, '_') + 1, &t) != 0 ||
	    (bit = db_allow_bit(t, remote)) < 0)
		return -1;
	*bits |= (uint16_t)(1u << bit);
	return 0;
}

static int
p_allowed(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	uint16_t bits = 0;
	size_t len;

	while (*(s += strspn(s, " \t\r\n")) != '\0') {
		len = strcspn(s, " \t\r\n");
		if (allow_token(s, len, &bits) != 0)
			return fail(e, "\"%.*s\" is not Local_ or Remote_ "
			    "followed by IPV4_Address, IPV6_Address, "
			    "IPV4_Subnet, IPV6_Subnet, IPV4_Address_Range or "
			    "IPV6_Address_Range", (int)(len > 40 ? 40 : len), s);
		s += len;
	}
	memcpy(field(rec, a->off), &bits, sizeof(bits));
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int
p_psk(const char *s, struct db_psk *k, struct sch_err *e)
{
	size_t n = strlen(s), i;

	k->len = 0;
	if (strcmp(s, "*") == 0)
		return VAL_KEEP;
	if (k->format == DB_PSK_ASCII) {
		if (n == 0 || n > DB_PSK_MAX)
			return fail(e, "the key must have 1 to %d bytes",
			    DB_PSK_MAX);
		memcpy(k->key, s, n);
		k->len = (uint16_t)n;
		return 0;
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2, n -= 2;
	if (n == 0 || n % 2 != 0 || n / 2 > DB_PSK_MAX)
		return fail(e, "Format=\"Hex\" needs an even number of hex "
		    "digits, at most %d", 2 * DB_PSK_MAX);
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)s[i]);
		int lo = hexval((unsigned char)s[i + 1]);

		if (hi < 0 || lo < 0) {
			secmem_wipe(k->key, sizeof(k->key));
			return fail(e, "Format=\"Hex\" but not hex digits");
		}
		k->key[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	k->len = (uint16_t)(n / 2);
	return 0;
}

static const struct {
	const char	*name;
	uint8_t		 num;
} protos[] = {
	{ "any", 0 }, { "icmp", 1 }, { "tcp", 6 }, { "udp", 17 },
	{ "icmpv6", 58 },
};

static int
p_proto(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (strcasecmp(s, protos[i].name) == 0) {
			db_uint_set(field(rec, a->off), 1, protos[i].num);
			return 0;
		}
	}
	if (read_num(s, &v) != 0 || v > 255)
		return fail(e, "not a protocol number 0 to 255 or one of "
		    "any tcp udp icmp icmpv6");
	db_uint_set(field(rec, a->off), 1, v);
	return 0;
}

static int
p_netmask(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	struct in_addr m;
	uint32_t inv;

	if (inet_pton(AF_INET, s, &m) != 1)
		return fail(e, "not an IPv4 netmask");
	inv = ~ntohl(m.s_addr);
	if ((inv & (inv + 1)) != 0)
		return fail(e, "not a contiguous netmask");
	return canon_addr(AF_INET, s, field(rec, a->off), a->size) == 0 ? 0 :
	    fail(e, "not an IPv4 netmask");
}

static int
p_prefix(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	uint32_t v;

	if (read_num(s, &v) != 0 || v > 128)
		return fail(e, "not a prefix length from 0 to 128");
	snprintf(field(rec, a->off), a->size, "%u", v);
	return 0;
}

static bool
host_ok(const char *s)
{
	size_t n = strlen(s), label = 0, i;

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return label > 0;
}

static int
p_text(const struct sch_attr *a, const char *s, void *rec,
    struct sch_err *e)
{
	size_t n = strlen(s), i;
	const char *at;

	if (n == 0 || n >= a->size)
		return fail(e, "must have 1 to %zu characters", a->size - 1);
	for (i = 0; i < n; i++)
		if (iscntrl((unsigned char)s[i]))
			return fail(e, "contains a control character");
	if (a->kind == SK_FQDN && !host_ok(s))
		return fail(e, "not a host name");
	if (a->kind == SK_UFQDN && ((at = strchr(s, '@')) == NULL ||
	    at == s || strchr(s, ' ') != NULL || !host_ok(at + 1)))
		return fail(e, "not user@host");
	if (a->kind == SK_HEX) {
		for (i = 0; i < n; i++)
			if (hexval((unsigned char)s[i]) < 0)
				break;
		if (i < n || n % 2 != 0)
			return fail(e, "not an even number of hex digits");
	}
	set_str(field(rec, a->off), a->size, s);
	if (a->kind == SK_HEX)
		for (char *p = field(rec, a->off); *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	return 0;
}

int
val_parse(const struct sch_attr *a, const char *s, void *rec,
    unsigned version, struct sch_err *e)
{
	switch (a->kind) {
	case SK_FIXED:
		return strcasecmp(s, a->def) == 0 ? 0 :
		    fail(e, "must be \"%s\"", a->def);
	case SK_NAME:
	case SK_REF:	return p_name(a, s, rec, e);
	case SK_REFLIST: return p_reflist(a, s, rec, e);
	case SK_ENUM:	return p_enum(a, s, rec, version, e);
	case SK_UINT:	return p_uint(a, s, rec, e);
	case SK_BOOL:	return p_bool(a, s, rec, e);
	case SK_DH:	return p_dh(a, s, rec, e);
	case SK_ADDR:
	case SK_IPV4:
	case SK_IPV6:	return p_addr(a, s, rec, e);
	case SK_ALLOWED: return p_allowed(a, s, rec, e);
	case SK_PSK:	return p_psk(s, field(rec, a->off), e);
	case SK_PROTO:	return p_proto(a, s, rec, e);
	case SK_NETMASK: return p_netmask(a, s, rec, e);
	case SK_PREFIX:	return p_prefix(a, s, rec, e);
	case SK_FQDN:
	case SK_UFQDN:
	case SK_DN:
	case SK_HEX:	return p_text(a, s, rec, e);
	}
	return fail(e, "internal error: unknown value kind");
}

/* Whether the attribute applies to this record at all. */
static bool
applies(const struct sch_attr *a, const void *rec, unsigned version)
{
	if ((a->flags & SA_V1) && version == 2)
		return false;
	if ((a->flags & SA_V2) && version == 1)
		return false;
	if ((a->flags & SA_FOLLOWS) &&
	    db_uint_get(cfield(rec, a->off), a->size) ==
	    db_uint_get(cfield(rec, a->aux), a->size))
		return false;
	return true;
}

static void
f_hex(const uint8_t *p, size_t len, char *buf, size_t n)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
}

static int
f_psk(const struct db_psk *k, bool secrets, char *buf, size_t n)
{
	if (!secrets || k->len == 0) {
		snprintf(buf, n, "*");
	} else if (k->format == DB_PSK_HEX) {
		f_hex(k->key, k->len, buf, n);
	} else {
		size_t len = k->len < n - 1 ? k->len : n - 1;

		memcpy(buf, k->key, len);
		buf[len] = '\0';
	}
	return 1;
}

static int
f_reflist(const struct sch_attr *a, const void *rec, char *buf, size_t n)
{
	const char (*names)[DB_NAME_MAX] = cfield(rec, a->off);
	uint32_t cnt = db_uint_get(cfield(rec, a->aux), 1), i;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < cnt && i < a->max; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%.*s",
		    i ? " " : "", DB_NAME_MAX - 1, names[i]);
	return cnt > 0 || !(a->flags & SA_OPT);
}

static int
f_allowed(const struct sch_attr *a, const void *rec, char *buf, size_t n)
{
	uint16_t bits;

	memcpy(&bits, cfield(rec, a->off), sizeof(bits));
	if (db_allowed_format(bits, buf, n) != 0)
		buf[0] = '\0';		/* 6 x 2 names always fit the buffer */
	return bits != 0 || !(a->flags & SA_OPT);
}

static int
f_number(const struct sch_attr *a, const void *rec, char *buf, size_t n)
{
	uint32_t v = db_uint_get(cfield(rec, a->off), a->size);
	size_t i;

	if (a->kind == SK_DH && (a->flags & SA_DH_RESP) &&
	    (v == DB_DH_NO_PFS || v == DB_DH_ANY)) {
		snprintf(buf, n, "%s", v == DB_DH_ANY ? "ANY" : "NO_PFS");
		return 1;
	}
	if (a->kind == SK_PROTO) {
		for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
			if (protos[i].num == v) {
				snprintf(buf, n, "%s", protos[i].name);
				return 1;
			}
		}
	}
	snprintf(buf, n, "%u", v);
	return v != 0 || !(a->flags & SA_OPT);
}

int
val_format(const struct sch_attr *a, const void *rec, unsigned version,
    bool secrets, char *buf, size_t n)
{
	const char *s;
	bool b;

	buf[0] = '\0';
	if (!applies(a, rec, version))
		return 0;
	switch (a->kind) {
	case SK_FIXED:
		snprintf(buf, n, "%s", a->def);
		return 1;
	case SK_REFLIST: return f_reflist(a, rec, buf, n);
	case SK_ENUM:
		s = db_enum_name(a->ekind, db_uint_get(cfield(rec, a->off), 1));
		snprintf(buf, n, "%s", s != NULL ? s : "");
		return s != NULL;
	case SK_UINT:
	case SK_DH:
	case SK_PROTO:	return f_number(a, rec, buf, n);
	case SK_BOOL:
		memcpy(&b, cfield(rec, a->off), sizeof(b));
		snprintf(buf, n, "%s", b ? "Yes" : "No");
		return 1;
	case SK_ALLOWED: return f_allowed(a, rec, buf, n);
	case SK_PSK:	return f_psk(cfield(rec, a->off), secrets, buf, n);
	default:	/* the string kinds */
		snprintf(buf, n, "%.*s", (int)a->size,
		    (const char *)cfield(rec, a->off));
		return buf[0] != '\0' || !(a->flags & SA_OPT);
	}
}

const char *
val_proto_name(unsigned p, char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (protos[i].num == p)
			return protos[i].name;
	snprintf(buf, n, "%u", p);
	return buf;
}

int
val_ident_family(const struct db_ident *id)
{
	switch (id->type) {
	case DB_ID_IPV4_ADDR:
	case DB_ID_IPV4_SUBNET:
	case DB_ID_IPV4_RANGE:
		return AF_INET;
	case DB_ID_IPV6_ADDR:
	case DB_ID_IPV6_SUBNET:
	case DB_ID_IPV6_RANGE:
		return AF_INET6;
	default:
		return 0;
	}
}
