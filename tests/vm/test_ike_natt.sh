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
. "$IKE_VM_DIR/lib/traffic.sh"
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
natt_run ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2

step "what the wire carried"
natt_wire_check 2

step "kernel SAs: ESP in UDP, counters"
natt_sa_check

step "ike cmd=list verbose: NAT detected"
natt_verbose_check

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean
for ns in left right; do
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
	    "$OUT/isakmpd-$ns.log" || fail "$ns: sanitizer report in its log"
done
pass "IKEv2 through a NAT: IKE and ESP in UDP on port 4500, keepalives"
