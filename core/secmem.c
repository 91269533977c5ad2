#include "secmem.h"

#include <string.h>

/* memset called through a volatile pointer: the compiler cannot know
 * which function it calls, so it cannot drop the call as a dead store
 * (C11 memset_s and explicit_bzero are not everywhere: AIX).  One call
 * instead of a byte loop: definitions of 20 KB are wiped per
 * handshake. */
static void *(*const volatile wipe_fn)(void *, int, size_t) = memset;

void
secmem_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
	(void)wipe_fn(p, 0, n);
}
