/* core/tunnel/tm.c: the active tunnel table: a doubly linked list in
 * creation order and two sets of hash chains over it (by phase and
 * number, by handle), doubled when the entries outnumber the buckets.
 * The handle index is filed lazily (see tm.h): unfiled points to the
 * first entry of the list's tail that is not in it yet. */
#include "core/tunnel/tm.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/codec/ikev2.h"
#include "core/hashmix.h"
#include "core/tunnel/tm_dn.h"

#define TM_BUCKETS_MIN	64

struct tm_index {
	struct tm_tunnel	**by_num;	/* owned array of chains */
	struct tm_tunnel	**by_handle;	/* owned array of chains */
	size_t			  nb;		/* a power of two */
	size_t			  n;		/* entries in the list */
	size_t			  expired;	/* entries with exp_counted */
	struct tm_tunnel	 *unfiled;
};


static uint64_t
num_key(uint8_t phase, uint32_t num)
{
	return (uint64_t)phase << 32 | num;
}

static int
ix_alloc(struct tm_index *ix, size_t nb)
{
	ix->nb = nb;
	ix->by_num = calloc(nb, sizeof(*ix->by_num));
	ix->by_handle = calloc(nb, sizeof(*ix->by_handle));
	if (ix->by_num != NULL && ix->by_handle != NULL)
		return 0;
	free(ix->by_num);
	free(ix->by_handle);
	return -1;
}

/* Appends e to its handle chain, so that a chain keeps the entries of
 * one handle in creation order. */
static void
file_handle(struct tm_index *ix, struct tm_tunnel *e)
{
	struct tm_tunnel **pp = &ix->by_handle[hash_bucket(e->handle, ix->nb)];

	while (*pp != NULL)
		pp = &(*pp)->hnext_handle;
	e->hnext_handle = NULL;
	e->ix_handle = e->handle;
	e->filed = true;
	*pp = e;
}

static void
file_num(struct tm_index *ix, struct tm_tunnel *e)
{
	struct tm_tunnel **head = &ix->by_num[hash_bucket(num_key(e->phase, e->num),
	    ix->nb)];

	e->hnext_num = *head;
	*head = e;
}

/* Files the entries added since the last lookup. */
static struct tm_index *
ix_of(const struct tm_table *t)
{
	struct tm_index *ix = t->ix;

	if (ix == NULL)
		return NULL;
	for (; ix->unfiled != NULL; ix->unfiled = ix->unfiled->next)
		file_handle(ix, ix->unfiled);
	return ix;
}

/* Doubles the buckets once the entries outnumber them; stays as it is
 * when out of memory (the chains only get longer). */
static void
ix_grow(struct tm_table *t)
{
	struct tm_index *ix = t->ix, n = *t->ix;
	struct tm_tunnel *e;

	if (ix->n <= ix->nb || ix->nb > SIZE_MAX / 4 / sizeof(*ix->by_num) ||
	    ix_alloc(&n, ix->nb * 2) != 0)
		return;
	for (e = t->head; e != NULL; e = e->next) {
		file_num(&n, e);
		if (e->filed)
			file_handle(&n, e);
	}
	free(ix->by_num);
	free(ix->by_handle);
	*ix = n;
}

void
tm_init(struct tm_table *t)
{
	memset(t, 0, sizeof(*t));
}

/* Listed identities are stored at their length: "" is this one, never
 * freed. */
static char tm_empty[1];

static void
str_set(char **dst, const char *s)
{
	if (*dst != tm_empty)
		free(*dst);
	if (s[0] == '\0' || (*dst = strdup(s)) == NULL)
		*dst = tm_empty;
}

static void
entry_free(struct tm_tunnel *e)
{
	str_set(&e->local, "");
	str_set(&e->remote, "");
	free(e);
}

void
tm_set_ids(struct tm_tunnel *e, const struct ike_id *local,
    const struct ike_id *remote)
{
	char buf[TM_ID_MAX];

	if (local != NULL) {
		tm_id_str(local, buf, sizeof(buf));
		str_set(&e->local, buf);
	}
	if (remote != NULL) {
		tm_id_str(remote, buf, sizeof(buf));
		str_set(&e->remote, buf);
	}
}

void
tm_set_ts(struct tm_tunnel *e, const struct ike_ts *local,
    const struct ike_ts *remote)
{
	char buf[TM_ID_MAX];

	if (local != NULL) {
		tm_ts_str(local, buf, sizeof(buf));
		str_set(&e->local, buf);
	}
	if (remote != NULL) {
		tm_ts_str(remote, buf, sizeof(buf));
		str_set(&e->remote, buf);
	}
}

void
tm_clear(struct tm_table *t)
{
	struct tm_tunnel *e, *n;

	for (e = t->head; e != NULL; e = n) {
		n = e->next;
		entry_free(e);
	}
	if (t->ix != NULL) {
		free(t->ix->by_num);
		free(t->ix->by_handle);
		free(t->ix);
	}
	tm_init(t);
}

static int
ix_new(struct tm_table *t)
{
	if (t->ix != NULL)
		return 0;
	if ((t->ix = calloc(1, sizeof(*t->ix))) == NULL)
		return -1;
	if (ix_alloc(t->ix, TM_BUCKETS_MIN) == 0)
		return 0;
	free(t->ix);
	t->ix = NULL;
	return -1;
}

struct tm_tunnel *
tm_add(struct tm_table *t, uint8_t phase)
{
	struct tm_tunnel *e;

	if (ix_new(t) != 0 || (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->phase = phase;
	e->local = e->remote = tm_empty;
	e->num = ++t->next_num[phase == 1 ? 0 : 1];
	e->state = TM_NEGOTIATING;
	e->prev = t->tail;
	if (t->tail != NULL)
		t->tail->next = e;
	else
		t->head = e;
	t->tail = e;
	if (t->ix->unfiled == NULL)
		t->ix->unfiled = e;
	file_num(t->ix, e);
	t->ix->n++;
	ix_grow(t);
	return e;
}

static void
chain_unlink(struct tm_tunnel **pp, struct tm_tunnel *e, bool by_handle)
{
	for (; *pp != NULL; pp = by_handle ? &(*pp)->hnext_handle :
	    &(*pp)->hnext_num)
		if (*pp == e) {
			*pp = by_handle ? e->hnext_handle : e->hnext_num;
			return;
		}
}

void
tm_del(struct tm_table *t, struct tm_tunnel *e)
{
	struct tm_index *ix = t->ix;

	if (e == NULL || ix == NULL)
		return;
	chain_unlink(&ix->by_num[hash_bucket(num_key(e->phase, e->num),
	    ix->nb)], e, false);
	if (e->filed)
		chain_unlink(&ix->by_handle[hash_bucket(e->ix_handle, ix->nb)],
		    e, true);
	if (ix->unfiled == e)
		ix->unfiled = e->next;
	if (e->exp_counted)
		ix->expired--;
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		t->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		t->tail = e->prev;
	ix->n--;
	entry_free(e);
}

struct tm_tunnel *
tm_find(const struct tm_table *t, uint8_t phase, uint32_t num)
{
	struct tm_tunnel *e;

	if (t->ix == NULL)
		return NULL;
	for (e = t->ix->by_num[hash_bucket(num_key(phase, num), t->ix->nb)];
	    e != NULL; e = e->hnext_num)
		if (e->phase == phase && e->num == num)
			return e;
	return NULL;
}

/* The first entry (creation order) under handle for which fn is true. */
static struct tm_tunnel *
first_of(const struct tm_table *t, uint32_t handle,
    bool (*fn)(const struct tm_tunnel *, const void *), const void *arg)
{
	struct tm_index *ix = ix_of(t);
	struct tm_tunnel *e;

	if (ix == NULL)
		return NULL;
	for (e = ix->by_handle[hash_bucket(handle, ix->nb)]; e != NULL;
	    e = e->hnext_handle)
		if (e->handle == handle && fn(e, arg))
			return e;
	return NULL;
}

static bool
is_p1(const struct tm_tunnel *e, const void *arg)
{
	(void)arg;
	return e->phase == 1;
}

static bool
is_p2(const struct tm_tunnel *e, const void *arg)
{
	(void)arg;
	return e->phase == 2;
}

static bool
is_p2_in(const struct tm_tunnel *e, const void *arg)
{
	return e->phase == 2 && e->state == *(const enum tm_state *)arg;
}

static bool
is_p2_spi(const struct tm_tunnel *e, const void *arg)
{
	return e->phase == 2 && e->spi_in == *(const uint32_t *)arg &&
	    e->state == TM_ACTIVE;
}

struct tm_tunnel *
tm_find_handle(const struct tm_table *t, uint32_t handle)
{
	if (handle == 0)
		return NULL;
	return first_of(t, handle, is_p1, NULL);
}

struct tm_tunnel *
tm_find_child(const struct tm_table *t, uint32_t handle, enum tm_state st)
{
	return first_of(t, handle, is_p2_in, &st);
}

struct tm_tunnel *
tm_find_spi(const struct tm_table *t, uint32_t handle, uint32_t spi_in)
{
	return first_of(t, handle, is_p2_spi, &spi_in);
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
	struct tm_tunnel *e;

	while ((e = first_of(t, handle, is_p2, NULL)) != NULL)
		tm_del(t, e);
}

static void
mark_expired(struct tm_table *t, struct tm_tunnel *e, const char *reason)
{
	e->state = TM_EXPIRED;
	snprintf(e->reason, sizeof(e->reason), "%s", reason);
	if (!e->exp_counted && t->ix != NULL) {
		e->exp_counted = true;
		t->ix->expired++;
	}
}

void
tm_expire(struct tm_table *t, struct tm_tunnel *e, const char *reason)
{
	struct tm_tunnel *c;
	enum tm_state neg = TM_NEGOTIATING;

	mark_expired(t, e, reason);
	if (e->phase != 1)
		return;
	while ((c = first_of(t, e->handle, is_p2_in, &neg)) != NULL)
		mark_expired(t, c, reason);
}

struct tm_tunnel *
tm_next_handle(const struct tm_table *t, const struct tm_tunnel *prev,
    uint32_t handle)
{
	struct tm_index *ix = ix_of(t);
	struct tm_tunnel *e;

	if (ix == NULL)
		return NULL;
	e = prev != NULL ? prev->hnext_handle :
	    ix->by_handle[hash_bucket(handle, ix->nb)];
	for (; e != NULL; e = e->hnext_handle)
		if (e->handle == handle)
			return e;
	return NULL;
}

/* Counts the Expired entries again (some may have been revived by a
 * direct state change since they were counted). */
static void
recount(struct tm_table *t)
{
	struct tm_tunnel *e;

	t->ix->expired = 0;
	for (e = t->head; e != NULL; e = e->next) {
		e->exp_counted = e->state == TM_EXPIRED;
		t->ix->expired += e->exp_counted;
	}
}

void
tm_trim_expired(struct tm_table *t, size_t max)
{
	struct tm_tunnel *e, *next;

	if (t->ix == NULL || t->ix->expired <= max)
		return;
	recount(t);
	for (e = t->head; e != NULL && t->ix->expired > max; e = next) {
		next = e->next;
		if (e->state == TM_EXPIRED)
			tm_del(t, e);
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
	case IKEV2_ID_DER_ASN1_DN:	/* as an X500DN definition says it */
		if (tm_dn_from_der(id->data, id->len, buf, n) == 0)
			return;
		break;
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
