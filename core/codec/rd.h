/* core/codec/rd.h: the one bounds-checked reader for bytes from outside
 * (datagrams, control messages, database records).  A failed read returns
 * IKE_ESHORT and leaves the cursor where it was. */
#ifndef IKE_RD_H
#define IKE_RD_H

#include <stddef.h>
#include <stdint.h>

/* A borrowed view into someone else's buffer. */
struct ike_slice {
	const uint8_t	*p;
	size_t		 len;
};

struct rd {
	const uint8_t	*p;	/* borrowed: next unread byte */
	size_t		 left;	/* bytes remaining */
};

void	rd_init(struct rd *, const void *buf, size_t len);
int	rd_u8(struct rd *, uint8_t *);
int	rd_u16(struct rd *, uint16_t *);	/* network -> host order */
int	rd_u32(struct rd *, uint32_t *);
int	rd_u64(struct rd *, uint64_t *);
int	rd_bytes(struct rd *, void *dst, size_t n);	/* copies n bytes */
int	rd_slice(struct rd *, size_t n, struct ike_slice *);	/* borrowed */
int	rd_sub(struct rd *, size_t n, struct rd *sub);	/* bounded child */
int	rd_skip(struct rd *, size_t n);

#endif
