/* core/daemon/ctl_server.c: control-socket connections on libevent
 * bufferevents.  A connection is freed only from its own callbacks (read
 * never frees), so no callback touches a freed connection.  Misbehaving
 * clients are logged at debug level only, and counted. */
#include "ctl_server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "../err.h"
#include "../log.h"

#define REFUSE_LOG_S	60	/* at most one warning a minute */

struct ctl_conn {
	struct ctl_server	*srv;		/* borrowed */
	struct bufferevent	*bev;		/* owned, closes the socket */
	struct event		*timer;		/* owned: idle, then linger */
	struct ctl_conn		*prev, *next;	/* srv->conns */
	unsigned long long	 id;
	bool			 closing;	/* last reply queued */
	bool			 paused;	/* reading off: output full */
};

struct ctl_server {
	struct event_base	*base;		/* borrowed */
	struct evconnlistener	*lev;		/* owned, closes the fd */
	struct event		*resume;	/* owned: after accept errors */
	struct ctl_conn		*conns;		/* owned list */
	struct ctl_server_cfg	 cfg;
	struct ctl_stats	 st;
	time_t			 refuse_logged;
	unsigned long long	 next_id;
};

enum step { STEP_MORE, STEP_DONE, STEP_STOP };

static void
conn_free(struct ctl_conn *c)
{
	struct ctl_server *srv = c->srv;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	srv->st.clients--;
	event_free(c->timer);	/* event_free() deletes it first */
	bufferevent_free(c->bev);
	log_dbg(LOG_CTL, "client %llu closed (%u left)", c->id,
	    srv->st.clients);
	free(c);
}

static void
conn_arm(struct ctl_conn *c, unsigned seconds)
{
	struct timeval tv = { .tv_sec = (time_t)seconds, .tv_usec = 0 };

	/* event_add() on an initialized timer fails only on a broken base;
	 * the connection then simply has no timeout. */
	(void)event_add(c->timer, &tv);
}

/* Queues a whole frame; false if even that failed. */
static bool
conn_send(struct ctl_conn *c, struct wr *w)
{
	if (bufferevent_write(c->bev, w->buf, w->len) != 0) {
		log_err(LOG_CTL, "client %llu: cannot queue a reply of %zu "
		    "bytes", c->id, w->len);
		return false;
	}
	return true;
}

/* Sends a USAGE reply saying why, then closes once it is written (or
 * after the linger time). */
static void __attribute__((format(printf, 4, 5)))
conn_reject(struct ctl_conn *c, uint8_t type, uint64_t *counter,
    const char *fmt, ...)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char why[256];
	struct wr w;
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);	/* may truncate */
	va_end(ap);
	(*counter)++;
	log_dbg(LOG_CTL, "client %llu dropped: %s", c->id, why);
	wr_init(&w, 1024);
	ctl_begin(&w, (uint8_t)(type | CTL_T_REPLY));
	ctl_put_u32(&w, CTL_A_RESULT, CTL_R_USAGE);
	ctl_put_str(&w, CTL_A_MESSAGE, why);
	if (ctl_end(&w) == 0)
		(void)conn_send(c, &w);	/* logged there; closing anyway */
	wr_free(&w);
	c->closing = true;
	bufferevent_disable(c->bev, EV_READ);
	(void)evbuffer_drain(in, evbuffer_get_length(in));  /* cannot fail */
	conn_arm(c, CTL_SERVER_LINGER_S);
}

static void
header_reject(struct ctl_conn *c, const uint8_t *hdr, int rc)
{
	struct ctl_stats *st = &c->srv->st;
	uint32_t len = 0;
	struct rd r;

	rd_init(&r, hdr + 4, 4);	/* the body length, for the message */
	(void)rd_u32(&r, &len);		/* 4 bytes are there */

	if (rc == IKE_EUNSUPP)
		conn_reject(c, hdr[1], &st->bad_version, "protocol version %u "
		    "is not supported (this isakmpd speaks version %u)",
		    hdr[0], CTL_VERSION);
	else if (rc == IKE_ENOSPC)
		conn_reject(c, hdr[1], &st->too_long, "request body of %lu "
		    "bytes exceeds the limit of %u", (unsigned long)len,
		    CTL_REQ_MAX);
	else
		conn_reject(c, hdr[1], &st->bad_header, "reserved header "
		    "bits are not zero");
}

/* Builds the handler's reply and queues it; a reply that cannot be
 * built becomes a FAILED reply. */
static bool
conn_answer(struct ctl_conn *c, const struct ctl_msg *req)
{
	struct ctl_server *srv = c->srv;
	struct wr w;
	bool ok;
	int rc;

	wr_init(&w, CTL_HDR_LEN + CTL_REPLY_MAX);
	srv->cfg.handler(srv->cfg.arg, req, &w);
	if ((rc = ctl_end(&w)) != 0) {
		log_err(LOG_CTL, "client %llu: %s reply: %s", c->id,
		    ctl_type_name(req->type), ike_strerror(rc));
		wr_free(&w);
		wr_init(&w, 1024);
		ctl_begin(&w, (uint8_t)(req->type | CTL_T_REPLY));
		ctl_put_u32(&w, CTL_A_RESULT, CTL_R_FAILED);
		ctl_put_str(&w, CTL_A_MESSAGE, "the daemon could not build "
		    "its reply");
		(void)ctl_end(&w);	/* fits in 1024 bytes */
	}
	ok = conn_send(c, &w);
	wr_free(&w);
	return ok;
}

/* The whole frame is in the input buffer. */
static enum step
conn_request(struct ctl_conn *c, uint8_t type, uint32_t blen)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	struct ctl_msg req;
	unsigned char *frame;
	bool ok;

	if ((frame = evbuffer_pullup(in, CTL_HDR_LEN + blen)) == NULL) {
		log_err(LOG_CTL, "client %llu: out of memory", c->id);
		return STEP_STOP;
	}
	if (ctl_decode(type, frame + CTL_HDR_LEN, blen, &req) != 0) {
		conn_reject(c, type, &c->srv->st.malformed, "malformed "
		    "attributes in a %s request", ctl_type_name(type));
		return STEP_STOP;
	}
	log_dbg(LOG_CTL, "client %llu: %s request, %lu bytes", c->id,
	    ctl_type_name(type), (unsigned long)blen);
	c->srv->st.requests++;
	ok = conn_answer(c, &req);
	(void)evbuffer_drain(in, CTL_HDR_LEN + blen);	/* cannot fail */
	if (!ok)
		return STEP_STOP;
	conn_arm(c, c->srv->cfg.idle_s);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) >
	    CTL_SERVER_OUT_HIGH) {
		c->paused = true;	/* until the client reads its replies */
		bufferevent_disable(c->bev, EV_READ);
		log_dbg(LOG_CTL, "client %llu: replies not taken, reading "
		    "paused", c->id);
	}
	return STEP_DONE;
}

static enum step
conn_step(struct ctl_conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	uint8_t hdr[CTL_HDR_LEN], type;
	uint32_t blen;
	int rc;

	if (evbuffer_get_length(in) < CTL_HDR_LEN ||
	    evbuffer_copyout(in, hdr, CTL_HDR_LEN) != CTL_HDR_LEN)
		return STEP_MORE;
	if ((rc = ctl_hdr_decode(hdr, CTL_REQ_MAX, &type, &blen)) != 0) {
		header_reject(c, hdr, rc);
		return STEP_STOP;
	}
	if (type == 0 || (type & CTL_T_REPLY) != 0) {
		conn_reject(c, type, &c->srv->st.bad_header, "message type "
		    "%u is not a request", type);
		return STEP_STOP;
	}
	if (evbuffer_get_length(in) < CTL_HDR_LEN + (size_t)blen)
		return STEP_MORE;
	return conn_request(c, type, blen);
}

static void
conn_read(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	(void)bev;
	while (!c->closing && !c->paused) {
		switch (conn_step(c)) {
		case STEP_MORE:
			return;
		case STEP_DONE:
			break;
		case STEP_STOP:
			c->closing = true;
			bufferevent_disable(c->bev, EV_READ);
			conn_arm(c, CTL_SERVER_LINGER_S);
			return;
		}
	}
}

/* The output buffer is empty. */
static void
conn_written(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	if (c->closing) {
		conn_free(c);
		return;
	}
	if (c->paused) {
		log_dbg(LOG_CTL, "client %llu: replies taken, reading again",
		    c->id);
		c->paused = false;
		bufferevent_enable(bev, EV_READ);
		conn_read(bev, c);	/* requests already buffered */
	}
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct ctl_conn *c = arg;
	size_t pending = evbuffer_get_length(bufferevent_get_input(bev));

	if ((what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) == 0)
		return;
	if (!c->closing && !c->paused && pending > 0) {
		c->srv->st.truncated++;
		log_dbg(LOG_CTL, "client %llu hung up %zu bytes into a "
		    "request", c->id, pending);
	} else if (!c->closing && (what & BEV_EVENT_ERROR) == 0 &&
	    evbuffer_get_length(bufferevent_get_output(bev)) > 0) {
		/* Half-closed after its request: deliver the reply first. */
		c->closing = true;
		conn_arm(c, CTL_SERVER_LINGER_S);
		return;
	}
	conn_free(c);
}

static void
conn_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_conn *c = arg;

	(void)fd;
	(void)what;
	if (!c->closing) {
		c->srv->st.idle++;
		log_dbg(LOG_CTL, "client %llu dropped: no complete request "
		    "for %u s", c->id, c->srv->cfg.idle_s);
	}
	conn_free(c);
}

static void
refuse(struct ctl_server *srv, evutil_socket_t fd)
{
	time_t now = time(NULL);

	close(fd);
	srv->st.refused++;
	if (now - srv->refuse_logged >= REFUSE_LOG_S) {
		srv->refuse_logged = now;
		log_warn(LOG_CTL, "%u control clients connected already: "
		    "refusing more (%llu refused so far)", srv->st.clients,
		    (unsigned long long)srv->st.refused);
	} else {
		log_dbg(LOG_CTL, "refused a control client: %u connected",
		    srv->st.clients);
	}
}

static struct ctl_conn *
conn_new(struct ctl_server *srv, evutil_socket_t fd)
{
	struct ctl_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->srv = srv;
	c->bev = bufferevent_socket_new(srv->base, fd, BEV_OPT_CLOSE_ON_FREE);
	c->timer = evtimer_new(srv->base, conn_timeout, c);
	if (c->bev == NULL || c->timer == NULL) {
		if (c->bev != NULL)
			bufferevent_free(c->bev);	/* closes fd */
		else
			close(fd);
		if (c->timer != NULL)
			event_free(c->timer);
		free(c);
		return NULL;
	}
	bufferevent_setcb(c->bev, conn_read, conn_written, conn_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0,
	    CTL_HDR_LEN + CTL_REQ_MAX);
	return c;
}

static void
srv_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ctl_server *srv = arg;
	struct ctl_conn *c;

	(void)lev;
	(void)sa;
	(void)salen;
	if (srv->st.clients >= srv->cfg.max_clients) {
		refuse(srv, fd);
		return;
	}
	if ((c = conn_new(srv, fd)) == NULL) {
		log_err(LOG_CTL, "out of memory for a control client");
		return;
	}
	c->id = ++srv->next_id;
	c->next = srv->conns;
	if (srv->conns != NULL)
		srv->conns->prev = c;
	srv->conns = c;
	srv->st.clients++;
	srv->st.accepted++;
	conn_arm(c, srv->cfg.idle_s);
	if (bufferevent_enable(c->bev, EV_READ) != 0)
		log_err(LOG_CTL, "client %llu: cannot read", c->id);
	log_dbg(LOG_CTL, "client %llu connected (%u now)", c->id,
	    srv->st.clients);
}

/* accept() failed for a reason that may persist (EMFILE): pause the
 * listener for a second rather than spin. */
static void
srv_accept_error(struct evconnlistener *lev, void *arg)
{
	struct ctl_server *srv = arg;
	struct timeval tv = { .tv_sec = 1, .tv_usec = 0 };
	int e = EVUTIL_SOCKET_ERROR();

	log_warn(LOG_CTL, "accept on the control socket: %s; pausing 1 s",
	    strerror(e));
	if (evconnlistener_disable(lev) == 0 &&
	    event_add(srv->resume, &tv) != 0)
		(void)evconnlistener_enable(lev);	/* no timer: go on */
}

static void
srv_resume(evutil_socket_t fd, short what, void *arg)
{
	struct ctl_server *srv = arg;

	(void)fd;
	(void)what;
	if (evconnlistener_enable(srv->lev) != 0)
		log_err(LOG_CTL, "cannot re-enable the control socket");
}

int
ctl_server_new(struct event_base *base, const struct ctl_server_cfg *cfg,
    struct ctl_server **out)
{
	struct ctl_server *srv;

	if ((srv = calloc(1, sizeof(*srv))) == NULL)
		return IKE_ENOMEM;
	srv->base = base;
	srv->cfg = *cfg;
	if (srv->cfg.max_clients == 0)
		srv->cfg.max_clients = CTL_SERVER_MAX_CLIENTS;
	if (srv->cfg.idle_s == 0)
		srv->cfg.idle_s = CTL_SERVER_IDLE_S;
	if ((srv->resume = evtimer_new(base, srv_resume, srv)) == NULL) {
		free(srv);
		return IKE_ENOMEM;
	}
	srv->lev = evconnlistener_new(base, srv_accept, srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, -1, cfg->fd);
	if (srv->lev == NULL) {
		event_free(srv->resume);
		free(srv);
		return IKE_ENOMEM;
	}
	evconnlistener_set_error_cb(srv->lev, srv_accept_error);
	*out = srv;
	return 0;
}

void
ctl_server_free(struct ctl_server *srv)
{
	if (srv == NULL)
		return;
	while (srv->conns != NULL)
		conn_free(srv->conns);
	evconnlistener_free(srv->lev);
	event_free(srv->resume);
	free(srv);
}

const struct ctl_stats *
ctl_server_stats(const struct ctl_server *srv)
{
	return &srv->st;
}
