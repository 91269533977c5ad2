#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

enum param {
	P_CMD, P_PHASE, P_NUMLIST, P_NAMELIST, P_REMID, P_IPADDR, P_ROLE,
	P_AUTOSTART, P_DB, P_VERBOSE, P_ALL, P_COUNT
};

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define C(c)	(1u << (c))
#define C_ACT	C(IKE_CMD_ACTIVATE)
#define C_LIST	C(IKE_CMD_LIST)
#define C_REM	C(IKE_CMD_REMOVE)

typedef int (*parse_fn)(const char *, struct ike_args *, char *, size_t);

static int parse_phase(const char *, struct ike_args *, char *, size_t);
static int parse_numlist(const char *, struct ike_args *, char *, size_t);
static int parse_namelist(const char *, struct ike_args *, char *, size_t);
static int parse_remid(const char *, struct ike_args *, char *, size_t);
static int parse_ipaddr(const char *, struct ike_args *, char *, size_t);
static int parse_role(const char *, struct ike_args *, char *, size_t);

/* Every parameter: its name, whether it takes a value, which
 * subcommands accept it, and how its value is read. */
static const struct param_spec {
	const char	*name;
	bool		 has_value;
	unsigned	 cmds;
	parse_fn	 parse;
} params[P_COUNT] = {
	[P_CMD] =	{ "cmd", true, 0, NULL },
	[P_PHASE] =	{ "phase", true, C_ACT | C_LIST | C_REM, parse_phase },
	[P_NUMLIST] =	{ "numlist", true, C_ACT | C_LIST | C_REM,
			  parse_numlist },
	[P_NAMELIST] =	{ "namelist", true, C_ACT, parse_namelist },
	[P_REMID] =	{ "remid", true, C_ACT, parse_remid },
	[P_IPADDR] =	{ "ipaddr", true, C_ACT, parse_ipaddr },
	[P_ROLE] =	{ "role", true, C_LIST, parse_role },
	[P_AUTOSTART] =	{ "autostart", false, C_ACT, NULL },
	[P_DB] =	{ "db", false, C_LIST, NULL },
	[P_VERBOSE] =	{ "verbose", false, C_LIST, NULL },
	[P_ALL] =	{ "all", false, C_REM, NULL },
};

static const char *const cmd_names[] = {
	[IKE_CMD_ACTIVATE] = "activate",
	[IKE_CMD_LIST] = "list",
	[IKE_CMD_REMOVE] = "remove",
	[IKE_CMD_LOG] = "log",
};

const char *
args_cmd_name(enum ike_cmd cmd)
{
	if (cmd <= IKE_CMD_NONE || cmd > IKE_CMD_LOG)
		return NULL;
	return cmd_names[cmd];
}

/* One command-line word split at its first '='. */
struct token {
	const char	*key;
	size_t		 keylen;
	const char	*value;		/* after '='; NULL if no '=' */
};

static void
token_split(const char *s, struct token *t)
{
	const char *eq = strchr(s, '=');

	t->key = s;
	t->keylen = eq != NULL ? (size_t)(eq - s) : strlen(s);
	t->value = eq != NULL ? eq + 1 : NULL;
}

static int
param_lookup(const struct token *t, enum param *out)
{
	int p;

	for (p = 0; p < P_COUNT; p++) {
		if (strlen(params[p].name) == t->keylen &&
		    memcmp(params[p].name, t->key, t->keylen) == 0) {
			*out = (enum param)p;
			return 0;
		}
	}
	return IKE_ENOTFOUND;
}

static int	fail(struct args_error *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static int
fail(struct args_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return IKE_EINVAL;
}

/* ------------------------------------------------------------ values */

static int
parse_phase(const char *v, struct ike_args *a, char *why, size_t n)
{
	if (strcmp(v, "1") == 0)
		a->phase = IKE_PHASE_1;
	else if (strcmp(v, "2") == 0)
		a->phase = IKE_PHASE_2;
	else if (strcmp(v, "1+") == 0 && a->cmd == IKE_CMD_LIST)
		a->phase = IKE_PHASE_1PLUS;
	else {
		snprintf(why, n, "expected %s", a->cmd == IKE_CMD_LIST ?
		    "1, 1+ or 2" : "1 or 2");
		return IKE_EINVAL;
	}
	return 0;
}

static int
parse_numlist(const char *v, struct ike_args *a, char *why, size_t n)
{
	a->has_numlist = true;
	return numlist_parse(v, &a->numlist, why, n);
}

/* One name s[0..len): non-empty, short enough, no control characters. */
static int
check_name(const char *s, size_t len, char *why, size_t n)
{
	size_t i;

	if (len == 0) {
		snprintf(why, n, "empty name");
		return IKE_EINVAL;
	}
	if (len > NAMELIST_NAME_MAX) {
		snprintf(why, n, "name '%.*s...' is longer than %d bytes", 16,
		    s, NAMELIST_NAME_MAX);
		return IKE_EINVAL;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f) {
			snprintf(why, n, "a name contains a control character");
			return IKE_EINVAL;
		}
	}
	return 0;
}

static int
parse_namelist(const char *v, struct ike_args *a, char *why, size_t n)
{
	const char *p = v;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);

		if (a->nnames == NAMELIST_MAX_ITEMS) {
			snprintf(why, n, "more than %d names",
			    NAMELIST_MAX_ITEMS);
			return IKE_EINVAL;
		}
		if (check_name(p, len, why, n) != 0)
			return IKE_EINVAL;
		memcpy(a->names[a->nnames], p, len);
		a->names[a->nnames++][len] = '\0';
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int
parse_remid(const char *v, struct ike_args *a, char *why, size_t n)
{
	a->remid = v;
	return remid_classify(v, &a->remid_kind, why, n);
}

static int
parse_ipaddr(const char *v, struct ike_args *a, char *why, size_t n)
{
	const char *comma = strchr(v, ',');
	struct cli_addr s, d;

	if (comma == NULL || strchr(comma + 1, ',') != NULL) {
		snprintf(why, n, "expected two addresses: src_addr,dst_addr");
		return IKE_EINVAL;
	}
	if (addr_parse_n(v, (size_t)(comma - v), &s) != 0) {
		snprintf(why, n, "'%.*s' is not an IPv4 or IPv6 address",
		    (int)(comma - v), v);
		return IKE_EINVAL;
	}
	if (addr_parse(comma + 1, &d) != 0) {
		snprintf(why, n, "'%s' is not an IPv4 or IPv6 address",
		    comma + 1);
		return IKE_EINVAL;
	}
	if (s.family != d.family) {
		snprintf(why, n, "mixes IPv4 and IPv6 addresses");
		return IKE_EINVAL;
	}
	a->has_ipaddr = true;
	addr_format(&s, a->ipsrc, sizeof(a->ipsrc));
	addr_format(&d, a->ipdst, sizeof(a->ipdst));
	return 0;
}

static int
parse_role(const char *v, struct ike_args *a, char *why, size_t n)
{
	if (strcmp(v, "i") != 0 && strcmp(v, "r") != 0) {
		snprintf(why, n, "expected i or r");
		return IKE_EINVAL;
	}
	a->role = v[0];
	return 0;
}

/* ------------------------------------------------------------- words */

/* Finds the one cmd= word and sets a->cmd. */
static int
find_cmd(int argc, char *const argv[], struct ike_args *a,
    struct args_error *err)
{
	const char *value = NULL;
	struct token t;
	enum param p;
	int i, seen = 0, c;

	for (i = 1; i < argc; i++) {
		token_split(argv[i], &t);
		if (param_lookup(&t, &p) == 0 && p == P_CMD) {
			value = t.value;
			seen++;
		}
	}
	if (seen == 0)
		return fail(err, "no subcommand given: use cmd=activate, "
		    "cmd=list, cmd=remove or cmd=log");
	if (seen > 1)
		return fail(err, "cmd given more than once");
	if (value == NULL || value[0] == '\0')
		return fail(err, "missing value for cmd");
	for (c = IKE_CMD_ACTIVATE; c <= IKE_CMD_LOG; c++) {
		if (strcmp(value, cmd_names[c]) == 0) {
			a->cmd = (enum ike_cmd)c;
			return 0;
		}
	}
	return fail(err, "unknown subcommand '%.64s'", value);
}

/* Reads one word other than cmd=; seen has a bit per parameter. */
static int
parse_word(const char *word, struct ike_args *a, unsigned *seen,
    struct args_error *err)
{
	const struct param_spec *ps;
	char why[320];
	struct token t;
	enum param p;

	token_split(word, &t);
	if (word[0] == '\0')
		return fail(err, "empty parameter");
	if (param_lookup(&t, &p) != 0)
		return fail(err, "unknown parameter '%.*s'",
		    (int)(t.keylen > 64 ? 64 : t.keylen), t.key);
	ps = &params[p];
	if (!(ps->cmds & C(a->cmd)))
		return fail(err, "cmd=%s does not take %s",
		    cmd_names[a->cmd], ps->name);
	if (*seen & (1u << p))
		return fail(err, "%s given more than once", ps->name);
	*seen |= 1u << p;
	if (!ps->has_value)
		return t.value == NULL ? 0 :
		    fail(err, "%s takes no value", ps->name);
	if (t.value == NULL || t.value[0] == '\0')
		return fail(err, "missing value for %s", ps->name);
	if (ps->parse(t.value, a, why, sizeof(why)) != 0)
		return fail(err, "bad %s '%.64s': %s", ps->name, t.value, why);
	return 0;
}

/* ------------------------------------------------------- exclusions */

#define S(p)	(1u << (p))

static int
check_activate(unsigned seen, struct args_error *err)
{
	static const enum param others[] = {
		P_PHASE, P_NUMLIST, P_NAMELIST, P_REMID, P_IPADDR,
	};
	static const enum param not_with_remid[] = {
		P_IPADDR, P_NUMLIST, P_NAMELIST,
	};
	size_t i;

	for (i = 0; (seen & S(P_AUTOSTART)) && i < nitems(others); i++)
		if (seen & S(others[i]))
			return fail(err, "autostart cannot be used with %s",
			    params[others[i]].name);
	for (i = 0; (seen & S(P_REMID)) && i < nitems(not_with_remid);
	    i++)
		if (seen & S(not_with_remid[i]))
			return fail(err, "remid cannot be used with %s",
			    params[not_with_remid[i]].name);
	if ((seen & S(P_NAMELIST)) && !(seen & S(P_PHASE)))
		return fail(err, "namelist requires phase=1 or phase=2");
	return 0;
}

static int
check_exclusions(const struct ike_args *a, unsigned seen,
    struct args_error *err)
{
	switch (a->cmd) {
	case IKE_CMD_ACTIVATE:
		return check_activate(seen, err);
	case IKE_CMD_LIST:
		if ((seen & S(P_DB)) && (seen & S(P_ROLE)))
			return fail(err, "db cannot be used with role");
		return 0;
	case IKE_CMD_REMOVE:
		if ((seen & S(P_ALL)) && (seen & S(P_NUMLIST)))
			return fail(err, "all cannot be used with numlist");
		return 0;
	default:
		return 0;
	}
}

int
args_parse(int argc, char *const argv[], struct ike_args *out,
    struct args_error *err)
{
	unsigned seen = S(P_CMD);
	struct token t;
	enum param p;
	int i;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (find_cmd(argc, argv, out, err) != 0)
		return IKE_EINVAL;
	err->cmd = out->cmd;
	for (i = 1; i < argc; i++) {
		token_split(argv[i], &t);
		if (param_lookup(&t, &p) == 0 && p == P_CMD)
			continue;
		if (parse_word(argv[i], out, &seen, err) != 0)
			return IKE_EINVAL;
	}
	if (check_exclusions(out, seen, err) != 0)
		return IKE_EINVAL;
	out->autostart = seen & S(P_AUTOSTART);
	out->db = seen & S(P_DB);
	out->verbose = seen & S(P_VERBOSE);
	out->all = seen & S(P_ALL);
	if (out->cmd == IKE_CMD_LIST && out->phase == IKE_PHASE_UNSET)
		out->phase = IKE_PHASE_1PLUS;
	return 0;
}
