/* platform/posix/syslog.c: plat_log over syslog(3), shared by the POSIX
 * backends. */
#include "../../core/platform.h"

#include <syslog.h>

void
plat_log_open(const char *ident, int facility)
{
	closelog();
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

void
plat_log(int priority, const char *line)
{
	syslog(priority, "%s", line);
}
