/* cli/ikedb/dtd.h: the DTD of the format (ikedb -o), generated from the
 * schema table; it describes exactly the documents ikedb -g writes. */
#ifndef IKEDB_DTD_H
#define IKEDB_DTD_H

#include <stdio.h>

void	dtd_print(FILE *);

#endif
