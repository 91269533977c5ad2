# tests/interop/lib/case_cert.sh: certificate authentication against the
# peers (bash, sourced by lib/scenario.sh; issues 6 and 7).
#
#   cert_rsa        IKEv2, RSA-2048 certificates both sides
#   cert_ecdsa      IKEv2, ECDSA P-256 certificates both sides
#   cert_v1_rsa     IKEv1 Main Mode, RSA-2048 certificates
#   cert_v1_ecdsa   IKEv1 Main Mode, ECDSA P-256 certificates (RFC 4754);
#                   strongSwan only (libreswan 4.10 has no IKEv1 ECDSA)
#
# Each run makes a test CA and the two gateways' certificates with
# openssl in the guest's RAM ($INTEROP_WORK/pki, keys mode 0600, gone
# with the run), CA and gateways of the case's key type; the subjects
# "C=US, O=Example VPN, CN=left.example" (ours) and "CN=right.example"
# (the peer's) are the IKE identities (X500DN, ID_DER_ASN1_DN), each
# certificate also names its gateway's address (subjectAltName).
# Besides the checks of lib/scenario.sh (traffic, kernel, wire, both
# daemons' SAs and algorithms) a run passes only if:
#  - our daemon loaded its certificate (its log names the subject), and
#    `ike cmd=list verbose` shows the signature method of the case and
#    "Peer Certificate:" with the peer's subject;
#  - the peer's log shows that it verified our certificate's DN with a
#    signature of the case's key type: strongSwan "authentication of
#    '<our DN>' with RSA...|ECDSA... successful"; libreswan
#    "authenticated peer '...RSA|ECDSA...' signature using peer
#    certificate '<our DN>'", with IKEv1 also "Peer ID is
#    ID_DER_ASN1_DN: '<our DN>'" and an ISAKMP SA with auth=RSA_SIG;
#  - neither side has a preshared key: ours gets no IKEPresharedKey,
#    the peer's configuration none either.

CERT_DN="C=US, O=Example VPN"
CERT_GW=/tmp/ike-gw-left	# tests/vm/lib/ike.sh's directory for "left"

case_cert_rsa() {
	_cert_case 2 rsa
	C_TITLE="IKEv2 RSA-2048 certificates, X500DN identities, tunnel, AES-GCM-256, Curve25519 (31)"
}

case_cert_ecdsa() {
	_cert_case 2 ecdsa
	C_TITLE="IKEv2 ECDSA P-256 certificates, X500DN identities, tunnel, AES-GCM-256, Curve25519 (31)"
}

case_cert_v1_rsa() {
	_cert_case 1 rsa
	C_TITLE="IKEv1 Main Mode RSA-2048 certificates, X500DN identities, tunnel, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14)"
}

case_cert_v1_ecdsa() {
	_cert_case 1 ecdsa
	C_TITLE="IKEv1 Main Mode ECDSA P-256 certificates (RFC 4754), X500DN identities, tunnel, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14)"
}

# _cert_case VERSION rsa|ecdsa: the hooks and expectations of the case.
_cert_case() {
	CERT_KEY=$2
	if [ "$1" = 1 ]; then
		C_VERSION=1 C_IKE_GCM=0 C_ESP_GCM=0 C_DH=14
	fi
	C_OUR_AUTH=RSA_Signature
	[ "$2" = ecdsa ] && C_OUR_AUTH=ECDSA_Signature
	C_OUR_LID="<X500DN Value=\"$CERT_DN, CN=left.example\"/>"
	C_OUR_RID="<X500DN Value=\"$CERT_DN, CN=right.example\"/>"
	C_OUR_SECRET=" "
	C_TOPO=_cert_topology C_PRE_START=_cert_pre
	C_FLOW=_cert_flow
	P_AUTH=$2 P_MY_ID="$CERT_DN, CN=right.example"
	P_PEER_ID="$CERT_DN, CN=left.example"
}

# _cert_topology: the standard topology, then the certificates (their
# subjectAltName needs the addresses); our tunnel gets the addresses,
# which the DN identities do not give.
_cert_topology() {
	C_TOPO="" _topology
	_cert_pki
	C_OUR_TUN=" IKE_LocalAddress=\"$A_L\" IKE_RemoteAddress=\"$A_R\""
}

# _cert_pki: CA, left and right keys and certificates; ours installed
# where our configuration names them, the peer's named by P_*.
_cert_pki() {
	local pki=$INTEROP_WORK/pki alg
	if [ "$CERT_KEY" = rsa ]; then
		alg=(-newkey rsa:2048)
	else
		alg=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	fi
	mkdir -p "$pki"
	(
		umask 077
		cd "$pki" || exit 1
		openssl req -x509 "${alg[@]}" -nodes -keyout ca.key \
		    -out ca.pem -days 30 -subj "/C=US/O=Example VPN/CN=Test CA" \
		    -addext "basicConstraints=critical,CA:TRUE" \
		    -addext "keyUsage=critical,keyCertSign,cRLSign" || exit 1
		_cert_leaf left "$A_L" "${alg[@]}" || exit 1
		_cert_leaf right "$A_R" "${alg[@]}"
	) > "$OUT/$ROLE-openssl.log" 2>&1 ||
	    { cat "$OUT/$ROLE-openssl.log"; fail "openssl: the test PKI"; }
	mkdir -p "$CERT_GW"
	install -m 0600 "$pki/left.key" "$CERT_GW/gw.key"
	install -m 0644 "$pki/left.pem" "$CERT_GW/gw.pem"
	install -m 0644 "$pki/ca.pem" "$CERT_GW/ca.pem"
	P_CERT=$pki/right.pem P_KEY=$pki/right.key P_CA=$pki/ca.pem
}

# _cert_leaf NAME ADDR KEYOPTS...: NAME.key and NAME.pem, issued by the
# CA of the current directory.
_cert_leaf() {
	local n=$1 ip=$2
	shift 2
	openssl req "$@" -nodes -keyout "$n.key" -out "$n.csr" \
	    -subj "/C=US/O=Example VPN/CN=$n.example" || return 1
	printf '%s\n' "keyUsage=critical,digitalSignature" \
	    "subjectAltName=IP:$ip" > "$n.ext"
	openssl x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key \
	    -set_serial "$RANDOM$RANDOM" -days 7 -extfile "$n.ext" -out "$n.pem"
}

# _cert_pre: our certificate files in our isakmpd.conf.
_cert_pre() {
	C_OUR_CONF="CERTIFICATE_FILE=$CERT_GW/gw.pem PRIVATE_KEY_FILE=$CERT_GW/gw.key CA_CERTIFICATES=$CERT_GW/ca.pem"
}

# _cert_flow: the standard flow (libreswan's IKEv1 log names the
# signature method instead of PRESHARED_KEY), then the proofs that the
# certificates authenticated both sides.
_cert_flow() {
	C_LS_IKE=${C_LS_IKE/auth=PRESHARED_KEY/auth=RSA_SIG}
	_flow_std
	step "certificates: ours and $(peer_name $K)'s account"
	_cert_checks_ours
	_cert_checks_$K
}

# _cert_checks_ours: our daemon used its certificate and verified the
# peer's.
_cert_checks_ours() {
	local f=$OUT/$ROLE-left-verbose.txt k
	grep -qF "certificate $CERT_DN, CN=left.example" \
	    "$OUT/isakmpd-left.log" ||
	    fail "ours: the log does not name our certificate"
	for k in "Authentication Method: $C_OUR_AUTH" \
	    "Peer Certificate: $CERT_DN, CN=right.example"; do
		grep -q "^$k" "$f" || { cat "$f"; fail "ours: no '$k'"; }
	done
}

# _cert_keyword: the key type as the peers' logs name it.
_cert_keyword() {
	[ "$CERT_KEY" = rsa ] && echo RSA || echo ECDSA
}

# _cert_checks_sw: charon verified a signature of our DN's key (IKEv2:
# the signature scheme, e.g. RSA_EMSA_PKCS1_SHA2_256 or ECDSA-256;
# IKEv1: the key type), not its own ("(myself)").
_cert_checks_sw() {
	local log=$OUT/$PN.log kw
	kw=$(_cert_keyword)
	grep -E "authentication of '[^']*' (\(myself\) )?with" "$log"
	grep -Eq "authentication of '$CERT_DN, CN=left.example' with ${kw}[A-Za-z0-9_-]* successful" "$log" ||
	    fail "strongSwan's log: no $kw authentication of our certificate's DN"
}

# _cert_checks_ls: pluto authenticated our DN with our certificate and a
# signature of the case's key type ("authenticated peer '2048-bit
# RSASSA-PSS with SHA2_256' digital signature using peer certificate
# '<DN>' issued by CA ...", IKEv1 "'2048-bit RSA with SHA1' signature");
# IKEv1: our DN as the peer's ID and the ISAKMP SA with auth=RSA_SIG.
_cert_checks_ls() {
	local log=$OUT/$PN.log kw
	kw=$(_cert_keyword)
	grep -E "authenticated peer|Peer ID is|SA established" "$log"
	grep -Eq "authenticated peer '[^']*${kw}[^']*' (digital )?signature using peer certificate '$CERT_DN, CN=left.example'" "$log" ||
	    fail "libreswan's log: our certificate not authenticated with $kw"
	[ $C_VERSION = 2 ] && return 0
	grep -qF "Peer ID is ID_DER_ASN1_DN: '$CERT_DN, CN=left.example'" "$log" ||
	    fail "libreswan's log: our DN not the peer ID"
	grep -qF "IKE SA established {auth=RSA_SIG " "$log" ||
	    fail "libreswan's log: ISAKMP SA not auth=RSA_SIG"
}
