/* cli/ikedb/check.c: rules across the attributes of one element, as a
 * network administrator would state them. */
#include "check.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "value.h"

static int
bad(struct sch_err *e, const char *elem, const char *attr, const char *value,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
bad(struct sch_err *e, const char *elem, const char *attr, const char *value,
    const char *fmt, ...)
{
	va_list ap;

	e->elem = elem;
	e->attr = attr;
	snprintf(e->value, sizeof(e->value), "%s", value != NULL ? value : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
encr_name(unsigned v)
{
	const char *s = db_enum_name(DB_E_ENCR, v);

	return s != NULL ? s : "?";
}

static bool
aead(unsigned encr)
{
	return encr == DB_ENCR_AES_GCM_128 || encr == DB_ENCR_AES_GCM_256 ||
	    encr == DB_ENCR_CHACHA20_POLY1305;
}

int
chk_ike_protection(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ike_protection *p = rec;
	char v[16];
	unsigned i;

	(void)version;
	for (i = 0; i < p->ntransforms; i++) {
		if (p->key_overlap >= p->transforms[i].life_minutes) {
			snprintf(v, sizeof(v), "%u", p->key_overlap);
			return bad(e, NULL, "IKE_KeyOverlap", v, "not less than "
			    "IKE_KeyRefreshMinutes=\"%u\" of IKETransform %u",
			    p->transforms[i].life_minutes, i + 1);
		}
	}
	/* The generic phase-2 protection applies only to the types listed:
	 * one without the other is a mistake. */
	if (p->def_allowed != 0 && p->def_ipsec_prot[0] == '\0')
		return bad(e, NULL, "IKE_IPSecDefaultAllowedTypes", "",
		    "needs IKE_IPSecDefaultProtectionRef");
	if (p->def_allowed == 0 && p->def_ipsec_prot[0] != '\0')
		return bad(e, NULL, "IKE_IPSecDefaultProtectionRef",
		    p->def_ipsec_prot, "needs IKE_IPSecDefaultAllowedTypes");
	return 0;
}

/* The address family a phase-1 endpoint will have: the explicit address,
 * else the identity's if it is an address. */
static int
endpoint_family(const char *addr, const struct db_ident *id)
{
	unsigned char bin[16];

	if (addr[0] != '\0')
		return inet_pton(AF_INET, addr, bin) == 1 ? AF_INET : AF_INET6;
	if (id->type == DB_ID_IPV4_ADDR || id->type == DB_ID_IPV6_ADDR)
		return val_ident_family(id);
	return 0;
}

int
chk_ike_tunnel(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ike_tunnel *t = rec;
	int lf = endpoint_family(t->local_addr, &t->local);
	int rf = endpoint_family(t->remote_addr, &t->remote);

	(void)version;
	if (lf != 0 && rf != 0 && lf != rf)
		return bad(e, NULL, t->remote_addr[0] ? "IKE_RemoteAddress" :
		    NULL, t->remote_addr, "the local endpoint is IPv%c, the "
		    "remote one IPv%c", lf == AF_INET ? '4' : '6',
		    rf == AF_INET ? '4' : '6');
	return 0;
}

int
chk_group(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_group *g = rec;
	char ki[DB_IDVAL_MAX + DB_IDVAL2_MAX + 32];
	char kj[DB_IDVAL_MAX + DB_IDVAL2_MAX + 32];
	size_t total = 0;
	unsigned i, j;

	(void)version;
	for (i = 0; i < g->nmembers; i++) {
		total += strlen(g->members[i].value) +
		    strlen(g->members[i].value2);
		if (db_ident_key(&g->members[i], ki, sizeof(ki)) != 0)
			continue;
		for (j = 0; j < i; j++)
			if (db_ident_key(&g->members[j], kj, sizeof(kj)) == 0 &&
			    strcmp(ki, kj) == 0)
				return bad(e, NULL, NULL, NULL, "member %u "
				    "(%s) is listed twice", i + 1, ki);
	}
	if (total > DB_GROUP_VALUES_MAX)
		return bad(e, NULL, NULL, NULL, "%zu bytes of values, more than "
		    "%d", total, DB_GROUP_VALUES_MAX);
	return 0;
}

int
chk_esp(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ipsec_transform *t = rec;
	const char *integ = db_enum_name(DB_E_INTEG, t->integ);

	(void)version;
	if (aead(t->encr) && t->integ != DB_INTEG_NONE)
		return bad(e, NULL, "ESP_Authentication", integ, "must be None "
		    "with ESP_Encryption=\"%s\", which authenticates by "
		    "itself", encr_name(t->encr));
	if (!aead(t->encr) && t->integ == DB_INTEG_NONE)
		return bad(e, NULL, "ESP_Authentication", integ, "ESP_Encryption"
		    "=\"%s\" needs an authentication algorithm",
		    encr_name(t->encr));
	return 0;
}

int
chk_p2ident(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_p2ident *p = rec;
	char v[16];

	(void)version;
	if (p->endport < p->port) {
		snprintf(v, sizeof(v), "%u", p->endport);
		return bad(e, NULL, "EndPort", v, "less than Port=\"%u\"",
		    p->port);
	}
	if ((p->port != 0 || p->endport != 0) && p->protocol == 0) {
		snprintf(v, sizeof(v), "%u", p->port);
		return bad(e, NULL, "Port", v, "needs a Protocol (tcp, udp, "
		    "...), not any");
	}
	return 0;
}

int
chk_ipsec_tunnel(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ipsec_tunnel *t = rec;
	char v[VAL_MAX];
	int lf = val_ident_family(&t->local.id);
	int rf = val_ident_family(&t->remote.id);

	(void)version;
	if (t->local.protocol != t->remote.protocol) {
		char lv[16];

		return bad(e, "IPSecRemoteIdentity", "Protocol",
		    val_proto_name(t->remote.protocol, v, sizeof(v)), "differs "
		    "from the IPSecLocalIdentity Protocol (%s)",
		    val_proto_name(t->local.protocol, lv, sizeof(lv)));
	}
	if (lf != 0 && rf != 0 && lf != rf)
		return bad(e, "IPSecRemoteIdentity", NULL, NULL, "IPv%c, but "
		    "the local identity is IPv%c", rf == AF_INET ? '4' : '6',
		    lf == AF_INET ? '4' : '6');
	return 0;
}

/* The identity's address and its mask (subnets) or end (ranges), in
 * network byte order. */
static int
addr_pair(const struct db_ident *id, unsigned char *a, unsigned char *b)
{
	int af = val_ident_family(id);
	unsigned plen, i;

	if (inet_pton(af, id->value, a) != 1)
		return -1;
	if (id->type != DB_ID_IPV6_SUBNET)
		return inet_pton(af, id->value2, b) == 1 ? af : -1;
	plen = (unsigned)strtoul(id->value2, NULL, 10);
	memset(b, 0, 16);
	for (i = 0; i < plen && i < 128; i++)
		b[i / 8] |= (unsigned char)(0x80 >> (i % 8));
	return af;
}

int
chk_subnet(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ident *id = rec;
	unsigned char a[16], m[16];
	int af, i;

	(void)version;
	if ((af = addr_pair(id, a, m)) < 0)
		return bad(e, NULL, "Value", id->value, "unreadable subnet");
	for (i = 0; i < (af == AF_INET ? 4 : 16); i++)
		if (a[i] & ~m[i])
			return bad(e, NULL, "Value", id->value, "host bits set "
			    "for %s %s", id->type == DB_ID_IPV4_SUBNET ?
			    "NetMask" : "PrefixLength", id->value2);
	return 0;
}

int
chk_range(const void *rec, unsigned version, struct sch_err *e)
{
	const struct db_ident *id = rec;
	unsigned char a[16], b[16];
	int af;

	(void)version;
	if ((af = addr_pair(id, a, b)) < 0)
		return bad(e, NULL, "To", id->value2, "unreadable range");
	if (memcmp(a, b, af == AF_INET ? 4 : 16) > 0)
		return bad(e, NULL, "To", id->value2, "less than From=\"%s\"",
		    id->value);
	return 0;
}
