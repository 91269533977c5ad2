/* tests/exchange/harness.h: two (or more) in-process peers for exchange
 * tests.  Each peer is an engine on its own in-memory kernel backend;
 * what an engine sends waits in its peer's queue until the test
 * delivers, drops, duplicates or reorders it, and time is a fake clock
 * the test advances. */
#ifndef IKE_TEST_HARNESS_H
#define IKE_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ike/engine.h"
#include "core/sa/ike_sa.h"
#include "platform/mem/mem.h"

#define PEER_MAX_EVENTS	64

struct dgram {
	struct dgram	*next;		/* owned by the queue */
	struct ike_addr	 src, dst;
	uint8_t		*buf;		/* owned */
	size_t		 len;
};

struct peer {
	const char		*name;
	struct event_base	*base;		/* owned */
	struct plat		*plat;		/* owned */
	struct ike_engine	*eng;		/* owned */
	struct ike_cfg		 cfg;		/* as initiator and responder */
	struct child_cfg	 ccfg;
	bool			 refuse_cfg;	/* ike_cfg callback fails */
	bool			 any_remote;	/* answers every address */
	struct ike_id		 known_id;	/* the one IDi it knows */
	uint8_t			 known_psk[32];	/* and that IDi's PSK */
	size_t			 known_psk_len;
	unsigned int		 peer_id_calls;
	struct dgram		*q;		/* sent, not delivered */
	struct engine_event	 ev[PEER_MAX_EVENTS];
	size_t			 nev;
	uint32_t		 handle;	/* of the SA it initiated */
	/* CREATE_CHILD_SA nonces: random while nonce_lead is 0, else
	 * nonce_lead followed by a counter, so that a test decides whose
	 * nonce is the lowest (RFC 7296 s. 2.8.1). */
	uint8_t			 nonce_lead;
	uint32_t		 nonce_count;
};

extern uint64_t	hn_now;		/* the fake clock, ms */

/* A peer at 192.0.2.<host>:500 configured for the peer at
 * 192.0.2.<other>:500: AES-GCM-16-256/PRF-SHA2-256/ECP-256, PSK
 * "correct horse", IDs <name>.example (FQDN), ESP AES-GCM-16-256 in
 * tunnel mode between 10.<host>.0.0/16 and 10.<other>.0.0/16. */
struct peer	*peer_new(const char *name, int host, int other);
/* Peers with half_open_max limit (for cookies). */
struct peer	*peer_new_lim(const char *name, int host, int other,
		    const struct engine_limits *);
void		 peer_free(struct peer *);
/* Restarts p's engine with the peer_id callback: IDi known_id gets
 * known_psk, any other IDi is refused. */
void		 peer_use_id_directory(struct peer *p);
void		 peers_free(struct peer *a, struct peer *b);

/* Starts IKE_SA_INIT from a with its configuration. */
void		 initiate(struct peer *a);
/* Queue operations on what `from` sent. */
size_t		 queued(const struct peer *from);
void		 deliver(struct peer *from, struct peer *to);
void		 drop(struct peer *from);
void		 duplicate(struct peer *from);	/* head twice */
void		 reorder(struct peer *from);	/* swaps the first two */
struct dgram	*head(struct peer *from);
/* Delivers both ways until nothing is queued. */
void		 pump(struct peer *a, struct peer *b);
/* initiate(a) + pump: asserts both IKE SAs and the Child SA up. */
void		 establish(struct peer *a, struct peer *b);
/* Advances the clock and ticks both engines. */
void		 advance(struct peer *a, struct peer *b, uint64_t ms);

/* The n-th event of type (0: first), or NULL. */
const struct engine_event *event_find(const struct peer *, enum engine_ev,
		    size_t n);
size_t		 event_count(const struct peer *, enum engine_ev);
/* The one IKE SA the peer has, or NULL when it has none (asserts at
 * most one). */
const struct ike_sa *peer_sa(const struct peer *);

/* Asserts that a's outbound SA/policy mirrors b's inbound one and the
 * reverse: same SPIs, addresses, algorithms, keys, selectors. */
void		 assert_children_mirror(struct peer *a, struct peer *b);
/* Kernel policies one Child SA installs: out, in, and fwd in tunnel mode. */
size_t		 policies_per_child(enum plat_mode);
/* Asserts that the Child SA with inbound SPI spi_in on a and its
 * counterpart on b (outbound spi_in) mirror each other: kernel SAs,
 * keys, selectors, and the policies for those selectors on both sides.
 * Returns a's Child SA. */
const struct child_sa *assert_child_mirror(struct peer *a, struct peer *b,
		    uint32_t spi_in);
/* Seals m with sa's outbound keys (sa: another engine's SA, whose
 * peer is p) and gives it to p as if sa's engine had sent it. */
struct ike_msg;
void		 inject_sealed(struct peer *p, struct ike_sa *sa,
		    struct ike_msg *m);
/* Asserts identical IKE SA keys on both sides. */
void		 assert_ike_keys_equal(const struct ike_sa *x,
		    const struct ike_sa *y);

/* Helpers for configurations. */
void		 ts_v4(struct ike_ts *ts, int a, int b, int c, int d, int e,
		    int f, int g, int h);

/* p's installed ESP SA (dst, spi): there, and not larval. */
const struct mem_sa *kernel_esp(const struct peer *p,
		    const struct ike_addr *dst, uint32_t spi);

/* A NAT in front of a peer: the address it shows outside and the ports
 * of its mappings of the peer's port 500 and of its NAT-T port
 * (inside). */
struct nat {
	uint8_t		 pub[4];
	uint16_t	 map500, map4500, inside;
};
/* 198.51.100.7; 500 -> 40500, 4500 -> 44500. */
extern const struct nat nat_default;
/* a -> b through n in front of a: the source becomes n's mapping. */
void		 nat_out(const struct nat *n, struct peer *a, struct peer *b);
/* b -> a back through n: only to one of n's mappings. */
void		 nat_in(const struct nat *n, struct peer *b, struct peer *a);
#endif
