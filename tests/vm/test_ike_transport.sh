#!/bin/bash
# Real-kernel test 2: IKEv2 transport mode between two hosts, over IPv4
# and over IPv6, negotiated by two isakmpd (-K linux) in namespaces.  The
# two phase-2 definitions (one per family, each with its own phase 1)
# are activated on the left.  Passes only if:
#  - both daemons list both phase-2 tunnels Active;
#  - ping works both ways over IPv4 and IPv6, and a TCP message with a
#    random marker crosses over IPv4;
#  - every ESP state of both hosts is in transport mode and moved bytes;
#  - what each host sends holds ESP, no marker and no ICMP/ICMPv6 echo in
#    plaintext, while a control message between two other addresses of
#    the same link (outside the policies) is seen in plaintext;
#  - SIGTERM leaves no SA and no policy in either kernel.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/traffic.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
L6=2001:db8::1 R6=2001:db8::2
LC=198.51.100.1 RC=198.51.100.2		# the control addresses

kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up || fail "netns_pair_up"
for ns in left right; do
	ip netns exec $ns sysctl -q -w net.ipv6.conf.eth0.disable_ipv6=0
done
ip -n left addr add $L6/64 dev eth0 nodad
ip -n right addr add $R6/64 dev eth0 nodad
ip -n left addr add $LC/24 dev eth0
ip -n right addr add $RC/24 dev eth0
wait_until 10 ip netns exec left busybox ping -c 1 -W 1 $R6 ||
    fail "no IPv6 between the namespaces"

cat > "$OUT/transport.xml" <<XML
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="p1" IKE_Version="2">
    <IKETransform IKE_Encryption="AES-CBC-256" IKE_Hash="SHA2-256" IKE_DHGroup="14"/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="v4" IKE_ProtectionRef="p1">
    <IKELocalIdentity><IPV4_Address Value="$LEFT_IP"/></IKELocalIdentity>
    <IKERemoteIdentity><IPV4_Address Value="$RIGHT_IP"/></IKERemoteIdentity>
  </IKETunnel>
  <IKETunnel IKE_TunnelName="v6" IKE_ProtectionRef="p1">
    <IKELocalIdentity><IPV6_Address Value="$L6"/></IKELocalIdentity>
    <IKERemoteIdentity><IPV6_Address Value="$R6"/></IKERemoteIdentity>
  </IKETunnel>
  <IKEPresharedKey Value="transport test key" Format="ASCII">
    <IKEPresharedRemoteID><IPV4_Address Value="$RIGHT_IP"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IKEPresharedKey Value="transport test key" Format="ASCII">
    <IKEPresharedRemoteID><IPV4_Address Value="$LEFT_IP"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IKEPresharedKey Value="transport test key v6" Format="ASCII">
    <IKEPresharedRemoteID><IPV6_Address Value="$R6"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IKEPresharedKey Value="transport test key v6" Format="ASCII">
    <IKEPresharedRemoteID><IPV6_Address Value="$L6"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IPSecProposal IPSec_ProposalName="esp-tr">
    <IPSecESPProtocol ESP_Encryption="AES-CBC-256" ESP_Authentication="HMAC-SHA2-256" ESP_EncapsulationMode="Transport"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="p2" IPSec_ProposalRefs="esp-tr"/>
  <IPSecTunnel IPSec_TunnelName="hosts-v4" IKE_TunnelName="v4" IPSec_ProtectionRef="p2">
    <IPSecLocalIdentity><IPV4_Address Value="$LEFT_IP"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Address Value="$RIGHT_IP"/></IPSecRemoteIdentity>
  </IPSecTunnel>
  <IPSecTunnel IPSec_TunnelName="hosts-v6" IKE_TunnelName="v6" IPSec_ProtectionRef="p2">
    <IPSecLocalIdentity><IPV6_Address Value="$L6"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV6_Address Value="$R6"/></IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
XML
two_active() {
	[ "$(ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list phase=2 |
	    grep -c '^2 .* Active ')" = 2 ]
}
step "definitions, daemons, activation"
ike_load left "$OUT/transport.xml" || fail "ikedb -p in left"
ike_load right "$OUT/transport.xml" -s || fail "ikedb -ps in right"
ike_gw_start left
ike_gw_start right
ike_in left "$IKE_BIN_DIR/ike" cmd=activate phase=2 namelist=hosts-v4,hosts-v6 ||
    { ike_dump left right; fail "activate"; }
for ns in left right; do
	wait_until 40 two_active $ns ||
	    { ike_dump left right; fail "$ns: not both phase-2 tunnels Active"; }
done
ike_in left "$IKE_BIN_DIR/ike" cmd=list
ike_in right "$IKE_BIN_DIR/ike" cmd=list

step "traffic, captured where it leaves each host"
transport_esp_only "$LC" "$RC" "$L6" "$R6"
xfrm_esp_check left 4 transport || fail "left: ESP states"
xfrm_esp_check right 4 transport || fail "right: ESP states"

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean --transport
pass "IKEv2 transport mode over IPv4 and IPv6 carries ESP only"
