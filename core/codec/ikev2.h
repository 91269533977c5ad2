/* core/codec/ikev2.h: IKEv2 wire constants (RFC 7296 s. 3 and the IANA
 * "IKEv2 Parameters" registry as set by the RFCs named next to each
 * group).  Values only; the message codec is core/codec/ikev2_msg.h. */
#ifndef IKE_IKEV2_H
#define IKE_IKEV2_H

/* Sizes (RFC 7296 s. 3.1, 3.2, 3.9). */
#define IKEV2_HDR_LEN		28	/* the IKE header */
#define IKEV2_PL_HDR_LEN	4	/* the generic payload header */
#define IKEV2_SPI_LEN		8	/* IKE SA SPIs */
#define IKEV2_NONCE_MIN		16
#define IKEV2_NONCE_MAX		256

/* Version octet: major version in the high nibble (RFC 7296 s. 3.1). */
#define IKEV2_MAJOR		2
#define IKEV2_MINOR		0

/* Header flags (RFC 7296 s. 3.1); bits 0-2 and 6-7 are reserved. */
#define IKEV2_F_INITIATOR	0x08
#define IKEV2_F_VERSION		0x10
#define IKEV2_F_RESPONSE	0x20

/* Exchange types (RFC 7296 s. 3.1). */
#define IKEV2_EXCH_IKE_SA_INIT		34
#define IKEV2_EXCH_IKE_AUTH		35
#define IKEV2_EXCH_CREATE_CHILD_SA	36
#define IKEV2_EXCH_INFORMATIONAL	37

/* Payload types (RFC 7296 s. 3.2; SKF: RFC 7383 s. 2.5).  The codec
 * decodes these; any other type is unknown to it (s. 2.5: skipped, or
 * the message refused when the payload has the critical bit). */
#define IKEV2_PL_NONE		0
#define IKEV2_PL_SA		33
#define IKEV2_PL_KE		34
#define IKEV2_PL_IDI		35
#define IKEV2_PL_IDR		36
#define IKEV2_PL_CERT		37
#define IKEV2_PL_CERTREQ	38
#define IKEV2_PL_AUTH		39
#define IKEV2_PL_NONCE		40
#define IKEV2_PL_NOTIFY		41
#define IKEV2_PL_DELETE		42
#define IKEV2_PL_VENDOR		43
#define IKEV2_PL_TSI		44
#define IKEV2_PL_TSR		45
#define IKEV2_PL_SK		46
#define IKEV2_PL_CP		47
#define IKEV2_PL_EAP		48
#define IKEV2_PL_SKF		53

/* Generic payload header: the critical bit (RFC 7296 s. 3.2). */
#define IKEV2_PL_CRITICAL	0x80

/* Protocol IDs (RFC 7296 s. 3.3.1). */
#define IKEV2_PROTO_IKE		1
#define IKEV2_PROTO_AH		2
#define IKEV2_PROTO_ESP		3

/* SPI sizes (RFC 7296 s. 3.3.1). */
#define IKEV2_SPI_SIZE_IKE	8	/* IKE SA rekey */
#define IKEV2_SPI_SIZE_CHILD	4	/* ESP, AH */

/* Substructure "Last Substruc" values (RFC 7296 s. 3.3.1, 3.3.2). */
#define IKEV2_LAST		0
#define IKEV2_MORE_PROPOSALS	2
#define IKEV2_MORE_TRANSFORMS	3

/* Transform types (RFC 7296 s. 3.3.2). */
#define IKEV2_XF_ENCR		1
#define IKEV2_XF_PRF		2
#define IKEV2_XF_INTEG		3
#define IKEV2_XF_DH		4
#define IKEV2_XF_ESN		5

/* Transform type 1: encryption algorithms (RFC 7296 s. 3.3.2; 13-21:
 * RFC 3686, 4309, 4106, 4543; 23: RFC 5529; 28: RFC 7634). */
#define IKEV2_ENCR_DES_IV64		1
#define IKEV2_ENCR_DES			2
#define IKEV2_ENCR_3DES			3
#define IKEV2_ENCR_RC5			4
#define IKEV2_ENCR_IDEA			5
#define IKEV2_ENCR_CAST			6
#define IKEV2_ENCR_BLOWFISH		7
#define IKEV2_ENCR_3IDEA		8
#define IKEV2_ENCR_DES_IV32		9
#define IKEV2_ENCR_NULL			11
#define IKEV2_ENCR_AES_CBC		12
#define IKEV2_ENCR_AES_CTR		13
#define IKEV2_ENCR_AES_CCM_8		14
#define IKEV2_ENCR_AES_CCM_12		15
#define IKEV2_ENCR_AES_CCM_16		16
#define IKEV2_ENCR_AES_GCM_8		18
#define IKEV2_ENCR_AES_GCM_12		19
#define IKEV2_ENCR_AES_GCM_16		20
#define IKEV2_ENCR_NULL_AUTH_AES_GMAC	21
#define IKEV2_ENCR_CAMELLIA_CBC		23
#define IKEV2_ENCR_CHACHA20_POLY1305	28

/* Transform type 2: pseudorandom functions (RFC 7296; 4: RFC 4434;
 * 5-7: RFC 4868; 8: RFC 4615). */
#define IKEV2_PRF_HMAC_MD5		1
#define IKEV2_PRF_HMAC_SHA1		2
#define IKEV2_PRF_HMAC_TIGER		3
#define IKEV2_PRF_AES128_XCBC		4
#define IKEV2_PRF_HMAC_SHA2_256		5
#define IKEV2_PRF_HMAC_SHA2_384		6
#define IKEV2_PRF_HMAC_SHA2_512		7
#define IKEV2_PRF_AES128_CMAC		8

/* Transform type 3: integrity algorithms (RFC 7296; 5: RFC 3566; 8:
 * RFC 4494; 9-11: RFC 4543; 12-14: RFC 4868). */
#define IKEV2_INTEG_NONE			0
#define IKEV2_INTEG_HMAC_MD5_96		1
#define IKEV2_INTEG_HMAC_SHA1_96		2
#define IKEV2_INTEG_DES_MAC		3
#define IKEV2_INTEG_KPDK_MD5		4
#define IKEV2_INTEG_AES_XCBC_96		5
#define IKEV2_INTEG_HMAC_MD5_128		6
#define IKEV2_INTEG_HMAC_SHA1_160	7
#define IKEV2_INTEG_AES_CMAC_96		8
#define IKEV2_INTEG_AES_128_GMAC		9
#define IKEV2_INTEG_AES_192_GMAC		10
#define IKEV2_INTEG_AES_256_GMAC		11
#define IKEV2_INTEG_HMAC_SHA2_256_128	12
#define IKEV2_INTEG_HMAC_SHA2_384_192	13
#define IKEV2_INTEG_HMAC_SHA2_512_256	14

/* Transform type 4: Diffie-Hellman groups (RFC 7296 appendix B; 14-18:
 * RFC 3526; 19-21: RFC 5903; 22-26: RFC 5114; 27-30: RFC 6954; 31-32:
 * RFC 8031). */
#define IKEV2_DH_NONE			0
#define IKEV2_DH_MODP_768		1
#define IKEV2_DH_MODP_1024		2
#define IKEV2_DH_MODP_1536		5
#define IKEV2_DH_MODP_2048		14
#define IKEV2_DH_MODP_3072		15
#define IKEV2_DH_MODP_4096		16
#define IKEV2_DH_MODP_6144		17
#define IKEV2_DH_MODP_8192		18
#define IKEV2_DH_ECP_256		19
#define IKEV2_DH_ECP_384		20
#define IKEV2_DH_ECP_521		21
#define IKEV2_DH_MODP_1024_160		22
#define IKEV2_DH_MODP_2048_224		23
#define IKEV2_DH_MODP_2048_256		24
#define IKEV2_DH_ECP_192		25
#define IKEV2_DH_ECP_224		26
#define IKEV2_DH_BRAINPOOL_224		27
#define IKEV2_DH_BRAINPOOL_256		28
#define IKEV2_DH_BRAINPOOL_384		29
#define IKEV2_DH_BRAINPOOL_512		30
#define IKEV2_DH_CURVE25519		31
#define IKEV2_DH_CURVE448		32

/* Transform type 5: extended sequence numbers (RFC 7296). */
#define IKEV2_ESN_NO		0
#define IKEV2_ESN_YES		1

/* Transform attributes (RFC 7296 s. 3.3.5): the AF bit marks the TV
 * format; Key Length is the only attribute the RFC defines and is TV. */
#define IKEV2_ATTR_AF		0x8000
#define IKEV2_ATTR_KEY_LENGTH	14

/* ID types (RFC 7296 s. 3.5; 12: RFC 4595; 13: RFC 7619). */
#define IKEV2_ID_IPV4_ADDR	1
#define IKEV2_ID_FQDN		2
#define IKEV2_ID_RFC822_ADDR	3
#define IKEV2_ID_IPV6_ADDR	5
#define IKEV2_ID_DER_ASN1_DN	9
#define IKEV2_ID_DER_ASN1_GN	10
#define IKEV2_ID_KEY_ID		11
#define IKEV2_ID_FC_NAME	12
#define IKEV2_ID_NULL		13

/* Certificate encodings (RFC 7296 s. 3.6; 14: RFC 4806; 15: RFC 7670). */
#define IKEV2_CERT_PKCS7		1
#define IKEV2_CERT_PGP			2
#define IKEV2_CERT_DNS_SIGNED_KEY	3
#define IKEV2_CERT_X509_SIG		4
#define IKEV2_CERT_KERBEROS		6
#define IKEV2_CERT_CRL			7
#define IKEV2_CERT_ARL			8
#define IKEV2_CERT_SPKI			9
#define IKEV2_CERT_X509_ATTR		10
#define IKEV2_CERT_RAW_RSA		11
#define IKEV2_CERT_HASH_URL_X509	12
#define IKEV2_CERT_HASH_URL_BUNDLE	13
#define IKEV2_CERT_OCSP_CONTENT		14
#define IKEV2_CERT_RAW_PUBLIC_KEY	15

/* A CERTREQ for X.509 certificates lists SHA-1 hashes of CA public keys
 * (RFC 7296 s. 3.7). */
#define IKEV2_CERTREQ_HASH_LEN	20

/* Authentication methods (RFC 7296 s. 3.8; 9-11: RFC 4754; 12: RFC
 * 6467; 13: RFC 7619; 14: RFC 7427). */
#define IKEV2_AUTH_RSA_SIG		1
#define IKEV2_AUTH_SHARED_KEY_MIC	2
#define IKEV2_AUTH_DSS_SIG		3
#define IKEV2_AUTH_ECDSA_256		9
#define IKEV2_AUTH_ECDSA_384		10
#define IKEV2_AUTH_ECDSA_521		11
#define IKEV2_AUTH_GSPAM		12
#define IKEV2_AUTH_NULL			13
#define IKEV2_AUTH_DIGITAL_SIG		14

/* Notify message types, errors 1-16383 (RFC 7296 s. 3.10.1; 40-41: RFC
 * 4555). */
#define IKEV2_N_ERROR_MAX			16383
#define IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD	1
#define IKEV2_N_INVALID_IKE_SPI			4
#define IKEV2_N_INVALID_MAJOR_VERSION		5
#define IKEV2_N_INVALID_SYNTAX			7
#define IKEV2_N_INVALID_MESSAGE_ID		9
#define IKEV2_N_INVALID_SPI			11
#define IKEV2_N_NO_PROPOSAL_CHOSEN		14
#define IKEV2_N_INVALID_KE_PAYLOAD		17
#define IKEV2_N_AUTHENTICATION_FAILED		24
#define IKEV2_N_SINGLE_PAIR_REQUIRED		34
#define IKEV2_N_NO_ADDITIONAL_SAS		35
#define IKEV2_N_INTERNAL_ADDRESS_FAILURE	36
#define IKEV2_N_FAILED_CP_REQUIRED		37
#define IKEV2_N_TS_UNACCEPTABLE			38
#define IKEV2_N_INVALID_SELECTORS		39
#define IKEV2_N_UNACCEPTABLE_ADDRESSES		40
#define IKEV2_N_UNEXPECTED_NAT_DETECTED		41
#define IKEV2_N_TEMPORARY_FAILURE		43
#define IKEV2_N_CHILD_SA_NOT_FOUND		44

/* Notify message types, status 16384- (RFC 7296 s. 3.10.1; 16396-16402:
 * RFC 4555; 16430: RFC 7383; 16431: RFC 7427). */
#define IKEV2_N_INITIAL_CONTACT			16384
#define IKEV2_N_SET_WINDOW_SIZE			16385
#define IKEV2_N_ADDITIONAL_TS_POSSIBLE		16386
#define IKEV2_N_IPCOMP_SUPPORTED		16387
#define IKEV2_N_NAT_DETECTION_SOURCE_IP		16388
#define IKEV2_N_NAT_DETECTION_DESTINATION_IP	16389
#define IKEV2_N_COOKIE				16390
#define IKEV2_N_USE_TRANSPORT_MODE		16391
#define IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED	16392
#define IKEV2_N_REKEY_SA			16393
#define IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED	16394
#define IKEV2_N_NON_FIRST_FRAGMENTS_ALSO	16395
#define IKEV2_N_MOBIKE_SUPPORTED		16396
#define IKEV2_N_ADDITIONAL_IP4_ADDRESS		16397
#define IKEV2_N_ADDITIONAL_IP6_ADDRESS		16398
#define IKEV2_N_NO_ADDITIONAL_ADDRESSES		16399
#define IKEV2_N_UPDATE_SA_ADDRESSES		16400
#define IKEV2_N_COOKIE2				16401
#define IKEV2_N_NO_NATS_ALLOWED			16402
#define IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED	16430
#define IKEV2_N_SIGNATURE_HASH_ALGORITHMS	16431

/* Traffic selector types (RFC 7296 s. 3.13.1) and their Selector
 * Length: 8 octets of header and ports, then two addresses. */
#define IKEV2_TS_IPV4_ADDR_RANGE	7
#define IKEV2_TS_IPV6_ADDR_RANGE	8
#define IKEV2_TS_IPV4_LEN		16
#define IKEV2_TS_IPV6_LEN		40

/* Configuration payload types and attributes (RFC 7296 s. 3.15, 3.15.1;
 * the deprecated 5, 9 and 11 are left out). */
#define IKEV2_CFG_REQUEST		1
#define IKEV2_CFG_REPLY			2
#define IKEV2_CFG_SET			3
#define IKEV2_CFG_ACK			4
#define IKEV2_CP_ATTR_TYPE_MASK		0x7fff	/* high bit: reserved */
#define IKEV2_CP_INTERNAL_IP4_ADDRESS	1
#define IKEV2_CP_INTERNAL_IP4_NETMASK	2
#define IKEV2_CP_INTERNAL_IP4_DNS	3
#define IKEV2_CP_INTERNAL_IP4_NBNS	4
#define IKEV2_CP_INTERNAL_IP4_DHCP	6
#define IKEV2_CP_APPLICATION_VERSION	7
#define IKEV2_CP_INTERNAL_IP6_ADDRESS	8
#define IKEV2_CP_INTERNAL_IP6_DNS	10
#define IKEV2_CP_INTERNAL_IP6_DHCP	12
#define IKEV2_CP_INTERNAL_IP4_SUBNET	13
#define IKEV2_CP_SUPPORTED_ATTRIBUTES	14
#define IKEV2_CP_INTERNAL_IP6_SUBNET	15

/* EAP codes (RFC 3748 s. 4), carried in the EAP payload (RFC 7296
 * s. 3.16). */
#define IKEV2_EAP_REQUEST	1
#define IKEV2_EAP_RESPONSE	2
#define IKEV2_EAP_SUCCESS	3
#define IKEV2_EAP_FAILURE	4

#endif
