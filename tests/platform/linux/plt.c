/* tests/platform/linux/plt.c: see plt.h. */
#include "plt.h"

#include <sys/socket.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/log.h"

static FILE	*cap;
static int	 saved_fd = -1;

struct ike_addr
plt_addr(const char *text)
{
	struct ike_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.addr) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.addr) == 1)
		a.family = AF_INET6;
	else
		fail_msg("bad address %s", text);
	return a;
}

struct ike_ts
plt_ts(const char *start, const char *end, uint8_t proto)
{
	struct ike_addr s = plt_addr(start), e = plt_addr(end);
	struct ike_ts ts;

	memset(&ts, 0, sizeof(ts));
	ts.family = s.family;
	ts.proto = proto;
	ts.eport = 65535;
	memcpy(ts.start, s.addr, sizeof(ts.start));
	memcpy(ts.end, e.addr, sizeof(ts.end));
	return ts;
}

void
plt_log_capture(void)
{
	assert_null(cap);
	assert_non_null(cap = tmpfile());
	fflush(stderr);
	assert_true((saved_fd = dup(STDERR_FILENO)) != -1);
	assert_int_equal(dup2(fileno(cap), STDERR_FILENO), STDERR_FILENO);
	log_set_stderr(true);
}

char *
plt_log_end(void)
{
	char *text;
	long n;

	assert_non_null(cap);
	fflush(stderr);
	log_set_stderr(false);
	assert_int_equal(dup2(saved_fd, STDERR_FILENO), STDERR_FILENO);
	close(saved_fd);
	saved_fd = -1;
	assert_int_equal(fseek(cap, 0, SEEK_END), 0);
	assert_true((n = ftell(cap)) >= 0);
	rewind(cap);
	assert_non_null(text = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(text, 1, (size_t)n, cap), (size_t)n);
	fclose(cap);
	cap = NULL;
	return text;
}

size_t
plt_lines(const char *text)
{
	size_t n = 0;

	for (; *text != '\0'; text++)
		n += *text == '\n';
	return n;
}
