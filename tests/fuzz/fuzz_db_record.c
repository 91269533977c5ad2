/* libFuzzer target for db/record.c: any input either decodes, or is
 * refused without touching the output; what decodes encodes again and
 * decodes to the same object. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/codec/wr.h"
#include "db/record.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct db_obj a, b, pattern;
	struct wr w;

	memset(&pattern, 0x5a, sizeof(pattern));
	memcpy(&a, &pattern, sizeof(a));
	if (record_decode(data, size, DB_T_COUNT, &a) != 0) {
		if (memcmp(&a, &pattern, sizeof(a)) != 0)
			abort();	/* partial output */
		return 0;
	}
	wr_init(&w, 0);
	if (record_encode(&a, &w) != 0)
		abort();		/* decoded but cannot be stored */
	memset(&b, 0, sizeof(b));
	if (record_decode(w.buf, w.len, a.type, &b) != 0 ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();		/* not a round trip */
	wr_free(&w);
	return 0;
}
