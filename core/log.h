/* core/log.h: logging with a subsystem tag and the function name.
 * Lines go to the platform's log function (syslog) and, when enabled,
 * to standard error.  Which lines pass depends on the configured level
 * (isakmpd.conf log_level). */
#ifndef IKE_LOG_H
#define IKE_LOG_H

#include <stdbool.h>
#include <syslog.h>

enum log_sub {
	LOG_IKE, LOG_CHD, LOG_ENC, LOG_KNL, LOG_NET, LOG_DB, LOG_CFG, LOG_CTL,
	LOG_NSUB
};

/* The isakmpd.conf levels, each including the ones before it. */
enum log_level {
	LOGLVL_NONE = 0,	/* nothing */
	LOGLVL_ERRORS,		/* LOG_ERR and worse */
	LOGLVL_EVENTS,		/* + warnings, notices, info */
	LOGLVL_INFORMATION,	/* + debug */
};

/* Opens the platform log (syslog) under ident; ident is copied. */
void		 log_open(const char *ident);
void		 log_set_level(enum log_level);
enum log_level	 log_get_level(void);
void		 log_set_stderr(bool);
/* Parses none/errors/error/events/isakmp_events/information (any case). */
int		 log_level_parse(const char *, enum log_level *);
const char	*log_level_name(enum log_level);
bool		 log_enabled(int priority);

void	log_msg(int priority, enum log_sub, const char *func, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));

#define log_err(sub, ...)	log_msg(LOG_ERR, sub, __func__, __VA_ARGS__)
#define log_warn(sub, ...)	log_msg(LOG_WARNING, sub, __func__, __VA_ARGS__)
#define log_info(sub, ...)	log_msg(LOG_INFO, sub, __func__, __VA_ARGS__)
#define log_dbg(sub, ...)	log_msg(LOG_DEBUG, sub, __func__, __VA_ARGS__)

#endif
