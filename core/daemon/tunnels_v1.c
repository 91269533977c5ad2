/* core/daemon/tunnels_v1.c: what the daemon does differently for IKEv1
 * tunnels (RFC 2409): the v1= port of isakmpd.conf, the responder's
 * rule for Main Mode with a preshared key (MAIN_MODE_REQUIRES_IP), and
 * the warning that Aggressive Mode deserves.
 *
 * Main Mode encrypts the identities (messages 5 and 6) with keys made
 * from the preshared key, so a responder must choose the key from the
 * peer's address alone, at message 1.  A definition that names the
 * peer (an address identity, or IKE_RemoteAddress with an identity that
 * has its own key) gives it; one whose remote identity is a Group does
 * not: which member is calling is known only at message 5.  With
 * MAIN_MODE_REQUIRES_IP=YES such a definition is refused for Main Mode;
 * with NO (the AIX default) the key stored for the peer's address (or
 * for the group itself) is used, the members' own keys cannot be.
 * Aggressive Mode sends the identity in clear in its first message, so
 * the member's key can be chosen. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../../db/db.h"
#include "../codec/ikev1.h"
#include "../err.h"
#include "../log.h"
#include "../tunnel/tm_cfg.h"
#include "isakmpd.h"
#include "tunnels_int.h"

#define MM_LOG_EVERY_MS	(60 * 1000ULL)	/* refusals at events level */

uint16_t
tun_port(const struct tunnels *t, uint8_t version)
{
	return version == IKE_VERSION_1 ? t->v1_port : t->port;
}

bool
tun_v1_main_mode(const struct ike_cfg *c)
{
	return c->version == IKE_VERSION_1 && !c->aggressive;
}

/* A refusal the peer can cause over and over: at events level at most
 * once a minute, at debug level otherwise. */
static void
mm_refusal(struct tunnels *t, const char *msg)
{
	uint64_t now = tun_now_ms();

	if (t->mm_log_ms == 0 || now - t->mm_log_ms >= MM_LOG_EVERY_MS) {
		t->mm_log_ms = now;
		log_info(LOG_IKE, "%s", msg);
	} else
		log_dbg(LOG_IKE, "%s", msg);
}

int
tun_v1_mm_key(struct tunnels *t, struct db_txn *txn,
    const struct db_ike_tunnel *tun, const struct ike_addr *remote,
    struct ike_cfg *out)
{
	char msg[2 * DB_NAME_MAX + DB_IDVAL_MAX + 512], a[64];
	int rc;

	if (!tun_v1_main_mode(out) || tun->remote.type != DB_ID_GROUP ||
	    out->auth != CFG_AUTH_PSK)	/* certificates: no key */
		return 0;
	if (inet_ntop(remote->family, remote->addr, a, sizeof(a)) == NULL)
		snprintf(a, sizeof(a), "?");
	if (t->d->conf.main_mode_requires_ip) {
		snprintf(msg, sizeof(msg), "IKEv1 Main Mode from %s refused: "
		    "IKETunnel %s names the group %s, not the peer, and "
		    "MAIN_MODE_REQUIRES_IP=YES wants a definition naming the "
		    "peer's address (the preshared key is chosen before the "
		    "peer's identity arrives)", a, tun->name,
		    tun->remote.value);
		mm_refusal(t, msg);
		return IKE_ENOTFOUND;
	}
	if ((rc = tm_mm_group_psk(txn, tun, remote, out)) == 0)
		return 0;
	snprintf(msg, sizeof(msg), "IKEv1 Main Mode from %s refused: "
	    "IKETunnel %s names the group %s, and neither the group nor the "
	    "address %s has an IKEPresharedKey (the key is chosen before "
	    "the peer's identity arrives, so a member's own key cannot "
	    "serve)", a, tun->name, tun->remote.value, a);
	mm_refusal(t, msg);
	return rc;
}

void
tun_v1_warn_aggressive(const char *what, unsigned num, const char *name)
{
	log_warn(LOG_IKE, "%s %u (%s) uses IKEv1 Aggressive Mode: it sends "
	    "the identities in clear and a hash an eavesdropper can attack "
	    "offline to find the preshared key; prefer Main Mode or IKEv2",
	    what, num, name);
}

const char *
tun_v1_notify_name(uint16_t n)
{
	switch (n) {
	case IKEV1_N_INVALID_PAYLOAD_TYPE:	return "INVALID_PAYLOAD_TYPE";
	case IKEV1_N_INVALID_COOKIE:		return "INVALID_COOKIE";
	case IKEV1_N_INVALID_EXCHANGE_TYPE:	return "INVALID_EXCHANGE_TYPE";
	case IKEV1_N_INVALID_SPI:		return "INVALID_SPI";
	case IKEV1_N_ATTRIBUTES_NOT_SUPPORTED:
		return "ATTRIBUTES_NOT_SUPPORTED";
	case IKEV1_N_NO_PROPOSAL_CHOSEN:	return "NO_PROPOSAL_CHOSEN";
	case IKEV1_N_BAD_PROPOSAL_SYNTAX:	return "BAD_PROPOSAL_SYNTAX";
	case IKEV1_N_PAYLOAD_MALFORMED:		return "PAYLOAD_MALFORMED";
	case IKEV1_N_INVALID_KEY_INFORMATION:
		return "INVALID_KEY_INFORMATION";
	case IKEV1_N_INVALID_ID_INFORMATION:	return "INVALID_ID_INFORMATION";
	case IKEV1_N_INVALID_HASH_INFORMATION:
		return "INVALID_HASH_INFORMATION";
	case IKEV1_N_AUTHENTICATION_FAILED:	return "AUTHENTICATION_FAILED";
	}
	return NULL;
}
