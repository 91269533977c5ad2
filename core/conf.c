/* core/conf.c: parses isakmpd.conf text into struct ike_conf.  Lines are
 * KEY=value with optional blanks around '=', '#' starts a comment, keys
 * are case-insensitive.  A table describes every key. */
#include "conf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define LINE_MAX_LEN	1024

enum conf_kind { CK_LEVEL, CK_BOOL, CK_PORTS, CK_SECONDS, CK_PATH,
	CK_PATHS };

struct conf_key {
	const char	*name;		/* as documented; matched in any case */
	enum conf_kind	 kind;
	size_t		 off, off2;	/* field(s) in struct ike_conf */
	uint32_t	 max;		/* CK_SECONDS */
};

#define F(f)	offsetof(struct ike_conf, f)
static const struct conf_key conf_keys[] = {
	{ "log_level", CK_LEVEL, F(log_level), 0, 0 },
	{ "MAIN_MODE_REQUIRES_IP", CK_BOOL, F(main_mode_requires_ip), 0, 0 },
	{ "v1", CK_PORTS, F(v1_port), F(v1_natport), 0 },
	{ "v2", CK_PORTS, F(v2_port), F(v2_natport), 0 },
	{ "LIVENESS_CHK_INTERVAL", CK_SECONDS, F(liveness_interval), 0,
	    CONF_LIVENESS_MAX },
	{ "ENABLE_IPSEC_NAT_TRAVERSAL", CK_BOOL, F(natt_v1), 0, 0 },
	{ "ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2", CK_BOOL, F(natt_v2), 0, 0 },
	{ "NAT_KEEPALIVE_INTERVAL", CK_SECONDS, F(nat_keepalive), 0,
	    CONF_KEEPALIVE_MAX },
	{ "IKE_FRAGMENTATION", CK_BOOL, F(fragmentation), 0, 0 },
	{ "CERTIFICATE_FILE", CK_PATH, F(cert_file), 0, 0 },
	{ "PRIVATE_KEY_FILE", CK_PATH, F(key_file), 0, 0 },
	{ "CA_CERTIFICATES", CK_PATHS, F(ca_certs), 0, 0 },
	{ "CRL_FILES", CK_PATHS, F(crl_files), 0, 0 },
};
#undef F

/* AIX keys for features this isakmpd does not have: a warning each. */
static const char *const ignored_keys[] = {
	"SOCKS4_SERVER", "SOCKS4_PORTNUM", "SOCKS4_USERID", "LDAP_SERVER",
	"LDAP_VERSION", "LDAP_SERVERPORT", "LDAP_SEARCHTIME",
	"CRL_FETCH_ORDER",
};

struct parse {
	const char		*name;	/* borrowed: file name for messages */
	size_t			 line;
	struct ike_conf		 c;
	struct conf_report	*rep;	/* borrowed */
	size_t			 seen[nitems(conf_keys)];  /* line, 0: not */
};

void
conf_defaults(struct ike_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOGLVL_NONE;
	c->main_mode_requires_ip = false;
	c->v1_port = c->v2_port = 500;
	c->v1_natport = c->v2_natport = 4500;
	c->liveness_interval = 0;
	c->natt_v1 = c->natt_v2 = false;
	c->nat_keepalive = 20;
	c->fragmentation = false;
}

static int __attribute__((format(printf, 2, 3)))
parse_error(struct parse *ps, const char *fmt, ...)
{
	char why[CONF_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);	/* may truncate */
	va_end(ap);
	if (snprintf(ps->rep->error, sizeof(ps->rep->error), "%s:%zu: %s",
	    ps->name, ps->line, why) >= (int)sizeof(ps->rep->error))
		ps->rep->error[sizeof(ps->rep->error) - 2] = '.'; /* cut */
	return IKE_EINVAL;
}

static void __attribute__((format(printf, 2, 3)))
parse_warn(struct parse *ps, const char *fmt, ...)
{
	char why[CONF_MSG_LEN];
	va_list ap;
	size_t n = ps->rep->nwarn++;

	if (n >= CONF_MAX_WARN)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);	/* may truncate */
	va_end(ap);
	if (snprintf(ps->rep->warn[n], sizeof(ps->rep->warn[n]),
	    "%s:%zu: %s", ps->name, ps->line, why) >=
	    (int)sizeof(ps->rep->warn[n]))
		ps->rep->warn[n][sizeof(ps->rep->warn[n]) - 2] = '.'; /* cut */
}

/* A decimal number without sign, at most max; 0 or -1. */
static int
parse_uint(const char *s, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (max - (uint32_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* "port-natport", both 1..65535 and different. */
static int
parse_ports(const char *s, uint16_t *port, uint16_t *natport)
{
	char a[8], b[8];
	const char *dash = strchr(s, '-');
	uint32_t p, n;

	if (dash == NULL || (size_t)(dash - s) >= sizeof(a) ||
	    strlen(dash + 1) >= sizeof(b))
		return -1;
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	memcpy(b, dash + 1, strlen(dash + 1) + 1);
	if (parse_uint(a, 65535, &p) != 0 || parse_uint(b, 65535, &n) != 0 ||
	    p == 0 || n == 0 || p == n)
		return -1;
	*port = (uint16_t)p;
	*natport = (uint16_t)n;
	return 0;
}

static char *trim(char *);

/* An absolute path without ',' (the list separator). */
static bool
path_ok(const char *s, size_t n)
{
	return n > 1 && s[0] == '/' && memchr(s, ',', n) == NULL;
}

/* "/a.pem" or, for CK_PATHS, "/a.pem,/b.pem" (blanks around ',' ok);
 * stored with the blanks removed. */
static int
parse_paths(const char *v, bool list, char out[CONF_PATH_LEN])
{
	char buf[CONF_PATH_LEN], *item, *save = NULL;
	size_t n = 0, len;

	if (strlen(v) >= sizeof(buf))
		return -1;
	memcpy(buf, v, strlen(v) + 1);
	if (!list) {
		if (!path_ok(buf, strlen(buf)))
			return -1;
		memcpy(out, buf, strlen(buf) + 1);
		return 0;
	}
	if (buf[0] == ',' || buf[strlen(buf) - 1] == ',' ||
	    strstr(buf, ",,") != NULL)
		return -1;
	out[0] = '\0';
	for (item = strtok_r(buf, ",", &save); item != NULL;
	    item = strtok_r(NULL, ",", &save)) {
		item = trim(item);
		len = strlen(item);
		if (!path_ok(item, len))
			return -1;
		n += (size_t)snprintf(out + n, CONF_PATH_LEN - n, "%s%s",
		    n > 0 ? "," : "", item);	/* fits: shorter than v */
	}
	return 0;
}

static int
set_value(struct parse *ps, const struct conf_key *k, const char *v)
{
	uint8_t *base = (uint8_t *)&ps->c;
	uint16_t port, natport;
	uint32_t n;
	enum log_level l;
	bool b;

	switch (k->kind) {
	case CK_LEVEL:
		if (log_level_parse(v, &l) != 0)
			return parse_error(ps, "%s: \"%.64s\" is not a log "
			    "level (none, errors, events, information)",
			    k->name, v);
		memcpy(base + k->off, &l, sizeof(l));
		return 0;
	case CK_BOOL:
		if (strcasecmp(v, "yes") != 0 && strcasecmp(v, "no") != 0)
			return parse_error(ps, "%s: \"%.64s\" is not YES or NO",
			    k->name, v);
		b = strcasecmp(v, "yes") == 0;
		memcpy(base + k->off, &b, sizeof(b));
		return 0;
	case CK_PORTS:
		if (parse_ports(v, &port, &natport) != 0)
			return parse_error(ps, "%s: \"%.64s\" is not "
			    "port-natport (two different ports from 1 to "
			    "65535, e.g. 500-4500)", k->name, v);
		memcpy(base + k->off, &port, sizeof(port));
		memcpy(base + k->off2, &natport, sizeof(natport));
		return 0;
	case CK_SECONDS:
		if (parse_uint(v, k->max, &n) != 0)
			return parse_error(ps, "%s: \"%.64s\" is not a number "
			    "of seconds from 0 to %u", k->name, v, k->max);
		memcpy(base + k->off, &n, sizeof(n));
		return 0;
	case CK_PATH:
	case CK_PATHS:
		if (parse_paths(v, k->kind == CK_PATHS,
		    (char *)(base + k->off)) != 0)
			return parse_error(ps, "%s: \"%.64s\" is not %s",
			    k->name, v, k->kind == CK_PATH ? "an absolute path" :
			    "a list of absolute paths separated by ','");
		return 0;
	}
	return IKE_EINVAL;
}

static const struct conf_key *
find_key(const char *key)
{
	size_t i;

	for (i = 0; i < nitems(conf_keys); i++) {
		if (strcasecmp(conf_keys[i].name, key) == 0)
			return &conf_keys[i];
	}
	return NULL;
}

static bool
key_ignored(const char *key)
{
	size_t i;

	for (i = 0; i < nitems(ignored_keys); i++) {
		if (strcasecmp(ignored_keys[i], key) == 0)
			return true;
	}
	return false;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static bool
key_wellformed(const char *k)
{
	if (*k == '\0')
		return false;
	for (; *k != '\0'; k++) {
		if (!isalnum((unsigned char)*k) && *k != '_')
			return false;
	}
	return true;
}

static int assignment(struct parse *, char *);

/* "500-4500,v2=500-4500": AIX writes both port keys on one line. */
static int
port_value(struct parse *ps, const struct conf_key *k, char *v)
{
	char *comma = strchr(v, ',');
	int rc;

	if (comma != NULL)
		*comma = '\0';
	if ((rc = set_value(ps, k, trim(v))) != 0 || comma == NULL)
		return rc;
	return assignment(ps, comma + 1);
}

static int
known_key(struct parse *ps, const struct conf_key *k, char *v)
{
	size_t i = (size_t)(k - conf_keys);

	if (ps->seen[i] != 0)
		parse_warn(ps, "%s: set again (first on line %zu); the last "
		    "value counts", k->name, ps->seen[i]);
	ps->seen[i] = ps->line;
	if (k->kind == CK_PORTS)
		return port_value(ps, k, v);
	if (*v == '\0')
		return parse_error(ps, "%s: no value after '='", k->name);
	return set_value(ps, k, v);
}

/* One KEY=value, without comment. */
static int
assignment(struct parse *ps, char *s)
{
	const struct conf_key *k;
	char *eq = strchr(s, '='), *key, *v;

	if (eq == NULL)
		return parse_error(ps, "expected KEY=value, found \"%.64s\"",
		    trim(s));
	*eq = '\0';
	key = trim(s);
	v = trim(eq + 1);
	if (!key_wellformed(key))
		return parse_error(ps, "\"%.64s\" is not a key (letters, "
		    "digits and _)", key);
	if ((k = find_key(key)) != NULL)
		return known_key(ps, k, v);
	if (key_ignored(key))
		parse_warn(ps, "%.64s is not supported by this isakmpd; "
		    "ignored", key);
	else
		parse_warn(ps, "unknown key \"%.64s\" ignored", key);
	return 0;
}

static int
parse_line(struct parse *ps, const char *p, size_t n)
{
	char buf[LINE_MAX_LEN], *hash, *s;

	if (memchr(p, '\0', n) != NULL)
		return parse_error(ps, "NUL byte in the line");
	if (n >= sizeof(buf))
		return parse_error(ps, "line longer than %zu bytes",
		    sizeof(buf) - 1);
	memcpy(buf, p, n);
	buf[n] = '\0';
	if ((hash = strchr(buf, '#')) != NULL)
		*hash = '\0';
	s = trim(buf);
	if (*s == '\0')
		return 0;
	return assignment(ps, s);
}

int
conf_parse(const char *text, size_t len, const char *name,
    struct ike_conf *out, struct conf_report *rep)
{
	struct parse ps;
	const char *nl;
	size_t n;
	int rc;

	memset(rep, 0, sizeof(*rep));
	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.rep = rep;
	conf_defaults(&ps.c);
	while (len > 0) {
		ps.line++;
		nl = memchr(text, '\n', len);
		n = nl != NULL ? (size_t)(nl - text) : len;
		if ((rc = parse_line(&ps, text, n)) != 0)
			return rc;
		text += n;
		len -= n;
		if (nl != NULL) {
			text++;
			len--;
		}
	}
	*out = ps.c;
	return 0;
}

void
conf_foreach(const struct ike_conf *c,
    void (*fn)(void *arg, const char *key, const char *value), void *arg)
{
	char b[32];

	fn(arg, "log_level", log_level_name(c->log_level));
	fn(arg, "MAIN_MODE_REQUIRES_IP", c->main_mode_requires_ip ? "YES" :
	    "NO");
	(void)snprintf(b, sizeof(b), "%u-%u", c->v1_port, c->v1_natport);
	fn(arg, "v1", b);
	(void)snprintf(b, sizeof(b), "%u-%u", c->v2_port, c->v2_natport);
	fn(arg, "v2", b);
	(void)snprintf(b, sizeof(b), "%u", c->liveness_interval);
	fn(arg, "LIVENESS_CHK_INTERVAL", b);
	fn(arg, "ENABLE_IPSEC_NAT_TRAVERSAL", c->natt_v1 ? "YES" : "NO");
	fn(arg, "ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2", c->natt_v2 ? "YES" :
	    "NO");
	(void)snprintf(b, sizeof(b), "%u", c->nat_keepalive);
	fn(arg, "NAT_KEEPALIVE_INTERVAL", b);
	fn(arg, "IKE_FRAGMENTATION", c->fragmentation ? "YES" : "NO");
	if (c->cert_file[0] != '\0')	/* unset: written as absent */
		fn(arg, "CERTIFICATE_FILE", c->cert_file);
	if (c->key_file[0] != '\0')
		fn(arg, "PRIVATE_KEY_FILE", c->key_file);
	if (c->ca_certs[0] != '\0')
		fn(arg, "CA_CERTIFICATES", c->ca_certs);
	if (c->crl_files[0] != '\0')
		fn(arg, "CRL_FILES", c->crl_files);
}
