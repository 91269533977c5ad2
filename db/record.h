/* db/record.h: the stored form of the objects of model.h.
 *
 * A record is a header
 *
 *	u8	format version: major << 4 | minor (RECORD_MAJOR, RECORD_MINOR)
 *	u8	object type (enum db_type)
 *	u32	length of the rest
 *
 * followed by TLV fields: u16 tag, u16 length, value; integers big-endian,
 * strings with their NUL, nested structures as TLVs of their own, and an
 * array as one TLV per element (its count is the number of elements).
 * Tags are unique across all structures, so a field cannot be mistaken
 * for one of another structure.  Fields whose value is zero, "" or an
 * all-zero structure are left out and decode to zero.
 *
 * A newer minor version may add fields: their tags are skipped.  A newer
 * major version is refused.  Decoding reads only through core/codec/rd.h
 * and has no side effects. */
#ifndef IKE_DB_RECORD_H
#define IKE_DB_RECORD_H

#include <stddef.h>

#include "../core/codec/wr.h"
#include "model.h"

#define RECORD_MAJOR	1
#define RECORD_MINOR	0
#define RECORD_HDR_LEN	6

/* Appends the record of o to w.  IKE_EINVAL if o has an out-of-range
 * type or count (a count over its array size, a key longer than
 * DB_PSK_MAX) or a string without its NUL; the writer's error otherwise.
 * Preshared key bytes end up in w: free it with wr_free(), which wipes. */
int	record_encode(const struct db_obj *o, struct wr *w);

/* Decodes the record in buf[0..len) into *out, which is written only on
 * success (zeroed first, then the fields present).  want is the type the
 * record must have, or DB_T_COUNT for any (a record of another type is
 * IKE_EMALFORMED).  IKE_EMALFORMED if the
 * record breaks the format: truncated or trailing bytes, a length that
 * does not fit, a string without its NUL or too long for its array, more
 * array elements than the array holds, an enumeration value out of
 * range, a field twice, or a tag unknown to its version.  IKE_EUNSUPP if
 * the record has a newer major version.  IKE_ENOMEM. */
int	record_decode(const void *buf, size_t len, enum db_type want,
	    struct db_obj *out);

#endif
