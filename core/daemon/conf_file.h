/* core/daemon/conf_file.h: reading isakmpd.conf from disk for the pure
 * parser in core/conf.h.  A missing file means the defaults. */
#ifndef IKE_CONF_FILE_H
#define IKE_CONF_FILE_H

#include <stdbool.h>

#include "../conf.h"

#define CONF_FILE_MAX		(256u * 1024)	/* bytes */
#define CONF_FILE_MAX_TEXT	"256 KiB"

/* Reads and parses path.  0 on success, with *missing set when the file
 * does not exist (then *out is conf_defaults()).  IKE_EINVAL: the text is
 * wrong; IKE_ESYS: the file cannot be read; IKE_ENOSPC: it is over
 * CONF_FILE_MAX.  rep->error says why; *out is left alone on error. */
int	conf_file_load(const char *path, struct ike_conf *out, bool *missing,
	    struct conf_report *rep);

/* Calls fn with each warning kept in rep, then with a line counting the
 * ones that were not kept, if any. */
void	conf_file_warnings(const struct conf_report *,
	    void (*fn)(void *arg, const char *line), void *arg);

#endif
