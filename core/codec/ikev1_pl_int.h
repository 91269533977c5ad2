/* core/codec/ikev1_pl_int.h: internal to the IKEv1 codec (ikev1_*.c);
 * not an API.  One descriptor per payload type: its minimum body, a
 * decoder that reads the body through rd.h into the payload's union, a
 * check of the RFC's rules on the values (shared by decoder and
 * encoder), and an encoder that writes the body through wr.h. */
#ifndef IKE_IKEV1_PL_INT_H
#define IKE_IKEV1_PL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev1_msg.h"
#include "core/codec/rd.h"
#include "core/codec/wr.h"

/* What a decoder knows while it works. */
struct v1_dctx {
	struct v1_msg		*msg;	/* being filled */
	struct v1_diag		*diag;	/* never NULL here */
	const uint8_t		*base;	/* buffer start, for offsets */
	bool			 inner;	/* decoding a decrypted body */
	uint8_t			 pl_type; /* payload being decoded */
};

struct v1_pl_desc {
	uint8_t		 type;
	const char	*name;
	uint16_t	 min_len;	/* body octets the fixed fields need */
	/* Reads the whole body (bounded reader) into pl->u. */
	int		(*dec)(struct rd *, struct v1_pl *, struct v1_dctx *);
	/* The RFC's rules on decoded values: V1_OK or why not. */
	enum v1_why	(*verify)(const struct v1_pl *, const struct v1_msg *);
	/* Writes the body; IKE_EINVAL for an inconsistent message. */
	int		(*enc)(struct wr *, const struct v1_pl *,
			    const struct v1_msg *);
};

/* NULL for a type the codec does not know (or P and T, which live
 * inside SA only). */
const struct v1_pl_desc *v1_pl_desc_find(uint8_t type);

/* Records why decoding failed at `at` and returns rc. */
int	v1_fail(struct v1_dctx *, int rc, enum v1_why, const uint8_t *at);

/* The SA payload with its proposals and transforms (ikev1_pl_sa.c). */
extern const struct v1_pl_desc v1_sa_desc;

#endif
