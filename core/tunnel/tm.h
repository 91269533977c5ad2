/* core/tunnel/tm.h: the active tunnel table: what the daemon has
 * started or answered, numbered by the daemon (phase 1 and phase 2 each
 * from 1, independent of the database's definition numbers), with
 * state, role, the definition it came from, the engine's handles and
 * what was negotiated.  Pure data: the daemon feeds it engine events.
 *
 * The entries form a list in creation order (head, next) that callers
 * may walk, and two hash indexes: by (phase, num), filed by tm_add(),
 * and by handle, filed lazily at the first lookup after tm_add(), so
 * the caller sets an entry's handle right after tm_add() (before the
 * next tm_find*, tm_del_children or tm_expire call) and never changes
 * it afterwards.  Lookups cost O(1) on average, whatever the number of
 * entries. */
#ifndef IKE_TM_H
#define IKE_TM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ike/cfg.h"
#include "db/model.h"

#define TM_ID_MAX	(2 * CFG_ID_MAX + 1)	/* listed identity (KEY_ID in
						 * hex), "start-end" */
#define TM_REASON_MAX	96

enum tm_state { TM_NEGOTIATING = 1, TM_ACTIVE, TM_EXPIRED };

struct tm_tunnel {
	struct tm_tunnel	*next;		/* owned by the list */
	struct tm_tunnel	*prev;		/* the list, backwards */
	struct tm_tunnel	*hnext_num;	/* tm.c's index by num */
	struct tm_tunnel	*hnext_handle;	/* tm.c's index by handle */
	uint32_t		 ix_handle;	/* filed under; tm.c's */
	bool			 filed;		/* in the handle index */
	bool			 exp_counted;	/* in tm.c's expired count */
	uint8_t			 phase;		/* 1 or 2 */
	uint32_t		 num;		/* active tunnel number */
	uint32_t		 parent;	/* phase 2: its phase 1's num */
	uint32_t		 def_num;	/* definition; 0: default
						 * protection */
	char			 def_name[DB_NAME_MAX];
	enum tm_state		 state;
	char			 role;		/* 'i' or 'r' */
	uint32_t		 handle;	/* the engine's IKE SA */
	char			*local, *remote;	/* owned (tm_set_ids(),
						 * tm_set_ts()); never NULL:
						 * "" until set */
	char			 reason[TM_REASON_MAX];	/* Expired: why */
	uint8_t			 version;	/* IKE_VERSION_1 or _2; 0:
						 * not known yet (listed 2) */
	bool			 aggressive;	/* IKEv1 Aggressive Mode */
	uint8_t			 auth;		/* phase 1: enum cfg_auth */
	/* phase 1, once up */
	uint64_t		 spi_i, spi_r;
	uint16_t		 encr, key_bits, integ, prf, dh;	/* IKEv2
						 * IDs, also for IKEv1 (integ
						 * 0: its Hash is the PRF) */
	/* phase 2, once up */
	uint32_t		 spi_in, spi_out;
	enum plat_mode		 mode;
	uint16_t		 pfs;
	uint64_t		 lifetime_s;
};

struct tm_index;

struct tm_table {
	struct tm_tunnel	*head;		/* owned; in creation order */
	uint32_t		 next_num[2];	/* phase 1, phase 2 */
	struct tm_tunnel	*tail;		/* last of the list */
	struct tm_index		*ix;		/* owned, tm.c's; NULL until
						 * the first tm_add() */
};

void	tm_init(struct tm_table *);
/* Frees every entry; the table is empty and usable again. */
void	tm_clear(struct tm_table *);
/* A new entry of phase (1 or 2) with the next number of that phase,
 * appended; NULL when out of memory. */
struct tm_tunnel *tm_add(struct tm_table *, uint8_t phase);
void	tm_del(struct tm_table *, struct tm_tunnel *);
struct tm_tunnel *tm_find(const struct tm_table *, uint8_t phase, uint32_t num);
/* The phase-1 entry of an engine handle (NULL if none). */
struct tm_tunnel *tm_find_handle(const struct tm_table *, uint32_t handle);
/* The first phase-2 entry under handle in state st, NULL if none. */
struct tm_tunnel *tm_find_child(const struct tm_table *, uint32_t handle,
	    enum tm_state st);
/* The phase-2 entry under handle with inbound SPI spi_in. */
struct tm_tunnel *tm_find_spi(const struct tm_table *, uint32_t handle,
	    uint32_t spi_in);
/* A live (not Expired) entry made from definition def_num of phase
 * (a walk of the list: for activation requests, not per packet). */
struct tm_tunnel *tm_find_def(const struct tm_table *, uint8_t phase,
	    uint32_t def_num);
/* The entries under handle in creation order: the one after prev
 * (NULL: the first), or NULL.  prev must still be in the table: to
 * delete entries while walking, fetch the next one first. */
struct tm_tunnel *tm_next_handle(const struct tm_table *,
	    const struct tm_tunnel *prev, uint32_t handle);
/* Removes the phase-2 entries under handle. */
void	tm_del_children(struct tm_table *, uint32_t handle);
/* Marks expired with reason: the entry and, for phase 1, its phase-2
 * entries still negotiating. */
void	tm_expire(struct tm_table *, struct tm_tunnel *, const char *reason);
/* Deletes the oldest (first created) Expired entries while there are
 * more than max.  O(1) unless there are: entries are counted as they
 * expire (set TM_EXPIRED only through tm_expire()). */
void	tm_trim_expired(struct tm_table *, size_t max);

/* Listing forms: a phase-1 identity ("192.0.2.1", "gw.example",
 * KEY_ID in hex) and a selector as "start-end". */
void	tm_id_str(const struct ike_id *, char *buf, size_t n);
/* The entry's Local Id and Remote Id from identities (phase 1) or
 * selectors (phase 2), in the forms above, each stored in as many bytes
 * as it needs; NULL leaves that side as it is.  Out of memory: "". */
void	tm_set_ids(struct tm_tunnel *, const struct ike_id *local,
	    const struct ike_id *remote);
void	tm_set_ts(struct tm_tunnel *, const struct ike_ts *local,
	    const struct ike_ts *remote);
void	tm_ts_str(const struct ike_ts *, char *buf, size_t n);
const char *tm_state_name(enum tm_state);

#endif
