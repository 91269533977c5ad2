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
. "$IKE_VM_DIR/lib/traffic.sh"
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
transport_esp_only "$LC" "$RC"
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
for ns in left right; do
	ike_own_gone $ns
	wait_until 10 ike_list_empty $ns ||
	    { ike_dump left right; fail "$ns: tunnels still listed"; }
done

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean --transport
pass "IKEv1 transport mode carries ESP only; remove on the responder clears both kernels"
