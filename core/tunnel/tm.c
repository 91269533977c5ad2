/* core/tunnel/tm.c: the active tunnel table. */
#include "core/tunnel/tm.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/codec/ikev2.h"

void
tm_init(struct tm_table *t)
{
	memset(t, 0, sizeof(*t));
}

void
tm_clear(struct tm_table *t)
{
	struct tm_tunnel *e, *n;

	for (e = t->head; e != NULL; e = n) {
		n = e->next;
		free(e);
	}
	tm_init(t);
}

struct tm_tunnel *
tm_add(struct tm_table *t, uint8_t phase)
{
	struct tm_tunnel *e, **pp;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->phase = phase;
	e->num = ++t->next_num[phase == 1 ? 0 : 1];
	e->state = TM_NEGOTIATING;
	for (pp = &t->head; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = e;
	return e;
}

void
tm_del(struct tm_table *t, struct tm_tunnel *e)
{
	struct tm_tunnel **pp;

	for (pp = &t->head; *pp != NULL; pp = &(*pp)->next)
		if (*pp == e) {
			*pp = e->next;
			free(e);
			return;
		}
}

struct tm_tunnel *
tm_find(const struct tm_table *t, uint8_t phase, uint32_t num)
{
	struct tm_tunnel *e;

	for (e = t->head; e != NULL; e = e->next)
		if (e->phase == phase && e->num == num)
			return e;
	return NULL;
}

struct tm_tunnel *
tm_find_handle(const struct tm_table *t, uint32_t handle)
{
	struct tm_tunnel *e;

	for (e = t->head; e != NULL; e = e->next)
		if (e->phase == 1 && e->handle == handle && handle != 0)
			return e;
	return NULL;
}

struct tm_tunnel *
tm_find_child(const struct tm_table *t, uint32_t handle, enum tm_state st)
{
	struct tm_tunnel *e;

	for (e = t->head; e != NULL; e = e->next)
		if (e->phase == 2 && e->handle == handle && e->state == st)
			return e;
	return NULL;
}

struct tm_tunnel *
tm_find_spi(const struct tm_table *t, uint32_t handle, uint32_t spi_in)
{
	struct tm_tunnel *e;

	for (e = t->head; e != NULL; e = e->next)
		if (e->phase == 2 && e->handle == handle &&
		    e->spi_in == spi_in && e->state == TM_ACTIVE)
			return e;
	return NULL;
}

struct tm_tunnel *
tm_find_def(const struct tm_table *t, uint8_t phase, uint32_t def_num)
{
	struct tm_tunnel *e;

	for (e = t->head; e != NULL; e = e->next)
		if (e->phase == phase && e->def_num == def_num &&
		    def_num != 0 && e->state != TM_EXPIRED)
			return e;
	return NULL;
}

void
tm_del_children(struct tm_table *t, uint32_t handle)
{
	struct tm_tunnel **pp = &t->head, *e;

	while ((e = *pp) != NULL) {
		if (e->phase == 2 && e->handle == handle) {
			*pp = e->next;
			free(e);
		} else
			pp = &e->next;
	}
}

void
tm_expire(struct tm_table *t, struct tm_tunnel *e, const char *reason)
{
	struct tm_tunnel *c;

	e->state = TM_EXPIRED;
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
	if (e->phase != 1)
		return;
	for (c = t->head; c != NULL; c = c->next)
		if (c->phase == 2 && c->handle == e->handle &&
		    c->state == TM_NEGOTIATING) {
			c->state = TM_EXPIRED;
			snprintf(c->reason, sizeof(c->reason), "%s", reason);
		}
}

void
tm_id_str(const struct ike_id *id, char *buf, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	switch (id->type) {
	case IKEV2_ID_IPV4_ADDR:
		(void)inet_ntop(AF_INET, id->data, buf, (socklen_t)n);
		return;
	case IKEV2_ID_IPV6_ADDR:
		(void)inet_ntop(AF_INET6, id->data, buf, (socklen_t)n);
		return;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		snprintf(buf, n, "%.*s", (int)id->len, (const char *)id->data);
		return;
	}
	for (i = 0; i < id->len && o + 3 <= n; i++, o += 2)
		snprintf(buf + o, n - o, "%02x", id->data[i]);
}

void
tm_ts_str(const struct ike_ts *ts, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int fam = ts->family == AF_INET6 ? AF_INET6 : AF_INET;

	if (inet_ntop(fam, ts->start, a, sizeof(a)) == NULL ||
	    inet_ntop(fam, ts->end, b, sizeof(b)) == NULL) {
		snprintf(buf, n, "?");
		return;
	}
	snprintf(buf, n, "%s-%s", a, b);
}

const char *
tm_state_name(enum tm_state s)
{
	switch (s) {
	case TM_NEGOTIATING:	return "Negotiating";
	case TM_ACTIVE:		return "Active";
	case TM_EXPIRED:	return "Expired";
	}
	return "?";
}
