/* tests/db/dbt.h: what the database tests share: objects with every
 * field set, and one-call wrappers around db_write() and read
 * transactions. */
#ifndef IKE_TESTS_DBT_H
#define IKE_TESTS_DBT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* Fills o (zeroed first) with an object of type whose every field has a
 * non-default value and every array is full; seed varies the values and
 * the name. */
void	dbt_full(struct db_obj *o, enum db_type type, unsigned seed);
/* A small valid object of type named name (for a preshared key: the
 * IPV4_Address identity name). */
void	dbt_small(struct db_obj *o, enum db_type type, const char *name);
/* Copies s into a char array of n bytes, NUL-terminated. */
void	dbt_str(char *dst, size_t n, const char *s);

/* Opens (creating) a new database in a fresh scratch dir; the dir is
 * written to dir (PATH_MAX bytes). */
struct db	*dbt_open_new(char *dir);

int	dbt_put(struct db *, struct db_obj *o, bool replace);
int	dbt_get(struct db *, enum db_type, const char *key,
	    struct db_obj *out);
int	dbt_del(struct db *, enum db_type, const char *key,
	    struct db_ref *ref);
int	dbt_clear(struct db *);
int	dbt_count(struct db *, enum db_type, uint64_t *out);
int	dbt_check(struct db *, struct db_ref *ref);

#endif
