/* db/model_names.c: the spellings of the enumerated values of
 * docs/ikedb-xml.md.  Each kind has its canonical spellings, in the order
 * the document lists them, and the AIX spellings accepted on input
 * (shared/reference/aix-ike.md §1.4 and §4.3). */
#include "model_names.h"

#include <stddef.h>
#include <strings.h>

#include "../core/err.h"

struct spelling {
	const char	*name;
	unsigned	 value;
};

#define END	{ NULL, 0 }

static const struct spelling role[] = {
	{ "Initiator", DB_ROLE_INITIATOR },
	{ "Responder", DB_ROLE_RESPONDER },
	{ "Both", DB_ROLE_BOTH },
	END
};

static const struct spelling xchg[] = {
	{ "Main", DB_XCHG_MAIN },
	{ "Aggressive", DB_XCHG_AGGRESSIVE },
	END
};

static const struct spelling encr[] = {	/* DB_ENCR_NONE has no spelling */
	{ "3DES-CBC", DB_ENCR_3DES_CBC },
	{ "AES-CBC-128", DB_ENCR_AES_CBC_128 },
	{ "AES-CBC-192", DB_ENCR_AES_CBC_192 },
	{ "AES-CBC-256", DB_ENCR_AES_CBC_256 },
	{ "AES-GCM-128", DB_ENCR_AES_GCM_128 },
	{ "AES-GCM-256", DB_ENCR_AES_GCM_256 },
	{ "CHACHA20-POLY1305", DB_ENCR_CHACHA20_POLY1305 },
	{ "NULL", DB_ENCR_NULL },
	END
};

/* aix-ike.md §1.4 (ESP_3DES, ESP_NULL) and §4.3 (ESP-NULL).  "ESP_AES"
 * is not accepted: it does not say which key length. */
static const struct spelling encr_syn[] = {
	{ "ESP_3DES", DB_ENCR_3DES_CBC },
	{ "ESP_NULL", DB_ENCR_NULL },
	{ "ESP-NULL", DB_ENCR_NULL },
	END
};

static const struct spelling hash[] = {
	{ "MD5", DB_HASH_MD5 },
	{ "SHA", DB_HASH_SHA1 },
	{ "SHA2-256", DB_HASH_SHA2_256 },
	{ "SHA2-384", DB_HASH_SHA2_384 },
	{ "SHA2-512", DB_HASH_SHA2_512 },
	{ "AES-XCBC", DB_HASH_AES_XCBC },
	END
};

/* aix-ike.md §4.3: integrity HMAC_SHA2_256, CMAC_AES_XCBC. */
static const struct spelling hash_syn[] = {
	{ "SHA1", DB_HASH_SHA1 },
	{ "SHA-1", DB_HASH_SHA1 },
	{ "HMAC-SHA1", DB_HASH_SHA1 },
	{ "HMAC-SHA", DB_HASH_SHA1 },
	{ "HMAC_SHA2_256", DB_HASH_SHA2_256 },
	{ "CMAC_AES_XCBC", DB_HASH_AES_XCBC },
	END
};

static const struct spelling prf[] = {	/* DB_PRF_FOLLOW has no spelling */
	{ "PRF-SHA", DB_PRF_SHA1 },
	{ "PRF-SHA2-256", DB_PRF_SHA2_256 },
	{ "PRF-SHA2-384", DB_PRF_SHA2_384 },
	{ "PRF-SHA2-512", DB_PRF_SHA2_512 },
	{ "PRF-AES-XCBC", DB_PRF_AES_XCBC },
	END
};

/* aix-ike.md §4.3: PRF_SHA2_256. */
static const struct spelling prf_syn[] = {
	{ "PRF-SHA1", DB_PRF_SHA1 },
	{ "PRF_SHA2_256", DB_PRF_SHA2_256 },
	END
};

static const struct spelling auth[] = {
	{ "Preshared_Key", DB_AUTH_PSK },
	{ "RSA_Signature", DB_AUTH_RSA_SIG },
	{ "ECDSA_Signature", DB_AUTH_ECDSA_SIG },
	END
};

static const struct spelling integ[] = {
	{ "HMAC-MD5", DB_INTEG_HMAC_MD5 },
	{ "HMAC-SHA", DB_INTEG_HMAC_SHA1 },
	{ "HMAC-SHA2-256", DB_INTEG_HMAC_SHA2_256 },
	{ "HMAC-SHA2-384", DB_INTEG_HMAC_SHA2_384 },
	{ "HMAC-SHA2-512", DB_INTEG_HMAC_SHA2_512 },
	{ "AES-XCBC", DB_INTEG_AES_XCBC },
	{ "None", DB_INTEG_NONE },
	END
};

/* aix-ike.md §4.3: HMAC-SHA1, HMAC_SHA2_256, AES-XCBC-MAC-96. */
static const struct spelling integ_syn[] = {
	{ "HMAC-SHA1", DB_INTEG_HMAC_SHA1 },
	{ "HMAC_SHA2_256", DB_INTEG_HMAC_SHA2_256 },
	{ "AES-XCBC-MAC-96", DB_INTEG_AES_XCBC },
	END
};

static const struct spelling mode[] = {
	{ "Tunnel", DB_MODE_TUNNEL },
	{ "Transport", DB_MODE_TRANSPORT },
	END
};

static const struct spelling psk_format[] = {
	{ "ASCII", DB_PSK_ASCII },
	{ "Hex", DB_PSK_HEX },
	END
};

static const struct spelling ipsec_proto[] = {
	{ "ESP", DB_PROTO_ESP },
	{ "AH", DB_PROTO_AH },
	END
};

static const struct spelling none[] = { END };

static const struct {
	const struct spelling	*canon;
	const struct spelling	*syn;
} kinds[DB_E_COUNT] = {
	[DB_E_ROLE] = { role, none },
	[DB_E_XCHG] = { xchg, none },
	[DB_E_ENCR] = { encr, encr_syn },
	[DB_E_HASH] = { hash, hash_syn },
	[DB_E_PRF] = { prf, prf_syn },
	[DB_E_AUTH] = { auth, none },
	[DB_E_INTEG] = { integ, integ_syn },
	[DB_E_MODE] = { mode, none },
	[DB_E_PSK_FORMAT] = { psk_format, none },
	[DB_E_IPSEC_PROTO] = { ipsec_proto, none },
};

const char *
db_enum_name(enum db_enum_kind kind, unsigned value)
{
	const struct spelling *s;

	if ((unsigned)kind >= DB_E_COUNT)
		return NULL;
	for (s = kinds[kind].canon; s->name != NULL; s++)
		if (s->value == value)
			return s->name;
	return NULL;
}

static int
lookup(const struct spelling *s, const char *name, unsigned *value)
{
	for (; s->name != NULL; s++) {
		if (strcasecmp(s->name, name) == 0) {
			*value = s->value;
			return 0;
		}
	}
	return IKE_EINVAL;
}

int
db_enum_parse(enum db_enum_kind kind, const char *s, unsigned *value)
{
	if ((unsigned)kind >= DB_E_COUNT || s == NULL)
		return IKE_EINVAL;
	if (lookup(kinds[kind].canon, s, value) == 0)
		return 0;
	return lookup(kinds[kind].syn, s, value);
}

const char *
db_enum_nth(enum db_enum_kind kind, unsigned i, unsigned *value)
{
	const struct spelling *s;
	unsigned n;

	if ((unsigned)kind >= DB_E_COUNT)
		return NULL;
	for (s = kinds[kind].canon, n = 0; s->name != NULL; s++, n++) {
		if (n == i) {
			if (value != NULL)
				*value = s->value;
			return s->name;
		}
	}
	return NULL;
}
