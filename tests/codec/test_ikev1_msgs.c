/* IKEv1 messages assembled byte by byte from the diagrams of RFC 2408
 * s. 3 and RFC 2407 s. 4.6, for test_ikev1_codec.c and
 * test_ikev1_reject.c (which declare what they use).  Hex text, as
 * cx_hex() reads it: '#' starts a comment. */

/* Main Mode message 1: HDR, SA, VID.  One ISAKMP proposal with two
 * KEY_IKE transforms, TV attributes and a TLV Life Duration each. */
const char v1t_mm1[] =
    "0102030405060708 0000000000000000"	/* CKY-I, CKY-R */
    "01 10 02 00 00000000 0000008e"	/* SA, 1.0, Main, -, 0, 142 */
    /* @28 SA: next VID, length 94, DOI IPsec, SIT_IDENTITY_ONLY */
    "0d 00 005e 00000001 00000001"
    /* @40 P: last, length 82, #1, ISAKMP, SPI size 0, 2 transforms */
    "00 00 0052 01 01 00 02"
    /* @48 T: more, length 40, #1, KEY_IKE, RESERVED2 */
    "03 00 0028 01 01 0000"
    "8001 0007"		/* Encryption AES-CBC */
    "800e 0080"		/* Key Length 128 */
    "8002 0002"		/* Hash SHA */
    "8003 0001"		/* Authentication pre-shared key */
    "8004 000e"		/* Group 14 */
    "800b 0001"		/* Life Type seconds */
    "000c 0004 00015180"	/* @80 Life Duration, TLV: 86400 */
    /* @88 T: last, length 34, #2, KEY_IKE */
    "00 00 0022 02 01 0000"
    "8001 0005 8002 0001 8003 0001 8004 0002 800b 0001"
    "000c 0002 0e10"	/* Life Duration, TLV of 2 octets: 3600 */
    /* @122 VID: last, length 20: the RFC 3947 vendor ID */
    "00 00 0014 4a131c81070358455c5728f20e95452f";

/* Quick Mode message 1 with the E flag: the header and 8 octets
 * standing in for the ciphertext. */
const char v1t_qm1_hdr[] =
    "1111111111111111 2222222222222222"
    "08 10 20 01 a1b2c3d4 00000024"	/* HASH, 1.0, Quick, E, len 36 */
    "0011223344556677";

/* Its decrypted body: HASH(1), SA, Ni, IDci, IDcr, then 4 octets of
 * padding. */
const char v1t_qm1_body[] =
    /* @0 HASH: next SA, length 24 */
    "01 00 0018 000102030405060708090a0b0c0d0e0f10111213"
    /* @24 SA: next Nonce, length 56 */
    "0a 00 0038 00000001 00000001"
    /* @36 P: last, length 44, #1, ESP, SPI size 4, 1 transform */
    "00 00 002c 01 03 04 01 cafebabe"
    /* @48 T: last, length 32, #1, ESP_AES */
    "00 00 0020 01 0c 0000"
    "8001 0001"		/* SA Life Type seconds */
    "0002 0004 00000e10"	/* SA Life Duration, TLV: 3600 */
    "8004 0001"		/* Encapsulation Mode tunnel */
    "8005 0002"		/* Authentication Algorithm HMAC-SHA */
    "8006 0080"		/* Key Length 128 */
    /* @80 Nonce: next ID, length 20 */
    "05 00 0014 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
    /* @100 IDci: next ID, length 16, IPV4_ADDR_SUBNET, any, 0 */
    "05 00 0010 04 00 0000 0a000100 ffffff00"
    /* @116 IDcr: last, length 16, IPV4_ADDR_SUBNET, UDP, 500 */
    "00 00 0010 04 11 01f4 0a000200 ffffff00"
    /* @132 padding */
    "00000003";

/* An Informational exchange in the clear: HASH, D (two ESP SPIs),
 * D (an ISAKMP SA by its cookies). */
const char v1t_delete[] =
    "0102030405060708 a1a2a3a4a5a6a7a8"
    "08 10 05 00 01020304 00000064"	/* HASH, 1.0, Info, -, len 100 */
    /* @28 HASH: next D, length 24 */
    "0c 00 0018 202122232425262728292a2b2c2d2e2f30313233"
    /* @52 D: next D, length 20, IPsec, ESP, SPI size 4, 2 SPIs */
    "0c 00 0014 00000001 03 04 0002 11111111 22222222"
    /* @72 D: last, length 28, IPsec, ISAKMP, SPI size 16, 1 SPI */
    "00 00 001c 00000001 01 10 0001"
    "0102030405060708 a1a2a3a4a5a6a7a8";

/* An Informational exchange in the clear: HASH, N(RESPONDER-LIFETIME)
 * with an ESP SPI and attributes, N(R-U-THERE) with the cookies. */
const char v1t_notify[] =
    "0102030405060708 a1a2a3a4a5a6a7a8"
    "08 10 05 00 05060708 00000070"	/* HASH, 1.0, Info, -, len 112 */
    /* @28 HASH: next N, length 24 */
    "0b 00 0018 404142434445464748494a4b4c4d4e4f50515253"
    /* @52 N: next N, length 28, IPsec, ESP, SPI size 4,
     * RESPONDER-LIFETIME, SPI, Life Type seconds, Duration 3600 */
    "0b 00 001c 00000001 03 04 6000 11223344"
    "8001 0001 0002 0004 00000e10"
    /* @80 N: last, length 32, IPsec, ISAKMP, SPI size 16, R-U-THERE,
     * the cookies, sequence number 7 */
    "00 00 0020 00000001 01 10 8d28"
    "0102030405060708 a1a2a3a4a5a6a7a8 00000007";

/* Main Mode message 3 with NAT traversal: HDR, KE, Ni, NAT-D, NAT-D,
 * and a Quick Mode-style NAT-OA and a CR to cover the other decoders
 * (payload rules are not the codec's business). */
const char v1t_misc[] =
    "0102030405060708 a1a2a3a4a5a6a7a8"
    "04 10 02 00 00000000 0000008c"	/* KE, 1.0, Main, -, len 140 */
    /* @28 KE: next Nonce, length 12 */
    "0a 00 000c 0102030405060708"
    /* @40 Nonce: next NAT-D, length 20 */
    "14 00 0014 b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    /* @60 NAT-D: next NAT-D(draft), length 24 */
    "82 00 0018 c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3"
    /* @84 NAT-D (draft 130): next NAT-OA, length 8 */
    "15 00 0008 d4d5d6d7"
    /* @92 NAT-OA: next CR, length 12, IPV4_ADDR, RESERVED, 192.0.2.1 */
    "07 00 000c 01 00 0000 c0000201"
    /* @104 CR: next CERT, length 5, X.509 signature, any CA */
    "06 00 0005 04"
    /* @109 CERT: next SIG, length 8, X.509 signature, 3 octets */
    "09 00 0008 04 300102"
    /* @117 SIG: next ID, length 6 */
    "05 00 0006 5151"
    /* @123 ID: last, length 17, FQDN, any, 0, "a.example" */
    "00 00 0011 02 00 0000 612e6578616d706c65";
