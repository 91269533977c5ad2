/* cli/ikedb/print.h: writes objects as the XML of docs/ikedb-xml.md,
 * from the schema table: two-space indentation, one element per line,
 * attributes in table order with their canonical spellings, every
 * attribute that applies, values escaped.  What it writes, ikedb -p
 * reads back into the same records. */
#ifndef IKEDB_PRINT_H
#define IKEDB_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "db/model.h"

void	print_begin(FILE *);		/* <?xml ...?> and <AIX_VPN ...> */
void	print_end(FILE *);		/* </AIX_VPN> */
/* keys: print preshared keys (ikedb -k), else Value="*". */
void	print_obj(FILE *, const struct db_obj *, bool keys);

/* Writes s escaped for an attribute value in double quotes. */
void	print_escaped(FILE *, const char *s);

#endif
