/* core/codec/wr.h: the writer that mirrors rd.h.  It appends to a growable
 * buffer, writes integers in network byte order and back-patches lengths.
 * After the first failure every further call is a no-op and wr_error()
 * reports it, so a sequence of writes needs one check at the end. */
#ifndef IKE_WR_H
#define IKE_WR_H

#include <stddef.h>
#include <stdint.h>

struct wr {
	uint8_t		*buf;	/* owned; wiped and freed by wr_free() */
	size_t		 len;
	size_t		 cap;
	size_t		 max;	/* hard limit on len; 0 means 16 MiB */
	int		 err;	/* first error, 0 if none */
};

void	wr_init(struct wr *, size_t max);
void	wr_free(struct wr *);		/* wipes the buffer; NULL-safe */
int	wr_error(const struct wr *);
void	wr_u8(struct wr *, uint8_t);
void	wr_u16(struct wr *, uint16_t);	/* host -> network order */
void	wr_u32(struct wr *, uint32_t);
void	wr_u64(struct wr *, uint64_t);
void	wr_bytes(struct wr *, const void *, size_t);
/* Reserves a 16- or 32-bit length field; returns its offset for patching. */
size_t	wr_mark16(struct wr *);
size_t	wr_mark32(struct wr *);
/* Writes the number of bytes after the field (or after `from`) into it. */
void	wr_patch16(struct wr *, size_t mark, size_t from);
void	wr_patch32(struct wr *, size_t mark, size_t from);

#endif
