/* platform/linux/xfrm_nl.c: NETLINK_XFRM sockets, requests and dumps,
 * and the one place that builds and parses netlink messages: headers and
 * attributes through core/codec/wr.h and rd.h, in the host byte order
 * netlink uses (the uapi structs keep their network-order fields). */
#include "linux.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/udp.h>

#include <sys/time.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../../core/err.h"
#include "../../core/log.h"
#include "../../core/secmem.h"

#define XNL_ALIGN(n)	(((n) + 3u) & ~(size_t)3u)
#define XNL_TIMEOUT_S	10	/* the kernel answers at once; never hang */

static const uint8_t xnl_zero[8];

/* ------------------------------------------------------------ building */

static void
put_u16h(struct wr *w, uint16_t v)
{
	wr_bytes(w, &v, sizeof(v));
}

static void
put_u32h(struct wr *w, uint32_t v)
{
	wr_bytes(w, &v, sizeof(v));
}

static void
pad4(struct wr *w)
{
	wr_bytes(w, xnl_zero, XNL_ALIGN(w->len) - w->len);
}

/* Writes v in host order over the bytes at off, which must be written. */
static void
patch_h(struct wr *w, size_t off, const void *v, size_t n)
{
	if (w->err != 0)
		return;
	if (off > w->len || n > w->len - off) {
		w->err = IKE_EINVAL;
		return;
	}
	memcpy(w->buf + off, v, n);
}

void
xnl_begin(struct wr *w, uint16_t type, uint16_t flags, uint32_t seq,
    const void *hdr, size_t hdr_len)
{
	put_u32h(w, 0);			/* nlmsg_len, set by xnl_end() */
	put_u16h(w, type);
	put_u16h(w, flags);
	put_u32h(w, seq);
	put_u32h(w, 0);			/* nlmsg_pid: the kernel */
	if (hdr_len != 0)
		wr_bytes(w, hdr, hdr_len);
	pad4(w);
}

void
xnl_put_attr(struct wr *w, uint16_t type, const void *v, size_t n)
{
	if (n > UINT16_MAX - 4u) {
		if (w->err == 0)
			w->err = IKE_EINVAL;
		return;
	}
	put_u16h(w, (uint16_t)(n + 4u));
	put_u16h(w, type);
	wr_bytes(w, v, n);
	pad4(w);
}

void
xnl_end(struct wr *w)
{
	uint32_t len = (uint32_t)w->len;

	patch_h(w, 0, &len, sizeof(len));
}

/* An attribute whose payload is a uapi struct followed by a key: both
 * are written in place, so the key is copied once, into w. */
static void
put_algo_attr(struct wr *w, uint16_t type, const void *head, size_t hlen,
    const uint8_t *key, size_t key_len)
{
	size_t n = hlen + key_len;

	if (n > UINT16_MAX - 4u) {
		if (w->err == 0)
			w->err = IKE_EINVAL;
		return;
	}
	put_u16h(w, (uint16_t)(n + 4u));
	put_u16h(w, type);
	wr_bytes(w, head, hlen);
	if (key_len != 0)
		wr_bytes(w, key, key_len);
	pad4(w);
}

static void
algo_name(char dst[64], const char *name)
{
	memset(dst, 0, 64);
	(void)strncpy(dst, name, 63);	/* names are short constants */
}

void
xfrm_put_algo(struct wr *w, const char *name, const uint8_t *key,
    size_t key_len)
{
	struct xfrm_algo a;

	memset(&a, 0, sizeof(a));
	algo_name(a.alg_name, name);
	a.alg_key_len = (unsigned int)(key_len * 8);
	put_algo_attr(w, XFRMA_ALG_CRYPT, &a, sizeof(a), key, key_len);
}

void
xfrm_put_algo_auth(struct wr *w, const char *name, const uint8_t *key,
    size_t key_len, unsigned int trunc_bits)
{
	struct xfrm_algo_auth a;

	memset(&a, 0, sizeof(a));
	algo_name(a.alg_name, name);
	a.alg_key_len = (unsigned int)(key_len * 8);
	a.alg_trunc_len = trunc_bits;
	put_algo_attr(w, XFRMA_ALG_AUTH_TRUNC, &a, sizeof(a), key, key_len);
}

void
xfrm_put_algo_aead(struct wr *w, const char *name, const uint8_t *key,
    size_t key_len, unsigned int icv_bits)
{
	struct xfrm_algo_aead a;

	memset(&a, 0, sizeof(a));
	algo_name(a.alg_name, name);
	a.alg_key_len = (unsigned int)(key_len * 8);
	a.alg_icv_len = icv_bits;
	put_algo_attr(w, XFRMA_ALG_AEAD, &a, sizeof(a), key, key_len);
}

void
xfrm_put_encap(struct wr *w, uint16_t sport, uint16_t dport)
{
	struct xfrm_encap_tmpl e;

	memset(&e, 0, sizeof(e));
	e.encap_type = UDP_ENCAP_ESPINUDP;
	e.encap_sport = htons(sport);
	e.encap_dport = htons(dport);
	xnl_put_attr(w, XFRMA_ENCAP, &e, sizeof(e));
}

/* The window in a bitmap of whole 32-bit words; the legacy
 * usersa_info.replay_window must then be 0. */
void
xfrm_put_replay_esn(struct wr *w, uint32_t window)
{
	struct xfrm_replay_state_esn r;
	uint32_t i, words = (window + 31u) / 32u;

	memset(&r, 0, sizeof(r));
	r.bmp_len = words;
	r.replay_window = window;
	if (sizeof(r) + (size_t)words * 4u > UINT16_MAX - 4u) {
		if (w->err == 0)
			w->err = IKE_EINVAL;
		return;
	}
	put_u16h(w, (uint16_t)(sizeof(r) + words * 4u + 4u));
	put_u16h(w, XFRMA_REPLAY_ESN_VAL);
	wr_bytes(w, &r, sizeof(r));
	for (i = 0; i < words; i++)
		put_u32h(w, 0);
	pad4(w);
}

void
xfrm_put_tmpl(struct wr *w, const struct xfrm_user_tmpl *t)
{
	xnl_put_attr(w, XFRMA_TMPL, t, sizeof(*t));
}

/* ------------------------------------------------------------ parsing */

static int
get_u16h(struct rd *r, uint16_t *v)
{
	return rd_bytes(r, v, sizeof(*v));
}

static int
get_u32h(struct rd *r, uint32_t *v)
{
	return rd_bytes(r, v, sizeof(*v));
}

/* Skips the padding after n octets were read, or the rest if it is
 * shorter (the last item of a datagram need not be padded). */
static void
skip_pad(struct rd *r, size_t n)
{
	size_t pad = XNL_ALIGN(n) - n;

	/* Cannot fail: never more than what is left. */
	(void)rd_skip(r, pad < r->left ? pad : r->left);
}

int
xnl_next(struct rd *dgram, struct xnl_msg *out)
{
	struct rd r = *dgram;
	struct xnl_msg m;
	uint32_t len;

	if (dgram->left == 0)
		return IKE_ESHORT;
	if (get_u32h(&r, &len) != 0 || get_u16h(&r, &m.type) != 0 ||
	    get_u16h(&r, &m.flags) != 0 || get_u32h(&r, &m.seq) != 0 ||
	    get_u32h(&r, &m.pid) != 0)
		return IKE_EMALFORMED;
	if (len < NLMSG_HDRLEN || rd_sub(&r, len - NLMSG_HDRLEN,
	    &m.body) != 0)
		return IKE_EMALFORMED;
	skip_pad(&r, len);
	*dgram = r;
	*out = m;
	return 0;
}

int
xnl_fixed(struct rd *body, void *hdr, size_t hdr_len)
{
	struct rd r = *body;

	if (rd_bytes(&r, hdr, hdr_len) != 0)
		return IKE_EMALFORMED;
	skip_pad(&r, hdr_len);
	*body = r;
	return 0;
}

int
xnl_attr_next(struct rd *attrs, uint16_t *type, struct rd *val)
{
	struct rd r = *attrs;
	uint16_t len, t;

	if (attrs->left == 0)
		return IKE_ESHORT;
	if (get_u16h(&r, &len) != 0 || get_u16h(&r, &t) != 0 ||
	    len < 4 || rd_sub(&r, len - 4u, val) != 0)
		return IKE_EMALFORMED;
	skip_pad(&r, len);
	*type = t & NLA_TYPE_MASK;
	*attrs = r;
	return 0;
}

/* The extended-ack text, if the kernel sent one. */
static void
error_text(struct rd *tlvs, struct xnl_err *out)
{
	struct rd val;
	uint16_t type;
	size_t n;

	while (xnl_attr_next(tlvs, &type, &val) == 0) {
		if (type != NLMSGERR_ATTR_MSG)
			continue;
		n = val.left < sizeof(out->msg) - 1 ? val.left :
		    sizeof(out->msg) - 1;
		if (rd_bytes(&val, out->msg, n) != 0)
			return;
		out->msg[n] = '\0';
		out->msg[strcspn(out->msg, "\n")] = '\0';
		return;
	}
}

/* struct nlmsgerr: a signed error, the request's header (and, without
 * NLM_F_CAPPED, its payload), then with NLM_F_ACK_TLVS the attributes. */
int
xnl_parse_error(const struct xnl_msg *m, struct xnl_err *out)
{
	struct rd r = m->body, echo;
	struct xnl_err e;
	int32_t err;
	uint32_t len;

	memset(&e, 0, sizeof(e));
	if (rd_bytes(&r, &err, sizeof(err)) != 0 ||
	    rd_bytes(&r, &len, sizeof(len)) != 0 || len < NLMSG_HDRLEN)
		return IKE_EMALFORMED;
	if (rd_skip(&r, NLMSG_HDRLEN - sizeof(len)) != 0)
		return IKE_EMALFORMED;
	if ((m->flags & NLM_F_CAPPED) == 0 &&
	    rd_sub(&r, XNL_ALIGN(len) - NLMSG_HDRLEN < r.left ?
	    XNL_ALIGN(len) - NLMSG_HDRLEN : r.left, &echo) != 0)
		return IKE_EMALFORMED;
	if (err > 0 || err < -4095)		/* not an errno */
		return IKE_EMALFORMED;
	e.err = -err;
	if (m->flags & NLM_F_ACK_TLVS)
		error_text(&r, &e);
	*out = e;
	return 0;
}

/* ------------------------------------------------------------ sockets */

int
xnl_socket(uint32_t groups, bool nonblock, int *fd)
{
	struct sockaddr_nl sa;
	struct timeval tmo = { XNL_TIMEOUT_S, 0 };
	int s, on = 1, type = SOCK_RAW | SOCK_CLOEXEC;

	if (nonblock)
		type |= SOCK_NONBLOCK;
	if ((s = socket(AF_NETLINK, type, NETLINK_XFRM)) == -1) {
		if (errno == EPROTONOSUPPORT) {
			log_err(LOG_KNL, "the kernel lacks XFRM netlink "
			    "support (CONFIG_XFRM_USER / xfrm_user): cannot "
			    "manage IPsec SAs");
			return IKE_EUNSUPP;
		}
		log_err(LOG_KNL, "netlink socket: %s", strerror(errno));
		return IKE_ESYS;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = groups;
	/* Answers carry no echo of the request (which may hold keys) and
	 * errors carry the kernel's explanation; both are optional. */
	(void)setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on));
	(void)setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
	if (!nonblock && setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tmo,
	    sizeof(tmo)) == -1) {
		log_err(LOG_KNL, "netlink receive timeout: %s",
		    strerror(errno));
		close(s);
		return IKE_ESYS;
	}
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_err(LOG_KNL, "netlink bind%s: %s", errno == EPERM ?
		    " (kernel IPsec events need CAP_NET_ADMIN)" : "",
		    strerror(errno));
		close(s);
		return IKE_ESYS;
	}
	*fd = s;
	return 0;
}

/* ------------------------------------------------------------ requests */

static int
send_msg(struct plat *p, const struct wr *w)
{
	struct sockaddr_nl to;
	ssize_t n;

	memset(&to, 0, sizeof(to));
	to.nl_family = AF_NETLINK;
	do {
		n = sendto(p->fd, w->buf, w->len, 0, (struct sockaddr *)&to,
		    sizeof(to));
	} while (n == -1 && errno == EINTR);
	if (n == -1 || (size_t)n != w->len) {
		log_err(LOG_KNL, "netlink send: %s",
		    n == -1 ? strerror(errno) : "short write");
		return IKE_ESYS;
	}
	return 0;
}

static int
recv_dgram(struct plat *p, size_t *len)
{
	ssize_t n;

	do {
		n = recv(p->fd, p->rbuf, p->rbuf_len, MSG_TRUNC);
	} while (n == -1 && errno == EINTR);
	if (n == -1) {
		log_err(LOG_KNL, "netlink receive: %s", strerror(errno));
		return IKE_ESYS;
	}
	if ((size_t)n > p->rbuf_len) {
		log_err(LOG_KNL, "netlink answer of %zd octets truncated", n);
		secmem_wipe(p->rbuf, p->rbuf_len);
		return IKE_EMALFORMED;
	}
	*len = (size_t)n;
	return 0;
}

/* The status a dump's NLMSG_DONE may carry (a negative errno). */
static void
done_status(const struct xnl_msg *m, struct xnl_err *kerr, int *res)
{
	struct rd r = m->body;
	int32_t st;

	if (rd_bytes(&r, &st, sizeof(st)) != 0 || st >= 0 || *res != 0)
		return;
	memset(kerr, 0, sizeof(*kerr));
	kerr->err = -st;
	*res = IKE_EKERNEL;
}

/* Handles one answer to the request: true when it ends the request.
 * *res keeps the first failure: the kernel's (IKE_EKERNEL, *kerr
 * filled), a malformed acknowledgement, or what cb returned, after which
 * cb is not called again. */
static bool
answer(const struct xnl_msg *m, bool dump, xnl_cb cb, void *arg,
    struct xnl_err *kerr, int *res)
{
	struct xnl_err e;

	if (m->type == NLMSG_ERROR) {
		if (xnl_parse_error(m, &e) != 0) {
			if (*res == 0)
				*res = IKE_EMALFORMED;
		} else if (e.err != 0 && *res == 0) {
			*kerr = e;
			*res = IKE_EKERNEL;
		}
		return true;
	}
	if (m->type == NLMSG_DONE && dump) {
		done_status(m, kerr, res);
		return true;
	}
	if (m->type == NLMSG_NOOP || m->type == NLMSG_DONE)
		return false;
	if (cb != NULL && *res == 0)
		*res = cb(m, arg);
	return false;
}

/* Reads datagrams until the answer to seq is complete, also after a
 * callback failed, so that the next request meets no stale answers. */
static int
read_answers(struct plat *p, uint32_t seq, bool dump, xnl_cb cb, void *arg,
    struct xnl_err *kerr)
{
	struct xnl_msg m;
	struct rd r;
	size_t len;
	bool done = false;
	int rc, res = 0;

	while (!done) {
		if ((rc = recv_dgram(p, &len)) != 0)
			return rc;
		rd_init(&r, p->rbuf, len);
		while (!done && (rc = xnl_next(&r, &m)) == 0) {
			if (m.seq == seq)	/* else an earlier request's */
				done = answer(&m, dump, cb, arg, kerr, &res);
		}
		secmem_wipe(p->rbuf, len);
		if (!done && rc == IKE_EMALFORMED) {
			log_err(LOG_KNL, "malformed netlink answer");
			return IKE_EMALFORMED;
		}
	}
	if (res == IKE_EMALFORMED)
		log_err(LOG_KNL, "malformed netlink answer");
	return res;
}

static void
set_seq(struct plat *p, struct wr *w, uint32_t *seq)
{
	*seq = ++p->seq;
	patch_h(w, 8, seq, sizeof(*seq));	/* nlmsg_seq */
}

int
xnl_request(struct plat *p, struct wr *w, xnl_cb cb, void *arg,
    struct xnl_err *kerr)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint32_t seq;
	int rc;

	memset(kerr, 0, sizeof(*kerr));
	set_seq(p, w, &seq);
	patch_h(w, 6, &flags, sizeof(flags));	/* nlmsg_flags */
	if ((rc = wr_error(w)) != 0)
		return rc;
	if ((rc = send_msg(p, w)) != 0)
		return rc;
	return read_answers(p, seq, false, cb, arg, kerr);
}

int
xnl_dump(struct plat *p, uint16_t type, xnl_cb cb, void *arg,
    struct xnl_err *kerr)
{
	struct wr w;
	uint32_t seq;
	int rc;

	memset(kerr, 0, sizeof(*kerr));
	wr_init(&w, 0);
	xnl_begin(&w, type, NLM_F_REQUEST | NLM_F_DUMP, 0, NULL, 0);
	xnl_end(&w);
	set_seq(p, &w, &seq);
	if ((rc = wr_error(&w)) == 0 && (rc = send_msg(p, &w)) == 0)
		rc = read_answers(p, seq, true, cb, arg, kerr);
	wr_free(&w);
	return rc;
}

int
xnl_errno_map(int err)
{
	switch (err) {
	case EEXIST:
		return IKE_EEXIST;
	case ESRCH:
	case ENOENT:
		return IKE_ENOTFOUND;
	case ENOMEM:
	case ENOBUFS:
		return IKE_ENOMEM;
	case EINVAL:
	case ERANGE:
		return IKE_EINVAL;
	case EPROTONOSUPPORT:
	case ENOSYS:
	case EAFNOSUPPORT:
	case EOPNOTSUPP:
		return IKE_EUNSUPP;
	case EBUSY:
		return IKE_EBUSY;
	default:
		return IKE_EKERNEL;
	}
}

/* ------------------------------------------------------------ values */

void
xfrm_addr_put(xfrm_address_t *x, const struct ike_addr *a)
{
	memset(x, 0, sizeof(*x));
	memcpy(x, a->addr, a->family == AF_INET ? 4 : 16);
}

void
xfrm_addr_get(struct ike_addr *a, uint16_t family, const xfrm_address_t *x)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->addr, x, family == AF_INET ? 4 : 16);
}
