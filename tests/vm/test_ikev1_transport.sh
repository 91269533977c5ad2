#!/bin/bash
# Real-kernel test: IKEv1 transport mode between two hosts (Main Mode,
# then Quick Mode with ESP AES-CBC-256 / HMAC-SHA2-256 in transport
# mode), negotiated by two isakmpd (-K linux) in namespaces, as
# test_ike_transport.sh does for IKEv2 (IPv4).  The phase-2 definition
# is activated on the left.  Passes only if:
#  - both daemons list the phase-2 tunnel Active, `ike cmd=list verbose`
#    says IKE Version 1, Exchange Mode Main and Mode Transport;
#  - ping works both ways and a TCP message with a random marker crosses
#    each way;
#  - every ESP state of both hosts is in transport mode and moved bytes;
#  - what each host sends holds ESP, no marker and no ICMP echo in
#    plaintext, while a control message between two other addresses of
#    the same link (outside the policies) is seen in plaintext;
#  - `ike cmd=remove` on the right (the responder) removes the tunnel
#    and its kernel state on both sides;
#  - SIGTERM leaves no SA and no policy in either kernel.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
LC=198.51.100.1 RC=198.51.100.2		# the control addresses

kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up || fail "netns_pair_up"
ip -n left addr add $LC/24 dev eth0
ip -n right addr add $RC/24 dev eth0

step "definitions, daemons, activation"
defs_v1 "$OUT/v1tr.xml" v1tr "$LEFT_IP" "$RIGHT_IP" "$LEFT_IP" \
    "$RIGHT_IP" transport || fail "definitions"
ike_load left "$OUT/v1tr.xml" || fail "ikedb -p in left"
ike_load right "$OUT/v1tr.xml" -s || fail "ikedb -ps in right"
ike_gw_start left
ike_gw_start right
ike_up phase=2 namelist=v1tr-p2

step "traffic, captured where it leaves each host"
capture_start left eth0 wire-left -Q out
capture_start right eth0 wire-right -Q out
ping_ok left "$RIGHT_IP" 3 || { ike_dump left right; fail "ping left -> right"; }
ping_ok right "$LEFT_IP" 3 || fail "ping right -> left"
M1=ike-marker-$RANDOM$RANDOM M2=ike-marker-$RANDOM$RANDOM
send_msg left right tcp "$RIGHT_IP" 7001 "$M1" || fail "TCP left -> right"
send_msg right left tcp "$LEFT_IP" 7001 "$M2" || fail "TCP right -> left"
C1=ike-control-$RANDOM$RANDOM C2=ike-control-$RANDOM$RANDOM
send_msg left right udp "$RC" 7002 "$C1" || fail "control left -> right"
send_msg right left udp "$LC" 7002 "$C2" || fail "control right -> left"
capture_stop
wire_check wire-left "$M1"
wire_check wire-right "$M2"
for w in wire-left wire-right; do
	wire_leaks $w "icmp"
done
control_seen wire-left "$C1"
control_seen wire-right "$C2"
xfrm_esp_check left 2 transport || fail "left: ESP states"
xfrm_esp_check right 2 transport || fail "right: ESP states"
for ns in left right; do
	ike_in $ns "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/$ns-verbose.txt"
	for l in "IKE Version: 1" "Exchange Mode: Main" "Mode: Transport"; do
		grep -qx "$l" "$OUT/$ns-verbose.txt" || {
			cat "$OUT/$ns-verbose.txt"
			fail "$ns: ike cmd=list verbose lacks '$l'"
		}
	done
done

step "ike cmd=remove on the responder"
ike_in right "$IKE_BIN_DIR/ike" cmd=remove || fail "remove on the right"
own_none() { [ "$(own_state "$1")" = 0 ]; }
list_empty() { [ -z "$(ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list)" ]; }
for ns in left right; do
	wait_until 10 own_none $ns || {
		ip -n $ns xfrm state; ip -n $ns xfrm policy
		ike_dump left right
		fail "$ns: $(own_state $ns) SAs and policies left after remove"
	}
	wait_until 10 list_empty $ns ||
	    { ike_dump left right; fail "$ns: tunnels still listed"; }
done

step "SIGTERM removes the daemons' kernel state"
ike_gw_stop left
ike_gw_stop right
for ns in left right; do
	[ -z "$(ip -n "$ns" xfrm state)" ] || fail "$ns: SAs left behind"
	[ -z "$(ip -n "$ns" xfrm policy | grep -v '^\s' | grep -v '0.0.0.0/0 dst 0.0.0.0/0\|::/0 dst ::/0')" ] ||
	    fail "$ns: policies left behind"
done
pass "IKEv1 transport mode carries ESP only; remove on the responder clears both kernels"
