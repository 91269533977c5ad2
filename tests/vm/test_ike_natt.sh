#!/bin/bash
# Real-kernel test of NAT traversal (RFC 7296 s. 2.23, RFC 3948) driven by
# the daemon: two isakmpd gateways (-K linux), left behind the NAT
# namespace (lib/netns.sh --nat --hosts: left 10.0.0.2 reaches right
# 198.51.100.2 as 198.51.100.1), FQDN identities and explicit addresses in
# the definitions (the right side knows the left one by its ID and the
# NAT's address), NAT-T on with a 2-second keepalive interval on both,
# `ike cmd=activate` on the left.  Passes only if:
#  - both daemons list the phase-1 and phase-2 tunnels Active, and
#    `ike cmd=list verbose` says "NAT: local" on the left and "NAT:
#    remote" on the right;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way;
#  - every SA in `ip xfrm state` of both gateways has `encap type
#    espinudp` (4500 on both ends on the left) and moved its byte counter;
#  - on the NAT's public link the tunnel traffic is ESP in UDP port 4500
#    (non-zero SPI), there is no bare ESP, no IKE on port 500 after
#    IKE_SA_INIT, and neither marker in plaintext;
#  - keepalives (one-octet UDP datagrams 0xFF to port 4500) from the left
#    are on the wire within the interval, and none from the right (not
#    behind a NAT);
#  - SIGTERM leaves no SA and no policy of the daemon in either kernel,
#    and neither daemon's log holds a sanitizer report.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
KEEPALIVE=2

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --nat --hosts || fail "netns_pair_up --nat --hosts"

# natt_xml LOCAL_ADDR REMOTE_ADDR LOCAL_ID REMOTE_ID LOCAL_NET REMOTE_NET
natt_xml() {
	cat << EOF
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="natt-ike" IKE_Version="2">
    <IKETransform IKE_Encryption="AES-GCM-256" IKE_Hash="SHA2-256" IKE_DHGroup="19"/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="natt" IKE_ProtectionRef="natt-ike" IKE_LocalAddress="$1" IKE_RemoteAddress="$2">
    <IKELocalIdentity><FQDN Value="$3"/></IKELocalIdentity>
    <IKERemoteIdentity><FQDN Value="$4"/></IKERemoteIdentity>
  </IKETunnel>
  <IKEPresharedKey Value="NAT-T test key, not for real use" Format="ASCII">
    <IKEPresharedRemoteID><FQDN Value="$4"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IPSecProposal IPSec_ProposalName="natt-esp">
    <IPSecESPProtocol ESP_Encryption="AES-GCM-256" ESP_Authentication="None"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="natt-p2" IPSec_ProposalRefs="natt-esp"/>
  <IPSecTunnel IPSec_TunnelName="natt-lan" IKE_TunnelName="natt" IPSec_ProtectionRef="natt-p2">
    <IPSecLocalIdentity><IPV4_Subnet Value="${5%/*}" NetMask="255.255.255.0"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Subnet Value="${6%/*}" NetMask="255.255.255.0"/></IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
EOF
}

step "definitions and daemons"
natt_xml "$LEFT_IP" "$RIGHT_IP" left.example right.example \
    "$LEFT_NET" "$RIGHT_NET" > "$OUT/natt-left.xml"
natt_xml "$RIGHT_IP" "$LEFT_PUBLIC_IP" right.example left.example \
    "$RIGHT_NET" "$LEFT_NET" > "$OUT/natt-right.xml"
ike_load left "$OUT/natt-left.xml" || fail "ikedb -p in left"
ike_load right "$OUT/natt-right.xml" || fail "ikedb -p in right"
CONF=(ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2=YES
    "NAT_KEEPALIVE_INTERVAL=$KEEPALIVE")
ike_gw_start left "${CONF[@]}"
ike_gw_start right "${CONF[@]}"

step "IKE through the NAT, captured on the NAT's public link"
# nat eth1 carries both directions between the NAT and right, and nothing
# is decrypted in the nat namespace: what it sees is what the wire had.
capture_start nat eth1 wire-nat
ike_up phase=2 numlist=1

step "traffic between the hosts"
ping_ok left-host "$RIGHT_HOST_IP" 5 || { ike_dump left right; fail "ping left-host -> right-host"; }
ping_ok right-host "$LEFT_HOST_IP" 5 || fail "ping right-host -> left-host"
M1=ike-marker-$RANDOM$RANDOM M2=ike-marker-$RANDOM$RANDOM
send_msg left-host right-host tcp "$RIGHT_HOST_IP" 7001 "$M1" ||
    fail "TCP message left-host -> right-host"
send_msg right-host left-host tcp "$LEFT_HOST_IP" 7001 "$M2" ||
    fail "TCP message right-host -> left-host"

step "keepalives: $((KEEPALIVE * 2 + 1)) s on the wire"
sleep $((KEEPALIVE * 2 + 1))
capture_stop

step "what the wire carried"
tcpdump -n -r "$OUT/wire-nat.pcap" > "$OUT/wire-nat.txt" 2>&1
# UDP payload length = udp[4:2] - 8; the SPI (or the zero marker) at udp[8:4]
ESPINUDP="udp port 4500 and udp[4:2] > 16 and udp[8:4] != 0"
IKE4500="udp port 4500 and udp[4:2] > 16 and udp[8:4] = 0"
KA_LEFT="src host $NAT_PUBLIC_IP and udp dst port 4500 and udp[4:2] = 9 and udp[8] = 0xff"
KA_RIGHT="src host $RIGHT_IP and udp[4:2] = 9"
n_esp=$(pcap_count wire-nat "$ESPINUDP")
n_bare=$(pcap_count wire-nat "ip proto 50")
n_ike4500=$(pcap_count wire-nat "$IKE4500")
n_ike500=$(pcap_count wire-nat "udp port 500")
# IKE header at udp[8]: the exchange type is octet 18 (34: IKE_SA_INIT);
# a slow responder may see the request retransmitted, never more
n_ike500_other=$(pcap_count wire-nat "udp port 500 and udp[26] != 34")
n_ka=$(pcap_count wire-nat "$KA_LEFT")
n_ka_right=$(pcap_count wire-nat "$KA_RIGHT")
info "ESP in UDP/4500: $n_esp, bare ESP: $n_bare, IKE on 4500: $n_ike4500," \
    "on 500: $n_ike500, keepalives left: $n_ka, right: $n_ka_right"
[ "$n_esp" -gt 0 ] || fail "no ESP in UDP on port 4500"
[ "$n_bare" -eq 0 ] || fail "$n_bare bare ESP packets"
# IKE_SA_INIT requests and responses only; IKE_AUTH went to 4500
[ "$n_ike500" -ge 2 ] || fail "$n_ike500 IKE packets on port 500, want 2"
[ "$n_ike500_other" -eq 0 ] ||
    fail "$n_ike500_other IKE messages other than IKE_SA_INIT on port 500"
[ "$n_ike4500" -ge 2 ] || fail "IKE_AUTH not on port 4500 behind the marker"
[ "$n_ka" -ge 2 ] || fail "$n_ka keepalives from the left in" \
    "$((KEEPALIVE * 2 + 1)) s, want 2 at least"
[ "$n_ka_right" -eq 0 ] || fail "the right side sent keepalives"
# within the interval: the first one at most KEEPALIVE + 1 s after the
# IKE_AUTH answer, no gap between two longer than that
tcpdump -tt -n -r "$OUT/wire-nat.pcap" \
    "($KA_LEFT) or ($IKE4500 and src host $RIGHT_IP)" \
    2> /dev/null | awk -v max="$((KEEPALIVE + 1))" '
	/NONESP-encap/ { if (!auth) auth = $1; next }
	auth { g = $1 - (n++ ? last : auth); if (g > gmax) gmax = g; last = $1 }
	END {
		printf "   keepalives: %d, longest wait %.2f s\n", n, gmax
		exit !(auth && n && gmax <= max)
	}' || fail "keepalives not within $KEEPALIVE s (+1)"
# each tunnel packet was ESP in UDP both ways: from the NAT and to it
[ "$(pcap_count wire-nat "$ESPINUDP and src host $NAT_PUBLIC_IP")" -gt 0 ] ||
    fail "no ESP in UDP from the NAT's address"
[ "$(pcap_count wire-nat "$ESPINUDP and dst host $NAT_PUBLIC_IP")" -gt 0 ] ||
    fail "no ESP in UDP to the NAT's address"
wire_leaks wire-nat "net $LEFT_NET or net $RIGHT_NET"
! pcap_has wire-nat "$M1" || fail "the marker $M1 is in plaintext"
! pcap_has wire-nat "$M2" || fail "the marker $M2 is in plaintext"

step "kernel SAs: ESP in UDP, counters"
for ns in left right; do
	xfrm_esp_check "$ns" 2 tunnel || fail "$ns: ESP states"
	n=$(grep -c '^src ' "$OUT/xfrm-state-$ns.txt")
	e=$(grep -c 'encap type espinudp' "$OUT/xfrm-state-$ns.txt")
	info "$ns: $n SAs, $e with encap espinudp"
	[ "$n" -ge 2 ] && [ "$n" = "$e" ] ||
	    fail "$ns: not every SA has encap type espinudp"
done
[ "$(grep -c 'encap type espinudp sport 4500 dport 4500' \
    "$OUT/xfrm-state-left.txt")" -ge 2 ] ||
    fail "left: SAs not encapsulated between the ports 4500"

step "ike cmd=list verbose: NAT detected"
ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/left-verbose.txt"
ike_in right "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/right-verbose.txt"
cat "$OUT/left-verbose.txt" "$OUT/right-verbose.txt"
grep -q '^NAT: local$' "$OUT/left-verbose.txt" ||
    fail "left: ike cmd=list verbose does not say NAT: local"
grep -q '^NAT: remote$' "$OUT/right-verbose.txt" ||
    fail "right: ike cmd=list verbose does not say NAT: remote"

step "SIGTERM removes the daemons' kernel state"
ike_gw_stop left
ike_gw_stop right
for ns in left right; do
	[ -z "$(ip -n "$ns" xfrm state)" ] || fail "$ns: SAs left behind"
	[ -z "$(ip -n "$ns" xfrm policy)" ] || fail "$ns: policies left behind"
done
for ns in left right; do
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
	    "$OUT/isakmpd-$ns.log" || fail "$ns: sanitizer report in its log"
done
pass "IKEv2 through a NAT: IKE and ESP in UDP on port 4500, keepalives"
