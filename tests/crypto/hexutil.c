#include "hexutil.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct hx_node {
	struct hx_node	*next;
	uint8_t		 data[];
};

static struct hx_node *hx_list;

uint8_t *
hx_buf(size_t n)
{
	struct hx_node *b;

	b = calloc(1, sizeof(*b) + n + 1);
	assert_non_null(b);
	b->next = hx_list;
	hx_list = b;
	return b->data;
}

static int
hx_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

uint8_t *
hx(const char *s, size_t *len)
{
	uint8_t *out = hx_buf(strlen(s) / 2);
	size_t n = 0;
	int hi = -1, v;

	for (; *s != '\0'; s++) {
		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		if ((v = hx_nibble(*s)) < 0)
			fail_msg("bad hex digit '%c' in test vector", *s);
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		fail_msg("odd number of hex digits in test vector");
	if (len != NULL)
		*len = n;
	return out;
}

int
hx_teardown(void **state)
{
	struct hx_node *b;

	(void)state;
	while ((b = hx_list) != NULL) {
		hx_list = b->next;
		free(b);
	}
	return 0;
}
