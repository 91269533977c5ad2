/* core/crypto/ike_key.h: a secret byte string (a shared secret, SKEYSEED,
 * an SK_* key, KEYMAT).  The bytes are visible so that callers can hand
 * them on (to the kernel, to another crypto call); ike_key_free() wipes
 * them with OPENSSL_cleanse before freeing. */
#ifndef IKE_IKE_KEY_H
#define IKE_IKE_KEY_H

#include <stddef.h>
#include <stdint.h>

struct ike_key {
	size_t	len;
	uint8_t	data[];		/* len bytes, owned by the key */
};

/* New key of len bytes, all zero; caller frees with ike_key_free(). */
int	ike_key_new(size_t len, struct ike_key **out);
/* New key holding a copy of p[0..len); caller frees with ike_key_free(). */
int	ike_key_from(const void *p, size_t len, struct ike_key **out);
/* Takes the next len octets of a key stream at *p as a new key and
 * advances *p; len 0 gives *out NULL.  For splitting derived keying
 * material (IKEv2 SK_*, IKEv1 KEYMAT). */
int	ike_key_cut(const uint8_t **p, size_t len, struct ike_key **out);
/* Wipes and frees; NULL is fine. */
void	ike_key_free(struct ike_key *);

#endif
