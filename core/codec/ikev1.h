/* core/codec/ikev1.h: IKEv1 protocol numbers: ISAKMP (RFC 2408), the
 * IPsec DOI (RFC 2407), IKE/Oakley (RFC 2409 App. A), NAT traversal
 * (RFC 3947) and dead peer detection (RFC 3706).  Constants only. */
#ifndef IKE_IKEV1_H
#define IKE_IKEV1_H

#define IKEV1_HDR_LEN		28	/* the ISAKMP header (RFC 2408 3.1) */
#define IKEV1_PL_HDR_LEN	4	/* the generic payload header (3.2) */
#define IKEV1_MAJOR		1
#define IKEV1_MINOR		0
#define IKEV1_COOKIE_LEN	8
#define IKEV1_NONCE_MIN		8	/* RFC 2409 s. 5 */
#define IKEV1_NONCE_MAX		256
#define IKEV1_SPI_MAX		16	/* ISAKMP SPI: both cookies */

/* Exchange types (RFC 2408 s. 3.1, RFC 2409 s. 5). */
#define IKEV1_EXCH_NONE		0
#define IKEV1_EXCH_BASE		1
#define IKEV1_EXCH_MAIN		2	/* Identity Protection */
#define IKEV1_EXCH_AUTH_ONLY	3
#define IKEV1_EXCH_AGGRESSIVE	4
#define IKEV1_EXCH_INFO		5
#define IKEV1_EXCH_QUICK	32
#define IKEV1_EXCH_NEW_GROUP	33

/* Header flags (RFC 2408 s. 3.1). */
#define IKEV1_F_ENC		0x01	/* body after the header encrypted */
#define IKEV1_F_COMMIT		0x02
#define IKEV1_F_AUTH_ONLY	0x04
#define IKEV1_F_ALL		0x07

/* Payload types (RFC 2408 s. 3.1; RFC 3947 s. 3.1, 4; the NAT-T
 * drafts' private numbers that older peers send). */
#define IKEV1_PL_NONE		0
#define IKEV1_PL_SA		1
#define IKEV1_PL_P		2	/* Proposal: inside SA only */
#define IKEV1_PL_T		3	/* Transform: inside P only */
#define IKEV1_PL_KE		4
#define IKEV1_PL_ID		5
#define IKEV1_PL_CERT		6
#define IKEV1_PL_CR		7
#define IKEV1_PL_HASH		8
#define IKEV1_PL_SIG		9
#define IKEV1_PL_NONCE		10
#define IKEV1_PL_N		11
#define IKEV1_PL_D		12
#define IKEV1_PL_VID		13
#define IKEV1_PL_NATD		20
#define IKEV1_PL_NATOA		21
#define IKEV1_PL_NATD_DRAFT	130
#define IKEV1_PL_NATOA_DRAFT	131

/* Domains of interpretation and the IPsec DOI situation (RFC 2407
 * s. 4.2). */
#define IKEV1_DOI_ISAKMP	0
#define IKEV1_DOI_IPSEC		1
#define IKEV1_SIT_IDENTITY_ONLY	0x01
#define IKEV1_SIT_SECRECY	0x02
#define IKEV1_SIT_INTEGRITY	0x04

/* Protocol IDs (RFC 2407 s. 4.4.1). */
#define IKEV1_PROTO_ISAKMP	1
#define IKEV1_PROTO_AH		2
#define IKEV1_PROTO_ESP		3
#define IKEV1_PROTO_IPCOMP	4

/* Transform IDs: ISAKMP (s. 4.4.2), AH (4.4.3; RFC 4868), ESP (4.4.4;
 * RFC 3602, 2410), IPCOMP (4.4.5). */
#define IKEV1_KEY_IKE		1
#define IKEV1_AH_MD5		2
#define IKEV1_AH_SHA		3
#define IKEV1_AH_DES		4
#define IKEV1_AH_SHA2_256	5
#define IKEV1_AH_SHA2_384	6
#define IKEV1_AH_SHA2_512	7
#define IKEV1_ESP_DES		2
#define IKEV1_ESP_3DES		3
#define IKEV1_ESP_NULL		11
#define IKEV1_ESP_AES		12
#define IKEV1_IPCOMP_OUI	1
#define IKEV1_IPCOMP_DEFLATE	2
#define IKEV1_IPCOMP_LZS	3

/* Oakley attribute types and values (RFC 2409 App. A). */
#define IKEV1_A_ENC		1
#define IKEV1_A_HASH		2
#define IKEV1_A_AUTH		3
#define IKEV1_A_GROUP		4
#define IKEV1_A_GROUP_TYPE	5
#define IKEV1_A_GROUP_PRIME	6
#define IKEV1_A_GROUP_GEN1	7
#define IKEV1_A_GROUP_GEN2	8
#define IKEV1_A_GROUP_CURVE_A	9
#define IKEV1_A_GROUP_CURVE_B	10
#define IKEV1_A_LIFE_TYPE	11
#define IKEV1_A_LIFE_DURATION	12
#define IKEV1_A_PRF		13
#define IKEV1_A_KEY_LEN		14
#define IKEV1_A_FIELD_SIZE	15
#define IKEV1_A_GROUP_ORDER	16
#define IKEV1_ENC_DES_CBC	1
#define IKEV1_ENC_3DES_CBC	5
#define IKEV1_ENC_AES_CBC	7	/* RFC 3602 */
#define IKEV1_HASH_MD5		1
#define IKEV1_HASH_SHA		2
#define IKEV1_HASH_SHA2_256	4	/* RFC 4878 */
#define IKEV1_HASH_SHA2_384	5
#define IKEV1_HASH_SHA2_512	6
#define IKEV1_AUTH_PSK		1
#define IKEV1_AUTH_DSS		2
#define IKEV1_AUTH_RSA_SIG	3
#define IKEV1_AUTH_RSA_ENC	4
#define IKEV1_AUTH_RSA_ENC_REV	5
#define IKEV1_LIFE_SECONDS	1	/* Oakley and IPsec DOI alike */
#define IKEV1_LIFE_KILOBYTES	2

/* IPsec DOI attribute types and values (RFC 2407 s. 4.5; RFC 3947
 * s. 5.1 and the drafts' numbers for UDP encapsulation; RFC 4868). */
#define IKEV1_IA_LIFE_TYPE	1
#define IKEV1_IA_LIFE_DURATION	2
#define IKEV1_IA_GROUP		3
#define IKEV1_IA_ENCAP		4
#define IKEV1_IA_AUTH		5
#define IKEV1_IA_KEY_LEN	6
#define IKEV1_IA_KEY_ROUNDS	7
#define IKEV1_IA_COMP_DICT	8
#define IKEV1_IA_COMP_PRIV	9
#define IKEV1_ENCAP_TUNNEL	1
#define IKEV1_ENCAP_TRANSPORT	2
#define IKEV1_ENCAP_UDP_TUNNEL	3
#define IKEV1_ENCAP_UDP_TRANSPORT 4
#define IKEV1_ENCAP_UDP_TUNNEL_DRAFT	61443
#define IKEV1_ENCAP_UDP_TRANSPORT_DRAFT	61444
#define IKEV1_IAUTH_HMAC_MD5	1
#define IKEV1_IAUTH_HMAC_SHA	2
#define IKEV1_IAUTH_DES_MAC	3
#define IKEV1_IAUTH_KPDK	4
#define IKEV1_IAUTH_HMAC_SHA2_256 5
#define IKEV1_IAUTH_HMAC_SHA2_384 6
#define IKEV1_IAUTH_HMAC_SHA2_512 7

/* Attribute format bit (RFC 2408 s. 3.3): set, a 16-bit value (TV). */
#define IKEV1_ATTR_AF		0x8000

/* Identification types (RFC 2407 s. 4.6.2.1). */
#define IKEV1_ID_IPV4_ADDR	1
#define IKEV1_ID_FQDN		2
#define IKEV1_ID_USER_FQDN	3
#define IKEV1_ID_IPV4_SUBNET	4
#define IKEV1_ID_IPV6_ADDR	5
#define IKEV1_ID_IPV6_SUBNET	6
#define IKEV1_ID_IPV4_RANGE	7
#define IKEV1_ID_IPV6_RANGE	8
#define IKEV1_ID_DER_ASN1_DN	9
#define IKEV1_ID_DER_ASN1_GN	10
#define IKEV1_ID_KEY_ID		11

/* Certificate encodings (RFC 2408 s. 3.9). */
#define IKEV1_CERT_NONE		0
#define IKEV1_CERT_PKCS7	1
#define IKEV1_CERT_PGP		2
#define IKEV1_CERT_DNS_KEY	3
#define IKEV1_CERT_X509_SIG	4
#define IKEV1_CERT_X509_KE	5
#define IKEV1_CERT_KERBEROS	6
#define IKEV1_CERT_CRL		7
#define IKEV1_CERT_ARL		8
#define IKEV1_CERT_SPKI		9
#define IKEV1_CERT_X509_ATTR	10

/* Notify message types: errors (RFC 2408 s. 3.14.1), status (RFC 2407
 * s. 4.6.3) and DPD (RFC 3706 s. 5). */
#define IKEV1_N_INVALID_PAYLOAD_TYPE	1
#define IKEV1_N_DOI_NOT_SUPPORTED	2
#define IKEV1_N_SITUATION_NOT_SUPPORTED	3
#define IKEV1_N_INVALID_COOKIE		4
#define IKEV1_N_INVALID_MAJOR_VERSION	5
#define IKEV1_N_INVALID_MINOR_VERSION	6
#define IKEV1_N_INVALID_EXCHANGE_TYPE	7
#define IKEV1_N_INVALID_FLAGS		8
#define IKEV1_N_INVALID_MESSAGE_ID	9
#define IKEV1_N_INVALID_PROTOCOL_ID	10
#define IKEV1_N_INVALID_SPI		11
#define IKEV1_N_INVALID_TRANSFORM_ID	12
#define IKEV1_N_ATTRIBUTES_NOT_SUPPORTED 13
#define IKEV1_N_NO_PROPOSAL_CHOSEN	14
#define IKEV1_N_BAD_PROPOSAL_SYNTAX	15
#define IKEV1_N_PAYLOAD_MALFORMED	16
#define IKEV1_N_INVALID_KEY_INFORMATION	17
#define IKEV1_N_INVALID_ID_INFORMATION	18
#define IKEV1_N_INVALID_CERT_ENCODING	19
#define IKEV1_N_INVALID_CERTIFICATE	20
#define IKEV1_N_CERT_TYPE_UNSUPPORTED	21
#define IKEV1_N_INVALID_CERT_AUTHORITY	22
#define IKEV1_N_INVALID_HASH_INFORMATION 23
#define IKEV1_N_AUTHENTICATION_FAILED	24
#define IKEV1_N_INVALID_SIGNATURE	25
#define IKEV1_N_ADDRESS_NOTIFICATION	26
#define IKEV1_N_NOTIFY_SA_LIFETIME	27
#define IKEV1_N_CERTIFICATE_UNAVAILABLE	28
#define IKEV1_N_UNSUPPORTED_EXCHANGE_TYPE 29
#define IKEV1_N_UNEQUAL_PAYLOAD_LENGTHS	30
#define IKEV1_N_ERROR_MAX		16383	/* errors are below 16384 */
#define IKEV1_N_CONNECTED		16384
#define IKEV1_N_RESPONDER_LIFETIME	24576
#define IKEV1_N_REPLAY_STATUS		24577
#define IKEV1_N_INITIAL_CONTACT		24578
#define IKEV1_N_DPD_R_U_THERE		36136
#define IKEV1_N_DPD_R_U_THERE_ACK	36137

#endif
