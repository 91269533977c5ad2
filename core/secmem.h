/* core/secmem.h: wiping secrets.  Used instead of memset so that the
 * compiler cannot drop the store. */
#ifndef IKE_SECMEM_H
#define IKE_SECMEM_H

#include <stddef.h>

void	secmem_wipe(void *p, size_t n);	/* NULL-safe */

#endif
