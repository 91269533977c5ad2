/* tests/platform/linux/plt.h: what the Linux backend tests share:
 * addresses and selectors from text, keys, and capturing the log lines
 * the backend writes (to standard error) during a call. */
#ifndef IKE_TEST_PLT_H
#define IKE_TEST_PLT_H

#include <stddef.h>
#include <stdint.h>

#include "core/platform.h"

struct ike_addr	 plt_addr(const char *text);		/* IPv4 or IPv6 */
/* start..end, all ports, protocol proto. */
struct ike_ts	 plt_ts(const char *start, const char *end, uint8_t proto);

/* Starts capturing log lines (errors and worse reach standard error). */
void	plt_log_capture(void);
/* Stops capturing; returns what was logged since, NUL-ended (free()). */
char	*plt_log_end(void);
/* Lines in text. */
size_t	plt_lines(const char *text);

#endif
