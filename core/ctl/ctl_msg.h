/* core/ctl/ctl_msg.h: the control-socket protocol between `ike` and
 * isakmpd (docs/control-protocol.md is its specification).
 *
 * Every message is a frame:
 *
 *	 0                   1                   2                   3
 *	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|    Version    |     Type      |           Reserved            |
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|                          Body Length                          |
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	~                 Attributes (Body Length bytes)                ~
 *
 * and the body is a sequence of attributes, each
 *
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	|              Tag              |            Length             |
 *	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *	~                      Value (Length bytes)                     ~
 *
 * all integers big-endian.  A request gets exactly one reply on the same
 * connection; the client may send further requests after it. */
#ifndef IKE_CTL_MSG_H
#define IKE_CTL_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "../codec/rd.h"
#include "../codec/wr.h"

#define CTL_VERSION		1
#define CTL_HDR_LEN		8
#define CTL_REQ_MAX		(64u * 1024)	/* largest request body */
#define CTL_REPLY_MAX		(16u << 20)	/* largest reply body */
#define CTL_MAX_ATTRS		65536		/* attributes per message */
#define CTL_MAX_DEPTH		4		/* nesting levels */

enum ctl_type {
	CTL_T_ACTIVATE = 1,
	CTL_T_LIST = 2,
	CTL_T_REMOVE = 3,
	CTL_T_LOG = 4,
	CTL_T_STATUS = 5,	/* daemon version, pid, backend, log level */
	CTL_T_REPLY = 0x80,	/* | request type */
};

enum ctl_tag {
	/* requests */
	CTL_A_PHASE = 1,	/* u8: 1, 2, or 3 meaning "1+" */
	CTL_A_RANGE = 2,	/* u32 lo, u32 hi: one numlist item; repeats */
	CTL_A_NAME = 3,		/* string: one namelist item; repeats */
	CTL_A_REMID = 4,	/* string, as typed after remid= */
	CTL_A_IPSRC = 5,	/* string: ipaddr source */
	CTL_A_IPDST = 6,	/* string: ipaddr destination */
	CTL_A_FLAGS = 7,	/* u32: CTL_F_* */
	CTL_A_ROLE = 8,		/* u8: 'i' or 'r' */
	/* replies */
	CTL_A_RESULT = 64,	/* u32: enum ctl_result */
	CTL_A_MESSAGE = 65,	/* string: a line for the user; repeats */
	CTL_A_TUNNEL = 66,	/* nested attributes: one listed tunnel */
	CTL_A_KV = 67,		/* nested: CTL_A_KEY + CTL_A_VALUE */
	CTL_A_KEY = 68,		/* string */
	CTL_A_VALUE = 69,	/* string */
	/* inside CTL_A_TUNNEL */
	CTL_A_T_PHASE = 80,	/* u8: 1 or 2 */
	CTL_A_T_NUM = 81,	/* u32: active tunnel number */
	CTL_A_T_STATUS = 82,	/* string: Negotiating, Active, Expired */
	CTL_A_T_LOCAL = 83,	/* string: local id as listed */
	CTL_A_T_REMOTE = 84,	/* string: remote id as listed */
	CTL_A_T_PARENT = 85,	/* u32: phase-1 tunnel of a phase-2 tunnel */
	CTL_A_T_DETAIL = 86,	/* nested CTL_A_KV: verbose lines, in order */
};

enum ctl_flags {
	CTL_F_AUTOSTART = 1 << 0,
	CTL_F_ALL = 1 << 1,
	CTL_F_VERBOSE = 1 << 2,
};

enum ctl_result {
	CTL_R_OK = 0,
	CTL_R_USAGE = 1,	/* the request is wrong: messages say why */
	CTL_R_FAILED = 2,	/* the daemon could not do it */
	CTL_R_UNSUPPORTED = 3,	/* not (yet) supported by this daemon */
	CTL_R_EXISTS = 4,	/* activate: the tunnel exists already */
};

/* One attribute; the value borrows the message buffer. */
struct ctl_attr {
	uint16_t	tag;
	struct ike_slice val;
};

/* A decoded message: a checked view of a body (or of a nested value).
 * Borrows the buffer given to ctl_decode(). */
struct ctl_msg {
	uint8_t		 type;
	const uint8_t	*body;
	size_t		 len;
};

/* Reads the 8-byte header: checks version and reserved bits and that the
 * body length is at most max; gives type and body length.  IKE_EUNSUPP
 * for another version, IKE_EMALFORMED for non-zero reserved bits,
 * IKE_ENOSPC for a body longer than max.  The type is not checked. */
int	ctl_hdr_decode(const uint8_t hdr[CTL_HDR_LEN], size_t max,
	    uint8_t *type, uint32_t *body_len);
/* Checks that body is a well-formed sequence of at most CTL_MAX_ATTRS
 * attributes and makes *out a view of it.  No side effects.  A nested
 * attribute's value is decoded by calling it again on that value.
 * Also checked, at any depth (at most CTL_MAX_DEPTH): the length of each
 * fixed-size attribute, that string values hold no NUL, and that the
 * values of CTL_A_TUNNEL, CTL_A_KV and CTL_A_T_DETAIL are well-formed
 * sequences themselves.  Unknown tags pass; IKE_EMALFORMED otherwise. */
int	ctl_decode(uint8_t type, const uint8_t *body, size_t len,
	    struct ctl_msg *out);

/* Walks the attributes: start with *pos = 0; returns 0 and the next one,
 * or IKE_ENOTFOUND at the end. */
int	ctl_next(const struct ctl_msg *, size_t *pos, struct ctl_attr *out);

/* Accessors.  _nth finds the n-th (from 0) attribute with tag;
 * IKE_ENOTFOUND if there is none; IKE_EMALFORMED if its length is wrong
 * for the type; strings are copied and NUL-ended, IKE_ENOSPC if they do
 * not fit, IKE_EMALFORMED if they contain a NUL. */
size_t	ctl_count(const struct ctl_msg *, uint16_t tag);
int	ctl_find_nth(const struct ctl_msg *, uint16_t tag, size_t n,
	    struct ctl_attr *out);
int	ctl_get_u8(const struct ctl_msg *, uint16_t tag, uint8_t *);
int	ctl_get_u32(const struct ctl_msg *, uint16_t tag, uint32_t *);
int	ctl_get_str_nth(const struct ctl_msg *, uint16_t tag, size_t n,
	    char *buf, size_t len);
int	ctl_get_range_nth(const struct ctl_msg *, size_t n, uint32_t *lo,
	    uint32_t *hi);
/* Decodes a nested attribute's value as a message of the same type. */
int	ctl_nested(const struct ctl_msg *, const struct ctl_attr *,
	    struct ctl_msg *out);

/* Building a message: ctl_begin() writes the header into an empty wr,
 * the put functions append attributes, ctl_nest_begin()/ctl_nest_end()
 * bracket a nested attribute (its value is at most 65535 bytes),
 * ctl_end() patches the body length and returns the first error
 * (IKE_ENOSPC for an attribute or a body over its limit).  Errors are
 * sticky in the wr (see wr.h). */
void	ctl_begin(struct wr *, uint8_t type);
void	ctl_put_u8(struct wr *, uint16_t tag, uint8_t);
void	ctl_put_u32(struct wr *, uint16_t tag, uint32_t);
void	ctl_put_str(struct wr *, uint16_t tag, const char *);
void	ctl_put_range(struct wr *, uint32_t lo, uint32_t hi);
size_t	ctl_nest_begin(struct wr *, uint16_t tag);
void	ctl_nest_end(struct wr *, size_t mark);
void	ctl_put_kv(struct wr *, const char *key, const char *value);
int	ctl_end(struct wr *);

/* Static names for logs and messages ("status", "unsupported"); never
 * NULL. */
const char	*ctl_type_name(uint8_t type);
const char	*ctl_result_name(uint32_t result);

#endif
