/* core/exchange1/v1_child_id.c: Quick Mode client IDs (RFC 2407
 * s. 4.6.2, RFC 2409 s. 5.5): struct ike_ts <-> ID payload.  A single
 * address goes as ID_IPV4_ADDR/IPV6_ADDR, a prefix as _SUBNET (address
 * and mask), anything else as _RANGE; with the IP protocol, and one
 * port or 0 for any.  Without IDs a Quick Mode is about the two
 * gateway addresses. */
#include "core/exchange1/v1.h"

#include <string.h>
#include <sys/socket.h>

#include "core/err.h"

static size_t
alen(uint16_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* The prefix length when start..end is one prefix, else -1. */
static int
prefix_len(const struct ike_ts *ts)
{
	size_t n = alen(ts->family), i;
	int bits = 0, b;
	bool host = false;	/* in the host part */

	for (i = 0; i < n; i++)
		for (b = 7; b >= 0; b--) {
			uint8_t s = (ts->start[i] >> b) & 1;
			uint8_t e = (ts->end[i] >> b) & 1;

			if (!host && s == e) {
				bits++;
				continue;
			}
			host = true;
			if (s != 0 || e != 1)
				return -1;
		}
	return bits;
}

static void
mask_of(int bits, size_t n, uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++, bits -= 8)
		out[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (uint8_t)(0xff << (8 - bits));
}

static int
put_id(struct v1_msg *m, const struct ike_ts *ts, uint8_t *buf)
{
	size_t n = alen(ts->family);
	bool v4 = ts->family == AF_INET;
	struct v1_pl *pl;
	int bits, rc;

	if (ts->sport != ts->eport && (ts->sport != 0 || ts->eport != 65535))
		return IKE_EUNSUPP;
	if ((rc = v1_msg_add(m, IKEV1_PL_ID, &pl)) != 0)
		return rc;
	pl->u.id.proto = ts->proto;
	pl->u.id.port = ts->sport == ts->eport ? ts->sport : 0;
	memcpy(buf, ts->start, n);
	if (memcmp(ts->start, ts->end, n) == 0) {
		pl->u.id.type = v4 ? IKEV1_ID_IPV4_ADDR : IKEV1_ID_IPV6_ADDR;
		pl->u.id.data = (struct ike_slice){ buf, n };
		return 0;
	}
	if ((bits = prefix_len(ts)) >= 0) {
		pl->u.id.type = v4 ? IKEV1_ID_IPV4_SUBNET :
		    IKEV1_ID_IPV6_SUBNET;
		mask_of(bits, n, buf + n);
	} else {
		pl->u.id.type = v4 ? IKEV1_ID_IPV4_RANGE : IKEV1_ID_IPV6_RANGE;
		memcpy(buf + n, ts->end, n);
	}
	pl->u.id.data = (struct ike_slice){ buf, 2 * n };
	return 0;
}

int
v1_child_put_ids(struct v1_msg *m, const struct ike_ts *tsi,
    const struct ike_ts *tsr, struct v1_qm_store *st)
{
	int rc;

	if ((rc = put_id(m, tsi, st->id[0])) != 0)
		return rc;
	return put_id(m, tsr, st->id[1]);
}

static bool
mask_ok(const uint8_t *mask, size_t n)
{
	size_t i;
	bool zero = false;

	for (i = 0; i < n; i++) {
		if (zero && mask[i] != 0)
			return false;
		if (mask[i] != 0xff) {
			/* contiguous: the inverse plus one is a power of 2 */
			uint8_t inv = (uint8_t)~mask[i];

			if ((inv & (inv + 1)) != 0)
				return false;
			zero = true;
		}
	}
	return true;
}

/* The address part of an ID: family, octets per address, how many. */
static int
id_shape(uint8_t type, uint16_t *family, size_t *count)
{
	switch (type) {
	case IKEV1_ID_IPV4_ADDR:
	case IKEV1_ID_IPV6_ADDR:
		*count = 1;
		break;
	case IKEV1_ID_IPV4_SUBNET:
	case IKEV1_ID_IPV6_SUBNET:
	case IKEV1_ID_IPV4_RANGE:
	case IKEV1_ID_IPV6_RANGE:
		*count = 2;
		break;
	default:
		return IKE_EUNSUPP;	/* FQDN and the like: not clients */
	}
	*family = type == IKEV1_ID_IPV4_ADDR || type == IKEV1_ID_IPV4_SUBNET ||
	    type == IKEV1_ID_IPV4_RANGE ? AF_INET : AF_INET6;
	return 0;
}

int
v1_child_id_ts(const struct v1_pl_id *id, struct ike_ts *out)
{
	struct ike_ts t;
	size_t n, count, i;
	const uint8_t *d = id->data.p;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = id_shape(id->type, &t.family, &count)) != 0)
		return rc;
	n = alen(t.family);
	if (id->data.len != n * count)
		return IKE_EMALFORMED;
	memcpy(t.start, d, n);
	memcpy(t.end, d + (count == 2 ? n : 0), n);
	if (id->type == IKEV1_ID_IPV4_SUBNET ||
	    id->type == IKEV1_ID_IPV6_SUBNET) {
		if (!mask_ok(d + n, n))
			return IKE_EMALFORMED;
		for (i = 0; i < n; i++) {
			t.start[i] = d[i] & d[n + i];
			t.end[i] = (uint8_t)(d[i] | ~d[n + i]);
		}
	} else if (memcmp(t.start, t.end, n) > 0)
		return IKE_EMALFORMED;
	t.proto = id->proto;
	t.sport = id->port;
	t.eport = id->port == 0 ? 65535 : id->port;
	*out = t;
	return 0;
}

static void
gateway_ts(const struct ike_addr *a, struct ike_ts *out)
{
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	out->eport = 65535;
	memcpy(out->start, a->addr, alen(a->family));
	memcpy(out->end, a->addr, alen(a->family));
}

/* A kernel policy has one IP protocol for both selectors: "any" on one
 * side takes the other's. */
static bool
same_proto(struct ike_ts *a, struct ike_ts *b)
{
	if (a->proto == 0)
		a->proto = b->proto;
	if (b->proto == 0)
		b->proto = a->proto;
	return a->proto == b->proto && a->family == b->family;
}

int
v1_child_get_ids(const struct v1_msg *m, const struct ike_addr *init,
    const struct ike_addr *resp, struct ike_ts *tsi, struct ike_ts *tsr)
{
	const struct v1_pl *i = v1_msg_find(m, IKEV1_PL_ID, NULL), *r;
	struct ike_ts ti, tr;

	if (i == NULL) {
		gateway_ts(init, tsi);
		gateway_ts(resp, tsr);
		return 0;
	}
	if ((r = v1_msg_find(m, IKEV1_PL_ID, i)) == NULL ||
	    v1_child_id_ts(&i->u.id, &ti) != 0 ||
	    v1_child_id_ts(&r->u.id, &tr) != 0 || !same_proto(&ti, &tr))
		return IKE_EMALFORMED;
	*tsi = ti;
	*tsr = tr;
	return 1;
}

bool
v1_child_ts_within(const struct ike_ts *a, const struct ike_ts *b)
{
	size_t n = alen(a->family);

	return a->family == b->family &&
	    (b->proto == 0 || a->proto == b->proto) &&
	    a->sport >= b->sport && a->eport <= b->eport &&
	    memcmp(a->start, b->start, n) >= 0 &&
	    memcmp(a->end, b->end, n) <= 0;
}
