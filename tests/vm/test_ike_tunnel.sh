#!/bin/bash
# Real-kernel test 1 of the Linux backend driven by the daemon: two
# isakmpd gateways (-K linux) in namespaces with hosts behind them
# (lib/netns.sh --hosts), definitions loaded with ikedb (the right side
# imports the left side's file with -ps), `ike cmd=activate` on the left.
# Passes only if:
#  - both daemons list the phase-1 and phase-2 tunnels Active;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way;
#  - every ESP SA of both gateways moved its byte counter, and
#    `ike cmd=list verbose` reports bytes for the phase-2 tunnel;
#  - what each gateway sends on the link between them holds ESP and
#    neither the markers nor a packet of the protected subnets, while a
#    control message each gateway sends outside the policies is there in
#    plaintext (so the capture would have shown a leak);
#  - SIGTERM leaves no SA and no policy of the daemon in either kernel.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/traffic.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
XML=$IKE_VM_DIR/../../examples/demo/gateway-left.xml

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --hosts || fail "netns_pair_up --hosts"

step "definitions and daemons"
ike_load left "$XML" || fail "ikedb -p in left"
ike_load right "$XML" -s || fail "ikedb -ps in right"
ike_gw_start left
ike_gw_start right

step "ike cmd=activate phase=2 numlist=1 on the left"
ike_up phase=2 numlist=1

step "traffic between the hosts, captured where it leaves each gateway"
tunnel_esp_only

step "counters"
xfrm_esp_check left 2 tunnel || fail "left: ESP states"
xfrm_esp_check right 2 tunnel || fail "right: ESP states"
ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/left-verbose.txt"
cat "$OUT/left-verbose.txt"
verbose_counters "$OUT/left-verbose.txt"
grep -Eq '^Lifetime Left: [1-9][0-9]* seconds' "$OUT/left-verbose.txt" ||
    fail "ike cmd=list verbose: no lifetime left"

step "SIGTERM removes the daemons' kernel state"
ike_gws_stop_clean
pass "IKEv2 tunnel mode between two isakmpd gateways carries ESP only"
