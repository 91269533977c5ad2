/* cli/ike/listfmt.h: how `ike cmd=list` prints tunnels, for database
 * definitions (db) and for the daemon's active tunnels alike.
 *
 * Concise form: a header, then one line per tunnel, columns 7/8/12/32
 * wide, left-aligned and space-padded, the last one unpadded:
 *
 *	Phase  Tun Id  Status      Local Id                        Remote Id
 *	1      1       Active      192.0.2.1                       198.51.100.7
 *
 * A value as wide as its column or wider is followed by one space, so
 * columns never run together.  The header is printed with the first
 * tunnel: nothing at all is printed when there is no tunnel.
 *
 * Verbose form: one "Label: value" line each, a blank line between
 * tunnels.  Every tunnel starts with Phase, Tun Id, Status, Local Id and
 * Remote Id (the concise values), followed by its details.
 *
 * Control characters in values are printed as '?'. */
#ifndef IKE_CLI_LISTFMT_H
#define IKE_CLI_LISTFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define LISTFMT_HEADER	"Phase  Tun Id  Status      Local Id" \
			"                        Remote Id"

struct lf_row {
	unsigned	 phase;		/* 1 or 2 */
	uint32_t	 num;		/* tunnel number */
	const char	*status;	/* Active, Dormant, ... */
	const char	*local;		/* identities as listed */
	const char	*remote;
};

struct listfmt {
	FILE		*out;		/* borrowed */
	bool		 verbose;
	unsigned long	 nrows;		/* tunnels printed so far */
};

void	listfmt_init(struct listfmt *, FILE *out, bool verbose);
/* Starts a tunnel: its concise line, or the first verbose lines. */
void	listfmt_row(struct listfmt *, const struct lf_row *);
/* A detail line of the current tunnel; nothing in concise form. */
void	listfmt_kv(struct listfmt *, const char *label, const char *value);
/* Writes the n bytes at s and a newline, control characters as '?'. */
void	listfmt_line(FILE *, const char *s, size_t n);
void	listfmt_kvf(struct listfmt *, const char *label, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
