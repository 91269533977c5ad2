/* core/conf.h: the /etc/isakmpd.conf parser.  Pure: text in, a struct and
 * messages out; no files, no logging.  docs/isakmpd.md lists the keys,
 * their values and the defaults. */
#ifndef IKE_CONF_H
#define IKE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define CONF_MAX_WARN		16	/* warnings kept in a conf_report */
#define CONF_MSG_LEN		256	/* bytes per message, with the NUL */
#define CONF_LIVENESS_MAX	86400	/* seconds */
#define CONF_KEEPALIVE_MAX	3600	/* seconds */
#define CONF_PATH_LEN		1024	/* a path value, with the NUL */

struct ike_conf {
	enum log_level	log_level;		/* log_level */
	bool		main_mode_requires_ip;	/* MAIN_MODE_REQUIRES_IP */
	uint16_t	v1_port, v1_natport;	/* v1=port-natport */
	uint16_t	v2_port, v2_natport;	/* v2=port-natport */
	uint32_t	liveness_interval;	/* s; LIVENESS_CHK_INTERVAL */
	bool		natt_v1;	/* ENABLE_IPSEC_NAT_TRAVERSAL */
	bool		natt_v2;	/* ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2 */
	uint32_t	nat_keepalive;	/* s; NAT_KEEPALIVE_INTERVAL */
	bool		fragmentation;	/* IKE_FRAGMENTATION */
	/* Certificates (docs/certificates.md); "" when not set.  Checked
	 * here as absolute paths only: the files are read by the cert
	 * module (core/crypto/cert.h). */
	char		cert_file[CONF_PATH_LEN];	/* CERTIFICATE_FILE */
	char		key_file[CONF_PATH_LEN];	/* PRIVATE_KEY_FILE */
	char		ca_certs[CONF_PATH_LEN];	/* CA_CERTIFICATES: a,b */
	char		crl_files[CONF_PATH_LEN];	/* CRL_FILES: a,b,c */
};

/* Messages name the file and line: "/etc/isakmpd.conf:7: KEY: why". */
struct conf_report {
	char	error[CONF_MSG_LEN];	/* why conf_parse failed; else "" */
	size_t	nwarn;			/* all warnings, kept or not */
	char	warn[CONF_MAX_WARN][CONF_MSG_LEN];	/* the first ones */
};

/* The values in force when the file is missing or says nothing. */
void	conf_defaults(struct ike_conf *);

/* Parses len bytes of text (name is used in messages only).  Starts from
 * conf_defaults(); on success writes *out and returns 0, with any
 * warnings (unknown or repeated keys) in *rep.  On the first error
 * returns IKE_EINVAL with rep->error set, and leaves *out alone. */
int	conf_parse(const char *text, size_t len, const char *name,
	    struct ike_conf *out, struct conf_report *rep);

/* Writes "KEY" / "value" pairs of conf, as the file would say them, to
 * fn in file order; for status displays. */
void	conf_foreach(const struct ike_conf *,
	    void (*fn)(void *arg, const char *key, const char *value),
	    void *arg);

#endif
