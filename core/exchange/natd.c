/* core/exchange/natd.c: NAT detection in IKE_SA_INIT (RFC 7296 s. 2.23):
 *   NAT_DETECTION_SOURCE_IP      = SHA-1(SPIi | SPIr | source IP | port)
 *   NAT_DETECTION_DESTINATION_IP = SHA-1(SPIi | SPIr | dest IP | port)
 * with SPIr zero in the request.  A source hash that matches none of
 * the addresses the datagram came from means the peer is behind a NAT;
 * a destination hash that does not match ours, that we are.  With NAT
 * traversal off (engine_limits.natt_off) none are sent and the peer's
 * are ignored. */
#include "core/exchange/exchange.h"

#include <string.h>
#include <sys/socket.h>

#include "core/crypto/hash.h"
#include "core/log.h"

static int
natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a,
    uint8_t out[HASH_SHA1_LEN])
{
	uint8_t spis[16], port[2] = { (uint8_t)(a->port >> 8),
	    (uint8_t)a->port };
	struct crypto_iov v[3];
	int i;

	for (i = 0; i < 8; i++) {
		spis[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spis[8 + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	v[0] = (struct crypto_iov){ spis, sizeof(spis) };
	v[1] = (struct crypto_iov){ a->addr, a->family == AF_INET ? 4 : 16 };
	v[2] = (struct crypto_iov){ port, sizeof(port) };
	return crypto_sha1(v, 3, out);
}

int
natd_add(const struct ike_engine *eng, struct ike_msg *m,
    const struct ike_addr *local, const struct ike_addr *remote,
    uint8_t src[NATD_LEN], uint8_t dst[NATD_LEN])
{
	int rc;

	if (eng->lim.natt_off)
		return 0;
	if ((rc = natd_hash(m->hdr.spi_i, m->hdr.spi_r, local, src)) != 0 ||
	    (rc = natd_hash(m->hdr.spi_i, m->hdr.spi_r, remote, dst)) != 0)
		return rc;
	if ((rc = xchg_add_notify(m, false, IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    src, NATD_LEN)) != 0)
		return rc;
	return xchg_add_notify(m, false, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
	    dst, NATD_LEN);
}

/* Whether one of m's notifies of type carries the hash of a. */
static bool
natd_match(const struct ike_msg *m, uint16_t type, const struct ike_addr *a,
    bool *present)
{
	uint8_t want[HASH_SHA1_LEN];
	size_t i;

	if (natd_hash(m->hdr.spi_i, m->hdr.spi_r, a, want) != 0)
		return false;
	for (i = 0; i < m->npl; i++) {
		const struct pl_notify *n = &m->pl[i].u.notify;

		if (m->pl[i].type != IKEV2_PL_NOTIFY || n->type != type)
			continue;
		*present = true;
		if (n->data.len == NATD_LEN &&
		    memcmp(n->data.p, want, NATD_LEN) == 0)
			return true;
	}
	return false;
}

/* s. 2.23: once a NAT is found (on either side), the initiator sends
 * everything from IKE_AUTH on from its NAT-T port to the peer's. */
static void
natd_float(const struct ike_engine *eng, struct ike_sa *sa)
{
	uint16_t port = natt_port(eng);

	if (!sa->initiator || (!sa->nat_local && !sa->nat_remote))
		return;
	log_dbg(LOG_IKE, "SA %u: moving to the NAT-T port %u", sa->handle,
	    port);
	sa->local.port = port;
	sa->remote.port = port;
}

void
natd_check(const struct ike_engine *eng, struct ike_sa *sa,
    const struct ike_msg *m)
{
	bool src = false, dst = false;
	bool src_ok = natd_match(m, IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    &sa->remote, &src);
	bool dst_ok = natd_match(m, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
	    &sa->local, &dst);

	sa->natd_seen = src && dst && !eng->lim.natt_off;
	sa->nat_remote = sa->natd_seen && !src_ok;
	sa->nat_local = sa->natd_seen && !dst_ok;
	if (sa->nat_remote || sa->nat_local)
		log_dbg(LOG_IKE, "SA %u: NAT detected (%s)", sa->handle,
		    sa->nat_local && sa->nat_remote ? "both" :
		    sa->nat_local ? "local" : "remote");
	natd_float(eng, sa);
}
