/* platform/linux/linux.h: the Linux backend, XFRM over netlink
 * (NETLINK_XFRM), shared by its files: xfrm_nl.c (sockets, requests,
 * dumps, message building and parsing), xfrm_sa.c (SPIs and SAs),
 * xfrm_policy.c (policies), xfrm_events.c (EXPIRE and ACQUIRE), socket.c
 * (IKE and NAT-T sockets).  The core reaches it through plat_linux_ops
 * only; tests also use the message functions below, which need no
 * kernel.
 *
 * What is ours.  The kernel's tables are shared with other software (the
 * administrator, other daemons), so everything this backend installs
 * carries a mark by which plat_flush_own() finds it again by dumping,
 * also after a restart:
 *
 *   SAs       the kernel reqid is XFRM_OWN_REQID_BASE + the core's reqid
 *             (1 .. XFRM_OWN_REQID_MAX); an SPI reserved by spi_alloc()
 *             is a larval SA with reqid XFRM_OWN_REQID_BASE itself.  The
 *             reqid is also what links an SA to its policies' templates,
 *             which carry the same translated value, so the mark changes
 *             nothing in how the kernel pairs them.
 *   policies  the soft packet limit of the policy lifetime is
 *             XFRM_OWN_POLICY_TAG.  The kernel stores and reports a
 *             policy's lifetime but enforces only its time limits, so the
 *             value does not change what the policy does.
 *
 * Upcalls for SAs and templates outside the reqid range are someone
 * else's and are dropped.
 *
 * The kernel keeps an SPI that spi_alloc() reserved for
 * net.core.xfrm_acq_expires seconds (30 by default); then it removes the
 * larval SA and the core gets a hard expiry for it.
 *
 * NETLINK_CAP_ACK keeps the kernel from echoing requests (with their
 * keys) in its acknowledgements; request buffers are wiped by wr_free()
 * and receive buffers after every datagram. */
#ifndef IKE_PLAT_LINUX_H
#define IKE_PLAT_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/xfrm.h>

#include "../../core/codec/rd.h"
#include "../../core/codec/wr.h"
#include "../../core/platform.h"

extern const struct plat_ops plat_linux_ops;

#define XFRM_OWN_REQID_BASE	0x49000000u
#define XFRM_OWN_REQID_MAX	0x00ffffffu	/* core reqids 1..this */
#define XFRM_OWN_POLICY_TAG	0x6973616b6d706400ull	/* "isakmpd\0" */

/* The kernel reqid for the core's reqid (1..XFRM_OWN_REQID_MAX). */
uint32_t	xfrm_reqid_to_kernel(uint32_t reqid);
/* Whether a kernel reqid is ours; *core gets the core's reqid (0 for a
 * larval SA). */
bool		xfrm_reqid_is_own(uint32_t kreqid, uint32_t *core);

struct event;

#define XFRM_RBUF_LEN	65536u	/* larger than any datagram the kernel sends */

/* The backend state.  fd sends requests and reads their answers only;
 * ev_fd, subscribed to XFRMNLGRP_EXPIRE and XFRMNLGRP_ACQUIRE, is read by
 * ev (owned) on the event loop.  rbuf (owned) receives answers, ev_buf
 * (owned) events: separate, since an upcall may make requests while its
 * event's datagram is still being read.  Both are wiped after every
 * datagram. */
struct plat {
	const struct plat_ops	*ops;		/* must stay first */
	struct event_base	*base;		/* borrowed */
	struct plat_upcalls	 up;
	int			 fd;
	uint32_t		 seq;
	int			 ev_fd;
	struct event		*ev;
	uint8_t			*rbuf;
	uint8_t			*ev_buf;
	size_t			 rbuf_len;	/* of each */
};

/* ------------------------------------------------------------ xfrm_nl.c */

/* One netlink message as read: header fields in host order, body the
 * payload after the header (borrowed from the receive buffer). */
struct xnl_msg {
	uint16_t	 type;
	uint16_t	 flags;
	uint32_t	 seq;
	uint32_t	 pid;
	struct rd	 body;
};

/* What the kernel said in an NLMSG_ERROR: errno (positive) and its
 * extended-ack text, if any. */
struct xnl_err {
	int		 err;
	char		 msg[160];
};

/* A NETLINK_XFRM socket, close-on-exec, subscribed to the groups in
 * groups (a bit per XFRMNLGRP_*: 1 << (group - 1)), non-blocking if
 * asked, else with a receive timeout (a request whose answer does not
 * come fails with IKE_ESYS instead of hanging).  IKE_EUNSUPP (logged,
 * naming CONFIG_XFRM_USER) on a kernel without xfrm_user, IKE_ESYS for
 * other failures. */
int	xnl_socket(uint32_t groups, bool nonblock, int *fd);

/* Building.  xnl_begin() starts a message at w's start with the fixed
 * header hdr (a uapi struct of hdr_len octets, padded to 4); attributes
 * follow; xnl_end() sets the length.  Errors stay in w (wr_error()). */
void	xnl_begin(struct wr *, uint16_t type, uint16_t flags, uint32_t seq,
	    const void *hdr, size_t hdr_len);
void	xnl_put_attr(struct wr *, uint16_t type, const void *, size_t);
void	xnl_end(struct wr *);

/* One helper per attribute.  Key lengths are octets; the kernel's are
 * bits, which these compute. */
/* XFRMA_ALG_CRYPT */
void	xfrm_put_algo(struct wr *, const char *name, const uint8_t *key,
	    size_t key_len);
/* XFRMA_ALG_AUTH_TRUNC */
void	xfrm_put_algo_auth(struct wr *, const char *name, const uint8_t *key,
	    size_t key_len, unsigned int trunc_bits);
/* XFRMA_ALG_AEAD */
void	xfrm_put_algo_aead(struct wr *, const char *name, const uint8_t *key,
	    size_t key_len, unsigned int icv_bits);
/* XFRMA_ENCAP: UDP_ENCAP_ESPINUDP between ports in host order. */
void	xfrm_put_encap(struct wr *, uint16_t sport, uint16_t dport);
/* XFRMA_REPLAY_ESN_VAL: a window of up to 4096 packets, zero counters. */
void	xfrm_put_replay_esn(struct wr *, uint32_t window);
/* XFRMA_TMPL: one template. */
void	xfrm_put_tmpl(struct wr *, const struct xfrm_user_tmpl *);

/* Parsing: the next message of a datagram, the fixed header of a body
 * (hdr_len octets copied, then the padding skipped), the next attribute
 * of what follows it (val: its payload), an NLMSG_ERROR's content.  Each
 * returns 0, IKE_ESHORT at the end, or IKE_EMALFORMED, and leaves the
 * reader where it was on failure. */
int	xnl_next(struct rd *dgram, struct xnl_msg *out);
int	xnl_fixed(struct rd *body, void *hdr, size_t hdr_len);
int	xnl_attr_next(struct rd *attrs, uint16_t *type, struct rd *val);
int	xnl_parse_error(const struct xnl_msg *, struct xnl_err *out);

/* Sends the message in w and reads until the kernel's acknowledgement,
 * calling cb (may be NULL) for every other message answering it.
 * Returns 0; IKE_EKERNEL with *kerr filled when the kernel refused;
 * the first non-zero value cb returned; IKE_ESYS or IKE_EMALFORMED
 * (logged).  The caller wipes w (wr_free()). */
typedef int (*xnl_cb)(const struct xnl_msg *, void *arg);
int	xnl_request(struct plat *, struct wr *, xnl_cb cb, void *arg,
	    struct xnl_err *kerr);
/* Dumps table type (XFRM_MSG_GETSA, XFRM_MSG_GETPOLICY) into cb. */
int	xnl_dump(struct plat *, uint16_t type, xnl_cb cb, void *arg,
	    struct xnl_err *kerr);
/* The IKE_E* code for a kernel errno. */
int	xnl_errno_map(int err);

/* ------------------------------------------------------------ values */

/* ike_addr (family and address only) <-> xfrm_address_t. */
void	xfrm_addr_put(xfrm_address_t *, const struct ike_addr *);
void	xfrm_addr_get(struct ike_addr *, uint16_t family,
	    const xfrm_address_t *);
/* A traffic selector as an XFRM selector: IKE_EUNSUPP when the address
 * range is not one prefix or the port range not one masked block. */
int	xfrm_sel_from_ts(struct xfrm_selector *, const struct ike_ts *src,
	    const struct ike_ts *dst);
/* The ranges an XFRM selector covers. */
void	xfrm_sel_to_ts(const struct xfrm_selector *, struct ike_ts *src,
	    struct ike_ts *dst);

/* ------------------------------------------------------------ xfrm_sa.c */

/* The NEWSA/UPDSA message for sa into w (with seq).  IKE_EUNSUPP for an
 * algorithm the backend does not know or a reqid out of range,
 * IKE_EINVAL for a wrong key or ICV length. */
int	xfrm_sa_build(struct wr *, uint16_t type, uint32_t seq,
	    const struct plat_sa *);
int	xfrm_sa_spi_alloc(struct plat *, const struct ike_addr *src,
	    const struct ike_addr *dst, uint8_t proto, uint32_t *spi);
int	xfrm_sa_add(struct plat *, const struct plat_sa *);
int	xfrm_sa_update(struct plat *, const struct plat_sa *);
int	xfrm_sa_delete(struct plat *, const struct plat_sa_id *);
int	xfrm_sa_stats(struct plat *, const struct plat_sa_id *,
	    struct plat_sa_stats *);
/* Deletes every SA whose reqid is ours; the number in *n. */
int	xfrm_sa_flush_own(struct plat *, size_t *n);

/* ------------------------------------------------------------ xfrm_policy.c */

/* The NEWPOLICY message for pol into w.  IKE_EUNSUPP as
 * xfrm_sel_from_ts(), or for a reqid out of range. */
int	xfrm_policy_build(struct wr *, uint32_t seq,
	    const struct plat_policy *);
/* The priority used when the caller leaves it 0: lower (better) for
 * more specific selectors. */
uint32_t xfrm_policy_priority(const struct xfrm_selector *);
int	xfrm_policy_add(struct plat *, const struct plat_policy *);
int	xfrm_policy_delete(struct plat *, const struct plat_policy *);
/* Deletes every policy carrying XFRM_OWN_POLICY_TAG. */
int	xfrm_policy_flush_own(struct plat *, size_t *n);

/* ------------------------------------------------------------ xfrm_events.c */

int	xfrm_events_open(struct plat *);
void	xfrm_events_close(struct plat *);
/* Hands the upcalls in one datagram of the event socket to p->up. */
void	xfrm_events_dispatch(struct plat *, const uint8_t *buf, size_t len);

/* ------------------------------------------------------------ socket.c */

int	linux_ike_socket(struct plat *, const struct ike_addr *, int *fd);
/* linux_probe.c: plat_kernel_check(). */
int	linux_kernel_check(struct plat *, char *why, size_t n);
int	linux_natt_socket(struct plat *, const struct ike_addr *, int *fd);

#endif
