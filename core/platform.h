/* core/platform.h: all the core needs from the operating system.
 *
 * Every backend under platform/<name>/ fills in one struct plat_ops; the
 * daemon chooses one at start (-K) and the core calls it only through the
 * plat_* functions below, never through the vtable.  Calls return 0 or a
 * negative IKE_E* (core/err.h) and write out-parameters only on success.
 *
 * Records, not argument lists: a new field breaks no backend, and zero
 * means "unused".  The enums start at 1 so that a forgotten field of a
 * zeroed record is refused (IKE_EINVAL) instead of meaning something.
 * plat_* checks what every backend would check (families, SPI range,
 * enum values, selector ranges, which fields go together) before the
 * backend sees a record; a backend then refuses what its kernel cannot do
 * (IKE_EUNSUPP) or what it does not know (unknown algorithm: IKE_EUNSUPP,
 * wrong key length: IKE_EINVAL).
 *
 * Kernel events (expiry, ACQUIRE) come back through struct plat_upcalls,
 * always from the event loop, never from inside a plat_* call. */
#ifndef IKE_PLATFORM_H
#define IKE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct ike_key;			/* core/crypto/ike_key.h */
struct plat;			/* backend state, opaque to core */

/* ------------------------------------------------------------ values */

/* An IP address.  family is AF_INET (4 octets of addr used) or AF_INET6
 * (16); 0 means "no address".  addr is in network order; unused octets
 * are zero.  port (host order) is used only where a call says so (the
 * socket calls); SA and policy calls ignore it and carry their ports in
 * natt_sport/natt_dport and struct ike_ts. */
struct ike_addr {
	uint16_t	 family;
	uint16_t	 port;
	uint8_t		 addr[16];
};

/* A traffic selector (RFC 7296 s. 3.13.1): the addresses start..end of
 * one family (both inclusive, start <= end, network order), IP protocol
 * proto (IPPROTO_TCP, ...; 0: any), ports sport..eport in host order
 * (0..65535: any; sport <= eport).  reserved is zero.  Backends whose
 * kernels take prefixes (XFRM, PF_KEY) split a range into prefixes or
 * answer IKE_EUNSUPP. */
struct ike_ts {
	uint16_t	 family;
	uint8_t		 proto;
	uint8_t		 reserved;
	uint16_t	 sport, eport;
	uint8_t		 start[16], end[16];
};

enum plat_dir {
	PLAT_IN = 1,		/* SAs and policies */
	PLAT_OUT,		/* SAs and policies */
	PLAT_FWD,		/* policies only: forwarded traffic */
};

enum plat_mode {
	PLAT_TUNNEL = 1,
	PLAT_TRANSPORT,
};

enum plat_action {
	PLAT_PROTECT = 1,	/* through the SAs of the policy's reqid */
	PLAT_BYPASS,		/* in the clear */
	PLAT_DISCARD,		/* dropped */
};

/* ENCR_NULL (IANA Transform Type 1, ID 11, RFC 2410): ESP with integrity
 * and no encryption.  core/crypto/cipher.h lists only ciphers an IKE SA
 * can use, so the one Child-SA-only ID lives here. */
#define PLAT_ENCR_NULL	11

/* ------------------------------------------------------------ records */

/* Names one SA in the kernel: destination (dst.port is ignored), SPI in
 * host order, at least 256 (RFC 4303 s. 2.1), and IPPROTO_ESP or
 * IPPROTO_AH. */
struct plat_sa_id {
	struct ike_addr		 dst;
	uint32_t		 spi;
	uint8_t			 proto;
};

/* Limits after which the kernel reports an expiry; 0: no limit.  add_s
 * counts seconds from the SA's installation. */
struct plat_lifetime {
	uint64_t		 bytes;
	uint64_t		 packets;
	uint64_t		 add_s;
};

/* One direction of one Child SA.
 *
 *   src, id.dst     the outer addresses (the tunnel endpoints in tunnel
 *                   mode, the hosts in transport mode), of one family
 *   reqid           links the SA to its policies; never 0
 *   replay_window   in packets; 0: no replay check
 *   dir             PLAT_IN or PLAT_OUT
 *   encr_alg        an IKEv2 transform ID from core/crypto/cipher.h
 *                   (ENCR_AES_CBC, ENCR_AES_GCM_16, ...) or
 *                   PLAT_ENCR_NULL; 0 for AH
 *   integ_alg       from core/crypto/integ.h (AUTH_HMAC_SHA2_256_128,
 *                   ...); 0 (AUTH_NONE) with an AEAD
 *   icv_len         AEAD tag octets; 0: what the transform ID implies
 *   encr_key        NULL for AH and ENCR_NULL
 *   integ_key       NULL when integ_alg is 0
 *   soft            reported so that the core rekeys
 *   hard            the SA is removed, then reported
 *   natt_sport,     UDP encapsulation ports (RFC 3948), host order;
 *   natt_dport      both 0: no encapsulation
 *   esn             64-bit sequence numbers (RFC 4303 s. 2.2.1)
 *
 * Key lengths are the keys' lengths: the KEYMAT octets RFC 7296 s. 2.17
 * assigns, so for an AEAD (RFC 4106 s. 8.1, RFC 7634 s. 2) encr_key is
 * the key followed by its 4-octet salt.  The keys are borrowed for the
 * call; the backend copies them and wipes its copies (and any kernel
 * message that held them) when done with them. */
struct plat_sa {
	struct plat_sa_id	 id;
	struct ike_addr		 src;
	uint32_t		 reqid;
	uint32_t		 replay_window;
	enum plat_dir		 dir;
	enum plat_mode		 mode;
	uint16_t		 encr_alg, integ_alg;
	uint16_t		 icv_len;
	const struct ike_key	*encr_key;	/* borrowed */
	const struct ike_key	*integ_key;	/* borrowed */
	struct plat_lifetime	 soft, hard;
	uint16_t		 natt_sport, natt_dport;
	bool			 esn;
};

/* One kernel policy: traffic from src to dst in direction dir gets
 * action.  A policy is named by (src, dst, dir): a second one with the
 * same three is IKE_EEXIST, and plat_policy_delete() matches on them
 * alone.
 *
 * PLAT_PROTECT needs reqid (the SAs to use) and proto (IPPROTO_ESP or
 * IPPROTO_AH); the other actions leave reqid, proto, the tunnel and trap
 * zero.  Tunnel mode gives both tun_src and tun_dst (one family, which
 * may differ from the selectors'); transport mode leaves both zero.
 * priority: lower wins; 0 lets the backend choose.  trap marks an
 * on-demand policy (PLAT_OUT only), installed before any SA exists:
 * traffic it matches raises acquire() with its reqid.  A backend that
 * installs policies together with their SAs (AIX) installs a trap
 * policy on its own. */
struct plat_policy {
	struct ike_ts		 src, dst;
	enum plat_dir		 dir;
	enum plat_action	 action;
	uint32_t		 reqid;
	uint8_t			 proto;
	uint32_t		 priority;
	struct ike_addr		 tun_src, tun_dst;
	bool			 trap;
};

/* Counters of one SA, for `ike cmd=list verbose`.  last_use is Unix
 * time, 0 if the SA never carried a packet. */
struct plat_sa_stats {
	uint64_t		 bytes;
	uint64_t		 packets;
	uint64_t		 last_use;
};

/* Kernel -> core, always from the event loop.  A NULL function drops its
 * events.  Pointers are valid for the call only.  An upcall may call any
 * plat_* function except plat_close(). */
struct plat_upcalls {
	/* Soft: rekey now.  Hard: the SA is gone from the kernel already. */
	void	(*sa_expired)(void *arg, const struct plat_sa_id *,
		    bool hard);
	/* Outbound traffic hit a PLAT_PROTECT policy with this reqid and no
	 * SA: src and dst select that traffic (the packet's addresses, or
	 * the policy's selectors where the kernel tells no more). */
	void	(*acquire)(void *arg, uint32_t reqid,
		    const struct ike_ts *src, const struct ike_ts *dst);
	void	*arg;
};

/* ------------------------------------------------------------ backends */

/* One backend.  Every slot must be set: plat_open() refuses a backend
 * with a NULL slot, and tests check every built-in one
 * (plat_ops_missing()).  The records reaching a backend have passed the
 * checks of the plat_* wrappers.  name is what -K selects: "mem",
 * "linux", ... */
struct plat_ops {
	const char	*name;
	int	(*open)(struct plat **out, struct event_base *,
		    const struct plat_upcalls *);
	void	(*close)(struct plat *);
	int	(*spi_alloc)(struct plat *, const struct ike_addr *src,
		    const struct ike_addr *dst, uint8_t proto, uint32_t *spi);
	int	(*sa_add)(struct plat *, const struct plat_sa *);
	int	(*sa_update)(struct plat *, const struct plat_sa *);
	int	(*sa_delete)(struct plat *, const struct plat_sa_id *);
	int	(*sa_stats)(struct plat *, const struct plat_sa_id *,
		    struct plat_sa_stats *);
	int	(*policy_add)(struct plat *, const struct plat_policy *);
	int	(*policy_delete)(struct plat *, const struct plat_policy *);
	int	(*ike_socket)(struct plat *, const struct ike_addr *,
		    int *fd);
	int	(*natt_socket)(struct plat *, const struct ike_addr *,
		    int *fd);
	int	(*flush_own)(struct plat *);
	int	(*kernel_check)(struct plat *, char *why, size_t n);
};

/* Backends built into this program; NULL-terminated. */
extern const struct plat_ops *const plat_backends[];

/* The backend -K uses when not given. */
const char	*plat_default_backend(void);

/* The name of the first slot of ops that is NULL ("name", "open",
 * "sa_add", ...), or NULL when every slot is set. */
const char	*plat_ops_missing(const struct plat_ops *);

/* ------------------------------------------------------------ calls */

/* Opens backend `name` on the event loop base (borrowed; it must outlive
 * the backend).  up is copied; NULL means no upcalls.  IKE_ENOTFOUND if
 * the backend is not built in, IKE_EUNSUPP if it lacks a slot,
 * IKE_EINVAL without name, base or out.  The result is freed with
 * plat_close(). */
int	plat_open(const char *name, struct event_base *,
	    const struct plat_upcalls *, struct plat **out);
/* Frees the backend state, wiping the keys it holds.  What was installed
 * stays installed (see plat_flush_own()); sockets stay open.  NULL is
 * fine. */
void	plat_close(struct plat *);
const char *plat_name(const struct plat *);

/* Picks a random SPI (>= 256) that no SA to dst with proto has, for an
 * SA from src to dst (both of one family), and reserves it, as a larval
 * SA on systems that need one.  That SA is completed with plat_sa_update() or dropped with
 * plat_sa_delete().  IKE_ENOSPC when no SPI is free. */
int	plat_spi_alloc(struct plat *, const struct ike_addr *src,
	    const struct ike_addr *dst, uint8_t proto, uint32_t *spi);
/* Installs an SA whose SPI plat_spi_alloc() did not reserve (the
 * outbound SA, whose SPI the peer chose).  IKE_EEXIST if one with the
 * same id exists, reserved ones included. */
int	plat_sa_add(struct plat *, const struct plat_sa *);
/* Installs the SA whose SPI plat_spi_alloc() reserved.  IKE_ENOTFOUND if
 * none is reserved under that id, IKE_ESTATE if it is installed already. */
int	plat_sa_update(struct plat *, const struct plat_sa *);
/* Removes an SA, installed or reserved.  IKE_ENOTFOUND if none. */
int	plat_sa_delete(struct plat *, const struct plat_sa_id *);
/* Reads an SA's counters.  IKE_ENOTFOUND if none. */
int	plat_sa_stats(struct plat *, const struct plat_sa_id *,
	    struct plat_sa_stats *out);

/* Installs a policy.  IKE_EEXIST if one with the same (src, dst, dir)
 * exists. */
int	plat_policy_add(struct plat *, const struct plat_policy *);
/* Removes the policy named by p's (src, dst, dir); the other fields are
 * ignored.  IKE_ENOTFOUND if none. */
int	plat_policy_delete(struct plat *, const struct plat_policy *);

/* A UDP socket for IKE bound to local (family, addr, port; port 0 lets
 * the system choose), non-blocking, close-on-exec, exempt from IPsec
 * policy; IPv6 sockets are IPv6-only.  The caller owns *fd and closes
 * it. */
int	plat_ike_socket(struct plat *, const struct ike_addr *local,
	    int *fd);
/* The same for NAT traversal (port 4500): ESP-in-UDP packets arriving on
 * it are decapsulated by the kernel (RFC 3948); IKE messages are read
 * from it with their 4-octet non-ESP marker (RFC 3948 s. 2.2) still in
 * front, which the core strips, and written with it. */
int	plat_natt_socket(struct plat *, const struct ike_addr *local,
	    int *fd);

/* Removes every SA (reserved ones too) and policy isakmpd installed
 * through this backend, for a clean start or stop: those of this run
 * and, where the backend can recognise them (a reqid range, a mark),
 * those an earlier run left behind.  What others installed (another
 * daemon, the administrator) stays.  Sockets are not touched. */
int	plat_flush_own(struct plat *);

/* Whether the kernel can carry tunnels at all (ESP and the ciphers
 * isakmpd proposes by default), found out without leaving a trace in
 * its state: 0, or IKE_EUNSUPP with why holding one sentence naming
 * what is missing (the kernel option and module), for the daemon to
 * say at start instead of failing tunnel after tunnel.  A backend that
 * cannot find out answers 0. */
int	plat_kernel_check(struct plat *, char *why, size_t n);

/* Logging: syslog on every POSIX system.  Process-wide, not per backend:
 * the commands log before (and without) opening any backend.  ident is
 * borrowed and must stay valid until the next plat_log_open(). */
void	plat_log_open(const char *ident, int facility);
void	plat_log(int priority, const char *line);

#endif
