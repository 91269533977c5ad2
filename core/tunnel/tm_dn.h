/* core/tunnel/tm_dn.h: X.500 distinguished names between the text of an
 * X500DN definition (db/model.h) and the DER Name of an ID_DER_ASN1_DN
 * identity (RFC 7296 s. 3.5, RFC 2407 s. 4.6.2.1).  Pure: bytes in,
 * bytes out.
 *
 * The text is a list of type=value pairs separated by ',' (or, when it
 * starts with '/', by '/', as `openssl -subj` writes them), in the order
 * of the DER sequence, the most general first: "C=US, O=Example,
 * CN=gw.example.com" (the order strongSwan, libreswan and `openssl x509
 * -subject` show).  '\' makes the next character part of the value;
 * blanks around types and values are dropped.  Types: C, ST (S), L, O,
 * OU, CN, SN, GN (givenName), serialNumber, street, title, DC, UID,
 * emailAddress (E, email), case-insensitive, or any type as a dotted OID
 * ("2.5.4.65=x", its value a UTF8String); multi-valued RDNs ('+') are
 * not supported.  Values are encoded as UTF8String, except C and
 * serialNumber (PrintableString) and emailAddress and DC (IA5String), as
 * BoringSSL and openssl encode a subject by default, so that a DN typed
 * from a certificate's subject is the same octets as the certificate's
 * own in most cases; the engines compare them by meaning anyway. */
#ifndef IKE_TM_DN_H
#define IKE_TM_DN_H

#include <stddef.h>
#include <stdint.h>

#define TM_DN_TEXT_MAX	1024	/* text of a DN of an identity, NUL */

/* Text -> DER Name in der (max octets); *len its length.  IKE_EINVAL
 * for text that is no DN (an empty value, no '=', an unknown type),
 * IKE_ENOSPC when the DER does not fit. */
int	tm_dn_to_der(const char *text, uint8_t *der, size_t max,
	    size_t *len);

/* DER Name -> text as above ("C=US, O=Example, CN=gw"), cut to fit n
 * (> 0); ',', '+' and '\' in values are escaped with '\', control
 * octets written \xx.  Unknown types are written as dotted OIDs.
 * IKE_EMALFORMED for octets that are not a DER Name. */
int	tm_dn_from_der(const uint8_t *der, size_t len, char *buf, size_t n);

#endif
