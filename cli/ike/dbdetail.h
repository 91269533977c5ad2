/* cli/ike/dbdetail.h: the verbose lines of `ike cmd=list db verbose`:
 * every stored attribute of a tunnel definition and of what it
 * references (protection, transforms, proposals, groups), never a
 * preshared key (only whether one is configured). */
#ifndef IKE_CLI_DBDETAIL_H
#define IKE_CLI_DBDETAIL_H

#include "db/db.h"
#include "listfmt.h"

struct dbdetail {
	struct listfmt	*lf;		/* borrowed */
	struct db_txn	*txn;		/* borrowed */
	struct db_obj	*obj;		/* owned scratch record */
};

/* IKE_ENOMEM if the scratch record cannot be allocated. */
int	dbdetail_init(struct dbdetail *, struct listfmt *, struct db_txn *);
void	dbdetail_free(struct dbdetail *);	/* wipes the scratch */

/* Prints the details of a tunnel (after listfmt_row()).  A reference
 * that is not in the database is shown as such; other database errors
 * are returned. */
int	dbdetail_p1(struct dbdetail *, const struct db_ike_tunnel *);
int	dbdetail_p2(struct dbdetail *, const struct db_ipsec_tunnel *);

#endif
