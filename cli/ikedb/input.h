/* cli/ikedb/input.h: reading the definition file and the -e entity
 * file, and checking that the entity file holds nothing but entity
 * declarations. */
#ifndef IKEDB_INPUT_H
#define IKEDB_INPUT_H

#include <stddef.h>

#define INPUT_MAX	(64u << 20)	/* bytes of one file */

/* Reads the whole file (path "-": standard input) into a new buffer,
 * NUL-ended; caller wipes and frees it.  IKE_EINVAL if it cannot be
 * opened or is too large (the user named the wrong file), IKE_ESYS if
 * reading fails, IKE_ENOMEM; a message naming the file in err. */
int	ent_read_file(const char *path, char **buf, size_t *len, char *err,
	    size_t errlen);

/* Checks that text holds only <!ENTITY ...> declarations (general
 * entities), comments and white space, optionally after a text
 * declaration.  IKE_EINVAL with "name:line: ..." in err if not. */
int	ent_check(const char *text, const char *name, char *err,
	    size_t errlen);

/* The path of sysid relative to the directory of base (a file name);
 * base NULL or sysid absolute: sysid ("-" is a file named so, never
 * standard input).  Caller frees. */
char	*ent_resolve(const char *base, const char *sysid);

#endif
