/* core/hashmix.h: the bucket of a 64-bit key in a power-of-two table,
 * for the hash chains of the SA table, the tunnel table and the
 * in-memory backend.  The key's bits are mixed first (the finaliser of
 * MurmurHash3, public domain: two xor-shifts around a multiply), since
 * SPIs, handles and FNV sums carry their information unevenly. */
#ifndef IKE_HASHMIX_H
#define IKE_HASHMIX_H

#include <stddef.h>
#include <stdint.h>

/* nb: the number of buckets, a power of two. */
static inline size_t
hash_bucket(uint64_t x, size_t nb)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & (nb - 1);
}

#endif
