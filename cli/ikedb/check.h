/* cli/ikedb/check.h: the rules that relate several attributes of one
 * element (and its children), called by the parser when an element ends.
 * Each takes the element's record and the IKE version in effect (0 if
 * unknown) and returns 0, or -1 with *e saying what is wrong. */
#ifndef IKEDB_CHECK_H
#define IKEDB_CHECK_H

#include "schema.h"

int	chk_ike_protection(const void *, unsigned, struct sch_err *);
int	chk_ike_tunnel(const void *, unsigned, struct sch_err *);
int	chk_group(const void *, unsigned, struct sch_err *);
int	chk_esp(const void *, unsigned, struct sch_err *);
int	chk_ipsec_tunnel(const void *, unsigned, struct sch_err *);
int	chk_p2ident(const void *, unsigned, struct sch_err *);
int	chk_subnet(const void *, unsigned, struct sch_err *);
int	chk_range(const void *, unsigned, struct sch_err *);

#endif
