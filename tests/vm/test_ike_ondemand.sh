#!/bin/bash
# Real-kernel test 4: on-demand tunnels.  Two isakmpd (-K linux)
# gateways start with empty databases; then a phase-2 definition with
# IPSec_Flags_OnDemand="Yes" is loaded with ikedb while they run.
# Passes only if:
#  - the left daemon installs the trap policy (outbound, the definition's
#    selectors) within seconds of the load, without a signal, and no SA;
#  - the first packets from the left subnet to the right subnet bring the
#    tunnel up without any `ike cmd=activate`: ping succeeds, both sides
#    list it Active, the ESP SAs carry the traffic;
#  - after `ike cmd=remove all` the trap stays and the next packet brings
#    the tunnel up again;
#  - deleting the definition with ikedb removes the trap;
#  - SIGTERM leaves nothing of the daemon in the kernel.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1

kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --hosts || fail "netns_pair_up --hosts"
defs_gateway "$OUT/od.xml" od "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" ondemand || fail "definitions"

step "daemons with empty databases"
ike_gw_start left
ike_gw_start right
[ "$(own_state left)" = 0 ] || fail "left: kernel state before any definition"

# trap_policy NS: the trap policy of phase-2 definition 1 is in NS's
# kernel: reqid 0x800000 + 1 in the core's numbering, which the Linux
# backend offsets by 0x49000000 (docs/isakmpd.md, platform/linux/linux.h).
TRAP_REQID=$((0x49000000 + 0x800000 + 1))
trap_policy() {
	ip -n "$1" xfrm policy list dir out src "$LEFT_NET" dst "$RIGHT_NET" |
	    grep -q "reqid $TRAP_REQID "
}
step "ikedb loads the on-demand definition: the trap appears"
ike_load right "$OUT/od.xml" -s || fail "ikedb -ps in right"
ike_load left "$OUT/od.xml" || fail "ikedb -p in left"
wait_until 10 trap_policy left || { ip -n left xfrm policy; ike_dump left; fail "no trap policy in left"; }
ip -n left xfrm policy list dir out
[ -z "$(ip -n left xfrm state)" ] || fail "left: SAs before any traffic"
ike_in left "$IKE_BIN_DIR/ike" cmd=list | grep -q . &&
    fail "left: a tunnel is listed before any traffic"

# first_traffic: pings until one is answered (the first ones start the
# negotiation), then the tunnel must be Active on both sides.
first_traffic() {
	wait_until 30 ping_ok left-host "$RIGHT_HOST_IP" 1 ||
	    { ike_dump left right; fail "no answer through the on-demand tunnel"; }
	for ns in left right; do
		ike_wait $ns 2 Active 10 ||
		    { ike_dump left right; fail "$ns: phase 2 not Active"; }
	done
	ping_ok left-host "$RIGHT_HOST_IP" 3 || fail "ping after the tunnel came up"
	xfrm_esp_check left 2 tunnel || fail "left: ESP states"
	xfrm_esp_check right 2 tunnel || fail "right: ESP states"
}
step "the first packet brings the tunnel up"
capture_start left eth0 wire -Q out
first_traffic
M=ike-marker-$RANDOM$RANDOM
send_msg left-host right-host tcp "$RIGHT_HOST_IP" 7001 "$M" || fail "TCP message"
capture_stop
wire_check wire "$M"
grep -q "on-demand phase-2 tunnel 1: negotiating\|traffic for on-demand" \
    "$OUT/isakmpd-left.log" || fail "the log does not say why the tunnel started"

step "removed, the trap stays and traffic brings it back"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove all || fail "remove all"
wait_until 10 test -z "$(ip -n left xfrm state)" || fail "left: SAs after remove all"
trap_policy left || fail "the trap went with the tunnel"
first_traffic

step "the definition deleted: the trap goes"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove all || fail "remove all"
ike_in left "$IKE_BIN_DIR/ikedb" -d -t IPSecTunnel -n od-p2 || fail "ikedb -d"
wait_until 10 sh -c "! ip -n left xfrm policy list dir out src $LEFT_NET dst $RIGHT_NET | grep -q reqid" ||
    { ip -n left xfrm policy; fail "the trap stayed after the definition was deleted"; }

step "SIGTERM"
ike_gw_stop left
ike_gw_stop right
for ns in left right; do
	[ "$(own_state $ns)" = 0 ] || fail "$ns: kernel state left behind"
done
pass "on-demand: a trap per definition, the first packet brings the tunnel up"
