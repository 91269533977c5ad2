/* core/codec/ikev2_pl_int.h: internal to the IKEv2 codec (ikev2_*.c);
 * not an API.  Payload descriptors and the field engine that reads and
 * writes them: a payload body, or a substructure (proposal, transform,
 * traffic selector), is a list of fields read in order through rd.h and
 * written in the same order through wr.h. */
#ifndef IKE_IKEV2_PL_INT_H
#define IKE_IKEV2_PL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/ikev2_msg.h"
#include "core/codec/rd.h"
#include "core/codec/wr.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

enum field_kind {
	F_U8,		/* uint8_t at off */
	F_U16,		/* uint16_t at off, network order on the wire */
	F_U32,		/* uint32_t at off */
	F_ZERO8,	/* RESERVED: ignored when read, zero when written */
	F_ZERO16,
	F_ZERO24,
	F_LEN16,	/* uint16_t length of the enclosing structure; the
			 * writer back-patches it */
	F_SPI,		/* uint64_t at off, as many octets as the uint8_t
			 * at aux says (at most 8) */
	F_REST,		/* struct ike_slice at off: all that is left */
};

struct field {
	uint8_t		 kind;	/* enum field_kind */
	uint16_t	 off;	/* offsetof() in the decoded struct */
	uint16_t	 aux;	/* F_SPI: offsetof() of the SPI size */
};

/* What a decoder knows while it works. */
struct dec_ctx {
	struct ike_msg		*msg;	/* being filled */
	struct codec_diag	*diag;	/* never NULL here */
	const uint8_t		*base;	/* buffer start, for offsets */
	uint8_t			 exchange;
	bool			 response;
	bool			 inner;	/* decoding SK content */
	uint8_t			 pl_type; /* payload being decoded */
};

struct pl_desc {
	uint8_t		 type;
	const char	*name;
	uint16_t	 min_len;	/* body octets the fields need */
	const struct field *fields;
	size_t		 nfields;
	/* Decodes what follows the fields (proposals, selectors, ...). */
	int		(*sub_dec)(struct rd *, struct ike_pl *,
			    struct dec_ctx *);
	/* Encodes it; IKE_EINVAL for an inconsistent message. */
	int		(*sub_enc)(struct wr *, const struct ike_pl *,
			    const struct ike_msg *);
	/* The RFC's rules on the decoded values; also run on encoding. */
	int		(*verify)(const struct ike_pl *, struct dec_ctx *);
};

/* NULL for a type the codec does not know. */
const struct pl_desc *pl_desc_find(uint8_t type);

/* Records why decoding failed at `at` and returns rc. */
int	dec_fail(struct dec_ctx *, int rc, enum codec_why,
	    const uint8_t *at);

/* Reads fields into obj; on failure the cursor is where it was. */
int	fields_read(struct rd *, const struct field *, size_t n, void *obj,
	    struct dec_ctx *);
/* Writes fields from obj; *mark gets the F_LEN16 offset (or SIZE_MAX). */
int	fields_write(struct wr *, const struct field *, size_t n,
	    const void *obj, size_t *mark);

/* Opens a substructure whose 16-bit length (counting the whole
 * substructure) sits len_off octets in: checks it against min and what
 * is left, and hands out a reader bounded by it. */
int	sub_open(struct rd *, size_t len_off, size_t min, struct rd *sub,
	    struct dec_ctx *);

/* Descriptors defined next to their RFC diagrams in other files. */
extern const struct pl_desc pl_sa_desc;		/* ikev2_pl_sa.c */
extern const struct pl_desc pl_tsi_desc, pl_tsr_desc;	/* ikev2_pl_ts.c */
extern const struct pl_desc pl_cp_desc;		/* ikev2_pl_cp.c */

#endif
