/* core/daemon/status.h: the STATUS reply's key/value pairs: version,
 * pid, backend, log level, paths, counters and the configuration. */
#ifndef IKE_STATUS_H
#define IKE_STATUS_H

#include "../codec/wr.h"

struct isakmpd;

/* Appends one CTL_A_KV per item to a reply being built. */
void	status_put(const struct isakmpd *, struct wr *);

#endif
