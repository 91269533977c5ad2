/* core/codec/ikev2_msg.h: the IKEv2 message codec (RFC 7296 s. 3).
 *
 * codec_decode() turns one datagram (the IKE header and what follows it;
 * a NAT-T caller strips the four-octet non-ESP marker first) into a
 * plain struct ike_msg: the header fields and an array of payloads whose
 * variable parts are slices borrowed from the datagram.  It does nothing
 * else: no lookups, no allocation, no logging, no globals.  Every count
 * is bounded by the fixed arrays below; a message that needs more is
 * refused.
 *
 * Encrypted messages are decoded in steps, one of them the caller's:
 *   codec_decode(dgram)              header + payloads up to SK (or SKF)
 *   codec_sk_view(msg, iv, icv)      AAD, IV, ciphertext and ICV regions
 *     ... caller checks the ICV and decrypts ...
 *   codec_sk_unpad(pt)               strips Padding and Pad Length
 *   codec_decode_inner(msg, first, data)  appends the inner payloads
 * where `first` is the SK payload's Next Payload (pl->next), or, for
 * reassembled fragments (RFC 7383), that of fragment 1.
 *
 * codec_encode() is the inverse: encode(decode(x)) == x for any x whose
 * RESERVED fields are zero (RFC 7296 requires senders to zero them; the
 * decoder ignores them, so they are not kept).  With sk_params it also
 * lays out a new SK payload around the encrypted payloads, for the
 * caller to encrypt in place.
 *
 * On failure a decoder returns IKE_ESHORT (a field ran past the end of
 * what holds it), IKE_EMALFORMED (a value breaks the format),
 * IKE_EUNSUPP (a major version other than 2, an unknown critical
 * payload) or IKE_ENOSPC (more than the arrays hold) and, when diag is
 * not NULL, fills *diag with the reason and where it was found, so that
 * the caller can count it, log it at debug level, or answer the peer
 * (UNSUPPORTED_CRITICAL_PAYLOAD carries diag->pl_type; INVALID_MAJOR_VERSION
 * needs the header, see codec_peek_hdr()). */
#ifndef IKE_IKEV2_MSG_H
#define IKE_IKEV2_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/codec/rd.h"
#include "core/codec/wr.h"

/* Bounds of one message, the inner payloads of SK included. */
#define IKE_MSG_MAX_PAYLOADS	64
#define IKE_MSG_MAX_PROPOSALS	16	/* over all SA payloads */
#define IKE_MSG_MAX_TRANSFORMS	64	/* over all proposals */
#define IKE_MSG_MAX_ATTRS	64	/* transform attributes, over all */
#define IKE_MSG_MAX_TS		32	/* traffic selectors, TSi+TSr */
#define IKE_MSG_MAX_CP_ATTRS	32	/* configuration attributes */

/* The IKE header (RFC 7296 s. 3.1). */
struct ike_hdr {
	uint64_t	 spi_i, spi_r;	/* the 8 octets, big-endian */
	uint8_t		 next;		/* decoded only: 1st payload */
	uint8_t		 major, minor;	/* encoding major 0: 2 */
	uint8_t		 exchange;	/* IKEV2_EXCH_* */
	uint8_t		 flags;		/* IKEV2_F_* */
	uint32_t	 msgid;
	uint32_t	 length;	/* decoded only: whole message */
};

/* A transform attribute (RFC 7296 s. 3.3.5): TV (AF set) carries a
 * 16-bit value, TLV a borrowed slice. */
struct ike_attr {
	uint16_t		 type;	/* without the AF bit */
	bool			 tv;
	uint16_t		 value;	/* TV */
	struct ike_slice	 data;	/* TLV; borrowed */
};

/* A transform (s. 3.3.2); its attributes are msg->attr[attr0 ..
 * attr0 + nattr - 1]. */
struct ike_xform {
	uint8_t		 type;		/* IKEV2_XF_* */
	uint16_t	 id;		/* IKEV2_ENCR_*, IKEV2_PRF_*, ... */
	uint16_t	 attr0, nattr;
};

/* A proposal (s. 3.3.1); its transforms are msg->xf[xf0 .. xf0 + nxf -
 * 1].  "Last Substruc" and "Num Transforms" are derived on encoding and
 * checked on decoding. */
struct ike_prop {
	uint8_t		 num;		/* Proposal Num, 1.. */
	uint8_t		 proto;		/* IKEV2_PROTO_* */
	uint8_t		 spi_size;	/* 0, 4 or 8 */
	uint64_t	 spi;		/* spi_size octets, big-endian */
	uint16_t	 xf0, nxf;
};

/* A traffic selector (s. 3.13.1).  For the two address-range types the
 * addresses are copied (4 or 16 octets used); for any other type only
 * type, proto and the raw octets after Selector Length are kept, so
 * that the exchange can answer TS_UNACCEPTABLE. */
struct ike_tsel {
	uint8_t			 type;	/* IKEV2_TS_* */
	uint8_t			 proto;	/* IP protocol, 0: any */
	uint16_t		 sport, eport;
	uint8_t			 start[16], end[16];
	struct ike_slice	 raw;	/* other types only; borrowed */
};

/* A configuration attribute (s. 3.15.1). */
struct ike_cpattr {
	uint16_t		 type;	/* IKEV2_CP_*, R bit cleared */
	struct ike_slice	 value;	/* borrowed; may be empty */
};

/* Payload bodies, after the generic header.  Slices are borrowed from
 * the buffer the payload was decoded from. */
struct pl_sa {			/* s. 3.3: msg->prop[prop0 ..] */
	uint16_t	 prop0, nprop;
};
struct pl_ke {			/* s. 3.4 */
	uint16_t		 group;
	struct ike_slice	 data;
};
struct pl_id {			/* s. 3.5: IDi, IDr */
	uint8_t			 type;	/* IKEV2_ID_* */
	struct ike_slice	 data;
};
struct pl_cert {		/* s. 3.6 CERT, s. 3.7 CERTREQ */
	uint8_t			 encoding;	/* IKEV2_CERT_* */
	struct ike_slice	 data;	/* certificate, or CA hashes */
};
struct pl_auth {		/* s. 3.8 */
	uint8_t			 method;	/* IKEV2_AUTH_* */
	struct ike_slice	 data;
};
struct pl_nonce {		/* s. 3.9: 16..256 octets */
	struct ike_slice	 data;
};
struct pl_notify {		/* s. 3.10 */
	uint8_t			 proto;	/* meaningful with an SPI */
	uint8_t			 spi_size; /* 0, or 4 for AH/ESP */
	uint16_t		 type;	/* IKEV2_N_* */
	uint64_t		 spi;
	struct ike_slice	 data;
};
struct pl_delete {		/* s. 3.11 */
	uint8_t			 proto;
	uint8_t			 spi_size; /* 0: IKE, 4: AH/ESP */
	uint16_t		 nspi;
	struct ike_slice	 spis;	/* nspi * spi_size octets */
};
struct pl_vendor {		/* s. 3.12 */
	struct ike_slice	 data;
};
struct pl_ts {			/* s. 3.13: msg->ts[ts0 ..] */
	uint16_t	 ts0, nts;
};
struct pl_sk {			/* s. 3.14: IV | ciphertext | ICV */
	struct ike_slice	 data;
};
struct pl_skf {			/* RFC 7383 s. 2.5 */
	uint16_t		 frag_num, frag_total;
	struct ike_slice	 data;	/* IV | ciphertext | ICV; see
					 * codec_encode() for sk_params */
};
struct pl_cp {			/* s. 3.15: msg->cp[attr0 ..] */
	uint8_t		 type;		/* IKEV2_CFG_* */
	uint16_t	 attr0, nattr;
};
struct pl_eap {			/* s. 3.16, RFC 3748 s. 4 */
	uint8_t			 code;	/* IKEV2_EAP_* */
	uint8_t			 ident;
	uint8_t			 type;	/* Request/Response, else 0 */
	struct ike_slice	 data;	/* Type-Data */
};

struct ike_pl {
	uint8_t			 type;	/* IKEV2_PL_*, or unknown */
	/* decoded Next Payload; for SK and SKF the first inner payload */
	uint8_t			 next;
	bool			 critical;
	bool			 skipped;	/* unknown, not critical */
	bool			 encrypted;	/* inside SK / SKF */
	struct ike_slice	 body;	/* after the generic header */
	union {
		struct pl_sa		 sa;
		struct pl_ke		 ke;
		struct pl_id		 id;
		struct pl_cert		 cert;
		struct pl_auth		 auth;
		struct pl_nonce		 nonce;
		struct pl_notify	 notify;
		struct pl_delete	 del;
		struct pl_vendor	 vendor;
		struct pl_ts		 ts;
		struct pl_sk		 sk;
		struct pl_skf		 skf;
		struct pl_cp		 cp;
		struct pl_eap		 eap;
	} u;
};

/* A decoded (or to be encoded) message.  About 8 KiB: callers keep one
 * per datagram being handled, not one per SA. */
struct ike_msg {
	struct ike_hdr		 hdr;
	struct ike_slice	 dgram;	/* decoded: the whole datagram */
	bool			 inner;	/* SK content decoded or built */
	size_t			 npl;
	struct ike_pl		 pl[IKE_MSG_MAX_PAYLOADS];
	size_t			 nprop;
	struct ike_prop		 prop[IKE_MSG_MAX_PROPOSALS];
	size_t			 nxf;
	struct ike_xform	 xf[IKE_MSG_MAX_TRANSFORMS];
	size_t			 nattr;
	struct ike_attr		 attr[IKE_MSG_MAX_ATTRS];
	size_t			 nts;
	struct ike_tsel		 ts[IKE_MSG_MAX_TS];
	size_t			 ncp;
	struct ike_cpattr	 cp[IKE_MSG_MAX_CP_ATTRS];
};

/* Why a decoder refused its input; one counter each. */
enum codec_why {
	CODEC_OK = 0,
	CODEC_TRUNCATED,	/* a field runs past its end (IKE_ESHORT) */
	CODEC_HDR_LENGTH,	/* header Length is not the datagram length */
	CODEC_VERSION_MAJOR,	/* major version above 2 (IKE_EUNSUPP) */
	CODEC_VERSION_OLD,	/* major version below 2 (IKE_EUNSUPP) */
	CODEC_PL_LENGTH,	/* Payload Length below the minimum or
				 * past the end of the message */
	CODEC_CRITICAL,		/* unknown payload type with the critical
				 * bit: pl_type (IKE_EUNSUPP) */
	CODEC_TOO_MANY,		/* over an IKE_MSG_MAX_* (IKE_ENOSPC) */
	CODEC_SUB_LENGTH,	/* proposal/transform/attribute/selector
				 * length wrong */
	CODEC_LAST_MARKER,	/* "Last Substruc" disagrees with position */
	CODEC_PROPOSAL_NUM,	/* proposal numbering or count */
	CODEC_COUNT,		/* a count field disagrees with content */
	CODEC_SPI_SIZE,		/* SPI size wrong for protocol */
	CODEC_ATTR,		/* transform or configuration attribute */
	CODEC_NONCE_LEN,	/* nonce outside 16..256 octets */
	CODEC_EMPTY,		/* required content missing */
	CODEC_BAD_VALUE,	/* a field outside its defined values */
	CODEC_SK_PLACEMENT,	/* SK/SKF not last, or inside SK */
	CODEC_TRAILING,		/* octets after the last payload */
	CODEC_NO_SK,		/* no SK or SKF payload to open, or
				 * opened already (IKE_ESTATE) */
	CODEC_NWHY
};

struct codec_diag {
	enum codec_why	 why;
	uint8_t		 pl_type;	/* payload decoded, 0: header */
	bool		 inner;		/* in decrypted SK content */
	size_t		 offset;	/* octet offset in that buffer */
};

const char	*codec_why_str(enum codec_why);
/* "SA", "KE", ... for a payload type; "unknown" for others. */
const char	*codec_pl_name(uint8_t type);

/* Reads the IKE header of buf without judging version or length, so
 * that a caller can answer INVALID_MAJOR_VERSION or find the SA.
 * IKE_ESHORT if len < IKEV2_HDR_LEN. */
int	codec_peek_hdr(const uint8_t *buf, size_t len, struct ike_hdr *out);

/* Decodes a datagram.  *msg borrows buf until the caller is done with
 * it.  On failure *msg is left empty (zeroed). */
int	codec_decode(const uint8_t *buf, size_t len, struct ike_msg *msg,
	    struct codec_diag *diag);

/* The regions of the SK (or SKF) payload of a decoded message, for
 * iv_len and icv_len given by the negotiated algorithms.  aad runs from
 * the IKE header to the end of the SK payload header (for SKF, to the
 * end of Total Fragments): what AEAD ciphers authenticate (RFC 5282
 * s. 5.1), and what precedes iv in what an integrity ICV covers.  All
 * borrowed from the datagram.  IKE_ENOTFOUND without SK or SKF;
 * IKE_EMALFORMED when its data is shorter than iv_len + icv_len + 1. */
struct sk_view {
	struct ike_slice	 aad, iv, ct, icv;
	uint8_t			 first;	/* SK/SKF Next Payload */
};
int	codec_sk_view(const struct ike_msg *, size_t iv_len, size_t icv_len,
	    struct sk_view *out);

/* pt is decrypted SK content: payloads, Padding, Pad Length.  Writes
 * the length of the payloads to *data_len; IKE_EMALFORMED when Pad
 * Length points before the start. */
int	codec_sk_unpad(const uint8_t *pt, size_t len, size_t *data_len);

/* Decodes the inner payload chain (unpadded) of msg's SK payload,
 * starting with type `first`, and appends it to msg with encrypted set.
 * The new payloads borrow data.  On failure msg is as it was. */
int	codec_decode_inner(struct ike_msg *msg, uint8_t first,
	    const uint8_t *data, size_t len, struct codec_diag *diag);

/* How codec_encode() lays out a new SK payload. */
struct sk_params {
	size_t	iv_len;		/* IV octets, reserved as zeros */
	size_t	block_len;	/* plaintext multiple; 0 or 1: any */
	size_t	icv_len;	/* ICV octets, reserved as zeros */
};
/* Where it landed, as offsets into the writer's buffer: encrypt pt in
 * place with the AAD (or, with an integrity algorithm, MAC aad | iv |
 * ct), then write the IV and the ICV. */
struct sk_layout {
	size_t	aad_off, aad_len;
	size_t	iv_off;
	size_t	pt_off, pt_len;	/* payloads, Padding, Pad Length */
	size_t	icv_off;
};

/* Appends the message to w: the header (Next Payload and Length
 * computed), then each payload not marked encrypted, in order.
 * Without skp an SK or SKF payload is written as decoded: its Next
 * Payload from pl->next, its data as is (and encrypted payloads are
 * not written).  With skp the SK payload is built: its Next Payload is
 * that of the first encrypted payload, then IV space, the encrypted
 * payloads, zero Padding and Pad Length to a multiple of block_len,
 * and ICV space; *lay says where.  (For SKF with skp, data is taken as
 * the plaintext fragment, a piece of codec_encode_inner()'s output, and
 * pl->next is written as is.)  Each payload must pass the checks the
 * decoder makes of that payload alone (nonce and ID sizes, Notify and
 * Delete SPIs, SKF numbers, CP and EAP values, ...); proposals get their
 * "last" markers and Num Transforms from the arrays, but their numbers,
 * protocols and SPI sizes are written as given, and which payloads the
 * message holds is rules_check()'s business.  IKE_EINVAL for what
 * cannot be written (an SK payload not last, an SPI wider than its
 * size, an empty SA or TS payload, a range outside the arrays, padding
 * over 255 octets); IKE_ENOSPC or IKE_ENOMEM from the writer, whose
 * buffer then holds a partial message to discard. */
int	codec_encode(const struct ike_msg *, const struct sk_params *skp,
	    struct wr *w, struct sk_layout *lay);
/* Appends the chain of encrypted payloads alone (no padding) and
 * writes the type of its first payload (0 if none) to *first. */
int	codec_encode_inner(const struct ike_msg *, struct wr *w,
	    uint8_t *first);

/* Looking things up in a decoded message.  Each returns NULL when
 * there is none; `after` (a payload of the same message, or NULL for
 * the start) continues a search.  Skipped payloads are not found. */
const struct ike_pl *ike_msg_find(const struct ike_msg *, uint8_t type,
	    const struct ike_pl *after);
const struct ike_pl *ike_msg_notify(const struct ike_msg *, uint16_t ntype);
/* The i-th SPI of a Delete payload for AH/ESP. */
int	ike_msg_delete_spi(const struct pl_delete *, size_t i,
	    uint32_t *spi);

/* Building a message to encode.  Each adds to the fixed arrays and
 * fails with IKE_ENOSPC when one is full; proposals go to the SA payload
 * added last, transforms to the proposal added last (IKE_EINVAL
 * otherwise), so that each owner's range stays contiguous.  Slices are
 * borrowed: they must live until codec_encode(). */
void	ike_msg_init(struct ike_msg *, const struct ike_hdr *);
int	ike_msg_add(struct ike_msg *, uint8_t type, bool encrypted,
	    struct ike_pl **out);
int	ike_msg_add_prop(struct ike_msg *, struct ike_pl *sa, uint8_t proto,
	    uint8_t spi_size, uint64_t spi);
/* key_bits != 0 adds a Key Length attribute. */
int	ike_msg_add_xform(struct ike_msg *, uint8_t type, uint16_t id,
	    uint16_t key_bits);
int	ike_msg_add_ts(struct ike_msg *, struct ike_pl *ts,
	    const struct ike_tsel *);
int	ike_msg_add_cpattr(struct ike_msg *, struct ike_pl *cp,
	    uint16_t type, const uint8_t *value, size_t len);
/* The Key Length attribute of a transform in bits; 0 when it has none. */
uint16_t ike_xform_key_bits(const struct ike_msg *, const struct ike_xform *);

#endif
