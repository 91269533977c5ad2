#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "platform.h"

static enum log_level	log_level = LOGLVL_ERRORS;
static bool		log_stderr;
static char		log_ident[32] = "ike";

static const char *const sub_names[LOG_NSUB] = {
	"IKE", "CHD", "ENC", "KNL", "NET", "DB", "CFG", "CTL",
};

void
log_open(const char *ident)
{
	snprintf(log_ident, sizeof(log_ident), "%s", ident);
	plat_log_open(log_ident, LOG_DAEMON);
}

void
log_set_level(enum log_level l)
{
	log_level = l;
}

enum log_level
log_get_level(void)
{
	return log_level;
}

void
log_set_stderr(bool on)
{
	log_stderr = on;
}

static const struct {
	const char	*name;
	enum log_level	 level;
} level_names[] = {
	{ "none", LOGLVL_NONE },
	{ "errors", LOGLVL_ERRORS },
	{ "error", LOGLVL_ERRORS },
	{ "events", LOGLVL_EVENTS },
	{ "isakmp_events", LOGLVL_EVENTS },
	{ "information", LOGLVL_INFORMATION },
};

int
log_level_parse(const char *s, enum log_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i].name) == 0) {
			*out = level_names[i].level;
			return 0;
		}
	}
	return IKE_EINVAL;
}

const char *
log_level_name(enum log_level l)
{
	switch (l) {
	case LOGLVL_NONE:		return "none";
	case LOGLVL_ERRORS:		return "errors";
	case LOGLVL_EVENTS:		return "events";
	case LOGLVL_INFORMATION:	return "information";
	}
	return "unknown";
}

bool
log_enabled(int priority)
{
	switch (log_level) {
	case LOGLVL_NONE:
		return false;
	case LOGLVL_ERRORS:
		return priority <= LOG_ERR;
	case LOGLVL_EVENTS:
		return priority <= LOG_INFO;
	case LOGLVL_INFORMATION:
		return true;
	}
	return false;
}

void
log_msg(int priority, enum log_sub sub, const char *func, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	if (!log_enabled(priority))
		return;
	n = snprintf(line, sizeof(line), "[%s] %s: ",
	    (unsigned)sub < LOG_NSUB ? sub_names[sub] : "?", func);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	va_start(ap, fmt);
	/* A truncated line is still worth logging. */
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	plat_log(priority, line);
	if (log_stderr)
		fprintf(stderr, "%s: %s\n", log_ident, line);
}
