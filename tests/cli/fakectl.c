#include "fakectl.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

void
fakectl_init(struct fakectl *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", path);
	f->lfd = -1;
	wr_init(&f->reply, 0);
}

void
fakectl_free(struct fakectl *f)
{
	wr_free(&f->reply);
}

void
fakectl_reply(struct fakectl *f, uint8_t t, uint32_t r, const char *msg1,
    const char *msg2)
{
	fakectl_noreply(f);
	ctl_begin(&f->reply, (uint8_t)(t | CTL_T_REPLY));
	ctl_put_u32(&f->reply, CTL_A_RESULT, r);
	if (msg1 != NULL)
		ctl_put_str(&f->reply, CTL_A_MESSAGE, msg1);
	if (msg2 != NULL)
		ctl_put_str(&f->reply, CTL_A_MESSAGE, msg2);
}

void
fakectl_noreply(struct fakectl *f)
{
	wr_free(&f->reply);
	wr_init(&f->reply, 0);
}

void
fakectl_tunnel(struct fakectl *f, uint8_t phase, uint32_t num,
    const char *status, const char *local, const char *remote,
    const char *role)
{
	size_t m = ctl_nest_begin(&f->reply, CTL_A_TUNNEL), d;

	ctl_put_u8(&f->reply, CTL_A_T_PHASE, phase);
	ctl_put_u32(&f->reply, CTL_A_T_NUM, num);
	ctl_put_str(&f->reply, CTL_A_T_STATUS, status);
	ctl_put_str(&f->reply, CTL_A_T_LOCAL, local);
	ctl_put_str(&f->reply, CTL_A_T_REMOTE, remote);
	if (role != NULL) {
		d = ctl_nest_begin(&f->reply, CTL_A_T_DETAIL);
		ctl_put_kv(&f->reply, "Role", role);
		ctl_put_kv(&f->reply, "Encryption", "AES-GCM-256");
		ctl_nest_end(&f->reply, d);
	}
	ctl_nest_end(&f->reply, m);
}

static int
read_all(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static void *
serve(void *arg)
{
	struct fakectl *f = arg;
	uint32_t len;
	int c;

	if ((c = accept(f->lfd, NULL, NULL)) < 0)
		return NULL;
	if (read_all(c, f->req, CTL_HDR_LEN) == 0 &&
	    ctl_hdr_decode(f->req, CTL_REQ_MAX, &f->req_type, &len) == 0 &&
	    read_all(c, f->req + CTL_HDR_LEN, len) == 0)
		f->req_len = CTL_HDR_LEN + len;
	/* A client that went away just makes the write fail. */
	if (f->reply.len > 0)
		(void)!write(c, f->reply.buf, f->reply.len);
	close(c);
	return NULL;
}

int
fakectl_start(struct fakectl *f)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (f->reply.len > 0 && ctl_end(&f->reply) != 0)
		return -1;
	f->req_len = 0;
	memset(&f->msg, 0, sizeof(f->msg));
	unlink(f->path);
	memcpy(sun.sun_path, f->path, strlen(f->path) + 1);
	if ((f->lfd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return -1;
	if (bind(f->lfd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(f->lfd, 1) != 0 ||
	    pthread_create(&f->th, NULL, serve, f) != 0) {
		close(f->lfd);
		return -1;
	}
	return 0;
}

int
fakectl_stop(struct fakectl *f)
{
	pthread_join(f->th, NULL);
	close(f->lfd);
	f->lfd = -1;
	unlink(f->path);
	if (f->req_len < CTL_HDR_LEN)
		return -1;
	return ctl_decode(f->req_type, f->req + CTL_HDR_LEN,
	    f->req_len - CTL_HDR_LEN, &f->msg) == 0 ? 0 : -1;
}
