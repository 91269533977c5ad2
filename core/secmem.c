#include "secmem.h"

#include <string.h>

void
secmem_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	if (p == NULL)
		return;
	while (n-- > 0)
		*v++ = 0;
}
