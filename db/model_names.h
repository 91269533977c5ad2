/* db/model_names.h: the spellings of every enumerated value in the
 * tunnel-definition format, one table per attribute kind.  ikedb's
 * parser, printer and DTD and `ike cmd=list ... verbose` all use these
 * tables, so a spelling is written down once. */
#ifndef IKE_DB_MODEL_NAMES_H
#define IKE_DB_MODEL_NAMES_H

#include "model.h"

enum db_enum_kind {
	DB_E_ROLE,		/* Initiator Responder Both */
	DB_E_XCHG,		/* Main Aggressive */
	DB_E_ENCR,		/* 3DES-CBC AES-CBC-128 ... NULL */
	DB_E_HASH,		/* MD5 SHA SHA2-256 ... AES-XCBC */
	DB_E_PRF,		/* PRF-SHA ... */
	DB_E_AUTH,		/* Preshared_Key RSA_Signature ... */
	DB_E_INTEG,		/* None HMAC-MD5 HMAC-SHA ... AES-XCBC */
	DB_E_MODE,		/* Tunnel Transport */
	DB_E_PSK_FORMAT,	/* ASCII Hex */
	DB_E_IPSEC_PROTO,	/* ESP AH */
	DB_E_COUNT
};

/* The canonical spelling of value, or NULL if it has none. */
const char	*db_enum_name(enum db_enum_kind, unsigned value);
/* Parses s (case-insensitive, canonical spelling or an accepted AIX
 * synonym); IKE_EINVAL if unknown. */
int		 db_enum_parse(enum db_enum_kind, const char *s,
		    unsigned *value);
/* Iterates the canonical spellings: i = 0, 1, ... until NULL.  For the
 * DTD and for error messages listing the allowed values. */
const char	*db_enum_nth(enum db_enum_kind, unsigned i, unsigned *value);

#endif
