/* tests/platform/linux/vm_xfrm_tool.c: drives the Linux backend from a
 * shell script in the VM (vm_linux_esp.sh), one command per run, in the
 * network namespace it is started in.  Not a test by itself.
 *
 *   alloc LOCAL REMOTE        reserve the SPI of the SA REMOTE -> LOCAL;
 *                             prints it (0x...)
 *   install LOCAL REMOTE LOCAL_NET REMOTE_NET SPI_OUT SPI_IN [NATT]
 *                             the outbound SA (plat_sa_add), the
 *                             reserved inbound one (plat_sa_update) and
 *                             the out, in and fwd tunnel policies, reqid 1;
 *                             AES-GCM-16 keys derived from the SPI, ESN,
 *                             window 64, soft limit 4 packets outbound;
 *                             NATT: UDP encapsulation 4500 <-> 4500
 *   stats LOCAL REMOTE SPI_OUT SPI_IN
 *                             prints "out BYTES PACKETS" and "in ..."
 *   watch SECONDS [LOCAL]     prints the upcalls: "expire soft|hard 0x...";
 *                             with LOCAL, holds a NAT-T socket on
 *                             LOCAL port 4500 meanwhile (plat_natt_socket),
 *                             which the kernel needs to decapsulate
 *   flush                     plat_flush_own()
 *
 * Exit status 0 on success, 1 with the backend's log on standard error. */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "core/crypto/cipher.h"
#include "core/crypto/ike_key.h"
#include "core/err.h"
#include "core/log.h"
#include "core/platform.h"

static struct ike_addr
addr(const char *text)
{
	struct ike_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.addr) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, text, a.addr) == 1)
		a.family = AF_INET6;
	else {
		fprintf(stderr, "bad address %s\n", text);
		exit(2);
	}
	return a;
}

/* "a.b.c.d/len" (IPv4) as a selector of all protocols and ports. */
static struct ike_ts
net(const char *text)
{
	char buf[64], *slash;
	struct ike_addr a;
	struct ike_ts ts;
	uint32_t v, mask;
	int len;

	snprintf(buf, sizeof(buf), "%s", text);
	if ((slash = strchr(buf, '/')) == NULL ||
	    (len = atoi(slash + 1)) < 0 || len > 32) {
		fprintf(stderr, "bad network %s\n", text);
		exit(2);
	}
	*slash = '\0';
	a = addr(buf);
	memset(&ts, 0, sizeof(ts));
	ts.family = AF_INET;
	ts.eport = 65535;
	memcpy(&v, a.addr, 4);
	mask = len == 0 ? 0 : htonl(~0u << (32 - len));
	v &= mask;
	memcpy(ts.start, &v, 4);
	v |= ~mask;
	memcpy(ts.end, &v, 4);
	return ts;
}

static uint32_t
spi_arg(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 0);
}

static int
check(const char *what, int rc)
{
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", what, ike_strerror(rc));
		exit(1);
	}
	return rc;
}

/* The key of the SA with spi: the same on both gateways. */
static struct ike_key *
sa_key(uint32_t spi)
{
	struct ike_key *k;
	size_t i;

	check("key", ike_key_new(20, &k));
	for (i = 0; i < k->len; i++)
		k->data[i] = (uint8_t)(spi * 7u + i);
	return k;
}

static void
install_sa(struct plat *p, const char *src, const char *dst, uint32_t spi,
    bool out, bool natt)
{
	struct ike_key *k = sa_key(spi);
	struct plat_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.id.dst = addr(dst);
	sa.id.spi = spi;
	sa.id.proto = IPPROTO_ESP;
	sa.src = addr(src);
	sa.reqid = 1;
	sa.replay_window = 64;
	sa.dir = out ? PLAT_OUT : PLAT_IN;
	sa.mode = PLAT_TUNNEL;
	sa.encr_alg = ENCR_AES_GCM_16;
	sa.encr_key = k;
	sa.esn = true;
	if (out)
		sa.soft.packets = 4;
	if (natt)
		sa.natt_sport = sa.natt_dport = 4500;
	check(out ? "sa_add" : "sa_update", out ? plat_sa_add(p, &sa) :
	    plat_sa_update(p, &sa));
	ike_key_free(k);
}

static void
install_policies(struct plat *p, char **av)
{
	struct plat_policy pol;
	enum plat_dir d;

	for (d = PLAT_IN; d <= PLAT_FWD; d++) {
		memset(&pol, 0, sizeof(pol));
		pol.dir = d;
		pol.action = PLAT_PROTECT;
		pol.reqid = 1;
		pol.proto = IPPROTO_ESP;
		if (d == PLAT_OUT) {
			pol.src = net(av[2]);
			pol.dst = net(av[3]);
			pol.tun_src = addr(av[0]);
			pol.tun_dst = addr(av[1]);
		} else {
			pol.src = net(av[3]);
			pol.dst = net(av[2]);
			pol.tun_src = addr(av[1]);
			pol.tun_dst = addr(av[0]);
		}
		check("policy_add", plat_policy_add(p, &pol));
	}
}

static void
print_stats(struct plat *p, const char *dir, const char *dst, uint32_t spi)
{
	struct plat_sa_id id = { .dst = addr(dst), .spi = spi,
	    .proto = IPPROTO_ESP };
	struct plat_sa_stats st;

	check("sa_stats", plat_sa_stats(p, &id, &st));
	printf("%s %llu %llu\n", dir, (unsigned long long)st.bytes,
	    (unsigned long long)st.packets);
}

static void
on_expired(void *arg, const struct plat_sa_id *id, bool hard)
{
	(void)arg;
	printf("expire %s 0x%08x\n", hard ? "hard" : "soft", id->spi);
	fflush(stdout);
}

static void
on_acquire(void *arg, uint32_t reqid, const struct ike_ts *s,
    const struct ike_ts *d)
{
	(void)arg;
	(void)s;
	(void)d;
	printf("acquire reqid %u\n", reqid);
	fflush(stdout);
}

static int
run(struct plat *p, struct event_base *base, int ac, char **av)
{
	struct ike_addr a, b;
	struct timeval tv = { 0, 0 };
	uint32_t spi;
	int fd = -1;

	if (ac == 3 && strcmp(av[0], "alloc") == 0) {
		a = addr(av[1]);
		b = addr(av[2]);
		check("spi_alloc", plat_spi_alloc(p, &b, &a, IPPROTO_ESP,
		    &spi));
		printf("0x%08x\n", spi);
	} else if ((ac == 7 || ac == 8) && strcmp(av[0], "install") == 0) {
		install_sa(p, av[1], av[2], spi_arg(av[5]), true, ac == 8);
		install_sa(p, av[2], av[1], spi_arg(av[6]), false, ac == 8);
		install_policies(p, av + 1);
	} else if (ac == 5 && strcmp(av[0], "stats") == 0) {
		print_stats(p, "out", av[2], spi_arg(av[3]));
		print_stats(p, "in", av[1], spi_arg(av[4]));
	} else if ((ac == 2 || ac == 3) && strcmp(av[0], "watch") == 0) {
		if (ac == 3) {
			a = addr(av[2]);
			a.port = 4500;
			check("natt_socket", plat_natt_socket(p, &a, &fd));
		}
		tv.tv_sec = atoi(av[1]);
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
		if (fd != -1)
			close(fd);
	} else if (ac == 1 && strcmp(av[0], "flush") == 0) {
		check("flush_own", plat_flush_own(p));
	} else {
		fprintf(stderr, "usage: see the comment in vm_xfrm_tool.c\n");
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct plat_upcalls up = { on_expired, on_acquire, NULL };
	struct event_base *base;
	struct plat *p;
	int rc;

	log_set_stderr(true);
	if ((base = event_base_new()) == NULL)
		return 1;
	check("open", plat_open("linux", base, &up, &p));
	rc = run(p, base, argc - 1, argv + 1);
	plat_close(p);
	event_base_free(base);
	return rc;
}
