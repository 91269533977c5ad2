/* core/daemon/pidfile.h: the flock()ed pidfile that keeps a second
 * isakmpd off the same socket.  The lock lives as long as the open file
 * (across fork), so a killed daemon leaves no lock behind. */
#ifndef IKE_PIDFILE_H
#define IKE_PIDFILE_H

#include <stddef.h>

struct pidfile;

/* The pidfile that goes with a socket path: a trailing ".sock" becomes
 * ".pid", otherwise ".pid" is appended.  IKE_ENOSPC if it does not fit
 * in len bytes. */
int	pidfile_default_path(const char *sock, char *buf, size_t len);

/* Opens or creates path (0644) and locks it.  IKE_EBUSY when another
 * process holds the lock: *owner is the pid written in the file, or 0
 * if it is empty or unreadable.  IKE_ESYS otherwise (errno kept).  The
 * result is released with pidfile_remove(). */
int	pidfile_lock(const char *path, struct pidfile **out, long *owner);

/* Replaces the file's contents with "pid\n". */
int	pidfile_write(struct pidfile *, long pid);

/* Unlinks the file, releases the lock and frees; NULL is fine. */
void	pidfile_remove(struct pidfile *);

#endif
