#!/bin/bash
# Real-kernel test of certificate authentication (issue 7) between two
# isakmpd gateways (-K linux) in namespaces with hosts behind them, as
# test_ike_tunnel.sh does with a preshared key: IKEv2 with ECDSA P-256
# certificates and X500DN identities (default), or with the argument
# "v1" (test_ikev1_cert.sh) IKEv1 Main Mode with RSA-2048 certificates
# and address identities.  A test CA, the gateways' keys and
# certificates (subjectAltName IP: the gateway's address) are made at
# run time with /usr/bin/openssl (Debian package openssl); the keys live
# in the guest's RAM with mode 0600.  Passes only if:
#  - both daemons start with their certificate (the log names it) and
#    list the phase-1 and phase-2 tunnels Active;
#  - `ike cmd=list verbose` on each side says the signature method and
#    names the peer's certificate subject;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way; every ESP SA of both
#    gateways moved its byte counter; what each gateway sends on the
#    link holds ESP and neither marker nor a packet of the protected
#    subnets, while a control message outside the policies is seen in
#    plaintext (so the capture would have shown a leak);
#  - the IKE exchange carried certificates: at least two IKE messages
#    on the wire (one each way) are larger than any of a preshared-key
#    exchange (IKE_AUTH or Main Mode messages 5 and 6 with a certificate
#    of several hundred octets);
#  - SIGTERM exits 0 without sanitizer reports and leaves no SA and no
#    policy in either kernel.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/traffic.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
if [ "${1:-}" = v1 ]; then
	VER=1 METHOD=RSA_Signature KEYALG=(-newkey rsa:2048) DH=14
	ENC=AES-CBC-256 MODE_LINE="Exchange Mode: Main"
else
	VER=2 METHOD=ECDSA_Signature DH=19 ENC=AES-GCM-256
	KEYALG=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
	MODE_LINE="IKE Version: 2"
fi
OPENSSL=${OPENSSL:-/usr/bin/openssl}
[ -x "$OPENSSL" ] || fail "$OPENSSL is missing (Debian package openssl)"
PKI=/tmp/ike-pki
DN_BASE="/C=US/O=Example VPN"

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --hosts || fail "netns_pair_up --hosts"

step "a test CA and the gateways' certificates (openssl, IKEv$VER, $METHOD)"
rm -rf "$PKI"
mkdir -p "$PKI"
(
	umask 077
	cd "$PKI" || exit 1
	"$OPENSSL" req -x509 "${KEYALG[@]}" -nodes -keyout ca.key \
	    -out ca.pem -days 30 -subj "$DN_BASE/CN=Test CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" || exit 1
	for gw in left:"$LEFT_IP" right:"$RIGHT_IP"; do
		n=${gw%%:*} ip=${gw#*:}
		"$OPENSSL" req "${KEYALG[@]}" -nodes -keyout "$n.key" \
		    -out "$n.csr" -subj "$DN_BASE/CN=$n.example" || exit 1
		printf '%s\n' "keyUsage=critical,digitalSignature" \
		    "subjectAltName=IP:$ip" > "$n.ext"
		"$OPENSSL" x509 -req -in "$n.csr" -CA ca.pem -CAkey ca.key \
		    -set_serial "$RANDOM" -days 7 -extfile "$n.ext" \
		    -out "$n.pem" || exit 1
	done
) > "$OUT/openssl.log" 2>&1 || { cat "$OUT/openssl.log"; fail "openssl"; }
for ns in left right; do
	d=$(_ike_dir "$ns")
	mkdir -p "$d"
	install -m 0600 "$PKI/$ns.key" "$d/gw.key"
	install -m 0644 "$PKI/$ns.pem" "$d/gw.pem"
	install -m 0644 "$PKI/ca.pem" "$d/ca.pem"
done

# cert_defs FILE ME PEER ME_IP PEER_IP ME_NET PEER_NET: the definitions
# seen from one side.  IKEv2: X500DN identities (the subjects, written
# as `openssl x509 -subject` shows them); IKEv1: address identities
# (the certificates' subjectAltName).
cert_defs() {
	local f=$1 me=$2 peer=$3 mi=$4 pi=$5 mn=${6%/*} pn=${7%/*} lid rid
	if [ "$VER" = 2 ]; then
		lid="<X500DN Value=\"C=US, O=Example VPN, CN=$me.example\"/>"
		rid="<X500DN Value=\"C=US, O=Example VPN, CN=$peer.example\"/>"
	else
		lid="<IPV4_Address Value=\"$mi\"/>"
		rid="<IPV4_Address Value=\"$pi\"/>"
	fi
	cat > "$f" <<XML
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="c-ike" IKE_Version="$VER">
    <IKETransform IKE_Encryption="AES-CBC-256" IKE_Hash="SHA2-256" IKE_DHGroup="$DH" IKE_AuthenticationMethod="$METHOD"/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="cgw" IKE_ProtectionRef="c-ike" IKE_LocalAddress="$mi" IKE_RemoteAddress="$pi">
    <IKELocalIdentity>$lid</IKELocalIdentity>
    <IKERemoteIdentity>$rid</IKERemoteIdentity>
  </IKETunnel>
  <IPSecProposal IPSec_ProposalName="c-esp">
    <IPSecESPProtocol ESP_Encryption="$ENC" ESP_Authentication="$([ "$ENC" = AES-GCM-256 ] && echo None || echo HMAC-SHA2-256)"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="c-p2" IPSec_ProposalRefs="c-esp"/>
  <IPSecTunnel IPSec_TunnelName="cgw-p2" IKE_TunnelName="cgw" IPSec_ProtectionRef="c-p2">
    <IPSecLocalIdentity><IPV4_Subnet Value="$mn" NetMask="255.255.255.0"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Subnet Value="$pn" NetMask="255.255.255.0"/></IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
XML
}

step "definitions and daemons"
cert_defs "$OUT/cert-left.xml" left right "$LEFT_IP" "$RIGHT_IP" \
    "$LEFT_NET" "$RIGHT_NET"
cert_defs "$OUT/cert-right.xml" right left "$RIGHT_IP" "$LEFT_IP" \
    "$RIGHT_NET" "$LEFT_NET"
ike_load left "$OUT/cert-left.xml" || fail "ikedb -p in left"
ike_load right "$OUT/cert-right.xml" || fail "ikedb -p in right"
for ns in left right; do
	d=$(_ike_dir "$ns")
	ike_gw_start "$ns" "CERTIFICATE_FILE=$d/gw.pem" \
	    "PRIVATE_KEY_FILE=$d/gw.key" "CA_CERTIFICATES=$d/ca.pem"
	wait_until 5 grep -q "certificate C=US, O=Example VPN, CN=$ns.example" \
	    "$(_ike_log "$ns")" || { cat "$(_ike_log "$ns")";
	    fail "$ns: the log does not name the certificate"; }
done

step "ike cmd=activate phase=2 numlist=1 on the left"
capture_start left eth0 ike-left "udp port 500 or udp port 4500"
ike_up phase=2 numlist=1
capture_stop

step "ike cmd=list verbose: $METHOD and the peer's certificate"
for p in left:right right:left; do
	ns=${p%%:*} peer=${p#*:}
	ike_in "$ns" "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/$ns-verbose.txt"
	cat "$OUT/$ns-verbose.txt"
	for want in "Authentication Method: $METHOD" "$MODE_LINE" \
	    "Peer Certificate: C=US, O=Example VPN, CN=$peer.example"; do
		grep -q "^$want" "$OUT/$ns-verbose.txt" ||
		    fail "$ns: ike cmd=list verbose lacks '$want'"
	done
done

step "the IKE exchange carried certificates"
# The largest IKE datagram: a certificate (~500 octets and more) plus
# its signature; a preshared-key IKE_AUTH or Main Mode message 5 stays
# under 400 octets.
big=$(pcap_count ike-left "(udp port 500 or udp port 4500) and greater 650")
[ "$big" -ge 2 ] ||
    fail "fewer than 2 IKE messages over 650 octets: no certificates on the wire"

step "traffic between the hosts, captured where it leaves each gateway"
tunnel_esp_only

step "counters"
xfrm_esp_check left 2 tunnel || fail "left: ESP states"
xfrm_esp_check right 2 tunnel || fail "right: ESP states"

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean
rm -rf "$PKI"
pass "IKEv$VER with $METHOD certificates between two isakmpd gateways carries ESP only"
