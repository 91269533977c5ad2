/* core/platform.h: all the core needs from the operating system.
 *
 * Every backend under platform/<name>/ fills in one struct plat_ops; the
 * daemon chooses one at start (-K).  Calls return 0 or a negative IKE_E*.
 * Records, not argument lists: a new field breaks no backend, and zero
 * means "unused".  This header grows with the IKE engine; a function is
 * declared here only once every backend and the in-memory one define it. */
#ifndef IKE_PLATFORM_H
#define IKE_PLATFORM_H

#include <stddef.h>

struct event_base;
struct plat;			/* backend state, opaque to core */

struct plat_upcalls {		/* kernel -> core, from the event loop */
	void	*arg;
};

struct plat_ops {
	const char	*name;	/* what -K selects: "mem", "linux", ... */
	int	(*open)(struct plat **out, struct event_base *,
		    const struct plat_upcalls *);
	void	(*close)(struct plat *);
};

/* Backends built into this program; NULL-terminated. */
extern const struct plat_ops *const plat_backends[];

/* The backend -K uses when not given. */
const char	*plat_default_backend(void);

/* Opens backend `name`; IKE_ENOTFOUND if it is not built in.  The result
 * is freed with plat_close(). */
int	plat_open(const char *name, struct event_base *,
	    const struct plat_upcalls *, struct plat **out);
void	plat_close(struct plat *);	/* NULL is fine */
const char *plat_name(const struct plat *);

/* Logging: syslog on every POSIX system.  ident is borrowed and must stay
 * valid until the next plat_log_open(). */
void	plat_log_open(const char *ident, int facility);
void	plat_log(int priority, const char *line);

#endif
