/* cli/ikedb/value.h: reading and writing one attribute value, by the
 * kind the schema gives it.  Values are read case-insensitively and
 * stored in canonical form (addresses as inet_ntop() writes them, hex in
 * lower case, enumerations as numbers), so that printing what was read
 * gives the canonical spelling. */
#ifndef IKEDB_VALUE_H
#define IKEDB_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

#define VAL_MAX		1024	/* longest formatted value, with NUL */

/* What val_parse() returns for IKEPresharedKey Value="*": the record's
 * key is left empty and the stored key is to be kept. */
#define VAL_KEEP	1

/* Parses s as the value of a into the record rec.  version is the IKE
 * version in effect, 0 if unknown.  Returns 0 (or VAL_KEEP), or -1 with
 * e->msg saying what is wrong (not naming element or attribute). */
int	val_parse(const struct sch_attr *a, const char *s, void *rec,
	    unsigned version, struct sch_err *e);

/* Writes the value of a in rec to buf (VAL_MAX bytes).  Returns 1 if the
 * attribute is to be printed, 0 if it is absent or does not apply (see
 * the SA_* flags); secrets false prints a key as "*". */
int	val_format(const struct sch_attr *a, const void *rec,
	    unsigned version, bool secrets, char *buf, size_t n);

/* The canonical values of an enumerated attribute (SK_ENUM, SK_BOOL,
 * SK_DH), separated by sep.  Returns the number of values, 0 if the
 * attribute is not enumerated. */
int	val_enum_list(const struct sch_attr *a, const char *sep, char *buf,
	    size_t n);

/* The canonical spelling of IP protocol p (tcp, 50, ...) in buf. */
const char	*val_proto_name(unsigned p, char *buf, size_t n);

/* Identity helpers for the command line (-i/-y) and the checks. */
int	val_ident_family(const struct db_ident *);	/* AF_INET, AF_INET6
							 * or 0 */

#endif
