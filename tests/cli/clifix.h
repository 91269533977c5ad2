/* tests/cli/clifix.h: a tunnel-definition database for the ike tests,
 * written with db_put() into a real LMDB directory.
 *
 * Phase 1 (numbers in put order):
 *	1 hq	 192.0.2.1 -> 198.51.100.7			p1-v2
 *	2 branch gw.example.com -> admin@branch.example.org	p1-v1
 *	3 v6	 2001:db8::1 -> C=US, O=IBM, CN=peer		p1-v2
 * Phase 2:
 *	1 hq-lan	under hq	10.1.0.0/24 -> 10.2.0.0/24	p2
 *	2 branch-web	under branch	192.0.2.1 tcp/443 -> 10.3.0.10-20
 *	3 hq-host	under hq	192.0.2.1 -> group offices
 *	4 v6-net	under v6	2001:db8:1::/48 -> 2001:db8:2::5 */
#ifndef IKE_TESTS_CLIFIX_H
#define IKE_TESTS_CLIFIX_H

#define CLIFIX_PSK1	"correct horse battery staple"
#define CLIFIX_PSK2	"s3cr3t-branch-key"

/* Creates the database in dir (which may exist, empty).  0 or -1. */
int	clifix_make_db(const char *dir);
/* The same, but branch-web does not autostart: for a live isakmpd, which
 * would start negotiating it.  0 or -1. */
int	clifix_make_quiet_db(const char *dir);
/* Creates a database whose references dangle (db_put() does not check
 * them): phase 1 "lone" (192.0.2.9 -> 198.51.100.9) uses the missing
 * protection "gone"; phase 2 "orphan" (10.5.0.1 -> 10.6.0.1) runs under
 * the missing phase 1 "nowhere" with the protection "p2x", which names
 * the missing proposal "nothing".  0 or -1. */
int	clifix_make_dangling_db(const char *dir);
/* Creates an empty database in dir.  0 or -1. */
int	clifix_make_empty_db(const char *dir);

#endif
