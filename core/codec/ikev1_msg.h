/* core/codec/ikev1_msg.h: the IKEv1 (ISAKMP) message codec (RFC 2408
 * s. 3, RFC 2407 s. 4.6, RFC 3947 s. 3-4).
 *
 * v1_decode() turns one datagram (the ISAKMP header and what follows;
 * a NAT-T caller strips the non-ESP marker first) into a plain struct
 * v1_msg: the header fields and an array of payloads whose variable
 * parts are slices borrowed from the datagram.  No lookups, no
 * allocation, no logging, no globals.  Every count is bounded by the
 * fixed arrays below; a message that needs more is refused.
 *
 * With the E flag set, everything after the header is ciphertext:
 * v1_decode() checks the header alone and hands the rest back as
 * msg->ct.  The exchange layer decrypts it and calls v1_decode_body()
 * with hdr.next as the first payload type; octets after the last
 * payload of the chain are the sender's padding (RFC 2408 s. 3.5 lets
 * the header Length cover it) and are kept as msg->pad.
 *
 * IKEv1 has no critical bit: an unknown payload type is refused with
 * IKE_EUNSUPP and its type in diag->pl_type, to be answered with
 * INVALID-PAYLOAD-TYPE (RFC 2408 s. 5.1); v1_why_notify() names the
 * notification for every other reason too.
 *
 * v1_encode() is the inverse: encode(decode(x)) == x for any x whose
 * RESERVED fields are zero. */
#ifndef IKE_IKEV1_MSG_H
#define IKE_IKEV1_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/rd.h"
#include "core/codec/wr.h"

#define V1_MSG_MAX_PAYLOADS	32
#define V1_MSG_MAX_PROPOSALS	16	/* over all SA payloads */
#define V1_MSG_MAX_TRANSFORMS	64	/* over all proposals */
#define V1_MSG_MAX_ATTRS	256	/* over all transforms */

/* The ISAKMP header (RFC 2408 s. 3.1). */
struct v1_hdr {
	uint8_t		 icookie[8], rcookie[8];
	uint8_t		 next;		/* first payload */
	uint8_t		 major, minor;	/* encoding major 0: 1.0 */
	uint8_t		 exchange;	/* IKEV1_EXCH_* */
	uint8_t		 flags;		/* IKEV1_F_* */
	uint32_t	 msgid;
	uint32_t	 length;	/* decoded only: whole message */
};

/* A data attribute (s. 3.3): TV carries a 16-bit value, TLV a slice. */
struct v1_attr {
	uint16_t		 type;	/* without the AF bit */
	bool			 tv;
	uint16_t		 value;	/* TV */
	struct ike_slice	 data;	/* TLV; borrowed; may be empty */
};

/* A transform (s. 3.6): attributes msg->attr[attr0 .. + nattr - 1]. */
struct v1_xform {
	uint8_t		 num;		/* Transform # */
	uint8_t		 id;		/* IKEV1_KEY_IKE, IKEV1_ESP_*, ... */
	uint16_t	 attr0, nattr;
};

/* A proposal (s. 3.5): transforms msg->xf[xf0 .. + nxf - 1].  Next
 * Payload and # of Transforms are derived on encoding and checked on
 * decoding.  Proposals with the same number form one bundle. */
struct v1_prop {
	uint8_t			 num;	/* Proposal #, non-decreasing */
	uint8_t			 proto;	/* IKEV1_PROTO_* */
	struct ike_slice	 spi;	/* 0..16 octets; borrowed */
	uint16_t		 xf0, nxf;
};

struct v1_pl_sa {		/* s. 3.4: msg->prop[prop0 ..] */
	uint32_t	 doi;		/* IKEV1_DOI_IPSEC */
	uint32_t	 situation;	/* IKEV1_SIT_IDENTITY_ONLY */
	uint16_t	 prop0, nprop;
};
struct v1_pl_id {		/* RFC 2407 s. 4.6.2 */
	uint8_t			 type;	/* IKEV1_ID_* */
	uint8_t			 proto;	/* IP protocol, 0: any */
	uint16_t		 port;
	struct ike_slice	 data;
};
struct v1_pl_cert {		/* s. 3.9 CERT, s. 3.10 CR */
	uint8_t			 encoding;	/* IKEV1_CERT_* */
	struct ike_slice	 data;	/* certificate, or CA (may be
					 * empty in a CR) */
};
struct v1_pl_notify {		/* s. 3.14 */
	uint32_t		 doi;
	uint8_t			 proto;
	uint16_t		 type;	/* IKEV1_N_* */
	struct ike_slice	 spi;	/* 0..16 octets */
	struct ike_slice	 data;
};
struct v1_pl_delete {		/* s. 3.15 */
	uint32_t		 doi;
	uint8_t			 proto;
	uint8_t			 spi_size;	/* 16: ISAKMP, 4: AH/ESP */
	uint16_t		 nspi;
	struct ike_slice	 spis;	/* nspi * spi_size octets */
};
struct v1_pl_natoa {		/* RFC 3947 s. 5.2 */
	uint8_t			 id_type;	/* IPV4_ADDR or IPV6_ADDR */
	struct ike_slice	 addr;	/* 4 or 16 octets */
};

struct v1_pl {
	uint8_t			 type;	/* IKEV1_PL_* */
	uint8_t			 next;	/* decoded Next Payload */
	bool			 encrypted;	/* from the decrypted body */
	struct ike_slice	 body;	/* after the generic header */
	union {
		struct v1_pl_sa		 sa;
		struct v1_pl_id		 id;
		struct v1_pl_cert	 cert;	/* CERT, CR */
		struct v1_pl_notify	 notify;
		struct v1_pl_delete	 del;
		struct v1_pl_natoa	 natoa;
		/* KE, HASH, SIG, Nonce, VID, NAT-D: the whole body */
		struct ike_slice	 data;
	} u;
};

/* A decoded (or to be encoded) message; about 8 KiB. */
struct v1_msg {
	struct v1_hdr		 hdr;
	struct ike_slice	 dgram;	/* decoded: the whole datagram */
	struct ike_slice	 ct;	/* E flag: the ciphertext */
	bool			 opened;	/* v1_decode_body() done */
	struct ike_slice	 pad;	/* after the decrypted chain */
	size_t			 npl;
	struct v1_pl		 pl[V1_MSG_MAX_PAYLOADS];
	size_t			 nprop;
	struct v1_prop		 prop[V1_MSG_MAX_PROPOSALS];
	size_t			 nxf;
	struct v1_xform		 xf[V1_MSG_MAX_TRANSFORMS];
	size_t			 nattr;
	struct v1_attr		 attr[V1_MSG_MAX_ATTRS];
};

enum v1_why {
	V1_OK = 0,
	V1_TRUNCATED,		/* a field runs past its end (IKE_ESHORT) */
	V1_HDR_LENGTH,		/* header Length is not the datagram's */
	V1_VERSION_MAJOR,	/* major version not 1 (IKE_EUNSUPP) */
	V1_VERSION_MINOR,	/* minor version not 0 (IKE_EUNSUPP) */
	V1_FLAGS,		/* undefined header flag bits */
	V1_PL_LENGTH,		/* Payload Length below the minimum or
				 * past the end */
	V1_PL_TYPE,		/* unknown payload type: pl_type
				 * (IKE_EUNSUPP) */
	V1_TOO_MANY,		/* over a V1_MSG_MAX_* (IKE_ENOSPC) */
	V1_SUB_LENGTH,		/* proposal/transform/attribute length */
	V1_SUB_NEXT,		/* proposal/transform Next Payload wrong */
	V1_PROPOSAL_NUM,	/* proposal numbers decreasing */
	V1_COUNT,		/* a count disagrees with the content */
	V1_SPI_SIZE,		/* SPI size wrong for the protocol */
	V1_ATTR,		/* bad data attribute */
	V1_NONCE_LEN,		/* nonce outside 8..256 octets */
	V1_EMPTY,		/* required content missing */
	V1_BAD_VALUE,		/* a field outside its defined values */
	V1_DOI,			/* DOI not IPsec (IKE_EUNSUPP) */
	V1_SITUATION,		/* situation not IDENTITY_ONLY (EUNSUPP) */
	V1_TRAILING,		/* octets after the last payload */
	V1_STATE,		/* nothing to open, or opened (ESTATE) */
	V1_NWHY
};

struct v1_diag {
	enum v1_why	 why;
	uint8_t		 pl_type;	/* payload decoded, 0: header */
	bool		 inner;		/* in the decrypted body */
	size_t		 offset;	/* octet offset in that buffer */
};

const char	*v1_why_str(enum v1_why);
/* The notification that answers a refusal (RFC 2408 s. 3.14.1, 5). */
uint16_t	 v1_why_notify(enum v1_why);
/* "SA", "KE", ... for a payload type; "unknown" for others. */
const char	*v1_pl_name(uint8_t type);

/* Reads the header of buf without judging it.  IKE_ESHORT if short. */
int	v1_peek_hdr(const uint8_t *buf, size_t len, struct v1_hdr *out);

/* Decodes a datagram; *msg borrows buf.  On failure *msg is zeroed.
 * diag may be NULL. */
int	v1_decode(const uint8_t *buf, size_t len, struct v1_msg *msg,
	    struct v1_diag *diag);
/* Decodes the decrypted body (payload chain, then padding) of msg,
 * starting with type `first` (hdr.next); the payloads borrow data.
 * IKE_ESTATE when msg has no E flag or was opened already.  On
 * failure msg is as it was. */
int	v1_decode_body(struct v1_msg *msg, uint8_t first,
	    const uint8_t *data, size_t len, struct v1_diag *diag);

/* Appends the message to w: the header (Length computed), then with
 * the E flag hdr.next as is (the first encrypted payload, see
 * v1_encode_body()) and msg->ct, else every payload in order (the
 * header's and each payload's Next Payload from the order).  IKE_EINVAL for what cannot
 * be written (a range outside the arrays, an empty SA, a payload that
 * fails the decoder's checks); IKE_ENOSPC/IKE_ENOMEM from the writer,
 * whose buffer then holds a partial message to discard. */
int	v1_encode(const struct v1_msg *, struct wr *w);
/* Appends the payload chain alone (what is encrypted; no padding) and
 * writes the type of its first payload (0 if none) to *first. */
int	v1_encode_body(const struct v1_msg *, struct wr *w, uint8_t *first);

/* The value of an attribute: a TV's, or a TLV's of 1..8 octets.
 * IKE_EMALFORMED for a TLV that is empty or longer. */
int	v1_attr_value(const struct v1_attr *, uint64_t *out);

/* Lookups; NULL when there is none.  `after` continues a search. */
const struct v1_pl *v1_msg_find(const struct v1_msg *, uint8_t type,
	    const struct v1_pl *after);
const struct v1_pl *v1_msg_notify(const struct v1_msg *, uint16_t ntype);

/* Building a message to encode.  Proposals go to the SA payload added
 * last, transforms to the proposal added last, attributes to the
 * transform added last (IKE_EINVAL otherwise); IKE_ENOSPC when an
 * array is full.  Slices are borrowed until v1_encode(). */
void	v1_msg_init(struct v1_msg *, const struct v1_hdr *);
int	v1_msg_add(struct v1_msg *, uint8_t type, struct v1_pl **out);
int	v1_msg_add_prop(struct v1_msg *, struct v1_pl *sa, uint8_t num,
	    uint8_t proto, const uint8_t *spi, size_t spi_len);
int	v1_msg_add_xform(struct v1_msg *, uint8_t num, uint8_t id);
int	v1_msg_add_attr_tv(struct v1_msg *, uint16_t type, uint16_t value);
int	v1_msg_add_attr_tlv(struct v1_msg *, uint16_t type,
	    const uint8_t *data, size_t len);

#endif
