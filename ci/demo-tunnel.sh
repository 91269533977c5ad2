#!/bin/bash
# The main job's tunnel (run by ci/demo.sh, directly where the kernel has
# ESP, else inside the VM of tests/vm/vm-run): two gateways, each an
# isakmpd -K linux in its own network namespace with a host behind it
# (tests/vm/lib/netns.sh --hosts: left 192.0.2.1 with 10.1.0.0/24, right
# 192.0.2.2 with 10.2.0.0/24), definitions from examples/demo loaded
# with ikedb, `ike cmd=activate` on the left, ping and a TCP message
# between the hosts, a capture of the link showing only ESP, then
# `ike cmd=list verbose` and the kernel's SAs, and `ike cmd=remove all`.
# Needs IKE_BIN_DIR (the built programs) and root.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export IKE_VM_DIR=$top/tests/vm
export IKE_VM_OUT=${IKE_VM_OUT:-${IKE_DEMO_DIR:-/tmp/ike-demo}}
mkdir -p "$IKE_VM_OUT"
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
XML=$top/examples/demo/gateway-left.xml

say() { printf '\n\033[1m[%s]# %s\033[0m\n' "$1" "$2"; }
# on NS CMD...: shows and runs an ike/ikedb command in a gateway.
on() {
	local ns=$1
	shift
	say "$ns" "$(basename "$1") ${*:2}"
	ike_in "$ns" "$@"
}
trap 'ike_gw_stop left; ike_gw_stop right; netns_pair_down' EXIT

netns_pair_up --hosts || fail "cannot build the namespaces"
on left "$IKE_BIN_DIR/ikedb" -p "$XML" || fail "ikedb"
on right "$IKE_BIN_DIR/ikedb" -ps "$XML" || fail "ikedb"
on left "$IKE_BIN_DIR/ike" cmd=list db
ike_gw_start left
ike_gw_start right
on left "$IKE_BIN_DIR/ike" cmd=activate phase=2 numlist=1 || fail "activate"
ike_wait left 2 Active 30 && ike_wait right 2 Active 10 ||
    { ike_dump left right; fail "the tunnel did not come up"; }
on left "$IKE_BIN_DIR/ike" cmd=list
on right "$IKE_BIN_DIR/ike" cmd=list

capture_start left eth0 demo-wire -Q out
say left-host "ping -c 3 $RIGHT_HOST_IP"
ip netns exec left-host busybox ping -c 3 -W 5 "$RIGHT_HOST_IP" ||
    fail "no ping through the tunnel"
M=demo-marker-$RANDOM$RANDOM
say left-host "a TCP message to $RIGHT_HOST_IP carrying \"$M\""
send_msg left-host right-host tcp "$RIGHT_HOST_IP" 7001 "$M" ||
    fail "the TCP message did not cross"
capture_stop
say left "tcpdump: what the left gateway sent to the right one"
tcpdump -n -r "$IKE_VM_OUT/demo-wire.pcap" 2> /dev/null | tail -8
wire_check demo-wire "$M"
wire_leaks demo-wire "net 10.1.0.0/24 or net 10.2.0.0/24"
info "the marker never crossed in plaintext: only ESP on the link"

on left "$IKE_BIN_DIR/ike" cmd=list verbose
say left "ip -s xfrm state"
ip -n left -s xfrm state
say left "ip xfrm policy"
ip -n left xfrm policy
on left "$IKE_BIN_DIR/ike" cmd=remove all
wait_until 10 test -z "$(ip -n left xfrm state)" ||
    fail "SAs left after remove all"
say left "ip xfrm state   (after remove all: empty)"
ip -n left xfrm state
echo
echo "demo: an IKEv2 tunnel carried ping and TCP between the hosts, ESP only on the link"
