/* core/paths.h: where the database, the control socket and the
 * configuration live.  Defaults can be overridden by the environment
 * (IKE_DB, IKE_SOCKET, IKE_CONF) and, in isakmpd, by -D, -S and -f, so
 * that several instances can run side by side. */
#ifndef IKE_PATHS_H
#define IKE_PATHS_H

#define IKE_DEFAULT_DB		"/var/lib/ike"
#define IKE_DEFAULT_SOCKET	"/var/run/isakmpd.sock"
#define IKE_DEFAULT_CONF	"/etc/isakmpd.conf"

/* The environment's value if set and non-empty, else the default.
 * Borrowed: valid until the environment changes. */
const char	*ike_path_db(void);
const char	*ike_path_socket(void);
const char	*ike_path_conf(void);

#endif
