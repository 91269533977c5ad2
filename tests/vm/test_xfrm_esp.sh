#!/bin/bash
# Real-kernel test (inside the VM: tests/vm/vm-run test_xfrm_esp.sh).
# Two gateways in network namespaces joined by a veth, a manual ESP
# tunnel-mode SA pair (rfc4106(gcm(aes)), fixed keys) and policies for
# 10.1.0.0/24 <-> 10.2.0.0/24 installed with ip xfrm.  Passes only if:
#  - ping and a TCP and a UDP message carrying random markers cross
#    between the protected addresses (TCP left->right, UDP right->left);
#  - every ESP state in both namespaces moved its byte counter, in tunnel
#    mode;
#  - the captures of the link (each end's egress, which together are all of
#    it) hold ESP packets, no marker and no plaintext packet of the
#    protected subnets;
#  - control messages sent outside the policy (to the transit addresses)
#    ARE in the same captures in plaintext, so a leak would have shown.
# This is the template for the Linux XFRM backend's tests.
. "$(dirname "$(readlink -f "$0")")/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
vm_require_guest

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"

step "topology: left and right joined by a veth"
netns_pair_up || fail "netns_pair_up"

step "manual ESP tunnel SAs and policies"
for side in left right; do
	xfrm_manual_tunnel $side $side "$LEFT_IP" "$RIGHT_IP" \
	    "$LEFT_NET" "$RIGHT_NET" || fail "SAs and policies in $side"
done

capture_start left eth0 left-out -Q out
capture_start right eth0 right-out -Q out

rnd=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
MARK_TCP="IKE-VM-MARKER-TCP-$rnd"
MARK_UDP="IKE-VM-MARKER-UDP-$rnd"
CTL_TCP="IKE-VM-CONTROL-TCP-$rnd"
CTL_UDP="IKE-VM-CONTROL-UDP-$rnd"

step "protected traffic $LEFT_LAN_IP <-> $RIGHT_LAN_IP"
ping_ok left "$RIGHT_LAN_IP" || fail "ping left -> $RIGHT_LAN_IP"
send_msg left right tcp "$RIGHT_LAN_IP" 5001 "$MARK_TCP" ||
    fail "TCP marker left -> $RIGHT_LAN_IP did not arrive"
send_msg right left udp "$LEFT_LAN_IP" 5002 "$MARK_UDP" ||
    fail "UDP marker right -> $LEFT_LAN_IP did not arrive"
info "ping, TCP and UDP markers arrived"

step "control traffic outside the policy $LEFT_IP <-> $RIGHT_IP"
send_msg left right tcp "$RIGHT_IP" 5003 "$CTL_TCP" ||
    fail "TCP control message left -> $RIGHT_IP did not arrive"
send_msg right left udp "$LEFT_IP" 5004 "$CTL_UDP" ||
    fail "UDP control message right -> $LEFT_IP did not arrive"
capture_stop

step "ESP counters"
for ns in left right; do
	xfrm_esp_check $ns 2 tunnel || fail "ESP states in $ns"
done

step "captures"
for cap in left-out right-out; do
	wire_check $cap "$MARK_TCP"
	wire_check $cap "$MARK_UDP"
	wire_leaks $cap "net $LEFT_NET or net $RIGHT_NET"
done
control_seen left-out "$CTL_TCP"
control_seen right-out "$CTL_UDP"
netns_pair_down
pass "ESP tunnel on kernel $(uname -r)"
